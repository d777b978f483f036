package dev.kmodemu.kstubs.kernel.power;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.kernel.Notifier;

/**
 * kernel/power/main.c: the PM notifier chain ({@code pm_chain_head}), which suspend and
 * hibernation run; the emulated machine never sleeps, so the chain is only kept.
 */
public final class Main {
    private Main() {
    }

    /** {@code static BLOCKING_NOTIFIER_HEAD(pm_chain_head)}. */
    @KernelData(value = "pm_chain_head", sizeOf = "blocking_notifier_head_sizeof", align = 8)
    static void pmChainHead(KernelContext k, long at) {
        Notifier.initBlockingHead(k, at);
    }

    /** {@code struct workqueue_struct *pm_wq}: the freezable "pm" queue of {@code pm_start_workqueue()}. */
    @KernelData("pm_wq")
    static void pmWq(KernelContext k, long at) {
        dev.kmodemu.kstubs.kernel.Workqueue.systemWq(k, at, "pm");
    }

    /** int register_pm_notifier(struct notifier_block *nb) */
    @KernelSymbol("register_pm_notifier")
    static int registerPmNotifier(KernelContext k, long nb) {
        return Notifier.blockingRegisterSym(k, k.sym("pm_chain_head"), nb);
    }

    /** int unregister_pm_notifier(struct notifier_block *nb) */
    @KernelSymbol("unregister_pm_notifier")
    static int unregisterPmNotifier(KernelContext k, long nb) {
        return Notifier.blockingUnregister(k, k.sym("pm_chain_head"), nb);
    }
}
