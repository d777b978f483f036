package dev.kmodemu.fuzz;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What to fuzz and how.
 *
 * @param moduleFile the module's file name (as messages name it)
 * @param image the module's bytes
 * @param targets what inputs drive
 * @param fixedParams parameters given on every load ({@code name=value ...}); fuzzing leaves them alone
 * @param harness the user harness (with {@link Target#HARNESS})
 * @param maxBlocks the instruction budget of each call into module code, in translation blocks:
 *        code running longer is a soft lockup
 * @param maxLen the longest input the mutator makes
 * @param rmmod whether each execution ends with rmmod (exit runs, leftovers are looked for)
 * @param files which of the module's files operations go to: path prefixes; empty for all
 * @param out where the corpus and findings are saved, or null to keep them in memory
 */
public record FuzzConfig(String moduleFile, byte[] image, Set<Target> targets, String fixedParams, Harness harness,
        long maxBlocks, int maxLen, boolean rmmod, List<String> files, Path out) {
    /**
     * The default instruction budget per call: 250,000 translation blocks, 0.5 to 3 ms of guest
     * code (a loop around {@code cpu_relax()} is the slow end). Init paths and handlers of real
     * modules run far less; a run that needs more is a soft lockup.
     */
    public static final long DEFAULT_MAX_BLOCKS = 250_000;
    public static final int DEFAULT_MAX_LEN = 1024;

    public FuzzConfig {
        targets = targets.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(targets));
        files = List.copyOf(files);
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("kmodemu fuzz: nothing to fuzz (choose params, faults, files or a harness)");
        }
        if (targets.contains(Target.HARNESS) && harness == null) {
            throw new IllegalArgumentException("kmodemu fuzz: the harness target needs a harness");
        }
    }

    /** The module's name as the kernel knows it (file name without {@code .ko}, dashes as underscores). */
    public String moduleName() {
        String n = moduleFile.substring(moduleFile.lastIndexOf('/') + 1);
        if (n.endsWith(".ko")) {
            n = n.substring(0, n.length() - 3);
        }
        return n.replace('-', '_');
    }

    /** True when init runs in every execution (parameters or faults are fuzzed). */
    public boolean fuzzesInit() {
        return targets.contains(Target.PARAMS) || targets.contains(Target.FAULTS);
    }
}
