package dev.kmodemu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kmodemu.testmods.TestMods;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kmodemu command as a user runs it: output, error messages and exit statuses. */
class CliTest {
    record Run(int status, String out, String err) {
    }

    static synchronized Run kmodemu(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int status = Main.execute(args, System.out, System.err);
            return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static String ko(String mod) {
        return TestMods.path(mod).toString();
    }

    static final String TS = "[    0.000000] ";

    @Test
    void runWithoutArgumentsRunsTheBundledHello() {
        Run r = kmodemu("run");
        assertEquals(0, r.status(), r.err());
        assertEquals(TS + "hello: loading out-of-tree module taints kernel.\n"
                + TS + "hello: module verification failed: signature and/or required key missing - tainting kernel\n"
                + TS + "Hello, world 0\n"
                + TS + "Goodbye, world (count was 1)\n", r.out());
        assertEquals("", r.err());
    }

    @Test
    void runPassesParameters() {
        Run r = kmodemu("run", ko("hello"), "count=2");
        assertEquals(0, r.status());
        assertTrue(r.out().contains(TS + "Hello, world 1\n" + TS + "Goodbye, world (count was 2)\n"), r.out());
    }

    @Test
    void initFailureIsInsmodsError() {
        Run r = kmodemu("run", ko("failinit"));
        assertEquals(1, r.status());
        assertEquals("insmod: ERROR: could not insert module " + ko("failinit") + ": No such device\n", r.err());
        assertTrue(r.out().contains("failinit: init called, failing with -19"), r.out());
    }

    @Test
    void missingSymbolsAreReportedOneLineEach() {
        Run r = kmodemu("run", ko("missingsym"));
        assertEquals(1, r.status());
        assertEquals("insmod: ERROR: could not insert module " + ko("missingsym") + ": Unknown symbol in module\n",
                r.err());
        assertTrue(r.out().contains(TS + "missingsym: Unknown symbol kmodemu_no_such_symbol (err -2)\n"
                + TS + "missingsym: Unknown symbol kmodemu_missing_too (err -2)\n"), r.out());
    }

    @Test
    void nullDereferenceOopsesAndKillsInsmod() {
        Run r = kmodemu("run", ko("nullderef"));
        assertEquals(137, r.status());
        assertEquals("Killed\n", r.err());
        assertTrue(r.out().contains(TS + "BUG: kernel NULL pointer dereference, address: 0000000000000000\n"), r.out());
        assertTrue(r.out().contains(TS + "RIP: 0010:nullderef_init+0x28/0x1000 [nullderef]\n"), r.out());
    }

    @Test
    void debugChecksAreOnUnlessSwitchedOff() {
        Run r = kmodemu("run", ko("slabbug"), "bug=oob");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains(TS + "BUG: KASAN: slab-out-of-bounds in slabbug_init+"), r.out());
        Run off = kmodemu("run", "--no-kasan", ko("slabbug"), "bug=oob");
        assertEquals(0, off.status(), off.err());
        assertFalse(off.out().contains("KASAN"), off.out());
        assertTrue(off.out().contains(TS + "slabbug: loaded\n" + TS + "slabbug: exit\n"), off.out());

        assertTrue(kmodemu("run", ko("memleak")).out().contains(TS + "kmemleak: unreferenced object 0x"));
        assertFalse(kmodemu("run", "--no-kmemleak", ko("memleak")).out().contains("kmemleak"));
    }

    @Test
    void endlessLoopIsStoppedWithASoftLockupReport() {
        Run r = kmodemu("run", "--timeout", "0.5", ko("spin"));
        assertEquals(137, r.status());
        assertEquals("Killed\n", r.err());
        assertTrue(r.out().contains("watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [insmod:100]"), r.out());
        assertTrue(r.out().contains("RIP: 0010:spin_init+"), r.out());
    }

