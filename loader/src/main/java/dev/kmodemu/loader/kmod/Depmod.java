package dev.kmodemu.loader.kmod;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * kmod 30's {@code depmod -a} ({@code tools/depmod.c}) over one module directory, the
 * {@code /lib/modules/<release>} of a tree: finds the {@code .ko}, {@code .ko.xz} and
 * {@code .ko.zst} files, resolves each module's undefined symbols against the other modules'
 * exports, orders modules by {@code modules.order} and kmod's hash table, sorts dependencies
 * topologically and produces the files depmod writes, text and binary, with the same bytes; or,
 * on a dependency cycle, depmod's cycle report and no files. Messages are the lines depmod prints
 * on stderr at its default verbosity. Nothing is printed and nothing exits here.
 */
public final class Depmod {
    /** The files depmod writes, in its order. */
    public static final List<String> OUTPUT_FILES = List.of("modules.dep", "modules.dep.bin", "modules.alias",
            "modules.alias.bin", "modules.softdep", "modules.symbols", "modules.symbols.bin", "modules.builtin.bin",
            "modules.builtin.alias.bin", "modules.devname");

    /** The module file extensions of Debian's kmod 30 (+XZ +ZSTD -ZLIB). */
    private static final List<String> KMOD_EXTS = List.of(".ko", ".ko.xz", ".ko.zst");

    /**
     * depmod's options.
     *
     * @param symvers {@code -E Module.symvers}: kernel symbols with CRCs, and CRC checking
     * @param systemMap {@code -F System.map}: kernel symbols (used when no symvers)
     * @param errSyms {@code -e}: report unknown symbols and CRC mismatches (needs -E or -F)
     * @param warnDups {@code -w}: report duplicate index entries
     * @param symbolPrefix {@code -P}: architecture symbol prefix, 0 for none
     * @param configPaths {@code -C} files or directories of depmod.d configuration; empty reads none
     * @param kversion the kernel release for {@code override}/{@code external} matching; null means the
     *        module directory's name
     * @param dirname the module directory as messages and absolute paths show it (an emulated system's
     *        {@code /lib/modules/<release>}); null means its real absolute path
     */
    public record Options(Path symvers, Path systemMap, boolean errSyms, boolean warnDups, char symbolPrefix,
            List<Path> configPaths, String kversion, String dirname) {
        public Options {
            configPaths = List.copyOf(configPaths);
        }

        /** Plain {@code depmod -a} without any configuration file. */
        public static Options defaults() {
            return new Options(null, null, false, false, '\0', List.of(), null, null);
        }

        public Options withSymvers(Path p) {
            return new Options(p, systemMap, errSyms, warnDups, symbolPrefix, configPaths, kversion, dirname);
        }

        public Options withSystemMap(Path p) {
            return new Options(symvers, p, errSyms, warnDups, symbolPrefix, configPaths, kversion, dirname);
        }

        public Options withErrSyms(boolean on) {
            return new Options(symvers, systemMap, on, warnDups, symbolPrefix, configPaths, kversion, dirname);
        }

        public Options withWarnDups(boolean on) {
            return new Options(symvers, systemMap, errSyms, on, symbolPrefix, configPaths, kversion, dirname);
        }

        public Options withConfigPaths(List<Path> paths) {
            return new Options(symvers, systemMap, errSyms, warnDups, symbolPrefix, paths, kversion, dirname);
        }

        /** {@code -P}: the architecture's symbol prefix, 0 for none. */
        public Options withSymbolPrefix(char prefix) {
            return new Options(symvers, systemMap, errSyms, warnDups, prefix, configPaths, kversion, dirname);
        }

        /** The module directory as depmod's messages should name it. */
        public Options withDirname(String shownAs) {
            return new Options(symvers, systemMap, errSyms, warnDups, symbolPrefix, configPaths, kversion, shownAs);
        }

        /** The depmod.d directories kmod 30 reads when {@code -C} is not given. */
        public Options withDefaultConfigPaths() {
            return withConfigPaths(DepmodConfig.DEFAULT_PATHS);
        }
    }

    /** One module file ({@code struct mod}). */
    private static final class Mod {
        final Path file;
        final String path;
        final String relpath;
        final String uncrelpath;
        final String modname;
        final int baselen;
        int sortIdx = 1;
        int depSortIdx = Integer.MAX_VALUE;
        int idx;
        int users;
        boolean visited;
        final List<Mod> deps = new ArrayList<>(4);
        final Set<Mod> depSet = new HashSet<>(4);
        List<String> info = List.of();
        List<KmodElf.Symbol> depSyms;

        Mod(Path file, String path, String relpath, String modname) {
            this.file = file;
            this.path = path;
            this.relpath = relpath;
            this.modname = modname;
            this.baselen = path.lastIndexOf('/');
            if (relpath != null) {
                int dirLen = relpath.lastIndexOf('/') + 1;
                this.uncrelpath = relpath.substring(0, Math.min(relpath.length(), dirLen + modname.length() + 3));
            } else {
                this.uncrelpath = null;
            }
        }

