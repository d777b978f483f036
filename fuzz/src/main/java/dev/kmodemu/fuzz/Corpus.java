package dev.kmodemu.fuzz;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The inputs kept because each brought new coverage, with the edges each hits. Entries that are
 * the smallest to hit some edge are favored (AFL's culling): the scheduler picks them first and
 * most often, and {@link #minimized()} is a smallest set of them covering every edge. Shared by
 * the workers of one campaign.
 */
final class Corpus {
    /** One kept input. */
    static final class Entry {
        final byte[] data;
        final int[] edges;
        final long foundAt;
        boolean favored;
        boolean deterministicDone;
        int picked;

        Entry(byte[] data, int[] edges, long foundAt) {
            this.data = data;
            this.edges = edges;
            this.foundAt = foundAt;
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    /** For each edge, the smallest entry hitting it. */
    private final Map<Integer, Entry> topRated = new HashMap<>();
    private boolean cullNeeded;
    private int cursor;

    synchronized Entry add(byte[] data, int[] edges, long exec) {
        Entry e = new Entry(data, edges, exec);
        entries.add(e);
        for (int edge : edges) {
            Entry best = topRated.get(edge);
            if (best == null || data.length < best.data.length) {
                topRated.put(edge, e);
                cullNeeded = true;
            }
        }
        return e;
    }

    synchronized int size() {
        return entries.size();
    }

    synchronized int favored() {
        cull();
        int n = 0;
        for (Entry e : entries) {
            n += e.favored ? 1 : 0;
        }
        return n;
    }

    /** Marks as favored a greedy cover of the edges by their top-rated entries. */
    private void cull() {
        if (!cullNeeded) {
            return;
        }
        cullNeeded = false;
        for (Entry e : entries) {
            e.favored = false;
        }
        BitSet covered = new BitSet();
        List<Integer> edges = new ArrayList<>(topRated.keySet());
        edges.sort(null);
        for (int edge : edges) {
            if (covered.get(edge)) {
                continue;
            }
            Entry best = topRated.get(edge);
            best.favored = true;
            for (int x : best.edges) {
                covered.set(x);
            }
        }
    }

    /**
     * The next entry to mutate: favored entries not picked yet first, then in turn, with one pick
     * in ten going to any entry.
     */
    synchronized Entry pick(SplittableRandom r) {
        if (entries.isEmpty()) {
            return null;
        }
        cull();
        for (Entry e : entries) {
            if (e.favored && e.picked == 0) {
                e.picked++;
                return e;
            }
        }
        if (r.nextInt(10) == 0) {
            Entry e = entries.get(r.nextInt(entries.size()));
            e.picked++;
            return e;
        }
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(cursor++ % entries.size());
            if (e.favored) {
                e.picked++;
                return e;
            }
        }
        return entries.get(r.nextInt(entries.size()));
    }

    /** Any entry (for splicing), or null. */
    synchronized Entry random(SplittableRandom r) {
        return entries.isEmpty() ? null : entries.get(r.nextInt(entries.size()));
    }

    /** Every entry's input, oldest first. */
    synchronized List<byte[]> inputs() {
        List<byte[]> out = new ArrayList<>();
        for (Entry e : entries) {
            out.add(e.data.clone());
        }
        return out;
    }

    /** A smallest set of inputs covering every edge the corpus covers (corpus minimization). */
    synchronized List<byte[]> minimized() {
        cullNeeded = true;
        cull();
        List<byte[]> out = new ArrayList<>();
        for (Entry e : entries) {
            if (e.favored) {
                out.add(e.data.clone());
            }
        }
        return out;
    }
}
