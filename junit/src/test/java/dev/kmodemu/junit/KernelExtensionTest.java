package dev.kmodemu.junit;

import dev.kmodemu.junit.samples.Samples;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/** Runs the sample test classes through the JUnit launcher and checks what a user would see. */
class KernelExtensionTest {
    /** Each test's display name and result. */
    static Map<String, TestExecutionResult> run(Class<?> c, Map<String, String> config) {
        Map<String, TestExecutionResult> out = new LinkedHashMap<>();
        LauncherDiscoveryRequest req = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(c))
                .configurationParameters(config).build();
        Launcher l = LauncherFactory.create();
        l.execute(req, new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult r) {
                if (id.isTest()) {
                    out.put(id.getDisplayName(), r);
                }
            }
        });
        return out;
    }

    static Map<String, TestExecutionResult> run(Class<?> c) {
        return run(c, Map.of());
    }

    static String message(TestExecutionResult r) {
        return r.getThrowable().map(Throwable::getMessage).orElse("");
    }

    @Test
    void passingTestAndFailuresWithTheKernelLog() {
        Map<String, TestExecutionResult> r = run(Samples.Hello.class);
        assertEquals(TestExecutionResult.Status.SUCCESSFUL, r.get("greets(Kernel)").getStatus(), message(r.get("greets(Kernel)")));
        TestExecutionResult wrong = r.get("wrongLine(Kernel)");
        assertEquals(TestExecutionResult.Status.FAILED, wrong.getStatus());
        assertTrue(message(wrong).startsWith("the kernel log has no line \"Hello, world 7\"\n\nkernel log (dmesg):\n"
                + "[    0.000000] hello: loading out-of-tree module taints kernel.\n"), message(wrong));
        assertTrue(message(wrong).endsWith("[    0.000000] Hello, world 0\n"), message(wrong));
        assertTrue(wrong.getThrowable().get() instanceof org.opentest4j.AssertionFailedError a && a.isExpectedDefined()
                && a.getExpected().getValue().equals("Hello, world 7"));
        assertTrue(message(r.get("missingModule(Kernel)")).startsWith(
                "kmodemu: could not load module no/such.ko: No such file or directory\n\nkernel log (dmesg):\n"),
                message(r.get("missingModule(Kernel)")));
    }

    @Test
    void findingsFailTestsUnlessExpected() {
        Map<String, TestExecutionResult> r = run(Samples.Warn.class);
        String unexpected = message(r.get("unexpected(Kernel)"));
        assertTrue(unexpected.startsWith("unexpected WARNING in warn: WARNING: CPU: 0 PID: "), unexpected);
        assertTrue(unexpected.contains("\n\nkernel log (dmesg):\n"), unexpected);
        assertTrue(unexpected.contains("] ------------[ cut here ]------------\n"), unexpected);
        assertEquals(TestExecutionResult.Status.SUCCESSFUL, r.get("expected(Kernel)").getStatus(),
                message(r.get("expected(Kernel)")));
        assertTrue(message(r.get("expectedButAbsent(Kernel)")).startsWith(
                "expected a finding of type OOPS, but the kernel reported none\n\nkernel log (dmesg):\n"),
                message(r.get("expectedButAbsent(Kernel)")));
        assertEquals(TestExecutionResult.Status.SUCCESSFUL, r.get("oopsDeclaredAtRunTime(Kernel, ExpectedFindings)")
                .getStatus(), message(r.get("oopsDeclaredAtRunTime(Kernel, ExpectedFindings)")));
    }

    @Test
    void oneRunPerParameterSetEachInItsOwnKernel() {
        Map<String, TestExecutionResult> r = run(Samples.Params.class);
        assertEquals(java.util.List.of("[1] count=0", "[2] count=3", "[3] (no parameters)"), java.util.List.copyOf(r.keySet()));
        r.forEach((n, x) -> assertEquals(TestExecutionResult.Status.SUCCESSFUL, x.getStatus(), n + ": " + message(x)));
    }

    @Test
    void aTestThatLeavesStateBehindDoesNotAffectTheNext() {
        Map<String, TestExecutionResult> r = run(Samples.Isolation.class);
        r.forEach((n, x) -> assertEquals(TestExecutionResult.Status.SUCCESSFUL, x.getStatus(), n + ": " + message(x)));
        assertEquals(2, r.size());
    }

    @Test
    void perClassKernelAndCoverageFileOfTheRun() throws Exception {
        Path lcov = Files.createTempFile("kmodemu-junit", ".info");
        try {
            Map<String, TestExecutionResult> r = run(Samples.Shared.class,
                    Map.of(KernelExtension.COVERAGE_PROPERTY, lcov.toString()));
            r.forEach((n, x) -> assertEquals(TestExecutionResult.Status.SUCCESSFUL, x.getStatus(), n + ": " + message(x)));
            String info = Files.readString(lcov);
            assertTrue(info.contains("/hello/hello.c\n") && info.contains("DA:18,1\n") && info.contains("LH:8\n"), info);
        } finally {
            Files.deleteIfExists(lcov);
        }
    }
}
