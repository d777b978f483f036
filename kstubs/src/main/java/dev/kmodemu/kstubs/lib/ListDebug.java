package dev.kmodemu.kstubs.lib;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.kernel.Oops;

/**
 * lib/list_debug.c (CONFIG_DEBUG_LIST with CONFIG_BUG_ON_DATA_CORRUPTION): list_add and
 * list_del check their neighbours; a corruption logs the kernel's message and BUG()s.
 */
public final class ListDebug {
    private ListDebug() {
    }

    private static final long LIST_POISON1 = 0xdead000000000100L;
    private static final long LIST_POISON2 = 0xdead000000000122L;

    private static String px(long p) {
        return String.format("%016x", p);
    }

    /** {@code CHECK_DATA_CORRUPTION()}: pr_err then BUG(). */
    private static RuntimeException corruption(KernelContext k, int line, String message) {
        k.printk(3, message);
        return Oops.bug(k, "lib/list_debug.c:" + line);
    }

    /** bool __list_add_valid(struct list_head *new, struct list_head *prev, struct list_head *next) */
    @KernelSymbol("__list_add_valid")
    static boolean listAddValid(KernelContext k, long entry, long prev, long next) {
        AddressSpace m = k.mem();
        int nextOff = k.off("list_head_next");
        int prevOff = k.off("list_head_prev");
        if (prev == 0) {
            throw corruption(k, 23, "list_add corruption. prev is NULL.");
        }
        if (next == 0) {
            throw corruption(k, 25, "list_add corruption. next is NULL.");
        }
        long np = m.read64(next + prevOff);
        if (np != prev) {
            throw corruption(k, 27, "list_add corruption. next->prev should be prev (" + px(prev) + "), but was "
                    + px(np) + ". (next=" + px(next) + ").");
        }
        long pn = m.read64(prev + nextOff);
        if (pn != next) {
            throw corruption(k, 30, "list_add corruption. prev->next should be next (" + px(next) + "), but was "
                    + px(pn) + ". (prev=" + px(prev) + ").");
        }
        if (entry == prev || entry == next) {
            throw corruption(k, 33, "list_add double add: new=" + px(entry) + ", prev=" + px(prev) + ", next="
                    + px(next) + ".");
        }
        return true;
    }

    /** bool __list_del_entry_valid(struct list_head *entry) */
    @KernelSymbol("__list_del_entry_valid")
    static boolean listDelEntryValid(KernelContext k, long entry) {
        AddressSpace m = k.mem();
        int nextOff = k.off("list_head_next");
        int prevOff = k.off("list_head_prev");
        long prev = m.read64(entry + prevOff);
        long next = m.read64(entry + nextOff);
        if (next == 0) {
            throw corruption(k, 49, "list_del corruption, " + px(entry) + "->next is NULL");
        }
        if (prev == 0) {
            throw corruption(k, 51, "list_del corruption, " + px(entry) + "->prev is NULL");
        }
        if (next == LIST_POISON1) {
            throw corruption(k, 53, "list_del corruption, " + px(entry) + "->next is LIST_POISON1 ("
                    + px(LIST_POISON1) + ")");
        }
        if (prev == LIST_POISON2) {
            throw corruption(k, 56, "list_del corruption, " + px(entry) + "->prev is LIST_POISON2 ("
                    + px(LIST_POISON2) + ")");
        }
        long pn = m.read64(prev + nextOff);
        if (pn != entry) {
            throw corruption(k, 59, "list_del corruption. prev->next should be " + px(entry) + ", but was "
                    + px(pn) + ". (prev=" + px(prev) + ")");
        }
        long np = m.read64(next + prevOff);
        if (np != entry) {
            throw corruption(k, 62, "list_del corruption. next->prev should be " + px(entry) + ", but was "
                    + px(np) + ". (next=" + px(next) + ")");
        }
        return true;
    }
}
