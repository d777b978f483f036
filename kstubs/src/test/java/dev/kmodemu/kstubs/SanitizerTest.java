package dev.kmodemu.kstubs;

import dev.kmodemu.kstubs.lib.GuestKernel;
import dev.kmodemu.testmods.TestMods;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The debug checks a user sees: KASAN's reports (Debian's kernel has no KASAN, so their structure
 * is checked here, against mm/kasan/report.c), kmemleak's, the leftover check's at rmmod, and the
 * lock checks'. The same test modules' goldens ({@code slabbug}, {@code memleak}, {@code leftover},
 * {@code lockbug}) check, with each check off, that kmodemu does what Debian's kernel does.
 */
class SanitizerTest {

    private static List<Finding> of(Kernel k, Finding.Type type) {
        return k.findings().stream().filter(f -> f.type() == type).toList();
    }

    private static Finding only(Kernel k, Finding.Type type) {
        List<Finding> f = of(k, type);
        assertEquals(1, f.size(), k.dmesg());
        return f.getFirst();
    }

    private static void slabbug(Kernel k, String params) {
        k.insmod("slabbug.ko", TestMods.ko("slabbug"), params);
    }

    private static int indexOf(List<String> log, String line) {
        int i = log.indexOf(line);
        assertTrue(i >= 0, "no line \"" + line + "\" in\n" + String.join("\n", log));
        return i;
    }

    // ---------------------------------------------------------------- KASAN

    @Test
    void aWriteOnePastAKmallocObjectIsASlabOutOfBoundsReport() {
        try (Kernel k = Kernel.boot()) {
            slabbug(k, "bug=oob");
            Finding f = only(k, Finding.Type.KASAN);
            assertTrue(f.title().matches("BUG: KASAN: slab-out-of-bounds in slabbug_init\\+0x[0-9a-f]+/0x1000 \\[slabbug]"),
                    f.title());
            assertEquals("slabbug", f.module());
            assertEquals("write", f.access());
            assertEquals("slabbug_init", f.frames().getFirst().replaceAll("\\+.*", ""));
            assertFalse(f.fatal());
            long object = f.address() - 40;
            List<String> log = f.log();
            int i = indexOf(log, "==================================================================");
            assertEquals(f.title(), log.get(i + 1));
            assertEquals(String.format("Write of size 1 at addr %016x by task insmod/100", f.address()), log.get(i + 2));
            assertEquals("", log.get(i + 3));
            assertTrue(log.get(i + 4).startsWith("CPU: 0 PID: 100 Comm: insmod "), log.get(i + 4));
            int alloc = indexOf(log, "Allocated by task 100:");
            assertEquals(" __kmalloc+0x1/0x10", log.get(alloc + 1));
            assertTrue(log.get(alloc + 2).startsWith(" slabbug_init+0x"), log.get(alloc + 2));
            assertFalse(log.contains("Freed by task 100:"), "a live object has no free stack");
            int obj = indexOf(log, String.format("The buggy address belongs to the object at %016x", object));
            assertEquals(" which belongs to the cache kmalloc-64 of size 64", log.get(obj + 1));
            assertEquals("The buggy address is located 40 bytes inside of", log.get(obj + 2));
            assertEquals(String.format(" 64-byte region [%016x, %016x)", object, object + 64), log.get(obj + 3));
            int page = indexOf(log, "The buggy address belongs to the physical page:");
            assertTrue(log.get(page + 1).matches("page:[0-9a-f]{16} refcount:1 mapcount:0 mapping:0{16} index:0x0 pfn:0x[0-9a-f]+"),
                    log.get(page + 1));
            assertTrue(log.get(page + 2).matches("flags: 0x[0-9a-f]+\\(slab\\|node=0\\|zone=1\\|lastcpupid=0x1fffff\\)"),
                    log.get(page + 2));
            assertEquals("page dumped because: kasan: bad access detected", log.get(page + 3));
            int mem = indexOf(log, "Memory state around the buggy address:");
            // five rows of 16 shadow bytes (128 bytes of memory each), the object's row marked
            String row = String.format(">%016x: 00 00 00 00 00 fc fc fc fc fc fc fc fc fc fc fc", object);
            assertEquals(row, log.get(mem + 3));
            assertEquals(" ".repeat(3 + 16 + 5 * 3) + "^", log.get(mem + 4));
            assertEquals("==================================================================", log.get(log.size() - 2));
            assertEquals("Disabling lock debugging due to kernel taint", log.getLast());
            assertTrue(k.context().taint().test(dev.kmodemu.kstubs.kernel.Taint.BAD_PAGE), "taint B");
            assertTrue(k.dmesg().contains("slabbug: loaded\n"), "init goes on after the report");
        }
    }

