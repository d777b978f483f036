package dev.kmodemu.kstubs.module;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.GuestFault;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.firmware.Profile;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.kernel.Extable;
import dev.kmodemu.kstubs.kernel.Oops;
import dev.kmodemu.kstubs.kernel.Panic;
import dev.kmodemu.kstubs.kernel.Params;
import dev.kmodemu.kstubs.kernel.Taint;
import dev.kmodemu.loader.ElfFile;
import dev.kmodemu.loader.Layout;
import dev.kmodemu.loader.LoadInfo;
import dev.kmodemu.loader.ModuleFormatException;
import dev.kmodemu.loader.ModuleImage;
import dev.kmodemu.loader.SymbolResolver;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The module subsystem (kernel/module/main.c): {@code load_module()} and
 * {@code delete_module()} step by step, with the kernel's checks, log lines and error codes.
 */
public final class Modules {
    /** The process running init or exit died in an oops: the syscall never returns. */
    public static final class TaskKilled extends RuntimeException {
        public TaskKilled(String message) {
            super(message, null, false, false);
        }
    }

    private static final String SIG_MARKER = "~Module signature appended~\n";
    private static final int PR_ERR = 3;
    private static final int PR_WARN = 4;
    private static final int PR_NOTICE = 5;

    private final KernelContext k;
    /** Loaded modules in load order (lsmod shows them newest first). */
    private final List<Module> list = new ArrayList<>();
    private boolean sigNoticeShown;

    public Modules(KernelContext k) {
        this.k = k;
    }

    /** Modules in the order /proc/modules lists them (most recently loaded first). */
    public List<Module> list() {
        List<Module> out = new ArrayList<>(list);
        java.util.Collections.reverse(out);
        return out;
    }

    /** {@code find_module()}: a module in any state, or null. */
    public Module find(String name) {
        for (Module m : list) {
            if (m.name.equals(name)) {
                return m;
            }
        }
        return null;
    }

    /** The module whose memory holds {@code address}, or null. */
    public Module containing(long address) {
        for (Module m : list) {
            if (m.contains(address)) {
                return m;
            }
        }
        return null;
    }

    private void log(int level, String text) {
        k.printk(level, text);
    }

    private void log(ModuleFormatException e) {
        for (ModuleFormatException.LogLine l : e.kernelLog()) {
            log(l.level(), l.text());
        }
    }

