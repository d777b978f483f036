package dev.kmodemu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmodemu.loader.ElfFile;
import dev.kmodemu.loader.ModInfo;
import dev.kmodemu.loader.ModuleFormatException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code kmodemu sweep DIR}: every {@code .ko} below DIR in a fresh kernel of its own, its
 * dependencies (from {@code depends=} in .modinfo, as depmod computes them) loaded first; insmod,
 * rmmod, and a class for each module. Modules run in worker processes, so a module that breaks
 * the emulator costs one row; results go to a JSON-lines file that a later run resumes from.
 */
@Command(name = "sweep", description = "Load and unload every .ko below DIR, each in a fresh kernel, and classify "
        + "what happened; rank the kernel symbols that are missing.")
final class Sweep implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(paramLabel = "DIR", description = "A directory tree of .ko files (e.g. an unpacked linux-image package).")
    Path dir;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "sweep.jsonl",
            description = "Per-module results, one JSON object per line (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--resume", description = "Keep the results already in --out and run only the other modules.")
    boolean resume;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", description = "Worker processes (default: the number of cores).")
    int jobs = Runtime.getRuntime().availableProcessors();

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "Wall-time budget of each call into module code (default: ${DEFAULT-VALUE}).")
    double timeout;

    @Option(names = "--top", paramLabel = "N", defaultValue = "40", description = "Missing symbols to rank (default: ${DEFAULT-VALUE}).")
    int top;

    /** A module found below DIR: its path and name and the names it depends on. */
    private record Ko(Path path, String name, List<String> depends) {
    }

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(dir)) {
            System.err.println("kmodemu sweep: " + dir + ": not a directory");
            return 2;
        }
        Map<String, Ko> byName = new LinkedHashMap<>();
        List<Ko> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".ko") && Files.isRegularFile(p)).sorted().toList()) {
                Ko ko = scan(p);
                all.add(ko);
                byName.putIfAbsent(ko.name(), ko);
            }
        }
        Map<String, JsonNode> done = new LinkedHashMap<>();
        if (resume && Files.exists(out)) {
            for (String l : Files.readAllLines(out)) {
                if (!l.isBlank()) {
                    JsonNode n = JSON.readTree(l);
                    done.put(n.get("module").asText(), n);
                }
            }
        } else {
            Files.deleteIfExists(out);
        }
        BlockingQueue<ObjectNode> jobQueue = new LinkedBlockingQueue<>();
        Map<String, JsonNode> results = new LinkedHashMap<>(done);
        for (Ko ko : all) {
            if (done.containsKey(ko.path().toString())) {
                continue;
            }
            ObjectNode job = JSON.createObjectNode();
            job.put("module", ko.path().toString());
            job.put("budgetMs", (long) (timeout * 1000));
            var deps = job.putArray("deps");
            String missingDep = null;
            try {
                for (Ko d : loadOrder(ko, byName)) {
                    deps.add(d.path().toString());
                }
            } catch (IllegalStateException e) {
                missingDep = e.getMessage();
            }
            if (missingDep != null) {
                ObjectNode r = JSON.createObjectNode();
                r.put("module", ko.path().toString());
                r.put("class", "dependency-missing");
                r.put("message", missingDep);
                results.put(ko.path().toString(), r);
                append(r);
                continue;
            }
            jobQueue.add(job);
        }
        int total = jobQueue.size();
        long t0 = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        int[] finished = {0};
        for (int i = 0; i < Math.max(1, jobs); i++) {
            Thread t = Thread.ofPlatform().name("sweep-" + i).start(() -> drive(jobQueue, results, finished, total));
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        System.err.printf("\r%d modules run in %.1f s with %d worker(s)%n", total, (System.nanoTime() - t0) / 1e9,
                Math.max(1, jobs));
        System.out.print(summary(results.values(), top));
        return 0;
    }

    /** Reads name and depends from .modinfo; a file that is not a module still gets a row. */
    private static Ko scan(Path p) {
        String file = p.getFileName().toString();
        String name = file.substring(0, file.length() - 3).replace('-', '_');
        List<String> depends = List.of();
        try {
            ElfFile elf = ElfFile.parse(Files.readAllBytes(p));
            ElfFile.Section s = elf.findSec(".modinfo");
            if (s != null) {
                ModInfo mi = ModInfo.parse(elf.contents(s));
                if (mi.get("name") != null) {
                    name = mi.get("name");
                }
                String d = mi.get("depends");
                if (d != null && !d.isEmpty()) {
                    depends = List.of(d.split(","));
                }
            }
        } catch (IOException | ModuleFormatException e) {
            // insmod will say what is wrong with it
        }
        return new Ko(p, name, depends);
    }

    /** The dependencies of {@code ko} in the order modprobe inserts them (deepest first). */
    private static List<Ko> loadOrder(Ko ko, Map<String, Ko> byName) {
        LinkedHashSet<Ko> order = new LinkedHashSet<>();
        visit(ko, byName, order, new LinkedHashSet<>());
        order.remove(ko);
        return List.copyOf(order);
    }

    private static void visit(Ko ko, Map<String, Ko> byName, Set<Ko> order, Set<String> onPath) {
        if (!onPath.add(ko.name())) {
            throw new IllegalStateException("dependency cycle through " + ko.name());
        }
        for (String d : ko.depends()) {
            Ko dep = byName.get(d.replace('-', '_'));
            if (dep == null) {
                throw new IllegalStateException("needs module " + d + ", not found below the directory");
            }
            if (!order.contains(dep)) {
                visit(dep, byName, order, onPath);
            }
        }
        onPath.remove(ko.name());
        order.add(ko);
    }

    /** One worker thread: owns a worker process, restarts it when it dies or hangs. */
    private void drive(BlockingQueue<ObjectNode> queue, Map<String, JsonNode> results, int[] finished, int total) {
        Worker w = null;
        try {
            for (ObjectNode job = queue.poll(); job != null; job = queue.poll()) {
                if (w == null) {
                    w = new Worker();
                }
                long limitMs = Math.max(30_000, job.get("budgetMs").asLong() * 20);
                ObjectNode r = w.run(job, limitMs);
                if (r == null) {
                    r = JSON.createObjectNode();
                    r.put("module", job.get("module").asText());
                    boolean alive = w.process.isAlive();
                    r.put("class", alive ? "hang" : "crash");
                    r.put("message", alive ? "no result after " + limitMs / 1000 + " s"
                            : "the worker process died (exit " + w.process.exitValue() + "): " + w.stderrTail());
                    w.kill();
                    w = null;
                }
                synchronized (results) {
                    results.put(job.get("module").asText(), r);
                    append(r);
                    finished[0]++;
                    System.err.printf("\r%d/%d", finished[0], total);
                }
            }
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("kmodemu sweep: " + e.getMessage(), e);
        } finally {
            if (w != null) {
                w.kill();
            }
        }
    }

    private synchronized void append(JsonNode r) {
        try {
            Files.writeString(out, JSON.writeValueAsString(r) + "\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException("kmodemu sweep: cannot write " + out + ": " + e.getMessage(), e);
        }
    }

    /** A {@link SweepWorker} process started with this JVM's options. */
    private static final class Worker {
        final Process process;
        final BufferedWriter in;
        final BufferedReader outReader;
        final Path stderr;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        Worker() throws IOException {
            List<String> cmd = new ArrayList<>();
            cmd.add(ProcessHandle.current().info().command().orElse("java"));
            for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                // one CDS archive writer at a time; full JIT for long runs
                if (!a.contains("SharedArchiveFile") && !a.contains("AutoCreateSharedArchive")
                        && !a.startsWith("-XX:TieredStopAtLevel") && !a.startsWith("-Xshare")) {
                    cmd.add(a);
                }
            }
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(SweepWorker.class.getName());
            stderr = Files.createTempFile("kmodemu-sweep", ".err");
            process = new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
            in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
            outReader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            Thread.ofVirtual().start(() -> {
                try {
                    for (String l = outReader.readLine(); l != null; l = outReader.readLine()) {
                        lines.add(l);
                    }
                } catch (IOException e) {
                    // the process is gone; run() notices
                }
            });
        }

        /** Sends one job; returns its result, or null if the process died or gave none in time. */
        ObjectNode run(ObjectNode job, long limitMs) throws IOException, InterruptedException {
            try {
                in.write(JSON.writeValueAsString(job));
                in.newLine();
                in.flush();
            } catch (IOException e) {
                return null;
            }
            long deadline = System.nanoTime() + limitMs * 1_000_000;
            while (System.nanoTime() < deadline) {
                String l = lines.poll(200, TimeUnit.MILLISECONDS);
                if (l != null) {
                    return (ObjectNode) JSON.readTree(l);
                }
                if (!process.isAlive() && lines.isEmpty()) {
                    return null;
                }
            }
            return null;
        }

        String stderrTail() {
            try {
                List<String> l = Files.readAllLines(stderr);
                return l.isEmpty() ? "" : l.get(l.size() - 1);
            } catch (IOException e) {
                return "";
            }
        }

        void kill() {
            process.destroyForcibly();
            try {
                Files.deleteIfExists(stderr);
            } catch (IOException e) {
                // a temp file left behind
            }
        }
    }

    /**
     * What the workers ran after init ({@link SweepWorker}): how many modules registered files,
     * how many files of each kind were read, failed to read, oopsed; and the WARNs and oopses.
     */
    static String exerciseSummary(Iterable<JsonNode> results) {
        int modules = 0;
        int oopsed = 0;
        int warned = 0;
        Map<String, int[]> kinds = new TreeMap<>();
        int[] nls = new int[4];
        for (JsonNode r : results) {
            for (JsonNode t : r.path("nls")) {
                nls[0]++;
                if (t.has("result")) {
                    nls[3]++;
                } else {
                    nls[1] += t.get("decoded").asInt();
                    nls[2] += t.get("roundTrips").asInt();
                }
            }
            JsonNode ex = r.get("exercised");
            if (ex == null || ex.isEmpty()) {
                continue;
            }
            modules++;
            for (JsonNode f : ex) {
                int[] c = kinds.computeIfAbsent(f.get("kind").asText(), x -> new int[3]);
                String res = f.get("result").asText();
                c[res.startsWith("read ") ? 0 : res.equals("oops") || res.equals("panic") ? 2 : 1]++;
            }
            if (r.path("exerciseOops").asBoolean(false)) {
                oopsed++;
            }
            for (JsonNode x : r.path("exerciseFindings")) {
                if (x.asText().startsWith("warning")) {
                    warned++;
                    break;
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%nexercised after init (files the module registered, read once): %d modules%n", modules));
        for (var e : kinds.entrySet()) {
            int[] c = e.getValue();
            sb.append(String.format("  %-26s %6d files: %d read, %d errors, %d oopsed%n", e.getKey(), c[0] + c[1] + c[2],
                    c[0], c[1], c[2]));
        }
        if (nls[0] > 0) {
            sb.append(String.format("  %-26s %6d tables: %d characters decoded, %d encoded back, %d oopsed%n",
                    "nls", nls[0], nls[1], nls[2], nls[3]));
        }
        sb.append(String.format("  %-26s %6d%n  %-26s %6d%n", "modules oopsing in use", oopsed, "modules warning in use",
                warned));
        return sb.toString();
    }

    /** The report: modules per class, then the missing symbols that would unlock the most modules. */
    static String summary(Iterable<JsonNode> results, int top) {
        Map<String, Integer> classes = new TreeMap<>();
        Map<String, Integer> alone = new HashMap<>();
        Map<String, Integer> needed = new HashMap<>();
        int n = 0;
        for (JsonNode r : results) {
            n++;
            classes.merge(r.get("class").asText(), 1, Integer::sum);
            JsonNode m = r.get("missing");
            if (m != null && m.size() > 0) {
                for (JsonNode s : m) {
                    needed.merge(s.asText(), 1, Integer::sum);
                }
                if (m.size() == 1) {
                    alone.merge(m.get(0).asText(), 1, Integer::sum);
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-28s %6d%n", "modules", n));
        for (var e : classes.entrySet()) {
            sb.append(String.format("  %-26s %6d  %5.1f%%%n", e.getKey(), e.getValue(), 100.0 * e.getValue() / n));
        }
        sb.append(exerciseSummary(results));
        if (!needed.isEmpty()) {
            sb.append(String.format("%nmissing kernel symbols (modules it alone would unlock, modules needing it):%n"));
            needed.entrySet().stream()
                    .sorted((a, b) -> {
                        int c = Integer.compare(alone.getOrDefault(b.getKey(), 0), alone.getOrDefault(a.getKey(), 0));
                        return c != 0 ? c : Integer.compare(b.getValue(), a.getValue());
                    })
                    .limit(top)
                    .forEach(e -> sb.append(String.format("  %-40s %5d %6d%n", e.getKey(),
                            alone.getOrDefault(e.getKey(), 0), e.getValue())));
        }
        return sb.toString();
    }
}
