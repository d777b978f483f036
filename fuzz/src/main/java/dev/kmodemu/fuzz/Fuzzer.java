package dev.kmodemu.fuzz;

import dev.kmodemu.kstubs.Finding;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Coverage-guided fuzzing of a kernel module: the engine behind {@code kmodemu fuzz}, usable from
 * a JUnit test.
 *
 * <pre>{@code
 * FuzzResult r = Fuzzer.forModule(Path.of("mymod.ko"))
 *         .params().faults().files()
 *         .maxTime(Duration.ofSeconds(5)).seed(1)
 *         .run();
 * r.assertNoFindings();          // fails the test with each finding's report and reproducer
 * }</pre>
 *
 * Each worker boots its own kernel, loads the module and snapshots the kernel where executions
 * start; an execution runs one input (parameters and init, fail points, file operations, the
 * harness, rmmod), records edge coverage of the module's code, and restores the snapshot. Inputs
 * bringing new coverage join the corpus; the mutator works on corpus entries with the module's
 * dictionary. Every kernel report, leftover and emulator error is a finding, deduplicated by kind
 * and place, its input minimized. With one job, a seed and a run count, a campaign is exactly
 * reproducible.
 */
public final class Fuzzer {
    /** Havoc inputs made from one corpus pick. */
    static final int HAVOC_ROUNDS = 64;
    /** Executions a finding's minimization may spend. */
    static final int MINIMIZE_BUDGET = 1500;
    /** How many times the budget a soft lockup must also exceed to be reported. */
    static final int LOCKUP_CONFIRM = 10;

    private final FuzzConfig config;
    private final long seed;
    private final Duration maxTime;
    private final long runs;
    private final int jobs;
    private final List<byte[]> seeds;
    private final Consumer<FuzzStats> progress;
    private final Consumer<FuzzFinding> onFinding;
    private final java.util.function.Predicate<FuzzFinding> stopWhen;

    private Fuzzer(Builder b, FuzzConfig config) {
        this.config = config;
        this.seed = b.seed;
        this.maxTime = b.maxTime;
        this.runs = b.runs;
        this.jobs = b.jobs;
        this.seeds = List.copyOf(b.seeds);
        this.progress = b.progress;
        this.onFinding = b.onFinding;
        this.stopWhen = b.stopWhen;
    }

    /** A fuzzer for the module in {@code ko}. */
    public static Builder forModule(Path ko) {
        byte[] image;
        try {
            image = Files.readAllBytes(ko);
        } catch (NoSuchFileException e) {
            throw new FuzzSetupException("kmodemu fuzz: " + ko + ": No such file or directory");
        } catch (IOException e) {
            throw new FuzzSetupException("kmodemu fuzz: " + ko + ": " + e.getMessage());
        }
        return new Builder(ko.toString(), image);
    }

    /** A fuzzer for a module image; {@code file} is its name in messages ({@code mymod.ko}). */
    public static Builder forModule(String file, byte[] image) {
        return new Builder(file, image);
    }

    /** Configures a campaign. */
    public static final class Builder {
        private final String file;
        private final byte[] image;
        private final EnumSet<Target> targets = EnumSet.noneOf(Target.class);
        private String fixedParams = "";
        private Harness harness;
        private long maxBlocks = FuzzConfig.DEFAULT_MAX_BLOCKS;
        private int maxLen = FuzzConfig.DEFAULT_MAX_LEN;
        private boolean rmmod = true;
        private final List<String> files = new ArrayList<>();
        private Path out;
        private long seed = 1;
        private Duration maxTime = Duration.ofSeconds(10);
        private long runs = Long.MAX_VALUE;
        private int jobs = 1;
        private final List<byte[]> seeds = new ArrayList<>();
        private Consumer<FuzzStats> progress;
        private Consumer<FuzzFinding> onFinding;
        private java.util.function.Predicate<FuzzFinding> stopWhen;

        private Builder(String file, byte[] image) {
            this.file = file;
            this.image = image;
        }

