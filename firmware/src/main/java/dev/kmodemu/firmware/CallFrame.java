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

    /** The name of the called kernel symbol. */
    public String symbol() {
        return symbol;
    }

    /** The address of the called kernel symbol. */
    public long address() {
        return address;
    }
}
