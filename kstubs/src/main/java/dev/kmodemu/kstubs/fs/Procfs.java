package dev.kmodemu.kstubs.fs;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.KernelFunctions;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.kernel.Oops;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * fs/proc/generic.c and fs/proc/inode.c: the tree of {@code proc_dir_entry}s modules create, and
 * the open/read/write/lseek/release of proc files through their {@code struct proc_ops} on the
 * emulated CPU, with real {@code struct file}, {@code struct inode} and {@code struct dentry}
 * objects. Every entry also appears in the {@link Vfs} under /proc.
 */
public final class Procfs {
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IRUGO = 0444;
    private static final int S_IXUGO = 0111;
    private static final int S_IALLUGO = 07777;
    /** Bytes of the opaque {@code struct proc_dir_entry} handles handed to modules. */
    private static final int PDE_BYTES = 192;

    /** One proc_dir_entry. */
    static final class Pde {
        final String name;
        final int mode;
        Pde parent;
        final TreeMap<String, Pde> subdir = new TreeMap<>();
        long data;
        long procOps;
        long seqOps;
        long stateSize;
        long singleShow;
        long size;
        int nlink;
        int uid;
        int gid;
        long handle;
        long inode;
        long dentry;
        int lowIno;
        boolean permanent;
        String linkTarget;
        final List<ProcOpenFile> openers = new ArrayList<>();

        Pde(String name, int mode, int nlink) {
            this.name = name;
            this.mode = mode;
            this.nlink = nlink;
        }

        boolean isDir() {
            return (mode & S_IFMT) == S_IFDIR;
        }

        String path() {
            return parent == null ? "/proc" : parent.path() + "/" + name;
        }
    }

    private final KernelContext k;
    private final Pde root = new Pde("/proc", S_IFDIR | 0555, 2);
    final Map<Long, Pde> byHandle = new HashMap<>();
    private final Map<Long, Pde> byInode = new HashMap<>();
    private int nextIno = 0xf0000000;

    private Procfs(KernelContext k) {
        this.k = k;
        root.permanent = true;
        // The kernel's own entries exist before any module runs.
        for (String n : new String[] {"modules", "sys", "version", "kallsyms", "devices", "self", "ioports", "iomem"}) {
            Pde p = new Pde(n, n.equals("sys") ? S_IFDIR | 0555 : S_IFREG | 0444, 1);
            p.parent = root;
            p.permanent = true;
            root.subdir.put(n, p);
        }
    }

    /** The procfs of a kernel. */
    public static Procfs of(KernelContext k) {
        return k.state(Procfs.class, () -> new Procfs(k));
    }

    /** Every entry modules created, with the pointers the kernel keeps for it (ops, show, data). */
    public void registrations(java.util.function.Consumer<dev.kmodemu.kstubs.module.Leftovers.Registration> out) {
        java.util.ArrayDeque<Pde> todo = new java.util.ArrayDeque<>(root.subdir.values());
        while (!todo.isEmpty()) {
            Pde p = todo.poll();
            todo.addAll(p.subdir.values());
            if (!p.permanent) {
                out.accept(new dev.kmodemu.kstubs.module.Leftovers.Registration("proc entry", p.path(), 0, 0,
                        new long[] {p.procOps, p.seqOps, p.singleShow, p.data}, null));
            }
        }
    }

    private AddressSpace mem() {
        return k.mem();
    }

    Pde pde(long handle) {
        return handle == 0 ? root : byHandle.get(handle);
    }

    /** The entry behind an inode of ours, or null. */
    Pde byInode(long inode) {
        return byInode.get(inode);
    }

    // ---------------------------------------------------------------- generic.c

