package dev.kmodemu.kstubs;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * An expected line of output in which the parts that vary are regular expressions between
 * {@code {{} and {@code }}} (as LLVM's FileCheck writes them) and the rest is literal text:
 * {@code hello {{[0-9]+}} 0} matches {@code hello 16384 0}. What the JUnit assertions and
 * {@code kmodemu test} use to compare lines.
 */
public final class LinePattern {
    private final String text;
    private final Pattern pattern;

    private LinePattern(String text, Pattern pattern) {
        this.text = text;
        this.pattern = pattern;
    }

    /**
     * Compiles {@code line}.
     *
     * @throws IllegalArgumentException naming the column (1-based) of an unclosed {@code {{} or of
     *         a regular expression that does not compile
     */
    public static LinePattern of(String line) {
        StringBuilder re = new StringBuilder();
        int i = 0;
        while (i < line.length()) {
            int open = line.indexOf("{{", i);
            if (open < 0) {
                re.append(Pattern.quote(line.substring(i)));
                break;
            }
            re.append(open > i ? Pattern.quote(line.substring(i, open)) : "");
            int close = line.indexOf("}}", open + 2);
            if (close < 0) {
                throw new IllegalArgumentException("column " + (open + 1) + ": '{{' without '}}'");
            }
            String part = line.substring(open + 2, close);
            try {
                Pattern.compile(part);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("column " + (open + 3 + Math.max(e.getIndex(), 0)) + ": "
                        + e.getDescription() + " in the regular expression '" + part + "'");
            }
            re.append("(?:").append(part).append(')');
            i = close + 2;
        }
        return new LinePattern(line, Pattern.compile(re.toString()));
    }

    /** True if the whole of {@code line} matches. */
    public boolean matches(CharSequence line) {
        return pattern.matcher(line).matches();
    }

    /** True if {@code line} has no {@code {{...}}} part. */
    public boolean literal() {
        return !text.contains("{{");
    }

    @Override
    public String toString() {
        return text;
    }
}
