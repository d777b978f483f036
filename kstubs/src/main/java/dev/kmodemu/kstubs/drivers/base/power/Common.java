package dev.kmodemu.kstubs.drivers.base.power;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * drivers/base/power/common.c: attaching devices to PM domains. A domain comes from the device's
 * ACPI companion or device-tree node ({@code acpi_dev_pm_attach()}, {@code genpd_dev_pm_attach()});
 * this machine has neither, so only a {@code dev->pm_domain} a module set itself is ever seen.
 */
public final class Common {
    private Common() {
    }

    /**
     * int dev_pm_domain_attach(struct device *dev, bool power_on): 0, whether the device already
     * has a domain or (no ACPI companion, no OF node) none can be found for it.
     */
    @KernelSymbol("dev_pm_domain_attach")
    static int devPmDomainAttach(KernelContext k, long dev, boolean powerOn) {
        return 0;
    }

    /** void dev_pm_domain_detach(struct device *dev, bool power_off): the domain's detach(). */
    @KernelSymbol("dev_pm_domain_detach")
    static void devPmDomainDetach(KernelContext k, long dev, boolean powerOff) {
        long domain = k.mem().read64(dev + k.off("device_pm_domain"));
        long detach = domain == 0 ? 0 : k.mem().read64(domain + k.off("dev_pm_domain_detach"));
        if (detach != 0) {
            k.call(detach, dev, powerOff ? 1 : 0);
        }
    }
}
