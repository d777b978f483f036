package dev.kmodemu.kstubs.kernel;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * kernel/softirq.c (without PREEMPT_RT or TRACE_IRQFLAGS): the bottom-half enable side and
 * tasklets. {@code local_bh_disable()} is inline (it adds {@code SOFTIRQ_DISABLE_OFFSET} to the
 * preempt count); these take it off again. Softirqs raised meanwhile run on the way out of an
 * interrupt or at the next scheduling point (see
 * {@link dev.kmodemu.kstubs.sched.Scheduler#runSoftirqs}), so {@code __local_bh_enable_ip()} finds
 * none pending.
 *
 * <p>A scheduled tasklet raises TASKLET_SOFTIRQ: it runs in softirq context on the way out of the
 * interrupt that scheduled it, or, scheduled from process context, by ksoftirqd at the next
 * scheduling point; high-priority tasklets first, each list in scheduling order
 * ({@code tasklet_action_common()}: one that is disabled stays queued, and ksoftirqd retries it
 * every tick while others run; after the 120 s the hung-task watchdog waits, kmodemu stops
 * retrying).
 */
public final class Softirq {
    private Softirq() {
    }

    private static void preemptCountSub(KernelContext k, int cnt) {
        long pc = k.machine().percpu("__preempt_count");
        k.mem().write32(pc, k.mem().read32(pc) - cnt);
    }

    private static void warnInHardirq(KernelContext k, String where, String fn) {
        long pc = k.machine().percpu("__preempt_count");
        if ((k.mem().read32(pc) & k.profile().value("HARDIRQ_MASK")) != 0) {
            dev.kmodemu.kstubs.lib.OnceLite.warnOnce(k, where, fn, null);
        }
    }

    /** void __local_bh_enable_ip(unsigned long ip, unsigned int cnt) */
    @KernelSymbol("__local_bh_enable_ip")
    static void localBhEnableIp(KernelContext k, long ip, int cnt) {
        warnInHardirq(k, "kernel/softirq.c:400", "__local_bh_enable_ip");
        preemptCountSub(k, cnt);
    }

    /** void _local_bh_enable(void) */
    @KernelSymbol("_local_bh_enable")
    static void localBhEnable(KernelContext k) {
        warnInHardirq(k, "kernel/softirq.c:393", "_local_bh_enable");
        preemptCountSub(k, (int) k.profile().value("SOFTIRQ_DISABLE_OFFSET"));
    }

    // ---------------------------------------------------------------- tasklets

    /** The per-cpu tasklet lists ({@code tasklet_vec}, {@code tasklet_hi_vec}). */
    private static final class Tasklets {
        final java.util.ArrayDeque<Long> hi = new java.util.ArrayDeque<>();
        final java.util.ArrayDeque<Long> normal = new java.util.ArrayDeque<>();
        boolean raised;
        long retries;
    }

    private static Tasklets tasklets(KernelContext k) {
        return k.state(Tasklets.class, Tasklets::new);
    }

    private static long stateAt(KernelContext k, long t) {
        return t + k.off("tasklet_struct_state");
    }

    private static boolean testBit(KernelContext k, long t, String bit) {
        return (k.mem().read64(stateAt(k, t)) & 1L << k.profile().value(bit)) != 0;
    }

    /** {@code test_and_set_bit()}/{@code test_and_clear_bit()} on {@code t->state}: the old bit. */
    private static boolean changeBit(KernelContext k, long t, String bit, boolean set) {
        long mask = 1L << k.profile().value(bit);
        long old = k.mem().read64(stateAt(k, t));
        k.mem().write64(stateAt(k, t), set ? old | mask : old & ~mask);
        return (old & mask) != 0;
    }

    /** {@code raise_softirq_irqoff(TASKLET_SOFTIRQ)}. */
    private static void raise(KernelContext k) {
        Tasklets ts = tasklets(k);
        if (!ts.raised) {
            ts.raised = true;
            k.scheduler().raiseSoftirq(() -> taskletAction(k));
        }
    }

    /** {@code tasklet_hi_action()} and {@code tasklet_action()}, in softirq context. */
    private static void taskletAction(KernelContext k) {
        Tasklets ts = tasklets(k);
        ts.raised = false;
        boolean again = actionCommon(k, ts.hi);
        again |= actionCommon(k, ts.normal);
        long maxRetries = 120L * k.clock().hz();
        if (again && ts.retries++ < maxRetries) {
            k.scheduler().at(k.clock().nanos() + 1_000_000_000L / k.clock().hz(), () -> raise(k));
        } else if (!again) {
            ts.retries = 0;
        }
    }

    /** {@code tasklet_action_common()}: runs a list; true if some tasklet stayed queued. */
    private static boolean actionCommon(KernelContext k, java.util.ArrayDeque<Long> head) {
        java.util.List<Long> list = new java.util.ArrayList<>(head);
        head.clear();
        boolean requeued = false;
        for (long t : list) {
            if (!changeBit(k, t, "TASKLET_STATE_RUN", true)) {
                if (k.mem().read32(t + k.off("tasklet_struct_count")) == 0) {
                    if (clearSched(k, t)) {
                        if (k.mem().read8(t + k.off("tasklet_struct_use_callback")) != 0) {
                            k.call(k.mem().read64(t + k.off("tasklet_struct_callback")), t);
                        } else {
                            k.call(k.mem().read64(t + k.off("tasklet_struct_func")),
                                    k.mem().read64(t + k.off("tasklet_struct_data")));
                        }
                    }
                    changeBit(k, t, "TASKLET_STATE_RUN", false);
                    continue;
                }
                changeBit(k, t, "TASKLET_STATE_RUN", false);
            }
            k.mem().write64(t + k.off("tasklet_struct_next"), 0);
            head.add(t);
            requeued = true;
        }
        return requeued;
    }

    /** {@code tasklet_clear_sched()}. */
    private static boolean clearSched(KernelContext k, long t) {
        if (changeBit(k, t, "TASKLET_STATE_SCHED", false)) {
            return true;
        }
        boolean cb = k.mem().read8(t + k.off("tasklet_struct_use_callback")) != 0;
        long fn = k.mem().read64(t + k.off(cb ? "tasklet_struct_callback" : "tasklet_struct_func"));
        dev.kmodemu.kstubs.lib.OnceLite.warnOnce(k, "kernel/softirq.c:798", "tasklet_action_common",
                "tasklet SCHED state not set: " + (cb ? "callback" : "func") + " "
                        + k.machine().kallsyms().symbolize(fn, true));
        return false;
    }

    /** {@code tasklet_setup()} and {@code tasklet_schedule()} for kernel code in Java: queues {@code t} unless queued. */
    public static void schedule(KernelContext k, long t, long callback) {
        if (k.mem().read64(t + k.off("tasklet_struct_callback")) != callback) {
            taskletSetup(k, t, callback);
        }
        if (!changeBit(k, t, "TASKLET_STATE_SCHED", true)) {
            taskletSchedule(k, t);
        }
    }

    /** void __tasklet_schedule(struct tasklet_struct *t) */
    @KernelSymbol("__tasklet_schedule")
    static void taskletSchedule(KernelContext k, long t) {
        k.mem().write64(t + k.off("tasklet_struct_next"), 0);
        tasklets(k).normal.add(t);
        raise(k);
    }

    /** void __tasklet_hi_schedule(struct tasklet_struct *t) */
    @KernelSymbol("__tasklet_hi_schedule")
    static void taskletHiSchedule(KernelContext k, long t) {
        k.mem().write64(t + k.off("tasklet_struct_next"), 0);
        tasklets(k).hi.add(t);
        raise(k);
    }

    private static void init(KernelContext k, long t, long fn, boolean callback, long data) {
        AddressSpace m = k.mem();
        m.write64(t + k.off("tasklet_struct_next"), 0);
        m.write64(stateAt(k, t), 0);
        m.write32(t + k.off("tasklet_struct_count"), 0);
        m.write64(t + k.off(callback ? "tasklet_struct_callback" : "tasklet_struct_func"), fn);
        m.write8(t + k.off("tasklet_struct_use_callback"), callback ? 1 : 0);
        m.write64(t + k.off("tasklet_struct_data"), data);
    }

    /** void tasklet_setup(struct tasklet_struct *t, void (*callback)(struct tasklet_struct *)) */
    @KernelSymbol("tasklet_setup")
    static void taskletSetup(KernelContext k, long t, long callback) {
        init(k, t, callback, true, 0);
    }

    /** void tasklet_init(struct tasklet_struct *t, void (*func)(unsigned long), unsigned long data) */
    @KernelSymbol("tasklet_init")
    static void taskletInit(KernelContext k, long t, long func, long data) {
        init(k, t, func, false, data);
    }

    /** void tasklet_unlock_wait(struct tasklet_struct *t): sleeps while the tasklet runs */
    @KernelSymbol("tasklet_unlock_wait")
    static void taskletUnlockWait(KernelContext k, long t) {
        k.scheduler().sleep(() -> !testBit(k, t, "TASKLET_STATE_RUN"), -1, "tasklet_unlock_wait");
    }

    /** void tasklet_unlock_spin_wait(struct tasklet_struct *t) */
    @KernelSymbol("tasklet_unlock_spin_wait")
    static void taskletUnlockSpinWait(KernelContext k, long t) {
        if (testBit(k, t, "TASKLET_STATE_RUN")) {
            throw Oops.lockup(k, "tasklet_unlock_spin_wait");
        }
    }

    /** void tasklet_unlock(struct tasklet_struct *t) */
    @KernelSymbol("tasklet_unlock")
    static void taskletUnlock(KernelContext k, long t) {
        changeBit(k, t, "TASKLET_STATE_RUN", false);
    }

    /** void tasklet_kill(struct tasklet_struct *t): waits until it is neither queued nor running */
    @KernelSymbol("tasklet_kill")
    static void taskletKill(KernelContext k, long t) {
        long pc = k.mem().read32(k.machine().percpu("__preempt_count"));
        long interrupt = k.profile().value("HARDIRQ_MASK") | k.profile().value("SOFTIRQ_MASK") | k.profile().value("NMI_MASK");
        if ((pc & interrupt) != 0) {
            k.printk(5, "Attempt to kill tasklet from interrupt");
        }
        while (changeBit(k, t, "TASKLET_STATE_SCHED", true)) {
            k.scheduler().sleep(() -> !testBit(k, t, "TASKLET_STATE_SCHED"), -1, "tasklet_kill");
        }
        taskletUnlockWait(k, t);
        clearSched(k, t);
    }
}
