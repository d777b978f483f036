package dev.kmodemu.kstubs.fs;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.sched.Tasks;

import java.util.HashMap;
import java.util.Map;

/**
 * {@code struct file} objects in guest memory (fs/file_table.c, fs/open.c), and the system calls
 * over them (fs/read_write.c, fs/ioctl.c, fs/select.c): the position is passed to the file's
 * operations as a pointer to a kernel {@code loff_t} (NULL for stream files), the data through a
 * buffer in the process's user memory.
 */
public final class Files {
    private Files() {
    }

    /** The descriptor number system calls report to the file's operations (the first free one). */
    public static final int FD = 3;

    /** What happens to an inode when an open file lets go of it ({@code iput()}). */
    public interface InodeOwner {
        /** The last reference of an open file to {@code inode} is dropped; runs in kernel context. */
        void iput(long inode);
    }

    /** Inodes whose owner wants to know when open files let go of them, per kernel. */
    private static Map<Long, InodeOwner> owners(KernelContext k) {
        return k.state(InodeOwner.class, HashMap::new);
    }

    /** Asks for {@link InodeOwner#iput} calls when files opened on {@code inode} are closed. */
    public static void ownInode(KernelContext k, long inode, InodeOwner owner) {
        owners(k).put(inode, owner);
    }

    /** Forgets the owner of an inode being freed. */
    public static void disownInode(KernelContext k, long inode) {
        owners(k).remove(inode);
    }

    /** {@code alloc_empty_file()} + the start of {@code do_dentry_open()}: a zeroed struct file for an inode. */
    static long allocFile(KernelContext k, long inode, long dentry, int flags, long fop) {
        AddressSpace m = k.mem();
        long file = k.slab().kmalloc(k.off("file_sizeof"), 0x100 | 0xcc0);
        int acc = flags & Vfs.O_ACCMODE;
        int mode = k.off("FMODE_LSEEK") | k.off("FMODE_PREAD") | k.off("FMODE_PWRITE");
        if (acc == Vfs.O_RDONLY || acc == Vfs.O_RDWR) {
            mode |= k.off("FMODE_READ");
        }
        if (acc == Vfs.O_WRONLY || acc == Vfs.O_RDWR) {
            mode |= k.off("FMODE_WRITE");
        }
        m.write64(file + k.off("file_f_count"), 1);
        m.write32(file + k.off("file_f_flags"), (flags | k.off("O_LARGEFILE")) & ~(Vfs.O_CREAT | Vfs.O_TRUNC));
        m.write32(file + k.off("file_f_mode"), mode);
        m.write64(file + k.off("file_f_inode"), inode);
        m.write64(file + k.off("file_f_path") + k.off("path_dentry"), dentry);
        m.write64(file + k.off("file_f_op"), fop);
        return file;
    }

    static void freeFile(KernelContext k, long file) {
        k.slab().kfree(file);
    }

    /**
     * {@code fops_get()}: true if {@code fops} is non-NULL and a reference on its owner could be
     * taken ({@code try_module_get()} on the CPU).
     */
    public static boolean fopsGet(KernelContext k, long fops) {
        if (fops == 0) {
            return false;
        }
        long owner = k.mem().read64(fops + k.off("file_operations_owner"));
        return owner == 0 || (k.call(k.sym("try_module_get"), owner) & 0xff) != 0;
    }

    /** {@code fops_put()}. */
    public static void fopsPut(KernelContext k, long fops) {
        if (fops != 0) {
            long owner = k.mem().read64(fops + k.off("file_operations_owner"));
            if (owner != 0) {
                k.call(k.sym("module_put"), owner);
            }
        }
    }

    /** {@code replace_fops()}: the file's operations become {@code fops} (already referenced). */
    public static void replaceFops(KernelContext k, long file, long fops) {
        fopsPut(k, k.mem().read64(file + k.off("file_f_op")));
        k.mem().write64(file + k.off("file_f_op"), fops);
    }

    private static long fop(KernelContext k, long file, String field) {
        long fops = k.mem().read64(file + k.off("file_f_op"));
        return fops == 0 ? 0 : k.mem().read64(fops + k.off("file_operations_" + field));
    }

