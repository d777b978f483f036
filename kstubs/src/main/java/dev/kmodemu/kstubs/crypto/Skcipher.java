package dev.kmodemu.kstubs.crypto;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.kernel.Oops;
import dev.kmodemu.kstubs.lib.Scatterlist;

/**
 * crypto/skcipher.c and crypto/scatterwalk.c: symmetric key ciphers ({@code struct skcipher_alg}),
 * their registration, transforms and requests, the "simple" template instances built on a
 * single-block cipher ({@code skcipher_alloc_instance_simple()}, what ecb, cbc and friends use),
 * and {@code skcipher_walk_virt()}/{@code skcipher_walk_done()}: the walk over a request's source
 * and destination scatterlists in page-bounded steps, with the kernel's copy and slow paths
 * (a bounce page when offsets are misaligned, a bounce buffer when less than a block is left in a
 * page), all kept in the module's own {@code struct skcipher_walk}.
 */
public final class Skcipher {
    private Skcipher() {
    }

    /** crypto/skcipher.c's private walk flags. */
    private static final int WALK_PHYS = 1;
    private static final int WALK_SLOW = 1 << 1;
    private static final int WALK_COPY = 1 << 2;
    private static final int WALK_DIFF = 1 << 3;
    private static final int WALK_SLEEP = 1 << 4;
    private static final int GFP_KERNEL = 0xcc0;
    private static final int GFP_ATOMIC = 0x820;

    static long salg(KernelContext k, long alg) {
        return alg - k.off("skcipher_alg_base");
    }

    static long f(KernelContext k, long salg, String field) {
        return salg + k.off("skcipher_alg_" + field);
    }

    private static int u32(KernelContext k, long salg, String field) {
        return k.mem().read32(f(k, salg, field));
    }

    private static long fn(KernelContext k, long salg, String field) {
        return k.mem().read64(f(k, salg, field));
    }

    static long baseOf(KernelContext k, long tfm) {
        return tfm + k.off("crypto_skcipher_base");
    }

    static long algOf(KernelContext k, long tfm) {
        return salg(k, Api.tfmAlg(k, baseOf(k, tfm)));
    }

    private static long flagsAt(KernelContext k, long tfm) {
        return Api.tfmField(k, baseOf(k, tfm), "crt_flags");
    }

    // ---------------------------------------------------------------- registration

    /** {@code skcipher_prepare_alg()}. */
    static int prepareAlg(KernelContext k, long salg) {
        AddressSpace m = k.mem();
        long base = f(k, salg, "base");
        long limit = k.off("PAGE_SIZE") / 8;
        if (Integer.toUnsignedLong(u32(k, salg, "ivsize")) > limit || Integer.toUnsignedLong(u32(k, salg, "chunksize")) > limit
                || Integer.toUnsignedLong(u32(k, salg, "walksize")) > limit) {
            return -Errno.EINVAL;
        }
        if (u32(k, salg, "chunksize") == 0) {
            m.write32(f(k, salg, "chunksize"), Alg.blocksize(k, base));
        }
        if (u32(k, salg, "walksize") == 0) {
            m.write32(f(k, salg, "walksize"), u32(k, salg, "chunksize"));
        }
        Alg.setType(k, base, Frontend.SKCIPHER);
        return 0;
    }

    /** int crypto_register_skcipher(struct skcipher_alg *alg) */
    @KernelSymbol("crypto_register_skcipher")
    static int registerSkcipher(KernelContext k, long salg) {
        int err = prepareAlg(k, salg);
        return err != 0 ? err : Algapi.registerAlg(k, f(k, salg, "base"));
    }

    /** void crypto_unregister_skcipher(struct skcipher_alg *alg) */
    @KernelSymbol("crypto_unregister_skcipher")
    static void unregisterSkcipher(KernelContext k, long salg) {
        Algapi.unregisterAlg(k, f(k, salg, "base"));
    }

    /** int crypto_register_skciphers(struct skcipher_alg *algs, int count) */
    @KernelSymbol("crypto_register_skciphers")
    static int registerSkciphers(KernelContext k, long algs, int count) {
        return Algapi.registerMany(algs, count, k.off("skcipher_alg_sizeof"), a -> registerSkcipher(k, a), a -> unregisterSkcipher(k, a));
    }

