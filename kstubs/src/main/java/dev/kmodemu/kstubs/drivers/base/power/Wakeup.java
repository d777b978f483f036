package dev.kmodemu.kstubs.drivers.base.power;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.drivers.base.Core;
import dev.kmodemu.kstubs.mm.Gfp;

import java.nio.charset.StandardCharsets;

/**
 * drivers/base/power/wakeup.c: wakeup sources and the wakeup capability of devices
 * (CONFIG_PM_SLEEP=y). {@code device_set_wakeup_capable()} sets {@code dev->power.can_wakeup} and
 * merges the {@code pm_wakeup_attr_group} into a registered device's {@code power} directory
 * ({@code power/wakeup}, {@code wakeup_count}, ... as drivers/base/power/sysfs.c shows them);
 * {@code device_wakeup_enable()} registers a {@code struct wakeup_source} named after the device
 * (its id from {@code wakeup_ida}) as {@code dev->power.wakeup}, which the inline
 * {@code device_may_wakeup()} reads. Wakeup events count, activate the source and relax it at once
 * or when its timer ({@code pm_wakeup_timer_fn}) fires, with the kernel's time accounting. The
 * emulated machine never suspends, so a "hard" event has no system to abort. Limit: the
 * {@code wakeupN} device of {@code wakeup_class} (/sys/class/wakeup) is not created.
 */
public final class Wakeup {
    private Wakeup() {
    }

    /** {@code dev->power.can_wakeup}: bit 0 of the bit-fields after {@code power_state}. */
    static final int CAN_WAKEUP = 0;

    private static long bitsAt(KernelContext k, long dev) {
        return dev + k.off("device_power") + k.off("dev_pm_info_bits");
    }

    /** {@code device_can_wakeup()}. */
    public static boolean canWakeup(KernelContext k, long dev) {
        return Runtime.pmBit(k, dev, CAN_WAKEUP);
    }

    /** {@code dev->power.wakeup}. */
    static long source(KernelContext k, long dev) {
        return k.mem().read64(dev + k.off("device_power") + k.off("dev_pm_info_wakeup"));
    }

    private static void setSource(KernelContext k, long dev, long ws) {
        k.mem().write64(dev + k.off("device_power") + k.off("dev_pm_info_wakeup"), ws);
    }

    /** True once {@code device_pm_add()} put the device on the PM list: registered and not {@code no_pm}. */
    private static boolean onPmList(KernelContext k, long dev) {
        return Core.registered(k, dev) && !Runtime.pmBit(k, dev, Runtime.NO_PM);
    }

    /** void device_set_wakeup_capable(struct device *dev, bool capable) */
    @KernelSymbol("device_set_wakeup_capable")
    public static void deviceSetWakeupCapable(KernelContext k, long dev, boolean capable) {
        if (canWakeup(k, dev) == capable) {
            return;
        }
        int v = k.mem().read32(bitsAt(k, dev));
        k.mem().write32(bitsAt(k, dev), capable ? v | 1 << CAN_WAKEUP : v & ~(1 << CAN_WAKEUP));
        if (onPmList(k, dev)) {
            if (capable) {
                if (sysfsAdd(k, dev) != 0) {
                    Core.log(k, 6, dev, "Wakeup sysfs attributes not added");
                }
            } else {
                sysfsRemove(k, dev);
            }
        }
    }

    /** {@code wakeup_sysfs_add()}. */
    static int sysfsAdd(KernelContext k, long dev) {
        return Sysfs.mergeGroup(k, dev, "pm_wakeup_attr_group");
    }

    /** {@code wakeup_sysfs_remove()}. */
    static void sysfsRemove(KernelContext k, long dev) {
        Sysfs.unmergeGroup(k, dev, "pm_wakeup_attr_group");
    }

    /**
     * int device_wakeup_enable(struct device *dev): -EINVAL unless the device can wake up; a new
     * wakeup source named after the device, attached as {@code dev->power.wakeup} (-EEXIST if one is).
     */
    @KernelSymbol("device_wakeup_enable")
    public static int deviceWakeupEnable(KernelContext k, long dev) {
        if (dev == 0 || !canWakeup(k, dev)) {
            return -Errno.EINVAL;
        }
        long ws = sourceRegister(k, Core.name(k, dev));
        if (ws == 0) {
            return -Errno.ENOMEM;
        }
        if (source(k, dev) != 0) {
            sourceUnregister(k, ws);
            return -Errno.EEXIST;
        }
        setSource(k, dev, ws);
        return 0;
    }

