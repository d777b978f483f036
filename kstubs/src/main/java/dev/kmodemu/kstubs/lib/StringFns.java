package dev.kmodemu.kstubs.lib;

import dev.kmodemu.emu.Access;
import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.mm.Kasan;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The string and memory functions vmlinux exports: lib/string.c, the x86-64 assembler
 * {@code memcpy}/{@code memmove}/{@code memset} (arch/x86/lib/mem*_64.S, with their {@code __mem*}
 * aliases) and the string helpers of lib/string_helpers.c. Results are exactly the kernel's:
 * {@code strcmp()}/{@code strncmp()} return -1/0/1, {@code memcmp()} the difference of the first
 * differing bytes, {@code strncasecmp()} the difference of the (lowered) bytes, pointer results are
 * guest addresses.
 *
 * <p>Guest memory is read a page at a time, never past the page holding the last byte the C code
 * would look at, so a missing NUL or a bad pointer faults where the kernel function would (the
 * {@code PageFault} propagates and is reported as an oops in the function). Sizes are
 * {@code size_t}: a "negative" {@code long} is a huge unsigned size.
 */
public final class StringFns {
    private StringFns() {
    }

    private static final long PAGE = AddressSpace.PAGE;
    private static final long INT_MAX = Integer.MAX_VALUE;

    /**
     * A guest byte array read lazily, a page at a time, as a C loop touching {@code base[i]} in
     * increasing order would fault: {@link #at} of an index past a bad page throws the fault.
     */
    public static final class GuestBytes implements Kstrtox.Chars {
        private final AddressSpace mem;
        private final long base;
        private byte[] b = new byte[64];
        private int n;

        public GuestBytes(AddressSpace mem, long base) {
            this.mem = mem;
            this.base = base;
        }

        /** {@code base[i]} as an unsigned byte. */
        @Override
        public int at(long i) {
            while (i >= n) {
                load();
            }
            return b[(int) i] & 0xff;
        }

        /** The guest address of {@code base[i]}. */
        public long addr(long i) {
            return base + i;
        }

        /** strnlen(): the index of the first NUL, at most {@code max} (reads only what that needs). */
        public long strnlen(long max) {
            long i = 0;
            while (Long.compareUnsigned(i, max) < 0 && at(i) != 0) {
                i++;
            }
            return i;
        }

        /** Bytes {@code [from, to)} (already loaded by {@link #at} or loaded now). */
        public byte[] range(long from, long to) {
            if (to > from) {
                at(to - 1);
            }
            return Arrays.copyOfRange(b, (int) from, (int) to);
        }

        private void load() {
            long va = base + n;
            int chunk = (int) (PAGE - (va & (PAGE - 1)));
            if ((long) n + chunk > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("kmodemu: string at 0x" + Long.toHexString(base)
                        + " longer than 2 GiB");
            }
            byte[] page = mem.read(va, chunk);
            if (n + chunk > b.length) {
                b = Arrays.copyOf(b, Math.max(n + chunk, b.length * 2));
            }
            System.arraycopy(page, 0, b, n, chunk);
            n += chunk;
        }
    }

    static GuestBytes bytes(KernelContext k, long va) {
        return new GuestBytes(k.mem(), va);
    }

    /** The NUL-terminated string at {@code va}, without its NUL. */
    static byte[] cstring(KernelContext k, long va) {
        return k.mem().readCBytes(va, Integer.MAX_VALUE);
    }

    /** {@code strlen()} (the kernel walks until the NUL; so does {@link AddressSpace#strnlen}). */
    static long strlen(KernelContext k, long s) {
        return k.mem().strnlen(s, Long.MAX_VALUE);
    }

    /** Fails as a copy of {@code n} (an unsigned size of 2^63 or more) bytes at {@code va} would. */
    private static void hugeSize(KernelContext k, long va, long n, Access access) {
        k.mem().segment(va, n, access);
        throw new IllegalStateException("kmodemu: a size of 0x" + Long.toHexString(n) + " bytes cannot be mapped");
    }

