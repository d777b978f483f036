package dev.kmodemu.kstubs.kernel;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * kernel/notifier.c: notifier chains as the kernel keeps them, {@code struct notifier_block}s
 * linked through {@code next} from the head's {@code head} pointer in guest memory, highest
 * priority first (equal priorities in registration order). Atomic, blocking and raw chains differ
 * only in their locks, which one CPU without preemption inside these calls does not need.
 */
public final class Notifier {
    private Notifier() {
    }

    private static long field(KernelContext k, long nb, String f) {
        return nb + k.off("notifier_block_" + f);
    }

    /**
     * {@code notifier_chain_register()} on the list whose first pointer is at {@code nl}: -EEXIST
     * (with the kernel's WARN) for a block already there, -EBUSY for a taken priority if
     * {@code uniquePriority}.
     */
    public static int register(KernelContext k, long nl, long n, boolean uniquePriority) {
        AddressSpace m = k.mem();
        int prio = m.read32(field(k, n, "priority"));
        long cur;
        while ((cur = m.read64(nl)) != 0) {
            if (cur == n) {
                Oops.warn(k, "kernel/notifier.c:28", "notifier_chain_register", "notifier callback "
                        + k.machine().kallsyms().symbolize(m.read64(field(k, n, "notifier_call")), false)
                        + " already registered");
                return -Errno.EEXIST;
            }
            int p = m.read32(field(k, cur, "priority"));
            if (prio > p) {
                break;
            }
            if (prio == p && uniquePriority) {
                return -Errno.EBUSY;
            }
            nl = field(k, cur, "next");
        }
        m.write64(field(k, n, "next"), m.read64(nl));
        m.write64(nl, n);
        return 0;
    }

    /** {@code notifier_chain_unregister()}: -ENOENT if {@code n} is not on the list. */
    public static int unregister(KernelContext k, long nl, long n) {
        AddressSpace m = k.mem();
        long cur;
        while ((cur = m.read64(nl)) != 0) {
            if (cur == n) {
                m.write64(nl, m.read64(field(k, n, "next")));
                return 0;
            }
            nl = field(k, cur, "next");
        }
        return -Errno.ENOENT;
    }

    /**
     * {@code notifier_call_chain()}: each callback in turn until one returns a value with
     * NOTIFY_STOP_MASK; the last return value, NOTIFY_DONE for an empty chain.
     */
    public static int callChain(KernelContext k, long nl, long val, long v) {
        AddressSpace m = k.mem();
        int ret = k.off("NOTIFY_DONE");
        long nb = m.read64(nl);
        while (nb != 0) {
            long next = m.read64(field(k, nb, "next"));
            ret = (int) k.call(m.read64(field(k, nb, "notifier_call")), nb, val, v);
            if ((ret & k.off("NOTIFY_STOP_MASK")) != 0) {
                break;
            }
            nb = next;
        }
        return ret;
    }

    /** int atomic_notifier_chain_register(struct atomic_notifier_head *nh, struct notifier_block *n) */
    @KernelSymbol("atomic_notifier_chain_register")
    static int atomicRegister(KernelContext k, long nh, long n) {
        return register(k, nh + k.off("atomic_notifier_head_head"), n, false);
    }

    /** int atomic_notifier_chain_register_unique_prio(struct atomic_notifier_head *nh, struct notifier_block *n) */
    @KernelSymbol("atomic_notifier_chain_register_unique_prio")
    static int atomicRegisterUnique(KernelContext k, long nh, long n) {
        return register(k, nh + k.off("atomic_notifier_head_head"), n, true);
    }

    /** int atomic_notifier_chain_unregister(struct atomic_notifier_head *nh, struct notifier_block *n) */
    @KernelSymbol("atomic_notifier_chain_unregister")
    static int atomicUnregister(KernelContext k, long nh, long n) {
        return unregister(k, nh + k.off("atomic_notifier_head_head"), n);
    }

    /** int atomic_notifier_call_chain(struct atomic_notifier_head *nh, unsigned long val, void *v) */
    @KernelSymbol("atomic_notifier_call_chain")
    static int atomicCallChain(KernelContext k, long nh, long val, long v) {
        return callChain(k, nh + k.off("atomic_notifier_head_head"), val, v);
    }

    /** int blocking_notifier_chain_register(struct blocking_notifier_head *nh, struct notifier_block *n) */
    @KernelSymbol("blocking_notifier_chain_register")
    static int blockingRegister(KernelContext k, long nh, long n) {
        return register(k, nh + k.off("blocking_notifier_head_head"), n, false);
    }

    /** int blocking_notifier_chain_register_unique_prio(struct blocking_notifier_head *nh, struct notifier_block *n) */
    @KernelSymbol("blocking_notifier_chain_register_unique_prio")
    static int blockingRegisterUnique(KernelContext k, long nh, long n) {
        return register(k, nh + k.off("blocking_notifier_head_head"), n, true);
    }

    /** int blocking_notifier_chain_unregister(struct blocking_notifier_head *nh, struct notifier_block *n) */
    @KernelSymbol("blocking_notifier_chain_unregister")
    static int blockingUnregister(KernelContext k, long nh, long n) {
        return unregister(k, nh + k.off("blocking_notifier_head_head"), n);
    }

    /** int blocking_notifier_call_chain(struct blocking_notifier_head *nh, unsigned long val, void *v) */
    @KernelSymbol("blocking_notifier_call_chain")
    static int blockingCallChain(KernelContext k, long nh, long val, long v) {
        return callChain(k, nh + k.off("blocking_notifier_head_head"), val, v);
    }

    /** int raw_notifier_chain_register(struct raw_notifier_head *nh, struct notifier_block *n) */
    @KernelSymbol("raw_notifier_chain_register")
    static int rawRegister(KernelContext k, long nh, long n) {
        return register(k, nh + k.off("raw_notifier_head_head"), n, false);
    }

    /** int raw_notifier_chain_unregister(struct raw_notifier_head *nh, struct notifier_block *n) */
    @KernelSymbol("raw_notifier_chain_unregister")
    static int rawUnregister(KernelContext k, long nh, long n) {
        return unregister(k, nh + k.off("raw_notifier_head_head"), n);
    }

    /** int raw_notifier_call_chain(struct raw_notifier_head *nh, unsigned long val, void *v) */
    @KernelSymbol("raw_notifier_call_chain")
    static int rawCallChain(KernelContext k, long nh, long val, long v) {
        return callChain(k, nh + k.off("raw_notifier_head_head"), val, v);
    }
}
