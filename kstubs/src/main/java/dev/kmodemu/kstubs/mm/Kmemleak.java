package dev.kmodemu.kstubs.mm;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Finding;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.kernel.Oops;
import dev.kmodemu.kstubs.lib.Hexdump;
import dev.kmodemu.kstubs.lib.StackDepot;
import dev.kmodemu.kstubs.module.Leftovers;
import dev.kmodemu.kstubs.printk.Printk;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * mm/kmemleak.c: memory a module allocated that nothing points to any more. A scan
 * ({@code kmemleak_scan()}) starts from the roots (the kernel's and the loaded modules' writable
 * memory, every task's stack, and the pointers the kernel's subsystems keep in Java: proc data,
 * timers, work items, handlers' dev_id, ...), follows every aligned word that points into an
 * allocated object, and reports the objects it never reached, each once, as kmemleak does with
 * {@code kmemleak.verbose=1}: the {@code unreferenced object} block (comm, pid, jiffies and age,
 * the first 32 bytes, the backtrace), then {@code kmemleak: N new suspected memory leaks}.
 *
 * <p>kmodemu scans when a module is unloaded (its memory, now freed, no longer counts as a root)
 * and when asked ({@link dev.kmodemu.kstubs.Kernel#kmemleakScan()}); the real kernel scans every
 * ten minutes and on {@code echo scan > /sys/kernel/debug/kmemleak}, and only reports objects
 * older than five seconds, which in virtual time would hide most leaks: kmodemu reports them at
 * any age. Only objects module code allocated itself (through kmalloc, kmem_cache_alloc,
 * kstrdup, vmalloc and friends) are reported; the kernel's own objects, part of whose references
 * kmodemu keeps in Java, are scanned as if referenced.
 */
public final class Kmemleak {
    /** {@code HEX_MAX_LINES * HEX_ROW_SIZE}: bytes of an object's hex dump. */
    private static final int HEX_BYTES = 32;
    /** {@code MAX_TRACE}. */
    private static final int MAX_TRACE = 16;

    private Kmemleak() {
    }

    /** One tracked object: a slab object or a vmalloc area. */
    private record Tracked(long start, long size, String module, StackDepot.Track alloc) {
    }

    private static final class State {
        /** Objects already reported ({@code OBJECT_REPORTED}), by their allocation's track. */
        final Set<StackDepot.Track> reported = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    }

    /**
     * {@code kmemleak_scan()}: reports the module objects nothing references that were not
     * reported before, and returns their findings.
     */
    public static List<Finding> scan(KernelContext k) {
        return scan(k, null);
    }

    /** {@link #scan(KernelContext)} as if {@code gone}'s memory were freed already (null: none). */
    public static List<Finding> scan(KernelContext k, dev.kmodemu.kstubs.module.Module gone) {
        TreeMap<Long, Tracked> objects = new TreeMap<>(Long::compareUnsigned);
        List<Tracked> gray = new ArrayList<>();
        for (Slab.Obj o : k.slab().liveObjects()) {
            // kmemleak_alloc(): a slab object's size is its cache's object size, a large one's the size asked for
            Tracked t = new Tracked(o.start, o.cache != null ? o.size : o.requested, o.module, o.alloc);
            if (o.module != null && o.alloc != null) {
                objects.put(o.start, t);
            } else {
                gray.add(t);
            }
        }
        for (Vmalloc.Area a : k.vmalloc().areas()) {
            Tracked t = new Tracked(a.base(), a.size(), a.module(), a.alloc());
            if (a.module() != null && a.alloc() != null) {
                objects.put(a.base(), t);
            } else {
                gray.add(t);
            }
        }
        if (objects.isEmpty()) {
            return List.of();
        }
        Set<Long> reached = new HashSet<>();
        ArrayDeque<Tracked> todo = new ArrayDeque<>();
        AddressSpace mem = k.mem();
        // The roots: writable kernel memory that is no tracked object (kernel data, per-cpu
        // areas, module memory, stacks, the kernel's own objects) and the kernel's Java references.
        Set<Long> objectRegions = new HashSet<>();
        for (Tracked t : objects.values()) {
            AddressSpace.Region r = mem.find(t.start());
            if (r != null && r.base() == t.start() && k.machine().vmallocArea().contains(t.start())) {
                objectRegions.add(r.base());
            }
        }
        for (AddressSpace.Region r : mem.regions()) {
            if (r.base() >= 0 || objectRegions.contains(r.base()) || (gone != null && gone.contains(r.base()))) {
                continue;
            }
            if (!isSlab(k, r)) {
                // writable pages only: text and read-only data hold no pointers to heap objects
                for (long off = 0; off < r.size(); off += AddressSpace.PAGE) {
                    if ((r.permsAt(r.base() + off) & AddressSpace.W) != 0) {
                        scanRange(r.memory(), off, AddressSpace.PAGE, objects, reached, todo, r.base() + off);
                    }
                }
            }
        }
        for (Tracked t : gray) {
            scanObject(mem, t, objects, reached, todo);
        }
        for (Leftovers.Registration reg : Leftovers.all(k)) {
            for (long p : reg.pointers()) {
                reach(p, objects, reached, todo);
            }
        }
        while (!todo.isEmpty()) {
            scanObject(mem, todo.poll(), objects, reached, todo);
        }
        State s = k.state(Kmemleak.class, State::new);
        List<Finding> found = new ArrayList<>();
        for (Tracked t : objects.values()) {
            if (reached.contains(t.start()) || !s.reported.add(t.alloc())) {
                continue;
            }
            found.add(printUnreferenced(k, t));
        }
        if (!found.isEmpty()) {
            k.printk(6, "kmemleak: " + found.size() + " new suspected memory leaks (see /sys/kernel/debug/kmemleak)");
        }
        return found;
    }

    private static boolean isSlab(KernelContext k, AddressSpace.Region r) {
        return k.machine().heapArea().contains(r.base()) && k.slab().objectAt(r.base()) != null;
    }

    private static void scanObject(AddressSpace mem, Tracked t, TreeMap<Long, Tracked> objects, Set<Long> reached,
            ArrayDeque<Tracked> todo) {
        AddressSpace.Region r = mem.find(t.start());
        if (r == null) {
            return;
        }
        long len = Math.min(t.size(), r.end() - t.start());
        scanRange(r.memory(), t.start() - r.base(), len, objects, reached, todo, t.start());
    }

    /** {@code scan_block()}: every aligned word of {@code [va, va + len)}, at {@code off} in {@code m}. */
    private static void scanRange(MemorySegment m, long off, long len, TreeMap<Long, Tracked> objects,
            Set<Long> reached, ArrayDeque<Tracked> todo, long va) {
        long first = objects.firstKey();
        Map.Entry<Long, Tracked> lastEntry = objects.lastEntry();
        long last = lastEntry.getKey() + lastEntry.getValue().size();
        long start = (8 - (va & 7)) & 7;
        for (long i = start; i + 8 <= len; i += 8) {
            long p = m.get(JAVA_LONG_UNALIGNED, off + i);
            if (Long.compareUnsigned(p, first) < 0 || Long.compareUnsigned(p, last) >= 0) {
                continue;
            }
            reach(p, objects, reached, todo);
        }
    }

    /** A pointer found: the object it points into (anywhere inside) is referenced. */
    private static void reach(long p, TreeMap<Long, Tracked> objects, Set<Long> reached, ArrayDeque<Tracked> todo) {
        Map.Entry<Long, Tracked> e = objects.floorEntry(p);
        if (e == null) {
            return;
        }
        Tracked t = e.getValue();
        if (Long.compareUnsigned(p - t.start(), Math.max(t.size(), 1)) >= 0) {
            return;
        }
        if (reached.add(t.start())) {
            todo.add(t);
        }
    }

    /** {@code print_unreferenced()} with {@code kmemleak.verbose} (every line through {@code pr_warn}). */
    private static Finding printUnreferenced(KernelContext k, Tracked t) {
        Oops.Report r = Oops.Report.start(k).module(t.module());
        long ageMs = (k.clock().jiffies() - t.alloc().jiffies()) * 1000 / k.clock().hz();
        String title = String.format("unreferenced object 0x%x (size %d):", t.start(), t.size());
        k.printk(4, "kmemleak: " + title);
        k.printk(4, String.format("kmemleak:   comm \"%s\", pid %d, jiffies %d (age %d.%03ds)", t.alloc().comm(),
                t.alloc().pid(), t.alloc().jiffies(), ageMs / 1000, ageMs % 1000));
        int len = (int) Math.min(t.size(), HEX_BYTES);
        k.printk(4, "kmemleak:   hex dump (first " + len + " bytes):");
        byte[] bytes = k.mem().peek(t.start(), len);
        for (int row = 0; row < len; row += 16) {
            byte[] chunk = java.util.Arrays.copyOfRange(bytes, row, Math.min(len, row + 16));
            k.printk(4, "    " + new String(Hexdump.hexDumpToBuffer(chunk, chunk.length, 16, 1, 200, true).text(),
                    java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        k.printk(4, "kmemleak:   backtrace:");
        long[] trace = t.alloc().stack();
        for (int i = 0; i < Math.min(trace.length, MAX_TRACE); i++) {
            k.printk(4, String.format("kmemleak:     [<%016x>] %s", Printk.env(k).hashPointer(trace[i]) & 0xffffffffL,
                    k.machine().kallsyms().symbolize(trace[i], true)));
        }
        List<Finding.Frame> frames = new ArrayList<>();
        for (long a : trace) {
            var l = k.machine().kallsyms().lookup(a);
            frames.add(new Finding.Frame(a, k.machine().kallsyms().symbolize(a, true), l == null ? null : l.module(),
                    true));
        }
        r.frames(frames);
        r.finish(Finding.Type.MEMORY_LEAK, "kmemleak: " + title, 0, null, t.start(), null, false);
        return k.findings().getLast();
    }
}
