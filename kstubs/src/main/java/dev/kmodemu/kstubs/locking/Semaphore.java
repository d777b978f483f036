package dev.kmodemu.kstubs.locking;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.time.Timers;

/**
 * kernel/locking/semaphore.c: counting semaphores in guest memory ({@code sema_init()} is inline).
 * A task that finds the count at zero queues on {@code wait_list} and sleeps; {@code up()} hands
 * the semaphore to the first waiter, as the kernel does, so waiters get it in FIFO order. Nothing
 * sends signals in kmodemu, so the interruptible and killable variants only return early on a
 * timeout, never with {@code -EINTR}.
 */
public final class Semaphore {
    private Semaphore() {
    }

    private static final int ETIME = 62;

    private static long count(KernelContext k, long sem) {
        return sem + k.off("semaphore_count");
    }

    /** {@code ___down_common()}: sleeps until up() hands the semaphore over, or the timeout. */
    private static int downCommon(KernelContext k, long sem, long timeout, String fn) {
        AddressSpace m = k.mem();
        if (m.read32(count(k, sem)) > 0) {
            m.write32(count(k, sem), m.read32(count(k, sem)) - 1);
            return 0;
        }
        LockWaiters ws = LockWaiters.of(k);
        LockWaiters.Waiter w = ws.enqueue(k, sem + k.off("semaphore_wait_list"), false);
        if (timeout <= 0) {
            ws.remove(k, w);
            return -ETIME;
        }
        long deadline = timeout == k.profile().value("MAX_SCHEDULE_TIMEOUT") ? -1 : Timers.timeoutWakeNanos(k, timeout);
        String state = switch (fn) {
            case "down_interruptible" -> "TASK_INTERRUPTIBLE";
            case "down_killable" -> "TASK_KILLABLE";
            default -> "TASK_UNINTERRUPTIBLE";
        };
        if (k.scheduler().sleep(() -> w.granted, deadline, fn, state)) {
            return 0;
        }
        ws.remove(k, w);
        return -ETIME;
    }

    private static long forever(KernelContext k) {
        return k.profile().value("MAX_SCHEDULE_TIMEOUT");
    }

    /** void down(struct semaphore *sem) */
    @KernelSymbol("down")
    static void down(KernelContext k, long sem) {
        downCommon(k, sem, forever(k), "down");
    }

    /** int down_interruptible(struct semaphore *sem) */
    @KernelSymbol("down_interruptible")
    static int downInterruptible(KernelContext k, long sem) {
        return downCommon(k, sem, forever(k), "down_interruptible");
    }

    /** int down_killable(struct semaphore *sem) */
    @KernelSymbol("down_killable")
    static int downKillable(KernelContext k, long sem) {
        return downCommon(k, sem, forever(k), "down_killable");
    }

    /** int down_timeout(struct semaphore *sem, long timeout): 0, or -ETIME */
    @KernelSymbol("down_timeout")
    static int downTimeout(KernelContext k, long sem, long timeout) {
        return downCommon(k, sem, timeout, "down_timeout");
    }

    /** int down_trylock(struct semaphore *sem): 0 if acquired, 1 if not */
    @KernelSymbol("down_trylock")
    static int downTrylock(KernelContext k, long sem) {
        int c = k.mem().read32(count(k, sem)) - 1;
        if (c >= 0) {
            k.mem().write32(count(k, sem), c);
        }
        return c < 0 ? 1 : 0;
    }

    /** void up(struct semaphore *sem): to the first waiter if there is one, else count++ */
    @KernelSymbol("up")
    static void up(KernelContext k, long sem) {
        long head = sem + k.off("semaphore_wait_list");
        if (LockWaiters.empty(k, head)) {
            k.mem().write32(count(k, sem), k.mem().read32(count(k, sem)) + 1);
            return;
        }
        LockWaiters ws = LockWaiters.of(k);
        LockWaiters.Waiter first = ws.list(k, head).get(0);
        ws.remove(k, first);
        first.granted = true;
    }
}
