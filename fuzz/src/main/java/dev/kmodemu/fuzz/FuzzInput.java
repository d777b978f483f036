package dev.kmodemu.fuzz;

import java.nio.charset.StandardCharsets;

/**
 * Bytes of an input, consumed front to back as typed values (like libFuzzer's
 * FuzzedDataProvider): every method is total, reading zeros past the end, so any byte string
 * decodes to something.
 */
public final class FuzzInput {
    private final byte[] data;
    private int pos;

    public FuzzInput(byte[] data) {
        this.data = data;
    }

    /** Bytes not consumed yet. */
    public int remaining() {
        return Math.max(0, data.length - pos);
    }

    /** The next byte, 0..255 (0 past the end). */
    public int u8() {
        if (pos < data.length) {
            return data[pos++] & 0xff;
        }
        pos++;
        return 0;
    }

    /** The next {@code n} bytes as a little-endian unsigned value ({@code n} at most 8). */
    public long le(int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (long) u8() << (8 * i);
        }
        return v;
    }

    public int int32() {
        return (int) le(4);
    }

    public long int64() {
        return le(8);
    }

    public boolean bool() {
        return (u8() & 1) != 0;
    }

    /** A value in {@code [lo, hi]} from the next byte(s). */
    public int range(int lo, int hi) {
        long span = (long) hi - lo + 1;
        long v = span <= 256 ? u8() : span <= 65536 ? le(2) : le(4);
        return (int) (lo + Long.remainderUnsigned(v, span));
    }

    /** The next {@code n} bytes, zeros past the end of the input. */
    public byte[] bytes(int n) {
        int len = Math.max(0, n);
        byte[] out = new byte[len];
        if (pos < data.length) {
            System.arraycopy(data, pos, out, 0, Math.min(len, data.length - pos));
        }
        pos += len;
        return out;
    }

    /** A length byte, then that many bytes (at most {@code max}). */
    public byte[] lengthPrefixed(int max) {
        return bytes(Math.min(u8(), max));
    }

    /** As {@link #lengthPrefixed}, as ISO-8859-1 text (one char per byte). */
    public String string(int max) {
        return new String(lengthPrefixed(max), StandardCharsets.ISO_8859_1);
    }

    /** Everything left (nothing past the end). */
    public byte[] rest() {
        return bytes(remaining());
    }

    /** Position of the next byte (may be past the end). */
    public int position() {
        return pos;
    }
}
