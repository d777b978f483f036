package dev.kmodemu.kstubs.mm;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.firmware.Profile;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.kernel.Oops;
import dev.kmodemu.kstubs.kernel.Taint;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * mm/page_alloc.c: the page allocator over the direct map, with a {@code struct page} for every
 * page in the memory map ({@link Pages}). A block of {@code 2^order} pages is naturally aligned as
 * the buddy allocator's are, its pages prepared as {@code prep_new_page()} leaves them (one
 * reference on the first page, {@code _mapcount} -1, compound head and tails with
 * {@code __GFP_COMP}) and zeroed ({@code want_init_on_alloc()}: always with Debian's
 * {@code INIT_ON_ALLOC_DEFAULT_ON}, else for {@code __GFP_ZERO}). Freeing goes through
 * {@code free_pages_prepare()} with its checks: as on Debian's kernel (no {@code DEBUG_VM}), a
 * page freed to the per-cpu lists (orders up to {@code PAGE_ALLOC_COSTLY_ORDER}, and
 * {@code pageblock_order}) has only its tail pages checked, a larger block its head as well, and a
 * bad page is reported by {@code bad_page()} and never reused.
 *
 * <p>Which frames come back differs from the buddy allocator: each block is a mapping of its own
 * in kmodemu's direct map (followed by an unmapped guard page), and its frames are reused only once
 * every page of it is free (then the mapping goes, so later accesses to it fault). Also here: the
 * node data every caller reads: the per-cpu {@code numa_node} (CPU 0 is on node 0),
 * {@code node_states[]} (node 0 online, with memory and a CPU) and {@code _totalram_pages}.
 */
public final class PageAlloc {
    private PageAlloc() {
    }

    /** A mapping of direct-map pages the allocator handed out, and which of its pages are still in use. */
    private static final class Run {
        final AddressSpace.Region region;
        final BitSet live = new BitSet();

        Run(AddressSpace.Region region) {
            this.region = region;
            live.set(0, (int) (region.size() / Pages.PAGE));
        }
    }

    /** The allocator's state in one kernel. */
    private static final class State {
        final Map<Long, Run> runs = new HashMap<>();
        /** {@code bad_page()}'s rate limit: reports shown in this burst, suppressed, and when the burst ends. */
        long nrShown;
        long nrUnshown;
        long resume;
        /** The free path running ({@link #freeThePage}), for the trace of a report. */
        String[] freePath = {"bad_page.cold"};
    }

    private static State state(KernelContext k) {
        return k.state(PageAlloc.class, State::new);
    }

    private static long gfpBit(KernelContext k, String name) {
        return k.profile().value(name);
    }

    // ---------------------------------------------------------------- allocation

    /**
     * Maps {@code pages} pages of the direct map aligned to {@code align} bytes, zeroed if
     * {@code want_init_on_alloc(gfp)}; their struct pages are the caller's to prepare.
     *
     * @return the first page's address, or 0 if the direct map is full
     */
    static long takeRun(KernelContext k, long pages, long align, int gfp, String what) {
        AddressSpace.Region r = k.machine().heapArea().allocate(pages * Pages.PAGE, align, AddressSpace.RW, what);
        if (r == null) {
            return 0;
        }
        state(k).runs.put(r.base(), new Run(r));
        if (wantInitOnAlloc(k, gfp)) {
            k.mem().fill(r.base(), r.size(), (byte) 0);
        }
        return r.base();
    }

    /** {@code want_init_on_alloc()}: {@code init_on_alloc} (Debian's default) or {@code __GFP_ZERO}. */
    static boolean wantInitOnAlloc(KernelContext k, int gfp) {
        return k.profile().value("INIT_ON_ALLOC_DEFAULT_ON") != 0 || (gfp & gfpBit(k, "GFP_ZERO")) != 0;
    }

