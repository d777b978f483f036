package dev.kmodemu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kmodemu.loader.kmod.Depmod;
import dev.kmodemu.testmods.TestMods;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code kmodemu sweep} over a small tree of test modules, run in worker processes. */
class SweepTest {
    @TempDir
    Path tmp;

    @Test
    void everyModuleGetsAClassAndMissingSymbolsAreRanked() throws Exception {
        Path tree = tmp.resolve("kernel");
        Files.createDirectories(tree.resolve("sub"));
        for (String m : List.of("hello", "failinit", "missingsym", "nullderef", "percpu", "seqlist", "procoops")) {
            Files.write(tree.resolve(m.equals("percpu") ? "sub/percpu.ko" : m + ".ko"), TestMods.ko(m));
        }
        Files.writeString(tree.resolve("junk.ko"), "not an ELF file\n");
        Path out = tmp.resolve("sweep.jsonl");

        CliTest.Run r = CliTest.kmodemu("sweep", "--jobs", "2", "--out", out.toString(), tree.toString());
        assertEquals(0, r.status(), r.err());
        Map<String, JsonNode> rows = rows(out);
        assertEquals(8, rows.size());
        assertEquals("ok", rows.get("hello.ko").get("class").asText());
        assertEquals("ok", rows.get("percpu.ko").get("class").asText());
        assertEquals("init-error", rows.get("failinit.ko").get("class").asText());
        assertEquals(19, rows.get("failinit.ko").get("errno").asInt());
        assertEquals("missing-symbols", rows.get("missingsym.ko").get("class").asText());
        assertEquals("[\"kmodemu_no_such_symbol\",\"kmodemu_missing_too\"]",
                rows.get("missingsym.ko").get("missing").toString());
        assertEquals("oops", rows.get("nullderef.ko").get("class").asText());
        assertEquals("load-error", rows.get("junk.ko").get("class").asText());
        assertEquals(8, rows.get("junk.ko").get("errno").asInt(), "ENOEXEC");
        assertTrue(r.out().contains("  ok                              3   37.5%\n"), r.out());
        // what the modules registered was used once after init: seqlist's /proc files read,
        // procoops's NULL pointer read oopses the reading process (the module still unloads)
        JsonNode seq = rows.get("seqlist.ko");
        assertEquals("ok", seq.get("class").asText());
        assertEquals("read 175 bytes", find(seq, "/proc/seqlist").get("result").asText());
        assertEquals("read 2 bytes", find(seq, "/sys/module/seqlist/parameters/count").get("result").asText());
        assertEquals("proc", find(seq, "/proc/seqlist_summary").get("kind").asText());
        JsonNode oops = rows.get("procoops.ko");
        assertEquals("oops-in-use", oops.get("class").asText());
        assertEquals("oops", find(oops, "/proc/procoops").get("result").asText());
        assertEquals(null, find(oops, "/proc/procoops_write"), "write-only: not read");
        assertTrue(oops.get("exerciseFindings").get(0).asText().startsWith("oops: BUG: kernel NULL pointer dereference"));
        assertTrue(r.out().contains("\nexercised after init (files the module registered, read once): 4 modules\n"),
                r.out());
        assertTrue(r.out().contains("  proc                            4 files: 2 read, 0 errors, 2 oopsed\n"), r.out());
        assertTrue(r.out().contains("  modules oopsing in use          1\n"), r.out());
        assertTrue(r.out().contains("  kmodemu_no_such_symbol                       0      1\n"), r.out());

        // A second run with --resume has nothing left to do and reports the same.
        CliTest.Run again = CliTest.kmodemu("sweep", "--resume", "--out", out.toString(), tree.toString());
        assertEquals(r.out(), again.out());
        assertEquals(8, rows(out).size());
    }

    @Test
    void characterSetTablesAreUsedAfterInit() throws Exception {
        Path tree = tmp.resolve("nls");
        Files.createDirectories(tree);
        for (String m : List.of("nls_iso8859-1", "nls_utf8")) {
            Files.write(tree.resolve(m + ".ko"), TestMods.ko("debian", m));
        }
        Path out = tmp.resolve("nls.jsonl");
        CliTest.Run r = CliTest.kmodemu("sweep", "--jobs", "1", "--out", out.toString(), tree.toString());
        assertEquals(0, r.status(), r.err());
        Map<String, JsonNode> rows = rows(out);
        // Latin-1: every byte is its own code point, and 56 letters have another case (26 ASCII,
        // 30 of 0xc0-0xde/0xe0-0xfe); UTF-8: only the 127 ASCII bytes are whole sequences
        assertEquals("[{\"charset\":\"iso8859-1\",\"alias\":null,\"decoded\":255,\"roundTrips\":255,\"upper\":56,"
                + "\"lower\":56}]", rows.get("nls_iso8859-1.ko").get("nls").toString());
        assertEquals("[{\"charset\":\"utf8\",\"alias\":null,\"decoded\":127,\"roundTrips\":127,\"upper\":0,"
                + "\"lower\":0}]", rows.get("nls_utf8.ko").get("nls").toString());
        assertEquals("ok", rows.get("nls_utf8.ko").get("class").asText());
        assertTrue(r.out().contains("  nls                             2 tables: 382 characters decoded, 382 encoded back,"
                + " 0 oopsed\n"), r.out());
    }

