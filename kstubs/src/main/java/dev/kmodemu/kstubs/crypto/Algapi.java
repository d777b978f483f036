package dev.kmodemu.kstubs.crypto;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.kernel.Notifier;
import dev.kmodemu.kstubs.kernel.Oops;
import dev.kmodemu.kstubs.lib.Lists;

/**
 * crypto/algapi.c: registering algorithms, templates and template instances; spawns (an
 * instance's references to the algorithms it is built on, on their {@code cra_users} lists) and
 * {@code crypto_remove_spawns()}, which takes down the instances built on an algorithm that a
 * better one replaces or that goes away; the template parameter helpers; request queues;
 * {@code crypto_inc()} and {@code __crypto_xor()}. Everything lives in guest memory the way the
 * kernel keeps it, so module code that looks at its own structures sees the kernel's values.
 *
 * <p>The self-test of a new algorithm ({@code crypto_wait_for_test()}: the crypto manager's
 * "cryptomgr_test" thread runs {@link Testmgr}, then {@code crypto_alg_tested()}) runs in the
 * registering task before the registration returns, which is what the waiting registrant sees.
 */
public final class Algapi {
    private Algapi() {
    }

    /** crypto/internal.h's {@code CRYPTOA_ALG}, {@code CRYPTOA_TYPE} (not in the installed headers). */
    static final int CRYPTOA_ALG = 1;
    static final int CRYPTOA_TYPE = 2;
    /** crypto/internal.h's {@code CRYPTO_MAX_ATTRS}. */
    static final int CRYPTO_MAX_ATTRS = 32;
    /** crypto/internal.h's {@code CRYPTO_MSG_ALG_LOADED}. */
    static final int CRYPTO_MSG_ALG_LOADED = 0x0004;
    private static final int GFP_KERNEL_ZERO = 0xcc0 | 0x100;

    /** {@code LIST_HEAD(crypto_template_list)}. */
    @KernelData(value = "crypto_template_list", size = 16)
    static void templateList(KernelContext k, long at) {
        Lists.pokeInit(k, at);
    }

    /** {@code BLOCKING_NOTIFIER_HEAD(crypto_chain)} (crypto/api.c). */
    @KernelData(value = "crypto_chain", sizeOf = "blocking_notifier_head_sizeof")
    static void cryptoChain(KernelContext k, long at) {
        Notifier.initBlockingHead(k, at);
    }

    /** {@code crypto_check_alg()}: the general limits; sets the reference count to 1. */
    static int checkAlg(KernelContext k, long alg) {
        if (Alg.name(k, alg).isEmpty() || Alg.driver(k, alg).isEmpty()) {
            return -Errno.EINVAL;
        }
        int am = Alg.alignmask(k, alg);
        if ((am & (am + 1)) != 0 || Integer.compareUnsigned(am, k.off("MAX_ALGAPI_ALIGNMASK")) > 0
                || Integer.compareUnsigned(Alg.blocksize(k, alg), k.off("MAX_ALGAPI_BLOCKSIZE")) > 0) {
            return -Errno.EINVAL;
        }
        if (Alg.cratype(k, alg) == 0 && Alg.type(k, alg) == Alg.flag(k, "TYPE_CIPHER")
                && (Integer.compareUnsigned(am, k.off("MAX_CIPHER_ALIGNMASK")) > 0
                || Integer.compareUnsigned(Alg.blocksize(k, alg), k.off("MAX_CIPHER_BLOCKSIZE")) > 0)) {
            return -Errno.EINVAL;
        }
        if (Alg.priority(k, alg) < 0) {
            return -Errno.EINVAL;
        }
        Alg.setRefcnt(k, alg, 1);
        return 0;
    }

    /**
     * {@code __crypto_register_alg()}: the name checks against every live algorithm, then the
     * algorithm goes on the list untested. Returns 0 or a negative errno.
     */
    private static int addAlg(KernelContext k, long alg) {
        if ((Alg.flags(k, alg) & Alg.flag(k, "DEAD")) != 0) {
            return -Errno.EAGAIN;
        }
        Lists.init(k, Alg.at(k, alg, "users"));
        Alg.clearFlags(k, alg, Alg.flag(k, "TESTED"));
        String name = Alg.name(k, alg);
        String driver = Alg.driver(k, alg);
        for (long e : Lists.entries(k, Api.list(k))) {
            long q = Alg.fromList(k, e);
            if (q == alg) {
                return -Errno.EEXIST;
            }
            if (Alg.moribund(k, q)) {
                continue;
            }
            if (Alg.driver(k, q).equals(name) || Alg.name(k, q).equals(driver)) {
                return -Errno.EEXIST;
            }
        }
        Lists.add(k, Alg.listOf(k, alg), Api.list(k));
        return 0;
    }

