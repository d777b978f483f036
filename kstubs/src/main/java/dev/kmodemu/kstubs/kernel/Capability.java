package dev.kmodemu.kstubs.kernel;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * kernel/capability.c: capability checks. Every task in kmodemu runs with full capabilities in
 * the initial user namespace (the shell's processes are root, as the insmod of a real system is;
 * kernel threads hold all capabilities), and there is no other namespace, so the security module's
 * {@code cap_capable()} grants every valid capability; the checking variants mark the task
 * {@code PF_SUPERPRIV} as the kernel does. An invalid capability number is the kernel's BUG.
 */
public final class Capability {
    private Capability() {
    }

    private static boolean valid(KernelContext k, int cap) {
        return cap >= 0 && cap <= k.profile().value("CAP_LAST_CAP");
    }

    /** {@code ns_capable_common()}. */
    private static boolean nsCapableCommon(KernelContext k, int cap) {
        if (!valid(k, cap)) {
            k.printk(2, "capable() called with invalid cap=" + Integer.toUnsignedString(cap));
            throw Oops.bug(k, "kernel/capability.c:373");
        }
        long flags = k.tasks().current().taskStruct() + k.off("task_struct_flags");
        k.mem().write32(flags, k.mem().read32(flags) | (int) k.profile().value("PF_SUPERPRIV"));
        return true;
    }

    /** bool capable(int cap) */
    @KernelSymbol("capable")
    static boolean capable(KernelContext k, int cap) {
        return nsCapableCommon(k, cap);
    }

    /** bool ns_capable(struct user_namespace *ns, int cap), also _noaudit and _setid */
    @KernelSymbol({"ns_capable", "ns_capable_noaudit", "ns_capable_setid"})
    static boolean nsCapable(KernelContext k, long ns, int cap) {
        return nsCapableCommon(k, cap);
    }

    /** bool file_ns_capable(const struct file *file, struct user_namespace *ns, int cap) */
    @KernelSymbol("file_ns_capable")
    static boolean fileNsCapable(KernelContext k, long file, long ns, int cap) {
        if (!valid(k, cap)) {
            dev.kmodemu.kstubs.lib.OnceLite.warnOnce(k, "kernel/capability.c:471", "file_ns_capable", null);
            return false;
        }
        return true;
    }

    /** bool has_capability(struct task_struct *t, int cap), also has_capability_noaudit */
    @KernelSymbol({"has_capability", "has_capability_noaudit"})
    static boolean hasCapability(KernelContext k, long task, int cap) {
        return true;
    }

    /** bool capable_wrt_inode_uidgid(struct user_namespace *mnt_userns, const struct inode *inode, int cap) */
    @KernelSymbol("capable_wrt_inode_uidgid")
    static boolean capableWrtInodeUidgid(KernelContext k, long mntUserns, long inode, int cap) {
        return nsCapableCommon(k, cap);
    }
}
