package dev.kmodemu.loader.kmod;

import dev.kmodemu.loader.Elf;
import dev.kmodemu.loader.ElfFile;
import dev.kmodemu.loader.ModuleFormatException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A module file as libkmod sees it ({@code libkmod/libkmod-elf.c} and {@code libkmod-file.c}):
 * {@code kmod_elf_new()}'s own header checks with their errno values (ENOEXEC for a non-ELF file,
 * EINVAL for a truncated or inconsistent one), then sections found by name, the
 * {@code .modinfo} strings, the exported symbols ({@code __crc_*} symbols with their CRCs, else
 * {@code __ksymtab_strings}) and the dependency symbols (undefined symbols with their
 * {@code __versions} CRCs, then the unreferenced {@code __versions} entries such as
 * {@code module_layout}). Section headers come from {@link ElfFile}; a file the kernel's
 * checks refuse but kmod's accept (another architecture, not ET_REL) yields no sections.
 */
final class KmodElf {
    /** kmod's {@code enum kmod_symbol_bind}. */
    static final char BIND_NONE = '\0';
    static final char BIND_LOCAL = 'L';
    static final char BIND_GLOBAL = 'G';
    static final char BIND_WEAK = 'W';
    static final char BIND_UNDEF = 'U';

    /** A symbol kmod lists: name, CRC and binding. */
    record Symbol(String name, long crc, char bind) {
    }

