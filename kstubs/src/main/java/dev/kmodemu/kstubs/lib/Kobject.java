package dev.kmodemu.kstubs.lib;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.KernelFunctions;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.VaList;
import dev.kmodemu.kstubs.fs.Sysfs;
import dev.kmodemu.kstubs.kernel.Oops;
import dev.kmodemu.kstubs.printk.Printk;

import java.nio.charset.StandardCharsets;

/**
 * lib/kobject.c: kobjects and ksets in guest memory, with the kernel's reference counting
 * ({@code kref} on {@code refcount_t}, a child holding its parent and its kset), kset lists
 * ({@code kobj->entry} linked into {@code kset->list} as {@code kobj_kset_join()} does), the state
 * bits modules read inline ({@code device_is_registered()} is {@code kobj.state_in_sysfs}) and the
 * release at the last put ({@code kobject_cleanup()}: the automatic {@code kobject_del()} and
 * "remove" uevent, then {@code ktype->release}, then the name). Directories and attribute files are
 * {@link Sysfs}'s ({@code create_dir()}); uevents are {@link KobjectUevent}'s.
 *
 * <p>The {@code pr_debug()} lines of kobject.c (including "does not have a release() function") are
 * not printed: vmlinux's dynamic debug sites are off, as on Debian's kernel booted without
 * {@code dyndbg}.
 */
public final class Kobject {
    private Kobject() {
    }

    /** The kobject's bit-fields after {@code kref}, in declaration order. */
    public static final int INITIALIZED = 1;
    public static final int IN_SYSFS = 2;
    public static final int ADD_UEVENT_SENT = 4;
    public static final int REMOVE_UEVENT_SENT = 8;
    public static final int UEVENT_SUPPRESS = 16;

    private static final String FILE = "lib/kobject.c:";

    // ---------------------------------------------------------------- fields

    /** Whether state bit {@code bit} ({@link #INITIALIZED}, ...) of {@code kobj} is set. */
    public static boolean state(KernelContext k, long kobj, int bit) {
        return (k.mem().read8(kobj + k.off("kobject_state")) & bit) != 0;
    }

    /** Sets or clears state bit {@code bit} of {@code kobj}. */
    public static void setState(KernelContext k, long kobj, int bit, boolean on) {
        long at = kobj + k.off("kobject_state");
        int v = k.mem().read8(at) & 0xff;
        k.mem().write8(at, (byte) (on ? v | bit : v & ~bit));
    }

    /** {@code kobject_name()}: the name, or null. */
    public static String name(KernelContext k, long kobj) {
        long p = k.mem().read64(kobj + k.off("kobject_name"));
        return p == 0 ? null : k.mem().readCString(p, 4096);
    }

    public static long parent(KernelContext k, long kobj) {
        return k.mem().read64(kobj + k.off("kobject_parent"));
    }

    /** The kset {@code kobj} belongs to ({@code kobj->kset}), or 0. */
    public static long kset(KernelContext k, long kobj) {
        return k.mem().read64(kobj + k.off("kobject_kset"));
    }

    public static long ktype(KernelContext k, long kobj) {
        return k.mem().read64(kobj + k.off("kobject_ktype"));
    }

    /** {@code kref_read()}. */
    public static int refs(KernelContext k, long kobj) {
        return k.mem().read32(kobj + k.off("kobject_kref"));
    }

    /** The kobject embedded in kset {@code kset} ({@code &kset->kobj}). */
    public static long ksetKobj(KernelContext k, long kset) {
        return kset + k.off("kset_kobj");
    }

    private static long hashed(KernelContext k, long p) {
        return Printk.env(k).hashPointer(p) & 0xffffffffL;
    }

    /** "%p" of {@code p}: the hashed pointer, 16 hex digits. */
    public static String pointer(KernelContext k, long p) {
        return String.format("%016x", hashed(k, p));
    }

    // ---------------------------------------------------------------- lists

    private static void listInit(KernelContext k, long head) {
        k.mem().write64(head + k.off("list_head_next"), head);
        k.mem().write64(head + k.off("list_head_prev"), head);
    }