    /** void crypto_unregister_skciphers(struct skcipher_alg *algs, int count) */
    @KernelSymbol("crypto_unregister_skciphers")
    static void unregisterSkciphers(KernelContext k, long algs, int count) {
        Algapi.unregisterMany(algs, count, k.off("skcipher_alg_sizeof"), true, a -> unregisterSkcipher(k, a));
    }

    /** int skcipher_register_instance(struct crypto_template *tmpl, struct skcipher_instance *inst) */
    @KernelSymbol("skcipher_register_instance")
    static int registerInstance(KernelContext k, long tmpl, long inst) {
        return Algapi.registerTypedInstance(k, tmpl, inst, "skcipher", "crypto/skcipher.c:835", a -> prepareAlg(k, a));
    }

    /** {@code crypto_skcipher_free_instance()}. */
    static void freeInstance(KernelContext k, long cinst) {
        Algapi.freeTypedInstance(k, cinst, "skcipher");
    }

    /** int crypto_grab_skcipher(struct crypto_skcipher_spawn *spawn, struct crypto_instance *inst, const char *name, u32 type, u32 mask) */
    @KernelSymbol("crypto_grab_skcipher")
    static int grabSkcipher(KernelContext k, long spawn, long inst, long name, int type, int mask) {
        return Algapi.grabSpawn(k, spawn, Frontend.SKCIPHER, inst, name, type, mask);
    }

    /** The instance's context: its {@code struct crypto_cipher_spawn}. */
    private static long instanceCtx(KernelContext k, long inst) {
        return inst + k.off("skcipher_instance_s_base") + k.off("crypto_instance___ctx");
    }

    /** struct skcipher_instance *skcipher_alloc_instance_simple(struct crypto_template *tmpl, struct rtattr **tb) */
    @KernelSymbol("skcipher_alloc_instance_simple")
    static long allocInstanceSimple(KernelContext k, long tmpl, long tb) {
        AddressSpace m = k.mem();
        long maskRet = k.slab().kmalloc(4, GFP_KERNEL);
        int err = Algapi.checkAttrType(k, tb, Alg.flag(k, "TYPE_SKCIPHER"), maskRet);
        int mask = m.read32(maskRet);
        k.slab().kfree(maskRet);
        if (err != 0) {
            return err;
        }
        long inst = k.slab().kmalloc(k.off("skcipher_instance_sizeof") + k.off("crypto_cipher_spawn_sizeof"),
                GFP_KERNEL | 0x100);
        if (inst == 0) {
            return -Errno.ENOMEM;
        }
        long spawn = instanceCtx(k, inst);
        long cinst = inst + k.off("skcipher_instance_s_base");
        long name = Algapi.attrAlgName(k, m.read64(tb + 8));
        int type = Alg.flag(k, "TYPE_CIPHER");
        err = Algapi.grabSpawn(k, spawn, null, cinst, name, type, mask | Alg.flag(k, "TYPE_MASK"));
        if (err == 0) {
            long cipherAlg = m.read64(spawn + k.off("crypto_spawn_alg"));
            err = Algapi.setname(k, cinst + k.off("crypto_instance_alg"),
                    Alg.str(k, tmpl + k.off("crypto_template_name")), cipherAlg);
            if (err == 0) {
                long salg = inst + k.off("skcipher_instance_alg");
                long base = f(k, salg, "base");
                m.write64(inst + k.off("skcipher_instance_free"), k.sym("skcipher_free_instance_simple"));
                m.write32(Alg.at(k, base, "blocksize"), Alg.blocksize(k, cipherAlg));
                m.write32(Alg.at(k, base, "alignmask"), Alg.alignmask(k, cipherAlg));
                m.write32(Alg.at(k, base, "priority"), Alg.priority(k, cipherAlg));
                m.write32(f(k, salg, "min_keysize"), m.read32(Alg.cipherAt(k, cipherAlg, "min_keysize")));
                m.write32(f(k, salg, "max_keysize"), m.read32(Alg.cipherAt(k, cipherAlg, "max_keysize")));
                m.write32(f(k, salg, "ivsize"), Alg.blocksize(k, cipherAlg));
                m.write32(Alg.at(k, base, "ctxsize"), 8);
                m.write64(f(k, salg, "setkey"), k.sym("skcipher_setkey_simple"));
                m.write64(f(k, salg, "init"), k.sym("skcipher_init_tfm_simple"));
                m.write64(f(k, salg, "exit"), k.sym("skcipher_exit_tfm_simple"));
                return inst;
            }
        }
        freeInstanceSimple(k, inst);
        return err;
    }

