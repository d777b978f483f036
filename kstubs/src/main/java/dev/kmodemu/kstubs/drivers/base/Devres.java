package dev.kmodemu.kstubs.drivers.base;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.GuestVaList;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.VaList;
import dev.kmodemu.kstubs.kernel.Oops;
import dev.kmodemu.kstubs.mm.Slab;
import dev.kmodemu.kstubs.mm.Util;
import dev.kmodemu.kstubs.printk.Printk;

import java.nio.charset.StandardCharsets;

/**
 * drivers/base/devres.c, ported onto guest memory: each resource is a {@code struct devres} (a
 * {@code devres_node} of list entry, release function, name and size, then the data at offset 40)
 * linked into the device's own {@code devres_head}, groups are {@code struct devres_group}s with
 * their two marker nodes, and the release order is the kernel's (newest first, groups released
 * only when wholly inside the range, as {@code remove_nodes()} colours them). Release functions
 * of modules run on the CPU; the kernel's own ({@code devm_kmalloc_release}, the group markers,
 * {@code devm_action_release}, ...) are Java.
 */
public final class Devres {
    private Devres() {
    }

    /** {@code struct devres_node}: entry (list_head), release, name, size. */
    private static final int NODE_RELEASE = 16;
    private static final int NODE_NAME = 24;
    private static final int NODE_SIZE = 32;
    /** {@code offsetof(struct devres, data)}: the node, aligned to ARCH_KMALLOC_MINALIGN (8). */
    private static final int DATA = 40;
    /** {@code struct devres_group}: node[0], node[1], id, color. */
    private static final int GROUP_NODE1 = 40;
    private static final int GROUP_ID = 80;
    private static final int GROUP_COLOR = 88;
    private static final int GROUP_SIZE = 96;
    private static final String FILE = "drivers/base/devres.c:";

    // ---------------------------------------------------------------- list helpers

    private static long next(KernelContext k, long e) {
        return k.mem().read64(e);
    }

    private static long prev(KernelContext k, long e) {
        return k.mem().read64(e + 8);
    }

    private static void init(KernelContext k, long e) {
        k.mem().write64(e, e);
        k.mem().write64(e + 8, e);
    }

    private static boolean empty(KernelContext k, long e) {
        return next(k, e) == e;
    }

    private static void del(KernelContext k, long e) {
        long n = next(k, e);
        long p = prev(k, e);
        k.mem().write64(p, n);
        k.mem().write64(n + 8, p);
    }

    private static void addBefore(KernelContext k, long e, long at) {
        long p = prev(k, at);
        k.mem().write64(e, at);
        k.mem().write64(e + 8, p);
        k.mem().write64(p, e);
        k.mem().write64(at + 8, e);
    }

    private static void delInit(KernelContext k, long e) {
        del(k, e);
        init(k, e);
    }

    private static void moveTail(KernelContext k, long e, long head) {
        del(k, e);
        addBefore(k, e, head);
    }

    private static long head(KernelContext k, long dev) {
        return dev + k.off("device_devres_head");
    }

    private static long release(KernelContext k, long node) {
        return k.mem().read64(node + NODE_RELEASE);
    }

    private static boolean isGroupOpen(KernelContext k, long node) {
        return release(k, node) == k.sym("group_open_release");
    }

    private static boolean isGroupClose(KernelContext k, long node) {
        return release(k, node) == k.sym("group_close_release");
    }

    /** {@code node_to_group()}: the group of a marker node, or 0. */
    private static long group(KernelContext k, long node) {
        if (isGroupOpen(k, node)) {
            return node;
        }
        if (isGroupClose(k, node)) {
            return node - GROUP_NODE1;
        }
        return 0;
    }

    // ---------------------------------------------------------------- core

    /** {@code alloc_dr()}: a devres of {@code size} data bytes with an empty entry, or 0. */
    private static long allocDr(KernelContext k, long release, long size, int gfp) {
        if (Long.compareUnsigned(size, -1L - DATA) > 0) {
            return 0;
        }
        long dr = k.slab().kmalloc(DATA + size, gfp);
        if (dr == 0) {
            return 0;
        }
        if ((gfp & 0x100) == 0) {
            k.mem().fill(dr, DATA, (byte) 0);
        }
        init(k, dr);
        k.mem().write64(dr + NODE_RELEASE, release);
        return dr;
    }

