package dev.kmodemu.kstubs.lib;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * lib/xarray.c, the normal (non-advanced) API. The entries and marks of each {@code struct
 * xarray} are kept in Java, keyed by its address, in index order; the guest structure keeps what
 * inline code reads: {@code xa_head} is NULL exactly when the array is empty ({@code xa_empty()}),
 * holds the entry itself when index 0 is the only one used (as the kernel stores it), and
 * otherwise points (as an internal node entry) to a zeroed {@code xa_node}, since no node tree
 * exists; {@code xa_flags} carries the root mark bits ({@code xa_marked()}) and, for allocating
 * arrays, the free mark as the kernel leaves it. The advanced {@code xas_*} API and multi-index
 * entries are not provided. State left behind by an array whose memory was reinitialised (its
 * {@code xa_head} found NULL again) is dropped.
 *
 * <p>The same model serves the radix tree and IDR of lib/radix-tree.c and lib/idr.c, whose
 * {@code struct radix_tree_root} is a {@code struct xarray} (tags are marks, {@code ROOT_IS_IDR}
 * is the track-free flag).
 */
public final class Xarray {
    private Xarray() {
    }

    static final int MARKS = 3;
    /** {@code XA_ZERO_ENTRY}: {@code xa_mk_internal(257)}. */
    static final long ZERO_ENTRY = (257L << 2) | 2;
    /** {@code XA_RETRY_ENTRY}: {@code xa_mk_internal(256)}. */
    static final long RETRY_ENTRY = (256L << 2) | 2;

    /** The entries and marks of one array. */
    static final class Xa {
        final TreeMap<Long, Long> entries = new TreeMap<>(Long::compareUnsigned);
        @SuppressWarnings("unchecked")
        final TreeSet<Long>[] marks = new TreeSet[MARKS];
        /** The {@code xa_head} value last written, to notice a reinitialised array. */
        long head;

        Xa() {
            for (int i = 0; i < MARKS; i++) {
                marks[i] = new TreeSet<>(Long::compareUnsigned);
            }
        }
    }

    private static final class State {
        final Map<Long, Xa> arrays = new HashMap<>();
        long dummyNode;
    }

    private static State state(KernelContext k) {
        return k.state(Xarray.class, State::new);
    }

    private static long headAt(KernelContext k, long xa) {
        return xa + k.off("xarray_xa_head");
    }

    private static long flagsAt(KernelContext k, long xa) {
        return xa + k.off("xarray_xa_flags");
    }

    static int flags(KernelContext k, long xa) {
        return k.mem().read32(flagsAt(k, xa));
    }

    /** The model of the array at {@code xa} (empty if unknown or reinitialised in guest memory). */
    static Xa of(KernelContext k, long xa) {
        State s = state(k);
        Xa x = s.arrays.get(xa);
        long head = k.mem().read64(headAt(k, xa));
        if (x == null || head != x.head) {
            x = new Xa();
            s.arrays.put(xa, x);
        }
        return x;
    }

    /** Forgets an array (it is empty). */
    static void drop(KernelContext k, long xa) {
        state(k).arrays.remove(xa);
    }

    static boolean trackFree(KernelContext k, long xa) {
        return (flags(k, xa) & k.profile().value("XA_FLAGS_TRACK_FREE")) != 0;
    }

    static boolean zeroBusy(KernelContext k, long xa) {
        return (flags(k, xa) & k.profile().value("XA_FLAGS_ZERO_BUSY")) != 0;
    }

    /** The root mark bit of {@code mark} in {@code xa_flags} ({@code XA_FLAGS_MARK(mark)}). */
    static int rootMark(KernelContext k, int mark) {
        return (int) (k.profile().value("XA_FLAGS_MARK_0") << mark);
    }

    /**
     * What {@code xa_head} holds when the kernel would have a node there: an internal entry
     * pointing to a zeroed {@code struct xa_node} (one per kernel, never used as a node).
     */
    static long nodeEntry(KernelContext k) {
        State s = state(k);
        if (s.dummyNode == 0) {
            s.dummyNode = k.slab().kmalloc(k.profile().value("xa_node_sizeof"), dev.kmodemu.kstubs.mm.Gfp.ZERO);
        }
        return s.dummyNode | 2;
    }

