package dev.kmodemu.loader.kmod;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * kmod 30's {@code modprobe} over a depmod'ed module directory: name and alias lookup
 * ({@code kmod_module_new_from_lookup()}: config aliases, {@code modules.dep.bin},
 * {@code modules.symbols.bin}, install/remove commands, {@code modules.alias.bin},
 * {@code modules.builtin.bin}, {@code modules.builtin.alias.bin}, in that order), the probe list
 * ({@code kmod_module_probe_insert_module()}: dependencies deepest first, soft dependencies around
 * each module, config options plus command-line options, install commands, the blacklist for
 * alias lookups) and removal ({@code rmmod_do_module()} of {@code tools/modprobe.c}). Like libkmod
 * it reads only the binary indexes; a missing index finds nothing. System calls and module state go
 * through a {@link ModprobeHost}; what modprobe prints comes back in a {@link ModprobeResult}.
 */
public final class ModuleIndex {
    /** A module as a lookup found it: its name, the alias it was found by, its file, built in or not. */
    public record Module(String name, String alias, String path, boolean builtin) {
    }

    /** modprobe's command-line switches. */
    public enum Flag {
        /** {@code -a}: every argument is a module; "not found" is only a warning. */
        ALL,
        /** {@code -r}. */
        REMOVE,
        /** {@code -n}. */
        DRY_RUN,
        /** {@code -D}: print the insmod/install lines, load nothing, ignore what is loaded. */
        SHOW_DEPENDS,
        /** {@code -R}: print the names a name or alias resolves to. */
        RESOLVE_ALIAS,
        /** {@code -i}: no install/remove commands, no soft dependencies. */
        IGNORE_COMMANDS,
        /** {@code -b}: the blacklist applies to module names too, not only to aliases. */
        USE_BLACKLIST,
        /** {@code --first-time}. */
        FIRST_TIME,
        /** {@code --force-vermagic} ({@code -f} sets both force flags). */
        FORCE_VERMAGIC,
        /** {@code --force-modversion}. */
        FORCE_MODVERSION,
        /** {@code --remove-holders}. */
        REMOVE_HOLDERS
    }

    /**
     * modprobe's options.
     *
     * @param verbosity kmod's log level: 4 ({@code LOG_WARNING}) by default, one more per {@code -v},
     *        0 for {@code -q}
     */
    public record ModprobeOptions(Set<Flag> flags, int verbosity) {
        public ModprobeOptions {
            flags = flags.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(flags));
        }

        /** Plain {@code modprobe}. */
        public static ModprobeOptions defaults() {
            return new ModprobeOptions(Set.of(), LOG_WARNING);
        }

        public static ModprobeOptions of(Flag... flags) {
            return new ModprobeOptions(Set.of(flags), LOG_WARNING);
        }

        public boolean has(Flag f) {
            return flags.contains(f);
        }

        /** These options plus more flags. */
        public ModprobeOptions with(Flag... more) {
            EnumSet<Flag> all = EnumSet.noneOf(Flag.class);
            all.addAll(flags);
            all.addAll(List.of(more));
            return new ModprobeOptions(all, verbosity);
        }

