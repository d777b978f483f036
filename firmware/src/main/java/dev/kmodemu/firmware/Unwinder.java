package dev.kmodemu.firmware;

import dev.kmodemu.emu.AddressSpace;

import java.util.ArrayList;
import java.util.List;

/**
 * The kernel's ORC unwinder (arch/x86/kernel/unwind_orc.c) and the stack scan of
 * {@code __show_trace_log_lvl()} (arch/x86/kernel/dumpstack.c): every word of the task stack from
 * the starting stack pointer up that is a kernel text address is listed; those at the return
 * address slot the unwinder found are reliable, the others are the "?" clues.
 *
 * <p>Module code is described by the module's own {@code .orc_unwind} tables ({@link ModuleCode}).
 * kmodemu's kernel text has no ORC sections, so {@link Machine} describes it: thunks and Java-stub
 * trampolines are entered by a {@code call} and never push anything (their return address is at
 * the stack pointer, the "function entry" entry); the {@link KernelFunctions} have a fixed frame
 * below their return address, and {@code entry_SYSCALL_64_after_hwframe} has the user
 * {@code pt_regs} above it. {@link Machine#call} lays the frames out on the guest stack exactly as
 * those entries say, so the same walk crosses module and kernel frames.
 */
public final class Unwinder {
    /** The text and ORC data of a loaded module. */
    public interface ModuleCode {
        /** {@code is_module_text_address()}: in this module's core or (still present) init text. */
        boolean isText(long address);

        /** {@code orc_module_find()}: the entry for {@code ip} if it lies in this module, else null. */
        Orc.Entry orc(long ip);
    }

    /** What the trace prints, in order. */
    public sealed interface Item permits StackStart, StackEnd, Address, EntryRegs {
    }

    /** {@code " <TASK>"}: the scan enters a stack. */
    public record StackStart(String name) implements Item {
    }

    /** {@code " </TASK>"}. */
    public record StackEnd(String name) implements Item {
    }

    /** A text address found on the stack at {@code slot}; unreliable ones print with "? ". */
    public record Address(long address, boolean reliable, long slot) implements Item {
    }

    /** {@code pt_regs} found on the stack (the user context of a system call), to print with their registers. */
    public record EntryRegs(long address) implements Item {
    }

    /** The registers a trace starts from: a fault's ip, sp and bp plus the other general registers. */
    public record Regs(long ip, long sp, long bp, long[] gprs) {
    }

    private final Machine machine;
    private final AddressSpace mem;
    private final List<ModuleCode> modules = new ArrayList<>();

    Unwinder(Machine machine) {
        this.machine = machine;
        this.mem = machine.memory();
    }

    public void addModule(ModuleCode m) {
        modules.add(m);
    }

    public void removeModule(ModuleCode m) {
        modules.remove(m);
    }

    /** {@code __kernel_text_address()}: kernel text in use, or a loaded module's text. */
    public boolean isKernelText(long address) {
        if (machine.isCoreKernelText(address)) {
            return true;
        }
        for (ModuleCode m : modules) {
            if (m.isText(address)) {
                return true;
            }
        }
        return false;
    }

