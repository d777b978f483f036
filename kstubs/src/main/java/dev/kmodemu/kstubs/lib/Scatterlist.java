package dev.kmodemu.kstubs.lib;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * lib/scatterlist.c and the page arithmetic of include/linux/scatterlist.h: entries whose
 * {@code page_link} is a {@code struct page} pointer into {@code vmemmap} (with the chain and end
 * bits), as {@code sg_set_buf()} computes them inline in module code from a direct-map address.
 * kmodemu keeps no {@code struct page} array; the pointers are only ever turned back into
 * addresses ({@code page_address()}), which is arithmetic.
 */
public final class Scatterlist {
    private Scatterlist() {
    }

    private static long at(KernelContext k, long sg, String f) {
        return sg + k.off("scatterlist_" + f);
    }

    public static long pageLink(KernelContext k, long sg) {
        return k.mem().read64(at(k, sg, "page_link"));
    }

    public static int offset(KernelContext k, long sg) {
        return k.mem().read32(at(k, sg, "offset"));
    }

    public static int length(KernelContext k, long sg) {
        return k.mem().read32(at(k, sg, "length"));
    }

    private static long flags(KernelContext k) {
        return k.off("SG_CHAIN") | k.off("SG_END");
    }

    /** {@code sg_page()}. */
    public static long page(KernelContext k, long sg) {
        return pageLink(k, sg) & ~flags(k);
    }

    /** {@code page_address()}: the direct-map address of a {@code struct page} pointer. */
    public static long pageAddress(KernelContext k, long page) {
        long pfn = (page - k.machine().vmemmapBase()) / k.off("page_sizeof");
        return k.machine().pageOffsetBase() + pfn * k.off("PAGE_SIZE");
    }

    /** {@code virt_to_page()} of a direct-map address. */
    public static long virtToPage(KernelContext k, long addr) {
        long pfn = (addr - k.machine().pageOffsetBase()) / k.off("PAGE_SIZE");
        return k.machine().vmemmapBase() + pfn * k.off("page_sizeof");
    }

    /** {@code sg_virt()}. */
    public static long virt(KernelContext k, long sg) {
        return pageAddress(k, page(k, sg)) + Integer.toUnsignedLong(offset(k, sg));
    }

    /** {@code sg_set_buf()}: the entry covers {@code len} bytes at a direct-map address. */
    public static void setBuf(KernelContext k, long sg, long buf, int len) {
        AddressSpace m = k.mem();
        long keep = pageLink(k, sg) & flags(k);
        m.write64(at(k, sg, "page_link"), virtToPage(k, buf) | keep);
        m.write32(at(k, sg, "offset"), (int) (buf & (k.off("PAGE_SIZE") - 1)));
        m.write32(at(k, sg, "length"), len);
    }

    /** struct scatterlist *sg_next(struct scatterlist *sg) */
    @KernelSymbol("sg_next")
    public static long next(KernelContext k, long sg) {
        long link = pageLink(k, sg);
        if ((link & k.off("SG_END")) != 0) {
            return 0;
        }
        long n = sg + k.off("scatterlist_sizeof");
        long nl = pageLink(k, n);
        if ((nl & k.off("SG_CHAIN")) != 0) {
            n = nl & ~flags(k);
        }
        return n;
    }

    /** void sg_init_table(struct scatterlist *sgl, unsigned int nents) */
    @KernelSymbol("sg_init_table")
    public static void initTable(KernelContext k, long sgl, int nents) {
        AddressSpace m = k.mem();
        long size = k.off("scatterlist_sizeof");
        m.write(sgl, new byte[(int) (size * nents)]);
        long last = sgl + size * (nents - 1);
        m.write64(at(k, last, "page_link"), k.off("SG_END"));
    }

    /** void sg_init_one(struct scatterlist *sg, const void *buf, unsigned int buflen) */
    @KernelSymbol("sg_init_one")
    static void initOne(KernelContext k, long sg, long buf, int buflen) {
        initTable(k, sg, 1);
        setBuf(k, sg, buf, buflen);
    }

    /** int sg_nents(struct scatterlist *sg) */
    @KernelSymbol("sg_nents")
    static int nents(KernelContext k, long sg) {
        int n = 0;
        for (; sg != 0; sg = next(k, sg)) {
            n++;
        }
        return n;
    }

    /** int sg_nents_for_len(struct scatterlist *sg, u64 len): -EINVAL if the list is shorter */
    @KernelSymbol("sg_nents_for_len")
    static int nentsForLen(KernelContext k, long sg, long len) {
        if (len == 0) {
            return 0;
        }
        long total = 0;
        int n = 0;
        for (; sg != 0; sg = next(k, sg)) {
            n++;
            total += Integer.toUnsignedLong(length(k, sg));
            if (Long.compareUnsigned(total, len) >= 0) {
                return n;
            }
        }
        return -dev.kmodemu.kstubs.Errno.EINVAL;
    }

