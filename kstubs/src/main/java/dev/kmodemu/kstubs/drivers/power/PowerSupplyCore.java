package dev.kmodemu.kstubs.drivers.power;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.drivers.base.Classes;
import dev.kmodemu.kstubs.drivers.base.Core;
import dev.kmodemu.kstubs.drivers.hwmon.Hwmon;
import dev.kmodemu.kstubs.fs.Sysfs;
import dev.kmodemu.kstubs.kernel.Oops;
import dev.kmodemu.kstubs.lib.Lists;

/**
 * drivers/power/supply/power_supply_core.c: power supplies. Each is a device of the
 * power_supply class named after its description (/sys/class/power_supply/NAME), with the LED
 * triggers of power_supply_leds.c ({@link PowerSupplyLeds}); registration queues the deferred
 * first "changed" (10 ms later, once the parent's lock is free), and every
 * {@code power_supply_changed()} runs the changed work: the {@code external_power_changed} of
 * each supply this one powers, the LED triggers from the driver's own {@code get_property}, and a
 * KOBJ_CHANGE uevent.
 *
 * <p>Not provided: the per-property attributes of power_supply_sysfs.c (the uevent variables
 * are, see {@link PowerSupplySysfs}), the thermal zone of
 * supplies with a temperature, and the channels of the hwmon device each supply gets; nobody can
 * register on {@code power_supply_notifier} either, so it is not called.
 */
public final class PowerSupplyCore {
    private PowerSupplyCore() {
    }

    /** {@code power_supply_class_init()}: the class, registered before any module loads. */
    public static void boot(KernelContext k) {
        long cls = k.slab().kmalloc(k.off("class_sizeof"), 0x100 | 0xcc0);
        k.mem().write64(cls + k.off("class_name"), k.kstrdup("power_supply"));
        k.mem().write64(cls + k.off("class_dev_uevent"), k.sym("power_supply_uevent"));
        Classes.registerKernelClass(k, cls);
        k.mem().write64(k.sym("power_supply_class"), cls);
    }

    /** {@code struct class *power_supply_class}. */
    @KernelData(value = "power_supply_class", size = 8)
    static void powerSupplyClass(KernelContext k, long at) {
    }

    /**
     * {@code static struct device_type power_supply_dev_type}: no name (so no DEVTYPE in the
     * uevent); its attribute groups are not provided.
     */
    @KernelData(value = "power_supply_dev_type", section = Machine.Section.RODATA, sizeOf = "device_type_sizeof")
    static void powerSupplyDevType(KernelContext k, long at) {
        k.mem().poke(at, new byte[k.off("device_type_sizeof")]);
    }

    private static long f(KernelContext k, long p, String field) {
        return k.mem().read64(p + k.off(field));
    }

    static long desc(KernelContext k, long psy) {
        return f(k, psy, "power_supply_desc");
    }

