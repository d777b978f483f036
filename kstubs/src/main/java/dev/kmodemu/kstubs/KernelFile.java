package dev.kmodemu.kstubs;

import dev.kmodemu.kstubs.fs.OpenFile;

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
    public static final int SEEK_SET = 0;
    public static final int SEEK_CUR = 1;
    public static final int SEEK_END = 2;

    private final Kernel kernel;
    private final String path;
    private final OpenFile file;
    private boolean closed;

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
        long r = kernel.process("java", () -> file.write(data));
        if (r < 0) {
            throw new KernelException(path + ": " + Errno.text((int) -r), (int) -r, false);
        }
        return r;
    }

    /** lseek(2); returns the new offset. */
    public long lseek(long offset, int whence) {
        open();
        long r = kernel.process("java", () -> file.lseek(offset, whence));
        if (r < 0) {
            throw new KernelException(path + ": " + Errno.text((int) -r), (int) -r, false);
        }
        return r;
    }

    /** close(2): the file's release runs. */
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
