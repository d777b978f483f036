package dev.kmodemu.kstubs.locking;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

import java.util.List;

/**
 * kernel/locking/rwsem.c: reader-writer semaphores with the kernel's {@code count} and
 * {@code owner} words in guest memory (writer bit, reader count in units of
 * {@code RWSEM_READER_BIAS}, the waiters flag; owner = task, ORed with {@code RWSEM_READER_OWNED}
 * for readers), so inline {@code rwsem_is_locked()} and {@code rwsem_is_contended()} read true
 * values. A task that cannot take the lock queues on {@code wait_list} and sleeps; releasing it
 * hands it over as {@code rwsem_mark_wake()} does: a writer at the head of the queue gets it
 * alone, a reader at the head wakes every queued reader. Optimistic spinning and the readers'
 * lock stealing of the kernel's slow path are not modelled (one CPU): a locker that finds waiters
 * queues behind them. No signals exist, so the killable/interruptible variants return 0.
 */
public final class Rwsem {
    private Rwsem() {
    }

    /** rwsem.c's {@code RWSEM_*} bits (private to that file). */
    private static final long WRITER_LOCKED = 1L;
    private static final long FLAG_WAITERS = 1L << 1;
    private static final long FLAG_HANDOFF = 1L << 2;
    private static final long FLAG_READFAIL = 1L << 63;
    private static final long READER_BIAS = 1L << 8;
    private static final long READER_MASK = ~(READER_BIAS - 1);
    private static final long LOCK_MASK = WRITER_LOCKED | READER_MASK;
    private static final long READ_FAILED_MASK = WRITER_LOCKED | FLAG_WAITERS | FLAG_HANDOFF | FLAG_READFAIL;
    private static final long READER_OWNED = 1L;
    private static final long NONSPINNABLE = 1L << 1;

    private static long countAt(KernelContext k, long sem) {
        return sem + k.off("rw_semaphore_count");
    }

    private static long ownerAt(KernelContext k, long sem) {
        return sem + k.off("rw_semaphore_owner");
    }

    private static long waitList(KernelContext k, long sem) {
        return sem + k.off("rw_semaphore_wait_list");
    }

    private static void addCount(KernelContext k, long sem, long delta) {
        AddressSpace m = k.mem();
        m.write64(countAt(k, sem), m.read64(countAt(k, sem)) + delta);
    }

    /** {@code rwsem_set_owner()}. */
    private static void setWriterOwner(KernelContext k, long sem, long task) {
        k.mem().write64(ownerAt(k, sem), task);
    }

    /** {@code __rwsem_set_reader_owned()}: keeps the nonspinnable bit. */
    private static void setReaderOwned(KernelContext k, long sem, long task) {
        AddressSpace m = k.mem();
        long keep = m.read64(ownerAt(k, sem)) & NONSPINNABLE;
        m.write64(ownerAt(k, sem), task | keep | READER_OWNED);
    }

    private static long current(KernelContext k) {
        return k.tasks().current().taskStruct();
    }

    /** void __init_rwsem(struct rw_semaphore *sem, const char *name, struct lock_class_key *key) */
    @KernelSymbol("__init_rwsem")
    static void initRwsem(KernelContext k, long sem, long name, long key) {
        AddressSpace m = k.mem();
        m.write64(countAt(k, sem), 0);
        m.write32(sem + k.off("rw_semaphore_wait_lock"), 0);
        long wl = waitList(k, sem);
        m.write64(wl + k.off("list_head_next"), wl);
        m.write64(wl + k.off("list_head_prev"), wl);
        m.write64(ownerAt(k, sem), 0);
        m.write32(sem + k.off("rw_semaphore_osq"), 0);
    }

    /** The queue is empty again: clear the waiters flag (the kernel does so in mark_wake). */
    private static void updateWaitersFlag(KernelContext k, long sem) {
        AddressSpace m = k.mem();
        long c = m.read64(countAt(k, sem));
        if (LockWaiters.empty(k, waitList(k, sem))) {
            m.write64(countAt(k, sem), c & ~(FLAG_WAITERS | FLAG_HANDOFF));
        } else {
            m.write64(countAt(k, sem), c | FLAG_WAITERS);
        }
    }

    /**
     * {@code rwsem_mark_wake()} with the lock handed over directly: a writer at the head gets it
     * if nobody holds it; a reader at the head (with no writer holding it) makes every queued
     * reader an owner, unless {@code readersOnly} and the head is a writer.
     */
    private static void markWake(KernelContext k, long sem, boolean readersOnly) {
        LockWaiters ws = LockWaiters.of(k);
        List<LockWaiters.Waiter> queue = ws.list(k, waitList(k, sem));
        if (queue.isEmpty()) {
            updateWaitersFlag(k, sem);
            return;
        }
        long c = k.mem().read64(countAt(k, sem));
        LockWaiters.Waiter first = queue.get(0);
        if (!first.reader) {
            if (!readersOnly && (c & LOCK_MASK) == 0) {
                ws.remove(k, first);
                addCount(k, sem, WRITER_LOCKED);
                setWriterOwner(k, sem, first.task);
                first.granted = true;
            }
        } else if ((c & WRITER_LOCKED) == 0) {
            for (LockWaiters.Waiter w : queue) {
                if (w.reader) {
                    ws.remove(k, w);
                    addCount(k, sem, READER_BIAS);
                    setReaderOwned(k, sem, w.task);
                    w.granted = true;
                }
            }
        }
        updateWaitersFlag(k, sem);
    }

