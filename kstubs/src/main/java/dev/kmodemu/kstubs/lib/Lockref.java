package dev.kmodemu.kstubs.lib;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.locking.Locks;

/**
 * lib/lockref.c: a reference count next to its spinlock in one 64-bit word. x86 has the
 * lockless fast path ({@code CMPXCHG_LOOP}), taken while the lock is free; with the lock held the
 * functions fall back to taking it (which, on one CPU, only the holder could release: a lockup)
 * or, for {@code lockref_put_return()}, give up with -1, as the kernel does.
 */
public final class Lockref {
    private Lockref() {
    }

    private static long countAt(KernelContext k, long l) {
        return l + k.off("lockref_count");
    }

    private static long lockAt(KernelContext k, long l) {
        return l + k.off("lockref_lock");
    }

    /** The fast path may run: {@code arch_spin_value_unlocked()} of the lock word. */
    private static boolean unlocked(KernelContext k, long l) {
        return k.mem().read32(lockAt(k, l)) == 0;
    }

    private static int count(KernelContext k, long l) {
        return k.mem().read32(countAt(k, l));
    }

    private static void setCount(KernelContext k, long l, int v) {
        k.mem().write32(countAt(k, l), v);
    }

    private static void lock(KernelContext k, long l, String fn) {
        Locks.spinLock(k, lockAt(k, l), fn);
    }

    private static void unlock(KernelContext k, long l) {
        Locks.rawSpinUnlock(k, lockAt(k, l));
    }

    /**
     * Adds {@code delta} to the count if {@code allowed} holds for it (1, else 0): locklessly
     * while the lock is free, else under the lock.
     */
    private static int update(KernelContext k, long l, String fn, java.util.function.IntPredicate allowed, int delta) {
        boolean slow = !unlocked(k, l);
        if (slow) {
            lock(k, l, fn);
        }
        int ret = 0;
        if (allowed.test(count(k, l))) {
            setCount(k, l, count(k, l) + delta);
            ret = 1;
        }
        if (slow) {
            unlock(k, l);
        }
        return ret;
    }

    /** void lockref_get(struct lockref *lockref) */
    @KernelSymbol("lockref_get")
    static void get(KernelContext k, long l) {
        if (!unlocked(k, l)) {
            lock(k, l, "lockref_get");
            setCount(k, l, count(k, l) + 1);
            unlock(k, l);
            return;
        }
        setCount(k, l, count(k, l) + 1);
    }

    /** int lockref_get_not_zero(struct lockref *lockref) */
    @KernelSymbol("lockref_get_not_zero")
    static int getNotZero(KernelContext k, long l) {
        return update(k, l, "lockref_get_not_zero", c -> c > 0, 1);
    }

    /** int lockref_put_not_zero(struct lockref *lockref) */
    @KernelSymbol("lockref_put_not_zero")
    static int putNotZero(KernelContext k, long l) {
        return update(k, l, "lockref_put_not_zero", c -> c > 1, -1);
    }

    /** int lockref_put_return(struct lockref *lockref): the new count, or -1 */
    @KernelSymbol("lockref_put_return")
    static int putReturn(KernelContext k, long l) {
        if (!unlocked(k, l) || count(k, l) <= 0) {
            return -1;
        }
        setCount(k, l, count(k, l) - 1);
        return count(k, l);
    }

    /**
     * int lockref_put_or_lock(struct lockref *lockref): 1 after a decrement; 0 with the lock
     * taken when the count would drop to 0.
     */
    @KernelSymbol("lockref_put_or_lock")
    static int putOrLock(KernelContext k, long l) {
        if (unlocked(k, l) && count(k, l) > 1) {
            setCount(k, l, count(k, l) - 1);
            return 1;
        }
        lock(k, l, "lockref_put_or_lock");
        if (count(k, l) <= 1) {
            return 0;
        }
        setCount(k, l, count(k, l) - 1);
        unlock(k, l);
        return 1;
    }

    /** void lockref_mark_dead(struct lockref *lockref): the caller holds the lock */
    @KernelSymbol("lockref_mark_dead")
    static void markDead(KernelContext k, long l) {
        setCount(k, l, -128);
    }

    /** int lockref_get_not_dead(struct lockref *lockref) */
    @KernelSymbol("lockref_get_not_dead")
    static int getNotDead(KernelContext k, long l) {
        return update(k, l, "lockref_get_not_dead", c -> c >= 0, 1);
    }
}
