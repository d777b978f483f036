package dev.kmodemu.kstubs.kernel.dma;

import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.drivers.base.Core;
import dev.kmodemu.kstubs.drivers.base.Devres;
import dev.kmodemu.kstubs.kernel.Oops;
import dev.kmodemu.kstubs.lib.Scatterlist;
import dev.kmodemu.kstubs.mm.Memory;
import dev.kmodemu.kstubs.mm.PageAlloc;
import dev.kmodemu.kstubs.mm.Pages;

import java.nio.charset.StandardCharsets;

/**
 * kernel/dma/mapping.c and kernel/dma/direct.c as Debian's x86-64 kernel runs them on a machine
 * without an IOMMU: {@code get_dma_ops()} is NULL (neither the device's {@code dma_ops} nor the
 * arch's {@code dma_ops} is set), so every call goes to dma-direct, where a DMA address is the
 * physical address of the memory ({@code phys_to_dma()} is the identity without SME and without
 * a {@code dma_range_map}). x86 is cache coherent, so the syncs and unmaps do no cache
 * maintenance, and with the emulated 2 GiB of memory {@code pci_swiotlb_detect()} leaves swiotlb
 * off (all memory is below 4 GiB), so nothing is bounced. Coherent allocations come from the page
 * allocator ({@code CONFIG_DMA_CMA} is off in Debian's kernel) and are zeroed. The emulated
 * memory starts at 16 MiB, so there are no {@code ZONE_DMA} pages: an allocation for a device
 * whose coherent mask is below 16 MiB fails ({@code dma_coherent_ok()} rejects every page), where
 * the real kernel would take it from the first 16 MiB. {@code CONFIG_DMA_API_DEBUG} is off, so
 * nothing is checked or logged beyond what mapping.c and direct.c do themselves.
 */
public final class Mapping {
    private Mapping() {
    }

    private static final String FILE = "kernel/dma/mapping.c:";

    // ---------------------------------------------------------------- helpers

    private static long rd(KernelContext k, long at) {
        return k.mem().read64(at);
    }

    private static long pageAlign(long size) {
        return (size + Pages.PAGE - 1) & -Pages.PAGE;
    }

    /** {@code get_order()}. */
    static int getOrder(long size) {
        size = (size - 1) >>> Pages.PAGE_SHIFT;
        return 64 - Long.numberOfLeadingZeros(size);
    }

    /** The device's {@code dma_mask} pointer. */
    private static long dmaMaskPtr(KernelContext k, long dev) {
        return rd(k, dev + k.off("device_dma_mask"));
    }

    private static long coherentMask(KernelContext k, long dev) {
        return rd(k, dev + k.off("device_coherent_dma_mask"));
    }

    private static long busLimit(KernelContext k, long dev) {
        return rd(k, dev + k.off("device_bus_dma_limit"));
    }

    /** {@code min_not_zero()} of two unsigned masks. */
    private static long minNotZero(long a, long b) {
        if (a == 0) {
            return b;
        }
        if (b == 0) {
            return a;
        }
        return Long.compareUnsigned(a, b) < 0 ? a : b;
    }

    /** {@code max_pfn}: the emulated machine's memory ends where its direct map does. */
    static long maxPfn() {
        return Machine.DIRECT_MAP_SIZE >>> Pages.PAGE_SHIFT;
    }

    /** {@code valid_dma_direction()}: BUG otherwise. */
    private static void checkDirection(KernelContext k, int dir, String line) {
        if (Integer.compareUnsigned(dir, 2) > 0) {
            throw Oops.bug(k, FILE + line);
        }
    }

    /** {@code page_to_phys()}. */
    private static long pageToPhys(KernelContext k, long page) {
        return Pages.pageToPfn(k, page) << Pages.PAGE_SHIFT;
    }

    /**
     * {@code dma_capable()} (include/linux/dma-direct.h): the last byte lies under the device's
     * mask and its bus's limit.
     */
    private static boolean dmaCapable(KernelContext k, long dev, long addr, long size) {
        if (addr == -1L) {
            return false;
        }
        long end = addr + size - 1;
        return Long.compareUnsigned(end, minNotZero(rd(k, dmaMaskPtr(k, dev)), busLimit(k, dev))) <= 0;
    }

