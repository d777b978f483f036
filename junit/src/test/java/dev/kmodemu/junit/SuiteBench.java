package dev.kmodemu.junit;

import dev.kmodemu.junit.samples.Samples;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

import java.util.Map;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * The figure of BENCHMARKS.md "100 module tests in one JVM": runs {@link Samples.Hundred} through
 * the JUnit launcher, tests in parallel on as many threads as the machine has cores, several
 * times in one JVM, and prints each run's wall time. Not a test (no timing asserts); run it as
 * BENCHMARKS.md says.
 */
public final class SuiteBench {
    private SuiteBench() {
    }

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        boolean parallel = args.length < 2 || !args[1].equals("serial");
        long jvmStart = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        System.out.printf("JVM start to first run: %d ms%n", System.currentTimeMillis() - jvmStart);
        for (int i = 0; i < runs; i++) {
            LauncherDiscoveryRequest req = LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectClass(Samples.Hundred.class))
                    .configurationParameters(Map.of("junit.jupiter.execution.parallel.enabled", Boolean.toString(parallel),
                            "junit.jupiter.execution.parallel.mode.default", "concurrent",
                            "junit.jupiter.execution.parallel.config.strategy", "dynamic"))
                    .build();
            Launcher l = LauncherFactory.create();
            SummaryGeneratingListener s = new SummaryGeneratingListener();
            long t0 = System.nanoTime();
            l.execute(req, s);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("run %d: %d tests, %d failed, %d ms (%s)%n", i + 1, s.getSummary().getTestsSucceededCount()
                    + s.getSummary().getTestsFailedCount(), s.getSummary().getTestsFailedCount(), ms,
                    parallel ? "parallel" : "serial");
            s.getSummary().getFailures().forEach(f -> System.out.println(f.getException()));
        }
    }
}