    @Test
    void aReadAfterKfreeIsAUseAfterFreeWithBothStacks() {
        try (Kernel k = Kernel.boot()) {
            slabbug(k, "bug=uaf");
            Finding f = only(k, Finding.Type.KASAN);
            assertTrue(f.title().startsWith("BUG: KASAN: use-after-free in slabbug_init+0x"), f.title());
            assertEquals("read", f.access());
            List<String> log = f.log();
            indexOf(log, String.format("Read of size 1 at addr %016x by task insmod/100", f.address()));
            int freed = indexOf(log, "Freed by task 100:");
            assertEquals(" kfree+0x1/0x10", log.get(freed + 1));
            indexOf(log, "The buggy address is located 0 bytes inside of");
            assertTrue(log.stream().anyMatch(l -> l.startsWith(String.format(">%016x: fa fb fb fb fb fb fb fb fc", f.address()))),
                    String.join("\n", log));
            // the access itself goes ahead, as with KASAN: the object is still in the quarantine
            assertTrue(k.dmesg().contains("slabbug: read 42 after kfree\n"));
        }
    }

    @Test
    void freesOfWhatIsNotALiveObjectAreDoubleOrInvalidFrees() {
        try (Kernel k = Kernel.boot(Kernel.Options.defaults().withChecks(Checks.ALL.withKasanMultiShot(true)))) {
            slabbug(k, "bug=double");
            k.rmmod("slabbug");
            slabbug(k, "bug=invalid");
            List<Finding> f = of(k, Finding.Type.KASAN);
            assertEquals(2, f.size(), k.dmesg());
            assertEquals("BUG: KASAN: double-free in kfree+0x1/0x10", f.get(0).title());
            assertEquals("free", f.get(0).access());
            indexOf(f.get(0).log(), String.format("Free of addr %016x by task insmod/100", f.get(0).address()));
            indexOf(f.get(0).log(), "Freed by task 100:");
            assertEquals("BUG: KASAN: invalid-free in kfree+0x1/0x10", f.get(1).title());
            indexOf(f.get(1).log(), "The buggy address is located 8 bytes inside of");
            assertEquals(2, k.dmesg().split("slabbug: loaded\n", -1).length - 1, "both inits went on");
        }
    }

    @Test
    void vmallocAndLargeKmallocOverflowsAreReported() {
        try (Kernel k = Kernel.boot(Kernel.Options.defaults().withChecks(Checks.ALL.withKasanMultiShot(true)))) {
            slabbug(k, "bug=vmoob size=100 off=100");
            k.rmmod("slabbug");
            slabbug(k, "bug=large size=10000 off=10000");
            List<Finding> f = of(k, Finding.Type.KASAN);
            assertEquals(2, f.size(), k.dmesg());
            assertTrue(f.get(0).title().startsWith("BUG: KASAN: vmalloc-out-of-bounds in slabbug_init+0x"));
            assertTrue(f.get(0).log().stream().anyMatch(l -> l.matches(
                    "The buggy address belongs to a 1-page vmalloc region starting at 0x[0-9a-f]+ allocated at "
                            + "slabbug_init\\+0x[0-9a-f]+/0x1000 \\[slabbug]")), String.join("\n", f.get(0).log()));
            assertTrue(f.get(1).title().startsWith("BUG: KASAN: slab-out-of-bounds in slabbug_init+0x"));
            assertTrue(f.get(1).log().stream().anyMatch(l -> l.startsWith(">") && l.contains(": 00 00 fe fe")),
                    String.join("\n", f.get(1).log()));
        }
    }

