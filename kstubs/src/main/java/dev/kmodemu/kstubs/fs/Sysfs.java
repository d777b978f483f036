package dev.kmodemu.kstubs.fs;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.VaList;
import dev.kmodemu.kstubs.kernel.Oops;
import dev.kmodemu.kstubs.printk.Printk;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * lib/kobject.c and fs/sysfs: kobjects in guest memory with their directories under /sys, and
 * attribute files whose show/store run on the CPU through the kobject's {@code ktype->sysfs_ops}
 * (for kobjects of {@code kobject_create_and_add()}: {@code kobj_attr_show/store}, which call the
 * {@code kobj_attribute}'s own show/store).
 */
public final class Sysfs {
    private static final int PAGE = 4096;

    private final KernelContext k;
    /** kobject address → its sysfs directory (absolute path). */
    private final Map<Long, String> dirs = new HashMap<>();

    private Sysfs(KernelContext k) {
        this.k = k;
    }

    static Sysfs of(KernelContext k) {
        return k.state(Sysfs.class, () -> new Sysfs(k));
    }

    private AddressSpace mem() {
        return k.mem();
    }

    private String str(long p) {
        return p == 0 ? "" : mem().readCString(p, 4096);
    }

    // ---------------------------------------------------------------- the kernel's own kobjects

    /** Creates the kernel's own kobjects; called at boot once the slab allocator works. */
    public static void boot(KernelContext k) {
        topKobject(k, k.sym("kernel_kobj"), "kernel");
        topKobject(k, k.sym("mm_kobj"), "kernel/mm");
        topKobject(k, k.sym("fs_kobj"), "fs");
        topKobject(k, k.sym("firmware_kobj"), "firmware");
    }

    private static void topKobject(KernelContext k, long at, String name) {
        AddressSpace m = k.mem();
        long kobj = k.slab().kmalloc(k.off("kobject_sizeof"), 0x100 | 0xcc0);
        m.write64(kobj + k.off("kobject_name"), k.kstrdup(name.substring(name.lastIndexOf('/') + 1)));
        m.write32(kobj + k.off("kobject_kref"), 1);
        m.write64(kobj + k.off("kobject_ktype"), k.sym("dynamic_kobj_ktype"));
        m.write64(at, kobj);
        of(k).dirs.put(kobj, "/sys/" + name);
        k.vfs().mkdirs("/sys/" + name);
    }

    /** {@code struct kobject *kernel_kobj}: /sys/kernel. */
    @KernelData(value = "kernel_kobj", section = Machine.Section.RO_AFTER_INIT, size = 8)
    static void kernelKobj(KernelContext k, long at) {
    }

    /** {@code struct kobject *mm_kobj}: /sys/kernel/mm. */
    @KernelData(value = "mm_kobj", section = Machine.Section.RO_AFTER_INIT, size = 8)
    static void mmKobj(KernelContext k, long at) {
    }

    /** {@code struct kobject *fs_kobj}: /sys/fs. */
    @KernelData(value = "fs_kobj", section = Machine.Section.RO_AFTER_INIT, size = 8)
    static void fsKobj(KernelContext k, long at) {
    }

    /** {@code struct kobject *firmware_kobj}: /sys/firmware. */
    @KernelData(value = "firmware_kobj", section = Machine.Section.RO_AFTER_INIT, size = 8)
    static void firmwareKobj(KernelContext k, long at) {
    }

    /** {@code const struct sysfs_ops kobj_sysfs_ops}. */
    @KernelData(value = "kobj_sysfs_ops", section = Machine.Section.RODATA, sizeOf = "sysfs_ops_sizeof")
    static void kobjSysfsOps(KernelContext k, long at) {
        byte[] b = new byte[k.off("sysfs_ops_sizeof")];
        var bb = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        bb.putLong(k.off("sysfs_ops_show"), k.sym("kobj_attr_show"));
        bb.putLong(k.off("sysfs_ops_store"), k.sym("kobj_attr_store"));
        k.mem().poke(at, b);
    }

    /** The ktype of {@code kobject_create_and_add()} kobjects (lib/kobject.c). */
    @KernelData(value = "dynamic_kobj_ktype", section = Machine.Section.RODATA, sizeOf = "kobj_type_sizeof")
    static void dynamicKobjKtype(KernelContext k, long at) {
        byte[] b = new byte[k.off("kobj_type_sizeof")];
        var bb = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        bb.putLong(k.off("kobj_type_release"), k.sym("dynamic_kobj_release"));
        bb.putLong(k.off("kobj_type_sysfs_ops"), k.sym("kobj_sysfs_ops"));
        k.mem().poke(at, b);
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

    /** static void dynamic_kobj_release(struct kobject *kobj) */
    @KernelSymbol(value = "dynamic_kobj_release", internal = true)
    static void dynamicKobjRelease(KernelContext k, long kobj) {
        k.slab().kfree(kobj);
    }

    /**
     * A kobject of the kernel's own for the sysfs directory {@code path} (e.g. "/sys/class"),
     * created at boot; returns its address.
     */
    public static long kernelKobject(KernelContext k, String path) {
        AddressSpace m = k.mem();
        long kobj = k.slab().kmalloc(k.off("kobject_sizeof"), 0x100 | 0xcc0);
        m.write64(kobj + k.off("kobject_name"), k.kstrdup(path.substring(path.lastIndexOf('/') + 1)));
        m.write32(kobj + k.off("kobject_kref"), 1);
        m.write64(kobj + k.off("kobject_ktype"), k.sym("dynamic_kobj_ktype"));
        of(k).dirs.put(kobj, path);
        k.vfs().mkdirs(path);
        return kobj;
    }

    /** The sysfs directory of a kobject, or null if it has none. */
    public static String path(KernelContext k, long kobj) {
        return of(k).dirs.get(kobj);
    }

    /**
     * {@code kobject_add()} of an initialised kobject under {@code parent} with {@code name}: the
     * directory, or the kernel's duplicate-name messages and -EEXIST.
     */
    public static int add(KernelContext k, long kobj, long parent, String name) {
        Sysfs fs = of(k);
        AddressSpace m = k.mem();
        long old = m.read64(kobj + k.off("kobject_name"));
        m.write64(kobj + k.off("kobject_name"), k.kstrdup(name));
        if (old != 0) {
            k.slab().kfree(old);
        }
        return fs.addInternal(kobj, parent, name);
    }

    /** {@code sysfs_warn_dup()}: the warning and stack dump for a name already taken. */
    private void warnDup(String path) {
        k.printk(4, "sysfs: cannot create duplicate filename '" + path.substring(4) + "'");
        Oops.dumpStack(k, 4);
    }

    /** The path of {@code target} relative to directory {@code dir} (both absolute), as kernfs links it. */
    static String relative(String dir, String target) {
        String[] a = dir.substring(1).split("/");
        String[] b = target.substring(1).split("/");
        int common = 0;
        while (common < a.length && common < b.length && a[common].equals(b[common])) {
            common++;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = common; i < a.length; i++) {
            sb.append("../");
        }
        for (int i = common; i < b.length; i++) {
            sb.append(b[i]).append(i + 1 < b.length ? "/" : "");
        }
        return sb.toString();
    }

    /**
     * {@code sysfs_create_link()}: {@code name} in {@code kobj}'s directory pointing at
     * {@code target}'s; -EEXIST with the kernel's warning if the name is taken.
     */
    public static int createLink(KernelContext k, long kobj, long target, String name) {
        Sysfs fs = of(k);
        String dir = kobj == 0 ? "/sys" : fs.dirs.get(kobj);
        String to = fs.dirs.get(target);
        if (dir == null || to == null) {
            return -Errno.ENOENT;
        }
        String path = dir + "/" + name;
        if (k.vfs().exists(path) || k.vfs().isSymlink(path)) {
            fs.warnDup(path);
            return -Errno.EEXIST;
        }
        k.vfs().symlink(path, relative(dir, to));
        return 0;
    }

    /** {@code sysfs_remove_link()}. */
    public static void removeLink(KernelContext k, long kobj, String name) {
        String dir = kobj == 0 ? "/sys" : of(k).dirs.get(kobj);
        if (dir != null && k.vfs().isSymlink(dir + "/" + name)) {
            k.vfs().remove(dir + "/" + name);
        }
    }

    /** int sysfs_create_link(struct kobject *kobj, struct kobject *target, const char *name) */
    @KernelSymbol("sysfs_create_link")
    static int sysfsCreateLink(KernelContext k, long kobj, long target, long name) {
        return createLink(k, kobj, target, of(k).str(name));
    }

    /** void sysfs_remove_link(struct kobject *kobj, const char *name) */
    @KernelSymbol("sysfs_remove_link")
    static void sysfsRemoveLink(KernelContext k, long kobj, long name) {
        removeLink(k, kobj, of(k).str(name));
    }

    // ---------------------------------------------------------------- kobject.c

    /** {@code kobject_add_internal()}: the directory, or a duplicate warning and -EEXIST. */
    private int addInternal(long kobj, long parent, String name) {
        String base = parent == 0 ? "/sys" : dirs.get(parent);
        if (base == null) {
            return -Errno.ENOENT;
        }
        String path = base + "/" + name;
        if (k.vfs().exists(path) || k.vfs().isSymlink(path)) {
            warnDup(path);
            k.printk(3, "kobject_add_internal failed for " + name + " with -EEXIST, don't try to register things"
                    + " with the same name in the same directory.");
            return -Errno.EEXIST;
        }
        mem().write64(kobj + k.off("kobject_parent"), parent);
        dirs.put(kobj, path);
        k.vfs().mkdirs(path);
        return 0;
    }

    private void init(long kobj, long ktype) {
        mem().write32(kobj + k.off("kobject_kref"), 1);
        mem().write64(kobj + k.off("kobject_ktype"), ktype);
    }

    /** struct kobject *kobject_create_and_add(const char *name, struct kobject *parent) */
    @KernelSymbol("kobject_create_and_add")
    static long kobjectCreateAndAdd(KernelContext k, long name, long parent) {
        Sysfs fs = of(k);
        long kobj = k.slab().kmalloc(k.off("kobject_sizeof"), 0x100 | 0xcc0);
        if (kobj == 0) {
            return 0;
        }
        fs.init(kobj, k.sym("dynamic_kobj_ktype"));
        String n = fs.str(name);
        k.mem().write64(kobj + k.off("kobject_name"), k.kstrdup(n));
        if (fs.addInternal(kobj, parent, n) != 0) {
            kobjectPut(k, kobj);
            return 0;
        }
        return kobj;
    }

    /** void kobject_init(struct kobject *kobj, const struct kobj_type *ktype) */
    @KernelSymbol("kobject_init")
    public static void kobjectInit(KernelContext k, long kobj, long ktype) {
        of(k).init(kobj, ktype);
    }

    /** int kobject_add(struct kobject *kobj, struct kobject *parent, const char *fmt, ...) */
    @KernelSymbol("kobject_add")
    static int kobjectAdd(KernelContext k, long kobj, long parent, long fmt, VaList args) {
        String n = new String(Printk.format(k, fmt, args), StandardCharsets.UTF_8);
        k.mem().write64(kobj + k.off("kobject_name"), k.kstrdup(n));
        return of(k).addInternal(kobj, parent, n);
    }

    /**
     * int kobject_init_and_add(struct kobject *kobj, const struct kobj_type *ktype,
     * struct kobject *parent, const char *fmt, ...)
     */
    @KernelSymbol("kobject_init_and_add")
    static int kobjectInitAndAdd(KernelContext k, long kobj, long ktype, long parent, long fmt, VaList args) {
        of(k).init(kobj, ktype);
        return kobjectAdd(k, kobj, parent, fmt, args);
    }

    /** struct kobject *kobject_get(struct kobject *kobj) */
    @KernelSymbol("kobject_get")
    public static long kobjectGet(KernelContext k, long kobj) {
        if (kobj != 0) {
            long at = kobj + k.off("kobject_kref");
            k.mem().write32(at, k.mem().read32(at) + 1);
        }
        return kobj;
    }

    /** void kobject_del(struct kobject *kobj) */
    @KernelSymbol("kobject_del")
    public static void kobjectDel(KernelContext k, long kobj) {
        String path = of(k).dirs.remove(kobj);
        if (path != null) {
            k.vfs().remove(path);
        }
    }

    /** void kobject_put(struct kobject *kobj) */
    @KernelSymbol("kobject_put")
    public static void kobjectPut(KernelContext k, long kobj) {
        if (kobj == 0) {
            return;
        }
        long at = kobj + k.off("kobject_kref");
        int ref = k.mem().read32(at) - 1;
        k.mem().write32(at, ref);
        if (ref != 0) {
            return;
        }
        kobjectDel(k, kobj);
        long name = k.mem().read64(kobj + k.off("kobject_name"));
        long ktype = k.mem().read64(kobj + k.off("kobject_ktype"));
        long release = ktype == 0 ? 0 : k.mem().read64(ktype + k.off("kobj_type_release"));
        if (release != 0) {
            k.call(release, kobj);
        } else {
            k.printk(3, "kobject: '" + k.string(name, 256) + "' (" + String.format("%016x", Printk.env(k)
                    .hashPointer(kobj) & 0xffffffffL) + "): does not have a release() function, it is broken "
                    + "and must be fixed. See Documentation/core-api/kobject.rst.");
        }
        k.slab().kfree(name);
    }

    // ---------------------------------------------------------------- sysfs/file.c and group.c

    /** One attribute file of a kobject. */
    private final class AttrFile implements Vfs.File {
        private final long kobj;
        private final long attr;
        private final int mode;

        AttrFile(long kobj, long attr, int mode) {
            this.kobj = kobj;
            this.attr = attr;
            this.mode = mode;
        }

        private long ops(String field) {
            long ktype = mem().read64(kobj + k.off("kobject_ktype"));
            long sysfsOps = ktype == 0 ? 0 : mem().read64(ktype + k.off("kobj_type_sysfs_ops"));
            return sysfsOps == 0 ? 0 : mem().read64(sysfsOps + k.off(field));
        }

        /** {@code sysfs_kf_seq_show()}. */
        @Override
        public byte[] read() {
            long show = ops("sysfs_ops_show");
            if (show == 0) {
                return new byte[0];
            }
            long buf = k.slab().kmalloc(PAGE, 0x100 | 0xcc0);
            try {
                long count = k.call(show, kobj, attr, buf);
                if (count < 0) {
                    throw new Vfs.ReadError((int) -count);
                }
                if (count >= PAGE) {
                    k.printk(4, "fill_read_buffer: " + k.machine().kallsyms().symbolize(show, true)
                            + " returned bad count");
                    count = PAGE - 1;
                }
                return mem().read(buf, (int) count);
            } finally {
                k.slab().kfree(buf);
            }
        }

        @Override
        public boolean writable() {
            return (mode & 0222) != 0;
        }

        /** {@code kernfs_fop_write_iter()} + {@code sysfs_kf_write()}. */
        @Override
        public long write(byte[] data) {
            int len = Math.min(data.length, PAGE);
            if (len == 0) {
                return 0;
            }
            long store = ops("sysfs_ops_store");
            if (store == 0) {
                return -Errno.EIO;
            }
            long buf = k.slab().kmalloc(PAGE + 1, 0x100 | 0xcc0);
            try {
                mem().write(buf, data, 0, len);
                mem().write8(buf + len, 0);
                return k.call(store, kobj, attr, buf, len);
            } finally {
                k.slab().kfree(buf);
            }
        }
    }

    private int createFile(long kobj, String dir, long attr, int mode) {
        String name = str(mem().read64(attr + k.off("attribute_name")));
        String path = dir + "/" + name;
        if (k.vfs().exists(path)) {
            warnDup(path);
            return -Errno.EEXIST;
        }
        k.vfs().register(path, new AttrFile(kobj, attr, mode));
        return 0;
    }

    /** int sysfs_create_file_ns(struct kobject *kobj, const struct attribute *attr, const void *ns) */
    @KernelSymbol("sysfs_create_file_ns")
    public static int sysfsCreateFileNs(KernelContext k, long kobj, long attr, long ns) {
        Sysfs fs = of(k);
        String dir = fs.dirs.get(kobj);
        if (dir == null) {
            return -Errno.EINVAL;
        }
        return fs.createFile(kobj, dir, attr, k.mem().read16(attr + k.off("attribute_mode")) & 0xffff);
    }

    /** void sysfs_remove_file_ns(struct kobject *kobj, const struct attribute *attr, const void *ns) */
    @KernelSymbol("sysfs_remove_file_ns")
    public static void sysfsRemoveFileNs(KernelContext k, long kobj, long attr, long ns) {
        Sysfs fs = of(k);
        String dir = fs.dirs.get(kobj);
        if (dir != null) {
            k.vfs().remove(dir + "/" + fs.str(k.mem().read64(attr + k.off("attribute_name"))));
        }
    }

    /** int sysfs_create_group(struct kobject *kobj, const struct attribute_group *grp) */
    @KernelSymbol({"sysfs_create_group", "sysfs_update_group"})
    static int sysfsCreateGroup(KernelContext k, long kobj, long grp) {
        Sysfs fs = of(k);
        AddressSpace m = k.mem();
        String dir = fs.dirs.get(kobj);
        if (dir == null) {
            return -Errno.EINVAL;
        }
        long gname = m.read64(grp + k.off("attribute_group_name"));
        if (gname != 0) {
            dir = dir + "/" + fs.str(gname);
            k.vfs().mkdirs(dir);
        }
        long attrs = m.read64(grp + k.off("attribute_group_attrs"));
        long isVisible = m.read64(grp + k.off("attribute_group_is_visible"));
        for (int i = 0; attrs != 0; i++) {
            long attr = m.read64(attrs + 8L * i);
            if (attr == 0) {
                break;
            }
            int mode = m.read16(attr + k.off("attribute_mode")) & 0xffff;
            if (isVisible != 0) {
                mode = (int) k.call(isVisible, kobj, attr, i) & 0xffff;
                if (mode == 0) {
                    continue;
                }
            }
            int err = fs.createFile(kobj, dir, attr, mode);
            if (err != 0) {
                sysfsRemoveGroup(k, kobj, grp);
                return err;
            }
        }
        return 0;
    }

    /** int sysfs_create_groups(struct kobject *kobj, const struct attribute_group **groups) */
    @KernelSymbol("sysfs_create_groups")
    public static int sysfsCreateGroups(KernelContext k, long kobj, long groups) {
        for (int i = 0; groups != 0; i++) {
            long g = k.mem().read64(groups + 8L * i);
            if (g == 0) {
                break;
            }
            int err = sysfsCreateGroup(k, kobj, g);
            if (err != 0) {
                return err;
            }
        }
        return 0;
    }

    /** void sysfs_remove_group(struct kobject *kobj, const struct attribute_group *grp) */
    @KernelSymbol("sysfs_remove_group")
    static void sysfsRemoveGroup(KernelContext k, long kobj, long grp) {
        Sysfs fs = of(k);
        AddressSpace m = k.mem();
        String dir = fs.dirs.get(kobj);
        if (dir == null) {
            return;
        }
        long gname = m.read64(grp + k.off("attribute_group_name"));
        if (gname != 0) {
            k.vfs().remove(dir + "/" + fs.str(gname));
            return;
        }
        long attrs = m.read64(grp + k.off("attribute_group_attrs"));
        for (int i = 0; attrs != 0; i++) {
            long attr = m.read64(attrs + 8L * i);
            if (attr == 0) {
                break;
            }
            k.vfs().remove(dir + "/" + fs.str(m.read64(attr + k.off("attribute_name"))));
        }
    }

    /** void sysfs_remove_groups(struct kobject *kobj, const struct attribute_group **groups) */
    @KernelSymbol("sysfs_remove_groups")
    public static void sysfsRemoveGroups(KernelContext k, long kobj, long groups) {
        for (int i = 0; groups != 0; i++) {
            long g = k.mem().read64(groups + 8L * i);
            if (g == 0) {
                break;
            }
            sysfsRemoveGroup(k, kobj, g);
        }
    }

    /** void sysfs_notify(struct kobject *kobj, const char *dir, const char *attr): no pollers here. */
    @KernelSymbol("sysfs_notify")
    static void sysfsNotify(KernelContext k, long kobj, long dir, long attr) {
    }

    /** int sysfs_emit(char *buf, const char *fmt, ...) */
    @KernelSymbol("sysfs_emit")
    static int sysfsEmit(KernelContext k, long buf, long fmt, VaList args) {
        if (buf == 0 || (buf & (PAGE - 1)) != 0) {
            Oops.warn(k, "fs/sysfs/file.c:740", "sysfs_emit", "invalid sysfs_emit: buf:"
                    + String.format("%016x", Printk.env(k).hashPointer(buf) & 0xffffffffL));
            return 0;
        }
        return emit(k, buf, PAGE, fmt, args);
    }

    /** int sysfs_emit_at(char *buf, int at, const char *fmt, ...) */
    @KernelSymbol("sysfs_emit_at")
    static int sysfsEmitAt(KernelContext k, long buf, int at, long fmt, VaList args) {
        if (buf == 0 || (buf & (PAGE - 1)) != 0 || at < 0 || at >= PAGE) {
            Oops.warn(k, "fs/sysfs/file.c:768", "sysfs_emit_at", "invalid sysfs_emit_at: buf:"
                    + String.format("%016x", Printk.env(k).hashPointer(buf) & 0xffffffffL) + " at:" + at);
            return 0;
        }
        return emit(k, buf + at, PAGE - at, fmt, args);
    }

    /** {@code vscnprintf(buf, size, fmt, args)}. */
    private static int emit(KernelContext k, long buf, int size, long fmt, VaList args) {
        byte[] out = Printk.format(k, fmt, args);
        int n = Math.min(out.length, size - 1);
        k.mem().write(buf, out, 0, n);
        k.mem().write8(buf + n, 0);
        return n;
    }

    // ---------------------------------------------------------------- lib/kobject_uevent.c

    private static final String[] KOBJECT_ACTIONS = {"add", "remove", "change", "move", "online", "offline", "bind",
        "unbind"};
    private static final int UUID_STRING_LEN = 36;

    /**
     * {@code kobject_synth_uevent()}: a write to a {@code uevent} attribute. Checks the action and
     * its arguments as the kernel does; the event itself has no listener here.
     *
     * @param devpath {@code kobject_get_path()} of the kobject, e.g. "/module/hello"
     * @return the byte count for a good request, -EINVAL (with the kernel's warning) otherwise
     */
    public static long synthUevent(KernelContext k, String devpath, byte[] buf) {
        int count = buf.length;
        String msg = null;
        int n = count;
        if (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == 0)) {
            n--;
        }
        int space = -1;
        for (int i = 0; i < n; i++) {
            if (buf[i] == ' ') {
                space = i;
                break;
            }
        }
        int first = space < 0 ? n : space;
        boolean known = false;
        if (n > 0) {
            String word = new String(buf, 0, first, StandardCharsets.ISO_8859_1);
            for (String a : KOBJECT_ACTIONS) {
                known |= a.equals(word);
            }
        }
        if (!known) {
            msg = "unknown uevent action string";
        } else if (space >= 0 && !validActionArgs(buf, space + 1, count - (space + 1))) {
            msg = "incorrect uevent action arguments";
        }
        if (msg != null) {
            k.printk(4, "synth uevent: " + devpath + ": " + msg);
            return -Errno.EINVAL;
        }
        return count;
    }

    /** {@code kobject_action_args()}: "UUID [KEY=VALUE ...]", keys and values alphanumeric. */
    private static boolean validActionArgs(byte[] b, int start, int count) {
        if (count > 0 && (b[start + count - 1] == '\n' || b[start + count - 1] == 0)) {
            count--;
        }
        if (count < UUID_STRING_LEN) {
            return false;
        }
        for (int i = 0; i < UUID_STRING_LEN; i++) {
            int c = b[start + i];
            boolean hyphen = i == 8 || i == 13 || i == 18 || i == 23;
            if (hyphen ? c != '-' : Character.digit(c, 16) < 0) {
                return false;
            }
        }
        int end = start + count - 1;
        int next = start + UUID_STRING_LEN;
        while (next <= end) {
            if (b[next] != ' ') {
                return false;
            }
            int key = ++next;
            if (key > end) {
                return false;
            }
            next = wordEnd(b, key, end, '=');
            if (next < 0 || next > end || b[next] != '=') {
                return false;
            }
            if (++next > end) {
                return false;
            }
            next = wordEnd(b, next, end, ' ');
            if (next < 0) {
                return false;
            }
        }
        return true;
    }

    /** {@code action_arg_word_end()}: index of {@code delim} after alphanumerics, or -1. */
    private static int wordEnd(byte[] b, int from, int end, char delim) {
        int next = from;
        while (next <= end && b[next] != delim) {
            if (!dev.kmodemu.kstubs.lib.Ctype.isalnum(b[next++] & 0xff)) {
                return -1;
            }
        }
        return next == from ? -1 : next;
    }
}
