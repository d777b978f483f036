package dev.kmodemu.kstubs.lib;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.locking.Locks;

/** lib/ratelimit.c: the state machine behind {@code printk_ratelimited()} and {@code __ratelimit()}. */
public final class Ratelimit {
    private Ratelimit() {
    }

    /**
     * int ___ratelimit(struct ratelimit_state *rs, const char *func)
     *
     * <p>Allows {@code burst} events per {@code interval} jiffies; when a new interval begins, the
     * events suppressed in the last one are reported as "{@code func: N callbacks suppressed}"
     * (unless {@code RATELIMIT_MSG_ON_RELEASE}). Returns 1 if the caller may go ahead.
     */
    @KernelSymbol("___ratelimit")
    public static int ratelimit(KernelContext k, long rs, long func) {
        AddressSpace m = k.mem();
        int interval = m.read32(rs + k.off("ratelimit_state_interval"));
        int burst = m.read32(rs + k.off("ratelimit_state_burst"));
        if (interval == 0) {
            return 1;
        }
        long lock = rs + k.off("ratelimit_state_lock");
        if (Locks.rawSpinTrylock(k, lock) == 0) {
            return 0;
        }
        long beginAt = rs + k.off("ratelimit_state_begin");
        long printedAt = rs + k.off("ratelimit_state_printed");
        long missedAt = rs + k.off("ratelimit_state_missed");
        long jiffies = k.clock().jiffies();
        if (m.read64(beginAt) == 0) {
            m.write64(beginAt, jiffies);
        }
        if (m.read64(beginAt) + interval - jiffies < 0) {
            int missed = m.read32(missedAt);
            if (missed != 0 && (m.read64(rs + k.off("ratelimit_state_flags"))
                    & k.profile().value("RATELIMIT_MSG_ON_RELEASE")) == 0) {
                k.printk(4, k.string(func, 256) + ": " + missed + " callbacks suppressed");
                m.write32(missedAt, 0);
            }
            m.write64(beginAt, jiffies);
            m.write32(printedAt, 0);
        }
        int ret;
        int printed = m.read32(printedAt);
        if (burst != 0 && burst > printed) {
            m.write32(printedAt, printed + 1);
            ret = 1;
        } else {
            m.write32(missedAt, m.read32(missedAt) + 1);
            ret = 0;
        }
        Locks.rawSpinUnlock(k, lock);
        return ret;
    }
}
