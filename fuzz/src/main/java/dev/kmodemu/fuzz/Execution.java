package dev.kmodemu.fuzz;

import dev.kmodemu.kstubs.FaultInjection;
import dev.kmodemu.kstubs.Finding;

import java.util.List;

/**
 * What one execution did.
 *
 * @param program the decoded input
 * @param files the module's files the operations chose from
 * @param outcome how init (or, without init, the run) ended
 * @param initErrno init's error (positive), 0 if it succeeded or did not run
 * @param kernelFindings the reports the kernel logged during the run
 * @param problems what the fuzzer itself found wrong (leftovers, emulator errors, harness failures)
 * @param log the kernel log of the run
 * @param injected the failures injected
 */
public record Execution(Program program, List<String> files, Outcome outcome, int initErrno,
        List<Finding> kernelFindings, List<Problem> problems, List<String> log,
        List<FaultInjection.Injected> injected) {
    /** How an execution ended. */
    public enum Outcome {
        /** Init succeeded (or was not run) and nothing was fatal. */
        OK,
        /** Init returned an error. */
        INIT_FAILED,
        /** A process was killed by an oops. */
        KILLED,
        /** The kernel panicked. */
        PANIC,
        /** kmodemu failed (an unsupported use or an emulator bug). */
        EMULATOR_ERROR
    }

    /**
     * Something wrong the kernel did not report itself.
     *
     * @param type {@code leftover} (a file or registration that outlived its module),
     *        {@code harness} (the harness threw), {@code emulator-error}
     * @param title one line saying what
     * @param where what identifies it for deduplication (a path, an exception's origin)
     * @param detail more lines (a stack trace)
     */
    public record Problem(String type, String title, String where, List<String> detail) {
    }

    public Execution {
        files = List.copyOf(files);
        kernelFindings = List.copyOf(kernelFindings);
        problems = List.copyOf(problems);
        log = List.copyOf(log);
        injected = List.copyOf(injected);
    }

    /** True if anything was found. */
    public boolean found() {
        return !kernelFindings.isEmpty() || !problems.isEmpty();
    }
}
