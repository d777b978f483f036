package dev.kmodemu.kstubs.kernel;

import dev.kmodemu.emu.Access;
import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.emu.Cpu;
import dev.kmodemu.emu.Disassembler;
import dev.kmodemu.emu.FaultAddress;
import dev.kmodemu.emu.Reg;
import dev.kmodemu.emu.Stop;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.module.Module;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Exception-table fixups (arch/x86/mm/extable.c, lib/extable.c): a trap in module code whose
 * instruction has an entry in the module's {@code __ex_table} is handled by the entry's type,
 * and execution resumes at its fixup address, as {@code fixup_exception()} does. This is how a
 * module's inline user accesses ({@code clear_user()}'s {@code rep stosb},
 * {@code unsafe_get_user()}, {@code load_unaligned_zeropad()}) turn a fault into an error code.
 *
 * <p>{@code struct exception_table_entry} is {@code {int insn, fixup, data}}: {@code insn} and
 * {@code fixup} relative to their own fields, {@code data} the type (bits 0-7), a register in
 * {@code pt_regs} order (bits 8-11), the CLEAR_AX/CLEAR_DX flags (bits 12-15) and a signed
 * immediate (bits 16-31), see arch/x86/include/asm/extable_fixup_types.h.
 */
public final class Extable {
    private Extable() {
    }

    static final int EX_DATA_TYPE_MASK = 0x000000ff;
    static final int EX_DATA_REG_MASK = 0x00000f00;
    static final int EX_DATA_FLAG_MASK = 0x0000f000;
    static final int EX_DATA_REG_SHIFT = 8;
    static final int EX_DATA_FLAG_SHIFT = 12;
    static final int EX_DATA_IMM_SHIFT = 16;
    static final int EX_FLAG_CLEAR_AX = 1 << EX_DATA_FLAG_SHIFT;
    static final int EX_FLAG_CLEAR_DX = 2 << EX_DATA_FLAG_SHIFT;

    static final int EX_TYPE_DEFAULT = 1;
    static final int EX_TYPE_FAULT = 2;
    static final int EX_TYPE_UACCESS = 3;
    static final int EX_TYPE_COPY = 4;
    static final int EX_TYPE_DEFAULT_MCE_SAFE = 14;
    static final int EX_TYPE_FAULT_MCE_SAFE = 15;
    static final int EX_TYPE_POP_REG = 16;
    static final int EX_TYPE_IMM_REG = 17;
    static final int EX_TYPE_UCOPY_LEN = 19;
    static final int EX_TYPE_ZEROPAD = 20;

    /** x86 trap numbers ({@code X86_TRAP_*}) that reach {@code fixup_exception()} from kernel mode. */
    static final int X86_TRAP_DE = 0;
    static final int X86_TRAP_UD = 6;
    static final int X86_TRAP_GP = 13;
    static final int X86_TRAP_PF = 14;

    private static final int MAX_INSN_SIZE = 15;

    /** {@code pt_regs_offset()} numbering: ax, cx, dx, bx, sp, bp, si, di, r8..r15. */
    private static final Reg[] PT_REGS = {Reg.RAX, Reg.RCX, Reg.RDX, Reg.RBX, Reg.RSP, Reg.RBP, Reg.RSI, Reg.RDI,
        Reg.R8, Reg.R9, Reg.R10, Reg.R11, Reg.R12, Reg.R13, Reg.R14, Reg.R15};

    /** The register a {@code pt_regs} number names (the 4-bit field always names one on x86-64). */
    public static Reg ptRegsNr(int nr) {
        return PT_REGS[nr & 0xf];
    }

    // ---------------------------------------------------------------- lib/extable.c

    private record Entry(long insn, long fixup, int data) {
    }

    private static int entrySize(KernelContext k) {
        return k.off("exception_table_entry_sizeof");
    }

    /** {@code ex_to_insn()}: the address of the instruction an entry covers. */
    static long exToInsn(KernelContext k, long e) {
        long at = e + k.off("exception_table_entry_insn");
        return at + k.mem().read32(at);
    }

    /** {@code ex_fixup_addr()}: where execution resumes. */
    static long exFixupAddr(KernelContext k, long e) {
        long at = e + k.off("exception_table_entry_fixup");
        return at + k.mem().read32(at);
    }

    static int exData(KernelContext k, long e) {
        return k.mem().read32(e + k.off("exception_table_entry_data"));
    }

