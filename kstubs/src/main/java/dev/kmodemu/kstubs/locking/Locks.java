package dev.kmodemu.kstubs.locking;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.emu.Reg;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.kernel.Oops;

/**
 * kernel/locking/mutex.c and kernel/locking/spinlock.c on one CPU running one task at a time:
 * the lock words in guest memory are taken and released as the kernel's fast paths do. A lock
 * already held when taken can never be released (nothing else runs), so instead of hanging the
 * task is reported as the kernel's watchdogs report it (hung task for a mutex, soft lockup for a
 * spinlock) and killed. Spinlocks raise the preemption count (and the {@code _irq} ones clear the
 * caller's interrupt flag, {@code _bh} ones disable softirqs) as the kernel's do; {@link Lockdep}
 * tracks who holds what.
 */
public final class Locks {
    private Locks() {
    }

    private static final long MUTEX_FLAGS = 0x07;
    private static final int QR_BIAS = 0x200;
    private static final int QW_LOCKED = 0xff;

    private static long owner(KernelContext k, long lock) {
        return k.mem().read64(lock + k.off("mutex_owner")) & ~MUTEX_FLAGS;
    }

    private static long current(KernelContext k) {
        return k.tasks().current().taskStruct();
    }

    /** void __mutex_init(struct mutex *lock, const char *name, struct lock_class_key *key) */
    @KernelSymbol("__mutex_init")
    static void mutexInit(KernelContext k, long lock, long name, long key) {
        Lockdep.nameMutex(k, lock, name);
        AddressSpace m = k.mem();
        m.write64(lock + k.off("mutex_owner"), 0);
        long wl = lock + k.off("mutex_wait_list");
        m.write64(wl + k.off("list_head_next"), wl);
        m.write64(wl + k.off("list_head_prev"), wl);
    }

    /** bool mutex_is_locked(struct mutex *lock) */
    @KernelSymbol("mutex_is_locked")
    static boolean mutexIsLocked(KernelContext k, long lock) {
        return owner(k, lock) != 0;
    }

    /** int mutex_trylock(struct mutex *lock) */
    @KernelSymbol("mutex_trylock")
    static int mutexTrylock(KernelContext k, long lock) {
        if (owner(k, lock) != 0) {
            return 0;
        }
        k.mem().write64(lock + k.off("mutex_owner"), current(k));
        Lockdep.acquire(k, lock, Lockdep.Kind.MUTEX, false);
        return 1;
    }

    /**
     * void mutex_lock(struct mutex *lock): sleeps until the owner (another kernel thread) unlocks
     * it; a task taking a mutex it already holds, or that nobody will release, hangs as on the
     * real kernel and is reported as a hung task.
     */
    @KernelSymbol("mutex_lock")
    public static void mutexLock(KernelContext k, long lock) {
        Lockdep.mightSleep(k, "kernel/locking/mutex.c:283");
        lockSleeping(k, lock, "TASK_UNINTERRUPTIBLE");
    }

    private static void lockSleeping(KernelContext k, long lock, String state) {
        long me = current(k);
        long ownerAt = lock + k.off("mutex_owner");
        k.scheduler().sleep(() -> {
            if (owner(k, lock) != 0) {
                return false;
            }
            k.mem().write64(ownerAt, me);
            return true;
        }, -1, "mutex_lock", state);
        Lockdep.acquire(k, lock, Lockdep.Kind.MUTEX, false);
    }

    /** int mutex_lock_interruptible(struct mutex *lock) */
    @KernelSymbol("mutex_lock_interruptible")
    static int mutexLockInterruptible(KernelContext k, long lock) {
        Lockdep.mightSleep(k, "kernel/locking/mutex.c:979");
        lockSleeping(k, lock, "TASK_INTERRUPTIBLE");
        return 0;
    }

    /** int mutex_lock_killable(struct mutex *lock) */
    @KernelSymbol("mutex_lock_killable")
    static int mutexLockKillable(KernelContext k, long lock) {
        Lockdep.mightSleep(k, "kernel/locking/mutex.c:1003");
        lockSleeping(k, lock, "TASK_KILLABLE");
        return 0;
    }

