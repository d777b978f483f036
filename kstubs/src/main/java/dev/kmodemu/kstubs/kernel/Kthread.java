package dev.kmodemu.kstubs.kernel;

import dev.kmodemu.firmware.GuestFault;
import dev.kmodemu.firmware.KernelFunctions;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.VaList;
import dev.kmodemu.kstubs.module.Modules;
import dev.kmodemu.kstubs.printk.Printk;
import dev.kmodemu.kstubs.sched.Completion;
import dev.kmodemu.kstubs.sched.Core;
import dev.kmodemu.kstubs.sched.Scheduler;
import dev.kmodemu.kstubs.sched.Tasks;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * kernel/kthread.c: kernel threads, each with its own task and execution context (see
 * {@link Scheduler}). A new thread sleeps (TASK_UNINTERRUPTIBLE) until {@code wake_up_process()};
 * then {@code kthread()} runs its function unless it was told to stop before it ever ran (then
 * it exits with -EINTR). {@code kthread_stop()} sets the stop flag, wakes the thread and waits
 * for it to exit, returning what the function returned.
 */
public final class Kthread {
    private Kthread() {
    }

    /** {@code struct kthread}: the Java side of one kernel thread. */
    private static final class KThread {
        final Tasks.Task task;
        final long threadfn;
        final long data;
        Scheduler.Ctx ctx;

        KThread(Tasks.Task task, long threadfn, long data) {
            this.task = task;
            this.threadfn = threadfn;
            this.data = data;
        }

        boolean shouldStop;
        boolean shouldPark;
        long result;
    }

    /** Thrown by {@code kthread_exit()} to leave the thread function from anywhere. */
    private static final class Exit extends RuntimeException {
        final long code;

        Exit(long code) {
            super(null, null, false, false);
            this.code = code;
        }
    }

    private static Map<Long, KThread> threads(KernelContext k) {
        return k.state(Kthread.class, HashMap::new);
    }

    /** Every kernel thread that has not exited, with its function and data (it cannot be stopped from outside). */
    public static void registrations(KernelContext k, java.util.function.Consumer<dev.kmodemu.kstubs.module.Leftovers.Registration> out) {
        for (KThread t : threads(k).values()) {
            if (t.ctx != null && t.ctx.exited()) {
                continue;
            }
            out.accept(new dev.kmodemu.kstubs.module.Leftovers.Registration("kthread", t.task.comm() + "/" + t.task.pid(), 0, 0,
                    new long[] {t.threadfn, t.data}, null));
        }
    }

    private static KThread self(KernelContext k) {
        return threads(k).get(k.tasks().current().taskStruct());
    }

    /**
     * struct task_struct *kthread_create_on_node(int (*threadfn)(void *data), void *data, int node,
     * const char namefmt[], ...)
     */
    @KernelSymbol("kthread_create_on_node")
    static long kthreadCreateOnNode(KernelContext k, long threadfn, long data, int node, long namefmt, VaList args) {
        String name = new String(Printk.format(k, namefmt, args), StandardCharsets.UTF_8);
        Tasks.Task task = k.tasks().kernelThread(name);
        long ts = task.taskStruct();
        int stateOff = k.off("task_struct_state");
        int running = (int) k.profile().value("TASK_RUNNING");
        k.mem().write32(ts + stateOff, (int) k.profile().value("TASK_UNINTERRUPTIBLE"));
        k.mem().write32(ts + k.off("task_struct_flags"), (int) k.profile().value("PF_KTHREAD"));
        KThread t = new KThread(task, threadfn, data);
        t.ctx = k.scheduler().newThread(task, () -> k.mem().read32(ts + stateOff) == running, () -> body(k, t));
        threads(k).put(ts, t);
        return ts;
    }

