package dev.kmodemu.kstubs.lib;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

import java.util.function.LongUnaryOperator;

/**
 * lib/find_bit.c: bit searches over bitmaps in guest memory, word by word as the kernel's
 * {@code FIND_FIRST_BIT}/{@code FIND_NEXT_BIT}/{@code FIND_NTH_BIT} macros read them (a search
 * never reads a word past the one holding bit {@code size - 1}). Not found returns {@code size}.
 */
public final class FindBit {
    private FindBit() {
    }

    private static final int BITS = 64;

    /** {@code BITMAP_FIRST_WORD_MASK(start)}. */
    static long firstWordMask(long start) {
        return -1L << (start & (BITS - 1));
    }

    /** {@code BITMAP_LAST_WORD_MASK(nbits)}. */
    static long lastWordMask(long nbits) {
        return -1L >>> (-nbits & (BITS - 1));
    }

    private static long min(long a, long b) {
        return Long.compareUnsigned(a, b) < 0 ? a : b;
    }

    private static long first(LongUnaryOperator fetch, long size) {
        for (long idx = 0; Long.compareUnsigned(idx * BITS, size) < 0; idx++) {
            long val = fetch.applyAsLong(idx);
            if (val != 0) {
                return min(idx * BITS + Long.numberOfTrailingZeros(val), size);
            }
        }
        return size;
    }

    /** {@code FIND_NEXT_BIT()}: the first set bit of {@code fetch} at or after {@code start}. */
    static long next(LongUnaryOperator fetch, long size, long start) {
        if (Long.compareUnsigned(start, size) >= 0) {
            return size;
        }
        long idx = start >>> 6;
        long tmp = fetch.applyAsLong(idx) & firstWordMask(start);
        while (tmp == 0) {
            if (Long.compareUnsigned((idx + 1) * BITS, size) >= 0) {
                return size;
            }
            idx++;
            tmp = fetch.applyAsLong(idx);
        }
        return min(idx * BITS + Long.numberOfTrailingZeros(tmp), size);
    }

    /** {@code fns()}: the position of the {@code n}th set bit of {@code word}, or 64. */
    private static long fns(long word, long n) {
        while (word != 0) {
            int bit = Long.numberOfTrailingZeros(word);
            if (n-- == 0) {
                return bit;
            }
            word &= ~(1L << bit);
        }
        return BITS;
    }

    private static long nth(LongUnaryOperator fetch, long size, long n) {
        long nr = n;
        long idx;
        long tmp = 0;
        for (idx = 0; Long.compareUnsigned((idx + 1) * BITS, size) <= 0; idx++) {
            if (Long.compareUnsigned(idx * BITS + nr, size) >= 0) {
                return size;
            }
            tmp = fetch.applyAsLong(idx);
            long w = Long.bitCount(tmp);
            if (Long.compareUnsigned(w, nr) > 0) {
                return min(idx * BITS + fns(tmp, nr), size);
            }
            nr -= w;
        }
        if ((size & (BITS - 1)) != 0) {
            tmp = fetch.applyAsLong(idx) & lastWordMask(size);
        }
        return min(idx * BITS + fns(tmp, nr), size);
    }

    private static LongUnaryOperator words(KernelContext k, long addr) {
        AddressSpace m = k.mem();
        return i -> m.read64(addr + 8 * i);
    }

    /** The first set bit at or after {@code start} in the bitmap at {@code addr} (Java callers). */
    public static long findNextBit(KernelContext k, long addr, long size, long start) {
        return next(words(k, addr), size, start);
    }

    /** The first clear bit at or after {@code start} in the bitmap at {@code addr} (Java callers). */
    public static long findNextZeroBit(KernelContext k, long addr, long size, long start) {
        LongUnaryOperator w = words(k, addr);
        return next(i -> ~w.applyAsLong(i), size, start);
    }

    /** unsigned long _find_first_bit(const unsigned long *addr, unsigned long size) */
    @KernelSymbol("_find_first_bit")
    static long findFirstBit(KernelContext k, long addr, long size) {
        return first(words(k, addr), size);
    }

    /** unsigned long _find_first_and_bit(const unsigned long *addr1, const unsigned long *addr2, unsigned long size) */
    @KernelSymbol("_find_first_and_bit")
    static long findFirstAndBit(KernelContext k, long addr1, long addr2, long size) {
        LongUnaryOperator a = words(k, addr1);
        LongUnaryOperator b = words(k, addr2);
        return first(i -> a.applyAsLong(i) & b.applyAsLong(i), size);
    }