    /** Queues the current task and sleeps until the lock is handed to it. */
    private static void wait(KernelContext k, long sem, boolean reader, String fn) {
        LockWaiters.Waiter w = LockWaiters.of(k).enqueue(k, waitList(k, sem), reader);
        updateWaitersFlag(k, sem);
        k.scheduler().sleep(() -> w.granted, -1, fn, fn.endsWith("_killable") ? "TASK_KILLABLE" : "TASK_UNINTERRUPTIBLE");
    }

    private static boolean readTrylock(KernelContext k, long sem) {
        long c = k.mem().read64(countAt(k, sem));
        if ((c & READ_FAILED_MASK) != 0) {
            return false;
        }
        addCount(k, sem, READER_BIAS);
        setReaderOwned(k, sem, current(k));
        return true;
    }

    private static boolean writeTrylock(KernelContext k, long sem) {
        if (k.mem().read64(countAt(k, sem)) != 0) {
            return false;
        }
        k.mem().write64(countAt(k, sem), WRITER_LOCKED);
        setWriterOwner(k, sem, current(k));
        return true;
    }

    private static void downRead(KernelContext k, long sem, String fn) {
        if (!readTrylock(k, sem)) {
            wait(k, sem, true, fn);
        }
    }

    private static void downWrite(KernelContext k, long sem, String fn) {
        if (!writeTrylock(k, sem)) {
            wait(k, sem, false, fn);
        }
    }

    /** void down_read(struct rw_semaphore *sem) */
    @KernelSymbol("down_read")
    static void downReadSym(KernelContext k, long sem) {
        downRead(k, sem, "down_read");
    }

    /** int down_read_interruptible(struct rw_semaphore *sem), and down_read_killable */
    @KernelSymbol({"down_read_interruptible", "down_read_killable"})
    static int downReadInterruptible(KernelContext k, long sem) {
        downRead(k, sem, "down_read_killable");
        return 0;
    }

    /** int down_read_trylock(struct rw_semaphore *sem): 1 if acquired */
    @KernelSymbol("down_read_trylock")
    static int downReadTrylock(KernelContext k, long sem) {
        return readTrylock(k, sem) ? 1 : 0;
    }

    /** void down_write(struct rw_semaphore *sem) */
    @KernelSymbol("down_write")
    static void downWriteSym(KernelContext k, long sem) {
        downWrite(k, sem, "down_write");
    }

    /** int down_write_killable(struct rw_semaphore *sem) */
    @KernelSymbol("down_write_killable")
    static int downWriteKillable(KernelContext k, long sem) {
        downWrite(k, sem, "down_write_killable");
        return 0;
    }

    /** int down_write_trylock(struct rw_semaphore *sem): 1 if acquired */
    @KernelSymbol("down_write_trylock")
    static int downWriteTrylock(KernelContext k, long sem) {
        return writeTrylock(k, sem) ? 1 : 0;
    }

    /** void up_read(struct rw_semaphore *sem) */
    @KernelSymbol("up_read")
    static void upRead(KernelContext k, long sem) {
        // rwsem_clear_reader_owned() only acts with CONFIG_DEBUG_RWSEMS: the owner word keeps the
        // last reader, as on Debian's kernel.
        addCount(k, sem, -READER_BIAS);
        long c = k.mem().read64(countAt(k, sem));
        if ((c & (LOCK_MASK | FLAG_WAITERS)) == FLAG_WAITERS) {
            markWake(k, sem, false);
        }
    }

    /** void up_write(struct rw_semaphore *sem) */
    @KernelSymbol("up_write")
    static void upWrite(KernelContext k, long sem) {
        k.mem().write64(ownerAt(k, sem), 0);
        long c = k.mem().read64(countAt(k, sem));
        addCount(k, sem, -WRITER_LOCKED);
        if ((c & FLAG_WAITERS) != 0) {
            markWake(k, sem, false);
        }
    }

    /** void downgrade_write(struct rw_semaphore *sem): the writer keeps the lock as a reader */
    @KernelSymbol("downgrade_write")
    static void downgradeWrite(KernelContext k, long sem) {
        long c = k.mem().read64(countAt(k, sem));
        addCount(k, sem, -WRITER_LOCKED + READER_BIAS);
        setReaderOwned(k, sem, current(k));
        if ((c & FLAG_WAITERS) != 0) {
            markWake(k, sem, true);
        }
    }
}
