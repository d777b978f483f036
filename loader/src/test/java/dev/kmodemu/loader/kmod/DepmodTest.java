package dev.kmodemu.loader.kmod;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * depmod over small synthetic module trees. Every expected line here was printed by Debian 12's
 * kmod 30 depmod for the same tree ({@link SyntheticKo} files written to disk).
 */
class DepmodTest {
    @TempDir
    Path root;

    Path dir() {
        return root.resolve("lib/modules/6.1.0-56-amd64");
    }

    void write(String relpath, SyntheticKo ko) throws IOException {
        Path p = dir().resolve(relpath);
        Files.createDirectories(p.getParent());
        Files.write(p, ko.build());
    }

    /** Modules {@code kernel/NAME.ko} from {@code "a:b,c b:a"}: each exports sym_NAME, imports sym_DEP. */
    void graph(String spec) throws IOException {
        for (String m : spec.trim().split("\\s+")) {
            String[] p = m.split(":", -1);
            SyntheticKo ko = new SyntheticKo().exports("sym_" + p[0]).modinfo("name=" + p[0]);
            if (!p[1].isEmpty()) {
                ko.imports(Arrays.stream(p[1].split(",")).map(d -> "sym_" + d).toArray(String[]::new));
            }
            write("kernel/" + p[0] + ".ko", ko);
        }
    }

    DepmodResult run() {
        return Depmod.run(dir(), Depmod.Options.defaults());
    }

    List<String> errors(DepmodResult r) {
        return r.messages().stream().filter(m -> !m.contains("could not open modules.")).toList();
    }

    @Test
    void cycleIsReportedFromTheFirstModuleLeftInModuleOrder() throws IOException {
        graph("a:b b:a,c c:d d:");
        DepmodResult r = run();
        assertFalse(r.ok());
        assertTrue(r.files().isEmpty());
        assertEquals(List.of("depmod: WARNING: could not open modules.order at " + dir().toAbsolutePath()
                + ": No such file or directory", "depmod: ERROR: Cycle detected: a -> b -> a",
                "depmod: ERROR: Found 2 modules in dependency cycles!"), r.messages());
    }

    @Test
    void twoCyclesAndTheirUsers() throws IOException {
        graph("a:b b:a c:d d:c e:a,c f:e");
        assertEquals(List.of("depmod: ERROR: Cycle detected: c -> d -> c", "depmod: ERROR: Cycle detected: a -> b -> a",
                "depmod: ERROR: Found 4 modules in dependency cycles!"), errors(run()));
    }

    @Test
    void aModuleBelowACycleSeenTwiceIsReportedAlone() throws IOException {
        graph("q1:q2 q2:q3 q3:q1,q4 q4:q5 q5: q6:q4 q7:q1");
        assertEquals(List.of("depmod: ERROR: Cycle detected: q2 -> q3 -> q1 -> q2", "depmod: ERROR: Cycle detected: q4",
                "depmod: ERROR: Found 3 modules in dependency cycles!"), errors(run()));
    }

    @Test
    void dependenciesAreTheTransitiveClosureInTopologicalOrder() throws IOException {
        graph("top:mid,low mid:low,base low:base base: lone:");
        DepmodResult r = run();
        assertTrue(r.ok());
        // Without modules.order the lines come in kmod's hash order of the module names.
        assertEquals("""
                kernel/top.ko: kernel/mid.ko kernel/low.ko kernel/base.ko
                kernel/lone.ko:
                kernel/mid.ko: kernel/low.ko kernel/base.ko
                kernel/base.ko:
                kernel/low.ko: kernel/base.ko
                """, r.text("modules.dep"));
    }

