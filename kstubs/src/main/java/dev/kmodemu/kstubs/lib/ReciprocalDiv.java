package dev.kmodemu.kstubs.lib;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * lib/math/reciprocal_div.c: the multiplier and shifts that let the inline
 * {@code reciprocal_divide()} divide by {@code d} with a multiplication.
 */
public final class ReciprocalDiv {
    private ReciprocalDiv() {
    }

    /**
     * struct reciprocal_value reciprocal_value(u32 d): returned in rax as {@code m} (bits 0-31),
     * {@code sh1} (32-39) and {@code sh2} (40-47).
     */
    @KernelSymbol("reciprocal_value")
    static long reciprocalValue(KernelContext k, int d) {
        int l = 32 - Integer.numberOfLeadingZeros(d - 1);
        long m = (1L << 32) * ((1L << l) - Integer.toUnsignedLong(d));
        m = Long.divideUnsigned(m, Integer.toUnsignedLong(d)) + 1;
        long sh1 = Math.min(l, 1);
        long sh2 = Math.max(l - 1, 0);
        return (m & 0xffffffffL) | sh1 << 32 | sh2 << 40;
    }
}
