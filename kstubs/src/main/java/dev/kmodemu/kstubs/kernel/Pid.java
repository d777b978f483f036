package dev.kmodemu.kstubs.kernel;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * kernel/pid.c: {@code struct pid} references. Every task here lives in the initial pid
 * namespace (level 0), so a pid's number as the current task sees it is {@code numbers[0].nr}.
 */
public final class Pid {
    private Pid() {
    }

    /** pid_t pid_vnr(struct pid *pid): 0 for NULL. */
    @KernelSymbol("pid_vnr")
    static int pidVnr(KernelContext k, long pid) {
        if (pid == 0) {
            return 0;
        }
        return k.mem().read32(pid + k.off("pid_numbers") + k.off("upid_nr"));
    }

    /** void put_pid(struct pid *pid): the last reference frees it. */
    @KernelSymbol("put_pid")
    static void putPid(KernelContext k, long pid) {
        if (pid == 0) {
            return;
        }
        AddressSpace m = k.mem();
        long at = pid + k.off("pid_count");
        int c = m.read32(at) - 1;
        m.write32(at, c);
        if (c == 0 && k.slab().isAllocated(pid)) {
            k.slab().kfree(pid);
        }
    }
}
