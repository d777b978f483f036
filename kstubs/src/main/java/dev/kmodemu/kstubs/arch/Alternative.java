package dev.kmodemu.kstubs.arch;

import dev.kmodemu.kstubs.KernelContext;

/**
 * arch/x86/kernel/alternative.c: writing kernel and module text. {@code text_poke_early()} and
 * {@code text_poke_bp()} both end with the new bytes in place and every CPU's view of the old
 * instructions flushed; here that is a write to guest memory that ignores page protections (text
 * is read-only and executable) followed by dropping Unicorn's translations of those bytes, which
 * would otherwise keep running the old code.
 */
public final class Alternative {
    private Alternative() {
    }

    /**
     * {@code text_poke_bp(addr, opcode, len, emulate)}: replaces {@code code.length} bytes of text
     * at {@code addr}. On one CPU nothing can execute the site while it is rewritten, so the
     * int3 breakpoint dance the kernel does for other CPUs has nothing to protect.
     */
    public static void textPoke(KernelContext k, long addr, byte[] code) {
        k.mem().poke(addr, code);
        k.machine().cpu().invalidateCode(addr, addr + code.length);
    }

    /** {@code x86_nops[len]}: the {@code len}-byte NOP of arch/x86/include/asm/nops.h (1 to 8). */
    public static byte[] nop(KernelContext k, int len) {
        long packed = k.profile().value("x86_nop" + len);
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) (packed >>> (8 * i));
        }
        return b;
    }

    /**
     * {@code text_gen_insn(opcode, addr, dest)}: a CALL, JMP32 (5 bytes) or JMP8 (2 bytes) at
     * {@code addr} to {@code dest}, with the displacement relative to the next instruction.
     */
    public static byte[] textGenInsn(KernelContext k, int opcode, long addr, long dest) {
        int size = opcode == k.profile().value("JMP8_INSN_OPCODE") ? 2 : 5;
        long disp = dest - (addr + size);
        byte[] b = new byte[size];
        b[0] = (byte) opcode;
        if (size == 2) {
            if (disp != (byte) disp) {
                throw new IllegalStateException("text_gen_insn: JMP8 from 0x" + Long.toHexString(addr) + " to 0x"
                        + Long.toHexString(dest) + " out of range");
            }
            b[1] = (byte) disp;
        } else {
            for (int i = 0; i < 4; i++) {
                b[1 + i] = (byte) (disp >>> (8 * i));
            }
        }
        return b;
    }
}
