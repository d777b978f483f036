package dev.kmodemu.loader.kmod;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Runs {@link Depmod} over a real module tree and compares every file with what kmod's depmod
 * wrote there. Not a unit test: {@code java -cp ... dev.kmodemu.loader.kmod.DepmodBench DIR [RUNS]},
 * e.g. over Debian's {@code /lib/modules/6.1.0-56-amd64} unpacked from the linux-image package.
 */
public final class DepmodBench {
    private DepmodBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        DepmodResult r = null;
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            r = Depmod.run(dir, Depmod.Options.defaults());
            long t1 = System.nanoTime();
            System.out.printf("run %d: %.2f s%n", i + 1, (t1 - t0) / 1e9);
        }
        Runtime rt = Runtime.getRuntime();
        System.out.printf("heap used after runs: %d MiB%n", (rt.totalMemory() - rt.freeMemory()) >> 20);
        r.messages().forEach(m -> System.out.println("  " + m));
        int bad = 0;
        for (Map.Entry<String, byte[]> e : r.files().entrySet()) {
            Path real = dir.resolve(e.getKey());
            if (!Files.exists(real)) {
                System.out.println(e.getKey() + ": no file from real depmod to compare");
                continue;
            }
            byte[] want = Files.readAllBytes(real);
            boolean same = Arrays.equals(want, e.getValue());
            if (!same) {
                bad++;
            }
            System.out.printf("%-26s %s (%d bytes)%n", e.getKey(), same ? "identical" : "DIFFERENT", e.getValue().length);
        }
        System.exit(bad == 0 ? 0 : 1);
    }
}
