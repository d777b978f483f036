package dev.kmodemu.loader;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of a module's core and init allocations, built the way {@code load_module()} builds
 * them in place: sections copied to their layout offsets ({@code move_module()}), symbols made
 * absolute ({@code simplify_symbols()}), relocations applied ({@code apply_relocate_add()}), and
 * the kallsyms tables added ({@code add_kallsyms()}). Works on Java byte arrays for known base
 * addresses, so it is tested without a CPU; the caller copies the result into guest memory.
 */
public final class ModuleImage {
    private static final int PR_WARN = 4;
    private static final int PR_ERR = 3;

    /** One kallsyms entry: absolute value, nm-style type letter, ELF info and section index. */
    public record KSym(String name, long value, char type, int info, int shndx) {
    }

    private final LoadInfo info;
    private final Layout layout;
    private final long coreBase;
    private final long initBase;
    private final byte[] core;
    private final byte[] init;
    private final long[] symValues;
    private long percpuBase;

    private ModuleImage(LoadInfo info, Layout layout, long coreBase, long initBase) {
        this.info = info;
        this.layout = layout;
        this.coreBase = coreBase;
        this.initBase = initBase;
        this.core = new byte[(int) layout.core.size];
        this.init = new byte[(int) layout.init.size];
        List<ElfFile.Symbol> syms = info.symbols();
        symValues = new long[syms.size()];
        for (int i = 0; i < symValues.length; i++) {
            symValues[i] = syms.get(i).value();
        }
    }

    /**
     * {@code move_module()}: copies every placed section into the core or init bytes.
     *
     * @param coreBase guest address of the core allocation
     * @param initBase guest address of the init allocation (ignored when the init part is empty)
     */
    public static ModuleImage place(LoadInfo info, Layout layout, long coreBase, long initBase) {
        ModuleImage img = new ModuleImage(info, layout, coreBase, initBase);
        for (ElfFile.Section s : info.sections()) {
            if ((info.flags(s.index()) & Elf.SHF_ALLOC) == 0 || !layout.placed(s.index())) {
                continue;
            }
            if (s.type() != Elf.SHT_NOBITS) {
                byte[] src = info.elf().contents(s);
                byte[] dst = layout.inInit(s.index()) ? img.init : img.core;
                System.arraycopy(src, 0, dst, (int) layout.offset(s.index()), src.length);
            }
        }
        return img;
    }

    public byte[] core() {
        return core;
    }

    public byte[] init() {
        return init;
    }

    public long coreBase() {
        return coreBase;
    }

    public long initBase() {
        return initBase;
    }

    public Layout layout() {
        return layout;
    }

    public LoadInfo info() {
        return info;
    }

    /** The final address of a placed section ({@code sh_addr} after {@code move_module()}), else 0. */
    public long sectionAddress(int index) {
        if (index == info.pcpuIndex() && index != 0) {
            return percpuBase;
        }
        if (!layout.placed(index)) {
            return 0;
        }
        return (layout.inInit(index) ? initBase : coreBase) + layout.offset(index);
    }

    /** The final address of the first allocated section named {@code name}, or 0. */
    public long sectionAddress(String name) {
        ElfFile.Section s = info.elf().findSec(name);
        return s == null ? 0 : sectionAddress(s.index());
    }

    /** Size of the first allocated section named {@code name}, or 0. */
    public long sectionSize(String name) {
        ElfFile.Section s = info.elf().findSec(name);
        return s == null ? 0 : s.size();
    }

    /** Symbol value after {@link #simplifySymbols}. */
    public long symbolValue(int index) {
        return symValues[index];
    }

    /**
     * {@code simplify_symbols()}: makes every symbol value absolute, resolving undefined ones
     * through {@code resolver}. Like the kernel it goes through the whole table, logging one line
     * per unknown symbol, and fails afterwards with the last error.
     *
     * @param percpuBase where the module's per-cpu section was allocated (0 if it has none)
     */
    public void simplifySymbols(SymbolResolver resolver, long percpuBase) throws ModuleFormatException {
        this.percpuBase = percpuBase;
        String mod = info.name();
        List<ElfFile.Symbol> syms = info.symbols();
        int nsec = info.sections().size();
        int ret = 0;
        List<ModuleFormatException.LogLine> log = new ArrayList<>();
        for (int i = 1; i < syms.size(); i++) {
            ElfFile.Symbol sym = syms.get(i);
            switch (sym.shndx()) {
                case Elf.SHN_COMMON -> {
                    if (!sym.name().startsWith("__gnu_lto")) {
                        log.add(new ModuleFormatException.LogLine(PR_WARN, mod + ": please compile with -fno-common"));
                        ret = -Elf.ENOEXEC;
                    }
                }
                case Elf.SHN_ABS, Elf.SHN_LIVEPATCH -> {
                }
                case Elf.SHN_UNDEF -> {
                    SymbolResolver.Resolved r = resolver.resolve(sym.name());
                    if (r != null && r.err() == 0) {
                        symValues[i] = r.value();
                        break;
                    }
                    if (r == null && (sym.bind() == Elf.STB_WEAK || sym.name().equals("_GLOBAL_OFFSET_TABLE_"))) {
                        break;
                    }
                    ret = r == null || r.err() == 0 ? -Elf.ENOENT : r.err();
                    log.add(new ModuleFormatException.LogLine(PR_WARN,
                            mod + ": Unknown symbol " + sym.name() + " (err " + ret + ")"));
                }
                default -> {
                    if (sym.shndx() >= nsec) {
                        log.add(new ModuleFormatException.LogLine(PR_ERR, mod + ": Symbol " + sym.name()
                                + " has an invalid section index " + sym.shndx() + " (max " + (nsec - 1) + ")"));
                        ret = -Elf.ENOEXEC;
                        break;
                    }
                    symValues[i] = sym.value() + sectionAddress(sym.shndx());
                }
            }
        }
        writeSymtab();
        if (ret < 0) {
            throw new ModuleFormatException(-ret, log);
        }
    }