    /** The exercise record of {@code path} in a module's row, or null. */
    private static JsonNode find(JsonNode row, String path) {
        for (JsonNode e : row.get("exercised")) {
            if (e.get("path").asText().equals(path)) {
                return e;
            }
        }
        return null;
    }

    @Test
    void theModuleUnderTestIsUnloadedNotWhatItLoadedOnDemand() throws Exception {
        // reqmod's init has kmodidx_core loaded through request_module (so it loads after reqmod)
        // and holds a reference to it with symbol_get until its exit
        Path extra = tmp.resolve("kernel/extra");
        Files.createDirectories(extra);
        for (String m : List.of("reqmod", "kmodidx_core")) {
            Files.write(extra.resolve(m + ".ko"), TestMods.ko(m));
        }
        Depmod.run(tmp, Depmod.Options.defaults()).writeTo(tmp);
        Path out = tmp.resolve("sweep.jsonl");

        CliTest.Run r = CliTest.kmodemu("sweep", "--jobs", "1", "--out", out.toString(), tmp.toString());
        assertEquals(0, r.status(), r.err());
        Map<String, JsonNode> rows = rows(out);
        assertEquals("ok", rows.get("reqmod.ko").get("class").asText(), rows.get("reqmod.ko").toString());
        assertEquals("ok", rows.get("kmodidx_core.ko").get("class").asText());
    }

    @Test
    void filesAreReadNonBlockingAndHoldersLoadedOnDemandGoFirst() throws Exception {
        // usbmon's debugfs "0u" is a file of USB events: a blocking read waits for one (on a
        // machine without USB traffic, forever), a non-blocking one gives EAGAIN. Reading
        // snd-seq's /proc/asound/seq/clients has client 14 loaded (request_module of
        // "snd-seq-client-14": snd-seq-dummy), which depends on snd-seq, so snd-seq can only be
        // removed after it.
        Path kernel = tmp.resolve("kernel");
        Files.createDirectories(kernel);
        for (String m : List.of("usb-common", "usbcore", "usbmon", "soundcore", "snd", "snd-timer", "snd-seq-device",
                "snd-seq", "snd-seq-dummy")) {
            Files.write(kernel.resolve(m + ".ko"), TestMods.ko("debian", m));
        }
        Depmod.run(tmp, Depmod.Options.defaults()).writeTo(tmp);
        Path out = tmp.resolve("sweep.jsonl");

        CliTest.Run r = CliTest.kmodemu("sweep", "--jobs", "1", "--out", out.toString(), tmp.toString());
        assertEquals(0, r.status(), r.err());
        Map<String, JsonNode> rows = rows(out);
        JsonNode usbmon = rows.get("usbmon.ko");
        assertEquals("ok", usbmon.get("class").asText(), usbmon.toString());
        assertEquals("EAGAIN", find(usbmon, "/sys/kernel/debug/usb/usbmon/0u").get("result").asText());
        assertEquals("read 32 bytes", find(usbmon, "/sys/kernel/debug/usb/usbmon/0s").get("result").asText());
        JsonNode seq = rows.get("snd-seq.ko");
        assertEquals("ok", seq.get("class").asText(), seq.toString());
        assertEquals("[\"snd_seq_dummy\"]", seq.get("unloadedFirst").toString());
        assertTrue(find(seq, "/proc/asound/seq/clients").get("result").asText().startsWith("read "));
        assertEquals("[]", seq.get("log").toString(), "nothing logged: no invalid-context sleep, no WARN");
        assertEquals("ok", rows.get("snd-seq-dummy.ko").get("class").asText());
    }

    private static Map<String, JsonNode> rows(Path out) throws Exception {
        Map<String, JsonNode> rows = new HashMap<>();
        for (String l : Files.readAllLines(out)) {
            JsonNode n = new ObjectMapper().readTree(l);
            rows.put(Path.of(n.get("module").asText()).getFileName().toString(), n);
        }
        return rows;
    }
}
