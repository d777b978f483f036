package dev.kmodemu.kstubs.lib;

import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;

/**
 * lib/ctype.c and include/linux/ctype.h: the {@code _ctype[]} table (ISO 8859-1, so 0xa0 is a
 * hard space, 0xc0..0xde upper case and 0xdf..0xff lower case, except the punctuation 0xd7 and
 * 0xf7) and the classification macros the string stubs share. {@code _tolower}/{@code _toupper}
 * are inline functions in 6.1, not symbols.
 */
public final class Ctype {
    private Ctype() {
    }

    /** {@code _U}: upper. */
    public static final int U = 0x01;
    /** {@code _L}: lower. */
    public static final int L = 0x02;
    /** {@code _D}: digit. */
    public static final int D = 0x04;
    /** {@code _C}: cntrl. */
    public static final int C = 0x08;
    /** {@code _P}: punct. */
    public static final int P = 0x10;
    /** {@code _S}: white space (space/lf/tab). */
    public static final int S = 0x20;
    /** {@code _X}: hex digit. */
    public static final int X = 0x40;
    /** {@code _SP}: hard space (0x20). */
    public static final int SP = 0x80;

    private static final int CS = C | S;
    private static final int UX = U | X;
    private static final int LX = L | X;
    private static final int SSP = S | SP;

    /** {@code const unsigned char _ctype[]}, row by row as lib/ctype.c writes it. */
    private static final int[] CTYPE = {
        C, C, C, C, C, C, C, C,                                 /* 0-7 */
        C, CS, CS, CS, CS, CS, C, C,                            /* 8-15 */
        C, C, C, C, C, C, C, C,                                 /* 16-23 */
        C, C, C, C, C, C, C, C,                                 /* 24-31 */
        SSP, P, P, P, P, P, P, P,                               /* 32-39 */
        P, P, P, P, P, P, P, P,                                 /* 40-47 */
        D, D, D, D, D, D, D, D,                                 /* 48-55 */
        D, D, P, P, P, P, P, P,                                 /* 56-63 */
        P, UX, UX, UX, UX, UX, UX, U,                           /* 64-71 */
        U, U, U, U, U, U, U, U,                                 /* 72-79 */
        U, U, U, U, U, U, U, U,                                 /* 80-87 */
        U, U, U, P, P, P, P, P,                                 /* 88-95 */
        P, LX, LX, LX, LX, LX, LX, L,                           /* 96-103 */
        L, L, L, L, L, L, L, L,                                 /* 104-111 */
        L, L, L, L, L, L, L, L,                                 /* 112-119 */
        L, L, L, P, P, P, P, C,                                 /* 120-127 */
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,         /* 128-143 */
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,         /* 144-159 */
        SSP, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P,       /* 160-175 */
        P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P,         /* 176-191 */
        U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U,         /* 192-207 */
        U, U, U, U, U, U, U, P, U, U, U, U, U, U, U, L,         /* 208-223 */
        L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L,         /* 224-239 */
        L, L, L, L, L, L, L, P, L, L, L, L, L, L, L, L,         /* 240-255 */
    };

    /** The 256 bytes of {@code _ctype[]}. */
    public static byte[] table() {
        byte[] b = new byte[256];
        for (int i = 0; i < 256; i++) {
            b[i] = (byte) CTYPE[i];
        }
        return b;
    }

    /** {@code __ismask(c)}: the class bits of the byte {@code c}. */
    public static int ismask(int c) {
        return CTYPE[c & 0xff];
    }

    public static boolean isalnum(int c) {
        return (ismask(c) & (U | L | D)) != 0;
    }

    public static boolean isalpha(int c) {
        return (ismask(c) & (U | L)) != 0;
    }

    public static boolean iscntrl(int c) {
        return (ismask(c) & C) != 0;
    }

    public static boolean isgraph(int c) {
        return (ismask(c) & (P | U | L | D)) != 0;
    }

    public static boolean islower(int c) {
        return (ismask(c) & L) != 0;
    }

    public static boolean isprint(int c) {
        return (ismask(c) & (P | U | L | D | SP)) != 0;
    }

    public static boolean ispunct(int c) {
        return (ismask(c) & P) != 0;
    }

    /** {@code isspace()}: false for NUL, true for 9..13, 0x20 and 0xa0. */
    public static boolean isspace(int c) {
        return (ismask(c) & S) != 0;
    }

    public static boolean isupper(int c) {
        return (ismask(c) & U) != 0;
    }

    public static boolean isxdigit(int c) {
        return (ismask(c) & (D | X)) != 0;
    }

    /** {@code isascii()}: {@code (unsigned char)c <= 0x7f}. */
    public static boolean isascii(int c) {
        return (c & 0xff) <= 0x7f;
    }

    /** {@code isdigit()}: {@code '0' <= c && c <= '9'} on the int value. */
    public static boolean isdigit(int c) {
        return c >= '0' && c <= '9';
    }

    /** {@code tolower()} ({@code __tolower}): Latin-1 upper case letters too; returns 0..255. */
    public static int tolower(int c) {
        c &= 0xff;
        return isupper(c) ? (c + ('a' - 'A')) & 0xff : c;
    }

    /** {@code toupper()} ({@code __toupper}): Latin-1 lower case letters too (0xff becomes 0xdf). */
    public static int toupper(int c) {
        c &= 0xff;
        return islower(c) ? (c - ('a' - 'A')) & 0xff : c;
    }

    /** {@code _tolower()}: {@code c | 0x20}, for letters only (vsscanf's qualifier test uses it as is). */
    public static int fastTolower(int c) {
        return (c | 0x20) & 0xff;
    }

    // ---------------------------------------------------------------- kernel symbols

    /** {@code const unsigned char _ctype[]} */
    @KernelData(value = "_ctype", section = Machine.Section.RODATA, size = 256, align = 32)
    static void ctype(KernelContext k, long at) {
        k.mem().poke(at, table());
    }
}
