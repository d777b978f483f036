package dev.kmodemu.fuzz;

import java.time.Duration;

/**
 * Where a campaign stands.
 *
 * @param execs executions so far
 * @param execsPerSecond over the last interval (over the whole run in a final summary)
 * @param edges edges of the module's code covered
 * @param corpus inputs in the corpus
 * @param findings distinct findings
 * @param hits executions that found something
 * @param elapsed wall time
 * @param rebuilds kernels booted again after an execution left one unusable
 * @param slow executions that ran past the instruction budget but finished with a larger one (long
 *        loops, not reported as soft lockups)
 * @param cpu CPU time the workers' threads used (known at the end of a campaign, else zero)
 */
public record FuzzStats(long execs, double execsPerSecond, int edges, int corpus, int findings, long hits,
        Duration elapsed, long rebuilds, long slow, Duration cpu) {
    /** Executions per second of the workers' CPU time: what one core does, whatever else the machine runs. */
    public double execsPerCpuSecond() {
        return cpu.isZero() ? 0 : execs / (cpu.toNanos() / 1e9);
    }


    /** The progress line: {@code #12034  5210 exec/s  cov 57  corpus 12  findings 2 (31 hits)  3s}. */
    public String line() {
        return String.format("#%d  %.0f exec/s  cov %d  corpus %d  findings %d (%d hits)%s  %ds", execs, execsPerSecond,
                edges, corpus, findings, hits, slow == 0 ? "" : "  slow " + slow, elapsed.toSeconds());
    }
}
