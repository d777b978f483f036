package dev.kmodemu.junit;

import dev.kmodemu.kstubs.Coverage;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.Finding;
import dev.kmodemu.kstubs.Kernel;
import dev.kmodemu.kstubs.KernelException;
import dev.kmodemu.kstubs.LinePattern;
import dev.kmodemu.kstubs.printk.KernelLog;
import dev.kmodemu.kstubs.module.Module;
import org.opentest4j.AssertionFailedError;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Fluent assertions on an emulated kernel, its log, its files and its coverage:
 *
 * <pre>{@code
 * assertThat(k.log()).containsLine("Hello, world 1").hasNoWarnings();
 * assertThat(k, "/sys/module/hello/parameters/count").hasContent("2\n");
 * assertThat(k).hasNoFindings().hasModuleLoaded("hello");
 * assertThat(k.coverage()).hasLineRun("hello.c", 18);
 * }</pre>
 *
 * Expected lines may hold regular expressions between {@code {{} and {@code }}} for the parts
 * that vary ({@link LinePattern}). Failures throw opentest4j's {@code AssertionFailedError}
 * with expected and actual values, so IDEs show a diff.
 */
public final class KernelAssertions {
    private KernelAssertions() {
    }

    /** Assertions on the kernel log: one entry per line of each record's text. */
    public static LogAssert assertThat(List<KernelLog.Record> log) {
        return new LogAssert(log);
    }

    /** Assertions on the kernel: findings, loaded modules. */
    public static KernelAssert assertThat(Kernel kernel) {
        return new KernelAssert(kernel);
    }

    /** Assertions on a file of the emulated system ({@code /proc}, {@code /sys}, {@code /dev}), read as cat reads it. */
    public static FileAssert assertThat(Kernel kernel, String path) {
        return new FileAssert(kernel, path);
    }

    /** Assertions on source coverage. */
    public static CoverageAssert assertThat(Coverage coverage) {
        return new CoverageAssert(coverage);
    }

    static AssertionFailedError fail(String message, Object expected, Object actual) {
        return new AssertionFailedError(message, expected, actual);
    }

    /** Assertions on kernel log lines. */
    public static final class LogAssert {
        private final List<KernelLog.Record> records;
        private final List<String> lines = new ArrayList<>();
        private final String what;

        LogAssert(List<KernelLog.Record> records) {
            this(records, "the kernel log");
        }

        private LogAssert(List<KernelLog.Record> records, String what) {
            this.records = List.copyOf(records);
            this.what = what;
            for (KernelLog.Record r : records) {
                List<String> ls = r.lines();
                int n = ls.size();
                if (n > 1 && ls.get(n - 1).isEmpty()) {
                    n--;
                }
                lines.addAll(ls.subList(0, n));
            }
        }

        private String text() {
            return String.join("\n", lines);
        }

        /** The lines of records logged by {@code module}'s code. */
        public LogAssert fromModule(String module) {
            return new LogAssert(records.stream().filter(r -> module.equals(r.module())).toList(),
                    "the lines " + module + " logged");
        }

        /** Some line is {@code line} ({@code {{regex}}} parts allowed). */
        public LogAssert containsLine(String line) {
            LinePattern p = LinePattern.of(line);
            if (lines.stream().noneMatch(p::matches)) {
                throw fail(what + " has no line \"" + line + "\"", line, text());
            }
            return this;
        }

        /** Some line contains a match of {@code regex}. */
        public LogAssert containsLineMatching(String regex) {
            Pattern p = Pattern.compile(regex);
            if (lines.stream().noneMatch(l -> p.matcher(l).find())) {
                throw fail(what + " has no line matching /" + regex + "/", regex, text());
            }
            return this;
        }

        /** No line is {@code line}. */
        public LogAssert doesNotContainLine(String line) {
            LinePattern p = LinePattern.of(line);
            for (String l : lines) {
                if (p.matches(l)) {
                    throw fail(what + " has the line \"" + l + "\"", "no line \"" + line + "\"", text());
                }
            }
            return this;
        }

        /** No line contains a match of {@code regex}. */
        public LogAssert doesNotContainLineMatching(String regex) {
            Pattern p = Pattern.compile(regex);
            for (String l : lines) {
                if (p.matcher(l).find()) {
                    throw fail(what + " has the line \"" + l + "\" matching /" + regex + "/", "no line matching /" + regex + "/",
                            text());
                }
            }
            return this;
        }

        /** The lines appear in this order (other lines may come between). */
        public LogAssert containsLinesInOrder(String... expected) {
            int at = 0;
            for (String e : expected) {
                LinePattern p = LinePattern.of(e);
                while (at < lines.size() && !p.matches(lines.get(at))) {
                    at++;
                }
                if (at == lines.size()) {
                    throw fail(what + " lacks \"" + e + "\" after the lines before it", String.join("\n", expected), text());
                }
                at++;
            }
            return this;
        }

