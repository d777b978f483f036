package dev.kmodemu.kstubs.kernel;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * kernel/freezer.c: task freezing for suspend and the cgroup freezer. kmodemu never suspends and
 * has no cgroups, so nothing is ever being frozen: {@code freezer_active} stays off (the inline
 * {@code freezing()} never calls out), {@code freezing_slow_path()} answers false, a task entering
 * the refrigerator leaves it at once, and {@code set_freezable()} only makes the kernel thread
 * freezable.
 */
public final class Freezer {
    private Freezer() {
    }

    /** {@code DEFINE_STATIC_KEY_FALSE(freezer_active)}: disabled. */
    @KernelData(value = "freezer_active", sizeOf = "static_key_false_sizeof", align = 8)
    static void freezerActive(KernelContext k, long at) {
    }

    /** bool freezing_slow_path(struct task_struct *p): false, no freezing is in progress */
    @KernelSymbol("freezing_slow_path")
    static boolean freezingSlowPath(KernelContext k, long p) {
        return false;
    }

    /** bool __refrigerator(bool check_kthr_stop): not frozen (returns false) */
    @KernelSymbol("__refrigerator")
    static boolean refrigerator(KernelContext k, boolean checkKthrStop) {
        long state = k.tasks().current().taskStruct() + k.off("task_struct_state");
        AddressSpace m = k.mem();
        int s = m.read32(state);
        if (s != 0 && (s & k.profile().value("TASK_NORMAL")) == 0) {
            dev.kmodemu.kstubs.lib.OnceLite.warnOnce(k, "kernel/freezer.c:69", "__refrigerator", null);
        }
        m.write32(state, (int) k.profile().value("TASK_FROZEN"));
        m.write32(state, (int) k.profile().value("TASK_RUNNING"));
        return false;
    }

    /** bool set_freezable(void): clears PF_NOFREEZE; false, there is nothing to freeze for */
    @KernelSymbol("set_freezable")
    static boolean setFreezable(KernelContext k) {
        long flags = k.tasks().current().taskStruct() + k.off("task_struct_flags");
        k.mem().write32(flags, k.mem().read32(flags) & ~(int) k.profile().value("PF_NOFREEZE"));
        return false;
    }
}
