package dev.kmodemu.kstubs.lib;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * lib/crc-ccitt.c: the CCITT CRC-16 (reflected polynomial 0x8408) and its "false" MSB-first form
 * (0x1021), with both tables as exported data, since the inline {@code crc_ccitt_byte()} and
 * {@code crc_ccitt_false_byte()} read them.
 */
public final class CrcCcitt {
    private CrcCcitt() {
    }

    private static final int[] TABLE = new int[256];
    private static final int[] FALSE_TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i;
            for (int j = 0; j < 8; j++) {
                c = (c >>> 1) ^ ((c & 1) != 0 ? 0x8408 : 0);
            }
            TABLE[i] = c;
            int f = i << 8;
            for (int j = 0; j < 8; j++) {
                f = ((f << 1) ^ ((f & 0x8000) != 0 ? 0x1021 : 0)) & 0xffff;
            }
            FALSE_TABLE[i] = f;
        }
    }

    /** Fills a {@code u16[256]} table in the kernel's rodata. */
    private static void write(KernelContext k, long at, int[] table) {
        byte[] b = new byte[512];
        for (int i = 0; i < 256; i++) {
            b[2 * i] = (byte) table[i];
            b[2 * i + 1] = (byte) (table[i] >>> 8);
        }
        k.mem().poke(at, b);
    }

    @KernelData(value = "crc_ccitt_table", section = Machine.Section.RODATA, size = 512, align = 64)
    static void table(KernelContext k, long at) {
        write(k, at, TABLE);
    }

    @KernelData(value = "crc_ccitt_false_table", section = Machine.Section.RODATA, size = 512, align = 64)
    static void falseTable(KernelContext k, long at) {
        write(k, at, FALSE_TABLE);
    }

    /** u16 crc_ccitt(u16 crc, u8 const *buffer, size_t len) */
    @KernelSymbol("crc_ccitt")
    static int crcCcitt(KernelContext k, int crc, long buffer, long len) {
        crc &= 0xffff;
        AddressSpace m = k.mem();
        for (long i = 0; i < len; i++) {
            crc = (crc >>> 8) ^ TABLE[(crc ^ m.read8(buffer + i)) & 0xff];
        }
        return crc;
    }

    /** u16 crc_ccitt_false(u16 crc, u8 const *buffer, size_t len) */
    @KernelSymbol("crc_ccitt_false")
    static int crcCcittFalse(KernelContext k, int crc, long buffer, long len) {
        crc &= 0xffff;
        AddressSpace m = k.mem();
        for (long i = 0; i < len; i++) {
            crc = ((crc << 8) ^ FALSE_TABLE[((crc >>> 8) ^ m.read8(buffer + i)) & 0xff]) & 0xffff;
        }
        return crc;
    }
}
