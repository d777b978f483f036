package dev.kmodemu.kstubs.lib;

import dev.kmodemu.kstubs.module.Modules;
import dev.kmodemu.kstubs.printk.KernelLog;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the library and core-service golden cases (testmods libds, libidr, libbits, libmisc,
 * liblocks) cannot show because the real kernel's output there is random or internal: the
 * reproducible random stream, the guest words kept for inline helpers, memory really released,
 * allocator reuse, and a self-deadlock reported like the kernel's hung-task watchdog.
 */
class LibsTest {
    private static List<String> messages(GuestKernel g, long since) {
        List<String> out = new ArrayList<>();
        for (KernelLog.Record r : g.logSince(since)) {
            out.addAll(r.lines());
        }
        return out;
    }

    @Test
    void everyKernelDrawsTheSameRandomNumbers() {
        long[] first = new long[6];
        long[] second = new long[6];
        byte[][] bytes = new byte[2][];
        for (int run = 0; run < 2; run++) {
            try (GuestKernel g = new GuestKernel()) {
                long[] out = run == 0 ? first : second;
                for (int i = 0; i < 5; i++) {
                    out[i] = g.icall("get_random_u32");
                }
                out[5] = g.call("get_random_u64");
                long buf = g.buf(32, 0);
                g.call("get_random_bytes", buf, 32);
                bytes[run] = g.c.mem().read(buf, 32);
                for (int i = 0; i < 100; i++) {
                    int below = g.icall("__get_random_u32_below", 7);
                    assertTrue(below >= 0 && below < 7, "below 7: " + below);
                }
            }
        }
        assertArrayEquals(first, second);
        assertArrayEquals(bytes[0], bytes[1]);
        assertNotEquals(first[0], first[1]);
    }

    @Test
    void kfreeRcuFreesTheObjectAfterAGracePeriod() {
        try (GuestKernel g = new GuestKernel()) {
            long obj = g.c.slab().kmalloc(64, 0);
            long onePtr = g.c.slab().kmalloc(32, 0);
            g.call("kvfree_call_rcu", obj + 16, 16);
            g.call("kvfree_call_rcu", 0, onePtr);
            assertTrue(g.c.slab().isAllocated(obj), "freed only after a grace period");
            g.call("rcu_barrier");
            assertFalse(g.c.slab().isAllocated(obj));
            assertFalse(g.c.slab().isAllocated(onePtr));
        }
    }

    @Test
    void xaHeadIsTheEntryAloneAtIndexZeroElseAnInternalNode() {
        try (GuestKernel g = new GuestKernel()) {
            long xa = g.buf(16, 0);
            long head = xa + g.c.off("xarray_xa_head");
            g.call("xa_store", xa, 0, 0x1000, 0xcc0);
            assertEquals(0x1000, g.c.mem().read64(head));
            g.call("xa_store", xa, 7, 0x2000, 0xcc0);
            long node = g.c.mem().read64(head);
            assertEquals(2, node & 3, "an internal (node) entry");
            g.call("xa_erase", xa, 7);
            assertEquals(0x1000, g.c.mem().read64(head));
            g.call("xa_erase", xa, 0);
            assertEquals(0, g.c.mem().read64(head));

            g.call("xa_store", xa, 5, 0x3000, 0xcc0);
            g.c.mem().write64(head, 0);   // xa_init() again over the same memory
            assertEquals(0, g.call("xa_load", xa, 5), "entries of a reinitialised array are gone");
        }
    }

    @Test
    void idaHeadHoldsSmallIdsAsAValueEntry() {
        try (GuestKernel g = new GuestKernel()) {
            long ida = g.buf(16, 0);
            long head = ida + g.c.off("xarray_xa_head");
            for (int i = 0; i < 3; i++) {
                assertEquals(i, g.icall("ida_alloc_range", ida, 0, -1, 0xcc0));
            }
            assertEquals((0b111L << 1) | 1, g.c.mem().read64(head), "xa_mk_value(0b111)");
            assertEquals(100, g.icall("ida_alloc_range", ida, 100, 200, 0xcc0));
            assertEquals(2, g.c.mem().read64(head) & 3);
            g.call("ida_destroy", ida);
            assertEquals(0, g.c.mem().read64(head), "ida_is_empty()");
        }
    }

