package dev.kmodemu.cli;

import dev.kmodemu.kstubs.Coverage;
import dev.kmodemu.kstubs.Finding;
import dev.kmodemu.kstubs.Kernel;
import dev.kmodemu.kstubs.LinePattern;
import dev.kmodemu.kstubs.printk.Dmesg;
import dev.kmodemu.kstubs.printk.KernelLog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs {@link TestScript}s: each test in a fresh kernel (unless its file says
 * {@code kernel shared}), on a pool of threads, with a budget of wall time and of virtual time per
 * test; reports KTAP version 1 and JUnit XML.
 */
final class TestRunner {
    /** Knobs of a run. */
    record Options(Kernel.Options kernel, Duration testTimeout, Duration virtualTimeout, int jobs) {
    }

    /** One test's result: {@code directive} is null, "TIMEOUT ..." or "ERROR ...". */
    record Outcome(String name, boolean ok, String directive, List<String> diagnostics, String log, double seconds) {
    }

    /** One file's results, or its syntax error. */
    record Suite(Path file, String name, List<Outcome> cases, String error, double seconds) {
        boolean ok() {
            return error == null && cases.stream().allMatch(Outcome::ok);
        }
    }

    /** A test stopped for a failed expectation or a budget. */
    private static final class Stop extends Exception {
        final String directive;

        Stop(String directive, String message) {
            super(message, null, false, false);
            this.directive = directive;
        }
    }

    /** At most this many log lines go into a failure's diagnostics. */
    static final int LOG_LINES = 60;

