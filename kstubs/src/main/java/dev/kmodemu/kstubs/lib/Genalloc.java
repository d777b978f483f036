package dev.kmodemu.kstubs.lib;

import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.drivers.base.Devres;
import dev.kmodemu.kstubs.kernel.Oops;
import dev.kmodemu.kstubs.mm.Gfp;
import dev.kmodemu.kstubs.mm.Util;
import dev.kmodemu.kstubs.mm.Vmalloc;

import java.nio.charset.StandardCharsets;

/**
 * lib/genalloc.c: the general purpose special memory pool allocator. A {@code struct gen_pool}
 * (kmalloc'd) holds a list of {@code struct gen_pool_chunk}s (vzalloc'd with their allocation
 * bitmap after them, one bit per {@code 1 << min_alloc_order} bytes); allocations search a
 * chunk's bitmap with the pool's algorithm ({@code gen_pool_first_fit} unless set otherwise) and
 * set the bits, frees clear them. The structures live in guest memory exactly as the kernel lays
 * them out, so modules that walk them (or {@code gen_pool_for_each_chunk()} callers) see the same
 * state. Bits are set and cleared without the kernel's cmpxchg loops: the emulated machine runs
 * one CPU at a time, so {@code bitmap_set_ll()} never meets a concurrent setter and its "remain"
 * is always 0.
 */
public final class Genalloc {
    private Genalloc() {
    }

    private static final String FILE = "lib/genalloc.c:";

    private static long rd(KernelContext k, long at) {
        return k.mem().read64(at);
    }

    private static void wr(KernelContext k, long at, long v) {
        k.mem().write64(at, v);
    }

    private static int order(KernelContext k, long pool) {
        return k.mem().read32(pool + k.off("gen_pool_min_alloc_order"));
    }

    /** The chunks of a pool, in list order (newest first: {@code list_add_rcu()}). */
    private static java.util.List<Long> chunks(KernelContext k, long pool) {
        java.util.List<Long> out = new java.util.ArrayList<>();
        long off = k.off("gen_pool_chunk_next_chunk");
        for (long e : Lists.entries(k, pool + k.off("gen_pool_chunks"))) {
            out.add(e - off);
        }
        return out;
    }

    private static long start(KernelContext k, long chunk) {
        return rd(k, chunk + k.off("gen_pool_chunk_start_addr"));
    }

    private static long end(KernelContext k, long chunk) {
        return rd(k, chunk + k.off("gen_pool_chunk_end_addr"));
    }

    /** {@code chunk_size()}. */
    private static long chunkSize(KernelContext k, long chunk) {
        return end(k, chunk) - start(k, chunk) + 1;
    }

    private static long bits(KernelContext k, long chunk) {
        return chunk + k.off("gen_pool_chunk_bits");
    }

    private static long availAt(KernelContext k, long chunk) {
        return chunk + k.off("gen_pool_chunk_avail");
    }

    // ---------------------------------------------------------------- pools

    /** struct gen_pool *gen_pool_create(int min_alloc_order, int nid) */
    @KernelSymbol("gen_pool_create")
    public static long genPoolCreate(KernelContext k, int minAllocOrder, int nid) {
        long pool = k.slab().kmalloc(k.off("gen_pool_sizeof"), Gfp.KERNEL);
        if (pool == 0) {
            return 0;
        }
        k.mem().fill(pool, k.off("gen_pool_sizeof"), (byte) 0);
        Lists.init(k, pool + k.off("gen_pool_chunks"));
        k.mem().write32(pool + k.off("gen_pool_min_alloc_order"), minAllocOrder);
        wr(k, pool + k.off("gen_pool_algo"), k.sym("gen_pool_first_fit"));
        return pool;
    }

