package dev.kmodemu.kstubs.time;

import dev.kmodemu.emu.Reg;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * kernel/time/timekeeping.c and time.c: the clocks, all read from virtual time. CLOCK_MONOTONIC
 * (and BOOTTIME, RAW; nothing suspends) is the time since boot; CLOCK_REALTIME starts at a fixed
 * instant, {@link #BOOT_REALTIME_SEC} (2024-01-01 00:00:00 UTC), so that runs are reproducible;
 * TAI is 37 s ahead of it. The coarse clocks read the last tick (jiffies granularity).
 */
public final class Timekeeping {
    private Timekeeping() {
    }

    /** CLOCK_REALTIME at boot, in seconds since the epoch. */
    public static final long BOOT_REALTIME_SEC = 1_704_067_200L;
    private static final long NSEC_PER_SEC = 1_000_000_000L;
    private static final long TAI_OFFSET_SEC = 37;

    static long mono(KernelContext k) {
        return k.clock().nanos();
    }

    static long real(KernelContext k) {
        return BOOT_REALTIME_SEC * NSEC_PER_SEC + mono(k);
    }

    /** The last tick: monotonic time rounded down to the jiffy. */
    static long coarse(KernelContext k) {
        long tick = NSEC_PER_SEC / k.clock().hz();
        return mono(k) / tick * tick;
    }

    /** The offset of {@code enum tk_offsets} (TK_OFFS_REAL, _BOOT, _TAI) from monotonic time. */
    static long offset(int offs) {
        return switch (offs) {
            case 0 -> BOOT_REALTIME_SEC * NSEC_PER_SEC;
            case 2 -> (BOOT_REALTIME_SEC + TAI_OFFSET_SEC) * NSEC_PER_SEC;
            default -> 0;
        };
    }

    private static void putTimespec(KernelContext k, long ts, long ns) {
        k.mem().write64(ts + k.off("timespec64_tv_sec"), Math.floorDiv(ns, NSEC_PER_SEC));
        k.mem().write64(ts + k.off("timespec64_tv_nsec"), Math.floorMod(ns, NSEC_PER_SEC));
    }

    /** ktime_t ktime_get(void), and the raw, fast and boot variants */
    @KernelSymbol({"ktime_get", "ktime_get_raw", "ktime_get_mono_fast_ns", "ktime_get_raw_fast_ns",
        "ktime_get_boot_fast_ns"})
    static long ktimeGet(KernelContext k) {
        return mono(k);
    }

    /** u64 ktime_get_real_fast_ns(void) */
    @KernelSymbol("ktime_get_real_fast_ns")
    static long ktimeGetRealFastNs(KernelContext k) {
        return real(k);
    }

    /** ktime_t ktime_get_with_offset(enum tk_offsets offs) */
    @KernelSymbol("ktime_get_with_offset")
    static long ktimeGetWithOffset(KernelContext k, int offs) {
        return mono(k) + offset(offs);
    }

    /** ktime_t ktime_get_coarse_with_offset(enum tk_offsets offs) */
    @KernelSymbol("ktime_get_coarse_with_offset")
    static long ktimeGetCoarseWithOffset(KernelContext k, int offs) {
        return coarse(k) + offset(offs);
    }

    /** ktime_t ktime_mono_to_any(ktime_t tmono, enum tk_offsets offs) */
    @KernelSymbol("ktime_mono_to_any")
    static long ktimeMonoToAny(KernelContext k, long tmono, int offs) {
        return tmono + offset(offs);
    }

    /** void ktime_get_real_ts64(struct timespec64 *ts) */
    @KernelSymbol("ktime_get_real_ts64")
    static void ktimeGetRealTs64(KernelContext k, long ts) {
        putTimespec(k, ts, real(k));
    }

    /** void ktime_get_ts64(struct timespec64 *ts), and ktime_get_raw_ts64 */
    @KernelSymbol({"ktime_get_ts64", "ktime_get_raw_ts64"})
    static void ktimeGetTs64(KernelContext k, long ts) {
        putTimespec(k, ts, mono(k));
    }

    /** CLOCK_REALTIME_COARSE in nanoseconds: the real time of the last tick. */
    public static long coarseReal(KernelContext k) {
        return coarse(k) + offset(0);
    }

    /** void ktime_get_coarse_real_ts64(struct timespec64 *ts) */
    @KernelSymbol("ktime_get_coarse_real_ts64")
    static void ktimeGetCoarseRealTs64(KernelContext k, long ts) {
        putTimespec(k, ts, coarse(k) + offset(0));
    }

    /** void ktime_get_coarse_ts64(struct timespec64 *ts) */
    @KernelSymbol("ktime_get_coarse_ts64")
    static void ktimeGetCoarseTs64(KernelContext k, long ts) {
        putTimespec(k, ts, coarse(k));
    }

    /** time64_t ktime_get_real_seconds(void) */
    @KernelSymbol("ktime_get_real_seconds")
    static long ktimeGetRealSeconds(KernelContext k) {
        return real(k) / NSEC_PER_SEC;
    }

    /** time64_t ktime_get_seconds(void) */
    @KernelSymbol("ktime_get_seconds")
    static long ktimeGetSeconds(KernelContext k) {
        return mono(k) / NSEC_PER_SEC;
    }

    /** u64 ktime_get_resolution_ns(void): high-resolution timers, 1 ns. */
    @KernelSymbol("ktime_get_resolution_ns")
    static long ktimeGetResolutionNs(KernelContext k) {
        return 1;
    }

    /** struct timespec64 ns_to_timespec64(s64 nsec): returned in rax:rdx. */
    @KernelSymbol("ns_to_timespec64")
    static long nsToTimespec64(KernelContext k, long nsec) {
        long sec = Math.floorDiv(nsec, NSEC_PER_SEC);
        k.frame().setRegister(Reg.RDX, Math.floorMod(nsec, NSEC_PER_SEC));
        return sec;
    }

    /** void set_normalized_timespec64(struct timespec64 *ts, time64_t sec, s64 nsec) */
    @KernelSymbol("set_normalized_timespec64")
    static void setNormalizedTimespec64(KernelContext k, long ts, long sec, long nsec) {
        sec += Math.floorDiv(nsec, NSEC_PER_SEC);
        nsec = Math.floorMod(nsec, NSEC_PER_SEC);
        k.mem().write64(ts + k.off("timespec64_tv_sec"), sec);
        k.mem().write64(ts + k.off("timespec64_tv_nsec"), nsec);
    }

    /**
     * time64_t mktime64(const unsigned int year0, const unsigned int mon0, const unsigned int day,
     * const unsigned int hour, const unsigned int min, const unsigned int sec): Gauss's algorithm
     * as the kernel writes it (day 0 and hour 24 allowed).
     */
    @KernelSymbol("mktime64")
    static long mktime64(KernelContext k, int year0, int mon0, int day, int hour, int min, int sec) {
        long mon = mon0;
        long year = year0;
        if ((int) (mon -= 2) <= 0) {
            mon += 12;
            year -= 1;
        }
        long days = year / 4 - year / 100 + year / 400 + 367 * mon / 12 + day + year * 365 - 719499;
        return ((days * 24 + hour) * 60 + min) * 60 + sec;
    }

    /** void time64_to_tm(time64_t totalsecs, int offset, struct tm *result) */
    @KernelSymbol("time64_to_tm")
    static void time64ToTm(KernelContext k, long totalsecs, int offset, long result) {
        java.time.LocalDateTime t = java.time.LocalDateTime.ofEpochSecond(totalsecs + offset, 0,
                java.time.ZoneOffset.UTC);
        var mem = k.mem();
        mem.write32(result + k.off("tm_sec"), t.getSecond());
        mem.write32(result + k.off("tm_min"), t.getMinute());
        mem.write32(result + k.off("tm_hour"), t.getHour());
        mem.write32(result + k.off("tm_mday"), t.getDayOfMonth());
        mem.write32(result + k.off("tm_mon"), t.getMonthValue() - 1);
        mem.write64(result + k.off("tm_year"), t.getYear() - 1900L);
        mem.write32(result + k.off("tm_wday"), t.getDayOfWeek().getValue() % 7);
        mem.write32(result + k.off("tm_yday"), t.getDayOfYear() - 1);
    }

    /** void jiffies_to_timespec64(const unsigned long jiffies, struct timespec64 *value) */
    @KernelSymbol("jiffies_to_timespec64")
    static void jiffiesToTimespec64(KernelContext k, long jiffies, long value) {
        putTimespec(k, value, jiffies * (NSEC_PER_SEC / k.clock().hz()));
    }

    /** unsigned long timespec64_to_jiffies(const struct timespec64 *value): rounded up */
    @KernelSymbol("timespec64_to_jiffies")
    static long timespec64ToJiffies(KernelContext k, long value) {
        long sec = k.mem().read64(value + k.off("timespec64_tv_sec"));
        long nsec = k.mem().read64(value + k.off("timespec64_tv_nsec"));
        long tick = NSEC_PER_SEC / k.clock().hz();
        long max = k.profile().value("MAX_JIFFY_OFFSET");
        if (sec >= max / k.clock().hz()) {
            return max;
        }
        return sec * k.clock().hz() + (nsec + tick - 1) / tick;
    }
}
