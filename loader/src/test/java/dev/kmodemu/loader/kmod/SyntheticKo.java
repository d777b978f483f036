package dev.kmodemu.loader.kmod;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal x86-64 relocatable module for index tests: {@code .modinfo} strings, exports listed in
 * {@code __ksymtab_strings} (or as {@code __crc_} symbols), undefined (optionally weak) imports in
 * {@code .symtab} and a {@code __versions} table. Enough for kmod's depmod and for {@link Depmod};
 * nothing a kernel could load.
 */
final class SyntheticKo {
    private final List<String> modinfo = new ArrayList<>();
    private final List<String> exports = new ArrayList<>();
    private final List<String> crcExports = new ArrayList<>();
    private final List<String> imports = new ArrayList<>();
    private final List<String> weakImports = new ArrayList<>();
    private final List<String> versionNames = new ArrayList<>();
    private final List<Long> versionCrcs = new ArrayList<>();

    SyntheticKo modinfo(String... entries) {
        modinfo.addAll(List.of(entries));
        return this;
    }

    SyntheticKo exports(String... names) {
        exports.addAll(List.of(names));
        return this;
    }

    /** Exports as {@code __crc_NAME} symbols whose value kmod takes as the CRC. */
    SyntheticKo crcExports(String... names) {
        crcExports.addAll(List.of(names));
        return this;
    }

    SyntheticKo imports(String... names) {
        imports.addAll(List.of(names));
        return this;
    }

    SyntheticKo weakImports(String... names) {
        weakImports.addAll(List.of(names));
        return this;
    }

    SyntheticKo version(String name, long crc) {
        versionNames.add(name);
        versionCrcs.add(crc);
        return this;
    }

    private static byte[] nulJoined(List<String> strings) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (String s : strings) {
            b.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
            b.write(0);
        }
        return b.toByteArray();
    }

    byte[] build() {
        ByteArrayOutputStream strtab = new ByteArrayOutputStream();
        strtab.write(0);
        ByteBuffer sym = ByteBuffer.allocate(24 * (1 + imports.size() + weakImports.size() + crcExports.size()))
                .order(ByteOrder.LITTLE_ENDIAN);
        sym.position(24);
        for (int i = 0; i < crcExports.size(); i++) {
            addSym(sym, strtab, "__crc_" + crcExports.get(i), 0x00, 0xfff1, 4L * i);
        }
        for (String s : imports) {
            addSym(sym, strtab, s, 0x10, 0, 0);
        }
        for (String s : weakImports) {
            addSym(sym, strtab, s, 0x20, 0, 0);
        }
        ByteBuffer vers = ByteBuffer.allocate(64 * versionNames.size()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < versionNames.size(); i++) {
            vers.putLong(64 * i, versionCrcs.get(i));
            byte[] n = versionNames.get(i).getBytes(StandardCharsets.ISO_8859_1);
            vers.put(64 * i + 8, n);
        }
        List<String> names = new ArrayList<>(List.of("", ".modinfo", "__ksymtab_strings", ".symtab", ".strtab",
                ".shstrtab"));
        List<byte[]> contents = new ArrayList<>(List.of(new byte[0], nulJoined(modinfo), nulJoined(exports),
                sym.array(), strtab.toByteArray()));
        if (!versionNames.isEmpty()) {
            names.add("__versions");
            contents.add(vers.array());
        }
        ByteArrayOutputStream shstr = new ByteArrayOutputStream();
        int[] nameOff = new int[names.size()];
        for (int i = 0; i < names.size(); i++) {
            nameOff[i] = shstr.size();
            shstr.writeBytes(names.get(i).getBytes(StandardCharsets.ISO_8859_1));
            shstr.write(0);
        }
        contents.add(5, shstr.toByteArray());
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[64]);
        long[] offsets = new long[contents.size()];
        for (int i = 1; i < contents.size(); i++) {
            offsets[i] = body.size();
            body.writeBytes(contents.get(i));
            while (body.size() % 8 != 0) {
                body.write(0);
            }
        }
        long shoff = body.size();
        ByteBuffer sh = ByteBuffer.allocate(64 * contents.size()).order(ByteOrder.LITTLE_ENDIAN);
        int[] types = {0, 1, 1, 2, 3, 3, 1};
        for (int i = 1; i < contents.size(); i++) {
            int o = 64 * i;
            sh.putInt(o, nameOff[i]);
            sh.putInt(o + 4, types[i]);
            sh.putLong(o + 8, types[i] == 1 ? 2 : 0);
            sh.putLong(o + 24, offsets[i]);
            sh.putLong(o + 32, contents.get(i).length);
            if (i == 3) {
                sh.putInt(o + 40, 4);
                sh.putInt(o + 44, 1);
                sh.putLong(o + 56, 24);
            }
            sh.putLong(o + 48, 1);
        }
        body.writeBytes(sh.array());
        byte[] out = body.toByteArray();
        ByteBuffer h = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        h.put(0, new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1});
        h.putShort(16, (short) 1);
        h.putShort(18, (short) 62);
        h.putInt(20, 1);
        h.putLong(40, shoff);
        h.putShort(52, (short) 64);
        h.putShort(58, (short) 64);
        h.putShort(60, (short) contents.size());
        h.putShort(62, (short) 5);
        return out;
    }

    private static void addSym(ByteBuffer sym, ByteArrayOutputStream strtab, String name, int info, int shndx,
            long value) {
        int o = sym.position();
        sym.putInt(o, strtab.size());
        sym.put(o + 4, (byte) info);
        sym.putShort(o + 6, (short) shndx);
        sym.putLong(o + 8, value);
        sym.position(o + 24);
        strtab.writeBytes(name.getBytes(StandardCharsets.ISO_8859_1));
        strtab.write(0);
    }
}