    private static void setDbgInfo(KernelContext k, long node, long name, long size) {
        k.mem().write64(node + NODE_NAME, name);
        k.mem().write64(node + NODE_SIZE, size);
    }

    /** {@code add_dr()}: a BUG if the node is already on a list. */
    private static void addDr(KernelContext k, long dev, long node) {
        if (!empty(k, node)) {
            throw Oops.bug(k, FILE + "132");
        }
        addBefore(k, node, head(k, dev));
    }

    /** void *__devres_alloc_node(dr_release_t release, size_t size, gfp_t gfp, int nid, const char *name) */
    @KernelSymbol("__devres_alloc_node")
    public static long devresAllocNode(KernelContext k, long release, long size, int gfp, int nid, long name) {
        long dr = allocDr(k, release, size, gfp | 0x100);
        if (dr == 0) {
            return 0;
        }
        setDbgInfo(k, dr, name, size);
        return dr + DATA;
    }

    /** void devres_free(void *res) */
    @KernelSymbol("devres_free")
    public static void devresFree(KernelContext k, long res) {
        if (res != 0) {
            long dr = res - DATA;
            if (!empty(k, dr)) {
                throw Oops.bug(k, FILE + "225");
            }
            k.slab().kfree(dr);
        }
    }

    /** void devres_add(struct device *dev, void *res) */
    @KernelSymbol("devres_add")
    public static void devresAdd(KernelContext k, long dev, long res) {
        addDr(k, dev, res - DATA);
    }

    /** {@code find_dr()}: the newest devres with {@code release} that {@code match} accepts, or 0. */
    private static long findDr(KernelContext k, long dev, long release, long match, long matchData) {
        long h = head(k, dev);
        for (long n = prev(k, h); n != h; n = prev(k, n)) {
            if (release(k, n) != release) {
                continue;
            }
            if (match != 0 && k.call(match, dev, n + DATA, matchData) == 0) {
                continue;
            }
            return n;
        }
        return 0;
    }

    /** void *devres_find(struct device *dev, dr_release_t release, dr_match_t match, void *match_data) */
    @KernelSymbol("devres_find")
    public static long devresFind(KernelContext k, long dev, long release, long match, long matchData) {
        long dr = findDr(k, dev, release, match, matchData);
        return dr == 0 ? 0 : dr + DATA;
    }

    /** void *devres_get(struct device *dev, void *new_res, dr_match_t match, void *match_data) */
    @KernelSymbol("devres_get")
    static long devresGet(KernelContext k, long dev, long newRes, long match, long matchData) {
        long newDr = newRes - DATA;
        long dr = findDr(k, dev, release(k, newDr), match, matchData);
        if (dr == 0) {
            addDr(k, dev, newDr);
            return newRes;
        }
        devresFree(k, newRes);
        return dr + DATA;
    }

    /** void *devres_remove(struct device *dev, dr_release_t release, dr_match_t match, void *match_data) */
    @KernelSymbol("devres_remove")
    static long devresRemove(KernelContext k, long dev, long release, long match, long matchData) {
        long dr = findDr(k, dev, release, match, matchData);
        if (dr == 0) {
            return 0;
        }
        delInit(k, dr);
        return dr + DATA;
    }

    /** int devres_destroy(struct device *dev, dr_release_t release, dr_match_t match, void *match_data) */
    @KernelSymbol("devres_destroy")
    public static int devresDestroy(KernelContext k, long dev, long release, long match, long matchData) {
        long res = devresRemove(k, dev, release, match, matchData);
        if (res == 0) {
            return -Errno.ENOENT;
        }
        devresFree(k, res);
        return 0;
    }

    /** int devres_release(struct device *dev, dr_release_t release, dr_match_t match, void *match_data) */
    @KernelSymbol("devres_release")
    public static int devresRelease(KernelContext k, long dev, long release, long match, long matchData) {
        long res = devresRemove(k, dev, release, match, matchData);
        if (res == 0) {
            return -Errno.ENOENT;
        }
        callRelease(k, dev, release, res);
        devresFree(k, res);
        return 0;
    }

