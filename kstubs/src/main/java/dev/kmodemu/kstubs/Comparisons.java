package dev.kmodemu.kstubs;

import dev.kmodemu.firmware.Kallsyms;
import dev.kmodemu.firmware.Stub;

import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Observes the operands of the string and memory comparisons module code makes through kernel
 * functions ({@code strcmp}, {@code memcmp}, {@code sysfs_streq}, ...), for a fuzzer's dictionary:
 * what a module compares its input against is what its input should contain (libFuzzer's
 * value-profile and AFL++'s CmpLog do the same for compiled code; comparisons the compiler inlines
 * into {@code cmp} instructions are found by disassembling the module instead). Off unless an
 * observer is set; then each call hands both operands (at most {@link #MAX} bytes each) over
 * before the function runs.
 */
public final class Comparisons {
    /** The longest operand passed on. */
    public static final int MAX = 64;

    /** Which arguments are compared: {@code n} is the index of a length argument, or -1 for NUL-terminated. */
    private record Shape(int a, int b, int n) {
    }

    private static final Map<String, Shape> SHAPES = Map.ofEntries(
            Map.entry("strcmp", new Shape(0, 1, -1)),
            Map.entry("strncmp", new Shape(0, 1, 2)),
            Map.entry("strcasecmp", new Shape(0, 1, -1)),
            Map.entry("strncasecmp", new Shape(0, 1, 2)),
            Map.entry("memcmp", new Shape(0, 1, 2)),
            Map.entry("bcmp", new Shape(0, 1, 2)),
            Map.entry("strstr", new Shape(0, 1, -1)),
            Map.entry("strnstr", new Shape(0, 1, -1)),
            Map.entry("sysfs_streq", new Shape(0, 1, -1)));

    @dev.kmodemu.emu.StateSnapshot.Exclude("a host-side hook, not kernel state")
    private BiConsumer<byte[], byte[]> observer;

    Comparisons() {
    }

    /** Sets the observer of comparisons made by module code (null: none). */
    public void observe(BiConsumer<byte[], byte[]> o) {
        observer = o;
    }

    /** Wraps {@code stub} if {@code symbol} compares strings or memory. */
    static Stub wrap(KernelContext k, String symbol, Stub stub) {
        Shape s = SHAPES.get(symbol);
        if (s == null) {
            return stub;
        }
        return frame -> {
            BiConsumer<byte[], byte[]> o = k.comparisons().observer;
            if (o != null) {
                Kallsyms.Lookup caller = k.machine().kallsyms().lookup(frame.returnAddress());
                if (caller != null && caller.module() != null) {
                    int n = s.n() < 0 ? MAX : (int) Math.min(MAX, Math.max(0, frame.arg(s.n())));
                    o.accept(operand(k, frame.arg(s.a()), n, s.n() < 0), operand(k, frame.arg(s.b()), n, s.n() < 0));
                }
            }
            return stub.call(frame);
        };
    }

    private static byte[] operand(KernelContext k, long p, int n, boolean string) {
        byte[] b = k.mem().peek(p, n);
        if (b == null) {
            return new byte[0];
        }
        if (string) {
            for (int i = 0; i < b.length; i++) {
                if (b[i] == 0) {
                    return java.util.Arrays.copyOf(b, i);
                }
            }
        }
        return b;
    }
}
