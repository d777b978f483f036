package dev.kmodemu.cli;

import dev.kmodemu.kstubs.Checks;
import dev.kmodemu.kstubs.Kernel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * {@code kmodemu bench}: insmod + init + rmmod of the bundled hello module in a warm JVM, on one
 * booted kernel, and kernel boot time; prints median and percentiles.
 */
@Command(name = "bench", description = "Measure insmod+init+rmmod of the bundled hello module and kernel boot.")
final class Bench implements Callable<Integer> {
    @Option(names = "--warmup", defaultValue = "2000", description = "Warm-up iterations (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--iterations", defaultValue = "2000", description = "Measured iterations (default ${DEFAULT-VALUE}).")
    int iterations;

    @Override
    public Integer call() {
        byte[] hello = Main.bundledModule("hello");
        long[] load = new long[iterations];
        try (Kernel k = Kernel.boot()) {
            for (int i = 0; i < warmup; i++) {
                cycle(k, hello);
            }
            for (int i = 0; i < iterations; i++) {
                long t0 = System.nanoTime();
                cycle(k, hello);
                load[i] = System.nanoTime() - t0;
            }
        }
        int boots = Math.max(10, iterations / 100);
        long[] boot = new long[boots];
        for (int i = 0; i < boots; i++) {
            long t0 = System.nanoTime();
            try (Kernel k = Kernel.boot()) {
                boot[i] = System.nanoTime() - t0;
            }
        }
        System.out.println(stats("insmod+init+rmmod hello (warm JVM, one kernel)", load));
        System.out.println(stats("Kernel.boot() + close (warm JVM)", boot));
        seqFile();
        stubCalls();
        modprobeChain();
        storm();
        if (depmodDir != null) {
            depmod(depmodDir);
        }
        reports();
        sanitizers();
        return 0;
    }

    /**
     * The debug checks' cost: the init of the {@code kmallocheavy} test module (100,000 kmalloc
     * and kfree calls, each object written and read) in a fresh kernel, with no check, with KASAN
     * alone and with every check (the three interleaved, so that other load on the machine falls
     * on all alike); and the guest-to-Java call loop without checks (the figure with them is
     * {@link #stubCalls()}), whose call/ret go through KASAN's memory hook.
     */
    private void sanitizers() {
        byte[] mod = Main.bundledModule("kmallocheavy");
        int n = Math.max(10, iterations / 200);
        Checks[] checks = {Checks.NONE, Checks.NONE.withKasan(true), Checks.ALL};
        String[] names = {"no checks", "KASAN only", "all checks"};
        long[][] t = new long[checks.length][n];
        for (int i = 0; i < n + 2; i++) {
            for (int c = 0; c < checks.length; c++) {
                try (Kernel k = Kernel.boot(Kernel.Options.defaults().withChecks(checks[c]))) {
                    long t0 = System.nanoTime();
                    k.insmod("kmallocheavy.ko", mod, "");
                    long dt = System.nanoTime() - t0;
                    if (i >= 2) {
                        t[c][i - 2] = dt;
                    }
                }
            }
        }
        for (int c = 0; c < checks.length; c++) {
            System.out.println(stats("insmod kmallocheavy (100000 kmalloc), " + names[c], t[c]));
        }
        // hello's cycle: at rmmod, kmemleak scans memory and the leftover check walks the registrations
        byte[] hello = Main.bundledModule("hello");
        int cycles = Math.max(200, iterations / 2);
        for (int c = 0; c < checks.length; c++) {
            long[] h = new long[cycles];
            try (Kernel k = Kernel.boot(Kernel.Options.defaults().withChecks(checks[c]))) {
                for (int i = 0; i < cycles; i++) {
                    cycle(k, hello);
                }
                for (int i = 0; i < cycles; i++) {
                    long t0 = System.nanoTime();
                    cycle(k, hello);
                    h[i] = System.nanoTime() - t0;
                }
            }
            System.out.println(stats("insmod+init+rmmod hello, " + names[c], h));
        }
        stubCalls(Checks.NONE, "guest -> Java stub (strlen) -> guest, no checks");
    }

    @Option(names = "--depmod", paramLabel = "DIR",
            description = "Also time depmod over DIR (e.g. Debian's lib/modules/RELEASE), writing nothing.")
    java.nio.file.Path depmodDir;