    /** static void skcipher_free_instance_simple(struct skcipher_instance *inst) */
    @KernelSymbol(value = "skcipher_free_instance_simple", internal = true)
    static void freeInstanceSimple(KernelContext k, long inst) {
        Algapi.dropSpawn(k, instanceCtx(k, inst));
        k.slab().kfree(inst);
    }

    /** The {@code struct crypto_cipher *} a simple instance's transform keeps in its context. */
    private static long simpleCipherAt(KernelContext k, long tfm) {
        return Api.tfmCtx(k, baseOf(k, tfm));
    }

    /** static int skcipher_setkey_simple(struct crypto_skcipher *tfm, const u8 *key, unsigned int keylen) */
    @KernelSymbol(value = "skcipher_setkey_simple", internal = true)
    static int setkeySimple(KernelContext k, long tfm, long key, int keylen) {
        AddressSpace m = k.mem();
        long cipher = m.read64(simpleCipherAt(k, tfm));
        long cf = Api.tfmField(k, cipher, "crt_flags");
        int reqMask = k.off("CRYPTO_TFM_REQ_MASK");
        m.write32(cf, (m.read32(cf) & ~reqMask) | (m.read32(flagsAt(k, tfm)) & reqMask));
        return Cipher.setkey(k, cipher, key, keylen);
    }

    /** static int skcipher_init_tfm_simple(struct crypto_skcipher *tfm) */
    @KernelSymbol(value = "skcipher_init_tfm_simple", internal = true)
    static int initTfmSimple(KernelContext k, long tfm) {
        long inst = algOf(k, tfm) - k.off("skcipher_instance_alg");
        long cipher = Algapi.spawnTfm(k, instanceCtx(k, inst), Alg.flag(k, "TYPE_CIPHER"), Alg.flag(k, "TYPE_MASK"));
        if (Api.isErr(cipher)) {
            return (int) cipher;
        }
        k.mem().write64(simpleCipherAt(k, tfm), cipher);
        return 0;
    }

    /** static void skcipher_exit_tfm_simple(struct crypto_skcipher *tfm) */
    @KernelSymbol(value = "skcipher_exit_tfm_simple", internal = true)
    static void exitTfmSimple(KernelContext k, long tfm) {
        long cipher = k.mem().read64(simpleCipherAt(k, tfm));
        Api.destroyTfm(k, cipher, cipher);
    }

    // ---------------------------------------------------------------- transforms

    private static void setNeedkey(KernelContext k, long tfm) {
        if (u32(k, algOf(k, tfm), "max_keysize") != 0) {
            k.mem().write32(flagsAt(k, tfm), k.mem().read32(flagsAt(k, tfm)) | k.off("CRYPTO_TFM_NEED_KEY"));
        }
    }

    /** {@code crypto_skcipher_init_tfm()}. */
    static int initTfm(KernelContext k, long base) {
        long tfm = base - k.off("crypto_skcipher_base");
        long salg = algOf(k, tfm);
        setNeedkey(k, tfm);
        if (fn(k, salg, "exit") != 0) {
            k.mem().write64(Api.tfmField(k, base, "exit"), k.sym("crypto_skcipher_exit_tfm"));
        }
        long init = fn(k, salg, "init");
        return init == 0 ? 0 : (int) k.call(init, tfm);
    }

    /** static void crypto_skcipher_exit_tfm(struct crypto_tfm *tfm) */
    @KernelSymbol(value = "crypto_skcipher_exit_tfm", internal = true)
    static void exitTfm(KernelContext k, long base) {
        long tfm = base - k.off("crypto_skcipher_base");
        k.call(fn(k, algOf(k, tfm), "exit"), tfm);
    }