    private static final byte[] XZ_MAGIC = {(byte) 0xfd, '7', 'z', 'X', 'Z', 0};
    private static final byte[] ZSTD_MAGIC = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};

    private final byte[] data;
    private final ElfFile elf;

    private KmodElf(byte[] data, ElfFile elf) {
        this.data = data;
        this.elf = elf;
    }

    private static boolean startsWith(byte[] d, byte[] magic) {
        if (d.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (d[i] != magic[i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code kmod_file_open()} would decompress this file (xz or zstd magic). */
    static boolean compressed(byte[] d) {
        return startsWith(d, XZ_MAGIC) || startsWith(d, ZSTD_MAGIC);
    }

    /**
     * {@code kmod_file_open()} + {@code kmod_elf_new()} on the file contents.
     *
     * @throws ErrnoException EINVAL for an empty file (mmap fails) or a header kmod rejects,
     *         ENOEXEC for a file that is not ELF. xz/zstd-compressed files are not decompressed
     *         and so end here as ENOEXEC, as with a kmod built without that compression.
     */
    static KmodElf parse(byte[] d) throws ErrnoException {
        if (d.length == 0) {
            throw new ErrnoException(KmodStrings.EINVAL);
        }
        // elf_identify()
        if (d.length <= 16 || d[0] != 0x7f || d[1] != 'E' || d[2] != 'L' || d[3] != 'F') {
            throw new ErrnoException(KmodStrings.ENOEXEC);
        }
        boolean is64;
        switch (d[4]) {
            case 1 -> is64 = false;
            case 2 -> is64 = true;
            default -> throw new ErrnoException(KmodStrings.EINVAL);
        }
        int hdrSize = is64 ? 64 : 52;
        int shdrSize = is64 ? 64 : 40;
        if (d.length <= hdrSize || (d[5] != 1 && d[5] != 2)) {
            throw new ErrnoException(KmodStrings.EINVAL);
        }
        boolean msb = d[5] == 2;
        int shentsize = (int) uint(d, is64 ? 58 : 46, 2, msb);
        int shnum = (int) uint(d, is64 ? 60 : 48, 2, msb);
        int shstrndx = (int) uint(d, is64 ? 62 : 50, 2, msb);
        long shoff = uint(d, is64 ? 40 : 32, is64 ? 8 : 4, msb);
        if (shentsize != shdrSize || (long) hdrSize + (long) shdrSize * shnum >= d.length) {
            throw new ErrnoException(KmodStrings.EINVAL);
        }
        // The section name table must exist, lie in the file and end in NUL.
        long hdr = shoff + (long) shstrndx * shdrSize;
        if (shstrndx == 0 || shstrndx >= shnum || hdr < 0 || hdr + shdrSize > d.length) {
            throw new ErrnoException(KmodStrings.EINVAL);
        }
        long strOff = uint(d, (int) hdr + (is64 ? 24 : 16), is64 ? 8 : 4, msb);
        long strSize = uint(d, (int) hdr + (is64 ? 32 : 20), is64 ? 8 : 4, msb);
        if (strOff < 0 || strSize <= 0 || strOff + strSize > d.length || d[(int) (strOff + strSize - 1)] != 0) {
            throw new ErrnoException(KmodStrings.EINVAL);
        }
        ElfFile parsed;
        try {
            parsed = ElfFile.parse(d);
        } catch (ModuleFormatException e) {
            parsed = null;
        }
        return new KmodElf(d, parsed);
    }

    private static long uint(byte[] d, int off, int size, boolean msb) {
        long v = 0;
        for (int i = 0; i < size; i++) {
            int b = d[off + (msb ? i : size - 1 - i)] & 0xff;
            v = (v << 8) | b;
        }
        return v;
    }

    /** {@code kmod_elf_get_section()}: the first section of that name, or null ({@code -ENOENT}). */
    private ElfFile.Section section(String name) {
        return elf == null ? null : elf.findAnySec(name);
    }

    private int u16(int off) {
        return (data[off] & 0xff) | ((data[off + 1] & 0xff) << 8);
    }

    private long u32(int off) {
        return u16(off) | ((long) u16(off + 2) << 16);
    }

    private long u64(int off) {
        return u32(off) | (u32(off + 4) << 32);
    }

    private String cstring(int from) {
        int end = from;
        while (end < data.length && data[end] != 0) {
            end++;
        }
        return KmodStrings.latin1(data, from, end - from);
    }

    /**
     * {@code kmod_elf_get_strings(".modinfo")}: the non-empty NUL-separated strings.
     *
     * @throws ErrnoException ENOENT without a .modinfo section
     */
    List<String> modinfo() throws ErrnoException {
        ElfFile.Section s = section(".modinfo");
        if (s == null) {
            throw new ErrnoException(KmodStrings.ENOENT);
        }
        return strings(s);
    }

    private List<String> strings(ElfFile.Section s) {
        List<String> out = new ArrayList<>();
        if (s.type() == Elf.SHT_NOBITS) {
            return out;
        }
        int from = (int) s.offset();
        int end = (int) (s.offset() + s.size());
        int i = from;
        while (i < end) {
            if (data[i] == 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < end && data[i] != 0) {
                i++;
            }
            out.add(KmodStrings.latin1(data, start, i - start));
        }
        return out;
    }

    /**
     * {@code kmod_elf_get_symbols()}: the {@code __crc_}-prefixed symbols of {@code .symtab}
     * (name without the prefix, st_value as CRC, binding), or, when there are none or the table is
     * malformed, the strings of {@code __ksymtab_strings} with CRC 0.
     *
     * @throws ErrnoException ENOENT when neither exists
     */
    List<Symbol> symbols() throws ErrnoException {
        ElfFile.Section strtab = section(".strtab");
        ElfFile.Section symtab = section(".symtab");
        if (strtab != null && symtab != null && symtab.size() % Elf.SYM_SIZE == 0) {
            List<Symbol> out = new ArrayList<>();
            int n = (int) (symtab.size() / Elf.SYM_SIZE);
            boolean ok = true;
            for (int i = 1; i < n; i++) {
                int o = (int) symtab.offset() + i * Elf.SYM_SIZE;
                long nameOff = u32(o);
                if (nameOff >= strtab.size()) {
                    ok = false;
                    break;
                }
                int name = (int) (strtab.offset() + nameOff);
                if (hasCrcPrefix(name)) {
                    int bind = (data[o + 4] & 0xff) >>> 4;
                    char b = switch (bind) {
                        case Elf.STB_LOCAL -> BIND_LOCAL;
                        case Elf.STB_GLOBAL -> BIND_GLOBAL;
                        case Elf.STB_WEAK -> BIND_WEAK;
                        default -> BIND_NONE;
                    };
                    out.add(new Symbol(cstring(name + 6), resolveCrc(u64(o + 8), u16(o + 6)), b));
                }
            }
            if (ok && !out.isEmpty()) {
                return out;
            }
        }
        ElfFile.Section ks = section("__ksymtab_strings");
        if (ks == null) {
            throw new ErrnoException(KmodStrings.ENOENT);
        }
        List<Symbol> out = new ArrayList<>();
        for (String s : strings(ks)) {
            out.add(new Symbol(s, 0, BIND_GLOBAL));
        }
        return out;
    }

    /**
     * {@code kmod_elf_resolve_crc()}: an absolute {@code __crc_} symbol's value is the CRC; one
     * defined in a section (modpost's {@code __kcrctab} since 5.x) points at the 32-bit CRC there.
     * An offset outside the section gives {@code (uint64_t)-1}.
     */
    private long resolveCrc(long value, int shndx) {
        if (shndx == Elf.SHN_ABS || shndx == Elf.SHN_UNDEF) {
            return value;
        }
        if (elf == null || shndx >= elf.sections().size()) {
            return -1L;
        }
        ElfFile.Section sec = elf.sections().get(shndx);
        if (sec.size() < 4 || Long.compareUnsigned(value, sec.size() - 4) > 0) {
            return -1L;
        }
        return u32((int) (sec.offset() + value));
    }

    private boolean hasCrcPrefix(int at) {
        return at + 6 <= data.length && data[at] == '_' && data[at + 1] == '_' && data[at + 2] == 'c'
                && data[at + 3] == 'r' && data[at + 4] == 'c' && data[at + 5] == '_';
    }

    /**
     * {@code kmod_elf_get_dependency_symbols()}: every named undefined symbol in {@code .symtab}
     * order (binding WEAK or UNDEF, CRC from {@code __versions} or 0), then the {@code __versions}
     * entries no symbol referred to.
     *
     * @throws ErrnoException EINVAL without {@code .symtab}/{@code .strtab} or with a name
     *         outside {@code .strtab}
     */
    List<Symbol> dependencySymbols() throws ErrnoException {
        ElfFile.Section versions = section("__versions");
        int verCount = 0;
        if (versions != null && versions.size() % 64 == 0 && versions.type() != Elf.SHT_NOBITS) {
            verCount = (int) (versions.size() / 64);
        }
        ElfFile.Section strtab = section(".strtab");
        ElfFile.Section symtab = section(".symtab");
        if (strtab == null || symtab == null || symtab.size() % Elf.SYM_SIZE != 0) {
            throw new ErrnoException(KmodStrings.EINVAL);
        }
        Map<String, Integer> versionIndex = new HashMap<>();
        for (int i = verCount - 1; i >= 0; i--) {
            versionIndex.put(cstring((int) versions.offset() + i * 64 + 8), i);
        }
        boolean[] visited = new boolean[verCount];
        List<Symbol> out = new ArrayList<>();
        int n = (int) (symtab.size() / Elf.SYM_SIZE);
        for (int i = 1; i < n; i++) {
            int o = (int) symtab.offset() + i * Elf.SYM_SIZE;
            if (u16(o + 6) != Elf.SHN_UNDEF) {
                continue;
            }
            long nameOff = u32(o);
            if (nameOff >= strtab.size()) {
                throw new ErrnoException(KmodStrings.EINVAL);
            }
            String name = cstring((int) (strtab.offset() + nameOff));
            if (name.isEmpty()) {
                continue;
            }
            Integer v = versionIndex.get(name);
            long crc = 0;
            if (v != null) {
                visited[v] = true;
                crc = u64((int) versions.offset() + v * 64);
            }
            char bind = ((data[o + 4] & 0xff) >>> 4) == Elf.STB_WEAK ? BIND_WEAK : BIND_UNDEF;
            out.add(new Symbol(name, crc, bind));
        }
        for (int i = 0; i < verCount; i++) {
            if (!visited[i]) {
                int at = (int) versions.offset() + i * 64;
                out.add(new Symbol(cstring(at + 8), u64(at), BIND_UNDEF));
            }
        }
        return out;
    }
}
