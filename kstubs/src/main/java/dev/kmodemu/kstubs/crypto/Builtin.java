package dev.kmodemu.kstubs.crypto;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.lib.Lists;
import dev.kmodemu.kstubs.lib.crypto.Aes;
import dev.kmodemu.kstubs.lib.crypto.Sha1;
import dev.kmodemu.kstubs.lib.crypto.Sha256;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.Set;

/**
 * The algorithms and templates built into Debian's 6.1 kernel, as its /proc/crypto lists them after
 * booting in QEMU (read with qemu-oracle): crypto_null.c (cipher_null, compress_null, digest_null,
 * ecb-cipher_null), md5.c, sha1_generic.c, sha256_generic.c (sha256, sha224), aes_generic.c,
 * deflate.c and lzo*.c (compression and scomp), rsa.c and dh.c, the hmac template's
 * hmac(sha256-generic) and hmac(sha1-generic), rsa-pkcs1pad.c's pkcs1pad(rsa-generic,sha256) and
 * the cbc template's cbc(aes-generic), each with the reference count it has there (held by the
 * kernel's own users: the key subsystem, the DRBG, zswap...). Everything else in Debian's
 * configuration is a module (crc32c, sha512, ecb, ...), loaded on demand like any module.
 *
 * <p>Working transforms are provided for md5, sha1, sha224, sha256, aes, cipher_null, digest_null,
 * ecb-cipher_null and cbc instances (the cbc template builds new ones, e.g. cbc(serpent-generic));
 * the compression, akcipher and kpp algorithms and the hmac and pkcs1pad instances are listed and
 * take part in replacement and removal, but allocating one of their transforms fails with
 * -ENOENT, and the hmac and pkcs1pad templates build no new instances.
 */
public final class Builtin {
    private Builtin() {
    }

    private static final int GFP_ZERO = 0xcc0 | 0x100;

    /** Per-kernel: the listed-only algorithms and instances. */
    private static final class State {
        final Set<Long> listedOnly = new HashSet<>();
        /** Listed-only instance -> the start of its allocation. */
        final java.util.Map<Long, Long> instances = new java.util.HashMap<>();
    }

    private static State state(KernelContext k) {
        return k.state(Builtin.class, State::new);
    }

    /** An algorithm kmodemu lists but cannot make transforms of. */
    static boolean listedOnly(KernelContext k, long alg) {
        return state(k).listedOnly.contains(alg);
    }

    static boolean isBuiltinInstance(KernelContext k, long instance) {
        return state(k).instances.containsKey(instance);
    }

    /** Frees a listed-only built-in instance (its spawns, its memory). */
    static void freeInstance(KernelContext k, long instance) {
        long spawn = instance + k.off("crypto_instance___ctx");
        Algapi.dropSpawn(k, spawn);
        state(k).listedOnly.remove(instance + k.off("crypto_instance_alg"));
        k.slab().kfree(state(k).instances.remove(instance));
    }

    private static void base(KernelContext k, long alg, String name, String driver, int prio, int flags, int blocksize,
            int ctxsize) {
        Alg.setStr(k, Alg.at(k, alg, "name"), name);
        Alg.setStr(k, Alg.at(k, alg, "driver_name"), driver);
        k.mem().write32(Alg.at(k, alg, "priority"), prio);
        Alg.setFlags(k, alg, flags);
        k.mem().write32(Alg.at(k, alg, "blocksize"), blocksize);
        k.mem().write32(Alg.at(k, alg, "ctxsize"), ctxsize);
    }

    /** Puts a built-in algorithm on the list, tested, with {@code refcnt} references. */
    private static void add(KernelContext k, long alg, int refcnt) {
        Lists.init(k, Alg.at(k, alg, "users"));
        Alg.orFlags(k, alg, Alg.flag(k, "TESTED"));
        Alg.setRefcnt(k, alg, refcnt);
        Lists.add(k, Alg.listOf(k, alg), k.sym("crypto_alg_list"));
    }

    private static long shash(KernelContext k, String name, String driver, int prio, int blocksize, int digestsize,
            int descsize, String init, String update, String fin, String finup, int refcnt) {
        AddressSpace m = k.mem();
        long salg = k.slab().kmalloc(k.off("shash_alg_sizeof"), GFP_ZERO);
        long b = Shash.f(k, salg, "base");
        base(k, b, name, driver, prio, 0, blocksize, 0);
        m.write32(Shash.f(k, salg, "digestsize"), digestsize);
        m.write32(Shash.f(k, salg, "descsize"), descsize);
        m.write64(Shash.f(k, salg, "init"), k.sym(init));
        m.write64(Shash.f(k, salg, "update"), k.sym(update));
        m.write64(Shash.f(k, salg, "final"), k.sym(fin));
        if (finup != null) {
            m.write64(Shash.f(k, salg, "finup"), k.sym(finup));
        }
        Shash.prepareAlg(k, salg);
        add(k, b, refcnt);
        return b;
    }

