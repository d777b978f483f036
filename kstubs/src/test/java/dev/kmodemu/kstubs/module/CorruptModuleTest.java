package dev.kmodemu.kstubs.module;

import dev.kmodemu.kstubs.Kernel;
import dev.kmodemu.kstubs.KernelException;
import dev.kmodemu.loader.ElfFile;
import dev.kmodemu.testmods.TestMods;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Modules whose tables are wrong in ways the ELF checks cannot see. */
class CorruptModuleTest {
    /** symexp.ko with every __ksymtab relocation pointing a gigabyte away. */
    static byte[] wildKsymtab() throws Exception {
        byte[] ko = TestMods.ko("symexp", "symexp").clone();
        ElfFile elf = ElfFile.parse(ko);
        ElfFile.Section rela = elf.findAnySec(".rela__ksymtab");
        ByteBuffer b = ByteBuffer.wrap(ko).order(ByteOrder.LITTLE_ENDIAN);
        for (long o = rela.offset(); o + 24 <= rela.offset() + rela.size(); o += 24) {
            b.putLong((int) o + 16, 0x40000000L);
        }
        return ko;
    }

    @Test
    void aKsymtabPointingNowhereOopsesTheLoadAndLeavesNothingBehind() throws Exception {
        try (Kernel k = Kernel.boot()) {
            KernelException e = assertThrows(KernelException.class,
                    () -> k.insmod("symexp.ko", wildKsymtab(), ""));
            assertTrue(e.killed(), "insmod is killed by the oops");
            List<String> log = k.log().stream().map(r -> r.message()).toList();
            assertTrue(log.stream().anyMatch(l -> l.startsWith("BUG: unable to handle page fault for address: ")),
                    log.toString());
            assertEquals(List.of(), k.modules());
            k.insmod("symexp.ko", TestMods.ko("symexp", "symexp"), "");
            assertEquals("symexp", k.modules().getFirst().name());
        }
    }
}
