package dev.kmodemu.kstubs.lib;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;

/**
 * include/linux/list.h: the inline list operations on guest {@code struct list_head}s, as the
 * kernel's own code (compiled with CONFIG_DEBUG_LIST) runs them: additions and deletions are
 * checked by {@code __list_add_valid()}/{@code __list_del_entry_valid()} on the CPU, so a
 * corrupted list is reported as the real kernel reports it.
 */
public final class Lists {
    private static final long POISON1 = 0xdead000000000100L;
    private static final long POISON2 = 0xdead000000000122L;

    private Lists() {
    }

    public static long next(KernelContext k, long entry) {
        return k.mem().read64(entry + k.off("list_head_next"));
    }

    /** {@code INIT_LIST_HEAD()}. */
    public static void init(KernelContext k, long head) {
        k.mem().write64(head + k.off("list_head_next"), head);
        k.mem().write64(head + k.off("list_head_prev"), head);
    }

    /** {@code list_empty()}. */
    public static boolean empty(KernelContext k, long head) {
        return next(k, head) == head;
    }

    private static void insert(KernelContext k, long entry, long prev, long next) {
        AddressSpace m = k.mem();
        k.call(k.sym("__list_add_valid"), entry, prev, next);
        m.write64(next + k.off("list_head_prev"), entry);
        m.write64(entry + k.off("list_head_next"), next);
        m.write64(entry + k.off("list_head_prev"), prev);
        m.write64(prev + k.off("list_head_next"), entry);
    }

    /** {@code list_add()}: after {@code head}. */
    public static void add(KernelContext k, long entry, long head) {
        insert(k, entry, head, next(k, head));
    }

    /** {@code list_add_tail()}: before {@code head}. */
    public static void addTail(KernelContext k, long entry, long head) {
        insert(k, entry, k.mem().read64(head + k.off("list_head_prev")), head);
    }

    private static void unlink(KernelContext k, long entry) {
        AddressSpace m = k.mem();
        k.call(k.sym("__list_del_entry_valid"), entry);
        long prev = m.read64(entry + k.off("list_head_prev"));
        long next = next(k, entry);
        m.write64(next + k.off("list_head_prev"), prev);
        m.write64(prev + k.off("list_head_next"), next);
    }

    /** {@code list_del()}: unlinked and poisoned. */
    public static void del(KernelContext k, long entry) {
        unlink(k, entry);
        k.mem().write64(entry + k.off("list_head_next"), POISON1);
        k.mem().write64(entry + k.off("list_head_prev"), POISON2);
    }

    /** {@code list_del_rcu()}: unlinked, {@code next} kept for readers, {@code prev} poisoned. */
    public static void delRcu(KernelContext k, long entry) {
        unlink(k, entry);
        k.mem().write64(entry + k.off("list_head_prev"), POISON2);
    }

    /** {@code list_del_init()}. */
    public static void delInit(KernelContext k, long entry) {
        unlink(k, entry);
        init(k, entry);
    }

    /** The entries of the list at {@code head} (their {@code list_head} addresses), in order. */
    public static java.util.List<Long> entries(KernelContext k, long head) {
        java.util.List<Long> out = new java.util.ArrayList<>();
        for (long e = next(k, head); e != head; e = next(k, e)) {
            out.add(e);
        }
        return out;
    }
}
