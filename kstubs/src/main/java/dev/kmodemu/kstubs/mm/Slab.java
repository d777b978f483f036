package dev.kmodemu.kstubs.mm;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.firmware.VirtualArea;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The slab allocator as SLUB presents it to modules (mm/slab_common.c, mm/slub.c): the kmalloc
 * caches of every size class and type in {@code kmalloc_caches[][]}, objects carved from slabs of
 * direct-map pages, {@code ksize()} the size class, large sizes straight from the page allocator
 * ({@code kmalloc_large}), and the caches modules create. Objects are zeroed on allocation as
 * Debian's {@code init_on_alloc} default has them (see {@link #wantInitOnAlloc}).
 */
public final class Slab {
    /** {@code ZERO_SIZE_PTR}: what kmalloc(0) returns. */
    public static final long ZERO_SIZE_PTR = 16;
    private static final long KMEM_CACHE_BYTES = 256;

    /**
     * A cache of equal-sized objects. {@code address} is its {@code struct kmem_cache *};
     * {@code objectSize} is what the creator asked for, {@code size} the stride of its objects in
     * a slab (aligned, plus the free pointer SLUB keeps outside objects that have a constructor).
     */
    public static final class Cache {
        final String name;
        final long objectSize;
        final long size;
        final long ctor;
        final long flags;
        final long address;
        final ArrayDeque<Long> free = new ArrayDeque<>();

        Cache(String name, long objectSize, long address) {
            this(name, objectSize, objectSize, 0, 0, address);
        }