        public ModprobeOptions withVerbosity(int level) {
            return new ModprobeOptions(flags, level);
        }
    }

    /** What modprobe does to one module. */
    public enum ActionType {
        /** Load the file with {@code init_module()}. */
        INSMOD,
        /** Run the configured install command instead. */
        INSTALL,
        /** Nothing to load: built into the kernel (shown by {@code -D}). */
        BUILTIN,
        /** {@code delete_module()}. */
        RMMOD,
        /** Run the configured remove command instead. */
        REMOVE
    }

    /**
     * One step of a modprobe run, in order: done (or, with {@code -n}/{@code -D}, only shown).
     *
     * @param path the module file for INSMOD, as modprobe names it (null if modprobe has none)
     * @param options the parameters for INSMOD/INSTALL (config options, then command-line ones), or null
     * @param command the install/remove command as configured ({@code $CMDLINE_OPTS} not yet replaced)
     */
    public record Action(ActionType type, String module, String path, String options, String command) {
    }

    /**
     * What one modprobe run did and printed, and its exit status.
     *
     * @param actions the steps taken, in order
     * @param stdout lines on standard output ({@code insmod ...}, {@code rmmod ...}, {@code -R} names)
     * @param stderr lines on standard error, e.g. {@code modprobe: FATAL: Module foo not found in directory ...}
     */
    public record ModprobeResult(int exitStatus, List<Action> actions, List<String> stdout, List<String> stderr) {
        public ModprobeResult {
            actions = List.copyOf(actions);
            stdout = List.copyOf(stdout);
            stderr = List.copyOf(stderr);
        }
    }

    static final int LOG_CRIT = 2;
    static final int LOG_ERR = 3;
    static final int LOG_WARNING = 4;

    private final Path dir;
    private final String dirname;
    private final ModprobeConfig config;
    private final KmodIndex depIndex;
    private final KmodIndex aliasIndex;
    private final KmodIndex symbolIndex;
    private final KmodIndex builtinAliasIndex;
    private final KmodIndex builtinIndex;

    private ModuleIndex(Path dir, String dirname, ModprobeConfig config) {
        this.dir = dir;
        this.dirname = dirname;
        this.config = config;
        depIndex = KmodIndex.open(dir.resolve("modules.dep.bin"));
        aliasIndex = KmodIndex.open(dir.resolve("modules.alias.bin"));
        symbolIndex = KmodIndex.open(dir.resolve("modules.symbols.bin"));
        builtinAliasIndex = KmodIndex.open(dir.resolve("modules.builtin.alias.bin"));
        builtinIndex = KmodIndex.open(dir.resolve("modules.builtin.bin"));
    }

    /**
     * {@code kmod_new()} + {@code kmod_load_resources()} for a module directory
     * ({@code /lib/modules/<release>}; its path appears in messages and insmod lines as given).
     */
    public static ModuleIndex open(Path moduleDir, ModprobeConfig config) {
        return new ModuleIndex(moduleDir, moduleDir.toString(), config);
    }

    /**
     * The same for a module directory that the modprobe being emulated knows by another name
     * ({@code kmod_new(dirname)}, e.g. {@code /lib/modules/6.1.0-56-amd64} of an emulated system):
     * messages, insmod lines and the paths given to the {@link ModprobeHost} use {@code dirname},
     * files are read from {@code moduleDir}.
     */
    public static ModuleIndex open(Path moduleDir, String dirname, ModprobeConfig config) {
        return new ModuleIndex(moduleDir, dirname, config);
    }

    /** The file a path in {@code dirname} names. */
    private Path file(String path) {
        return path.startsWith(dirname + "/") ? dir.resolve(path.substring(dirname.length() + 1)) : Path.of(path);
    }

    public ModprobeConfig config() {
        return config;
    }

    /** A {@code struct kmod_module} of one context: identity is the pool key. */
    private static final class Mod {
        final String name;
        final String alias;
        String path;
        List<Mod> dep = List.of();
        boolean initDep;
        int builtin;
        boolean visited;
        boolean required;
        boolean ignorecmd;
        boolean initInstall;
        String installCommands;

        Mod(String name, String alias) {
            this.name = name;
            this.alias = alias;
        }
    }

    /** modprobe exits on a message at {@code LOG_CRIT}. */
    private static final class Exit extends RuntimeException {
        Exit() {
            super(null, null, false, false);
        }
    }

    /** One {@code struct kmod_ctx} and one modprobe run. */
    private final class Ctx {
        final Map<String, Mod> pool = new HashMap<>();
        final List<Action> actions = new ArrayList<>();
        final List<String> out = new ArrayList<>();
        final List<String> err = new ArrayList<>();
        final ModprobeOptions opts;
        final ModprobeHost host;
        final int logPriority;

        Ctx(ModprobeOptions opts, ModprobeHost host) {
            this.opts = opts;
            this.host = host;
            this.logPriority = opts.has(Flag.ALL) ? LOG_WARNING : LOG_CRIT;
        }

        boolean dryRun() {
            return opts.has(Flag.DRY_RUN) || opts.has(Flag.SHOW_DEPENDS);
        }

        boolean ignoreLoaded() {
            return opts.has(Flag.SHOW_DEPENDS);
        }

        boolean show() {
            return opts.has(Flag.SHOW_DEPENDS) || opts.verbosity() > LOG_WARNING;
        }

        /** tools/log.c {@code log_printf()}: printed if the level is on; CRIT ends modprobe. */
        void log(int prio, String text) {
            if (prio <= opts.verbosity()) {
                String level = switch (prio) {
                    case LOG_CRIT -> "FATAL";
                    case LOG_ERR -> "ERROR";
                    default -> "WARNING";
                };
                KmodStrings.addLines(err, "modprobe: " + level + ": " + text);
            }
            if (prio <= LOG_CRIT) {
                throw new Exit();
            }
        }

        /** LOG(): modprobe's own message at its current priority. */
        void logMain(String text) {
            log(logPriority, text);
        }

        /** A libkmod ERR() as modprobe's log function prints it. */
        void libErr(String where, String text) {
            if (LOG_ERR <= opts.verbosity()) {
                KmodStrings.addLines(err, "modprobe: ERROR: ../libkmod/" + where + "() " + text);
            }
        }

        /** {@code kmod_module_new()}: the pool's module for a key. */
        Mod module(String name, String alias) {
            String key = alias == null ? name : name + "\\" + alias;
            return pool.computeIfAbsent(key, k -> new Mod(name, alias));
        }

        Mod fromName(String name) {
            return module(KmodStrings.modnameNormalize(name), null);
        }

        /** {@code kmod_module_new_from_path()}: null if the file is missing. */
        Mod fromPath(String path) {
            if (!Files.exists(file(path))) {
                return null;
            }
            Mod m = module(KmodStrings.pathToModname(path), null);
            if (m.path == null) {
                m.path = path;
            } else if (!m.path.equals(path)) {
                return null;
            }
            return m;
        }

        String pathJoin(String p) {
            return p.startsWith("/") ? p : dirname + "/" + p;
        }

        /** {@code kmod_module_parse_depline()}: path and dependencies (in load order) from a modules.dep line. */
        void parseDepline(Mod mod, String line) {
            if (mod.initDep) {
                return;
            }
            mod.initDep = true;
            int colon = line.indexOf(':');
            if (colon < 0) {
                return;
            }
            if (mod.path == null) {
                mod.path = pathJoin(line.substring(0, colon));
            }
            List<Mod> list = new ArrayList<>();
            for (String p : KmodStrings.tokens(line.substring(colon + 1), " \t")) {
                Mod d = fromPath(pathJoin(p));
                if (d == null) {
                    mod.initDep = false;
                    return;
                }
                list.addFirst(d);
            }
            mod.dep = list;
        }

        /** {@code kmod_module_get_dependencies()}. */
        List<Mod> dependencies(Mod mod) {
            if (!mod.initDep) {
                String line = depIndex == null ? null : depIndex.search(mod.name);
                if (line == null) {
                    return List.of();
                }
                parseDepline(mod, line);
                if (!mod.initDep) {
                    return List.of();
                }
            }
            return mod.dep;
        }

        /** {@code kmod_module_get_path()}. */
        String path(Mod mod) {
            if (mod.path != null || mod.initDep) {
                return mod.path;
            }
            String line = depIndex == null ? null : depIndex.search(mod.name);
            if (line != null) {
                parseDepline(mod, line);
            }
            return mod.path;
        }

        boolean builtin(Mod mod) {
            if (mod.builtin == 0) {
                mod.builtin = builtinIndex != null && builtinIndex.search(mod.name) != null ? 2 : 1;
            }
            return mod.builtin == 2;
        }

        static final int BUILTIN = 0;
        static final int LIVE = 1;
        static final int COMING = 2;
        static final int GOING = 3;

        /** {@code kmod_module_get_initstate()}: a state, or a negative errno. */
        int initstate(Mod mod) {
            if (builtin(mod)) {
                return BUILTIN;
            }
            String s = host.initstate(mod.name);
            if (s == null) {
                return -KmodStrings.ENOENT;
            }
            return switch (s) {
                case "live" -> LIVE;
                case "coming", "" -> COMING;
                case "going" -> GOING;
                default -> {
                    libErr("libkmod-module.c:1847 kmod_module_get_initstate", "unknown /sys/module/" + mod.name
                            + "/initstate: '" + s + "\n'");
                    yield -KmodStrings.EINVAL;
                }
            };
        }

        boolean inKernel(Mod mod) {
            int state = initstate(mod);
            return state == LIVE || state == BUILTIN;
        }

        /** {@code kmod_module_get_install_commands()}. */
        String installCommands(Mod mod) {
            if (!mod.initInstall) {
                mod.installCommands = config.commandFor(mod.name, true);
                mod.initInstall = true;
            }
            return mod.installCommands;
        }

        /** {@code kmod_module_new_from_lookup()}: null for an invalid alias ({@code -EINVAL}). */
        List<Mod> lookup(String given) {
            String alias = KmodStrings.aliasNormalize(given);
            if (alias == null) {
                return null;
            }
            List<Mod> list = new ArrayList<>();
            for (ModprobeConfig.Alias a : config.aliases()) {
                if (Fnmatch.matches(a.name(), alias)) {
                    list.add(module(a.modname(), a.name()));
                }
            }
            if (!list.isEmpty()) {
                return list;
            }
            if (alias.indexOf(':') < 0 && depIndex != null) {
                String line = depIndex.search(alias);
                if (line != null) {
                    Mod m = fromName(alias);
                    parseDepline(m, line);
                    return List.of(m);
                }
            }
            if (alias.startsWith("symbol:") && aliasBin(symbolIndex, alias, list)) {
                return list;
            }
            for (boolean install : new boolean[] {true, false}) {
                for (ModprobeConfig.Command c : install ? config.installCommands() : config.removeCommands()) {
                    if (c.modname().equals(alias)) {
                        Mod m = fromName(c.modname());
                        if (install) {
                            m.installCommands = c.command();
                            m.initInstall = true;
                        }
                        return List.of(m);
                    }
                }
            }
            if (aliasBin(aliasIndex, alias, list)) {
                return list;
            }
            if (builtinIndex != null && builtinIndex.search(alias) != null) {
                Mod m = fromName(alias);
                m.builtin = 2;
                return List.of(m);
            }
            if (aliasBin(builtinAliasIndex, alias, list)) {
                list.forEach(m -> m.builtin = 2);
            }
            return list;
        }

        /** {@code kmod_lookup_alias_from_alias_bin()}: every module whose alias pattern matches. */
        private boolean aliasBin(KmodIndex idx, String alias, List<Mod> list) {
            if (idx == null) {
                return false;
            }
            for (KmodIndex.Value v : idx.searchWild(alias)) {
                list.add(module(v.value(), alias));
            }
            return !list.isEmpty();
        }

        /** {@code lookup_softdep()}. */
        List<Mod> lookupSoftdeps(List<String> names) {
            List<Mod> out = new ArrayList<>();
            for (String n : names) {
                List<Mod> l = lookup(n);
                if (l == null) {
                    libErr("libkmod-module.c:1567 lookup_softdep", "failed to lookup soft dependency '" + n
                            + "', continuing anyway.");
                } else {
                    out.addAll(l);
                }
            }
            return out;
        }

        /** {@code __kmod_module_fill_softdep()}: pre softdeps, the module, post softdeps. */
        void fillSoftdep(Mod mod, List<Mod> list) {
            ModprobeConfig.Softdep sd = config.softdepFor(mod.name);
            List<Mod> pre = sd == null ? List.of() : lookupSoftdeps(sd.pre());
            List<Mod> post = sd == null ? List.of() : lookupSoftdeps(sd.post());
            for (Mod m : pre) {
                probeList(m, false, false, list);
            }
            list.add(mod);
            mod.ignorecmd = !pre.isEmpty() || !post.isEmpty();
            for (Mod m : post) {
                probeList(m, false, false, list);
            }
        }

        /** {@code __kmod_module_get_probe_list()}. */
        void probeList(Mod mod, boolean required, boolean ignorecmd, List<Mod> list) {
            if (mod.visited) {
                return;
            }
            mod.visited = true;
            List<Mod> dep = dependencies(mod);
            if (required) {
                mod.required = true;
                dep.forEach(m -> m.required = true);
            }
            for (Mod m : dep) {
                fillSoftdep(m, list);
            }
            if (ignorecmd) {
                list.add(mod);
                mod.ignorecmd = true;
            } else {
                fillSoftdep(mod, list);
            }
        }

        /** {@code kmod_module_get_probe_list()}: flags of every module of the context reset first. */
        List<Mod> getProbeList(Mod mod, boolean ignorecmd) {
            for (Mod m : pool.values()) {
                m.visited = false;
                m.required = false;
            }
            List<Mod> list = new ArrayList<>();
            probeList(mod, true, ignorecmd, list);
            return list;
        }

        /** {@code module_options_concat()}. */
        String optionsConcat(String opt, String xopt) {
            if ((opt == null || opt.isEmpty()) && (xopt == null || xopt.isEmpty())) {
                return null;
            }
            return opt == null ? xopt == null ? "" : xopt : xopt == null ? opt + " " : opt + " " + xopt;
        }

        /** {@code kmod_module_probe_insert_module()} with modprobe's flags: 0, a positive stop reason or -errno. */
        int probeInsert(Mod mod, String extraOptions) {
            if (!ignoreLoaded() && inKernel(mod)) {
                return opts.has(Flag.FIRST_TIME) ? -KmodStrings.EEXIST : 0;
            }
            if ((mod.alias != null || opts.has(Flag.USE_BLACKLIST)) && config.blacklisted(mod.name)) {
                return 1;
            }
            int err = 0;
            for (Mod m : getProbeList(mod, opts.has(Flag.IGNORE_COMMANDS))) {
                if (!ignoreLoaded() && inKernel(m)) {
                    err = -KmodStrings.EEXIST;
                } else {
                    String options = optionsConcat(config.optionsFor(m.name, m.alias), m == mod ? extraOptions : null);
                    String cmd = installCommands(m);
                    if (cmd != null && !m.ignorecmd) {
                        actions.add(new Action(ActionType.INSTALL, m.name, null, options, cmd));
                        if (show()) {
                            out.add("install " + cmd + " " + (options == null ? "" : options));
                        }
                        if (!dryRun()) {
                            err = runInstall(m, cmd, options);
                        }
                    } else {
                        String path = path(m);
                        actions.add(new Action(path == null && builtin(m) ? ActionType.BUILTIN : ActionType.INSMOD, m.name,
                                path, options, null));
                        if (show()) {
                            if (path != null) {
                                out.add("insmod " + path + " " + (options == null ? "" : options));
                            } else if (initstate(m) == BUILTIN) {
                                out.add("builtin " + m.name);
                            }
                        }
                        if (!dryRun()) {
                            err = insertModule(m, path, options);
                        }
                    }
                }
                if (err == -KmodStrings.EEXIST && m == mod && opts.has(Flag.FIRST_TIME)) {
                    break;
                }
                if (err == -KmodStrings.EEXIST || !m.required) {
                    err = 0;
                } else if (err < 0) {
                    break;
                }
            }
            return err;
        }

        /** {@code kmod_module_insert_module()}. */
        int insertModule(Mod m, String path, String options) {
            if (path == null) {
                libErr("libkmod-module.c:895 kmod_module_insert_module", "could not find module by name='" + m.name
                        + "'");
                return -KmodStrings.ENOENT;
            }
            return host.initModule(path, options == null ? "" : options, opts.has(Flag.FORCE_VERMAGIC), opts.has(Flag.FORCE_MODVERSION));
        }

        /** {@code module_do_install_commands()}: {@code $CMDLINE_OPTS} replaced by the options, then run. */
        int runInstall(Mod m, String command, String options) {
            String cmd = command.replace("$CMDLINE_OPTS", options == null ? "" : options);
            int status = host.system(cmd, m.name);
            if (status != 0) {
                libErr("libkmod-module.c:1047 command_do", "Error running install command '" + cmd + "' for module "
                        + m.name + ": retcode " + (status == -1 ? 255 : status));
                return -KmodStrings.EINVAL;
            }
            return 0;
        }

        /** {@code insmod_insert()} of tools/modprobe.c. */
        int insmodInsert(Mod mod, String extraOptions) {
            if (opts.has(Flag.RESOLVE_ALIAS)) {
                out.add(mod.name);
                return 0;
            }
            int err = probeInsert(mod, extraOptions);
            if (err >= 0) {
                return 0;
            }
            String msg = switch (-err) {
                case KmodStrings.EEXIST -> "Module already in kernel";
                case KmodStrings.ENOENT -> "Unknown symbol in module, or unknown parameter (see dmesg)";
                default -> KmodStrings.strerror(-err);
            };
            log(LOG_ERR, "could not insert '" + mod.name + "': " + msg);
            return err;
        }

        /** {@code insmod()} of tools/modprobe.c. */
        int insmod(String alias, String extraOptions) {
            List<Mod> list = lookup(alias);
            if (list == null || list.isEmpty()) {
                logMain("Module " + alias + " not found in directory " + dirname);
                return -KmodStrings.ENOENT;
            }
            int err = 0;
            for (Mod m : list) {
                err = insmodInsert(m, extraOptions);
            }
            return err;
        }

        /** {@code rmmod_do_remove_module()}. */
        int removeModule(Mod mod) {
            actions.add(new Action(ActionType.RMMOD, mod.name, null, null, null));
            if (show()) {
                out.add("rmmod " + mod.name);
            }
            if (dryRun()) {
                return 0;
            }
            int err = host.deleteModule(mod.name, opts.has(Flag.FORCE_VERMAGIC) && opts.has(Flag.FORCE_MODVERSION));
            if (err < 0) {
                libErr("libkmod-module.c:856 kmod_module_remove_module", "could not remove '" + mod.name + "': "
                        + KmodStrings.strerror(-err));
            }
            return err;
        }

        /** The {@code command_do()} of tools/modprobe.c, for remove commands. */
        int runRemove(Mod mod, String command) {
            String cmd = command.replace("$CMDLINE_OPTS", "");
            actions.add(new Action(ActionType.REMOVE, mod.name, null, null, command));
            if (show()) {
                out.add("remove " + cmd);
            }
            if (dryRun()) {
                return 0;
            }
            int status = host.system(cmd, mod.name);
            if (status != 0) {
                logMain("Error running remove command for " + mod.name);
                return status == -1 ? -1 : -status;
            }
            return 0;
        }

        /** {@code rmmod_do_modlist()}: in reverse order. */
        int removeList(List<Mod> list, boolean stopOnErrors) {
            for (int i = list.size() - 1; i >= 0; i--) {
                int r = removeDo(list.get(i), true, false);
                if (r < 0 && stopOnErrors) {
                    return r;
                }
            }
            return 0;
        }

        /** {@code rmmod_do_module()}. */
        int removeDo(Mod mod, boolean ignoreBuiltin, boolean removeHolders) {
            List<Mod> pre = List.of();
            List<Mod> post = List.of();
            String cmd = null;
            if (!opts.has(Flag.IGNORE_COMMANDS)) {
                ModprobeConfig.Softdep sd = config.softdepFor(mod.name);
                if (sd != null) {
                    pre = lookupSoftdeps(sd.pre());
                    post = lookupSoftdeps(sd.post());
                }
                cmd = config.commandFor(mod.name, false);
            }
            if (cmd == null && !ignoreLoaded()) {
                int state = initstate(mod);
                if (state < 0) {
                    if (opts.has(Flag.FIRST_TIME)) {
                        logMain("Module " + mod.name + " is not in kernel.");
                        return -KmodStrings.ENOENT;
                    }
                    return 0;
                } else if (state == BUILTIN) {
                    if (ignoreBuiltin) {
                        return 0;
                    }
                    logMain("Module " + mod.name + " is builtin.");
                    return -KmodStrings.ENOENT;
                }
            }
            removeList(post, false);
            if (removeHolders) {
                List<Mod> holders = new ArrayList<>();
                for (String h : host.holders(mod.name)) {
                    holders.add(fromName(h));
                }
                int err = removeList(holders, true);
                if (err < 0) {
                    return err;
                }
            }
            if (cmd == null && !ignoreLoaded()) {
                if (host.refcnt(mod.name) > 0) {
                    logMain("Module " + mod.name + " is in use.");
                    return -KmodStrings.EBUSY;
                }
            }
            int err = cmd == null ? removeModule(mod) : runRemove(mod, cmd);
            if (err < 0) {
                return err;
            }
            if (cmd == null) {
                for (Mod d : dependencies(mod)) {
                    if (host.refcnt(d.name) == 0) {
                        removeModule(d);
                    }
                }
            }
            removeList(pre, false);
            return 0;
        }

        /** {@code rmmod()} of tools/modprobe.c. */
        int rmmod(String alias) {
            List<Mod> list = lookup(alias);
            if (list == null) {
                return -KmodStrings.EINVAL;
            }
            int err = 0;
            if (list.isEmpty()) {
                logMain("Module " + alias + " not found.");
                err = -KmodStrings.ENOENT;
            }
            for (Mod m : list) {
                err = removeDo(m, false, opts.has(Flag.REMOVE_HOLDERS));
                if (err < 0) {
                    break;
                }
            }
            return err;
        }
    }

    /** {@code options_from_array()}: arguments after the module name, values with spaces quoted. */
    static String optionsFromArray(List<String> args) {
        StringBuilder opts = new StringBuilder();
        for (String a : args) {
            if (!opts.isEmpty()) {
                opts.append(' ');
            }
            int eq = a.indexOf('=');
            String value = eq < 0 ? null : a.substring(eq + 1);
            if (value != null && !value.startsWith("\"") && !value.startsWith("'") && value.indexOf(' ') >= 0) {
                opts.append(a, 0, eq + 1).append('"').append(value).append('"');
            } else {
                opts.append(a);
            }
        }
        return opts.isEmpty() ? null : opts.toString();
    }

    /**
     * One {@code modprobe} run: {@code args} are what follows the options on its command line (the
     * module or alias, then its parameters; with {@code -a} or {@code -r}, module names only).
     * Configuration errors come first on stderr, as libkmod prints them when it starts.
     */
    public ModprobeResult modprobe(List<String> args, ModprobeOptions opts, ModprobeHost host) {
        Ctx ctx = new Ctx(opts, host);
        ctx.err.addAll(config.messages());
        int err;
        try {
            if (args.isEmpty()) {
                ctx.log(LOG_ERR, "missing parameters. See -h.");
                err = -1;
            } else if (opts.has(Flag.REMOVE)) {
                err = 0;
                for (String a : args) {
                    int r = ctx.rmmod(a);
                    if (r < 0) {
                        err = r;
                    }
                }
            } else if (opts.has(Flag.ALL)) {
                err = 0;
                for (String a : args) {
                    int r = ctx.insmod(a, null);
                    if (r < 0) {
                        err = r;
                    }
                }
            } else {
                err = ctx.insmod(args.getFirst(), optionsFromArray(args.subList(1, args.size())));
            }
        } catch (Exit e) {
            err = -1;
        }
        return new ModprobeResult(err >= 0 ? 0 : 1, ctx.actions, ctx.out, ctx.err);
    }

    /**
     * What a name or alias resolves to ({@code kmod_module_new_from_lookup()}), empty if nothing,
     * null for an alias with an unmatched bracket.
     */
    public List<Module> lookup(String nameOrAlias) {
        Ctx ctx = new Ctx(ModprobeOptions.defaults(), ModprobeHost.nothingLoaded());
        List<Mod> list = ctx.lookup(nameOrAlias);
        if (list == null) {
            return null;
        }
        List<Module> out = new ArrayList<>();
        for (Mod m : list) {
            out.add(new Module(m.name, m.alias, ctx.path(m), ctx.builtin(m)));
        }
        return out;
    }

    /**
     * The modules of a module's {@code modules.dep} line in the order modprobe loads them
     * (deepest first), without the module itself.
     */
    public List<Module> dependencies(String modname) {
        Ctx ctx = new Ctx(ModprobeOptions.defaults(), ModprobeHost.nothingLoaded());
        List<Module> out = new ArrayList<>();
        for (Mod m : ctx.dependencies(ctx.fromName(modname))) {
            out.add(new Module(m.name, null, m.path, ctx.builtin(m)));
        }
        return out;
    }

    /**
     * {@code modprobe -c}: the configuration, then the alias and symbol indexes as libkmod dumps them.
     */
    public List<String> showConfig() {
        List<String> out = new ArrayList<>(config.showConfig());
        out.add("");
        out.add("# End of configuration files. Dumping indexes now:");
        out.add("");
        for (KmodIndex idx : new KmodIndex[] {aliasIndex, symbolIndex}) {
            if (idx != null) {
                idx.forEach((k, v) -> out.add("alias " + k + " " + v.value()));
            }
        }
        return out;
    }

    /** The module directory the indexes are read from. */
    public Path directory() {
        return dir;
    }

    /** The module directory as modprobe names it ({@code kmod_get_dirname()}). */
    public String dirname() {
        return dirname;
    }
}
