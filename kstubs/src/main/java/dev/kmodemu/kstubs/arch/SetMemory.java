package dev.kmodemu.kstubs.arch;

import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.mm.Pages;

import java.util.HashMap;
import java.util.Map;

/**
 * arch/x86/mm/pat/set_memory.c's caching changes of the direct map, with the RAM side of
 * arch/x86/mm/pat/memtype.c ({@code reserve_ram_pages_type()}, {@code free_ram_pages_type()}):
 * every page of RAM has a memory type, write-back until a driver reserves another (the kernel
 * keeps it in page flags; kmodemu in a map by frame), and a page already of another type refuses
 * a second reservation with the kernel's {@code x86/PAT} line and -EBUSY. The emulated CPU has no
 * caches, so the page-table change itself ({@code change_page_attr_set()}) shows nothing.
 * Also the data these files and their neighbours export: {@code sme_me_mask} (no memory
 * encryption), {@code __default_kernel_pte_mask} and {@code xen_domain_type} (bare metal).
 */
public final class SetMemory {
    private SetMemory() {
    }

    /** Frames of a type other than write-back, frame → {@code enum page_cache_mode}. */
    private static Map<Long, Integer> types(KernelContext k) {
        return k.state(SetMemory.class, HashMap::new);
    }

    private static int mode(KernelContext k, String name) {
        return (int) k.profile().value("_PAGE_CACHE_MODE_" + name);
    }

    /** The memory type of a frame, as {@code get_page_memtype()} reads it. */
    public static int memtype(KernelContext k, long pfn) {
        return types(k).getOrDefault(pfn, mode(k, "WB"));
    }

    /** {@code reserve_ram_pages_type()} for the physical range {@code [start, end)}. */
    static int reserve(KernelContext k, long start, long end, int req) {
        if (req == mode(k, "UC")) {
            dev.kmodemu.kstubs.kernel.Oops.warnOnce(k, "arch/x86/mm/pat/memtype.c:515", "memtype_reserve");
            req = mode(k, "UC_MINUS");
        }
        for (long pfn = start >>> Pages.PAGE_SHIFT; pfn < end >>> Pages.PAGE_SHIFT; pfn++) {
            int type = memtype(k, pfn);
            if (type != mode(k, "WB")) {
                k.printk(6, String.format("x86/PAT: reserve_ram_pages_type failed [mem %#010x-%#010x], track 0x%x, req 0x%x",
                        start, end - 1, type, req));
                return -Errno.EBUSY;
            }
        }
        for (long pfn = start >>> Pages.PAGE_SHIFT; pfn < end >>> Pages.PAGE_SHIFT; pfn++) {
            types(k).put(pfn, req);
        }
        return 0;
    }

    /** {@code free_ram_pages_type()}: the range back to write-back. */
    static void free(KernelContext k, long start, long end) {
        for (long pfn = start >>> Pages.PAGE_SHIFT; pfn < end >>> Pages.PAGE_SHIFT; pfn++) {
            types(k).remove(pfn);
        }
    }

    private static int setMemory(KernelContext k, long addr, int numpages, String type) {
        long pa = Pages.pa(k, addr);
        return reserve(k, pa, pa + (long) numpages * Pages.PAGE, mode(k, type));
    }

    /** int set_memory_uc(unsigned long addr, int numpages): UC- */
    @KernelSymbol("set_memory_uc")
    static int setMemoryUc(KernelContext k, long addr, int numpages) {
        return setMemory(k, addr, numpages, "UC_MINUS");
    }

    /** int set_memory_wc(unsigned long addr, int numpages) */
    @KernelSymbol("set_memory_wc")
    static int setMemoryWc(KernelContext k, long addr, int numpages) {
        return setMemory(k, addr, numpages, "WC");
    }

    /** int set_memory_wb(unsigned long addr, int numpages) */
    @KernelSymbol("set_memory_wb")
    static int setMemoryWb(KernelContext k, long addr, int numpages) {
        long pa = Pages.pa(k, addr);
        free(k, pa, pa + (long) numpages * Pages.PAGE);
        return 0;
    }

