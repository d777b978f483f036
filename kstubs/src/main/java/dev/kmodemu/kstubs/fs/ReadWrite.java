package dev.kmodemu.kstubs.fs;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.lib.Usercopy;

/**
 * fs/read_write.c: {@code vfs_read()}, {@code vfs_write()}, {@code vfs_llseek()} over a file's
 * {@code f_op}, and the llseek helpers file_operations point at.
 */
public final class ReadWrite {
    private ReadWrite() {
    }

    private static final long OFFSET_MAX = Long.MAX_VALUE;
    private static final int SEEK_DATA = 3;
    private static final int SEEK_HOLE = 4;

    private static long fpos(KernelContext k, long file) {
        return file + k.off("file_f_pos");
    }

    private static long isize(KernelContext k, long file) {
        long inode = k.mem().read64(file + k.off("file_f_inode"));
        return inode == 0 ? 0 : k.mem().read64(inode + k.off("inode_i_size"));
    }

    /** loff_t vfs_setpos(struct file *file, loff_t offset, loff_t maxsize) */
    @KernelSymbol("vfs_setpos")
    static long vfsSetpos(KernelContext k, long file, long offset, long maxsize) {
        if (offset < 0 || offset > maxsize) {
            return -Errno.EINVAL;
        }
        k.mem().write64(fpos(k, file), offset);
        return offset;
    }

    /**
     * loff_t generic_file_llseek_size(struct file *file, loff_t offset, int whence, loff_t maxsize,
     * loff_t eof)
     */
    @KernelSymbol("generic_file_llseek_size")
    static long genericFileLlseekSize(KernelContext k, long file, long offset, int whence, long maxsize, long eof) {
        AddressSpace mem = k.mem();
        switch (whence) {
            case OpenFile.SEEK_END -> offset += eof;
            case OpenFile.SEEK_CUR -> {
                if (offset == 0) {
                    return mem.read64(fpos(k, file));
                }
                offset += mem.read64(fpos(k, file));
                return vfsSetpos(k, file, offset, maxsize);
            }
            case SEEK_DATA -> {
                if (offset < 0 || offset >= eof) {
                    return -Errno.ENXIO;
                }
            }
            case SEEK_HOLE -> {
                if (offset < 0 || offset >= eof) {
                    return -Errno.ENXIO;
                }
                offset = eof;
            }
            default -> {
            }
        }
        return vfsSetpos(k, file, offset, maxsize);
    }

    /** loff_t generic_file_llseek(struct file *file, loff_t offset, int whence) */
    @KernelSymbol("generic_file_llseek")
    static long genericFileLlseek(KernelContext k, long file, long offset, int whence) {
        return genericFileLlseekSize(k, file, offset, whence, OFFSET_MAX, isize(k, file));
    }

    /** loff_t fixed_size_llseek(struct file *file, loff_t offset, int whence, loff_t size) */
    @KernelSymbol("fixed_size_llseek")
    static long fixedSizeLlseek(KernelContext k, long file, long offset, int whence, long size) {
        return switch (whence) {
            case OpenFile.SEEK_SET, OpenFile.SEEK_CUR, OpenFile.SEEK_END ->
                    genericFileLlseekSize(k, file, offset, whence, size, size);
            default -> -Errno.EINVAL;
        };
    }

    /** loff_t no_seek_end_llseek(struct file *file, loff_t offset, int whence) */
    @KernelSymbol("no_seek_end_llseek")
    static long noSeekEndLlseek(KernelContext k, long file, long offset, int whence) {
        return switch (whence) {
            case OpenFile.SEEK_SET, OpenFile.SEEK_CUR -> genericFileLlseekSize(k, file, offset, whence, OFFSET_MAX, 0);
            default -> -Errno.EINVAL;
        };
    }

    /** loff_t noop_llseek(struct file *file, loff_t offset, int whence) */
    @KernelSymbol("noop_llseek")
    static long noopLlseek(KernelContext k, long file, long offset, int whence) {
        return k.mem().read64(fpos(k, file));
    }

    /** loff_t default_llseek(struct file *file, loff_t offset, int whence) */
    @KernelSymbol("default_llseek")
    static long defaultLlseek(KernelContext k, long file, long offset, int whence) {
        AddressSpace mem = k.mem();
        long size = isize(k, file);
        switch (whence) {
            case OpenFile.SEEK_END -> offset += size;
            case OpenFile.SEEK_CUR -> {
                if (offset == 0) {
                    return mem.read64(fpos(k, file));
                }
                offset += mem.read64(fpos(k, file));
            }
            case SEEK_DATA -> {
                if (offset >= size) {
                    return -Errno.ENXIO;
                }
            }
            case SEEK_HOLE -> {
                if (offset >= size) {
                    return -Errno.ENXIO;
                }
                offset = size;
            }
            default -> {
            }
        }
        if (offset >= 0) {
            mem.write64(fpos(k, file), offset);
            return offset;
        }
        return -Errno.EINVAL;
    }

    private static long fop(KernelContext k, long file, String field) {
        long fops = k.mem().read64(file + k.off("file_f_op"));
        return k.mem().read64(fops + k.off("file_operations_" + field));
    }

    /**
     * ssize_t vfs_read(struct file *file, char __user *buf, size_t count, loff_t *pos)
     *
     * <p>The position was checked by the caller ({@code rw_verify_area()}). A {@code read_iter}
     * other than {@code seq_read_iter} is refused with -EINVAL (no iov_iter users here).
     */
    @KernelSymbol(value = "vfs_read", internal = true)
    static long vfsRead(KernelContext k, long file, long buf, long count, long pos) {
        int mode = k.mem().read32(file + k.off("file_f_mode"));
        if ((mode & k.off("FMODE_READ")) == 0) {
            return -Errno.EBADF;
        }
        if ((mode & k.off("FMODE_CAN_READ")) == 0) {
            return -Errno.EINVAL;
        }
        if (!Usercopy.accessOk(k, buf, count)) {
            return -Errno.EFAULT;
        }
        long read = fop(k, file, "read");
        if (read != 0) {
            return k.call(read, file, buf, count, pos);
        }
        if (fop(k, file, "read_iter") == k.sym("seq_read_iter")) {
            return SeqFile.readToUser(k, file, buf, count, pos);
        }
        return -Errno.EINVAL;
    }

    /**
     * ssize_t vfs_write(struct file *file, const char __user *buf, size_t count, loff_t *pos)
     *
     * <p>A {@code write_iter} is refused with -EINVAL (no iov_iter users here).
     */
    @KernelSymbol(value = "vfs_write", internal = true)
    static long vfsWrite(KernelContext k, long file, long buf, long count, long pos) {
        int mode = k.mem().read32(file + k.off("file_f_mode"));
        if ((mode & k.off("FMODE_WRITE")) == 0) {
            return -Errno.EBADF;
        }
        if ((mode & k.off("FMODE_CAN_WRITE")) == 0) {
            return -Errno.EINVAL;
        }
        if (!Usercopy.accessOk(k, buf, count)) {
            return -Errno.EFAULT;
        }
        long write = fop(k, file, "write");
        return write != 0 ? k.call(write, file, buf, count, pos) : -Errno.EINVAL;
    }

    /** loff_t vfs_llseek(struct file *file, loff_t offset, int whence) */
    @KernelSymbol("vfs_llseek")
    static long vfsLlseek(KernelContext k, long file, long offset, int whence) {
        if ((k.mem().read32(file + k.off("file_f_mode")) & k.off("FMODE_LSEEK")) == 0) {
            return -Errno.ESPIPE;
        }
        return k.call(fop(k, file, "llseek"), file, offset, whence);
    }
}
