package dev.kmodemu.kstubs.drivers.base;

import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.fs.Sysfs;
import dev.kmodemu.kstubs.kernel.Oops;
import dev.kmodemu.kstubs.lib.Kobject;
import dev.kmodemu.kstubs.lib.KobjectUevent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * drivers/base/driver.c: {@code driver_register()} (the bus must be registered, a name may be
 * registered once per bus, the driver's own groups, the "add" uevent), {@code driver_unregister()},
 * {@code driver_find()}, driver attribute files and the iterators over a driver's devices (its
 * {@code klist_devices}, kept here, in binding order).
 */
public final class Driver {
    private final KernelContext k;
    /** Registered drivers: the devices bound to each, in order. */
    private final Map<Long, List<Long>> devices = new HashMap<>();

    private Driver(KernelContext k) {
        this.k = k;
    }

    static Driver of(KernelContext k) {
        return k.state(Driver.class, () -> new Driver(k));
    }

    void added(long drv) {
        devices.put(drv, new ArrayList<>());
    }

    void removed(long drv) {
        devices.remove(drv);
    }

    /** The devices bound to {@code drv}, in binding order (a copy). */
    List<Long> devices(long drv) {
        List<Long> l = devices.get(drv);
        return l == null ? List.of() : new ArrayList<>(l);
    }

    /** {@code klist_add_tail(&dev->p->knode_driver, &drv->p->klist_devices)}. */
    void bind(long drv, long dev) {
        List<Long> l = devices.get(drv);
        if (l != null) {
            l.add(dev);
        }
    }

    void unbind(long drv, long dev) {
        List<Long> l = devices.get(drv);
        if (l != null) {
            l.remove(dev);
        }
    }

    boolean bound(long drv, long dev) {
        List<Long> l = devices.get(drv);
        return l != null && l.contains(dev);
    }

    private long field(long p, String name) {
        return k.mem().read64(p + k.off(name));
    }

    private String str(long p) {
        return p == 0 ? "(null)" : k.mem().readCString(p, 4096);
    }

    /** int driver_register(struct device_driver *drv) */
    @KernelSymbol("driver_register")
    public static int driverRegister(KernelContext k, long drv) {
        Driver d = of(k);
        long bus = d.field(drv, "device_driver_bus");
        String name = d.str(d.field(drv, "device_driver_name"));
        if (Bus.of(k).get(bus) == null) {
            k.printk(3, "Driver '" + name + "' was unable to register with bus_type '"
                    + d.str(d.field(bus, "bus_type_name")) + "' because the bus was not initialized.");
            return -Errno.EINVAL;
        }
        if ((d.field(bus, "bus_type_probe") != 0 && d.field(drv, "device_driver_probe") != 0)
                || (d.field(bus, "bus_type_remove") != 0 && d.field(drv, "device_driver_remove") != 0)
                || (d.field(bus, "bus_type_shutdown") != 0 && d.field(drv, "device_driver_shutdown") != 0)) {
            k.printk(4, "Driver '" + name + "' needs updating - please use bus_type methods");
        }
        if (find(k, name, bus) != 0) {
            k.printk(3, "Error: Driver '" + name + "' is already registered, aborting...");
            return -Errno.EBUSY;
        }
        int ret = Bus.of(k).addDriver(drv);
        if (ret != 0) {
            return ret;
        }
        long priv = d.field(drv, "device_driver_p");
        ret = Sysfs.sysfsCreateGroups(k, priv, d.field(drv, "device_driver_groups"));
        if (ret != 0) {
            Bus.of(k).removeDriver(drv);
            return ret;
        }
        KobjectUevent.uevent(k, priv, k.off("KOBJ_ADD"));
        return 0;
    }

    /** void driver_unregister(struct device_driver *drv) */
    @KernelSymbol("driver_unregister")
    public static void driverUnregister(KernelContext k, long drv) {
        Driver d = of(k);
        if (drv == 0 || d.field(drv, "device_driver_p") == 0 || !d.devices.containsKey(drv)) {
            Oops.warn(k, "drivers/base/driver.c:270", "driver_unregister", "Unexpected driver unregister!");
            return;
        }
        Sysfs.sysfsRemoveGroups(k, d.field(drv, "device_driver_p"), d.field(drv, "device_driver_groups"));
        Bus.of(k).removeDriver(drv);
    }

    /** {@code driver_find()} with a Java name: the driver registered on {@code bus}, or 0. */
    static long find(KernelContext k, String name, long bus) {
        Bus.B b = Bus.of(k).get(bus);
        if (b == null) {
            return 0;
        }
        long kobj = Kobject.findObj(k, b.driversKset, name);
        if (kobj == 0) {
            return 0;
        }
        Kobject.put(k, kobj);
        return Base.driverOf(k, kobj);
    }

    /** struct device_driver *driver_find(const char *name, struct bus_type *bus) */
    @KernelSymbol("driver_find")
    static long driverFind(KernelContext k, long name, long bus) {
        return find(k, k.mem().readCString(name, 4096), bus);
    }

    /** int driver_create_file(struct device_driver *drv, const struct driver_attribute *attr) */
    @KernelSymbol("driver_create_file")
    static int driverCreateFile(KernelContext k, long drv, long attr) {
        if (drv == 0) {
            return -Errno.EINVAL;
        }
        return Sysfs.sysfsCreateFileNs(k, of(k).field(drv, "device_driver_p"), attr, 0);
    }

    /** void driver_remove_file(struct device_driver *drv, const struct driver_attribute *attr) */
    @KernelSymbol("driver_remove_file")
    static void driverRemoveFile(KernelContext k, long drv, long attr) {
        if (drv != 0) {
            Sysfs.sysfsRemoveFileNs(k, of(k).field(drv, "device_driver_p"), attr, 0);
        }
    }

    /** The devices bound to {@code drv} after {@code start}, still bound when reached. */
    private List<Long> after(long drv, long start) {
        List<Long> list = devices(drv);
        int i = start == 0 ? -1 : list.indexOf(start);
        return list.subList(i + 1, list.size());
    }

    /**
     * int driver_for_each_device(struct device_driver *drv, struct device *start, void *data,
     * int (*fn)(struct device *, void *))
     */
    @KernelSymbol("driver_for_each_device")
    static int driverForEachDevice(KernelContext k, long drv, long start, long data, long fn) {
        Driver d = of(k);
        if (drv == 0 || !d.devices.containsKey(drv)) {
            return -Errno.EINVAL;
        }
        for (long dev : d.after(drv, start)) {
            if (d.bound(drv, dev)) {
                int error = (int) k.call(fn, dev, data);
                if (error != 0) {
                    return error;
                }
            }
        }
        return 0;
    }

    /**
     * struct device *driver_find_device(struct device_driver *drv, struct device *start,
     * const void *data, int (*match)(struct device *dev, const void *data))
     */
    @KernelSymbol("driver_find_device")
    static long driverFindDevice(KernelContext k, long drv, long start, long data, long match) {
        Driver d = of(k);
        if (drv == 0 || !d.devices.containsKey(drv)) {
            return 0;
        }
        for (long dev : d.after(drv, start)) {
            if (d.bound(drv, dev) && k.call(match, dev, data) != 0) {
                return Core.getDevice(k, dev);
            }
        }
        return 0;
    }
}
