package dev.kmodemu.kstubs.lib;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * lib/kstrtox.c and the {@code simple_strto*()} family of lib/vsprintf.c: string to integer
 * conversion with the kernel's rules (base 0 detects 0x and 0 prefixes, one trailing newline
 * allowed, -ERANGE on overflow, -EINVAL otherwise).
 */
public final class Kstrtox {
    private Kstrtox() {
    }

    /** Result of parsing: a value, or a negative errno in {@link #err}. */
    public record Parsed(long value, int err) {
        static Parsed error(int err) {
            return new Parsed(0, err);
        }
    }

    static final int KSTRTOX_OVERFLOW = 1 << 31;

    /** Characters of a NUL-terminated string, as unsigned bytes; 0 past its end. */
    @FunctionalInterface
    public interface Chars {
        int at(long i);

        /** A Java byte array read as a C string. */
        static Chars of(byte[] s) {
            return i -> i < s.length ? s[(int) i] & 0xff : 0;
        }
    }

    private static int ch(byte[] s, int i) {
        return i < s.length ? s[i] & 0xff : 0;
    }

    private static boolean isxdigit(int c) {
        return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
    }

    /** {@code _parse_integer_fixup_radix()}: returns {base, index of the first digit}. */
    static long[] fixupRadix(Chars s, long at, int base) {
        if (base == 0) {
            if (s.at(at) == '0') {
                base = (s.at(at + 1) | 0x20) == 'x' && isxdigit(s.at(at + 2)) ? 16 : 8;
            } else {
                base = 10;
            }
        }
        if (base == 16 && s.at(at) == '0' && (s.at(at + 1) | 0x20) == 'x') {
            at += 2;
        }
        return new long[] {base, at};
    }

    /** {@code _parse_integer_limit()}: returns {value, digits | KSTRTOX_OVERFLOW}. */
    static long[] parseInteger(Chars s, long at, int base, long maxChars) {
        long res = 0;
        int rv = 0;
        while (maxChars-- != 0) {
            int c = s.at(at);
            int lc = c | 0x20;
            int val;
            if (c >= '0' && c <= '9') {
                val = c - '0';
            } else if (lc >= 'a' && lc <= 'f') {
                val = lc - 'a' + 10;
            } else {
                break;
            }
            if (val >= base) {
                break;
            }
            if ((res & (~0L << 60)) != 0 && Long.compareUnsigned(res, Long.divideUnsigned(-1L - val, base)) > 0) {
                rv |= KSTRTOX_OVERFLOW;
            }
            res = res * base + val;
            rv++;
            at++;
        }
        return new long[] {res, rv};
    }

    private static Parsed kstrtoullNoSign(byte[] s, int at, int base) {
        Chars c = Chars.of(s);
        long[] f = fixupRadix(c, at, base);
        long[] p = parseInteger(c, f[1], (int) f[0], -1);
        int rv = (int) p[1];
        if ((rv & KSTRTOX_OVERFLOW) != 0) {
            return Parsed.error(-Errno.ERANGE);
        }
        if (rv == 0) {
            return Parsed.error(-Errno.EINVAL);
        }
        int i = (int) f[1] + rv;
        if (ch(s, i) == '\n') {
            i++;
        }
        if (ch(s, i) != 0) {
            return Parsed.error(-Errno.EINVAL);
        }
        return new Parsed(p[0], 0);
    }

    /** {@code kstrtoull()}. {@code s} may or may not include the terminating NUL. */
    public static Parsed kstrtoull(byte[] s, int base) {
        return kstrtoullNoSign(s, ch(s, 0) == '+' ? 1 : 0, base);
    }

    /** {@code kstrtoll()}. */
    public static Parsed kstrtoll(byte[] s, int base) {
        if (ch(s, 0) == '-') {
            Parsed p = kstrtoullNoSign(s, 1, base);
            if (p.err() < 0) {
                return p;
            }
            if (-p.value() > 0) {
                return Parsed.error(-Errno.ERANGE);
            }
            return new Parsed(-p.value(), 0);
        }
        Parsed p = kstrtoull(s, base);
        if (p.err() < 0) {
            return p;
        }
        if (p.value() < 0) {
            return Parsed.error(-Errno.ERANGE);
        }
        return p;
    }

