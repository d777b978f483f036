package dev.kmodemu.kstubs.sched;

import dev.kmodemu.firmware.GuestFault;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.kernel.Oops;
import dev.kmodemu.kstubs.kernel.Panic;

import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

/**
 * What runs on the one emulated CPU besides the task that entered the kernel: expired timers (in
 * softirq context, on the current stack, as the timer softirq runs on the way out of an
 * interrupt), and queued work items (in a kworker's process context). Everything is driven by
 * virtual time, so a run is deterministic.
 *
 * <p>Work runs when the task in the kernel gives up the CPU (it sleeps, or calls {@code schedule()}),
 * and when a system call returns to user space, as a woken kworker does on a real idle CPU.
 * Timers fire when virtual time reaches them: while a task sleeps, or when the user lets time
 * pass ({@code sleep} in the shell, {@code Kernel.advance}).
 *
 * <p>A sleeping task is woken by a wake-up from timer or work code; if nothing is left that could
 * ever wake it, the kernel would keep it blocked forever, and kmodemu reports the hung task
 * instead (after the 120 s of virtual time khungtaskd waits) and kills it.
 */
public final class Scheduler {
    /** Something due at a point of virtual time: a guest timer_list, an hrtimer, or a Java wake-up. */
    public interface Event {
        /** Runs the event; the clock already shows its time. */
        void fire();
    }

    private record Due(long nanos, long seq, Event event) implements Comparable<Due> {
        @Override
        public int compareTo(Due o) {
            int c = Long.compare(nanos, o.nanos);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final KernelContext k;
    private final PriorityQueue<Due> events = new PriorityQueue<>();
    private final ArrayDeque<Runnable> work = new ArrayDeque<>();
    private long seq;
    private Tasks.Task kworker;

    public Scheduler(KernelContext k) {
        this.k = k;
    }

    /** Schedules {@code e} at virtual time {@code nanos} (since boot); returns a handle for {@link #cancel}. */
    public Object at(long nanos, Event e) {
        Due d = new Due(Math.max(nanos, k.clock().nanos()), seq++, e);
        events.add(d);
        return d;
    }

    /** Removes a scheduled event; false if it already fired or was removed. */
    public boolean cancel(Object handle) {
        return events.remove(handle);
    }

    /** Queues deferred process-context work; it runs at the next scheduling point. */
    public void queueWork(Runnable w) {
        work.add(w);
    }

    /** Removes queued work (cancel_work); false if it is not queued. */
    public boolean dequeueWork(Runnable w) {
        return work.remove(w);
    }

    public boolean workQueued(Runnable w) {
        return work.contains(w);
    }

    /**
     * Runs the queued work items, in order, each in the kworker's context; work queued meanwhile
     * runs too, also from a work item that sleeps or flushes other work (as a second kworker would
     * take over). A work item that oopses kills its kworker (the report is logged) and the rest go on.
     */
    public void runWork() {
        for (Runnable w = work.poll(); w != null; w = work.poll()) {
            Tasks.Task t = kworker();
            k.tasks().enter(t);
            try {
                w.run();
            } catch (GuestFault f) {
                Oops.report(k, f);
            } catch (dev.kmodemu.kstubs.module.Modules.TaskKilled e) {
                // a work item that would never finish (reported as a hung task): its kworker is lost
            } finally {
                k.tasks().leave(t);
            }
        }
    }

    private Tasks.Task kworker() {
        if (kworker == null) {
            kworker = k.tasks().kernelThread("kworker/0:1");
        }
        return kworker;
    }

    /** Virtual time of the next scheduled event, or -1. */
    public long nextEvent() {
        Due d = events.peek();
        return d == null ? -1 : d.nanos();
    }

    /**
     * Lets virtual time run to {@code target}, firing every event due on the way (in time order)
     * and running the work they queue.
     */
    public void advanceTo(long target) {
        advance(target, true);
    }

    /**
     * Lets virtual time run to {@code target} while the current task keeps the CPU (a busy-wait):
     * timers fire, queued work waits for the task to give up the CPU.
     */
    public void advanceTimersTo(long target) {
        advance(target, false);
    }

    private void advance(long target, boolean work) {
        if (work) {
            runWork();
        }
        while (true) {
            Due d = events.peek();
            if (d == null || d.nanos() > target) {
                break;
            }
            events.poll();
            k.clock().advanceTo(d.nanos());
            fire(d);
            if (work) {
                runWork();
            }
        }
        k.clock().advanceTo(target);
    }

    private void fire(Due d) {
        d.event().fire();
    }

    /**
     * Runs an interrupt-context callback (a timer function): in softirq context on the current
     * stack. An oops there is fatal, as for any exception in interrupt context.
     */
    public void inSoftirq(Runnable r) {
        inInterrupt(r, "SOFTIRQ_OFFSET");
    }

    /** Runs a hard interrupt-context callback (a hard hrtimer, an irq handler). */
    public void inHardirq(Runnable r) {
        inInterrupt(r, "HARDIRQ_OFFSET");
    }

    private void inInterrupt(Runnable r, String offsetKey) {
        long pc = k.machine().percpu("__preempt_count");
        int off = k.off(offsetKey);
        k.mem().write32(pc, k.mem().read32(pc) + off);
        try {
            r.run();
        } catch (GuestFault f) {
            Oops.report(k, f);
            throw Panic.panic(k, "Fatal exception in interrupt");
        } finally {
            k.mem().write32(pc, k.mem().read32(pc) - off);
        }
    }

    /**
     * The current task sleeps until {@code woken} holds or {@code deadline} (virtual ns, -1 for
     * none) passes; meanwhile work runs and time moves on to the next event. Returns true if
     * woken, false on timeout.
     *
     * @param function the kernel function sleeping, for a hung-task report
     */
    public boolean sleep(BooleanSupplier woken, long deadline, String function) {
        while (true) {
            runWork();
            if (woken.getAsBoolean()) {
                return true;
            }
            long next = nextEvent();
            if (next >= 0 && (deadline < 0 || next <= deadline)) {
                advanceTo(next);
                continue;
            }
            if (deadline >= 0) {
                advanceTo(deadline);
                return woken.getAsBoolean();
            }
            // Nothing can wake this task any more.
            k.clock().advance(120_000_000_000L);
            throw Oops.hungTask(k, function);
        }
    }
}
