package dev.kmodemu.kstubs;

/**
 * The checks a kernel runs that Debian's production kernel does not have, as a debug kernel would
 * (each can be switched off, e.g. to reproduce exactly what Debian's kernel does):
 *
 * @param kasan KASAN: redzones around kmalloc, kmem_cache and vmalloc objects, use-after-free with a
 *        quarantine, double and invalid frees, reported as {@code BUG: KASAN: ...}
 *        ({@link dev.kmodemu.kstubs.mm.Kasan})
 * @param kasanMultiShot report every KASAN error, as {@code kasan_multi_shot} on the kernel command
 *        line; without it only the first one is reported, as the kernel does
 * @param kmemleak kmemleak: objects a module allocated that nothing references any more, reported at
 *        its rmmod and by {@link Kernel#kmemleakScan()} ({@link dev.kmodemu.kstubs.mm.Kmemleak})
 * @param leftovers what a module leaves registered when it is unloaded (files, devices, timers, work,
 *        threads, interrupt handlers), reported at rmmod; timers, work and interrupt handlers are
 *        cancelled so that nothing runs in freed memory ({@link dev.kmodemu.kstubs.module.Leftovers})
 * @param locks lockdep's and {@code CONFIG_DEBUG_ATOMIC_SLEEP}'s checks: unlocking a lock not held,
 *        returning to user space with a lock held, sleeping in atomic context
 *        ({@link dev.kmodemu.kstubs.locking.Lockdep})
 */
public record Checks(boolean kasan, boolean kasanMultiShot, boolean kmemleak, boolean leftovers, boolean locks) {
    /** Every check on (KASAN reporting once): the default. */
    public static final Checks ALL = new Checks(true, false, true, true, true);
    /** No check: Debian's production kernel. */
    public static final Checks NONE = new Checks(false, false, false, false, false);

    public Checks withKasan(boolean on) {
        return new Checks(on, kasanMultiShot, kmemleak, leftovers, locks);
    }

    public Checks withKasanMultiShot(boolean on) {
        return new Checks(kasan, on, kmemleak, leftovers, locks);
    }

    public Checks withKmemleak(boolean on) {
        return new Checks(kasan, kasanMultiShot, on, leftovers, locks);
    }

    public Checks withLeftovers(boolean on) {
        return new Checks(kasan, kasanMultiShot, kmemleak, on, locks);
    }

    public Checks withLocks(boolean on) {
        return new Checks(kasan, kasanMultiShot, kmemleak, leftovers, on);
    }
}
