package dev.kmodemu.kstubs.kernel;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * kernel/reboot.c: the reboot notifier chain ({@code reboot_notifier_list}, run by
 * {@code kernel_restart()}/{@code kernel_halt()}/{@code kernel_power_off()}) and the restart
 * handler chain ({@code restart_handler_list}, run by {@code do_kernel_restart()}). Nothing
 * reboots the emulated machine, so the chains are only kept.
 */
public final class Reboot {
    private Reboot() {
    }

    /** {@code static BLOCKING_NOTIFIER_HEAD(reboot_notifier_list)}. */
    @KernelData(value = "reboot_notifier_list", sizeOf = "blocking_notifier_head_sizeof", align = 8)
    static void rebootNotifierList(KernelContext k, long at) {
    }

    /** {@code static ATOMIC_NOTIFIER_HEAD(restart_handler_list)}. */
    @KernelData(value = "restart_handler_list", sizeOf = "atomic_notifier_head_sizeof", align = 8)
    static void restartHandlerList(KernelContext k, long at) {
    }

    /** int register_reboot_notifier(struct notifier_block *nb) */
    @KernelSymbol("register_reboot_notifier")
    static int registerRebootNotifier(KernelContext k, long nb) {
        return Notifier.register(k, k.sym("reboot_notifier_list") + k.off("blocking_notifier_head_head"), nb, false);
    }

    /** int unregister_reboot_notifier(struct notifier_block *nb) */
    @KernelSymbol("unregister_reboot_notifier")
    static int unregisterRebootNotifier(KernelContext k, long nb) {
        return Notifier.unregister(k, k.sym("reboot_notifier_list") + k.off("blocking_notifier_head_head"), nb);
    }

    /** int register_restart_handler(struct notifier_block *nb) */
    @KernelSymbol("register_restart_handler")
    static int registerRestartHandler(KernelContext k, long nb) {
        return Notifier.register(k, k.sym("restart_handler_list") + k.off("atomic_notifier_head_head"), nb, false);
    }

    /** int unregister_restart_handler(struct notifier_block *nb) */
    @KernelSymbol("unregister_restart_handler")
    static int unregisterRestartHandler(KernelContext k, long nb) {
        return Notifier.unregister(k, k.sym("restart_handler_list") + k.off("atomic_notifier_head_head"), nb);
    }
}
