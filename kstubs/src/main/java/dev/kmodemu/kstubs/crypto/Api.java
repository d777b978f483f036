package dev.kmodemu.kstubs.crypto;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.lib.Lists;

/**
 * crypto/api.c: the list of algorithms ({@code crypto_alg_list}, the guest's own list through
 * each {@code cra_list}, newest first, which /proc/crypto walks), lookup by name or driver name
 * with the kernel's priority and flag rules, loading a missing algorithm with
 * {@code request_module("crypto-NAME")} and having the crypto manager build template instances
 * ("ecb(aes)"), reference counting of algorithms and their modules, and transform allocation.
 *
 * <p>The kernel parks a "larval" placeholder in the list while an algorithm is being looked up
 * or tested, and waits on it. Here lookups, module loads, template instantiation and self-tests
 * all complete before the call that started them returns, so a larval is never visible: nothing
 * else runs meanwhile on the one CPU that could see it.
 */
public final class Api {
    private Api() {
    }

    /** The per-kernel crypto state: the kernel's built-in algorithms are registered on first use. */
    static final class State {
        boolean booted;
    }

    static State state(KernelContext k) {
        State s = k.state(Api.class, State::new);
        if (!s.booted) {
            s.booted = true;
            Builtin.register(k);
        }
        return s;
    }

    /** {@code LIST_HEAD(crypto_alg_list)}. */
    @KernelData(value = "crypto_alg_list", size = 16)
    static void algList(KernelContext k, long at) {
        Lists.pokeInit(k, at);
    }

    /** The head of {@code crypto_alg_list}, with the built-in algorithms on it. */
    static long list(KernelContext k) {
        state(k);
        return k.sym("crypto_alg_list");
    }

    // ---------------------------------------------------------------- references

    private static boolean tryModuleGet(KernelContext k, long module) {
        return module == 0 || k.call(k.sym("try_module_get"), module) != 0;
    }

    private static void modulePut(KernelContext k, long module) {
        if (module != 0) {
            k.call(k.sym("module_put"), module);
        }
    }

    /** {@code crypto_alg_get()}: refcount_inc(). */
    static void algGet(KernelContext k, long alg) {
        Alg.setRefcnt(k, alg, Alg.refcnt(k, alg) + 1);
    }

    /** {@code crypto_alg_put()}: the last reference destroys the algorithm ({@code cra_destroy}). */
    static void algPut(KernelContext k, long alg) {
        int r = Alg.refcnt(k, alg) - 1;
        Alg.setRefcnt(k, alg, r);
        if (r == 0) {
            destroyAlg(k, alg);
        }
    }

    /** {@code crypto_destroy_alg()}. */
    private static void destroyAlg(KernelContext k, long alg) {
        long destroy = Alg.ptr(k, alg, "destroy");
        if (destroy == k.sym("crypto_destroy_instance")) {
            Algapi.destroyInstance(k, alg);
        } else if (destroy != 0) {
            k.call(destroy, alg);
        }
    }

    /** {@code crypto_mod_get()}: a reference on the algorithm and its module; 0 if the module is going. */
    static long modGet(KernelContext k, long alg) {
        algGet(k, alg);
        if (tryModuleGet(k, Alg.module(k, alg))) {
            return alg;
        }
        algPut(k, alg);
        return 0;
    }

    /** void crypto_mod_put(struct crypto_alg *alg) */
    @KernelSymbol("crypto_mod_put")
    static void modPut(KernelContext k, long alg) {
        long module = Alg.module(k, alg);
        algPut(k, alg);
        modulePut(k, module);
    }

    // ---------------------------------------------------------------- lookup

    /** {@code __crypto_alg_lookup()}: the exact driver name wins, else the highest-priority name. */
    static long lookupRaw(KernelContext k, String name, int type, int mask) {
        long alg = 0;
        int best = -2;
        for (long e : Lists.entries(k, list(k))) {
            long q = Alg.fromList(k, e);
            if (Alg.moribund(k, q)) {
                continue;
            }
            if (((Alg.flags(k, q) ^ type) & mask) != 0) {
                continue;
            }
            boolean exact = Alg.driver(k, q).equals(name);
            boolean fuzzy = Alg.name(k, q).equals(name);
            if (!exact && !(fuzzy && Alg.priority(k, q) > best)) {
                continue;
            }
            if (modGet(k, q) == 0) {
                continue;
            }
            best = Alg.priority(k, q);
            if (alg != 0) {
                modPut(k, alg);
            }
            alg = q;
            if (exact) {
                break;
            }
        }
        return alg;
    }

    /** {@code crypto_alg_lookup()}: tested algorithms only, unless asked otherwise; -Errno.ELIBBAD for a failed test. */
    static long lookup(KernelContext k, String name, int type, int mask) {
        int fips = Alg.flag(k, "FIPS_INTERNAL");
        int tested = Alg.flag(k, "TESTED");
        int test = ((type | mask) & tested) == 0 ? tested : 0;
        long alg = lookupRaw(k, name, (type | test) & ~fips, (mask | test) & ~fips);
        if (alg != 0) {
            if ((((type | mask) ^ fips) & fips) != 0) {
                mask |= fips;
            }
            mask &= fips;
            if (((type ^ Alg.flags(k, alg)) & mask) != 0) {
                modPut(k, alg);
                return -Errno.ENOENT;
            }
        } else if (test != 0) {
            alg = lookupRaw(k, name, type, mask);
            if (alg != 0) {
                modPut(k, alg);
                return -Errno.ELIBBAD;
            }
        }
        return alg;
    }

    

