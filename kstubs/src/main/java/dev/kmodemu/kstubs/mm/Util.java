package dev.kmodemu.kstubs.mm;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.lib.Usercopy;

import java.util.Arrays;

/**
 * mm/util.c: the kmalloc'd copies of strings and memory ({@code kstrdup()} and friends) and the
 * {@code *_const} variants that keep strings of the kernel's rodata; plus
 * {@code kmalloc_size_roundup()} of mm/slab_common.c; and the copies of user memory
 * ({@code memdup_user()}, {@code strndup_user()}, ...), which return {@code ERR_PTR(-EFAULT)} for
 * a bad user pointer.
 */
public final class Util {
    private Util() {
    }

    /**
     * {@code is_kernel_rodata()}: {@code __start_rodata <= addr < __end_rodata}. On x86 the
     * {@code .rodata} output section also holds {@code .data..ro_after_init}, so both are inside.
     */
    public static boolean isKernelRodata(long addr) {
        return Long.compareUnsigned(addr, Machine.RODATA) >= 0
                && Long.compareUnsigned(addr, Machine.RO_AFTER_INIT + Machine.RO_AFTER_INIT_SIZE) < 0;
    }

    /** {@code kstrdup()}: a kmalloc'd copy of the string at {@code s}, or 0 (also for a NULL {@code s}). */
    public static long kstrdup(KernelContext k, long s, int gfp) {
        if (s == 0) {
            return 0;
        }
        byte[] b = k.mem().readCBytes(s, Integer.MAX_VALUE);
        long buf = k.slab().kmalloc(b.length + 1L, gfp);
        if (buf != 0) {
            k.mem().write(buf, Arrays.copyOf(b, b.length + 1));
        }
        return buf;
    }

    /** {@code kstrdup_const()}: {@code s} itself if it is in the kernel's rodata, else {@link #kstrdup}. */
    public static long kstrdupConst(KernelContext k, long s, int gfp) {
        if (isKernelRodata(s)) {
            return s;
        }
        return kstrdup(k, s, gfp);
    }

    /** char *kstrdup(const char *s, gfp_t gfp) */
    @KernelSymbol("kstrdup")
    static long kstrdupSym(KernelContext k, long s, int gfp) {
        return kstrdup(k, s, gfp);
    }

    /** const char *kstrdup_const(const char *s, gfp_t gfp) */
    @KernelSymbol("kstrdup_const")
    static long kstrdupConstSym(KernelContext k, long s, int gfp) {
        return kstrdupConst(k, s, gfp);
    }

    /** char *kstrndup(const char *s, size_t max, gfp_t gfp) */
    @KernelSymbol("kstrndup")
    static long kstrndup(KernelContext k, long s, long max, int gfp) {
        if (s == 0) {
            return 0;
        }
        long len = k.mem().strnlen(s, max < 0 ? Long.MAX_VALUE : max);
        return dupNul(k, s, len, gfp);
    }

    /** kmalloc(len + 1), copy {@code len} bytes of {@code s}, terminate. */
    private static long dupNul(KernelContext k, long s, long len, int gfp) {
        long buf = k.slab().kmalloc(len + 1, gfp);
        if (buf != 0) {
            copy(k, buf, s, len);
            k.mem().write8(buf + len, 0);
        }
        return buf;
    }

    private static void copy(KernelContext k, long dst, long src, long n) {
        if (n > 0) {
            k.mem().copy(dst, src, n);
        }
    }

    /** void *kmemdup(const void *src, size_t len, gfp_t gfp) */
    @KernelSymbol("kmemdup")
    static long kmemdup(KernelContext k, long src, long len, int gfp) {
        long p = k.slab().kmalloc(len, gfp);
        if (p != 0) {
            copy(k, p, src, len);
        }
        return p;
    }

    /** char *kmemdup_nul(const char *s, size_t len, gfp_t gfp) */
    @KernelSymbol("kmemdup_nul")
    static long kmemdupNul(KernelContext k, long s, long len, int gfp) {
        if (s == 0) {
            return 0;
        }
        return dupNul(k, s, len, gfp);
    }

    /**
     * void kfree_const(const void *x)
     *
     * <p>Kfree() unless {@code x} is in the kernel's rodata.
     */
    @KernelSymbol("kfree_const")
    public static void kfreeConst(KernelContext k, long x) {
        if (!isKernelRodata(x)) {
            Slab.kfreeSym(k, x);
        }
    }

    // ---------------------------------------------------------------- copies of user memory

    /** {@code GFP_USER}: {@code __GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HARDWALL}. */
    static final int GFP_USER = Gfp.KERNEL | 0x100000;
    static final int GFP_NOWARN = 0x2000;
    private static final int NUMA_NO_NODE = -1;

    /** {@code IS_ERR()}. */
    public static boolean isErr(long p) {
        return Long.compareUnsigned(p, -4095L) >= 0;
    }

    /** void *memdup_user(const void __user *src, size_t len) */
    @KernelSymbol("memdup_user")
    static long memdupUser(KernelContext k, long src, long len) {
        long p = k.slab().kmalloc(len, GFP_USER | GFP_NOWARN);
        if (p == 0) {
            return -Errno.ENOMEM;
        }
        if (Usercopy.copyFromUser(k, p, src, len) != 0) {
            k.slab().kfree(p);
            return -Errno.EFAULT;
        }
        return p;
    }

