package dev.kmodemu.kstubs.mm;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.firmware.VirtualArea;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.kernel.Oops;
import dev.kmodemu.kstubs.lib.StackDepot;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The slab allocator as SLUB presents it to modules (mm/slab_common.c, mm/slub.c): the kmalloc
 * caches of every size class and type in {@code kmalloc_caches[][]}, objects carved from slabs of
 * direct-map pages, {@code ksize()} the size class, large sizes straight from the page allocator
 * ({@code kmalloc_large}), and the caches modules create. Objects are zeroed on allocation as
 * Debian's {@code init_on_alloc} default has them (see {@link #wantInitOnAlloc}).
 *
 * <p>Free objects are handed out last freed first, as SLUB's per-cpu freelist does. Without KASAN,
 * freeing the object that heads its cache's freelist again is caught as Debian's kernel catches it
 * ({@code CONFIG_SLAB_FREELIST_HARDENED}: {@code BUG_ON(object == fp)} in {@code set_freepointer()},
 * "kernel BUG at mm/slub.c:419!"); any other double free corrupts the freelist silently, as there.
 * With KASAN ({@link Kasan}) objects have redzones, freed ones wait in a quarantine, and every bad
 * free is reported.
 *
 * <p>With KASAN or kmemleak on, every object keeps its allocation stack (and its free stack).
 */
public final class Slab {
    /** {@code ZERO_SIZE_PTR}: what kmalloc(0) returns. */
    public static final long ZERO_SIZE_PTR = 16;
    private static final long KMEM_CACHE_BYTES = 256;
    /**
     * The functions through which module code allocates memory it owns: an object allocated by one
     * of them, called from module code, is the module's (kmemleak reports it when leaked).
     */
    static final Set<String> ALLOCATORS = Set.of("__kmalloc", "kmalloc_trace", "kmalloc_large", "__kmalloc_node",
            "kmalloc_node_trace", "__kmalloc_node_track_caller", "krealloc", "kmem_cache_alloc", "kmem_cache_alloc_node",
            "kmem_cache_alloc_lru", "kstrdup", "kstrdup_const", "kstrndup", "kmemdup",
            "kmemdup_nul", "memdup_user", "vmemdup_user", "strndup_user", "memdup_user_nul", "kasprintf", "kvasprintf",
            "kvasprintf_const", "kvmalloc_node", "vmalloc", "vzalloc", "vmalloc_user", "vmalloc_32", "__vmalloc",
            "vmalloc_node", "vzalloc_node");

    /**
     * A cache of equal-sized objects. {@code address} is its {@code struct kmem_cache *};
     * {@code objectSize} is what the creator asked for.
     */
    public static final class Cache {
        final String name;
        final long objectSize;
        /**
         * Bytes from one object to the next in a slab: the object aligned, the free pointer SLUB
         * keeps outside objects that have a constructor, and with KASAN the redzone.
         */
        final long stride;
        final long ctor;
        final long flags;
        final long address;
        /** Free slots, the last freed first (SLUB's per-cpu freelist). */
        final ArrayDeque<Obj> free = new ArrayDeque<>();

        Cache(String name, long objectSize, long stride, long address) {
            this(name, objectSize, stride, 0, 0, address);
        }

        Cache(String name, long objectSize, long stride, long ctor, long flags, long address) {
            this.name = name;
            this.objectSize = objectSize;
            this.stride = stride;
            this.ctor = ctor;
            this.flags = flags;
            this.address = address;
        }

        public String name() {
            return name;
        }

        public long objectSize() {
            return objectSize;
        }
    }

    /** What became of an object. */
    public enum State { LIVE, QUARANTINED, FREE }

    /**
     * One allocation: a slab slot (the same object every time the slot is handed out), or the
     * pages of a large kmalloc ({@code cache} null).
     */
    public static final class Obj {
        final long start;
        /** The object's size: its cache's object size, or the bytes of a large allocation. */
        final long size;
        final Cache cache;
        /** The size asked for (KASAN poisons the rest). */
        long requested;
        State state = State.LIVE;
        StackDepot.Track alloc;
        StackDepot.Track free;
        /** The module whose code allocated it through an allocator function, or null. */
        String module;