    private static void listAddTail(KernelContext k, long entry, long head) {
        AddressSpace m = k.mem();
        long prev = m.read64(head + k.off("list_head_prev"));
        m.write64(entry + k.off("list_head_next"), head);
        m.write64(entry + k.off("list_head_prev"), prev);
        m.write64(prev + k.off("list_head_next"), entry);
        m.write64(head + k.off("list_head_prev"), entry);
    }

    private static void listDelInit(KernelContext k, long entry) {
        AddressSpace m = k.mem();
        long next = m.read64(entry + k.off("list_head_next"));
        long prev = m.read64(entry + k.off("list_head_prev"));
        if (next != 0 && prev != 0) {
            m.write64(prev + k.off("list_head_next"), next);
            m.write64(next + k.off("list_head_prev"), prev);
        }
        listInit(k, entry);
    }

    /** The kobjects of {@code kset}'s list, in order ({@code list_for_each_entry(k, &kset->list, entry)}). */
    public static java.util.List<Long> members(KernelContext k, long kset) {
        AddressSpace m = k.mem();
        java.util.List<Long> out = new java.util.ArrayList<>();
        long head = kset + k.off("kset_list");
        int entry = k.off("kobject_entry");
        for (long e = m.read64(head + k.off("list_head_next")); e != head && e != 0 && out.size() < 1_000_000;
                e = m.read64(e + k.off("list_head_next"))) {
            out.add(e - entry);
        }
        return out;
    }

    // ---------------------------------------------------------------- references

    /** {@code kref_get()}: {@code refcount_inc()} with its saturation checks. */
    private static void krefGet(KernelContext k, long kobj) {
        long r = kobj + k.off("kobject_kref");
        int old = k.mem().read32(r);
        k.mem().write32(r, old + 1);
        if (old == 0) {
            Refcount.warnSaturate(k, r, (int) k.profile().value("REFCOUNT_ADD_UAF"));
        } else if (old < 0 || old + 1 < 0) {
            Refcount.warnSaturate(k, r, (int) k.profile().value("REFCOUNT_ADD_OVF"));
        }
    }

    /** struct kobject *kobject_get(struct kobject *kobj) */
    @KernelSymbol("kobject_get")
    public static long get(KernelContext k, long kobj) {
        if (kobj != 0) {
            if (!state(k, kobj, INITIALIZED)) {
                Oops.warn(k, FILE + "632", "kobject_get", "kobject: '" + name(k, kobj) + "' (" + pointer(k, kobj)
                        + "): is not initialized, yet kobject_get() is being called.");
            }
            krefGet(k, kobj);
        }
        return kobj;
    }

    /** struct kobject *kobject_get_unless_zero(struct kobject *kobj) */
    @KernelSymbol("kobject_get_unless_zero")
    public static long getUnlessZero(KernelContext k, long kobj) {
        if (kobj == 0) {
            return 0;
        }
        long r = kobj + k.off("kobject_kref");
        int v = k.mem().read32(r);
        if (v == 0) {
            return 0;
        }
        if (v != (int) k.profile().value("REFCOUNT_SATURATED")) {
            k.mem().write32(r, v + 1);
        }
        return kobj;
    }

    /** void kobject_put(struct kobject *kobj) */
    @KernelSymbol("kobject_put")
    public static void put(KernelContext k, long kobj) {
        if (kobj == 0) {
            return;
        }
        if (!state(k, kobj, INITIALIZED)) {
            Oops.warn(k, FILE + "726", "kobject_put", "kobject: '" + name(k, kobj) + "' (" + pointer(k, kobj)
                    + "): is not initialized, yet kobject_put() is being called.");
        }
        if (Refcount.decAndTest(k, kobj + k.off("kobject_kref"))) {
            cleanup(k, kobj);
        }
    }

