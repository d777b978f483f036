package dev.kmodemu.kstubs.fs;

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
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Character and misc devices driven as a process drives them: open, read, write, llseek, ioctl
 * (the cdevioctl module's commands, the VFS's own, bad commands and pointers), poll, close; module
 * references while a device is open; devices a module leaves behind. Expected values follow the
 * kernel sources (fs/char_dev.c, fs/ioctl.c, drivers/char/misc.c), as the oracle has no ioctl.
 */
class CharDevTest {
    static final long GET = KernelFile.ior('k', 1, 4);
    static final long SET = KernelFile.iow('k', 2, 4);
    static final long XCHG = KernelFile.iowr('k', 3, 32);
    static final long RESET = KernelFile.io('k', 4);
    static final long OPENS = KernelFile.io('k', 5);
    /** FIONBIO, FIOCLEX, FIOQSIZE, FIOASYNC, FIONREAD of asm-generic/ioctls.h. */
    static final long FIONBIO = 0x5421;
    static final long FIOCLEX = 0x5451;
    static final long FIOQSIZE = 0x5460;
    static final long FIOASYNC = 0x5452;
    static final long FIONREAD = 0x541b;

    Kernel k;

    @BeforeEach
    void boot() {
        k = Kernel.boot();
    }

    @AfterEach
    void close() {
        k.close();
    }

