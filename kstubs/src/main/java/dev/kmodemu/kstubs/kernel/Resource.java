package dev.kmodemu.kstubs.kernel;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.drivers.base.Devres;
import dev.kmodemu.kstubs.printk.Printk;

import java.nio.charset.StandardCharsets;

/**
 * kernel/resource.c: the I/O port and memory resource trees, as {@code struct resource}s linked
 * in guest memory (parent, sibling, child) from {@code ioport_resource} (0-0xffff) and
 * {@code iomem_resource} (up to the CPU's physical address bits, as arch/x86 sets it). At boot
 * the ports x86's {@code reserve_standard_io_resources()} claims on every PC (dma1, pic1, timer0,
 * timer1, keyboard, dma page reg, pic2, dma2, fpu) are taken, and so are the other ranges the
 * kernel itself holds on QEMU's PC machine (the CMOS clock, the two UARTs, PCI configuration
 * ports; the e820 map, kernel image, ROMs and APICs in memory), so a driver asking for them is
 * refused as on that machine; the emulated machine has no PCI devices and no ACPI namespace, so
 * their ranges are free. /proc/ioports and /proc/iomem show the trees.
 */
public final class Resource {
    private Resource() {
    }

    /** A resource the kernel holds at boot: depth in the tree, range, name, busy or a window. */
    private record Boot(int depth, long start, long end, String name, boolean busy, boolean sysram, boolean readonly) {
        Boot(int depth, long start, long end, String name, boolean busy) {
            this(depth, start, end, name, busy, false, false);
        }
    }

    /**
     * /proc/ioports of Debian's kernel on QEMU's PC machine, less the PCI devices' and ACPI's
     * entries (none of those exist here): the host bridge's two windows, x86's
     * {@code standard_io_resources}, the CMOS clock, the two 8250 UARTs and "PCI conf1".
     */
    private static final Boot[] IOPORTS = {
        new Boot(0, 0x0000, 0x0cf7, "PCI Bus 0000:00", false),
        new Boot(1, 0x00, 0x1f, "dma1", true), new Boot(1, 0x20, 0x21, "pic1", true),
        new Boot(1, 0x40, 0x43, "timer0", true), new Boot(1, 0x50, 0x53, "timer1", true),
        new Boot(1, 0x60, 0x60, "keyboard", true), new Boot(1, 0x64, 0x64, "keyboard", true),
        new Boot(1, 0x70, 0x77, "rtc0", true), new Boot(1, 0x80, 0x8f, "dma page reg", true),
        new Boot(1, 0xa0, 0xa1, "pic2", true), new Boot(1, 0xc0, 0xdf, "dma2", true),
        new Boot(1, 0xf0, 0xff, "fpu", true), new Boot(1, 0x2f8, 0x2ff, "serial", true),
        new Boot(1, 0x3f8, 0x3ff, "serial", true),
        new Boot(0, 0x0cf8, 0x0cff, "PCI conf1", true),
        new Boot(0, 0x0d00, 0xffff, "PCI Bus 0000:00", false)};

