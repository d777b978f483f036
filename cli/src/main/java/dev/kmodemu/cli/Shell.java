package dev.kmodemu.cli;

import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.Kernel;
import dev.kmodemu.kstubs.KernelException;
import dev.kmodemu.kstubs.KernelFile;
import dev.kmodemu.kstubs.module.Module;
import dev.kmodemu.kstubs.printk.Dmesg;
import dev.kmodemu.kstubs.printk.KernelLog;

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

    private void record(CommandResult r) {
        results.add(r);
        if (sink != null) {
            sink.accept(r);
        }
    }

    private int run(Words.Command c) {
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
            status = kernel.process(comm, () -> redirect == null ? command(w) : redirected(w, redirect, appending));
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
                case "cat" -> cat(w);
                case "echo" -> echo(w);
                case "dmesg" -> dmesg(w);
                case "sleep" -> sleep(w);
                case "ls" -> ls(w);
                case "head" -> head(w);
                case "dd" -> dd(w);
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

    private int modinfo(List<String> w) {
        String field = null;
        char sep = '\n';
        List<String> args = new ArrayList<>();
        for (int i = 1; i < w.size(); i++) {
            String a = w.get(i);
            switch (a) {
                case "-F", "--field" -> {
                    if (i + 1 >= w.size()) {
                        err.append("modinfo: option requires an argument -- 'F'\n");
                        return 1;
                    }
                    field = w.get(++i);
                }
                case "-0", "--null" -> sep = '\0';
                case "-a", "--author" -> field = "author";
                case "-d", "--description" -> field = "description";
                case "-l", "--license" -> field = "license";
                case "-p", "--parameters" -> field = "parm";
                case "-n", "--filename" -> field = "filename";
                default -> args.add(a);
            }
        }
        if (args.isEmpty()) {
            err.append("modinfo: ERROR: missing module or filename.\n");
            return 1;
        }
        int status = 0;
        for (String a : args) {
            status |= modinfoOne(a, field, sep);
        }
        return status;
    }

    private int modinfoOne(String arg, String field, char sep) {
        Path p = host(arg);
        String name;
        String filename;
        if (Files.isRegularFile(p) && arg.endsWith(".ko")) {
            filename = p.toAbsolutePath().normalize().toString();
            name = p.getFileName().toString().replaceAll("\\.ko$", "").replace('-', '_');
        } else {
            Module m = kernel.modules().stream().filter(x -> x.name().equals(arg.replace('-', '_')))
                    .findFirst().orElse(null);
            if (m == null || m.path() == null || !Files.isRegularFile(host(m.path()))) {
                err.append("modinfo: ERROR: Module ").append(arg).append(" not found.\n");
                return 1;
            }
            p = host(m.path());
            filename = p.toAbsolutePath().normalize().toString();
            name = m.name();
        }
        byte[] image;
        try {
            image = Files.readAllBytes(p);
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

    /** coreutils ls: names one per line (standard output is not a terminal), directories first listed by path. */
    private int ls(List<String> w) {
        List<String> paths = new ArrayList<>();
        for (String a : w.subList(1, w.size())) {
            if (a.equals("-1")) {
                continue;
            }
            if (a.startsWith("-")) {
                err.append("ls: invalid option -- '").append(a.substring(1, 2)).append("'\n");
                err.append("Try 'ls --help' for more information.\n");
                return 2;
            }
            paths.add(a);
        }
        if (paths.isEmpty()) {
            paths.add("/");
        }
        int status = 0;
        List<String> files = new ArrayList<>();
        List<String> dirs = new ArrayList<>();
        for (String p : paths) {
            if (!kernel.exists(p)) {
                err.append("ls: cannot access '").append(p).append("': No such file or directory\n");
                status = 2;
            } else if (kernel.context().vfs().isDirectory(p)) {
                dirs.add(p);
            } else {
                files.add(p);
            }
        }
        files.sort(null);
        for (String f : files) {
            out.append(f).append('\n');
        }
        boolean headers = paths.size() > 1;
        for (int i = 0; i < dirs.size(); i++) {
            if (headers) {
                if (i > 0 || !files.isEmpty()) {
                    out.append('\n');
                }
                out.append(dirs.get(i)).append(":\n");
            }
            for (String n : kernel.list(dirs.get(i))) {
                out.append(n).append('\n');
            }
        }
        return status;
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
