package dev.kmodemu.fuzz;

import java.lang.foreign.MemorySegment;

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
     * (same order); returns how many. {@code words} is scratch space of the map's size in longs:
     * the map is copied in bulk and scanned as a Java array, a word at a time.
     */
    static int trace(MemorySegment map, long[] words, int[] indices, byte[] buckets) {
        int n = 0;
        int count = (int) (map.byteSize() / 8);
        MemorySegment.copy(map, JAVA_LONG_UNALIGNED, 0, words, 0, count);
        for (int w = 0; w < count; w++) {
            long v = words[w];
            if (v == 0) {
                continue;
            }
            for (int j = 0; j < 8; j++, v >>>= 8) {
                int b = (int) v & 0xff;
                if (b != 0 && n < indices.length) {
                    indices[n] = w * 8 + j;
                    buckets[n++] = BUCKET[b];
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
