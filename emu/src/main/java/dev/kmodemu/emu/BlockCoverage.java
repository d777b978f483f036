package dev.kmodemu.emu;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Which translation blocks of a range of guest code ran, and how often: a {@code UC_HOOK_BLOCK}
 * callback in native code (as {@link BlockCounter}, no Java upcall) records, for each executed
 * block, its size at its start address in a table of 16-bit sizes and 32-bit counts indexed by
 * the address's offset into the range. Installed only when coverage is asked for
 * ({@link Cpu#coverage}); costs a few nanoseconds per block of covered code and nothing elsewhere.
 *
 * <p>The callback, 30 bytes:
 * <pre>
 *   void cb(uc_engine *uc, uint64_t address, uint32_t size, struct table *t)   // rdi rsi edx rcx
 *       mov  %rsi, %rax               48 89 f0
 *       sub  (%rcx), %rax             48 2b 01        offset = address - t-&gt;base
 *       cmp  8(%rcx), %rax            48 3b 41 08     outside the table (unsigned)?
 *       jae  1f                       73 11
 *       mov  16(%rcx), %r8            4c 8b 41 10
 *       mov  %dx, (%r8,%rax,2)        66 41 89 14 40  t-&gt;sizes[offset] = size
 *       mov  24(%rcx), %r8            4c 8b 41 18
 *       incl (%r8,%rax,4)             41 ff 04 80     t-&gt;counts[offset]++
 *   1:  ret                           c3
 * </pre>
 */
public final class BlockCoverage {
    /** One executed block: where it starts, its size in bytes, how often it ran. */
    public record Block(long address, int size, long count) {
    }

    private static MemorySegment callback;
    private static final int PROT_READ_WRITE = 3;
    private static final int MAP_PRIVATE_ANONYMOUS_NORESERVE = 0x22 | 0x4000;

    private final Arena own = Arena.ofShared();
    /** struct table { u64 base; u64 length; u16 *sizes; u32 *counts; } */
    private final MemorySegment table;
    private final MemorySegment sizes;
    private final MemorySegment counts;
    private final long base;
    private final long length;

    /**
     * Tables for {@code [begin, end)}: anonymous mappings without swap reservation, so only the
     * pages of code that runs (and those harvested) take memory.
     */
    BlockCoverage(long begin, long end) {
        base = begin;
        length = end - begin;
        table = own.allocate(32, 8);
        sizes = map(length * 2);
        counts = map(length * 4);
        table.set(JAVA_LONG, 0, base);
        table.set(JAVA_LONG, 8, length);
        table.set(ADDRESS, 16, sizes);
        table.set(ADDRESS, 24, counts);
    }

    private static final MethodHandle MMAP;
    private static final MethodHandle MUNMAP;

    static {
        Linker linker = Linker.nativeLinker();
        MMAP = linker.downcallHandle(linker.defaultLookup().find("mmap").orElseThrow(),
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
        MUNMAP = linker.downcallHandle(linker.defaultLookup().find("munmap").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    }

    private static MemorySegment map(long bytes) {
        try {
            MemorySegment m = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, bytes, PROT_READ_WRITE,
                    MAP_PRIVATE_ANONYMOUS_NORESERVE, -1, 0L);
            if (m.address() == -1L) {
                throw new IllegalStateException("kmodemu: mmap of " + bytes + " bytes for coverage failed");
            }
            return m.reinterpret(bytes);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static synchronized MemorySegment callback() {
        if (callback == null) {
            byte[] code = {
                0x48, (byte) 0x89, (byte) 0xf0,
                0x48, 0x2b, 0x01,
                0x48, 0x3b, 0x41, 0x08,
                0x73, 0x11,
                0x4c, (byte) 0x8b, 0x41, 0x10,
                0x66, 0x41, (byte) 0x89, 0x14, 0x40,
                0x4c, (byte) 0x8b, 0x41, 0x18,
                0x41, (byte) 0xff, 0x04, (byte) 0x80,
                (byte) 0xc3,
            };
            callback = BlockCounter.mapCode(code, "block-coverage");
        }
        return callback;
    }

    /** The callback's user data. */
    MemorySegment userData() {
        return table;
    }

    /**
     * The blocks that started in {@code [begin, end)} and ran since the last harvest of that range,
     * lowest address first; their records are cleared (the range's code may be freed and reused).
     */
    public List<Block> harvest(long begin, long end) {
        List<Block> out = new ArrayList<>();
        long lo = Long.compareUnsigned(begin, base) < 0 ? base : begin;
        long hi = Long.compareUnsigned(end, base + length) > 0 ? base + length : end;
        if (Long.compareUnsigned(lo, hi) >= 0) {
            return out;
        }
        long off = lo - base;
        long n = hi - lo;
        short[] s = sizes.asSlice(off * 2, n * 2).toArray(JAVA_SHORT);
        int[] c = counts.asSlice(off * 4, n * 4).toArray(JAVA_INT);
        for (int i = 0; i < s.length; i++) {
            if (s[i] != 0 || c[i] != 0) {
                out.add(new Block(lo + i, s[i] & 0xffff, c[i] & 0xffffffffL));
                sizes.setAtIndex(JAVA_SHORT, off + i, (short) 0);
                counts.setAtIndex(JAVA_INT, off + i, 0);
            }
        }
        return out;
    }

    /** Frees the tables; the {@link Cpu} that owns this calls it after closing its engine. */
    void close() {
        try {
            int a = (int) MUNMAP.invokeExact(sizes, length * 2);
            int b = (int) MUNMAP.invokeExact(counts, length * 4);
        } catch (Throwable ignored) {
            // nothing more to free
        }
        own.close();
    }
}
