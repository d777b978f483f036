package dev.kmodemu.kstubs.crypto;

import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;

/** crypto/fips.c: {@code fips_enabled} is 0, as on a kernel booted without {@code fips=1}. */
public final class Fips {
    private Fips() {
    }

    @KernelData(value = "fips_enabled", section = Machine.Section.RO_AFTER_INIT, size = 4, align = 4)
    static void fipsEnabled(KernelContext k, long at) {
        k.mem().write32(at, 0);
    }
}