        Cache(String name, long objectSize, long size, long ctor, long flags, long address) {
            this.name = name;
            this.objectSize = objectSize;
            this.size = size;
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

    private record SlabPage(Cache cache, long base, long size) {
    }

    private final KernelContext k;
    private final Map<Long, Cache> caches = new HashMap<>();
    /** Slabs and large allocations by base address. */
    private final TreeMap<Long, Object> slabs = new TreeMap<>(Long::compareUnsigned);
    private final Map<Long, Long> allocated = new HashMap<>();
    private long kmallocCaches;
    private Cache[][] kmalloc;

    public Slab(KernelContext k) {
        this.k = k;
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

    /** Creates the kmalloc caches and fills {@code kmalloc_caches[NR_KMALLOC_TYPES][KMALLOC_SHIFT_HIGH + 1]}. */
    public void boot() {
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

    private Cache newCache(String name, long size) {
        long addr = allocateRaw(KMEM_CACHE_BYTES);
        Cache c = new Cache(name, size, addr);
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

    /** Allocates one object of {@code c}. */
    public long allocate(Cache c, int flags) {
        if (c.free.isEmpty()) {
            grow(c);
        }
        long p = c.free.pop();
        allocated.put(p, c.size);
        if (wantInitOnAlloc(c, flags)) {
            k.mem().fill(p, c.objectSize, (byte) 0);
        }
        return p;
    }

    /** A new slab for {@code c}: its objects go on the free list; a constructor runs on each. */
    private void grow(Cache c) {
        long slabBytes = Math.max(AddressSpace.PAGE, Math.min(8 * c.size, 32 * AddressSpace.PAGE));
        slabBytes = (slabBytes + AddressSpace.PAGE - 1) & -AddressSpace.PAGE;
        AddressSpace.Region r = heap().allocate(slabBytes, AddressSpace.PAGE, AddressSpace.RW, c.name);
        if (r == null) {
            throw new OutOfMemoryError("kmodemu: direct map exhausted");
        }
        slabs.put(r.base(), new SlabPage(c, r.base(), r.size()));
        long n = r.size() / c.size;
        for (long i = n - 1; i >= 0; i--) {
            c.free.push(r.base() + i * c.size);
        }
        if (c.ctor != 0) {
            for (long i = 0; i < n; i++) {
                k.call(c.ctor, r.base() + i * c.size);
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
        return allocate(c, flags);
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
        allocated.put(r.base(), pages);
        if (k.profile().value("INIT_ON_ALLOC_DEFAULT_ON") != 0 || (flags & Gfp.ZERO) != 0) {
            k.mem().fill(r.base(), pages, (byte) 0);
        }
        return r.base();
    }

    /** {@code ksize()}: the usable size of an allocated object, 0 for NULL/ZERO_SIZE_PTR. */
    public long ksize(long p) {
        if (p == 0 || p == ZERO_SIZE_PTR) {
            return 0;
        }
        Long s = allocated.get(p);
        return s == null ? 0 : s;
    }

    /** True if {@code p} is the free object next in line of its cache (the head of its freelist). */
    public boolean isFreelistHead(long p) {
        var e = slabs.floorEntry(p);
        return e != null && e.getValue() instanceof SlabPage sp && Long.compareUnsigned(p - sp.base(), sp.size()) < 0
                && Long.valueOf(p).equals(sp.cache().free.peek());
    }

    /** True if {@code p} is the start of a live kmalloc object. */
    public boolean isAllocated(long p) {
        return allocated.containsKey(p);
    }

    /**
     * {@code kfree()}: returns the object to its cache (large allocations to the page allocator).
     *
     * @return false if {@code p} is not a live object (the caller decides how to report it)
     */
    public boolean kfree(long p) {
        if (p == 0 || p == ZERO_SIZE_PTR) {
            return true;
        }
        Long size = allocated.remove(p);
        if (size == null) {
            return false;
        }
        var e = slabs.floorEntry(p);
        if (e.getValue() instanceof SlabPage sp) {
            sp.cache().free.push(p);
        } else {
            slabs.remove(p);
            heap().free(p);
        }
        return true;
    }

    /** A slab object: where it starts, its size and its cache's name. */
    public record SlabObject(long start, long size, String cache) {
    }

    /** The slab object (allocated or free) containing {@code p}, or null if {@code p} is not in a slab. */
    public SlabObject objectAt(long p) {
        var e = slabs.floorEntry(p);
        if (e == null) {
            return null;
        }
        if (e.getValue() instanceof SlabPage sp) {
            if (Long.compareUnsigned(p - sp.base(), sp.size()) >= 0) {
                return null;
            }
            long size = sp.cache().size;
            long start = sp.base() + (p - sp.base()) / size * size;
            return new SlabObject(start, size, sp.cache().name);
        }
        if (e.getValue() instanceof AddressSpace.Region r && r.contains(p)) {
            return new SlabObject(r.base(), r.size(), "page alloc");
        }
        return null;
    }

    /** The cache behind a {@code struct kmem_cache *}, or null. */
    public Cache cache(long address) {
        return caches.get(address);
    }

    /** Bytes in live kmalloc objects (size classes). */
    public long bytesInUse() {
        long sum = 0;
        for (long s : allocated.values()) {
            sum += s;
        }
        return sum;
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
        return k.slab().allocate(c, flags);
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
        Slab s = k.slab();
        if (!s.isAllocated(p) && s.isFreelistHead(p)) {
            // set_freepointer() with CONFIG_SLAB_FREELIST_HARDENED (Debian's): freeing the object
            // that heads its slab's freelist is the naive double-free check.
            throw dev.kmodemu.kstubs.kernel.Oops.bug(k, "mm/slub.c:419");
        }
        if (!s.kfree(p)) {
            k.printk(3, "kmodemu: kfree() of 0x" + Long.toHexString(p) + ", which kmalloc did not return, ignored");
        }
    }

    /** size_t ksize(const void *objp) */
    @KernelSymbol("ksize")
    static long ksizeSym(KernelContext k, long p) {
        return k.slab().ksize(p);
    }

    /** void *krealloc(const void *p, size_t new_size, gfp_t flags) */
    @KernelSymbol("krealloc")
    static long krealloc(KernelContext k, long p, long newSize, int flags) {
        Slab s = k.slab();
        if (newSize == 0) {
            s.kfree(p);
            return ZERO_SIZE_PTR;
        }
        long old = s.ksize(p);
        if (p != 0 && p != ZERO_SIZE_PTR && old >= newSize) {
            return p;
        }
        long q = s.kmalloc(newSize, flags);
        if (q == 0) {
            return 0;
        }
        if (p != 0 && p != ZERO_SIZE_PTR) {
            k.mem().copy(q, p, old);
            s.kfree(p);
        }
        return q;
    }

    /** void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfpflags) */
    @KernelSymbol("kmem_cache_alloc")
    static long kmemCacheAlloc(KernelContext k, long s, int flags) {
        return kmallocTrace(k, s, flags, 0);
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
        return kmallocTrace(k, s, flags, 0);
    }

    /** void *kmem_cache_alloc_lru(struct kmem_cache *s, struct list_lru *lru, gfp_t gfpflags) */
    @KernelSymbol("kmem_cache_alloc_lru")
    static long kmemCacheAllocLru(KernelContext k, long s, long lru, int flags) {
        return kmallocTrace(k, s, flags, 0);
    }

    /** int kmem_cache_shrink(struct kmem_cache *cachep): nothing is cached beyond the slabs */
    @KernelSymbol("kmem_cache_shrink")
    static int kmemCacheShrink(KernelContext k, long s) {
        return 0;
    }

    /** The live objects of {@code c}, by slab, in address order. */
    private TreeMap<Long, java.util.List<Long>> liveObjects(Cache c) {
        TreeMap<Long, java.util.List<Long>> out = new TreeMap<>(Long::compareUnsigned);
        for (Object o : slabs.values()) {
            if (o instanceof SlabPage sp && sp.cache() == c) {
                java.util.List<Long> live = new java.util.ArrayList<>();
                for (long p = sp.base(); p + c.size <= sp.base() + sp.size(); p += c.size) {
                    if (allocated.containsKey(p)) {
                        live.add(p);
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
                        page, slabBytes / c.size, e.getValue().size(), 0L, k.slab().pageFlags(slabBytes))));
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
