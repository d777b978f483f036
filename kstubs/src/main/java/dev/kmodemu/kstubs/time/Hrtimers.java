package dev.kmodemu.kstubs.time;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.kernel.Oops;
import dev.kmodemu.kstubs.sched.Core;

import java.util.HashMap;
import java.util.Map;

/**
 * kernel/time/hrtimer.c: high-resolution timers ({@code struct hrtimer} in guest memory, its
 * {@code state}, expiry and {@code base} kept as the kernel keeps them) on the one CPU's clock
 * bases, and the hrtimer sleeps. A timer expires at its hard expiry ({@code _softexpires} plus the
 * slack), as on an otherwise idle CPU; hard timers run in hardirq context, soft ones in softirq.
 */
public final class Hrtimers {
    private Hrtimers() {
    }

    private static final class State {
        final Map<Long, Object> queued = new HashMap<>();
        long bases;
    }

    private static State state(KernelContext k) {
        return k.state(Hrtimers.class, () -> {
            State s = new State();
            s.bases = k.sym("hrtimer_bases");
            return s;
        });
    }

    /**
     * {@code hrtimer_bases}: the CPU's clock bases (MONOTONIC, REALTIME, BOOTTIME, TAI, then the
     * same four for soft timers) with their clock ids and {@code get_time} functions.
     */
    @KernelData(value = "hrtimer_bases", size = 8 * 64, align = 64)
    static void bases(KernelContext k, long at) {
        int n = (int) k.profile().value("HRTIMER_MAX_CLOCK_BASES");
        int size = k.off("hrtimer_clock_base_sizeof");
        String[] clocks = {"CLOCK_MONOTONIC", "CLOCK_REALTIME", "CLOCK_BOOTTIME", "CLOCK_TAI"};
        String[] getTime = {"ktime_get", "kmodemu_ktime_get_real", "kmodemu_ktime_get_boottime",
            "kmodemu_ktime_get_clocktai"};
        AddressSpace mem = k.mem();
        for (int i = 0; i < n; i++) {
            long b = at + (long) i * size;
            mem.write32(b + k.off("hrtimer_clock_base_index"), i);
            mem.write32(b + k.off("hrtimer_clock_base_clockid"), (int) k.profile().value(clocks[i % 4]));
            mem.write64(b + k.off("hrtimer_clock_base_get_time"), k.sym(getTime[i % 4]));
        }
    }

    /** ktime_get_real(), the REALTIME base's clock */
    @KernelSymbol(value = "kmodemu_ktime_get_real", internal = true)
    static long ktimeGetReal(KernelContext k) {
        return Timekeeping.real(k);
    }

    /** ktime_get_boottime(): monotonic, nothing suspends */
    @KernelSymbol(value = "kmodemu_ktime_get_boottime", internal = true)
    static long ktimeGetBoottime(KernelContext k) {
        return Timekeeping.mono(k);
    }

    /** ktime_get_clocktai() */
    @KernelSymbol(value = "kmodemu_ktime_get_clocktai", internal = true)
    static long ktimeGetClocktai(KernelContext k) {
        return Timekeeping.mono(k) + Timekeeping.offset(2);
    }

    private static int baseIndex(KernelContext k, long timer) {
        long base = k.mem().read64(timer + k.off("hrtimer_base"));
        return k.mem().read32(base + k.off("hrtimer_clock_base_index"));
    }

    /** Offset of the timer's clock from monotonic time. */
    private static long clockOffset(KernelContext k, long timer) {
        return switch (baseIndex(k, timer) % 4) {
            case 1 -> Timekeeping.offset(0);
            case 3 -> Timekeeping.offset(2);
            default -> 0;
        };
    }

    /** void hrtimer_init(struct hrtimer *timer, clockid_t clock_id, enum hrtimer_mode mode) */
    @KernelSymbol("hrtimer_init")
    static void hrtimerInit(KernelContext k, long timer, int clockId, int mode) {
        AddressSpace mem = k.mem();
        boolean soft = (mode & k.profile().value("HRTIMER_MODE_SOFT")) != 0;
        mem.poke(timer, new byte[k.off("hrtimer_sizeof")]);
        if (clockId == k.profile().value("CLOCK_REALTIME") && (mode & k.profile().value("HRTIMER_MODE_REL")) != 0) {
            clockId = (int) k.profile().value("CLOCK_MONOTONIC");
        }
        int base;
        if (clockId == k.profile().value("CLOCK_REALTIME")) {
            base = 1;
        } else if (clockId == k.profile().value("CLOCK_BOOTTIME")) {
            base = 2;
        } else if (clockId == k.profile().value("CLOCK_TAI")) {
            base = 3;
        } else {
            if (clockId != k.profile().value("CLOCK_MONOTONIC")) {
                Oops.warn(k, "kernel/time/hrtimer.c:85", "hrtimer_init", "Invalid clockid " + clockId
                        + ". Using MONOTONIC");
            }
            base = 0;
        }
        base += soft ? (int) k.profile().value("HRTIMER_MAX_CLOCK_BASES") / 2 : 0;
        mem.write8(timer + k.off("hrtimer_is_soft"), soft ? 1 : 0);
        mem.write8(timer + k.off("hrtimer_is_hard"), (mode & k.profile().value("HRTIMER_MODE_HARD")) != 0 ? 1 : 0);
        mem.write64(timer + k.off("hrtimer_base"), state(k).bases + (long) base * k.off("hrtimer_clock_base_sizeof"));
        // timerqueue_init(): RB_CLEAR_NODE, the node's parent is itself
        mem.write64(timer, timer);
    }

