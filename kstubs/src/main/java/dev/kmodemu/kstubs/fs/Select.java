package dev.kmodemu.kstubs.fs;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/** fs/select.c: {@code poll(2)} of one file with a zero timeout. */
public final class Select {
    private Select() {
    }

    /**
     * static inline __poll_t do_pollfd(struct pollfd *pollfd, poll_table *pwait, bool *can_busy_poll,
     * __poll_t busy_flag), here with the file and the requested events: {@code vfs_poll()} with a
     * poll_table whose {@code _qproc} is NULL (a zero timeout registers no waits), its result
     * masked to the events asked for plus POLLERR and POLLHUP.
     */
    @KernelSymbol(value = "do_pollfd", internal = true)
    static int doPollfd(KernelContext k, long file, int events) {
        int filter = (events & 0xffff) | k.off("POLLERR") | k.off("POLLHUP");
        long pt = k.slab().kmalloc(k.off("poll_table_sizeof"), 0x100 | 0xcc0);
        try {
            k.mem().write64(pt + k.off("poll_table_qproc"), 0);
            k.mem().write32(pt + k.off("poll_table_key"), filter);
            long fops = k.mem().read64(file + k.off("file_f_op"));
            long poll = k.mem().read64(fops + k.off("file_operations_poll"));
            int mask = poll == 0 ? k.off("DEFAULT_POLLMASK") : (int) k.call(poll, file, pt);
            return mask & filter;
        } finally {
            k.slab().kfree(pt);
        }
    }
}
