package dev.kmodemu.kstubs.time;

import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;

/**
 * Virtual time: nanoseconds since boot, advanced only by sleeping guest code or the user, so
 * runs are deterministic and a module that sleeps ten seconds costs no wall time. Keeps
 * {@code jiffies} in guest memory in step (HZ from the profile, starting at INITIAL_JIFFIES).
 */
public final class Clock {
    private final KernelContext k;
    private long nanos;
    private long jiffiesAddr;
    private int hz;
    private long initialJiffies;

    public Clock(KernelContext k) {
        this.k = k;
    }

    /** Called at boot, after the data symbols exist. */
    public void boot() {
        hz = k.profile().hz();
        initialJiffies = k.profile().value("INITIAL_JIFFIES");
        jiffiesAddr = k.sym("jiffies");
        update();
    }

    /** Nanoseconds since boot ({@code local_clock()}, printk timestamps). */
    public long nanos() {
        return nanos;
    }

    /**
     * {@code CLOCK_REALTIME} in nanoseconds since the epoch: the emulated machine has no RTC, so
     * its wall clock starts at the epoch when it boots.
     */
    public long realtime() {
        return nanos;
    }

    /** The current jiffies value. */
    public long jiffies() {
        return initialJiffies + nanos / (1_000_000_000L / hz);
    }

    /** Lets {@code ns} nanoseconds of virtual time pass. */
    public void advance(long ns) {
        if (ns < 0) {
            throw new IllegalArgumentException("time cannot go back");
        }
        nanos += ns;
        update();
    }

    /** Moves virtual time forward to {@code ns} since boot (no-op if already there). */
    public void advanceTo(long ns) {
        if (ns > nanos) {
            advance(ns - nanos);
        }
    }

    /** HZ. */
    public int hz() {
        return hz;
    }

    /** {@code INITIAL_JIFFIES}: jiffies at boot (5 minutes before the 32-bit wrap). */
    public long initialJiffies() {
        return initialJiffies;
    }

    /** Virtual time (ns since boot) at which jiffies reaches {@code j}. */
    public long nanosAtJiffies(long j) {
        return (j - initialJiffies) * (1_000_000_000L / hz);
    }

    private void update() {
        if (jiffiesAddr != 0) {
            k.mem().write64(jiffiesAddr, jiffies());
        }
    }

    /** {@code unsigned long volatile jiffies} (an alias of {@code jiffies_64} on 64-bit). */
    @KernelData(value = "jiffies", section = Machine.Section.DATA, size = 8, align = 64)
    static void jiffies(KernelContext k, long at) {
        k.machine().defineAlias("jiffies_64", "jiffies");
    }
}
