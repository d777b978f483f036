package dev.kmodemu.emu;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

/**
 * The guest's virtual address space: regions of virtual pages, each backed by a physically
 * contiguous run of {@link PhysicalMemory}, with per-page permissions. Unicorn's virtual TLB asks
 * {@link #translate} on every TLB miss, so addresses outside every region (guard pages, the NULL
 * page) and accesses the page permissions forbid fault exactly as they would under real page
 * tables.
 *
 * <p>Java-side accessors come in two kinds: the plain ones ({@link #read64}, {@link #write}, ...)
 * check permissions like a kernel access from C code would, so a stub writing into read-only
 * memory faults as the real kernel function would; {@link #poke} and {@link #pokeLong} write
 * regardless of permissions, as the module loader and {@code text_poke} do.
 */
public final class AddressSpace implements StateSnapshot.Participant {
    public static final int R = Unicorn.UC_PROT_READ;
    public static final int W = Unicorn.UC_PROT_WRITE;
    public static final int X = Unicorn.UC_PROT_EXEC;
    public static final int RW = R | W;
    public static final int RX = R | X;
    public static final long PAGE = PhysicalMemory.PAGE;

    /** A run of virtual pages backed by one physical run. */
    public static final class Region {
        private final long base;
        private final long size;
        private final long phys;
        @StateSnapshot.Exclude("native memory: restored page by page by the tracker")
        private final MemorySegment mem;
        private final byte[] perms;
        private final String name;
        /** For an alias ({@link #alias}): the region whose physical run it shares; null otherwise. */
        private final Region owner;
        /** On a region owning its run: aliases of it still mapped. */
        private int aliases;
        /** On a region owning its run: unmapped while aliases were left, so the run waits for them. */
        private boolean unmapped;

        Region(long base, long size, long phys, MemorySegment mem, int perms, String name, Region owner) {
            this.base = base;
            this.size = size;
            this.phys = phys;
            this.mem = mem;
            this.perms = new byte[(int) (size / PAGE)];
            Arrays.fill(this.perms, (byte) perms);
            this.name = name;
            this.owner = owner;
        }

        public long base() {
            return base;
        }

        public long size() {
            return size;
        }

        public long end() {
            return base + size;
        }

        public String name() {
            return name;
        }

        /** The backing bytes; offset 0 is {@link #base()}. */
        public MemorySegment memory() {
            return mem;
        }

        public boolean contains(long va) {
            return Long.compareUnsigned(va - base, size) < 0;
        }

        public int permsAt(long va) {
            return perms[(int) ((va - base) >>> 12)];
        }

        @Override
        public String toString() {
            return name + " [0x" + Long.toHexString(base) + "-0x" + Long.toHexString(base + size) + ")";
        }
    }

    private final PhysicalMemory ram;
    private final TreeMap<Long, Region> regions = new TreeMap<>(Long::compareUnsigned);
    @StateSnapshot.Exclude("a cache, emptied on restore")
    private Region last;
    /**
     * Recently used regions by page number, so Java accesses rarely search the tree: 4096 slots
     * (16 MiB of consecutive pages), enough for a walk over a list of 30,000 kmalloc objects
     * spread over a thousand slab pages (512 missed on every step there).
     */
    @StateSnapshot.Exclude("a cache, emptied on restore")
    private final Region[] recent = new Region[4096];
    @StateSnapshot.Exclude("the CPU's state is saved as a Unicorn context")
    private Cpu cpu;

    public AddressSpace(PhysicalMemory ram) {
        this.ram = ram;
    }

    public PhysicalMemory ram() {
        return ram;
    }

    @Override
    public Runnable capture() {
        return () -> {
        };
    }

    /** The region cache may name regions the restore removed. */
    @Override
    public void restored() {
        last = null;
        Arrays.fill(recent, null);
    }