    /** void *vmemdup_user(const void __user *src, size_t len) */
    @KernelSymbol("vmemdup_user")
    static long vmemdupUser(KernelContext k, long src, long len) {
        long p = Vmalloc.kvmallocNode(k, len, GFP_USER, NUMA_NO_NODE);
        if (p == 0) {
            return -Errno.ENOMEM;
        }
        if (Usercopy.copyFromUser(k, p, src, len) != 0) {
            Vmalloc.kvfree(k, p);
            return -Errno.EFAULT;
        }
        return p;
    }

    /**
     * char *strndup_user(const char __user *s, long n)
     *
     * <p>{@code ERR_PTR(-EFAULT)} on a fault, {@code ERR_PTR(-EINVAL)} if the string (with its
     * NUL) is longer than {@code n}.
     */
    @KernelSymbol("strndup_user")
    static long strndupUser(KernelContext k, long s, long n) {
        long length = Usercopy.strnlenUser(k, s, n);
        if (length == 0) {
            return -Errno.EFAULT;
        }
        if (length > n) {
            return -Errno.EINVAL;
        }
        long p = memdupUser(k, s, length);
        if (isErr(p)) {
            return p;
        }
        k.mem().write8(p + length - 1, 0);
        return p;
    }

    /** void *memdup_user_nul(const void __user *src, size_t len) */
    @KernelSymbol("memdup_user_nul")
    public static long memdupUserNul(KernelContext k, long src, long len) {
        long p = k.slab().kmalloc(len + 1, Gfp.KERNEL);
        if (p == 0) {
            return -Errno.ENOMEM;
        }
        if (Usercopy.copyFromUser(k, p, src, len) != 0) {
            k.slab().kfree(p);
            return -Errno.EFAULT;
        }
        k.mem().write8(p + len, 0);
        return p;
    }

    /**
     * size_t kmalloc_size_roundup(size_t size): the size class kmalloc() would use, whole pages
     * ({@code PAGE_SIZE << get_order(size)}) above {@code KMALLOC_MAX_CACHE_SIZE}.
     */
    @KernelSymbol("kmalloc_size_roundup")
    static long kmallocSizeRoundup(KernelContext k, long size) {
        if (size == 0) {
            return 0;
        }
        if (size == -1L) {
            return -1L;
        }
        long maxCacheSize = 1L << k.profile().value("KMALLOC_SHIFT_HIGH");
        if (Long.compareUnsigned(size, maxCacheSize) > 0) {
            return AddressSpace.PAGE << getOrder(size);
        }
        return Slab.sizeOfIndex(Slab.kmallocIndex(size));
    }

    /** {@code get_order()}: the smallest order with {@code PAGE_SIZE << order >= size}. */
    static int getOrder(long size) {
        long pages = (size - 1) >>> 12;
        return pages == 0 ? 0 : 64 - Long.numberOfLeadingZeros(pages);
    }

    /**
     * int __page_mapcount(struct page *page): the page's own mappings, plus for an anonymous
     * compound page those of the whole folio (there are no HugeTLB pages, and no anonymous
     * memory is double-mapped by PMD and PTE here).
     */
    @KernelSymbol("__page_mapcount")
    public static int pageMapcount(KernelContext k, long page) {
        int ret = Pages.mapcountRaw(k, page) + 1;
        if (!Pages.isAnon(k, page)) {
            return ret;
        }
        return ret + Pages.compoundMapcount(k, Pages.compoundHead(k, page));
    }

    /**
     * {@code vm_mmap_pgoff()}: {@code do_mmap()} under the mmap lock, then the populating a
     * locked or {@code MAP_POPULATE} mapping wants (done by {@code do_mmap()} here). A guest file
     * maps with what its file system says about executable mappings ({@code path_noexec()}).
     */
    static long vmMmapPgoff(KernelContext k, long file, long addr, long len, long prot, long flag, long pgoff,
            Object owner) {
        var open = file == 0 ? null : dev.kmodemu.kstubs.fs.Files.byStruct(k, file);
        Mmap.Target t = file == 0 ? null : new Mmap.Target(file, open != null && open.noexec());
        return Mmap.doMmap(k, t, addr, len, prot, flag, pgoff, owner);
    }

    /**
     * unsigned long vm_mmap(struct file *file, unsigned long addr, unsigned long len,
     * unsigned long prot, unsigned long flag, unsigned long offset): a mapping of the current
     * process (removed when it exits, if not before); the offset must be page aligned. A kernel
     * thread has no {@code mm} to map into: the real kernel would oops on the NULL
     * {@code current->mm}, kmodemu refuses with -ENOMEM.
     */
    @KernelSymbol("vm_mmap")
    static long vmMmap(KernelContext k, long file, long addr, long len, long prot, long flag, long offset) {
        if (!k.tasks().current().hasMm()) {
            return -Errno.ENOMEM;
        }
        long aligned = (len + AddressSpace.PAGE - 1) & -AddressSpace.PAGE;
        if (Long.compareUnsigned(offset + aligned, offset) < 0 || (offset & (AddressSpace.PAGE - 1)) != 0) {
            return -Errno.EINVAL;
        }
        return vmMmapPgoff(k, file, addr, len, prot, flag, offset >>> 12, k.tasks().current());
    }

    /**
     * {@code ksys_mmap_pgoff()} of the {@code mmap(2)} the Java program makes, here with the file
     * its descriptor names (0: {@code MAP_ANONYMOUS}); the mapping stays until unmapped.
     */
    @KernelSymbol(value = "ksys_mmap_pgoff", internal = true)
    static long ksysMmapPgoff(KernelContext k, long addr, long len, long prot, long flags, long file, long pgoff) {
        return vmMmapPgoff(k, file, addr, len, prot, flags, pgoff, Mmap.JAVA);
    }
}
