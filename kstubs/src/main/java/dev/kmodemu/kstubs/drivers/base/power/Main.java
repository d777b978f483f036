package dev.kmodemu.kstubs.drivers.base.power;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.drivers.base.Core;

/**
 * drivers/base/power/main.c: helpers of the system suspend/resume core. The emulated machine never
 * suspends, so no asynchronous suspend or resume is ever in flight and {@code async_error} stays 0.
 */
public final class Main {
    private Main() {
    }

    /** void __suspend_report_result(const char *function, struct device *dev, void *fn, int ret) */
    @KernelSymbol("__suspend_report_result")
    static void suspendReportResult(KernelContext k, long function, long dev, long fn, int ret) {
        if (ret != 0) {
            Core.log(k, 3, dev, k.mem().readCString(function, 256) + "(): "
                    + k.machine().kallsyms().symbolize(fn, true) + " returns " + ret);
        }
    }

    /**
     * int device_pm_wait_for_dev(struct device *subordinate, struct device *dev): {@code dpm_wait()}
     * returns at once (no PM transition is running), then {@code async_error}, which is 0.
     */
    @KernelSymbol("device_pm_wait_for_dev")
    static int devicePmWaitForDev(KernelContext k, long subordinate, long dev) {
        return 0;
    }
}