    /** memmove() inside guest memory with an unsigned size. */
    public static void copy(KernelContext k, long dst, long src, long n) {
        if (n < 0) {
            hugeSize(k, src, n, Access.READ);
        }
        if (n > 0) {
            k.mem().copy(dst, src, n);
        }
    }

    /** memset() of guest memory with an unsigned size. */
    public static void fill(KernelContext k, long s, long n, int c) {
        if (n < 0) {
            hugeSize(k, s, n, Access.WRITE);
        }
        if (n > 0) {
            k.mem().fill(s, n, (byte) c);
        }
    }

    /** Writes the first {@code len} bytes of {@code b} followed by a NUL at {@code dst}. */
    private static void writeString(KernelContext k, long dst, byte[] b, int len) {
        byte[] w = new byte[len + 1];
        System.arraycopy(b, 0, w, 0, len);
        k.mem().write(dst, w);
    }

    // ---------------------------------------------------------------- arch/x86/lib: memcpy, memmove, memset

    /**
     * void *memcpy(void *to, const void *from, size_t len)
     *
     * <p>Overlapping areas (undefined in C) are copied as by memmove().
     */
    @KernelSymbol({"memcpy", "__memcpy"})
    static long memcpy(KernelContext k, long to, long from, long len) {
        Kasan.check(k, from, len, false, true);
        Kasan.check(k, to, len, true, true);
        copy(k, to, from, len);
        return to;
    }

    /** void *memmove(void *dest, const void *src, size_t count) */
    @KernelSymbol({"memmove", "__memmove"})
    static long memmove(KernelContext k, long dest, long src, long count) {
        Kasan.check(k, src, count, false, true);
        Kasan.check(k, dest, count, true, true);
        copy(k, dest, src, count);
        return dest;
    }

    /** void *memset(void *s, int c, size_t n) */
    @KernelSymbol({"memset", "__memset"})
    static long memset(KernelContext k, long s, int c, long n) {
        Kasan.check(k, s, n, true, true);
        fill(k, s, n, c);
        return s;
    }

    // ---------------------------------------------------------------- lib/string.c: comparisons

    /** int strncasecmp(const char *s1, const char *s2, size_t len) */
    @KernelSymbol("strncasecmp")
    static int strncasecmp(KernelContext k, long s1, long s2, long len) {
        if (len == 0) {
            return 0;
        }
        GuestBytes a = bytes(k, s1);
        GuestBytes b = bytes(k, s2);
        int c1;
        int c2;
        long i = 0;
        do {
            c1 = a.at(i);
            c2 = b.at(i);
            i++;
            if (c1 == 0 || c2 == 0) {
                break;
            }
            if (c1 == c2) {
                continue;
            }
            c1 = Ctype.tolower(c1);
            c2 = Ctype.tolower(c2);
            if (c1 != c2) {
                break;
            }
        } while (--len != 0);
        return c1 - c2;
    }

    /** int strcasecmp(const char *s1, const char *s2) */
    @KernelSymbol("strcasecmp")
    static int strcasecmp(KernelContext k, long s1, long s2) {
        GuestBytes a = bytes(k, s1);
        GuestBytes b = bytes(k, s2);
        int c1;
        int c2;
        long i = 0;
        do {
            c1 = Ctype.tolower(a.at(i));
            c2 = Ctype.tolower(b.at(i));
            i++;
        } while (c1 == c2 && c1 != 0);
        return c1 - c2;
    }

    /** strcmp() of lib/string.c on guest strings: -1, 0 or 1. */
    static int strcmp(GuestBytes a, GuestBytes b) {
        for (long i = 0; ; i++) {
            int c1 = a.at(i);
            int c2 = b.at(i);
            if (c1 != c2) {
                return c1 < c2 ? -1 : 1;
            }
            if (c1 == 0) {
                return 0;
            }
        }
    }

    /** int strcmp(const char *cs, const char *ct) */
    @KernelSymbol("strcmp")
    static int strcmp(KernelContext k, long cs, long ct) {
        return strcmp(bytes(k, cs), bytes(k, ct));
    }

