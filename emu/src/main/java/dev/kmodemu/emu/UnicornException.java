package dev.kmodemu.emu;

/** A Unicorn call returned an error: names the call, its arguments and Unicorn's own message. */
public final class UnicornException extends RuntimeException {
    private final int code;

    public UnicornException(String call, int code, String message) {
        super(call + " failed: " + message + " (uc_err " + code + ")");
        this.code = code;
    }

    /** The {@code uc_err} value. */
    public int code() {
        return code;
    }
}