    /** int device_wakeup_disable(struct device *dev): detaches and unregisters the source. */
    @KernelSymbol("device_wakeup_disable")
    public static int deviceWakeupDisable(KernelContext k, long dev) {
        if (dev == 0 || !canWakeup(k, dev)) {
            return -Errno.EINVAL;
        }
        long ws = source(k, dev);
        setSource(k, dev, 0);
        sourceUnregister(k, ws);
        return 0;
    }

    /** int device_set_wakeup_enable(struct device *dev, bool enable) */
    @KernelSymbol("device_set_wakeup_enable")
    public static int deviceSetWakeupEnable(KernelContext k, long dev, boolean enable) {
        return enable ? deviceWakeupEnable(k, dev) : deviceWakeupDisable(k, dev);
    }

    /**
     * {@code device_wakeup_detach()} and {@code wakeup_source_unregister()} of a device being
     * removed ({@code device_wakeup_disable()} from {@code device_pm_remove()}).
     */
    public static void deviceRemoved(KernelContext k, long dev) {
        if (canWakeup(k, dev)) {
            deviceWakeupDisable(k, dev);
        }
    }

    /** {@code wakeup_source_create()} + {@code wakeup_source_add()}: 0 when memory runs out. */
    private static long sourceRegister(KernelContext k, String name) {
        long ws = k.slab().kmalloc(k.off("wakeup_source_sizeof"), Gfp.ZERO);
        if (ws == 0) {
            return 0;
        }
        byte[] n = (name + "\0").getBytes(StandardCharsets.UTF_8);
        long copy = k.slab().kmalloc(n.length, 0xcc0);
        if (copy == 0) {
            k.slab().kfree(ws);
            return 0;
        }
        k.mem().write(copy, n);
        int id = (int) k.call(k.sym("ida_alloc_range"), k.sym("wakeup_ida"), 0, Integer.MAX_VALUE, 0xcc0);
        if (id < 0) {
            k.slab().kfree(copy);
            k.slab().kfree(ws);
            return 0;
        }
        AddressSpace m = k.mem();
        m.write64(ws + k.off("wakeup_source_name"), copy);
        m.write32(ws + k.off("wakeup_source_id"), id);
        k.call(k.sym("init_timer_key"), ws + k.off("wakeup_source_timer"), k.sym("pm_wakeup_timer_fn"), 0, 0, 0);
        m.write64(ws + k.off("wakeup_source_last_time"), k.clock().nanos());
        return ws;
    }

    /** {@code wakeup_source_remove()} + {@code wakeup_source_destroy()}: relaxed, timer stopped, freed. */
    private static void sourceUnregister(KernelContext k, long ws) {
        if (ws == 0) {
            return;
        }
        k.call(k.sym("timer_delete_sync"), ws + k.off("wakeup_source_timer"));
        if (active(k, ws)) {
            deactivate(k, ws);
        }
        k.call(k.sym("ida_free"), k.sym("wakeup_ida"), k.mem().read32(ws + k.off("wakeup_source_id")));
        k.slab().kfree(k.mem().read64(ws + k.off("wakeup_source_name")));
        k.slab().kfree(ws);
    }

    /** {@code static DEFINE_IDA(wakeup_ida)}. */
    @KernelData(value = "wakeup_ida", size = 64)
    static void wakeupIda(KernelContext k, long at) {
    }

    private static boolean active(KernelContext k, long ws) {
        return (k.mem().read8(ws + k.off("wakeup_source_bits")) & 1) != 0;
    }

    private static void setActive(KernelContext k, long ws, boolean on) {
        long at = ws + k.off("wakeup_source_bits");
        int v = k.mem().read8(at) & 0xff;
        k.mem().write8(at, (byte) (on ? v | 1 : v & ~1));
    }

    private static void inc(KernelContext k, long ws, String field) {
        long at = ws + k.off(field);
        k.mem().write64(at, k.mem().read64(at) + 1);
    }

    /** {@code wakeup_source_activate()}. */
    private static void activate(KernelContext k, long ws) {
        setActive(k, ws, true);
        inc(k, ws, "wakeup_source_active_count");
        k.mem().write64(ws + k.off("wakeup_source_last_time"), k.clock().nanos());
    }