    /** The "DMA addr %pad+%zu overflow (mask %llx, bus limit %llx)." of direct.h and direct.c. */
    private static String overflow(KernelContext k, long dev, long addr, long size) {
        return String.format("%s %s: DMA addr 0x%016x+%d overflow (mask %x, bus limit %x).",
                Core.driverString(k, dev), Core.name(k, dev), addr, size, rd(k, dmaMaskPtr(k, dev)), busLimit(k, dev));
    }

    /**
     * {@code dma_direct_map_page()}: the physical address, if the device can reach it; else
     * {@code dev_WARN_ONCE()} and {@code DMA_MAPPING_ERROR} (no swiotlb to bounce through).
     */
    private static long directMapPage(KernelContext k, long dev, long page, long offset, long size) {
        long addr = pageToPhys(k, page) + offset;
        if (!dmaCapable(k, dev, addr, size)) {
            if (k.state(OverflowWarned.class, OverflowWarned::new).done++ == 0) {
                Oops.warn(k, "kernel/dma/direct.h:103", "dma_map_page_attrs", overflow(k, dev, addr, size));
            }
            return -1L;
        }
        return addr;
    }

    private static final class OverflowWarned {
        int done;
    }

    /**
     * {@code __dma_direct_alloc_pages()}: pages from the page allocator for {@code size} bytes
     * (page aligned), rejected if {@code dma_coherent_ok()} fails for the device's coherent mask
     * and bus limit; the retries with {@code GFP_DMA32} and {@code GFP_DMA} the kernel makes then
     * find no other memory here (all of it is in ZONE_DMA32).
     */
    private static long directAllocPages(KernelContext k, long dev, long size, int gfp) {
        long page = PageAlloc.allocPages(k, gfp, getOrder(size));
        if (page == 0) {
            return 0;
        }
        long limit = minNotZero(coherentMask(k, dev), busLimit(k, dev));
        if (Long.compareUnsigned(pageToPhys(k, page) + size - 1, limit) > 0) {
            PageAlloc.freePagesStruct(k, page, getOrder(size));
            return 0;
        }
        return page;
    }

    private static int stripZones(KernelContext k, int gfp) {
        return gfp & ~(int) (k.off("GFP_DMA") | k.off("GFP_DMA32") | k.off("GFP_HIGHMEM"));
    }

    // ---------------------------------------------------------------- masks

    /**
     * {@code dma_direct_supported()}: the mask must reach all of ZONE_DMA (24 bits) or all of
     * memory, whichever ends lower.
     */
    static boolean supported(KernelContext k, long mask) {
        long minMask = (maxPfn() - 1) << Pages.PAGE_SHIFT;
        long zoneDma = (1L << k.off("ZONE_DMA_BITS")) - 1;
        minMask = Math.min(minMask, zoneDma);
        return Long.compareUnsigned(mask, minMask) >= 0;
    }

    /** int dma_set_mask(struct device *dev, u64 mask) */
    @KernelSymbol("dma_set_mask")
    static int dmaSetMask(KernelContext k, long dev, long mask) {
        long p = dmaMaskPtr(k, dev);
        if (p == 0 || !supported(k, mask)) {
            return -Errno.EIO;
        }
        k.mem().write64(p, mask);
        return 0;
    }

    /** int dma_set_coherent_mask(struct device *dev, u64 mask) */
    @KernelSymbol("dma_set_coherent_mask")
    static int dmaSetCoherentMask(KernelContext k, long dev, long mask) {
        if (!supported(k, mask)) {
            return -Errno.EIO;
        }
        k.mem().write64(dev + k.off("device_coherent_dma_mask"), mask);
        return 0;
    }

    /**
     * u64 dma_get_required_mask(struct device *dev): {@code dma_direct_get_required_mask()}, the
     * smallest all-ones mask covering the last page frame.
     */
    @KernelSymbol("dma_get_required_mask")
    static long dmaGetRequiredMask(KernelContext k, long dev) {
        long maxDma = (maxPfn() - 1) << Pages.PAGE_SHIFT;
        return (1L << (63 - Long.numberOfLeadingZeros(maxDma))) * 2 - 1;
    }