    /**
     * {@code crypto_wait_for_test()}: cryptomgr's test of the new algorithm, then
     * {@code crypto_alg_tested()}.
     */
    private static void test(KernelContext k, long alg) {
        int type = Alg.flags(k, alg);
        if ((type & Alg.flag(k, "INTERNAL")) != 0) {
            type |= Alg.flag(k, "TESTED");
        }
        int err = 0;
        if ((type & Alg.flag(k, "TESTED")) == 0) {
            Api.modGet(k, alg); // the test larval's reference on its adult
            try {
                err = Testmgr.algTest(k, Alg.driver(k, alg), Alg.name(k, alg), type, Alg.flag(k, "TESTED"));
            } finally {
                Api.modPut(k, alg);
            }
        }
        algTested(k, alg, err);
        Notifier.blockingCall(k, k.sym("crypto_chain"), CRYPTO_MSG_ALG_LOADED, alg);
    }

    /** {@code crypto_alg_tested()} for the algorithm itself (no larval: see the class comment). */
    private static void algTested(KernelContext k, long alg, int err) {
        if ((Alg.flags(k, alg) & Alg.flag(k, "DEAD")) != 0) {
            return;
        }
        if (err == -Errno.ECANCELED) {
            Alg.orFlags(k, alg, Alg.flag(k, "FIPS_INTERNAL"));
        } else if (err != 0) {
            return;
        } else {
            Alg.clearFlags(k, alg, Alg.flag(k, "FIPS_INTERNAL"));
        }
        Alg.orFlags(k, alg, Alg.flag(k, "TESTED"));
        long list = tempList(k);
        String name = Alg.name(k, alg);
        String driver = Alg.driver(k, alg);
        for (long e : Lists.entries(k, Api.list(k))) {
            long q = Alg.fromList(k, e);
            if (q == alg || Alg.moribund(k, q) || !Alg.name(k, q).equals(name)) {
                continue;
            }
            if (!Alg.driver(k, q).equals(driver) && Alg.priority(k, q) > Alg.priority(k, alg)) {
                continue;
            }
            removeSpawns(k, q, list, alg);
        }
        removeFinal(k, list);
        k.slab().kfree(list);
    }

    private static long tempList(KernelContext k) {
        long l = k.slab().kmalloc(16, GFP_KERNEL_ZERO);
        Lists.init(k, l);
        return l;
    }

    /** int crypto_register_alg(struct crypto_alg *alg) */
    @KernelSymbol("crypto_register_alg")
    static int registerAlg(KernelContext k, long alg) {
        Alg.clearFlags(k, alg, Alg.flag(k, "DEAD"));
        int err = checkAlg(k, alg);
        if (err != 0) {
            return err;
        }
        err = addAlg(k, alg);
        if (err != 0) {
            return err;
        }
        test(k, alg);
        return 0;
    }

    /** {@code crypto_remove_alg()}: off the list, dead, its dependent instances onto {@code list}. */
    private static int removeAlg(KernelContext k, long alg, long list) {
        if (Lists.empty(k, Alg.listOf(k, alg))) {
            return -Errno.ENOENT;
        }
        Alg.orFlags(k, alg, Alg.flag(k, "DEAD"));
        Lists.delInit(k, Alg.listOf(k, alg));
        removeSpawns(k, alg, list, 0);
        return 0;
    }

    /** void crypto_unregister_alg(struct crypto_alg *alg) */
    @KernelSymbol("crypto_unregister_alg")
    static void unregisterAlg(KernelContext k, long alg) {
        long list = tempList(k);
        try {
            int ret = removeAlg(k, alg, list);
            if (ret != 0) {
                Oops.warn(k, "crypto/algapi.c:461", "crypto_unregister_alg",
                        "Algorithm " + Alg.driver(k, alg) + " is not registered");
                return;
            }
            if (Alg.refcnt(k, alg) != 1) {
                Oops.warn(k, "crypto/algapi.c:464", "crypto_unregister_alg", null);
                return;
            }
            long destroy = Alg.ptr(k, alg, "destroy");
            if (destroy != 0) {
                k.call(destroy, alg);
            }
            removeFinal(k, list);
        } finally {
            k.slab().kfree(list);
        }
    }

    /** int crypto_register_algs(struct crypto_alg *algs, int count) */
    @KernelSymbol("crypto_register_algs")
    static int registerAlgs(KernelContext k, long algs, int count) {
        return registerMany(algs, count, k.off("crypto_alg_sizeof"), a -> registerAlg(k, a), a -> unregisterAlg(k, a));
    }

    /** void crypto_unregister_algs(struct crypto_alg *algs, int count) */
    @KernelSymbol("crypto_unregister_algs")
    static void unregisterAlgs(KernelContext k, long algs, int count) {
        unregisterMany(algs, count, k.off("crypto_alg_sizeof"), false, a -> unregisterAlg(k, a));
    }

    /**
     * The {@code crypto_register_<type>s()} loop: {@code count} algorithms {@code size} bytes apart;
     * on a failure the ones already registered are unregistered, last first.
     */
    static int registerMany(long algs, int count, long size, java.util.function.LongToIntFunction register,
            java.util.function.LongConsumer unregister) {
        for (int i = 0; i < count; i++) {
            int ret = register.applyAsInt(algs + i * size);
            if (ret != 0) {
                for (--i; i >= 0; --i) {
                    unregister.accept(algs + i * size);
                }
                return ret;
            }
        }
        return 0;
    }