    /** {@code wakeup_source_deactivate()}: the active period added to the totals. */
    private static void deactivate(KernelContext k, long ws) {
        AddressSpace m = k.mem();
        inc(k, ws, "wakeup_source_relax_count");
        if (m.read64(ws + k.off("wakeup_source_relax_count")) != m.read64(ws + k.off("wakeup_source_active_count"))) {
            m.write64(ws + k.off("wakeup_source_relax_count"), m.read64(ws + k.off("wakeup_source_relax_count")) - 1);
            return;
        }
        setActive(k, ws, false);
        long now = k.clock().nanos();
        long duration = now - m.read64(ws + k.off("wakeup_source_last_time"));
        m.write64(ws + k.off("wakeup_source_total_time"), m.read64(ws + k.off("wakeup_source_total_time")) + duration);
        if (duration > m.read64(ws + k.off("wakeup_source_max_time"))) {
            m.write64(ws + k.off("wakeup_source_max_time"), duration);
        }
        m.write64(ws + k.off("wakeup_source_last_time"), now);
        k.call(k.sym("timer_delete"), ws + k.off("wakeup_source_timer"));
        m.write64(ws + k.off("wakeup_source_timer_expires"), 0);
    }

    /**
     * void pm_wakeup_ws_event(struct wakeup_source *ws, unsigned int msec, bool hard): the event
     * counted, the source active, then relaxed now (msec 0) or when its timer fires.
     */
    @KernelSymbol("pm_wakeup_ws_event")
    static void pmWakeupWsEvent(KernelContext k, long ws, int msec, boolean hard) {
        if (ws == 0) {
            return;
        }
        inc(k, ws, "wakeup_source_event_count");
        if (!active(k, ws)) {
            activate(k, ws);
        }
        if (msec == 0) {
            deactivate(k, ws);
            return;
        }
        long expires = k.clock().jiffies() + Math.max(1, (Integer.toUnsignedLong(msec) * k.clock().hz() + 999) / 1000);
        if (expires == 0) {
            expires = 1;
        }
        long cur = k.mem().read64(ws + k.off("wakeup_source_timer_expires"));
        if (cur == 0 || expires - cur > 0) {
            k.call(k.sym("mod_timer"), ws + k.off("wakeup_source_timer"), expires);
            k.mem().write64(ws + k.off("wakeup_source_timer_expires"), expires);
        }
    }

    /** void pm_wakeup_dev_event(struct device *dev, unsigned int msec, bool hard) */
    @KernelSymbol("pm_wakeup_dev_event")
    static void pmWakeupDevEvent(KernelContext k, long dev, int msec, boolean hard) {
        long ws = source(k, dev);
        if (ws != 0) {
            pmWakeupWsEvent(k, ws, msec, hard);
        }
    }

    /** static void pm_wakeup_timer_fn(struct timer_list *t): an expired source relaxes. */
    @KernelSymbol(value = "pm_wakeup_timer_fn", internal = true)
    static void pmWakeupTimerFn(KernelContext k, long timer) {
        long ws = timer - k.off("wakeup_source_timer");
        long expires = k.mem().read64(ws + k.off("wakeup_source_timer_expires"));
        if (active(k, ws) && expires != 0 && k.clock().jiffies() - expires >= 0) {
            deactivate(k, ws);
            inc(k, ws, "wakeup_source_expire_count");
        }
    }

    // ---------------------------------------------------------------- drivers/base/power/sysfs.c

    /** {@code static const struct attribute_group pm_wakeup_attr_group}. */
    @KernelData(value = "pm_wakeup_attr_group", section = Machine.Section.RODATA, size = 80 + 80 + 9 * 96)
    static void pmWakeupAttrGroup(KernelContext k, long at) {
        Sysfs.powerGroup(k, at, new String[][] {
            {"wakeup", "644", "wakeup_show", "wakeup_store"},
            {"wakeup_count", "444", "wakeup_count_show", null},
            {"wakeup_active_count", "444", "wakeup_active_count_show", null},
            {"wakeup_abort_count", "444", "wakeup_abort_count_show", null},
            {"wakeup_expire_count", "444", "wakeup_expire_count_show", null},
            {"wakeup_active", "444", "wakeup_active_show", null},
            {"wakeup_total_time_ms", "444", "wakeup_total_time_ms_show", null},
            {"wakeup_max_time_ms", "444", "wakeup_max_time_ms_show", null},
            {"wakeup_last_time_ms", "444", "wakeup_last_time_ms_show", null},
        });
    }

    /** static ssize_t wakeup_show(struct device *dev, struct device_attribute *attr, char *buf) */
    @KernelSymbol(value = "wakeup_show", internal = true)
    static long wakeupShow(KernelContext k, long dev, long attr, long buf) {
        String s = !canWakeup(k, dev) ? "" : source(k, dev) != 0 ? "enabled" : "disabled";
        return Sysfs.emit(k, buf, s + "\n");
    }

