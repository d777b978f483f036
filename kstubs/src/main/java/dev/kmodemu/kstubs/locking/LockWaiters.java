package dev.kmodemu.kstubs.locking;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The waiters of sleeping locks (rw_semaphores, semaphores) as their {@code wait_list} in guest
 * memory shows them: each waiter has a list node (kmalloc'd, standing for the kernel's on-stack
 * {@code struct rwsem_waiter}/{@code semaphore_waiter}) queued at the tail, so inline helpers
 * such as {@code rwsem_is_contended()} see the same list; the Java side remembers which task
 * each node is and whether the lock was handed to it.
 */
final class LockWaiters {
    /** One sleeping task. */
    static final class Waiter {
        final long node;
        final long task;
        final boolean reader;
        /** Set by the releasing side when the lock was handed over (the kernel's wake-up). */
        boolean granted;

        Waiter(long node, long task, boolean reader) {
            this.node = node;
            this.task = task;
            this.reader = reader;
        }
    }

    private final Map<Long, Waiter> byNode = new HashMap<>();

    static LockWaiters of(KernelContext k) {
        return k.state(LockWaiters.class, LockWaiters::new);
    }

    /** Queues the current task at the tail of the guest list {@code head}. */
    Waiter enqueue(KernelContext k, long head, boolean reader) {
        AddressSpace m = k.mem();
        int next = k.off("list_head_next");
        int prev = k.off("list_head_prev");
        long node = k.slab().kmalloc(16, 0);
        long last = m.read64(head + prev);
        m.write64(node + next, head);
        m.write64(node + prev, last);
        m.write64(last + next, node);
        m.write64(head + prev, node);
        Waiter w = new Waiter(node, k.tasks().current().taskStruct(), reader);
        byNode.put(node, w);
        return w;
    }

    /** Unlinks {@code w} from its list ({@code list_del}) and frees its node. */
    void remove(KernelContext k, Waiter w) {
        AddressSpace m = k.mem();
        int next = k.off("list_head_next");
        int prev = k.off("list_head_prev");
        long n = m.read64(w.node + next);
        long p = m.read64(w.node + prev);
        m.write64(p + next, n);
        m.write64(n + prev, p);
        byNode.remove(w.node);
        k.slab().kfree(w.node);
    }

    /** The waiters queued on {@code head}, first to last. */
    List<Waiter> list(KernelContext k, long head) {
        List<Waiter> out = new ArrayList<>();
        int next = k.off("list_head_next");
        for (long n = k.mem().read64(head + next); n != head; n = k.mem().read64(n + next)) {
            Waiter w = byNode.get(n);
            if (w != null) {
                out.add(w);
            }
        }
        return out;
    }

    /** {@code list_empty(head)}. */
    static boolean empty(KernelContext k, long head) {
        return k.mem().read64(head + k.off("list_head_next")) == head;
    }
}
