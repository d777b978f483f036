package dev.kmodemu.kstubs.lib;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.GuestFault;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.sched.Tasks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The C-callable user-memory functions ({@link Usercopy}, fs/libfs.c, the kstrto*_from_user of
 * {@link Kstrtox}, mm/util.c's memdup_user family) called through the CPU by a process with user
 * memory. Expectations follow lib/usercopy.c, lib/strn*_user.c, mm/maccess.c, fs/libfs.c,
 * lib/kstrtox.c and mm/util.c: faults on user pointers give short counts or -EFAULT, never oopses.
 */
class UsercopyTest {
    static final long PAGE = AddressSpace.PAGE;
    static final long EFAULT = -Errno.EFAULT;
    static GuestKernel g;
    static KernelContext c;
    static Tasks.Task task;
    static long taskSizeMax;

    @BeforeAll
    static void boot() {
        g = new GuestKernel();
        c = g.c;
        task = c.tasks().spawn("test");
        taskSizeMax = c.profile().value("TASK_SIZE_MAX");
    }

    @AfterAll
    static void shutdown() {
        c.tasks().exit(task);
        g.close();
    }

    /** A fresh page of user memory; the page after it is unmapped. */
    static long userPage() {
        return task.userAlloc(c.mem(), PAGE);
    }

    /** {@code s} at the very end of a fresh user page (the next page is unmapped). */
    static long userAtPageEnd(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        long at = userPage() + PAGE - b.length;
        c.mem().write(at, b);
        return at;
    }

    /** {@code s} at the start of a fresh user page. */
    static long user(String s) {
        long at = userPage();
        c.mem().write(at, s.getBytes(StandardCharsets.ISO_8859_1));
        return at;
    }

    /** A kernel address nothing is mapped at (direct map of physical page 1). */
    static long badKernel() {
        return c.machine().pageOffsetBase() + PAGE;
    }

    // ---------------------------------------------------------------- _copy_from_user, _copy_to_user

    @Test
    void copyFromUserCopiesAll() {
        long src = user("user data!");
        long dst = g.buf(16, 'X');
        assertEquals(0, g.call("_copy_from_user", dst, src, 10));
        assertEquals("user data!XXXXXX", g.raw(dst, 16));
        assertEquals(0, g.call("_copy_from_user", dst, src, 0));
    }

    @Test
    void copyFromUserAtAPageBoundaryCopiesWhatIsThereAndZeroesTheRest() {
        long src = userAtPageEnd("abc");
        long dst = g.buf(12, 'X');
        assertEquals(5, g.call("_copy_from_user", dst, src, 8));
        assertEquals("abc\0\0\0\0\0XXXX", g.raw(dst, 12));
    }

    @Test
    void copyFromUserOfUnmappedOrKernelMemoryCopiesNothingAndZeroes() {
        long dst = g.buf(8, 'X');
        assertEquals(8, g.call("_copy_from_user", dst, userPage() + PAGE, 8));
        assertEquals("\0\0\0\0\0\0\0\0", g.raw(dst, 8));
        // a kernel address fails access_ok(): nothing of it is read
        long secret = g.str("secret!");
        dst = g.buf(8, 'X');
        assertEquals(8, g.call("_copy_from_user", dst, secret, 8));
        assertEquals("\0\0\0\0\0\0\0\0", g.raw(dst, 8));
    }

    @Test
    void accessOkEndsAtTaskSizeMax() {
        // the last user page and (not a user page in Linux) the one at TASK_SIZE_MAX, both mapped
        var top = c.mem().map(taskSizeMax - PAGE, 2 * PAGE, AddressSpace.RW, "test: top of user space");
        try {
            c.mem().write(taskSizeMax - 4, "wxyzABCD".getBytes(StandardCharsets.ISO_8859_1));
            long dst = g.buf(8, 'X');
            assertEquals(0, g.call("_copy_from_user", dst, taskSizeMax - 4, 4));
            assertEquals("wxyzXXXX", g.raw(dst, 8));
            // one byte past TASK_SIZE_MAX: access_ok() refuses the whole copy
            assertEquals(5, g.call("_copy_from_user", dst, taskSizeMax - 4, 5));
            assertEquals("\0\0\0\0\0XXX", g.raw(dst, 8));
            assertEquals(4, g.call("_copy_to_user", taskSizeMax - 1, g.str("abcd"), 4));
            assertEquals(0, g.call("strnlen_user", taskSizeMax - 4, 10));
        } finally {
            c.mem().unmap(top);
        }
    }

    @Test
    void copyFromUserIntoABadKernelBufferOopses() {
        long src = user("data");
        // the raw copy stops at the bad destination; the memset() of the tail faults there
        GuestFault f = assertThrows(GuestFault.class, () -> g.call("_copy_from_user", badKernel(), src, 4));
        assertEquals(GuestFault.Kind.PAGE_FAULT, f.kind());
        assertEquals("_copy_from_user", f.stub());
    }

    @Test
    void copyToUser() {
        long dst = user("XXXXXXXXXXXX");
        assertEquals(0, g.call("_copy_to_user", dst, g.str("hello"), 5));
        assertEquals("helloXXXXXXX", g.raw(dst, 12));
        // partial at a page boundary: the bytes before the unmapped page land
        long end = userPage() + PAGE - 3;
        assertEquals(5, g.call("_copy_to_user", end, g.str("12345678"), 8));
        assertEquals("123", g.raw(end, 3));
    }

    @Test
    void copyToUserOfAReadOnlyPageKernelOrBadSourceFails() {
        long ro = user("ro page");
        c.mem().protect(ro, PAGE, AddressSpace.R);
        assertEquals(4, g.call("_copy_to_user", ro, g.str("abcd"), 4));
        assertEquals("ro page", g.raw(ro, 7));
        long kbuf = g.buf(4, 'K');
        assertEquals(4, g.call("_copy_to_user", kbuf, g.str("abcd"), 4));
        assertEquals("KKKK", g.raw(kbuf, 4));
        // a bad kernel source is fixed up inside copy_user_generic as well: a short count, no oops
        long dst = user("XXXX");
        assertEquals(4, g.call("_copy_to_user", dst, badKernel(), 4));
        assertEquals("XXXX", g.raw(dst, 4));
    }

    @Test
    void copyUserGenericTakesA32BitLength() {
        long src = user("abcdefgh");
        long dst = g.buf(8, 'X');
        assertEquals(0, g.call("copy_user_generic_unrolled", dst, src, 0x1_0000_0004L));
        assertEquals("abcdXXXX", g.raw(dst, 8));
        long end = userAtPageEnd("xy");
        assertEquals(6, g.call("copy_user_enhanced_fast_string", dst, end, 8));
        assertEquals("xycdXXXX", g.raw(dst, 8));
        assertEquals(6, g.call("copy_user_generic_string", g.buf(8, 0), end, 8));
        assertEquals(6, g.call("__copy_user_nocache", g.buf(8, 0), end, 8, 1));
    }

    // ---------------------------------------------------------------- check_zeroed_user

    @Test
    void checkZeroedUser() {
        long p = userPage();
        assertEquals(1, g.icall("check_zeroed_user", p, 100));
        assertEquals(1, g.icall("check_zeroed_user", p, 0));
        c.mem().write8(p + 2, 1);
        c.mem().write8(p + 12, 1);
        assertEquals(0, g.icall("check_zeroed_user", p, 100));
        // the non-zero bytes before the start and past the end are masked out
        assertEquals(1, g.icall("check_zeroed_user", p + 3, 9));
        assertEquals(0, g.icall("check_zeroed_user", p + 3, 10));
        // a word that faults; a non-zero word before it ends the scan first
        long end = userPage() + PAGE - 16;
        assertEquals(-Errno.EFAULT, g.icall("check_zeroed_user", end, 17));
        c.mem().write8(end, 7);
        assertEquals(0, g.icall("check_zeroed_user", end, 100));
        assertEquals(-Errno.EFAULT, g.icall("check_zeroed_user", taskSizeMax - 8, 16));
    }

    // ---------------------------------------------------------------- strncpy_from_user, strnlen_user

    @Test
    void strncpyFromUser() {
        long src = user("hello world");
        long dst = g.buf(16, 'X');
        assertEquals(5, g.call("strncpy_from_user", dst, user("hello"), 16));
        // word at a time: the word holding the NUL is stored with the bytes after it cleared
        assertEquals("hello\0\0\0XXXXXXXX", g.raw(dst, 16));
        dst = g.buf(16, 'X');
        assertEquals(3, g.call("strncpy_from_user", dst, src, 3));
        assertEquals("helXXXXXXXXXXXXX", g.raw(dst, 16));
        dst = g.buf(16, 'X');
        assertEquals(8, g.call("strncpy_from_user", dst, src, 8));
        assertEquals("hello woXXXXXXXX", g.raw(dst, 16));
        assertEquals(0, g.call("strncpy_from_user", dst, src, 0));
        assertEquals(0, g.call("strncpy_from_user", dst, src, -1));
    }

    @Test
    void strncpyFromUserAtAPageEnd() {
        long dst = g.buf(16, 'X');
        // the first word crosses into the unmapped page: byte at a time finds the NUL
        assertEquals(4, g.call("strncpy_from_user", dst, userAtPageEnd("abcd\0"), 16));
        assertEquals("abcd\0XXXXXXXXXXX", g.raw(dst, 16));
        dst = g.buf(16, 'X');
        assertEquals(EFAULT, g.call("strncpy_from_user", dst, userAtPageEnd("abcdef"), 16));
        assertEquals("abcdefXXXXXXXXXX", g.raw(dst, 16));
        assertEquals(EFAULT, g.call("strncpy_from_user", dst, taskSizeMax, 16));
        assertEquals(EFAULT, g.call("strncpy_from_user", dst, g.str("kernel"), 16));
    }

    @Test
    void strnlenUser() {
        long src = user("hello world");
        assertEquals(12, g.call("strnlen_user", src, 100));
        assertEquals(4, g.call("strnlen_user", src, 3));
        // aligned words: a NUL within the last word read is found past count
        assertEquals(3, g.call("strnlen_user", user("hi"), 1));
        assertEquals(3, g.call("strnlen_user", src + 9, 100));
        assertEquals(5, g.call("strnlen_user", userAtPageEnd("abcd\0"), 100));
        assertEquals(0, g.call("strnlen_user", userAtPageEnd("abcd"), 100));
        assertEquals(0, g.call("strnlen_user", src, 0));
        assertEquals(0, g.call("strnlen_user", g.str("kernel"), 100));
    }

    // ---------------------------------------------------------------- mm/maccess.c

    @Test
    void nofaultCopies() {
        long dst = g.buf(8, 'X');
        assertEquals(0, g.call("copy_from_user_nofault", dst, user("abcd"), 4));
        assertEquals("abcdXXXX", g.raw(dst, 8));
        dst = g.buf(8, 'X');
        assertEquals(EFAULT, g.call("copy_from_user_nofault", dst, userAtPageEnd("ab"), 4));
        // no zeroing: the two bytes that could be read were copied
        assertEquals("abXXXXXX", g.raw(dst, 8));
        assertEquals(EFAULT, g.call("copy_from_user_nofault", dst, g.str("kernel"), 4));
        long u = user("XXXX");
        assertEquals(0, g.call("copy_to_user_nofault", u, g.str("wxyz"), 4));
        assertEquals("wxyz", g.raw(u, 4));
        assertEquals(EFAULT, g.call("copy_to_user_nofault", userPage() + PAGE - 2, g.str("wxyz"), 4));
        assertEquals(EFAULT, g.call("copy_to_user_nofault", g.buf(4, 0), g.str("wxyz"), 4));
    }

    @Test
    void copyFromKernelNofault() {
        long dst = g.buf(16, 'X');
        assertEquals(0, g.call("copy_from_kernel_nofault", dst, g.str("kernel text"), 11));
        assertEquals("kernel textXXXXX", g.raw(dst, 16));
        assertEquals(-Errno.ERANGE, g.call("copy_from_kernel_nofault", dst, user("user"), 4));
        assertEquals(-Errno.ERANGE, g.call("copy_from_kernel_nofault", dst, taskSizeMax, 4));
        assertEquals(-Errno.ERANGE, g.call("copy_from_kernel_nofault", dst, 0x8000000000000000L, 4));
        assertEquals(EFAULT, g.call("copy_from_kernel_nofault", dst, badKernel(), 4));
        // a bad destination is a plain store: an oops
        assertThrows(GuestFault.class, () -> g.call("copy_from_kernel_nofault", badKernel(), g.str("abc"), 4));
    }

    @Test
    void copyFromUserNmi() {
        long dst = g.buf(8, 'X');
        assertEquals(2, g.call("copy_from_user_nmi", dst, userAtPageEnd("ab"), 4));
        assertEquals("abXXXXXX", g.raw(dst, 8));
        assertEquals(4, g.call("copy_from_user_nmi", dst, g.str("kern"), 4));
    }

    // ---------------------------------------------------------------- fs/libfs.c

    @Test
    void simpleReadFromBuffer() {
        long from = g.str("0123456789");
        long ppos = g.longs(0);
        long to = user("");
        assertEquals(4, g.call("simple_read_from_buffer", to, 4, ppos, from, 10));
        assertEquals(4, c.mem().read64(ppos));
        assertEquals("0123", g.raw(to, 4));
        c.mem().write64(ppos, 8);
        assertEquals(2, g.call("simple_read_from_buffer", to, 4, ppos, from, 10));
        assertEquals("89", g.raw(to, 2));
        assertEquals(10, c.mem().read64(ppos));
        assertEquals(0, g.call("simple_read_from_buffer", to, 4, ppos, from, 10));
        c.mem().write64(ppos, 0);
        assertEquals(0, g.call("simple_read_from_buffer", to, 0, ppos, from, 10));
        c.mem().write64(ppos, -1);
        assertEquals(-Errno.EINVAL, g.call("simple_read_from_buffer", to, 4, ppos, from, 10));
        // the user buffer ends after two bytes: a short read
        c.mem().write64(ppos, 0);
        long end = userPage() + PAGE - 2;
        assertEquals(2, g.call("simple_read_from_buffer", end, 4, ppos, from, 10));
        assertEquals(2, c.mem().read64(ppos));
        assertEquals(EFAULT, g.call("simple_read_from_buffer", end + 2, 4, ppos, from, 10));
        assertEquals(2, c.mem().read64(ppos));
    }

    @Test
    void simpleWriteToBuffer() {
        long to = g.buf(8, 'X');
        long ppos = g.longs(2);
        assertEquals(3, g.call("simple_write_to_buffer", to, 8, ppos, user("abc"), 3));
        assertEquals("XXabcXXX", g.raw(to, 8));
        assertEquals(5, c.mem().read64(ppos));
        assertEquals(3, g.call("simple_write_to_buffer", to, 8, ppos, user("defgh"), 5));
        assertEquals("XXabcdef", g.raw(to, 8));
        assertEquals(8, c.mem().read64(ppos));
        assertEquals(0, g.call("simple_write_to_buffer", to, 8, ppos, user("z"), 1));
        c.mem().write64(ppos, 0);
        assertEquals(EFAULT, g.call("simple_write_to_buffer", to, 8, ppos, userPage() + PAGE, 1));
        assertEquals(0, c.mem().read64(ppos));
        // partly readable: the rest of the copied range is zeroed by copy_from_user()
        assertEquals(2, g.call("simple_write_to_buffer", to, 8, ppos, userAtPageEnd("12"), 4));
        assertEquals("12\0\0cdef", g.raw(to, 8));
        assertEquals(2, c.mem().read64(ppos));
    }

    // ---------------------------------------------------------------- lib/kstrtox.c

    @Test
    void kstrtoFromUser() {
        long res = g.longs(0);
        assertEquals(0, g.icall("kstrtoull_from_user", user("18446744073709551615\n"), 21, 10, res));
        assertEquals(-1L, c.mem().read64(res));
        assertEquals(0, g.icall("kstrtol_from_user", user("-0x10"), 5, 0, res));
        assertEquals(-16L, c.mem().read64(res));
        assertEquals(0, g.icall("kstrtoint_from_user", user("-2147483648"), 11, 10, res));
        assertEquals(Integer.MIN_VALUE, c.mem().read32(res));
        assertEquals(-Errno.ERANGE, g.icall("kstrtou8_from_user", user("256"), 3, 10, res));
        assertEquals(-Errno.EINVAL, g.icall("kstrtou16_from_user", user("-5"), 2, 10, res));
        c.mem().write64(res, 0);
        assertEquals(0, g.icall("kstrtos8_from_user", user("-128"), 4, 10, res));
        assertEquals(0x80, c.mem().read64(res));
        // only count bytes are read: "12" of "123"
        assertEquals(0, g.icall("kstrtouint_from_user", user("123"), 2, 10, res));
        assertEquals(12, c.mem().read32(res));
        // at most sizeof(buf) - 1 bytes (10 for u8): the NUL ends the string
        assertEquals(0, g.icall("kstrtou8_from_user", user("42\0garbage garbage"), 100, 10, res));
        assertEquals(42, c.mem().read8(res));
        assertEquals(0, g.icall("kstrtos16_from_user", user("0x7fff"), 6, 16, res));
        assertEquals(0x7fff, c.mem().read16(res));
        assertEquals(0, g.icall("kstrtoul_from_user", user("777"), 3, 8, res));
        assertEquals(511, c.mem().read64(res));
        assertEquals(0, g.icall("kstrtoll_from_user", user("-1"), 2, 10, res));
        assertEquals(-1L, c.mem().read64(res));
        assertEquals(-Errno.EINVAL, g.icall("kstrtoull_from_user", user("1"), 0, 10, res));
    }

    @Test
    void kstrtoFromUserFaults() {
        long res = g.longs(0x55);
        assertEquals(-Errno.EFAULT, g.icall("kstrtoull_from_user", userPage() + PAGE, 4, 10, res));
        assertEquals(-Errno.EFAULT, g.icall("kstrtoint_from_user", userAtPageEnd("12"), 4, 10, res));
        assertEquals(-Errno.EFAULT, g.icall("kstrtobool_from_user", g.str("y"), 1, res));
        assertEquals(0x55, c.mem().read64(res));
    }

    @Test
    void kstrtoboolFromUser() {
        long res = g.buf(1, 0x55);
        assertEquals(0, g.icall("kstrtobool_from_user", user("yes"), 3, res));
        assertEquals(1, c.mem().read8(res));
        assertEquals(0, g.icall("kstrtobool_from_user", user("off"), 100, res));
        assertEquals(0, c.mem().read8(res));
        assertEquals(0, g.icall("kstrtobool_from_user", user("on"), 100, res));
        assertEquals(1, c.mem().read8(res));
        assertEquals(-Errno.EINVAL, g.icall("kstrtobool_from_user", user("x"), 1, res));
        // only "o" of "on" when count is 1
        assertEquals(-Errno.EINVAL, g.icall("kstrtobool_from_user", user("on"), 1, res));
    }

    // ---------------------------------------------------------------- mm/util.c

    @Test
    void memdupUser() {
        long p = g.call("memdup_user", user("abcdef"), 6);
        assertEquals("abcdef", g.raw(p, 6));
        assertEquals(8, c.slab().ksize(p));
        long kernel = g.str("kernel");
        long before = c.slab().bytesInUse();
        // the allocation is freed again
        assertEquals(EFAULT, g.call("memdup_user", userAtPageEnd("ab"), 6));
        assertEquals(EFAULT, g.call("memdup_user", kernel, 6));
        assertEquals(before, c.slab().bytesInUse());
        p = g.call("memdup_user_nul", user("xyz!"), 3);
        assertEquals("xyz", g.string(p));
        assertEquals(EFAULT, g.call("memdup_user_nul", userPage() + PAGE, 3));
        p = g.call("vmemdup_user", user("vmem"), 4);
        assertEquals("vmem", g.raw(p, 4));
        assertEquals(EFAULT, g.call("vmemdup_user", userAtPageEnd("v"), 4));
        assertEquals(before + 8 + 8, c.slab().bytesInUse());
    }

    @Test
    void strndupUser() {
        long p = g.call("strndup_user", user("hello"), 10);
        assertEquals("hello", g.string(p));
        assertEquals(8, c.slab().ksize(p));
        assertEquals(-Errno.EINVAL, g.call("strndup_user", user("hello"), 3));
        assertEquals(EFAULT, g.call("strndup_user", userAtPageEnd("hello"), 10));
        assertEquals(EFAULT, g.call("strndup_user", g.str("kernel"), 10));
        assertEquals("", g.string(g.call("strndup_user", user(""), 1)));
    }
}
