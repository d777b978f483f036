package dev.kmodemu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.kmodemu.cli.CliTest.kmodemu;
import static dev.kmodemu.cli.CliTest.ko;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code kmodemu test}: test scripts, KTAP, JUnit XML, budgets, bad input; and --json reports. */
class TestCommandTest {
    @TempDir
    Path dir;

    Path script(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text.replace("HELLO", ko("hello")).replace("WARN", ko("warn")).replace("SPIN", ko("spin"))
                .replace("PROCERR", ko("procerr"))
                .replace("NULLDEREF", ko("nullderef")).replace("BUGKO", ko("bug")));
        return p;
    }

    static final String HELLO_TESTS = """
            # set-up of each test
            insmod HELLO count=2
            expect log 'Hello, world 1'

            test count is readable
            cat /sys/module/hello/parameters/count
            expect output 2

            test lsmod lists it
            lsmod
            expect output <<END
            Module                  Size  Used by
            hello                  {{[0-9]+}}  0
            END

            test a second insmod fails
            insmod HELLO
            expect status 1
            expect stderr ~ 'could not insert module .*: File exists$'

            test unload says goodbye
            rmmod hello
            expect log ~ 'Goodbye, world \\(count was [0-9]\\)'
            expect no log 'Goodbye, world (count was 3)'
            """;

    @Test
    void passingScriptPrintsKtapAndJunitXml() throws Exception {
        Path s = script("hello.ktest", HELLO_TESTS);
        Path xml = dir.resolve("out.xml");
        CliTest.Run r = kmodemu("test", "--junit-xml", xml.toString(), s.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        assertEquals("KTAP version 1\n1..1\n  KTAP version 1\n  # Subtest: " + s + "\n  1..4\n"
                + "  ok 1 count is readable\n  ok 2 lsmod lists it\n  ok 3 a second insmod fails\n"
                + "  ok 4 unload says goodbye\nok 1 " + s + "\n# Totals: pass:4 fail:0 skip:0\n", r.out());
        String x = Files.readString(xml);
        assertTrue(x.startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"kmodemu test\" tests=\"4\" "
                + "failures=\"0\" errors=\"0\" "), x);
        assertTrue(x.contains("<testcase name=\"lsmod lists it\" classname=\"" + s + "\" time=\""), x);
    }

    @Test
    void failuresCarryDiagnosticsAndTheKernelLog() throws Exception {
        Path s = script("f.ktest", """
                test wrong output
                insmod HELLO
                cat /sys/module/hello/parameters/count
                expect output 3

                test unchecked failure
                insmod no/such.ko

                test expected warning
                insmod WARN
                expect finding warning warn

                test unexpected warning
                insmod WARN

                test finding that never comes
                insmod HELLO
                expect finding oops
                """);
        Path xml = dir.resolve("f.xml");
        CliTest.Run r = kmodemu("test", "--junit-xml", xml.toString(), s.toString());
        assertEquals(1, r.status());
        String o = r.out();
        assertTrue(o.contains("""
                  # line 4: `expect output 3`: the output of `cat /sys/module/hello/parameters/count` differs
                  # expected:
                  # 3
                  # got:
                  # 1
                  # kernel log:
                  #   [    0.000000] hello: loading out-of-tree module taints kernel.
                """), o);
        assertTrue(o.contains("  #   [    0.000000] Hello, world 0\n  not ok 1 wrong output\n"), o);
        assertTrue(o.contains("""
                  # line 7: `insmod no/such.ko` exited with status 1:
                  # insmod: ERROR: could not load module no/such.ko: No such file or directory
                  not ok 2 unchecked failure
                  ok 3 expected warning
                """), o);
        assertTrue(o.contains("  # unexpected warning in warn: WARNING: CPU: 0 PID: 100 at "), o);
        assertTrue(o.contains("  # line 18: `expect finding oops`: the kernel reported no such finding\n"), o);
        assertTrue(o.endsWith("not ok 1 " + s + "\n# Totals: pass:1 fail:4 skip:0\n"), o);
        assertTrue(Files.readString(xml).contains("<failure message=\"line 4: `expect output 3`: the output of `cat "
                + "/sys/module/hello/parameters/count` differs\" type=\"expectation\">"));
    }

    @Test
    void syntaxErrorsNameFileLineAndColumn() throws Exception {
        Path a = script("a.ktest", "test x\necho 'unclosed\n");
        Path b = script("b.ktest", "test x\necho hi\nexpect output ~ 'h(i'\n");
        Path c = script("c.ktest", "test x\necho hi\nexpect outptu hi\n");
        Path d = script("d.ktest", "expect status 0\n");
        Path e = script("e.ktest", "test x\necho hi\nexpect output <<EOF\nhi\n");
        Path f = script("f.ktest", "test x\necho hi\nexpect output  a{{[}}b\n");
        CliTest.Run r = kmodemu("test", a.toString(), b.toString(), c.toString(), d.toString(), e.toString(),
                f.toString());
        assertEquals(1, r.status());
        assertEquals("kmodemu test: " + a + ":2:6: unexpected EOF while looking for matching quote\n"
                + "kmodemu test: " + b + ":3:17: Unclosed group in the regular expression\n"
                + "kmodemu test: " + c + ":3:8: unknown check 'outptu' (status, output, stderr, log, no log, finding)\n"
                + "kmodemu test: " + d + ":1:8: 'expect status' without a command before it\n"
                + "kmodemu test: " + e + ":3:15: here-document delimited by 'EOF' is not closed\n"
                + "kmodemu test: " + f + ":3:19: Unclosed character class in the regular expression '['\n", r.err());
        assertTrue(r.out().startsWith("KTAP version 1\n1..6\n# " + a + ":2:6: unexpected EOF while looking for "
                + "matching quote\nnot ok 1 " + a + " # ERROR syntax error\n"), r.out());
    }

    @Test
    void missingPathsAndEmptyDirectories() throws Exception {
        CliTest.Run r = kmodemu("test", dir.resolve("nothing.ktest").toString());
        assertEquals(2, r.status());
        assertEquals("kmodemu test: " + dir.resolve("nothing.ktest") + ": No such file or directory\n", r.err());
        r = kmodemu("test", dir.toString());
        assertEquals(2, r.status());
        assertEquals("kmodemu test: " + dir + ": no *.ktest files\n", r.err());
    }

    /** A module spinning with a large call budget: the test's own wall-time budget stops it. */
    @Test
    void hangingTestTimesOutInWallTimeAndVirtualTime() throws Exception {
        Path s = script("hang.ktest", """
                test spins
                insmod SPIN
                echo never

                test sleeps
                sleep 100
                sleep 100
                echo never
                """);
        CliTest.Run r = kmodemu("test", "--timeout", "600", "--test-timeout", "1", "--virtual-timeout", "150",
                s.toString());
        assertEquals(1, r.status());
        assertTrue(r.out().contains("  # line 2: `insmod " + ko("spin") + "` was stopped: the test ran out of wall time\n"),
                r.out());
        assertTrue(r.out().contains("  not ok 1 spins # TIMEOUT 1 s of wall time\n"), r.out());
        assertTrue(r.out().contains("  # line 8: the test ran out of virtual time\n"
                + "  not ok 2 sleeps # TIMEOUT 150 s of virtual time\n"), r.out());
    }

    /**
     * procerr leaves /proc/procerr_forgotten behind after rmmod; the next test's fresh kernel has
     * none, while "kernel shared" lets it through.
     */
    @Test
    void eachTestGetsAFreshKernelUnlessShared() throws Exception {
        String tests = """
                test leaves a mess
                insmod PROCERR
                rmmod procerr
                expect finding warning

                test clean
                cat /proc/procerr_forgotten
                expect status 1
                expect stderr 'cat: /proc/procerr_forgotten: No such file or directory'
                """;
        Path fresh = script("fresh.ktest", tests);
        CliTest.Run r = kmodemu("test", fresh.toString());
        assertEquals(0, r.status(), r.out());
        Path shared = script("shared.ktest", "kernel shared\n" + tests);
        r = kmodemu("test", "-j", "1", shared.toString());
        assertEquals(1, r.status(), r.out());
        assertTrue(r.out().contains("  not ok 2 clean\n"), r.out());
    }

    /** Crashes the test declares: an oops kills insmod, a panic stops the machine (nothing after it runs). */
    @Test
    void declaredOopsesAndPanicsPass() throws Exception {
        Path s = script("crash.ktest", """
                test null dereference
                insmod NULLDEREF
                expect status 137
                expect stderr Killed
                expect finding oops nullderef
                expect log 'BUG: kernel NULL pointer dereference, address: 0000000000000000'

                test panic
                insmod BUGKO where=panic
                expect finding panic
                echo not reached

                test undeclared panic
                insmod BUGKO where=panic
                """);
        CliTest.Run r = kmodemu("test", s.toString());
        assertEquals(1, r.status(), r.out());
        assertTrue(r.out().contains("  ok 1 null dereference\n  ok 2 panic\n"), r.out());
        assertTrue(r.out().contains("  # unexpected panic in bug: Kernel panic - not syncing: bug: panic requested, "
                + "where=panic\n"), r.out());
        assertTrue(r.out().contains("  not ok 3 undeclared panic\n"), r.out());
    }

    @Test
    void coverageOverAllTests() throws Exception {
        Path s = script("hello.ktest", HELLO_TESTS);
        Path info = dir.resolve("cov.info");
        CliTest.Run r = kmodemu("test", "--coverage", info.toString(), s.toString());
        assertEquals(0, r.status(), r.out());
        String lcov = Files.readString(info);
        // four tests load hello (count=2: the loop body twice each); one unloads it
        assertTrue(lcov.contains("FNDA:4,hello_init\nFNDA:1,hello_exit\n") && lcov.contains("DA:18,8\n")
                && lcov.contains("LH:8\n"), lcov);
    }

    @Test
    void jsonReportHasCallsAndCoverage() throws Exception {
        CliTest.Run r = kmodemu("run", "--json", ko("hello"), "count=1");
        assertEquals(0, r.status(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        JsonNode call = j.get("calls").get(0);
        assertEquals("_printk", call.get("symbol").asText());
        assertEquals("\"\\0016Hello, world %d\\n\"", call.get("args").get(0).asText());
        assertEquals("...", call.get("args").get(1).asText());
        assertEquals("14", call.get("result").asText());     // the text stored, without its newline
        assertTrue(call.get("caller").asText().startsWith("hello_init+0x"), call.toString());
        JsonNode cov = j.get("coverage");
        assertEquals(8, cov.get("lines_found").asInt());
        assertEquals(8, cov.get("lines_hit").asInt());
        assertTrue(cov.get("files").get(0).get("file").asText().endsWith("/hello/hello.c"));
        assertEquals(0, cov.get("files").get(0).get("lines_not_run").size());
    }
}