    /** size_t dma_max_mapping_size(struct device *dev): SIZE_MAX with swiotlb inactive */
    @KernelSymbol({"dma_max_mapping_size", "dma_opt_mapping_size"})
    static long dmaMaxMappingSize(KernelContext k, long dev) {
        return -1L;
    }

    /** bool dma_need_sync(struct device *dev, dma_addr_t dma_addr): coherent and never bounced */
    @KernelSymbol("dma_need_sync")
    static boolean dmaNeedSync(KernelContext k, long dev, long addr) {
        return false;
    }

    /** unsigned long dma_get_merge_boundary(struct device *dev): 0, no IOMMU merges segments */
    @KernelSymbol("dma_get_merge_boundary")
    static long dmaGetMergeBoundary(KernelContext k, long dev) {
        return 0;
    }

    /** bool dma_can_mmap(struct device *dev): {@code dma_direct_can_mmap()}, coherent */
    @KernelSymbol("dma_can_mmap")
    static boolean dmaCanMmap(KernelContext k, long dev) {
        return true;
    }

    // ---------------------------------------------------------------- streaming mappings

    /**
     * dma_addr_t dma_map_page_attrs(struct device *dev, struct page *page, size_t offset, size_t
     * size, enum dma_data_direction dir, unsigned long attrs)
     */
    @KernelSymbol("dma_map_page_attrs")
    static long dmaMapPageAttrs(KernelContext k, long dev, long page, long offset, long size, int dir, long attrs) {
        checkDirection(k, dir, "150");
        if (dmaMaskPtr(k, dev) == 0) {
            Oops.warnOnce(k, FILE + "152", "dma_map_page_attrs");
            return -1L;
        }
        return directMapPage(k, dev, page, offset, size);
    }

    /**
     * void dma_unmap_page_attrs(struct device *dev, dma_addr_t addr, size_t size, enum
     * dma_data_direction dir, unsigned long attrs): nothing to sync or release on coherent x86.
     */
    @KernelSymbol("dma_unmap_page_attrs")
    static void dmaUnmapPageAttrs(KernelContext k, long dev, long addr, long size, int dir, long attrs) {
        checkDirection(k, dir, "172");
    }

    /** {@code __dma_map_sg_attrs()} through {@code dma_direct_map_sg()}: entries mapped, or -EIO. */
    private static int mapSg(KernelContext k, long dev, long sgl, int nents, int dir) {
        checkDirection(k, dir, "188");
        if (dmaMaskPtr(k, dev) == 0) {
            Oops.warnOnce(k, FILE + "190", "dma_map_sg_attrs");
            return 0;
        }
        long sg = sgl;
        for (int i = 0; i < nents; i++, sg = Scatterlist.next(k, sg)) {
            long addr = directMapPage(k, dev, Scatterlist.page(k, sg), Scatterlist.offset(k, sg),
                    Integer.toUnsignedLong(Scatterlist.length(k, sg)));
            if (addr == -1L) {
                return -Errno.EIO;
            }
            k.mem().write64(sg + k.off("scatterlist_dma_address"), addr);
            k.mem().write32(sg + k.off("scatterlist_dma_length"), Scatterlist.length(k, sg));
        }
        return nents;
    }

    /**
     * unsigned int dma_map_sg_attrs(struct device *dev, struct scatterlist *sg, int nents, enum
     * dma_data_direction dir, unsigned long attrs): 0 on failure
     */
    @KernelSymbol("dma_map_sg_attrs")
    static int dmaMapSgAttrs(KernelContext k, long dev, long sg, int nents, int dir, long attrs) {
        int ents = mapSg(k, dev, sg, nents, dir);
        return Math.max(ents, 0);
    }

    /**
     * int dma_map_sgtable(struct device *dev, struct sg_table *sgt, enum dma_data_direction dir,
     * unsigned long attrs): {@code sgt->nents} set, or the error
     */
    @KernelSymbol("dma_map_sgtable")
    static int dmaMapSgtable(KernelContext k, long dev, long sgt, int dir, long attrs) {
        int nents = mapSg(k, dev, rd(k, sgt + k.off("sg_table_sgl")), k.mem().read32(sgt + k.off("sg_table_orig_nents")), dir);
        if (nents < 0) {
            return nents;
        }
        k.mem().write32(sgt + k.off("sg_table_nents"), nents);
        return 0;
    }

