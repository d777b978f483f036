package dev.kmodemu.kstubs.crypto;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.kernel.Oops;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * crypto/testmgr.c: the self-test every new algorithm gets before it is marked tested
 * ({@code alg_test()}, Debian's CONFIG_CRYPTO_MANAGER=y without DISABLE_TESTS or EXTRA_TESTS),
 * with the kernel's table of which algorithms have tests and its test vectors (crypto/testmgr.h,
 * extracted by scripts/gen-crypto-testvectors). An algorithm without a test entry logs
 * "alg: No test for NAME (DRIVER)" and passes, as there. What runs:
 * <ul>
 * <li>hash tests ({@code alg_test_hash}, {@code alg_test_crc32c}): every vector through the shash
 * API with the default configurations that apply to it (init+update+final, init+finup and digest
 * on aligned and misaligned buffers, two even splits, export/import), with the kernel's failure
 * messages; the kernel also runs each through the ahash API, which kmodemu does not provide;</li>
 * <li>single-block ciphers ({@code alg_test_cipher}, the "ecb(NAME)" vectors) and ECB skcipher
 * instances (the same vectors through {@code crypto_skcipher_encrypt()}, one aligned
 * buffer);</li>
 * <li>{@code alg_test_null}: nothing, as in the kernel.</li>
 * </ul>
 * Tests of other kinds (AEAD, akcipher, kpp, compression, RNGs, skcipher modes other than ECB)
 * have no vectors here: the algorithm passes without running them, and {@link #results} says so.
 */
public final class Testmgr {
    private Testmgr() {
    }

    /** One self-test as kmodemu ran it: for the sweep's report and the Java API. */
    public record Result(String driver, String alg, String test, int vectors, int rc, boolean ran) {
    }

    record HashVec(byte[] key, byte[] plaintext, byte[] digest, int setkeyError, int digestError) {
    }

    record CipherVec(byte[] key, byte[] ptext, byte[] ctext, int wk, int setkeyError) {
    }

    record Desc(String test, boolean fipsAllowed) {
    }

    /** The extracted tables, shared by every kernel of the JVM (immutable). */
    private static final class Tables {
        final Map<String, Desc> descs = new HashMap<>();
        final Map<String, List<HashVec>> hashes = new HashMap<>();
        final Map<String, List<CipherVec>> ciphers = new HashMap<>();

        Tables() {
            var in = Testmgr.class.getResourceAsStream("testmgr-vectors.txt");
            if (in == null) {
                throw new IllegalStateException("kmodemu: crypto/testmgr-vectors.txt missing from the classpath");
            }
            HexFormat hex = HexFormat.of();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    if (l.startsWith("#") || l.isBlank()) {
                        continue;
                    }
                    String[] f = l.split(" ");
                    switch (f[0]) {
                        case "desc" -> descs.put(f[1], new Desc(f[2], f[3].equals("1")));
                        case "hash" -> hashes.computeIfAbsent(f[1], x -> new ArrayList<>()).add(new HashVec(
                                val(hex, f[2]), val(hex, f[3]), val(hex, f[4]), Integer.parseInt(f[7]),
                                Integer.parseInt(f[8])));
                        case "cipher" -> ciphers.computeIfAbsent(f[1], x -> new ArrayList<>()).add(new CipherVec(
                                val(hex, f[2]), val(hex, f[3]), val(hex, f[4]), Integer.parseInt(f[7]),
                                Integer.parseInt(f[8])));
                        default -> throw new IllegalStateException("testmgr-vectors.txt: " + l);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static byte[] val(HexFormat hex, String field) {
            String v = field.substring(field.indexOf('=') + 1);
            return v.equals("-") ? new byte[0] : hex.parseHex(v);
        }
    }

    private static Tables tables;

    private static synchronized Tables tables() {
        if (tables == null) {
            tables = new Tables();
        }
        return tables;
    }

    /** The self-tests run in this kernel so far, oldest first. */
    public static List<Result> results(KernelContext k) {
        return List.copyOf(log(k));
    }

    private static List<Result> log(KernelContext k) {
        return k.state(Result.class, () -> new ArrayList<Result>());
    }

    private static void record(KernelContext k, Result r) {
        log(k).add(r);
    }

    private static void pr(KernelContext k, int level, String text) {
        k.printk(level, text);
    }

    /** int alg_test(const char *driver, const char *alg, u32 type, u32 mask) */
    @KernelSymbol("alg_test")
    static int algTestSym(KernelContext k, long driver, long alg, int type, int mask) {
        return algTest(k, Alg.str(k, driver), Alg.str(k, alg), type, mask);
    }

    /** {@code alg_test()}: 0 when the algorithm passed (or has no test), else the error. */
    static int algTest(KernelContext k, String driver, String alg, int type, int mask) {
        Tables t = tables();
        int rc;
        String test;
        int[] vectors = {0};
        boolean[] ran = {true};
        if ((type & Alg.flag(k, "TYPE_MASK")) == Alg.flag(k, "TYPE_CIPHER")) {
            String nalg = "ecb(" + alg + ")";
            if (nalg.getBytes(StandardCharsets.UTF_8).length >= k.off("CRYPTO_MAX_ALG_NAME")) {
                return -Errno.ENAMETOOLONG;
            }
            Desc d = t.descs.get(nalg);
            if (d == null) {
                return noTest(k, driver, alg, type);
            }
            test = "alg_test_cipher";
            rc = testCipher(k, driver, type, mask, t.ciphers.getOrDefault(nalg, List.of()), vectors);
        } else {
            Desc di = t.descs.get(alg);
            Desc dj = t.descs.get(driver);
            if (di == null && dj == null) {
                return noTest(k, driver, alg, type);
            }
            rc = 0;
            test = di != null ? di.test() : dj.test();
            if (di != null) {
                rc |= runDesc(k, alg, di, driver, type, mask, vectors, ran);
            }
            if (dj != null && !driver.equals(alg)) {
                rc |= runDesc(k, driver, dj, driver, type, mask, vectors, ran);
            }
        }
        record(k, new Result(driver, alg, test, vectors[0], rc, ran[0]));
        if (rc != 0) {
            String msg = "alg: self-tests for " + alg + " using " + driver + " failed (rc=" + rc + ")";
            pr(k, 4, msg);
            if (rc != -Errno.ENOENT) {
                Oops.warn(k, "crypto/testmgr.c:5907", "alg_test", msg);
            }
        }
        return rc;
    }

    /** The "notest" exit of {@code alg_test()}. */
    private static int noTest(KernelContext k, String driver, String alg, int type) {
        pr(k, 6, "alg: No test for " + alg + " (" + driver + ")");
        record(k, new Result(driver, alg, null, 0, 0, false));
        return (type & Alg.flag(k, "FIPS_INTERNAL")) != 0 ? -Errno.ECANCELED : 0;
    }

    private static int runDesc(KernelContext k, String name, Desc d, String driver, int type, int mask, int[] vectors,
            boolean[] ran) {
        Tables t = tables();
        switch (d.test()) {
            case "alg_test_hash":
                return testHash(k, driver, type, mask, t.hashes.getOrDefault(name, List.of()), vectors);
            case "alg_test_crc32c": {
                int err = testHash(k, driver, type, mask, t.hashes.getOrDefault(name, List.of()), vectors);
                return err != 0 ? err : crc32cExtra(k, driver, type, mask);
            }
            case "alg_test_null":
                return 0;
            case "alg_test_skcipher":
                if (t.ciphers.containsKey(name)) {
                    return testSkcipher(k, driver, type, mask, t.ciphers.get(name), vectors);
                }
                ran[0] = false;
                return 0;
            default:
                ran[0] = false;
                return 0;
        }
    }

    // ---------------------------------------------------------------- hashes

    private static final int POISON = 0xfe;
    private static final int POISON_LEN = 16;
    private static final int GFP = 0xcc0;

    /** One {@code struct testvec_config} of the default hash configurations that reach the shash API. */
    private record Cfg(String name, int[] props, int[] offsets, boolean relative, String fin, int keyOffset,
            boolean keyRelative, boolean reimport) {
    }

    private static final List<Cfg> HASH_CFGS = List.of(
            new Cfg("init+update+final aligned buffer", new int[] {10000}, new int[] {0}, false, "final", 0, false, false),
            new Cfg("init+finup aligned buffer", new int[] {10000}, new int[] {0}, false, "finup", 0, false, false),
            new Cfg("digest aligned buffer", new int[] {10000}, new int[] {0}, false, "digest", 0, false, false),
            new Cfg("init+update+final misaligned buffer", new int[] {10000}, new int[] {1}, false, "final", 1, false,
                    false),
            new Cfg("digest buffer aligned only to alignmask", new int[] {10000}, new int[] {1}, true, "digest", 1, true,
                    false),
            new Cfg("init+update+update+final two even splits", new int[] {5000, 5000}, new int[] {0, 0}, false, "final",
                    0, false, false),
            new Cfg("import/export", new int[] {6500, 3500}, new int[] {0, 0}, false, "final", 0, false, true));

    /** {@code __alg_test_hash()} over the shash API: the vectors in every configuration. */
    private static int testHash(KernelContext k, String driver, int type, int mask, List<HashVec> vecs, int[] counted) {
        long tfm = Shash.alloc(k, driver, type, mask);
        if (Api.isErr(tfm)) {
            pr(k, 3, "alg: hash: failed to allocate transform for " + driver + ": " + tfm);
            return (int) tfm;
        }
        AddressSpace m = k.mem();
        String drv = Alg.driver(k, Api.tfmAlg(k, Shash.baseOf(k, tfm)));
        long desc = k.slab().kmalloc(k.off("shash_desc_sizeof") + Shash.descsize(k, tfm), GFP);
        m.write64(desc + k.off("shash_desc_tfm"), tfm);
        int statesize = m.read32(Shash.f(k, Shash.algOf(k, tfm), "statesize"));
        long state = k.slab().kmalloc(statesize + POISON_LEN, GFP);
        long result = k.slab().kmalloc(k.off("HASH_MAX_DIGESTSIZE") + POISON_LEN, GFP);
        long[] bufs = {k.slab().kmalloc(2 * 4096, GFP), k.slab().kmalloc(2 * 4096, GFP)};
        long keybuf = k.slab().kmalloc(4096, GFP);
        int err = 0;
        try {
            for (int i = 0; i < vecs.size() && err == 0; i++) {
                counted[0]++;
                for (Cfg cfg : HASH_CFGS) {
                    err = hashVecCfg(k, vecs.get(i), String.valueOf(i), cfg, desc, drv, bufs, keybuf, result, state);
                    if (err != 0) {
                        break;
                    }
                }
            }
        } finally {
            k.slab().kfree(keybuf);
            k.slab().kfree(bufs[0]);
            k.slab().kfree(bufs[1]);
            k.slab().kfree(result);
            k.slab().kfree(state);
            k.slab().kfree(desc);
            Shash.free(k, tfm);
        }
        return err;
    }

    private static void poison(KernelContext k, long at, int len) {
        byte[] b = new byte[len];
        java.util.Arrays.fill(b, (byte) POISON);
        k.mem().write(at, b);
    }

    private static boolean isPoison(KernelContext k, long at, int len) {
        for (byte b : k.mem().read(at, len)) {
            if ((b & 0xff) != POISON) {
                return false;
            }
        }
        return true;
    }

    private static int shashOp(KernelContext k, String op, int err, String drv, String vec, Cfg cfg) {
        if (err != 0) {
            pr(k, 3, "alg: shash: " + drv + " " + op + "() failed with err " + err + " on test vector " + vec
                    + ", cfg=\"" + cfg.name() + "\"");
        }
        return err;
    }

    /** {@code test_shash_vec_cfg()}. */
    private static int hashVecCfg(KernelContext k, HashVec v, String vec, Cfg cfg, long desc, String drv, long[] bufs,
            long keybuf, long result, long state) {
        AddressSpace m = k.mem();
        long tfm = m.read64(desc + k.off("shash_desc_tfm"));
        int alignmask = Alg.alignmask(k, Api.tfmAlg(k, Shash.baseOf(k, tfm)));
        int digestsize = Shash.digestsize(k, tfm);
        int err;
        if (v.key().length > 0) {
            long key = keybuf + cfg.keyOffset() + (cfg.keyRelative() ? alignmask : 0);
            m.write(key, v.key());
            err = Shash.setkey(k, tfm, key, v.key().length);
            if (err != 0) {
                if (err == v.setkeyError()) {
                    return 0;
                }
                pr(k, 3, "alg: shash: " + drv + " setkey failed on test vector " + vec + "; expected_error="
                        + v.setkeyError() + ", actual_error=" + err + ", flags=0x"
                        + Integer.toHexString(m.read32(Api.tfmField(k, Shash.baseOf(k, tfm), "crt_flags"))));
                return err;
            }
            if (v.setkeyError() != 0) {
                pr(k, 3, "alg: shash: " + drv + " setkey unexpectedly succeeded on test vector " + vec
                        + "; expected_error=" + v.setkeyError());
                return -Errno.EINVAL;
            }
        }
        // build_test_sglist(): the divisions of the plaintext
        int total = v.plaintext().length;
        List<long[]> parts = new ArrayList<>();
        int remaining = total;
        for (int i = 0; i < cfg.props().length; i++) {
            int len = Math.min(remaining, (total * cfg.props()[i] + 5000) / 10000);
            if (len != 0) {
                parts.add(new long[] {i, len});
                remaining -= len;
            }
        }
        if (parts.isEmpty()) {
            parts.add(new long[] {0, 0});
        }
        parts.get(parts.size() - 1)[1] += remaining;
        long[] addr = new long[parts.size()];
        int pos = 0;
        for (int i = 0; i < parts.size(); i++) {
            int div = (int) parts.get(i)[0];
            int len = (int) parts.get(i)[1];
            int offset = cfg.offsets()[div] + (cfg.relative() ? alignmask : 0);
            addr[i] = bufs[i] + offset;
            m.write(addr[i], java.util.Arrays.copyOfRange(v.plaintext(), pos, pos + len));
            poison(k, addr[i] + len, POISON_LEN);
            pos += len;
        }
        poison(k, desc + k.off("shash_desc___ctx"), Shash.descsize(k, tfm));
        poison(k, result, digestsize + POISON_LEN);
        if (cfg.fin().equals("digest") || v.digestError() != 0) {
            if (parts.size() != 1) {
                return 0;
            }
            err = Shash.digest(k, desc, addr[0], (int) parts.get(0)[1], result);
            if (err != 0) {
                if (err == v.digestError()) {
                    return 0;
                }
                pr(k, 3, "alg: shash: " + drv + " digest() failed on test vector " + vec + "; expected_error="
                        + v.digestError() + ", actual_error=" + err + ", cfg=\"" + cfg.name() + "\"");
                return err;
            }
            if (v.digestError() != 0) {
                pr(k, 3, "alg: shash: " + drv + " digest() unexpectedly succeeded on test vector " + vec
                        + "; expected_error=" + v.digestError() + ", cfg=\"" + cfg.name() + "\"");
                return -Errno.EINVAL;
            }
        } else {
            err = shashOp(k, "init", Shash.init(k, desc), drv, vec, cfg);
            if (err != 0) {
                return err;
            }
            boolean done = false;
            for (int i = 0; i < parts.size(); i++) {
                int len = (int) parts.get(i)[1];
                if (i + 1 == parts.size() && cfg.fin().equals("finup")) {
                    err = shashOp(k, "finup", Shash.finup(k, desc, addr[i], len, result), drv, vec, cfg);
                    if (err != 0) {
                        return err;
                    }
                    done = true;
                    break;
                }
                err = shashOp(k, "update", Shash.update(k, desc, addr[i], len), drv, vec, cfg);
                if (err != 0) {
                    return err;
                }
                if (cfg.reimport()) {
                    long hash = m.read64(desc + k.off("shash_desc_tfm"));
                    long salg = Shash.algOf(k, hash);
                    int statesize = m.read32(Shash.f(k, salg, "statesize"));
                    poison(k, state + statesize, POISON_LEN);
                    err = shashOp(k, "export", (int) k.call(m.read64(Shash.f(k, salg, "export")), desc, state),
                            drv, vec, cfg);
                    if (err != 0) {
                        return err;
                    }
                    if (!isPoison(k, state + statesize, POISON_LEN)) {
                        pr(k, 3, "alg: shash: " + drv + " export() overran state buffer on test vector " + vec
                                + ", cfg=\"" + cfg.name() + "\"");
                        return -Errno.EOVERFLOW;
                    }
                    poison(k, desc + k.off("shash_desc___ctx"), Shash.descsize(k, hash));
                    err = shashOp(k, "import", (int) k.call(m.read64(Shash.f(k, salg, "import")), desc, state),
                            drv, vec, cfg);
                    if (err != 0) {
                        return err;
                    }
                }
            }
            if (!done) {
                err = shashOp(k, "final", Shash.finalSym(k, desc, result), drv, vec, cfg);
                if (err != 0) {
                    return err;
                }
            }
        }
        // check_hash_result()
        if (!java.util.Arrays.equals(m.read(result, digestsize), java.util.Arrays.copyOf(v.digest(), digestsize))) {
            pr(k, 3, "alg: shash: " + drv + " test failed (wrong result) on test vector " + vec + ", cfg=\"" + cfg.name()
                    + "\"");
            return -Errno.EINVAL;
        }
        if (!isPoison(k, result + digestsize, POISON_LEN)) {
            pr(k, 3, "alg: shash: " + drv + " overran result buffer on test vector " + vec + ", cfg=\"" + cfg.name()
                    + "\"");
            return -Errno.EOVERFLOW;
        }
        return 0;
    }

    /** The rest of {@code alg_test_crc32c()}: final of a preset state gives its complement. */
    private static int crc32cExtra(KernelContext k, String driver, int type, int mask) {
        long tfm = Shash.alloc(k, driver, type, mask);
        if (Api.isErr(tfm)) {
            if (tfm == -Errno.ENOENT) {
                return 0;
            }
            pr(k, 3, "alg: crc32c: Failed to load transform for " + driver + ": " + tfm);
            return (int) tfm;
        }
        AddressSpace m = k.mem();
        String drv = Alg.driver(k, Api.tfmAlg(k, Shash.baseOf(k, tfm)));
        long desc = Shash.newDesc(k, tfm);
        long val = k.slab().kmalloc(4, GFP);
        int err;
        try {
            m.write32(desc + k.off("shash_desc___ctx"), 420553207);
            err = Shash.finalSym(k, desc, val);
            if (err != 0) {
                pr(k, 3, "alg: crc32c: Operation failed for " + drv + ": " + err);
            } else if (m.read32(val) != ~420553207) {
                pr(k, 3, "alg: crc32c: Test failed for " + drv + ": " + Integer.toUnsignedString(m.read32(val)));
                err = -Errno.EINVAL;
            }
        } finally {
            k.slab().kfree(val);
            Shash.freeDesc(k, tfm, desc);
            Shash.free(k, tfm);
        }
        return err;
    }

    // ---------------------------------------------------------------- ciphers

    /** {@code alg_test_cipher()}: {@code test_cipher()} encrypting, then decrypting. */
    private static int testCipher(KernelContext k, String driver, int type, int mask, List<CipherVec> vecs,
            int[] counted) {
        long tfm = Cipher.alloc(k, driver, type, mask);
        if (Api.isErr(tfm)) {
            pr(k, 3, "alg: cipher: Failed to load transform for " + driver + ": " + tfm);
            return (int) tfm;
        }
        long data = k.slab().kmalloc(4096, GFP);
        long key = k.slab().kmalloc(4096, GFP);
        counted[0] += vecs.size();
        try {
            int err = cipherPass(k, tfm, true, vecs, data, key);
            return err != 0 ? err : cipherPass(k, tfm, false, vecs, data, key);
        } finally {
            k.slab().kfree(data);
            k.slab().kfree(key);
            Api.destroyTfm(k, tfm, tfm);
        }
    }

    private static int cipherPass(KernelContext k, long tfm, boolean enc, List<CipherVec> vecs, long data, long key) {
        AddressSpace m = k.mem();
        long alg = Api.tfmAlg(k, tfm);
        String algo = Alg.driver(k, alg);
        String e = enc ? "encryption" : "decryption";
        int bs = Alg.blocksize(k, alg);
        int j = 0;
        for (CipherVec v : vecs) {
            byte[] input = enc ? v.ptext() : v.ctext();
            byte[] result = enc ? v.ctext() : v.ptext();
            j++;
            m.write(data, input);
            long flags = Api.tfmField(k, tfm, "crt_flags");
            m.write32(flags, v.wk() != 0 ? k.off("CRYPTO_TFM_REQ_FORBID_WEAK_KEYS") : 0);
            m.write(key, v.key());
            int ret = Cipher.setkey(k, tfm, key, v.key().length);
            if (ret != 0) {
                if (ret == v.setkeyError()) {
                    continue;
                }
                pr(k, 3, "alg: cipher: " + algo + " setkey failed on test vector " + j + "; expected_error="
                        + v.setkeyError() + ", actual_error=" + ret + ", flags=0x" + Integer.toHexString(m.read32(flags)));
                return ret;
            }
            if (v.setkeyError() != 0) {
                pr(k, 3, "alg: cipher: " + algo + " setkey unexpectedly succeeded on test vector " + j
                        + "; expected_error=" + v.setkeyError());
                return -Errno.EINVAL;
            }
            for (int off = 0; off < input.length; off += bs) {
                Cipher.cryptOne(k, tfm, data + off, data + off, enc);
            }
            if (!java.util.Arrays.equals(m.read(data, input.length), result)) {
                pr(k, 3, "alg: cipher: Test " + j + " failed on " + e + " for " + algo);
                hexdump(k, m.read(data, input.length));
                return -Errno.EINVAL;
            }
        }
        return 0;
    }

    /** testmgr.c's {@code hexdump()}: {@code print_hex_dump(KERN_CONT, "", DUMP_PREFIX_OFFSET, 16, 1, ...)}. */
    private static void hexdump(KernelContext k, byte[] b) {
        for (int i = 0; i < b.length; i += 16) {
            StringBuilder sb = new StringBuilder(String.format("%08x: ", i));
            for (int j = i; j < Math.min(i + 16, b.length); j++) {
                sb.append(String.format("%02x", b[j] & 0xff)).append(j + 1 < Math.min(i + 16, b.length) ? " " : "");
            }
            pr(k, 4, sb.toString());
        }
    }

    /**
     * An ECB skcipher against the "ecb(...)" vectors: each vector encrypted and decrypted in place
     * in one aligned buffer through {@code crypto_skcipher_encrypt()}/{@code _decrypt()}.
     */
    private static int testSkcipher(KernelContext k, String driver, int type, int mask, List<CipherVec> vecs,
            int[] counted) {
        long tfm = Api.allocTfm(k, driver, Frontend.SKCIPHER, type, mask);
        if (Api.isErr(tfm)) {
            pr(k, 3, "alg: skcipher: failed to allocate transform for " + driver + ": " + tfm);
            return (int) tfm;
        }
        AddressSpace m = k.mem();
        long base = Skcipher.baseOf(k, tfm);
        String drv = Alg.driver(k, Api.tfmAlg(k, base));
        int reqsize = m.read32(tfm + k.off("crypto_skcipher_reqsize"));
        long req = k.slab().kmalloc(k.off("skcipher_request_sizeof") + reqsize, GFP | 0x100);
        long sg = k.slab().kmalloc(k.off("scatterlist_sizeof"), GFP);
        long data = k.slab().kmalloc(4096, GFP);
        long key = k.slab().kmalloc(4096, GFP);
        int err = 0;
        try {
            int n = 0;
            for (CipherVec v : vecs) {
                String vec = String.valueOf(n++);
                counted[0]++;
                m.write(key, v.key());
                m.write32(Api.tfmField(k, base, "crt_flags"),
                        (m.read32(Api.tfmField(k, base, "crt_flags")) & ~k.off("CRYPTO_TFM_REQ_MASK"))
                        | (v.wk() != 0 ? k.off("CRYPTO_TFM_REQ_FORBID_WEAK_KEYS") : 0));
                err = Skcipher.setkey(k, tfm, key, v.key().length);
                if (err != 0) {
                    if (err == v.setkeyError()) {
                        err = 0;
                        continue;
                    }
                    pr(k, 3, "alg: skcipher: " + drv + " setkey failed on test vector " + vec + "; expected_error="
                            + v.setkeyError() + ", actual_error=" + err + ", flags=0x"
                            + Integer.toHexString(m.read32(Api.tfmField(k, base, "crt_flags"))));
                    return err;
                }
                for (boolean enc : new boolean[] {true, false}) {
                    byte[] input = enc ? v.ptext() : v.ctext();
                    byte[] expect = enc ? v.ctext() : v.ptext();
                    m.write(data, input);
                    dev.kmodemu.kstubs.lib.Scatterlist.initTable(k, sg, 1);
                    dev.kmodemu.kstubs.lib.Scatterlist.setBuf(k, sg, data, input.length);
                    long rb = req + k.off("skcipher_request_base");
                    m.write64(rb + k.off("crypto_async_request_tfm"), base);
                    m.write32(rb + k.off("crypto_async_request_flags"), 0);
                    m.write32(req + k.off("skcipher_request_cryptlen"), input.length);
                    m.write64(req + k.off("skcipher_request_iv"), 0);
                    m.write64(req + k.off("skcipher_request_src"), sg);
                    m.write64(req + k.off("skcipher_request_dst"), sg);
                    err = enc ? Skcipher.encrypt(k, req) : Skcipher.decrypt(k, req);
                    String op = enc ? "encryption" : "decryption";
                    if (err != 0) {
                        pr(k, 3, "alg: skcipher: " + drv + " " + op + " failed on test vector " + vec
                                + "; expected_error=0, actual_error=" + err + ", cfg=\"in-place (one sglist)\"");
                        return err;
                    }
                    if (!java.util.Arrays.equals(m.read(data, input.length), expect)) {
                        pr(k, 3, "alg: skcipher: " + drv + " " + op + " test failed (wrong result) on test vector "
                                + vec + ", cfg=\"in-place (one sglist)\"");
                        return -Errno.EINVAL;
                    }
                }
            }
        } finally {
            k.slab().kfree(key);
            k.slab().kfree(data);
            k.slab().kfree(sg);
            k.slab().kfree(req);
            Api.destroyTfm(k, tfm, base);
        }
        return err;
    }
}
