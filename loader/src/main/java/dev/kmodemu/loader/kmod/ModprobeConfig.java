package dev.kmodemu.loader.kmod;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * modprobe.d(5) configuration as libkmod 30 reads it ({@code libkmod/libkmod-config.c}:
 * {@code kmod_config_new()}, {@code kmod_config_parse()}, {@code kmod_config_parse_kcmdline()}):
 * the {@code *.conf} and {@code *.alias} files of the configuration directories taken together
 * in file-name order (the first directory wins for a name), {@code modules.softdep} of the module
 * directory sorted in among them, then {@code MODULE.PARAM=VALUE} and
 * {@code modprobe.blacklist=} from the kernel command line. Module names in {@code alias},
 * {@code blacklist}, {@code options}, {@code install}, {@code remove} and {@code softdep}
 * lines have dashes turned into underscores (outside {@code [...]}). Errors are kept as libkmod
 * prints them at modprobe's default verbosity.
 */
public final class ModprobeConfig {
    /** The directories libkmod 30 reads when no {@code -C} is given, in its order. */
    public static final List<String> DEFAULT_DIRS = List.of("/etc/modprobe.d", "/run/modprobe.d",
            "/usr/local/lib/modprobe.d", "/lib/modprobe.d");

    /** {@code alias PATTERN MODULE}. */
    public record Alias(String name, String modname) {
    }

    /** {@code options MODULE OPTIONS...} (tabs in the options become spaces). */
    public record Options(String modname, String options) {
    }

    /** {@code install MODULE COMMAND...} or {@code remove MODULE COMMAND...}. */
    public record Command(String modname, String command) {
    }

    /** {@code softdep MODULE pre: ... post: ...}. */
    public record Softdep(String name, List<String> pre, List<String> post) {
        public Softdep {
            pre = List.copyOf(pre);
            post = List.copyOf(post);
        }
    }

    private final List<Alias> aliases = new ArrayList<>();
    private final List<String> blacklists = new ArrayList<>();
    private final List<Options> options = new ArrayList<>();
    private final List<Command> installCommands = new ArrayList<>();
    private final List<Command> removeCommands = new ArrayList<>();
    private final List<Softdep> softdeps = new ArrayList<>();
    private final List<String> messages = new ArrayList<>();

    private ModprobeConfig() {
    }

    /** No configuration at all. */
    public static ModprobeConfig empty() {
        return new ModprobeConfig();
    }

    /**
     * The configuration libkmod builds for a module directory.
     *
     * @param paths configuration files or directories, as {@code modprobe -C} takes them
     * @param moduleDir the {@code /lib/modules/<release>} whose {@code modules.softdep} is read, or null
     * @param kernelCmdline the kernel command line ({@code /proc/cmdline}), or null for none
     */
    public static ModprobeConfig load(List<Path> paths, Path moduleDir, String kernelCmdline) {
        ModprobeConfig c = new ModprobeConfig();
        TreeMap<String, Path> files = new TreeMap<>();
        if (moduleDir != null) {
            files.put("modules.softdep", moduleDir.resolve("modules.softdep"));
        }
        for (Path p : paths) {
            c.filesList(files, p);
        }
        for (Path f : files.values()) {
            byte[] content;
            try {
                content = KmodStrings.readFile(f);
            } catch (ErrnoException e) {
                continue;
            }
            c.parse(content, f.toString());
        }
        if (kernelCmdline != null) {
            c.parseKcmdline(kernelCmdline);
        }
        return c;
    }

    /**
     * The configuration of a system image: {@link #DEFAULT_DIRS} below {@code root} (real modprobe
     * reads them from the host even with {@code -d}; an emulated system has its own).
     */
    public static ModprobeConfig loadDefault(Path root, Path moduleDir, String kernelCmdline) {
        List<Path> dirs = new ArrayList<>();
        for (String d : DEFAULT_DIRS) {
            dirs.add(root.resolve(d.substring(1)));
        }
        return load(dirs, moduleDir, kernelCmdline);
    }

    /** Parses the text of one configuration file; {@code filename} is for messages. */
    public static ModprobeConfig parse(String text, String filename) {
        ModprobeConfig c = new ModprobeConfig();
        c.parse(KmodStrings.bytes(text), filename);
        return c;
    }

    private void err(String where, String text) {
        messages.add("libkmod: ERROR ../libkmod/libkmod-config.c:" + where + ": " + text);
    }

