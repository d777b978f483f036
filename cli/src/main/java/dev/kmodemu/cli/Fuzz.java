package dev.kmodemu.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmodemu.fuzz.Execution;
import dev.kmodemu.fuzz.FuzzBench;
import dev.kmodemu.fuzz.FuzzConfig;
import dev.kmodemu.fuzz.FuzzFinding;
import dev.kmodemu.fuzz.FuzzResult;
import dev.kmodemu.fuzz.FuzzSetupException;
import dev.kmodemu.fuzz.FuzzStats;
import dev.kmodemu.fuzz.Fuzzer;
import dev.kmodemu.fuzz.Reproducer;
import dev.kmodemu.fuzz.Target;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code kmodemu fuzz MODULE.ko}: coverage-guided fuzzing of a module's init path and handlers
 * (see {@link Fuzzer}); {@code --replay FILE} runs one saved input again and prints what happened.
 */
@Command(name = "fuzz", description = "Fuzz a module: its parameters, failures of the kernel calls it makes, and "
        + "data to the files it registers; report oopses, WARNs, BUGs, lockups, leftovers, with minimized reproducers.")
final class Fuzz implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Parameters(paramLabel = "MODULE.ko", arity = "0..1", description = "The module to fuzz.")
    Path module;

    @Option(names = "--params", description = "Fuzz the module's parameters.")
    boolean params;

    @Option(names = "--faults", description = "Fuzz which kernel calls the module makes fail (allocations, "
            + "registrations, user copies) and how.")
    boolean faults;

    @Option(names = "--files", description = "Fuzz writes, reads and ioctls on the files the module registers.")
    boolean files;

    @Option(names = "--file", paramLabel = "PREFIX", description = "Only the module's files starting with PREFIX "
            + "(repeatable; implies --files).")
    List<String> filePrefixes = new ArrayList<>();

    @Option(names = "--with-params", paramLabel = "PARAMS", defaultValue = "",
            description = "Parameters given on every load ('name=value ...'), not fuzzed.")
    String fixedParams;

    @Option(names = "--max-time", paramLabel = "SECONDS", defaultValue = "60",
            description = "Wall time to fuzz for (default: ${DEFAULT-VALUE}).")
    double maxTime;

    @Option(names = "--runs", paramLabel = "N", description = "Executions to run at most.")
    long runs = Long.MAX_VALUE;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Seed of the mutator; with one job and --runs a campaign is reproducible (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", defaultValue = "1",
            description = "Workers, each with its own kernel, on threads of this process (default: ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--max-blocks", paramLabel = "N",
            description = "Instruction budget of each call into module code, in translation blocks; more is a soft "
                    + "lockup (default: ${DEFAULT-VALUE}).")
    long maxBlocks = FuzzConfig.DEFAULT_MAX_BLOCKS;

    @Option(names = "--max-len", paramLabel = "BYTES", description = "Longest input (default: ${DEFAULT-VALUE}).")
    int maxLen = FuzzConfig.DEFAULT_MAX_LEN;

    @Option(names = "--no-rmmod", description = "Do not end each execution with rmmod (faster; exit and leftovers "
            + "are not tested).")
    boolean noRmmod;

    @Option(names = "--corpus", paramLabel = "DIR", description = "Start from the inputs in DIR (every file is one).")
    Path corpus;

    @Option(names = "--out", paramLabel = "DIR", description = "Where findings (findings/) and the minimized corpus "
            + "(corpus/) go (default: fuzz-MODULE).")
    Path out;

    @Option(names = "--replay", paramLabel = "FILE", description = "Run the input in FILE once and print what happened: "
            + "a reproducer (.json) or a raw input with MODULE.ko and the target options.")
    Path replay;

    @Option(names = "--json", description = "Print one JSON object: figures and findings (or the replay).")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "No progress line.")
    boolean quiet;

    @Option(names = "--bench", description = "Measure snapshot restores and the throughput of campaigns on the "
            + "bundled test modules (each for --max-time seconds, default 10).")
    boolean bench;

    @Override
    public Integer call() {
        PrintStream err = System.err;
        try {
            if (bench) {
                double each = maxTime == 60 ? 10 : maxTime;
                FuzzBench.run(name -> Main.bundledModule(name.startsWith("fuzz_") ? "fuzzbugs" : name, name),
                        Duration.ofMillis((long) (each * 1000)), System.out);
                return 0;
            }
            return replay != null ? replay(err) : campaign(err);
        } catch (FuzzSetupException | IllegalArgumentException e) {
            err.println(e.getMessage().startsWith("kmodemu") || e.getMessage().startsWith("insmod")
                    ? e.getMessage() : "kmodemu fuzz: " + e.getMessage());
            return 2;
        }
    }

    private EnumSet<Target> targets() {
        EnumSet<Target> t = EnumSet.noneOf(Target.class);
        if (params) {
            t.add(Target.PARAMS);
        }
        if (faults) {
            t.add(Target.FAULTS);
        }
        if (files || !filePrefixes.isEmpty()) {
            t.add(Target.FILES);
        }
        if (t.isEmpty()) {
            t.addAll(EnumSet.of(Target.PARAMS, Target.FAULTS, Target.FILES));
        }
        return t;
    }

    private Fuzzer.Builder builder() {
        if (module == null) {
            throw new FuzzSetupException("kmodemu fuzz: no module given");
        }
        if (jobs < 1 || maxBlocks <= 0 || maxLen < 1 || maxTime <= 0) {
            throw new FuzzSetupException("kmodemu fuzz: --jobs, --max-blocks, --max-len and --max-time must be positive");
        }
        Fuzzer.Builder b = Fuzzer.forModule(module);
        EnumSet<Target> t = targets();
        if (t.contains(Target.PARAMS)) {
            b.params();
        }
        if (t.contains(Target.FAULTS)) {
            b.faults();
        }
        if (t.contains(Target.FILES)) {
            b.files(filePrefixes.toArray(new String[0]));
        }
        return b.fixedParams(fixedParams).maxBlocks(maxBlocks).maxLen(maxLen).rmmod(!noRmmod).seed(seed)
                .maxTime(Duration.ofMillis((long) (maxTime * 1000))).runs(runs).jobs(jobs);
    }

    private int campaign(PrintStream err) {
        Fuzzer.Builder b = builder();
        String name = module.getFileName().toString().replaceAll("\\.ko$", "");
        Path dir = out != null ? out : Path.of("fuzz-" + name);
        b.out(dir);
        if (corpus != null) {
            b.seeds(Fuzzer.readCorpus(corpus, maxLen, err::println));
        }
        boolean tty = System.console() != null && System.console().isTerminal();
        if (!quiet) {
            b.progress(s -> {
                if (tty) {
                    err.print("\r\033[K" + s.line());
                    err.flush();
                } else {
                    err.println(s.line());
                }
            });
        }
        b.onFinding(f -> {
            if (!quiet) {
                err.println((tty ? "\r\033[K" : "") + "new finding: " + f.key()
                        + (f.saved() == null ? "" : " (" + f.saved() + ")"));
            }
        });
        FuzzResult r = b.run();
        if (tty && !quiet) {
            err.println();
        }
        if (json) {
            System.out.println(toJson(r, dir));
        } else {
            summary(r, dir, System.out);
        }
        return r.findings().isEmpty() ? 0 : 1;
    }

    private static void summary(FuzzResult r, Path dir, PrintStream out) {
        FuzzStats s = r.stats();
        out.printf(Locale.ROOT, "%d executions in %.1f s (%.0f/s), %d edges, corpus %d (%d after minimization), "
                + "%d dictionary tokens, %d finding%s%n", s.execs(), s.elapsed().toMillis() / 1000.0, s.execsPerSecond(),
                s.edges(), r.corpus().size(), r.minimizedCorpus().size(), r.dictionary(), r.findings().size(),
                r.findings().size() == 1 ? "" : "s");
        if (s.slow() > 0) {
            out.printf("%d executions ran past --max-blocks but finished with ten times that: long loops, not reported%n",
                    s.slow());
        }
        for (FuzzFinding f : r.findings()) {
            out.print(FuzzResult.describe(f));
        }
        out.println("corpus and findings in " + dir);
    }

    private String toJson(FuzzResult r, Path dir) {
        ObjectNode o = JSON.createObjectNode();
        o.put("module", module.toString());
        ArrayNode t = o.putArray("targets");
        targets().forEach(x -> t.add(x.name().toLowerCase(Locale.ROOT)));
        o.put("seed", seed);
        o.put("out", dir.toString());
        FuzzStats s = r.stats();
        ObjectNode st = o.putObject("stats");
        st.put("execs", s.execs());
        st.put("seconds", s.elapsed().toMillis() / 1000.0);
        st.put("execsPerSecond", Math.round(s.execsPerSecond()));
        st.put("edges", s.edges());
        st.put("corpus", r.corpus().size());
        st.put("minimizedCorpus", r.minimizedCorpus().size());
        st.put("dictionary", r.dictionary());
        st.put("hits", s.hits());
        st.put("rebuilds", s.rebuilds());
        st.put("slow", s.slow());
        ArrayNode fs = o.putArray("findings");
        for (FuzzFinding f : r.findings()) {
            ObjectNode x = fs.addObject();
            x.put("key", f.key());
            x.put("type", f.type());
            x.put("title", f.title());
            x.put("location", f.location());
            x.put("module", f.module());
            x.put("count", f.count());
            x.put("firstExec", f.firstExec());
            x.put("reproducer", f.saved());
            x.put("input", HexFormat.of().formatHex(f.input()));
            f.program().forEach(x.putArray("program")::add);
            f.faults().forEach(x.putArray("faults")::add);
            f.report().forEach(x.putArray("report")::add);
        }
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private int replay(PrintStream err) {
        FuzzConfig config;
        byte[] input;
        String expected = null;
        if (replay.toString().endsWith(".json")) {
            Reproducer.Loaded l = Reproducer.read(replay, module, null);
            if (l.moduleChanged()) {
                err.println("kmodemu fuzz: warning: " + l.config().moduleFile() + " is not the module the finding was made with"
                        + " (its SHA-256 differs)");
            }
            config = l.config();
            input = l.input();
            expected = l.key();
        } else {
            try {
                input = Files.readAllBytes(replay);
            } catch (IOException e) {
                throw new FuzzSetupException("kmodemu fuzz: " + replay + ": No such file or directory");
            }
            config = builder().config();
        }
        Execution e = Fuzzer.replay(config, input);
        List<String> keys = Fuzzer.keys(e);
        if (json) {
            ObjectNode o = JSON.createObjectNode();
            o.put("module", config.moduleFile());
            o.put("input", HexFormat.of().formatHex(input));
            o.put("outcome", e.outcome().name().toLowerCase(Locale.ROOT));
            e.program().describe(e.files()).forEach(o.putArray("program")::add);
            e.injected().forEach(x -> o.withArray("faults").add(x.toString()));
            e.log().forEach(o.putArray("log")::add);
            keys.forEach(o.putArray("findings")::add);
            if (expected != null) {
                o.put("reproduced", keys.contains(expected));
            }
            try {
                System.out.println(JSON.writeValueAsString(o));
            } catch (IOException ex) {
                throw new IllegalStateException(ex);
            }
        } else {
            PrintStream out = System.out;
            for (String p : e.program().describe(e.files())) {
                out.println("# " + p);
            }
            e.injected().forEach(x -> out.println("# injected " + x));
            for (String l : e.log()) {
                if (!l.isEmpty()) {
                    out.println(l);
                }
            }
            for (Execution.Problem p : e.problems()) {
                out.println("kmodemu fuzz: " + p.type() + ": " + p.title());
            }
            out.println("# findings: " + (keys.isEmpty() ? "none" : String.join("; ", keys)));
            if (expected != null) {
                out.println("# " + (keys.contains(expected) ? "reproduced: " : "NOT reproduced: ") + expected);
            }
        }
        return keys.isEmpty() ? 0 : 1;
    }
}
