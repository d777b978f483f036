package dev.kmodemu.kstubs.lib;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.mm.Slab;

/**
 * lib/kfifo.c: the out-of-line half of the kfifo ring buffers. The guest {@code struct __kfifo}
 * ({@code in}, {@code out}, {@code mask}, {@code esize}, {@code data}) is the whole state: the
 * {@code kfifo_*} macros in module code read and update the same fields inline. Indexes are free
 * running 32-bit counters masked on access, as in the kernel. The DMA scatterlist helpers
 * ({@code __kfifo_dma_*}) are not provided.
 */
public final class Kfifo {
    private Kfifo() {
    }

    /** The fields of one {@code struct __kfifo}. */
    private static final class Fifo {
        final KernelContext k;
        final AddressSpace m;
        final long at;

        Fifo(KernelContext k, long at) {
            this.k = k;
            this.m = k.mem();
            this.at = at;
        }

        int in() {
            return m.read32(at + k.off("__kfifo_in"));
        }

        int out() {
            return m.read32(at + k.off("__kfifo_out"));
        }

        int mask() {
            return m.read32(at + k.off("__kfifo_mask"));
        }

        int esize() {
            return m.read32(at + k.off("__kfifo_esize"));
        }

        long data() {
            return m.read64(at + k.off("__kfifo_data"));
        }

        void in(int v) {
            m.write32(at + k.off("__kfifo_in"), v);
        }

        void out(int v) {
            m.write32(at + k.off("__kfifo_out"), v);
        }

        void mask(int v) {
            m.write32(at + k.off("__kfifo_mask"), v);
        }

        void esize(int v) {
            m.write32(at + k.off("__kfifo_esize"), v);
        }

        void data(long v) {
            m.write64(at + k.off("__kfifo_data"), v);
        }

        /** {@code kfifo_unused()}. */
        int unused() {
            return (mask() + 1) - (in() - out());
        }
    }

    private static int min(int a, int b) {
        return Integer.compareUnsigned(a, b) < 0 ? a : b;
    }

    private static void copy(AddressSpace m, long dst, long src, int n) {
        if (n != 0) {
            m.copy(dst, src, Integer.toUnsignedLong(n));
        }
    }

    /** {@code kfifo_copy_in()}: {@code len} elements from {@code src} at index {@code off}. */
    private static void copyIn(Fifo f, long src, int len, int off) {
        int size = f.mask() + 1;
        int esize = f.esize();
        off &= f.mask();
        if (esize != 1) {
            off *= esize;
            size *= esize;
            len *= esize;
        }
        int l = min(len, size - off);
        copy(f.m, f.data() + Integer.toUnsignedLong(off), src, l);
        copy(f.m, f.data(), src + Integer.toUnsignedLong(l), len - l);
    }

    /** {@code kfifo_copy_out()}: {@code len} elements at index {@code off} to {@code dst}. */
    private static void copyOut(Fifo f, long dst, int len, int off) {
        int size = f.mask() + 1;
        int esize = f.esize();
        off &= f.mask();
        if (esize != 1) {
            off *= esize;
            size *= esize;
            len *= esize;
        }
        int l = min(len, size - off);
        copy(f.m, dst, f.data() + Integer.toUnsignedLong(off), l);
        copy(f.m, dst + Integer.toUnsignedLong(l), f.data(), len - l);
    }

    /** {@code roundup_pow_of_two()}. */
    private static long roundupPow2(long n) {
        return n <= 1 ? 1 : Long.highestOneBit(n - 1) << 1;
    }

    /** int __kfifo_alloc(struct __kfifo *fifo, unsigned int size, size_t esize, gfp_t gfp_mask) */
    @KernelSymbol("__kfifo_alloc")
    static int alloc(KernelContext k, long fifo, int size, long esize, int gfp) {
        Fifo f = new Fifo(k, fifo);
        long n = roundupPow2(Integer.toUnsignedLong(size));
        f.in(0);
        f.out(0);
        f.esize((int) esize);
        if (n < 2) {
            f.data(0);
            f.mask(0);
            return -Errno.EINVAL;
        }
        long bytes = esize * n;
        long data = esize != 0 && bytes / esize != n ? 0 : k.slab().kmalloc(bytes, gfp);
        f.data(data);
        if (data == 0) {
            f.mask(0);
            return -Errno.ENOMEM;
        }
        f.mask((int) (n - 1));
        return 0;
    }

