package dev.kmodemu.kstubs.lib;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.fs.LibfsMemory;
import dev.kmodemu.kstubs.mm.Gfp;
import dev.kmodemu.kstubs.mm.Slab;
import dev.kmodemu.kstubs.mm.Util;
import dev.kmodemu.kstubs.printk.Printk;

import java.nio.charset.StandardCharsets;

/**
 * lib/bitmap.c: the out-of-line bitmap operations (used when the size is not a small constant),
 * word by word on guest memory with the kernel's treatment of the last partial word (some
 * operations mask it, others copy or complement whole words), region allocation, parsing and
 * printing, and the bitmap allocators.
 */
public final class Bitmap {
    private Bitmap() {
    }

    private static final int BITS = 64;

    private static long u(int v) {
        return Integer.toUnsignedLong(v);
    }

    private static long longs(long bits) {
        return (bits + BITS - 1) >>> 6;
    }

    private static long w(AddressSpace m, long map, long i) {
        return m.read64(map + 8 * i);
    }

    private static void setW(AddressSpace m, long map, long i, long v) {
        m.write64(map + 8 * i, v);
    }

    /** bool __bitmap_equal(const unsigned long *bitmap1, const unsigned long *bitmap2, unsigned int bits) */
    @KernelSymbol("__bitmap_equal")
    static boolean equal(KernelContext k, long b1, long b2, int nbits) {
        AddressSpace m = k.mem();
        long bits = u(nbits);
        long lim = bits / BITS;
        long i;
        for (i = 0; i < lim; i++) {
            if (w(m, b1, i) != w(m, b2, i)) {
                return false;
            }
        }
        return bits % BITS == 0 || ((w(m, b1, i) ^ w(m, b2, i)) & FindBit.lastWordMask(bits)) == 0;
    }

    /** void __bitmap_complement(unsigned long *dst, const unsigned long *src, unsigned int bits) */
    @KernelSymbol("__bitmap_complement")
    static void complement(KernelContext k, long dst, long src, int nbits) {
        AddressSpace m = k.mem();
        for (long i = 0, lim = longs(u(nbits)); i < lim; i++) {
            setW(m, dst, i, ~w(m, src, i));
        }
    }

    /** void __bitmap_shift_right(unsigned long *dst, const unsigned long *src, unsigned shift, unsigned nbits) */
    @KernelSymbol("__bitmap_shift_right")
    static void shiftRight(KernelContext k, long dst, long src, int shift, int nbits) {
        AddressSpace m = k.mem();
        long lim = longs(u(nbits));
        long off = u(shift) / BITS;
        int rem = (int) (u(shift) % BITS);
        long mask = FindBit.lastWordMask(u(nbits));
        for (long i = 0; off + i < lim; i++) {
            long upper;
            if (rem == 0 || off + i + 1 >= lim) {
                upper = 0;
            } else {
                upper = w(m, src, off + i + 1);
                if (off + i + 1 == lim - 1) {
                    upper &= mask;
                }
                upper <<= BITS - rem;
            }
            long lower = w(m, src, off + i);
            if (off + i == lim - 1) {
                lower &= mask;
            }
            lower >>>= rem;
            setW(m, dst, i, lower | upper);
        }
        if (off != 0) {
            m.fill(dst + 8 * (lim - off), 8 * off, (byte) 0);
        }
    }

    /** void __bitmap_shift_left(unsigned long *dst, const unsigned long *src, unsigned int shift, unsigned int nbits) */
    @KernelSymbol("__bitmap_shift_left")
    static void shiftLeft(KernelContext k, long dst, long src, int shift, int nbits) {
        AddressSpace m = k.mem();
        long lim = longs(u(nbits));
        long off = u(shift) / BITS;
        int rem = (int) (u(shift) % BITS);
        for (long i = lim - off - 1; i >= 0; i--) {
            long lower = rem != 0 && i > 0 ? w(m, src, i - 1) >>> (BITS - rem) : 0;
            long upper = w(m, src, i) << rem;
            setW(m, dst, i + off, lower | upper);
        }
        if (off != 0) {
            m.fill(dst, 8 * off, (byte) 0);
        }
    }

