package dev.kmodemu.kstubs.lib;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * lib/rbtree.c: red-black trees of guest {@code struct rb_node}s, rebalanced by the kernel's
 * algorithm step for step, so the tree's shape and colours are exactly the kernel's (module code
 * walks and searches them inline). Augmented trees call the caller's {@code rotate} callback
 * where the kernel does.
 */
public final class Rbtree {
    private Rbtree() {
    }

    private static final int RED = 0;
    private static final int BLACK = 1;

    /**
     * The {@code struct rb_augment_callbacks} of a tree whose augmentation kernel code implemented
     * in Java keeps (e.g. lib/interval_tree.c's); module trees call their own guest callbacks.
     */
    public interface Augment {
        void propagate(long node, long stop);

        void copy(long old, long nw);

        void rotate(long old, long nw);
    }

    /**
     * Node accessors on guest memory; {@code rotate} is the guest augment callback (0 for none),
     * {@code aug} the Java one (null for none).
     */
    private static final class T {
        final KernelContext k;
        final AddressSpace m;
        final int pc;
        final int right;
        final int left;
        final long rotate;
        final Augment aug;

        T(KernelContext k, long rotate) {
            this(k, rotate, null);
        }

        T(KernelContext k, long rotate, Augment aug) {
            this.k = k;
            this.m = k.mem();
            this.pc = k.off("rb_node_parent_color");
            this.right = k.off("rb_node_rb_right");
            this.left = k.off("rb_node_rb_left");
            this.rotate = rotate;
            this.aug = aug;
        }

        long pc(long n) {
            return m.read64(n + pc);
        }

        void setPc(long n, long v) {
            m.write64(n + pc, v);
        }

        long parent(long n) {
            return pc(n) & ~3L;
        }

        long left(long n) {
            return m.read64(n + left);
        }

        long right(long n) {
            return m.read64(n + right);
        }

        void setLeft(long n, long v) {
            m.write64(n + left, v);
        }

        void setRight(long n, long v) {
            m.write64(n + right, v);
        }

        /** The right child, or the left one in the mirror image ({@code m}). */
        long far(long n, boolean m) {
            return m ? left(n) : right(n);
        }

        /** The left child, or the right one in the mirror image. */
        long near(long n, boolean m) {
            return m ? right(n) : left(n);
        }

        void setFar(long n, boolean m, long v) {
            if (m) {
                setLeft(n, v);
            } else {
                setRight(n, v);
            }
        }

        void setNear(long n, boolean m, long v) {
            if (m) {
                setRight(n, v);
            } else {
                setLeft(n, v);
            }
        }

        boolean isBlack(long n) {
            return (pc(n) & 1) == BLACK;
        }

        boolean isRed(long n) {
            return !isBlack(n);
        }

        void setParentColor(long n, long p, int color) {
            setPc(n, p | color);
        }

        void setParent(long n, long p) {
            setPc(n, (pc(n) & 1) | p);
        }

        void setBlack(long n) {
            setPc(n, pc(n) | BLACK);
        }

        /** {@code __rb_change_child()}. */
        void changeChild(long old, long nw, long parent, long root) {
            if (parent != 0) {
                if (left(parent) == old) {
                    setLeft(parent, nw);
                } else {
                    setRight(parent, nw);
                }
            } else {
                m.write64(root + k.off("rb_root_rb_node"), nw);
            }
        }

        /** {@code __rb_rotate_set_parents()}. */
        void rotateSetParents(long old, long nw, long root, int color) {
            long parent = parent(old);
            setPc(nw, pc(old));
            setParentColor(old, nw, color);
            changeChild(old, nw, parent, root);
        }

        void augmentRotate(long old, long nw) {
            if (aug != null) {
                aug.rotate(old, nw);
            } else if (rotate != 0) {
                k.call(rotate, old, nw);
            }
        }
    }

