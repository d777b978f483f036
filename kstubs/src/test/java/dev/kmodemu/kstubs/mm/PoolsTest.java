package dev.kmodemu.kstubs.mm;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * lib/genalloc.c and mm/dmapool.c driven through their exported symbols on the CPU; the expected
 * addresses are those the kernel's first-fit bitmap search and free-block chains give.
 */
class PoolsTest extends BootedKernelTest {
    @Test
    void genPoolFirstFitAlignmentReuseAndAvail() {
        long pool = call("gen_pool_create", 5, -1); // 32-byte granules
        assertNotEquals(0, pool);
        long buf = call("__get_free_pages", Gfp.KERNEL, 0);
        long phys = 0x12340000L;
        assertEquals(0, call("gen_pool_add_owner", pool, buf, phys, 4096, -1, 0));
        assertEquals(4096, call("gen_pool_size", pool));
        assertEquals(4096, call("gen_pool_avail", pool));

        // 100 bytes take four 32-byte bits at the start of the chunk
        long a = call("gen_pool_alloc_algo_owner", pool, 100, c.sym("gen_pool_first_fit"), 0, 0);
        assertEquals(buf, a);
        assertEquals(4096 - 128, call("gen_pool_avail", pool));

        long dma = c.slab().kmalloc(8, 0);
        long b = call("gen_pool_dma_alloc", pool, 32, dma);
        assertEquals(buf + 128, b);
        assertEquals(phys + 128, c.mem().read64(dma));

        // first zero bit is 5, rounded up to a 256-byte (8-bit) boundary
        long d = call("gen_pool_dma_alloc_align", pool, 64, dma, 256);
        assertEquals(buf + 256, d);
        assertEquals(0, d & 255);
        assertEquals(phys + 256, c.mem().read64(dma));
        assertEquals(4096 - 128 - 32 - 64, call("gen_pool_avail", pool));

        // freeing the first allocation makes its bits the first fit again
        call("gen_pool_free_owner", pool, a, 100, 0);
        assertEquals(4096 - 32 - 64, call("gen_pool_avail", pool));
        long e = call("gen_pool_dma_alloc", pool, 64, dma);
        assertEquals(buf, e);
        assertEquals(phys, c.mem().read64(dma));
        // bits 2..3 stay free for a 64-byte request; 96 bytes need 3 bits: bits 5..7 (160)
        assertEquals(buf + 64, call("gen_pool_dma_alloc", pool, 64, 0));
        assertEquals(buf + 160, call("gen_pool_dma_alloc", pool, 96, 0));

        assertEquals(phys + 300, call("gen_pool_virt_to_phys", pool, buf + 300));
        assertEquals(-1L, call("gen_pool_virt_to_phys", pool, buf + 4096));
        // more than is available fails
        assertEquals(0, call("gen_pool_dma_alloc", pool, 8192, 0));

        call("gen_pool_free_owner", pool, e, 64, 0);
        call("gen_pool_free_owner", pool, buf + 64, 64, 0);
        call("gen_pool_free_owner", pool, buf + 160, 96, 0);
        call("gen_pool_free_owner", pool, b, 32, 0);
        call("gen_pool_free_owner", pool, d, 64, 0);
        assertEquals(4096, call("gen_pool_avail", pool));
        call("gen_pool_destroy", pool);
        assertFalse(kernel.panicked());
    }

    @Test
    void dmaPoolBlocksReuseAndPoolsFile() {
        long pdev = call("platform_device_alloc", c.kstrdup("pooltest"), -1);
        assertEquals(0, call("platform_device_add", pdev));
        long dev = pdev + c.off("platform_device_dev");
        // 24-byte blocks aligned to 32 bytes in one 4096-byte coherent buffer
        long pool = call("dma_pool_create", c.kstrdup("buffer-32"), dev, 24, 32, 0);
        assertNotEquals(0, pool);
        assertTrue(kernel.exists("/sys/devices/platform/pooltest/pools"));

        long h = c.slab().kmalloc(8, 0);
        long v0 = call("dma_pool_alloc", pool, Gfp.KERNEL, h);
        long d0 = c.mem().read64(h);
        assertEquals(0, v0 & 4095);
        assertEquals(0, d0 & 4095);
        long v1 = call("dma_pool_alloc", pool, Gfp.KERNEL, h);
        assertEquals(v0 + 32, v1);
        assertEquals(d0 + 32, c.mem().read64(h));
        long v2 = call("dma_pool_alloc", pool, Gfp.KERNEL, h);
        assertEquals(v0 + 64, v2);
        assertEquals("poolinfo - 0.1\nbuffer-32           3  128   32  1\n",
                kernel.read("/sys/devices/platform/pooltest/pools"));

        // a freed block is the next one handed out, zeroed
        c.mem().write64(v1 + 8, -1L);
        call("dma_pool_free", pool, v1, d0 + 32);
        assertEquals(v1, call("dma_pool_alloc", pool, Gfp.KERNEL, h));
        assertEquals(d0 + 32, c.mem().read64(h));
        assertEquals(0, c.mem().read64(v1 + 8));
        assertEquals(v0 + 96, call("dma_pool_alloc", pool, Gfp.KERNEL, h));

        call("dma_pool_free", pool, v0, d0);
        call("dma_pool_free", pool, v1, d0 + 32);
        call("dma_pool_free", pool, v2, d0 + 64);
        call("dma_pool_free", pool, v0 + 96, d0 + 96);
        assertEquals("poolinfo - 0.1\nbuffer-32           0  128   32  1\n",
                kernel.read("/sys/devices/platform/pooltest/pools"));
        call("dma_pool_destroy", pool);
        assertFalse(kernel.exists("/sys/devices/platform/pooltest/pools"));
        call("platform_device_unregister", pdev);
        assertFalse(kernel.panicked());
    }
}
