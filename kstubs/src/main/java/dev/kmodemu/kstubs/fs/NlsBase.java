package dev.kmodemu.kstubs.fs;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;

import java.util.ArrayList;
import java.util.List;

/**
 * fs/nls/nls_base.c: the registry of character set tables ({@code nls_*} modules register
 * theirs; the list is the guest tables' {@code next} chain, newest first, ending in the built-in
 * "default" Latin-1 table) and the UTF-8/UTF-16/UTF-32 converters. {@code load_nls()} of a
 * charset nobody registered asks modprobe for {@code nls_CHARSET} ({@code request_module()}, served
 * by the kernel's module directory, if it has one) and looks again.
 */
public final class NlsBase {
    private NlsBase() {
    }

    private static final int EILSEQ = 84;
    private static final int ENAMETOOLONG = 36;
    private static final long UNICODE_MAX = 0x10ffff;
    private static final long PLANE_SIZE = 0x10000;
    private static final long SURROGATE_MASK = 0xfffff800L;
    private static final long SURROGATE_PAIR = 0xd800;
    private static final long SURROGATE_LOW = 0x400;
    private static final long SURROGATE_BITS = 0x3ff;
    /** {@code utf8_table}: cmask, cval, shift, lmask, lval per sequence length. */
    private static final long[][] UTF8 = {
        {0x80, 0x00, 0, 0x7f, 0},
        {0xe0, 0xc0, 6, 0x7ff, 0x80},
        {0xf0, 0xe0, 12, 0xffff, 0x800},
        {0xf8, 0xf0, 18, 0x1fffff, 0x10000},
        {0xfc, 0xf8, 24, 0x3ffffff, 0x200000},
        {0xfe, 0xfc, 30, 0x7fffffff, 0x4000000},
    };

    /** The registered tables, newest first (the kernel's {@code tables} list). */
    private static List<Long> tables(KernelContext k) {
        return k.state(NlsBase.class, () -> {
            List<Long> l = new ArrayList<>();
            l.add(k.sym("default_table"));
            return l;
        });
    }

    private static long field(KernelContext k, long nls, String f) {
        return nls + k.off("nls_table_" + f);
    }

    /** int __register_nls(struct nls_table *nls, struct module *owner): 0 or -EBUSY */
    @KernelSymbol("__register_nls")
    static int registerNls(KernelContext k, long nls, long owner) {
        AddressSpace m = k.mem();
        if (m.read64(field(k, nls, "next")) != 0) {
            return -Errno.EBUSY;
        }
        m.write64(field(k, nls, "owner"), owner);
        List<Long> t = tables(k);
        if (t.contains(nls)) {
            return -Errno.EBUSY;
        }
        m.write64(field(k, nls, "next"), t.get(0));
        t.add(0, nls);
        return 0;
    }

    /** int unregister_nls(struct nls_table *nls): 0 or -EINVAL */
    @KernelSymbol("unregister_nls")
    static int unregisterNls(KernelContext k, long nls) {
        List<Long> t = tables(k);
        int i = t.indexOf(nls);
        if (i < 0) {
            return -Errno.EINVAL;
        }
        long next = k.mem().read64(field(k, nls, "next"));
        if (i > 0) {
            k.mem().write64(field(k, t.get(i - 1), "next"), next);
        }
        t.remove(i);
        return 0;
    }

    /** The registered tables (guest addresses), newest first, the built-in table last. */
    public static List<Long> registered(KernelContext k) {
        return List.copyOf(tables(k));
    }

    /**
     * What {@link #probe} found in one table: its charset and alias names, the byte sequences its
     * {@code char2uni} decoded (of the 255 tried), how many of those its {@code uni2char} encoded
     * back to the same bytes, and the letters its {@code charset2upper} and {@code charset2lower}
     * tables map to another byte.
     */
    public record Probe(String charset, String alias, int decoded, int roundTrips, int upper, int lower) {
    }

