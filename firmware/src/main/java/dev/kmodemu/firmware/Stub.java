package dev.kmodemu.firmware;

/** A kernel function implemented in Java, called when guest code reaches its trampoline. */
@FunctionalInterface
public interface Stub {
    /** Runs the function; the result goes to rax. */
    long call(CallFrame frame);
}