    /**
     * static int do_dentry_open(struct file *f, struct inode *inode,
     * int (*open)(struct inode *, struct file *))
     *
     * <p>From the call of {@code ->open} on (the struct file already holds {@code fops_get(inode->i_fop)}):
     * the FMODE_CAN_READ/CAN_WRITE/LSEEK bits from the final operations, or on failure the
     * operations' module reference dropped again.
     */
    @KernelSymbol(value = "do_dentry_open", internal = true)
    static int doDentryOpen(KernelContext k, long f, long inode, long open) {
        AddressSpace m = k.mem();
        if (open == 0) {
            open = fop(k, f, "open");
        }
        if (open != 0) {
            int error = (int) k.call(open, inode, f);
            if (error != 0) {
                fopsPut(k, m.read64(f + k.off("file_f_op")));
                return error > 0 ? -Errno.EINVAL : error;
            }
        }
        int mode = m.read32(f + k.off("file_f_mode")) | k.off("FMODE_OPENED");
        if ((mode & k.off("FMODE_READ")) != 0 && (fop(k, f, "read") != 0 || fop(k, f, "read_iter") != 0)) {
            mode |= k.off("FMODE_CAN_READ");
        }
        if ((mode & k.off("FMODE_WRITE")) != 0 && (fop(k, f, "write") != 0 || fop(k, f, "write_iter") != 0)) {
            mode |= k.off("FMODE_CAN_WRITE");
        }
        if ((mode & k.off("FMODE_LSEEK")) != 0 && fop(k, f, "llseek") == 0) {
            mode &= ~k.off("FMODE_LSEEK");
        }
        m.write32(f + k.off("file_f_mode"), mode);
        int flags = m.read32(f + k.off("file_f_flags"));
        m.write32(f + k.off("file_f_flags"),
                flags & ~(k.off("O_CREAT") | k.off("O_EXCL") | k.off("O_NOCTTY") | k.off("O_TRUNC")));
        return 0;
    }

    /**
     * static void __fput(struct file *file): the release operation, the char device's cdev
     * reference, the operations' module reference, then the inode.
     */
    @KernelSymbol(value = "__fput", internal = true)
    static void fputFinal(KernelContext k, long file) {
        AddressSpace m = k.mem();
        long inode = m.read64(file + k.off("file_f_inode"));
        long release = fop(k, file, "release");
        if (release != 0) {
            k.call(release, inode, file);
        }
        int imode = m.read16(inode + k.off("inode_i_mode")) & 0170000;
        if (imode == 0020000) {
            long cdev = m.read64(inode + k.off("inode_i_cdev"));
            if (cdev != 0) {
                CharDev.cdevPut(k, cdev);
            }
        }
        fopsPut(k, m.read64(file + k.off("file_f_op")));
        InodeOwner owner = owners(k).get(inode);
        if (owner != null) {
            owner.iput(inode);
        }
    }

    /** {@code IS_ERR_VALUE()}: a negative errno rather than a kernel address. */
    public static boolean isErr(long v) {
        return Long.compareUnsigned(v, -4095L) >= 0;
    }

    /** Open files by their guest {@code struct file}, until the last reference to one goes. */
    private static Map<Long, GuestOpenFile> openFiles(KernelContext k) {
        return k.state(GuestOpenFile.class, HashMap::new);
    }

    /** {@code get_file()}: one more reference ({@code f_count}) to {@code file}. */
    public static void getFile(KernelContext k, long file) {
        long at = file + k.off("file_f_count");
        k.mem().write64(at, k.mem().read64(at) + 1);
    }

    /**
     * {@code fput()}: drops a reference to {@code file}; the last one releases it
     * ({@code __fput()}: the file's release operation, then the struct file is freed): for a
     * process as task work when it returns to user space (so the releases of one system call run
     * after it, newest first), for a kernel thread at once (the kernel's {@code delayed_fput}
     * runs it from a kworker a jiffy later).
     */
    public static void fput(KernelContext k, long file) {
        long at = file + k.off("file_f_count");
        long count = k.mem().read64(at) - 1;
        k.mem().write64(at, count);
        if (count == 0) {
            GuestOpenFile f = openFiles(k).get(file);
            if (f == null) {
                return;
            }
            Tasks.Task t = k.tasks().current();
            Runnable release = () -> {
                openFiles(k).remove(file);
                f.release();
            };
            if (t.pid() == 0 || t.isKernelThread() || !t.taskWorkAdd(release)) {
                release.run();
            }
        }
    }

    /**
     * struct file *filp_open(const char *filename, int flags, umode_t mode): opens a file from
     * kernel code as {@code open(2)} would (the task's system call state is left as it was). Files
     * kmodemu serves from Java (its own /proc and /sys entries) have no {@code struct file}:
     * -EOPNOTSUPP.
     */
    @KernelSymbol("filp_open")
    static long filpOpen(KernelContext k, long filename, int flags, int mode) {
        Tasks.Task t = k.tasks().current();
        var regs = t.userRegs();
        try {
            OpenFile f = k.vfs().open(k.string(filename, 4096), flags);
            if (f instanceof GuestOpenFile g) {
                return g.file();
            }
            f.close();
            return -Errno.EOPNOTSUPP;
        } catch (Vfs.OpenError e) {
            return -e.errno();
        } finally {
            t.userRegs(regs);
        }
    }

