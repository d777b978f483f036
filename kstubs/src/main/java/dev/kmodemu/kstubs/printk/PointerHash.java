package dev.kmodemu.kstubs.printk;

import dev.kmodemu.kstubs.lib.Siphash;

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
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (m >>> (8 * i));
        }
        return Siphash.hash(b, K0, K1, 2, 4);
    }
}
