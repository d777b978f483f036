package dev.kmodemu.kstubs.kernel;

import dev.kmodemu.kstubs.Finding;
import dev.kmodemu.kstubs.Kernel;
import dev.kmodemu.kstubs.KernelException;
import dev.kmodemu.testmods.TestMods;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every report is a {@link Finding} a test can assert on, with the call trace the ORC unwinder
 * walked through module frames, Java stubs and the system call path.
 */
class FindingsTest {
    private static final List<String> INIT_PATH = List.of("do_one_initcall+0x59/0x220", "do_init_module+0x4a/0x1f0",
            "__do_sys_finit_module+0xac/0x120", "do_syscall_64+0x5d/0xb0", "entry_SYSCALL_64_after_hwframe+0x6e/0xd8");

    private static KernelException insmod(Kernel k, String mod, String params) {
        return assertThrows(KernelException.class, () -> k.insmod(mod + ".ko", TestMods.ko(mod), params));
    }

    @Test
    void nullDereferenceIsAnOopsWithItsAddressAccessAndTrace() {
        try (Kernel k = Kernel.boot()) {
            KernelException e = insmod(k, "nullderef", "");
            assertEquals(9, e.signal());
            Finding f = k.findings().get(0);
            assertEquals(Finding.Type.OOPS, f.type());
            assertEquals("BUG: kernel NULL pointer dereference, address: 0000000000000000", f.title());
            assertEquals("nullderef", f.module());
            assertEquals("nullderef_init+0x28/0x1000 [nullderef]", f.symbol());
            assertEquals(0L, f.address());
            assertEquals("write", f.access());
            assertEquals(INIT_PATH, f.frames());
            assertEquals("insmod", f.comm());
            assertTrue(f.fatal());
            assertTrue(f.log().contains("Oops: 0002 [#1] PREEMPT SMP NOPTI"), f.log().toString());
            assertEquals(1, k.findings().size());
        }
    }

    @Test
    void warningsLetInitGoOnAndWarnOnceWarnsOnce() {
        try (Kernel k = Kernel.boot()) {
            k.insmod("warn.ko", TestMods.ko("warn"), "");
            List<Finding> w = k.findings();
            assertEquals(3, w.size(), w.toString());
            for (Finding f : w) {
                assertEquals(Finding.Type.WARNING, f.type());
                assertFalse(f.fatal());
                assertEquals("warn", f.module());
            }
            assertTrue(w.get(0).location().endsWith("warn/warn.c:28"), w.get(0).location());
            assertTrue(w.get(1).location().endsWith("warn/warn.c:30"), w.get(1).location());
            assertEquals("warn_once_helper+0x2f/0xff4 [warn]", w.get(2).symbol());
            List<String> frames = new ArrayList<>(List.of("warn_init+0x48/0x1000 [warn]"));
            frames.addAll(INIT_PATH);
            assertEquals(frames, w.get(2).frames());
            assertTrue(k.dmesg().contains("warn: helper call 1 done"));
            assertTrue(k.context().taint().test(Taint.WARN));
        }
    }

    @Test
    void bugKillsWithSigsegvAndNamesItsSourceLine() {
        try (Kernel k = Kernel.boot()) {
            KernelException e = insmod(k, "bug", "where=init");
            assertEquals(11, e.signal());
            assertEquals("Segmentation fault", e.getMessage());
            Finding f = k.findings().get(0);
            assertEquals(Finding.Type.BUG, f.type());
            assertTrue(f.location().endsWith("bug/bug.c:17"), f.location());
            assertTrue(f.title().startsWith("kernel BUG at ") && f.title().endsWith("bug/bug.c:17!"), f.title());
            assertEquals("bug_here+0x14/0x16 [bug]", f.symbol());
            assertEquals("bug_init+0x2c/0x1000 [bug]", f.frames().get(0));
        }
    }

