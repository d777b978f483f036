package dev.kmodemu.loader;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The DWARF line number program of a module's {@code .debug_line} (DWARF 2 to 5, 32- and 64-bit
 * formats), decoded into rows of the line table as DWARF 5 section 6.2 defines its state machine.
 * A module is a relocatable file, so the addresses in {@code DW_LNE_set_address} and the string
 * offsets of {@code DW_FORM_line_strp}/{@code DW_FORM_strp} are relocation targets: they are read
 * through {@code .rela.debug_line} and each sequence is given as offsets into the ELF section its
 * address relocation names ({@code .text}, {@code .init.text}, {@code .exit.text}, ...).
 *
 * <p>Every read is bounds-checked; a malformed program raises {@link Malformed} naming the offset.
 */
public final class DebugLine {
    /** A line table row: {@code offset} into the sequence's section, a file index into {@link Unit#files()}. */
    public record Row(long offset, int file, int line, boolean stmt) {
    }

    /**
     * One sequence of rows (a contiguous run of machine code): {@code section} is the ELF section
     * index its start address is relative to (0 for an absolute address), {@code end} the offset
     * just past its last instruction.
     */
    public record Sequence(int section, List<Row> rows, long end) {
        public Sequence {
            rows = List.copyOf(rows);
        }
    }

    /**
     * One line number program (one compilation unit): its file names as absolute paths where the
     * directory table allows (index as the rows use it), its primary source file and its sequences.
     */
    public record Unit(List<String> files, String primaryFile, List<Sequence> sequences) {
        public Unit {
            files = List.copyOf(files);
            sequences = List.copyOf(sequences);
        }
    }

    /** A {@code .debug_line} that cannot be decoded. */
    public static final class Malformed extends Exception {
        public Malformed(String message) {
            super(message);
        }
    }

    private static final int DW_LNS_COPY = 1;
    private static final int DW_LNS_ADVANCE_PC = 2;
    private static final int DW_LNS_ADVANCE_LINE = 3;
    private static final int DW_LNS_SET_FILE = 4;
    private static final int DW_LNS_SET_COLUMN = 5;
    private static final int DW_LNS_NEGATE_STMT = 6;
    private static final int DW_LNS_SET_BASIC_BLOCK = 7;
    private static final int DW_LNS_CONST_ADD_PC = 8;
    private static final int DW_LNS_FIXED_ADVANCE_PC = 9;
    private static final int DW_LNE_END_SEQUENCE = 1;
    private static final int DW_LNE_SET_ADDRESS = 2;
    private static final int DW_LNE_DEFINE_FILE = 3;
    private static final int DW_LNCT_PATH = 1;
    private static final int DW_LNCT_DIRECTORY_INDEX = 2;
    private static final int DW_FORM_BLOCK = 0x09;
    private static final int DW_FORM_BLOCK1 = 0x0a;
    private static final int DW_FORM_DATA1 = 0x0b;
    private static final int DW_FORM_DATA2 = 0x05;
    private static final int DW_FORM_DATA4 = 0x06;
    private static final int DW_FORM_DATA8 = 0x07;
    private static final int DW_FORM_DATA16 = 0x1e;
    private static final int DW_FORM_STRING = 0x08;
    private static final int DW_FORM_STRP = 0x0e;
    private static final int DW_FORM_LINE_STRP = 0x1f;
    private static final int DW_FORM_UDATA = 0x0f;
    private static final int DW_FORM_STRX = 0x1a;
    private static final int DW_FORM_STRX1 = 0x25;
    private static final int DW_FORM_STRX2 = 0x26;
    private static final int DW_FORM_STRX3 = 0x27;
    private static final int DW_FORM_STRX4 = 0x28;

    /** A relocation target: the section of the symbol and the value symbol + addend. */
    private record Target(int section, long value) {
    }

    private final byte[] d;
    private final Map<Long, Target> relocs;
    private final byte[] lineStr;
    private final byte[] str;
    private int pos;

    private DebugLine(byte[] d, Map<Long, Target> relocs, byte[] lineStr, byte[] str) {
        this.d = d;
        this.relocs = relocs;
        this.lineStr = lineStr;
        this.str = str;
    }

