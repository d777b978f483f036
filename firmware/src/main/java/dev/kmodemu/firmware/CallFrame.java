package dev.kmodemu.firmware;

import dev.kmodemu.emu.Reg;

/**
 * The SysV arguments of a guest call to a {@link Stub}: rdi, rsi, rdx, rcx, r8, r9, then the
 * stack. Read once per call with one native register read; valid only during the call.
 */
public final class CallFrame {
    static final Reg[] REGS = {Reg.RDI, Reg.RSI, Reg.RDX, Reg.RCX, Reg.R8, Reg.R9, Reg.RSP};

    private final Machine machine;
    final long[] regs = new long[REGS.length];
    String symbol;
    long address;
    /** Registers a stub sets besides rax (non-standard conventions such as __get_user_N). */
    Reg[] outRegs = new Reg[4];
    long[] outVals = new long[4];
    int outCount;

    CallFrame(Machine machine) {
        this.machine = machine;
    }

    public Machine machine() {
        return machine;
    }

    /** The {@code i}-th integer argument (0-based). */
    public long arg(int i) {
        if (i < 6) {
            return regs[i];
        }
        return machine.memory().read64(regs[6] + 8L * (i - 6 + 1));
    }

    /** The stack pointer at the call: it points at the return address. */
    public long rsp() {
        return regs[6];
    }

    /** The caller's return address ({@code __builtin_return_address(0)}). */
    public long returnAddress() {
        return machine.memory().read64(regs[6]);
    }

    /**
     * A register the call reads besides the SysV arguments, for the kernel's assembler helpers
     * with their own conventions (e.g. {@code __get_user_4} takes the pointer in rax).
     */
    public long register(Reg r) {
        return machine.cpu().get(r);
    }

    /**
     * Sets a register on return besides rax (e.g. the value rdx of {@code __get_user_N}). Callers
     * of such helpers expect every other register preserved, which the dispatcher does.
     */
    public void setRegister(Reg r, long value) {
        outRegs[outCount] = r;
        outVals[outCount++] = value;
    }

    /** The name of the called kernel symbol. */
    public String symbol() {
        return symbol;
    }

    /** The address of the called kernel symbol. */
    public long address() {
        return address;
    }
}