    /**
     * int gen_pool_add_owner(struct gen_pool *pool, unsigned long virt, phys_addr_t phys, size_t
     * size, int nid, void *owner): a chunk with {@code size >> min_alloc_order} bits, all free.
     */
    @KernelSymbol("gen_pool_add_owner")
    public static int genPoolAddOwner(KernelContext k, long pool, long virt, long phys, long size, int nid, long owner) {
        long nbits = size >>> order(k, pool);
        long nbytes = k.off("gen_pool_chunk_sizeof") + ((nbits + 63) / 64) * 8;
        long chunk = Vmalloc.vzalloc(k, nbytes);
        if (chunk == 0) {
            return -Errno.ENOMEM;
        }
        wr(k, chunk + k.off("gen_pool_chunk_phys_addr"), phys);
        wr(k, chunk + k.off("gen_pool_chunk_start_addr"), virt);
        wr(k, chunk + k.off("gen_pool_chunk_end_addr"), virt + size - 1);
        wr(k, chunk + k.off("gen_pool_chunk_owner"), owner);
        wr(k, availAt(k, chunk), size);
        Lists.add(k, chunk + k.off("gen_pool_chunk_next_chunk"), pool + k.off("gen_pool_chunks"));
        return 0;
    }

    /** phys_addr_t gen_pool_virt_to_phys(struct gen_pool *pool, unsigned long addr): -1 if no chunk holds it */
    @KernelSymbol("gen_pool_virt_to_phys")
    public static long genPoolVirtToPhys(KernelContext k, long pool, long addr) {
        for (long chunk : chunks(k, pool)) {
            if (Long.compareUnsigned(addr, start(k, chunk)) >= 0 && Long.compareUnsigned(addr, end(k, chunk)) <= 0) {
                return rd(k, chunk + k.off("gen_pool_chunk_phys_addr")) + addr - start(k, chunk);
            }
        }
        return -1L;
    }

    /** void gen_pool_destroy(struct gen_pool *pool): BUG if an allocation is still outstanding */
    @KernelSymbol("gen_pool_destroy")
    public static void genPoolDestroy(KernelContext k, long pool) {
        int order = order(k, pool);
        for (long chunk : chunks(k, pool)) {
            Lists.del(k, chunk + k.off("gen_pool_chunk_next_chunk"));
            long endBit = chunkSize(k, chunk) >>> order;
            if (FindBit.findNextBit(k, bits(k, chunk), endBit, 0) < endBit) {
                throw Oops.bug(k, FILE + "255");
            }
            k.vmalloc().vfree(chunk);
        }
        Util.kfreeConst(k, rd(k, pool + k.off("gen_pool_name")));
        k.slab().kfree(pool);
    }

    /**
     * unsigned long gen_pool_alloc_algo_owner(struct gen_pool *pool, size_t size, genpool_algo_t
     * algo, void *data, void **owner): the first chunk (in list order) with enough bytes
     * available where the algorithm finds room; the size is rounded up to whole bits.
     */
    @KernelSymbol("gen_pool_alloc_algo_owner")
    public static long genPoolAllocAlgoOwner(KernelContext k, long pool, long size, long algo, long data, long owner) {
        if (owner != 0) {
            wr(k, owner, 0);
        }
        if (size == 0) {
            return 0;
        }
        int order = order(k, pool);
        long nbits = (size + (1L << order) - 1) >>> order;
        for (long chunk : chunks(k, pool)) {
            if (Long.compareUnsigned(size, rd(k, availAt(k, chunk))) > 0) {
                continue;
            }
            long endBit = chunkSize(k, chunk) >>> order;
            long startBit = runAlgo(k, algo, bits(k, chunk), endBit, 0, nbits, data, pool, start(k, chunk));
            if (Long.compareUnsigned(startBit, endBit) >= 0) {
                continue;
            }
            Bitmap.set(k, bits(k, chunk), (int) startBit, (int) nbits);
            long addr = start(k, chunk) + (startBit << order);
            wr(k, availAt(k, chunk), rd(k, availAt(k, chunk)) - (nbits << order));
            if (owner != 0) {
                wr(k, owner, rd(k, chunk + k.off("gen_pool_chunk_owner")));
            }
            return addr;
        }
        return 0;
    }

    /** unsigned long gen_pool_alloc_owner(...) as the header's inline: the pool's own algorithm */
    private static long allocPoolAlgo(KernelContext k, long pool, long size) {
        return genPoolAllocAlgoOwner(k, pool, size, rd(k, pool + k.off("gen_pool_algo")),
                rd(k, pool + k.off("gen_pool_data")), 0);
    }

