package dev.kmodemu.kstubs.kernel;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.GuestFault;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.lib.GuestKernel;
import dev.kmodemu.kstubs.module.Module;
import dev.kmodemu.kstubs.sched.Tasks;
import dev.kmodemu.testmods.TestMods;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * User access inlined in real module code (testmods/uaccess_inline): get_user()/put_user() calls
 * of the register-convention helpers, and faults fixed up through the module's {@code __ex_table}
 * ({@link Extable}) with every handled type; an unhandled type or a missing entry oopses.
 */
class UsercopyExtableTest {
    static final long PAGE = AddressSpace.PAGE;
    static final long EFAULT = -Errno.EFAULT;
    static GuestKernel g;
    static KernelContext c;
    static Module mod;
    static Tasks.Task task;

    @BeforeAll
    static void boot() {
        g = new GuestKernel();
        c = g.c;
        g.kernel.insmod(TestMods.path("uaccess_inline"));
        mod = c.modules().find("uaccess_inline");
        task = c.tasks().spawn("test");
    }

    @AfterAll
    static void shutdown() {
        c.tasks().exit(task);
        g.close();
    }

    /** Calls the module's function {@code name}. */
    static long call(String name, long... args) {
        long fn = mod.address(name);
        assertNotEquals(0, fn, name);
        return c.call(fn, args);
    }

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

    /** An unmapped user address. */
    static long bad() {
        return userPage() + PAGE;
    }

    @Test
    void exceptionTableIsFoundAndSorted() {
        // clear_user, unsafe_get_user, 2 x unsafe_put_user and the 10 hand-written entries
        assertEquals(14, mod.numExentries());
        long prev = 0;
        for (int i = 0; i < mod.numExentries(); i++) {
            long e = mod.extable() + 12L * i;
            long insn = Extable.exToInsn(c, e);
            assertTrue(mod.contains(insn));
            assertTrue(Long.compareUnsigned(insn, prev) > 0);
            assertEquals(e, Extable.searchExtable(c, mod.extable(), mod.numExentries(), insn));
            prev = insn;
        }
        assertEquals(0, Extable.searchExtable(c, mod.extable(), mod.numExentries(), prev + 1));
    }

    // ---------------------------------------------------------------- get_user, put_user

    @Test
    void getUserThroughTheHelpers() {
        long p = userPage();
        c.mem().write64(p, 0x8877665544332211L);
        long val = g.longs(-1);
        assertEquals(0, call("ui_get_user_u8", p, val));
        assertEquals(0x11, c.mem().read64(val));
        assertEquals(0, call("ui_get_user_u16", p, val));
        assertEquals(0x2211, c.mem().read64(val));
        assertEquals(0, call("ui_get_user_u32", p, val));
        assertEquals(0x44332211L, c.mem().read64(val));
        assertEquals(0, call("ui_get_user_u64", p, val));
        assertEquals(0x8877665544332211L, c.mem().read64(val));
        // the error comes back in eax, the zeroed value in edx
        assertEquals(EFAULT, call("ui_get_user_u32", bad(), val));
        assertEquals(0, c.mem().read64(val));
        c.mem().write64(val, -1);
        assertEquals(EFAULT, call("ui_get_user_u64", userAtPageEnd("abcd"), val));
        assertEquals(0, c.mem().read64(val));
        // a kernel pointer: get_user() refuses it, __get_user() does not check
        long k = g.longs(0xabcdef12L);
        assertEquals(EFAULT, call("ui_get_user_u8", k, val));
        assertEquals(0, call("ui_get_user_nocheck_u32", k, val));
        assertEquals(0xabcdef12L, c.mem().read64(val));
    }