    /**
     * void devres_for_each_res(struct device *dev, dr_release_t release, dr_match_t match,
     * void *match_data, void (*fn)(struct device *, void *, void *), void *data)
     */
    @KernelSymbol("devres_for_each_res")
    static void devresForEachRes(KernelContext k, long dev, long release, long match, long matchData, long fn,
            long data) {
        if (fn == 0) {
            return;
        }
        long h = head(k, dev);
        for (long n = prev(k, h), tmp = prev(k, n); n != h; n = tmp, tmp = prev(k, n)) {
            if (release(k, n) != release) {
                continue;
            }
            if (match != 0 && k.call(match, dev, n + DATA, matchData) == 0) {
                continue;
            }
            k.call(fn, dev, n + DATA, data);
        }
    }

    /** A release callback: the kernel's no-op ones in Java, any other on the CPU. */
    private static void callRelease(KernelContext k, long dev, long release, long data) {
        if (release == k.sym("devm_kmalloc_release") || release == k.sym("group_open_release")
                || release == k.sym("group_close_release")) {
            return;
        }
        k.call(release, dev, data);
    }

    /**
     * {@code remove_nodes()}: the plain resources in [first, end) moved to {@code todo}, and the
     * groups wholly inside the range with them (their open marker); returns how many plain ones.
     */
    private static int removeNodes(KernelContext k, long first, long end, long todo) {
        int cnt = 0;
        int groups = 0;
        for (long n = first, nx = next(k, n); n != end; n = nx, nx = next(k, n)) {
            long g = group(k, n);
            if (g != 0) {
                k.mem().write32(g + GROUP_COLOR, 0);
                groups++;
            } else {
                if (n == first) {
                    first = next(k, first);
                }
                moveTail(k, n, todo);
                cnt++;
            }
        }
        if (groups == 0) {
            return cnt;
        }
        for (long n = first, nx = next(k, n); n != end; n = nx, nx = next(k, n)) {
            long g = group(k, n);
            if (g == 0) {
                throw Oops.bug(k, FILE + "474");
            }
            int color = k.mem().read32(g + GROUP_COLOR) + 1;
            if (empty(k, g + GROUP_NODE1)) {
                color++;
            }
            k.mem().write32(g + GROUP_COLOR, color);
            if (color == 2) {
                moveTail(k, g, todo);
                delInit(k, g + GROUP_NODE1);
            }
        }
        return cnt;
    }

    /** {@code release_nodes()}: newest first, each released then freed. */
    private static void releaseNodes(KernelContext k, long dev, long todo) {
        for (long n = prev(k, todo), tmp = prev(k, n); n != todo; n = tmp, tmp = prev(k, n)) {
            callRelease(k, dev, release(k, n), n + DATA);
            k.slab().kfree(n);
        }
    }

    /** A list head of Java's own (the kernel's {@code LIST_HEAD(todo)} on the stack). */
    private static long todo(KernelContext k) {
        long t = k.slab().kmalloc(16, 0xcc0);
        init(k, t);
        return t;
    }

    /** {@code devres_release_all()}: every managed resource of {@code dev} released; the count. */
    public static int releaseAll(KernelContext k, long dev) {
        long h = head(k, dev);
        if (next(k, h) == 0) {
            Oops.warn(k, FILE + "521", "devres_release_all", null);
            return -Errno.ENODEV;
        }
        if (empty(k, h)) {
            return 0;
        }
        long todo = todo(k);
        try {
            int cnt = removeNodes(k, next(k, h), h, todo);
            releaseNodes(k, dev, todo);
            return cnt;
        } finally {
            k.slab().kfree(todo);
        }
    }

    /** True if {@code dev} holds managed resources ({@code !list_empty(&dev->devres_head)}). */
    public static boolean any(KernelContext k, long dev) {
        long h = head(k, dev);
        return next(k, h) != 0 && !empty(k, h);
    }

    // ---------------------------------------------------------------- groups

    /** {@code devres_open_group(dev, id, GFP_KERNEL)} for kernel code in Java. */
    public static long openGroup(KernelContext k, long dev, long id) {
        return devresOpenGroup(k, dev, id, 0xcc0);
    }

    /** {@code devres_release_group()} for kernel code in Java. */
    public static int releaseGroup(KernelContext k, long dev, long id) {
        return devresReleaseGroup(k, dev, id);
    }

