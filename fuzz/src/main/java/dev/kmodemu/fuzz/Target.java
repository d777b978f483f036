package dev.kmodemu.fuzz;

/** What an input drives; several at once. */
public enum Target {
    /** Values for the module's declared parameters, typed as each is declared, or raw strings. */
    PARAMS,
    /** Which calls module code makes to kernel functions fail, and how (see {@link dev.kmodemu.kstubs.FaultInjection}). */
    FAULTS,
    /** Writes, reads and ioctls on the files the module registered (/proc, /dev, /sys, debugfs). */
    FILES,
    /** A Java callback that gets the input and drives the kernel itself. */
    HARNESS
}
