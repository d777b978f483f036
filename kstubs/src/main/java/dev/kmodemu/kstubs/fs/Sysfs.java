package dev.kmodemu.kstubs.fs;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.VaList;
import dev.kmodemu.kstubs.kernel.Oops;
import dev.kmodemu.kstubs.lib.Kobject;
import dev.kmodemu.kstubs.lib.KobjectUevent;
import dev.kmodemu.kstubs.printk.Printk;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * fs/sysfs (dir.c, file.c, group.c, symlink.c) over kernfs: the directory of each kobject under
 * /sys (made by {@link Kobject}'s {@code create_dir()}), attribute files whose show/store run on
 * the CPU through the kobject's {@code ktype->sysfs_ops}, attribute groups (named ones in a
 * subdirectory, {@code is_visible} deciding the mode), and symbolic links between kobjects.
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

    /**
     * Creates the kernel's own top-level kobjects ({@code ksysfs_init()}, {@code mm_sysfs_init()},
     * {@code mnt_init()}, {@code firmware_init()}) and the debugfs mount point; called at boot once
     * the slab allocator works.
     */
    public static void boot(KernelContext k) {
        long kernel = topKobject(k, "kernel_kobj", "kernel", 0);
        topKobject(k, "mm_kobj", "mm", kernel);
        topKobject(k, "fs_kobj", "fs", 0);
        topKobject(k, "firmware_kobj", "firmware", 0);
        k.vfs().mkdirs("/sys/kernel/debug");
        k.vfs().register("/sys/kernel/uevent_seqnum", () -> (KobjectUevent.seqnum(k) + "\n")
                .getBytes(StandardCharsets.US_ASCII));
    }

    private static long topKobject(KernelContext k, String symbol, String name, long parent) {
        long kobj = Kobject.createAndAdd(k, name, parent);
        if (kobj == 0) {
            throw new IllegalStateException("boot kobject " + name);
        }
        k.mem().write64(k.sym(symbol), kobj);
        return kobj;
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

    /** The sysfs directory of a kobject, or null if it has none. */
    public static String path(KernelContext k, long kobj) {
        return of(k).dirs.get(kobj);
    }

    /** {@code sysfs_warn_dup()}: the warning and stack dump for a name already taken. */
    private void warnDup(String path) {
        k.printk(4, "sysfs: cannot create duplicate filename '" + path.substring(4) + "'");
        Oops.dumpStack(k, 4);
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
        k.vfs().symlink(path, Vfs.relativeLink(dir, to));
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

    // ---------------------------------------------------------------- sysfs/dir.c

    /**
     * {@code sysfs_create_dir_ns()} + the default groups of {@code create_dir()}: the kobject's
     * directory under its parent's (/sys itself without a parent); -ENOENT if the parent has no
     * directory, -EEXIST with the kernel's duplicate report if the name is taken.
     */
    public static int createDir(KernelContext k, long kobj) {
        Sysfs fs = of(k);
        long parent = Kobject.parent(k, kobj);
        String base = parent == 0 ? "/sys" : fs.dirs.get(parent);
        if (base == null) {
            return -Errno.ENOENT;
        }
        String path = base + "/" + Kobject.name(k, kobj);
        if (k.vfs().exists(path) || k.vfs().isSymlink(path)) {
            fs.warnDup(path);
            return -Errno.EEXIST;
        }
        fs.dirs.put(kobj, path);
        k.vfs().mkdirs(path);
        long t = Kobject.ktype(k, kobj);
        if (t != 0) {
            int err = sysfsCreateGroups(k, kobj, k.mem().read64(t + k.off("kobj_type_default_groups")));
            if (err != 0) {
                removeDir(k, kobj);
                return err;
            }
        }
        return 0;
    }

    /**
     * {@code sysfs_remove_dir()}: the directory and everything in it go (kernfs_remove); kobjects
     * below keep no directory.
     */
    public static void removeDir(KernelContext k, long kobj) {
        Sysfs fs = of(k);
        String path = fs.dirs.remove(kobj);
        if (path != null) {
            k.vfs().remove(path);
            fs.dirs.values().removeIf(p -> p.startsWith(path + "/"));
        }
    }

    /** {@code sysfs_rename_dir_ns()}: -EEXIST (with the duplicate report) if the new name is taken. */
    public static int renameDir(KernelContext k, long kobj, String newName) {
        Sysfs fs = of(k);
        String path = fs.dirs.get(kobj);
        if (path == null) {
            return -Errno.ENOENT;
        }
        return fs.moveTo(kobj, path, path.substring(0, path.lastIndexOf('/')) + "/" + newName);
    }

    /** {@code sysfs_move_dir_ns()}: the directory under {@code newParent}'s (or /sys). */
    public static int moveDir(KernelContext k, long kobj, long newParent) {
        Sysfs fs = of(k);
        String path = fs.dirs.get(kobj);
        String base = newParent == 0 ? "/sys" : fs.dirs.get(newParent);
        if (path == null || base == null) {
            return -Errno.ENOENT;
        }
        return fs.moveTo(kobj, path, base + "/" + path.substring(path.lastIndexOf('/') + 1));
    }

    private int moveTo(long kobj, String from, String to) {
        if (from.equals(to)) {
            return 0;
        }
        if (k.vfs().exists(to) || k.vfs().isSymlink(to)) {
            warnDup(to);
            return -Errno.EEXIST;
        }
        k.vfs().rename(from, to);
        for (Map.Entry<Long, String> e : dirs.entrySet()) {
            String p = e.getValue();
            if (p.equals(from) || p.startsWith(from + "/")) {
                e.setValue(to + p.substring(from.length()));
            }
        }
        return 0;
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

        /** {@code kernfs_fop_open()}: reading needs a read bit and a {@code show} in the sysfs_ops. */
        @Override
        public boolean readable() {
            return (mode & 0444) != 0 && ops("sysfs_ops_show") != 0;
        }

        /** {@code kernfs_fop_open()}: writing needs a write bit and a {@code store}, even for root. */
        @Override
        public boolean writable() {
            return (mode & 0222) != 0 && ops("sysfs_ops_store") != 0;
        }

        @Override
        public int mode() {
            return mode & 0777;
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

    /**
     * int sysfs_add_file_to_group(struct kobject *kobj, const struct attribute *attr, const char *group):
     * the file in the group's directory (the kobject's own for a NULL group), -ENOENT without it.
     */
    @KernelSymbol("sysfs_add_file_to_group")
    static int sysfsAddFileToGroup(KernelContext k, long kobj, long attr, long group) {
        Sysfs fs = of(k);
        String dir = fs.dirs.get(kobj);
        if (dir != null && group != 0) {
            dir = dir + "/" + fs.str(group);
        }
        if (dir == null || !k.vfs().isDirectory(dir)) {
            return -Errno.ENOENT;
        }
        return fs.createFile(kobj, dir, attr, k.mem().read16(attr + k.off("attribute_mode")) & 0xffff);
    }

    /** void sysfs_remove_file_from_group(struct kobject *kobj, const struct attribute *attr, const char *group) */
    @KernelSymbol("sysfs_remove_file_from_group")
    static void sysfsRemoveFileFromGroup(KernelContext k, long kobj, long attr, long group) {
        Sysfs fs = of(k);
        String dir = fs.dirs.get(kobj);
        if (dir != null && group != 0) {
            dir = dir + "/" + fs.str(group);
        }
        if (dir != null && k.vfs().isDirectory(dir)) {
            k.vfs().remove(dir + "/" + fs.str(k.mem().read64(attr + k.off("attribute_name"))));
        }
    }

    /** Live {@code sysfs_break_active_protection()} references: token object → attribute file path. */
    private final Map<Long, String> broken = new HashMap<>();

    /**
     * struct kernfs_node *sysfs_break_active_protection(struct kobject *kobj, const struct attribute *attr):
     * a reference to the attribute's node (a guest token object here, since kernfs nodes live in
     * Java), NULL if the file does not exist. Nothing runs concurrently in kmodemu, so dropping the
     * active reference changes nothing else.
     */
    @KernelSymbol("sysfs_break_active_protection")
    static long sysfsBreakActiveProtection(KernelContext k, long kobj, long attr) {
        Sysfs fs = of(k);
        String dir = fs.dirs.get(kobj);
        String path = dir == null ? null : dir + "/" + fs.str(k.mem().read64(attr + k.off("attribute_name")));
        if (path == null || !k.vfs().exists(path)) {
            return 0;
        }
        long token = k.slab().kmalloc(8, 0xcc0);
        if (token != 0) {
            fs.broken.put(token, path);
        }
        return token;
    }

    /** void sysfs_unbreak_active_protection(struct kernfs_node *kn): drops the reference. */
    @KernelSymbol("sysfs_unbreak_active_protection")
    static void sysfsUnbreakActiveProtection(KernelContext k, long kn) {
        if (of(k).broken.remove(kn) != null) {
            k.slab().kfree(kn);
        }
    }

    /** One binary attribute file ({@code struct bin_attribute}) of a kobject. */
    private final class BinFile implements Vfs.File {
        private final long kobj;
        private final long attr;
        private final int mode;

        BinFile(long kobj, long attr, int mode) {
            this.kobj = kobj;
            this.attr = attr;
            this.mode = mode;
        }

        private long size() {
            return mem().read64(attr + k.off("bin_attribute_size"));
        }

        /** {@code sysfs_kf_bin_read()} page by page from offset 0 until it returns 0 or the size is reached. */
        @Override
        public byte[] read() {
            long fn = mem().read64(attr + k.off("bin_attribute_read"));
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            long buf = k.slab().kmalloc(PAGE, 0xcc0);
            try {
                long off = 0;
                while (true) {
                    long count = PAGE;
                    long size = size();
                    if (size != 0) {
                        if (off >= size) {
                            break;
                        }
                        count = Math.min(count, size - off);
                    }
                    long n = k.call(fn, 0, kobj, attr, buf, off, count);
                    if (n < 0) {
                        throw new Vfs.ReadError((int) -n);
                    }
                    if (n == 0) {
                        break;
                    }
                    out.write(mem().read(buf, (int) Math.min(n, count)), 0, (int) Math.min(n, count));
                    off += n;
                }
            } finally {
                k.slab().kfree(buf);
            }
            return out.toByteArray();
        }

        @Override
        public boolean readable() {
            return (mode & 0444) != 0 && mem().read64(attr + k.off("bin_attribute_read")) != 0;
        }

        @Override
        public boolean writable() {
            return (mode & 0222) != 0 && mem().read64(attr + k.off("bin_attribute_write")) != 0;
        }

        @Override
        public int mode() {
            return mode & 0777;
        }

        /** {@code sysfs_kf_bin_write()} at offset 0, cut to the attribute's size. */
        @Override
        public long write(byte[] data) {
            int len = Math.min(data.length, PAGE);
            long size = size();
            if (size != 0) {
                len = (int) Math.min(len, size);
            }
            if (len == 0) {
                return 0;
            }
            long buf = k.slab().kmalloc(PAGE, 0xcc0);
            try {
                mem().write(buf, data, 0, len);
                return k.call(mem().read64(attr + k.off("bin_attribute_write")), 0, kobj, attr, buf, 0, len);
            } finally {
                k.slab().kfree(buf);
            }
        }
    }

    /** int sysfs_create_bin_file(struct kobject *kobj, const struct bin_attribute *attr) */
    @KernelSymbol("sysfs_create_bin_file")
    public static int sysfsCreateBinFile(KernelContext k, long kobj, long attr) {
        Sysfs fs = of(k);
        String dir = fs.dirs.get(kobj);
        if (kobj == 0 || dir == null || attr == 0) {
            return -Errno.EINVAL;
        }
        long a = attr + k.off("bin_attribute_attr");
        String path = dir + "/" + fs.str(k.mem().read64(a + k.off("attribute_name")));
        if (k.vfs().exists(path)) {
            fs.warnDup(path);
            return -Errno.EEXIST;
        }
        k.vfs().register(path, fs.new BinFile(kobj, attr, k.mem().read16(a + k.off("attribute_mode")) & 0xffff));
        return 0;
    }

    /** void sysfs_remove_bin_file(struct kobject *kobj, const struct bin_attribute *attr) */
    @KernelSymbol("sysfs_remove_bin_file")
    public static void sysfsRemoveBinFile(KernelContext k, long kobj, long attr) {
        sysfsRemoveFileNs(k, kobj, attr + k.off("bin_attribute_attr"), 0);
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

    /** The existing directory of a named group of a kobject, or null. */
    private String groupDir(long kobj, long grp) {
        String dir = dirs.get(kobj);
        if (dir == null) {
            return null;
        }
        dir = dir + "/" + str(mem().read64(grp + k.off("attribute_group_name")));
        return k.vfs().isDirectory(dir) ? dir : null;
    }

    /**
     * int sysfs_merge_group(struct kobject *kobj, const struct attribute_group *grp): the group's
     * attributes added to the kobject's existing directory of the group's name ({@code -ENOENT}
     * without it), with the attributes' own modes; on a failure the files already added go again.
     */
    @KernelSymbol("sysfs_merge_group")
    public static int sysfsMergeGroup(KernelContext k, long kobj, long grp) {
        Sysfs fs = of(k);
        AddressSpace m = k.mem();
        String dir = fs.groupDir(kobj, grp);
        if (dir == null) {
            return -Errno.ENOENT;
        }
        long attrs = m.read64(grp + k.off("attribute_group_attrs"));
        for (int i = 0; attrs != 0 && m.read64(attrs + 8L * i) != 0; i++) {
            long attr = m.read64(attrs + 8L * i);
            int err = fs.createFile(kobj, dir, attr, m.read16(attr + k.off("attribute_mode")) & 0xffff);
            if (err != 0) {
                fs.removeFiles(dir, attrs, i);
                return err;
            }
        }
        return 0;
    }

    /** Removes the files of the first {@code n} attributes of a NULL-terminated array from {@code dir}. */
    private void removeFiles(String dir, long attrs, int n) {
        for (int i = 0; i < n && attrs != 0 && mem().read64(attrs + 8L * i) != 0; i++) {
            k.vfs().remove(dir + "/" + str(mem().read64(mem().read64(attrs + 8L * i) + k.off("attribute_name"))));
        }
    }

    /** void sysfs_unmerge_group(struct kobject *kobj, const struct attribute_group *grp) */
    @KernelSymbol("sysfs_unmerge_group")
    public static void sysfsUnmergeGroup(KernelContext k, long kobj, long grp) {
        Sysfs fs = of(k);
        String dir = fs.groupDir(kobj, grp);
        if (dir != null) {
            fs.removeFiles(dir, k.mem().read64(grp + k.off("attribute_group_attrs")), Integer.MAX_VALUE);
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

    /**
     * A static {@code const struct attribute_group *groups[]} of kernel code in Java, built in a data
     * object at {@code at}: the NULL-terminated groups array (one group), the group (unnamed, with
     * {@code isVisible} if not null), its NULL-terminated attribute array, then one 64-byte
     * attribute of kind {@code kind} ("device_attribute", "bus_attribute", "driver_attribute")
     * per row {@code {name, octal mode, show symbol or null, store symbol or null}}, its name
     * stored at offset 40. Needs {@code 128 + 72 * rows} bytes.
     */
    public static void kernelAttributeGroups(KernelContext k, long at, String isVisible, String kind,
            String[][] attrs) {
        AddressSpace m = k.mem();
        long group = at + 16;
        long array = at + 80;
        long objs = array + 8L * (attrs.length + 1);
        m.poke(at, new byte[(int) (objs - at) + 64 * attrs.length]);
        m.pokeLong(at, group);
        if (isVisible != null) {
            m.pokeLong(group + k.off("attribute_group_is_visible"), k.sym(isVisible));
        }
        m.pokeLong(group + k.off("attribute_group_attrs"), array);
        for (int i = 0; i < attrs.length; i++) {
            long a = objs + 64L * i;
            int mode = Integer.parseInt(attrs[i][1], 8);
            m.pokeLong(array + 8L * i, a);
            m.poke(a + 40, (attrs[i][0] + "\0").getBytes(StandardCharsets.US_ASCII));
            m.pokeLong(a + k.off("attribute_name"), a + 40);
            m.poke(a + k.off("attribute_mode"), new byte[] {(byte) mode, (byte) (mode >> 8)});
            if (attrs[i][2] != null) {
                m.pokeLong(a + k.off(kind + "_show"), k.sym(attrs[i][2]));
            }
            if (attrs[i][3] != null) {
                m.pokeLong(a + k.off(kind + "_store"), k.sym(attrs[i][3]));
            }
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
}
