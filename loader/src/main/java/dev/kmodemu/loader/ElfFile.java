package dev.kmodemu.loader;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static dev.kmodemu.loader.ModuleFormatException.LogLine;

/**
 * A bounds-checked view of an ELF64 little-endian relocatable file. Construction runs the checks
 * of the kernel's {@code elf_validity_check()} in its order and with its messages, so a file this
 * class accepts is one the kernel would go on to load; every later read stays inside the file.
 */
public final class ElfFile {
    /** One section header. {@code name} is resolved through the section name table. */
    public record Section(int index, String name, int type, long flags, long addr, long offset, long size, int link,
            int info, long addralign, long entsize) {
        public boolean alloc() {
            return (flags & Elf.SHF_ALLOC) != 0;
        }
    }

    /** One symbol table entry. */
    public record Symbol(int index, String name, int info, int other, int shndx, long value, long size) {
        public int bind() {
            return info >>> 4;
        }

        public int type() {
            return info & 0xf;
        }
    }

    /** One RELA entry. */
    public record Rela(long offset, int symbol, int type, long addend) {
    }

    private static final int PR_ERR = 3;

    private final byte[] data;
    private final ByteBuffer buf;
    private final int type;
    private final int machine;
    private final List<Section> sections;

    private ElfFile(byte[] data) throws ModuleFormatException {
        this.data = data;
        this.buf = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        long len = data.length;
        if (len < Elf.EHDR_SIZE) {
            throw new ModuleFormatException(Elf.ENOEXEC, PR_ERR, "Invalid ELF header len " + len);
        }
        if (data[0] != 0x7f || data[1] != 'E' || data[2] != 'L' || data[3] != 'F') {
            throw new ModuleFormatException(Elf.ENOEXEC, PR_ERR, "Invalid ELF header magic: != \u007fELF");
        }
        type = u16(16);
        if (type != Elf.ET_REL) {
            throw new ModuleFormatException(Elf.ENOEXEC, PR_ERR,
                    "Invalid ELF header type: " + type + " != " + Elf.ET_REL);
        }
        machine = u16(18);
        if (machine != Elf.EM_X86_64) {
            throw new ModuleFormatException(Elf.ENOEXEC, PR_ERR, "Invalid architecture in ELF header: " + machine);
        }
        int shentsize = u16(58);
        if (shentsize != Elf.SHDR_SIZE) {
            throw new ModuleFormatException(Elf.ENOEXEC, PR_ERR, "Invalid ELF section header size");
        }
        long shoff = buf.getLong(40);
        int shnum = u16(60);
        if (Long.compareUnsigned(shoff, len) >= 0 || (long) shnum * Elf.SHDR_SIZE > len - shoff) {
            throw new ModuleFormatException(Elf.ENOEXEC, PR_ERR, "Invalid ELF section header overflow");
        }
        int shstrndx = u16(62);
        if (shstrndx == Elf.SHN_UNDEF || shstrndx >= shnum) {
            throw new ModuleFormatException(Elf.ENOEXEC, PR_ERR, "Invalid ELF section name index: " + shstrndx
                    + " || e_shstrndx (" + shstrndx + ") >= e_shnum (" + shnum + ")");
        }
        long[][] raw = new long[shnum][];
        for (int i = 0; i < shnum; i++) {
            int o = (int) (shoff + (long) i * Elf.SHDR_SIZE);
            raw[i] = new long[] {u32(o), u32(o + 4), buf.getLong(o + 8), buf.getLong(o + 16), buf.getLong(o + 24),
                buf.getLong(o + 32), u32(o + 40), u32(o + 44), buf.getLong(o + 48), buf.getLong(o + 56)};
        }
        long[] str = raw[shstrndx];
        if (!sectionInFile(str)) {
            throw new ModuleFormatException(Elf.ENOEXEC, PR_ERR, "Invalid ELF section hdr(type " + str[1] + ")");
        }
        if (str[5] == 0) {
            throw new ModuleFormatException(Elf.ENOEXEC, PR_ERR, "empty section name table");
        }
        if (data[(int) (str[4] + str[5] - 1)] != 0) {
            throw new ModuleFormatException(Elf.ENOEXEC, PR_ERR,
                    "ELF Spec violation: section name table isn't null terminated");
        }
        long[] s0 = raw[0];
        if (s0[1] != Elf.SHT_NULL || s0[5] != 0 || s0[3] != 0) {
            throw new ModuleFormatException(Elf.ENOEXEC, PR_ERR, "ELF Spec violation: section 0 type(" + s0[1]
                    + ")!=SH_NULL or non-zero len or addr");
        }
        for (int i = 1; i < shnum; i++) {
            long[] s = raw[i];
            if (s[1] == Elf.SHT_NULL || s[1] == Elf.SHT_NOBITS) {
                continue;
            }
            if (s[1] == Elf.SHT_SYMTAB && (s[6] == Elf.SHN_UNDEF || s[6] >= shnum)) {
                throw new ModuleFormatException(Elf.ENOEXEC, PR_ERR, "Invalid ELF sh_link!=SHN_UNDEF(" + s[6]
                        + ") or (sh_link(" + s[6] + ") >= hdr->e_shnum(" + shnum + ")");
            }
            if (!sectionInFile(s)) {
                throw new ModuleFormatException(Elf.ENOEXEC, PR_ERR,
                        "Invalid ELF section in module (section " + i + " type " + s[1] + ")");
            }
            if ((s[2] & Elf.SHF_ALLOC) != 0 && s[0] >= str[5]) {
                throw new ModuleFormatException(Elf.ENOEXEC, PR_ERR,
                        "Invalid ELF section name in module (section " + i + " type " + s[1] + ")");
            }
        }
        List<Section> list = new ArrayList<>(shnum);
        for (int i = 0; i < shnum; i++) {
            long[] s = raw[i];
            String name = s[0] < str[5] ? cstring(str[4] + s[0], str[4] + str[5]) : "";
            list.add(new Section(i, name, (int) s[1], s[2], s[3], s[4], s[5], (int) s[6], (int) s[7], s[8], s[9]));
        }
        sections = Collections.unmodifiableList(list);
    }

