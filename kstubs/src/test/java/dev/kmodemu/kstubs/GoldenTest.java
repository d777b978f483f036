package dev.kmodemu.kstubs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kmodemu.kstubs.printk.KernelLog;
import dev.kmodemu.testmods.TestMods;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every test module case against the real kernel's recorded behaviour
 * ({@code testmods/<dir>/expected/<case>.json}, from qemu-oracle on Debian's 6.1 kernel): for every
 * module of the case, in order, the same insmod result and log lines at the same levels; then the
 * same results and lines for each read and write, each module's /proc/modules line (address
 * aside) and sysfs parameter values; then, in reverse order, the same rmmod results and lines;
 * finally the same taint mask.
 *
 * <p>{@code <case>.args} is the oracle's command line (the first line that is not a {@code #}
 * comment, with bash quoting). Its module files are the modules of the case, in load order:
 * {@code x.ko} is module {@code x} of the case's directory, {@code other/x.ko} module {@code x} of
 * directory {@code other}; without any, the case runs {@code <dir>/<dir>.ko}. Each module's
 * parameters are derived from {@code --param} (last module) and {@code --param-for} as the oracle
 * derives them, and checked against the parameters the oracle recorded.
 *
 * <p>Loads use {@link Kernel#insmod(String, byte[], String)} (one {@code finit_module()}, like
 * the oracle's ko-tool); unloads call {@code delete_module(name, O_NONBLOCK)} directly, as
 * ko-tool does, not kmod's rmmod, which refuses a module in use before asking the kernel.
 *
 * <p>Reads are compared byte for byte, except: {@code /proc/modules} with module addresses
 * masked (as the /proc/modules lines; they depend on the oracle's boot mode), and
 * {@code /proc/kallsyms}, which refresh-golden cuts down to the case's modules' lines
 * ({@code ADDR t name\t[mod]}): ours is cut down the same way and, on both sides, each address is
 * written relative to its module's address in /proc/modules ({@code mod+0x40 t name\t[mod]}).
 *
 * <p>A case may carry {@code <case>.kmodemu}: lines {@code ignore: REGEX} drop matching log lines
 * on both sides (for values that differ from boot to boot on the real kernel), {@code mask: REGEX}
 * replaces what matches with {@code <masked>} on both sides (a pid, a build directory), and
 * {@code compare: subsequence} requires the expected lines in order among ours; {@code #} lines
 * are comments.
 *
 * <p>A run the real kernel did not complete (a panic: the oracle's kernel reboots at once; a
 * module that never returns: the oracle times out) has only the console log
 * ({@code console_dmesg}, without levels): it is compared with everything kmodemu logged, up to
 * the first line matching {@code console-until: REGEX} if given (the real watchdog reports a
 * lockup again and again; kmodemu kills the task after the first report).
 */
class GoldenTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-f]{16}");
    private static final Pattern KALLSYMS_LINE = Pattern.compile("([0-9a-f]{16}) (\\S) (\\S+)\t\\[(\\S+)\\]");

    /** One expected line with its syslog level. */
    record Line(int level, String text) {
        @Override
        public String toString() {
            return "<" + level + ">" + text;
        }
    }

    /** A file operation of the case, in command-line order. */
    record Op(String op, String path, String data) {
    }

    /**
     * The oracle command line of a case: module files in load order, {@code --param} (for the
     * last module), {@code --param-for} per module name or file, reads and writes.
     */
    record Args(List<String> files, String param, Map<String, String> paramFor, List<Op> ops) {
        static Args parse(String text) {
            String line = "";
            for (String l : text.split("\n")) {
                if (!l.startsWith("#")) {
                    line = l;
                    break;
                }
            }
            List<String> t = tokens(line);
            List<String> files = new ArrayList<>();
            StringBuilder param = new StringBuilder();
            Map<String, String> paramFor = new LinkedHashMap<>();
            List<Op> ops = new ArrayList<>();
            for (int i = 0; i < t.size(); i++) {
                String a = t.get(i);
                switch (a) {
                    case "--param" -> append(param, t.get(++i));
                    case "--param-for" -> {
                        String mod = t.get(++i);
                        String p = t.get(++i);
                        paramFor.merge(mod, p, (x, y) -> x + " " + y);
                    }
                    case "--read" -> ops.add(new Op("read", t.get(++i), null));
                    case "--write" -> {
                        String w = t.get(++i);
                        int eq = w.indexOf('=');
                        ops.add(new Op("write", w.substring(0, eq), w.substring(eq + 1)));
                    }
                    case "--timeout" -> i++;
                    case "--console", "--keep", "--no-rmmod" -> {
                        // --no-rmmod: the .json then records no rmmod, and none is done
                    }
                    default -> {
                        if (a.startsWith("-")) {
                            throw new IllegalArgumentException("option " + a + " is not supported by GoldenTest");
                        }
                        files.add(a);
                    }
                }
            }
            return new Args(files, param.toString(), paramFor, ops);
        }

        /**
         * The parameter string of every module as qemu-oracle builds it: {@code --param-for} by
         * module name, else by file name (each used once), then {@code --param} for the last.
         */
        List<String> params(List<String> names, List<String> fileNames) {
            Map<String, String> left = new HashMap<>(paramFor);
            List<String> out = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                String p = left.getOrDefault(names.get(i), left.getOrDefault(fileNames.get(i), ""));
                left.remove(names.get(i));
                left.remove(fileNames.get(i));
                if (i == names.size() - 1 && !param.isEmpty()) {
                    p = p.isEmpty() ? param : p + " " + param;
                }
                out.add(p);
            }
            return out;
        }

        private static void append(StringBuilder sb, String s) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(s);
        }
    }

    /**
     * Splits a command line as bash does for the quoting .args files use: blanks separate words;
     * {@code '...'}, {@code "..."}, {@code $'...'} (with C escapes) and backslash quote.
     */
    static List<String> tokens(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder w = null;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch == ' ' || ch == '\t') {
                if (w != null) {
                    out.add(w.toString());
                    w = null;
                }
                continue;
            }
            if (w == null) {
                w = new StringBuilder();
            }
            if (ch == '\'') {
                int end = line.indexOf('\'', i + 1);
                w.append(line, i + 1, end);
                i = end;
            } else if (ch == '$' && i + 1 < line.length() && line.charAt(i + 1) == '\'') {
                for (i += 2; line.charAt(i) != '\''; i++) {
                    char c = line.charAt(i);
                    if (c != '\\') {
                        w.append(c);
                        continue;
                    }
                    char e = line.charAt(++i);
                    switch (e) {
                        case 'n' -> w.append('\n');
                        case 't' -> w.append('\t');
                        case 'r' -> w.append('\r');
                        case 'a' -> w.append('\007');
                        case 'b' -> w.append('\b');
                        case 'e' -> w.append('\033');
                        case 'f' -> w.append('\f');
                        case 'v' -> w.append('\013');
                        case 'x' -> {
                            int j = i + 1;
                            while (j < line.length() && j < i + 3 && Character.digit(line.charAt(j), 16) >= 0) {
                                j++;
                            }
                            w.append((char) Integer.parseInt(line.substring(i + 1, j), 16));
                            i = j - 1;
                        }
                        case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                            int j = i;
                            while (j < line.length() && j < i + 3 && line.charAt(j) >= '0' && line.charAt(j) <= '7') {
                                j++;
                            }
                            w.append((char) Integer.parseInt(line.substring(i, j), 8));
                            i = j - 1;
                        }
                        default -> w.append(e);
                    }
                }
            } else if (ch == '"') {
                for (i++; line.charAt(i) != '"'; i++) {
                    char c = line.charAt(i);
                    if (c == '\\' && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
                        c = line.charAt(++i);
                    }
                    w.append(c);
                }
            } else if (ch == '\\') {
                w.append(line.charAt(++i));
            } else {
                w.append(ch);
            }
        }
        if (w != null) {
            out.add(w.toString());
        }
        return out;
    }

    /**
     * The kernels the cases boot: the default instruction budget (a billion translation blocks per
     * call into module code, what ends a module that spins, the same on every machine), and a wall
     * budget of a minute instead of ten seconds, so that a self-test doing millions of kernel calls
     * (rbtree_test) is not cut short on a busy machine.
     */
    private static final Kernel.Options OPTIONS = Kernel.Options.defaults()
            .withCallBudget(java.time.Duration.ofSeconds(60));

    @TestFactory
    Stream<DynamicTest> everyCaseMatchesTheRealKernel() {
        List<DynamicTest> tests = new ArrayList<>();
        // -Dgolden.only=DIR[,DIR...] runs only those directories' cases (while working on them)
        String only = System.getProperty("golden.only", "");
        for (String dir : TestMods.names()) {
            if (!only.isEmpty() && !List.of(only.split(",")).contains(dir)) {
                continue;
            }
            for (String c : TestMods.cases(dir)) {
                tests.add(DynamicTest.dynamicTest(dir + "/" + c, () -> check(dir, c)));
            }
        }
        return tests.stream();
    }

    @Test
    void argsAreSplitAndAssignedLikeTheOracleDoes() {
        assertEquals(List.of("--write", "/proc/x=7\n", "--write", "/proc/x= 9", "--param", "name=\"a b\"", "x\"y$",
                "a b"), tokens("--write $'/proc/x=7\\n' --write '/proc/x= 9'  --param 'name=\"a b\"' \"x\\\"y\\$\" a\\ b"));
        Args a = Args.parse("# comment\n--param-for symexp 'a=1' --param 'b=2' --param-for symimp.ko c=3 --read /proc/modules"
                + " --write /proc/x=y=z symexp.ko symimp.ko other/symexp.ko");
        assertEquals(List.of("symexp.ko", "symimp.ko", "other/symexp.ko"), a.files());
        assertEquals(List.of(new Op("read", "/proc/modules", null), new Op("write", "/proc/x", "y=z")), a.ops());
        // --param-for is used once (the second symexp gets none); --param goes to the last module.
        assertEquals(List.of("a=1", "c=3", "b=2"), a.params(List.of("symexp", "symimp", "symexp"),
                List.of("symexp.ko", "symimp.ko", "symexp.ko")));
        assertEquals(new TestMods.Ko("symexp", "symimp"), TestMods.resolve("symexp", "symimp.ko"));
        assertEquals(new TestMods.Ko("symexp", "symexp"), TestMods.resolve("badcrc", "symexp/symexp.ko"));
        assertThrows(IllegalArgumentException.class, () -> Args.parse("--frobnicate hello.ko"));
    }

    static void check(String dir, String c) throws Exception {
        JsonNode golden = JSON.readTree(TestMods.expected(dir, c + ".json"));
        Args args = Args.parse(TestMods.expected(dir, c + ".args"));
        String where = dir + "/" + c + ": ";
        Deviations dev = Deviations.of(dir, c);
        if (!golden.get("complete").asBoolean()) {
            checkIncomplete(dir, c, golden, args, dev);
            return;
        }

        // The modules of the case, as the recorded command line names them.
        List<TestMods.Ko> kos = new ArrayList<>();
        for (String f : args.files().isEmpty() ? List.of(dir + ".ko") : args.files()) {
            kos.add(TestMods.resolve(dir, f));
        }
        JsonNode mods = golden.get("modules");
        List<String> names = new ArrayList<>();
        List<String> files = new ArrayList<>();
        for (JsonNode m : mods) {
            names.add(m.get("name").asText());
            files.add(m.get("file").asText());
        }
        assertEquals(kos.stream().map(TestMods.Ko::file).toList(), files, where + "module files of .args and .json");
        List<String> params = args.params(names, files);
        for (int i = 0; i < mods.size(); i++) {
            assertEquals(mods.get(i).get("params").asText(), params.get(i), where + "parameters of " + files.get(i)
                    + " in .args and .json");
        }
        List<Op> recorded = new ArrayList<>();
        for (JsonNode op : golden.get("ops")) {
            recorded.add(new Op(op.get("op").asText(), op.get("path").asText(),
                    op.has("data") ? op.get("data").asText() : null));
        }
        assertEquals(args.ops(), recorded, where + "reads and writes of .args and .json");

        // Expected lines per step, levels taken from the overall dmesg_levels in step order:
        // every insmod, every op, the rmmods (last module first), then anything after them.
        Iterator<JsonNode> levels = golden.get("dmesg_levels").iterator();
        List<List<Line>> expInsmod = new ArrayList<>();
        for (JsonNode m : mods) {
            expInsmod.add(lines(m.get("insmod_dmesg"), levels));
        }
        List<List<Line>> expOps = new ArrayList<>();
        for (JsonNode op : golden.get("ops")) {
            expOps.add(lines(op.get("dmesg"), levels));
        }
        Map<Integer, List<Line>> expRmmod = new HashMap<>();
        for (int i = mods.size() - 1; i >= 0; i--) {
            if (!mods.get(i).get("rmmod_rc").isNull()) {
                expRmmod.put(i, lines(mods.get(i).get("rmmod_dmesg"), levels));
            }
        }
        List<Integer> rest = new ArrayList<>();
        levels.forEachRemaining(l -> rest.add(l.asInt()));
        JsonNode all = golden.get("dmesg");
        List<Line> expEnd = new ArrayList<>();
        for (int j = 0; j < rest.size(); j++) {
            expEnd.add(new Line(rest.get(j), all.get(all.size() - rest.size() + j).asText()));
        }

        try (Kernel k = Kernel.boot(OPTIONS)) {
            for (int i = 0; i < mods.size(); i++) {
                TestMods.Ko ko = kos.get(i);
                String p = params.get(i);
                step(k, where + "insmod " + ko.file() + " (module " + i + ")", mods.get(i), "insmod", () -> {
                    k.insmod(ko.file(), ko.bytes(), p);
                    return 0;
                }, expInsmod.get(i), dev);
            }

            int i = 0;
            for (JsonNode op : golden.get("ops")) {
                String path = op.get("path").asText();
                String what = where + op.get("op").asText() + " " + path + " (op " + i + ")";
                long seq = k.context().log().nextSeq();
                int opRc = op.get("rc").asInt();
                if (opRc > 128) {
                    // the process doing the system call died (an oops in the module's handler)
                    KernelException e = assertThrows(KernelException.class, () -> {
                        if (op.get("op").asText().equals("read")) {
                            k.read(path);
                        } else {
                            k.write(path, op.get("data").asText());
                        }
                    }, what);
                    assertEquals(opRc - 128, e.signal(), what + ": killed by signal");
                } else if (op.get("op").asText().equals("read")) {
                    String content = null;
                    int rerr = 0;
                    try (KernelFile f = k.open(path, KernelFile.O_RDONLY)) {
                        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                        for (byte[] b = f.read(64 * 1024); b.length > 0; b = f.read(64 * 1024)) {
                            bytes.write(b, 0, b.length);
                        }
                        content = bytes.toString(StandardCharsets.UTF_8);
                    } catch (KernelException e) {
                        rerr = e.errno();
                    }
                    assertEquals(op.get("errno").asInt(), rerr, what + ": errno");
                    if (!op.get("content").isNull()) {
                        String exp = op.get("content").asText();
                        if (path.equals("/proc/modules")) {
                            exp = mask(exp);
                            content = mask(content);
                        } else if (path.equals("/proc/kallsyms")) {
                            exp = kallsyms(exp, moduleAddresses(expectedProcModules(mods)));
                            content = kallsyms(content, moduleAddresses(k.read("/proc/modules")));
                        }
                        assertEquals(exp, content, what + ": content");
                    }
                } else {
                    byte[] data = op.get("data").asText().getBytes(StandardCharsets.UTF_8);
                    long ret = -1;
                    int werr = 0;
                    try (KernelFile f = k.open(path, KernelFile.O_WRONLY | KernelFile.O_CREAT | KernelFile.O_TRUNC)) {
                        ret = f.write(data);
                    } catch (KernelException e) {
                        werr = e.errno();
                    }
                    assertEquals(op.get("errno").asInt(), werr, what + ": errno");
                    assertEquals(op.get("ret").asLong(), ret, what + ": bytes written");
                }
                dev.compare(what + ": log", expOps.get(i), ours(k, seq));
                i++;
            }

            String procModules = k.read("/proc/modules");
            for (JsonNode m : mods) {
                String name = m.get("name").asText();
                String what = where + name + ": ";
                JsonNode procLine = m.get("proc_modules_line");
                String ours = procModules.lines().filter(l -> l.startsWith(name + " ")).findFirst().orElse(null);
                assertEquals(procLine.isNull() ? null : mask(procLine.asText()), ours == null ? null : mask(ours),
                        what + "/proc/modules");
                JsonNode sysfs = m.get("sysfs_params");
                if (sysfs != null && !sysfs.isNull()) {
                    Map<String, String> exp = new TreeMap<>();
                    sysfs.fields().forEachRemaining(e -> exp.put(e.getKey(), e.getValue().asText()));
                    Map<String, String> got = new TreeMap<>();
                    String dirPath = "/sys/module/" + name + "/parameters";
                    if (k.context().vfs().isDirectory(dirPath)) {
                        for (String p : k.context().vfs().list(dirPath)) {
                            got.put(p, k.read(dirPath + "/" + p).replaceAll("\n$", ""));
                        }
                    }
                    assertEquals(exp, got, what + "sysfs parameters");
                }
            }

            long endSeq = k.context().log().nextSeq();
            for (int j = mods.size() - 1; j >= 0; j--) {
                JsonNode m = mods.get(j);
                if (m.get("rmmod_rc").isNull()) {
                    continue;
                }
                String name = m.get("name").asText();
                step(k, where + "rmmod " + name + " (module " + j + ")", m, "rmmod",
                        () -> k.process("rmmod", () -> k.context().modules().delete(name, false)), expRmmod.get(j), dev);
                endSeq = k.context().log().nextSeq();
            }
            dev.compare(where + "log after the last step", expEnd, ours(k, endSeq));
            assertEquals(golden.get("tainted").asLong(), k.context().taint().mask(), where + "taint mask");
        }
    }

    /**
     * Runs one insmod or rmmod ({@code call} returns 0 or a negative errno, or throws) and checks
     * its log lines and its result against the module's {@code <kind>_rc}/{@code <kind>_errno}
     * (rc 128+N: killed by signal N: 9 for an oops, 11 for a BUG).
     */
    private static void step(Kernel k, String what, JsonNode m, String kind, IntSupplier call, List<Line> expected,
            Deviations dev) {
        long seq = k.context().log().nextSeq();
        int errno = 0;
        int signal = 0;
        try {
            errno = -call.getAsInt();
        } catch (KernelException e) {
            errno = e.errno();
            signal = e.signal();
        }
        // The log first: it usually tells why the result differs.
        dev.compare(what + ": log", expected, ours(k, seq));
        int rc = m.get(kind + "_rc").asInt();
        if (rc > 128) {
            assertEquals(rc - 128, signal, what + " should be killed by an oops, by signal");
        } else {
            assertEquals(m.get(kind + "_errno").asInt(), errno, what + ": errno");
        }
    }

    private static String mask(String procModules) {
        return procModules.replaceAll("0x[0-9a-f]{16}", "0x<address>");
    }

    /** The /proc/modules the oracle saw: its lines of the case's modules, most recent first. */
    private static String expectedProcModules(JsonNode mods) {
        StringBuilder sb = new StringBuilder();
        for (int i = mods.size() - 1; i >= 0; i--) {
            if (!mods.get(i).get("proc_modules_line").isNull()) {
                sb.append(mods.get(i).get("proc_modules_line").asText()).append('\n');
            }
        }
        return sb.toString();
    }

    /** Module name to base address, from /proc/modules text. */
    private static Map<String, Long> moduleAddresses(String procModules) {
        Map<String, Long> out = new HashMap<>();
        for (String l : procModules.split("\n")) {
            Matcher a = ADDRESS.matcher(l);
            if (!l.isEmpty() && a.find()) {
                out.putIfAbsent(l.substring(0, l.indexOf(' ')), Long.parseUnsignedLong(a.group().substring(2), 16));
            }
        }
        return out;
    }

    /**
     * The module lines of /proc/kallsyms ({@code ADDR t name\t[mod]}) with each address written
     * relative to its module's base address: {@code mod+0x40 t name\t[mod]}.
     */
    static String kallsyms(String content, Map<String, Long> bases) {
        StringBuilder sb = new StringBuilder();
        for (String l : content.split("\n")) {
            if (!l.endsWith("]") || !l.contains("\t[")) {
                continue;
            }
            Matcher m = KALLSYMS_LINE.matcher(l);
            Long base = m.matches() ? bases.get(m.group(4)) : null;
            if (base == null) {
                sb.append(l).append('\n');
                continue;
            }
            long off = Long.parseUnsignedLong(m.group(1), 16) - base;
            sb.append(m.group(4)).append(off < 0 ? "-0x" : "+0x").append(Long.toHexString(Math.abs(off))).append(' ')
                    .append(m.group(2)).append(' ').append(m.group(3)).append("\t[").append(m.group(4)).append("]\n");
        }
        return sb.toString();
    }

    private static List<Line> lines(JsonNode texts, Iterator<JsonNode> levels) {
        List<Line> out = new ArrayList<>();
        for (JsonNode t : texts) {
            out.add(new Line(levels.next().asInt(), t.asText()));
        }
        return out;
    }

    /** Our log since {@code seq}, one entry per line as dmesg prints records. */
    private static List<Line> ours(Kernel k, long seq) {
        List<Line> out = new ArrayList<>();
        for (KernelLog.Record r : k.context().log().since(seq)) {
            for (String l : r.lines()) {
                out.add(new Line(r.level(), l));
            }
        }
        return out;
    }

    /** The deviations a case's {@code <case>.kmodemu} declares for its log lines. */
    record Deviations(List<Pattern> ignore, List<Pattern> masks, boolean subsequence, Pattern until) {
        static Deviations of(String dir, String c) {
            List<Pattern> ignore = new ArrayList<>();
            List<Pattern> masks = new ArrayList<>();
            Pattern until = null;
            boolean subsequence = false;
            try {
                for (String l : TestMods.expected(dir, c + ".kmodemu").split("\n")) {
                    if (l.startsWith("ignore: ")) {
                        ignore.add(Pattern.compile(l.substring(8)));
                    } else if (l.startsWith("mask: ")) {
                        masks.add(Pattern.compile(l.substring(6)));
                    } else if (l.startsWith("console-until: ")) {
                        until = Pattern.compile(l.substring(15));
                    } else if (l.equals("compare: subsequence")) {
                        subsequence = true;
                    }
                }
            } catch (IllegalArgumentException absent) {
                // no deviations declared
            }
            return new Deviations(ignore, masks, subsequence, until);
        }

        void compare(String what, List<Line> expected, List<Line> got) {
            List<Line> e = filter(expected);
            List<Line> g = filter(got);
            if (!subsequence) {
                assertEquals(String.join("\n", e.stream().map(Line::toString).toList()),
                        String.join("\n", g.stream().map(Line::toString).toList()), what);
                return;
            }
            int j = 0;
            for (Line l : g) {
                if (j < e.size() && l.equals(e.get(j))) {
                    j++;
                }
            }
            assertTrue(j == e.size(), what + ": missing expected line " + (j < e.size() ? e.get(j) : "") + " in\n"
                    + String.join("\n", g.stream().map(Line::toString).toList()));
        }

        private List<Line> filter(List<Line> lines) {
            List<Line> out = new ArrayList<>();
            for (Line l : lines) {
                if (ignore.stream().noneMatch(p -> p.matcher(l.text()).find())) {
                    String t = l.text();
                    for (Pattern m : masks) {
                        t = m.matcher(t).replaceAll("<masked>");
                    }
                    out.add(new Line(l.level(), t));
                }
            }
            return out;
        }
    }

    /**
     * A case the real kernel did not finish (its single module panicked the kernel or never
     * returned from init, or one of the reads and writes after it did): kmodemu's whole log
     * against the console's lines, which carry no levels.
     */
    private static void checkIncomplete(String dir, String c, JsonNode golden, Args args, Deviations dev) {
        List<Line> exp = new ArrayList<>();
        for (JsonNode t : golden.get("console_dmesg")) {
            if (dev.until() != null && dev.until().matcher(t.asText()).find()) {
                break;
            }
            exp.add(new Line(-1, t.asText()));
        }
        String where = dir + "/" + c + ": ";
        List<String> files = args.files().isEmpty() ? List.of(dir + ".ko") : args.files();
        assertEquals(1, files.size(), where + "an incomplete run has one module");
        TestMods.Ko ko = TestMods.resolve(dir, files.getFirst());
        String params = args.params(List.of(golden.get("modules").get(0).get("name").asText()),
                List.of(ko.file())).getFirst();
        try (Kernel k = Kernel.boot(OPTIONS)) {
            long seq = k.context().log().nextSeq();
            KernelException e = assertThrows(KernelException.class, () -> {
                k.insmod(ko.file(), ko.bytes(), params);
                for (Op op : args.ops()) {
                    if (op.op().equals("read")) {
                        k.read(op.path());
                    } else {
                        k.write(op.path(), op.data());
                    }
                }
            }, where + "insmod or one of the reads and writes after it must not return");
            assertTrue(e.killed(), where + "insmod: " + e.getMessage());
            assertEquals(golden.get("panic").asBoolean(), e.panicked(), where + "kernel panic");
            if (e.panicked()) {
                assertEquals(golden.get("panic_msg").asText(), e.getMessage().replace("the kernel panicked: ", ""),
                        where + "panic message");
            }
            List<Line> got = new ArrayList<>();
            for (Line l : ours(k, seq)) {
                got.add(new Line(-1, l.text()));
            }
            dev.compare(where + "console log", exp, got);
        }
    }

}
