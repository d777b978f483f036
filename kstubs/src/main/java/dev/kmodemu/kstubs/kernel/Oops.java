package dev.kmodemu.kstubs.kernel;

import dev.kmodemu.emu.Access;
import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.emu.Reg;
import dev.kmodemu.firmware.CallPath;
import dev.kmodemu.firmware.GuestFault;
import dev.kmodemu.firmware.Kallsyms;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.firmware.Unwinder;
import dev.kmodemu.kstubs.Finding;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.module.Module;
import dev.kmodemu.kstubs.module.Modules;
import dev.kmodemu.kstubs.printk.Printk;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fault reports in the kernel's format: {@code page_fault_oops()} (arch/x86/mm/fault.c),
 * {@code die()}, {@code show_regs()} and {@code show_trace_log_lvl()}
 * (arch/x86/kernel/dumpstack.c, process_64.c), {@code __warn()} (kernel/panic.c),
 * {@code handle_stack_overflow()} (arch/x86/kernel/traps.c), the soft lockup watchdog
 * (kernel/watchdog.c) and {@code dump_stack()} (lib/dump_stack.c). Call traces are walked with
 * the ORC unwinder over the guest stack ({@link Unwinder}). Every report is also a
 * {@link Finding}.
 */
public final class Oops {
    private Oops() {
    }

    private static final int PROLOGUE = 42;
    private static final int EPILOGUE = 21;
    /** DMI identification of the emulated machine, as "Hardware name:" prints it. */
    public static final String HARDWARE = "kmodemu x86-64 emulator, BIOS kmodemu 01/01/2024";
    /** Signals a task dies of: SIGKILL after a page fault oops, SIGSEGV after {@code die()}. */
    public static final int SIGKILL = 9;
    public static final int SIGSEGV = 11;
    static final String CUT_HERE = "------------[ cut here ]------------";
    static final String END_TRACE = "---[ end trace 0000000000000000 ]---";
    /** CR0, CR3 and CR4 as the emulated CPU has them (paging, protection; no PKE, so no PKRU line). */
    private static final long CR0 = 0x80050033L;
    private static final long CR3 = 0x1000L;
    private static final long CR4 = 0x3506f0L;

    /** Per-kernel state of the reporting code. */
    private static final class State {
        /** {@code die_counter}. */
        int dieCounter;
        /** {@code exec_summary_regs}: the registers of the first oops, repeated after each. */
        Regs execSummary;
    }

    private static State state(KernelContext k) {
        return k.state(Oops.class, State::new);
    }

    /** A register set as {@code __show_regs()} prints it. */
    record Regs(long ip, long[] gprs, long eflags, long cr2) {
        long sp() {
            return gprs[7];
        }
    }

    /** A report being logged: collects its lines and trace for the {@link Finding}. */
    private static final class Report {
        final KernelContext k;
        final long seq;
        final List<Finding.Frame> frames = new ArrayList<>();

        Report(KernelContext k) {
            this.k = k;
            this.seq = k.log().nextSeq();
        }

        List<String> lines() {
            List<String> out = new ArrayList<>();
            for (var r : k.log().since(seq)) {
                out.addAll(r.lines());
            }
            return out;
        }

        void finish(Finding.Type type, String title, long ip, String location, Long address, String access,
                boolean fatal) {
            var t = k.tasks().current();
            Kallsyms ks = k.machine().kallsyms();
            String module = null;
            String symbol = null;
            if (ip != 0) {
                Kallsyms.Lookup l = ks.lookup(ip);
                module = l == null ? null : l.module();
                symbol = ks.symbolize(ip, true);
            }
            if (module == null) {
                for (Finding.Frame f : frames) {
                    if (f.reliable() && f.module() != null) {
                        module = f.module();
                        break;
                    }
                }
            }
            k.addFinding(new Finding(type, title, module, ip, symbol, location, address, access, frames, t.pid(),
                    t.comm(), fatal, lines()));
        }
    }

    // ------------------------------------------------------------------ faults of guest code

    /**
     * Reports a fault of the current task: a page fault oops, {@code die()} for the other
     * exceptions (a BUG's {@code ud2} among them), a soft lockup, a stack overflow (which panics).
     * Returns the signal the task dies of.
     *
     * @throws KernelPanic when the kernel cannot go on (a stack overflow)
     */
    public static int report(KernelContext k, GuestFault f) {
        return report(k, f, false);
    }

