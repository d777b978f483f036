package dev.kmodemu.kstubs.mm;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * mm/page-writeback.c (and the page wrappers of mm/folio-compat.c): marking pages dirty. kmodemu
 * has no page cache, so no folio has a mapping with {@code dirty_folio} operations:
 * {@code folio_mark_dirty()} always takes {@code noop_dirty_folio()}'s path.
 */
public final class PageWriteback {
    private PageWriteback() {
    }

    /** {@code folio_mark_dirty()} of a folio without a mapping: sets PG_dirty; true if it was clean. */
    public static boolean folioMarkDirty(KernelContext k, long folio) {
        if (Pages.test(k, folio, "PG_dirty")) {
            return false;
        }
        Pages.set(k, folio, "PG_dirty", true);
        return true;
    }

    /** bool set_page_dirty(struct page *page) */
    @KernelSymbol("set_page_dirty")
    static boolean setPageDirty(KernelContext k, long page) {
        return folioMarkDirty(k, Pages.compoundHead(k, page));
    }

    /** bool folio_mark_dirty(struct folio *folio) */
    @KernelSymbol("folio_mark_dirty")
    static boolean folioMarkDirtySym(KernelContext k, long folio) {
        return folioMarkDirty(k, folio);
    }

    /**
     * int set_page_dirty_lock(struct page *page): under the page lock, which nobody else holds on
     * one CPU between sleeps, so taking it is setting and clearing PG_locked.
     */
    @KernelSymbol("set_page_dirty_lock")
    static int setPageDirtyLock(KernelContext k, long page) {
        long head = Pages.compoundHead(k, page);
        Pages.set(k, head, "PG_locked", true);
        boolean ret = folioMarkDirty(k, head);
        Pages.set(k, head, "PG_locked", false);
        return ret ? 1 : 0;
    }
}
