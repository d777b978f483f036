package dev.kmodemu.fuzz;

import dev.kmodemu.kstubs.KernelException;
import dev.kmodemu.testmods.TestMods;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fuzzer against modules with planted bugs: each is found with a fixed seed, within a bounded
 * number of executions (the campaign stops at the finding; the time limit is only a safety net).
 */
class FuzzerTest {
    /** A generous wall-time net: the run bounds make the tests deterministic. */
    static final Duration NET = Duration.ofSeconds(60);

    static Fuzzer.Builder fuzz(String module) {
        return Fuzzer.forModule(module + ".ko", TestMods.ko("fuzzbugs", module)).seed(1).maxTime(NET);
    }

    static FuzzFinding only(FuzzResult r, String keyPrefix) {
        FuzzFinding f = r.finding(keyPrefix);
        assertNotNull(f, "no " + keyPrefix + " among " + r.findings());
        return f;
    }

    @Test
    void doubleFreeWhenTheThirdAllocationFails() {
        FuzzResult r = fuzz("fuzz_dfree").faults().runs(2000)
                .stopWhen(f -> f.key().startsWith("bug mm/slub.c:419")).run();
        FuzzFinding f = only(r, "bug mm/slub.c:419 from fuzz_dfree_init+0x");
        assertEquals("kernel BUG at mm/slub.c:419!", f.title());
        assertEquals(1, f.faults().size(), f.faults().toString());
        assertTrue(f.faults().get(0).matches("#2 kmalloc_trace from fuzz_dfree_init\\+0x\\w+/0x\\w+ \\[fuzz_dfree]: ENOMEM"),
                f.faults().toString());
        assertEquals(List.of("params: (defaults)", "fail points: #2=1"), f.program());
        assertTrue(f.report().stream().anyMatch(l -> l.contains("kfree")), f.report().toString());
    }

    @Test
    void procEntryLeakedWhenTheSecondRegistrationFails() {
        FuzzResult r = fuzz("fuzz_procleak").faults().runs(2000)
                .stopWhen(f -> f.key().startsWith("oops")).run();
        FuzzFinding leak = only(r, "leftover /proc/*");
        assertEquals("module fuzz_procleak left behind /proc/fuzz_procleak_a", leak.title());
        assertTrue(leak.faults().get(0).startsWith("#1 proc_create from fuzz_procleak_init+0x"), leak.faults().toString());
        // opening the leftover runs the freed module's code: the kernel oopses
        FuzzFinding oops = only(r, "oops");
        assertTrue(oops.title().startsWith("BUG: unable to handle page fault for address: "), oops.title());
        assertFalse(r.findings().stream().anyMatch(f -> f.title().contains("fuzz_procleak_b")), r.findings().toString());
    }

    @Test
    void stackOverflowForOneParameterRange() {
        FuzzResult r = fuzz("fuzz_oob").params().runs(3000).stopWhen(f -> f.type().equals("panic")).run();
        FuzzFinding f = only(r, "panic Kernel panic - not syncing: stack-protector: Kernel stack is corrupted in: "
                + "fuzz_oob_fill+");
        String params = f.program().get(0);
        int count = Integer.parseInt(params.substring("params: count=".length()));
        assertTrue(count >= 33 && count <= 48, params);
    }

    @Test
    void procWriteOverflowForMagicInputsOf17To24Bytes() {
        FuzzResult r = fuzz("fuzz_procwrite").files().runs(20000).stopWhen(f -> f.type().equals("panic")).run();
        FuzzFinding f = only(r, "panic Kernel panic - not syncing: stack-protector: Kernel stack is corrupted in: "
                + "fuzz_procwrite_store+");
        String write = f.program().stream().filter(p -> p.startsWith("write /proc/fuzz_procwrite \"KMOD"))
                .findFirst().orElseThrow(() -> new AssertionError(f.program().toString()));
        int bytes = Integer.parseInt(write.replaceAll(".*\\((\\d+) bytes\\)$", "$1"));
        assertTrue(bytes >= 17 && bytes <= 24, write);
    }

