package dev.kmodemu.loader;

import java.util.List;

/**
 * Where each allocated section goes, and how big the core and init allocations are: the kernel's
 * {@code layout_sections()} followed by {@code layout_symtab()}, with x86-64's settings
 * ({@code ARCH_SHF_SMALL} = 0, {@code CONFIG_STRICT_MODULE_RWX} page alignment, data in the
 * core allocation, {@code CONFIG_KALLSYMS_ALL}).
 */
public final class Layout {
    /** Set in a placement when the section belongs to the init allocation. */
    public static final long INIT_OFFSET_MASK = 1L << 63;
    /** {@code sizeof(struct mod_kallsyms)} on x86-64 and its alignment. */
    public static final int MOD_KALLSYMS_SIZE = 32;
    public static final long PAGE = 4096;

    /** Sizes of one allocation, as {@code struct module_layout} keeps them. */
    public static final class Part {
        public long size;
        public long textSize;
        public long roSize;
        public long roAfterInitSize;
    }

    public final Part core = new Part();
    public final Part init = new Part();
    /** Per section: offset in its allocation ({@link #INIT_OFFSET_MASK} set for init), or -1. */
    public final long[] placement;
    /** layout_symtab(): where the core kallsyms copy goes (symtab, strtab, typetab). */
    public long symoffs;
    public long stroffs;
    public long coreTypeoffs;
    public long initTypeoffs;
    public long modKallsymsInitOff;
    /** Number of symbols kept for after init (entry 0 included). */
    public int coreSymCount;

    private Layout(int nsections) {
        placement = new long[nsections];
        java.util.Arrays.fill(placement, -1);
    }

    private static long align(long v, long a) {
        return a <= 1 ? v : (v + a - 1) & -a;
    }

    private static long strictAlign(long v) {
        return align(v, PAGE);
    }

    /** {@code module_init_section()}: names starting with ".init". */
    public static boolean isInitSection(String name) {
        return name.startsWith(".init");
    }

    /** {@code module_get_offset()}: places a section at the end of a part and returns its offset. */
    private static long getOffset(Part p, ElfFile.Section s) {
        long ret = align(p.size, s.addralign() == 0 ? 1 : s.addralign());
        p.size = ret + s.size();
        return ret;
    }

    /** Lays out the sections of a module prepared with {@link LoadInfo#prepareLayout()}. */
    public static Layout compute(LoadInfo info) {
        List<ElfFile.Section> secs = info.sections();
        Layout l = new Layout(secs.size());
        long[][] masks = {
            {Elf.SHF_EXECINSTR | Elf.SHF_ALLOC, 0},
            {Elf.SHF_ALLOC, Elf.SHF_WRITE},
            {Elf.SHF_RO_AFTER_INIT | Elf.SHF_ALLOC, 0},
            {Elf.SHF_WRITE | Elf.SHF_ALLOC, 0},
            {Elf.SHF_ALLOC, 0},
        };
        for (int m = 0; m < masks.length; m++) {
            for (ElfFile.Section s : secs) {
                long f = info.flags(s.index());
                if ((f & masks[m][0]) != masks[m][0] || (f & masks[m][1]) != 0 || l.placement[s.index()] != -1
                        || isInitSection(s.name())) {
                    continue;
                }
                l.placement[s.index()] = getOffset(l.core, s);
            }
            switch (m) {
                case 0 -> {
                    l.core.size = strictAlign(l.core.size);
                    l.core.textSize = l.core.size;
                }
                case 1 -> {
                    l.core.size = strictAlign(l.core.size);
                    l.core.roSize = l.core.size;
                }
                case 2 -> {
                    l.core.size = strictAlign(l.core.size);
                    l.core.roAfterInitSize = l.core.size;
                }
                case 4 -> l.core.size = strictAlign(l.core.size);
                default -> {
                }
            }
        }
        for (int m = 0; m < masks.length; m++) {
            for (ElfFile.Section s : secs) {
                long f = info.flags(s.index());
                if ((f & masks[m][0]) != masks[m][0] || (f & masks[m][1]) != 0 || l.placement[s.index()] != -1
                        || !isInitSection(s.name())) {
                    continue;
                }
                l.placement[s.index()] = getOffset(l.init, s) | INIT_OFFSET_MASK;
            }
            switch (m) {
                case 0 -> {
                    l.init.size = strictAlign(l.init.size);
                    l.init.textSize = l.init.size;
                }
                case 1 -> {
                    l.init.size = strictAlign(l.init.size);
                    l.init.roSize = l.init.size;
                }
                case 2 -> l.init.roAfterInitSize = l.init.roSize;
                case 4 -> l.init.size = strictAlign(l.init.size);
                default -> {
                }
            }
        }
        layoutSymtab(info, l);
        return l;
    }

    /** {@code is_core_symbol()} with {@code CONFIG_KALLSYMS_ALL}. */
    public static boolean isCoreSymbol(ElfFile.Symbol sym, LoadInfo info, Layout l) {
        int nsec = info.sections().size();
        if (sym.shndx() == Elf.SHN_UNDEF || sym.shndx() >= nsec || sym.name().isEmpty()) {
            return false;
        }
        if (sym.shndx() == info.pcpuIndex() && info.pcpuIndex() != 0) {
            return true;
        }
        if ((info.flags(sym.shndx()) & Elf.SHF_ALLOC) == 0) {
            return false;
        }
        long p = l.placement[sym.shndx()];
        return p != -1 && (p & INIT_OFFSET_MASK) == 0;
    }

    /** {@code layout_symtab()}: full symtab and strtab in init, the core-only copy in core. */
    private static void layoutSymtab(LoadInfo info, Layout l) {
        ElfFile.Section symsect = info.section(info.symIndex());
        ElfFile.Section strsect = info.section(info.strIndex());
        info.setFlags(symsect.index(), info.flags(symsect.index()) | Elf.SHF_ALLOC);
        l.placement[symsect.index()] = getOffset(l.init, symsect) | INIT_OFFSET_MASK;

        List<ElfFile.Symbol> src = info.symbols();
        int ndst = 0;
        long strtabSize = 0;
        for (int i = 0; i < src.size(); i++) {
            if (i == 0 || isCoreSymbol(src.get(i), info, l)) {
                strtabSize += src.get(i).name().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1).length + 1;
                ndst++;
            }
        }
        l.symoffs = align(l.core.size, symsect.addralign() == 0 ? 1 : symsect.addralign());
        l.stroffs = l.core.size = l.symoffs + (long) ndst * Elf.SYM_SIZE;
        l.core.size += strtabSize;
        l.coreTypeoffs = l.core.size;
        l.core.size += ndst;
        l.core.size = strictAlign(l.core.size);
        l.coreSymCount = ndst;

        info.setFlags(strsect.index(), info.flags(strsect.index()) | Elf.SHF_ALLOC);
        l.placement[strsect.index()] = getOffset(l.init, strsect) | INIT_OFFSET_MASK;

        l.init.size = align(l.init.size, 8);
        l.modKallsymsInitOff = l.init.size;
        l.init.size += MOD_KALLSYMS_SIZE;
        l.initTypeoffs = l.init.size;
        l.init.size += src.size();
        l.init.size = strictAlign(l.init.size);
    }

    /** True if the section has a place in the core or init allocation. */
    public boolean placed(int index) {
        return placement[index] != -1;
    }

    public boolean inInit(int index) {
        return placement[index] != -1 && (placement[index] & INIT_OFFSET_MASK) != 0;
    }

    /** Offset of a placed section within its allocation. */
    public long offset(int index) {
        return placement[index] & ~INIT_OFFSET_MASK;
    }
}