    /**
     * {@code finit_module(2)} on a module image: loads, links and initialises it.
     *
     * @param args the parameter string, as insmod joins its arguments
     * @return 0, or a negative errno
     * @throws TaskKilled if the module's init oopsed (the caller's process is dead)
     */
    public int load(byte[] image, String args, String path) {
        if (image.length == 0) {
            return -Errno.EINVAL;
        }
        byte[] img = stripSignature(image);
        LoadInfo info;
        try {
            info = LoadInfo.setup(img, k.off("module_name"));
        } catch (ModuleFormatException e) {
            log(e);
            return -e.errno();
        }
        String name = info.name();
        Profile profile = k.profile();
        // check_modstruct_version()
        Integer layoutCrc = crcOf("module_layout");
        if (layoutCrc != null && !checkVersion(info, name, "module_layout", layoutCrc)) {
            return -Errno.ENOEXEC;
        }
        Module mod;
        try {
            // layout_and_allocate(): check_modinfo() first
            long taints = 0;
            String modmagic = info.modinfo().get("vermagic");
            if (modmagic == null) {
                taints |= forceLoad(name, "bad vermagic");
            } else if (!sameMagic(modmagic, profile.vermagic(), info.versIndex() != 0)) {
                log(PR_ERR, name + ": version magic '" + modmagic + "' should be '" + profile.vermagic() + "'");
                return -Errno.ENOEXEC;
            }
            if (info.modinfo().get("intree") == null) {
                if (!k.taint().test(Taint.OOT_MODULE)) {
                    log(PR_WARN, name + ": loading out-of-tree module taints kernel.");
                }
                k.taint().add(Taint.OOT_MODULE, false);
                taints |= 1L << Taint.OOT_MODULE;
            }
            if (info.modinfo().get("staging") != null) {
                k.taint().add(Taint.CRAP, false);
                taints |= 1L << Taint.CRAP;
                log(PR_WARN, name + ": module is from the staging directory, the quality is unknown, you have "
                        + "been warned.");
            }
            String license = info.modinfo().get("license");
            if (license == null) {
                license = "unspecified";
            }
            if (!License.isGplCompatible(license)) {
                if (!k.taint().test(Taint.PROPRIETARY_MODULE)) {
                    log(PR_WARN, name + ": module license '" + license + "' taints kernel.");
                }
                k.taint().add(Taint.PROPRIETARY_MODULE, true);
                taints |= 1L << Taint.PROPRIETARY_MODULE;
            }
            if (info.modinfo().get("test") != null) {
                if (!k.taint().test(Taint.TEST)) {
                    log(PR_WARN, name + ": loading test module taints kernel.");
                }
                k.taint().add(Taint.TEST, false);
                taints |= 1L << Taint.TEST;
            }
            info.prepareLayout();
            Layout layout = Layout.compute(info);
            mod = new Module(name, path, info, layout);
            mod.taints = taints;
            mod.license = license;
        } catch (ModuleFormatException e) {
            log(e);
            return -e.errno();
        }
        // move_module(): module_alloc() the core and init allocations
        Layout layout = mod.layout;
        mod.core = moduleAlloc(layout.core.size, name);
        if (mod.core == null) {
            return -Errno.ENOMEM;
        }
        if (layout.init.size > 0) {
            mod.init = moduleAlloc(layout.init.size, name);
            if (mod.init == null) {
                k.machine().moduleArea().free(mod.core.base());
                return -Errno.ENOMEM;
            }
        }
        mod.coreSize = layout.core.size;
        mod.coreTextSize = layout.core.textSize;
        mod.initSize = layout.init.size;
        mod.initTextSize = layout.init.textSize;
        mod.image = ModuleImage.place(mod.info, layout, mod.core.base(), mod.init == null ? 0 : mod.init.base());
        mod.thisModule = mod.image.sectionAddress(mod.info.modIndex());

        // add_unformed_module()
        Module old = find(name);
        if (old != null) {
            freeMemory(mod);
            return old.state == Module.State.LIVE ? -Errno.EEXIST : -Errno.EBUSY;
        }
        mod.state = Module.State.UNFORMED;
        list.add(mod);
        if (!sigNoticeShown) {
            sigNoticeShown = true;
            log(PR_NOTICE, name + ": module verification failed: signature and/or required key missing - "
                    + "tainting kernel");
        }
        k.taint().add(Taint.UNSIGNED_MODULE, false);
        mod.taints |= 1L << Taint.UNSIGNED_MODULE;

        int err = linkAndInit(mod, args);
        return err;
    }

    private AddressSpace.Region moduleAlloc(long size, String name) {
        return k.machine().moduleArea().allocate(size, AddressSpace.PAGE, AddressSpace.RW, "module " + name);
    }

