package dev.kmodemu.fuzz;

import dev.kmodemu.kstubs.Finding;
import dev.kmodemu.kstubs.Kernel;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelException;
import dev.kmodemu.kstubs.KernelFile;
import dev.kmodemu.kstubs.fs.CharDev;
import dev.kmodemu.kstubs.kernel.Params;
import dev.kmodemu.kstubs.module.Module;
import dev.kmodemu.kstubs.printk.Dmesg;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Runs inputs on one kernel: boots it, loads the module and snapshots the kernel where every
 * execution starts (before the module's parameters and init when they are fuzzed, else with the
 * module loaded), then for each input: decodes it, runs it with edge coverage of the module's code
 * recorded, collects what went wrong, and restores the snapshot. A kernel left unusable (a failed
 * restore) is booted again. One per thread.
 */
final class Executor implements AutoCloseable {
    /** Virtual time let pass once the module is gone: its timers and work that outlived it run. */
    static final Duration AFTERLIFE = Duration.ofSeconds(61);

    private final FuzzConfig config;
    private final Arena arena = Arena.ofShared();
    private MemorySegment map;
    private Kernel kernel;
    private Kernel.PreparedModule prepared;
    private Kernel.Snapshot snapshot;
    private Program.Layout layout;
    private Set<String> baseline;
    private int baselineSize;
    private String baseDevices;
    private int baseRegions;
    private List<String> fixedFiles;
    private int findingsAtSnapshot;
    private long logSeqAtSnapshot;
    private long coverBase;
    private long coverLen;
    private byte[] textImage;
    private BiConsumer<byte[], byte[]> comparisons;
    private long execs;
    private long rebuilds;

    /** Sets up the kernel; throws {@link FuzzSetupException} with insmod's words if the module does not load. */
    Executor(FuzzConfig config) {
        this.config = config;
        setUp();
    }

    private void setUp() {
        kernel = Kernel.boot(Kernel.Options.defaults().withCallBudget(Duration.ZERO)
                .withBlockBudget(config.maxBlocks()));
        try {
            String name = config.moduleName();
            KernelContext k = kernel.context();
            Module m;
            if (config.fuzzesInit()) {
                prepared = kernel.prepareInsmod(config.moduleFile(), config.image());
                m = prepared.module();
                baseline = new HashSet<>(k.vfs().paths());
            } else {
                baseline = new HashSet<>(k.vfs().paths());
                baseDevices = CharDev.of(k).procDevices();
                baseRegions = CharDev.of(k).regions();
                kernel.insmod(config.moduleFile(), config.image(), config.fixedParams());
                m = kernel.modules().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
            }
            if (config.fuzzesInit()) {
                baseDevices = CharDev.of(k).procDevices();
                baseRegions = CharDev.of(k).regions();
            }
            List<Params.Declared> params = new ArrayList<>();
            Set<String> fixed = fixedNames(config.fixedParams());
            for (Params.Declared p : m.declaredParameters(k)) {
                if (!fixed.contains(p.name())) {
                    params.add(p);
                }
            }
            layout = new Program.Layout(config.targets(), params);
            long core = m.coreBase();
            long init = m.initBase();
            long lo = init == 0 ? core : Math.min(core, init);
            long hi = init == 0 ? core + m.coreSize() : Math.max(core + m.coreSize(), init + m.initSize());
            coverBase = lo;
            coverLen = hi - lo;
            if (map == null) {
                // AFL's map is 64 KiB for any program; a module's code is small: four bytes per byte of
                // code keeps collisions rare and the per-run scan short
                long text = m.coreTextSize() + m.initTextSize();
                long size = Long.highestOneBit(Math.max(4096, Math.min(1 << 16, text * 4)) * 2 - 1);
                map = arena.allocate(size, 64);
            }
            kernel.context().machine().cpu().coverage(coverBase, coverLen, map);
            textImage = kernel.context().mem().peek(lo, (int) coverLen);
            fixedFiles = config.fuzzesInit() ? null : files();
            if (!config.fuzzesInit()) {
                // leftovers are what outlives rmmod: compare with the file system before insmod,
                // without the module's own /sys/module entries
                baselineSize = baseline.size();
            } else {
                baselineSize = k.vfs().size();
            }
            snapshot = kernel.snapshot();
            findingsAtSnapshot = kernel.findings().size();
            logSeqAtSnapshot = k.log().nextSeq();
        } catch (KernelException e) {
            kernel.close();
            throw new FuzzSetupException("insmod: ERROR: " + e.getMessage() + firstLog());
        } catch (RuntimeException e) {
            kernel.close();
            throw e;
        }
    }

