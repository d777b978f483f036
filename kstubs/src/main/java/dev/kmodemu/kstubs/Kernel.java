package dev.kmodemu.kstubs;

import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.fs.Vfs;
import dev.kmodemu.kstubs.kernel.KernelPanic;
import dev.kmodemu.kstubs.module.Module;
import dev.kmodemu.kstubs.module.Modules;
import dev.kmodemu.kstubs.printk.KernelLog;
import dev.kmodemu.kstubs.sched.Tasks;

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
    /** Boot options. */
    public record Options(long ramBytes, Duration callBudget) {
        public static Options defaults() {
            return new Options(1L << 30, Duration.ofSeconds(10));
        }

        public Options withCallBudget(Duration d) {
            return new Options(ramBytes, d);
        }
    }

    private final Machine machine;
    private final KernelContext k;
    private KernelPanic panic;

    private Kernel(Options o) {
        machine = new Machine(o.ramBytes());
        try {
            machine.budget(o.callBudget().toNanos());
            k = new KernelContext(machine, StubClasses.ALL);
        } catch (RuntimeException | Error e) {
            machine.close();
            throw e;
        }
    }

    /** Boots a kernel with 1 GiB of RAM and a 10 s budget per call into module code. */
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
            throw new KernelException("the kernel panicked: " + panic.getMessage(), Errno.EIO, false);
        }
    }

    /** Runs {@code body} as a process named {@code comm}; returns its result. */
    private int asProcess(String comm, java.util.function.IntSupplier body) {
        alive();
        Tasks.Task t = k.tasks().spawn(comm);
        try {
            return body.getAsInt();
        } catch (KernelPanic p) {
            panic = p;
            throw new KernelException("the kernel panicked: " + p.getMessage(), Errno.EIO, true);
        } finally {
            k.tasks().exit(t);
        }
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
        int err;
        try {
            // kmod opens the file and reads its compression magic first (6 bytes).
            err = image.length < 6 ? -Errno.EINVAL
                    : asProcess("insmod", () -> k.modules().load(image, params, file));
        } catch (Modules.TaskKilled e) {
            throw new KernelException("Killed", 0, true);
        }
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

    /** {@code rmmod [-f] NAME}. */
    public void rmmod(String name, boolean force) {
        String n = name.endsWith(".ko") ? name.substring(name.lastIndexOf('/') + 1, name.length() - 3) : name;
        n = n.replace('-', '_');
        Module m = k.modules().find(n);
        if (m == null || m.state() == Module.State.UNFORMED) {
            throw new KernelException("Module " + n + " is not currently loaded", Errno.ENOENT, false);
        }
        if (!force && m.refcount() > 0) {
            List<String> holders = m.holders();
            throw new KernelException(holders.isEmpty() ? "Module " + n + " is in use"
                    : "Module " + n + " is in use by: " + String.join(" ", holders), Errno.EBUSY, false);
        }
        String target = n;
        int err;
        try {
            err = asProcess("rmmod", () -> k.modules().delete(target, force));
        } catch (Modules.TaskKilled e) {
            throw new KernelException("Killed", 0, true);
        }
        if (err < 0) {
            throw new KernelException("could not remove module " + n + ": " + Errno.text(-err), -err, false);
        }
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
     * Reads a file of the emulated system ({@code /proc}, {@code /sys}) as {@code cat} does.
     *
     * @throws KernelException with the errno text (e.g. "No such file or directory")
     */
    public String read(String path) {
        return new String(readBytes(path), StandardCharsets.UTF_8);
    }

    public byte[] readBytes(String path) {
        alive();
        Vfs.ReadResult[] r = new Vfs.ReadResult[1];
        try {
            asProcess("cat", () -> {
                r[0] = k.vfs().read(path);
                return 0;
            });
        } catch (Modules.TaskKilled e) {
            throw new KernelException("Killed", 0, true);
        }
        if (r[0].errno() != 0) {
            throw new KernelException(path + ": " + Errno.text(r[0].errno()), r[0].errno(), false);
        }
        return r[0].content();
    }

    /**
     * Writes {@code data} to a file in one write(2), as {@code printf %s DATA > PATH} does.
     *
     * @return bytes written
     * @throws KernelException with the errno text
     */
    public long write(String path, String data) {
        byte[] b = data.getBytes(StandardCharsets.UTF_8);
        long[] r = new long[1];
        try {
            asProcess("sh", () -> {
                r[0] = k.vfs().write(path, b);
                return 0;
            });
        } catch (Modules.TaskKilled e) {
            throw new KernelException("Killed", 0, true);
        }
        if (r[0] < 0) {
            throw new KernelException(path + ": " + Errno.text((int) -r[0]), (int) -r[0], false);
        }
        return r[0];
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
        if (sink == null) {
            machine.cpu().trace(null);
            return;
        }
        java.util.Map<Long, String> cache = new java.util.HashMap<>();
        machine.cpu().trace((address, size) -> sink.accept(cache.computeIfAbsent(address, a -> {
            byte[] code = machine.memory().peek(a, Math.max(size, 1));
            var insn = dev.kmodemu.emu.Disassembler.get().decode(code, a);
            StringBuilder hex = new StringBuilder();
            for (byte b : code) {
                hex.append(String.format("%02x ", b & 0xff));
            }
            return String.format("%016x %-40s %-24s %s", a, machine.kallsyms().symbolize(a, true), hex.toString().trim(),
                    insn == null ? "(bad)" : insn.toString());
        })));
    }

    /** Lets virtual time pass (jiffies and printk timestamps advance). */
    public void advance(Duration d) {
        k.clock().advance(d.toNanos());
    }

    @Override
    public void close() {
        machine.close();
    }
}