        /** {@code mod_get_compressed_path()}. */
        String compressedPath() {
            return relpath != null ? relpath : path;
        }
    }

    /** An entry of the symbol table ({@code struct symbol}); owner null for the kernel. */
    private record Sym(String name, long crc, Mod owner) {
    }

    /**
     * What {@code depmod_load_modules()} takes from a module file; {@code errno} is set when the file
     * could not be opened as ELF at all, {@code exports} is null when it has no symbol table.
     */
    private record Loaded(int errno, List<KmodElf.Symbol> exports, List<String> info, List<KmodElf.Symbol> deps) {
    }

    private final Path dir;
    private final String dirname;
    private final Options opts;
    private final DepmodLog log = new DepmodLog("depmod");
    private boolean printUnknown;
    private DepmodConfig cfg;
    private final KmodHash<Mod> modulesByName = new KmodHash<>(512);
    private final KmodHash<Mod> modulesByUncrelpath = new KmodHash<>(512);
    private final KmodHash<Sym> symbols = new KmodHash<>(2048);
    private final List<Mod> modules = new ArrayList<>();
    private final Map<String, byte[]> files = new LinkedHashMap<>();

    private Depmod(Path moduleDir, Options opts) {
        this.dir = moduleDir.toAbsolutePath();
        this.dirname = opts.dirname() != null ? opts.dirname() : dir.toString();
        this.opts = opts;
        this.printUnknown = opts.errSyms();
    }

    /** A fatal error: depmod logged it and exits with status 1. */
    private static final class Fatal extends Exception {
        Fatal() {
            super(null, null, false, false);
        }
    }

    /**
     * Runs depmod over {@code moduleDir} ({@code /lib/modules/<release>} of some tree) and returns
     * the files it would write and the lines it would print. Never writes anything.
     */
    public static DepmodResult run(Path moduleDir, Options options) {
        Depmod d = new Depmod(moduleDir, options);
        boolean ok;
        try {
            ok = d.doDepmod();
        } catch (Fatal f) {
            ok = false;
        }
        return new DepmodResult(ok, d.files, d.log.lines());
    }

    /**
     * {@code depmod -b BASE VERSION}: {@code BASE/lib/modules/VERSION}, messages naming it by its
     * absolute path as depmod does.
     */
    public static DepmodResult run(Path base, String version, Options options) {
        return run(base.resolve("lib/modules").resolve(version), options);
    }

    private boolean doDepmod() throws Fatal {
        if (opts.symvers() != null) {
            loadSymvers(opts.symvers());
        } else if (opts.systemMap() != null) {
            loadSystemMap(opts.systemMap());
        } else if (printUnknown) {
            log.warn("-e needs -E or -F");
            printUnknown = false;
        }
        String kversion = opts.kversion() != null ? opts.kversion()
                : dir.getFileName() == null ? "" : dir.getFileName().toString();
        cfg = DepmodConfig.load(opts.configPaths(), kversion, log);
        int err = modulesSearch();
        if (err != 0) {
            log.crit("could not search modules: " + KmodStrings.strerror(err));
            throw new Fatal();
        }
        modulesBuildArray();
        modulesSort();
        loadModules();
        loadDependencies();
        if (!calculateDependencies()) {
            return false;
        }
        output();
        return true;
    }

    // ---------------------------------------------------------------- kernel symbols

    /** {@code depmod_symbol_add()}. */
    private void symbolAdd(String name, boolean prefixSkipped, long crc, Mod owner) {
        if (!prefixSkipped && !name.isEmpty() && name.charAt(0) == opts.symbolPrefix()) {
            name = name.substring(1);
        }
        symbols.add(name, new Sym(name, crc, owner));
    }

    /** {@code depmod_symbol_find()}. */
    private Sym symbolFind(String name) {
        if (name.startsWith(".")) {
            name = name.substring(1);
        }
        if (!name.isEmpty() && name.charAt(0) == opts.symbolPrefix()) {
            name = name.substring(1);
        }
        return symbols.find(name);
    }

    /** {@code depmod_add_fake_syms()}. */
    private void addFakeSyms() {
        symbolAdd("__this_module", true, 0, null);
        symbolAdd("_GLOBAL_OFFSET_TABLE_", true, 0, null);
        if (symbolFind("TOC.") == null) {
            symbolAdd("TOC.", true, 0, null);
        }
    }

    private byte[] readOrDie(Path file) throws Fatal {
        try {
            return KmodStrings.readFile(file);
        } catch (ErrnoException e) {
            log.crit("could not load " + file + ": " + e.getMessage());
            throw new Fatal();
        }
    }

