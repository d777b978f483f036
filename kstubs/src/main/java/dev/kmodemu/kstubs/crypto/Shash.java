package dev.kmodemu.kstubs.crypto;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.kernel.Oops;

/**
 * crypto/shash.c: synchronous hash algorithms ({@code struct shash_alg}), their registration
 * ({@code shash_prepare_alg()} fills in the defaults the kernel does: finup and digest built from
 * init/update/final, export/import copying the descriptor, a setkey that refuses), transforms
 * ({@code crypto_alloc_shash()}), and the calls that run the algorithm's own callbacks, with the
 * kernel's bounce buffers for data or output that is not aligned to the algorithm's alignmask.
 */
public final class Shash {
    private Shash() {
    }

    private static final int GFP_ATOMIC = 0x820;

    static long salg(KernelContext k, long alg) {
        return alg - k.off("shash_alg_base");
    }

    static long f(KernelContext k, long salg, String field) {
        return salg + k.off("shash_alg_" + field);
    }

    private static long fn(KernelContext k, long salg, String field) {
        return k.mem().read64(f(k, salg, field));
    }

    /** {@code crypto_shash_tfm()}: the crypto_tfm inside a crypto_shash. */
    static long baseOf(KernelContext k, long hash) {
        return hash + k.off("crypto_shash_base");
    }

    static long hashOf(KernelContext k, long tfm) {
        return tfm - k.off("crypto_shash_base");
    }

    /** The shash_alg of a crypto_shash. */
    static long algOf(KernelContext k, long hash) {
        return salg(k, Api.tfmAlg(k, baseOf(k, hash)));
    }

    private static int alignmask(KernelContext k, long hash) {
        return Alg.alignmask(k, Api.tfmAlg(k, baseOf(k, hash)));
    }

    static int digestsize(KernelContext k, long hash) {
        return k.mem().read32(f(k, algOf(k, hash), "digestsize"));
    }

    static int descsize(KernelContext k, long hash) {
        return k.mem().read32(hash + k.off("crypto_shash_descsize"));
    }

    private static int tfmFlags(KernelContext k, long hash) {
        return k.mem().read32(Api.tfmField(k, baseOf(k, hash), "crt_flags"));
    }

    private static void setTfmFlags(KernelContext k, long hash, int v) {
        k.mem().write32(Api.tfmField(k, baseOf(k, hash), "crt_flags"), v);
    }

    private static long descTfm(KernelContext k, long desc) {
        return k.mem().read64(desc + k.off("shash_desc_tfm"));
    }

    // ---------------------------------------------------------------- registration

    /** {@code shash_prepare_alg()}: the limits and the defaults; the type and flags of an shash. */
    static int prepareAlg(KernelContext k, long salg) {
        AddressSpace m = k.mem();
        long base = f(k, salg, "base");
        if (Integer.compareUnsigned(m.read32(f(k, salg, "digestsize")), k.off("HASH_MAX_DIGESTSIZE")) > 0
                || Integer.compareUnsigned(m.read32(f(k, salg, "descsize")), k.off("HASH_MAX_DESCSIZE")) > 0
                || Integer.compareUnsigned(m.read32(f(k, salg, "statesize")), k.off("HASH_MAX_STATESIZE")) > 0) {
            return -Errno.EINVAL;
        }
        if ((fn(k, salg, "export") == 0) != (fn(k, salg, "import") == 0)) {
            return -Errno.EINVAL;
        }
        Alg.setType(k, base, Frontend.SHASH);
        if (fn(k, salg, "finup") == 0) {
            m.write64(f(k, salg, "finup"), k.sym("shash_finup_unaligned"));
        }
        if (fn(k, salg, "digest") == 0) {
            m.write64(f(k, salg, "digest"), k.sym("shash_digest_unaligned"));
        }
        if (fn(k, salg, "export") == 0) {
            m.write64(f(k, salg, "export"), k.sym("shash_default_export"));
            m.write64(f(k, salg, "import"), k.sym("shash_default_import"));
            m.write32(f(k, salg, "statesize"), m.read32(f(k, salg, "descsize")));
        }
        if (fn(k, salg, "setkey") == 0) {
            m.write64(f(k, salg, "setkey"), k.sym("shash_no_setkey"));
        }
        return 0;
    }

    /** int crypto_register_shash(struct shash_alg *alg) */
    @KernelSymbol("crypto_register_shash")
    static int registerShash(KernelContext k, long salg) {
        int err = prepareAlg(k, salg);
        return err != 0 ? err : Algapi.registerAlg(k, f(k, salg, "base"));
    }

    /** void crypto_unregister_shash(struct shash_alg *alg) */
    @KernelSymbol("crypto_unregister_shash")
    static void unregisterShash(KernelContext k, long salg) {
        Algapi.unregisterAlg(k, f(k, salg, "base"));
    }

