package dev.kmodemu.kstubs.lib;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.kernel.Oops;

import java.util.HashMap;
import java.util.Map;

/**
 * lib/idr.c: ID allocators. An IDR maps ids to pointers in its radix tree root (a
 * {@code struct xarray}, modelled by {@link Xarray}), offset by {@code idr_base}; an id allocated
 * with a NULL pointer stays allocated but is skipped by lookups and iteration, as in the kernel.
 * An IDA is a set of allocated ids kept in Java per {@code struct ida}; its {@code xa.xa_head}
 * follows the kernel's encoding where inline {@code ida_is_empty()} can tell: NULL when empty,
 * the bitmap as a value entry while every id is below 63, else a (dummy) node entry.
 */
public final class Idr {
    private Idr() {
    }

    private static final long INT_MAX = Integer.MAX_VALUE;
    private static final int BITS_PER_XA_VALUE = 63;

    private static long baseAt(KernelContext k, long idr) {
        return idr + k.off("idr_idr_base");
    }

    private static long rt(KernelContext k, long idr) {
        return idr + k.off("idr_idr_rt");
    }

    /**
     * int idr_alloc_u32(struct idr *idr, void *ptr, u32 *nextid, unsigned long max, gfp_t gfp):
     * the lowest free id from {@code *nextid} to {@code max}, or -ENOSPC.
     */
    @KernelSymbol("idr_alloc_u32")
    static int allocU32(KernelContext k, long idr, long ptr, long nextid, long max, int gfp) {
        AddressSpace m = k.mem();
        long root = rt(k, idr);
        int isIdr = (int) k.profile().value("ROOT_IS_IDR");
        if ((Xarray.flags(k, root) & isIdr) == 0) {
            OnceLite.warnOnce(k, "lib/idr.c:41", "idr_alloc_u32", null);
            int marker = isIdr | Xarray.rootMark(k, 0);
            m.write32(root + k.off("xarray_xa_flags"), Xarray.flags(k, root) | marker);
        }
        long base = Integer.toUnsignedLong(m.read32(baseAt(k, idr)));
        long id = Integer.toUnsignedLong(m.read32(nextid));
        if (Long.compareUnsigned(max, base) < 0) {
            return -Errno.ENOSPC;
        }
        id = id < base ? 0 : id - base;
        Xarray.Xa x = Xarray.of(k, root);
        long limit = max - base;
        long i = id;
        for (Long used : x.entries.tailMap(id, true).keySet()) {
            if (used != i) {
                break;
            }
            i++;
        }
        if (Long.compareUnsigned(i, limit) > 0) {
            return -Errno.ENOSPC;
        }
        m.write32(nextid, (int) (i + base));
        x.entries.put(i, ptr);
        Xarray.sync(k, root, x);
        return 0;
    }

    /** int idr_alloc(struct idr *idr, void *ptr, int start, int end, gfp_t gfp): the id, or -errno */
    @KernelSymbol("idr_alloc")
    static int alloc(KernelContext k, long idr, long ptr, int start, int end, int gfp) {
        if (start < 0) {
            OnceLite.warnOnce(k, "lib/idr.c:86", "idr_alloc", null);
            return -Errno.EINVAL;
        }
        long id = k.slab().kmalloc(4, 0);
        try {
            k.mem().write32(id, start);
            int ret = allocU32(k, idr, ptr, id, end > 0 ? end - 1 : INT_MAX, gfp);
            return ret != 0 ? ret : k.mem().read32(id);
        } finally {
            k.slab().kfree(id);
        }
    }

    /** int idr_alloc_cyclic(struct idr *idr, void *ptr, int start, int end, gfp_t gfp) */
    @KernelSymbol("idr_alloc_cyclic")
    static int allocCyclic(KernelContext k, long idr, long ptr, int start, int end, int gfp) {
        AddressSpace m = k.mem();
        long nextAt = idr + k.off("idr_idr_next");
        int id = m.read32(nextAt);
        long max = end > 0 ? end - 1 : INT_MAX;
        if (id < start) {
            id = start;
        }
        long idp = k.slab().kmalloc(4, 0);
        try {
            m.write32(idp, id);
            int err = allocU32(k, idr, ptr, idp, max, gfp);
            if (err == -Errno.ENOSPC && Integer.compareUnsigned(m.read32(idp), start) > 0) {
                m.write32(idp, start);
                err = allocU32(k, idr, ptr, idp, max, gfp);
            }
            if (err != 0) {
                return err;
            }
            id = m.read32(idp);
            m.write32(nextAt, id + 1);
            return id;
        } finally {
            k.slab().kfree(idp);
        }
    }

