package dev.kmodemu.kstubs.kernel;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * kernel/softirq.c (without PREEMPT_RT or TRACE_IRQFLAGS): the bottom-half enable side.
 * {@code local_bh_disable()} is inline (it adds {@code SOFTIRQ_DISABLE_OFFSET} to the preempt
 * count); these take it off again. Softirqs are never left pending in kmodemu (timers run from
 * the scheduler, in softirq context, at the points where time moves), so there is nothing for
 * {@code do_softirq()} to run here.
 */
public final class Softirq {
    private Softirq() {
    }

    private static void preemptCountSub(KernelContext k, int cnt) {
        long pc = k.machine().percpu("__preempt_count");
        k.mem().write32(pc, k.mem().read32(pc) - cnt);
    }

    private static void warnInHardirq(KernelContext k, String where, String fn) {
        long pc = k.machine().percpu("__preempt_count");
        if ((k.mem().read32(pc) & k.profile().value("HARDIRQ_MASK")) != 0) {
            dev.kmodemu.kstubs.lib.OnceLite.warnOnce(k, where, fn, null);
        }
    }

    /** void __local_bh_enable_ip(unsigned long ip, unsigned int cnt) */
    @KernelSymbol("__local_bh_enable_ip")
    static void localBhEnableIp(KernelContext k, long ip, int cnt) {
        warnInHardirq(k, "kernel/softirq.c:400", "__local_bh_enable_ip");
        preemptCountSub(k, cnt);
    }

    /** void _local_bh_enable(void) */
    @KernelSymbol("_local_bh_enable")
    static void localBhEnable(KernelContext k) {
        warnInHardirq(k, "kernel/softirq.c:393", "_local_bh_enable");
        preemptCountSub(k, (int) k.profile().value("SOFTIRQ_DISABLE_OFFSET"));
    }
}