    /** {@code __xlate_proc_name()}: walks "a/b/name"; returns {parent, residual} or null (logged). */
    private Object[] xlate(Pde parent, String name, boolean warn) {
        Pde de = parent;
        String cp = name;
        int slash;
        while ((slash = cp.indexOf('/')) >= 0) {
            de = de.subdir.get(cp.substring(0, slash));
            if (de == null) {
                if (warn) {
                    Oops.warn(k, "fs/proc/generic.c:175", "proc_create_data", "name '" + name + "'");
                }
                return null;
            }
            cp = cp.substring(slash + 1);
        }
        return new Object[] {de, cp};
    }

    /** {@code __proc_create()}: a new, unregistered entry, or null. */
    private Pde create(Pde[] parent, String name, int mode, int nlink, String caller) {
        Object[] x = xlate(parent[0], name, true);
        if (x == null) {
            return null;
        }
        parent[0] = (Pde) x[0];
        String fn = (String) x[1];
        int len = fn.getBytes(StandardCharsets.UTF_8).length;
        if (len == 0 || len >= 256) {
            Oops.warn(k, "fs/proc/generic.c:429", caller, "name len " + len);
            return null;
        }
        if (fn.equals(".")) {
            Oops.warn(k, "fs/proc/generic.c:433", caller, "name '.'");
            return null;
        }
        if (fn.equals("..")) {
            Oops.warn(k, "fs/proc/generic.c:437", caller, "name '..'");
            return null;
        }
        if (parent[0] == root && fn.matches("[1-9][0-9]*|0")) {
            Oops.warn(k, "fs/proc/generic.c:441", caller, "create '/proc/" + fn + "' by hand");
            return null;
        }
        Pde ent = new Pde(fn, mode, nlink);
        ent.uid = parent[0].uid;
        ent.gid = parent[0].gid;
        return ent;
    }

    /** {@code proc_register()}: links the entry in, or warns about a duplicate and frees it. */
    private long register(Pde dir, Pde dp, String caller) {
        dp.parent = dir;
        if (dir.subdir.containsKey(dp.name)) {
            Oops.warn(k, "fs/proc/generic.c:400", "proc_register",
                    "proc_dir_entry '" + dir.name + "/" + dp.name + "' already registered");
            return 0;
        }
        dp.lowIno = nextIno++;
        dir.subdir.put(dp.name, dp);
        if (dp.isDir()) {
            dir.nlink++;
        }
        dp.handle = k.slab().kmalloc(PDE_BYTES, 0x100 | 0xcc0);
        makeInode(dp);
        byHandle.put(dp.handle, dp);
        byInode.put(dp.inode, dp);
        publish(dp);
        return dp.handle;
    }

    /**
     * The kernel's {@code proc_register()} is not exported; its name exists in kallsyms so that
     * warnings raised while registering are reported at it, as on the real kernel.
     */
    @KernelSymbol(value = "proc_register", internal = true)
    static long procRegisterSym(KernelContext k, long dir, long dp) {
        throw new UnsupportedOperationException("proc_register() is internal to procfs");
    }

    /** {@code proc_get_inode()} and a dentry for it. */
    private void makeInode(Pde de) {
        AddressSpace m = mem();
        long inode = k.slab().kmalloc(k.off("inode_sizeof"), 0x100 | 0xcc0);
        m.write16(inode + k.off("inode_i_mode"), de.mode);
        m.write32(inode + k.off("inode_i_uid"), de.uid);
        m.write32(inode + k.off("inode_i_gid"), de.gid);
        m.write64(inode + k.off("inode_i_ino"), Integer.toUnsignedLong(de.lowIno));
        m.write32(inode + k.off("inode_i_nlink"), de.nlink);
        m.write64(inode + k.off("inode_i_size"), de.size);
        m.write64(inode + k.off("inode_i_private"), de.data);
        de.inode = inode;
        long dentry = k.slab().kmalloc(k.off("dentry_sizeof"), 0x100 | 0xcc0);
        byte[] nb = de.name.getBytes(StandardCharsets.UTF_8);
        long name = k.kstrdup(de.name);
        m.write64(dentry + k.off("dentry_d_name") + k.off("qstr_name"), name);
        m.write64(dentry + k.off("dentry_d_name") + k.off("qstr_hash_len"), (long) nb.length << 32);
        m.write64(dentry + k.off("dentry_d_inode"), inode);
        de.dentry = dentry;
    }