    /**
     * After a restore of guest memory: drops the translated code of executable pages whose content
     * the restore copied back (code that ran from them since was translated from other bytes, such
     * as another module's loaded at the same address). Code freed and not reused is not copied back
     * and keeps its translation.
     */
    public void invalidateRestoredCode() {
        PhysicalMemory.Tracker t = ram.tracker();
        if (t == null || cpu == null) {
            return;
        }
        for (Region r : regions.values()) {
            if (!t.restoredAny(r.phys, r.size)) {
                continue;
            }
            for (long pa : t.restoredPages()) {
                long off = pa - r.phys;
                if (off >= 0 && off < r.size && (r.perms[(int) (off >>> 12)] & X) != 0) {
                    cpu.invalidateCode(r.base + off, r.base + off + PAGE);
                }
            }
        }
    }

    void attach(Cpu cpu) {
        this.cpu = cpu;
    }

    /** Before a host write to {@code [off, off+len)} of {@code r}: the tracker saves the pages. */
    private void dirty(Region r, long off, long len) {
        PhysicalMemory.Tracker t = ram.tracker();
        if (t != null) {
            t.markPhys(r.phys + off, len);
        }
    }

    /**
     * Maps {@code size} bytes (rounded up to pages) of fresh, zeroed memory at {@code va}.
     *
     * @throws IllegalArgumentException if the range is not page aligned or overlaps a region
     */
    public Region map(long va, long size, int perms, String name) {
        long len = (size + PAGE - 1) & -PAGE;
        if ((va & (PAGE - 1)) != 0 || len == 0) {
            throw new IllegalArgumentException("unaligned or empty mapping at 0x" + Long.toHexString(va));
        }
        checkFree(va, len, name);
        long phys = ram.allocate(len);
        Region r = new Region(va, len, phys, ram.slice(phys, len), perms, name, null);
        regions.put(va, r);
        return r;
    }

    private void checkFree(long va, long len, String name) {
        Map.Entry<Long, Region> below = regions.floorEntry(va + len - 1);
        if (below != null && Long.compareUnsigned(below.getValue().end() - 1, va) >= 0) {
            throw new IllegalArgumentException("0x" + Long.toHexString(va) + " (" + name + ") overlaps "
                    + below.getValue());
        }
    }

    /**
     * Maps {@code size} bytes at {@code va} onto the memory already mapped at
     * {@code [source, source+size)}, which must lie in one region: both ranges then read and
     * write the same bytes, as two page-table entries naming one physical page do. The memory is
     * given back when the last of the source's region and its aliases is unmapped, so unmapping
     * either first leaves the other intact.
     *
     * @throws IllegalArgumentException if a range is not page aligned, the new one overlaps a
     *         region, or the source is not mapped by one region
     */
    public Region alias(long va, long source, long size, int perms, String name) {
        long len = (size + PAGE - 1) & -PAGE;
        if (((va | source) & (PAGE - 1)) != 0 || len == 0) {
            throw new IllegalArgumentException("unaligned or empty alias at 0x" + Long.toHexString(va));
        }
        Region src = find(source);
        if (src == null || Long.compareUnsigned(source - src.base + len, src.size) > 0) {
            throw new IllegalArgumentException("alias source 0x" + Long.toHexString(source) + " is not mapped by one region");
        }
        checkFree(va, len, name);
        Region root = src.owner != null ? src.owner : src;
        long off = source - src.base;
        Region r = new Region(va, len, src.phys + off, src.mem.asSlice(off, len), perms, name, root);
        root.aliases++;
        regions.put(va, r);
        return r;
    }

    /** The guest-physical address behind {@code va} whatever the page permissions, or -1 if unmapped. */
    public long physical(long va) {
        Region r = find(va);
        return r == null ? -1 : r.phys + (va - r.base);
    }

