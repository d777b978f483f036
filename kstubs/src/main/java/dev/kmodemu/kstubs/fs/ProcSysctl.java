package dev.kmodemu.kstubs.fs;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.mm.Gfp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * fs/proc/proc_sysctl.c: sysctl tables modules register, as files under /proc/sys whose reads
 * and writes go to the table's {@code proc_handler} with a kernel buffer
 * ({@code proc_sys_call_handler()}); directories are shared between tables and go away with
 * their last entry. The permission check is the owner bits, as for root.
 */
public final class ProcSysctl {
    /** Bytes a read asks for: cat's 128 KiB buffer. */
    private static final int READ_SIZE = 128 * 1024;

    /** The files of each registered table, by header. */
    private final Map<Long, List<String>> headers = new HashMap<>();

    private ProcSysctl() {
    }

    private static ProcSysctl of(KernelContext k) {
        return k.state(ProcSysctl.class, ProcSysctl::new);
    }

    private record Entry(String dir, long table, String name, int mode, long handler) {
    }

    /** Walks {@code table} (and its children, for the old nested form) collecting the files. */
    private static void collect(KernelContext k, String dir, long table, List<Entry> out) {
        AddressSpace m = k.mem();
        int size = k.off("ctl_table_sizeof");
        for (long t = table; m.read64(t + k.off("ctl_table_procname")) != 0; t += size) {
            String name = m.readCString(m.read64(t + k.off("ctl_table_procname")), 256);
            long child = m.read64(t + k.off("ctl_table_child"));
            if (child != 0) {
                collect(k, dir + "/" + name, child, out);
            } else {
                out.add(new Entry(dir, t, name, m.read16(t + k.off("ctl_table_mode")) & 0xffff,
                        m.read64(t + k.off("ctl_table_proc_handler"))));
            }
        }
    }

    /** {@code __register_sysctl_table()}: the checks, then the files; a header or NULL. */
    private long register(KernelContext k, String path, long table) {
        List<Entry> entries = new ArrayList<>();
        collect(k, path, table, entries);
        boolean bad = false;
        for (Entry e : entries) {
            String rel = e.dir.length() > "/proc/sys/".length() ? e.dir.substring("/proc/sys/".length()) : "";
            if (e.handler == 0) {
                k.printk(3, "sysctl table check failed: " + rel + "/" + e.name + " No proc_handler");
                bad = true;
            }
            if ((e.mode & 0666) != e.mode) {
                k.printk(3, "sysctl table check failed: " + rel + "/" + e.name + " bogus .mode 0" + Integer.toOctalString(e.mode));
                bad = true;
            }
        }
        if (bad) {
            dev.kmodemu.kstubs.kernel.Oops.dumpStack(k, 4);
            return 0;
        }
        for (Entry e : entries) {
            if (k.vfs().exists(e.dir + "/" + e.name)) {
                k.printk(3, "sysctl duplicate entry: " + e.dir.substring("/proc/sys".length()) + "/" + e.name);
                dev.kmodemu.kstubs.kernel.Oops.dumpStack(k, 4);
                return 0;
            }
        }
        List<String> files = new ArrayList<>();
        for (Entry e : entries) {
            String file = e.dir + "/" + e.name;
            k.vfs().mkdirs(e.dir);
            k.vfs().register(file, sysctlFile(k, e));
            files.add(file);
        }
        long header = k.slab().kmalloc(k.off("ctl_table_header_sizeof"), Gfp.KERNEL | Gfp.ZERO);
        headers.put(header, files);
        return header;
    }

    /** The /proc/sys file of one entry: {@code proc_sys_read()}/{@code proc_sys_write()}. */
    private static Vfs.File sysctlFile(KernelContext k, Entry e) {
        return new Vfs.File() {
            @Override
            public byte[] read() {
                Result r = call(k, e, 0, new byte[0]);
                if (r.n < 0) {
                    throw new Vfs.ReadError((int) -r.n);
                }
                return r.out;
            }

            @Override
            public boolean readable() {
                return (e.mode & 0400) != 0;
            }

            @Override
            public boolean writable() {
                return (e.mode & 0200) != 0;
            }

            @Override
            public long write(byte[] data) {
                return call(k, e, 1, data).n;
            }

            @Override
            public int mode() {
                return e.mode;
            }
        };
    }

    /** The count (or -errno) a call returns, and what a read got. */
    private record Result(long n, byte[] out) {
    }

    /** {@code proc_sys_call_handler()}. */
    private static Result call(KernelContext k, Entry e, int write, byte[] data) {
        AddressSpace m = k.mem();
        if (e.handler == 0) {
            return new Result(-Errno.EINVAL, null);
        }
        long count = write != 0 ? data.length : READ_SIZE;
        long kbuf = k.slab().kmalloc(count + 1, Gfp.KERNEL | Gfp.ZERO);
        if (kbuf == 0) {
            return new Result(-Errno.ENOMEM, null);
        }
        long args = k.slab().kmalloc(16, Gfp.KERNEL | Gfp.ZERO);
        try {
            if (write != 0) {
                m.write(kbuf, data);
            }
            m.write64(args, count);
            int err = (int) k.call(e.handler, e.table, write, kbuf, args, args + 8);
            if (err != 0) {
                return new Result(err, null);
            }
            long n = m.read64(args);
            return new Result(n, write == 0 ? m.read(kbuf, (int) n) : null);
        } finally {
            k.slab().kfree(args);
            k.slab().kfree(kbuf);
        }
    }

    /** struct ctl_table_header *register_sysctl_table(struct ctl_table *table): the nested form. */
    @KernelSymbol("register_sysctl_table")
    static long registerSysctlTable(KernelContext k, long table) {
        return of(k).register(k, "/proc/sys", table);
    }

    /** struct ctl_table_header *register_sysctl(const char *path, struct ctl_table *table) */
    @KernelSymbol("register_sysctl")
    static long registerSysctl(KernelContext k, long path, long table) {
        String p = k.mem().readCString(path, 4096).replaceAll("/+", "/").replaceAll("^/|/$", "");
        return of(k).register(k, p.isEmpty() ? "/proc/sys" : "/proc/sys/" + p, table);
    }

    /** void unregister_sysctl_table(struct ctl_table_header *header): its files, then its empty directories. */
    @KernelSymbol("unregister_sysctl_table")
    static void unregisterSysctlTable(KernelContext k, long header) {
        List<String> files = of(k).headers.remove(header);
        if (files == null) {
            return;
        }
        for (String f : files) {
            k.vfs().remove(f);
            for (String d = f.substring(0, f.lastIndexOf('/')); !d.equals("/proc/sys") && k.vfs().list(d).isEmpty();
                    d = d.substring(0, d.lastIndexOf('/'))) {
                k.vfs().remove(d);
            }
        }
        k.slab().kfree(header);
    }
}