    /** Makes the entry visible in the file system. */
    private void publish(Pde de) {
        Vfs vfs = k.vfs();
        String path = de.path();
        if (de.isDir()) {
            vfs.mkdirs(path);
        } else if ((de.mode & S_IFMT) == S_IFLNK) {
            vfs.symlink(path, de.linkTarget);
        } else {
            vfs.registerSpecial(path, new Vfs.Openable() {
                @Override
                public OpenFile open(int flags) {
                    return Procfs.this.open(de, flags);
                }

                @Override
                public int mode() {
                    return de.mode & S_IALLUGO;
                }
            });
        }
    }

    private void freeEntry(Pde de) {
        byHandle.remove(de.handle);
        byInode.remove(de.inode);
        k.slab().kfree(de.handle);
        k.slab().kfree(mem().read64(de.dentry + k.off("dentry_d_name") + k.off("qstr_name")));
        k.slab().kfree(de.dentry);
        k.slab().kfree(de.inode);
    }

    /** {@code proc_entry_rundown()}: releases every opener of an entry being removed. */
    private void rundown(Pde de) {
        for (ProcOpenFile f : new ArrayList<>(de.openers)) {
            f.rundown();
        }
        k.vfs().remove(de.path());
    }

    String str(long p) {
        return mem().readCString(p, 4096);
    }

    /** proc_create_data() without the ops. */
    long createReg(String name, int mode, long parent, long procOps, long data, String caller) {
        if ((mode & S_IFMT) == 0) {
            mode |= S_IFREG;
        }
        if ((mode & S_IALLUGO) == 0) {
            mode |= S_IRUGO;
        }
        if ((mode & S_IFMT) != S_IFREG) {
            Oops.warn(k, "fs/proc/generic.c:573", caller, null);
            return 0;
        }
        Pde p = pde(parent);
        if (p == null) {
            return 0;
        }
        Pde[] par = {p};
        Pde ent = create(par, name, mode, 1, caller);
        if (ent == null) {
            return 0;
        }
        ent.data = data;
        ent.procOps = procOps;
        return register(par[0], ent, caller);
    }

    /**
     * struct proc_dir_entry *proc_create_data(const char *name, umode_t mode,
     * struct proc_dir_entry *parent, const struct proc_ops *proc_ops, void *data)
     */
    @KernelSymbol("proc_create_data")
    static long procCreateData(KernelContext k, long name, int mode, long parent, long procOps, long data) {
        Procfs fs = of(k);
        return fs.createReg(fs.str(name), mode & 0xffff, parent, procOps, data, "proc_create_data");
    }

    /** struct proc_dir_entry *proc_create(const char *name, umode_t mode, struct proc_dir_entry *parent, const struct proc_ops *proc_ops) */
    @KernelSymbol("proc_create")
    static long procCreate(KernelContext k, long name, int mode, long parent, long procOps) {
        Procfs fs = of(k);
        return fs.createReg(fs.str(name), mode & 0xffff, parent, procOps, 0, "proc_create");
    }

    /**
     * struct proc_dir_entry *proc_create_seq_private(const char *name, umode_t mode,
     * struct proc_dir_entry *parent, const struct seq_operations *ops, unsigned int state_size, void *data)
     */
    @KernelSymbol("proc_create_seq_private")
    static long procCreateSeqPrivate(KernelContext k, long name, int mode, long parent, long ops, int stateSize,
            long data) {
        Procfs fs = of(k);
        long h = fs.createReg(fs.str(name), mode & 0xffff, parent, k.sym("proc_seq_ops"), data,
                "proc_create_seq_private");
        if (h != 0) {
            Pde p = fs.byHandle.get(h);
            p.seqOps = ops;
            p.stateSize = Integer.toUnsignedLong(stateSize);
        }
        return h;
    }

