package dev.kmodemu.kstubs.time;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.kernel.Oops;
import dev.kmodemu.kstubs.sched.Core;

import java.util.HashMap;
import java.util.Map;

/**
 * kernel/time/timer.c: the timer wheel for {@code struct timer_list}, the sleeping functions built
 * on it ({@code schedule_timeout*}, {@code msleep*}) and the jiffies conversions.
 *
 * <p>A timer is pending while its {@code entry.pprev} is non-NULL, as {@code timer_pending()}
 * (inlined in module code) tests. It fires when jiffies reaches its wheel bucket, which
 * {@code calc_wheel_index()} rounds up with the level's granularity (one jiffy past
 * {@code expires} on level 0; up to 12.5% later for far timeouts), and runs in softirq context.
 */
public final class Timers {
    private Timers() {
    }

    private static final int LVL_CLK_SHIFT = 3;
    private static final int LVL_BITS = 6;
    private static final long LVL_SIZE = 1L << LVL_BITS;
    /** LVL_DEPTH for HZ > 100. */
    private static final int LVL_DEPTH = 9;

    /** Per-kernel: pending guest timers → their scheduler handles. */
    private static final class State {
        final Map<Long, Object> pending = new HashMap<>();
        long runningTimer;
        /** A dummy hlist head address standing for "in a wheel bucket" in entry.pprev. */
        long bucketHead;
    }

    private static State state(KernelContext k) {
        return k.state(Timers.class, () -> {
            State s = new State();
            s.bucketHead = k.sym("kmodemu_timer_wheel");
            return s;
        });
    }

    /** Every pending timer, with its function; cancelling it is {@code del_timer()}. */
    public static void registrations(KernelContext k, java.util.function.Consumer<dev.kmodemu.kstubs.module.Leftovers.Registration> out) {
        for (long timer : new java.util.ArrayList<>(state(k).pending.keySet())) {
            long fn = k.mem().read64(timer + k.off("timer_list_function"));
            out.accept(new dev.kmodemu.kstubs.module.Leftovers.Registration("timer_list", String.format("at %016x", timer), timer, fn,
                    new long[] {timer, fn}, () -> timerDeleteInternal(k, timer)));
        }
    }

    /** Storage whose address marks a pending timer's {@code entry.pprev}. */
    @dev.kmodemu.kstubs.KernelData(value = "kmodemu_timer_wheel", size = 8)
    static void wheel(KernelContext k, long at) {
    }

    private static long levelStart(int n) {
        return (LVL_SIZE - 1) << ((n - 1) * LVL_CLK_SHIFT);
    }

    /**
     * When a {@code schedule_timeout(timeout)} started now would wake up (virtual ns): the timer
     * wheel's granularity applied to {@code jiffies + timeout}.
     */
    public static long timeoutWakeNanos(KernelContext k, long timeout) {
        long now = k.clock().jiffies();
        return k.clock().nanosAtJiffies(bucketExpiry(now + timeout, now));
    }

    /** {@code calc_wheel_index()}: the jiffy at which a timer armed for {@code expires} runs. */
    static long bucketExpiry(long expires, long clk) {
        long delta = expires - clk;
        int lvl;
        if (delta < 0) {
            return clk;
        }
        lvl = LVL_DEPTH - 1;
        for (int n = 1; n < LVL_DEPTH; n++) {
            if (delta < levelStart(n)) {
                lvl = n - 1;
                break;
            }
        }
        if (lvl == LVL_DEPTH - 1) {
            long cutoff = levelStart(LVL_DEPTH);
            if (delta >= cutoff) {
                expires = clk + cutoff - (1L << ((LVL_DEPTH - 1) * LVL_CLK_SHIFT));
            }
        }
        int shift = lvl * LVL_CLK_SHIFT;
        return ((expires >>> shift) + 1) << shift;
    }

    // ---------------------------------------------------------------- struct timer_list

    private static boolean pending(KernelContext k, long timer) {
        return k.mem().read64(timer + k.off("timer_list_entry_pprev")) != 0;
    }

    /** {@code detach_timer(timer, true)}: entry.pprev = NULL, entry.next = LIST_POISON2. */
    private static void detach(KernelContext k, long timer) {
        AddressSpace mem = k.mem();
        mem.write64(timer + k.off("timer_list_entry_pprev"), 0);
        mem.write64(timer + k.off("timer_list_entry_next"), k.profile().value("LIST_POISON2"));
        Object h = state(k).pending.remove(timer);
        if (h != null) {
            k.scheduler().cancel(h);
        }
    }

