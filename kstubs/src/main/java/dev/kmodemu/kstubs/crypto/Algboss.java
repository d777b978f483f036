package dev.kmodemu.kstubs.crypto;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;

/**
 * crypto/algboss.c: the crypto manager's probe. A name like "ecb(aes)" that no algorithm has is
 * split into the template and its arguments ({@code cryptomgr_schedule_probe()}), the template
 * (loaded with {@code request_module("crypto-ecb")} if need be) builds an instance from the
 * {@code rtattr} parameters ({@code cryptomgr_probe()}: {@code tmpl->create(tmpl, tb)}), and the
 * instance, once registered and tested, is what the lookup returns. The kernel does this in a
 * "cryptomgr_probe" thread the requester waits for; here it runs in the requester.
 */
final class Algboss {
    private Algboss() {
    }

    private static boolean nameChar(byte c) {
        return Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_';
    }

    /**
     * {@code cryptomgr_schedule_probe()} + {@code cryptomgr_probe()} + the larval wait: the new
     * instance with a reference, or -ENOENT.
     */
    static long probe(KernelContext k, String name, int type, int mask) {
        byte[] n = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int p = 0;
        while (p < n.length && nameChar(n[p])) {
            p++;
        }
        if (p == 0 || p >= n.length || n[p] != '(') {
            return -Errno.ENOENT;
        }
        String template = name.substring(0, p);
        java.util.List<String> args = new java.util.ArrayList<>();
        for (;;) {
            int start = ++p;
            while (p < n.length && nameChar(n[p])) {
                p++;
            }
            if (p < n.length && n[p] == '(') {
                int recursion = 0;
                for (;;) {
                    if (++p >= n.length) {
                        return -Errno.ENOENT;
                    }
                    if (n[p] == '(') {
                        recursion++;
                    } else if (n[p] == ')' && recursion-- == 0) {
                        break;
                    }
                }
                p++;
            }
            if (p == start) {
                return -Errno.ENOENT;
            }
            args.add(new String(n, start, p - start, java.nio.charset.StandardCharsets.UTF_8));
            if (args.size() >= Algapi.CRYPTO_MAX_ATTRS) {
                return -Errno.ENOENT;
            }
            if (p < n.length && n[p] == ')') {
                break;
            }
            if (p >= n.length || n[p] != ',') {
                return -Errno.ENOENT;
            }
        }
        int larvalFlags = Alg.flag(k, "LARVAL") | type;
        long tmpl = Algapi.lookupTemplate(k, template);
        if (tmpl == 0) {
            return -Errno.ENOENT;
        }
        long param = buildParams(k, args, larvalFlags & ~Alg.flag(k, "TESTED"), mask & ~Alg.flag(k, "TESTED"));
        try {
            long create = k.mem().read64(tmpl + k.off("crypto_template_create"));
            int err;
            do {
                err = (int) k.call(create, tmpl, param);
            } while (err == -Errno.EAGAIN);
        } finally {
            Algapi.tmplPut(k, tmpl);
            k.slab().kfree(param);
        }
        long alg = Api.lookup(k, name, type, mask);
        return alg == 0 || Api.isErr(alg) ? -Errno.ENOENT : alg;
    }

    /**
     * {@code struct cryptomgr_param}'s {@code tb[]} and attributes in one guest block: tb[0] the
     * type attribute, tb[1..] one algorithm-name attribute per argument, then NULL.
     */
    private static long buildParams(KernelContext k, java.util.List<String> args, int type, int mask) {
        AddressSpace m = k.mem();
        int tbBytes = 8 * (Algapi.CRYPTO_MAX_ATTRS + 2);
        int hdr = 4;
        int typeAttr = hdr + k.off("crypto_attr_type_sizeof");
        int algAttr = hdr + k.off("crypto_attr_alg_sizeof");
        long block = k.slab().kmalloc(tbBytes + typeAttr + 4 + (long) algAttr * args.size() + 8, 0xcc0 | 0x100);
        long at = block + tbBytes;
        m.write16(at + k.off("rtattr_rta_len"), typeAttr);
        m.write16(at + k.off("rtattr_rta_type"), Algapi.CRYPTOA_TYPE);
        m.write32(at + hdr + k.off("crypto_attr_type_type"), type);
        m.write32(at + hdr + k.off("crypto_attr_type_mask"), mask);
        m.write64(block, at);
        at = (at + typeAttr + 3) & ~3L;
        for (int i = 0; i < args.size(); i++) {
            m.write16(at + k.off("rtattr_rta_len"), algAttr);
            m.write16(at + k.off("rtattr_rta_type"), Algapi.CRYPTOA_ALG);
            Alg.setStr(k, at + hdr, args.get(i));
            m.write64(block + 8L * (i + 1), at);
            at += algAttr;
        }
        return block;
    }
}