    /**
     * struct proc_dir_entry *proc_create_single_data(const char *name, umode_t mode,
     * struct proc_dir_entry *parent, int (*show)(struct seq_file *, void *), void *data)
     */
    @KernelSymbol("proc_create_single_data")
    static long procCreateSingleData(KernelContext k, long name, int mode, long parent, long show, long data) {
        Procfs fs = of(k);
        long h = fs.createReg(fs.str(name), mode & 0xffff, parent, k.sym("proc_single_ops"), data,
                "proc_create_single_data");
        if (h != 0) {
            fs.byHandle.get(h).singleShow = show;
        }
        return h;
    }

    long mkdir(String name, int mode, long parent, long data, String caller) {
        if (mode == 0) {
            mode = S_IRUGO | S_IXUGO;
        }
        Pde p = pde(parent);
        if (p == null) {
            return 0;
        }
        Pde[] par = {p};
        Pde ent = create(par, name, S_IFDIR | mode, 2, caller);
        if (ent == null) {
            return 0;
        }
        ent.data = data;
        return register(par[0], ent, caller);
    }

    /**
     * {@code proc_create_seq(name, mode, NULL, ops)} for the kernel's own entries (e.g. /proc/misc):
     * a /proc file listing through the {@code seq_operations} at {@code seqOps}.
     */
    public void createSeq(String name, int mode, long seqOps) {
        long h = createReg(name, mode, 0, k.sym("proc_seq_ops"), 0, "proc_create_seq_private");
        byHandle.get(h).seqOps = seqOps;
    }

    /** struct proc_dir_entry *proc_mkdir(const char *name, struct proc_dir_entry *parent) */
    @KernelSymbol("proc_mkdir")
    static long procMkdir(KernelContext k, long name, long parent) {
        Procfs fs = of(k);
        return fs.mkdir(fs.str(name), 0, parent, 0, "proc_mkdir");
    }

    /** struct proc_dir_entry *proc_mkdir_mode(const char *name, umode_t mode, struct proc_dir_entry *parent) */
    @KernelSymbol("proc_mkdir_mode")
    static long procMkdirMode(KernelContext k, long name, int mode, long parent) {
        Procfs fs = of(k);
        return fs.mkdir(fs.str(name), mode & 0xffff, parent, 0, "proc_mkdir_mode");
    }

    /** struct proc_dir_entry *proc_mkdir_data(const char *name, umode_t mode, struct proc_dir_entry *parent, void *data) */
    @KernelSymbol("proc_mkdir_data")
    static long procMkdirData(KernelContext k, long name, int mode, long parent, long data) {
        Procfs fs = of(k);
        return fs.mkdir(fs.str(name), mode & 0xffff, parent, data, "proc_mkdir_data");
    }

    /** struct proc_dir_entry *proc_symlink(const char *name, struct proc_dir_entry *parent, const char *dest) */
    @KernelSymbol("proc_symlink")
    static long procSymlink(KernelContext k, long name, long parent, long dest) {
        Procfs fs = of(k);
        Pde p = fs.pde(parent);
        if (p == null) {
            return 0;
        }
        Pde[] par = {p};
        Pde ent = fs.create(par, fs.str(name), 0120000 | 0777, 1, "proc_symlink");
        if (ent == null) {
            return 0;
        }
        String target = fs.str(dest);
        ent.size = target.getBytes(StandardCharsets.UTF_8).length;
        ent.data = k.kstrdup(target);
        ent.linkTarget = target;
        return fs.register(par[0], ent, "proc_symlink");
    }

    /** void proc_set_size(struct proc_dir_entry *de, loff_t size) */
    @KernelSymbol("proc_set_size")
    static void procSetSize(KernelContext k, long de, long size) {
        Pde p = of(k).pde(de);
        if (p != null) {
            p.size = size;
            k.mem().write64(p.inode + k.off("inode_i_size"), size);
        }
    }

