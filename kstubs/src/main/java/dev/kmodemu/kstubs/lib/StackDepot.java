package dev.kmodemu.kstubs.lib;

import dev.kmodemu.firmware.CallFrame;
import dev.kmodemu.kstubs.KernelContext;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * lib/stackdepot.c: the call traces the memory debuggers keep with each object (KASAN's
 * allocation and free stacks, kmemleak's backtrace), each distinct trace stored once.
 */
public final class StackDepot {
    /** {@code KASAN_STACK_DEPTH}, kmemleak's {@code MAX_TRACE} is 16: the deeper of the two. */
    public static final int DEPTH = 64;

    /** Who took a trace and when, with the trace: KASAN's {@code struct kasan_track} and kmemleak's fields. */
    public record Track(int pid, String comm, long jiffies, long[] stack) {
    }

    private record Key(long[] stack) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key other && Arrays.equals(stack, other.stack);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(stack);
        }
    }

    private final Map<Key, long[]> stored = new HashMap<>();
    /** The trace stored last: allocations in a loop save the same one again and again. */
    private long[] last = new long[0];

    private static StackDepot of(KernelContext k) {
        return k.slab().depot();
    }

    /** {@code stack_depot_save()}: the stored copy of {@code trace}. */
    private long[] intern(long[] trace) {
        if (Arrays.equals(trace, last)) {
            return last;
        }
        last = stored.computeIfAbsent(new Key(trace), key -> key.stack());
        return last;
    }

    /**
     * {@code stack_trace_save()} + {@code stack_depot_save()} in the kernel function running now,
     * which module code called: that function first (as {@code name+0x1/...}, the hlt of its
     * trampoline, where it would have called on), then its callers as the ORC unwinder finds them.
     * Outside any kernel function called from guest code, an empty trace.
     */
    public static long[] save(KernelContext k) {
        CallFrame f = k.frame();
        if (f == null) {
            return new long[0];
        }
        long[] walked = k.machine().unwinder().save(f.rsp(), k.tasks().current().stack(), DEPTH - 1);
        long[] trace = new long[walked.length + 1];
        trace[0] = f.address() + 1;
        System.arraycopy(walked, 0, trace, 1, walked.length);
        return of(k).intern(trace);
    }

    /**
     * A {@link Track} of the current task now; outside any kernel function called from guest code
     * (the kernel's own work, which may be creating the very task), of the boot task.
     */
    public static Track track(KernelContext k) {
        if (k.frame() == null) {
            return new Track(0, "swapper/0", k.clock().jiffies(), new long[0]);
        }
        var t = k.tasks().current();
        return new Track(t.pid(), t.comm(), k.clock().jiffies(), save(k));
    }

    /** {@code stack_trace_print(entries, nr, 0)}: one {@code " %pS"} line per entry, at {@code level}. */
    public static void print(KernelContext k, int level, long[] trace) {
        for (long a : trace) {
            k.printk(level, " " + k.machine().kallsyms().symbolize(a, true));
        }
    }
}