    private static long cipher(KernelContext k, String name, String driver, int prio, int blocksize, int ctxsize,
            int min, int max, String setkey, String enc, String dec) {
        AddressSpace m = k.mem();
        long alg = k.slab().kmalloc(k.off("crypto_alg_sizeof"), GFP_ZERO);
        base(k, alg, name, driver, prio, Alg.flag(k, "TYPE_CIPHER"), blocksize, ctxsize);
        m.write32(Alg.cipherAt(k, alg, "min_keysize"), min);
        m.write32(Alg.cipherAt(k, alg, "max_keysize"), max);
        m.write64(Alg.cipherAt(k, alg, "setkey"), k.sym(setkey));
        m.write64(Alg.cipherAt(k, alg, "encrypt"), k.sym(enc));
        m.write64(Alg.cipherAt(k, alg, "decrypt"), k.sym(dec));
        add(k, alg, 1);
        return alg;
    }

    /** The CRYPTO_ALG_TYPE_* of a frontend's algorithms (compression without one). */
    private static int typeOf(KernelContext k, Frontend fe) {
        if (fe == null) {
            return Alg.flag(k, "TYPE_COMPRESS");
        }
        return fe.type(k);
    }

    /** An algorithm of a type kmodemu only lists (compression when {@code fe} is null, scomp, akcipher, kpp). */
    private static long listed(KernelContext k, String name, String driver, int prio, Frontend fe, int refcnt) {
        long alg = k.slab().kmalloc(k.off("crypto_alg_sizeof"), GFP_ZERO);
        base(k, alg, name, driver, prio, typeOf(k, fe), fe == null ? 1 : 0, 0);
        if (fe != null) {
            k.mem().write64(Alg.at(k, alg, "type"), fe.address(k));
        }
        add(k, alg, refcnt);
        state(k).listedOnly.add(alg);
        return alg;
    }

    /** A {@code struct crypto_template} of the kernel (module NULL) on the template list. */
    private static long template(KernelContext k, String name, String create) {
        long t = k.slab().kmalloc(k.off("crypto_template_sizeof"), GFP_ZERO);
        Alg.setStr(k, t + k.off("crypto_template_name"), name);
        k.mem().write64(t + k.off("crypto_template_create"), k.sym(create));
        Lists.add(k, t + k.off("crypto_template_list"), k.sym("crypto_template_list"));
        return t;
    }

    /**
     * A listed-only instance of {@code tmpl} on {@code spawnAlg}: a crypto_instance (preceded by the
     * frontend's head and a pointer to the allocation) with one registered spawn in its context.
     */
    private static long listedInstance(KernelContext k, long tmpl, int head, long spawnAlg, int spawnMask, String name,
            String driver, int prio, int flags, int blocksize, int refcnt) {
        AddressSpace m = k.mem();
        long mem = k.slab().kmalloc(head + k.off("crypto_instance_sizeof") + k.off("crypto_spawn_sizeof") + 8, GFP_ZERO);
        long inst = (mem + head + 7) & ~7L;
        long alg = inst + k.off("crypto_instance_alg");
        base(k, alg, name, driver, prio, flags | Alg.flag(k, "INSTANCE"), blocksize, 0);
        m.write64(inst + k.off("crypto_instance_tmpl"), tmpl);
        long spawn = inst + k.off("crypto_instance___ctx");
        m.write64(spawn + k.off("crypto_spawn_alg"), spawnAlg);
        m.write64(spawn + k.off("crypto_spawn_inst"), inst);
        m.write32(spawn + k.off("crypto_spawn_mask"), spawnMask);
        m.write8(spawn + k.off("crypto_spawn_registered"), 1);
        Lists.add(k, spawn + k.off("crypto_spawn_list"), Alg.at(k, spawnAlg, "users"));
        Algapi.hlistAddHead(k, inst + k.off("crypto_instance_list"), tmpl + k.off("crypto_template_instances"));
        add(k, alg, refcnt);
        state(k).instances.put(inst, mem);
        state(k).listedOnly.add(alg);
        return alg;
    }