    /**
     * void bitmap_cut(unsigned long *dst, const unsigned long *src, unsigned int first,
     * unsigned int cut, unsigned int nbits)
     */
    @KernelSymbol("bitmap_cut")
    static void cut(KernelContext k, long dst, long src, int first, int cut, int nbits) {
        AddressSpace m = k.mem();
        long len = longs(u(nbits));
        long f = u(first);
        long keep = 0;
        if (f % BITS != 0) {
            keep = w(m, src, f / BITS) & (-1L >>> (BITS - f % BITS));
        }
        if (len != 0) {
            m.copy(dst, src, 8 * len);
        }
        for (long c = u(cut); c > 0; c--) {
            for (long i = f / BITS; i < len; i++) {
                long carry = i < len - 1 ? w(m, dst, i + 1) & 1 : 0;
                setW(m, dst, i, (w(m, dst, i) >>> 1) | (carry << (BITS - 1)));
            }
        }
        setW(m, dst, f / BITS, (w(m, dst, f / BITS) & (-1L << (f % BITS))) | keep);
    }

    /** The two-operand forms: {@code op} per word; {@code masked}: last partial word masked, result tested. */
    private interface Op {
        long apply(long a, long b);
    }

    private static boolean maskedOp(KernelContext k, long dst, long b1, long b2, long bits, Op op) {
        AddressSpace m = k.mem();
        long lim = bits / BITS;
        long result = 0;
        long i;
        for (i = 0; i < lim; i++) {
            long v = op.apply(w(m, b1, i), w(m, b2, i));
            setW(m, dst, i, v);
            result |= v;
        }
        if (bits % BITS != 0) {
            long v = op.apply(w(m, b1, i), w(m, b2, i)) & FindBit.lastWordMask(bits);
            setW(m, dst, i, v);
            result |= v;
        }
        return result != 0;
    }

    private static void wholeOp(KernelContext k, long dst, long b1, long b2, long bits, Op op) {
        AddressSpace m = k.mem();
        for (long i = 0, nr = longs(bits); i < nr; i++) {
            setW(m, dst, i, op.apply(w(m, b1, i), w(m, b2, i)));
        }
    }

    /** bool __bitmap_and(unsigned long *dst, const unsigned long *bitmap1, const unsigned long *bitmap2, unsigned int bits) */
    @KernelSymbol("__bitmap_and")
    static boolean and(KernelContext k, long dst, long b1, long b2, int bits) {
        return maskedOp(k, dst, b1, b2, u(bits), (a, b) -> a & b);
    }

    /** bool __bitmap_andnot(unsigned long *dst, const unsigned long *bitmap1, const unsigned long *bitmap2, unsigned int bits) */
    @KernelSymbol("__bitmap_andnot")
    static boolean andnot(KernelContext k, long dst, long b1, long b2, int bits) {
        return maskedOp(k, dst, b1, b2, u(bits), (a, b) -> a & ~b);
    }

    /** void __bitmap_or(unsigned long *dst, const unsigned long *bitmap1, const unsigned long *bitmap2, unsigned int bits) */
    @KernelSymbol("__bitmap_or")
    static void or(KernelContext k, long dst, long b1, long b2, int bits) {
        wholeOp(k, dst, b1, b2, u(bits), (a, b) -> a | b);
    }

    /** void __bitmap_xor(unsigned long *dst, const unsigned long *bitmap1, const unsigned long *bitmap2, unsigned int bits) */
    @KernelSymbol("__bitmap_xor")
    static void xor(KernelContext k, long dst, long b1, long b2, int bits) {
        wholeOp(k, dst, b1, b2, u(bits), (a, b) -> a ^ b);
    }

    /**
     * void __bitmap_replace(unsigned long *dst, const unsigned long *old, const unsigned long *new,
     * const unsigned long *mask, unsigned int nbits)
     */
    @KernelSymbol("__bitmap_replace")
    static void replace(KernelContext k, long dst, long old, long nw, long mask, int nbits) {
        AddressSpace m = k.mem();
        for (long i = 0, nr = longs(u(nbits)); i < nr; i++) {
            long mk = w(m, mask, i);
            setW(m, dst, i, (w(m, old, i) & ~mk) | (w(m, nw, i) & mk));
        }
    }