    /**
     * {@code kobject_cleanup()}: removes a kobject still in sysfs (sending the "remove" uevent if an
     * "add" was sent), calls the ktype's release, frees the name, drops the parent.
     */
    private static void cleanup(KernelContext k, long kobj) {
        AddressSpace m = k.mem();
        long parent = parent(k, kobj);
        long t = ktype(k, kobj);
        long name = m.read64(kobj + k.off("kobject_name"));
        if (state(k, kobj, IN_SYSFS)) {
            delInternal(k, kobj);
        } else {
            parent = 0;
        }
        long release = t == 0 ? 0 : m.read64(t + k.off("kobj_type_release"));
        if (release != 0) {
            // kobject_release() and kobject_cleanup() are inlined: the release runs from kobject_put
            k.callFrom(k.chain(KernelFunctions.GUEST, "kobject_put"), release, kobj);
        }
        if (name != 0) {
            k.slab().kfree(name);
        }
        put(k, parent);
    }

    // ---------------------------------------------------------------- init, name, add

    /** {@code kobject_init_internal()}. */
    private static void initInternal(KernelContext k, long kobj) {
        if (kobj == 0) {
            return;
        }
        k.mem().write32(kobj + k.off("kobject_kref"), 1);
        listInit(k, kobj + k.off("kobject_entry"));
        setState(k, kobj, IN_SYSFS | ADD_UEVENT_SENT | REMOVE_UEVENT_SENT, false);
        setState(k, kobj, INITIALIZED, true);
    }

    /** void kobject_init(struct kobject *kobj, const struct kobj_type *ktype) */
    @KernelSymbol("kobject_init")
    public static void init(KernelContext k, long kobj, long ktype) {
        String err = null;
        if (kobj == 0) {
            err = "invalid kobject pointer!";
        } else if (ktype == 0) {
            err = "must have a ktype to be initialized properly!\n";
        } else if (state(k, kobj, INITIALIZED)) {
            k.printk(3, "kobject (" + pointer(k, kobj) + "): tried to init an initialized object, something is "
                    + "seriously wrong.");
            Oops.dumpStack(k, 3);
        }
        if (err != null) {
            k.printk(3, "kobject (" + pointer(k, kobj) + "): " + err);
            Oops.dumpStack(k, 3);
            return;
        }
        initInternal(k, kobj);
        k.mem().write64(kobj + k.off("kobject_ktype"), ktype);
    }