    @Test
    void putUserThroughTheHelpers() {
        long p = userPage();
        assertEquals(0, call("ui_put_user_u8", p, 0x1ff));
        assertEquals(0, call("ui_put_user_u16", p + 8, 0x12345));
        assertEquals(0, call("ui_put_user_u32", p + 16, 0x123456789L));
        assertEquals(0, call("ui_put_user_u64", p + 24, -2));
        assertEquals(0, call("ui_put_user_nocheck_u64", p + 32, 77));
        assertEquals(0xff, c.mem().read64(p));
        assertEquals(0x2345, c.mem().read64(p + 8));
        assertEquals(0x23456789L, c.mem().read64(p + 16));
        assertEquals(-2, c.mem().read64(p + 24));
        assertEquals(77, c.mem().read64(p + 32));
        assertEquals(EFAULT, call("ui_put_user_u32", bad(), 1));
        assertEquals(EFAULT, call("ui_put_user_u64", g.longs(0), 1));
    }

    // ---------------------------------------------------------------- inline accesses with EX_TYPE_UACCESS

    @Test
    void clearUserRunsTheVariantAlternativesPickForThisCpu() {
        // clear_user()'s inline "rep stosb" (for CPUs with FSRM) became "call clear_user_erms" at
        // load: the emulated CPU has ERMS and REP_GOOD, not FSRM. Below 64 bytes clear_user_erms
        // is clear_user_original: quadwords, then bytes; a faulting quadword stops it.
        long p = userPage() + PAGE - 10;
        c.mem().fill(p, 10, (byte) 'X');
        assertEquals(12, call("ui_clear_user", p, 20), "the second quadword faults");
        assertEquals("\0".repeat(8) + "XX", new String(c.mem().read(p, 10), StandardCharsets.ISO_8859_1));
        // 64 bytes and more: rep stosb, which stops at the faulting byte
        long q = userPage() + PAGE - 70;
        c.mem().fill(q, 70, (byte) 'X');
        assertEquals(30, call("ui_clear_user", q, 100));
        assertEquals("\0".repeat(70), new String(c.mem().read(q, 70), StandardCharsets.ISO_8859_1));
        assertEquals(0, call("ui_clear_user", p, 10));
        // access_ok() fails: nothing is cleared
        long k = g.buf(8, 'K');
        assertEquals(8, call("ui_clear_user", k, 8));
        assertEquals("KKKKKKKK", g.raw(k, 8));
    }

    @Test
    void unsafeGetAndPutUser() {
        long val = g.longs(0x55);
        long p = userPage();
        c.mem().write64(p, 42);
        assertEquals(0, call("ui_unsafe_get_u64", p, val));
        assertEquals(42, c.mem().read64(val));
        c.mem().write64(val, 0x55);
        assertEquals(EFAULT, call("ui_unsafe_get_u64", userAtPageEnd("1234"), val));
        assertEquals(0x55, c.mem().read64(val));
        // the first store lands, the second faults
        long q = userPage() + PAGE - 4;
        assertEquals(EFAULT, call("ui_unsafe_put_2u32", q, 0xaabbccddL, 0x11223344L));
        assertEquals(0xaabbccdd, c.mem().read32(q));
        assertEquals(0, call("ui_unsafe_put_2u32", q - 4, 1, 2));
        assertEquals(0x0000000200000001L, c.mem().read64(q - 4));
    }

    @Test
    void rawCopyCallsCopyUserGeneric() {
        long dst = g.buf(8, 'X');
        assertEquals(5, call("ui_raw_copy_from_user", dst, userAtPageEnd("abc"), 8));
        assertEquals("abcXXXXX", g.raw(dst, 8));
        long u = userPage() + PAGE - 2;
        assertEquals(2, call("ui_raw_copy_to_user", u, g.str("wxyz"), 4));
        assertEquals("wx", new String(c.mem().read(u, 2), StandardCharsets.ISO_8859_1));
    }

    // ---------------------------------------------------------------- the other fixup types

    @Test
    void efaultRegWithClearAx() {
        long val = g.longs(0x77);
        long p = userPage();
        c.mem().write32(p, 0x12345678);
        assertEquals(0, call("ui_efault_reg", p, val));
        assertEquals(0x12345678, c.mem().read64(val));
        assertEquals(EFAULT, call("ui_efault_reg", bad(), val));
        assertEquals(0, c.mem().read64(val));
    }

