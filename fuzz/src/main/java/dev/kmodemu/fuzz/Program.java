package dev.kmodemu.fuzz;

import dev.kmodemu.kstubs.kernel.Params;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An input decoded into what one execution does. The layout, each part present only when its
 * target is fuzzed: {@link #FAULT_POINTS} bytes of fault plan (byte {@code i} decides the
 * {@code i}-th fail point module code reaches: 0 lets it succeed, else it fails with the error
 * that value picks); one entry per parameter (a control byte: default, typed value, or raw
 * string; then the value); a count of file operations and the operations; the rest for the
 * harness. Decoding is total: every byte string is a program.
 *
 * @param faults the fault plan (empty when faults are not fuzzed)
 * @param args the parameter string init gets
 * @param ops operations on the module's files, in order
 * @param harness the bytes the harness gets
 */
public record Program(byte[] faults, String args, List<Op> ops, byte[] harness) {
    /** Fail points an input can decide. */
    public static final int FAULT_POINTS = 24;
    /** Most file operations in one input. */
    public static final int MAX_OPS = 8;

    /** The longest string parameter value or raw value an input gives. */
    static final int MAX_STRING = 96;

    /** A file operation: {@code file} picks among the module's files by index (modulo their number). */
    public sealed interface Op permits Write, Read, Ioctl, WriteRead {
        int file();
    }

    /** open(O_WRONLY), one write(2) of {@code data}, close. */
    public record Write(int file, byte[] data) implements Op {
    }

    /** open(O_RDONLY), read(2)s of up to {@code size} bytes in all, close. */
    public record Read(int file, int size) implements Op {
    }

    /**
     * open(O_RDWR), one ioctl(2): {@code buffer} non-null for a command with a direction and a
     * size (a user buffer with those bytes), else {@code arg} itself; close.
     */
    public record Ioctl(int file, int cmd, long arg, byte[] buffer) implements Op {
    }

    /** open(O_RDWR), write {@code data}, lseek to 0, read {@code size} bytes, close. */
    public record WriteRead(int file, byte[] data, int size) implements Op {
    }

    /** How inputs are laid out for one fuzzing configuration. */
    public record Layout(Set<Target> targets, List<Params.Declared> params) {
        public Layout {
            targets = Set.copyOf(targets);
            params = List.copyOf(params);
        }
    }

    /** Decodes {@code data} for {@code layout}. */
    public static Program decode(byte[] data, Layout layout) {
        FuzzInput in = new FuzzInput(data);
        byte[] faults = layout.targets().contains(Target.FAULTS) ? in.bytes(FAULT_POINTS) : new byte[0];
        String args = "";
        if (layout.targets().contains(Target.PARAMS)) {
            StringBuilder sb = new StringBuilder();
            for (Params.Declared p : layout.params()) {
                String v = value(in, p);
                if (v != null) {
                    if (!sb.isEmpty()) {
                        sb.append(' ');
                    }
                    sb.append(p.name()).append('=').append(v);
                }
            }
            args = sb.toString();
        }
        List<Op> ops = new ArrayList<>();
        if (layout.targets().contains(Target.FILES)) {
            int n = in.u8() % (MAX_OPS + 1);
            for (int i = 0; i < n && in.remaining() > 0; i++) {
                ops.add(op(in));
            }
        }
        byte[] harness = layout.targets().contains(Target.HARNESS) ? in.rest() : new byte[0];
        return new Program(faults, args, List.copyOf(ops), harness);
    }

    private static Op op(FuzzInput in) {
        int kind = in.u8() % 4;
        int file = in.u8();
        return switch (kind) {
            case 0 -> new Write(file, in.lengthPrefixed(255));
            case 1 -> new Read(file, 1 + in.u8() * 16);
            case 2 -> {
                int cmd = in.int32();
                int size = (cmd >>> 16) & 0x3fff;
                int dir = cmd >>> 30;
                if (dir != 0 && size != 0) {
                    yield new Ioctl(file, cmd, 0, in.bytes(Math.min(size, 4096)));
                }
                yield new Ioctl(file, cmd, in.int64(), null);
            }
            default -> new WriteRead(file, in.lengthPrefixed(255), 1 + in.u8() * 16);
        };
    }

