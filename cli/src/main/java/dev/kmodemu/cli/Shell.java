package dev.kmodemu.cli;

import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.Kernel;
import dev.kmodemu.kstubs.KernelException;
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
import java.util.function.Consumer;

/**
 * The {@code kmodemu sh} command language: the module tools and file commands of a Linux system,
 * run against one emulated kernel, each printing what the real tool prints (kmod's insmod, rmmod,
 * lsmod and modinfo; coreutils cat; dash's echo and redirection; util-linux dmesg).
 */
final class Shell {
    private final Kernel kernel;
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
        this.kernel = kernel;
        this.cwd = cwd;
        this.sink = sink;
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
            CommandResult r = new CommandResult("", 2, "", "sh: " + e.line + ": " + e.getMessage() + "\n");
            record(r);
            return 2;
        }
        int status = 0;
        for (Words.Command c : cmds) {
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
        List<String> w = c.words();
        int status;
        try {
            status = switch (w.get(0)) {
                case "insmod" -> insmod(w);
                case "rmmod" -> rmmod(w);
                case "lsmod" -> lsmod(w);
                case "modinfo" -> modinfo(w);
                case "cat" -> cat(w);
                case "echo" -> echo(w);
                case "dmesg" -> dmesg(w);
                case "sleep" -> sleep(w);
                case "true", ":" -> 0;
                case "false" -> 1;
                default -> {
                    err.append("sh: ").append(line).append(": ").append(w.get(0)).append(": not found\n");
                    yield 127;
                }
            };
        } catch (KernelException e) {
            if (!e.killed()) {
                throw e;
            }
            err.append("Killed\n");
            status = 137;
        }
        record(new CommandResult(c.text(), status, out.toString(), err.toString()));
        return status;
    }

    private Path host(String p) {
        return cwd.resolve(p);
    }

    // ---------------------------------------------------------------- kmod

    private int insmod(List<String> w) {
        if (w.size() < 2) {
            err.append("insmod: ERROR: missing filename.\n");
            return 1;
        }
        String file = w.get(1);
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
            kernel.insmod(file, image, String.join(" ", w.subList(2, w.size())));
            return 0;
        } catch (KernelException e) {
            if (e.killed()) {
                throw e;
            }
            err.append("insmod: ERROR: ").append(e.getMessage()).append('\n');
            return 1;
        }
    }

    private int rmmod(List<String> w) {
        boolean force = false;
        List<String> names = new ArrayList<>();
        for (String a : w.subList(1, w.size())) {
            if (a.equals("-f") || a.equals("--force")) {
                force = true;
            } else if (a.equals("-s") || a.equals("-v") || a.equals("--syslog") || a.equals("--verbose")) {
                continue;
            } else {
                names.add(a);
            }
        }
        if (names.isEmpty()) {
            err.append("rmmod: ERROR: missing module name.\n");
            return 1;
        }
        int failed = 0;
        for (String n : names) {
            try {
                kernel.rmmod(n, force);
            } catch (KernelException e) {
                if (e.killed()) {
                    throw e;
                }
                String msg = e.getMessage();
                if (msg.startsWith("could not remove module")) {
                    msg = "could not remove module " + n + msg.substring(msg.indexOf(':'));
                }
                err.append("rmmod: ERROR: ").append(msg).append('\n');
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
        out.append(lsmodText(kernel));
        return 0;
    }

    /** kmod's lsmod over /proc/modules. */
    static String lsmodText(Kernel kernel) {
        StringBuilder sb = new StringBuilder("Module                  Size  Used by\n");
        for (Module m : kernel.modules()) {
            if (m.state() == Module.State.UNFORMED) {
                continue;
            }
            sb.append(String.format("%-19s %8d  %d", m.name(), m.size(), m.refcount()));
            List<String> holders = m.holders();
            for (int i = 0; i < holders.size(); i++) {
                sb.append(i == 0 ? ' ' : ',').append(holders.get(i));
            }
            sb.append('\n');
        }
        return sb.toString();
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

    private int cat(List<String> w) {
        int status = 0;
        for (String path : w.subList(1, w.size())) {
            try {
                out.append(new String(kernel.readBytes(path), StandardCharsets.UTF_8));
            } catch (KernelException e) {
                if (e.killed()) {
                    throw e;
                }
                err.append("cat: ").append(path).append(": ").append(Errno.text(e.errno())).append('\n');
                status = 1;
            }
        }
        return status;
    }

    /** dash's echo: -n, backslash escapes always on; {@code > PATH} writes with one write(2). */
    private int echo(List<String> w) {
        List<String> args = new ArrayList<>(w.subList(1, w.size()));
        String target = null;
        int redir = args.indexOf(">");
        if (redir < 0) {
            redir = args.indexOf(">>");
        }
        if (redir >= 0) {
            if (redir + 1 >= args.size()) {
                err.append("sh: ").append(line).append(": Syntax error: newline unexpected\n");
                return 2;
            }
            target = args.get(redir + 1);
            args.remove(redir + 1);
            args.remove(redir);
        }
        boolean newline = true;
        if (!args.isEmpty() && args.get(0).equals("-n")) {
            newline = false;
            args.remove(0);
        }
        StringBuilder text = new StringBuilder();
        boolean stop = false;
        for (int i = 0; i < args.size() && !stop; i++) {
            if (i > 0) {
                text.append(' ');
            }
            stop = unescape(args.get(i), text);
        }
        if (newline && !stop) {
            text.append('\n');
        }
        if (target == null) {
            out.append(text);
            return 0;
        }
        if (!kernel.exists(target)) {
            String dir = target.contains("/") ? target.substring(0, target.lastIndexOf('/')) : "/";
            String why = kernel.exists(dir.isEmpty() ? "/" : dir) ? "Permission denied" : "Directory nonexistent";
            err.append("sh: ").append(line).append(": cannot create ").append(target).append(": ").append(why)
                    .append('\n');
            return 2;
        }
        try {
            kernel.write(target, text.toString());
            return 0;
        } catch (KernelException e) {
            if (e.killed()) {
                throw e;
            }
            if (e.errno() == Errno.EACCES || e.errno() == Errno.EISDIR) {
                err.append("sh: ").append(line).append(": cannot create ").append(target).append(": ")
                        .append(Errno.text(e.errno())).append('\n');
                return 2;
            }
            err.append("sh: ").append(line).append(": echo: echo: I/O error\n");
            return 1;
        }
    }

    /** dash's echo escapes; returns true at \c (stop output). */
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
