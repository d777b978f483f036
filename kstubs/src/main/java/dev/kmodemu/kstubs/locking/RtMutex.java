package dev.kmodemu.kstubs.locking;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * kernel/locking/rtmutex_api.c on one CPU: the owner word of {@code struct rt_mutex_base} in guest
 * memory is taken and released as the fast paths do (priority inheritance has nothing to boost:
 * one task runs at a time). A task waiting for an owner that is another kernel thread sleeps until
 * it unlocks; a lock nobody will release hangs, reported as a hung task, as for mutexes.
 */
public final class RtMutex {
    private RtMutex() {
    }

    private static long ownerAt(KernelContext k, long lock) {
        return lock + k.off("rt_mutex_base_owner");
    }

    private static long owner(KernelContext k, long lock) {
        return k.mem().read64(ownerAt(k, lock)) & ~1L;
    }

    /** void __rt_mutex_init(struct rt_mutex *lock, const char *name, struct lock_class_key *key) */
    @KernelSymbol("__rt_mutex_init")
    public static void init(KernelContext k, long lock, long name, long key) {
        baseInit(k, lock);
    }

    /** void rt_mutex_base_init(struct rt_mutex_base *rtb) */
    @KernelSymbol("rt_mutex_base_init")
    static void baseInit(KernelContext k, long lock) {
        k.mem().write32(lock, 0);
        k.mem().write64(ownerAt(k, lock), 0);
    }

    /** void rt_mutex_lock(struct rt_mutex *lock) */
    @KernelSymbol("rt_mutex_lock")
    public static void lock(KernelContext k, long lock) {
        long me = k.tasks().current().taskStruct();
        k.scheduler().sleep(() -> {
            if (owner(k, lock) != 0) {
                return false;
            }
            k.mem().write64(ownerAt(k, lock), me);
            return true;
        }, -1, "rt_mutex_lock");
    }

    /** int rt_mutex_lock_interruptible(struct rt_mutex *lock): no signals reach kernel waiters here. */
    @KernelSymbol({"rt_mutex_lock_interruptible", "rt_mutex_lock_killable"})
    static int lockInterruptible(KernelContext k, long lock) {
        lock(k, lock);
        return 0;
    }

    /** int rt_mutex_trylock(struct rt_mutex *lock) */
    @KernelSymbol("rt_mutex_trylock")
    public static int trylock(KernelContext k, long lock) {
        if (owner(k, lock) != 0) {
            return 0;
        }
        k.mem().write64(ownerAt(k, lock), k.tasks().current().taskStruct());
        return 1;
    }

    /** void rt_mutex_unlock(struct rt_mutex *lock) */
    @KernelSymbol("rt_mutex_unlock")
    public static void unlock(KernelContext k, long lock) {
        k.mem().write64(ownerAt(k, lock), 0);
    }
}
