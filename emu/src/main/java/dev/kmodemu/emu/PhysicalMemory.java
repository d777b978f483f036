package dev.kmodemu.emu;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Map;
import java.util.TreeMap;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Guest-physical RAM: one anonymous {@code mmap} reservation (pages cost nothing until touched),
 * handed out in page-granular, physically contiguous runs. The whole pool is mapped into Unicorn
 * once with {@code uc_mem_map_ptr}, so Java reads and writes guest memory through
 * {@link MemorySegment}s without native calls. Freed runs are returned to the host with
 * {@code madvise(MADV_DONTNEED)}, which also makes them read as zero when handed out again.
 */
public final class PhysicalMemory implements AutoCloseable {
    public static final long PAGE = 4096;
    /** The first guest-physical address of the pool (page 0 stays unused). */
    public static final long BASE = 0x100000;

    private static final int PROT_READ = 1;
    private static final int PROT_WRITE = 2;
    private static final int MAP_PRIVATE = 0x02;
    private static final int MAP_ANONYMOUS = 0x20;
    private static final int MAP_NORESERVE = 0x4000;
    private static final int MADV_DONTNEED = 4;

    private static final MethodHandle MMAP;
    private static final MethodHandle MUNMAP;
    private static final MethodHandle MADVISE;

    static {
        Linker l = Linker.nativeLinker();
        var libc = l.defaultLookup();
        MMAP = l.downcallHandle(libc.find("mmap").orElseThrow(),
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
        MUNMAP = l.downcallHandle(libc.find("munmap").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
        MADVISE = l.downcallHandle(libc.find("madvise").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    }

    @StateSnapshot.Exclude("native memory: restored page by page by the tracker")
    private final MemorySegment pool;
    private final long size;
    /** Free runs: start offset in the pool → length in bytes. Coalesced on free. */
    private final TreeMap<Long, Long> free = new TreeMap<>();
    private long used;
    @StateSnapshot.Exclude("the snapshot machinery itself")
    private Tracker tracker;

    /** Reserves {@code size} bytes (rounded to pages) of host memory for guest RAM. */
    public PhysicalMemory(long size) {
        this.size = (size + PAGE - 1) & -PAGE;
        MemorySegment p;
        try {
            p = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, this.size, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        if (p.address() == -1L || p.address() == 0) {
            throw new OutOfMemoryError("kmodemu: cannot reserve " + (this.size >> 20) + " MiB of guest RAM");
        }
        pool = p.reinterpret(this.size);
        free.put(0L, this.size);
    }

    /** The whole pool; guest-physical address {@code BASE + offset} is {@code pool().get(offset)}. */
    public MemorySegment pool() {
        return pool;
    }

    public long size() {
        return size;
    }

    /** Bytes handed out now. */
    public long used() {
        return used;
    }

    /**
     * Takes a physically contiguous run of {@code bytes} (rounded up to pages), first fit.
     *
     * @return its guest-physical address
     * @throws OutOfMemoryError when no run is large enough
     */
    public long allocate(long bytes) {
        long len = (bytes + PAGE - 1) & -PAGE;
        for (Map.Entry<Long, Long> e : free.entrySet()) {
            if (e.getValue() >= len) {
                long start = e.getKey();
                free.remove(start);
                if (e.getValue() > len) {
                    free.put(start + len, e.getValue() - len);
                }
                used += len;
                if (tracker != null) {
                    tracker.allocate(start, len);
                }
                return BASE + start;
            }
        }
        throw new OutOfMemoryError("kmodemu: guest RAM exhausted (" + (size >> 20) + " MiB, "
                + (used >> 10) + " KiB in use, " + (len >> 10) + " KiB asked)");
    }

    /**
     * Returns a run taken with {@link #allocate}; its contents read as zero when handed out again
     * (released to the host at once, or, while tracking, zeroed when reused).
     */
    public void release(long paddr, long bytes) {
        long len = (bytes + PAGE - 1) & -PAGE;
        long start = paddr - BASE;
        if (start < 0 || start + len > size) {
            throw new IllegalArgumentException("not a pool run: 0x" + Long.toHexString(paddr));
        }
        if (tracker == null) {
            try {
                int unused = (int) MADVISE.invokeExact(pool.asSlice(start, len), len, MADV_DONTNEED);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
        used -= len;
        long end = start + len;
        Map.Entry<Long, Long> after = free.ceilingEntry(start);
        if (after != null && after.getKey() == end) {
            free.remove(after.getKey());
            len += after.getValue();
        }
        Map.Entry<Long, Long> before = free.floorEntry(start);
        if (before != null && before.getKey() + before.getValue() == start) {
            free.put(before.getKey(), before.getValue() + len);
        } else {
            free.put(start, len);
        }
    }

    /** The pool bytes of a physical run. */
    public MemorySegment slice(long paddr, long bytes) {
        return pool.asSlice(paddr - BASE, bytes);
    }

    // ---------------------------------------------------------------- dirty-page tracking

    /**
     * Starts (or restarts) tracking writes: from now on every page is restored by
     * {@link Tracker#restore()} to its content at this moment. Guest writes are seen through the
     * virtual TLB (see {@link Cpu}: a page is mapped read-only until its first write), host writes
     * through {@link AddressSpace}'s accessors. Free pages read as zero when tracking starts (they
     * were released with {@code MADV_DONTNEED} or never touched) and again after each restore.
     */
    public Tracker track() {
        if (tracker != null) {
            tracker.close();
        }
        tracker = new Tracker();
        return tracker;
    }

    /** Stops tracking and drops the saved pages. */
    public void untrack() {
        if (tracker != null) {
            tracker.close();
            tracker = null;
        }
    }

    /** The tracker, or null when writes are not tracked. */
    public Tracker tracker() {
        return tracker;
    }

    /**
     * Copy-on-first-write tracking of the pool's pages: the first write to a page after tracking
     * starts (or after a restore) saves the page's content as it was when tracking started (once:
     * the copy is kept for later rounds) and marks it dirty; {@link #restore()} copies the saved
     * content back into the dirty pages.
     */
    public final class Tracker implements AutoCloseable {
        private final int pages = (int) (size / PAGE);
        private final long[] dirtyBits = new long[(pages + 63) / 64];
        private int[] dirty = new int[256];
        private int dirtyCount;
        /** Pool offset (in the copy arena) of each page's saved content, -1 before its first write. */
        private final long[] saved = new long[pages];
        /** Pages handed out when tracking started (they may hold data; free ones read as zero). */
        private final long[] liveBits = new long[(pages + 63) / 64];
        private final java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofShared();
        private MemorySegment chunk;
        private long chunkUsed;
        private final java.util.List<MemorySegment> chunks = new java.util.ArrayList<>();
        private long restores;
        private long pagesRestored;
        private int[] restored = new int[0];
        private int restoredCount;

        /**
         * True if the last {@link #restore()} copied back any page of the physical run
         * {@code [paddr, paddr+len)}.
         */
        public boolean restoredAny(long paddr, long len) {
            long first = (paddr - BASE) / PAGE;
            long end = (paddr - BASE + len + PAGE - 1) / PAGE;
            for (int i = 0; i < restoredCount; i++) {
                int p = restored[i];
                if (p >= first && p < end) {
                    return true;
                }
            }
            return false;
        }

        /** Guest-physical addresses of the pages the last {@link #restore()} copied back. */
        public long[] restoredPages() {
            long[] out = new long[restoredCount];
            for (int i = 0; i < restoredCount; i++) {
                out[i] = BASE + (long) restored[i] * PAGE;
            }
            return out;
        }

        private Tracker() {
            java.util.Arrays.fill(saved, -1);
            java.util.Arrays.fill(liveBits, -1L);
            for (Map.Entry<Long, Long> e : free.entrySet()) {
                int first = (int) (e.getKey() / PAGE);
                int n = (int) (e.getValue() / PAGE);
                for (int p = first; p < first + n; p++) {
                    liveBits[p >>> 6] &= ~(1L << p);
                }
            }
        }

        /** True if page {@code page} (pool offset / PAGE) was written since the last restore. */
        public boolean isDirty(int page) {
            return (dirtyBits[page >>> 6] & (1L << page)) != 0;
        }

        /** True if the page holding guest-physical address {@code paddr} was written since the last restore. */
        public boolean isDirtyPhys(long paddr) {
            return isDirty((int) ((paddr - BASE) >>> 12));
        }

        /** Marks the pages of {@code [paddr, paddr+len)} dirty before a write, saving them first. */
        public void markPhys(long paddr, long len) {
            if (len <= 0) {
                return;
            }
            int first = (int) ((paddr - BASE) >>> 12);
            int last = (int) ((paddr - BASE + len - 1) >>> 12);
            for (int p = first; p <= last; p++) {
                if ((dirtyBits[p >>> 6] & (1L << p)) == 0) {
                    mark(p);
                }
            }
        }

        private void mark(int p) {
            if (saved[p] == -1) {
                saved[p] = copyOut(p);
            }
            dirtyBits[p >>> 6] |= 1L << p;
            if (dirtyCount == dirty.length) {
                dirty = java.util.Arrays.copyOf(dirty, dirtyCount * 2);
            }
            dirty[dirtyCount++] = p;
        }

        private long copyOut(int p) {
            if (chunk == null || chunkUsed == chunk.byteSize()) {
                chunk = arena.allocate(256 * PAGE, PAGE);
                chunks.add(chunk);
                chunkUsed = 0;
            }
            long at = ((long) (chunks.size() - 1) << 32) | chunkUsed;
            MemorySegment.copy(pool, (long) p * PAGE, chunk, chunkUsed, PAGE);
            chunkUsed += PAGE;
            return at;
        }

        private MemorySegment savedPage(int p) {
            long at = saved[p];
            return chunks.get((int) (at >>> 32)).asSlice(at & 0xffffffffL, PAGE);
        }

        /**
         * A run handed out while tracking must read as zero. A page that was free when tracking
         * started and has not been written since is zero already; any other (written this round, or
         * in use at the snapshot and freed since) is saved if needed and zeroed. Freeing a run
         * changes nothing (see {@link PhysicalMemory#release}): the pages keep their content, so
         * code freed and restored needs no new translation.
         */
        void allocate(long start, long len) {
            int first = (int) (start / PAGE);
            int n = (int) (len / PAGE);
            for (int p = first; p < first + n; p++) {
                boolean d = isDirty(p);
                if (!d && (liveBits[p >>> 6] & (1L << p)) == 0) {
                    continue;
                }
                if (!d) {
                    mark(p);
                }
                pool.asSlice((long) p * PAGE, PAGE).fill((byte) 0);
            }
        }

        /** Pages written since the last restore. */
        public int dirtyPages() {
            return dirtyCount;
        }

        /** Copies the saved content back into every dirty page; returns how many. */
        public int restore() {
            int n = dirtyCount;
            for (int i = 0; i < n; i++) {
                int p = dirty[i];
                MemorySegment.copy(savedPage(p), 0, pool, (long) p * PAGE, PAGE);
                dirtyBits[p >>> 6] &= ~(1L << p);
            }
            if (restored.length < n) {
                restored = new int[dirty.length];
            }
            System.arraycopy(dirty, 0, restored, 0, n);
            restoredCount = n;
            dirtyCount = 0;
            restores++;
            pagesRestored += n;
            return n;
        }

        /** Restores so far and the pages they copied. */
        public long[] stats() {
            return new long[] {restores, pagesRestored};
        }

        @Override
        public void close() {
            arena.close();
        }
    }

    @Override
    public void close() {
        if (tracker != null) {
            tracker.close();
            tracker = null;
        }
        try {
            int unused = (int) MUNMAP.invokeExact(pool, size);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
