package dev.kmodemu.kstubs.fs;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.lib.Kstrtox;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * fs/debugfs/inode.c and file.c, mounted at /sys/kernel/debug: directories and files as guest
 * {@code struct dentry}/{@code struct inode} objects, files with the module's own
 * {@code file_operations} run through the kernel's "full proxy" (open, read, write, llseek,
 * release on the CPU), and the {@code debugfs_create_u32()}-style value files.
 */
public final class Debugfs {
    private static final String MOUNT = "/sys/kernel/debug";
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;

    /** A debugfs dentry. */
    static final class Entry {
        final String name;
        final Entry parent;
        final boolean dir;
        final TreeMap<String, Entry> children = new TreeMap<>();
        long dentry;
        long inode;
        long fops;
        int mode;

        Entry(String name, Entry parent, boolean dir) {
            this.name = name;
            this.parent = parent;
            this.dir = dir;
        }

        String path() {
            return parent == null ? MOUNT : parent.path() + "/" + name;
        }
    }

    private final KernelContext k;
    private final Entry root = new Entry("/", null, true);
    private final Map<Long, Entry> byDentry = new HashMap<>();
    private final Map<Long, Entry> byInode = new HashMap<>();

    private Debugfs(KernelContext k) {
        this.k = k;
    }

    static Debugfs of(KernelContext k) {
        return k.state(Debugfs.class, () -> new Debugfs(k));
    }

    /** Every file and directory modules created, with its file_operations and data. */
    public static void registrations(KernelContext k, java.util.function.Consumer<dev.kmodemu.kstubs.module.Leftovers.Registration> out) {
        Debugfs d = of(k);
        java.util.ArrayDeque<Entry> todo = new java.util.ArrayDeque<>(d.root.children.values());
        while (!todo.isEmpty()) {
            Entry e = todo.poll();
            todo.addAll(e.children.values());
            long data = e.inode == 0 ? 0 : k.mem().read64(e.inode + k.off("inode_i_private"));
            out.accept(new dev.kmodemu.kstubs.module.Leftovers.Registration("debugfs file", e.path(), 0, 0, new long[] {e.fops, data}, null));
        }
    }

    private static boolean isErr(long p) {
        return Long.compareUnsigned(p, -4095L) >= 0;
    }

    private Entry parentOf(long parent) {
        return parent == 0 ? root : byDentry.get(parent);
    }

    /** {@code start_creating()} + {@code debugfs_create_*}: a new entry, or an ERR_PTR. */
    private long create(String name, long parent, boolean dir, int mode, long data, long fops) {
        if (isErr(parent)) {
            return parent;
        }
        Entry p = parentOf(parent);
        if (p == null) {
            return -Errno.ENOENT;
        }
        Entry old = p.children.get(name);
        if (old != null) {
            if (old.dir) {
                k.printk(3, "debugfs: Directory '" + name + "' with parent '" + p.name + "' already present!");
            } else {
                k.printk(3, "debugfs: File '" + name + "' in directory '" + p.name + "' already present!");
            }
            return -Errno.EEXIST;
        }
        Entry e = new Entry(name, p, dir);
        e.mode = mode;
        e.fops = fops;
        AddressSpace m = k.mem();
        e.inode = k.slab().kmalloc(k.off("inode_sizeof"), 0x100 | 0xcc0);
        m.write16(e.inode + k.off("inode_i_mode"), mode);
        m.write64(e.inode + k.off("inode_i_private"), data);
        m.write64(e.inode + k.off("inode_i_fop"), fops);
        e.dentry = k.slab().kmalloc(k.off("dentry_sizeof"), 0x100 | 0xcc0);
        long nameStr = k.kstrdup(name);
        m.write64(e.dentry + k.off("dentry_d_name") + k.off("qstr_name"), nameStr);
        m.write64(e.dentry + k.off("dentry_d_name") + k.off("qstr_hash_len"),
                (long) name.getBytes(StandardCharsets.UTF_8).length << 32);
        m.write64(e.dentry + k.off("dentry_d_inode"), e.inode);
        m.write64(e.dentry + k.off("dentry_d_parent"), p.dentry == 0 ? e.dentry : p.dentry);
        p.children.put(name, e);
        byDentry.put(e.dentry, e);
        byInode.put(e.inode, e);
        if (dir) {
            k.vfs().mkdirs(e.path());
        }
        return e.dentry;
    }

    private void publish(Entry e, Vfs.Openable file) {
        k.vfs().registerSpecial(e.path(), file);
    }