    /** The pool's algorithm: the kernel's own ones in Java, a module's through the CPU. */
    private static long runAlgo(KernelContext k, long algo, long map, long size, long start, long nr, long data,
            long pool, long startAddr) {
        if (algo == k.sym("gen_pool_first_fit")) {
            return firstFit(k, map, size, start, (int) nr, data, pool, startAddr);
        }
        if (algo == k.sym("gen_pool_first_fit_align")) {
            return firstFitAlign(k, map, size, start, (int) nr, data, pool, startAddr);
        }
        if (algo == k.sym("gen_pool_first_fit_order_align")) {
            return firstFitOrderAlign(k, map, size, start, (int) nr, data, pool, startAddr);
        }
        if (algo == k.sym("gen_pool_fixed_alloc")) {
            return fixedAlloc(k, map, size, start, (int) nr, data, pool, startAddr);
        }
        return k.call(algo, map, size, start, nr, data, pool, startAddr);
    }

    // ---------------------------------------------------------------- algorithms

    /**
     * unsigned long gen_pool_first_fit(unsigned long *map, unsigned long size, unsigned long
     * start, unsigned int nr, void *data, struct gen_pool *pool, unsigned long start_addr)
     */
    @KernelSymbol("gen_pool_first_fit")
    static long firstFit(KernelContext k, long map, long size, long start, int nr, long data, long pool,
            long startAddr) {
        return Bitmap.findNextZeroAreaOff(k, map, size, start, nr, 0, 0);
    }

    /** gen_pool_first_fit_align(): aligned to {@code ((struct genpool_data_align *)data)->align} bytes */
    @KernelSymbol("gen_pool_first_fit_align")
    static long firstFitAlign(KernelContext k, long map, long size, long start, int nr, long data, long pool,
            long startAddr) {
        long alignment = k.mem().read32(data + k.off("genpool_data_align_align"));
        int order = order(k, pool);
        long alignMask = ((alignment + (1L << order) - 1) >>> order) - 1;
        long alignOff = (startAddr & (alignment - 1)) >>> order;
        return Bitmap.findNextZeroAreaOff(k, map, size, start, nr, alignMask, alignOff);
    }

    /** gen_pool_fixed_alloc(): exactly at {@code ((struct genpool_data_fixed *)data)->offset}, or {@code size} */
    @KernelSymbol("gen_pool_fixed_alloc")
    static long fixedAlloc(KernelContext k, long map, long size, long start, int nr, long data, long pool,
            long startAddr) {
        int order = order(k, pool);
        long offsetBit = rd(k, data + k.off("genpool_data_fixed_offset")) >>> order;
        if (Long.compareUnsigned(offsetBit, size) >= 0) {
            return size;
        }
        long startBit = Bitmap.findNextZeroAreaOff(k, map, size, offsetBit, nr, 0, 0);
        return startBit != offsetBit ? size : startBit;
    }

    /** gen_pool_first_fit_order_align(): aligned to the allocation's own power-of-two bit count */
    @KernelSymbol("gen_pool_first_fit_order_align")
    static long firstFitOrderAlign(KernelContext k, long map, long size, long start, int nr, long data, long pool,
            long startAddr) {
        long alignMask = Long.highestOneBit(Math.max(1, nr) * 2L - 1) - 1;
        return Bitmap.findNextZeroAreaOff(k, map, size, start, nr, alignMask, 0);
    }

    // ---------------------------------------------------------------- DMA flavours

    /**
     * {@code gen_pool_dma_alloc_algo()}: NULL for a NULL pool, else the allocation and, if asked,
     * its physical address as the DMA handle.
     */
    private static long dmaAllocAlgo(KernelContext k, long pool, long size, long dma, long algo, long data) {
        if (pool == 0) {
            return 0;
        }
        long vaddr = genPoolAllocAlgoOwner(k, pool, size, algo, data, 0);
        if (vaddr == 0) {
            return 0;
        }
        if (dma != 0) {
            wr(k, dma, genPoolVirtToPhys(k, pool, vaddr));
        }
        return vaddr;
    }

    /** void *gen_pool_dma_alloc(struct gen_pool *pool, size_t size, dma_addr_t *dma) */
    @KernelSymbol("gen_pool_dma_alloc")
    static long genPoolDmaAlloc(KernelContext k, long pool, long size, long dma) {
        if (pool == 0) {
            return 0;
        }
        return dmaAllocAlgo(k, pool, size, dma, rd(k, pool + k.off("gen_pool_algo")), rd(k, pool + k.off("gen_pool_data")));
    }

