package dev.kmodemu.kstubs.time;

import dev.kmodemu.emu.Reg;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * arch/x86/lib/delay.c: busy-waiting delays. The CPU spins, so virtual time passes without the
 * task sleeping: timers still fire in between when interrupts are enabled and the CPU is not
 * already in interrupt context, as on a real CPU, but no other work gets to run.
 */
public final class Delay {
    private Delay() {
    }

    /** Spins for {@code ns} nanoseconds of virtual time. */
    static void spin(KernelContext k, long ns) {
        long target = k.clock().nanos() + ns;
        boolean irqsOn = (k.machine().cpu().get(Reg.EFLAGS) & 0x200) != 0;
        int pc = k.mem().read32(k.machine().percpu("__preempt_count"));
        int irqMask = (int) (k.profile().value("HARDIRQ_OFFSET") * 0xf | k.profile().value("SOFTIRQ_OFFSET") * 0xff);
        if (irqsOn && (pc & irqMask) == 0) {
            k.scheduler().advanceTimersTo(target);
        } else {
            k.clock().advanceTo(target);
        }
    }

    /**
     * void __const_udelay(unsigned long xloops): {@code xloops} is the delay in units of
     * 2^-32 s (udelay(n) passes n * 0x10c7), rounded up to whole nanoseconds.
     */
    @KernelSymbol("__const_udelay")
    static void constUdelay(KernelContext k, long xloops) {
        long hi = Math.unsignedMultiplyHigh(xloops, 1_000_000_000L);
        long lo = xloops * 1_000_000_000L;
        long ns = (hi << 32) | (lo >>> 32);
        if ((lo & 0xffffffffL) != 0) {
            ns++;
        }
        spin(k, ns);
    }

    /** void __udelay(unsigned long usecs) */
    @KernelSymbol("__udelay")
    public static void udelay(KernelContext k, long usecs) {
        spin(k, usecs * 1000);
    }

    /** void __ndelay(unsigned long nsecs) */
    @KernelSymbol("__ndelay")
    static void ndelay(KernelContext k, long nsecs) {
        spin(k, nsecs);
    }

    /** void __delay(unsigned long loops): at the emulated CPU's 1 loop per nanosecond. */
    @KernelSymbol("__delay")
    static void delay(KernelContext k, long loops) {
        spin(k, loops);
    }
}
