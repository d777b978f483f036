package dev.kmodemu.kstubs.lib;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.emu.Reg;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.sched.Tasks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The assembler helpers with their own register conventions (arch/x86/lib/getuser.S, putuser.S,
 * clear_page_64.S, copy_user_64.S), called by a machine-code thunk that loads every
 * general-purpose register from memory, calls the helper, and stores every register back; each
 * test asserts the registers the helper sets and that all others are preserved.
 */
class UsercopyAsmTest {
    static final long PAGE = AddressSpace.PAGE;
    static GuestKernel g;
    static KernelContext c;
    static Tasks.Task task;
    static long taskSizeMax;
    static long thunk;
    static long regs;

    /** Register slots of the thunk's array: rax, rbx, rcx, rdx, rsi, rdi, rbp, (rsp), r8..r15. */
    static final Reg[] SLOTS = Reg.GPRS;

    /**
     * thunk(u64 regs[16], void *fn): load rax..r15 (not rsp) from regs, call fn, store them back.
     */
    static final byte[] THUNK = bytes(
            0x53,                         // push %rbx
            0x55,                         // push %rbp
            0x41, 0x54,                   // push %r12
            0x41, 0x55,                   // push %r13
            0x41, 0x56,                   // push %r14
            0x41, 0x57,                   // push %r15
            0x57,                         // push %rdi
            0x56,                         // push %rsi
            0x48, 0x8b, 0x07,             // mov (%rdi),%rax
            0x48, 0x8b, 0x5f, 0x08,       // mov 0x8(%rdi),%rbx
            0x48, 0x8b, 0x4f, 0x10,       // mov 0x10(%rdi),%rcx
            0x48, 0x8b, 0x57, 0x18,       // mov 0x18(%rdi),%rdx
            0x48, 0x8b, 0x77, 0x20,       // mov 0x20(%rdi),%rsi
            0x48, 0x8b, 0x6f, 0x30,       // mov 0x30(%rdi),%rbp
            0x4c, 0x8b, 0x47, 0x40,       // mov 0x40(%rdi),%r8
            0x4c, 0x8b, 0x4f, 0x48,       // mov 0x48(%rdi),%r9
            0x4c, 0x8b, 0x57, 0x50,       // mov 0x50(%rdi),%r10
            0x4c, 0x8b, 0x5f, 0x58,       // mov 0x58(%rdi),%r11
            0x4c, 0x8b, 0x67, 0x60,       // mov 0x60(%rdi),%r12
            0x4c, 0x8b, 0x6f, 0x68,       // mov 0x68(%rdi),%r13
            0x4c, 0x8b, 0x77, 0x70,       // mov 0x70(%rdi),%r14
            0x4c, 0x8b, 0x7f, 0x78,       // mov 0x78(%rdi),%r15
            0x48, 0x8b, 0x7f, 0x28,       // mov 0x28(%rdi),%rdi
            0xff, 0x14, 0x24,             // call *(%rsp)
            0x48, 0x87, 0x7c, 0x24, 0x08, // xchg %rdi,0x8(%rsp)
            0x48, 0x89, 0x07,             // mov %rax,(%rdi)
            0x48, 0x89, 0x5f, 0x08,       // mov %rbx,0x8(%rdi)
            0x48, 0x89, 0x4f, 0x10,       // mov %rcx,0x10(%rdi)
            0x48, 0x89, 0x57, 0x18,       // mov %rdx,0x18(%rdi)
            0x48, 0x89, 0x77, 0x20,       // mov %rsi,0x20(%rdi)
            0x48, 0x89, 0x6f, 0x30,       // mov %rbp,0x30(%rdi)
            0x4c, 0x89, 0x47, 0x40,       // mov %r8,0x40(%rdi)
            0x4c, 0x89, 0x4f, 0x48,       // mov %r9,0x48(%rdi)
            0x4c, 0x89, 0x57, 0x50,       // mov %r10,0x50(%rdi)
            0x4c, 0x89, 0x5f, 0x58,       // mov %r11,0x58(%rdi)
            0x4c, 0x89, 0x67, 0x60,       // mov %r12,0x60(%rdi)
            0x4c, 0x89, 0x6f, 0x68,       // mov %r13,0x68(%rdi)
            0x4c, 0x89, 0x77, 0x70,       // mov %r14,0x70(%rdi)
            0x4c, 0x89, 0x7f, 0x78,       // mov %r15,0x78(%rdi)
            0x48, 0x8b, 0x44, 0x24, 0x08, // mov 0x8(%rsp),%rax
            0x48, 0x89, 0x47, 0x28,       // mov %rax,0x28(%rdi)
            0x48, 0x83, 0xc4, 0x10,       // add $0x10,%rsp
            0x41, 0x5f,                   // pop %r15
            0x41, 0x5e,                   // pop %r14
            0x41, 0x5d,                   // pop %r13
            0x41, 0x5c,                   // pop %r12
            0x5d,                         // pop %rbp
            0x5b,                         // pop %rbx
            0xc3);                        // ret

