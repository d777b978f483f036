package dev.kmodemu.kstubs.lib;

import dev.kmodemu.emu.Access;
import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.emu.Reg;
import dev.kmodemu.firmware.CallFrame;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

import java.util.Arrays;

/**
 * User memory access as x86-64 Linux 6.1 does it: lib/usercopy.c ({@code _copy_from_user},
 * {@code _copy_to_user}, {@code check_zeroed_user}), lib/strncpy_from_user.c,
 * lib/strnlen_user.c, the nofault copies of mm/maccess.c, {@code copy_from_user_nmi()} of
 * arch/x86/lib/usercopy.c, and the assembler helpers of arch/x86/lib (getuser.S, putuser.S,
 * copy_user_64.S, clear_page_64.S) with their register conventions.
 *
 * <p>A user pointer is checked as the kernel does ({@code access_ok()}: the range lies below
 * {@code TASK_SIZE_MAX}), and a page it cannot reach is what the kernel's exception-table fixup
 * makes of it: a short count or {@code -EFAULT}, never an oops. Inside the raw copies of the
 * assembler helpers every fault is fixed up, on either side, exactly as there: copies stop at the
 * first byte that cannot be read or written ({@code .Lcopy_user_handle_tail} finishes byte by
 * byte), so a bad kernel buffer gives a short count too. Plain kernel stores and loads of the C
 * functions (the tail {@code memset()} of {@code _copy_from_user()}, the destination of
 * {@code strncpy_from_user()}) have no fixup: there a bad pointer faults and oopses.
 */
public final class Usercopy {
    private Usercopy() {
    }

    private static final long PAGE = AddressSpace.PAGE;
    private static final long EFAULT = -Errno.EFAULT;

    // ---------------------------------------------------------------- helpers for stubs

    /** {@code TASK_SIZE_MAX}: the end of user space (4-level paging). */
    public static long taskSizeMax(KernelContext k) {
        return k.profile().value("TASK_SIZE_MAX");
    }

    /** {@code __access_ok()}: {@code size <= TASK_SIZE_MAX && addr <= TASK_SIZE_MAX - size}, unsigned. */
    public static boolean accessOk(KernelContext k, long addr, long size) {
        long limit = taskSizeMax(k);
        return Long.compareUnsigned(size, limit) <= 0 && Long.compareUnsigned(addr, limit - size) <= 0;
    }

    /**
     * True if all {@code n} bytes (at most a page) at {@code va} can be accessed: what decides
     * whether one load or store of the kernel faults.
     */
    static boolean accessible(AddressSpace mem, long va, int n, Access access) {
        long last = va + n - 1;
        if (Long.compareUnsigned(last, va) < 0) {
            return false;
        }
        return mem.accessible(va, access) && ((last & -PAGE) == (va & -PAGE) || mem.accessible(last, access));
    }

    /**
     * {@code copy_user_generic()} (any of the three, and {@code __copy_user_nocache}): copies
     * {@code len} bytes up to the first one that cannot be read at {@code from} or written at
     * {@code to}; returns the bytes not copied.
     */
    static long rawCopy(KernelContext k, long to, long from, long len) {
        AddressSpace mem = k.mem();
        long done = 0;
        while (done != len) {
            long s = from + done;
            long d = to + done;
            long chunk = Math.min(PAGE - (s & (PAGE - 1)), PAGE - (d & (PAGE - 1)));
            if (Long.compareUnsigned(chunk, len - done) > 0) {
                chunk = len - done;
            }
            if (!mem.accessible(s, Access.READ) || !mem.accessible(d, Access.WRITE)) {
                break;
            }
            mem.copy(d, s, chunk);
            done += chunk;
        }
        return len - done;
    }

    /** {@code raw_copy_{from,to}_user()}: the helpers take {@code unsigned len}, so only 32 bits count. */
    private static long rawCopyUser(KernelContext k, long to, long from, long n) {
        return rawCopy(k, to, from, n & 0xffffffffL);
    }

    /**
     * {@code _copy_from_user()}: for Java stubs that copy from user memory into a kernel buffer.
     * Returns the bytes not copied; those at the end of {@code to} are zeroed (a bad {@code to}
     * faults there).
     */
    public static long copyFromUser(KernelContext k, long to, long from, long n) {
        long res = n;
        if (accessOk(k, from, n)) {
            res = rawCopyUser(k, to, from, n);
        }
        if (res != 0) {
            StringFns.fill(k, to + (n - res), res, 0);
        }
        return res;
    }