        /** Fuzz the module's parameters. */
        public Builder params() {
            targets.add(Target.PARAMS);
            return this;
        }

        /** Fuzz which kernel calls fail (allocations, registrations, user copies). */
        public Builder faults() {
            targets.add(Target.FAULTS);
            return this;
        }

        /** Fuzz writes, reads and ioctls on the files the module registers; {@code prefixes} limits which. */
        public Builder files(String... prefixes) {
            targets.add(Target.FILES);
            files.addAll(List.of(prefixes));
            return this;
        }

        /** Give each input to {@code h}, which drives the kernel. */
        public Builder harness(Harness h) {
            targets.add(Target.HARNESS);
            harness = h;
            return this;
        }

        /** Parameters given on every load, not fuzzed. */
        public Builder fixedParams(String params) {
            fixedParams = params;
            return this;
        }

        /** The instruction budget of each call into module code (translation blocks). */
        public Builder maxBlocks(long blocks) {
            maxBlocks = blocks;
            return this;
        }

        public Builder maxLen(int bytes) {
            maxLen = bytes;
            return this;
        }

        /** Whether each execution ends with rmmod (default true). */
        public Builder rmmod(boolean on) {
            rmmod = on;
            return this;
        }

        /** Where to save findings ({@code findings/}) and the corpus ({@code corpus/}). */
        public Builder out(Path dir) {
            out = dir;
            return this;
        }

        public Builder seed(long s) {
            seed = s;
            return this;
        }

        /** Wall-time budget of the campaign (default 10 s). */
        public Builder maxTime(Duration d) {
            maxTime = d;
            return this;
        }

        /** Executions to run at most. */
        public Builder runs(long n) {
            runs = n;
            return this;
        }

        /** Workers, each with its own kernel on its own thread. */
        public Builder jobs(int n) {
            jobs = Math.max(1, n);
            return this;
        }

        /** Inputs to start the corpus from (besides the built-in ones). */
        public Builder seeds(List<byte[]> inputs) {
            seeds.addAll(inputs);
            return this;
        }

        /** Called about once a second with the figures. */
        public Builder progress(Consumer<FuzzStats> p) {
            progress = p;
            return this;
        }

        /** Called with each new distinct finding (its input minimized). */
        public Builder onFinding(Consumer<FuzzFinding> c) {
            onFinding = c;
            return this;
        }

        /** Ends the campaign at the first finding {@code p} accepts (e.g. a test looking for one bug). */
        public Builder stopWhen(java.util.function.Predicate<FuzzFinding> p) {
            stopWhen = p;
            return this;
        }

        public FuzzConfig config() {
            return new FuzzConfig(file, image, targets, fixedParams, harness, maxBlocks, maxLen, rmmod, files, out);
        }

        /** Runs the campaign. */
        public FuzzResult run() {
            return new Fuzzer(this, config()).campaign();
        }
    }

    // ---------------------------------------------------------------- the campaign

    /** State shared by the workers. */
    private final class Shared {
        final Corpus corpus = new Corpus();
        final Map<String, FuzzFinding> findings = new LinkedHashMap<>();
        final AtomicLong execs = new AtomicLong();
        final AtomicLong hits = new AtomicLong();
        /** Soft lockups that finished with a larger budget (long loops, not reported). */
        final AtomicLong slow = new AtomicLong();
        /** CPU time of the workers that finished. */
        final AtomicLong cpu = new AtomicLong();
        final AtomicBoolean stop = new AtomicBoolean();
        final long start = System.nanoTime();
        Coverage coverage;
        Dictionary dictionary;
        volatile RuntimeException failure;
        long rebuilds;

        boolean done() {
            return stop.get() || execs.get() >= runs || System.nanoTime() - start >= maxTime.toNanos();
        }

        FuzzStats stats(double rate) {
            synchronized (findings) {
                return new FuzzStats(execs.get(), rate, coverage.edges(), corpus.size(), findings.size(), hits.get(),
                        Duration.ofNanos(System.nanoTime() - start), rebuilds, slow.get(), Duration.ofNanos(cpu.get()));
            }
        }
    }