    /** Aligned allocation through {@code gen_pool_first_fit_align} with a {@code genpool_data_align} on the heap. */
    private static long dmaAllocAlign(KernelContext k, long pool, long size, long dma, int align) {
        long data = k.slab().kmalloc(8, Gfp.KERNEL);
        k.mem().write32(data + k.off("genpool_data_align_align"), align);
        try {
            return dmaAllocAlgo(k, pool, size, dma, k.sym("gen_pool_first_fit_align"), data);
        } finally {
            k.slab().kfree(data);
        }
    }

    /** void *gen_pool_dma_alloc_align(struct gen_pool *pool, size_t size, dma_addr_t *dma, int align) */
    @KernelSymbol("gen_pool_dma_alloc_align")
    static long genPoolDmaAllocAlign(KernelContext k, long pool, long size, long dma, int align) {
        return dmaAllocAlign(k, pool, size, dma, align);
    }

    /** {@code gen_pool_dma_zalloc_algo()}: the allocation zeroed. */
    private static long zeroed(KernelContext k, long vaddr, long size) {
        if (vaddr != 0) {
            k.mem().fill(vaddr, size, (byte) 0);
        }
        return vaddr;
    }

    /** void *gen_pool_dma_zalloc(struct gen_pool *pool, size_t size, dma_addr_t *dma) */
    @KernelSymbol("gen_pool_dma_zalloc")
    static long genPoolDmaZalloc(KernelContext k, long pool, long size, long dma) {
        return zeroed(k, genPoolDmaAlloc(k, pool, size, dma), size);
    }

    /** void *gen_pool_dma_zalloc_align(struct gen_pool *pool, size_t size, dma_addr_t *dma, int align) */
    @KernelSymbol("gen_pool_dma_zalloc_align")
    static long genPoolDmaZallocAlign(KernelContext k, long pool, long size, long dma, int align) {
        return zeroed(k, dmaAllocAlign(k, pool, size, dma, align), size);
    }

    /**
     * void gen_pool_free_owner(struct gen_pool *pool, unsigned long addr, size_t size, void
     * **owner): clears the bits; BUG if no chunk holds {@code addr} or the range runs past it.
     */
    @KernelSymbol("gen_pool_free_owner")
    public static void genPoolFreeOwner(KernelContext k, long pool, long addr, long size, long owner) {
        if (owner != 0) {
            wr(k, owner, 0);
        }
        int order = order(k, pool);
        long nbits = (size + (1L << order) - 1) >>> order;
        for (long chunk : chunks(k, pool)) {
            if (Long.compareUnsigned(addr, start(k, chunk)) >= 0 && Long.compareUnsigned(addr, end(k, chunk)) <= 0) {
                if (Long.compareUnsigned(addr + size - 1, end(k, chunk)) > 0) {
                    throw Oops.bug(k, FILE + "505");
                }
                long startBit = (addr - start(k, chunk)) >>> order;
                Bitmap.clear(k, bits(k, chunk), (int) startBit, (int) nbits);
                wr(k, availAt(k, chunk), rd(k, availAt(k, chunk)) + (nbits << order));
                if (owner != 0) {
                    wr(k, owner, rd(k, chunk + k.off("gen_pool_chunk_owner")));
                }
                return;
            }
        }
        throw Oops.bug(k, FILE + "518");
    }

    /** size_t gen_pool_avail(struct gen_pool *pool): the bytes free in all chunks */
    @KernelSymbol("gen_pool_avail")
    public static long genPoolAvail(KernelContext k, long pool) {
        long avail = 0;
        for (long chunk : chunks(k, pool)) {
            avail += rd(k, availAt(k, chunk));
        }
        return avail;
    }

    /** size_t gen_pool_size(struct gen_pool *pool): the bytes of all chunks */
    @KernelSymbol("gen_pool_size")
    public static long genPoolSize(KernelContext k, long pool) {
        long size = 0;
        for (long chunk : chunks(k, pool)) {
            size += chunkSize(k, chunk);
        }
        return size;
    }

