package dev.kmodemu.firmware;

import dev.kmodemu.emu.AddressSpace;

import java.util.Map;
import java.util.TreeMap;

/**
 * A range of kernel virtual addresses handed out in page-granular allocations, each followed by
 * an unmapped guard page as vmalloc leaves one: the module area, the vmalloc area, the direct-map
 * heap. Lowest address first, like the kernel's vmap allocator for a fresh system.
 */
public final class VirtualArea {
    private final String name;
    private final long start;
    private final long end;
    private final AddressSpace mem;
    /** Allocated ranges, base → size including the guard page. */
    private final TreeMap<Long, Long> used = new TreeMap<>(Long::compareUnsigned);
    private final TreeMap<Long, AddressSpace.Region> regions = new TreeMap<>(Long::compareUnsigned);
    /** Allocations made of several aliases ({@link #allocateAliases}), base → their regions. */
    private final Map<Long, java.util.List<AddressSpace.Region>> groups = new java.util.HashMap<>();
    /**
     * The lowest address not taken: everything from {@link #start} up to it is allocated, so the
     * search for a gap begins there (the area fills from the bottom, as heaps of small slabs do).
     */
    private long firstFree;

    public VirtualArea(String name, long start, long end, AddressSpace mem) {
        this.name = name;
        this.start = start;
        this.end = end;
        this.mem = mem;
        this.firstFree = start;
    }

    public long start() {
        return start;
    }

    public long end() {
        return end;
    }

    /**
     * Maps {@code size} bytes (rounded up to pages) at the lowest free address aligned to
     * {@code align}, followed by a guard page.
     *
     * @return the region, or null if the area is full
     */
    public AddressSpace.Region allocate(long size, long align, int perms, String what) {
        long len = (size + AddressSpace.PAGE - 1) & -AddressSpace.PAGE;
        long at = findFree(len, align);
        return at == -1 ? null : take(at, mem.map(at, len, perms, what));
    }

    /**
     * As {@link #allocate}, but the new range shows the memory already mapped at
     * {@code [source, source+size)} ({@link AddressSpace#alias}): vmalloc's view of pages that
     * also sit in the direct map.
     *
     * @return the region, or null if the area is full
     */
    public AddressSpace.Region allocateAlias(long source, long size, long align, int perms, String what) {
        long len = (size + AddressSpace.PAGE - 1) & -AddressSpace.PAGE;
        long at = findFree(len, align);
        return at == -1 ? null : take(at, mem.alias(at, source, len, perms, what));
    }

    /**
     * As {@link #allocateAlias} for pages that need not be contiguous: page {@code i} of the new
     * range shows the page mapped at {@code sources[i]}, as {@code vmap()} of arbitrary pages
     * maps them; runs of consecutive pages of one region become one alias.
     *
     * @return the base, or -1 if the area is full or a source page is not mapped
     */
    public long allocateAliases(long[] sources, int perms, String what) {
        if (sources.length == 0) {
            return -1;
        }
        for (long src : sources) {
            if ((src & (AddressSpace.PAGE - 1)) != 0 || mem.find(src) == null) {
                return -1;
            }
        }
        long len = sources.length * AddressSpace.PAGE;
        long at = findFree(len, AddressSpace.PAGE);
        if (at == -1) {
            return -1;
        }
        java.util.List<AddressSpace.Region> parts = new java.util.ArrayList<>();
        for (int i = 0; i < sources.length;) {
            AddressSpace.Region src = mem.find(sources[i]);
            int j = i + 1;
            while (j < sources.length && sources[j] == sources[j - 1] + AddressSpace.PAGE && src.contains(sources[j])) {
                j++;
            }
            parts.add(mem.alias(at + i * AddressSpace.PAGE, sources[i], (j - i) * AddressSpace.PAGE, perms, what));
            i = j;
        }
        used.put(at, len + AddressSpace.PAGE);
        for (AddressSpace.Region r : parts) {
            regions.put(r.base(), r);
        }
        groups.put(at, parts);
        advanceFirstFree();
        return at;
    }

    /** The lowest free address aligned to {@code align} with room for {@code len} and a guard page, or -1. */
    private long findFree(long len, long align) {
        long a = Math.max(align, AddressSpace.PAGE);
        long cursor = firstFree;
        for (Map.Entry<Long, Long> e : used.tailMap(firstFree, true).entrySet()) {
            long cand = alignUp(cursor, a);
            if (Long.compareUnsigned(cand + len + AddressSpace.PAGE, e.getKey()) <= 0) {
                return cand;
            }
            cursor = e.getKey() + e.getValue();
        }
        long cand = alignUp(cursor, a);
        if (Long.compareUnsigned(cand + len, end) > 0 || Long.compareUnsigned(cand + len, cand) < 0) {
            return -1;
        }
        return cand;
    }

    /**
     * Marks {@code size} bytes (and a guard page) at the lowest free address as taken without
     * mapping them: space the real kernel has used before any module loads.
     */
    public void reserve(long size) {
        long len = (size + AddressSpace.PAGE - 1) & -AddressSpace.PAGE;
        long cursor = start;
        for (Map.Entry<Long, Long> e : used.entrySet()) {
            if (Long.compareUnsigned(cursor + len + AddressSpace.PAGE, e.getKey()) <= 0) {
                break;
            }
            cursor = e.getKey() + e.getValue();
        }
        used.put(cursor, len + AddressSpace.PAGE);
        advanceFirstFree();
    }

    private AddressSpace.Region take(long at, AddressSpace.Region r) {
        used.put(at, r.size() + AddressSpace.PAGE);
        regions.put(at, r);
        advanceFirstFree();
        return r;
    }

    /** Moves {@link #firstFree} over the allocations that now start there. */
    private void advanceFirstFree() {
        for (Long size = used.get(firstFree); size != null; size = used.get(firstFree)) {
            firstFree += size;
        }
    }

    /** Unmaps the allocation starting at {@code base}; returns false if there is none. */
    public boolean free(long base) {
        java.util.List<AddressSpace.Region> parts = groups.remove(base);
        if (parts != null) {
            for (AddressSpace.Region part : parts) {
                regions.remove(part.base());
                mem.unmap(part);
            }
            used.remove(base);
            if (Long.compareUnsigned(base, firstFree) < 0) {
                firstFree = base;
            }
            return true;
        }
        AddressSpace.Region r = regions.remove(base);
        if (r == null) {
            return false;
        }
        used.remove(base);
        mem.unmap(r);
        if (Long.compareUnsigned(base, firstFree) < 0) {
            firstFree = base;
        }
        return true;
    }

    /** The allocation that starts at {@code base}, or null. */
    public AddressSpace.Region at(long base) {
        return regions.get(base);
    }

    /** The allocation containing {@code va}, or null. */
    public AddressSpace.Region containing(long va) {
        Map.Entry<Long, AddressSpace.Region> e = regions.floorEntry(va);
        return e != null && e.getValue().contains(va) ? e.getValue() : null;
    }

    public boolean contains(long va) {
        return Long.compareUnsigned(va - start, end - start) < 0;
    }

    private static long alignUp(long v, long a) {
        return (v + a - 1) & -a;
    }

    @Override
    public String toString() {
        return name;
    }
}