    /**
     * The line programs of {@code elf}'s {@code .debug_line}, or an empty list if it has none
     * (a module built without debug information).
     */
    public static List<Unit> read(ElfFile elf) throws Malformed {
        ElfFile.Section line = elf.findAnySec(".debug_line");
        if (line == null || line.type() == Elf.SHT_NOBITS) {
            return List.of();
        }
        Map<Long, Target> relocs = new HashMap<>();
        ElfFile.Section symtab = null;
        for (ElfFile.Section s : elf.sections()) {
            if (s.type() == Elf.SHT_SYMTAB) {
                symtab = s;
            }
        }
        for (ElfFile.Section s : elf.sections()) {
            if (s.type() == Elf.SHT_RELA && s.info() == line.index() && symtab != null) {
                List<ElfFile.Symbol> syms = elf.symbols(symtab);
                for (ElfFile.Rela r : elf.relas(s)) {
                    if (r.symbol() >= syms.size()) {
                        throw new Malformed(".rela.debug_line: symbol index " + r.symbol() + " out of range");
                    }
                    ElfFile.Symbol sym = syms.get(r.symbol());
                    relocs.put(r.offset(), new Target(sym.shndx(), sym.value() + r.addend()));
                }
            }
        }
        ElfFile.Section ls = elf.findAnySec(".debug_line_str");
        ElfFile.Section ss = elf.findAnySec(".debug_str");
        DebugLine p = new DebugLine(elf.contents(line), relocs, ls == null ? new byte[0] : elf.contents(ls),
                ss == null ? new byte[0] : elf.contents(ss));
        List<Unit> units = new ArrayList<>();
        while (p.pos < p.d.length) {
            units.add(p.unit());
        }
        return units;
    }

    private Unit unit() throws Malformed {
        long start = pos;
        long length = u32();
        boolean dwarf64 = false;
        if (length == 0xffffffffL) {
            length = u64();
            dwarf64 = true;
        }
        if (length < 0 || pos + length > d.length) {
            throw new Malformed(".debug_line: unit at 0x" + Long.toHexString(start) + " runs past the section");
        }
        int end = (int) (pos + length);
        int version = u16();
        if (version < 2 || version > 5) {
            throw new Malformed(".debug_line: unit at 0x" + Long.toHexString(start) + " has DWARF version " + version);
        }
        int addressSize = 8;
        if (version >= 5) {
            addressSize = u8();
            u8(); // segment_selector_size
        }
        long headerLength = dwarf64 ? u64() : u32();
        int program = (int) (pos + headerLength);
        if (headerLength < 0 || program > end) {
            throw new Malformed(".debug_line: header of the unit at 0x" + Long.toHexString(start) + " is too long");
        }
        int minInsn = u8();
        if (version >= 4) {
            u8(); // maximum_operations_per_instruction (1 on x86)
        }
        boolean defaultStmt = u8() != 0;
        int lineBase = (byte) u8();
        int lineRange = u8();
        int opcodeBase = u8();
        if (lineRange == 0) {
            throw new Malformed(".debug_line: unit at 0x" + Long.toHexString(start) + " has line_range 0");
        }
        int[] opLengths = new int[Math.max(opcodeBase, 1)];
        for (int i = 1; i < opcodeBase; i++) {
            opLengths[i] = u8();
        }
        List<String> dirs = new ArrayList<>();
        List<String> files = new ArrayList<>();
        if (version >= 5) {
            for (String[] e : entries(dwarf64)) {
                dirs.add(e[0]);
            }
            for (String[] e : entries(dwarf64)) {
                files.add(join(dirs, e[1] == null ? 0 : Integer.parseInt(e[1]), e[0]));
            }
        } else {
            // DWARF 2-4: the compilation directory is not in this header; index 0 means it.
            dirs.add("");
            for (String s = cstr(); !s.isEmpty(); s = cstr()) {
                dirs.add(s);
            }
            files.add(null); // file numbers start at 1
            for (String s = cstr(); !s.isEmpty(); s = cstr()) {
                int dir = (int) uleb();
                uleb();
                uleb();
                files.add(join(dirs, dir, s));
            }
        }
        pos = program;
        List<Sequence> seqs = program(end, version, minInsn, defaultStmt, lineBase, lineRange, opcodeBase, opLengths,
                addressSize, files, dirs);
        pos = end;
        String primary = version >= 5 ? (files.isEmpty() ? null : files.get(0)) : (files.size() > 1 ? files.get(1) : null);
        return new Unit(files, primary, seqs);
    }