    /** Whether {@code op} is non-zero in some word (last partial word masked). */
    private static boolean any(KernelContext k, long b1, long b2, long bits, Op op) {
        AddressSpace m = k.mem();
        long lim = bits / BITS;
        long i;
        for (i = 0; i < lim; i++) {
            if (op.apply(w(m, b1, i), w(m, b2, i)) != 0) {
                return true;
            }
        }
        return bits % BITS != 0 && (op.apply(w(m, b1, i), w(m, b2, i)) & FindBit.lastWordMask(bits)) != 0;
    }

    /** bool __bitmap_intersects(const unsigned long *bitmap1, const unsigned long *bitmap2, unsigned int bits) */
    @KernelSymbol("__bitmap_intersects")
    static boolean intersects(KernelContext k, long b1, long b2, int bits) {
        return any(k, b1, b2, u(bits), (a, b) -> a & b);
    }

    /** bool __bitmap_subset(const unsigned long *bitmap1, const unsigned long *bitmap2, unsigned int bits) */
    @KernelSymbol("__bitmap_subset")
    static boolean subset(KernelContext k, long b1, long b2, int bits) {
        return !any(k, b1, b2, u(bits), (a, b) -> a & ~b);
    }

    /** {@code BITMAP_WEIGHT()}. */
    private static int weight(KernelContext k, long b1, long b2, long bits) {
        AddressSpace m = k.mem();
        int n = 0;
        long i;
        for (i = 0; i < bits / BITS; i++) {
            n += Long.bitCount(w(m, b1, i) & (b2 == 0 ? -1L : w(m, b2, i)));
        }
        if (bits % BITS != 0) {
            n += Long.bitCount(w(m, b1, i) & (b2 == 0 ? -1L : w(m, b2, i)) & FindBit.lastWordMask(bits));
        }
        return n;
    }

    /** unsigned int __bitmap_weight(const unsigned long *bitmap, unsigned int bits) */
    @KernelSymbol("__bitmap_weight")
    public static int weight(KernelContext k, long map, int bits) {
        return weight(k, map, 0, u(bits));
    }

    /** unsigned int __bitmap_weight_and(const unsigned long *bitmap1, const unsigned long *bitmap2, unsigned int bits) */
    @KernelSymbol("__bitmap_weight_and")
    static int weightAnd(KernelContext k, long b1, long b2, int bits) {
        return weight(k, b1, b2, u(bits));
    }

    /** {@code __bitmap_set()}/{@code __bitmap_clear()}: sets or clears {@code len} bits from {@code start}. */
    private static void change(KernelContext k, long map, long start, int len, boolean set) {
        AddressSpace m = k.mem();
        long p = map + 8 * (start / BITS);
        long size = (start + len) & 0xffffffffL;
        int bitsTo = (int) (BITS - start % BITS);
        long mask = FindBit.firstWordMask(start);
        while (len - bitsTo >= 0) {
            m.write64(p, set ? m.read64(p) | mask : m.read64(p) & ~mask);
            len -= bitsTo;
            bitsTo = BITS;
            mask = -1L;
            p += 8;
        }
        if (len != 0) {
            mask &= FindBit.lastWordMask(size);
            m.write64(p, set ? m.read64(p) | mask : m.read64(p) & ~mask);
        }
    }

    /** void __bitmap_set(unsigned long *map, unsigned int start, int len) */
    @KernelSymbol("__bitmap_set")
    public static void set(KernelContext k, long map, int start, int len) {
        change(k, map, u(start), len, true);
    }

    /** void __bitmap_clear(unsigned long *map, unsigned int start, int len) */
    @KernelSymbol("__bitmap_clear")
    public static void clear(KernelContext k, long map, int start, int len) {
        change(k, map, u(start), len, false);
    }

