package dev.kmodemu.kstubs.kernel;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * kernel/iomem.c: {@code memremap()} of a device's memory. As for {@code devm_ioremap()}
 * ({@link dev.kmodemu.kstubs.lib.Devres}), the emulated machine has no device memory to map, so
 * only a driver bound to a device that brings such a resource reaches it, and the run stops there.
 */
public final class Iomem {
    private Iomem() {
    }

    /** void *devm_memremap(struct device *dev, resource_size_t offset, size_t size, unsigned long flags) */
    @KernelSymbol("devm_memremap")
    static long devmMemremap(KernelContext k, long dev, long offset, long size, long flags) {
        throw new UnsupportedOperationException("devm_memremap: kmodemu has no memory-mapped devices");
    }
}
