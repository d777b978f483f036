package dev.kmodemu.kstubs.lib;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/** lib/math/gcd.c: the greatest common divisor of two unsigned longs (gcd(0, b) is b). */
public final class Gcd {
    private Gcd() {
    }

    /** {@code gcd()} for Java callers. */
    public static long gcd(long a, long b) {
        if (a == 0 || b == 0) {
            return a | b;
        }
        int shift = Long.numberOfTrailingZeros(a | b);
        a >>>= Long.numberOfTrailingZeros(a);
        while (b != 0) {
            b >>>= Long.numberOfTrailingZeros(b);
            if (Long.compareUnsigned(a, b) > 0) {
                long t = a;
                a = b;
                b = t;
            }
            b -= a;
        }
        return a << shift;
    }

    /** unsigned long gcd(unsigned long a, unsigned long b) */
    @KernelSymbol("gcd")
    static long gcdSym(KernelContext k, long a, long b) {
        return gcd(a, b);
    }
}
