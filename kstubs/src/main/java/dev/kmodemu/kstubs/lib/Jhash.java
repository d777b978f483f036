package dev.kmodemu.kstubs.lib;

/** include/linux/jhash.h: Bob Jenkins' lookup3 hash as the kernel's inline {@code jhash()} computes it. */
public final class Jhash {
    private Jhash() {
    }

    private static final int JHASH_INITVAL = 0xdeadbeef;

    private static int le32(byte[] k, int at) {
        return (k[at] & 0xff) | (k[at + 1] & 0xff) << 8 | (k[at + 2] & 0xff) << 16 | (k[at + 3] & 0xff) << 24;
    }

    /** u32 jhash(const void *key, u32 length, u32 initval) over the first {@code length} bytes of {@code key}. */
    public static int jhash(byte[] key, int length, int initval) {
        int a = JHASH_INITVAL + length + initval;
        int b = a;
        int c = a;
        int k = 0;
        while (length > 12) {
            a += le32(key, k);
            b += le32(key, k + 4);
            c += le32(key, k + 8);
            a -= c; a ^= Integer.rotateLeft(c, 4); c += b;
            b -= a; b ^= Integer.rotateLeft(a, 6); a += c;
            c -= b; c ^= Integer.rotateLeft(b, 8); b += a;
            a -= c; a ^= Integer.rotateLeft(c, 16); c += b;
            b -= a; b ^= Integer.rotateLeft(a, 19); a += c;
            c -= b; c ^= Integer.rotateLeft(b, 4); b += a;
            length -= 12;
            k += 12;
        }
        if (length == 0) {
            return c;
        }
        int[] acc = {a, b, c};
        for (int i = length - 1; i >= 0; i--) {
            acc[i / 4] += (key[k + i] & 0xff) << (8 * (i % 4));
        }
        a = acc[0];
        b = acc[1];
        c = acc[2];
        c ^= b; c -= Integer.rotateLeft(b, 14);
        a ^= c; a -= Integer.rotateLeft(c, 11);
        b ^= a; b -= Integer.rotateLeft(a, 25);
        c ^= b; c -= Integer.rotateLeft(b, 16);
        a ^= c; a -= Integer.rotateLeft(c, 4);
        b ^= a; b -= Integer.rotateLeft(a, 14);
        c ^= b; c -= Integer.rotateLeft(b, 24);
        return c;
    }
}
