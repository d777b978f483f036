package dev.kmodemu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kmodemu.testmods.TestMods;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.kmodemu.cli.CliTest.kmodemu;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code kmodemu fuzz} as a user runs it: summary, JSON, reproducers, replay, errors. */
class FuzzCliTest {
    static String ko(String module) {
        return TestMods.path("fuzzbugs", module).toString();
    }

    @Test
    void findsSavesAndReplaysTheDoubleFree(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        CliTest.Run r = kmodemu("fuzz", ko("fuzz_dfree"), "--faults", "--runs", "300", "--seed", "1", "-q",
                "--json", "--out", out.toString());
        assertEquals(1, r.status(), r.err());
        JsonNode o = new ObjectMapper().readTree(r.out());
        assertEquals(300, o.path("stats").path("execs").asLong());
        JsonNode f = o.path("findings").get(0);
        assertTrue(f.path("key").asText().startsWith("bug mm/slub.c:419 from fuzz_dfree_init+0x"), r.out());
        assertEquals("fail points: #2=1", f.path("program").get(1).asText());
        String reproducer = f.path("reproducer").asText();
        assertTrue(Files.exists(Path.of(reproducer)));

        CliTest.Run replay = kmodemu("fuzz", "--replay", reproducer);
        assertEquals(1, replay.status(), replay.err());
        assertTrue(replay.out().contains("kernel BUG at mm/slub.c:419!"), replay.out());
        assertTrue(replay.out().contains("# injected #2 kmalloc_trace from fuzz_dfree_init+0x"), replay.out());
        assertTrue(replay.out().contains("# reproduced: bug mm/slub.c:419"), replay.out());
    }

    @Test
    void summaryOfACleanCampaign(@TempDir Path dir) {
        CliTest.Run r = kmodemu("fuzz", CliTest.ko("hello"), "--faults", "--runs", "200", "-q", "--out",
                dir.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("200 executions in "), r.out());
        assertTrue(r.out().contains(" 0 findings\n"), r.out());
        assertTrue(r.out().endsWith("corpus and findings in " + dir + "\n"), r.out());
    }

    @Test
    void aRawInputReplaysWithTheTargetOptions(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("input");
        // params: count given (control byte 1), 40 as an int
        Files.write(in, new byte[] {1, 40, 0, 0, 0});
        CliTest.Run r = kmodemu("fuzz", ko("fuzz_oob"), "--params", "--replay", in.toString());
        assertEquals(1, r.status(), r.err());
        assertTrue(r.out().startsWith("# params: count=40\n"), r.out());
        assertTrue(r.out().contains("Kernel panic - not syncing: stack-protector: Kernel stack is corrupted in: "
                + "fuzz_oob_fill+"), r.out());
    }

    @Test
    void badInvocationsAreOneLineErrors(@TempDir Path dir) throws Exception {
        CliTest.Run r = kmodemu("fuzz", dir.resolve("none.ko").toString());
        assertEquals(2, r.status());
        assertEquals("kmodemu fuzz: " + dir.resolve("none.ko") + ": No such file or directory\n", r.err());

        Path junk = dir.resolve("junk.json");
        Files.writeString(junk, "[1, 2");
        r = kmodemu("fuzz", "--replay", junk.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("kmodemu fuzz: " + junk + ": not a reproducer"), r.err());

        r = kmodemu("fuzz", CliTest.ko("missingsym"), "--runs", "1");
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("insmod: ERROR: could not insert module "), r.err());
    }
}
