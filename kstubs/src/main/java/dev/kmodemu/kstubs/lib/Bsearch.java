package dev.kmodemu.kstubs.lib;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/** lib/bsearch.c: binary search calling the caller's comparison function. */
public final class Bsearch {
    private Bsearch() {
    }

    /**
     * void *bsearch(const void *key, const void *base, size_t num, size_t size, cmp_func_t cmp)
     *
     * <p>{@code __inline_bsearch()}: the same pivots, so {@code cmp(key, elt)} sees the same calls.
     */
    @KernelSymbol("bsearch")
    static long bsearch(KernelContext k, long key, long base, long num, long size, long cmp) {
        while (num != 0) {
            long pivot = base + (num >>> 1) * size;
            int result = (int) k.call(cmp, key, pivot);
            if (result == 0) {
                return pivot;
            }
            if (result > 0) {
                base = pivot + size;
                num--;
            }
            num >>>= 1;
        }
        return 0;
    }
}