    @Test
    void unreadableModulesAreListedWithKmodsErrors() throws IOException {
        graph("ok:");
        Files.writeString(dir().resolve("kernel/bad.ko"), "garbage\n");
        Files.write(dir().resolve("kernel/empty.ko"), new byte[0]);
        byte[] ko = new SyntheticKo().build();
        Files.write(dir().resolve("kernel/trunc.ko"), Arrays.copyOf(ko, 100));
        DepmodResult r = run();
        assertTrue(r.ok());
        String d = dir().toAbsolutePath() + "/kernel/";
        assertEquals(List.of("depmod: ERROR: failed to load symbols from " + d + "trunc.ko: Invalid argument",
                "depmod: ERROR: failed to load symbols from " + d + "empty.ko: Invalid argument",
                "depmod: ERROR: failed to load symbols from " + d + "bad.ko: Exec format error"), errors(r));
        assertTrue(r.text("modules.dep").contains("kernel/bad.ko:\n"));
    }

    @Test
    void messagesCanNameTheDirectoryAsTheEmulatedSystemSeesIt() throws IOException {
        graph("ok:");
        Files.writeString(dir().resolve("kernel/bad.ko"), "garbage\n");
        DepmodResult r = Depmod.run(dir(), Depmod.Options.defaults().withDirname("/lib/modules/6.1.0-56-amd64"));
        assertEquals(List.of("depmod: WARNING: could not open modules.order at /lib/modules/6.1.0-56-amd64: No such file "
                + "or directory", "depmod: ERROR: failed to load symbols from /lib/modules/6.1.0-56-amd64/kernel/bad.ko: "
                + "Exec format error"), r.messages().subList(0, 2));
        assertEquals("kernel/ok.ko:\nkernel/bad.ko:\n", r.text("modules.dep"));
    }

    @Test
    void updatesWinsOverKernelUnlessConfiguredOtherwise() throws IOException {
        write("kernel/x.ko", new SyntheticKo().exports("sym_k"));
        write("updates/x.ko", new SyntheticKo().exports("sym_u"));
        write("extra/y-z.ko", new SyntheticKo().imports("sym_k", "sym_u"));
        DepmodResult r = run();
        assertEquals("extra/y-z.ko: updates/x.ko\nupdates/x.ko:\n", r.text("modules.dep"));
        assertEquals("# Aliases for symbols, used by symbol_request().\nalias symbol:sym_u x\n", r.text("modules.symbols"));

        Path conf = root.resolve("depmod.d");
        Files.createDirectories(conf);
        Files.writeString(conf.resolve("a.conf"), "override x * kernel\n");
        r = Depmod.run(dir(), Depmod.Options.defaults().withConfigPaths(List.of(conf)));
        assertEquals("extra/y-z.ko: kernel/x.ko\nkernel/x.ko:\n", r.text("modules.dep"));
        Files.writeString(conf.resolve("a.conf"), "search kernel\nbogus line\n");
        r = Depmod.run(dir(), Depmod.Options.defaults().withConfigPaths(List.of(conf)));
        assertEquals("extra/y-z.ko: kernel/x.ko\nkernel/x.ko:\n", r.text("modules.dep"));
        assertEquals("depmod: ERROR: " + conf.resolve("a.conf") + ":2: ignoring bad line starting with 'bogus'",
                r.messages().getFirst());
    }