    /** void dma_unmap_sg_attrs(struct device *dev, struct scatterlist *sg, int nents, enum dma_data_direction dir, unsigned long attrs) */
    @KernelSymbol("dma_unmap_sg_attrs")
    static void dmaUnmapSgAttrs(KernelContext k, long dev, long sg, int nents, int dir, long attrs) {
        checkDirection(k, dir, "282");
    }

    /**
     * dma_addr_t dma_map_resource(struct device *dev, phys_addr_t phys_addr, size_t size, enum
     * dma_data_direction dir, unsigned long attrs): {@code dma_direct_map_resource()}
     */
    @KernelSymbol("dma_map_resource")
    static long dmaMapResource(KernelContext k, long dev, long phys, long size, int dir, long attrs) {
        checkDirection(k, dir, "301");
        if (dmaMaskPtr(k, dev) == 0) {
            Oops.warnOnce(k, FILE + "303", "dma_map_resource");
            return -1L;
        }
        if (!dmaCapable(k, dev, phys, size)) {
            if (k.state(ResourceWarned.class, ResourceWarned::new).done++ == 0) {
                k.printk(3, overflow(k, dev, phys, size));
            }
            Oops.warnOnce(k, "kernel/dma/direct.c:526", "dma_map_resource");
            return -1L;
        }
        return phys;
    }

    private static final class ResourceWarned {
        int done;
    }

    /** void dma_unmap_resource(struct device *dev, dma_addr_t addr, size_t size, enum dma_data_direction dir, unsigned long attrs) */
    @KernelSymbol("dma_unmap_resource")
    static void dmaUnmapResource(KernelContext k, long dev, long addr, long size, int dir, long attrs) {
        checkDirection(k, dir, "320");
    }

    /**
     * void dma_sync_single_for_cpu(struct device *dev, dma_addr_t addr, size_t size, enum
     * dma_data_direction dir), and the other syncs: coherent caches, no bounce buffer, so nothing
     * to copy or flush once the direction is checked.
     */
    @KernelSymbol({"dma_sync_single_for_cpu", "dma_sync_single_for_device"})
    static void dmaSyncSingle(KernelContext k, long dev, long addr, long size, int dir) {
        checkDirection(k, dir, "332");
    }

    /** void dma_sync_sg_for_cpu(struct device *dev, struct scatterlist *sg, int nelems, enum dma_data_direction dir) */
    @KernelSymbol({"dma_sync_sg_for_cpu", "dma_sync_sg_for_device"})
    static void dmaSyncSg(KernelContext k, long dev, long sg, int nelems, int dir) {
        checkDirection(k, dir, "358");
    }

    // ---------------------------------------------------------------- coherent allocations

    /**
     * void *dma_alloc_attrs(struct device *dev, size_t size, dma_addr_t *dma_handle, gfp_t flag,
     * unsigned long attrs): {@code dma_direct_alloc()}, zeroed pages of the direct map (with
     * {@code DMA_ATTR_NO_KERNEL_MAPPING} the page pointer is the cookie).
     */
    @KernelSymbol("dma_alloc_attrs")
    public static long dmaAllocAttrs(KernelContext k, long dev, long size, long handle, int gfp, long attrs) {
        if (coherentMask(k, dev) == 0) {
            Oops.warnOnce(k, FILE + "499", "dma_alloc_attrs");
        }
        gfp = stripZones(k, gfp);
        size = pageAlign(size);
        if ((attrs & k.off("DMA_ATTR_NO_WARN")) != 0) {
            gfp |= (int) k.off("GFP_NOWARN");
        }
        long zero = k.off("GFP_ZERO");
        long page = directAllocPages(k, dev, size, gfp & ~(int) zero);
        if (page == 0) {
            return 0;
        }
        k.mem().write64(handle, pageToPhys(k, page));
        if ((attrs & k.off("DMA_ATTR_NO_KERNEL_MAPPING")) != 0) {
            return page;
        }
        long va = Pages.pageAddress(k, page);
        k.mem().fill(va, size, (byte) 0);
        return va;
    }

