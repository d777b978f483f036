package dev.kmodemu.junit;

import dev.kmodemu.kstubs.Finding;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The findings a test expects, declared with {@link ExpectFinding} or, as a test parameter, at
 * run time ({@code expected.add(Finding.Type.OOPS, "nullderef")}): each must be matched by a
 * finding the kernel reports during the test, and the findings they match are not failures.
 */
public final class ExpectedFindings {
    /** One expectation: a type, a module (null: any) and a title pattern (null: any). */
    public record Expectation(Finding.Type type, String module, Pattern title) {
        public boolean matches(Finding f) {
            return f.type() == type && (module == null || module.equals(f.module()))
                    && (title == null || title.matcher(f.title()).find());
        }

        @Override
        public String toString() {
            return "a finding of type " + type + (module == null ? "" : " in module " + module)
                    + (title == null ? "" : " with a title matching /" + title.pattern() + "/");
        }
    }

    private final List<Expectation> list = new ArrayList<>();

    ExpectedFindings() {
    }

    /** Expects a finding of {@code type} in any module. */
    public ExpectedFindings add(Finding.Type type) {
        return add(type, null, null);
    }

    /** Expects a finding of {@code type} in {@code module}. */
    public ExpectedFindings add(Finding.Type type, String module) {
        return add(type, module, null);
    }

    /** Expects a finding of {@code type} in {@code module} (null: any) whose title contains a match of {@code titleRegex}. */
    public ExpectedFindings add(Finding.Type type, String module, String titleRegex) {
        list.add(new Expectation(type, module == null || module.isEmpty() ? null : module,
                titleRegex == null || titleRegex.isEmpty() ? null : Pattern.compile(titleRegex)));
        return this;
    }

    List<Expectation> list() {
        return list;
    }

    /**
     * What is wrong with {@code findings} against the expectations: unexpected findings and
     * unmatched expectations, one line each; empty if nothing is.
     */
    List<String> problems(List<Finding> findings) {
        List<String> out = new ArrayList<>();
        for (Finding f : findings) {
            if (list.stream().noneMatch(e -> e.matches(f))) {
                out.add("unexpected " + describe(f));
            }
        }
        for (Expectation e : list) {
            if (findings.stream().noneMatch(e::matches)) {
                out.add("expected " + e + ", but the kernel reported none");
            }
        }
        return out;
    }

    /** {@code WARNING in warn: WARNING: CPU: 0 PID: 100 at ... (warn_init+0x1c/0x60 [warn])}. */
    static String describe(Finding f) {
        return f.type() + (f.module() == null ? "" : " in " + f.module()) + ": " + f.title()
                + (f.symbol() == null ? "" : " (" + f.symbol() + ")");
    }
}
