package dev.kmodemu.fuzz;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Mutations as AFL makes them: a deterministic pass over each new small corpus entry (walking bit
 * flips, byte flips, small additions, interesting values, dictionary tokens at every position),
 * then random stacks of havoc mutations (bit flips, interesting values, arithmetic, random bytes,
 * block deletion, insertion and overwriting, dictionary tokens, splicing with another entry). All
 * randomness comes from one seeded generator: the same seed and inputs give the same mutations.
 */
final class Mutator {
    static final byte[] INTERESTING_8 = {-128, -1, 0, 1, 16, 32, 64, 100, 127};
    static final short[] INTERESTING_16 = {-32768, -129, 128, 255, 256, 512, 1000, 1024, 4096, 32767};
    static final int[] INTERESTING_32 = {Integer.MIN_VALUE, -100663046, -32769, 32768, 65535, 65536, 100663045,
        Integer.MAX_VALUE};
    /** The deterministic pass is for entries up to this long. */
    static final int DETERMINISTIC_MAX_LEN = 128;
    /** And stops after this many inputs per entry. */
    static final int DETERMINISTIC_BUDGET = 6000;
    static final int ARITH_MAX = 35;

    private final SplittableRandom r;
    private final Dictionary dict;
    private final int maxLen;
    /** Bytes at the start of inputs that are the fault plan (0 if faults are not fuzzed). */
    private final int faultBytes;

    Mutator(long seed, Dictionary dict, int maxLen, int faultBytes) {
        this.r = new SplittableRandom(seed);
        this.dict = dict;
        this.maxLen = maxLen;
        this.faultBytes = faultBytes;
    }

    SplittableRandom random() {
        return r;
    }

    // ---------------------------------------------------------------- havoc

    /** {@code in} with a random stack of 2 to 32 mutations; {@code other} (nullable) is for splicing. */
    byte[] havoc(byte[] in, byte[] other) {
        byte[] b = in.length == 0 ? new byte[] {(byte) r.nextInt(256)} : in.clone();
        int n = 1 << (1 + r.nextInt(5));
        for (int i = 0; i < n; i++) {
            b = mutateOnce(b, other);
        }
        return b.length > maxLen ? Arrays.copyOf(b, maxLen) : b;
    }

    private byte[] mutateOnce(byte[] b, byte[] other) {
        int len = b.length;
        if (len == 0) {
            return new byte[] {(byte) r.nextInt(256)};
        }
        switch (r.nextInt(17)) {
            case 0 -> b[r.nextInt(len)] ^= (byte) (1 << r.nextInt(8));
            case 1 -> b[r.nextInt(len)] = INTERESTING_8[r.nextInt(INTERESTING_8.length)];
            case 2 -> {
                if (len >= 2) {
                    put(b, r.nextInt(len - 1), INTERESTING_16[r.nextInt(INTERESTING_16.length)], 2, r.nextBoolean());
                }
            }
            case 3 -> {
                if (len >= 4) {
                    put(b, r.nextInt(len - 3), INTERESTING_32[r.nextInt(INTERESTING_32.length)], 4, r.nextBoolean());
                }
            }
            case 4 -> b[r.nextInt(len)] += (byte) delta();
            case 5 -> {
                if (len >= 2) {
                    int at = r.nextInt(len - 1);
                    put(b, at, get(b, at, 2) + delta(), 2, false);
                }
            }
            case 6 -> {
                if (len >= 4) {
                    int at = r.nextInt(len - 3);
                    put(b, at, get(b, at, 4) + delta(), 4, false);
                }
            }
            case 7 -> b[r.nextInt(len)] ^= (byte) (1 + r.nextInt(255));
            case 8 -> {
                if (len > 1) {
                    int del = blockLen(len - 1);
                    int at = r.nextInt(len - del + 1);
                    byte[] out = new byte[len - del];
                    System.arraycopy(b, 0, out, 0, at);
                    System.arraycopy(b, at + del, out, at, len - at - del);
                    return out;
                }
            }
            case 9 -> {
                if (len < maxLen) {
                    int add = Math.min(blockLen(len), maxLen - len);
                    byte[] block = new byte[add];
                    if (r.nextInt(4) != 0) {
                        int from = r.nextInt(len - Math.min(add, len) + 1);
                        System.arraycopy(b, from, block, 0, Math.min(add, len));
                    } else {
                        Arrays.fill(block, (byte) (r.nextBoolean() ? r.nextInt(256) : b[r.nextInt(len)]));
                    }
                    return insert(b, r.nextInt(len + 1), block);
                }
            }
            case 10 -> {
                int n = blockLen(len);
                int to = r.nextInt(len - n + 1);
                if (r.nextInt(4) != 0) {
                    System.arraycopy(b, r.nextInt(len - n + 1), b, to, n);
                } else {
                    Arrays.fill(b, to, to + n, (byte) r.nextInt(256));
                }
            }
            case 11 -> {
                byte[] t = dict.pick(r);
                if (t != null && t.length <= len) {
                    System.arraycopy(t, 0, b, r.nextInt(len - t.length + 1), t.length);
                }
            }
            case 12 -> {
                byte[] t = dict.pick(r);
                if (t != null && len + t.length <= maxLen) {
                    return insert(b, r.nextInt(len + 1), t);
                }
            }
            case 13 -> {
                if (other != null && other.length > 1) {
                    int cut = r.nextInt(Math.min(len, other.length));
                    byte[] out = Arrays.copyOf(b, Math.min(maxLen, cut + other.length - cut));
                    System.arraycopy(other, cut, out, cut, out.length - cut);
                    return out;
                }
            }
            case 14 -> {
                if (len < maxLen) {
                    byte[] tail = new byte[Math.min(1 + r.nextInt(16), maxLen - len)];
                    for (int i = 0; i < tail.length; i++) {
                        tail[i] = (byte) r.nextInt(256);
                    }
                    return insert(b, len, tail);
                }
            }
            default -> {
                // structure-aware: one fail point on or off, the rest of the plan kept
                if (faultBytes > 0) {
                    byte[] out = len < faultBytes ? Arrays.copyOf(b, faultBytes) : b;
                    int i = r.nextInt(faultBytes);
                    out[i] = out[i] == 0 ? (byte) (1 + r.nextInt(3)) : 0;
                    return out;
                }
                b[r.nextInt(len)] = (byte) r.nextInt(256);
            }
        }
        return b;
    }

