package dev.kmodemu.kstubs.lib;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * lib/sort.c: the kernel's bottom-up heapsort, with the same sequence of comparisons and swaps,
 * so the caller's {@code cmp_func} and {@code swap_func} see exactly the calls they see on the
 * kernel (not stable, as there).
 */
public final class Sort {
    private Sort() {
    }

    /** The element swap: the caller's function, or the built-in word/byte swap (same result). */
    private static void swap(KernelContext k, long a, long b, long size, long swapFunc, boolean withPriv, long priv) {
        if (swapFunc != 0) {
            if (withPriv) {
                k.call(swapFunc, a, b, (int) size, priv);
            } else {
                k.call(swapFunc, a, b, (int) size);
            }
            return;
        }
        byte[] x = k.mem().read(a, (int) size);
        k.mem().copy(a, b, size);
        k.mem().write(b, x);
    }

    private static int cmp(KernelContext k, long a, long b, long cmpFunc, boolean withPriv, long priv) {
        return (int) (withPriv ? k.call(cmpFunc, a, b, priv) : k.call(cmpFunc, a, b));
    }

    /** {@code parent()}: the parent of element offset {@code i} in the implicit heap. */
    private static long parent(long i, long lsbit, long size) {
        i -= size;
        i -= size & -(i & lsbit);
        return Long.divideUnsigned(i, 2);
    }

    /** sort_r() with the caller's functions taking {@code priv} ({@code withPriv}) or not (sort()). */
    private static void heapsort(KernelContext k, long base, long num, long size, long cmpFunc, long swapFunc,
            boolean withPriv, long priv) {
        long n = num * size;
        long a = (num >>> 1) * size;
        long lsbit = size & -size;
        if (a == 0) {
            return;
        }
        while (true) {
            long b;
            long c;
            long d;
            if (a != 0) {
                a -= size;
            } else if ((n -= size) != 0) {
                swap(k, base, base + n, size, swapFunc, withPriv, priv);
            } else {
                break;
            }
            for (b = a; Long.compareUnsigned(d = (c = 2 * b + size) + size, n) < 0;) {
                b = cmp(k, base + c, base + d, cmpFunc, withPriv, priv) >= 0 ? c : d;
            }
            if (d == n) {
                b = c;
            }
            while (b != a && cmp(k, base + a, base + b, cmpFunc, withPriv, priv) >= 0) {
                b = parent(b, lsbit, size);
            }
            c = b;
            while (b != a) {
                b = parent(b, lsbit, size);
                swap(k, base + b, base + c, size, swapFunc, withPriv, priv);
            }
        }
    }

    /**
     * void sort_r(void *base, size_t num, size_t size, cmp_r_func_t cmp_func,
     * swap_r_func_t swap_func, const void *priv)
     */
    @KernelSymbol("sort_r")
    static void sortR(KernelContext k, long base, long num, long size, long cmpFunc, long swapFunc, long priv) {
        heapsort(k, base, num, size, cmpFunc, swapFunc, true, priv);
    }

    /** void sort(void *base, size_t num, size_t size, cmp_func_t cmp_func, swap_func_t swap_func) */
    @KernelSymbol("sort")
    static void sort(KernelContext k, long base, long num, long size, long cmpFunc, long swapFunc) {
        heapsort(k, base, num, size, cmpFunc, swapFunc, false, 0);
    }
}