    private String firstLog() {
        List<String> lines = new ArrayList<>();
        for (var r : kernel.log()) {
            lines.add(r.message());
        }
        return lines.isEmpty() ? "" : "\n" + String.join("\n", lines);
    }

    private static Set<String> fixedNames(String params) {
        Set<String> out = new HashSet<>();
        for (String p : params.trim().split("\\s+")) {
            int eq = p.indexOf('=');
            if (!p.isEmpty()) {
                out.add(eq < 0 ? p : p.substring(0, eq));
            }
        }
        return out;
    }

    /** The coverage map the last execution filled. */
    MemorySegment map() {
        return map;
    }

    /** How inputs decode here. */
    Program.Layout layout() {
        return layout;
    }

    /** The module's code and data as loaded (for the dictionary): address, then bytes. */
    long textBase() {
        return coverBase;
    }

    byte[] textImage() {
        return textImage;
    }

    /** Kernels booted again after an execution broke one. */
    long rebuilds() {
        return rebuilds;
    }

    /** Sets the observer of comparisons module code makes (for the dictionary); null for none. */
    void observeComparisons(BiConsumer<byte[], byte[]> o) {
        comparisons = o;
    }

    /** The kernel, for replays that print what happened. */
    Kernel kernel() {
        return kernel;
    }

    /** The module's files operations can reach now, sorted: what appeared since the baseline. */
    private List<String> files() {
        String own = "/sys/module/" + config.moduleName() + "/";
        List<String> out = new ArrayList<>();
        for (String f : kernel.context().vfs().files()) {
            if (baseline.contains(f) || f.startsWith(own) && !f.startsWith(own + "parameters/")) {
                continue;
            }
            if (config.files().isEmpty() || config.files().stream().anyMatch(f::startsWith)) {
                out.add(f);
            }
        }
        return out;
    }

    /**
     * Runs an input with a larger instruction budget: whether a soft lockup is one (code that runs
     * without end) or a long loop the budget cut short.
     */
    Execution runWithBudget(byte[] data, long blocks) {
        var m = kernel.context().machine();
        m.blockBudget(blocks);
        try {
            return run(data);
        } finally {
            m.blockBudget(config.maxBlocks());
        }
    }

