package dev.kmodemu.kstubs.kernel;

import dev.kmodemu.kstubs.KernelContext;

/** Kernel taint flags (kernel/panic.c {@code taint_flags}). */
public final class Taint {
    public static final int PROPRIETARY_MODULE = 0;
    public static final int FORCED_MODULE = 1;
    public static final int CPU_OUT_OF_SPEC = 2;
    public static final int FORCED_RMMOD = 3;
    public static final int MACHINE_CHECK = 4;
    public static final int BAD_PAGE = 5;
    public static final int USER = 6;
    public static final int DIE = 7;
    public static final int OVERRIDDEN_ACPI_TABLE = 8;
    public static final int WARN = 9;
    public static final int CRAP = 10;
    public static final int FIRMWARE_WORKAROUND = 11;
    public static final int OOT_MODULE = 12;
    public static final int UNSIGNED_MODULE = 13;
    public static final int SOFTLOCKUP = 14;
    public static final int LIVEPATCH = 15;
    public static final int AUX = 16;
    public static final int RANDSTRUCT = 17;
    public static final int TEST = 18;
    public static final int COUNT = 19;
    /** {@code taint_flags[].c_true}. */
    public static final String LETTERS = "PFSRMBUDAWCIOELKXTN";
    /** Flags that are also recorded per module ({@code module: true} in taint_flags). */
    static final int MODULE_FLAGS = 1 << PROPRIETARY_MODULE | 1 << FORCED_MODULE | 1 << CRAP | 1 << OOT_MODULE
            | 1 << UNSIGNED_MODULE | 1 << LIVEPATCH | 1 << AUX | 1 << RANDSTRUCT | 1 << TEST;

    private final KernelContext k;
    private long mask;
    private boolean debugLocks = true;

    public Taint(KernelContext k) {
        this.k = k;
    }

    public boolean test(int flag) {
        return (mask & (1L << flag)) != 0;
    }

    /** {@code /proc/sys/kernel/tainted}. */
    public long mask() {
        return mask;
    }

    /**
     * {@code add_taint()}: sets {@code flag}; with {@code lockdepUnreliable}, the first call logs
     * that lock debugging is off.
     */
    public void add(int flag, boolean lockdepUnreliable) {
        if (lockdepUnreliable && debugLocks) {
            debugLocks = false;
            k.printk(4, "Disabling lock debugging due to kernel taint");
        }
        mask |= 1L << flag;
    }

    /** {@code debug_locks}: lockdep still reports (no report yet, no taint that made it unreliable). */
    public boolean debugLocks() {
        return debugLocks;
    }

    /** {@code debug_locks_off()}: turns lock debugging off; true if it was on (the caller may report). */
    public boolean debugLocksOff() {
        boolean was = debugLocks;
        debugLocks = false;
        return was;
    }

    /**
     * {@code print_tainted()}: "Not tainted" or "Tainted: " followed by one letter per flag (a
     * space for clear ones) as the kernel prints it in oops reports.
     */
    public String describe() {
        if (mask == 0) {
            return "Not tainted";
        }
        StringBuilder sb = new StringBuilder("Tainted: ");
        for (int i = 0; i < COUNT; i++) {
            sb.append(test(i) ? LETTERS.charAt(i) : i == PROPRIETARY_MODULE ? 'G' : ' ');
        }
        return sb.toString();
    }

    /** {@code module_flags_taint()}: the letters of a module's taints, e.g. "OE". */
    public static String moduleLetters(long moduleMask) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < COUNT; i++) {
            if ((MODULE_FLAGS & (1 << i)) != 0 && (moduleMask & (1L << i)) != 0) {
                sb.append(LETTERS.charAt(i));
            }
        }
        return sb.toString();
    }
}
