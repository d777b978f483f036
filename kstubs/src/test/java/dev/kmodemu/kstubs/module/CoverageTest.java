package dev.kmodemu.kstubs.module;

import dev.kmodemu.kstubs.Coverage;
import dev.kmodemu.kstubs.Kernel;
import dev.kmodemu.testmods.TestMods;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Source coverage of module code through its DWARF line table. */
class CoverageTest {
    static Kernel boot() {
        return Kernel.boot(Kernel.Options.defaults().withCoverage(true));
    }

    /**
     * hello.c: init is lines 14-20 (the loop body 18 runs count times; the loop's condition on
     * 17 is counted as often as its most executed block, the one inside the loop), exit 23-25;
     * the lines gcc gave code are exactly those the line table lists.
     */
    @Test
    void helloInitAndExitLinesWithCounts() {
        try (Kernel k = boot()) {
            k.insmod("hello.ko", TestMods.ko("hello"), "count=3");
            Coverage.FileCoverage f = k.coverage().file("hello.c");
            // init ran, exit has not yet
            assertEquals(Map.of(14, 1L, 15, 1L, 17, 3L, 18, 3L, 19, 1L, 20, 1L, 23, 0L, 24, 0L), new TreeMap<>(f.lines()));
            k.rmmod("hello");
            f = k.coverage().file("hello.c");
            assertEquals(Map.of(14, 1L, 15, 1L, 17, 3L, 18, 3L, 19, 1L, 20, 1L, 23, 1L, 24, 1L), new TreeMap<>(f.lines()));
            assertEquals(List.of(new Coverage.Function("hello_init", 14, 1), new Coverage.Function("hello_exit", 23, 1)),
                    f.functions());
            assertEquals("lines: 100.0% (8 of 8), functions: 100.0% (2 of 2)", k.coverage().summary());
            // only the module's own file: no kernel headers, no hello.mod.c
            assertEquals(1, k.coverage().files().size());
        }
    }

    @Test
    void countZeroSkipsTheLoopBodyAndLcovSaysSo() {
        try (Kernel k = boot()) {
            k.insmod("hello.ko", TestMods.ko("hello"), "count=0");
            k.rmmod("hello");
            String lcov = k.coverage().lcov("t");
            String path = k.coverage().file("hello.c").path();
            assertEquals("TN:t\nSF:" + path + "\nFN:14,hello_init\nFN:23,hello_exit\nFNDA:1,hello_init\n"
                    + "FNDA:1,hello_exit\nFNF:2\nFNH:2\nDA:14,1\nDA:15,1\nDA:17,1\nDA:18,0\nDA:19,1\nDA:20,1\n"
                    + "DA:23,1\nDA:24,1\nLF:8\nLH:7\nend_of_record\n", lcov);
        }
    }

    /** Two kernels' coverage add up as lcov -a adds tracefiles. */
    @Test
    void coveragesAddUp() {
        Coverage all = new Coverage();
        for (String p : List.of("count=1", "count=2")) {
            try (Kernel k = boot()) {
                k.insmod("hello.ko", TestMods.ko("hello"), p);
                all.add(k.coverage());
            }
        }
        assertEquals(3L, all.file("hello.c").lines().get(18));
        assertEquals(0L, all.file("hello.c").lines().get(23));
    }

    /** The init sections are mapped before they are freed; memory reused by the next module is not confused with them. */
    @Test
    void failingInitAndReuseOfModuleMemory() {
        try (Kernel k = boot()) {
            assertThrows(dev.kmodemu.kstubs.KernelException.class,
                    () -> k.insmod("failinit.ko", TestMods.ko("failinit"), ""));
            k.insmod("hello.ko", TestMods.ko("hello"), "");
            Coverage c = k.coverage();
            assertTrue(c.file("failinit.c").linesHit() > 0, c.lcov(""));
            assertEquals(1L, c.file("hello.c").lines().get(18));
        }
    }

    @Test
    void offUnlessAskedFor() {
        try (Kernel k = Kernel.boot()) {
            assertEquals("kmodemu: coverage is off; boot with Kernel.Options.withCoverage(true)",
                    assertThrows(IllegalStateException.class, k::coverage).getMessage());
            assertNull(k.context().modules().coverage());
        }
    }
}