    private static String join(List<String> dirs, int dir, String name) {
        if (name.startsWith("/") || dir < 0 || dir >= dirs.size() || dirs.get(dir).isEmpty()) {
            return name;
        }
        String d = dirs.get(dir);
        if (!d.startsWith("/") && !dirs.isEmpty() && dirs.get(0).startsWith("/")) {
            d = dirs.get(0) + "/" + d;
        }
        return d + "/" + name;
    }

    /** A DWARF 5 directory or file name table: {path, directory index or null} per entry. */
    private List<String[]> entries(boolean dwarf64) throws Malformed {
        int formatCount = u8();
        int[][] format = new int[formatCount][2];
        for (int i = 0; i < formatCount; i++) {
            format[i][0] = (int) uleb();
            format[i][1] = (int) uleb();
        }
        long count = uleb();
        List<String[]> out = new ArrayList<>();
        for (long n = 0; n < count; n++) {
            String[] e = new String[2];
            for (int[] f : format) {
                int at = pos;
                Object v = form(f[1], dwarf64);
                if (f[0] == DW_LNCT_PATH) {
                    if (!(v instanceof String s)) {
                        throw new Malformed(".debug_line: a path at 0x" + Integer.toHexString(at) + " is not a string");
                    }
                    e[0] = s;
                } else if (f[0] == DW_LNCT_DIRECTORY_INDEX && v instanceof Long l) {
                    e[1] = Long.toString(l);
                }
            }
            if (e[0] == null) {
                throw new Malformed(".debug_line: a file entry without a path");
            }
            out.add(e);
        }
        return out;
    }

    /** One attribute value: a String, a Long, or null for blocks and hashes. */
    private Object form(int form, boolean dwarf64) throws Malformed {
        switch (form) {
            case DW_FORM_STRING:
                return cstr();
            case DW_FORM_LINE_STRP, DW_FORM_STRP: {
                long at = pos;
                long off = dwarf64 ? u64() : u32();
                Target t = relocs.get(at);
                if (t != null) {
                    off = t.value();
                }
                return cstrAt(form == DW_FORM_LINE_STRP ? lineStr : str, off);
            }
            case DW_FORM_UDATA:
                return uleb();
            case DW_FORM_DATA1:
                return (long) u8();
            case DW_FORM_DATA2:
                return (long) u16();
            case DW_FORM_DATA4:
                return u32();
            case DW_FORM_DATA8:
                return u64();
            case DW_FORM_DATA16:
                skip(16);
                return null;
            case DW_FORM_BLOCK:
                skip(uleb());
                return null;
            case DW_FORM_BLOCK1:
                skip(u8());
                return null;
            case DW_FORM_STRX, DW_FORM_STRX1, DW_FORM_STRX2, DW_FORM_STRX3, DW_FORM_STRX4:
                throw new Malformed(".debug_line: string index forms (DW_FORM_strx) need .debug_str_offsets, "
                        + "which split DWARF uses; not supported");
            default:
                throw new Malformed(".debug_line: unknown form 0x" + Integer.toHexString(form) + " at 0x"
                        + Integer.toHexString(pos));
        }
    }