    /**
     * Unmaps a region and returns its memory (unless aliases of it, or the region it aliases, are
     * still mapped: the last of them returns it); guest accesses to it fault from now on.
     */
    public void unmap(Region r) {
        if (regions.remove(r.base) != r) {
            throw new IllegalArgumentException("not mapped: " + r);
        }
        if (last == r) {
            last = null;
        }
        forget(r);
        boolean exec = false;
        for (byte p : r.perms) {
            exec |= (p & X) != 0;
        }
        if (cpu != null) {
            cpu.flushTlb();
            if (exec) {
                cpu.invalidateCode(r.base, r.end());
            }
        }
        if (r.owner != null) {
            Region o = r.owner;
            if (--o.aliases == 0 && o.unmapped) {
                ram.release(o.phys, o.size);
            }
        } else if (r.aliases > 0) {
            r.unmapped = true;
        } else {
            ram.release(r.phys, r.size);
        }
    }

    /** Sets the permissions of the pages covering {@code [va, va+size)}; all must be mapped. */
    public void protect(long va, long size, int perms) {
        long start = va & -PAGE;
        long end = (va + size + PAGE - 1) & -PAGE;
        for (long p = start; Long.compareUnsigned(p, end) < 0; p += PAGE) {
            Region r = find(p);
            if (r == null) {
                throw new IllegalArgumentException("protect of unmapped page 0x" + Long.toHexString(p));
            }
            r.perms[(int) ((p - r.base) >>> 12)] = (byte) perms;
        }
        if (cpu != null) {
            cpu.flushTlb();
        }
    }

    /** The region holding {@code va}, or null. */
    public Region find(long va) {
        Region r = last;
        if (r != null && r.contains(va)) {
            return r;
        }
        int slot = (int) (va >>> 12) & (recent.length - 1);
        r = recent[slot];
        if (r != null && r.contains(va)) {
            last = r;
            return r;
        }
        Map.Entry<Long, Region> e = regions.floorEntry(va);
        if (e == null || !e.getValue().contains(va)) {
            return null;
        }
        last = e.getValue();
        recent[slot] = last;
        return last;
    }

    /** Drops {@code r} from the region cache: only the slots of its pages can hold it. */
    private void forget(Region r) {
        long pages = r.size >>> 12;
        if (pages >= recent.length) {
            Arrays.fill(recent, null);
            return;
        }
        for (long i = 0; i < pages; i++) {
            int slot = (int) ((r.base >>> 12) + i) & (recent.length - 1);
            if (recent[slot] == r) {
                recent[slot] = null;
            }
        }
    }

    public List<Region> regions() {
        return new ArrayList<>(regions.values());
    }

    /**
     * Virtual-TLB fill for Unicorn: the guest-physical address of {@code va}'s page and its
     * permissions, or -1 if the access faults.
     */
    long translate(long va, Access access) {
        Region r = find(va);
        if (r == null) {
            return -1;
        }
        int p = r.permsAt(va);
        if ((p & access.permission()) == 0) {
            return -1;
        }
        return r.phys + (va - r.base);
    }

    /**
     * The virtual address mapped to guest-physical {@code pa}, or -1 (a search: for reports); of
     * memory mapped twice, the address of the region that owns it rather than of an alias.
     */
    public long virtualOf(long pa) {
        long alias = -1;
        for (Region r : regions.values()) {
            if (Long.compareUnsigned(pa - r.phys, r.size) < 0) {
                if (r.owner == null) {
                    return r.base + (pa - r.phys);
                }
                alias = r.base + (pa - r.phys);
            }
        }
        return alias;
    }

    /** True if {@code va} is mapped with at least the permission {@code access} needs. */
    public boolean accessible(long va, Access access) {
        return translate(va, access) != -1;
    }

    /** Unicorn permissions of {@code va}'s page, or 0 if unmapped. */
    public int permsAt(long va) {
        Region r = find(va);
        return r == null ? 0 : r.permsAt(va);
    }

    // ---------------------------------------------------------------- accessors