    @Test
    void onlyTheFirstErrorIsReportedUnlessMultiShot() {
        try (Kernel k = Kernel.boot()) {
            slabbug(k, "bug=oob");
            k.rmmod("slabbug");
            slabbug(k, "bug=uaf");
            assertEquals(1, of(k, Finding.Type.KASAN).size());
        }
    }

    @Test
    void kernelFunctionsCheckTheMemoryTheyTouch() {
        try (GuestKernel g = new GuestKernel()) {
            long obj = g.call("__kmalloc", 40, 0xcc0);
            long src = g.buf(64, 'x');
            g.kernel.process("insmod", () -> g.call("memcpy", obj, src, 41));
            Finding f = only(g.kernel, Finding.Type.KASAN);
            // memcpy is KASAN's interceptor: the report names its caller (here kmodemu's return to the host)
            assertEquals(obj, f.address());
            assertEquals("write", f.access());
            indexOf(f.log(), String.format("Write of size 41 at addr %016x by task insmod/100", obj));
        }
    }

    @Test
    void withoutKasanNothingIsReported() {
        try (Kernel k = Kernel.boot(Kernel.Options.defaults().withChecks(Checks.ALL.withKasan(false)))) {
            slabbug(k, "bug=oob");
            k.rmmod("slabbug");
            slabbug(k, "bug=uaf");
            assertEquals(List.of(), of(k, Finding.Type.KASAN));
            assertFalse(k.dmesg().contains("KASAN"));
        }
    }

    // ---------------------------------------------------------------- kmemleak

    @Test
    void kmemleakReportsWhatNothingReferencesOnceEach() {
        try (Kernel k = Kernel.boot()) {
            k.insmod("memleak.ko", TestMods.ko("memleak"), "");
            // loaded: the dropped buffer is leaked; the string and the list are reachable from globals
            List<Finding> now = k.kmemleakScan();
            assertEquals(1, now.size(), k.dmesg());
            Finding dropped = now.getFirst();
            assertEquals(Finding.Type.MEMORY_LEAK, dropped.type());
            assertEquals("memleak", dropped.module());
            assertEquals(String.format("kmemleak: unreferenced object 0x%x (size 32):", dropped.address()), dropped.title());
            List<String> log = dropped.log();
            assertEquals(dropped.title(), log.get(0));
            assertTrue(log.get(1).matches("kmemleak:   comm \"insmod\", pid 100, jiffies [0-9]+ \\(age 0\\.000s\\)"),
                    log.get(1));
            assertEquals("kmemleak:   hex dump (first 32 bytes):", log.get(2));
            assertEquals("    6e 6f 62 6f 64 79 20 70 6f 69 6e 74 73 20 68 65  nobody points he", log.get(3));
            assertEquals("    72 65 00 00 00 00 00 00 00 00 00 00 00 00 00 00  re..............", log.get(4));
            assertEquals("kmemleak:   backtrace:", log.get(5));
            assertTrue(log.get(6).matches("kmemleak:     \\[<[0-9a-f]{16}>] kmalloc_trace\\+0x1/0x10"), log.get(6));
            assertTrue(log.get(7).matches("kmemleak:     \\[<[0-9a-f]{16}>] drop\\+0x[0-9a-f]+/0x[0-9a-f]+ \\[memleak]"),
                    log.get(7));
            assertTrue(k.dmesg().contains("kmemleak: 1 new suspected memory leaks (see /sys/kernel/debug/kmemleak)\n"));
            assertEquals(List.of(), k.kmemleakScan(), "a leak is reported once");
            // at rmmod the module's globals are gone: the forgotten string leaks, the freed list does not
            k.rmmod("memleak");
            List<Finding> all = of(k, Finding.Type.MEMORY_LEAK);
            assertEquals(2, all.size(), k.dmesg());
            Finding forgotten = all.get(1);
            int hex = indexOf(forgotten.log(), "kmemleak:   hex dump (first 32 bytes):");
            assertTrue(forgotten.log().get(hex + 1).endsWith("forgotten at exi"), forgotten.log().get(hex + 1));
            assertTrue(k.dmesg().endsWith("kmemleak: 1 new suspected memory leaks (see /sys/kernel/debug/kmemleak)\n"));
        }
    }

