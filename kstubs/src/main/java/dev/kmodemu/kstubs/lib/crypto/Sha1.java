package dev.kmodemu.kstubs.lib.crypto;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * lib/crypto/sha1.c: the SHA-1 block function ({@code sha1_transform()}, with its 16-word
 * workspace) and {@code sha1_init()}.
 */
public final class Sha1 {
    private Sha1() {
    }

    public static final int[] H = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};

    /** One 64-byte block at {@code data[off]} into the five state words; returns the message schedule. */
    public static int[] transform(int[] s, byte[] data, int off) {
        int[] w = new int[80];
        ByteBuffer b = ByteBuffer.wrap(data, off, 64).order(ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < 16; i++) {
            w[i] = b.getInt();
        }
        for (int i = 16; i < 80; i++) {
            w[i] = Integer.rotateLeft(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
        }
        int a = s[0], bb = s[1], c = s[2], d = s[3], e = s[4];
        for (int i = 0; i < 80; i++) {
            int f;
            int kk;
            if (i < 20) {
                f = (bb & c) | (~bb & d);
                kk = 0x5a827999;
            } else if (i < 40) {
                f = bb ^ c ^ d;
                kk = 0x6ed9eba1;
            } else if (i < 60) {
                f = (bb & c) | (bb & d) | (c & d);
                kk = 0x8f1bbcdc;
            } else {
                f = bb ^ c ^ d;
                kk = 0xca62c1d6;
            }
            int t = Integer.rotateLeft(a, 5) + f + e + kk + w[i];
            e = d;
            d = c;
            c = Integer.rotateLeft(bb, 30);
            bb = a;
            a = t;
        }
        s[0] += a;
        s[1] += bb;
        s[2] += c;
        s[3] += d;
        s[4] += e;
        return w;
    }

    /** void sha1_transform(__u32 *digest, const char *data, __u32 *array) */
    @KernelSymbol("sha1_transform")
    static void transformSym(KernelContext k, long digest, long data, long array) {
        int[] s = new int[5];
        for (int i = 0; i < 5; i++) {
            s[i] = k.mem().read32(digest + 4L * i);
        }
        int[] w = transform(s, k.mem().read(data, 64), 0);
        for (int i = 0; i < 5; i++) {
            k.mem().write32(digest + 4L * i, s[i]);
        }
        // the 16-word workspace, used circularly, ends holding schedule words 64..79
        for (int i = 0; i < 16; i++) {
            k.mem().write32(array + 4L * i, w[64 + i]);
        }
    }

    /** void sha1_init(__u32 *buf) */
    @KernelSymbol("sha1_init")
    static void init(KernelContext k, long buf) {
        for (int i = 0; i < 5; i++) {
            k.mem().write32(buf + 4L * i, H[i]);
        }
    }
}
