package dev.kmodemu.kstubs.drivers.power;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;

/**
 * drivers/power/supply/power_supply_leds.c: the LED triggers of a power supply, NAME-charging-or-full,
 * NAME-charging, NAME-full and NAME-charging-blink-full-solid for a battery, NAME-online for the
 * others, registered with {@code led_trigger_register_simple()} and driven from the supply's
 * status or online property at each change.
 */
final class PowerSupplyLeds {
    private static final int LED_OFF = 0;
    private static final int LED_FULL = 255;

    private static final String[][] BATTERY = {
        {"charging_full_trig", "-charging-or-full"}, {"charging_trig", "-charging"}, {"full_trig", "-full"},
        {"charging_blink_full_solid_trig", "-charging-blink-full-solid"},
    };
    private static final String[][] OTHER = {{"online_trig", "-online"}};

    private PowerSupplyLeds() {
    }

    private static boolean battery(KernelContext k, long psy) {
        return k.mem().read32(PowerSupplyCore.desc(k, psy) + k.off("power_supply_desc_type"))
                == k.off("POWER_SUPPLY_TYPE_BATTERY");
    }

    private static long trig(KernelContext k, long psy, String t) {
        return k.mem().read64(psy + k.off("power_supply_" + t));
    }

    /** {@code power_supply_create_triggers()}. */
    static int createTriggers(KernelContext k, long psy) {
        AddressSpace m = k.mem();
        String name = k.string(m.read64(PowerSupplyCore.desc(k, psy) + k.off("power_supply_desc_name")), 4096);
        String[][] trigs = battery(k, psy) ? BATTERY : OTHER;
        for (String[] t : trigs) {
            long s = k.kstrdup(name + t[1]);
            if (s == 0) {
                return -Errno.ENOMEM;
            }
            m.write64(psy + k.off("power_supply_" + t[0] + "_name"), s);
        }
        for (String[] t : trigs) {
            k.call(k.sym("led_trigger_register_simple"), m.read64(psy + k.off("power_supply_" + t[0] + "_name")),
                    psy + k.off("power_supply_" + t[0]));
        }
        return 0;
    }

    /** {@code power_supply_remove_triggers()}. */
    static void removeTriggers(KernelContext k, long psy) {
        String[][] trigs = battery(k, psy) ? BATTERY : OTHER;
        for (String[] t : trigs) {
            k.call(k.sym("led_trigger_unregister_simple"), trig(k, psy, t[0]));
        }
        for (int i = trigs.length - 1; i >= 0; i--) {
            k.slab().kfree(k.mem().read64(psy + k.off("power_supply_" + trigs[i][0] + "_name")));
        }
    }

    private static void event(KernelContext k, long psy, String t, int brightness) {
        k.call(k.sym("led_trigger_event"), trig(k, psy, t), brightness);
    }

    /** {@code power_supply_update_leds()}: from the status (battery) or online property. */
    static void updateLeds(KernelContext k, long psy) {
        long val = k.slab().kmalloc(8, 0xcc0);
        try {
            boolean bat = battery(k, psy);
            int prop = k.off(bat ? "POWER_SUPPLY_PROP_STATUS" : "POWER_SUPPLY_PROP_ONLINE");
            if (PowerSupplyCore.powerSupplyGetProperty(k, psy, prop, val) != 0) {
                return;
            }
            int v = k.mem().read32(val);
            if (!bat) {
                event(k, psy, "online_trig", v != 0 ? LED_FULL : LED_OFF);
            } else if (v == k.off("POWER_SUPPLY_STATUS_FULL")) {
                event(k, psy, "charging_full_trig", LED_FULL);
                event(k, psy, "charging_trig", LED_OFF);
                event(k, psy, "full_trig", LED_FULL);
                event(k, psy, "charging_blink_full_solid_trig", LED_OFF);
                event(k, psy, "charging_blink_full_solid_trig", LED_FULL);
            } else if (v == k.off("POWER_SUPPLY_STATUS_CHARGING")) {
                event(k, psy, "charging_full_trig", LED_FULL);
                event(k, psy, "charging_trig", LED_FULL);
                event(k, psy, "full_trig", LED_OFF);
                long delays = k.slab().kmalloc(16, 0x100 | 0xcc0);
                k.call(k.sym("led_trigger_blink"), trig(k, psy, "charging_blink_full_solid_trig"), delays, delays + 8);
                k.slab().kfree(delays);
            } else {
                for (String[] t : BATTERY) {
                    event(k, psy, t[0], LED_OFF);
                }
            }
        } finally {
            k.slab().kfree(val);
        }
    }
}
