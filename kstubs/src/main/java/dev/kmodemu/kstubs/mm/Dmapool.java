package dev.kmodemu.kstubs.mm;

import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.drivers.base.Core;
import dev.kmodemu.kstubs.drivers.base.Devres;
import dev.kmodemu.kstubs.kernel.Oops;
import dev.kmodemu.kstubs.kernel.dma.Mapping;
import dev.kmodemu.kstubs.lib.Lists;
import dev.kmodemu.kstubs.printk.Printk;

import java.nio.charset.StandardCharsets;

/**
 * mm/dmapool.c of 6.1 (before the 6.3 rewrite): pools of equal-sized coherent DMA blocks carved
 * from pages of {@code dma_alloc_coherent()}. Each {@code struct dma_page} keeps its free blocks
 * as a chain through their first four bytes ({@code page->offset} is the first free block, each
 * free block holds the next one's offset, {@code allocation} ends the chain), so a freed block is
 * the next one handed out. Pages are never returned before {@code dma_pool_destroy()}. The first
 * pool of a device adds its {@code pools} sysfs attribute, the last one removes it.
 * {@code DMAPOOL_DEBUG} is off (Debian has neither {@code CONFIG_DEBUG_SLAB} nor
 * {@code CONFIG_SLUB_DEBUG_ON}), so blocks are not poisoned or checked; Debian's
 * {@code init_on_alloc} zeroes every block handed out.
 *
 * <p>{@code struct dma_pool} and {@code struct dma_page} are private to dmapool.c; they are laid
 * out here as the 6.1 compiler lays them out on x86-64 without lock debugging.
 */
public final class Dmapool {
    private Dmapool() {
    }

    // struct dma_pool
    private static final int PAGE_LIST = 0;
    private static final int SIZE = 24;
    private static final int DEV = 32;
    private static final int ALLOCATION = 40;
    private static final int BOUNDARY = 48;
    private static final int NAME = 56;
    private static final int NAME_LEN = 32;
    private static final int POOLS = 88;
    private static final int POOL_SIZEOF = 104;

    // struct dma_page
    private static final int VADDR = 16;
    private static final int DMA = 24;
    private static final int IN_USE = 32;
    private static final int OFFSET = 36;
    private static final int PAGE_SIZEOF = 40;

    private static long rd(KernelContext k, long at) {
        return k.mem().read64(at);
    }

    private static void wr(KernelContext k, long at, long v) {
        k.mem().write64(at, v);
    }

    private static int rd32(KernelContext k, long at) {
        return k.mem().read32(at);
    }

    private static long devPools(KernelContext k, long dev) {
        return dev + k.off("device_dma_pools");
    }

    private static String name(KernelContext k, long pool) {
        return k.string(pool + NAME, NAME_LEN);
    }

    /** {@code static DEVICE_ATTR_RO(pools)}. */
    @KernelData(value = "dev_attr_pools", section = Machine.Section.RODATA, size = 64)
    static void devAttrPools(KernelContext k, long at) {
        Core.deviceAttribute(k, at, "pools", 0444, "pools_show", null);
    }

    /**
     * static ssize_t pools_show(struct device *dev, struct device_attribute *attr, char *buf):
     * "poolinfo - 0.1", then per pool its name, blocks in use, blocks in its pages, block size and
     * pages.
     */
    @KernelSymbol(value = "pools_show", internal = true)
    static long poolsShow(KernelContext k, long dev, long attr, long buf) {
        StringBuilder out = new StringBuilder("poolinfo - 0.1\n");
        for (long e : Lists.entries(k, devPools(k, dev))) {
            long pool = e - POOLS;
            long pages = 0;
            long blocks = 0;
            for (long page : Lists.entries(k, pool + PAGE_LIST)) {
                pages++;
                blocks += Integer.toUnsignedLong(rd32(k, page + IN_USE));
            }
            out.append(String.format("%-16s %4d %4d %4d %2d\n", name(k, pool), blocks,
                    pages * (rd(k, pool + ALLOCATION) / rd(k, pool + SIZE)), rd(k, pool + SIZE), pages));
        }
        byte[] b = out.toString().getBytes(StandardCharsets.US_ASCII);
        int n = Math.min(b.length, (int) Pages.PAGE - 1);
        k.mem().write(buf, java.util.Arrays.copyOf(b, n + 1));
        return n;
    }