    /**
     * {@code __rb_insert()}. The kernel spells out both mirror images of each case; here one
     * body serves both: {@code m} is false when the parent is a left child, and {@code far}/
     * {@code near} then mean right/left (swapped when {@code m} is true).
     */
    private static void insert(T t, long node, long root) {
        long parent = t.pc(node);
        while (true) {
            if (parent == 0) {
                t.setParentColor(node, 0, BLACK);
                break;
            }
            if (t.isBlack(parent)) {
                break;
            }
            long gparent = t.pc(parent);
            boolean m = parent == t.right(gparent);
            long tmp = t.far(gparent, m);
            if (tmp != 0 && t.isRed(tmp)) {
                // Case 1: the uncle is red; flip colours and go on at the grandparent.
                t.setParentColor(tmp, gparent, BLACK);
                t.setParentColor(parent, gparent, BLACK);
                node = gparent;
                parent = t.parent(node);
                t.setParentColor(node, parent, RED);
                continue;
            }
            tmp = t.far(parent, m);
            if (node == tmp) {
                // Case 2: node is the inner child; rotate at parent.
                tmp = t.near(node, m);
                t.setFar(parent, m, tmp);
                t.setNear(node, m, parent);
                if (tmp != 0) {
                    t.setParentColor(tmp, parent, BLACK);
                }
                t.setParentColor(parent, node, RED);
                t.augmentRotate(parent, node);
                parent = node;
                tmp = t.far(node, m);
            }
            // Case 3: node is the outer child; rotate at grandparent.
            t.setNear(gparent, m, tmp);
            t.setFar(parent, m, gparent);
            if (tmp != 0) {
                t.setParentColor(tmp, gparent, BLACK);
            }
            t.rotateSetParents(gparent, parent, root, RED);
            t.augmentRotate(gparent, parent);
            break;
        }
    }

    /**
     * {@code ____rb_erase_color()}: rebalances after removing a black node below {@code parent}.
     * As in {@link #insert}, one body for both mirror images: {@code m} is false when the
     * shortened side is the left one.
     */
    private static void eraseColor(T t, long parent, long root) {
        long node = 0;
        while (true) {
            boolean m = node == t.right(parent);
            long sibling = t.far(parent, m);
            long tmp1;
            long tmp2;
            if (t.isRed(sibling)) {
                // Case 1: red sibling; rotate at parent.
                tmp1 = t.near(sibling, m);
                t.setFar(parent, m, tmp1);
                t.setNear(sibling, m, parent);
                t.setParentColor(tmp1, parent, BLACK);
                t.rotateSetParents(parent, sibling, root, RED);
                t.augmentRotate(parent, sibling);
                sibling = tmp1;
            }
            tmp1 = t.far(sibling, m);
            if (tmp1 == 0 || t.isBlack(tmp1)) {
                tmp2 = t.near(sibling, m);
                if (tmp2 == 0 || t.isBlack(tmp2)) {
                    // Case 2: sibling colour flip.
                    t.setParentColor(sibling, parent, RED);
                    if (t.isRed(parent)) {
                        t.setBlack(parent);
                    } else {
                        node = parent;
                        parent = t.parent(node);
                        if (parent != 0) {
                            continue;
                        }
                    }
                    break;
                }
                // Case 3: rotate at sibling.
                tmp1 = t.far(tmp2, m);
                t.setNear(sibling, m, tmp1);
                t.setFar(tmp2, m, sibling);
                t.setFar(parent, m, tmp2);
                if (tmp1 != 0) {
                    t.setParentColor(tmp1, sibling, BLACK);
                }
                t.augmentRotate(sibling, tmp2);
                tmp1 = sibling;
                sibling = tmp2;
            }
            // Case 4: rotate at parent and recolour.
            tmp2 = t.near(sibling, m);
            t.setFar(parent, m, tmp2);
            t.setNear(sibling, m, parent);
            t.setParentColor(tmp1, sibling, BLACK);
            if (tmp2 != 0) {
                t.setParent(tmp2, parent);
            }
            t.rotateSetParents(parent, sibling, root, BLACK);
            t.augmentRotate(parent, sibling);
            break;
        }
    }