    /** Rewrites {@code xa_head} and the root marks in {@code xa_flags} from the model. */
    static void sync(KernelContext k, long xa, Xa x) {
        AddressSpace m = k.mem();
        long head;
        if (x.entries.isEmpty()) {
            head = 0;
        } else if (x.entries.size() == 1 && x.entries.containsKey(0L)) {
            head = x.entries.get(0L);
        } else {
            head = nodeEntry(k);
        }
        m.write64(headAt(k, xa), head);
        x.head = head;
        int f = flags(k, xa);
        boolean tf = trackFree(k, xa);
        for (int i = 0; i < MARKS; i++) {
            boolean set;
            if (i == 0 && tf) {
                set = x.entries.isEmpty() ? !zeroBusy(k, xa) : !(x.entries.size() == 1 && x.entries.containsKey(0L));
            } else {
                set = !x.marks[i].isEmpty();
            }
            f = set ? f | rootMark(k, i) : f & ~rootMark(k, i);
        }
        m.write32(flagsAt(k, xa), f);
        if (x.entries.isEmpty()) {
            drop(k, xa);
        }
    }

    /** {@code xa_is_internal()}. */
    static boolean isInternal(long entry) {
        return (entry & 3) == 2;
    }

    /** {@code xa_is_advanced()}: internal entries up to {@code XA_RETRY_ENTRY}. */
    static boolean isAdvanced(long entry) {
        return isInternal(entry) && Long.compareUnsigned(entry, RETRY_ENTRY) <= 0;
    }

    /** {@code XA_ERROR(errno)}. */
    static long error(int errno) {
        return ((long) errno << 2) | 2;
    }

    static long zeroToNull(long entry) {
        return entry == ZERO_ENTRY ? 0 : entry;
    }

    /** {@code xas_store()} at one index: NULL erases (and clears the index's marks). */
    static long store(Xa x, long index, long entry) {
        Long old = entry == 0 ? x.entries.remove(index) : x.entries.put(index, entry);
        if (entry == 0) {
            for (TreeSet<Long> s : x.marks) {
                s.remove(index);
            }
        }
        return old == null ? 0 : old;
    }

    private static boolean warnAdvanced(KernelContext k, long entry, String where, String fn) {
        if (isAdvanced(entry)) {
            OnceLite.warnOnce(k, where, fn, null);
            return true;
        }
        return false;
    }

    /** void *xa_load(struct xarray *xa, unsigned long index) */
    @KernelSymbol("xa_load")
    static long load(KernelContext k, long xa, long index) {
        Long e = of(k, xa).entries.get(index);
        return e == null ? 0 : zeroToNull(e);
    }

    /** void *__xa_erase(struct xarray *xa, unsigned long index), also xa_erase() */
    @KernelSymbol({"__xa_erase", "xa_erase"})
    static long erase(KernelContext k, long xa, long index) {
        Xa x = of(k, xa);
        long old = store(x, index, 0);
        sync(k, xa, x);
        return zeroToNull(old);
    }

    /** void *__xa_store(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp), also xa_store() */
    @KernelSymbol({"__xa_store", "xa_store"})
    static long storeSym(KernelContext k, long xa, long index, long entry, int gfp) {
        if (warnAdvanced(k, entry, "lib/xarray.c:1548", "__xa_store")) {
            return error(-Errno.EINVAL);
        }
        Xa x = of(k, xa);
        if (trackFree(k, xa) && entry == 0) {
            entry = ZERO_ENTRY;
        }
        long old = store(x, index, entry);
        sync(k, xa, x);
        return zeroToNull(old);
    }

    /**
     * void *xa_store_range(struct xarray *xa, unsigned long first, unsigned long last, void *entry,
     * gfp_t gfp): {@code entry} at every index of the range (the kernel stores it as multi-index
     * entries; loads, erases and iteration see the same here) or, for NULL, the range erased.
     * Ranges beyond what this per-index model can hold (over 2^20 indices) fail with -ENOMEM, as
     * the kernel's node allocation would for a range it cannot cover.
     */
    @KernelSymbol("xa_store_range")
    static long storeRange(KernelContext k, long xa, long first, long last, long entry, int gfp) {
        if (isInternal(entry)) {
            OnceLite.warnOnce(k, "lib/xarray.c:1726", "xa_store_range", null);
            return error(-Errno.EINVAL);
        }
        if (Long.compareUnsigned(last, first) < 0) {
            return error(-Errno.EINVAL);
        }
        if (Long.compareUnsigned(last - first, 1 << 20) >= 0) {
            return error(-Errno.ENOMEM);
        }
        Xa x = of(k, xa);
        for (long i = first; ; i++) {
            store(x, i, entry);
            if (i == last) {
                break;
            }
        }
        sync(k, xa, x);
        return 0;
    }

