package dev.kmodemu.kstubs.mm;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.firmware.Profile;
import dev.kmodemu.kstubs.KernelContext;

/**
 * The {@code struct page} helpers of include/linux/mm.h, page-flags.h, page_ref.h and
 * asm/page*.h, over the guest memory map: with {@code SPARSEMEM_VMEMMAP} the page of frame N is
 * {@code vmemmap_base + N * sizeof(struct page)}, and the direct map holds frame N at
 * {@code page_offset_base + N * PAGE_SIZE}, so {@code virt_to_page()}, {@code page_to_pfn()} and
 * {@code page_address()} are the arithmetic module code inlines. Field offsets and flag bits come
 * from the profile.
 */
public final class Pages {
    private Pages() {
    }

    public static final long PAGE = AddressSpace.PAGE;
    public static final int PAGE_SHIFT = 12;

    private static int off(KernelContext k, String key) {
        return k.off(key);
    }

    // ---------------------------------------------------------------- conversions (asm/page.h, memory_model.h)

    /** {@code __pa()} of a direct-map address: its pseudo-physical address. */
    public static long pa(KernelContext k, long va) {
        return va - k.machine().pageOffsetBase();
    }

    /** {@code __va()}. */
    public static long va(KernelContext k, long pa) {
        return pa + k.machine().pageOffsetBase();
    }

    /** {@code __pfn_to_page()}: {@code vmemmap + pfn}. */
    public static long pfnToPage(KernelContext k, long pfn) {
        return k.machine().vmemmapBase() + pfn * k.profile().value("page_sizeof");
    }

    /** {@code __page_to_pfn()}: {@code page - vmemmap}. */
    public static long pageToPfn(KernelContext k, long page) {
        return (page - k.machine().vmemmapBase()) / k.profile().value("page_sizeof");
    }

    /** {@code virt_to_page()} of a direct-map address. */
    public static long virtToPage(KernelContext k, long va) {
        return pfnToPage(k, pa(k, va) >>> PAGE_SHIFT);
    }

    /** {@code page_address()} (no highmem on x86-64: {@code lowmem_page_address()}). */
    public static long pageAddress(KernelContext k, long page) {
        return va(k, pageToPfn(k, page) << PAGE_SHIFT);
    }

    /** {@code pfn_valid()}: the frame lies in the memory map (every section of the 2 GiB machine is present). */
    public static boolean pfnValid(KernelContext k, long pfn) {
        return Long.compareUnsigned(pfn, Machine.DIRECT_MAP_SIZE >>> PAGE_SHIFT) < 0;
    }

    /** True if {@code page} points at a {@code struct page} of the memory map. */
    public static boolean isPage(KernelContext k, long page) {
        long size = k.profile().value("page_sizeof");
        long off = page - k.machine().vmemmapBase();
        return Long.compareUnsigned(off, (Machine.DIRECT_MAP_SIZE >>> PAGE_SHIFT) * size) < 0 && off % size == 0;
    }

    // ---------------------------------------------------------------- fields

    public static long flags(KernelContext k, long page) {
        return k.mem().read64(page + off(k, "page_flags"));
    }

    public static void setFlags(KernelContext k, long page, long flags) {
        k.mem().write64(page + off(k, "page_flags"), flags);
    }

    /** {@code test_bit(PG_x, &page->flags)}; {@code bit} is a profile key such as {@code "PG_reserved"}. */
    public static boolean test(KernelContext k, long page, String bit) {
        return (flags(k, page) & (1L << k.profile().value(bit))) != 0;
    }

    /** {@code set_bit()}/{@code clear_bit()} of a page flag. */
    public static void set(KernelContext k, long page, String bit, boolean on) {
        long m = 1L << k.profile().value(bit);
        long f = flags(k, page);
        setFlags(k, page, on ? f | m : f & ~m);
    }

    /** {@code page_ref_count()}. */
    public static int refcount(KernelContext k, long page) {
        return k.mem().read32(page + off(k, "page_refcount"));
    }

    /** {@code set_page_count()}. */
    public static void setRefcount(KernelContext k, long page, int v) {
        k.mem().write32(page + off(k, "page_refcount"), v);
    }

    /** {@code page_ref_add()}; returns the new count. */
    public static int refAdd(KernelContext k, long page, int n) {
        int v = refcount(k, page) + n;
        setRefcount(k, page, v);
        return v;
    }

    /** {@code page->_mapcount} (also {@code page_type}). */
    public static int mapcountRaw(KernelContext k, long page) {
        return k.mem().read32(page + off(k, "page_mapcount"));
    }

    public static void setMapcountRaw(KernelContext k, long page, int v) {
        k.mem().write32(page + off(k, "page_mapcount"), v);
    }

    public static long mapping(KernelContext k, long page) {
        return k.mem().read64(page + off(k, "page_mapping"));
    }

    public static long index(KernelContext k, long page) {
        return k.mem().read64(page + off(k, "page_index"));
    }

    public static void setPrivate(KernelContext k, long page, long v) {
        k.mem().write64(page + off(k, "page_private"), v);
    }

