package dev.kmodemu.kstubs;

import dev.kmodemu.firmware.Machine;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a static method {@code void init(KernelContext k, long address)} that fills in the storage
 * of a kernel data symbol at boot. The storage ({@link #size} bytes, or the profile size
 * {@link #sizeOf}) is allocated in {@link #section} before the method runs.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface KernelData {
    /** The symbol name. */
    String value();

    Machine.Section section() default Machine.Section.DATA;

    /** Size in bytes (used when {@link #sizeOf} is empty). */
    long size() default 8;

    /** A profile key giving the size, e.g. {@code "kernel_param_ops_sizeof"}. */
    String sizeOf() default "";

    long align() default 8;
}