    /** Unsigned conversion limited to {@code bits} bits (kstrtouint, kstrtou16, kstrtou8). */
    public static Parsed kstrtou(byte[] s, int base, int bits) {
        Parsed p = kstrtoull(s, base);
        if (p.err() < 0) {
            return p;
        }
        if (bits < 64 && (p.value() >>> bits) != 0) {
            return Parsed.error(-Errno.ERANGE);
        }
        return p;
    }

    /** Signed conversion limited to {@code bits} bits (kstrtoint, kstrtos16, kstrtos8). */
    public static Parsed kstrtos(byte[] s, int base, int bits) {
        Parsed p = kstrtoll(s, base);
        if (p.err() < 0) {
            return p;
        }
        if (bits < 64 && (p.value() << (64 - bits)) >> (64 - bits) != p.value()) {
            return Parsed.error(-Errno.ERANGE);
        }
        return p;
    }

    /** {@code kstrtobool()}: 1 or 0, or -EINVAL. */
    public static int kstrtobool(byte[] s) {
        switch (ch(s, 0)) {
            case 'y', 'Y', 't', 'T', '1':
                return 1;
            case 'n', 'N', 'f', 'F', '0':
                return 0;
            case 'o', 'O':
                switch (ch(s, 1)) {
                    case 'n', 'N':
                        return 1;
                    case 'f', 'F':
                        return 0;
                    default:
                        return -Errno.EINVAL;
                }
            default:
                return -Errno.EINVAL;
        }
    }

    // ---------------------------------------------------------------- stubs

    private static byte[] str(KernelContext k, long s) {
        return k.mem().readCBytes(s, Integer.MAX_VALUE);
    }

    private static int store(KernelContext k, Parsed p, long res, int bytes) {
        if (p.err() < 0) {
            return p.err();
        }
        AddressSpace m = k.mem();
        switch (bytes) {
            case 1 -> m.write8(res, (int) p.value());
            case 2 -> m.write16(res, (int) p.value());
            case 4 -> m.write32(res, (int) p.value());
            default -> m.write64(res, p.value());
        }
        return 0;
    }

    /** int kstrtoull(const char *s, unsigned int base, unsigned long long *res) */
    @KernelSymbol({"kstrtoull", "_kstrtoul"})
    static int kstrtoullSym(KernelContext k, long s, int base, long res) {
        return store(k, kstrtoull(str(k, s), base), res, 8);
    }

    /** int kstrtoll(const char *s, unsigned int base, long long *res) */
    @KernelSymbol({"kstrtoll", "_kstrtol"})
    static int kstrtollSym(KernelContext k, long s, int base, long res) {
        return store(k, kstrtoll(str(k, s), base), res, 8);
    }

    /** int kstrtouint(const char *s, unsigned int base, unsigned int *res) */
    @KernelSymbol("kstrtouint")
    static int kstrtouint(KernelContext k, long s, int base, long res) {
        return store(k, kstrtou(str(k, s), base, 32), res, 4);
    }

    /** int kstrtoint(const char *s, unsigned int base, int *res) */
    @KernelSymbol("kstrtoint")
    static int kstrtoint(KernelContext k, long s, int base, long res) {
        return store(k, kstrtos(str(k, s), base, 32), res, 4);
    }

    /** int kstrtou16(const char *s, unsigned int base, u16 *res) */
    @KernelSymbol("kstrtou16")
    static int kstrtou16(KernelContext k, long s, int base, long res) {
        return store(k, kstrtou(str(k, s), base, 16), res, 2);
    }

    /** int kstrtos16(const char *s, unsigned int base, s16 *res) */
    @KernelSymbol("kstrtos16")
    static int kstrtos16(KernelContext k, long s, int base, long res) {
        return store(k, kstrtos(str(k, s), base, 16), res, 2);
    }