    /**
     * Uses a table the way a file system uses its mount's codepage: each byte 0x01 to 0xff (followed
     * by 0x40, so a double-byte charset's lead byte has its trail byte) through the table's own
     * {@code char2uni}, every character it decodes back through {@code uni2char}, and the case
     * tables read. Runs the module's functions: an oops in them propagates as from any call.
     */
    public static Probe probe(KernelContext k, long nls) {
        AddressSpace m = k.mem();
        long char2uni = m.read64(field(k, nls, "char2uni"));
        long uni2char = m.read64(field(k, nls, "uni2char"));
        long buf = k.slab().kmalloc(16, 0);
        int decoded = 0;
        int roundTrips = 0;
        try {
            for (int b = 1; b < 256; b++) {
                m.write8(buf, b);
                m.write8(buf + 1, 0x40);
                int n = (int) k.call(char2uni, buf, 2, buf + 8);
                if (n <= 0) {
                    continue;
                }
                decoded++;
                int uni = m.read16(buf + 8) & 0xffff;
                int back = (int) k.call(uni2char, uni, buf + 4, 4);
                boolean same = back == n;
                for (int i = 0; same && i < n; i++) {
                    same = (m.read8(buf + 4 + i) & 0xff) == (m.read8(buf + i) & 0xff);
                }
                if (same) {
                    roundTrips++;
                }
            }
        } finally {
            k.slab().kfree(buf);
        }
        long alias = m.read64(field(k, nls, "alias"));
        return new Probe(k.string(m.read64(field(k, nls, "charset")), 256), alias == 0 ? null : k.string(alias, 256),
                decoded, roundTrips, changed(k, m.read64(field(k, nls, "charset2upper"))),
                changed(k, m.read64(field(k, nls, "charset2lower"))));
    }

    /** Bytes a 256-entry case table maps to another byte. */
    private static int changed(KernelContext k, long table) {
        if (table == 0) {
            return 0;
        }
        byte[] t = k.mem().peek(table, 256);
        int n = 0;
        for (int i = 0; i < 256; i++) {
            if ((t[i] & 0xff) != i && t[i] != 0) {
                n++;
            }
        }
        return n;
    }

    /** {@code find_nls()}: by charset or alias, with a reference on the owning module. */
    private static long findNls(KernelContext k, long charset) {
        String name = k.string(charset, 256);
        for (long nls : tables(k)) {
            long alias = k.mem().read64(field(k, nls, "alias"));
            if (k.string(k.mem().read64(field(k, nls, "charset")), 256).equals(name)
                    || (alias != 0 && k.string(alias, 256).equals(name))) {
                long owner = k.mem().read64(field(k, nls, "owner"));
                return k.call(k.sym("try_module_get"), owner) != 0 ? nls : 0;
            }
        }
        return 0;
    }

    /** struct nls_table *load_nls(const char *charset): {@code try_then_request_module()} */
    @KernelSymbol("load_nls")
    static long loadNls(KernelContext k, long charset) {
        long nls = findNls(k, charset);
        if (nls == 0) {
            dev.kmodemu.kstubs.kernel.Kmod.requestModule(k, "nls_" + k.string(charset, 256));
            nls = findNls(k, charset);
        }
        return nls;
    }

    /** void unload_nls(struct nls_table *nls) */
    @KernelSymbol("unload_nls")
    static void unloadNls(KernelContext k, long nls) {
        if (nls != 0) {
            k.call(k.sym("module_put"), k.mem().read64(field(k, nls, "owner")));
        }
    }

    /** struct nls_table *load_nls_default(void): CONFIG_NLS_DEFAULT ("utf8") if loaded, else the built-in table */
    @KernelSymbol("load_nls_default")
    static long loadNlsDefault(KernelContext k) {
        long name = k.kstrdup("utf8");
        long nls = findNls(k, name);
        k.slab().kfree(name);
        return nls != 0 ? nls : k.sym("default_table");
    }

    // ---------------------------------------------------------------- the built-in table

    /** int uni2char(wchar_t uni, unsigned char *out, int boundlen): Latin-1 only */
    @KernelSymbol(value = "uni2char", internal = true)
    static int uni2char(KernelContext k, int uni, long out, int boundlen) {
        if (boundlen <= 0) {
            return -ENAMETOOLONG;
        }
        int cl = uni & 0xff;
        int ch = (uni & 0xff00) >> 8;
        if (ch != 0 || cl == 0) {
            return -Errno.EINVAL;
        }
        k.mem().write8(out, cl);
        return 1;
    }

