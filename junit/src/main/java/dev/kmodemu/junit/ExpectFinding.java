package dev.kmodemu.junit;

import dev.kmodemu.kstubs.Finding;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a finding the test expects the kernel to report: the test fails if none matches, and
 * findings that match are not failures. Repeatable; on a class it applies to each of its tests.
 *
 * <pre>{@code
 * @Test
 * @ExpectFinding(type = Finding.Type.WARNING, module = "warn")
 * void warnsAndGoesOn(Kernel k) { ... }
 * }</pre>
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Repeatable(ExpectFinding.List.class)
public @interface ExpectFinding {
    Finding.Type type();

    /** The module at fault ({@link Finding#module()}); "" for any. */
    String module() default "";

    /** A regular expression the report's title must contain a match of; "" for any. */
    String title() default "";

    /** The container of repeated {@link ExpectFinding}s. */
    @Target({ElementType.TYPE, ElementType.METHOD})
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    @interface List {
        ExpectFinding[] value();
    }
}
