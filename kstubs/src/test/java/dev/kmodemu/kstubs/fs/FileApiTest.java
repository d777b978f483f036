package dev.kmodemu.kstubs.fs;

import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.Kernel;
import dev.kmodemu.kstubs.KernelException;
import dev.kmodemu.kstubs.KernelFile;
import dev.kmodemu.testmods.TestMods;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The open-file API over a module's proc entries: partial reads, offsets, errors. */
class FileApiTest {
    Kernel k;

    @BeforeEach
    void boot() {
        k = Kernel.boot();
    }

    @AfterEach
    void close() {
        k.close();
    }

    static byte[] readAll(KernelFile f, int chunk) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] b = f.read(chunk); b.length > 0; b = f.read(chunk)) {
            all.write(b, 0, b.length);
        }
        return all.toByteArray();
    }

    @Test
    void seqFileReadInTinyChunksIsTheSameAsOneRead() {
        k.insmod("seqlist.ko", TestMods.ko("seqlist"), "count=200");
        byte[] whole = k.readBytes("/proc/seqlist");
        assertTrue(whole.length > 4096, "spans several pages of seq_file buffer");
        for (int chunk : new int[] {1, 7, 100, 4096}) {
            try (KernelFile f = k.open("/proc/seqlist", KernelFile.O_RDONLY)) {
                assertArrayEquals(whole, readAll(f, chunk), "chunk " + chunk);
            }
        }
    }

    @Test
    void seqFileReadsAtAnOffsetAfterLseek() {
        k.insmod("seqlist.ko", TestMods.ko("seqlist"), "count=50");
        String whole = k.read("/proc/seqlist");
        try (KernelFile f = k.open("/proc/seqlist", KernelFile.O_RDONLY)) {
            assertEquals(37, f.lseek(37, KernelFile.SEEK_SET));
            assertEquals(whole.substring(37, 60), new String(f.read(23), StandardCharsets.UTF_8));
            assertEquals(10, f.lseek(10, KernelFile.SEEK_SET));
            assertEquals(whole.substring(10), new String(readAll(f, 64), StandardCharsets.UTF_8));
            KernelException e = assertThrows(KernelException.class, () -> f.lseek(-1, KernelFile.SEEK_SET));
            assertEquals(Errno.EINVAL, e.errno());
        }
    }

    @Test
    void procFileWithDefaultLlseekRereadsFromTheNewOffset() {
        k.insmod("procfs_example.ko", TestMods.ko("procfs_example"), "");
        String whole = k.read("/proc/procfs_example/info");
        try (KernelFile f = k.open("/proc/procfs_example/info", KernelFile.O_RDONLY)) {
            assertEquals(whole, new String(readAll(f, 5), StandardCharsets.UTF_8));
            assertEquals(3, f.lseek(3, KernelFile.SEEK_SET));
            assertEquals(whole.substring(3), new String(readAll(f, 64), StandardCharsets.UTF_8));
            // default_llseek: proc inodes have i_size 0, so SEEK_END counts from 0.
            assertEquals(7, f.lseek(7, KernelFile.SEEK_END));
            assertEquals(Errno.EINVAL, assertThrows(KernelException.class, () -> f.lseek(0, 9)).errno());
        }
    }

    @Test
    void writingAReadOnlyProcFileIsAnIoErrorAndReadingAWriteOnlyOpenIsEbadf() {
        k.insmod("procfs_example.ko", TestMods.ko("procfs_example"), "");
        try (KernelFile f = k.open("/proc/procfs_example/info", KernelFile.O_WRONLY)) {
            assertEquals(Errno.EIO, assertThrows(KernelException.class, () -> f.write(new byte[] {'x'})).errno());
            assertEquals(Errno.EBADF, assertThrows(KernelException.class, () -> f.read(10)).errno());
        }
        assertEquals(Errno.EISDIR, assertThrows(KernelException.class,
                () -> k.open("/proc/procfs_example", KernelFile.O_RDONLY)).errno());
        assertEquals(Errno.ENOENT, assertThrows(KernelException.class,
                () -> k.open("/proc/procfs_example/nosuch", KernelFile.O_WRONLY | KernelFile.O_CREAT)).errno());
        assertEquals(Errno.EACCES, assertThrows(KernelException.class,
                () -> k.open("/sys/module/procfs_example/nosuch", KernelFile.O_WRONLY | KernelFile.O_CREAT)).errno());
    }

    @Test
    void removingAnEntryWhileOpenReleasesItAndLaterReadsFail() {
        k.insmod("procfs_example.ko", TestMods.ko("procfs_example"), "");
        KernelFile f = k.open("/proc/procfs_example/foo", KernelFile.O_RDONLY);
        k.rmmod("procfs_example");
        assertEquals(Errno.EIO, assertThrows(KernelException.class, () -> f.read(10)).errno());
        f.close();
        assertTrue(!k.exists("/proc/procfs_example"));
    }
}