    @Test
    void timerOutlivingItsModuleFiresIntoFreedMemory() {
        FuzzResult r = fuzz("fuzz_timer").params().runs(3000).stopWhen(f -> f.type().equals("panic")).run();
        FuzzFinding panic = only(r, "panic Kernel panic - not syncing: Fatal exception in interrupt");
        int delay = Integer.parseInt(panic.program().get(0).substring("params: delay=".length()));
        assertTrue(delay >= 1000 && delay <= 60000, panic.program().toString());
        only(r, "oops BUG: unable to handle page fault");
    }

    @Test
    void aModuleThatHangsOrCrashesOnMostInputsIsReportedOnceEach() {
        FuzzResult r = fuzz("fuzz_hang").params().maxBlocks(20_000).runs(300).run();
        assertEquals(300, r.stats().execs());
        FuzzFinding lockup = only(r, "soft_lockup fuzz_hang_init [fuzz_hang]");
        FuzzFinding oops = only(r, "oops fuzz_hang_init+0x");
        assertTrue(lockup.count() > 1 && oops.count() > 1, r.findings().toString());
        assertEquals(r.findings().size(), r.findings().stream().map(FuzzFinding::key).distinct().count());
        assertTrue(r.stats().hits() > 200, r.stats().toString());
    }

    @Test
    void sameSeedSameCampaign() {
        FuzzResult a = fuzz("fuzz_oob").params().runs(400).run();
        FuzzResult b = fuzz("fuzz_oob").params().runs(400).run();
        assertEquals(a.corpus().size(), b.corpus().size());
        for (int i = 0; i < a.corpus().size(); i++) {
            assertArrayEquals(a.corpus().get(i), b.corpus().get(i));
        }
        assertEquals(a.findings().toString(), b.findings().toString());
        assertEquals(a.stats().edges(), b.stats().edges());
        assertTrue(a.minimizedCorpus().size() <= a.corpus().size());
    }

    @Test
    void aFindingIsSavedAndReplaysFromItsReproducer(@TempDir Path dir) throws Exception {
        Path ko = dir.resolve("fuzz_dfree.ko");
        Files.write(ko, TestMods.ko("fuzzbugs", "fuzz_dfree"));
        FuzzResult r = Fuzzer.forModule(ko).faults().seed(1).maxTime(NET).runs(2000).out(dir.resolve("out"))
                .stopWhen(f -> f.type().equals("bug")).run();
        FuzzFinding f = only(r, "bug mm/slub.c:419");
        assertNotNull(f.saved());
        Reproducer.Loaded l = Reproducer.read(Path.of(f.saved()), null, null);
        assertFalse(l.moduleChanged());
        assertEquals(f.key(), l.key());
        Execution e = Fuzzer.replay(l.config(), l.input());
        assertEquals(List.of(f.key()), Fuzzer.keys(e));
        assertTrue(e.log().stream().anyMatch(x -> x.contains("kernel BUG at mm/slub.c:419!")), e.log().toString());
        assertTrue(Files.list(dir.resolve("out/corpus")).findAny().isPresent());
        byte[] raw = Files.readAllBytes(Path.of(f.saved().replace(".json", ".input")));
        assertArrayEquals(f.input(), raw);
    }

    @Test
    void badSeedsAndReproducersAreReportedNotFatal(@TempDir Path dir) throws Exception {
        Path corpus = dir.resolve("corpus");
        Files.createDirectories(corpus.resolve("a-directory"));
        Files.write(corpus.resolve("big"), new byte[5000]);
        Files.write(corpus.resolve("ok"), new byte[] {1, 2, 3});
        List<String> warnings = new ArrayList<>();
        List<byte[]> seeds = Fuzzer.readCorpus(corpus, 1024, warnings::add);
        assertEquals(2, seeds.size());
        assertEquals(1024, seeds.get(0).length);
        assertEquals(List.of("kmodemu fuzz: " + corpus.resolve("big") + ": 5000 bytes, cut to 1024"), warnings);
        // the seeds run like any input
        FuzzResult r = fuzz("fuzz_oob").params().seeds(seeds).runs(50).run();
        assertEquals(50, r.stats().execs());

        Path junk = dir.resolve("junk.json");
        Files.writeString(junk, "{ not json");
        FuzzSetupException e = assertThrows(FuzzSetupException.class, () -> Reproducer.read(junk, null, null));
        assertTrue(e.getMessage().startsWith("kmodemu fuzz: " + junk + ": not a reproducer"), e.getMessage());
        Files.writeString(junk, "{\"kmodemu-fuzz\": 1, \"module\": \"/nonexistent.ko\", \"input\": \"00\"}");
        e = assertThrows(FuzzSetupException.class, () -> Reproducer.read(junk, null, null));
        assertEquals("kmodemu fuzz: /nonexistent.ko: No such file or directory", e.getMessage());
    }

