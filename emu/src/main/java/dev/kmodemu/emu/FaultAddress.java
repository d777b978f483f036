package dev.kmodemu.emu;

import java.util.Locale;

/**
 * The exact faulting address of a page fault. Unicorn's TLB hook sees only the page, so the
 * faulting instruction is decoded and the effective address of its memory operands computed from
 * the registers; the one on the faulting page is CR2.
 */
public final class FaultAddress {
    private FaultAddress() {
    }

    /** The precise address for {@code stop}'s fault, or the page address if it cannot be decoded. */
    public static long refine(Cpu cpu, Stop stop) {
        PageFault f = stop.fault();
        long page = f.address() & -AddressSpace.PAGE;
        if (f.access() == Access.FETCH) {
            return stop.rip();
        }
        try {
            byte[] code = cpu.memory().peek(stop.rip(), 16);
            Disassembler.Insn insn = Disassembler.get().decode(code, stop.rip());
            if (insn == null) {
                return f.address();
            }
            for (Disassembler.MemOperand m : insn.memory()) {
                long ea = m.disp();
                if (m.base() != null) {
                    ea += m.base().equals("rip") ? stop.rip() + insn.size() : reg(cpu, m.base());
                }
                if (m.index() != null) {
                    ea += reg(cpu, m.index()) * m.scale();
                }
                if ("gs".equals(m.segment())) {
                    ea += cpu.get(Reg.GS_BASE);
                } else if ("fs".equals(m.segment())) {
                    ea += cpu.get(Reg.FS_BASE);
                }
                if ((ea & -AddressSpace.PAGE) == page || ((ea + 7) & -AddressSpace.PAGE) == page) {
                    return Long.compareUnsigned(ea, page) < 0 ? page : ea;
                }
            }
            String mn = insn.mnemonic();
            if (mn.startsWith("movs") || mn.startsWith("stos") || mn.startsWith("rep")) {
                long di = cpu.get(Reg.RDI);
                long si = cpu.get(Reg.RSI);
                if ((di & -AddressSpace.PAGE) == page) {
                    return di;
                }
                if ((si & -AddressSpace.PAGE) == page) {
                    return si;
                }
            }
        } catch (RuntimeException | LinkageError e) {
            // fall back to the page address
        }
        return f.address();
    }

    private static long reg(Cpu cpu, String name) {
        String n = name.toLowerCase(Locale.ROOT);
        Reg r = switch (n) {
            case "rax", "eax" -> Reg.RAX;
            case "rbx", "ebx" -> Reg.RBX;
            case "rcx", "ecx" -> Reg.RCX;
            case "rdx", "edx" -> Reg.RDX;
            case "rsi", "esi" -> Reg.RSI;
            case "rdi", "edi" -> Reg.RDI;
            case "rbp", "ebp" -> Reg.RBP;
            case "rsp", "esp" -> Reg.RSP;
            default -> {
                if (n.matches("r(8|9|1[0-5])[dwb]?")) {
                    yield Reg.valueOf(n.replaceAll("[dwb]$", "").toUpperCase(Locale.ROOT));
                }
                yield null;
            }
        };
        if (r == null) {
            return 0;
        }
        long v = cpu.get(r);
        return n.startsWith("e") || n.endsWith("d") ? v & 0xffffffffL : v;
    }
}