        Obj(long start, long size, Cache cache) {
            this.start = start;
            this.size = size;
            this.cache = cache;
        }

        public long start() {
            return start;
        }

        public long size() {
            return size;
        }

        public State state() {
            return state;
        }

        /** The module that allocated it, or null for the kernel. */
        public String module() {
            return module;
        }

        /** Where it was allocated, or null if not tracked (neither KASAN nor kmemleak on). */
        public StackDepot.Track allocTrack() {
            return alloc;
        }
    }

    /** A slab: its cache, memory and slots. */
    private record SlabPage(Cache cache, long base, long size, Obj[] slots) {
    }

    private final KernelContext k;
    private final Map<Long, Cache> caches = new HashMap<>();
    /** Slabs and large allocations by base address. */
    private final TreeMap<Long, Object> slabs = new TreeMap<>(Long::compareUnsigned);
    /** Large allocations (live or quarantined) by start address. */
    private final Map<Long, Obj> large = new HashMap<>();
    private final boolean track;
    private Kasan kasan;
    private long kmallocCaches;
    private Cache[][] kmalloc;

    public Slab(KernelContext k) {
        this.k = k;
        this.track = k.checks().kasan() || k.checks().kmemleak();
    }

    private final StackDepot depot = new StackDepot();

    /** The stack depot of this kernel's memory debuggers. */
    public StackDepot depot() {
        return depot;
    }

    /** KASAN, or null when it is off. */
    public Kasan kasan() {
        return kasan;
    }

    /** kmalloc size classes by index (1 = 96, 2 = 192, 3..13 = 8..8192), as kmalloc_info[]. */
    static long sizeOfIndex(int i) {
        return switch (i) {
            case 1 -> 96;
            case 2 -> 192;
            default -> 1L << i;
        };
    }

    /** {@code kmalloc_index()}: the cache index for {@code size} (0 for size 0). */
    public static int kmallocIndex(long size) {
        if (size == 0) {
            return 0;
        }
        if (size <= 8) {
            return 3;
        }
        if (size > 64 && size <= 96) {
            return 1;
        }
        if (size > 128 && size <= 192) {
            return 2;
        }
        int i = 4;
        while ((1L << i) < size) {
            i++;
        }
        return i;
    }

    /**
     * Creates the kmalloc caches and fills {@code kmalloc_caches[NR_KMALLOC_TYPES][KMALLOC_SHIFT_HIGH + 1]};
     * with KASAN, its shadow and the memory hook first.
     */
    public void boot() {
        if (k.checks().kasan()) {
            kasan = new Kasan(k);
        }
        int types = (int) k.profile().value("NR_KMALLOC_TYPES");
        int high = (int) k.profile().value("KMALLOC_SHIFT_HIGH");
        String[] prefix = new String[types];
        prefix[(int) k.profile().value("KMALLOC_NORMAL")] = "kmalloc-";
        prefix[(int) k.profile().value("KMALLOC_CGROUP")] = "kmalloc-cg-";
        prefix[(int) k.profile().value("KMALLOC_RECLAIM")] = "kmalloc-rcl-";
        prefix[(int) k.profile().value("KMALLOC_DMA")] = "dma-kmalloc-";
        kmalloc = new Cache[types][high + 1];
        for (int t = 0; t < types; t++) {
            for (int i = 1; i <= high; i++) {
                long size = sizeOfIndex(i);
                String name = prefix[t] + (size >= 1024 ? (size / 1024) + "k" : String.valueOf(size));
                Cache c = newCache(name, size);
                kmalloc[t][i] = c;
                k.mem().write64(kmallocCaches + 8L * (t * (high + 1) + i), c.address);
            }
        }
    }

