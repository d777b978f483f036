package dev.kmodemu.kstubs;


import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.fs.Vfs;
import dev.kmodemu.kstubs.kernel.KernelPanic;
import dev.kmodemu.kstubs.module.Module;
import dev.kmodemu.kstubs.module.Modules;
import dev.kmodemu.kstubs.printk.KernelLog;
import dev.kmodemu.kstubs.sched.Tasks;
import dev.kmodemu.loader.LoadInfo;
import dev.kmodemu.loader.kmod.ModuleIndex;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * An emulated Linux 6.1 x86-64 kernel that loads and runs real modules: the Java API.
 *
 * <pre>{@code
 * try (Kernel k = Kernel.boot()) {
 *     k.insmod(Path.of("hello.ko"), "count=2");
 *     k.rmmod("hello");
 *     System.out.print(k.dmesg());
 * }
 * }</pre>
 *
 * Each call acts like one process entering the kernel (its own pid and {@code current}).
 * Failures throw {@link KernelException} with kmod's wording. Not thread-safe.
 */
public final class Kernel implements AutoCloseable {
    /**
     * Boot options.
     *
     * @param ramBytes guest RAM
     * @param callBudget wall time each call into module code may take
     * @param blockBudget translation blocks (straight-line runs of a few instructions; a tight
     *        loop is one per iteration) each call into module code may execute
     * @param modules the host directory that plays {@code /lib/modules/<release>} for modprobe,
     *        depmod, modinfo by name and {@code request_module()}; null for none
     * @param modprobeConfig modprobe.d configuration files
     * @param coverage record which source lines of module code run ({@link Kernel#coverage()})
     *
     * Code that exhausts either budget is reported as a soft lockup and its task is killed.
     */
    public record Options(long ramBytes, Duration callBudget, long blockBudget, Path modules,
            List<Path> modprobeConfig, boolean coverage) {
        /** The default instruction budget: a billion blocks, a few seconds of guest code. */
        public static final long DEFAULT_BLOCK_BUDGET = 1_000_000_000L;

        public Options {
            modprobeConfig = List.copyOf(modprobeConfig);
        }

        public static Options defaults() {
            return new Options(1L << 30, Duration.ofSeconds(10), DEFAULT_BLOCK_BUDGET, null, List.of(), false);
        }

        public Options withCallBudget(Duration d) {
            return new Options(ramBytes, d, blockBudget, modules, modprobeConfig, coverage);
        }

        public Options withBlockBudget(long blocks) {
            return new Options(ramBytes, callBudget, blocks, modules, modprobeConfig, coverage);
        }

        /** The directory that plays {@code /lib/modules/<release>}. */
        public Options withModules(Path dir) {
            return new Options(ramBytes, callBudget, blockBudget, dir, modprobeConfig, coverage);
        }

        /**
         * Records which source lines of module code run, from the modules' DWARF line tables
         * ({@link Kernel#coverage()}); costs a few nanoseconds per executed block of module code.
         */
        public Options withCoverage(boolean on) {
            return new Options(ramBytes, callBudget, blockBudget, modules, modprobeConfig, on);
        }

        /** modprobe.d files (as {@code modprobe -C} reads them). */
        public Options withModprobeConfig(List<Path> files) {
            return new Options(ramBytes, callBudget, blockBudget, modules, files, coverage);
        }
    }

    private final Machine machine;
    private final KernelContext k;
    private KernelPanic panic;

    private Kernel(Options o) {
        machine = new Machine(o.ramBytes());
        try {
            machine.budget(o.callBudget().toNanos());
            machine.blockBudget(o.blockBudget());
            k = new KernelContext(machine, StubClasses.ALL);
            k.modprobe(new dev.kmodemu.kstubs.module.Modprobe(k, o.modules(), o.modprobeConfig()));
            if (o.coverage()) {
                k.modules().startCoverage();
            }
        } catch (RuntimeException | Error e) {
            machine.close();
            throw e;
        }
    }

    /**
     * Boots a kernel with 1 GiB of RAM and budgets of 10 s and a billion translation blocks per
     * call into module code.
     */
    public static Kernel boot() {
        return new Kernel(Options.defaults());
    }

    public static Kernel boot(Options options) {
        return new Kernel(options);
    }

    /** The kernel internals, for stubs and advanced tests. */
    public KernelContext context() {
        return k;
    }

