package dev.kmodemu.kstubs.kernel;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.VaList;
import dev.kmodemu.kstubs.mm.Gfp;
import dev.kmodemu.kstubs.printk.Printk;
import dev.kmodemu.kstubs.time.Timers;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * kernel/workqueue.c: work items ({@code struct work_struct}, {@code struct delayed_work} in
 * guest memory, the PENDING bit in {@code data} as {@code work_pending()} tests it) queued on
 * workqueues and run in a kworker's process context at the next scheduling point (see
 * {@link dev.kmodemu.kstubs.sched.Scheduler}), in the order they were queued. Delayed work arms the
 * item's own timer with {@code delayed_work_timer_fn}, as the kernel does.
 */
public final class Workqueue {
    private Workqueue() {
    }

    /** A workqueue: the guest object modules hold a pointer to, and its name. */
    private record Wq(long addr, String name) {
    }

    private static final class State {
        final Map<Long, Wq> wqs = new HashMap<>();
        /** Queued work item → its runner in the scheduler and the workqueue it was queued on. */
        final Map<Long, Runnable> queued = new LinkedHashMap<>();
        final Map<Long, Long> queuedOn = new HashMap<>();
        long current;
    }

    private static State state(KernelContext k) {
        return k.state(Workqueue.class, State::new);
    }

    private static final int WQ_OBJECT_SIZE = 256;

    private static long newWq(KernelContext k, String name) {
        return register(k, name, k.slab().kmalloc(WQ_OBJECT_SIZE, Gfp.ZERO));
    }

    /** Every work item queued and not yet run, with its function; cancelling it is {@code cancel_work()}. */
    public static void registrations(KernelContext k, java.util.function.Consumer<dev.kmodemu.kstubs.module.Leftovers.Registration> out) {
        for (long work : new java.util.ArrayList<>(state(k).queued.keySet())) {
            long fn = k.mem().read64(work + k.off("work_struct_func"));
            out.accept(new dev.kmodemu.kstubs.module.Leftovers.Registration("work_struct", String.format("at %016x", work), work, fn,
                    new long[] {work, fn}, () -> grabPending(k, work, false)));
        }
    }

    /** A system workqueue, created at boot (before the slab allocator is up: static storage). */
    /** A workqueue of the kernel's own named {@code name}, its pointer stored at {@code pointer}. */
    public static long systemWq(KernelContext k, long pointer, String name) {
        long obj = k.machine().defineData("kmodemu_wq_" + name, dev.kmodemu.firmware.Machine.Section.DATA,
                WQ_OBJECT_SIZE, 64);
        k.mem().write64(pointer, register(k, name, obj));
        return obj;
    }