    /**
     * unsigned long bitmap_find_next_zero_area_off(unsigned long *map, unsigned long size,
     * unsigned long start, unsigned int nr, unsigned long align_mask, unsigned long align_offset)
     */
    @KernelSymbol("bitmap_find_next_zero_area_off")
    public static long findNextZeroAreaOff(KernelContext k, long map, long size, long start, int nr, long alignMask,
            long alignOffset) {
        while (true) {
            long index = FindBit.findNextZeroBit(k, map, size, start);
            index = ((index + alignOffset + alignMask) & ~alignMask) - alignOffset;
            long end = index + u(nr);
            if (Long.compareUnsigned(end, size) > 0) {
                return end;
            }
            long i = FindBit.findNextBit(k, map, end, index);
            if (Long.compareUnsigned(i, end) < 0) {
                start = i + 1;
                continue;
            }
            return index;
        }
    }

    // ---------------------------------------------------------------- printing

    /** The output of {@code "%*pbl\n"} or {@code "%*pb\n"} for the bitmap. */
    private static byte[] print(KernelContext k, boolean list, long maskp, int nmaskbits) {
        return Printk.format(k, list ? "%*pbl\n" : "%*pb\n", nmaskbits, maskp);
    }

    /** int bitmap_print_to_pagebuf(bool list, char *buf, const unsigned long *maskp, int nmaskbits) */
    @KernelSymbol("bitmap_print_to_pagebuf")
    static int printToPagebuf(KernelContext k, boolean list, long buf, long maskp, int nmaskbits) {
        long len = AddressSpace.PAGE - (buf & (AddressSpace.PAGE - 1));
        byte[] out = print(k, list, maskp, nmaskbits);
        int n = (int) Math.min(out.length, len - 1);
        byte[] wr = new byte[n + 1];
        System.arraycopy(out, 0, wr, 0, n);
        k.mem().write(buf, wr);
        return n;
    }

    /** {@code bitmap_print_to_buf()}: the formatted text and its NUL, read from offset {@code off}. */
    private static int printToBuf(KernelContext k, boolean list, long buf, long maskp, int nmaskbits, long off,
            long count) {
        byte[] out = print(k, list, maskp, nmaskbits);
        long data = k.slab().kmalloc(out.length + 1L, Gfp.KERNEL);
        if (data == 0) {
            return -Errno.ENOMEM;
        }
        k.mem().write(data, out);
        k.mem().write8(data + out.length, 0);
        long ppos = k.slab().kmalloc(8, Gfp.KERNEL);
        k.mem().write64(ppos, off);
        long size = LibfsMemory.memoryReadFromBuffer(k, buf, count, ppos, data, out.length + 1L);
        k.slab().kfree(ppos);
        k.slab().kfree(data);
        return (int) size;
    }

    /**
     * int bitmap_print_bitmask_to_buf(char *buf, const unsigned long *maskp, int nmaskbits,
     * loff_t off, size_t count)
     */
    @KernelSymbol("bitmap_print_bitmask_to_buf")
    static int printBitmaskToBuf(KernelContext k, long buf, long maskp, int nmaskbits, long off, long count) {
        return printToBuf(k, false, buf, maskp, nmaskbits, off, count);
    }

    /**
     * int bitmap_print_list_to_buf(char *buf, const unsigned long *maskp, int nmaskbits, loff_t off,
     * size_t count)
     */
    @KernelSymbol("bitmap_print_list_to_buf")
    static int printListToBuf(KernelContext k, long buf, long maskp, int nmaskbits, long off, long count) {
        return printToBuf(k, true, buf, maskp, nmaskbits, off, count);
    }

    // ---------------------------------------------------------------- parsing

    /** A failed parse: the errno, thrown out of the region parser. */
    private static final class ParseError extends Exception {
        final int errno;

        ParseError(int errno) {
            super(null, null, false, false);
            this.errno = errno;
        }
    }

