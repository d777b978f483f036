package dev.kmodemu.kstubs.lib;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * lib/interval_tree.c: {@code INTERVAL_TREE_DEFINE(struct interval_tree_node, rb, unsigned long,
 * __subtree_last, START, LAST,, interval_tree)} of include/linux/interval_tree_generic.h, an
 * augmented red-black tree (in an {@code rb_root_cached}) ordered by {@code start}, each node
 * keeping the largest {@code last} of its subtree, searched for intervals overlapping
 * {@code [start, last]} (closed, unsigned). The nodes are the caller's guest structs; the
 * rebalancing is {@link Rbtree}'s with {@code RB_DECLARE_CALLBACKS_MAX} callbacks.
 */
public final class IntervalTree {
    private IntervalTree() {
    }

    /** Offsets of {@code struct interval_tree_node} ({@code rb} is at 0, so node == &node->rb). */
    private record N(AddressSpace m, int start, int last, int sub, int left, int right, int pc) {
        static N of(KernelContext k) {
            if (k.off("interval_tree_node_rb") != 0) {
                throw new IllegalStateException("interval_tree_node.rb is not the first member");
            }
            return new N(k.mem(), k.off("interval_tree_node_start"), k.off("interval_tree_node_last"),
                    k.off("interval_tree_node_subtree_last"), k.off("rb_node_rb_left"), k.off("rb_node_rb_right"),
                    k.off("rb_node_parent_color"));
        }

        long start(long n) {
            return m.read64(n + start);
        }

        long last(long n) {
            return m.read64(n + last);
        }

        long sub(long n) {
            return m.read64(n + sub);
        }

        void setSub(long n, long v) {
            m.write64(n + sub, v);
        }

        long left(long n) {
            return m.read64(n + left);
        }

        long right(long n) {
            return m.read64(n + right);
        }

        long parent(long n) {
            return m.read64(n + pc) & ~3L;
        }
    }

    private static boolean lt(long a, long b) {
        return Long.compareUnsigned(a, b) < 0;
    }

    /** {@code interval_tree_augment_compute_max(node, exit)}: true if {@code exit} and nothing changed. */
    private static boolean computeMax(N n, long node, boolean exit) {
        long max = n.last(node);
        long l = n.left(node);
        if (l != 0 && lt(max, n.sub(l))) {
            max = n.sub(l);
        }
        long r = n.right(node);
        if (r != 0 && lt(max, n.sub(r))) {
            max = n.sub(r);
        }
        if (exit && n.sub(node) == max) {
            return true;
        }
        n.setSub(node, max);
        return false;
    }

    /** {@code interval_tree_augment}: RB_DECLARE_CALLBACKS' propagate, copy and rotate. */
    private static Rbtree.Augment augment(N n) {
        return new Rbtree.Augment() {
            @Override
            public void propagate(long node, long stop) {
                while (node != stop) {
                    if (computeMax(n, node, true)) {
                        break;
                    }
                    node = n.parent(node);
                }
            }

            @Override
            public void copy(long old, long nw) {
                n.setSub(nw, n.sub(old));
            }

            @Override
            public void rotate(long old, long nw) {
                n.setSub(nw, n.sub(old));
                computeMax(n, old, false);
            }
        };
    }

    /** {@code void interval_tree_insert(struct interval_tree_node *node, struct rb_root_cached *root)} */
    @KernelSymbol("interval_tree_insert")
    static void insert(KernelContext k, long node, long root) {
        N n = N.of(k);
        long start = n.start(node);
        long last = n.last(node);
        long link = root;             // &root->rb_root.rb_node
        long parent = 0;
        boolean leftmost = true;
        for (long cur = n.m().read64(link); cur != 0; cur = n.m().read64(link)) {
            parent = cur;
            if (lt(n.sub(parent), last)) {
                n.setSub(parent, last);
            }
            if (lt(start, n.start(parent))) {
                link = parent + n.left();
            } else {
                link = parent + n.right();
                leftmost = false;
            }
        }
        n.setSub(node, last);
        // rb_link_node(): parent, red; no children
        n.m().write64(node + n.pc(), parent);
        n.m().write64(node + n.left(), 0);
        n.m().write64(node + n.right(), 0);
        n.m().write64(link, node);
        Rbtree.insertAugmentedCached(k, node, root, leftmost, augment(n));
    }

    /** {@code void interval_tree_remove(struct interval_tree_node *node, struct rb_root_cached *root)} */
    @KernelSymbol("interval_tree_remove")
    static void remove(KernelContext k, long node, long root) {
        Rbtree.eraseAugmentedCached(k, node, root, augment(N.of(k)));
    }

    /** {@code interval_tree_subtree_search()}: the leftmost node below {@code node} overlapping [start, last]. */
    private static long subtreeSearch(N n, long node, long start, long last) {
        while (true) {
            long l = n.left(node);
            if (l != 0 && !lt(n.sub(l), start)) {
                node = l;
                continue;
            }
            if (!lt(last, n.start(node))) {
                if (!lt(n.last(node), start)) {
                    return node;
                }
                long r = n.right(node);
                if (r != 0) {
                    node = r;
                    if (!lt(n.sub(node), start)) {
                        continue;
                    }
                }
            }
            return 0;
        }
    }

    /**
     * {@code struct interval_tree_node *interval_tree_iter_first(struct rb_root_cached *root,
     * unsigned long start, unsigned long last)}
     */
    @KernelSymbol("interval_tree_iter_first")
    static long iterFirst(KernelContext k, long root, long start, long last) {
        N n = N.of(k);
        long node = n.m().read64(root);
        if (node == 0 || lt(n.sub(node), start)) {
            return 0;
        }
        long leftmost = n.m().read64(root + k.off("rb_root_cached_rb_leftmost"));
        if (lt(last, n.start(leftmost))) {
            return 0;
        }
        return subtreeSearch(n, node, start, last);
    }

    /**
     * {@code struct interval_tree_node *interval_tree_iter_next(struct interval_tree_node *node,
     * unsigned long start, unsigned long last)}
     */
    @KernelSymbol("interval_tree_iter_next")
    static long iterNext(KernelContext k, long node, long start, long last) {
        N n = N.of(k);
        long rb = n.right(node);
        while (true) {
            if (rb != 0 && !lt(n.sub(rb), start)) {
                return subtreeSearch(n, rb, start, last);
            }
            long prev;
            do {
                rb = n.parent(node);
                if (rb == 0) {
                    return 0;
                }
                prev = node;
                node = rb;
                rb = n.right(node);
            } while (prev == rb);
            if (lt(last, n.start(node))) {
                return 0;
            } else if (!lt(n.last(node), start)) {
                return node;
            }
        }
    }
}