    private static long register(KernelContext k, String name, long addr) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        k.mem().write(addr, n, 0, Math.min(n.length, 23));
        state(k).wqs.put(addr, new Wq(addr, name));
        return addr;
    }

    /** The system workqueues: each {@code system_*_wq} pointer symbol and its queue's name. */
    private static final String[][] SYSTEM = {
        {"system_highpri_wq", "events_highpri"},
        {"system_long_wq", "events_long"},
        {"system_unbound_wq", "events_unbound"},
        {"system_freezable_wq", "events_freezable"},
        {"system_power_efficient_wq", "events_power_efficient"},
        {"system_freezable_power_efficient_wq", "events_freezable_power_efficient"},
    };

    /** {@code system_wq} ("events") and the other system workqueues of workqueue_init_early(). */
    @KernelData("system_wq")
    static void systemWqs(KernelContext k, long at) {
        systemWq(k, at, "events");
        for (String[] w : SYSTEM) {
            systemWq(k, k.machine().defineData(w[0], dev.kmodemu.firmware.Machine.Section.DATA, 8, 8), w[1]);
        }
    }

    /** struct workqueue_struct *alloc_workqueue(const char *fmt, unsigned int flags, int max_active, ...) */
    @KernelSymbol("alloc_workqueue")
    static long allocWorkqueue(KernelContext k, long fmt, int flags, int maxActive, VaList args) {
        String name = new String(Printk.format(k, fmt, args), StandardCharsets.UTF_8);
        return newWq(k, name);
    }

    /** void destroy_workqueue(struct workqueue_struct *wq): drains it, then frees it. */
    @KernelSymbol("destroy_workqueue")
    static void destroyWorkqueue(KernelContext k, long wq) {
        drain(k, wq);
        state(k).wqs.remove(wq);
        if (k.slab().objectAt(wq) != null) {
            k.slab().kfree(wq);
        }
    }

    /** void drain_workqueue(struct workqueue_struct *wq) */
    @KernelSymbol("drain_workqueue")
    static void drainWorkqueue(KernelContext k, long wq) {
        drain(k, wq);
    }

    /** void __flush_workqueue(struct workqueue_struct *wq): every item queued on it so far has run. */
    @KernelSymbol("__flush_workqueue")
    static void flushWorkqueue(KernelContext k, long wq) {
        drain(k, wq);
    }

    private static void drain(KernelContext k, long wq) {
        while (state(k).queuedOn.containsValue(wq)) {
            k.scheduler().runWork();
        }
    }

    // ---------------------------------------------------------------- work items

    private static long data(KernelContext k, long work) {
        return k.mem().read64(work + k.off("work_struct_data"));
    }

    private static void setData(KernelContext k, long work, long v) {
        k.mem().write64(work + k.off("work_struct_data"), v);
    }

    private static boolean testAndSetPending(KernelContext k, long work) {
        long d = data(k, work);
        if ((d & 1) != 0) {
            return true;
        }
        setData(k, work, d | 1);
        return false;
    }

    /** {@code __queue_work()}: onto the scheduler's run list; the work's PENDING bit is set. */
    private static void queue(KernelContext k, long wq, long work) {
        State s = state(k);
        Runnable r = () -> run(k, work);
        s.queued.put(work, r);
        s.queuedOn.put(work, wq);
        k.scheduler().queueWork(r);
    }

    /** {@code process_one_work()}: clears PENDING (pool 0), then calls {@code work->func(work)}. */
    private static void run(KernelContext k, long work) {
        State s = state(k);
        s.queued.remove(work);
        s.queuedOn.remove(work);
        setData(k, work, 0);
        long fn = k.mem().read64(work + k.off("work_struct_func"));
        long prev = s.current;
        s.current = work;
        try {
            k.call(fn, work);
        } finally {
            s.current = prev;
        }
    }

    /** bool queue_work_on(int cpu, struct workqueue_struct *wq, struct work_struct *work) */
    @KernelSymbol("queue_work_on")
    static boolean queueWorkOn(KernelContext k, int cpu, long wq, long work) {
        if (testAndSetPending(k, work)) {
            return false;
        }
        queue(k, wq, work);
        return true;
    }

    private static long timerOf(KernelContext k, long dwork) {
        return dwork + k.off("delayed_work_timer");
    }

    /** {@code __queue_delayed_work()}. */
    private static void queueDelayed(KernelContext k, int cpu, long wq, long dwork, long delay) {
        if (wq == 0) {
            Oops.warnOnce(k, "kernel/workqueue.c:1674", "__queue_delayed_work");
        }
        long timer = timerOf(k, dwork);
        if (delay == 0) {
            queue(k, wq, dwork + k.off("delayed_work_work"));
            return;
        }
        AddressSpace mem = k.mem();
        mem.write64(dwork + k.off("delayed_work_wq"), wq);
        mem.write32(dwork + k.off("delayed_work_cpu"), cpu);
        Timers.modTimer(k, timer, k.clock().jiffies() + delay, false, false);
    }

    /**
     * bool queue_delayed_work_on(int cpu, struct workqueue_struct *wq, struct delayed_work *dwork,
     * unsigned long delay)
     */
    @KernelSymbol("queue_delayed_work_on")
    static boolean queueDelayedWorkOn(KernelContext k, int cpu, long wq, long dwork, long delay) {
        if (testAndSetPending(k, dwork + k.off("delayed_work_work"))) {
            return false;
        }
        queueDelayed(k, cpu, wq, dwork, delay);
        return true;
    }

    /** void delayed_work_timer_fn(struct timer_list *t): the delay is over, queue the work. */
    @KernelSymbol("delayed_work_timer_fn")
    static void delayedWorkTimerFn(KernelContext k, long timer) {
        long dwork = timer - k.off("delayed_work_timer");
        queue(k, k.mem().read64(dwork + k.off("delayed_work_wq")), dwork + k.off("delayed_work_work"));
    }

    /**
     * {@code try_to_grab_pending()}: 1 if the work was pending (its timer stopped or it was taken
     * off the run list), 0 if it was idle (PENDING is now ours).
     */
    private static int grabPending(KernelContext k, long work, boolean isDwork) {
        State s = state(k);
        if (isDwork && Timers.timerDeleteInternal(k, work - k.off("delayed_work_work") + k.off("delayed_work_timer"))) {
            return 1;
        }
        if (!testAndSetPending(k, work)) {
            return 0;
        }
        Runnable r = s.queued.remove(work);
        if (r != null) {
            s.queuedOn.remove(work);
            k.scheduler().dequeueWork(r);
        }
        return 1;
    }

    /** {@code __cancel_work()} and {@code __cancel_work_timer()}. */
    private static boolean cancel(KernelContext k, long work, boolean isDwork, boolean sync) {
        int ret = grabPending(k, work, isDwork);
        if (sync && state(k).current == work) {
            throw Oops.lockup(k, isDwork ? "cancel_delayed_work_sync" : "cancel_work_sync");
        }
        setData(k, work, data(k, work) & ~1L);
        return ret != 0;
    }

    /** bool cancel_work(struct work_struct *work) */
    @KernelSymbol("cancel_work")
    static boolean cancelWork(KernelContext k, long work) {
        return cancel(k, work, false, false);
    }

    /** bool cancel_work_sync(struct work_struct *work) */
    @KernelSymbol("cancel_work_sync")
    static boolean cancelWorkSync(KernelContext k, long work) {
        return cancel(k, work, false, true);
    }

    /** bool cancel_delayed_work(struct delayed_work *dwork) */
    @KernelSymbol("cancel_delayed_work")
    static boolean cancelDelayedWork(KernelContext k, long dwork) {
        return cancel(k, dwork + k.off("delayed_work_work"), true, false);
    }

    /** bool cancel_delayed_work_sync(struct delayed_work *dwork) */
    @KernelSymbol("cancel_delayed_work_sync")
    static boolean cancelDelayedWorkSync(KernelContext k, long dwork) {
        return cancel(k, dwork + k.off("delayed_work_work"), true, true);
    }

    /**
     * bool mod_delayed_work_on(int cpu, struct workqueue_struct *wq, struct delayed_work *dwork,
     * unsigned long delay): (re)arms it; true if it was pending before.
     */
    @KernelSymbol("mod_delayed_work_on")
    static boolean modDelayedWorkOn(KernelContext k, int cpu, long wq, long dwork, long delay) {
        int ret = grabPending(k, dwork + k.off("delayed_work_work"), true);
        queueDelayed(k, cpu, wq, dwork, delay);
        return ret != 0;
    }

    /** bool flush_work(struct work_struct *work): true if it had to wait for the work to run. */
    @KernelSymbol("flush_work")
    static boolean flushWork(KernelContext k, long work) {
        State s = state(k);
        if (s.current == work) {
            throw Oops.lockup(k, "flush_work");
        }
        if (!s.queued.containsKey(work)) {
            return false;
        }
        while (s.queued.containsKey(work)) {
            k.scheduler().runWork();
        }
        return true;
    }

    /** bool flush_delayed_work(struct delayed_work *dwork): a waiting delay ends now. */
    @KernelSymbol("flush_delayed_work")
    static boolean flushDelayedWork(KernelContext k, long dwork) {
        long work = dwork + k.off("delayed_work_work");
        if (Timers.timerDeleteInternal(k, timerOf(k, dwork))) {
            queue(k, k.mem().read64(dwork + k.off("delayed_work_wq")), work);
        }
        return flushWork(k, work);
    }

    /** struct work_struct *current_work(void) */
    @KernelSymbol("current_work")
    static long currentWork(KernelContext k) {
        return state(k).current;
    }

    /** unsigned int work_busy(struct work_struct *work): WORK_BUSY_PENDING (1) | WORK_BUSY_RUNNING (2) */
    @KernelSymbol("work_busy")
    static int workBusy(KernelContext k, long work) {
        return ((data(k, work) & 1) != 0 ? 1 : 0) | (state(k).current == work ? 2 : 0);
    }

    /** The workqueues that exist now, by name (for tests and /proc-like views). */
    public static java.util.List<String> names(KernelContext k) {
        return state(k).wqs.values().stream().map(Wq::name).toList();
    }
}