    /** Registers the built-in algorithms and templates, oldest first (/proc/crypto lists newest first). */
    static void register(KernelContext k) {
        AddressSpace m = k.mem();
        long cbc = template(k, "cbc", "crypto_cbc_create");
        long hmac = template(k, "hmac", "hmac_create");
        long pkcs1pad = template(k, "pkcs1pad", "pkcs1pad_create");
        listed(k, "dh", "dh-generic", 100, Frontend.KPP, 1);
        long rsa = listed(k, "rsa", "rsa-generic", 100, Frontend.AKCIPHER, 1);
        cipher(k, "cipher_null", "cipher_null-generic", 0, 1, 0, 0, 0, "null_setkey", "null_crypt", "null_crypt");
        listed(k, "compress_null", "compress_null-generic", 0, null, 1);
        long dnull = shash(k, "digest_null", "digest_null-generic", 0, 1, 0, 0, "null_init", "null_update",
                "null_final", "null_digest", 1);
        m.write64(Shash.f(k, Shash.salg(k, dnull), "digest"), k.sym("null_digest"));
        m.write64(Shash.f(k, Shash.salg(k, dnull), "setkey"), k.sym("null_hash_setkey"));
        long sk = k.slab().kmalloc(k.off("skcipher_alg_sizeof"), GFP_ZERO);
        base(k, Skcipher.f(k, sk, "base"), "ecb(cipher_null)", "ecb-cipher_null", 100, 0, 1, 0);
        m.write64(Skcipher.f(k, sk, "setkey"), k.sym("null_skcipher_setkey"));
        m.write64(Skcipher.f(k, sk, "encrypt"), k.sym("null_skcipher_crypt"));
        m.write64(Skcipher.f(k, sk, "decrypt"), k.sym("null_skcipher_crypt"));
        Skcipher.prepareAlg(k, sk);
        add(k, Skcipher.f(k, sk, "base"), 1);
        long md5 = shash(k, "md5", "md5-generic", 0, 64, 16, MD5_SIZE, "md5_init", "md5_update", "md5_final", null, 1);
        m.write64(Shash.f(k, Shash.salg(k, md5), "export"), k.sym("md5_export"));
        m.write64(Shash.f(k, Shash.salg(k, md5), "import"), k.sym("md5_import"));
        m.write32(Shash.f(k, Shash.salg(k, md5), "statesize"), MD5_SIZE);
        long sha1 = shash(k, "sha1", "sha1-generic", 100, 64, 20, SHA1_SIZE, "sha1_base_init", "crypto_sha1_update",
                "sha1_final", "crypto_sha1_finup", 5);
        long sha256 = shash(k, "sha256", "sha256-generic", 100, 64, 32, Sha256.SIZE, "sha256_base_init",
                "crypto_sha256_update", "crypto_sha256_final", "crypto_sha256_finup", 4);
        shash(k, "sha224", "sha224-generic", 100, 64, 28, Sha256.SIZE, "sha224_base_init", "crypto_sha256_update",
                "crypto_sha256_final", "crypto_sha256_finup", 1);
        long aes = cipher(k, "aes", "aes-generic", 100, 16, k.off("crypto_aes_ctx_sizeof"), 16, 32, "crypto_aes_set_key",
                "crypto_aes_encrypt", "crypto_aes_decrypt");
        listed(k, "deflate", "deflate-generic", 0, null, 1);
        listed(k, "deflate", "deflate-scomp", 0, Frontend.SCOMP, 1);
        listed(k, "zlib-deflate", "zlib-deflate-scomp", 0, Frontend.SCOMP, 1);
        listed(k, "lzo", "lzo-generic", 0, null, 1);
        listed(k, "lzo", "lzo-scomp", 0, Frontend.SCOMP, 3);
        listed(k, "lzo-rle", "lzo-rle-generic", 0, null, 1);
        listed(k, "lzo-rle", "lzo-rle-scomp", 0, Frontend.SCOMP, 1);
        long shashInst = k.off("shash_instance_s_base");
        long h256 = listedInstance(k, hmac, (int) shashInst, sha256, 0, "hmac(sha256)", "hmac(sha256-generic)", 100,
                Alg.flag(k, "TYPE_SHASH"), 64, 2);
        m.write64(Alg.at(k, h256, "type"), k.sym("crypto_shash_type"));
        long h1 = listedInstance(k, hmac, (int) shashInst, sha1, 0, "hmac(sha1)", "hmac(sha1-generic)", 100,
                Alg.flag(k, "TYPE_SHASH"), 64, 2);
        m.write64(Alg.at(k, h1, "type"), k.sym("crypto_shash_type"));
        for (long h : new long[] {h256, h1}) {
            long salg = h - k.off("shash_alg_base");
            m.write32(Shash.f(k, salg, "digestsize"), h == h256 ? 32 : 20);
        }
        long pk = listedInstance(k, pkcs1pad, 64, rsa, 0, "pkcs1pad(rsa,sha256)", "pkcs1pad(rsa-generic,sha256)", 100,
                Alg.flag(k, "TYPE_AKCIPHER"), 1, 1);
        m.write64(Alg.at(k, pk, "type"), k.sym("crypto_akcipher_type"));
        m.write32(Alg.at(k, pk, "blocksize"), 0);
        // cbc(aes-generic): a working simple instance of the cbc template
        long inst = k.slab().kmalloc(k.off("skcipher_instance_sizeof") + k.off("crypto_cipher_spawn_sizeof"), GFP_ZERO);
        long cinst = inst + k.off("skcipher_instance_s_base");
        long spawn = cinst + k.off("crypto_instance___ctx");
        long salg = inst + k.off("skcipher_instance_alg");
        long b = Skcipher.f(k, salg, "base");
        base(k, b, "cbc(aes)", "cbc(aes-generic)", 100, Alg.flag(k, "INSTANCE"), 16, 8);
        m.write64(inst + k.off("skcipher_instance_free"), k.sym("skcipher_free_instance_simple"));
        m.write32(Skcipher.f(k, salg, "min_keysize"), 16);
        m.write32(Skcipher.f(k, salg, "max_keysize"), 32);
        m.write32(Skcipher.f(k, salg, "ivsize"), 16);
        m.write64(Skcipher.f(k, salg, "setkey"), k.sym("skcipher_setkey_simple"));
        m.write64(Skcipher.f(k, salg, "init"), k.sym("skcipher_init_tfm_simple"));
        m.write64(Skcipher.f(k, salg, "exit"), k.sym("skcipher_exit_tfm_simple"));
        m.write64(Skcipher.f(k, salg, "encrypt"), k.sym("crypto_cbc_encrypt"));
        m.write64(Skcipher.f(k, salg, "decrypt"), k.sym("crypto_cbc_decrypt"));
        Skcipher.prepareAlg(k, salg);
        m.write64(spawn + k.off("crypto_spawn_alg"), aes);
        m.write64(spawn + k.off("crypto_spawn_inst"), cinst);
        m.write32(spawn + k.off("crypto_spawn_mask"), Alg.flag(k, "TYPE_MASK"));
        m.write8(spawn + k.off("crypto_spawn_registered"), 1);
        Lists.add(k, spawn + k.off("crypto_spawn_list"), Alg.at(k, aes, "users"));
        m.write64(cinst + k.off("crypto_instance_tmpl"), cbc);
        Algapi.hlistAddHead(k, cinst + k.off("crypto_instance_list"), cbc + k.off("crypto_template_instances"));
        add(k, b, 1);
    }

