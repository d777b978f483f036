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
 * resources {@code testmods/<mod>/<mod>.ko} with their {@code expected/} golden files.
 */
public final class TestMods {
    private TestMods() {
    }

    /** Names of all test modules, from {@code testmods/index.txt}. */
    public static List<String> names() {
        String idx = new String(resource("testmods/index.txt"), StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        for (String l : idx.split("\n")) {
            if (!l.isBlank()) {
                out.add(l.trim());
            }
        }
        return out;
    }

    /** The bytes of {@code <mod>.ko}. */
    public static byte[] ko(String mod) {
        return resource("testmods/" + mod + "/" + mod + ".ko");
    }

    /**
     * A file system path to {@code <mod>.ko}: the resource itself when it is a file, else a copy
     * in a temporary directory.
     */
    public static synchronized Path path(String mod) {
        return PATHS.computeIfAbsent(mod, m -> file("testmods/" + m + "/" + m + ".ko", m + ".ko"));
    }

    private static final java.util.Map<String, Path> PATHS = new java.util.HashMap<>();

    /** The names of the golden cases of a module ({@code expected/<case>.json}), sorted. */
    public static List<String> cases(String mod) {
        String idx = new String(resource("testmods/" + mod + "/cases.txt"), StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        for (String l : idx.split("\n")) {
            if (!l.isBlank()) {
                out.add(l.trim());
            }
        }
        return out;
    }

    /** A golden file of a module, e.g. {@code expected("hello", "count2.json")}. */
    public static String expected(String mod, String file) {
        return new String(resource("testmods/" + mod + "/expected/" + file), StandardCharsets.UTF_8);
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
