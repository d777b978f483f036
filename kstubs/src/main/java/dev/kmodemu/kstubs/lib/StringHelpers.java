package dev.kmodemu.kstubs.lib;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

import java.io.ByteArrayOutputStream;

/** lib/string_helpers.c: {@code string_escape_mem()}. */
public final class StringHelpers {
    private StringHelpers() {
    }

    public static final int ESCAPE_SPACE = 0x01;
    public static final int ESCAPE_SPECIAL = 0x02;
    public static final int ESCAPE_NULL = 0x04;
    public static final int ESCAPE_OCTAL = 0x08;
    public static final int ESCAPE_NP = 0x10;
    public static final int ESCAPE_HEX = 0x20;
    public static final int ESCAPE_NA = 0x40;
    public static final int ESCAPE_NAP = 0x80;
    public static final int ESCAPE_APPEND = 0x100;

    private static final byte[] HEX = "0123456789abcdef".getBytes();

    /** {@code string_escape_mem()} without an output limit: the escaped bytes. */
    public static byte[] escapeMem(byte[] src, int flags, byte[] only) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(src.length);
        boolean isDict = only != null && only.length > 0;
        boolean isAppend = (flags & ESCAPE_APPEND) != 0;
        for (byte b : src) {
            int c = b & 0xff;
            boolean inDict = isDict && contains(only, c);
            if (!(isAppend || inDict) && isDict) {
                out.write(c);
                continue;
            }
            boolean pass = !(isAppend && inDict);
            if (pass && Ctype.isascii(c) && Ctype.isprint(c) && (flags & ESCAPE_NAP) != 0) {
                out.write(c);
                continue;
            }
            if (pass && Ctype.isprint(c) && (flags & ESCAPE_NP) != 0) {
                out.write(c);
                continue;
            }
            if (pass && Ctype.isascii(c) && (flags & ESCAPE_NA) != 0) {
                out.write(c);
                continue;
            }
            int esc = 0;
            if ((flags & ESCAPE_SPACE) != 0) {
                esc = switch (c) {
                    case '\n' -> 'n';
                    case '\r' -> 'r';
                    case '\t' -> 't';
                    case 0x0b -> 'v';
                    case '\f' -> 'f';
                    default -> 0;
                };
            }
            if (esc == 0 && (flags & ESCAPE_SPECIAL) != 0) {
                esc = switch (c) {
                    case '\\' -> '\\';
                    case 0x07 -> 'a';
                    case 0x1b -> 'e';
                    case '"' -> '"';
                    default -> 0;
                };
            }
            if (esc == 0 && (flags & ESCAPE_NULL) != 0 && c == 0) {
                esc = '0';
            }
            if (esc != 0) {
                out.write('\\');
                out.write(esc);
            } else if ((flags & ESCAPE_OCTAL) != 0) {
                out.write('\\');
                out.write('0' + ((c >> 6) & 7));
                out.write('0' + ((c >> 3) & 7));
                out.write('0' + (c & 7));
            } else if ((flags & ESCAPE_HEX) != 0) {
                out.write('\\');
                out.write('x');
                out.write(HEX[c >> 4]);
                out.write(HEX[c & 0xf]);
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    private static boolean contains(byte[] only, int c) {
        for (byte b : only) {
            if ((b & 0xff) == c) {
                return true;
            }
        }
        return false;
    }

    /**
     * int string_escape_mem(const char *src, size_t isz, char *dst, size_t osz, unsigned int flags,
     * const char *only)
     */
    @KernelSymbol("string_escape_mem")
    static int stringEscapeMem(KernelContext k, long src, long isz, long dst, long osz, int flags, long only) {
        byte[] in = k.mem().read(src, (int) isz);
        byte[] o = only == 0 ? null : k.mem().readCBytes(only, 256);
        byte[] out = escapeMem(in, flags, o);
        int n = (int) Math.min(out.length, osz);
        k.mem().write(dst, out, 0, n);
        return out.length;
    }
}