    /**
     * void *__xa_cmpxchg(struct xarray *xa, unsigned long index, void *old, void *entry, gfp_t gfp):
     * stores if the current entry (a reserved one is not NULL here) is {@code old}.
     */
    @KernelSymbol("__xa_cmpxchg")
    static long cmpxchg(KernelContext k, long xa, long index, long old, long entry, int gfp) {
        if (warnAdvanced(k, entry, "lib/xarray.c:1614", "__xa_cmpxchg")) {
            return error(-Errno.EINVAL);
        }
        Xa x = of(k, xa);
        Long c = x.entries.get(index);
        long curr = c == null ? 0 : c;
        if (curr == old) {
            store(x, index, entry);
            sync(k, xa, x);
        }
        return zeroToNull(curr);
    }

    /** int __xa_insert(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp): 0 or -EBUSY */
    @KernelSymbol("__xa_insert")
    static int insert(KernelContext k, long xa, long index, long entry, int gfp) {
        if (warnAdvanced(k, entry, "lib/xarray.c:1651", "__xa_insert")) {
            return -Errno.EINVAL;
        }
        Xa x = of(k, xa);
        if (x.entries.containsKey(index)) {
            return -Errno.EBUSY;
        }
        store(x, index, entry == 0 ? ZERO_ENTRY : entry);
        sync(k, xa, x);
        return 0;
    }

    /** The lowest free index in [min, max] of an allocating array, or -1. */
    private static long lowestFree(KernelContext k, long xa, Xa x, long min, long max) {
        boolean zb = zeroBusy(k, xa);
        long i = min;
        for (Long used : x.entries.tailMap(min, true).keySet()) {
            if (zb && i == 0) {
                i = 1;
            }
            if (Long.compareUnsigned(used, i) > 0) {
                break;
            }
            i = used + 1;
            if (i == 0) {
                return -1;
            }
        }
        if (zb && i == 0) {
            i = 1;
        }
        return Long.compareUnsigned(i, max) <= 0 ? i : -1;
    }

    /**
     * int __xa_alloc(struct xarray *xa, u32 *id, void *entry, struct xa_limit limit, gfp_t gfp):
     * the lowest free index in the limit (passed by value: max in the low half, min in the high
     * half of the register); -EBUSY if there is none.
     */
    @KernelSymbol("__xa_alloc")
    static int alloc(KernelContext k, long xa, long id, long entry, long limit, int gfp) {
        if (warnAdvanced(k, entry, "lib/xarray.c:1833", "__xa_alloc")) {
            return -Errno.EINVAL;
        }
        if (!trackFree(k, xa)) {
            OnceLite.warnOnce(k, "lib/xarray.c:1835", "__xa_alloc", null);
            return -Errno.EINVAL;
        }
        long max = limit & 0xffffffffL;
        long min = limit >>> 32;
        Xa x = of(k, xa);
        long i = lowestFree(k, xa, x, min, max);
        if (i < 0) {
            return -Errno.EBUSY;
        }
        k.mem().write32(id, (int) i);
        store(x, i, entry == 0 ? ZERO_ENTRY : entry);
        sync(k, xa, x);
        return 0;
    }

    /**
     * int __xa_alloc_cyclic(struct xarray *xa, u32 *id, void *entry, struct xa_limit limit,
     * u32 *next, gfp_t gfp): from {@code *next} on, wrapping to the limit's minimum (then 1).
     */
    @KernelSymbol("__xa_alloc_cyclic")
    static int allocCyclic(KernelContext k, long xa, long id, long entry, long limit, long next, int gfp) {
        AddressSpace m = k.mem();
        long max = limit & 0xffffffffL;
        long min = limit >>> 32;
        long nx = Integer.toUnsignedLong(m.read32(next));
        long lmin = Math.max(min, nx);
        int wrapped = (int) k.profile().value("XA_FLAGS_ALLOC_WRAPPED");
        int ret = alloc(k, xa, id, entry, max | (lmin << 32), gfp);
        if ((flags(k, xa) & wrapped) != 0 && ret == 0) {
            m.write32(flagsAt(k, xa), flags(k, xa) & ~wrapped);
            ret = 1;
        }
        if (ret < 0 && lmin > min) {
            ret = alloc(k, xa, id, entry, max | (min << 32), gfp);
            if (ret == 0) {
                ret = 1;
            }
        }
        if (ret >= 0) {
            int n = m.read32(id) + 1;
            m.write32(next, n);
            if (n == 0) {
                m.write32(flagsAt(k, xa), flags(k, xa) | wrapped);
            }
        }
        return ret;
    }