    static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    @BeforeAll
    static void boot() {
        g = new GuestKernel();
        c = g.c;
        task = c.tasks().spawn("test");
        taskSizeMax = c.profile().value("TASK_SIZE_MAX");
        // kernel code: a page of the module area, written, then made read-only and executable
        AddressSpace.Region r = c.machine().moduleArea().allocate(PAGE, PAGE, AddressSpace.RW, "test thunk");
        c.mem().poke(r.base(), THUNK);
        c.mem().protect(r.base(), PAGE, AddressSpace.RX);
        thunk = r.base();
        regs = c.slab().kmalloc(8 * SLOTS.length, 0);
    }

    @AfterAll
    static void shutdown() {
        c.tasks().exit(task);
        g.close();
    }

    /** Distinct values for every register not given. */
    static long sentinel(Reg r) {
        return 0x5e00_0000_0000_0000L | ((long) r.ordinal() << 8) | 0xa5;
    }

    /**
     * Calls {@code helper} with the registers {@code in} (the others hold sentinels); returns all
     * registers after it, and checks that every register outside {@code changed} is as before.
     */
    static Map<Reg, Long> call(String helper, Map<Reg, Long> in, Reg... changed) {
        Map<Reg, Long> before = new EnumMap<>(Reg.class);
        for (int i = 0; i < SLOTS.length; i++) {
            long v = in.getOrDefault(SLOTS[i], sentinel(SLOTS[i]));
            before.put(SLOTS[i], v);
            c.mem().write64(regs + 8L * i, v);
        }
        c.call(thunk, regs, c.sym(helper));
        Map<Reg, Long> after = new EnumMap<>(Reg.class);
        for (int i = 0; i < SLOTS.length; i++) {
            after.put(SLOTS[i], c.mem().read64(regs + 8L * i));
        }
        java.util.Set<Reg> ch = java.util.Set.of(changed);
        for (Reg r : SLOTS) {
            if (r != Reg.RSP && !ch.contains(r)) {
                assertEquals(before.get(r), after.get(r), helper + " changed " + r);
            }
        }
        return after;
    }

    static Map<Reg, Long> regs(Object... kv) {
        Map<Reg, Long> m = new EnumMap<>(Reg.class);
        for (int i = 0; i < kv.length; i += 2) {
            m.put((Reg) kv[i], (Long) kv[i + 1]);
        }
        return m;
    }

    static long userPage() {
        return task.userAlloc(c.mem(), PAGE);
    }

    static final long EFAULT = -Errno.EFAULT;

    // ---------------------------------------------------------------- __get_user_N

    @Test
    void getUserLoadsZeroExtendedIntoRdx() {
        long p = userPage();
        c.mem().write64(p, 0xf1f2f3f4f5f6f7f8L);
        Map<Reg, Long> r = call("__get_user_1", regs(Reg.RAX, p), Reg.RAX, Reg.RDX);
        assertEquals(0, r.get(Reg.RAX));
        assertEquals(0xf8L, r.get(Reg.RDX));
        r = call("__get_user_2", regs(Reg.RAX, p), Reg.RAX, Reg.RDX);
        assertEquals(0xf7f8L, r.get(Reg.RDX));
        r = call("__get_user_4", regs(Reg.RAX, p), Reg.RAX, Reg.RDX);
        assertEquals(0, r.get(Reg.RAX));
        assertEquals(0xf5f6f7f8L, r.get(Reg.RDX));
        r = call("__get_user_8", regs(Reg.RAX, p), Reg.RAX, Reg.RDX);
        assertEquals(0xf1f2f3f4f5f6f7f8L, r.get(Reg.RDX));
        r = call("__get_user_nocheck_4", regs(Reg.RAX, p + 4), Reg.RAX, Reg.RDX);
        assertEquals(0, r.get(Reg.RAX));
        assertEquals(0xf1f2f3f4L, r.get(Reg.RDX));
    }