    /**
     * void dma_free_attrs(struct device *dev, size_t size, void *cpu_addr, dma_addr_t dma_handle,
     * unsigned long attrs): {@code dma_direct_free()}, the pages back to the page allocator.
     */
    @KernelSymbol("dma_free_attrs")
    public static void dmaFreeAttrs(KernelContext k, long dev, long size, long cpuAddr, long handle, long attrs) {
        if (cpuAddr == 0) {
            return;
        }
        size = pageAlign(size);
        long page = (attrs & k.off("DMA_ATTR_NO_KERNEL_MAPPING")) != 0 ? cpuAddr
                : Pages.pfnToPage(k, handle >>> Pages.PAGE_SHIFT);
        PageAlloc.freePagesStruct(k, page, getOrder(size));
    }

    /** {@code struct dma_devres}: size, vaddr, dma_handle, attrs. */
    private static final int DEVRES_SIZE = 32;

    /** The devres names of {@code devres_alloc(dmam_release, ...)}. */
    @KernelData(value = "dmam_release_name", section = Machine.Section.RODATA, size = 16)
    static void dmamReleaseName(KernelContext k, long at) {
        k.mem().poke(at, "dmam_release\0".getBytes(StandardCharsets.US_ASCII));
    }

    /** static void dmam_release(struct device *dev, void *res) */
    @KernelSymbol(value = "dmam_release", internal = true)
    static void dmamRelease(KernelContext k, long dev, long res) {
        dmaFreeAttrs(k, dev, rd(k, res), rd(k, res + 8), rd(k, res + 16), rd(k, res + 24));
    }

    /** static int dmam_match(struct device *dev, void *res, void *match_data): same vaddr and handle, WARN if the size differs */
    @KernelSymbol(value = "dmam_match", internal = true)
    static int dmamMatch(KernelContext k, long dev, long res, long match) {
        if (rd(k, res + 8) != rd(k, match + 8)) {
            return 0;
        }
        if (rd(k, res) != rd(k, match) || rd(k, res + 16) != rd(k, match + 16)) {
            Oops.warn(k, FILE + "45", "dmam_match", null);
        }
        return 1;
    }

    /**
     * void *dmam_alloc_attrs(struct device *dev, size_t size, dma_addr_t *dma_handle, gfp_t gfp,
     * unsigned long attrs): freed when the driver detaches
     */
    @KernelSymbol("dmam_alloc_attrs")
    static long dmamAllocAttrs(KernelContext k, long dev, long size, long handle, int gfp, long attrs) {
        long dr = Devres.devresAllocNode(k, k.sym("dmam_release"), DEVRES_SIZE, gfp, -1, k.sym("dmam_release_name"));
        if (dr == 0) {
            return 0;
        }
        long vaddr = dmaAllocAttrs(k, dev, size, handle, gfp, attrs);
        if (vaddr == 0) {
            Devres.devresFree(k, dr);
            return 0;
        }
        k.mem().write64(dr, size);
        k.mem().write64(dr + 8, vaddr);
        k.mem().write64(dr + 16, rd(k, handle));
        k.mem().write64(dr + 24, attrs);
        Devres.devresAdd(k, dev, dr);
        return vaddr;
    }

    /** void dmam_free_coherent(struct device *dev, size_t size, void *vaddr, dma_addr_t dma_handle) */
    @KernelSymbol("dmam_free_coherent")
    static void dmamFreeCoherent(KernelContext k, long dev, long size, long vaddr, long handle) {
        dmaFreeAttrs(k, dev, size, vaddr, handle, 0);
        long match = k.slab().kmalloc(DEVRES_SIZE, 0xcc0);
        k.mem().write64(match, size);
        k.mem().write64(match + 8, vaddr);
        k.mem().write64(match + 16, handle);
        k.mem().write64(match + 24, 0);
        int ret = Devres.devresDestroy(k, dev, k.sym("dmam_release"), k.sym("dmam_match"), match);
        k.slab().kfree(match);
        if (ret != 0) {
            Oops.warn(k, FILE + "66", "dmam_free_coherent", null);
        }
    }