    /** {@code kthread()}: runs the function in the thread's own context; its end is the thread's end. */
    private static void body(KernelContext k, KThread t) {
        long ret = -Errno.EINTR;
        try {
            if (!t.shouldStop) {
                // kthread() calls the function; ret_from_fork started kthread()
                ret = k.callFrom(k.chain(KernelFunctions.GUEST, "kthread", "ret_from_fork"), t.threadfn, t.data);
            }
        } catch (Exit e) {
            ret = e.code;
        } catch (GuestFault f) {
            Oops.report(k, f);
        } catch (Modules.TaskKilled e) {
            // reported as hung; the thread is gone
        }
        t.result = ret;
        Core.setCurrentState(k, (int) k.profile().value("TASK_DEAD"));
    }

    /** int kthread_stop(struct task_struct *k): stops it and returns its function's result. */
    @KernelSymbol("kthread_stop")
    static int kthreadStop(KernelContext k, long task) {
        KThread t = threads(k).get(task);
        if (t == null) {
            throw Oops.bug(k, "kernel/kthread.c:92");
        }
        t.shouldStop = true;
        t.shouldPark = false;
        Core.wakeUp(k, task, (int) k.profile().value("TASK_NORMAL") | (int) k.profile().value("TASK_WAKEKILL"));
        k.scheduler().sleep(() -> t.ctx.exited(), -1, "kthread_stop");
        k.scheduler().reap(t.ctx);
        threads(k).remove(task);
        return (int) t.result;
    }

    /** bool kthread_should_stop(void) */
    @KernelSymbol({"kthread_should_stop", "kthread_freezable_should_stop"})
    static boolean kthreadShouldStop(KernelContext k) {
        KThread t = self(k);
        return t != null && t.shouldStop;
    }

    /** bool kthread_should_park(void) */
    @KernelSymbol("kthread_should_park")
    static boolean kthreadShouldPark(KernelContext k) {
        KThread t = self(k);
        return t != null && t.shouldPark;
    }

    /** int kthread_park(struct task_struct *k): the thread parks at its next kthread_parkme(). */
    @KernelSymbol("kthread_park")
    static int kthreadPark(KernelContext k, long task) {
        KThread t = threads(k).get(task);
        if (t == null || t.ctx.exited()) {
            return -Errno.ENOSYS;
        }
        t.shouldPark = true;
        return 0;
    }

    /** void kthread_unpark(struct task_struct *k) */
    @KernelSymbol("kthread_unpark")
    static void kthreadUnpark(KernelContext k, long task) {
        KThread t = threads(k).get(task);
        if (t != null) {
            t.shouldPark = false;
            Core.wakeUp(k, task, (int) k.profile().value("TASK_NORMAL"));
        }
    }

    /** void kthread_parkme(void): sleeps while told to park. */
    @KernelSymbol("kthread_parkme")
    static void kthreadParkme(KernelContext k) {
        KThread t = self(k);
        if (t != null && t.shouldPark) {
            Core.setCurrentState(k, (int) k.profile().value("TASK_UNINTERRUPTIBLE"));
            Core.schedule(k);
        }
    }

    /** void kthread_bind(struct task_struct *p, unsigned int cpu): there is one CPU, 0. */
    @KernelSymbol("kthread_bind")
    static void kthreadBind(KernelContext k, long task, int cpu) {
    }

    /** void *kthread_data(struct task_struct *task) */
    @KernelSymbol("kthread_data")
    static long kthreadData(KernelContext k, long task) {
        KThread t = threads(k).get(task);
        return t == null ? 0 : t.data;
    }

    /** void *kthread_func(struct task_struct *task) */
    @KernelSymbol("kthread_func")
    static long kthreadFunc(KernelContext k, long task) {
        KThread t = threads(k).get(task);
        return t == null ? 0 : t.threadfn;
    }

    /** void __noreturn kthread_complete_and_exit(struct completion *comp, long code) */
    @KernelSymbol("kthread_complete_and_exit")
    static void kthreadCompleteAndExit(KernelContext k, long comp, long code) {
        if (comp != 0) {
            Completion.completeFromJava(k, comp);
        }
        throw new Exit(code);
    }

