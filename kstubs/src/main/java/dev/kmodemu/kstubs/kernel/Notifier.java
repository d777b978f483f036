package dev.kmodemu.kstubs.kernel;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.printk.Printk;

import java.nio.charset.StandardCharsets;

/**
 * kernel/notifier.c: notifier chains. The chains are the guest's own singly linked
 * {@code struct notifier_block} lists hanging off the heads modules (or the kernel) own, ordered
 * by descending priority as {@code notifier_chain_register()} keeps them, so a module that exits
 * with a block still registered leaves freed memory in the chain, as on the real kernel. Calls
 * stop at the first callback whose result has {@code NOTIFY_STOP_MASK}. Blocking chains take the
 * head's rw_semaphore and SRCU chains read-lock the head's srcu_struct through the kernel's own
 * functions, so a callback that sleeps holds them as it would there; atomic chains run under
 * {@code rcu_read_lock()}. Unregistering waits for a grace period as the kernel does
 * ({@code synchronize_rcu()}, {@code synchronize_srcu()}).
 */
public final class Notifier {
    private Notifier() {
    }

    private static long headAt(KernelContext k, long nh, String kind) {
        return nh + k.off(kind + "_notifier_head_head");
    }

    /** {@code notifier_chain_register()}: -EEXIST (with the kernel's WARN) or -EBUSY, else 0. */
    static int chainRegister(KernelContext k, long nl, long n, boolean uniquePriority) {
        AddressSpace m = k.mem();
        int next = k.off("notifier_block_next");
        int prio = k.off("notifier_block_priority");
        int np = m.read32(n + prio);
        long link = nl;
        for (long cur = m.read64(link); cur != 0; cur = m.read64(link)) {
            if (cur == n) {
                Oops.warn(k, "kernel/notifier.c:28", "notifier_chain_register", new String(
                        Printk.format(k, "notifier callback %ps already registered",
                                m.read64(n + k.off("notifier_block_notifier_call"))), StandardCharsets.UTF_8));
                return -Errno.EEXIST;
            }
            int cp = m.read32(cur + prio);
            if (np > cp) {
                break;
            }
            if (np == cp && uniquePriority) {
                return -Errno.EBUSY;
            }
            link = cur + next;
        }
        m.write64(n + next, m.read64(link));
        m.write64(link, n);
        return 0;
    }

    /** {@code notifier_chain_unregister()}: 0, or -ENOENT if {@code n} is not on the chain. */
    static int chainUnregister(KernelContext k, long nl, long n) {
        AddressSpace m = k.mem();
        int next = k.off("notifier_block_next");
        long link = nl;
        for (long cur = m.read64(link); cur != 0; cur = m.read64(link)) {
            if (cur == n) {
                m.write64(link, m.read64(n + next));
                return 0;
            }
            link = cur + next;
        }
        return -Errno.ENOENT;
    }

    /**
     * {@code notifier_call_chain()}: calls at most {@code nrToCall} callbacks (-1: all) with
     * {@code (nb, val, v)}; returns the last result, {@code NOTIFY_DONE} if none ran.
     * {@code nrCalls[0]} counts the calls made, when given.
     */
    public static int callChain(KernelContext k, long nl, long val, long v, int nrToCall, int[] nrCalls) {
        AddressSpace m = k.mem();
        int ret = k.off("NOTIFY_DONE");
        int stop = k.off("NOTIFY_STOP_MASK");
        long nb = m.read64(nl);
        while (nb != 0 && nrToCall != 0) {
            long nextNb = m.read64(nb + k.off("notifier_block_next"));
            ret = (int) k.call(m.read64(nb + k.off("notifier_block_notifier_call")), nb, val, v);
            if (nrCalls != null) {
                nrCalls[0]++;
            }
            if ((ret & stop) != 0) {
                break;
            }
            nb = nextNb;
            nrToCall--;
        }
        return ret;
    }

    /** {@code notifier_call_chain_robust()}: on a stop, the callbacks that ran get {@code valDown}. */
    private static int callChainRobust(KernelContext k, long nl, long valUp, long valDown, long v) {
        int[] nr = {0};
        int ret = callChain(k, nl, valUp, v, -1, nr);
        if ((ret & k.off("NOTIFY_STOP_MASK")) != 0) {
            callChain(k, nl, valDown, v, nr[0] - 1, null);
        }
        return ret;
    }

    private static void call(KernelContext k, String fn, long arg) {
        k.call(k.sym(fn), arg);
    }

    // ---------------------------------------------------------------- atomic chains

    /** int atomic_notifier_chain_register(struct atomic_notifier_head *nh, struct notifier_block *n) */
    @KernelSymbol("atomic_notifier_chain_register")
    public static int atomicRegister(KernelContext k, long nh, long n) {
        return chainRegister(k, headAt(k, nh, "atomic"), n, false);
    }