    /** Whether the fault being reported happened in interrupt context (no task exits then). */
    private static final class InInterrupt {
        boolean on;
    }

    /**
     * As {@link #report(KernelContext, GuestFault)}; {@code inInterrupt} for a fault in an
     * interrupt handler or timer, after which the kernel panics ({@code oops_end()}) instead of
     * killing the task, so no "note: ... exited" line follows.
     */
    public static int report(KernelContext k, GuestFault f, boolean inInterrupt) {
        InInterrupt ii = k.state(InInterrupt.class, InInterrupt::new);
        boolean prev = ii.on;
        ii.on = inInterrupt;
        try {
            return reportFault(k, f);
        } finally {
            ii.on = prev;
        }
    }

    private static int reportFault(KernelContext k, GuestFault f) {
        Regs regs = new Regs(f.rip(), f.registers(), f.eflags(),
                f.kind() == GuestFault.Kind.PAGE_FAULT ? f.address() : 0);
        Report r = new Report(k);
        switch (f.kind()) {
            case LOCKUP -> {
                softLockup(k, r, regs);
                return SIGKILL;
            }
            case PAGE_FAULT -> {
                Machine.Stack stack = k.tasks().current().stack();
                long begin = stack.region().base();
                if (Long.compareUnsigned(f.address() - (begin - AddressSpace.PAGE), AddressSpace.PAGE) < 0) {
                    throw stackOverflow(k, r, regs, f.address(), stack);
                }
                if (!canonical(f.address())) {
                    String title = String.format("general protection fault, probably for non-canonical address 0x%x",
                            f.address());
                    die(k, r, title, 0, regs);
                    r.finish(Finding.Type.OOPS, title, f.rip(), null, f.address(), accessName(f.access()), true);
                    return SIGSEGV;
                }
                pageFaultOops(k, r, regs, f);
                return SIGKILL;
            }
            case INVALID_OPCODE -> {
                Panic.Bug bug = Panic.findBug(k, f.rip());
                String location = null;
                String title = "invalid opcode";
                if (f.stub() != null && f.getMessage() != null && f.getMessage().startsWith("kernel BUG at ")) {
                    // BUG() in a Java-implemented function: its lines are logged already
                    location = f.getMessage().substring("kernel BUG at ".length());
                    title = f.getMessage() + "!";
                } else if (bug != null && !bug.warning()) {
                    k.printk(4, CUT_HERE);
                    location = bug.file() + ":" + bug.line();
                    title = "kernel BUG at " + location + "!";
                    k.printk(2, title);
                }
                die(k, r, "invalid opcode", 0, regs);
                r.finish(location != null ? Finding.Type.BUG : Finding.Type.OOPS, title, f.rip(), location, null, null,
                        true);
                return SIGSEGV;
            }
            default -> {
                String what = switch (f.kind()) {
                    case GENERAL_PROTECTION -> "general protection fault";
                    case DIVIDE_ERROR -> "divide error";
                    case BREAKPOINT -> "int3";
                    default -> "Oops";
                };
                die(k, r, what, 0, regs);
                r.finish(Finding.Type.OOPS, what, f.rip(), null, null, null, true);
                return SIGSEGV;
            }
        }
    }

    private static boolean canonical(long a) {
        return (a >> 47) == 0 || (a >> 47) == -1;
    }

    private static String accessName(Access a) {
        return a == null ? null : switch (a) {
            case FETCH -> "instruction fetch";
            case WRITE -> "write";
            default -> "read";
        };
    }

    /** {@code page_fault_oops()} and {@code show_fault_oops()}. */
    private static void pageFaultOops(KernelContext k, Report r, Regs regs, GuestFault f) {
        long addr = f.address();
        boolean write = f.access() == Access.WRITE;
        boolean fetch = f.access() == Access.FETCH;
        long errorCode = (f.present() ? 1 : 0) | (write ? 2 : 0) | (fetch ? 16 : 0);
        String title = Long.compareUnsigned(addr, AddressSpace.PAGE) < 0
                ? "BUG: kernel NULL pointer dereference, address: " + hex16(addr)
                : "BUG: unable to handle page fault for address: " + hex16(addr);
        k.printk(1, title);
        k.printk(1, "#PF: supervisor " + accessName(f.access()) + " access in kernel mode");
        k.printk(1, String.format("#PF: error_code(0x%04x) - %s", errorCode,
                f.present() ? "permissions violation" : "not-present page"));
        k.printk(6, "PGD 0 P4D 0 ");
        dieHeader(k, "Oops", errorCode, regs);
        dieBody(k, r, regs);
        k.printk(4, "CR2: " + hex16(addr));
        oopsEnd(k, regs);
        if (!k.state(InInterrupt.class, InInterrupt::new).on) {
            var t = k.tasks().current();
            k.printk(6, "note: " + t.comm() + "[" + t.pid() + "] exited with irqs disabled");
        }
        r.finish(Finding.Type.OOPS, title, f.rip(), null, addr, accessName(f.access()), true);
    }