        /** Exactly {@code count} lines are {@code line}. */
        public LogAssert hasLines(int count, String line) {
            LinePattern p = LinePattern.of(line);
            long n = lines.stream().filter(p::matches).count();
            if (n != count) {
                throw fail(what + " has " + n + " lines \"" + line + "\", not " + count, count, n);
            }
            return this;
        }

        /** The log is exactly these lines. */
        public LogAssert hasLines(String... expected) {
            boolean ok = expected.length == lines.size();
            for (int i = 0; ok && i < expected.length; i++) {
                ok = LinePattern.of(expected[i]).matches(lines.get(i));
            }
            if (!ok) {
                throw fail(what + " differs", String.join("\n", expected), text());
            }
            return this;
        }

        /** No WARN report ({@code WARNING: CPU: ...} as {@code __warn()} logs it). */
        public LogAssert hasNoWarnings() {
            return noLine(l -> l.startsWith("WARNING: CPU: "), "a warning");
        }

        /**
         * No report of any kind: oops ({@code BUG: ...}, {@code Oops:}, {@code general protection
         * fault}), WARN, {@code kernel BUG at}, soft lockup, hung task, panic.
         */
        public LogAssert hasNoReports() {
            return noLine(l -> l.startsWith("BUG: ") || l.startsWith("WARNING: CPU: ") || l.startsWith("Oops: ")
                    || l.startsWith("kernel BUG at ") || l.startsWith("general protection fault")
                    || l.startsWith("watchdog: BUG: ") || l.startsWith("INFO: task ")
                    || l.startsWith("Kernel panic - not syncing"), "a kernel report");
        }

        /** No line logged at {@code KERN_ERR} or a more severe level. */
        public LogAssert hasNoErrors() {
            for (KernelLog.Record r : records) {
                if (r.level() <= 3) {
                    throw fail(what + " has a line at level " + r.level() + ": \"" + r.message().strip() + "\"",
                            "no line at level 3 (KERN_ERR) or below", text());
                }
            }
            return this;
        }

        private LogAssert noLine(java.util.function.Predicate<String> bad, String kind) {
            for (String l : lines) {
                if (bad.test(l)) {
                    throw fail(what + " has " + kind + ": \"" + l + "\"", "no " + kind, text());
                }
            }
            return this;
        }
    }

    /** Assertions on the kernel as a whole. */
    public static final class KernelAssert {
        private final Kernel k;

        KernelAssert(Kernel k) {
            this.k = k;
        }

        /** The kernel reported nothing since boot. */
        public KernelAssert hasNoFindings() {
            List<Finding> f = k.findings();
            if (!f.isEmpty()) {
                throw fail("the kernel reported " + f.size() + " finding(s): "
                        + String.join("; ", f.stream().map(ExpectedFindings::describe).toList()), "no findings",
                        String.join("\n", f.stream().map(ExpectedFindings::describe).toList()));
            }
            return this;
        }

        /** The kernel reported a finding of {@code type}. */
        public KernelAssert hasFinding(Finding.Type type) {
            return hasFinding(type, null);
        }

        /** The kernel reported a finding of {@code type} in {@code module}. */
        public KernelAssert hasFinding(Finding.Type type, String module) {
            if (k.findings().stream().noneMatch(f -> f.type() == type && (module == null || module.equals(f.module())))) {
                throw fail("the kernel reported no " + type + (module == null ? "" : " in " + module),
                        type + (module == null ? "" : " in " + module),
                        String.join("\n", k.findings().stream().map(ExpectedFindings::describe).toList()));
            }
            return this;
        }

        public KernelAssert hasModuleLoaded(String name) {
            if (!k.loaded(name)) {
                throw fail("module " + name + " is not loaded", name, names());
            }
            return this;
        }

        public KernelAssert hasModuleNotLoaded(String name) {
            if (k.loaded(name)) {
                throw fail("module " + name + " is loaded", "not " + name, names());
            }
            return this;
        }

        public KernelAssert hasNoModulesLoaded() {
            if (!k.modules().isEmpty()) {
                throw fail("modules are loaded: " + names(), "", names());
            }
            return this;
        }

        /** The kernel has not panicked. */
        public KernelAssert hasNotPanicked() {
            if (k.panicked()) {
                throw fail("the kernel panicked", "running", "panicked");
            }
            return this;
        }

        private String names() {
            return String.join(" ", k.modules().stream().map(Module::name).toList());
        }
    }

    /** Assertions on one file of the emulated system. */
    public static final class FileAssert {
        private final Kernel k;
        private final String path;

        FileAssert(Kernel k, String path) {
            this.k = k;
            this.path = path;
        }

        private String read() {
            try {
                return k.read(path);
            } catch (KernelException e) {
                if (e.killed()) {
                    throw e;
                }
                throw fail("cat: " + e.getMessage(), "the content of " + path, e.getMessage());
            }
        }

        public FileAssert exists() {
            if (!k.exists(path)) {
                throw fail(path + ": No such file or directory", "a file " + path, "nothing");
            }
            return this;
        }

