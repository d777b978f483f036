package dev.kmodemu.kstubs.lib;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.locking.Locks;

/**
 * lib/refcount.c: the out-of-line parts of {@code refcount_t}. The inline fast paths
 * ({@code refcount_inc}, {@code refcount_dec_and_test}, ...) run in module code and call
 * {@code refcount_warn_saturate()} when they see an overflow or a use after free; the counter is
 * then pinned at {@code REFCOUNT_SATURATED} and the event is reported once per kind (one
 * {@code WARN_ONCE} per line, as in the kernel).
 */
public final class Refcount {
    private Refcount() {
    }

    private static final String FILE = "lib/refcount.c:";

    /** void refcount_warn_saturate(refcount_t *r, enum refcount_saturation_type t) */
    @KernelSymbol("refcount_warn_saturate")
    public static void warnSaturate(KernelContext k, long r, int t) {
        k.mem().write32(r, (int) k.profile().value("REFCOUNT_SATURATED"));
        int line;
        String what;
        if (t == k.profile().value("REFCOUNT_ADD_NOT_ZERO_OVF")) {
            line = 19;
            what = "saturated; leaking memory";
        } else if (t == k.profile().value("REFCOUNT_ADD_OVF")) {
            line = 22;
            what = "saturated; leaking memory";
        } else if (t == k.profile().value("REFCOUNT_ADD_UAF")) {
            line = 25;
            what = "addition on 0; use-after-free";
        } else if (t == k.profile().value("REFCOUNT_SUB_UAF")) {
            line = 28;
            what = "underflow; use-after-free";
        } else if (t == k.profile().value("REFCOUNT_DEC_LEAK")) {
            line = 31;
            what = "decrement hit 0; leaking memory";
        } else {
            line = 34;
            what = "unknown saturation event!?";
        }
        OnceLite.warnOnce(k, FILE + line, "refcount_warn_saturate", "refcount_t: " + what + ".");
    }

    /** bool refcount_dec_if_one(refcount_t *r): 1 becomes 0, anything else stays. */
    @KernelSymbol("refcount_dec_if_one")
    static boolean decIfOne(KernelContext k, long r) {
        if (k.mem().read32(r) != 1) {
            return false;
        }
        k.mem().write32(r, 0);
        return true;
    }

    /**
     * bool refcount_dec_not_one(refcount_t *r): decrements unless the count is 1 (false) or
     * saturated (true, unchanged); an underflow from 0 warns and leaves it.
     */
    @KernelSymbol("refcount_dec_not_one")
    public static boolean decNotOne(KernelContext k, long r) {
        AddressSpace m = k.mem();
        int val = m.read32(r);
        if (val == (int) k.profile().value("REFCOUNT_SATURATED")) {
            return true;
        }
        if (val == 1) {
            return false;
        }
        int next = val - 1;
        if (Integer.compareUnsigned(next, val) > 0) {
            OnceLite.warnOnce(k, FILE + "87", "refcount_dec_not_one", "refcount_t: underflow; use-after-free.");
            return true;
        }
        m.write32(r, next);
        return true;
    }

    /** The inline {@code refcount_dec_and_test()} ({@code __refcount_sub_and_test(1, r, NULL)}). */
    public static boolean decAndTest(KernelContext k, long r) {
        int old = k.mem().read32(r);
        k.mem().write32(r, old - 1);
        if (old == 1) {
            return true;
        }
        if (old < 0 || old - 1 < 0) {
            warnSaturate(k, r, (int) k.profile().value("REFCOUNT_SUB_UAF"));
        }
        return false;
    }

    /** bool refcount_dec_and_mutex_lock(refcount_t *r, struct mutex *lock) */
    @KernelSymbol("refcount_dec_and_mutex_lock")
    static boolean decAndMutexLock(KernelContext k, long r, long lock) {
        if (decNotOne(k, r)) {
            return false;
        }
        Locks.mutexLock(k, lock);
        if (!decAndTest(k, r)) {
            Locks.mutexUnlock(k, lock);
            return false;
        }
        return true;
    }

    /** bool refcount_dec_and_lock(refcount_t *r, spinlock_t *lock) */
    @KernelSymbol("refcount_dec_and_lock")
    static boolean decAndLock(KernelContext k, long r, long lock) {
        if (decNotOne(k, r)) {
            return false;
        }
        Locks.spinLock(k, lock, "refcount_dec_and_lock");
        if (!decAndTest(k, r)) {
            Locks.rawSpinUnlock(k, lock);
            return false;
        }
        return true;
    }

    /** bool refcount_dec_and_lock_irqsave(refcount_t *r, spinlock_t *lock, unsigned long *flags) */
    @KernelSymbol("refcount_dec_and_lock_irqsave")
    static boolean decAndLockIrqsave(KernelContext k, long r, long lock, long flags) {
        if (decNotOne(k, r)) {
            return false;
        }
        k.mem().write64(flags, k.frame().register(dev.kmodemu.emu.Reg.EFLAGS));
        Locks.spinLock(k, lock, "refcount_dec_and_lock_irqsave");
        if (!decAndTest(k, r)) {
            Locks.rawSpinUnlock(k, lock);
            return false;
        }
        return true;
    }
}