    @Test
    void getUserFaultGivesEfaultAndZero() {
        long end = userPage() + PAGE;
        for (String h : new String[] {"__get_user_8", "__get_user_nocheck_8"}) {
            Map<Reg, Long> r = call(h, regs(Reg.RAX, end - 4), Reg.RAX, Reg.RDX);
            assertEquals(EFAULT, r.get(Reg.RAX), h);
            assertEquals(0, r.get(Reg.RDX), h);
        }
        Map<Reg, Long> r = call("__get_user_1", regs(Reg.RAX, 0L), Reg.RAX, Reg.RDX);
        assertEquals(EFAULT, r.get(Reg.RAX));
        assertEquals(0, r.get(Reg.RDX));
    }

    @Test
    void getUserChecksTaskSizeMaxTheNocheckVariantDoesNot() {
        long k = g.longs(0x1122334455667788L);
        Map<Reg, Long> r = call("__get_user_4", regs(Reg.RAX, k), Reg.RAX, Reg.RDX);
        assertEquals(EFAULT, r.get(Reg.RAX));
        assertEquals(0, r.get(Reg.RDX));
        r = call("__get_user_nocheck_4", regs(Reg.RAX, k), Reg.RAX, Reg.RDX);
        assertEquals(0, r.get(Reg.RAX));
        assertEquals(0x55667788L, r.get(Reg.RDX));
        // the last user bytes: TASK_SIZE_MAX - 2 is fine for __get_user_2, not for __get_user_4
        var top = c.mem().map(taskSizeMax - PAGE, 2 * PAGE, AddressSpace.RW, "test: top of user space");
        try {
            c.mem().write(taskSizeMax - 2, "ab".getBytes(StandardCharsets.ISO_8859_1));
            r = call("__get_user_2", regs(Reg.RAX, taskSizeMax - 2), Reg.RAX, Reg.RDX);
            assertEquals(0, r.get(Reg.RAX));
            assertEquals(0x6261L, r.get(Reg.RDX));
            r = call("__get_user_4", regs(Reg.RAX, taskSizeMax - 2), Reg.RAX, Reg.RDX);
            assertEquals(EFAULT, r.get(Reg.RAX));
            r = call("__get_user_nocheck_4", regs(Reg.RAX, taskSizeMax - 2), Reg.RAX, Reg.RDX);
            assertEquals(0, r.get(Reg.RAX));
            assertEquals(0x6261L, r.get(Reg.RDX));
        } finally {
            c.mem().unmap(top);
        }
    }

    // ---------------------------------------------------------------- __put_user_N

    @Test
    void putUserStoresRaxAtRcx() {
        long p = userPage();
        long v = 0x0102030405060708L;
        Map<Reg, Long> r = call("__put_user_4", regs(Reg.RAX, v, Reg.RCX, p), Reg.RCX, Reg.RBX);
        assertEquals(0, r.get(Reg.RCX));
        assertEquals(v, r.get(Reg.RAX));
        // the range check's scratch register
        assertEquals(taskSizeMax - 3, r.get(Reg.RBX));
        assertEquals(0x05060708L, c.mem().read64(p));
        call("__put_user_1", regs(Reg.RAX, v, Reg.RCX, p + 8), Reg.RCX, Reg.RBX);
        call("__put_user_2", regs(Reg.RAX, v, Reg.RCX, p + 16), Reg.RCX, Reg.RBX);
        call("__put_user_8", regs(Reg.RAX, v, Reg.RCX, p + 24), Reg.RCX, Reg.RBX);
        assertEquals(0x08L, c.mem().read64(p + 8));
        assertEquals(0x0708L, c.mem().read64(p + 16));
        assertEquals(v, c.mem().read64(p + 24));
        // the nocheck entries skip the range check: rbx is untouched
        r = call("__put_user_nocheck_2", regs(Reg.RAX, 0xbeefL, Reg.RCX, p + 32), Reg.RCX);
        assertEquals(0, r.get(Reg.RCX));
        assertEquals(0xbeefL, c.mem().read64(p + 32));
    }

    @Test
    void putUserFaultGivesEfaultInEcx() {
        long end = userPage() + PAGE;
        c.mem().write64(end - 8, 0);
        Map<Reg, Long> r = call("__put_user_8", regs(Reg.RAX, -1L, Reg.RCX, end - 4), Reg.RCX, Reg.RBX);
        // movl $-EFAULT,%ecx: zero-extended
        assertEquals(0xfffffff2L, r.get(Reg.RCX));
        assertEquals(-1L, r.get(Reg.RAX));
        assertEquals(0, c.mem().read64(end - 8));
        r = call("__put_user_nocheck_1", regs(Reg.RAX, 1L, Reg.RCX, end), Reg.RCX);
        assertEquals(0xfffffff2L, r.get(Reg.RCX));
    }

