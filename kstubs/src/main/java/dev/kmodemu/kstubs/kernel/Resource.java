package dev.kmodemu.kstubs.kernel;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.printk.Printk;

import java.nio.charset.StandardCharsets;

/**
 * kernel/resource.c: the I/O port and memory resource trees, as {@code struct resource}s linked
 * in guest memory (parent, sibling, child) from {@code ioport_resource} (0-0xffff) and
 * {@code iomem_resource} (up to the CPU's physical address bits, as arch/x86 sets it). At boot
 * the ports x86's {@code reserve_standard_io_resources()} claims on every PC (dma1, pic1, timer0,
 * timer1, keyboard, dma page reg, pic2, dma2, fpu) are taken, so a driver asking for them is
 * refused as on a real machine; the emulated machine has no other hardware, so nothing else is.
 */
public final class Resource {
    private Resource() {
    }

    private static final Object[][] STANDARD_IO = {
        {"dma1", 0x00, 0x1f}, {"pic1", 0x20, 0x21}, {"timer0", 0x40, 0x43}, {"timer1", 0x50, 0x53},
        {"keyboard", 0x60, 0x60}, {"keyboard", 0x64, 0x64}, {"dma page reg", 0x80, 0x8f}, {"pic2", 0xa0, 0xa1},
        {"dma2", 0xc0, 0xdf}, {"fpu", 0xf0, 0xff}};

    private static long start(KernelContext k, long r) {
        return k.mem().read64(r + k.off("resource_start"));
    }

    private static long end(KernelContext k, long r) {
        return k.mem().read64(r + k.off("resource_end"));
    }

    private static long flags(KernelContext k, long r) {
        return k.mem().read64(r + k.off("resource_flags"));
    }

    private static long ptr(KernelContext k, long r, String field) {
        return k.mem().read64(r + k.off(field));
    }

    private static void set(KernelContext k, long r, String field, long v) {
        k.mem().write64(r + k.off(field), v);
    }

    /** {@code struct resource ioport_resource}. */
    @KernelData(value = "ioport_resource", sizeOf = "resource_sizeof")
    static void ioportResource(KernelContext k, long at) {
        k.mem().pokeLong(at + k.off("resource_end"), k.off("IO_SPACE_LIMIT"));
        k.mem().pokeLong(at + k.off("resource_name"), k.sym("resource_names"));
        k.mem().pokeLong(at + k.off("resource_flags"), k.off("IORESOURCE_IO"));
    }

    /** {@code struct resource iomem_resource}: its end is set at boot from the CPU. */
    @KernelData(value = "iomem_resource", sizeOf = "resource_sizeof")
    static void iomemResource(KernelContext k, long at) {
        k.mem().pokeLong(at + k.off("resource_end"), -1L);
        k.mem().pokeLong(at + k.off("resource_name"), k.sym("resource_names") + 9);
        k.mem().pokeLong(at + k.off("resource_flags"), k.off("IORESOURCE_MEM"));
    }

