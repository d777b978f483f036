package dev.kmodemu.kstubs.arch;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.emu.Disassembler;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.kernel.Oops;
import dev.kmodemu.kstubs.module.Module;

import java.util.Arrays;

/**
 * arch/x86/kernel/alternative.c: writing kernel and module text. {@code text_poke_early()} and
 * {@code text_poke_bp()} both end with the new bytes in place and every CPU's view of the old
 * instructions flushed; here that is a write to guest memory that ignores page protections (text
 * is read-only and executable) followed by dropping Unicorn's translations of those bytes, which
 * would otherwise keep running the old code.
 *
 * <p>And the patching {@code module_finalize()} (arch/x86/kernel/module.c) does to a module's
 * text before it runs, in the kernel's order: paravirt call sites become direct calls
 * ({@code .parainstructions}), retpoline thunk calls become indirect calls and return-thunk jumps
 * become {@code ret} ({@code .retpoline_sites}, {@code .return_sites}: the emulated CPU needs
 * neither mitigation, see {@link CpuInfo}), alternatives are applied for boot_cpu_data's
 * features ({@code .altinstructions}), and with one CPU the {@code lock} prefixes of
 * {@code .text} become {@code ds} prefixes ({@code .smp_locks}). Instruction lengths come from
 * Capstone where the kernel uses its instruction decoder.
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

    private static final int ASM_NOP_MAX = 8;

    /** {@code add_nops()}: {@code len} bytes of the longest NOPs, from {@code off} in {@code b}. */
    static void addNops(KernelContext k, byte[] b, int off, int len) {
        while (len > 0) {
            int n = Math.min(len, ASM_NOP_MAX);
            System.arraycopy(nop(k, n), 0, b, off, n);
            off += n;
            len -= n;
        }
    }

    /** {@code insn_decode_kernel()}: the length of the instruction at {@code off} of {@code b}, or 0. */
    private static int insnLength(byte[] b, int off, long address) {
        if (off >= b.length) {
            return 0;
        }
        var insn = Disassembler.get().decode(Arrays.copyOfRange(b, off, b.length), address + off);
        return insn == null ? 0 : insn.size();
    }

    /** {@code optimize_nops()}: runs of single-byte NOPs in {@code b[0, len)} become longer NOPs. */
    static void optimizeNops(KernelContext k, byte[] b, int len, long address) {
        int i = 0;
        for (;;) {
            int n = insnLength(b, i, address);
            if (n == 0) {
                return;
            }
            if (n == 1 && (b[i] & 0xff) == 0x90) {
                int j = i;
                while (j < len && (b[j] & 0xff) == 0x90) {
                    j++;
                }
                int nnops = j - i;
                if (nnops > 1) {
                    addNops(k, b, i, nnops);
                }
                i += nnops;
            } else {
                i += n;
            }
            if (i >= len) {
                return;
            }
        }
    }

    /** {@code recompute_jump()}: a 5-byte replacement jump re-aimed from the original site (2 bytes if it fits). */
    private static void recomputeJump(KernelContext k, int replLen, long orig, long repl, byte[] buf) {
        if (replLen != 5) {
            return;
        }
        int oDspl = (buf[1] & 0xff) | (buf[2] & 0xff) << 8 | (buf[3] & 0xff) << 16 | buf[4] << 24;
        long tgt = repl + replLen + oDspl;
        long nDspl = tgt - orig;
        boolean two = tgt - orig >= 0 ? nDspl - 2 <= 127 : ((nDspl - 2) & 0xff) == (nDspl - 2);
        if (two) {
            buf[0] = (byte) 0xeb;
            buf[1] = (byte) (nDspl - 2);
            addNops(k, buf, 2, 3);
        } else {
            long d = nDspl - 5;
            buf[0] = (byte) 0xe9;
            for (int b = 0; b < 4; b++) {
                buf[1 + b] = (byte) (d >>> (8 * b));
            }
        }
    }

    /** {@code apply_alternatives()} over the {@code struct alt_instr} array [start, end). */
    static void applyAlternatives(KernelContext k, long start, long end) {
        AddressSpace mem = k.mem();
        int size = k.off("alt_instr_sizeof");
        int inv = (int) k.profile().value("ALTINSTR_FLAG_INV");
        long maxFeature = (k.profile().value("NCAPINTS") + k.profile().value("NBUGINTS")) * 32;
        for (long a = start; a < end; a += size) {
            long io = a + k.off("alt_instr_instr_offset");
            long ro = a + k.off("alt_instr_repl_offset");
            long instr = io + mem.read32(io);
            long repl = ro + mem.read32(ro);
            int cpuid = mem.read16(a + k.off("alt_instr_cpuid")) & 0xffff;
            int instrlen = mem.read8(a + k.off("alt_instr_instrlen")) & 0xff;
            int repllen = mem.read8(a + k.off("alt_instr_replacementlen")) & 0xff;
            int feature = cpuid & ~inv;
            if (feature >= maxFeature) {
                throw Oops.bug(k, "arch/x86/kernel/alternative.c:305");
            }
            if (CpuInfo.bootCpuHas(k, feature) != ((cpuid & inv) != 0)) {
                byte[] buf = new byte[Math.max(instrlen, repllen)];
                System.arraycopy(mem.read(repl, repllen), 0, buf, 0, repllen);
                if (repllen == 5 && (buf[0] & 0xff) == 0xe8) {
                    int d = (buf[1] & 0xff) | (buf[2] & 0xff) << 8 | (buf[3] & 0xff) << 16 | buf[4] << 24;
                    d += (int) (repl - instr);
                    for (int b = 0; b < 4; b++) {
                        buf[1 + b] = (byte) (d >>> (8 * b));
                    }
                }
                if (repllen > 0 && ((buf[0] & 0xff) == 0xeb || (buf[0] & 0xff) == 0xe9)) {
                    recomputeJump(k, repllen, instr, repl, buf);
                }
                for (int i = repllen; i < instrlen; i++) {
                    buf[i] = (byte) 0x90;
                }
                textPoke(k, instr, Arrays.copyOf(buf, Math.max(repllen, instrlen)));
            }
            byte[] now = mem.read(instr, instrlen);
            optimizeNops(k, now, instrlen, instr);
            textPoke(k, instr, now);
        }
    }

    /**
     * {@code apply_paravirt()}: each {@code call *pv_ops+N(%rip)} becomes a direct call to the
     * operation (arch/x86/kernel/paravirt.c {@code paravirt_patch()}), or NOPs for
     * {@code _paravirt_nop}, padded with NOPs.
     */
    static void applyParavirt(KernelContext k, long start, long end) {
        AddressSpace mem = k.mem();
        int size = k.off("paravirt_patch_site_sizeof");
        long pvOps = k.sym("pv_ops");
        long nopFn = k.machine().symbol("_paravirt_nop");
        for (long p = start; p < end; p += size) {
            long instr = mem.read64(p + k.off("paravirt_patch_site_instr"));
            int type = mem.read8(p + k.off("paravirt_patch_site_type")) & 0xff;
            int len = mem.read8(p + k.off("paravirt_patch_site_len")) & 0xff;
            long opfunc = mem.read64(pvOps + 8L * type);
            byte[] buf = mem.read(instr, len);
            int used;
            if (opfunc == nopFn && nopFn != -1) {
                used = 0;
            } else {
                long target = opfunc == 0 ? k.sym("paravirt_BUG") : opfunc;
                byte[] call = textGenInsn(k, (int) k.profile().value("CALL_INSN_OPCODE"), instr, target);
                System.arraycopy(call, 0, buf, 0, call.length);
                used = call.length;
            }
            if (used > len) {
                throw Oops.bug(k, "arch/x86/kernel/alternative.c:1055");
            }
            addNops(k, buf, used, len - used);
            textPoke(k, instr, buf);
        }
    }

    private static final String[] THUNK_REGS = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9",
        "r10", "r11", "r12", "r13", "r14", "r15"};

    /** The register of the retpoline thunk at {@code target}, or -1. */
    private static int thunkRegister(KernelContext k, long target) {
        for (int r = 0; r < THUNK_REGS.length; r++) {
            if (k.machine().symbol("__x86_indirect_thunk_" + THUNK_REGS[r]) == target) {
                return r;
            }
        }
        return -1;
    }

    /** How many legacy prefix bytes start {@code b}. */
    private static int prefixes(byte[] b) {
        int i = 0;
        while (i < b.length - 1) {
            switch (b[i] & 0xff) {
                case 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67, 0xf0, 0xf2, 0xf3 -> i++;
                default -> {
                    return i;
                }
            }
        }
        return i;
    }

    /** The 32-bit displacement of a CALL/JMP/Jcc.d32 ending at {@code off + len}. */
    private static long target(byte[] b, int len, long addr) {
        int d = (b[len - 4] & 0xff) | (b[len - 3] & 0xff) << 8 | (b[len - 2] & 0xff) << 16 | b[len - 1] << 24;
        return addr + len + d;
    }

    /**
     * {@code apply_retpolines()}: without X86_FEATURE_RETPOLINE, {@code call/jmp
     * __x86_indirect_thunk_REG} becomes {@code call/jmp *%REG} (a Jcc to a thunk: the inverted
     * Jcc over a {@code jmp *%REG}), padded with int3 after a jump and NOPs.
     */
    static void applyRetpolines(KernelContext k, long start, long end) {
        AddressSpace mem = k.mem();
        boolean retpoline = CpuInfo.bootCpuHas(k, (int) k.profile().value("X86_FEATURE_RETPOLINE"));
        boolean lfence = CpuInfo.bootCpuHas(k, (int) k.profile().value("X86_FEATURE_RETPOLINE_LFENCE"));
        for (long s = start; s < end; s += 4) {
            long addr = s + mem.read32(s);
            byte[] code = mem.read(addr, 16);
            int len = insnLength(code, 0, addr);
            // insn.opcode: after any prefix (gcc's -mindirect-branch-cs-prefix puts a CS on these)
            int pre = prefixes(code);
            int op1 = code[pre] & 0xff;
            int op2 = code[pre + 1] & 0xff;
            boolean jcc = op1 == 0x0f && op2 >= 0x80 && op2 <= 0x8f;
            if (len == 0 || !(op1 == 0xe8 || op1 == 0xe9 || jcc)) {
                Oops.warnOnce(k, "arch/x86/kernel/alternative.c:739", "apply_retpolines");
                continue;
            }
            int reg = thunkRegister(k, target(code, len, addr));
            if (reg < 0) {
                Oops.warnOnce(k, "arch/x86/kernel/alternative.c:634", "patch_retpoline");
                continue;
            }
            if (reg == 4) {
                throw Oops.bug(k, "arch/x86/kernel/alternative.c:638");
            }
            if (retpoline && !lfence) {
                continue;
            }
            byte[] bytes = new byte[len];
            int i = 0;
            int op = op1;
            if (jcc) {
                bytes[i++] = (byte) (0x70 + ((op2 & 0xf) ^ 1));
                bytes[i++] = (byte) (len - 2);
                op = 0xe9;
            }
            if (lfence) {
                bytes[i++] = 0x0f;
                bytes[i++] = (byte) 0xae;
                bytes[i++] = (byte) 0xe8;
            }
            // emit_indirect(): ff /2 (call) or ff /4 (jmp), REX.B for r8-r15
            int r = reg;
            if (r >= 8) {
                bytes[i++] = 0x41;
                r -= 8;
            }
            bytes[i++] = (byte) 0xff;
            bytes[i++] = (byte) (0xc0 | (op == 0xe8 ? 0x10 : 0x20) | r);
            if (op == 0xe9 && i < len) {
                bytes[i++] = (byte) k.profile().value("INT3_INSN_OPCODE");
            }
            while (i < len) {
                bytes[i++] = (byte) 0x90;
            }
            optimizeNops(k, bytes, len, addr);
            textPoke(k, addr, bytes);
        }
    }

    /**
     * {@code apply_returns()}: without X86_FEATURE_RETHUNK, {@code jmp __x86_return_thunk}
     * becomes {@code ret} and int3s; a module's own static call trampoline is fixed up as
     * {@code __static_call_fixup()} does.
     */
    static void applyReturns(KernelContext k, long start, long end) {
        AddressSpace mem = k.mem();
        boolean rethunk = CpuInfo.bootCpuHas(k, (int) k.profile().value("X86_FEATURE_RETHUNK"));
        long thunk = k.sym("__x86_return_thunk");
        for (long s = start; s < end; s += 4) {
            long addr = s + mem.read32(s);
            byte[] code = mem.read(addr, 16);
            int len = insnLength(code, 0, addr);
            if (len == 0) {
                Oops.warnOnce(k, "arch/x86/kernel/alternative.c:815", "apply_returns");
                continue;
            }
            int op = code[prefixes(code)] & 0xff;
            long dest = op == 0xe9 ? target(code, len, addr) : 0;
            if (ArchStaticCall.staticCallFixup(k, addr, op, dest)) {
                continue;
            }
            if (dest != thunk) {
                dev.kmodemu.kstubs.lib.OnceLite.warnOnce(k, "arch/x86/kernel/alternative.c:823", "apply_returns",
                        "missing return thunk: " + dev.kmodemu.kstubs.printk.Printk.env(k).symbolize(addr, true) + "-"
                                + dev.kmodemu.kstubs.printk.Printk.env(k).symbolize(dest, true) + ": "
                                + java.util.HexFormat.ofDelimiter(" ").formatHex(code, 0, 5));
                continue;
            }
            byte[] bytes = new byte[len];
            int i = 0;
            if (rethunk) {
                byte[] j = textGenInsn(k, (int) k.profile().value("JMP32_INSN_OPCODE"), addr, thunk);
                System.arraycopy(j, 0, bytes, 0, j.length);
                i = j.length;
            } else {
                bytes[i++] = (byte) k.profile().value("RET_INSN_OPCODE");
            }
            while (i < len) {
                bytes[i++] = (byte) k.profile().value("INT3_INSN_OPCODE");
            }
            textPoke(k, addr, bytes);
        }
    }

    /**
     * {@code alternatives_smp_module_add()} on a kernel patched for one CPU ({@code uniproc_patched},
     * one possible CPU): {@code alternatives_smp_unlock()} turns each {@code lock} prefix listed in
     * {@code .smp_locks} that lies in the module's {@code .text} into a {@code ds} prefix.
     */
    static void smpUnlock(KernelContext k, long start, long end, long text, long textEnd) {
        AddressSpace mem = k.mem();
        for (long p = start; p < end; p += 4) {
            int off = mem.read32(p);
            long ptr = p + off;
            if (off == 0 || Long.compareUnsigned(ptr, text) < 0 || Long.compareUnsigned(ptr, textEnd) >= 0) {
                continue;
            }
            if ((mem.read(ptr, 1)[0] & 0xff) == 0xf0) {
                textPoke(k, ptr, new byte[] {0x3e});
            }
        }
    }

    /**
     * {@code module_finalize()} of arch/x86/kernel/module.c, before the module's code first runs:
     * paravirt, retpolines, returns, alternatives, SMP lock prefixes (the ORC tables are sorted by
     * the module loader).
     */
    public static void moduleFinalize(KernelContext k, Module mod) {
        patch(k, mod, ".parainstructions", Alternative::applyParavirt);
        patch(k, mod, ".retpoline_sites", Alternative::applyRetpolines);
        patch(k, mod, ".return_sites", Alternative::applyReturns);
        patch(k, mod, ".altinstructions", Alternative::applyAlternatives);
        long text = mod.sectionAddress(".text");
        if (text != 0) {
            patch(k, mod, ".smp_locks", (kk, start, end) -> smpUnlock(kk, start, end, text,
                    text + mod.sectionSize(".text")));
        }
    }

    /** One of module_finalize()'s passes over a table section [start, end). */
    private interface Pass {
        void apply(KernelContext k, long start, long end);
    }

    private static void patch(KernelContext k, Module mod, String section, Pass pass) {
        long start = mod.sectionAddress(section);
        if (start != 0) {
            pass.apply(k, start, start + mod.sectionSize(section));
        }
    }
}
