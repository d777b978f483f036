package dev.kmodemu.kstubs.fs;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * fs/fcntl.c: asynchronous I/O notification lists. A driver's {@code fasync} operation keeps a
 * guest list of {@code struct fasync_struct}s (newest first) with {@code fasync_helper()}, which
 * also sets or clears the file's {@code FASYNC} flag; entries are freed after an RCU grace period;
 * {@code kill_fasync()} walks the list, checking each entry's magic number as the kernel does.
 *
 * <p>The signal itself ({@code send_sigio()}) goes to the file's owner, set with
 * {@code F_SETOWN}; kmodemu's processes run no user code and never set one ({@code f_owner.pid}
 * stays NULL), so, as for such a file on a real system, no signal is sent.
 */
public final class Fcntl {
    /** SIGURG (asm/signal.h). */
    private static final int SIGURG = 23;

    private Fcntl() {
    }

    private static long next(KernelContext k, long fa) {
        return fa + k.off("fasync_struct_fa_next");
    }

    /** int fasync_remove_entry(struct file *filp, struct fasync_struct **fapp) */
    @KernelSymbol(value = "fasync_remove_entry", internal = true)
    static int fasyncRemoveEntry(KernelContext k, long filp, long fapp) {
        AddressSpace m = k.mem();
        for (long fp = fapp, fa; (fa = m.read64(fp)) != 0; fp = next(k, fa)) {
            if (m.read64(fa + k.off("fasync_struct_fa_file")) != filp) {
                continue;
            }
            m.write64(fa + k.off("fasync_struct_fa_file"), 0);
            m.write64(fp, m.read64(next(k, fa)));
            k.call(k.sym("call_rcu"), fa + k.off("fasync_struct_fa_rcu"), k.sym("fasync_free_rcu"));
            long flags = filp + k.off("file_f_flags");
            m.write32(flags, m.read32(flags) & ~k.off("FASYNC"));
            return 1;
        }
        return 0;
    }

    /** static void fasync_free_rcu(struct rcu_head *head) */
    @KernelSymbol(value = "fasync_free_rcu", internal = true)
    static void fasyncFreeRcu(KernelContext k, long head) {
        k.slab().kfree(head - k.off("fasync_struct_fa_rcu"));
    }

    /** struct fasync_struct *fasync_alloc(void) */
    @KernelSymbol(value = "fasync_alloc", internal = true)
    static long fasyncAlloc(KernelContext k) {
        return k.slab().kmalloc(k.off("fasync_struct_sizeof"), 0xcc0);
    }

    /** void fasync_free(struct fasync_struct *new) */
    @KernelSymbol(value = "fasync_free", internal = true)
    static void fasyncFree(KernelContext k, long fa) {
        k.slab().kfree(fa);
    }

    /**
     * struct fasync_struct *fasync_insert_entry(int fd, struct file *filp,
     * struct fasync_struct **fapp, struct fasync_struct *new): the file's existing entry (its fd
     * updated), or NULL once {@code new} is inserted.
     */
    @KernelSymbol(value = "fasync_insert_entry", internal = true)
    static long fasyncInsertEntry(KernelContext k, int fd, long filp, long fapp, long fresh) {
        AddressSpace m = k.mem();
        for (long fp = fapp, fa; (fa = m.read64(fp)) != 0; fp = next(k, fa)) {
            if (m.read64(fa + k.off("fasync_struct_fa_file")) == filp) {
                m.write32(fa + k.off("fasync_struct_fa_fd"), fd);
                return fa;
            }
        }
        m.write32(fresh, 0); // rwlock_init(&new->fa_lock)
        m.write32(fresh + k.off("fasync_struct_magic"), k.off("FASYNC_MAGIC"));
        m.write64(fresh + k.off("fasync_struct_fa_file"), filp);
        m.write32(fresh + k.off("fasync_struct_fa_fd"), fd);
        m.write64(next(k, fresh), m.read64(fapp));
        m.write64(fapp, fresh);
        long flags = filp + k.off("file_f_flags");
        m.write32(flags, m.read32(flags) | k.off("FASYNC"));
        return 0;
    }

    /** int fasync_helper(int fd, struct file *filp, int on, struct fasync_struct **fapp) */
    @KernelSymbol("fasync_helper")
    static int fasyncHelper(KernelContext k, int fd, long filp, int on, long fapp) {
        if (on == 0) {
            return fasyncRemoveEntry(k, filp, fapp);
        }
        long fresh = fasyncAlloc(k);
        if (fresh == 0) {
            return -Errno.ENOMEM;
        }
        if (fasyncInsertEntry(k, fd, filp, fapp, fresh) != 0) {
            fasyncFree(k, fresh);
            return 0;
        }
        return 1;
    }

    /** void kill_fasync(struct fasync_struct **fp, int sig, int band) */
    @KernelSymbol("kill_fasync")
    static void killFasync(KernelContext k, long fp, int sig, int band) {
        AddressSpace m = k.mem();
        for (long fa = m.read64(fp); fa != 0; fa = m.read64(next(k, fa))) {
            if (m.read32(fa + k.off("fasync_struct_magic")) != k.off("FASYNC_MAGIC")) {
                k.printk(3, "kill_fasync: bad magic number in fasync_struct!");
                return;
            }
            long file = m.read64(fa + k.off("fasync_struct_fa_file"));
            if (file != 0 && !(sig == SIGURG && m.read32(file + k.off("file_f_owner_signum")) == 0)
                    && m.read64(file + k.off("file_f_owner_pid")) != 0) {
                throw new IllegalStateException("send_sigio() to an owner: no process can set one here");
            }
        }
    }
}