    static byte[] le32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    static int le32(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private int refcnt(String mod) {
        return Integer.parseInt(k.read("/sys/module/" + mod + "/refcnt").trim());
    }

    @Test
    void ioctlCommandsOfTheDriver() {
        k.insmod("cdevioctl.ko", TestMods.ko("cdevioctl"), "");
        try (KernelFile f = k.open("/dev/cdevioctl1", KernelFile.O_RDWR)) {
            assertEquals(43, le32(f.ioctl(GET, new byte[4]).arg()));
            assertEquals(0, f.ioctl(SET, le32(7)).value());
            assertEquals(7, le32(f.ioctl(GET, new byte[4]).arg()));
            assertEquals("value=7\n", text(f.read(100)));
            KernelException e = assertThrows(KernelException.class, () -> f.ioctl(SET, le32(-1)));
            assertEquals(Errno.EINVAL, e.errno());

            byte[] msg = Arrays.copyOf(le32(5), 32);
            System.arraycopy("hello".getBytes(StandardCharsets.US_ASCII), 0, msg, 4, 5);
            KernelFile.IoctlResult r = f.ioctl(XCHG, msg);
            assertEquals(0, r.value());
            assertEquals(7, le32(Arrays.copyOf(r.arg(), 4)), "the old value comes back");
            assertArrayEquals(new byte[28], Arrays.copyOfRange(r.arg(), 4, 32), "and the old (empty) text");
            assertTrue(k.dmesg().contains("xchg on minor 1: value 5, text \"hello\"\n"), k.dmesg());

            assertEquals(0, f.ioctl(RESET, 0));
            assertEquals(0, le32(f.ioctl(GET, new byte[4]).arg()));
            assertEquals(1, f.ioctl(OPENS, 0), "_IO command's own return value");
        }
    }

    @Test
    void unknownCommandsAndBadPointers() {
        k.insmod("cdevioctl.ko", TestMods.ko("cdevioctl"), "");
        try (KernelFile f = k.open("/dev/cdevioctl0", KernelFile.O_RDWR)) {
            for (long cmd : new long[] {KernelFile.io('k', 99), KernelFile.ior('x', 1, 4), 0xdeadbeefL}) {
                KernelException e = assertThrows(KernelException.class, () -> f.ioctl(cmd, 0));
                assertEquals(Errno.ENOTTY, e.errno(), Long.toHexString(cmd));
            }
            // put_user() to NULL, to a kernel address, to an unmapped user page; copy_from_user() of 32 bytes
            for (long bad : new long[] {0, 0xffff888000000000L, 0x00007e0000000000L}) {
                assertEquals(Errno.EFAULT, assertThrows(KernelException.class, () -> f.ioctl(GET, bad)).errno());
                assertEquals(Errno.EFAULT, assertThrows(KernelException.class, () -> f.ioctl(XCHG, bad)).errno());
            }
            // The command is an unsigned int: bits above 32 do not count.
            assertEquals(42, le32(f.ioctl(GET | (1L << 40), new byte[4]).arg()));
        }
    }

    @Test
    void theVfsAnswersItsOwnCommandsFirst() {
        k.insmod("cdevioctl.ko", TestMods.ko("cdevioctl"), "");
        k.insmod("miscecho.ko", TestMods.ko("miscecho"), "");
        try (KernelFile f = k.open("/dev/cdevioctl0", KernelFile.O_RDWR);
                KernelFile m = k.open("/dev/miscecho", KernelFile.O_RDWR)) {
            assertEquals(0, f.ioctl(FIOCLEX, 0));
            assertEquals(0, f.ioctl(FIONBIO, le32(1)).value());
            assertEquals(Errno.EFAULT, assertThrows(KernelException.class, () -> f.ioctl(FIONBIO, 1)).errno());
            assertEquals(Errno.ENOTTY, assertThrows(KernelException.class, () -> f.ioctl(FIOQSIZE, new byte[8]))
                    .errno(), "FIOQSIZE is for regular files, directories and links");
            assertEquals(Errno.ENOTTY, assertThrows(KernelException.class, () -> f.ioctl(FIOASYNC, le32(1)))
                    .errno(), "no fasync");
            assertEquals(Errno.ENOTTY, assertThrows(KernelException.class, () -> f.ioctl(FIONREAD, new byte[4]))
                    .errno(), "a char device's FIONREAD goes to the driver, which does not know it");
            assertEquals(Errno.ENOTTY, assertThrows(KernelException.class, () -> m.ioctl(GET, new byte[4])).errno(),
                    "a driver without unlocked_ioctl");
            assertEquals(Errno.ENOTTY, assertThrows(KernelException.class, () -> m.ioctl32(GET, 0)).errno(),
                    "or compat_ioctl");
        }
        try (KernelFile p = k.open("/proc/modules", KernelFile.O_RDONLY)) {
            assertEquals(Errno.ENOTTY, assertThrows(KernelException.class, () -> p.ioctl(GET, 0)).errno());
        }
    }

    @Test
    void compatIoctlGetsA32BitPointer() {
        k.insmod("cdevioctl.ko", TestMods.ko("cdevioctl"), "");
        try (KernelFile f = k.open("/dev/cdevioctl0", KernelFile.O_RDONLY)) {
            KernelFile.IoctlResult r = f.ioctl32(GET, new byte[4]);
            assertEquals(42, le32(r.arg()));
            assertTrue(f.lastBuffer() < (1L << 32), "below 4 GiB: " + Long.toHexString(f.lastBuffer()));
        }
    }

    @Test
    void pollReportsTheDriversMask() {
        k.insmod("cdevioctl.ko", TestMods.ko("cdevioctl"), "");
        k.insmod("miscecho.ko", TestMods.ko("miscecho"), "");
        try (KernelFile f = k.open("/dev/cdevioctl0", KernelFile.O_RDWR)) {
            int rw = KernelFile.POLLIN | KernelFile.POLLRDNORM | KernelFile.POLLOUT | KernelFile.POLLWRNORM;
            assertEquals(rw, f.poll());
            assertEquals(KernelFile.POLLIN, f.poll(KernelFile.POLLIN), "only what was asked for");
            f.ioctl(RESET, 0);
            assertEquals(KernelFile.POLLOUT | KernelFile.POLLWRNORM, f.poll());
        }
        try (KernelFile m = k.open("/dev/miscecho", KernelFile.O_RDONLY)) {
            assertEquals(KernelFile.POLLIN | KernelFile.POLLOUT | KernelFile.POLLRDNORM | KernelFile.POLLWRNORM,
                    m.poll(), "DEFAULT_POLLMASK without a poll operation");
        }
    }

    @Test
    void llseekFlavours() {
        k.insmod("cdevioctl.ko", TestMods.ko("cdevioctl"), "");
        k.insmod("miscecho.ko", TestMods.ko("miscecho"), "");
        k.insmod("chardev.ko", TestMods.ko("chardev"), "major=240");
        try (KernelFile f = k.open("/dev/cdevioctl0", KernelFile.O_RDONLY)) {
            assertEquals(3, f.lseek(3, KernelFile.SEEK_SET));
            assertEquals("ue=42\n", text(f.read(100)), "fixed_size_llseek moved the position");
            assertEquals(32, f.lseek(0, KernelFile.SEEK_END), "the fixed size");
            assertEquals(Errno.EINVAL, assertThrows(KernelException.class, () -> f.lseek(33, KernelFile.SEEK_SET))
                    .errno());
        }
        try (KernelFile m = k.open("/dev/miscecho", KernelFile.O_RDWR)) {
            m.write("abcdef".getBytes(StandardCharsets.US_ASCII));
            assertEquals(0, m.lseek(0, KernelFile.SEEK_CUR), "its write does not move *ppos");
            assertEquals("abc", text(m.read(3)));
            assertEquals(3, m.lseek(100, KernelFile.SEEK_SET), "noop_llseek leaves the position");
            assertEquals("def", text(m.read(10)));
        }
        try (KernelFile c = k.open("/dev/chardev", KernelFile.O_RDONLY)) {
            assertEquals(Errno.ESPIPE, assertThrows(KernelException.class, () -> c.lseek(0, KernelFile.SEEK_SET))
                    .errno(), "no llseek at all: FMODE_LSEEK is cleared at open");
        }
    }

    @Test
    void anOpenDeviceHoldsItsModule() {
        k.insmod("cdevioctl.ko", TestMods.ko("cdevioctl"), "");
        KernelFile f = k.open("/dev/cdevioctl0", KernelFile.O_RDONLY);
        assertEquals(2, refcnt("cdevioctl"), "cdev_get() and fops_get() each take one");
        assertTrue(k.lsmod().contains("cdevioctl              16384  2\n"), k.lsmod());
        KernelException e = assertThrows(KernelException.class, () -> k.rmmod("cdevioctl"));
        assertEquals("Module cdevioctl is in use", e.getMessage());
        assertEquals(Errno.EBUSY, e.errno());
        f.close();
        assertEquals(0, refcnt("cdevioctl"));
        assertTrue(k.dmesg().contains("release of minor 0\n"));
        k.rmmod("cdevioctl");
        assertFalse(k.exists("/dev/cdevioctl0"));
        assertFalse(k.exists("/sys/class/cdevioctl"));
        assertFalse(k.read("/proc/devices").contains("cdevioctl"));
    }

    @Test
    void miscAndOldStyleReferences() {
        k.insmod("miscecho.ko", TestMods.ko("miscecho"), "");
        k.insmod("chardev.ko", TestMods.ko("chardev"), "");
        try (KernelFile m = k.open("/dev/miscecho", KernelFile.O_RDONLY)) {
            assertEquals(1, refcnt("miscecho"), "misc_open()'s fops_get(); misc's own cdev has no owner");
        }
        try (KernelFile c = k.open("/dev/chardev", KernelFile.O_RDONLY)) {
            assertEquals(1, refcnt("chardev"), "only the module's own try_module_get(): its fops have no owner");
            assertEquals("This device has been opened 0 times before.\n", text(c.read(200)));
            KernelException busy = assertThrows(KernelException.class,
                    () -> k.open("/dev/chardev", KernelFile.O_RDONLY));
            assertEquals(Errno.EBUSY, busy.errno(), "one opener at a time");
            assertEquals(1, refcnt("chardev"), "the failed open gave its references back");
        }
        assertEquals(0, refcnt("chardev"));
    }

    @Test
    void closedFilesAreBadDescriptors() {
        k.insmod("miscecho.ko", TestMods.ko("miscecho"), "");
        KernelFile f = k.open("/dev/miscecho", KernelFile.O_RDWR);
        f.close();
        f.close();
        assertEquals(Errno.EBADF, assertThrows(KernelException.class, () -> f.read(10)).errno());
        assertEquals(Errno.EBADF, assertThrows(KernelException.class, () -> f.ioctl(GET, 0)).errno());
        assertEquals(KernelFile.POLLNVAL, f.poll());
        assertEquals(1, k.dmesg().split("release\n", -1).length - 1, "release ran once");
    }

    @Test
    void forcedRemovalWhileOpenLeavesTheFileInFreedMemory() {
        k.insmod("miscecho.ko", TestMods.ko("miscecho"), "");
        KernelFile f = k.open("/dev/miscecho", KernelFile.O_RDWR);
        k.rmmod("miscecho", true);
        assertFalse(k.loaded("miscecho"));
        assertFalse(k.exists("/dev/miscecho"), "misc_deregister() removed the node");
        KernelException e = assertThrows(KernelException.class, () -> f.read(10));
        assertTrue(e.killed(), "the read runs the freed module's code");
        assertTrue(k.dmesg().contains("BUG: unable to handle page fault for address: "), k.dmesg());
    }

    @Test
    void aModuleThatForgetsItsDeviceLeavesItListed() {
        k.insmod("chrdevleak.ko", TestMods.ko("chrdevleak"), "");
        k.rmmod("chrdevleak");
        assertTrue(k.dmesg().contains("leaving without unregistering\n"));
        assertTrue(k.read("/proc/devices").contains("\n246 chrdevleak\n"));
        assertEquals("246:0\n", k.read("/sys/class/chrdevleak/chrdevleak/dev"));
        KernelException e = assertThrows(KernelException.class, () -> k.open("/dev/chrdevleak", KernelFile.O_RDONLY));
        assertTrue(e.killed());
        assertTrue(k.dmesg().contains("RIP: 0010:try_module_get+"), k.dmesg());
        // The next dynamic major skips the leaked one.
        k.insmod("chardev.ko", TestMods.ko("chardev"), "");
        assertTrue(k.dmesg().contains("major number 245\n"), k.dmesg());
    }

    @Test
    void majorsAndMinorsAreHandedOutAsTheKernelDoes() {
        k.insmod("chrdevleak.ko", TestMods.ko("chrdevleak"), "misc=1");
        k.insmod("miscecho.ko", TestMods.ko("miscecho"), "");
        assertTrue(k.read("/proc/misc").startsWith("123 miscecho\n124 chrdevleak_misc\n125 cpu_dma_latency\n"),
                k.read("/proc/misc"));
        k.rmmod("miscecho");
        k.insmod("cdevioctl.ko", TestMods.ko("cdevioctl"), "ndevs=4");
        assertEquals("246:3\n", k.read("/sys/class/cdevioctl/cdevioctl3/dev"));
        Vfs.Stat st = k.context().vfs().lstat("/dev/cdevioctl3");
        assertEquals('c', st.type());
        assertEquals(0600, st.perm(), "devtmpfs's default");
        assertEquals(0666, k.context().vfs().lstat("/dev/cdevioctl0").perm(), "the class's devnode() mode");
        assertEquals("MAJOR=246\nMINOR=0\nDEVNAME=cdevioctl0\nDEVMODE=0666\nCDEVIOCTL_INDEX=0\n",
                k.read("/sys/dev/char/246:0/uevent"));
    }
}
