package dev.kmodemu.kstubs.lib;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/** lib/math/lcm.c: the lowest common multiple (0 if either is 0; the product wraps as in C). */
public final class Lcm {
    private Lcm() {
    }

    /** unsigned long lcm(unsigned long a, unsigned long b) */
    @KernelSymbol("lcm")
    static long lcm(KernelContext k, long a, long b) {
        return a != 0 && b != 0 ? Long.divideUnsigned(a, Gcd.gcd(a, b)) * b : 0;
    }

    /** unsigned long lcm_not_zero(unsigned long a, unsigned long b) */
    @KernelSymbol("lcm_not_zero")
    static long lcmNotZero(KernelContext k, long a, long b) {
        long l = lcm(k, a, b);
        return l != 0 ? l : b != 0 ? b : a;
    }
}