    /** int strncmp(const char *cs, const char *ct, size_t count) */
    @KernelSymbol("strncmp")
    static int strncmp(KernelContext k, long cs, long ct, long count) {
        GuestBytes a = bytes(k, cs);
        GuestBytes b = bytes(k, ct);
        for (long i = 0; count != 0; i++, count--) {
            int c1 = a.at(i);
            int c2 = b.at(i);
            if (c1 != c2) {
                return c1 < c2 ? -1 : 1;
            }
            if (c1 == 0) {
                break;
            }
        }
        return 0;
    }

    /** int memcmp(const void *cs, const void *ct, size_t count) */
    @KernelSymbol("memcmp")
    static int memcmp(KernelContext k, long cs, long ct, long count) {
        AddressSpace mem = k.mem();
        long done = 0;
        while (done != count) {
            long a = cs + done;
            long b = ct + done;
            long chunk = Math.min(PAGE - (a & (PAGE - 1)), PAGE - (b & (PAGE - 1)));
            if (Long.compareUnsigned(chunk, count - done) > 0) {
                chunk = count - done;
            }
            byte[] x = mem.read(a, (int) chunk);
            byte[] y = mem.read(b, (int) chunk);
            int i = Arrays.mismatch(x, y);
            if (i >= 0) {
                return (x[i] & 0xff) - (y[i] & 0xff);
            }
            done += chunk;
        }
        return 0;
    }

    /** int bcmp(const void *a, const void *b, size_t len) */
    @KernelSymbol("bcmp")
    static int bcmp(KernelContext k, long a, long b, long len) {
        return memcmp(k, a, b, len);
    }

    /** bool sysfs_streq(const char *s1, const char *s2) */
    static boolean sysfsStreq(GuestBytes a, GuestBytes b) {
        long i = 0;
        while (a.at(i) != 0 && a.at(i) == b.at(i)) {
            i++;
        }
        int c1 = a.at(i);
        int c2 = b.at(i);
        if (c1 == c2) {
            return true;
        }
        if (c1 == 0 && c2 == '\n' && b.at(i + 1) == 0) {
            return true;
        }
        return c1 == '\n' && a.at(i + 1) == 0 && c2 == 0;
    }

    /** bool sysfs_streq(const char *s1, const char *s2) */
    @KernelSymbol("sysfs_streq")
    static boolean sysfsStreq(KernelContext k, long s1, long s2) {
        return sysfsStreq(bytes(k, s1), bytes(k, s2));
    }

    /** match_string() and __sysfs_match_string(): the index of the first match, or -EINVAL. */
    private static int matchString(KernelContext k, long array, long n, long string, boolean sysfs) {
        for (int index = 0; Long.compareUnsigned(index, n) < 0; index++) {
            long item = k.mem().read64(array + 8L * index);
            if (item == 0) {
                break;
            }
            boolean match = sysfs ? sysfsStreq(bytes(k, item), bytes(k, string))
                    : strcmp(bytes(k, item), bytes(k, string)) == 0;
            if (match) {
                return index;
            }
        }
        return -Errno.EINVAL;
    }

    /** int match_string(const char * const *array, size_t n, const char *string) */
    @KernelSymbol("match_string")
    static int matchString(KernelContext k, long array, long n, long string) {
        return matchString(k, array, n, string, false);
    }

    /** int __sysfs_match_string(const char * const *array, size_t n, const char *str) */
    @KernelSymbol("__sysfs_match_string")
    static int sysfsMatchString(KernelContext k, long array, long n, long str) {
        return matchString(k, array, n, str, true);
    }

    // ---------------------------------------------------------------- lib/string.c: copies

    /** char *strcpy(char *dest, const char *src) */
    @KernelSymbol("strcpy")
    static long strcpy(KernelContext k, long dest, long src) {
        byte[] s = cstring(k, src);
        writeString(k, dest, s, s.length);
        return dest;
    }

