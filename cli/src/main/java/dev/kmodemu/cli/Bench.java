package dev.kmodemu.cli;

import dev.kmodemu.kstubs.Kernel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * {@code kmodemu bench}: insmod + init + rmmod of the bundled hello module in a warm JVM, on one
 * booted kernel, and kernel boot time; prints median and percentiles.
 */
@Command(name = "bench", description = "Measure insmod+init+rmmod of the bundled hello module and kernel boot.")
final class Bench implements Callable<Integer> {
    @Option(names = "--warmup", defaultValue = "2000", description = "Warm-up iterations (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--iterations", defaultValue = "2000", description = "Measured iterations (default ${DEFAULT-VALUE}).")
    int iterations;

    @Override
    public Integer call() {
        byte[] hello = Main.bundledModule("hello");
        long[] load = new long[iterations];
        try (Kernel k = Kernel.boot()) {
            for (int i = 0; i < warmup; i++) {
                cycle(k, hello);
            }
            for (int i = 0; i < iterations; i++) {
                long t0 = System.nanoTime();
                cycle(k, hello);
                load[i] = System.nanoTime() - t0;
            }
        }
        int boots = Math.max(10, iterations / 100);
        long[] boot = new long[boots];
        for (int i = 0; i < boots; i++) {
            long t0 = System.nanoTime();
            try (Kernel k = Kernel.boot()) {
                boot[i] = System.nanoTime() - t0;
            }
        }
        System.out.println(stats("insmod+init+rmmod hello (warm JVM, one kernel)", load));
        System.out.println(stats("Kernel.boot() + close (warm JVM)", boot));
        return 0;
    }

    private static void cycle(Kernel k, byte[] hello) {
        k.insmod("hello.ko", hello, "");
        k.rmmod("hello");
        k.clearLog();
    }

    static String stats(String what, long[] ns) {
        long[] s = ns.clone();
        Arrays.sort(s);
        return String.format("%-48s n=%d  median %.3f ms  p10 %.3f ms  p90 %.3f ms  p99 %.3f ms", what, s.length,
                s[s.length / 2] / 1e6, s[s.length / 10] / 1e6, s[s.length * 9 / 10] / 1e6, s[s.length * 99 / 100] / 1e6);
    }
}
