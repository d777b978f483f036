package dev.kmodemu.kstubs.lib;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * lib/glob.c: glob(7) matching of a NUL-terminated string, or of {@code len} bytes of one, against
 * a pattern ({@code ?}, {@code *}, character classes with ranges and {@code !}, backslash
 * escapes), backtracking to the last {@code *} only, byte by byte in guest memory as the kernel
 * reads them.
 */
public final class Glob {
    private Glob() {
    }

    /** {@code bool glob_match(char const *pat, char const *str)} */
    @KernelSymbol("glob_match")
    static boolean globMatch(KernelContext k, long pat, long str) {
        return globMatchStr(k.mem(), pat, str, 0);
    }

    /** {@code bool glob_match_len(char const *pat, char const *str, size_t len)} */
    @KernelSymbol("glob_match_len")
    static boolean globMatchLen(KernelContext k, long pat, long str, long len) {
        return globMatchStr(k.mem(), pat, str, str + len);
    }

    /** {@code glob_match_str()}: {@code strEnd} 0 means up to the string's NUL. */
    static boolean globMatchStr(AddressSpace mem, long pat, long str, long strEnd) {
        long backPat = 0;
        long backStr = 0;
        for (;;) {
            int c = strEnd != 0 && Long.compareUnsigned(str, strEnd) >= 0 ? 0 : mem.read8(str) & 0xff;
            int d = mem.read8(pat++) & 0xff;
            str++;
            boolean literal = false;
            boolean backtrack = false;
            switch (d) {
                case '?' -> {
                    if (c == 0) {
                        return false;
                    }
                }
                case '*' -> {
                    if (mem.read8(pat) == 0) {
                        return true;
                    }
                    backPat = pat;
                    backStr = --str;
                }
                case '[' -> {
                    boolean match = false;
                    boolean inverted = mem.read8(pat) == '!';
                    long cls = pat + (inverted ? 1 : 0);
                    int a = mem.read8(cls++) & 0xff;
                    boolean malformed = false;
                    do {
                        int b = a;
                        if (a == 0) {
                            malformed = true;
                            break;
                        }
                        if (mem.read8(cls) == '-' && mem.read8(cls + 1) != ']') {
                            b = mem.read8(cls + 1) & 0xff;
                            if (b == 0) {
                                malformed = true;
                                break;
                            }
                            cls += 2;
                        }
                        match |= a <= c && c <= b;
                        a = mem.read8(cls++) & 0xff;
                    } while (a != ']');
                    if (malformed) {
                        literal = true;
                    } else if (match == inverted) {
                        backtrack = true;
                    } else {
                        pat = cls;
                    }
                }
                case '\\' -> {
                    d = mem.read8(pat++) & 0xff;
                    literal = true;
                }
                default -> literal = true;
            }
            if (literal) {
                if (c == d) {
                    if (d == 0) {
                        return true;
                    }
                    continue;
                }
                backtrack = true;
            }
            if (backtrack) {
                if (c == 0 || backPat == 0) {
                    return false;
                }
                pat = backPat;
                str = ++backStr;
            }
        }
    }
}
