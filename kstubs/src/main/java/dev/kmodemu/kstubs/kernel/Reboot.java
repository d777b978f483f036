package dev.kmodemu.kstubs.kernel;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * kernel/reboot.c: the reboot notifier chain ({@code reboot_notifier_list} of kernel/notifier.c)
 * and {@code emergency_restart()}. The emulated machine has no reset line: an emergency restart
 * stops it the way a panic does (nothing runs afterwards, every further call fails), which is what
 * the kernel that restarted looks like from outside.
 */
public final class Reboot {
    private Reboot() {
    }

    /** int register_reboot_notifier(struct notifier_block *nb) */
    @KernelSymbol("register_reboot_notifier")
    static int registerRebootNotifier(KernelContext k, long nb) {
        return Notifier.blockingRegisterSym(k, k.sym("reboot_notifier_list"), nb);
    }

    /** int unregister_reboot_notifier(struct notifier_block *nb) */
    @KernelSymbol("unregister_reboot_notifier")
    static int unregisterRebootNotifier(KernelContext k, long nb) {
        return Notifier.blockingUnregister(k, k.sym("reboot_notifier_list"), nb);
    }

    /** void emergency_restart(void): {@code machine_emergency_restart()} without notifiers or log lines. */
    @KernelSymbol("emergency_restart")
    public static void emergencyRestart(KernelContext k) {
        throw new KernelPanic("emergency_restart(): the machine was reset");
    }

    /** {@code static ATOMIC_NOTIFIER_HEAD(restart_handler_list)}: run by {@code do_kernel_restart()}, which nothing here calls. */
    @KernelData(value = "restart_handler_list", sizeOf = "atomic_notifier_head_sizeof", align = 8)
    static void restartHandlerList(KernelContext k, long at) {
    }

    /** int register_restart_handler(struct notifier_block *nb) */
    @KernelSymbol("register_restart_handler")
    static int registerRestartHandler(KernelContext k, long nb) {
        return Notifier.atomicRegister(k, k.sym("restart_handler_list"), nb);
    }

    /** int unregister_restart_handler(struct notifier_block *nb) */
    @KernelSymbol("unregister_restart_handler")
    static int unregisterRestartHandler(KernelContext k, long nb) {
        return Notifier.atomicUnregister(k, k.sym("restart_handler_list"), nb);
    }
}
