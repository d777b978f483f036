package dev.kmodemu.kstubs.crypto;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.lib.Scatterlist;

/**
 * crypto/scatterwalk.c and include/crypto/scatterwalk.h: a {@code struct scatter_walk} (the
 * current entry and the offset in it) in guest memory, walked in page-bounded steps through the
 * direct map; {@code scatterwalk_copychunks()}, {@code scatterwalk_map_and_copy()},
 * {@code scatterwalk_ffwd()}.
 */
public final class Scatterwalk {
    private final KernelContext k;
    private final long at;

    /** The {@code struct scatter_walk} at {@code at}. */
    Scatterwalk(KernelContext k, long at) {
        this.k = k;
        this.at = at;
    }

    long sg() {
        return k.mem().read64(at + k.off("scatter_walk_sg"));
    }

    int offset() {
        return k.mem().read32(at + k.off("scatter_walk_offset"));
    }

    void set(long sg, int offset) {
        k.mem().write64(at + k.off("scatter_walk_sg"), sg);
        k.mem().write32(at + k.off("scatter_walk_offset"), offset);
    }

    /** {@code scatterwalk_start()}. */
    void start(long sg) {
        set(sg, Scatterlist.offset(k, sg));
    }

    long end() {
        return Integer.toUnsignedLong(Scatterlist.offset(k, sg())) + Integer.toUnsignedLong(Scatterlist.length(k, sg()));
    }

    /** {@code scatterwalk_pagelen()}. */
    int pagelen() {
        long len = end() - Integer.toUnsignedLong(offset());
        long page = k.off("PAGE_SIZE");
        long thisPage = ((~offset()) & (page - 1)) + 1;
        return (int) Math.min(len, thisPage);
    }

    /** {@code scatterwalk_clamp()}. */
    int clamp(int nbytes) {
        return Integer.compareUnsigned(nbytes, pagelen()) > 0 ? pagelen() : nbytes;
    }

    void advance(int n) {
        k.mem().write32(at + k.off("scatter_walk_offset"), offset() + n);
    }

    /** {@code scatterwalk_page()}. */
    long page() {
        return Scatterlist.page(k, sg()) + Integer.toUnsignedLong(offset() >>> 12) * k.off("page_sizeof");
    }

    /** {@code scatterwalk_map()} / {@code skcipher_map()}: the direct map has no highmem. */
    long map() {
        return Scatterlist.pageAddress(k, page()) + (offset() & (k.off("PAGE_SIZE") - 1));
    }

    /** {@code scatterwalk_pagedone()}. */
    void pagedone(boolean more) {
        if (more && Integer.toUnsignedLong(offset()) >= end()) {
            start(Scatterlist.next(k, sg()));
        }
    }

    /** {@code scatterwalk_done()}. */
    void done(boolean more) {
        if (!more || Integer.toUnsignedLong(offset()) >= end() || (offset() & (k.off("PAGE_SIZE") - 1)) == 0) {
            pagedone(more);
        }
    }

    /** {@code scatterwalk_copychunks()}: out copies buf into the list, else the list into buf. */
    void copychunks(long buf, int nbytes, boolean out) {
        for (;;) {
            int len = pagelen();
            if (Integer.compareUnsigned(len, nbytes) > 0) {
                len = nbytes;
            }
            long vaddr = map();
            if (out) {
                k.mem().write(vaddr, k.mem().read(buf, len));
            } else {
                k.mem().write(buf, k.mem().read(vaddr, len));
            }
            advance(len);
            if (nbytes == len) {
                break;
            }
            buf += len;
            nbytes -= len;
            pagedone(true);
        }
    }

    /** void scatterwalk_copychunks(void *buf, struct scatter_walk *walk, size_t nbytes, int out) */
    @KernelSymbol("scatterwalk_copychunks")
    static void copychunksSym(KernelContext k, long buf, long walk, long nbytes, int out) {
        if (out != 2) {
            new Scatterwalk(k, walk).copychunks(buf, (int) nbytes, out != 0);
        } else {
            // out == 2 (physical walks): only advance
            Scatterwalk w = new Scatterwalk(k, walk);
            int n = (int) nbytes;
            for (;;) {
                int len = Math.min(w.pagelen(), n);
                w.advance(len);
                if (n == len) {
                    break;
                }
                n -= len;
                w.pagedone(true);
            }
        }
    }