    private int delta() {
        int d = 1 + r.nextInt(ARITH_MAX);
        return r.nextBoolean() ? d : -d;
    }

    /** A block length for a buffer of {@code len}: mostly small. */
    private int blockLen(int len) {
        int max = switch (r.nextInt(4)) {
            case 0, 1 -> 8;
            case 2 -> 32;
            default -> 128;
        };
        return 1 + r.nextInt(Math.max(1, Math.min(max, len)));
    }

    static byte[] insert(byte[] b, int at, byte[] block) {
        byte[] out = new byte[b.length + block.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(block, 0, out, at, block.length);
        System.arraycopy(b, at, out, at + block.length, b.length - at);
        return out;
    }

    static int get(byte[] b, int at, int n) {
        int v = 0;
        for (int i = 0; i < n; i++) {
            v |= (b[at + i] & 0xff) << (8 * i);
        }
        return v;
    }

    static void put(byte[] b, int at, int v, int n, boolean bigEndian) {
        for (int i = 0; i < n; i++) {
            b[at + i] = (byte) (v >>> (8 * (bigEndian ? n - 1 - i : i)));
        }
    }

    // ---------------------------------------------------------------- deterministic pass

    /** The deterministic pass over one input: {@link #next()} gives inputs until it returns null. */
    final class Deterministic {
        private final byte[] base;
        private int stage;
        private int pos;
        private int sub;
        private int made;

        Deterministic(byte[] base) {
            this.base = base;
        }

        /** The next input of the pass, or null when it is done. */
        byte[] next() {
            while (made < DETERMINISTIC_BUDGET) {
                byte[] out = step();
                if (out == STAGE_DONE) {
                    stage++;
                    pos = 0;
                    sub = 0;
                    if (stage > 6) {
                        return null;
                    }
                    continue;
                }
                if (out != null) {
                    made++;
                    return out;
                }
            }
            return null;
        }

        private static final byte[] STAGE_DONE = new byte[0];

        /** One input of the current stage, null to skip a position, STAGE_DONE at the stage's end. */
        private byte[] step() {
            int len = base.length;
            switch (stage) {
                case 0 -> { // walking bit flips
                    if (pos >= len * 8) {
                        return STAGE_DONE;
                    }
                    byte[] b = base.clone();
                    b[pos >>> 3] ^= (byte) (0x80 >>> (pos & 7));
                    pos++;
                    return b;
                }
                case 1 -> { // byte flips
                    if (pos >= len) {
                        return STAGE_DONE;
                    }
                    byte[] b = base.clone();
                    b[pos++] ^= (byte) 0xff;
                    return b;
                }
                case 2 -> { // small additions and subtractions
                    if (pos >= len) {
                        return STAGE_DONE;
                    }
                    int d = sub / 2 + 1;
                    byte[] b = base.clone();
                    b[pos] += (byte) ((sub & 1) == 0 ? d : -d);
                    if (++sub >= 32) {
                        sub = 0;
                        pos++;
                    }
                    return b;
                }
                case 3 -> { // interesting bytes
                    if (pos >= len) {
                        return STAGE_DONE;
                    }
                    byte[] b = base.clone();
                    b[pos] = INTERESTING_8[sub];
                    if (++sub >= INTERESTING_8.length) {
                        sub = 0;
                        pos++;
                    }
                    return b;
                }
                case 4 -> { // interesting 16-bit values
                    return interesting(2, INTERESTING_16.length, INTERESTING_16[Math.min(sub, INTERESTING_16.length - 1)]);
                }
                case 5 -> { // interesting 32-bit values
                    return interesting(4, INTERESTING_32.length, INTERESTING_32[Math.min(sub, INTERESTING_32.length - 1)]);
                }
                default -> { // dictionary tokens over each position
                    int tokens = Math.min(dict.size(), 64);
                    if (pos >= len || tokens == 0) {
                        return STAGE_DONE;
                    }
                    byte[] t = dict.get(sub);
                    byte[] b = null;
                    if (pos + t.length <= len) {
                        b = base.clone();
                        System.arraycopy(t, 0, b, pos, t.length);
                    }
                    if (++sub >= tokens) {
                        sub = 0;
                        pos++;
                    }
                    return b;
                }
            }
        }

        /** The next input of a stage writing {@code count} values of {@code width} bytes at each position. */
        private byte[] interesting(int width, int count, int value) {
            if (pos + width > base.length) {
                return STAGE_DONE;
            }
            byte[] b = base.clone();
            put(b, pos, value, width, false);
            if (++sub >= count) {
                sub = 0;
                pos++;
            }
            return b;
        }
    }

    /** The deterministic pass for {@code base}, or null if it is too long for one. */
    Deterministic deterministic(byte[] base) {
        return base.length == 0 || base.length > DETERMINISTIC_MAX_LEN ? null : new Deterministic(base);
    }
}
