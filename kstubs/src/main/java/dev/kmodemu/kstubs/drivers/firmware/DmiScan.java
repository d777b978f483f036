package dev.kmodemu.kstubs.drivers.firmware;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;

import java.nio.charset.StandardCharsets;

/**
 * drivers/firmware/dmi_scan.c: the identity strings {@code dmi_scan_machine()} saves from the
 * SMBIOS tables, as Debian's kernel has them on QEMU's PC machine with SeaBIOS (no baseboard
 * table, so the board fields are NULL; no UUID given, so none; strings the BIOS leaves out are
 * empty; no OEM strings), and the matching of {@code struct dmi_system_id} tables against them.
 * A quirk table for a vendor's machines therefore matches nothing, as there. Not provided: the
 * raw table walk ({@code dmi_walk}) and the device list ({@code dmi_find_device}).
 */
public final class DmiScan {
    /** dmi_ident[] by {@code enum dmi_field} constant; null where the kernel has NULL. */
    private static final String[][] IDENT = {
        {"DMI_BIOS_VENDOR", "SeaBIOS"}, {"DMI_BIOS_VERSION", "1.16.2-debian-1.16.2-1"},
        {"DMI_BIOS_DATE", "04/01/2014"}, {"DMI_BIOS_RELEASE", "0.0"}, {"DMI_SYS_VENDOR", "QEMU"},
        {"DMI_PRODUCT_NAME", "Standard PC (i440FX + PIIX, 1996)"}, {"DMI_PRODUCT_VERSION", "pc-i440fx-7.2"},
        {"DMI_PRODUCT_SERIAL", ""}, {"DMI_PRODUCT_SKU", ""}, {"DMI_PRODUCT_FAMILY", ""},
        {"DMI_CHASSIS_VENDOR", "QEMU"}, {"DMI_CHASSIS_TYPE", "1"}, {"DMI_CHASSIS_VERSION", "pc-i440fx-7.2"},
        {"DMI_CHASSIS_SERIAL", ""}, {"DMI_CHASSIS_ASSET_TAG", ""}};

    private DmiScan() {
    }

    /** The strings, each at 64-byte slots, in the order of {@link #IDENT}. */
    @KernelData(value = "dmi_ident_strings", section = Machine.Section.RODATA, size = 64 * 15)
    static void identStrings(KernelContext k, long at) {
        for (int i = 0; i < IDENT.length; i++) {
            k.mem().poke(at + 64L * i, (IDENT[i][1] + "\0").getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** {@code static const char *dmi_ident[DMI_STRING_MAX]}. */
    @KernelData(value = "dmi_ident", size = 8 * 32)
    static void ident(KernelContext k, long at) {
        for (int i = 0; i < IDENT.length; i++) {
            k.mem().pokeLong(at + 8L * k.off(IDENT[i][0]), k.sym("dmi_ident_strings") + 64L * i);
        }
    }

    /** {@code int dmi_available}: the machine has SMBIOS tables. */
    @KernelData(value = "dmi_available", size = 4, align = 4)
    static void available(KernelContext k, long at) {
        k.mem().write32(at, 1);
    }

    private static long identOf(KernelContext k, int field) {
        return k.mem().read64(k.sym("dmi_ident") + 8L * field);
    }

    /** const char *dmi_get_system_info(int field) */
    @KernelSymbol("dmi_get_system_info")
    static long dmiGetSystemInfo(KernelContext k, int field) {
        if (field < 0 || field >= k.off("DMI_STRING_MAX")) {
            return 0;
        }
        return identOf(k, field);
    }

    /**
     * {@code dmi_matches()}: every match given holds, substring or exact; an OEM string match fails
     * (the machine has none).
     */
    private static boolean matches(KernelContext k, long d) {
        AddressSpace m = k.mem();
        int size = k.off("dmi_strmatch_sizeof");
        for (int i = 0; i < 4; i++) {
            long sm = d + k.off("dmi_system_id_matches") + (long) i * size;
            int b = m.read8(sm) & 0xff;
            int slot = b & 0x7f;
            boolean exact = (b & 0x80) != 0;
            if (slot == k.off("DMI_NONE")) {
                break;
            }
            if (slot != k.off("DMI_OEM_STRING") && slot < k.off("DMI_STRING_MAX")) {
                long id = identOf(k, slot);
                if (id != 0) {
                    String have = k.string(id, 256);
                    String want = k.string(sm + k.off("dmi_strmatch_substr"), size - 1);
                    if (exact ? have.equals(want) : have.contains(want)) {
                        continue;
                    }
                }
            }
            return false;
        }
        return true;
    }

    /** {@code dmi_is_end_of_table()}: the first match's slot is DMI_NONE. */
    private static boolean end(KernelContext k, long d) {
        return (k.mem().read8(d + k.off("dmi_system_id_matches")) & 0x7f) == k.off("DMI_NONE");
    }

    /**
     * int dmi_check_system(const struct dmi_system_id *list): the number of entries that match;
     * each match's callback runs, and a callback returning non-zero stops the walk.
     */
    @KernelSymbol("dmi_check_system")
    static int dmiCheckSystem(KernelContext k, long list) {
        int count = 0;
        for (long d = list; !end(k, d); d += k.off("dmi_system_id_sizeof")) {
            if (matches(k, d)) {
                count++;
                long cb = k.mem().read64(d + k.off("dmi_system_id_callback"));
                if (cb != 0 && (int) k.call(cb, d) != 0) {
                    break;
                }
            }
        }
        return count;
    }

    /** const struct dmi_system_id *dmi_first_match(const struct dmi_system_id *list) */
    @KernelSymbol("dmi_first_match")
    static long dmiFirstMatch(KernelContext k, long list) {
        for (long d = list; !end(k, d); d += k.off("dmi_system_id_sizeof")) {
            if (matches(k, d)) {
                return d;
            }
        }
        return 0;
    }

    /** bool dmi_match(enum dmi_field f, const char *str): exactly that string (NULL matches NULL). */
    @KernelSymbol("dmi_match")
    static int dmiMatch(KernelContext k, int field, long str) {
        long info = dmiGetSystemInfo(k, field);
        if (info == 0 || str == 0) {
            return info == str ? 1 : 0;
        }
        return k.string(info, 256).equals(k.string(str, 256)) ? 1 : 0;
    }

    /** int dmi_name_in_vendors(const char *str): in the system or board vendor. */
    @KernelSymbol("dmi_name_in_vendors")
    static int dmiNameInVendors(KernelContext k, long str) {
        String s = k.string(str, 256);
        for (String f : new String[] {"DMI_SYS_VENDOR", "DMI_BOARD_VENDOR"}) {
            long id = identOf(k, k.off(f));
            if (id != 0 && k.string(id, 256).contains(s)) {
                return 1;
            }
        }
        return 0;
    }
}
