package dev.kmodemu.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * A saved finding: the configuration it was found with (module file and its SHA-256, targets,
 * parameters, budget), the minimized input (hex) and the report, as one JSON object that
 * {@code kmodemu fuzz --replay} runs again. The raw input is saved next to it ({@code .input}).
 */
public final class Reproducer {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Reproducer() {
    }

    /** A reproducer read back: how to fuzz, what input, what it found then. */
    public record Loaded(FuzzConfig config, byte[] input, String key, String moduleSha256, boolean moduleChanged) {
    }

    static void write(Path file, FuzzConfig c, FuzzFinding f) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("kmodemu-fuzz", 1);
        o.put("module", Path.of(c.moduleFile()).toAbsolutePath().toString());
        o.put("sha256", sha256(c.image()));
        ArrayNode t = o.putArray("targets");
        for (Target x : c.targets()) {
            t.add(x.name().toLowerCase(Locale.ROOT));
        }
        o.put("params", c.fixedParams());
        ArrayNode files = o.putArray("files");
        c.files().forEach(files::add);
        o.put("maxBlocks", c.maxBlocks());
        o.put("rmmod", c.rmmod());
        o.put("key", f.key());
        o.put("type", f.type());
        o.put("title", f.title());
        o.put("location", f.location());
        o.put("input", HexFormat.of().formatHex(f.input()));
        ArrayNode prog = o.putArray("program");
        f.program().forEach(prog::add);
        ArrayNode faults = o.putArray("faults");
        f.faults().forEach(faults::add);
        ArrayNode report = o.putArray("report");
        f.report().forEach(report::add);
        JSON.writeValue(file.toFile(), o);
    }

    /**
     * Reads a reproducer; {@code module} (nullable) replaces the module file it names.
     *
     * @throws FuzzSetupException with a clean message for a file that is not a reproducer
     */
    public static Loaded read(Path file, Path module, Harness harness) {
        JsonNode o;
        try {
            o = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new FuzzSetupException("kmodemu fuzz: " + file + ": not a reproducer (" + firstLine(e.getMessage()) + ")");
        }
        if (o == null || !o.isObject() || o.path("kmodemu-fuzz").asInt() != 1 || !o.hasNonNull("input")
                || !o.hasNonNull("module")) {
            throw new FuzzSetupException("kmodemu fuzz: " + file + ": not a reproducer (no kmodemu-fuzz, module or input)");
        }
        byte[] input;
        try {
            input = HexFormat.of().parseHex(o.get("input").asText());
        } catch (IllegalArgumentException e) {
            throw new FuzzSetupException("kmodemu fuzz: " + file + ": its input is not hexadecimal");
        }
        Path ko = module != null ? module : Path.of(o.get("module").asText());
        byte[] image;
        try {
            image = Files.readAllBytes(ko);
        } catch (IOException e) {
            throw new FuzzSetupException("kmodemu fuzz: " + ko + ": No such file or directory");
        }
        EnumSet<Target> targets = EnumSet.noneOf(Target.class);
        for (JsonNode t : o.path("targets")) {
            try {
                targets.add(Target.valueOf(t.asText().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new FuzzSetupException("kmodemu fuzz: " + file + ": unknown target " + t.asText());
            }
        }
        if (targets.contains(Target.HARNESS) && harness == null) {
            throw new FuzzSetupException("kmodemu fuzz: " + file + ": found with a Java harness; replay it from Java"
                    + " (Fuzzer.replay) with the same harness");
        }
        List<String> files = new ArrayList<>();
        o.path("files").forEach(x -> files.add(x.asText()));
        FuzzConfig c;
        try {
            c = new FuzzConfig(ko.toString(), image, targets, o.path("params").asText(""), harness,
                    o.path("maxBlocks").asLong(FuzzConfig.DEFAULT_MAX_BLOCKS), FuzzConfig.DEFAULT_MAX_LEN,
                    o.path("rmmod").asBoolean(true), files, null);
        } catch (IllegalArgumentException e) {
            throw new FuzzSetupException(e.getMessage());
        }
        String sha = o.path("sha256").asText("");
        return new Loaded(c, input, o.path("key").asText(null), sha, !sha.isEmpty() && !sha.equals(sha256(image)));
    }

    private static String firstLine(String s) {
        return s == null ? "unreadable" : s.lines().findFirst().orElse(s);
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
