package dev.kmodemu.kstubs.mm;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.emu.Shadow;
import dev.kmodemu.firmware.Unwinder;
import dev.kmodemu.kstubs.Finding;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.kernel.Oops;
import dev.kmodemu.kstubs.kernel.Taint;
import dev.kmodemu.kstubs.lib.StackDepot;
import dev.kmodemu.kstubs.lib.Vsprintf;
import dev.kmodemu.kstubs.printk.Printk;

import java.util.ArrayDeque;

/**
 * Generic KASAN as a debug kernel has it (mm/kasan/common.c, generic.c, shadow.c, quarantine.c,
 * report.c, report_generic.c): shadow memory, one byte per 8-byte granule, poisoned around and
 * after kmalloc, kmem_cache and vmalloc objects; freed objects kept in a quarantine, not reused
 * until it is full; every bad access reported as {@code BUG: KASAN: slab-out-of-bounds},
 * {@code use-after-free}, {@code vmalloc-out-of-bounds}, and frees of what is not a live object as
 * {@code double-free} or {@code invalid-free}, with the allocation and free stacks.
 *
 * <p>The guest cannot be compiled with KASAN's instrumentation, so the checks are made where the
 * accesses happen: module code's loads and stores by a native Unicorn memory hook
 * ({@link Shadow}, which explains the choice over page protection and what it costs), and the
 * memory functions kmodemu implements in Java ({@code memcpy}, {@code memset}, copies from and to
 * user space, ...) through {@link #checkRange}, as the kernel's own {@code kasan_check_range()}
 * calls do.
 *
 * <p>Layout: with KASAN every kmalloc cache gets a redzone after each object
 * ({@code optimal_redzone()}), objects keep the kmalloc alignment; the bytes between the size
 * asked for and the end of the object are poisoned too, so writing one byte past a 40-byte
 * kmalloc object is caught although the object has 64 bytes. {@code ksize()} unpoisons the whole
 * object, as the kernel's does.
 *
 * <p>What differs from a real KASAN report: the call trace starts at the faulting function (the
 * real one starts with {@code dump_stack_lvl}, {@code print_report}, {@code kasan_report}, kernel
 * functions kmodemu's kernel does not have); allocation and free stacks start at the allocator
 * kmodemu implements ({@code kmalloc_trace+0x1/0x10}), without KASAN's own
 * {@code kasan_save_stack}/{@code __kasan_kmalloc} frames; the page dump has no {@code raw:} lines
 * (kmodemu has no {@code struct page} to dump) and every slab page is an order-0 page of
 * ZONE_DMA32. The shadow rows of "Memory state around the buggy address" are the real shadow of
 * those addresses ({@code ff} where nothing is mapped).
 */
public final class Kasan {
    /** Shadow values (mm/kasan/kasan.h, CONFIG_KASAN_GENERIC). */
    static final byte PAGE_FREE = (byte) 0xff;
    static final byte PAGE_REDZONE = (byte) 0xfe;
    static final byte SLAB_REDZONE = (byte) 0xfc;
    static final byte SLAB_FREE = (byte) 0xfb;
    static final byte SLAB_FREETRACK = (byte) 0xfa;
    static final byte VMALLOC_INVALID = (byte) 0xf8;
    static final int GRANULE = 8;
    /** {@code QUARANTINE_FRACTION}: the quarantine holds up to 1/32 of RAM. */
    private static final int QUARANTINE_FRACTION = 32;
    private static final int META_ROWS_AROUND_ADDR = 2;
    private static final int META_BYTES_PER_ROW = 16;
    private static final String RULE = "==================================================================";

    private final KernelContext k;
    private final AddressSpace mem;
    private final Shadow shadow;
    private final boolean multiShot;
    private boolean reported;
    /** Inside a report: accesses the reporting code makes are not checked ({@code kasan_disable_current()}). */
    private boolean reporting;
    private final ArrayDeque<Slab.Obj> quarantine = new ArrayDeque<>();
    private long quarantineBytes;
    private final long quarantineMax;

    public Kasan(KernelContext k) {
        this.k = k;
        this.mem = k.mem();
        this.multiShot = k.checks().kasanMultiShot();
        this.shadow = new Shadow(mem.ram());
        this.quarantineMax = mem.ram().size() / QUARANTINE_FRACTION;
        shadow.listener(this::badAccess);
        k.machine().cpu().checkShadow(shadow);
    }

    /** Releases the shadow memory (the kernel is being closed). */
    public void close() {
        shadow.close();
    }

    // ---------------------------------------------------------------- shadow

    /** {@code optimal_redzone()}: the redzone KASAN puts after an object of {@code size} bytes. */
    static long redzone(long size) {
        return size <= 64 - 16 ? 16
                : size <= 128 - 32 ? 32
                : size <= 512 - 64 ? 64
                : size <= 4096 - 128 ? 128
                : size <= (1 << 14) - 256 ? 256
                : size <= (1 << 15) - 512 ? 512
                : size <= (1 << 16) - 1024 ? 1024 : 2048;
    }

