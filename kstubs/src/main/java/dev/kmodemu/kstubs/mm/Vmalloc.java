package dev.kmodemu.kstubs.mm;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * mm/vmalloc.c: virtually contiguous allocations in the vmalloc area, page-granular, each
 * followed by an unmapped guard page, so running off the end faults as on the real kernel.
 */
public final class Vmalloc {
    private final KernelContext k;

    public Vmalloc(KernelContext k) {
        this.k = k;
    }

    /** Allocates {@code size} bytes of zeroed pages; 0 if {@code size} is 0 or too large. */
    public long vmalloc(long size) {
        if (size <= 0 || size > (1L << 34)) {
            return 0;
        }
        AddressSpace.Region r = k.machine().vmallocArea().allocate(size, AddressSpace.PAGE, AddressSpace.RW,
                "vmalloc");
        return r == null ? 0 : r.base();
    }

    /** Frees a vmalloc allocation; false if {@code addr} is not one. */
    public boolean vfree(long addr) {
        return addr == 0 || k.machine().vmallocArea().free(addr);
    }

    /** void *vmalloc(unsigned long size) */
    @KernelSymbol({"vmalloc", "vzalloc", "vmalloc_user", "vmalloc_32"})
    static long vmallocSym(KernelContext k, long size) {
        return k.vmalloc().vmalloc(size);
    }

    /** void *__vmalloc(unsigned long size, gfp_t gfp_mask) */
    @KernelSymbol("__vmalloc")
    static long vmallocGfp(KernelContext k, long size, int gfp) {
        return k.vmalloc().vmalloc(size);
    }

    /** void *vmalloc_node(unsigned long size, int node) */
    @KernelSymbol({"vmalloc_node", "vzalloc_node"})
    static long vmallocNode(KernelContext k, long size, int node) {
        return k.vmalloc().vmalloc(size);
    }

    /** void vfree(const void *addr) */
    @KernelSymbol("vfree")
    static void vfree(KernelContext k, long addr) {
        if (!k.vmalloc().vfree(addr)) {
            k.printk(4, "Trying to vfree() nonexistent vm area (" + String.format("%016x", addr) + ")");
        }
    }

    /** void *kvmalloc_node(size_t size, gfp_t flags, int node) */
    @KernelSymbol("kvmalloc_node")
    static long kvmallocNode(KernelContext k, long size, int flags, int node) {
        long p = k.slab().kmalloc(size, flags);
        return p != 0 ? p : k.vmalloc().vmalloc(size);
    }

    /** void kvfree(const void *addr) */
    @KernelSymbol("kvfree")
    public static void kvfree(KernelContext k, long addr) {
        if (k.machine().vmallocArea().contains(addr)) {
            vfree(k, addr);
        } else {
            Slab.kfreeSym(k, addr);
        }
    }

    /** bool is_vmalloc_addr(const void *x): {@code VMALLOC_START <= x < VMALLOC_END} */
    @KernelSymbol("is_vmalloc_addr")
    static boolean isVmallocAddr(KernelContext k, long x) {
        return k.machine().vmallocArea().contains(x);
    }
}
