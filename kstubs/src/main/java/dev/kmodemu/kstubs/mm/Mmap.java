package dev.kmodemu.kstubs.mm;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/** mm/mmap.c: unmapping the current process's memory ({@code vm_munmap()}). */
public final class Mmap {
    private Mmap() {
    }

    /**
     * {@code int vm_munmap(unsigned long start, size_t len)}: {@code do_mas_munmap()} of the current
     * process: -EINVAL for an unaligned start, a zero length or a range beyond the user address
     * space; unmapping where nothing is mapped succeeds.
     */
    @KernelSymbol("vm_munmap")
    static int vmMunmap(KernelContext k, long start, long len) {
        long page = AddressSpace.PAGE;
        long taskSize = k.profile().value("TASK_SIZE_MAX");
        if ((start & (page - 1)) != 0 || Long.compareUnsigned(start, taskSize) > 0
                || Long.compareUnsigned(len, taskSize - start) > 0) {
            return -Errno.EINVAL;
        }
        long size = (len + page - 1) & -page;
        if (size == 0) {
            return -Errno.EINVAL;
        }
        var t = k.tasks().current();
        if (t.hasMm()) {
            t.userUnmap(k.mem(), start, size);
        }
        return 0;
    }
}