    /** Writes the simplified values into the init copy of the symbol table. */
    private void writeSymtab() {
        int symIdx = info.symIndex();
        if (!layout.placed(symIdx)) {
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(layout.inInit(symIdx) ? init : core).order(ByteOrder.LITTLE_ENDIAN);
        int base = (int) layout.offset(symIdx);
        for (int i = 0; i < symValues.length; i++) {
            b.putLong(base + i * Elf.SYM_SIZE + 8, symValues[i]);
        }
    }

    /** {@code apply_relocations()} for every RELA section whose target is allocated. */
    public void applyRelocations() throws ModuleFormatException {
        List<ElfFile.Section> secs = info.sections();
        for (ElfFile.Section rs : secs) {
            int target = rs.info();
            // sh_info is unsigned: an index past e_shnum (or "negative") is skipped
            if (rs.index() == 0 || Integer.compareUnsigned(target, secs.size()) >= 0) {
                continue;
            }
            if ((info.flags(target) & Elf.SHF_ALLOC) == 0) {
                continue;
            }
            if ((rs.flags() & Elf.SHF_RELA_LIVEPATCH) != 0) {
                continue;
            }
            if (rs.type() == Elf.SHT_REL) {
                throw new ModuleFormatException(Elf.ENOEXEC, PR_ERR,
                        "module " + info.name() + ": REL relocation unsupported");
            }
            if (rs.type() == Elf.SHT_RELA) {
                applyRelocateAdd(rs, secs.get(target));
            }
        }
    }

    /** {@code __apply_relocate_add()} of arch/x86/kernel/module.c. */
    private void applyRelocateAdd(ElfFile.Section relsec, ElfFile.Section target) throws ModuleFormatException {
        if (!layout.placed(target.index())) {
            return;
        }
        byte[] img = layout.inInit(target.index()) ? init : core;
        ByteBuffer b = ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN);
        long secOff = layout.offset(target.index());
        long secAddr = sectionAddress(target.index());
        for (ElfFile.Rela r : info.elf().relas(relsec)) {
            Relocation type = Relocation.of(r.type());
            if (type == null) {
                throw new ModuleFormatException(Elf.ENOEXEC, PR_ERR,
                        info.name() + ": Unknown rela relocation: " + Integer.toUnsignedLong(r.type()));
            }
            if (type == Relocation.R_X86_64_NONE) {
                continue;
            }
            if (r.symbol() < 0 || r.symbol() >= symValues.length) {
                throw new ModuleFormatException(Elf.ENOEXEC, PR_ERR, info.name() + ": relocation in section "
                        + target.name() + " refers to symbol " + Integer.toUnsignedLong(r.symbol())
                        + " beyond the symbol table");
            }
            if (Long.compareUnsigned(r.offset(), target.size()) >= 0
                    || Long.compareUnsigned(r.offset() + type.width, target.size()) > 0) {
                throw new ModuleFormatException(Elf.ENOEXEC, PR_ERR, info.name() + ": relocation at offset 0x"
                        + Long.toHexString(r.offset()) + " lies outside section " + target.name());
            }
            int at = (int) (secOff + r.offset());
            long loc = secAddr + r.offset();
            long val = symValues[r.symbol()] + r.addend();
            switch (type) {
                case R_X86_64_64 -> {
                    if (b.getLong(at) != 0) {
                        throw invalid(type, loc, val);
                    }
                    b.putLong(at, val);
                }
                case R_X86_64_32 -> {
                    if (b.getInt(at) != 0) {
                        throw invalid(type, loc, val);
                    }
                    b.putInt(at, (int) val);
                    if (val != (b.getInt(at) & 0xffffffffL)) {
                        throw overflow(type, val);
                    }
                }
                case R_X86_64_32S -> {
                    if (b.getInt(at) != 0) {
                        throw invalid(type, loc, val);
                    }
                    b.putInt(at, (int) val);
                    if (val != b.getInt(at)) {
                        throw overflow(type, val);
                    }
                }
                case R_X86_64_PC32, R_X86_64_PLT32 -> {
                    if (b.getInt(at) != 0) {
                        throw invalid(type, loc, val);
                    }
                    b.putInt(at, (int) (val - loc));
                }
                case R_X86_64_PC64 -> {
                    if (b.getLong(at) != 0) {
                        throw invalid(type, loc, val);
                    }
                    b.putLong(at, val - loc);
                }
                default -> throw new IllegalStateException(type.name());
            }
        }
    }