    /** {@code depmod_load_symvers()}: {@code 0xCRC SYMBOL vmlinux ...} lines. */
    private void loadSymvers(Path file) throws Fatal {
        byte[] content = readOrDie(file);
        int linenum = 0;
        for (String line : fgetsLines(content)) {
            linenum++;
            List<String> t = KmodStrings.tokens(line, " \t");
            if (t.size() < 3 || !t.get(2).equals("vmlinux")) {
                continue;
            }
            Long crc = strtoull16(t.get(0));
            if (crc == null) {
                log.err(file + ":" + linenum + " Invalid symbol version " + t.get(0) + ": Success");
                continue;
            }
            symbolAdd(t.get(1), false, crc, null);
        }
        addFakeSyms();
    }

    /** {@code strtoull(s, &end, 16)} that must consume the whole string; null otherwise. */
    private static Long strtoull16(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && (s.charAt(i) == ' ' || (s.charAt(i) >= '\t' && s.charAt(i) <= '\r'))) {
            i++;
        }
        boolean neg = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            neg = s.charAt(i) == '-';
            i++;
        }
        if (i + 2 < n && s.charAt(i) == '0' && (s.charAt(i + 1) | 0x20) == 'x' && Character.digit(s.charAt(i + 2), 16) >= 0) {
            i += 2;
        }
        int start = i;
        long v = 0;
        while (i < n && Character.digit(s.charAt(i), 16) >= 0) {
            v = v * 16 + Character.digit(s.charAt(i), 16);
            i++;
        }
        if (i == start || i != n) {
            return null;
        }
        return neg ? -v : v;
    }

    /** {@code depmod_load_system_map()}: {@code ADDR TYPE __ksymtab_NAME} lines. */
    private void loadSystemMap(Path file) throws Fatal {
        byte[] content = readOrDie(file);
        int linenum = 0;
        for (String line : fgetsLines(content)) {
            linenum++;
            int sp1 = line.indexOf(' ');
            int sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
            if (sp2 < 0) {
                log.err(file + ":" + linenum + ": invalid line: " + line);
                continue;
            }
            String p = line.substring(sp2 + 1);
            if (!p.isEmpty() && p.charAt(0) == opts.symbolPrefix()) {
                p = p.substring(1);
            }
            if (!p.startsWith("__ksymtab_")) {
                continue;
            }
            int nl = p.indexOf('\n');
            symbolAdd((nl >= 0 ? p.substring(0, nl) : p).substring("__ksymtab_".length()), true, 0, null);
        }
        addFakeSyms();
    }

    /** The lines {@code fgets()} returns, each with its newline (the last one may lack it). */
    private static List<String> fgetsLines(byte[] content) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < content.length; i++) {
            if (content[i] == '\n') {
                out.add(KmodStrings.latin1(content, start, i + 1 - start));
                start = i + 1;
            }
        }
        if (start < content.length) {
            out.add(KmodStrings.latin1(content, start, content.length - start));
        }
        return out;
    }

    // ---------------------------------------------------------------- module search

    private static boolean endsWithKmodExt(String name) {
        for (String ext : KMOD_EXTS) {
            if (name.length() > ext.length() && name.endsWith(ext)) {
                return true;
            }
        }
        return false;
    }

    /** {@code depmod_modules_search()}: the module directory, then each external directory. */
    private int modulesSearch() {
        int err = modulesSearchPath(dir, dirname);
        if (err != 0) {
            return err;
        }
        for (String ext : cfg.externals) {
            modulesSearchPath(Path.of(ext), ext);
        }
        return 0;
    }

    /** {@code depmod_modules_search_path()}: {@code shown} is how paths below {@code path} are named. */
    private int modulesSearchPath(Path path, String shown) {
        List<Path> entries;
        try {
            entries = listDir(path);
        } catch (ErrnoException e) {
            log.err("could not open directory " + shown + ": " + e.getMessage());
            return e.errno();
        }
        modulesSearchDir(entries, shown + "/", 3);
        return 0;
    }

    private static List<Path> listDir(Path path) throws ErrnoException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(path)) {
            for (Path e : ds) {
                out.add(e);
            }
        } catch (IOException e) {
            throw ErrnoException.of(e);
        }
        return out;
    }

    /** {@code should_exclude_dir()}. */
    private boolean excluded(String name) {
        return name.equals("build") || name.equals("source") || cfg.excludes.contains(name);
    }

    /**
     * {@code depmod_modules_search_dir()}: entries in {@code readdir()} order; {@code dfd} is the
     * descriptor number depmod would have for this directory (3 for the top), as its messages show it.
     */
    private void modulesSearchDir(List<Path> entries, String base, int dfd) {
        for (Path e : entries) {
            String name = e.getFileName().toString();
            if (excluded(name)) {
                continue;
            }
            String path = base + name;
            boolean isDir;
            try {
                BasicFileAttributes a = Files.readAttributes(e, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (a.isRegularFile()) {
                    isDir = false;
                } else if (a.isDirectory()) {
                    isDir = true;
                } else {
                    BasicFileAttributes f = Files.readAttributes(e, BasicFileAttributes.class);
                    if (f.isRegularFile() || f.isDirectory()) {
                        isDir = f.isDirectory();
                    } else {
                        log.err("unsupported file type " + path + ": " + Integer.toOctalString(fileType(e)));
                        continue;
                    }
                }
            } catch (IOException ex) {
                log.err("fstatat(" + dfd + ", " + name + "): " + ErrnoException.of(ex).getMessage());
                continue;
            }
            if (isDir) {
                List<Path> sub;
                try {
                    sub = listDir(e);
                } catch (ErrnoException ex) {
                    log.err("openat(" + dfd + ", " + name + ", O_RDONLY): " + ex.getMessage());
                    continue;
                }
                if (dfd < 3 + 64) {
                    modulesSearchDir(sub, path + "/", dfd + 1);
                }
            } else {
                modulesSearchFile(base.length(), name, path, e);
            }
        }
    }

    private static int fileType(Path p) {
        try {
            Object mode = Files.getAttribute(p, "unix:mode");
            return ((Integer) mode) & 0170000;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return 0;
        }
    }

    /** {@code depmod_modules_search_file()}: adds a module file unless a same-named one has priority. */
    private void modulesSearchFile(int baselen, String name, String path, Path file) {
        if (!endsWithKmodExt(name)) {
            return;
        }
        String modname = KmodStrings.pathToModname(path);
        Mod old = modulesByName.find(modname);
        if (old != null) {
            if (isHigherPriority(old, baselen, modname.length(), path)) {
                return;
            }
            if (old.uncrelpath != null) {
                modulesByUncrelpath.del(old.uncrelpath);
            }
            modulesByName.del(old.modname);
        }
        String relpath = path.startsWith(dirname) && path.length() > dirname.length()
                && path.charAt(dirname.length()) == '/' ? path.substring(dirname.length() + 1) : null;
        Mod mod = new Mod(file, path, relpath, modname);
        modulesByName.addUnique(modname, mod);
        if (mod.uncrelpath != null && !modulesByUncrelpath.addUnique(mod.uncrelpath, mod)) {
            log.err("hash_add_unique " + mod.uncrelpath + ": " + KmodStrings.strerror(KmodStrings.EEXIST));
            modulesByName.del(modname);
            log.err("could not add module " + path + ": " + KmodStrings.strerror(KmodStrings.EEXIST));
            log.err("failed " + path + ": " + KmodStrings.strerror(KmodStrings.EEXIST));
        }
    }

    /**
     * {@code depmod_module_is_higher_priority()}: whether the module already found wins over
     * {@code newpath}. Paths compare up to the end of the module name; the search list is newest
     * first and a higher position means a higher priority.
     */
    private boolean isHigherPriority(Mod old, int baselen, int modnamelen, String newpath) {
        int newlen = baselen + modnamelen;
        int oldlen = old.baselen + old.modname.length() + 1;
        String relnew = null;
        String relold = null;
        if (newpath.startsWith(dirname)) {
            relnew = clip(newpath.substring(Math.min(newpath.length(), dirname.length() + 1)), newlen - dirname.length() - 1);
        }
        if (old.path.startsWith(dirname)) {
            relold = clip(old.path.substring(Math.min(old.path.length(), dirname.length() + 1)), oldlen - dirname.length() - 1);
        }
        for (DepmodConfig.Override ov : cfg.overrides) {
            if (relnew != null && relnew.equals(ov.path())) {
                return false;
            }
            if (relold != null && relold.equals(ov.path())) {
                return true;
            }
        }
        String absnew = clip(newpath, newlen);
        String absold = clip(old.path, oldlen);
        int i = 0;
        int bprio = -1;
        int oldprio = -1;
        int newprio = -1;
        for (DepmodConfig.Search se : cfg.searches) {
            switch (se.type()) {
                case BUILTIN -> bprio = i;
                case EXTERNAL -> {
                    for (String ext : cfg.externals) {
                        if (startsWithDir(absnew, ext)) {
                            newprio = i;
                        }
                        if (startsWithDir(absold, ext)) {
                            oldprio = i;
                        }
                        i++;
                    }
                }
                case PATH -> {
                    if (relnew != null && startsWithDir(relnew, se.path())) {
                        newprio = i;
                    } else if (relold != null && startsWithDir(relold, se.path())) {
                        oldprio = i;
                    }
                }
            }
            i++;
        }
        if (newprio < 0) {
            newprio = bprio;
        }
        if (oldprio < 0) {
            oldprio = bprio;
        }
        return newprio <= oldprio;
    }

    private static String clip(String s, int len) {
        return s.substring(0, Math.max(0, Math.min(s.length(), len)));
    }

    /** {@code depmod_is_path_starts_with()}: {@code prefix} is a leading directory of {@code path}. */
    private static boolean startsWithDir(String path, String prefix) {
        return path.length() > prefix.length() && path.charAt(prefix.length()) == '/' && path.startsWith(prefix);
    }

    // ---------------------------------------------------------------- ordering

    /** {@code depmod_modules_build_array()}: hash iteration order. */
    private void modulesBuildArray() {
        modulesByName.forEach((k, m) -> {
            m.idx = modules.size();
            modules.add(m);
        });
    }

    /** {@code dfdopen()} of a file in the module directory, warning as depmod does when it fails. */
    private byte[] openInDir(String filename) {
        if (!Files.isDirectory(dir)) {
            log.warn("could not open directory " + dirname + ": " + KmodStrings.strerror(KmodStrings.ENOENT));
            return null;
        }
        try {
            return KmodStrings.readFile(dir.resolve(filename));
        } catch (ErrnoException e) {
            log.warn("could not open " + filename + " at " + dirname + ": " + e.getMessage());
            return null;
        }
    }

    /**
     * {@code depmod_modules_sort()}: modules named in {@code modules.order} first, in its order
     * (negative indexes, the last mention wins), the others after them in array order (glibc's
     * {@code qsort()} is a stable merge sort for this size, as is {@link List#sort}).
     */
    private void modulesSort() {
        byte[] content = openInDir("modules.order");
        if (content == null) {
            return;
        }
        List<String> lines = fgetsLines(content);
        int total = lines.size() + 1;
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).endsWith("\n")) {
                log.err(dirname + "/modules.order:" + (i + 1) + " corrupted line misses '\\n'");
                return;
            }
        }
        int idx = 0;
        for (String line : lines) {
            idx++;
            Mod m = modulesByUncrelpath.find(line.substring(0, line.length() - 1));
            if (m != null) {
                m.sortIdx = idx - total;
            }
        }
        modules.sort((a, b) -> Integer.compare(a.sortIdx, b.sortIdx));
        for (int i = 0; i < modules.size(); i++) {
            modules.get(i).idx = i;
        }
    }

    // ---------------------------------------------------------------- loading

    private static Loaded load(Mod m) {
        KmodElf elf;
        try {
            byte[] data = KmodStrings.readFile(m.file);
            if (KmodElf.compressed(data)) {
                throw new ErrnoException(KmodStrings.ENOEXEC);
            }
            elf = KmodElf.parse(data);
        } catch (ErrnoException e) {
            return new Loaded(e.errno(), null, List.of(), null);
        }
        List<KmodElf.Symbol> exports;
        try {
            exports = elf.symbols();
        } catch (ErrnoException e) {
            exports = null;
        }
        List<String> info;
        try {
            info = elf.modinfo();
        } catch (ErrnoException e) {
            info = List.of();
        }
        List<KmodElf.Symbol> deps;
        try {
            deps = elf.dependencySymbols();
        } catch (ErrnoException e) {
            deps = null;
        }
        return new Loaded(0, exports, info, deps);
    }

    /**
     * {@code depmod_load_modules()}: exports into the symbol table (a later module in array order
     * replaces an earlier exporter), modinfo and dependency symbols kept per module. Files are read
     * in parallel; everything order-dependent happens afterwards in array order.
     */
    private void loadModules() {
        Loaded[] loaded = new Loaded[modules.size()];
        IntStream.range(0, modules.size()).parallel().forEach(i -> loaded[i] = load(modules.get(i)));
        for (int i = 0; i < loaded.length; i++) {
            Mod m = modules.get(i);
            Loaded l = loaded[i];
            if (l.errno() != 0) {
                log.err("failed to load symbols from " + m.path + ": " + KmodStrings.strerror(l.errno()));
            } else if (l.exports() != null) {
                // No export table at all is "no symbols", which depmod only mentions in debug output.
                for (KmodElf.Symbol s : l.exports()) {
                    symbolAdd(s.name(), false, s.crc(), m);
                }
            }
            m.info = l.info();
            m.depSyms = l.deps();
            loaded[i] = null;
        }
    }

    /** {@code depmod_load_dependencies()} / {@code depmod_load_module_dependencies()}. */
    private void loadDependencies() {
        for (Mod m : modules) {
            if (m.depSyms == null) {
                continue;
            }
            for (KmodElf.Symbol ds : m.depSyms) {
                Sym sym = symbolFind(ds.name());
                boolean weak = ds.bind() == KmodElf.BIND_WEAK;
                if (sym == null) {
                    if (printUnknown && !weak) {
                        log.warn(m.path + " needs unknown symbol " + ds.name());
                    }
                    continue;
                }
                if (opts.symvers() != null && sym.crc() != ds.crc() && !weak && printUnknown) {
                    log.warn(m.path + " disagrees about version of symbol " + ds.name());
                }
                addDependency(m, sym);
            }
            m.depSyms = null;
        }
    }

    /** {@code mod_add_dependency()}. */
    private static void addDependency(Mod m, Sym sym) {
        if (sym.owner() == null) {
            return;
        }
        if (m.depSet.add(sym.owner())) {
            m.deps.add(sym.owner());
            sym.owner().users++;
        }
    }

    /**
     * {@code depmod_calculate_dependencies()}: Kahn's topological sort from the modules nobody
     * uses, a LIFO of roots; modules left over are in or below a cycle, reported as depmod does.
     *
     * @return false on cycles (depmod writes nothing and fails)
     */
    private boolean calculateDependencies() {
        int n = modules.size();
        int[] users = new int[n];
        int[] roots = new int[n];
        int nRoots = 0;
        int nSorted = 0;
        for (int i = 0; i < n; i++) {
            users[i] = modules.get(i).users;
            if (users[i] == 0) {
                roots[nRoots++] = i;
            }
        }
        while (nRoots > 0) {
            Mod src = modules.get(roots[--nRoots]);
            src.depSortIdx = nSorted++;
            for (Mod dst : src.deps) {
                if (--users[dst.idx] == 0) {
                    roots[nRoots++] = dst.idx;
                }
            }
        }
        if (nSorted < n) {
            reportCycles(users);
            return false;
        }
        for (Mod m : modules) {
            if (m.deps.size() > 1) {
                m.deps.sort((a, b) -> Integer.compare(a.depSortIdx, b.depSortIdx));
            }
        }
        return true;
    }

    /** A step of the cycle search: a module and the step it was reached from. */
    private record Vertex(Vertex parent, Mod mod) {
    }

    /**
     * {@code depmod_report_cycles()}: a depth-first walk from each module left with users, in array
     * order; coming back to the start module prints the path, and every module on a reported path
     * counts once. Like depmod, a start module already seen from an earlier start is reported
     * alone.
     */
    private void reportCycles(int[] users) {
        List<Mod> roots = new ArrayList<>();
        for (int i = 0; i < users.length; i++) {
            if (users[i] > 0) {
                roots.add(modules.get(i));
            }
        }
        Set<String> loopSet = new HashSet<>();
        int stackSize = roots.size();
        while (!roots.isEmpty()) {
            Mod root = roots.removeFirst();
            reportCyclesFromRoot(root, roots, loopSet, stackSize);
        }
        log.err("Found " + loopSet.size() + " modules in dependency cycles!");
    }

    private void reportCyclesFromRoot(Mod rootMod, List<Mod> roots, Set<String> loopSet, int stackSize) {
        List<Vertex> stack = new ArrayList<>();
        stack.add(new Vertex(null, rootMod));
        // Below the start module depmod can walk around another cycle forever, or push past the end of
        // its stack (one slot per module left with users). Neither has an outcome to reproduce: the walk
        // from this start ends there instead.
        long budget = 1_000_000L;
        while (!stack.isEmpty() && budget-- > 0) {
            Vertex v = stack.removeLast();
            Mod m = v.mod();
            if (m.visited && m == rootMod) {
                reportOneCycle(v, roots, loopSet);
                continue;
            }
            m.visited = true;
            if (m.deps.isEmpty()) {
                removeData(roots, m);
                continue;
            }
            if (stack.size() + m.deps.size() > stackSize) {
                return;
            }
            for (Mod dep : m.deps) {
                stack.add(new Vertex(v, dep));
            }
        }
    }

    /**
     * {@code kmod_list_remove_data()} on the circular root list: the entry after the removed one
     * becomes the head, so removing from the middle rotates the list (which decides the next start).
     */
    private static void removeData(List<Mod> list, Mod m) {
        int i = list.indexOf(m);
        if (i < 0) {
            return;
        }
        list.remove(i);
        if (i > 0 && i < list.size()) {
            List<Mod> tail = new ArrayList<>(list.subList(i, list.size()));
            list.subList(i, list.size()).clear();
            list.addAll(0, tail);
        }
    }

    /** {@code depmod_report_one_cycle()}: {@code Cycle detected: a -> b -> a}. */
    private void reportOneCycle(Vertex vertex, List<Mod> roots, Set<String> loopSet) {
        List<Mod> reverse = new ArrayList<>();
        for (Vertex v = vertex.parent(); v != null; v = v.parent()) {
            reverse.add(v.mod());
            loopSet.add(v.mod().modname);
        }
        StringBuilder buf = new StringBuilder();
        for (int i = reverse.size() - 1; i >= 0; i--) {
            buf.append(reverse.get(i).modname).append(" -> ");
            removeData(roots, reverse.get(i));
        }
        buf.append(vertex.mod().modname);
        log.err("Cycle detected: " + buf);
    }

    // ---------------------------------------------------------------- output

    /** {@code mod_get_all_sorted_dependencies()}: the transitive closure in topological order. */
    private static List<Mod> allSortedDependencies(Mod mod) {
        List<Mod> out = new ArrayList<>();
        Set<Mod> seen = new HashSet<>();
        fillAllUniqueDependencies(mod, out, seen);
        out.sort((a, b) -> Integer.compare(a.depSortIdx, b.depSortIdx));
        return out;
    }

    private static void fillAllUniqueDependencies(Mod mod, List<Mod> out, Set<Mod> seen) {
        for (Mod d : mod.deps) {
            if (seen.add(d)) {
                out.add(d);
                fillAllUniqueDependencies(d, out, seen);
            }
        }
    }

    /** Value of a {@code key=value} modinfo string if its key is {@code key}, else null. */
    private static String infoValue(String entry, String key) {
        return entry.length() > key.length() && entry.charAt(key.length()) == '=' && entry.startsWith(key)
                ? entry.substring(key.length() + 1) : entry.equals(key) ? "" : null;
    }

    /** {@code depmod_output()}: every file in depmod's order; a fatal index error stops it. */
    private void output() throws Fatal {
        List<String> depLines = new ArrayList<>(modules.size());
        for (Mod m : modules) {
            StringBuilder line = new StringBuilder(m.compressedPath()).append(':');
            if (!m.deps.isEmpty()) {
                for (Mod d : allSortedDependencies(m)) {
                    line.append(' ').append(d.compressedPath());
                }
            }
            depLines.add(line.toString());
        }
        StringBuilder dep = new StringBuilder();
        for (String l : depLines) {
            dep.append(l).append('\n');
        }
        put("modules.dep", dep);
        try {
            IndexBuilder depIdx = new IndexBuilder();
            for (int i = 0; i < modules.size(); i++) {
                Mod m = modules.get(i);
                if (depIdx.insert(m.modname, depLines.get(i), m.idx) && opts.warnDups()) {
                    log.warn("duplicate module deps:\n" + depLines.get(i));
                }
            }
            files.put("modules.dep.bin", depIdx.write());
            outputAliases();
            outputSoftdeps();
            outputSymbols();
            files.put("modules.builtin.bin", outputBuiltinBin());
            files.put("modules.builtin.alias.bin", outputBuiltinAliasBin());
        } catch (IndexBuilder.BadCharacterException e) {
            log.crit(e.getMessage());
            throw new Fatal();
        }
        outputDevname();
    }

    private void put(String name, CharSequence text) {
        files.put(name, KmodStrings.bytes(text.toString()));
    }

    /** {@code output_aliases()} and {@code output_aliases_bin()}. */
    private void outputAliases() throws IndexBuilder.BadCharacterException {
        StringBuilder txt = new StringBuilder("# Aliases extracted from modules themselves.\n");
        IndexBuilder idx = new IndexBuilder();
        for (Mod m : modules) {
            for (String e : m.info) {
                String value = infoValue(e, "alias");
                if (value != null) {
                    txt.append("alias ").append(value).append(' ').append(m.modname).append('\n');
                }
            }
        }
        put("modules.alias", txt);
        for (Mod m : modules) {
            for (String e : m.info) {
                String value = infoValue(e, "alias");
                if (value == null) {
                    continue;
                }
                String alias = KmodStrings.aliasNormalize(value);
                if (alias == null) {
                    log.warn("Unmatched bracket in " + value);
                    continue;
                }
                if (idx.insert(alias, m.modname, m.idx) && opts.warnDups()) {
                    log.warn("duplicate module alias:\n" + alias + " " + m.modname);
                }
            }
        }
        files.put("modules.alias.bin", idx.write());
    }

    /** {@code output_softdeps()}. */
    private void outputSoftdeps() {
        StringBuilder txt = new StringBuilder("# Soft dependencies extracted from modules themselves.\n");
        for (Mod m : modules) {
            for (String e : m.info) {
                String value = infoValue(e, "softdep");
                if (value != null) {
                    txt.append("softdep ").append(m.modname).append(' ').append(value).append('\n');
                }
            }
        }
        put("modules.softdep", txt);
    }

    /** {@code output_symbols()} and {@code output_symbols_bin()}: symbol table order, modules only. */
    private void outputSymbols() throws IndexBuilder.BadCharacterException {
        StringBuilder txt = new StringBuilder("# Aliases for symbols, used by symbol_request().\n");
        List<Sym> all = symbols.values();
        for (Sym s : all) {
            if (s.owner() != null) {
                txt.append("alias symbol:").append(s.name()).append(' ').append(s.owner().modname).append('\n');
            }
        }
        put("modules.symbols", txt);
        IndexBuilder idx = new IndexBuilder();
        for (Sym s : all) {
            if (s.owner() == null) {
                continue;
            }
            String alias = "symbol:" + s.name();
            if (idx.insert(alias, s.owner().modname, s.owner().idx) && opts.warnDups()) {
                log.warn("duplicate module syms:\n" + alias + " " + s.owner().modname);
            }
        }
        files.put("modules.symbols.bin", idx.write());
    }

    /** {@code output_builtin_bin()}: empty output when there is no modules.builtin. */
    private byte[] outputBuiltinBin() throws IndexBuilder.BadCharacterException {
        byte[] in = openInDir("modules.builtin");
        if (in == null) {
            return new byte[0];
        }
        IndexBuilder idx = new IndexBuilder();
        for (String line : fgetsLines(in)) {
            char c = line.charAt(0);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
                log.err("Invalid modules.builtin line: " + line);
                continue;
            }
            idx.insert(KmodStrings.pathToModname(line), "", 0);
        }
        return idx.write();
    }

    /**
     * {@code output_builtin_alias_bin()}: the {@code MODNAME.alias=VALUE} entries of
     * {@code modules.builtin.modinfo} (NUL-separated), aliases normalized.
     */
    private byte[] outputBuiltinAliasBin() throws IndexBuilder.BadCharacterException {
        byte[] in = openInDir("modules.builtin.modinfo");
        if (in == null) {
            return new byte[0];
        }
        IndexBuilder idx = new IndexBuilder();
        int[] pos = {0};
        while (pos[0] < in.length) {
            String modname = flushStreamTo(in, pos, '.');
            if (modname.isEmpty()) {
                continue;
            }
            String key = flushStreamTo(in, pos, '=');
            if (!key.equals("alias")) {
                flushStreamTo(in, pos, '\0');
                continue;
            }
            String value = flushStreamTo(in, pos, '\0');
            if (value.isEmpty()) {
                continue;
            }
            String alias = KmodStrings.aliasNormalize(value);
            if (alias == null) {
                log.warn("Unmatched bracket in " + value);
                continue;
            }
            idx.insert(alias, modname, 0);
        }
        return idx.write();
    }

    /**
     * {@code flush_stream_to()}: reads up to {@code end}, a NUL or the end of the data; returns
     * what was read if it stopped at {@code end}, else the empty string.
     */
    private static String flushStreamTo(byte[] in, int[] pos, char end) {
        int start = pos[0];
        int i = start;
        while (i < in.length && in[i] != end && in[i] != 0) {
            i++;
        }
        boolean hit = i < in.length && in[i] == end;
        pos[0] = Math.min(in.length, i + 1);
        return hit ? KmodStrings.latin1(in, start, i - start) : "";
    }

    /** {@code output_devname()}: modules with a devname alias and a char/block major:minor alias. */
    private void outputDevname() {
        StringBuilder txt = new StringBuilder();
        for (Mod m : modules) {
            String devname = null;
            char type = '\0';
            long major = 0;
            long minor = 0;
            for (String e : m.info) {
                String value = infoValue(e, "alias");
                if (value == null) {
                    continue;
                }
                long[] mm;
                if (value.startsWith("devname:")) {
                    devname = value.substring("devname:".length());
                } else if ((mm = scanMajorMinor(value, "char-major-")) != null) {
                    type = 'c';
                    major = mm[0];
                    minor = mm[1];
                } else if ((mm = scanMajorMinor(value, "block-major-")) != null) {
                    type = 'b';
                    major = mm[0];
                    minor = mm[1];
                }
                if (type != '\0' && devname != null) {
                    break;
                }
            }
            if (devname != null) {
                if (type != '\0') {
                    if (txt.isEmpty()) {
                        txt.append("# Device nodes to trigger on-demand module loading.\n");
                    }
                    txt.append(m.modname).append(' ').append(devname).append(' ').append(type).append(major)
                            .append(':').append(minor).append('\n');
                } else {
                    log.err("Module '" + m.modname + "' has devname (" + devname
                            + ") but lacks major and minor information. Ignoring.");
                }
            }
        }
        put("modules.devname", txt);
    }

    /** {@code sscanf(value, "<prefix>%u-%u", ...) == 2}: the two numbers, or null. */
    private static long[] scanMajorMinor(String value, String prefix) {
        if (!value.startsWith(prefix)) {
            return null;
        }
        int[] pos = {prefix.length()};
        Long major = scanU(value, pos);
        if (major == null || pos[0] >= value.length() || value.charAt(pos[0]) != '-') {
            return null;
        }
        pos[0]++;
        Long minor = scanU(value, pos);
        return minor == null ? null : new long[] {major, minor};
    }

    /** One {@code %u} conversion: blanks, an optional sign, decimal digits; 32-bit wrap-around. */
    private static Long scanU(String s, int[] pos) {
        int i = pos[0];
        while (i < s.length() && (s.charAt(i) == ' ' || (s.charAt(i) >= '\t' && s.charAt(i) <= '\r'))) {
            i++;
        }
        boolean neg = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            neg = s.charAt(i) == '-';
            i++;
        }
        int start = i;
        long v = 0;
        boolean overflow = false;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            long next = v * 10 + (s.charAt(i) - '0');
            if (Long.compareUnsigned(next, v) < 0 || Long.compareUnsigned(v, Long.divideUnsigned(-1L, 10)) > 0) {
                overflow = true;
            }
            v = next;
            i++;
        }
        if (i == start) {
            return null;
        }
        pos[0] = i;
        if (overflow) {
            v = -1L;
        } else if (neg) {
            v = -v;
        }
        return v & 0xffffffffL;
    }
}
