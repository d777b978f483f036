package dev.kmodemu.kstubs.mm;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.kernel.Oops;

/**
 * mm/percpu.c: dynamic per-cpu allocations from the first chunk's dynamic part (one CPU, so one
 * copy). A {@code __percpu} pointer is the offset from the per-cpu base, as on x86-64 where
 * {@code __per_cpu_start} is 0: {@code per_cpu_ptr(p, 0)} is {@code p + __per_cpu_offset[0]} and
 * {@code this_cpu_*()} reach it through %gs. Memory comes zeroed. Sizes are rounded to
 * {@code PCPU_MIN_ALLOC_SIZE} (4) and alignment is at least that, as {@code pcpu_alloc()} does.
 */
public final class Percpu {
    private Percpu() {
    }

    private static final long PCPU_MIN_ALLOC_SIZE = 4;
    private static final int GFP_NOWARN = 0x2000;

    /** {@code pcpu_alloc()}: the per-cpu pointer, or 0 (with the kernel's WARN for bad arguments). */
    static long pcpuAlloc(KernelContext k, long size, long align, int gfp) {
        if (Long.compareUnsigned(align, PCPU_MIN_ALLOC_SIZE) < 0) {
            align = PCPU_MIN_ALLOC_SIZE;
        }
        size = (size + PCPU_MIN_ALLOC_SIZE - 1) & -PCPU_MIN_ALLOC_SIZE;
        if (size == 0 || Long.compareUnsigned(size, k.profile().value("PCPU_MIN_UNIT_SIZE")) > 0
                || Long.compareUnsigned(align, k.profile().value("PAGE_SIZE")) > 0 || Long.bitCount(align) != 1) {
            if ((gfp & GFP_NOWARN) == 0) {
                Oops.warn(k, "mm/percpu.c:1758", "pcpu_alloc", "illegal size (" + Long.toUnsignedString(size)
                        + ") or align (" + Long.toUnsignedString(align) + ") for percpu allocation");
            }
            return 0;
        }
        long off = k.machine().allocPercpu(size, align);
        if (off < 0) {
            return 0;
        }
        return off;
    }

    /** void __percpu *__alloc_percpu_gfp(size_t size, size_t align, gfp_t gfp) */
    @KernelSymbol("__alloc_percpu_gfp")
    static long allocPercpuGfp(KernelContext k, long size, long align, int gfp) {
        return pcpuAlloc(k, size, align, gfp);
    }

    /** void __percpu *__alloc_percpu(size_t size, size_t align) */
    @KernelSymbol("__alloc_percpu")
    static long allocPercpu(KernelContext k, long size, long align) {
        return pcpuAlloc(k, size, align, Gfp.KERNEL);
    }

    /** void free_percpu(void __percpu *ptr) */
    @KernelSymbol("free_percpu")
    static void freePercpu(KernelContext k, long ptr) {
        if (ptr == 0) {
            return;
        }
        if (!k.machine().freePercpu(ptr)) {
            k.printk(3, "kmodemu: free_percpu() of 0x" + Long.toHexString(ptr)
                    + ", which alloc_percpu did not return, ignored");
        }
    }
}
