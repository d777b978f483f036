package dev.kmodemu.testmods;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The test modules of this directory, built by kbuild during the build and packaged as
 * resources {@code testmods/<dir>/<module>.ko} with their {@code expected/} golden files. Most
 * directories build one module named like the directory; some build several (listed in
 * {@code testmods/<dir>/modules.txt}), e.g. an exporter and its importers, so modpost knows the
 * exports when it writes the importers' symbol versions.
 */
public final class TestMods {
    private TestMods() {
    }

    /** Names of all test module directories, from {@code testmods/index.txt}. */
    public static List<String> names() {
        return lines("testmods/index.txt");
    }

    /** The modules a directory builds, in its Kbuild's {@code obj-m} order. */
    public static List<String> modules(String dir) {
        return lines("testmods/" + dir + "/modules.txt");
    }

    /** The bytes of {@code <dir>/<dir>.ko}, the module named like its directory. */
    public static byte[] ko(String dir) {
        return ko(dir, dir);
    }

    /** The bytes of {@code <dir>/<module>.ko}, e.g. {@code ko("symexp", "symimp")}. */
    public static byte[] ko(String dir, String module) {
        return resource("testmods/" + dir + "/" + module + ".ko");
    }

    /** {@link #path(String, String) path(dir, dir)}. */
    public static Path path(String dir) {
        return path(dir, dir);
    }

    /**
     * A file system path to {@code <dir>/<module>.ko}: the resource itself when it is a file,
     * else a copy in a temporary directory.
     */
    public static synchronized Path path(String dir, String module) {
        return PATHS.computeIfAbsent(dir + "/" + module,
                k -> file("testmods/" + k + ".ko", module + ".ko"));
    }

    private static final java.util.Map<String, Path> PATHS = new java.util.HashMap<>();

    /** A module file as a golden case names it: its directory and module name. */
    public record Ko(String dir, String module) {
        /** The file name, {@code <module>.ko}. */
        public String file() {
            return module + ".ko";
        }

        public byte[] bytes() {
            return ko(dir, module);
        }
    }

    /**
     * Resolves a module file named in a case's {@code .args} of directory {@code caseDir}:
     * {@code x.ko} is {@code caseDir/x.ko}, {@code other/x.ko} is built in directory
     * {@code other}.
     */
    public static Ko resolve(String caseDir, String file) {
        if (!file.endsWith(".ko")) {
            throw new IllegalArgumentException("not a module file: " + file);
        }
        String f = file.substring(0, file.length() - 3);
        int slash = f.lastIndexOf('/');
        if (slash >= 0 && f.indexOf('/') != slash) {
            throw new IllegalArgumentException("module file " + file + " must be x.ko or dir/x.ko");
        }
        return slash < 0 ? new Ko(caseDir, f) : new Ko(f.substring(0, slash), f.substring(slash + 1));
    }

    /** The names of the golden cases of a directory ({@code expected/<case>.json}), sorted. */
    public static List<String> cases(String dir) {
        return lines("testmods/" + dir + "/cases.txt");
    }

    /** A golden file of a directory, e.g. {@code expected("hello", "count2.json")}. */
    public static String expected(String dir, String file) {
        return new String(resource("testmods/" + dir + "/expected/" + file), StandardCharsets.UTF_8);
    }

    private static List<String> lines(String resource) {
        String idx = new String(resource(resource), StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        for (String l : idx.split("\n")) {
            if (!l.isBlank()) {
                out.add(l.trim());
            }
        }
        return out;
    }

    /** Raw bytes of a classpath resource. */
    public static byte[] resource(String name) {
        try (InputStream in = TestMods.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test module resource " + name
                        + " (was testmods built? it needs kbuild and the kernel headers)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path file(String resource, String fileName) {
        URL u = TestMods.class.getClassLoader().getResource(resource);
        if (u == null) {
            throw new IllegalArgumentException("no test module resource " + resource);
        }
        try {
            if ("file".equals(u.getProtocol())) {
                return Path.of(u.toURI());
            }
            Path dir = Files.createTempDirectory("kmodemu-testmods");
            Path p = dir.resolve(fileName);
            Files.write(p, resource(resource));
            p.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
