package dev.kmodemu.kstubs.module;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.Kallsyms;
import dev.kmodemu.firmware.Orc;
import dev.kmodemu.firmware.Unwinder;
import dev.kmodemu.loader.Elf;
import dev.kmodemu.loader.Layout;
import dev.kmodemu.loader.LoadInfo;
import dev.kmodemu.loader.ModuleImage;
import dev.kmodemu.kstubs.kernel.Taint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A loaded module: the kernel's {@code struct module} plus what kmodemu keeps beside it. */
public final class Module implements Kallsyms.ModuleSymbols, Unwinder.ModuleCode {
    /** {@code enum module_state}. */
    public enum State { LIVE, COMING, GOING, UNFORMED }

    /** One exported symbol of this module. */
    /** {@code crc} is null when the module has no {@code __kcrctab} for it. */
    public record Export(String name, long value, boolean gplOnly, Integer crc, String namespace) {
    }

    final String name;
    final String path;
    final LoadInfo info;
    final Layout layout;
    ModuleImage image;
    AddressSpace.Region core;
    AddressSpace.Region init;
    long coreSize;
    long initSize;
    long initTextSize;
    long coreTextSize;
    long thisModule;
    long initFn;
    long exitFn;
    long args;
    long params;
    int numParams;
    State state = State.UNFORMED;
    long taints;
    /** Guest memory holding {@code struct module}, for {@code refcnt} (the one true count). */
    AddressSpace mem;
    int refcntOffset;
    String license;
    /** A section in module memory: /sys/module/NAME/sections and notes list them. */
    public record Section(String name, long address, long size, boolean note) {
    }

    /** The allocated, non-empty sections with their final addresses ({@code add_sect_attrs()}). */
    List<Section> sections = List.of();
    /** {@code mod->using_gplonly_symbols}. */
    boolean usingGplOnlySymbols;
    /** Symbols kallsyms walks: the full table during init, the core table after. */
    List<ModuleImage.KSym> kallsyms = List.of();
    final Map<String, Export> exports = new LinkedHashMap<>();
    /** Modules this one uses ({@code target_list}) and that use it ({@code source_list}). */
    final List<Module> uses = new ArrayList<>();
    final List<Module> usedBy = new ArrayList<>();
    long pcpuBase;
    boolean hasPercpu;
    long bugTable;
    int numBugs;
    long extable;
    int numExentries;
    /** The sorted {@code .orc_unwind} tables ({@code mod->arch.orc_unwind*}), or null. */
    Orc.Table orc;

    Module(String name, String path, LoadInfo info, Layout layout) {
        this.name = name;
        this.path = path;
        this.info = info;
        this.layout = layout;
    }

    public String name() {
        return name;
    }

    /** The file it was loaded from, as given to insmod. */
    public String path() {
        return path;
    }

    public State state() {
        return state;
    }

    /**
     * {@code module_refcount()}: {@code mod->refcnt} in guest memory less {@code MODULE_REF_BASE}
     * (module code changes it through try_module_get/module_put); 0 once the module is gone.
     */
    public int refcount() {
        if (core == null || mem == null) {
            return 0;
        }
        return mem.read32(thisModule + refcntOffset) - Modules.MODULE_REF_BASE;
    }

    /** The raw {@code atomic_t refcnt}. */
    int rawRefcnt() {
        return mem.read32(thisModule + refcntOffset);
    }

    void setRawRefcnt(int v) {
        mem.write32(thisModule + refcntOffset, v);
    }

    /** Size as /proc/modules and lsmod show it: init and core layout sizes. */
    public long size() {
        return initSize + coreSize;
    }

    /** Base of the core allocation (the address /proc/modules shows to root). */
    public long coreBase() {
        return core == null ? 0 : core.base();
    }

    /** Taint letters for /proc/modules, e.g. "OE". */
    public String taintLetters() {
        return Taint.moduleLetters(taints);
    }

    public long taints() {
        return taints;
    }

    /** Names of the modules using this one, most recent first, as /proc/modules lists them. */
    public List<String> holders() {
        List<String> out = new ArrayList<>();
        for (int i = usedBy.size() - 1; i >= 0; i--) {
            out.add(usedBy.get(i).name);
        }
        return out;
    }

    public LoadInfo info() {
        return info;
    }

    /** Address of {@code struct module} ({@code THIS_MODULE}) in guest memory. */
    public long thisModule() {
        return thisModule;
    }

    public long initFunction() {
        return initFn;
    }

    public long exitFunction() {
        return exitFn;
    }

    /** The allocated, non-empty sections with their addresses, in section header order. */
    public List<Section> sections() {
        return sections;
    }

    /** {@code core_layout.size}: /sys/module/NAME/coresize. */
    public long coreSize() {
        return coreSize;
    }

    /** {@code init_layout.size} (0 once init has run and been freed): /sys/module/NAME/initsize. */
    public long initSize() {
        return initSize;
    }

    /** Modules this one uses (its {@code target_list}). */
    public List<Module> uses() {
        return List.copyOf(uses);
    }

    /** {@code mod->kallsyms}: the whole symbol table while init runs, the core symbols after. */
    public List<ModuleImage.KSym> kallsymsTable() {
        return kallsyms;
    }

