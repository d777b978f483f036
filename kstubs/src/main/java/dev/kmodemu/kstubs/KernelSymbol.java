package dev.kmodemu.kstubs;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a static method as the Java implementation of a kernel function. The method's Javadoc
 * is the C prototype. Parameters bind in SysV order after an optional leading
 * {@link KernelContext}: {@code long} (the raw 64-bit argument), {@code int} (its low 32 bits),
 * {@code boolean} (its low byte, non-zero = true), and a final {@link VaList} for the variadic
 * rest. The return value ({@code long}, {@code int}, {@code boolean} or {@code void}) goes to rax.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface KernelSymbol {
    /** The kernel symbol name(s) this method implements. */
    String[] value();

    /**
     * True for functions vmlinux does not export (reachable only through pointers the kernel
     * hands out, e.g. the {@code set}/{@code get} of {@code param_ops_*}). Exported names are
     * checked against the profile's {@code Module.symvers} at start-up.
     */
    boolean internal() default false;
}
