package dev.kmodemu.kstubs.fs;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/** fs/read_write.c: the llseek helpers file_operations point at. */
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
}