    /** {@code _copy_to_user()}: returns the bytes not copied. */
    public static long copyToUser(KernelContext k, long to, long from, long n) {
        if (accessOk(k, to, n)) {
            n = rawCopyUser(k, to, from, n);
        }
        return n;
    }

    /**
     * {@code copy_from_user()} into a Java buffer (a C function's on-stack array): fills {@code to}
     * from user address {@code from}, zeroing what could not be copied; returns the bytes not copied.
     */
    public static long copyFromUser(KernelContext k, byte[] to, long from) {
        int n = to.length;
        if (n == 0) {
            return 0;
        }
        if (!accessOk(k, from, n)) {
            Arrays.fill(to, (byte) 0);
            return n;
        }
        AddressSpace mem = k.mem();
        int done = 0;
        while (done < n) {
            long s = from + done;
            int chunk = (int) Math.min(PAGE - (s & (PAGE - 1)), n - done);
            if (!mem.accessible(s, Access.READ)) {
                break;
            }
            System.arraycopy(mem.read(s, chunk), 0, to, done, chunk);
            done += chunk;
        }
        Arrays.fill(to, done, n, (byte) 0);
        return n - done;
    }

    /** {@code copy_to_user()} from a Java buffer: returns the bytes not copied. */
    public static long copyToUser(KernelContext k, long to, byte[] from) {
        int n = from.length;
        if (n == 0) {
            return 0;
        }
        if (!accessOk(k, to, n)) {
            return n;
        }
        AddressSpace mem = k.mem();
        int done = 0;
        while (done < n) {
            long d = to + done;
            int chunk = (int) Math.min(PAGE - (d & (PAGE - 1)), n - done);
            if (!mem.accessible(d, Access.WRITE)) {
                break;
            }
            mem.write(d, from, done, chunk);
            done += chunk;
        }
        return n - done;
    }

    /** The word at {@code va} as {@code unsafe_get_user()} loads it, or null if the load faults. */
    private static Long userWord(AddressSpace mem, long va) {
        return accessible(mem, va, 8, Access.READ) ? mem.read64(va) : null;
    }

    /** {@code aligned_byte_mask(n)} on little endian: the low {@code n} bytes. */
    private static long alignedByteMask(long n) {
        return n >= 8 ? -1L : (1L << (8 * n)) - 1;
    }

    /** {@code find_zero(create_zero_mask(...))}: the index of the lowest zero byte of {@code c}, or -1. */
    private static int firstZeroByte(long c) {
        for (int i = 0; i < 8; i++) {
            if (((c >>> (8 * i)) & 0xff) == 0) {
                return i;
            }
        }
        return -1;
    }

    // ---------------------------------------------------------------- lib/usercopy.c

    /** unsigned long _copy_from_user(void *to, const void __user *from, unsigned long n) */
    @KernelSymbol("_copy_from_user")
    static long copyFromUserSym(KernelContext k, long to, long from, long n) {
        dev.kmodemu.kstubs.mm.Kasan.check(k, to, n, true, false);
        return copyFromUser(k, to, from, n);
    }

    /** unsigned long _copy_to_user(void __user *to, const void *from, unsigned long n) */
    @KernelSymbol("_copy_to_user")
    static long copyToUserSym(KernelContext k, long to, long from, long n) {
        dev.kmodemu.kstubs.mm.Kasan.check(k, from, n, false, false);
        return copyToUser(k, to, from, n);
    }

    /**
     * int check_zeroed_user(const void __user *from, size_t size)
     *
     * <p>1 if all bytes are zero, 0 if not (stopping at the first non-zero word, so a bad page
     * after it does not matter), -EFAULT if a word it reads faults.
     */
    @KernelSymbol("check_zeroed_user")
    static int checkZeroedUser(KernelContext k, long from, long size) {
        if (size == 0) {
            return 1;
        }
        long align = from & 7;
        from -= align;
        size += align;
        if (!accessOk(k, from, size)) {
            return -Errno.EFAULT;
        }
        AddressSpace mem = k.mem();
        Long w = userWord(mem, from);
        if (w == null) {
            return -Errno.EFAULT;
        }
        long val = w;
        if (align != 0) {
            val &= ~alignedByteMask(align);
        }
        while (Long.compareUnsigned(size, 8) > 0) {
            if (val != 0) {
                return 0;
            }
            from += 8;
            size -= 8;
            w = userWord(mem, from);
            if (w == null) {
                return -Errno.EFAULT;
            }
            val = w;
        }
        if (size < 8) {
            val &= alignedByteMask(size);
        }
        return val == 0 ? 1 : 0;
    }