    /**
     * int filp_close(struct file *filp, fl_owner_t id): the file's {@code flush}, then
     * {@code fput()}; a file without references left is refused with the kernel's message.
     */
    @KernelSymbol("filp_close")
    static int filpClose(KernelContext k, long filp, long id) {
        if (k.mem().read64(filp + k.off("file_f_count")) == 0) {
            k.printk(3, "VFS: Close: file count is 0");
            return 0;
        }
        long flush = fop(k, filp, "flush");
        int ret = flush == 0 ? 0 : (int) k.call(flush, filp, id);
        GuestOpenFile g = byStruct(k, filp);
        if (g != null) {
            g.closed = true;
        }
        fput(k, filp);
        return ret;
    }

    /** The open file behind a guest {@code struct file}, or null. */
    public static GuestOpenFile byStruct(KernelContext k, long file) {
        return openFiles(k).get(file);
    }

    /**
     * void fput(struct file *file): a file opened as a path ({@code filp_open()}, a process's
     * open) goes through {@link #fput}, one made for a descriptor table or an anonymous inode
     * through {@link FileTable#fput}.
     */
    @KernelSymbol("fput")
    static void fputSym(KernelContext k, long file) {
        if (byStruct(k, file) != null) {
            fput(k, file);
        } else {
            FileTable.fput(k, file);
        }
    }

    /** An open file backed by a guest {@code struct file}; subclasses call its operations. */
    public abstract static class GuestOpenFile implements OpenFile {
        protected final KernelContext k;
        protected final long file;
        private final long ppos;
        private int lastError;
        private boolean closed;

        protected GuestOpenFile(KernelContext k, long file) {
            this.k = k;
            this.file = file;
            this.ppos = k.slab().kmalloc(8, 0x100 | 0xcc0);
            openFiles(k).put(file, this);
        }

        /** True if the file system is mounted or marked {@code noexec} ({@code path_noexec()}): no executable mappings. */
        public boolean noexec() {
            return false;
        }

        /** The guest {@code struct file *}. */
        public long file() {
            return file;
        }

        protected abstract long doRead(long buf, long count, long ppos);

        protected abstract long doWrite(long buf, long count, long ppos);

        protected abstract long doLseek(long offset, int whence);

        protected abstract void doRelease();

        private int fmode() {
            return k.mem().read32(file + k.off("file_f_mode"));
        }

        /**
         * {@code file_ppos()} + {@code rw_verify_area()}: the kernel {@code loff_t *} for the
         * call (0 for a stream file), or a negative errno ({@link #isErr}) for a bad position.
         */
        private long position(long count) {
            if ((fmode() & k.off("FMODE_STREAM")) != 0) {
                return 0;
            }
            long pos = k.mem().read64(file + k.off("file_f_pos"));
            boolean unsigned = (fmode() & k.off("FMODE_UNSIGNED_OFFSET")) != 0;
            if (pos < 0) {
                if (!unsigned) {
                    return -Errno.EINVAL;
                }
                if (Long.compareUnsigned(count, -pos) >= 0) {
                    return -Errno.EOVERFLOW;
                }
            } else if (pos + count < 0 && !unsigned) {
                return -Errno.EINVAL;
            }
            k.mem().write64(ppos, pos);
            return ppos;
        }

        /** {@code ksys_read()} + {@code vfs_read()}. */
        @Override
        public byte[] read(long count) {
            lastError = 0;
            if ((fmode() & k.off("FMODE_READ")) == 0) {
                lastError = -Errno.EBADF;
                return null;
            }
            long n = Math.min(count, k.profile().value("MAX_RW_COUNT"));
            long buf = k.tasks().current().ioBuffer(k.mem(), Math.max(n, 1));
            Vfs.syscall(k, "NR_read", Tasks.FD, buf, count);
            long pp = position(n);
            if (isErr(pp)) {
                lastError = (int) pp;
                return null;
            }
            long ret = doRead(buf, n, pp);
            if (ret < 0) {
                lastError = (int) ret;
                return null;
            }
            if (pp != 0) {
                k.mem().write64(file + k.off("file_f_pos"), k.mem().read64(pp));
            }
            return k.mem().read(buf, (int) Math.min(ret, n));
        }