        public FileAssert doesNotExist() {
            if (k.exists(path)) {
                throw fail(path + " exists", "no file " + path, "a file " + path);
            }
            return this;
        }

        /** The whole content is {@code expected}. */
        public FileAssert hasContent(String expected) {
            String c = read();
            if (!c.equals(expected)) {
                throw fail(path + " has other content", expected, c);
            }
            return this;
        }

        /** The content contains {@code part}. */
        public FileAssert contains(String part) {
            String c = read();
            if (!c.contains(part)) {
                throw fail(path + " does not contain \"" + part + "\"", part, c);
            }
            return this;
        }

        /** One of the lines is {@code line} ({@code {{regex}}} parts allowed). */
        public FileAssert hasLine(String line) {
            String c = read();
            LinePattern p = LinePattern.of(line);
            if (c.lines().noneMatch(p::matches)) {
                throw fail(path + " has no line \"" + line + "\"", line, c);
            }
            return this;
        }

        /** The lines are exactly these ({@code {{regex}}} parts allowed). */
        public FileAssert hasLines(String... expected) {
            String c = read();
            List<String> got = c.lines().toList();
            boolean ok = got.size() == expected.length;
            for (int i = 0; ok && i < expected.length; i++) {
                ok = LinePattern.of(expected[i]).matches(got.get(i));
            }
            if (!ok) {
                throw fail(path + " has other lines", String.join("\n", expected), String.join("\n", got));
            }
            return this;
        }

        /** Reading fails with {@code errno} (e.g. {@code Errno.ENOENT}, or what the module's read returns). */
        public FileAssert failsWith(int errno) {
            try {
                String c = k.read(path);
                throw fail(path + " was read, expected " + Errno.name(errno), Errno.name(errno), c);
            } catch (KernelException e) {
                if (e.killed() || e.errno() != errno) {
                    throw fail("reading " + path + ": " + e.getMessage(), Errno.name(errno), e.errnoName());
                }
            }
            return this;
        }

        /** Writing {@code data} (one write(2), as {@code printf %s DATA > PATH}) succeeds in full. */
        public FileAssert acceptsWrite(String data) {
            try {
                long n = k.write(path, data);
                if (n != data.getBytes(java.nio.charset.StandardCharsets.UTF_8).length) {
                    throw fail("write to " + path + " took " + n + " bytes", data.length(), n);
                }
            } catch (KernelException e) {
                throw fail("write to " + path + ": " + e.getMessage(), "success", e.errnoName());
            }
            return this;
        }

        /** Writing {@code data} fails with {@code errno}. */
        public FileAssert rejectsWrite(String data, int errno) {
            try {
                k.write(path, data);
                throw fail("write to " + path + " succeeded, expected " + Errno.name(errno), Errno.name(errno), "success");
            } catch (KernelException e) {
                if (e.killed() || e.errno() != errno) {
                    throw fail("write to " + path + ": " + e.getMessage(), Errno.name(errno), e.errnoName());
                }
            }
            return this;
        }
    }

    /** Assertions on source coverage. */
    public static final class CoverageAssert {
        private final Coverage c;

        CoverageAssert(Coverage c) {
            this.c = c;
        }

        private Coverage.FileCoverage file(String name) {
            Coverage.FileCoverage f = c.file(name);
            if (f == null) {
                throw fail("no coverage of " + name, name,
                        String.join("\n", c.files().stream().map(Coverage.FileCoverage::path).toList()));
            }
            return f;
        }

        /** Line {@code line} of the file ending in {@code file} ran. */
        public CoverageAssert hasLineRun(String file, int line) {
            Long n = file(file).lines().get(line);
            if (n == null || n == 0) {
                throw fail(file + ":" + line + (n == null ? " has no code" : " did not run"), "run", n == null ? "no code" : 0);
            }
            return this;
        }

        /** Line {@code line} of the file has code that did not run. */
        public CoverageAssert hasLineNotRun(String file, int line) {
            Long n = file(file).lines().get(line);
            if (n == null || n != 0) {
                throw fail(file + ":" + line + (n == null ? " has no code" : " ran " + n + " times"), 0, n);
            }
            return this;
        }

        /** Function {@code name} was entered. */
        public CoverageAssert hasFunctionRun(String name) {
            for (Coverage.FileCoverage f : c.files()) {
                for (Coverage.Function fn : f.functions()) {
                    if (fn.name().equals(name)) {
                        if (fn.count() == 0) {
                            throw fail(name + " did not run", "run", 0);
                        }
                        return this;
                    }
                }
            }
            throw fail("no function " + name + " in the coverage", name, "none");
        }

        /** At least {@code percent} of the lines with code ran. */
        public CoverageAssert hasLineCoverageAtLeast(double percent) {
            double got = c.linesFound() == 0 ? 0 : 100.0 * c.linesHit() / c.linesFound();
            if (got < percent) {
                throw fail("line coverage is " + c.summary(), ">= " + percent + "%", got + "%");
            }
            return this;
        }
    }
}
