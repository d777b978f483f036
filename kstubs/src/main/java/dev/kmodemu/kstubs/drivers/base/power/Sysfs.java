package dev.kmodemu.kstubs.drivers.base.power;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.drivers.base.Core;
import dev.kmodemu.kstubs.lib.Kstrtox;

import java.nio.charset.StandardCharsets;

/**
 * drivers/base/power/sysfs.c: the "power" directory of every device, as the Debian kernel
 * (CONFIG_PM_ADVANCED_DEBUG=y, CONFIG_PM_SLEEP=y) builds it in {@code dpm_sysfs_add()}: the
 * {@code pm_attr_group} (async, runtime_status, runtime_usage, runtime_active_kids,
 * runtime_enabled), merged with the runtime group (control, runtime_suspended_time,
 * runtime_active_time, autosuspend_delay_ms) unless the device has no runtime callbacks. Devices
 * marked {@code no_pm} get none. A device that can wake the system also gets the wakeup group of
 * {@link Wakeup}; the latency tolerance group is not created: no device here sets
 * {@code set_latency_tolerance}.
 */
public final class Sysfs {
    /** Bytes per {@code struct device_attribute} in the groups, its name included. */
    private static final long ATTR_SIZE = 96;

    private Sysfs() {
    }

    /**
     * A {@code struct attribute_group} named "power" at {@code at} with its attributes after it:
     * the name at +64, the NULL-terminated array at +80, then 96 bytes per
     * {@code struct device_attribute} (row {@code name, octal mode, show, store}), its name at +40.
     */
    static void powerGroup(KernelContext k, long at, String[][] rows) {
        AddressSpace m = k.mem();
        long name = at + 64;
        long array = at + 80;
        long objs = array + 8L * (rows.length + 1);
        m.poke(name, "power\0".getBytes(StandardCharsets.US_ASCII));
        m.pokeLong(at + k.off("attribute_group_name"), name);
        m.pokeLong(at + k.off("attribute_group_attrs"), array);
        for (int i = 0; i < rows.length; i++) {
            long a = objs + ATTR_SIZE * i;
            int mode = Integer.parseInt(rows[i][1], 8);
            m.poke(a + 40, (rows[i][0] + "\0").getBytes(StandardCharsets.US_ASCII));
            m.pokeLong(a + k.off("attribute_name"), a + 40);
            m.poke(a + k.off("attribute_mode"), new byte[] {(byte) mode, (byte) (mode >> 8)});
            m.pokeLong(a + k.off("device_attribute_show"), k.sym(rows[i][2]));
            if (rows[i][3] != null) {
                m.pokeLong(a + k.off("device_attribute_store"), k.sym(rows[i][3]));
            }
            m.pokeLong(array + 8L * i, a);
        }
    }