    @Test
    void badFilesAreRefusedLikeTheKernelDoes(@TempDir Path dir) throws Exception {
        byte[] hello = TestMods.ko("hello");
        Path empty = Files.write(dir.resolve("empty.ko"), new byte[0]);
        Path trunc = Files.write(dir.resolve("trunc.ko"), Arrays.copyOf(hello, 100));
        Path text = Files.writeString(dir.resolve("text.ko"), "this is not an ELF object at all, just text\n".repeat(3));
        byte[] elf32 = Arrays.copyOf(hello, hello.length);
        elf32[4] = 1;     // ELFCLASS32
        elf32[18] = 3;    // EM_386
        Path i386 = Files.write(dir.resolve("i386.ko"), elf32);
        Path exec = Path.of("/bin/ls");
        // A relocatable object that never went through modpost: no .modinfo, no .gnu.linkonce.this_module.
        byte[] obj = Arrays.copyOf(hello, hello.length);
        var elf = dev.kmodemu.loader.ElfFile.parse(hello);
        long shoff = java.nio.ByteBuffer.wrap(hello).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(40);
        for (String n : new String[] {".modinfo", ".gnu.linkonce.this_module"}) {
            int flagsAt = (int) (shoff + elf.findAnySec(n).index() * 64L + 8);
            java.nio.ByteBuffer.wrap(obj).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(flagsAt, 0);
        }
        Path plain = Files.write(dir.resolve("plain.o"), obj);
        String[][] cases = {
            {empty.toString(), "Invalid parameters", null},
            {trunc.toString(), "Invalid module format", "Invalid ELF section header overflow"},
            {text.toString(), "Invalid module format", "Invalid ELF header magic: != \\x7fELF"},
            {i386.toString(), "Invalid module format", "Invalid architecture in ELF header: 3"},
            {exec.toString(), "Invalid module format", "Invalid ELF header type: 3 != 1"},
            {plain.toString(), "Invalid module format",
                "(missing .modinfo section or name field): No module found in object"},
            {dir.resolve("nonexistent.ko").toString(), null, null},
        };
        for (String[] c : cases) {
            Run r = kmodemu("run", c[0]);
            assertEquals(1, r.status(), c[0]);
            if (c[1] == null) {
                assertEquals("insmod: ERROR: could not load module " + c[0] + ": No such file or directory\n", r.err());
            } else {
                assertEquals("insmod: ERROR: could not insert module " + c[0] + ": " + c[1] + "\n", r.err());
            }
            if (c[2] != null) {
                assertEquals(TS + c[2] + "\n", r.out());
            } else {
                assertEquals("", r.out());
            }
        }
    }

    @Test
    void shellRunsTheModuleToolsAgainstOneKernel() {
        String hello = ko("hello");
        Run r = kmodemu("sh", "-c", "insmod " + hello + " count=3; lsmod; cat /sys/module/hello/parameters/count;"
                + " echo 7 > /sys/module/hello/parameters/count; cat /sys/module/hello/parameters/count /proc/modules;"
                + " insmod " + hello + "; rmmod hello; rmmod hello; cat /nope; lsmod");
        assertEquals("Module                  Size  Used by\n"
                + "hello                  16384  0\n"
                + "3\n"
                + "7\n"
                + "hello 16384 0 - Live 0xffffffffc0201000 (OE)\n"
                + "Module                  Size  Used by\n", r.out());
        assertEquals("insmod: ERROR: could not insert module " + hello + ": File exists\n"
                + "rmmod: ERROR: Module hello is not currently loaded\n"
                + "cat: /nope: No such file or directory\n", r.err());
        assertEquals(0, r.status());
    }

    @Test
    void shellReportsErrorsAsBashDoes() {
        Run r = kmodemu("sh", "-c", "insmod " + ko("hello") + "\necho abc > /sys/module/hello/parameters/count\n"
                + "echo 1 > /sys/module/hello/refcnt\necho 1 > /nowhere/x\nfrobnicate");
        assertEquals("sh: line 2: echo: write error: Invalid argument\n"
                + "sh: line 3: /sys/module/hello/refcnt: Permission denied\n"
                + "sh: line 4: /nowhere/x: No such file or directory\n"
                + "sh: line 5: frobnicate: command not found\n", r.err());
        assertEquals(127, r.status());
    }