    /** void __kfifo_free(struct __kfifo *fifo) */
    @KernelSymbol("__kfifo_free")
    static void free(KernelContext k, long fifo) {
        Fifo f = new Fifo(k, fifo);
        Slab.kfreeSym(k, f.data());
        f.in(0);
        f.out(0);
        f.esize(0);
        f.data(0);
        f.mask(0);
    }

    /** int __kfifo_init(struct __kfifo *fifo, void *buffer, unsigned int size, size_t esize) */
    @KernelSymbol("__kfifo_init")
    static int init(KernelContext k, long fifo, long buffer, int size, long esize) {
        Fifo f = new Fifo(k, fifo);
        long n = Integer.toUnsignedLong(size) / esize;
        if (Long.bitCount(n) != 1) {
            n = n == 0 ? 0 : Long.highestOneBit(n);
        }
        f.in(0);
        f.out(0);
        f.esize((int) esize);
        f.data(buffer);
        if (n < 2) {
            f.mask(0);
            return -Errno.EINVAL;
        }
        f.mask((int) (n - 1));
        return 0;
    }

    /** unsigned int __kfifo_in(struct __kfifo *fifo, const void *buf, unsigned int len) */
    @KernelSymbol("__kfifo_in")
    static int in(KernelContext k, long fifo, long buf, int len) {
        Fifo f = new Fifo(k, fifo);
        len = min(len, f.unused());
        copyIn(f, buf, len, f.in());
        f.in(f.in() + len);
        return len;
    }

    /** unsigned int __kfifo_out_peek(struct __kfifo *fifo, void *buf, unsigned int len) */
    @KernelSymbol("__kfifo_out_peek")
    static int outPeek(KernelContext k, long fifo, long buf, int len) {
        Fifo f = new Fifo(k, fifo);
        len = min(len, f.in() - f.out());
        copyOut(f, buf, len, f.out());
        return len;
    }

    /** unsigned int __kfifo_out(struct __kfifo *fifo, void *buf, unsigned int len) */
    @KernelSymbol("__kfifo_out")
    static int out(KernelContext k, long fifo, long buf, int len) {
        len = outPeek(k, fifo, buf, len);
        Fifo f = new Fifo(k, fifo);
        f.out(f.out() + len);
        return len;
    }

    /**
     * {@code kfifo_copy_from_user()}/{@code kfifo_copy_to_user()}: returns the elements not
     * copied and stores the bytes copied in {@code *copied}.
     */
    private static long copyUser(Fifo f, long user, int len, int off, long copied, boolean fromUser) {
        int size = f.mask() + 1;
        int esize = f.esize();
        off &= f.mask();
        if (esize != 1) {
            off *= esize;
            size *= esize;
            len *= esize;
        }
        int l = min(len, size - off);
        long first = f.data() + Integer.toUnsignedLong(off);
        long ul = Integer.toUnsignedLong(l);
        long ret = fromUser ? Usercopy.copyFromUser(f.k, first, user, ul) : Usercopy.copyToUser(f.k, user, first, ul);
        long es = Integer.toUnsignedLong(esize);
        if (ret != 0) {
            ret = (ret + Integer.toUnsignedLong(len - l) + es - 1) / es;
        } else {
            long rest = Integer.toUnsignedLong(len - l);
            ret = fromUser ? Usercopy.copyFromUser(f.k, f.data(), user + ul, rest)
                    : Usercopy.copyToUser(f.k, user + ul, f.data(), rest);
            if (ret != 0) {
                ret = (ret + es - 1) / es;
            }
        }
        f.m.write32(copied, (int) (len - ret * esize));
        return ret;
    }