    @Test
    void bugInExitKillsRmmodAndLeavesTheModuleGoing() {
        try (Kernel k = Kernel.boot()) {
            k.insmod("bug.ko", TestMods.ko("bug"), "where=exit");
            KernelException e = assertThrows(KernelException.class, () -> k.rmmod("bug"));
            assertEquals(11, e.signal());
            assertEquals(List.of("bug_exit+0x23/0xfea [bug]", "__do_sys_delete_module+0x1b9/0x330",
                    "do_syscall_64+0x5d/0xb0", "entry_SYSCALL_64_after_hwframe+0x6e/0xd8"), k.findings().get(0).frames());
            assertEquals("rmmod", k.findings().get(0).comm());
            // try_stop_module() took the base reference and exit never finished: refcount -1, as lsmod
            // shows for such a module on a real system
            assertTrue(k.read("/proc/modules").startsWith("bug 16384 -1 - Unloading"), k.read("/proc/modules"));
        }
    }

    @Test
    void stackOverflowPanicsAndTheKernelStaysDead() {
        try (Kernel k = Kernel.boot()) {
            KernelException e = insmod(k, "recurse", "");
            assertTrue(e.panicked());
            List<Finding> f = k.findings();
            assertEquals(Finding.Type.STACK_OVERFLOW, f.get(0).type());
            assertTrue(f.get(0).symbol().startsWith("recurse+"), f.get(0).symbol());
            long recursion = f.get(0).frames().stream().filter(s -> s.equals("recurse+0x6c/0x7e [recurse]")).count();
            assertTrue(recursion > 50, "frames: " + f.get(0).frames());
            assertTrue(f.get(0).frames().contains("recurse_init+0x1e/0x1000 [recurse]"));
            assertEquals(Finding.Type.PANIC, f.get(1).type());
            assertEquals("Kernel panic - not syncing: Fatal exception in interrupt", f.get(1).title());
            assertTrue(k.panicked());
            KernelException later = assertThrows(KernelException.class, () -> k.read("/proc/modules"));
            assertTrue(later.panicked());
            assertEquals("the kernel panicked: Fatal exception in interrupt", later.getMessage());
            assertThrows(KernelException.class, () -> k.insmod("hello.ko", TestMods.ko("hello"), ""));
            assertTrue(k.dmesg().contains("---[ end Kernel panic - not syncing: Fatal exception in interrupt ]---"));
        }
    }

    @Test
    void panicFromModuleCodeHasTheTraceThroughPanic() {
        try (Kernel k = Kernel.boot()) {
            KernelException e = insmod(k, "bug", "where=panic");
            assertTrue(e.panicked());
            Finding p = k.findings().get(0);
            assertEquals(Finding.Type.PANIC, p.type());
            assertEquals("bug", p.module());
            assertEquals(List.of("dump_stack_lvl+0x44/0x5c", "panic+0x118/0x2f4", "bug_init+0x4e/0x1000 [bug]"),
                    p.frames().subList(0, 3));
        }
    }

    @Test
    void endlessLoopStopsAtTheInstructionBudgetWithASoftLockup() {
        try (Kernel k = Kernel.boot(Kernel.Options.defaults().withBlockBudget(100_000))) {
            KernelException e = insmod(k, "spin", "");
            assertEquals(9, e.signal());
            Finding f = k.findings().get(0);
            assertEquals(Finding.Type.SOFT_LOCKUP, f.type());
            assertEquals("watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [insmod:100]", f.title());
            assertTrue(f.symbol().startsWith("spin_init+"), f.symbol());
            assertEquals(INIT_PATH, f.frames());
            assertEquals(22_000_000_000L, k.context().clock().nanos() - k.log().get(0).timeNanos());
            assertTrue(k.context().taint().test(Taint.SOFTLOCKUP));
            // the kernel goes on
            k.insmod("hello.ko", TestMods.ko("hello"), "");
        }
    }

    @Test
    void oopsInAProcReadHandlerKillsTheReaderAndKeepsTheModule() {
        try (Kernel k = Kernel.boot()) {
            k.insmod("procoops.ko", TestMods.ko("procoops"), "");
            KernelException e = assertThrows(KernelException.class, () -> k.read("/proc/procoops"));
            assertEquals(9, e.signal());
            Finding f = k.findings().get(0);
            assertEquals("procoops_show+0x2f/0x3f [procoops]", f.symbol());
            assertEquals(List.of("seq_read_iter+0x122/0x450", "proc_reg_read_iter+0x4d/0x90", "vfs_read+0x23f/0x310",
                    "ksys_read+0x6b/0xf0", "do_syscall_64+0x5d/0xb0", "entry_SYSCALL_64_after_hwframe+0x6e/0xd8"),
                    f.frames());
            assertEquals("cat", f.comm());
            assertTrue(k.loaded("procoops"));
            assertThrows(KernelException.class, () -> k.write("/proc/procoops_write", "x"));
            assertEquals("proc_reg_write+0x56/0xa0", k.findings().get(1).frames().get(0));
        }
    }