    /**
     * {@code prep_new_page()}: {@code post_alloc_hook()} (no private data, one reference on the
     * first page) over pages the memory map has as free, then {@code prep_compound_page()} for an
     * order above 0 with {@code __GFP_COMP}.
     */
    static void prepNewPage(KernelContext k, long page, int order, int gfp) {
        long size = k.profile().value("page_sizeof");
        for (int i = 0; i < 1 << order; i++) {
            long p = page + i * size;
            Pages.initAllocatedPage(k, p);
            if (i > 0) {
                Pages.setRefcount(k, p, 0);
            }
        }
        if (order > 0 && (gfp & gfpBit(k, "GFP_COMP")) != 0) {
            prepCompoundPage(k, page, order);
        }
    }

    /** {@code prep_compound_page()}: PG_head, every tail pointing at the head, the order in the first tail. */
    static void prepCompoundPage(KernelContext k, long page, int order) {
        Profile p = k.profile();
        long size = p.value("page_sizeof");
        AddressSpace m = k.mem();
        Pages.set(k, page, "PG_head", true);
        for (int i = 1; i < 1 << order; i++) {
            long t = page + i * size;
            m.write64(t + k.off("page_mapping"), p.value("TAIL_MAPPING"));
            m.write64(t + k.off("page_compound_head"), page + 1);
            m.write64(t + k.off("page_private"), 0);
        }
        long first = page + size;
        m.write8(first + k.off("page_compound_dtor"), (int) p.value("COMPOUND_PAGE_DTOR"));
        m.write8(first + k.off("page_compound_order"), order);
        m.write32(first + k.off("page_compound_mapcount"), -1);
        m.write32(first + k.off("page_compound_pincount"), 0);
        m.write32(first + k.off("page_compound_nr"), 1 << order);
    }

    /**
     * {@code __alloc_pages()}: a naturally aligned block of {@code 2^order} pages, or NULL. An
     * order of {@code MAX_ORDER} or more is refused with {@code WARN_ON_ONCE_GFP()} (quiet under
     * {@code __GFP_NOWARN}).
     */
    public static long allocPages(KernelContext k, int gfp, int order) {
        if (Integer.compareUnsigned(order, (int) k.profile().value("MAX_ORDER")) >= 0) {
            if ((gfp & gfpBit(k, "GFP_NOWARN")) == 0) {
                Oops.warnOnce(k, "mm/page_alloc.c:5634", "__alloc_pages");
            }
            return 0;
        }
        long bytes = Pages.PAGE << order;
        long va = takeRun(k, 1L << order, bytes, gfp, "pages");
        if (va == 0) {
            return 0;
        }
        long page = Pages.virtToPage(k, va);
        prepNewPage(k, page, order, gfp);
        return page;
    }

    /**
     * struct page *__alloc_pages(gfp_t gfp, unsigned int order, int preferred_nid, nodemask_t *nodemask):
     * one node, so the preferred node and the node mask change nothing.
     */
    @KernelSymbol("__alloc_pages")
    static long allocPagesNode(KernelContext k, int gfp, int order, int nid, long nodemask) {
        return allocPages(k, gfp, order);
    }

    /** struct page *alloc_pages(gfp_t gfp, unsigned int order) (mm/mempolicy.c: the task's policy picks node 0) */
    @KernelSymbol("alloc_pages")
    static long allocPagesSym(KernelContext k, int gfp, int order) {
        return allocPages(k, gfp, order);
    }

    /**
     * {@code __folio_alloc()}: a compound block, and for an order above 1
     * {@code prep_transhuge_page()} (the transparent huge page destructor, an empty deferred list).
     */
    static long folioAlloc(KernelContext k, int gfp, int order) {
        long page = allocPages(k, gfp | (int) gfpBit(k, "GFP_COMP"), order);
        if (page != 0 && order > 1) {
            long size = k.profile().value("page_sizeof");
            k.mem().write8(page + size + k.off("page_compound_dtor"), (int) k.profile().value("TRANSHUGE_PAGE_DTOR"));
            long list = page + 2 * size + k.off("page_deferred_list");
            k.mem().write64(list, list);
            k.mem().write64(list + 8, list);
        }
        return page;
    }