    /**
     * {@code sort_extable()}: sorts {@code num} entries at {@code start} by instruction address, in
     * place, rewriting the relative offsets for each entry's new position (as {@code swap_ex()}
     * does). Runs at load, before the section becomes read-only.
     */
    public static void sortExtable(KernelContext k, long start, int num) {
        if (start == 0 || num < 2) {
            return;
        }
        int size = entrySize(k);
        List<Entry> entries = new ArrayList<>(num);
        for (int i = 0; i < num; i++) {
            long e = start + (long) i * size;
            entries.add(new Entry(exToInsn(k, e), exFixupAddr(k, e), exData(k, e)));
        }
        entries.sort(Comparator.comparing(Entry::insn, Long::compareUnsigned));
        AddressSpace mem = k.mem();
        int insnOff = k.off("exception_table_entry_insn");
        int fixupOff = k.off("exception_table_entry_fixup");
        int dataOff = k.off("exception_table_entry_data");
        byte[] table = new byte[num * size];
        var buf = java.nio.ByteBuffer.wrap(table).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < num; i++) {
            long e = start + (long) i * size;
            Entry x = entries.get(i);
            buf.putInt(i * size + insnOff, (int) (x.insn() - (e + insnOff)));
            buf.putInt(i * size + fixupOff, (int) (x.fixup() - (e + fixupOff)));
            buf.putInt(i * size + dataOff, x.data());
        }
        mem.poke(start, table);
    }

    /** {@code search_extable()}: binary search of a sorted table; the entry's address, or 0. */
    public static long searchExtable(KernelContext k, long base, int num, long value) {
        int size = entrySize(k);
        int lo = 0;
        int hi = num - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long e = base + (long) mid * size;
            int c = Long.compareUnsigned(value, exToInsn(k, e));
            if (c == 0) {
                return e;
            }
            if (c > 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return 0;
    }

    /** {@code search_exception_tables()}: the entry for {@code addr} in its module's table, or 0. */
    public static long searchExceptionTables(KernelContext k, long addr) {
        Module mod = k.modules().containing(addr);
        if (mod == null || mod.numExentries() == 0) {
            return 0;
        }
        return searchExtable(k, mod.extable(), mod.numExentries(), addr);
    }

    // ---------------------------------------------------------------- arch/x86/mm/extable.c

    /**
     * The trap number {@code fixup_exception()} would be called with for {@code stop}, or -1. An
     * access to a non-canonical address is a general protection fault on x86 (the emulator
     * reports it as a page fault).
     */
    static int trapnr(Stop stop) {
        return switch (stop.kind()) {
            case PAGE_FAULT -> isCanonical(stop.fault().address()) ? X86_TRAP_PF : X86_TRAP_GP;
            case INVALID_OPCODE -> X86_TRAP_UD;
            case EXCEPTION -> stop.vector() == X86_TRAP_GP || stop.vector() == X86_TRAP_DE ? stop.vector() : -1;
            default -> -1;
        };
    }

    /** True if {@code va} is canonical with 48-bit virtual addresses (bits 63..47 all equal). */
    static boolean isCanonical(long va) {
        long top = va >> 47;
        return top == 0 || top == -1;
    }

    /**
     * The machine's trap handler part for {@code fixup_exception()}: if the trapping instruction
     * has an exception-table entry of a type handled here, applies it and returns the fixup
     * address to resume at; otherwise -1 (the trap becomes an oops). Handled types: DEFAULT,
     * FAULT (and their MCE_SAFE twins), UACCESS, COPY, IMM_REG (EFAULT_REG, ZERO_REG, ...), POP_REG,
     * UCOPY_LEN and ZEROPAD; the others (FPU restore, MSR, BPF, SGX, CLEAR_FS) need kernel state
     * kmodemu does not have. The "General protection fault in user access" warning of UACCESS and
     * COPY is not printed.
     */
    public static long fixupException(KernelContext k, Stop stop) {
        int trapnr = trapnr(stop);
        if (trapnr < 0) {
            return -1;
        }
        long e = searchExceptionTables(k, stop.rip());
        if (e == 0) {
            return -1;
        }
        Cpu cpu = k.machine().cpu();
        int data = exData(k, e);
        int type = data & EX_DATA_TYPE_MASK;
        int reg = (data & EX_DATA_REG_MASK) >>> EX_DATA_REG_SHIFT;
        int imm = data >> EX_DATA_IMM_SHIFT;
        switch (type) {
            case EX_TYPE_DEFAULT, EX_TYPE_DEFAULT_MCE_SAFE, EX_TYPE_UACCESS:
                return exHandlerDefault(k, e, data);
            case EX_TYPE_FAULT, EX_TYPE_FAULT_MCE_SAFE, EX_TYPE_COPY:
                // ex_handler_fault(), ex_handler_copy()
                cpu.set(Reg.RAX, trapnr);
                return exHandlerDefault(k, e, data);
            case EX_TYPE_POP_REG:
                cpu.set(Reg.RSP, cpu.get(Reg.RSP) + 8);
                cpu.set(ptRegsNr(reg), imm);
                return exHandlerDefault(k, e, data);
            case EX_TYPE_IMM_REG:
                cpu.set(ptRegsNr(reg), imm);
                return exHandlerDefault(k, e, data);
            case EX_TYPE_UCOPY_LEN:
                cpu.set(Reg.RCX, (long) imm * cpu.get(Reg.RCX) + cpu.get(ptRegsNr(reg)));
                return exHandlerDefault(k, e, data);
            case EX_TYPE_ZEROPAD:
                if (trapnr != X86_TRAP_PF) {
                    return -1;
                }
                return exHandlerZeropad(k, e, data, stop);
            default:
                return -1;
        }
    }

    /** {@code ex_handler_default()}: the CLEAR_AX/CLEAR_DX flags, then the fixup address. */
    private static long exHandlerDefault(KernelContext k, long e, int data) {
        Cpu cpu = k.machine().cpu();
        if ((data & EX_FLAG_CLEAR_AX) != 0) {
            cpu.set(Reg.RAX, 0);
        }
        if ((data & EX_FLAG_CLEAR_DX) != 0) {
            cpu.set(Reg.RDX, 0);
        }
        return exFixupAddr(k, e);
    }

    /**
     * {@code ex_handler_zeropad()}: the faulting instruction must be a {@code mov mem,reg} of 8
     * bytes ending at the fixup, loading a word that crosses into the faulting page; the register
     * gets the aligned word below shifted down, i.e. the bytes up to the page end, zero-padded.
     */
    private static long exHandlerZeropad(KernelContext k, long e, int data, Stop stop) {
        Cpu cpu = k.machine().cpu();
        AddressSpace mem = k.mem();
        long ip = stop.rip();
        long len = exFixupAddr(k, e) - ip;
        if (Long.compareUnsigned(len, MAX_INSN_SIZE) > 0 || len == 0) {
            return -1;
        }
        byte[] code = mem.peek(ip, (int) len);
        if (code == null || code.length != len) {
            return -1;
        }
        int i = 0;
        while (i < len && isLegacyPrefix(code[i] & 0xff)) {
            i++;
        }
        int rex = 0;
        if (i < len && (code[i] & 0xf0) == 0x40) {
            rex = code[i++] & 0xff;
        }
        if (i + 1 >= len || (code[i] & 0xff) != 0x8b || (rex & 0x8) == 0) {
            return -1;
        }
        int modrm = code[i + 1] & 0xff;
        Disassembler.Insn insn = Disassembler.get().decode(code, ip);
        if (insn == null || insn.size() != len || insn.memory().size() != 1) {
            return -1;
        }
        long addr = effectiveAddress(cpu, insn.memory().get(0), ip + len);
        if (addr == -1) {
            return -1;
        }
        long offset = addr & 7;
        addr &= ~7L;
        long faultAddr = FaultAddress.refine(cpu, stop);
        if (faultAddr != addr + 8 || !mem.accessible(addr, Access.READ)) {
            return -1;
        }
        int regNo = ((modrm >> 3) & 7) | ((rex & 0x4) << 1);
        cpu.set(ptRegsNr(regNo), mem.read64(addr) >>> (offset * 8));
        return exHandlerDefault(k, e, data);
    }

    private static boolean isLegacyPrefix(int b) {
        return switch (b) {
            case 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67, 0xf0, 0xf2, 0xf3 -> true;
            default -> false;
        };
    }

    /** {@code insn_get_addr_ref()} for a 64-bit memory operand; -1 if a register is not known. */
    private static long effectiveAddress(Cpu cpu, Disassembler.MemOperand m, long nextIp) {
        long ea = m.disp();
        if (m.base() != null) {
            if (m.base().equals("rip")) {
                ea += nextIp;
            } else {
                Reg r = gpr(m.base());
                if (r == null) {
                    return -1;
                }
                ea += cpu.get(r);
            }
        }
        if (m.index() != null) {
            Reg r = gpr(m.index());
            if (r == null) {
                return -1;
            }
            ea += cpu.get(r) * m.scale();
        }
        if ("gs".equals(m.segment())) {
            ea += cpu.get(Reg.GS_BASE);
        } else if ("fs".equals(m.segment())) {
            ea += cpu.get(Reg.FS_BASE);
        }
        return ea;
    }

    private static Reg gpr(String name) {
        for (Reg r : PT_REGS) {
            if (r.name().equalsIgnoreCase(name)) {
                return r;
            }
        }
        return null;
    }
}
