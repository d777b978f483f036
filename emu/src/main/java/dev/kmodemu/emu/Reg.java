package dev.kmodemu.emu;

/**
 * x86-64 registers with their Unicorn 2.1 {@code uc_x86_reg} numbers and the width Unicorn
 * reads them with in 64-bit mode: it stores only 32 bits of EFLAGS and 16 of a segment selector
 * into the caller's buffer and leaves the rest of it as it was.
 */
public enum Reg {
    RAX(35), RBX(37), RCX(38), RDX(40), RSI(43), RDI(39), RBP(36), RSP(44),
    R8(106), R9(107), R10(108), R11(109), R12(110), R13(111), R14(112), R15(113),
    RIP(41), EFLAGS(25, 32), CS(11, 16), SS(49, 16), DS(17, 16), ES(28, 16), FS(32, 16), GS(33, 16),
    CR0(50), CR2(52), CR3(53), CR4(54), FS_BASE(250), GS_BASE(251);

    final int id;
    /** The bits of a read value that are the register's: the rest is zero. */
    final long mask;

    Reg(int id) {
        this(id, 64);
    }

    Reg(int id, int bits) {
        this.id = id;
        this.mask = bits == 64 ? -1L : (1L << bits) - 1;
    }

    /** The sixteen general-purpose registers in the order the kernel prints them in an oops. */
    public static final Reg[] GPRS = {RAX, RBX, RCX, RDX, RSI, RDI, RBP, RSP, R8, R9, R10, R11, R12, R13, R14, R15};

    /** SysV integer argument registers, in order. */
    public static final Reg[] ARGS = {RDI, RSI, RDX, RCX, R8, R9};
}
