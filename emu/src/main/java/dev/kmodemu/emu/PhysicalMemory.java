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

    private final MemorySegment pool;
    private final long size;
    /** Free runs: start offset in the pool → length in bytes. Coalesced on free. */
    private final TreeMap<Long, Long> free = new TreeMap<>();
    private long used;

    /** Reserves {@code size} bytes (rounded to pages) of host memory for guest RAM. */
    public PhysicalMemory(long size) {
        this.size = (size + PAGE - 1) & -PAGE;
        pool = anonymous(this.size);
        free.put(0L, this.size);
    }

    /**
     * A zeroed anonymous mapping of {@code bytes} (rounded up to pages), reserved but not
     * committed: host pages are used only once touched.
     */
    static MemorySegment anonymous(long bytes) {
        long len = (bytes + PAGE - 1) & -PAGE;
        MemorySegment p;
        try {
            p = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, len, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        if (p.address() == -1L || p.address() == 0) {
            throw new OutOfMemoryError("kmodemu: cannot reserve " + (len >> 20) + " MiB of host memory");
        }
        return p.reinterpret(len);
    }

    /** Unmaps a mapping made by {@link #anonymous}. */
    static void unmapAnonymous(MemorySegment m) {
        try {
            int unused = (int) MUNMAP.invokeExact(m, m.byteSize());
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
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
                // Both read before the removal: TreeMap reuses a removed node with two children for
                // its successor, so the entry would then hold the successor's key and value.
                long start = e.getKey();
                long run = e.getValue();
                free.remove(start);
                if (run > len) {
                    free.put(start + len, run - len);
                }
                used += len;
                return BASE + start;
            }
        }
        throw new OutOfMemoryError("kmodemu: guest RAM exhausted (" + (size >> 20) + " MiB, "
                + (used >> 10) + " KiB in use, " + (len >> 10) + " KiB asked)");
    }

    /** Returns a run taken with {@link #allocate}; its contents read as zero afterwards. */
    public void release(long paddr, long bytes) {
        long len = (bytes + PAGE - 1) & -PAGE;
        long start = paddr - BASE;
        if (start < 0 || start + len > size) {
            throw new IllegalArgumentException("not a pool run: 0x" + Long.toHexString(paddr));
        }
        try {
            int unused = (int) MADVISE.invokeExact(pool.asSlice(start, len), len, MADV_DONTNEED);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
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

    @Override
    public void close() {
        unmapAnonymous(pool);
    }
}