    // ---------------------------------------------------------------- lib/strncpy_from_user.c, lib/strnlen_user.c

    /**
     * long strncpy_from_user(char *dst, const char __user *src, long count)
     *
     * <p>Word at a time while 8 bytes remain (a faulting word falls back to bytes; the word holding
     * the NUL is stored with the bytes after the NUL cleared), then byte by byte: the length, or
     * {@code count} if no NUL came first, or -EFAULT.
     */
    @KernelSymbol("strncpy_from_user")
    static long strncpyFromUser(KernelContext k, long dst, long src, long count) {
        if (count <= 0) {
            return 0;
        }
        long maxAddr = taskSizeMax(k);
        if (Long.compareUnsigned(src, maxAddr) >= 0) {
            return EFAULT;
        }
        long max = maxAddr - src;
        if (Long.compareUnsigned(max, count) > 0) {
            max = count;
        }
        if (!accessOk(k, src, max)) {
            return EFAULT;
        }
        AddressSpace mem = k.mem();
        long res = 0;
        while (Long.compareUnsigned(max, 8) >= 0) {
            Long w = userWord(mem, src + res);
            if (w == null) {
                break;
            }
            long c = w;
            int z = firstZeroByte(c);
            if (z >= 0) {
                mem.write64(dst + res, c & alignedByteMask(z));
                return res + z;
            }
            mem.write64(dst + res, c);
            res += 8;
            max -= 8;
        }
        while (max != 0) {
            if (!mem.accessible(src + res, Access.READ)) {
                return EFAULT;
            }
            byte c = mem.read8(src + res);
            mem.write8(dst + res, c);
            if (c == 0) {
                return res;
            }
            res++;
            max--;
        }
        if (Long.compareUnsigned(res, count) >= 0) {
            return res;
        }
        return EFAULT;
    }

    /**
     * long strnlen_user(const char __user *str, long count)
     *
     * <p>The size including the NUL; {@code count + 1} if longer; 0 on a fault or if the string
     * runs into {@code TASK_SIZE_MAX}. Aligned words are read, so (as in the kernel) a NUL within
     * the last word may be found past {@code count}.
     */
    @KernelSymbol("strnlen_user")
    public static long strnlenUser(KernelContext k, long str, long count) {
        if (count <= 0) {
            return 0;
        }
        long maxAddr = taskSizeMax(k);
        if (Long.compareUnsigned(str, maxAddr) >= 0) {
            return 0;
        }
        long max = maxAddr - str;
        if (Long.compareUnsigned(max, count) > 0) {
            max = count;
        }
        if (!accessOk(k, str, max)) {
            return 0;
        }
        AddressSpace mem = k.mem();
        long align = str & 7;
        long src = str - align;
        max += align;
        Long w = userWord(mem, src);
        if (w == null) {
            return 0;
        }
        long c = w | alignedByteMask(align);
        long res = 0;
        for (;;) {
            int z = firstZeroByte(c);
            if (z >= 0) {
                return res + z + 1 - align;
            }
            res += 8;
            if (Long.compareUnsigned(max, 8) <= 0) {
                break;
            }
            max -= 8;
            w = userWord(mem, src + res);
            if (w == null) {
                return 0;
            }
            c = w;
        }
        res -= align;
        if (Long.compareUnsigned(res, count) >= 0) {
            return count + 1;
        }
        return 0;
    }

    // ---------------------------------------------------------------- mm/maccess.c, arch/x86/lib/usercopy.c

    /** long copy_from_user_nofault(void *dst, const void __user *src, size_t size) */
    @KernelSymbol("copy_from_user_nofault")
    static long copyFromUserNofault(KernelContext k, long dst, long src, long size) {
        if (!accessOk(k, src, size)) {
            return EFAULT;
        }
        return rawCopyUser(k, dst, src, size) != 0 ? EFAULT : 0;
    }

    /** long copy_to_user_nofault(void __user *dst, const void *src, size_t size) */
    @KernelSymbol("copy_to_user_nofault")
    static long copyToUserNofault(KernelContext k, long dst, long src, long size) {
        if (!accessOk(k, dst, size)) {
            return EFAULT;
        }
        return rawCopyUser(k, dst, src, size) != 0 ? EFAULT : 0;
    }

