package dev.kmodemu.junit.samples;

import dev.kmodemu.junit.ExpectFinding;
import dev.kmodemu.junit.ExpectedFindings;
import dev.kmodemu.junit.KernelTest;
import dev.kmodemu.junit.ModuleParams;
import dev.kmodemu.junit.ParameterSets;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.Finding;
import dev.kmodemu.kstubs.Kernel;
import dev.kmodemu.testmods.TestMods;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Path;

import static dev.kmodemu.junit.KernelAssertions.assertThat;

/** Test classes the extension's tests run through the JUnit launcher (Surefire skips them). */
public final class Samples {
    private Samples() {
    }

    static Path ko(String name) {
        return TestMods.path(name);
    }

    @KernelTest
    public static class Hello {
        @Test
        void greets(Kernel k) {
            k.insmod(ko("hello"), "count=2");
            assertThat(k.log()).containsLine("Hello, world 1").containsLine("Hello, world {{[0-9]+}}")
                    .hasLines(2, "Hello, world {{.}}").hasNoWarnings().hasNoReports();
            assertThat(k, "/sys/module/hello/parameters/count").hasContent("2\n").hasLine("{{[0-9]}}");
            assertThat(k, "/sys/module/hello/parameters/count").acceptsWrite("5");
            assertThat(k, "/proc/nothing").doesNotExist().failsWith(Errno.ENOENT);
            k.rmmod("hello");
            assertThat(k.log()).containsLinesInOrder("Hello, world 0", "Goodbye, world (count was 5)");
            assertThat(k).hasNoFindings().hasNoModulesLoaded();
        }

        @Test
        void wrongLine(Kernel k) {
            k.insmod(ko("hello"), "count=1");
            assertThat(k.log()).containsLine("Hello, world 7");
        }

        @Test
        void missingModule(Kernel k) {
            k.insmod(Path.of("no/such.ko"));
        }
    }

    @KernelTest
    public static class Warn {
        @Test
        void unexpected(Kernel k) {
            k.insmod(ko("warn"));
        }

        @Test
        @ExpectFinding(type = Finding.Type.WARNING, module = "warn")
        void expected(Kernel k) {
            k.insmod(ko("warn"));
            assertThat(k).hasFinding(Finding.Type.WARNING, "warn");
        }

        @Test
        @ExpectFinding(type = Finding.Type.OOPS)
        void expectedButAbsent(Kernel k) {
            k.insmod(ko("hello"));
        }

        @Test
        void oopsDeclaredAtRunTime(Kernel k, ExpectedFindings expected) {
            expected.add(Finding.Type.OOPS, "nullderef", "NULL pointer dereference");
            try {
                k.insmod(ko("nullderef"));
            } catch (dev.kmodemu.kstubs.KernelException e) {
                assertThat(k.log()).containsLine("BUG: kernel NULL pointer dereference, address: 0000000000000000");
            }
        }
    }

    @KernelTest
    public static class Params {
        @ParameterSets({"count=0", "count=3", ""})
        void greetsCountTimes(Kernel k, ModuleParams p) {
            k.insmod(ko("hello"), p.args());
            assertThat(k.log()).hasLines(p.getInt("count", 1), "Hello, world {{[0-9]+}}");
            assertThat(k, "/sys/module/hello/parameters/count").hasContent(p.getInt("count", 1) + "\n");
        }
    }

    /** The first test leaves a module loaded and a WARN behind: the second starts clean. */
    @KernelTest
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    public static class Isolation {
        @Test
        @Order(1)
        @ExpectFinding(type = Finding.Type.WARNING)
        void leaves(Kernel k) {
            k.insmod(ko("procerr"));
        }

        @Test
        @Order(2)
        void freshKernel(Kernel k) {
            assertThat(k).hasNoModulesLoaded().hasNoFindings();
            assertThat(k, "/proc/procerr").doesNotExist();
            assertThat(k, "/proc/procerr_forgotten").doesNotExist();
            k.insmod(ko("hello"));
        }
    }

    @KernelTest(scope = KernelTest.Scope.PER_CLASS, coverage = true)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    public static class Shared {
        @Test
        @Order(1)
        void loads(Kernel k) {
            k.insmod(ko("hello"));
        }

        @Test
        @Order(2)
        void stillLoaded(Kernel k) {
            assertThat(k).hasModuleLoaded("hello");
            k.rmmod("hello");
            assertThat(k.coverage()).hasLineRun("hello.c", 18).hasFunctionRun("hello_exit")
                    .hasLineCoverageAtLeast(100);
        }
    }

    /**
     * The benchmark suite of BENCHMARKS.md: 100 module tests, each loading hello.ko, making three
     * assertions and unloading it, in its own kernel.
     */
    @KernelTest
    public static class Hundred {
        @org.junit.jupiter.api.RepeatedTest(100)
        void loadAssertUnload(Kernel k) {
            k.insmod(ko("hello"), "count=2");
            assertThat(k.log()).containsLine("Hello, world 1");
            assertThat(k, "/sys/module/hello/parameters/count").hasContent("2\n");
            assertThat(k, "/proc/modules").hasLine("hello {{[0-9]+}} 0 - Live {{.*}}");
            k.rmmod("hello");
        }
    }
}