    // ---------------------------------------------------------------- crypto/crypto_null.c

    /** static int null_init(struct shash_desc *desc) */
    @KernelSymbol(value = "null_init", internal = true)
    static int nullInit(KernelContext k, long desc) {
        return 0;
    }

    /** static int null_update(struct shash_desc *desc, const u8 *data, unsigned int len) */
    @KernelSymbol(value = "null_update", internal = true)
    static int nullUpdate(KernelContext k, long desc, long data, int len) {
        return 0;
    }

    /** static int null_final(struct shash_desc *desc, u8 *out) */
    @KernelSymbol(value = "null_final", internal = true)
    static int nullFinal(KernelContext k, long desc, long out) {
        return 0;
    }

    /** static int null_digest(struct shash_desc *desc, const u8 *data, unsigned int len, u8 *out) */
    @KernelSymbol(value = "null_digest", internal = true)
    static int nullDigest(KernelContext k, long desc, long data, int len, long out) {
        return 0;
    }

    /** static int null_hash_setkey(struct crypto_shash *tfm, const u8 *key, unsigned int keylen) */
    @KernelSymbol(value = "null_hash_setkey", internal = true)
    static int nullHashSetkey(KernelContext k, long tfm, long key, int keylen) {
        return 0;
    }

    /** static int null_skcipher_setkey(struct crypto_skcipher *tfm, const u8 *key, unsigned int keylen) */
    @KernelSymbol(value = "null_skcipher_setkey", internal = true)
    static int nullSkcipherSetkey(KernelContext k, long tfm, long key, int keylen) {
        return 0;
    }

    /** static int null_setkey(struct crypto_tfm *tfm, const u8 *key, unsigned int keylen) */
    @KernelSymbol(value = "null_setkey", internal = true)
    static int nullSetkey(KernelContext k, long tfm, long key, int keylen) {
        return 0;
    }

    /** static void null_crypt(struct crypto_tfm *tfm, u8 *dst, const u8 *src): one byte */
    @KernelSymbol(value = "null_crypt", internal = true)
    static void nullCrypt(KernelContext k, long tfm, long dst, long src) {
        k.mem().write8(dst, k.mem().read8(src));
    }