    @Test
    void perCpuMemoryIsReusedZeroedAndBadSizesWarn() {
        try (GuestKernel g = new GuestKernel()) {
            long p = g.call("__alloc_percpu", 64, 8);
            long addr = g.c.machine().percpuAddress(p);
            g.c.mem().write64(addr, -1);
            g.call("free_percpu", p);
            long q = g.call("__alloc_percpu", 64, 8);
            assertEquals(p, q, "first fit");
            assertEquals(0, g.c.mem().read64(addr), "alloc_percpu memory is zeroed");
            long big = g.call("__alloc_percpu", 100, 256);
            assertEquals(0, big & 255, "aligned");

            long seq = g.logSeq();
            assertEquals(0, g.call("__alloc_percpu", 0, 4));
            assertTrue(messages(g, seq).contains("illegal size (0) or align (4) for percpu allocation"),
                    messages(g, seq).toString());
            seq = g.logSeq();
            assertEquals(0, g.call("__alloc_percpu", 40000, 8));
            assertTrue(messages(g, seq).contains("illegal size (40000) or align (8) for percpu allocation"));
        }
    }

    @Test
    void hwcacheAlignedCacheObjectsAreSpacedByTheAlignedSize() {
        hwcacheAlignedSpacing(dev.kmodemu.kstubs.Checks.NONE, 128);
        // KASAN puts its 64-byte redzone (optimal_redzone(100)) after each object, before aligning
        hwcacheAlignedSpacing(dev.kmodemu.kstubs.Checks.ALL, 192);
    }

    private void hwcacheAlignedSpacing(dev.kmodemu.kstubs.Checks checks, long spacing) {
        try (GuestKernel g = new GuestKernel(dev.kmodemu.kstubs.Kernel.Options.defaults().withChecks(checks))) {
            long cache = g.call("kmem_cache_create", g.str("test_cache"), 100, 0,
                    g.c.profile().value("SLAB_HWCACHE_ALIGN"), 0);
            assertEquals(100, g.icall("kmem_cache_size", cache));
            long a = g.call("kmem_cache_alloc", cache, 0xcc0);
            long b = g.call("kmem_cache_alloc", cache, 0xcc0);
            assertEquals(spacing, Math.abs(b - a));
            g.call("kmem_cache_free", cache, a);
            g.call("kmem_cache_free", cache, b);
            long seq = g.logSeq();
            g.call("kmem_cache_destroy", cache);
            assertTrue(messages(g, seq).isEmpty(), "an empty cache goes quietly");
        }
    }

    @Test
    void takingAWriteLockTwiceHangsLikeTheKernelReportsIt() {
        try (GuestKernel g = new GuestKernel()) {
            long sem = g.buf((int) g.c.profile().value("rw_semaphore_sizeof"), 0);
            g.call("__init_rwsem", sem, 0, 0);
            g.call("down_write", sem);
            assertEquals(1, g.c.mem().read64(sem + g.c.off("rw_semaphore_count")) & 1, "writer bit");
            long seq = g.logSeq();
            assertThrows(Modules.TaskKilled.class, () -> g.call("down_write", sem));
            List<String> log = messages(g, seq);
            assertTrue(log.stream().anyMatch(l -> l.matches("INFO: task .* blocked for more than 120 seconds\\.")),
                    log.toString());
        }
    }

    @Test
    void rationalBestApproximationMatchesTheKernelsContinuedFractions() {
        try (GuestKernel g = new GuestKernel()) {
            long out = g.buf(16, 0);
            // pi within 1000/1000: 355/113; 31416/10000 within 255/255: 245/78 (a semi-convergent)
            long[][] cases = {{31415926, 10000000, 1000, 1000, 355, 113}, {31416, 10000, 255, 255, 245, 78},
                {1, 3, 10, 10, 1, 3}, {7, 0, 100, 100, 1, 0}};
            for (long[] c : cases) {
                g.call("rational_best_approximation", c[0], c[1], c[2], c[3], out, out + 8);
                assertEquals(c[4], g.c.mem().read64(out), "numerator for " + c[0] + "/" + c[1]);
                assertEquals(c[5], g.c.mem().read64(out + 8), "denominator for " + c[0] + "/" + c[1]);
            }
        }
    }
}