    /**
     * A cache of {@code size}-byte objects; power-of-two sizes are naturally aligned
     * ({@code create_boot_cache()}), others to 8 bytes; with KASAN each object is followed by its
     * redzone ({@code kasan_cache_create()}).
     */
    private Cache newCache(String name, long size) {
        long addr = allocateRaw(KMEM_CACHE_BYTES);
        long align = Long.bitCount(size) == 1 ? size : 8;
        long stride = kasan == null ? size : (size + Kasan.redzone(size) + align - 1) / align * align;
        Cache c = new Cache(name, size, stride, addr);
        caches.put(addr, c);
        return c;
    }

    /** Backing store for the slab allocator's own objects (kmem_cache structs). */
    private long bootCursor;
    private long bootEnd;

    private long allocateRaw(long size) {
        if (bootCursor == 0 || bootCursor + size > bootEnd) {
            AddressSpace.Region r = heap().allocate(64 * 1024, AddressSpace.PAGE, AddressSpace.RW, "kmem_cache");
            bootCursor = r.base();
            bootEnd = r.end();
        }
        long at = bootCursor;
        bootCursor += size;
        return at;
    }

    private VirtualArea heap() {
        return k.machine().heapArea();
    }

    /** The cache for {@code kmalloc(size, flags)}, or null if it goes to the page allocator. */
    private Cache cacheFor(long size, int flags) {
        int idx = kmallocIndex(size);
        int type = (flags & Gfp.DMA) != 0 ? (int) k.profile().value("KMALLOC_DMA")
                : (flags & Gfp.RECLAIMABLE) != 0 ? (int) k.profile().value("KMALLOC_RECLAIM")
                : (flags & Gfp.ACCOUNT) != 0 ? (int) k.profile().value("KMALLOC_CGROUP")
                : (int) k.profile().value("KMALLOC_NORMAL");
        if (idx >= kmalloc[type].length) {
            return null;
        }
        return kmalloc[type][idx];
    }

    /**
     * {@code slab_want_init_on_alloc()}: Debian builds with {@code INIT_ON_ALLOC_DEFAULT_ON}, so
     * objects are zeroed unless their cache has a constructor (then never), or is
     * {@code SLAB_TYPESAFE_BY_RCU} or poisoned (then only for {@code __GFP_ZERO}).
     */
    private boolean wantInitOnAlloc(Cache c, int flags) {
        if (k.profile().value("INIT_ON_ALLOC_DEFAULT_ON") != 0) {
            if (c.ctor != 0) {
                return false;
            }
            if ((c.flags & (k.profile().value("SLAB_TYPESAFE_BY_RCU") | k.profile().value("SLAB_POISON"))) != 0) {
                return (flags & Gfp.ZERO) != 0;
            }
            return true;
        }
        return (flags & Gfp.ZERO) != 0;
    }

    /** Allocates one object of {@code c} for a request of {@code requested} bytes. */
    public long allocate(Cache c, int flags, long requested) {
        if (c.free.isEmpty()) {
            grow(c);
        }
        Obj o = c.free.pop();
        if (wantInitOnAlloc(c, flags)) {
            k.mem().fill(o.start, c.objectSize, (byte) 0);
        }
        o.requested = Math.min(requested, c.objectSize);
        o.free = null;
        o.module = null;
        register(o);
        return o.start;
    }

    /** Allocates one object of {@code c}, all of it asked for. */
    public long allocate(Cache c, int flags) {
        return allocate(c, flags, c.objectSize);
    }

    private void register(Obj o) {
        o.state = State.LIVE;
        if (track) {
            o.alloc = StackDepot.track(k);
            var f = k.frame();
            if (f != null && ALLOCATORS.contains(f.symbol())) {
                o.module = k.modules().nameAt(f.returnAddress());
            }
        }
        if (kasan != null) {
            kasan.allocated(o);
        }
    }