    /**
     * int dma_mmap_attrs(struct device *dev, struct vm_area_struct *vma, void *cpu_addr,
     * dma_addr_t dma_addr, size_t size, unsigned long attrs): {@code dma_direct_mmap()}, the
     * buffer's frames from {@code vm_pgoff} on, or -ENXIO if the vma runs past the buffer.
     */
    @KernelSymbol("dma_mmap_attrs")
    static int dmaMmapAttrs(KernelContext k, long dev, long vma, long cpuAddr, long dmaAddr, long size, long attrs) {
        return mmapFrames(k, vma, dmaAddr >>> Pages.PAGE_SHIFT, size);
    }

    /** The shared tail of {@code dma_direct_mmap()} and {@code dma_mmap_pages()}. */
    private static int mmapFrames(KernelContext k, long vma, long pfn, long size) {
        long start = rd(k, vma + k.off("vm_area_struct_vm_start"));
        long userCount = (rd(k, vma + k.off("vm_area_struct_vm_end")) - start) >>> Pages.PAGE_SHIFT;
        long count = pageAlign(size) >>> Pages.PAGE_SHIFT;
        long pgoff = rd(k, vma + k.off("vm_area_struct_vm_pgoff"));
        if (Long.compareUnsigned(pgoff, count) >= 0 || Long.compareUnsigned(userCount, count - pgoff) > 0) {
            return -Errno.ENXIO;
        }
        return Memory.remapPfnRange(k, vma, start, pfn + pgoff, userCount << Pages.PAGE_SHIFT,
                rd(k, vma + k.off("vm_area_struct_vm_page_prot")));
    }

    /**
     * int dma_get_sgtable_attrs(struct device *dev, struct sg_table *sgt, void *cpu_addr,
     * dma_addr_t dma_addr, size_t size, unsigned long attrs): {@code dma_direct_get_sgtable()},
     * one entry over the buffer's pages
     */
    @KernelSymbol("dma_get_sgtable_attrs")
    static int dmaGetSgtableAttrs(KernelContext k, long dev, long sgt, long cpuAddr, long dmaAddr, long size, long attrs) {
        if (!Scatterlist.allocTable(k, sgt, 1, 0xcc0)) {
            return -Errno.ENOMEM;
        }
        Scatterlist.setPage(k, rd(k, sgt + k.off("sg_table_sgl")), Pages.pfnToPage(k, dmaAddr >>> Pages.PAGE_SHIFT),
                (int) pageAlign(size), 0);
        return 0;
    }

    // ---------------------------------------------------------------- non-coherent pages

    /** {@code __dma_alloc_pages()} through {@code dma_direct_alloc_pages()}. */
    private static long allocPagesFor(KernelContext k, long dev, long size, long handle, int gfp) {
        if (coherentMask(k, dev) == 0) {
            Oops.warnOnce(k, FILE + "551", "dma_alloc_pages");
            return 0;
        }
        if ((gfp & (k.off("GFP_DMA") | k.off("GFP_DMA32") | k.off("GFP_HIGHMEM"))) != 0) {
            Oops.warnOnce(k, FILE + "553", "dma_alloc_pages");
            return 0;
        }
        size = pageAlign(size);
        long page = directAllocPages(k, dev, size, gfp);
        if (page == 0) {
            return 0;
        }
        k.mem().fill(Pages.pageAddress(k, page), size, (byte) 0);
        k.mem().write64(handle, pageToPhys(k, page));
        return page;
    }

    /**
     * struct page *dma_alloc_pages(struct device *dev, size_t size, dma_addr_t *dma_handle, enum
     * dma_data_direction dir, gfp_t gfp)
     */
    @KernelSymbol("dma_alloc_pages")
    static long dmaAllocPages(KernelContext k, long dev, long size, long handle, int dir, int gfp) {
        return allocPagesFor(k, dev, size, handle, gfp);
    }

    /** void dma_free_pages(struct device *dev, size_t size, struct page *page, dma_addr_t dma_handle, enum dma_data_direction dir) */
    @KernelSymbol("dma_free_pages")
    static void dmaFreePages(KernelContext k, long dev, long size, long page, long handle, int dir) {
        PageAlloc.freePagesStruct(k, page, getOrder(pageAlign(size)));
    }