    /** The {@code crypto_unregister_<type>s()} loop (last first, except for crypto_unregister_algs). */
    static void unregisterMany(long algs, int count, long size, boolean lastFirst, java.util.function.LongConsumer unregister) {
        for (int j = 0; j < count; j++) {
            int i = lastFirst ? count - 1 - j : j;
            unregister.accept(algs + i * size);
        }
    }

    /**
     * The {@code <type>_register_instance()} of a frontend: WARN (at {@code where}) and -EINVAL
     * without a free callback, else the type's preparation and {@code crypto_register_instance()}.
     */
    static int registerTypedInstance(KernelContext k, long tmpl, long inst, String type, String where,
            java.util.function.LongToIntFunction prepare) {
        if (k.mem().read64(inst + k.off(type + "_instance_free")) == 0) {
            Oops.warn(k, where, type + "_register_instance", null);
            return -Errno.EINVAL;
        }
        int err = prepare.applyAsInt(inst + k.off(type + "_instance_alg"));
        return err != 0 ? err : registerInstance(k, tmpl, inst + k.off(type + "_instance_s_base"));
    }

    /** {@code crypto_<type>_free_instance()}: the instance's own free callback. */
    static void freeTypedInstance(KernelContext k, long cinst, String type) {
        long inst = cinst - k.off(type + "_instance_s_base");
        k.call(k.mem().read64(inst + k.off(type + "_instance_free")), inst);
    }

    /** void crypto_remove_final(struct list_head *list) */
    @KernelSymbol("crypto_remove_final")
    static void removeFinal(KernelContext k, long list) {
        for (long e : Lists.entries(k, list)) {
            Lists.delInit(k, e);
            Api.algPut(k, Alg.fromList(k, e));
        }
    }

    // ---------------------------------------------------------------- spawns

    private static long sp(KernelContext k, long spawn, String f) {
        return spawn + k.off("crypto_spawn_" + f);
    }

    private static boolean spawnBool(KernelContext k, long spawn, String f) {
        return k.mem().read8(sp(k, spawn, f)) != 0;
    }

    private static void setSpawnBool(KernelContext k, long spawn, String f, boolean v) {
        k.mem().write8(sp(k, spawn, f), v ? 1 : 0);
    }

    private static long spawnOf(KernelContext k, long list) {
        return list - k.off("crypto_spawn_list");
    }

    private static long inst(KernelContext k, long inst, String f) {
        return inst + k.off("crypto_instance_" + f);
    }

    /**
     * {@code crypto_more_spawns()}: moves the top of {@code stack} to {@code secondary} and says
     * where the depth-first walk goes on (0 when the stack is empty).
     */
    private static long moreSpawns(KernelContext k, long stack, long top, long secondary) {
        if (Lists.empty(k, stack)) {
            return 0;
        }
        long spawnList = Lists.next(k, stack);
        long spawn = spawnOf(k, spawnList);
        long nList = Lists.prev(k, spawnList);
        Lists.move(k, spawnList, secondary);
        if (Lists.next(k, nList) == stack) {
            return top;
        }
        nList = Lists.next(k, nList);
        long n = spawnOf(k, nList);
        if (!spawnBool(k, spawn, "dead")) {
            setSpawnBool(k, n, "dead", false);
        }
        return Alg.at(k, k.mem().read64(sp(k, n, "inst")) + k.off("crypto_instance_alg"), "users");
    }

    /** {@code crypto_remove_instance()}: dead, off the list onto {@code list}, destroyed when put. */
    private static void removeInstance(KernelContext k, long instance, long list) {
        AddressSpace m = k.mem();
        long tmpl = m.read64(inst(k, instance, "tmpl"));
        long alg = instance + k.off("crypto_instance_alg");
        if ((Alg.flags(k, alg) & Alg.flag(k, "DEAD")) != 0) {
            return;
        }
        Alg.orFlags(k, alg, Alg.flag(k, "DEAD"));
        if (tmpl == 0 || !tmplGet(k, tmpl)) {
            return;
        }
        Lists.move(k, Alg.listOf(k, alg), list);
        hlistDel(k, inst(k, instance, "list"));
        m.write64(Alg.at(k, alg, "destroy"), k.sym("crypto_destroy_instance"));
        if (!Lists.empty(k, Alg.at(k, alg, "users"))) {
            throw Oops.bug(k, "crypto/algapi.c:149");
        }
    }