    /** struct crypto_skcipher *crypto_alloc_skcipher(const char *alg_name, u32 type, u32 mask) */
    @KernelSymbol("crypto_alloc_skcipher")
    static long allocSkcipher(KernelContext k, long name, int type, int mask) {
        return Api.allocTfm(k, Alg.str(k, name), Frontend.SKCIPHER, type, mask);
    }

    /** struct crypto_sync_skcipher *crypto_alloc_sync_skcipher(const char *alg_name, u32 type, u32 mask) */
    @KernelSymbol("crypto_alloc_sync_skcipher")
    static long allocSyncSkcipher(KernelContext k, long name, int type, int mask) {
        int async = Alg.flag(k, "ASYNC");
        if (((type | mask) & async) != 0) {
            return -Errno.EINVAL;
        }
        long tfm = Api.allocTfm(k, Alg.str(k, name), Frontend.SKCIPHER, type, mask | async);
        if (!Api.isErr(tfm) && Integer.compareUnsigned(k.mem().read32(tfm + k.off("crypto_skcipher_reqsize")),
                384) > 0) {
            Api.destroyTfm(k, tfm, baseOf(k, tfm));
            return -Errno.EINVAL;
        }
        return tfm;
    }

    /** int crypto_has_skcipher(const char *alg_name, u32 type, u32 mask) */
    @KernelSymbol("crypto_has_skcipher")
    static int hasSkcipher(KernelContext k, long name, int type, int mask) {
        return Api.typeHasAlg(k, Alg.str(k, name), Frontend.SKCIPHER, type, mask);
    }

    /** int crypto_skcipher_setkey(struct crypto_skcipher *tfm, const u8 *key, unsigned int keylen) */
    @KernelSymbol("crypto_skcipher_setkey")
    static int setkey(KernelContext k, long tfm, long key, int keylen) {
        long salg = algOf(k, tfm);
        if (Integer.compareUnsigned(keylen, u32(k, salg, "min_keysize")) < 0
                || Integer.compareUnsigned(keylen, u32(k, salg, "max_keysize")) > 0) {
            return -Errno.EINVAL;
        }
        int am = Alg.alignmask(k, Api.tfmAlg(k, baseOf(k, tfm)));
        int err;
        if ((key & am) != 0) {
            long buf = k.slab().kmalloc(keylen + am, GFP_ATOMIC);
            if (buf == 0) {
                return -Errno.ENOMEM;
            }
            long aligned = (buf + am) & ~(long) am;
            k.mem().write(aligned, k.mem().read(key, keylen));
            err = (int) k.call(fn(k, salg, "setkey"), tfm, aligned, Integer.toUnsignedLong(keylen));
            Api.kfreeSensitive(k, buf);
        } else {
            err = (int) k.call(fn(k, salg, "setkey"), tfm, key, Integer.toUnsignedLong(keylen));
        }
        if (err != 0) {
            setNeedkey(k, tfm);
            return err;
        }
        k.mem().write32(flagsAt(k, tfm), k.mem().read32(flagsAt(k, tfm)) & ~k.off("CRYPTO_TFM_NEED_KEY"));
        return 0;
    }

    private static long reqTfm(KernelContext k, long req) {
        long base = k.mem().read64(req + k.off("skcipher_request_base") + k.off("crypto_async_request_tfm"));
        return base - k.off("crypto_skcipher_base");
    }

    private static int crypt(KernelContext k, long req, String op) {
        long tfm = reqTfm(k, req);
        if ((k.mem().read32(flagsAt(k, tfm)) & k.off("CRYPTO_TFM_NEED_KEY")) != 0) {
            return -Errno.ENOKEY;
        }
        return (int) k.call(fn(k, algOf(k, tfm), op), req);
    }

    /** int crypto_skcipher_encrypt(struct skcipher_request *req) */
    @KernelSymbol("crypto_skcipher_encrypt")
    static int encrypt(KernelContext k, long req) {
        return crypt(k, req, "encrypt");
    }

