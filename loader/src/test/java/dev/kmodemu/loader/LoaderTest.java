package dev.kmodemu.loader;

import dev.kmodemu.testmods.TestMods;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ELF parsing, layout and relocation of real test modules, bytes in and bytes out. */
class LoaderTest {
    /** offsetof(struct module, name) on x86-64 6.1. */
    static final int NAME_OFF = 24;
    static final long CORE = 0xffffffffc0201000L;
    static final long INIT = 0xffffffffc0206000L;

    static LoadInfo load(String mod) throws ModuleFormatException {
        LoadInfo info = LoadInfo.setup(TestMods.ko(mod), NAME_OFF);
        info.prepareLayout();
        return info;
    }

    static String err(byte[] image) {
        ModuleFormatException e = assertThrows(ModuleFormatException.class, () -> LoadInfo.setup(image, NAME_OFF));
        assertEquals(Elf.ENOEXEC, e.errno());
        return e.kernelLog().get(0).text();
    }

    @Test
    void readsNameAndModinfoOfHello() throws Exception {
        LoadInfo info = load("hello");
        assertEquals("hello", info.name());
        assertTrue(info.modinfo().get("vermagic").startsWith("6.1.0-"));
        assertEquals("GPL", info.modinfo().get("license"));
        assertEquals(List.of("count:How many times to say hello (default 1)"), info.modinfo().getAll("parm"));
        assertTrue(info.versIndex() > 0);
    }

    @Test
    void coreSizeIsWhatProcModulesShows() throws Exception {
        // The real kernel's /proc/modules: "hello 16384 0 - Live ..." (testmods/hello/expected).
        Layout l = Layout.compute(load("hello"));
        assertEquals(16384, l.core.size);
        assertEquals(4096, l.core.textSize);
        assertTrue(l.init.size > 0 && l.init.size % 4096 == 0);
    }

    @Test
    void initTextGoesToInitAndExitTextToCore() throws Exception {
        LoadInfo info = load("hello");
        Layout l = Layout.compute(info);
        assertTrue(l.inInit(info.elf().findSec(".init.text").index()));
        assertTrue(l.placed(info.elf().findSec(".exit.text").index()));
        assertTrue(!l.inInit(info.elf().findSec(".exit.text").index()));
        assertTrue(!l.placed(info.infoIndex()), ".modinfo is not loaded");
    }

    @Test
    void relocatesCallsToResolvedSymbols() throws Exception {
        LoadInfo info = load("hello");
        Layout l = Layout.compute(info);
        ModuleImage img = ModuleImage.place(info, l, CORE, INIT);
        Map<String, Long> kernel = new HashMap<>();
        long next = 0xffffffff81000000L;
        for (ElfFile.Symbol s : info.symbols()) {
            if (s.shndx() == Elf.SHN_UNDEF && !s.name().isEmpty()) {
                kernel.put(s.name(), next);
                next += 16;
            }
        }
        img.simplifySymbols(name -> kernel.containsKey(name) ? SymbolResolver.Resolved.of(kernel.get(name)) : null, 0);
        img.applyRelocations();
        // Every PLT32 relocation against _printk in .init.text now encodes _printk - (P + 4) + 4 + A.
        ElfFile.Section text = info.elf().findSec(".init.text");
        ElfFile.Section rela = info.elf().findAnySec(".rela.init.text");
        ByteBuffer b = ByteBuffer.wrap(img.init()).order(ByteOrder.LITTLE_ENDIAN);
        int checked = 0;
        for (ElfFile.Rela r : info.elf().relas(rela)) {
            if (info.symbols().get(r.symbol()).name().equals("_printk")) {
                long p = img.sectionAddress(text.index()) + r.offset();
                int disp = b.getInt((int) (l.offset(text.index()) + r.offset()));
                assertEquals(kernel.get("_printk") + r.addend() - p, disp);
                checked++;
            }
        }
        assertTrue(checked > 0);
    }

    @Test
    void unknownSymbolsAreAllReportedInSymbolTableOrder() throws Exception {
        LoadInfo info = load("missingsym");
        ModuleImage img = ModuleImage.place(info, Layout.compute(info), CORE, INIT);
        ModuleFormatException e = assertThrows(ModuleFormatException.class, () -> img.simplifySymbols(name ->
                name.startsWith("kmodemu_") ? null : SymbolResolver.Resolved.of(0xffffffff81000000L), 0));
        assertEquals(Elf.ENOENT, e.errno());
        // testmods/missingsym/expected/default.json
        assertEquals(List.of("missingsym: Unknown symbol kmodemu_no_such_symbol (err -2)",
                "missingsym: Unknown symbol kmodemu_missing_too (err -2)"),
                e.kernelLog().stream().map(ModuleFormatException.LogLine::text).toList());
        assertEquals(4, e.kernelLog().get(0).level());
    }

