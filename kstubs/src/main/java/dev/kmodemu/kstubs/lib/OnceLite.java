package dev.kmodemu.kstubs.lib;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.kernel.Oops;

import java.util.HashSet;
import java.util.Set;

/**
 * include/linux/once_lite.h ({@code DO_ONCE_LITE_IF}) as {@code WARN_ONCE(1, fmt, ...)} uses it in
 * kernel code implemented in Java: each call site (a source location) warns the first time only,
 * per booted kernel.
 */
public final class OnceLite {
    private OnceLite() {
    }

    private static final class Done {
        final Set<String> sites = new HashSet<>();
    }

    /**
     * {@code WARN_ONCE(1, message)} at {@code where} ({@code file:line}) in kernel function
     * {@code function}: the whole WARN report the first time, nothing afterwards.
     */
    public static void warnOnce(KernelContext k, String where, String function, String message) {
        Done d = k.state(Done.class, Done::new);
        if (d.sites.add(where)) {
            Oops.warn(k, where, function, message);
        }
    }
}
