package dev.kmodemu.loader.kmod;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * A failed libkmod call: the positive errno it returned negated, for the caller to print with
 * {@link KmodStrings#strerror(int)} the way kmod prints {@code %m} or {@code strerror(-err)}.
 */
public final class ErrnoException extends Exception {
    private final int errno;

    public ErrnoException(int errno) {
        super(KmodStrings.strerror(errno), null, false, false);
        this.errno = errno;
    }

    /** Positive errno. */
    public int errno() {
        return errno;
    }

    /** The errno a system call would have set for this Java I/O failure. */
    static ErrnoException of(IOException e) {
        if (e instanceof NoSuchFileException) {
            return new ErrnoException(KmodStrings.ENOENT);
        }
        if (e instanceof AccessDeniedException) {
            return new ErrnoException(KmodStrings.EACCES);
        }
        if (e instanceof NotDirectoryException) {
            return new ErrnoException(KmodStrings.ENOTDIR);
        }
        if (e instanceof FileSystemException f && f.getReason() != null && f.getReason().contains("directory")) {
            return new ErrnoException(KmodStrings.EISDIR);
        }
        return new ErrnoException(KmodStrings.EIO);
    }
}
