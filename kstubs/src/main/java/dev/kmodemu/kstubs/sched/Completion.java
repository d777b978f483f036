package dev.kmodemu.kstubs.sched;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.time.Timers;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * kernel/sched/completion.c: {@code struct completion} with its {@code done} count in guest
 * memory; the tasks waiting on it are kept here (the kernel keeps them on {@code x->wait}).
 * {@code complete()} wakes one waiter, {@code complete_all()} all and for good (done = UINT_MAX).
 */
public final class Completion {
    private Completion() {
    }

    private static final int UINT_MAX = -1;

    private static Map<Long, ArrayDeque<Long>> waiters(KernelContext k) {
        return k.state(Completion.class, HashMap::new);
    }

    private static int done(KernelContext k, long x) {
        return k.mem().read32(x + k.off("completion_done"));
    }

    private static void setDone(KernelContext k, long x, int v) {
        k.mem().write32(x + k.off("completion_done"), v);
    }

    /** void complete(struct completion *x) */
    @KernelSymbol("complete")
    static void complete(KernelContext k, long x) {
        if (done(k, x) != UINT_MAX) {
            setDone(k, x, done(k, x) + 1);
        }
        ArrayDeque<Long> q = waiters(k).get(x);
        if (q != null && !q.isEmpty()) {
            Core.wakeUp(k, q.poll(), (int) k.profile().value("TASK_NORMAL"));
        }
    }

    /** {@code complete()} for kernel code implemented in Java. */
    public static void completeFromJava(KernelContext k, long x) {
        complete(k, x);
    }

    /** void complete_all(struct completion *x) */
    @KernelSymbol("complete_all")
    static void completeAll(KernelContext k, long x) {
        setDone(k, x, UINT_MAX);
        ArrayDeque<Long> q = waiters(k).remove(x);
        if (q != null) {
            for (long t : q) {
                Core.wakeUp(k, t, (int) k.profile().value("TASK_NORMAL"));
            }
        }
    }

    /** {@code wait_for_common()}: returns the jiffies left (at least 1) or 0 on timeout. */
    private static long waitForCommon(KernelContext k, long x, long timeout, String state) {
        dev.kmodemu.kstubs.locking.Lockdep.mightSleep(k, "kernel/sched/completion.c:101");
        if (done(k, x) == 0) {
            long task = k.tasks().current().taskStruct();
            ArrayDeque<Long> q = waiters(k).computeIfAbsent(x, a -> new ArrayDeque<>());
            do {
                if (!q.contains(task)) {
                    q.add(task);
                }
                Core.setCurrentState(k, (int) k.profile().value(state));
                timeout = Timers.scheduleTimeout(k, timeout);
            } while (done(k, x) == 0 && timeout != 0);
            q.remove(task);
            if (q.isEmpty()) {
                waiters(k).remove(x);
            }
            if (done(k, x) == 0) {
                return timeout;
            }
        }
        if (done(k, x) != UINT_MAX) {
            setDone(k, x, done(k, x) - 1);
        }
        return timeout != 0 ? timeout : 1;
    }

    private static long forever(KernelContext k) {
        return k.profile().value("MAX_SCHEDULE_TIMEOUT");
    }

    /** void wait_for_completion(struct completion *x), and _io */
    @KernelSymbol({"wait_for_completion", "wait_for_completion_io"})
    static void waitForCompletion(KernelContext k, long x) {
        waitForCommon(k, x, forever(k), "TASK_UNINTERRUPTIBLE");
    }

    /** unsigned long wait_for_completion_timeout(struct completion *x, unsigned long timeout), and _io */
    @KernelSymbol({"wait_for_completion_timeout", "wait_for_completion_io_timeout"})
    static long waitForCompletionTimeout(KernelContext k, long x, long timeout) {
        return waitForCommon(k, x, timeout, "TASK_UNINTERRUPTIBLE");
    }

    /** int wait_for_completion_interruptible(struct completion *x): no signal comes, so 0. */
    @KernelSymbol({"wait_for_completion_interruptible", "wait_for_completion_killable"})
    static int waitForCompletionInterruptible(KernelContext k, long x) {
        waitForCommon(k, x, forever(k), "TASK_INTERRUPTIBLE");
        return 0;
    }

    /** long wait_for_completion_interruptible_timeout(struct completion *x, unsigned long timeout) */
    @KernelSymbol({"wait_for_completion_interruptible_timeout", "wait_for_completion_killable_timeout"})
    static long waitForCompletionInterruptibleTimeout(KernelContext k, long x, long timeout) {
        return waitForCommon(k, x, timeout, "TASK_INTERRUPTIBLE");
    }

    /** bool try_wait_for_completion(struct completion *x) */
    @KernelSymbol("try_wait_for_completion")
    static boolean tryWaitForCompletion(KernelContext k, long x) {
        int d = done(k, x);
        if (d == 0) {
            return false;
        }
        if (d != UINT_MAX) {
            setDone(k, x, d - 1);
        }
        return true;
    }

    /** bool completion_done(struct completion *x) */
    @KernelSymbol("completion_done")
    static boolean completionDone(KernelContext k, long x) {
        return done(k, x) != 0;
    }
}
