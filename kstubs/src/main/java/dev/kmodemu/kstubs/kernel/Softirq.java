package dev.kmodemu.kstubs.kernel;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

import java.util.ArrayDeque;

/**
 * kernel/softirq.c: tasklets. A scheduled tasklet ({@code TASKLET_STATE_SCHED} set in its guest
 * {@code state}, as the inlined {@code tasklet_schedule()} tests) runs in softirq context when
 * softirqs are processed: on the way out of an interrupt, or, when it was scheduled from process
 * context, by ksoftirqd at the next scheduling point (see
 * {@link dev.kmodemu.kstubs.sched.Scheduler#runSoftirqs}). A disabled tasklet ({@code count}
 * above zero) stays scheduled until it is enabled.
 */
public final class Softirq {
    private Softirq() {
    }

    private static ArrayDeque<Long> queue(KernelContext k) {
        return k.state(Softirq.class, ArrayDeque::new);
    }

    private static long bit(KernelContext k, String name) {
        return 1L << k.profile().value(name);
    }

    /** void tasklet_init(struct tasklet_struct *t, void (*func)(unsigned long), unsigned long data) */
    @KernelSymbol("tasklet_init")
    static void taskletInit(KernelContext k, long t, long func, long data) {
        AddressSpace mem = k.mem();
        mem.write64(t + k.off("tasklet_struct_next"), 0);
        mem.write64(t + k.off("tasklet_struct_state"), 0);
        mem.write32(t + k.off("tasklet_struct_count"), 0);
        mem.write8(t + k.off("tasklet_struct_use_callback"), 0);
        mem.write64(t + k.off("tasklet_struct_func"), func);
        mem.write64(t + k.off("tasklet_struct_data"), data);
    }

    /** void tasklet_setup(struct tasklet_struct *t, void (*callback)(struct tasklet_struct *)) */
    @KernelSymbol("tasklet_setup")
    static void taskletSetup(KernelContext k, long t, long callback) {
        taskletInit(k, t, callback, 0);
        k.mem().write8(t + k.off("tasklet_struct_use_callback"), 1);
    }

    /** void __tasklet_schedule(struct tasklet_struct *t): queues it and raises TASKLET_SOFTIRQ. */
    @KernelSymbol({"__tasklet_schedule", "__tasklet_hi_schedule"})
    static void taskletSchedule(KernelContext k, long t) {
        queue(k).add(t);
        k.scheduler().raiseSoftirq(() -> runTasklets(k));
    }

    /** {@code tasklet_action_common()}: runs the enabled scheduled tasklets once, in order. */
    static void runTasklets(KernelContext k) {
        ArrayDeque<Long> q = queue(k);
        ArrayDeque<Long> disabled = new ArrayDeque<>();
        AddressSpace mem = k.mem();
        long sched = bit(k, "TASKLET_STATE_SCHED");
        long run = bit(k, "TASKLET_STATE_RUN");
        for (Long t = q.poll(); t != null; t = q.poll()) {
            long stateAt = t + k.off("tasklet_struct_state");
            if (mem.read32(t + k.off("tasklet_struct_count")) != 0) {
                disabled.add(t);
                continue;
            }
            long state = mem.read64(stateAt);
            if ((state & sched) == 0) {
                throw Oops.bug(k, "kernel/softirq.c:782");
            }
            mem.write64(stateAt, (state & ~sched) | run);
            try {
                long fn = mem.read64(t + k.off("tasklet_struct_func"));
                if (mem.read8(t + k.off("tasklet_struct_use_callback")) != 0) {
                    k.call(fn, t);
                } else {
                    k.call(fn, mem.read64(t + k.off("tasklet_struct_data")));
                }
            } finally {
                mem.write64(stateAt, mem.read64(stateAt) & ~run);
            }
        }
        q.addAll(disabled);
    }

    /**
     * void tasklet_kill(struct tasklet_struct *t): waits until a scheduled tasklet has run, then
     * leaves it unscheduled.
     */
    @KernelSymbol("tasklet_kill")
    static void taskletKill(KernelContext k, long t) {
        int pc = k.mem().read32(k.machine().percpu("__preempt_count"));
        if ((pc & (k.off("HARDIRQ_OFFSET") * 0xf | k.off("SOFTIRQ_OFFSET") * 0xff)) != 0) {
            k.printk(5, "Attempt to kill tasklet from interrupt");
        }
        long stateAt = t + k.off("tasklet_struct_state");
        long sched = bit(k, "TASKLET_STATE_SCHED");
        k.scheduler().sleep(() -> {
            if ((k.mem().read64(stateAt) & sched) == 0) {
                return true;
            }
            k.scheduler().runSoftirqs();
            return (k.mem().read64(stateAt) & sched) == 0;
        }, -1, "tasklet_kill");
        queue(k).remove(t);
    }

    /** void tasklet_unlock_wait(struct tasklet_struct *t): a tasklet never runs while its owner does. */
    @KernelSymbol({"tasklet_unlock_wait", "tasklet_unlock_spin_wait"})
    static void taskletUnlockWait(KernelContext k, long t) {
        if ((k.mem().read64(t + k.off("tasklet_struct_state")) & bit(k, "TASKLET_STATE_RUN")) != 0) {
            throw Oops.lockup(k, "tasklet_unlock_wait");
        }
    }
}