    /** void proc_set_user(struct proc_dir_entry *de, kuid_t uid, kgid_t gid) */
    @KernelSymbol("proc_set_user")
    static void procSetUser(KernelContext k, long de, int uid, int gid) {
        Pde p = of(k).pde(de);
        if (p != null) {
            p.uid = uid;
            p.gid = gid;
        }
    }

    /** void *proc_get_parent_data(const struct inode *inode) */
    @KernelSymbol("proc_get_parent_data")
    static long procGetParentData(KernelContext k, long inode) {
        Pde p = of(k).byInode.get(inode);
        return p == null || p.parent == null ? 0 : p.parent.data;
    }

    /** void remove_proc_entry(const char *name, struct proc_dir_entry *parent) */
    @KernelSymbol("remove_proc_entry")
    static void removeProcEntry(KernelContext k, long name, long parent) {
        Procfs fs = of(k);
        String n = fs.str(name);
        Pde p = fs.pde(parent);
        Object[] x = p == null ? null : fs.xlate(p, n, false);
        if (x == null) {
            return;
        }
        Pde dir = (Pde) x[0];
        Pde de = dir.subdir.get((String) x[1]);
        if (de != null) {
            if (de.permanent) {
                Oops.warn(k, "fs/proc/generic.c:726", "remove_proc_entry",
                        "removing permanent /proc entry '" + de.name + "'");
                de = null;
            } else {
                dir.subdir.remove(de.name);
                if (de.isDir()) {
                    dir.nlink--;
                }
            }
        }
        if (de == null) {
            Oops.warn(k, "fs/proc/generic.c:734", "remove_proc_entry", "name '" + n + "'");
            return;
        }
        fs.rundown(de);
        if (!de.subdir.isEmpty()) {
            Oops.warn(k, "fs/proc/generic.c:740", "remove_proc_entry", "remove_proc_entry: removing non-empty "
                    + "directory '" + de.parent.name + "/" + de.name + "', leaking at least '"
                    + de.subdir.firstKey() + "'");
        }
        fs.freeEntry(de);
    }

    /** int remove_proc_subtree(const char *name, struct proc_dir_entry *parent) */
    @KernelSymbol("remove_proc_subtree")
    static int removeProcSubtree(KernelContext k, long name, long parent) {
        Procfs fs = of(k);
        return fs.removeSubtree(fs.str(name), fs.pde(parent));
    }

    private int removeSubtree(String name, Pde parent) {
        Object[] x = parent == null ? null : xlate(parent, name, false);
        if (x == null) {
            return -Errno.ENOENT;
        }
        Pde dir = (Pde) x[0];
        Pde de = dir.subdir.get((String) x[1]);
        if (de == null) {
            return -Errno.ENOENT;
        }
        if (de.permanent) {
            Oops.warn(k, "fs/proc/generic.c:767", "remove_proc_subtree",
                    "removing permanent /proc entry '" + dir.name + "/" + de.name + "'");
            return -Errno.EINVAL;
        }
        dir.subdir.remove(de.name);
        if (de.isDir()) {
            dir.nlink--;
        }
        removeTree(de);
        return 0;
    }

    private void removeTree(Pde de) {
        for (Pde c : new ArrayList<>(de.subdir.values())) {
            de.subdir.remove(c.name);
            removeTree(c);
        }
        rundown(de);
        freeEntry(de);
    }

    /** void proc_remove(struct proc_dir_entry *de) */
    @KernelSymbol("proc_remove")
    static void procRemove(KernelContext k, long de) {
        Procfs fs = of(k);
        Pde p = de == 0 ? null : fs.byHandle.get(de);
        if (p != null && p.parent != null) {
            fs.removeSubtree(p.name, p.parent);
        }
    }

    // ---------------------------------------------------------------- inode.c: the file operations

    /** The proc_ops of {@code proc_create_seq*()} entries. */
    @KernelData(value = "proc_seq_ops", section = Machine.Section.RODATA, sizeOf = "proc_ops_sizeof")
    static void procSeqOps(KernelContext k, long at) {
        procOps(k, at, "proc_seq_open", "seq_read_iter", "seq_lseek", "proc_seq_release");
    }