    /** struct folio *__folio_alloc(gfp_t gfp, unsigned int order, int preferred_nid, nodemask_t *nodemask) */
    @KernelSymbol("__folio_alloc")
    static long folioAllocNode(KernelContext k, int gfp, int order, int nid, long nodemask) {
        return folioAlloc(k, gfp, order);
    }

    /** struct folio *folio_alloc(gfp_t gfp, unsigned order) (mm/mempolicy.c) */
    @KernelSymbol("folio_alloc")
    static long folioAllocSym(KernelContext k, int gfp, int order) {
        return folioAlloc(k, gfp, order);
    }

    /**
     * {@code alloc_slab_page()} (mm/slub.c): a slab of {@code pages} pages (a power of two), a
     * compound page if more than one, marked PG_slab ({@code __folio_set_slab()}).
     *
     * @return the slab's address
     * @throws OutOfMemoryError if the direct map is full
     */
    static long allocSlab(KernelContext k, long pages, String cache) {
        int order = Long.numberOfTrailingZeros(pages);
        long va = takeRun(k, pages, pages * Pages.PAGE, Gfp.KERNEL, cache);
        if (va == 0) {
            throw new OutOfMemoryError("kmodemu: direct map exhausted");
        }
        long page = Pages.virtToPage(k, va);
        prepNewPage(k, page, order, Gfp.KERNEL | (order > 0 ? (int) gfpBit(k, "GFP_COMP") : 0));
        Pages.set(k, page, "PG_slab", true);
        return va;
    }

    /** {@code __free_slab()} (mm/slub.c): PG_slab cleared, then {@code __free_pages()} of the slab. */
    static void freeSlab(KernelContext k, long va) {
        long page = Pages.virtToPage(k, va);
        Pages.set(k, page, "PG_slab", false);
        freePagesStruct(k, page, Pages.compoundOrder(k, page));
    }

    /**
     * {@code __vmalloc_area_node()}'s pages: {@code pages} order-0 pages (one reference each, as
     * {@code vm_area_alloc_pages()} gives them), here one run of the direct map.
     *
     * @return the first page's address, or 0 if the direct map is full
     */
    static long allocPageRun(KernelContext k, long pages, int gfp, String what) {
        long va = takeRun(k, pages, Pages.PAGE, gfp, what);
        if (va != 0) {
            long page = Pages.virtToPage(k, va);
            long size = k.profile().value("page_sizeof");
            for (long i = 0; i < pages; i++) {
                prepNewPage(k, page + i * size, 0, gfp);
            }
        }
        return va;
    }

    /** unsigned long __get_free_pages(gfp_t gfp_mask, unsigned int order) */
    @KernelSymbol("__get_free_pages")
    public static long getFreePages(KernelContext k, int gfp, int order) {
        long page = allocPages(k, gfp & ~(int) gfpBit(k, "GFP_HIGHMEM"), order);
        return page == 0 ? 0 : Pages.pageAddress(k, page);
    }

    /** unsigned long get_zeroed_page(gfp_t gfp_mask) */
    @KernelSymbol("get_zeroed_page")
    static long getZeroedPage(KernelContext k, int gfp) {
        return getFreePages(k, gfp | (int) gfpBit(k, "GFP_ZERO"), 0);
    }

    /**
     * void split_page(struct page *page, unsigned int order): every page of a non-compound block
     * gets a reference of its own, to be freed one by one.
     */
    @KernelSymbol("split_page")
    static void splitPage(KernelContext k, long page, int order) {
        long size = k.profile().value("page_sizeof");
        for (int i = 1; i < 1 << order; i++) {
            Pages.setRefcount(k, page + i * size, 1);
        }
    }

    /** {@code get_order()}: the order of the smallest block holding {@code size} bytes (52 for 0, as the kernel's). */
    static int getOrder(long size) {
        long s = (size - 1) >>> Pages.PAGE_SHIFT;
        return 64 - Long.numberOfLeadingZeros(s);
    }

