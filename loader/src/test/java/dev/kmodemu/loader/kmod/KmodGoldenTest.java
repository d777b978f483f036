package dev.kmodemu.loader.kmod;

import dev.kmodemu.testmods.TestMods;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * depmod and modprobe over a tree of the kbuild-built test modules, compared with what Debian 12's
 * kmod 30 wrote and printed for the same tree ({@code golden/regen.sh} reruns the real tools and
 * rewrites {@code golden/expected}). Paths in messages are written as {@code @BASE@} and
 * {@code @CONF@}.
 */
class KmodGoldenTest {
    static final String KVER = "6.1.0-56-amd64";

    @TempDir
    Path base;

    static Path golden(String name) {
        try {
            return Path.of(KmodGoldenTest.class.getResource("golden/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> lines(Path p) throws IOException {
        String s = Files.readString(p, StandardCharsets.ISO_8859_1);
        List<String> out = new ArrayList<>(List.of(s.split("\n", -1)));
        if (out.getLast().isEmpty()) {
            out.removeLast();
        }
        return out;
    }

    /** The modules of a tree file below {@code base/lib/modules/KVER}; returns that directory. */
    static Path buildTree(String treeFile, Path base) throws IOException {
        Path dir = base.resolve("lib/modules/" + KVER);
        for (String l : lines(golden(treeFile))) {
            if (l.isBlank() || l.startsWith("#")) {
                continue;
            }
            String[] f = l.trim().split("\\s+");
            Path dest = dir.resolve(f[1]);
            Files.createDirectories(dest.getParent());
            Files.write(dest, TestMods.ko(f[0]));
        }
        return dir;
    }

    Path goldenTree() throws IOException {
        Path dir = buildTree("tree.txt", base);
        for (String f : List.of("modules.builtin", "modules.builtin.modinfo")) {
            Files.copy(golden("static/" + f), dir.resolve(f));
        }
        // kept as modules.order.in, so it is not taken for a kbuild product
        Files.copy(golden("static/modules.order.in"), dir.resolve("modules.order"));
        return dir;
    }

    List<String> normalized(List<String> messages) {
        return messages.stream().map(m -> m.replace(base.toAbsolutePath().toString(), "@BASE@")).toList();
    }

    @Test
    void depmodWritesTheFilesRealDepmodWrites() throws IOException {
        Path dir = goldenTree();
        DepmodResult r = Depmod.run(dir, Depmod.Options.defaults());
        assertTrue(r.ok());
        assertEquals(Depmod.OUTPUT_FILES, List.copyOf(r.files().keySet()));
        for (String f : Depmod.OUTPUT_FILES) {
            assertArrayEquals(Files.readAllBytes(golden("expected/" + f)), r.files().get(f), f);
        }
        assertEquals(lines(golden("expected/depmod.stderr")), normalized(r.messages()));
    }

    @Test
    void depmodWithSystemMapReportsUnknownSymbolsButNotWeakOnes() throws IOException {
        Path dir = goldenTree();
        DepmodResult r = Depmod.run(dir, Depmod.Options.defaults().withErrSyms(true)
                .withSystemMap(golden("static/System.map")));
        assertTrue(r.ok());
        assertEquals(lines(golden("expected/depmod-e.stderr")), normalized(r.messages()));
        assertFalse(r.messages().stream().anyMatch(m -> m.contains("kmodidx_nowhere")), "weak import reported");
    }

    @Test
    void depmodReportsTheCycleAndWritesNothing() throws IOException {
        Path dir = buildTree("cycle-tree.txt", base);
        DepmodResult r = Depmod.run(dir, Depmod.Options.defaults());
        assertEquals("exit 1", lines(golden("cycle-expected/depmod.exit")).getFirst());
        assertFalse(r.ok());
        assertTrue(r.files().isEmpty());
        assertEquals(lines(golden("cycle-expected/depmod.stderr")), normalized(r.messages()));
    }

    /** The /sys/module of golden/sysmodule.txt; loading and removing fail with ENOSYS as they did there. */
    static ModprobeHost goldenHost() throws IOException {
        Map<String, String[]> state = new HashMap<>();
        for (String l : lines(golden("sysmodule.txt"))) {
            if (!l.isBlank() && !l.startsWith("#")) {
                String[] f = l.trim().split("\\s+");
                state.put(f[0], f);
            }
        }
        return new ModprobeHost() {
            @Override
            public String initstate(String name) {
                return state.containsKey(name) ? state.get(name)[1] : null;
            }

            @Override
            public int refcnt(String name) {
                return state.containsKey(name) ? Integer.parseInt(state.get(name)[2]) : -KmodStrings.ENOENT;
            }

            @Override
            public List<String> holders(String name) {
                String[] f = state.get(name);
                return f == null ? List.of() : List.of(f).subList(3, f.length);
            }

            @Override
            public int initModule(String path, String options, boolean forceVermagic, boolean forceModversion) {
                return -KmodStrings.ENOSYS;
            }

            @Override
            public int deleteModule(String name, boolean force) {
                return -KmodStrings.ENOSYS;
            }

            @Override
            public int system(String command, String modname) {
                return command.startsWith("/bin/false") ? 1 : 0;
            }
        };
    }

    /** One modprobe command line: leading switches, then the arguments. */
    static List<String> runModprobe(ModuleIndex idx, String line, ModprobeHost host) {
        ModuleIndex.ModprobeOptions o = ModuleIndex.ModprobeOptions.defaults();
        int verbosity = o.verbosity();
        List<String> args = new ArrayList<>();
        boolean showConfig = false;
        for (String w : line.trim().split("\\s+")) {
            if (!args.isEmpty() || !w.startsWith("-")) {
                args.add(w);
                continue;
            }
            switch (w) {
                case "-a" -> o = o.with(ModuleIndex.Flag.ALL);
                case "-r" -> o = o.with(ModuleIndex.Flag.REMOVE);
                case "-n" -> o = o.with(ModuleIndex.Flag.DRY_RUN);
                case "-D" -> o = o.with(ModuleIndex.Flag.SHOW_DEPENDS);
                case "-R" -> o = o.with(ModuleIndex.Flag.RESOLVE_ALIAS);
                case "-i" -> o = o.with(ModuleIndex.Flag.IGNORE_COMMANDS);
                case "-b" -> o = o.with(ModuleIndex.Flag.USE_BLACKLIST);
                case "-c" -> showConfig = true;
                case "--first-time" -> o = o.with(ModuleIndex.Flag.FIRST_TIME);
                case "--remove-holders" -> o = o.with(ModuleIndex.Flag.REMOVE_HOLDERS);
                case "-v" -> verbosity++;
                case "-q" -> verbosity = 0;
                default -> throw new IllegalArgumentException(w);
            }
        }
        List<String> out = new ArrayList<>();
        out.add("### " + line);
        if (showConfig) {
            out.addAll(idx.showConfig());
            out.add("--- stderr");
            out.addAll(idx.config().messages());
            out.add("--- exit 0");
            return out;
        }
        ModuleIndex.ModprobeResult r = idx.modprobe(args, o.withVerbosity(verbosity), host);
        out.addAll(r.stdout());
        out.add("--- stderr");
        out.addAll(r.stderr());
        out.add("--- exit " + r.exitStatus());
        return out;
    }

    @Test
    void modprobeDoesWhatRealModprobeDoes() throws IOException {
        Path dir = goldenTree();
        DepmodResult d = Depmod.run(dir, Depmod.Options.defaults());
        d.writeTo(dir);
        ModprobeConfig config = ModprobeConfig.load(List.of(golden("modprobe.d")), dir,
                Files.readString(golden("kcmdline")));
        ModuleIndex idx = ModuleIndex.open(dir, config);
        ModprobeHost host = goldenHost();
        List<String> got = new ArrayList<>();
        for (String line : lines(golden("modprobe-cases.txt"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                for (String l : runModprobe(idx, line, host)) {
                    got.add(l.replace(dir.getParent().getParent().getParent().toString(), "@BASE@")
                            .replace(golden("modprobe.d").toString(), "@CONF@"));
                }
            }
        }
        List<String> want = lines(golden("expected/modprobe.txt"));
        for (int i = 0; i < Math.min(want.size(), got.size()); i++) {
            assertEquals(want.get(i), got.get(i), "line " + (i + 1) + " of expected/modprobe.txt");
        }
        assertEquals(want.size(), got.size());
    }
}
