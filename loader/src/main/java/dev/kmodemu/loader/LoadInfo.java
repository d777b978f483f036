package dev.kmodemu.loader;

import java.util.List;

/**
 * A module image checked and indexed as the kernel's {@code elf_validity_check()},
 * {@code setup_load_info()} and {@code rewrite_section_headers()} leave it: the interesting
 * sections found, {@code __versions} and {@code .modinfo} no longer allocated, the per-cpu
 * section set aside, ro_after_init sections flagged. Section flags live here, not in the
 * {@link ElfFile}, because loading changes them.
 */
public final class LoadInfo {
    private static final int PR_WARN = 4;
    private static final int PR_ERR = 3;
    private static final String NO_NAME = "(missing .modinfo section or name field)";

    private final ElfFile elf;
    private final ModInfo modinfo;
    private final String name;
    private final long[] flags;
    private final int symIndex;
    private final int strIndex;
    private final int modIndex;
    private final int versIndex;
    private final int infoIndex;
    private final int pcpuIndex;
    private final List<ElfFile.Symbol> symbols;

    private LoadInfo(ElfFile elf, int moduleNameOffset, int initFlags) throws ModuleFormatException {
        this.elf = elf;
        List<ElfFile.Section> secs = elf.sections();
        ElfFile.Section info = elf.findSec(".modinfo");
        infoIndex = info == null ? 0 : info.index();
        modinfo = info == null ? ModInfo.empty() : ModInfo.parse(elf.contents(info));
        String n = modinfo.get("name");
        int sym = 0;
        for (int i = 1; i < secs.size(); i++) {
            if (secs.get(i).type() == Elf.SHT_SYMTAB) {
                sym = i;
                break;
            }
        }
        if (sym == 0) {
            throw new ModuleFormatException(Elf.ENOEXEC, PR_WARN,
                    (n != null ? n : NO_NAME) + ": module has no symbols (stripped?)");
        }
        symIndex = sym;
        strIndex = secs.get(sym).link();
        ElfFile.Section mod = elf.findSec(".gnu.linkonce.this_module");
        if (mod == null) {
            throw new ModuleFormatException(Elf.ENOEXEC, PR_WARN,
                    (n != null ? n : NO_NAME) + ": No module found in object");
        }
        modIndex = mod.index();
        if (n == null) {
            byte[] m = elf.contents(mod);
            int end = moduleNameOffset;
            while (end < m.length && m[end] != 0) {
                end++;
            }
            n = moduleNameOffset < m.length
                    ? new String(m, moduleNameOffset, end - moduleNameOffset, java.nio.charset.StandardCharsets.UTF_8)
                    : "";
        }
        name = n;
        // setup_load_info(): MODULE_INIT_IGNORE_MODVERSIONS pretends there is no __versions, which
        // also leaves that section allocated below, as the kernel does.
        ElfFile.Section vers = (initFlags & MODULE_INIT_IGNORE_MODVERSIONS) != 0 ? null : elf.findSec("__versions");
        versIndex = vers == null ? 0 : vers.index();
        ElfFile.Section pcpu = elf.findSec(".data..percpu");
        pcpuIndex = pcpu == null ? 0 : pcpu.index();

        flags = new long[secs.size()];
        for (ElfFile.Section s : secs) {
            flags[s.index()] = s.flags();
        }
        // rewrite_section_headers(): track but don't keep modinfo and version sections.
        flags[versIndex] &= ~Elf.SHF_ALLOC;
        flags[infoIndex] &= ~Elf.SHF_ALLOC;
        symbols = elf.symbols(secs.get(symIndex));
    }

    /**
     * Validates {@code image} and indexes it, like the first steps of {@code load_module()}.
     *
     * @param moduleNameOffset {@code offsetof(struct module, name)}, for modules without a
     *        {@code name=} in {@code .modinfo}
     */
    public static LoadInfo setup(byte[] image, int moduleNameOffset) throws ModuleFormatException {
        return setup(image, moduleNameOffset, 0);
    }

    /** As {@link #setup(byte[], int)} with the flags of {@code finit_module(2)}. */
    public static LoadInfo setup(byte[] image, int moduleNameOffset, int initFlags) throws ModuleFormatException {
        return new LoadInfo(ElfFile.parse(image), moduleNameOffset, initFlags);
    }

    /** {@code finit_module(2)} flags (uapi/linux/module.h). */
    public static final int MODULE_INIT_IGNORE_MODVERSIONS = 1;
    public static final int MODULE_INIT_IGNORE_VERMAGIC = 2;

    /**
     * The part of {@code layout_and_allocate()} before layout: refuses W+X sections
     * ({@code module_enforce_rwx_sections()}), takes the per-cpu section out of the image and
     * flags {@code .data..ro_after_init} and {@code __jump_table} as ro_after_init.
     */
    public void prepareLayout() throws ModuleFormatException {
        List<ElfFile.Section> secs = elf.sections();
        for (ElfFile.Section s : secs) {
            if ((flags[s.index()] & (Elf.SHF_WRITE | Elf.SHF_EXECINSTR)) == (Elf.SHF_WRITE | Elf.SHF_EXECINSTR)) {
                throw new ModuleFormatException(Elf.ENOEXEC, PR_ERR, name + ": section " + s.name() + " (index "
                        + s.index() + ") has invalid WRITE|EXEC flags");
            }
        }
        flags[pcpuIndex] &= ~Elf.SHF_ALLOC;
        ElfFile.Section roai = elf.findSec(".data..ro_after_init");
        if (roai != null) {
            flags[roai.index()] |= Elf.SHF_RO_AFTER_INIT;
        }
        ElfFile.Section jt = elf.findSec("__jump_table");
        if (jt != null) {
            flags[jt.index()] |= Elf.SHF_RO_AFTER_INIT;
        }
    }

    public ElfFile elf() {
        return elf;
    }

    public ModInfo modinfo() {
        return modinfo;
    }

    /** The module name: {@code .modinfo} {@code name=}, else the one in {@code struct module}. */
    public String name() {
        return name;
    }

    public List<ElfFile.Section> sections() {
        return elf.sections();
    }

    public ElfFile.Section section(int index) {
        return elf.sections().get(index);
    }

    /** Current flags of a section (loading changes SHF_ALLOC and SHF_RO_AFTER_INIT). */
    public long flags(int index) {
        return flags[index];
    }

    void setFlags(int index, long value) {
        flags[index] = value;
    }

    public int symIndex() {
        return symIndex;
    }

    public int strIndex() {
        return strIndex;
    }

    public int modIndex() {
        return modIndex;
    }

    /** Index of {@code __versions}, 0 if absent. */
    public int versIndex() {
        return versIndex;
    }

    /** Index of {@code .modinfo}, 0 if absent. */
    public int infoIndex() {
        return infoIndex;
    }

    /** Index of {@code .data..percpu}, 0 if absent. */
    public int pcpuIndex() {
        return pcpuIndex;
    }

    /** The symbol table as in the file (values not yet simplified). */
    public List<ElfFile.Symbol> symbols() {
        return symbols;
    }
}
