package dev.kmodemu.kstubs.fs;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.sched.Tasks;

/**
 * {@code struct file} objects in guest memory (fs/file_table.c), and the read/write/lseek system
 * calls over them (fs/read_write.c): the position is passed to the file's operations as a
 * pointer to a kernel {@code loff_t}, the data through a buffer in the process's user memory.
 */
public final class Files {
    private Files() {
    }

    /** {@code alloc_empty_file()} + {@code do_dentry_open()}: a zeroed struct file for an inode. */
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
            long pos = k.mem().read64(file + k.off("file_f_pos"));
            k.mem().write64(ppos, pos);
            long ret = doRead(buf, n, ppos);
            if (ret < 0) {
                lastError = (int) ret;
                return null;
            }
            k.mem().write64(file + k.off("file_f_pos"), k.mem().read64(ppos));
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
            Vfs.syscall(k, "NR_write", Tasks.FD, buf, data.length);
            k.mem().write(buf, data, 0, (int) n);
            long pos = k.mem().read64(file + k.off("file_f_pos"));
            k.mem().write64(ppos, pos);
            long ret = doWrite(buf, n, ppos);
            if (ret >= 0) {
                k.mem().write64(file + k.off("file_f_pos"), k.mem().read64(ppos));
            }
            return ret;
        }

        /** {@code ksys_lseek()}: EINVAL for a bad whence, ESPIPE without FMODE_LSEEK. */
        @Override
        public long lseek(long offset, int whence) {
            Vfs.syscall(k, "NR_lseek", Tasks.FD, offset, whence);
            if (whence < 0 || whence > 4) {
                return -Errno.EINVAL;
            }
            if ((fmode() & k.off("FMODE_LSEEK")) == 0) {
                return -Errno.ESPIPE;
            }
            return doLseek(offset, whence);
        }

        @Override
        public int lastError() {
            return lastError;
        }

        /** {@code __fput()}: the release operation, then the struct file is freed. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            Vfs.syscall(k, "NR_close", Tasks.FD);
            try {
                doRelease();
            } finally {
                k.slab().kfree(ppos);
                freeFile(k, file);
            }
        }
    }
}
