package dev.kmodemu.emu;

/** The kind of a memory access, as the page-fault error code distinguishes them. */
public enum Access {
    READ, WRITE, FETCH;

    /** From a Unicorn {@code uc_mem_type} of the plain (non-fault) kinds. */
    static Access ofUnicorn(int memType) {
        return switch (memType) {
            case Unicorn.UC_MEM_WRITE -> WRITE;
            case Unicorn.UC_MEM_FETCH -> FETCH;
            default -> READ;
        };
    }

    /** The permission bit this access needs. */
    int permission() {
        return switch (this) {
            case READ -> AddressSpace.R;
            case WRITE -> AddressSpace.W;
            case FETCH -> AddressSpace.X;
        };
    }
}
