package dev.kmodemu.kstubs.drivers.leds;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.drivers.base.Devres;
import dev.kmodemu.kstubs.lib.Lists;

/**
 * drivers/leds/led-triggers.c: LED triggers. {@code trigger_list} is a guest list of the modules'
 * own {@code struct led_trigger}s (linked through {@code next_trig}), so names clash as in the
 * kernel ({@code -EEXIST} for the same name and a compatible trigger type) and a trigger left
 * registered by a module that exits stays on the list, in freed memory, as it would there.
 *
 * <p>Triggers act on the LED class devices attached to them ({@code trig->led_cdevs}). The
 * emulated machine has no LEDs: the LED class devices of the kernel itself are none in Debian's
 * kernel under QEMU, and those modules register ({@link LedClass}) are not attached to triggers
 * here, so every trigger's {@code led_cdevs} stays empty;
 * events and blinks are then recorded ({@code trig->brightness}) and reach no LED, exactly as on a
 * machine without LEDs.
 */
public final class LedTriggers {
    private LedTriggers() {
    }

    /** {@code static LIST_HEAD(trigger_list)}. */
    @KernelData(value = "trigger_list", size = 16)
    static void triggerList(KernelContext k, long at) {
        k.mem().pokeLong(at + k.off("list_head_next"), at);
        k.mem().pokeLong(at + k.off("list_head_prev"), at);
    }

    private static String name(KernelContext k, long trig) {
        return k.string(k.mem().read64(trig + k.off("led_trigger_name")), 4096);
    }

    /** int led_trigger_register(struct led_trigger *trig) */
    @KernelSymbol("led_trigger_register")
    public static int ledTriggerRegister(KernelContext k, long trig) {
        AddressSpace m = k.mem();
        m.write32(trig + k.off("led_trigger_leddev_list_lock"), 0);
        Lists.init(k, trig + k.off("led_trigger_led_cdevs"));
        long head = k.sym("trigger_list");
        String name = name(k, trig);
        long type = m.read64(trig + k.off("led_trigger_trigger_type"));
        int nextTrig = k.off("led_trigger_next_trig");
        for (long e : Lists.entries(k, head)) {
            long other = e - nextTrig;
            long otherType = m.read64(other + k.off("led_trigger_trigger_type"));
            if (name(k, other).equals(name) && (type == otherType || type == 0 || otherType == 0)) {
                return -Errno.EEXIST;
            }
        }
        Lists.addTail(k, trig + nextTrig, head);
        // leds_list is empty (see the class comment): no LED takes this as its default trigger.
        return 0;
    }

    /** void led_trigger_unregister(struct led_trigger *trig) */
    @KernelSymbol("led_trigger_unregister")
    public static void ledTriggerUnregister(KernelContext k, long trig) {
        long node = trig + k.off("led_trigger_next_trig");
        // list_empty_careful(): next == node and prev == next
        if (Lists.next(k, node) == node && k.mem().read64(node + k.off("list_head_prev")) == node) {
            return;
        }
        Lists.delInit(k, node);
        // No LED can be using it (leds_list is empty).
    }

    /** static void devm_led_trigger_release(struct device *dev, void *res) */
    @KernelSymbol(value = "devm_led_trigger_release", internal = true)
    static void devmLedTriggerRelease(KernelContext k, long dev, long res) {
        ledTriggerUnregister(k, k.mem().read64(res));
    }

    /** The name {@code devres_alloc()} records for these ({@code #release}). */
    @KernelData(value = "devm_led_trigger_release_name", section = Machine.Section.RODATA, size = 32)
    static void devmReleaseName(KernelContext k, long at) {
        k.mem().poke(at, "devm_led_trigger_release\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** int devm_led_trigger_register(struct device *dev, struct led_trigger *trig) */
    @KernelSymbol("devm_led_trigger_register")
    static int devmLedTriggerRegister(KernelContext k, long dev, long trig) {
        long dr = Devres.devresAllocNode(k, k.sym("devm_led_trigger_release"), 8, 0xcc0, -1,
                k.sym("devm_led_trigger_release_name"));
        if (dr == 0) {
            return -Errno.ENOMEM;
        }
        k.mem().write64(dr, trig);
        int rc = ledTriggerRegister(k, trig);
        if (rc != 0) {
            Devres.devresFree(k, dr);
        } else {
            Devres.devresAdd(k, dev, dr);
        }
        return rc;
    }

    /** void led_trigger_event(struct led_trigger *trig, enum led_brightness brightness) */
    @KernelSymbol("led_trigger_event")
    static void ledTriggerEvent(KernelContext k, long trig, int brightness) {
        if (trig == 0) {
            return;
        }
        k.mem().write32(trig + k.off("led_trigger_brightness"), brightness);
        // list_for_each_entry_rcu(led_cdev, &trig->led_cdevs, trig_list): always empty here.
        attached(k, trig);
    }

    /** The LEDs on the trigger's {@code led_cdevs}; none can be there (see the class comment). */
    private static void attached(KernelContext k, long trig) {
        if (!Lists.empty(k, trig + k.off("led_trigger_led_cdevs"))) {
            throw new IllegalStateException("LED class devices are not provided, yet trigger "
                    + name(k, trig) + " has one attached");
        }
    }

    /**
     * void led_trigger_blink(struct led_trigger *trig, unsigned long *delay_on,
     * unsigned long *delay_off)
     */
    @KernelSymbol("led_trigger_blink")
    static void ledTriggerBlink(KernelContext k, long trig, long delayOn, long delayOff) {
        if (trig != 0) {
            attached(k, trig);
        }
    }

    /**
     * void led_trigger_blink_oneshot(struct led_trigger *trig, unsigned long *delay_on,
     * unsigned long *delay_off, int invert)
     */
    @KernelSymbol("led_trigger_blink_oneshot")
    static void ledTriggerBlinkOneshot(KernelContext k, long trig, long delayOn, long delayOff, int invert) {
        if (trig != 0) {
            attached(k, trig);
        }
    }

    /** void led_trigger_register_simple(const char *name, struct led_trigger **tp) */
    @KernelSymbol("led_trigger_register_simple")
    static void ledTriggerRegisterSimple(KernelContext k, long name, long tp) {
        long trig = k.slab().kmalloc(k.off("led_trigger_sizeof"), 0x100 | 0xcc0);
        if (trig != 0) {
            k.mem().write64(trig + k.off("led_trigger_name"), name);
            int err = ledTriggerRegister(k, trig);
            if (err < 0) {
                k.slab().kfree(trig);
                trig = 0;
                k.printk(4, "LED trigger " + k.string(name, 4096) + " failed to register (" + err + ")");
            }
        } else {
            k.printk(4, "LED trigger " + k.string(name, 4096) + " failed to register (no memory)");
        }
        k.mem().write64(tp, trig);
    }

    /** void led_trigger_unregister_simple(struct led_trigger *trig) */
    @KernelSymbol("led_trigger_unregister_simple")
    static void ledTriggerUnregisterSimple(KernelContext k, long trig) {
        if (trig != 0) {
            ledTriggerUnregister(k, trig);
        }
        k.slab().kfree(trig);
    }
}
