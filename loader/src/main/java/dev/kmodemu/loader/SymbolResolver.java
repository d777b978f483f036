package dev.kmodemu.loader;

/** Finds the value of an undefined symbol among the kernel's and other modules' exports. */
@FunctionalInterface
public interface SymbolResolver {
    /** A lookup result: the symbol's address, or a negative errno explaining the refusal. */
    record Resolved(long value, int err) {
        public static Resolved of(long value) {
            return new Resolved(value, 0);
        }

        public static Resolved error(int negativeErrno) {
            return new Resolved(0, negativeErrno);
        }
    }

    /** Returns null if no exporter has {@code name}. */
    Resolved resolve(String name);
}
