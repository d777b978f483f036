package dev.kmodemu.kstubs.mm;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.lib.StackDepot;

import java.util.HashMap;
import java.util.Map;

/**
 * mm/vmalloc.c: virtually contiguous allocations in the vmalloc area, page-granular, each
 * followed by an unmapped guard page, so running off the end faults as on the real kernel. The
 * pages behind an area come from the page allocator, one reference each, and are also in the
 * direct map ({@code vmalloc_to_page()}, {@code page_address()} of them, user mappings of them);
 * kmodemu takes them as one run of the direct map, which the kernel need not. With KASAN
 * ({@code CONFIG_KASAN_VMALLOC}) the rest of the last page after the size asked for is poisoned,
 * so an overflow inside that page is reported as {@code vmalloc-out-of-bounds}.
 */
public final class Vmalloc {
    /**
     * A vmalloc area: its start, the direct-map address of its pages, their number, its
     * {@code VM_*} flags, {@code vm->caller} (where vmalloc was called from), the size asked for,
     * where it was allocated (with KASAN or kmemleak on) and the module that did.
     */
    public record Area(long base, long direct, long pages, long flags, long caller, long size, StackDepot.Track alloc,
            String module) {
        /** {@code get_vm_area_size()}: the area without its guard page. */
        long areaSize() {
            return pages * AddressSpace.PAGE;
        }
    }

    private final KernelContext k;
    private final Map<Long, Area> areas = new HashMap<>();
    /** The areas {@code vmap()} made: base → the struct pages mapped, in order. */
    private final java.util.TreeMap<Long, long[]> vmaps = new java.util.TreeMap<>(Long::compareUnsigned);

    public Vmalloc(KernelContext k) {
        this.k = k;
    }

    /** Allocates {@code size} bytes of zeroed pages; 0 if {@code size} is 0 or too large. */
    public long vmalloc(long size) {
        return vmalloc(size, Gfp.KERNEL, 0);
    }

    /**
     * {@code __vmalloc_node_range()}: the pages ({@code __vmalloc_area_node()}), then the area
     * mapping them; {@code vmFlags} such as {@code VM_USERMAP} are kept with the area.
     */
    long vmalloc(long size, int gfp, long vmFlags) {
        if (size <= 0 || size > (1L << 34)) {
            return 0;
        }
        long pages = (size + AddressSpace.PAGE - 1) / AddressSpace.PAGE;
        long direct = PageAlloc.allocPageRun(k, pages, gfp, "vmalloc pages");
        if (direct == 0) {
            return 0;
        }
        AddressSpace.Region r = k.machine().vmallocArea().allocateAlias(direct, pages * AddressSpace.PAGE,
                AddressSpace.PAGE, AddressSpace.RW, "vmalloc");
        if (r == null) {
            freePages(direct, pages);
            return 0;
        }
        var f = k.frame();
        boolean track = k.checks().kasan() || k.checks().kmemleak();
        String module = f != null && Slab.ALLOCATORS.contains(f.symbol()) ? k.modules().nameAt(f.returnAddress()) : null;
        areas.put(r.base(), new Area(r.base(), direct, pages, vmFlags, f == null ? 0 : f.returnAddress(), size,
                track ? StackDepot.track(k) : null, module));
        Kasan kasan = k.slab().kasan();
        if (kasan != null && size < r.size()) {
            long tail = (r.base() + size + Kasan.GRANULE - 1) & -Kasan.GRANULE;
            kasan.unpoison(r.base(), size);
            kasan.poison(tail, r.end() - tail, Kasan.VMALLOC_INVALID);
        }
        return r.base();
    }

    private void freePages(long direct, long pages) {
        for (long i = 0; i < pages; i++) {
            PageAlloc.freePages(k, direct + i * AddressSpace.PAGE, 0);
        }
    }

    /** Frees a vmalloc allocation: the area goes, its pages lose the area's reference. */
    public boolean vfree(long addr) {
        if (addr == 0) {
            return true;
        }
        AddressSpace.Region r = k.machine().vmallocArea().at(addr);
        Area a = areas.get(addr);
        if (r == null || a == null) {
            return false;
        }
        Kasan kasan = k.slab().kasan();
        if (kasan != null) {
            kasan.poison(r.base(), r.size(), (byte) 0);
        }
        areas.remove(addr);
        if (!k.machine().vmallocArea().free(addr)) {
            return false;
        }
        freePages(a.direct(), a.pages());
        return true;
    }