    /**
     * The backing bytes of {@code [va, va+len)} for an access of the given kind, checking every
     * page; the range must lie within one region.
     */
    public MemorySegment segment(long va, long len, Access access) {
        Region r = find(va);
        if (r == null) {
            throw new PageFault(va, access, false);
        }
        long off = va - r.base;
        if (Long.compareUnsigned(off + len, r.size) > 0 || off + len < off) {
            throw new PageFault(r.end(), access, false);
        }
        int need = access.permission();
        for (long p = off & -PAGE; p < off + len; p += PAGE) {
            if ((r.perms[(int) (p >>> 12)] & need) == 0) {
                throw new PageFault(Math.max(r.base + p, va), access, true);
            }
        }
        if (access == Access.WRITE) {
            dirty(r, off, len);
        }
        return r.mem.asSlice(off, len);
    }

    private MemorySegment at(long va, int len, Access access) {
        Region r = last;
        if (r == null || Long.compareUnsigned(va - r.base, r.size - len) > 0) {
            r = find(va);
            if (r == null) {
                throw new PageFault(va, access, false);
            }
            if (Long.compareUnsigned(va - r.base, r.size - len) > 0) {
                throw new PageFault(r.end(), access, false);
            }
        }
        long off = va - r.base;
        int need = access.permission();
        if ((r.perms[(int) (off >>> 12)] & need) == 0) {
            throw new PageFault(va, access, true);
        }
        if ((r.perms[(int) ((off + len - 1) >>> 12)] & need) == 0) {
            throw new PageFault((va + len - 1) & -PAGE, access, true);
        }
        if (access == Access.WRITE && ram.tracker() != null) {
            dirty(r, off, len);
        }
        return r.mem;
    }

    private long off(long va) {
        return va - last.base;
    }

    public byte read8(long va) {
        MemorySegment m = at(va, 1, Access.READ);
        return m.get(JAVA_BYTE, off(va));
    }

    public short read16(long va) {
        MemorySegment m = at(va, 2, Access.READ);
        return m.get(JAVA_SHORT_UNALIGNED, off(va));
    }

    public int read32(long va) {
        MemorySegment m = at(va, 4, Access.READ);
        return m.get(JAVA_INT_UNALIGNED, off(va));
    }

    public long read64(long va) {
        MemorySegment m = at(va, 8, Access.READ);
        return m.get(JAVA_LONG_UNALIGNED, off(va));
    }

    /**
     * Follows a chain of pointers as a list walk does ({@code p = *(u64 *)(p + off)}), at most
     * {@code n} steps ({@code n} unsigned), stopping early where {@code p} becomes {@code stop};
     * returns the pointer reached. A bad link faults as {@link #read64} would. The same as a loop
     * of {@code read64}, with one region lookup per region the walk enters rather than per step
     * (seq_list_start() walks a list from its head on every read of a proc file).
     */
    public long follow(long p, long off, long n, long stop) {
        MemorySegment seg = null;
        byte[] perms = null;
        long base = 0;
        long limit = 0;
        int need = Access.READ.permission();
        for (; n != 0 && p != stop; n--) {
            long va = p + off;
            long o = va - base;
            if (seg == null || Long.compareUnsigned(o, limit) > 0
                    || (perms[(int) (o >>> 12)] & need) == 0 || (perms[(int) ((o + 7) >>> 12)] & need) == 0) {
                p = read64(va);
                Region r = last;
                seg = r.mem;
                perms = r.perms;
                base = r.base;
                limit = r.size - 8;
                continue;
            }
            p = seg.get(JAVA_LONG_UNALIGNED, o);
        }
        return p;
    }

    public void write8(long va, int v) {
        MemorySegment m = at(va, 1, Access.WRITE);
        m.set(JAVA_BYTE, off(va), (byte) v);
    }

    public void write16(long va, int v) {
        MemorySegment m = at(va, 2, Access.WRITE);
        m.set(JAVA_SHORT_UNALIGNED, off(va), (short) v);
    }

    public void write32(long va, int v) {
        MemorySegment m = at(va, 4, Access.WRITE);
        m.set(JAVA_INT_UNALIGNED, off(va), v);
    }

