package dev.kmodemu.kstubs.rcu;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.kernel.Oops;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * kernel/rcu/srcutree.c: sleepable RCU. The per-srcu_struct reader counts (the kernel's per-cpu
 * {@code srcu_lock_count}/{@code srcu_unlock_count} pairs of its two indexes) are kept in Java,
 * keyed by the {@code struct srcu_struct} address, created by {@code init_srcu_struct()} or on
 * first use for a {@code DEFINE_SRCU()} one. A grace period flips the index and waits (sleeping)
 * until no reader of the old index is left; readers may sleep, so the waiter may really block.
 * {@code call_srcu()} callbacks run after such a grace period, at the next scheduling point, in
 * softirq context.
 */
public final class Srcutree {
    private Srcutree() {
    }

    /** One srcu_struct's state. */
    private static final class Srcu {
        int idx;
        final long[] readers = new long[2];
        final ArrayDeque<long[]> callbacks = new ArrayDeque<>();
        boolean scheduled;
    }

    private static Map<Long, Srcu> all(KernelContext k) {
        return k.state(Srcutree.class, HashMap::new);
    }

    private static Srcu of(KernelContext k, long ssp) {
        return all(k).computeIfAbsent(ssp, a -> new Srcu());
    }

    /** int init_srcu_struct(struct srcu_struct *ssp) */
    @KernelSymbol("init_srcu_struct")
    static int initSrcuStruct(KernelContext k, long ssp) {
        all(k).put(ssp, new Srcu());
        return 0;
    }

    /** int __srcu_read_lock(struct srcu_struct *ssp): the index to unlock with */
    @KernelSymbol("__srcu_read_lock")
    static int srcuReadLock(KernelContext k, long ssp) {
        Srcu s = of(k, ssp);
        int idx = s.idx & 1;
        s.readers[idx]++;
        return idx;
    }

    /** void __srcu_read_unlock(struct srcu_struct *ssp, int idx) */
    @KernelSymbol("__srcu_read_unlock")
    static void srcuReadUnlock(KernelContext k, long ssp, int idx) {
        of(k, ssp).readers[idx & 1]--;
    }

    /** A grace period: flip the index, sleep until the old index has no readers. */
    private static void gracePeriod(KernelContext k, Srcu s, String fn) {
        int old = s.idx & 1;
        s.idx++;
        k.scheduler().sleep(() -> s.readers[old] == 0, -1, fn);
    }

    /** void synchronize_srcu(struct srcu_struct *ssp), also synchronize_srcu_expedited() */
    @KernelSymbol({"synchronize_srcu", "synchronize_srcu_expedited"})
    static void synchronizeSrcu(KernelContext k, long ssp) {
        gracePeriod(k, of(k, ssp), "synchronize_srcu");
    }

    private static void invoke(KernelContext k, Srcu s) {
        s.scheduled = false;
        if (s.callbacks.isEmpty()) {
            return;
        }
        k.scheduler().inSoftirq(() -> {
            for (long[] c = s.callbacks.poll(); c != null; c = s.callbacks.poll()) {
                k.call(c[1], c[0]);
            }
        });
    }

    /** void call_srcu(struct srcu_struct *ssp, struct rcu_head *rhp, rcu_callback_t func) */
    @KernelSymbol("call_srcu")
    static void callSrcu(KernelContext k, long ssp, long rhp, long func) {
        Srcu s = of(k, ssp);
        k.mem().write64(rhp + k.off("callback_head_func"), func);
        k.mem().write64(rhp + k.off("callback_head_next"), 0);
        s.callbacks.add(new long[] {rhp, func});
        if (!s.scheduled) {
            s.scheduled = true;
            k.scheduler().queueWork(() -> {
                gracePeriod(k, s, "call_srcu");
                invoke(k, s);
            });
        }
    }

    /** void srcu_barrier(struct srcu_struct *ssp): every queued callback has run on return */
    @KernelSymbol("srcu_barrier")
    static void srcuBarrier(KernelContext k, long ssp) {
        Srcu s = of(k, ssp);
        if (!s.callbacks.isEmpty()) {
            gracePeriod(k, s, "srcu_barrier");
            invoke(k, s);
        }
    }

    /**
     * void cleanup_srcu_struct(struct srcu_struct *ssp): with readers still inside, the kernel
     * WARNs and leaks the structure; so does this.
     */
    @KernelSymbol("cleanup_srcu_struct")
    static void cleanupSrcuStruct(KernelContext k, long ssp) {
        Srcu s = all(k).get(ssp);
        if (s == null) {
            return;
        }
        if (s.readers[0] + s.readers[1] != 0) {
            Oops.warn(k, "kernel/rcu/srcutree.c:600", "cleanup_srcu_struct", null);
            return;
        }
        if (!s.callbacks.isEmpty()) {
            Oops.warn(k, "kernel/rcu/srcutree.c:608", "cleanup_srcu_struct", null);
            return;
        }
        all(k).remove(ssp);
    }
}
