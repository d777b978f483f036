package dev.kmodemu.kstubs.kernel;

/** The kernel panicked: nothing runs after this; the message is panic()'s text. */
public final class KernelPanic extends RuntimeException {
    public KernelPanic(String message) {
        super(message, null, false, false);
    }
}
