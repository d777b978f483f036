package dev.kmodemu.kstubs.mm;

import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.Kernel;
import dev.kmodemu.kstubs.KernelException;
import dev.kmodemu.kstubs.KernelFile;
import dev.kmodemu.kstubs.Mapping;
import dev.kmodemu.testmods.TestMods;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * mmap(2) of the mmapdev module's devices and proc files through the Java API, as a process maps
 * them (the oracle cannot call mmap; the module's self-test, recorded from the real kernel in the
 * golden files, covers the same drivers mapped from kernel code). Expected values follow
 * mm/mmap.c, mm/memory.c and the drivers.
 */
class MmapTest {
    static final long PAGE = 4096;
    Kernel k;

    @BeforeEach
    void boot() {
        k = Kernel.boot();
        k.insmod("mmapdev.ko", TestMods.ko("mmapdev"), "");
        k.clearLog();
    }

    @AfterEach
    void close() {
        k.close();
    }

    /** The kernel log without timestamps. */
    String log() {
        return k.dmesg().replaceAll("(?m)^\\[[ .0-9]+\\] ", "");
    }

    static String text(byte[] b) {
        String s = new String(b, StandardCharsets.ISO_8859_1);
        int nul = s.indexOf('\0');
        return nul < 0 ? s : s.substring(0, nul);
    }

    static byte[] bytes(String s) {
        return (s + "\0").getBytes(StandardCharsets.ISO_8859_1);
    }

    int mmapErrno(String path, int oflags, long len, int prot, int flags, long off) {
        try (KernelFile f = k.open(path, oflags)) {
            return assertThrows(KernelException.class, () -> f.mmap(len, prot, flags, off)).errno();
        }
    }

    @Test
    void aRemappedKmallocBufferIsTheSameMemoryForTheModuleAndTheProcess() {
        try (KernelFile f = k.open("/dev/mmap_kbuf", KernelFile.O_RDWR);
                Mapping a = f.mmap(3 * PAGE, KernelFile.PROT_READ | KernelFile.PROT_WRITE, KernelFile.MAP_SHARED, 0);
                Mapping b = f.mmap(PAGE, KernelFile.PROT_READ, KernelFile.MAP_SHARED, PAGE)) {
            assertEquals("kbuf page 0", text(a.read(0, 16)));
            assertEquals("kbuf page 2", text(a.read(2 * PAGE, 16)));
            assertEquals(0, a.address() & (PAGE - 1));
            assertTrue(log().contains("kbuf mmap: pages=3 pgoff=0 flags=0xfb prot=0x8000000000000027\n"
                    + "mmapdev: kbuf remapped: pages=3 pgoff=0 flags=0x50444fb prot=0x8000000000000027\n"), k.dmesg());
            a.write(PAGE + 5, bytes("written"));
            assertEquals("kbuf written", text(b.read(0, 16)), "another mapping of the page sees the write");
            assertEquals(0, b.read(0, (int) PAGE).length - PAGE);
            KernelException e = assertThrows(KernelException.class, () -> b.write(0, bytes("x")));
            assertEquals(11, e.signal(), "a read-only mapping refuses the store");
            assertEquals("Segmentation fault", e.getMessage());
        }
        try (KernelFile f = k.open("/dev/mmap_kbuf", KernelFile.O_RDONLY);
                Mapping c = f.mmap(2 * PAGE, KernelFile.PROT_READ, KernelFile.MAP_SHARED, 0)) {
            assertEquals("kbuf written", text(c.read(PAGE, 16)), "the module's buffer kept it");
        }
    }

    @Test
    void aPrivateWritableMappingCopiesOnWrite() {
        try (KernelFile f = k.open("/dev/mmap_kbuf", KernelFile.O_RDONLY);
                Mapping p = f.mmap(3 * PAGE, KernelFile.PROT_READ | KernelFile.PROT_WRITE, KernelFile.MAP_PRIVATE, 0);
                Mapping s = f.mmap(PAGE, KernelFile.PROT_READ, KernelFile.MAP_SHARED, 0)) {
            assertTrue(log().contains("kbuf mmap: pages=3 pgoff=0 flags=0x100073"), "VM_ACCOUNT, no VM_SHARED");
            p.write(0, bytes("mine"));
            assertEquals("mine", text(p.read(0, 16)));
            assertEquals("page 0", text(p.read(5, 16)), "the rest of the page was copied");
            assertEquals("kbuf page 0", text(s.read(0, 16)), "the kernel page is untouched");
        }
    }