    /** void set_user_nice(struct task_struct *p, long nice): one task runs at a time here. */
    @KernelSymbol({"set_user_nice"})
    static void setUserNice(KernelContext k, long task, long nice) {
    }

    /** void sched_set_fifo(struct task_struct *p), and _low: no priorities on this CPU. */
    @KernelSymbol({"sched_set_fifo", "sched_set_fifo_low", "sched_set_normal"})
    static void schedSetFifo(KernelContext k, long task) {
    }

    // ---------------------------------------------------------------- kthread workers

    /** A {@code struct kthread_worker}: its queue of kthread_work (in order), thread and running work. */
    private static final class Worker {
        final java.util.ArrayDeque<Long> queue = new java.util.ArrayDeque<>();
        long task;
        long current;
    }

    private static Map<Long, Worker> workers(KernelContext k) {
        return k.state(Worker.class, HashMap::new);
    }

    private static Worker worker(KernelContext k, long worker) {
        return workers(k).computeIfAbsent(worker, w -> new Worker());
    }

    /** void __kthread_init_worker(struct kthread_worker *worker, const char *name, struct lock_class_key *key) */
    @KernelSymbol("__kthread_init_worker")
    static void kthreadInitWorker(KernelContext k, long worker, long name, long key) {
        k.mem().write32(worker + k.off("kthread_worker_flags"), 0);
        k.mem().write64(worker + k.off("kthread_worker_task"), 0);
        k.mem().write64(worker + k.off("kthread_worker_current_work"), 0);
        workers(k).put(worker, new Worker());
    }

    /**
     * int kthread_worker_fn(void *worker_ptr): the worker thread's loop. Works run one at a time in
     * queueing order; with none queued the thread sleeps until kthread_queue_work() wakes it, and
     * it ends when told to stop.
     */
    @KernelSymbol("kthread_worker_fn")
    static int kthreadWorkerFn(KernelContext k, long workerPtr) {
        Worker w = worker(k, workerPtr);
        long self = k.tasks().current().taskStruct();
        w.task = self;
        k.mem().write64(workerPtr + k.off("kthread_worker_task"), self);
        int running = (int) k.profile().value("TASK_RUNNING");
        while (true) {
            Core.setCurrentState(k, (int) k.profile().value("TASK_INTERRUPTIBLE"));
            if (kthreadShouldStop(k)) {
                Core.setCurrentState(k, running);
                w.task = 0;
                k.mem().write64(workerPtr + k.off("kthread_worker_task"), 0);
                return 0;
            }
            Long work = w.queue.poll();
            w.current = work == null ? 0 : work;
            k.mem().write64(workerPtr + k.off("kthread_worker_current_work"), w.current);
            if (work != null) {
                Core.setCurrentState(k, running);
                k.call(k.mem().read64(work + k.off("kthread_work_func")), work);
                w.current = 0;
                k.mem().write64(workerPtr + k.off("kthread_worker_current_work"), 0);
            } else {
                Core.schedule(k);
            }
        }
    }

    /**
     * struct kthread_worker *kthread_create_worker(unsigned int flags, const char namefmt[], ...):
     * a worker and its thread, already running.
     */
    @KernelSymbol("kthread_create_worker")
    static long kthreadCreateWorker(KernelContext k, int flags, long namefmt, VaList args) {
        return createWorker(k, flags, namefmt, args);
    }

    /** struct kthread_worker *kthread_create_worker_on_cpu(int cpu, unsigned int flags, const char namefmt[], ...) */
    @KernelSymbol("kthread_create_worker_on_cpu")
    static long kthreadCreateWorkerOnCpu(KernelContext k, int cpu, int flags, long namefmt, VaList args) {
        return createWorker(k, flags, namefmt, args);
    }

