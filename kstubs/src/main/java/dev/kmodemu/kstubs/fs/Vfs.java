package dev.kmodemu.kstubs.fs;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.module.Module;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The file system the kernel shows to user space: /proc and /sys entries backed by kernel
 * objects, read and written the way {@code cat} and {@code echo} do. Files are produced on each
 * read (like seq_file and sysfs show methods).
 */
public final class Vfs {
    /** A file's behaviour: read produces the whole content; write returns bytes taken or -errno. */
    public interface File {
        byte[] read();

        /** Writes {@code data}; returns the count accepted or a negative errno. */
        default long write(byte[] data) {
            return -Errno.EACCES;
        }

        /** False for files that refuse opening for writing. */
        default boolean writable() {
            return false;
        }
    }

    /** The outcome of a read: content, or a positive errno. */
    public record ReadResult(byte[] content, int errno) {
    }

    private final KernelContext k;
    private final TreeMap<String, File> files = new TreeMap<>();
    private final TreeMap<String, Boolean> dirs = new TreeMap<>();

    public Vfs(KernelContext k) {
        this.k = k;
        mkdirs("/proc/sys/kernel");
        mkdirs("/sys/module");
        mkdirs("/sys/kernel/debug");
        mkdirs("/dev");
        register("/proc/modules", text(this::procModules));
        register("/proc/sys/kernel/tainted", text(() -> k.taint().mask() + "\n"));
        register("/proc/version", text(() -> "Linux version " + k.profile().release() + " (kmodemu) #1 SMP\n"));
    }

