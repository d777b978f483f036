package dev.kmodemu.kstubs.net;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.lib.Lists;
import dev.kmodemu.kstubs.locking.Locks;

/**
 * net/core/rtnetlink.c's RTNL lock: {@code rtnl_mutex} is a guest mutex (so a module that takes it
 * twice, or sleeps holding it while another task wants it, behaves as on the kernel), and the
 * socket buffers {@code rtnl_kfree_skbs()} defers are freed when it is released.
 */
public final class Rtnetlink {
    private Rtnetlink() {
    }

    /** Per-kernel: {@code defer_kfree_skb_list}. */
    private static final class State {
        long deferred;
    }

    /** {@code static DEFINE_MUTEX(rtnl_mutex)}. */
    @KernelData(value = "rtnl_mutex", sizeOf = "mutex_sizeof")
    static void rtnlMutex(KernelContext k, long at) {
        Lists.pokeInit(k, at + k.off("mutex_wait_list"));
    }

    private static long mutex(KernelContext k) {
        return k.sym("rtnl_mutex");
    }

    /** void rtnl_lock(void) */
    @KernelSymbol("rtnl_lock")
    public static void lock(KernelContext k) {
        Locks.mutexLock(k, mutex(k));
    }

    /** int rtnl_lock_killable(void): no signals exist, so it always gets the lock */
    @KernelSymbol("rtnl_lock_killable")
    static int lockKillable(KernelContext k) {
        lock(k);
        return 0;
    }

    /** int rtnl_trylock(void) */
    @KernelSymbol("rtnl_trylock")
    static int trylock(KernelContext k) {
        return (int) k.call(k.sym("mutex_trylock"), mutex(k));
    }

    /** int rtnl_is_locked(void) */
    @KernelSymbol("rtnl_is_locked")
    public static int isLocked(KernelContext k) {
        return k.mem().read64(mutex(k) + k.off("mutex_owner")) != 0 ? 1 : 0;
    }

    /** void rtnl_unlock(void): {@code netdev_run_todo()}: the lock released, unregistered devices finished. */
    @KernelSymbol("rtnl_unlock")
    public static void unlock(KernelContext k) {
        rawUnlock(k);
        Dev.runTodo(k);
    }

    /** {@code __rtnl_unlock()}: the lock released, then the deferred buffers are freed. */
    static void rawUnlock(KernelContext k) {
        State s = k.state(Rtnetlink.class, State::new);
        long head = s.deferred;
        s.deferred = 0;
        Locks.mutexUnlock(k, mutex(k));
        AddressSpace m = k.mem();
        while (head != 0) {
            long next = m.read64(head + k.off("sk_buff_next"));
            k.call(k.sym("kfree_skb_reason"), head, k.off("SKB_DROP_REASON_NOT_SPECIFIED"));
            head = next;
        }
    }

    /** void rtnl_kfree_skbs(struct sk_buff *head, struct sk_buff *tail) */
    @KernelSymbol("rtnl_kfree_skbs")
    static void kfreeSkbs(KernelContext k, long head, long tail) {
        if (head != 0 && tail != 0) {
            State s = k.state(Rtnetlink.class, State::new);
            k.mem().write64(tail + k.off("sk_buff_next"), s.deferred);
            s.deferred = head;
        }
    }

    /** bool refcount_dec_and_rtnl_lock(refcount_t *r): true with the lock held when the count drops to 0 */
    @KernelSymbol("refcount_dec_and_rtnl_lock")
    static boolean refcountDecAndRtnlLock(KernelContext k, long r) {
        int v = k.mem().read32(r);
        if (v != 1) {
            k.mem().write32(r, v - 1);
            return false;
        }
        lock(k);
        k.mem().write32(r, 0);
        return true;
    }
}
