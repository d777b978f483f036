package dev.kmodemu.loader.kmod;

/**
 * glibc {@code fnmatch(pattern, string, 0)} in the C locale, as libkmod calls it for alias
 * patterns ({@code modules.alias.bin} keys, config {@code alias}/{@code softdep}/{@code install}
 * names): {@code *} and {@code ?} match any characters including {@code /} and a leading dot,
 * {@code [...]} takes ranges, {@code !}/{@code ^} negation and {@code [:class:]}, a backslash
 * quotes the next character (a trailing backslash never matches), and a {@code [} without its
 * {@code ]} is an ordinary character.
 */
public final class Fnmatch {
    private Fnmatch() {
    }

    /** True if {@code string} matches {@code pattern}. */
    public static boolean matches(String pattern, String string) {
        return match(pattern, 0, string, 0);
    }

    private static boolean match(String p, int pi, String s, int si) {
        int pn = p.length();
        int sn = s.length();
        while (pi < pn) {
            char c = p.charAt(pi++);
            switch (c) {
                case '?' -> {
                    if (si >= sn) {
                        return false;
                    }
                    si++;
                }
                case '\\' -> {
                    if (pi >= pn) {
                        return false;
                    }
                    if (si >= sn || s.charAt(si) != p.charAt(pi)) {
                        return false;
                    }
                    pi++;
                    si++;
                }
                case '*' -> {
                    while (pi < pn && (p.charAt(pi) == '*' || p.charAt(pi) == '?')) {
                        if (p.charAt(pi) == '?') {
                            if (si >= sn) {
                                return false;
                            }
                            si++;
                        }
                        pi++;
                    }
                    if (pi == pn) {
                        return true;
                    }
                    for (int k = si; k <= sn; k++) {
                        if (match(p, pi, s, k)) {
                            return true;
                        }
                    }
                    return false;
                }
                case '[' -> {
                    int end = bracketEnd(p, pi);
                    if (end < 0) {
                        // No closing bracket: '[' stands for itself.
                        if (si >= sn || s.charAt(si) != '[') {
                            return false;
                        }
                        si++;
                    } else {
                        if (si >= sn || !bracketMatches(p, pi, end, s.charAt(si))) {
                            return false;
                        }
                        si++;
                        pi = end + 1;
                    }
                }
                default -> {
                    if (si >= sn || s.charAt(si) != c) {
                        return false;
                    }
                    si++;
                }
            }
        }
        return si == sn;
    }

    /** Index of the {@code ]} closing the bracket expression whose body starts at {@code i}, or -1. */
    private static int bracketEnd(String p, int i) {
        int n = p.length();
        if (i < n && (p.charAt(i) == '!' || p.charAt(i) == '^')) {
            i++;
        }
        if (i < n && p.charAt(i) == ']') {
            i++;
        }
        while (i < n) {
            char c = p.charAt(i);
            if (c == ']') {
                return i;
            }
            if (c == '\\' && i + 1 < n) {
                i += 2;
            } else if (c == '[' && i + 1 < n && p.charAt(i + 1) == ':') {
                int close = p.indexOf(":]", i + 2);
                i = close < 0 ? i + 1 : close + 2;
            } else {
                i++;
            }
        }
        return -1;
    }

    /** Whether {@code ch} is in the bracket expression {@code p[i..end)} ({@code end} is its {@code ]}). */
    private static boolean bracketMatches(String p, int i, int end, char ch) {
        boolean negate = p.charAt(i) == '!' || p.charAt(i) == '^';
        int j = negate ? i + 1 : i;
        boolean found = false;
        while (j < end) {
            char c = p.charAt(j);
            if (c == '[' && j + 1 < end && p.charAt(j + 1) == ':') {
                int close = p.indexOf(":]", j + 2);
                if (close >= 0 && close + 1 <= end) {
                    found |= classMatches(p.substring(j + 2, close), ch);
                    j = close + 2;
                    continue;
                }
            }
            if (c == '\\' && j + 1 < end) {
                c = p.charAt(++j);
            }
            j++;
            if (j + 1 < end && p.charAt(j) == '-') {
                char hi = p.charAt(j + 1);
                int next = j + 2;
                if (hi == '\\' && next < end) {
                    hi = p.charAt(next++);
                }
                found |= c <= ch && ch <= hi;
                j = next;
            } else {
                found |= c == ch;
            }
        }
        return found != negate;
    }

    private static boolean classMatches(String cls, char c) {
        return switch (cls) {
            case "alpha" -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            case "digit" -> c >= '0' && c <= '9';
            case "alnum" -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            case "upper" -> c >= 'A' && c <= 'Z';
            case "lower" -> c >= 'a' && c <= 'z';
            case "space" -> c == ' ' || (c >= '\t' && c <= '\r');
            case "blank" -> c == ' ' || c == '\t';
            case "punct" -> c > ' ' && c < 127 && !Character.isLetterOrDigit(c);
            case "print" -> c >= ' ' && c < 127;
            case "graph" -> c > ' ' && c < 127;
            case "cntrl" -> c < ' ' || c == 127;
            case "xdigit" -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            default -> false;
        };
    }
}
