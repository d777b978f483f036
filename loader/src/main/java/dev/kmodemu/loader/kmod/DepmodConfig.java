package dev.kmodemu.loader.kmod;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * depmod.d(5) configuration as kmod 30's {@code tools/depmod.c} reads it ({@code cfg_load()},
 * {@code cfg_file_parse()}): {@code search}, {@code override}, {@code external} and
 * {@code exclude} lines from the {@code *.conf} files of the given paths, files taken in name
 * order across all directories (the first directory wins for a name). Lists are kept newest first,
 * as depmod prepends, because the search priority is the position in that list.
 */
final class DepmodConfig {
    /** The directories kmod 30 reads when no {@code -C} is given. */
    static final List<Path> DEFAULT_PATHS = List.of(Path.of("/etc/depmod.d"), Path.of("/run/depmod.d"),
            Path.of("/usr/local/lib/depmod.d"), Path.of("/lib/depmod.d"));

    enum SearchType { PATH, BUILTIN, EXTERNAL }

    /** One {@code search} entry. */
    record Search(SearchType type, String path) {
    }

    /** {@code override MODULE KVER SUBDIR}: {@code subdir/module} without extension. */
    record Override(String path) {
    }

    final List<Search> searches = new ArrayList<>();
    final List<Override> overrides = new ArrayList<>();
    final List<String> externals = new ArrayList<>();
    final List<String> excludes = new ArrayList<>();

    private final String kversion;
    private final DepmodLog log;

    private DepmodConfig(String kversion, DepmodLog log) {
        this.kversion = kversion;
        this.log = log;
    }

    /** {@code cfg_load()}: reads the configuration and adds the default {@code search updates}. */
    static DepmodConfig load(List<Path> paths, String kversion, DepmodLog log) {
        DepmodConfig cfg = new DepmodConfig(kversion, log);
        TreeMap<String, Path> files = new TreeMap<>();
        for (Path p : paths) {
            cfg.filesList(files, p);
        }
        for (Path f : files.values()) {
            cfg.fileParse(f);
        }
        if (cfg.searches.isEmpty()) {
            cfg.searches.addFirst(new Search(SearchType.PATH, "updates"));
        }
        return cfg;
    }

    /** {@code cfg_files_list()}: a file stands for itself, a directory for its {@code *.conf} files. */
    private void filesList(TreeMap<String, Path> files, Path path) {
        KmodStrings.listConfigFiles(files, path, name -> name.length() >= 6 && name.endsWith(".conf"),
                name -> log.err("Directories inside directories are not supported: " + path + "/" + name),
                errno -> log.err("files list " + path + ": " + KmodStrings.strerror(errno)));
    }

    /** {@code cfg_kernel_matches()}: {@code *} or a POSIX extended regex searched in the version. */
    private boolean kernelMatches(String pattern) {
        if (pattern.equals("*")) {
            return true;
        }
        try {
            return Pattern.compile(pattern).matcher(kversion).find();
        } catch (PatternSyntaxException e) {
            return false;
        }
    }

    /** {@code cfg_file_parse()}. */
    private void fileParse(Path file) {
        byte[] content;
        try {
            content = KmodStrings.readFile(file);
        } catch (ErrnoException e) {
            log.err("file parse " + file + ": " + e.getMessage());
            return;
        }
        for (KmodStrings.ConfigLine l : KmodStrings.configLines(content)) {
            List<String> t = l.words();
            String cmd = t.getFirst();
            switch (cmd) {
                case "search" -> {
                    for (String sp : t.subList(1, t.size())) {
                        SearchType type = switch (sp) {
                            case "built-in" -> SearchType.BUILTIN;
                            case "external" -> SearchType.EXTERNAL;
                            default -> SearchType.PATH;
                        };
                        searches.addFirst(new Search(type, sp));
                    }
                }
                case "override" -> {
                    if (t.size() < 4) {
                        badLine(file, l.lineno(), cmd);
                    } else if (kernelMatches(t.get(2))) {
                        overrides.addFirst(new Override(t.get(3) + "/" + t.get(1)));
                    }
                }
                case "external" -> {
                    if (t.size() < 3) {
                        badLine(file, l.lineno(), cmd);
                    } else if (kernelMatches(t.get(1))) {
                        externals.addFirst(t.get(2));
                    }
                }
                case "exclude" -> {
                    for (String ex : t.subList(1, t.size())) {
                        excludes.addFirst(ex);
                    }
                }
                case "include", "make_map_files" -> {
                    // INF("... command %s not implemented yet"): below depmod's default verbosity.
                }
                default -> badLine(file, l.lineno(), cmd);
            }
        }
    }

    private void badLine(Path file, int lineno, String cmd) {
        log.err(file + ":" + lineno + ": ignoring bad line starting with '" + cmd + "'");
    }
}