    /**
     * {@code crypto_larval_lookup()} and {@code crypto_alg_mod_lookup()}: a loaded algorithm, else
     * one a module provides ({@code request_module("crypto-%s")}, and "crypto-%s-all" unless a
     * fallback is excluded), else a template instance the crypto manager builds; -ENOENT if none.
     */
    static long modLookup(KernelContext k, String name, int type, int mask) {
        int internal = Alg.flag(k, "INTERNAL");
        if (((type | mask) & internal) == 0) {
            mask |= internal;
        }
        int strip = Alg.flag(k, "LARVAL") | Alg.flag(k, "DEAD");
        type &= ~strip;
        mask &= ~strip;
        long alg = lookup(k, name, type, mask);
        if (alg == 0 && (mask & k.off("CRYPTO_NOLOAD")) == 0) {
            requestModule(k, "crypto-" + name);
            int fallback = Alg.flag(k, "NEED_FALLBACK");
            if (((type ^ fallback) & mask & fallback) == 0) {
                requestModule(k, "crypto-" + name + "-all");
            }
            alg = lookup(k, name, type, mask);
        }
        if (alg == 0) {
            // crypto_larval_add() then crypto_probing_notify(CRYPTO_MSG_ALG_REQUEST): cryptomgr
            alg = Algboss.probe(k, name, type, mask);
        }
        return alg;
    }

    private static void requestModule(KernelContext k, String module) {
        dev.kmodemu.kstubs.kernel.Kmod.requestModule(k, module);
    }

    /** struct crypto_alg *crypto_alg_mod_lookup(const char *name, u32 type, u32 mask) */
    @KernelSymbol(value = "crypto_alg_mod_lookup", internal = true)
    static long algModLookupSym(KernelContext k, long name, int type, int mask) {
        return modLookup(k, Alg.str(k, name), type, mask);
    }

    /** {@code crypto_find_alg()}: the lookup with the frontend's type and mask applied. */
    static long findAlg(KernelContext k, String name, Frontend frontend, int type, int mask) {
        if (frontend != null) {
            type &= frontend.maskclear(k);
            mask &= frontend.maskclear(k);
            type |= frontend.type(k);
            mask |= frontend.maskset(k);
        }
        return modLookup(k, name, type, mask);
    }

    /** int crypto_has_alg(const char *name, u32 type, u32 mask) */
    @KernelSymbol("crypto_has_alg")
    static int hasAlg(KernelContext k, long name, int type, int mask) {
        return typeHasAlg(k, Alg.str(k, name), null, type, mask);
    }

    /**
     * crypto/algapi.c's {@code crypto_type_has_alg()} (and with no frontend api.c's
     * {@code crypto_has_alg()}): 1 when the lookup finds the algorithm, loading its module if
     * need be, else 0; the reference the lookup took is dropped.
     */
    static int typeHasAlg(KernelContext k, String name, Frontend frontend, int type, int mask) {
        long alg = findAlg(k, name, frontend, type, mask);
        if (isErr(alg)) {
            return 0;
        }
        modPut(k, alg);
        return 1;
    }

    static boolean isErr(long v) {
        return Long.compareUnsigned(v, -4095L) >= 0;
    }

    // ---------------------------------------------------------------- transforms

    static long tfmField(KernelContext k, long tfm, String f) {
        return tfm + k.off("crypto_tfm_" + f);
    }

    static long tfmAlg(KernelContext k, long tfm) {
        return k.mem().read64(tfmField(k, tfm, "__crt_alg"));
    }

    static long tfmCtx(KernelContext k, long tfm) {
        return tfmField(k, tfm, "__crt_ctx");
    }

    private static final int GFP_KERNEL_ZERO = 0xcc0 | 0x100;

    /** {@code crypto_create_tfm_node()} for a frontend: {@code crypto_alloc_tfmmem()}, init_tfm, cra_init. */
    static long createTfm(KernelContext k, long alg, Frontend frontend) {
        if (!frontend.allocatable() || Builtin.listedOnly(k, alg)) {
            return -Errno.ENOENT;
        }
        AddressSpace m = k.mem();
        int tfmsize = frontend.tfmsize(k);
        long total = tfmsize + k.off("crypto_tfm_sizeof") + frontend.extsize(k, alg);
        long mem = k.slab().kmalloc(total, GFP_KERNEL_ZERO);
        if (mem == 0) {
            return -Errno.ENOMEM;
        }
        long tfm = mem + tfmsize;
        m.write64(tfmField(k, tfm, "__crt_alg"), alg);
        m.write32(tfmField(k, tfm, "node"), -1);
        m.write32(tfmField(k, tfm, "refcnt"), 1);
        int err = frontend.initTfm(k, tfm);
        if (err == 0 && m.read64(tfmField(k, tfm, "exit")) == 0) {
            long init = Alg.ptr(k, alg, "init");
            if (init != 0) {
                err = (int) k.call(init, tfm);
                if (err != 0) {
                    exitOps(k, tfm);
                }
            }
        }
        if (err != 0) {
            k.slab().kfree(mem);
            return err;
        }
        return mem;
    }