    private static void enqueue(KernelContext k, long timer, long expires) {
        AddressSpace mem = k.mem();
        State s = state(k);
        mem.write64(timer + k.off("timer_list_expires"), expires);
        mem.write64(timer + k.off("timer_list_entry_next"), 0);
        mem.write64(timer + k.off("timer_list_entry_pprev"), s.bucketHead);
        long when = k.clock().nanosAtJiffies(bucketExpiry(expires, k.clock().jiffies()));
        s.pending.put(timer, k.scheduler().at(when, () -> expire(k, timer)));
    }

    /** {@code expire_timers()} for one timer: detach, then call its function in softirq context. */
    private static void expire(KernelContext k, long timer) {
        State s = state(k);
        s.pending.remove(timer);
        AddressSpace mem = k.mem();
        s.runningTimer = timer;
        try {
            k.scheduler().inSoftirq(() -> {
                long fn;
                try {
                    mem.write64(timer + k.off("timer_list_entry_pprev"), 0);
                    mem.write64(timer + k.off("timer_list_entry_next"), k.profile().value("LIST_POISON2"));
                    fn = mem.read64(timer + k.off("timer_list_function"));
                } catch (dev.kmodemu.emu.PageFault pf) {
                    // a timer_list in memory freed under it (its module is gone): __run_timers
                    // faults detaching it, in softirq context
                    throw k.machine().pageFaultInKernel(pf, "__run_timers");
                }
                k.call(fn, timer);
            });
        } finally {
            s.runningTimer = 0;
        }
    }

    /**
     * void init_timer_key(struct timer_list *timer, void (*func)(struct timer_list *),
     * unsigned int flags, const char *name, struct lock_class_key *key)
     */
    @KernelSymbol("init_timer_key")
    static void initTimerKey(KernelContext k, long timer, long func, int flags, long name, long key) {
        int allowed = (int) k.profile().value("TIMER_INIT_FLAGS");
        if ((flags & ~allowed) != 0) {
            Oops.warnOnce(k, "kernel/time/timer.c:849", "init_timer_key");
            flags &= allowed;
        }
        AddressSpace mem = k.mem();
        mem.write64(timer + k.off("timer_list_entry_pprev"), 0);
        mem.write64(timer + k.off("timer_list_function"), func);
        mem.write32(timer + k.off("timer_list_flags"), flags);
    }

    /** {@code __mod_timer()}: returns 1 if the timer was pending. */
    public static int modTimer(KernelContext k, long timer, long expires, boolean pendingOnly, boolean reduce) {
        AddressSpace mem = k.mem();
        boolean wasPending = pending(k, timer);
        if (wasPending) {
            long cur = mem.read64(timer + k.off("timer_list_expires"));
            long diff = cur - expires;
            if (diff == 0 || (reduce && diff <= 0)) {
                return 1;
            }
        }
        if (mem.read64(timer + k.off("timer_list_function")) == 0) {
            return 0;
        }
        if (wasPending) {
            detach(k, timer);
        } else if (pendingOnly) {
            return 0;
        }
        enqueue(k, timer, expires);
        return wasPending ? 1 : 0;
    }

    /** int mod_timer(struct timer_list *timer, unsigned long expires) */
    @KernelSymbol("mod_timer")
    static int modTimer(KernelContext k, long timer, long expires) {
        return modTimer(k, timer, expires, false, false);
    }

    /** int mod_timer_pending(struct timer_list *timer, unsigned long expires) */
    @KernelSymbol("mod_timer_pending")
    static int modTimerPending(KernelContext k, long timer, long expires) {
        return modTimer(k, timer, expires, true, false);
    }

    /** int timer_reduce(struct timer_list *timer, unsigned long expires) */
    @KernelSymbol("timer_reduce")
    static int timerReduce(KernelContext k, long timer, long expires) {
        return modTimer(k, timer, expires, false, true);
    }

    /** void add_timer(struct timer_list *timer): BUG if already pending. */
    @KernelSymbol({"add_timer", "add_timer_on"})
    static void addTimer(KernelContext k, long timer) {
        if (pending(k, timer)) {
            throw Oops.bug(k, "kernel/time/timer.c:1242");
        }
        modTimer(k, timer, k.mem().read64(timer + k.off("timer_list_expires")), false, false);
    }

    /** int timer_delete(struct timer_list *timer): 1 if it was pending. */
    @KernelSymbol("timer_delete")
    static int timerDelete(KernelContext k, long timer) {
        if (!pending(k, timer)) {
            return 0;
        }
        detach(k, timer);
        return 1;
    }

    /** {@code del_timer()} for kernel code: true if the timer was pending. */
    public static boolean timerDeleteInternal(KernelContext k, long timer) {
        return timerDelete(k, timer) != 0;
    }

