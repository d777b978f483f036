package dev.kmodemu.emu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
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

    private final Arena own = Arena.ofShared();
    /** struct table { u64 base; u64 length; u16 *sizes; u32 *counts; } */
    private final MemorySegment table;
    private Arena tablesArena;
    private MemorySegment sizes;
    private MemorySegment counts;
    private long base;
    private long length;

    BlockCoverage() {
        table = own.allocate(32, 8);
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
     * Makes the table cover {@code [begin, end)} as well as what it covered (blocks recorded so far
     * are kept). Call only while the guest does not run.
     */
    public void cover(long begin, long end) {
        if (length != 0 && Long.compareUnsigned(begin, base) >= 0
                && Long.compareUnsigned(end, base + length) <= 0) {
            return;
        }
        long lo = length == 0 || Long.compareUnsigned(begin, base) < 0 ? begin : base;
        long hi = length == 0 || Long.compareUnsigned(end, base + length) > 0 ? end : base + length;
        long n = hi - lo;
        Arena a = Arena.ofShared();
        MemorySegment s = a.allocate(JAVA_SHORT, n);
        MemorySegment c = a.allocate(JAVA_INT, n);
        if (length != 0) {
            long at = base - lo;
            MemorySegment.copy(sizes, 0, s, at * 2, length * 2);
            MemorySegment.copy(counts, 0, c, at * 4, length * 4);
            tablesArena.close();
        }
        tablesArena = a;
        sizes = s;
        counts = c;
        base = lo;
        length = n;
        table.set(JAVA_LONG, 0, base);
        table.set(JAVA_LONG, 8, length);
        table.set(ADDRESS, 16, sizes);
        table.set(ADDRESS, 24, counts);
    }

    /**
     * The blocks that started in {@code [begin, end)} and ran since the last harvest of that range,
     * lowest address first; their records are cleared (the range's code may be freed and reused).
     */
    public List<Block> harvest(long begin, long end) {
        List<Block> out = new ArrayList<>();
        if (length == 0) {
            return out;
        }
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
            }
        }
        sizes.asSlice(off * 2, n * 2).fill((byte) 0);
        counts.asSlice(off * 4, n * 4).fill((byte) 0);
        return out;
    }

    /** Frees the tables; the {@link Cpu} that owns this calls it after closing its engine. */
    void close() {
        if (tablesArena != null) {
            tablesArena.close();
            tablesArena = null;
        }
        length = 0;
        table.set(JAVA_LONG, 8, 0L);
        own.close();
    }
}