    private void remove(Entry e) {
        for (Entry c : e.children.values().toArray(new Entry[0])) {
            remove(c);
        }
        e.parent.children.remove(e.name);
        byDentry.remove(e.dentry);
        byInode.remove(e.inode);
        k.vfs().remove(e.path());
        k.slab().kfree(k.mem().read64(e.dentry + k.off("dentry_d_name") + k.off("qstr_name")));
        k.slab().kfree(e.dentry);
        k.slab().kfree(e.inode);
    }

    private String str(long p) {
        return k.mem().readCString(p, 4096);
    }

    // ---------------------------------------------------------------- inode.c

    /** struct dentry *debugfs_create_dir(const char *name, struct dentry *parent) */
    @KernelSymbol("debugfs_create_dir")
    static long createDir(KernelContext k, long name, long parent) {
        return of(k).create(of(k).str(name), parent, true, S_IFDIR | 0755, 0, 0);
    }

    /**
     * struct dentry *debugfs_create_file(const char *name, umode_t mode, struct dentry *parent,
     * void *data, const struct file_operations *fops)
     */
    @KernelSymbol({"debugfs_create_file", "debugfs_create_file_unsafe"})
    static long createFile(KernelContext k, long name, int mode, long parent, long data, long fops) {
        Debugfs fs = of(k);
        if ((mode & S_IFMT) == 0) {
            mode |= S_IFREG;
        }
        long d = fs.create(fs.str(name), parent, false, mode & 0xffff, data, fops);
        if (!isErr(d)) {
            Entry e = fs.byDentry.get(d);
            fs.publish(e, fs.fopsFile(e));
        }
        return d;
    }

    /**
     * void debugfs_create_file_size(const char *name, umode_t mode, struct dentry *parent,
     * void *data, const struct file_operations *fops, loff_t file_size)
     */
    @KernelSymbol("debugfs_create_file_size")
    static void createFileSize(KernelContext k, long name, int mode, long parent, long data, long fops,
            long size) {
        long d = createFile(k, name, mode, parent, data, fops);
        if (!isErr(d)) {
            k.mem().write64(of(k).byDentry.get(d).inode + k.off("inode_i_size"), size);
        }
    }

    /** void debugfs_remove(struct dentry *dentry) */
    @KernelSymbol("debugfs_remove")
    static void remove(KernelContext k, long dentry) {
        if (dentry == 0 || isErr(dentry)) {
            return;
        }
        Entry e = of(k).byDentry.get(dentry);
        if (e != null) {
            of(k).remove(e);
        }
    }

    /** void debugfs_lookup_and_remove(const char *name, struct dentry *parent) */
    @KernelSymbol("debugfs_lookup_and_remove")
    static void lookupAndRemove(KernelContext k, long name, long parent) {
        Debugfs fs = of(k);
        Entry p = fs.parentOf(parent);
        Entry e = p == null ? null : p.children.get(fs.str(name));
        if (e != null) {
            fs.remove(e);
        }
    }

    /** struct dentry *debugfs_lookup(const char *name, struct dentry *parent) */
    @KernelSymbol("debugfs_lookup")
    static long lookup(KernelContext k, long name, long parent) {
        Debugfs fs = of(k);
        Entry p = fs.parentOf(parent);
        Entry e = p == null ? null : p.children.get(fs.str(name));
        return e == null ? 0 : e.dentry;
    }

    /** bool debugfs_initialized(void) */
    @KernelSymbol("debugfs_initialized")
    static boolean initialized(KernelContext k) {
        return true;
    }

    // ---------------------------------------------------------------- files with the module's fops

    private Vfs.Openable fopsFile(Entry e) {
        return new Vfs.Openable() {
            @Override
            public OpenFile open(int flags) {
                long file = Files.allocFile(k, e.inode, e.dentry, flags, e.fops);
                if (k.mem().read64(e.fops + k.off("file_operations_llseek")) == 0) {
                    int mode = k.mem().read32(file + k.off("file_f_mode"));
                    k.mem().write32(file + k.off("file_f_mode"), mode & ~k.off("FMODE_LSEEK"));
                }
                int rv = (int) k.call(k.sym("full_proxy_open"), e.inode, file);
                if (rv != 0) {
                    Files.freeFile(k, file);
                    throw new Vfs.OpenError(-rv);
                }
                return new FopsOpenFile(k, file, e.inode);
            }

            @Override
            public int mode() {
                return e.mode & 07777;
            }
        };
    }

    /** An open file whose operations are a {@code struct file_operations} of guest code. */
    static final class FopsOpenFile extends Files.GuestOpenFile {
        private final long inode;