    /** int try_to_del_timer_sync(struct timer_list *timer): -1 while its function runs. */
    @KernelSymbol("try_to_del_timer_sync")
    static int tryToDelTimerSync(KernelContext k, long timer) {
        if (state(k).runningTimer == timer) {
            return -1;
        }
        return timerDelete(k, timer);
    }

    /**
     * int timer_delete_sync(struct timer_list *timer): waits for a running callback to finish; from
     * inside that callback it would wait forever (the kernel WARNs about it in interrupt context).
     */
    @KernelSymbol("timer_delete_sync")
    static int timerDeleteSync(KernelContext k, long timer) {
        if (state(k).runningTimer == timer) {
            throw Oops.lockup(k, "timer_delete_sync");
        }
        return timerDelete(k, timer);
    }

    /**
     * int timer_shutdown(struct timer_list *timer): {@code __timer_delete(timer, true)}, deactivate
     * and clear the function, so that {@code mod_timer()} and friends ignore the timer from now on.
     */
    @KernelSymbol("timer_shutdown")
    static int timerShutdown(KernelContext k, long timer) {
        int ret = timerDelete(k, timer);
        k.mem().write64(timer + k.off("timer_list_function"), 0);
        return ret;
    }

    /** int timer_shutdown_sync(struct timer_list *timer): {@code timer_delete_sync()}, then shut down. */
    @KernelSymbol("timer_shutdown_sync")
    static int timerShutdownSync(KernelContext k, long timer) {
        int ret = timerDeleteSync(k, timer);
        k.mem().write64(timer + k.off("timer_list_function"), 0);
        return ret;
    }

    // ---------------------------------------------------------------- sleeping

    /**
     * signed long schedule_timeout(signed long timeout): sleeps in the state the caller set until
     * woken or {@code timeout} jiffies pass; returns the jiffies left.
     */
    @KernelSymbol("schedule_timeout")
    public static long scheduleTimeout(KernelContext k, long timeout) {
        if (timeout == k.profile().value("MAX_SCHEDULE_TIMEOUT")) {
            Core.schedule(k);
            return timeout;
        }
        if (timeout < 0) {
            k.printk(3, "schedule_timeout: wrong timeout value " + Long.toHexString(timeout));
            Oops.dumpStack(k, 4, "schedule_timeout");
            Core.setCurrentState(k, (int) k.profile().value("TASK_RUNNING"));
            return 0;
        }
        long expire = timeout + k.clock().jiffies();
        long task = k.tasks().current().taskStruct();
        long when = k.clock().nanosAtJiffies(bucketExpiry(expire, k.clock().jiffies()));
        Object h = k.scheduler().at(when, () -> Core.wakeUp(k, task, (int) k.profile().value("TASK_NORMAL")));
        try {
            Core.schedule(k);
        } finally {
            k.scheduler().cancel(h);
        }
        long left = expire - k.clock().jiffies();
        return left < 0 ? 0 : left;
    }

    private static long timeoutInState(KernelContext k, long timeout, String state) {
        Core.setCurrentState(k, (int) k.profile().value(state));
        return scheduleTimeout(k, timeout);
    }

    /** signed long schedule_timeout_interruptible(signed long timeout) */
    @KernelSymbol({"schedule_timeout_interruptible"})
    static long scheduleTimeoutInterruptible(KernelContext k, long timeout) {
        return timeoutInState(k, timeout, "TASK_INTERRUPTIBLE");
    }

    /** signed long schedule_timeout_uninterruptible(signed long timeout), also _killable and _idle. */
    @KernelSymbol({"schedule_timeout_uninterruptible", "schedule_timeout_killable", "schedule_timeout_idle"})
    static long scheduleTimeoutUninterruptible(KernelContext k, long timeout) {
        return timeoutInState(k, timeout, "TASK_UNINTERRUPTIBLE");
    }

    /** void msleep(unsigned int msecs) */
    @KernelSymbol("msleep")
    static void msleep(KernelContext k, int msecs) {
        long timeout = msecsToJiffies(k, msecs) + 1;
        while (timeout != 0) {
            timeout = scheduleTimeoutUninterruptible(k, timeout);
        }
    }

    /** unsigned long msleep_interruptible(unsigned int msecs): no signal ever arrives here. */
    @KernelSymbol("msleep_interruptible")
    static long msleepInterruptible(KernelContext k, int msecs) {
        long timeout = msecsToJiffies(k, msecs) + 1;
        while (timeout != 0) {
            timeout = scheduleTimeoutInterruptible(k, timeout);
        }
        return jiffiesToMsecs(k, 0);
    }

    // ---------------------------------------------------------------- conversions (kernel/time/time.c)

    private static long hz(KernelContext k) {
        return k.clock().hz();
    }