    /**
     * modprobe of chain_c (chain_a, then chain_b first) from a module directory of the bundled
     * test modules, then modprobe -r of the stack, in one kernel.
     */
    private void modprobeChain() {
        java.nio.file.Path dir;
        try {
            dir = java.nio.file.Files.createTempDirectory("kmodemu-bench");
            java.nio.file.Path extra = java.nio.file.Files.createDirectories(dir.resolve("kernel/extra"));
            for (String m : new String[] {"chain_a", "chain_b", "chain_c"}) {
                java.nio.file.Files.write(extra.resolve(m + ".ko"), Main.bundledModule("symexp", m));
            }
            dev.kmodemu.loader.kmod.Depmod.run(dir, dev.kmodemu.loader.kmod.Depmod.Options.defaults()).writeTo(dir);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        int n = Math.max(50, iterations / 4);
        long[] t = new long[n];
        try (Kernel k = Kernel.boot(Kernel.Options.defaults().withModules(dir))) {
            var rm = dev.kmodemu.loader.kmod.ModuleIndex.ModprobeOptions.of(dev.kmodemu.loader.kmod.ModuleIndex.Flag.REMOVE);
            for (int i = 0; i < n + 50; i++) {
                long t0 = System.nanoTime();
                k.modprobe("chain_c");
                long t1 = System.nanoTime();
                k.modprobe(java.util.List.of("chain_c"), rm);
                k.clearLog();
                if (i >= 50) {
                    t[i - 50] = t1 - t0;
                }
            }
        }
        System.out.println(stats("modprobe of a 3-deep chain", t));
    }

    /**
     * The storm module's init with only one kind of deferred thing each: 10,000 timer_lists (armed
     * 1 to 10 jiffies out, init sleeping on a wait queue until all fired), 10,000 work items, and
     * 10,000 completion ping-pong rounds with a kernel thread (two context switches each).
     */
    private void storm() {
        byte[] storm = Main.bundledModule("storm");
        String[][] kinds = {{"10,000 timer callbacks", "timers=10000 works=0 switches=0"},
            {"10,000 work items", "timers=0 works=10000 switches=0"},
            {"20,000 context switches (kthread ping-pong)", "timers=0 works=0 switches=10000"}};
        int n = Math.max(5, iterations / 200);
        for (String[] kind : kinds) {
            long[] t = new long[n];
            try (Kernel k = Kernel.boot()) {
                for (int i = 0; i < n + 3; i++) {
                    long t0 = System.nanoTime();
                    k.insmod("storm.ko", storm, kind[1]);
                    long t1 = System.nanoTime();
                    k.rmmod("storm");
                    k.clearLog();
                    if (i >= 3) {
                        t[i - 3] = t1 - t0;
                    }
                }
            }
            System.out.println(stats("insmod storm: " + kind[0], t));
        }
    }

    private void depmod(java.nio.file.Path dir) {
        long[] t = new long[3];
        int modules = 0;
        for (int i = 0; i < t.length; i++) {
            long t0 = System.nanoTime();
            var r = dev.kmodemu.loader.kmod.Depmod.run(dir, dev.kmodemu.loader.kmod.Depmod.Options.defaults());
            t[i] = System.nanoTime() - t0;
            modules = r.text("modules.dep").split("\n").length;
        }
        System.out.println(stats("depmod over " + modules + " modules (no writing)", t));
    }


    /**
     * The cost of reports: insmod+rmmod of the warn module (three WARN reports, each with registers
     * and an ORC-unwound call trace, in init), to compare with hello's cycle; and the stack overflow of the
     * recurse module (a 62-frame trace over a full 16 KiB stack, then the panic) in a fresh kernel.
     */
    private void reports() {
        byte[] warn = Main.bundledModule("warn");
        int n = Math.max(50, iterations / 10);
        long[] t = new long[n];
        try (Kernel k = Kernel.boot()) {
            for (int i = 0; i < n * 2; i++) {
                long t0 = System.nanoTime();
                k.insmod("warn.ko", warn, "");
                k.rmmod("warn");
                k.clearLog();
                if (i >= n) {
                    t[i - n] = System.nanoTime() - t0;
                }
            }
        }
        System.out.println(stats("insmod+init+rmmod warn (3 WARN reports)", t));
        byte[] recurse = Main.bundledModule("recurse");
        int m = Math.max(10, iterations / 100);
        long[] overflow = new long[m];
        for (int i = 0; i < m * 2; i++) {
            try (Kernel k = Kernel.boot()) {
                long t1 = System.nanoTime();
                try {
                    k.insmod("recurse.ko", recurse, "");
                } catch (dev.kmodemu.kstubs.KernelException expected) {
                    // the stack overflow panics the kernel
                }
                if (i >= m) {
                    overflow[i - m] = System.nanoTime() - t1;
                }
            }
        }
        System.out.println(stats("insmod recurse (stack overflow report + panic)", overflow));
        unwind(recurse);
    }

    /**
     * The ORC walk alone: the stack the recurse module overflowed (16 KiB, 62 frames), walked again
     * from the oops's registers as {@code show_trace_log_lvl()} does, and its addresses symbolized.
     */
    private void unwind(byte[] recurse) {
        try (Kernel k = Kernel.boot()) {
            try {
                k.insmod("recurse.ko", recurse, "");
            } catch (dev.kmodemu.kstubs.KernelException expected) {
                // the stack overflow panics the kernel; its memory stays for the walk
            }
            var f = k.findings().get(0);
            String rsp = f.log().stream().filter(l -> l.startsWith("RSP: 0018:")).findFirst().orElseThrow();
            long sp = Long.parseUnsignedLong(rsp.substring(10, 26), 16);
            var c = k.context();
            var region = c.mem().find(sp + 4096);
            var stack = new dev.kmodemu.firmware.Machine.Stack(region, region.end());
            var unwinder = c.machine().unwinder();
            var regs = new dev.kmodemu.firmware.Unwinder.Regs(f.ip(), sp, 0, new long[16]);
            var ks = c.machine().kallsyms();
            int n = Math.max(1000, iterations * 5);
            long[] walk = new long[n];
            long[] names = new long[n];
            for (int i = 0; i < n * 2; i++) {
                long t0 = System.nanoTime();
                var items = unwinder.trace(regs, 0, stack);
                long t1 = System.nanoTime();
                for (var it : items) {
                    if (it instanceof dev.kmodemu.firmware.Unwinder.Address a) {
                        ks.backtrace(a.address());
                    }
                }
                if (i >= n) {
                    walk[i - n] = t1 - t0;
                    names[i - n] = System.nanoTime() - t1;
                }
            }
            System.out.println(stats("ORC walk of a full 16 KiB stack (62 frames)", walk));
            System.out.println(stats("  symbolizing its 62 addresses", names));
        }
    }


    /** cat of /proc/seqlist with 30000 entries: about 1 MiB from 30000 seq_printf calls. */
    private void seqFile() {
        try (Kernel k = Kernel.boot()) {
            k.insmod("seqlist.ko", Main.bundledModule("seqlist"), "count=30000");
            int size = k.readBytes("/proc/seqlist").length;
            int n = Math.max(5, iterations / 200);
            long[] t = new long[n];
            for (int i = 0; i < n + 3; i++) {
                long t0 = System.nanoTime();
                k.readBytes("/proc/seqlist");
                if (i >= 3) {
                    t[i - 3] = System.nanoTime() - t0;
                }
            }
            System.out.println(stats("cat /proc/seqlist (" + size + " bytes, 30000 seq_printf)", t));
        }
    }

    /**
     * Guest code calling a Java-implemented kernel function in a loop: {@code mov $N,%ebx; 1: mov
     * %r12,%rdi; call strlen; dec %ebx; jnz 1b; ret}. Reports the cost of one guest→Java→guest call.
     */
    private void stubCalls() {
        stubCalls(Checks.ALL, "guest -> Java stub (strlen) -> guest");
    }

    private void stubCalls(Checks checks, String what) {
        int calls = 200_000;
        try (Kernel k = Kernel.boot(Kernel.Options.defaults().withChecks(checks))) {
            var c = k.context();
            var page = c.machine().moduleArea().allocate(4096, 4096, dev.kmodemu.emu.AddressSpace.RW, "bench");
            long at = page.base();
            long str = c.kstrdup("kmodemu");
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(64).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            b.put(new byte[] {0x53, 0x41, 0x54});                              // push %rbx; push %r12
            b.put(new byte[] {0x49, (byte) 0xbc}).putLong(str);                 // movabs $str,%r12
            b.put(new byte[] {(byte) 0xbb}).putInt(calls);                      // mov $calls,%ebx
            int loop = b.position();
            b.put(new byte[] {0x4c, (byte) 0x89, (byte) 0xe7});                 // mov %r12,%rdi
            b.put((byte) 0xe8).putInt((int) (c.sym("strlen") - (at + b.position() + 4)));  // call strlen
            b.put(new byte[] {(byte) 0xff, (byte) 0xcb});                       // dec %ebx
            b.put(new byte[] {0x75, (byte) (loop - (b.position() + 2))});       // jnz loop
            b.put(new byte[] {0x41, 0x5c, 0x5b, (byte) 0xc3});                  // pop %r12; pop %rbx; ret
            c.mem().poke(at, java.util.Arrays.copyOf(b.array(), b.position()));
            c.mem().protect(at, 4096, dev.kmodemu.emu.AddressSpace.RX);
            long[] t = new long[7];
            for (int i = 0; i < t.length + 2; i++) {
                long t0 = System.nanoTime();
                k.process("bench", () -> c.call(at));
                if (i >= 2) {
                    t[i - 2] = (System.nanoTime() - t0) / calls;
                }
            }
            long[] s = t.clone();
            Arrays.sort(s);
            System.out.printf("%-48s n=%d runs of %d calls  median %d ns per call%n", what, s.length, calls,
                    s[s.length / 2]);
        }
    }

    private static void cycle(Kernel k, byte[] hello) {
        k.insmod("hello.ko", hello, "");
        k.rmmod("hello");
        k.clearLog();
    }

    static String stats(String what, long[] ns) {
        long[] s = ns.clone();
        Arrays.sort(s);
        return String.format("%-48s n=%d  median %.3f ms  p10 %.3f ms  p90 %.3f ms  p99 %.3f ms", what, s.length,
                s[s.length / 2] / 1e6, s[s.length / 10] / 1e6, s[s.length * 9 / 10] / 1e6, s[s.length * 99 / 100] / 1e6);
    }
}
