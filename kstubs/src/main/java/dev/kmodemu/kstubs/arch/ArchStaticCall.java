package dev.kmodemu.kstubs.arch;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.kernel.Oops;

import java.util.Arrays;

/**
 * arch/x86/kernel/static_call.c: rewriting a static call trampoline ({@code jmp func} followed by
 * the {@code ud1 %esp,%ecx} signature) or an inline call site ({@code call func}, a 5-byte NOP for
 * a NULL function, {@code xor %eax,%eax} in a 5-byte form for {@code __static_call_return0}; tail
 * calls {@code jmp func} or {@code ret}). The emulated CPU needs no return thunk (see
 * {@code __x86_return_thunk}), so a returning site is a plain {@code ret}.
 */
public final class ArchStaticCall {
    private ArchStaticCall() {
    }

    private static final int CALL = 0;
    private static final int NOP = 1;
    private static final int JMP = 2;
    private static final int RET = 3;
    private static final int JCC = 4;

    /** {@code ud1 %esp, %ecx}: the 3 bytes after a trampoline's jump. */
    private static final byte[] TRAMP_UD = {0x0f, (byte) 0xb9, (byte) 0xcc};
    /** {@code cs cs cs xorl %eax, %eax}. */
    private static final byte[] XOR5RAX = {0x2e, 0x2e, 0x2e, 0x31, (byte) 0xc0};

    /** {@code __is_Jcc()}: the second opcode byte of a {@code Jcc.d32}, or 0. */
    private static int isJcc(byte[] insn) {
        return (insn[0] & 0xff) == 0x0f && (insn[1] & 0xf0) == 0x80 ? insn[1] & 0xff : 0;
    }

    /** {@code __static_call_transform()}. */
    private static void transform(KernelContext k, long insn, int type, long func) {
        byte[] now = k.mem().read(insn, 6);
        int op = 0;
        if ((type == JMP || type == RET) && (op = isJcc(now)) != 0) {
            type = JCC;
        }
        byte[] code;
        switch (type) {
            case CALL -> code = func == k.sym("__static_call_return0") ? XOR5RAX
                    : Alternative.textGenInsn(k, (int) k.profile().value("CALL_INSN_OPCODE"), insn, func);
            case NOP -> code = Alternative.nop(k, 5);
            case JMP -> code = Alternative.textGenInsn(k, (int) k.profile().value("JMP32_INSN_OPCODE"), insn, func);
            case RET -> code = new byte[] {(byte) k.profile().value("RET_INSN_OPCODE"), (byte) 0xcc, (byte) 0xcc,
                (byte) 0xcc, (byte) 0xcc};
            default -> {
                // Jcc.d32 to func, or to __static_call_return ("ret; int3") for NULL
                long dest = func != 0 ? func : k.sym("__static_call_return");
                byte[] j = Alternative.textGenInsn(k, (int) k.profile().value("JMP32_INSN_OPCODE"), insn + 1, dest);
                code = new byte[6];
                code[0] = 0x0f;
                code[1] = (byte) op;
                System.arraycopy(j, 1, code, 2, 4);
            }
        }
        if (Arrays.equals(Arrays.copyOf(now, code.length), code)) {
            return;
        }
        Alternative.textPoke(k, insn, code);
    }

    /** {@code __static_call_validate()}: the site or trampoline holds one of the forms this file writes. */
    private static void validate(KernelContext k, long insn, boolean tail, boolean tramp) {
        byte[] b = k.mem().read(insn, 8);
        int opcode = b[0] & 0xff;
        if (tramp && !Arrays.equals(Arrays.copyOfRange(b, 5, 8), TRAMP_UD)) {
            k.printk(3, "trampoline signature fail");
            throw Oops.bug(k, "arch/x86/kernel/static_call.c:118");
        }
        byte[] five = Arrays.copyOf(b, 5);
        if (tail) {
            if (opcode == k.profile().value("JMP32_INSN_OPCODE") || opcode == k.profile().value("RET_INSN_OPCODE")
                    || isJcc(b) != 0) {
                return;
            }
        } else if (opcode == k.profile().value("CALL_INSN_OPCODE") || Arrays.equals(five, Alternative.nop(k, 5))
                || Arrays.equals(five, XOR5RAX)) {
            return;
        }
        k.printk(3, "unexpected static_call insn opcode 0x" + Integer.toHexString(opcode) + " at "
                + dev.kmodemu.kstubs.printk.Printk.env(k).symbolize(insn, false));
        throw Oops.bug(k, "arch/x86/kernel/static_call.c:137");
    }

    /**
     * {@code void arch_static_call_transform(void *site, void *tramp, void *func, bool tail)}: points
     * the trampoline and/or the inline site at {@code func} (NULL: the call does nothing).
     */
    @KernelSymbol("arch_static_call_transform")
    public static void archStaticCallTransform(KernelContext k, long site, long tramp, long func, boolean tail) {
        if (tramp != 0) {
            validate(k, tramp, true, true);
            transform(k, tramp, func == 0 ? RET : JMP, func);
        }
        if (site != 0) {
            validate(k, site, tail, false);
            transform(k, site, 2 * (tail ? 1 : 0) + (func == 0 ? 1 : 0), func);
        }
    }

    /**
     * {@code __static_call_fixup()}: a {@code .return_sites} entry that is a static call trampoline
     * (its {@code ud1} signature follows) is made to return as {@code apply_returns()} would;
     * returns false for any other site.
     */
    public static boolean staticCallFixup(KernelContext k, long tramp, int op, long dest) {
        if ((tramp >>> 12) != ((tramp + 7) >>> 12) && !dev.kmodemu.kstubs.kernel.JumpLabel.kernelTextAddress(k, tramp + 7)) {
            return false;
        }
        if (!Arrays.equals(k.mem().read(tramp + 5, 3), TRAMP_UD)) {
            return false;
        }
        if (op == k.profile().value("RET_INSN_OPCODE") || dest == k.sym("__x86_return_thunk")) {
            transform(k, tramp, RET, 0);
        }
        return true;
    }
}