    /**
     * {@code kobject_set_name_vargs()} with the name already formatted: a '/' in it becomes '!'
     * (a sysfs name cannot hold one); the old name is freed.
     */
    public static int setName(KernelContext k, long kobj, byte[] name) {
        byte[] b = name.clone();
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '/') {
                b[i] = '!';
            }
        }
        long p = k.slab().kmalloc(b.length + 1, 0xcc0);
        if (p == 0) {
            return -Errno.ENOMEM;
        }
        k.mem().write(p, b);
        k.mem().write8(p + b.length, 0);
        long at = kobj + k.off("kobject_name");
        long old = k.mem().read64(at);
        k.mem().write64(at, p);
        if (old != 0) {
            k.slab().kfree(old);
        }
        return 0;
    }

    /** As {@link #setName(KernelContext, long, byte[])} for a Java string. */
    public static int setName(KernelContext k, long kobj, String name) {
        return setName(k, kobj, name.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@code kobject_set_name_vargs()}: a NULL {@code fmt} keeps an existing name (device_add()
     * passes NULL after dev_set_name()).
     */
    public static int setNameFmt(KernelContext k, long kobj, long fmt, VaList args) {
        if (fmt == 0) {
            return k.mem().read64(kobj + k.off("kobject_name")) != 0 ? 0 : -Errno.ENOMEM;
        }
        return setName(k, kobj, Printk.format(k, fmt, args));
    }

    /** int kobject_set_name(struct kobject *kobj, const char *fmt, ...) */
    @KernelSymbol("kobject_set_name")
    static int kobjectSetName(KernelContext k, long kobj, long fmt, VaList args) {
        return setNameFmt(k, kobj, fmt, args);
    }

    /** {@code kobj_kset_join()}: a reference on the kset and the kobject on its list. */
    private static void ksetJoin(KernelContext k, long kobj) {
        long kset = kset(k, kobj);
        if (kset == 0) {
            return;
        }
        get(k, ksetKobj(k, kset));
        listAddTail(k, kobj + k.off("kobject_entry"), kset + k.off("kset_list"));
    }

    /** {@code kobj_kset_leave()}. */
    private static void ksetLeave(KernelContext k, long kobj) {
        long kset = kset(k, kobj);
        if (kset == 0) {
            return;
        }
        listDelInit(k, kobj + k.off("kobject_entry"));
        put(k, ksetKobj(k, kset));
    }

    /**
     * {@code kobject_add_internal()}: the parent (or the kset's kobject) referenced, the kset joined,
     * the directory created; the kernel's messages on failure.
     */
    public static int addInternal(KernelContext k, long kobj) {
        if (kobj == 0) {
            return -Errno.ENOENT;
        }
        AddressSpace m = k.mem();
        String name = name(k, kobj);
        if (name == null || name.isEmpty()) {
            Oops.warn(k, FILE + "210", "kobject_add_internal", "kobject: (" + pointer(k, kobj)
                    + "): attempted to be registered with empty name!");
            return -Errno.EINVAL;
        }
        long parent = get(k, parent(k, kobj));
        long kset = kset(k, kobj);
        if (kset != 0) {
            if (parent == 0) {
                parent = get(k, ksetKobj(k, kset));
            }
            ksetJoin(k, kobj);
            m.write64(kobj + k.off("kobject_parent"), parent);
        }
        int error = Sysfs.createDir(k, kobj);
        if (error != 0) {
            ksetLeave(k, kobj);
            put(k, parent);
            m.write64(kobj + k.off("kobject_parent"), 0);
            if (error == -Errno.EEXIST) {
                k.printk(3, "kobject_add_internal failed for " + name + " with -EEXIST, don't try to register things "
                        + "with the same name in the same directory.");
            } else {
                k.printk(3, "kobject_add_internal failed for " + name + " (error: " + error + " parent: "
                        + (parent != 0 ? name(k, parent) : "'none'") + ")");
            }
        } else {
            setState(k, kobj, IN_SYSFS, true);
        }
        return error;
    }

    /** {@code kobject_add_varg()} with the name as given ({@code null}: keep the current one). */
    public static int add(KernelContext k, long kobj, long parent, byte[] name) {
        if (name != null) {
            int r = setName(k, kobj, name);
            if (r != 0) {
                k.printk(3, "kobject: can not set name properly!");
                return r;
            }
        }
        k.mem().write64(kobj + k.off("kobject_parent"), parent);
        return addInternal(k, kobj);
    }

    /** {@code kobject_add()} of a kobject with the name {@code name} ({@code null}: its current one). */
    public static int add(KernelContext k, long kobj, long parent, String name) {
        if (kobj == 0) {
            return -Errno.EINVAL;
        }
        if (!state(k, kobj, INITIALIZED)) {
            uninitializedAdd(k, kobj);
            return -Errno.EINVAL;
        }
        return add(k, kobj, parent, name == null ? null : name.getBytes(StandardCharsets.UTF_8));
    }

    private static void uninitializedAdd(KernelContext k, long kobj) {
        k.printk(3, "kobject '" + name(k, kobj) + "' (" + pointer(k, kobj) + "): tried to add an uninitialized "
                + "object, something is seriously wrong.");
        Oops.dumpStack(k, 3);
    }

    /** int kobject_add(struct kobject *kobj, struct kobject *parent, const char *fmt, ...) */
    @KernelSymbol("kobject_add")
    static int kobjectAdd(KernelContext k, long kobj, long parent, long fmt, VaList args) {
        if (kobj == 0) {
            return -Errno.EINVAL;
        }
        if (!state(k, kobj, INITIALIZED)) {
            uninitializedAdd(k, kobj);
            return -Errno.EINVAL;
        }
        return addVarg(k, kobj, parent, fmt, args);
    }

    private static int addVarg(KernelContext k, long kobj, long parent, long fmt, VaList args) {
        int r = setNameFmt(k, kobj, fmt, args);
        if (r != 0) {
            k.printk(3, "kobject: can not set name properly!");
            return r;
        }
        k.mem().write64(kobj + k.off("kobject_parent"), parent);
        return addInternal(k, kobj);
    }

    /**
     * int kobject_init_and_add(struct kobject *kobj, const struct kobj_type *ktype,
     * struct kobject *parent, const char *fmt, ...)
     */
    @KernelSymbol("kobject_init_and_add")
    static int kobjectInitAndAdd(KernelContext k, long kobj, long ktype, long parent, long fmt, VaList args) {
        init(k, kobj, ktype);
        return addVarg(k, kobj, parent, fmt, args);
    }

    // ---------------------------------------------------------------- del, path, rename, move

    /** {@code __kobject_del()}. */
    private static void delInternal(KernelContext k, long kobj) {
        long t = ktype(k, kobj);
        if (t != 0) {
            Sysfs.sysfsRemoveGroups(k, kobj, k.mem().read64(t + k.off("kobj_type_default_groups")));
        }
        if (state(k, kobj, ADD_UEVENT_SENT) && !state(k, kobj, REMOVE_UEVENT_SENT)) {
            KobjectUevent.uevent(k, kobj, k.off("KOBJ_REMOVE"));
        }
        Sysfs.removeDir(k, kobj);
        setState(k, kobj, IN_SYSFS, false);
        ksetLeave(k, kobj);
        k.mem().write64(kobj + k.off("kobject_parent"), 0);
    }

    /** void kobject_del(struct kobject *kobj) */
    @KernelSymbol("kobject_del")
    public static void del(KernelContext k, long kobj) {
        if (kobj == 0) {
            return;
        }
        long parent = parent(k, kobj);
        delInternal(k, kobj);
        put(k, parent);
    }

    /** {@code kobject_get_path()} as a Java string ("/kernel/ktset/obj1"), or null if a name is missing. */
    public static String path(KernelContext k, long kobj) {
        StringBuilder sb = new StringBuilder();
        for (long p = kobj; p != 0; p = parent(k, p)) {
            String n = name(k, p);
            if (n == null) {
                return null;
            }
            sb.insert(0, "/" + n);
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    /** char *kobject_get_path(const struct kobject *kobj, gfp_t gfp_mask) */
    @KernelSymbol("kobject_get_path")
    static long kobjectGetPath(KernelContext k, long kobj, int gfp) {
        String p = path(k, kobj);
        if (p == null) {
            return 0;
        }
        byte[] b = p.getBytes(StandardCharsets.UTF_8);
        long buf = k.slab().kmalloc(b.length + 1, gfp | 0x100);
        if (buf != 0) {
            k.mem().write(buf, b);
            k.mem().write8(buf + b.length, 0);
        }
        return buf;
    }

    /** int kobject_rename(struct kobject *kobj, const char *new_name) */
    @KernelSymbol("kobject_rename")
    public static int rename(KernelContext k, long kobj, long newName) {
        return rename(k, kobj, k.mem().readCBytes(newName, 4096));
    }

    /** {@code kobject_rename()}: the directory renamed, then a "move" uevent with DEVPATH_OLD. */
    public static int rename(KernelContext k, long kobj, byte[] newName) {
        kobj = get(k, kobj);
        if (kobj == 0) {
            return -Errno.EINVAL;
        }
        try {
            if (parent(k, kobj) == 0) {
                return -Errno.EINVAL;
            }
            String devpath = path(k, kobj);
            int error = Sysfs.renameDir(k, kobj, new String(newName, StandardCharsets.UTF_8));
            if (error != 0) {
                return error;
            }
            long p = k.slab().kmalloc(newName.length + 1, 0xcc0);
            k.mem().write(p, newName);
            k.mem().write8(p + newName.length, 0);
            long old = k.mem().read64(kobj + k.off("kobject_name"));
            k.mem().write64(kobj + k.off("kobject_name"), p);
            KobjectUevent.ueventEnv(k, kobj, k.off("KOBJ_MOVE"), new String[] {"DEVPATH_OLD=" + devpath});
            k.slab().kfree(old);
            return 0;
        } finally {
            put(k, kobj);
        }
    }

    /** int kobject_move(struct kobject *kobj, struct kobject *new_parent) */
    @KernelSymbol("kobject_move")
    public static int move(KernelContext k, long kobj, long newParent) {
        kobj = get(k, kobj);
        if (kobj == 0) {
            return -Errno.EINVAL;
        }
        newParent = get(k, newParent);
        if (newParent == 0 && kset(k, kobj) != 0) {
            newParent = get(k, ksetKobj(k, kset(k, kobj)));
        }
        try {
            String devpath = path(k, kobj);
            int error = Sysfs.moveDir(k, kobj, newParent);
            if (error != 0) {
                return error;
            }
            long old = parent(k, kobj);
            k.mem().write64(kobj + k.off("kobject_parent"), newParent);
            newParent = 0;
            put(k, old);
            KobjectUevent.ueventEnv(k, kobj, k.off("KOBJ_MOVE"), new String[] {"DEVPATH_OLD=" + devpath});
            return 0;
        } finally {
            put(k, newParent);
            put(k, kobj);
        }
    }

    // ---------------------------------------------------------------- dynamic kobjects

    /** {@code kobject_create()}: a zeroed kobject of {@code dynamic_kobj_ktype}, or 0. */
    public static long create(KernelContext k) {
        long kobj = k.slab().kmalloc(k.off("kobject_sizeof"), 0xcc0 | 0x100);
        if (kobj != 0) {
            init(k, kobj, k.sym("dynamic_kobj_ktype"));
        }
        return kobj;
    }

    /** {@code kobject_create_and_add()} with the name in Java: the kobject or 0. */
    public static long createAndAdd(KernelContext k, String name, long parent) {
        long kobj = create(k);
        if (kobj == 0) {
            return 0;
        }
        int r = add(k, kobj, parent, name);
        if (r != 0) {
            k.printk(4, "kobject_create_and_add: kobject_add error: " + r);
            put(k, kobj);
            return 0;
        }
        return kobj;
    }

    /** struct kobject *kobject_create_and_add(const char *name, struct kobject *parent) */
    @KernelSymbol("kobject_create_and_add")
    static long kobjectCreateAndAdd(KernelContext k, long name, long parent) {
        return createAndAdd(k, name == 0 ? "(null)" : k.mem().readCString(name, 4096), parent);
    }

    /** static void dynamic_kobj_release(struct kobject *kobj) */
    @KernelSymbol(value = "dynamic_kobj_release", internal = true)
    static void dynamicKobjRelease(KernelContext k, long kobj) {
        k.slab().kfree(kobj);
    }

    /** The ktype of {@code kobject_create_and_add()} kobjects. */
    @KernelData(value = "dynamic_kobj_ktype", section = Machine.Section.RODATA, sizeOf = "kobj_type_sizeof")
    static void dynamicKobjKtype(KernelContext k, long at) {
        ktype(k, at, "dynamic_kobj_release", "kobj_sysfs_ops");
    }

    /** A {@code struct kobj_type} of kernel code in Java at {@code at}: its release and sysfs_ops symbols. */
    public static void ktype(KernelContext k, long at, String release, String sysfsOps) {
        k.mem().pokeLong(at + k.off("kobj_type_release"), k.sym(release));
        k.mem().pokeLong(at + k.off("kobj_type_sysfs_ops"), k.sym(sysfsOps));
    }

    /** {@code const struct sysfs_ops kobj_sysfs_ops}. */
    @KernelData(value = "kobj_sysfs_ops", section = Machine.Section.RODATA, sizeOf = "sysfs_ops_sizeof")
    static void kobjSysfsOps(KernelContext k, long at) {
        k.mem().pokeLong(at + k.off("sysfs_ops_show"), k.sym("kobj_attr_show"));
        k.mem().pokeLong(at + k.off("sysfs_ops_store"), k.sym("kobj_attr_store"));
    }

    /** static ssize_t kobj_attr_show(struct kobject *kobj, struct attribute *attr, char *buf) */
    @KernelSymbol(value = "kobj_attr_show", internal = true)
    static long kobjAttrShow(KernelContext k, long kobj, long attr, long buf) {
        long show = k.mem().read64(attr + k.off("kobj_attribute_show"));
        return show == 0 ? -Errno.EIO : k.call(show, kobj, attr, buf);
    }

    /** static ssize_t kobj_attr_store(struct kobject *kobj, struct attribute *attr, const char *buf, size_t count) */
    @KernelSymbol(value = "kobj_attr_store", internal = true)
    static long kobjAttrStore(KernelContext k, long kobj, long attr, long buf, long count) {
        long store = k.mem().read64(attr + k.off("kobj_attribute_store"));
        return store == 0 ? -Errno.EIO : k.call(store, kobj, attr, buf, count);
    }

    // ---------------------------------------------------------------- ksets

    /** void kset_init(struct kset *k) */
    @KernelSymbol(value = "kset_init", internal = true)
    public static void ksetInit(KernelContext k, long kset) {
        initInternal(k, ksetKobj(k, kset));
        listInit(k, kset + k.off("kset_list"));
        k.mem().write32(kset + k.off("kset_list_lock"), 0);
    }

    /** int kset_register(struct kset *k) */
    @KernelSymbol("kset_register")
    public static int ksetRegister(KernelContext k, long kset) {
        if (kset == 0) {
            return -Errno.EINVAL;
        }
        long kobj = ksetKobj(k, kset);
        if (ktype(k, kobj) == 0) {
            k.printk(3, "must have a ktype to be initialized properly!");
            return -Errno.EINVAL;
        }
        ksetInit(k, kset);
        int err = addInternal(k, kobj);
        if (err != 0) {
            return err;
        }
        KobjectUevent.uevent(k, kobj, k.off("KOBJ_ADD"));
        return 0;
    }

    /** void kset_unregister(struct kset *k) */
    @KernelSymbol("kset_unregister")
    public static void ksetUnregister(KernelContext k, long kset) {
        if (kset == 0) {
            return;
        }
        del(k, ksetKobj(k, kset));
        put(k, ksetKobj(k, kset));
    }

    /** struct kobject *kset_find_obj(struct kset *kset, const char *name) */
    @KernelSymbol("kset_find_obj")
    static long ksetFindObj(KernelContext k, long kset, long name) {
        return findObj(k, kset, k.mem().readCString(name, 4096));
    }

    /** {@code kset_find_obj()} with a Java name: the kobject, referenced, or 0. */
    public static long findObj(KernelContext k, long kset, String name) {
        for (long kobj : members(k, kset)) {
            if (name.equals(name(k, kobj))) {
                return getUnlessZero(k, kobj);
            }
        }
        return 0;
    }

    /** {@code kset_create()} + {@code kset_register()}: the kset, or 0 (freed) if it failed. */
    public static long ksetCreateAndAdd(KernelContext k, String name, long ueventOps, long parent) {
        long kset = k.slab().kmalloc(k.off("kset_sizeof"), 0xcc0 | 0x100);
        if (kset == 0) {
            return 0;
        }
        long kobj = ksetKobj(k, kset);
        if (setName(k, kobj, name) != 0) {
            k.slab().kfree(kset);
            return 0;
        }
        AddressSpace m = k.mem();
        m.write64(kset + k.off("kset_uevent_ops"), ueventOps);
        m.write64(kobj + k.off("kobject_parent"), parent);
        m.write64(kobj + k.off("kobject_ktype"), k.sym("kset_ktype"));
        m.write64(kobj + k.off("kobject_kset"), 0);
        if (ksetRegister(k, kset) != 0) {
            k.slab().kfree(kset);
            return 0;
        }
        return kset;
    }

    /**
     * struct kset *kset_create_and_add(const char *name, const struct kset_uevent_ops *uevent_ops,
     * struct kobject *parent_kobj)
     */
    @KernelSymbol("kset_create_and_add")
    static long ksetCreateAndAddSym(KernelContext k, long name, long ueventOps, long parent) {
        return ksetCreateAndAdd(k, k.mem().readCString(name, 4096), ueventOps, parent);
    }

    /** static void kset_release(struct kobject *kobj) */
    @KernelSymbol(value = "kset_release", internal = true)
    static void ksetRelease(KernelContext k, long kobj) {
        k.slab().kfree(kobj - k.off("kset_kobj"));
    }

    /** {@code static struct kobj_type kset_ktype}. */
    @KernelData(value = "kset_ktype", section = Machine.Section.RODATA, sizeOf = "kobj_type_sizeof")
    static void ksetKtype(KernelContext k, long at) {
        ktype(k, at, "kset_release", "kobj_sysfs_ops");
    }
}
