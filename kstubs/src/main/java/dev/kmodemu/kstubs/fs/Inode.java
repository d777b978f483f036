package dev.kmodemu.kstubs.fs;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.emu.Reg;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.kernel.Oops;
import dev.kmodemu.kstubs.time.Timekeeping;

/**
 * fs/inode.c: file times as a file system stamps them ({@code current_time()}, truncated to the
 * super block's granularity and range by {@code timestamp_truncate()}).
 */
public final class Inode {
    private Inode() {
    }

    private static final long NSEC_PER_SEC = 1_000_000_000L;

    /**
     * struct timespec64 current_time(struct inode *inode): the coarse real time (the last tick),
     * truncated for the inode's file system; returned in rax:rdx as the x86-64 ABI returns a
     * 16-byte struct.
     */
    @KernelSymbol("current_time")
    static long currentTime(KernelContext k, long inode) {
        long now = Timekeeping.coarseReal(k);
        long sec = Math.floorDiv(now, NSEC_PER_SEC);
        long nsec = Math.floorMod(now, NSEC_PER_SEC);
        long sb = k.mem().read64(inode + k.off("inode_i_sb"));
        if (sb == 0) {
            Oops.warn(k, "fs/inode.c:2539", "current_time",
                    "current_time() called with uninitialized super_block in the inode");
        } else {
            long[] t = truncate(k, sb, sec, nsec);
            sec = t[0];
            nsec = t[1];
        }
        k.frame().setRegister(Reg.RDX, nsec);
        return sec;
    }

    /** struct timespec64 timestamp_truncate(struct timespec64 t, struct inode *inode): rax:rdx. */
    @KernelSymbol("timestamp_truncate")
    static long timestampTruncate(KernelContext k, long sec, long nsec, long inode) {
        long[] t = truncate(k, k.mem().read64(inode + k.off("inode_i_sb")), sec, nsec);
        k.frame().setRegister(Reg.RDX, t[1]);
        return t[0];
    }

    private static long[] truncate(KernelContext k, long sb, long sec, long nsec) {
        AddressSpace m = k.mem();
        long gran = Integer.toUnsignedLong(m.read32(sb + k.off("super_block_s_time_gran")));
        long min = m.read64(sb + k.off("super_block_s_time_min"));
        long max = m.read64(sb + k.off("super_block_s_time_max"));
        sec = Math.max(min, Math.min(max, sec));
        if (sec == max || sec == min) {
            nsec = 0;
        }
        if (gran == 1) {
            return new long[] {sec, nsec};
        } else if (gran == NSEC_PER_SEC) {
            nsec = 0;
        } else if (gran > 1 && gran < NSEC_PER_SEC) {
            nsec -= nsec % gran;
        } else {
            Oops.warn(k, "fs/inode.c:2517", "timestamp_truncate", "invalid file time granularity: " + gran);
        }
        return new long[] {sec, nsec};
    }
}
