package dev.kmodemu.kstubs.lib;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/** lib/llist.c: the lock-less singly linked lists' out-of-line operations, on guest nodes. */
public final class Llist {
    private Llist() {
    }

    /**
     * bool llist_add_batch(struct llist_node *new_first, struct llist_node *new_last,
     * struct llist_head *head): pushes a chain; true if the list was empty.
     */
    @KernelSymbol("llist_add_batch")
    static boolean addBatch(KernelContext k, long newFirst, long newLast, long head) {
        AddressSpace m = k.mem();
        long firstAt = head + k.off("llist_head_first");
        long first = m.read64(firstAt);
        m.write64(newLast + k.off("llist_node_next"), first);
        m.write64(firstAt, newFirst);
        return first == 0;
    }

    /** struct llist_node *llist_del_first(struct llist_head *head) */
    @KernelSymbol("llist_del_first")
    static long delFirst(KernelContext k, long head) {
        AddressSpace m = k.mem();
        long firstAt = head + k.off("llist_head_first");
        long entry = m.read64(firstAt);
        if (entry == 0) {
            return 0;
        }
        m.write64(firstAt, m.read64(entry + k.off("llist_node_next")));
        return entry;
    }

    /** struct llist_node *llist_reverse_order(struct llist_node *head) */
    @KernelSymbol("llist_reverse_order")
    static long reverseOrder(KernelContext k, long head) {
        AddressSpace m = k.mem();
        int next = k.off("llist_node_next");
        long newHead = 0;
        while (head != 0) {
            long tmp = head;
            head = m.read64(head + next);
            m.write64(tmp + next, newHead);
            newHead = tmp;
        }
        return newHead;
    }
}
