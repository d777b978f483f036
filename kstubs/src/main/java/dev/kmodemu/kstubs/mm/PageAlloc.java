package dev.kmodemu.kstubs.mm;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;

import java.util.HashMap;
import java.util.Map;

/**
 * mm/page_alloc.c for callers that deal in addresses: blocks of {@code 2^order} pages from the
 * direct map, naturally aligned as the buddy allocator's are, zeroed ({@code want_init_on_alloc()}:
 * always with Debian's {@code INIT_ON_ALLOC_DEFAULT_ON}, else for {@code __GFP_ZERO}); {@code alloc_pages_exact()}; and the node data every caller reads: the
 * per-cpu {@code numa_node} (CPU 0 is on node 0), {@code node_states[]} (node 0 online, with
 * memory and a CPU) and {@code _totalram_pages}. The {@code struct page} interfaces
 * ({@code alloc_pages}, {@code __free_pages}) are not provided: kmodemu has no memory map.
 */
public final class PageAlloc {
    private PageAlloc() {
    }

    /** Live blocks by address: their size in bytes. */
    private static Map<Long, Long> blocks(KernelContext k) {
        return k.state(PageAlloc.class, HashMap::new);
    }

    /** A block of {@code bytes} (a multiple of the page size) aligned to {@code align}; 0 if none. */
    private static long allocate(KernelContext k, long bytes, long align, int gfp) {
        AddressSpace.Region r = k.machine().heapArea().allocate(bytes, align, AddressSpace.RW, "pages");
        if (r == null) {
            return 0;
        }
        if (k.profile().value("INIT_ON_ALLOC_DEFAULT_ON") != 0 || (gfp & Gfp.ZERO) != 0) {
            k.mem().fill(r.base(), bytes, (byte) 0);
        }
        blocks(k).put(r.base(), bytes);
        return r.base();
    }

    private static void release(KernelContext k, long addr, String fn) {
        if (addr == 0) {
            return;
        }
        if (blocks(k).remove(addr) == null || !k.machine().heapArea().free(addr)) {
            k.printk(3, "kmodemu: " + fn + "() of 0x" + Long.toHexString(addr) + ", which the page allocator did not"
                    + " return, ignored");
        }
    }

    /** unsigned long __get_free_pages(gfp_t gfp_mask, unsigned int order) */
    @KernelSymbol("__get_free_pages")
    static long getFreePages(KernelContext k, int gfp, int order) {
        if (Integer.compareUnsigned(order, (int) k.profile().value("MAX_ORDER")) >= 0) {
            return 0;
        }
        long bytes = AddressSpace.PAGE << order;
        return allocate(k, bytes, bytes, gfp);
    }

    /** unsigned long get_zeroed_page(gfp_t gfp_mask) */
    @KernelSymbol("get_zeroed_page")
    static long getZeroedPage(KernelContext k, int gfp) {
        return getFreePages(k, gfp | Gfp.ZERO, 0);
    }

    /** void free_pages(unsigned long addr, unsigned int order) */
    @KernelSymbol("free_pages")
    static void freePages(KernelContext k, long addr, int order) {
        release(k, addr, "free_pages");
    }

    /** void *alloc_pages_exact(size_t size, gfp_t gfp_mask): whole pages, page aligned */
    @KernelSymbol("alloc_pages_exact")
    static long allocPagesExact(KernelContext k, long size, int gfp) {
        long bytes = (size + AddressSpace.PAGE - 1) & -AddressSpace.PAGE;
        if (bytes == 0 || Long.compareUnsigned(bytes, AddressSpace.PAGE << (k.profile().value("MAX_ORDER") - 1)) > 0) {
            return 0;
        }
        return allocate(k, bytes, AddressSpace.PAGE, gfp);
    }

    /** void free_pages_exact(void *virt, size_t size) */
    @KernelSymbol("free_pages_exact")
    static void freePagesExact(KernelContext k, long virt, long size) {
        release(k, virt, "free_pages_exact");
    }

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