    /** int crypto_skcipher_decrypt(struct skcipher_request *req) */
    @KernelSymbol("crypto_skcipher_decrypt")
    static int decrypt(KernelContext k, long req) {
        return crypt(k, req, "decrypt");
    }

    /** {@code crypto_skcipher_show()}. */
    static void show(KernelContext k, StringBuilder sb, long alg) {
        long s = salg(k, alg);
        sb.append("type         : skcipher\n");
        sb.append("async        : ").append((Alg.flags(k, alg) & Alg.flag(k, "ASYNC")) != 0 ? "yes" : "no").append('\n');
        sb.append("blocksize    : ").append(Integer.toUnsignedString(Alg.blocksize(k, alg))).append('\n');
        sb.append("min keysize  : ").append(Integer.toUnsignedString(u32(k, s, "min_keysize"))).append('\n');
        sb.append("max keysize  : ").append(Integer.toUnsignedString(u32(k, s, "max_keysize"))).append('\n');
        sb.append("ivsize       : ").append(Integer.toUnsignedString(u32(k, s, "ivsize"))).append('\n');
        sb.append("chunksize    : ").append(Integer.toUnsignedString(u32(k, s, "chunksize"))).append('\n');
        sb.append("walksize     : ").append(Integer.toUnsignedString(u32(k, s, "walksize"))).append('\n');
    }

    // ---------------------------------------------------------------- the walk

    private static long w(KernelContext k, long walk, String f) {
        return walk + k.off("skcipher_walk_" + f);
    }

    private static int wi(KernelContext k, long walk, String f) {
        return k.mem().read32(w(k, walk, f));
    }

    private static void wset(KernelContext k, long walk, String f, int v) {
        k.mem().write32(w(k, walk, f), v);
    }

    private static long wl(KernelContext k, long walk, String f) {
        return k.mem().read64(w(k, walk, f));
    }

    private static void wsetl(KernelContext k, long walk, String f, long v) {
        k.mem().write64(w(k, walk, f), v);
    }

    /** int skcipher_walk_virt(struct skcipher_walk *walk, struct skcipher_request *req, bool atomic) */
    @KernelSymbol("skcipher_walk_virt")
    static int walkVirt(KernelContext k, long walk, long req, boolean atomic) {
        AddressSpace m = k.mem();
        wset(k, walk, "flags", wi(k, walk, "flags") & ~WALK_PHYS);
        long tfm = reqTfm(k, req);
        long salg = algOf(k, tfm);
        long alg = Api.tfmAlg(k, baseOf(k, tfm));
        wset(k, walk, "total", m.read32(req + k.off("skcipher_request_cryptlen")));
        wset(k, walk, "nbytes", 0);
        long iv = m.read64(req + k.off("skcipher_request_iv"));
        wsetl(k, walk, "iv", iv);
        wsetl(k, walk, "oiv", iv);
        int err = 0;
        if (wi(k, walk, "total") != 0) {
            new Scatterwalk(k, w(k, walk, "in")).start(m.read64(req + k.off("skcipher_request_src")));
            new Scatterwalk(k, w(k, walk, "out")).start(m.read64(req + k.off("skcipher_request_dst")));
            int reqFlags = m.read32(req + k.off("skcipher_request_base") + k.off("crypto_async_request_flags"));
            int flags = wi(k, walk, "flags") & ~WALK_SLEEP;
            flags |= (reqFlags & k.off("CRYPTO_TFM_REQ_MAY_SLEEP")) != 0 ? WALK_SLEEP : 0;
            wset(k, walk, "flags", flags);
            wset(k, walk, "blocksize", Alg.blocksize(k, alg));
            wset(k, walk, "stride", u32(k, salg, "walksize"));
            wset(k, walk, "ivsize", u32(k, salg, "ivsize"));
            wset(k, walk, "alignmask", Alg.alignmask(k, alg));
            err = walkFirst(k, walk);
        }
        if (atomic) {
            wset(k, walk, "flags", wi(k, walk, "flags") & ~WALK_SLEEP);
        }
        return err;
    }

