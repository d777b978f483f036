package dev.kmodemu.kstubs.crypto;

import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;

/**
 * The algorithm types ({@code struct crypto_type}) of crypto/shash.c, ahash.c, skcipher.c, aead.c,
 * akcipher.c, kpp.c and scompress.c: the guest objects {@code cra_type} points at, with the
 * kernel's {@code type}, {@code maskclear}, {@code maskset} and {@code tfmsize}. Their function
 * pointers ({@code extsize}, {@code init_tfm}, {@code show}, {@code free}, ...) are only ever
 * called by the crypto API itself, which is Java here: it recognises the type by its address and
 * runs the Java behaviour, so the guest objects leave them NULL.
 */
public enum Frontend {
    SHASH("crypto_shash_type", "SHASH", "TYPE_MASK", "crypto_shash_base"),
    AHASH("crypto_ahash_type", "AHASH", "TYPE_AHASH_MASK", null),
    SKCIPHER("crypto_skcipher_type", "SKCIPHER", "TYPE_MASK", "crypto_skcipher_base"),
    AEAD("crypto_aead_type", "AEAD", "TYPE_MASK", "crypto_aead_base"),
    AKCIPHER("crypto_akcipher_type", "AKCIPHER", "TYPE_MASK", null),
    KPP("crypto_kpp_type", "KPP", "TYPE_MASK", null),
    SCOMP("crypto_scomp_type", "SCOMPRESS", "TYPE_MASK", null);

    final String symbol;
    private final String type;
    private final String maskset;
    private final String tfmsizeKey;

    Frontend(String symbol, String type, String maskset, String tfmsizeKey) {
        this.symbol = symbol;
        this.type = type;
        this.maskset = maskset;
        this.tfmsizeKey = tfmsizeKey;
    }

    int type(KernelContext k) {
        return Alg.flag(k, "TYPE_" + type);
    }

    int maskclear(KernelContext k) {
        return ~Alg.flag(k, "TYPE_MASK");
    }

    int maskset(KernelContext k) {
        return Alg.flag(k, maskset);
    }

    /** Bytes of the frontend's transform before its {@code struct crypto_tfm base}. */
    int tfmsize(KernelContext k) {
        return tfmsizeKey == null ? 0 : k.off(tfmsizeKey);
    }

    /** Transforms of this type can be allocated (kmodemu implements the frontend's operations). */
    boolean allocatable() {
        return tfmsizeKey != null;
    }

    long address(KernelContext k) {
        return k.sym(symbol);
    }

    /** The frontend whose {@code crypto_type} is at {@code cratype}, or null (cipher, compression). */
    static Frontend of(KernelContext k, long cratype) {
        if (cratype == 0) {
            return null;
        }
        for (Frontend f : values()) {
            if (f.address(k) == cratype) {
                return f;
            }
        }
        return null;
    }

    /** {@code frontend->extsize(alg)}: ahash's counts the shash transform it may wrap. */
    int extsize(KernelContext k, long alg) {
        return Alg.extsize(k, alg);
    }

    /** {@code frontend->init_tfm(tfm)}. */
    int initTfm(KernelContext k, long tfm) {
        return switch (this) {
            case SHASH -> Shash.initTfm(k, tfm);
            case SKCIPHER -> Skcipher.initTfm(k, tfm);
            case AEAD -> Aead.initTfm(k, tfm);
            case AHASH -> Ahash.initTfm(k, tfm);
            default -> throw new IllegalStateException("no transforms of " + symbol);
        };
    }

    /** {@code frontend->show(m, alg)}: the type-specific lines of /proc/crypto. */
    void show(KernelContext k, StringBuilder sb, long alg) {
        switch (this) {
            case SHASH -> Shash.show(k, sb, alg);
            case AHASH -> Ahash.show(k, sb, alg);
            case SKCIPHER -> Skcipher.show(k, sb, alg);
            case AEAD -> Aead.show(k, sb, alg);
            case AKCIPHER -> sb.append("type         : akcipher\n");
            case KPP -> sb.append("type         : kpp\n");
            case SCOMP -> sb.append("type         : scomp\n");
            default -> throw new IllegalStateException();
        }
    }

    /** {@code frontend->free(inst)}: the instance's own free callback. */
    void free(KernelContext k, long inst) {
        switch (this) {
            case SHASH -> Shash.freeInstance(k, inst);
            case SKCIPHER -> Skcipher.freeInstance(k, inst);
            case AEAD -> Aead.freeInstance(k, inst);
            case AHASH -> Ahash.freeInstance(k, inst);
            default -> throw new IllegalStateException("no instances of " + symbol);
        }
    }

    private static void define(KernelContext k, long at, Frontend f) {
        k.mem().poke(at, new byte[k.off("crypto_type_sizeof")]);
        k.mem().poke(at + k.off("crypto_type_type"), int32(f.type(k)));
        k.mem().poke(at + k.off("crypto_type_maskclear"), int32(f.maskclear(k)));
        k.mem().poke(at + k.off("crypto_type_maskset"), int32(f.maskset(k)));
        k.mem().poke(at + k.off("crypto_type_tfmsize"), int32(f.tfmsize(k)));
    }

    private static byte[] int32(int v) {
        return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
    }

    /** crypto/shash.c: {@code static const struct crypto_type crypto_shash_type}. */
    @KernelData(value = "crypto_shash_type", section = Machine.Section.RODATA, sizeOf = "crypto_type_sizeof")
    static void shashType(KernelContext k, long at) {
        define(k, at, SHASH);
    }

    /** crypto/ahash.c: {@code crypto_ahash_type}. */
    @KernelData(value = "crypto_ahash_type", section = Machine.Section.RODATA, sizeOf = "crypto_type_sizeof")
    static void ahashType(KernelContext k, long at) {
        define(k, at, AHASH);
    }

    /** crypto/skcipher.c: {@code crypto_skcipher_type}. */
    @KernelData(value = "crypto_skcipher_type", section = Machine.Section.RODATA, sizeOf = "crypto_type_sizeof")
    static void skcipherType(KernelContext k, long at) {
        define(k, at, SKCIPHER);
    }

    /** crypto/aead.c: {@code crypto_aead_type}. */
    @KernelData(value = "crypto_aead_type", section = Machine.Section.RODATA, sizeOf = "crypto_type_sizeof")
    static void aeadType(KernelContext k, long at) {
        define(k, at, AEAD);
    }

    /** crypto/akcipher.c: {@code crypto_akcipher_type}. */
    @KernelData(value = "crypto_akcipher_type", section = Machine.Section.RODATA, sizeOf = "crypto_type_sizeof")
    static void akcipherType(KernelContext k, long at) {
        define(k, at, AKCIPHER);
    }

    /** crypto/kpp.c: {@code crypto_kpp_type}. */
    @KernelData(value = "crypto_kpp_type", section = Machine.Section.RODATA, sizeOf = "crypto_type_sizeof")
    static void kppType(KernelContext k, long at) {
        define(k, at, KPP);
    }

    /** crypto/scompress.c: {@code crypto_scomp_type}. */
    @KernelData(value = "crypto_scomp_type", section = Machine.Section.RODATA, sizeOf = "crypto_type_sizeof")
    static void scompType(KernelContext k, long at) {
        define(k, at, SCOMP);
    }
}