    private static long createWorker(KernelContext k, int flags, long namefmt, VaList args) {
        long worker = k.slab().kmalloc(k.off("kthread_worker_sizeof"), dev.kmodemu.kstubs.mm.Gfp.KERNEL
                | dev.kmodemu.kstubs.mm.Gfp.ZERO);
        if (worker == 0) {
            return -Errno.ENOMEM;
        }
        kthreadInitWorker(k, worker, 0, 0);
        k.mem().write32(worker + k.off("kthread_worker_flags"), flags);
        long task = kthreadCreateOnNode(k, k.sym("kthread_worker_fn"), worker, -1, namefmt, args);
        worker(k, worker).task = task;
        k.mem().write64(worker + k.off("kthread_worker_task"), task);
        Core.wakeUp(k, task, (int) k.profile().value("TASK_NORMAL"));
        return worker;
    }

    private static boolean queued(KernelContext k, long work) {
        for (Worker w : workers(k).values()) {
            if (w.queue.contains(work)) {
                return true;
            }
        }
        return false;
    }

    /**
     * bool kthread_queue_work(struct kthread_worker *worker, struct kthread_work *work): false if
     * the work is already queued or being cancelled.
     */
    @KernelSymbol("kthread_queue_work")
    static boolean kthreadQueueWork(KernelContext k, long worker, long work) {
        if (queued(k, work) || k.mem().read32(work + k.off("kthread_work_canceling")) != 0) {
            return false;
        }
        long old = k.mem().read64(work + k.off("kthread_work_worker"));
        if (old != 0 && old != worker) {
            Oops.warn(k, "kernel/kthread.c:975", "kthread_insert_work_sanity_check", null);
        }
        Worker w = worker(k, worker);
        w.queue.add(work);
        k.mem().write64(work + k.off("kthread_work_worker"), worker);
        if (w.current == 0 && w.task != 0) {
            Core.wakeUp(k, w.task, (int) k.profile().value("TASK_NORMAL"));
        }
        return true;
    }

    /** void kthread_flush_work(struct kthread_work *work): waits until it is neither queued nor running. */
    @KernelSymbol("kthread_flush_work")
    static void kthreadFlushWork(KernelContext k, long work) {
        long worker = k.mem().read64(work + k.off("kthread_work_worker"));
        if (worker == 0) {
            return;
        }
        Worker w = worker(k, worker);
        k.scheduler().sleep(() -> !w.queue.contains(work) && w.current != work, -1, "kthread_flush_work");
    }

    /**
     * bool kthread_cancel_work_sync(struct kthread_work *work): takes it off its queue (true if it
     * was there) and waits for a running instance to finish.
     */
    @KernelSymbol("kthread_cancel_work_sync")
    static boolean kthreadCancelWorkSync(KernelContext k, long work) {
        long worker = k.mem().read64(work + k.off("kthread_work_worker"));
        if (worker == 0) {
            return false;
        }
        Worker w = worker(k, worker);
        boolean ret = w.queue.remove(work);
        if (w.current == work) {
            long at = work + k.off("kthread_work_canceling");
            k.mem().write32(at, k.mem().read32(at) + 1);
            kthreadFlushWork(k, work);
            k.mem().write32(at, k.mem().read32(at) - 1);
        }
        return ret;
    }

    /** void kthread_flush_worker(struct kthread_worker *worker): waits until the queue is empty and idle. */
    @KernelSymbol("kthread_flush_worker")
    static void kthreadFlushWorker(KernelContext k, long worker) {
        Worker w = worker(k, worker);
        k.scheduler().sleep(() -> w.queue.isEmpty() && w.current == 0, -1, "kthread_flush_worker");
    }

    /** void kthread_destroy_worker(struct kthread_worker *worker): flushes, stops the thread, frees. */
    @KernelSymbol("kthread_destroy_worker")
    static void kthreadDestroyWorker(KernelContext k, long worker) {
        Worker w = worker(k, worker);
        if (w.task == 0) {
            Oops.warn(k, "kernel/kthread.c:1401", "kthread_destroy_worker", null);
            return;
        }
        kthreadFlushWorker(k, worker);
        kthreadStop(k, w.task);
        workers(k).remove(worker);
        k.slab().kfree(worker);
    }
}
