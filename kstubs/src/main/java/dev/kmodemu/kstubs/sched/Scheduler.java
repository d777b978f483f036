package dev.kmodemu.kstubs.sched;

import dev.kmodemu.firmware.GuestFault;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.kernel.Oops;
import dev.kmodemu.kstubs.kernel.Panic;
import dev.kmodemu.kstubs.module.Modules;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;

/**
 * The one emulated CPU's scheduler, driven by virtual time so that every run is deterministic.
 *
 * <p>Besides the task that entered the kernel (a process in a system call, on the main execution
 * context), these run: expired timers (in softirq context, on top of whatever runs, as the timer
 * softirq does on the way out of an interrupt); queued work items (in a kworker's process
 * context); and kernel threads, each in an execution context of its own (its own guest stack and
 * registers, and a Java thread that holds its host-side call chain; only one context ever runs,
 * the others wait for the baton).
 *
 * <p>The CPU changes hands only where the kernel could switch tasks on one CPU with voluntary
 * preemption: when the running task sleeps ({@code schedule()} with a sleeping state, which
 * every wait and sleep function comes down to), and when a system call returns to user space.
 * Then queued work runs, runnable kernel threads run until they sleep, and if nothing can run,
 * virtual time moves on to the next timer. If nothing is left that could ever wake the sleeping
 * task, the kernel would keep it blocked forever: kmodemu reports the hung task instead (after
 * the 120 s of virtual time khungtaskd waits) and kills it.
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

    /** An execution context: the main one (processes) or a kernel thread's. */
    public static final class Ctx {
        final Machine.Context machine;
        ArrayDeque<Tasks.Task> tasks = new ArrayDeque<>();
        /** The stubs it is in while it does not run (see {@link KernelContext#switchStubFrames}). */
        ArrayDeque<dev.kmodemu.firmware.CallFrame> stubFrames = new ArrayDeque<>();
        final Semaphore baton = new Semaphore(0);
        /** While blocked: what wakes it. Null while it runs or waits to be run. */
        BooleanSupplier wake;
        Thread thread;
        Runnable body;
        boolean started;
        boolean exited;
        /** Chosen to run because its wake condition held (which may have taken a lock for it). */
        boolean granted;
        /** Ended by a snapshot restore that does not know it: its Java thread unwinds. */
        volatile boolean killed;
        final String name;

        Ctx(Machine.Context machine, String name) {
            this.machine = machine;
            this.name = name;
        }

        /** The context has finished (a kernel thread returned or died). */
        public boolean exited() {
            return exited;
        }
    }

    /** Thrown in a kernel thread's Java thread when the kernel is closed under it. */
    private static final class Shutdown extends RuntimeException {
        Shutdown() {
            super(null, null, false, false);
        }
    }

    private final KernelContext k;
    private final PriorityQueue<Due> events = new PriorityQueue<>();
    private final ArrayDeque<Runnable> work = new ArrayDeque<>();
    /** Raised softirqs (tasklets) waiting to be processed. */
    private final ArrayDeque<Runnable> softirqs = new ArrayDeque<>();
    private final List<Ctx> threads = new ArrayList<>();
    private final Ctx main;
    private Ctx current;
    private long seq;
    private Tasks.Task kworker;
    private volatile boolean shutdown;

    public Scheduler(KernelContext k) {
        this.k = k;
        this.main = new Ctx(k.machine().context(), "main");
        this.main.started = true;
        this.current = main;
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
        runSoftirqs();
        for (Runnable w = work.poll(); w != null; w = work.poll()) {
            Tasks.Task t = kworker();
            k.tasks().enter(t);
            try {
                w.run();
            } catch (GuestFault f) {
                Oops.report(k, f);
            } catch (Modules.TaskKilled e) {
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
     * and running what they make runnable.
     */
    public void advanceTo(long target) {
        advance(target, true);
    }

    /**
     * Lets virtual time run to {@code target} while the current task keeps the CPU (a busy-wait):
     * timers fire, queued work and woken threads wait for the task to give up the CPU.
     */
    public void advanceTimersTo(long target) {
        advance(target, false);
    }

    private void advance(long target, boolean yield) {
        if (yield) {
            runOthers();
        }
        while (true) {
            Due d = events.peek();
            if (d == null || d.nanos() > target) {
                break;
            }
            events.poll();
            k.clock().advanceTo(d.nanos());
            d.event().fire();
            if (yield) {
                runOthers();
            }
        }
        k.clock().advanceTo(target);
    }

    /**
     * The CPU is free for a moment (a system call returned, the user lets time pass): queued work
     * runs, then every runnable kernel thread until it sleeps.
     */
    public void runOthers() {
        while (true) {
            runWork();
            Ctx next = runnable(current);
            if (next == null) {
                return;
            }
            current.wake = () -> true;
            switchTo(next);
            current.wake = null;
            current.granted = false;
        }
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
            Oops.report(k, f, true);
            throw Panic.panic(k, "Fatal exception in interrupt");
        } finally {
            k.mem().write32(pc, k.mem().read32(pc) - off);
        }
        // irq_exit(): raised softirqs run now, unless this interrupt interrupted other interrupt code
        if (!inInterrupt()) {
            runSoftirqs();
        }
    }

    /** {@code in_interrupt()}: hard or soft interrupt context. */
    public boolean inInterrupt() {
        int pc = k.mem().read32(k.machine().percpu("__preempt_count"));
        return (pc & (k.off("HARDIRQ_OFFSET") * 0xf | k.off("SOFTIRQ_OFFSET") * 0xff)) != 0;
    }

    /** {@code raise_softirq()}: {@code action} runs when softirqs are next processed. */
    public void raiseSoftirq(Runnable action) {
        if (!softirqs.contains(action)) {
            softirqs.add(action);
        }
    }

    /**
     * {@code __do_softirq()}: runs the raised softirqs in softirq context (on the way out of an
     * interrupt, or as ksoftirqd at a scheduling point).
     */
    public void runSoftirqs() {
        if (softirqs.isEmpty() || inInterrupt() || processingSoftirqs) {
            return;
        }
        processingSoftirqs = true;
        try {
            // MAX_SOFTIRQ_RESTART: softirqs raised again while running wait for the next round
            for (int round = 0; round < 10 && !softirqs.isEmpty(); round++) {
                ArrayDeque<Runnable> now = new ArrayDeque<>(softirqs);
                softirqs.clear();
                for (Runnable r : now) {
                    inSoftirq(r);
                }
            }
        } finally {
            processingSoftirqs = false;
        }
    }

    private boolean processingSoftirqs;

    /**
     * The current task sleeps in {@code TASK_UNINTERRUPTIBLE} until {@code woken} holds or
     * {@code deadline} (virtual ns, -1 for none) passes, as the kernel's mutexes, semaphores and
     * completions wait; meanwhile work, other kernel threads and timers run. Returns true if
     * woken, false on timeout.
     *
     * @param function the kernel function sleeping, for the report if nothing can ever wake it
     */
    public boolean sleep(BooleanSupplier woken, long deadline, String function) {
        return sleep(woken, deadline, function, "TASK_UNINTERRUPTIBLE");
    }

    /**
     * As {@link #sleep(BooleanSupplier, long, String)}, in task state {@code state} (a profile
     * name: {@code TASK_INTERRUPTIBLE}, {@code TASK_KILLABLE}, ...), or with null in the state
     * the task set itself ({@code schedule()}); the task is {@code TASK_RUNNING} again when woken.
     */
    public boolean sleep(BooleanSupplier woken, long deadline, String function, String state) {
        long stateAt = k.tasks().current().taskStruct() + k.off("task_struct_state");
        if (state != null) {
            k.mem().write32(stateAt, (int) k.profile().value(state));
        }
        boolean woke = waitFor(woken, deadline, function);
        if (state != null) {
            k.mem().write32(stateAt, (int) k.profile().value("TASK_RUNNING"));
        }
        return woke;
    }

    private boolean waitFor(BooleanSupplier woken, long deadline, String function) {
        while (true) {
            runWork();
            if (woken.getAsBoolean()) {
                return true;
            }
            Ctx next = runnable(current);
            if (next != null) {
                current.wake = woken;
                switchTo(next);
                current.wake = null;
                if (current.granted) {
                    current.granted = false;
                    return true;
                }
                continue;
            }
            long nextEvent = nextEvent();
            if (nextEvent >= 0 && (deadline < 0 || nextEvent <= deadline)) {
                Due d = events.poll();
                k.clock().advanceTo(d.nanos());
                d.event().fire();
                continue;
            }
            if (deadline >= 0) {
                k.clock().advanceTo(deadline);
                return woken.getAsBoolean();
            }
            // Nothing can wake this task any more.
            throw hung(function);
        }
    }

    /**
     * The current task sleeps and nothing is left that could wake it, nor any other task: the
     * real kernel would keep them all blocked, and after 120 s khungtaskd reports each task
     * sleeping in {@code TASK_UNINTERRUPTIBLE} (in task list order, the current one included).
     * kmodemu then kills the current task; the other blocked ones stay blocked.
     */
    private RuntimeException hung(String function) {
        k.clock().advance(120_000_000_000L);
        List<Ctx> blocked = new ArrayList<>();
        for (Ctx c : allContexts()) {
            if (c == current || (c.started && !c.exited && c.wake != null && !c.tasks.isEmpty())) {
                blocked.add(c);
            }
        }
        blocked.sort(java.util.Comparator.comparingInt(c -> taskOf(c).pid()));
        for (Ctx c : blocked) {
            visit(c, () -> Oops.hungTask(k));
        }
        return Oops.blockedForever(function);
    }

    private List<Ctx> allContexts() {
        List<Ctx> all = new ArrayList<>(threads.size() + 1);
        all.add(main);
        all.addAll(threads);
        return all;
    }

    /** The task a context runs (or ran last). */
    private Tasks.Task taskOf(Ctx c) {
        return c == current ? k.tasks().current() : c.tasks.peek();
    }

    /**
     * Runs {@code r} with {@code c}'s registers, tasks and stubs current, without running
     * {@code c} itself (it stays parked): for reports on tasks that are not running.
     */
    private void visit(Ctx c, Runnable r) {
        if (c == current) {
            r.run();
            return;
        }
        k.machine().switchTo(c.machine);
        ArrayDeque<Tasks.Task> myTasks = k.tasks().switchRunning(c.tasks);
        var myStubs = k.switchStubFrames(c.stubFrames);
        try {
            r.run();
        } finally {
            k.switchStubFrames(myStubs);
            k.tasks().switchRunning(myTasks);
            k.machine().switchTo(current.machine);
        }
    }

    /**
     * A context other than {@code self} that can run, kernel threads first in creation order.
     * Its wake condition is evaluated once, here (it may take a lock on the waiter's behalf), and
     * the context is marked granted so that it does not evaluate it again when it resumes.
     */
    private Ctx runnable(Ctx self) {
        for (Ctx c : threads) {
            if (c != self && !c.exited && ready(c)) {
                c.granted = true;
                return c;
            }
        }
        if (main != self && ready(main)) {
            main.granted = true;
            return main;
        }
        return null;
    }

    /** Whether a context waiting for the CPU (or never started) can run now. */
    private static boolean ready(Ctx c) {
        return c.wake != null && c.wake.getAsBoolean();
    }

    /** Hands the CPU to {@code to}; returns when some context hands it back to this one. */
    private void switchTo(Ctx to) {
        Ctx from = current;
        k.machine().switchTo(to.machine);
        from.tasks = k.tasks().switchRunning(to.tasks);
        from.stubFrames = k.switchStubFrames(to.stubFrames);
        current = to;
        to.wake = null;
        if (!to.started) {
            to.started = true;
            to.thread = Thread.ofPlatform().name("kmodemu " + to.name).daemon(true).unstarted(() -> runThread(to));
            to.thread.start();
        } else {
            to.baton.release();
        }
        if (from.exited) {
            return;
        }
        from.baton.acquireUninterruptibly();
        if (shutdown || from.killed) {
            throw new Shutdown();
        }
    }

    // ---------------------------------------------------------------- kernel threads

    /**
     * A new kernel thread context running {@code body} on its own Java thread once it is woken
     * (its {@code wake} condition holds); {@code task} is its task, current while it runs.
     */
    public Ctx newThread(Tasks.Task task, BooleanSupplier wake, Runnable body) {
        Ctx c = new Ctx(k.machine().newContext(), task.comm());
        c.tasks.push(task);
        c.wake = wake;
        c.body = body;
        threads.add(c);
        return c;
    }

    private void runThread(Ctx c) {
        try {
            c.body.run();
        } catch (Shutdown e) {
            return;
        }
        c.exited = true;
        if (shutdown || c.killed) {
            return;
        }
        // Gone for good: hand the CPU to whoever can run. Someone always can: whoever woke or
        // created this thread is waiting for the CPU, at least in the idle loop of the main context.
        Ctx next = runnable(c);
        if (next == null) {
            next = main;
        }
        switchTo(next);
    }

    /**
     * Waits until an exited context's Java thread has ended (it hands the CPU on just before), so
     * that nothing of a stopped kernel thread outlives {@code kthread_stop()}.
     */
    public void reap(Ctx c) {
        if (!c.exited || c.thread == null || !c.started) {
            return;
        }
        try {
            c.thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The context running now. */
    public Ctx currentContext() {
        return current;
    }

    /**
     * For a snapshot: the kernel threads that exist now, or an exception naming one that runs (its
     * state is partly on its Java thread's stack, which cannot be saved). Threads that never started
     * or have exited are fine.
     */
    public List<Ctx> snapshotThreads() {
        for (Ctx c : threads) {
            if (c.started && !c.exited) {
                throw new IllegalStateException("kmodemu: cannot snapshot the kernel while kernel thread "
                        + c.name + " is alive");
            }
        }
        if (current != main) {
            throw new IllegalStateException("kmodemu: cannot snapshot the kernel from a kernel thread");
        }
        return List.copyOf(threads);
    }

    /**
     * Before a snapshot restore: ends the Java threads of kernel threads created since the snapshot
     * ({@code keep} lists those it had), which wait for the CPU forever otherwise. Each unwinds (its
     * pending calls' cleanup runs) while this thread waits; the restore then undoes what they did.
     */
    public void killThreadsExcept(List<Ctx> keep) {
        java.util.Set<Ctx> old = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        old.addAll(keep);
        for (Ctx c : threads) {
            if (old.contains(c) || !c.started || c.exited || c == current) {
                continue;
            }
            c.killed = true;
            c.baton.release();
            try {
                c.thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Ends every kernel thread's Java thread (the kernel is being closed). */
    public void shutdown() {
        shutdown = true;
        for (Ctx c : threads) {
            if (c.started && !c.exited && c != current) {
                c.baton.release();
            }
        }
        for (Ctx c : threads) {
            if (c.started && c.thread != Thread.currentThread()) {
                try {
                    c.thread.join(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
