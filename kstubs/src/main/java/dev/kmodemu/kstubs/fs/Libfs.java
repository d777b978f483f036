package dev.kmodemu.kstubs.fs;

import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.lib.Usercopy;

/**
 * fs/libfs.c: the helpers that move a kernel buffer to and from user memory at a file position
 * ({@code simple_read_from_buffer()}, {@code simple_write_to_buffer()}). {@code *ppos} is a
 * kernel pointer (a bad one oopses); the user side gives short counts or -EFAULT.
 */
public final class Libfs {
    private Libfs() {
    }

    /**
     * ssize_t simple_read_from_buffer(void __user *to, size_t count, loff_t *ppos, const void *from,
     * size_t available)
     */
    @KernelSymbol("simple_read_from_buffer")
    static long simpleReadFromBuffer(KernelContext k, long to, long count, long ppos, long from, long available) {
        long pos = k.mem().read64(ppos);
        if (pos < 0) {
            return -Errno.EINVAL;
        }
        if (Long.compareUnsigned(pos, available) >= 0 || count == 0) {
            return 0;
        }
        if (Long.compareUnsigned(count, available - pos) > 0) {
            count = available - pos;
        }
        long ret = Usercopy.copyToUser(k, to, from + pos, count);
        if (ret == count) {
            return -Errno.EFAULT;
        }
        count -= ret;
        k.mem().write64(ppos, pos + count);
        return count;
    }

    /**
     * ssize_t simple_write_to_buffer(void *to, size_t available, loff_t *ppos, const void __user
     * *from, size_t count)
     */
    @KernelSymbol("simple_write_to_buffer")
    static long simpleWriteToBuffer(KernelContext k, long to, long available, long ppos, long from, long count) {
        long pos = k.mem().read64(ppos);
        if (pos < 0) {
            return -Errno.EINVAL;
        }
        if (Long.compareUnsigned(pos, available) >= 0 || count == 0) {
            return 0;
        }
        if (Long.compareUnsigned(count, available - pos) > 0) {
            count = available - pos;
        }
        long res = Usercopy.copyFromUser(k, to + pos, from, count);
        if (res == count) {
            return -Errno.EFAULT;
        }
        count -= res;
        k.mem().write64(ppos, pos + count);
        return count;
    }

    /** int simple_open(struct inode *inode, struct file *file) */
    @KernelSymbol("simple_open")
    static int simpleOpen(KernelContext k, long inode, long file) {
        long priv = k.mem().read64(inode + k.off("inode_i_private"));
        if (priv != 0) {
            k.mem().write64(file + k.off("file_private_data"), priv);
        }
        return 0;
    }

    /** int nonseekable_open(struct inode *inode, struct file *filp) */
    @KernelSymbol("nonseekable_open")
    static int nonseekableOpen(KernelContext k, long inode, long file) {
        int mode = k.mem().read32(file + k.off("file_f_mode"));
        k.mem().write32(file + k.off("file_f_mode"),
                mode & ~(k.off("FMODE_LSEEK") | k.off("FMODE_PREAD") | k.off("FMODE_PWRITE")));
        return 0;
    }

    /**
     * int stream_open(struct inode *inode, struct file *filp): no positions at all; read and write
     * get a NULL {@code ppos}.
     */
    @KernelSymbol("stream_open")
    static int streamOpen(KernelContext k, long inode, long file) {
        int mode = k.mem().read32(file + k.off("file_f_mode"));
        k.mem().write32(file + k.off("file_f_mode"), (mode & ~(k.off("FMODE_LSEEK") | k.off("FMODE_PREAD")
                | k.off("FMODE_PWRITE") | k.off("FMODE_ATOMIC_POS"))) | k.off("FMODE_STREAM"));
        return 0;
    }
}