    @Test
    void aModuleThatDoesNotLoadIsRefusedWithInsmodsWords() {
        FuzzSetupException e = assertThrows(FuzzSetupException.class,
                () -> Fuzzer.forModule("missingsym.ko", TestMods.ko("missingsym")).params().runs(1).run());
        assertTrue(e.getMessage().startsWith("insmod: ERROR: could not insert module missingsym.ko: Unknown symbol in module"),
                e.getMessage());
    }

    @Test
    void aHarnessDrivesTheKernelAndItsAssertionsAreFindings() {
        FuzzResult r = fuzz("fuzz_procwrite").runs(3000)
                .harness((k, in) -> {
                    byte[] cmd = in.rest();
                    try {
                        k.write("/proc/fuzz_procwrite", cmd);
                    } catch (KernelException e) {
                        return; // refused: fine
                    }
                    String status = k.read("/proc/fuzz_procwrite");
                    if (status.startsWith("commands 1 ") && cmd.length == 7) {
                        throw new AssertionError("a 7-byte command was counted");
                    }
                })
                .stopWhen(f -> f.type().equals("harness")).run();
        FuzzFinding f = only(r, "harness java.lang.AssertionError");
        assertEquals("a 7-byte command was counted", f.title());
        AssertionError e = assertThrows(AssertionError.class, r::assertNoFindings);
        assertTrue(e.getMessage().contains("== harness java.lang.AssertionError"), e.getMessage());
    }

    @Test
    void aCleanModulePasses() {
        FuzzResult r = Fuzzer.forModule("hello.ko", TestMods.ko("hello")).params().faults().seed(3).runs(300)
                .maxTime(NET).run();
        r.assertNoFindings();
        assertTrue(r.stats().edges() > 0);
        assertTrue(r.corpus().size() > 1, "the count parameter's loop gives new coverage");
    }

    @Test
    void twoJobsShareTheCorpusAndFindings() {
        FuzzResult r = fuzz("fuzz_dfree").faults().jobs(2).runs(3000)
                .stopWhen(f -> f.type().equals("bug")).run();
        only(r, "bug mm/slub.c:419");
    }

    @Test
    void programsDecodeEveryByteString() {
        Program.Layout layout = new Program.Layout(java.util.EnumSet.allOf(Target.class), List.of(
                new dev.kmodemu.kstubs.kernel.Params.Declared("n", "int", 0, 0),
                new dev.kmodemu.kstubs.kernel.Params.Declared("s", "charp", 0, 0),
                new dev.kmodemu.kstubs.kernel.Params.Declared("a", "array of ushort", 0, 4)));
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
        for (int i = 0; i < 2000; i++) {
            byte[] b = new byte[rnd.nextInt(200)];
            rnd.nextBytes(b);
            Program p = Program.decode(b, layout);
            assertEquals(Program.FAULT_POINTS, p.faults().length);
            assertTrue(p.ops().size() <= Program.MAX_OPS);
            assertFalse(p.args().contains("\0"));
        }
        Program p = Program.decode(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            1, 42, 0, 0, 0, 2, 3, 'a', ' ', 'b', 2, 1, 7, 0, 9, 0, 1, 0, 0, 3, 'x', 'y', 'z'}, layout);
        assertEquals("n=42 s=\"a b\" a=7,9", p.args());
        assertEquals(List.of(new String[] {"write /f \"xyz\" (3 bytes)"}[0]), p.describe(List.of("/f")).subList(2, 3));
        assertEquals("\"xyz\" (3 bytes)", Program.text("xyz".getBytes(StandardCharsets.US_ASCII)));
    }
}