    /** int atomic_notifier_chain_register_unique_prio(struct atomic_notifier_head *nh, struct notifier_block *n) */
    @KernelSymbol("atomic_notifier_chain_register_unique_prio")
    static int atomicRegisterUnique(KernelContext k, long nh, long n) {
        return chainRegister(k, headAt(k, nh, "atomic"), n, true);
    }

    /** int atomic_notifier_chain_unregister(struct atomic_notifier_head *nh, struct notifier_block *n) */
    @KernelSymbol("atomic_notifier_chain_unregister")
    public static int atomicUnregister(KernelContext k, long nh, long n) {
        int ret = chainUnregister(k, headAt(k, nh, "atomic"), n);
        k.call(k.sym("synchronize_rcu"));
        return ret;
    }

    /** int atomic_notifier_call_chain(struct atomic_notifier_head *nh, unsigned long val, void *v) */
    @KernelSymbol("atomic_notifier_call_chain")
    public static int atomicCall(KernelContext k, long nh, long val, long v) {
        k.call(k.sym("__rcu_read_lock"));
        try {
            return callChain(k, headAt(k, nh, "atomic"), val, v, -1, null);
        } finally {
            k.call(k.sym("__rcu_read_unlock"));
        }
    }

    /** bool atomic_notifier_call_chain_is_empty(struct atomic_notifier_head *nh) */
    @KernelSymbol(value = "atomic_notifier_call_chain_is_empty", internal = true)
    static boolean atomicIsEmpty(KernelContext k, long nh) {
        return k.mem().read64(headAt(k, nh, "atomic")) == 0;
    }

    // ---------------------------------------------------------------- blocking chains

    private static long rwsem(KernelContext k, long nh) {
        return nh + k.off("blocking_notifier_head_rwsem");
    }

    /** {@code __blocking_notifier_chain_register()}: under the head's rwsem (the system is running). */
    private static int blockingRegister(KernelContext k, long nh, long n, boolean unique) {
        call(k, "down_write", rwsem(k, nh));
        try {
            return chainRegister(k, headAt(k, nh, "blocking"), n, unique);
        } finally {
            call(k, "up_write", rwsem(k, nh));
        }
    }

    /** int blocking_notifier_chain_register(struct blocking_notifier_head *nh, struct notifier_block *n) */
    @KernelSymbol("blocking_notifier_chain_register")
    public static int blockingRegisterSym(KernelContext k, long nh, long n) {
        return blockingRegister(k, nh, n, false);
    }

    /** int blocking_notifier_chain_register_unique_prio(struct blocking_notifier_head *nh, struct notifier_block *n) */
    @KernelSymbol("blocking_notifier_chain_register_unique_prio")
    static int blockingRegisterUnique(KernelContext k, long nh, long n) {
        return blockingRegister(k, nh, n, true);
    }

    /** int blocking_notifier_chain_unregister(struct blocking_notifier_head *nh, struct notifier_block *n) */
    @KernelSymbol("blocking_notifier_chain_unregister")
    public static int blockingUnregister(KernelContext k, long nh, long n) {
        call(k, "down_write", rwsem(k, nh));
        try {
            return chainUnregister(k, headAt(k, nh, "blocking"), n);
        } finally {
            call(k, "up_write", rwsem(k, nh));
        }
    }

    /**
     * int blocking_notifier_call_chain_robust(struct blocking_notifier_head *nh, unsigned long val_up,
     * unsigned long val_down, void *v)
     */
    @KernelSymbol("blocking_notifier_call_chain_robust")
    static int blockingCallRobust(KernelContext k, long nh, long valUp, long valDown, long v) {
        if (k.mem().read64(headAt(k, nh, "blocking")) == 0) {
            return k.off("NOTIFY_DONE");
        }
        call(k, "down_read", rwsem(k, nh));
        try {
            return callChainRobust(k, headAt(k, nh, "blocking"), valUp, valDown, v);
        } finally {
            call(k, "up_read", rwsem(k, nh));
        }
    }

    /** int blocking_notifier_call_chain(struct blocking_notifier_head *nh, unsigned long val, void *v) */
    @KernelSymbol("blocking_notifier_call_chain")
    public static int blockingCall(KernelContext k, long nh, long val, long v) {
        if (k.mem().read64(headAt(k, nh, "blocking")) == 0) {
            return k.off("NOTIFY_DONE");
        }
        call(k, "down_read", rwsem(k, nh));
        try {
            return callChain(k, headAt(k, nh, "blocking"), val, v, -1, null);
        } finally {
            call(k, "up_read", rwsem(k, nh));
        }
    }

    // ---------------------------------------------------------------- raw chains

    /** int raw_notifier_chain_register(struct raw_notifier_head *nh, struct notifier_block *n) */
    @KernelSymbol("raw_notifier_chain_register")
    public static int rawRegister(KernelContext k, long nh, long n) {
        return chainRegister(k, headAt(k, nh, "raw"), n, false);
    }

    /** int raw_notifier_chain_unregister(struct raw_notifier_head *nh, struct notifier_block *n) */
    @KernelSymbol("raw_notifier_chain_unregister")
    public static int rawUnregister(KernelContext k, long nh, long n) {
        return chainUnregister(k, headAt(k, nh, "raw"), n);
    }

