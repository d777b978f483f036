package dev.kmodemu.kstubs.rcu;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.mm.Vmalloc;

import java.util.ArrayDeque;

/**
 * kernel/rcu/tree.c with tree_plugin.h (preemptible RCU, as Debian builds it) and tree_exp.h, on
 * one CPU with voluntary preemption. Read-side critical sections count in the current task's
 * {@code rcu_read_lock_nesting}. Nothing ever preempts a task, so no other task can be inside a
 * read-side critical section while one waits for a grace period: a grace period ends as soon as
 * the waiter gives up the CPU. {@code synchronize_rcu()} therefore lets the others run (queued
 * work, runnable kernel threads) and returns; callbacks queued with {@code call_rcu()} or
 * {@code kfree_rcu()} run after a grace period, at the next scheduling point, in softirq context
 * as RCU_SOFTIRQ runs them (in order); {@code rcu_barrier()} runs every one still pending.
 */
public final class Tree {
    private Tree() {
    }

    /** A queued callback: {@code func(head)}, or a kvfree of {@code ptr} when {@code func} is 0. */
    private record Callback(long head, long func, long ptr) {
    }

    /** The callbacks waiting for their grace period to end, in queueing order. */
    private static final class Pending {
        final ArrayDeque<Callback> queue = new ArrayDeque<>();
        boolean scheduled;
    }

    private static Pending pending(KernelContext k) {
        return k.state(Tree.class, Pending::new);
    }

    private static long nesting(KernelContext k) {
        return k.tasks().current().taskStruct() + k.off("task_struct_rcu_read_lock_nesting");
    }

    /** void __rcu_read_lock(void) */
    @KernelSymbol("__rcu_read_lock")
    static void rcuReadLock(KernelContext k) {
        AddressSpace m = k.mem();
        m.write32(nesting(k), m.read32(nesting(k)) + 1);
    }

    /**
     * void __rcu_read_unlock(void). {@code rcu_read_unlock_special} never has work to do: no
     * task is preempted or blocked inside a read-side critical section here.
     */
    @KernelSymbol("__rcu_read_unlock")
    static void rcuReadUnlock(KernelContext k) {
        AddressSpace m = k.mem();
        m.write32(nesting(k), m.read32(nesting(k)) - 1);
    }

    /** Runs every pending callback (their grace period has ended) in softirq context. */
    static void invokeCallbacks(KernelContext k) {
        Pending p = pending(k);
        p.scheduled = false;
        if (p.queue.isEmpty()) {
            return;
        }
        k.scheduler().inSoftirq(() -> {
            for (Callback c = p.queue.poll(); c != null; c = p.queue.poll()) {
                if (c.func() != 0) {
                    k.call(c.func(), c.head());
                } else {
                    Vmalloc.kvfree(k, c.ptr());
                }
            }
        });
    }

    private static void enqueue(KernelContext k, Callback c) {
        Pending p = pending(k);
        p.queue.add(c);
        if (!p.scheduled) {
            p.scheduled = true;
            k.scheduler().queueWork(() -> invokeCallbacks(k));
        }
    }

    /** void call_rcu(struct rcu_head *head, rcu_callback_t func) */
    @KernelSymbol("call_rcu")
    static void callRcu(KernelContext k, long head, long func) {
        AddressSpace m = k.mem();
        m.write64(head + k.off("callback_head_func"), func);
        m.write64(head + k.off("callback_head_next"), 0);
        enqueue(k, new Callback(head, func, 0));
    }

    /**
     * void kvfree_call_rcu(struct rcu_head *head, rcu_callback_t func): {@code kfree_rcu()} and
     * {@code kvfree_rcu()}. With a head, {@code func} is the head's offset in the object; without
     * (the one-argument form), it is the object itself.
     */
    @KernelSymbol("kvfree_call_rcu")
    static void kvfreeCallRcu(KernelContext k, long head, long func) {
        long ptr = head != 0 ? head - func : func;
        enqueue(k, new Callback(0, 0, ptr));
    }

    /** void synchronize_rcu(void): a grace period; also synchronize_rcu_expedited() */
    @KernelSymbol({"synchronize_rcu", "synchronize_rcu_expedited"})
    static void synchronizeRcu(KernelContext k) {
        k.scheduler().runOthers();
    }

    /** void rcu_barrier(void): waits until every callback queued so far has run */
    @KernelSymbol("rcu_barrier")
    static void rcuBarrier(KernelContext k) {
        invokeCallbacks(k);
    }
}