    /**
     * void crypto_remove_spawns(struct crypto_alg *alg, struct list_head *list, struct crypto_alg *nalg):
     * the instances depending on {@code alg} (except those {@code nalg} depends on) go to {@code list}.
     */
    @KernelSymbol("crypto_remove_spawns")
    static void removeSpawns(KernelContext k, long alg, long list, long nalg) {
        AddressSpace m = k.mem();
        int newType = Alg.flags(k, nalg != 0 ? nalg : alg);
        long top = tempList(k);
        long stack = tempList(k);
        long secondary = tempList(k);
        try {
            for (long e : Lists.entries(k, Alg.at(k, alg, "users"))) {
                long spawn = spawnOf(k, e);
                long salg = m.read64(sp(k, spawn, "alg"));
                if (((Alg.flags(k, salg) ^ newType) & m.read32(sp(k, spawn, "mask"))) != 0) {
                    continue;
                }
                Lists.move(k, e, top);
            }
            long spawns = top;
            do {
                while (!Lists.empty(k, spawns)) {
                    long spawnList = Lists.next(k, spawns);
                    long spawn = spawnOf(k, spawnList);
                    long instance = m.read64(sp(k, spawn, "inst"));
                    long instAlg = instance + k.off("crypto_instance_alg");
                    Lists.move(k, spawnList, stack);
                    boolean registered = spawnBool(k, spawn, "registered");
                    setSpawnBool(k, spawn, "dead", !registered || instAlg != nalg);
                    if (!registered) {
                        break;
                    }
                    if (instAlg == alg) {
                        throw Oops.bug(k, "crypto/algapi.c:197");
                    }
                    if (instAlg == nalg) {
                        break;
                    }
                    spawns = Alg.at(k, instAlg, "users");
                    if (Lists.next(k, spawns) == 0) {
                        break;
                    }
                }
                spawns = moreSpawns(k, stack, top, secondary);
            } while (spawns != 0);
            for (long e : Lists.entries(k, secondary)) {
                long spawn = spawnOf(k, e);
                if (!spawnBool(k, spawn, "dead")) {
                    Lists.move(k, e, Alg.at(k, m.read64(sp(k, spawn, "alg")), "users"));
                } else if (spawnBool(k, spawn, "registered")) {
                    removeInstance(k, m.read64(sp(k, spawn, "inst")), list);
                }
            }
        } finally {
            k.slab().kfree(top);
            k.slab().kfree(stack);
            k.slab().kfree(secondary);
        }
    }

    /**
     * int crypto_grab_spawn(struct crypto_spawn *spawn, struct crypto_instance *inst,
     * const char *name, u32 type, u32 mask)
     */
    @KernelSymbol("crypto_grab_spawn")
    static int grabSpawn(KernelContext k, long spawn, long instance, long name, int type, int mask) {
        if (instance == 0) {
            Oops.warnOnce(k, "crypto/algapi.c:718", "crypto_grab_spawn");
            return -Errno.EINVAL;
        }
        if (Api.isErr(name)) {
            return (int) name;
        }
        AddressSpace m = k.mem();
        Frontend fe = Frontend.of(k, m.read64(sp(k, spawn, "frontend")));
        long alg = Api.findAlg(k, Alg.str(k, name), fe, type | Alg.flag(k, "FIPS_INTERNAL"), mask);
        if (Api.isErr(alg)) {
            return (int) alg;
        }
        if (Alg.moribund(k, alg)) {
            Api.modPut(k, alg);
            return -Errno.EAGAIN;
        }
        Lists.add(k, sp(k, spawn, "list"), Alg.at(k, alg, "users"));
        m.write64(sp(k, spawn, "alg"), alg);
        m.write32(sp(k, spawn, "mask"), mask);
        m.write64(sp(k, spawn, "next"), m.read64(inst(k, instance, "spawns")));
        m.write64(inst(k, instance, "spawns"), spawn);
        long ia = instance + k.off("crypto_instance_alg");
        Alg.orFlags(k, ia, Alg.flags(k, alg) & k.off("CRYPTO_ALG_INHERITED_FLAGS"));
        return 0;
    }

    /** Grabs a spawn of a given frontend (the inline {@code crypto_grab_*()} helpers set it first). */
    static int grabSpawn(KernelContext k, long spawn, Frontend fe, long instance, long name, int type, int mask) {
        k.mem().write64(sp(k, spawn, "frontend"), fe == null ? 0 : fe.address(k));
        return grabSpawn(k, spawn, instance, name, type, mask);
    }

    /** void crypto_drop_spawn(struct crypto_spawn *spawn) */
    @KernelSymbol("crypto_drop_spawn")
    static void dropSpawn(KernelContext k, long spawn) {
        long alg = k.mem().read64(sp(k, spawn, "alg"));
        if (alg == 0) {
            return;
        }
        if (!spawnBool(k, spawn, "dead")) {
            Lists.del(k, sp(k, spawn, "list"));
        }
        if (!spawnBool(k, spawn, "registered")) {
            Api.modPut(k, alg);
        }
    }

