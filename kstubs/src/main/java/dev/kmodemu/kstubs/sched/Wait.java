package dev.kmodemu.kstubs.sched;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.time.Timers;

/**
 * kernel/sched/wait.c: wait queues in guest memory ({@code struct wait_queue_head} with its list
 * of {@code struct wait_queue_entry}), walked and woken exactly as the kernel does: each entry's
 * own wake function is called (on the CPU when it is module code), exclusive waiters count
 * against {@code nr_exclusive}. The {@code wait_event*()} macros in module code loop over
 * {@code prepare_to_wait_event()}, their condition and {@code schedule()}.
 */
public final class Wait {
    private Wait() {
    }

    private static int off(KernelContext k, String f) {
        return k.off(f);
    }

    private static void initListHead(AddressSpace mem, long head) {
        mem.write64(head, head);
        mem.write64(head + 8, head);
    }

    private static boolean listEmpty(AddressSpace mem, long head) {
        return mem.read64(head) == head;
    }

    /** list_add(new, head): after head. */
    private static void listAdd(AddressSpace mem, long entry, long head) {
        long next = mem.read64(head);
        mem.write64(next + 8, entry);
        mem.write64(entry, next);
        mem.write64(entry + 8, head);
        mem.write64(head, entry);
    }

    /** list_add_tail(new, head): before head. */
    private static void listAddTail(AddressSpace mem, long entry, long head) {
        long prev = mem.read64(head + 8);
        mem.write64(head + 8, entry);
        mem.write64(entry, head);
        mem.write64(entry + 8, prev);
        mem.write64(prev, entry);
    }

    /** list_del_init(entry). */
    private static void listDelInit(AddressSpace mem, long entry) {
        long next = mem.read64(entry);
        long prev = mem.read64(entry + 8);
        mem.write64(next + 8, prev);
        mem.write64(prev, next);
        initListHead(mem, entry);
    }

    /** void __init_waitqueue_head(struct wait_queue_head *wq_head, const char *name, struct lock_class_key *) */
    @KernelSymbol({"__init_waitqueue_head", "__init_swait_queue_head"})
    static void initWaitqueueHead(KernelContext k, long wq, long name, long key) {
        k.mem().write32(wq + off(k, "wait_queue_head_lock"), 0);
        initListHead(k.mem(), wq + off(k, "wait_queue_head_head"));
    }

    /** void init_wait_entry(struct wait_queue_entry *wq_entry, int flags) */
    @KernelSymbol("init_wait_entry")
    static void initWaitEntry(KernelContext k, long e, int flags) {
        AddressSpace mem = k.mem();
        mem.write32(e + off(k, "wait_queue_entry_flags"), flags);
        mem.write64(e + off(k, "wait_queue_entry_private"), k.tasks().current().taskStruct());
        mem.write64(e + off(k, "wait_queue_entry_func"), k.sym("autoremove_wake_function"));
        initListHead(mem, e + off(k, "wait_queue_entry_entry"));
    }

    private static int flags(KernelContext k, long e) {
        return k.mem().read32(e + off(k, "wait_queue_entry_flags"));
    }

    private static void setFlags(KernelContext k, long e, int f) {
        k.mem().write32(e + off(k, "wait_queue_entry_flags"), f);
    }

    private static void add(KernelContext k, long wq, long e, boolean tail) {
        long head = wq + off(k, "wait_queue_head_head");
        long entry = e + off(k, "wait_queue_entry_entry");
        if (tail) {
            listAddTail(k.mem(), entry, head);
        } else {
            listAdd(k.mem(), entry, head);
        }
    }

    private static int exclusive(KernelContext k) {
        return (int) k.profile().value("WQ_FLAG_EXCLUSIVE");
    }

    /** void add_wait_queue(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry) */
    @KernelSymbol("add_wait_queue")
    static void addWaitQueue(KernelContext k, long wq, long e) {
        setFlags(k, e, flags(k, e) & ~exclusive(k));
        add(k, wq, e, false);
    }

    /** void add_wait_queue_exclusive(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry) */
    @KernelSymbol("add_wait_queue_exclusive")
    static void addWaitQueueExclusive(KernelContext k, long wq, long e) {
        setFlags(k, e, flags(k, e) | exclusive(k));
        add(k, wq, e, true);
    }

    /** void remove_wait_queue(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry) */
    @KernelSymbol("remove_wait_queue")
    static void removeWaitQueue(KernelContext k, long wq, long e) {
        listDelInit(k.mem(), e + off(k, "wait_queue_entry_entry"));
    }

    /** void prepare_to_wait(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry, int state) */
    @KernelSymbol("prepare_to_wait")
    static void prepareToWait(KernelContext k, long wq, long e, int state) {
        setFlags(k, e, flags(k, e) & ~exclusive(k));
        if (listEmpty(k.mem(), e + off(k, "wait_queue_entry_entry"))) {
            add(k, wq, e, false);
        }
        Core.setCurrentState(k, state);
    }

    /** bool prepare_to_wait_exclusive(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry, int state) */
    @KernelSymbol("prepare_to_wait_exclusive")
    static boolean prepareToWaitExclusive(KernelContext k, long wq, long e, int state) {
        boolean wasEmpty = false;
        setFlags(k, e, flags(k, e) | exclusive(k));
        if (listEmpty(k.mem(), e + off(k, "wait_queue_entry_entry"))) {
            wasEmpty = listEmpty(k.mem(), wq + off(k, "wait_queue_head_head"));
            add(k, wq, e, true);
        }
        Core.setCurrentState(k, state);
        return wasEmpty;
    }

