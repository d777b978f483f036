package dev.kmodemu.loader;

import dev.kmodemu.testmods.TestMods;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DebugLineTest {
    /** hello.c's init: the rows binutils' readelf --debug-dump=decodedline prints for it. */
    @Test
    void helloInitRowsAsReadelfDecodesThem() throws Exception {
        ElfFile elf = ElfFile.parse(TestMods.ko("hello"));
        List<DebugLine.Unit> units = DebugLine.read(elf);
        DebugLine.Unit hello = units.stream().filter(u -> u.primaryFile().endsWith("/hello/hello.c")).findFirst()
                .orElseThrow();
        assertTrue(hello.primaryFile().startsWith("/"), hello.primaryFile());
        int init = elf.findAnySec(".init.text").index();
        DebugLine.Sequence s = hello.sequences().stream().filter(q -> q.section() == init).findFirst().orElseThrow();
        StringBuilder sb = new StringBuilder();
        for (DebugLine.Row r : s.rows()) {
            sb.append(r.line()).append(" 0x").append(Long.toHexString(r.offset())).append(r.stmt() ? " x" : "")
                    .append('\n');
        }
        assertEquals("""
                14 0x0 x
                15 0x5 x
                17 0x5 x
                14 0x5
                17 0x6
                17 0x8 x
                18 0x10 x
                18 0x10 x
                18 0x10 x
                18 0x10 x
                18 0x10 x
                17 0x19
                18 0x1b
                18 0x20
                17 0x20 x
                17 0x20
                19 0x22 x
                20 0x22
                20 0x25
                """, sb.toString());
        assertEquals(0x2a, s.end());
        for (DebugLine.Row r : s.rows()) {
            assertEquals(hello.primaryFile(), hello.files().get(r.file()));
        }
        int exit = elf.findAnySec(".exit.text").index();
        DebugLine.Sequence e = hello.sequences().stream().filter(q -> q.section() == exit).findFirst().orElseThrow();
        assertEquals(23, e.rows().get(0).line());
        assertEquals(0x12, e.end());
    }

    /** Headers' inline code names the headers by absolute path. */
    @Test
    void headerFilesResolvedThroughTheDirectoryTable() throws Exception {
        List<DebugLine.Unit> units = DebugLine.read(ElfFile.parse(TestMods.ko("kmallocstr")));
        Map<String, Integer> lines = new TreeMap<>();
        for (DebugLine.Unit u : units) {
            for (DebugLine.Sequence s : u.sequences()) {
                for (DebugLine.Row r : s.rows()) {
                    lines.merge(u.files().get(r.file()), 1, Integer::sum);
                }
            }
        }
        assertTrue(lines.keySet().stream().anyMatch(f -> f.endsWith("/include/linux/slab.h")), lines.toString());
        assertTrue(lines.keySet().stream().anyMatch(f -> f.endsWith("/kmallocstr/kmallocstr.c")), lines.toString());
    }

    @Test
    void truncatedSectionIsReportedNotThrownAsRuntimeError() throws Exception {
        byte[] ko = TestMods.ko("hello");
        ElfFile elf = ElfFile.parse(ko);
        ElfFile.Section dl = elf.findAnySec(".debug_line");
        // unit_length far beyond the section
        ko[(int) dl.offset()] = (byte) 0xf0;
        ko[(int) dl.offset() + 1] = (byte) 0xff;
        DebugLine.Malformed m = assertThrows(DebugLine.Malformed.class, () -> DebugLine.read(ElfFile.parse(ko)));
        assertEquals(".debug_line: unit at 0x0 runs past the section", m.getMessage());
    }
}