    /** The rest of load_module(), from percpu_modalloc() on; undoes everything on failure. */
    private int linkAndInit(Module mod, String args) {
        String name = mod.name;
        LoadInfo info = mod.info;
        ModuleImage img = mod.image;
        // percpu_modalloc()
        if (info.pcpuIndex() != 0) {
            ElfFile.Section pcpu = info.section(info.pcpuIndex());
            long off = k.machine().defineData(name + ":.data..percpu", Machine.Section.PERCPU, pcpu.size(),
                    Math.max(pcpu.addralign(), 8));
            mod.pcpuBase = off;
        }
        mod.refcnt = 1;
        // find_module_sections() and check_module_license_and_versions()
        long ksymtab = img.sectionSize("__ksymtab");
        long gplsyms = img.sectionSize("__ksymtab_gpl");
        if ((ksymtab > 0 && img.sectionSize("__kcrctab") == 0) || (gplsyms > 0 && img.sectionSize("__kcrctab_gpl") == 0)) {
            mod.taints |= forceLoad(name, "no versions for exported symbols");
        }
        // simplify_symbols(), apply_relocations()
        try {
            img.simplifySymbols(resolver(mod), mod.pcpuBase);
            img.applyRelocations();
        } catch (ModuleFormatException e) {
            log(e);
            unlink(mod);
            return -e.errno();
        }
        // post_relocation(): kallsyms (the copy into guest memory follows)
        List<ModuleImage.KSym> coreSyms = img.addKallsyms();
        AddressSpace mem = k.mem();
        mem.poke(mod.core.base(), img.core());
        if (mod.init != null) {
            mem.poke(mod.init.base(), img.init());
        }
        if (info.pcpuIndex() != 0) {
            byte[] data = info.elf().contents(info.section(info.pcpuIndex()));
            mem.poke(k.machine().percpu(name + ":.data..percpu"), data);
        }
        mod.kallsyms = img.initKallsyms();
        k.machine().kallsyms().addModule(mod);
        mod.initFn = mem.read64(mod.thisModule + k.off("module_init"));
        mod.exitFn = mem.read64(mod.thisModule + k.off("module_exit"));
        // the module's copy of its argument string (strndup_user)
        mod.args = k.kstrdup(args);
        mem.write64(mod.thisModule + k.off("module_args"), mod.args);
        // ftrace_module_init(): the __fentry__ calls become 5-byte NOPs
        nopMcountSites(mod);
        // complete_formation()
        collectExports(mod);
        String dup = duplicateExport(mod);
        if (dup != null) {
            unlink(mod);
            return -Errno.ENOEXEC;
        }
        // module_bug_finalize()
        mod.bugTable = img.sectionAddress("__bug_table");
        mod.numBugs = (int) (img.sectionSize("__bug_table") / Panic.BUG_ENTRY_SIZE);
        // find_module_sections() and post_relocation(): the exception table, sorted
        mod.extable = img.sectionAddress("__ex_table");
        mod.numExentries = (int) (img.sectionSize("__ex_table") / k.off("exception_table_entry_sizeof"));
        Extable.sortExtable(k, mod.extable, mod.numExentries);
        protect(mod, false);
        setState(mod, Module.State.COMING);
        mem.write32(mod.thisModule + k.off("module_refcnt"), mod.refcnt);
        // parse_args()
        long kp = img.sectionAddress("__param");
        mod.params = kp;
        mod.numParams = (int) (img.sectionSize("__param") / k.off("kernel_param_sizeof"));
        int perr = Params.parseArgs(k, name, mod.args, kp, mod.numParams, mod.thisModule);
        if (perr < 0) {
            setState(mod, Module.State.GOING);
            unlink(mod);
            return perr;
        }
        k.vfs().addModule(mod);
        return doInitModule(mod);
    }

    /** {@code do_init_module()}. */
    private int doInitModule(Module mod) {
        long ret = 0;
        if (mod.initFn != 0) {
            try {
                ret = (int) k.call(mod.initFn);
            } catch (GuestFault f) {
                Oops.report(k, f);
                throw new TaskKilled("init of " + mod.name + " oopsed");
            }
        }
        if (ret < 0) {
            setState(mod, Module.State.GOING);
            mod.refcnt--;
            k.vfs().removeModule(mod);
            unlink(mod);
            return (int) ret;
        }
        if (ret > 0) {
            log(PR_WARN, "do_init_module: '" + mod.name + "'->init suspiciously returned " + ret
                    + ", it should follow 0/-E convention\ndo_init_module: loading module anyway...");
            Oops.dumpStack(k);
        }
        setState(mod, Module.State.LIVE);
        mod.refcnt--;
        k.mem().write32(mod.thisModule + k.off("module_refcnt"), mod.refcnt);
        // Switch to the core kallsyms, make ro_after_init read-only, free init.
        mod.kallsyms = coreKallsyms(mod);
        protect(mod, true);
        if (mod.init != null) {
            k.machine().moduleArea().free(mod.init.base());
            mod.init = null;
        }
        mod.initSize = 0;
        mod.initTextSize = 0;
        return 0;
    }