    /** Runs the line number program up to {@code end}. */
    private List<Sequence> program(int end, int version, int minInsn, boolean defaultStmt, int lineBase, int lineRange,
            int opcodeBase, int[] opLengths, int addressSize, List<String> files, List<String> dirs) throws Malformed {
        List<Sequence> seqs = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        int firstFile = 1;
        long address = 0;
        int section = 0;
        int file = firstFile;
        int line = 1;
        boolean stmt = defaultStmt;
        while (pos < end) {
            int op = u8();
            if (op >= opcodeBase) {
                int adj = op - opcodeBase;
                address += (long) (adj / lineRange) * minInsn;
                line += lineBase + adj % lineRange;
                rows.add(new Row(address, file, line, stmt));
                continue;
            }
            switch (op) {
                case 0 -> {
                    long len = uleb();
                    int next = (int) (pos + len);
                    if (len <= 0 || next > end) {
                        throw new Malformed(".debug_line: extended opcode at 0x" + Integer.toHexString(pos)
                                + " runs past its unit");
                    }
                    int sub = u8();
                    switch (sub) {
                        case DW_LNE_END_SEQUENCE -> {
                            seqs.add(new Sequence(section, rows, address));
                            rows = new ArrayList<>();
                            address = 0;
                            section = 0;
                            file = firstFile;
                            line = 1;
                            stmt = defaultStmt;
                        }
                        case DW_LNE_SET_ADDRESS -> {
                            long at = pos;
                            long a = addressSize == 8 ? u64() : u32();
                            Target t = relocs.get(at);
                            if (t != null) {
                                section = t.section();
                                a = t.value();
                            } else {
                                section = 0;
                            }
                            address = a;
                        }
                        case DW_LNE_DEFINE_FILE -> {
                            String name = cstr();
                            int dir = (int) uleb();
                            files.add(join(dirs, dir, name));
                        }
                        default -> {
                            // DW_LNE_set_discriminator and vendor opcodes: nothing the table needs
                        }
                    }
                    pos = next;
                }
                case DW_LNS_COPY -> rows.add(new Row(address, file, line, stmt));
                case DW_LNS_ADVANCE_PC -> address += uleb() * minInsn;
                case DW_LNS_ADVANCE_LINE -> line += (int) sleb();
                case DW_LNS_SET_FILE -> file = (int) uleb();
                case DW_LNS_SET_COLUMN -> uleb();
                case DW_LNS_NEGATE_STMT -> stmt = !stmt;
                case DW_LNS_SET_BASIC_BLOCK -> {
                }
                case DW_LNS_CONST_ADD_PC -> address += (long) ((255 - opcodeBase) / lineRange) * minInsn;
                case DW_LNS_FIXED_ADVANCE_PC -> address += u16();
                default -> {
                    // DW_LNS_set_prologue_end, _set_epilogue_begin, _set_isa and unknown standard
                    // opcodes: skip their ULEB128 operands as the header says
                    for (int i = 0; i < opLengths[op]; i++) {
                        uleb();
                    }
                }
            }
        }
        for (Row r : rows) {
            if (r.file() < 0 || r.file() >= files.size() || files.get(r.file()) == null) {
                throw new Malformed(".debug_line: a row names file " + r.file() + ", which the table lacks");
            }
        }
        return seqs;
    }

    // ---------------------------------------------------------------- bounds-checked reads

    private void need(long n) throws Malformed {
        if (n < 0 || pos + n > d.length) {
            throw new Malformed(".debug_line: truncated at 0x" + Integer.toHexString(pos));
        }
    }

    private void skip(long n) throws Malformed {
        need(n);
        pos += (int) n;
    }

    private int u8() throws Malformed {
        need(1);
        return d[pos++] & 0xff;
    }

    private int u16() throws Malformed {
        need(2);
        int v = (d[pos] & 0xff) | (d[pos + 1] & 0xff) << 8;
        pos += 2;
        return v;
    }

    private long u32() throws Malformed {
        need(4);
        long v = (d[pos] & 0xffL) | (d[pos + 1] & 0xffL) << 8 | (d[pos + 2] & 0xffL) << 16 | (d[pos + 3] & 0xffL) << 24;
        pos += 4;
        return v;
    }

    private long u64() throws Malformed {
        long lo = u32();
        return lo | u32() << 32;
    }

    private long uleb() throws Malformed {
        long v = 0;
        for (int shift = 0;; shift += 7) {
            int b = u8();
            if (shift < 64) {
                v |= (long) (b & 0x7f) << shift;
            }
            if ((b & 0x80) == 0) {
                return v;
            }
        }
    }

    private long sleb() throws Malformed {
        long v = 0;
        int shift = 0;
        int b;
        do {
            b = u8();
            if (shift < 64) {
                v |= (long) (b & 0x7f) << shift;
            }
            shift += 7;
        } while ((b & 0x80) != 0);
        if (shift < 64 && (b & 0x40) != 0) {
            v |= -1L << shift;
        }
        return v;
    }

    private String cstr() throws Malformed {
        int e = pos;
        while (e < d.length && d[e] != 0) {
            e++;
        }
        if (e >= d.length) {
            throw new Malformed(".debug_line: unterminated string at 0x" + Integer.toHexString(pos));
        }
        String s = new String(d, pos, e - pos, StandardCharsets.UTF_8);
        pos = e + 1;
        return s;
    }

    private static String cstrAt(byte[] sec, long off) throws Malformed {
        if (off < 0 || off >= sec.length) {
            throw new Malformed(".debug_line: string offset 0x" + Long.toHexString(off) + " outside its section");
        }
        int e = (int) off;
        while (e < sec.length && sec[e] != 0) {
            e++;
        }
        return new String(sec, (int) off, e - (int) off, StandardCharsets.UTF_8);
    }
}
