package dev.kmodemu.kstubs.drivers.power;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.drivers.base.Core;
import dev.kmodemu.kstubs.lib.KobjectUevent;

/**
 * drivers/power/supply/power_supply_sysfs.c: the properties as text (their names and the text
 * tables of enumerated ones) and {@code power_supply_uevent()}, the class's uevent callback:
 * POWER_SUPPLY_NAME, POWER_SUPPLY_TYPE, then every property the driver lists, each read through
 * its {@code get_property} (so the uevent file of a supply shows them, and each change calls the
 * driver for them). The per-property attribute files are not provided.
 */
public final class PowerSupplySysfs {
    private PowerSupplySysfs() {
    }

    private static final String[][] TEXTS = {
        /* POWER_SUPPLY_CAPACITY_LEVEL_TEXT */ {"Unknown", "Critical", "Low", "Normal", "High", "Full"},
        /* POWER_SUPPLY_CHARGE_BEHAVIOUR_TEXT */ {"auto", "inhibit-charge", "force-discharge"},
        /* POWER_SUPPLY_CHARGE_TYPE_TEXT */ {"Unknown", "N/A", "Trickle", "Fast", "Standard", "Adaptive", "Custom", "Long Life", "Bypass"},
        /* POWER_SUPPLY_HEALTH_TEXT */ {"Unknown", "Good", "Overheat", "Dead", "Over voltage", "Unspecified failure", "Cold", "Watchdog timer expire", "Safety timer expire", "Over current", "Calibration required", "Warm", "Cool", "Hot", "No battery"},
        /* POWER_SUPPLY_SCOPE_TEXT */ {"Unknown", "System", "Device"},
        /* POWER_SUPPLY_STATUS_TEXT */ {"Unknown", "Charging", "Discharging", "Not charging", "Full"},
        /* POWER_SUPPLY_TECHNOLOGY_TEXT */ {"Unknown", "NiMH", "Li-ion", "Li-poly", "LiFe", "NiCd", "LiMn"},
        /* POWER_SUPPLY_TYPE_TEXT */ {"Unknown", "Battery", "UPS", "Mains", "USB", "USB_DCP", "USB_CDP", "USB_ACA", "USB_C", "USB_PD", "USB_PD_DRP", "BrickID", "Wireless"},
        /* POWER_SUPPLY_USB_TYPE_TEXT */ {"Unknown", "SDP", "DCP", "CDP", "ACA", "C", "PD", "PD_DRP", "PD_PPS", "BrickID"},
    };
    /** power_supply_attrs[]: each property's name and its text table (an index into TEXTS, or -1). */
    private static final Object[][] ATTRS = {
        {"STATUS", 5},
        {"CHARGE_TYPE", 2},
        {"HEALTH", 3},
        {"PRESENT", -1},
        {"ONLINE", -1},
        {"AUTHENTIC", -1},
        {"TECHNOLOGY", 6},
        {"CYCLE_COUNT", -1},
        {"VOLTAGE_MAX", -1},
        {"VOLTAGE_MIN", -1},
        {"VOLTAGE_MAX_DESIGN", -1},
        {"VOLTAGE_MIN_DESIGN", -1},
        {"VOLTAGE_NOW", -1},
        {"VOLTAGE_AVG", -1},
        {"VOLTAGE_OCV", -1},
        {"VOLTAGE_BOOT", -1},
        {"CURRENT_MAX", -1},
        {"CURRENT_NOW", -1},
        {"CURRENT_AVG", -1},
        {"CURRENT_BOOT", -1},
        {"POWER_NOW", -1},
        {"POWER_AVG", -1},
        {"CHARGE_FULL_DESIGN", -1},
        {"CHARGE_EMPTY_DESIGN", -1},
        {"CHARGE_FULL", -1},
        {"CHARGE_EMPTY", -1},
        {"CHARGE_NOW", -1},
        {"CHARGE_AVG", -1},
        {"CHARGE_COUNTER", -1},
        {"CONSTANT_CHARGE_CURRENT", -1},
        {"CONSTANT_CHARGE_CURRENT_MAX", -1},
        {"CONSTANT_CHARGE_VOLTAGE", -1},
        {"CONSTANT_CHARGE_VOLTAGE_MAX", -1},
        {"CHARGE_CONTROL_LIMIT", -1},
        {"CHARGE_CONTROL_LIMIT_MAX", -1},
        {"CHARGE_CONTROL_START_THRESHOLD", -1},
        {"CHARGE_CONTROL_END_THRESHOLD", -1},
        {"CHARGE_BEHAVIOUR", 1},
        {"INPUT_CURRENT_LIMIT", -1},
        {"INPUT_VOLTAGE_LIMIT", -1},
        {"INPUT_POWER_LIMIT", -1},
        {"ENERGY_FULL_DESIGN", -1},
        {"ENERGY_EMPTY_DESIGN", -1},
        {"ENERGY_FULL", -1},
        {"ENERGY_EMPTY", -1},
        {"ENERGY_NOW", -1},
        {"ENERGY_AVG", -1},
        {"CAPACITY", -1},
        {"CAPACITY_ALERT_MIN", -1},
        {"CAPACITY_ALERT_MAX", -1},
        {"CAPACITY_ERROR_MARGIN", -1},
        {"CAPACITY_LEVEL", 0},
        {"TEMP", -1},
        {"TEMP_MAX", -1},
        {"TEMP_MIN", -1},
        {"TEMP_ALERT_MIN", -1},
        {"TEMP_ALERT_MAX", -1},
        {"TEMP_AMBIENT", -1},
        {"TEMP_AMBIENT_ALERT_MIN", -1},
        {"TEMP_AMBIENT_ALERT_MAX", -1},
        {"TIME_TO_EMPTY_NOW", -1},
        {"TIME_TO_EMPTY_AVG", -1},
        {"TIME_TO_FULL_NOW", -1},
        {"TIME_TO_FULL_AVG", -1},
        {"TYPE", 7},
        {"USB_TYPE", -1},
        {"SCOPE", 4},
        {"PRECHARGE_CURRENT", -1},
        {"CHARGE_TERM_CURRENT", -1},
        {"CALIBRATE", -1},
        {"MANUFACTURE_YEAR", -1},
        {"MANUFACTURE_MONTH", -1},
        {"MANUFACTURE_DAY", -1},
        {"MODEL_NAME", -1},
        {"MANUFACTURER", -1},
        {"SERIAL_NUMBER", -1},
    };