    @Test
    void doMmapRefusesWhatTheKernelRefuses() {
        int rw = KernelFile.PROT_READ | KernelFile.PROT_WRITE;
        assertEquals(Errno.ENODEV, mmapErrno("/dev/mmap_none", KernelFile.O_RDWR, PAGE, KernelFile.PROT_READ,
                KernelFile.MAP_SHARED, 0), "no mmap operation");
        assertEquals(Errno.EPERM, mmapErrno("/dev/mmap_ro", KernelFile.O_RDWR, PAGE, rw, KernelFile.MAP_SHARED, 0),
                "the driver's refusal");
        assertEquals(Errno.EINVAL, mmapErrno("/dev/mmap_ro", KernelFile.O_RDONLY, 2 * PAGE, KernelFile.PROT_READ,
                KernelFile.MAP_SHARED, 0));
        assertEquals(Errno.EACCES, mmapErrno("/dev/mmap_kbuf", KernelFile.O_RDONLY, PAGE, rw, KernelFile.MAP_SHARED, 0),
                "shared and writable needs a file open for writing");
        assertEquals(Errno.EINVAL, mmapErrno("/dev/mmap_kbuf", KernelFile.O_RDWR, PAGE, KernelFile.PROT_READ,
                KernelFile.MAP_SHARED, 100), "unaligned offset");
        assertEquals(Errno.EINVAL, mmapErrno("/dev/mmap_kbuf", KernelFile.O_RDWR, 0, KernelFile.PROT_READ,
                KernelFile.MAP_SHARED, 0), "nothing to map");
        assertEquals(Errno.EINVAL, mmapErrno("/dev/mmap_kbuf", KernelFile.O_RDWR, PAGE, KernelFile.PROT_READ, 0, 0),
                "neither shared nor private");
        assertEquals(Errno.EIO, mmapErrno("/proc/mmapdev_nommap", KernelFile.O_RDWR, PAGE, KernelFile.PROT_READ,
                KernelFile.MAP_SHARED, 0), "proc_reg_mmap without proc_mmap");
        assertEquals(Errno.EPERM, mmapErrno("/proc/mmapdev", KernelFile.O_RDWR, PAGE,
                KernelFile.PROT_READ | KernelFile.PROT_EXEC, KernelFile.MAP_SHARED, 0), "procfs is noexec");
        assertEquals(Errno.EIO, mmapErrno("/proc/modules", KernelFile.O_RDONLY, PAGE, KernelFile.PROT_READ,
                KernelFile.MAP_SHARED, 0));
        assertEquals(Errno.ENODEV, mmapErrno("/sys/module/mmapdev/refcnt", KernelFile.O_RDONLY, PAGE,
                KernelFile.PROT_READ, KernelFile.MAP_SHARED, 0), "kernfs without KERNFS_HAS_MMAP");
    }

    @Test
    void faultHandlerPagesComeInOnFirstTouchAndPastThemIsSigbus() {
        try (KernelFile f = k.open("/dev/mmap_fault", KernelFile.O_RDWR);
                Mapping m = f.mmap(4 * PAGE, KernelFile.PROT_READ | KernelFile.PROT_WRITE, KernelFile.MAP_SHARED, 0)) {
            assertFalse(log().contains("fault pgoff"), "nothing faulted yet");
            assertEquals("fault page 1", text(m.read(PAGE, 16)));
            assertEquals("t page 1", text(m.read(PAGE + 4, 16)));
            assertEquals(1, log().split("fault pgoff=1 offset=1 flags=0x254", -1).length - 1,
                    "one read fault from user mode (FAULT_FLAG_USER): " + log());
            m.write(0, bytes("dirty"));
            assertTrue(log().contains("fault pgoff=0 offset=0 flags=0x255 private=1"), k.dmesg());
            KernelException e = assertThrows(KernelException.class, () -> m.read(3 * PAGE, 1));
            assertEquals(7, e.signal());
            assertEquals("Bus error", e.getMessage());
            assertEquals("dirty", text(m.read(0, 8)), "the mapping outlives the signal");
        }
        assertTrue(log().contains("vm close: pages=4 pgoff=0 flags=0xc0400fb\nmmapdev: release mmap_fault\n"),
                "munmap: close, then the file's last reference: " + k.dmesg());
    }

    @Test
    void theMappingHoldsTheFileAndItsModule() {
        KernelFile f = k.open("/dev/mmap_vbuf", KernelFile.O_RDWR);
        Mapping m = f.mmap(2 * PAGE, KernelFile.PROT_READ | KernelFile.PROT_WRITE, KernelFile.MAP_SHARED, PAGE);
        f.close();
        assertFalse(log().contains("release"), "close(2) leaves the mapping's reference");
        assertEquals("vbuf page 1", text(m.read(0, 16)));
        m.write(PAGE, bytes("via user"));
        assertThrows(KernelException.class, () -> k.rmmod("mmapdev"), "the file holds a module reference");
        m.unmap();
        assertTrue(log().contains("release mmap_vbuf"), k.dmesg());
        assertEquals(11, assertThrows(KernelException.class, () -> m.read(0, 1)).signal(), "unmapped");
        k.rmmod("mmapdev");
    }

    @Test
    void aPartialMunmapSplitsTheMappingWithOpenAndClose() {
        try (KernelFile f = k.open("/dev/mmap_fault", KernelFile.O_RDWR)) {
            Mapping m = f.mmap(3 * PAGE, KernelFile.PROT_READ, KernelFile.MAP_SHARED, 0);
            assertEquals("fault page 2", text(m.read(2 * PAGE, 16)));
            k.clearLog();
            Mmap.Vma v = Mmap.find(k.context(), m.address());
            assertEquals(3 * PAGE, v.end() - v.start());
            assertEquals(0, k.process("java", () -> Mmap.munmap(k.context(), m.address() + PAGE, PAGE)));
            assertEquals("mmapdev: vm open: pages=2 pgoff=1\nmmapdev: vm open: pages=1 pgoff=1\n"
                    + "mmapdev: vm close: pages=1 pgoff=1 flags=0xc0400f9\n", log());
            assertEquals("fault page 2", text(m.read(2 * PAGE, 16)), "the upper part keeps its page");
            assertEquals(11, assertThrows(KernelException.class, () -> m.read(PAGE, 1)).signal());
            m.unmap();
        }
    }

    @Test
    void aProcFileMappedUncachedGetsThePatWarning() {
        try (KernelFile f = k.open("/proc/mmapdev", KernelFile.O_RDWR);
                Mapping m = f.mmap(PAGE, KernelFile.PROT_READ, KernelFile.MAP_SHARED, 0)) {
            assertEquals("proc page", text(m.read(0, 16)));
            assertTrue(log().matches("(?s).*x86/PAT: java:\\d+ map pfn RAM range req uncached-minus for "
                    + "\\[mem 0x[0-9a-f]{8}-0x[0-9a-f]{8}\\], got write-back\n.*"), k.dmesg());
        }
    }
}
