package dev.kmodemu.loader;

import java.util.List;

/**
 * The kernel refused a module image. {@link #errno()} is what {@code init_module(2)} returns
 * (e.g. {@code ENOEXEC}); {@link #kernelLog()} holds the lines the kernel logs for it, in its
 * own words, with their log levels.
 */
public final class ModuleFormatException extends Exception {
    /** One kernel log line: syslog level (3 = err, 4 = warning) and text without newline. */
    public record LogLine(int level, String text) {
    }

    private final int errno;
    private final List<LogLine> log;

    public ModuleFormatException(int errno, List<LogLine> log) {
        super(log.isEmpty() ? "errno " + errno : log.get(log.size() - 1).text(), null, false, false);
        this.errno = errno;
        this.log = List.copyOf(log);
    }

    public ModuleFormatException(int errno, int level, String line) {
        this(errno, List.of(new LogLine(level, line)));
    }

    /** Positive errno value. */
    public int errno() {
        return errno;
    }

    public List<LogLine> kernelLog() {
        return log;
    }
}
