package dev.kmodemu.kstubs.lib;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/** lib/math/rational.c: the best rational approximation within bounds, by continued fractions. */
public final class Rational {
    private Rational() {
    }

    private static boolean gt(long a, long b) {
        return Long.compareUnsigned(a, b) > 0;
    }

    /**
     * void rational_best_approximation(unsigned long given_numerator, unsigned long
     * given_denominator, unsigned long max_numerator, unsigned long max_denominator, unsigned
     * long *best_numerator, unsigned long *best_denominator)
     */
    @KernelSymbol("rational_best_approximation")
    static void bestApproximation(KernelContext k, long givenNumerator, long givenDenominator, long maxNumerator,
            long maxDenominator, long bestNumerator, long bestDenominator) {
        long n = givenNumerator;
        long d = givenDenominator;
        long n0 = 0;
        long d1 = 0;
        long n1 = 1;
        long d0 = 1;
        while (d != 0) {
            long dp = d;
            long a = Long.divideUnsigned(n, d);
            d = Long.remainderUnsigned(n, d);
            n = dp;
            long n2 = n0 + a * n1;
            long d2 = d0 + a * d1;
            if (gt(n2, maxNumerator) || gt(d2, maxDenominator)) {
                long t = -1L;
                if (d1 != 0) {
                    t = Long.divideUnsigned(maxDenominator - d0, d1);
                }
                if (n1 != 0) {
                    long u = Long.divideUnsigned(maxNumerator - n0, n1);
                    t = gt(t, u) ? u : t;
                }
                if (d1 == 0 || gt(2 * t, a) || (2 * t == a && gt(d0 * dp, d1 * d))) {
                    n1 = n0 + t * n1;
                    d1 = d0 + t * d1;
                }
                break;
            }
            n0 = n1;
            n1 = n2;
            d0 = d1;
            d1 = d2;
        }
        k.mem().write64(bestNumerator, n1);
        k.mem().write64(bestDenominator, d1);
    }
}