    @Test
    void symversChecksCrcsAndReportsUnknownSymbols() throws IOException {
        write("kernel/u.ko", new SyntheticKo().imports("printk_x", "good_y", "nosuch_z").weakImports("weak_w")
                .version("printk_x", 0x1234).version("good_y", 0x42).version("module_layout", 0x99));
        write("kernel/e.ko", new SyntheticKo().crcExports("e_fn"));
        write("kernel/f.ko", new SyntheticKo().imports("e_fn").version("e_fn", 0));
        Path symvers = root.resolve("Module.symvers");
        Files.writeString(symvers, """
                0x00001235\tprintk_x\tvmlinux\tEXPORT_SYMBOL\t
                0x00000042\tgood_y\tvmlinux\tEXPORT_SYMBOL_GPL\t
                0x00000099\tmodule_layout\tvmlinux\tEXPORT_SYMBOL\t
                zz\tbad\tvmlinux\tEXPORT_SYMBOL\t
                0x1\tother\tsomemod\tEXPORT_SYMBOL\t
                """);
        DepmodResult r = Depmod.run(dir(), Depmod.Options.defaults().withErrSyms(true).withSymvers(symvers));
        String u = dir().toAbsolutePath() + "/kernel/u.ko";
        assertEquals(List.of("depmod: ERROR: " + symvers + ":4 Invalid symbol version zz: Success",
                "depmod: WARNING: " + u + " disagrees about version of symbol printk_x",
                "depmod: WARNING: " + u + " needs unknown symbol nosuch_z"), errors(r));
        assertEquals("kernel/u.ko:\nkernel/e.ko:\nkernel/f.ko: kernel/e.ko\n", r.text("modules.dep"));
    }

    @Test
    void errSymsWithoutKernelSymbolsIsIgnoredWithAWarning() throws IOException {
        graph("a:");
        DepmodResult r = Depmod.run(dir(), Depmod.Options.defaults().withErrSyms(true));
        assertEquals("depmod: WARNING: -e needs -E or -F", r.messages().getFirst());
    }

    @Test
    void aMissingDirectoryIsFatal() {
        DepmodResult r = Depmod.run(root.resolve("nope"), Depmod.Options.defaults());
        assertFalse(r.ok());
        Path p = root.resolve("nope").toAbsolutePath();
        assertEquals(List.of("depmod: ERROR: could not open directory " + p + ": No such file or directory",
                "depmod: FATAL: could not search modules: No such file or directory"), r.messages());
    }

    @Test
    void modulesOrderWithoutFinalNewlineIsIgnored() throws IOException {
        graph("a: b: c: d:");
        Files.writeString(dir().resolve("modules.order"), "kernel/a.ko\nkernel/b.ko");
        DepmodResult r = run();
        assertEquals("depmod: ERROR: " + dir().toAbsolutePath() + "/modules.order:2 corrupted line misses '\\n'",
                r.messages().getFirst());
        // kmod's hash order, as without modules.order.
        assertEquals("kernel/c.ko:\nkernel/b.ko:\nkernel/d.ko:\nkernel/a.ko:\n", r.text("modules.dep"));
        Files.writeString(dir().resolve("modules.order"), "kernel/a.ko\nkernel/b.ko\n");
        assertEquals("kernel/a.ko:\nkernel/b.ko:\nkernel/c.ko:\nkernel/d.ko:\n", run().text("modules.dep"));
    }

    @Test
    void aliasesSoftdepsAndDevnamesComeFromModinfo() throws IOException {
        write("kernel/snd.ko", new SyntheticKo().modinfo("alias=char-major-116-*", "alias=devname:snd/seq",
                "alias=char-major-116-1", "softdep=pre: snd-seq", "alias=bad]one", "alias=snd-card-[0-9]"));
        DepmodResult r = run();
        assertEquals("""
                # Aliases extracted from modules themselves.
                alias char-major-116-* snd
                alias devname:snd/seq snd
                alias char-major-116-1 snd
                alias bad]one snd
                alias snd-card-[0-9] snd
                """, r.text("modules.alias"));
        assertEquals("# Soft dependencies extracted from modules themselves.\nsoftdep snd pre: snd-seq\n",
                r.text("modules.softdep"));
        assertEquals("# Device nodes to trigger on-demand module loading.\nsnd snd/seq c116:1\n", r.text("modules.devname"));
        assertTrue(r.messages().contains("depmod: WARNING: Unmatched bracket in bad]one"));
        KmodIndex aliases = KmodIndex.parse(r.files().get("modules.alias.bin"));
        assertEquals("snd", aliases.searchWild("snd_card_7").getFirst().value());
        assertEquals("snd", aliases.searchWild("char_major_116_9").getFirst().value());
    }
}
