package dev.kmodemu.fuzz;

import java.util.List;

/**
 * The outcome of a campaign: what was found, the corpus, the figures.
 *
 * @param findings distinct findings, in the order they were found
 * @param stats final figures (exec/s over the whole run)
 * @param corpus every input kept
 * @param minimizedCorpus a smallest subset covering the same edges
 * @param dictionary tokens the dictionary held at the end
 */
public record FuzzResult(List<FuzzFinding> findings, FuzzStats stats, List<byte[]> corpus,
        List<byte[]> minimizedCorpus, int dictionary) {
    public FuzzResult {
        findings = List.copyOf(findings);
        corpus = List.copyOf(corpus);
        minimizedCorpus = List.copyOf(minimizedCorpus);
    }

    /** The finding with key starting with {@code prefix} (e.g. {@code "bug mm/slub.c:419"}), or null. */
    public FuzzFinding finding(String prefix) {
        for (FuzzFinding f : findings) {
            if (f.key().startsWith(prefix)) {
                return f;
            }
        }
        return null;
    }

    /**
     * Fails (as a JUnit test fails: {@link AssertionError}) if anything was found, with each
     * finding's key, reproducer and report in the message.
     */
    public void assertNoFindings() {
        if (findings.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        sb.append(findings.size()).append(findings.size() == 1 ? " finding" : " findings").append(" in ")
                .append(stats.execs()).append(" executions:\n");
        for (FuzzFinding f : findings) {
            sb.append(describe(f));
        }
        throw new AssertionError(sb.toString());
    }

    /** A finding as the summary prints it: key, count, reproducer, report. */
    public static String describe(FuzzFinding f) {
        StringBuilder sb = new StringBuilder();
        sb.append("== ").append(f.key()).append(" (").append(f.count()).append(f.count() == 1 ? " time" : " times")
                .append(", first at execution ").append(f.firstExec()).append(")\n");
        for (String p : f.program()) {
            sb.append("   ").append(p).append('\n');
        }
        for (String x : f.faults()) {
            sb.append("   injected ").append(x).append('\n');
        }
        if (f.saved() != null) {
            sb.append("   reproducer: ").append(f.saved()).append('\n');
        }
        if (f.report().isEmpty() || !f.report().get(0).contains(f.title())) {
            sb.append("   | ").append(f.title()).append('\n');
        }
        for (String l : f.report()) {
            sb.append("   | ").append(l).append('\n');
        }
        return sb.toString();
    }
}