    @Test
    void moduleOutsideTheTopTwoGigabytesOverflows32S() throws Exception {
        LoadInfo info = load("hello");
        boolean has32s = false;
        for (ElfFile.Section s : info.sections()) {
            if (s.type() == Elf.SHT_RELA) {
                for (ElfFile.Rela r : info.elf().relas(s)) {
                    has32s |= r.type() == Relocation.R_X86_64_32S.type;
                }
            }
        }
        if (!has32s) {
            return; // nothing to overflow in this build
        }
        ModuleImage img = ModuleImage.place(info, Layout.compute(info), 0xffffc90000000000L, 0xffffc90000100000L);
        img.simplifySymbols(name -> SymbolResolver.Resolved.of(0xffffffff81000000L), 0);
        ModuleFormatException e = assertThrows(ModuleFormatException.class, img::applyRelocations);
        assertTrue(e.kernelLog().get(0).text().startsWith("overflow in relocation type 11 val ffffc900"));
        assertEquals("`hello' likely not compiled with -mcmodel=kernel", e.kernelLog().get(1).text());
    }

    @Test
    void unknownRelocationTypeIsRefusedLikeTheKernel() throws Exception {
        byte[] ko = TestMods.ko("hello");
        ElfFile elf = ElfFile.parse(ko);
        ElfFile.Section rela = elf.findAnySec(".rela.init.text");
        assertNotNull(rela);
        ByteBuffer.wrap(ko).order(ByteOrder.LITTLE_ENDIAN).putInt((int) rela.offset() + 8, 99);
        LoadInfo info = LoadInfo.setup(ko, NAME_OFF);
        info.prepareLayout();
        ModuleImage img = ModuleImage.place(info, Layout.compute(info), CORE, INIT);
        img.simplifySymbols(name -> SymbolResolver.Resolved.of(0xffffffff81000000L), 0);
        ModuleFormatException e = assertThrows(ModuleFormatException.class, img::applyRelocations);
        assertEquals("hello: Unknown rela relocation: 99", e.kernelLog().get(0).text());
    }

    @Test
    void nonZeroRelocationTargetIsRefused() throws Exception {
        byte[] ko = TestMods.ko("hello");
        ElfFile elf = ElfFile.parse(ko);
        ElfFile.Section rela = elf.findAnySec(".rela.init.text");
        ElfFile.Section text = elf.findAnySec(".init.text");
        ElfFile.Rela first = elf.relas(rela).get(0);
        ko[(int) (text.offset() + first.offset())] = 1;
        LoadInfo info = LoadInfo.setup(ko, NAME_OFF);
        info.prepareLayout();
        ModuleImage img = ModuleImage.place(info, Layout.compute(info), CORE, INIT);
        img.simplifySymbols(name -> SymbolResolver.Resolved.of(0xffffffff81000000L), 0);
        ModuleFormatException e = assertThrows(ModuleFormatException.class, img::applyRelocations);
        assertTrue(e.kernelLog().get(0).text().startsWith(
                "x86/modules: Skipping invalid relocation target, existing value is nonzero for type "),
                e.kernelLog().get(0).text());
    }

    // ---------------------------------------------------------------- bad input

    @Test
    void emptyAndTruncatedFiles() {
        assertEquals("Invalid ELF header len 0", err(new byte[0]));
        byte[] ko = TestMods.ko("hello");
        assertEquals("Invalid ELF header len 40", err(java.util.Arrays.copyOf(ko, 40)));
        assertEquals("Invalid ELF section header overflow", err(java.util.Arrays.copyOf(ko, ko.length / 2)));
    }

    @Test
    void notElf() {
        assertEquals("Invalid ELF header magic: != \u007fELF", err("hello world, this is not an ELF file at all......"
                .repeat(2).getBytes()));
    }

    static byte[] header(int type, int machine) {
        ByteBuffer b = ByteBuffer.allocate(128).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1});
        b.putShort(16, (short) type);
        b.putShort(18, (short) machine);
        b.putShort(58, (short) 64);
        return b.array();
    }

    @Test
    void executablesSharedObjectsAndOtherArchitectures() {
        assertEquals("Invalid ELF header type: 2 != 1", err(header(2, Elf.EM_X86_64)));
        assertEquals("Invalid ELF header type: 3 != 1", err(header(3, Elf.EM_X86_64)));
        assertEquals("Invalid architecture in ELF header: 3", err(header(1, Elf.EM_386)));
        assertEquals("Invalid architecture in ELF header: 183", err(header(1, 183)));
    }

    @Test
    void objectWithoutModuleSection() throws Exception {
        // A relocatable object that never went through modpost: no .modinfo, no this_module.
        byte[] ko = TestMods.ko("hello");
        ElfFile elf = ElfFile.parse(ko);
        for (String n : new String[] {".modinfo", ".gnu.linkonce.this_module"}) {
            ElfFile.Section s = elf.findAnySec(n);
            // Clear SHF_ALLOC in the section header: find_sec() no longer sees it.
            long shoff = ByteBuffer.wrap(ko).order(ByteOrder.LITTLE_ENDIAN).getLong(40);
            int flagsAt = (int) (shoff + (long) s.index() * 64 + 8);
            ByteBuffer.wrap(ko).order(ByteOrder.LITTLE_ENDIAN).putLong(flagsAt, 0);
        }
        assertEquals("(missing .modinfo section or name field): No module found in object", err(ko));
    }
}