    /** {@code crypto_exit_ops()}: the frontend's exit hook, if it set one. */
    private static void exitOps(KernelContext k, long tfm) {
        long exit = k.mem().read64(tfmField(k, tfm, "exit"));
        if (exit != 0) {
            k.call(exit, tfm);
        }
    }

    /** {@code crypto_alloc_tfm_node()}: find the algorithm, make a transform of it. */
    static long allocTfm(KernelContext k, String name, Frontend frontend, int type, int mask) {
        long alg = findAlg(k, name, frontend, type, mask);
        if (isErr(alg)) {
            return alg;
        }
        long mem = createTfm(k, alg, frontend);
        if (isErr(mem)) {
            modPut(k, alg);
        }
        return mem;
    }

    /** {@code crypto_ctxsize()} for transforms without a frontend (cipher, compression). */
    private static int ctxsizeBase(KernelContext k, long alg) {
        return Alg.ctxsize(k, alg) + (Alg.alignmask(k, alg) & ~(Alg.ctxAlignment(k) - 1));
    }

    /** {@code __crypto_alloc_tfm()}: a bare {@code struct crypto_tfm} with its context. */
    static long allocBareTfm(KernelContext k, long alg, int type, int mask) {
        if (Builtin.listedOnly(k, alg)) {
            return -Errno.ENOENT;
        }
        if (Frontend.of(k, Alg.cratype(k, alg)) != null) {
            // crypto_alloc_base() of a typed algorithm: its cra_type->init would be needed
            return -Errno.EINVAL;
        }
        AddressSpace m = k.mem();
        long tfm = k.slab().kmalloc(k.off("crypto_tfm_sizeof") + ctxsizeBase(k, alg), GFP_KERNEL_ZERO);
        if (tfm == 0) {
            return -Errno.ENOMEM;
        }
        m.write64(tfmField(k, tfm, "__crt_alg"), alg);
        m.write32(tfmField(k, tfm, "refcnt"), 1);
        long init = Alg.ptr(k, alg, "init");
        if (init != 0) {
            int err = (int) k.call(init, tfm);
            if (err != 0) {
                k.slab().kfree(tfm);
                return err;
            }
        }
        return tfm;
    }

    /** struct crypto_tfm *crypto_alloc_base(const char *alg_name, u32 type, u32 mask) */
    @KernelSymbol("crypto_alloc_base")
    static long allocBase(KernelContext k, long name, int type, int mask) {
        long alg = modLookup(k, Alg.str(k, name), type, mask);
        if (isErr(alg)) {
            return alg;
        }
        long tfm = allocBareTfm(k, alg, type, mask);
        if (isErr(tfm)) {
            modPut(k, alg);
        }
        return tfm;
    }

    /** void crypto_destroy_tfm(void *mem, struct crypto_tfm *tfm) */
    @KernelSymbol("crypto_destroy_tfm")
    static void destroyTfm(KernelContext k, long mem, long tfm) {
        if (mem == 0 || isErr(mem)) {
            return;
        }
        AddressSpace m = k.mem();
        int ref = m.read32(tfmField(k, tfm, "refcnt")) - 1;
        m.write32(tfmField(k, tfm, "refcnt"), ref);
        if (ref != 0) {
            return;
        }
        long alg = tfmAlg(k, tfm);
        long exit = Alg.ptr(k, alg, "exit");
        if (m.read64(tfmField(k, tfm, "exit")) == 0 && exit != 0) {
            k.call(exit, tfm);
        }
        exitOps(k, tfm);
        modPut(k, alg);
        Api.kfreeSensitive(k, mem);
    }

    /** void crypto_req_done(struct crypto_async_request *req, int err) */
    @KernelSymbol("crypto_req_done")
    static void reqDone(KernelContext k, long req, int err) {
        if (err == -Errno.EINPROGRESS) {
            return;
        }
        long wait = k.mem().read64(req + k.off("crypto_async_request_data"));
        // struct crypto_wait { struct completion completion; int err; }
        k.mem().write32(wait + k.off("crypto_wait_err"), err);
        k.call(k.sym("complete"), wait + k.off("crypto_wait_completion"));
    }

    /** {@code kfree_sensitive()}: zeroed, then freed. */
    static void kfreeSensitive(KernelContext k, long p) {
        long ks = k.slab().ksize(p);
        if (ks != 0) {
            k.mem().fill(p, ks, (byte) 0);
        }
        k.slab().kfree(p);
    }

    /** {@code crypto_shoot_alg()}: marks an algorithm dying so new lookups skip it. */
    static void shootAlg(KernelContext k, long alg) {
        Alg.orFlags(k, alg, Alg.flag(k, "DYING"));
    }
}