    /** char *stpcpy(char *__restrict__ dest, const char *__restrict__ src) */
    @KernelSymbol("stpcpy")
    static long stpcpy(KernelContext k, long dest, long src) {
        byte[] s = cstring(k, src);
        writeString(k, dest, s, s.length);
        return dest + s.length;
    }

    /**
     * char *strncpy(char *dest, const char *src, size_t count)
     *
     * <p>Pads with NULs up to {@code count}; a longer {@code src} leaves {@code dest} unterminated.
     */
    @KernelSymbol("strncpy")
    static long strncpy(KernelContext k, long dest, long src, long count) {
        long len = bytes(k, src).strnlen(count);
        copy(k, dest, src, len);
        fill(k, dest + len, count - len, 0);
        return dest;
    }

    /**
     * size_t strlcpy(char *dest, const char *src, size_t size)
     *
     * <p>Returns strlen(src).
     */
    @KernelSymbol("strlcpy")
    static long strlcpy(KernelContext k, long dest, long src, long size) {
        byte[] s = cstring(k, src);
        long ret = s.length;
        if (size != 0) {
            int len = (int) (Long.compareUnsigned(ret, size) >= 0 ? size - 1 : ret);
            writeString(k, dest, s, len);
        }
        return ret;
    }

    /**
     * strscpy() with CONFIG_DCACHE_WORD_ACCESS: whole words while at least 8 bytes remain (the
     * word holding the NUL is stored with every byte from the NUL on cleared, and a word crossing
     * into an unmapped page reads zeros there, as {@code load_unaligned_zeropad()} does), then
     * byte by byte. The {@code WARN_ON_ONCE(count > INT_MAX)} splat is not reproduced.
     */
    static long strscpy(KernelContext k, long dest, long src, long count) {
        if (count == 0 || Long.compareUnsigned(count, INT_MAX) > 0) {
            return -Errno.E2BIG;
        }
        AddressSpace mem = k.mem();
        long max = count;
        long res = 0;
        while (max >= 8) {
            byte[] c = loadUnalignedZeropad(mem, src + res);
            for (int z = 0; z < 8; z++) {
                if (c[z] == 0) {
                    Arrays.fill(c, z, 8, (byte) 0);
                    mem.write(dest + res, c);
                    return res + z;
                }
            }
            mem.write(dest + res, c);
            res += 8;
            count -= 8;
            max -= 8;
        }
        if (count > 0) {
            GuestBytes s = bytes(k, src + res);
            byte[] tail = s.range(0, s.strnlen(count));
            if (tail.length < count) {
                writeString(k, dest + res, tail, tail.length);
                return res + tail.length;
            }
            mem.write(dest + res, tail);
            res += tail.length;
        }
        if (res != 0) {
            mem.write8(dest + res - 1, 0);
        }
        return -Errno.E2BIG;
    }

    /** {@code load_unaligned_zeropad()}: 8 bytes; the bytes on an unreadable next page read as 0. */
    private static byte[] loadUnalignedZeropad(AddressSpace mem, long va) {
        long inPage = PAGE - (va & (PAGE - 1));
        if (inPage >= 8 || mem.accessible(va + inPage, Access.READ)) {
            return mem.read(va, 8);
        }
        return Arrays.copyOf(mem.read(va, (int) inPage), 8);
    }

    /** ssize_t strscpy(char *dest, const char *src, size_t count) */
    @KernelSymbol("strscpy")
    static long strscpySym(KernelContext k, long dest, long src, long count) {
        return strscpy(k, dest, src, count);
    }

    /** ssize_t strscpy_pad(char *dest, const char *src, size_t count) */
    @KernelSymbol("strscpy_pad")
    static long strscpyPad(KernelContext k, long dest, long src, long count) {
        long written = strscpy(k, dest, src, count);
        if (written < 0 || written == count - 1) {
            return written;
        }
        fill(k, dest + written + 1, count - written - 1, 0);
        return written;
    }