    /**
     * long prepare_to_wait_event(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry,
     * int state): 0, as no signal is ever pending for the task.
     */
    @KernelSymbol("prepare_to_wait_event")
    static long prepareToWaitEvent(KernelContext k, long wq, long e, int state) {
        if (listEmpty(k.mem(), e + off(k, "wait_queue_entry_entry"))) {
            add(k, wq, e, (flags(k, e) & exclusive(k)) != 0);
        }
        Core.setCurrentState(k, state);
        return 0;
    }

    /** void finish_wait(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry) */
    @KernelSymbol("finish_wait")
    static void finishWait(KernelContext k, long wq, long e) {
        Core.setCurrentState(k, (int) k.profile().value("TASK_RUNNING"));
        long entry = e + off(k, "wait_queue_entry_entry");
        if (!listEmpty(k.mem(), entry)) {
            listDelInit(k.mem(), entry);
        }
    }

    /** int autoremove_wake_function(struct wait_queue_entry *wq_entry, unsigned mode, int sync, void *key) */
    @KernelSymbol("autoremove_wake_function")
    static int autoremoveWakeFunction(KernelContext k, long e, int mode, int sync, long key) {
        long task = k.mem().read64(e + off(k, "wait_queue_entry_private"));
        boolean woken = Core.wakeUp(k, task, mode);
        if (woken) {
            listDelInit(k.mem(), e + off(k, "wait_queue_entry_entry"));
        }
        return woken ? 1 : 0;
    }

    /** int woken_wake_function(struct wait_queue_entry *wq_entry, unsigned mode, int sync, void *key) */
    @KernelSymbol("woken_wake_function")
    static int wokenWakeFunction(KernelContext k, long e, int mode, int sync, long key) {
        setFlags(k, e, flags(k, e) | (int) k.profile().value("WQ_FLAG_WOKEN"));
        long task = k.mem().read64(e + off(k, "wait_queue_entry_private"));
        return Core.wakeUp(k, task, mode) ? 1 : 0;
    }

    /** long wait_woken(struct wait_queue_entry *wq_entry, unsigned mode, long timeout) */
    @KernelSymbol("wait_woken")
    static long waitWoken(KernelContext k, long e, int mode, long timeout) {
        int woken = (int) k.profile().value("WQ_FLAG_WOKEN");
        Core.setCurrentState(k, mode);
        if ((flags(k, e) & woken) == 0) {
            timeout = Timers.scheduleTimeout(k, timeout);
        }
        Core.setCurrentState(k, (int) k.profile().value("TASK_RUNNING"));
        setFlags(k, e, flags(k, e) & ~woken);
        return timeout;
    }

    /**
     * {@code __wake_up_common()}: calls each entry's wake function in list order; an exclusive
     * waiter that was woken counts against {@code nrExclusive}, and the walk stops at zero.
     */
    public static void wakeUpCommon(KernelContext k, long wq, int mode, int nrExclusive, int wakeFlags, long key) {
        AddressSpace mem = k.mem();
        long head = wq + off(k, "wait_queue_head_head");
        int entryOff = off(k, "wait_queue_entry_entry");
        int excl = exclusive(k);
        long cur = mem.read64(head);
        while (cur != head) {
            long next = mem.read64(cur);
            long e = cur - entryOff;
            int f = flags(k, e);
            long fn = mem.read64(e + off(k, "wait_queue_entry_func"));
            int ret = (int) k.call(fn, e, mode, wakeFlags, key);
            if (ret < 0) {
                break;
            }
            if (ret != 0 && (f & excl) != 0 && --nrExclusive == 0) {
                break;
            }
            cur = next;
        }
    }

    /** void __wake_up(struct wait_queue_head *wq_head, unsigned int mode, int nr_exclusive, void *key) */
    @KernelSymbol("__wake_up")
    static void wakeUp(KernelContext k, long wq, int mode, int nr, long key) {
        wakeUpCommon(k, wq, mode, nr, 0, key);
    }

    /** void __wake_up_locked(struct wait_queue_head *wq_head, unsigned int mode, int nr) */
    @KernelSymbol("__wake_up_locked")
    static void wakeUpLocked(KernelContext k, long wq, int mode, int nr) {
        wakeUpCommon(k, wq, mode, nr, 0, 0);
    }

    /** void __wake_up_locked_key(struct wait_queue_head *wq_head, unsigned int mode, void *key) */
    @KernelSymbol("__wake_up_locked_key")
    static void wakeUpLockedKey(KernelContext k, long wq, int mode, long key) {
        wakeUpCommon(k, wq, mode, 1, 0, key);
    }

    /** void __wake_up_sync_key(struct wait_queue_head *wq_head, unsigned int mode, void *key): WF_SYNC */
    @KernelSymbol("__wake_up_sync_key")
    static void wakeUpSyncKey(KernelContext k, long wq, int mode, long key) {
        wakeUpCommon(k, wq, mode, 1, 0x10, key);
    }

    /** void __wake_up_sync(struct wait_queue_head *wq_head, unsigned int mode) */
    @KernelSymbol("__wake_up_sync")
    static void wakeUpSync(KernelContext k, long wq, int mode) {
        wakeUpCommon(k, wq, mode, 1, 0x10, 0);
    }
}