    /** {@code conf_files_list()} + {@code conf_files_filter_out()}: {@code *.conf} and {@code *.alias}. */
    private void filesList(TreeMap<String, Path> files, Path path) {
        KmodStrings.listConfigFiles(files, path,
                fn -> fn.length() >= 6 && (fn.endsWith(".conf") || fn.endsWith(".alias")),
                fn -> err("772 conf_files_filter_out", "Directories inside directories are not supported: " + path + "/"
                        + fn),
                errno -> err("868 conf_files_list", "opendir(" + path + "): " + KmodStrings.strerror(errno)));
    }

    /** {@code kmod_config_parse()}. */
    private void parse(byte[] content, String filename) {
        for (KmodStrings.ConfigLine l : KmodStrings.configLines(content)) {
            String line = l.text();
            List<String> t = l.words();
            String cmd = t.getFirst();
            String arg1 = t.size() > 1 ? KmodStrings.underscores(t.get(1)) : null;
            String rest = KmodStrings.restAfterTokens(line, 2);
            boolean ok = switch (cmd) {
                case "alias" -> {
                    String modname = t.size() > 2 ? KmodStrings.underscores(t.get(2)) : null;
                    if (arg1 == null || modname == null) {
                        yield false;
                    }
                    aliases.add(new Alias(arg1, modname));
                    yield true;
                }
                case "blacklist" -> {
                    if (arg1 == null) {
                        yield false;
                    }
                    blacklists.add(arg1);
                    yield true;
                }
                case "options" -> {
                    if (arg1 == null || rest == null) {
                        yield false;
                    }
                    options.add(new Options(arg1, rest.replace('\t', ' ')));
                    yield true;
                }
                case "install", "remove" -> {
                    if (arg1 == null || rest == null) {
                        yield false;
                    }
                    (cmd.equals("install") ? installCommands : removeCommands).add(new Command(arg1, rest));
                    yield true;
                }
                case "softdep" -> {
                    if (arg1 == null || rest == null) {
                        yield false;
                    }
                    softdeps.add(softdep(arg1, rest));
                    yield true;
                }
                case "include", "config" -> {
                    err("708 kmod_config_parse", filename + ": command " + cmd + " is deprecated and not parsed anymore");
                    yield true;
                }
                default -> false;
            };
            if (!ok) {
                err("712 kmod_config_parse", filename + " line " + l.lineno() + ": ignoring bad line starting with '"
                        + cmd + "'");
            }
        }
    }

    /** {@code kmod_config_add_softdep()}: whitespace-separated names after {@code pre:} or {@code post:}. */
    private static Softdep softdep(String modname, String line) {
        List<String> pre = new ArrayList<>();
        List<String> post = new ArrayList<>();
        List<String> mode = null;
        for (String tok : KmodStrings.tokens(line, " \t\n\u000b\f\r")) {
            if (tok.equals("pre:")) {
                mode = pre;
            } else if (tok.equals("post:")) {
                mode = post;
            } else if (mode != null) {
                mode.add(tok);
            }
        }
        return new Softdep(modname, pre, post);
    }

    /**
     * {@code kmod_config_parse_kcmdline()}: {@code module.param[=value]} words become options of the
     * module (quotes kept as written, a word quoted as a whole re-quoted around the value);
     * {@code modprobe.blacklist=a,b} adds to the blacklist.
     */
    private void parseKcmdline(String cmdline) {
        char[] buf = (cmdline + "\0").toCharArray();
        final int ignore = 0;
        final int modnameState = 1;
        final int paramState = 2;
        final int valueState = 3;
        int state = modnameState;
        boolean quoted = false;
        int quoteStart = -1;
        int modname = 0;
        int param = -1;
        int value = -1;
        for (int p = 0; p < buf.length; p++) {
            char c = buf[p];
            boolean complete = false;
            switch (c) {
                case '"' -> {
                    quoted = !quoted;
                    if (quoted && state == modnameState && p == modname) {
                        quoteStart = p;
                        modname = p + 1;
                    } else if (state != valueState) {
                        state = ignore;
                    }
                }
                case '\0', ' ', '\n', '\t', '\u000b', '\f', '\r' -> {
                    if (quoted && state == valueState) {
                        // spaces inside a quoted value
                    } else if (quoted) {
                        state = ignore;
                    } else if (state == valueState || state == paramState) {
                        complete = true;
                    } else {
                        modname = p + 1;
                        state = modnameState;
                        quoteStart = -1;
                    }
                }
                case '.' -> {
                    if (state == modnameState) {
                        param = p + 1;
                        state = paramState;
                    } else if (state == paramState) {
                        state = ignore;
                    }
                }
                case '=' -> {
                    if (state == paramState) {
                        value = p + 1;
                        state = valueState;
                    } else if (state == modnameState) {
                        state = ignore;
                    }
                }
                default -> {
                }
            }
            if (complete) {
                String mod = new String(buf, modname, param - 1 - modname);
                String prm;
                if (quoteStart >= 0 && quoteStart < modname && value > 0) {
                    // "mod.param=value with spaces" -> param="value with spaces"
                    prm = new String(buf, param, value - param) + "\"" + new String(buf, value, p - value);
                } else {
                    prm = new String(buf, param, p - param);
                }
                kcmdlineResult(mod, prm, value > 0 && value <= p ? new String(buf, value, p - value) : null);
                modname = p + 1;
                state = modnameState;
                quoteStart = -1;
                param = -1;
                value = -1;
            }
        }
    }

