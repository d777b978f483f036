package dev.kmodemu.fuzz;

import dev.kmodemu.emu.Disassembler;
import dev.kmodemu.loader.Elf;
import dev.kmodemu.loader.ElfFile;
import dev.kmodemu.loader.ModuleFormatException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tokens the mutator inserts into inputs: what the module compares things with. Taken from the
 * module itself: the immediate operands of its {@code cmp}, {@code test}, {@code sub} and wide
 * {@code mov} instructions (little-endian in the operand's width, one more and one less, and as
 * decimal text), its read-only strings, and, while fuzzing, both operands of the string and
 * memory comparisons it makes through kernel functions
 * ({@link dev.kmodemu.kstubs.Comparisons}).
 */
final class Dictionary {
    static final int MAX_STATIC = 2048;
    static final int MAX_DYNAMIC = 512;
    private static final Pattern IMMEDIATE = Pattern.compile("^\\$(-?)(0x[0-9a-f]+|[0-9]+)");

    private final List<byte[]> tokens = new ArrayList<>();
    private final Set<String> seen = new HashSet<>();
    private int dynamic;

    /** The tokens of a module image (its ELF bytes); unreadable parts are skipped. */
    static Dictionary of(byte[] image) {
        Dictionary d = new Dictionary();
        ElfFile elf;
        try {
            elf = ElfFile.parse(image);
        } catch (ModuleFormatException e) {
            return d;
        }
        for (ElfFile.Section s : elf.sections()) {
            if (s.type() == Elf.SHT_NOBITS || s.size() == 0) {
                continue;
            }
            if ((s.flags() & Elf.SHF_EXECINSTR) != 0) {
                d.immediates(elf.contents(s));
            } else if (s.name().startsWith(".rodata")) {
                d.strings(elf.contents(s));
            }
        }
        return d;
    }

    private void immediates(byte[] code) {
        Disassembler dis;
        try {
            dis = Disassembler.get();
        } catch (LinkageError e) {
            return; // without Capstone, strings and runtime comparisons still feed the dictionary
        }
        for (Disassembler.Insn insn : dis.disassemble(code, 0, 0)) {
            String m = insn.mnemonic();
            boolean wanted = m.startsWith("cmp") || m.startsWith("test") || m.startsWith("sub") || m.startsWith("movabs")
                    || m.startsWith("mov") && !m.startsWith("movz") && !m.startsWith("movs");
            if (!wanted) {
                continue;
            }
            Matcher x = IMMEDIATE.matcher(insn.operands());
            if (!x.find()) {
                continue;
            }
            long v;
            try {
                v = x.group(2).startsWith("0x") ? Long.parseUnsignedLong(x.group(2).substring(2), 16)
                        : Long.parseLong(x.group(2));
            } catch (NumberFormatException e) {
                continue;
            }
            if (!x.group(1).isEmpty()) {
                v = -v;
            }
            if (m.startsWith("mov") && Math.abs(v) < 0x10000) {
                continue; // small constants being loaded are rarely what input is checked against
            }
            number(v);
        }
    }

    /** A number the module compares with: its encodings, its neighbours, its text. */
    private void number(long v) {
        if (v >= -1 && v <= 1) {
            return;
        }
        for (long n : new long[] {v, v + 1, v - 1}) {
            int width = n >= -128 && n <= 255 ? 1 : n >= -32768 && n <= 65535 ? 2
                    : n >= Integer.MIN_VALUE && n <= 0xffffffffL ? 4 : 8;
            byte[] b = new byte[width];
            for (int i = 0; i < width; i++) {
                b[i] = (byte) (n >>> (8 * i));
            }
            add(b);
            if (width < 4) {
                add(new byte[] {(byte) n, (byte) (n >>> 8), (byte) (n >>> 16), (byte) (n >>> 24)});
            }
            add(Long.toString(n).getBytes(StandardCharsets.US_ASCII));
        }
    }

    private void strings(byte[] data) {
        int start = 0;
        for (int i = 0; i <= data.length; i++) {
            if (i == data.length || data[i] == 0) {
                int len = i - start;
                if (len >= 3 && len <= 64 && printable(data, start, i)) {
                    byte[] t = java.util.Arrays.copyOfRange(data, start, i);
                    add(t);
                }
                start = i + 1;
            }
        }
    }

    private static boolean printable(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            int c = b[i] & 0xff;
            if ((c < 0x20 || c > 0x7e) && c != '\n' && c != '\t') {
                return false;
            }
        }
        return true;
    }

    private synchronized boolean add(byte[] t) {
        if (t.length == 0 || tokens.size() >= MAX_STATIC + MAX_DYNAMIC) {
            return false;
        }
        String key = java.util.HexFormat.of().formatHex(t);
        if (!seen.add(key)) {
            return false;
        }
        tokens.add(t);
        return true;
    }

    /** Adds an operand seen in a comparison at run time (up to {@link #MAX_DYNAMIC} of them). */
    void observed(byte[] t) {
        if (t.length == 0 || t.length > 64 || dynamic >= MAX_DYNAMIC) {
            return;
        }
        if (add(t)) {
            synchronized (this) {
                dynamic++;
            }
        }
    }

    synchronized int size() {
        return tokens.size();
    }

    /** A random token, or null if there is none. */
    synchronized byte[] pick(SplittableRandom r) {
        return tokens.isEmpty() ? null : tokens.get(r.nextInt(tokens.size()));
    }

    /** Token {@code i} (for the deterministic stage). */
    synchronized byte[] get(int i) {
        return tokens.get(i);
    }
}