    public static long memcgData(KernelContext k, long page) {
        return k.mem().read64(page + off(k, "page_memcg_data"));
    }

    // ---------------------------------------------------------------- compound pages

    /** {@code PageTail()}: bit 0 of {@code compound_head}. */
    public static boolean isTail(KernelContext k, long page) {
        return (k.mem().read64(page + off(k, "page_compound_head")) & 1) != 0;
    }

    /** {@code PageHead()}. */
    public static boolean isHead(KernelContext k, long page) {
        return test(k, page, "PG_head");
    }

    /** {@code PageCompound()}. */
    public static boolean isCompound(KernelContext k, long page) {
        return isHead(k, page) || isTail(k, page);
    }

    /** {@code compound_head()}: the head of a tail page, else the page itself. */
    public static long compoundHead(KernelContext k, long page) {
        long h = k.mem().read64(page + off(k, "page_compound_head"));
        return (h & 1) != 0 ? h - 1 : page;
    }

    /** {@code compound_order()}: 0 unless a head page. */
    public static int compoundOrder(KernelContext k, long page) {
        if (!isHead(k, page)) {
            return 0;
        }
        return k.mem().read8(page + k.profile().value("page_sizeof") + off(k, "page_compound_order")) & 0xff;
    }

    /** {@code head_compound_mapcount()} of a head page. */
    public static int compoundMapcount(KernelContext k, long head) {
        return k.mem().read32(head + k.profile().value("page_sizeof") + off(k, "page_compound_mapcount")) + 1;
    }

    /** {@code head_compound_pincount()} of a head page. */
    public static int compoundPincount(KernelContext k, long head) {
        return k.mem().read32(head + k.profile().value("page_sizeof") + off(k, "page_compound_pincount"));
    }

    /** {@code page_mapcount()}: {@code __page_mapcount()} for a compound page. */
    public static int mapcount(KernelContext k, long page) {
        if (isCompound(k, page)) {
            return Util.pageMapcount(k, page);
        }
        return mapcountRaw(k, page) + 1;
    }

    // ---------------------------------------------------------------- page types

    /** {@code page_has_type()}: {@code page_type} holds a type (buddy, offline, table, guard). */
    public static boolean hasType(KernelContext k, long page) {
        long base = k.profile().value("PAGE_TYPE_BASE");
        long reserve = k.profile().value("PAGE_MAPCOUNT_RESERVE");
        return (mapcountRaw(k, page) & (int) (base | reserve)) == (int) base;
    }

    /** {@code PageBuddy()}. */
    public static boolean isBuddy(KernelContext k, long page) {
        long base = k.profile().value("PAGE_TYPE_BASE");
        long buddy = k.profile().value("PG_buddy");
        return (mapcountRaw(k, page) & (int) (base | buddy)) == (int) base;
    }

    /** {@code PageSlab()} of the head. */
    public static boolean isSlab(KernelContext k, long page) {
        return test(k, compoundHead(k, page), "PG_slab");
    }

    /** {@code PageAnon()}. */
    public static boolean isAnon(KernelContext k, long page) {
        return (mapping(k, compoundHead(k, page)) & k.profile().value("PAGE_MAPPING_ANON")) != 0;
    }

    // ---------------------------------------------------------------- memmap init (mm/page_alloc.c)

    /**
     * The flags every page of frame {@code pfn} carries from {@code memmap_init()}:
     * {@code set_page_links()} (zone, node 0) and {@code page_cpupid_reset_last()} (all ones).
     */
    public static long linkFlags(KernelContext k, long pfn) {
        Profile p = k.profile();
        long zone = pfn < p.value("MAX_DMA_PFN") ? p.value("ZONE_DMA")
                : pfn < p.value("MAX_DMA32_PFN") ? p.value("ZONE_DMA32") : p.value("ZONE_NORMAL");
        return zone << p.value("ZONES_PGSHIFT") | p.value("LAST_CPUPID_MASK") << p.value("LAST_CPUPID_PGSHIFT");
    }

    /**
     * {@code __init_single_page()}: a zeroed page with its zone and node links, one reference,
     * {@code _mapcount} -1, last cpupid reset and an empty {@code lru}.
     */
    public static void initSinglePage(KernelContext k, long page) {
        initPage(k, page);
        long lru = page + off(k, "page_lru");
        k.mem().write64(lru, lru);
        k.mem().write64(lru + 8, lru);
    }

    /**
     * A page as the buddy allocator hands it out: {@link #initSinglePage}'s state, but its
     * {@code lru} as {@code list_del()} left it when it came off a free list and
     * {@code clear_page_pfmemalloc()} after (next NULL, prev {@code LIST_POISON2}).
     */
    public static void initAllocatedPage(KernelContext k, long page) {
        initPage(k, page);
        k.mem().write64(page + off(k, "page_lru") + 8, k.profile().value("LIST_POISON2"));
    }

    private static void initPage(KernelContext k, long page) {
        k.mem().fill(page, k.profile().value("page_sizeof"), (byte) 0);
        setFlags(k, page, linkFlags(k, pageToPfn(k, page)));
        setRefcount(k, page, 1);
        setMapcountRaw(k, page, -1);
    }
}
