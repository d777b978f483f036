package dev.kmodemu.kstubs;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.fs.OpenFile;
import dev.kmodemu.kstubs.sched.Tasks;

/**
 * An open file of the emulated system ({@link Kernel#open}). Each call is one system call;
 * failures throw {@link KernelException} with the errno the kernel returned.
 */
public final class KernelFile implements AutoCloseable {
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0100;
    public static final int O_TRUNC = 01000;
    public static final int O_APPEND = 02000;
    public static final int O_NONBLOCK = 04000;
    public static final int SEEK_SET = 0;
    public static final int SEEK_CUR = 1;
    public static final int SEEK_END = 2;
    public static final int POLLIN = 0x1;
    public static final int POLLPRI = 0x2;
    public static final int POLLOUT = 0x4;
    public static final int POLLERR = 0x8;
    public static final int POLLHUP = 0x10;
    public static final int POLLNVAL = 0x20;
    public static final int POLLRDNORM = 0x40;
    public static final int POLLRDBAND = 0x80;
    public static final int POLLWRNORM = 0x100;
    public static final int POLLWRBAND = 0x200;
    public static final int POLLMSG = 0x400;
    public static final int POLLRDHUP = 0x2000;
    /** Every event {@link #poll()} asks for. */
    public static final int POLL_ALL = POLLIN | POLLPRI | POLLOUT | POLLRDNORM | POLLRDBAND | POLLWRNORM | POLLWRBAND
            | POLLMSG | POLLRDHUP;

    /** {@code mmap(2)}'s protections and flags (include/uapi/asm-generic/mman*.h). */
    public static final int PROT_NONE = 0;
    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int PROT_EXEC = 4;
    public static final int MAP_SHARED = 0x01;
    public static final int MAP_PRIVATE = 0x02;
    public static final int MAP_SHARED_VALIDATE = 0x03;
    public static final int MAP_LOCKED = 0x2000;
    public static final int MAP_POPULATE = 0x8000;

    /** {@code _IOC_NONE}, {@code _IOC_WRITE}, {@code _IOC_READ}: the direction bits of a command. */
    public static final int IOC_NONE = 0;
    public static final int IOC_WRITE = 1;
    public static final int IOC_READ = 2;

    /** {@code _IOC(dir, type, nr, size)}: an ioctl command number as asm-generic/ioctl.h builds it. */
    public static long ioc(int dir, int type, int nr, int size) {
        return Integer.toUnsignedLong((dir << 30) | ((size & 0x3fff) << 16) | ((type & 0xff) << 8) | (nr & 0xff));
    }

    /** {@code _IO(type, nr)}. */
    public static long io(int type, int nr) {
        return ioc(IOC_NONE, type, nr, 0);
    }

    /** {@code _IOR(type, nr, size)} with the size in bytes. */
    public static long ior(int type, int nr, int size) {
        return ioc(IOC_READ, type, nr, size);
    }

    /** {@code _IOW(type, nr, size)} with the size in bytes. */
    public static long iow(int type, int nr, int size) {
        return ioc(IOC_WRITE, type, nr, size);
    }

    /** {@code _IOWR(type, nr, size)} with the size in bytes. */
    public static long iowr(int type, int nr, int size) {
        return ioc(IOC_READ | IOC_WRITE, type, nr, size);
    }

    /** What an {@code ioctl(2)} with a buffer gave: its result and the buffer after the call. */
    public record IoctlResult(long value, byte[] arg) {
    }

    private final Kernel kernel;
    private final String path;
    private final OpenFile file;
    private boolean closed;
    private long lastBuffer;

    KernelFile(Kernel kernel, String path, OpenFile file) {
        this.kernel = kernel;
        this.path = path;
        this.file = file;
    }

    private void open() {
        if (closed) {
            throw new KernelException(path + ": " + Errno.text(Errno.EBADF), Errno.EBADF, false);
        }
    }

    private long check(long r) {
        if (r < 0) {
            throw new KernelException(path + ": " + Errno.text((int) -r), (int) -r, false);
        }
        return r;
    }

    /** One read(2) of at most {@code max} bytes; an empty array at end of file. */
    public byte[] read(int max) {
        open();
        return kernel.process("java", () -> {
            byte[] b = file.read(max);
            if (b == null) {
                int e = -file.lastError();
                throw new KernelException(path + ": " + Errno.text(e), e, false);
            }
            return b;
        });
    }

    /** One write(2); returns the bytes the file accepted. */
    public long write(byte[] data) {
        open();
        return check(kernel.process("java", () -> file.write(data)));
    }