    /** The proc_ops of {@code proc_create_single*()} entries. */
    @KernelData(value = "proc_single_ops", section = Machine.Section.RODATA, sizeOf = "proc_ops_sizeof")
    static void procSingleOps(KernelContext k, long at) {
        procOps(k, at, "proc_single_open", "seq_read_iter", "seq_lseek", "single_release");
    }

    static void procOps(KernelContext k, long at, String open, String readIter, String lseek, String release) {
        byte[] b = new byte[k.off("proc_ops_sizeof")];
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        bb.putLong(k.off("proc_ops_proc_open"), k.sym(open));
        bb.putLong(k.off("proc_ops_proc_read_iter"), k.sym(readIter));
        bb.putLong(k.off("proc_ops_proc_lseek"), k.sym(lseek));
        bb.putLong(k.off("proc_ops_proc_release"), k.sym(release));
        k.mem().poke(at, b);
    }

    /** static int proc_seq_open(struct inode *inode, struct file *file) */
    @KernelSymbol(value = "proc_seq_open", internal = true)
    static int procSeqOpen(KernelContext k, long inode, long file) {
        Pde de = of(k).byInode.get(inode);
        if (de.stateSize != 0) {
            return SeqFile.openPrivate(k, file, de.seqOps, de.stateSize) == 0 ? -Errno.ENOMEM : 0;
        }
        return SeqFile.open(k, file, de.seqOps);
    }

    /** static int proc_seq_release(struct inode *inode, struct file *file) */
    @KernelSymbol(value = "proc_seq_release", internal = true)
    static int procSeqRelease(KernelContext k, long inode, long file) {
        Pde de = of(k).byInode.get(inode);
        if (de != null && de.stateSize != 0) {
            return SeqFile.releasePrivate(k, inode, file);
        }
        return SeqFile.release(k, inode, file);
    }

    /** static int proc_single_open(struct inode *inode, struct file *file) */
    @KernelSymbol(value = "proc_single_open", internal = true)
    static int procSingleOpen(KernelContext k, long inode, long file) {
        Pde de = of(k).byInode.get(inode);
        return SeqFile.singleOpen(k, file, de.singleShow, de.data);
    }

    private long ops(Pde de, String field) {
        return mem().read64(de.procOps + k.off(field));
    }

    /**
     * Opens a proc file: a {@code struct file}, then {@code proc_reg_open()} on the CPU. Root opens
     * any file whatever its mode bits (CAP_DAC_OVERRIDE), as the real system's root does.
     */
    OpenFile open(Pde de, int flags) {
        long file = Files.allocFile(k, de.inode, de.dentry, flags, k.sym("proc_reg_file_ops"));
        int rv = (int) k.callFrom(k.chain(KernelFunctions.GUEST, "do_dentry_open", "path_openat", "do_filp_open",
                "do_sys_openat2", "__x64_sys_openat"), k.sym("proc_reg_open"), de.inode, file);
        if (rv != 0) {
            Files.freeFile(k, file);
            throw new Vfs.OpenError(-rv);
        }
        ProcOpenFile f = new ProcOpenFile(de, file);
        de.openers.add(f);
        return f;
    }

    /** {@code static const struct file_operations proc_reg_file_ops}: what proc inodes point at. */
    @KernelData(value = "proc_reg_file_ops", section = Machine.Section.RODATA, sizeOf = "file_operations_sizeof")
    static void procRegFileOps(KernelContext k, long at) {
        AddressSpace m = k.mem();
        m.poke(at, new byte[k.off("file_operations_sizeof")]);
        String[][] ops = {{"llseek", "proc_reg_llseek"}, {"read", "proc_reg_read"}, {"write", "proc_reg_write"},
            {"poll", "proc_reg_poll"}, {"unlocked_ioctl", "proc_reg_unlocked_ioctl"},
            {"compat_ioctl", "proc_reg_compat_ioctl"}, {"open", "proc_reg_open"}, {"release", "proc_reg_release"},
            {"mmap", "proc_reg_mmap"}};
        for (String[] o : ops) {
            m.pokeLong(at + k.off("file_operations_" + o[0]), k.sym(o[1]));
        }
    }