    /** {@code crypto_spawn_alg()}: the spawn's algorithm with a reference, or -EAGAIN. */
    private static long spawnAlg(KernelContext k, long spawn) {
        if (spawnBool(k, spawn, "dead")) {
            return -Errno.EAGAIN;
        }
        long alg = k.mem().read64(sp(k, spawn, "alg"));
        if (Api.modGet(k, alg) == 0) {
            Api.algGet(k, alg);
            Api.shootAlg(k, alg);
            Api.algPut(k, alg);
            return -Errno.EAGAIN;
        }
        return alg;
    }

    /** struct crypto_tfm *crypto_spawn_tfm(struct crypto_spawn *spawn, u32 type, u32 mask) */
    @KernelSymbol("crypto_spawn_tfm")
    static long spawnTfm(KernelContext k, long spawn, int type, int mask) {
        long alg = spawnAlg(k, spawn);
        if (Api.isErr(alg)) {
            return alg;
        }
        long tfm = ((Alg.flags(k, alg) ^ type) & mask) != 0 ? -Errno.EINVAL : Api.allocBareTfm(k, alg, type, mask);
        if (Api.isErr(tfm)) {
            Api.modPut(k, alg);
        }
        return tfm;
    }

    /** void *crypto_spawn_tfm2(struct crypto_spawn *spawn) */
    @KernelSymbol("crypto_spawn_tfm2")
    static long spawnTfm2(KernelContext k, long spawn) {
        long alg = spawnAlg(k, spawn);
        if (Api.isErr(alg)) {
            return alg;
        }
        Frontend fe = Frontend.of(k, k.mem().read64(sp(k, spawn, "frontend")));
        long tfm = fe == null ? -Errno.EINVAL : Api.createTfm(k, alg, fe);
        if (Api.isErr(tfm)) {
            Api.modPut(k, alg);
        }
        return tfm;
    }

    // ---------------------------------------------------------------- templates and instances

    private static long tm(KernelContext k, long tmpl, String f) {
        return tmpl + k.off("crypto_template_" + f);
    }

    /** {@code crypto_tmpl_get()}: a reference on the template's module. */
    static boolean tmplGet(KernelContext k, long tmpl) {
        long module = k.mem().read64(tm(k, tmpl, "module"));
        return module == 0 || k.call(k.sym("try_module_get"), module) != 0;
    }

    /** {@code crypto_tmpl_put()}. */
    static void tmplPut(KernelContext k, long tmpl) {
        long module = k.mem().read64(tm(k, tmpl, "module"));
        if (module != 0) {
            k.call(k.sym("module_put"), module);
        }
    }

    /** int crypto_register_template(struct crypto_template *tmpl) */
    @KernelSymbol("crypto_register_template")
    static int registerTemplate(KernelContext k, long tmpl) {
        Api.state(k);
        long head = k.sym("crypto_template_list");
        for (long e : Lists.entries(k, head)) {
            if (e - k.off("crypto_template_list") == tmpl) {
                return -Errno.EEXIST;
            }
        }
        Lists.add(k, tm(k, tmpl, "list"), head);
        return 0;
    }

    /** int crypto_register_templates(struct crypto_template *tmpls, int count) */
    @KernelSymbol("crypto_register_templates")
    static int registerTemplates(KernelContext k, long tmpls, int count) {
        long size = k.off("crypto_template_sizeof");
        for (int i = 0; i < count; i++) {
            int err = registerTemplate(k, tmpls + i * size);
            if (err != 0) {
                for (--i; i >= 0; --i) {
                    unregisterTemplate(k, tmpls + i * size);
                }
                return err;
            }
        }
        return 0;
    }

    /** void crypto_unregister_template(struct crypto_template *tmpl) */
    @KernelSymbol("crypto_unregister_template")
    static void unregisterTemplate(KernelContext k, long tmpl) {
        AddressSpace m = k.mem();
        if (Lists.empty(k, tm(k, tmpl, "list"))) {
            throw Oops.bug(k, "crypto/algapi.c:575");
        }
        Lists.delInit(k, tm(k, tmpl, "list"));
        long users = tempList(k);
        try {
            for (long node = m.read64(tm(k, tmpl, "instances")); node != 0; node = m.read64(node + k.off("hlist_node_next"))) {
                long instance = node - k.off("crypto_instance_list");
                if (removeAlg(k, instance + k.off("crypto_instance_alg"), users) != 0) {
                    throw Oops.bug(k, "crypto/algapi.c:582");
                }
            }
            for (long node = m.read64(tm(k, tmpl, "instances")); node != 0;) {
                long next = m.read64(node + k.off("hlist_node_next"));
                long instance = node - k.off("crypto_instance_list");
                if (Alg.refcnt(k, instance + k.off("crypto_instance_alg")) != 1) {
                    throw Oops.bug(k, "crypto/algapi.c:588");
                }
                freeInstance(k, instance);
                node = next;
            }
            removeFinal(k, users);
        } finally {
            k.slab().kfree(users);
        }
    }

    /** void crypto_unregister_templates(struct crypto_template *tmpls, int count) */
    @KernelSymbol("crypto_unregister_templates")
    static void unregisterTemplates(KernelContext k, long tmpls, int count) {
        for (int i = count - 1; i >= 0; --i) {
            unregisterTemplate(k, tmpls + i * (long) k.off("crypto_template_sizeof"));
        }
    }

