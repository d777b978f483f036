package dev.kmodemu.kstubs.drivers.leds;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.drivers.base.Classes;
import dev.kmodemu.kstubs.drivers.base.Core;
import dev.kmodemu.kstubs.drivers.base.Devres;
import dev.kmodemu.kstubs.kernel.Oops;
import dev.kmodemu.kstubs.lib.Lists;

import java.nio.charset.StandardCharsets;

/**
 * drivers/leds/led-class.c and led-core.c: LED class devices in /sys/class/leds/NAME with
 * {@code brightness} (read back through {@code brightness_get} when the driver has it, written
 * as {@code led_set_brightness()}), {@code max_brightness} (255 unless the driver sets it) and
 * {@code trigger} (the registered triggers, "[none]" current). Names come from the init data
 * ("devicename:default_label") or the classdev's name, with "_1", "_2", ... on a collision as
 * the kernel renames them. The machine has none of its own (Debian's kernel under QEMU shows an
 * empty /sys/class/leds). A brightness change goes to {@code brightness_set}, or, for drivers
 * with only {@code brightness_set_blocking}, to that one at once: the kernel's
 * {@code set_brightness_work} would run it on the system workqueue right after. Not provided:
 * software blinking, firmware-node names and properties, attaching triggers (writing a trigger
 * name other than "none" to {@code trigger} fails with -EINVAL; a default trigger is not set).
 */
public final class LedClass {
    /** drivers/leds/leds.h: {@code LED_MAX_NAME_SIZE}. */
    private static final int LED_MAX_NAME_SIZE = 64;

    private LedClass() {
    }

    /** {@code leds_init()}: the "leds" class with its device attributes. */
    public static void boot(KernelContext k) {
        Classes.registerKernelClass(k, k.sym("leds_class"));
    }

    /** {@code struct class *leds_class} (the kernel's is made by class_create; this one is static). */
    @KernelData(value = "leds_class", sizeOf = "class_sizeof")
    static void ledsClass(KernelContext k, long at) {
        k.mem().poke(at, new byte[k.off("class_sizeof")]);
        k.mem().pokeLong(at + k.off("class_name"), k.sym("led_strings"));
        k.mem().pokeLong(at + k.off("class_dev_groups"), k.sym("led_attr_tables") + 256);
    }