    private FuzzResult campaign() {
        Shared s = new Shared();
        s.dictionary = Dictionary.of(config.image());
        List<Worker> workers = new ArrayList<>();
        try {
            for (int i = 0; i < jobs; i++) {
                workers.add(new Worker(s, i));
            }
        } catch (RuntimeException e) {
            workers.forEach(Worker::close);
            throw e;
        }
        s.coverage = new Coverage((int) workers.get(0).executor.map().byteSize());
        List<Thread> threads = new ArrayList<>();
        for (Worker w : workers) {
            Thread t = Thread.ofPlatform().name("kmodemu fuzz " + w.id).unstarted(w);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        long lastExecs = 0;
        long lastTime = System.nanoTime();
        try {
            while (threads.stream().anyMatch(Thread::isAlive)) {
                for (Thread t : threads) {
                    if (t.isAlive()) {
                        t.join(250);
                        break;
                    }
                }
                long now = System.nanoTime();
                long e = s.execs.get();
                if (progress != null && now - lastTime >= 900_000_000L) {
                    progress.accept(s.stats((e - lastExecs) / ((now - lastTime) / 1e9)));
                    lastExecs = e;
                    lastTime = now;
                }
            }
        } catch (InterruptedException e) {
            s.stop.set(true);
            Thread.currentThread().interrupt();
        } finally {
            s.stop.set(true);
            for (Thread t : threads) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            workers.forEach(Worker::close);
        }
        if (s.failure != null) {
            throw s.failure;
        }
        double seconds = (System.nanoTime() - s.start) / 1e9;
        FuzzStats stats = s.stats(s.execs.get() / Math.max(seconds, 1e-9));
        List<byte[]> minimized = s.corpus.minimized();
        if (config.out() != null) {
            saveCorpus(minimized);
        }
        List<FuzzFinding> found;
        synchronized (s.findings) {
            found = new ArrayList<>(s.findings.values());
        }
        return new FuzzResult(found, stats, s.corpus.inputs(), minimized, s.dictionary.size());
    }

    /** One worker: a kernel, a mutator, the loop. */
    private final class Worker implements Runnable, AutoCloseable {
        final Shared s;
        final int id;
        final Executor executor;
        final Mutator mutator;
        final int[] indices;
        final byte[] buckets;
        final long[] words;

        Worker(Shared s, int id) {
            this.s = s;
            this.id = id;
            this.executor = new Executor(config);
            this.mutator = new Mutator(seed * 0x9e3779b97f4a7c15L + id, s.dictionary, config.maxLen(),
                    config.targets().contains(Target.FAULTS) ? Program.FAULT_POINTS : 0);
            executor.observeComparisons((a, b) -> {
                s.dictionary.observed(a);
                s.dictionary.observed(b);
            });
            int size = (int) executor.map().byteSize();
            indices = new int[size];
            buckets = new byte[size];
            words = new long[size / 8];
        }

        @Override
        public void run() {
            long cpu0 = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            try {
                loop();
            } finally {
                s.cpu.addAndGet(java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0);
            }
        }

        private void loop() {
            try {
                if (id == 0) {
                    for (byte[] in : initialInputs(executor.layout(), s.dictionary)) {
                        if (s.done()) {
                            return;
                        }
                        judge(in);
                    }
                }
                Corpus.Entry entry = null;
                Mutator.Deterministic det = null;
                int rounds = 0;
                while (!s.done()) {
                    if (det != null) {
                        byte[] in = det.next();
                        if (in != null) {
                            judge(in);
                            continue;
                        }
                        det = null;
                        entry.deterministicDone = true;
                    }
                    if (entry == null || rounds == 0) {
                        entry = s.corpus.pick(mutator.random());
                        rounds = HAVOC_ROUNDS;
                        if (entry == null) {
                            judge(mutator.havoc(new byte[0], null));
                            continue;
                        }
                        if (!entry.deterministicDone && entry.picked == 1) {
                            det = mutator.deterministic(entry.data);
                            if (det != null) {
                                continue;
                            }
                            entry.deterministicDone = true;
                        }
                    }
                    Corpus.Entry other = s.corpus.random(mutator.random());
                    judge(mutator.havoc(entry.data, other == null ? null : other.data));
                    rounds--;
                }
            } catch (RuntimeException e) {
                s.failure = e;
                s.stop.set(true);
            }
        }

        /** Runs an input and keeps what it brings: coverage, findings. */
        void judge(byte[] in) {
            if (s.done()) {
                return;
            }
            Execution e = executor.run(in);
            long n = s.execs.incrementAndGet();
            int k = Coverage.trace(executor.map(), words, indices, buckets);
            if (s.coverage.merge(indices, buckets, k) != Coverage.NONE) {
                s.corpus.add(in, java.util.Arrays.copyOf(indices, k), n);
            }
            if (e.found()) {
                s.hits.incrementAndGet();
                found(e, in, n);
            }
            synchronized (s) {
                s.rebuilds += executor.rebuilds() - rebuildsSeen;
                rebuildsSeen = executor.rebuilds();
            }
        }

        private long rebuildsSeen;

        private void found(Execution e, byte[] in, long exec) {
            List<FuzzFinding> fresh = new ArrayList<>();
            List<String> lockups = new ArrayList<>();
            for (Finding f : e.kernelFindings()) {
                String key = FuzzFinding.keyOf(f);
                if (f.type() == Finding.Type.SOFT_LOCKUP && !confirmedLockup(key, in)) {
                    lockups.add(key);
                }
            }
            synchronized (s.findings) {
                for (Finding f : e.kernelFindings()) {
                    if (!lockups.contains(FuzzFinding.keyOf(f))) {
                        record(FuzzFinding.keyOf(f), () -> FuzzFinding.of(f, exec, e, in), fresh);
                    }
                }
                for (Execution.Problem p : e.problems()) {
                    record(FuzzFinding.keyOf(p), () -> FuzzFinding.of(p, exec, e, in, config.moduleName()), fresh);
                }
            }
            for (FuzzFinding f : fresh) {
                minimize(f);
                if (config.out() != null) {
                    save(f);
                }
                if (onFinding != null) {
                    onFinding.accept(f);
                }
                if (stopWhen != null && stopWhen.test(f)) {
                    s.stop.set(true);
                }
            }
        }

        /**
         * A soft lockup means the code ran past the instruction budget: it is reported if it also
         * runs past {@link #LOCKUP_CONFIRM} times that budget (code that spins without end), not
         * if it finishes then (a long loop). A key confirmed once is trusted afterwards; one that was
         * not is checked again at each hit.
         */
        private boolean confirmedLockup(String key, byte[] in) {
            synchronized (s.findings) {
                if (s.findings.containsKey(key)) {
                    return true;
                }
            }
            Execution again = executor.runWithBudget(in, config.maxBlocks() * LOCKUP_CONFIRM);
            for (Finding f : again.kernelFindings()) {
                if (f.type() == Finding.Type.SOFT_LOCKUP) {
                    return true;
                }
            }
            s.slow.incrementAndGet();
            return false;
        }

        private void record(String key, java.util.function.Supplier<FuzzFinding> make, List<FuzzFinding> fresh) {
            FuzzFinding old = s.findings.get(key);
            if (old != null) {
                old.hit();
                return;
            }
            FuzzFinding f = make.get();
            s.findings.put(key, f);
            fresh.add(f);
        }

        /** Shrinks a finding's input while it still reproduces the finding (AFL's tmin). */
        private void minimize(FuzzFinding f) {
            byte[] best = f.input();
            Execution bestRun = null;
            // a lockup must stay one with the confirming budget: fewer, slower runs
            boolean lockup = f.type().equals("soft_lockup");
            int budget = lockup ? MINIMIZE_BUDGET / 15 : MINIMIZE_BUDGET;
            // chunks out, largest first
            for (int chunk = Integer.highestOneBit(Math.max(1, best.length)); chunk >= 1 && budget > 0; chunk /= 2) {
                for (int at = 0; at + chunk <= best.length && budget > 0; ) {
                    byte[] cand = new byte[best.length - chunk];
                    System.arraycopy(best, 0, cand, 0, at);
                    System.arraycopy(best, at + chunk, cand, at, best.length - at - chunk);
                    budget--;
                    Execution r = reproduces(cand, f.key());
                    if (r != null) {
                        best = cand;
                        bestRun = r;
                    } else {
                        at += chunk;
                    }
                }
            }
            // bytes to zero or one, one by one; small counts one lower (fewer operations)
            for (int i = 0; i < best.length && budget > 0; i++) {
                if (best[i] == 0) {
                    continue;
                }
                int was = best[i] & 0xff;
                for (int v : new int[] {0, 1, was - 1}) {
                    if (v < 0 || v >= was || v == was - 1 && v > 1 && was > 16 || budget <= 0) {
                        continue;
                    }
                    byte[] cand = best.clone();
                    cand[i] = (byte) v;
                    budget--;
                    Execution r = reproduces(cand, f.key());
                    if (r != null) {
                        best = cand;
                        bestRun = r;
                        break;
                    }
                }
            }
            // and chunks out once more: a lower count may have left bytes nothing reads
            for (int at = best.length - 1; at >= 0 && budget > 0; at--) {
                byte[] cand = new byte[best.length - 1];
                System.arraycopy(best, 0, cand, 0, at);
                System.arraycopy(best, at + 1, cand, at, best.length - at - 1);
                budget--;
                Execution r = reproduces(cand, f.key());
                if (r != null) {
                    best = cand;
                    bestRun = r;
                }
            }
            if (bestRun != null) {
                f.minimized(best, bestRun.program().describe(bestRun.files()), FuzzFinding.faults(bestRun));
            }
        }

        private Execution reproduces(byte[] in, String key) {
            Execution e = key.startsWith("soft_lockup ") ? executor.runWithBudget(in, config.maxBlocks() * LOCKUP_CONFIRM)
                    : executor.run(in);
            for (Finding f : e.kernelFindings()) {
                if (FuzzFinding.keyOf(f).equals(key)) {
                    return e;
                }
            }
            for (Execution.Problem p : e.problems()) {
                if (FuzzFinding.keyOf(p).equals(key)) {
                    return e;
                }
            }
            return null;
        }

        @Override
        public void close() {
            executor.close();
        }
    }

    /** The built-in starting inputs, then the given seeds. */
    private List<byte[]> initialInputs(Program.Layout layout, Dictionary dict) {
        List<byte[]> out = new ArrayList<>();
        int prefix = (layout.targets().contains(Target.FAULTS) ? Program.FAULT_POINTS : 0)
                + (layout.targets().contains(Target.PARAMS) ? layout.params().size() : 0);
        out.add(new byte[prefix]);
        if (layout.targets().contains(Target.PARAMS)) {
            // each parameter given a typed value, one at a time
            int base = layout.targets().contains(Target.FAULTS) ? Program.FAULT_POINTS : 0;
            for (int i = 0; i < layout.params().size(); i++) {
                byte[] b = new byte[prefix + 1];
                b[base + i] = 1;
                out.add(b);
            }
        }
        if (layout.targets().contains(Target.FILES)) {
            for (int file = 0; file < 4; file++) {
                out.add(withOps(prefix, new byte[] {1, 0, (byte) file, 2, '1', '\n'}));       // write "1\n"
                out.add(withOps(prefix, new byte[] {1, 1, (byte) file, 8}));                   // read 129 bytes
                out.add(withOps(prefix, new byte[] {1, 3, (byte) file, 2, '0', '\n', 4}));     // write+read
            }
            // the words the module's code compares with, written to each file
            int words = 0;
            for (int i = 0; i < dict.size() && words < 64; i++) {
                byte[] t = dict.get(i);
                if (t.length < 2 || t.length > 64 || !text(t)) {
                    continue;
                }
                words++;
                for (int file = 0; file < 4; file++) {
                    byte[] op = new byte[4 + t.length];
                    op[0] = 1;
                    op[2] = (byte) file;
                    op[3] = (byte) t.length;
                    System.arraycopy(t, 0, op, 4, t.length);
                    out.add(withOps(prefix, op));
                }
            }
        }
        out.addAll(seeds);
        return out;
    }

    private static boolean text(byte[] t) {
        for (byte b : t) {
            if (b < 0x20 || b > 0x7e) {
                return false;
            }
        }
        return true;
    }

    private static byte[] withOps(int prefix, byte[] ops) {
        byte[] b = new byte[prefix + ops.length];
        System.arraycopy(ops, 0, b, prefix, ops.length);
        return b;
    }

    // ---------------------------------------------------------------- files

    private void save(FuzzFinding f) {
        try {
            Path dir = config.out().resolve("findings");
            Files.createDirectories(dir);
            String base = f.type() + "-" + sha1(f.key().getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 10);
            Path input = dir.resolve(base + ".input");
            Files.write(input, f.input());
            Path json = dir.resolve(base + ".json");
            Reproducer.write(json, config, f);
            f.saved(json.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("kmodemu fuzz: cannot save a finding in " + config.out(), e);
        }
    }

    private void saveCorpus(List<byte[]> inputs) {
        try {
            Path dir = config.out().resolve("corpus");
            Files.createDirectories(dir);
            Set<String> keep = new java.util.HashSet<>();
            for (byte[] in : inputs) {
                String name = sha1(in);
                keep.add(name);
                Files.write(dir.resolve(name), in);
            }
            try (var list = Files.list(dir)) {
                for (Path p : list.toList()) {
                    String n = p.getFileName().toString();
                    if (n.matches("[0-9a-f]{40}") && !keep.contains(n)) {
                        Files.delete(p);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("kmodemu fuzz: cannot save the corpus in " + config.out(), e);
        }
    }

    static String sha1(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads the inputs of a corpus directory (every regular file; larger files are cut to
     * {@code maxLen}); files that cannot be read are reported to {@code warn} and skipped.
     */
    public static List<byte[]> readCorpus(Path dir, int maxLen, Consumer<String> warn) {
        List<byte[]> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            warn.accept("kmodemu fuzz: " + dir + ": not a directory, no seeds read from it");
            return out;
        }
        try (var list = Files.list(dir)) {
            for (Path p : list.sorted().toList()) {
                if (!Files.isRegularFile(p)) {
                    continue;
                }
                try {
                    byte[] b = Files.readAllBytes(p);
                    if (b.length > maxLen) {
                        warn.accept("kmodemu fuzz: " + p + ": " + b.length + " bytes, cut to " + maxLen);
                        b = java.util.Arrays.copyOf(b, maxLen);
                    }
                    out.add(b);
                } catch (IOException e) {
                    warn.accept("kmodemu fuzz: " + p + ": cannot read it (" + e.getMessage() + "), skipped");
                }
            }
        } catch (IOException e) {
            warn.accept("kmodemu fuzz: " + dir + ": " + e.getMessage());
        }
        return out;
    }

    // ---------------------------------------------------------------- replay

    /**
     * Runs one input once, as a campaign would, and returns what happened (the kernel log of the
     * run, its findings, the failures injected).
     */
    public static Execution replay(FuzzConfig config, byte[] input) {
        try (Executor e = new Executor(config)) {
            return e.run(input);
        }
    }

    /** The distinct keys of an execution's findings, in order. */
    public static List<String> keys(Execution e) {
        List<String> out = new ArrayList<>();
        for (Finding f : e.kernelFindings()) {
            out.add(FuzzFinding.keyOf(f));
        }
        for (Execution.Problem p : e.problems()) {
            out.add(FuzzFinding.keyOf(p));
        }
        return out;
    }
}