    /** {@code __crypto_lookup_template()}: a registered template by name, with a reference. */
    private static long findTemplate(KernelContext k, String name) {
        for (long e : Lists.entries(k, k.sym("crypto_template_list"))) {
            long q = e - k.off("crypto_template_list");
            if (Alg.str(k, tm(k, q, "name")).equals(name) && tmplGet(k, q)) {
                return q;
            }
        }
        return 0;
    }

    /** {@code crypto_lookup_template()}: {@code try_then_request_module(..., "crypto-%s", name)}. */
    static long lookupTemplate(KernelContext k, String name) {
        Api.state(k);
        long t = findTemplate(k, name);
        if (t == 0 && dev.kmodemu.kstubs.kernel.Kmod.requestModule(k, "crypto-" + name) == 0) {
            t = findTemplate(k, name);
        }
        return t;
    }

    /** struct crypto_template *crypto_lookup_template(const char *name) */
    @KernelSymbol("crypto_lookup_template")
    static long lookupTemplateSym(KernelContext k, long name) {
        return lookupTemplate(k, Alg.str(k, name));
    }

    /** {@code crypto_free_instance()}: the type's free, which calls the instance's own. */
    private static void freeInstance(KernelContext k, long instance) {
        long alg = instance + k.off("crypto_instance_alg");
        Frontend fe = Frontend.of(k, Alg.cratype(k, alg));
        if (Builtin.isBuiltinInstance(k, instance)) {
            Builtin.freeInstance(k, instance);
        } else if (fe != null) {
            fe.free(k, instance);
        }
    }

    /** void crypto_destroy_instance(struct crypto_alg *alg): frees the instance from a work item. */
    @KernelSymbol(value = "crypto_destroy_instance", internal = true)
    static void destroyInstance(KernelContext k, long alg) {
        long instance = alg - k.off("crypto_instance_alg");
        long tmpl = k.mem().read64(inst(k, instance, "tmpl"));
        k.scheduler().queueWork(() -> {
            freeInstance(k, instance);
            tmplPut(k, tmpl);
        });
    }

    /** int crypto_register_instance(struct crypto_template *tmpl, struct crypto_instance *inst) */
    @KernelSymbol("crypto_register_instance")
    static int registerInstance(KernelContext k, long tmpl, long instance) {
        AddressSpace m = k.mem();
        long alg = instance + k.off("crypto_instance_alg");
        int err = checkAlg(k, alg);
        if (err != 0) {
            return err;
        }
        m.write64(Alg.at(k, alg, "module"), m.read64(tm(k, tmpl, "module")));
        Alg.orFlags(k, alg, Alg.flag(k, "INSTANCE"));
        int fipsInternal = 0;
        for (long spawn = m.read64(inst(k, instance, "spawns")); spawn != 0;) {
            if (spawnBool(k, spawn, "dead")) {
                return -Errno.EAGAIN;
            }
            long next = m.read64(sp(k, spawn, "next"));
            m.write64(sp(k, spawn, "inst"), instance);
            setSpawnBool(k, spawn, "registered", true);
            long salg = m.read64(sp(k, spawn, "alg"));
            fipsInternal |= Alg.flags(k, salg);
            Api.modPut(k, salg);
            spawn = next;
        }
        Alg.orFlags(k, alg, fipsInternal & Alg.flag(k, "FIPS_INTERNAL"));
        err = addAlg(k, alg);
        if (err != 0) {
            return err;
        }
        hlistAddHead(k, inst(k, instance, "list"), tm(k, tmpl, "instances"));
        m.write64(inst(k, instance, "tmpl"), tmpl);
        test(k, alg);
        return 0;
    }

    /** void crypto_unregister_instance(struct crypto_instance *inst) */
    @KernelSymbol("crypto_unregister_instance")
    static void unregisterInstance(KernelContext k, long instance) {
        long list = tempList(k);
        try {
            removeSpawns(k, instance + k.off("crypto_instance_alg"), list, 0);
            removeInstance(k, instance, list);
            removeFinal(k, list);
        } finally {
            k.slab().kfree(list);
        }
    }

    static void hlistAddHead(KernelContext k, long node, long head) {
        AddressSpace m = k.mem();
        long first = m.read64(head);
        m.write64(node + k.off("hlist_node_next"), first);
        if (first != 0) {
            m.write64(first + k.off("hlist_node_pprev"), node + k.off("hlist_node_next"));
        }
        m.write64(head, node);
        m.write64(node + k.off("hlist_node_pprev"), head);
    }

    static void hlistDel(KernelContext k, long node) {
        AddressSpace m = k.mem();
        long next = m.read64(node + k.off("hlist_node_next"));
        long pprev = m.read64(node + k.off("hlist_node_pprev"));
        m.write64(pprev, next);
        if (next != 0) {
            m.write64(next + k.off("hlist_node_pprev"), pprev);
        }
        m.write64(node + k.off("hlist_node_next"), Lists.POISON1);
        m.write64(node + k.off("hlist_node_pprev"), Lists.POISON2);
    }

