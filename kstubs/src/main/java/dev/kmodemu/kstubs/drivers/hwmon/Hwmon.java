package dev.kmodemu.kstubs.drivers.hwmon;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.drivers.base.Classes;
import dev.kmodemu.kstubs.drivers.base.Core;
import dev.kmodemu.kstubs.drivers.base.Devres;

import java.nio.charset.StandardCharsets;

/**
 * drivers/hwmon/hwmon.c: hardware monitoring devices, hwmonN in the hwmon class (numbers from
 * {@code hwmon_ida}), each with the driver's attribute groups and, when it has one, a {@code name}
 * attribute (checked as the kernel checks it: "hwmon: 'NAME' is not a valid name attribute, please
 * fix"). The emulated machine has no hwmon device of its own, so numbering starts at hwmon0.
 *
 * <p>The {@code struct hwmon_device} is private to hwmon.c; here it is the name, then the label,
 * then the {@code struct device}. Not provided: registration from a {@code hwmon_chip_info}
 * ({@code hwmon_device_register_with_info}, which generates the attributes from the chip's
 * channel tables).
 */
public final class Hwmon {
    private static final int NAME = 0;
    private static final int DEV = 16;

    private Hwmon() {
    }

    /** {@code hwmon_init()}: {@code class_register(&hwmon_class)}. */
    public static void boot(KernelContext k) {
        Classes.registerKernelClass(k, k.sym("hwmon_class"));
    }

    /** {@code static struct class hwmon_class}. */
    @KernelData(value = "hwmon_class", sizeOf = "class_sizeof")
    static void hwmonClass(KernelContext k, long at) {
        k.mem().poke(at, new byte[k.off("class_sizeof")]);
        k.mem().pokeLong(at + k.off("class_name"), k.sym("hwmon_strings") + 16);
        k.mem().pokeLong(at + k.off("class_dev_groups"), k.sym("hwmon_dev_attr_tables") + 128);
        k.mem().pokeLong(at + k.off("class_dev_release"), k.sym("hwmon_dev_release"));
    }