    /** {@code die()}: header, registers, trace, modules, end marker, the first oops's registers. */
    private static void die(KernelContext k, Report r, String str, long err, Regs regs) {
        dieHeader(k, str, err, regs);
        dieBody(k, r, regs);
        oopsEnd(k, regs);
    }

    /** {@code __die_header()}. */
    private static void dieHeader(KernelContext k, String str, long err, Regs regs) {
        State s = state(k);
        if (s.dieCounter == 0) {
            s.execSummary = regs;
        }
        k.printk(4, String.format("%s: %04x [#%d] PREEMPT SMP NOPTI", str, err & 0xffff, ++s.dieCounter));
    }

    /** {@code __die_body()}: {@code show_regs()} and {@code print_modules()}. */
    private static void dieBody(KernelContext k, Report r, Regs regs) {
        showRegs(k, r, regs);
        k.printk(4, "Modules linked in:" + modulesLinkedIn(k));
    }

    /** {@code oops_end()}: taints D, the end marker, the executive summary. */
    private static void oopsEnd(KernelContext k, Regs regs) {
        k.taint().add(Taint.DIE, false);
        k.printk(4, END_TRACE);
        showRegisters(k, state(k).execSummary);
    }

    /** {@code show_regs()}: the CPU line, the registers and the call trace from them. */
    private static void showRegs(KernelContext k, Report r, Regs regs) {
        cpuLine(k, 4);
        showRegisters(k, regs);
        showTrace(k, r, new Unwinder.Regs(regs.ip(), regs.sp(), regs.gprs()[6], regs.gprs()), 0);
    }

    /** {@code __show_regs(regs, SHOW_REGS_ALL)} of a kernel-mode register set. */
    private static void showRegisters(KernelContext k, Regs regs) {
        int level = 4;
        k.printk(level, "RIP: 0010:" + k.machine().kallsyms().symbolize(regs.ip(), true));
        k.printk(level, code(k, regs.ip()));
        long[] g = regs.gprs();
        k.printk(level, String.format("RSP: 0018:%016x EFLAGS: %08x", g[7], regs.eflags() & 0xffffffffL));
        gprLines(k, level, g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[8], g[9], g[10], g[11], g[12], g[13], g[14],
                g[15]);
        long gs = k.machine().cpu().get(Reg.GS_BASE);
        k.printk(level, String.format("FS:  %016x(0000) GS:%016x(0000) knlGS:%016x", 0L, gs, 0L));
        k.printk(level, String.format("CS:  0010 DS: 0000 ES: 0000 CR0: %016x", CR0));
        k.printk(level, String.format("CR2: %016x CR3: %016x CR4: %016x", regs.cr2(), CR3, CR4));
    }

    private static void gprLines(KernelContext k, int level, long ax, long bx, long cx, long dx, long si, long di,
            long bp, long r8, long r9, long r10, long r11, long r12, long r13, long r14, long r15) {
        k.printk(level, String.format("RAX: %016x RBX: %016x RCX: %016x", ax, bx, cx));
        k.printk(level, String.format("RDX: %016x RSI: %016x RDI: %016x", dx, si, di));
        k.printk(level, String.format("RBP: %016x R08: %016x R09: %016x", bp, r8, r9));
        k.printk(level, String.format("R10: %016x R11: %016x R12: %016x", r10, r11, r12));
        k.printk(level, String.format("R13: %016x R14: %016x R15: %016x", r13, r14, r15));
    }