    // ---------------------------------------------------------------- template parameters

    private static int rtaLen(KernelContext k, long rta) {
        return k.mem().read16(rta + k.off("rtattr_rta_len")) & 0xffff;
    }

    private static int rtaType(KernelContext k, long rta) {
        return k.mem().read16(rta + k.off("rtattr_rta_type")) & 0xffff;
    }

    /** {@code RTA_LENGTH(0)}: the aligned header. */
    private static int rtaHeader(KernelContext k) {
        int a = k.off("RTA_ALIGNTO");
        return (4 + a - 1) & ~(a - 1);
    }

    /** struct crypto_attr_type *crypto_get_attr_type(struct rtattr **tb) */
    @KernelSymbol("crypto_get_attr_type")
    static long getAttrType(KernelContext k, long tb) {
        long rta = k.mem().read64(tb);
        if (rta == 0) {
            return -Errno.ENOENT;
        }
        if (rtaLen(k, rta) - rtaHeader(k) < k.off("crypto_attr_type_sizeof") || rtaType(k, rta) != CRYPTOA_TYPE) {
            return -Errno.EINVAL;
        }
        return rta + rtaHeader(k);
    }

    /** int crypto_check_attr_type(struct rtattr **tb, u32 type, u32 *mask_ret) */
    @KernelSymbol("crypto_check_attr_type")
    static int checkAttrType(KernelContext k, long tb, int type, long maskRet) {
        long algt = getAttrType(k, tb);
        if (Api.isErr(algt)) {
            return (int) algt;
        }
        int t = k.mem().read32(algt + k.off("crypto_attr_type_type"));
        int mask = k.mem().read32(algt + k.off("crypto_attr_type_mask"));
        if (((t ^ type) & mask) != 0) {
            return -Errno.EINVAL;
        }
        k.mem().write32(maskRet, inheritedMask(k, t, mask));
        return 0;
    }

    /** {@code crypto_algt_inherited_mask()}: {@code crypto_requires_off(algt, CRYPTO_ALG_INHERITED_FLAGS)}. */
    static int inheritedMask(KernelContext k, int type, int mask) {
        return (type ^ mask) & k.off("CRYPTO_ALG_INHERITED_FLAGS");
    }

    /** const char *crypto_attr_alg_name(struct rtattr *rta) */
    @KernelSymbol("crypto_attr_alg_name")
    static long attrAlgName(KernelContext k, long rta) {
        if (rta == 0) {
            return -Errno.ENOENT;
        }
        if (rtaLen(k, rta) - rtaHeader(k) < k.off("crypto_attr_alg_sizeof") || rtaType(k, rta) != CRYPTOA_ALG) {
            return -Errno.EINVAL;
        }
        long name = rta + rtaHeader(k);
        k.mem().write8(name + k.off("CRYPTO_MAX_ALG_NAME") - 1, 0);
        return name;
    }

    /** int crypto_inst_setname(struct crypto_instance *inst, const char *name, struct crypto_alg *alg) */
    @KernelSymbol("crypto_inst_setname")
    static int instSetname(KernelContext k, long instance, long name, long alg) {
        return setname(k, instance + k.off("crypto_instance_alg"), Alg.str(k, name), alg);
    }

    /** "tmpl(alg)" as the instance's name and driver name; -ENAMETOOLONG if either does not fit. */
    static int setname(KernelContext k, long instAlg, String tmpl, long alg) {
        int max = k.off("CRYPTO_MAX_ALG_NAME");
        String n = tmpl + "(" + Alg.name(k, alg) + ")";
        String d = tmpl + "(" + Alg.driver(k, alg) + ")";
        Alg.setStr(k, Alg.at(k, instAlg, "name"), n);
        if (n.getBytes(java.nio.charset.StandardCharsets.UTF_8).length >= max) {
            return -Errno.ENAMETOOLONG;
        }
        Alg.setStr(k, Alg.at(k, instAlg, "driver_name"), d);
        if (d.getBytes(java.nio.charset.StandardCharsets.UTF_8).length >= max) {
            return -Errno.ENAMETOOLONG;
        }
        return 0;
    }

    /** unsigned int crypto_alg_extsize(struct crypto_alg *alg) */
    @KernelSymbol("crypto_alg_extsize")
    static int algExtsize(KernelContext k, long alg) {
        return Alg.extsize(k, alg);
    }

    /** int crypto_type_has_alg(const char *name, const struct crypto_type *frontend, u32 type, u32 mask) */
    @KernelSymbol("crypto_type_has_alg")
    static int typeHasAlg(KernelContext k, long name, long frontend, int type, int mask) {
        long alg = Api.findAlg(k, Alg.str(k, name), Frontend.of(k, frontend), type, mask);
        if (Api.isErr(alg)) {
            return 0;
        }
        Api.modPut(k, alg);
        return 1;
    }

