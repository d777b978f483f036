package dev.kmodemu.kstubs.kernel.irq;

import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.drivers.base.Devres;
import dev.kmodemu.kstubs.kernel.Oops;

import java.nio.charset.StandardCharsets;

/**
 * kernel/irq/devres.c: interrupt lines requested for a device and freed when its driver detaches
 * ({@code struct irq_devres}: the irq, then the dev_id), over {@link Manage}'s
 * {@code request_threaded_irq()} and {@code free_irq()}.
 */
public final class IrqDevres {
    private static final int IRQ_DEVRES_SIZE = 16;

    private IrqDevres() {
    }

    /** {@code dev_name(dev)}: the pointer, init_name until the device is added, then the kobject's. */
    static long devNamePointer(KernelContext k, long dev) {
        long init = k.mem().read64(dev + k.off("device_init_name"));
        return init != 0 ? init : k.mem().read64(dev + k.off("device_kobj") + k.off("kobject_name"));
    }

    /** static void devm_irq_release(struct device *dev, void *res) */
    @KernelSymbol(value = "devm_irq_release", internal = true)
    static void devmIrqRelease(KernelContext k, long dev, long res) {
        Manage.freeIrq(k, k.mem().read32(res), k.mem().read64(res + 8));
    }

    /** static int devm_irq_match(struct device *dev, void *res, void *data) */
    @KernelSymbol(value = "devm_irq_match", internal = true)
    static int devmIrqMatch(KernelContext k, long dev, long res, long data) {
        return k.mem().read32(res) == k.mem().read32(data) && k.mem().read64(res + 8) == k.mem().read64(data + 8)
                ? 1 : 0;
    }

    /** The devres node name, as devres_alloc() takes it from the release function. */
    @KernelData(value = "devm_irq_release_name", section = Machine.Section.RODATA, size = 24)
    static void releaseName(KernelContext k, long at) {
        k.mem().poke(at, "devm_irq_release\0".getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * int devm_request_threaded_irq(struct device *dev, unsigned int irq, irq_handler_t handler,
     * irq_handler_t thread_fn, unsigned long irqflags, const char *devname, void *dev_id): the
     * device's name when {@code devname} is NULL.
     */
    @KernelSymbol("devm_request_threaded_irq")
    static int devmRequestThreadedIrq(KernelContext k, long dev, int irq, long handler, long threadFn,
            long irqflags, long devname, long devId) {
        long dr = Devres.devresAllocNode(k, k.sym("devm_irq_release"), IRQ_DEVRES_SIZE, 0xcc0, -1,
                k.sym("devm_irq_release_name"));
        if (dr == 0) {
            return -Errno.ENOMEM;
        }
        if (devname == 0) {
            devname = devNamePointer(k, dev);
        }
        int rc = Manage.requestThreadedIrq(k, irq, handler, threadFn, irqflags, devname, devId);
        if (rc != 0) {
            Devres.devresFree(k, dr);
            return rc;
        }
        k.mem().write32(dr, irq);
        k.mem().write64(dr + 8, devId);
        Devres.devresAdd(k, dev, dr);
        return 0;
    }

    /**
     * void devm_free_irq(struct device *dev, unsigned int irq, void *dev_id): WARNs if the line was
     * not requested with the devm variant, and frees it all the same.
     */
    @KernelSymbol("devm_free_irq")
    static void devmFreeIrq(KernelContext k, long dev, int irq, long devId) {
        long match = k.slab().kmalloc(IRQ_DEVRES_SIZE, 0xcc0);
        try {
            k.mem().write32(match, irq);
            k.mem().write64(match + 8, devId);
            if (Devres.devresDestroy(k, dev, k.sym("devm_irq_release"), k.sym("devm_irq_match"), match) != 0) {
                Oops.warn(k, "kernel/irq/devres.c:144", "devm_free_irq", null);
            }
        } finally {
            k.slab().kfree(match);
        }
        Manage.freeIrq(k, irq, devId);
    }
}
