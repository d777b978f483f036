package dev.kmodemu.kstubs.mm;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * mm/swap.c: the last reference to a page or folio ({@code __folio_put()}, reached from the
 * inline {@code put_page()}/{@code folio_put()}), and {@code mark_page_accessed()}. No page of
 * kmodemu is ever on an LRU list or in the page cache, so these reduce to the paths the kernel
 * takes for driver pages.
 */
public final class Swap {
    private Swap() {
    }

    /**
     * void __folio_put(struct folio *folio): a large folio goes through its compound destructor
     * ({@code free_compound_page()}, also what {@code free_transhuge_page()} ends in) to
     * {@code free_the_page()} of its order; a small one to {@code free_unref_page()}.
     */
    @KernelSymbol("__folio_put")
    public static void folioPut(KernelContext k, long folio) {
        if (Pages.isHead(k, folio)) {
            PageAlloc.freeThePage(k, folio, Pages.compoundOrder(k, folio));
        } else {
            PageAlloc.freeThePage(k, folio, 0);
        }
    }

    /** {@code put_page()} (include/linux/mm.h): {@code folio_put()} of the page's folio. */
    public static void putPage(KernelContext k, long page) {
        long folio = Pages.compoundHead(k, page);
        if (PageAlloc.putPageTestzero(k, folio)) {
            folioPut(k, folio);
        }
    }

    /** {@code get_page()} (include/linux/mm.h): a reference on the page's folio. */
    public static void getPage(KernelContext k, long page) {
        Pages.refAdd(k, Pages.compoundHead(k, page), 1);
    }

    /**
     * void folio_mark_accessed(struct folio *folio): PG_referenced the first time; the next time
     * the folio would be activated, which for a folio on no LRU list and in no per-cpu batch
     * ({@code __lru_cache_activate_folio()} finds nothing) only clears PG_referenced again.
     */
    @KernelSymbol("folio_mark_accessed")
    public static void folioMarkAccessed(KernelContext k, long folio) {
        if (!Pages.test(k, folio, "PG_referenced")) {
            Pages.set(k, folio, "PG_referenced", true);
        } else if (!Pages.test(k, folio, "PG_active")) {
            Pages.set(k, folio, "PG_referenced", false);
        }
    }

    /** void mark_page_accessed(struct page *page) (mm/folio-compat.c) */
    @KernelSymbol("mark_page_accessed")
    static void markPageAccessed(KernelContext k, long page) {
        folioMarkAccessed(k, Pages.compoundHead(k, page));
    }
}