    /** int crypto_register_notifier(struct notifier_block *nb) */
    @KernelSymbol("crypto_register_notifier")
    static int registerNotifier(KernelContext k, long nb) {
        return Notifier.blockingRegisterSym(k, k.sym("crypto_chain"), nb);
    }

    /** int crypto_unregister_notifier(struct notifier_block *nb) */
    @KernelSymbol("crypto_unregister_notifier")
    static int unregisterNotifier(KernelContext k, long nb) {
        return Notifier.blockingUnregister(k, k.sym("crypto_chain"), nb);
    }

    // ---------------------------------------------------------------- queues

    private static long q(KernelContext k, long queue, String f) {
        return queue + k.off("crypto_queue_" + f);
    }

    /** void crypto_init_queue(struct crypto_queue *queue, unsigned int max_qlen) */
    @KernelSymbol("crypto_init_queue")
    static void initQueue(KernelContext k, long queue, int maxQlen) {
        Lists.init(k, q(k, queue, "list"));
        k.mem().write64(q(k, queue, "backlog"), q(k, queue, "list"));
        k.mem().write32(q(k, queue, "qlen"), 0);
        k.mem().write32(q(k, queue, "max_qlen"), maxQlen);
    }

    /** int crypto_enqueue_request(struct crypto_queue *queue, struct crypto_async_request *request) */
    @KernelSymbol("crypto_enqueue_request")
    static int enqueueRequest(KernelContext k, long queue, long request) {
        AddressSpace m = k.mem();
        int err = -Errno.EINPROGRESS;
        int qlen = m.read32(q(k, queue, "qlen"));
        if (Integer.compareUnsigned(qlen, m.read32(q(k, queue, "max_qlen"))) >= 0) {
            if ((m.read32(request + k.off("crypto_async_request_flags")) & k.off("CRYPTO_TFM_REQ_MAY_BACKLOG")) == 0) {
                return -Errno.ENOSPC;
            }
            err = -Errno.EBUSY;
            if (m.read64(q(k, queue, "backlog")) == q(k, queue, "list")) {
                m.write64(q(k, queue, "backlog"), request + k.off("crypto_async_request_list"));
            }
        }
        m.write32(q(k, queue, "qlen"), qlen + 1);
        Lists.addTail(k, request + k.off("crypto_async_request_list"), q(k, queue, "list"));
        return err;
    }

    /** void crypto_enqueue_request_head(struct crypto_queue *queue, struct crypto_async_request *request) */
    @KernelSymbol("crypto_enqueue_request_head")
    static void enqueueRequestHead(KernelContext k, long queue, long request) {
        AddressSpace m = k.mem();
        int qlen = m.read32(q(k, queue, "qlen"));
        if (Integer.compareUnsigned(qlen, m.read32(q(k, queue, "max_qlen"))) >= 0) {
            m.write64(q(k, queue, "backlog"), Lists.prev(k, m.read64(q(k, queue, "backlog"))));
        }
        m.write32(q(k, queue, "qlen"), qlen + 1);
        Lists.add(k, request + k.off("crypto_async_request_list"), q(k, queue, "list"));
    }

    /** struct crypto_async_request *crypto_dequeue_request(struct crypto_queue *queue) */
    @KernelSymbol("crypto_dequeue_request")
    static long dequeueRequest(KernelContext k, long queue) {
        AddressSpace m = k.mem();
        int qlen = m.read32(q(k, queue, "qlen"));
        if (qlen == 0) {
            return 0;
        }
        m.write32(q(k, queue, "qlen"), qlen - 1);
        long backlog = m.read64(q(k, queue, "backlog"));
        if (backlog != q(k, queue, "list")) {
            m.write64(q(k, queue, "backlog"), Lists.next(k, backlog));
        }
        long request = Lists.next(k, q(k, queue, "list"));
        Lists.del(k, request);
        return request - k.off("crypto_async_request_list");
    }

    // ---------------------------------------------------------------- helpers

    /** void crypto_inc(u8 *a, unsigned int size): a big-endian counter plus one. */
    @KernelSymbol("crypto_inc")
    static void inc(KernelContext k, long a, int size) {
        AddressSpace m = k.mem();
        for (long b = a + Integer.toUnsignedLong(size); b > a;) {
            b--;
            int c = (m.read8(b) + 1) & 0xff;
            m.write8(b, c);
            if (c != 0) {
                break;
            }
        }
    }

    /** void __crypto_xor(u8 *dst, const u8 *src1, const u8 *src2, unsigned int len) */
    @KernelSymbol("__crypto_xor")
    static void xor(KernelContext k, long dst, long src1, long src2, int len) {
        AddressSpace m = k.mem();
        int n = len;
        byte[] a = m.read(src1, n);
        byte[] b = m.read(src2, n);
        for (int i = 0; i < n; i++) {
            a[i] ^= b[i];
        }
        m.write(dst, a);
    }
}