    @Test
    void withoutKmemleakNothingIsReported() {
        try (Kernel k = Kernel.boot(Kernel.Options.defaults().withChecks(Checks.ALL.withKmemleak(false)))) {
            k.insmod("memleak.ko", TestMods.ko("memleak"), "");
            assertEquals(List.of(), k.kmemleakScan());
            k.rmmod("memleak");
            assertFalse(k.dmesg().contains("kmemleak"));
        }
    }

    // ---------------------------------------------------------------- leftovers

    @Test
    void leftoversAreReportedAndWhatWouldRunIsCancelled() {
        try (Kernel k = Kernel.boot()) {
            k.insmod("leftover.ko", TestMods.ko("leftover"), "");
            k.rmmod("leftover");
            List<Finding> left = of(k, Finding.Type.LEFTOVER);
            assertEquals(4, left.size(), k.dmesg());
            assertTrue(left.stream().allMatch(f -> "leftover".equals(f.module())));
            assertEquals("kmodemu: leftover left proc entry /proc/leftover registered after its exit, pointing into it "
                    + "(show+0x0/0x18 [leftover])", left.get(0).title());
            Matcher m = Pattern.compile("ODEBUG: free active \\(active state 0\\) object: [0-9a-f]{16} object type: (\\S+) "
                    + "hint: (\\S+)( \\[leftover])?").matcher("");
            List<String> hints = left.subList(1, 4).stream().map(f -> {
                assertTrue(m.reset(f.title()).matches(), f.title());
                return m.group(1) + " " + m.group(2);
            }).toList();
            assertEquals(List.of("timer_list timer_fn+0x0/0x11", "timer_list delayed_work_timer_fn+0x0/0x10",
                    "hrtimer hrtimer_fn+0x0/0x18"), hints);
            String log = k.dmesg();
            assertTrue(log.matches("(?s).*WARNING: CPU: 0 PID: [0-9]+ at lib/debugobjects.c:515 debug_print_object\\+0x0/0x10\n.*"),
                    log);
            // an hour later nothing runs in the freed module
            k.advance(Duration.ofHours(2));
            assertFalse(k.panicked());
            assertFalse(k.dmesg().contains("leftover: timer"));
            // the proc entry stays, as on the real kernel: reading it runs freed code
            KernelException e = assertThrows(KernelException.class, () -> k.read("/proc/leftover"));
            assertTrue(e.killed());
        }
    }

    @Test
    void withoutTheCheckALeftoverTimerFiresInFreedMemory() {
        try (Kernel k = Kernel.boot(Kernel.Options.defaults().withChecks(Checks.ALL.withLeftovers(false)))) {
            k.insmod("leftover.ko", TestMods.ko("leftover"), "");
            k.rmmod("leftover");
            assertEquals(List.of(), of(k, Finding.Type.LEFTOVER));
            assertThrows(KernelException.class, () -> k.advance(Duration.ofHours(2)));
            assertTrue(k.panicked());
        }
    }

    @Test
    void aLeftoverInterruptHandlerIsFreed() {
        try (Kernel k = Kernel.boot()) {
            k.insmod("irqtest.ko", TestMods.ko("irqtest"), "irqs=5 keep=1");
            k.rmmod("irqtest");
            Finding f = only(k, Finding.Type.LEFTOVER);
            assertTrue(f.title().startsWith("kmodemu: irqtest left irq handler 5 (irqtest) registered after its exit, "
                    + "pointing into it (irqtest_handler+0x0/"), f.title());
            assertTrue(f.title().endsWith("; cancelled"), f.title());
            assertFalse(k.raiseIrq(5));
            assertFalse(k.panicked());
        }
    }

    // ---------------------------------------------------------------- locks

    private static void lockbug(Kernel k, String bug) {
        k.insmod("lockbug.ko", TestMods.ko("lockbug"), "bug=" + bug);
    }