    /** True once the kernel panicked; it refuses further work. */
    public boolean panicked() {
        return panic != null;
    }

    private void alive() {
        if (panic != null) {
            throw new KernelException("the kernel panicked: " + panic.getMessage(), Errno.EIO, 0, true);
        }
    }

    private Tasks.Task process;

    /**
     * Runs {@code body} as one process named {@code comm} entering the kernel: every system call
     * it makes through this API (open, read, insmod, ...) shares the process and its pid, as the
     * calls of one shell command do. Nested calls join the running process.
     *
     * @throws KernelException with {@code killed()} if kernel code oopsed in this process
     */
    public <T> T process(String comm, java.util.function.Supplier<T> body) {
        alive();
        if (process != null) {
            return body.get();
        }
        Tasks.Task t = k.tasks().spawn(comm);
        process = t;
        try {
            return body.get();
        } catch (KernelPanic p) {
            panic = p;
            throw panicked(p);
        } catch (dev.kmodemu.firmware.GuestFault f) {
            // Kernel code running for this process oopsed: the process dies, the kernel goes on.
            int sig;
            try {
                sig = dev.kmodemu.kstubs.kernel.Oops.report(k, f);
            } catch (KernelPanic p) {
                panic = p;
                throw panicked(p);
            }
            throw killed(sig);
        } catch (Modules.TaskKilled e) {
            throw killed(e.signal());
        } finally {
            process = null;
            k.tasks().exit(t);
            afterSyscall();
        }
    }

    /**
     * Back in user space the CPU is free: the kworker runs the work the call queued and woken
     * kernel threads run until they sleep, as on a real idle system before the next command.
     */
    private void afterSyscall() {
        if (panic != null) {
            return;
        }
        try {
            k.scheduler().runOthers();
        } catch (KernelPanic p) {
            panic = p;
        }
    }

    private static KernelException killed(int signal) {
        return new KernelException(signal == 11 ? "Segmentation fault" : "Killed", 0, signal, false);
    }

    private static KernelException panicked(KernelPanic p) {
        return new KernelException("the kernel panicked: " + p.getMessage(), Errno.EIO, 9, true);
    }

    /** Every symbol kmodemu's kernel image defines and how it is served ({@code kmodemu symbols}). */
    public List<KernelSymbols.Symbol> symbols() {
        return KernelSymbols.of(k);
    }

    /**
     * Every report the kernel logged so far (oopses, WARNs, BUGs, soft lockups, stack overflows,
     * panics), oldest first. They survive {@link #clearLog()} and a panic.
     */
    public List<Finding> findings() {
        return k.findings();
    }

    /**
     * The source coverage of the module code run so far in this kernel (modules still loaded
     * included): lines and functions of the modules' own C files, from their DWARF line tables.
     * Each call returns the same, growing object.
     *
     * @throws IllegalStateException if the kernel was booted without {@link Options#withCoverage}
     */
    public Coverage coverage() {
        Coverage c = k.modules().coverage();
        if (c == null) {
            throw new IllegalStateException("kmodemu: coverage is off; boot with Kernel.Options.withCoverage(true)");
        }
        return c;
    }

    /** True if this kernel records coverage. */
    public boolean coverageOn() {
        return k.modules().coverage() != null;
    }

    private int asProcess(String comm, java.util.function.IntSupplier body) {
        return process(comm, body::getAsInt);
    }

    // ---------------------------------------------------------------- modules

    /**
     * {@code insmod FILE [params...]}: loads a module and runs its init.
     *
     * @throws KernelException with insmod's message if the kernel refuses or init fails
     */
    public void insmod(Path file, String... params) {
        byte[] image;
        try {
            image = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new KernelException("could not load module " + file + ": No such file or directory", Errno.ENOENT,
                    false);
        } catch (IOException e) {
            throw new KernelException("could not load module " + file + ": " + e.getMessage(), Errno.EIO, false);
        }
        insmod(file.toString(), image, String.join(" ", params));
    }

    /** Loads a module image; {@code file} is the name messages use. */
    public void insmod(String file, byte[] image, String params) {
        insmod(file, image, params, false);
    }

