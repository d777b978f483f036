package dev.kmodemu.kstubs;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.CallFrame;
import dev.kmodemu.firmware.CallPath;
import dev.kmodemu.firmware.KernelFunctions;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.firmware.Profile;
import dev.kmodemu.kstubs.fs.Vfs;
import dev.kmodemu.kstubs.kernel.Panic;
import dev.kmodemu.kstubs.kernel.Taint;
import dev.kmodemu.kstubs.mm.Slab;
import dev.kmodemu.kstubs.mm.Vmalloc;
import dev.kmodemu.kstubs.module.Modules;
import dev.kmodemu.kstubs.printk.KernelLog;
import dev.kmodemu.kstubs.sched.Tasks;
import dev.kmodemu.kstubs.time.Clock;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.List;

/**
 * Everything a stub can reach: the machine, guest memory, and the kernel's subsystems (log, clock,
 * tasks, allocators, modules, file system view). One per booted kernel; not thread-safe.
 */
public final class KernelContext {
    private final Machine machine;
    private final AddressSpace mem;
    private final Profile profile;
    private final KernelLog log;
    private final Clock clock;
    private final Taint taint;
    private final Tasks tasks;
    private final Slab slab;
    private final Vmalloc vmalloc;
    private final Modules modules;
    private final Vfs vfs;
    private final dev.kmodemu.kstubs.sched.Scheduler scheduler;
    private dev.kmodemu.kstubs.module.Modprobe modprobe;
    /** The stubs running in the current execution context, innermost first. */
    private ArrayDeque<CallFrame> stubFrames = new ArrayDeque<>();
    private final FaultInjection faults = new FaultInjection(this);
    private final Comparisons comparisons = new Comparisons();
    private final Map<Class<?>, Object> states = new HashMap<>();
    private final Checks checks;

    KernelContext(Machine machine, List<Class<?>> stubClasses, Checks checks) {
        this.machine = machine;
        this.checks = checks;
        this.mem = machine.memory();
        this.profile = machine.profile();
        this.log = new KernelLog((int) profile.value("CONFIG_MESSAGE_LOGLEVEL_DEFAULT"));
        this.clock = new Clock(this);
        this.taint = new Taint(this);
        this.slab = new Slab(this);
        this.vmalloc = new Vmalloc(this);
        this.tasks = new Tasks(this);
        this.modules = new Modules(this);
        this.vfs = new Vfs(this);
        this.scheduler = new dev.kmodemu.kstubs.sched.Scheduler(this);
        Binder.install(this, Binder.bindings(stubClasses));
        clock.boot();
        slab.boot();
        tasks.boot();
        dev.kmodemu.kstubs.arch.CpuInfo.boot(this);
        dev.kmodemu.kstubs.fs.Sysfs.boot(this);
        dev.kmodemu.kstubs.drivers.base.Core.boot(this);
        dev.kmodemu.kstubs.crypto.Proc.boot(this);
        dev.kmodemu.kstubs.kernel.CpuHotplug.boot(this);
        dev.kmodemu.kstubs.net.TcpCong.boot(this);
        dev.kmodemu.kstubs.printk.Console.boot(this);
        dev.kmodemu.kstubs.net.Dev.boot(this);
        dev.kmodemu.kstubs.net.Sock.boot(this);
        dev.kmodemu.kstubs.module.Leftovers.boot(this);
        dev.kmodemu.kstubs.kernel.trace.TraceEvents.boot(this);
        dev.kmodemu.kstubs.kernel.Dma.boot(this);
        dev.kmodemu.kstubs.kernel.irq.Irqdesc.boot(this);
        machine.trapHandler((m, stop) -> { long r = Panic.trap(this, stop); return r != -1 ? r : dev.kmodemu.kstubs.kernel.Extable.fixupException(this, stop); });
        machine.finishBoot();
    }

    public Machine machine() {
        return machine;
    }

    /** The debug checks this kernel runs. */
    public Checks checks() {
        return checks;
    }

    public AddressSpace mem() {
        return mem;
    }

    public Profile profile() {
        return profile;
    }

    /** A struct offset or constant from the profile, e.g. {@code off("kernel_param_ops")}. */
    public int off(String key) {
        return profile.offset(key);
    }

    public KernelLog log() {
        return log;
    }

    public Clock clock() {
        return clock;
    }

    public Taint taint() {
        return taint;
    }

    public Tasks tasks() {
        return tasks;
    }

    public Slab slab() {
        return slab;
    }

    public Vmalloc vmalloc() {
        return vmalloc;
    }

    public Modules modules() {
        return modules;
    }

    public Vfs vfs() {
        return vfs;
    }

    /** modprobe over the module directory this kernel was booted with (request_module uses it). */
    public dev.kmodemu.kstubs.module.Modprobe modprobe() {
        if (modprobe == null) {
            modprobe = new dev.kmodemu.kstubs.module.Modprobe(this, null, List.of());
        }
        return modprobe;
    }

    void modprobe(dev.kmodemu.kstubs.module.Modprobe m) {
        modprobe = m;
    }

    /** Fault injection into the kernel functions module code calls. */
    public FaultInjection faults() {
        return faults;
    }

    /** The observer of comparisons module code makes through kernel functions. */
    public Comparisons comparisons() {
        return comparisons;
    }

    /** Timers, deferred work and sleeping on the one CPU. */
    public dev.kmodemu.kstubs.sched.Scheduler scheduler() {
        return scheduler;
    }

    /** Address of a kernel symbol (a function's trampoline, a data symbol); fails if unknown. */
    public long sym(String name) {
        long a = machine.symbol(name);
        if (a == -1) {
            throw new IllegalArgumentException("kmodemu: no kernel symbol " + name);
        }
        return a;
    }