        FopsOpenFile(KernelContext k, long file, long inode) {
            super(k, file);
            this.inode = inode;
        }

        @Override
        protected long doRead(long buf, long count, long ppos) {
            return k.call(k.sym("full_proxy_read"), file, buf, count, ppos);
        }

        @Override
        protected long doWrite(long buf, long count, long ppos) {
            return k.call(k.sym("full_proxy_write"), file, buf, count, ppos);
        }

        @Override
        protected long doLseek(long offset, int whence) {
            return k.call(k.sym("full_proxy_llseek"), file, offset, whence);
        }

        @Override
        protected void doRelease() {
            k.call(k.sym("full_proxy_release"), inode, file);
        }
    }

    private static long fop(KernelContext k, long file, String field) {
        long fops = k.mem().read64(file + k.off("file_f_op"));
        return fops == 0 ? 0 : k.mem().read64(fops + k.off("file_operations_" + field));
    }

    /** static int full_proxy_open(struct inode *inode, struct file *filp) */
    @KernelSymbol(value = "full_proxy_open", internal = true)
    static int fullProxyOpen(KernelContext k, long inode, long file) {
        long open = fop(k, file, "open");
        return open == 0 ? 0 : (int) k.call(open, inode, file);
    }

    /** static ssize_t full_proxy_read(struct file *filp, char __user *buf, size_t count, loff_t *ppos) */
    @KernelSymbol(value = "full_proxy_read", internal = true)
    static long fullProxyRead(KernelContext k, long file, long buf, long count, long ppos) {
        long read = fop(k, file, "read");
        return read == 0 ? -Errno.EINVAL : k.call(read, file, buf, count, ppos);
    }

    /** static ssize_t full_proxy_write(struct file *filp, const char __user *buf, size_t count, loff_t *ppos) */
    @KernelSymbol(value = "full_proxy_write", internal = true)
    static long fullProxyWrite(KernelContext k, long file, long buf, long count, long ppos) {
        long write = fop(k, file, "write");
        return write == 0 ? -Errno.EINVAL : k.call(write, file, buf, count, ppos);
    }

    /** static loff_t full_proxy_llseek(struct file *filp, loff_t offset, int whence) */
    @KernelSymbol(value = "full_proxy_llseek", internal = true)
    static long fullProxyLlseek(KernelContext k, long file, long offset, int whence) {
        long llseek = fop(k, file, "llseek");
        return llseek == 0 ? -Errno.ESPIPE : k.call(llseek, file, offset, whence);
    }

    /** static int full_proxy_release(struct inode *inode, struct file *filp) */
    @KernelSymbol(value = "full_proxy_release", internal = true)
    static int fullProxyRelease(KernelContext k, long inode, long file) {
        long release = fop(k, file, "release");
        return release == 0 ? 0 : (int) k.call(release, inode, file);
    }

    // ---------------------------------------------------------------- value files (file.c)

    /** A value file: guest variable {@code at} of {@code bytes} bytes shown with {@code format}. */
    private void valueFile(long name, int mode, long parent, long at, int bytes, String format, boolean signed) {
        String n = str(name);
        int m = (mode & S_IFMT) == 0 ? (mode | S_IFREG) : mode;
        long d = create(n, parent, false, m & 0xffff, at, 0);
        if (isErr(d)) {
            return;
        }
        Entry e = byDentry.get(d);
        Vfs.File f = new Vfs.File() {
            @Override
            public byte[] read() {
                long v = switch (bytes) {
                    case 1 -> k.mem().read8(at) & 0xffL;
                    case 2 -> k.mem().read16(at) & 0xffffL;
                    case 4 -> signed ? k.mem().read32(at) : k.mem().read32(at) & 0xffffffffL;
                    default -> k.mem().read64(at);
                };
                String s = format.equals("%llu\n") ? Long.toUnsignedString(v) + "\n" : String.format(format, v);
                return s.getBytes(StandardCharsets.US_ASCII);
            }

            @Override
            public boolean writable() {
                return (e.mode & 0222) != 0;
            }

            @Override
            public long write(byte[] data) {
                // simple_attr_write(): at most 23 bytes, kstrtoull (kstrtoll for signed) base 0.
                byte[] b = java.util.Arrays.copyOf(data, Math.min(data.length, 23));
                Kstrtox.Parsed p = signed ? Kstrtox.kstrtoll(b, 0) : Kstrtox.kstrtoull(b, 0);
                if (p.err() < 0) {
                    return p.err();
                }
                switch (bytes) {
                    case 1 -> k.mem().write8(at, (int) p.value());
                    case 2 -> k.mem().write16(at, (int) p.value());
                    case 4 -> k.mem().write32(at, (int) p.value());
                    default -> k.mem().write64(at, p.value());
                }
                return data.length;
            }
        };
        k.vfs().register(e.path(), f);
    }