    public void write64(long va, long v) {
        MemorySegment m = at(va, 8, Access.WRITE);
        m.set(JAVA_LONG_UNALIGNED, off(va), v);
    }

    /** Reads {@code n} bytes. */
    public byte[] read(long va, int n) {
        byte[] b = new byte[n];
        if (n > 0) {
            MemorySegment.copy(segment(va, n, Access.READ), JAVA_BYTE, 0, b, 0, n);
        }
        return b;
    }

    /** Writes {@code b} at {@code va}. */
    public void write(long va, byte[] b) {
        write(va, b, 0, b.length);
    }

    public void write(long va, byte[] b, int from, int n) {
        if (n > 0) {
            MemorySegment.copy(b, from, segment(va, n, Access.WRITE), JAVA_BYTE, 0, n);
        }
    }

    /** Sets {@code n} bytes at {@code va} to {@code value}. */
    public void fill(long va, long n, byte value) {
        if (n > 0) {
            segment(va, n, Access.WRITE).fill(value);
        }
    }

    /** Copies {@code n} bytes inside guest memory, with memmove semantics. */
    public void copy(long dst, long src, long n) {
        if (n > 0) {
            MemorySegment s = segment(src, n, Access.READ);
            MemorySegment d = segment(dst, n, Access.WRITE);
            MemorySegment.copy(s, 0, d, 0, n);
        }
    }

    /** Writes ignoring page permissions, as the module loader and text_poke do. */
    public void poke(long va, byte[] b) {
        Region r = find(va);
        if (r == null || Long.compareUnsigned(va - r.base + b.length, r.size) > 0) {
            throw new PageFault(va, Access.WRITE, false);
        }
        dirty(r, va - r.base, b.length);
        MemorySegment.copy(b, 0, r.mem, JAVA_BYTE, va - r.base, b.length);
    }

    /** Writes a 64-bit value ignoring page permissions. */
    public void pokeLong(long va, long v) {
        Region r = find(va);
        if (r == null || Long.compareUnsigned(va - r.base + 8, r.size) > 0) {
            throw new PageFault(va, Access.WRITE, false);
        }
        dirty(r, va - r.base, 8);
        r.mem.set(JAVA_LONG_UNALIGNED, va - r.base, v);
    }

    /** Reads ignoring page permissions (for reports and the disassembler). */
    public byte[] peek(long va, int n) {
        Region r = find(va);
        if (r == null) {
            return null;
        }
        int avail = (int) Math.min(n, r.end() - va);
        byte[] b = new byte[avail];
        MemorySegment.copy(r.mem, JAVA_BYTE, va - r.base, b, 0, avail);
        return b;
    }

    /**
     * The length of the NUL-terminated string at {@code va}, reading at most {@code max} bytes
     * (returns {@code max} if no NUL is found).
     */
    public long strnlen(long va, long max) {
        long n = 0;
        while (n < max) {
            Region r = find(va + n);
            if (r == null) {
                throw new PageFault(va + n, Access.READ, false);
            }
            long off = va + n - r.base;
            long chunkEnd = Math.min(r.size, (off | (PAGE - 1)) + 1);
            if ((r.permsAt(va + n) & R) == 0) {
                throw new PageFault(va + n, Access.READ, true);
            }
            for (long i = off; i < chunkEnd && n < max; i++, n++) {
                if (r.mem.get(JAVA_BYTE, i) == 0) {
                    return n;
                }
            }
        }
        return max;
    }

    /** Reads the NUL-terminated string at {@code va} (at most {@code max} bytes) as UTF-8. */
    public String readCString(long va, int max) {
        int n = (int) strnlen(va, max);
        return new String(read(va, n), StandardCharsets.UTF_8);
    }

    /** Reads the NUL-terminated string at {@code va} (at most {@code max} bytes) as raw bytes. */
    public byte[] readCBytes(long va, int max) {
        return read(va, (int) strnlen(va, max));
    }
}