    @Test
    void zeroAndImmReg() {
        long p = g.longs(0x0123456789abcdefL);
        assertEquals(0x0123456789abcdefL, call("ui_zero_reg", p));
        assertEquals(0, call("ui_zero_reg", bad()));
        assertEquals(0x89abcdefL, call("ui_imm_reg", p));
        assertEquals(0x1234, call("ui_imm_reg", bad()));
    }

    @Test
    void faultAndCopyPutTheTrapNumberInRax() {
        assertEquals(0x0123456789abcdefL, call("ui_fault", g.longs(0x0123456789abcdefL)));
        assertEquals(14, call("ui_fault", bad()));
        assertEquals(14, call("ui_copy_type", bad()));
        assertEquals(0x0123456789abcdefL, call("ui_copy_type", g.longs(0x0123456789abcdefL)));
        // a non-canonical address raises #GP, not #PF
        assertEquals(13, call("ui_fault", 0x8000000000000000L));
        assertEquals(0, call("ui_zero_reg", 0xdead000000000000L));
    }

    @Test
    void defaultWithClearAxDx() {
        long out = g.longs(-1, -1, -1);
        call("ui_default_clear_ax_dx", g.longs(9), out);
        assertEquals(0x4444, c.mem().read64(out));
        assertEquals(0x5555, c.mem().read64(out + 8));
        assertEquals(9, c.mem().read64(out + 16));
        call("ui_default_clear_ax_dx", bad(), out);
        assertEquals(0, c.mem().read64(out));
        assertEquals(0, c.mem().read64(out + 8));
        assertEquals(0x6666, c.mem().read64(out + 16));
    }

    @Test
    void popZeroPopsAndZeroes() {
        long out = g.longs(-1, -1);
        call("ui_pop_zero", g.longs(5), out);
        assertEquals(5, c.mem().read64(out));
        assertEquals(0, c.mem().read64(out + 8));
        call("ui_pop_zero", bad(), out);
        assertEquals(0, c.mem().read64(out));
        // the fixup popped the pushed value: the stack is balanced
        assertEquals(0, c.mem().read64(out + 8));
    }

    @Test
    void ucopyLen4CountsTheBytesLeft() {
        long p = userPage() + PAGE - 10;
        c.mem().fill(p, 10, (byte) 'X');
        // 5 dwords and 3 more bytes into 10 writable bytes: dwords 0 and 1 land, 3 are left
        assertEquals(3 + 4 * 3, call("ui_ucopy_len4", p, 5, 3));
        assertEquals("\0\0\0\0\0\0\0\0XX", new String(c.mem().read(p, 10), StandardCharsets.ISO_8859_1));
        assertEquals(3, call("ui_ucopy_len4", userPage(), 5, 3));
    }

    @Test
    void zeropadLoadsTheBytesBeforeTheUnmappedPage() {
        assertEquals(0x636261L, call("ui_zeropad", userAtPageEnd("abc")));
        long p = userAtPageEnd("abcdefgh");
        assertEquals(0x6867666564636261L, call("ui_zeropad", p));
        // kernel memory works the same (the fixup does not care whose page it is)
        long v = c.vmalloc().vmalloc(PAGE);
        c.mem().write(v + PAGE - 2, "yz".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(0x7a79L, call("ui_zeropad", v + PAGE - 2));
    }

    @Test
    void unhandledTypeOrNoEntryOopses() {
        assertEquals(7, call("ui_unhandled_type", g.longs(7)));
        GuestFault f = assertThrows(GuestFault.class, () -> call("ui_unhandled_type", bad()));
        assertEquals(GuestFault.Kind.PAGE_FAULT, f.kind());
        assertEquals("ui_unhandled_type", c.machine().kallsyms().lookup(f.rip()).name());
        f = assertThrows(GuestFault.class, () -> call("ui_no_entry", bad()));
        assertEquals(GuestFault.Kind.PAGE_FAULT, f.kind());
        // the kernel still works afterwards
        assertEquals(0, call("ui_zero_reg", bad()));
    }
}
