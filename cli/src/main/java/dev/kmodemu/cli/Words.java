package dev.kmodemu.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a shell script into commands and words the way a POSIX shell's simple commands split:
 * newlines and ';' separate commands, '#' starts a comment, single quotes are literal, double
 * quotes allow \" \\ \$, a backslash outside quotes escapes the next character. '>' and '>>' are
 * separate words when unquoted.
 */
final class Words {
    private Words() {
    }

    /** One command: its words and the script line it starts on. */
    record Command(List<String> words, int line, String text) {
    }

    /**
     * A quoting error (unterminated quote): {@code line} is where the shell noticed it (the end
     * of the script, as bash says), {@code quoteLine} and {@code column} (1-based) where the
     * quote opened.
     */
    static final class SyntaxError extends Exception {
        final int line;
        final int quoteLine;
        final int column;

        SyntaxError(int line, int quoteLine, int column, String message) {
            super(message);
            this.line = line;
            this.quoteLine = quoteLine;
            this.column = column;
        }
    }

    private static int lineOf(String s, int i) {
        int l = 1;
        for (int j = 0; j < i; j++) {
            if (s.charAt(j) == '\n') {
                l++;
            }
        }
        return l;
    }

    /** The 1-based column of index {@code i} of {@code s}. */
    static int column(String s, int i) {
        return i - (s.lastIndexOf('\n', i - 1) + 1) + 1;
    }

    /** A word of one line and the column it starts at (1-based). */
    record Token(String word, int column) {
    }

    /**
     * The words of one line, quoted as {@link #parse} quotes them, each with its column; nothing
     * special about ';', '#' or '>'.
     */
    static List<Token> tokens(String line) throws SyntaxError {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t') {
                i++;
                continue;
            }
            int start = i;
            StringBuilder w = new StringBuilder();
            while (i < n && line.charAt(i) != ' ' && line.charAt(i) != '\t') {
                c = line.charAt(i);
                if (c == '\'' || c == '"') {
                    int end = line.indexOf(c, i + 1);
                    if (end < 0) {
                        throw new SyntaxError(1, 1, i + 1, "unexpected EOF while looking for matching quote");
                    }
                    w.append(line, i + 1, end);
                    i = end + 1;
                } else if (c == '\\' && i + 1 < n) {
                    w.append(line.charAt(i + 1));
                    i += 2;
                } else {
                    w.append(c);
                    i++;
                }
            }
            out.add(new Token(w.toString(), start + 1));
        }
        return out;
    }

    static List<Command> parse(String script) throws SyntaxError {
        List<Command> out = new ArrayList<>();
        List<String> words = new ArrayList<>();
        StringBuilder w = null;
        StringBuilder text = new StringBuilder();
        int line = 1;
        int cmdLine = 1;
        int i = 0;
        int n = script.length();
        while (i < n) {
            char c = script.charAt(i);
            if (c == '\n' || c == ';') {
                if (w != null) {
                    words.add(w.toString());
                    w = null;
                }
                if (!words.isEmpty()) {
                    out.add(new Command(List.copyOf(words), cmdLine, text.toString().trim()));
                }
                words.clear();
                text.setLength(0);
                if (c == '\n') {
                    line++;
                }
                cmdLine = line;
                i++;
                continue;
            }
            if (c == ' ' || c == '\t') {
                if (w != null) {
                    words.add(w.toString());
                    w = null;
                }
                text.append(c);
                i++;
                continue;
            }
            if (c == '#' && w == null) {
                while (i < n && script.charAt(i) != '\n') {
                    i++;
                }
                continue;
            }
            if (c == '>' ) {
                if (w != null) {
                    words.add(w.toString());
                    w = null;
                }
                if (i + 1 < n && script.charAt(i + 1) == '>') {
                    words.add(">>");
                    text.append(">>");
                    i += 2;
                } else {
                    words.add(">");
                    text.append('>');
                    i++;
                }
                continue;
            }
            if (w == null) {
                w = new StringBuilder();
            }
            if (c == '\'') {
                int end = script.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new SyntaxError(line, lineOf(script, i), column(script, i), "unexpected EOF while looking for matching quote");
                }
                String lit = script.substring(i + 1, end);
                w.append(lit);
                text.append(script, i, end + 1);
                line += count(lit, '\n');
                i = end + 1;
                continue;
            }
            if (c == '"') {
                int j = i + 1;
                while (j < n && script.charAt(j) != '"') {
                    char d = script.charAt(j);
                    if (d == '\\' && j + 1 < n && "\"\\$`\n".indexOf(script.charAt(j + 1)) >= 0) {
                        if (script.charAt(j + 1) != '\n') {
                            w.append(script.charAt(j + 1));
                        }
                        j += 2;
                        continue;
                    }
                    if (d == '\n') {
                        line++;
                    }
                    w.append(d);
                    j++;
                }
                if (j >= n) {
                    throw new SyntaxError(line, lineOf(script, i), column(script, i), "unexpected EOF while looking for matching quote");
                }
                text.append(script, i, j + 1);
                i = j + 1;
                continue;
            }
            if (c == '\\' && i + 1 < n) {
                char d = script.charAt(i + 1);
                if (d != '\n') {
                    w.append(d);
                } else {
                    line++;
                }
                text.append(script, i, i + 2);
                i += 2;
                continue;
            }
            w.append(c);
            text.append(c);
            i++;
        }
        if (w != null) {
            words.add(w.toString());
        }
        if (!words.isEmpty()) {
            out.add(new Command(List.copyOf(words), cmdLine, text.toString().trim()));
        }
        return out;
    }

    private static int count(String s, char c) {
        int k = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                k++;
            }
        }
        return k;
    }
}