    /**
     * {@code __show_regs(regs, SHOW_REGS_SHORT)} of the user {@code pt_regs} a system call left at
     * the top of the stack: RIP and Code (user memory, if mapped), RSP with ORIG_RAX, the others.
     */
    private static void showUserRegs(KernelContext k, long p) {
        int level = 4;
        AddressSpace m = k.mem();
        long ip = m.read64(p + k.off("pt_regs_ip"));
        k.printk(level, String.format("RIP: %04x:0x%x", m.read64(p + k.off("pt_regs_cs")), ip));
        k.printk(level, code(k, ip));
        k.printk(level, String.format("RSP: %04x:%016x EFLAGS: %08x ORIG_RAX: %016x", m.read64(p + k.off("pt_regs_ss")),
                m.read64(p + k.off("pt_regs_sp")), m.read64(p + k.off("pt_regs_flags")),
                m.read64(p + k.off("pt_regs_orig_ax"))));
        gprLines(k, level, reg(k, p, "ax"), reg(k, p, "bx"), reg(k, p, "cx"), reg(k, p, "dx"), reg(k, p, "si"),
                reg(k, p, "di"), reg(k, p, "bp"), reg(k, p, "r8"), reg(k, p, "r9"), reg(k, p, "r10"),
                reg(k, p, "r11"), reg(k, p, "r12"), reg(k, p, "r13"), reg(k, p, "r14"), reg(k, p, "r15"));
    }

    private static long reg(KernelContext k, long p, String name) {
        return k.mem().read64(p + k.off("pt_regs_" + name));
    }

    /**
     * {@code show_trace_log_lvl()}: "Call Trace:", then the stack scan with the unwinder, from
     * {@code regs} or, without, from the return address at {@code firstFrame}.
     */
    private static void showTrace(KernelContext k, Report r, Unwinder.Regs regs, long firstFrame) {
        showTrace(k, r, regs, firstFrame, 4);
    }

    private static void showTrace(KernelContext k, Report r, Unwinder.Regs regs, long firstFrame, int level) {
        k.printk(level, "Call Trace:");
        Kallsyms ks = k.machine().kallsyms();
        for (Unwinder.Item it : k.machine().unwinder().trace(regs, firstFrame, k.tasks().current().stack())) {
            switch (it) {
                case Unwinder.StackStart s -> k.printk(level, " <" + s.name() + ">");
                case Unwinder.StackEnd s -> k.printk(level, " </" + s.name() + ">");
                case Unwinder.EntryRegs e -> showUserRegs(k, e.address());
                case Unwinder.Address a -> {
                    String sym = ks.backtrace(a.address());
                    Kallsyms.Lookup l = ks.lookup(a.address() - 1);
                    k.printk(level, " " + (a.reliable() ? "" : "? ") + sym);
                    if (r != null) {
                        r.frames.add(new Finding.Frame(a.address(), sym, l == null ? null : l.module(), a.reliable()));
                    }
                }
            }
        }
    }

    /** {@code show_opcodes()}: 42 bytes before rip, the byte at rip marked, 21 after. */
    static String code(KernelContext k, long rip) {
        long start = rip - PROLOGUE;
        byte[] b = new byte[PROLOGUE + 1 + EPILOGUE];
        for (int i = 0; i < b.length; i++) {
            if (!k.mem().accessible(start + i, Access.READ)) {
                return "Code: Unable to access opcode bytes at 0x" + Long.toHexString(start) + ".";
            }
        }
        byte[] got = k.mem().peek(start, b.length);
        StringBuilder sb = new StringBuilder("Code:");
        for (int i = 0; i < got.length; i++) {
            sb.append(i == PROLOGUE ? " <" : " ").append(String.format("%02x", got[i] & 0xff))
                    .append(i == PROLOGUE ? ">" : "");
        }
        return sb.toString();
    }

    /** {@code print_modules()}: " name(flags) ..." most recent first. */
    public static String modulesLinkedIn(KernelContext k) {
        StringBuilder sb = new StringBuilder();
        for (Module m : k.modules().list()) {
            if (m.state() == Module.State.UNFORMED) {
                continue;
            }
            sb.append(' ').append(m.name()).append(Modules.flags(m));
        }
        String last = k.modules().lastUnloaded();
        if (!last.isEmpty()) {
            sb.append(" [last unloaded: ").append(last).append(']');
        }
        return sb.toString();
    }

    /** {@code dump_stack_print_info()}: the CPU and Hardware lines. */
    public static void cpuLine(KernelContext k, int level) {
        var t = k.tasks().current();
        String comm = t.comm().length() > 15 ? t.comm().substring(0, 15) : t.comm();
        k.printk(level, "CPU: 0 PID: " + t.pid() + " Comm: " + comm + " " + k.taint().describe() + " "
                + k.profile().release() + " " + k.profile().dumpStackVersion());
        k.printk(level, "Hardware name: " + HARDWARE);
    }