    /** The clamping of a {@code unsigned long len} to an {@code unsigned int} count of elements. */
    private static int clamp(long len, int limit) {
        return Long.compareUnsigned(len, Integer.toUnsignedLong(limit)) > 0 ? limit : (int) len;
    }

    /** int __kfifo_from_user(struct __kfifo *fifo, const void __user *from, unsigned long len, unsigned int *copied) */
    @KernelSymbol("__kfifo_from_user")
    static int fromUser(KernelContext k, long fifo, long from, long len, long copied) {
        Fifo f = new Fifo(k, fifo);
        int esize = f.esize();
        if (esize != 1) {
            len = Long.divideUnsigned(len, Integer.toUnsignedLong(esize));
        }
        int n = clamp(len, f.unused());
        long ret = copyUser(f, from, n, f.in(), copied, true);
        int err = 0;
        if (ret != 0) {
            n -= (int) ret;
            err = -Errno.EFAULT;
        }
        f.in(f.in() + n);
        return err;
    }

    /** int __kfifo_to_user(struct __kfifo *fifo, void __user *to, unsigned long len, unsigned int *copied) */
    @KernelSymbol("__kfifo_to_user")
    static int toUser(KernelContext k, long fifo, long to, long len, long copied) {
        Fifo f = new Fifo(k, fifo);
        int esize = f.esize();
        if (esize != 1) {
            len = Long.divideUnsigned(len, Integer.toUnsignedLong(esize));
        }
        int n = clamp(len, f.in() - f.out());
        long ret = copyUser(f, to, n, f.out(), copied, false);
        int err = 0;
        if (ret != 0) {
            n -= (int) ret;
            err = -Errno.EFAULT;
        }
        f.out(f.out() + n);
        return err;
    }

    // ---------------------------------------------------------------- record fifos

    /** unsigned int __kfifo_max_r(unsigned int len, size_t recsize) */
    @KernelSymbol("__kfifo_max_r")
    static int maxR(KernelContext k, int len, long recsize) {
        int max = (1 << (recsize << 3)) - 1;
        return Integer.compareUnsigned(len, max) > 0 ? max : len;
    }

    /** {@code __kfifo_peek_n()}: the length field of the record at {@code out}. */
    private static int peekN(Fifo f, long recsize) {
        int mask = f.mask();
        long data = f.data();
        int l = f.m.read8(data + Integer.toUnsignedLong(f.out() & mask)) & 0xff;
        if (--recsize != 0) {
            l |= (f.m.read8(data + Integer.toUnsignedLong((f.out() + 1) & mask)) & 0xff) << 8;
        }
        return l;
    }

    /** {@code __kfifo_poke_n()}: writes a record's length field at {@code in}. */
    private static void pokeN(Fifo f, int n, long recsize) {
        int mask = f.mask();
        long data = f.data();
        f.m.write8(data + Integer.toUnsignedLong(f.in() & mask), n);
        if (recsize > 1) {
            f.m.write8(data + Integer.toUnsignedLong((f.in() + 1) & mask), n >>> 8);
        }
    }

    /** unsigned int __kfifo_len_r(struct __kfifo *fifo, size_t recsize) */
    @KernelSymbol("__kfifo_len_r")
    static int lenR(KernelContext k, long fifo, long recsize) {
        return peekN(new Fifo(k, fifo), recsize);
    }

    /** unsigned int __kfifo_in_r(struct __kfifo *fifo, const void *buf, unsigned int len, size_t recsize) */
    @KernelSymbol("__kfifo_in_r")
    static int inR(KernelContext k, long fifo, long buf, int len, long recsize) {
        Fifo f = new Fifo(k, fifo);
        if (Integer.compareUnsigned(len + (int) recsize, f.unused()) > 0) {
            return 0;
        }
        pokeN(f, len, recsize);
        copyIn(f, buf, len, f.in() + (int) recsize);
        f.in(f.in() + len + (int) recsize);
        return len;
    }

    /** {@code kfifo_out_copy_r()}: returns {len copied, record length}. */
    private static int[] outCopyR(Fifo f, long buf, int len, long recsize) {
        int n = peekN(f, recsize);
        len = min(len, n);
        copyOut(f, buf, len, f.out() + (int) recsize);
        return new int[] {len, n};
    }