    /** static long proc_reg_unlocked_ioctl(struct file *file, unsigned int cmd, unsigned long arg) */
    @KernelSymbol(value = "proc_reg_unlocked_ioctl", internal = true)
    static long procRegUnlockedIoctl(KernelContext k, long file, int cmd, long arg) {
        return of(k).pdeIoctl("proc_ops_proc_ioctl", file, cmd, arg);
    }

    /** static long proc_reg_compat_ioctl(struct file *file, unsigned int cmd, unsigned long arg) */
    @KernelSymbol(value = "proc_reg_compat_ioctl", internal = true)
    static long procRegCompatIoctl(KernelContext k, long file, int cmd, long arg) {
        return of(k).pdeIoctl("proc_ops_proc_compat_ioctl", file, cmd, arg);
    }

    /** {@code pde_ioctl()}/{@code pde_compat_ioctl()}: the entry's own, or -ENOTTY (also once it is removed). */
    private long pdeIoctl(String op, long file, int cmd, long arg) {
        Pde de = byInode.get(k.mem().read64(file + k.off("file_f_inode")));
        long ioctl = de == null ? 0 : ops(de, op);
        return ioctl == 0 ? -Errno.ENOTTY : k.call(ioctl, file, Integer.toUnsignedLong(cmd), arg);
    }

    /**
     * static int proc_reg_mmap(struct file *file, struct vm_area_struct *vma): the entry's
     * {@code proc_mmap}, or -EIO without one (or once the entry is removed).
     */
    @KernelSymbol(value = "proc_reg_mmap", internal = true)
    static int procRegMmap(KernelContext k, long file, long vma) {
        Procfs fs = of(k);
        Pde de = fs.byInode.get(k.mem().read64(file + k.off("file_f_inode")));
        long mmap = de == null ? 0 : fs.ops(de, "proc_ops_proc_mmap");
        return mmap == 0 ? -Errno.EIO : (int) k.call(mmap, file, vma);
    }

    /** static __poll_t proc_reg_poll(struct file *file, struct poll_table_struct *pts) */
    @KernelSymbol(value = "proc_reg_poll", internal = true)
    static int procRegPoll(KernelContext k, long file, long pts) {
        Procfs fs = of(k);
        Pde de = fs.byInode.get(k.mem().read64(file + k.off("file_f_inode")));
        long poll = de == null ? 0 : fs.ops(de, "proc_ops_proc_poll");
        return poll == 0 ? k.off("DEFAULT_POLLMASK") : (int) k.call(poll, file, pts);
    }

    /** static int proc_reg_open(struct inode *inode, struct file *file) */
    @KernelSymbol(value = "proc_reg_open", internal = true)
    static int procRegOpen(KernelContext k, long inode, long file) {
        Procfs fs = of(k);
        Pde de = fs.byInode.get(inode);
        if (fs.ops(de, "proc_ops_proc_lseek") == 0) {
            int mode = k.mem().read32(file + k.off("file_f_mode"));
            k.mem().write32(file + k.off("file_f_mode"), mode & ~k.off("FMODE_LSEEK"));
        }
        long open = fs.ops(de, "proc_ops_proc_open");
        return open == 0 ? 0 : (int) k.callFrom(k.chain(KernelFunctions.GUEST, "proc_reg_open"), open, inode, file);
    }