    // ------------------------------------------------------------------ runaway code

    /** The soft lockup threshold's first report: {@code 2 * watchdog_thresh} plus the 4 s sample period. */
    public static final int SOFT_LOCKUP_SECONDS = 22;

    /**
     * {@code watchdog_timer_fn()}'s soft lockup report for a call that ran out of its budget: virtual
     * time jumps by the seconds the real watchdog would have waited, then the report with the
     * registers and trace of where the code spins; taints L afterwards. kmodemu then kills the
     * task (the real one would spin on).
     */
    private static void softLockup(KernelContext k, Report r, Regs regs) {
        var t = k.tasks().current();
        k.clock().advance(SOFT_LOCKUP_SECONDS * 1_000_000_000L);
        String title = "watchdog: BUG: soft lockup - CPU#0 stuck for " + SOFT_LOCKUP_SECONDS + "s! [" + t.comm() + ":"
                + t.pid() + "]";
        k.printk(0, title);
        k.printk(4, "Modules linked in:" + modulesLinkedIn(k));
        showRegs(k, r, regs);
        k.taint().add(Taint.SOFTLOCKUP, false);
        r.finish(Finding.Type.SOFT_LOCKUP, title, regs.ip(), null, null, null, true);
    }

    /**
     * {@code handle_stack_overflow()}: the guard page below the task stack was hit (the real CPU
     * takes a double fault). The report is {@code die("stack guard page")}; in the double fault
     * handler that ends in a panic.
     */
    private static KernelPanic stackOverflow(KernelContext k, Report r, Regs regs, long address, Machine.Stack stack) {
        var env = Printk.env(k);
        String title = String.format("BUG: TASK stack guard page was hit at %016x (stack is %016x..%016x)",
                env.hashPointer(address) & 0xffffffffL, env.hashPointer(stack.region().base()) & 0xffffffffL,
                env.hashPointer(stack.top()) & 0xffffffffL);
        k.printk(0, title);
        die(k, r, "stack guard page", 0, regs);
        r.finish(Finding.Type.STACK_OVERFLOW, title, regs.ip(), null, address, "write", true);
        return Panic.panic(k, "Fatal exception in interrupt");
    }

    // ------------------------------------------------------------------ reports from Java code

    /**
     * The frame a report made by Java code now starts from: the kernel functions it stands for
     * ({@code sites}, innermost first, from {@link KernelContext#chain}) laid under the running
     * stub, or, outside any stub, under the system call the task is in. Returns the stack slot of
     * the innermost return address.
     */
    static long reportFrames(KernelContext k, long... sites) {
        CallPath outer = k.machine().depth() > 0 ? null : k.path(null);
        return k.machine().layReportFrames(k.tasks().current().stack(), outer, sites);
    }

    /**
     * {@code dump_stack_lvl()}: the CPU lines and the trace of the current context at {@code level};
     * {@code callers} are the kernel functions between the caller and {@code dump_stack_lvl}
     * (e.g. {@code panic}), innermost first.
     */
    public static List<Finding.Frame> dumpStack(KernelContext k, int level, String... callers) {
        String[] fns = new String[callers.length + 1];
        fns[0] = "dump_stack_lvl";
        System.arraycopy(callers, 0, fns, 1, callers.length);
        long slot = reportFrames(k, k.chain("show_stack", fns));
        Report r = new Report(k);
        cpuLine(k, level);
        showTrace(k, r, null, slot, level);
        return r.frames;
    }

    /**
     * The symbolized call trace of the guest context running now (the stub's caller and on, as
     * {@code dump_stack()} would list them, without logging anything): what sanitizer reports and
     * tests need.
     */
    public static List<Finding.Frame> currentStack(KernelContext k) {
        long slot = reportFrames(k);
        List<Finding.Frame> out = new ArrayList<>();
        Kallsyms ks = k.machine().kallsyms();
        for (Unwinder.Item it : k.machine().unwinder().trace(null, slot, k.tasks().current().stack())) {
            if (it instanceof Unwinder.Address a) {
                Kallsyms.Lookup l = ks.lookup(a.address() - 1);
                out.add(new Finding.Frame(a.address(), ks.backtrace(a.address()), l == null ? null : l.module(),
                        a.reliable()));
            }
        }
        return out;
    }

