package dev.kmodemu.kstubs.kernel;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;

/** kernel/sys.c: the ids shown for unmapped users and groups ({@code DEFAULT_OVERFLOWUID}, 65534). */
public final class Sys {
    private Sys() {
    }

    @KernelData(value = "overflowuid", size = 4, align = 4)
    static void overflowuid(KernelContext k, long at) {
        k.mem().write32(at, (int) k.profile().value("DEFAULT_OVERFLOWUID"));
    }

    @KernelData(value = "overflowgid", size = 4, align = 4)
    static void overflowgid(KernelContext k, long at) {
        k.mem().write32(at, (int) k.profile().value("DEFAULT_OVERFLOWGID"));
    }

    @KernelData(value = "fs_overflowuid", size = 4, align = 4)
    static void fsOverflowuid(KernelContext k, long at) {
        k.mem().write32(at, (int) k.profile().value("DEFAULT_OVERFLOWUID"));
    }

    @KernelData(value = "fs_overflowgid", size = 4, align = 4)
    static void fsOverflowgid(KernelContext k, long at) {
        k.mem().write32(at, (int) k.profile().value("DEFAULT_OVERFLOWGID"));
    }
}