    private static String norm(String path) {
        String p = path.replaceAll("/+", "/");
        if (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    public void mkdirs(String path) {
        String p = norm(path);
        while (!p.isEmpty() && !p.equals("/")) {
            dirs.put(p, true);
            p = p.substring(0, p.lastIndexOf('/'));
        }
        dirs.put("/", true);
    }

    public void register(String path, File f) {
        String p = norm(path);
        mkdirs(p.substring(0, Math.max(1, p.lastIndexOf('/'))));
        files.put(p, f);
    }

    /** Removes a file or a whole directory tree. */
    public void remove(String path) {
        String p = norm(path);
        files.remove(p);
        dirs.remove(p);
        files.subMap(p + "/", p + "/\uffff").clear();
        dirs.subMap(p + "/", p + "/\uffff").clear();
    }

    public boolean isDirectory(String path) {
        return dirs.containsKey(norm(path));
    }

    public boolean exists(String path) {
        String p = norm(path);
        return files.containsKey(p) || dirs.containsKey(p);
    }

    /** Names in a directory, sorted. */
    public List<String> list(String dir) {
        String d = norm(dir);
        String prefix = d.equals("/") ? "/" : d + "/";
        List<String> out = new ArrayList<>();
        for (String f : files.subMap(prefix, prefix + "\uffff").keySet()) {
            String rest = f.substring(prefix.length());
            if (!rest.contains("/")) {
                out.add(rest);
            }
        }
        for (String f : dirs.subMap(prefix, prefix + "\uffff").keySet()) {
            String rest = f.substring(prefix.length());
            if (!rest.isEmpty() && !rest.contains("/")) {
                out.add(rest);
            }
        }
        out.sort(null);
        return out;
    }

    /** Reads a whole file. */
    public ReadResult read(String path) {
        String p = norm(path);
        File f = files.get(p);
        if (f == null) {
            return new ReadResult(null, dirs.containsKey(p) ? Errno.EISDIR : Errno.ENOENT);
        }
        return new ReadResult(f.read(), 0);
    }

    /** Opens for writing and writes {@code data} in one write(2); returns bytes or -errno. */
    public long write(String path, byte[] data) {
        String p = norm(path);
        File f = files.get(p);
        if (f == null) {
            return dirs.containsKey(p) ? -Errno.EISDIR : -Errno.ENOENT;
        }
        if (!f.writable()) {
            return -Errno.EACCES;
        }
        return f.write(data);
    }

    static File text(Supplier<String> s) {
        return () -> s.get().getBytes(StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- /proc/modules and /sys/module

    /** kernel/module/procfs.c {@code m_show()}, modules newest first, UNFORMED ones skipped. */
    private String procModules() {
        StringBuilder sb = new StringBuilder();
        for (Module m : k.modules().list()) {
            if (m.state() == Module.State.UNFORMED) {
                continue;
            }
            sb.append(m.name()).append(' ').append(m.size()).append(' ').append(m.refcount()).append(' ');
            List<String> holders = m.holders();
            boolean printed = false;
            for (String h : holders) {
                sb.append(h).append(',');
                printed = true;
            }
            if (m.initFunction() != 0 && m.exitFunction() == 0) {
                sb.append("[permanent],");
                printed = true;
            }
            if (!printed) {
                sb.append('-');
            }
            sb.append(' ').append(switch (m.state()) {
                case GOING -> "Unloading";
                case COMING -> "Loading";
                default -> "Live";
            });
            sb.append(String.format(" 0x%016x", m.coreBase()));
            if (m.taints() != 0) {
                sb.append(' ').append(dev.kmodemu.kstubs.module.Modules.flags(m));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** {@code mod_sysfs_setup()}: /sys/module/NAME with its attributes and parameters. */
    public void addModule(Module m) {
        String d = "/sys/module/" + m.name();
        mkdirs(d);
        register(d + "/refcnt", text(() -> m.refcount() + "\n"));
        register(d + "/initstate", text(() -> switch (m.state()) {
            case LIVE -> "live\n";
            case COMING -> "coming\n";
            case GOING -> "going\n";
            default -> "unformed\n";
        }));
        register(d + "/taint", text(() -> m.taintLetters() + "\n"));
        register(d + "/coresize", text(() -> m.size() + "\n"));
        String version = m.info().modinfo().get("version");
        if (version != null) {
            register(d + "/version", text(() -> version + "\n"));
        }
        String src = m.info().modinfo().get("srcversion");
        if (src != null) {
            register(d + "/srcversion", text(() -> src + "\n"));
        }
        addParams(m, d + "/parameters");
    }

    private void addParams(Module m, String dir) {
        AddressSpace mem = k.mem();
        int size = k.off("kernel_param_sizeof");
        for (int i = 0; i < m.numParams(); i++) {
            long kp = m.params() + (long) i * size;
            int perm = mem.read16(kp + k.off("kernel_param_perm")) & 0xffff;
            if (perm == 0) {
                continue;
            }
            String name = mem.readCString(mem.read64(kp + k.off("kernel_param_name")), 1024);
            mkdirs(dir);
            register(dir + "/" + name, new ParamFile(kp, perm));
        }
    }

    /** A sysfs parameter file: show through {@code ops->get}, store through {@code ops->set}. */
    private final class ParamFile implements File {
        private final long kp;
        private final int perm;

        ParamFile(long kp, int perm) {
            this.kp = kp;
            this.perm = perm;
        }

        private long op(String which) {
            long ops = k.mem().read64(kp + k.off("kernel_param_ops"));
            return k.mem().read64(ops + k.off(which));
        }

        @Override
        public byte[] read() {
            long get = op("kernel_param_ops_get");
            if (get == 0) {
                return new byte[0];
            }
            long buf = k.slab().kmalloc(4096, 0x100 | 0xcc0);
            try {
                int n = (int) k.call(get, buf, kp);
                return n <= 0 ? new byte[0] : k.mem().read(buf, n);
            } finally {
                k.slab().kfree(buf);
            }
        }

        @Override
        public boolean writable() {
            return (perm & 0222) != 0;
        }

        @Override
        public long write(byte[] data) {
            long set = op("kernel_param_ops_set");
            if (set == 0) {
                return -Errno.EPERM;
            }
            if (data.length >= 4096) {
                return -Errno.EINVAL;
            }
            long buf = k.slab().kmalloc(4096, 0x100 | 0xcc0);
            try {
                k.mem().write(buf, data);
                k.mem().write8(buf + data.length, 0);
                int err = (int) k.call(set, buf, kp);
                return err == 0 ? data.length : err;
            } finally {
                k.slab().kfree(buf);
            }
        }
    }

    /** {@code mod_sysfs_teardown()}. */
    public void removeModule(Module m) {
        remove("/sys/module/" + m.name());
    }
}