    /** unsigned int __kfifo_out_peek_r(struct __kfifo *fifo, void *buf, unsigned int len, size_t recsize) */
    @KernelSymbol("__kfifo_out_peek_r")
    static int outPeekR(KernelContext k, long fifo, long buf, int len, long recsize) {
        Fifo f = new Fifo(k, fifo);
        if (f.in() == f.out()) {
            return 0;
        }
        return outCopyR(f, buf, len, recsize)[0];
    }

    /** unsigned int __kfifo_out_r(struct __kfifo *fifo, void *buf, unsigned int len, size_t recsize) */
    @KernelSymbol("__kfifo_out_r")
    static int outR(KernelContext k, long fifo, long buf, int len, long recsize) {
        Fifo f = new Fifo(k, fifo);
        if (f.in() == f.out()) {
            return 0;
        }
        int[] r = outCopyR(f, buf, len, recsize);
        f.out(f.out() + r[1] + (int) recsize);
        return r[0];
    }

    /** void __kfifo_skip_r(struct __kfifo *fifo, size_t recsize) */
    @KernelSymbol("__kfifo_skip_r")
    static void skipR(KernelContext k, long fifo, long recsize) {
        Fifo f = new Fifo(k, fifo);
        int n = peekN(f, recsize);
        f.out(f.out() + n + (int) recsize);
    }

    /**
     * int __kfifo_from_user_r(struct __kfifo *fifo, const void __user *from, unsigned long len,
     * unsigned int *copied, size_t recsize)
     */
    @KernelSymbol("__kfifo_from_user_r")
    static int fromUserR(KernelContext k, long fifo, long from, long len, long copied, long recsize) {
        Fifo f = new Fifo(k, fifo);
        int n = maxR(k, (int) len, recsize);
        if (Integer.compareUnsigned(n + (int) recsize, f.unused()) > 0) {
            k.mem().write32(copied, 0);
            return 0;
        }
        pokeN(f, n, recsize);
        long ret = copyUser(f, from, n, f.in() + (int) recsize, copied, true);
        if (ret != 0) {
            k.mem().write32(copied, 0);
            return -Errno.EFAULT;
        }
        f.in(f.in() + n + (int) recsize);
        return 0;
    }

    /**
     * int __kfifo_to_user_r(struct __kfifo *fifo, void __user *to, unsigned long len,
     * unsigned int *copied, size_t recsize)
     */
    @KernelSymbol("__kfifo_to_user_r")
    static int toUserR(KernelContext k, long fifo, long to, long len, long copied, long recsize) {
        Fifo f = new Fifo(k, fifo);
        if (f.in() == f.out()) {
            k.mem().write32(copied, 0);
            return 0;
        }
        int n = peekN(f, recsize);
        int l = clamp(len, n);
        long ret = copyUser(f, to, l, f.out() + (int) recsize, copied, false);
        if (ret != 0) {
            k.mem().write32(copied, 0);
            return -Errno.EFAULT;
        }
        f.out(f.out() + n + (int) recsize);
        return 0;
    }

    /** void __kfifo_dma_in_finish_r(struct __kfifo *fifo, unsigned int len, size_t recsize) */
    @KernelSymbol("__kfifo_dma_in_finish_r")
    static void dmaInFinishR(KernelContext k, long fifo, int len, long recsize) {
        Fifo f = new Fifo(k, fifo);
        len = maxR(k, len, recsize);
        pokeN(f, len, recsize);
        f.in(f.in() + len + (int) recsize);
    }

    /** void __kfifo_dma_out_finish_r(struct __kfifo *fifo, size_t recsize) */
    @KernelSymbol("__kfifo_dma_out_finish_r")
    static void dmaOutFinishR(KernelContext k, long fifo, long recsize) {
        Fifo f = new Fifo(k, fifo);
        int len = peekN(f, recsize);
        f.out(f.out() + len + (int) recsize);
    }
}
