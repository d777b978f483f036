package dev.kmodemu.emu;

import capstone.Capstone;
import capstone.X86;

import java.util.ArrayList;
import java.util.List;

/**
 * x86-64 disassembly through Capstone 4 (the {@code com.github.transcurity:capstone} binding, JNA
 * over Debian's {@code libcapstone.so.4}), in AT&T syntax like objdump and the kernel's
 * {@code scripts/decodecode}. Loaded on first use: only fault reports and traces need it.
 */
public final class Disassembler {
    /** One decoded instruction; {@code memory} lists its explicit memory operands. */
    public record Insn(long address, int size, String mnemonic, String operands, List<MemOperand> memory) {
        @Override
        public String toString() {
            return operands.isEmpty() ? mnemonic : mnemonic + " " + operands;
        }
    }

    /** A memory operand {@code segment:disp(base,index,scale)}; register names are lower case, or null. */
    public record MemOperand(String segment, String base, String index, int scale, long disp) {
    }

    private static Disassembler instance;
    private final Capstone cs;

    private Disassembler() {
        cs = new Capstone(Capstone.CS_ARCH_X86, Capstone.CS_MODE_64);
        cs.setSyntax(Capstone.CS_OPT_SYNTAX_ATT);
        cs.setDetail(Capstone.CS_OPT_ON);
    }

    /** The shared instance; throws {@link UnsatisfiedLinkError} if libcapstone.so.4 is missing. */
    public static synchronized Disassembler get() {
        if (instance == null) {
            instance = new Disassembler();
        }
        return instance;
    }

    /** Decodes up to {@code max} instructions of {@code code}, which starts at {@code address}. */
    public synchronized List<Insn> disassemble(byte[] code, long address, int max) {
        List<Insn> out = new ArrayList<>();
        if (code == null || code.length == 0) {
            return out;
        }
        Capstone.CsInsn[] insns = cs.disasm(code, address, max);
        if (insns == null) {
            return out;
        }
        for (Capstone.CsInsn i : insns) {
            List<MemOperand> mem = new ArrayList<>();
            if (i.operands instanceof X86.OpInfo x && x.op != null) {
                for (X86.Operand op : x.op) {
                    if (op.type == Capstone.CS_OP_MEM) {
                        X86.MemType m = op.value.mem;
                        mem.add(new MemOperand(name(i, m.segment), name(i, m.base), name(i, m.index), m.scale,
                                m.disp));
                    }
                }
            }
            out.add(new Insn(i.address, i.size, i.mnemonic, i.opStr == null ? "" : i.opStr, mem));
        }
        return out;
    }

    /** Decodes the one instruction at the start of {@code code}, or returns null. */
    public Insn decode(byte[] code, long address) {
        List<Insn> l = disassemble(code, address, 1);
        return l.isEmpty() ? null : l.get(0);
    }

    private static String name(Capstone.CsInsn i, int reg) {
        return reg == 0 ? null : i.regName(reg);
    }
}