    private final Options options;
    private final Coverage coverage;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kmodemu-test-timer");
        t.setDaemon(true);
        return t;
    });

    /** @param coverage where the tests' coverage goes, or null for none */
    TestRunner(Options options, Coverage coverage) {
        this.options = options;
        this.coverage = coverage;
    }

    /** Runs the files; a syntax error fails its file's suite. Results in the order of {@code files}. */
    List<Suite> run(List<Path> files, List<String> names) {
        // Threads with the stack of a main thread: host-guest call nesting (a module's callbacks
        // calling kernel functions calling back) goes deep on the Java stack.
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, options.jobs()), r -> {
            Thread t = new Thread(null, r, "kmodemu-test", 16L << 20);
            t.setDaemon(true);
            return t;
        });
        try {
            record Job(TestScript script, int index, Future<List<Outcome>> result) {
            }
            List<Object> parsed = new ArrayList<>();
            List<List<Job>> jobs = new ArrayList<>();
            for (int f = 0; f < files.size(); f++) {
                Path file = files.get(f).toAbsolutePath();
                List<Job> js = new ArrayList<>();
                try {
                    TestScript s = TestScript.parse(Path.of(names.get(f)), Files.readString(file, StandardCharsets.UTF_8));
                    parsed.add(s);
                    if (s.sharedKernel) {
                        js.add(new Job(s, -1, pool.submit(() -> runShared(s, file.getParent()))));
                    } else {
                        for (int i = 0; i < s.cases.size(); i++) {
                            int at = i;
                            js.add(new Job(s, i, pool.submit(() -> List.of(runFresh(s, s.cases.get(at), file.getParent())))));
                        }
                    }
                } catch (TestScript.SyntaxError e) {
                    parsed.add(e.getMessage());
                } catch (IOException e) {
                    parsed.add(names.get(f) + ": " + (e instanceof java.nio.file.NoSuchFileException
                            ? "No such file or directory" : e.getMessage()));
                }
                jobs.add(js);
            }
            List<Suite> out = new ArrayList<>();
            for (int f = 0; f < files.size(); f++) {
                long t0 = System.nanoTime();
                if (parsed.get(f) instanceof String err) {
                    out.add(new Suite(files.get(f), names.get(f), List.of(), err, 0));
                    continue;
                }
                TestScript s = (TestScript) parsed.get(f);
                List<Outcome> cases = new ArrayList<>();
                for (Job j : jobs.get(f)) {
                    cases.addAll(await(j.result(), j.index() < 0 ? s.cases.stream().map(TestScript.Case::name).toList()
                            : List.of(s.cases.get(j.index()).name()), j.index() < 0 ? s.cases.size() : 1));
                }
                out.add(new Suite(files.get(f), names.get(f), cases, null, (System.nanoTime() - t0) / 1e9));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A job's outcomes; a job that does not end within the test budget and a grace period after
     * it (code the timeout could not stop) is given up, its tests reported as timed out.
     */
    private List<Outcome> await(Future<List<Outcome>> f, List<String> names, int tests) {
        long limit = options.testTimeout().toMillis() * tests + 30_000;
        try {
            return f.get(limit, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            List<Outcome> out = new ArrayList<>();
            for (String n : names) {
                out.add(new Outcome(n, false, "TIMEOUT " + seconds(options.testTimeout()) + " of wall time",
                        List.of("the test did not stop after its budget"), "", limit / 1e3));
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    private Kernel boot() {
        return Kernel.boot(options.kernel().withCoverage(coverage != null));
    }

    private void finish(Kernel k) {
        try {
            if (coverage != null) {
                coverage.add(k.coverage());
            }
        } finally {
            k.close();
        }
    }

    private Outcome runFresh(TestScript s, TestScript.Case c, Path dir) {
        Kernel k = boot();
        try {
            Shell sh = new Shell(k, dir, null, s.file.getFileName().toString());
            return runCase(k, sh, s.setup, c);
        } finally {
            finish(k);
        }
    }

    private List<Outcome> runShared(TestScript s, Path dir) {
        Kernel k = boot();
        try {
            Shell sh = new Shell(k, dir, null, s.file.getFileName().toString());
            List<Outcome> out = new ArrayList<>();
            for (int i = 0; i < s.cases.size(); i++) {
                out.add(runCase(k, sh, i == 0 ? s.setup : List.of(), s.cases.get(i)));
            }
            return out;
        } finally {
            finish(k);
        }
    }

    /** One test: set-up steps then its own, under the budgets; findings checked at the end. */
    private Outcome runCase(Kernel k, Shell sh, List<TestScript.Step> setup, TestScript.Case c) {
        long t0 = System.nanoTime();
        long logFrom = nextSeq(k);
        int findingsFrom = k.findings().size();
        long virtualStart = k.uptime().toNanos();
        long wallDeadline = t0 + options.testTimeout().toNanos();
        java.util.concurrent.atomic.AtomicBoolean expired = new java.util.concurrent.atomic.AtomicBoolean();
        // At the deadline: stop the module code running, and again every 100 ms until the test
        // notices between two steps.
        ScheduledFuture<?> watchdog = timer.scheduleAtFixedRate(() -> {
            expired.set(true);
            k.interrupt();
        }, options.testTimeout().toNanos(), 100_000_000L, TimeUnit.NANOSECONDS);
        List<String> diag = new ArrayList<>();
        List<TestScript.Expect> findings = new ArrayList<>();
        String directive = null;
        boolean ok = true;
        try {
            List<TestScript.Step> steps = new ArrayList<>(setup);
            steps.addAll(c.steps());
            for (TestScript.Step st : steps) {
                if (st instanceof TestScript.Expect e && e.kind() == TestScript.Kind.FINDING) {
                    findings.add(e);
                }
            }
            CommandResult last = null;
            for (int i = 0; i < steps.size(); i++) {
                TestScript.Step st = steps.get(i);
                if (expired.get() || System.nanoTime() > wallDeadline) {
                    throw new Stop("TIMEOUT " + seconds(options.testTimeout()) + " of wall time",
                            "line " + st.line() + ": the test ran out of wall time");
                }
                if (k.uptime().toNanos() - virtualStart > options.virtualTimeout().toNanos()) {
                    throw new Stop("TIMEOUT " + seconds(options.virtualTimeout()) + " of virtual time",
                            "line " + st.line() + ": the test ran out of virtual time");
                }
                if (st instanceof TestScript.Run r) {
                    if (k.panicked()) {
                        break;
                    }
                    sh.run(r.command());
                    last = sh.results().get(sh.results().size() - 1);
                    if (expired.get()) {
                        throw new Stop("TIMEOUT " + seconds(options.testTimeout()) + " of wall time", "line "
                                + r.line() + ": `" + last.command() + "` was stopped: the test ran out of wall time");
                    }
                    if (k.panicked()) {
                        // The machine stopped: nothing after this runs; the findings check decides.
                        break;
                    }
                    if (last.status() != 0 && !statusChecked(steps, i)) {
                        throw new Stop(null, "line " + r.line() + ": `" + last.command() + "` exited with status "
                                + last.status() + (last.stderr().isEmpty() ? "" : ":\n" + last.stderr().stripTrailing()));
                    }
                } else if (st instanceof TestScript.Expect e && e.kind() != TestScript.Kind.FINDING) {
                    check(e, last, log(k, logFrom));
                }
            }
        } catch (Stop e) {
            ok = false;
            directive = e.directive;
            diag.addAll(List.of(e.getMessage().split("\n")));
        } catch (RuntimeException e) {
            ok = false;
            directive = "ERROR";
            diag.add(Main.describe(e));
        } finally {
            watchdog.cancel(false);
        }
        List<Finding> got = k.findings().subList(Math.min(findingsFrom, k.findings().size()), k.findings().size());
        for (Finding f : got) {
            if (findings.stream().noneMatch(e -> matches(e, f)) && directive == null) {
                ok = false;
                diag.add("unexpected " + f.type().name().toLowerCase(Locale.ROOT) + (f.module() == null ? "" : " in "
                        + f.module()) + ": " + f.title());
            }
        }
        for (TestScript.Expect e : findings) {
            if (got.stream().noneMatch(f -> matches(e, f)) && directive == null && ok) {
                ok = false;
                diag.add("line " + e.line() + ": `" + e.source() + "`: the kernel reported no such finding");
            }
        }
        String log = Dmesg.format(log(k, logFrom), false);
        return new Outcome(c.name(), ok, directive, diag, log, (System.nanoTime() - t0) / 1e9);
    }

    private static boolean matches(TestScript.Expect e, Finding f) {
        return e.finding() == f.type() && (e.module() == null || e.module().equals(f.module()));
    }

    /** True if an {@code expect status} follows step {@code i} before the next command. */
    private static boolean statusChecked(List<TestScript.Step> steps, int i) {
        for (int j = i + 1; j < steps.size() && steps.get(j) instanceof TestScript.Expect e; j++) {
            if (e.kind() == TestScript.Kind.STATUS) {
                return true;
            }
        }
        return false;
    }

    private static long nextSeq(Kernel k) {
        List<KernelLog.Record> l = k.log();
        return l.isEmpty() ? Long.MIN_VALUE : l.get(l.size() - 1).seq() + 1;
    }

    /** The log records of this test (those logged since it started). */
    private static List<KernelLog.Record> log(Kernel k, long from) {
        return k.log().stream().filter(r -> r.seq() >= from).toList();
    }

    private static void check(TestScript.Expect e, CommandResult last, List<KernelLog.Record> log) throws Stop {
        String where = "line " + e.line() + ": `" + e.source() + "`";
        switch (e.kind()) {
            case STATUS -> {
                if (last.status() != e.status()) {
                    throw new Stop(null, where + ": the status of `" + last.command() + "` was " + last.status()
                            + (last.stderr().isEmpty() ? "" : "\nstderr:\n" + last.stderr().stripTrailing()));
                }
            }
            case OUTPUT, STDERR -> {
                String got = e.kind() == TestScript.Kind.OUTPUT ? last.stdout() : last.stderr();
                String what = e.kind() == TestScript.Kind.OUTPUT ? "output" : "stderr";
                if (e.regex() != null) {
                    if (!e.regex().matcher(got).find()) {
                        throw new Stop(null, where + ": no match in the " + what + " of `" + last.command() + "`:\n"
                                + got.stripTrailing());
                    }
                } else if (!same(e.lines(), got)) {
                    throw new Stop(null, where + ": the " + what + " of `" + last.command() + "` differs\nexpected:\n"
                            + String.join("\n", e.lines().stream().map(LinePattern::toString).toList()) + "\ngot:\n"
                            + got.stripTrailing());
                }
            }
            case LOG -> {
                List<String> lines = new ArrayList<>();
                for (KernelLog.Record r : log) {
                    lines.addAll(r.message().lines().toList());
                }
                boolean found = e.regex() != null ? lines.stream().anyMatch(l -> e.regex().matcher(l).find())
                        : lines.stream().anyMatch(e.lines().get(0)::matches);
                if (found == e.negate()) {
                    throw new Stop(null, where + (e.negate() ? ": the kernel logged it" : ": the kernel logged no such line"));
                }
            }
            default -> throw new IllegalStateException(e.kind().name());
        }
    }

    /** Output equals the expected lines (each ending in a newline; none for empty). */
    private static boolean same(List<LinePattern> expected, String got) {
        if (expected.isEmpty()) {
            return got.isEmpty();
        }
        if (!got.endsWith("\n")) {
            return false;
        }
        String[] lines = got.substring(0, got.length() - 1).split("\n", -1);
        if (lines.length != expected.size()) {
            return false;
        }
        for (int i = 0; i < lines.length; i++) {
            if (!expected.get(i).matches(lines[i])) {
                return false;
            }
        }
        return true;
    }

    private static String seconds(Duration d) {
        return (d.toMillis() % 1000 == 0 ? Long.toString(d.toSeconds()) : String.format(Locale.ROOT, "%.3f",
                d.toMillis() / 1e3)) + " s";
    }

    // ---------------------------------------------------------------- reports

    /**
     * KTAP version 1 (Documentation/dev-tools/ktap.rst): one subtest per file with one result per
     * test, diagnostics ("# " lines) before a failed test's result, its kernel log among them.
     */
    static String ktap(List<Suite> suites) {
        StringBuilder sb = new StringBuilder("KTAP version 1\n1..").append(suites.size()).append('\n');
        for (int i = 0; i < suites.size(); i++) {
            Suite s = suites.get(i);
            String name = s.name().replace('#', '_');
            if (s.error() != null) {
                sb.append("# ").append(s.error()).append('\n');
                sb.append("not ok ").append(i + 1).append(' ').append(name).append(" # ERROR syntax error\n");
                continue;
            }
            sb.append("  KTAP version 1\n  # Subtest: ").append(name).append("\n  1..").append(s.cases().size()).append('\n');
            for (int j = 0; j < s.cases().size(); j++) {
                Outcome o = s.cases().get(j);
                if (!o.ok()) {
                    for (String d : o.diagnostics()) {
                        sb.append("  # ").append(d).append('\n');
                    }
                    List<String> log = o.log().lines().toList();
                    if (!log.isEmpty()) {
                        sb.append("  # kernel log:\n");
                        int from = Math.max(0, log.size() - LOG_LINES);
                        if (from > 0) {
                            sb.append("  #   [... ").append(from).append(" earlier lines]\n");
                        }
                        for (String l : log.subList(from, log.size())) {
                            sb.append("  #   ").append(l).append('\n');
                        }
                    }
                }
                sb.append("  ").append(o.ok() ? "ok " : "not ok ").append(j + 1).append(' ').append(o.name());
                if (o.directive() != null) {
                    sb.append(" # ").append(o.directive());
                }
                sb.append('\n');
            }
            sb.append(s.ok() ? "ok " : "not ok ").append(i + 1).append(' ').append(name).append('\n');
        }
        return sb.toString();
    }

    /** The JUnit XML report CI systems read (Ant's schema, as Surefire writes it). */
    static String junitXml(List<Suite> suites) {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        int tests = 0;
        int failures = 0;
        int errors = 0;
        double time = 0;
        for (Suite s : suites) {
            tests += s.error() != null ? 1 : s.cases().size();
            failures += (int) s.cases().stream().filter(o -> !o.ok() && o.directive() == null).count();
            errors += s.error() != null ? 1 : (int) s.cases().stream().filter(o -> !o.ok() && o.directive() != null).count();
            time += s.seconds();
        }
        sb.append(String.format(Locale.ROOT, "<testsuites name=\"kmodemu test\" tests=\"%d\" failures=\"%d\" errors=\"%d\" "
                + "time=\"%.3f\">\n", tests, failures, errors, time));
        for (Suite s : suites) {
            int f = (int) s.cases().stream().filter(o -> !o.ok() && o.directive() == null).count();
            int e = s.error() != null ? 1 : (int) s.cases().stream().filter(o -> !o.ok() && o.directive() != null).count();
            sb.append(String.format(Locale.ROOT, "  <testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\" "
                    + "skipped=\"0\" time=\"%.3f\">\n", xml(s.name()), s.error() != null ? 1 : s.cases().size(), f, e,
                    s.seconds()));
            if (s.error() != null) {
                sb.append("    <testcase name=\"").append(xml(s.name())).append("\" classname=\"").append(xml(s.name()))
                        .append("\" time=\"0\">\n      <error message=\"").append(xml(s.error()))
                        .append("\" type=\"syntax error\"/>\n    </testcase>\n");
            }
            for (Outcome o : s.cases()) {
                sb.append(String.format(Locale.ROOT, "    <testcase name=\"%s\" classname=\"%s\" time=\"%.3f\">\n",
                        xml(o.name()), xml(s.name()), o.seconds()));
                if (!o.ok()) {
                    String tag = o.directive() == null ? "failure" : "error";
                    String msg = o.diagnostics().isEmpty() ? "failed" : o.diagnostics().get(0);
                    sb.append("      <").append(tag).append(" message=\"").append(xml(msg)).append("\" type=\"")
                            .append(o.directive() == null ? "expectation" : xml(o.directive().split(" ")[0].toLowerCase(Locale.ROOT)))
                            .append("\">").append(xml(String.join("\n", o.diagnostics()))).append("</").append(tag)
                            .append(">\n");
                }
                sb.append("      <system-out>").append(xml(o.log())).append("</system-out>\n    </testcase>\n");
            }
            sb.append("  </testsuite>\n");
        }
        return sb.append("</testsuites>\n").toString();
    }

    /** Escapes XML text and attribute values; characters XML 1.0 forbids become U+FFFD. */
    static String xml(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\n', '\t', '\r' -> sb.append(c);
                default -> sb.append(c < 0x20 ? '\ufffd' : c);
            }
        }
        return sb.toString();
    }
}