    /** {@code orc_find()}: ip 0 has the NULL-call entry; kernel text, then modules; null if none. */
    Orc.Entry orcFind(long ip) {
        if (ip == 0) {
            return Orc.NULL_ENTRY;
        }
        if (machine.isKernelTextArea(ip)) {
            return machine.kernelOrc(ip);
        }
        for (ModuleCode m : modules) {
            Orc.Entry e = m.orc(ip);
            if (e != null) {
                return e;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ struct unwind_state

    private static final class State {
        long ip;
        long sp;
        long bp;
        /** pt_regs on the stack, or 0; {@link #faultRegs} for the starting registers. */
        long regs;
        Regs faultRegs;
        boolean fullRegs;
        boolean signal;
        boolean error;
        boolean done;
        long stackBegin;
        long stackEnd;
    }

    private boolean onStack(State s, long addr, long len) {
        return Long.compareUnsigned(addr, s.stackBegin) >= 0 && Long.compareUnsigned(addr + len, s.stackEnd) <= 0
                && Long.compareUnsigned(addr + len, addr) >= 0;
    }

    private boolean userMode(long ptRegs) {
        return (mem.read64(ptRegs + machine.profile().offset("pt_regs_cs")) & 3) != 0;
    }

    /** {@code get_reg()}: a register of the current regs (full pt_regs or the starting registers). */
    private long[] getReg(State s, String name) {
        if (s.faultRegs != null) {
            long v = switch (name) {
                case "bp" -> s.faultRegs.bp();
                case "r10" -> s.faultRegs.gprs()[10];
                case "r13" -> s.faultRegs.gprs()[13];
                case "di" -> s.faultRegs.gprs()[5];
                case "dx" -> s.faultRegs.gprs()[3];
                default -> 0;
            };
            return new long[] {v};
        }
        if (s.regs != 0 && s.fullRegs) {
            return new long[] {mem.read64(s.regs + machine.profile().offset("pt_regs_" + name))};
        }
        return null;
    }

    /** {@code unwind_next_frame()}. */
    private boolean next(State s) {
        if (s.done) {
            return false;
        }
        long prevSp = s.sp;
        if (s.regs != 0 && userMode(s.regs)) {
            s.done = true;
            return false;
        }
        Orc.Entry orc = orcFind(s.signal ? s.ip : s.ip - 1);
        if (orc == null) {
            orc = Orc.FP_ENTRY;
            s.error = true;
        }
        if (orc.spReg() == Orc.REG_UNDEFINED) {
            if (!orc.end()) {
                s.error = true;
            }
            s.done = true;
            return false;
        }
        long sp;
        boolean indirect = false;
        switch (orc.spReg()) {
            case Orc.REG_SP -> sp = s.sp + orc.spOffset();
            case Orc.REG_BP -> sp = s.bp + orc.spOffset();
            case Orc.REG_SP_INDIRECT -> {
                sp = s.sp;
                indirect = true;
            }
            case Orc.REG_BP_INDIRECT -> {
                sp = s.bp + orc.spOffset();
                indirect = true;
            }
            case Orc.REG_R10, Orc.REG_R13, Orc.REG_DI, Orc.REG_DX -> {
                String r = switch (orc.spReg()) {
                    case Orc.REG_R10 -> "r10";
                    case Orc.REG_R13 -> "r13";
                    case Orc.REG_DI -> "di";
                    default -> "dx";
                };
                long[] v = getReg(s, r);
                if (v == null) {
                    return fail(s);
                }
                sp = v[0];
            }
            default -> {
                return fail(s);
            }
        }
        if (indirect) {
            if (!onStack(s, sp, 8)) {
                return fail(s);
            }
            sp = mem.read64(sp);
            if (orc.spReg() == Orc.REG_SP_INDIRECT) {
                sp += orc.spOffset();
            }
        }
        switch (orc.type()) {
            case Orc.TYPE_CALL -> {
                long ipP = sp - 8;
                if (!onStack(s, ipP, 8)) {
                    return fail(s);
                }
                s.ip = mem.read64(ipP);
                s.sp = sp;
                s.regs = 0;
                s.faultRegs = null;
                s.signal = false;
            }
            case Orc.TYPE_REGS -> {
                long size = machine.profile().value("pt_regs_sizeof");
                if (!onStack(s, sp, size)) {
                    return fail(s);
                }
                s.ip = mem.read64(sp + machine.profile().offset("pt_regs_ip"));
                s.sp = mem.read64(sp + machine.profile().offset("pt_regs_sp"));
                s.regs = sp;
                s.faultRegs = null;
                s.fullRegs = true;
                s.signal = true;
            }
            default -> {
                return fail(s);
            }
        }
        switch (orc.bpReg()) {
            case Orc.REG_UNDEFINED -> {
                long[] v = getReg(s, "bp");
                if (v != null) {
                    s.bp = v[0];
                }
            }
            case Orc.REG_PREV_SP -> {
                if (!onStack(s, sp + orc.bpOffset(), 8)) {
                    return fail(s);
                }
                s.bp = mem.read64(sp + orc.bpOffset());
            }
            case Orc.REG_BP -> {
                if (!onStack(s, s.bp + orc.bpOffset(), 8)) {
                    return fail(s);
                }
                s.bp = mem.read64(s.bp + orc.bpOffset());
            }
            default -> {
                return fail(s);
            }
        }
        // Prevent a recursive loop due to bad ORC data.
        if (onStack(s, s.sp, 8) && Long.compareUnsigned(s.sp, prevSp) <= 0) {
            return fail(s);
        }
        return true;
    }

    private static boolean fail(State s) {
        s.error = true;
        s.done = true;
        return false;
    }

    /** {@code unwind_get_return_address_ptr()}. */
    private long returnAddressPtr(State s) {
        if (s.done) {
            return 0;
        }
        if (s.regs != 0) {
            return s.regs + machine.profile().offset("pt_regs_ip");
        }
        return s.sp != 0 ? s.sp - 8 : 0;
    }

    /**
     * {@code show_trace_log_lvl()}: from {@code regs} (a fault: its own frame is skipped, as the
     * kernel prints its RIP separately), or without registers from the return address at
     * {@code firstFrame} (a report from a kernel function: the walk starts at its caller).
     *
     * @param stack the task stack the context runs on
     */
    public List<Item> trace(Regs regs, long firstFrame, Machine.Stack stack) {
        List<Item> out = new ArrayList<>();
        State s = new State();
        s.stackBegin = stack.region().base();
        s.stackEnd = stack.top();
        long scan;
        if (regs != null) {
            s.ip = regs.ip();
            s.sp = regs.sp();
            s.bp = regs.bp();
            s.faultRegs = regs;
            s.fullRegs = true;
            s.signal = true;
            scan = regs.sp();
            if (!onStack(s, s.sp, 8)) {
                // overflowed into the guard page: go on from the page above
                s.error = true;
                if (!onStack(s, pageAlign(s.sp), 8)) {
                    return out;
                }
            }
            next(s);
        } else {
            // The walk starts at the frame whose return address is at firstFrame.
            s.sp = firstFrame + 8;
            s.ip = mem.read64(firstFrame);
            s.signal = false;
            scan = firstFrame;
        }
        scan &= -8L;
        if (!onStack(s, scan, 8)) {
            scan = pageAlign(scan);
            if (!onStack(s, scan, 8)) {
                return out;
            }
        }
        out.add(new StackStart("TASK"));
        long entryRegs = s.done ? 0 : s.regs;
        if (entryRegs != 0) {
            out.add(new EntryRegs(entryRegs));
        }
        long ipOff = machine.profile().offset("pt_regs_ip");
        for (long p = scan; Long.compareUnsigned(p, s.stackEnd) < 0; p += 8) {
            long addr = mem.read64(p);
            long retP = returnAddressPtr(s);
            if (!isKernelText(addr)) {
                continue;
            }
            if (entryRegs == 0 || p != entryRegs + ipOff) {
                boolean reliable = p == retP;
                out.add(new Address(addr, reliable, p));
                if (!reliable) {
                    continue;
                }
            }
            next(s);
            entryRegs = s.done ? 0 : s.regs;
            if (entryRegs != 0) {
                out.add(new EntryRegs(entryRegs));
            }
        }
        out.add(new StackEnd("TASK"));
        return out;
    }

    /**
     * {@code stack_trace_save()} (arch_stack_walk() with the ORC unwinder) from a kernel function
     * whose caller's return address is at {@code firstFrame}: the return addresses the unwinder
     * reaches, innermost first, up to the first that is not kernel text (the system call's return
     * to user space) or {@code max} of them. No stack scan: what KASAN and kmemleak keep with an
     * allocation.
     */
    public long[] save(long firstFrame, Machine.Stack stack, int max) {
        State s = new State();
        s.stackBegin = stack.region().base();
        s.stackEnd = stack.top();
        if (!onStack(s, firstFrame, 8)) {
            return new long[0];
        }
        s.sp = firstFrame + 8;
        s.ip = mem.read64(firstFrame);
        if (scratch.length < max) {
            scratch = new long[max];
        }
        long[] out = scratch;
        int n = 0;
        int kernelFrom = -1;
        long kernelIp = 0;
        long kernelSp = 0;
        while (n < max && isKernelText(s.ip)) {
            if (kernelFrom < 0 && machine.isKernelTextArea(s.ip)) {
                // The kernel frames under module code are the same for every walk until frames
                // are laid again: walked once per epoch.
                if (tail != null && tailEpoch == machine.stackEpoch() && tailIp == s.ip && tailSp == s.sp) {
                    int k = Math.min(tail.length, max - n);
                    System.arraycopy(tail, 0, out, n, k);
                    return java.util.Arrays.copyOf(out, n + k);
                }
                kernelFrom = n;
                kernelIp = s.ip;
                kernelSp = s.sp;
            }
            out[n++] = s.ip;
            if (!next(s)) {
                break;
            }
        }
        if (kernelFrom >= 0) {
            tail = java.util.Arrays.copyOfRange(out, kernelFrom, n);
            tailEpoch = machine.stackEpoch();
            tailIp = kernelIp;
            tailSp = kernelSp;
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** {@link #save}'s buffer (one CPU: one walk at a time). */
    private long[] scratch = new long[64];
    /** The kernel frames of the last {@link #save}, from (tailIp, tailSp), valid in epoch tailEpoch. */
    private long[] tail;
    private long tailEpoch;
    private long tailIp;
    private long tailSp;

    private static long pageAlign(long v) {
        return (v + AddressSpace.PAGE - 1) & -AddressSpace.PAGE;
    }
}
