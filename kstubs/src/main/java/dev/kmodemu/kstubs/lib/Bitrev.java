package dev.kmodemu.kstubs.lib;

import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;

/**
 * lib/bitrev.c: {@code byte_rev_table}, each byte with its bits in reverse order, which the
 * {@code bitrev8()} family of include/linux/bitrev.h indexes (x86 has no
 * {@code CONFIG_HAVE_ARCH_BITREVERSE}).
 */
public final class Bitrev {
    private Bitrev() {
    }

    /** {@code const u8 byte_rev_table[256]}. */
    @KernelData(value = "byte_rev_table", section = Machine.Section.RODATA, size = 256, align = 32)
    static void byteRevTable(KernelContext k, long at) {
        byte[] t = new byte[256];
        for (int i = 0; i < 256; i++) {
            t[i] = (byte) (Integer.reverse(i) >>> 24);
        }
        k.mem().poke(at, t);
    }
}