    private static boolean hasProperty(KernelContext k, long desc, int prop) {
        AddressSpace m = k.mem();
        long props = f(k, desc, "power_supply_desc_properties");
        long n = f(k, desc, "power_supply_desc_num_properties");
        for (long i = 0; i < n; i++) {
            if (m.read32(props + 4 * i) == prop) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code __power_supply_register()}: the {@code struct power_supply *} or an ERR_PTR.
     * {@code power_supply_check_supplies()} finds nothing to wait for: supplies come from
     * firmware nodes, and the emulated machine has none.
     */
    private static long register(KernelContext k, long parent, long desc, long cfg, boolean ws) {
        AddressSpace m = k.mem();
        if (parent == 0) {
            k.printk(4, "__power_supply_register: Expected proper parent device for '"
                    + k.string(f(k, desc, "power_supply_desc_name"), 4096) + "'");
        }
        if (desc == 0 || f(k, desc, "power_supply_desc_name") == 0 || f(k, desc, "power_supply_desc_properties") == 0
                || f(k, desc, "power_supply_desc_num_properties") == 0) {
            return -Errno.EINVAL;
        }
        if (hasProperty(k, desc, k.off("POWER_SUPPLY_PROP_USB_TYPE"))
                && (f(k, desc, "power_supply_desc_usb_types") == 0 || f(k, desc, "power_supply_desc_num_usb_types") == 0)) {
            return -Errno.EINVAL;
        }
        long psy = k.slab().kmalloc(k.off("power_supply_sizeof"), 0x100 | 0xcc0);
        if (psy == 0) {
            return -Errno.ENOMEM;
        }
        long dev = psy + k.off("power_supply_dev");
        Core.deviceInitialize(k, dev);
        m.write64(dev + k.off("device_class"), m.read64(k.sym("power_supply_class")));
        m.write64(dev + k.off("device_type"), k.sym("power_supply_dev_type"));
        m.write64(dev + k.off("device_parent"), parent);
        m.write64(dev + k.off("device_release"), k.sym("power_supply_dev_release"));
        m.write64(dev + k.off("device_driver_data"), psy);
        m.write64(psy + k.off("power_supply_desc"), desc);
        if (cfg != 0) {
            m.write64(dev + k.off("device_groups"), f(k, cfg, "power_supply_config_attr_grp"));
            m.write64(psy + k.off("power_supply_drv_data"), f(k, cfg, "power_supply_config_drv_data"));
            m.write64(psy + k.off("power_supply_supplied_to"), f(k, cfg, "power_supply_config_supplied_to"));
            m.write64(psy + k.off("power_supply_num_supplicants"), f(k, cfg, "power_supply_config_num_supplicants"));
        }
        int rc = Core.setName(k, dev, k.string(f(k, desc, "power_supply_desc_name"), 4096));
        if (rc == 0) {
            initWork(k, psy + k.off("power_supply_changed_work"), k.sym("power_supply_changed_work"));
            long dwork = psy + k.off("power_supply_deferred_register_work");
            initWork(k, dwork + k.off("delayed_work_work"), k.sym("power_supply_deferred_register_work"));
            k.call(k.sym("init_timer_key"), dwork + k.off("delayed_work_timer"), k.sym("delayed_work_timer_fn"),
                    0x200000 /* TIMER_IRQSAFE */, 0, 0);
            m.write32(psy + k.off("power_supply_changed_lock"), 0);
            rc = Core.deviceAdd(k, dev);
            if (rc == 0) {
                rc = PowerSupplyLeds.createTriggers(k, psy);
                long hwmon = rc == 0 ? Hwmon.registerForSupply(k, dev,
                        k.string(f(k, desc, "power_supply_desc_name"), 4096)) : 0;
                if (rc == 0 && Long.compareUnsigned(hwmon, -4095L) >= 0) {
                    PowerSupplyLeds.removeTriggers(k, psy);
                    rc = (int) hwmon;
                }
                if (rc == 0) {
                    hwmons(k).put(psy, hwmon);
                    m.write32(psy + k.off("power_supply_use_cnt"), m.read32(psy + k.off("power_supply_use_cnt")) + 1);
                    m.write8(psy + k.off("power_supply_initialized"), (byte) 1);
                    // queue_delayed_work(system_power_efficient_wq, ..., POWER_SUPPLY_DEFERRED_REGISTER_TIME)
                    k.call(k.sym("queue_delayed_work_on"), 8192, m.read64(k.sym("system_power_efficient_wq")), dwork,
                            k.call(k.sym("__msecs_to_jiffies"), 10));
                    return psy;
                }
                Core.deviceDel(k, dev);
            }
        }
        Core.putDevice(k, dev);
        return rc;
    }

    /** Each supply's hwmon device ({@code power_supply_add_hwmon_sysfs()}). */
    private static java.util.Map<Long, Long> hwmons(KernelContext k) {
        return k.state(PowerSupplyCore.class, java.util.HashMap::new);
    }

    /** {@code INIT_WORK()}. */
    private static void initWork(KernelContext k, long work, long fn) {
        k.mem().write64(work + k.off("work_struct_data"), k.off("WORK_STRUCT_NO_POOL"));
        Lists.init(k, work + k.off("work_struct_entry"));
        k.mem().write64(work + k.off("work_struct_func"), fn);
    }

    /** static void power_supply_dev_release(struct device *dev) */
    @KernelSymbol(value = "power_supply_dev_release", internal = true)
    static void powerSupplyDevRelease(KernelContext k, long dev) {
        k.slab().kfree(dev - k.off("power_supply_dev"));
    }

    /**
     * struct power_supply *power_supply_register(struct device *parent,
     * const struct power_supply_desc *desc, const struct power_supply_config *cfg)
     */
    @KernelSymbol("power_supply_register")
    static long powerSupplyRegister(KernelContext k, long parent, long desc, long cfg) {
        return register(k, parent, desc, cfg, true);
    }

    /** {@code power_supply_register_no_ws()}: the same without a wakeup source. */
    @KernelSymbol("power_supply_register_no_ws")
    static long powerSupplyRegisterNoWs(KernelContext k, long parent, long desc, long cfg) {
        return register(k, parent, desc, cfg, false);
    }

    /** void power_supply_unregister(struct power_supply *psy) */
    @KernelSymbol("power_supply_unregister")
    static void powerSupplyUnregister(KernelContext k, long psy) {
        AddressSpace m = k.mem();
        long cnt = psy + k.off("power_supply_use_cnt");
        int left = m.read32(cnt) - 1;
        m.write32(cnt, left);
        if (left != 0) {
            Oops.warn(k, "drivers/power/supply/power_supply_core.c:1443", "power_supply_unregister", null);
        }
        m.write8(psy + k.off("power_supply_removing"), (byte) 1);
        k.call(k.sym("cancel_work_sync"), psy + k.off("power_supply_changed_work"));
        k.call(k.sym("cancel_delayed_work_sync"), psy + k.off("power_supply_deferred_register_work"));
        long dev = psy + k.off("power_supply_dev");
        Sysfs.removeLink(k, Core.kobj(k, dev), "powers");
        Long hwmon = hwmons(k).remove(psy);
        if (hwmon != null) {
            Hwmon.unregisterForSupply(k, hwmon);
        }
        PowerSupplyLeds.removeTriggers(k, psy);
        Core.deviceUnregister(k, dev);
    }

    /** void *power_supply_get_drvdata(struct power_supply *psy) */
    @KernelSymbol("power_supply_get_drvdata")
    static long powerSupplyGetDrvdata(KernelContext k, long psy) {
        return f(k, psy, "power_supply_drv_data");
    }

    /** int power_supply_powers(struct power_supply *psy, struct device *dev) */
    @KernelSymbol("power_supply_powers")
    static int powerSupplyPowers(KernelContext k, long psy, long dev) {
        return (int) k.call(k.sym("sysfs_create_link"), Core.kobj(k, psy + k.off("power_supply_dev")), Core.kobj(k, dev),
                k.sym("power_supply_powers_name"));
    }

    @KernelData(value = "power_supply_powers_name", section = Machine.Section.RODATA, size = 8)
    static void powersName(KernelContext k, long at) {
        k.mem().poke(at, new byte[] {'p', 'o', 'w', 'e', 'r', 's', 0});
    }

    /**
     * int power_supply_get_property(struct power_supply *psy, enum power_supply_property psp,
     * union power_supply_propval *val)
     */
    @KernelSymbol("power_supply_get_property")
    static int powerSupplyGetProperty(KernelContext k, long psy, int psp, long val) {
        if (k.mem().read32(psy + k.off("power_supply_use_cnt")) <= 0) {
            return k.mem().read8(psy + k.off("power_supply_initialized")) == 0 ? -Errno.EAGAIN : -Errno.ENODEV;
        }
        return (int) k.call(f(k, desc(k, psy), "power_supply_desc_get_property"), psy, psp, val);
    }

    /** void power_supply_changed(struct power_supply *psy) */
    @KernelSymbol("power_supply_changed")
    static void powerSupplyChanged(KernelContext k, long psy) {
        k.mem().write8(psy + k.off("power_supply_changed"), (byte) 1);
        k.call(k.sym("queue_work_on"), 8192, k.mem().read64(k.sym("system_wq")), psy + k.off("power_supply_changed_work"));
    }

    /** {@code __power_supply_is_supplied_by(supplier, supply)}: by name, through {@code supplied_to}. */
    private static boolean isSuppliedBy(KernelContext k, long supplier, long supply) {
        AddressSpace m = k.mem();
        long to = f(k, supplier, "power_supply_supplied_to");
        long n = f(k, supplier, "power_supply_num_supplicants");
        if (to == 0) {
            return false; // supply->supplied_from is only set from firmware nodes: none here
        }
        String name = k.string(f(k, desc(k, supply), "power_supply_desc_name"), 4096);
        for (long i = 0; i < n; i++) {
            if (k.string(m.read64(to + 8 * i), 4096).equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** static void power_supply_changed_work(struct work_struct *work) */
    @KernelSymbol(value = "power_supply_changed_work", internal = true)
    static void powerSupplyChangedWork(KernelContext k, long work) {
        AddressSpace m = k.mem();
        long psy = work - k.off("power_supply_changed_work");
        long changed = psy + k.off("power_supply_changed");
        if (m.read8(changed) == 0) {
            return;
        }
        m.write8(changed, (byte) 0);
        long cls = m.read64(k.sym("power_supply_class"));
        for (long dev : Classes.devices(k, cls)) {
            long pst = m.read64(dev + k.off("device_driver_data"));
            if (isSuppliedBy(k, psy, pst)) {
                long fn = f(k, desc(k, pst), "power_supply_desc_external_power_changed");
                if (fn != 0) {
                    k.call(fn, pst);
                }
            }
        }
        PowerSupplyLeds.updateLeds(k, psy);
        k.call(k.sym("kobject_uevent"), Core.kobj(k, psy + k.off("power_supply_dev")), k.off("KOBJ_CHANGE"));
    }

    /** static void power_supply_deferred_register_work(struct work_struct *work) */
    @KernelSymbol(value = "power_supply_deferred_register_work", internal = true)
    static void powerSupplyDeferredRegisterWork(KernelContext k, long work) {
        AddressSpace m = k.mem();
        long psy = work - k.off("delayed_work_work") - k.off("power_supply_deferred_register_work");
        long parent = m.read64(psy + k.off("power_supply_dev") + k.off("device_parent"));
        if (parent != 0) {
            long mutex = parent + k.off("device_mutex");
            while ((k.call(k.sym("mutex_trylock"), mutex) & 0xffffffffL) == 0) {
                if (m.read8(psy + k.off("power_supply_removing")) != 0) {
                    return;
                }
                k.call(k.sym("msleep"), 10);
            }
        }
        powerSupplyChanged(k, psy);
        if (parent != 0) {
            k.call(k.sym("mutex_unlock"), parent + k.off("device_mutex"));
        }
    }
}