    /**
     * {@code __rb_erase_augmented()}: unlinks; returns where to rebalance. Without a Java
     * {@link Augment} these are the dummy callbacks of {@code rb_erase()}.
     */
    private static long eraseNode(T t, long node, long root) {
        long child = t.right(node);
        long tmp = t.left(node);
        long parent;
        long rebalance;
        long pc;
        if (tmp == 0) {
            pc = t.pc(node);
            parent = pc & ~3L;
            t.changeChild(node, child, parent, root);
            if (child != 0) {
                t.setPc(child, pc);
                rebalance = 0;
            } else {
                rebalance = (pc & 1) == BLACK ? parent : 0;
            }
            tmp = parent;
        } else if (child == 0) {
            pc = t.pc(node);
            t.setPc(tmp, pc);
            parent = pc & ~3L;
            t.changeChild(node, tmp, parent, root);
            rebalance = 0;
            tmp = parent;
        } else {
            long successor = child;
            long child2;
            tmp = t.left(child);
            if (tmp == 0) {
                parent = successor;
                child2 = t.right(successor);
                if (t.aug != null) {
                    t.aug.copy(node, successor);
                }
            } else {
                do {
                    parent = successor;
                    successor = tmp;
                    tmp = t.left(tmp);
                } while (tmp != 0);
                child2 = t.right(successor);
                t.setLeft(parent, child2);
                t.setRight(successor, child);
                t.setParent(child, successor);
                if (t.aug != null) {
                    t.aug.copy(node, successor);
                    t.aug.propagate(parent, successor);
                }
            }
            tmp = t.left(node);
            t.setLeft(successor, tmp);
            t.setParent(tmp, successor);
            pc = t.pc(node);
            tmp = pc & ~3L;
            t.changeChild(node, successor, tmp, root);
            if (child2 != 0) {
                t.setParentColor(child2, parent, BLACK);
                rebalance = 0;
            } else {
                rebalance = t.isBlack(successor) ? parent : 0;
            }
            t.setPc(successor, pc);
            tmp = successor;
        }
        if (t.aug != null) {
            t.aug.propagate(tmp, 0);
        }
        return rebalance;
    }

    /**
     * {@code rb_insert_augmented_cached()} for a tree kept by Java code: {@code node} is already
     * linked ({@code rb_link_node()}); {@code cachedRoot} is a {@code struct rb_root_cached}.
     */
    public static void insertAugmentedCached(KernelContext k, long node, long cachedRoot, boolean leftmost,
            Augment aug) {
        if (leftmost) {
            k.mem().write64(cachedRoot + k.off("rb_root_cached_rb_leftmost"), node);
        }
        insert(new T(k, 0, aug), node, cachedRoot);   // rb_root is the first member of rb_root_cached
    }

    /** {@code rb_erase_augmented_cached()} for a tree kept by Java code. */
    public static void eraseAugmentedCached(KernelContext k, long node, long cachedRoot, Augment aug) {
        long lm = cachedRoot + k.off("rb_root_cached_rb_leftmost");
        if (k.mem().read64(lm) == node) {
            k.mem().write64(lm, next(k, node));
        }
        T t = new T(k, 0, aug);
        long rebalance = eraseNode(t, node, cachedRoot);
        if (rebalance != 0) {
            eraseColor(t, rebalance, cachedRoot);
        }
    }

    /** void rb_insert_color(struct rb_node *node, struct rb_root *root) */
    @KernelSymbol("rb_insert_color")
    static void insertColor(KernelContext k, long node, long root) {
        insert(new T(k, 0), node, root);
    }

    /**
     * void __rb_insert_augmented(struct rb_node *node, struct rb_root *root,
     * void (*augment_rotate)(struct rb_node *old, struct rb_node *new))
     */
    @KernelSymbol("__rb_insert_augmented")
    static void insertAugmented(KernelContext k, long node, long root, long rotate) {
        insert(new T(k, rotate), node, root);
    }

    /** void rb_erase(struct rb_node *node, struct rb_root *root) */
    @KernelSymbol("rb_erase")
    static void erase(KernelContext k, long node, long root) {
        T t = new T(k, 0);
        long rebalance = eraseNode(t, node, root);
        if (rebalance != 0) {
            eraseColor(t, rebalance, root);
        }
    }