    /** void *devres_open_group(struct device *dev, void *id, gfp_t gfp) */
    @KernelSymbol("devres_open_group")
    static long devresOpenGroup(KernelContext k, long dev, long id, int gfp) {
        long grp = k.slab().kmalloc(GROUP_SIZE, gfp);
        if (grp == 0) {
            return 0;
        }
        AddressSpace m = k.mem();
        m.write64(grp + NODE_RELEASE, k.sym("group_open_release"));
        m.write64(grp + GROUP_NODE1 + NODE_RELEASE, k.sym("group_close_release"));
        init(k, grp);
        init(k, grp + GROUP_NODE1);
        setDbgInfo(k, grp, k.sym("devres_group_open_name"), 0);
        setDbgInfo(k, grp + GROUP_NODE1, k.sym("devres_group_close_name"), 0);
        m.write64(grp + GROUP_ID, id != 0 ? id : grp);
        m.write32(grp + GROUP_COLOR, 0);
        addDr(k, dev, grp);
        return m.read64(grp + GROUP_ID);
    }

    /** {@code find_group()}: the group with {@code id}, or with id 0 the latest open one; 0 if none. */
    private static long findGroup(KernelContext k, long dev, long id) {
        long h = head(k, dev);
        for (long n = prev(k, h); n != h; n = prev(k, n)) {
            if (!isGroupOpen(k, n)) {
                continue;
            }
            if (id != 0) {
                if (k.mem().read64(n + GROUP_ID) == id) {
                    return n;
                }
            } else if (empty(k, n + GROUP_NODE1)) {
                return n;
            }
        }
        return 0;
    }

    /** void devres_close_group(struct device *dev, void *id) */
    @KernelSymbol("devres_close_group")
    static void devresCloseGroup(KernelContext k, long dev, long id) {
        long grp = findGroup(k, dev, id);
        if (grp != 0) {
            addDr(k, dev, grp + GROUP_NODE1);
        } else {
            Oops.warn(k, FILE + "618", "devres_close_group", null);
        }
    }

    /** void devres_remove_group(struct device *dev, void *id) */
    @KernelSymbol("devres_remove_group")
    static void devresRemoveGroup(KernelContext k, long dev, long id) {
        long grp = findGroup(k, dev, id);
        if (grp != 0) {
            delInit(k, grp);
            delInit(k, grp + GROUP_NODE1);
            k.slab().kfree(grp);
        } else {
            Oops.warn(k, FILE + "646", "devres_remove_group", null);
        }
    }

    /** int devres_release_group(struct device *dev, void *id) */
    @KernelSymbol("devres_release_group")
    static int devresReleaseGroup(KernelContext k, long dev, long id) {
        long grp = findGroup(k, dev, id);
        long h = head(k, dev);
        if (grp == 0) {
            if (!empty(k, h)) {
                Oops.warn(k, FILE + "695", "devres_release_group", null);
            }
            return 0;
        }
        long end = empty(k, grp + GROUP_NODE1) ? h : next(k, grp + GROUP_NODE1);
        long todo = todo(k);
        try {
            int cnt = removeNodes(k, grp, end, todo);
            releaseNodes(k, dev, todo);
            return cnt;
        } finally {
            k.slab().kfree(todo);
        }
    }

    /** static void group_open_release(struct device *dev, void *res) */
    @KernelSymbol(value = "group_open_release", internal = true)
    static void groupOpenRelease(KernelContext k, long dev, long res) {
    }

    /** static void group_close_release(struct device *dev, void *res) */
    @KernelSymbol(value = "group_close_release", internal = true)
    static void groupCloseRelease(KernelContext k, long dev, long res) {
    }

    /** The names devres_open_group() gives its markers ("grp<" and "grp>"). */
    @KernelData(value = "devres_group_open_name", section = Machine.Section.RODATA,
            size = 8)
    static void groupOpenName(KernelContext k, long at) {
        k.mem().poke(at, "grp<\0".getBytes(StandardCharsets.US_ASCII));
    }

    @KernelData(value = "devres_group_close_name", section = Machine.Section.RODATA,
            size = 8)
    static void groupCloseName(KernelContext k, long at) {
        k.mem().poke(at, "grp>\0".getBytes(StandardCharsets.US_ASCII));
    }

    // ---------------------------------------------------------------- actions

    /** static void devm_action_release(struct device *dev, void *res) */
    @KernelSymbol(value = "devm_action_release", internal = true)
    static void devmActionRelease(KernelContext k, long dev, long res) {
        k.call(k.mem().read64(res + 8), k.mem().read64(res));
    }

    /** static int devm_action_match(struct device *dev, void *res, void *p) */
    @KernelSymbol(value = "devm_action_match", internal = true)
    static int devmActionMatch(KernelContext k, long dev, long res, long p) {
        AddressSpace m = k.mem();
        return m.read64(res + 8) == m.read64(p + 8) && m.read64(res) == m.read64(p) ? 1 : 0;
    }

