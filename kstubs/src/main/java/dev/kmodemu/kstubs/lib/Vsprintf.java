package dev.kmodemu.kstubs.lib;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.emu.PageFault;
import dev.kmodemu.kstubs.VaList;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The kernel's {@code vsnprintf()} (lib/vsprintf.c of Linux 6.1): every conversion, flag, width,
 * precision and length modifier, and the {@code %p} extensions. Works on bytes, as the kernel
 * does; the caller applies buffer limits.
 *
 * <p>The port keeps the kernel's structure ({@code format_decode()}, {@code number()},
 * {@code string()}, {@code widen_string()}, {@code pointer()} and its helpers) and its quirks: the
 * 24-bit field width and 16-bit precision bit-fields, a negative {@code *} precision meaning 0, an
 * invalid conversion (including {@code %n}, {@code %j}, {@code %Z}, a trailing lone {@code %})
 * ending the output there, {@code %p} swallowing every alphanumeric character after it. Output is
 * produced without a size limit; because the kernel only ever truncates, the bytes a limited
 * {@code vsnprintf()} stores are a prefix of this output and its return value is this length.
 *
 * <p>Configuration choices follow the Debian 6.1 x86-64 kernel: CONFIG_KALLSYMS=y,
 * CONFIG_STACKTRACE_BUILD_ID=n (so the {@code b} build-id variants print like the plain ones),
 * CONFIG_SYMBOLIC_ERRNAME=y, CONFIG_OF=n, CONFIG_COMMON_CLK=y, CONFIG_BLOCK=y, CONFIG_RUST=n,
 * kptr_restrict=0, no_hash_pointers off and the pointer hash key ready. The {@code WARN_ONCE()}
 * splats for unsupported conversions are not reproduced: this class only formats.
 *
 * <p>Kernel objects are read from guest memory with the Debian 6.1 x86-64 layouts (offsets
 * computed with the real headers): {@code struct resource}, {@code sockaddr_in}/{@code _in6},
 * {@code struct rtc_time}, {@code struct va_format}, {@code struct dentry} ({@code d_parent} at 24,
 * {@code d_name.name} at 40), {@code struct file} ({@code f_path.dentry} at 24),
 * {@code struct block_device} ({@code bd_partno} at 848, {@code bd_disk} at 856),
 * {@code struct gendisk} ({@code disk_name} at 12), {@code struct clk}/{@code clk_core}
 * ({@code core->name}). Only {@code %pfw} needs callbacks: the firmware node's own operations
 * ({@code fwnode->ops->get_name} and friends), through {@link Env#fwnodeOp}.
 */
public final class Vsprintf {
    private Vsprintf() {
    }

    /** What formatting needs from the running kernel. */
    public interface Env {
        /** Guest memory; reads throw {@link PageFault} for bad pointers. */
        AddressSpace memory();

        /**
         * Kallsyms text for an address: {@code name+0xoff/0xsize [mod]} when {@code withOffset},
         * else {@code name [mod]}; {@code 0x...} hex when unknown.
         */
        String symbolize(long address, boolean withOffset);

        /** The value {@code %p} prints for a pointer (the kernel hashes it with a boot-time key). */
        long hashPointer(long pointer);

        /** A {@link VaList} reading a guest {@code va_list} (the SysV struct at {@code vaListPointer}). */
        VaList guestVaList(long vaListPointer);

        /**
         * {@code fwnode_call_ptr_op(fwnode, op)} (include/linux/fwnode.h): calls the node's
         * {@code fwnode->ops->op(fwnode)} ({@code get_name}, {@code get_name_prefix},
         * {@code get_parent}, {@code put}) and returns its result, or 0 when the node is NULL or an
         * error pointer or lacks the operation.
         */
        default long fwnodeOp(String op, long fwnode) {
            return 0;
        }
    }

    // ------------------------------------------------------------------ printf_spec

    private static final int SIGN = 1;
    private static final int LEFT = 2;
    private static final int PLUS = 4;
    private static final int SPACE = 8;
    private static final int ZEROPAD = 16;
    private static final int SMALL = 32;
    private static final int SPECIAL = 64;

    private static final int FORMAT_TYPE_NONE = 0;
    private static final int FORMAT_TYPE_WIDTH = 1;
    private static final int FORMAT_TYPE_PRECISION = 2;
    private static final int FORMAT_TYPE_CHAR = 3;
    private static final int FORMAT_TYPE_STR = 4;
    private static final int FORMAT_TYPE_PTR = 5;
    private static final int FORMAT_TYPE_PERCENT_CHAR = 6;
    private static final int FORMAT_TYPE_INVALID = 7;
    private static final int FORMAT_TYPE_LONG_LONG = 8;
    private static final int FORMAT_TYPE_ULONG = 9;
    private static final int FORMAT_TYPE_LONG = 10;
    private static final int FORMAT_TYPE_UBYTE = 11;
    private static final int FORMAT_TYPE_BYTE = 12;
    private static final int FORMAT_TYPE_USHORT = 13;
    private static final int FORMAT_TYPE_SHORT = 14;
    private static final int FORMAT_TYPE_UINT = 15;
    private static final int FORMAT_TYPE_INT = 16;
    private static final int FORMAT_TYPE_SIZE_T = 17;
    private static final int FORMAT_TYPE_PTRDIFF = 18;

    private static final int FIELD_WIDTH_MAX = (1 << 23) - 1;
    private static final int PRECISION_MAX = (1 << 15) - 1;
    private static final long PAGE_SIZE = 4096;
    private static final long MAX_ERRNO = 4095;

    /** struct printf_spec; the C code passes it by value, so helpers that change it copy it first. */
    private static final class Spec {
        int type;
        int fieldWidth;
        int flags;
        int base;
        int precision;

        Spec(int fieldWidth, int flags, int base, int precision) {
            this.fieldWidth = fieldWidth;
            this.flags = flags;
            this.base = base;
            this.precision = precision;
        }

        Spec copy() {
            Spec s = new Spec(fieldWidth, flags, base, precision);
            s.type = type;
            return s;
        }
    }

    /** The signed 24-bit {@code field_width} bit-field. */
    private static int wrap24(int v) {
        return (v << 8) >> 8;
    }

    // ------------------------------------------------------------------ ctype

    private static final int CT_U = 0x01;
    private static final int CT_L = 0x02;
    private static final int CT_D = 0x04;
    private static final int CT_C = 0x08;
    private static final int CT_P = 0x10;
    private static final int CT_S = 0x20;
    private static final int CT_X = 0x40;
    private static final int CT_SP = 0x80;

    /** lib/ctype.c {@code _ctype[]}: ISO 8859-1, so bytes 0xa0..0xff are printable and 0xc0.. alpha. */
    private static final byte[] CTYPE = new byte[256];

    static {
        for (int c = 0; c < 256; c++) {
            int m;
            if (c < 32) {
                m = CT_C | (c >= 9 && c <= 13 ? CT_S : 0);
            } else if (c == 32) {
                m = CT_S | CT_SP;
            } else if (c >= '0' && c <= '9') {
                m = CT_D;
            } else if (c >= 'A' && c <= 'Z') {
                m = CT_U | (c <= 'F' ? CT_X : 0);
            } else if (c >= 'a' && c <= 'z') {
                m = CT_L | (c <= 'f' ? CT_X : 0);
            } else if (c < 127) {
                m = CT_P;
            } else if (c == 127) {
                m = CT_C;
            } else if (c < 160) {
                m = 0;
            } else if (c == 160) {
                m = CT_S | CT_SP;
            } else if (c < 192 || c == 215 || c == 247) {
                m = CT_P;
            } else if (c < 223) {
                m = CT_U;
            } else {
                m = CT_L;
            }
            CTYPE[c] = (byte) m;
        }
    }

    private static boolean isdigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isalnum(int c) {
        return (CTYPE[c & 0xff] & (CT_U | CT_L | CT_D)) != 0;
    }

    private static boolean isalpha(int c) {
        return (CTYPE[c & 0xff] & (CT_U | CT_L)) != 0;
    }

    private static boolean isprint(int c) {
        return (CTYPE[c & 0xff] & (CT_P | CT_U | CT_L | CT_D | CT_SP)) != 0;
    }

    private static boolean isascii(int c) {
        return (c & 0xff) <= 0x7f;
    }

    private static final byte[] HEX_ASC = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEX_ASC_UPPER = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    // ------------------------------------------------------------------ output

    /** The output buffer (an unbounded {@code buf..end}) and what the formatters need. */
    private static final class Out {
        final Env env;
        final AddressSpace mem;
        byte[] b;
        int n;

        Out(Env env, int capacity) {
            this.env = env;
            this.mem = env == null ? null : env.memory();
            this.b = new byte[Math.max(capacity, 16)];
        }

        private void grow(int need) {
            if (need > b.length) {
                b = Arrays.copyOf(b, Math.max(need, b.length * 2));
            }
        }

        void put(int c) {
            if (n == b.length) {
                grow(n + 1);
            }
            b[n++] = (byte) c;
        }

        void put(byte[] src, int off, int len) {
            grow(n + len);
            System.arraycopy(src, off, b, n, len);
            n += len;
        }

        void put(byte[] src) {
            put(src, 0, src.length);
        }

        void repeat(int c, int count) {
            if (count > 0) {
                grow(n + count);
                Arrays.fill(b, n, n + count, (byte) c);
                n += count;
            }
        }

        /** move_right(): shifts the last {@code len} bytes right by {@code spaces}, filling with blanks. */
        void moveRight(int len, int spaces) {
            grow(n + spaces);
            int from = n - len;
            System.arraycopy(b, from, b, from + spaces, len);
            Arrays.fill(b, from, from + spaces, (byte) ' ');
            n += spaces;
        }

        byte[] toArray() {
            return Arrays.copyOf(b, n);
        }
    }

    /** The format characters after {@code %p}, read as the C code does ({@code fmt[i]}, NUL past the end). */
    private static final class Fmt {
        final byte[] f;
        final int pos;
        final int len;

        Fmt(byte[] f, int pos, int len) {
            this.f = f;
            this.pos = pos;
            this.len = len;
        }

        int at(int i) {
            int k = pos + i;
            return k < len ? f[k] & 0xff : 0;
        }

        Fmt skip(int i) {
            return new Fmt(f, pos + i, len);
        }
    }

    // ------------------------------------------------------------------ vsnprintf

    /**
     * vsnprintf() of lib/vsprintf.c: formats {@code fmt} with {@code args} and returns the complete
     * output, without the terminating NUL (its length is what {@code vsnprintf()} returns).
     *
     * <p>The format ends at its first NUL byte (or the array's end); guest strings and objects are
     * read through {@link Env#memory()}, whose {@link PageFault}s propagate as the kernel's oops
     * would.
     */
    public static byte[] format(Env env, byte[] fmt, VaList args) {
        Out o = new Out(env, fmt.length + 32);
        vsnprintf(o, fmt, args);
        return o.toArray();
    }

    private static void vsnprintf(Out o, byte[] fmt, VaList args) {
        int len = 0;
        while (len < fmt.length && fmt[len] != 0) {
            len++;
        }
        Spec spec = new Spec(0, 0, 0, 0);
        int i = 0;
        while (i < len) {
            int old = i;
            int read = formatDecode(fmt, i, len, spec);
            i += read;
            switch (spec.type) {
                case FORMAT_TYPE_NONE -> o.put(fmt, old, read);
                case FORMAT_TYPE_WIDTH -> setFieldWidth(spec, (int) args.next());
                case FORMAT_TYPE_PRECISION -> setPrecision(spec, (int) args.next());
                case FORMAT_TYPE_CHAR -> {
                    if ((spec.flags & LEFT) == 0) {
                        while ((spec.fieldWidth = wrap24(spec.fieldWidth - 1)) > 0) {
                            o.put(' ');
                        }
                    }
                    o.put((byte) args.next());
                    while ((spec.fieldWidth = wrap24(spec.fieldWidth - 1)) > 0) {
                        o.put(' ');
                    }
                }
                case FORMAT_TYPE_STR -> string(o, args.next(), spec.copy());
                case FORMAT_TYPE_PTR -> {
                    pointer(new Fmt(fmt, i, len), o, args.next(), spec.copy());
                    while (i < len && isalnum(fmt[i])) {
                        i++;
                    }
                }
                case FORMAT_TYPE_PERCENT_CHAR -> o.put('%');
                case FORMAT_TYPE_INVALID -> {
                    /* no safe way to go on: the arguments would be out of sync */
                    return;
                }
                default -> {
                    long v = args.next();
                    long num = switch (spec.type) {
                        case FORMAT_TYPE_LONG_LONG, FORMAT_TYPE_ULONG, FORMAT_TYPE_LONG,
                             FORMAT_TYPE_SIZE_T, FORMAT_TYPE_PTRDIFF -> v;
                        case FORMAT_TYPE_UBYTE -> v & 0xff;
                        case FORMAT_TYPE_BYTE -> (byte) v;
                        case FORMAT_TYPE_USHORT -> v & 0xffff;
                        case FORMAT_TYPE_SHORT -> (short) v;
                        case FORMAT_TYPE_INT -> (int) v;
                        default -> v & 0xffffffffL;
                    };
                    number(o, num, spec);
                }
            }
        }
    }

    /** set_field_width(): the value goes through the 24-bit field, clamped when it does not fit. */
    private static void setFieldWidth(Spec spec, int width) {
        spec.fieldWidth = wrap24(width);
        if (spec.fieldWidth != width) {
            spec.fieldWidth = Math.clamp(width, -FIELD_WIDTH_MAX, FIELD_WIDTH_MAX);
        }
    }

    /** set_precision(): the value goes through the 16-bit field, clamped when it does not fit. */
    private static void setPrecision(Spec spec, int prec) {
        spec.precision = (short) prec;
        if (spec.precision != prec) {
            spec.precision = Math.clamp(prec, 0, PRECISION_MAX);
        }
    }

    /**
     * format_decode(): decodes one token starting at {@code start}, returning how many bytes it
     * used; the token's kind is left in {@code spec.type}.
     */
    private static int formatDecode(byte[] fmt, int start, int len, Spec spec) {
        int p = start;
        int stage;
        if (spec.type == FORMAT_TYPE_WIDTH) {
            /* we finished early by reading the field width */
            if (spec.fieldWidth < 0) {
                spec.fieldWidth = wrap24(-spec.fieldWidth);
                spec.flags |= LEFT;
            }
            spec.type = FORMAT_TYPE_NONE;
            stage = 1;
        } else if (spec.type == FORMAT_TYPE_PRECISION) {
            /* we finished early by reading the precision */
            if (spec.precision < 0) {
                spec.precision = 0;
            }
            spec.type = FORMAT_TYPE_NONE;
            stage = 2;
        } else {
            spec.type = FORMAT_TYPE_NONE;
            while (p < len && fmt[p] != '%') {
                p++;
            }
            /* return the current non-format string */
            if (p != start || p >= len) {
                return p - start;
            }
            spec.flags = 0;
            for (boolean found = true; found; ) {
                ++p;
                switch (at(fmt, p, len)) {
                    case '-' -> spec.flags |= LEFT;
                    case '+' -> spec.flags |= PLUS;
                    case ' ' -> spec.flags |= SPACE;
                    case '#' -> spec.flags |= SPECIAL;
                    case '0' -> spec.flags |= ZEROPAD;
                    default -> found = false;
                }
            }
            spec.fieldWidth = -1;
            if (isdigit(at(fmt, p, len))) {
                int v = 0;
                do {
                    v = v * 10 + fmt[p++] - '0';
                } while (isdigit(at(fmt, p, len)));
                spec.fieldWidth = wrap24(v);
            } else if (at(fmt, p, len) == '*') {
                spec.type = FORMAT_TYPE_WIDTH;
                return ++p - start;
            }
            stage = 1;
        }
        if (stage == 1) {
            spec.precision = -1;
            if (at(fmt, p, len) == '.') {
                ++p;
                if (isdigit(at(fmt, p, len))) {
                    int v = 0;
                    do {
                        v = v * 10 + fmt[p++] - '0';
                    } while (isdigit(at(fmt, p, len)));
                    spec.precision = (short) v;
                    if (spec.precision < 0) {
                        spec.precision = 0;
                    }
                } else if (at(fmt, p, len) == '*') {
                    spec.type = FORMAT_TYPE_PRECISION;
                    return ++p - start;
                }
            }
        }
        /* get the conversion qualifier */
        int qualifier = 0;
        int c = at(fmt, p, len);
        if (c == 'h' || (c | 0x20) == 'l' || c == 'z' || c == 't') {
            qualifier = c;
            p++;
            if (qualifier == at(fmt, p, len)) {
                if (qualifier == 'l') {
                    qualifier = 'L';
                    ++p;
                } else if (qualifier == 'h') {
                    qualifier = 'H';
                    ++p;
                }
            }
        }
        spec.base = 10;
        switch (at(fmt, p, len)) {
            case 'c' -> {
                spec.type = FORMAT_TYPE_CHAR;
                return ++p - start;
            }
            case 's' -> {
                spec.type = FORMAT_TYPE_STR;
                return ++p - start;
            }
            case 'p' -> {
                spec.type = FORMAT_TYPE_PTR;
                return ++p - start;
            }
            case '%' -> {
                spec.type = FORMAT_TYPE_PERCENT_CHAR;
                return ++p - start;
            }
            case 'o' -> spec.base = 8;
            case 'x' -> {
                spec.flags |= SMALL;
                spec.base = 16;
            }
            case 'X' -> spec.base = 16;
            case 'd', 'i' -> spec.flags |= SIGN;
            case 'u' -> {
            }
            default -> {
                /* %n and every unknown conversion: WARN_ONCE() and stop */
                spec.type = FORMAT_TYPE_INVALID;
                return p - start;
            }
        }
        int sign = spec.flags & SIGN;
        spec.type = switch (qualifier) {
            case 'L' -> FORMAT_TYPE_LONG_LONG;
            case 'l' -> FORMAT_TYPE_ULONG + sign;
            case 'z' -> FORMAT_TYPE_SIZE_T;
            case 't' -> FORMAT_TYPE_PTRDIFF;
            case 'H' -> FORMAT_TYPE_UBYTE + sign;
            case 'h' -> FORMAT_TYPE_USHORT + sign;
            default -> FORMAT_TYPE_UINT + sign;
        };
        return ++p - start;
    }

    private static int at(byte[] fmt, int p, int len) {
        return p < len ? fmt[p] & 0xff : 0;
    }

    // ------------------------------------------------------------------ number / string

    private static void number(Out o, long num, Spec spec) {
        number(o, num, spec.base, spec.flags, spec.fieldWidth, spec.precision);
    }

    /** number(): an integer with sign, "0x"/"0" prefix, precision and field width handling. */
    private static void number(Out o, long num, int base, int flags, int fieldWidth, int precision) {
        byte[] tmp = new byte[24];
        int locase = flags & SMALL;
        boolean needPfx = (flags & SPECIAL) != 0 && base != 10;
        boolean isZero = num == 0;
        if ((flags & LEFT) != 0) {
            flags &= ~ZEROPAD;
        }
        int sign = 0;
        if ((flags & SIGN) != 0) {
            if (num < 0) {
                sign = '-';
                num = -num;
                fieldWidth--;
            } else if ((flags & PLUS) != 0) {
                sign = '+';
                fieldWidth--;
            } else if ((flags & SPACE) != 0) {
                sign = ' ';
                fieldWidth--;
            }
        }
        if (needPfx) {
            if (base == 16) {
                fieldWidth -= 2;
            } else if (!isZero) {
                fieldWidth--;
            }
        }
        /* generate full string in tmp[], in reverse order */
        int i = 0;
        if (Long.compareUnsigned(num, base) < 0) {
            tmp[i++] = (byte) (HEX_ASC_UPPER[(int) num] | locase);
        } else if (base != 10) {
            int mask = base - 1;
            int shift = base == 16 ? 4 : 3;
            do {
                tmp[i++] = (byte) (HEX_ASC_UPPER[(int) num & mask] | locase);
                num >>>= shift;
            } while (num != 0);
        } else {
            if (num < 0) {
                tmp[i++] = (byte) ('0' + Long.remainderUnsigned(num, 10));
                num = Long.divideUnsigned(num, 10);
            }
            do {
                tmp[i++] = (byte) ('0' + num % 10);
                num /= 10;
            } while (num != 0);
        }
        /* printing 100 using %2d gives "100", not "00" */
        if (i > precision) {
            precision = i;
        }
        /* leading space padding */
        fieldWidth -= precision;
        if ((flags & (ZEROPAD | LEFT)) == 0) {
            while (--fieldWidth >= 0) {
                o.put(' ');
            }
        }
        if (sign != 0) {
            o.put(sign);
        }
        if (needPfx) {
            if (base == 16 || !isZero) {
                o.put('0');
            }
            if (base == 16) {
                o.put('X' | locase);
            }
        }
        /* zero or space padding */
        if ((flags & LEFT) == 0) {
            int c = ' ' + (flags & ZEROPAD);
            while (--fieldWidth >= 0) {
                o.put(c);
            }
        }
        /* hmm even more zero padding? */
        while (i <= --precision) {
            o.put('0');
        }
        while (--i >= 0) {
            o.put(tmp[i]);
        }
        /* trailing space padding */
        while (--fieldWidth >= 0) {
            o.put(' ');
        }
    }

    /** special_hex_number(): {@code 0x} and {@code 2 * size} zero-padded lowercase hex digits. */
    private static void specialHexNumber(Out o, long num, int size) {
        number(o, num, 16, SPECIAL | SMALL | ZEROPAD, 2 + 2 * size, -1);
    }

    /** widen_string(): pads the {@code n} bytes just written to the field width. */
    private static void widenString(Out o, int n, Spec spec) {
        if (n >= spec.fieldWidth) {
            return;
        }
        int spaces = spec.fieldWidth - n;
        if ((spec.flags & LEFT) == 0) {
            o.moveRight(n, spaces);
            return;
        }
        o.repeat(' ', spaces);
    }

    /** string_nocheck() of a host-side string (the kernel's own literals and stack buffers). */
    private static void stringNocheck(Out o, byte[] s, Spec spec) {
        int len = 0;
        int lim = spec.precision;
        for (int k = 0; lim != 0 && k < s.length; k++) {
            lim--;
            if (s[k] == 0) {
                break;
            }
            o.put(s[k]);
            len++;
        }
        widenString(o, len, spec);
    }

    private static void stringNocheck(Out o, String s, Spec spec) {
        stringNocheck(o, s.getBytes(StandardCharsets.UTF_8), spec);
    }

    /** string_nocheck() of a NUL-terminated string in guest memory. */
    private static void guestStringNocheck(Out o, long s, Spec spec) {
        long max = spec.precision < 0 ? Integer.MAX_VALUE - 16 : spec.precision;
        int n = (int) o.mem.strnlen(s, max);
        o.put(readBytes(o.mem, s, n));
        widenString(o, n, spec);
    }

    /**
     * Reads {@code n} guest bytes as the kernel's byte loads would: in one piece when they lie in one
     * region, else byte by byte, so a fault is reported at the first unreadable byte.
     */
    private static byte[] readBytes(AddressSpace mem, long va, int n) {
        if (n == 0) {
            return new byte[0];
        }
        try {
            return mem.read(va, n);
        } catch (PageFault e) {
            byte[] b = new byte[n];
            for (int i = 0; i < n; i++) {
                b[i] = mem.read8(va + i);
            }
            return b;
        }
    }

    /** error_string(): a message limited to 16 characters unless a precision was given. */
    private static void errorString(Out o, String s, Spec spec) {
        if (spec.precision == -1) {
            spec = spec.copy();
            spec.precision = 2 * 8;
        }
        stringNocheck(o, s, spec);
    }

    /** check_pointer_msg(). */
    private static String checkPointerMsg(long ptr) {
        if (ptr == 0) {
            return "(null)";
        }
        if (Long.compareUnsigned(ptr, PAGE_SIZE) < 0 || isErrValue(ptr)) {
            return "(efault)";
        }
        return null;
    }

    /** check_pointer(): true (after printing the message) if {@code ptr} must not be dereferenced. */
    private static boolean checkPointer(Out o, long ptr, Spec spec) {
        String msg = checkPointerMsg(ptr);
        if (msg != null) {
            errorString(o, msg, spec);
            return true;
        }
        return false;
    }

    private static boolean isErrValue(long ptr) {
        return Long.compareUnsigned(ptr, -MAX_ERRNO) >= 0;
    }

    /** string(): {@code %s}. */
    private static void string(Out o, long s, Spec spec) {
        if (checkPointer(o, s, spec)) {
            return;
        }
        guestStringNocheck(o, s, spec);
    }

    // ------------------------------------------------------------------ %p

    /** pointer_string(): the raw value in hex, 16 zero-padded digits by default. */
    private static void pointerString(Out o, long ptr, Spec spec) {
        int flags = spec.flags | SMALL;
        int fw = spec.fieldWidth;
        if (fw == -1) {
            fw = 2 * 8;
            flags |= ZEROPAD;
        }
        number(o, ptr, 16, flags, fw, spec.precision);
    }

    /** ptr_to_id() through default_pointer(): NULL and error pointers as they are, others hashed. */
    private static void defaultPointer(Out o, long ptr, Spec spec) {
        if (ptr == 0 || isErrValue(ptr)) {
            pointerString(o, ptr, spec);
            return;
        }
        /* on 64-bit the kernel keeps the low 32 bits of siphash_1u64(ptr, &ptr_key) */
        long hashval = o.env.hashPointer(ptr) & 0xffffffffL;
        pointerString(o, hashval, spec);
    }

    /** pointer(): the {@code %p} extensions; {@code f} is positioned just after the {@code p}. */
    private static void pointer(Fmt f, Out o, long ptr, Spec spec) {
        switch (f.at(0)) {
            case 'S', 's', 'B' -> symbolString(o, ptr, spec, f);
            case 'R', 'r' -> resourceString(o, ptr, spec, f);
            case 'h' -> hexString(o, ptr, spec, f);
            case 'b' -> {
                if (f.at(1) == 'l') {
                    bitmapListString(o, ptr, spec);
                } else {
                    bitmapString(o, ptr, spec);
                }
            }
            case 'M', 'm' -> macAddressString(o, ptr, spec, f);
            case 'I', 'i' -> ipAddrString(o, ptr, spec, f);
            case 'E' -> escapedString(o, ptr, spec, f);
            case 'U' -> uuidString(o, ptr, spec, f);
            case 'V' -> vaFormat(o, ptr, spec);
            /* restricted_pointer() with kptr_restrict == 0: handled as %p */
            case 'K' -> defaultPointer(o, ptr, spec);
            case 'N' -> netdevBits(o, ptr, spec, f);
            case '4' -> fourccString(o, ptr, spec, f);
            case 'a' -> addressVal(o, ptr, spec, f);
            case 'd' -> dentryName(o, ptr, spec, f);
            case 't' -> timeAndDate(o, ptr, spec, f);
            case 'C' -> clock(o, ptr, spec);
            case 'D' -> fileDentryName(o, ptr, spec, f);
            case 'g' -> bdevName(o, ptr, spec);
            case 'G' -> flagsString(o, ptr, spec, f);
            case 'O' -> deviceNodeString(o, spec, f.skip(1));
            case 'f' -> fwnodeString(o, ptr, spec, f.skip(1));
            /* CONFIG_RUST=n: WARN_ONCE("Please remove %pA from non-Rust code") */
            case 'A' -> errorString(o, "(%pA?)", spec);
            case 'x' -> pointerString(o, ptr, spec);
            case 'e' -> {
                /* %pe with a non-ERR_PTR gets treated as plain %p */
                if (!isErrValue(ptr)) {
                    defaultPointer(o, ptr, spec);
                } else {
                    errPtr(o, ptr, spec);
                }
            }
            case 'u', 'k' -> {
                if (f.at(1) == 's') {
                    string(o, ptr, spec);
                } else {
                    errorString(o, "(einval)", spec);
                }
            }
            default -> defaultPointer(o, ptr, spec);
        }
    }

    /** err_ptr(): {@code %pe} of an ERR_PTR: its errno name, or the number when it has none. */
    private static void errPtr(Out o, long ptr, Spec spec) {
        int err = (int) ptr;
        String sym = ErrName.errname(err);
        if (sym != null) {
            stringNocheck(o, sym, spec);
            return;
        }
        number(o, err, 10, spec.flags | SIGN, spec.fieldWidth, spec.precision);
    }

    /**
     * symbol_string(): {@code %pS %ps %pB} and their R/b variants. {@code [SsB]R} is a no-op on
     * x86 ({@code __builtin_extract_return_addr}); without CONFIG_STACKTRACE_BUILD_ID the b
     * variants print as the plain ones.
     */
    private static void symbolString(Out o, long value, Spec spec, Fmt f) {
        String sym;
        if (f.at(0) == 'B') {
            sym = sprintBacktrace(o.env, value);
        } else if (f.at(0) != 's') {
            sym = o.env.symbolize(value, true);
        } else {
            sym = o.env.symbolize(value, false);
        }
        stringNocheck(o, sym, spec);
    }

    /**
     * sprint_backtrace(): looks up {@code address - 1} (a return address may point just past its
     * caller) and prints the offset of {@code address} itself.
     */
    private static String sprintBacktrace(Env env, long address) {
        String s = env.symbolize(address - 1, true);
        int plus = s.indexOf("+0x");
        int slash = plus < 0 ? -1 : s.indexOf('/', plus);
        if (s.startsWith("0x") || plus <= 0 || slash < 0) {
            /* unknown: __sprint_symbol() prints the unadjusted address */
            return "0x" + Long.toHexString(address);
        }
        long off;
        try {
            off = Long.parseUnsignedLong(s, plus + 3, slash, 16);
        } catch (NumberFormatException e) {
            return s;
        }
        return s.substring(0, plus) + "+0x" + Long.toHexString(off + 1) + s.substring(slash);
    }

    private static final long IORESOURCE_IO = 0x00000100;
    private static final long IORESOURCE_MEM = 0x00000200;
    private static final long IORESOURCE_IRQ = 0x00000400;
    private static final long IORESOURCE_DMA = 0x00000800;
    private static final long IORESOURCE_BUS = 0x00001000;
    private static final long IORESOURCE_PREFETCH = 0x00002000;
    private static final long IORESOURCE_MEM_64 = 0x00100000;
    private static final long IORESOURCE_WINDOW = 0x00200000;
    private static final long IORESOURCE_DISABLED = 0x10000000;
    private static final long IORESOURCE_UNSET = 0x20000000;

    /**
     * resource_string(): {@code %pR} (decoded) and {@code %pr} (raw flags) of a
     * {@code struct resource} {start at 0, end at 8, name at 16, flags at 24}.
     */
    private static void resourceString(Out o, long res, Spec spec, Fmt f) {
        boolean decode = f.at(0) == 'R';
        if (checkPointer(o, res, spec)) {
            return;
        }
        AddressSpace m = o.mem;
        long flags = m.read64(res + 24);
        Out p = new Out(o.env, 80);
        Spec strSpec = new Spec(-1, LEFT, 0, 10);
        /* io_spec, mem_spec, bus_spec, default_dec_spec: {base, flags, field_width} */
        int base;
        int nflags;
        int width;
        p.put('[');
        if ((flags & IORESOURCE_IO) != 0) {
            stringNocheck(p, "io  ", strSpec);
            base = 16;
            nflags = SPECIAL | SMALL | ZEROPAD;
            width = 6;
        } else if ((flags & IORESOURCE_MEM) != 0) {
            stringNocheck(p, "mem ", strSpec);
            base = 16;
            nflags = SPECIAL | SMALL | ZEROPAD;
            width = 10;
        } else if ((flags & IORESOURCE_IRQ) != 0) {
            stringNocheck(p, "irq ", strSpec);
            base = 10;
            nflags = 0;
            width = 0;
        } else if ((flags & IORESOURCE_DMA) != 0) {
            stringNocheck(p, "dma ", strSpec);
            base = 10;
            nflags = 0;
            width = 0;
        } else if ((flags & IORESOURCE_BUS) != 0) {
            stringNocheck(p, "bus ", strSpec);
            base = 16;
            nflags = SMALL | ZEROPAD;
            width = 2;
        } else {
            stringNocheck(p, "??? ", strSpec);
            base = 16;
            nflags = SPECIAL | SMALL | ZEROPAD;
            width = 10;
            decode = false;
        }
        if (decode && (flags & IORESOURCE_UNSET) != 0) {
            stringNocheck(p, "size ", strSpec);
            long size = m.read64(res + 8) - m.read64(res) + 1;
            number(p, size, base, nflags, width, -1);
        } else {
            long start = m.read64(res);
            long end = m.read64(res + 8);
            number(p, start, base, nflags, width, -1);
            if (start != end) {
                p.put('-');
                number(p, end, base, nflags, width, -1);
            }
        }
        if (decode) {
            if ((flags & IORESOURCE_MEM_64) != 0) {
                stringNocheck(p, " 64bit", strSpec);
            }
            if ((flags & IORESOURCE_PREFETCH) != 0) {
                stringNocheck(p, " pref", strSpec);
            }
            if ((flags & IORESOURCE_WINDOW) != 0) {
                stringNocheck(p, " window", strSpec);
            }
            if ((flags & IORESOURCE_DISABLED) != 0) {
                stringNocheck(p, " disabled", strSpec);
            }
        } else {
            stringNocheck(p, " flags ", strSpec);
            number(p, flags, 16, SPECIAL | SMALL, 0, -1);
        }
        p.put(']');
        stringNocheck(o, p.toArray(), spec);
    }

    /** hex_string(): {@code %*ph[CDN]}, up to 64 bytes (the field width) as hex. */
    private static void hexString(Out o, long addr, Spec spec, Fmt f) {
        if (spec.fieldWidth == 0) {
            return;
        }
        if (checkPointer(o, addr, spec)) {
            return;
        }
        int separator = switch (f.at(1)) {
            case 'C' -> ':';
            case 'D' -> '-';
            case 'N' -> 0;
            default -> ' ';
        };
        int len = spec.fieldWidth > 0 ? Math.min(spec.fieldWidth, 64) : 1;
        byte[] bytes = readBytes(o.mem, addr, len);
        for (int i = 0; i < len; ++i) {
            o.put(HEX_ASC[(bytes[i] >> 4) & 0xf]);
            o.put(HEX_ASC[bytes[i] & 0xf]);
            if (separator != 0 && i != len - 1) {
                o.put(separator);
            }
        }
    }

    /** bitmap_string(): {@code %*pb}, 32-bit hex chunks, most significant first. */
    private static void bitmapString(Out o, long bitmap, Spec spec) {
        final int chunkSize = 32;
        int nrBits = Math.max(spec.fieldWidth, 0);
        if (checkPointer(o, bitmap, spec)) {
            return;
        }
        int chunksz = nrBits & (chunkSize - 1);
        if (chunksz == 0) {
            chunksz = chunkSize;
        }
        boolean first = true;
        for (int i = ((nrBits + chunkSize - 1) & -chunkSize) - chunkSize; i >= 0; i -= chunkSize) {
            long chunkmask = (1L << chunksz) - 1;
            int word = i / 64;
            int bit = i % 64;
            long val = (o.mem.read64(bitmap + 8L * word) >>> bit) & chunkmask;
            if (!first) {
                o.put(',');
            }
            first = false;
            number(o, val, 16, SMALL | ZEROPAD, (chunksz + 3) / 4, 0);
            chunksz = chunkSize;
        }
    }

    /** bitmap_list_string(): {@code %*pbl}, ranges of set bits like {@code 0-2,8}. */
    private static void bitmapListString(Out o, long bitmap, Spec spec) {
        int nrBits = Math.max(spec.fieldWidth, 0);
        if (checkPointer(o, bitmap, spec)) {
            return;
        }
        Bits bits = new Bits(o.mem, bitmap, nrBits);
        boolean first = true;
        for (int rbot = 0; ; ) {
            rbot = bits.next(rbot, true);
            int rtop = bits.next(rbot + 1, false);
            if (rbot >= nrBits) {
                break;
            }
            if (!first) {
                o.put(',');
            }
            first = false;
            number(o, rbot, 10, 0, 0, -1);
            if (rtop != rbot + 1) {
                o.put('-');
                number(o, rtop - 1, 10, 0, 0, -1);
            }
            rbot = rtop + 1;
        }
    }

    /** find_next_bit() / find_next_zero_bit() over a guest bitmap of {@code size} bits. */
    private static final class Bits {
        final AddressSpace mem;
        final long addr;
        final int size;
        int cachedWord = -1;
        long cached;

        Bits(AddressSpace mem, long addr, int size) {
            this.mem = mem;
            this.addr = addr;
            this.size = size;
        }

        int next(int from, boolean set) {
            for (int i = from; i < size; i++) {
                int w = i >>> 6;
                if (w != cachedWord) {
                    cached = mem.read64(addr + 8L * w);
                    cachedWord = w;
                }
                if (((cached >>> (i & 63)) & 1) == (set ? 1 : 0)) {
                    return i;
                }
            }
            return size;
        }
    }

    /** mac_address_string(): {@code %pM %pMR %pMF %pm %pmR}. */
    private static void macAddressString(Out o, long addr, Spec spec, Fmt f) {
        if (checkPointer(o, addr, spec)) {
            return;
        }
        int separator;
        boolean reversed = false;
        switch (f.at(1)) {
            case 'F' -> separator = '-';
            case 'R' -> {
                reversed = true;
                separator = ':';
            }
            default -> separator = ':';
        }
        byte[] a = readBytes(o.mem, addr, 6);
        Out p = new Out(o.env, 18);
        for (int i = 0; i < 6; i++) {
            hexBytePack(p, reversed ? a[5 - i] : a[i]);
            if (f.at(0) == 'M' && i != 5) {
                p.put(separator);
            }
        }
        stringNocheck(o, p.toArray(), spec);
    }

    private static void hexBytePack(Out p, int b) {
        p.put(HEX_ASC[(b >> 4) & 0xf]);
        p.put(HEX_ASC[b & 0xf]);
    }

    private static void hexBytePackUpper(Out p, int b) {
        p.put(HEX_ASC_UPPER[(b >> 4) & 0xf]);
        p.put(HEX_ASC_UPPER[b & 0xf]);
    }

    /** ip4_string(): {@code fmt0} is 'I' or 'i' (leading zeros), {@code order} is h/l/n/b or other. */
    private static void ip4String(Out p, byte[] addr, int off, int fmt0, int order) {
        boolean leadingZeros = fmt0 == 'i';
        int index;
        int step;
        if (order == 'h' || order == 'l') {
            /* 'h' is host order: little-endian on x86 */
            index = 3;
            step = -1;
        } else {
            index = 0;
            step = 1;
        }
        for (int i = 0; i < 4; i++) {
            int v = addr[off + index] & 0xff;
            int digits = v >= 100 ? 3 : v >= 10 ? 2 : 1;
            if (leadingZeros) {
                if (digits < 3) {
                    p.put('0');
                }
                if (digits < 2) {
                    p.put('0');
                }
            }
            if (v >= 100) {
                p.put('0' + v / 100);
            }
            if (v >= 10) {
                p.put('0' + v / 10 % 10);
            }
            p.put('0' + v % 10);
            if (i < 3) {
                p.put('.');
            }
            index += step;
        }
    }

    private static int s6Word(byte[] a, int i) {
        return ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
    }

    /** ip6_compressed_string(): RFC 5952 form, with a dotted quad for v4-mapped and ISATAP. */
    private static void ip6CompressedString(Out p, byte[] a) {
        boolean v4mapped = s6Word(a, 0) == 0 && s6Word(a, 1) == 0 && s6Word(a, 2) == 0
                && s6Word(a, 3) == 0 && s6Word(a, 4) == 0 && s6Word(a, 5) == 0xffff;
        boolean isatap = ((a[8] & 0xff) | 0x02) == 0x02 && a[9] == 0 && (a[10] & 0xff) == 0x5e
                && (a[11] & 0xff) == 0xfe;
        boolean useIPv4 = v4mapped || isatap;
        int range = useIPv4 ? 6 : 8;
        int[] zerolength = new int[8];
        /* find position of longest 0 run */
        for (int i = 0; i < range; i++) {
            for (int j = i; j < range; j++) {
                if (s6Word(a, j) != 0) {
                    break;
                }
                zerolength[i]++;
            }
        }
        int longest = 1;
        int colonpos = -1;
        for (int i = 0; i < range; i++) {
            if (zerolength[i] > longest) {
                longest = zerolength[i];
                colonpos = i;
            }
        }
        if (longest == 1) {
            colonpos = -1;
        }
        boolean needcolon = false;
        for (int i = 0; i < range; i++) {
            if (i == colonpos) {
                if (needcolon || i == 0) {
                    p.put(':');
                }
                p.put(':');
                needcolon = false;
                i += longest - 1;
                continue;
            }
            if (needcolon) {
                p.put(':');
                needcolon = false;
            }
            /* hex u16 without leading 0s */
            int word = s6Word(a, i);
            int hi = word >> 8;
            int lo = word & 0xff;
            if (hi != 0) {
                if (hi > 0x0f) {
                    hexBytePack(p, hi);
                } else {
                    p.put(HEX_ASC[hi & 0xf]);
                }
                hexBytePack(p, lo);
            } else if (lo > 0x0f) {
                hexBytePack(p, lo);
            } else {
                p.put(HEX_ASC[lo & 0xf]);
            }
            needcolon = true;
        }
        if (useIPv4) {
            if (needcolon) {
                p.put(':');
            }
            ip4String(p, a, 12, 'I', 0);
        }
    }

    /** ip6_string(): eight 4-digit groups, colon separated for 'I', contiguous for 'i'. */
    private static void ip6String(Out p, byte[] a, int fmt0) {
        for (int i = 0; i < 8; i++) {
            hexBytePack(p, a[2 * i]);
            hexBytePack(p, a[2 * i + 1]);
            if (fmt0 == 'I' && i != 7) {
                p.put(':');
            }
        }
    }

    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;

    /** ip_addr_string(): {@code %pI4 %pi4 %pI6 %pi6 %pI6c %pIS...}. */
    private static void ipAddrString(Out o, long ptr, Spec spec, Fmt f) {
        if (checkPointer(o, ptr, spec)) {
            return;
        }
        AddressSpace m = o.mem;
        switch (f.at(1)) {
            case '6' -> {
                byte[] a = readBytes(m, ptr, 16);
                Out p = new Out(o.env, 48);
                if (f.at(0) == 'I' && f.at(2) == 'c') {
                    ip6CompressedString(p, a);
                } else {
                    ip6String(p, a, f.at(0));
                }
                stringNocheck(o, p.toArray(), spec);
                return;
            }
            case '4' -> {
                byte[] a = readBytes(m, ptr, 4);
                Out p = new Out(o.env, 16);
                ip4String(p, a, 0, f.at(0), f.at(2));
                stringNocheck(o, p.toArray(), spec);
                return;
            }
            case 'S' -> {
                int family = m.read16(ptr) & 0xffff;
                switch (family) {
                    case AF_INET -> ip4AddrStringSa(o, ptr, spec, f);
                    case AF_INET6 -> ip6AddrStringSa(o, ptr, spec, f);
                    default -> errorString(o, "(einval)", spec);
                }
                return;
            }
            default -> {
            }
        }
        errorString(o, f.at(0) == 'i' ? "(%pi?)" : "(%pI?)", spec);
    }

    /**
     * ip6_addr_string_sa(): {@code sockaddr_in6} with [p]ort, [f]lowinfo, [s]cope and [c]ompressed.
     * The numbers use the conversion's own spec, as in the kernel; the result is bounded by the
     * kernel's stack buffer.
     */
    private static void ip6AddrStringSa(Out o, long sa, Spec spec, Fmt f) {
        boolean haveP = false;
        boolean haveS = false;
        boolean haveF = false;
        boolean haveC = false;
        for (int k = 2; isalpha(f.at(k)); k++) {
            switch (f.at(k)) {
                case 'p' -> haveP = true;
                case 'f' -> haveF = true;
                case 's' -> haveS = true;
                case 'c' -> haveC = true;
                default -> {
                }
            }
        }
        AddressSpace m = o.mem;
        byte[] addr = readBytes(m, sa + 8, 16);
        Out p = new Out(o.env, 80);
        boolean bracket = haveP || haveS || haveF;
        if (bracket) {
            p.put('[');
        }
        if (f.at(0) == 'I' && haveC) {
            ip6CompressedString(p, addr);
        } else {
            ip6String(p, addr, f.at(0));
        }
        if (bracket) {
            p.put(']');
        }
        if (haveP) {
            p.put(':');
            number(p, Short.toUnsignedLong(Short.reverseBytes(m.read16(sa + 2))), spec);
        }
        if (haveF) {
            p.put('/');
            number(p, Integer.toUnsignedLong(Integer.reverseBytes(m.read32(sa + 4))) & 0x0fffffffL, spec);
        }
        if (haveS) {
            p.put('%');
            number(p, Integer.toUnsignedLong(m.read32(sa + 24)), spec);
        }
        /* char ip6_addr[sizeof("[xxxx:...:255.255.255.255]") + sizeof(":12345") + ...] */
        stringNocheck(o, Arrays.copyOf(p.b, Math.min(p.n, 48 + 7 + 11 + 12 - 1)), spec);
    }

    /** ip4_addr_string_sa(): {@code sockaddr_in} with [p]ort and byte order h/l/n/b. */
    private static void ip4AddrStringSa(Out o, long sa, Spec spec, Fmt f) {
        boolean haveP = false;
        int order = 0;
        for (int k = 2; isalpha(f.at(k)); k++) {
            switch (f.at(k)) {
                case 'p' -> haveP = true;
                case 'h', 'l', 'n', 'b' -> order = f.at(k);
                default -> {
                }
            }
        }
        AddressSpace m = o.mem;
        byte[] addr = readBytes(m, sa + 4, 4);
        Out p = new Out(o.env, 24);
        ip4String(p, addr, 0, f.at(0), order);
        if (haveP) {
            p.put(':');
            number(p, Short.toUnsignedLong(Short.reverseBytes(m.read16(sa + 2))), spec);
        }
        /* char ip4_addr[sizeof("255.255.255.255") + sizeof(":12345")] */
        stringNocheck(o, Arrays.copyOf(p.b, Math.min(p.n, 16 + 7 - 1)), spec);
    }

    private static final int ESCAPE_SPACE = 1;
    private static final int ESCAPE_SPECIAL = 2;
    private static final int ESCAPE_NULL = 4;
    private static final int ESCAPE_OCTAL = 8;
    private static final int ESCAPE_ANY = ESCAPE_SPACE | ESCAPE_OCTAL | ESCAPE_SPECIAL | ESCAPE_NULL;
    private static final int ESCAPE_NP = 16;
    private static final int ESCAPE_ANY_NP = ESCAPE_ANY | ESCAPE_NP;
    private static final int ESCAPE_HEX = 32;

    /** escaped_string(): {@code %*pE[achnops]}; the field width is the buffer length (1 if none). */
    private static void escapedString(Out o, long addr, Spec spec, Fmt f) {
        if (spec.fieldWidth == 0) {
            return;
        }
        if (checkPointer(o, addr, spec)) {
            return;
        }
        int flags = 0;
        for (int count = 1; ; count++) {
            int bit = switch (f.at(count)) {
                case 'a' -> ESCAPE_ANY;
                case 'c' -> ESCAPE_SPECIAL;
                case 'h' -> ESCAPE_HEX;
                case 'n' -> ESCAPE_NULL;
                case 'o' -> ESCAPE_OCTAL;
                case 'p' -> ESCAPE_NP;
                case 's' -> ESCAPE_SPACE;
                default -> 0;
            };
            if (bit == 0) {
                break;
            }
            flags |= bit;
        }
        if (flags == 0) {
            flags = ESCAPE_ANY_NP;
        }
        int len = spec.fieldWidth < 0 ? 1 : spec.fieldWidth;
        stringEscapeMem(o, readBytes(o.mem, addr, len), flags);
    }

    /** string_escape_mem() of lib/string_helpers.c with {@code only == NULL}. */
    private static void stringEscapeMem(Out o, byte[] src, int flags) {
        for (byte sb : src) {
            int c = sb & 0xff;
            if (isprint(c) && (flags & ESCAPE_NP) != 0) {
                o.put(c);
                continue;
            }
            if ((flags & ESCAPE_SPACE) != 0) {
                int to = switch (c) {
                    case '\n' -> 'n';
                    case '\r' -> 'r';
                    case '\t' -> 't';
                    case 0x0b -> 'v';
                    case '\f' -> 'f';
                    default -> 0;
                };
                if (to != 0) {
                    o.put('\\');
                    o.put(to);
                    continue;
                }
            }
            if ((flags & ESCAPE_SPECIAL) != 0) {
                int to = switch (c) {
                    case '\\' -> '\\';
                    case 0x07 -> 'a';
                    case 0x1b -> 'e';
                    case '"' -> '"';
                    default -> 0;
                };
                if (to != 0) {
                    o.put('\\');
                    o.put(to);
                    continue;
                }
            }
            if ((flags & ESCAPE_NULL) != 0 && c == 0) {
                o.put('\\');
                o.put('0');
                continue;
            }
            if ((flags & ESCAPE_OCTAL) != 0) {
                o.put('\\');
                o.put('0' + ((c >> 6) & 7));
                o.put('0' + ((c >> 3) & 7));
                o.put('0' + (c & 7));
                continue;
            }
            if ((flags & ESCAPE_HEX) != 0) {
                o.put('\\');
                o.put('x');
                o.put(HEX_ASC[c >> 4]);
                o.put(HEX_ASC[c & 0xf]);
                continue;
            }
            o.put(c);
        }
    }

    /** va_format(): {@code %pV} of a {@code struct va_format {const char *fmt; va_list *va;}}. */
    private static void vaFormat(Out o, long vaFmt, Spec spec) {
        if (checkPointer(o, vaFmt, spec)) {
            return;
        }
        long fmtPtr = o.mem.read64(vaFmt);
        long vaPtr = o.mem.read64(vaFmt + 8);
        byte[] inner = readBytes(o.mem, fmtPtr, (int) o.mem.strnlen(fmtPtr, Integer.MAX_VALUE - 16));
        vsnprintf(o, inner, o.env.guestVaList(vaPtr));
    }

    private static final byte[] UUID_INDEX = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    private static final byte[] GUID_INDEX = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};

    /** uuid_string(): {@code %pU[bBlL]}. */
    private static void uuidString(Out o, long addr, Spec spec, Fmt f) {
        if (checkPointer(o, addr, spec)) {
            return;
        }
        byte[] index = UUID_INDEX;
        boolean uc = false;
        switch (f.at(1)) {
            case 'L' -> {
                uc = true;
                index = GUID_INDEX;
            }
            case 'l' -> index = GUID_INDEX;
            case 'B' -> uc = true;
            default -> {
            }
        }
        byte[] a = readBytes(o.mem, addr, 16);
        Out p = new Out(o.env, 36);
        for (int i = 0; i < 16; i++) {
            if (uc) {
                hexBytePackUpper(p, a[index[i]]);
            } else {
                hexBytePack(p, a[index[i]]);
            }
            if (i == 3 || i == 5 || i == 7 || i == 9) {
                p.put('-');
            }
        }
        stringNocheck(o, p.toArray(), spec);
    }

    /** netdev_bits(): {@code %pNF}, a {@code netdev_features_t} as 0x%016llx. */
    private static void netdevBits(Out o, long addr, Spec spec, Fmt f) {
        if (checkPointer(o, addr, spec)) {
            return;
        }
        if (f.at(1) != 'F') {
            errorString(o, "(%pN?)", spec);
            return;
        }
        specialHexNumber(o, o.mem.read64(addr), 8);
    }

    /** fourcc_string(): {@code %p4cc}. */
    private static void fourccString(Out o, long addr, Spec spec, Fmt f) {
        if (f.at(1) != 'c' || f.at(2) != 'c') {
            errorString(o, "(%p4?)", spec);
            return;
        }
        if (checkPointer(o, addr, spec)) {
            return;
        }
        long orig = Integer.toUnsignedLong(o.mem.read32(addr));
        long val = orig & ~(1L << 31);
        Out p = new Out(o.env, 32);
        for (int i = 0; i < 4; i++) {
            int c = (int) (val >> (i * 8)) & 0xff;
            /* print non-control ASCII characters as-is, dot otherwise */
            p.put(isascii(c) && isprint(c) ? c : '.');
        }
        p.put(' ');
        p.put(((orig & (1L << 31)) != 0 ? "big-endian" : "little-endian").getBytes(StandardCharsets.US_ASCII));
        p.put(' ');
        p.put('(');
        specialHexNumber(p, orig, 4);
        p.put(')');
        stringNocheck(o, p.toArray(), spec);
    }

    /** address_val(): {@code %pa[p]} (phys_addr_t) and {@code %pad} (dma_addr_t), both 64-bit here. */
    private static void addressVal(Out o, long addr, Spec spec, Fmt f) {
        if (checkPointer(o, addr, spec)) {
            return;
        }
        specialHexNumber(o, o.mem.read64(addr), 8);
    }

    private static final long DENTRY_D_PARENT = 24;
    private static final long DENTRY_D_NAME_NAME = 40;
    private static final long FILE_F_PATH_DENTRY = 24;
    private static final long BDEV_BD_PARTNO = 848;
    private static final long BDEV_BD_DISK = 856;
    private static final long GENDISK_DISK_NAME = 12;

    /** dentry_name(): {@code %pd[234]}, the last 1-4 path components of a dentry. */
    private static void dentryName(Out o, long d, Spec spec, Fmt f) {
        int c1 = f.at(1);
        int depth = c1 >= '2' && c1 <= '4' ? c1 - '0' : 1;
        AddressSpace m = o.mem;
        long[] array = new long[4];
        /* the kernel's "" for the root when more than one component was asked for */
        boolean[] empty = new boolean[4];
        int i;
        for (i = 0; i < depth; i++) {
            if (checkPointer(o, d, spec)) {
                return;
            }
            long p = m.read64(d + DENTRY_D_PARENT);
            array[i] = m.read64(d + DENTRY_D_NAME_NAME);
            if (p == d) {
                empty[i] = i != 0;
                i++;
                break;
            }
            d = p;
        }
        long s = array[--i];
        boolean atEmpty = empty[i];
        int n;
        for (n = 0; n != spec.precision; n++) {
            int c = atEmpty ? 0 : m.read8(s++) & 0xff;
            if (c == 0) {
                if (i == 0) {
                    break;
                }
                c = '/';
                s = array[--i];
                atEmpty = empty[i];
            }
            o.put(c);
        }
        widenString(o, n, spec);
    }

    /** file_dentry_name(): {@code %pD[234]} of a {@code struct file}. */
    private static void fileDentryName(Out o, long file, Spec spec, Fmt f) {
        if (checkPointer(o, file, spec)) {
            return;
        }
        dentryName(o, o.mem.read64(file + FILE_F_PATH_DENTRY), spec, f);
    }

    /** bdev_name(): {@code %pg}, the disk name plus the partition number. */
    private static void bdevName(Out o, long bdev, Spec spec) {
        if (checkPointer(o, bdev, spec)) {
            return;
        }
        AddressSpace m = o.mem;
        long hd = m.read64(bdev + BDEV_BD_DISK);
        long diskName = hd + GENDISK_DISK_NAME;
        string(o, diskName, spec);
        int partno = m.read8(bdev + BDEV_BD_PARTNO) & 0xff;
        if (partno != 0) {
            long len = m.strnlen(diskName, Integer.MAX_VALUE);
            if (isdigit(m.read8(diskName + len - 1))) {
                o.put('p');
            }
            number(o, partno, spec);
        }
    }

    /** time_and_date(): {@code %pt[RT][dt][r][s]}. */
    private static void timeAndDate(Out o, long ptr, Spec spec, Fmt f) {
        if (checkPointer(o, ptr, spec)) {
            return;
        }
        switch (f.at(1)) {
            case 'R' -> {
                /* struct rtc_time: tm_sec, tm_min, tm_hour, tm_mday, tm_mon, tm_year (ints) */
                int[] tm = new int[6];
                for (int k = 0; k < 6; k++) {
                    tm[k] = o.mem.read32(ptr + 4L * k);
                }
                rtcStr(o, tm, f);
            }
            case 'T' -> rtcStr(o, time64ToTm(o.mem.read64(ptr)), f);
            default -> errorString(o, "(%pt?)", spec);
        }
    }

    /** rtc_str(): {@code tm} is {sec, min, hour, mday, mon, year} as in struct rtc_time. */
    private static void rtcStr(Out o, int[] tm, Fmt f) {
        boolean haveT = true;
        boolean haveD = true;
        boolean raw = false;
        boolean iso8601Separator = true;
        int count = 2;
        switch (f.at(count)) {
            case 'd' -> {
                haveT = false;
                count++;
            }
            case 't' -> {
                haveD = false;
                count++;
            }
            default -> {
            }
        }
        for (boolean found = true; found; count++) {
            switch (f.at(count)) {
                case 'r' -> raw = true;
                case 's' -> iso8601Separator = false;
                default -> found = false;
            }
        }
        if (haveD) {
            /* date_str(); the values are ints passed to number() without SIGN */
            int year = tm[5] + (raw ? 0 : 1900);
            int mon = tm[4] + (raw ? 0 : 1);
            number(o, year, 10, ZEROPAD, 4, -1);
            o.put('-');
            number(o, mon, 10, ZEROPAD, 2, -1);
            o.put('-');
            number(o, tm[3], 10, ZEROPAD, 2, -1);
        }
        if (haveD && haveT) {
            o.put(iso8601Separator ? 'T' : ' ');
        }
        if (haveT) {
            /* time_str() */
            number(o, tm[2], 10, ZEROPAD, 2, -1);
            o.put(':');
            number(o, tm[1], 10, ZEROPAD, 2, -1);
            o.put(':');
            number(o, tm[0], 10, ZEROPAD, 2, -1);
        }
    }

    /** time64_to_tm() of kernel/time/timeconv.c with offset 0: {sec, min, hour, mday, mon, year}. */
    static int[] time64ToTm(long totalsecs) {
        final long secsPerDay = 86400;
        long days = totalsecs / secsPerDay;
        long rem = totalsecs % secsPerDay;
        while (rem < 0) {
            rem += secsPerDay;
            --days;
        }
        while (rem >= secsPerDay) {
            rem -= secsPerDay;
            ++days;
        }
        int hour = (int) (rem / 3600);
        rem %= 3600;
        int min = (int) (rem / 60);
        int sec = (int) (rem % 60);

        long udays = days + 2305843009213814918L;
        long u64tmp = 4 * udays + 3;
        long century = Long.divideUnsigned(u64tmp, 146097);
        u64tmp = Long.remainderUnsigned(u64tmp, 146097);
        long dayOfCentury = (u64tmp / 4) & 0xffffffffL;
        long u32tmp = (4 * dayOfCentury + 3) & 0xffffffffL;
        u64tmp = 2939745L * u32tmp;
        long yearOfCentury = u64tmp >>> 32;
        long dayOfYear = (u64tmp & 0xffffffffL) / 2939745 / 4;
        long year = 100 * century + yearOfCentury;
        u32tmp = (2141 * dayOfYear + 132377) & 0xffffffffL;
        long month = u32tmp >>> 16;
        long day = (u32tmp & 0xffff) / 2141;
        boolean isJanOrFeb = dayOfYear >= 306;
        year = year + (isJanOrFeb ? 1 : 0) - 6313183731940000L;
        month = isJanOrFeb ? month - 12 : month;
        day = day + 1;
        /* tm_year is a long assigned to rtc_time's int */
        return new int[] {sec, min, hour, (int) day, (int) month, (int) (year - 1900)};
    }

    /** clock(): {@code %pC[n]}; with the common clock framework, {@code clk->core->name}. */
    private static void clock(Out o, long clk, Spec spec) {
        if (checkPointer(o, clk, spec)) {
            return;
        }
        long core = o.mem.read64(clk);
        string(o, o.mem.read64(core), spec);
    }

    // ------------------------------------------------------------------ %pG

    private static final String[] PAGEFLAG_NAMES = {
        "locked", "waiters", "error", "referenced", "uptodate", "dirty", "lru", "active", "workingset",
        "slab", "owner_priv_1", "arch_1", "reserved", "private", "private_2", "writeback", "head",
        "mappedtodisk", "reclaim", "swapbacked", "unevictable", "mlocked", "uncached", "hwpoison", "arch_2",
    };
    /** The PG_* bit of each {@link #PAGEFLAG_NAMES} entry (enum pageflags for Debian amd64). */
    private static final int[] PAGEFLAG_BITS = {
        0, 7, 8, 1, 2, 3, 4, 5, 6, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
    };
    private static final long[] PAGEFLAG_MASKS = new long[PAGEFLAG_BITS.length];

    static {
        for (int i = 0; i < PAGEFLAG_BITS.length; i++) {
            PAGEFLAG_MASKS[i] = 1L << PAGEFLAG_BITS[i];
        }
    }

    /** NR_PAGEFLAGS == 25. */
    private static final long PAGEFLAGS_MASK = (1L << 25) - 1;

    /** pff[]: {width, shift, mask, hex?}; SECTIONS and KASAN_TAG have width 0 (vmemmap, no KASAN). */
    private static final String[] PFF_NAMES = {"node", "zone", "lastcpupid"};
    private static final int[] PFF_SHIFT = {54, 51, 30};
    private static final long[] PFF_MASK = {1023, 7, 0x1fffff};
    private static final boolean[] PFF_HEX = {false, false, true};

    /** __def_gfpflag_names of include/trace/events/mmflags.h, most bits first. */
    private static final String[] GFPFLAG_NAMES = {
        "GFP_TRANSHUGE", "GFP_TRANSHUGE_LIGHT", "GFP_HIGHUSER_MOVABLE", "GFP_HIGHUSER", "GFP_USER",
        "GFP_KERNEL_ACCOUNT", "GFP_KERNEL", "GFP_NOFS", "GFP_ATOMIC", "GFP_NOIO", "GFP_NOWAIT", "GFP_DMA",
        "__GFP_HIGHMEM", "GFP_DMA32", "__GFP_HIGH", "__GFP_ATOMIC", "__GFP_IO", "__GFP_FS", "__GFP_NOWARN",
        "__GFP_RETRY_MAYFAIL", "__GFP_NOFAIL", "__GFP_NORETRY", "__GFP_COMP", "__GFP_ZERO",
        "__GFP_NOMEMALLOC", "__GFP_MEMALLOC", "__GFP_HARDWALL", "__GFP_THISNODE", "__GFP_RECLAIMABLE",
        "__GFP_MOVABLE", "__GFP_ACCOUNT", "__GFP_WRITE", "__GFP_RECLAIM", "__GFP_DIRECT_RECLAIM",
        "__GFP_KSWAPD_RECLAIM", "__GFP_ZEROTAGS",
    };
    private static final long[] GFPFLAG_MASKS = {
        0x1c24ca, 0x1c20ca, 0x100cca, 0x100cc2, 0x100cc0,
        0x400cc0, 0xcc0, 0xc40, 0xa20, 0xc00, 0x800, 0x1,
        0x2, 0x4, 0x20, 0x200, 0x40, 0x80, 0x2000,
        0x4000, 0x8000, 0x10000, 0x40000, 0x100,
        0x80000, 0x20000, 0x100000, 0x200000, 0x10,
        0x8, 0x400000, 0x1000, 0xc00, 0x400,
        0x800, 0x800000,
    };

    /** __def_vmaflag_names (x86: "pat"; soft-dirty and uffd_minor configured). */
    private static final String[] VMAFLAG_NAMES = {
        "read", "write", "exec", "shared", "mayread", "maywrite", "mayexec", "mayshare", "growsdown",
        "uffd_missing", "uffd_minor", "pfnmap", "uffd_wp", "locked", "io", "seqread", "randread",
        "dontcopy", "dontexpand", "lockonfault", "account", "noreserve", "hugetlb", "sync", "pat",
        "wipeonfork", "dontdump", "softdirty", "mixedmap", "hugepage", "nohugepage", "mergeable",
    };
    private static final long[] VMAFLAG_MASKS = {
        0x1, 0x2, 0x4, 0x8, 0x10, 0x20, 0x40, 0x80, 0x100,
        0x200, 0x2000000000L, 0x400, 0x1000, 0x2000, 0x4000, 0x8000, 0x10000,
        0x20000, 0x40000, 0x80000, 0x100000, 0x200000, 0x400000, 0x800000, 0x1000000,
        0x2000000, 0x4000000, 0x8000000, 0x10000000, 0x20000000, 0x40000000, 0x80000000L,
    };

    /** flags_string(): {@code %pGp} (page flags), {@code %pGg} (gfp_t), {@code %pGv} (vma flags). */
    private static void flagsString(Out o, long ptr, Spec spec, Fmt f) {
        if (checkPointer(o, ptr, spec)) {
            return;
        }
        switch (f.at(1)) {
            case 'p' -> formatPageFlags(o, o.mem.read64(ptr));
            case 'v' -> formatFlags(o, o.mem.read64(ptr), VMAFLAG_MASKS, VMAFLAG_NAMES);
            case 'g' -> formatFlags(o, Integer.toUnsignedLong(o.mem.read32(ptr)), GFPFLAG_MASKS, GFPFLAG_NAMES);
            default -> errorString(o, "(%pG?)", spec);
        }
    }

    /** format_flags(): matching names joined by '|', leftover bits as 0x... */
    private static void formatFlags(Out o, long flags, long[] masks, String[] names) {
        o.put(flagNames(flags, masks, names).getBytes(StandardCharsets.US_ASCII));
    }

    private static String flagNames(long flags, long[] masks, String[] names) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; flags != 0 && i < names.length; i++) {
            long mask = masks[i];
            if ((flags & mask) != mask) {
                continue;
            }
            sb.append(names[i]);
            flags &= ~mask;
            if (flags != 0) {
                sb.append('|');
            }
        }
        if (flags != 0) {
            sb.append("0x").append(Long.toHexString(flags));
        }
        return sb.toString();
    }

    /** gfp flags as {@code %pGg} names them ("GFP_KERNEL|__GFP_ZERO"); 0 gives "". */
    public static String gfpFlags(long flags) {
        return flagNames(flags, GFPFLAG_MASKS, GFPFLAG_NAMES);
    }

    /** format_page_flags(): {@code 0x...(names|node=N|zone=N|lastcpupid=0x...)}. */
    private static void formatPageFlags(Out o, long flags) {
        long mainFlags = flags & PAGEFLAGS_MASK;
        boolean append = false;
        number(o, flags, 16, SPECIAL | SMALL, 0, -1);
        o.put('(');
        if (mainFlags != 0) {
            formatFlags(o, mainFlags, PAGEFLAG_MASKS, PAGEFLAG_NAMES);
            append = true;
        }
        for (int i = 0; i < PFF_NAMES.length; i++) {
            if (append) {
                o.put('|');
            }
            o.put(PFF_NAMES[i].getBytes(StandardCharsets.US_ASCII));
            o.put('=');
            long v = (flags >>> PFF_SHIFT[i]) & PFF_MASK[i];
            if (PFF_HEX[i]) {
                number(o, v, 16, SPECIAL | SMALL, 0, -1);
            } else {
                number(o, v, 10, 0, 0, -1);
            }
            append = true;
        }
        o.put(')');
    }

    /** device_node_string(): CONFIG_OF is not set on x86-64 Debian, so only the error texts remain. */
    private static void deviceNodeString(Out o, Spec spec, Fmt f) {
        if (f.at(0) != 'F') {
            errorString(o, "(%pO?)", spec);
            return;
        }
        errorString(o, "(%pOF?)", spec);
    }

    /**
     * fwnode_string(): {@code %pfw[fP]}: the node's name ({@code P}) or the names of all its
     * ancestors and itself, each after its prefix ({@code fwnode_full_name_string()}), through
     * the node's own operations ({@link Env#fwnodeOp}).
     */
    private static void fwnodeString(Out o, long fwnode, Spec spec, Fmt f) {
        Spec strSpec = spec.copy();
        strSpec.fieldWidth = -1;
        if (f.at(0) != 'w') {
            errorString(o, "(%pf?)", spec);
            return;
        }
        if (checkPointer(o, fwnode, spec)) {
            return;
        }
        int start = o.n;
        if (f.at(1) == 'P') {
            string(o, o.env.fwnodeOp("get_name", fwnode), strSpec);
        } else {
            fwnodeFullNameString(o, fwnode);
        }
        widenString(o, o.n - start, spec);
    }

    /** fwnode_full_name_string(): from the root down to the node, each prefix then name. */
    private static void fwnodeFullNameString(Out o, long fwnode) {
        Spec def = new Spec(-1, 0, 0, -1);    // default_str_spec
        Env e = o.env;
        // fwnode_count_parents(): fwnode_for_each_parent_node()
        int depth = 0;
        for (long p = e.fwnodeOp("get_parent", fwnode); p != 0; p = nextParent(e, p)) {
            depth++;
        }
        for (; depth >= 0; depth--) {
            long node = depth != 0 ? nthParent(e, fwnode, depth) : fwnode;
            string(o, e.fwnodeOp("get_name_prefix", node), def);
            string(o, e.fwnodeOp("get_name", node), def);
            if (depth != 0) {
                e.fwnodeOp("put", node);
            }
        }
    }

    /** fwnode_get_next_parent(): the parent, dropping the reference on {@code fwnode}. */
    private static long nextParent(Env e, long fwnode) {
        long parent = e.fwnodeOp("get_parent", fwnode);
        e.fwnodeOp("put", fwnode);
        return parent;
    }

    /** fwnode_get_nth_parent() for {@code depth > 0}: with a reference, or 0. */
    private static long nthParent(Env e, long fwnode, int depth) {
        for (long p = e.fwnodeOp("get_parent", fwnode); p != 0; p = nextParent(e, p)) {
            if (--depth == 0) {
                return p;
            }
        }
        return 0;
    }
}