    /** {@code kasan_poison()}: {@code [va, va + size)}, granule-aligned, all set to {@code value}. */
    void poison(long va, long size, byte value) {
        for (long at = va; at < va + size; ) {
            AddressSpace.Region r = mem.find(at);
            long end = Math.min(va + size, r.end());
            shadow.fill(mem.physical(at), (end - at + GRANULE - 1) / GRANULE, value);
            at = end;
        }
    }

    /** {@code kasan_unpoison()}: {@code size} bytes from {@code va} accessible, the last granule partly. */
    void unpoison(long va, long size) {
        long full = size & -GRANULE;
        poison(va, full, (byte) 0);
        if ((size & (GRANULE - 1)) != 0) {
            shadow.set(mem.physical(va + full), (byte) (size & (GRANULE - 1)));
        }
    }

    private byte shadowAt(long va) {
        long pa = mem.physical(va);
        return pa == -1 ? PAGE_FREE : shadow.get(pa);
    }

    /** {@code kasan_byte_accessible()}. */
    private boolean accessible(long va) {
        byte s = shadowAt(va);
        return s == 0 || s > 0 && (va & (GRANULE - 1)) < s;
    }

    // ---------------------------------------------------------------- slab hooks

    /** {@code kasan_poison_slab()}: a new slab is all redzone until objects are handed out. */
    void newSlab(long base, long size) {
        poison(base, size, SLAB_REDZONE);
    }

    /**
     * {@code kasan_slab_alloc()} + {@code kasan_kmalloc()}: the object's first {@code o.requested}
     * bytes accessible, the rest of it redzone.
     */
    void allocated(Slab.Obj o) {
        unpoison(o.start, o.requested);
        long redzone = (o.start + o.requested + GRANULE - 1) & -GRANULE;
        long end = (o.start + o.size + GRANULE - 1) & -GRANULE;
        poison(redzone, end - redzone, o.cache == null ? PAGE_REDZONE : SLAB_REDZONE);
    }

    /** {@code ksize()}: the whole object may be used from now on. */
    void unpoisonObject(Slab.Obj o) {
        unpoison(o.start, o.size);
    }

    /**
     * {@code ____kasan_slab_free()} of a live object: poisoned as freed (its first granule marking
     * that the free stack is kept) and put in the quarantine; objects leave the quarantine, oldest
     * first, when it holds more than its share of RAM.
     */
    void freed(Slab.Obj o) {
        long size = (o.size + GRANULE - 1) & -GRANULE;
        if (o.cache == null) {
            poison(o.start, size, PAGE_FREE);
        } else {
            poison(o.start, size, SLAB_FREE);
            shadow.set(mem.physical(o.start), SLAB_FREETRACK);
        }
        quarantine.add(o);
        quarantineBytes += o.size;
        while (quarantineBytes > quarantineMax && !quarantine.isEmpty()) {
            Slab.Obj old = quarantine.poll();
            quarantineBytes -= old.size;
            if (old.cache != null) {
                // qlink_free(): the free track is no longer valid
                shadow.set(mem.physical(old.start), SLAB_FREE);
            }
            k.slab().release(old);
        }
    }

    /**
     * {@code kasan_cache_shutdown()} ({@code quarantine_remove_cache()}): the quarantined objects of
     * a cache being destroyed leave the quarantine with it.
     */
    void dropCache(Slab.Cache c) {
        quarantine.removeIf(o -> {
            if (o.cache == c) {
                quarantineBytes -= o.size;
                return true;
            }
            return false;
        });
    }

    // ---------------------------------------------------------------- checks

    /**
     * KASAN's check of a kernel function implemented in Java touching {@code [va, va + size)}: as
     * the kernel's {@code memcpy()}/{@code memset()} interceptors do, a bad access is reported as
     * made by the caller ({@code inCaller}), or, as {@code instrument_copy_from_user()} does, by the
     * function itself. Nothing when KASAN is off.
     */
    public static void check(KernelContext k, long va, long size, boolean write, boolean inCaller) {
        Kasan kasan = k.slab().kasan();
        if (kasan != null) {
            var f = k.frame();
            long ip = f == null ? 0 : inCaller ? f.returnAddress() : f.address() + 1;
            kasan.checkRange(va, size, write, ip);
        }
    }

