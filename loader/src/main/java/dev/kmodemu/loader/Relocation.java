package dev.kmodemu.loader;

/**
 * The x86-64 relocation types the kernel's {@code apply_relocate_add()} accepts. S is the
 * symbol's value, A the addend, P the address of the place being relocated.
 */
public enum Relocation {
    /** No-op. */
    R_X86_64_NONE(0, 0),
    /** S + A, 64 bits; the place must hold zero. */
    R_X86_64_64(1, 8),
    /** S + A - P, 32 bits; the place must hold zero; the kernel does not check overflow. */
    R_X86_64_PC32(2, 4),
    /** S + A - P via the PLT (no PLT in modules: same as PC32). */
    R_X86_64_PLT32(4, 4),
    /** S + A, zero-extended 32 bits; overflow is an error. */
    R_X86_64_32(10, 4),
    /** S + A, sign-extended 32 bits; overflow is an error. */
    R_X86_64_32S(11, 4),
    /** S + A - P, 64 bits. */
    R_X86_64_PC64(24, 8);

    public final int type;
    /** Bytes written at the place. */
    public final int width;

    Relocation(int type, int width) {
        this.type = type;
        this.width = width;
    }

    /** The constant for an ELF relocation type number, or null if the kernel does not know it. */
    public static Relocation of(int type) {
        for (Relocation r : values()) {
            if (r.type == type) {
                return r;
            }
        }
        return null;
    }
}
