package dev.kmodemu.kstubs.lib;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;

import java.util.ArrayList;
import java.util.List;

/**
 * include/linux/list.h for kernel code written in Java: {@code struct list_head} lists in guest
 * memory, with CONFIG_DEBUG_LIST's checks ({@code __list_add_valid()}, {@code __list_del_entry_valid()},
 * which report corruption as the kernel does) and the poison values {@code list_del()} leaves.
 */
public final class Lists {
    private Lists() {
    }

    /** {@code LIST_POISON1} and {@code LIST_POISON2} with CONFIG_ILLEGAL_POINTER_VALUE. */
    public static final long POISON1 = 0xdead000000000100L;
    public static final long POISON2 = 0xdead000000000122L;

    public static long next(KernelContext k, long entry) {
        return k.mem().read64(entry + k.off("list_head_next"));
    }

    public static long prev(KernelContext k, long entry) {
        return k.mem().read64(entry + k.off("list_head_prev"));
    }

    /** {@code INIT_LIST_HEAD()}. */
    public static void init(KernelContext k, long head) {
        AddressSpace m = k.mem();
        m.write64(head + k.off("list_head_next"), head);
        m.write64(head + k.off("list_head_prev"), head);
    }

    /** {@code LIST_HEAD_INIT} for a kernel data symbol being set up at boot. */
    public static void pokeInit(KernelContext k, long head) {
        k.mem().pokeLong(head + k.off("list_head_next"), head);
        k.mem().pokeLong(head + k.off("list_head_prev"), head);
    }

    public static boolean empty(KernelContext k, long head) {
        return next(k, head) == head;
    }

    private static void insert(KernelContext k, long entry, long prev, long next) {
        if (k.call(k.sym("__list_add_valid"), entry, prev, next) == 0) {
            return;
        }
        AddressSpace m = k.mem();
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
        insert(k, entry, prev(k, head), head);
    }

    /** {@code __list_del_entry()}: false (nothing changed) if the debug check refused. */
    private static boolean unlink(KernelContext k, long entry) {
        if (k.call(k.sym("__list_del_entry_valid"), entry) == 0) {
            return false;
        }
        AddressSpace m = k.mem();
        long prev = prev(k, entry);
        long next = next(k, entry);
        m.write64(next + k.off("list_head_prev"), prev);
        m.write64(prev + k.off("list_head_next"), next);
        return true;
    }

    /** {@code list_del()}: unlinks and poisons. */
    public static void del(KernelContext k, long entry) {
        if (unlink(k, entry)) {
            k.mem().write64(entry + k.off("list_head_next"), POISON1);
            k.mem().write64(entry + k.off("list_head_prev"), POISON2);
        }
    }

    /** {@code list_del_rcu()}: unlinks; {@code next} stays for readers still walking, {@code prev} is poisoned. */
    public static void delRcu(KernelContext k, long entry) {
        if (unlink(k, entry)) {
            k.mem().write64(entry + k.off("list_head_prev"), POISON2);
        }
    }

    /** {@code list_del_init()}. */
    public static void delInit(KernelContext k, long entry) {
        if (unlink(k, entry)) {
            init(k, entry);
        }
    }

    /** {@code list_move()}: to just after {@code head}. */
    public static void move(KernelContext k, long entry, long head) {
        if (unlink(k, entry)) {
            add(k, entry, head);
        }
    }

    /** The entries' {@code list_head} addresses, first to last (a snapshot, safe to modify while walking). */
    public static List<Long> entries(KernelContext k, long head) {
        List<Long> out = new ArrayList<>();
        for (long e = next(k, head); e != head; e = next(k, e)) {
            out.add(e);
        }
        return out;
    }
}
