package dev.kmodemu.kstubs.crypto;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.kernel.Oops;

/**
 * crypto/aead.c: authenticated encryption algorithms ({@code struct aead_alg}): registration,
 * template instances, transforms, keys, tag sizes and the encrypt/decrypt calls that run the
 * algorithm's own callbacks.
 */
public final class Aead {
    private Aead() {
    }

    private static final int GFP_ATOMIC = 0x820;

    static long aalg(KernelContext k, long alg) {
        return alg - k.off("aead_alg_base");
    }

    private static long f(KernelContext k, long aalg, String field) {
        return aalg + k.off("aead_alg_" + field);
    }

    private static int u32(KernelContext k, long aalg, String field) {
        return k.mem().read32(f(k, aalg, field));
    }

    private static long fn(KernelContext k, long aalg, String field) {
        return k.mem().read64(f(k, aalg, field));
    }

    private static long baseOf(KernelContext k, long tfm) {
        return tfm + k.off("crypto_aead_base");
    }

    private static long algOf(KernelContext k, long tfm) {
        return aalg(k, Api.tfmAlg(k, baseOf(k, tfm)));
    }

    private static long flagsAt(KernelContext k, long tfm) {
        return Api.tfmField(k, baseOf(k, tfm), "crt_flags");
    }

    private static void needKey(KernelContext k, long tfm, boolean set) {
        int v = k.mem().read32(flagsAt(k, tfm));
        int bit = k.off("CRYPTO_TFM_NEED_KEY");
        k.mem().write32(flagsAt(k, tfm), set ? v | bit : v & ~bit);
    }

    /** {@code aead_prepare_alg()}. */
    private static int prepareAlg(KernelContext k, long aalg) {
        AddressSpace m = k.mem();
        long base = f(k, aalg, "base");
        long limit = k.off("PAGE_SIZE") / 8;
        long max = Math.max(Integer.toUnsignedLong(u32(k, aalg, "maxauthsize")),
                Math.max(Integer.toUnsignedLong(u32(k, aalg, "ivsize")), Integer.toUnsignedLong(u32(k, aalg, "chunksize"))));
        if (max > limit) {
            return -Errno.EINVAL;
        }
        if (u32(k, aalg, "chunksize") == 0) {
            m.write32(f(k, aalg, "chunksize"), Alg.blocksize(k, base));
        }
        Alg.setType(k, base, Frontend.AEAD);
        return 0;
    }

    /** int crypto_register_aead(struct aead_alg *alg) */
    @KernelSymbol("crypto_register_aead")
    static int registerAead(KernelContext k, long aalg) {
        int err = prepareAlg(k, aalg);
        return err != 0 ? err : Algapi.registerAlg(k, f(k, aalg, "base"));
    }

    /** void crypto_unregister_aead(struct aead_alg *alg) */
    @KernelSymbol("crypto_unregister_aead")
    static void unregisterAead(KernelContext k, long aalg) {
        Algapi.unregisterAlg(k, f(k, aalg, "base"));
    }

    /** int crypto_register_aeads(struct aead_alg *algs, int count) */
    @KernelSymbol("crypto_register_aeads")
    static int registerAeads(KernelContext k, long algs, int count) {
        return Algapi.registerMany(algs, count, k.off("aead_alg_sizeof"), a -> registerAead(k, a), a -> unregisterAead(k, a));
    }

    /** void crypto_unregister_aeads(struct aead_alg *algs, int count) */
    @KernelSymbol("crypto_unregister_aeads")
    static void unregisterAeads(KernelContext k, long algs, int count) {
        Algapi.unregisterMany(algs, count, k.off("aead_alg_sizeof"), true, a -> unregisterAead(k, a));
    }

    /** int aead_register_instance(struct crypto_template *tmpl, struct aead_instance *inst) */
    @KernelSymbol("aead_register_instance")
    static int registerInstance(KernelContext k, long tmpl, long inst) {
        return Algapi.registerTypedInstance(k, tmpl, inst, "aead", "crypto/aead.c:292", a -> prepareAlg(k, a));
    }

    /** {@code crypto_aead_free_instance()}. */
    static void freeInstance(KernelContext k, long cinst) {
        Algapi.freeTypedInstance(k, cinst, "aead");
    }

    /** int crypto_grab_aead(struct crypto_aead_spawn *spawn, struct crypto_instance *inst, const char *name, u32 type, u32 mask) */
    @KernelSymbol("crypto_grab_aead")
    static int grabAead(KernelContext k, long spawn, long inst, long name, int type, int mask) {
        return Algapi.grabSpawn(k, spawn, Frontend.AEAD, inst, name, type, mask);
    }

    /** {@code crypto_aead_init_tfm()}. */
    static int initTfm(KernelContext k, long base) {
        long tfm = base - k.off("crypto_aead_base");
        long aalg = algOf(k, tfm);
        needKey(k, tfm, true);
        k.mem().write32(tfm + k.off("crypto_aead_authsize"), u32(k, aalg, "maxauthsize"));
        if (fn(k, aalg, "exit") != 0) {
            k.mem().write64(Api.tfmField(k, base, "exit"), k.sym("crypto_aead_exit_tfm"));
        }
        long init = fn(k, aalg, "init");
        return init == 0 ? 0 : (int) k.call(init, tfm);
    }