    /** "PCI IO" and "PCI mem", the names of the two roots, then the standard ports' names. */
    @KernelData(value = "resource_names", section = Machine.Section.RODATA, size = 128)
    static void resourceNames(KernelContext k, long at) {
        StringBuilder sb = new StringBuilder("PCI IO\0\0\0PCI mem\0");
        k.mem().poke(at, sb.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Boot: {@code iomem_resource.end = (1 << x86_phys_bits) - 1}, and the standard PC ports
     * requested ({@code reserve_standard_io_resources()}).
     */
    public static void boot(KernelContext k) {
        AddressSpace m = k.mem();
        int bits = m.read8(k.sym("boot_cpu_data") + k.off("cpuinfo_x86_x86_phys_bits")) & 0xff;
        set(k, k.sym("iomem_resource"), "resource_end", (1L << bits) - 1);
        long root = k.sym("ioport_resource");
        for (Object[] s : STANDARD_IO) {
            long r = k.slab().kmalloc(k.off("resource_sizeof"), 0x100 | 0xcc0);
            set(k, r, "resource_name", k.kstrdup((String) s[0]));
            set(k, r, "resource_start", (Integer) s[1]);
            set(k, r, "resource_end", (Integer) s[2]);
            set(k, r, "resource_flags", k.off("IORESOURCE_BUSY") | k.off("IORESOURCE_IO"));
            if (requestResource(k, root, r) != 0) {
                throw new IllegalStateException("standard io resource " + s[0]);
            }
        }
    }

    /** {@code __request_resource()}: 0 when inserted as a child of {@code root}, else the conflict (or root). */
    private static long requestInternal(KernelContext k, long root, long nw) {
        long s = start(k, nw);
        long e = end(k, nw);
        if (Long.compareUnsigned(e, s) < 0 || Long.compareUnsigned(s, start(k, root)) < 0
                || Long.compareUnsigned(e, end(k, root)) > 0) {
            return root;
        }
        long prev = 0;
        for (long tmp = ptr(k, root, "resource_child");; tmp = ptr(k, tmp, "resource_sibling")) {
            if (tmp == 0 || Long.compareUnsigned(start(k, tmp), e) > 0) {
                set(k, nw, "resource_sibling", tmp);
                if (prev == 0) {
                    set(k, root, "resource_child", nw);
                } else {
                    set(k, prev, "resource_sibling", nw);
                }
                set(k, nw, "resource_parent", root);
                return 0;
            }
            if (Long.compareUnsigned(end(k, tmp), s) < 0) {
                prev = tmp;
                continue;
            }
            return tmp;
        }
    }

    /** int request_resource(struct resource *root, struct resource *new) */
    @KernelSymbol("request_resource")
    public static int requestResource(KernelContext k, long root, long nw) {
        return requestInternal(k, root, nw) != 0 ? -Errno.EBUSY : 0;
    }

    /** {@code __release_resource()}: with {@code releaseChild} false the children move up. */
    private static int releaseInternal(KernelContext k, long old, boolean releaseChild) {
        long parent = ptr(k, old, "resource_parent");
        if (parent == 0) {
            return -Errno.EINVAL;
        }
        long prev = 0;
        for (long tmp = ptr(k, parent, "resource_child"); tmp != 0; prev = tmp, tmp = ptr(k, tmp, "resource_sibling")) {
            if (tmp != old) {
                continue;
            }
            long child = ptr(k, tmp, "resource_child");
            long replacement;
            if (releaseChild || child == 0) {
                replacement = ptr(k, tmp, "resource_sibling");
            } else {
                long chd = child;
                for (;; chd = ptr(k, chd, "resource_sibling")) {
                    set(k, chd, "resource_parent", parent);
                    if (ptr(k, chd, "resource_sibling") == 0) {
                        break;
                    }
                }
                set(k, chd, "resource_sibling", ptr(k, tmp, "resource_sibling"));
                replacement = child;
            }
            if (prev == 0) {
                set(k, parent, "resource_child", replacement);
            } else {
                set(k, prev, "resource_sibling", replacement);
            }
            set(k, old, "resource_parent", 0);
            return 0;
        }
        return -Errno.EINVAL;
    }

    /** int release_resource(struct resource *old) */
    @KernelSymbol("release_resource")
    public static int releaseResource(KernelContext k, long old) {
        return releaseInternal(k, old, true);
    }

    /** int remove_resource(struct resource *old): the children stay, under the parent. */
    @KernelSymbol("remove_resource")
    static int removeResource(KernelContext k, long old) {
        return releaseInternal(k, old, false);
    }

    /** {@code __insert_resource()}: 0, or the conflicting resource (or the parent if out of range). */
    private static long insertInternal(KernelContext k, long parent, long nw) {
        long first;
        for (;; parent = first) {
            first = requestInternal(k, parent, nw);
            if (first == 0 || first == parent) {
                return first;
            }
            if (first == nw) {
                Oops.warn(k, "kernel/resource.c:829", "__insert_resource", null);
                return first;
            }
            if (Long.compareUnsigned(start(k, first), start(k, nw)) > 0
                    || Long.compareUnsigned(end(k, first), end(k, nw)) < 0) {
                break;
            }
            if (start(k, first) == start(k, nw) && end(k, first) == end(k, nw)) {
                break;
            }
        }
        long next;
        for (next = first;; next = ptr(k, next, "resource_sibling")) {
            if (Long.compareUnsigned(start(k, next), start(k, nw)) < 0
                    || Long.compareUnsigned(end(k, next), end(k, nw)) > 0) {
                return next;
            }
            long sib = ptr(k, next, "resource_sibling");
            if (sib == 0 || Long.compareUnsigned(start(k, sib), end(k, nw)) > 0) {
                break;
            }
        }
        set(k, nw, "resource_parent", parent);
        set(k, nw, "resource_sibling", ptr(k, next, "resource_sibling"));
        set(k, nw, "resource_child", first);
        set(k, next, "resource_sibling", 0);
        for (long n = first; n != 0; n = ptr(k, n, "resource_sibling")) {
            set(k, n, "resource_parent", nw);
        }
        if (ptr(k, parent, "resource_child") == first) {
            set(k, parent, "resource_child", nw);
        } else {
            long n = ptr(k, parent, "resource_child");
            while (ptr(k, n, "resource_sibling") != first) {
                n = ptr(k, n, "resource_sibling");
            }
            set(k, n, "resource_sibling", nw);
        }
        return 0;
    }

    /** int insert_resource(struct resource *parent, struct resource *new) */
    @KernelSymbol("insert_resource")
    public static int insertResource(KernelContext k, long parent, long nw) {
        return insertInternal(k, parent, nw) != 0 ? -Errno.EBUSY : 0;
    }

    /**
     * struct resource *__request_region(struct resource *parent, resource_size_t start,
     * resource_size_t n, const char *name, int flags): a busy region, nested into non-busy ones;
     * NULL if taken (a muxed region held by another would wait: nothing else runs to free it, so
     * it is refused too).
     */
    @KernelSymbol("__request_region")
    public static long requestRegion(KernelContext k, long parent, long start, long n, long name, int flags) {
        long res = k.slab().kmalloc(k.off("resource_sizeof"), 0x100 | 0xcc0);
        if (res == 0) {
            return 0;
        }
        set(k, res, "resource_name", name);
        set(k, res, "resource_start", start);
        set(k, res, "resource_end", start + n - 1);
        for (;;) {
            long pflags = flags(k, parent);
            long f = (pflags & k.off("IORESOURCE_TYPE_BITS")) | (pflags & k.off("IORESOURCE_EXT_TYPE_BITS"))
                    | k.off("IORESOURCE_BUSY") | (flags & 0xffffffffL);
            set(k, res, "resource_flags", f);
            set(k, res, "resource_desc", k.mem().read64(parent + k.off("resource_desc")));
            long conflict = requestInternal(k, parent, res);
            if (conflict == 0) {
                return res;
            }
            if (conflict != parent && (flags(k, conflict) & k.off("IORESOURCE_BUSY")) == 0) {
                parent = conflict;
                continue;
            }
            k.slab().kfree(res);
            return 0;
        }
    }

    /** void __release_region(struct resource *parent, resource_size_t start, resource_size_t n) */
    @KernelSymbol("__release_region")
    public static void releaseRegion(KernelContext k, long parent, long start, long n) {
        long end = start + n - 1;
        long prevOwner = parent;
        long prev = 0;
        for (long res = ptr(k, parent, "resource_child"); res != 0;) {
            if (Long.compareUnsigned(start(k, res), start) <= 0 && Long.compareUnsigned(end(k, res), end) >= 0) {
                if ((flags(k, res) & k.off("IORESOURCE_BUSY")) == 0) {
                    prevOwner = res;
                    prev = 0;
                    res = ptr(k, res, "resource_child");
                    continue;
                }
                if (start(k, res) != start || end(k, res) != end) {
                    break;
                }
                long sib = ptr(k, res, "resource_sibling");
                if (prev == 0) {
                    set(k, prevOwner, "resource_child", sib);
                } else {
                    set(k, prev, "resource_sibling", sib);
                }
                k.slab().kfree(res);
                return;
            }
            prev = res;
            res = ptr(k, res, "resource_sibling");
        }
        long pa = k.slab().kmalloc(16, 0xcc0);
        k.mem().write64(pa, start);
        k.mem().write64(pa + 8, end);
        k.printk(4, "Trying to free nonexistent resource <"
                + new String(Printk.format(k, "%pa-%pa", pa, pa + 8), StandardCharsets.US_ASCII) + ">");
        k.slab().kfree(pa);
    }
}