    /** void mutex_lock_io(struct mutex *lock) */
    @KernelSymbol("mutex_lock_io")
    static void mutexLockIo(KernelContext k, long lock) {
        mutexLock(k, lock);
    }

    /** void mutex_unlock(struct mutex *lock) */
    @KernelSymbol("mutex_unlock")
    public static void mutexUnlock(KernelContext k, long lock) {
        Lockdep.release(k, lock, Lockdep.Kind.MUTEX);
        k.mem().write64(lock + k.off("mutex_owner"), 0);
    }

    /** int atomic_dec_and_mutex_lock(atomic_t *cnt, struct mutex *lock) */
    @KernelSymbol("atomic_dec_and_mutex_lock")
    static int atomicDecAndMutexLock(KernelContext k, long cnt, long lock) {
        int v = k.mem().read32(cnt);
        if (v != 1) {
            k.mem().write32(cnt, v - 1);
            return 0;
        }
        mutexLock(k, lock);
        v = k.mem().read32(cnt) - 1;
        k.mem().write32(cnt, v);
        if (v != 0) {
            mutexUnlock(k, lock);
            return 0;
        }
        return 1;
    }

    // ---------------------------------------------------------------- spinlocks

    /** What a lock function does to preemption and interrupts besides taking the lock. */
    private enum Flavour {
        /** {@code preempt_disable()}. */
        PLAIN,
        /** {@code local_bh_disable()}: {@code SOFTIRQ_LOCK_OFFSET}. */
        BH,
        /** {@code local_irq_disable()} + {@code preempt_disable()}. */
        IRQ
    }

    /**
     * The flavour of a lock or unlock function by its name's suffix: {@code _bh}; {@code _irq},
     * {@code _irqsave} and {@code _irqrestore} (whose unlock puts the saved IF back).
     */
    private static Flavour flavour(String fn) {
        return fn.endsWith("_bh") ? Flavour.BH
                : fn.endsWith("_irq") || fn.endsWith("_irqsave") || fn.endsWith("_irqrestore") ? Flavour.IRQ
                : Flavour.PLAIN;
    }

    private static final long IF = 0x200;

    /** The lock function's effect on preemption and interrupts, as {@code __raw_spin_lock*()} has it. */
    private static void lockFlavour(KernelContext k, Flavour f) {
        switch (f) {
            case PLAIN -> Lockdep.preemptCountAdd(k, 1);
            case BH -> Lockdep.preemptCountAdd(k, k.off("SOFTIRQ_DISABLE_OFFSET") + 1);
            case IRQ -> {
                k.frame().setRegister(Reg.EFLAGS, k.frame().register(Reg.EFLAGS) & ~IF);
                Lockdep.preemptCountAdd(k, 1);
            }
        }
    }

    /**
     * The unlock function's: {@code preempt_enable()}, {@code local_bh_enable()}, or interrupts on
     * ({@code _irq}) or as {@code flags} had them ({@code _irqrestore}, {@code flags} not -1).
     */
    private static void unlockFlavour(KernelContext k, Flavour f, long flags) {
        switch (f) {
            case PLAIN -> Lockdep.preemptCountAdd(k, -1);
            case BH -> Lockdep.preemptCountAdd(k, -(k.off("SOFTIRQ_DISABLE_OFFSET") + 1));
            case IRQ -> {
                long now = k.frame().register(Reg.EFLAGS);
                k.frame().setRegister(Reg.EFLAGS, flags == -1 ? now | IF : (now & ~IF) | (flags & IF));
                Lockdep.preemptCountAdd(k, -1);
            }
        }
    }

    /**
     * {@code spin_lock()} on one CPU, with the preemption and interrupt effect of {@code fn}'s
     * flavour ({@code _bh}, {@code _irq}, {@code _irqsave}): takes a free lock; a lock already held
     * can never be released (its holder cannot run), so the caller reports a soft lockup.
     *
     * @param fn the kernel function spinning, for the report
     */
    public static void spinLock(KernelContext k, long lock, String fn) {
        lockFlavour(k, flavour(fn));
        if (k.mem().read32(lock) != 0) {
            throw Oops.lockup(k, fn);
        }
        k.mem().write32(lock, 1);
        Lockdep.acquire(k, lock, Lockdep.Kind.SPIN, false);
    }

