package dev.kmodemu.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kmodemu.kstubs.Finding;
import dev.kmodemu.kstubs.Kernel;
import dev.kmodemu.kstubs.printk.KernelLog;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** The {@code kmodemu} command. */
@Command(name = "kmodemu", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Runs real Linux x86-64 kernel modules (.ko) on an emulated CPU, without a VM.",
        subcommands = {Main.Run.class, Main.Sh.class, Main.ModinfoCmd.class, Main.ModprobeCmd.class,
            Main.DepmodCmd.class, Main.InsmodCmd.class, Main.TestCmd.class, Bench.class, Sweep.class, Symbols.class,
            Fuzz.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** The module {@code kmodemu run} loads when given none. */
    static final String DEFAULT_MODULE = "hello.ko";

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"kmodemu " + (v == null ? "dev" : v)};
        }
    }

    /** Options shared by run and sh. */
    static class KernelOptions {
        @Option(names = "--json", description = "Print one JSON object: commands with status, stdout, stderr; the log.")
        boolean json;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
                description = "Wall-time budget of each call into module code (default: ${DEFAULT-VALUE}).")
        double timeout;

        @Option(names = "--max-blocks", paramLabel = "N",
                description = "Instruction budget of each call into module code, in executed basic blocks "
                        + "(default: ${DEFAULT-VALUE}).")
        long maxBlocks = Kernel.Options.DEFAULT_BLOCK_BUDGET;

        @Option(names = "--trace", paramLabel = "FILE",
                description = "Write every kernel-symbol call module code makes, strace-like (arguments decoded, "
                        + "return value), to FILE (- for stderr).")
        String trace;

        @Option(names = "--modules", paramLabel = "DIR",
                description = "The directory that plays /lib/modules/RELEASE for modprobe, depmod and modinfo by name.")
        Path modules;

        @Option(names = "--modprobe-config", paramLabel = "FILE",
                description = "A modprobe.d configuration file (repeatable).")
        List<Path> modprobeConfig = new ArrayList<>();

        @Option(names = "--trace-insn", paramLabel = "FILE",
                description = "Write every executed instruction (address, symbol, bytes, disassembly) to FILE "
                        + "(- for stderr).")
        String traceInsn;

        @Option(names = "--trace-function", paramLabel = "NAME",
                description = "Limit --trace to calls of or from NAME, and --trace-insn to NAME's instructions.")
        String traceFunction;

        @Option(names = "--coverage", paramLabel = "FILE",
                description = "Record which source lines of module code run (from the modules' DWARF line tables) "
                        + "and write them to FILE as an lcov tracefile.")
        Path coverage;

        /** With --json: the kernel-symbol calls module code made. */
        final List<dev.kmodemu.kstubs.KernelCall> calls = new ArrayList<>();

        /** Trace files by name: --trace and --trace-insn to the same file share it. */
        private final Map<String, PrintStream> traceOuts = new LinkedHashMap<>();

        Kernel boot() {
            if (maxBlocks <= 0) {
                throw new IllegalArgumentException("--max-blocks must be positive");
            }
            Kernel k = Kernel.boot(Kernel.Options.defaults().withCallBudget(Duration.ofMillis((long) (timeout * 1000)))
                    .withBlockBudget(maxBlocks).withModules(modules == null ? null : modules.toAbsolutePath())
                    .withModprobeConfig(modprobeConfig.stream().map(Path::toAbsolutePath).toList())
                    .withCoverage(coverage != null || json));
            try {
                if (json) {
                    k.recordCalls(calls::add);
                }
                if (trace != null) {
                    k.traceCalls(open(trace)::println, traceFunction);
                }
                if (traceInsn != null) {
                    k.trace(open(traceInsn)::println, traceFunction);
                }
            } catch (IllegalArgumentException e) {
                k.close();
                throw e;
            }
            return k;
        }

        private PrintStream open(String file) {
            if (file.equals("-")) {
                return System.err;
            }
            PrintStream p = traceOuts.get(file);
            if (p == null) {
                try {
                    p = new PrintStream(Files.newOutputStream(Path.of(file)), false, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new IllegalArgumentException("cannot write the trace to " + file + ": " + e.getMessage());
                }
                traceOuts.put(file, p);
            }
            return p;
        }

        void finishTrace() {
            System.err.flush();
            for (PrintStream p : traceOuts.values()) {
                p.close();
            }
        }

        /** Ends a run: trace files closed, the lcov file written, the JSON report printed. */
        void finish(Kernel k, Shell sh) {
            finishTrace();
            if (coverage != null) {
                writeLcov(k.coverage(), coverage);
            }
            if (json) {
                printJson(sh.results(), k.log(), k.findings(), calls, k.coverage());
            }
        }
    }

    @Command(name = "run", description = "Load a module (init), unload it (exit), print the kernel log as dmesg does.")
    static final class Run extends KernelOptions implements Callable<Integer> {
        @Parameters(index = "0", arity = "0..1", paramLabel = "MODULE.ko",
                description = "The module (default: the bundled hello.ko).")
        String module;

        @Parameters(index = "1..*", paramLabel = "name=value", description = "Module parameters.")
        List<String> params = new ArrayList<>();

        @Override
        public Integer call() {
            List<String> p = new ArrayList<>(params);
            String mod = module;
            if (mod != null && mod.contains("=") && !mod.endsWith(".ko")) {
                p.add(0, mod);
                mod = null;
            }
            try (Kernel k = boot()) {
                Shell sh = new Shell(k, Path.of("").toAbsolutePath(), json ? null : Main::printStderr);
                String file = mod;
                if (file == null) {
                    file = DEFAULT_MODULE;
                    sh.bundle(DEFAULT_MODULE, bundledModule("hello"));
                }
                StringBuilder cmd = new StringBuilder("insmod ").append(quote(file));
                for (String x : p) {
                    cmd.append(' ').append(quote(x));
                }
                int status = sh.run(cmd.toString());
                if (status == 0) {
                    String name = moduleNameOf(k, file);
                    status = sh.run("rmmod " + quote(name));
                }
                finish(k, sh);
                if (!json) {
                    System.out.print(dev.kmodemu.kstubs.printk.Dmesg.format(k.log(), false));
                }
                return status;
            }
        }

        private static String moduleNameOf(Kernel k, String file) {
            return k.modules().isEmpty() ? Path.of(file).getFileName().toString().replaceAll("\\.ko$", "")
                    : k.modules().get(0).name();
        }
    }

    @Command(name = "sh", description = "Run a script of commands in one emulated kernel: insmod, rmmod, lsmod, "
            + "modinfo, cat, echo DATA > PATH, dmesg [-c|-r|-C], sleep.")
    static final class Sh extends KernelOptions implements Callable<Integer> {
        @Option(names = "-c", paramLabel = "SCRIPT", description = "Commands to run.")
        String script;

        @Parameters(arity = "0..1", paramLabel = "FILE", description = "A script file.")
        Path file;

        @Override
        public Integer call() throws IOException {
            String text;
            if (script != null) {
                text = script;
            } else if (file != null) {
                try {
                    text = Files.readString(file);
                } catch (NoSuchFileException e) {
                    System.err.println("sh: " + file + ": No such file or directory");
                    return 127;
                }
            } else {
                text = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
            }
            try (Kernel k = boot()) {
                Shell sh = new Shell(k, Path.of("").toAbsolutePath(), json ? null : Main::printBoth,
                        file != null && script == null ? file.toString() : "sh");
                int status = sh.run(text);
                finish(k, sh);
                return status;
            }
        }
    }

    /**
     * A kmod tool run on its own: its command line as in {@code kmodemu sh}, in a fresh kernel,
     * printing what the tool prints (with {@code --json}, the command record and the kernel log).
     */
    static class Tool extends KernelOptions implements Callable<Integer> {
        @CommandLine.Unmatched
        List<String> args = new ArrayList<>();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        /** The tool is the subcommand's name. */
        String tool() {
            return spec.name();
        }

        @Override
        public Integer call() {
            try (Kernel k = boot()) {
                Shell sh = new Shell(k, Path.of("").toAbsolutePath(), json ? null : Main::printBoth, "sh");
                List<String> w = new ArrayList<>();
                w.add(tool());
                w.addAll(args);
                int status = sh.run(w);
                finish(k, sh);
                return status;
            }
        }
    }

    @Command(name = "modinfo", description = "Show information about a module (a file, or a name or alias "
            + "looked up in --modules), as kmod's modinfo does.")
    static final class ModinfoCmd extends Tool {
    }

    @Command(name = "modprobe", description = "Load a module and its dependencies from --modules into a fresh "
            + "kernel, as kmod's modprobe does (all of modprobe's options).")
    static final class ModprobeCmd extends Tool {
    }

    @Command(name = "depmod", description = "Write the module index (modules.dep, .alias, .symbols, the .bin "
            + "indexes) of --modules, or of -b DIR, as kmod's depmod does.")
    static final class DepmodCmd extends Tool {
    }

    @Command(name = "insmod", description = "insmod in a fresh kernel (kmod's options, e.g. -f).")
    static final class InsmodCmd extends Tool {
    }

    @Command(name = "test", description = "Run test scripts (*.ktest: the sh language plus test and expect lines), "
            + "each test in a fresh kernel; print KTAP version 1. Exit status 1 if a test fails.")
    static final class TestCmd implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "DIR|FILE", description = "Test scripts, or directories searched for *.ktest.")
        List<Path> paths = new ArrayList<>();

        @Option(names = "--junit-xml", paramLabel = "FILE", description = "Also write the results as JUnit XML.")
        Path junitXml;

        @Option(names = "--coverage", paramLabel = "FILE",
                description = "Write the source coverage of module code over all tests as an lcov tracefile.")
        Path coverage;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
                description = "Wall-time budget of each call into module code (default: ${DEFAULT-VALUE}).")
        double timeout;

        @Option(names = "--max-blocks", paramLabel = "N",
                description = "Instruction budget of each call into module code, in executed blocks.")
        long maxBlocks = Kernel.Options.DEFAULT_BLOCK_BUDGET;

        @Option(names = "--test-timeout", paramLabel = "SECONDS", defaultValue = "60",
                description = "Wall time a test may take (default: ${DEFAULT-VALUE}).")
        double testTimeout;

        @Option(names = "--virtual-timeout", paramLabel = "SECONDS", defaultValue = "600",
                description = "Virtual time a test may let pass (default: ${DEFAULT-VALUE}).")
        double virtualTimeout;

        @Option(names = {"-j", "--jobs"}, paramLabel = "N",
                description = "Tests run at once, each in its own kernel (default: the number of CPUs).")
        int jobs = Runtime.getRuntime().availableProcessors();

        @Override
        public Integer call() throws IOException {
            if (timeout <= 0 || testTimeout <= 0 || virtualTimeout <= 0 || maxBlocks <= 0 || jobs <= 0) {
                System.err.println("kmodemu test: --timeout, --test-timeout, --virtual-timeout, --max-blocks and --jobs "
                        + "must be positive");
                return 2;
            }
            List<Path> files = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (Path p : paths) {
                if (Files.isDirectory(p)) {
                    List<Path> found;
                    try (var w = Files.walk(p)) {
                        found = w.filter(f -> f.toString().endsWith(".ktest") && Files.isRegularFile(f)).sorted().toList();
                    }
                    if (found.isEmpty()) {
                        System.err.println("kmodemu test: " + p + ": no *.ktest files");
                        return 2;
                    }
                    for (Path f : found) {
                        files.add(f);
                        names.add(f.toString());
                    }
                } else if (Files.exists(p)) {
                    files.add(p);
                    names.add(p.toString());
                } else {
                    System.err.println("kmodemu test: " + p + ": No such file or directory");
                    return 2;
                }
            }
            Kernel.Options ko = Kernel.Options.defaults().withCallBudget(Duration.ofMillis((long) (timeout * 1000)))
                    .withBlockBudget(maxBlocks);
            dev.kmodemu.kstubs.Coverage cov = coverage == null ? null : new dev.kmodemu.kstubs.Coverage();
            TestRunner r = new TestRunner(new TestRunner.Options(ko, Duration.ofMillis((long) (testTimeout * 1000)),
                    Duration.ofMillis((long) (virtualTimeout * 1000)), jobs), cov);
            List<TestRunner.Suite> suites = r.run(files, names);
            int pass = 0;
            int fail = 0;
            for (TestRunner.Suite s : suites) {
                if (s.error() != null) {
                    System.err.println("kmodemu test: " + s.error());
                    fail++;
                }
                for (TestRunner.Outcome o : s.cases()) {
                    if (o.ok()) {
                        pass++;
                    } else {
                        fail++;
                    }
                }
            }
            System.out.print(TestRunner.ktap(suites));
            System.out.println("# Totals: pass:" + pass + " fail:" + fail + " skip:0");
            System.out.flush();
            if (junitXml != null) {
                try {
                    Files.writeString(junitXml, TestRunner.junitXml(suites), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    System.err.println("kmodemu test: cannot write " + junitXml + ": " + e.getMessage());
                    return 2;
                }
            }
            if (cov != null) {
                writeLcov(cov, coverage);
            }
            return fail == 0 ? 0 : 1;
        }
    }

    /** A module of a bundled test module directory that builds several. */
    static byte[] bundledModule(String dir, String name) {
        String res = "testmods/" + dir + "/" + name + ".ko";
        try (InputStream in = Main.class.getClassLoader().getResourceAsStream(res)) {
            if (in == null) {
                throw new IllegalStateException("the bundled " + name + ".ko is missing from this build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] bundledModule(String name) {
        return bundledModule(name, name);
    }

    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static void printStderr(CommandResult r) {
        System.err.print(r.stderr());
    }

    private static void printBoth(CommandResult r) {
        System.out.print(r.stdout());
        System.out.flush();
        System.err.print(r.stderr());
    }

    /** Writes an lcov tracefile; a file that cannot be written is a clean error. */
    static void writeLcov(dev.kmodemu.kstubs.Coverage c, Path file) {
        try {
            c.writeLcov(file, "kmodemu");
        } catch (IOException e) {
            throw new IllegalArgumentException("--coverage: cannot write " + file + ": " + e.getMessage());
        }
    }

    static void printJson(List<CommandResult> commands, List<KernelLog.Record> log, List<Finding> findings,
            List<dev.kmodemu.kstubs.KernelCall> calls, dev.kmodemu.kstubs.Coverage coverage) {
        Map<String, Object> root = new LinkedHashMap<>();
        List<Map<String, Object>> cmds = new ArrayList<>();
        for (CommandResult c : commands) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("command", c.command());
            m.put("status", c.status());
            m.put("stdout", c.stdout());
            m.put("stderr", c.stderr());
            cmds.add(m);
        }
        root.put("commands", cmds);
        List<Map<String, Object>> lines = new ArrayList<>();
        for (KernelLog.Record r : log) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("level", r.level());
            m.put("time", r.timeNanos() / 1e9);
            m.put("module", r.module());
            m.put("text", r.message());
            lines.add(m);
        }
        root.put("log", lines);
        List<Map<String, Object>> fs = new ArrayList<>();
        for (Finding f : findings) {
            fs.add(findingJson(f));
        }
        root.put("findings", fs);
        List<Map<String, Object>> cs = new ArrayList<>();
        for (dev.kmodemu.kstubs.KernelCall c : calls) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("symbol", c.symbol());
            m.put("args", c.args());
            m.put("result", c.result());
            m.put("caller", c.caller());
            cs.add(m);
        }
        root.put("calls", cs);
        root.put("coverage", coverageJson(coverage));
        try {
            ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            System.out.println(om.writeValueAsString(root));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The "coverage" object of --json: totals, then per source file, with the lines not run. */
    static Map<String, Object> coverageJson(dev.kmodemu.kstubs.Coverage c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lines_found", c.linesFound());
        m.put("lines_hit", c.linesHit());
        m.put("functions_found", c.functionsFound());
        m.put("functions_hit", c.functionsHit());
        List<Map<String, Object>> files = new ArrayList<>();
        for (dev.kmodemu.kstubs.Coverage.FileCoverage f : c.files()) {
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("file", f.path());
            fm.put("lines_found", f.linesFound());
            fm.put("lines_hit", f.linesHit());
            fm.put("functions_found", f.functionsFound());
            fm.put("functions_hit", f.functionsHit());
            fm.put("lines_not_run", f.lines().entrySet().stream().filter(e -> e.getValue() == 0).map(Map.Entry::getKey)
                    .toList());
            fm.put("functions_not_run", f.functions().stream().filter(fn -> fn.count() == 0)
                    .map(dev.kmodemu.kstubs.Coverage.Function::name).toList());
            files.add(fm);
        }
        m.put("files", files);
        m.put("without_line_table", c.modulesWithoutLines());
        return m;
    }

    /** A {@link Finding} as the "findings" array of --json lists it (addresses as hex strings). */
    static Map<String, Object> findingJson(Finding f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", f.type().name().toLowerCase(java.util.Locale.ROOT));
        m.put("title", f.title());
        m.put("module", f.module());
        m.put("ip", f.ip() == 0 ? null : hex(f.ip()));
        m.put("symbol", f.symbol());
        m.put("location", f.location());
        m.put("address", f.address() == null ? null : hex(f.address()));
        m.put("access", f.access());
        m.put("pid", f.pid());
        m.put("comm", f.comm());
        m.put("fatal", f.fatal());
        List<Map<String, Object>> trace = new ArrayList<>();
        for (Finding.Frame fr : f.trace()) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("address", hex(fr.address()));
            t.put("symbol", fr.symbol());
            t.put("module", fr.module());
            t.put("reliable", fr.reliable());
            trace.add(t);
        }
        m.put("trace", trace);
        m.put("log", f.log());
        return m;
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    public static void main(String[] args) {
        System.exit(execute(args, System.out, System.err));
    }

    /** Runs the command line; never throws: internal failures become one line on stderr. */
    static int execute(String[] args, PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, line, parse) -> {
            if (System.getenv("KMODEMU_DEBUG") != null) {
                ex.printStackTrace(err);
            }
            err.println(describe(ex));
            return 70;
        });
        return cl.execute(args);
    }

    static String describe(Throwable ex) {
        if (ex instanceof UnsatisfiedLinkError u) {
            String m = u.getMessage();
            return m != null && m.startsWith("kmodemu:") ? m : "kmodemu: cannot load a native library: " + m;
        }
        if (ex instanceof dev.kmodemu.kstubs.KernelException ke) {
            return "kmodemu: " + ke.getMessage();
        }
        if (ex instanceof IllegalArgumentException && ex.getMessage() != null
                && (ex.getMessage().startsWith("cannot write the trace") || ex.getMessage().startsWith("--"))) {
            return "kmodemu: " + ex.getMessage();
        }
        if (ex instanceof OutOfMemoryError) {
            return "kmodemu: out of memory: " + ex.getMessage();
        }
        String m = ex.getMessage();
        return "kmodemu: internal error: " + ex.getClass().getSimpleName() + (m == null ? "" : ": " + m)
                + " (set KMODEMU_DEBUG=1 for a Java stack trace)";
    }
}