    /** static void crypto_aead_exit_tfm(struct crypto_tfm *tfm) */
    @KernelSymbol(value = "crypto_aead_exit_tfm", internal = true)
    static void exitTfm(KernelContext k, long base) {
        long tfm = base - k.off("crypto_aead_base");
        k.call(fn(k, algOf(k, tfm), "exit"), tfm);
    }

    /** struct crypto_aead *crypto_alloc_aead(const char *alg_name, u32 type, u32 mask) */
    @KernelSymbol("crypto_alloc_aead")
    static long allocAead(KernelContext k, long name, int type, int mask) {
        return Api.allocTfm(k, Alg.str(k, name), Frontend.AEAD, type, mask);
    }

    /** int crypto_aead_setkey(struct crypto_aead *tfm, const u8 *key, unsigned int keylen) */
    @KernelSymbol("crypto_aead_setkey")
    static int setkey(KernelContext k, long tfm, long key, int keylen) {
        long aalg = algOf(k, tfm);
        int am = Alg.alignmask(k, Api.tfmAlg(k, baseOf(k, tfm)));
        int err;
        if ((key & am) != 0) {
            long buf = k.slab().kmalloc(keylen + am, GFP_ATOMIC);
            if (buf == 0) {
                return -Errno.ENOMEM;
            }
            long aligned = (buf + am) & ~(long) am;
            k.mem().write(aligned, k.mem().read(key, keylen));
            err = (int) k.call(fn(k, aalg, "setkey"), tfm, aligned, Integer.toUnsignedLong(keylen));
            Api.kfreeSensitive(k, buf);
        } else {
            err = (int) k.call(fn(k, aalg, "setkey"), tfm, key, Integer.toUnsignedLong(keylen));
        }
        needKey(k, tfm, err != 0);
        return err;
    }

    /** int crypto_aead_setauthsize(struct crypto_aead *tfm, unsigned int authsize) */
    @KernelSymbol("crypto_aead_setauthsize")
    static int setauthsize(KernelContext k, long tfm, int authsize) {
        long aalg = algOf(k, tfm);
        int max = u32(k, aalg, "maxauthsize");
        if ((authsize == 0 && max != 0) || Integer.compareUnsigned(authsize, max) > 0) {
            return -Errno.EINVAL;
        }
        long set = fn(k, aalg, "setauthsize");
        if (set != 0) {
            int err = (int) k.call(set, tfm, Integer.toUnsignedLong(authsize));
            if (err != 0) {
                return err;
            }
        }
        k.mem().write32(tfm + k.off("crypto_aead_authsize"), authsize);
        return 0;
    }

    private static long reqTfm(KernelContext k, long req) {
        long base = k.mem().read64(req + k.off("aead_request_base") + k.off("crypto_async_request_tfm"));
        return base - k.off("crypto_aead_base");
    }

    /** int crypto_aead_encrypt(struct aead_request *req) */
    @KernelSymbol("crypto_aead_encrypt")
    static int encrypt(KernelContext k, long req) {
        long tfm = reqTfm(k, req);
        if ((k.mem().read32(flagsAt(k, tfm)) & k.off("CRYPTO_TFM_NEED_KEY")) != 0) {
            return -Errno.ENOKEY;
        }
        return (int) k.call(fn(k, algOf(k, tfm), "encrypt"), req);
    }

    /** int crypto_aead_decrypt(struct aead_request *req) */
    @KernelSymbol("crypto_aead_decrypt")
    static int decrypt(KernelContext k, long req) {
        long tfm = reqTfm(k, req);
        if ((k.mem().read32(flagsAt(k, tfm)) & k.off("CRYPTO_TFM_NEED_KEY")) != 0) {
            return -Errno.ENOKEY;
        }
        int cryptlen = k.mem().read32(req + k.off("aead_request_cryptlen"));
        if (Integer.compareUnsigned(cryptlen, k.mem().read32(tfm + k.off("crypto_aead_authsize"))) < 0) {
            return -Errno.EINVAL;
        }
        return (int) k.call(fn(k, algOf(k, tfm), "decrypt"), req);
    }

    /** {@code crypto_aead_show()}. */
    static void show(KernelContext k, StringBuilder sb, long alg) {
        long a = aalg(k, alg);
        sb.append("type         : aead\n");
        sb.append("async        : ").append((Alg.flags(k, alg) & Alg.flag(k, "ASYNC")) != 0 ? "yes" : "no").append('\n');
        sb.append("blocksize    : ").append(Integer.toUnsignedString(Alg.blocksize(k, alg))).append('\n');
        sb.append("ivsize       : ").append(Integer.toUnsignedString(u32(k, a, "ivsize"))).append('\n');
        sb.append("maxauthsize  : ").append(Integer.toUnsignedString(u32(k, a, "maxauthsize"))).append('\n');
        sb.append("geniv        : <none>\n");
    }
}