    /**
     * struct dma_pool *dma_pool_create(const char *name, struct device *dev, size_t size, size_t
     * align, size_t boundary): NULL for an alignment or boundary that is not a power of two, a
     * zero size or a boundary below the size.
     */
    @KernelSymbol("dma_pool_create")
    public static long dmaPoolCreate(KernelContext k, long name, long dev, long size, long align, long boundary) {
        if (align == 0) {
            align = 1;
        } else if ((align & (align - 1)) != 0) {
            return 0;
        }
        if (size == 0) {
            return 0;
        } else if (Long.compareUnsigned(size, 4) < 0) {
            size = 4;
        }
        size = (size + align - 1) & -align;
        long allocation = Math.max(size, Pages.PAGE);
        if (boundary == 0) {
            boundary = allocation;
        } else if (Long.compareUnsigned(boundary, size) < 0 || (boundary & (boundary - 1)) != 0) {
            return 0;
        }
        long pool = k.slab().kmalloc(POOL_SIZEOF, Gfp.KERNEL);
        if (pool == 0) {
            return 0;
        }
        byte[] nm = k.string(name, 4096).getBytes(StandardCharsets.ISO_8859_1);
        byte[] field = new byte[NAME_LEN];
        System.arraycopy(nm, 0, field, 0, Math.min(nm.length, NAME_LEN - 1));
        k.mem().write(pool + NAME, field);
        wr(k, pool + DEV, dev);
        Lists.init(k, pool + PAGE_LIST);
        k.mem().write32(pool + 16, 0);
        wr(k, pool + SIZE, size);
        wr(k, pool + BOUNDARY, boundary);
        wr(k, pool + ALLOCATION, allocation);
        Lists.init(k, pool + POOLS);
        if (dev == 0) {
            return pool;
        }
        boolean empty = Lists.empty(k, devPools(k, dev));
        Lists.add(k, pool + POOLS, devPools(k, dev));
        if (empty && Core.deviceCreateFile(k, dev, k.sym("dev_attr_pools")) != 0) {
            Lists.del(k, pool + POOLS);
            k.slab().kfree(pool);
            return 0;
        }
        return pool;
    }

    /** {@code pool_initialise_page()}: chains the blocks, never letting one cross a boundary. */
    private static void initialisePage(KernelContext k, long pool, long vaddr) {
        long size = rd(k, pool + SIZE);
        long allocation = rd(k, pool + ALLOCATION);
        long boundary = rd(k, pool + BOUNDARY);
        int offset = 0;
        int nextBoundary = (int) boundary;
        do {
            int next = offset + (int) size;
            if (Integer.compareUnsigned(next + (int) size, nextBoundary) >= 0) {
                next = nextBoundary;
                nextBoundary += (int) boundary;
            }
            k.mem().write32(vaddr + offset, next);
            offset = next;
        } while (Integer.toUnsignedLong(offset) < allocation);
    }

    /** {@code pool_alloc_page()}: a page header and {@code allocation} coherent bytes. */
    private static long allocPage(KernelContext k, long pool, int gfp) {
        long page = k.slab().kmalloc(PAGE_SIZEOF, gfp);
        if (page == 0) {
            return 0;
        }
        long vaddr = Mapping.dmaAllocAttrs(k, rd(k, pool + DEV), rd(k, pool + ALLOCATION), page + DMA, gfp, 0);
        if (vaddr == 0) {
            k.slab().kfree(page);
            return 0;
        }
        wr(k, page + VADDR, vaddr);
        initialisePage(k, pool, vaddr);
        k.mem().write32(page + IN_USE, 0);
        k.mem().write32(page + OFFSET, 0);
        return page;
    }

    /** The first of the pool's pages (newest first) that {@code test} accepts, or 0. */
    private static long firstPage(KernelContext k, long pool, java.util.function.LongPredicate test) {
        for (long p : Lists.entries(k, pool + PAGE_LIST)) {
            if (test.test(p)) {
                return p;
            }
        }
        return 0;
    }

    /**
     * void *dma_pool_alloc(struct dma_pool *pool, gfp_t mem_flags, dma_addr_t *handle): the first
     * free block of the first page that has one, else of a new page added at the head.
     */
    @KernelSymbol("dma_pool_alloc")
    public static long dmaPoolAlloc(KernelContext k, long pool, int gfp, long handle) {
        long allocation = rd(k, pool + ALLOCATION);
        long page = firstPage(k, pool, p -> Integer.toUnsignedLong(rd32(k, p + OFFSET)) < allocation);
        if (page == 0) {
            page = allocPage(k, pool, gfp & ~Gfp.ZERO);
            if (page == 0) {
                return 0;
            }
            Lists.add(k, page + PAGE_LIST, pool + PAGE_LIST);
        }
        k.mem().write32(page + IN_USE, rd32(k, page + IN_USE) + 1);
        long offset = Integer.toUnsignedLong(rd32(k, page + OFFSET));
        long vaddr = rd(k, page + VADDR);
        k.mem().write32(page + OFFSET, rd32(k, vaddr + offset));
        wr(k, handle, rd(k, page + DMA) + offset);
        long ret = vaddr + offset;
        // want_init_on_alloc(): Debian's init_on_alloc is on.
        k.mem().fill(ret, rd(k, pool + SIZE), (byte) 0);
        return ret;
    }

