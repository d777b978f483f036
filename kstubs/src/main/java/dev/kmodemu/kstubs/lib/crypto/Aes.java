package dev.kmodemu.kstubs.lib.crypto;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * lib/crypto/aes.c: the generic AES library ({@code aes_expandkey()}, {@code aes_encrypt()},
 * {@code aes_decrypt()} on a guest {@code struct crypto_aes_ctx}, with the kernel's round-key
 * layout: encryption keys, then the Equivalent Inverse Cipher's decryption keys) and the exported
 * S-boxes. The S-boxes are computed (multiplicative inverse in GF(2^8) and the affine map), which
 * gives the kernel's tables byte for byte.
 */
public final class Aes {
    private Aes() {
    }

    static final int[] SBOX = new int[256];
    static final int[] INV_SBOX = new int[256];

    static {
        int p = 1;
        int q = 1;
        do {
            p = p ^ ((p << 1) & 0xff) ^ ((p & 0x80) != 0 ? 0x1b : 0);
            q ^= q << 1;
            q ^= q << 2;
            q ^= q << 4;
            q &= 0xff;
            if ((q & 0x80) != 0) {
                q ^= 0x09;
            }
            int x = q ^ rotl8(q, 1) ^ rotl8(q, 2) ^ rotl8(q, 3) ^ rotl8(q, 4);
            SBOX[p] = (x ^ 0x63) & 0xff;
        } while (p != 1);
        SBOX[0] = 0x63;
        for (int i = 0; i < 256; i++) {
            INV_SBOX[SBOX[i]] = i;
        }
    }

    private static int rotl8(int x, int s) {
        return ((x << s) | (x >>> (8 - s))) & 0xff;
    }

    /** {@code crypto_aes_sbox}: the forward S-box (exported data). */
    @KernelData(value = "crypto_aes_sbox", section = Machine.Section.RODATA, size = 256, align = 64)
    static void sbox(KernelContext k, long at) {
        byte[] b = new byte[256];
        for (int i = 0; i < 256; i++) {
            b[i] = (byte) SBOX[i];
        }
        k.mem().poke(at, b);
    }

    /** {@code crypto_aes_inv_sbox}: the inverse S-box (exported data). */
    @KernelData(value = "crypto_aes_inv_sbox", section = Machine.Section.RODATA, size = 256, align = 64)
    static void invSbox(KernelContext k, long at) {
        byte[] b = new byte[256];
        for (int i = 0; i < 256; i++) {
            b[i] = (byte) INV_SBOX[i];
        }
        k.mem().poke(at, b);
    }

    private static int mulByX(int w) {
        int x = w & 0x7f7f7f7f;
        int y = w & 0x80808080;
        return (x << 1) ^ (y >>> 7) * 0x1b;
    }

    private static int mulByX2(int w) {
        int x = w & 0x3f3f3f3f;
        int y = w & 0x80808080;
        int z = w & 0x40404040;
        return (x << 2) ^ (y >>> 7) * 0x36 ^ (z >>> 6) * 0x1b;
    }

    private static int mixColumns(int x) {
        int y = mulByX(x) ^ Integer.rotateRight(x, 16);
        return y ^ Integer.rotateRight(x ^ y, 8);
    }

    private static int invMixColumns(int x) {
        int y = mulByX2(x);
        return mixColumns(x ^ y ^ Integer.rotateRight(y, 16));
    }

    private static int subshift(int[] in, int pos) {
        return SBOX[in[pos] & 0xff] ^ (SBOX[(in[(pos + 1) % 4] >>> 8) & 0xff] << 8)
                ^ (SBOX[(in[(pos + 2) % 4] >>> 16) & 0xff] << 16) ^ (SBOX[(in[(pos + 3) % 4] >>> 24) & 0xff] << 24);
    }

    private static int invSubshift(int[] in, int pos) {
        return INV_SBOX[in[pos] & 0xff] ^ (INV_SBOX[(in[(pos + 3) % 4] >>> 8) & 0xff] << 8)
                ^ (INV_SBOX[(in[(pos + 2) % 4] >>> 16) & 0xff] << 16) ^ (INV_SBOX[(in[(pos + 1) % 4] >>> 24) & 0xff] << 24);
    }

    private static int subw(int in) {
        return SBOX[in & 0xff] ^ (SBOX[(in >>> 8) & 0xff] << 8) ^ (SBOX[(in >>> 16) & 0xff] << 16)
                ^ (SBOX[(in >>> 24) & 0xff] << 24);
    }

    private static int le32(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }

    private static void putLe32(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }

    /** {@code aes_check_keylen()}. */
    public static boolean validKeylen(int keylen) {
        return keylen == 16 || keylen == 24 || keylen == 32;
    }

    /** The expanded keys of {@code key}: {@code [0]} encryption, {@code [1]} decryption (60 words each). */
    public static int[][] expand(byte[] key) {
        int keyLen = key.length;
        int kwords = keyLen / 4;
        int[] enc = new int[60];
        int[] dec = new int[60];
        for (int i = 0; i < kwords; i++) {
            enc[i] = le32(key, i * 4);
        }
        int rc = 1;
        for (int i = 0; i < 10; i++, rc = mulByX(rc)) {
            int rki = i * kwords;
            int rko = rki + kwords;
            enc[rko] = Integer.rotateRight(subw(enc[rki + kwords - 1]), 8) ^ rc ^ enc[rki];
            enc[rko + 1] = enc[rko] ^ enc[rki + 1];
            enc[rko + 2] = enc[rko + 1] ^ enc[rki + 2];
            enc[rko + 3] = enc[rko + 2] ^ enc[rki + 3];
            if (keyLen == 24) {
                if (i >= 7) {
                    break;
                }
                enc[rko + 4] = enc[rko + 3] ^ enc[rki + 4];
                enc[rko + 5] = enc[rko + 4] ^ enc[rki + 5];
            } else if (keyLen == 32) {
                if (i >= 6) {
                    break;
                }
                enc[rko + 4] = subw(enc[rko + 3]) ^ enc[rki + 4];
                enc[rko + 5] = enc[rko + 4] ^ enc[rki + 5];
                enc[rko + 6] = enc[rko + 5] ^ enc[rki + 6];
                enc[rko + 7] = enc[rko + 6] ^ enc[rki + 7];
            }
        }
        dec[0] = enc[keyLen + 24];
        dec[1] = enc[keyLen + 25];
        dec[2] = enc[keyLen + 26];
        dec[3] = enc[keyLen + 27];
        int i = 4;
        for (int j = keyLen + 20; j > 0; i += 4, j -= 4) {
            dec[i] = invMixColumns(enc[j]);
            dec[i + 1] = invMixColumns(enc[j + 1]);
            dec[i + 2] = invMixColumns(enc[j + 2]);
            dec[i + 3] = invMixColumns(enc[j + 3]);
        }
        dec[i] = enc[0];
        dec[i + 1] = enc[1];
        dec[i + 2] = enc[2];
        dec[i + 3] = enc[3];
        return new int[][] {enc, dec};
    }

    /** One block with the round keys {@code rk} ({@code key_enc} or {@code key_dec}) of a {@code keyLen}-byte key. */
    public static byte[] crypt(int[] rk, int keyLen, byte[] in, boolean encrypt) {
        int rounds = 6 + keyLen / 4;
        int[] st0 = new int[4];
        int[] st1 = new int[4];
        for (int i = 0; i < 4; i++) {
            st0[i] = rk[i] ^ le32(in, 4 * i);
        }
        int rkp = 4;
        for (int round = 0;; round += 2, rkp += 8) {
            for (int i = 0; i < 4; i++) {
                st1[i] = encrypt ? mixColumns(subshift(st0, i)) ^ rk[rkp + i] : invMixColumns(invSubshift(st0, i)) ^ rk[rkp + i];
            }
            if (round == rounds - 2) {
                break;
            }
            for (int i = 0; i < 4; i++) {
                st0[i] = encrypt ? mixColumns(subshift(st1, i)) ^ rk[rkp + 4 + i]
                        : invMixColumns(invSubshift(st1, i)) ^ rk[rkp + 4 + i];
            }
        }
        byte[] out = new byte[16];
        for (int i = 0; i < 4; i++) {
            putLe32(out, 4 * i, (encrypt ? subshift(st1, i) : invSubshift(st1, i)) ^ rk[rkp + 4 + i]);
        }
        return out;
    }

    private static long ctx(KernelContext k, long ctx, String f) {
        return ctx + k.off("crypto_aes_ctx_" + f);
    }

    /** Writes the expanded keys into a guest {@code struct crypto_aes_ctx}. */
    public static void store(KernelContext k, long ctx, byte[] key) {
        AddressSpace m = k.mem();
        int[][] keys = expand(key);
        for (int i = 0; i < 60; i++) {
            m.write32(ctx(k, ctx, "key_enc") + 4L * i, keys[0][i]);
            m.write32(ctx(k, ctx, "key_dec") + 4L * i, keys[1][i]);
        }
        m.write32(ctx(k, ctx, "key_length"), key.length);
    }

    private static int[] words(KernelContext k, long at) {
        int[] w = new int[60];
        for (int i = 0; i < 60; i++) {
            w[i] = k.mem().read32(at + 4L * i);
        }
        return w;
    }

    /** int aes_expandkey(struct crypto_aes_ctx *ctx, const u8 *in_key, unsigned int key_len) */
    @KernelSymbol("aes_expandkey")
    public static int expandkey(KernelContext k, long ctx, long inKey, int keyLen) {
        if (!validKeylen(keyLen)) {
            return -Errno.EINVAL;
        }
        store(k, ctx, k.mem().read(inKey, keyLen));
        return 0;
    }

    /** void aes_encrypt(const struct crypto_aes_ctx *ctx, u8 *out, const u8 *in) */
    @KernelSymbol("aes_encrypt")
    public static void encrypt(KernelContext k, long ctx, long out, long in) {
        int len = k.mem().read32(ctx(k, ctx, "key_length"));
        k.mem().write(out, crypt(words(k, ctx(k, ctx, "key_enc")), len, k.mem().read(in, 16), true));
    }

    /** void aes_decrypt(const struct crypto_aes_ctx *ctx, u8 *out, const u8 *in) */
    @KernelSymbol("aes_decrypt")
    public static void decrypt(KernelContext k, long ctx, long out, long in) {
        int len = k.mem().read32(ctx(k, ctx, "key_length"));
        k.mem().write(out, crypt(words(k, ctx(k, ctx, "key_dec")), len, k.mem().read(in, 16), false));
    }
}
