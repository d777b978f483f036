package dev.kmodemu.kstubs.arch;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.kernel.Oops;
import dev.kmodemu.kstubs.printk.Printk;

import java.util.Arrays;

/**
 * arch/x86/kernel/jump_label.c: turning a {@code __jump_table} site into a jump or a NOP. A site
 * is the 2-byte ({@code jmp rel8}) or 5-byte ({@code jmp rel32}) instruction the compiler (and
 * objtool, for Debian's {@code CONFIG_HAVE_JUMP_LABEL_HACK}) left there; enabling the branch
 * writes the jump to the entry's target, disabling it writes {@code x86_nops[size]}. Before
 * writing, the site must hold what the opposite state has, or the kernel crashes the box.
 */
public final class ArchJumpLabel {
    private ArchJumpLabel() {
    }

    /** {@code JUMP_LABEL_NOP}, {@code JUMP_LABEL_JMP} of {@code enum jump_label_type}. */
    public static final int JUMP_LABEL_NOP = 0;
    public static final int JUMP_LABEL_JMP = 1;

    /**
     * {@code arch_jump_entry_size()}: the length of the instruction at the site (what
     * {@code insn_decode_kernel()} finds), which must be 2 or 5.
     */
    static int entrySize(KernelContext k, long code) {
        byte[] b = k.mem().read(code, 5);
        int op = b[0] & 0xff;
        int len;
        if (op == k.profile().value("JMP8_INSN_OPCODE") || Arrays.equals(Arrays.copyOf(b, 2), Alternative.nop(k, 2))) {
            len = 2;
        } else if (op == k.profile().value("JMP32_INSN_OPCODE") || Arrays.equals(b, Alternative.nop(k, 5))) {
            len = 5;
        } else {
            var insn = dev.kmodemu.emu.Disassembler.get().decode(k.mem().peek(code, 15), code);
            len = insn == null ? 0 : insn.size();
        }
        if (len != 2 && len != 5) {
            throw Oops.bug(k, "arch/x86/kernel/jump_label.c:25");
        }
        return len;
    }

    /**
     * {@code arch_jump_label_transform(entry, type)} for the site at {@code code} jumping to
     * {@code target} ({@code __jump_label_patch()}, then {@code text_poke_bp()}).
     */
    public static void transform(KernelContext k, long code, long target, int type) {
        int size = entrySize(k, code);
        byte[] jmp = Alternative.textGenInsn(k, (int) k.profile().value(size == 2 ? "JMP8_INSN_OPCODE"
                : "JMP32_INSN_OPCODE"), code, target);
        byte[] nop = Alternative.nop(k, size);
        byte[] expect = type == JUMP_LABEL_JMP ? nop : jmp;
        byte[] now = k.mem().read(code, size);
        if (!Arrays.equals(now, expect)) {
            var env = Printk.env(k);
            byte[] five = k.mem().read(code, 5);
            // %5ph of a 2-byte expectation reads on into the kernel's buffer; shown as zeros here
            byte[] exp5 = Arrays.copyOf(expect, 5);
            k.printk(2, "jump_label: Fatal kernel bug, unexpected op at " + env.symbolize(code, true) + " ["
                    + String.format("%016x", env.hashPointer(code) & 0xffffffffL) + "] (" + hex(five) + " != "
                    + hex(exp5) + ")) size:" + size + " type:" + type);
            throw Oops.bug(k, "arch/x86/kernel/jump_label.c:73");
        }
        Alternative.textPoke(k, code, type == JUMP_LABEL_NOP ? nop : jmp);
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(String.format("%02x", x & 0xff));
        }
        return sb.toString();
    }
}
