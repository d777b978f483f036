package dev.kmodemu.kstubs.lib;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * lib/devres.c: managed mappings of a device's I/O memory. The emulated machine has no
 * memory-mapped devices (no PCI BARs, no ACPI or platform MMIO), so a driver reaches these only
 * when bound to a device that brings such a resource; kmodemu cannot give the bytes behind it and
 * stops the run there rather than invent them.
 */
public final class Devres {
    private Devres() {
    }

    private static long noMmio(String fn) {
        throw new UnsupportedOperationException(fn + ": kmodemu has no memory-mapped devices");
    }

    /** void __iomem *devm_ioremap(struct device *dev, resource_size_t offset, resource_size_t size) */
    @KernelSymbol("devm_ioremap")
    static long devmIoremap(KernelContext k, long dev, long offset, long size) {
        return noMmio("devm_ioremap");
    }
}
