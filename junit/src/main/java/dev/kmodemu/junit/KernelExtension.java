package dev.kmodemu.junit;

import dev.kmodemu.kstubs.Coverage;
import dev.kmodemu.kstubs.Finding;
import dev.kmodemu.kstubs.Kernel;
import dev.kmodemu.kstubs.KernelException;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.AssertionFailedError;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The JUnit 5 extension behind {@link KernelTest}: boots kernels, injects them (and
 * {@link ExpectedFindings}) into test methods, fails tests on findings they did not expect and
 * puts the kernel log into failure messages. Use it through {@code @KernelTest} or
 * {@code @ExtendWith(KernelExtension.class)} (then with the defaults of {@link KernelTest}).
 *
 * <p>No state is shared between tests: each kernel belongs to one test (or, with
 * {@link KernelTest.Scope#PER_CLASS}, to one class, whose tests must then not run concurrently);
 * tests may run in parallel. The only JVM-wide object is the lcov accumulator of
 * {@code -Dkmodemu.coverage=FILE}, which is synchronized.
 */
public final class KernelExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback,
        ParameterResolver, TestExecutionExceptionHandler {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(KernelExtension.class);
    /** The system property naming the lcov file of a whole run. */
    public static final String COVERAGE_PROPERTY = "kmodemu.coverage";
    /** At most this many log lines go into a failure message (the last ones). */
    static final int LOG_LINES = 400;

    public KernelExtension() {
    }

    /** A kernel in a store: closed with its context, its coverage added to the run's file first. */
    private static final class Holder implements ExtensionContext.Store.CloseableResource {
        final Kernel kernel;
        final SuiteCoverage suite;
        int findingsAtStart;

        Holder(Kernel kernel, SuiteCoverage suite) {
            this.kernel = kernel;
            this.suite = suite;
        }

        @Override
        public void close() {
            try {
                if (suite != null) {
                    suite.add(kernel.coverage());
                }
            } finally {
                kernel.close();
            }
        }
    }

    /** The coverage of every kernel of the run, written to {@code -Dkmodemu.coverage=FILE} at its end. */
    private static final class SuiteCoverage implements ExtensionContext.Store.CloseableResource {
        final Path file;
        final Coverage all = new Coverage();

        SuiteCoverage(Path file) {
            this.file = file;
        }

        synchronized void add(Coverage c) {
            all.add(c);
        }

        @Override
        public synchronized void close() throws IOException {
            all.writeLcov(file, "kmodemu_junit");
        }
    }

    private static KernelTest config(ExtensionContext c) {
        KernelTest t = c.getElement().flatMap(e -> AnnotationSupport.findAnnotation(e, KernelTest.class)).orElse(null);
        if (t == null && c.getTestClass().isPresent()) {
            t = AnnotationSupport.findAnnotation(c.getTestClass().get(), KernelTest.class).orElse(null);
        }
        return t == null ? Defaults.class.getAnnotation(KernelTest.class) : t;
    }

    @KernelTest
    private static final class Defaults {
    }

    private static KernelTest.Scope scope(ExtensionContext c) {
        return c.getTestClass().flatMap(k -> AnnotationSupport.findAnnotation(k, KernelTest.class))
                .map(KernelTest::scope).orElse(KernelTest.Scope.PER_TEST);
    }

    private static Holder boot(ExtensionContext c, KernelTest t) {
        String file = c.getConfigurationParameter(COVERAGE_PROPERTY).orElse(System.getProperty(COVERAGE_PROPERTY));
        SuiteCoverage suite = file == null || file.isEmpty() ? null
                : c.getRoot().getStore(NS).getOrComputeIfAbsent(SuiteCoverage.class,
                        k -> new SuiteCoverage(Path.of(file).toAbsolutePath()), SuiteCoverage.class);
        Kernel.Options o = Kernel.Options.defaults().withCallBudget(Duration.ofMillis(t.callBudgetMillis()))
                .withBlockBudget(t.maxBlocks()).withCoverage(t.coverage() || suite != null)
                .withModules(t.modules().isEmpty() ? null : Path.of(t.modules()).toAbsolutePath());
        return new Holder(Kernel.boot(o), suite);
    }

    @Override
    public void beforeAll(ExtensionContext c) {
        if (scope(c) == KernelTest.Scope.PER_CLASS) {
            c.getStore(NS).put(Holder.class, boot(c, config(c)));
        }
    }

    @Override
    public void beforeEach(ExtensionContext c) {
        if (scope(c) == KernelTest.Scope.PER_CLASS) {
            Holder h = holder(c, false);
            if (h != null) {
                h.findingsAtStart = h.kernel.findings().size();
            }
        }
    }

    /** The kernel of the running test, booting it on first use; null for none yet if {@code create} is false. */
    private static Holder holder(ExtensionContext c, boolean create) {
        if (scope(c) == KernelTest.Scope.PER_CLASS) {
            for (ExtensionContext x = c; x != null; x = x.getParent().orElse(null)) {
                Holder h = x.getStore(NS).get(Holder.class, Holder.class);
                if (h != null) {
                    return h;
                }
            }
        }
        Holder h = c.getStore(NS).get(Holder.class, Holder.class);
        if (h == null && create) {
            h = boot(c, config(c));
            c.getStore(NS).put(Holder.class, h);
        }
        return h;
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
        Class<?> t = p.getParameter().getType();
        return t == Kernel.class || t == ExpectedFindings.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext c) {
        Class<?> t = p.getParameter().getType();
        if (t == Kernel.class) {
            if (c.getTestMethod().isEmpty() && scope(c) != KernelTest.Scope.PER_CLASS) {
                throw new ParameterResolutionException("kmodemu: a Kernel parameter outside a test method needs "
                        + "@KernelTest(scope = PER_CLASS)");
            }
            return holder(c, true).kernel;
        }
        return expected(c);
    }

    private static ExpectedFindings expected(ExtensionContext c) {
        return c.getStore(NS).getOrComputeIfAbsent(ExpectedFindings.class, k -> {
            ExpectedFindings e = new ExpectedFindings();
            List<ExpectFinding> declared = new java.util.ArrayList<>();
            c.getTestClass().ifPresent(
                    k2 -> declared.addAll(AnnotationSupport.findRepeatableAnnotations(k2, ExpectFinding.class)));
            c.getTestMethod().ifPresent(
                    m -> declared.addAll(AnnotationSupport.findRepeatableAnnotations(m, ExpectFinding.class)));
            for (ExpectFinding f : declared) {
                e.add(f.type(), f.module(), f.title());
            }
            return e;
        }, ExpectedFindings.class);
    }

    @Override
    public void afterEach(ExtensionContext c) {
        Holder h = holder(c, false);
        if (h == null) {
            return;
        }
        List<Finding> all = h.kernel.findings();
        int from = scope(c) == KernelTest.Scope.PER_CLASS ? Math.min(h.findingsAtStart, all.size()) : 0;
        List<String> problems = expected(c).problems(all.subList(from, all.size()));
        if (!problems.isEmpty()) {
            throw new AssertionFailedError(String.join("\n", problems) + logSection(h.kernel));
        }
    }

    @Override
    public void handleTestExecutionException(ExtensionContext c, Throwable t) throws Throwable {
        Holder h = holder(c, false);
        if (h == null || t instanceof org.opentest4j.TestAbortedException) {
            throw t;
        }
        String log = logSection(h.kernel);
        AssertionError e;
        if (t instanceof AssertionFailedError a) {
            e = a.isExpectedDefined() || a.isActualDefined()
                    ? new AssertionFailedError(a.getMessage() + log, a.getExpected() == null ? null : a.getExpected().getValue(),
                            a.getActual() == null ? null : a.getActual().getValue(), a.getCause())
                    : new AssertionFailedError(a.getMessage() + log, a.getCause());
        } else if (t instanceof AssertionError a) {
            e = new AssertionFailedError(a.getMessage() + log, a.getCause());
        } else if (t instanceof KernelException k) {
            e = new AssertionFailedError("kmodemu: " + k.getMessage() + log, k);
        } else {
            e = new AssertionFailedError(t + log, t);
        }
        e.setStackTrace(t.getStackTrace());
        for (Throwable s : t.getSuppressed()) {
            e.addSuppressed(s);
        }
        throw e;
    }

    /** The kernel log as a failure message's last section: dmesg's format, the last {@link #LOG_LINES} lines. */
    static String logSection(Kernel k) {
        String[] lines = k.dmesg().split("\n");
        StringBuilder sb = new StringBuilder("\n\nkernel log (dmesg):\n");
        int from = Math.max(0, lines.length - LOG_LINES);
        if (from > 0) {
            sb.append("[... ").append(from).append(" earlier lines]\n");
        }
        for (int i = from; i < lines.length; i++) {
            if (!lines[i].isEmpty()) {
                sb.append(lines[i]).append('\n');
            }
        }
        return sb.toString();
    }
}
