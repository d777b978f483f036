package dev.kmodemu.kstubs.printk;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel log ring buffer, storing records as {@code vprintk_store()} does: one record per
 * printk call, the trailing newline stripped and remembered, {@code KERN_CONT} pieces appended to
 * the caller's last unfinished record while they fit in {@code LOG_LINE_MAX}.
 */
public final class KernelLog implements dev.kmodemu.emu.StateSnapshot.Participant {
    /** {@code CONSOLE_LOG_MAX - PREFIX_MAX}: the longest record text, prefix included. */
    public static final int LOG_LINE_MAX = 1024 - 32;
    public static final int LOGLEVEL_DEFAULT = -1;

    /** One log record. {@code module} is the module whose code called printk, or null. */
    public record Record(long seq, int level, long timeNanos, int caller, String module, byte[] text) {
        /** The text as UTF-8 (invalid bytes replaced). */
        public String message() {
            return new String(text, StandardCharsets.UTF_8);
        }

        /** The lines of the record: the kernel keeps embedded newlines, readers split at them. */
        public List<String> lines() {
            return List.of(message().split("\n", -1));
        }
    }

    private static final class Pending {
        long seq;
        int level;
        long ts;
        int caller;
        String module;
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        boolean finalized;

        Record freeze() {
            return new Record(seq, level, ts, caller, module, text.toByteArray());
        }
    }

    private final List<Pending> records = new ArrayList<>();
    private final int defaultLevel;
    private long nextSeq;
    private int clearedUpTo;

    public KernelLog(int defaultMessageLevel) {
        this.defaultLevel = defaultMessageLevel;
    }

    /**
     * Stores one printk: {@code formatted} is the complete vsnprintf output, level prefixes
     * included, as {@code vprintk_store()} sees it.
     *
     * @return the number of bytes stored (printk's return value)
     */
    public int store(byte[] formatted, long timeNanos, int caller, String module) {
        int level = LOGLEVEL_DEFAULT;
        boolean cont = false;
        int p = 0;
        while (p + 1 < formatted.length && formatted[p] == 1 && formatted[p + 1] != 0) {
            byte c = formatted[p + 1];
            if (c >= '0' && c <= '7') {
                if (level == LOGLEVEL_DEFAULT) {
                    level = c - '0';
                }
            } else if (c == 'c') {
                cont = true;
            } else {
                break;
            }
            p += 2;
        }
        if (level == LOGLEVEL_DEFAULT) {
            level = defaultLevel;
        }
        int reserve = Math.min(formatted.length + 1, LOG_LINE_MAX);
        if (cont && !records.isEmpty()) {
            Pending last = records.get(records.size() - 1);
            if (!last.finalized && last.caller == caller && last.text.size() + reserve <= LOG_LINE_MAX) {
                int n = append(last, formatted, reserve);
                return n;
            }
        }
        if (!records.isEmpty()) {
            records.get(records.size() - 1).finalized = true;
        }
        Pending r = new Pending();
        r.seq = nextSeq++;
        r.level = level & 7;
        r.ts = timeNanos;
        r.caller = caller;
        r.module = module;
        records.add(r);
        return append(r, formatted, reserve);
    }

    /** {@code printk_sprint()} into a record with room for {@code size - 1} bytes. */
    private static int append(Pending r, byte[] formatted, int size) {
        int len = Math.min(formatted.length, size - 1);
        boolean newline = false;
        if (len > 0 && formatted[len - 1] == '\n') {
            len--;
            newline = true;
        }
        int p = 0;
        while (p + 1 < len && formatted[p] == 1) {
            byte c = formatted[p + 1];
            if ((c >= '0' && c <= '7') || c == 'c') {
                p += 2;
            } else {
                break;
            }
        }
        r.text.write(formatted, p, len - p);
        if (newline) {
            r.finalized = true;
        }
        return len - p;
    }

    /** Convenience for kernel-internal messages: {@code text} without level prefix or newline. */
    public void log(int level, String text, long timeNanos, int caller, String module) {
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        byte[] f = new byte[t.length + 3];
        f[0] = 1;
        f[1] = (byte) ('0' + level);
        System.arraycopy(t, 0, f, 2, t.length);
        f[f.length - 1] = '\n';
        store(f, timeNanos, caller, module);
    }

    /** All records not cleared with {@link #clear()}. */
    public List<Record> records() {
        List<Record> out = new ArrayList<>(records.size() - clearedUpTo);
        for (int i = clearedUpTo; i < records.size(); i++) {
            out.add(records.get(i).freeze());
        }
        return out;
    }

    /** Records with sequence number {@code >= seq}, cleared or not. */
    public List<Record> since(long seq) {
        // records are in sequence order: find the first one from the end
        int from = records.size();
        while (from > 0 && records.get(from - 1).seq >= seq) {
            from--;
        }
        List<Record> out = new ArrayList<>(records.size() - from);
        for (int i = from; i < records.size(); i++) {
            out.add(records.get(i).freeze());
        }
        return out;
    }

    /** The sequence number the next record will get. */
    public long nextSeq() {
        return nextSeq;
    }

    /**
     * The log only grows (records are appended, the last one may still take {@code KERN_CONT}
     * pieces): a snapshot is its length, restored by truncating.
     */
    @Override
    public Runnable capture() {
        int n = records.size();
        long seq = nextSeq;
        int cleared = clearedUpTo;
        Pending last = n == 0 ? null : records.get(n - 1);
        int lastLen = last == null ? 0 : last.text.size();
        byte[] lastText = last == null ? null : last.text.toByteArray();
        boolean lastFinal = last != null && last.finalized;
        return () -> {
            while (records.size() > n) {
                records.remove(records.size() - 1);
            }
            nextSeq = seq;
            clearedUpTo = cleared;
            if (last != null) {
                if (last.text.size() != lastLen) {
                    last.text.reset();
                    last.text.write(lastText, 0, lastText.length);
                }
                last.finalized = lastFinal;
            }
        };
    }

    @Override
    public boolean walkFields() {
        return false;
    }

    /** {@code dmesg -C}: later reads start after the current records. */
    public void clear() {
        clearedUpTo = records.size();
    }
}
