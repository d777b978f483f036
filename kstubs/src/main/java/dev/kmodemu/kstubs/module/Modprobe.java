package dev.kmodemu.kstubs.module;

import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.fs.Vfs;
import dev.kmodemu.loader.LoadInfo;
import dev.kmodemu.loader.kmod.ModprobeConfig;
import dev.kmodemu.loader.kmod.ModprobeHost;
import dev.kmodemu.loader.kmod.ModuleIndex;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;

/**
 * kmod's modprobe on this kernel: the index and configuration come from the host directory that
 * plays {@code /lib/modules/<release>} (and modprobe.d files), module state from this kernel's
 * /sys/module, and insertions and removals are this kernel's {@code finit_module}/{@code delete_module}.
 * Install and remove commands run through a command runner the caller provides (the shell); with
 * none, they cannot be run, as on a system without a shell.
 */
public final class Modprobe implements ModprobeHost {
    private final KernelContext k;
    private final Path dir;
    private final String dirname;
    private final List<Path> configFiles;
    private BiFunction<String, String, Integer> commands;

    /**
     * @param dir the host directory standing for /lib/modules/RELEASE, or null for a system
     *        without one
     * @param configFiles modprobe.d files; empty for none
     */
    public Modprobe(KernelContext k, Path dir, List<Path> configFiles) {
        this(k, dir, "/lib/modules/" + k.profile().release(), configFiles);
    }

    /** The same with the directory known by another name ({@code modprobe -d ROOT -S VERSION}). */
    public Modprobe(KernelContext k, Path dir, String dirname, List<Path> configFiles) {
        this.k = k;
        this.dir = dir;
        this.dirname = dirname;
        this.configFiles = List.copyOf(configFiles);
    }

    /** Another modprobe over a different directory and configuration, sharing the command runner. */
    public Modprobe with(Path otherDir, String otherDirname, List<Path> otherConfig) {
        Modprobe m = new Modprobe(k, otherDir, otherDirname, otherConfig);
        m.commands = commands;
        return m;
    }

    /** The modprobe.d files in use. */
    public List<Path> configFiles() {
        return configFiles;
    }

    /** What {@code system()} runs install/remove commands with: (command, module name) → status. */
    public void commandRunner(BiFunction<String, String, Integer> runner) {
        commands = runner;
    }

    /** {@code /lib/modules/<release>}, the name the emulated system knows the directory by. */
    public String dirname() {
        return dirname;
    }

    /** The host directory playing {@link #dirname()}, or null. */
    public Path directory() {
        return dir;
    }

    /** The modprobe.d configuration, read afresh (modprobe reads it on every run). */
    public ModprobeConfig config() {
        return ModprobeConfig.load(configFiles, dir == null ? Path.of(dirname()) : dir, "");
    }

    /** One modprobe run: {@code args} after the options, in the current process. */
    public ModuleIndex.ModprobeResult run(List<String> args, ModuleIndex.ModprobeOptions opts) {
        return index().modprobe(args, opts, this);
    }

    /** The module index as modprobe opens it. */
    public ModuleIndex index() {
        Path d = dir == null ? Path.of("/nonexistent/kmodemu-no-module-directory") : dir;
        return ModuleIndex.open(d, dirname(), config());
    }

    /** The host file of a path modprobe names under {@link #dirname()}. */
    public Path hostFile(String path) {
        String base = dirname() + "/";
        if (dir != null && path.startsWith(base)) {
            return dir.resolve(path.substring(base.length()));
        }
        return Path.of(path);
    }

    private Vfs.ReadResult read(String path) {
        return k.vfs().read(path);
    }

    @Override
    public String initstate(String name) {
        Vfs.ReadResult r = read("/sys/module/" + name + "/initstate");
        if (r.errno() != 0) {
            return k.vfs().isDirectory("/sys/module/" + name) ? "" : null;
        }
        String s = new String(r.content(), StandardCharsets.UTF_8);
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    @Override
    public int refcnt(String name) {
        Vfs.ReadResult r = read("/sys/module/" + name + "/refcnt");
        if (r.errno() != 0) {
            return -r.errno();
        }
        return Integer.parseInt(new String(r.content(), StandardCharsets.UTF_8).trim());
    }

    @Override
    public List<String> holders(String name) {
        return k.vfs().readdir("/sys/module/" + name + "/holders");
    }

    @Override
    public int initModule(String path, String options, boolean forceVermagic, boolean forceModversion) {
        byte[] image;
        try {
            image = Files.readAllBytes(hostFile(path));
        } catch (IOException e) {
            return -Errno.ENOENT;
        }
        int flags = (forceVermagic ? LoadInfo.MODULE_INIT_IGNORE_VERMAGIC : 0)
                | (forceModversion ? LoadInfo.MODULE_INIT_IGNORE_MODVERSIONS : 0);
        return k.modules().load(image, options == null ? "" : options, path, flags);
    }

    @Override
    public int deleteModule(String name, boolean force) {
        return k.modules().delete(name, force);
    }

    @Override
    public int system(String command, String modname) {
        return commands == null ? -1 : commands.apply(command, modname);
    }
}