    @Test
    void aSpinlockHeldWhenInitReturnsIsReportedAndNeverReleased() {
        try (Kernel k = Kernel.boot()) {
            lockbug(k, "held");
            Finding warn = only(k, Finding.Type.WARNING);
            assertEquals("init/main.c:1284", warn.location());
            assertTrue(warn.log().contains("initcall lockbug_init+0x0/0x1000 [lockbug] returned with preemption imbalance "));
            Finding held = only(k, Finding.Type.LOCK);
            assertEquals("WARNING: lock held when returning to user space!", held.title());
            List<String> log = held.log();
            int i = indexOf(log, "insmod/100 is leaving the kernel with locks still held!");
            assertEquals("1 lock held by insmod/100:", log.get(i + 1));
            assertTrue(log.get(i + 2).matches(" #0: [0-9a-f]{16} \\(lockbug_lock\\)\\{\\+\\.\\+\\.}-\\{2:2}, at: 0x[0-9a-f]+"),
                    log.get(i + 2));
            // exit takes the lock again and spins: the watchdog, and rmmod dies
            KernelException e = assertThrows(KernelException.class, () -> k.rmmod("lockbug"));
            assertEquals(9, e.signal());
            assertEquals(Finding.Type.SOFT_LOCKUP, k.findings().getLast().type());
        }
    }

    @Test
    void sleepingWithASpinlockHeldIsSchedulingWhileAtomic() {
        try (Kernel k = Kernel.boot()) {
            lockbug(k, "sleep");
            Finding f = of(k, Finding.Type.ATOMIC_SLEEP).getFirst();
            assertEquals("BUG: scheduling while atomic: insmod/100/0x00000002", f.title());
            assertEquals("1 lock held by insmod/100:", f.log().get(1));
            assertEquals(List.of("dump_stack_lvl+0x44/0x5c", "__schedule_bug.cold+0x42/0x4e", "__schedule+0x804/0xa00",
                    "schedule+0x5a/0xd0", "schedule_timeout+0x94/0x150", "msleep+0x29/0x40"), f.frames().subList(0, 6));
            assertTrue(f.frames().get(6).startsWith("lockbug_init+0x"), f.frames().toString());
        }
    }

    @Test
    void aMutexTakenWithASpinlockHeldIsASleepInInvalidContext() {
        try (Kernel k = Kernel.boot()) {
            lockbug(k, "mutex");
            Finding f = only(k, Finding.Type.ATOMIC_SLEEP);
            assertEquals("BUG: sleeping function called from invalid context at kernel/locking/mutex.c:283", f.title());
            assertEquals(List.of(f.title(), "in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: 100, name: insmod",
                    "preempt_count: 1, expected: 0", "RCU nest depth: 0, expected: 0", "1 lock held by insmod/100:"),
                    f.log().subList(0, 5));
            assertTrue(k.context().taint().test(dev.kmodemu.kstubs.kernel.Taint.WARN));
        }
    }

    @Test
    void releasingALockNotHeldIsABadUnlockBalance() {
        try (Kernel k = Kernel.boot()) {
            lockbug(k, "mutexunlock");
            Finding f = only(k, Finding.Type.LOCK);
            assertEquals("WARNING: bad unlock balance detected!", f.title());
            List<String> log = f.log();
            int i = indexOf(log, "insmod/100 is trying to release lock (lockbug_mutex) at:");
            assertTrue(log.get(i + 1).matches("\\[<[0-9a-f]{16}>] lockbug_init\\+0x[0-9a-f]+/0x1000 \\[lockbug]"),
                    log.get(i + 1));
            assertEquals("but there are no more locks to release!", log.get(i + 2));
            indexOf(log, "no locks held by insmod/100.");
            // lockdep reports once: the spinlock's imbalance on the next load goes unreported
            k.rmmod("lockbug");
            lockbug(k, "unlock");
            assertEquals(1, of(k, Finding.Type.LOCK).size());
        }
    }

    @Test
    void withoutLockChecksOnlyWhatDebiansKernelReportsIsReported() {
        try (Kernel k = Kernel.boot(Kernel.Options.defaults().withChecks(Checks.ALL.withLocks(false)))) {
            lockbug(k, "mutex");
            k.rmmod("lockbug");
            lockbug(k, "mutexunlock");
            assertEquals(List.of(), k.findings());
        }
    }
}