    /**
     * {@code WARN(1, fmt, ...)} in kernel code implemented in Java: {@code __warn()} with the
     * registers of the warning site. The site is {@code function}'s WARN at {@code where} as
     * Debian's kernel has it ({@link dev.kmodemu.firmware.KernelFunctions}), else {@code function}'s
     * entry; if {@code function} is not the running stub, the stub's own frame is laid under it.
     *
     * @param where {@code file:line} in the kernel source (e.g. "fs/proc/generic.c:400")
     * @param function the kernel function that warns
     * @param message the WARN's message (logged after the cut-here line), or null for WARN_ON
     */
    public static void warn(KernelContext k, String where, String function, String message) {
        warn(k, where, function, message, 4);
    }

    /**
     * As {@link #warn(KernelContext, String, String, String)} for a WARN whose format starts with
     * a level ({@code WARN(1, KERN_ERR "...")}): the message is logged at {@code level}.
     */
    public static void warn(KernelContext k, String where, String function, String message, int level) {
        Report r = new Report(k);
        k.printk(4, CUT_HERE);
        if (message != null) {
            k.printk(level, message);
        }
        long ip = k.machine().warnSite(function, where);
        var frame = k.frame();
        long[] sites = new long[0];
        if (frame != null && !frame.symbol().equals(function)) {
            try {
                sites = k.chain(function, frame.symbol());
            } catch (IllegalArgumentException notInTable) {
                sites = new long[0];
            }
        }
        long slot = reportFrames(k, sites);
        Unwinder.Regs ur = ip == -1 ? null : k.machine().regsAt(ip, slot);
        String title = warnBody(k, r, where, ip, ur, slot);
        r.finish(Finding.Type.WARNING, title, ip == -1 ? 0 : ip, where, null, null, false);
    }

    /** {@code WARN_ON_ONCE(1)} in kernel code implemented in Java: reported the first time only. */
    public static void warnOnce(KernelContext k, String where, String function) {
        java.util.Set<String> done = k.state(WarnOnce.class, java.util.HashSet::new);
        if (done.add(where)) {
            warn(k, where, function, null);
        }
    }

    private static final class WarnOnce {
    }

    /**
     * {@code __warn()} after the cut-here line (and message): the WARNING line, modules, the
     * registers and trace of the site, the end marker; taints W last.
     */
    private static String warnBody(KernelContext k, Report r, String where, long ip, Unwinder.Regs regs, long slot) {
        var t = k.tasks().current();
        String title = "WARNING: CPU: 0 PID: " + t.pid() + " at " + where + " "
                + (ip == -1 ? "0x0" : k.machine().kallsyms().symbolize(ip, true));
        k.printk(4, title);
        k.printk(4, "Modules linked in:" + modulesLinkedIn(k));
        if (regs != null) {
            cpuLine(k, 4);
            showRegisters(k, new Regs(regs.ip(), regs.gprs(), k.machine().cpu().get(Reg.EFLAGS), 0));
            showTrace(k, r, regs, 0);
        } else {
            cpuLine(k, 4);
            showTrace(k, r, null, slot);
        }
        k.printk(4, END_TRACE);
        k.taint().add(Taint.WARN, false);
        return title;
    }

    /**
     * A WARN of guest code ({@code ud2} listed in {@code __bug_table}): {@code report_bug()} then
     * {@code __warn()} with the CPU's registers at the {@code ud2}.
     */
    static void warnAt(KernelContext k, Panic.Bug bug, long rip) {
        Report r = new Report(k);
        if (!bug.noCutHere()) {
            k.printk(4, CUT_HERE);
        }
        long[] g = new long[Reg.GPRS.length];
        k.machine().cpu().get(Reg.GPRS, g);
        Unwinder.Regs regs = new Unwinder.Regs(rip, g[7], g[6], g);
        String where = bug.file() + ":" + bug.line();
        String title = warnBody(k, r, where, rip, regs, 0);
        r.finish(Finding.Type.WARNING, title, rip, where, null, null, false);
    }

    /**
     * {@code BUG()} in a Java-implemented kernel function: logs the cut-here and "kernel BUG at"
     * lines and returns the fault to throw; its oops report follows where the fault is caught.
     *
     * @param where {@code file:line} in the kernel source
     */
    public static GuestFault bug(KernelContext k, String where) {
        k.printk(4, CUT_HERE);
        k.printk(2, "kernel BUG at " + where + "!");
        return k.machine().faultInStub(GuestFault.Kind.INVALID_OPCODE, "kernel BUG at " + where);
    }

