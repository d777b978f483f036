package dev.kmodemu.kstubs.kernel;

import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;

import java.nio.charset.StandardCharsets;

/**
 * kernel/dma.c: the ISA DMA channels (8 on a PC; channel 4 is the cascade of the two
 * controllers, busy from boot), reserved with {@code request_dma()} and listed in
 * {@code /proc/dma}; {@code dma_spin_lock} guards the controllers' registers for the drivers.
 */
public final class Dma {
    /** {@code dma_chan_busy[]}: the device_id string of each busy channel, null when free. */
    private final long[] deviceId;
    private final boolean[] busy;

    private Dma(KernelContext k) {
        int n = k.off("MAX_DMA_CHANNELS");
        deviceId = new long[n];
        busy = new boolean[n];
        busy[4] = true;
    }

    private static Dma of(KernelContext k) {
        return k.state(Dma.class, () -> new Dma(k));
    }

    /** {@code DEFINE_SPINLOCK(dma_spin_lock)}. */
    @KernelData(value = "dma_spin_lock", sizeOf = "spinlock_sizeof", align = 8)
    static void dmaSpinLock(KernelContext k, long at) {
    }

    /** {@code proc_dma_init()}: /proc/dma, one line per busy channel. */
    public static void boot(KernelContext k) {
        k.vfs().register("/proc/dma", () -> {
            Dma d = of(k);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < d.busy.length; i++) {
                if (d.busy[i]) {
                    String id = i == 4 && d.deviceId[i] == 0 ? "cascade" : k.string(d.deviceId[i], 4096);
                    sb.append(String.format("%2d: %s\n", i, id));
                }
            }
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        });
    }

    /** int request_dma(unsigned int dmanr, const char *device_id) */
    @KernelSymbol("request_dma")
    static int requestDma(KernelContext k, int dmanr, long deviceId) {
        Dma d = of(k);
        if (Integer.compareUnsigned(dmanr, d.busy.length) >= 0) {
            return -Errno.EINVAL;
        }
        if (d.busy[dmanr]) {
            return -Errno.EBUSY;
        }
        d.busy[dmanr] = true;
        d.deviceId[dmanr] = deviceId;
        return 0;
    }

    /** void free_dma(unsigned int dmanr) */
    @KernelSymbol("free_dma")
    static void freeDma(KernelContext k, int dmanr) {
        Dma d = of(k);
        if (Integer.compareUnsigned(dmanr, d.busy.length) >= 0) {
            k.printk(4, "Trying to free DMA" + dmanr);
            return;
        }
        if (!d.busy[dmanr]) {
            k.printk(4, "Trying to free free DMA" + dmanr);
            return;
        }
        d.busy[dmanr] = false;
    }
}
