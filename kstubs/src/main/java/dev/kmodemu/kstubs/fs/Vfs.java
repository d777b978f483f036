package dev.kmodemu.kstubs.fs;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.sched.Tasks;
import dev.kmodemu.kstubs.module.Module;
import dev.kmodemu.kstubs.module.Modules;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The file system the kernel shows to user space: /proc, /sys and /sys/kernel/debug. Directories
 * and symlinks are kept here; files are either produced by Java (sysfs attributes, /proc/modules)
 * or backed by guest objects (a module's proc entries and debugfs files), which open as real
 * {@code struct file}s whose operations run on the emulated CPU.
 */
public final class Vfs {
    /** A file whose content Java produces (a sysfs attribute, a /proc file of the kernel's own). */
    public interface File {
        /** The whole content, produced at open as sysfs and single_open files do. */
        byte[] read();

        /** Stores one write; returns the count accepted or a negative errno. */
        default long write(byte[] data) {
            return -Errno.EIO;
        }

        /** False for write-only files (opening them for reading gets EACCES, as kernfs does). */
        default boolean readable() {
            return true;
        }

        /** False for files that refuse opening for writing (EACCES, as kernfs does). */
        default boolean writable() {
            return false;
        }

        /** The file mode bits ls shows. */
        default int mode() {
            return (readable() ? 0444 : 0) | (writable() ? 0200 : 0);
        }
    }

    /** A file that opens into its own {@link OpenFile} (procfs and debugfs entries). */
    public interface Openable {
        /**
         * Opens for {@code flags} ({@code O_RDONLY}, {@code O_WRONLY}, {@code O_RDWR} plus
         * {@code O_APPEND}...); returns the file, or throws {@link OpenError}.
         */
        OpenFile open(int flags);

        /** The file mode bits (e.g. 0644). */
        int mode();
    }

    /** {@code open(2)} failed with an errno. */
    public static final class OpenError extends RuntimeException {
        private final int errno;

        public OpenError(int errno) {
            super(null, null, false, false);
            this.errno = errno;
        }

        public int errno() {
            return errno;
        }
    }

    /** A Java-produced file's read failed with an errno (e.g. a sysfs show returned one). */
    public static final class ReadError extends RuntimeException {
        private final int errno;

        public ReadError(int errno) {
            super(null, null, false, false);
            this.errno = errno;
        }

        public int errno() {
            return errno;
        }
    }

    /** The outcome of a read: content, or a positive errno. */
    public record ReadResult(byte[] content, int errno) {
    }

    /** A character or block special file ({@code mknod}), opened through its driver. */
    public interface DeviceNode extends Openable {
        /** True for a block device, false for a character device. */
        boolean block();

        int major();

        int minor();

        int uid();

        int gid();

        /** Modification time, nanoseconds of virtual time since boot. */
        long mtime();
    }

    /**
     * What {@code lstat(2)} reports, as ls shows it: type ('-', 'd', 'l', 'c', 'b'), permission
     * bits, link count, owner, size (bytes; 0 for device files), device numbers, mtime.
     */
    public record Stat(char type, int perm, int nlink, int uid, int gid, long size, int major, int minor,
            long mtime) {
    }

    private sealed interface Node permits Dir, JavaFile, Special, Link, Device {
    }

    private record Dir(long created) implements Node {
    }

    private record Device(DeviceNode node) implements Node {
    }

    private record JavaFile(File file) implements Node {
    }

    private record Special(Openable file) implements Node {
    }

    private record Link(String target) implements Node {
    }

    public static final int O_ACCMODE = 3;
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0100;
    public static final int O_TRUNC = 01000;
    public static final int O_APPEND = 02000;

    private final KernelContext k;
    @dev.kmodemu.emu.StateSnapshot.Guarded("changes")
    private final TreeMap<String, Node> nodes = new TreeMap<>();
    /** Counts changes of {@code nodes} (so that a snapshot restore skips an unchanged tree). */
    private long changes;

    public Vfs(KernelContext k) {
        this.k = k;
        nodes.put("/", new Dir(0));
        mkdirs("/proc/sys/kernel");
        mkdirs("/sys/module");
        mkdirs("/dev");
        register("/proc/modules", text(this::procModules));
        register("/proc/sys/kernel/tainted", text(() -> k.taint().mask() + "\n"));
        register("/proc/version", text(() -> k.profile().banner()));
        register("/proc/kallsyms", text(() -> dev.kmodemu.kstubs.kernel.ProcKallsyms.text(k)));
        register("/proc/ioports", text(() -> dev.kmodemu.kstubs.kernel.Resource.procText(k, "ioport_resource")));
        register("/proc/iomem", text(() -> dev.kmodemu.kstubs.kernel.Resource.procText(k, "iomem_resource")));
    }

    static String norm(String path) {
        if (path.startsWith("/") && !path.contains("//") && (path.length() == 1 || !path.endsWith("/"))) {
            return path;
        }
        String p = path.replaceAll("/+", "/");
        if (!p.startsWith("/")) {
            p = "/" + p;
        }
        if (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    private static String parent(String p) {
        int i = p.lastIndexOf('/');
        return i <= 0 ? "/" : p.substring(0, i);
    }

    public void mkdirs(String path) {
        String p = norm(path);
        while (!p.equals("/")) {
            if (!nodes.containsKey(p)) {
                nodes.put(p, new Dir(k.clock().nanos()));
                changes++;
            }
            p = parent(p);
        }
    }

    /** Adds a Java-produced file (its directories are created). */
    public void register(String path, File f) {
        String p = norm(path);
        mkdirs(parent(p));
        nodes.put(p, new JavaFile(f));
        changes++;
    }

    /** Adds a file that opens as a guest-backed {@link OpenFile}. */
    public void registerSpecial(String path, Openable f) {
        String p = norm(path);
        mkdirs(parent(p));
        nodes.put(p, new Special(f));
        changes++;
    }

    /** Adds a device special file. */
    public void registerDevice(String path, DeviceNode node) {
        String p = norm(path);
        mkdirs(parent(p));
        nodes.put(p, new Device(node));
        changes++;
    }

    /** The device special file at {@code path} itself, or null. */
    public DeviceNode device(String path) {
        return nodes.get(norm(path)) instanceof Device d ? d.node() : null;
    }

    /** Adds a symbolic link to {@code target} (relative to the link's directory, or absolute). */
    public void symlink(String path, String target) {
        String p = norm(path);
        mkdirs(parent(p));
        nodes.put(p, new Link(target));
        changes++;
    }

    /** Removes a file, link or a whole directory tree. */
    public void remove(String path) {
        String p = norm(path);
        nodes.remove(p);
        nodes.subMap(p + "/", p + "/\uffff").clear();
        changes++;
    }

    /**
     * Moves a file or a whole directory tree from {@code from} to {@code to} (kernfs_rename_ns());
     * symbolic links elsewhere that pointed into the tree follow it, as kernfs links name their
     * target node, not a path.
     */
    public void rename(String from, String to) {
        String f = norm(from);
        String t = norm(to);
        java.util.SortedMap<String, Node> moved = new TreeMap<>();
        Node top = nodes.remove(f);
        if (top == null) {
            return;
        }
        moved.put(t, top);
        var sub = nodes.subMap(f + "/", f + "/\uffff");
        for (Map.Entry<String, Node> e : sub.entrySet()) {
            moved.put(t + e.getKey().substring(f.length()), e.getValue());
        }
        sub.clear();
        mkdirs(parent(t));
        for (Map.Entry<String, Node> e : new ArrayList<>(nodes.entrySet())) {
            if (e.getValue() instanceof Link l) {
                String target = l.target().startsWith("/") ? norm(l.target())
                        : normDots(parent(e.getKey()) + "/" + l.target());
                if (target.equals(f) || target.startsWith(f + "/")) {
                    String nt = t + target.substring(f.length());
                    nodes.put(e.getKey(), new Link(relativeLink(parent(e.getKey()), nt)));
                }
            }
        }
        nodes.putAll(moved);
    }

    /** {@code path} with "." and ".." components resolved (no symlinks followed). */
    private static String normDots(String path) {
        java.util.ArrayDeque<String> out = new java.util.ArrayDeque<>();
        for (String c : norm(path).split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                out.pollLast();
            } else {
                out.addLast(c);
            }
        }
        return "/" + String.join("/", out);
    }

    /** The relative link text from directory {@code dir} to {@code target}, as kernfs writes it. */
    public static String relativeLink(String dir, String target) {
        String[] a = dir.substring(1).split("/");
        String[] b = target.substring(1).split("/");
        int common = 0;
        while (common < a.length && common < b.length && a[common].equals(b[common])) {
            common++;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = common; i < a.length; i++) {
            sb.append("../");
        }
        for (int i = common; i < b.length; i++) {
            sb.append(b[i]).append(i + 1 < b.length ? "/" : "");
        }
        return sb.toString();
    }

    /** Follows symlinks; returns the final path, or null if a component is missing or links loop. */
    private String resolve(String path) {
        java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>(List.of(norm(path).split("/")));
        String cur = "/";
        int hops = 0;
        while (!todo.isEmpty()) {
            String c = todo.poll();
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                cur = parent(cur);
                continue;
            }
            String next = cur.equals("/") ? "/" + c : cur + "/" + c;
            Node n = nodes.get(next);
            if (n == null) {
                return null;
            }
            if (n instanceof Link l) {
                if (++hops > 40) {
                    return null;
                }
                if (l.target().startsWith("/")) {
                    cur = "/";
                }
                List<String> t = List.of(l.target().split("/"));
                for (int i = t.size() - 1; i >= 0; i--) {
                    todo.push(t.get(i));
                }
                continue;
            }
            if (!(n instanceof Dir) && !todo.isEmpty()) {
                return null;
            }
            cur = next;
        }
        return cur;
    }

    /** Whether a leading part of {@code path} names an existing file that is not a directory (ENOTDIR). */
    private boolean throughFile(String path) {
        for (String p = parent(path); !p.equals("/"); p = parent(p)) {
            String r = resolve(p);
            if (r != null) {
                return !(nodes.get(r) instanceof Dir);
            }
        }
        return false;
    }

    public boolean isDirectory(String path) {
        String p = resolve(path);
        return p != null && nodes.get(p) instanceof Dir;
    }

    /** Every file (not directory or symlink) of the file system, in path order. */
    public List<String> files() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Node> e : nodes.entrySet()) {
            if (!(e.getValue() instanceof Dir) && !(e.getValue() instanceof Link)) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    /** How many paths (files, directories, links) the file system has. */
    public int size() {
        return nodes.size();
    }

    /** Every path of the file system (files, directories, links), in path order. */
    public List<String> paths() {
        return new ArrayList<>(nodes.keySet());
    }

    public boolean exists(String path) {
        return resolve(path) != null;
    }

    /** True if {@code path} itself is a symbolic link. */
    public boolean isSymlink(String path) {
        return nodes.get(norm(path)) instanceof Link;
    }

    /** The target of a symbolic link, or null. */
    public String readlink(String path) {
        return nodes.get(norm(path)) instanceof Link l ? l.target() : null;
    }

    /** Names in a directory, sorted (byte order, as {@code ls} in the C locale). */
    public List<String> list(String dir) {
        String d = resolve(dir);
        if (d == null) {
            return List.of();
        }
        String prefix = d.equals("/") ? "/" : d + "/";
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Node> e : nodes.subMap(prefix, prefix + "\uffff").entrySet()) {
            String rest = e.getKey().substring(prefix.length());
            if (!rest.isEmpty() && !rest.contains("/")) {
                out.add(rest);
            }
        }
        out.sort(null);
        return out;
    }

    /**
     * Names in a directory in the order getdents(2) returns them (what kmod sees, unlike ls which
     * sorts): kernfs's {@code (hash, name)} order under /sys, name order elsewhere.
     */
    public List<String> readdir(String dir) {
        List<String> names = new ArrayList<>(list(dir));
        String d = resolve(dir);
        if (d != null && (d.equals("/sys") || d.startsWith("/sys/")) && !d.startsWith("/sys/kernel/debug")) {
            names.sort(java.util.Comparator.comparingLong((String n) -> kernfsNameHash(n))
                    .thenComparing(java.util.Comparator.naturalOrder()));
        }
        return names;
    }

    /**
     * {@code kernfs_name_hash()} with no namespace: the stringhash.h name hash folded to 31 bits,
     * 0, 1 and INT_MAX reserved.
     */
    static long kernfsNameHash(String name) {
        long hash = 0;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            long c = b; // char is signed on x86-64
            hash = (hash + (c << 4) + (c >>> 4)) * 11;
        }
        hash = (hash * 0x61C8864680B583EBL) >>> 32; // hash_long(hash, 32)
        hash &= 0x7fffffffL;
        if (hash < 2) {
            hash += 2;
        }
        if (hash >= Integer.MAX_VALUE) {
            hash = Integer.MAX_VALUE - 1;
        }
        return hash;
    }

    /** File mode bits of a file (0 for directories and missing files). */
    public int mode(String path) {
        String p = resolve(path);
        Node n = p == null ? null : nodes.get(p);
        if (n instanceof Special s) {
            return s.file().mode();
        }
        if (n instanceof JavaFile j) {
            return j.file().mode();
        }
        if (n instanceof Device d) {
            return d.node().mode();
        }
        return n instanceof Dir ? 0555 : 0;
    }

    /**
     * {@code lstat(2)}: null if {@code path} does not exist. Sizes and link counts follow the
     * file system: sysfs attributes are a page, procfs and debugfs files 0 bytes, devtmpfs
     * directories 20 bytes per entry plus 40 (tmpfs), other directories 0.
     */
    public Stat lstat(String path) {
        String p = norm(path);
        Node n = nodes.get(p);
        if (n == null) {
            String r = resolve(p);
            n = r == null ? null : nodes.get(r);
            p = r;
        }
        if (n == null) {
            return null;
        }
        long now = k.clock().nanos();
        boolean sysfs = p.equals("/sys") || (p.startsWith("/sys/") && !p.startsWith("/sys/kernel/debug"));
        boolean dev = p.equals("/dev") || p.startsWith("/dev/");
        return switch (n) {
            case Dir d -> {
                List<String> names = list(p);
                int subdirs = 0;
                for (String c : names) {
                    if (nodes.get(p.equals("/") ? "/" + c : p + "/" + c) instanceof Dir) {
                        subdirs++;
                    }
                }
                int perm = p.startsWith("/proc") ? 0555 : p.equals("/sys/kernel/debug") ? 0700 : 0755;
                yield new Stat('d', perm, 2 + subdirs, 0, 0, dev ? 40 + 20L * names.size() : 0, 0, 0,
                        dev ? d.created() : now);
            }
            case JavaFile j -> new Stat('-', j.file().mode(), 1, 0, 0, sysfs ? 4096 : 0, 0, 0, now);
            case Special s -> new Stat('-', s.file().mode(), 1, 0, 0, 0, 0, 0, now);
            case Link l -> new Stat('l', 0777, 1, 0, 0, sysfs ? 0 : l.target().length(), 0, 0, now);
            case Device d -> new Stat(d.node().block() ? 'b' : 'c', d.node().mode(), 1, d.node().uid(),
                    d.node().gid(), 0, d.node().major(), d.node().minor(), d.node().mtime());
        };
    }

    // ---------------------------------------------------------------- open and the whole-file helpers

    /**
     * {@code open(2)} in the current process.
     *
     * @throws OpenError with ENOENT, EISDIR, EACCES, or what the file's open returned
     */
    public OpenFile open(String path, int flags) {
        Tasks.Task t = k.tasks().current();
        t.syscall((int) k.profile().value("NR_openat"), AT_FDCWD, t.userString(k.mem(), path), flags, 0);
        String p = resolve(path);
        if (p == null) {
            // Neither procfs nor sysfs create files; kernfs refuses with EACCES.
            String n = norm(path);
            if (throughFile(n)) {
                throw new OpenError(Errno.ENOTDIR);
            }
            boolean sysfs = n.startsWith("/sys/") && !n.startsWith("/sys/kernel/debug/");
            throw new OpenError((flags & O_CREAT) != 0 && sysfs && exists(parent(n)) ? Errno.EACCES : Errno.ENOENT);
        }
        Node n = nodes.get(p);
        boolean write = (flags & O_ACCMODE) != O_RDONLY;
        return switch (n) {
            case Dir d -> {
                if (write) {
                    throw new OpenError(Errno.EISDIR);
                }
                throw new OpenError(Errno.EISDIR);
            }
            case JavaFile j -> {
                if ((write && !j.file().writable()) || ((flags & O_ACCMODE) != O_WRONLY && !j.file().readable())) {
                    throw new OpenError(Errno.EACCES);
                }
                yield new JavaOpenFile(j.file(), flags, p.startsWith("/proc/") ? Errno.EIO : Errno.ENODEV);
            }
            case Special s -> s.file().open(flags);
            case Device d -> d.node().open(flags);
            case Link l -> throw new OpenError(Errno.ENOENT);
        };
    }

    /** Reads a whole file as {@code cat} does: open, read in 128 KiB chunks until end of file, close. */
    public ReadResult read(String path) {
        return read(path, 128 * 1024);
    }

    /** Reads a whole file with reads of {@code chunk} bytes. */
    public ReadResult read(String path, int chunk) {
        OpenFile f;
        try {
            f = open(path, O_RDONLY);
        } catch (OpenError e) {
            return new ReadResult(null, e.errno());
        }
        try {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            while (true) {
                byte[] b = f.read(chunk);
                if (b == null) {
                    return new ReadResult(out.toByteArray(), -f.lastError());
                }
                if (b.length == 0) {
                    return new ReadResult(out.toByteArray(), 0);
                }
                out.write(b, 0, b.length);
            }
        } finally {
            f.close();
        }
    }

    /** Opens for writing and writes {@code data} in one write(2); returns bytes or -errno. */
    public long write(String path, byte[] data) {
        OpenFile f;
        try {
            f = open(path, O_WRONLY | O_CREAT | O_TRUNC);
        } catch (OpenError e) {
            return -e.errno();
        }
        try {
            return f.write(data);
        } finally {
            f.close();
        }
    }

    static File text(Supplier<String> s) {
        return () -> s.get().getBytes(StandardCharsets.UTF_8);
    }

    /** An open Java-produced file: content taken at the first read, writes stored one by one. */
    /** {@code AT_FDCWD}: openat(2) relative to the working directory. */
    static final int AT_FDCWD = -100;

    /** The current task enters system call {@code nr} (a {@code NR_*} of the profile) with {@code args}. */
    static void syscall(KernelContext k, String nr, long... args) {
        k.tasks().current().syscall((int) k.profile().value(nr), args);
    }

    /** {@link #syscall} for callers outside the package. */
    public static void syscallOf(KernelContext k, String nr, long... args) {
        syscall(k, nr, args);
    }

    private final class JavaOpenFile implements OpenFile {
        private final File file;
        private final int flags;
        /** What mmap gives once the file passed do_mmap()'s checks: EIO for proc files, ENODEV for sysfs. */
        private final int mmapErrno;
        private byte[] content;
        private long pos;
        private int error = -Errno.EBADF;

        JavaOpenFile(File file, int flags, int mmapErrno) {
            this.file = file;
            this.flags = flags;
            this.mmapErrno = mmapErrno;
        }

        /**
         * {@code do_mmap()}'s checks of the open mode (a shared writable mapping needs a writable
         * file, any mapping a readable one), then the file system's answer: procfs's
         * {@code proc_reg_mmap()} without a {@code proc_mmap} (EIO), kernfs's {@code kernfs_fop_mmap()}
         * without {@code KERNFS_HAS_MMAP} (ENODEV).
         */
        @Override
        public long mmap(long len, long prot, long mflags, long pgoff) {
            syscall(k, "NR_mmap", 0, len, prot, mflags, Tasks.FD, pgoff << 12);
            long type = mflags & k.profile().value("MAP_TYPE");
            int acc = flags & O_ACCMODE;
            if (len == 0) {
                return -Errno.EINVAL;
            }
            if (type == k.profile().value("MAP_SHARED") && (prot & k.profile().value("PROT_WRITE")) != 0
                    && acc == O_RDONLY) {
                return -Errno.EACCES;
            }
            if (acc == O_WRONLY) {
                return -Errno.EACCES;
            }
            return -mmapErrno;
        }

        @Override
        public byte[] read(long count) {
            syscall(k, "NR_read", Tasks.FD, 0, count);
            if ((flags & O_ACCMODE) == O_WRONLY) {
                return null;
            }
            if (content == null) {
                try {
                    content = file.read();
                } catch (ReadError e) {
                    error = -e.errno();
                    return null;
                }
            }
            if (pos >= content.length) {
                return new byte[0];
            }
            int n = (int) Math.min(count, content.length - pos);
            byte[] b = java.util.Arrays.copyOfRange(content, (int) pos, (int) pos + n);
            pos += n;
            return b;
        }

        @Override
        public int lastError() {
            return error;
        }

        @Override
        public long write(byte[] data) {
            syscall(k, "NR_write", Tasks.FD, 0, data.length);
            if ((flags & O_ACCMODE) == O_RDONLY) {
                return -Errno.EBADF;
            }
            return file.write(data);
        }

        @Override
        public long lseek(long offset, int whence) {
            long base = switch (whence) {
                case SEEK_SET -> 0;
                case SEEK_CUR -> pos;
                case SEEK_END -> content == null ? (content = file.read()).length : content.length;
                default -> -1;
            };
            if (base < 0 || base + offset < 0) {
                return -Errno.EINVAL;
            }
            pos = base + offset;
            return pos;
        }

        /** Only the descriptor commands of {@code do_vfs_ioctl()}; these files have no ioctl of their own. */
        @Override
        public long ioctl(int cmd, long arg) {
            return cmd == k.off("FIOCLEX") || cmd == k.off("FIONCLEX") ? 0 : -Errno.ENOTTY;
        }

        @Override
        public long compatIoctl(int cmd, int arg) {
            return ioctl(cmd, arg);
        }

        /** {@code DEFAULT_POLLMASK}: the file is always ready. */
        @Override
        public int poll(int events) {
            return k.off("DEFAULT_POLLMASK") & ((events & 0xffff) | k.off("POLLERR") | k.off("POLLHUP"));
        }

        @Override
        public void close() {
        }
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
            boolean printed = false;
            for (String h : m.holders()) {
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
                sb.append(' ').append(Modules.flags(m));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * {@code mod_sysfs_setup()}: /sys/module/NAME with the module attributes ({@code modinfo_attrs}
     * of kernel/module/main.c), holders/, parameters/, sections/ and notes/; and the links in
     * the holders/ of every module this one uses ({@code add_usage_links()}).
     */
    public void addModule(Module m) {
        String d = "/sys/module/" + m.name();
        mkdirs(d + "/holders");
        register(d + "/uevent", new File() {
            @Override
            public byte[] read() {
                return new byte[0];
            }

            @Override
            public boolean readable() {
                return false;
            }

            @Override
            public boolean writable() {
                return true;
            }

            @Override
            public long write(byte[] data) {
                // module_uevent_ops are the kernel's: checking the request is all that shows
                int r = dev.kmodemu.kstubs.lib.KobjectUevent.synth(k, 0, data, "/module/" + m.name());
                return r != 0 ? r : data.length;
            }
        });
        String version = m.info().modinfo().get("version");
        if (version != null) {
            register(d + "/version", text(() -> version + "\n"));
        }
        String src = m.info().modinfo().get("srcversion");
        if (src != null) {
            register(d + "/srcversion", text(() -> src + "\n"));
        }
        register(d + "/initstate", text(() -> switch (m.state()) {
            case LIVE -> "live\n";
            case COMING -> "coming\n";
            case GOING -> "going\n";
            default -> "unknown\n";
        }));
        register(d + "/coresize", text(() -> m.coreSize() + "\n"));
        register(d + "/initsize", text(() -> m.initSize() + "\n"));
        register(d + "/taint", text(() -> m.taintLetters() + "\n"));
        register(d + "/refcnt", text(() -> m.refcount() + "\n"));
        for (Module.Section s : m.sections()) {
            register(d + "/sections/" + s.name(), new File() {
                @Override
                public byte[] read() {
                    return String.format("0x%016x\n", s.address()).getBytes(StandardCharsets.US_ASCII);
                }

                @Override
                public int mode() {
                    return 0400;
                }
            });
            if (s.note()) {
                register(d + "/notes/" + s.name(), () -> k.mem().read(s.address(), (int) s.size()));
            }
        }
        addParams(m, d + "/parameters");
        for (Module target : m.uses()) {
            symlink("/sys/module/" + target.name() + "/holders/" + m.name(), "../../" + m.name());
        }
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
        for (Module target : m.uses()) {
            remove("/sys/module/" + target.name() + "/holders/" + m.name());
        }
        remove("/sys/module/" + m.name());
    }
}
