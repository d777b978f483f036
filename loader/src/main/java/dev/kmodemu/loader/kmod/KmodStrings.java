package dev.kmodemu.loader.kmod;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.Predicate;

/**
 * The string helpers of kmod's {@code shared/util.c} ({@code alias_normalize()}, {@code underscores()},
 * {@code modname_normalize()}, {@code path_to_modname()}, {@code freadline_wrapped()}) and the
 * {@code strerror()} texts kmod prints. Strings hold one byte per char (ISO-8859-1), so whatever a
 * module or a config file contains goes back out byte for byte.
 */
public final class KmodStrings {
    private KmodStrings() {
    }

    /** Linux errno values kmod reports. */
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EIO = 5;
    public static final int ENOEXEC = 8;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENOTDIR = 20;
    public static final int EISDIR = 21;
    public static final int EINVAL = 22;
    public static final int ENOSPC = 28;
    public static final int ENOSYS = 38;
    public static final int ENODATA = 61;
    public static final int ENOKEY = 126;
    public static final int EKEYREJECTED = 129;

    /** glibc's {@code strerror()} text for the errno values module loading produces. */
    public static String strerror(int errno) {
        return switch (errno) {
            case EPERM -> "Operation not permitted";
            case ENOENT -> "No such file or directory";
            case EIO -> "Input/output error";
            case ENOEXEC -> "Exec format error";
            case EAGAIN -> "Resource temporarily unavailable";
            case ENOMEM -> "Cannot allocate memory";
            case EACCES -> "Permission denied";
            case EBUSY -> "Device or resource busy";
            case EEXIST -> "File exists";
            case ENOTDIR -> "Not a directory";
            case EISDIR -> "Is a directory";
            case EINVAL -> "Invalid argument";
            case ENOSPC -> "No space left on device";
            case ENOSYS -> "Function not implemented";
            case ENODATA -> "No data available";
            case 14 -> "Bad address";
            case 19 -> "No such device";
            case 34 -> "Numerical result out of range";
            case 95 -> "Operation not supported";
            case 110 -> "Connection timed out";
            case ENOKEY -> "Required key not available";
            case 127 -> "Key has expired";
            case 128 -> "Key has been revoked";
            case EKEYREJECTED -> "Key was rejected by service";
            default -> "Unknown error " + errno;
        };
    }

    /** Bytes to a one-char-per-byte string. */
    public static String latin1(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }

    /** A one-char-per-byte string back to its bytes. */
    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * {@code alias_normalize()}: dashes become underscores except inside {@code [...]} ranges.
     *
     * @return the normalized alias, or null for an unmatched bracket ({@code -EINVAL})
     */
    public static String aliasNormalize(String alias) {
        StringBuilder out = new StringBuilder(alias.length());
        int n = alias.length();
        for (int i = 0; i < n; i++) {
            char c = alias.charAt(i);
            switch (c) {
                case '-' -> out.append('_');
                case ']' -> {
                    return null;
                }
                case '[' -> {
                    while (i < n && alias.charAt(i) != ']') {
                        out.append(alias.charAt(i));
                        i++;
                    }
                    if (i >= n) {
                        return null;
                    }
                    out.append(']');
                }
                case '\0' -> {
                    return out.toString();
                }
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * {@code underscores()}: the config parser's variant of {@link #aliasNormalize}; a
     * {@code [...]} range is kept as is.
     *
     * @return the converted string, or null for null input or an unmatched bracket
     */
    public static String underscores(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(s);
        for (int i = 0; i < out.length(); i++) {
            switch (out.charAt(i)) {
                case '-' -> out.setCharAt(i, '_');
                case ']' -> {
                    return null;
                }
                case '[' -> {
                    int close = s.indexOf(']', i);
                    if (close < 0) {
                        return null;
                    }
                    i = close;
                }
                default -> {
                }
            }
        }
        return out.toString();
    }

    /** {@code modname_normalize()}: dashes become underscores, everything from the first dot is dropped. */
    public static String modnameNormalize(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '.' || c == '\0') {
                break;
            }
            out.append(c == '-' ? '_' : c);
        }
        return out.toString();
    }

    /**
     * {@code path_to_modname()}: the normalized module name of a file name or path (glibc
     * {@code basename()}: the part after the last slash).
     *
     * @return the name, or null when the path ends in a slash
     */
    public static String pathToModname(String path) {
        String base = path.substring(path.lastIndexOf('/') + 1);
        return base.isEmpty() ? null : modnameNormalize(base);
    }

    /**
     * The logical lines of a config file as {@code freadline_wrapped()} reads them: a backslash
     * before a newline joins two physical lines, a backslash before any other character is dropped.
     * Each entry carries the number of the last physical line it used.
     */
    public static List<Line> readLinesWrapped(byte[] content) {
        List<Line> out = new ArrayList<>();
        StringBuilder buf = new StringBuilder();
        int lineno = 0;
        int n = 0;
        int i = 0;
        while (true) {
            if (i >= content.length) {
                if (buf.length() > 0) {
                    n++;
                    out.add(new Line(buf.toString(), lineno + n));
                }
                return out;
            }
            char ch = (char) (content[i++] & 0xff);
            if (ch == '\n') {
                n++;
                lineno += n;
                out.add(new Line(buf.toString(), lineno));
                buf.setLength(0);
                n = 0;
            } else if (ch == '\\') {
                if (i >= content.length) {
                    continue;
                }
                char next = (char) (content[i++] & 0xff);
                if (next == '\n') {
                    n++;
                } else {
                    buf.append(next);
                }
            } else {
                buf.append(ch);
            }
        }
    }

    /** One logical config line and the number of its last physical line. */
    public record Line(String text, int lineno) {
    }

    /** A config line holding a command: the line, its number and its blank-separated words. */
    record ConfigLine(String text, int lineno, List<String> words) {
    }

    /**
     * The command lines of a depmod.d/modprobe.d file as both parsers walk them: logical lines,
     * without empty ones, comments ({@code #} first) and lines of blanks only.
     */
    static List<ConfigLine> configLines(byte[] content) {
        List<ConfigLine> out = new ArrayList<>();
        for (Line l : readLinesWrapped(content)) {
            String line = l.text();
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            List<String> words = tokens(line, "\t ");
            if (!words.isEmpty()) {
                out.add(new ConfigLine(line, l.lineno(), words));
            }
        }
        return out;
    }

    /** {@code strtok_r()}-style split on any of the delimiter characters, skipping empty fields. */
    public static List<String> tokens(String s, String delims) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && delims.indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            int start = i;
            while (i < n && delims.indexOf(s.charAt(i)) < 0) {
                i++;
            }
            if (i > start) {
                out.add(s.substring(start, i));
            }
        }
        return out;
    }

    /**
     * What is left of a line after {@code count} {@code strtok_r(..., "\t ")} calls, as a following
     * {@code strtok_r(NULL, "\0", ...)} returns it: the remainder after the separator that ended the
     * last token, with leading separators skipped; null if nothing is left.
     */
    public static String restAfterTokens(String line, int count) {
        int i = 0;
        int n = line.length();
        for (int t = 0; t < count; t++) {
            while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
                i++;
            }
            if (i >= n) {
                return null;
            }
            while (i < n && line.charAt(i) != ' ' && line.charAt(i) != '\t') {
                i++;
            }
            if (i < n) {
                i++;
            }
        }
        // strtok_r with an empty delimiter set: skips nothing, returns the rest if non-empty.
        return i < n ? line.substring(i) : null;
    }

    /** Appends {@code text} as the lines a terminal would show for it (split at each newline). */
    static void addLines(List<String> to, String text) {
        int from = 0;
        while (true) {
            int nl = text.indexOf('\n', from);
            if (nl < 0) {
                to.add(text.substring(from));
                return;
            }
            to.add(text.substring(from, nl));
            from = nl + 1;
        }
    }

    /**
     * The configuration files of kmod's {@code cfg_files_list()}/{@code conf_files_list()}: a
     * file stands for itself, a directory for its entries whose name passes {@code accept} (not
     * starting with a dot); the first file of a name wins, and {@code files} orders them by name.
     *
     * @param nested called for an accepted name that is a directory
     * @param unreadable called with the errno when the directory cannot be read
     */
    static void listConfigFiles(TreeMap<String, Path> files, Path path,
            Predicate<String> accept, Consumer<String> nested, IntConsumer unreadable) {
        if (!Files.exists(path)) {
            return;
        }
        if (!Files.isDirectory(path)) {
            files.putIfAbsent(path.getFileName().toString(), path);
            return;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(path)) {
            for (Path e : ds) {
                String name = e.getFileName().toString();
                if (name.startsWith(".") || !accept.test(name)) {
                    continue;
                }
                if (Files.isDirectory(e)) {
                    nested.accept(name);
                    continue;
                }
                files.putIfAbsent(name, e);
            }
        } catch (IOException e) {
            unreadable.accept(ErrnoException.of(e).errno());
        }
    }

    /** Reads a whole file, mapping I/O failures to an errno as kmod reports them. */
    static byte[] readFile(Path p) throws ErrnoException {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw ErrnoException.of(e);
        } catch (UncheckedIOException e) {
            throw ErrnoException.of(e.getCause());
        }
    }
}