    /** int crypto_register_shashes(struct shash_alg *algs, int count) */
    @KernelSymbol("crypto_register_shashes")
    static int registerShashes(KernelContext k, long algs, int count) {
        return Algapi.registerMany(algs, count, k.off("shash_alg_sizeof"), a -> registerShash(k, a), a -> unregisterShash(k, a));
    }

    /** void crypto_unregister_shashes(struct shash_alg *algs, int count) */
    @KernelSymbol("crypto_unregister_shashes")
    static void unregisterShashes(KernelContext k, long algs, int count) {
        Algapi.unregisterMany(algs, count, k.off("shash_alg_sizeof"), true, a -> unregisterShash(k, a));
    }

    /** int shash_register_instance(struct crypto_template *tmpl, struct shash_instance *inst) */
    @KernelSymbol("shash_register_instance")
    static int registerInstance(KernelContext k, long tmpl, long inst) {
        return Algapi.registerTypedInstance(k, tmpl, inst, "shash", "crypto/shash.c:614", a -> prepareAlg(k, a));
    }

    /** void shash_free_singlespawn_instance(struct shash_instance *inst) */
    @KernelSymbol("shash_free_singlespawn_instance")
    static void freeSinglespawnInstance(KernelContext k, long inst) {
        long ctx = inst + k.off("shash_instance_s_base") + k.off("crypto_instance___ctx");
        Algapi.dropSpawn(k, ctx);
        k.slab().kfree(inst);
    }

    /** {@code crypto_shash_free_instance()}: the instance's own free callback. */
    static void freeInstance(KernelContext k, long cinst) {
        Algapi.freeTypedInstance(k, cinst, "shash");
    }

    /** int crypto_grab_shash(struct crypto_shash_spawn *spawn, struct crypto_instance *inst, const char *name, u32 type, u32 mask) */
    @KernelSymbol("crypto_grab_shash")
    static int grabShash(KernelContext k, long spawn, long inst, long name, int type, int mask) {
        return Algapi.grabSpawn(k, spawn, Frontend.SHASH, inst, name, type, mask);
    }

    // ---------------------------------------------------------------- transforms

    /** {@code crypto_shash_alg_needs_key()}: a setkey and no CRYPTO_ALG_OPTIONAL_KEY. */
    private static boolean needsKey(KernelContext k, long salg) {
        return fn(k, salg, "setkey") != k.sym("shash_no_setkey")
                && (Alg.flags(k, f(k, salg, "base")) & Alg.flag(k, "OPTIONAL_KEY")) == 0;
    }

    /** {@code crypto_shash_init_tfm()}. */
    static int initTfm(KernelContext k, long tfm) {
        AddressSpace m = k.mem();
        long hash = hashOf(k, tfm);
        long salg = salg(k, Api.tfmAlg(k, tfm));
        m.write32(hash + k.off("crypto_shash_descsize"), m.read32(f(k, salg, "descsize")));
        if (needsKey(k, salg)) {
            setTfmFlags(k, hash, tfmFlags(k, hash) | k.off("CRYPTO_TFM_NEED_KEY"));
        }
        if (fn(k, salg, "exit_tfm") != 0) {
            m.write64(Api.tfmField(k, tfm, "exit"), k.sym("crypto_shash_exit_tfm"));
        }
        long init = fn(k, salg, "init_tfm");
        if (init == 0) {
            return 0;
        }
        int err = (int) k.call(init, hash);
        if (err != 0) {
            return err;
        }
        if (Integer.compareUnsigned(descsize(k, hash), k.off("HASH_MAX_DESCSIZE")) > 0) {
            Oops.warnOnce(k, "crypto/shash.c:446", "crypto_shash_init_tfm");
            long exit = fn(k, salg, "exit_tfm");
            if (exit != 0) {
                k.call(exit, hash);
            }
            return -Errno.EINVAL;
        }
        return 0;
    }

    /** static void crypto_shash_exit_tfm(struct crypto_tfm *tfm) */
    @KernelSymbol(value = "crypto_shash_exit_tfm", internal = true)
    static void exitTfm(KernelContext k, long tfm) {
        long hash = hashOf(k, tfm);
        k.call(fn(k, algOf(k, hash), "exit_tfm"), hash);
    }

    /** struct crypto_shash *crypto_alloc_shash(const char *alg_name, u32 type, u32 mask) */
    @KernelSymbol("crypto_alloc_shash")
    static long allocShash(KernelContext k, long name, int type, int mask) {
        return Api.allocTfm(k, Alg.str(k, name), Frontend.SHASH, type, mask);
    }

    /** Allocates by name from Java (the self-tests). */
    static long alloc(KernelContext k, String name, int type, int mask) {
        return Api.allocTfm(k, name, Frontend.SHASH, type, mask);
    }

