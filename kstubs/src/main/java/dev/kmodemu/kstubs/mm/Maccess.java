package dev.kmodemu.kstubs.mm;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.kernel.Oops;

/** mm/maccess.c: the report of a copy larger than its destination object. */
public final class Maccess {
    private Maccess() {
    }

    /** void __copy_overflow(int size, unsigned long count) */
    @KernelSymbol("__copy_overflow")
    static void copyOverflow(KernelContext k, int size, long count) {
        Oops.warn(k, "mm/maccess.c:228", "__copy_overflow",
                "Buffer overflow detected (" + size + " < " + Long.toUnsignedString(count) + ")!");
    }
}