    private static boolean queued(KernelContext k, long timer) {
        return (k.mem().read8(timer + k.off("hrtimer_state")) & 1) != 0;
    }

    private static void setState(KernelContext k, long timer, int s) {
        k.mem().write8(timer + k.off("hrtimer_state"), s);
    }

    /** Every queued hrtimer, with its function; cancelling it is {@code hrtimer_try_to_cancel()}. */
    public static void registrations(KernelContext k, java.util.function.Consumer<dev.kmodemu.kstubs.module.Leftovers.Registration> out) {
        for (long timer : new java.util.ArrayList<>(state(k).queued.keySet())) {
            long fn = k.mem().read64(timer + k.off("hrtimer_function"));
            out.accept(new dev.kmodemu.kstubs.module.Leftovers.Registration("hrtimer", String.format("at %016x", timer), timer, fn,
                    new long[] {timer, fn}, () -> remove(k, timer)));
        }
    }

    /** {@code remove_hrtimer()}: returns whether it was queued. */
    private static boolean remove(KernelContext k, long timer) {
        Object h = state(k).queued.remove(timer);
        if (h != null) {
            k.scheduler().cancel(h);
        }
        if (!queued(k, timer)) {
            return false;
        }
        setState(k, timer, 0);
        return true;
    }

    private static void enqueue(KernelContext k, long timer) {
        long expires = k.mem().read64(timer + k.off("hrtimer_node_expires"));
        setState(k, timer, (int) k.profile().value("HRTIMER_STATE_ENQUEUED"));
        long mono = expires - clockOffset(k, timer);
        state(k).queued.put(timer, k.scheduler().at(Math.max(mono, 0), () -> run(k, timer)));
    }

    /** {@code __run_hrtimer()}. */
    private static void run(KernelContext k, long timer) {
        state(k).queued.remove(timer);
        AddressSpace mem = k.mem();
        long base = mem.read64(timer + k.off("hrtimer_base"));
        mem.write64(base + k.off("hrtimer_clock_base_running"), timer);
        setState(k, timer, 0);
        long fn = mem.read64(timer + k.off("hrtimer_function"));
        long[] restart = new long[1];
        Runnable call = () -> restart[0] = k.call(fn, timer);
        try {
            if (mem.read8(timer + k.off("hrtimer_is_soft")) != 0) {
                k.scheduler().inSoftirq(call);
            } else {
                k.scheduler().inHardirq(call);
            }
        } finally {
            mem.write64(base + k.off("hrtimer_clock_base_running"), 0);
        }
        if ((int) restart[0] != k.profile().value("HRTIMER_NORESTART") && !queued(k, timer)) {
            enqueue(k, timer);
        }
    }

    private static long addSafe(long a, long b) {
        long r = a + b;
        if (r < 0 || r < a || r < b) {
            return Long.MAX_VALUE;
        }
        return r;
    }

    /**
     * void hrtimer_start_range_ns(struct hrtimer *timer, ktime_t tim, u64 delta_ns,
     * const enum hrtimer_mode mode)
     */
    @KernelSymbol("hrtimer_start_range_ns")
    static void hrtimerStartRangeNs(KernelContext k, long timer, long tim, long delta, int mode) {
        AddressSpace mem = k.mem();
        boolean soft = (mode & k.profile().value("HRTIMER_MODE_SOFT")) != 0;
        if (soft != (mem.read8(timer + k.off("hrtimer_is_soft")) != 0)) {
            Oops.warnOnce(k, "kernel/time/hrtimer.c:1295", "hrtimer_start_range_ns");
        }
        remove(k, timer);
        if ((mode & k.profile().value("HRTIMER_MODE_REL")) != 0) {
            tim = addSafe(tim, Timekeeping.mono(k) + clockOffset(k, timer));
        }
        mem.write64(timer + k.off("hrtimer_softexpires"), tim);
        mem.write64(timer + k.off("hrtimer_node_expires"), addSafe(tim, delta));
        enqueue(k, timer);
    }

    /** int hrtimer_try_to_cancel(struct hrtimer *timer): -1 while its callback runs. */
    @KernelSymbol("hrtimer_try_to_cancel")
    static int hrtimerTryToCancel(KernelContext k, long timer) {
        long base = k.mem().read64(timer + k.off("hrtimer_base"));
        if (base != 0 && k.mem().read64(base + k.off("hrtimer_clock_base_running")) == timer) {
            return -1;
        }
        return remove(k, timer) ? 1 : 0;
    }