        /** {@code ksys_write()} + {@code vfs_write()}. */
        @Override
        public long write(byte[] data) {
            if ((fmode() & k.off("FMODE_WRITE")) == 0) {
                return -Errno.EBADF;
            }
            long n = Math.min(data.length, k.profile().value("MAX_RW_COUNT"));
            long buf = k.tasks().current().ioBuffer(k.mem(), Math.max(n, 1));
            k.mem().write(buf, data, 0, (int) n);
            Vfs.syscall(k, "NR_write", Tasks.FD, buf, data.length);
            long pp = position(n);
            if (isErr(pp)) {
                return pp;
            }
            long ret = doWrite(buf, n, pp);
            if (ret >= 0 && pp != 0) {
                k.mem().write64(file + k.off("file_f_pos"), k.mem().read64(pp));
            }
            return ret;
        }

        /** {@code ksys_lseek()}: EINVAL for a bad whence, ESPIPE without FMODE_LSEEK. */
        @Override
        public long lseek(long offset, int whence) {
            if (whence < 0 || whence > 4) {
                return -Errno.EINVAL;
            }
            if ((fmode() & k.off("FMODE_LSEEK")) == 0) {
                return -Errno.ESPIPE;
            }
            Vfs.syscall(k, "NR_lseek", Tasks.FD, offset, whence);
            return doLseek(offset, whence);
        }

        /** {@code mmap(2)}: {@code ksys_mmap_pgoff()} on this file, for the Java program. */
        @Override
        public long mmap(long len, long prot, long flags, long pgoff) {
            Vfs.syscall(k, "NR_mmap", 0, len, prot, flags, Tasks.FD, pgoff << 12);
            long r = k.call(k.sym("ksys_mmap_pgoff"), 0, len, prot, flags, file, pgoff);
            k.tasks().current().runTaskWork();
            return r;
        }

        /** {@code ioctl(2)}: the generic commands of {@code do_vfs_ioctl()}, then {@code vfs_ioctl()}. */
        @Override
        public long ioctl(int cmd, long arg) {
            return (int) k.call(k.sym("__x64_sys_ioctl"), file, Integer.toUnsignedLong(cmd), arg);
        }

        /** {@code ioctl(2)} of a 32-bit process: {@code compat_sys_ioctl()}. */
        @Override
        public long compatIoctl(int cmd, int arg) {
            return (int) k.call(k.sym("__ia32_compat_sys_ioctl"), file, Integer.toUnsignedLong(cmd),
                    Integer.toUnsignedLong(arg));
        }

        /** {@code poll(2)} of this file alone with a zero timeout: the events it reports now. */
        @Override
        public int poll(int events) {
            return (int) k.call(k.sym("do_pollfd"), file, events & 0xffff);
        }

        @Override
        public int lastError() {
            return lastError;
        }

        /**
         * {@code close(2)}: the descriptor's reference to the file goes; the release runs with the
         * last reference ({@link Files#fput}), which a mapping of the file may still hold.
         */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            Vfs.syscall(k, "NR_close", Tasks.FD);
            fput(k, file);
            k.tasks().current().runTaskWork();
        }

        /** {@code __fput()}: the release operation, then the struct file is freed. */
        void release() {
            try {
                doRelease();
            } finally {
                k.slab().kfree(ppos);
                freeFile(k, file);
            }
        }
    }

    /**
     * An open file whose {@code f_op} are used as the VFS uses them: {@code vfs_read()},
     * {@code vfs_write()}, {@code vfs_llseek()} and {@code __fput()} on the CPU (character device
     * files).
     */
    public static final class VfsOpenFile extends GuestOpenFile {
        public VfsOpenFile(KernelContext k, long file) {
            super(k, file);
        }

        @Override
        protected long doRead(long buf, long count, long ppos) {
            return k.call(k.sym("vfs_read"), file, buf, count, ppos);
        }

        @Override
        protected long doWrite(long buf, long count, long ppos) {
            return k.call(k.sym("vfs_write"), file, buf, count, ppos);
        }

        @Override
        protected long doLseek(long offset, int whence) {
            return k.call(k.sym("vfs_llseek"), file, offset, whence);
        }

        @Override
        protected void doRelease() {
            k.call(k.sym("__fput"), file);
        }
    }

    /**
     * Opens {@code inode} as the VFS does for a special file: a struct file holding
     * {@code fops_get(inode->i_fop)}, then {@code do_dentry_open()} on the CPU.
     *
     * @throws Vfs.OpenError with the errno the open returned
     */
    public static OpenFile openInode(KernelContext k, long inode, long dentry, int flags) {
        long fop = k.mem().read64(inode + k.off("inode_i_fop"));
        long file = allocFile(k, inode, dentry, flags, fop);
        int rv = (int) k.call(k.sym("do_dentry_open"), file, inode, 0);
        if (rv != 0) {
            freeFile(k, file);
            throw new Vfs.OpenError(-rv);
        }
        return new VfsOpenFile(k, file);
    }
}