    /** int crypto_has_shash(const char *alg_name, u32 type, u32 mask) */
    @KernelSymbol("crypto_has_shash")
    static int hasShash(KernelContext k, long name, int type, int mask) {
        return Api.typeHasAlg(k, Alg.str(k, name), Frontend.SHASH, type, mask);
    }

    /** {@code crypto_free_shash()}. */
    static void free(KernelContext k, long hash) {
        Api.destroyTfm(k, hash, baseOf(k, hash));
    }

    /** bool crypto_shash_alg_has_setkey(struct shash_alg *alg) */
    @KernelSymbol("crypto_shash_alg_has_setkey")
    static boolean algHasSetkey(KernelContext k, long salg) {
        return fn(k, salg, "setkey") != k.sym("shash_no_setkey");
    }

    /** static int shash_no_setkey(struct crypto_shash *tfm, const u8 *key, unsigned int keylen) */
    @KernelSymbol(value = "shash_no_setkey", internal = true)
    static int noSetkey(KernelContext k, long tfm, long key, int keylen) {
        return -Errno.ENOSYS;
    }

    /** A kmalloc'd buffer aligned to {@code alignmask + 1} (the kernel's on-stack bounce buffers). */
    private static long[] bounce(KernelContext k, int len, int alignmask) {
        long buf = k.slab().kmalloc(len + alignmask + 1, GFP_ATOMIC);
        long aligned = (buf + alignmask) & ~(long) alignmask;
        return new long[] {buf, aligned};
    }

    /** int crypto_shash_setkey(struct crypto_shash *tfm, const u8 *key, unsigned int keylen) */
    @KernelSymbol("crypto_shash_setkey")
    static int setkey(KernelContext k, long hash, long key, int keylen) {
        long salg = algOf(k, hash);
        int am = alignmask(k, hash);
        int err;
        if ((key & am) != 0) {
            long[] b = bounce(k, keylen, am);
            if (b[0] == 0) {
                return -Errno.ENOMEM;
            }
            k.mem().write(b[1], k.mem().read(key, keylen));
            err = (int) k.call(fn(k, salg, "setkey"), hash, b[1], Integer.toUnsignedLong(keylen));
            Api.kfreeSensitive(k, b[0]);
        } else {
            err = (int) k.call(fn(k, salg, "setkey"), hash, key, Integer.toUnsignedLong(keylen));
        }
        if (err != 0) {
            if (needsKey(k, salg)) {
                setTfmFlags(k, hash, tfmFlags(k, hash) | k.off("CRYPTO_TFM_NEED_KEY"));
            }
            return err;
        }
        setTfmFlags(k, hash, tfmFlags(k, hash) & ~k.off("CRYPTO_TFM_NEED_KEY"));
        return 0;
    }

    /** int crypto_shash_update(struct shash_desc *desc, const u8 *data, unsigned int len) */
    @KernelSymbol("crypto_shash_update")
    static int update(KernelContext k, long desc, long data, int len) {
        long hash = descTfm(k, desc);
        long salg = algOf(k, hash);
        int am = alignmask(k, hash);
        long update = fn(k, salg, "update");
        if ((data & am) == 0) {
            return (int) k.call(update, desc, data, Integer.toUnsignedLong(len));
        }
        // shash_update_unaligned(): the head up to the alignment through a bounce buffer
        int unaligned = am + 1 - (int) (data & am);
        if (Integer.compareUnsigned(unaligned, len) > 0) {
            unaligned = len;
        }
        long[] b = bounce(k, unaligned, am);
        k.mem().write(b[1], k.mem().read(data, unaligned));
        int err = (int) k.call(update, desc, b[1], unaligned);
        k.mem().write(b[1], new byte[unaligned]);
        k.slab().kfree(b[0]);
        return err != 0 ? err : (int) k.call(update, desc, data + unaligned, Integer.toUnsignedLong(len - unaligned));
    }

    /** int crypto_shash_final(struct shash_desc *desc, u8 *out) */
    @KernelSymbol("crypto_shash_final")
    static int finalSym(KernelContext k, long desc, long out) {
        long hash = descTfm(k, desc);
        long salg = algOf(k, hash);
        int am = alignmask(k, hash);
        if ((out & am) == 0) {
            return (int) k.call(fn(k, salg, "final"), desc, out);
        }
        int ds = digestsize(k, hash);
        long[] b = bounce(k, ds, am);
        int err = (int) k.call(fn(k, salg, "final"), desc, b[1]);
        if (err == 0) {
            k.mem().write(out, k.mem().read(b[1], ds));
        }
        Api.kfreeSensitive(k, b[0]);
        return err;
    }

