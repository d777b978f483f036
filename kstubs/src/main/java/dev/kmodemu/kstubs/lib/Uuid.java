package dev.kmodemu.kstubs.lib;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.drivers.Random;

/**
 * lib/uuid.c: parsing and validating the 36-character text form (GUIDs store their first three
 * fields little-endian, UUIDs big-endian), random version-4 UUIDs/GUIDs from
 * {@code get_random_bytes()}, and the all-zero {@code guid_null}/{@code uuid_null}.
 */
public final class Uuid {
    private Uuid() {
    }

    private static final int[] GUID_INDEX = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
    private static final int[] UUID_INDEX = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    private static final int[] SI = {0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34};

    /** bool uuid_is_valid(const char *uuid) */
    @KernelSymbol("uuid_is_valid")
    static boolean isValid(KernelContext k, long uuid) {
        AddressSpace m = k.mem();
        for (int i = 0; i < 36; i++) {
            int c = m.read8(uuid + i) & 0xff;
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') {
                    return false;
                }
            } else if (Hexdump.hexToBin(c) < 0) {
                return false;
            }
        }
        return true;
    }

    private static int parse(KernelContext k, long uuid, long b, int[] ei) {
        if (!isValid(k, uuid)) {
            return -Errno.EINVAL;
        }
        AddressSpace m = k.mem();
        for (int i = 0; i < 16; i++) {
            int hi = Hexdump.hexToBin(m.read8(uuid + SI[i]));
            int lo = Hexdump.hexToBin(m.read8(uuid + SI[i] + 1));
            m.write8(b + ei[i], (hi << 4) | lo);
        }
        return 0;
    }

    /** int guid_parse(const char *uuid, guid_t *u) */
    @KernelSymbol("guid_parse")
    static int guidParse(KernelContext k, long uuid, long u) {
        return parse(k, uuid, u, GUID_INDEX);
    }

    /** int uuid_parse(const char *uuid, uuid_t *u) */
    @KernelSymbol("uuid_parse")
    static int uuidParse(KernelContext k, long uuid, long u) {
        return parse(k, uuid, u, UUID_INDEX);
    }

    /** 16 random bytes with version 4 in byte {@code versionAt} and the DCE variant. */
    private static void random(KernelContext k, long b, int versionAt) {
        AddressSpace m = k.mem();
        Random.getRandomBytes(k, b, 16);
        m.write8(b + versionAt, (m.read8(b + versionAt) & 0x0f) | 0x40);
        m.write8(b + 8, (m.read8(b + 8) & 0x3f) | 0x80);
    }

    /** void generate_random_uuid(unsigned char uuid[16]), also uuid_gen(uuid_t *) */
    @KernelSymbol({"generate_random_uuid", "uuid_gen"})
    static void generateRandomUuid(KernelContext k, long uuid) {
        random(k, uuid, 6);
    }

    /** void generate_random_guid(unsigned char guid[16]), also guid_gen(guid_t *) */
    @KernelSymbol({"generate_random_guid", "guid_gen"})
    static void generateRandomGuid(KernelContext k, long guid) {
        random(k, guid, 7);
    }

    @KernelData(value = "guid_null", section = Machine.Section.RODATA, size = 16)
    static void guidNull(KernelContext k, long at) {
    }

    @KernelData(value = "uuid_null", section = Machine.Section.RODATA, size = 16)
    static void uuidNull(KernelContext k, long at) {
    }
}