    /** lseek(2); returns the new offset. */
    public long lseek(long offset, int whence) {
        open();
        return check(kernel.process("java", () -> file.lseek(offset, whence)));
    }

    /**
     * ioctl(2) with a plain argument (a number, or a user address the caller made up, e.g. to see
     * a driver refuse a bad pointer). The command is an {@code unsigned int}: only its low 32 bits
     * count. Returns the driver's (int) result.
     */
    public long ioctl(long cmd, long arg) {
        open();
        return check(kernel.process("java", () -> file.ioctl((int) cmd, arg)));
    }

    /**
     * ioctl(2) with a buffer: {@code arg} is copied into the process's user memory, its address is
     * passed, and the result comes back with the buffer's bytes after the call (what an
     * {@code _IOR} or {@code _IOWR} command wrote there).
     */
    public IoctlResult ioctl(long cmd, byte[] arg) {
        return ioctlWithBuffer(cmd, arg, false);
    }

    /** ioctl(2) of a 32-bit process: the file's {@code compat_ioctl} gets the command. */
    public long ioctl32(long cmd, int arg) {
        open();
        return check(kernel.process("java", () -> file.compatIoctl((int) cmd, arg)));
    }

    /** ioctl(2) of a 32-bit process with a buffer below 4 GiB; as {@link #ioctl(long, byte[])}. */
    public IoctlResult ioctl32(long cmd, byte[] arg) {
        return ioctlWithBuffer(cmd, arg, true);
    }

    private IoctlResult ioctlWithBuffer(long cmd, byte[] arg, boolean compat) {
        open();
        return kernel.process("java", () -> {
            AddressSpace mem = kernel.context().mem();
            Tasks.Task t = kernel.context().tasks().current();
            long buf = compat ? t.userAlloc32(mem, Math.max(arg.length, 1)) : t.userAlloc(mem, Math.max(arg.length, 1));
            mem.write(buf, arg);
            lastBuffer = buf;
            long r = compat ? file.compatIoctl((int) cmd, (int) buf) : file.ioctl((int) cmd, buf);
            check(r);
            return new IoctlResult(r, mem.read(buf, arg.length));
        });
    }

    /** The user address the last ioctl with a buffer passed (what strace would show for it). */
    public long lastBuffer() {
        return lastBuffer;
    }

    /**
     * {@code mmap(2)} of {@code length} bytes of the file from byte {@code offset} (page aligned),
     * at an address the kernel picks: the file's {@code mmap} operation runs as
     * {@code mmap_region()} calls it. The mapping belongs to the Java program and stays after
     * {@link #close()} (holding the file open) until {@link Mapping#unmap()}.
     *
     * @param prot {@link #PROT_READ}, {@link #PROT_WRITE}, {@link #PROT_EXEC} or {@link #PROT_NONE}
     * @param flags {@link #MAP_SHARED}, {@link #MAP_PRIVATE} or {@link #MAP_SHARED_VALIDATE}, with
     *        {@link #MAP_POPULATE} or {@link #MAP_LOCKED}
     * @throws KernelException with the errno: ENODEV (no {@code mmap} operation), EACCES (a shared
     *         writable mapping of a file not open for writing), EINVAL (an unaligned offset, a
     *         length of 0), EIO (a proc file without {@code proc_mmap}), or the driver's error
     */
    public Mapping mmap(long length, int prot, int flags, long offset) {
        open();
        long r = kernel.process("java", () -> (offset & (AddressSpace.PAGE - 1)) != 0 ? -Errno.EINVAL
                : file.mmap(length, Integer.toUnsignedLong(prot), Integer.toUnsignedLong(flags), offset >>> 12));
        if (r < 0 && r > -4096) {
            throw new KernelException(path + ": " + Errno.text((int) -r), (int) -r, false);
        }
        return new Mapping(kernel, r, length);
    }

    /**
     * poll(2) of this file with a zero timeout: the {@code revents} for {@code events}; after
     * close, POLLNVAL (poll reports a descriptor that is not open rather than failing).
     */
    public int poll(int events) {
        if (closed) {
            return POLLNVAL;
        }
        return kernel.process("java", () -> file.poll(events));
    }

    /** poll(2) asking for every event ({@link #POLL_ALL}); POLLERR and POLLHUP come unasked. */
    public int poll() {
        return poll(POLL_ALL);
    }

    /** close(2): the file's release runs (on the last close, which this is). */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            kernel.process("java", () -> {
                file.close();
                return null;
            });
        }
    }
}
