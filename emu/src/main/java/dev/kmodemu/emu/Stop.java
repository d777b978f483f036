package dev.kmodemu.emu;

/**
 * Why {@link Cpu#run} returned. {@code rip} is the guest instruction pointer at the stop: after
 * the {@code hlt} for {@link Kind#HLT}, at the faulting instruction for faults and invalid
 * opcodes.
 */
public record Stop(Kind kind, long rip, PageFault fault, int vector, int ucErr) {
    public enum Kind {
        /** A {@code hlt} instruction retired. */
        HLT,
        /** A page fault: {@link #fault()} says where and why. */
        PAGE_FAULT,
        /** An undefined or unsupported instruction ({@code ud2} among them). */
        INVALID_OPCODE,
        /** A CPU exception or software interrupt other than a page fault ({@link #vector()}). */
        EXCEPTION,
        /** {@link Cpu#requestStop()} was called, e.g. by a watchdog. */
        STOPPED,
        /** The instruction budget ({@link Cpu#blockBudget}) ran out. */
        BUDGET,
        /** Unicorn failed for another reason ({@link #ucErr()}). */
        ERROR
    }

    public static final int VECTOR_DE = 0;
    public static final int VECTOR_BP = 3;
    public static final int VECTOR_UD = 6;
    public static final int VECTOR_GP = 13;
    public static final int VECTOR_PF = 14;

    @Override
    public String toString() {
        return switch (kind) {
            case PAGE_FAULT -> "page fault at rip 0x" + Long.toHexString(rip) + ": " + fault.getMessage();
            case EXCEPTION -> "exception " + vector + " at rip 0x" + Long.toHexString(rip);
            case ERROR -> "unicorn error " + ucErr + " (" + Unicorn.strerror(ucErr) + ") at rip 0x"
                    + Long.toHexString(rip);
            default -> kind + " at rip 0x" + Long.toHexString(rip);
        };
    }
}
