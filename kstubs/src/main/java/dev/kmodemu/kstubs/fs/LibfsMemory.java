package dev.kmodemu.kstubs.fs;

import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * fs/libfs.c, its kernel-memory copy helper {@code memory_read_from_buffer()} (the file helpers
 * of fs/libfs.c are in {@link Libfs}; this one is used by library code such as lib/bitmap.c).
 */
public final class LibfsMemory {
    private LibfsMemory() {
    }

    /**
     * ssize_t memory_read_from_buffer(void *to, size_t count, loff_t *ppos, const void *from,
     * size_t available)
     */
    @KernelSymbol("memory_read_from_buffer")
    public static long memoryReadFromBuffer(KernelContext k, long to, long count, long ppos, long from,
            long available) {
        long pos = k.mem().read64(ppos);
        if (pos < 0) {
            return -Errno.EINVAL;
        }
        if (Long.compareUnsigned(pos, available) >= 0) {
            return 0;
        }
        if (Long.compareUnsigned(count, available - pos) > 0) {
            count = available - pos;
        }
        if (count != 0) {
            k.mem().copy(to, from + pos, count);
        }
        k.mem().write64(ppos, pos + count);
        return count;
    }
}
