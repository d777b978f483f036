package dev.kmodemu.kstubs.lib;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * lib/hweight.c: the software population counts that {@code hweight*()} falls back to on CPUs
 * without {@code popcnt} (x86's {@code __arch_hweight*} calls them through an alternative).
 * {@code __sw_hweight8} and {@code __sw_hweight16} exist in vmlinux but are not exported.
 */
public final class Hweight {
    private Hweight() {
    }

    /** unsigned int __sw_hweight32(unsigned int w) */
    @KernelSymbol("__sw_hweight32")
    static int hweight32(KernelContext k, int w) {
        return Integer.bitCount(w);
    }

    /** unsigned long __sw_hweight64(__u64 w) */
    @KernelSymbol("__sw_hweight64")
    static long hweight64(KernelContext k, long w) {
        return Long.bitCount(w);
    }
}