    /**
     * /proc/iomem of the same machine (512 MiB): the e820 map (reserved ranges below 1 MiB busy,
     * above it not), the kernel image, the ROMs, the I/O APIC, HPET and local APIC, and the host
     * bridge's windows.
     */
    private static final Boot[] IOMEM = {
        new Boot(0, 0x00000000L, 0x00000fffL, "Reserved", true),
        new Boot(0, 0x00001000L, 0x0009fbffL, "System RAM", true, true, false),
        new Boot(0, 0x0009fc00L, 0x000fffffL, "Reserved", true),
        new Boot(1, 0x000a0000L, 0x000bffffL, "PCI Bus 0000:00", false),
        new Boot(1, 0x000c0000L, 0x000c7fffL, "Video ROM", true, false, true),
        new Boot(1, 0x000f0000L, 0x000fffffL, "System ROM", true, false, true),
        new Boot(0, 0x00100000L, 0x1ffdffffL, "System RAM", true, true, false),
        new Boot(1, 0x01000000L, 0x01e01d31L, "Kernel code", true, true, false),
        new Boot(1, 0x02000000L, 0x028eafffL, "Kernel rodata", true, true, false),
        new Boot(1, 0x02a00000L, 0x02c4897fL, "Kernel data", true, true, false),
        new Boot(1, 0x03310000L, 0x043fffffL, "Kernel bss", true, true, false),
        new Boot(0, 0x1ffe0000L, 0x1fffffffL, "Reserved", false),
        new Boot(0, 0x20000000L, 0xfebfffffL, "PCI Bus 0000:00", false),
        new Boot(0, 0xfec00000L, 0xfec003ffL, "IOAPIC 0", true),
        new Boot(0, 0xfed00000L, 0xfed003ffL, "HPET 0", true),
        new Boot(0, 0xfee00000L, 0xfee00fffL, "Local APIC", true),
        new Boot(0, 0xfffc0000L, 0xffffffffL, "Reserved", false),
        new Boot(0, 0x100000000L, 0x17fffffffL, "PCI Bus 0000:00", false),
        new Boot(0, 0xfd00000000L, 0xffffffffffL, "Reserved", false)};

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
     * Boot: {@code iomem_resource.end = (1 << x86_phys_bits) - 1}, then the resources the kernel
     * claims while it starts ({@link #IOPORTS}, {@link #IOMEM}).
     */
    public static void boot(KernelContext k) {
        AddressSpace m = k.mem();
        int bits = m.read8(k.sym("boot_cpu_data") + k.off("cpuinfo_x86_x86_phys_bits")) & 0xff;
        set(k, k.sym("iomem_resource"), "resource_end", (1L << bits) - 1);
        claim(k, k.sym("ioport_resource"), IOPORTS, k.off("IORESOURCE_IO"));
        claim(k, k.sym("iomem_resource"), IOMEM, k.off("IORESOURCE_MEM"));
        k.machine().cpu().ioPorts((port, size) -> builtinDevicePort(port) ? 0 : -1);
    }

    /**
     * The PC's own devices' ports ({@link #IOPORTS} the kernel claims busy: DMA, PIC, PIT,
     * keyboard controller, RTC, serial ports, PCI configuration) read 0: there is no model of
     * those devices. Any other port has nothing behind it and reads all ones, as QEMU's PC (and
     * real hardware) returns for an I/O read no device decodes: a driver probing for its chip
     * (a Super I/O at 0x2e, a watchdog, a joystick port) finds none, as on the oracle's machine.
     */
    static boolean builtinDevicePort(int port) {
        for (Boot b : IOPORTS) {
            if (b.busy() && port >= b.start() && port <= b.end()) {
                return true;
            }
        }
        return false;
    }

    private static void claim(KernelContext k, long root, Boot[] table, long type) {
        long[] parents = new long[8];
        parents[0] = root;
        for (Boot b : table) {
            if (Long.compareUnsigned(b.end(), end(k, root)) > 0) {
                continue;
            }
            long r = k.slab().kmalloc(k.off("resource_sizeof"), 0x100 | 0xcc0);
            set(k, r, "resource_name", k.kstrdup(b.name()));
            set(k, r, "resource_start", b.start());
            set(k, r, "resource_end", b.end());
            long f = type | (b.busy() ? k.off("IORESOURCE_BUSY") : 0) | (b.sysram() ? k.off("IORESOURCE_SYSRAM") : 0)
                    | (b.readonly() ? k.off("IORESOURCE_READONLY") : 0);
            set(k, r, "resource_flags", f);
            if (requestResource(k, parents[b.depth()], r) != 0) {
                throw new IllegalStateException("boot resource " + b.name());
            }
            parents[b.depth() + 1] = r;
        }
    }

    /**
     * {@code r_show()} over a tree (/proc/ioports, /proc/iomem), read by root: every resource
     * with two spaces per level (at most {@code MAX_IORES_LEVEL} 5), four hex digits for ports and
     * eight or more for memory.
     */
    public static String procText(KernelContext k, String root) {
        long r0 = k.sym(root);
        int width = Long.compareUnsigned(end(k, r0), 0x10000) < 0 ? 4 : 8;
        StringBuilder sb = new StringBuilder();
        long p = ptr(k, r0, "resource_child");
        while (p != 0) {
            int depth = 0;
            for (long q = p; depth < 5 && ptr(k, q, "resource_parent") != r0; depth++) {
                q = ptr(k, q, "resource_parent");
            }
            long name = ptr(k, p, "resource_name");
            sb.append(" ".repeat(depth * 2)).append(String.format("%0" + width + "x-%0" + width + "x : ", start(k, p),
                    end(k, p))).append(name == 0 ? "<BAD>" : k.string(name, 256)).append('\n');
            // next_resource(p, false)
            if (ptr(k, p, "resource_child") != 0) {
                p = ptr(k, p, "resource_child");
                continue;
            }
            while (p != 0 && ptr(k, p, "resource_sibling") == 0) {
                p = ptr(k, p, "resource_parent");
                if (p == r0) {
                    p = 0;
                }
            }
            p = p == 0 ? 0 : ptr(k, p, "resource_sibling");
        }
        return sb.toString();
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

    // ---------------------------------------------------------------- managed regions

    /** static void devm_region_release(struct device *dev, void *res): {@code struct region_devres}. */
    @KernelSymbol(value = "devm_region_release", internal = true)
    static void devmRegionRelease(KernelContext k, long dev, long res) {
        AddressSpace m = k.mem();
        releaseRegion(k, m.read64(res), m.read64(res + 8), m.read64(res + 16));
    }

    /** static int devm_region_match(struct device *dev, void *res, void *match_data) */
    @KernelSymbol(value = "devm_region_match", internal = true)
    static int devmRegionMatch(KernelContext k, long dev, long res, long data) {
        AddressSpace m = k.mem();
        return m.read64(res) == m.read64(data) && m.read64(res + 8) == m.read64(data + 8)
                && m.read64(res + 16) == m.read64(data + 16) ? 1 : 0;
    }

    /** The devres node name. */
    @KernelData(value = "devm_region_release_name", section = Machine.Section.RODATA, size = 24)
    static void regionReleaseName(KernelContext k, long at) {
        k.mem().poke(at, "devm_region_release\0".getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * struct resource *__devm_request_region(struct device *dev, struct resource *parent,
     * resource_size_t start, resource_size_t n, const char *name): released when the driver detaches.
     */
    @KernelSymbol("__devm_request_region")
    static long devmRequestRegion(KernelContext k, long dev, long parent, long start, long n, long name) {
        long dr = Devres.devresAllocNode(k, k.sym("devm_region_release"), 24, 0xcc0,
                -1, k.sym("devm_region_release_name"));
        if (dr == 0) {
            return 0;
        }
        AddressSpace m = k.mem();
        m.write64(dr, parent);
        m.write64(dr + 8, start);
        m.write64(dr + 16, n);
        long res = requestRegion(k, parent, start, n, name, 0);
        if (res != 0) {
            Devres.devresAdd(k, dev, dr);
        } else {
            Devres.devresFree(k, dr);
        }
        return res;
    }

    /**
     * void __devm_release_region(struct device *dev, struct resource *parent, resource_size_t start,
     * resource_size_t n): WARNs if no such managed region was requested.
     */
    @KernelSymbol("__devm_release_region")
    static void devmReleaseRegion(KernelContext k, long dev, long parent, long start, long n) {
        releaseRegion(k, parent, start, n);
        long match = k.slab().kmalloc(24, 0xcc0);
        try {
            k.mem().write64(match, parent);
            k.mem().write64(match + 8, start);
            k.mem().write64(match + 16, n);
            if (Devres.devresDestroy(k, dev, k.sym("devm_region_release"),
                    k.sym("devm_region_match"), match) != 0) {
                Oops.warn(k, "kernel/resource.c:1636", "__devm_release_region", null);
            }
        } finally {
            k.slab().kfree(match);
        }
    }
}