    /**
     * void *alloc_pages_exact(size_t size, gfp_t gfp_mask): {@code __get_free_pages()} of the order
     * holding {@code size}, then {@code make_alloc_exact()}: the pages in use get a reference each
     * and the rest are freed ({@code __free_pages_ok()}, so checked).
     */
    @KernelSymbol("alloc_pages_exact")
    static long allocPagesExact(KernelContext k, long size, int gfp) {
        int order = getOrder(size);
        int bad = (int) (gfpBit(k, "GFP_COMP") | gfpBit(k, "GFP_HIGHMEM"));
        if ((gfp & bad) != 0) {
            Oops.warnOnce(k, "mm/page_alloc.c:5930", "alloc_pages_exact");
            gfp &= ~bad;
        }
        long addr = getFreePages(k, gfp, order);
        if (addr != 0) {
            long psize = k.profile().value("page_sizeof");
            long nr = (size + Pages.PAGE - 1) / Pages.PAGE;
            long page = Pages.virtToPage(k, addr);
            for (long i = 1; i < nr; i++) {
                Pages.setRefcount(k, page + i * psize, 1);
            }
            for (long i = nr; i < 1L << order; i++) {
                freeThePage(k, page + i * psize, 0, true);
            }
        }
        return addr;
    }

    /** void free_pages_exact(void *virt, size_t size): {@code free_page()} of each page */
    @KernelSymbol("free_pages_exact")
    static void freePagesExact(KernelContext k, long virt, long size) {
        long end = virt + ((size + Pages.PAGE - 1) & -Pages.PAGE);
        for (long a = virt; Long.compareUnsigned(a, end) < 0; a += Pages.PAGE) {
            freePages(k, a, 0);
        }
    }

    // ---------------------------------------------------------------- freeing

    /**
     * void __free_pages(struct page *page, unsigned int order): drops a reference; the last one
     * frees the block. If a reference is left on the first page of a non-compound block, the
     * rest of the block is freed in halves all the same.
     */
    @KernelSymbol("__free_pages")
    public static void freePagesStruct(KernelContext k, long page, int order) {
        boolean head = Pages.isHead(k, page);
        if (putPageTestzero(k, page)) {
            freeThePage(k, page, order);
        } else if (!head) {
            long size = k.profile().value("page_sizeof");
            while (order-- > 0) {
                freeThePage(k, page + (1L << order) * size, order);
            }
        }
    }

    /** void free_pages(unsigned long addr, unsigned int order) */
    @KernelSymbol("free_pages")
    public static void freePages(KernelContext k, long addr, int order) {
        if (addr != 0) {
            freePagesStruct(k, Pages.virtToPage(k, addr), order);
        }
    }

    /** {@code put_page_testzero()}: drops a reference; true if it was the last. */
    static boolean putPageTestzero(KernelContext k, long page) {
        return Pages.refAdd(k, page, -1) == 0;
    }

    /**
     * {@code free_the_page()}: to the per-cpu lists ({@code free_unref_page()}, the head page not
     * checked) for orders up to {@code PAGE_ALLOC_COSTLY_ORDER} and {@code pageblock_order},
     * else {@code __free_pages_ok()} (checked).
     */
    static void freeThePage(KernelContext k, long page, int order) {
        long costly = k.profile().value("PAGE_ALLOC_COSTLY_ORDER");
        boolean pcp = order <= costly || order == k.profile().value("pageblock_order");
        freeThePage(k, page, order, !pcp);
    }

    private static void freeThePage(KernelContext k, long page, int order, boolean checkFree) {
        State s = state(k);
        String[] path = s.freePath;
        s.freePath = checkFree ? FREE_PAGES_OK : FREE_UNREF_PAGE;
        try {
            if (!freePagesPrepare(k, page, order, checkFree)) {
                return;
            }
        } finally {
            s.freePath = path;
        }
        release(k, page, order);
    }

    /** The kernel functions between {@code bad_page()} and the caller of each free path, innermost first. */
    private static final String[] FREE_UNREF_PAGE = {"bad_page.cold", "free_pcp_prepare", "free_unref_page"};
    private static final String[] FREE_PAGES_OK = {"bad_page.cold", "__free_pages_ok"};

