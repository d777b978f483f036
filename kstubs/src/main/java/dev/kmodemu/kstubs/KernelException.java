package dev.kmodemu.kstubs;

/**
 * A system call into the emulated kernel failed. {@link #getMessage()} reads as the matching
 * kmod or coreutils error ("could not insert module hello.ko: Unknown symbol in module").
 */
public final class KernelException extends RuntimeException {
    private final int errno;
    private final boolean killed;

    public KernelException(String message, int errno, boolean killed) {
        super(message, null, false, false);
        this.errno = errno;
        this.killed = killed;
    }

    /** The positive errno the system call returned (0 if the task was killed). */
    public int errno() {
        return errno;
    }

    /** {@link Errno#name} of {@link #errno()}, e.g. "ENODEV". */
    public String errnoName() {
        return Errno.name(errno);
    }

    /** True if the calling process died (an oops in module code): the shell reports "Killed". */
    public boolean killed() {
        return killed;
    }
}