    /**
     * {@code kasan_check_range()}: made by kernel functions implemented in Java before they touch
     * {@code [va, va + size)} for module code; a bad access is reported at {@code ip}.
     *
     * @return false if the range is not accessible (a report was made, or suppressed)
     */
    public boolean checkRange(long va, long size, boolean write, long ip) {
        if (size <= 0 || reporting) {
            return true;
        }
        long pa = mem.physical(va);
        if (pa == -1 || !inRam(pa)) {
            return true;
        }
        // A granule's shadow tells how many of its first bytes are accessible: checking the last
        // byte of the range in each granule is enough.
        for (long at = va; at < va + size; at = (at | (GRANULE - 1)) + 1) {
            if (!accessible(Math.min(va + size, (at | (GRANULE - 1)) + 1) - 1)) {
                reportAccess(va, size, write, ip, null);
                return false;
            }
        }
        return true;
    }

    private boolean inRam(long pa) {
        long off = pa - dev.kmodemu.emu.PhysicalMemory.BASE;
        return off >= 0 && off < mem.ram().size();
    }

    /** From the memory hook: guest code is stopped at the access. */
    private void badAccess(long paddr, int size, boolean write) {
        if (reporting) {
            return;
        }
        long va = mem.virtualOf(paddr);
        Unwinder.Regs regs = Oops.cpuRegs(k);
        reportAccess(va, size, write, regs.ip(), regs);
    }

    /** {@code report_enabled()}: once per boot unless {@code kasan_multi_shot}. */
    private boolean reportEnabled() {
        if (multiShot) {
            return true;
        }
        boolean was = reported;
        reported = true;
        return !was;
    }

    // ---------------------------------------------------------------- frees

    /**
     * {@code ____kasan_slab_free()}'s checks, for kfree of {@code p}: a pointer into an object but
     * not at its start is an invalid free, an object not live a double free. Reports and returns
     * false if the free must not happen.
     */
    boolean checkFree(long p, Slab.Obj o, long ip) {
        if (o == null || o.start != p) {
            reportFree(p, ip, "invalid-free", o);
            return false;
        }
        if (!accessible(p)) {
            reportFree(p, ip, "double-free", o);
            return false;
        }
        return true;
    }

    // ---------------------------------------------------------------- reports

    /** {@code kasan_report()} of an access to {@code [va, va + size)} at {@code ip}. */
    private void reportAccess(long va, long size, boolean write, long ip, Unwinder.Regs regs) {
        if (!reportEnabled()) {
            return;
        }
        reporting = true;
        try {
            long firstBad = firstBadAddr(va, size);
            String type = bugType(firstBad);
            Oops.Report r = Oops.Report.start(k);
            var t = k.tasks().current();
            String title = "BUG: KASAN: " + type + " in " + k.machine().kallsyms().symbolize(ip, true);
            k.printk(3, RULE);
            k.printk(3, title);
            k.printk(3, String.format("%s of size %d at addr %016x by task %s/%d", write ? "Write" : "Read", size, va,
                    t.comm(), t.pid()));
            k.printk(3, "");
            describeAddress(va, r, regs, k.slab().objectAt(va));
            memoryState(firstBad);
            endReport(r, Finding.Type.KASAN, title, ip, va, write ? "write" : "read");
        } finally {
            reporting = false;
        }
    }

    /** {@code kasan_report_invalid_free()}. */
    private void reportFree(long p, long ip, String type, Slab.Obj o) {
        if (!reportEnabled()) {
            return;
        }
        reporting = true;
        try {
            Oops.Report r = Oops.Report.start(k);
            var t = k.tasks().current();
            String title = "BUG: KASAN: " + type + " in " + k.machine().kallsyms().symbolize(ip, true);
            k.printk(3, RULE);
            k.printk(3, title);
            k.printk(3, String.format("Free of addr %016x by task %s/%d", p, t.comm(), t.pid()));
            k.printk(3, "");
            boolean meta = mem.physical(p) != -1 && inRam(mem.physical(p));
            if (meta) {
                describeAddress(p, r, null, o);
                memoryState(p);
            } else {
                Oops.dumpStack(k, r, 3);
            }
            endReport(r, Finding.Type.KASAN, title, ip, p, "free");
        } finally {
            reporting = false;
        }
    }

    /** {@code end_report()}: the closing rule, taint B. */
    private void endReport(Oops.Report r, Finding.Type type, String title, long ip, long address, String access) {
        k.printk(3, RULE);
        k.taint().add(Taint.BAD_PAGE, true);
        r.finish(type, title, ip, null, address, access, false);
    }

    /** {@code kasan_find_first_bad_addr()}. */
    private long firstBadAddr(long va, long size) {
        long p = va;
        while (p < va + size && shadowAt(p) == 0) {
            p += GRANULE;
        }
        return p;
    }