    /**
     * long copy_from_kernel_nofault(void *dst, const void *src, size_t size)
     *
     * <p>-ERANGE for a source below {@code TASK_SIZE_MAX + PAGE_SIZE} or non-canonical (x86's
     * {@code copy_from_kernel_nofault_allowed()}); otherwise copies in 8-byte steps, then 4, 2 and 1
     * (x86 has efficient unaligned access, so alignment does not matter), and returns -EFAULT at
     * the first load that faults. Only the loads have fixups: a bad {@code dst} oopses.
     */
    @KernelSymbol("copy_from_kernel_nofault")
    static long copyFromKernelNofault(KernelContext k, long dst, long src, long size) {
        boolean canonical = (src >> 47) == 0 || (src >> 47) == -1;
        if (Long.compareUnsigned(src, taskSizeMax(k) + PAGE) < 0 || !canonical) {
            return -Errno.ERANGE;
        }
        AddressSpace mem = k.mem();
        long done = 0;
        for (int step : new int[] {8, 4, 2, 1}) {
            while (Long.compareUnsigned(size - done, step) >= 0) {
                if (!accessible(mem, src + done, step, Access.READ)) {
                    return EFAULT;
                }
                mem.write(dst + done, mem.read(src + done, step));
                done += step;
            }
        }
        return 0;
    }

    /** unsigned long copy_from_user_nmi(void *to, const void __user *from, unsigned long n) */
    @KernelSymbol("copy_from_user_nmi")
    static long copyFromUserNmi(KernelContext k, long to, long from, long n) {
        if (!accessOk(k, from, n)) {
            return n;
        }
        return rawCopyUser(k, to, from, n);
    }

    // ---------------------------------------------------------------- arch/x86/lib/getuser.S

    /**
     * {@code __get_user_N}: pointer in rax; returns rax = 0 or -EFAULT and rdx = the zero-extended
     * value (0 after a fault). The checking variants refuse pointers whose last byte is at or past
     * {@code TASK_SIZE_MAX}. Nothing else changes.
     */
    private static long getUser(KernelContext k, int size, boolean check) {
        CallFrame f = k.frame();
        long ptr = f.register(Reg.RAX);
        AddressSpace mem = k.mem();
        if ((check && Long.compareUnsigned(ptr, taskSizeMax(k) - (size - 1)) >= 0)
                || !accessible(mem, ptr, size, Access.READ)) {
            f.setRegister(Reg.RDX, 0);
            return EFAULT;
        }
        long v = switch (size) {
            case 1 -> mem.read8(ptr) & 0xffL;
            case 2 -> mem.read16(ptr) & 0xffffL;
            case 4 -> mem.read32(ptr) & 0xffffffffL;
            default -> mem.read64(ptr);
        };
        f.setRegister(Reg.RDX, v);
        return 0;
    }

    /** int __get_user_1(void) — pointer in rax, error in rax, value in rdx */
    @KernelSymbol("__get_user_1")
    static long getUser1(KernelContext k) {
        return getUser(k, 1, true);
    }

    /** int __get_user_2(void) — pointer in rax, error in rax, value in rdx */
    @KernelSymbol("__get_user_2")
    static long getUser2(KernelContext k) {
        return getUser(k, 2, true);
    }

    /** int __get_user_4(void) — pointer in rax, error in rax, value in rdx */
    @KernelSymbol("__get_user_4")
    static long getUser4(KernelContext k) {
        return getUser(k, 4, true);
    }

    /** int __get_user_8(void) — pointer in rax, error in rax, value in rdx */
    @KernelSymbol("__get_user_8")
    static long getUser8(KernelContext k) {
        return getUser(k, 8, true);
    }

    /** int __get_user_nocheck_1(void) — as __get_user_1 without the range check */
    @KernelSymbol("__get_user_nocheck_1")
    static long getUserNocheck1(KernelContext k) {
        return getUser(k, 1, false);
    }

    /** int __get_user_nocheck_2(void) — as __get_user_2 without the range check */
    @KernelSymbol("__get_user_nocheck_2")
    static long getUserNocheck2(KernelContext k) {
        return getUser(k, 2, false);
    }

    /** int __get_user_nocheck_4(void) — as __get_user_4 without the range check */
    @KernelSymbol("__get_user_nocheck_4")
    static long getUserNocheck4(KernelContext k) {
        return getUser(k, 4, false);
    }

    /** int __get_user_nocheck_8(void) — as __get_user_8 without the range check */
    @KernelSymbol("__get_user_nocheck_8")
    static long getUserNocheck8(KernelContext k) {
        return getUser(k, 8, false);
    }

