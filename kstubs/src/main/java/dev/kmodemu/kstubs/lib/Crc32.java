package dev.kmodemu.kstubs.lib;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * lib/crc32.c: CRC-32 (IEEE 802.3, reflected polynomial 0xedb88320, and the big-endian form
 * 0x04c11db7) and CRC-32C (Castagnoli, 0x82f63b78), with no pre- or post-inversion (callers pass
 * and complement {@code ~0} themselves, as with the kernel's); and the shift functions that
 * combine CRCs of concatenated buffers ({@code crc32_generic_shift()} over GF(2)).
 */
public final class Crc32 {
    private Crc32() {
    }

    static final int CRC32_POLY_LE = 0xedb88320;
    static final int CRC32C_POLY_LE = 0x82f63b78;
    static final int CRC32_POLY_BE = 0x04c11db7;

    private static final int[] LE = table(CRC32_POLY_LE);
    private static final int[] LE_C = table(CRC32C_POLY_LE);
    private static final int[] BE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i << 24;
            for (int j = 0; j < 8; j++) {
                c = (c << 1) ^ ((c & 0x80000000) != 0 ? CRC32_POLY_BE : 0);
            }
            BE[i] = c;
        }
    }

    private static int[] table(int poly) {
        int[] t = new int[256];
        for (int i = 0; i < 256; i++) {
            int c = i;
            for (int j = 0; j < 8; j++) {
                c = (c >>> 1) ^ ((c & 1) != 0 ? poly : 0);
            }
            t[i] = c;
        }
        return t;
    }

    private static byte[] bytes(KernelContext k, long p, long len) {
        return len <= 0 ? new byte[0] : k.mem().read(p, (int) len);
    }

    /** The little-endian (reflected) CRC of {@code len} bytes at {@code p}. */
    static int le(int[] t, int crc, byte[] b) {
        for (byte x : b) {
            crc = (crc >>> 8) ^ t[(crc ^ x) & 0xff];
        }
        return crc;
    }

    /** u32 crc32_le(u32 crc, unsigned char const *p, size_t len) */
    @KernelSymbol("crc32_le")
    static int crc32Le(KernelContext k, int crc, long p, long len) {
        return le(LE, crc, bytes(k, p, len));
    }

    /** u32 __crc32c_le(u32 crc, unsigned char const *p, size_t len) */
    @KernelSymbol("__crc32c_le")
    static int crc32cLe(KernelContext k, int crc, long p, long len) {
        return le(LE_C, crc, bytes(k, p, len));
    }

    /** u32 crc32_be(u32 crc, unsigned char const *p, size_t len) */
    @KernelSymbol("crc32_be")
    static int crc32Be(KernelContext k, int crc, long p, long len) {
        for (byte x : bytes(k, p, len)) {
            crc = (crc << 8) ^ BE[((crc >>> 24) ^ x) & 0xff];
        }
        return crc;
    }

    /** {@code gf2_multiply()}: x * y modulo the polynomial, lsbit = highest power. */
    private static int gf2Multiply(int x, int y, int modulus) {
        int product = (x & 1) != 0 ? y : 0;
        for (int i = 0; i < 31; i++) {
            product = (product >>> 1) ^ ((product & 1) != 0 ? modulus : 0);
            x >>>= 1;
            product ^= (x & 1) != 0 ? y : 0;
        }
        return product;
    }

    /** {@code crc32_generic_shift()}: {@code crc} * x^(8 * len) modulo the polynomial. */
    private static int shift(int crc, long len, int polynomial) {
        int power = polynomial;
        for (int i = 0; i < 8 * (int) (len & 3); i++) {
            crc = (crc >>> 1) ^ ((crc & 1) != 0 ? polynomial : 0);
        }
        len >>>= 2;
        if (len == 0) {
            return crc;
        }
        while (true) {
            if ((len & 1) != 0) {
                crc = gf2Multiply(crc, power, polynomial);
            }
            len >>>= 1;
            if (len == 0) {
                break;
            }
            power = gf2Multiply(power, power, polynomial);
        }
        return crc;
    }

    /** u32 crc32_le_shift(u32 crc, size_t len) */
    @KernelSymbol("crc32_le_shift")
    static int crc32LeShift(KernelContext k, int crc, long len) {
        return shift(crc, len, CRC32_POLY_LE);
    }

    /** u32 __crc32c_le_shift(u32 crc, size_t len) */
    @KernelSymbol("__crc32c_le_shift")
    static int crc32cLeShift(KernelContext k, int crc, long len) {
        return shift(crc, len, CRC32C_POLY_LE);
    }
}