    private static void spinUnlock(KernelContext k, long lock, String fn, long flags) {
        Lockdep.release(k, lock, Lockdep.Kind.SPIN);
        k.mem().write32(lock, 0);
        unlockFlavour(k, flavour(fn), flags);
    }

    /**
     * {@code void native_queued_spin_lock_slowpath(struct qspinlock *lock, u32 val)}: entered from
     * an inlined {@code queued_spin_lock()} whose fast-path cmpxchg found the lock taken. With one
     * CPU the holder cannot run again until this caller gives up, so a lock still held is a lockup;
     * a lock found free is taken.
     */
    @KernelSymbol("native_queued_spin_lock_slowpath")
    static void queuedSpinLockSlowpath(KernelContext k, long lock, int val) {
        if (k.mem().read32(lock) != 0) {
            throw Oops.lockup(k, "native_queued_spin_lock_slowpath");
        }
        k.mem().write32(lock, 1);
    }

    /** void _raw_spin_lock(raw_spinlock_t *lock), also _bh and _irq */
    @KernelSymbol({"_raw_spin_lock", "_raw_spin_lock_bh", "_raw_spin_lock_irq"})
    static void rawSpinLock(KernelContext k, long lock) {
        spinLock(k, lock, k.frame().symbol());
    }

    /** unsigned long _raw_spin_lock_irqsave(raw_spinlock_t *lock) */
    @KernelSymbol("_raw_spin_lock_irqsave")
    static long rawSpinLockIrqsave(KernelContext k, long lock) {
        long flags = k.frame().register(Reg.EFLAGS);
        spinLock(k, lock, "_raw_spin_lock_irqsave");
        return flags;
    }

    /** int _raw_spin_trylock(raw_spinlock_t *lock), also _bh */
    @KernelSymbol({"_raw_spin_trylock", "_raw_spin_trylock_bh"})
    public static int rawSpinTrylock(KernelContext k, long lock) {
        if (k.mem().read32(lock) != 0) {
            return 0;
        }
        lockFlavour(k, flavour(k.frame().symbol()));
        k.mem().write32(lock, 1);
        Lockdep.acquire(k, lock, Lockdep.Kind.SPIN, false);
        return 1;
    }

    /** void _raw_spin_unlock(raw_spinlock_t *lock), also _bh and _irq */
    @KernelSymbol({"_raw_spin_unlock", "_raw_spin_unlock_bh", "_raw_spin_unlock_irq"})
    public static void rawSpinUnlock(KernelContext k, long lock) {
        spinUnlock(k, lock, k.frame().symbol(), -1);
    }

    /** void _raw_spin_unlock_irqrestore(raw_spinlock_t *lock, unsigned long flags) */
    @KernelSymbol("_raw_spin_unlock_irqrestore")
    static void rawSpinUnlockIrqrestore(KernelContext k, long lock, long flags) {
        spinUnlock(k, lock, "_raw_spin_unlock_irqrestore", flags);
    }

    /** void _raw_read_lock(rwlock_t *lock), also _bh and _irq */
    @KernelSymbol({"_raw_read_lock", "_raw_read_lock_bh", "_raw_read_lock_irq"})
    static void rawReadLock(KernelContext k, long lock) {
        readLock(k, lock, k.frame().symbol());
    }

    private static void readLock(KernelContext k, long lock, String fn) {
        lockFlavour(k, flavour(fn));
        int v = k.mem().read32(lock);
        if ((v & QW_LOCKED) != 0) {
            throw Oops.lockup(k, fn);
        }
        k.mem().write32(lock, v + QR_BIAS);
        Lockdep.acquire(k, lock, Lockdep.Kind.RWLOCK, true);
    }

    /** unsigned long _raw_read_lock_irqsave(rwlock_t *lock) */
    @KernelSymbol("_raw_read_lock_irqsave")
    static long rawReadLockIrqsave(KernelContext k, long lock) {
        long flags = k.frame().register(Reg.EFLAGS);
        readLock(k, lock, "_raw_read_lock_irqsave");
        return flags;
    }