    private ModuleFormatException invalid(Relocation type, long loc, long val) {
        // %p of the location prints a hashed pointer on the real kernel; the value is %Lx.
        return new ModuleFormatException(Elf.ENOEXEC, PR_ERR, "x86/modules: Skipping invalid relocation target,"
                + " existing value is nonzero for type " + type.type + ", loc " + String.format("%016x", loc)
                + ", val " + Long.toHexString(val));
    }

    private ModuleFormatException overflow(Relocation type, long val) {
        return new ModuleFormatException(Elf.ENOEXEC, List.of(
                new ModuleFormatException.LogLine(PR_ERR, "overflow in relocation type " + type.type + " val "
                        + Long.toHexString(val)),
                new ModuleFormatException.LogLine(PR_ERR, "`" + info.name()
                        + "' likely not compiled with -mcmodel=kernel")));
    }

    /** The nm-style letter {@code elf_type()} gives a symbol. */
    public char elfType(ElfFile.Symbol sym) {
        if (sym.bind() == Elf.STB_WEAK) {
            return sym.type() == Elf.STT_OBJECT ? 'v' : 'w';
        }
        if (sym.shndx() == Elf.SHN_UNDEF) {
            return 'U';
        }
        if (sym.shndx() == Elf.SHN_ABS || (sym.shndx() == info.pcpuIndex() && info.pcpuIndex() != 0)) {
            return 'a';
        }
        if (sym.shndx() >= Elf.SHN_LORESERVE) {
            return '?';
        }
        if (sym.shndx() >= info.sections().size()) {
            return '?';
        }
        ElfFile.Section s = info.section(sym.shndx());
        long f = info.flags(sym.shndx());
        if ((f & Elf.SHF_EXECINSTR) != 0) {
            return 't';
        }
        if ((f & Elf.SHF_ALLOC) != 0 && s.type() != Elf.SHT_NOBITS) {
            return (f & Elf.SHF_WRITE) == 0 ? 'r' : 'd';
        }
        if (s.type() == Elf.SHT_NOBITS) {
            return 'b';
        }
        if (s.name().startsWith(".debug")) {
            return 'n';
        }
        return '?';
    }

    /** The whole symbol table as kallsyms sees it while init runs. */
    public List<KSym> initKallsyms() {
        List<ElfFile.Symbol> syms = info.symbols();
        List<KSym> out = new ArrayList<>(syms.size());
        for (int i = 0; i < syms.size(); i++) {
            ElfFile.Symbol s = syms.get(i);
            out.add(new KSym(s.name(), symValues[i], elfType(s), s.info(), s.shndx()));
        }
        return out;
    }

    /**
     * {@code add_kallsyms()}: writes the core-only symbol table, its strings and types into the
     * core bytes (where they stay after init is freed) and returns it.
     */
    public List<KSym> addKallsyms() {
        List<ElfFile.Symbol> syms = info.symbols();
        ByteBuffer b = ByteBuffer.wrap(core).order(ByteOrder.LITTLE_ENDIAN);
        List<KSym> out = new ArrayList<>(layout.coreSymCount);
        int symAt = (int) layout.symoffs;
        int strAt = (int) layout.stroffs;
        int typeAt = (int) layout.coreTypeoffs;
        int strOff = 0;
        ByteBuffer src = ByteBuffer.wrap(info.elf().bytes()).order(ByteOrder.LITTLE_ENDIAN);
        long symtabOff = info.section(info.symIndex()).offset();
        ByteBuffer initB = ByteBuffer.wrap(init).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < syms.size(); i++) {
            ElfFile.Symbol s = syms.get(i);
            char t = elfType(s);
            if (layout.placed(info.symIndex()) && layout.inInit(info.symIndex())) {
                initB.put((int) layout.initTypeoffs + i, (byte) t);
            }
            if (i != 0 && !Layout.isCoreSymbol(s, info, layout)) {
                continue;
            }
            int e = symAt + out.size() * Elf.SYM_SIZE;
            b.putInt(e, strOff);
            b.put(e + 4, src.get((int) (symtabOff + (long) i * Elf.SYM_SIZE + 4)));
            b.put(e + 5, src.get((int) (symtabOff + (long) i * Elf.SYM_SIZE + 5)));
            b.putShort(e + 6, src.getShort((int) (symtabOff + (long) i * Elf.SYM_SIZE + 6)));
            b.putLong(e + 8, symValues[i]);
            b.putLong(e + 16, s.size());
            byte[] name = s.name().getBytes(StandardCharsets.ISO_8859_1);
            System.arraycopy(name, 0, core, strAt + strOff, name.length);
            strOff += name.length + 1;
            core[typeAt + out.size()] = (byte) t;
            out.add(new KSym(s.name(), symValues[i], t, s.info(), s.shndx()));
        }
        return out;
    }
}
