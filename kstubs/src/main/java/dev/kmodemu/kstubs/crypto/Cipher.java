package dev.kmodemu.kstubs.crypto;

import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * crypto/cipher.c: single-block ciphers ({@code cra_u.cipher}), used through a bare
 * {@code struct crypto_tfm} ({@code struct crypto_cipher}); data or keys not aligned to the
 * algorithm's alignmask go through a bounce buffer as the kernel's on-stack one does.
 */
public final class Cipher {
    private Cipher() {
    }

    private static final int GFP_ATOMIC = 0x820;

    /** int crypto_cipher_setkey(struct crypto_cipher *tfm, const u8 *key, unsigned int keylen) */
    @KernelSymbol("crypto_cipher_setkey")
    static int setkey(KernelContext k, long tfm, long key, int keylen) {
        long alg = Api.tfmAlg(k, tfm);
        int min = k.mem().read32(Alg.cipherAt(k, alg, "min_keysize"));
        int max = k.mem().read32(Alg.cipherAt(k, alg, "max_keysize"));
        if (Integer.compareUnsigned(keylen, min) < 0 || Integer.compareUnsigned(keylen, max) > 0) {
            return -Errno.EINVAL;
        }
        long fn = k.mem().read64(Alg.cipherAt(k, alg, "setkey"));
        int am = Alg.alignmask(k, alg);
        if ((key & am) == 0) {
            return (int) k.call(fn, tfm, key, Integer.toUnsignedLong(keylen));
        }
        // setkey_unaligned()
        long buf = k.slab().kmalloc(keylen + am, GFP_ATOMIC);
        if (buf == 0) {
            return -Errno.ENOMEM;
        }
        long aligned = (buf + am) & ~(long) am;
        k.mem().write(aligned, k.mem().read(key, keylen));
        int ret = (int) k.call(fn, tfm, aligned, Integer.toUnsignedLong(keylen));
        k.mem().write(aligned, new byte[keylen]);
        k.slab().kfree(buf);
        return ret;
    }

    /** {@code cipher_crypt_one()}. */
    static void cryptOne(KernelContext k, long tfm, long dst, long src, boolean enc) {
        long alg = Api.tfmAlg(k, tfm);
        long fn = k.mem().read64(Alg.cipherAt(k, alg, enc ? "encrypt" : "decrypt"));
        int am = Alg.alignmask(k, alg);
        if (((dst | src) & am) == 0) {
            k.call(fn, tfm, dst, src);
            return;
        }
        int bs = Alg.blocksize(k, alg);
        long buf = k.slab().kmalloc(k.off("MAX_CIPHER_BLOCKSIZE") + k.off("MAX_CIPHER_ALIGNMASK"), GFP_ATOMIC);
        long tmp = (buf + am) & ~(long) am;
        k.mem().write(tmp, k.mem().read(src, bs));
        k.call(fn, tfm, tmp, tmp);
        k.mem().write(dst, k.mem().read(tmp, bs));
        k.slab().kfree(buf);
    }

    /** void crypto_cipher_encrypt_one(struct crypto_cipher *tfm, u8 *dst, const u8 *src) */
    @KernelSymbol("crypto_cipher_encrypt_one")
    static void encryptOne(KernelContext k, long tfm, long dst, long src) {
        cryptOne(k, tfm, dst, src, true);
    }

    /** void crypto_cipher_decrypt_one(struct crypto_cipher *tfm, u8 *dst, const u8 *src) */
    @KernelSymbol("crypto_cipher_decrypt_one")
    static void decryptOne(KernelContext k, long tfm, long dst, long src) {
        cryptOne(k, tfm, dst, src, false);
    }

    /** {@code crypto_alloc_cipher()} (inline in modules) from Java: {@code crypto_alloc_base()} of a cipher. */
    static long alloc(KernelContext k, String name, int type, int mask) {
        int t = (type & ~Alg.flag(k, "TYPE_MASK")) | Alg.flag(k, "TYPE_CIPHER");
        int msk = mask | Alg.flag(k, "TYPE_MASK");
        long alg = Api.modLookup(k, name, t, msk);
        if (Api.isErr(alg)) {
            return alg;
        }
        long tfm = Api.allocBareTfm(k, alg, t, msk);
        if (Api.isErr(tfm)) {
            Api.modPut(k, alg);
        }
        return tfm;
    }
}
