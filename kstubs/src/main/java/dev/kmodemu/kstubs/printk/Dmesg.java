package dev.kmodemu.kstubs.printk;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The kernel log as util-linux {@code dmesg} prints it: "[seconds.micros] text" per record,
 * continuation lines of multi-line records indented under the text, non-printable bytes as
 * {@code \xNN}; {@code -r} prefixes "<level>" and prints the same way.
 */
public final class Dmesg {
    private Dmesg() {
    }

    /** Formats records; {@code raw} is {@code dmesg -r}. */
    public static String format(List<KernelLog.Record> records, boolean raw) {
        StringBuilder sb = new StringBuilder();
        for (KernelLog.Record r : records) {
            if (r.text().length == 0) {
                sb.append('\n');
                continue;
            }
            long us = r.timeNanos() / 1000;
            String ts = String.format("[%5d.%06d] ", us / 1_000_000, us % 1_000_000);
            String prefix = raw ? "<" + r.level() + ">" + ts : ts;
            sb.append(prefix);
            appendEscaped(sb, r.text(), prefix.length());
            sb.append('\n');
        }
        return sb.toString();
    }

    /** util-linux {@code safe_fwrite()}: escapes non-printable bytes, indents after newlines. */
    private static void appendEscaped(StringBuilder sb, byte[] text, int indent) {
        String s = new String(text, StandardCharsets.UTF_8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n') {
                sb.append('\n');
                if (i + 1 < s.length()) {
                    sb.append(" ".repeat(indent));
                }
            } else if (c == '\t' || c == ' ' || c == '\u000b' || c == '\u000c' || c == '\r') {
                sb.append(c);
            } else if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else if (c == '\ufffd') {
                sb.append("\\x3f");
            } else {
                sb.append(c);
            }
        }
    }
}