    /**
     * int raw_notifier_call_chain_robust(struct raw_notifier_head *nh, unsigned long val_up,
     * unsigned long val_down, void *v)
     */
    @KernelSymbol("raw_notifier_call_chain_robust")
    static int rawCallRobust(KernelContext k, long nh, long valUp, long valDown, long v) {
        return callChainRobust(k, headAt(k, nh, "raw"), valUp, valDown, v);
    }

    /** int raw_notifier_call_chain(struct raw_notifier_head *nh, unsigned long val, void *v) */
    @KernelSymbol("raw_notifier_call_chain")
    public static int rawCall(KernelContext k, long nh, long val, long v) {
        return callChain(k, headAt(k, nh, "raw"), val, v, -1, null);
    }

    // ---------------------------------------------------------------- SRCU chains

    private static long mutex(KernelContext k, long nh) {
        return nh; // struct srcu_notifier_head starts with its mutex
    }

    /** int srcu_notifier_chain_register(struct srcu_notifier_head *nh, struct notifier_block *n) */
    @KernelSymbol("srcu_notifier_chain_register")
    static int srcuRegister(KernelContext k, long nh, long n) {
        call(k, "mutex_lock", mutex(k, nh));
        try {
            return chainRegister(k, headAt(k, nh, "srcu"), n, false);
        } finally {
            call(k, "mutex_unlock", mutex(k, nh));
        }
    }

    /** int srcu_notifier_chain_unregister(struct srcu_notifier_head *nh, struct notifier_block *n) */
    @KernelSymbol("srcu_notifier_chain_unregister")
    static int srcuUnregister(KernelContext k, long nh, long n) {
        int ret;
        call(k, "mutex_lock", mutex(k, nh));
        try {
            ret = chainUnregister(k, headAt(k, nh, "srcu"), n);
        } finally {
            call(k, "mutex_unlock", mutex(k, nh));
        }
        call(k, "synchronize_srcu", nh + k.off("srcu_notifier_head_srcu"));
        return ret;
    }

    /** int srcu_notifier_call_chain(struct srcu_notifier_head *nh, unsigned long val, void *v) */
    @KernelSymbol("srcu_notifier_call_chain")
    static int srcuCall(KernelContext k, long nh, long val, long v) {
        long srcu = nh + k.off("srcu_notifier_head_srcu");
        int idx = (int) k.call(k.sym("__srcu_read_lock"), srcu);
        try {
            return callChain(k, headAt(k, nh, "srcu"), val, v, -1, null);
        } finally {
            k.call(k.sym("__srcu_read_unlock"), srcu, idx);
        }
    }

    /** void srcu_init_notifier_head(struct srcu_notifier_head *nh) */
    @KernelSymbol("srcu_init_notifier_head")
    static void srcuInitHead(KernelContext k, long nh) {
        k.call(k.sym("__mutex_init"), mutex(k, nh), 0, 0);
        if ((int) k.call(k.sym("init_srcu_struct"), nh + k.off("srcu_notifier_head_srcu")) < 0) {
            throw Oops.bug(k, "kernel/notifier.c:500");
        }
        k.mem().write64(headAt(k, nh, "srcu"), 0);
    }

    // ---------------------------------------------------------------- the kernel's chains

    /**
     * Fills in a {@code BLOCKING_NOTIFIER_HEAD()} at {@code at}: an unlocked rw_semaphore (count 0,
     * empty wait list, no owner) and an empty chain.
     */
    public static void initBlockingHead(KernelContext k, long at) {
        AddressSpace m = k.mem();
        long sem = at + k.off("blocking_notifier_head_rwsem");
        long wl = sem + k.off("rw_semaphore_wait_list");
        m.pokeLong(wl + k.off("list_head_next"), wl);
        m.pokeLong(wl + k.off("list_head_prev"), wl);
    }

    /** {@code BLOCKING_NOTIFIER_HEAD(reboot_notifier_list)}: told of reboots, halts and power-offs. */
    @KernelData(value = "reboot_notifier_list", sizeOf = "blocking_notifier_head_sizeof")
    static void rebootList(KernelContext k, long at) {
        initBlockingHead(k, at);
    }

    /** {@code static ATOMIC_NOTIFIER_HEAD(die_chain)}: oopses, traps and breakpoints. */
    @KernelData(value = "die_chain", sizeOf = "atomic_notifier_head_sizeof")
    static void dieChain(KernelContext k, long at) {
    }

    /** int register_die_notifier(struct notifier_block *nb) */
    @KernelSymbol("register_die_notifier")
    static int registerDieNotifier(KernelContext k, long nb) {
        return atomicRegister(k, k.sym("die_chain"), nb);
    }

    /** int unregister_die_notifier(struct notifier_block *nb) */
    @KernelSymbol("unregister_die_notifier")
    static int unregisterDieNotifier(KernelContext k, long nb) {
        return atomicUnregister(k, k.sym("die_chain"), nb);
    }
}
