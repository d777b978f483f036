package dev.kmodemu.kstubs;

import dev.kmodemu.testmods.TestMods;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Kernel snapshots: a restored kernel is the kernel that was snapshotted, whatever happened since. */
class SnapshotTest {
    /** Everything a user can observe, plus the allocator and the state graph. */
    static Map<String, String> observe(Kernel k) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("digest", k.stateDigest());      // first: the reads below spawn processes
        out.put("dmesg", k.dmesg());
        out.put("findings", k.findings().toString());
        out.put("lsmod", k.lsmod());
        out.put("slab", String.valueOf(k.context().slab().bytesInUse()));
        out.put("clock", String.valueOf(k.context().clock().nanos()));
        for (String path : k.context().vfs().files()) {
            if (path.startsWith("/dev/") || path.equals("/proc/kallsyms")) {
                continue; // devices run driver code on open; kallsyms is covered by the digest
            }
            String content;
            try {
                content = k.read(path);
            } catch (KernelException e) {
                content = "error " + e.errnoName();
            }
            out.put(path, content);
        }
        return out;
    }

    static void assertSame(Map<String, String> before, Map<String, String> after) {
        assertEquals(before.keySet(), after.keySet());
        for (String key : before.keySet()) {
            String[] a = before.get(key).split("\n", -1);
            String[] b = after.get(key).split("\n", -1);
            for (int i = 0; i < Math.min(a.length, b.length); i++) {
                assertEquals(a[i], b[i], key + ", line " + (i + 1));
            }
            assertEquals(a.length, b.length, key + ": lines");
        }
    }

    @Test
    void aRestoredKernelIsIndistinguishableFromTheSnapshot() {
        try (Kernel k = Kernel.boot()) {
            k.insmod("procfs_example.ko", TestMods.ko("procfs_example"), "");
            k.write("/proc/procfs_example/foo", "before");
            Kernel.Snapshot s = k.snapshot();
            Map<String, String> before = observe(k);
            for (int round = 0; round < 3; round++) {
                k.write("/proc/procfs_example/foo", "changed " + round);
                k.insmod("warn.ko", TestMods.ko("warn"), "");                  // WARN findings, taint W
                assertThrows(KernelException.class, () -> k.insmod("nullderef.ko", TestMods.ko("nullderef"), ""));
                k.rmmod("procfs_example");
                k.insmod("seqlist.ko", TestMods.ko("seqlist"), "count=50");
                k.advance(Duration.ofSeconds(5));
                assertNotEquals(before.get("findings"), observe(k).get("findings"));
                s.restore();
                assertSame(before, observe(k));
                assertEquals("foo = 'before'\n", k.read("/proc/procfs_example/foo"));
            }
            // and the kernel goes on as usual afterwards
            k.rmmod("procfs_example");
            k.insmod("procfs_example.ko", TestMods.ko("procfs_example"), "");
            assertTrue(k.read("/proc/procfs_example/foo").startsWith("foo = "));
        }
    }

    @Test
    void aPanickedKernelComesBack() {
        try (Kernel k = Kernel.boot()) {
            Kernel.Snapshot s = k.snapshot();
            assertThrows(KernelException.class, () -> k.insmod("bug.ko", TestMods.ko("bug"), "where=panic"));
            assertTrue(k.panicked());
            s.restore();
            assertFalse(k.panicked());
            assertTrue(k.findings().isEmpty());
            k.insmod("hello.ko", TestMods.ko("hello"), "");
            assertTrue(k.dmesg().contains("Hello, world 0"), k.dmesg());
        }
    }

    @Test
    void kernelThreadsStartedSinceTheSnapshotEndAtRestore() {
        try (Kernel k = Kernel.boot()) {
            Kernel.Snapshot s = k.snapshot();
            Map<String, String> before = observe(k);
            for (int round = 0; round < 2; round++) {
                k.insmod("kthreads.ko", TestMods.ko("kthreads"), "");
                assertEquals(3, dev.kmodemu.kstubs.sched.KthreadTest.liveKthreads());
                IllegalStateException e = assertThrows(IllegalStateException.class, k::snapshot);
                assertTrue(e.getMessage().contains("while kernel thread kthr_"), e.getMessage());
                s.restore();
                assertEquals(0, dev.kmodemu.kstubs.sched.KthreadTest.liveKthreads());
                assertSame(before, observe(k));
            }
        }
    }

    @Test
    void anOlderSnapshotIsRefusedOnceReplaced() {
        try (Kernel k = Kernel.boot()) {
            Kernel.Snapshot first = k.snapshot();
            Kernel.Snapshot second = k.snapshot();
            assertThrows(IllegalStateException.class, first::restore);
            second.restore();
        }
    }

    @Test
    void initRunsAgainFromAPreparedModule() {
        try (Kernel k = Kernel.boot()) {
            Kernel.PreparedModule m = k.prepareInsmod("hello.ko", TestMods.ko("hello"));
            Kernel.Snapshot s = k.snapshot();
            List<Long> greetings = new ArrayList<>();
            for (int count = 1; count <= 3; count++) {
                m.init("count=" + count);
                assertEquals(count + "\n", k.read("/sys/module/hello/parameters/count"));
                k.rmmod("hello");
                greetings.add(k.log().stream().filter(r -> r.message().startsWith("Hello, world")).count());
                s.restore();
                assertTrue(k.read("/proc/modules").contains(" Loading "), k.read("/proc/modules"));
            }
            assertEquals(List.of(1L, 2L, 3L), greetings);
        }
    }

    @Test
    void faultsInjectedIntoModuleCallsOnly() {
        try (Kernel k = Kernel.boot()) {
            Kernel.PreparedModule m = k.prepareInsmod("procfs_example.ko", TestMods.ko("procfs_example"));
            Kernel.Snapshot s = k.snapshot();
            // the first fail point procfs_example reaches is its proc_mkdir
            k.context().faults().plan((index, point) -> index == 0 ? 1 : 0);
            KernelException e = assertThrows(KernelException.class, () -> m.init(""));
            assertEquals(Errno.ENOMEM, e.errno());
            FaultInjection.Injected first = k.context().faults().injected().get(0);
            assertEquals("proc_mkdir", first.symbol());
            assertTrue(first.caller().startsWith("procfs_example_init+0x"), first.caller());
            s.restore();
            m.init("");
            assertTrue(k.exists("/proc/procfs_example/foo"));
        }
    }
}