    private List<ModuleImage.KSym> coreKallsyms(Module mod) {
        List<ModuleImage.KSym> all = mod.image.initKallsyms();
        List<ModuleImage.KSym> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            ElfFile.Symbol s = mod.info.symbols().get(i);
            if (i == 0 || Layout.isCoreSymbol(s, mod.info, mod.layout)) {
                out.add(all.get(i));
            }
        }
        return out;
    }

    /** Sets {@code mod->state}, in Java and in guest memory. */
    private void setState(Module mod, Module.State s) {
        mod.state = s;
        int v = switch (s) {
            case LIVE -> (int) k.profile().value("MODULE_STATE_LIVE");
            case COMING -> (int) k.profile().value("MODULE_STATE_COMING");
            case GOING -> (int) k.profile().value("MODULE_STATE_GOING");
            case UNFORMED -> (int) k.profile().value("MODULE_STATE_UNFORMED");
        };
        if (mod.core != null) {
            k.mem().write32(mod.thisModule + k.off("module_state"), v);
        }
    }

    /**
     * {@code module_enable_ro()}, {@code module_enable_nx()}, {@code module_enable_x()}: text
     * RX, rodata R, ro_after_init R once init is done, the rest RW.
     */
    private void protect(Module mod, boolean afterInit) {
        AddressSpace mem = k.mem();
        Layout.Part c = mod.layout.core;
        long base = mod.core.base();
        mem.protect(base, c.textSize, AddressSpace.RX);
        if (c.roSize > c.textSize) {
            mem.protect(base + c.textSize, c.roSize - c.textSize, AddressSpace.R);
        }
        if (afterInit && c.roAfterInitSize > c.roSize) {
            mem.protect(base + c.roSize, c.roAfterInitSize - c.roSize, AddressSpace.R);
        }
        if (mod.init != null && !afterInit) {
            Layout.Part i = mod.layout.init;
            long ib = mod.init.base();
            mem.protect(ib, i.textSize, AddressSpace.RX);
            if (i.roSize > i.textSize) {
                mem.protect(ib + i.textSize, i.roSize - i.textSize, AddressSpace.R);
            }
        }
        k.machine().cpu().invalidateCode(base, base + c.size);
        if (mod.init != null) {
            k.machine().cpu().invalidateCode(mod.init.base(), mod.init.end());
        }
    }

    /** Replaces every {@code call __fentry__} listed in {@code __mcount_loc} with a 5-byte NOP. */
    private void nopMcountSites(Module mod) {
        long loc = mod.image.sectionAddress("__mcount_loc");
        long n = mod.image.sectionSize("__mcount_loc") / 8;
        byte[] nop5 = {0x0f, 0x1f, 0x44, 0x00, 0x00};
        long fentry = k.machine().symbol("__fentry__");
        AddressSpace mem = k.mem();
        for (long i = 0; i < n; i++) {
            long site = mem.read64(loc + 8 * i);
            byte[] insn = mem.peek(site, 5);
            if (insn != null && insn.length == 5 && (insn[0] & 0xff) == 0xe8) {
                int rel = ByteBuffer.wrap(insn, 1, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
                if (site + 5 + rel == fentry) {
                    mem.poke(site, nop5);
                }
            }
        }
    }

    /** Reads {@code __ksymtab} and {@code __ksymtab_gpl} (prel32 entries) into {@code mod.exports}. */
    private void collectExports(Module mod) {
        readKsymtab(mod, "__ksymtab", "__kcrctab", false);
        readKsymtab(mod, "__ksymtab_gpl", "__kcrctab_gpl", true);
    }

    private void readKsymtab(Module mod, String sec, String crcSec, boolean gpl) {
        long at = mod.image.sectionAddress(sec);
        long size = mod.image.sectionSize(sec);
        long crcs = mod.image.sectionAddress(crcSec);
        int entry = k.off("kernel_symbol_sizeof");
        AddressSpace mem = k.mem();
        for (long i = 0; i < size / entry; i++) {
            long e = at + i * entry;
            long value = e + k.off("kernel_symbol_value_offset")
                    + mem.read32(e + k.off("kernel_symbol_value_offset"));
            long nameAt = e + k.off("kernel_symbol_name_offset") + mem.read32(e + k.off("kernel_symbol_name_offset"));
            long nsAt = e + k.off("kernel_symbol_namespace_offset")
                    + mem.read32(e + k.off("kernel_symbol_namespace_offset"));
            String ns = nsAt == e + k.off("kernel_symbol_namespace_offset") ? "" : mem.readCString(nsAt, 256);
            int crc = crcs == 0 ? 0 : mem.read32(crcs + 4 * i);
            String n = mem.readCString(nameAt, 512);
            mod.exports.put(n, new Module.Export(n, value, gpl, crc, ns));
        }
    }

    /** {@code verify_exported_symbols()}: logs and returns the first export someone else owns. */
    private String duplicateExport(Module mod) {
        for (String n : mod.exports.keySet()) {
            String owner = null;
            if (k.machine().hasSymbol(n) && k.profile().exports().containsKey(n)) {
                owner = "kernel";
            }
            for (Module o : list) {
                if (o != mod && o.state != Module.State.UNFORMED && o.exports.containsKey(n)) {
                    owner = o.name;
                }
            }
            if (owner != null) {
                log(PR_ERR, mod.name + ": exports duplicate symbol " + n + " (owned by " + owner + ")");
                return n;
            }
        }
        return null;
    }

    /** {@code resolve_symbol()}: vmlinux exports first, then other modules' exports. */
    private SymbolResolver resolver(Module mod) {
        return name -> {
            boolean gplok = (mod.taints & (1L << Taint.PROPRIETARY_MODULE)) == 0;
            Profile.Export ex = k.profile().exports().get(name);
            if (ex != null && k.machine().hasSymbol(name)) {
                if (ex.gplOnly() && !gplok) {
                    return null;
                }
                if (!checkVersion(mod.info, mod.name, name, ex.crc())) {
                    return SymbolResolver.Resolved.error(-Errno.EINVAL);
                }
                return SymbolResolver.Resolved.of(k.machine().symbol(name));
            }
            for (Module o : list) {
                if (o == mod || o.state == Module.State.UNFORMED) {
                    continue;
                }
                Module.Export e = o.exports.get(name);
                if (e == null || (e.gplOnly() && !gplok)) {
                    continue;
                }
                if (!checkVersion(mod.info, mod.name, name, e.crc())) {
                    return SymbolResolver.Resolved.error(-Errno.EINVAL);
                }
                if (!mod.uses.contains(o)) {
                    mod.uses.add(o);
                    o.usedBy.add(mod);
                }
                return SymbolResolver.Resolved.of(e.value());
            }
            return null;
        };
    }

    private Integer crcOf(String symbol) {
        Profile.Export e = k.profile().exports().get(symbol);
        return e == null ? null : e.crc();
    }

    private boolean noVersionWarned;

    /** {@code check_version()} against {@code __versions}. */
    private boolean checkVersion(LoadInfo info, String modName, String symbol, int crc) {
        if (info.versIndex() == 0) {
            return forceLoadQuiet(modName, symbol);
        }
        byte[] vers = info.elf().contents(info.section(info.versIndex()));
        ByteBuffer b = ByteBuffer.wrap(vers).order(ByteOrder.LITTLE_ENDIAN);
        int entry = 8 + k.off("MODULE_NAME_LEN");
        for (int o = 0; o + entry <= vers.length; o += entry) {
            int end = o + 8;
            while (end < o + entry && vers[end] != 0) {
                end++;
            }
            String n = new String(vers, o + 8, end - o - 8, StandardCharsets.ISO_8859_1);
            if (!n.equals(symbol)) {
                continue;
            }
            if ((int) b.getLong(o) == crc) {
                return true;
            }
            log(PR_WARN, modName + ": disagrees about version of symbol " + symbol);
            return false;
        }
        if (!noVersionWarned) {
            noVersionWarned = true;
            log(PR_WARN, modName + ": no symbol version for " + symbol);
        }
        return true;
    }

    private boolean forceLoadQuiet(String modName, String reason) {
        forceLoad(modName, reason);
        return true;
    }

    /** {@code try_to_force_load()} with CONFIG_MODULE_FORCE_LOAD: taints and allows. */
    private long forceLoad(String modName, String reason) {
        if (!k.taint().test(Taint.FORCED_MODULE)) {
            log(PR_WARN, modName + ": " + reason + ": kernel tainted.");
        }
        k.taint().add(Taint.FORCED_MODULE, true);
        return 1L << Taint.FORCED_MODULE;
    }

    /** {@code same_magic()}: with modversions, the kernel release is left to the CRCs. */
    static boolean sameMagic(String a, String b, boolean hasCrcs) {
        if (hasCrcs) {
            int sa = a.indexOf(' ');
            int sb = b.indexOf(' ');
            a = sa < 0 ? "" : a.substring(sa);
            b = sb < 0 ? "" : b.substring(sb);
        }
        return a.equals(b);
    }

    private static byte[] stripSignature(byte[] image) {
        byte[] marker = SIG_MARKER.getBytes(StandardCharsets.US_ASCII);
        int n = image.length;
        if (n < marker.length + 12 || !Arrays.equals(image, n - marker.length, n, marker, 0, marker.length)) {
            return image;
        }
        int sigEnd = n - marker.length;
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.BIG_ENDIAN);
        long sigLen = b.getInt(sigEnd - 4) & 0xffffffffL;
        long keep = sigEnd - 12 - sigLen;
        if (keep <= 0) {
            return image;
        }
        return Arrays.copyOf(image, (int) keep);
    }

    /** Undoes a failed load after the module was listed: memory, links, kallsyms. */
    private void unlink(Module mod) {
        list.remove(mod);
        for (Module o : mod.uses) {
            o.usedBy.remove(mod);
        }
        k.machine().kallsyms().removeModule(mod);
        if (mod.args != 0) {
            k.slab().kfree(mod.args);
        }
        freeMemory(mod);
    }

    private void freeMemory(Module mod) {
        if (mod.init != null) {
            k.machine().moduleArea().free(mod.init.base());
            mod.init = null;
        }
        if (mod.core != null) {
            k.machine().moduleArea().free(mod.core.base());
            mod.core = null;
        }
    }

    /**
     * {@code delete_module(2)}.
     *
     * @return 0 or a negative errno
     * @throws TaskKilled if exit oopsed
     */
    public int delete(String name, boolean force) {
        if (name.isEmpty() || name.length() >= k.off("MODULE_NAME_LEN")) {
            return -Errno.ENOENT;
        }
        Module mod = find(name);
        if (mod == null) {
            return -Errno.ENOENT;
        }
        if (!mod.usedBy.isEmpty()) {
            return -Errno.EAGAIN;
        }
        if (mod.state != Module.State.LIVE) {
            return -Errno.EBUSY;
        }
        if (mod.initFn != 0 && mod.exitFn == 0) {
            if (!force) {
                return -Errno.EBUSY;
            }
            k.taint().add(Taint.FORCED_RMMOD, true);
        }
        if (mod.refcnt != 0 && !force) {
            return -Errno.EAGAIN;
        }
        setState(mod, Module.State.GOING);
        if (mod.exitFn != 0) {
            try {
                k.call(mod.exitFn);
            } catch (GuestFault f) {
                Oops.report(k, f);
                throw new TaskKilled("exit of " + mod.name + " oopsed");
            }
        }
        k.vfs().removeModule(mod);
        Params.destroy(k, mod.params, mod.numParams);
        setState(mod, Module.State.UNFORMED);
        unlink(mod);
        return 0;
    }

    /** True if {@code name} is a loaded module (in any state). */
    public boolean loaded(String name) {
        return find(name) != null;
    }

    /** Returns {@code module_flags()} text for "Modules linked in:", e.g. "(OE+)". */
    public static String flags(Module m) {
        String t = m.taintLetters();
        String s = m.state == Module.State.COMING ? "+" : m.state == Module.State.GOING ? "-" : "";
        return t.isEmpty() && s.isEmpty() ? "" : "(" + t + s + ")";
    }
}