    /** void debugfs_create_u8(const char *name, umode_t mode, struct dentry *parent, u8 *value) */
    @KernelSymbol("debugfs_create_u8")
    static void createU8(KernelContext k, long name, int mode, long parent, long value) {
        of(k).valueFile(name, mode, parent, value, 1, "%llu\n", false);
    }

    /** void debugfs_create_u16(const char *name, umode_t mode, struct dentry *parent, u16 *value) */
    @KernelSymbol("debugfs_create_u16")
    static void createU16(KernelContext k, long name, int mode, long parent, long value) {
        of(k).valueFile(name, mode, parent, value, 2, "%llu\n", false);
    }

    /** void debugfs_create_u32(const char *name, umode_t mode, struct dentry *parent, u32 *value) */
    @KernelSymbol("debugfs_create_u32")
    static void createU32(KernelContext k, long name, int mode, long parent, long value) {
        of(k).valueFile(name, mode, parent, value, 4, "%llu\n", false);
    }

    /** void debugfs_create_u64(const char *name, umode_t mode, struct dentry *parent, u64 *value) */
    @KernelSymbol({"debugfs_create_u64", "debugfs_create_ulong", "debugfs_create_size_t"})
    static void createU64(KernelContext k, long name, int mode, long parent, long value) {
        of(k).valueFile(name, mode, parent, value, 8, "%llu\n", false);
    }

    /** void debugfs_create_x8(const char *name, umode_t mode, struct dentry *parent, u8 *value) */
    @KernelSymbol("debugfs_create_x8")
    static void createX8(KernelContext k, long name, int mode, long parent, long value) {
        of(k).valueFile(name, mode, parent, value, 1, "0x%02x\n", false);
    }

    /** void debugfs_create_x16(const char *name, umode_t mode, struct dentry *parent, u16 *value) */
    @KernelSymbol("debugfs_create_x16")
    static void createX16(KernelContext k, long name, int mode, long parent, long value) {
        of(k).valueFile(name, mode, parent, value, 2, "0x%04x\n", false);
    }

    /** void debugfs_create_x32(const char *name, umode_t mode, struct dentry *parent, u32 *value) */
    @KernelSymbol("debugfs_create_x32")
    static void createX32(KernelContext k, long name, int mode, long parent, long value) {
        of(k).valueFile(name, mode, parent, value, 4, "0x%08x\n", false);
    }

    /** void debugfs_create_x64(const char *name, umode_t mode, struct dentry *parent, u64 *value) */
    @KernelSymbol("debugfs_create_x64")
    static void createX64(KernelContext k, long name, int mode, long parent, long value) {
        of(k).valueFile(name, mode, parent, value, 8, "0x%016x\n", false);
    }

    /** void debugfs_create_atomic_t(const char *name, umode_t mode, struct dentry *parent, atomic_t *value) */
    @KernelSymbol("debugfs_create_atomic_t")
    static void createAtomic(KernelContext k, long name, int mode, long parent, long value) {
        of(k).valueFile(name, mode, parent, value, 4, "%d\n", true);
    }

    /** void debugfs_create_bool(const char *name, umode_t mode, struct dentry *parent, bool *value) */
    @KernelSymbol("debugfs_create_bool")
    static void createBool(KernelContext k, long name, int mode, long parent, long value) {
        Debugfs fs = of(k);
        int m = (mode & S_IFMT) == 0 ? (mode | S_IFREG) : mode;
        long d = fs.create(fs.str(name), parent, false, m & 0xffff, value, 0);
        if (isErr(d)) {
            return;
        }
        Entry e = fs.byDentry.get(d);
        k.vfs().register(e.path(), new Vfs.File() {
            @Override
            public byte[] read() {
                return (k.mem().read8(value) != 0 ? "Y\n" : "N\n").getBytes(StandardCharsets.US_ASCII);
            }

            @Override
            public boolean writable() {
                return (e.mode & 0222) != 0;
            }

            @Override
            public long write(byte[] data) {
                byte[] b = java.util.Arrays.copyOf(data, Math.min(data.length, 31));
                int v = Kstrtox.kstrtobool(b);
                if (v < 0) {
                    return v;
                }
                k.mem().write8(value, v);
                return data.length;
            }
        });
    }
}
