package dev.kmodemu.kstubs.mm;

import dev.kmodemu.kstubs.Kernel;
import dev.kmodemu.kstubs.KernelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A kernel booted once per test class, with kernel symbols called through the CPU. */
abstract class BootedKernelTest {
    static Kernel kernel;
    static KernelContext c;

    @BeforeAll
    static void boot() {
        kernel = Kernel.boot();
        c = kernel.context();
    }

    @AfterAll
    static void shutdown() {
        kernel.close();
    }

    static long call(String name, long... args) {
        return c.call(c.sym(name), args);
    }
}
