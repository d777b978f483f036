package dev.kmodemu.kstubs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which source lines and functions of modules ran, from the modules' DWARF line tables
 * ({@code .debug_line}) and the blocks of module code the CPU executed: what {@code gcov} would
 * say for a module built with {@code --coverage}, without rebuilding it. Only the module's own
 * source files count (those in or below the directory of a compilation unit's main file; not the
 * kernel headers whose inline functions it also holds, nor the generated {@code *.mod.c}).
 *
 * <p>A line's count is how often the most executed block holding one of its instructions ran (a
 * line split over several blocks is not counted several times per pass); a function's count is
 * how often its first block ran. Coverages add up with {@link #add}, as {@code lcov -a} does.
 * Thread-safe: several kernels' coverages may be added to one from parallel tests.
 */
public final class Coverage {
    /** One function: its name, the line it starts on, how often it was entered. */
    public record Function(String name, int line, long count) {
    }

    /**
     * One source file: every line that has code, with its count (0: not run), and its functions.
     */
    public record FileCoverage(String path, SortedMap<Integer, Long> lines, List<Function> functions) {
        public FileCoverage {
            lines = Collections.unmodifiableSortedMap(new TreeMap<>(lines));
            functions = List.copyOf(functions);
        }

        public int linesFound() {
            return lines.size();
        }

        public int linesHit() {
            return (int) lines.values().stream().filter(c -> c > 0).count();
        }

        public int functionsFound() {
            return functions.size();
        }

        public int functionsHit() {
            return (int) functions.stream().filter(f -> f.count() > 0).count();
        }
    }

    private final Map<String, TreeMap<Integer, Long>> lines = new TreeMap<>();
    /** file → function name → {line, count} */
    private final Map<String, TreeMap<String, long[]>> functions = new TreeMap<>();
    private final TreeSet<String> withoutLines = new TreeSet<>();

    public Coverage() {
    }

    /** Records that {@code line} of {@code file} has code and ran {@code count} more times. */
    public synchronized void line(String file, int line, long count) {
        lines.computeIfAbsent(file, f -> new TreeMap<>()).merge(line, count, Long::sum);
    }

    /** Records function {@code name} starting at {@code line} of {@code file}, entered {@code count} more times. */
    public synchronized void function(String file, String name, int line, long count) {
        long[] v = functions.computeIfAbsent(file, f -> new TreeMap<>()).computeIfAbsent(name,
                n -> new long[] {line, 0});
        v[1] += count;
    }

    /** Records a module that ran but has no usable line table, and why ({@code hello: no .debug_line}). */
    public synchronized void withoutLines(String note) {
        withoutLines.add(note);
    }

    /** Adds another coverage's counts to this one's ({@code lcov -a}). */
    public void add(Coverage other) {
        if (other == this) {
            return;
        }
        List<FileCoverage> fs = other.files();
        List<String> notes = other.modulesWithoutLines();
        synchronized (this) {
            for (FileCoverage f : fs) {
                f.lines().forEach((l, c) -> line(f.path(), l, c));
                for (Function fn : f.functions()) {
                    function(f.path(), fn.name(), fn.line(), fn.count());
                }
            }
            withoutLines.addAll(notes);
        }
    }

    /** The files, sorted by path. */
    public synchronized List<FileCoverage> files() {
        List<FileCoverage> out = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>(lines.keySet());
        names.addAll(functions.keySet());
        for (String f : names) {
            List<Function> fns = new ArrayList<>();
            functions.getOrDefault(f, new TreeMap<>()).forEach((n, v) -> fns.add(new Function(n, (int) v[0], v[1])));
            fns.sort((a, b) -> a.line() != b.line() ? Integer.compare(a.line(), b.line()) : a.name().compareTo(b.name()));
            out.add(new FileCoverage(f, lines.getOrDefault(f, new TreeMap<>()), fns));
        }
        return out;
    }

    /** The file whose path ends with {@code suffix} (e.g. "hello.c"), or null. */
    public FileCoverage file(String suffix) {
        for (FileCoverage f : files()) {
            if (f.path().equals(suffix) || f.path().endsWith("/" + suffix)) {
                return f;
            }
        }
        return null;
    }

    /** Modules that ran without a usable line table, each with the reason. */
    public synchronized List<String> modulesWithoutLines() {
        return List.copyOf(withoutLines);
    }

    public int linesFound() {
        return files().stream().mapToInt(FileCoverage::linesFound).sum();
    }

    public int linesHit() {
        return files().stream().mapToInt(FileCoverage::linesHit).sum();
    }

    public int functionsFound() {
        return files().stream().mapToInt(FileCoverage::functionsFound).sum();
    }

    public int functionsHit() {
        return files().stream().mapToInt(FileCoverage::functionsHit).sum();
    }

    /**
     * The lcov tracefile ({@code geninfo(1)}'s format): per file {@code SF:}, {@code FN:},
     * {@code FNDA:}, {@code FNF:}, {@code FNH:}, {@code DA:}, {@code LF:}, {@code LH:},
     * {@code end_of_record}; {@code TN:} names the test ({@code testName} may be empty; characters
     * other than letters, digits and '_', which genhtml refuses, become '_').
     */
    public String lcov(String testName) {
        StringBuilder sb = new StringBuilder();
        String tn = testName == null ? "" : testName.replaceAll("[^A-Za-z0-9_]", "_");
        for (FileCoverage f : files()) {
            sb.append("TN:").append(tn).append('\n');
            sb.append("SF:").append(f.path()).append('\n');
            for (Function fn : f.functions()) {
                sb.append("FN:").append(fn.line()).append(',').append(fn.name()).append('\n');
            }
            for (Function fn : f.functions()) {
                sb.append("FNDA:").append(fn.count()).append(',').append(fn.name()).append('\n');
            }
            sb.append("FNF:").append(f.functionsFound()).append('\n');
            sb.append("FNH:").append(f.functionsHit()).append('\n');
            f.lines().forEach((l, c) -> sb.append("DA:").append(l).append(',').append(c).append('\n'));
            sb.append("LF:").append(f.linesFound()).append('\n');
            sb.append("LH:").append(f.linesHit()).append('\n');
            sb.append("end_of_record\n");
        }
        return sb.toString();
    }

    /** Writes {@link #lcov} to {@code file}. */
    public void writeLcov(Path file, String testName) throws IOException {
        Files.writeString(file, lcov(testName), StandardCharsets.UTF_8);
    }

    /**
     * A one-line summary as {@code lcov --summary} gives it:
     * {@code lines: 87.5% (7 of 8), functions: 100.0% (2 of 2)}.
     */
    public String summary() {
        return "lines: " + percent(linesHit(), linesFound()) + ", functions: "
                + percent(functionsHit(), functionsFound());
    }

    private static String percent(int hit, int found) {
        return found == 0 ? "no data found"
                : String.format(java.util.Locale.ROOT, "%.1f%% (%d of %d)", 100.0 * hit / found, hit, found);
    }
}