    /** int dma_mmap_pages(struct device *dev, struct vm_area_struct *vma, size_t size, struct page *page) */
    @KernelSymbol("dma_mmap_pages")
    static int dmaMmapPages(KernelContext k, long dev, long vma, long size, long page) {
        return mmapFrames(k, vma, Pages.pageToPfn(k, page), size);
    }

    /**
     * struct sg_table *dma_alloc_noncontiguous(struct device *dev, size_t size, enum
     * dma_data_direction dir, gfp_t gfp, unsigned long attrs): without an IOMMU,
     * {@code alloc_single_sgt()}: one contiguous block in a one-entry table.
     */
    @KernelSymbol("dma_alloc_noncontiguous")
    static long dmaAllocNoncontiguous(KernelContext k, long dev, long size, int dir, int gfp, long attrs) {
        if ((attrs & ~k.off("DMA_ATTR_ALLOC_SINGLE_PAGES")) != 0) {
            Oops.warnOnce(k, FILE + "638", "dma_alloc_noncontiguous");
            return 0;
        }
        long sgt = k.slab().kmalloc(k.off("sg_table_sizeof"), gfp);
        if (sgt == 0) {
            return 0;
        }
        if (!Scatterlist.allocTable(k, sgt, 1, gfp)) {
            k.slab().kfree(sgt);
            return 0;
        }
        long sg = rd(k, sgt + k.off("sg_table_sgl"));
        long page = allocPagesFor(k, dev, size, sg + k.off("scatterlist_dma_address"), gfp);
        if (page == 0) {
            Scatterlist.freeTable(k, sgt);
            k.slab().kfree(sgt);
            return 0;
        }
        Scatterlist.setPage(k, sg, page, (int) pageAlign(size), 0);
        k.mem().write32(sg + k.off("scatterlist_dma_length"), Scatterlist.length(k, sg));
        k.mem().write32(sgt + k.off("sg_table_nents"), 1);
        return sgt;
    }

    /** void dma_free_noncontiguous(struct device *dev, size_t size, struct sg_table *sgt, enum dma_data_direction dir) */
    @KernelSymbol("dma_free_noncontiguous")
    static void dmaFreeNoncontiguous(KernelContext k, long dev, long size, long sgt, int dir) {
        long sg = rd(k, sgt + k.off("sg_table_sgl"));
        PageAlloc.freePagesStruct(k, Scatterlist.page(k, sg), getOrder(pageAlign(size)));
        Scatterlist.freeTable(k, sgt);
        k.slab().kfree(sgt);
    }

    /** void *dma_vmap_noncontiguous(struct device *dev, size_t size, struct sg_table *sgt): the block's direct-map address */
    @KernelSymbol("dma_vmap_noncontiguous")
    static long dmaVmapNoncontiguous(KernelContext k, long dev, long size, long sgt) {
        return Pages.pageAddress(k, Scatterlist.page(k, rd(k, sgt + k.off("sg_table_sgl"))));
    }

    /** void dma_vunmap_noncontiguous(struct device *dev, void *vaddr): nothing was vmapped */
    @KernelSymbol("dma_vunmap_noncontiguous")
    static void dmaVunmapNoncontiguous(KernelContext k, long dev, long vaddr) {
    }

    /** int dma_mmap_noncontiguous(struct device *dev, struct vm_area_struct *vma, size_t size, struct sg_table *sgt) */
    @KernelSymbol("dma_mmap_noncontiguous")
    static int dmaMmapNoncontiguous(KernelContext k, long dev, long vma, long size, long sgt) {
        return dmaMmapPages(k, dev, vma, size, Scatterlist.page(k, rd(k, sgt + k.off("sg_table_sgl"))));
    }

    // ---------------------------------------------------------------- data

    /** {@code const struct dma_map_ops *dma_ops} (arch/x86/kernel/pci-dma.c): NULL, no IOMMU or GART. */
    @KernelData(value = "dma_ops", size = 8)
    static void dmaOps(KernelContext k, long at) {
    }
}
