package dev.kmodemu.kstubs.fs;

/**
 * An open file description: what {@code open(2)} returns a descriptor for. Each operation is one
 * system call of the current process; results are byte counts or new offsets, or a negative errno.
 */
public interface OpenFile {
    int SEEK_SET = 0;
    int SEEK_CUR = 1;
    int SEEK_END = 2;

    /** One {@code read(2)} of at most {@code count} bytes: the bytes read, or null with {@link #lastError()}. */
    byte[] read(long count);

    /** One {@code write(2)}: bytes taken, or a negative errno. */
    long write(byte[] data);

    /** {@code lseek(2)}: the new offset, or a negative errno. */
    long lseek(long offset, int whence);

    /** {@code ioctl(2)} of a 64-bit process: the (int) result, or a negative errno. */
    long ioctl(int cmd, long arg);

    /** {@code ioctl(2)} of a 32-bit process (the file's {@code compat_ioctl}). */
    long compatIoctl(int cmd, int arg);

    /** {@code poll(2)} with a zero timeout: the {@code revents} for {@code events}. */
    int poll(int events);

    /**
     * {@code mmap(2)} of {@code len} bytes at page offset {@code pgoff}, at an address the kernel
     * picks: the address, or a negative errno. Files without a {@code struct file} behind them
     * (those kmodemu serves from Java) have no {@code mmap} operation.
     */
    default long mmap(long len, long prot, long flags, long pgoff) {
        return -dev.kmodemu.kstubs.Errno.ENODEV;
    }

    /** The negative errno of the last failed {@link #read}, or 0. */
    int lastError();

    /** {@code close(2)}: runs the file's release. */
    void close();
}