    private static final int PROP_TYPE = index("TYPE");
    private static final int PROP_USB_TYPE = index("USB_TYPE");
    private static final int PROP_MODEL_NAME = index("MODEL_NAME");
    private static final int PROP_SERIAL_NUMBER = index("SERIAL_NUMBER");
    private static final int USB_TYPE_TEXT = 8;

    private static int index(String name) {
        for (int i = 0; i < ATTRS.length; i++) {
            if (ATTRS[i][0].equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException(name);
    }

    /** {@code power_supply_show_property()}: the value's text with its newline, or an errno. */
    private static Object show(KernelContext k, long dev, long psy, int psp) {
        AddressSpace m = k.mem();
        long desc = PowerSupplyCore.desc(k, psy);
        String name = psp >= 0 && psp < ATTRS.length ? ((String) ATTRS[psp][0]).toLowerCase() : "";
        int intval;
        long val = k.slab().kmalloc(8, 0x100 | 0xcc0);
        try {
            if (psp == PROP_TYPE) {
                intval = m.read32(desc + k.off("power_supply_desc_type"));
            } else {
                int ret = PowerSupplyCore.powerSupplyGetProperty(k, psy, psp, val);
                if (ret < 0) {
                    if (ret != -Errno.ENODATA && ret != -Errno.ENODEV && ret != -Errno.EAGAIN) {
                        Core.log(k, 3, dev, "driver failed to report `" + name + "' property: " + ret);
                    }
                    return ret;
                }
                intval = m.read32(val);
            }
            int text = psp >= 0 && psp < ATTRS.length ? (Integer) ATTRS[psp][1] : -1;
            if (text >= 0 && intval >= 0 && intval < TEXTS[text].length) {
                return TEXTS[text][intval] + "\n";
            }
            if (psp == PROP_USB_TYPE) {
                return usbType(k, dev, desc, intval);
            }
            if (psp >= PROP_MODEL_NAME && psp <= PROP_SERIAL_NUMBER) {
                return k.string(m.read64(val), 4096) + "\n";
            }
            return intval + "\n";
        } finally {
            k.slab().kfree(val);
        }
    }

    /** {@code power_supply_show_usb_type()}. */
    private static Object usbType(KernelContext k, long dev, long desc, int value) {
        AddressSpace m = k.mem();
        long types = m.read64(desc + k.off("power_supply_desc_usb_types"));
        long n = m.read64(desc + k.off("power_supply_desc_num_usb_types"));
        StringBuilder sb = new StringBuilder();
        boolean match = false;
        for (long i = 0; i < n; i++) {
            int t = m.read32(types + 4 * i);
            String s = t >= 0 && t < TEXTS[USB_TYPE_TEXT].length ? TEXTS[USB_TYPE_TEXT][t] : "(null)";
            if (t == value) {
                sb.append('[').append(s).append("] ");
                match = true;
            } else {
                sb.append(s).append(' ');
            }
        }
        if (!match) {
            Core.log(k, 4, dev, "driver reporting unsupported connected type");
            return -Errno.EINVAL;
        }
        if (sb.length() > 0) {
            sb.setCharAt(sb.length() - 1, '\n');
        }
        return sb.toString();
    }

    /** {@code add_prop_uevent()}. */
    private static int addProp(KernelContext k, long dev, long psy, long env, int psp) {
        Object r = show(k, dev, psy, psp);
        if (r instanceof Integer ret) {
            return ret == -Errno.ENODEV || ret == -Errno.ENODATA ? 0 : ret;
        }
        String s = (String) r;
        int nl = s.indexOf('\n');
        return KobjectUevent.add(k, env, "POWER_SUPPLY_" + ATTRS[psp][0] + "=" + (nl >= 0 ? s.substring(0, nl) : s));
    }

    /** int power_supply_uevent(const struct device *dev, struct kobj_uevent_env *env) */
    @KernelSymbol(value = "power_supply_uevent", internal = true)
    static int powerSupplyUevent(KernelContext k, long dev, long env) {
        AddressSpace m = k.mem();
        long psy = m.read64(dev + k.off("device_driver_data"));
        if (psy == 0) {
            return -Errno.ENODEV;
        }
        long desc = PowerSupplyCore.desc(k, psy);
        int ret = KobjectUevent.add(k, env, "POWER_SUPPLY_NAME="
                + k.string(m.read64(desc + k.off("power_supply_desc_name")), 4096));
        if (ret != 0) {
            return ret;
        }
        ret = addProp(k, dev, psy, env, PROP_TYPE);
        if (ret != 0) {
            return ret;
        }
        long props = m.read64(desc + k.off("power_supply_desc_properties"));
        long n = m.read64(desc + k.off("power_supply_desc_num_properties"));
        for (long j = 0; j < n; j++) {
            ret = addProp(k, dev, psy, env, m.read32(props + 4 * j));
            if (ret != 0) {
                return ret;
            }
        }
        return 0;
    }
}