    /** static int null_skcipher_crypt(struct skcipher_request *req) */
    @KernelSymbol(value = "null_skcipher_crypt", internal = true)
    static int nullSkcipherCrypt(KernelContext k, long req) {
        AddressSpace m = k.mem();
        long walk = k.slab().kmalloc(k.off("skcipher_walk_sizeof"), GFP_ZERO);
        try {
            int err = Skcipher.walkVirt(k, walk, req, false);
            for (int n = m.read32(walk + k.off("skcipher_walk_nbytes")); n != 0;
                    n = m.read32(walk + k.off("skcipher_walk_nbytes"))) {
                long src = m.read64(walk + k.off("skcipher_walk_src_virt_addr"));
                long dst = m.read64(walk + k.off("skcipher_walk_dst_virt_addr"));
                if (src != dst) {
                    m.write(dst, m.read(src, n));
                }
                err = Skcipher.walkDone(k, walk, 0);
            }
            return err;
        } finally {
            k.slab().kfree(walk);
        }
    }

    // ---------------------------------------------------------------- crypto/md5.c

    /** {@code struct md5_state}: hash[4], block[16], u64 byte_count. */
    static final int MD5_SIZE = 88;

    private static final int[] MD5_S = {7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21};
    private static final int[] MD5_K = new int[64];

    static {
        for (int i = 0; i < 64; i++) {
            MD5_K[i] = (int) (long) Math.floor(Math.abs(Math.sin(i + 1)) * 4294967296.0);
        }
    }

    private static void md5Transform(int[] h, ByteBuffer block) {
        int a = h[0], b = h[1], c = h[2], d = h[3];
        for (int i = 0; i < 64; i++) {
            int f;
            int g;
            if (i < 16) {
                f = (b & c) | (~b & d);
                g = i;
            } else if (i < 32) {
                f = (d & b) | (~d & c);
                g = (5 * i + 1) % 16;
            } else if (i < 48) {
                f = b ^ c ^ d;
                g = (3 * i + 5) % 16;
            } else {
                f = c ^ (b | ~d);
                g = (7 * i) % 16;
            }
            int t = d;
            d = c;
            c = b;
            b = b + Integer.rotateLeft(a + f + MD5_K[i] + block.getInt(64 + 16 + 4 * g - 64), MD5_S[(i / 16) * 4 + i % 4]);
            a = t;
        }
        h[0] += a;
        h[1] += b;
        h[2] += c;
        h[3] += d;
    }

