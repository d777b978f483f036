package dev.kmodemu.kstubs.lib;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * lib/siphash.c: SipHash-2-4 with a 128-bit key ({@code siphash_key_t}, two u64s), and
 * "HalfSipHash" ({@code hsiphash*}), which on 64-bit kernels is SipHash-1-3 with the same key
 * layout truncated to 32 bits. The fixed-width helpers hash their arguments as the
 * little-endian bytes of the words (a u32 contributes 4 bytes), which is what their unrolled C
 * computes.
 */
public final class Siphash {
    private Siphash() {
    }

    /** SipHash-c-d of {@code data} under key {@code (k0, k1)}. */
    public static long hash(byte[] data, long k0, long k1, int cRounds, int dRounds) {
        long[] v = {0x736f6d6570736575L ^ k0, 0x646f72616e646f6dL ^ k1, 0x6c7967656e657261L ^ k0,
            0x7465646279746573L ^ k1};
        int full = data.length & ~7;
        for (int i = 0; i < full; i += 8) {
            long m = le(data, i, 8);
            v[3] ^= m;
            rounds(v, cRounds);
            v[0] ^= m;
        }
        long b = ((long) data.length << 56) | le(data, full, data.length - full);
        v[3] ^= b;
        rounds(v, cRounds);
        v[0] ^= b;
        v[2] ^= 0xff;
        rounds(v, dRounds);
        return v[0] ^ v[1] ^ v[2] ^ v[3];
    }

    private static long le(byte[] d, int from, int n) {
        long m = 0;
        for (int i = n - 1; i >= 0; i--) {
            m = (m << 8) | (d[from + i] & 0xff);
        }
        return m;
    }

    /** {@code SIPHASH_PERMUTATION}, {@code n} times. */
    private static void rounds(long[] v, int n) {
        for (int i = 0; i < n; i++) {
            v[0] += v[1];
            v[1] = Long.rotateLeft(v[1], 13);
            v[1] ^= v[0];
            v[0] = Long.rotateLeft(v[0], 32);
            v[2] += v[3];
            v[3] = Long.rotateLeft(v[3], 16);
            v[3] ^= v[2];
            v[0] += v[3];
            v[3] = Long.rotateLeft(v[3], 21);
            v[3] ^= v[0];
            v[2] += v[1];
            v[1] = Long.rotateLeft(v[1], 17);
            v[1] ^= v[2];
            v[2] = Long.rotateLeft(v[2], 32);
        }
    }

    /** The little-endian bytes of {@code words}, each {@code width} bytes wide. */
    private static byte[] words(int width, long... words) {
        byte[] b = new byte[words.length * width];
        for (int w = 0; w < words.length; w++) {
            for (int i = 0; i < width; i++) {
                b[w * width + i] = (byte) (words[w] >>> (8 * i));
            }
        }
        return b;
    }

    private static long sip(KernelContext k, long key, byte[] data) {
        AddressSpace mem = k.mem();
        return hash(data, mem.read64(key), mem.read64(key + 8), 2, 4);
    }

    private static int hsip(KernelContext k, long key, byte[] data) {
        AddressSpace mem = k.mem();
        return (int) hash(data, mem.read64(key), mem.read64(key + 8), 1, 3);
    }

    /** {@code u64 __siphash_unaligned(const void *data, size_t len, const siphash_key_t *key)} */
    @KernelSymbol("__siphash_unaligned")
    static long siphashUnaligned(KernelContext k, long data, long len, long key) {
        return sip(k, key, k.mem().read(data, (int) len));
    }

    /** {@code u64 siphash_1u64(const u64 first, const siphash_key_t *key)} */
    @KernelSymbol("siphash_1u64")
    static long siphash1u64(KernelContext k, long a, long key) {
        return sip(k, key, words(8, a));
    }

    /** {@code u64 siphash_2u64(const u64 first, const u64 second, const siphash_key_t *key)} */
    @KernelSymbol("siphash_2u64")
    static long siphash2u64(KernelContext k, long a, long b, long key) {
        return sip(k, key, words(8, a, b));
    }

    /** {@code u64 siphash_3u64(u64 first, u64 second, u64 third, const siphash_key_t *key)} */
    @KernelSymbol("siphash_3u64")
    static long siphash3u64(KernelContext k, long a, long b, long c, long key) {
        return sip(k, key, words(8, a, b, c));
    }

    /** {@code u64 siphash_4u64(u64 first, u64 second, u64 third, u64 forth, const siphash_key_t *key)} */
    @KernelSymbol("siphash_4u64")
    static long siphash4u64(KernelContext k, long a, long b, long c, long d, long key) {
        return sip(k, key, words(8, a, b, c, d));
    }

    /** {@code u64 siphash_1u32(const u32 first, const siphash_key_t *key)} */
    @KernelSymbol("siphash_1u32")
    static long siphash1u32(KernelContext k, int a, long key) {
        return sip(k, key, words(4, a));
    }

    /** {@code u64 siphash_3u32(u32 first, u32 second, u32 third, const siphash_key_t *key)} */
    @KernelSymbol("siphash_3u32")
    static long siphash3u32(KernelContext k, int a, int b, int c, long key) {
        return sip(k, key, words(4, a, b, c));
    }

    /** {@code u32 __hsiphash_unaligned(const void *data, size_t len, const hsiphash_key_t *key)} */
    @KernelSymbol("__hsiphash_unaligned")
    static int hsiphashUnaligned(KernelContext k, long data, long len, long key) {
        return hsip(k, key, k.mem().read(data, (int) len));
    }

    /** {@code u32 hsiphash_1u32(const u32 first, const hsiphash_key_t *key)} */
    @KernelSymbol("hsiphash_1u32")
    static int hsiphash1u32(KernelContext k, int a, long key) {
        return hsip(k, key, words(4, a));
    }

    /** {@code u32 hsiphash_2u32(const u32 first, const u32 second, const hsiphash_key_t *key)} */
    @KernelSymbol("hsiphash_2u32")
    static int hsiphash2u32(KernelContext k, int a, int b, long key) {
        return hsip(k, key, words(4, a, b));
    }

    /** {@code u32 hsiphash_3u32(u32 first, u32 second, u32 third, const hsiphash_key_t *key)} */
    @KernelSymbol("hsiphash_3u32")
    static int hsiphash3u32(KernelContext k, int a, int b, int c, long key) {
        return hsip(k, key, words(4, a, b, c));
    }

    /** {@code u32 hsiphash_4u32(u32 first, u32 second, u32 third, u32 forth, const hsiphash_key_t *key)} */
    @KernelSymbol("hsiphash_4u32")
    static int hsiphash4u32(KernelContext k, int a, int b, int c, int d, long key) {
        return hsip(k, key, words(4, a, b, c, d));
    }
}