    /** Runs one input from the snapshot and restores it afterwards. */
    Execution run(byte[] data) {
        execs++;
        Program p = Program.decode(data, layout);
        map.fill((byte) 0);
        KernelContext k = kernel.context();
        k.machine().cpu().resetCoverageEdge();
        if (config.targets().contains(Target.FAULTS)) {
            byte[] plan = p.faults();
            k.faults().plan((i, point) -> i < plan.length ? plan[i] & 0xff : 0);
        }
        k.comparisons().observe(comparisons);
        Execution.Outcome outcome = Execution.Outcome.OK;
        int initErrno = 0;
        List<String> files = List.of();
        List<Execution.Problem> problems = new ArrayList<>();
        String name = config.moduleName();
        try {
            if (prepared != null) {
                try {
                    String fixed = config.fixedParams().trim();
                    prepared.init(fixed.isEmpty() ? p.args() : p.args().isEmpty() ? fixed : fixed + " " + p.args());
                } catch (KernelException e) {
                    outcome = outcomeOf(e);
                    initErrno = outcome == Execution.Outcome.INIT_FAILED ? e.errno() : 0;
                }
            }
            if (live(name) && (config.targets().contains(Target.FILES) || config.targets().contains(Target.HARNESS))) {
                // one process does the file operations and runs the harness, as a test program would
                List<String> reachable = config.targets().contains(Target.FILES)
                        ? fixedFiles != null ? fixedFiles : files() : List.of();
                files = reachable;
                try {
                    Execution.Outcome o = kernel.process("fuzz", () -> userSpace(p, reachable, problems, name));
                    outcome = worst(outcome, o);
                } catch (KernelException e) {
                    outcome = worst(outcome, outcomeOf(e));
                }
            }
            if (config.rmmod() && !kernel.panicked() && kernel.loaded(name) && live(name)) {
                try {
                    kernel.rmmod(name);
                } catch (KernelException e) {
                    outcome = worst(outcome, outcomeOf(e));
                }
            }
            if (!kernel.panicked() && !kernel.loaded(name)) {
                afterlife(problems);
            }
        } catch (RuntimeException | StackOverflowError e) {
            outcome = Execution.Outcome.EMULATOR_ERROR;
            problems.add(problem("emulator-error", e));
        }
        List<Finding> all = kernel.findings();
        List<Finding> found = all.size() > findingsAtSnapshot ? all.subList(findingsAtSnapshot, all.size()) : List.of();
        if (kernel.panicked()) {
            outcome = Execution.Outcome.PANIC;
        }
        List<String> log = List.of(Dmesg.format(k.log().since(logSeqAtSnapshot), false).split("\n"));
        Execution result = new Execution(p, files, outcome, initErrno, found, problems, log, k.faults().injected());
        restore();
        return result;
    }

    /** What the user-space side of an execution does, in one process: file operations, then the harness. */
    private Execution.Outcome userSpace(Program p, List<String> files, List<Execution.Problem> problems, String name) {
        Execution.Outcome outcome = Execution.Outcome.OK;
        for (Program.Op op : p.ops()) {
            if (!live(name)) {
                break;
            }
            outcome = worst(outcome, runOp(op, files));
        }
        if (config.targets().contains(Target.HARNESS) && !kernel.panicked()) {
            try {
                config.harness().run(kernel, new FuzzInput(p.harness()));
            } catch (KernelException e) {
                if (e.killed() || e.panicked()) {
                    throw e;
                }
            } catch (Exception | AssertionError e) {
                problems.add(problem("harness", e));
            }
        }
        return outcome;
    }

    private boolean live(String name) {
        if (kernel.panicked()) {
            return false;
        }
        for (Module m : kernel.modules()) {
            if (m.name().equals(name)) {
                return m.state() == Module.State.LIVE;
            }
        }
        return false;
    }

    private void restore() {
        try {
            snapshot.restore();
        } catch (RuntimeException e) {
            // The kernel is beyond restoring (a Java error left it inside a call): start over.
            rebuilds++;
            kernel.close();
            prepared = null;
            setUp();
        }
    }

    private static Execution.Outcome outcomeOf(KernelException e) {
        if (e.panicked()) {
            return Execution.Outcome.PANIC;
        }
        if (e.killed()) {
            return Execution.Outcome.KILLED;
        }
        return Execution.Outcome.INIT_FAILED;
    }

    private static Execution.Outcome worst(Execution.Outcome a, Execution.Outcome b) {
        if (b == Execution.Outcome.INIT_FAILED) {
            return a;
        }
        return b.ordinal() > a.ordinal() ? b : a;
    }