    /**
     * {@code free_pages_prepare()}: tail pages of a compound block lose their compound links
     * ({@code free_tail_pages_check()} without {@code DEBUG_VM}), every tail page and, if
     * {@code checkFree}, the head must be in the expected state (else {@code bad_page()}); then
     * the head's flags, cpupid and private data are reset.
     *
     * @return false if a page was bad: the block is leaked, as the kernel leaks it
     */
    static boolean freePagesPrepare(KernelContext k, long page, int order, boolean checkFree) {
        Profile p = k.profile();
        long size = p.value("page_sizeof");
        long atPrep = p.value("PAGE_FLAGS_CHECK_AT_PREP");
        AddressSpace m = k.mem();
        int bad = 0;
        if (Pages.test(k, page, "PG_mlocked")) {
            Pages.set(k, page, "PG_mlocked", false);
        }
        if (Pages.test(k, page, "PG_hwpoison") && order == 0) {
            return false;
        }
        if (order > 0) {
            boolean compound = Pages.isCompound(k, page);
            for (int i = 1; i < 1 << order; i++) {
                long t = page + i * size;
                if (compound) {
                    m.write64(t + k.off("page_mapping"), 0);
                    m.write64(t + k.off("page_compound_head"), 0);
                }
                if (freePageIsBad(k, t)) {
                    bad++;
                    continue;
                }
                Pages.setFlags(k, t, Pages.flags(k, t) & ~atPrep);
            }
        }
        if ((Pages.mapping(k, page) & p.value("PAGE_MAPPING_FLAGS")) != 0) {
            m.write64(page + k.off("page_mapping"), 0);
        }
        if (checkFree && freePageIsBad(k, page)) {
            bad++;
        }
        if (bad > 0) {
            return false;
        }
        long cpupid = p.value("LAST_CPUPID_MASK") << p.value("LAST_CPUPID_PGSHIFT");
        Pages.setFlags(k, page, (Pages.flags(k, page) | cpupid) & ~atPrep);
        Pages.setPrivate(k, page, 0);
        return true;
    }

    /** {@code page_expected_state()}: no mapping, mapcount, references, memcg or {@code checkFlags}. */
    static boolean pageExpectedState(KernelContext k, long page, long checkFlags) {
        return Pages.mapcountRaw(k, page) == -1 && Pages.mapping(k, page) == 0 && Pages.refcount(k, page) == 0
                && Pages.memcgData(k, page) == 0 && (Pages.flags(k, page) & checkFlags) == 0;
    }

    /** {@code page_bad_reason()}: the last of the failed checks, in the kernel's order. */
    static String pageBadReason(KernelContext k, long page, long flags) {
        String reason = null;
        if (Pages.mapcountRaw(k, page) != -1) {
            reason = "nonzero mapcount";
        }
        if (Pages.mapping(k, page) != 0) {
            reason = "non-NULL mapping";
        }
        if (Pages.refcount(k, page) != 0) {
            reason = "nonzero _refcount";
        }
        if ((Pages.flags(k, page) & flags) != 0) {
            reason = flags == k.profile().value("PAGE_FLAGS_CHECK_AT_PREP") ? "PAGE_FLAGS_CHECK_AT_PREP flag(s) set"
                    : "PAGE_FLAGS_CHECK_AT_FREE flag(s) set";
        }
        if (Pages.memcgData(k, page) != 0) {
            reason = "page still charged to cgroup";
        }
        return reason;
    }

    /** {@code free_page_is_bad()}: reports and returns true if the page is not fit to be freed. */
    static boolean freePageIsBad(KernelContext k, long page) {
        long check = k.profile().value("PAGE_FLAGS_CHECK_AT_FREE");
        if (pageExpectedState(k, page, check)) {
            return false;
        }
        badPage(k, page, pageBadReason(k, page, check));
        return true;
    }

