package dev.kmodemu.kstubs.lib;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.GuestVaList;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.VaList;
import dev.kmodemu.kstubs.lib.StringFns.GuestBytes;
import dev.kmodemu.kstubs.mm.Util;
import dev.kmodemu.kstubs.printk.Printk;

/**
 * The exported entry points of lib/vsprintf.c and lib/kasprintf.c: the {@code *printf()} family
 * on top of {@link Vsprintf#format}, which produces the complete output (the kernel only ever
 * truncates it, so a sized buffer receives a prefix and the return value is the full length),
 * and {@code vsscanf()}/{@code sscanf()}, ported from lib/vsprintf.c.
 *
 * <p>Not reproduced: the {@code WARN_ON_ONCE(size > INT_MAX)} splat of {@code vsnprintf()} (the
 * call still returns 0 without writing), and {@code kvasprintf()}'s {@code WARN} for two
 * formatting passes that disagree: the format is run once here, so they cannot. The binary
 * printf functions ({@code vbin_printf}, {@code bstr_printf}) are not provided.
 */
public final class VsprintfStubs {
    private VsprintfStubs() {
    }

    /**
     * {@code bool no_hash_pointers}: false, as without the {@code no_hash_pointers} boot option:
     * {@code %p} prints hashed values.
     */
    @dev.kmodemu.kstubs.KernelData(value = "no_hash_pointers", size = 1, align = 1)
    static void noHashPointers(KernelContext k, long at) {
        k.mem().write8(at, 0);
    }

    private static final long INT_MAX = Integer.MAX_VALUE;

    /** vsnprintf() into guest memory: returns the untruncated length. */
    public static int vsnprintf(KernelContext k, long buf, long size, long fmt, VaList args) {
        if (Long.compareUnsigned(size, INT_MAX) > 0) {
            return 0;
        }
        byte[] out = Printk.format(k, fmt, args);
        if (Long.compareUnsigned(buf + size, buf) < 0) {
            // "Make sure end is always >= buf": the buffer ends at the top of the address space.
            size = -1L - buf;
        }
        if (size != 0) {
            int n = (int) Math.min(out.length, size - 1);
            byte[] w = new byte[n + 1];
            System.arraycopy(out, 0, w, 0, n);
            k.mem().write(buf, w);
        }
        return out.length;
    }

    /** vscnprintf(): the bytes stored, without the NUL; 0 for a zero size. */
    public static int vscnprintf(KernelContext k, long buf, long size, long fmt, VaList args) {
        if (size == 0) {
            return 0;
        }
        int i = vsnprintf(k, buf, size, fmt, args);
        if (Long.compareUnsigned(i, size) < 0) {
            return i;
        }
        return (int) (size - 1);
    }

    /** kvasprintf(): a kmalloc'd ({@code first + 1} bytes) formatted string, or 0. */
    public static long kvasprintf(KernelContext k, int gfp, long fmt, VaList ap) {
        byte[] out = Printk.format(k, fmt, ap);
        long p = k.slab().kmalloc((out.length + 1) & 0xffffffffL, gfp);
        if (p == 0) {
            return 0;
        }
        byte[] w = new byte[out.length + 1];
        System.arraycopy(out, 0, w, 0, out.length);
        k.mem().write(p, w);
        return p;
    }

    private static VaList guest(KernelContext k, long vaList) {
        return new GuestVaList(k.mem(), vaList);
    }

    /** int vsnprintf(char *buf, size_t size, const char *fmt, va_list args) */
    @KernelSymbol("vsnprintf")
    static int vsnprintfSym(KernelContext k, long buf, long size, long fmt, long args) {
        return vsnprintf(k, buf, size, fmt, guest(k, args));
    }

    /** int vscnprintf(char *buf, size_t size, const char *fmt, va_list args) */
    @KernelSymbol("vscnprintf")
    static int vscnprintfSym(KernelContext k, long buf, long size, long fmt, long args) {
        return vscnprintf(k, buf, size, fmt, guest(k, args));
    }

    /** int snprintf(char *buf, size_t size, const char *fmt, ...) */
    @KernelSymbol("snprintf")
    static int snprintf(KernelContext k, long buf, long size, long fmt, VaList args) {
        return vsnprintf(k, buf, size, fmt, args);
    }

    /** int scnprintf(char *buf, size_t size, const char *fmt, ...) */
    @KernelSymbol("scnprintf")
    static int scnprintf(KernelContext k, long buf, long size, long fmt, VaList args) {
        return vscnprintf(k, buf, size, fmt, args);
    }