    @Test
    void putUserToAKernelAddress() {
        long k = g.longs(0);
        Map<Reg, Long> r = call("__put_user_8", regs(Reg.RAX, 42L, Reg.RCX, k), Reg.RCX, Reg.RBX);
        assertEquals(0xfffffff2L, r.get(Reg.RCX));
        assertEquals(0, c.mem().read64(k));
        r = call("__put_user_nocheck_8", regs(Reg.RAX, 42L, Reg.RCX, k), Reg.RCX);
        assertEquals(0, r.get(Reg.RCX));
        assertEquals(42, c.mem().read64(k));
    }

    // ---------------------------------------------------------------- clear_user_*

    /** 100 bytes of 'X' of which the first {@code writable} end at an unmapped page. */
    static long xs(int writable) {
        long end = userPage() + PAGE;
        c.mem().fill(end - writable, writable, (byte) 'X');
        return end - writable;
    }

    static int zeros(long p, int n) {
        int z = 0;
        for (byte b : c.mem().read(p, n)) {
            z += b == 0 ? 1 : 0;
        }
        return z;
    }

    @Test
    void clearUserErmsIsByteExact() {
        long p = xs(70);
        Map<Reg, Long> r = call("clear_user_erms", regs(Reg.RAX, 0L, Reg.RDI, p, Reg.RCX, 100L), Reg.RCX, Reg.RDI);
        assertEquals(30, r.get(Reg.RCX));
        assertEquals(p + 70, r.get(Reg.RDI));
        assertEquals(0, r.get(Reg.RAX));
        assertEquals(70, zeros(p, 70));
        p = xs(200);
        r = call("clear_user_erms", regs(Reg.RAX, 0L, Reg.RDI, p, Reg.RCX, 100L), Reg.RCX, Reg.RDI);
        assertEquals(0, r.get(Reg.RCX));
        assertEquals(p + 100, r.get(Reg.RDI));
        assertEquals(100, zeros(p, 200));
    }

    @Test
    void clearUserOriginalClearsWholeQwords() {
        // 20 bytes = 2 qwords + 4; 13 writable: the second qword faults, nothing of it is stored
        long p = xs(13);
        Map<Reg, Long> r = call("clear_user_original", regs(Reg.RAX, 0L, Reg.RDI, p, Reg.RCX, 20L),
                Reg.RCX, Reg.RDI);
        assertEquals(8 + 4, r.get(Reg.RCX));
        assertEquals(p + 8, r.get(Reg.RDI));
        assertEquals(8, zeros(p, 13));
        // 19 bytes = 2 qwords + 3, 18 writable: the trailing bytes are cleared one by one
        p = xs(18);
        r = call("clear_user_original", regs(Reg.RAX, 0L, Reg.RDI, p, Reg.RCX, 19L), Reg.RCX, Reg.RDI);
        assertEquals(1, r.get(Reg.RCX));
        assertEquals(p + 18, r.get(Reg.RDI));
        assertEquals(18, zeros(p, 18));
        // below 64 bytes clear_user_erms is clear_user_original
        p = xs(13);
        r = call("clear_user_erms", regs(Reg.RAX, 0L, Reg.RDI, p, Reg.RCX, 20L), Reg.RCX, Reg.RDI);
        assertEquals(12, r.get(Reg.RCX));
    }

    @Test
    void clearUserRepGoodClobbersRdx() {
        long p = xs(70);
        Map<Reg, Long> r = call("clear_user_rep_good", regs(Reg.RAX, 0L, Reg.RDI, p, Reg.RCX, 100L),
                Reg.RCX, Reg.RDI, Reg.RDX);
        // 12 qwords + 4: 8 qwords fit in 70 bytes
        assertEquals(4 * 8 + 4, r.get(Reg.RCX));
        assertEquals(p + 64, r.get(Reg.RDI));
        assertEquals(4, r.get(Reg.RDX));
        assertEquals(64, zeros(p, 70));
    }

    // ---------------------------------------------------------------- copy_user_*

    @Test
    void copyUserReturnsEaxAndAdvancesRdiRsi() {
        long end = userPage() + PAGE;
        c.mem().write(end - 3, "abc".getBytes(StandardCharsets.ISO_8859_1));
        long dst = g.buf(8, 'X');
        Map<Reg, Long> r = call("copy_user_generic_unrolled", regs(Reg.RDI, dst, Reg.RSI, end - 3, Reg.RDX, 8L),
                Reg.RAX, Reg.RDI, Reg.RSI);
        assertEquals(5, r.get(Reg.RAX));
        assertEquals(dst + 3, r.get(Reg.RDI));
        assertEquals(end, r.get(Reg.RSI));
        assertEquals("abcXXXXX", g.raw(dst, 8));
    }
}
