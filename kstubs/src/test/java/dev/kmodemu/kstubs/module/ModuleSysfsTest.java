package dev.kmodemu.kstubs.module;

import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.Kernel;
import dev.kmodemu.kstubs.KernelException;
import dev.kmodemu.kstubs.KernelFile;
import dev.kmodemu.testmods.TestMods;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * /sys/module/NAME, /proc/kallsyms and the module list as a loaded module shows them. Expected
 * values were read on Debian's 6.1 kernel with qemu-oracle (hello.ko: coresize 16384, initsize
 * 0 after init, .gnu.linkonce.this_module at core base + 0x2040, .symtab in the freed init area
 * two pages in, uevent write-only, "bad" refused with the synth uevent warning).
 */
class ModuleSysfsTest {
    Kernel k;

    @BeforeEach
    void boot() {
        k = Kernel.boot();
        k.insmod("hello.ko", TestMods.ko("hello"), "count=1");
    }

    @AfterEach
    void close() {
        k.close();
    }

    long coreBase() {
        String line = k.read("/proc/modules");
        return Long.parseUnsignedLong(line.substring(line.indexOf("0x") + 2, line.indexOf(" (")), 16);
    }

    static long hex(String s) {
        return Long.parseUnsignedLong(s.trim().substring(2), 16);
    }

    @Test
    void moduleDirectoryHoldsTheKernelsAttributes() {
        assertEquals(List.of("coresize", "holders", "initsize", "initstate", "notes", "parameters", "refcnt",
                "sections", "srcversion", "taint", "uevent", "version"), k.list("/sys/module/hello"));
        assertEquals("16384\n", k.read("/sys/module/hello/coresize"));
        assertEquals("0\n", k.read("/sys/module/hello/initsize"));
        assertEquals("live\n", k.read("/sys/module/hello/initstate"));
        assertEquals("1.0\n", k.read("/sys/module/hello/version"));
        assertEquals(List.of(), k.list("/sys/module/hello/holders"));
    }

    @Test
    void sectionsGiveWhereEachSectionWasPlaced() {
        long base = coreBase();
        assertEquals(base + 0x2040, hex(k.read("/sys/module/hello/sections/.gnu.linkonce.this_module")));
        long symtab = hex(k.read("/sys/module/hello/sections/.symtab"));
        long initText = hex(k.read("/sys/module/hello/sections/.init.text"));
        assertEquals(initText + 0x2000, symtab, "symtab two pages into the init area");
        assertTrue(Pattern.matches("0x[0-9a-f]{16}\n", k.read("/sys/module/hello/sections/__param")));
        // Empty sections (hello has no .text) are not listed.
        assertEquals(Errno.ENOENT, assertThrows(KernelException.class,
                () -> k.read("/sys/module/hello/sections/.text")).errno());
    }

    @Test
    void notesHoldTheNoteSectionsBytes() {
        ByteBuffer b = ByteBuffer.wrap(k.readBytes("/sys/module/hello/notes/.note.Linux"))
                .order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(6, b.getInt(0), "namesz of \"Linux\\0\"");
        assertEquals(0x101, b.getInt(8), "LINUX_ELFNOTE_BUILD_SALT");
        String all = new String(b.array(), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(all.contains("6.1.0-"), all);
    }

    @Test
    void ueventIsWriteOnlyAndChecksTheAction() {
        assertEquals(Errno.EACCES, assertThrows(KernelException.class,
                () -> k.read("/sys/module/hello/uevent")).errno());
        assertEquals(4, k.write("/sys/module/hello/uevent", "add\n"));
        String withArgs = "change 7f3a6b4e-8a62-4d1c-9f0e-2b7c1d9e4a55 A=1 B=x2";
        assertEquals(withArgs.length(), k.write("/sys/module/hello/uevent", withArgs));
        k.clearLog();
        assertEquals(Errno.EINVAL, assertThrows(KernelException.class,
                () -> k.write("/sys/module/hello/uevent", "bad")).errno());
        assertEquals(Errno.EINVAL, assertThrows(KernelException.class,
                () -> k.write("/sys/module/hello/uevent", "add not-a-uuid")).errno());
        List<String> lines = k.log().stream().map(r -> r.level() + " " + r.message()).toList();
        assertEquals(List.of("4 synth uevent: /module/hello: unknown uevent action string",
                "4 synth uevent: /module/hello: incorrect uevent action arguments"), lines);
        try (KernelFile f = k.open("/sys/module/hello/uevent", KernelFile.O_WRONLY)) {
            assertEquals(Errno.EBADF, assertThrows(KernelException.class, () -> f.read(1)).errno());
        }
    }

    @Test
    void kallsymsListsTheKernelThenTheModuleWithItsName() {
        String all = k.read("/proc/kallsyms");
        assertTrue(Pattern.compile("(?m)^[0-9a-f]{16} T _printk$").matcher(all).find());
        assertTrue(Pattern.compile("(?m)^0{10}[0-9a-f]{6} A current_task$").matcher(all).find(), "per-cpu symbols");
        assertTrue(Pattern.compile("(?m)^[0-9a-f]{16} t cleanup_module\t\\[hello\\]$").matcher(all).find());
        assertTrue(Pattern.compile("(?m)^[0-9a-f]{16} d __this_module\t\\[hello\\]$").matcher(all).find());
        assertTrue(!all.contains("hello_init"), "init symbols are dropped once init has run");
        int kernelEnd = all.indexOf("\t[");
        assertTrue(all.lastIndexOf("\n", kernelEnd) > all.indexOf(" T _printk\n"), "kernel symbols come first");
    }

    @Test
    void aModuleIsLoadedOnceAndUnloadedOnce() {
        KernelException again = assertThrows(KernelException.class,
                () -> k.insmod("hello.ko", TestMods.ko("hello"), ""));
        assertEquals("could not insert module hello.ko: File exists", again.getMessage());
        k.rmmod("hello");
        KernelException gone = assertThrows(KernelException.class, () -> k.rmmod("hello"));
        assertEquals("Module hello is not currently loaded", gone.getMessage());
        assertEquals(Errno.ENOENT, gone.errno());
        assertEquals("Module                  Size  Used by\n", k.lsmod());
    }
}