    @Test
    void dmesgRawAndClear() {
        Run r = kmodemu("sh", "-c", "insmod " + ko("hello") + "; dmesg -r; dmesg -C; dmesg; rmmod hello; dmesg -c; dmesg");
        assertEquals("<4>" + TS + "hello: loading out-of-tree module taints kernel.\n"
                + "<5>" + TS + "hello: module verification failed: signature and/or required key missing - tainting kernel\n"
                + "<6>" + TS + "Hello, world 0\n"
                + TS + "Goodbye, world (count was 1)\n", r.out());
    }

    @Test
    void modinfoPrintsWhatKmodPrints() {
        // expected/modinfo.txt is kmod 30's modinfo output for the same module.
        for (String mod : new String[] {"hello", "params", "initmod", "modalias"}) {
            Run r = kmodemu("modinfo", ko(mod));
            assertEquals(0, r.status());
            assertEquals(TestMods.expected(mod, "modinfo.txt").replace("@PATH@", ko(mod)), r.out(), mod);
        }
        Run f = kmodemu("modinfo", "-F", "license", ko("hello"));
        assertEquals("GPL\n", f.out());
        Run missing = kmodemu("modinfo", "/no/such.ko");
        assertEquals(1, missing.status());
        assertEquals("modinfo: ERROR: Module /no/such.ko not found.\n", missing.err());
    }