    /**
     * A new slab for {@code c}: its objects go on the free list; a constructor runs on each (with
     * KASAN, on the object unpoisoned for the call, as {@code setup_object()} does).
     */
    private void grow(Cache c) {
        long slabBytes = Math.max(AddressSpace.PAGE, Math.min(8 * c.stride, 32 * AddressSpace.PAGE));
        slabBytes = (slabBytes + AddressSpace.PAGE - 1) & -AddressSpace.PAGE;
        AddressSpace.Region r = heap().allocate(slabBytes, AddressSpace.PAGE, AddressSpace.RW, c.name);
        if (r == null) {
            throw new OutOfMemoryError("kmodemu: direct map exhausted");
        }
        Obj[] slots = new Obj[(int) (r.size() / c.stride)];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new Obj(r.base() + i * c.stride, c.objectSize, c);
            slots[i].state = State.FREE;
        }
        slabs.put(r.base(), new SlabPage(c, r.base(), r.size(), slots));
        if (kasan != null) {
            kasan.newSlab(r.base(), r.size());
        }
        for (int i = slots.length - 1; i >= 0; i--) {
            c.free.push(slots[i]);
        }
        if (c.ctor != 0) {
            for (Obj o : slots) {
                if (kasan != null) {
                    kasan.unpoisonObject(o);
                }
                k.call(c.ctor, o.start);
            }
            if (kasan != null) {
                kasan.newSlab(r.base(), r.size());
            }
        }
    }

    /** {@code kmalloc(size, flags)}: returns the object, ZERO_SIZE_PTR for 0, 0 if too large. */
    public long kmalloc(long size, int flags) {
        if (size == 0) {
            return ZERO_SIZE_PTR;
        }
        if (size < 0 || size > (1L << 32)) {
            return 0;
        }
        Cache c = cacheFor(size, flags);
        if (c == null) {
            return kmallocLarge(size, flags);
        }
        return allocate(c, flags, size);
    }

    /** {@code kmalloc_large()}: whole pages, {@code PAGE_SIZE << get_order(size)} of them. */
    private long kmallocLarge(long size, int flags) {
        long pages = AddressSpace.PAGE;
        while (pages < size) {
            pages <<= 1;
        }
        AddressSpace.Region r = heap().allocate(pages, AddressSpace.PAGE, AddressSpace.RW, "kmalloc_large");
        if (r == null) {
            return 0;
        }
        slabs.put(r.base(), r);
        if (k.profile().value("INIT_ON_ALLOC_DEFAULT_ON") != 0 || (flags & Gfp.ZERO) != 0) {
            k.mem().fill(r.base(), pages, (byte) 0);
        }
        Obj o = new Obj(r.base(), pages, null);
        o.requested = size;
        large.put(o.start, o);
        register(o);
        return r.base();
    }

    /** {@code ksize()}: the usable size of an allocated object, 0 for NULL/ZERO_SIZE_PTR; KASAN unpoisons all of it. */
    public long ksize(long p) {
        if (p == 0 || p == ZERO_SIZE_PTR) {
            return 0;
        }
        Obj o = live(p);
        if (o == null) {
            return 0;
        }
        if (kasan != null) {
            kasan.unpoisonObject(o);
        }
        return o.size;
    }

    private Obj live(long p) {
        Obj o = objectAt(p);
        return o != null && o.start == p && o.state == State.LIVE ? o : null;
    }

    /** True if {@code p} is the start of a live kmalloc object. */
    public boolean isAllocated(long p) {
        return live(p) != null;
    }

    /**
     * {@code kfree()} by the kernel itself: returns the object to its cache (large allocations to
     * the page allocator), with KASAN to the quarantine first.
     *
     * @return false if {@code p} is not a live object
     */
    public boolean kfree(long p) {
        if (p == 0 || p == ZERO_SIZE_PTR) {
            return true;
        }
        Obj o = live(p);
        if (o == null) {
            return false;
        }
        free(o);
        return true;
    }

    private void free(Obj o) {
        if (kasan == null) {
            release(o);
            return;
        }
        o.state = State.QUARANTINED;
        o.free = StackDepot.track(k);
        kasan.freed(o);
    }

    /** The object leaves the quarantine (or is freed without KASAN): its memory can be used again. */
    void release(Obj o) {
        o.state = State.FREE;
        if (o.cache != null) {
            o.cache.free.push(o);
        } else {
            large.remove(o.start);
            slabs.remove(o.start);
            heap().free(o.start);
        }
    }

    /**
     * {@code kfree()} called by module code: as {@link #kfree(long)}, but what is not a live object
     * is reported: with KASAN as {@code double-free} or {@code invalid-free}; without, the SLUB
     * hardening's BUG for a double free at the head of the freelist, a kmodemu line for a pointer
     * the allocator never returned.
     */
    void kfreeChecked(long p) {
        if (p == 0 || p == ZERO_SIZE_PTR) {
            return;
        }
        Obj o = objectAt(p);
        if (kasan != null) {
            var f = k.frame();
            long ip = f == null ? 0 : f.address() + 1;
            if (kasan.checkFree(p, o, ip)) {
                free(o);
            }
            return;
        }
        if (o != null && o.start == p && o.state == State.LIVE) {
            free(o);
            return;
        }
        if (o != null && o.start == p && o.cache != null && !o.cache.free.isEmpty() && o.cache.free.peek() == o) {
            throw Oops.bugAt(k, "mm/slub.c:419", "__kmem_cache_free");
        }
        if (o != null && o.start == p && o.cache != null) {
            // set_freepointer() only catches the head of the freelist: the object is now on it twice.
            o.cache.free.push(o);
            return;
        }
        k.printk(3, "kmodemu: kfree() of 0x" + Long.toHexString(p) + ", which kmalloc did not return, ignored");
    }

    /**
     * The object (live, quarantined or freed) whose slot holds {@code p}, its redzone included, or
     * the large allocation holding it; null if {@code p} is not in a slab.
     */
    public Obj objectAt(long p) {
        var e = slabs.floorEntry(p);
        if (e == null) {
            return null;
        }
        if (e.getValue() instanceof SlabPage sp) {
            if (Long.compareUnsigned(p - sp.base(), sp.size()) >= 0) {
                return null;
            }
            int i = (int) ((p - sp.base()) / sp.cache().stride);
            return i < sp.slots().length ? sp.slots()[i] : null;
        }
        if (e.getValue() instanceof AddressSpace.Region r && r.contains(p)) {
            return large.get(r.base());
        }
        return null;
    }

    /** The cache behind a {@code struct kmem_cache *}, or null. */
    public Cache cache(long address) {
        return caches.get(address);
    }

    /** The name of the cache an object belongs to, or null for a large allocation. */
    public static String cacheName(Obj o) {
        return o.cache == null ? null : o.cache.name;
    }

    /** Bytes in live kmalloc objects (size classes). */
    public long bytesInUse() {
        long sum = 0;
        for (Obj o : liveObjects()) {
            sum += o.size;
        }
        return sum;
    }

    /** Every live object (for kmemleak's scan). */
    public Collection<Obj> liveObjects() {
        List<Obj> out = new ArrayList<>();
        for (Object s : slabs.values()) {
            if (s instanceof SlabPage sp) {
                for (Obj o : sp.slots()) {
                    if (o.state == State.LIVE) {
                        out.add(o);
                    }
                }
            }
        }
        for (Obj o : large.values()) {
            if (o.state == State.LIVE) {
                out.add(o);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- kernel symbols

    /** {@code struct kmem_cache *kmalloc_caches[NR_KMALLOC_TYPES][KMALLOC_SHIFT_HIGH + 1]}. */
    @KernelData(value = "kmalloc_caches", section = Machine.Section.RO_AFTER_INIT, size = 4 * 14 * 8, align = 64)
    static void kmallocCaches(KernelContext k, long at) {
        long types = k.profile().value("NR_KMALLOC_TYPES");
        long high = k.profile().value("KMALLOC_SHIFT_HIGH");
        if (types * (high + 1) * 8 > 4 * 14 * 8) {
            throw new IllegalStateException("kmalloc_caches larger than reserved");
        }
        k.slab().kmallocCaches = at;
    }

    /** void *__kmalloc(size_t size, gfp_t flags) */
    @KernelSymbol("__kmalloc")
    static long kmallocSym(KernelContext k, long size, int flags) {
        return k.slab().kmalloc(size, flags);
    }

    /** void *kmalloc_trace(struct kmem_cache *s, gfp_t flags, size_t size) */
    @KernelSymbol("kmalloc_trace")
    static long kmallocTrace(KernelContext k, long s, int flags, long size) {
        Cache c = k.slab().cache(s);
        if (c == null) {
            throw new IllegalArgumentException("kmalloc_trace: 0x" + Long.toHexString(s) + " is not a kmem_cache");
        }
        return k.slab().allocate(c, flags, size);
    }

    /** void *kmalloc_large(size_t size, gfp_t flags) */
    @KernelSymbol("kmalloc_large")
    static long kmallocLargeSym(KernelContext k, long size, int flags) {
        return k.slab().kmallocLarge(size, flags);
    }

    /** void *__kmalloc_node(size_t size, gfp_t flags, int node), also __kmalloc_node_track_caller */
    @KernelSymbol({"__kmalloc_node", "__kmalloc_node_track_caller"})
    static long kmallocNode(KernelContext k, long size, int flags, int node) {
        return k.slab().kmalloc(size, flags);
    }

    /** void *kmalloc_node_trace(struct kmem_cache *s, gfp_t gfpflags, int node, size_t size) */
    @KernelSymbol("kmalloc_node_trace")
    static long kmallocNodeTrace(KernelContext k, long s, int flags, int node, long size) {
        return kmallocTrace(k, s, flags, size);
    }

    /** void kfree(const void *objp) */
    @KernelSymbol("kfree")
    public static void kfreeSym(KernelContext k, long p) {
        k.slab().kfreeChecked(p);
    }

    /** size_t ksize(const void *objp) */
    @KernelSymbol("ksize")
    static long ksizeSym(KernelContext k, long p) {
        return k.slab().ksize(p);
    }

    /**
     * void *krealloc(const void *p, size_t new_size, gfp_t flags): in place while the object is
     * large enough ({@code kasan_krealloc()} moves the redzone to the new size), else a new object.
     */
    @KernelSymbol("krealloc")
    static long krealloc(KernelContext k, long p, long newSize, int flags) {
        Slab s = k.slab();
        if (newSize == 0) {
            kfreeSym(k, p);
            return ZERO_SIZE_PTR;
        }
        Obj o = p == 0 || p == ZERO_SIZE_PTR ? null : s.live(p);
        if (o != null && o.size >= newSize) {
            o.requested = newSize;
            if (s.kasan != null) {
                s.kasan.allocated(o);
            }
            return p;
        }
        long q = s.kmalloc(newSize, flags);
        if (q == 0) {
            return 0;
        }
        if (o != null) {
            k.mem().copy(q, p, o.size);
            s.free(o);
        }
        return q;
    }

    /** void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfpflags) */
    @KernelSymbol("kmem_cache_alloc")
    static long kmemCacheAlloc(KernelContext k, long s, int flags) {
        Cache c = k.slab().cache(s);
        if (c == null) {
            throw new IllegalArgumentException("kmem_cache_alloc: 0x" + Long.toHexString(s) + " is not a kmem_cache");
        }
        return k.slab().allocate(c, flags);
    }

    /** void kmem_cache_free(struct kmem_cache *s, void *x) */
    @KernelSymbol("kmem_cache_free")
    static void kmemCacheFree(KernelContext k, long s, long x) {
        kfreeSym(k, x);
    }

    // ---------------------------------------------------------------- caches (mm/slab_common.c)

    /** {@code calculate_alignment()}. */
    private static long calculateAlignment(KernelContext k, long flags, long align, long size) {
        if ((flags & k.profile().value("SLAB_HWCACHE_ALIGN")) != 0) {
            long ralign = k.profile().value("L1_CACHE_BYTES");
            while (size <= ralign / 2) {
                ralign /= 2;
            }
            align = Math.max(align, ralign);
        }
        align = Math.max(align, k.profile().value("ARCH_SLAB_MINALIGN"));
        return (align + 7) & -8L;
    }

    /**
     * {@code kmem_cache_create_usercopy()}: a new cache named by a copy of {@code name}; the
     * object stride is the size aligned as {@code calculate_alignment()} and SLUB's
     * {@code calculate_sizes()} make it (a constructor moves the free pointer behind the object).
     */
    public long createCache(long name, long size, long align, long flags, long ctor) {
        long a = calculateAlignment(k, flags, align, size);
        long stride = (size + 7) & -8L;
        if (ctor != 0) {
            stride += 8;
        }
        if (kasan != null) {
            stride += Kasan.redzone(size);
        }
        stride = (stride + a - 1) & -a;
        long nameCopy = Util.kstrdupConst(k, name, Gfp.KERNEL);
        long addr = allocateRaw(KMEM_CACHE_BYTES);
        Cache c = new Cache(k.string(nameCopy, 256), size, stride, ctor, flags, addr);
        caches.put(addr, c);
        return addr;
    }

    /**
     * struct kmem_cache *kmem_cache_create_usercopy(const char *name, unsigned int size,
     * unsigned int align, slab_flags_t flags, unsigned int useroffset, unsigned int usersize,
     * void (*ctor)(void *))
     */
    @KernelSymbol("kmem_cache_create_usercopy")
    static long kmemCacheCreateUsercopy(KernelContext k, long name, int size, int align, int flags, int useroffset,
            int usersize, long ctor) {
        return k.slab().createCache(name, Integer.toUnsignedLong(size), Integer.toUnsignedLong(align),
                Integer.toUnsignedLong(flags), ctor);
    }

    /**
     * struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
     * slab_flags_t flags, void (*ctor)(void *))
     */
    @KernelSymbol("kmem_cache_create")
    static long kmemCacheCreate(KernelContext k, long name, int size, int align, int flags, long ctor) {
        return k.slab().createCache(name, Integer.toUnsignedLong(size), Integer.toUnsignedLong(align),
                Integer.toUnsignedLong(flags), ctor);
    }

    /** unsigned int kmem_cache_size(struct kmem_cache *s) */
    @KernelSymbol("kmem_cache_size")
    static int kmemCacheSize(KernelContext k, long s) {
        Cache c = k.slab().cache(s);
        return c == null ? 0 : (int) c.objectSize;
    }

    /** void *kmem_cache_alloc_node(struct kmem_cache *s, gfp_t gfpflags, int node) */
    @KernelSymbol("kmem_cache_alloc_node")
    static long kmemCacheAllocNode(KernelContext k, long s, int flags, int node) {
        return kmemCacheAlloc(k, s, flags);
    }

    /** void *kmem_cache_alloc_lru(struct kmem_cache *s, struct list_lru *lru, gfp_t gfpflags) */
    @KernelSymbol("kmem_cache_alloc_lru")
    static long kmemCacheAllocLru(KernelContext k, long s, long lru, int flags) {
        return kmemCacheAlloc(k, s, flags);
    }

    /** int kmem_cache_shrink(struct kmem_cache *cachep): nothing is cached beyond the slabs */
    @KernelSymbol("kmem_cache_shrink")
    static int kmemCacheShrink(KernelContext k, long s) {
        return 0;
    }

    /** The live objects of {@code c}, by slab, in address order. */
    private TreeMap<Long, List<Long>> liveObjects(Cache c) {
        TreeMap<Long, List<Long>> out = new TreeMap<>(Long::compareUnsigned);
        for (Object o : slabs.values()) {
            if (o instanceof SlabPage sp && sp.cache() == c) {
                List<Long> live = new ArrayList<>();
                for (Obj x : sp.slots()) {
                    if (x.state == State.LIVE) {
                        live.add(x.start);
                    }
                }
                if (!live.isEmpty()) {
                    out.put(sp.base(), live);
                }
            }
        }
        return out;
    }

    /**
     * void kmem_cache_destroy(struct kmem_cache *s). Objects still allocated make SLUB's
     * {@code __kmem_cache_shutdown()} report each slab holding them ({@code slab_err()}: the BUG
     * banner, the slab line, a stack dump, the objects, taint B) and the cache stays, with the
     * {@code WARN} naming the caller; otherwise the cache and its slabs are freed.
     */
    @KernelSymbol("kmem_cache_destroy")
    static void kmemCacheDestroy(KernelContext k, long s) {
        Slab slab = k.slab();
        Cache c = slab.cache(s);
        if (c == null) {
            return;
        }
        var live = slab.liveObjects(c);
        if (!live.isEmpty()) {
            String caller = k.machine().kallsyms().symbolize(k.frame().returnAddress(), true);
            for (var e : live.entrySet()) {
                long base = e.getKey();
                k.printk(3, "=============================================================================");
                k.printk(3, "BUG " + c.name + " (" + k.taint().describe() + "): Objects remaining in " + c.name
                        + " on __kmem_cache_shutdown()");
                k.printk(3, "-----------------------------------------------------------------------------\n");
                long slabBytes = 0;
                for (Object o : slab.slabs.values()) {
                    if (o instanceof SlabPage sp && sp.base() == base) {
                        slabBytes = sp.size();
                    }
                }
                long page = k.machine().vmemmapBase() + ((base - k.machine().pageOffsetBase()) >>> 12) * 64;
                k.printk(3, str(dev.kmodemu.kstubs.printk.Printk.format(k, "Slab 0x%p objects=%u used=%u fp=0x%p flags=%pGp",
                        page, slabBytes / c.stride, e.getValue().size(), 0L, k.slab().pageFlags(slabBytes))));
                dev.kmodemu.kstubs.kernel.Oops.dumpStack(k, 4);
                k.taint().add(dev.kmodemu.kstubs.kernel.Taint.BAD_PAGE, true);
                for (long p : e.getValue()) {
                    k.printk(3, str(dev.kmodemu.kstubs.printk.Printk.format(k, "Object 0x%p @offset=%tu", p, p - base)));
                }
            }
            dev.kmodemu.kstubs.kernel.Oops.warn(k, "mm/slab_common.c:493", "kmem_cache_destroy",
                    "kmem_cache_destroy " + c.name + ": Slab cache still has objects when called from " + caller);
            return;
        }
        slab.caches.remove(s);
        if (slab.kasan != null) {
            slab.kasan.dropCache(c);
        }
        slab.slabs.values().removeIf(o -> {
            if (o instanceof SlabPage sp && sp.cache() == c) {
                slab.heap().free(sp.base());
                return true;
            }
            return false;
        });
    }

    private static String str(byte[] b) {
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A guest word holding the page flags of a slab of {@code bytes} (for {@code %pGp}). */
    private long pageFlags(long bytes) {
        if (pageFlagsWord == 0) {
            pageFlagsWord = kmalloc(8, Gfp.ZERO);
        }
        // PG_slab, plus PG_head for a compound (multi-page) slab; node 0; zone DMA32 (the
        // emulated machine's 2 GiB are all below 4 GiB); no last cpupid (all ones)
        var p = k.profile();
        long flags = 1L << p.value("PG_slab") | (bytes > AddressSpace.PAGE ? 1L << p.value("PG_head") : 0)
                | p.value("ZONE_DMA32") << p.value("ZONES_PGSHIFT")
                | p.value("LAST_CPUPID_MASK") << p.value("LAST_CPUPID_PGSHIFT");
        k.mem().write64(pageFlagsWord, flags);
        return pageFlagsWord;
    }

    private long pageFlagsWord;

    /** void kfree_sensitive(const void *p): zeroes the whole object (ksize bytes), then kfree()s it */
    @KernelSymbol("kfree_sensitive")
    static void kfreeSensitive(KernelContext k, long p) {
        long ks = k.slab().ksize(p);
        if (ks != 0) {
            k.mem().fill(p, ks, (byte) 0);
        }
        kfreeSym(k, p);
    }
}