    /** void *idr_remove(struct idr *idr, unsigned long id) */
    @KernelSymbol("idr_remove")
    static long remove(KernelContext k, long idr, long id) {
        long root = rt(k, idr);
        Xarray.Xa x = Xarray.of(k, root);
        long index = id - Integer.toUnsignedLong(k.mem().read32(baseAt(k, idr)));
        if (!x.entries.containsKey(index)) {
            return 0;
        }
        long old = x.entries.get(index);
        Xarray.store(x, index, 0);
        Xarray.sync(k, root, x);
        return old;
    }

    /** void *idr_find(const struct idr *idr, unsigned long id) */
    @KernelSymbol("idr_find")
    static long find(KernelContext k, long idr, long id) {
        Xarray.Xa x = Xarray.of(k, rt(k, idr));
        Long e = x.entries.get(id - Integer.toUnsignedLong(k.mem().read32(baseAt(k, idr))));
        return e == null ? 0 : e;
    }

    /**
     * int idr_for_each(const struct idr *idr, int (*fn)(int id, void *p, void *data), void *data):
     * every non-NULL entry in id order until {@code fn} returns non-zero (which is returned).
     */
    @KernelSymbol("idr_for_each")
    static int forEach(KernelContext k, long idr, long fn, long data) {
        Xarray.Xa x = Xarray.of(k, rt(k, idr));
        long base = k.mem().read32(baseAt(k, idr));
        long index = 0;
        while (true) {
            var e = Xarray.find(x, index, -1L, Integer.MAX_VALUE);
            if (e == null) {
                return 0;
            }
            long id = e.getKey() + base;
            if (Long.compareUnsigned(id, INT_MAX) > 0) {
                OnceLite.warnOnce(k, "lib/idr.c:208", "idr_for_each", null);
                return 0;
            }
            int ret = (int) k.call(fn, id, e.getValue(), data);
            if (ret != 0) {
                return ret;
            }
            index = e.getKey() + 1;
            // fn may have changed the tree: look it up again
            x = Xarray.of(k, rt(k, idr));
        }
    }

    /** {@code idr_get_next_ul()}: the first non-NULL entry from {@code ids[0]} on, which it updates. */
    private static long nextEntry(KernelContext k, long idr, long[] ids) {
        long base = Integer.toUnsignedLong(k.mem().read32(baseAt(k, idr)));
        long id = Long.compareUnsigned(ids[0], base) < 0 ? 0 : ids[0] - base;
        var e = Xarray.find(Xarray.of(k, rt(k, idr)), id, -1L, Integer.MAX_VALUE);
        if (e == null) {
            return 0;
        }
        ids[0] = e.getKey() + base;
        return e.getValue();
    }

    /** void *idr_get_next_ul(struct idr *idr, unsigned long *nextid) */
    @KernelSymbol("idr_get_next_ul")
    static long getNextUl(KernelContext k, long idr, long nextid) {
        long[] ids = {k.mem().read64(nextid)};
        long entry = nextEntry(k, idr, ids);
        if (entry != 0) {
            k.mem().write64(nextid, ids[0]);
        }
        return entry;
    }

    /** void *idr_get_next(struct idr *idr, int *nextid) */
    @KernelSymbol("idr_get_next")
    static long getNext(KernelContext k, long idr, long nextid) {
        long[] ids = {k.mem().read32(nextid)};
        long entry = nextEntry(k, idr, ids);
        if (Long.compareUnsigned(ids[0], INT_MAX) > 0) {
            OnceLite.warnOnce(k, "lib/idr.c:271", "idr_get_next", null);
            return 0;
        }
        k.mem().write32(nextid, (int) ids[0]);
        return entry;
    }

    /** void *idr_replace(struct idr *idr, void *ptr, unsigned long id): the old pointer, or ERR_PTR(-ENOENT) */
    @KernelSymbol("idr_replace")
    static long replace(KernelContext k, long idr, long ptr, long id) {
        long root = rt(k, idr);
        Xarray.Xa x = Xarray.of(k, root);
        long index = id - Integer.toUnsignedLong(k.mem().read32(baseAt(k, idr)));
        if (!x.entries.containsKey(index)) {
            return -Errno.ENOENT;
        }
        long old = x.entries.put(index, ptr);
        Xarray.sync(k, root, x);
        return old;
    }

    // ---------------------------------------------------------------- IDA