    /** char *strcat(char *dest, const char *src) */
    @KernelSymbol("strcat")
    static long strcat(KernelContext k, long dest, long src) {
        long end = dest + strlen(k, dest);
        byte[] s = cstring(k, src);
        writeString(k, end, s, s.length);
        return dest;
    }

    /**
     * char *strncat(char *dest, const char *src, size_t count)
     *
     * <p>At most count bytes, then a NUL.
     */
    @KernelSymbol("strncat")
    static long strncat(KernelContext k, long dest, long src, long count) {
        if (count != 0) {
            long end = dest + strlen(k, dest);
            GuestBytes s = bytes(k, src);
            byte[] b = s.range(0, s.strnlen(count));
            writeString(k, end, b, b.length);
        }
        return dest;
    }

    /**
     * size_t strlcat(char *dest, const char *src, size_t count)
     *
     * <p>Its {@code BUG_ON(dsize >= count)} is reported by {@link #bug}.
     */
    @KernelSymbol("strlcat")
    static long strlcat(KernelContext k, long dest, long src, long count) {
        long dsize = strlen(k, dest);
        byte[] s = cstring(k, src);
        long len = s.length;
        long res = dsize + len;
        if (Long.compareUnsigned(dsize, count) >= 0) {
            throw bug(k, "lib/string.c", 337);
        }
        count -= dsize;
        if (Long.compareUnsigned(len, count) >= 0) {
            len = count - 1;
        }
        writeString(k, dest + dsize, s, (int) len);
        return res;
    }

    /** void memcpy_and_pad(void *dest, size_t dest_len, const void *src, size_t count, int pad) */
    @KernelSymbol("memcpy_and_pad")
    static void memcpyAndPad(KernelContext k, long dest, long destLen, long src, long count, int pad) {
        if (Long.compareUnsigned(destLen, count) > 0) {
            copy(k, dest, src, count);
            fill(k, dest + count, destLen - count, pad);
        } else {
            copy(k, dest, src, destLen);
        }
    }

    // ---------------------------------------------------------------- lib/string.c: searching

    /** size_t strlen(const char *s) */
    @KernelSymbol("strlen")
    static long strlenSym(KernelContext k, long s) {
        return strlen(k, s);
    }

    /** size_t strnlen(const char *s, size_t count) */
    @KernelSymbol("strnlen")
    static long strnlen(KernelContext k, long s, long count) {
        return k.mem().strnlen(s, count < 0 ? Long.MAX_VALUE : count);
    }

    /**
     * char *strchr(const char *s, int c)
     *
     * <p>The NUL terminator can be searched for.
     */
    @KernelSymbol("strchr")
    static long strchr(KernelContext k, long s, int c) {
        GuestBytes b = bytes(k, s);
        int ch = c & 0xff;
        long i = 0;
        for (; b.at(i) != ch; i++) {
            if (b.at(i) == 0) {
                return 0;
            }
        }
        return s + i;
    }

    /** char *strchrnul(const char *s, int c) */
    @KernelSymbol("strchrnul")
    static long strchrnul(KernelContext k, long s, int c) {
        GuestBytes b = bytes(k, s);
        int ch = c & 0xff;
        long i = 0;
        while (b.at(i) != 0 && b.at(i) != ch) {
            i++;
        }
        return s + i;
    }

    /** char *strnchr(const char *s, size_t count, int c) */
    @KernelSymbol("strnchr")
    static long strnchr(KernelContext k, long s, long count, int c) {
        GuestBytes b = bytes(k, s);
        int ch = c & 0xff;
        for (long i = 0; count-- != 0; i++) {
            int x = b.at(i);
            if (x == ch) {
                return s + i;
            }
            if (x == 0) {
                break;
            }
        }
        return 0;
    }

    /** char *strrchr(const char *s, int c) */
    @KernelSymbol("strrchr")
    static long strrchr(KernelContext k, long s, int c) {
        byte[] b = cstring(k, s);
        byte ch = (byte) c;
        if (ch == 0) {
            return s + b.length;
        }
        for (int i = b.length - 1; i >= 0; i--) {
            if (b[i] == ch) {
                return s + i;
            }
        }
        return 0;
    }