    /** int kstrtou8(const char *s, unsigned int base, u8 *res) */
    @KernelSymbol("kstrtou8")
    static int kstrtou8(KernelContext k, long s, int base, long res) {
        return store(k, kstrtou(str(k, s), base, 8), res, 1);
    }

    /** int kstrtos8(const char *s, unsigned int base, s8 *res) */
    @KernelSymbol("kstrtos8")
    static int kstrtos8(KernelContext k, long s, int base, long res) {
        return store(k, kstrtos(str(k, s), base, 8), res, 1);
    }

    /** int kstrtobool(const char *s, bool *res) */
    @KernelSymbol("kstrtobool")
    static int kstrtoboolSym(KernelContext k, long s, long res) {
        if (s == 0) {
            return -Errno.EINVAL;
        }
        byte c0 = k.mem().read8(s);
        int v = kstrtobool((c0 | 0x20) == 'o' ? new byte[] {c0, k.mem().read8(s + 1)} : new byte[] {c0});
        if (v < 0) {
            return v;
        }
        k.mem().write8(res, v);
        return 0;
    }

    // ---------------------------------------------------------------- the _from_user variants

    /**
     * The on-stack buffer of the {@code kstrto*_from_user()} functions: {@code min(count,
     * bufSize - 1)} user bytes, or null if copy_from_user() did not copy them all.
     */
    private static byte[] fromUser(KernelContext k, long s, long count, int bufSize) {
        int n = (int) (Long.compareUnsigned(count, bufSize - 1) < 0 ? count : bufSize - 1);
        byte[] buf = new byte[n];
        return Usercopy.copyFromUser(k, buf, s) != 0 ? null : buf;
    }

    /** {@code char buf[1 + sizeof(type) * 8 + 1 + 1]}: sign, base 2 digits, newline, NUL. */
    private static int bufSize(int bytes) {
        return 1 + bytes * 8 + 1 + 1;
    }

    /** One kstrto*_from_user(): unsigned ({@code signed} false) or signed, {@code bytes} wide. */
    private static int fromUser(KernelContext k, long s, long count, int base, long res, int bytes, boolean signed) {
        byte[] buf = fromUser(k, s, count, bufSize(bytes));
        if (buf == null) {
            return -Errno.EFAULT;
        }
        Parsed p = signed ? kstrtos(buf, base, 8 * bytes) : kstrtou(buf, base, 8 * bytes);
        return store(k, p, res, bytes);
    }

    /** int kstrtoull_from_user(const char __user *s, size_t count, unsigned int base, unsigned long long *res) */
    @KernelSymbol("kstrtoull_from_user")
    static int kstrtoullFromUser(KernelContext k, long s, long count, int base, long res) {
        return fromUser(k, s, count, base, res, 8, false);
    }

    /** int kstrtoll_from_user(const char __user *s, size_t count, unsigned int base, long long *res) */
    @KernelSymbol("kstrtoll_from_user")
    static int kstrtollFromUser(KernelContext k, long s, long count, int base, long res) {
        return fromUser(k, s, count, base, res, 8, true);
    }

    /** int kstrtoul_from_user(const char __user *s, size_t count, unsigned int base, unsigned long *res) */
    @KernelSymbol("kstrtoul_from_user")
    static int kstrtoulFromUser(KernelContext k, long s, long count, int base, long res) {
        return fromUser(k, s, count, base, res, 8, false);
    }

    /** int kstrtol_from_user(const char __user *s, size_t count, unsigned int base, long *res) */
    @KernelSymbol("kstrtol_from_user")
    static int kstrtolFromUser(KernelContext k, long s, long count, int base, long res) {
        return fromUser(k, s, count, base, res, 8, true);
    }

    /** int kstrtouint_from_user(const char __user *s, size_t count, unsigned int base, unsigned int *res) */
    @KernelSymbol("kstrtouint_from_user")
    static int kstrtouintFromUser(KernelContext k, long s, long count, int base, long res) {
        return fromUser(k, s, count, base, res, 4, false);
    }