    /**
     * The allocated ids of one IDA as maximal runs {@code [start, end]}, so that finding the lowest
     * free id at or above a minimum is a lookup, not a walk over every id allocated below it (the
     * kernel's bitmaps answer that quickly too; test_ida allocates 131,071 ids near INT_MAX).
     */
    static final class IdRuns {
        private final java.util.TreeMap<Long, Long> runs = new java.util.TreeMap<>();

        boolean isEmpty() {
            return runs.isEmpty();
        }

        long last() {
            return runs.lastEntry().getValue();
        }

        /** The lowest id at or above {@code min} that is not allocated. */
        long firstFree(long min) {
            var e = runs.floorEntry(min);
            return e != null && e.getValue() >= min ? e.getValue() + 1 : min;
        }

        boolean contains(long id) {
            var e = runs.floorEntry(id);
            return e != null && e.getValue() >= id;
        }

        void add(long id) {
            long start = id;
            long end = id;
            var left = runs.floorEntry(id - 1);
            if (left != null && left.getValue() == id - 1) {
                start = left.getKey();
            }
            Long right = runs.remove(id + 1);
            if (right != null) {
                end = right;
            }
            runs.put(start, end);
        }

        boolean remove(long id) {
            var e = runs.floorEntry(id);
            if (e == null || e.getValue() < id) {
                return false;
            }
            long start = e.getKey();
            long end = e.getValue();
            runs.remove(start);
            if (start < id) {
                runs.put(start, id - 1);
            }
            if (id < end) {
                runs.put(id + 1, end);
            }
            return true;
        }

        void clear() {
            runs.clear();
        }

        /** The bitmap of ids below 64 (only meaningful when {@link #last()} is below 64). */
        long lowBits() {
            long bits = 0;
            for (var e : runs.entrySet()) {
                for (long id = e.getKey(); id <= e.getValue() && id < 64; id++) {
                    bits |= 1L << id;
                }
            }
            return bits;
        }
    }

    private static Map<Long, IdRuns> idas(KernelContext k) {
        return k.state(Idr.class, HashMap::new);
    }

    private static long idaHead(KernelContext k, long ida) {
        return ida + k.off("xarray_xa_head");
    }

    /** The ids of the IDA at {@code ida}; dropped if its memory was reinitialised (head NULL). */
    private static IdRuns ids(KernelContext k, long ida) {
        IdRuns s = idas(k).get(ida);
        if (s == null || k.mem().read64(idaHead(k, ida)) == 0) {
            s = new IdRuns();
            idas(k).put(ida, s);
        }
        return s;
    }

    /** {@code xa_head} as the kernel encodes the IDA's chunks. */
    private static void syncIda(KernelContext k, long ida, IdRuns s) {
        long head;
        if (s.isEmpty()) {
            head = 0;
            idas(k).remove(ida);
        } else if (s.last() < BITS_PER_XA_VALUE) {
            head = (s.lowBits() << 1) | 1;
        } else {
            head = Xarray.nodeEntry(k);
        }
        k.mem().write64(idaHead(k, ida), head);
    }

    /**
     * int ida_alloc_range(struct ida *ida, unsigned int min, unsigned int max, gfp_t gfp): the
     * lowest free id in [min, max] ({@code max} above INT_MAX means INT_MAX), or -ENOSPC.
     */
    @KernelSymbol("ida_alloc_range")
    static int idaAllocRange(KernelContext k, long ida, int min, int max, int gfp) {
        if (min < 0) {
            return -Errno.ENOSPC;
        }
        long hi = max < 0 ? INT_MAX : max;
        IdRuns s = ids(k, ida);
        long i = s.firstFree(min);
        if (i > hi) {
            return -Errno.ENOSPC;
        }
        s.add(i);
        syncIda(k, ida, s);
        return (int) i;
    }

    /** void ida_free(struct ida *ida, unsigned int id) */
    @KernelSymbol("ida_free")
    static void idaFree(KernelContext k, long ida, int id) {
        if (id < 0) {
            return;
        }
        IdRuns s = ids(k, ida);
        if (!s.remove(id)) {
            Oops.warn(k, "lib/idr.c:527", "ida_free", "ida_free called for id=" + id + " which is not allocated.");
            return;
        }
        syncIda(k, ida, s);
    }

    /** void ida_destroy(struct ida *ida) */
    @KernelSymbol("ida_destroy")
    static void idaDestroy(KernelContext k, long ida) {
        IdRuns s = ids(k, ida);
        s.clear();
        syncIda(k, ida, s);
    }
}
