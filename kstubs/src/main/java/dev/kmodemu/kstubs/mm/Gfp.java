package dev.kmodemu.kstubs.mm;

/** GFP flag bits of Linux 6.1 (include/linux/gfp_types.h) that change what the allocators do. */
public final class Gfp {
    private Gfp() {
    }

    public static final int DMA = 0x01;
    public static final int RECLAIMABLE = 0x10;
    public static final int ZERO = 0x100;
    public static final int ACCOUNT = 0x400000;
    public static final int KERNEL = 0xcc0;
}
