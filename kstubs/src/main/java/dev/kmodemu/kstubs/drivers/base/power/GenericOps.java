package dev.kmodemu.kstubs.drivers.base.power;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * drivers/base/power/generic_ops.c: the runtime callbacks a subsystem (the platform bus here)
 * uses when it has nothing of its own to do, which pass the call on to the driver's
 * {@code dev_pm_ops}, and the system sleep ones drivers put in their own {@code dev_pm_ops} (no
 * system sleep happens here, but a module calling them gets what the kernel does).
 */
public final class GenericOps {
    private GenericOps() {
    }

    /** The driver's callback {@code op} ("runtime_suspend", ...) called, or 0 without one. */
    private static int driverCallback(KernelContext k, long dev, String op) {
        long drv = k.mem().read64(dev + k.off("device_driver"));
        long pm = drv == 0 ? 0 : k.mem().read64(drv + k.off("device_driver_pm"));
        long cb = pm == 0 ? 0 : k.mem().read64(pm + k.off("dev_pm_ops_" + op));
        return cb == 0 ? 0 : (int) k.call(cb, dev);
    }

    /** int pm_generic_runtime_suspend(struct device *dev) */
    @KernelSymbol("pm_generic_runtime_suspend")
    static int pmGenericRuntimeSuspend(KernelContext k, long dev) {
        return driverCallback(k, dev, "runtime_suspend");
    }

    /** int pm_generic_suspend(struct device *dev) */
    @KernelSymbol("pm_generic_suspend")
    static int pmGenericSuspend(KernelContext k, long dev) {
        return driverCallback(k, dev, "suspend");
    }

    /** int pm_generic_resume(struct device *dev) */
    @KernelSymbol("pm_generic_resume")
    static int pmGenericResume(KernelContext k, long dev) {
        return driverCallback(k, dev, "resume");
    }

    /** int pm_generic_runtime_resume(struct device *dev) */
    @KernelSymbol("pm_generic_runtime_resume")
    static int pmGenericRuntimeResume(KernelContext k, long dev) {
        return driverCallback(k, dev, "runtime_resume");
    }
}
