package dev.kmodemu.kstubs.printk;

/**
 * What {@code %p} prints instead of an address: the kernel hashes pointers with siphash and a
 * random boot-time key; kmodemu uses SipHash-2-4 with a fixed key so output is reproducible.
 */
final class PointerHash {
    private PointerHash() {
    }

    private static final long K0 = 0x0706050403020100L;
    private static final long K1 = 0x0f0e0d0c0b0a0908L;

    /** {@code siphash_1u64(ptr, &ptr_key)}. */
    static long hash(long m) {
        long[] v = {0x736f6d6570736575L ^ K0, 0x646f72616e646f6dL ^ K1, 0x6c7967656e657261L ^ K0,
            0x7465646279746573L ^ K1};
        v[3] ^= m;
        rounds(v, 2);
        v[0] ^= m;
        long b = 8L << 56;
        v[3] ^= b;
        rounds(v, 2);
        v[0] ^= b;
        v[2] ^= 0xff;
        rounds(v, 4);
        return v[0] ^ v[1] ^ v[2] ^ v[3];
    }

    /** {@code SIPROUND}, {@code n} times. */
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
}