    /** int vsprintf(char *buf, const char *fmt, va_list args) */
    @KernelSymbol("vsprintf")
    static int vsprintf(KernelContext k, long buf, long fmt, long args) {
        return vsnprintf(k, buf, INT_MAX, fmt, guest(k, args));
    }

    /** int sprintf(char *buf, const char *fmt, ...) */
    @KernelSymbol("sprintf")
    static int sprintf(KernelContext k, long buf, long fmt, VaList args) {
        return vsnprintf(k, buf, INT_MAX, fmt, args);
    }

    /** char *kvasprintf(gfp_t gfp, const char *fmt, va_list ap) */
    @KernelSymbol("kvasprintf")
    static long kvasprintfSym(KernelContext k, int gfp, long fmt, long ap) {
        return kvasprintf(k, gfp, fmt, guest(k, ap));
    }

    /**
     * const char *kvasprintf_const(gfp_t gfp, const char *fmt, va_list ap): {@code kstrdup_const()}
     * of {@code fmt} when it has no '%', of the sole argument when it is exactly "%s" (so a string
     * in the kernel's rodata is returned as is, and anything else, module strings included, is a
     * kstrdup'd copy), else {@code kvasprintf()}. Free the result with {@code kfree_const()}.
     */
    @KernelSymbol("kvasprintf_const")
    static long kvasprintfConst(KernelContext k, int gfp, long fmt, long ap) {
        GuestBytes f = StringFns.bytes(k, fmt);
        long i = 0;
        while (f.at(i) != '%' && f.at(i) != 0) {
            i++;
        }
        if (f.at(i) == 0) {
            return Util.kstrdupConst(k, fmt, gfp);
        }
        if (f.at(0) == '%' && f.at(1) == 's' && f.at(2) == 0) {
            return Util.kstrdupConst(k, guest(k, ap).next(), gfp);
        }
        return kvasprintf(k, gfp, fmt, guest(k, ap));
    }

    /** char *kasprintf(gfp_t gfp, const char *fmt, ...) */
    @KernelSymbol("kasprintf")
    static long kasprintf(KernelContext k, int gfp, long fmt, VaList args) {
        return kvasprintf(k, gfp, fmt, args);
    }

    // ---------------------------------------------------------------- vsscanf

    private static long skipSpaces(GuestBytes s, long i) {
        while (Ctype.isspace(s.at(i))) {
            i++;
        }
        return i;
    }