    /** int kstrtoint_from_user(const char __user *s, size_t count, unsigned int base, int *res) */
    @KernelSymbol("kstrtoint_from_user")
    static int kstrtointFromUser(KernelContext k, long s, long count, int base, long res) {
        return fromUser(k, s, count, base, res, 4, true);
    }

    /** int kstrtou16_from_user(const char __user *s, size_t count, unsigned int base, u16 *res) */
    @KernelSymbol("kstrtou16_from_user")
    static int kstrtou16FromUser(KernelContext k, long s, long count, int base, long res) {
        return fromUser(k, s, count, base, res, 2, false);
    }

    /** int kstrtos16_from_user(const char __user *s, size_t count, unsigned int base, s16 *res) */
    @KernelSymbol("kstrtos16_from_user")
    static int kstrtos16FromUser(KernelContext k, long s, long count, int base, long res) {
        return fromUser(k, s, count, base, res, 2, true);
    }

    /** int kstrtou8_from_user(const char __user *s, size_t count, unsigned int base, u8 *res) */
    @KernelSymbol("kstrtou8_from_user")
    static int kstrtou8FromUser(KernelContext k, long s, long count, int base, long res) {
        return fromUser(k, s, count, base, res, 1, false);
    }

    /** int kstrtos8_from_user(const char __user *s, size_t count, unsigned int base, s8 *res) */
    @KernelSymbol("kstrtos8_from_user")
    static int kstrtos8FromUser(KernelContext k, long s, long count, int base, long res) {
        return fromUser(k, s, count, base, res, 1, true);
    }

    /**
     * int kstrtobool_from_user(const char __user *s, size_t count, bool *res)
     *
     * <p>At most 3 bytes are copied ({@code char buf[4]}).
     */
    @KernelSymbol("kstrtobool_from_user")
    static int kstrtoboolFromUser(KernelContext k, long s, long count, long res) {
        byte[] buf = fromUser(k, s, count, 4);
        if (buf == null) {
            return -Errno.EFAULT;
        }
        int v = kstrtobool(buf);
        if (v < 0) {
            return v;
        }
        k.mem().write8(res, v);
        return 0;
    }

    /** {@code simple_strntoull()}: returns {value, index just past the digits}. */
    public static long[] simpleStrntoull(Chars s, long start, long maxChars, int base) {
        long[] f = fixupRadix(s, start, base);
        long prefix = f[1] - start;
        if (Long.compareUnsigned(prefix, maxChars) < 0) {
            long[] p = parseInteger(s, f[1], (int) f[0], maxChars - prefix);
            return new long[] {p[0], f[1] + (p[1] & ~KSTRTOX_OVERFLOW & 0xffffffffL)};
        }
        return new long[] {0, start + maxChars};
    }

    /** {@code simple_strntoll()}: a leading '-' negates. */
    public static long[] simpleStrntoll(Chars s, long start, long maxChars, int base) {
        if (s.at(start) == '-' && maxChars > 0) {
            long[] r = simpleStrntoull(s, start + 1, maxChars - 1, base);
            r[0] = -r[0];
            return r;
        }
        return simpleStrntoull(s, start, maxChars, base);
    }

    private static long simple(KernelContext k, long cp, long endp, int base, boolean signed) {
        Chars s = new StringFns.GuestBytes(k.mem(), cp);
        long[] r = signed ? simpleStrntoll(s, 0, Integer.MAX_VALUE, base)
                : simpleStrntoull(s, 0, Integer.MAX_VALUE, base);
        if (endp != 0) {
            k.mem().write64(endp, cp + r[1]);
        }
        return r[0];
    }

    /** unsigned long long simple_strtoull(const char *cp, char **endp, unsigned int base) */
    @KernelSymbol({"simple_strtoull", "simple_strtoul"})
    static long simpleStrtoull(KernelContext k, long cp, long endp, int base) {
        return simple(k, cp, endp, base, false);
    }

    /** long long simple_strtoll(const char *cp, char **endp, unsigned int base) */
    @KernelSymbol({"simple_strtoll", "simple_strtol"})
    static long simpleStrtoll(KernelContext k, long cp, long endp, int base) {
        return simple(k, cp, endp, base, true);
    }
}