    /** {@code _set_pages_array()}: each page reserved, all undone and -EINVAL if one is taken. */
    private static int setPagesArray(KernelContext k, long pages, int numpages, String type) {
        for (int i = 0; i < numpages; i++) {
            long start = Pages.pageToPfn(k, k.mem().read64(pages + 8L * i)) << Pages.PAGE_SHIFT;
            if (reserve(k, start, start + Pages.PAGE, mode(k, type)) != 0) {
                for (int j = 0; j < i; j++) {
                    long s = Pages.pageToPfn(k, k.mem().read64(pages + 8L * j)) << Pages.PAGE_SHIFT;
                    free(k, s, s + Pages.PAGE);
                }
                return -Errno.EINVAL;
            }
        }
        return 0;
    }

    /** int set_pages_array_uc(struct page **pages, int numpages) */
    @KernelSymbol("set_pages_array_uc")
    static int setPagesArrayUc(KernelContext k, long pages, int numpages) {
        return setPagesArray(k, pages, numpages, "UC_MINUS");
    }

    /** int set_pages_array_wc(struct page **pages, int numpages) */
    @KernelSymbol("set_pages_array_wc")
    static int setPagesArrayWc(KernelContext k, long pages, int numpages) {
        return setPagesArray(k, pages, numpages, "WC");
    }

    /** int set_pages_array_wb(struct page **pages, int numpages) */
    @KernelSymbol("set_pages_array_wb")
    static int setPagesArrayWb(KernelContext k, long pages, int numpages) {
        for (int i = 0; i < numpages; i++) {
            long s = Pages.pageToPfn(k, k.mem().read64(pages + 8L * i)) << Pages.PAGE_SHIFT;
            free(k, s, s + Pages.PAGE);
        }
        return 0;
    }

    /** int set_pages_uc(struct page *page, int numpages) and set_pages_wb: through the page's direct-map address */
    @KernelSymbol("set_pages_uc")
    static int setPagesUc(KernelContext k, long page, int numpages) {
        return setMemoryUc(k, Pages.pageAddress(k, page), numpages);
    }

    /** int set_pages_wb(struct page *page, int numpages) */
    @KernelSymbol("set_pages_wb")
    static int setPagesWb(KernelContext k, long page, int numpages) {
        return setMemoryWb(k, Pages.pageAddress(k, page), numpages);
    }

    /** {@code u64 sme_me_mask} (arch/x86/mm/mem_encrypt_identity.c): 0, the machine encrypts no memory. */
    @KernelData(value = "sme_me_mask", size = 8)
    static void smeMeMask(KernelContext k, long at) {
    }

    /**
     * {@code pteval_t __default_kernel_pte_mask} (arch/x86/mm/init.c): all bits but
     * {@code _PAGE_GLOBAL}, which {@code pti_init()} clears as page-table isolation is on (the
     * emulated CPU does not claim to be immune to Meltdown).
     */
    @KernelData(value = "__default_kernel_pte_mask", size = 8)
    static void defaultKernelPteMask(KernelContext k, long at) {
        k.mem().write64(at, ~k.profile().value("_PAGE_GLOBAL"));
    }

    /** {@code enum xen_domain_type xen_domain_type} (arch/x86/xen/enlighten.c): XEN_NATIVE (0), not a Xen guest. */
    @KernelData(value = "xen_domain_type", size = 4, align = 4)
    static void xenDomainType(KernelContext k, long at) {
    }

    /**
     * void clflush_cache_range(void *vaddr, unsigned int size): writes back and invalidates the
     * cache lines of a range. The emulated CPU has no caches, so only the access remains: each
     * line is touched as {@code clflushopt} touches it, and an unmapped one faults.
     */
    @dev.kmodemu.kstubs.KernelSymbol("clflush_cache_range")
    static void clflushCacheRange(KernelContext k, long vaddr, int size) {
        long line = 64;
        long end = vaddr + Integer.toUnsignedLong(size);
        for (long p = vaddr & -line; Long.compareUnsigned(p, end) < 0; p += line) {
            k.mem().read8(p);
        }
    }
}