    /** The first entry at or after {@code index}, up to {@code max}, with {@code filter}; reserved ones skipped. */
    static Map.Entry<Long, Long> find(Xa x, long index, long max, int filter) {
        for (Map.Entry<Long, Long> e : x.entries.tailMap(index, true).entrySet()) {
            if (Long.compareUnsigned(e.getKey(), max) > 0) {
                return null;
            }
            if (e.getValue() == ZERO_ENTRY || e.getValue() == 0) {
                continue;
            }
            if (filter < MARKS && !x.marks[filter].contains(e.getKey())) {
                continue;
            }
            return e;
        }
        return null;
    }

    /** void *xa_find(struct xarray *xa, unsigned long *indexp, unsigned long max, xa_mark_t filter) */
    @KernelSymbol("xa_find")
    static long findSym(KernelContext k, long xa, long indexp, long max, int filter) {
        Map.Entry<Long, Long> e = find(of(k, xa), k.mem().read64(indexp), max, filter);
        if (e == null) {
            return 0;
        }
        k.mem().write64(indexp, e.getKey());
        return e.getValue();
    }

    /** void *xa_find_after(struct xarray *xa, unsigned long *indexp, unsigned long max, xa_mark_t filter) */
    @KernelSymbol("xa_find_after")
    static long findAfter(KernelContext k, long xa, long indexp, long max, int filter) {
        long from = k.mem().read64(indexp) + 1;
        if (from == 0) {
            return 0;
        }
        Map.Entry<Long, Long> e = find(of(k, xa), from, max, filter);
        if (e == null) {
            return 0;
        }
        k.mem().write64(indexp, e.getKey());
        return e.getValue();
    }

    /**
     * unsigned int xa_extract(struct xarray *xa, void **dst, unsigned long start, unsigned long max,
     * unsigned int n, xa_mark_t filter)
     */
    @KernelSymbol("xa_extract")
    static int extract(KernelContext k, long xa, long dst, long start, long max, int n, int filter) {
        Xa x = of(k, xa);
        int i = 0;
        long at = start;
        while (Integer.compareUnsigned(i, n) < 0) {
            Map.Entry<Long, Long> e = find(x, at, max, filter);
            if (e == null) {
                break;
            }
            k.mem().write64(dst + 8L * i++, e.getValue());
            at = e.getKey() + 1;
            if (at == 0) {
                break;
            }
        }
        return i;
    }

    /** void xa_destroy(struct xarray *xa) */
    @KernelSymbol("xa_destroy")
    static void destroy(KernelContext k, long xa) {
        Xa x = of(k, xa);
        x.entries.clear();
        for (TreeSet<Long> s : x.marks) {
            s.clear();
        }
        sync(k, xa, x);
    }

    /** {@code xas_set_mark()}/{@code xas_clear_mark()} at an index holding an entry. */
    private static void mark(KernelContext k, long xa, long index, int mark, boolean set) {
        Xa x = of(k, xa);
        if (mark < 0 || mark >= MARKS || !x.entries.containsKey(index)) {
            return;
        }
        if (set) {
            x.marks[mark].add(index);
        } else {
            x.marks[mark].remove(index);
        }
        sync(k, xa, x);
    }

    /** void __xa_set_mark(struct xarray *xa, unsigned long index, xa_mark_t mark), also xa_set_mark() */
    @KernelSymbol({"__xa_set_mark", "xa_set_mark"})
    static void setMark(KernelContext k, long xa, long index, int mark) {
        mark(k, xa, index, mark, true);
    }

    /** void __xa_clear_mark(struct xarray *xa, unsigned long index, xa_mark_t mark), also xa_clear_mark() */
    @KernelSymbol({"__xa_clear_mark", "xa_clear_mark"})
    static void clearMark(KernelContext k, long xa, long index, int mark) {
        mark(k, xa, index, mark, false);
    }

    /** bool xa_get_mark(struct xarray *xa, unsigned long index, xa_mark_t mark) */
    @KernelSymbol("xa_get_mark")
    static boolean getMark(KernelContext k, long xa, long index, int mark) {
        Xa x = of(k, xa);
        return mark >= 0 && mark < MARKS && x.entries.containsKey(index) && x.marks[mark].contains(index);
    }

    /** int xa_get_order(struct xarray *xa, unsigned long index): 0, entries are single-index */
    @KernelSymbol("xa_get_order")
    static int getOrder(KernelContext k, long xa, long index) {
        return 0;
    }
}