    /** bool gen_pool_has_addr(struct gen_pool *pool, unsigned long start, size_t size): all of it in one chunk */
    @KernelSymbol("gen_pool_has_addr")
    static boolean genPoolHasAddr(KernelContext k, long pool, long start, long size) {
        long end = start + size - 1;
        for (long chunk : chunks(k, pool)) {
            if (Long.compareUnsigned(start, start(k, chunk)) >= 0 && Long.compareUnsigned(end, end(k, chunk)) <= 0) {
                return true;
            }
        }
        return false;
    }

    /** void gen_pool_set_algo(struct gen_pool *pool, genpool_algo_t algo, void *data): NULL means first fit */
    @KernelSymbol("gen_pool_set_algo")
    static void genPoolSetAlgo(KernelContext k, long pool, long algo, long data) {
        wr(k, pool + k.off("gen_pool_algo"), algo == 0 ? k.sym("gen_pool_first_fit") : algo);
        wr(k, pool + k.off("gen_pool_data"), data);
    }

    // ---------------------------------------------------------------- managed pools

    /** The devres name of {@code devres_alloc_node(devm_gen_pool_release, ...)}. */
    @KernelData(value = "devm_gen_pool_release_name", section = Machine.Section.RODATA, size = 24)
    static void devmGenPoolReleaseName(KernelContext k, long at) {
        k.mem().poke(at, "devm_gen_pool_release\0".getBytes(StandardCharsets.US_ASCII));
    }

    /** static void devm_gen_pool_release(struct device *dev, void *res) */
    @KernelSymbol(value = "devm_gen_pool_release", internal = true)
    static void devmGenPoolRelease(KernelContext k, long dev, long res) {
        genPoolDestroy(k, rd(k, res));
    }

    /** static int devm_gen_pool_match(struct device *dev, void *res, void *data): by name, NULL matching NULL */
    @KernelSymbol(value = "devm_gen_pool_match", internal = true)
    static int devmGenPoolMatch(KernelContext k, long dev, long res, long data) {
        long name = rd(k, rd(k, res) + k.off("gen_pool_name"));
        if (data == 0 && name == 0) {
            return 1;
        }
        if (data == 0 || name == 0) {
            return 0;
        }
        return k.string(data, 4096).equals(k.string(name, 4096)) ? 1 : 0;
    }

    /** struct gen_pool *gen_pool_get(struct device *dev, const char *name) */
    @KernelSymbol("gen_pool_get")
    static long genPoolGet(KernelContext k, long dev, long name) {
        long p = Devres.devresFind(k, dev, k.sym("devm_gen_pool_release"), k.sym("devm_gen_pool_match"), name);
        return p == 0 ? 0 : rd(k, p);
    }

    /**
     * struct gen_pool *devm_gen_pool_create(struct device *dev, int min_alloc_order, int nid,
     * const char *name): ERR_PTR(-EINVAL) if the device already has a pool of that name,
     * ERR_PTR(-ENOMEM) if an allocation fails; destroyed when the driver detaches.
     */
    @KernelSymbol("devm_gen_pool_create")
    static long devmGenPoolCreate(KernelContext k, long dev, int minAllocOrder, int nid, long name) {
        if (name != 0 && genPoolGet(k, dev, name) != 0) {
            return -Errno.EINVAL;
        }
        long ptr = Devres.devresAllocNode(k, k.sym("devm_gen_pool_release"), 8, Gfp.KERNEL, nid,
                k.sym("devm_gen_pool_release_name"));
        if (ptr == 0) {
            return -Errno.ENOMEM;
        }
        long poolName = 0;
        if (name != 0) {
            poolName = Util.kstrdupConst(k, name, Gfp.KERNEL);
            if (poolName == 0) {
                Devres.devresFree(k, ptr);
                return -Errno.ENOMEM;
            }
        }
        long pool = genPoolCreate(k, minAllocOrder, nid);
        if (pool == 0) {
            Util.kfreeConst(k, poolName);
            Devres.devresFree(k, ptr);
            return -Errno.ENOMEM;
        }
        wr(k, ptr, pool);
        wr(k, pool + k.off("gen_pool_name"), poolName);
        Devres.devresAdd(k, dev, ptr);
        return pool;
    }
}
