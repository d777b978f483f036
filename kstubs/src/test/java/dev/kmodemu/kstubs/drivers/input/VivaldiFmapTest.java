package dev.kmodemu.kstubs.drivers.input;

import dev.kmodemu.kstubs.Kernel;
import dev.kmodemu.kstubs.KernelContext;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** vivaldi_function_row_physmap_show, input_device_enabled and clflush_cache_range through the CPU. */
class VivaldiFmapTest {
    @Test
    void theTopRowIsPrintedAsTheKernelPrintsIt() {
        try (Kernel k = Kernel.boot()) {
            KernelContext c = k.context();
            long data = c.slab().kmalloc(256, 0x100 | 0xcc0);
            long buf = c.slab().kmalloc(4096, 0x100 | 0xcc0);
            long show = c.sym("vivaldi_function_row_physmap_show");
            assertEquals(0, c.call(show, data, buf), "no keys: nothing");
            int[] codes = {0xea, 0xe9, 0x3b, 0x100};
            for (int i = 0; i < codes.length; i++) {
                c.mem().write32(data + c.off("vivaldi_data_function_row_physmap") + 4L * i, codes[i]);
            }
            c.mem().write32(data + c.off("vivaldi_data_num_function_row_keys"), codes.length);
            long n = c.call(show, data, buf);
            assertEquals("EA E9 3B 100\n", new String(c.mem().peek(buf, (int) n), StandardCharsets.US_ASCII));

            long dev = c.slab().kmalloc(4096, 0x100 | 0xcc0);
            long enabled = c.sym("input_device_enabled");
            assertEquals(0, c.call(enabled, dev) & 0xff, "nobody opened it");
            c.mem().write32(dev + c.off("input_dev_users"), 1);
            assertEquals(1, c.call(enabled, dev) & 0xff);
            c.mem().write8(dev + c.off("input_dev_inhibited"), 1);
            assertEquals(0, c.call(enabled, dev) & 0xff, "inhibited");

            c.call(c.sym("clflush_cache_range"), buf, 4096);
            c.slab().kfree(dev);
            c.slab().kfree(buf);
            c.slab().kfree(data);
        }
    }
}