    /** int char2uni(const unsigned char *rawstring, int boundlen, wchar_t *uni) */
    @KernelSymbol(value = "char2uni", internal = true)
    static int char2uni(KernelContext k, long raw, int boundlen, long uni) {
        int c = k.mem().read8(raw) & 0xff;
        k.mem().write16(uni, c);
        return c == 0 ? -Errno.EINVAL : 1;
    }

    /** {@code charset2lower}/{@code charset2upper} of the default table: ASCII case mapping. */
    @KernelData(value = "nls_default_charset2lower", section = Machine.Section.RODATA, size = 256)
    static void lower(KernelContext k, long at) {
        byte[] t = new byte[256];
        for (int i = 0; i < 256; i++) {
            t[i] = (byte) (i >= 'A' && i <= 'Z' ? i + 32 : i);
        }
        k.mem().poke(at, t);
    }

    @KernelData(value = "nls_default_charset2upper", section = Machine.Section.RODATA, size = 256)
    static void upper(KernelContext k, long at) {
        byte[] t = new byte[256];
        for (int i = 0; i < 256; i++) {
            t[i] = (byte) (i >= 'a' && i <= 'z' ? i - 32 : i);
        }
        k.mem().poke(at, t);
    }

    @KernelData(value = "nls_default_charset", section = Machine.Section.RODATA, size = 8)
    static void charsetName(KernelContext k, long at) {
        k.mem().poke(at, "default\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** {@code static struct nls_table default_table}. */
    @KernelData(value = "default_table", sizeOf = "nls_table_sizeof", align = 8)
    static void defaultTable(KernelContext k, long at) {
        AddressSpace m = k.mem();
        m.write64(field(k, at, "charset"), k.sym("nls_default_charset"));
        m.write64(field(k, at, "uni2char"), k.sym("uni2char"));
        m.write64(field(k, at, "char2uni"), k.sym("char2uni"));
        m.write64(field(k, at, "charset2lower"), k.sym("nls_default_charset2lower"));
        m.write64(field(k, at, "charset2upper"), k.sym("nls_default_charset2upper"));
    }

    // ---------------------------------------------------------------- UTF conversions

    /** int utf8_to_utf32(const u8 *s, int inlen, unicode_t *pu): bytes used, or -EILSEQ/-EOVERFLOW */
    @KernelSymbol("utf8_to_utf32")
    static int utf8ToUtf32(KernelContext k, long s, int inlen, long pu) {
        AddressSpace m = k.mem();
        int nc = 0;
        int c0 = m.read8(s) & 0xff;
        long l = c0;
        for (long[] t : UTF8) {
            nc++;
            if ((c0 & t[0]) == t[1]) {
                l &= t[3];
                if (l < t[4] || l > UNICODE_MAX || (l & SURROGATE_MASK) == SURROGATE_PAIR) {
                    return -EILSEQ;
                }
                m.write32(pu, (int) l);
                return nc;
            }
            if (inlen <= nc) {
                return -Errno.EOVERFLOW;
            }
            s++;
            int c = ((m.read8(s) & 0xff) ^ 0x80) & 0xff;
            if ((c & 0xc0) != 0) {
                return -EILSEQ;
            }
            l = (l << 6) | c;
        }
        return -EILSEQ;
    }

    /** int utf32_to_utf8(unicode_t u, u8 *s, int maxout): bytes written, or -EILSEQ/-EOVERFLOW */
    @KernelSymbol("utf32_to_utf8")
    static int utf32ToUtf8(KernelContext k, int u, long s, int maxout) {
        if (s == 0) {
            return 0;
        }
        long l = Integer.toUnsignedLong(u);
        if (l > UNICODE_MAX || (l & SURROGATE_MASK) == SURROGATE_PAIR) {
            return -EILSEQ;
        }
        int nc = 0;
        for (int i = 0; i < UTF8.length && maxout > 0; i++, maxout--) {
            long[] t = UTF8[i];
            nc++;
            if (l <= t[3]) {
                int c = (int) t[2];
                k.mem().write8(s, (int) (t[1] | (l >>> c)));
                while (c > 0) {
                    c -= 6;
                    s++;
                    k.mem().write8(s, (int) (0x80 | ((l >>> c) & 0x3f)));
                }
                return nc;
            }
        }
        return -Errno.EOVERFLOW;
    }

    private static void putUtf16(KernelContext k, long at, long c, int endian) {
        int v = (int) c & 0xffff;
        if (endian == k.profile().value("UTF16_BIG_ENDIAN")) {
            v = Short.reverseBytes((short) v) & 0xffff;
        }
        k.mem().write16(at, v);
    }

    private static long getUtf16(KernelContext k, long at, int endian) {
        int v = k.mem().read16(at) & 0xffff;
        if (endian == k.profile().value("UTF16_BIG_ENDIAN")) {
            v = Short.reverseBytes((short) v) & 0xffff;
        }
        return v;
    }

    /**
     * int utf8s_to_utf16s(const u8 *s, int inlen, enum utf16_endian endian, wchar_t *pwcs, int
     * maxout): UTF-16 units written, or -EINVAL for a bad sequence
     */
    @KernelSymbol("utf8s_to_utf16s")
    static int utf8sToUtf16s(KernelContext k, long s, int inlen, int endian, long pwcs, int maxout) {
        AddressSpace m = k.mem();
        long op = pwcs;
        long pu = k.slab().kmalloc(4, 0);
        try {
            while (inlen > 0 && maxout > 0 && m.read8(s) != 0) {
                if ((m.read8(s) & 0x80) != 0) {
                    int size = utf8ToUtf32(k, s, inlen, pu);
                    if (size < 0) {
                        return -Errno.EINVAL;
                    }
                    s += size;
                    inlen -= size;
                    long u = Integer.toUnsignedLong(m.read32(pu));
                    if (u >= PLANE_SIZE) {
                        if (maxout < 2) {
                            break;
                        }
                        u -= PLANE_SIZE;
                        putUtf16(k, op, SURROGATE_PAIR | ((u >> 10) & SURROGATE_BITS), endian);
                        putUtf16(k, op + 2, SURROGATE_PAIR | SURROGATE_LOW | (u & SURROGATE_BITS), endian);
                        op += 4;
                        maxout -= 2;
                    } else {
                        putUtf16(k, op, u, endian);
                        op += 2;
                        maxout--;
                    }
                } else {
                    putUtf16(k, op, m.read8(s) & 0xff, endian);
                    op += 2;
                    s++;
                    inlen--;
                    maxout--;
                }
            }
            return (int) ((op - pwcs) / 2);
        } finally {
            k.slab().kfree(pu);
        }
    }

    /**
     * int utf16s_to_utf8s(const wchar_t *pwcs, int inlen, enum utf16_endian endian, u8 *s, int
     * maxout): bytes written; unpaired surrogates and unencodable characters are skipped
     */
    @KernelSymbol("utf16s_to_utf8s")
    static int utf16sToUtf8s(KernelContext k, long pwcs, int inlen, int endian, long s, int maxout) {
        long op = s;
        while (inlen > 0 && maxout > 0) {
            long u = getUtf16(k, pwcs, endian);
            if (u == 0) {
                break;
            }
            pwcs += 2;
            inlen--;
            if (u > 0x7f) {
                if ((u & SURROGATE_MASK) == SURROGATE_PAIR) {
                    if ((u & SURROGATE_LOW) != 0) {
                        continue;
                    }
                    if (inlen <= 0) {
                        break;
                    }
                    long v = getUtf16(k, pwcs, endian);
                    if ((v & SURROGATE_MASK) != SURROGATE_PAIR || (v & SURROGATE_LOW) == 0) {
                        continue;
                    }
                    u = PLANE_SIZE + ((u & SURROGATE_BITS) << 10) + (v & SURROGATE_BITS);
                    pwcs += 2;
                    inlen--;
                }
                int size = utf32ToUtf8(k, (int) u, op, maxout);
                if (size < 0) {
                    if (size == -EILSEQ) {
                        continue;
                    }
                    break;
                }
                op += size;
                maxout -= size;
            } else {
                k.mem().write8(op++, (int) u);
                maxout--;
            }
        }
        return (int) (op - s);
    }
}