    /** {@code const char power_group_name[] = "power"}: the directory the PM groups share. */
    @KernelData(value = "power_group_name", section = Machine.Section.RODATA, size = 8)
    static void powerGroupName(KernelContext k, long at) {
        k.mem().poke(at, "power\0".getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code static const struct attribute_group pm_attr_group}. */
    @KernelData(value = "pm_attr_group", section = Machine.Section.RODATA, size = 80 + 48 + 5 * ATTR_SIZE)
    static void pmAttrGroup(KernelContext k, long at) {
        powerGroup(k, at, new String[][] {
            {"async", "644", "async_show", "async_store"},
            {"runtime_status", "444", "runtime_status_show", null},
            {"runtime_usage", "444", "runtime_usage_show", null},
            {"runtime_active_kids", "444", "runtime_active_kids_show", null},
            {"runtime_enabled", "444", "runtime_enabled_show", null},
        });
    }

    /** {@code static const struct attribute_group pm_runtime_attr_group}. */
    @KernelData(value = "pm_runtime_attr_group", section = Machine.Section.RODATA, size = 80 + 40 + 4 * ATTR_SIZE)
    static void pmRuntimeAttrGroup(KernelContext k, long at) {
        powerGroup(k, at, new String[][] {
            {"control", "644", "control_show", "control_store"},
            {"runtime_suspended_time", "444", "runtime_suspended_time_show", null},
            {"runtime_active_time", "444", "runtime_active_time_show", null},
            {"autosuspend_delay_ms", "644", "autosuspend_delay_ms_show", "autosuspend_delay_ms_store"},
        });
    }

    /** {@code dpm_sysfs_add()}, from {@code device_add()}. */
    public static int add(KernelContext k, long device) {
        if (Runtime.pmBit(k, device, Runtime.NO_PM)) {
            return 0;
        }
        long kobj = Core.kobj(k, device);
        int rc = dev.kmodemu.kstubs.fs.Sysfs.sysfsCreateGroups(k, kobj, groupList(k, "pm_attr_group"));
        if (rc != 0) {
            return rc;
        }
        if (!Runtime.of(k).noCallbacks(device)) {
            rc = dev.kmodemu.kstubs.fs.Sysfs.sysfsMergeGroup(k, kobj, k.sym("pm_runtime_attr_group"));
            if (rc != 0) {
                dev.kmodemu.kstubs.fs.Sysfs.sysfsRemoveGroups(k, kobj, groupList(k, "pm_attr_group"));
                return rc;
            }
        }
        if (Wakeup.canWakeup(k, device)) {
            rc = Wakeup.sysfsAdd(k, device);
            if (rc != 0) {
                remove(k, device);
            }
        }
        return rc;
    }

    /** {@code { &group, NULL }} for the group helpers that take lists. */
    private static long groupList(KernelContext k, String group) {
        return k.sym(group + "_list");
    }

    /** The one-group list of {@code pm_attr_group}. */
    @KernelData(value = "pm_attr_group_list", section = Machine.Section.RODATA, size = 16)
    static void pmAttrGroupList(KernelContext k, long at) {
        k.mem().pokeLong(at, k.sym("pm_attr_group"));
    }

    /** {@code rpm_sysfs_remove()}: what {@code pm_runtime_no_callbacks()} takes away. */
    static void removeRuntimeFiles(KernelContext k, long device) {
        dev.kmodemu.kstubs.fs.Sysfs.sysfsUnmergeGroup(k, Core.kobj(k, device), k.sym("pm_runtime_attr_group"));
    }

    /** {@code sysfs_merge_group()} of a PM group symbol into the device's power directory. */
    static int mergeGroup(KernelContext k, long device, String group) {
        return dev.kmodemu.kstubs.fs.Sysfs.sysfsMergeGroup(k, Core.kobj(k, device), k.sym(group));
    }

    /** {@code sysfs_unmerge_group()} of a PM group symbol. */
    static void unmergeGroup(KernelContext k, long device, String group) {
        dev.kmodemu.kstubs.fs.Sysfs.sysfsUnmergeGroup(k, Core.kobj(k, device), k.sym(group));
    }

    /** {@code dpm_sysfs_remove()}, from {@code device_del()}. */
    public static void remove(KernelContext k, long device) {
        if (Runtime.pmBit(k, device, Runtime.NO_PM)) {
            return;
        }
        Qos.destroy(k, device);
        removeRuntimeFiles(k, device);
        Wakeup.sysfsRemove(k, device);
        dev.kmodemu.kstubs.fs.Sysfs.sysfsRemoveGroups(k, Core.kobj(k, device), groupList(k, "pm_attr_group"));
    }

    // ---------------------------------------------------------------- attributes

    static long emit(KernelContext k, long buf, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        k.mem().write(buf, b);
        return b.length;
    }

    static String input(KernelContext k, long buf, long n) {
        return new String(k.mem().read(buf, (int) n), StandardCharsets.US_ASCII);
    }

    /** static ssize_t control_show(struct device *dev, struct device_attribute *attr, char *buf) */
    @KernelSymbol(value = "control_show", internal = true)
    static long controlShow(KernelContext k, long dev, long attr, long buf) {
        return emit(k, buf, Runtime.of(k).autoOn(dev) ? "auto\n" : "on\n");
    }

    /** static ssize_t control_store(struct device *dev, struct device_attribute *attr, const char *buf, size_t n) */
    @KernelSymbol(value = "control_store", internal = true)
    static long controlStore(KernelContext k, long dev, long attr, long buf, long n) {
        String s = input(k, buf, n);
        long ret = n;
        Core.deviceLock(k, dev);
        if (Core.sysfsStreq(s, "auto")) {
            Runtime.pmRuntimeAllow(k, dev);
        } else if (Core.sysfsStreq(s, "on")) {
            Runtime.pmRuntimeForbid(k, dev);
        } else {
            ret = -Errno.EINVAL;
        }
        Core.deviceUnlock(k, dev);
        return ret;
    }

    /** static ssize_t runtime_active_time_show(struct device *dev, struct device_attribute *attr, char *buf) */
    @KernelSymbol(value = "runtime_active_time_show", internal = true)
    static long runtimeActiveTimeShow(KernelContext k, long dev, long attr, long buf) {
        return emit(k, buf, Long.toUnsignedString(Long.divideUnsigned(Runtime.of(k).time(dev, true), 1_000_000L))
                + "\n");
    }

    /** static ssize_t runtime_suspended_time_show(struct device *dev, struct device_attribute *attr, char *buf) */
    @KernelSymbol(value = "runtime_suspended_time_show", internal = true)
    static long runtimeSuspendedTimeShow(KernelContext k, long dev, long attr, long buf) {
        return emit(k, buf, Long.toUnsignedString(Long.divideUnsigned(Runtime.of(k).time(dev, false), 1_000_000L))
                + "\n");
    }

    /** static ssize_t runtime_status_show(struct device *dev, struct device_attribute *attr, char *buf) */
    @KernelSymbol(value = "runtime_status_show", internal = true)
    static long runtimeStatusShow(KernelContext k, long dev, long attr, long buf) {
        Runtime r = Runtime.of(k);
        String out;
        if (r.runtimeError(dev) != 0) {
            out = "error";
        } else if (r.disableDepth(dev) != 0) {
            out = "unsupported";
        } else {
            int st = r.status(dev);
            if (st == k.off("RPM_SUSPENDED")) {
                out = "suspended";
            } else if (st == k.off("RPM_SUSPENDING")) {
                out = "suspending";
            } else if (st == k.off("RPM_RESUMING")) {
                out = "resuming";
            } else if (st == k.off("RPM_ACTIVE")) {
                out = "active";
            } else {
                return -Errno.EIO;
            }
        }
        return emit(k, buf, out + "\n");
    }

    /** static ssize_t autosuspend_delay_ms_show(struct device *dev, struct device_attribute *attr, char *buf) */
    @KernelSymbol(value = "autosuspend_delay_ms_show", internal = true)
    static long autosuspendDelayMsShow(KernelContext k, long dev, long attr, long buf) {
        Runtime r = Runtime.of(k);
        if (!r.useAutosuspend(dev)) {
            return -Errno.EIO;
        }
        return emit(k, buf, r.autosuspendDelay(dev) + "\n");
    }

    /** static ssize_t autosuspend_delay_ms_store(struct device *dev, struct device_attribute *attr, const char *buf, size_t n) */
    @KernelSymbol(value = "autosuspend_delay_ms_store", internal = true)
    static long autosuspendDelayMsStore(KernelContext k, long dev, long attr, long buf, long n) {
        if (!Runtime.of(k).useAutosuspend(dev)) {
            return -Errno.EIO;
        }
        Kstrtox.Parsed p = Kstrtox.kstrtoll(k.mem().read(buf, (int) n), 10);
        if (p.err() != 0 || p.value() != (int) p.value()) {
            return -Errno.EINVAL;
        }
        Core.deviceLock(k, dev);
        Runtime.pmRuntimeSetAutosuspendDelay(k, dev, (int) p.value());
        Core.deviceUnlock(k, dev);
        return n;
    }

    /** static ssize_t runtime_usage_show(struct device *dev, struct device_attribute *attr, char *buf) */
    @KernelSymbol(value = "runtime_usage_show", internal = true)
    static long runtimeUsageShow(KernelContext k, long dev, long attr, long buf) {
        return emit(k, buf, Runtime.of(k).usage(dev) + "\n");
    }

    /** static ssize_t runtime_active_kids_show(struct device *dev, struct device_attribute *attr, char *buf) */
    @KernelSymbol(value = "runtime_active_kids_show", internal = true)
    static long runtimeActiveKidsShow(KernelContext k, long dev, long attr, long buf) {
        Runtime r = Runtime.of(k);
        return emit(k, buf, (r.ignoreChildren(dev) ? 0 : r.children(dev)) + "\n");
    }

    /** static ssize_t runtime_enabled_show(struct device *dev, struct device_attribute *attr, char *buf) */
    @KernelSymbol(value = "runtime_enabled_show", internal = true)
    static long runtimeEnabledShow(KernelContext k, long dev, long attr, long buf) {
        Runtime r = Runtime.of(k);
        boolean disabled = r.disableDepth(dev) != 0;
        boolean auto = r.autoOn(dev);
        String out = disabled && !auto ? "disabled & forbidden" : disabled ? "disabled" : !auto ? "forbidden" : "enabled";
        return emit(k, buf, out + "\n");
    }

    /** static ssize_t async_show(struct device *dev, struct device_attribute *attr, char *buf) */
    @KernelSymbol(value = "async_show", internal = true)
    static long asyncShow(KernelContext k, long dev, long attr, long buf) {
        return emit(k, buf, Runtime.pmBit(k, dev, Runtime.ASYNC_SUSPEND) ? "enabled\n" : "disabled\n");
    }

    /**
     * static ssize_t async_store(struct device *dev, struct device_attribute *attr, const char *buf, size_t n):
     * {@code device_enable_async_suspend()} (not while prepared) or {@code device_disable_async_suspend()}.
     */
    @KernelSymbol(value = "async_store", internal = true)
    static long asyncStore(KernelContext k, long dev, long attr, long buf, long n) {
        String s = input(k, buf, n);
        if (Core.sysfsStreq(s, "enabled")) {
            Runtime.setAsyncSuspend(k, dev, true);
        } else if (Core.sysfsStreq(s, "disabled")) {
            Runtime.setAsyncSuspend(k, dev, false);
        } else {
            return -Errno.EINVAL;
        }
        return n;
    }
}