    /** "name" at 0 and "hwmon" at 16. */
    @KernelData(value = "hwmon_strings", section = Machine.Section.RODATA, size = 32)
    static void strings(KernelContext k, long at) {
        k.mem().poke(at, "name\0".getBytes(StandardCharsets.US_ASCII));
        k.mem().poke(at + 16, "hwmon\0".getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code static DEVICE_ATTR_RO(name)} (its name stored after it). */
    @KernelData(value = "hwmon_dev_attr_name", section = Machine.Section.RODATA, size = 64)
    static void devAttrName(KernelContext k, long at) {
        k.mem().poke(at, new byte[64]);
        k.mem().pokeLong(at + k.off("attribute_name"), k.sym("hwmon_strings"));
        k.mem().poke(at + k.off("attribute_mode"), new byte[] {0x24, 0x01}); // 0444
        k.mem().pokeLong(at + k.off("device_attribute_show"), k.sym("hwmon_name_show"));
    }

    /**
     * {@code hwmon_dev_attrs[]} (at 0), {@code hwmon_dev_attr_group} (at 32, with
     * {@code hwmon_dev_name_is_visible}) and {@code hwmon_dev_attr_groups[]} (at 128).
     */
    @KernelData(value = "hwmon_dev_attr_tables", section = Machine.Section.RODATA, size = 160)
    static void tables(KernelContext k, long at) {
        k.mem().poke(at, new byte[160]);
        k.mem().pokeLong(at, k.sym("hwmon_dev_attr_name"));
        k.mem().pokeLong(at + 32 + k.off("attribute_group_attrs"), at);
        k.mem().pokeLong(at + 32 + k.off("attribute_group_is_visible"), k.sym("hwmon_dev_name_is_visible"));
        k.mem().pokeLong(at + 128, at + 32);
    }

    /** {@code static DEFINE_IDA(hwmon_ida)}. */
    @KernelData(value = "hwmon_ida", size = 64)
    static void hwmonIda(KernelContext k, long at) {
    }

    /** static ssize_t name_show(struct device *dev, struct device_attribute *attr, char *buf) */
    @KernelSymbol(value = "hwmon_name_show", internal = true)
    static long nameShow(KernelContext k, long dev, long attr, long buf) {
        String s = k.string(k.mem().read64(dev - DEV + NAME), 4096) + "\n";
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        k.mem().write(buf, b);
        return b.length;
    }

    /** static umode_t hwmon_dev_name_is_visible(struct kobject *kobj, struct attribute *attr, int n) */
    @KernelSymbol(value = "hwmon_dev_name_is_visible", internal = true)
    static int nameIsVisible(KernelContext k, long kobj, long attr, int n) {
        long dev = kobj - k.off("device_kobj");
        return k.mem().read64(dev - DEV + NAME) == 0 ? 0 : 0444;
    }

    /** static void hwmon_dev_release(struct device *dev) */
    @KernelSymbol(value = "hwmon_dev_release", internal = true)
    static void hwmonDevRelease(KernelContext k, long dev) {
        k.slab().kfree(dev - DEV);
    }

    /** {@code __hwmon_device_register()} without chip info: the device or an ERR_PTR. */
    private static long register(KernelContext k, long dev, long name, long drvdata, long groups) {
        AddressSpace m = k.mem();
        if (name != 0) {
            String n = k.string(name, 4096);
            if (n.isEmpty() || n.chars().anyMatch(c -> "-* \t\n".indexOf(c) >= 0)) {
                Core.log(k, 4, dev, "hwmon: '" + n + "' is not a valid name attribute, please fix");
            }
        }
        int id = (int) k.call(k.sym("ida_alloc_range"), k.sym("hwmon_ida"), 0, Integer.MAX_VALUE, 0xcc0);
        if (id < 0) {
            return id;
        }
        long hwdev = k.slab().kmalloc(DEV + k.off("device_sizeof") + 64, 0x100 | 0xcc0);
        if (hwdev == 0) {
            k.call(k.sym("ida_free"), k.sym("hwmon_ida"), id);
            return -Errno.ENOMEM;
        }
        m.write64(hwdev + NAME, name);
        long hdev = hwdev + DEV;
        Core.deviceInitialize(k, hdev);
        m.write64(hdev + k.off("device_groups"), groups);
        m.write64(hdev + k.off("device_class"), k.sym("hwmon_class"));
        m.write64(hdev + k.off("device_parent"), dev);
        m.write64(hdev + k.off("device_driver_data"), drvdata);
        Core.setName(k, hdev, "hwmon" + id);
        int err = Core.deviceAdd(k, hdev);
        if (err != 0) {
            Core.putDevice(k, hdev);
            k.call(k.sym("ida_free"), k.sym("hwmon_ida"), id);
            return err;
        }
        return hdev;
    }

    /**
     * The hwmon device {@code power_supply_add_hwmon_sysfs()} gives every power supply
     * (CONFIG_POWER_SUPPLY_HWMON), named after it with '-' made '_'; registered from its chip
     * info in the kernel, here without the current, temperature and voltage channels that chip
     * shows for such properties.
     */
    public static long registerForSupply(KernelContext k, long psyDev, String name) {
        return register(k, psyDev, k.kstrdup(name.replace('-', '_')), 0, 0);
    }

    /** Unregisters a device of {@link #registerForSupply}, its name freed. */
    public static void unregisterForSupply(KernelContext k, long hdev) {
        long name = k.mem().read64(hdev - DEV + NAME);
        hwmonDeviceUnregister(k, hdev);
        k.slab().kfree(name);
    }

    /**
     * struct device *hwmon_device_register_with_groups(struct device *dev, const char *name,
     * void *drvdata, const struct attribute_group **groups)
     */
    @KernelSymbol("hwmon_device_register_with_groups")
    static long hwmonDeviceRegisterWithGroups(KernelContext k, long dev, long name, long drvdata, long groups) {
        if (name == 0) {
            return -Errno.EINVAL;
        }
        return register(k, dev, name, drvdata, groups);
    }

    /** struct device *hwmon_device_register(struct device *dev): deprecated, no name. */
    @KernelSymbol("hwmon_device_register")
    static long hwmonDeviceRegister(KernelContext k, long dev) {
        Core.log(k, 4, dev, "hwmon_device_register() is deprecated. Please convert the driver to use "
                + "hwmon_device_register_with_info().");
        return register(k, dev, 0, 0, 0);
    }

    /** void hwmon_device_unregister(struct device *dev) */
    @KernelSymbol("hwmon_device_unregister")
    static void hwmonDeviceUnregister(KernelContext k, long dev) {
        String name = Core.name(k, dev);
        if (name.startsWith("hwmon")) {
            int id;
            try {
                id = Integer.parseInt(name.substring(5));
            } catch (NumberFormatException e) {
                id = -1;
            }
            Core.deviceUnregister(k, dev);
            if (id >= 0) {
                k.call(k.sym("ida_free"), k.sym("hwmon_ida"), id);
            }
        }
        // else: dev_dbg "hwmon_device_unregister() failed: bad class ID!" (not logged)
    }

    /** static void devm_hwmon_release(struct device *dev, void *res) */
    @KernelSymbol(value = "devm_hwmon_release", internal = true)
    static void devmHwmonRelease(KernelContext k, long dev, long res) {
        hwmonDeviceUnregister(k, k.mem().read64(res));
    }

    @KernelData(value = "devm_hwmon_release_name", section = Machine.Section.RODATA, size = 24)
    static void devmReleaseName(KernelContext k, long at) {
        k.mem().poke(at, "devm_hwmon_release\0".getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * struct device *devm_hwmon_device_register_with_groups(struct device *dev, const char *name,
     * void *drvdata, const struct attribute_group **groups)
     */
    @KernelSymbol("devm_hwmon_device_register_with_groups")
    static long devmHwmonDeviceRegisterWithGroups(KernelContext k, long dev, long name, long drvdata, long groups) {
        if (dev == 0) {
            return -Errno.EINVAL;
        }
        long ptr = Devres.devresAllocNode(k, k.sym("devm_hwmon_release"), 8, 0xcc0, -1, k.sym("devm_hwmon_release_name"));
        if (ptr == 0) {
            return -Errno.ENOMEM;
        }
        long hwdev = hwmonDeviceRegisterWithGroups(k, dev, name, drvdata, groups);
        if (Long.compareUnsigned(hwdev, -4095L) >= 0) {
            Devres.devresFree(k, ptr);
            return hwdev;
        }
        k.mem().write64(ptr, hwdev);
        Devres.devresAdd(k, dev, ptr);
        return hwdev;
    }
}