    /** {@code kcmdline_parse_result()}. */
    private void kcmdlineResult(String modname, String param, String value) {
        if (modname.equals("modprobe") && param.startsWith("blacklist=")) {
            if (value != null) {
                for (String t : value.split(",", -1)) {
                    blacklists.add(t);
                }
            }
            return;
        }
        String m = KmodStrings.underscores(modname);
        if (m == null) {
            err("489 kcmdline_parse_result", "Ignoring bad option on kernel command line while parsing module name: '"
                    + modname + "'");
            return;
        }
        options.add(new Options(m, param));
    }

    public List<Alias> aliases() {
        return List.copyOf(aliases);
    }

    /** Blacklisted module names, in configuration order. */
    public List<String> blacklists() {
        return List.copyOf(blacklists);
    }

    public List<Options> options() {
        return List.copyOf(options);
    }

    public List<Command> installCommands() {
        return List.copyOf(installCommands);
    }

    public List<Command> removeCommands() {
        return List.copyOf(removeCommands);
    }

    public List<Softdep> softdeps() {
        return List.copyOf(softdeps);
    }

    /** libkmod's error lines about the configuration, e.g. {@code libkmod: ERROR ...: ignoring bad line ...}. */
    public List<String> messages() {
        return List.copyOf(messages);
    }

    /** {@code kmod_module_get_options()}: every {@code options} line of the module or its alias, joined. */
    public String optionsFor(String modname, String alias) {
        StringBuilder out = new StringBuilder();
        for (Options o : options) {
            if (!(o.modname().equals(modname) || (alias != null && o.modname().equals(alias)))) {
                continue;
            }
            if (o.options().isEmpty()) {
                continue;
            }
            if (!out.isEmpty()) {
                out.append(' ');
            }
            out.append(o.options());
        }
        return out.isEmpty() ? null : out.toString();
    }

    /** The first {@code install} (or {@code remove}) command whose pattern matches, or null. */
    public String commandFor(String modname, boolean install) {
        for (Command c : install ? installCommands : removeCommands) {
            if (Fnmatch.matches(c.modname(), modname)) {
                return c.command();
            }
        }
        return null;
    }

    /** {@code kmod_module_get_softdeps()}: the first softdep whose pattern matches, or null. */
    public Softdep softdepFor(String modname) {
        for (Softdep s : softdeps) {
            if (Fnmatch.matches(s.name(), modname)) {
                return s;
            }
        }
        return null;
    }

    /** Whether a {@code blacklist} line names the module. */
    public boolean blacklisted(String modname) {
        return blacklists.contains(modname);
    }

    /**
     * The configuration part of {@code modprobe -c} ({@code show_config()}), one entry per line,
     * including libkmod's softdep rendering that puts no space before {@code post:}.
     */
    public List<String> showConfig() {
        List<String> out = new ArrayList<>();
        blacklists.forEach(b -> out.add("blacklist " + b));
        installCommands.forEach(c -> out.add("install " + c.modname() + " " + c.command()));
        removeCommands.forEach(c -> out.add("remove " + c.modname() + " " + c.command()));
        aliases.forEach(a -> out.add("alias " + a.name() + " " + a.modname()));
        options.forEach(o -> out.add("options " + o.modname() + " " + o.options()));
        for (Softdep s : softdeps) {
            StringBuilder v = new StringBuilder();
            if (!s.pre().isEmpty()) {
                v.append("pre: ").append(String.join(" ", s.pre()));
            }
            if (!s.post().isEmpty()) {
                v.append("post: ").append(String.join(" ", s.post()));
            }
            out.add("softdep " + s.name() + " " + v);
        }
        return out;
    }
}