    /**
     * void __rb_erase_color(struct rb_node *parent, struct rb_root *root,
     * void (*augment_rotate)(struct rb_node *old, struct rb_node *new))
     */
    @KernelSymbol("__rb_erase_color")
    static void eraseColorSym(KernelContext k, long parent, long root, long rotate) {
        eraseColor(new T(k, rotate), parent, root);
    }

    /** struct rb_node *rb_first(const struct rb_root *root) */
    @KernelSymbol("rb_first")
    static long first(KernelContext k, long root) {
        T t = new T(k, 0);
        long n = k.mem().read64(root + k.off("rb_root_rb_node"));
        if (n == 0) {
            return 0;
        }
        while (t.left(n) != 0) {
            n = t.left(n);
        }
        return n;
    }

    /** struct rb_node *rb_last(const struct rb_root *root) */
    @KernelSymbol("rb_last")
    static long last(KernelContext k, long root) {
        T t = new T(k, 0);
        long n = k.mem().read64(root + k.off("rb_root_rb_node"));
        if (n == 0) {
            return 0;
        }
        while (t.right(n) != 0) {
            n = t.right(n);
        }
        return n;
    }

    /** struct rb_node *rb_next(const struct rb_node *node) */
    @KernelSymbol("rb_next")
    static long next(KernelContext k, long node) {
        T t = new T(k, 0);
        if (t.pc(node) == node) {
            return 0;
        }
        if (t.right(node) != 0) {
            node = t.right(node);
            while (t.left(node) != 0) {
                node = t.left(node);
            }
            return node;
        }
        long parent;
        while ((parent = t.parent(node)) != 0 && node == t.right(parent)) {
            node = parent;
        }
        return parent;
    }

    /** struct rb_node *rb_prev(const struct rb_node *node) */
    @KernelSymbol("rb_prev")
    static long prev(KernelContext k, long node) {
        T t = new T(k, 0);
        if (t.pc(node) == node) {
            return 0;
        }
        if (t.left(node) != 0) {
            node = t.left(node);
            while (t.right(node) != 0) {
                node = t.right(node);
            }
            return node;
        }
        long parent;
        while ((parent = t.parent(node)) != 0 && node == t.left(parent)) {
            node = parent;
        }
        return parent;
    }

    /** void rb_replace_node(struct rb_node *victim, struct rb_node *new, struct rb_root *root) */
    @KernelSymbol({"rb_replace_node", "rb_replace_node_rcu"})
    static void replaceNode(KernelContext k, long victim, long nw, long root) {
        T t = new T(k, 0);
        long parent = t.parent(victim);
        t.setPc(nw, t.pc(victim));
        t.setRight(nw, t.right(victim));
        t.setLeft(nw, t.left(victim));
        if (t.left(victim) != 0) {
            t.setParent(t.left(victim), nw);
        }
        if (t.right(victim) != 0) {
            t.setParent(t.right(victim), nw);
        }
        t.changeChild(victim, nw, parent, root);
    }

    /** {@code rb_left_deepest_node()}. */
    private static long leftDeepest(T t, long node) {
        while (true) {
            if (t.left(node) != 0) {
                node = t.left(node);
            } else if (t.right(node) != 0) {
                node = t.right(node);
            } else {
                return node;
            }
        }
    }

    /** struct rb_node *rb_next_postorder(const struct rb_node *node) */
    @KernelSymbol("rb_next_postorder")
    static long nextPostorder(KernelContext k, long node) {
        if (node == 0) {
            return 0;
        }
        T t = new T(k, 0);
        long parent = t.parent(node);
        if (parent != 0 && node == t.left(parent) && t.right(parent) != 0) {
            return leftDeepest(t, t.right(parent));
        }
        return parent;
    }

    /** struct rb_node *rb_first_postorder(const struct rb_root *root) */
    @KernelSymbol("rb_first_postorder")
    static long firstPostorder(KernelContext k, long root) {
        long n = k.mem().read64(root + k.off("rb_root_rb_node"));
        return n == 0 ? 0 : leftDeepest(new T(k, 0), n);
    }
}