    /** static ssize_t proc_reg_read(struct file *file, char __user *buf, size_t count, loff_t *ppos) */
    @KernelSymbol(value = "proc_reg_read", internal = true)
    static long procRegRead(KernelContext k, long file, long buf, long count, long ppos) {
        Procfs fs = of(k);
        Pde de = fs.byInode.get(k.mem().read64(file + k.off("file_f_inode")));
        if (de == null) {
            return -Errno.EIO;
        }
        long readIter = fs.ops(de, "proc_ops_proc_read_iter");
        if (readIter != 0) {
            if (readIter != k.sym("seq_read_iter")) {
                return -Errno.EINVAL;
            }
            return SeqFile.readToUser(k, file, buf, count, ppos);
        }
        long read = fs.ops(de, "proc_ops_proc_read");
        return read == 0 ? -Errno.EIO : k.call(read, file, buf, count, ppos);
    }

    /** static ssize_t proc_reg_write(struct file *file, const char __user *buf, size_t count, loff_t *ppos) */
    @KernelSymbol(value = "proc_reg_write", internal = true)
    static long procRegWrite(KernelContext k, long file, long buf, long count, long ppos) {
        Procfs fs = of(k);
        Pde de = fs.byInode.get(k.mem().read64(file + k.off("file_f_inode")));
        if (de == null) {
            return -Errno.EIO;
        }
        long write = fs.ops(de, "proc_ops_proc_write");
        return write == 0 ? -Errno.EIO
                : k.callFrom(k.chain(KernelFunctions.GUEST, "proc_reg_write"), write, file, buf, count, ppos);
    }

    /** static loff_t proc_reg_llseek(struct file *file, loff_t offset, int whence) */
    @KernelSymbol(value = "proc_reg_llseek", internal = true)
    static long procRegLlseek(KernelContext k, long file, long offset, int whence) {
        Procfs fs = of(k);
        Pde de = fs.byInode.get(k.mem().read64(file + k.off("file_f_inode")));
        if (de == null) {
            return -Errno.EIO;
        }
        long lseek = fs.ops(de, "proc_ops_proc_lseek");
        return k.call(lseek == 0 ? k.sym("default_llseek") : lseek, file, offset, whence);
    }

    /** static int proc_reg_release(struct inode *inode, struct file *file) */
    @KernelSymbol(value = "proc_reg_release", internal = true)
    static int procRegRelease(KernelContext k, long inode, long file) {
        Procfs fs = of(k);
        Pde de = fs.byInode.get(inode);
        if (de == null) {
            return 0;
        }
        long release = fs.ops(de, "proc_ops_proc_release");
        return release == 0 ? 0 : (int) k.call(release, inode, file);
    }

    /** An open proc file of the current process. */
    final class ProcOpenFile extends Files.GuestOpenFile {
        private final Pde de;
        private boolean gone;

        ProcOpenFile(Pde de, long file) {
            super(Procfs.this.k, file);
            this.de = de;
        }

        /** procfs is {@code SB_I_NOEXEC}. */
        @Override
        public boolean noexec() {
            return true;
        }

        @Override
        protected long doRead(long buf, long count, long ppos) {
            if (gone) {
                return -Errno.EIO;
            }
            return k.callFrom(k.chain(KernelFunctions.GUEST, "vfs_read", "ksys_read"), k.sym("proc_reg_read"), file,
                    buf, count, ppos);
        }

        @Override
        protected long doWrite(long buf, long count, long ppos) {
            if (gone) {
                return -Errno.EIO;
            }
            return k.callFrom(k.chain(KernelFunctions.GUEST, "vfs_write", "ksys_write"), k.sym("proc_reg_write"), file,
                    buf, count, ppos);
        }

        @Override
        protected long doLseek(long offset, int whence) {
            if (gone) {
                return -Errno.EIO;
            }
            return k.call(k.sym("proc_reg_llseek"), file, offset, whence);
        }

        @Override
        protected void doRelease() {
            de.openers.remove(this);
            if (!gone) {
                k.call(k.sym("proc_reg_release"), de.inode, file);
            }
        }

        /** The entry is being removed: release now, fail later operations with EIO. */
        void rundown() {
            if (!gone) {
                k.call(k.sym("proc_reg_release"), de.inode, file);
                gone = true;
            }
        }
    }
}