    /**
     * Per-kernel state of a stub class (keyed by the class), created on first use: stubs are
     * static methods, and their data must not leak between kernels.
     */
    @SuppressWarnings("unchecked")
    public <T> T state(Class<?> owner, Supplier<T> create) {
        return (T) states.computeIfAbsent(owner, c -> create.get());
    }

    // ---------------------------------------------------------------- logging

    /**
     * Logs a kernel message (no trailing newline) at {@code level}, attributed to the current
     * caller, as {@code pr_*()} in kernel code does.
     */
    public void printk(int level, String text) {
        log.log(level, text, clock.nanos(), tasks.callerId(), null);
    }

    /** Stores the output of a printk-family call made by guest code. */
    public int printkFormatted(byte[] formatted) {
        return log.store(formatted, clock.nanos(), tasks.callerId(), callerModule());
    }

    // ---------------------------------------------------------------- stubs and guest calls

    void enterStub(CallFrame f) {
        stubFrames.push(f);
    }

    void leaveStub(CallFrame f) {
        // (a kernel thread's Java thread unwinding at shutdown finds another context's stubs here)
        if (stubFrames.peek() == f) {
            stubFrames.pop();
        }
    }

    /**
     * Another execution context runs now (see {@link dev.kmodemu.kstubs.sched.Scheduler}): its
     * running stubs become current; returns the previous context's.
     */
    public ArrayDeque<CallFrame> switchStubFrames(ArrayDeque<CallFrame> next) {
        ArrayDeque<CallFrame> prev = stubFrames;
        stubFrames = next;
        return prev;
    }

    /** The frame of the stub running now (innermost), or null outside stubs. */
    public CallFrame frame() {
        return stubFrames.peek();
    }

    /** The module whose code called the running stub, or null for kernel or host callers. */
    public String callerModule() {
        CallFrame f = stubFrames.peek();
        if (f == null) {
            return null;
        }
        var l = machine.kallsyms().lookup(f.returnAddress());
        return l == null ? null : l.module();
    }

    /**
     * Calls guest function {@code fn} from kernel code: on the current task's stack at top level,
     * nested on the guest stack when a stub calls back into the guest. A call trace from the
     * callee shows the running stub as its caller, or the system call the task is in.
     */
    public long call(long fn, long... args) {
        return callFrom(null, fn, args);
    }

    /**
     * Calls guest function {@code fn} as called from the kernel functions of {@code sites}
     * ({@link #chain}, innermost first): a call trace from the callee lists them, then the running
     * stub's caller, or at top level the system call the current task is in.
     */
    public long callFrom(long[] sites, long fn, long... args) {
        return machine.call(tasks.current().stack(), path(sites), fn, args);
    }

    /**
     * The kernel frames of a call made now: {@code sites} (nested in a stub), or at top level
     * {@code sites} then the system call entry ({@code do_syscall_64}, {@code entry_SYSCALL_64})
     * with the task's user registers.
     */
    public CallPath path(long[] sites) {
        if (machine.depth() > 0) {
            return sites == null ? null : new CallPath(sites, null);
        }
        CallPath.UserRegs user = tasks.current().userRegs();
        long[] inner = sites == null ? new long[0] : sites;
        if (user == null) {
            return new CallPath(inner, null);
        }
        long[] all = java.util.Arrays.copyOf(inner, inner.length + 2);
        all[inner.length] = machine.site("do_syscall_64", KernelFunctions.GUEST);
        all[inner.length + 1] = machine.site("entry_SYSCALL_64_after_hwframe", "do_syscall_64");
        return new CallPath(all, user);
    }

    /**
     * Return addresses of a chain of kernel functions, innermost first: {@code functions[0]} calls
     * {@code callee} ({@link KernelFunctions#GUEST} for guest code), each next one calls the one
     * before. The functions are {@link KernelFunctions}; {@code "name#label"} is function
     * {@code name} at its call site labelled so (a second call of the same callee).
     */
    public long[] chain(String callee, String... functions) {
        long[] out = new long[functions.length];
        String c = callee;
        for (int i = 0; i < functions.length; i++) {
            // "caller#label": the caller's other call site of the same callee (KernelFunctions)
            int hash = functions[i].indexOf('#');
            String name = hash < 0 ? functions[i] : functions[i].substring(0, hash);
            out[i] = machine.site(name, hash < 0 ? c : c + functions[i].substring(hash));
            c = name;
        }
        return out;
    }

    // ---------------------------------------------------------------- findings

    private final List<Finding> findings = new java.util.ArrayList<>();

    /** Records a report for {@link Kernel#findings()}. */
    public void addFinding(Finding f) {
        findings.add(f);
    }

    /** Every report so far, oldest first. */
    public List<Finding> findings() {
        return List.copyOf(findings);
    }

    /** As {@link #call}, with RFLAGS {@code eflags} on entry (an interrupt handler runs without IF). */
    public long callWithFlags(long eflags, long fn, long... args) {
        return machine.callWithFlags(tasks.current().stack(), eflags, fn, args);
    }

    // ---------------------------------------------------------------- guest memory helpers

    /** Reads a NUL-terminated string (at most {@code max} bytes). */
    public String string(long ptr, int max) {
        return mem.readCString(ptr, max);
    }

    /** Allocates a NUL-terminated copy of {@code s} with kmalloc; returns its address. */
    public long kstrdup(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        long p = slab.kmalloc(b.length + 1, 0);
        mem.write(p, b);
        mem.write8(p + b.length, 0);
        return p;
    }
}