    /** The area {@code addr} lies in (guard page excluded), or null ({@code find_vm_area()} of any address in it). */
    Area areaOf(long addr) {
        AddressSpace.Region r = k.machine().vmallocArea().containing(addr);
        return r == null ? null : areas.get(r.base());
    }

    /**
     * {@code vmalloc_to_page()}: the page mapped at a vmalloc address, or NULL (nothing mapped
     * there, or memory kmodemu does not take from the page allocator: module memory and stacks).
     */
    public long vmallocToPage(long addr) {
        AddressSpace.Region r = k.machine().vmallocArea().containing(addr);
        if (r != null) {
            var e = vmaps.floorEntry(addr);
            if (e != null && Long.compareUnsigned(addr - e.getKey(), e.getValue().length * AddressSpace.PAGE) < 0) {
                return e.getValue()[(int) ((addr - e.getKey()) >>> Pages.PAGE_SHIFT)];
            }
        }
        Area a = areaOf(addr);
        if (a == null) {
            return 0;
        }
        return Pages.virtToPage(k, a.direct() + ((addr - a.base()) & -AddressSpace.PAGE));
    }

    /** The vmalloc address that shows direct-map address {@code direct}, or -1 if no area's pages hold it. */
    public long vmallocAddressOf(long direct) {
        for (Area a : areas.values()) {
            if (Long.compareUnsigned(direct - a.direct(), a.areaSize()) < 0) {
                return a.base() + (direct - a.direct());
            }
        }
        return -1;
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
    @KernelSymbol({"vmalloc", "vmalloc_32"})
    static long vmallocSym(KernelContext k, long size) {
        return k.vmalloc().vmalloc(size);
    }

    /** void *vzalloc(unsigned long size) */
    @KernelSymbol("vzalloc")
    public static long vzalloc(KernelContext k, long size) {
        return k.vmalloc().vmalloc(size, Gfp.KERNEL | Gfp.ZERO, 0);
    }

    /** void *vmalloc_user(unsigned long size): zeroed, and {@code VM_USERMAP} so it may be mapped to user space */
    @KernelSymbol({"vmalloc_user", "vmalloc_32_user"})
    static long vmallocUser(KernelContext k, long size) {
        return k.vmalloc().vmalloc(size, Gfp.KERNEL | Gfp.ZERO, k.profile().value("VM_USERMAP"));
    }

    /** void *__vmalloc(unsigned long size, gfp_t gfp_mask) */
    @KernelSymbol("__vmalloc")
    static long vmallocGfp(KernelContext k, long size, int gfp) {
        return k.vmalloc().vmalloc(size, gfp, 0);
    }

    /** void *vmalloc_node(unsigned long size, int node) */
    @KernelSymbol("vmalloc_node")
    static long vmallocNode(KernelContext k, long size, int node) {
        return k.vmalloc().vmalloc(size);
    }

    /** void *vzalloc_node(unsigned long size, int node): zeroed, as {@code vzalloc()} */
    @KernelSymbol("vzalloc_node")
    static long vzallocNode(KernelContext k, long size, int node) {
        return vzalloc(k, size);
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
        return p != 0 ? p : k.vmalloc().vmalloc(size, flags, 0);
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

    /** struct page *vmalloc_to_page(const void *vmalloc_addr) */
    @KernelSymbol("vmalloc_to_page")
    static long vmallocToPageSym(KernelContext k, long addr) {
        return k.vmalloc().vmallocToPage(addr);
    }

    /** unsigned long vmalloc_to_pfn(const void *vmalloc_addr): {@code page_to_pfn()} of it, NULL included */
    @KernelSymbol("vmalloc_to_pfn")
    static long vmallocToPfn(KernelContext k, long addr) {
        return Pages.pageToPfn(k, k.vmalloc().vmallocToPage(addr));
    }

    /**
     * {@code remap_vmalloc_range_partial()} (not exported): of {@code vma} at {@code uaddr},
     * {@code size} bytes from {@code pgoff} pages into the area at {@code kaddr}: page-aligned addresses, an area made
     * for user mappings ({@code VM_USERMAP}) that holds {@code pgoff} pages plus {@code size};
     * each page through {@code vm_insert_page()}, then {@code VM_DONTEXPAND|VM_DONTDUMP}.
     */
    static int remapVmallocRangePartial(KernelContext k, long vma, long uaddr, long kaddr, long pgoff, long size) {
        if (Long.compareUnsigned(pgoff, -1L >>> 12) > 0) {
            return -dev.kmodemu.kstubs.Errno.EINVAL;
        }
        long off = pgoff << 12;
        size = (size + AddressSpace.PAGE - 1) & -AddressSpace.PAGE;
        if (((uaddr | kaddr) & (AddressSpace.PAGE - 1)) != 0) {
            return -dev.kmodemu.kstubs.Errno.EINVAL;
        }
        Area a = k.vmalloc().areas.get(kaddr);
        if (a == null) {
            a = k.vmalloc().areaOf(kaddr);
        }
        if (a == null || (a.flags() & (k.profile().value("VM_USERMAP") | k.profile().value("VM_DMA_COHERENT"))) == 0) {
            return -dev.kmodemu.kstubs.Errno.EINVAL;
        }
        long end = size + off;
        if (Long.compareUnsigned(end, size) < 0 || Long.compareUnsigned(end, a.areaSize()) > 0) {
            return -dev.kmodemu.kstubs.Errno.EINVAL;
        }
        kaddr += off;
        do {
            int ret = Memory.vmInsertPage(k, vma, uaddr, k.vmalloc().vmallocToPage(kaddr));
            if (ret != 0) {
                return ret;
            }
            uaddr += AddressSpace.PAGE;
            kaddr += AddressSpace.PAGE;
            size -= AddressSpace.PAGE;
        } while (size > 0);
        long flags = vma + k.off("vm_area_struct_vm_flags");
        k.mem().write64(flags, k.mem().read64(flags) | k.profile().value("VM_DONTEXPAND") | k.profile().value("VM_DONTDUMP"));
        return 0;
    }

    /** int remap_vmalloc_range(struct vm_area_struct *vma, void *addr, unsigned long pgoff): the whole vma */
    @KernelSymbol("remap_vmalloc_range")
    static int remapVmallocRange(KernelContext k, long vma, long addr, long pgoff) {
        long start = k.mem().read64(vma + k.off("vm_area_struct_vm_start"));
        long end = k.mem().read64(vma + k.off("vm_area_struct_vm_end"));
        return remapVmallocRangePartial(k, vma, start, addr, pgoff, end - start);
    }

    /**
     * void *vmap(struct page **pages, unsigned int count, unsigned long flags, pgprot_t prot): a
     * new area of the vmalloc space showing the pages in order (each still in the direct map),
     * with its guard page ({@code VM_NO_GUARD} is refused with a WARN_ON_ONCE); NULL for no pages
     * or more pages than the machine has. Caching attributes in {@code prot} change nothing the emulated
     * CPU shows, and as {@code vmap()} does with {@code pgprot_nx()} the area is not executable.
     */
    @KernelSymbol("vmap")
    static long vmap(KernelContext k, long pages, int count, long flags, long prot) {
        if ((flags & k.profile().value("VM_NO_GUARD")) != 0) {
            dev.kmodemu.kstubs.kernel.Oops.warnOnce(k, "mm/vmalloc.c:2913", "vmap");
        }
        long n = Integer.toUnsignedLong(count);
        if (n == 0 || n > k.mem().read64(k.sym("_totalram_pages"))) {
            return 0;
        }
        long[] structs = new long[(int) n];
        long[] direct = new long[(int) n];
        for (int i = 0; i < n; i++) {
            structs[i] = k.mem().read64(pages + 8L * i);
            direct[i] = Pages.pageAddress(k, structs[i]);
        }
        int perms = (prot & k.profile().value("_PAGE_RW")) != 0 ? AddressSpace.RW : AddressSpace.R;
        long base = k.machine().vmallocArea().allocateAliases(direct, perms, "vmap");
        if (base == -1) {
            return 0;
        }
        k.vmalloc().vmaps.put(base, structs);
        return base;
    }

    /** void vunmap(const void *addr): the area goes, the pages stay the caller's */
    @KernelSymbol("vunmap")
    static void vunmap(KernelContext k, long addr) {
        if (addr == 0) {
            return;
        }
        if ((addr & (AddressSpace.PAGE - 1)) != 0) {
            k.printk(4, String.format("Trying to vunmap() bad address (%016x)", addr));
            return;
        }
        if (k.vmalloc().vmaps.remove(addr) == null || !k.machine().vmallocArea().free(addr)) {
            k.printk(3, String.format("Trying to vfree() nonexistent vm area (%016x)", addr));
        }
    }
}
