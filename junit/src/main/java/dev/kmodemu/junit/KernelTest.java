package dev.kmodemu.junit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test class (or method) whose tests get a booted emulated {@link dev.kmodemu.kstubs.Kernel}
 * as a parameter, a fresh one per test unless {@link #scope()} says otherwise; a test fails when
 * the kernel reports a finding (oops, WARN, BUG, soft lockup, stack overflow, panic, hung task,
 * and any kind added later) the test did not declare with {@link ExpectFinding}, and every
 * failure message ends with the kernel log as {@code dmesg} prints it.
 *
 * <pre>{@code
 * @KernelTest
 * class HelloTest {
 *     @Test
 *     void greets(Kernel k) {
 *         k.insmod(Path.of("hello.ko"), "count=2");
 *         assertThat(k.log()).containsLine("Hello, world 1");
 *         k.rmmod("hello");
 *     }
 * }
 * }</pre>
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(KernelExtension.class)
public @interface KernelTest {
    /** Which tests share a kernel. */
    enum Scope {
        /** Each test (each invocation of a parameterized or repeated test) boots its own kernel. */
        PER_TEST,
        /** The tests of a class share one kernel, booted before the first and closed after the last. */
        PER_CLASS
    }

    Scope scope() default Scope.PER_TEST;

    /** Wall-time budget of each call into module code, in milliseconds (as {@code --timeout}). */
    long callBudgetMillis() default 10_000;

    /** Instruction budget of each call into module code, in executed blocks (as {@code --max-blocks}). */
    long maxBlocks() default dev.kmodemu.kstubs.Kernel.Options.DEFAULT_BLOCK_BUDGET;

    /**
     * Record source coverage in each kernel ({@link dev.kmodemu.kstubs.Kernel#coverage()}). The
     * system property {@code kmodemu.coverage=FILE} turns it on for every kernel the extension
     * boots and writes the whole run's coverage to FILE as an lcov tracefile at the end.
     */
    boolean coverage() default false;

    /** The directory that plays {@code /lib/modules/<release>} for modprobe ("" for none). */
    String modules() default "";
}
