package dev.kmodemu.kstubs;

/**
 * The variable arguments of a guest call, integer class only (the kernel uses no floating point):
 * each {@link #next()} returns the next 64-bit argument slot, as {@code va_arg} would read it.
 */
@FunctionalInterface
public interface VaList {
    long next();
}