    /** One operation on a file; failures of the calls are outcomes, not errors. */
    private Execution.Outcome runOp(Program.Op op, List<String> files) {
        if (files.isEmpty()) {
            return Execution.Outcome.OK;
        }
        String path = files.get(op.file() % files.size());
        int flags = switch (op) {
            case Program.Write w -> KernelFile.O_WRONLY;
            case Program.Read r -> KernelFile.O_RDONLY;
            default -> KernelFile.O_RDWR;
        };
        KernelFile f;
        try {
            f = kernel.open(path, flags);
        } catch (KernelException e) {
            return e.killed() || e.panicked() ? outcomeOf(e) : Execution.Outcome.OK;
        }
        try {
            switch (op) {
                case Program.Write w -> f.write(w.data());
                case Program.Read r -> {
                    int left = r.size();
                    while (left > 0) {
                        byte[] b = f.read(left);
                        if (b.length == 0) {
                            break;
                        }
                        left -= b.length;
                    }
                }
                case Program.Ioctl i -> {
                    if (i.buffer() != null) {
                        f.ioctl(Integer.toUnsignedLong(i.cmd()), i.buffer());
                    } else {
                        f.ioctl(Integer.toUnsignedLong(i.cmd()), i.arg());
                    }
                }
                case Program.WriteRead wr -> {
                    f.write(wr.data());
                    f.lseek(0, KernelFile.SEEK_SET);
                    f.read(wr.size());
                }
            }
        } catch (KernelException e) {
            if (e.killed() || e.panicked()) {
                return outcomeOf(e);
            }
        } finally {
            try {
                f.close();
            } catch (KernelException e) {
                // release failed or oopsed: the kernel's report is the finding
            }
        }
        return Execution.Outcome.OK;
    }

    /**
     * The module is gone (init failed or rmmod ran): what it registered and did not take back is a
     * leftover; time passes so that its timers and work run into the freed module; leftover files
     * are opened, as a process reading them would.
     */
    private void afterlife(List<Execution.Problem> problems) {
        try {
            kernel.advance(AFTERLIFE);
        } catch (KernelException e) {
            return; // panicked: the report is a finding
        }
        String own = "/sys/module/" + config.moduleName();
        List<String> leftover = new ArrayList<>();
        KernelContext k = kernel.context();
        if (k.vfs().size() != baselineSize) {
            for (String path : k.vfs().paths()) {
                if (!baseline.contains(path) && !path.equals(own) && !path.startsWith(own + "/")) {
                    leftover.add(path);
                }
            }
        }
        // one problem per run: what the module left behind, named by the top paths of each subtree
        List<String> roots = new ArrayList<>();
        for (String path : leftover) {
            String parent = path.substring(0, Math.max(1, path.lastIndexOf('/')));
            if (!leftover.contains(parent)) {
                roots.add(path);
            }
        }
        CharDev cd = CharDev.of(k);
        if (cd.regions() != baseRegions) {
            Set<String> old = Set.of(baseDevices.split("\n"));
            for (String line : cd.procDevices().split("\n")) {
                if (!old.contains(line)) {
                    roots.add("/proc/devices: " + line.trim());
                }
            }
        }
        if (!roots.isEmpty()) {
            // deduplicated by where things were left (names may come from the input)
            java.util.TreeSet<String> where = new java.util.TreeSet<>();
            for (String r : roots) {
                where.add(r.startsWith("/proc/devices: ") ? "/proc/devices" : r.substring(0, r.lastIndexOf('/') + 1) + "*");
            }
            List<String> detail = new ArrayList<>(leftover);
            detail.removeAll(roots);
            problems.add(new Execution.Problem("leftover", "module " + config.moduleName() + " left behind "
                    + String.join(", ", roots), String.join(", ", where), detail));
        }
        for (String path : leftover) {
            if (kernel.panicked()) {
                break;
            }
            if ((path.startsWith("/proc/") || path.startsWith("/dev/")) && k.vfs().files().contains(path)) {
                try {
                    kernel.readBytes(path);
                } catch (KernelException e) {
                    // an oops here is the proof of the leftover: its report is a finding
                }
            }
        }
    }

    private static Execution.Problem problem(String type, Throwable e) {
        List<String> detail = new ArrayList<>();
        detail.add(e.toString());
        String where = e.getClass().getName();
        StackTraceElement[] st = e.getStackTrace();
        for (int i = 0; i < Math.min(st.length, 12); i++) {
            detail.add("    at " + st[i]);
        }
        if (st.length > 0) {
            where += " at " + st[0].getClassName() + "." + st[0].getMethodName();
        }
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new Execution.Problem(type, msg.lines().findFirst().orElse(msg), where, detail);
    }

    /** Executions so far. */
    long execs() {
        return execs;
    }

    @Override
    public void close() {
        if (kernel != null) {
            kernel.close();
        }
        arena.close();
    }
}