    private static boolean isspace(int c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    private static boolean endOfStr(int c) {
        return c == 0 || c == '\n';
    }

    private static boolean endOfRegionInner(int c) {
        return isspace(c) || c == ',';
    }

    private static boolean endOfRegion(int c) {
        return endOfRegionInner(c) || endOfStr(c);
    }

    private static int ch(byte[] s, int i) {
        return i >= 0 && i < s.length ? s[i] & 0xff : 0;
    }

    /** {@code bitmap_getnum()}: returns {value, next index}. */
    private static long[] getnum(byte[] s, int at, long lastbit) throws ParseError {
        if (ch(s, at) == 'N') {
            return new long[] {lastbit, at + 1};
        }
        long[] r = Kstrtox.parseInteger(Kstrtox.Chars.of(s), at, 10, -1);
        int len = (int) r[1];
        if ((len & ~Kstrtox.KSTRTOX_OVERFLOW) == 0) {
            throw new ParseError(Errno.EINVAL);
        }
        if ((len & Kstrtox.KSTRTOX_OVERFLOW) != 0 || r[0] != (r[0] & 0xffffffffL)) {
            throw new ParseError(Errno.EOVERFLOW);
        }
        return new long[] {r[0], at + len};
    }

    /** int bitmap_parselist(const char *buf, unsigned long *maskp, int nmaskbits) */
    @KernelSymbol("bitmap_parselist")
    static int parselist(KernelContext k, long buf, long maskp, int nmaskbits) {
        return parselist(k, k.mem().readCBytes(buf, Integer.MAX_VALUE), maskp, nmaskbits);
    }

    private static int parselist(KernelContext k, byte[] s, long maskp, int nmaskbits) {
        long nbits = u(nmaskbits);
        if (nbits != 0) {
            k.mem().fill(maskp, 8 * longs(nbits), (byte) 0);
        }
        long lastbit = (nbits - 1) & 0xffffffffL;
        int at = 0;
        try {
            while (true) {
                while (endOfRegionInner(ch(s, at))) {
                    at++;
                }
                if (endOfStr(ch(s, at))) {
                    return 0;
                }
                long start;
                long end;
                long off;
                long groupLen;
                boolean pattern = true;
                if (at + 3 <= s.length && new String(s, at, 3, StandardCharsets.ISO_8859_1).equalsIgnoreCase("all")) {
                    start = 0;
                    end = lastbit;
                    at += 3;
                } else {
                    long[] r = getnum(s, at, lastbit);
                    start = r[0];
                    at = (int) r[1];
                    if (endOfRegion(ch(s, at))) {
                        end = start;
                        pattern = false;
                    } else {
                        if (ch(s, at) != '-') {
                            throw new ParseError(Errno.EINVAL);
                        }
                        r = getnum(s, at + 1, lastbit);
                        end = r[0];
                        at = (int) r[1];
                    }
                }
                if (pattern && !endOfRegion(ch(s, at))) {
                    if (ch(s, at) != ':') {
                        throw new ParseError(Errno.EINVAL);
                    }
                    long[] r = getnum(s, at + 1, lastbit);
                    off = r[0];
                    at = (int) r[1];
                    if (ch(s, at) != '/') {
                        throw new ParseError(Errno.EINVAL);
                    }
                    r = getnum(s, at + 1, lastbit);
                    groupLen = r[0];
                    at = (int) r[1];
                } else {
                    off = end + 1;
                    groupLen = end + 1;
                    if (endOfStr(ch(s, at))) {
                        at = -1;
                    }
                }
                off &= 0xffffffffL;
                groupLen &= 0xffffffffL;
                if (start > end || groupLen == 0 || off > groupLen) {
                    return -Errno.EINVAL;
                }
                if (end >= nbits) {
                    return -Errno.ERANGE;
                }
                for (long st = start; st <= end; st += groupLen) {
                    change(k, maskp, st, (int) Math.min(end - st + 1, off), true);
                }
                if (at < 0) {
                    return 0;
                }
            }
        } catch (ParseError e) {
            return -e.errno;
        }
    }

    /** int bitmap_parselist_user(const char __user *ubuf, unsigned int ulen, unsigned long *maskp, int nmaskbits) */
    @KernelSymbol("bitmap_parselist_user")
    static int parselistUser(KernelContext k, long ubuf, int ulen, long maskp, int nmaskbits) {
        long buf = Util.memdupUserNul(k, ubuf, u(ulen));
        if (Util.isErr(buf)) {
            return (int) buf;
        }
        int ret = parselist(k, buf, maskp, nmaskbits);
        k.slab().kfree(buf);
        return ret;
    }

    /** int bitmap_parse(const char *start, unsigned int buflen, unsigned long *maskp, int nmaskbits) */
    @KernelSymbol("bitmap_parse")
    static int parse(KernelContext k, long start, int buflen, long maskp, int nmaskbits) {
        AddressSpace m = k.mem();
        long limit = u(buflen);
        long len = 0;
        while (len < limit && m.read8(start + len) != 0 && m.read8(start + len) != '\n') {
            len++;
        }
        byte[] s = len == 0 ? new byte[0] : m.read(start, (int) len);
        long nbits = u(nmaskbits);
        int chunks = (int) ((nbits + 31) / 32);
        int end = s.length - 1;
        for (int chunk = 0;; chunk++) {
            while (0 <= end && endOfRegionInner(ch(s, end))) {
                end--;
            }
            if (0 > end) {
                break;
            }
            if (chunks-- == 0) {
                return -Errno.EOVERFLOW;
            }
            int ret = 0;
            boolean done = false;
            for (int i = 0; i < 32; i += 4) {
                int c = Hexdump.hexToBin(ch(s, end--));
                if (c < 0) {
                    return -Errno.EINVAL;
                }
                ret |= c << i;
                if (0 > end || endOfRegionInner(ch(s, end))) {
                    done = true;
                    break;
                }
            }
            if (!done && Hexdump.hexToBin(ch(s, end--)) >= 0) {
                return -Errno.EOVERFLOW;
            }
            m.write32(maskp + 4L * chunk, ret);
        }
        long unsetBit = ((nbits + 31) / 32 - chunks) * 32;
        if (unsetBit < nbits) {
            change(k, maskp, unsetBit, (int) (nbits - unsetBit), false);
            return 0;
        }
        if (FindBit.findNextBit(k, maskp, unsetBit, nbits) != unsetBit) {
            return -Errno.EOVERFLOW;
        }
        return 0;
    }

    /** int bitmap_parse_user(const char __user *ubuf, unsigned int ulen, unsigned long *maskp, int nmaskbits) */
    @KernelSymbol("bitmap_parse_user")
    static int parseUser(KernelContext k, long ubuf, int ulen, long maskp, int nmaskbits) {
        long buf = Util.memdupUserNul(k, ubuf, u(ulen));
        if (Util.isErr(buf)) {
            return (int) buf;
        }
        int ret = parse(k, buf, -1, maskp, nmaskbits);
        k.slab().kfree(buf);
        return ret;
    }

    // ---------------------------------------------------------------- regions

    private static final int REG_OP_ISFREE = 0;
    private static final int REG_OP_ALLOC = 1;
    private static final int REG_OP_RELEASE = 2;

    /** {@code __reg_op()}. */
    private static boolean regOp(KernelContext k, long bitmap, long pos, int order, int op) {
        AddressSpace m = k.mem();
        long nbitsReg = 1L << order;
        long index = pos / BITS;
        long offset = pos - index * BITS;
        long nlongsReg = longs(nbitsReg);
        long nbitsInLong = Math.min(nbitsReg, BITS);
        long mask = 1L << (nbitsInLong - 1);
        mask += mask - 1;
        mask <<= offset;
        for (long i = 0; i < nlongsReg; i++) {
            long v = w(m, bitmap, index + i);
            switch (op) {
                case REG_OP_ISFREE -> {
                    if ((v & mask) != 0) {
                        return false;
                    }
                }
                case REG_OP_ALLOC -> setW(m, bitmap, index + i, v | mask);
                default -> setW(m, bitmap, index + i, v & ~mask);
            }
        }
        return op == REG_OP_ISFREE;
    }

    /** int bitmap_find_free_region(unsigned long *bitmap, unsigned int bits, int order) */
    @KernelSymbol("bitmap_find_free_region")
    static int findFreeRegion(KernelContext k, long bitmap, int bits, int order) {
        long end;
        for (long pos = 0; (end = (pos + (1L << order)) & 0xffffffffL) <= u(bits); pos = end) {
            if (!regOp(k, bitmap, pos, order, REG_OP_ISFREE)) {
                continue;
            }
            regOp(k, bitmap, pos, order, REG_OP_ALLOC);
            return (int) pos;
        }
        return -Errno.ENOMEM;
    }

    /** void bitmap_release_region(unsigned long *bitmap, unsigned int pos, int order) */
    @KernelSymbol("bitmap_release_region")
    static void releaseRegion(KernelContext k, long bitmap, int pos, int order) {
        regOp(k, bitmap, u(pos), order, REG_OP_RELEASE);
    }

    /** int bitmap_allocate_region(unsigned long *bitmap, unsigned int pos, int order) */
    @KernelSymbol("bitmap_allocate_region")
    static int allocateRegion(KernelContext k, long bitmap, int pos, int order) {
        if (!regOp(k, bitmap, u(pos), order, REG_OP_ISFREE)) {
            return -Errno.EBUSY;
        }
        regOp(k, bitmap, u(pos), order, REG_OP_ALLOC);
        return 0;
    }

    // ---------------------------------------------------------------- allocation, conversion

    /** unsigned long *bitmap_alloc(unsigned int nbits, gfp_t flags) */
    @KernelSymbol("bitmap_alloc")
    static long alloc(KernelContext k, int nbits, int flags) {
        return k.slab().kmalloc(8 * longs(u(nbits)), flags);
    }

    /** unsigned long *bitmap_zalloc(unsigned int nbits, gfp_t flags) */
    @KernelSymbol("bitmap_zalloc")
    static long zalloc(KernelContext k, int nbits, int flags) {
        return alloc(k, nbits, flags | Gfp.ZERO);
    }

    /** unsigned long *bitmap_alloc_node(unsigned int nbits, gfp_t flags, int node) */
    @KernelSymbol("bitmap_alloc_node")
    static long allocNode(KernelContext k, int nbits, int flags, int node) {
        return alloc(k, nbits, flags);
    }

    /** unsigned long *bitmap_zalloc_node(unsigned int nbits, gfp_t flags, int node) */
    @KernelSymbol("bitmap_zalloc_node")
    static long zallocNode(KernelContext k, int nbits, int flags, int node) {
        return alloc(k, nbits, flags | Gfp.ZERO);
    }

    /** void bitmap_free(const unsigned long *bitmap) */
    @KernelSymbol("bitmap_free")
    static void free(KernelContext k, long bitmap) {
        Slab.kfreeSym(k, bitmap);
    }

    /** void bitmap_from_arr32(unsigned long *bitmap, const u32 *buf, unsigned int nbits) */
    @KernelSymbol("bitmap_from_arr32")
    static void fromArr32(KernelContext k, long bitmap, long buf, int nbits) {
        AddressSpace m = k.mem();
        long halfwords = (u(nbits) + 31) / 32;
        for (long i = 0; i < halfwords; i++) {
            long v = Integer.toUnsignedLong(m.read32(buf + 4 * i));
            if (++i < halfwords) {
                v |= Integer.toUnsignedLong(m.read32(buf + 4 * i)) << 32;
            }
            setW(m, bitmap, i / 2, v);
        }
        if (u(nbits) % BITS != 0) {
            long last = (halfwords - 1) / 2;
            setW(m, bitmap, last, w(m, bitmap, last) & FindBit.lastWordMask(u(nbits)));
        }
    }

    /** void bitmap_to_arr32(u32 *buf, const unsigned long *bitmap, unsigned int nbits) */
    @KernelSymbol("bitmap_to_arr32")
    static void toArr32(KernelContext k, long buf, long bitmap, int nbits) {
        AddressSpace m = k.mem();
        long halfwords = (u(nbits) + 31) / 32;
        for (long i = 0; i < halfwords; i++) {
            m.write32(buf + 4 * i, (int) w(m, bitmap, i / 2));
            if (++i < halfwords) {
                m.write32(buf + 4 * i, (int) (w(m, bitmap, i / 2) >>> 32));
            }
        }
        if (u(nbits) % BITS != 0) {
            long at = buf + 4 * (halfwords - 1);
            m.write32(at, m.read32(at) & (int) (0xffffffffL >>> (-nbits & 31)));
        }
    }
}