    /**
     * vsscanf() of lib/vsprintf.c: white space in the format matches any amount (including none),
     * {@code %*} skips to the next white space, widths are {@code s16}, the qualifiers are
     * {@code hh h l ll L z}, {@code %[} needs a width and knows no ranges, {@code %n} stores an
     * int. Returns the number of conversions stored.
     */
    public static int vsscanf(KernelContext k, long buf, long fmtPtr, VaList args) {
        AddressSpace mem = k.mem();
        GuestBytes str = StringFns.bytes(k, buf);
        GuestBytes fmt = StringFns.bytes(k, fmtPtr);
        long si = 0;
        long fi = 0;
        int num = 0;
        while (fmt.at(fi) != 0) {
            if (Ctype.isspace(fmt.at(fi))) {
                fi = skipSpaces(fmt, fi + 1);
                si = skipSpaces(str, si);
            }
            if (fmt.at(fi) != '%' && fmt.at(fi) != 0) {
                if (fmt.at(fi++) != str.at(si++)) {
                    break;
                }
                continue;
            }
            if (fmt.at(fi) == 0) {
                break;
            }
            ++fi;

            if (fmt.at(fi) == '*') {
                if (str.at(si) == 0) {
                    break;
                }
                while (!Ctype.isspace(fmt.at(fi)) && fmt.at(fi) != '%' && fmt.at(fi) != 0) {
                    if (fmt.at(fi) == '[') {
                        return num;
                    }
                    fi++;
                }
                while (!Ctype.isspace(str.at(si)) && str.at(si) != 0) {
                    si++;
                }
                continue;
            }

            short fieldWidth = -1;
            if (Ctype.isdigit(fmt.at(fi))) {
                int w = 0;
                do {
                    w = w * 10 + fmt.at(fi++) - '0';
                } while (Ctype.isdigit(fmt.at(fi)));
                fieldWidth = (short) w;
                if (fieldWidth <= 0) {
                    break;
                }
            }

            int qualifier = 0xff;
            int q = fmt.at(fi);
            if (q == 'h' || Ctype.fastTolower(q) == 'l' || q == 'z') {
                qualifier = q;
                fi++;
                if (qualifier == fmt.at(fi)) {
                    if (qualifier == 'h') {
                        qualifier = 'H';
                        fi++;
                    } else if (qualifier == 'l') {
                        qualifier = 'L';
                        fi++;
                    }
                }
            }

            if (fmt.at(fi) == 0) {
                break;
            }

            if (fmt.at(fi) == 'n') {
                mem.write32(args.next(), (int) si);
                ++fi;
                continue;
            }

            if (str.at(si) == 0) {
                break;
            }

            int base = 10;
            boolean isSign = false;

            switch (fmt.at(fi++)) {
                case 'c': {
                    long s = args.next();
                    if (fieldWidth == -1) {
                        fieldWidth = 1;
                    }
                    long from = si;
                    do {
                        si++;
                    } while (--fieldWidth > 0 && str.at(si) != 0);
                    mem.write(s, str.range(from, si));
                    num++;
                    continue;
                }
                case 's': {
                    long s = args.next();
                    if (fieldWidth == -1) {
                        fieldWidth = Short.MAX_VALUE;
                    }
                    si = skipSpaces(str, si);
                    long from = si;
                    while (str.at(si) != 0 && !Ctype.isspace(str.at(si)) && fieldWidth-- != 0) {
                        si++;
                    }
                    byte[] b = str.range(from, si);
                    byte[] w = new byte[b.length + 1];
                    System.arraycopy(b, 0, w, 0, b.length);
                    mem.write(s, w);
                    num++;
                    continue;
                }
                case '[': {
                    long s = args.next();
                    boolean[] set = new boolean[256];
                    int len = 0;
                    boolean negate = fmt.at(fi) == '^';
                    if (fieldWidth == -1) {
                        return num;
                    }
                    if (negate) {
                        ++fi;
                    }
                    for (; fmt.at(fi) != 0 && fmt.at(fi) != ']'; ++fi, ++len) {
                        set[fmt.at(fi)] = true;
                    }
                    if (fmt.at(fi) == 0 || len == 0) {
                        return num;
                    }
                    ++fi;
                    if (negate) {
                        for (int c = 0; c < 256; c++) {
                            set[c] = !set[c];
                        }
                        set[0] = false;
                    }
                    if (!set[str.at(si)]) {
                        return num;
                    }
                    long from = si;
                    while (set[str.at(si)] && fieldWidth-- != 0) {
                        si++;
                    }
                    byte[] b = str.range(from, si);
                    byte[] w = new byte[b.length + 1];
                    System.arraycopy(b, 0, w, 0, b.length);
                    mem.write(s, w);
                    ++num;
                    continue;
                }
                case 'o':
                    base = 8;
                    break;
                case 'x':
                case 'X':
                    base = 16;
                    break;
                case 'i':
                    base = 0;
                    isSign = true;
                    break;
                case 'd':
                    isSign = true;
                    break;
                case 'u':
                    break;
                case '%':
                    if (str.at(si++) != '%') {
                        return num;
                    }
                    continue;
                default:
                    return num;
            }

            si = skipSpaces(str, si);
            int digit = str.at(si);
            if (isSign && digit == '-') {
                if (fieldWidth == 1) {
                    break;
                }
                digit = str.at(si + 1);
            }
            if (digit == 0
                    || (base == 16 && !Ctype.isxdigit(digit))
                    || (base == 10 && !Ctype.isdigit(digit))
                    || (base == 8 && (!Ctype.isdigit(digit) || digit > '7'))
                    || (base == 0 && !Ctype.isdigit(digit))) {
                break;
            }

            long maxChars = fieldWidth >= 0 ? fieldWidth : INT_MAX;
            long[] r = isSign ? Kstrtox.simpleStrntoll(str, si, maxChars, base) : Kstrtox.simpleStrntoull(str, si, maxChars, base);
            long val = r[0];
            long ptr = args.next();
            switch (qualifier) {
                case 'H' -> mem.write8(ptr, (int) val);
                case 'h' -> mem.write16(ptr, (int) val);
                case 'l', 'L', 'z' -> mem.write64(ptr, val);
                default -> mem.write32(ptr, (int) val);
            }
            num++;
            si = r[1];
        }
        return num;
    }

    /** int vsscanf(const char *buf, const char *fmt, va_list args) */
    @KernelSymbol("vsscanf")
    static int vsscanfSym(KernelContext k, long buf, long fmt, long args) {
        return vsscanf(k, buf, fmt, guest(k, args));
    }

    /** int sscanf(const char *buf, const char *fmt, ...) */
    @KernelSymbol("sscanf")
    static int sscanf(KernelContext k, long buf, long fmt, VaList args) {
        return vsscanf(k, buf, fmt, args);
    }
}