    /** {@code sg_set_page()}: keeps the entry's chain and end bits. */
    private static void setPage(KernelContext k, long sg, long page, int len, int offset) {
        AddressSpace m = k.mem();
        long keep = Scatterlist.pageLink(k, sg) & (k.off("SG_CHAIN") | k.off("SG_END"));
        m.write64(sg + k.off("scatterlist_page_link"), page | keep);
        m.write32(sg + k.off("scatterlist_offset"), offset);
        m.write32(sg + k.off("scatterlist_length"), len);
    }

    /**
     * struct scatterlist *scatterwalk_ffwd(struct scatterlist dst[2], struct scatterlist *src, unsigned int len):
     * the list from {@code len} bytes on, its first entry cut in {@code dst[0]}, chained on in {@code dst[1]}
     */
    @KernelSymbol("scatterwalk_ffwd")
    static long ffwd(KernelContext k, long dst, long src, int len) {
        AddressSpace m = k.mem();
        for (;;) {
            if (len == 0) {
                return src;
            }
            int l = Scatterlist.length(k, src);
            if (Integer.compareUnsigned(l, len) > 0) {
                break;
            }
            len -= l;
            src = Scatterlist.next(k, src);
        }
        Scatterlist.initTable(k, dst, 2);
        setPage(k, dst, Scatterlist.page(k, src), Scatterlist.length(k, src) - len, Scatterlist.offset(k, src) + len);
        long next = Scatterlist.next(k, src);
        long second = dst + k.off("scatterlist_sizeof");
        if (next != 0) {
            // sg_chain(dst, 2, next)
            m.write32(second + k.off("scatterlist_offset"), 0);
            m.write32(second + k.off("scatterlist_length"), 0);
            m.write64(second + k.off("scatterlist_page_link"), (next | k.off("SG_CHAIN")) & ~(long) k.off("SG_END"));
        } else {
            // sg_mark_end(dst)
            long link = Scatterlist.pageLink(k, dst);
            m.write64(dst + k.off("scatterlist_page_link"), (link | k.off("SG_END")) & ~(long) k.off("SG_CHAIN"));
        }
        return dst;
    }

    /**
     * void scatterwalk_map_and_copy(void *buf, struct scatterlist *sg, unsigned int start,
     * unsigned int nbytes, int out)
     */
    @KernelSymbol("scatterwalk_map_and_copy")
    static void mapAndCopy(KernelContext k, long buf, long sg, int start, int nbytes, int out) {
        if (nbytes == 0) {
            return;
        }
        long tmp = k.slab().kmalloc(2L * k.off("scatterlist_sizeof") + 16, 0xcc0);
        long walk = tmp + 2L * k.off("scatterlist_sizeof");
        try {
            Scatterwalk w = new Scatterwalk(k, walk);
            w.start(ffwd(k, tmp, sg, start));
            w.copychunks(buf, nbytes, out != 0);
            w.done(false);
        } finally {
            k.slab().kfree(tmp);
        }
    }

    /**
     * noinline unsigned long __crypto_memneq(const void *a, const void *b, size_t size)
     * (lib/crypto/memneq.c): the OR of the differences, word by word then byte by byte; 0 if equal
     */
    @KernelSymbol("__crypto_memneq")
    static long memneq(KernelContext k, long a, long b, long size) {
        AddressSpace m = k.mem();
        long neq = 0;
        while (size >= 8) {
            neq |= m.read64(a) ^ m.read64(b);
            a += 8;
            b += 8;
            size -= 8;
        }
        while (size > 0) {
            neq |= (m.read8(a) ^ m.read8(b)) & 0xff;
            a++;
            b++;
            size--;
        }
        return neq;
    }
}
