package dev.kmodemu.junit;

import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a test once per module parameter set, each run in its own kernel (with the default
 * {@link KernelTest.Scope#PER_TEST}), named after its set. A {@link ModuleParams} parameter of the
 * test receives the set.
 *
 * <pre>{@code
 * @ParameterSets({"count=0", "count=1", "count=5"})
 * void greetsCountTimes(Kernel k, ModuleParams p) {
 *     k.insmod(HELLO, p.args());
 *     assertThat(k.log()).hasLines(p.getInt("count"), "Hello, world {{[0-9]+}}");
 * }
 * }</pre>
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@TestTemplate
@ExtendWith({ModuleParams.Provider.class, KernelExtension.class})
public @interface ParameterSets {
    /** One entry per run: the parameters as insmod takes them, separated by spaces ("" for none). */
    String[] value();
}
