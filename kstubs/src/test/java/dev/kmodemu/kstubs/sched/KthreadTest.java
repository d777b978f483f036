package dev.kmodemu.kstubs.sched;

import dev.kmodemu.kstubs.Kernel;
import dev.kmodemu.kstubs.KernelException;
import dev.kmodemu.testmods.TestMods;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Kernel threads beyond what the golden case shows: their lifetime against the kernel's. */
public class KthreadTest {
    /** Java threads of kernel threads the test modules start that are alive. */
    public static long liveKthreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("kmodemu kthr_") && t.isAlive()).count();
    }

    @Test
    void closingTheKernelEndsItsThreads() {
        try (Kernel k = Kernel.boot()) {
            k.insmod("kthreads.ko", TestMods.ko("kthreads"), "");
            assertEquals(3, liveKthreads(), "worker, ponger and locker wait to be stopped");
        }
        assertEquals(0, liveKthreads());
    }

    @Test
    void threadsStoppedAtRmmodAreGone() {
        try (Kernel k = Kernel.boot()) {
            k.insmod("kthreads.ko", TestMods.ko("kthreads"), "");
            k.rmmod("kthreads");
            assertEquals(0, liveKthreads());
            List<String> log = k.log().stream().map(r -> r.message()).toList();
            assertTrue(log.contains("kthreads: never-woken thread returned -4"), log.toString());
        }
    }

    @Test
    void aSecondInsmodIsRefusedWhileThreadsRun() {
        try (Kernel k = Kernel.boot()) {
            k.insmod("kthreads.ko", TestMods.ko("kthreads"), "");
            KernelException e = assertThrows(KernelException.class,
                    () -> k.insmod("kthreads.ko", TestMods.ko("kthreads"), ""));
            assertEquals("could not insert module kthreads.ko: File exists", e.getMessage());
            k.rmmod("kthreads");
        }
    }
}