    private static ByteBuffer md5State(KernelContext k, long desc) {
        return ByteBuffer.wrap(k.mem().read(desc + k.off("shash_desc___ctx"), MD5_SIZE)).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static int[] md5Hash(ByteBuffer s) {
        return new int[] {s.getInt(0), s.getInt(4), s.getInt(8), s.getInt(12)};
    }

    private static void md5Run(ByteBuffer s) {
        int[] h = md5Hash(s);
        md5Transform(h, s);
        for (int i = 0; i < 4; i++) {
            s.putInt(4 * i, h[i]);
        }
    }

    /** static int md5_init(struct shash_desc *desc) */
    @KernelSymbol(value = "md5_init", internal = true)
    static int md5Init(KernelContext k, long desc) {
        ByteBuffer s = md5State(k, desc);
        s.putInt(0, 0x67452301).putInt(4, 0xefcdab89).putInt(8, 0x98badcfe).putInt(12, 0x10325476).putLong(80, 0);
        k.mem().write(desc + k.off("shash_desc___ctx"), s.array());
        return 0;
    }

    /** static int md5_update(struct shash_desc *desc, const u8 *data, unsigned int len) */
    @KernelSymbol(value = "md5_update", internal = true)
    static int md5Update(KernelContext k, long desc, long data, int len) {
        ByteBuffer s = md5State(k, desc);
        byte[] in = k.mem().read(data, len);
        long count = s.getLong(80);
        int avail = 64 - (int) (count & 0x3f);
        s.putLong(80, count + len);
        int pos = 0;
        if (avail > len) {
            s.put(16 + 64 - avail, in, 0, len);
        } else {
            s.put(16 + 64 - avail, in, 0, avail);
            md5Run(s);
            pos = avail;
            while (len - pos >= 64) {
                s.put(16, in, pos, 64);
                md5Run(s);
                pos += 64;
            }
            s.put(16, in, pos, len - pos);
        }
        k.mem().write(desc + k.off("shash_desc___ctx"), s.array());
        return 0;
    }

    /** static int md5_final(struct shash_desc *desc, u8 *out) */
    @KernelSymbol(value = "md5_final", internal = true)
    static int md5Final(KernelContext k, long desc, long out) {
        ByteBuffer s = md5State(k, desc);
        long count = s.getLong(80);
        int offset = (int) (count & 0x3f);
        int p = 16 + offset;
        int padding = 56 - (offset + 1);
        s.put(p++, (byte) 0x80);
        if (padding < 0) {
            for (int i = 0; i < padding + 8; i++) {
                s.put(p + i, (byte) 0);
            }
            md5Run(s);
            p = 16;
            padding = 56;
        }
        for (int i = 0; i < padding; i++) {
            s.put(p + i, (byte) 0);
        }
        s.putInt(16 + 56, (int) (count << 3));
        s.putInt(16 + 60, (int) (count >>> 29));
        md5Run(s);
        k.mem().write(out, java.util.Arrays.copyOf(s.array(), 16));
        k.mem().write(desc + k.off("shash_desc___ctx"), new byte[MD5_SIZE]);
        return 0;
    }

    /** static int md5_export(struct shash_desc *desc, void *out) */
    @KernelSymbol(value = "md5_export", internal = true)
    static int md5Export(KernelContext k, long desc, long out) {
        k.mem().write(out, k.mem().read(desc + k.off("shash_desc___ctx"), MD5_SIZE));
        return 0;
    }

    /** static int md5_import(struct shash_desc *desc, const void *in) */
    @KernelSymbol(value = "md5_import", internal = true)
    static int md5Import(KernelContext k, long desc, long in) {
        k.mem().write(desc + k.off("shash_desc___ctx"), k.mem().read(in, MD5_SIZE));
        return 0;
    }

    // ---------------------------------------------------------------- crypto/sha1_generic.c

    /** {@code struct sha1_state}: state[5], u64 count, u8 buffer[64]. */
    static final int SHA1_SIZE = 96;

    private static ByteBuffer sha1State(KernelContext k, long desc) {
        return ByteBuffer.wrap(k.mem().read(desc + k.off("shash_desc___ctx"), SHA1_SIZE)).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void sha1Blocks(ByteBuffer s, byte[] src, int off, int blocks) {
        int[] h = new int[5];
        for (int i = 0; i < 5; i++) {
            h[i] = s.getInt(4 * i);
        }
        for (int b = 0; b < blocks; b++) {
            Sha1.transform(h, src, off + 64 * b);
        }
        for (int i = 0; i < 5; i++) {
            s.putInt(4 * i, h[i]);
        }
    }

    /** {@code sha1_base_do_update()} on the state bytes. */
    private static void sha1DoUpdate(ByteBuffer s, byte[] data) {
        long count = s.getLong(24);
        int partial = (int) (count % 64);
        int len = data.length;
        int pos = 0;
        s.putLong(24, count + len);
        if (partial + len >= 64) {
            if (partial != 0) {
                int p = 64 - partial;
                s.put(32 + partial, data, 0, p);
                pos = p;
                len -= p;
                byte[] buf = new byte[64];
                s.get(32, buf);
                sha1Blocks(s, buf, 0, 1);
            }
            int blocks = len / 64;
            len %= 64;
            if (blocks != 0) {
                sha1Blocks(s, data, pos, blocks);
                pos += blocks * 64;
            }
            partial = 0;
        }
        if (len != 0) {
            s.put(32 + partial, data, pos, len);
        }
    }

    /** sha1_base_init() */
    @KernelSymbol(value = "sha1_base_init", internal = true)
    static int sha1BaseInit(KernelContext k, long desc) {
        ByteBuffer s = sha1State(k, desc);
        for (int i = 0; i < 5; i++) {
            s.putInt(4 * i, Sha1.H[i]);
        }
        s.putLong(24, 0);
        k.mem().write(desc + k.off("shash_desc___ctx"), s.array());
        return 0;
    }

    /** int crypto_sha1_update(struct shash_desc *desc, const u8 *data, unsigned int len) */
    @KernelSymbol("crypto_sha1_update")
    static int sha1Update(KernelContext k, long desc, long data, int len) {
        ByteBuffer s = sha1State(k, desc);
        sha1DoUpdate(s, k.mem().read(data, len));
        k.mem().write(desc + k.off("shash_desc___ctx"), s.array());
        return 0;
    }

    /** static int sha1_final(struct shash_desc *desc, u8 *out) */
    @KernelSymbol(value = "sha1_final", internal = true)
    static int sha1Final(KernelContext k, long desc, long out) {
        ByteBuffer s = sha1State(k, desc);
        long count = s.getLong(24);
        int partial = (int) (count % 64);
        byte[] buf = new byte[64];
        s.get(32, buf);
        buf[partial++] = (byte) 0x80;
        if (partial > 56) {
            java.util.Arrays.fill(buf, partial, 64, (byte) 0);
            partial = 0;
            sha1Blocks(s, buf, 0, 1);
        }
        java.util.Arrays.fill(buf, partial, 56, (byte) 0);
        ByteBuffer.wrap(buf).order(ByteOrder.BIG_ENDIAN).putLong(56, count << 3);
        sha1Blocks(s, buf, 0, 1);
        ByteBuffer d = ByteBuffer.allocate(20).order(ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < 5; i++) {
            d.putInt(s.getInt(4 * i));
        }
        k.mem().write(out, d.array());
        k.mem().write(desc + k.off("shash_desc___ctx"), new byte[SHA1_SIZE]);
        return 0;
    }

    /** int crypto_sha1_finup(struct shash_desc *desc, const u8 *data, unsigned int len, u8 *out) */
    @KernelSymbol("crypto_sha1_finup")
    static int sha1Finup(KernelContext k, long desc, long data, int len, long out) {
        sha1Update(k, desc, data, len);
        return sha1Final(k, desc, out);
    }

    // ---------------------------------------------------------------- crypto/sha256_generic.c

    private static long ctx(KernelContext k, long desc) {
        return desc + k.off("shash_desc___ctx");
    }

    /** sha256_base_init() */
    @KernelSymbol(value = "sha256_base_init", internal = true)
    static int sha256BaseInit(KernelContext k, long desc) {
        Sha256.State st = Sha256.State.read(k, ctx(k, desc));
        st.init(Sha256.SHA256_H);
        st.write(k, ctx(k, desc));
        return 0;
    }

    /** sha224_base_init() */
    @KernelSymbol(value = "sha224_base_init", internal = true)
    static int sha224BaseInit(KernelContext k, long desc) {
        Sha256.State st = Sha256.State.read(k, ctx(k, desc));
        st.init(Sha256.SHA224_H);
        st.write(k, ctx(k, desc));
        return 0;
    }

    /** int crypto_sha256_update(struct shash_desc *desc, const u8 *data, unsigned int len) */
    @KernelSymbol("crypto_sha256_update")
    static int sha256Update(KernelContext k, long desc, long data, int len) {
        Sha256.update(k, ctx(k, desc), data, len);
        return 0;
    }

    /** static int crypto_sha256_final(struct shash_desc *desc, u8 *out) */
    @KernelSymbol(value = "crypto_sha256_final", internal = true)
    static int sha256Final(KernelContext k, long desc, long out) {
        long tfm = k.mem().read64(desc + k.off("shash_desc_tfm"));
        Sha256.finalGuest(k, ctx(k, desc), out, Shash.digestsize(k, tfm) / 4);
        return 0;
    }

    /** int crypto_sha256_finup(struct shash_desc *desc, const u8 *data, unsigned int len, u8 *hash) */
    @KernelSymbol("crypto_sha256_finup")
    static int sha256Finup(KernelContext k, long desc, long data, int len, long out) {
        Sha256.update(k, ctx(k, desc), data, len);
        return sha256Final(k, desc, out);
    }

    // ---------------------------------------------------------------- crypto/aes_generic.c

    /** int crypto_aes_set_key(struct crypto_tfm *tfm, const u8 *in_key, unsigned int key_len) */
    @KernelSymbol("crypto_aes_set_key")
    static int aesSetKey(KernelContext k, long tfm, long key, int keylen) {
        return Aes.expandkey(k, Api.tfmCtx(k, tfm), key, keylen);
    }

    /** static void crypto_aes_encrypt(struct crypto_tfm *tfm, u8 *out, const u8 *in) */
    @KernelSymbol(value = "crypto_aes_encrypt", internal = true)
    static void aesEncrypt(KernelContext k, long tfm, long out, long in) {
        Aes.encrypt(k, Api.tfmCtx(k, tfm), out, in);
    }

    /** static void crypto_aes_decrypt(struct crypto_tfm *tfm, u8 *out, const u8 *in) */
    @KernelSymbol(value = "crypto_aes_decrypt", internal = true)
    static void aesDecrypt(KernelContext k, long tfm, long out, long in) {
        Aes.decrypt(k, Api.tfmCtx(k, tfm), out, in);
    }

    // ---------------------------------------------------------------- crypto/cbc.c

    /** static int crypto_cbc_create(struct crypto_template *tmpl, struct rtattr **tb) */
    @KernelSymbol(value = "crypto_cbc_create", internal = true)
    static int cbcCreate(KernelContext k, long tmpl, long tb) {
        long inst = Skcipher.allocInstanceSimple(k, tmpl, tb);
        if (Api.isErr(inst)) {
            return (int) inst;
        }
        AddressSpace m = k.mem();
        long spawn = inst + k.off("skcipher_instance_s_base") + k.off("crypto_instance___ctx");
        long alg = m.read64(spawn + k.off("crypto_spawn_alg"));
        int bs = Alg.blocksize(k, alg);
        int err = -Errno.EINVAL;
        if (bs != 0 && (bs & (bs - 1)) == 0) {
            long salg = inst + k.off("skcipher_instance_alg");
            m.write64(Skcipher.f(k, salg, "encrypt"), k.sym("crypto_cbc_encrypt"));
            m.write64(Skcipher.f(k, salg, "decrypt"), k.sym("crypto_cbc_decrypt"));
            err = Skcipher.registerInstance(k, tmpl, inst);
        }
        if (err != 0) {
            k.call(m.read64(inst + k.off("skcipher_instance_free")), inst);
        }
        return err;
    }

    /** The cipher of a simple instance's transform and its {@code cia_encrypt}/{@code cia_decrypt}. */
    private static long[] simpleCipher(KernelContext k, long req, boolean enc) {
        long base = k.mem().read64(req + k.off("skcipher_request_base") + k.off("crypto_async_request_tfm"));
        long cipher = k.mem().read64(Api.tfmCtx(k, base));
        long fn = k.mem().read64(Alg.cipherAt(k, Api.tfmAlg(k, cipher), enc ? "encrypt" : "decrypt"));
        return new long[] {cipher, fn, Alg.blocksize(k, Api.tfmAlg(k, base))};
    }

    private static void xor(KernelContext k, long dst, long src, int n) {
        byte[] a = k.mem().read(dst, n);
        byte[] b = k.mem().read(src, n);
        for (int i = 0; i < n; i++) {
            a[i] ^= b[i];
        }
        k.mem().write(dst, a);
    }

    /** static int crypto_cbc_encrypt(struct skcipher_request *req) */
    @KernelSymbol(value = "crypto_cbc_encrypt", internal = true)
    static int cbcEncrypt(KernelContext k, long req) {
        return cbcCrypt(k, req, true);
    }

    /** static int crypto_cbc_decrypt(struct skcipher_request *req) */
    @KernelSymbol(value = "crypto_cbc_decrypt", internal = true)
    static int cbcDecrypt(KernelContext k, long req) {
        return cbcCrypt(k, req, false);
    }

    private static int cbcCrypt(KernelContext k, long req, boolean enc) {
        AddressSpace m = k.mem();
        long[] c = simpleCipher(k, req, enc);
        long tfm = c[0];
        long fn = c[1];
        int bs = (int) c[2];
        long walk = k.slab().kmalloc(k.off("skcipher_walk_sizeof"), GFP_ZERO);
        try {
            int err = Skcipher.walkVirt(k, walk, req, false);
            for (int nbytes = m.read32(walk + k.off("skcipher_walk_nbytes")); nbytes != 0;
                    nbytes = m.read32(walk + k.off("skcipher_walk_nbytes"))) {
                long src = m.read64(walk + k.off("skcipher_walk_src_virt_addr"));
                long dst = m.read64(walk + k.off("skcipher_walk_dst_virt_addr"));
                long walkIv = m.read64(walk + k.off("skcipher_walk_iv"));
                int n = nbytes;
                if (enc && src == dst) {
                    long iv = walkIv;
                    do {
                        xor(k, src, iv, bs);
                        k.call(fn, tfm, src, src);
                        iv = src;
                        src += bs;
                    } while ((n -= bs) >= bs);
                    m.write(walkIv, m.read(iv, bs));
                } else if (enc) {
                    do {
                        xor(k, walkIv, src, bs);
                        k.call(fn, tfm, dst, walkIv);
                        m.write(walkIv, m.read(dst, bs));
                        src += bs;
                        dst += bs;
                    } while ((n -= bs) >= bs);
                } else if (src == dst) {
                    if (n >= bs) {
                        src += n - (n & (bs - 1)) - bs;
                        byte[] lastIv = m.read(src, bs);
                        for (;;) {
                            k.call(fn, tfm, src, src);
                            if ((n -= bs) < bs) {
                                break;
                            }
                            xor(k, src, src - bs, bs);
                            src -= bs;
                        }
                        xor(k, src, walkIv, bs);
                        m.write(walkIv, lastIv);
                    }
                } else {
                    long iv = walkIv;
                    do {
                        k.call(fn, tfm, dst, src);
                        xor(k, dst, iv, bs);
                        iv = src;
                        src += bs;
                        dst += bs;
                    } while ((n -= bs) >= bs);
                    m.write(walkIv, m.read(iv, bs));
                }
                err = Skcipher.walkDone(k, walk, n);
            }
            return err;
        } finally {
            k.slab().kfree(walk);
        }
    }

    // ---------------------------------------------------------------- templates without instances here

    /** static int hmac_create(struct crypto_template *tmpl, struct rtattr **tb): not provided (see the class comment) */
    @KernelSymbol(value = "hmac_create", internal = true)
    static int hmacCreate(KernelContext k, long tmpl, long tb) {
        return -Errno.ENOENT;
    }

    /** static int pkcs1pad_create(struct crypto_template *tmpl, struct rtattr **tb): not provided */
    @KernelSymbol(value = "pkcs1pad_create", internal = true)
    static int pkcs1padCreate(KernelContext k, long tmpl, long tb) {
        return -Errno.ENOENT;
    }
}