    // ---------------------------------------------------------------- arch/x86/lib/putuser.S

    /**
     * {@code __put_user_N}: value in rax, pointer in rcx; returns ecx = 0 or -EFAULT
     * ({@code movl}, so rcx is zero-extended). The checking variants load
     * {@code TASK_SIZE_MAX - (N - 1)} into rbx for the comparison (rbx is the declared clobber);
     * rax and every other register are preserved.
     */
    private static long putUser(KernelContext k, int size, boolean check) {
        CallFrame f = k.frame();
        long ax = f.register(Reg.RAX);
        long ptr = f.register(Reg.RCX);
        AddressSpace mem = k.mem();
        boolean bad = false;
        if (check) {
            long limit = taskSizeMax(k) - (size - 1);
            f.setRegister(Reg.RBX, limit);
            bad = Long.compareUnsigned(ptr, limit) >= 0;
        }
        if (bad || !accessible(mem, ptr, size, Access.WRITE)) {
            f.setRegister(Reg.RCX, EFAULT & 0xffffffffL);
            return ax;
        }
        switch (size) {
            case 1 -> mem.write8(ptr, (int) ax);
            case 2 -> mem.write16(ptr, (int) ax);
            case 4 -> mem.write32(ptr, (int) ax);
            default -> mem.write64(ptr, ax);
        }
        f.setRegister(Reg.RCX, 0);
        return ax;
    }

    /** void __put_user_1(void) — value in rax, pointer in rcx, error in ecx */
    @KernelSymbol("__put_user_1")
    static long putUser1(KernelContext k) {
        return putUser(k, 1, true);
    }

    /** void __put_user_2(void) — value in rax, pointer in rcx, error in ecx */
    @KernelSymbol("__put_user_2")
    static long putUser2(KernelContext k) {
        return putUser(k, 2, true);
    }

    /** void __put_user_4(void) — value in rax, pointer in rcx, error in ecx */
    @KernelSymbol("__put_user_4")
    static long putUser4(KernelContext k) {
        return putUser(k, 4, true);
    }

    /** void __put_user_8(void) — value in rax, pointer in rcx, error in ecx */
    @KernelSymbol("__put_user_8")
    static long putUser8(KernelContext k) {
        return putUser(k, 8, true);
    }

    /** void __put_user_nocheck_1(void) — as __put_user_1 without the range check */
    @KernelSymbol("__put_user_nocheck_1")
    static long putUserNocheck1(KernelContext k) {
        return putUser(k, 1, false);
    }

    /** void __put_user_nocheck_2(void) — as __put_user_2 without the range check */
    @KernelSymbol("__put_user_nocheck_2")
    static long putUserNocheck2(KernelContext k) {
        return putUser(k, 2, false);
    }

    /** void __put_user_nocheck_4(void) — as __put_user_4 without the range check */
    @KernelSymbol("__put_user_nocheck_4")
    static long putUserNocheck4(KernelContext k) {
        return putUser(k, 4, false);
    }

    /** void __put_user_nocheck_8(void) — as __put_user_8 without the range check */
    @KernelSymbol("__put_user_nocheck_8")
    static long putUserNocheck8(KernelContext k) {
        return putUser(k, 8, false);
    }

    // ---------------------------------------------------------------- arch/x86/lib/copy_user_64.S

    /**
     * The copy_user_64.S result: eax = bytes not copied (zero-extended); rdi and rsi end past the
     * bytes copied, as the string instructions leave them.
     */
    private static long copyUser(KernelContext k, long to, long from, int len) {
        long left = rawCopy(k, to, from, len & 0xffffffffL);
        long done = (len & 0xffffffffL) - left;
        CallFrame f = k.frame();
        f.setRegister(Reg.RDI, to + done);
        f.setRegister(Reg.RSI, from + done);
        return left;
    }

    /** unsigned long copy_user_generic_unrolled(void *to, const void *from, unsigned len) */
    @KernelSymbol("copy_user_generic_unrolled")
    static long copyUserGenericUnrolled(KernelContext k, long to, long from, int len) {
        return copyUser(k, to, from, len);
    }

    /** unsigned long copy_user_generic_string(void *to, const void *from, unsigned len) */
    @KernelSymbol("copy_user_generic_string")
    static long copyUserGenericString(KernelContext k, long to, long from, int len) {
        return copyUser(k, to, from, len);
    }

