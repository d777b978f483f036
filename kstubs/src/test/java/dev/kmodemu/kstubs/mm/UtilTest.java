package dev.kmodemu.kstubs.mm;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Util} called through the CPU. "golden N" marks what the real 6.1 kernel computed in
 * testmods/kmallocstr (expected/default.json, {@code modules[0].insmod_dmesg[N]}).
 */
class UtilTest extends BootedKernelTest {
    private static long bytes(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        long p = c.slab().kmalloc(Math.max(1, b.length), 0);
        c.mem().write(p, b);
        return p;
    }

    private static String string(long p) {
        return c.string(p, 4096);
    }

    @Test
    void kstrdupGolden() {
        // golden 16: kstrdup: [a kstrdup'd string] len=18
        long src = bytes("a kstrdup'd string\0");
        long p = call("kstrdup", src, Gfp.KERNEL);
        assertNotEquals(src, p);
        assertEquals("a kstrdup'd string", string(p));
        assertEquals(32, c.slab().ksize(p));
        // golden 17: kstrdup(NULL): is NULL=1
        assertEquals(0, call("kstrdup", 0, Gfp.KERNEL));
    }

    @Test
    void kmemdupGolden() {
        // golden 15: kmemdup: [dup me] then [tail] memcmp=0
        long z = bytes("dup me\0tail\0");
        long q = call("kmemdup", z, 11, Gfp.KERNEL);
        assertEquals("dup me", string(q));
        assertEquals("tail", c.string(q + 7, 4));
        assertEquals(0, (int) call("memcmp", q, z, 11));
        assertEquals(16, c.slab().ksize(q));
    }

    @Test
    void kstrndupAndKmemdupNul() {
        long s = bytes("abcdef\0");
        long p = call("kstrndup", s, 3, Gfp.KERNEL);
        assertEquals("abc", string(p));
        assertEquals(8, c.slab().ksize(p));
        assertEquals("abcdef", string(call("kstrndup", s, 100, Gfp.KERNEL)));
        assertEquals(0, call("kstrndup", 0, 3, Gfp.KERNEL));
        long raw = bytes("xy\0z");
        long q = call("kmemdup_nul", raw, 4, Gfp.KERNEL);
        assertEquals("xy\0z\0", new String(c.mem().read(q, 5), StandardCharsets.ISO_8859_1));
        assertEquals(0, call("kmemdup_nul", 0, 4, Gfp.KERNEL));
    }

    @Test
    void constVariantsKeepKernelRodata() {
        long rodata = c.sym("hex_asc");
        assertTrue(Util.isKernelRodata(rodata));
        assertEquals(rodata, call("kstrdup_const", rodata, Gfp.KERNEL));
        call("kfree_const", rodata);
        long s = bytes("heap\0");
        assertFalse(Util.isKernelRodata(s));
        long d = call("kstrdup_const", s, Gfp.KERNEL);
        assertNotEquals(s, d);
        assertTrue(c.slab().isAllocated(d));
        call("kfree_const", d);
        assertFalse(c.slab().isAllocated(d));
        // ro_after_init is inside __start_rodata..__end_rodata too
        assertTrue(Util.isKernelRodata(c.sym("kmalloc_caches")));
    }

    @Test
    void kmallocSizeRoundup() {
        // golden 3..11: the ksize() of kmalloc(1, 8, 9, 96, 100, 200, 4096, 5000, 10000)
        long[][] golden = {{1, 8}, {8, 8}, {9, 16}, {96, 96}, {100, 128}, {200, 256}, {4096, 4096},
            {5000, 8192}, {10000, 16384}};
        for (long[] g : golden) {
            assertEquals(g[1], call("kmalloc_size_roundup", g[0]), "kmalloc_size_roundup(" + g[0] + ")");
        }
        assertEquals(0, call("kmalloc_size_roundup", 0));
        assertEquals(-1L, call("kmalloc_size_roundup", -1L));
        assertEquals(192, call("kmalloc_size_roundup", 129));
        assertEquals(8192, call("kmalloc_size_roundup", 8192));
        assertEquals(16384, call("kmalloc_size_roundup", 8193));
        assertEquals(1L << 21, call("kmalloc_size_roundup", (1L << 20) + 1));
        assertEquals(0, call("kmalloc_size_roundup", -2L));
    }
}
