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
 * then the {@code struct device}. Registration from a {@code hwmon_chip_info} generates the
 * attributes from the chip's channel tables as the kernel names them ({@code temp1_input},
 * {@code in0_input}, {@code update_interval}, ...), each visible with the mode the chip's
 * {@code is_visible} gives, read and written through the chip's ops. Not provided: the
 * {@code label} firmware property and thermal zones (device tree only).
 */
public final class Hwmon {
    private static final int NAME = 0;
    private static final int DEV = 16;

    /** hwmon.c's templates per sensor type (hwmon_chip first), as (enum constant, name) pairs. */
    private static final String[][] TEMPLATES = {
        {"hwmon_chip_temp_reset_history", "temp_reset_history", "hwmon_chip_in_reset_history", "in_reset_history", "hwmon_chip_curr_reset_history", "curr_reset_history", "hwmon_chip_power_reset_history", "power_reset_history", "hwmon_chip_update_interval", "update_interval", "hwmon_chip_alarms", "alarms", "hwmon_chip_samples", "samples", "hwmon_chip_curr_samples", "curr_samples", "hwmon_chip_in_samples", "in_samples", "hwmon_chip_power_samples", "power_samples", "hwmon_chip_temp_samples", "temp_samples"},
        {"hwmon_temp_enable", "temp%d_enable", "hwmon_temp_input", "temp%d_input", "hwmon_temp_type", "temp%d_type", "hwmon_temp_lcrit", "temp%d_lcrit", "hwmon_temp_lcrit_hyst", "temp%d_lcrit_hyst", "hwmon_temp_min", "temp%d_min", "hwmon_temp_min_hyst", "temp%d_min_hyst", "hwmon_temp_max", "temp%d_max", "hwmon_temp_max_hyst", "temp%d_max_hyst", "hwmon_temp_crit", "temp%d_crit", "hwmon_temp_crit_hyst", "temp%d_crit_hyst", "hwmon_temp_emergency", "temp%d_emergency", "hwmon_temp_emergency_hyst", "temp%d_emergency_hyst", "hwmon_temp_alarm", "temp%d_alarm", "hwmon_temp_lcrit_alarm", "temp%d_lcrit_alarm", "hwmon_temp_min_alarm", "temp%d_min_alarm", "hwmon_temp_max_alarm", "temp%d_max_alarm", "hwmon_temp_crit_alarm", "temp%d_crit_alarm", "hwmon_temp_emergency_alarm", "temp%d_emergency_alarm", "hwmon_temp_fault", "temp%d_fault", "hwmon_temp_offset", "temp%d_offset", "hwmon_temp_label", "temp%d_label", "hwmon_temp_lowest", "temp%d_lowest", "hwmon_temp_highest", "temp%d_highest", "hwmon_temp_reset_history", "temp%d_reset_history", "hwmon_temp_rated_min", "temp%d_rated_min", "hwmon_temp_rated_max", "temp%d_rated_max"},
        {"hwmon_in_enable", "in%d_enable", "hwmon_in_input", "in%d_input", "hwmon_in_min", "in%d_min", "hwmon_in_max", "in%d_max", "hwmon_in_lcrit", "in%d_lcrit", "hwmon_in_crit", "in%d_crit", "hwmon_in_average", "in%d_average", "hwmon_in_lowest", "in%d_lowest", "hwmon_in_highest", "in%d_highest", "hwmon_in_reset_history", "in%d_reset_history", "hwmon_in_label", "in%d_label", "hwmon_in_alarm", "in%d_alarm", "hwmon_in_min_alarm", "in%d_min_alarm", "hwmon_in_max_alarm", "in%d_max_alarm", "hwmon_in_lcrit_alarm", "in%d_lcrit_alarm", "hwmon_in_crit_alarm", "in%d_crit_alarm", "hwmon_in_rated_min", "in%d_rated_min", "hwmon_in_rated_max", "in%d_rated_max"},
        {"hwmon_curr_enable", "curr%d_enable", "hwmon_curr_input", "curr%d_input", "hwmon_curr_min", "curr%d_min", "hwmon_curr_max", "curr%d_max", "hwmon_curr_lcrit", "curr%d_lcrit", "hwmon_curr_crit", "curr%d_crit", "hwmon_curr_average", "curr%d_average", "hwmon_curr_lowest", "curr%d_lowest", "hwmon_curr_highest", "curr%d_highest", "hwmon_curr_reset_history", "curr%d_reset_history", "hwmon_curr_label", "curr%d_label", "hwmon_curr_alarm", "curr%d_alarm", "hwmon_curr_min_alarm", "curr%d_min_alarm", "hwmon_curr_max_alarm", "curr%d_max_alarm", "hwmon_curr_lcrit_alarm", "curr%d_lcrit_alarm", "hwmon_curr_crit_alarm", "curr%d_crit_alarm", "hwmon_curr_rated_min", "curr%d_rated_min", "hwmon_curr_rated_max", "curr%d_rated_max"},
        {"hwmon_power_enable", "power%d_enable", "hwmon_power_average", "power%d_average", "hwmon_power_average_interval", "power%d_average_interval", "hwmon_power_average_interval_max", "power%d_interval_max", "hwmon_power_average_interval_min", "power%d_interval_min", "hwmon_power_average_highest", "power%d_average_highest", "hwmon_power_average_lowest", "power%d_average_lowest", "hwmon_power_average_max", "power%d_average_max", "hwmon_power_average_min", "power%d_average_min", "hwmon_power_input", "power%d_input", "hwmon_power_input_highest", "power%d_input_highest", "hwmon_power_input_lowest", "power%d_input_lowest", "hwmon_power_reset_history", "power%d_reset_history", "hwmon_power_accuracy", "power%d_accuracy", "hwmon_power_cap", "power%d_cap", "hwmon_power_cap_hyst", "power%d_cap_hyst", "hwmon_power_cap_max", "power%d_cap_max", "hwmon_power_cap_min", "power%d_cap_min", "hwmon_power_min", "power%d_min", "hwmon_power_max", "power%d_max", "hwmon_power_lcrit", "power%d_lcrit", "hwmon_power_crit", "power%d_crit", "hwmon_power_label", "power%d_label", "hwmon_power_alarm", "power%d_alarm", "hwmon_power_cap_alarm", "power%d_cap_alarm", "hwmon_power_min_alarm", "power%d_min_alarm", "hwmon_power_max_alarm", "power%d_max_alarm", "hwmon_power_lcrit_alarm", "power%d_lcrit_alarm", "hwmon_power_crit_alarm", "power%d_crit_alarm", "hwmon_power_rated_min", "power%d_rated_min", "hwmon_power_rated_max", "power%d_rated_max"},
        {"hwmon_energy_enable", "energy%d_enable", "hwmon_energy_input", "energy%d_input", "hwmon_energy_label", "energy%d_label"},
        {"hwmon_humidity_enable", "humidity%d_enable", "hwmon_humidity_input", "humidity%d_input", "hwmon_humidity_label", "humidity%d_label", "hwmon_humidity_min", "humidity%d_min", "hwmon_humidity_min_hyst", "humidity%d_min_hyst", "hwmon_humidity_max", "humidity%d_max", "hwmon_humidity_max_hyst", "humidity%d_max_hyst", "hwmon_humidity_alarm", "humidity%d_alarm", "hwmon_humidity_fault", "humidity%d_fault", "hwmon_humidity_rated_min", "humidity%d_rated_min", "hwmon_humidity_rated_max", "humidity%d_rated_max"},
        {"hwmon_fan_enable", "fan%d_enable", "hwmon_fan_input", "fan%d_input", "hwmon_fan_label", "fan%d_label", "hwmon_fan_min", "fan%d_min", "hwmon_fan_max", "fan%d_max", "hwmon_fan_div", "fan%d_div", "hwmon_fan_pulses", "fan%d_pulses", "hwmon_fan_target", "fan%d_target", "hwmon_fan_alarm", "fan%d_alarm", "hwmon_fan_min_alarm", "fan%d_min_alarm", "hwmon_fan_max_alarm", "fan%d_max_alarm", "hwmon_fan_fault", "fan%d_fault"},
        {"hwmon_pwm_input", "pwm%d", "hwmon_pwm_enable", "pwm%d_enable", "hwmon_pwm_mode", "pwm%d_mode", "hwmon_pwm_freq", "pwm%d_freq", "hwmon_pwm_auto_channels_temp", "pwm%d_auto_channels_temp"},
        {"hwmon_intrusion_alarm", "intrusion%d_alarm", "hwmon_intrusion_beep", "intrusion%d_beep"},
    };