    /**
     * Parses and validates a module image as {@code elf_validity_check()} does.
     *
     * @throws ModuleFormatException with the kernel's message for the first problem found
     */
    public static ElfFile parse(byte[] data) throws ModuleFormatException {
        return new ElfFile(data);
    }

    private boolean sectionInFile(long[] s) {
        long off = s[4];
        long end = off + s[5];
        return Long.compareUnsigned(end, off) >= 0 && Long.compareUnsigned(end, data.length) <= 0;
    }

    private int u16(int off) {
        return buf.getShort(off) & 0xffff;
    }

    private long u32(int off) {
        return buf.getInt(off) & 0xffffffffL;
    }

    private String cstring(long from, long limit) {
        int end = (int) from;
        while (end < limit && data[end] != 0) {
            end++;
        }
        return new String(data, (int) from, end - (int) from, StandardCharsets.ISO_8859_1);
    }

    public int machine() {
        return machine;
    }

    public int size() {
        return data.length;
    }

    public List<Section> sections() {
        return sections;
    }

    /** The first section named {@code name} with SHF_ALLOC, as the kernel's {@code find_sec()}; null if none. */
    public Section findSec(String name) {
        for (int i = 1; i < sections.size(); i++) {
            Section s = sections.get(i);
            if (s.alloc() && s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    /** The first section named {@code name}, allocated or not; null if none. */
    public Section findAnySec(String name) {
        for (int i = 1; i < sections.size(); i++) {
            if (sections.get(i).name().equals(name)) {
                return sections.get(i);
            }
        }
        return null;
    }

    /** A copy of a section's bytes ({@code SHT_NOBITS} sections read as empty). */
    public byte[] contents(Section s) {
        if (s.type() == Elf.SHT_NOBITS || s.type() == Elf.SHT_NULL) {
            return new byte[0];
        }
        byte[] b = new byte[(int) s.size()];
        System.arraycopy(data, (int) s.offset(), b, 0, b.length);
        return b;
    }

    /** The raw file. */
    public byte[] bytes() {
        return data;
    }

    /** A NUL-terminated string inside section {@code strtab} at {@code off}, "" if out of range. */
    public String string(Section strtab, long off) {
        if (strtab == null || off < 0 || off >= strtab.size() || strtab.type() == Elf.SHT_NOBITS) {
            return "";
        }
        return cstring(strtab.offset() + off, strtab.offset() + strtab.size());
    }

    /** The entries of a symbol table section, names resolved through its linked string table. */
    public List<Symbol> symbols(Section symtab) {
        Section strtab = symtab.link() < sections.size() ? sections.get(symtab.link()) : null;
        int n = (int) (symtab.size() / Elf.SYM_SIZE);
        List<Symbol> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int o = (int) (symtab.offset() + (long) i * Elf.SYM_SIZE);
            long nameOff = u32(o);
            out.add(new Symbol(i, string(strtab, nameOff), data[o + 4] & 0xff, data[o + 5] & 0xff, u16(o + 6),
                    buf.getLong(o + 8), buf.getLong(o + 16)));
        }
        return out;
    }

    /** The entries of a RELA section. */
    public List<Rela> relas(Section rela) {
        int n = (int) (rela.size() / Elf.RELA_SIZE);
        List<Rela> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int o = (int) (rela.offset() + (long) i * Elf.RELA_SIZE);
            long info = buf.getLong(o + 8);
            out.add(new Rela(buf.getLong(o), (int) (info >>> 32), (int) info, buf.getLong(o + 16)));
        }
        return out;
    }

    /** Kernel-log line helper for callers building their own errors. */
    static LogLine err(String text) {
        return new LogLine(PR_ERR, text);
    }
}
