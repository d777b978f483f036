package dev.kmodemu.kstubs.mm;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.lib.StackDepot;

import java.util.HashMap;
import java.util.Map;

/**
 * mm/vmalloc.c: virtually contiguous allocations in the vmalloc area, page-granular, each
 * followed by an unmapped guard page, so running off the end faults as on the real kernel. With
 * KASAN ({@code CONFIG_KASAN_VMALLOC}) the rest of the last page after the size asked for is
 * poisoned, so an overflow inside that page is reported as {@code vmalloc-out-of-bounds}.
 */
public final class Vmalloc {
    /**
     * A vmalloc area: its start, pages, {@code vm->caller} (where vmalloc was called from), the size
     * asked for, where it was allocated (with KASAN or kmemleak on) and the module that did.
     */
    public record Area(long base, long pages, long caller, long size, StackDepot.Track alloc, String module) {
    }

    private final KernelContext k;
    private final Map<Long, Area> areas = new HashMap<>();

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
        if (r == null) {
            return 0;
        }
        var f = k.frame();
        boolean track = k.checks().kasan() || k.checks().kmemleak();
        String module = f != null && Slab.ALLOCATORS.contains(f.symbol()) ? k.modules().nameAt(f.returnAddress()) : null;
        areas.put(r.base(), new Area(r.base(), r.size() / AddressSpace.PAGE, f == null ? 0 : f.returnAddress(), size,
                track ? StackDepot.track(k) : null, module));
        Kasan kasan = k.slab().kasan();
        if (kasan != null && size < r.size()) {
            long tail = (r.base() + size + Kasan.GRANULE - 1) & -Kasan.GRANULE;
            kasan.unpoison(r.base(), size);
            kasan.poison(tail, r.end() - tail, Kasan.VMALLOC_INVALID);
        }
        return r.base();
    }

    /** Frees a vmalloc allocation; false if {@code addr} is not one. */
    public boolean vfree(long addr) {
        if (addr == 0) {
            return true;
        }
        AddressSpace.Region r = k.machine().vmallocArea().at(addr);
        if (r == null || !areas.containsKey(addr)) {
            return false;
        }
        Kasan kasan = k.slab().kasan();
        if (kasan != null) {
            kasan.poison(r.base(), r.size(), (byte) 0);
        }
        areas.remove(addr);
        return k.machine().vmallocArea().free(addr);
    }

    /** The vmalloc area containing {@code va} (its guard page included), or null. */
    public Area area(long va) {
        if (!k.machine().vmallocArea().contains(va)) {
            return null;
        }
        for (Area a : areas.values()) {
            if (Long.compareUnsigned(va - a.base(), (a.pages() + 1) * AddressSpace.PAGE) < 0) {
                return a;
            }
        }
        return null;
    }

    /** The live vmalloc areas. */
    public java.util.Collection<Area> areas() {
        return areas.values();
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