    /**
     * The kernel functions a task sleeping in the function guest code called is in, from
     * {@code __schedule} outwards (the return offsets are Debian's, from the oracle's hung-task
     * reports). Guest code that calls {@code schedule()} itself (wait_event and friends are
     * macros) has only {@code __schedule} and {@code schedule}; so has, for want of a measured
     * path, any other sleeping function.
     */
    private static final Map<String, String[]> SLEEP_PATHS = Map.of(
            "mutex_lock", new String[] {"__schedule", "schedule", "schedule_preempt_disabled",
                "__mutex_lock.constprop.0"},
            "wait_for_completion", new String[] {"__schedule", "schedule", "schedule_timeout", "__wait_for_common"},
            "down", new String[] {"__schedule", "schedule", "schedule_timeout", "__down_common", "down"},
            "schedule_timeout", new String[] {"__schedule", "schedule", "schedule_timeout"});
    private static final String[] SCHEDULE_PATH = {"__schedule", "schedule"};

    /**
     * {@code check_hung_task()} (kernel/hung_task.c): khungtaskd's report of the current task,
     * blocked in {@code TASK_UNINTERRUPTIBLE} for the 120 s of {@code hung_task_timeout_secs},
     * with {@code sched_show_task()}'s line and the trace of the sleeping task. Returns false
     * (and reports nothing) for a task in another state, which the watchdog ignores.
     */
    public static boolean hungTask(KernelContext k) {
        var t = k.tasks().current();
        long state = k.mem().read32(t.taskStruct() + k.off("task_struct_state"));
        if (state != k.profile().value("TASK_UNINTERRUPTIBLE")) {
            return false;
        }
        Report r = new Report(k);
        String title = "INFO: task " + t.comm() + ":" + t.pid() + " blocked for more than 120 seconds.";
        k.printk(3, title);
        k.printk(3, "      " + k.taint().describe() + " " + k.profile().release() + " " + k.profile().versionWord()
                + k.profile().packageId());
        k.printk(3, "\"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\" disables this message.");
        // sched_show_task(): the thread-info flags are TIF_NEED_FPU_LOAD for any task switched out,
        // and TIF_NOTIFY_RESUME too for a process (rseq: glibc registers one for every thread)
        k.printk(6, String.format("task:%-15.15s state:D stack:0     pid:%-5d ppid:%-6d flags:0x%08x", t.comm(),
                t.pid(), t.ppid(), t.isKernelThread() ? 0x4000 : 0x4002));
        var f = k.frame();
        String called = f == null ? null : f.symbol();
        String[] path = SLEEP_PATHS.getOrDefault(called, SCHEDULE_PATH);
        long slot = reportFrames(k, k.chain("__switch_to_asm", path));
        showTrace(k, r, null, slot, 6);
        long at = called == null ? -1 : k.machine().symbol(called);
        r.finish(Finding.Type.HUNG_TASK, title, at == -1 ? 0 : at, null, null, null, true);
        return true;
    }

    /** What kills a task kmodemu does not leave sleeping forever in {@code function}. */
    public static RuntimeException blockedForever(String function) {
        return new Modules.TaskKilled("sleeping forever in " + function, SIGKILL);
    }

    /** A task spinning on a lock nobody can release: the soft lockup report, then the task dies. */
    public static RuntimeException lockup(KernelContext k, String function) {
        return k.machine().faultInStub(GuestFault.Kind.LOCKUP, "spinning in " + function);
    }

    /** Records a panic's report as a finding (its lines are logged by {@link Panic#panic}). */
    static void panicFinding(KernelContext k, long seq, String title, List<Finding.Frame> frames) {
        var t = k.tasks().current();
        List<String> lines = new ArrayList<>();
        for (var rec : k.log().since(seq)) {
            lines.addAll(rec.lines());
        }
        String module = null;
        for (Finding.Frame f : frames) {
            if (f.reliable() && f.module() != null) {
                module = f.module();
                break;
            }
        }
        k.addFinding(new Finding(Finding.Type.PANIC, title, module, 0, null, null, null, null, frames, t.pid(),
                t.comm(), true, lines));
    }

    static String hex16(long v) {
        return String.format("%016x", v);
    }
}