    /** {@code get_shadow_bug_type()}. */
    private String bugType(long firstBad) {
        byte s = shadowAt(firstBad);
        if (s > 0 && s <= GRANULE - 1) {
            s = shadowAt(firstBad + GRANULE);
        }
        return switch (s) {
            case PAGE_REDZONE, SLAB_REDZONE -> "slab-out-of-bounds";
            case PAGE_FREE, SLAB_FREE, SLAB_FREETRACK -> "use-after-free";
            case VMALLOC_INVALID -> "vmalloc-out-of-bounds";
            default -> s >= 0 && s < GRANULE ? "out-of-bounds" : "unknown-crash";
        };
    }

    /** {@code print_address_description()}: the stack, the object with its stacks, the page. */
    private void describeAddress(long va, Oops.Report r, Unwinder.Regs regs, Slab.Obj o) {
        if (regs != null) {
            Oops.dumpStackAt(k, r, 3, regs);
        } else {
            Oops.dumpStack(k, r, 3);
        }
        k.printk(3, "");
        if (o != null && o.cache != null) {
            describeObject(va, o);
            k.printk(3, "");
        }
        Vmalloc.Area area = k.vmalloc().area(va);
        if (area != null) {
            k.printk(3, String.format("The buggy address belongs to a %d-page vmalloc region starting at 0x%x"
                    + " allocated at %s", area.pages(), area.base(), k.machine().kallsyms().symbolize(area.caller(), true)));
        }
        long pa = mem.physical(va);
        if (pa != -1) {
            k.printk(3, "The buggy address belongs to the physical page:");
            dumpPage(pa, o != null && o.cache != null);
            k.printk(3, "");
        }
    }

    /** {@code describe_object()}: allocation and free stacks, where the address is in the object. */
    private void describeObject(long va, Slab.Obj o) {
        if (o.alloc != null) {
            track("Allocated", o.alloc);
        }
        if (o.free != null && shadowAt(o.start) == SLAB_FREETRACK) {
            track("Freed", o.free);
        }
        k.printk(3, String.format("The buggy address belongs to the object at %016x\n which belongs to the cache %s"
                + " of size %d", o.start, o.cache.name, o.size));
        String rel;
        long bytes;
        if (va < o.start) {
            rel = "to the left";
            bytes = o.start - va;
        } else if (va >= o.start + o.size) {
            rel = "to the right";
            bytes = va - (o.start + o.size);
        } else {
            rel = "inside";
            bytes = va - o.start;
        }
        k.printk(3, String.format("The buggy address is located %d bytes %s of\n %d-byte region [%016x, %016x)", bytes,
                rel, o.size, o.start, o.start + o.size));
    }

    /** {@code print_track()}. */
    private void track(String prefix, StackDepot.Track t) {
        k.printk(3, prefix + " by task " + t.pid() + ":");
        if (t.stack().length > 0) {
            StackDepot.print(k, 4, t.stack());
        } else {
            k.printk(3, "(stack is not available)");
        }
        k.printk(3, "");
    }

    /** {@code dump_page()} of the page at physical address {@code pa} (an order-0 page of ZONE_DMA32). */
    private void dumpPage(long pa, boolean slab) {
        long pfn = pa >>> 12;
        long page = k.machine().vmemmapBase() + pfn * k.profile().value("page_sizeof");
        long hashed = Printk.env(k).hashPointer(page) & 0xffffffffL;
        k.printk(4, String.format("page:%016x refcount:1 mapcount:0 mapping:0000000000000000 index:0x0 pfn:0x%x", hashed,
                pfn));
        long flags = (slab ? 1L << k.profile().value("PG_slab") : 0)
                | k.profile().value("ZONE_DMA32") << k.profile().value("ZONES_PGSHIFT")
                | k.profile().value("LAST_CPUPID_MASK") << k.profile().value("LAST_CPUPID_PGSHIFT");
        k.printk(4, "flags: " + Vsprintf.pageFlags(flags));
        k.printk(4, "page dumped because: kasan: bad access detected");
    }

    /** {@code print_memory_metadata()}: the shadow of the rows around the first bad address. */
    private void memoryState(long addr) {
        k.printk(3, "Memory state around the buggy address:");
        long rowBytes = (long) META_BYTES_PER_ROW * GRANULE;
        long row = (addr & -rowBytes) - META_ROWS_AROUND_ADDR * rowBytes;
        for (int i = -META_ROWS_AROUND_ADDR; i <= META_ROWS_AROUND_ADDR; i++) {
            StringBuilder sb = new StringBuilder(String.format(i == 0 ? ">%016x: " : " %016x: ", row));
            for (int j = 0; j < META_BYTES_PER_ROW; j++) {
                sb.append(j == 0 ? "" : " ").append(String.format("%02x", shadowAt(row + (long) j * GRANULE) & 0xff));
            }
            k.printk(3, sb.toString());
            if (addr >= row && addr < row + rowBytes) {
                int offset = 3 + 16 + (int) ((addr - row) / GRANULE) * 3 + 1;
                k.printk(3, " ".repeat(offset - 1) + "^");
            }
            row += rowBytes;
        }
    }
}
