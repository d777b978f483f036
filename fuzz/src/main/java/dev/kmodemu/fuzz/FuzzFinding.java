package dev.kmodemu.fuzz;

import dev.kmodemu.kstubs.Finding;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A distinct thing found: the first occurrence of a kind of report at one place (its key), with
 * how often it came back and the smallest input known to reproduce it.
 */
public final class FuzzFinding {
    private static final Pattern SIZE = Pattern.compile("/0x[0-9a-f]+");
    private static final Pattern OFFSET = Pattern.compile("\\+0x[0-9a-f]+");
    private static final Pattern HEX = Pattern.compile("0x[0-9a-f]+|\\b[0-9a-f]{8,16}\\b");
    private static final Pattern NUMBER = Pattern.compile("\\d+");

    private final String key;
    private final String type;
    private final String title;
    private final String location;
    private final String module;
    private final long firstExec;
    private final List<String> report;
    private int count = 1;
    private byte[] input;
    private List<String> program;
    private List<String> faults;
    private String saved;

    FuzzFinding(String key, String type, String title, String location, String module, long firstExec,
            List<String> report, byte[] input, List<String> program, List<String> faults) {
        this.key = key;
        this.type = type;
        this.title = title;
        this.location = location;
        this.module = module;
        this.firstExec = firstExec;
        this.report = List.copyOf(report);
        this.input = input;
        this.program = List.copyOf(program);
        this.faults = List.copyOf(faults);
    }

    /** What deduplicates findings: the kind of report and where ({@code bug mm/slub.c:419 from fuzz_dfree_init+0x5b [fuzz_dfree]}). */
    public String key() {
        return key;
    }

    /** {@code oops}, {@code warning}, {@code bug}, {@code soft_lockup}, {@code panic}, ... (the kernel's report types, lower case), or {@code leftover}, {@code harness}, {@code emulator-error}. */
    public String type() {
        return type;
    }

    /** The report's headline. */
    public String title() {
        return title;
    }

    /** Where: {@code file:line}, a symbol with offset, or a path. */
    public String location() {
        return location;
    }

    /** The module at fault, or null. */
    public String module() {
        return module;
    }

    /** How many executions found it. */
    public synchronized int count() {
        return count;
    }

    synchronized void hit() {
        count++;
    }

    /** Which execution found it first (counting from 1). */
    public long firstExec() {
        return firstExec;
    }

    /** The report as the kernel logged it (or the fuzzer's lines for its own findings). */
    public List<String> report() {
        return report;
    }

    /** The smallest input known to reproduce it. */
    public synchronized byte[] input() {
        return input.clone();
    }

    /** What that input does (parameters, fail points, file operations). */
    public synchronized List<String> program() {
        return program;
    }

    /** The failures injected in that run. */
    public synchronized List<String> faults() {
        return faults;
    }

    synchronized void minimized(byte[] in, List<String> prog, List<String> injected) {
        input = in;
        program = List.copyOf(prog);
        faults = List.copyOf(injected);
    }

    /** Where the reproducer was saved, or null. */
    public synchronized String saved() {
        return saved;
    }

    synchronized void saved(String path) {
        saved = path;
    }

    /** The key of a kernel report. */
    static String keyOf(Finding f) {
        String type = f.type().name().toLowerCase(Locale.ROOT);
        boolean byFunction = f.type().name().equals("SOFT_LOCKUP");
        String loc = location(f, byFunction);
        String from = null;
        for (Finding.Frame fr : f.trace()) {
            if (fr.module() != null && fr.reliable()) {
                from = strip(fr.symbol(), byFunction);
                break;
            }
        }
        if (from != null && !loc.contains("[")) {
            return type + " " + loc + " from " + from;
        }
        return type + " " + loc;
    }

    /** Where a kernel report points: file:line, else the symbol of its instruction pointer, else its title. */
    static String location(Finding f, boolean byFunction) {
        if (f.location() != null) {
            return f.location();
        }
        if (f.symbol() != null) {
            return strip(f.symbol(), byFunction);
        }
        return NUMBER.matcher(HEX.matcher(SIZE.matcher(f.title()).replaceAll("")).replaceAll("X")).replaceAll("N");
    }

    /** {@code f+0x1a/0x40 [m]} → {@code f+0x1a [m]} (or {@code f [m]} by function). */
    static String strip(String symbol, boolean byFunction) {
        String s = SIZE.matcher(symbol).replaceAll("");
        return byFunction ? OFFSET.matcher(s).replaceAll("") : s;
    }

    static FuzzFinding of(Finding f, long exec, Execution e, byte[] input) {
        return new FuzzFinding(keyOf(f), f.type().name().toLowerCase(Locale.ROOT), f.title(),
                location(f, false), f.module(), exec, f.log(), input, e.program().describe(e.files()), faults(e));
    }

    static FuzzFinding of(Execution.Problem p, long exec, Execution e, byte[] input, String module) {
        List<String> report = new ArrayList<>();
        report.add(p.title());
        report.addAll(p.detail());
        return new FuzzFinding(keyOf(p), p.type(), p.title(), p.where(), module, exec, report, input,
                e.program().describe(e.files()), faults(e));
    }

    static String keyOf(Execution.Problem p) {
        return p.type() + " " + p.where();
    }

    static List<String> faults(Execution e) {
        return e.injected().stream().map(Object::toString).toList();
    }

    @Override
    public String toString() {
        return key + " (" + count + "x)";
    }
}