    private static void readUnlock(KernelContext k, long lock, String fn, long flags) {
        Lockdep.release(k, lock, Lockdep.Kind.RWLOCK);
        k.mem().write32(lock, k.mem().read32(lock) - QR_BIAS);
        unlockFlavour(k, flavour(fn), flags);
    }

    /** void _raw_read_unlock(rwlock_t *lock), also _bh and _irq */
    @KernelSymbol({"_raw_read_unlock", "_raw_read_unlock_bh", "_raw_read_unlock_irq"})
    static void rawReadUnlock(KernelContext k, long lock) {
        readUnlock(k, lock, k.frame().symbol(), -1);
    }

    /** void _raw_read_unlock_irqrestore(rwlock_t *lock, unsigned long flags) */
    @KernelSymbol("_raw_read_unlock_irqrestore")
    static void rawReadUnlockIrqrestore(KernelContext k, long lock, long flags) {
        readUnlock(k, lock, "_raw_read_unlock_irqrestore", flags);
    }

    /** int _raw_read_trylock(rwlock_t *lock) */
    @KernelSymbol("_raw_read_trylock")
    static int rawReadTrylock(KernelContext k, long lock) {
        int v = k.mem().read32(lock);
        if ((v & QW_LOCKED) != 0) {
            return 0;
        }
        lockFlavour(k, Flavour.PLAIN);
        k.mem().write32(lock, v + QR_BIAS);
        Lockdep.acquire(k, lock, Lockdep.Kind.RWLOCK, true);
        return 1;
    }

    /** void _raw_write_lock(rwlock_t *lock), also _bh and _irq */
    @KernelSymbol({"_raw_write_lock", "_raw_write_lock_bh", "_raw_write_lock_irq"})
    static void rawWriteLock(KernelContext k, long lock) {
        writeLock(k, lock, k.frame().symbol());
    }

    private static void writeLock(KernelContext k, long lock, String fn) {
        lockFlavour(k, flavour(fn));
        if (k.mem().read32(lock) != 0) {
            throw Oops.lockup(k, fn);
        }
        k.mem().write32(lock, QW_LOCKED);
        Lockdep.acquire(k, lock, Lockdep.Kind.RWLOCK, false);
    }

    /** unsigned long _raw_write_lock_irqsave(rwlock_t *lock) */
    @KernelSymbol("_raw_write_lock_irqsave")
    static long rawWriteLockIrqsave(KernelContext k, long lock) {
        long flags = k.frame().register(Reg.EFLAGS);
        writeLock(k, lock, "_raw_write_lock_irqsave");
        return flags;
    }

    /** int _raw_write_trylock(rwlock_t *lock) */
    @KernelSymbol("_raw_write_trylock")
    static int rawWriteTrylock(KernelContext k, long lock) {
        if (k.mem().read32(lock) != 0) {
            return 0;
        }
        lockFlavour(k, Flavour.PLAIN);
        k.mem().write32(lock, QW_LOCKED);
        Lockdep.acquire(k, lock, Lockdep.Kind.RWLOCK, false);
        return 1;
    }

    private static void writeUnlock(KernelContext k, long lock, String fn, long flags) {
        Lockdep.release(k, lock, Lockdep.Kind.RWLOCK);
        k.mem().write32(lock, 0);
        unlockFlavour(k, flavour(fn), flags);
    }

    /** void _raw_write_unlock(rwlock_t *lock), also _bh and _irq */
    @KernelSymbol({"_raw_write_unlock", "_raw_write_unlock_bh", "_raw_write_unlock_irq"})
    static void rawWriteUnlock(KernelContext k, long lock) {
        writeUnlock(k, lock, k.frame().symbol(), -1);
    }

    /** void _raw_write_unlock_irqrestore(rwlock_t *lock, unsigned long flags) */
    @KernelSymbol("_raw_write_unlock_irqrestore")
    static void rawWriteUnlockIrqrestore(KernelContext k, long lock, long flags) {
        writeUnlock(k, lock, "_raw_write_unlock_irqrestore", flags);
    }
}
