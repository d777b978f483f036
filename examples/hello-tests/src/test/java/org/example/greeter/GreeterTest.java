package org.example.greeter;

import dev.kmodemu.junit.ExpectFinding;
import dev.kmodemu.junit.KernelTest;
import dev.kmodemu.junit.ModuleParams;
import dev.kmodemu.junit.ParameterSets;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.Finding;
import dev.kmodemu.kstubs.Kernel;
import dev.kmodemu.kstubs.KernelException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static dev.kmodemu.junit.KernelAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** greeter.ko on kmodemu: each test gets a freshly booted kernel. */
@KernelTest
class GreeterTest {
    static final Path GREETER = Path.of("module/greeter.ko");

    @Test
    void greetsTheWorld(Kernel k) {
        k.insmod(GREETER);
        assertThat(k.log()).containsLine("Hello World!").hasNoWarnings();
        assertThat(k, "/proc/greeter").hasContent("Hello World! (1)\n");
        k.rmmod("greeter");
        assertThat(k.log()).containsLine("Goodbye World!");
        assertThat(k, "/proc/greeter").doesNotExist();
    }

    @Test
    void countIsWritableInSysfs(Kernel k) {
        k.insmod(GREETER, "name=Tux");
        assertThat(k, "/sys/module/greeter/parameters/count").hasContent("1\n").acceptsWrite("3");
        assertThat(k, "/proc/greeter").hasLines("Hello Tux! (1)", "Hello Tux! (2)", "Hello Tux! (3)");
        assertThat(k, "/sys/module/greeter/parameters/name").rejectsWrite("Bob", Errno.EACCES);
    }

    @ParameterSets({"count=0", "count=2 name=Ada", "count=5"})
    void repeatsCountTimes(Kernel k, ModuleParams p) {
        k.insmod(GREETER, p.args());
        String who = p.get("name") == null ? "World" : p.get("name");
        int n = p.getInt("count");
        assertThat(k.log()).containsLine("Hello " + who + "!");
        assertEquals(n, k.read("/proc/greeter").lines().count());
        if (n > 0) {
            assertThat(k, "/proc/greeter").hasLine("Hello " + who + "! ({{[0-9]+}})").hasLine("Hello " + who + "! (" + n + ")");
        }
    }

    @Test
    void negativeCountIsRefused(Kernel k) {
        KernelException e = assertThrows(KernelException.class, () -> k.insmod(GREETER, "count=-1"));
        assertEquals("could not insert module module/greeter.ko: Invalid parameters", e.getMessage());
        assertThat(k.log()).containsLine("greeter: count must not be negative, got -1").hasNoReports();
        assertThat(k).hasModuleNotLoaded("greeter");
    }

    /** A test that expects the kernel to report something declares it; any other finding fails the test. */
    @Test
    @ExpectFinding(type = Finding.Type.WARNING, module = "greeter")
    void hugeCountIsClampedWithAWarning(Kernel k) {
        k.insmod(GREETER, "count=5000");
        assertThat(k.log()).containsLineMatching("^WARNING: CPU: 0 PID: [0-9]+ at .*greeter.c:[0-9]+ greeter_init");
        assertThat(k, "/sys/module/greeter/parameters/count").hasContent("1000\n");
    }
}
