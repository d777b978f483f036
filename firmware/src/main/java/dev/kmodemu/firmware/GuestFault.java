package dev.kmodemu.firmware;

import dev.kmodemu.emu.Access;

/**
 * Guest execution went wrong where the real kernel would oops, panic or lock up: the CPU state
 * at the fault, for a report in the kernel's format.
 */
public final class GuestFault extends RuntimeException {
    /** What happened. */
    public enum Kind {
        PAGE_FAULT, INVALID_OPCODE, GENERAL_PROTECTION, DIVIDE_ERROR, BREAKPOINT, OTHER_EXCEPTION,
        /** The time or instruction budget of a call ran out (a soft lockup on the real kernel). */
        LOCKUP,
        /** Unexpected {@code hlt}, or Unicorn failed. */
        EMULATOR
    }

    private final Kind kind;
    private final long rip;
    private final long address;
    private final Access access;
    private final boolean present;
    private final int vector;
    private final long[] registers;
    private final long eflags;
    private final String stub;

    GuestFault(Kind kind, long rip, long address, Access access, boolean present, int vector, long[] registers,
            long eflags, String stub, String detail) {
        super(detail, null, false, false);
        this.kind = kind;
        this.rip = rip;
        this.address = address;
        this.access = access;
        this.present = present;
        this.vector = vector;
        this.registers = registers;
        this.eflags = eflags;
        this.stub = stub;
    }

    public Kind kind() {
        return kind;
    }

    public long rip() {
        return rip;
    }

    /** CR2 for page faults. */
    public long address() {
        return address;
    }

    public Access access() {
        return access;
    }

    /** For page faults: true if the page was mapped but the access not permitted. */
    public boolean present() {
        return present;
    }

    public int vector() {
        return vector;
    }

    /** RAX..R15 in {@link dev.kmodemu.emu.Reg#GPRS} order. */
    public long[] registers() {
        return registers.clone();
    }

    public long eflags() {
        return eflags;
    }

    /** The Java-implemented kernel function the fault happened in, or null for guest code. */
    public String stub() {
        return stub;
    }
}
