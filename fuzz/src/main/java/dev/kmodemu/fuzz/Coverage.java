package dev.kmodemu.fuzz;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * Edge coverage as AFL keeps it: the map an execution filled (one byte per edge, a hit count)
 * is classified into hit-count buckets (1, 2, 3, 4-7, 8-15, 16-31, 32-127, 128+), and compared with
 * the virgin map of every bucket of every edge seen so far. An input is interesting when it hits a
 * new edge or an edge a new number of times.
 */
final class Coverage {
    /** The bucket bit of each hit count. */
    private static final byte[] BUCKET = new byte[256];

    static {
        for (int i = 0; i < 256; i++) {
            BUCKET[i] = (byte) (i == 0 ? 0 : i == 1 ? 1 : i == 2 ? 2 : i == 3 ? 4 : i < 8 ? 8 : i < 16 ? 16 : i < 32 ? 32
                    : i < 128 ? 64 : 128);
        }
    }

    /** What a trace brings: nothing, new hit counts, or new edges. */
    static final int NONE = 0;
    static final int NEW_COUNTS = 1;
    static final int NEW_EDGES = 2;

    private final byte[] virgin;
    private int edges;

    Coverage(int size) {
        virgin = new byte[size];
        java.util.Arrays.fill(virgin, (byte) 0xff);
    }

    /** Edges seen so far. */
    synchronized int edges() {
        return edges;
    }

    /**
     * The edges of {@code map} (indices of non-zero bytes), and their buckets in {@code buckets}
     * (same order); returns how many.
     */
    static int trace(MemorySegment map, int[] indices, byte[] buckets) {
        int n = 0;
        long size = map.byteSize();
        for (long off = 0; off < size; off += 8) {
            if (map.get(JAVA_LONG_UNALIGNED, off) == 0) {
                continue;
            }
            for (int j = 0; j < 8; j++) {
                int v = map.get(JAVA_BYTE, off + j) & 0xff;
                if (v != 0 && n < indices.length) {
                    indices[n] = (int) off + j;
                    buckets[n++] = BUCKET[v];
                }
            }
        }
        return n;
    }

    /** Merges a trace into the virgin map; returns {@link #NONE}, {@link #NEW_COUNTS} or {@link #NEW_EDGES}. */
    synchronized int merge(int[] indices, byte[] buckets, int n) {
        int result = NONE;
        for (int i = 0; i < n; i++) {
            int idx = indices[i];
            int v = virgin[idx] & 0xff;
            int b = buckets[i] & 0xff;
            if ((v & b) != 0) {
                if (v == 0xff) {
                    edges++;
                    result = NEW_EDGES;
                } else if (result == NONE) {
                    result = NEW_COUNTS;
                }
                virgin[idx] = (byte) (v & ~b);
            }
        }
        return result;
    }

    /** True if merging the trace would bring anything (the virgin map is not changed). */
    synchronized boolean wouldAdd(int[] indices, byte[] buckets, int n) {
        for (int i = 0; i < n; i++) {
            if ((virgin[indices[i]] & buckets[i]) != 0) {
                return true;
            }
        }
        return false;
    }
}