    /** {@code skcipher_walk_first()}. */
    private static int walkFirst(KernelContext k, long walk) {
        wsetl(k, walk, "buffer", 0);
        if ((wl(k, walk, "iv") & wi(k, walk, "alignmask")) != 0) {
            int err = copyIv(k, walk);
            if (err != 0) {
                return err;
            }
        }
        wsetl(k, walk, "page", 0);
        return walkNext(k, walk);
    }

    /** {@code skcipher_copy_iv()}: an aligned copy of a misaligned IV in the walk's buffer. */
    private static int copyIv(KernelContext k, long walk) {
        int a = Alg.ctxAlignment(k) - 1;
        int alignmask = wi(k, walk, "alignmask");
        int ivsize = wi(k, walk, "ivsize");
        int bs = wi(k, walk, "stride");
        int aligned = (bs + a) & ~a;
        int size = aligned + ivsize + (alignmask & ~a);
        long buffer = k.slab().kmalloc(size, (wi(k, walk, "flags") & WALK_SLEEP) != 0 ? GFP_KERNEL : GFP_ATOMIC);
        if (buffer == 0) {
            return -Errno.ENOMEM;
        }
        wsetl(k, walk, "buffer", buffer);
        long iv = ((buffer + alignmask) & ~(long) alignmask) + aligned;
        k.mem().write(iv, k.mem().read(wl(k, walk, "iv"), ivsize));
        wsetl(k, walk, "iv", iv);
        return 0;
    }

    /** {@code skcipher_walk_next()}. */
    private static int walkNext(KernelContext k, long walk) {
        wset(k, walk, "flags", wi(k, walk, "flags") & ~(WALK_SLOW | WALK_COPY | WALK_DIFF));
        Scatterwalk in = new Scatterwalk(k, w(k, walk, "in"));
        Scatterwalk out = new Scatterwalk(k, w(k, walk, "out"));
        int n = wi(k, walk, "total");
        int blocksize = wi(k, walk, "blocksize");
        int bsize = Math.min(wi(k, walk, "stride"), Math.max(n, blocksize));
        n = in.clamp(n);
        n = out.clamp(n);
        if (Integer.compareUnsigned(n, bsize) < 0) {
            if (Integer.compareUnsigned(wi(k, walk, "total"), blocksize) < 0) {
                return walkDone(k, walk, -Errno.EINVAL);
            }
            return nextSlow(k, walk, bsize);
        }
        if (((in.offset() | out.offset()) & wi(k, walk, "alignmask")) != 0) {
            long page = wl(k, walk, "page");
            if (page == 0) {
                page = k.call(k.sym("__get_free_pages"), (wi(k, walk, "flags") & WALK_SLEEP) != 0 ? GFP_KERNEL : GFP_ATOMIC, 0);
                wsetl(k, walk, "page", page);
                if (page == 0) {
                    return nextSlow(k, walk, bsize);
                }
            }
            long room = k.off("PAGE_SIZE") - (page & (k.off("PAGE_SIZE") - 1));
            wset(k, walk, "nbytes", (int) Math.min(Integer.toUnsignedLong(n), room));
            wset(k, walk, "flags", wi(k, walk, "flags") | WALK_COPY);
            // skcipher_next_copy()
            int nbytes = wi(k, walk, "nbytes");
            k.mem().write(page, k.mem().read(in.map(), nbytes));
            wsetl(k, walk, "src_virt_addr", page);
            wsetl(k, walk, "dst_virt_addr", page);
            return 0;
        }
        wset(k, walk, "nbytes", n);
        // skcipher_next_fast()
        long srcPage = in.page();
        long dstPage = out.page();
        long mask = k.off("PAGE_SIZE") - 1;
        long diff = ((in.offset() & mask) - (out.offset() & mask)) | (srcPage - dstPage);
        wsetl(k, walk, "src_virt_addr", in.map());
        wsetl(k, walk, "dst_virt_addr", in.map());
        if (diff != 0) {
            wset(k, walk, "flags", wi(k, walk, "flags") | WALK_DIFF);
            wsetl(k, walk, "dst_virt_addr", out.map());
        }
        return 0;
    }

