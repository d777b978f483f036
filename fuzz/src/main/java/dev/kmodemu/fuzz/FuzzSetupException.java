package dev.kmodemu.fuzz;

/** The module cannot be fuzzed: it does not load, or the configuration is wrong. The message says why. */
public final class FuzzSetupException extends RuntimeException {
    public FuzzSetupException(String message) {
        super(message);
    }
}
