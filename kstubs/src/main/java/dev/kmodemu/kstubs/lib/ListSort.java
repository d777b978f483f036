package dev.kmodemu.kstubs.lib;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * lib/list_sort.c: the kernel's bottom-up merge sort of a {@code list_head} list, with the same
 * merges in the same order, so {@code cmp(priv, a, b)} sees exactly the kernel's calls and equal
 * elements keep their order.
 */
public final class ListSort {
    private ListSort() {
    }

    /** Where a {@code struct list_head **tail} points: a local variable (0) or a guest field. */
    private static final class Slot {
        long local;

        long get(AddressSpace m, long at) {
            return at == 0 ? local : m.read64(at);
        }

        void set(AddressSpace m, long at, long v) {
            if (at == 0) {
                local = v;
            } else {
                m.write64(at, v);
            }
        }
    }

    private static int cmp(KernelContext k, long fn, long priv, long a, long b) {
        return (int) k.call(fn, priv, a, b);
    }

    /** {@code merge()}: two NULL-terminated lists into one (prev links not maintained). */
    private static long merge(KernelContext k, long priv, long fn, long a, long b, int next) {
        AddressSpace m = k.mem();
        Slot head = new Slot();
        long tail = 0;
        while (true) {
            if (cmp(k, fn, priv, a, b) <= 0) {
                head.set(m, tail, a);
                tail = a + next;
                a = m.read64(a + next);
                if (a == 0) {
                    head.set(m, tail, b);
                    break;
                }
            } else {
                head.set(m, tail, b);
                tail = b + next;
                b = m.read64(b + next);
                if (b == 0) {
                    head.set(m, tail, a);
                    break;
                }
            }
        }
        return head.local;
    }

    /** {@code merge_final()}: the last merge, restoring the prev links and the circular list. */
    private static void mergeFinal(KernelContext k, long priv, long fn, long head, long a, long b, int next,
            int prev) {
        AddressSpace m = k.mem();
        long tail = head;
        int count = 0;
        while (true) {
            if (cmp(k, fn, priv, a, b) <= 0) {
                m.write64(tail + next, a);
                m.write64(a + prev, tail);
                tail = a;
                a = m.read64(a + next);
                if (a == 0) {
                    break;
                }
            } else {
                m.write64(tail + next, b);
                m.write64(b + prev, tail);
                tail = b;
                b = m.read64(b + next);
                if (b == 0) {
                    b = a;
                    break;
                }
            }
        }
        m.write64(tail + next, b);
        do {
            count = (count + 1) & 0xff;
            if (count == 0) {
                cmp(k, fn, priv, b, b);
            }
            m.write64(b + prev, tail);
            tail = b;
            b = m.read64(b + next);
        } while (b != 0);
        m.write64(tail + next, head);
        m.write64(head + prev, tail);
    }

    /** void list_sort(void *priv, struct list_head *head, list_cmp_func_t cmp) */
    @KernelSymbol("list_sort")
    static void listSort(KernelContext k, long priv, long head, long fn) {
        AddressSpace m = k.mem();
        int next = k.off("list_head_next");
        int prev = k.off("list_head_prev");
        long list = m.read64(head + next);
        long pending = 0;
        long count = 0;
        if (list == m.read64(head + prev)) {
            return;
        }
        m.write64(m.read64(head + prev) + next, 0);
        Slot pend = new Slot();
        do {
            long bits;
            long tail = 0;
            pend.local = pending;
            for (bits = count; (bits & 1) != 0; bits >>>= 1) {
                tail = pend.get(m, tail) + prev;
            }
            if (bits != 0) {
                long a = pend.get(m, tail);
                long b = m.read64(a + prev);
                a = merge(k, priv, fn, b, a, next);
                m.write64(a + prev, m.read64(b + prev));
                pend.set(m, tail, a);
            }
            pending = pend.local;
            m.write64(list + prev, pending);
            pending = list;
            list = m.read64(list + next);
            m.write64(pending + next, 0);
            count++;
        } while (list != 0);
        list = pending;
        pending = m.read64(pending + prev);
        while (true) {
            long nx = m.read64(pending + prev);
            if (nx == 0) {
                break;
            }
            list = merge(k, priv, fn, pending, list, next);
            pending = nx;
        }
        mergeFinal(k, priv, fn, head, pending, list, next, prev);
    }
}