    /**
     * Loads a module image; with {@code force}, as {@code insmod -f}: the kernel ignores the
     * module's vermagic and symbol versions ({@code MODULE_INIT_IGNORE_*}) and taints.
     */
    public void insmod(String file, byte[] image, String params, boolean force) {
        int flags = force ? LoadInfo.MODULE_INIT_IGNORE_MODVERSIONS | LoadInfo.MODULE_INIT_IGNORE_VERMAGIC : 0;
        // kmod opens the file and reads its compression magic first (6 bytes).
        int err = image.length < 6 ? -Errno.EINVAL
                : asProcess("insmod", () -> k.modules().load(image, params, file, flags));
        if (err < 0) {
            throw new KernelException("could not insert module " + file + ": " + insmodError(-err), -err, false);
        }
    }

    /** kmod's {@code mod_strerror()}. */
    static String insmodError(int errno) {
        return switch (errno) {
            case Errno.ENOEXEC -> "Invalid module format";
            case Errno.ENOENT -> "Unknown symbol in module";
            case Errno.ESRCH -> "Module has wrong symbol version";
            case Errno.EINVAL -> "Invalid parameters";
            default -> Errno.text(errno);
        };
    }

    /**
     * {@code rmmod NAME}: runs the module's exit and unloads it.
     *
     * @throws KernelException with rmmod's message
     */
    public void rmmod(String name) {
        rmmod(name, false);
    }

    /**
     * {@code rmmod [-f] NAME}, as kmod's rmmod does it: unless forced, it first refuses a module
     * that is not loaded, has holders (listed in /sys/module/NAME/holders order) or a reference
     * count; then {@code delete_module(NAME, O_NONBLOCK [| O_TRUNC])}.
     *
     * @param name a module name, or the path of its .ko file
     */
    public void rmmod(String name, boolean force) {
        String n = name.endsWith(".ko") ? name.substring(name.lastIndexOf('/') + 1, name.length() - 3) : name;
        String mod = n.replace('-', '_');
        if (!force) {
            String sys = "/sys/module/" + mod;
            Vfs.ReadResult state = process("rmmod", () -> k.vfs().read(sys + "/initstate"));
            if (state.errno() != 0) {
                if (k.vfs().isDirectory(sys)) {
                    throw new KernelException("Module " + mod + " is builtin.", Errno.ENOENT, false);
                }
                throw new KernelException("Module " + mod + " is not currently loaded", Errno.ENOENT, false);
            }
            List<String> holders = k.vfs().readdir(sys + "/holders");
            if (!holders.isEmpty()) {
                throw new KernelException("Module " + mod + " is in use by: " + String.join(" ", holders), Errno.EBUSY,
                        false);
            }
            if (Long.parseLong(read(sys + "/refcnt").trim()) > 0) {
                throw new KernelException("Module " + mod + " is in use", Errno.EBUSY, false);
            }
        }
        int err = asProcess("rmmod", () -> k.modules().delete(mod, force));
        if (err < 0) {
            throw new KernelException("could not remove module " + name + ": " + Errno.text(-err), -err, false);
        }
    }

