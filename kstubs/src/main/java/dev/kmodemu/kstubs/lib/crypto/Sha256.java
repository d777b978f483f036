package dev.kmodemu.kstubs.lib.crypto;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * lib/crypto/sha256.c: SHA-256 and SHA-224 on a guest {@code struct sha256_state} (state words,
 * byte count, partial block), updated exactly as {@code sha256_update()} and
 * {@code __sha256_final()} leave it (the final state is zeroed).
 */
public final class Sha256 {
    private Sha256() {
    }

    private static final int[] K = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    };

    /** {@code SHA256_H0..7} and {@code SHA224_H0..7}. */
    public static final int[] SHA256_H = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c,
        0x1f83d9ab, 0x5be0cd19};
    public static final int[] SHA224_H = {0xc1059ed8, 0x367cd507, 0x3070dd17, 0xf70e5939, 0xffc00b31, 0x68581511,
        0x64f98fa7, 0xbefa4fa4};

    /** {@code struct sha256_state}: state[8], u64 count, u8 buf[64]. */
    public static final int STATE = 0;
    public static final int COUNT = 32;
    public static final int BUF = 40;
    public static final int SIZE = 104;

    static void transform(int[] s, byte[] data, int off) {
        int[] w = new int[64];
        ByteBuffer b = ByteBuffer.wrap(data, off, 64).order(ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < 16; i++) {
            w[i] = b.getInt();
        }
        for (int i = 16; i < 64; i++) {
            int s0 = Integer.rotateRight(w[i - 15], 7) ^ Integer.rotateRight(w[i - 15], 18) ^ (w[i - 15] >>> 3);
            int s1 = Integer.rotateRight(w[i - 2], 17) ^ Integer.rotateRight(w[i - 2], 19) ^ (w[i - 2] >>> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        int a = s[0], bb = s[1], c = s[2], d = s[3], e = s[4], f = s[5], g = s[6], h = s[7];
        for (int i = 0; i < 64; i++) {
            int t1 = h + (Integer.rotateRight(e, 6) ^ Integer.rotateRight(e, 11) ^ Integer.rotateRight(e, 25))
                    + ((e & f) ^ (~e & g)) + K[i] + w[i];
            int t2 = (Integer.rotateRight(a, 2) ^ Integer.rotateRight(a, 13) ^ Integer.rotateRight(a, 22))
                    + ((a & bb) ^ (a & c) ^ (bb & c));
            h = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = bb;
            bb = a;
            a = t1 + t2;
        }
        s[0] += a;
        s[1] += bb;
        s[2] += c;
        s[3] += d;
        s[4] += e;
        s[5] += f;
        s[6] += g;
        s[7] += h;
    }

    /** A guest {@code struct sha256_state} read into Java, written back when done. */
    public static final class State {
        final int[] s = new int[8];
        long count;
        final byte[] buf = new byte[64];

        public static State read(KernelContext k, long at) {
            State st = new State();
            ByteBuffer b = ByteBuffer.wrap(k.mem().read(at, SIZE)).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < 8; i++) {
                st.s[i] = b.getInt(STATE + 4 * i);
            }
            st.count = b.getLong(COUNT);
            b.position(BUF);
            b.get(st.buf);
            return st;
        }

        public void write(KernelContext k, long at) {
            ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < 8; i++) {
                b.putInt(STATE + 4 * i, s[i]);
            }
            b.putLong(COUNT, count);
            b.position(BUF);
            b.put(buf);
            k.mem().write(at, b.array());
        }

        /** {@code sha256_init()} / {@code sha224_init()}. */
        public void init(int[] h) {
            System.arraycopy(h, 0, s, 0, 8);
            count = 0;
        }

        /** {@code sha256_update()}. */
        public void update(byte[] data) {
            int len = data.length;
            int partial = (int) (count & 0x3f);
            count += len;
            int done = 0;
            if (partial + len > 63) {
                if (partial != 0) {
                    done = 64 - partial;
                    System.arraycopy(data, 0, buf, partial, done);
                    transform(s, buf, 0);
                } 
                while (done + 63 < len) {
                    transform(s, data, done);
                    done += 64;
                }
                partial = 0;
            }
            System.arraycopy(data, done, buf, partial, len - done);
        }

        /** {@code __sha256_final()}: the digest's first {@code words} words; the state is zeroed. */
        public byte[] finish(int words) {
            int bitOffset = 56;
            int partial = (int) (count % 64);
            buf[partial++] = (byte) 0x80;
            if (partial > bitOffset) {
                java.util.Arrays.fill(buf, partial, 64, (byte) 0);
                partial = 0;
                transform(s, buf, 0);
            }
            java.util.Arrays.fill(buf, partial, bitOffset, (byte) 0);
            ByteBuffer.wrap(buf).order(ByteOrder.BIG_ENDIAN).putLong(bitOffset, count << 3);
            transform(s, buf, 0);
            ByteBuffer out = ByteBuffer.allocate(4 * words).order(ByteOrder.BIG_ENDIAN);
            for (int i = 0; i < words; i++) {
                out.putInt(s[i]);
            }
            java.util.Arrays.fill(s, 0);
            count = 0;
            java.util.Arrays.fill(buf, (byte) 0);
            return out.array();
        }
    }

    /** void sha256_update(struct sha256_state *sctx, const u8 *data, unsigned int len) */
    @KernelSymbol({"sha256_update", "sha224_update"})
    public static void update(KernelContext k, long sctx, long data, int len) {
        State st = State.read(k, sctx);
        st.update(k.mem().read(data, len));
        st.write(k, sctx);
    }

    /** {@code __sha256_final()} on a guest state: {@code words} digest words to {@code out}. */
    public static void finalGuest(KernelContext k, long sctx, long out, int words) {
        State st = State.read(k, sctx);
        byte[] d = st.finish(words);
        st.write(k, sctx);
        k.mem().write(out, d);
    }

    /** void sha256_final(struct sha256_state *sctx, u8 *out) */
    @KernelSymbol("sha256_final")
    static void sha256Final(KernelContext k, long sctx, long out) {
        finalGuest(k, sctx, out, 8);
    }

    /** void sha224_final(struct sha256_state *sctx, u8 *out) */
    @KernelSymbol("sha224_final")
    static void sha224Final(KernelContext k, long sctx, long out) {
        finalGuest(k, sctx, out, 7);
    }

    /** void sha256(const u8 *data, unsigned int len, u8 *out) */
    @KernelSymbol("sha256")
    static void sha256(KernelContext k, long data, int len, long out) {
        State st = new State();
        st.init(SHA256_H);
        st.update(k.mem().read(data, len));
        k.mem().write(out, st.finish(8));
    }
}