    /** unsigned long _find_first_zero_bit(const unsigned long *addr, unsigned long size) */
    @KernelSymbol("_find_first_zero_bit")
    static long findFirstZeroBit(KernelContext k, long addr, long size) {
        LongUnaryOperator a = words(k, addr);
        return first(i -> ~a.applyAsLong(i), size);
    }

    /** unsigned long _find_next_bit(const unsigned long *addr, unsigned long nbits, unsigned long start) */
    @KernelSymbol("_find_next_bit")
    static long findNextBitSym(KernelContext k, long addr, long nbits, long start) {
        return findNextBit(k, addr, nbits, start);
    }

    /**
     * unsigned long _find_next_and_bit(const unsigned long *addr1, const unsigned long *addr2,
     * unsigned long nbits, unsigned long start)
     */
    @KernelSymbol("_find_next_and_bit")
    static long findNextAndBit(KernelContext k, long addr1, long addr2, long nbits, long start) {
        LongUnaryOperator a = words(k, addr1);
        LongUnaryOperator b = words(k, addr2);
        return next(i -> a.applyAsLong(i) & b.applyAsLong(i), nbits, start);
    }

    /**
     * unsigned long _find_next_andnot_bit(const unsigned long *addr1, const unsigned long *addr2,
     * unsigned long nbits, unsigned long start)
     */
    @KernelSymbol("_find_next_andnot_bit")
    static long findNextAndnotBit(KernelContext k, long addr1, long addr2, long nbits, long start) {
        LongUnaryOperator a = words(k, addr1);
        LongUnaryOperator b = words(k, addr2);
        return next(i -> a.applyAsLong(i) & ~b.applyAsLong(i), nbits, start);
    }

    /** unsigned long _find_next_zero_bit(const unsigned long *addr, unsigned long nbits, unsigned long start) */
    @KernelSymbol("_find_next_zero_bit")
    static long findNextZeroBitSym(KernelContext k, long addr, long nbits, long start) {
        return findNextZeroBit(k, addr, nbits, start);
    }

    /** unsigned long __find_nth_bit(const unsigned long *addr, unsigned long size, unsigned long n) */
    @KernelSymbol("__find_nth_bit")
    static long findNthBit(KernelContext k, long addr, long size, long n) {
        return nth(words(k, addr), size, n);
    }

    /**
     * unsigned long __find_nth_and_bit(const unsigned long *addr1, const unsigned long *addr2,
     * unsigned long size, unsigned long n)
     */
    @KernelSymbol("__find_nth_and_bit")
    static long findNthAndBit(KernelContext k, long addr1, long addr2, long size, long n) {
        LongUnaryOperator a = words(k, addr1);
        LongUnaryOperator b = words(k, addr2);
        return nth(i -> a.applyAsLong(i) & b.applyAsLong(i), size, n);
    }

    /**
     * unsigned long __find_nth_andnot_bit(const unsigned long *addr1, const unsigned long *addr2,
     * unsigned long size, unsigned long n)
     */
    @KernelSymbol("__find_nth_andnot_bit")
    static long findNthAndnotBit(KernelContext k, long addr1, long addr2, long size, long n) {
        LongUnaryOperator a = words(k, addr1);
        LongUnaryOperator b = words(k, addr2);
        return nth(i -> a.applyAsLong(i) & ~b.applyAsLong(i), size, n);
    }

    /** unsigned long _find_last_bit(const unsigned long *addr, unsigned long size) */
    @KernelSymbol("_find_last_bit")
    static long findLastBit(KernelContext k, long addr, long size) {
        if (size != 0) {
            long val = lastWordMask(size);
            long idx = (size - 1) >>> 6;
            do {
                val &= k.mem().read64(addr + 8 * idx);
                if (val != 0) {
                    return idx * BITS + 63 - Long.numberOfLeadingZeros(val);
                }
                val = -1L;
            } while (idx-- != 0);
        }
        return size;
    }

    /**
     * unsigned long find_next_clump8(unsigned long *clump, const unsigned long *addr,
     * unsigned long size, unsigned long offset)
     */
    @KernelSymbol("find_next_clump8")
    static long findNextClump8(KernelContext k, long clump, long addr, long size, long offset) {
        offset = findNextBit(k, addr, size, offset);
        if (offset == size) {
            return size;
        }
        offset &= ~7L;
        long word = k.mem().read64(addr + 8 * (offset >>> 6));
        k.mem().write64(clump, (word >>> (offset & 63)) & 0xff);
        return offset;
    }
}