    /** int devm_add_action(struct device *dev, void (*action)(void *), void *data) */
    @KernelSymbol("devm_add_action")
    public static int devmAddAction(KernelContext k, long dev, long action, long data) {
        long res = devresAllocNode(k, k.sym("devm_action_release"), 16, 0xcc0, -1, k.sym("devm_action_name"));
        if (res == 0) {
            return -Errno.ENOMEM;
        }
        k.mem().write64(res, data);
        k.mem().write64(res + 8, action);
        devresAdd(k, dev, res);
        return 0;
    }

    /** The node name of devm_add_action() resources (devres_alloc() names them after the release). */
    @KernelData(value = "devm_action_name", section = Machine.Section.RODATA,
            size = 24)
    static void actionName(KernelContext k, long at) {
        k.mem().poke(at, "devm_action_release\0".getBytes(StandardCharsets.US_ASCII));
    }

    /** An {@code action_devres} of Java's to match against (the kernel's is on the stack). */
    private static int withAction(KernelContext k, long dev, long action, long data, boolean release) {
        long probe = k.slab().kmalloc(16, 0xcc0);
        try {
            k.mem().write64(probe, data);
            k.mem().write64(probe + 8, action);
            long rel = k.sym("devm_action_release");
            long match = k.sym("devm_action_match");
            return release ? devresRelease(k, dev, rel, match, probe) : devresDestroy(k, dev, rel, match, probe);
        } finally {
            k.slab().kfree(probe);
        }
    }

    /** void devm_remove_action(struct device *dev, void (*action)(void *), void *data) */
    @KernelSymbol("devm_remove_action")
    static void devmRemoveAction(KernelContext k, long dev, long action, long data) {
        if (withAction(k, dev, action, data, false) != 0) {
            Oops.warn(k, FILE + "771", "devm_remove_action", null);
        }
    }

    /** void devm_release_action(struct device *dev, void (*action)(void *), void *data) */
    @KernelSymbol("devm_release_action")
    static void devmReleaseAction(KernelContext k, long dev, long action, long data) {
        if (withAction(k, dev, action, data, true) != 0) {
            Oops.warn(k, FILE + "793", "devm_release_action", null);
        }
    }

    // ---------------------------------------------------------------- managed memory

    /** static void devm_kmalloc_release(struct device *dev, void *res) */
    @KernelSymbol(value = "devm_kmalloc_release", internal = true)
    static void devmKmallocRelease(KernelContext k, long dev, long res) {
    }

    /** static int devm_kmalloc_match(struct device *dev, void *res, void *data) */
    @KernelSymbol(value = "devm_kmalloc_match", internal = true)
    static int devmKmallocMatch(KernelContext k, long dev, long res, long data) {
        return res == data ? 1 : 0;
    }

    /** The node names of devm_kmalloc() and devm_krealloc(). */
    @KernelData(value = "devm_kmalloc_names", section = Machine.Section.RODATA,
            size = 48)
    static void kmallocNames(KernelContext k, long at) {
        k.mem().poke(at, "devm_kzalloc_release\0devm_krealloc_release\0"
                .getBytes(StandardCharsets.US_ASCII));
    }

    /** void *devm_kmalloc(struct device *dev, size_t size, gfp_t gfp) */
    @KernelSymbol("devm_kmalloc")
    public static long devmKmalloc(KernelContext k, long dev, long size, int gfp) {
        if (size == 0) {
            return Slab.ZERO_SIZE_PTR;
        }
        long dr = allocDr(k, k.sym("devm_kmalloc_release"), size, gfp);
        if (dr == 0) {
            return 0;
        }
        setDbgInfo(k, dr, k.sym("devm_kmalloc_names"), size);
        devresAdd(k, dev, dr + DATA);
        return dr + DATA;
    }

    private static boolean zeroOrNull(long p) {
        return Long.compareUnsigned(p, Slab.ZERO_SIZE_PTR) <= 0;
    }

