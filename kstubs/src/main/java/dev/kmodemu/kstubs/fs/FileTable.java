package dev.kmodemu.kstubs.fs;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.kernel.Oops;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * fs/file.c and the reference counting of fs/file_table.c: each process's descriptor table, for
 * files module code makes and installs ({@code get_unused_fd_flags()}, {@code fd_install()}) and
 * looks up ({@code __fdget()}). Descriptors 0 to 2 (the standard streams) and 3 (the file the
 * process itself opened: the module file insmod hands {@code finit_module()}, the device or proc
 * file of a shell command) are taken in every process, so the first descriptor a module allocates
 * is 4, as on the real system; those four are not struct files kmodemu models, so {@code __fdget}
 * of them finds nothing (EBADF to the caller). Processes run no user code, so nothing closes an
 * installed descriptor before the process exits ({@code exit_files()}). The release of a file
 * whose last reference a process drops runs as task work, when the process leaves the kernel
 * (kmodemu runs a process's task work at its exit; the kernel at each return to user space, which
 * is the same point for a command of one system call); in a kernel thread it runs at once.
 */
public final class FileTable {
    /** The lowest descriptor {@code get_unused_fd_flags()} can return. */
    private static final int FIRST_FREE = 4;
    /** {@code rlimit(RLIMIT_NOFILE)}: Debian's default soft limit. */
    private static final int NOFILE = 1024;

    /** Files whose release waits for their process to leave the kernel ({@code task_work}), per pid. */
    private final Map<Integer, java.util.List<Long>> taskWork = new HashMap<>();

    /** fd -> struct file (0 while reserved by get_unused_fd_flags but not installed), per pid. */
    private final Map<Integer, TreeMap<Integer, Long>> tables = new HashMap<>();
    private final KernelContext k;

    private FileTable(KernelContext k) {
        this.k = k;
    }

    private static FileTable of(KernelContext k) {
        return k.state(FileTable.class, () -> new FileTable(k));
    }

    private TreeMap<Integer, Long> current() {
        return tables.computeIfAbsent(k.tasks().current().pid(), p -> new TreeMap<>());
    }

    /** int get_unused_fd_flags(unsigned flags) */
    @KernelSymbol("get_unused_fd_flags")
    static int getUnusedFdFlags(KernelContext k, int flags) {
        TreeMap<Integer, Long> t = of(k).current();
        int fd = FIRST_FREE;
        while (t.containsKey(fd)) {
            fd++;
        }
        if (fd >= NOFILE) {
            return -Errno.EMFILE;
        }
        t.put(fd, 0L);
        return fd;
    }

    /** void put_unused_fd(unsigned int fd) */
    @KernelSymbol("put_unused_fd")
    static void putUnusedFd(KernelContext k, int fd) {
        of(k).current().remove(fd);
    }

    /** void fd_install(unsigned int fd, struct file *file) */
    @KernelSymbol("fd_install")
    static void fdInstall(KernelContext k, int fd, long file) {
        TreeMap<Integer, Long> t = of(k).current();
        Long old = t.get(fd);
        if (old != null && old != 0) {
            throw Oops.bug(k, "fs/file.c:602");
        }
        t.put(fd, file);
    }

    /**
     * unsigned long __fdget(unsigned int fd): the file with no reference taken (the table is not
     * shared: {@code __fget_light()}), flags 0; 0 if the descriptor holds none.
     */
    @KernelSymbol("__fdget")
    static long fdget(KernelContext k, int fd) {
        Long file = of(k).current().get(fd);
        return file == null ? 0 : file;
    }

    /** struct file *fget(unsigned int fd): the file with a reference, or NULL. */
    @KernelSymbol("fget")
    static long fget(KernelContext k, int fd) {
        long file = fdget(k, fd);
        if (file != 0) {
            long at = file + k.off("file_f_count");
            k.mem().write64(at, k.mem().read64(at) + 1);
        }
        return file;
    }

    /**
     * void fput(struct file *file): the last reference releases the file ({@code __fput()}: the
     * release operation, the operations' module reference). The kernel defers that to the task's
     * return to user space; kmodemu runs it at once. For the files of the descriptor tables and
     * anonymous inodes; {@link Files#fputSym} dispatches here.
     */
    static void fput(KernelContext k, long file) {
        AddressSpace m = k.mem();
        long at = file + k.off("file_f_count");
        long count = m.read64(at) - 1;
        m.write64(at, count);
        if (count == 0) {
            if (k.tasks().current().hasMm()) {
                of(k).taskWork.computeIfAbsent(k.tasks().current().pid(), p -> new java.util.ArrayList<>()).add(file);
            } else {
                release(k, file);
            }
        }
    }

    private static void release(KernelContext k, long file) {
        k.call(k.sym("__fput"), file);
        Files.freeFile(k, file);
    }

    private void runTaskWork(int pid) {
        java.util.List<Long> work;
        while ((work = taskWork.remove(pid)) != null) {
            for (long file : work) {
                release(k, file);
            }
        }
    }

    /**
     * A process exits: its pending task work, then {@code exit_files()}: every descriptor it
     * holds closed in order, the releases run as task work before it is gone.
     */
    public static void exitFiles(KernelContext k, dev.kmodemu.kstubs.sched.Tasks.Task t) {
        FileTable ft = k.state(FileTable.class, () -> null);
        if (ft == null) {
            return;
        }
        ft.runTaskWork(t.pid());
        TreeMap<Integer, Long> table = ft.tables.remove(t.pid());
        if (table != null) {
            for (long file : table.values()) {
                if (file != 0) {
                    fput(k, file);
                }
            }
        }
        ft.runTaskWork(t.pid());
    }
}
