package dev.kmodemu.fuzz;

import dev.kmodemu.kstubs.Kernel;
import dev.kmodemu.kstubs.KernelFile;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Function;

/**
 * The fuzzing benchmark ({@code kmodemu fuzz --bench}): the cost of a snapshot restore, and the
 * throughput of campaigns on one core: init-path fuzzing of a small module and /proc write-handler
 * fuzzing. Wall-clock figures depend on what else the machine runs; each campaign also reports
 * executions per second of the process's CPU time (JIT and GC threads included), which does not.
 */
public final class FuzzBench {
    private FuzzBench() {
    }

    /** Module images the benchmark uses, by name (fuzz_bench, fuzz_procwrite, procfs_example). */
    public interface Modules extends Function<String, byte[]> {
    }

    /** Runs the benchmark, each campaign for {@code each}, printing a line per figure. */
    public static void run(Modules modules, Duration each, PrintStream out) {
        reset(modules.apply("fuzz_procwrite"), out);
        initReset(modules.apply("fuzz_bench"), out);
        campaign(out, "init path, fuzz_bench --faults (about 22,700 instructions a run)",
                Fuzzer.forModule("fuzz_bench.ko", modules.apply("fuzz_bench")).faults(), each);
        campaign(out, "init path, fuzz_bench --params --faults",
                Fuzzer.forModule("fuzz_bench.ko", modules.apply("fuzz_bench")).params().faults(), each);
        campaign(out, "/proc write handler, fuzz_procwrite --files --no-rmmod",
                Fuzzer.forModule("fuzz_procwrite.ko", modules.apply("fuzz_procwrite")).files().rmmod(false), each);
        campaign(out, "/proc write handler, fuzz_procwrite --files (rmmod each run)",
                Fuzzer.forModule("fuzz_procwrite.ko", modules.apply("fuzz_procwrite")).files(), each);
        campaign(out, "/proc write handler without a bug, procfs_example --file /proc/procfs_example/foo --no-rmmod",
                Fuzzer.forModule("procfs_example.ko", modules.apply("procfs_example"))
                        .files("/proc/procfs_example/foo").rmmod(false), each);
    }

    /** Snapshot restores: after a one-write run of a /proc handler, and with nothing changed. */
    static void reset(byte[] image, PrintStream out) {
        var threads = ManagementFactory.getThreadMXBean();
        try (Kernel k = Kernel.boot(Kernel.Options.defaults().withCallBudget(Duration.ZERO))) {
            k.insmod("fuzz_procwrite.ko", image, "");
            Kernel.Snapshot s = k.snapshot();
            byte[] data = "hello world".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            int n = 20000;
            long[] wall = new long[n];
            long cpu = 0;
            int dirty = 0;
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < n; i++) {
                    k.process("fuzz", () -> {
                        try (KernelFile f = k.open("/proc/fuzz_procwrite", KernelFile.O_WRONLY)) {
                            return f.write(data);
                        }
                    });
                    dirty = s.dirtyPages();
                    long c0 = threads.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    s.restore();
                    wall[i] = System.nanoTime() - t0;
                    cpu += threads.getCurrentThreadCpuTime() - c0;
                }
                if (round == 0) {
                    cpu = 0; // the first round warms up
                }
            }
            Arrays.sort(wall);
            out.printf("reset after a /proc write (%d dirty pages, %d Java objects, %d saved cells): median %.1f us, "
                    + "p90 %.1f us, CPU %.1f us%n", dirty, s.size()[0], s.size()[1], wall[n / 2] / 1e3,
                    wall[n * 9 / 10] / 1e3, cpu / 1e3 / n);
            long[] idle = new long[n];
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                s.restore();
                idle[i] = System.nanoTime() - t0;
            }
            Arrays.sort(idle);
            out.printf("reset with nothing changed: median %.1f us, p90 %.1f us%n", idle[n / 2] / 1e3,
                    idle[n * 9 / 10] / 1e3);
        }
    }

    /** Snapshot restores after init + rmmod of a prepared module (an init-path execution). */
    static void initReset(byte[] image, PrintStream out) {
        try (Kernel k = Kernel.boot(Kernel.Options.defaults().withCallBudget(Duration.ZERO))) {
            Kernel.PreparedModule m = k.prepareInsmod("fuzz_bench.ko", image);
            Kernel.Snapshot s = k.snapshot();
            int n = 10000;
            long[] wall = new long[n];
            int dirty = 0;
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < n; i++) {
                    m.init("");
                    k.rmmod("fuzz_bench");
                    dirty = s.dirtyPages();
                    long t0 = System.nanoTime();
                    s.restore();
                    wall[i] = System.nanoTime() - t0;
                }
            }
            Arrays.sort(wall);
            out.printf("reset after init + rmmod of fuzz_bench (%d dirty pages): median %.1f us, p90 %.1f us%n", dirty,
                    wall[n / 2] / 1e3, wall[n * 9 / 10] / 1e3);
        }
    }

    private static void campaign(PrintStream out, String what, Fuzzer.Builder b, Duration each) {
        // a first run warms the JIT up
        b.seed(1).jobs(1).maxTime(Duration.ofSeconds(Math.max(2, each.toSeconds() / 2))).run();
        FuzzResult r = b.seed(2).maxTime(each).run();
        FuzzStats s = r.stats();
        out.printf("%s: %d executions in %.1f s, %.0f/s wall, %.0f per CPU-second of the fuzzing thread; %d edges, "
                + "%d findings%n", what, s.execs(), s.elapsed().toMillis() / 1000.0, s.execsPerSecond(),
                s.execsPerCpuSecond(), s.edges(), r.findings().size());
    }
}
