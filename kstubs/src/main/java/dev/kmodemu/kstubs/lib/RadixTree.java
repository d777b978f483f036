package dev.kmodemu.kstubs.lib;

import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * lib/radix-tree.c: the radix tree API on the {@link Xarray} model (a {@code struct
 * radix_tree_root} is a {@code struct xarray}; tags are marks, kept in {@code xa_flags} as root
 * tags), the per-cpu node preloading (nothing to preallocate, but it leaves preemption disabled
 * exactly when the kernel does, for the inline {@code *_preload_end()} to enable it again), and
 * {@code idr_destroy()}. Iteration ({@code radix_tree_next_chunk}) is not provided.
 */
public final class RadixTree {
    private RadixTree() {
    }

    /** {@code local_lock(&radix_tree_preloads.lock)} without PREEMPT_RT: preempt_disable(). */
    private static void preemptDisable(KernelContext k) {
        long pc = k.machine().percpu("__preempt_count");
        k.mem().write32(pc, k.mem().read32(pc) + 1);
    }

    /** void idr_preload(gfp_t gfp_mask) */
    @KernelSymbol("idr_preload")
    static void idrPreload(KernelContext k, int gfp) {
        preemptDisable(k);
    }

    /** int radix_tree_preload(gfp_t gfp_mask): 0, with preemption disabled */
    @KernelSymbol({"radix_tree_preload", "radix_tree_maybe_preload"})
    static int radixTreePreload(KernelContext k, int gfp) {
        preemptDisable(k);
        return 0;
    }

    /** void idr_destroy(struct idr *idr) */
    @KernelSymbol("idr_destroy")
    static void idrDestroy(KernelContext k, long idr) {
        long root = idr + k.off("idr_idr_rt");
        Xarray.Xa x = Xarray.of(k, root);
        x.entries.clear();
        for (var s : x.marks) {
            s.clear();
        }
        Xarray.sync(k, root, x);
        k.mem().write32(root + k.off("xarray_xa_flags"), Xarray.flags(k, root) | Xarray.rootMark(k, 0));
    }

    /** int radix_tree_tagged(const struct radix_tree_root *root, unsigned int tag) */
    @KernelSymbol("radix_tree_tagged")
    static int tagged(KernelContext k, long root, int tag) {
        return Xarray.flags(k, root) & Xarray.rootMark(k, tag);
    }

    /** void *radix_tree_lookup(const struct radix_tree_root *root, unsigned long index) */
    @KernelSymbol("radix_tree_lookup")
    static long lookup(KernelContext k, long root, long index) {
        Long e = Xarray.of(k, root).entries.get(index);
        return e == null ? 0 : e;
    }

    /** int radix_tree_insert(struct radix_tree_root *root, unsigned long index, void *item): 0 or -EEXIST */
    @KernelSymbol("radix_tree_insert")
    static int insert(KernelContext k, long root, long index, long item) {
        Xarray.Xa x = Xarray.of(k, root);
        if (x.entries.get(index) != null && x.entries.get(index) != 0) {
            return -Errno.EEXIST;
        }
        x.entries.put(index, item);
        Xarray.sync(k, root, x);
        return 0;
    }

    /**
     * void *radix_tree_delete_item(struct radix_tree_root *root, unsigned long index, void *item):
     * deletes the entry at {@code index} if it is {@code item} (any entry for NULL); returns it.
     */
    @KernelSymbol("radix_tree_delete_item")
    static long deleteItem(KernelContext k, long root, long index, long item) {
        Xarray.Xa x = Xarray.of(k, root);
        Long e = x.entries.get(index);
        if (e == null || (item != 0 && e != item)) {
            return 0;
        }
        Xarray.store(x, index, 0);
        x.entries.remove(index);
        Xarray.sync(k, root, x);
        return e;
    }

    /** void *radix_tree_delete(struct radix_tree_root *root, unsigned long index) */
    @KernelSymbol("radix_tree_delete")
    static long delete(KernelContext k, long root, long index) {
        return deleteItem(k, root, index, 0);
    }

    /** void *radix_tree_tag_set(struct radix_tree_root *root, unsigned long index, unsigned int tag) */
    @KernelSymbol("radix_tree_tag_set")
    static long tagSet(KernelContext k, long root, long index, int tag) {
        Xarray.Xa x = Xarray.of(k, root);
        Long e = x.entries.get(index);
        if (e != null && tag >= 0 && tag < Xarray.MARKS) {
            x.marks[tag].add(index);
            Xarray.sync(k, root, x);
        }
        return e == null ? 0 : e;
    }

    /** void *radix_tree_tag_clear(struct radix_tree_root *root, unsigned long index, unsigned int tag) */
    @KernelSymbol("radix_tree_tag_clear")
    static long tagClear(KernelContext k, long root, long index, int tag) {
        Xarray.Xa x = Xarray.of(k, root);
        Long e = x.entries.get(index);
        if (e != null && tag >= 0 && tag < Xarray.MARKS) {
            x.marks[tag].remove(index);
            Xarray.sync(k, root, x);
        }
        return e == null ? 0 : e;
    }

    /** int radix_tree_tag_get(const struct radix_tree_root *root, unsigned long index, unsigned int tag) */
    @KernelSymbol("radix_tree_tag_get")
    static int tagGet(KernelContext k, long root, long index, int tag) {
        Xarray.Xa x = Xarray.of(k, root);
        return tag >= 0 && tag < Xarray.MARKS && x.entries.get(index) != null && x.marks[tag].contains(index) ? 1 : 0;
    }
}