    /** void *devm_krealloc(struct device *dev, void *ptr, size_t new_size, gfp_t gfp) */
    @KernelSymbol("devm_krealloc")
    static long devmKrealloc(KernelContext k, long dev, long ptr, long newSize, int gfp) {
        if (newSize == 0) {
            devmKfree(k, dev, ptr);
            return Slab.ZERO_SIZE_PTR;
        }
        if (zeroOrNull(ptr)) {
            return devmKmalloc(k, dev, newSize, gfp);
        }
        if (Util.isKernelRodata(ptr)) {
            Oops.warn(k, FILE + "877", "devm_krealloc", null);
            return 0;
        }
        long oldTotal = k.slab().ksize(ptr - DATA);
        if (oldTotal == 0) {
            Oops.warn(k, FILE + "889", "devm_krealloc", "Pointer doesn't point to dynamically allocated memory.");
            return 0;
        }
        if (DATA + newSize <= oldTotal) {
            return ptr;
        }
        long newDr = allocDr(k, k.sym("devm_kmalloc_release"), newSize, gfp);
        if (newDr == 0) {
            return 0;
        }
        setDbgInfo(k, newDr, k.sym("devm_kmalloc_names") + 21, newSize);
        long oldDr = findDr(k, dev, k.sym("devm_kmalloc_release"), k.sym("devm_kmalloc_match"), ptr);
        if (oldDr == 0) {
            k.slab().kfree(newDr);
            Oops.warn(k, FILE + "924", "devm_krealloc", "Memory chunk not managed or managed by a different device.");
            return 0;
        }
        // replace_dr(): the new node takes the old one's place in the list
        addBefore(k, newDr, oldDr);
        del(k, oldDr);
        k.mem().write(newDr + DATA, k.mem().read(oldDr + DATA, (int) (oldTotal - DATA)));
        k.slab().kfree(oldDr);
        return newDr + DATA;
    }

    /** void devm_kfree(struct device *dev, const void *p) */
    @KernelSymbol("devm_kfree")
    public static void devmKfree(KernelContext k, long dev, long p) {
        if (Util.isKernelRodata(p) || zeroOrNull(p)) {
            return;
        }
        if (devresDestroy(k, dev, k.sym("devm_kmalloc_release"), k.sym("devm_kmalloc_match"), p) != 0) {
            Oops.warn(k, FILE + "1073", "devm_kfree", null);
        }
    }

    /** {@code devm_kmalloc()} of {@code b} plus a NUL, as devm_kstrdup() and devm_kvasprintf() do. */
    private static long devmString(KernelContext k, long dev, byte[] b, int gfp) {
        long p = devmKmalloc(k, dev, b.length + 1, gfp);
        if (p != 0) {
            k.mem().write(p, b);
            k.mem().write8(p + b.length, 0);
        }
        return p;
    }

    /** char *devm_kstrdup(struct device *dev, const char *s, gfp_t gfp) */
    @KernelSymbol("devm_kstrdup")
    static long devmKstrdup(KernelContext k, long dev, long s, int gfp) {
        return s == 0 ? 0 : devmString(k, dev, k.mem().readCBytes(s, Integer.MAX_VALUE), gfp);
    }

    /** const char *devm_kstrdup_const(struct device *dev, const char *s, gfp_t gfp) */
    @KernelSymbol("devm_kstrdup_const")
    static long devmKstrdupConst(KernelContext k, long dev, long s, int gfp) {
        return Util.isKernelRodata(s) ? s : devmKstrdup(k, dev, s, gfp);
    }

    /** char *devm_kvasprintf(struct device *dev, gfp_t gfp, const char *fmt, va_list ap) */
    @KernelSymbol("devm_kvasprintf")
    static long devmKvasprintf(KernelContext k, long dev, int gfp, long fmt, long ap) {
        return devmString(k, dev, Printk.format(k, fmt, new GuestVaList(k.mem(), ap)), gfp);
    }

    /** char *devm_kasprintf(struct device *dev, gfp_t gfp, const char *fmt, ...) */
    @KernelSymbol("devm_kasprintf")
    static long devmKasprintf(KernelContext k, long dev, int gfp, long fmt, VaList args) {
        return devmString(k, dev, Printk.format(k, fmt, args), gfp);
    }

    /** void *devm_kmemdup(struct device *dev, const void *src, size_t len, gfp_t gfp) */
    @KernelSymbol("devm_kmemdup")
    static long devmKmemdup(KernelContext k, long dev, long src, long len, int gfp) {
        long p = devmKmalloc(k, dev, len, gfp);
        if (p != 0 && !zeroOrNull(p)) {
            k.mem().write(p, k.mem().read(src, (int) len));
        }
        return p;
    }
}