    /** {@code is_exported()}: an EXPORT_SYMBOL (not _GPL) of this module with that value. */
    public boolean isExported(String symbol, long value) {
        Export e = exports.get(symbol);
        return e != null && !e.gplOnly() && e.value() == value;
    }

    /** The exported symbols. */
    public Map<String, Export> exports() {
        return exports;
    }

    /** Address of {@code __bug_table} and its number of entries. */
    public long bugTable() {
        return bugTable;
    }

    public int numBugs() {
        return numBugs;
    }

    /** Address of {@code __ex_table} (sorted at load) and its number of entries. */
    public long extable() {
        return extable;
    }

    public int numExentries() {
        return numExentries;
    }

    /** Address of the {@code __param} array and its length. */
    public long params() {
        return params;
    }

    /** The parameters the module declares ({@code __param}), readable once it is linked. */
    public List<dev.kmodemu.kstubs.kernel.Params.Declared> declaredParameters(dev.kmodemu.kstubs.KernelContext k) {
        if (image == null) {
            return List.of();
        }
        long kp = image.sectionAddress("__param");
        int n = (int) (image.sectionSize("__param") / k.off("kernel_param_sizeof"));
        return dev.kmodemu.kstubs.kernel.Params.declared(k, kp, n);
    }

    /** Base of the init allocation, 0 once init memory is freed (or if there is none). */
    public long initBase() {
        return init == null ? 0 : init.base();
    }

    /** Bytes of code at the start of the core allocation. */
    public long coreTextSize() {
        return coreTextSize;
    }

    /** Bytes of code at the start of the init allocation (0 once it is freed). */
    public long initTextSize() {
        return initTextSize;
    }

    public int numParams() {
        return numParams;
    }

    /**
     * Address of the loaded section {@code name} ({@code section_objs()} of
     * {@code find_module_sections()}), or 0 if the module has none.
     */
    public long sectionAddress(String name) {
        return image == null ? 0 : image.sectionAddress(name);
    }

    /** Size in bytes of section {@code name}, 0 if the module has none. */
    public long sectionSize(String name) {
        return image == null ? 0 : image.sectionSize(name);
    }

    /** {@code within_module_init()}: {@code a} lies in the init allocation (while it exists). */
    public boolean withinModuleInit(long a) {
        return withinInit(a);
    }

    boolean withinCore(long a) {
        return core != null && Long.compareUnsigned(a - core.base(), coreSize) < 0;
    }

    boolean withinInit(long a) {
        return init != null && Long.compareUnsigned(a - init.base(), initSize) < 0;
    }

    /** {@code within_module_core/init} text parts: what {@code __module_text_address()} accepts. */
    boolean withinText(long a) {
        return (core != null && Long.compareUnsigned(a - core.base(), coreTextSize) < 0)
                || (init != null && Long.compareUnsigned(a - init.base(), initTextSize) < 0);
    }

    @Override
    public boolean isText(long address) {
        return withinText(address);
    }

    /** {@code orc_module_find()}. */
    @Override
    public Orc.Entry orc(long ip) {
        return orc != null && contains(ip) ? orc.find(ip) : null;
    }

    /** True if {@code a} lies in this module's memory. */
    public boolean contains(long a) {
        return withinCore(a) || withinInit(a);
    }

    /** {@code find_kallsyms_symbol()}. */
    @Override
    public Kallsyms.Lookup lookup(long addr) {
        if (!contains(addr)) {
            return null;
        }
        long nextval = withinInit(addr) ? init.base() + initTextSize : core.base() + coreTextSize;
        List<ModuleImage.KSym> syms = kallsyms;
        if (syms.isEmpty()) {
            return null;
        }
        int best = 0;
        long bestval = syms.get(0).value();
        for (int i = 1; i < syms.size(); i++) {
            ModuleImage.KSym s = syms.get(i);
            if (s.shndx() == Elf.SHN_UNDEF || s.name().isEmpty() || isMappingSymbol(s.name())) {
                continue;
            }
            long v = s.value();
            if (Long.compareUnsigned(v, addr) <= 0 && Long.compareUnsigned(v, bestval) > 0) {
                best = i;
                bestval = v;
            }
            if (Long.compareUnsigned(v, addr) > 0 && Long.compareUnsigned(v, nextval) < 0) {
                nextval = v;
            }
        }
        if (best == 0) {
            return null;
        }
        return new Kallsyms.Lookup(syms.get(best).name(), addr - bestval, nextval - bestval, name);
    }

    private static boolean isMappingSymbol(String s) {
        if (s.length() >= 2 && s.charAt(0) == '.' && s.charAt(1) == 'L') {
            return true;
        }
        return s.length() >= 2 && s.charAt(0) == '$' && "axtd".indexOf(s.charAt(1)) >= 0
                && (s.length() == 2 || s.charAt(2) == '.');
    }

    @Override
    public long address(String symbol) {
        for (ModuleImage.KSym s : kallsyms) {
            if (s.name().equals(symbol) && s.shndx() != Elf.SHN_UNDEF) {
                return s.value();
            }
        }
        return 0;
    }
}