    /**
     * void dma_pool_free(struct dma_pool *pool, void *vaddr, dma_addr_t dma): the block becomes its
     * page's first free one; "(bad dma)" if no page of the pool holds {@code dma}.
     */
    @KernelSymbol("dma_pool_free")
    public static void dmaPoolFree(KernelContext k, long pool, long vaddr, long dma) {
        long allocation = rd(k, pool + ALLOCATION);
        // pool_find_page()
        long page = firstPage(k, pool, p -> Long.compareUnsigned(dma, rd(k, p + DMA)) >= 0
                && Long.compareUnsigned(dma - rd(k, p + DMA), allocation) < 0);
        if (page == 0) {
            String msg = String.format("dma_pool_free %s, %s/0x%016x (bad dma)", name(k, pool),
                    ptr(k, vaddr), dma);
            error(k, pool, msg);
            return;
        }
        int offset = (int) (vaddr - rd(k, page + VADDR));
        k.mem().write32(page + IN_USE, rd32(k, page + IN_USE) - 1);
        k.mem().write32(vaddr, rd32(k, page + OFFSET));
        k.mem().write32(page + OFFSET, offset);
    }

    /** {@code %p}: the hashed pointer as vsprintf prints it. */
    private static String ptr(KernelContext k, long p) {
        return String.format("%016x", Printk.env(k).hashPointer(p) & 0xffffffffL);
    }

    private static void error(KernelContext k, long pool, String msg) {
        long dev = rd(k, pool + DEV);
        if (dev != 0) {
            Core.log(k, 3, dev, msg);
        } else {
            k.printk(3, msg);
        }
    }

    /**
     * void dma_pool_destroy(struct dma_pool *pool): frees the pages, leaking (with "busy") those
     * with blocks still in use; the device's {@code pools} file goes with its last pool.
     */
    @KernelSymbol("dma_pool_destroy")
    public static void dmaPoolDestroy(KernelContext k, long pool) {
        if (pool == 0) {
            return;
        }
        long dev = rd(k, pool + DEV);
        Lists.del(k, pool + POOLS);
        if (dev != 0 && Lists.empty(k, devPools(k, dev))) {
            Core.deviceRemoveFile(k, dev, k.sym("dev_attr_pools"));
        }
        for (long page : Lists.entries(k, pool + PAGE_LIST)) {
            long vaddr = rd(k, page + VADDR);
            if (rd32(k, page + IN_USE) != 0) {
                error(k, pool, "dma_pool_destroy " + name(k, pool) + ", " + ptr(k, vaddr) + " busy");
            } else {
                Mapping.dmaFreeAttrs(k, dev, rd(k, pool + ALLOCATION), vaddr, rd(k, page + DMA), 0);
            }
            Lists.del(k, page + PAGE_LIST);
            k.slab().kfree(page);
        }
        k.slab().kfree(pool);
    }

    /** The devres name of {@code devres_alloc(dmam_pool_release, ...)}. */
    @KernelData(value = "dmam_pool_release_name", section = Machine.Section.RODATA, size = 24)
    static void dmamPoolReleaseName(KernelContext k, long at) {
        k.mem().poke(at, "dmam_pool_release\0".getBytes(StandardCharsets.US_ASCII));
    }

    /** static void dmam_pool_release(struct device *dev, void *res) */
    @KernelSymbol(value = "dmam_pool_release", internal = true)
    static void dmamPoolRelease(KernelContext k, long dev, long res) {
        dmaPoolDestroy(k, rd(k, res));
    }

    /** static int dmam_pool_match(struct device *dev, void *res, void *match_data) */
    @KernelSymbol(value = "dmam_pool_match", internal = true)
    static int dmamPoolMatch(KernelContext k, long dev, long res, long match) {
        return rd(k, res) == match ? 1 : 0;
    }

    /**
     * struct dma_pool *dmam_pool_create(const char *name, struct device *dev, size_t size, size_t
     * align, size_t allocation): destroyed when the driver detaches
     */
    @KernelSymbol("dmam_pool_create")
    static long dmamPoolCreate(KernelContext k, long name, long dev, long size, long align, long allocation) {
        long ptr = Devres.devresAllocNode(k, k.sym("dmam_pool_release"), 8, Gfp.KERNEL, -1,
                k.sym("dmam_pool_release_name"));
        if (ptr == 0) {
            return 0;
        }
        long pool = dmaPoolCreate(k, name, dev, size, align, allocation);
        wr(k, ptr, pool);
        if (pool != 0) {
            Devres.devresAdd(k, dev, ptr);
        } else {
            Devres.devresFree(k, ptr);
        }
        return pool;
    }

    /** void dmam_pool_destroy(struct dma_pool *pool) */
    @KernelSymbol("dmam_pool_destroy")
    static void dmamPoolDestroy(KernelContext k, long pool) {
        long dev = rd(k, pool + DEV);
        if (Devres.devresRelease(k, dev, k.sym("dmam_pool_release"), k.sym("dmam_pool_match"), pool) != 0) {
            Oops.warn(k, "mm/dmapool.c:527", "dmam_pool_destroy", null);
        }
    }
}