    /** unsigned long __msecs_to_jiffies(const unsigned int m) */
    @KernelSymbol("__msecs_to_jiffies")
    public static long msecsToJiffies(KernelContext k, int m) {
        if (m < 0) {
            return k.profile().value("MAX_JIFFY_OFFSET");
        }
        long hz = hz(k);
        if (1000 % hz == 0) {
            return (m + 1000 / hz - 1) / (1000 / hz);
        }
        return (m * hz + 999) / 1000;
    }

    /** unsigned long __usecs_to_jiffies(const unsigned int u) */
    @KernelSymbol("__usecs_to_jiffies")
    static long usecsToJiffies(KernelContext k, int u) {
        long us = u & 0xffffffffL;
        long hz = hz(k);
        if (us > (1_000_000 / hz) * k.profile().value("MAX_JIFFY_OFFSET") || us > 0xffffffffL) {
            return k.profile().value("MAX_JIFFY_OFFSET");
        }
        return (us + 1_000_000 / hz - 1) / (1_000_000 / hz);
    }

    /** unsigned int jiffies_to_msecs(const unsigned long j) */
    @KernelSymbol("jiffies_to_msecs")
    public static int jiffiesToMsecs(KernelContext k, long j) {
        return (int) ((1000 / hz(k)) * j);
    }

    /** unsigned int jiffies_to_usecs(const unsigned long j) */
    @KernelSymbol("jiffies_to_usecs")
    static int jiffiesToUsecs(KernelContext k, long j) {
        return (int) ((1_000_000 / hz(k)) * j);
    }

    /** u64 nsecs_to_jiffies64(u64 n), and unsigned long nsecs_to_jiffies(u64 n) */
    @KernelSymbol({"nsecs_to_jiffies64", "nsecs_to_jiffies"})
    static long nsecsToJiffies(KernelContext k, long n) {
        return Long.divideUnsigned(n, 1_000_000_000L / hz(k));
    }

    /** u64 jiffies64_to_nsecs(u64 j) */
    @KernelSymbol("jiffies64_to_nsecs")
    static long jiffies64ToNsecs(KernelContext k, long j) {
        return j * (1_000_000_000L / hz(k));
    }

    /** u64 jiffies64_to_msecs(u64 j) */
    @KernelSymbol("jiffies64_to_msecs")
    static long jiffies64ToMsecs(KernelContext k, long j) {
        return j * (1000 / hz(k));
    }

    /** clock_t jiffies_to_clock_t(unsigned long x), USER_HZ = 100 */
    @KernelSymbol("jiffies_to_clock_t")
    static long jiffiesToClockT(KernelContext k, long x) {
        return Long.divideUnsigned(x, hz(k) / 100);
    }

    /** unsigned long clock_t_to_jiffies(unsigned long x) */
    @KernelSymbol("clock_t_to_jiffies")
    static long clockTToJiffies(KernelContext k, long x) {
        long f = hz(k) / 100;
        if (Long.compareUnsigned(x, Long.divideUnsigned(-1L, f)) >= 0) {
            return -1L;
        }
        return x * f;
    }

    /** {@code round_jiffies_common()} for CPU 0. */
    private static long roundCommon(KernelContext k, long j, boolean forceUp) {
        long original = j;
        long hz = hz(k);
        long rem = Long.remainderUnsigned(j, hz);
        if (rem < hz / 4 && !forceUp) {
            j -= rem;
        } else {
            j = j - rem + hz;
        }
        return j - k.clock().jiffies() > 0 ? j : original;
    }

    /** unsigned long round_jiffies(unsigned long j), and __round_jiffies(j, cpu) */
    @KernelSymbol({"round_jiffies", "__round_jiffies"})
    static long roundJiffies(KernelContext k, long j) {
        return roundCommon(k, j, false);
    }

    /** unsigned long round_jiffies_relative(unsigned long j), and __round_jiffies_relative */
    @KernelSymbol({"round_jiffies_relative", "__round_jiffies_relative"})
    static long roundJiffiesRelative(KernelContext k, long j) {
        long j0 = k.clock().jiffies();
        return roundCommon(k, j + j0, false) - j0;
    }

    /** unsigned long round_jiffies_up(unsigned long j) */
    @KernelSymbol("round_jiffies_up")
    static long roundJiffiesUp(KernelContext k, long j) {
        return roundCommon(k, j, true);
    }

    /** unsigned long round_jiffies_up_relative(unsigned long j) */
    @KernelSymbol("round_jiffies_up_relative")
    static long roundJiffiesUpRelative(KernelContext k, long j) {
        long j0 = k.clock().jiffies();
        return roundCommon(k, j + j0, true) - j0;
    }
}
