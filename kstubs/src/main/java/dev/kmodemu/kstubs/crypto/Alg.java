package dev.kmodemu.kstubs.crypto;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;

import java.nio.charset.StandardCharsets;

/**
 * Field access to a guest {@code struct crypto_alg} (include/linux/crypto.h) and the flag bits of
 * {@code cra_flags}, all from the ABI profile.
 */
final class Alg {
    private Alg() {
    }

    static int flag(KernelContext k, String name) {
        return k.off("CRYPTO_ALG_" + name);
    }

    static long at(KernelContext k, long alg, String field) {
        return alg + k.off("crypto_alg_cra_" + field);
    }

    static int flags(KernelContext k, long alg) {
        return k.mem().read32(at(k, alg, "flags"));
    }

    static void setFlags(KernelContext k, long alg, int flags) {
        k.mem().write32(at(k, alg, "flags"), flags);
    }

    static void orFlags(KernelContext k, long alg, int bits) {
        setFlags(k, alg, flags(k, alg) | bits);
    }

    static void clearFlags(KernelContext k, long alg, int bits) {
        setFlags(k, alg, flags(k, alg) & ~bits);
    }

    static int type(KernelContext k, long alg) {
        return flags(k, alg) & flag(k, "TYPE_MASK");
    }

    /** What every {@code <type>_prepare_alg()} does last: the frontend as cra_type, its type in the flags. */
    static void setType(KernelContext k, long alg, Frontend fe) {
        k.mem().write64(at(k, alg, "type"), fe.address(k));
        setFlags(k, alg, (flags(k, alg) & ~flag(k, "TYPE_MASK")) | fe.type(k));
    }

    static String name(KernelContext k, long alg) {
        return str(k, at(k, alg, "name"));
    }

    static String driver(KernelContext k, long alg) {
        return str(k, at(k, alg, "driver_name"));
    }

    static String str(KernelContext k, long p) {
        return new String(k.mem().readCBytes(p, k.off("CRYPTO_MAX_ALG_NAME")), StandardCharsets.UTF_8);
    }

    /** Writes a NUL-terminated name into a {@code char[CRYPTO_MAX_ALG_NAME]} field. */
    static void setStr(KernelContext k, long p, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] field = new byte[k.off("CRYPTO_MAX_ALG_NAME")];
        System.arraycopy(b, 0, field, 0, Math.min(b.length, field.length - 1));
        k.mem().write(p, field);
    }

    static int priority(KernelContext k, long alg) {
        return k.mem().read32(at(k, alg, "priority"));
    }

    static int refcnt(KernelContext k, long alg) {
        return k.mem().read32(at(k, alg, "refcnt"));
    }

    static void setRefcnt(KernelContext k, long alg, int v) {
        k.mem().write32(at(k, alg, "refcnt"), v);
    }

    static int blocksize(KernelContext k, long alg) {
        return k.mem().read32(at(k, alg, "blocksize"));
    }

    static int ctxsize(KernelContext k, long alg) {
        return k.mem().read32(at(k, alg, "ctxsize"));
    }

    static int alignmask(KernelContext k, long alg) {
        return k.mem().read32(at(k, alg, "alignmask"));
    }

    static long cratype(KernelContext k, long alg) {
        return k.mem().read64(at(k, alg, "type"));
    }

    static long module(KernelContext k, long alg) {
        return k.mem().read64(at(k, alg, "module"));
    }

    static long ptr(KernelContext k, long alg, String field) {
        return k.mem().read64(at(k, alg, field));
    }

    /** {@code cra_u.cipher.<field>}. */
    static long cipherAt(KernelContext k, long alg, String field) {
        return at(k, alg, "u") + k.off("cipher_alg_cia_" + field);
    }

    /** The address of the list_head {@code cra_list}, and back. */
    static long listOf(KernelContext k, long alg) {
        return at(k, alg, "list");
    }

    static long fromList(KernelContext k, long list) {
        return list - k.off("crypto_alg_cra_list");
    }

    /** {@code crypto_is_moribund()}: dead or dying. */
    static boolean moribund(KernelContext k, long alg) {
        return (flags(k, alg) & (flag(k, "DEAD") | flag(k, "DYING"))) != 0;
    }

    /** {@code crypto_tfm_ctx_alignment()}: the alignment of {@code struct crypto_tfm} (ARCH_KMALLOC_MINALIGN). */
    static int ctxAlignment(KernelContext k) {
        return k.off("CRYPTO_MINALIGN");
    }

    /** {@code crypto_alg_extsize()}: the context plus the alignment slack beyond the tfm's own. */
    static int extsize(KernelContext k, long alg) {
        return ctxsize(k, alg) + (alignmask(k, alg) & ~(ctxAlignment(k) - 1));
    }

    static AddressSpace m(KernelContext k) {
        return k.mem();
    }
}