    /**
     * What kmod's {@code lsmod} prints: the modules of /proc/modules, each with its
     * /sys/module/NAME/coresize, refcnt and holders.
     */
    public String lsmod() {
        return process("lsmod", () -> {
            StringBuilder sb = new StringBuilder("Module                  Size  Used by\n");
            for (String line : new String(k.vfs().read("/proc/modules").content(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isEmpty()) {
                    continue;
                }
                String name = line.substring(0, line.indexOf(' '));
                String sys = "/sys/module/" + name;
                Vfs.ReadResult size = k.vfs().read(sys + "/coresize");
                Vfs.ReadResult ref = k.vfs().read(sys + "/refcnt");
                sb.append(String.format("%-19s %8d  %d", name,
                        size.errno() != 0 ? -size.errno() : Long.parseLong(text(size)),
                        ref.errno() != 0 ? -ref.errno() : Integer.parseInt(text(ref))));
                List<String> holders = k.vfs().readdir(sys + "/holders");
                for (int i = 0; i < holders.size(); i++) {
                    sb.append(i == 0 ? ' ' : ',').append(holders.get(i));
                }
                sb.append('\n');
            }
            return sb.toString();
        });
    }

    private static String text(Vfs.ReadResult r) {
        return new String(r.content(), StandardCharsets.UTF_8).trim();
    }

    /** How the last insmod ended: module name, stage reached ({@code INIT} if init ran) and errno. */
    public Modules.LoadOutcome lastLoad() {
        return k.modules().lastLoad();
    }

        // ---------------------------------------------------------------- modprobe, depmod

    /**
     * {@code modprobe NAME [param=value ...]}: loads a module and what it depends on from the
     * module directory (see {@link Options#withModules}), with the configured options.
     *
     * @throws KernelException with modprobe's first error line when it fails
     */
    public void modprobe(String... args) {
        ModuleIndex.ModprobeResult r = modprobe(List.of(args), ModuleIndex.ModprobeOptions.defaults());
        if (r.exitStatus() != 0) {
            String msg = r.stderr().isEmpty() ? "modprobe failed" : r.stderr().getFirst();
            throw new KernelException(msg.startsWith("modprobe: ") ? msg.substring(10) : msg, Errno.ENOENT, false);
        }
    }

    /** One modprobe run with its options, as the shell's {@code modprobe} does it; never throws for failures. */
    public ModuleIndex.ModprobeResult modprobe(List<String> args, ModuleIndex.ModprobeOptions opts) {
        return process("modprobe", () -> k.modprobe().run(args, opts));
    }

    /**
     * A modprobe run over another module directory or configuration ({@code -d}, {@code -S},
     * {@code -C}): {@code dir} is the host directory, {@code dirname} what modprobe calls it.
     */
    public ModuleIndex.ModprobeResult modprobe(List<String> args, ModuleIndex.ModprobeOptions opts, Path dir,
            String dirname, List<Path> config) {
        return process("modprobe", () -> k.modprobe().with(dir, dirname, config).run(args, opts));
    }

    /** The modprobe.d files this kernel was booted with. */
    public List<Path> modprobeConfig() {
        return k.modprobe().configFiles();
    }

    /** The kernel release ({@code uname -r}). */
    public String release() {
        return k.profile().release();
    }

    /** The index modprobe reads (lookups by name or alias), over the module directory. */
    public ModuleIndex moduleIndex() {
        return k.modprobe().index();
    }

    /** The index over another module directory ({@code modinfo -b}, {@code -k}, {@code modprobe -C}). */
    public ModuleIndex moduleIndex(Path dir, String dirname, List<Path> config) {
        return k.modprobe().with(dir, dirname, config).index();
    }

    /** The host file for a module path as modprobe names it in a directory known as {@code dirname}. */
    public Path moduleFile(Path dir, String dirname, String path) {
        return k.modprobe().with(dir, dirname, List.of()).hostFile(path);
    }

    /** The module directory's name in the emulated system, {@code /lib/modules/<release>}. */
    public String moduleDirectoryName() {
        return k.modprobe().dirname();
    }

    /** The host directory playing {@code /lib/modules/<release>}, or null. */
    public Path moduleDirectory() {
        return k.modprobe().directory();
    }

    /** Install and remove commands of modprobe.d run through this: (command, module) → exit status. */
    public void commandRunner(java.util.function.BiFunction<String, String, Integer> runner) {
        k.modprobe().commandRunner(runner);
    }

    /**
     * Trusts a signing key: its X.509 certificate ({@code der}) joins the kernel's secondary
     * trusted keyring, so modules signed with it (by the kernel's {@code scripts/sign-file}) load
     * as signed: no "module verification failed" line, no {@code E} taint. Debian's in-tree
     * modules are trusted from the start (the build's key is in the builtin keyring).
     *
     * @throws IllegalArgumentException if {@code der} is not an X.509 certificate
     */
    public void trustKey(byte[] der) {
        k.modules().trustKey(der);
    }

    /** Loaded modules, most recent first (the order of lsmod and /proc/modules). */
    public List<Module> modules() {
        return k.modules().list();
    }

    /** True if a module of that name is loaded. */
    public boolean loaded(String name) {
        return k.modules().loaded(name);
    }

    // ---------------------------------------------------------------- files

    /**
     * Reads a file of the emulated system ({@code /proc}, {@code /sys}) as {@code cat} does: open,
     * read in 128 KiB chunks until end of file, close.
     *
     * @throws KernelException with the errno text (e.g. "No such file or directory")
     */
    public String read(String path) {
        return new String(readBytes(path), StandardCharsets.UTF_8);
    }

    public byte[] readBytes(String path) {
        Vfs.ReadResult r = process("cat", () -> k.vfs().read(path));
        if (r.errno() != 0) {
            throw new KernelException(path + ": " + Errno.text(r.errno()), r.errno(), false);
        }
        return r.content();
    }

    /**
     * Writes {@code data} to a file in one write(2) on open(O_WRONLY|O_CREAT|O_TRUNC), as
     * {@code printf %s DATA > PATH} does.
     *
     * @return bytes written
     * @throws KernelException with the errno text
     */
    public long write(String path, String data) {
        return write(path, data.getBytes(StandardCharsets.UTF_8));
    }

    public long write(String path, byte[] data) {
        long r = process("sh", () -> k.vfs().write(path, data));
        if (r < 0) {
            throw new KernelException(path + ": " + Errno.text((int) -r), (int) -r, false);
        }
        return r;
    }

    /**
     * {@code open(2)}: a file of the emulated system, kept open across calls until
     * {@link KernelFile#close()}. {@code flags} are {@code O_RDONLY}, {@code O_WRONLY} or
     * {@code O_RDWR} with {@code O_CREAT}, {@code O_TRUNC}, {@code O_APPEND} ({@link KernelFile}).
     *
     * @throws KernelException with the errno (ENOENT, EACCES, EISDIR, or what the file's open returned)
     */
    public KernelFile open(String path, int flags) {
        return process("java", () -> {
            try {
                return new KernelFile(this, path, k.vfs().open(path, flags));
            } catch (Vfs.OpenError e) {
                throw new KernelException(path + ": " + Errno.text(e.errno()), e.errno(), false);
            }
        });
    }

    /** Names in a directory of the emulated file system, sorted. */
    public List<String> list(String dir) {
        return k.vfs().list(dir);
    }

    /** True if {@code path} exists in the emulated file system. */
    public boolean exists(String path) {
        return k.vfs().exists(path);
    }

    // ---------------------------------------------------------------- the log

    /** The kernel log records not cleared. */
    public List<KernelLog.Record> log() {
        return k.log().records();
    }

    /** The kernel log as {@code dmesg} prints it. */
    public String dmesg() {
        return dev.kmodemu.kstubs.printk.Dmesg.format(log(), false);
    }

    /** {@code dmesg -C}. */
    public void clearLog() {
        k.log().clear();
    }

    /**
     * Calls {@code sink} with one line per instruction the CPU executes from now on (module code,
     * thunks, and the {@code hlt} of each Java-implemented function it calls): address, kallsyms
     * name, bytes and AT&amp;T disassembly. {@code null} stops tracing. Slow: a Java call per
     * instruction.
     */
    public void trace(java.util.function.Consumer<String> sink) {
        trace(sink, null);
    }

    /**
     * {@link #trace(java.util.function.Consumer)} limited to the instructions of one function
     * ({@code function} null: all).
     */
    public void trace(java.util.function.Consumer<String> sink, String function) {
        if (sink == null) {
            machine.cpu().trace(null);
            return;
        }
        java.util.Map<Long, String> cache = new java.util.HashMap<>();
        dev.kmodemu.firmware.Kallsyms ks = machine.kallsyms();
        machine.cpu().trace((address, size) -> {
            String line = cache.computeIfAbsent(address, a -> {
                if (function != null) {
                    dev.kmodemu.firmware.Kallsyms.Lookup l = ks.lookup(a);
                    if (l == null || !l.name().equals(function)) {
                        return "";
                    }
                }
                byte[] code = machine.memory().peek(a, Math.max(size, 1));
                var insn = dev.kmodemu.emu.Disassembler.get().decode(code, a);
                StringBuilder hex = new StringBuilder();
                for (byte b : code) {
                    hex.append(String.format("%02x ", b & 0xff));
                }
                return String.format("%016x %-40s %-24s %s", a, ks.symbolize(a, true), hex.toString().trim(),
                        insn == null ? "(bad)" : insn.toString());
            });
            if (!line.isEmpty()) {
                sink.accept(line);
            }
        });
    }

    /**
     * Calls {@code sink} with one line per kernel-symbol call module code makes from now on,
     * strace-like: the symbol, its arguments decoded and its return value
     * ({@code kmalloc_trace(kmalloc-64, GFP_KERNEL, 40) = 0xffff888001000000}). With
     * {@code function}, only calls of that symbol or made from that function's code. {@code null}
     * sink stops tracing.
     */
    public void traceCalls(java.util.function.Consumer<String> sink, String function) {
        traceSink = sink;
        traceFunction = function;
        machine.callTracer(sink == null && callSink == null ? null : new CallTrace(k, sink, callSink, function));
    }

    private java.util.function.Consumer<String> traceSink;
    private String traceFunction;
    private java.util.function.Consumer<KernelCall> callSink;

    /**
     * Calls {@code sink} with every kernel-symbol call module code makes from now on, as a
     * {@link KernelCall} (what {@link #traceCalls} prints, as data); null stops. Independent of
     * {@link #traceCalls}' function filter.
     */
    public void recordCalls(java.util.function.Consumer<KernelCall> sink) {
        callSink = sink;
        traceCalls(traceSink, traceFunction);
    }

    /**
     * An interrupt on line {@code irq} (0-15: the legacy lines of the emulated PC): the handlers
     * modules requested with {@code request_irq()} run in hard-interrupt context, on whatever task
     * is current (the idle task between calls); a disabled line keeps it pending until
     * {@code enable_irq()}. An oops in a handler panics the kernel, as the real one does
     * ("Fatal exception in interrupt").
     *
     * @return true if a handler returned IRQ_HANDLED
     * @throws KernelException with EINVAL for a line the machine does not have
     */
    public boolean raiseIrq(int irq) {
        alive();
        if (!dev.kmodemu.kstubs.kernel.irq.Manage.exists(k, irq)) {
            throw new KernelException("IRQ " + irq + ": " + Errno.text(Errno.EINVAL), Errno.EINVAL, false);
        }
        try {
            return dev.kmodemu.kstubs.kernel.irq.Manage.raise(k, irq);
        } catch (dev.kmodemu.firmware.GuestFault f) {
            dev.kmodemu.kstubs.kernel.Oops.report(k, f, true);
            panic = dev.kmodemu.kstubs.kernel.Panic.panic(k, "Fatal exception in interrupt");
        } catch (KernelPanic p) {
            panic = p;
        }
        throw new KernelException("the kernel panicked: " + panic.getMessage(), Errno.EIO, true);
    }

    /**
     * Stops the module code running now, from another thread (a test runner's timeout): the
     * call ends as if its budget ran out (a soft lockup report, its process killed). Code that
     * does not run at the moment is stopped as soon as it starts.
     */
    public void interrupt() {
        machine.interrupt();
    }

    /** The virtual time since boot, as {@code CLOCK_MONOTONIC} (and printk timestamps) count it. */
    public Duration uptime() {
        return Duration.ofNanos(k.clock().nanos());
    }

    /** Lets virtual time pass (jiffies and printk timestamps advance). */
    public void advance(Duration d) {
        alive();
        try {
            k.scheduler().advanceTo(k.clock().nanos() + d.toNanos());
        } catch (KernelPanic p) {
            panic = p;
            throw new KernelException("the kernel panicked: " + p.getMessage(), Errno.EIO, true);
        }
    }

    // ---------------------------------------------------------------- snapshots

    /** Classes whose instances never change once created: snapshots treat them as values. */
    private static final java.util.Set<Class<?>> IMMUTABLE = java.util.Set.of(
            dev.kmodemu.firmware.Profile.class, LoadInfo.class, dev.kmodemu.loader.ElfFile.class,
            dev.kmodemu.loader.ModuleImage.class, dev.kmodemu.loader.Layout.class, ModuleIndex.class);

    @dev.kmodemu.emu.StateSnapshot.Exclude("which snapshot is current: outside the kernel's state")
    private Snapshot current;

    /**
     * Saves the whole state of this kernel, to come back to it with {@link Snapshot#restore()} as
     * often as wanted: the CPU registers, guest memory (restored page by page: only the pages
     * written since are copied back), and every Java-side object of the kernel (log, findings,
     * clock, tasks, allocators, modules, files, devices, timers, work; see
     * {@link dev.kmodemu.emu.StateSnapshot}). A restored kernel is indistinguishable from the one
     * snapshotted. Taking a snapshot makes the previous one unusable.
     *
     * <p>Kernel threads keep part of their state on their Java thread's stack: a snapshot is refused
     * while one is alive (started and not exited). Kernel threads started after the snapshot are
     * ended when it is restored.
     *
     * @throws IllegalStateException inside a call into the kernel, with a kernel thread alive, or
     *         after a panic
     */
    public Snapshot snapshot() {
        alive();
        if (process != null || machine.depth() != 0) {
            throw new IllegalStateException("kmodemu: cannot snapshot the kernel inside a call into it");
        }
        List<dev.kmodemu.kstubs.sched.Scheduler.Ctx> threads = k.scheduler().snapshotThreads();
        current = new Snapshot(dev.kmodemu.emu.StateSnapshot.capture(IMMUTABLE, this), threads);
        return current;
    }

    /**
     * The kernel's state graph as canonical text (see {@link dev.kmodemu.emu.StateSnapshot#digest}):
     * equal digests, equal kernels (guest memory aside). For tests of snapshots.
     */
    public String stateDigest() {
        return dev.kmodemu.emu.StateSnapshot.digest(IMMUTABLE, this);
    }

    /** A saved state of a {@link Kernel}; see {@link Kernel#snapshot()}. */
    public final class Snapshot {
        private final dev.kmodemu.emu.StateSnapshot state;
        private final List<dev.kmodemu.kstubs.sched.Scheduler.Ctx> threads;

        private Snapshot(dev.kmodemu.emu.StateSnapshot state, List<dev.kmodemu.kstubs.sched.Scheduler.Ctx> threads) {
            this.state = state;
            this.threads = threads;
        }

        /**
         * Brings the kernel back to this snapshot, whatever happened since (a panic included).
         *
         * @throws IllegalStateException if a later snapshot replaced this one, or from inside a call
         */
        public void restore() {
            if (current != this) {
                throw new IllegalStateException("kmodemu: this snapshot was replaced by a later one");
            }
            if (process != null || machine.depth() != 0) {
                throw new IllegalStateException("kmodemu: cannot restore a snapshot inside a call into the kernel");
            }
            k.scheduler().killThreadsExcept(threads);
            state.restore();
        }

        /** Objects and saved cells of the snapshot (what a restore walks). */
        public int[] size() {
            return new int[] {state.objects(), state.cells()};
        }

        /** Pages of guest memory written since the snapshot or its last restore. */
        public int dirtyPages() {
            return machine.dirtyPages();
        }

        /** Saved cells by class and field (for finding what restores cost). */
        public java.util.Map<String, Integer> cellCounts() {
            return state.cellCounts();
        }
    }

    // ---------------------------------------------------------------- module init in two steps

    /**
     * A module loaded, relocated and linked but whose parameters and init have not run: the state
     * {@code load_module()} is in just before {@code parse_args()}. See {@link #prepareInsmod}.
     */
    public final class PreparedModule {
        private final Module module;

        private PreparedModule(Module module) {
            this.module = module;
        }

        /** The module's name. */
        public String name() {
            return module.name();
        }

        /** The module (state COMING until {@link #init} ran). */
        public Module module() {
            return module;
        }

        /**
         * The rest of insmod: parameters, sysfs, init, as one process named insmod.
         *
         * @throws KernelException with insmod's message, as {@link Kernel#insmod}
         */
        public void init(String params) {
            int err = asProcess("insmod", () -> k.modules().finishLoad(module, params));
            if (err < 0) {
                throw new KernelException("could not insert module " + module.path() + ": " + insmodError(-err), -err,
                        false);
            }
        }
    }

    /**
     * The first half of insmod: the module is loaded and linked and stops before its parameters
     * are parsed; {@link PreparedModule#init} runs the rest. With a {@link #snapshot()} taken in
     * between, init runs again and again from the same state (what {@code kmodemu fuzz} does).
     *
     * @throws KernelException with insmod's message if loading fails
     */
    public PreparedModule prepareInsmod(String file, byte[] image) {
        Module m = image.length < 6 ? null : process("insmod", () -> k.modules().prepare(image, file, 0));
        if (m == null) {
            int err = image.length < 6 ? -Errno.EINVAL : lastLoad().errno();
            throw new KernelException("could not insert module " + file + ": " + insmodError(-err), -err, false);
        }
        return new PreparedModule(m);
    }

    @Override
    public void close() {
        k.scheduler().shutdown();
        machine.close();
    }
}
