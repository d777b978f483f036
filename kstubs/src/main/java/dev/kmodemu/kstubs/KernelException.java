package dev.kmodemu.kstubs;

/**
 * A system call into the emulated kernel failed. {@link #getMessage()} reads as the matching
 * kmod or coreutils error ("could not insert module hello.ko: Unknown symbol in module").
 */
public final class KernelException extends RuntimeException {
    private final int errno;
    private final boolean killed;
    private final int signal;
    private final boolean panicked;

    public KernelException(String message, int errno, boolean killed) {
        this(message, errno, killed ? 9 : 0, false);
    }

    /**
     * @param signal the signal that killed the calling process (9 SIGKILL, 11 SIGSEGV), or 0
     * @param panicked the kernel panicked (it is dead: every later call fails)
     */
    public KernelException(String message, int errno, int signal, boolean panicked) {
        super(message, null, false, false);
        this.errno = errno;
        this.killed = signal != 0;
        this.signal = signal;
        this.panicked = panicked;
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

    /**
     * The signal the process died of: 9 (SIGKILL) after a page fault oops, a soft lockup or a
     * panic, 11 (SIGSEGV) after {@code die()} (BUG, invalid opcode, general protection); 0 if alive.
     */
    public int signal() {
        return signal;
    }

    /** True if the kernel panicked: it stopped, and every later call fails. */
    public boolean panicked() {
        return panicked;
    }
}
