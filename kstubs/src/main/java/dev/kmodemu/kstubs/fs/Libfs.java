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

    // ---------------------------------------------------------------- simple attributes

    /**
     * {@code struct simple_attr} (private to libfs.c): get, set, get_buf[24], set_buf[24], data, fmt,
     * then the mutex.
     */
    private static final int ATTR_GET = 0;
    private static final int ATTR_SET = 8;
    private static final int ATTR_GET_BUF = 16;
    private static final int ATTR_SET_BUF = 40;
    private static final int ATTR_BUF = 24;
    private static final int ATTR_DATA = 64;
    private static final int ATTR_FMT = 72;
    private static final int ATTR_MUTEX = 80;

    /**
     * int simple_attr_open(struct inode *inode, struct file *file, int (*get)(void *, u64 *),
     * int (*set)(void *, u64), const char *fmt)
     */
    @KernelSymbol("simple_attr_open")
    static int simpleAttrOpen(KernelContext k, long inode, long file, long get, long set, long fmt) {
        long attr = k.slab().kmalloc(ATTR_MUTEX + k.off("mutex_sizeof"), 0xcc0 | 0x100);
        if (attr == 0) {
            return -Errno.ENOMEM;
        }
        var m = k.mem();
        m.write64(attr + ATTR_GET, get);
        m.write64(attr + ATTR_SET, set);
        m.write64(attr + ATTR_DATA, m.read64(inode + k.off("inode_i_private")));
        m.write64(attr + ATTR_FMT, fmt);
        k.call(k.sym("__mutex_init"), attr + ATTR_MUTEX, 0, 0);
        m.write64(file + k.off("file_private_data"), attr);
        return nonseekableOpen(k, inode, file);
    }

    /** int simple_attr_release(struct inode *inode, struct file *file) */
    @KernelSymbol("simple_attr_release")
    static int simpleAttrRelease(KernelContext k, long inode, long file) {
        k.slab().kfree(k.mem().read64(file + k.off("file_private_data")));
        return 0;
    }

    /** ssize_t simple_attr_read(struct file *file, char __user *buf, size_t len, loff_t *ppos) */
    @KernelSymbol("simple_attr_read")
    static long simpleAttrRead(KernelContext k, long file, long buf, long len, long ppos) {
        var m = k.mem();
        long attr = m.read64(file + k.off("file_private_data"));
        long get = m.read64(attr + ATTR_GET);
        if (get == 0) {
            return -Errno.EACCES;
        }
        k.call(k.sym("mutex_lock"), attr + ATTR_MUTEX);
        try {
            long size;
            if (m.read64(ppos) != 0 && m.read8(attr + ATTR_GET_BUF) != 0) {
                size = m.readCBytes(attr + ATTR_GET_BUF, ATTR_BUF).length;
            } else {
                long val = k.slab().kmalloc(8, 0xcc0);
                try {
                    int ret = (int) k.call(get, m.read64(attr + ATTR_DATA), val);
                    if (ret != 0) {
                        return ret;
                    }
                    byte[] text = dev.kmodemu.kstubs.printk.Printk.format(k, m.readCString(m.read64(attr + ATTR_FMT), 4096),
                            m.read64(val));
                    size = Math.min(text.length, ATTR_BUF - 1);
                    byte[] field = new byte[ATTR_BUF];
                    System.arraycopy(text, 0, field, 0, (int) size);
                    m.write(attr + ATTR_GET_BUF, field);
                } finally {
                    k.slab().kfree(val);
                }
            }
            return simpleReadFromBuffer(k, buf, len, ppos, attr + ATTR_GET_BUF, size);
        } finally {
            k.call(k.sym("mutex_unlock"), attr + ATTR_MUTEX);
        }
    }

    /** {@code simple_attr_write_xsigned()}. */
    private static long simpleAttrWrite(KernelContext k, long file, long buf, long len, boolean signed) {
        var m = k.mem();
        long attr = m.read64(file + k.off("file_private_data"));
        long set = m.read64(attr + ATTR_SET);
        if (set == 0) {
            return -Errno.EACCES;
        }
        k.call(k.sym("mutex_lock"), attr + ATTR_MUTEX);
        long val = k.slab().kmalloc(8, 0xcc0);
        try {
            long size = Long.compareUnsigned(len, ATTR_BUF - 1) < 0 ? len : ATTR_BUF - 1;
            if (k.call(k.sym("_copy_from_user"), attr + ATTR_SET_BUF, buf, size) != 0) {
                return -Errno.EFAULT;
            }
            m.write8(attr + ATTR_SET_BUF + size, 0);
            int ret = (int) k.call(k.sym(signed ? "kstrtoll" : "kstrtoull"), attr + ATTR_SET_BUF, 0, val);
            if (ret != 0) {
                return ret;
            }
            ret = (int) k.call(set, m.read64(attr + ATTR_DATA), m.read64(val));
            return ret == 0 ? len : ret;
        } finally {
            k.slab().kfree(val);
            k.call(k.sym("mutex_unlock"), attr + ATTR_MUTEX);
        }
    }

    /** ssize_t simple_attr_write(struct file *file, const char __user *buf, size_t len, loff_t *ppos) */
    @KernelSymbol("simple_attr_write")
    static long simpleAttrWriteSym(KernelContext k, long file, long buf, long len, long ppos) {
        return simpleAttrWrite(k, file, buf, len, false);
    }

    /** ssize_t simple_attr_write_signed(struct file *file, const char __user *buf, size_t len, loff_t *ppos) */
    @KernelSymbol("simple_attr_write_signed")
    static long simpleAttrWriteSigned(KernelContext k, long file, long buf, long len, long ppos) {
        return simpleAttrWrite(k, file, buf, len, true);
    }
}