    @Test
    void dumpStackPrintsTheTraceWithoutAFinding() {
        try (Kernel k = Kernel.boot()) {
            k.insmod("warn.ko", TestMods.ko("warn"), "dump=1 value=0");
            String log = k.dmesg();
            assertTrue(log.contains("] Call Trace:\n"), log);
            assertTrue(log.contains("]  dump_stack_lvl+0x44/0x5c\n"), log);
            assertTrue(log.contains("]  warn_init+0x60/0x1000 [warn]\n"), log);
            assertTrue(k.findings().isEmpty());
        }
    }

    @Test
    void warnInAKernelFunctionReportsItsSiteAndCaller() {
        try (Kernel k = Kernel.boot()) {
            k.insmod("procerr.ko", TestMods.ko("procerr"), "");
            Finding f = k.findings().get(0);
            assertEquals(Finding.Type.WARNING, f.type());
            assertEquals("proc_register+0x19f/0x240", f.symbol());
            assertEquals("fs/proc/generic.c:400", f.location());
            assertEquals("procerr", f.module());
            assertEquals(List.of("proc_create_single_data+0x3c/0x50", "procerr_init+0x44/0x1000 [procerr]"),
                    f.frames().subList(0, 2));
            assertNull(f.address());
        }
    }

    @Test
    void callTraceDecodesArguments() {
        try (Kernel k = Kernel.boot()) {
            List<String> lines = new ArrayList<>();
            k.traceCalls(lines::add, null);
            k.insmod("hello.ko", TestMods.ko("hello"), "");
            assertEquals(List.of("_printk(\"\\0016Hello, world %d\\n\", ...) = 14"), lines);
            lines.clear();
            k.insmod("kmallocstr.ko", TestMods.ko("kmallocstr"), "");
            assertTrue(lines.stream().anyMatch(l -> l.matches("__kmalloc\\(1, GFP_KERNEL\\) = 0xffff8880[0-9a-f]{8}")),
                    String.join("\n", lines));
            assertTrue(lines.contains("kfree(NULL)"), String.join("\n", lines));
        }
    }

    @Test
    void aLockNobodyReleasesIsAHungTaskOrASoftLockup() {
        try (dev.kmodemu.kstubs.lib.GuestKernel g = new dev.kmodemu.kstubs.lib.GuestKernel()) {
            long mutex = g.buf(64, 0);
            g.kernel.process("locker", () -> g.call("mutex_lock", mutex));
            KernelException e = assertThrows(KernelException.class,
                    () -> g.kernel.process("locker", () -> g.call("mutex_lock", mutex)));
            assertEquals(9, e.signal());
            // lockdep: the first process returned to user space holding the mutex (reported once)
            Finding held = g.kernel.findings().get(0);
            assertEquals(Finding.Type.LOCK, held.type());
            assertEquals("WARNING: lock held when returning to user space!", held.title());
            Finding hung = g.kernel.findings().get(1);
            assertEquals(Finding.Type.HUNG_TASK, hung.type());
            assertEquals("INFO: task locker:101 blocked for more than 120 seconds.", hung.title());
            assertTrue(hung.log().contains("Call Trace:"), hung.log().toString());
            long lock = g.buf(8, 0);
            g.kernel.process("spinner", () -> g.call("_raw_spin_lock", lock));
            assertThrows(KernelException.class, () -> g.kernel.process("spinner", () -> g.call("_raw_spin_lock", lock)));
            Finding spin = g.kernel.findings().get(2);
            assertEquals(Finding.Type.SOFT_LOCKUP, spin.type());
            assertEquals("_raw_spin_lock+0x0/0x10", spin.symbol());
        }
    }
}