    /** {@code skcipher_get_spot()}: a place for {@code len} bytes that does not straddle a page. */
    private static long spot(KernelContext k, long start, int len) {
        long endPage = (start + len - 1) & ~(k.off("PAGE_SIZE") - 1L);
        return Math.max(start, endPage);
    }

    /** {@code skcipher_next_slow()} (virtual walks): one block gathered into the bounce buffer. */
    private static int nextSlow(KernelContext k, long walk, int bsize) {
        int alignmask = wi(k, walk, "alignmask");
        long buffer = wl(k, walk, "buffer");
        if (buffer == 0) {
            buffer = wl(k, walk, "page");
            wsetl(k, walk, "buffer", buffer);
        }
        if (buffer == 0) {
            int a = Alg.ctxAlignment(k) - 1;
            int n = bsize + (alignmask & ~a) + ((bsize - 1) & ~(alignmask | a));
            buffer = k.slab().kmalloc(n, ((wi(k, walk, "flags") & WALK_SLEEP) != 0 ? GFP_KERNEL : GFP_ATOMIC) | 0x100);
            if (buffer == 0) {
                return walkDone(k, walk, -Errno.ENOMEM);
            }
            wsetl(k, walk, "buffer", buffer);
        }
        long addr = spot(k, (buffer + alignmask) & ~(long) alignmask, bsize);
        wsetl(k, walk, "dst_virt_addr", addr);
        wsetl(k, walk, "src_virt_addr", addr);
        new Scatterwalk(k, w(k, walk, "in")).copychunks(addr, bsize, false);
        wset(k, walk, "nbytes", bsize);
        wset(k, walk, "flags", wi(k, walk, "flags") | WALK_SLOW);
        return 0;
    }

    /** int skcipher_walk_done(struct skcipher_walk *walk, int err) */
    @KernelSymbol("skcipher_walk_done")
    static int walkDone(KernelContext k, long walk, int err) {
        int n = wi(k, walk, "nbytes");
        int nbytes = 0;
        Scatterwalk in = new Scatterwalk(k, w(k, walk, "in"));
        Scatterwalk out = new Scatterwalk(k, w(k, walk, "out"));
        if (n != 0) {
            if (err >= 0) {
                n -= err;
                nbytes = wi(k, walk, "total") - n;
            }
            int flags = wi(k, walk, "flags");
            if ((flags & (WALK_PHYS | WALK_SLOW | WALK_COPY | WALK_DIFF)) == 0 || (flags & WALK_DIFF) != 0) {
                // unmapping the direct map is nothing
            } else if ((flags & WALK_COPY) != 0) {
                k.mem().write(out.map(), k.mem().read(wl(k, walk, "page"), n));
            } else if ((flags & WALK_SLOW) != 0) {
                if (err > 0) {
                    err = -Errno.EINVAL;
                    nbytes = 0;
                } else {
                    // skcipher_done_slow()
                    int alignmask = wi(k, walk, "alignmask");
                    long addr = spot(k, (wl(k, walk, "buffer") + alignmask) & ~(long) alignmask, n);
                    out.copychunks(addr, n, true);
                    n = 0;
                }
            }
            if (err > 0) {
                err = 0;
            }
            wset(k, walk, "total", nbytes);
            wset(k, walk, "nbytes", 0);
            in.advance(n);
            out.advance(n);
            in.done(nbytes != 0);
            out.done(nbytes != 0);
            if (nbytes != 0) {
                return walkNext(k, walk);
            }
        }
        long buffer = wl(k, walk, "buffer");
        long page = wl(k, walk, "page");
        if ((buffer | page) == 0 || (wi(k, walk, "flags") & WALK_PHYS) != 0) {
            return err;
        }
        long iv = wl(k, walk, "iv");
        long oiv = wl(k, walk, "oiv");
        if (iv != oiv) {
            k.mem().write(oiv, k.mem().read(iv, wi(k, walk, "ivsize")));
        }
        if (buffer != page) {
            k.slab().kfree(buffer);
        }
        if (page != 0) {
            k.call(k.sym("free_pages"), page, 0);
        }
        return err;
    }
}
