package dev.kmodemu.cli;

import dev.kmodemu.kstubs.Finding;
import dev.kmodemu.kstubs.LinePattern;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A test script of {@code kmodemu test}: the {@code kmodemu sh} language plus three kinds of
 * directive lines, each a line of its own:
 * <ul>
 * <li>{@code test NAME} starts a test case; what comes before the first one is the set-up that
 *     runs at the start of every test (a file without {@code test} lines is one test);</li>
 * <li>{@code expect ...} checks the command before it, or the kernel: {@code expect status N},
 *     {@code expect output TEXT}, {@code expect output ~ REGEX}, {@code expect output <<WORD} (the
 *     lines up to WORD), the same for {@code stderr}, {@code expect log TEXT},
 *     {@code expect log ~ REGEX}, {@code expect no log ...}, {@code expect finding TYPE [MODULE]};</li>
 * <li>{@code kernel shared} (before the first test): the tests share one kernel instead of each
 *     booting its own.</li>
 * </ul>
 * Expected text may hold regular expressions between {@code {{} and {@code }}}
 * ({@link LinePattern}). Errors name the file, line and column.
 */
final class TestScript {
    /** A script that cannot be parsed: file, line and column (1-based). */
    static final class SyntaxError extends Exception {
        final int line;
        final int column;

        SyntaxError(Path file, int line, int column, String message) {
            super(file + ":" + line + ":" + column + ": " + message);
            this.line = line;
            this.column = column;
        }
    }

    /** What a step checks. */
    enum Kind { STATUS, OUTPUT, STDERR, LOG, FINDING }

    sealed interface Step permits Run, Expect {
        int line();
    }

    /** A shell command. */
    record Run(Words.Command command) implements Step {
        @Override
        public int line() {
            return command.line();
        }
    }

    /**
     * A check: exact {@code lines} (LinePatterns) or a {@code regex}; {@code status} for STATUS;
     * {@code finding} and {@code module} for FINDING; {@code negate} for {@code expect no log}.
     */
    record Expect(Kind kind, boolean negate, List<LinePattern> lines, Pattern regex, int status, Finding.Type finding,
            String module, int line, String source) implements Step {
    }

    /** One test: its name, the line of its {@code test} directive, its steps. */
    record Case(String name, int line, List<Step> steps) {
    }

    final Path file;
    final boolean sharedKernel;
    final List<Step> setup;
    final List<Case> cases;

    private TestScript(Path file, boolean shared, List<Step> setup, List<Case> cases) {
        this.file = file;
        this.sharedKernel = shared;
        this.setup = setup;
        this.cases = cases;
    }

    private static final String TYPES = String.join(", ",
            java.util.Arrays.stream(Finding.Type.values()).map(t -> t.name().toLowerCase(Locale.ROOT)).toList());

