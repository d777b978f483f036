package dev.kmodemu.kstubs.kernel;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * kernel/cred.c's {@code init_cred} and kernel/groups.c's {@code init_groups}: root with every
 * capability (permitted, effective and bounding sets full, as {@code CAP_FULL_SET}), in the
 * initial user namespace. Every task in kmodemu (the shell's processes run as root, kernel threads
 * as the kernel) has it as its {@code cred} and {@code real_cred}, so {@code current_uid()},
 * {@code current_cred()->user_ns} and friends read real values.
 */
public final class Cred {
    private Cred() {
    }

    /** {@code CAP_FULL_SET} as the 64 bits of {@code kernel_cap_t cap[2]}. */
    private static long fullSet(KernelContext k) {
        return 0xffffffffL | k.profile().value("CAP_LAST_U32_VALID_MASK") << 32;
    }

    @KernelData(value = "init_cred", sizeOf = "cred_sizeof", align = 64)
    static void initCred(KernelContext k, long at) {
        AddressSpace m = k.mem();
        m.write64(at + k.off("cred_usage"), 4);
        m.write32(at + k.off("cred_securebits"), (int) k.profile().value("SECUREBITS_DEFAULT"));
        m.write64(at + k.off("cred_cap_permitted"), fullSet(k));
        m.write64(at + k.off("cred_cap_effective"), fullSet(k));
        m.write64(at + k.off("cred_cap_bset"), fullSet(k));
        m.write64(at + k.off("cred_user"), k.sym("root_user"));
        m.write64(at + k.off("cred_user_ns"), k.sym("init_user_ns"));
        m.write64(at + k.off("cred_group_info"), k.sym("init_groups"));
    }

    /** {@code struct group_info init_groups = { .usage = ATOMIC_INIT(2) }}: no supplementary groups. */
    @KernelData(value = "init_groups", sizeOf = "group_info_sizeof", align = 8)
    static void initGroups(KernelContext k, long at) {
        k.mem().write32(at + k.off("group_info_usage"), 2);
    }

    /**
     * void __put_cred(struct cred *cred): the last reference to a set of credentials is gone.
     * BUG if it still has users or is the current task's; otherwise {@code put_cred_rcu()} frees
     * it (its user, user namespace and groups are the initial ones here, which are never freed).
     */
    @KernelSymbol("__put_cred")
    static void putCred(KernelContext k, long cred) {
        AddressSpace m = k.mem();
        if (m.read64(cred + k.off("cred_usage")) != 0) {
            throw Oops.bug(k, "kernel/cred.c:141");
        }
        long current = k.tasks().current().taskStruct();
        if (cred == m.read64(current + k.off("task_struct_cred"))) {
            throw Oops.bug(k, "kernel/cred.c:147");
        }
        if (cred == m.read64(current + k.off("task_struct_real_cred"))) {
            throw Oops.bug(k, "kernel/cred.c:148");
        }
        if (k.slab().isAllocated(cred)) {
            k.slab().kfree(cred);
        }
    }

    /**
     * int kill_pid_usb_asyncio(int sig, int errno, sigval_t addr, struct pid *pid, const struct cred *cred),
     * from kernel/signal.c: -EINVAL for an invalid signal, -ESRCH when {@code pid} has no task. Only
     * usbfs calls it, for a process that submitted URBs to a USB device; no USB host exists here,
     * so a live pid cannot reach it and is reported as unsupported.
     */
    @KernelSymbol("kill_pid_usb_asyncio")
    static int killPidUsbAsyncio(KernelContext k, int sig, int errno, long addr, long pid, long cred) {
        if (sig < 0 || sig > 64) {
            return -dev.kmodemu.kstubs.Errno.EINVAL;
        }
        if (pid == 0) {
            return -dev.kmodemu.kstubs.Errno.ESRCH;
        }
        throw new UnsupportedOperationException("kill_pid_usb_asyncio: kmodemu has no USB host");
    }
}
