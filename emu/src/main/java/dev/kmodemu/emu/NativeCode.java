package dev.kmodemu.emu;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Small hand-assembled x86-64 callbacks for Unicorn hooks that run on every block or memory
 * access, where a Java upcall (about 24 ns) would dominate: each is copied into a page of its own
 * that is then made read-only and executable ({@code mmap}, {@code mprotect}), once per JVM.
 */
final class NativeCode {
    private NativeCode() {
    }

    private static final int PROT_READ = 1;
    private static final int PROT_WRITE = 2;
    private static final int PROT_EXEC = 4;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x22;
    private static final long PAGE = 4096;

    /** Maps {@code code} (at most a page) executable and returns its address. */
    static MemorySegment map(String what, byte[] code) {
        if (code.length > PAGE) {
            throw new IllegalArgumentException(what + ": more than a page of code");
        }
        Linker linker = Linker.nativeLinker();
        MethodHandle mmap = linker.downcallHandle(linker.defaultLookup().find("mmap").orElseThrow(),
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
        MethodHandle mprotect = linker.downcallHandle(linker.defaultLookup().find("mprotect").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
        try {
            MemorySegment page = (MemorySegment) mmap.invokeExact(MemorySegment.NULL, PAGE, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE_ANONYMOUS, -1, 0L);
            if (page.address() == -1L) {
                throw new IllegalStateException("kmodemu: mmap of the " + what + " page failed");
            }
            page = page.reinterpret(PAGE);
            MemorySegment.copy(MemorySegment.ofArray(code), 0, page, 0, code.length);
            int rc = (int) mprotect.invokeExact(page, PAGE, PROT_READ | PROT_EXEC);
            if (rc != 0) {
                throw new IllegalStateException("kmodemu: mprotect of the " + what + " page failed");
            }
            return page;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The address of a function of the Unicorn library (for tail calls from native code). */
    static long unicornFunction(String name) {
        return SymbolLookup.libraryLookup(Path.of(Unicorn.LIBRARY), Arena.global()).find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("kmodemu: " + name + " not found in " + Unicorn.LIBRARY))
                .address();
    }

    /** Converts an annotated listing's bytes (ints for readability) to a byte array. */
    static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }
}