    /** Parses a script; {@code file} is the name errors and the test list use. */
    static TestScript parse(Path file, String text) throws SyntaxError {
        String[] lines = text.split("\n", -1);
        List<Step> setup = new ArrayList<>();
        List<Case> cases = new ArrayList<>();
        List<Step> current = setup;
        boolean shared = false;
        StringBuilder chunk = null;
        int chunkLine = 0;
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            int ln = i + 1;
            if (chunk != null) {
                chunk.append('\n').append(l);
                if (complete(chunk)) {
                    addCommands(file, chunk.toString(), chunkLine, current);
                    chunk = null;
                }
                continue;
            }
            String t = l.strip();
            String first = t.isEmpty() ? "" : t.split("[ \t]", 2)[0];
            switch (first) {
                case "test" -> {
                    List<Words.Token> w = tokens(file, l, ln);
                    if (w.size() < 2) {
                        throw new SyntaxError(file, ln, l.length() + 1, "'test' needs a name");
                    }
                    String name = String.join(" ", w.subList(1, w.size()).stream().map(Words.Token::word).toList());
                    current = new ArrayList<>();
                    cases.add(new Case(name.replace('#', '_'), ln, current));
                }
                case "kernel" -> {
                    List<Words.Token> w = tokens(file, l, ln);
                    if (!cases.isEmpty()) {
                        throw new SyntaxError(file, ln, w.get(0).column(), "'kernel' must come before the first test");
                    }
                    if (w.size() != 2 || !(w.get(1).word().equals("shared") || w.get(1).word().equals("fresh"))) {
                        throw new SyntaxError(file, ln, w.size() > 1 ? w.get(1).column() : l.length() + 1,
                                "expected 'kernel shared' or 'kernel fresh'");
                    }
                    shared = w.get(1).word().equals("shared");
                }
                case "expect" -> i = expect(file, lines, i, current);
                default -> {
                    chunk = new StringBuilder(l);
                    chunkLine = ln;
                    if (complete(chunk)) {
                        addCommands(file, l, ln, current);
                        chunk = null;
                    }
                }
            }
        }
        if (chunk != null) {
            try {
                Words.parse(chunk.toString());
            } catch (Words.SyntaxError e) {
                throw new SyntaxError(file, chunkLine + e.quoteLine - 1, e.column, e.getMessage());
            }
            throw new SyntaxError(file, lines.length, 1, "unexpected end of file after a backslash");
        }
        if (cases.isEmpty()) {
            String n = file.getFileName().toString();
            cases.add(new Case(n.endsWith(".ktest") ? n.substring(0, n.length() - 6) : n, 1, setup));
            setup = new ArrayList<>();
        }
        return new TestScript(file, shared, setup, cases);
    }

    /** True unless a quote is still open or the text ends in a backslash. */
    private static boolean complete(StringBuilder chunk) {
        if (chunk.length() > 0 && chunk.charAt(chunk.length() - 1) == '\\') {
            return false;
        }
        try {
            Words.parse(chunk.toString());
            return true;
        } catch (Words.SyntaxError e) {
            return false;
        }
    }

    private static void addCommands(Path file, String text, int firstLine, List<Step> to) throws SyntaxError {
        try {
            for (Words.Command c : Words.parse(text)) {
                to.add(new Run(new Words.Command(c.words(), firstLine + c.line() - 1, c.text())));
            }
        } catch (Words.SyntaxError e) {
            throw new SyntaxError(file, firstLine + e.quoteLine - 1, e.column, e.getMessage());
        }
    }

    private static List<Words.Token> tokens(Path file, String line, int ln) throws SyntaxError {
        try {
            return Words.tokens(line);
        } catch (Words.SyntaxError e) {
            throw new SyntaxError(file, ln, e.column, e.getMessage());
        }
    }

    /** Parses the {@code expect} line {@code lines[i]}; returns the index of its last line. */
    private static int expect(Path file, String[] lines, int i, List<Step> to) throws SyntaxError {
        String l = lines[i];
        int ln = i + 1;
        List<Words.Token> w = tokens(file, l, ln);
        if (w.size() < 2) {
            throw new SyntaxError(file, ln, l.length() + 1,
                    "'expect' needs what to check: status, output, stderr, log, no log or finding");
        }
        int at = 1;
        boolean negate = false;
        if (w.get(1).word().equals("no")) {
            negate = true;
            at = 2;
            if (w.size() < 3 || !w.get(2).word().equals("log")) {
                throw new SyntaxError(file, ln, w.size() < 3 ? l.length() + 1 : w.get(2).column(),
                        "'expect no' is followed by 'log'");
            }
        }
        Words.Token what = w.get(at);
        List<Words.Token> rest = w.subList(at + 1, w.size());
        Kind kind = switch (what.word()) {
            case "status" -> Kind.STATUS;
            case "output" -> Kind.OUTPUT;
            case "stderr" -> Kind.STDERR;
            case "log" -> Kind.LOG;
            case "finding" -> Kind.FINDING;
            default -> throw new SyntaxError(file, ln, what.column(), "unknown check '" + what.word()
                    + "' (status, output, stderr, log, no log, finding)");
        };
        if ((kind == Kind.STATUS || kind == Kind.OUTPUT || kind == Kind.STDERR)
                && to.stream().noneMatch(s -> s instanceof Run)) {
            throw new SyntaxError(file, ln, what.column(), "'expect " + what.word() + "' without a command before it");
        }
        String source = l.strip();
        switch (kind) {
            case STATUS -> {
                Integer n = null;
                if (rest.size() == 1) {
                    try {
                        n = Integer.parseInt(rest.get(0).word());
                    } catch (NumberFormatException e) {
                        n = null;
                    }
                }
                if (n == null || n < 0 || n > 255) {
                    throw new SyntaxError(file, ln, rest.isEmpty() ? l.length() + 1 : rest.get(0).column(),
                            "'expect status' needs one number from 0 to 255");
                }
                to.add(new Expect(kind, false, List.of(), null, n, null, null, ln, source));
            }
            case FINDING -> {
                if (rest.isEmpty() || rest.size() > 2) {
                    throw new SyntaxError(file, ln, rest.isEmpty() ? l.length() + 1 : rest.get(2).column(),
                            "'expect finding' needs a type (" + TYPES + ") and may name a module");
                }
                Finding.Type t = null;
                for (Finding.Type x : Finding.Type.values()) {
                    if (x.name().equalsIgnoreCase(rest.get(0).word().replace('-', '_'))) {
                        t = x;
                    }
                }
                if (t == null) {
                    throw new SyntaxError(file, ln, rest.get(0).column(), "unknown finding type '" + rest.get(0).word()
                            + "' (" + TYPES + ")");
                }
                to.add(new Expect(kind, false, List.of(), null, 0, t, rest.size() == 2 ? rest.get(1).word() : null, ln,
                        source));
            }
            default -> {
                if (!rest.isEmpty() && rest.get(0).word().equals("~")) {
                    if (rest.size() != 2) {
                        throw new SyntaxError(file, ln, rest.size() < 2 ? l.length() + 1 : rest.get(2).column(),
                                "'~' is followed by one regular expression (quote it)");
                    }
                    try {
                        Pattern p = Pattern.compile(rest.get(1).word(), Pattern.MULTILINE);
                        to.add(new Expect(kind, negate, List.of(), p, 0, null, null, ln, source));
                    } catch (PatternSyntaxException e) {
                        throw new SyntaxError(file, ln, rest.get(1).column(), e.getDescription()
                                + " in the regular expression");
                    }
                    return i;
                }
                List<String> text = new ArrayList<>();
                List<Integer> lineNo = new ArrayList<>();
                List<Integer> col = new ArrayList<>();
                int last = i;
                if (!rest.isEmpty() && rest.get(0).word().startsWith("<<") && kind != Kind.LOG) {
                    String end = rest.get(0).word().substring(2);
                    if (end.isEmpty() || rest.size() != 1) {
                        throw new SyntaxError(file, ln, rest.get(0).column(), "'<<' is followed by its end word");
                    }
                    int j = i + 1;
                    while (j < lines.length && !lines[j].equals(end)) {
                        text.add(lines[j]);
                        lineNo.add(j + 1);
                        col.add(1);
                        j++;
                    }
                    if (j == lines.length) {
                        throw new SyntaxError(file, ln, rest.get(0).column(),
                                "here-document delimited by '" + end + "' is not closed");
                    }
                    last = j;
                } else if (!rest.isEmpty()) {
                    text.add(String.join(" ", rest.stream().map(Words.Token::word).toList()));
                    lineNo.add(ln);
                    col.add(rest.get(0).column());
                } else if (kind == Kind.LOG) {
                    throw new SyntaxError(file, ln, l.length() + 1, "'expect log' needs a line or '~ REGEX'");
                }
                List<LinePattern> ps = new ArrayList<>();
                for (int k = 0; k < text.size(); k++) {
                    try {
                        ps.add(LinePattern.of(text.get(k)));
                    } catch (IllegalArgumentException e) {
                        // "column N: ..." relative to the text
                        String m = e.getMessage();
                        int c = Integer.parseInt(m.substring(7, m.indexOf(':')));
                        throw new SyntaxError(file, lineNo.get(k), col.get(k) + c - 1, m.substring(m.indexOf(':') + 2));
                    }
                }
                to.add(new Expect(kind, negate, ps, null, 0, null, null, ln, source));
                return last;
            }
        }
        return i;
    }
}
