package dev.kmodemu.kstubs.crypto;

import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.kernel.Oops;

/**
 * crypto/ahash.c: asynchronous hash algorithms ({@code struct ahash_alg}): registration, template
 * instances and /proc/crypto. Transforms of ahash algorithms ({@code crypto_alloc_ahash()}) are not
 * provided: kmodemu has no asynchronous request machinery, so the ahash frontend allocates nothing
 * and a lookup through it fails as for an algorithm of another type.
 */
public final class Ahash {
    private Ahash() {
    }

    private static long halg(KernelContext k, long aalg) {
        return aalg + k.off("ahash_alg_halg");
    }

    private static int digestsize(KernelContext k, long aalg) {
        return k.mem().read32(halg(k, aalg) + k.off("hash_alg_common_digestsize"));
    }

    private static int statesize(KernelContext k, long aalg) {
        return k.mem().read32(halg(k, aalg) + k.off("hash_alg_common_statesize"));
    }

    private static long base(KernelContext k, long aalg) {
        return halg(k, aalg) + k.off("hash_alg_common_base");
    }

    /** {@code ahash_prepare_alg()}. */
    private static int prepareAlg(KernelContext k, long aalg) {
        if (Integer.compareUnsigned(digestsize(k, aalg), k.off("HASH_MAX_DIGESTSIZE")) > 0
                || Integer.compareUnsigned(statesize(k, aalg), k.off("HASH_MAX_STATESIZE")) > 0
                || statesize(k, aalg) == 0) {
            return -Errno.EINVAL;
        }
        long b = base(k, aalg);
        Alg.setType(k, b, Frontend.AHASH);
        return 0;
    }

    /** int crypto_register_ahash(struct ahash_alg *alg) */
    @KernelSymbol("crypto_register_ahash")
    static int registerAhash(KernelContext k, long aalg) {
        int err = prepareAlg(k, aalg);
        return err != 0 ? err : Algapi.registerAlg(k, base(k, aalg));
    }

    /** void crypto_unregister_ahash(struct ahash_alg *alg) */
    @KernelSymbol("crypto_unregister_ahash")
    static void unregisterAhash(KernelContext k, long aalg) {
        Algapi.unregisterAlg(k, base(k, aalg));
    }

    /** int crypto_register_ahashes(struct ahash_alg *algs, int count) */
    @KernelSymbol("crypto_register_ahashes")
    static int registerAhashes(KernelContext k, long algs, int count) {
        return Algapi.registerMany(algs, count, k.off("ahash_alg_sizeof"), a -> registerAhash(k, a), a -> unregisterAhash(k, a));
    }

    /** void crypto_unregister_ahashes(struct ahash_alg *algs, int count) */
    @KernelSymbol("crypto_unregister_ahashes")
    static void unregisterAhashes(KernelContext k, long algs, int count) {
        Algapi.unregisterMany(algs, count, k.off("ahash_alg_sizeof"), true, a -> unregisterAhash(k, a));
    }

    /** int ahash_register_instance(struct crypto_template *tmpl, struct ahash_instance *inst) */
    @KernelSymbol("ahash_register_instance")
    static int registerInstance(KernelContext k, long tmpl, long inst) {
        return Algapi.registerTypedInstance(k, tmpl, inst, "ahash", "crypto/ahash.c:644", a -> prepareAlg(k, a));
    }

    /** {@code crypto_ahash_free_instance()}. */
    static void freeInstance(KernelContext k, long cinst) {
        Algapi.freeTypedInstance(k, cinst, "ahash");
    }

    /**
     * int crypto_has_ahash(const char *alg_name, u32 type, u32 mask): whether an algorithm of the
     * name reachable through the ahash frontend exists (any hash, shash ones included), loading
     * its module if need be
     */
    @KernelSymbol("crypto_has_ahash")
    static int hasAhash(KernelContext k, long name, int type, int mask) {
        return Api.typeHasAlg(k, Alg.str(k, name), Frontend.AHASH, type, mask);
    }

    /** Never reached: the ahash frontend allocates no transforms (see the class comment). */
    static int initTfm(KernelContext k, long tfm) {
        return -Errno.ENOENT;
    }

    /** {@code crypto_ahash_show()}. */
    static void show(KernelContext k, StringBuilder sb, long alg) {
        long aalg = alg - k.off("ahash_alg_halg") - k.off("hash_alg_common_base");
        sb.append("type         : ahash\n");
        sb.append("async        : ").append((Alg.flags(k, alg) & Alg.flag(k, "ASYNC")) != 0 ? "yes" : "no").append('\n');
        sb.append("blocksize    : ").append(Integer.toUnsignedString(Alg.blocksize(k, alg))).append('\n');
        sb.append("digestsize   : ").append(Integer.toUnsignedString(digestsize(k, aalg))).append('\n');
    }
}