    /** char *strstr(const char *s1, const char *s2) */
    @KernelSymbol("strstr")
    static long strstr(KernelContext k, long s1, long s2) {
        byte[] needle = cstring(k, s2);
        if (needle.length == 0) {
            return s1;
        }
        byte[] hay = cstring(k, s1);
        int i = indexOf(hay, hay.length, needle);
        return i < 0 ? 0 : s1 + i;
    }

    private static int indexOf(byte[] hay, int hayLen, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hayLen; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * char *strnstr(const char *s1, const char *s2, size_t len): compares {@code strlen(s2)} bytes
     * at each of the first {@code len - strlen(s2) + 1} positions, past NULs in {@code s1} too.
     */
    @KernelSymbol("strnstr")
    static long strnstr(KernelContext k, long s1, long s2, long len) {
        byte[] needle = cstring(k, s2);
        long l2 = needle.length;
        if (l2 == 0) {
            return s1;
        }
        GuestBytes hay = bytes(k, s1);
        for (long i = 0; Long.compareUnsigned(len, l2) >= 0; i++, len--) {
            int j = 0;
            while (j < l2 && hay.at(i + j) == (needle[j] & 0xff)) {
                j++;
            }
            if (j == l2) {
                return s1 + i;
            }
        }
        return 0;
    }

    /** size_t strspn(const char *s, const char *accept) */
    @KernelSymbol("strspn")
    static long strspn(KernelContext k, long s, long accept) {
        return span(k, s, accept, true);
    }

    /** size_t strcspn(const char *s, const char *reject) */
    @KernelSymbol("strcspn")
    static long strcspn(KernelContext k, long s, long reject) {
        return span(k, s, reject, false);
    }

    /** strspn() ({@code accepting}) or strcspn(): {@code set} is read on the first character tested. */
    private static long span(KernelContext k, long s, long set, boolean accepting) {
        GuestBytes b = bytes(k, s);
        boolean[] in = null;
        long i = 0;
        for (; b.at(i) != 0; i++) {
            if (in == null) {
                in = byteSet(cstring(k, set));
            }
            if (in[b.at(i)] != accepting) {
                break;
            }
        }
        return i;
    }

    private static boolean[] byteSet(byte[] chars) {
        boolean[] in = new boolean[256];
        for (byte c : chars) {
            in[c & 0xff] = true;
        }
        return in;
    }

    /** strpbrk(): the index of the first byte of {@code cs} found in {@code ct}, or -1. */
    private static long strpbrk(KernelContext k, GuestBytes cs, long ct) {
        boolean[] in = null;
        for (long i = 0; cs.at(i) != 0; i++) {
            if (in == null) {
                in = byteSet(cstring(k, ct));
            }
            if (in[cs.at(i)]) {
                return i;
            }
        }
        return -1;
    }

    /** char *strpbrk(const char *cs, const char *ct) */
    @KernelSymbol("strpbrk")
    static long strpbrk(KernelContext k, long cs, long ct) {
        long i = strpbrk(k, bytes(k, cs), ct);
        return i < 0 ? 0 : cs + i;
    }

    /** char *strsep(char **s, const char *ct) */
    @KernelSymbol("strsep")
    static long strsep(KernelContext k, long s, long ct) {
        long sbegin = k.mem().read64(s);
        if (sbegin == 0) {
            return 0;
        }
        long i = strpbrk(k, bytes(k, sbegin), ct);
        long end = 0;
        if (i >= 0) {
            k.mem().write8(sbegin + i, 0);
            end = sbegin + i + 1;
        }
        k.mem().write64(s, end);
        return sbegin;
    }

    /** void *memchr(const void *s, int c, size_t n) */
    @KernelSymbol("memchr")
    static long memchr(KernelContext k, long s, int c, long n) {
        long i = find(k, s, n, (byte) c, true);
        return i < 0 ? 0 : s + i;
    }

    /** void *memchr_inv(const void *start, int c, size_t bytes) */
    @KernelSymbol("memchr_inv")
    static long memchrInv(KernelContext k, long start, int c, long bytes) {
        long i = find(k, start, bytes, (byte) c, false);
        return i < 0 ? 0 : start + i;
    }

    /**
     * void *memscan(void *addr, int c, size_t size)
     *
     * <p>One past the area if {@code c} is not found.
     */
    @KernelSymbol("memscan")
    static long memscan(KernelContext k, long addr, int c, long size) {
        long i = find(k, addr, size, (byte) c, true);
        return i < 0 ? addr + size : addr + i;
    }

    /** The index of the first byte equal ({@code equal}) or unequal to {@code c} in {@code [s, s+n)}, or -1. */
    private static long find(KernelContext k, long s, long n, byte c, boolean equal) {
        AddressSpace mem = k.mem();
        long done = 0;
        while (done != n) {
            long va = s + done;
            long chunk = PAGE - (va & (PAGE - 1));
            if (Long.compareUnsigned(chunk, n - done) > 0) {
                chunk = n - done;
            }
            byte[] b = mem.read(va, (int) chunk);
            for (int i = 0; i < b.length; i++) {
                if ((b[i] == c) == equal) {
                    return done + i;
                }
            }
            done += chunk;
        }
        return -1;
    }

    // ---------------------------------------------------------------- lib/string_helpers.c

    /** char *skip_spaces(const char *str) */
    @KernelSymbol("skip_spaces")
    static long skipSpaces(KernelContext k, long str) {
        GuestBytes b = bytes(k, str);
        long i = 0;
        while (Ctype.isspace(b.at(i))) {
            i++;
        }
        return str + i;
    }

    /**
     * char *strim(char *s)
     *
     * <p>The NUL after the last non-space is always stored.
     */
    @KernelSymbol("strim")
    static long strim(KernelContext k, long s) {
        byte[] b = cstring(k, s);
        if (b.length == 0) {
            return s;
        }
        int end = b.length - 1;
        while (end >= 0 && Ctype.isspace(b[end])) {
            end--;
        }
        k.mem().write8(s + end + 1, 0);
        return skipSpaces(k, s);
    }

    /**
     * char *strreplace(char *s, char old, char new)
     *
     * <p>Returns the address of the NUL.
     */
    @KernelSymbol("strreplace")
    static long strreplace(KernelContext k, long s, int old, int repl) {
        byte[] b = cstring(k, s);
        boolean changed = false;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == (byte) old) {
                b[i] = (byte) repl;
                changed = true;
            }
        }
        if (changed) {
            k.mem().write(s, b);
        }
        return s + b.length;
    }

    /**
     * void __read_overflow2_field(size_t avail, size_t wanted)
     *
     * <p>A FORTIFY_SOURCE placeholder.
     */
    @KernelSymbol("__read_overflow2_field")
    static void readOverflow2Field(KernelContext k, long avail, long wanted) {
    }

    /**
     * void __write_overflow_field(size_t avail, size_t wanted)
     *
     * <p>A FORTIFY_SOURCE placeholder.
     */
    @KernelSymbol("__write_overflow_field")
    static void writeOverflowField(KernelContext k, long avail, long wanted) {
    }

    /**
     * void fortify_panic(const char *name): {@code pr_emerg("detected buffer overflow in %s\n")},
     * then {@code BUG()}: the calling task oopses.
     */
    @KernelSymbol("fortify_panic")
    static void fortifyPanic(KernelContext k, long name) {
        String n = new String(cstring(k, name), StandardCharsets.UTF_8);
        k.printk(0, "detected buffer overflow in " + n);
        throw bug(k, "lib/string_helpers.c", 1027);
    }

    /** A {@code BUG()} in a stubbed kernel function: the task oopses with the kernel's report. */
    static RuntimeException bug(KernelContext k, String file, int line) {
        return dev.kmodemu.kstubs.kernel.Oops.bug(k, file + ":" + line);
    }
}