    /** static int shash_finup_unaligned(struct shash_desc *desc, const u8 *data, unsigned int len, u8 *out) */
    @KernelSymbol(value = "shash_finup_unaligned", internal = true)
    static int finupUnaligned(KernelContext k, long desc, long data, int len, long out) {
        int err = update(k, desc, data, len);
        return err != 0 ? err : finalSym(k, desc, out);
    }

    /** int crypto_shash_finup(struct shash_desc *desc, const u8 *data, unsigned int len, u8 *out) */
    @KernelSymbol("crypto_shash_finup")
    static int finup(KernelContext k, long desc, long data, int len, long out) {
        long hash = descTfm(k, desc);
        int am = alignmask(k, hash);
        if (((data | out) & am) != 0) {
            return finupUnaligned(k, desc, data, len, out);
        }
        return (int) k.call(fn(k, algOf(k, hash), "finup"), desc, data, Integer.toUnsignedLong(len), out);
    }

    /** {@code crypto_shash_init()} (inline in modules): -ENOKEY before a needed key, else the alg's init. */
    static int init(KernelContext k, long desc) {
        long hash = descTfm(k, desc);
        if ((tfmFlags(k, hash) & k.off("CRYPTO_TFM_NEED_KEY")) != 0) {
            return -Errno.ENOKEY;
        }
        return (int) k.call(fn(k, algOf(k, hash), "init"), desc);
    }

    /** static int shash_digest_unaligned(struct shash_desc *desc, const u8 *data, unsigned int len, u8 *out) */
    @KernelSymbol(value = "shash_digest_unaligned", internal = true)
    static int digestUnaligned(KernelContext k, long desc, long data, int len, long out) {
        int err = init(k, desc);
        return err != 0 ? err : finup(k, desc, data, len, out);
    }

    /** int crypto_shash_digest(struct shash_desc *desc, const u8 *data, unsigned int len, u8 *out) */
    @KernelSymbol("crypto_shash_digest")
    static int digest(KernelContext k, long desc, long data, int len, long out) {
        long hash = descTfm(k, desc);
        if ((tfmFlags(k, hash) & k.off("CRYPTO_TFM_NEED_KEY")) != 0) {
            return -Errno.ENOKEY;
        }
        if (((data | out) & alignmask(k, hash)) != 0) {
            return digestUnaligned(k, desc, data, len, out);
        }
        return (int) k.call(fn(k, algOf(k, hash), "digest"), desc, data, Integer.toUnsignedLong(len), out);
    }

    /** int crypto_shash_tfm_digest(struct crypto_shash *tfm, const u8 *data, unsigned int len, u8 *out) */
    @KernelSymbol("crypto_shash_tfm_digest")
    static int tfmDigest(KernelContext k, long hash, long data, int len, long out) {
        long desc = newDesc(k, hash);
        try {
            return digest(k, desc, data, len, out);
        } finally {
            freeDesc(k, hash, desc);
        }
    }

    /** A zeroed descriptor for {@code hash} ({@code SHASH_DESC_ON_STACK}: kmalloc'd here). */
    static long newDesc(KernelContext k, long hash) {
        long desc = k.slab().kmalloc(k.off("shash_desc_sizeof") + k.off("HASH_MAX_DESCSIZE"), 0xcc0 | 0x100);
        k.mem().write64(desc + k.off("shash_desc_tfm"), hash);
        return desc;
    }

    /** {@code shash_desc_zero()} and the end of the on-stack descriptor. */
    static void freeDesc(KernelContext k, long hash, long desc) {
        Api.kfreeSensitive(k, desc);
    }

    /** static int shash_default_export(struct shash_desc *desc, void *out) */
    @KernelSymbol(value = "shash_default_export", internal = true)
    static int defaultExport(KernelContext k, long desc, long out) {
        int n = descsize(k, descTfm(k, desc));
        k.mem().write(out, k.mem().read(desc + k.off("shash_desc___ctx"), n));
        return 0;
    }

    /** static int shash_default_import(struct shash_desc *desc, const void *in) */
    @KernelSymbol(value = "shash_default_import", internal = true)
    static int defaultImport(KernelContext k, long desc, long in) {
        int n = descsize(k, descTfm(k, desc));
        k.mem().write(desc + k.off("shash_desc___ctx"), k.mem().read(in, n));
        return 0;
    }

    /** {@code crypto_shash_show()}. */
    static void show(KernelContext k, StringBuilder sb, long alg) {
        sb.append("type         : shash\n");
        sb.append("blocksize    : ").append(Integer.toUnsignedString(Alg.blocksize(k, alg))).append('\n');
        sb.append("digestsize   : ").append(Integer.toUnsignedString(k.mem().read32(f(k, salg(k, alg), "digestsize"))))
                .append('\n');
    }
}