    /** struct scatterlist *sg_last(struct scatterlist *sgl, unsigned int nents) */
    @KernelSymbol("sg_last")
    static long last(KernelContext k, long sgl, int nents) {
        long ret = 0;
        for (int i = 0; sgl != 0 && i < nents; i++, sgl = next(k, sgl)) {
            ret = sgl;
        }
        return ret;
    }
    /** {@code sg_set_page()}: the entry covers {@code len} bytes of {@code page} from {@code offset}. */
    public static void setPage(KernelContext k, long sg, long page, int len, int offset) {
        AddressSpace m = k.mem();
        m.write64(at(k, sg, "page_link"), page | (pageLink(k, sg) & flags(k)));
        m.write32(at(k, sg, "offset"), offset);
        m.write32(at(k, sg, "length"), len);
    }

    /**
     * {@code sg_alloc_table()} for a table that fits one chunk ({@code nents} up to
     * {@code SG_MAX_SINGLE_ALLOC}): the table zeroed, its entries from {@code kmalloc_array()}
     * and initialised; false if the entries could not be allocated (-ENOMEM).
     */
    public static boolean allocTable(KernelContext k, long table, int nents, int gfp) {
        k.mem().fill(table, k.off("sg_table_sizeof"), (byte) 0);
        long sg = k.slab().kmalloc((long) nents * k.off("scatterlist_sizeof"), gfp);
        if (sg == 0) {
            return false;
        }
        initTable(k, sg, nents);
        k.mem().write64(table + k.off("sg_table_sgl"), sg);
        k.mem().write32(table + k.off("sg_table_nents"), nents);
        k.mem().write32(table + k.off("sg_table_orig_nents"), nents);
        return true;
    }

    /** {@code sg_free_table()} of a table {@link #allocTable} made. */
    public static void freeTable(KernelContext k, long table) {
        k.slab().kfree(k.mem().read64(table + k.off("sg_table_sgl")));
        k.mem().write64(table + k.off("sg_table_sgl"), 0);
    }

    private static long iter(KernelContext k, long piter, String f) {
        return piter + k.off("sg_page_iter_" + f);
    }

    /**
     * void __sg_page_iter_start(struct sg_page_iter *piter, struct scatterlist *sglist, unsigned
     * int nents, unsigned long pgoffset)
     */
    @KernelSymbol("__sg_page_iter_start")
    static void pageIterStart(KernelContext k, long piter, long sglist, int nents, long pgoffset) {
        AddressSpace m = k.mem();
        m.write32(iter(k, piter, "__pg_advance"), 0);
        m.write32(iter(k, piter, "__nents"), nents);
        m.write64(iter(k, piter, "sg"), sglist);
        m.write32(iter(k, piter, "sg_pgoffset"), (int) pgoffset);
    }

    /**
     * The step of {@code __sg_page_iter_next()} and {@code __sg_page_iter_dma_next()}: on to the
     * next page, over entries whose pages (by their CPU or their DMA length) are used up.
     */
    private static boolean pageIterStep(KernelContext k, long piter, boolean dma) {
        AddressSpace m = k.mem();
        long sg = m.read64(iter(k, piter, "sg"));
        int nents = m.read32(iter(k, piter, "__nents"));
        if (nents == 0 || sg == 0) {
            return false;
        }
        int pgoffset = m.read32(iter(k, piter, "sg_pgoffset")) + m.read32(iter(k, piter, "__pg_advance"));
        m.write32(iter(k, piter, "__pg_advance"), 1);
        boolean more = true;
        while (true) {
            long len = Integer.toUnsignedLong(dma ? m.read32(at(k, sg, "dma_length")) : length(k, sg));
            int count = (int) ((Integer.toUnsignedLong(offset(k, sg)) + len + AddressSpace.PAGE - 1) >>> 12);
            if (Integer.compareUnsigned(pgoffset, count) < 0) {
                break;
            }
            pgoffset -= count;
            sg = next(k, sg);
            if (--nents == 0 || sg == 0) {
                more = false;
                break;
            }
        }
        m.write32(iter(k, piter, "sg_pgoffset"), pgoffset);
        m.write64(iter(k, piter, "sg"), sg);
        m.write32(iter(k, piter, "__nents"), nents);
        return more;
    }

    /** bool __sg_page_iter_next(struct sg_page_iter *piter) */
    @KernelSymbol("__sg_page_iter_next")
    static boolean pageIterNext(KernelContext k, long piter) {
        return pageIterStep(k, piter, false);
    }

    /** bool __sg_page_iter_dma_next(struct sg_dma_page_iter *dma_iter) */
    @KernelSymbol("__sg_page_iter_dma_next")
    static boolean pageIterDmaNext(KernelContext k, long dmaIter) {
        return pageIterStep(k, dmaIter + k.off("sg_dma_page_iter_base"), true);
    }
}
