package dev.kmodemu.kstubs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kmodemu.kstubs.printk.KernelLog;
import dev.kmodemu.testmods.TestMods;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every test module case against the real kernel's recorded behaviour
 * ({@code testmods/<mod>/expected/<case>.json}, from qemu-oracle on Debian's 6.1 kernel): the same
 * insmod result, the same log lines at the same levels, the same /proc/modules line (address
 * aside), sysfs parameter values, rmmod result and lines, and taint mask.
 *
 * <p>A case may carry {@code <case>.kmodemu}: lines {@code ignore: REGEX} drop matching log lines
 * on both sides (for values that differ from boot to boot on the real kernel), {@code mask: REGEX}
 * replaces what matches with {@code <masked>} on both sides (a pid, a build directory), and
 * {@code compare: subsequence} requires the expected lines in order among ours.
 *
 * <p>A run the real kernel did not complete (a panic: the oracle's kernel reboots at once; a
 * module that never returns: the oracle times out) has only the console log
 * ({@code console_dmesg}, without levels): it is compared with everything kmodemu logged, up to
 * the first line matching {@code console-until: REGEX} if given (the real watchdog reports a
 * lockup again and again; kmodemu kills the task after the first report).
 */
class GoldenTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One expected line with its syslog level. */
    record Line(int level, String text) {
        @Override
        public String toString() {
            return "<" + level + ">" + text;
        }
    }

    @TestFactory
    Stream<DynamicTest> everyCaseMatchesTheRealKernel() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String mod : TestMods.names()) {
            for (String c : TestMods.cases(mod)) {
                tests.add(DynamicTest.dynamicTest(mod + "/" + c, () -> check(mod, c)));
            }
        }
        return tests.stream();
    }

    /** The --param string of a .args file (single-quoted as the oracle's shell took it). */
    static String params(String args) {
        StringBuilder sb = new StringBuilder();
        var m = Pattern.compile("--param '([^']*)'").matcher(args);
        while (m.find()) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(m.group(1));
        }
        return sb.toString();
    }

    static void check(String mod, String c) throws Exception {
        JsonNode golden = JSON.readTree(TestMods.expected(mod, c + ".json"));
        String args = TestMods.expected(mod, c + ".args");
        List<Pattern> ignore = new ArrayList<>();
        List<Pattern> masks = new ArrayList<>();
        Pattern until = null;
        boolean subsequence = false;
        try {
            for (String l : TestMods.expected(mod, c + ".kmodemu").split("\n")) {
                if (l.startsWith("ignore: ")) {
                    ignore.add(Pattern.compile(l.substring(8)));
                } else if (l.startsWith("mask: ")) {
                    masks.add(Pattern.compile(l.substring(6)));
                } else if (l.startsWith("console-until: ")) {
                    until = Pattern.compile(l.substring(15));
                } else if (l.equals("compare: subsequence")) {
                    subsequence = true;
                }
            }
        } catch (IllegalArgumentException absent) {
            // no deviations declared
        }
        Rules rules = new Rules(ignore, masks, subsequence);
        if (!golden.get("complete").asBoolean()) {
            checkIncomplete(mod, c, golden, params(args), rules, until);
            return;
        }
        JsonNode m = golden.get("modules").get(0);
        // Expected lines per step, levels taken from the overall dmesg_levels in order.
        Iterator<JsonNode> levels = golden.get("dmesg_levels").iterator();
        List<Line> expInsmod = lines(m.get("insmod_dmesg"), levels);
        List<List<Line>> expOps = new ArrayList<>();
        for (JsonNode op : golden.get("ops")) {
            expOps.add(lines(op.get("dmesg"), levels));
        }
        List<Line> expRmmod = m.get("rmmod_dmesg").isNull() ? List.of() : lines(m.get("rmmod_dmesg"), levels);

        try (Kernel k = Kernel.boot()) {
            long seq = k.context().log().nextSeq();
            int errno = 0;
            int signal = 0;
            try {
                k.insmod(mod + ".ko", TestMods.ko(mod), params(args));
            } catch (KernelException e) {
                errno = e.errno();
                signal = e.signal();
            }
            List<Line> gotInsmod = ours(k, seq);
            String where = mod + "/" + c + ": ";
            int expRc = m.get("insmod_rc").asInt();
            if (expRc > 128) {
                assertEquals(expRc - 128, signal, where + "insmod should be killed by an oops, by signal");
            } else {
                assertEquals(m.get("insmod_errno").asInt(), errno, where + "insmod errno");
            }
            compare(where + "insmod log", expInsmod, gotInsmod, rules);

            int i = 0;
            for (JsonNode op : golden.get("ops")) {
                String path = op.get("path").asText();
                String what = where + op.get("op").asText() + " " + path + " (op " + i + ")";
                seq = k.context().log().nextSeq();
                int opRc = op.get("rc").asInt();
                if (opRc > 128) {
                    // the process doing the system call died (an oops in the module's handler)
                    KernelException e = org.junit.jupiter.api.Assertions.assertThrows(KernelException.class, () -> {
                        if (op.get("op").asText().equals("read")) {
                            k.read(path);
                        } else {
                            k.write(path, op.get("data").asText());
                        }
                    }, what);
                    assertEquals(opRc - 128, e.signal(), what + ": killed by signal");
                } else if (op.get("op").asText().equals("read")) {
                    String content = null;
                    int rerr = 0;
                    try (KernelFile f = k.open(path, KernelFile.O_RDONLY)) {
                        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
                        for (byte[] b = f.read(64 * 1024); b.length > 0; b = f.read(64 * 1024)) {
                            all.write(b, 0, b.length);
                        }
                        content = all.toString(java.nio.charset.StandardCharsets.UTF_8);
                    } catch (KernelException e) {
                        rerr = e.errno();
                    }
                    assertEquals(op.get("errno").asInt(), rerr, what + ": errno");
                    if (!op.get("content").isNull()) {
                        assertEquals(op.get("content").asText(), content, what + ": content");
                    }
                } else {
                    byte[] data = op.get("data").asText().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    long ret = -1;
                    int werr = 0;
                    try (KernelFile f = k.open(path, KernelFile.O_WRONLY | KernelFile.O_CREAT | KernelFile.O_TRUNC)) {
                        ret = f.write(data);
                    } catch (KernelException e) {
                        werr = e.errno();
                    }
                    assertEquals(op.get("errno").asInt(), werr, what + ": errno");
                    assertEquals(op.get("ret").asLong(), ret, what + ": bytes written");
                }
                compare(what + ": log", expOps.get(i), ours(k, seq), rules);
                i++;
            }

            JsonNode procLine = m.get("proc_modules_line");
            String ours = k.read("/proc/modules").lines().filter(l -> l.startsWith(mod + " ")).findFirst()
                    .orElse(null);
            if (procLine.isNull()) {
                assertEquals(null, ours, where + "/proc/modules");
            } else {
                assertEquals(mask(procLine.asText()), ours == null ? null : mask(ours), where + "/proc/modules");
            }
            JsonNode sysfs = m.get("sysfs_params");
            if (sysfs != null && !sysfs.isNull() && k.loaded(mod)) {
                Map<String, String> exp = new TreeMap<>();
                sysfs.fields().forEachRemaining(e -> exp.put(e.getKey(), e.getValue().asText()));
                Map<String, String> got = new TreeMap<>();
                String dir = "/sys/module/" + mod + "/parameters";
                if (k.context().vfs().isDirectory(dir)) {
                    for (String p : k.context().vfs().list(dir)) {
                        got.put(p, k.read(dir + "/" + p).replaceAll("\n$", ""));
                    }
                }
                assertEquals(exp, got, where + "sysfs parameters");
            }
            if (!m.get("rmmod_rc").isNull() && k.loaded(mod)) {
                seq = k.context().log().nextSeq();
                int rerr = 0;
                int rsig = 0;
                try {
                    k.rmmod(mod);
                } catch (KernelException e) {
                    rerr = e.errno();
                    rsig = e.signal();
                }
                int expRmmodRc = m.get("rmmod_rc").asInt();
                assertEquals(expRmmodRc > 128 ? expRmmodRc - 128 : 0, rsig, where + "rmmod killed by signal");
                assertEquals(m.get("rmmod_errno").asInt(), rerr, where + "rmmod errno");
                compare(where + "rmmod log", expRmmod, ours(k, seq), rules);
            }
            assertEquals(golden.get("tainted").asLong(), k.context().taint().mask(), where + "taint mask");
        }
    }

    private static String mask(String procModulesLine) {
        return procModulesLine.replaceAll("0x[0-9a-f]{16}", "0x<address>");
    }

    private static List<Line> lines(JsonNode texts, Iterator<JsonNode> levels) {
        List<Line> out = new ArrayList<>();
        for (JsonNode t : texts) {
            out.add(new Line(levels.next().asInt(), t.asText()));
        }
        return out;
    }

    /** Our log since {@code seq}, one entry per line as dmesg prints records. */
    private static List<Line> ours(Kernel k, long seq) {
        List<Line> out = new ArrayList<>();
        for (KernelLog.Record r : k.context().log().since(seq)) {
            for (String l : r.lines()) {
                out.add(new Line(r.level(), l));
            }
        }
        return out;
    }

    /** How a case's lines are compared ({@code <case>.kmodemu}). */
    record Rules(List<Pattern> ignore, List<Pattern> masks, boolean subsequence) {
    }

    /**
     * A case the real kernel did not finish: kmodemu's whole log (insmod and ops) against the
     * console's lines, which carry no levels.
     */
    private static void checkIncomplete(String mod, String c, JsonNode golden, String params, Rules rules,
            Pattern until) {
        List<Line> exp = new ArrayList<>();
        for (JsonNode t : golden.get("console_dmesg")) {
            if (until != null && until.matcher(t.asText()).find()) {
                break;
            }
            exp.add(new Line(-1, t.asText()));
        }
        String where = mod + "/" + c + ": ";
        try (Kernel k = Kernel.boot()) {
            long seq = k.context().log().nextSeq();
            KernelException e = org.junit.jupiter.api.Assertions.assertThrows(KernelException.class,
                    () -> k.insmod(mod + ".ko", TestMods.ko(mod), params), where + "insmod must not return");
            assertTrue(e.killed(), where + "insmod: " + e.getMessage());
            assertEquals(golden.get("panic").asBoolean(), e.panicked(), where + "kernel panic");
            if (e.panicked()) {
                assertEquals(golden.get("panic_msg").asText(), e.getMessage().replace("the kernel panicked: ", ""),
                        where + "panic message");
            }
            List<Line> got = new ArrayList<>();
            for (Line l : ours(k, seq)) {
                got.add(new Line(-1, l.text()));
            }
            compare(where + "console log", exp, got, rules);
        }
    }

    private static void compare(String what, List<Line> expected, List<Line> got, Rules rules) {
        List<Line> e = filter(expected, rules);
        List<Line> g = filter(got, rules);
        if (!rules.subsequence()) {
            assertEquals(String.join("\n", e.stream().map(Line::toString).toList()),
                    String.join("\n", g.stream().map(Line::toString).toList()), what);
            return;
        }
        int j = 0;
        for (Line l : g) {
            if (j < e.size() && l.equals(e.get(j))) {
                j++;
            }
        }
        assertTrue(j == e.size(), what + ": missing expected line " + (j < e.size() ? e.get(j) : "") + " in\n"
                + String.join("\n", g.stream().map(Line::toString).toList()));
    }

    private static List<Line> filter(List<Line> lines, Rules rules) {
        List<Line> out = new ArrayList<>();
        for (Line l : lines) {
            if (rules.ignore().stream().noneMatch(p -> p.matcher(l.text()).find())) {
                String t = l.text();
                for (Pattern m : rules.masks()) {
                    t = m.matcher(t).replaceAll("<masked>");
                }
                out.add(new Line(l.level(), t));
            }
        }
        return out;
    }

}