    /** static ssize_t wakeup_store(struct device *dev, struct device_attribute *attr, const char *buf, size_t n) */
    @KernelSymbol(value = "wakeup_store", internal = true)
    static long wakeupStore(KernelContext k, long dev, long attr, long buf, long n) {
        if (!canWakeup(k, dev)) {
            return -Errno.EINVAL;
        }
        String s = Sysfs.input(k, buf, n);
        if (Core.sysfsStreq(s, "enabled")) {
            deviceSetWakeupEnable(k, dev, true);
        } else if (Core.sysfsStreq(s, "disabled")) {
            deviceSetWakeupEnable(k, dev, false);
        } else {
            return -Errno.EINVAL;
        }
        return n;
    }

    /** A counter of the device's wakeup source, or an empty line without one. */
    private static long showField(KernelContext k, long dev, long buf, String field) {
        long ws = source(k, dev);
        if (ws == 0) {
            return Sysfs.emit(k, buf, "\n");
        }
        return Sysfs.emit(k, buf, Long.toUnsignedString(k.mem().read64(ws + k.off(field))) + "\n");
    }

    /** A time of the device's wakeup source in ms ({@code ktime_to_ms()}), or an empty line. */
    private static long showMs(KernelContext k, long dev, long buf, String field) {
        long ws = source(k, dev);
        if (ws == 0) {
            return Sysfs.emit(k, buf, "\n");
        }
        return Sysfs.emit(k, buf, k.mem().read64(ws + k.off(field)) / 1_000_000L + "\n");
    }

    /** static ssize_t wakeup_count_show(struct device *dev, struct device_attribute *attr, char *buf) */
    @KernelSymbol(value = "wakeup_count_show", internal = true)
    static long wakeupCountShow(KernelContext k, long dev, long attr, long buf) {
        return showField(k, dev, buf, "wakeup_source_wakeup_count");
    }

    /** static ssize_t wakeup_active_count_show(struct device *dev, struct device_attribute *attr, char *buf) */
    @KernelSymbol(value = "wakeup_active_count_show", internal = true)
    static long wakeupActiveCountShow(KernelContext k, long dev, long attr, long buf) {
        return showField(k, dev, buf, "wakeup_source_active_count");
    }

    /** static ssize_t wakeup_abort_count_show(...): the kernel shows {@code wakeup_count} here too. */
    @KernelSymbol(value = "wakeup_abort_count_show", internal = true)
    static long wakeupAbortCountShow(KernelContext k, long dev, long attr, long buf) {
        return showField(k, dev, buf, "wakeup_source_wakeup_count");
    }

    /** static ssize_t wakeup_expire_count_show(struct device *dev, struct device_attribute *attr, char *buf) */
    @KernelSymbol(value = "wakeup_expire_count_show", internal = true)
    static long wakeupExpireCountShow(KernelContext k, long dev, long attr, long buf) {
        return showField(k, dev, buf, "wakeup_source_expire_count");
    }

    /** static ssize_t wakeup_active_show(struct device *dev, struct device_attribute *attr, char *buf) */
    @KernelSymbol(value = "wakeup_active_show", internal = true)
    static long wakeupActiveShow(KernelContext k, long dev, long attr, long buf) {
        long ws = source(k, dev);
        return Sysfs.emit(k, buf, ws == 0 ? "\n" : (active(k, ws) ? "1\n" : "0\n"));
    }

    /** static ssize_t wakeup_total_time_ms_show(struct device *dev, struct device_attribute *attr, char *buf) */
    @KernelSymbol(value = "wakeup_total_time_ms_show", internal = true)
    static long wakeupTotalTimeMsShow(KernelContext k, long dev, long attr, long buf) {
        return showMs(k, dev, buf, "wakeup_source_total_time");
    }

    /** static ssize_t wakeup_max_time_ms_show(struct device *dev, struct device_attribute *attr, char *buf) */
    @KernelSymbol(value = "wakeup_max_time_ms_show", internal = true)
    static long wakeupMaxTimeMsShow(KernelContext k, long dev, long attr, long buf) {
        return showMs(k, dev, buf, "wakeup_source_max_time");
    }

    /** static ssize_t wakeup_last_time_ms_show(struct device *dev, struct device_attribute *attr, char *buf) */
    @KernelSymbol(value = "wakeup_last_time_ms_show", internal = true)
    static long wakeupLastTimeMsShow(KernelContext k, long dev, long attr, long buf) {
        return showMs(k, dev, buf, "wakeup_source_last_time");
    }
}
