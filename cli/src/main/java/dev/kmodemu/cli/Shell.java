package dev.kmodemu.cli;

import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.Kernel;
import dev.kmodemu.kstubs.KernelException;
import dev.kmodemu.kstubs.KernelFile;
import dev.kmodemu.kstubs.fs.Vfs;
import dev.kmodemu.kstubs.module.Module;
import dev.kmodemu.kstubs.printk.Dmesg;
import dev.kmodemu.kstubs.printk.KernelLog;
import dev.kmodemu.loader.kmod.ModuleIndex;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The {@code kmodemu sh} command language: the module tools and file commands of a Linux system,
 * run against one emulated kernel, each printing what the real tool prints (kmod's insmod, rmmod,
 * lsmod and modinfo; coreutils cat, ls, head and dd; util-linux dmesg; echo and redirection with
 * bash's messages, which name the errno, as in "sh: line 2: echo: write error: Invalid argument").
 */
final class Shell {
    private final Kernel kernel;
    private final String name;
    private final Path cwd;
    private final List<CommandResult> results = new ArrayList<>();
    private final Consumer<CommandResult> sink;
    private final java.util.Map<String, byte[]> bundled = new java.util.HashMap<>();
    private StringBuilder out;
    private StringBuilder err;
    private int line;

    /**
     * @param sink receives each command's result as it completes (e.g. to print it), may be null
     */
    Shell(Kernel kernel, Path cwd, Consumer<CommandResult> sink) {
        this(kernel, cwd, sink, "sh");
    }

    /** @param name what error messages start with: "sh", or the script file's name */
    Shell(Kernel kernel, Path cwd, Consumer<CommandResult> sink, String name) {
        this.kernel = kernel;
        this.cwd = cwd;
        this.sink = sink;
        this.name = name;
        kernel.commandRunner((cmd, mod) -> nested(cmd));
    }

    /**
     * An install or remove command of modprobe.d, run by modprobe's system(): its commands run
     * here, their output going where modprobe's goes. Programs named by path are found by name.
     */
    private int nested(String script) {
        List<Words.Command> cmds;
        try {
            cmds = Words.parse(script);
        } catch (Words.SyntaxError e) {
            err.append("sh: -c: line ").append(e.line).append(": ").append(e.getMessage()).append('\n');
            return 2;
        }
        int status = 0;
        for (Words.Command c : cmds) {
            List<String> w = new ArrayList<>(c.words());
            if (w.isEmpty()) {
                continue;
            }
            String prog = w.get(0);
            w.set(0, prog.substring(prog.lastIndexOf('/') + 1));
            status = command(w);
        }
        return status;
    }

    /** Makes {@code name} loadable by insmod when no such host file exists (the bundled modules). */
    void bundle(String name, byte[] image) {
        bundled.put(name, image);
    }

    List<CommandResult> results() {
        return results;
    }

    /** Runs a script; returns the exit status of the last command (0 for an empty script). */
    int run(String script) {
        List<Words.Command> cmds;
        try {
            cmds = Words.parse(script);
        } catch (Words.SyntaxError e) {
            CommandResult r = new CommandResult("", 2, "", name + ": -c: line " + e.line + ": " + e.getMessage()
                    + "\n");
            record(r);
            return 2;
        }
        int status = 0;
        for (Words.Command c : cmds) {
            if (kernel.panicked()) {
                // The machine stopped: on a real system nothing after the panic runs.
                break;
            }
            status = run(c);
        }
        return status;
    }

    /** Runs one command given as words (no parsing); returns its exit status. */
    int run(List<String> words) {
        return run(new Words.Command(words, 1, String.join(" ", words)));
    }

    private void record(CommandResult r) {
        results.add(r);
        if (sink != null) {
            sink.accept(r);
        }
    }

    int run(Words.Command c) {
        out = new StringBuilder();
        err = new StringBuilder();
        line = c.line();
        List<String> w = new ArrayList<>(c.words());
        String target = null;
        boolean append = false;
        for (int i = 0; i < w.size(); i++) {
            if (w.get(i).equals(">") || w.get(i).equals(">>")) {
                if (i + 1 >= w.size()) {
                    err.append(name).append(": -c: line ").append(line)
                            .append(": syntax error near unexpected token `newline'\n");
                    record(new CommandResult(c.text(), 2, "", err.toString()));
                    return 2;
                }
                append = w.get(i).equals(">>");
                target = w.get(i + 1);
                w.remove(i + 1);
                w.remove(i);
                i--;
            }
        }
        if (w.isEmpty()) {
            record(new CommandResult(c.text(), 0, "", ""));
            return 0;
        }
        String redirect = target;
        boolean appending = append;
        int status;
        try {
            String comm = w.get(0).length() > 15 ? w.get(0).substring(0, 15) : w.get(0);
            if (w.get(0).equals("irq") && redirect == null) {
                status = irq(w);
            } else {
                status = kernel.process(comm, () -> redirect == null ? command(w) : redirected(w, redirect, appending));
            }
        } catch (KernelException e) {
            if (!e.killed()) {
                throw e;
            }
            if (e.panicked()) {
                err.append("kmodemu: ").append(e.getMessage()).append("; the machine is stopped\n");
            } else {
                err.append(e.signal() == 11 ? "Segmentation fault\n" : "Killed\n");
            }
            status = 128 + e.signal();
        }
        record(new CommandResult(c.text(), status, out.toString(), err.toString()));
        return status;
    }

    /**
     * {@code command > FILE}: the file is opened first (O_CREAT and O_TRUNC or O_APPEND) as the
     * shell does, the command runs, its output goes to the file in one write(2). /dev/null
     * swallows it.
     */
    private int redirected(List<String> w, String target, boolean append) {
        if (target.equals("/dev/null")) {
            int status = command(w);
            out.setLength(0);
            return status;
        }
        int flags = KernelFile.O_WRONLY | KernelFile.O_CREAT | (append ? KernelFile.O_APPEND : KernelFile.O_TRUNC);
        KernelFile f;
        try {
            f = kernel.open(target, flags);
        } catch (KernelException e) {
            if (e.killed()) {
                throw e;
            }
            err.append(prefix()).append(target).append(": ").append(Errno.text(e.errno())).append('\n');
            return 1;
        }
        try (f) {
            int status = command(w);
            byte[] data = out.toString().getBytes(StandardCharsets.UTF_8);
            out.setLength(0);
            if (data.length > 0 || w.get(0).equals("echo")) {
                try {
                    f.write(data);
                } catch (KernelException e) {
                    if (e.killed()) {
                        throw e;
                    }
                    err.append(prefix()).append(w.get(0)).append(": write error: ").append(Errno.text(e.errno()))
                            .append('\n');
                    return 1;
                }
            }
            return status;
        }
    }

    private int command(List<String> w) {
        return switch (w.get(0)) {
                case "insmod" -> insmod(w);
                case "rmmod" -> rmmod(w);
                case "lsmod" -> lsmod(w);
                case "modinfo" -> modinfo(w);
                case "modprobe" -> modprobe(w);
                case "depmod" -> depmod(w);
                case "cat" -> cat(w);
                case "echo" -> echo(w);
                case "dmesg" -> dmesg(w);
                case "sleep" -> sleep(w);
                case "ls" -> ls(w);
                case "head" -> head(w);
                case "dd" -> dd(w);
                case "ioctl" -> ioctl(w);
                case "irq" -> irq(w);
                case "true", ":" -> 0;
                case "false" -> 1;
            default -> {
                err.append(prefix()).append(w.get(0)).append(": command not found\n");
                yield 127;
            }
        };
    }

    /** bash's prefix for errors of the running command: "sh: line N: ". */
    private String prefix() {
        return name + ": line " + line + ": ";
    }

    private Path host(String p) {
        return cwd.resolve(p);
    }

    // ---------------------------------------------------------------- kmod

    /** Outcome of a kmod tool's option parsing that ends the command (help, version, bad option). */
    private record Done(int status) {
    }

    /**
     * Parses a kmod tool's options; {@code -h} prints {@code usage}, {@code -V} the version, a bad
     * option glibc's message. Returns the options, or a {@link Done} with the exit status.
     */
    private Object kmodOptions(String prog, List<String> w, String shortOpts, Map<String, Character> longOpts,
            String usage) {
        Getopt.Result o;
        try {
            o = Getopt.parse(prog, w.subList(1, w.size()), shortOpts, longOpts);
        } catch (Getopt.Error e) {
            err.append(e.getMessage()).append('\n');
            return new Done(1);
        }
        if (o.has('h')) {
            out.append(usage);
            return new Done(0);
        }
        if (o.has('V')) {
            out.append(KMOD_VERSION);
            return new Done(0);
        }
        return o;
    }

    private int insmod(List<String> w) {
        Object parsed = kmodOptions("insmod", w, "psfVh", Map.of("version", 'V', "help", 'h'), INSMOD_USAGE);
        if (!(parsed instanceof Getopt.Result o)) {
            return ((Done) parsed).status();
        }
        if (o.operands().isEmpty()) {
            err.append("insmod: ERROR: missing filename.\n");
            return 1;
        }
        String file = o.operands().get(0);
        if (file.equals("-")) {
            err.append("insmod: ERROR: this tool does not support loading from stdin!\n");
            return 1;
        }
        Path p = host(file);
        byte[] image;
        try {
            image = !Files.exists(p) && bundled.containsKey(file) ? bundled.get(file) : Files.readAllBytes(p);
        } catch (IOException e) {
            String why = Files.isDirectory(p) ? "Is a directory" : Files.exists(p) ? "Permission denied"
                    : "No such file or directory";
            err.append("insmod: ERROR: could not load module ").append(file).append(": ").append(why).append('\n');
            return 1;
        }
        try {
            List<String> params = o.operands().subList(1, o.operands().size());
            kernel.insmod(file, image, String.join(" ", params), o.has('f'));
            return 0;
        } catch (KernelException e) {
            if (e.killed()) {
                throw e;
            }
            err.append("insmod: ERROR: ").append(e.getMessage()).append('\n');
            return 1;
        }
    }

    static final String KMOD_VERSION = "kmod version 30\n+ZSTD +XZ -ZLIB +LIBCRYPTO -EXPERIMENTAL\n";
    private static final String INSMOD_USAGE = """
            Usage:
            	insmod [options] filename [args]
            Options:
            	-V, --version     show version
            	-h, --help        show this help
            """;
    private static final String RMMOD_USAGE = """
            Usage:
            	rmmod [options] modulename ...
            Options:
            	-f, --force       forces a module unload and may crash your
            	                  machine. This requires Forced Module Removal
            	                  option in your kernel. DANGEROUS
            	-s, --syslog      print to syslog, not stderr
            	-v, --verbose     enables more messages
            	-V, --version     show version
            	-h, --help        show this help
            """;

    private int rmmod(List<String> w) {
        Object parsed = kmodOptions("rmmod", w, "fsvVh", Map.of("force", 'f', "syslog", 's', "verbose", 'v',
                "version", 'V', "help", 'h'), RMMOD_USAGE);
        if (!(parsed instanceof Getopt.Result o)) {
            return ((Done) parsed).status();
        }
        if (o.operands().isEmpty()) {
            err.append("rmmod: ERROR: missing module name.\n");
            return 1;
        }
        int failed = 0;
        for (String n : o.operands()) {
            try {
                kernel.rmmod(n, o.has('f'));
            } catch (KernelException e) {
                if (e.killed()) {
                    throw e;
                }
                err.append("rmmod: ERROR: ").append(e.getMessage()).append('\n');
                failed++;
            }
        }
        return failed == 0 ? 0 : 1;
    }

    private int lsmod(List<String> w) {
        if (w.size() != 1) {
            err.append("Usage: lsmod\n");
            return 1;
        }
        out.append(kernel.lsmod());
        return 0;
    }

    private static final String MODINFO_USAGE = """
            Usage:
            \tmodinfo [options] <modulename|filename> [args]
            Options:
            \t-a, --author                Print only 'author'
            \t-d, --description           Print only 'description'
            \t-l, --license               Print only 'license'
            \t-p, --parameters            Print only 'parm'
            \t-n, --filename              Print only 'filename'
            \t-0, --null                  Use \\0 instead of \\n
            \t-m, --modname               Handle argument as module name instead of alias or filename
            \t-F, --field=FIELD           Print only provided FIELD
            \t-k, --set-version=VERSION   Use VERSION instead of `uname -r`
            \t-b, --basedir=DIR           Use DIR as filesystem root for /lib/modules
            \t-V, --version               Show version
            \t-h, --help                  Show this help
            """;

    /** kmod's modinfo: a file, or a name or alias looked up in the module directory's index. */
    private int modinfo(List<String> w) {
        Object parsed = kmodOptions("modinfo", w, "adlpn0mF:k:b:Vh", Map.ofEntries(Map.entry("author", 'a'),
                Map.entry("description", 'd'), Map.entry("license", 'l'), Map.entry("parameters", 'p'),
                Map.entry("filename", 'n'), Map.entry("null", '0'), Map.entry("modname", 'm'),
                Map.entry("field=", 'F'), Map.entry("set-version=", 'k'), Map.entry("basedir=", 'b'),
                Map.entry("version", 'V'), Map.entry("help", 'h')), MODINFO_USAGE);
        if (!(parsed instanceof Getopt.Result o)) {
            return ((Done) parsed).status();
        }
        String field = null;
        char sep = '\n';
        for (Getopt.Opt opt : o.options()) {
            switch (opt.name()) {
                case 'a' -> field = "author";
                case 'd' -> field = "description";
                case 'l' -> field = "license";
                case 'p' -> field = "parm";
                case 'n' -> field = "filename";
                case 'F' -> field = opt.arg();
                case '0' -> sep = '\0';
                default -> {
                }
            }
        }
        if (o.operands().isEmpty()) {
            err.append("modinfo: ERROR: missing module or filename.\n");
            return 1;
        }
        ModuleDir dir = moduleDir(o.last('b'), o.last('k'), kernel.modprobeConfig());
        int status = 0;
        for (String a : o.operands()) {
            status |= modinfoOne(a, field, sep, o.has('m'), dir);
        }
        return status;
    }

    private int modinfoOne(String arg, String field, char sep, boolean asName, ModuleDir dir) {
        Path p = host(arg);
        if (Files.isRegularFile(p) && arg.endsWith(".ko")) {
            return modinfoFile(p, p.toAbsolutePath().normalize().toString(),
                    p.getFileName().toString().replaceAll("\\.ko$", "").replace('-', '_'), arg, field, sep);
        }
        List<ModuleIndex.Module> found = dir.index().lookup(arg);
        if (asName) {
            found = found == null ? null : found.stream().filter(m -> m.name().equals(arg.replace('-', '_'))).toList();
        }
        if (found == null || found.isEmpty()) {
            err.append("modinfo: ERROR: Module ").append(asName ? "name " : "").append(arg).append(" not found.\n");
            return 1;
        }
        int status = 0;
        for (ModuleIndex.Module m : found) {
            if (m.builtin() || m.path() == null) {
                out.append("filename".equals(field) ? "(builtin)" + sep
                        : field == null ? String.format("%-16s%s%c%-16s%s%c", "name:", m.name(), sep, "filename:",
                        "(builtin)", sep) : "");
                continue;
            }
            status |= modinfoFile(dir.hostFile(m.path()), m.path(), m.name(), arg, field, sep);
        }
        return status;
    }

    private int modinfoFile(Path file, String filename, String name, String arg, String field, char sep) {
        byte[] image;
        try {
            image = Files.readAllBytes(file);
        } catch (IOException e) {
            err.append("modinfo: ERROR: Module file ").append(arg).append(" not found.\n");
            return 1;
        }
        String[] problem = new String[1];
        out.append(Modinfo.format(filename, image, field, sep, problem, name));
        if (problem[0] != null) {
            err.append("modinfo: ERROR: ").append(problem[0]).append('\n');
            return 1;
        }
        return 0;
    }

    /** A module directory as a kmod tool resolves it from {@code -b ROOT} and {@code -k/-S VERSION}. */
    private record ModuleDir(Path dir, String dirname, List<Path> config, Kernel kernel) {
        ModuleIndex index() {
            return kernel.moduleIndex(dir, dirname, config);
        }

        Path hostFile(String path) {
            return kernel.moduleFile(dir, dirname, path);
        }
    }

    private ModuleDir moduleDir(String root, String version, List<Path> config) {
        String release = kernel.release();
        String v = version == null ? release : version;
        if (root != null) {
            return new ModuleDir(host(root).resolve("lib/modules").resolve(v), root + "/lib/modules/" + v, config,
                    kernel);
        }
        return new ModuleDir(v.equals(release) ? kernel.moduleDirectory() : null, "/lib/modules/" + v, config, kernel);
    }

    private static final String MODPROBE_USAGE = """
            Usage:
            \tmodprobe [options] [-i] [-b] modulename
            \tmodprobe [options] -a [-i] [-b] modulename [modulename...]
            \tmodprobe [options] -r [-i] modulename
            \tmodprobe [options] -r -a [-i] modulename [modulename...]
            \tmodprobe [options] -c
            \tmodprobe [options] --dump-modversions filename
            """;

    /** kmod's modprobe over the module directory (see {@code --modules}), loading into this kernel. */
    private int modprobe(List<String> w) {
        Object parsed = kmodOptions("modprobe", w, "arw:ibfRDcnC:d:S:sqvVh", Map.ofEntries(Map.entry("all", 'a'),
                Map.entry("remove", 'r'), Map.entry("remove-dependencies", '5'), Map.entry("remove-holders", '5'),
                Map.entry("wait=", 'w'), Map.entry("first-time", '3'), Map.entry("ignore-install", 'i'),
                Map.entry("ignore-remove", 'i'), Map.entry("use-blacklist", 'b'), Map.entry("force", 'f'),
                Map.entry("force-modversion", '2'), Map.entry("force-vermagic", '1'),
                Map.entry("resolve-alias", 'R'), Map.entry("show-depends", 'D'), Map.entry("showconfig", 'c'),
                Map.entry("show-config", 'c'), Map.entry("dry-run", 'n'), Map.entry("show", 'n'),
                Map.entry("config=", 'C'), Map.entry("dirname=", 'd'), Map.entry("set-version=", 'S'),
                Map.entry("syslog", 's'), Map.entry("quiet", 'q'), Map.entry("verbose", 'v'),
                Map.entry("version", 'V'), Map.entry("help", 'h')), MODPROBE_USAGE);
        if (!(parsed instanceof Getopt.Result o)) {
            return ((Done) parsed).status();
        }
        java.util.EnumSet<ModuleIndex.Flag> flags = java.util.EnumSet.noneOf(ModuleIndex.Flag.class);
        int verbosity = 4;
        List<Path> config = new ArrayList<>();
        for (Getopt.Opt opt : o.options()) {
            switch (opt.name()) {
                case 'a' -> flags.add(ModuleIndex.Flag.ALL);
                case 'r' -> flags.add(ModuleIndex.Flag.REMOVE);
                case '5' -> flags.add(ModuleIndex.Flag.REMOVE_HOLDERS);
                case '3' -> flags.add(ModuleIndex.Flag.FIRST_TIME);
                case 'i' -> flags.add(ModuleIndex.Flag.IGNORE_COMMANDS);
                case 'b' -> flags.add(ModuleIndex.Flag.USE_BLACKLIST);
                case 'f' -> {
                    flags.add(ModuleIndex.Flag.FORCE_VERMAGIC);
                    flags.add(ModuleIndex.Flag.FORCE_MODVERSION);
                }
                case '2' -> flags.add(ModuleIndex.Flag.FORCE_MODVERSION);
                case '1' -> flags.add(ModuleIndex.Flag.FORCE_VERMAGIC);
                case 'R' -> flags.add(ModuleIndex.Flag.RESOLVE_ALIAS);
                case 'D' -> flags.add(ModuleIndex.Flag.SHOW_DEPENDS);
                case 'n' -> flags.add(ModuleIndex.Flag.DRY_RUN);
                case 'C' -> config.add(host(opt.arg()));
                case 'q' -> verbosity = 0;
                case 'v' -> verbosity++;
                default -> {
                }
            }
        }
        ModuleDir dir = moduleDir(o.last('d'), o.last('S'), config.isEmpty() ? kernel.modprobeConfig() : config);
        if (o.has('c')) {
            for (String l : dir.index().showConfig()) {
                out.append(l).append('\n');
            }
            return 0;
        }
        ModuleIndex.ModprobeResult r = kernel.modprobe(o.operands(), new ModuleIndex.ModprobeOptions(flags, verbosity),
                dir.dir(), dir.dirname(), dir.config());
        for (String l : r.stdout()) {
            out.append(l).append('\n');
        }
        for (String l : r.stderr()) {
            err.append(l).append('\n');
        }
        return r.exitStatus();
    }

    /** kmod's depmod: writes the index files into the module directory ({@code -n}: to stdout). */
    private int depmod(List<String> w) {
        Object parsed = kmodOptions("depmod", w, "aAb:C:E:F:enP:vwVh", Map.ofEntries(Map.entry("all", 'a'),
                Map.entry("quick", 'A'), Map.entry("basedir=", 'b'), Map.entry("config=", 'C'),
                Map.entry("symvers=", 'E'), Map.entry("filesyms=", 'F'), Map.entry("errsyms", 'e'),
                Map.entry("show", 'n'), Map.entry("dry-run", 'n'), Map.entry("symbol-prefix=", 'P'),
                Map.entry("verbose", 'v'), Map.entry("warn", 'w'), Map.entry("version", 'V'),
                Map.entry("help", 'h')), DEPMOD_USAGE);
        if (!(parsed instanceof Getopt.Result o)) {
            return ((Done) parsed).status();
        }
        String version = null;
        for (String a : o.operands()) {
            if (version == null && a.matches("\\d+\\.\\d+.*")) {
                version = a;
            }
        }
        ModuleDir dir = moduleDir(o.last('b'), version, List.of());
        if (dir.dir() == null || !Files.isDirectory(dir.dir())) {
            err.append("depmod: ERROR: could not open directory ").append(dir.dirname())
                    .append(": No such file or directory\n");
            err.append("depmod: FATAL: could not search modules: No such file or directory\n");
            return 1;
        }
        dev.kmodemu.loader.kmod.Depmod.Options opts = dev.kmodemu.loader.kmod.Depmod.Options.defaults()
                .withDirname(dir.dirname()).withErrSyms(o.has('e')).withWarnDups(o.has('w'));
        if (o.last('E') != null) {
            opts = opts.withSymvers(host(o.last('E')));
        }
        if (o.last('F') != null) {
            opts = opts.withSystemMap(host(o.last('F')));
        }
        if (o.last('P') != null && !o.last('P').isEmpty()) {
            opts = opts.withSymbolPrefix(o.last('P').charAt(0));
        }
        List<Path> conf = new ArrayList<>();
        for (Getopt.Opt opt : o.options()) {
            if (opt.name() == 'C') {
                conf.add(host(opt.arg()));
            }
        }
        if (!conf.isEmpty()) {
            opts = opts.withConfigPaths(conf);
        }
        dev.kmodemu.loader.kmod.DepmodResult r = dev.kmodemu.loader.kmod.Depmod.run(dir.dir(), opts);
        for (String m : r.messages()) {
            err.append(m).append('\n');
        }
        if (!r.ok()) {
            return 1;
        }
        if (o.has('n')) {
            for (String name : dev.kmodemu.loader.kmod.Depmod.OUTPUT_FILES) {
                if (!name.endsWith(".bin") && r.files().containsKey(name)) {
                    out.append(r.text(name));
                }
            }
            return 0;
        }
        try {
            r.writeTo(dir.dir());
        } catch (IOException e) {
            err.append("depmod: ERROR: could not write to ").append(dir.dirname()).append(": ").append(e.getMessage())
                    .append('\n');
            return 1;
        }
        return 0;
    }

    private static final String DEPMOD_USAGE = """
            Usage:
            \tdepmod -[aA] [options] [forced_version]

            If no arguments (except options) are given, "depmod -a" is assumed

            depmod will output a dependency list suitable for the modprobe utility.
            """;

    // ---------------------------------------------------------------- files

    /** Reads a whole file the way coreutils cat does (128 KiB reads); null after printing the error. */
    private byte[] readAll(String tool, String path) {
        try (KernelFile f = kernel.open(path, KernelFile.O_RDONLY)) {
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            while (true) {
                byte[] b = f.read(128 * 1024);
                if (b.length == 0) {
                    return all.toByteArray();
                }
                all.write(b, 0, b.length);
            }
        } catch (KernelException e) {
            if (e.killed()) {
                throw e;
            }
            err.append(tool).append(": ").append(path).append(": ").append(Errno.text(e.errno())).append('\n');
            return null;
        }
    }

    private int cat(List<String> w) {
        int status = 0;
        for (String path : w.subList(1, w.size())) {
            byte[] b = readAll("cat", path);
            if (b == null) {
                status = 1;
            } else {
                out.append(new String(b, StandardCharsets.UTF_8));
            }
        }
        return status;
    }

    /**
     * coreutils ls: names one per line (standard output is not a terminal), or with {@code -l} the
     * long format; files named on the command line first, then each directory (with its name as a
     * header when there are several operands).
     */
    private int ls(List<String> w) {
        List<String> paths = new ArrayList<>();
        boolean longFormat = false;
        for (String a : w.subList(1, w.size())) {
            if (a.startsWith("-") && a.length() > 1) {
                for (char c : a.substring(1).toCharArray()) {
                    if (c == 'l') {
                        longFormat = true;
                    } else if (c != '1') {
                        err.append("ls: invalid option -- '").append(c).append("'\n");
                        err.append("Try 'ls --help' for more information.\n");
                        return 2;
                    }
                }
                continue;
            }
            paths.add(a);
        }
        if (paths.isEmpty()) {
            paths.add("/");
        }
        Vfs vfs = kernel.context().vfs();
        int status = 0;
        List<String> files = new ArrayList<>();
        List<String> dirs = new ArrayList<>();
        for (String p : paths) {
            if (!vfs.exists(p) && !vfs.isSymlink(p)) {
                err.append("ls: cannot access '").append(p).append("': No such file or directory\n");
                status = 2;
            } else if (vfs.isDirectory(p) && !(longFormat && vfs.isSymlink(p))) {
                dirs.add(p);
            } else {
                files.add(p);
            }
        }
        files.sort(null);
        if (longFormat) {
            List<String[]> names = new ArrayList<>();
            for (String f : files) {
                names.add(new String[] {f, f});
            }
            out.append(longListing(names));
        } else {
            for (String f : files) {
                out.append(f).append('\n');
            }
        }
        boolean headers = paths.size() > 1;
        for (int i = 0; i < dirs.size(); i++) {
            String d = dirs.get(i);
            if (headers) {
                if (i > 0 || !files.isEmpty()) {
                    out.append('\n');
                }
                out.append(d).append(":\n");
            }
            if (longFormat) {
                List<String[]> names = new ArrayList<>();
                for (String n : kernel.list(d)) {
                    names.add(new String[] {n, d.endsWith("/") ? d + n : d + "/" + n});
                }
                out.append("total 0\n").append(longListing(names));
            } else {
                for (String n : kernel.list(d)) {
                    out.append(n).append('\n');
                }
            }
        }
        return status;
    }

    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
        "Nov", "Dec"};

    /**
     * ls -l lines for {name, path} pairs, columns as coreutils aligns them: link counts and sizes
     * right-aligned, owner and group left-aligned, device files as "major, minor" within the size
     * column; times are the emulated clock (the machine has no RTC: it starts at the epoch).
     * Every owner is root (uid and gid 0).
     */
    private String longListing(List<String[]> names) {
        Vfs vfs = kernel.context().vfs();
        List<Vfs.Stat> stats = new ArrayList<>();
        int nlinkW = 0;
        int majorW = 0;
        int minorW = 0;
        int sizeW = 0;
        for (String[] n : names) {
            Vfs.Stat st = vfs.lstat(n[1]);
            stats.add(st);
            nlinkW = Math.max(nlinkW, String.valueOf(st.nlink()).length());
            if (st.type() == 'c' || st.type() == 'b') {
                majorW = Math.max(majorW, String.valueOf(st.major()).length());
                minorW = Math.max(minorW, String.valueOf(st.minor()).length());
                sizeW = Math.max(sizeW, majorW + 2 + minorW);
            } else {
                sizeW = Math.max(sizeW, String.valueOf(st.size()).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            Vfs.Stat st = stats.get(i);
            sb.append(st.type());
            for (int shift = 6; shift >= 0; shift -= 3) {
                int bits = st.perm() >> shift;
                sb.append((bits & 4) != 0 ? 'r' : '-').append((bits & 2) != 0 ? 'w' : '-')
                        .append((bits & 1) != 0 ? 'x' : '-');
            }
            sb.append(String.format(" %" + nlinkW + "d %s %s ", st.nlink(), user(st.uid()), user(st.gid())));
            if (st.type() == 'c' || st.type() == 'b') {
                sb.append(String.format("%" + (sizeW - minorW - 2) + "d, %" + minorW + "d ", st.major(), st.minor()));
            } else {
                sb.append(String.format("%" + sizeW + "d ", st.size()));
            }
            var clock = kernel.context().clock();
            long when = Math.floorDiv(clock.realtime() - clock.nanos() + st.mtime(), 1_000_000_000L);
            long now = Math.floorDiv(clock.realtime(), 1_000_000_000L);
            var t = java.time.LocalDateTime.ofEpochSecond(when, 0, java.time.ZoneOffset.UTC);
            boolean recent = when <= now && now - when < 31556952 / 2;
            sb.append(String.format("%s %2d ", MONTHS[t.getMonthValue() - 1], t.getDayOfMonth()));
            sb.append(recent ? String.format("%02d:%02d ", t.getHour(), t.getMinute())
                    : String.format(" %d ", t.getYear()));
            sb.append(names.get(i)[0]);
            if (st.type() == 'l') {
                sb.append(" -> ").append(vfs.readlink(names.get(i)[1]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** The name ls shows for a uid or gid: root, or the number. */
    private static String user(int id) {
        return id == 0 ? "root" : Integer.toUnsignedString(id);
    }

    /** coreutils head: {@code -c N} bytes or {@code -n N} lines (default 10 lines) of each file. */
    private int head(List<String> w) {
        long bytes = -1;
        long lines = 10;
        List<String> files = new ArrayList<>();
        for (int i = 1; i < w.size(); i++) {
            String a = w.get(i);
            if ((a.equals("-c") || a.equals("-n")) && i + 1 < w.size()) {
                String v = w.get(++i);
                try {
                    if (a.equals("-c")) {
                        bytes = Long.parseLong(v);
                    } else {
                        lines = Long.parseLong(v);
                    }
                } catch (NumberFormatException e) {
                    err.append("head: invalid number of ").append(a.equals("-c") ? "bytes" : "lines").append(": '")
                            .append(v).append("'\n");
                    return 1;
                }
            } else if (a.startsWith("-c") && a.length() > 2) {
                bytes = Long.parseLong(a.substring(2));
            } else {
                files.add(a);
            }
        }
        int status = 0;
        for (String path : files) {
            if (files.size() > 1) {
                out.append(out.length() == 0 ? "" : "\n").append("==> ").append(path).append(" <==\n");
            }
            try (KernelFile f = kernel.open(path, KernelFile.O_RDONLY)) {
                java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
                long want = bytes >= 0 ? bytes : Long.MAX_VALUE;
                long nl = 0;
                while (got.size() < want && (bytes >= 0 || nl < lines)) {
                    byte[] b = f.read((int) Math.min(8192, want - got.size()));
                    if (b.length == 0) {
                        break;
                    }
                    for (byte c : b) {
                        if (bytes < 0 && nl >= lines) {
                            break;
                        }
                        got.write(c);
                        if (c == '\n') {
                            nl++;
                        }
                    }
                }
                out.append(new String(got.toByteArray(), StandardCharsets.UTF_8));
            } catch (KernelException e) {
                if (e.killed()) {
                    throw e;
                }
                err.append("head: cannot open '").append(path).append("' for reading: ")
                        .append(Errno.text(e.errno())).append('\n');
                status = 1;
            }
        }
        return status;
    }

    /** coreutils dd with if=, of=, bs=, count=, skip=, seek= and status=none. */
    private int dd(List<String> w) {
        String in = null;
        String outFile = null;
        long bs = 512;
        long count = -1;
        long skip = 0;
        long seek = 0;
        boolean quiet = false;
        for (String a : w.subList(1, w.size())) {
            int eq = a.indexOf('=');
            if (eq < 0) {
                err.append("dd: unrecognized operand '").append(a).append("'\n");
                return 1;
            }
            String key = a.substring(0, eq);
            String val = a.substring(eq + 1);
            try {
                switch (key) {
                    case "if" -> in = val;
                    case "of" -> outFile = val;
                    case "bs" -> bs = Long.parseLong(val);
                    case "count" -> count = Long.parseLong(val);
                    case "skip" -> skip = Long.parseLong(val);
                    case "seek" -> seek = Long.parseLong(val);
                    case "status" -> quiet = val.equals("none");
                    default -> {
                        err.append("dd: unrecognized operand '").append(a).append("'\n");
                        return 1;
                    }
                }
            } catch (NumberFormatException e) {
                err.append("dd: invalid number: '").append(val).append("'\n");
                return 1;
            }
        }
        if (in == null) {
            err.append("dd: kmodemu sh has no standard input; give if=FILE\n");
            return 1;
        }
        long full = 0;
        long partial = 0;
        long total = 0;
        java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
        try (KernelFile f = kernel.open(in, KernelFile.O_RDONLY)) {
            if (skip > 0) {
                try {
                    f.lseek(skip * bs, KernelFile.SEEK_CUR);
                } catch (KernelException e) {
                    for (long i = 0; i < skip; i++) {
                        if (f.read((int) bs).length == 0) {
                            break;
                        }
                    }
                }
            }
            while (count < 0 || full + partial < count) {
                byte[] b = f.read((int) bs);
                if (b.length == 0) {
                    break;
                }
                if (b.length == bs) {
                    full++;
                } else {
                    partial++;
                }
                total += b.length;
                data.write(b, 0, b.length);
            }
        } catch (KernelException e) {
            if (e.killed()) {
                throw e;
            }
            err.append("dd: failed to open '").append(in).append("': ").append(Errno.text(e.errno())).append('\n');
            return 1;
        }
        if (outFile != null) {
            try (KernelFile o = kernel.open(outFile, KernelFile.O_WRONLY | KernelFile.O_CREAT | KernelFile.O_TRUNC)) {
                if (seek > 0) {
                    o.lseek(seek * bs, KernelFile.SEEK_SET);
                }
                o.write(data.toByteArray());
            } catch (KernelException e) {
                if (e.killed()) {
                    throw e;
                }
                err.append("dd: error writing '").append(outFile).append("': ").append(Errno.text(e.errno()))
                        .append('\n');
                return 1;
            }
        } else {
            out.append(new String(data.toByteArray(), StandardCharsets.UTF_8));
        }
        if (!quiet) {
            err.append(full).append('+').append(partial).append(" records in\n");
            err.append(full).append('+').append(partial).append(" records out\n");
            err.append(total).append(total == 1 ? " byte" : " bytes").append(" copied, 0 s, Infinity B/s\n");
        }
        return 0;
    }

    // ---------------------------------------------------------------- irq

    /**
     * {@code irq N}: an interrupt on line N, taken by the CPU between commands (the idle task is
     * current): the handlers modules requested run in interrupt context. Silent; the status is 0
     * if a handler returned IRQ_HANDLED, 1 if none did (or the line is disabled and the interrupt
     * stays pending), 2 for a line the machine does not have.
     */
    private int irq(List<String> w) {
        Long n = w.size() == 2 ? cNumber(w.get(1)) : null;
        if (n == null || n < 0 || n > Integer.MAX_VALUE) {
            err.append("Usage: irq LINE\n");
            return 2;
        }
        try {
            return kernel.raiseIrq(n.intValue()) ? 0 : 1;
        } catch (KernelException e) {
            if (e.killed()) {
                throw e;
            }
            err.append("irq: ").append(n).append(": no such interrupt line\n");
            return 2;
        }
    }

    // ---------------------------------------------------------------- ioctl

    private static final String IOCTL_USAGE = "Usage: ioctl [-3] [-a] [-x HEX] DEVICE COMMAND [ARG]\n";
    private static final java.util.regex.Pattern IOC = java.util.regex.Pattern.compile(
            "_IO(R|W|WR)?\\(\\s*([^,\\s]+)\\s*,\\s*([^,\\s)]+)\\s*(?:,\\s*([^)]+?)\\s*)?\\)");
    private static final Map<String, Integer> C_TYPES = Map.ofEntries(Map.entry("char", 1), Map.entry("short", 2),
            Map.entry("int", 4), Map.entry("long", 8), Map.entry("u8", 1), Map.entry("u16", 2), Map.entry("u32", 4),
            Map.entry("u64", 8), Map.entry("s8", 1), Map.entry("s16", 2), Map.entry("s32", 4), Map.entry("s64", 8),
            Map.entry("__u8", 1), Map.entry("__u16", 2), Map.entry("__u32", 4), Map.entry("__u64", 8),
            Map.entry("__s8", 1), Map.entry("__s16", 2), Map.entry("__s32", 4), Map.entry("__s64", 8));

    /** A number in C syntax (decimal, 0x hex, 0 octal, optional sign), or null. */
    private static Long cNumber(String s) {
        try {
            String t = s.trim();
            boolean neg = t.startsWith("-");
            if (neg || t.startsWith("+")) {
                t = t.substring(1);
            }
            long v = t.startsWith("0x") || t.startsWith("0X") ? Long.parseUnsignedLong(t.substring(2), 16)
                    : t.length() > 1 && t.startsWith("0") ? Long.parseUnsignedLong(t.substring(1), 8)
                    : Long.parseUnsignedLong(t);
            return neg ? -v : v;
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            return null;
        }
    }

    /** An ioctl command: a number, or _IO(T,NR), _IOR(T,NR,SIZE), _IOW(...), _IOWR(...); null if bad. */
    private static Long ioctlCommand(String s) {
        var m = IOC.matcher(s.trim());
        if (!m.matches()) {
            Long v = cNumber(s);
            return v == null || v < 0 || v > 0xffffffffL ? null : v;
        }
        String t = m.group(2);
        Long type = t.length() == 3 && t.charAt(0) == '\'' && t.charAt(2) == '\'' ? Long.valueOf(t.charAt(1))
                : t.length() == 1 && !Character.isDigit(t.charAt(0)) ? Long.valueOf(t.charAt(0)) : cNumber(t);
        Long nr = cNumber(m.group(3));
        String dir = m.group(1);
        if (type == null || nr == null || (dir == null) != (m.group(4) == null)) {
            return null;
        }
        if (dir == null) {
            return KernelFile.io(type.intValue(), nr.intValue());
        }
        String sz = m.group(4).replaceFirst("^(struct|unsigned)\\s+", "");
        Long size = C_TYPES.containsKey(sz) ? Long.valueOf(C_TYPES.get(sz)) : cNumber(sz);
        if (size == null || size < 0 || size > 0x3fff) {
            return null;
        }
        int d = switch (dir) {
            case "R" -> KernelFile.IOC_READ;
            case "W" -> KernelFile.IOC_WRITE;
            default -> KernelFile.IOC_READ | KernelFile.IOC_WRITE;
        };
        return KernelFile.ioc(d, type.intValue(), nr.intValue(), size.intValue());
    }

    /** strace's rendering of a command it has no name for: _IOC(dir, type, nr, size). */
    private static String iocText(long cmd) {
        int dir = (int) (cmd >>> 30) & 3;
        String d = switch (dir) {
            case 0 -> "_IOC_NONE";
            case 1 -> "_IOC_WRITE";
            case 2 -> "_IOC_READ";
            default -> "_IOC_READ|_IOC_WRITE";
        };
        long size = (cmd >>> 16) & 0x3fff;
        return String.format("_IOC(%s, %#x, %#x, %s)", d, (cmd >>> 8) & 0xff, cmd & 0xff,
                size == 0 ? "0" : String.format("%#x", size));
    }

    /** hexdump -C of {@code b}. */
    private static String hexdumpC(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int off = 0; off < b.length; off += 16) {
            StringBuilder line = new StringBuilder(String.format("%08x  ", off));
            StringBuilder ascii = new StringBuilder();
            for (int i = off; i < Math.min(off + 16, b.length); i++) {
                line.append(String.format("%02x ", b[i] & 0xff));
                if (i - off == 7) {
                    line.append(' ');
                }
                ascii.append(b[i] >= 0x20 && b[i] < 0x7f ? (char) b[i] : '.');
            }
            while (line.length() < 60) {
                line.append(' ');
            }
            sb.append(line).append('|').append(ascii).append("|\n");
        }
        return sb.append(String.format("%08x", b.length)).append('\n').toString();
    }

    /**
     * {@code ioctl [-3] [-a] [-x HEX] DEVICE COMMAND [ARG]}: opens DEVICE read-write, makes one
     * ioctl(2) and prints it as strace does, then (for commands that read back) the buffer as
     * {@code hexdump -C} shows it. A command with a size and direction gets a buffer of that size
     * holding ARG (a number, stored little-endian; or text) or the -x bytes; other commands get
     * ARG itself. -a passes ARG itself in any case (e.g. a bad pointer); -3 calls as a 32-bit
     * process (the driver's compat_ioctl). Exit status 1 if the call fails.
     */
    private int ioctl(List<String> w) {
        boolean compat = false;
        boolean raw = false;
        byte[] hex = null;
        List<String> ops = new ArrayList<>();
        for (int i = 1; i < w.size(); i++) {
            String a = w.get(i);
            switch (a) {
                case "-3" -> compat = true;
                case "-a" -> raw = true;
                case "-x" -> {
                    if (i + 1 >= w.size() || !w.get(i + 1).matches("([0-9a-fA-F]{2})+")) {
                        err.append("ioctl: -x wants pairs of hex digits\n").append(IOCTL_USAGE);
                        return 2;
                    }
                    hex = java.util.HexFormat.of().parseHex(w.get(++i));
                }
                default -> ops.add(a);
            }
        }
        if (ops.size() < 2 || ops.size() > 3) {
            err.append(IOCTL_USAGE);
            return 2;
        }
        Long cmd = ioctlCommand(ops.get(1));
        if (cmd == null) {
            err.append("ioctl: invalid command '").append(ops.get(1)).append("'\n");
            return 2;
        }
        String arg = ops.size() == 3 ? ops.get(2) : null;
        Long argValue = arg == null ? Long.valueOf(0) : cNumber(arg);
        int size = (int) (cmd >>> 16) & 0x3fff;
        boolean buffer = !raw && (hex != null || (size > 0 && (cmd >>> 30) != 0));
        if (!buffer && argValue == null) {
            err.append("ioctl: invalid argument '").append(arg).append("'\n");
            return 2;
        }
        byte[] data = null;
        if (buffer) {
            data = new byte[hex != null ? Math.max(size, hex.length) : size];
            if (hex != null) {
                System.arraycopy(hex, 0, data, 0, hex.length);
            } else if (argValue != null) {
                for (int i = 0; i < Math.min(8, data.length); i++) {
                    data[i] = (byte) (argValue >>> (8 * i));
                }
            } else {
                byte[] t = arg.getBytes(StandardCharsets.UTF_8);
                System.arraycopy(t, 0, data, 0, Math.min(t.length, data.length));
            }
        }
        KernelFile f;
        try {
            f = kernel.open(ops.get(0), KernelFile.O_RDWR);
        } catch (KernelException e) {
            if (e.killed()) {
                throw e;
            }
            err.append("ioctl: cannot open '").append(ops.get(0)).append("': ").append(Errno.text(e.errno()))
                    .append('\n');
            return 1;
        }
        try (f) {
            String call = "ioctl(3, " + iocText(cmd) + ", ";
            try {
                if (buffer) {
                    KernelFile.IoctlResult r = compat ? f.ioctl32(cmd, data) : f.ioctl(cmd, data);
                    out.append(call).append(String.format("%#x", f.lastBuffer())).append(") = ").append(r.value())
                            .append('\n');
                    if (((cmd >>> 30) & KernelFile.IOC_READ) != 0 || hex != null) {
                        out.append(hexdumpC(r.arg()));
                    }
                } else {
                    long r = compat ? f.ioctl32(cmd, argValue.intValue()) : f.ioctl(cmd, argValue);
                    out.append(call).append(argValue == 0 ? "0" : String.format("%#x", argValue)).append(") = ")
                            .append(r).append('\n');
                }
                return 0;
            } catch (KernelException e) {
                if (e.killed()) {
                    throw e;
                }
                String a = buffer ? String.format("%#x", f.lastBuffer())
                        : argValue == 0 ? "0" : String.format("%#x", argValue);
                out.append(call).append(a).append(") = -1 ").append(Errno.name(e.errno())).append(" (")
                        .append(Errno.text(e.errno())).append(")\n");
                return 1;
            }
        }
    }

    /** bash's echo: -n, -e (backslash escapes), -E; the output goes out in one write(2). */
    private int echo(List<String> w) {
        List<String> args = new ArrayList<>(w.subList(1, w.size()));
        boolean newline = true;
        boolean escapes = false;
        while (!args.isEmpty() && args.get(0).matches("-[neE]+")) {
            for (char c : args.remove(0).substring(1).toCharArray()) {
                if (c == 'n') {
                    newline = false;
                } else {
                    escapes = c == 'e';
                }
            }
        }
        StringBuilder text = new StringBuilder();
        boolean stop = false;
        for (int i = 0; i < args.size() && !stop; i++) {
            if (i > 0) {
                text.append(' ');
            }
            if (escapes) {
                stop = unescape(args.get(i), text);
            } else {
                text.append(args.get(i));
            }
        }
        if (newline && !stop) {
            text.append('\n');
        }
        out.append(text);
        return 0;
    }

    /** The backslash escapes of {@code echo -e}; returns true at \c (stop output). */
    private static boolean unescape(String s, StringBuilder sb) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length()) {
                sb.append(c);
                continue;
            }
            char d = s.charAt(++i);
            switch (d) {
                case 'a' -> sb.append('\u0007');
                case 'b' -> sb.append('\b');
                case 'c' -> {
                    return true;
                }
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'v' -> sb.append('\u000b');
                case '\\' -> sb.append('\\');
                case '0' -> {
                    int v = 0;
                    int k = 0;
                    while (k < 3 && i + 1 < s.length() && s.charAt(i + 1) >= '0' && s.charAt(i + 1) <= '7') {
                        v = v * 8 + (s.charAt(++i) - '0');
                        k++;
                    }
                    sb.append((char) v);
                }
                default -> sb.append('\\').append(d);
            }
        }
        return false;
    }

    private int dmesg(List<String> w) {
        boolean raw = false;
        boolean clear = false;
        boolean clearOnly = false;
        for (String a : w.subList(1, w.size())) {
            switch (a) {
                case "-r", "--raw" -> raw = true;
                case "-c", "--read-clear" -> clear = true;
                case "-C", "--clear" -> clearOnly = true;
                default -> {
                    err.append("dmesg: unrecognized option '").append(a).append("'\n");
                    err.append("Try 'dmesg --help' for more information.\n");
                    return 1;
                }
            }
        }
        if (!clearOnly) {
            List<KernelLog.Record> records = kernel.log();
            out.append(Dmesg.format(records, raw));
        }
        if (clear || clearOnly) {
            kernel.clearLog();
        }
        return 0;
    }

    private int sleep(List<String> w) {
        if (w.size() != 2) {
            err.append("sleep: missing operand\n");
            return 1;
        }
        try {
            double s = Double.parseDouble(w.get(1));
            if (s < 0 || Double.isNaN(s)) {
                throw new NumberFormatException();
            }
            kernel.advance(Duration.ofNanos((long) (s * 1e9)));
            return 0;
        } catch (NumberFormatException e) {
            err.append("sleep: invalid time interval '").append(w.get(1)).append("'\n");
            return 1;
        }
    }
}