    /** A parameter's value: null (default), typed, or raw. */
    private static String value(FuzzInput in, Params.Declared p) {
        int ctl = in.u8();
        String type = p.type();
        if (ctl % 4 == 0) {
            return null;
        }
        if (ctl % 4 == 3 || type.equals("custom")) {
            return raw(in);
        }
        if (type.startsWith("array of ")) {
            String elem = type.substring("array of ".length());
            int n = 1 + in.u8() % Math.max(1, p.maxElements() + 1);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(typed(in, elem, 0));
            }
            return sb.toString();
        }
        return typed(in, type, p.maxlen());
    }

    private static String typed(FuzzInput in, String type, int maxlen) {
        return switch (type) {
            case "bool", "bool_enable_only", "invbool", "bint" -> new String[] {"y", "n", "1", "0", "Y", "N"}[in.u8() % 6];
            case "byte" -> Integer.toString(in.u8());
            case "short" -> Short.toString((short) in.le(2));
            case "ushort" -> Integer.toString((int) in.le(2));
            case "int" -> Integer.toString(in.int32());
            case "uint" -> Integer.toUnsignedString(in.int32());
            case "long" -> Long.toString(in.int64());
            case "ulong", "ullong" -> Long.toUnsignedString(in.int64());
            case "hexint" -> "0x" + Integer.toHexString(in.int32());
            case "string" -> quote(in.string(Math.max(1, maxlen + 4)));
            default -> quote(in.string(MAX_STRING));
        };
    }

    /** Raw bytes as the value: 7-bit characters, NULs dropped (they would end the argument string). */
    private static String raw(FuzzInput in) {
        byte[] b = in.lengthPrefixed(MAX_STRING);
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            int c = x & 0x7f;
            if (c != 0) {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    /** A string value as insmod passes it: in double quotes when it has spaces (parse_args strips them). */
    private static String quote(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            int v = c & 0x7f;
            if (v != 0 && v != '"') {
                sb.append((char) v);
            }
        }
        String t = sb.toString();
        return t.isEmpty() || t.chars().anyMatch(Character::isWhitespace) ? '"' + t + '"' : t;
    }

    /** What the program does, for reports: parameters, fault plan, operations with their files. */
    public List<String> describe(List<String> files) {
        List<String> out = new ArrayList<>();
        out.add("params: " + (args.isEmpty() ? "(defaults)" : args));
        if (faults.length > 0) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < faults.length; i++) {
                if (faults[i] != 0) {
                    sb.append(sb.isEmpty() ? "" : ", ").append("#").append(i).append('=').append(faults[i] & 0xff);
                }
            }
            out.add("fail points: " + (sb.isEmpty() ? "(none)" : sb));
        }
        for (Op op : ops) {
            String f = files.isEmpty() ? "(no file)" : files.get(op.file() % files.size());
            out.add(switch (op) {
                case Write w -> "write " + f + " " + text(w.data());
                case Read r -> "read " + f + " (" + r.size() + " bytes)";
                case Ioctl i -> String.format("ioctl %s 0x%08x %s", f, i.cmd(),
                        i.buffer() != null ? text(i.buffer()) : "0x" + Long.toHexString(i.arg()));
                case WriteRead wr -> "write+read " + f + " " + text(wr.data()) + " (" + wr.size() + " bytes back)";
            });
        }
        if (harness.length > 0) {
            out.add("harness: " + harness.length + " bytes " + text(harness));
        }
        return out;
    }

    /** Bytes as a C-ish string literal with their count: {@code "KMOD\x01..." (17 bytes)}. */
    static String text(byte[] b) {
        StringBuilder sb = new StringBuilder("\"");
        int n = Math.min(b.length, 48);
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                sb.append((char) c);
            } else if (c == '\n') {
                sb.append("\\n");
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        sb.append(b.length > n ? "\"..." : "\"");
        return sb + " (" + b.length + " bytes)";
    }

    /** The UTF-8 bytes of the parameter string (what init's argument string holds). */
    public byte[] argsBytes() {
        return args.getBytes(StandardCharsets.UTF_8);
    }
}