    /** {@code struct hwmon_device_attribute} here: the device_attribute, then ops, type, attr, index, name[32]. */
    private static final int HATTR_EXTRA = 8 + 4 + 4 + 4 + 32;

    /** The allocations of a chip's generated groups, freed with the device. */
    private static final class State {
        final java.util.Map<Long, java.util.List<Long>> allocations = new java.util.HashMap<>();
    }

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
        java.util.List<Long> allocs = k.state(State.class, State::new).allocations.remove(dev);
        if (allocs != null) {
            allocs.forEach(a -> k.slab().kfree(a));
        }
        k.slab().kfree(dev - DEV);
    }

    /** {@code __hwmon_device_register()} without chip info: the device or an ERR_PTR. */
    private static long register(KernelContext k, long dev, long name, long drvdata, long groups) {
        return register(k, dev, name, drvdata, 0, groups);
    }

    /** {@code __hwmon_device_register()}: the device or an ERR_PTR. */
    private static long register(KernelContext k, long dev, long name, long drvdata, long chip, long groups) {
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
        java.util.List<Long> allocs = new java.util.ArrayList<>();
        if (chip != 0) {
            long[] attrs = createAttrs(k, drvdata, chip, allocs);
            if (attrs.length == 1 && isErr(attrs[0])) {
                allocs.forEach(a -> k.slab().kfree(a));
                k.slab().kfree(hwdev);
                k.call(k.sym("ida_free"), k.sym("hwmon_ida"), id);
                return attrs[0];
            }
            long list = k.slab().kmalloc(8L * (attrs.length + 1), 0xdc0);
            allocs.add(list);
            for (int i = 0; i < attrs.length; i++) {
                m.write64(list + 8L * i, attrs[i]);
            }
            long group = k.slab().kmalloc(k.off("attribute_group_sizeof"), 0xdc0);
            allocs.add(group);
            m.write64(group + k.off("attribute_group_attrs"), list);
            int extra = 0;
            while (groups != 0 && m.read64(groups + 8L * extra) != 0) {
                extra++;
            }
            long all = k.slab().kmalloc(8L * (extra + 2), 0xdc0);
            allocs.add(all);
            m.write64(all, group);
            for (int i = 0; i < extra; i++) {
                m.write64(all + 8L * (i + 1), m.read64(groups + 8L * i));
            }
            groups = all;
        }
        k.state(State.class, State::new).allocations.put(hdev, allocs);
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
        return devm(k, dev, () -> hwmonDeviceRegisterWithGroups(k, dev, name, drvdata, groups));
    }

    /** A registration that {@code devm_hwmon_release()} undoes when the driver detaches. */
    private static long devm(KernelContext k, long dev, java.util.function.LongSupplier register) {
        if (dev == 0) {
            return -Errno.EINVAL;
        }
        long ptr = Devres.devresAllocNode(k, k.sym("devm_hwmon_release"), 8, 0xcc0, -1, k.sym("devm_hwmon_release_name"));
        if (ptr == 0) {
            return -Errno.ENOMEM;
        }
        long hwdev = register.getAsLong();
        if (Long.compareUnsigned(hwdev, -4095L) >= 0) {
            Devres.devresFree(k, ptr);
            return hwdev;
        }
        k.mem().write64(ptr, hwdev);
        Devres.devresAdd(k, dev, ptr);
        return hwdev;
    }

    // ---------------------------------------------------------------- chip info

    private static boolean isErr(long v) {
        return Long.compareUnsigned(v, -4095L) >= 0;
    }

    private static boolean isString(KernelContext k, int type, int attr) {
        String[][] labels = {{"hwmon_temp", "hwmon_temp_label"}, {"hwmon_in", "hwmon_in_label"},
            {"hwmon_curr", "hwmon_curr_label"}, {"hwmon_power", "hwmon_power_label"},
            {"hwmon_energy", "hwmon_energy_label"}, {"hwmon_humidity", "hwmon_humidity_label"},
            {"hwmon_fan", "hwmon_fan_label"}};
        for (String[] l : labels) {
            if (type == k.off(l[0]) && attr == k.off(l[1])) {
                return true;
            }
        }
        return false;
    }

    /** The template of {@code attr} of a sensor type, or null (hwmon.c's tables). */
    private static String template(KernelContext k, int type, int attr) {
        String[] t = TEMPLATES[type];
        for (int i = 0; i < t.length; i += 2) {
            if (k.off(t[i]) == attr) {
                return t[i + 1];
            }
        }
        return null;
    }

    private static int templateSize(KernelContext k, int type) {
        int max = -1;
        String[] t = TEMPLATES[type];
        for (int i = 0; i < t.length; i += 2) {
            max = Math.max(max, k.off(t[i]));
        }
        return max + 1;
    }

    /**
     * {@code __hwmon_create_attrs()}: every visible attribute of every channel, or a single
     * negative errno.
     */
    private static long[] createAttrs(KernelContext k, long drvdata, long chip, java.util.List<Long> allocs) {
        AddressSpace m = k.mem();
        long ops = m.read64(chip + k.off("hwmon_chip_info_ops"));
        long info = m.read64(chip + k.off("hwmon_chip_info_info"));
        int nattrs = 0;
        for (int i = 0; m.read64(info + 8L * i) != 0; i++) {
            long ci = m.read64(info + 8L * i);
            long config = m.read64(ci + k.off("hwmon_channel_info_config"));
            for (int j = 0; m.read32(config + 4L * j) != 0; j++) {
                nattrs += Integer.bitCount(m.read32(config + 4L * j));
            }
        }
        if (nattrs == 0) {
            return new long[] {-Errno.EINVAL};
        }
        java.util.List<Long> out = new java.util.ArrayList<>();
        for (int i = 0; m.read64(info + 8L * i) != 0; i++) {
            long ci = m.read64(info + 8L * i);
            int type = m.read32(ci + k.off("hwmon_channel_info_type"));
            if (type < 0 || type >= k.off("hwmon_max")) {
                return new long[] {-Errno.EINVAL};
            }
            long config = m.read64(ci + k.off("hwmon_channel_info_config"));
            for (int ch = 0; m.read32(config + 4L * ch) != 0; ch++) {
                int mask = m.read32(config + 4L * ch);
                while (mask != 0) {
                    int attr = Integer.numberOfTrailingZeros(mask);
                    mask &= ~(1 << attr);
                    if (attr >= templateSize(k, type)) {
                        return new long[] {-Errno.EINVAL};
                    }
                    long a = genattr(k, drvdata, type, attr, ch, template(k, type, attr), ops, allocs);
                    if (a == -Errno.ENOENT) {
                        continue;
                    }
                    if (isErr(a)) {
                        return new long[] {a};
                    }
                    out.add(a);
                }
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /** {@code hwmon_genattr()}: the attribute, -ENOENT if invisible, or an errno. */
    private static long genattr(KernelContext k, long drvdata, int type, int attr, int index, String template,
            long ops, java.util.List<Long> allocs) {
        AddressSpace m = k.mem();
        if (template == null) {
            return -Errno.ENOENT;
        }
        int mode = (int) k.call(m.read64(ops + k.off("hwmon_ops_is_visible")), drvdata, type, attr & 0xffffffffL,
                index) & 0xffff;
        if (mode == 0) {
            return -Errno.ENOENT;
        }
        boolean string = isString(k, type, attr);
        if ((mode & 0444) != 0 && ((string && m.read64(ops + k.off("hwmon_ops_read_string")) == 0)
                || (!string && m.read64(ops + k.off("hwmon_ops_read")) == 0))) {
            return -Errno.EINVAL;
        }
        if ((mode & 0222) != 0 && m.read64(ops + k.off("hwmon_ops_write")) == 0) {
            return -Errno.EINVAL;
        }
        int da = k.off("device_attribute_sizeof");
        long hattr = k.slab().kmalloc(da + HATTR_EXTRA, 0xdc0);
        if (hattr == 0) {
            return -Errno.ENOMEM;
        }
        allocs.add(hattr);
        long nameAt = hattr + da + 20;
        long name;
        if (type == k.off("hwmon_chip")) {
            name = k.kstrdup(template);
            allocs.add(name);
        } else {
            int base = type == k.off("hwmon_in") || type == k.off("hwmon_intrusion") ? 0 : 1;
            byte[] n = template.replace("%d", Integer.toString(index + base)).getBytes(StandardCharsets.US_ASCII);
            m.write(nameAt, java.util.Arrays.copyOf(n, Math.min(n.length, 31)));
            name = nameAt;
        }
        m.write64(hattr + da, ops);
        m.write32(hattr + da + 8, type);
        m.write32(hattr + da + 12, attr);
        m.write32(hattr + da + 16, index);
        m.write64(hattr + k.off("device_attribute_show"), k.sym(string ? "hwmon_attr_show_string" : "hwmon_attr_show"));
        m.write64(hattr + k.off("device_attribute_store"), k.sym("hwmon_attr_store"));
        m.write64(hattr + k.off("attribute_name"), name);
        m.write16(hattr + k.off("attribute_mode"), (short) mode);
        return hattr;
    }

    private static long sysfsEmit(KernelContext k, long buf, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        k.mem().write(buf, b);
        k.mem().write8(buf + b.length, (byte) 0);
        return b.length;
    }

    /** static ssize_t hwmon_attr_show(struct device *dev, struct device_attribute *devattr, char *buf) */
    @KernelSymbol(value = "hwmon_attr_show", internal = true)
    static long attrShow(KernelContext k, long dev, long devattr, long buf) {
        AddressSpace m = k.mem();
        int da = k.off("device_attribute_sizeof");
        long ops = m.read64(devattr + da);
        long val = k.slab().kmalloc(8, 0xdc0);
        try {
            int ret = (int) k.call(m.read64(ops + k.off("hwmon_ops_read")), dev, m.read32(devattr + da + 8),
                    m.read32(devattr + da + 12) & 0xffffffffL, m.read32(devattr + da + 16), val);
            if (ret < 0) {
                return ret;
            }
            return sysfsEmit(k, buf, m.read64(val) + "\n");
        } finally {
            k.slab().kfree(val);
        }
    }

    /** static ssize_t hwmon_attr_show_string(struct device *dev, struct device_attribute *devattr, char *buf) */
    @KernelSymbol(value = "hwmon_attr_show_string", internal = true)
    static long attrShowString(KernelContext k, long dev, long devattr, long buf) {
        AddressSpace m = k.mem();
        int da = k.off("device_attribute_sizeof");
        long ops = m.read64(devattr + da);
        long str = k.slab().kmalloc(8, 0xdc0);
        try {
            int ret = (int) k.call(m.read64(ops + k.off("hwmon_ops_read_string")), dev, m.read32(devattr + da + 8),
                    m.read32(devattr + da + 12) & 0xffffffffL, m.read32(devattr + da + 16), str);
            if (ret < 0) {
                return ret;
            }
            long s = m.read64(str);
            return sysfsEmit(k, buf, (s == 0 ? "(null)" : k.string(s, 4096)) + "\n");
        } finally {
            k.slab().kfree(str);
        }
    }

    /**
     * static ssize_t hwmon_attr_store(struct device *dev, struct device_attribute *devattr,
     * const char *buf, size_t count): a decimal long, as {@code kstrtol(buf, 10, &val)}.
     */
    @KernelSymbol(value = "hwmon_attr_store", internal = true)
    static long attrStore(KernelContext k, long dev, long devattr, long buf, long count) {
        AddressSpace m = k.mem();
        int da = k.off("device_attribute_sizeof");
        long ops = m.read64(devattr + da);
        long val = k.slab().kmalloc(8, 0xdc0);
        try {
            int ret = (int) k.call(k.sym("kstrtol"), buf, 10, val);
            if (ret < 0) {
                return ret;
            }
            ret = (int) k.call(m.read64(ops + k.off("hwmon_ops_write")), dev, m.read32(devattr + da + 8),
                    m.read32(devattr + da + 12) & 0xffffffffL, m.read32(devattr + da + 16), m.read64(val));
            return ret < 0 ? ret : count;
        } finally {
            k.slab().kfree(val);
        }
    }

    /**
     * struct device *hwmon_device_register_with_info(struct device *dev, const char *name,
     * void *drvdata, const struct hwmon_chip_info *chip, const struct attribute_group **extra_groups)
     */
    @KernelSymbol("hwmon_device_register_with_info")
    static long hwmonDeviceRegisterWithInfo(KernelContext k, long dev, long name, long drvdata, long chip,
            long extraGroups) {
        AddressSpace m = k.mem();
        if (name == 0) {
            return -Errno.EINVAL;
        }
        if (chip != 0) {
            long ops = m.read64(chip + k.off("hwmon_chip_info_ops"));
            if (ops == 0 || m.read64(ops + k.off("hwmon_ops_is_visible")) == 0
                    || m.read64(chip + k.off("hwmon_chip_info_info")) == 0) {
                return -Errno.EINVAL;
            }
            if (dev == 0) {
                return -Errno.EINVAL;
            }
        }
        return register(k, dev, name, drvdata, chip, extraGroups);
    }

    /** struct device *devm_hwmon_device_register_with_info(...): unregistered when the driver detaches. */
    @KernelSymbol("devm_hwmon_device_register_with_info")
    static long devmHwmonDeviceRegisterWithInfo(KernelContext k, long dev, long name, long drvdata, long chip,
            long extraGroups) {
        return devm(k, dev, () -> hwmonDeviceRegisterWithInfo(k, dev, name, drvdata, chip, extraGroups));
    }
}