    /** "leds" at 0, "brightness" at 16, "max_brightness" at 32, "trigger" at 48. */
    @KernelData(value = "led_strings", section = Machine.Section.RODATA, size = 64)
    static void strings(KernelContext k, long at) {
        k.mem().poke(at, "leds\0".getBytes(StandardCharsets.US_ASCII));
        k.mem().poke(at + 16, "brightness\0".getBytes(StandardCharsets.US_ASCII));
        k.mem().poke(at + 32, "max_brightness\0".getBytes(StandardCharsets.US_ASCII));
        k.mem().poke(at + 48, "trigger\0".getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * The three device attributes (at 0, 64, 128), the attribute list (at 192), the group (at 224)
     * and the groups (at 256).
     */
    @KernelData(value = "led_attr_tables", section = Machine.Section.RODATA, size = 288)
    static void tables(KernelContext k, long at) {
        AddressSpace m = k.mem();
        m.poke(at, new byte[288]);
        String[][] attrs = {{"16", "420", "led_brightness_show", "led_brightness_store"},
            {"32", "292", "led_max_brightness_show", null}, {"48", "420", "led_trigger_show", "led_trigger_store"}};
        for (int i = 0; i < attrs.length; i++) {
            long a = at + 64L * i;
            m.pokeLong(a + k.off("attribute_name"), k.sym("led_strings") + Integer.parseInt(attrs[i][0]));
            int mode = Integer.parseInt(attrs[i][1]);
            m.poke(a + k.off("attribute_mode"), new byte[] {(byte) mode, (byte) (mode >> 8)});
            m.pokeLong(a + k.off("device_attribute_show"), k.sym(attrs[i][2]));
            if (attrs[i][3] != null) {
                m.pokeLong(a + k.off("device_attribute_store"), k.sym(attrs[i][3]));
            }
            m.pokeLong(at + 192 + 8L * i, a);
        }
        m.pokeLong(at + 224 + k.off("attribute_group_attrs"), at + 192);
        m.pokeLong(at + 256, at + 224);
    }

    /** {@code static LIST_HEAD(leds_list)}. */
    @KernelData(value = "leds_list", size = 16)
    static void ledsList(KernelContext k, long at) {
        k.mem().pokeLong(at + k.off("list_head_next"), at);
        k.mem().pokeLong(at + k.off("list_head_prev"), at);
    }

    private static long f(KernelContext k, long cdev, String field) {
        return k.mem().read64(cdev + k.off("led_classdev_" + field));
    }

    private static int f32(KernelContext k, long cdev, String field) {
        return k.mem().read32(cdev + k.off("led_classdev_" + field));
    }

    private static long cdevOf(KernelContext k, long dev) {
        return k.mem().read64(dev + k.off("device_driver_data"));
    }

    private static long emit(KernelContext k, long buf, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        k.mem().write(buf, b);
        k.mem().write8(buf + b.length, (byte) 0);
        return b.length;
    }

    /** {@code led_update_brightness()}: the driver's {@code brightness_get}, if any. */
    private static void updateBrightness(KernelContext k, long cdev) {
        long get = f(k, cdev, "brightness_get");
        if (get != 0) {
            int ret = (int) k.call(get, cdev);
            if (ret >= 0) {
                k.mem().write32(cdev + k.off("led_classdev_brightness"), ret);
            }
        }
    }

    /** static ssize_t brightness_show(struct device *dev, struct device_attribute *attr, char *buf) */
    @KernelSymbol(value = "led_brightness_show", internal = true)
    static long brightnessShow(KernelContext k, long dev, long attr, long buf) {
        long cdev = cdevOf(k, dev);
        updateBrightness(k, cdev);
        return emit(k, buf, Integer.toUnsignedString(f32(k, cdev, "brightness")) + "\n");
    }

    /** static ssize_t brightness_store(...): {@code kstrtoul(buf, 10)}, then led_set_brightness(). */
    @KernelSymbol(value = "led_brightness_store", internal = true)
    static long brightnessStore(KernelContext k, long dev, long attr, long buf, long size) {
        long cdev = cdevOf(k, dev);
        long val = k.slab().kmalloc(8, 0xdc0);
        try {
            int ret = (int) k.call(k.sym("kstrtoull"), buf, 10, val);
            if (ret != 0) {
                return ret;
            }
            long v = k.mem().read64(val);
            if ((f32(k, cdev, "flags") & k.off("LED_SUSPENDED")) == 0) {
                setBrightness(k, cdev, (int) Math.min(v, 0xffffffffL));
            }
            return size;
        } finally {
            k.slab().kfree(val);
        }
    }

    /** static ssize_t max_brightness_show(...) */
    @KernelSymbol(value = "led_max_brightness_show", internal = true)
    static long maxBrightnessShow(KernelContext k, long dev, long attr, long buf) {
        return emit(k, buf, Integer.toUnsignedString(f32(k, cdevOf(k, dev), "max_brightness")) + "\n");
    }

    /** {@code led_trigger_read()}: "[none]" then every registered trigger's name. */
    @KernelSymbol(value = "led_trigger_show", internal = true)
    static long triggerShow(KernelContext k, long dev, long attr, long buf) {
        StringBuilder sb = new StringBuilder("[none]");
        long head = k.sym("trigger_list");
        for (long n = k.mem().read64(head + k.off("list_head_next")); n != head;
                n = k.mem().read64(n + k.off("list_head_next"))) {
            long trig = n - k.off("led_trigger_next_trig");
            sb.append(' ').append(k.string(k.mem().read64(trig + k.off("led_trigger_name")), 4096));
        }
        return emit(k, buf, sb.append('\n').toString());
    }

    /** {@code led_trigger_write()}: "none" (the LED has no trigger); others are not provided. */
    @KernelSymbol(value = "led_trigger_store", internal = true)
    static long triggerStore(KernelContext k, long dev, long attr, long buf, long size) {
        String s = k.string(buf, (int) Math.min(size, 4096)).strip();
        return s.equals("none") ? size : -Errno.EINVAL;
    }

    /** {@code led_set_brightness_nopm()}: the driver's setter. */
    private static void setNopm(KernelContext k, long cdev, int value) {
        long set = f(k, cdev, "brightness_set");
        if (set != 0) {
            k.call(set, cdev, value & 0xffffffffL);
            return;
        }
        long blocking = f(k, cdev, "brightness_set_blocking");
        if (blocking != 0) {
            k.call(blocking, cdev, value & 0xffffffffL);
        }
    }

    /** void led_set_brightness_nosleep(struct led_classdev *led_cdev, unsigned int value) */
    @KernelSymbol("led_set_brightness_nosleep")
    static void setBrightnessNosleep(KernelContext k, long cdev, int value) {
        int max = f32(k, cdev, "max_brightness");
        int v = Integer.compareUnsigned(value, max) > 0 ? max : value;
        k.mem().write32(cdev + k.off("led_classdev_brightness"), v);
        if ((f32(k, cdev, "flags") & k.off("LED_SUSPENDED")) != 0) {
            return;
        }
        setNopm(k, cdev, v);
    }

    /** void led_set_brightness(struct led_classdev *led_cdev, unsigned int brightness) */
    @KernelSymbol("led_set_brightness")
    static void setBrightness(KernelContext k, long cdev, int value) {
        setBrightnessNosleep(k, cdev, value);
    }

    /** int led_set_brightness_sync(struct led_classdev *led_cdev, unsigned int value) */
    @KernelSymbol("led_set_brightness_sync")
    static int setBrightnessSync(KernelContext k, long cdev, int value) {
        int max = f32(k, cdev, "max_brightness");
        int v = Integer.compareUnsigned(value, max) > 0 ? max : value;
        k.mem().write32(cdev + k.off("led_classdev_brightness"), v);
        if ((f32(k, cdev, "flags") & k.off("LED_SUSPENDED")) != 0) {
            return 0;
        }
        long blocking = f(k, cdev, "brightness_set_blocking");
        return blocking == 0 ? -Errno.ENOTSUPP : (int) k.call(blocking, cdev, v & 0xffffffffL);
    }

    /** {@code led_compose_name()} without firmware properties: the name or an errno as a string. */
    private static String composeName(KernelContext k, long parent, long init) {
        AddressSpace m = k.mem();
        long label = m.read64(init + k.off("led_init_data_default_label"));
        long devicename = m.read64(init + k.off("led_init_data_devicename"));
        if (label != 0) {
            if (devicename == 0) {
                Core.log(k, 3, parent, "Legacy LED naming requires devicename segment");
                return null;
            }
            String n = k.string(devicename, 4096) + ":" + k.string(label, 4096);
            return n.length() >= LED_MAX_NAME_SIZE ? n.substring(0, LED_MAX_NAME_SIZE - 1) : n;
        }
        return null;
    }

    /** {@code led_classdev_next_name()}: the name, or NAME_1, NAME_2, ... if a LED has it. */
    private static String nextName(KernelContext k, String proposed, int[] tries) {
        String name = proposed;
        int i = 0;
        while (exists(k, name)) {
            name = proposed + "_" + ++i;
        }
        tries[0] = i;
        return name;
    }

    private static boolean exists(KernelContext k, String name) {
        for (long d : Classes.devices(k, k.sym("leds_class"))) {
            if (Core.name(k, d).equals(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * int led_classdev_register_ext(struct device *parent, struct led_classdev *led_cdev,
     * struct led_init_data *init_data)
     */
    @KernelSymbol("led_classdev_register_ext")
    static int ledClassdevRegisterExt(KernelContext k, long parent, long cdev, long init) {
        AddressSpace m = k.mem();
        String proposed;
        if (init != 0) {
            if ((m.read8(init + k.off("led_init_data_devname_mandatory")) & 0xff) != 0
                    && m.read64(init + k.off("led_init_data_devicename")) == 0) {
                Core.log(k, 3, parent, "Mandatory device name is missing");
                return -Errno.EINVAL;
            }
            proposed = composeName(k, parent, init);
            if (proposed == null) {
                return -Errno.EINVAL;
            }
        } else {
            proposed = k.string(f(k, cdev, "name"), LED_MAX_NAME_SIZE);
        }
        int[] tries = new int[1];
        String name = nextName(k, proposed, tries);
        long dev = Core.create(k, k.sym("leds_class"), parent, 0, cdev, f(k, cdev, "groups"), name, false);
        if (Long.compareUnsigned(dev, -4095L) >= 0) {
            return (int) dev;
        }
        m.write64(cdev + k.off("led_classdev_dev"), dev);
        if (tries[0] != 0) {
            Core.log(k, 4, parent, "Led " + proposed + " renamed to " + name + " due to name collision");
        }
        m.write64(cdev + k.off("led_classdev_work_flags"), 0);
        if (f32(k, cdev, "max_brightness") == 0) {
            m.write32(cdev + k.off("led_classdev_max_brightness"), k.off("LED_FULL"));
        }
        updateBrightness(k, cdev);
        Lists.addTail(k, cdev + k.off("led_classdev_node"), k.sym("leds_list"));
        return 0;
    }

    /** void led_classdev_unregister(struct led_classdev *led_cdev): the LED is switched off first. */
    @KernelSymbol("led_classdev_unregister")
    static void ledClassdevUnregister(KernelContext k, long cdev) {
        long dev = f(k, cdev, "dev");
        if (dev == 0 || Long.compareUnsigned(dev, -4095L) >= 0) {
            return;
        }
        AddressSpace m = k.mem();
        int flags = f32(k, cdev, "flags") | k.off("LED_UNREGISTERING");
        m.write32(cdev + k.off("led_classdev_flags"), flags);
        if ((flags & k.off("LED_RETAIN_AT_SHUTDOWN")) == 0) {
            setBrightness(k, cdev, 0);
        }
        Core.deviceUnregister(k, dev);
        Lists.del(k, cdev + k.off("led_classdev_node"));
    }

    /** static void devm_led_classdev_release(struct device *dev, void *res) */
    @KernelSymbol(value = "devm_led_classdev_release", internal = true)
    static void devmRelease(KernelContext k, long dev, long res) {
        ledClassdevUnregister(k, k.mem().read64(res));
    }

    @KernelData(value = "devm_led_classdev_release_name", section = Machine.Section.RODATA, size = 32)
    static void releaseName(KernelContext k, long at) {
        k.mem().poke(at, "devm_led_classdev_release\0".getBytes(StandardCharsets.US_ASCII));
    }

    /** int devm_led_classdev_register_ext(struct device *parent, struct led_classdev *led_cdev, ...) */
    @KernelSymbol("devm_led_classdev_register_ext")
    static int devmLedClassdevRegisterExt(KernelContext k, long parent, long cdev, long init) {
        long dr = Devres.devresAllocNode(k, k.sym("devm_led_classdev_release"), 8, 0xcc0, -1,
                k.sym("devm_led_classdev_release_name"));
        if (dr == 0) {
            return -Errno.ENOMEM;
        }
        int rc = ledClassdevRegisterExt(k, parent, cdev, init);
        if (rc != 0) {
            Devres.devresFree(k, dr);
            return rc;
        }
        k.mem().write64(dr, cdev);
        Devres.devresAdd(k, parent, dr);
        return 0;
    }

    /** static int devm_led_classdev_match(struct device *dev, void *res, void *data) */
    @KernelSymbol(value = "devm_led_classdev_match", internal = true)
    static int devmMatch(KernelContext k, long dev, long res, long data) {
        return k.mem().read64(res) == data ? 1 : 0;
    }

    /** void devm_led_classdev_unregister(struct device *dev, struct led_classdev *led_cdev) */
    @KernelSymbol("devm_led_classdev_unregister")
    static void devmLedClassdevUnregister(KernelContext k, long dev, long cdev) {
        if (Devres.devresRelease(k, dev, k.sym("devm_led_classdev_release"), k.sym("devm_led_classdev_match"),
                cdev) != 0) {
            Oops.warn(k, "drivers/leds/led-class.c:533", "devm_led_classdev_unregister",
                    null);
        }
    }
}
