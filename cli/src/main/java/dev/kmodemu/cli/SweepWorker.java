package dev.kmodemu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmodemu.kstubs.Kernel;
import dev.kmodemu.kstubs.KernelException;
import dev.kmodemu.kstubs.KernelFile;
import dev.kmodemu.kstubs.fs.NlsBase;
import dev.kmodemu.kstubs.module.Modules;
import dev.kmodemu.kstubs.printk.KernelLog;
import dev.kmodemu.loader.ElfFile;
import dev.kmodemu.loader.ModInfo;
import dev.kmodemu.loader.ModuleFormatException;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One process of {@code kmodemu sweep}: reads jobs (one JSON object per line: the module's path,
 * its dependencies' paths in load order, the call budget) on stdin and answers each with one JSON
 * line on stdout. Every module gets a freshly booted kernel; whatever goes wrong inside it is a
 * row of the report, and only a crash of the process itself is left for the parent to record.
 */
public final class SweepWorker {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern UNKNOWN = Pattern.compile("^(\\S+): Unknown symbol (\\S+) \\(err (-?\\d+)\\)$");
    private static final int LOG_LINES = 60;

    private SweepWorker() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
                StandardCharsets.UTF_8);
        // Nothing but results may reach stdout.
        System.setOut(System.err);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            JsonNode job = JSON.readTree(line);
            ObjectNode r;
            try {
                r = run(job);
            } catch (RuntimeException | Error e) {
                r = JSON.createObjectNode();
                r.put("module", job.get("module").asText());
                r.put("class", "emulator-error");
                r.put("message", e.toString());
            }
            out.println(JSON.writeValueAsString(r));
            out.flush();
        }
    }

    static ObjectNode run(JsonNode job) throws java.io.IOException {
        long t0 = System.nanoTime();
        Path module = Path.of(job.get("module").asText());
        List<Path> deps = new ArrayList<>();
        job.get("deps").forEach(d -> deps.add(Path.of(d.asText())));
        Duration budget = Duration.ofMillis(job.path("budgetMs").asLong(2000));
        ObjectNode r = JSON.createObjectNode();
        r.put("module", module.toString());
        Kernel.Options options = Kernel.Options.defaults().withCallBudget(budget);
        if (job.hasNonNull("modules")) {
            // the tree plays /lib/modules/<release>: request_module() finds what modules ask for
            options = options.withModules(Path.of(job.get("modules").asText()));
        }
        try (Kernel k = Kernel.boot(options)) {
            for (Path d : deps) {
                Load l = load(k, d);
                if (l.failure != null) {
                    r.put("class", "dependency-failed");
                    r.put("dependency", d.toString());
                    r.put("message", l.failure.getMessage());
                    putMissing(r, l.missing);
                    finish(r, k, t0);
                    return r;
                }
            }
            int tested = k.cryptoSelfTests().size();
            String name = moduleName(module);
            Set<String> before = files(k);
            List<Long> nlsBefore = NlsBase.registered(k.context());
            Load l = load(k, module);
            putCrypto(r, k.cryptoSelfTests().subList(tested, k.cryptoSelfTests().size()));
            if (l.failure != null) {
                classifyFailure(r, k, l);
            } else {
                exercise(r, k, name, before);
                exerciseNls(r, k, nlsBefore);
                unload(r, k, name);
            }
            finish(r, k, t0);
        }
        return r;
    }

    /** The name in the module's .modinfo (what rmmod takes), else its file name as kmod derives it. */
    private static String moduleName(Path file) {
        try {
            var elf = ElfFile.parse(Files.readAllBytes(file));
            var s = elf.findSec(".modinfo");
            if (s != null) {
                String n = ModInfo.parse(elf.contents(s)).get("name");
                if (n != null) {
                    return n;
                }
            }
        } catch (java.io.IOException | ModuleFormatException e) {
            // insmod reports what is wrong with it
        }
        String f = file.getFileName().toString();
        return f.substring(0, f.length() - 3).replace('-', '_');
    }

    private record Load(KernelException failure, Set<String> missing) {
    }

    private static Load load(Kernel k, Path file) throws java.io.IOException {
        byte[] image = Files.readAllBytes(file);
        int from = k.log().size();
        try {
            k.insmod(file.toString(), image, "");
            return new Load(null, Set.of());
        } catch (KernelException e) {
            Set<String> missing = new LinkedHashSet<>();
            List<KernelLog.Record> log = k.log();
            for (KernelLog.Record rec : log.subList(Math.min(from, log.size()), log.size())) {
                Matcher m = UNKNOWN.matcher(rec.message());
                if (m.matches()) {
                    missing.add(m.group(2));
                }
            }
            return new Load(e, missing);
        }
    }

    private static void classifyFailure(ObjectNode r, Kernel k, Load l) {
        KernelException e = l.failure;
        Modules.LoadOutcome o = k.lastLoad();
        r.put("message", e.getMessage());
        r.put("errno", e.errno());
        if (e.killed()) {
            r.put("class", k.log().stream().anyMatch(x -> x.message().startsWith("watchdog: BUG: soft lockup"))
                    ? "hang" : "oops");
        } else if (!l.missing.isEmpty()) {
            r.put("class", "missing-symbols");
            putMissing(r, l.missing);
        } else if (o != null && o.stage() == Modules.Stage.INIT) {
            r.put("class", "init-error");
        } else {
            r.put("class", "load-error");
        }
    }

    /** Where modules register files: /proc, debugfs and device nodes (all of each, recursively). */
    private static final List<String> ROOTS = List.of("/proc", "/sys/kernel/debug", "/dev");
    /** Bytes read from one file at most (a device or seq_file may never end). */
    private static final int READ_CAP = 64 * 1024;

    /** Every file (not directory, not symlink) below the roots, /sys/module included. */
    private static Set<String> files(Kernel k) {
        Set<String> out = new java.util.TreeSet<>();
        for (String root : ROOTS) {
            walk(k, root, out);
        }
        walk(k, "/sys/module", out);
        return out;
    }

    private static void walk(Kernel k, String dir, Set<String> out) {
        var vfs = k.context().vfs();
        for (String name : k.list(dir)) {
            String p = dir + "/" + name;
            if (vfs.isSymlink(p)) {
                continue;
            }
            if (vfs.isDirectory(p)) {
                walk(k, p, out);
            } else {
                out.add(p);
            }
        }
    }

    private static String kind(String path) {
        return path.startsWith("/proc/") ? "proc" : path.startsWith("/sys/kernel/debug/") ? "debugfs"
                : path.startsWith("/dev/") ? "chardev" : "sysfs";
    }

    /**
     * Item 4 of the sweep: what the module registered is used once, as a process would: every new
     * readable file under /proc, debugfs and /dev and every readable attribute of its /sys/module
     * directory is opened non-blocking, read (up to 64 KiB) and closed. Non-blocking, because a
     * file of events (usbmon's {@code 0u}, a device) would make a blocking read wait for an event
     * nothing here makes: the read gives {@code EAGAIN} instead. Records what ran, and any oops or
     * WARN it caused (class {@code oops-in-use}: the reading process was killed by a report; the
     * module stays loaded and is then removed as usual). A reader killed without a report slept
     * with nothing to wake it (a driver ignoring {@code O_NONBLOCK}): result {@code "blocked"}.
     */
    private static void exercise(ObjectNode r, Kernel k, String name, Set<String> before) {
        var vfs = k.context().vfs();
        int findings = k.findings().size();
        ArrayNode done = r.putArray("exercised");
        int read = 0;
        int errors = 0;
        boolean oops = false;
        for (String p : files(k)) {
            boolean own = p.startsWith("/sys/module/" + name + "/");
            if ((before.contains(p) || p.startsWith("/sys/module/")) && !own) {
                continue;
            }
            if ((vfs.mode(p) & 0444) == 0) {
                continue;
            }
            ObjectNode o = done.addObject();
            o.put("path", p);
            o.put("kind", kind(p));
            int reports = k.findings().size();
            try (KernelFile f = k.open(p, KernelFile.O_RDONLY | KernelFile.O_NONBLOCK)) {
                int total = 0;
                while (total < READ_CAP) {
                    byte[] b = f.read(Math.min(4096, READ_CAP - total));
                    if (b.length == 0) {
                        break;
                    }
                    total += b.length;
                }
                o.put("result", "read " + total + " bytes");
                read++;
            } catch (KernelException e) {
                if (k.panicked()) {
                    o.put("result", "panic");
                    oops = true;
                    break;
                }
                if (e.killed() && k.findings().size() == reports) {
                    o.put("result", "blocked");
                    errors++;
                } else if (e.killed()) {
                    o.put("result", "oops");
                    oops = true;
                } else {
                    o.put("result", e.errnoName());
                    errors++;
                }
            }
        }
        List<dev.kmodemu.kstubs.Finding> fs = k.findings();
        ArrayNode found = r.putArray("exerciseFindings");
        for (var f : fs.subList(Math.min(findings, fs.size()), fs.size())) {
            found.add(f.type().name().toLowerCase(java.util.Locale.ROOT) + ": " + f.title());
        }
        r.put("exerciseRead", read);
        r.put("exerciseErrors", errors);
        r.put("exerciseOops", oops);
    }

    /**
     * Item 4 for nls modules: every character set table the module registered is used as a file
     * system uses its codepage ({@link NlsBase#probe}): {@code "nls": [{"charset", "alias", "decoded",
     * "roundTrips", "upper", "lower"}]}, or {@code "result": "oops"} if the table's code crashed.
     */
    private static void exerciseNls(ObjectNode r, Kernel k, List<Long> before) {
        if (k.panicked()) {
            return;
        }
        ArrayNode a = null;
        for (long nls : NlsBase.registered(k.context())) {
            if (before.contains(nls)) {
                continue;
            }
            if (a == null) {
                a = r.putArray("nls");
            }
            ObjectNode o = a.addObject();
            try {
                NlsBase.Probe p = k.process("sweep", () -> NlsBase.probe(k.context(), nls));
                o.put("charset", p.charset());
                o.put("alias", p.alias());
                o.put("decoded", p.decoded());
                o.put("roundTrips", p.roundTrips());
                o.put("upper", p.upper());
                o.put("lower", p.lower());
            } catch (KernelException e) {
                o.put("result", k.panicked() ? "panic" : e.killed() ? "oops" : e.errnoName());
                r.put("exerciseOops", true);
                if (k.panicked()) {
                    return;
                }
            }
        }
    }

    /**
     * rmmod of the module under test ({@code name}), after its holders: modules depending on it
     * that it had loaded on demand ({@code request_module()}: reading snd-seq's
     * /proc/asound/seq/clients loads snd-seq-dummy, client 14), each after its own holders, as
     * an administrator removes the users of a module before the module (the real kernel refuses
     * it while they are loaded). The row lists them ({@code "unloadedFirst"}); one that cannot be
     * removed makes the row's {@code rmmod-error}. Modules it loaded on demand and only uses
     * itself (a {@code symbol_get} reference) stay: its exit lets them go.
     */
    private static void unload(ObjectNode r, Kernel k, String name) {
        if (k.panicked()) {
            r.put("class", "oops-in-use");
            return;
        }
        var mod = k.modules().stream().filter(m -> m.name().equals(name)).findFirst().orElse(null);
        boolean permanent = mod != null && mod.initFunction() != 0 && mod.exitFunction() == 0;
        boolean warned = k.log().stream().anyMatch(x -> x.message().startsWith("WARNING: "));
        boolean usedBadly = r.path("exerciseOops").asBoolean(false);
        if (permanent) {
            r.put("class", usedBadly ? "oops-in-use" : warned ? "warn" : "loaded-permanent");
            return;
        }
        try {
            List<String> holders = new ArrayList<>();
            holders(k, name, holders);
            if (!holders.isEmpty()) {
                ArrayNode first = r.putArray("unloadedFirst");
                for (String m : holders) {
                    k.rmmod(m);
                    first.add(m);
                }
            }
            k.rmmod(name);
            r.put("class", usedBadly ? "oops-in-use" : warned ? "warn" : "ok");
        } catch (KernelException e) {
            r.put("class", e.killed() ? "oops-in-exit" : "rmmod-error");
            r.put("message", e.getMessage());
            r.put("errno", e.errno());
        }
    }

    /** Adds the holders of module {@code name} to {@code out}, each after its own holders. */
    private static void holders(Kernel k, String name, List<String> out) {
        for (String h : k.list("/sys/module/" + name + "/holders")) {
            holders(k, h, out);
            if (!out.contains(h)) {
                out.add(h);
            }
        }
    }

    /**
     * The crypto algorithms the module registered (and template instances built for it) with the
     * self-test each got: "passed" or "failed" after running the kernel's vectors, "no test" (none
     * in testmgr), "not run" (a test kind kmodemu has no vectors for).
     */
    private static void putCrypto(ObjectNode r, List<dev.kmodemu.kstubs.crypto.Testmgr.Result> results) {
        if (results.isEmpty()) {
            return;
        }
        ArrayNode a = r.putArray("crypto");
        for (var t : results) {
            ObjectNode o = a.addObject();
            o.put("driver", t.driver());
            o.put("alg", t.alg());
            o.put("test", t.test());
            o.put("vectors", t.vectors());
            o.put("result", t.test() == null ? "no test" : t.rc() != 0 ? "failed" : t.ran() ? "passed" : "not run");
            if (t.rc() != 0) {
                o.put("rc", t.rc());
            }
        }
    }

    private static void putMissing(ObjectNode r, Set<String> missing) {
        ArrayNode a = r.putArray("missing");
        missing.forEach(a::add);
    }

    private static void finish(ObjectNode r, Kernel k, long t0) {
        ArrayNode log = r.putArray("log");
        List<KernelLog.Record> all = k.log();
        for (KernelLog.Record rec : all.subList(0, Math.min(all.size(), LOG_LINES))) {
            log.add(rec.message());
        }
        if (all.size() > LOG_LINES) {
            r.put("logTruncated", all.size() - LOG_LINES);
        }
        r.put("ms", (System.nanoTime() - t0) / 1_000_000.0);
    }
}