    /** unsigned long copy_user_enhanced_fast_string(void *to, const void *from, unsigned len) */
    @KernelSymbol("copy_user_enhanced_fast_string")
    static long copyUserEnhancedFastString(KernelContext k, long to, long from, int len) {
        return copyUser(k, to, from, len);
    }

    /**
     * long __copy_user_nocache(void *dst, const void __user *src, unsigned size, int zerorest)
     *
     * <p>{@code zerorest} is unused in 6.1: nothing is zeroed.
     */
    @KernelSymbol("__copy_user_nocache")
    static long copyUserNocache(KernelContext k, long dst, long src, int size, int zerorest) {
        return copyUser(k, dst, src, size);
    }

    // ---------------------------------------------------------------- arch/x86/lib/clear_page_64.S

    /** Bytes writable from {@code va} on, page by page, at most {@code n} (unsigned). */
    private static long writableSpan(AddressSpace mem, long va, long n) {
        long done = 0;
        while (done != n) {
            long a = va + done;
            if (!mem.accessible(a, Access.WRITE)) {
                break;
            }
            long chunk = PAGE - (a & (PAGE - 1));
            done = Long.compareUnsigned(chunk, n - done) > 0 ? n : done + chunk;
        }
        return done;
    }

    /**
     * {@code clear_user_original}: qwords ({@code movq $0}, a qword crossing into a bad page
     * stores nothing) then bytes. Returns the bytes not cleared (rcx); sets rdi.
     */
    private static long clearQwordsThenBytes(KernelContext k, long addr, long len) {
        AddressSpace mem = k.mem();
        long qwords = len >>> 3;
        long rest = len & 7;
        long ok = writableSpan(mem, addr, len);
        long fullQ = Math.min(qwords, ok >>> 3);
        fill(mem, addr, fullQ * 8);
        long rdi = addr + fullQ * 8;
        long rcx;
        if (fullQ < qwords) {
            rcx = (qwords - fullQ) * 8 + rest;
        } else {
            long bytes = Math.min(rest, ok - qwords * 8);
            fill(mem, rdi, bytes);
            rdi += bytes;
            rcx = rest - bytes;
        }
        k.frame().setRegister(Reg.RDI, rdi);
        return rcx;
    }

    private static void fill(AddressSpace mem, long va, long n) {
        long done = 0;
        while (done < n) {
            long a = va + done;
            long chunk = Math.min(PAGE - (a & (PAGE - 1)), n - done);
            mem.fill(a, chunk, (byte) 0);
            done += chunk;
        }
    }

    /**
     * unsigned long clear_user_original(void __user *addr, unsigned long len) — rdi address, rcx
     * count; returns rcx = bytes not cleared, rax = 0, rdi past the bytes cleared.
     */
    @KernelSymbol("clear_user_original")
    static long clearUserOriginal(KernelContext k) {
        CallFrame f = k.frame();
        long rcx = clearQwordsThenBytes(k, f.register(Reg.RDI), f.register(Reg.RCX));
        f.setRegister(Reg.RCX, rcx);
        return 0;
    }

    /**
     * unsigned long clear_user_rep_good(void __user *addr, unsigned long len) — as
     * clear_user_original below 64 bytes; else {@code rep stosq} then {@code rep stosb}, with
     * rdx = {@code len & 7} on the way out.
     */
    @KernelSymbol("clear_user_rep_good")
    static long clearUserRepGood(KernelContext k) {
        CallFrame f = k.frame();
        long addr = f.register(Reg.RDI);
        long len = f.register(Reg.RCX);
        long rcx = clearQwordsThenBytes(k, addr, len);
        if (Long.compareUnsigned(len, 64) >= 0) {
            f.setRegister(Reg.RDX, len & 7);
        }
        f.setRegister(Reg.RCX, rcx);
        return 0;
    }

    /**
     * unsigned long clear_user_erms(void __user *addr, unsigned long len) — as
     * clear_user_original below 64 bytes; else {@code rep stosb}, byte exact.
     */
    @KernelSymbol("clear_user_erms")
    static long clearUserErms(KernelContext k) {
        CallFrame f = k.frame();
        long addr = f.register(Reg.RDI);
        long len = f.register(Reg.RCX);
        if (Long.compareUnsigned(len, 64) < 0) {
            f.setRegister(Reg.RCX, clearQwordsThenBytes(k, addr, len));
            return 0;
        }
        long ok = writableSpan(k.mem(), addr, len);
        fill(k.mem(), addr, ok);
        f.setRegister(Reg.RDI, addr + ok);
        f.setRegister(Reg.RCX, len - ok);
        return 0;
    }
}