    /**
     * {@code bad_page()}: "BUG: Bad page state" with {@code dump_page()}, the modules and the stack
     * (a burst of 60 reports, then quiet for the rest of that minute), the page's mapcount reset
     * and taint B.
     */
    static void badPage(KernelContext k, long page, String reason) {
        State s = state(k);
        long jiffies = k.clock().jiffies();
        boolean show = true;
        if (s.nrShown == 60) {
            if (jiffies - s.resume < 0) {
                s.nrUnshown++;
                show = false;
            } else {
                if (s.nrUnshown != 0) {
                    k.printk(1, "BUG: Bad page state: " + s.nrUnshown + " messages suppressed");
                    s.nrUnshown = 0;
                }
                s.nrShown = 0;
            }
        }
        if (show) {
            if (s.nrShown++ == 0) {
                s.resume = jiffies + 60 * k.profile().value("HZ");
            }
            k.printk(1, String.format("BUG: Bad page state in process %s  pfn:%05x", k.tasks().current().comm(),
                    Pages.pageToPfn(k, page)));
            Debug.dumpPage(k, page, reason);
            k.printk(4, "Modules linked in:" + Oops.modulesLinkedIn(k));
            Oops.dumpStack(k, 4, s.freePath);
        }
        Pages.setMapcountRaw(k, page, -1);
        k.taint().add(Taint.BAD_PAGE, true);
    }

    /**
     * The block is free: its first page becomes a buddy of that order ({@code page_type}, order in
     * {@code private}); once every page of its mapping is free, the mapping goes.
     */
    private static void release(KernelContext k, long page, int order) {
        Profile p = k.profile();
        Pages.setMapcountRaw(k, page, (int) (0xffffffffL & ~p.value("PG_buddy")));
        Pages.setPrivate(k, page, order);
        long va = Pages.pageAddress(k, page);
        AddressSpace.Region r = k.machine().heapArea().containing(va);
        if (r == null) {
            return; // a reserved page of the kernel image or the per-cpu area: never handed out again
        }
        Run run = state(k).runs.get(r.base());
        if (run == null) {
            return;
        }
        int first = (int) ((va - r.base()) / Pages.PAGE);
        run.live.clear(first, Math.min(first + (1 << order), (int) (r.size() / Pages.PAGE)));
        if (run.live.isEmpty()) {
            state(k).runs.remove(r.base());
            k.machine().heapArea().free(r.base());
        }
    }

    // ---------------------------------------------------------------- node data

    /** {@code DEFINE_PER_CPU(int, numa_node)}: CPU 0 is on node 0. */
    @KernelData(value = "numa_node", section = Machine.Section.PERCPU, size = 4, align = 4)
    static void numaNode(KernelContext k, long at) {
        k.mem().write32(at, 0);
    }

    /** {@code nodemask_t node_states[NR_NODE_STATES]}: node 0 in every state but N_GENERIC_INITIATOR. */
    @KernelData(value = "node_states", size = 128 * 8, align = 64)
    static void nodeStates(KernelContext k, long at) {
        long size = k.profile().value("nodemask_t_sizeof");
        if (size * k.profile().value("NR_NODE_STATES") > 128 * 8) {
            throw new IllegalStateException("node_states larger than reserved");
        }
        for (String st : new String[] {"N_POSSIBLE", "N_ONLINE", "N_NORMAL_MEMORY", "N_HIGH_MEMORY", "N_MEMORY", "N_CPU"}) {
            long mask = at + size * k.profile().value(st);
            k.mem().write64(mask, k.mem().read64(mask) | 1);
        }
    }

    /** {@code atomic_long_t _totalram_pages}: the direct map's heap, in pages. */
    @KernelData(value = "_totalram_pages", size = 8)
    static void totalramPages(KernelContext k, long at) {
        var heap = k.machine().heapArea();
        k.mem().write64(at, (heap.end() - heap.start()) / AddressSpace.PAGE);
    }

    /** {@code unsigned int nr_node_ids}: the highest possible node + 1. */
    @KernelData(value = "nr_node_ids", section = Machine.Section.RO_AFTER_INIT, size = 4, align = 4)
    static void nrNodeIds(KernelContext k, long at) {
        k.mem().write32(at, 1);
    }

    /** {@code unsigned int nr_online_nodes}. */
    @KernelData(value = "nr_online_nodes", size = 4, align = 4)
    static void nrOnlineNodes(KernelContext k, long at) {
        k.mem().write32(at, 1);
    }
}