    /** int hrtimer_cancel(struct hrtimer *timer): from its own callback it would wait forever. */
    @KernelSymbol("hrtimer_cancel")
    static int hrtimerCancel(KernelContext k, long timer) {
        int r = hrtimerTryToCancel(k, timer);
        if (r < 0) {
            throw Oops.lockup(k, "hrtimer_cancel");
        }
        return r;
    }

    /** u64 hrtimer_forward(struct hrtimer *timer, ktime_t now, ktime_t interval) */
    @KernelSymbol("hrtimer_forward")
    static long hrtimerForward(KernelContext k, long timer, long now, long interval) {
        AddressSpace mem = k.mem();
        long expires = mem.read64(timer + k.off("hrtimer_node_expires"));
        long delta = now - expires;
        if (delta < 0) {
            return 0;
        }
        if (queued(k, timer)) {
            Oops.warn(k, "kernel/time/hrtimer.c:1038", "hrtimer_forward", null);
            return 0;
        }
        interval = Math.max(interval, 1);
        long orun = 1;
        if (delta >= interval) {
            orun = delta / interval;
            addExpires(k, timer, interval * orun);
            if (mem.read64(timer + k.off("hrtimer_node_expires")) > now) {
                return orun;
            }
            orun++;
        }
        addExpires(k, timer, interval);
        return orun;
    }

    private static void addExpires(KernelContext k, long timer, long ns) {
        AddressSpace mem = k.mem();
        long e = timer + k.off("hrtimer_node_expires");
        long s = timer + k.off("hrtimer_softexpires");
        mem.write64(e, addSafe(mem.read64(e), ns));
        mem.write64(s, addSafe(mem.read64(s), ns));
    }

    /** bool hrtimer_active(const struct hrtimer *timer) */
    @KernelSymbol("hrtimer_active")
    static boolean hrtimerActive(KernelContext k, long timer) {
        long base = k.mem().read64(timer + k.off("hrtimer_base"));
        return queued(k, timer) || (base != 0 && k.mem().read64(base + k.off("hrtimer_clock_base_running")) == timer);
    }

    /** ktime_t __hrtimer_get_remaining(const struct hrtimer *timer, bool adjust) */
    @KernelSymbol("__hrtimer_get_remaining")
    static long hrtimerGetRemaining(KernelContext k, long timer, boolean adjust) {
        return k.mem().read64(timer + k.off("hrtimer_node_expires")) - (Timekeeping.mono(k) + clockOffset(k, timer));
    }

    /**
     * {@code schedule_hrtimeout_range_clock()} on CLOCK_MONOTONIC: sleeps in the state the caller
     * set until {@code expires} (+ slack) or a wake-up; 0 if the time passed, -EINTR if woken.
     */
    public static int scheduleHrtimeout(KernelContext k, long expires, long delta, boolean relative) {
        if (expires == 0 && !relative) {
            Core.setCurrentState(k, (int) k.profile().value("TASK_RUNNING"));
            return 0;
        }
        long hard = addSafe(relative ? addSafe(expires, Timekeeping.mono(k)) : expires, delta);
        long task = k.tasks().current().taskStruct();
        boolean[] expired = new boolean[1];
        Object h = k.scheduler().at(hard, () -> {
            expired[0] = true;
            Core.wakeUp(k, task, (int) k.profile().value("TASK_NORMAL"));
        });
        try {
            Core.schedule(k);
        } finally {
            k.scheduler().cancel(h);
        }
        Core.setCurrentState(k, (int) k.profile().value("TASK_RUNNING"));
        return expired[0] ? 0 : -Errno.EINTR;
    }

    /** int schedule_hrtimeout_range(ktime_t *expires, u64 delta, const enum hrtimer_mode mode) */
    @KernelSymbol("schedule_hrtimeout_range")
    static int scheduleHrtimeoutRange(KernelContext k, long expires, long delta, int mode) {
        if (expires == 0) {
            Core.schedule(k);
            return -Errno.EINTR;
        }
        return scheduleHrtimeout(k, k.mem().read64(expires), delta,
                (mode & k.profile().value("HRTIMER_MODE_REL")) != 0);
    }

    /** int schedule_hrtimeout(ktime_t *expires, const enum hrtimer_mode mode) */
    @KernelSymbol("schedule_hrtimeout")
    static int scheduleHrtimeoutSym(KernelContext k, long expires, int mode) {
        return scheduleHrtimeoutRange(k, expires, 0, mode);
    }

    /** void usleep_range_state(unsigned long min, unsigned long max, unsigned int state) */
    @KernelSymbol("usleep_range_state")
    static void usleepRangeState(KernelContext k, long min, long max, int state) {
        long exp = Timekeeping.mono(k) + min * 1000;
        long delta = (max - min) * 1000;
        do {
            Core.setCurrentState(k, state);
        } while (scheduleHrtimeout(k, exp, delta, false) != 0);
    }
}
