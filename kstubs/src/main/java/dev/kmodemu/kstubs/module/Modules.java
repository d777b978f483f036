package dev.kmodemu.kstubs.module;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.GuestFault;
import dev.kmodemu.firmware.KernelFunctions;
import dev.kmodemu.firmware.Orc;
import dev.kmodemu.kstubs.sched.Tasks;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.firmware.Profile;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.kernel.Extable;
import dev.kmodemu.kstubs.kernel.Oops;
import dev.kmodemu.kstubs.locking.Lockdep;
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
        private final int signal;

        public TaskKilled(String message, int signal) {
            super(message, null, false, false);
            this.signal = signal;
        }

        /** The signal the task died of (SIGKILL after a page fault, SIGSEGV after a BUG). */
        public int signal() {
            return signal;
        }
    }

    /** kernel/module/main.c: a live module's {@code refcnt} with no users. */
    public static final int MODULE_REF_BASE = 1;
    private static final int PR_ERR = 3;
    private static final int PR_WARN = 4;
    private static final int PR_NOTICE = 5;

    private final KernelContext k;
    /** Loaded modules in load order (lsmod shows them newest first). */
    private final List<Module> list = new ArrayList<>();
    private boolean sigNoticeShown;
    /** {@code last_unloaded_module}: name and taint flags, for "Modules linked in:". */
    private String lastUnloaded = "";

    public Modules(KernelContext k) {
        this.k = k;
    }

    private CoverageRecorder coverage;

    /** Starts recording which lines of module code run (see {@link #coverage()}). */
    public void startCoverage() {
        if (coverage == null) {
            coverage = new CoverageRecorder(k);
        }
    }

    /**
     * The source coverage of module code so far (the loaded modules' blocks included), or null
     * if coverage is off.
     */
    public dev.kmodemu.kstubs.Coverage coverage() {
        if (coverage == null) {
            return null;
        }
        for (Module m : list) {
            if (m.image != null) {
                coverage.harvest(m, m.init);
                coverage.harvest(m, m.core);
            }
        }
        return coverage.coverage();
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

    /** The module whose {@code struct module} is at {@code thisModule} (a {@code struct module *}), or null. */
    public Module withStruct(long thisModule) {
        for (Module m : list) {
            if (m.thisModule == thisModule) {
                return m;
            }
        }
        return null;
    }

    /**
     * {@code section_objs()} of {@code find_module_sections()}: how many {@code objSize}-byte
     * objects section {@code name} of {@code mod} holds, stored with the section's address in the
     * module's {@code struct module} fields {@code ptrField} and {@code numField} (profile keys).
     */
    public long sectionObjs(Module mod, String name, int objSize, String ptrField, String numField) {
        long n = mod.sectionSize(name) / objSize;
        k.mem().write64(mod.thisModule + k.off(ptrField), n == 0 ? 0 : mod.sectionAddress(name));
        k.mem().write32(mod.thisModule + k.off(numField), (int) n);
        return n;
    }

    /** {@code is_module_text_address()}: core or init text of a loaded module. */
    public boolean isModuleTextAddress(long address) {
        Module m = containing(address);
        return m != null && m.withinText(address);
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
        return load(image, args, path, 0);
    }

    /**
     * {@code finit_module(2)} with flags ({@link LoadInfo#MODULE_INIT_IGNORE_MODVERSIONS},
     * {@link LoadInfo#MODULE_INIT_IGNORE_VERMAGIC}: what {@code insmod -f} passes).
     */
    public int load(byte[] image, String args, String path, int flags) {
        stage = Stage.CHECKS;
        loadingName = null;
        int err = 0;
        try {
            err = loadModule(image, args, path, flags, false);
        } finally {
            lastLoad = new LoadOutcome(loadingName, stage, err);
        }
        return err;
    }

    /**
     * The first half of {@code finit_module(2)}: loads and links the module and stops where
     * {@code load_module()} would parse its parameters (the module is COMING, its code relocated,
     * nothing of it has run). {@link #finishLoad} does the rest, any number of times from a
     * snapshot taken in between: that is how fuzzing runs init with different parameters without
     * loading again.
     *
     * @return the module, or null with {@link #lastLoad()} saying why the load failed
     */
    public Module prepare(byte[] image, String path, int flags) {
        stage = Stage.CHECKS;
        loadingName = null;
        prepared = null;
        int err = 0;
        try {
            err = loadModule(image, "", path, flags, true);
        } finally {
            lastLoad = new LoadOutcome(loadingName, stage, err);
        }
        Module m = prepared;
        prepared = null;
        return err == 0 ? m : null;
    }

    /**
     * The second half of {@code finit_module(2)} for a module from {@link #prepare}: its argument
     * string, {@code parse_args()}, sysfs, init.
     *
     * @return 0 or a negative errno, as {@link #load}
     * @throws TaskKilled if init oopsed
     */
    public int finishLoad(Module mod, String args) {
        if (mod.state != Module.State.COMING || find(mod.name) != mod) {
            throw new IllegalStateException("kmodemu: " + mod.name + " is not waiting for init");
        }
        stage = Stage.PARAMS;
        loadingName = mod.name;
        int err = 0;
        try {
            Tasks.Task t = k.tasks().current();
            t.syscall((int) k.profile().value("NR_finit_module"), Tasks.FD, t.userString(k.mem(), args), 0);
            k.slab().kfree(mod.args);
            mod.args = k.kstrdup(args);
            k.mem().write64(mod.thisModule + k.off("module_args"), mod.args);
            err = parseArgsAndInit(mod);
        } finally {
            lastLoad = new LoadOutcome(loadingName, stage, err);
        }
        return err;
    }

    /** The module {@link #prepare} stopped with. */
    private Module prepared;

    /** How far {@code load_module()} got: what a failure of the last load was about. */
    public enum Stage {
        /** ELF, modinfo, vermagic, versions, layout, memory, name already loaded. */
        CHECKS,
        /** Symbol resolution and relocation, exports. */
        LINK,
        /** Module parameters. */
        PARAMS,
        /** The module's init function ran. */
        INIT
    }

    /** The last load's module name (null before it is known), stage reached and result. */
    public record LoadOutcome(String name, Stage stage, int errno) {
    }

    private Stage stage = Stage.CHECKS;
    private String loadingName;
    private LoadOutcome lastLoad;

    /** The outcome of the last {@link #load}, or null before any. */
    public LoadOutcome lastLoad() {
        return lastLoad;
    }

    @dev.kmodemu.emu.StateSnapshot.Exclude("immutable certificates; keys trusted after a snapshot stay trusted")
    private List<org.bouncycastle.cert.X509CertificateHolder> keyring;

    /**
     * The keys module signatures are checked against: the kernel's builtin trusted keys, then
     * those added to the secondary keyring ({@link #trustKey}).
     */
    private List<org.bouncycastle.cert.X509CertificateHolder> keyring() {
        if (keyring == null) {
            keyring = new ArrayList<>(ModuleSignature.certificates(k.profile().builtinTrustedKeys()));
        }
        return keyring;
    }

    /**
     * Adds an X.509 certificate (DER) to the secondary trusted keyring, as
     * {@code keyctl padd asymmetric "" %:.secondary_trusted_keys} would for a key signed by a
     * trusted one: modules signed with its key load as signed.
     *
     * @throws IllegalArgumentException if it is not a certificate
     */
    public void trustKey(byte[] der) {
        keyring().addAll(ModuleSignature.certificates(List.of(der)));
    }

    private int loadModule(byte[] image, String args, String path, int flags, boolean stopBeforeArgs) {
        Tasks.Task t = k.tasks().current();
        t.syscall((int) k.profile().value("NR_finit_module"), Tasks.FD, t.userString(k.mem(), args), flags);
        if ((flags & ~(LoadInfo.MODULE_INIT_IGNORE_MODVERSIONS | LoadInfo.MODULE_INIT_IGNORE_VERMAGIC)) != 0) {
            return -Errno.EINVAL;
        }
        if (image.length == 0) {
            return -Errno.EINVAL;
        }
        // module_sig_check(): before anything looks at the ELF
        ModuleSignature.Result sig = ModuleSignature.check(image,
                (flags & (LoadInfo.MODULE_INIT_IGNORE_MODVERSIONS | LoadInfo.MODULE_INIT_IGNORE_VERMAGIC)) != 0,
                keyring(), line -> log(PR_ERR, line));
        if (sig.errno() != 0) {
            return sig.errno();
        }
        byte[] img = sig.length() == image.length ? image : Arrays.copyOf(image, sig.length());
        LoadInfo info;
        try {
            info = LoadInfo.setup(img, k.off("module_name"), flags);
        } catch (ModuleFormatException e) {
            log(e);
            return -e.errno();
        }
        String name = info.name();
        loadingName = name;
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
            String modmagic = (flags & LoadInfo.MODULE_INIT_IGNORE_VERMAGIC) != 0 ? null
                    : info.modinfo().get("vermagic");
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
            mod.mem = k.mem();
            mod.refcntOffset = k.off("module_refcnt");
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
            // A module of that name still COMING or UNFORMED would be waited for; with one CPU
            // nothing can finish it meanwhile (it is the caller's own init), so that wait fails.
            freeMemory(mod);
            return old.state == Module.State.LIVE || old.state == Module.State.GOING ? -Errno.EEXIST : -Errno.EBUSY;
        }
        mod.state = Module.State.UNFORMED;
        list.add(mod);
        // module_augment_kernel_taints()
        if (!sig.signed()) {
            if (!sigNoticeShown) {
                sigNoticeShown = true;
                log(PR_NOTICE, name + ": module verification failed: signature and/or required key missing - "
                        + "tainting kernel");
            }
            k.taint().add(Taint.UNSIGNED_MODULE, false);
            mod.taints |= 1L << Taint.UNSIGNED_MODULE;
        }

        try {
            return linkAndInit(mod, args, stopBeforeArgs);
        } catch (dev.kmodemu.emu.PageFault pf) {
            // load_module()'s own code read or wrote through a corrupt table of the module (jump
            // table, static call sites, exception table, ...): the kernel oopses there
            if (list.contains(mod)) {
                unlink(mod);
            }
            throw k.machine().pageFaultInKernel(pf, "load_module");
        }
    }

    private AddressSpace.Region moduleAlloc(long size, String name) {
        return k.machine().moduleArea().allocate(size, AddressSpace.PAGE, AddressSpace.RW, "module " + name);
    }

    /** The rest of load_module(), from percpu_modalloc() on; undoes everything on failure. */
    private int linkAndInit(Module mod, String args, boolean stopBeforeArgs) {
        String name = mod.name;
        LoadInfo info = mod.info;
        ModuleImage img = mod.image;
        // percpu_modalloc()
        if (info.pcpuIndex() != 0 && info.section(info.pcpuIndex()).size() != 0) {
            ElfFile.Section pcpu = info.section(info.pcpuIndex());
            long align = pcpu.addralign();
            if (align > AddressSpace.PAGE) {
                log(PR_WARN, name + ": per-cpu alignment " + align + " > " + AddressSpace.PAGE);
                align = AddressSpace.PAGE;
            }
            long off = k.machine().allocModulePercpu(pcpu.size(), align);
            if (off < 0) {
                log(PR_WARN, name + ": Could not allocate " + pcpu.size() + " bytes percpu data");
                list.remove(mod);
                freeMemory(mod);
                return -Errno.ENOMEM;
            }
            mod.pcpuBase = off;
            mod.hasPercpu = true;
        }
        // module_unload_init(): refcnt = MODULE_REF_BASE, plus one held during init (written to
        // guest memory with the image below)
        // find_module_sections() and check_module_license_and_versions()
        long ksymtab = img.sectionSize("__ksymtab");
        long gplsyms = img.sectionSize("__ksymtab_gpl");
        if ((ksymtab > 0 && img.sectionSize("__kcrctab") == 0) || (gplsyms > 0 && img.sectionSize("__kcrctab_gpl") == 0)) {
            mod.taints |= forceLoad(name, "no versions for exported symbols");
        }
        // simplify_symbols(), apply_relocations()
        stage = Stage.LINK;
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
        if (mod.hasPercpu) {
            byte[] data = info.elf().contents(info.section(info.pcpuIndex()));
            mem.poke(k.machine().percpuAddress(mod.pcpuBase), data);
        }
        mod.setRawRefcnt(MODULE_REF_BASE + 1);
        mod.kallsyms = img.initKallsyms();
        k.machine().kallsyms().addModule(mod);
        mod.initFn = mem.read64(mod.thisModule + k.off("module_init"));
        mod.exitFn = mem.read64(mod.thisModule + k.off("module_exit"));
        // the module's copy of its argument string (strndup_user)
        mod.args = k.kstrdup(args);
        mem.write64(mod.thisModule + k.off("module_args"), mod.args);
        // post_relocation(): module_finalize() patches paravirt, retpoline, return and
        // alternative sites and lock prefixes for this CPU before any of the code runs
        try {
            dev.kmodemu.kstubs.arch.Alternative.moduleFinalize(k, mod);
        } catch (dev.kmodemu.emu.PageFault pf) {
            // a patch site outside the module (a corrupt table): the kernel oopses patching it
            unlink(mod);
            throw k.machine().pageFaultInKernel(pf, "module_finalize");
        }
        // ftrace_module_init(): the __fentry__ calls become 5-byte NOPs
        nopMcountSites(mod);
        // complete_formation()
        String dup;
        try {
            collectExports(mod);
            dup = duplicateExport(mod);
        } catch (dev.kmodemu.emu.PageFault pf) {
            // A __ksymtab entry pointing outside the module: the kernel oopses reading the name.
            unlink(mod);
            throw k.machine().pageFaultInKernel(pf, "find_symbol");
        }
        if (dup != null) {
            unlink(mod);
            return -Errno.ENOEXEC;
        }
        // module_finalize(): unwind_module_init() sorts the ORC tables
        mod.orc = Orc.Table.load(mem, img.sectionAddress(".orc_unwind_ip"), img.sectionSize(".orc_unwind_ip"),
                img.sectionAddress(".orc_unwind"), img.sectionSize(".orc_unwind"));
        k.machine().unwinder().addModule(mod);
        // module_bug_finalize()
        mod.bugTable = img.sectionAddress("__bug_table");
        mod.numBugs = (int) (img.sectionSize("__bug_table") / Panic.BUG_ENTRY_SIZE);
        // find_module_sections() and post_relocation(): the exception table, sorted
        mod.extable = img.sectionAddress("__ex_table");
        mod.numExentries = (int) (img.sectionSize("__ex_table") / k.off("exception_table_entry_sizeof"));
        Extable.sortExtable(k, mod.extable, mod.numExentries);
        protect(mod, false);
        setState(mod, Module.State.COMING);
        int cerr = prepareComingModule(mod);
        if (cerr < 0) {
            setState(mod, Module.State.GOING);
            unlink(mod);
            return cerr;
        }
        if (stopBeforeArgs) {
            prepared = mod;
            return 0;
        }
        return parseArgsAndInit(mod);
    }

    /** From {@code parse_args()} to the end of {@code load_module()}. */
    private int parseArgsAndInit(Module mod) {
        String name = mod.name;
        LoadInfo info = mod.info;
        ModuleImage img = mod.image;
        // parse_args()
        stage = Stage.PARAMS;
        long kp = img.sectionAddress("__param");
        mod.params = kp;
        mod.numParams = (int) (img.sectionSize("__param") / k.off("kernel_param_sizeof"));
        int perr = Params.parseArgs(k, name, mod.args, kp, mod.numParams, mod.thisModule);
        if (perr < 0) {
            setState(mod, Module.State.GOING);
            notifyGoing(mod);
            unlink(mod);
            return perr;
        }
        // mod_sysfs_setup(): add_sect_attrs() and add_notes_attrs() take the sections from here
        List<Module.Section> secs = new ArrayList<>();
        for (ElfFile.Section sec : info.sections()) {
            if ((info.flags(sec.index()) & dev.kmodemu.loader.Elf.SHF_ALLOC) != 0 && sec.size() != 0) {
                secs.add(new Module.Section(sec.name(), img.sectionAddress(sec.index()), sec.size(),
                        sec.type() == dev.kmodemu.loader.Elf.SHT_NOTE));
            }
        }
        mod.sections = List.copyOf(secs);
        k.vfs().addModule(mod);
        return doInitModule(mod);
    }

    /**
     * {@code prepare_coming_module()}: the module notifiers' MODULE_STATE_COMING calls, of which
     * kmodemu has the kernel's own: jump labels (priority 1, so first) and static calls. A
     * failure unwinds the ones that ran with MODULE_STATE_GOING.
     */
    private int prepareComingModule(Module mod) {
        int err = dev.kmodemu.kstubs.kernel.JumpLabel.addModule(k, mod);
        if (err < 0) {
            Oops.warn(k, "kernel/jump_label.c:784", "jump_label_module_notify",
                    "Failed to allocate memory: jump_label may not work properly.");
            dev.kmodemu.kstubs.kernel.JumpLabel.delModule(k, mod);
            return err;
        }
        err = dev.kmodemu.kstubs.kernel.StaticCall.addModule(k, mod);
        if (err < 0) {
            notifyGoing(mod);
            return err;
        }
        dev.kmodemu.kstubs.kernel.Tracepoint.moduleNotify(k, mod, Module.State.COMING);
        dev.kmodemu.kstubs.kernel.trace.TraceEvents.moduleNotify(k, mod, Module.State.COMING);
        return 0;
    }

    /** The module notifiers' MODULE_STATE_GOING calls ({@code blocking_notifier_call_chain()}). */
    private void notifyGoing(Module mod) {
        dev.kmodemu.kstubs.kernel.trace.TraceEvents.moduleNotify(k, mod, Module.State.GOING);
        dev.kmodemu.kstubs.kernel.Tracepoint.moduleNotify(k, mod, Module.State.GOING);
        dev.kmodemu.kstubs.kernel.JumpLabel.delModule(k, mod);
        dev.kmodemu.kstubs.kernel.StaticCall.delModule(k, mod);
    }

    /** {@code do_init_module()}. */
    private int doInitModule(Module mod) {
        stage = Stage.INIT;
        long ret = 0;
        if (mod.initFn != 0) {
            int preempt = Lockdep.initcallStart(k);
            try {
                ret = (int) k.callFrom(k.chain(KernelFunctions.GUEST, "do_one_initcall", "do_init_module",
                        "__do_sys_finit_module"), mod.initFn);
            } catch (GuestFault f) {
                throw new TaskKilled("init of " + mod.name + " oopsed", Oops.report(k, f));
            }
            Lockdep.initcallReturned(k, preempt, mod.initFn);
        }
        if (ret < 0) {
            setState(mod, Module.State.GOING);
            modulePut(k, mod.thisModule);
            notifyGoing(mod);
            k.vfs().removeModule(mod);
            setState(mod, Module.State.UNFORMED);
            freeing(mod);
            unlink(mod);
            return (int) ret;
        }
        if (ret > 0) {
            log(PR_WARN, "do_init_module: '" + mod.name + "'->init suspiciously returned " + ret
                    + ", it should follow 0/-E convention\ndo_init_module: loading module anyway...");
            Oops.dumpStack(k, 4);
        }
        setState(mod, Module.State.LIVE);
        modulePut(k, mod.thisModule);
        // Switch to the core kallsyms, make ro_after_init read-only, free init.
        mod.kallsyms = coreKallsyms(mod);
        protect(mod, true);
        if (mod.init != null) {
            if (coverage != null) {
                coverage.harvest(mod, mod.init);
            }
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
        if (!afterInit) {
            // The loader wrote the code: drop what was translated from these pages before. After
            // init the bytes are the same (only permissions change, and mem.protect flushes the TLB).
            k.machine().cpu().invalidateCode(base, base + c.size);
            if (mod.init != null) {
                k.machine().cpu().invalidateCode(mod.init.base(), mod.init.end());
            }
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
            Integer crc = crcs == 0 ? null : mem.read32(crcs + 4 * i);
            String n = mem.readCString(nameAt, 512);
            mod.exports.put(n, new Module.Export(n, value, gpl, crc, ns));
        }
    }

    /** {@code verify_exported_symbols()}: logs and returns the first export someone else owns. */
    private String duplicateExport(Module mod) {
        for (String n : mod.exports.keySet()) {
            String owner = null;
            // find_symbol(): every vmlinux export counts here, implemented by kmodemu or not
            if (k.profile().exports().containsKey(n)) {
                owner = "kernel";
            }
            for (int i = list.size() - 1; i >= 0 && owner == null; i--) {
                Module o = list.get(i);
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

    /** What {@code find_symbol()} found: the export and its owner (null for vmlinux). */
    private record Found(String name, long value, boolean gplOnly, Integer crc, String namespace, Module owner) {
    }

    /**
     * {@code find_symbol()}: the kernel's exports (those kmodemu implements), then every formed
     * module's, newest first; a GPL-only export is invisible to a caller without {@code gplok}.
     */
    private Found findSymbol(String name, boolean gplok) {
        Profile.Export ex = k.profile().exports().get(name);
        if (ex != null && k.machine().hasSymbol(name) && (gplok || !ex.gplOnly())) {
            return new Found(name, k.machine().symbol(name), ex.gplOnly(), ex.crc(), ex.namespace(), null);
        }
        for (int i = list.size() - 1; i >= 0; i--) {
            Module o = list.get(i);
            if (o.state == Module.State.UNFORMED) {
                continue;
            }
            Module.Export e = o.exports.get(name);
            if (e != null && (gplok || !e.gplOnly())) {
                return new Found(name, e.value(), e.gplOnly(), e.crc(), e.namespace(), o);
            }
        }
        return null;
    }

    /** {@code resolve_symbol_wait()}: vmlinux exports first, then other modules' exports. */
    private SymbolResolver resolver(Module mod) {
        return name -> {
            Found f = findSymbol(name, (mod.taints & (1L << Taint.PROPRIETARY_MODULE)) == 0);
            if (f == null) {
                return null;
            }
            if (f.gplOnly()) {
                mod.usingGplOnlySymbols = true;
            }
            // inherit_taint()
            if (f.owner() != null && (f.owner().taints & (1L << Taint.PROPRIETARY_MODULE)) != 0) {
                if (mod.usingGplOnlySymbols) {
                    log(PR_ERR, mod.name + ": module using GPL-only symbols uses symbols " + name
                            + " from proprietary module " + f.owner().name + ".");
                    return null;
                }
                if ((mod.taints & (1L << Taint.PROPRIETARY_MODULE)) == 0) {
                    log(PR_WARN, mod.name + ": module uses symbols " + name + " from proprietary module "
                            + f.owner().name + ", inheriting taint.");
                    mod.taints |= 1L << Taint.PROPRIETARY_MODULE;
                }
            }
            if (!checkVersion(mod.info, mod.name, name, f.crc())) {
                return SymbolResolver.Resolved.error(-Errno.EINVAL);
            }
            // verify_namespace_is_imported() (CONFIG_MODULE_ALLOW_MISSING_NAMESPACE_IMPORTS is off)
            if (!f.namespace().isEmpty() && !mod.info.modinfo().getAll("import_ns").contains(f.namespace())) {
                log(PR_ERR, mod.name + ": module uses symbol (" + name + ") from namespace " + f.namespace()
                        + ", but does not import it.");
                return SymbolResolver.Resolved.error(-Errno.EINVAL);
            }
            int err = refModule(mod, f.owner());
            if (err == -Errno.EBUSY) {
                // The owner is still running its init; nothing else runs on this one CPU to
                // finish it, so the 30 s wait of resolve_symbol_wait() expires.
                k.clock().advance(30_000_000_000L);
                log(PR_WARN, mod.name + ": gave up waiting for init of module " + f.owner().name + ".");
            }
            if (err != 0) {
                return SymbolResolver.Resolved.error(err);
            }
            return SymbolResolver.Resolved.of(f.value());
        };
    }

    /** {@code ref_module()}: {@code a} uses {@code b}, holding a reference to it. */
    private int refModule(Module a, Module b) {
        if (b == null || a.uses.contains(b)) {
            return 0;
        }
        int err = strongTryModuleGet(b);
        if (err != 0) {
            return err;
        }
        a.uses.add(b);
        b.usedBy.add(a);
        return 0;
    }

    /** {@code strong_try_module_get()}. */
    private int strongTryModuleGet(Module m) {
        if (m == null) {
            return 0;
        }
        if (m.state == Module.State.COMING) {
            return -Errno.EBUSY;
        }
        return tryModuleGet(k, m.thisModule) ? 0 : -Errno.ENOENT;
    }

    private Integer crcOf(String symbol) {
        Profile.Export e = k.profile().exports().get(symbol);
        return e == null ? null : e.crc();
    }

    /**
     * {@code check_version()} (kernel/module/version.c) against {@code __versions}: an export
     * without a CRC (its module has no {@code __kcrctab}) passes; without {@code __versions} the
     * load is forced (and tainted); a missing entry or a different CRC fails the symbol.
     */
    private boolean checkVersion(LoadInfo info, String modName, String symbol, Integer crc) {
        if (crc == null) {
            return true;
        }
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
        log(PR_WARN, modName + ": no symbol version for " + symbol);
        return false;
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

    /** Undoes a failed load after the module was listed: memory, links, kallsyms. */
    private void unlink(Module mod) {
        list.remove(mod);
        // module_unload_free()
        for (Module o : mod.uses) {
            o.usedBy.remove(mod);
            modulePut(k, o.thisModule);
        }
        mod.uses.clear();
        k.machine().kallsyms().removeModule(mod);
        k.machine().unwinder().removeModule(mod);
        if (mod.args != 0) {
            k.slab().kfree(mod.args);
        }
        freeMemory(mod);
    }

    private void freeMemory(Module mod) {
        if (coverage != null && mod.image != null) {
            coverage.harvest(mod, mod.init);
            coverage.harvest(mod, mod.core);
        }
        if (mod.hasPercpu) {
            k.machine().freeModulePercpu(mod.pcpuBase);
            mod.hasPercpu = false;
        }
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
     * {@code delete_module(2)}; {@code force} is its {@code O_TRUNC} flag (what {@code rmmod -f}
     * passes; CONFIG_MODULE_FORCE_UNLOAD is on in Debian's kernel).
     *
     * @return 0 or a negative errno
     * @throws TaskKilled if exit oopsed
     */
    public int delete(String name, boolean force) {
        Tasks.Task t = k.tasks().current();
        t.syscall((int) k.profile().value("NR_delete_module"), t.userString(k.mem(), name),
                k.off("O_NONBLOCK") | (force ? k.off("O_TRUNC") : 0));
        if (name.length() >= k.off("MODULE_NAME_LEN")) {
            name = name.substring(0, k.off("MODULE_NAME_LEN") - 1);
        }
        Module mod = find(name);
        if (mod == null || mod.state == Module.State.UNFORMED) {
            return -Errno.ENOENT;
        }
        if (!mod.usedBy.isEmpty()) {
            // Other modules depend on us: get rid of them first.
            return -Errno.EAGAIN;
        }
        if (mod.state != Module.State.LIVE) {
            return -Errno.EBUSY;
        }
        if (mod.initFn != 0 && mod.exitFn == 0 && !tryForceUnload(force)) {
            return -Errno.EBUSY;
        }
        // try_stop_module(): drop MODULE_REF_BASE; someone still holding a reference gets it back
        int left = mod.rawRefcnt() - MODULE_REF_BASE;
        if (left != 0 && !tryForceUnload(force)) {
            return -Errno.EAGAIN;
        }
        if (left == 0) {
            mod.setRawRefcnt(0);
        }
        setState(mod, Module.State.GOING);
        if (mod.exitFn != 0) {
            try {
                k.callFrom(k.chain(KernelFunctions.GUEST, "__do_sys_delete_module"), mod.exitFn);
            } catch (GuestFault f) {
                throw new TaskKilled("exit of " + mod.name + " oopsed", Oops.report(k, f));
            }
        }
        notifyGoing(mod);
        lastUnloaded = mod.name + (mod.taints == 0 ? "" : "(" + mod.taintLetters() + ")");
        k.vfs().removeModule(mod);
        try {
            Params.destroy(k, mod.params, mod.numParams);
        } catch (dev.kmodemu.emu.PageFault pf) {
            // free_module() -> destroy_params() through a corrupt kernel_param table: the kernel
            // oopses there and rmmod dies, the module left going
            throw new TaskKilled("free of " + mod.name + " oopsed",
                    Oops.report(k, k.machine().pageFaultInKernel(pf, "free_module")));
        }
        setState(mod, Module.State.UNFORMED);
        freeing(mod);
        unlink(mod);
        return 0;
    }

    /**
     * {@code free_module()} is about to free the module's memory (its exit ran, or its init
     * failed): the leftover check, then kmemleak's scan without the module's memory among the
     * roots (what only it referenced is leaked now). Both run while kallsyms still knows the
     * module, so their reports name its functions.
     */
    private void freeing(Module mod) {
        if (k.checks().leftovers()) {
            Leftovers.check(k, mod);
        }
        if (k.checks().kmemleak()) {
            dev.kmodemu.kstubs.mm.Kmemleak.scan(k, mod);
        }
    }

    /** {@code try_force_unload()}: with O_TRUNC, taints R and goes ahead. */
    private boolean tryForceUnload(boolean force) {
        if (force) {
            k.taint().add(Taint.FORCED_RMMOD, true);
        }
        return force;
    }

    /** "name(flags)" of the last module unloaded, or "" before any; for "Modules linked in:". */
    public String lastUnloaded() {
        return lastUnloaded;
    }

    /** The name of the loaded module whose memory holds {@code address}, or null. */
    public String nameAt(long address) {
        for (Module m : list) {
            if (m.contains(address)) {
                return m.name;
            }
        }
        return null;
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

    // ---------------------------------------------------------------- exported module API

    /** {@code bool try_module_get(struct module *module)}, on the module's guest {@code refcnt}. */
    @KernelSymbol("try_module_get")
    public static boolean tryModuleGet(KernelContext k, long module) {
        if (module == 0) {
            return true;
        }
        AddressSpace mem = k.mem();
        if (mem.read32(module + k.off("module_state")) == (int) k.profile().value("MODULE_STATE_GOING")) {
            return false;
        }
        long at = module + k.off("module_refcnt");
        int v = mem.read32(at);
        if (v == 0) {
            return false;
        }
        mem.write32(at, v + 1);
        return true;
    }

    /** {@code void __module_get(struct module *module)}: an unconditional reference. */
    @KernelSymbol("__module_get")
    static void moduleGet(KernelContext k, long module) {
        if (module != 0) {
            long at = module + k.off("module_refcnt");
            k.mem().write32(at, k.mem().read32(at) + 1);
        }
    }

    /** {@code void module_put(struct module *module)}: WARNs on a count that would go negative. */
    @KernelSymbol("module_put")
    public static void modulePut(KernelContext k, long module) {
        if (module == 0) {
            return;
        }
        long at = module + k.off("module_refcnt");
        int v = k.mem().read32(at);
        if (v - 1 < 0) {
            Oops.warn(k, "kernel/module/main.c:857", "module_put", null);
            return;
        }
        k.mem().write32(at, v - 1);
    }

    /** {@code int module_refcount(struct module *mod)}. */
    @KernelSymbol("module_refcount")
    static int moduleRefcount(KernelContext k, long module) {
        return k.mem().read32(module + k.off("module_refcnt")) - MODULE_REF_BASE;
    }

    /**
     * {@code void *__symbol_get(const char *symbol)} (behind {@code symbol_get()}): the address of
     * a GPL-only export, holding a reference to its module; NULL if absent, not GPL-only (with the
     * kernel's warning) or its module is still in init.
     */
    @KernelSymbol("__symbol_get")
    static long symbolGet(KernelContext k, long symbol) {
        Modules ms = k.modules();
        String name = k.mem().readCString(symbol, 4096);
        Found f = ms.findSymbol(name, true);
        if (f == null) {
            return 0;
        }
        if (!f.gplOnly()) {
            k.printk(PR_WARN, "failing symbol_get of non-GPLONLY symbol " + name + ".");
            return 0;
        }
        if (ms.strongTryModuleGet(f.owner()) != 0) {
            return 0;
        }
        return f.value();
    }

    /** {@code void __symbol_put(const char *symbol)}: BUG if it is not exported. */
    @KernelSymbol("__symbol_put")
    static void symbolPut(KernelContext k, long symbol) {
        Found f = k.modules().findSymbol(k.mem().readCString(symbol, 4096), true);
        if (f == null) {
            throw Oops.bug(k, "kernel/module/main.c:784");
        }
        if (f.owner() != null) {
            modulePut(k, f.owner().thisModule);
        }
    }

    /** {@code void symbol_put_addr(void *addr)}: drops the reference symbol_get took for the code at addr. */
    @KernelSymbol("symbol_put_addr")
    static void symbolPutAddr(KernelContext k, long addr) {
        if (Long.compareUnsigned(addr - Machine.TEXT, Machine.TEXT_SIZE) < 0) {
            return;
        }
        Module m = k.modules().containing(addr);
        if (m == null || m.state == Module.State.UNFORMED || !m.withinText(addr)) {
            throw Oops.bug(k, "kernel/module/main.c:805");
        }
        modulePut(k, m.thisModule);
    }
}