    @Test
    void modinfoShowsTheSignatureAsKmodReadsIt(@TempDir Path dir) throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        java.security.KeyPair key = g.generateKeyPair();
        org.bouncycastle.asn1.x500.X500Name name = new org.bouncycastle.asn1.x500.X500Name("CN=kmodemu test key");
        var cert = new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(name, java.math.BigInteger.valueOf(0xbeef),
                new java.util.Date(0), new java.util.Date(4102444800000L), name, key.getPublic())
                .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withRSA").build(key.getPrivate()));
        byte[] hello = Files.readAllBytes(Path.of(ko("hello")));
        Path signed = dir.resolve("hello.ko");
        Files.write(signed, dev.kmodemu.kstubs.module.ModuleSignature.sign(hello, key.getPrivate(), cert));
        // a signature without authenticated attributes is RSA over the module's SHA-256
        java.security.Signature rsa = java.security.Signature.getInstance("SHA256withRSA");
        rsa.initSign(key.getPrivate());
        rsa.update(hello);
        byte[] sig = rsa.sign();
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < sig.length; i++) {
            hex.append(String.format(i == 0 ? "%02X" : i % 20 == 0 ? ":\n\t\t%02X" : ":%02X", sig[i] & 0xff));
        }
        String expected = TestMods.expected("hello", "modinfo.txt").replace("@PATH@", signed.toString())
                .replace("parm:", "sig_id:         PKCS#7\n"
                        + "signer:         kmodemu test key\n"
                        + "sig_key:        BE:EF\n"
                        + "sig_hashalgo:   sha256\n"
                        + "signature:      " + hex + "\n"
                        + "parm:");
        Run r = kmodemu("modinfo", signed.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals(expected, r.out());
        assertEquals("kmodemu test key\n", kmodemu("modinfo", "-F", "signer", signed.toString()).out());
    }

    @Test
    void jsonReportHasCommandsAndLog() throws Exception {
        Run r = kmodemu("run", "--json", ko("failinit"));
        assertEquals(1, r.status());
        JsonNode j = new ObjectMapper().readTree(r.out());
        JsonNode cmd = j.get("commands").get(0);
        assertTrue(cmd.get("command").asText().startsWith("insmod "));
        assertEquals(1, cmd.get("status").asInt());
        assertEquals("", cmd.get("stdout").asText());
        assertTrue(cmd.get("stderr").asText().endsWith(": No such device\n"));
        JsonNode last = j.get("log").get(j.get("log").size() - 1);
        assertEquals(6, last.get("level").asInt());
        assertEquals("failinit", last.get("module").asText());
        assertEquals("failinit: init called, failing with -19", last.get("text").asText());
        assertEquals(0.0, last.get("time").asDouble());
        assertFalse(j.get("log").get(0).has("junk"));
    }

    @Test
    void procFilesFromTheShell() {
        String m = ko("procfs_example");
        Run r = kmodemu("sh", "-c", "insmod " + m + "; ls /proc/procfs_example; echo hello > /proc/procfs_example/foo;"
                + " cat /proc/procfs_example/foo; echo -n hi > /proc/procfs_example/bar; cat /proc/procfs_example/bar; head -c 6 /proc/procfs_example/info; echo;"
                + " dd if=/proc/procfs_example/info bs=4 count=2 skip=1 status=none; echo;"
                + " cat /proc/procfs_example/jiffies_too /proc/procfs_example/nosuch; rmmod procfs_example; ls /proc");
        assertEquals("bar\nfoo\ninfo\njiffies_too\n"
                + "foo = 'hello\n'\n"
                + "bar = 'hi'\n"
                + "module\n"
                + "le = 'pr\n"
                + "module = 'procfs_example'\nfiles = 'info foo bar jiffies_too'\n"
                + "consoles\ncrypto\ndevices\ndma\niomem\nioports\nkallsyms\nmisc\nmodules\nnet\nsys\nversion\n", r.out());
        assertEquals("cat: /proc/procfs_example/nosuch: No such file or directory\n", r.err());
    }

    @Test
    void ddReportsRecordsAsCoreutilsDoes() {
        Run r = kmodemu("sh", "-c", "insmod " + ko("procfs_example") + "; dd if=/proc/procfs_example/info bs=10 count=3");
        assertEquals("module = 'procfs_example'\nfile", r.out());
        assertEquals("3+0 records in\n3+0 records out\n30 bytes copied, 0 s, Infinity B/s\n", r.err());
    }

    @Test
    void depmodAndModprobeOverAModuleDirectory(@TempDir Path tmp) throws Exception {
        Path extra = tmp.resolve("kernel/extra");
        Files.createDirectories(extra);
        for (String m : new String[] {"chain_a", "chain_b", "chain_c"}) {
            Files.write(extra.resolve(m + ".ko"), TestMods.ko("symexp", m));
        }
        Files.write(extra.resolve("hello.ko"), TestMods.ko("hello"));
        String rel = "/lib/modules/" + dev.kmodemu.firmware.Profile.get().release();
        Run r = kmodemu("sh", "--modules", tmp.toString(), "-c", "depmod -w; modprobe -D chain_b; "
                + "modprobe chain_c; lsmod; modinfo -F filename hello; rmmod chain_a; modprobe -r chain_c; lsmod; "
                + "modprobe nosuch; modprobe -h > /dev/null");
        assertEquals("insmod " + rel + "/kernel/extra/chain_a.ko \n"
                + "insmod " + rel + "/kernel/extra/chain_b.ko \n"
                + "Module                  Size  Used by\n"
                + "chain_c                16384  0\n"
                + "chain_b                16384  1 chain_c\n"
                + "chain_a                16384  1 chain_b\n"
                + rel + "/kernel/extra/hello.ko\n"
                + "Module                  Size  Used by\n"
                + "chain_a                16384  0\n", r.out());
        // depmod first warns, as kmod's does, about the modules.order and modules.builtin files a
        // kernel build would have put there
        assertTrue(r.err().startsWith("depmod: WARNING: could not open modules.order at " + rel
                + ": No such file or directory\n"), r.err());
        assertTrue(r.err().endsWith("rmmod: ERROR: Module chain_a is in use by: chain_b\n"
                + "modprobe: FATAL: Module nosuch not found in directory " + rel + "\n"), r.err());
        assertEquals("kernel/extra/chain_c.ko: kernel/extra/chain_b.ko kernel/extra/chain_a.ko",
                Files.readAllLines(tmp.resolve("modules.dep")).stream().filter(l -> l.startsWith("kernel/extra/chain_c"))
                        .findFirst().orElseThrow());
        assertTrue(Files.exists(tmp.resolve("modules.dep.bin")));
        assertEquals(0, r.status());
    }

    @Test
    void jsonListsFindings() throws Exception {
        Run r = kmodemu("sh", "--json", "-c", "insmod " + ko("warn") + "; insmod " + ko("nullderef"));
        assertEquals(137, r.status());
        JsonNode j = new ObjectMapper().readTree(r.out());
        JsonNode f = j.get("findings");
        assertEquals(4, f.size());
        assertEquals("warning", f.get(0).get("type").asText());
        assertEquals("warn", f.get(0).get("module").asText());
        assertFalse(f.get(0).get("fatal").asBoolean());
        JsonNode oops = f.get(3);
        assertEquals("oops", oops.get("type").asText());
        assertEquals("nullderef_init+0x28/0x1000 [nullderef]", oops.get("symbol").asText());
        assertEquals("0x0", oops.get("address").asText());
        assertEquals("write", oops.get("access").asText());
        assertEquals("do_one_initcall+0x59/0x220", oops.get("trace").get(0).get("symbol").asText());
        assertTrue(oops.get("trace").get(0).get("reliable").asBoolean());
        assertTrue(oops.get("log").get(0).asText().startsWith("BUG: kernel NULL pointer dereference"));
        assertEquals("Killed\n", j.get("commands").get(1).get("stderr").asText());
    }

    @Test
    void bugKillsWithSegmentationFault() {
        Run r = kmodemu("sh", "-c", "insmod " + ko("bug") + "; echo still here; lsmod");
        assertEquals(0, r.status());
        assertEquals("Segmentation fault\n", r.err());
        assertEquals("still here\nModule                  Size  Used by\nbug                    16384  1\n", r.out());
    }

    @Test
    void aPanicStopsTheScript() {
        Run r = kmodemu("sh", "-c", "insmod " + ko("bug") + " where=panic; echo never; dmesg");
        assertEquals(137, r.status());
        assertEquals("kmodemu: the kernel panicked: bug: panic requested, where=panic; the machine is stopped\n",
                r.err());
        assertEquals("", r.out());
    }

    @Test
    void instructionBudgetStopsAnEndlessLoop() {
        Run r = kmodemu("run", "--max-blocks", "10000", ko("spin"));
        assertEquals(137, r.status());
        assertTrue(r.out().contains("[   22.000000] watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [insmod:100]\n"),
                r.out());
        assertTrue(r.out().contains("]  do_one_initcall+0x59/0x220\n"), r.out());
        Run bad = kmodemu("run", "--max-blocks", "0", ko("spin"));
        assertEquals(70, bad.status());
        assertEquals("kmodemu: --max-blocks must be positive\n", bad.err());
    }

    @Test
    void traceShowsKernelCallsAndInstructions(@TempDir Path dir) throws Exception {
        Path calls = dir.resolve("calls.txt");
        Path insns = dir.resolve("insns.txt");
        Run r = kmodemu("run", "--trace", calls.toString(), "--trace-insn", insns.toString(), "--trace-function",
                "hello_init", ko("hello"));
        assertEquals(0, r.status(), r.err());
        assertEquals("_printk(\"\\0016Hello, world %d\\n\", ...) = 14\n", Files.readString(calls));
        String asm = Files.readString(insns);
        assertTrue(asm.lines().allMatch(l -> l.contains(" hello_init+0x")), asm);
        assertTrue(asm.contains("callq 0xffffffff"), asm);
    }

    @Test
    void deviceNodesFromTheShell() {
        Run r = kmodemu("sh", "-c", "insmod " + ko("cdevioctl") + " ndevs=3; insmod " + ko("chardev") + ";"
                + " ls -l /dev/chardev /dev; cat /dev/chardev /dev/chardev; echo hi > /dev/chardev;"
                + " echo 9 > /dev/cdevioctl2; cat /dev/cdevioctl2; rmmod cdevioctl; ls /dev");
        assertEquals("crw------- 1 root root 245, 0 Jan  1 00:00 /dev/chardev\n"
                + "\n/dev:\ntotal 0\n"
                + "crw-rw-rw- 1 root root 246, 0 Jan  1 00:00 cdevioctl0\n"
                + "crw------- 1 root root 246, 1 Jan  1 00:00 cdevioctl1\n"
                + "crw------- 1 root root 246, 2 Jan  1 00:00 cdevioctl2\n"
                + "crw------- 1 root root 245, 0 Jan  1 00:00 chardev\n"
                + "This device has been opened 0 times before.\n"
                + "This device has been opened 1 times before.\n"
                + "value=9\n"
                + "chardev\n", r.out());
        assertEquals("sh: line 1: echo: write error: Invalid argument\n", r.err());
    }

    @Test
    void ioctlPrintsTheCallAsStraceAndTheBufferAsHexdump() {
        Run r = kmodemu("sh", "-c", "insmod " + ko("cdevioctl") + "; ioctl /dev/cdevioctl1 '_IOR(k, 1, int)';"
                + " ioctl /dev/cdevioctl1 \"_IOW('k',2,int)\" 7; ioctl /dev/cdevioctl1 0x80046b01;"
                + " ioctl /dev/cdevioctl1 '_IOWR(k,3,32)' -x 05000000686921; ioctl -3 /dev/cdevioctl1 '_IOR(k,1,4)';"
                + " ioctl /dev/cdevioctl1 '_IO(k,5)'");
        assertEquals(0, r.status(), r.err());
        assertEquals("ioctl(3, _IOC(_IOC_READ, 0x6b, 0x1, 0x4), 0x7f0000021000) = 0\n"
                + "00000000  2b 00 00 00                                       |+...|\n"
                + "00000004\n"
                + "ioctl(3, _IOC(_IOC_WRITE, 0x6b, 0x2, 0x4), 0x7f0000021000) = 0\n"
                + "ioctl(3, _IOC(_IOC_READ, 0x6b, 0x1, 0x4), 0x7f0000021000) = 0\n"
                + "00000000  07 00 00 00                                       |....|\n"
                + "00000004\n"
                + "ioctl(3, _IOC(_IOC_READ|_IOC_WRITE, 0x6b, 0x3, 0x20), 0x7f0000021000) = 0\n"
                + "00000000  07 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|\n"
                + "00000010  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|\n"
                + "00000020\n"
                + "ioctl(3, _IOC(_IOC_READ, 0x6b, 0x1, 0x4), 0x10000000) = 0\n"
                + "00000000  05 00 00 00                                       |....|\n"
                + "00000004\n"
                + "ioctl(3, _IOC(_IOC_NONE, 0x6b, 0x5, 0), 0) = 6\n", r.out());
    }

    @Test
    void ioctlErrors() {
        Run r = kmodemu("sh", "-c", "insmod " + ko("cdevioctl") + "; ioctl /dev/cdevioctl0 '_IO(k,99)';"
                + " ioctl -a /dev/cdevioctl0 '_IOR(k,1,int)' 0; ioctl /dev/nosuch 1; ioctl /dev/cdevioctl0 '_IOR(k,1)';"
                + " ioctl /dev/cdevioctl0");
        assertEquals("ioctl(3, _IOC(_IOC_NONE, 0x6b, 0x63, 0), 0) = -1 ENOTTY (Inappropriate ioctl for device)\n"
                + "ioctl(3, _IOC(_IOC_READ, 0x6b, 0x1, 0x4), 0) = -1 EFAULT (Bad address)\n", r.out());
        assertEquals("ioctl: cannot open '/dev/nosuch': No such file or directory\n"
                + "ioctl: invalid command '_IOR(k,1)'\n"
                + "Usage: ioctl [-3] [-a] [-x HEX] DEVICE COMMAND [ARG]\n", r.err());
        assertEquals(2, r.status());
    }

    @Test
    void irqRunsTheHandlersOfALine() {
        Run r = kmodemu("sh", "-c", "insmod " + ko("irqtest") + " irqs=5; irq 5; irq 6; cat /proc/irqtest; irq 99");
        assertEquals("1\n", r.out());
        assertEquals("irq: 99: no such interrupt line\n", r.err());
        assertEquals(2, r.status());
        assertEquals(java.util.List.of(0, 0, 1, 0, 2), kmodemuStatuses("sh", "--json", "-c", "insmod " + ko("irqtest")
                + " irqs=5; irq 5; irq 6; cat /proc/irqtest; irq 99"));
    }

    @Test
    void mmapPrintsTheCallsAsStraceAndTheMappingAsHexdump() {
        Run r = kmodemu("sh", "-c", "insmod " + ko("mmapdev") + "; mmap -x 6869 /dev/mmap_kbuf 32 0x1000;"
                + " mmap -p -x 41 /dev/mmap_kbuf 16; mmap /dev/mmap_kbuf 4096; mmap /dev/mmap_none 16;"
                + " mmap /dev/mmap_fault 16384; mmap /dev/nosuch 1; mmap /dev/mmap_kbuf");
        assertEquals("mmap(NULL, 32, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0x1000) = 0x7ffff7ffe000\n"
                + "00000000  68 69 75 66 20 70 61 67  65 20 31 00 00 00 00 00  |hiuf page 1.....|\n"
                + "00000010  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|\n"
                + "00000020\n"
                + "munmap(0x7ffff7ffe000, 32) = 0\n"
                + "mmap(NULL, 16, PROT_READ|PROT_WRITE, MAP_PRIVATE, 3, 0) = 0x7ffff7ffe000\n"
                + "00000000  41 62 75 66 20 70 61 67  65 20 30 00 00 00 00 00  |Abuf page 0.....|\n"
                + "00000010\n"
                + "munmap(0x7ffff7ffe000, 16) = 0\n"
                + "mmap(NULL, 4096, PROT_READ, MAP_SHARED, 3, 0) = 0x7ffff7ffe000\n"
                + "00000000  6b 62 75 66 20 70 61 67  65 20 30 00 00 00 00 00  |kbuf page 0.....|\n"
                + "00000010  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|\n"
                + "*\n"
                + "00001000\n"
                + "munmap(0x7ffff7ffe000, 4096) = 0\n"
                + "mmap(NULL, 16, PROT_READ, MAP_SHARED, 3, 0) = -1 ENODEV (No such device)\n"
                + "mmap(NULL, 16384, PROT_READ, MAP_SHARED, 3, 0) = 0x7ffff7ffb000\n", r.out());
        assertEquals("Bus error\nmmap: cannot open '/dev/nosuch': No such file or directory\n"
                + "Usage: mmap [-w] [-p] [-x HEX] FILE LENGTH [OFFSET]\n", r.err());
        assertEquals(java.util.List.of(0, 0, 0, 0, 1, 135, 1, 2), kmodemuStatuses("sh", "--json", "-c", "insmod "
                + ko("mmapdev") + "; mmap -x 6869 /dev/mmap_kbuf 32 0x1000; mmap -p -x 41 /dev/mmap_kbuf 16;"
                + " mmap /dev/mmap_kbuf 4096; mmap /dev/mmap_none 16; mmap /dev/mmap_fault 16384; mmap /dev/nosuch 1;"
                + " mmap /dev/mmap_kbuf"));
    }

    private static java.util.List<Integer> kmodemuStatuses(String... args) {
        try {
            JsonNode j = new ObjectMapper().readTree(kmodemu(args).out());
            java.util.List<Integer> out = new java.util.ArrayList<>();
            j.get("commands").forEach(c -> out.add(c.get("status").asInt()));
            return out;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
