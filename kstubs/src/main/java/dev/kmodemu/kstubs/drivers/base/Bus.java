package dev.kmodemu.kstubs.drivers.base;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.fs.Sysfs;
import dev.kmodemu.kstubs.fs.Vfs;
import dev.kmodemu.kstubs.kernel.Oops;
import dev.kmodemu.kstubs.lib.Kobject;
import dev.kmodemu.kstubs.lib.KobjectUevent;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * drivers/base/bus.c (and drivers/base/module.c): buses as the kernel registers them
 * ({@code bus_register()}: /sys/bus/NAME as a kset of {@code bus_kset} with {@code uevent},
 * {@code drivers_probe}, {@code drivers_autoprobe}, the {@code devices} and {@code drivers}
 * ksets and the bus's attribute groups), the bus's part of adding and removing devices and
 * drivers (links, attribute groups, the device and driver klists, the bus notifier chain,
 * {@code bind}/{@code unbind}/{@code uevent} of each driver, the driver's {@code module} link and
 * /sys/module/MOD/drivers/BUS:NAME), the iterators, and subsystem interfaces.
 */
public final class Bus {
    /** A registered bus: what {@code struct subsys_private} holds beyond its ksets. */
    static final class B {
        final long bus;
        final long priv;
        final String name;
        long devicesKset;
        long driversKset;
        boolean autoprobe = true;
        /** {@code klist_devices} (each holds a reference on its device). */
        final List<Long> devices = new ArrayList<>();
        /** {@code klist_drivers}. */
        final List<Long> drivers = new ArrayList<>();
        /** The {@code bus_notifier} chain, highest priority first. */
        final List<Long> notifiers = new ArrayList<>();
        /** {@code subsys_interface}s. */
        final List<Long> interfaces = new ArrayList<>();

        B(long bus, long priv, String name) {
            this.bus = bus;
            this.priv = priv;
            this.name = name;
        }
    }

    private final KernelContext k;
    private final Map<Long, B> buses = new HashMap<>();
    private long busKset;
    private long systemKset;

    private Bus(KernelContext k) {
        this.k = k;
    }

    static Bus of(KernelContext k) {
        return k.state(Bus.class, () -> new Bus(k));
    }

    /** {@code buses_init()}: /sys/bus and /sys/devices/system. */
    static void boot(KernelContext k) {
        Bus b = of(k);
        b.busKset = Kobject.ksetCreateAndAdd(k, "bus", k.sym("bus_uevent_ops"), 0);
        b.systemKset = Kobject.ksetCreateAndAdd(k, "system", 0, Kobject.ksetKobj(k, Core.of(k).devicesKset()));
    }

    private AddressSpace mem() {
        return k.mem();
    }

    private long field(long p, String name) {
        return mem().read64(p + k.off(name));
    }

    private String str(long p) {
        return p == 0 ? null : mem().readCString(p, 4096);
    }

    /** The registered bus at {@code bus}, or null ({@code bus->p} unset). */
    B get(long bus) {
        return bus == 0 ? null : buses.get(bus);
    }

    // ---------------------------------------------------------------- the kernel's attributes

    /** A {@code struct bus_attribute} or {@code driver_attribute} of the kernel, its name stored after it. */
    public static void attribute(KernelContext k, long at, String name, int mode, String kind, String show,
            String store) {
        long nameAt = at + 40;
        k.mem().poke(at, new byte[64]);
        k.mem().poke(nameAt, (name + "\0").getBytes(StandardCharsets.US_ASCII));
        k.mem().pokeLong(at + k.off("attribute_name"), nameAt);
        k.mem().poke(at + k.off("attribute_mode"), new byte[] {(byte) mode, (byte) (mode >> 8)});
        if (show != null) {
            k.mem().pokeLong(at + k.off(kind + "_show"), k.sym(show));
        }
        if (store != null) {
            k.mem().pokeLong(at + k.off(kind + "_store"), k.sym(store));
        }
    }

    /** {@code static struct bus_attribute bus_attr_uevent = __ATTR(uevent, 0200, NULL, bus_uevent_store)}. */
    @KernelData(value = "bus_attr_uevent", section = Machine.Section.RODATA, size = 64)
    static void busAttrUevent(KernelContext k, long at) {
        attribute(k, at, "uevent", 0200, "bus_attribute", null, "bus_uevent_store");
    }

    /** {@code static BUS_ATTR_WO(drivers_probe)}. */
    @KernelData(value = "bus_attr_drivers_probe", section = Machine.Section.RODATA, size = 64)
    static void busAttrDriversProbe(KernelContext k, long at) {
        attribute(k, at, "drivers_probe", 0200, "bus_attribute", null, "drivers_probe_store");
    }

    /** {@code static BUS_ATTR_RW(drivers_autoprobe)}. */
    @KernelData(value = "bus_attr_drivers_autoprobe", section = Machine.Section.RODATA, size = 64)
    static void busAttrDriversAutoprobe(KernelContext k, long at) {
        attribute(k, at, "drivers_autoprobe", 0644, "bus_attribute", "drivers_autoprobe_show",
                "drivers_autoprobe_store");
    }

    /** {@code static DRIVER_ATTR_WO(uevent)}. */
    @KernelData(value = "driver_attr_uevent", section = Machine.Section.RODATA, size = 64)
    static void driverAttrUevent(KernelContext k, long at) {
        attribute(k, at, "uevent", 0200, "driver_attribute", null, "driver_uevent_store");
    }

    /** {@code static DRIVER_ATTR_IGNORE_LOCKDEP(bind, 0200, NULL, bind_store)}. */
    @KernelData(value = "driver_attr_bind", section = Machine.Section.RODATA, size = 64)
    static void driverAttrBind(KernelContext k, long at) {
        attribute(k, at, "bind", 0200, "driver_attribute", null, "bind_store");
    }

    /** {@code static DRIVER_ATTR_IGNORE_LOCKDEP(unbind, 0200, NULL, unbind_store)}. */
    @KernelData(value = "driver_attr_unbind", section = Machine.Section.RODATA, size = 64)
    static void driverAttrUnbind(KernelContext k, long at) {
        attribute(k, at, "unbind", 0200, "driver_attribute", null, "unbind_store");
    }

    /** {@code static struct kobj_type bus_ktype}, followed by {@code bus_sysfs_ops}. */
    @KernelData(value = "bus_ktype", section = Machine.Section.RODATA, size = 256)
    static void busKtype(KernelContext k, long at) {
        Core.ktypeWithOps(k, at, "bus_release", "bus_attr_show", "bus_attr_store");
    }

    /** {@code static struct kobj_type driver_ktype}, followed by {@code driver_sysfs_ops}. */
    @KernelData(value = "driver_ktype", section = Machine.Section.RODATA, size = 256)
    static void driverKtype(KernelContext k, long at) {
        Core.ktypeWithOps(k, at, "driver_release", "drv_attr_show", "drv_attr_store");
    }

    /** {@code static const struct kset_uevent_ops bus_uevent_ops}: only buses' own kobjects send. */
    @KernelData(value = "bus_uevent_ops", section = Machine.Section.RODATA, sizeOf = "kset_uevent_ops_sizeof")
    static void busUeventOps(KernelContext k, long at) {
        k.mem().pokeLong(at + k.off("kset_uevent_ops_filter"), k.sym("bus_uevent_filter"));
    }

    /** static int bus_uevent_filter(struct kobject *kobj) */
    @KernelSymbol(value = "bus_uevent_filter", internal = true)
    static int busUeventFilter(KernelContext k, long kobj) {
        return Kobject.ktype(k, kobj) == k.sym("bus_ktype") ? 1 : 0;
    }

    /** static ssize_t bus_attr_show(struct kobject *kobj, struct attribute *attr, char *buf) */
    @KernelSymbol(value = "bus_attr_show", internal = true)
    static long busAttrShow(KernelContext k, long kobj, long attr, long buf) {
        long show = k.mem().read64(attr + k.off("bus_attribute_show"));
        long bus = k.mem().read64(Base.busAt(k, Base.toSubsysPrivate(k, kobj)));
        return show == 0 ? -Errno.EIO : k.call(show, bus, buf);
    }

    /** static ssize_t bus_attr_store(struct kobject *kobj, struct attribute *attr, const char *buf, size_t count) */
    @KernelSymbol(value = "bus_attr_store", internal = true)
    static long busAttrStore(KernelContext k, long kobj, long attr, long buf, long count) {
        long store = k.mem().read64(attr + k.off("bus_attribute_store"));
        long bus = k.mem().read64(Base.busAt(k, Base.toSubsysPrivate(k, kobj)));
        return store == 0 ? -Errno.EIO : k.call(store, bus, buf, count);
    }

    /** static ssize_t drv_attr_show(struct kobject *kobj, struct attribute *attr, char *buf) */
    @KernelSymbol(value = "drv_attr_show", internal = true)
    static long drvAttrShow(KernelContext k, long kobj, long attr, long buf) {
        long show = k.mem().read64(attr + k.off("driver_attribute_show"));
        return show == 0 ? -Errno.EIO : k.call(show, Base.driverOf(k, kobj), buf);
    }

    /** static ssize_t drv_attr_store(struct kobject *kobj, struct attribute *attr, const char *buf, size_t count) */
    @KernelSymbol(value = "drv_attr_store", internal = true)
    static long drvAttrStore(KernelContext k, long kobj, long attr, long buf, long count) {
        long store = k.mem().read64(attr + k.off("driver_attribute_store"));
        return store == 0 ? -Errno.EIO : k.call(store, Base.driverOf(k, kobj), buf, count);
    }

    /** static void bus_release(struct kobject *kobj) */
    @KernelSymbol(value = "bus_release", internal = true)
    static void busRelease(KernelContext k, long kobj) {
        long priv = Base.toSubsysPrivate(k, kobj);
        long bus = k.mem().read64(Base.busAt(k, priv));
        k.slab().kfree(priv);
        k.mem().write64(bus + k.off("bus_type_p"), 0);
    }

    /** static void driver_release(struct kobject *kobj) */
    @KernelSymbol(value = "driver_release", internal = true)
    static void driverRelease(KernelContext k, long kobj) {
        k.slab().kfree(kobj);
    }

    private String input(long buf, long count) {
        return new String(mem().read(buf, (int) count), StandardCharsets.UTF_8);
    }

    /** static ssize_t bus_uevent_store(struct bus_type *bus, const char *buf, size_t count) */
    @KernelSymbol(value = "bus_uevent_store", internal = true)
    static long busUeventStore(KernelContext k, long bus, long buf, long count) {
        B b = of(k).get(bus);
        int rc = b == null ? -Errno.EINVAL : KobjectUevent.synth(k, Base.subsysKobj(k, b.priv),
                k.mem().read(buf, (int) count));
        return rc != 0 ? rc : count;
    }

    /** static ssize_t drivers_autoprobe_show(struct bus_type *bus, char *buf) */
    @KernelSymbol(value = "drivers_autoprobe_show", internal = true)
    static long driversAutoprobeShow(KernelContext k, long bus, long buf) {
        B b = of(k).get(bus);
        byte[] s = ((b != null && b.autoprobe ? "1" : "0") + "\n").getBytes(StandardCharsets.US_ASCII);
        k.mem().write(buf, s);
        return s.length;
    }

    /** static ssize_t drivers_autoprobe_store(struct bus_type *bus, const char *buf, size_t count) */
    @KernelSymbol(value = "drivers_autoprobe_store", internal = true)
    static long driversAutoprobeStore(KernelContext k, long bus, long buf, long count) {
        B b = of(k).get(bus);
        if (b != null) {
            b.autoprobe = k.mem().read8(buf) != '0';
        }
        return count;
    }

    /** static ssize_t drivers_probe_store(struct bus_type *bus, const char *buf, size_t count) */
    @KernelSymbol(value = "drivers_probe_store", internal = true)
    static long driversProbeStore(KernelContext k, long bus, long buf, long count) {
        Bus bs = of(k);
        long dev = bs.findDeviceByName(bus, bs.input(buf, count));
        if (dev == 0) {
            return -Errno.ENODEV;
        }
        long err = bs.rescanHelper(dev) == 0 ? count : -Errno.EINVAL;
        Core.putDevice(k, dev);
        return err;
    }

    /** static ssize_t unbind_store(struct device_driver *drv, const char *buf, size_t count) */
    @KernelSymbol(value = "unbind_store", internal = true)
    static long unbindStore(KernelContext k, long drv, long buf, long count) {
        Bus bs = of(k);
        long dev = bs.findDeviceByName(bs.field(drv, "device_driver_bus"), bs.input(buf, count));
        long err = -Errno.ENODEV;
        if (dev != 0 && bs.field(dev, "device_driver") == drv) {
            Dd.driverDetach(k, dev);
            err = count;
        }
        Core.putDevice(k, dev);
        return err;
    }

    /** static ssize_t bind_store(struct device_driver *drv, const char *buf, size_t count) */
    @KernelSymbol(value = "bind_store", internal = true)
    static long bindStore(KernelContext k, long drv, long buf, long count) {
        Bus bs = of(k);
        long dev = bs.findDeviceByName(bs.field(drv, "device_driver_bus"), bs.input(buf, count));
        long err = -Errno.ENODEV;
        if (dev != 0 && Dd.matchDevice(k, drv, dev) != 0) {
            err = Dd.deviceDriverAttach(k, drv, dev);
            if (err == 0) {
                err = count;
            }
        }
        Core.putDevice(k, dev);
        return err;
    }

    /** static ssize_t uevent_store(struct device_driver *drv, const char *buf, size_t count) */
    @KernelSymbol(value = "driver_uevent_store", internal = true)
    static long driverUeventStore(KernelContext k, long drv, long buf, long count) {
        long priv = of(k).field(drv, "device_driver_p");
        int rc = KobjectUevent.synth(k, priv, k.mem().read(buf, (int) count));
        return rc != 0 ? rc : count;
    }

    // ---------------------------------------------------------------- bus_register()

    /** int bus_register(struct bus_type *bus) */
    @KernelSymbol("bus_register")
    public static int busRegister(KernelContext k, long bus) {
        return of(k).register(bus);
    }

    private int register(long bus) {
        AddressSpace m = mem();
        String name = str(field(bus, "bus_type_name"));
        long priv = k.slab().kmalloc(Base.subsysSize(k), 0x100 | 0xcc0);
        if (priv == 0) {
            return -Errno.ENOMEM;
        }
        m.write64(Base.busAt(k, priv), bus);
        m.write64(bus + k.off("bus_type_p"), priv);
        long kobj = Base.subsysKobj(k, priv);
        Kobject.setName(k, kobj, name == null ? "(null)" : name);
        m.write64(kobj + k.off("kobject_kset"), busKset);
        m.write64(kobj + k.off("kobject_ktype"), k.sym("bus_ktype"));
        B b = new B(bus, priv, name);
        int retval = Kobject.ksetRegister(k, priv);
        if (retval != 0) {
            k.slab().kfree(m.read64(kobj + k.off("kobject_name")));
            k.slab().kfree(priv);
            m.write64(bus + k.off("bus_type_p"), 0);
            return retval;
        }
        buses.put(bus, b);
        retval = Sysfs.sysfsCreateFileNs(k, kobj, k.sym("bus_attr_uevent"), 0);
        if (retval == 0) {
            b.devicesKset = Kobject.ksetCreateAndAdd(k, "devices", 0, kobj);
            if (b.devicesKset == 0) {
                retval = -Errno.ENOMEM;
            } else {
                b.driversKset = Kobject.ksetCreateAndAdd(k, "drivers", 0, kobj);
                if (b.driversKset == 0) {
                    retval = -Errno.ENOMEM;
                } else {
                    retval = Sysfs.sysfsCreateFileNs(k, kobj, k.sym("bus_attr_drivers_probe"), 0);
                    if (retval == 0) {
                        retval = Sysfs.sysfsCreateFileNs(k, kobj, k.sym("bus_attr_drivers_autoprobe"), 0);
                        if (retval != 0) {
                            Sysfs.sysfsRemoveFileNs(k, kobj, k.sym("bus_attr_drivers_probe"), 0);
                        }
                    }
                    if (retval == 0) {
                        retval = Sysfs.sysfsCreateGroups(k, kobj, field(bus, "bus_type_bus_groups"));
                        if (retval == 0) {
                            return 0;
                        }
                        removeProbeFiles(kobj);
                    }
                    Kobject.ksetUnregister(k, b.driversKset);
                }
                Kobject.ksetUnregister(k, b.devicesKset);
            }
            Sysfs.sysfsRemoveFileNs(k, kobj, k.sym("bus_attr_uevent"), 0);
        }
        buses.remove(bus);
        Kobject.ksetUnregister(k, priv);
        m.write64(bus + k.off("bus_type_p"), 0);
        return retval;
    }

    private void removeProbeFiles(long kobj) {
        Sysfs.sysfsRemoveFileNs(k, kobj, k.sym("bus_attr_drivers_autoprobe"), 0);
        Sysfs.sysfsRemoveFileNs(k, kobj, k.sym("bus_attr_drivers_probe"), 0);
    }

    /** void bus_unregister(struct bus_type *bus) */
    @KernelSymbol("bus_unregister")
    public static void busUnregister(KernelContext k, long bus) {
        Bus bs = of(k);
        B b = bs.get(bus);
        if (b == null) {
            return;
        }
        long root = bs.field(bus, "bus_type_dev_root");
        if (root != 0) {
            Core.deviceUnregister(k, root);
        }
        long kobj = Base.subsysKobj(k, b.priv);
        Sysfs.sysfsRemoveGroups(k, kobj, bs.field(bus, "bus_type_bus_groups"));
        bs.removeProbeFiles(kobj);
        Kobject.ksetUnregister(k, b.driversKset);
        Kobject.ksetUnregister(k, b.devicesKset);
        Sysfs.sysfsRemoveFileNs(k, kobj, k.sym("bus_attr_uevent"), 0);
        bs.buses.remove(bus);
        Kobject.ksetUnregister(k, b.priv);
    }

    /** int bus_create_file(struct bus_type *bus, struct bus_attribute *attr) */
    @KernelSymbol("bus_create_file")
    static int busCreateFile(KernelContext k, long bus, long attr) {
        B b = of(k).get(bus);
        return b == null ? -Errno.EINVAL : Sysfs.sysfsCreateFileNs(k, Base.subsysKobj(k, b.priv), attr, 0);
    }

    /** void bus_remove_file(struct bus_type *bus, struct bus_attribute *attr) */
    @KernelSymbol("bus_remove_file")
    static void busRemoveFile(KernelContext k, long bus, long attr) {
        B b = of(k).get(bus);
        if (b != null) {
            Sysfs.sysfsRemoveFileNs(k, Base.subsysKobj(k, b.priv), attr, 0);
        }
    }

    /** struct kset *bus_get_kset(struct bus_type *bus) */
    @KernelSymbol("bus_get_kset")
    static long busGetKset(KernelContext k, long bus) {
        return k.mem().read64(bus + k.off("bus_type_p"));
    }

    // ---------------------------------------------------------------- notifiers

    /** int bus_register_notifier(struct bus_type *bus, struct notifier_block *nb) */
    @KernelSymbol("bus_register_notifier")
    static int busRegisterNotifier(KernelContext k, long bus, long nb) {
        Bus bs = of(k);
        B b = bs.get(bus);
        if (b == null) {
            // the kernel dereferences bus->p and oopses; a bus that was never registered is refused here
            return -Errno.EINVAL;
        }
        if (b.notifiers.contains(nb)) {
            Oops.warn(k, "kernel/notifier.c:29", "notifier_chain_register", "notifier callback "
                    + k.machine().kallsyms().symbolize(bs.field(nb, "notifier_block_notifier_call"), false)
                    + " already registered");
            return -Errno.EEXIST;
        }
        int prio = k.mem().read32(nb + k.off("notifier_block_priority"));
        int at = 0;
        while (at < b.notifiers.size() && prio <= k.mem().read32(b.notifiers.get(at) + k.off("notifier_block_priority"))) {
            at++;
        }
        b.notifiers.add(at, nb);
        return 0;
    }

    /** int bus_unregister_notifier(struct bus_type *bus, struct notifier_block *nb) */
    @KernelSymbol("bus_unregister_notifier")
    static int busUnregisterNotifier(KernelContext k, long bus, long nb) {
        B b = of(k).get(bus);
        return b != null && b.notifiers.remove(nb) ? 0 : -Errno.ENOENT;
    }

    /** {@code blocking_notifier_call_chain(&bus->p->bus_notifier, action, dev)}. */
    void notify(long bus, int action, long dev) {
        B b = get(bus);
        if (b == null) {
            return;
        }
        for (long nb : List.copyOf(b.notifiers)) {
            if (!b.notifiers.contains(nb)) {
                continue;
            }
            int ret = (int) k.call(field(nb, "notifier_block_notifier_call"), nb, action, dev);
            if ((ret & k.off("NOTIFY_STOP_MASK")) != 0) {
                break;
            }
        }
    }

    // ---------------------------------------------------------------- devices

    /** {@code bus_add_device()}: bus groups, the two links, the device on the bus's klist. */
    int addDevice(long dev) {
        B b = get(field(dev, "device_bus"));
        if (b == null) {
            return 0;
        }
        long kobj = Core.kobj(k, dev);
        long groups = field(b.bus, "bus_type_dev_groups");
        String name = Core.name(k, dev);
        int error = Sysfs.sysfsCreateGroups(k, kobj, groups);
        if (error != 0) {
            return error;
        }
        error = Sysfs.createLink(k, Kobject.ksetKobj(k, b.devicesKset), kobj, name);
        if (error == 0) {
            error = Sysfs.createLink(k, kobj, Base.subsysKobj(k, b.priv), "subsystem");
            if (error == 0) {
                Core.getDevice(k, dev);
                b.devices.add(dev);
                Kobject.get(k, Base.subsysKobj(k, b.priv));
                return 0;
            }
            Sysfs.removeLink(k, Kobject.ksetKobj(k, b.devicesKset), name);
        }
        Sysfs.sysfsRemoveGroups(k, kobj, groups);
        return error;
    }

    /**
     * {@code bus_probe_device()}: the first probe if the bus probes automatically, then the bus's
     * interfaces told.
     */
    void probeDevice(long dev) {
        B b = get(field(dev, "device_bus"));
        if (b == null) {
            return;
        }
        if (b.autoprobe) {
            Dd.deviceInitialProbe(k, dev);
        }
        for (long sif : List.copyOf(b.interfaces)) {
            long addDev = field(sif, "subsys_interface_add_dev");
            if (addDev != 0) {
                k.call(addDev, dev, sif);
            }
        }
    }

    /** {@code bus_remove_device()}: interfaces, links, groups, klist, driver released, bus put. */
    void removeDevice(long dev) {
        B b = get(field(dev, "device_bus"));
        if (b == null) {
            return;
        }
        for (long sif : List.copyOf(b.interfaces)) {
            long removeDev = field(sif, "subsys_interface_remove_dev");
            if (removeDev != 0) {
                k.call(removeDev, dev, sif);
            }
        }
        long kobj = Core.kobj(k, dev);
        Sysfs.removeLink(k, kobj, "subsystem");
        Sysfs.removeLink(k, Kobject.ksetKobj(k, b.devicesKset), Core.name(k, dev));
        Sysfs.sysfsRemoveGroups(k, kobj, field(b.bus, "bus_type_dev_groups"));
        boolean attached = b.devices.remove(dev);
        Dd.releaseDriver(k, dev);
        if (attached) {
            Core.putDevice(k, dev);
            Kobject.put(k, Base.subsysKobj(k, b.priv));
        }
    }

    /** The devices on {@code bus} after {@code start} (all with 0), still on it when reached. */
    private List<Long> devicesAfter(B b, long start) {
        List<Long> list = new ArrayList<>(b.devices);
        int i = start == 0 ? -1 : list.indexOf(start);
        return list.subList(i + 1, list.size());
    }

    /**
     * int bus_for_each_dev(struct bus_type *bus, struct device *start, void *data,
     * int (*fn)(struct device *, void *))
     */
    @KernelSymbol("bus_for_each_dev")
    public static int busForEachDev(KernelContext k, long bus, long start, long data, long fn) {
        Bus bs = of(k);
        B b = bs.get(bus);
        if (b == null) {
            return -Errno.EINVAL;
        }
        for (long dev : bs.devicesAfter(b, start)) {
            if (b.devices.contains(dev)) {
                int error = (int) k.call(fn, dev, data);
                if (error != 0) {
                    return error;
                }
            }
        }
        return 0;
    }

    /** The same walk with a Java callback (the driver core's own walks). */
    int forEachDev(long bus, java.util.function.LongToIntFunction fn) {
        B b = get(bus);
        if (b == null) {
            return -Errno.EINVAL;
        }
        for (long dev : devicesAfter(b, 0)) {
            if (b.devices.contains(dev)) {
                int error = fn.applyAsInt(dev);
                if (error != 0) {
                    return error;
                }
            }
        }
        return 0;
    }

    /**
     * struct device *bus_find_device(struct bus_type *bus, struct device *start, const void *data,
     * int (*match)(struct device *dev, const void *data))
     */
    @KernelSymbol("bus_find_device")
    static long busFindDevice(KernelContext k, long bus, long start, long data, long match) {
        Bus bs = of(k);
        B b = bs.get(bus);
        if (b == null) {
            return 0;
        }
        for (long dev : bs.devicesAfter(b, start)) {
            if (b.devices.contains(dev) && k.call(match, dev, data) != 0) {
                return Core.getDevice(k, dev);
            }
        }
        return 0;
    }

    /** {@code bus_find_device_by_name()}: the device named {@code name} (sysfs_streq), referenced, or 0. */
    long findDeviceByName(long bus, String name) {
        B b = get(bus);
        if (b == null) {
            return 0;
        }
        for (long dev : devicesAfter(b, 0)) {
            if (b.devices.contains(dev) && Core.sysfsStreq(Core.name(k, dev), name)) {
                return Core.getDevice(k, dev);
            }
        }
        return 0;
    }

    /** struct device *subsys_find_device_by_id(struct bus_type *subsys, unsigned int id, struct device *hint) */
    @KernelSymbol("subsys_find_device_by_id")
    static long subsysFindDeviceById(KernelContext k, long bus, int id, long hint) {
        Bus bs = of(k);
        B b = bs.get(bus);
        if (b == null) {
            return 0;
        }
        List<Long> order = new ArrayList<>();
        if (hint != 0) {
            List<Long> after = bs.devicesAfter(b, hint);
            if (!after.isEmpty()) {
                order.add(after.get(0));
            }
        }
        order.addAll(b.devices);
        for (long dev : order) {
            if (k.mem().read32(dev + k.off("device_id")) == id) {
                return Core.getDevice(k, dev);
            }
        }
        return 0;
    }

    /** {@code bus_rescan_devices_helper()}: an unbound device attached (its parent locked if the bus wants). */
    int rescanHelper(long dev) {
        int ret = 0;
        if (field(dev, "device_driver") == 0) {
            long parent = field(dev, "device_parent");
            boolean parentLock = parent != 0 && needParentLock(dev);
            if (parentLock) {
                Core.of(k).lock(parent);
            }
            ret = Dd.deviceAttach(k, dev);
            if (parentLock) {
                Core.of(k).unlock(parent);
            }
        }
        return ret < 0 ? ret : 0;
    }

    /** {@code dev->bus->need_parent_lock}. */
    boolean needParentLock(long dev) {
        long bus = field(dev, "device_bus");
        return bus != 0 && mem().read8(bus + k.off("bus_type_need_parent_lock")) != 0;
    }

    /** int bus_rescan_devices(struct bus_type *bus) */
    @KernelSymbol("bus_rescan_devices")
    static int busRescanDevices(KernelContext k, long bus) {
        Bus bs = of(k);
        return bs.forEachDev(bus, bs::rescanHelper);
    }

    /** int device_reprobe(struct device *dev) */
    @KernelSymbol("device_reprobe")
    static int deviceReprobe(KernelContext k, long dev) {
        Bus bs = of(k);
        if (bs.field(dev, "device_driver") != 0) {
            Dd.driverDetach(k, dev);
        }
        return bs.rescanHelper(dev);
    }

    // ---------------------------------------------------------------- drivers

    /** The drivers registered on {@code bus}, in order (a copy of its {@code klist_drivers}). */
    public static List<Long> drivers(KernelContext k, long bus) {
        return of(k).driversAfter(bus, 0);
    }

    /** The drivers of {@code bus} after {@code start} (all with 0). */
    List<Long> driversAfter(long bus, long start) {
        B b = get(bus);
        if (b == null) {
            return List.of();
        }
        List<Long> list = new ArrayList<>(b.drivers);
        int i = start == 0 ? -1 : list.indexOf(start);
        return list.subList(i + 1, list.size());
    }

    boolean hasDriver(long bus, long drv) {
        B b = get(bus);
        return b != null && b.drivers.contains(drv);
    }

    /**
     * int bus_for_each_drv(struct bus_type *bus, struct device_driver *start, void *data,
     * int (*fn)(struct device_driver *, void *))
     */
    @KernelSymbol("bus_for_each_drv")
    static int busForEachDrv(KernelContext k, long bus, long start, long data, long fn) {
        Bus bs = of(k);
        if (bus == 0) {
            return -Errno.EINVAL;
        }
        for (long drv : bs.driversAfter(bus, start)) {
            if (bs.hasDriver(bus, drv)) {
                int error = (int) k.call(fn, drv, data);
                if (error != 0) {
                    return error;
                }
            }
        }
        return 0;
    }

    /** {@code bus_add_driver()}: the driver's directory and files, its place on the bus, probing. */
    int addDriver(long drv) {
        AddressSpace m = mem();
        B b = get(field(drv, "device_driver_bus"));
        if (b == null) {
            return -Errno.EINVAL;
        }
        Kobject.get(k, Base.subsysKobj(k, b.priv));
        String name = str(field(drv, "device_driver_name"));
        long priv = k.slab().kmalloc(Base.driverPrivateSize(k), 0x100 | 0xcc0);
        if (priv == 0) {
            Kobject.put(k, Base.subsysKobj(k, b.priv));
            return -Errno.ENOMEM;
        }
        m.write64(priv + k.off("kobject_sizeof"), drv);
        m.write64(drv + k.off("device_driver_p"), priv);
        m.write64(priv + k.off("kobject_kset"), b.driversKset);
        Kobject.init(k, priv, k.sym("driver_ktype"));
        int error = Kobject.add(k, priv, 0, name);
        if (error != 0) {
            Kobject.put(k, priv);
            m.write64(drv + k.off("device_driver_p"), 0);
            Kobject.put(k, Base.subsysKobj(k, b.priv));
            return error;
        }
        Driver.of(k).added(drv);
        b.drivers.add(drv);
        if (b.autoprobe) {
            error = Dd.driverAttach(k, drv);
            if (error != 0) {
                b.drivers.remove(drv);
                Driver.of(k).removed(drv);
                Kobject.put(k, priv);
                m.write64(drv + k.off("device_driver_p"), 0);
                Kobject.put(k, Base.subsysKobj(k, b.priv));
                return error;
            }
        }
        moduleAddDriver(field(drv, "device_driver_owner"), drv, b);
        if (Sysfs.sysfsCreateFileNs(k, priv, k.sym("driver_attr_uevent"), 0) != 0) {
            k.printk(3, "bus_add_driver: uevent attr (" + name + ") failed");
        }
        if (Sysfs.sysfsCreateGroups(k, priv, field(b.bus, "bus_type_drv_groups")) != 0) {
            k.printk(3, "bus_add_driver: driver_add_groups(" + name + ") failed");
        }
        if (m.read8(drv + k.off("device_driver_suppress_bind_attrs")) == 0) {
            int ret = Sysfs.sysfsCreateFileNs(k, priv, k.sym("driver_attr_unbind"), 0);
            if (ret == 0) {
                ret = Sysfs.sysfsCreateFileNs(k, priv, k.sym("driver_attr_bind"), 0);
                if (ret != 0) {
                    Sysfs.sysfsRemoveFileNs(k, priv, k.sym("driver_attr_unbind"), 0);
                }
            }
            if (ret != 0) {
                k.printk(3, "bus_add_driver: add_bind_files(" + name + ") failed");
            }
        }
        return 0;
    }

    /** {@code bus_remove_driver()}: files, klist, devices detached, module links, kobject. */
    void removeDriver(long drv) {
        B b = get(field(drv, "device_driver_bus"));
        if (b == null) {
            return;
        }
        long priv = field(drv, "device_driver_p");
        if (mem().read8(drv + k.off("device_driver_suppress_bind_attrs")) == 0) {
            Sysfs.sysfsRemoveFileNs(k, priv, k.sym("driver_attr_bind"), 0);
            Sysfs.sysfsRemoveFileNs(k, priv, k.sym("driver_attr_unbind"), 0);
        }
        Sysfs.sysfsRemoveGroups(k, priv, field(b.bus, "bus_type_drv_groups"));
        Sysfs.sysfsRemoveFileNs(k, priv, k.sym("driver_attr_uevent"), 0);
        b.drivers.remove(drv);
        Dd.driverDetachAll(k, drv);
        moduleRemoveDriver(drv, b);
        Driver.of(k).removed(drv);
        Kobject.put(k, priv);
        Kobject.put(k, Base.subsysKobj(k, b.priv));
    }

    /** drivers/base/module.c {@code module_add_driver()}: driver → /sys/module/MOD and back. */
    private void moduleAddDriver(long owner, long drv, B b) {
        var mod = owner == 0 ? null : k.modules().containing(owner);
        String drvDir = Sysfs.path(k, field(drv, "device_driver_p"));
        if (mod == null || drvDir == null) {
            return;
        }
        String modDir = "/sys/module/" + mod.name();
        if (!k.vfs().exists(drvDir + "/module")) {
            k.vfs().symlink(drvDir + "/module", Vfs.relativeLink(drvDir, modDir));
        }
        String link = modDir + "/drivers/" + b.name + ":" + str(field(drv, "device_driver_name"));
        k.vfs().mkdirs(modDir + "/drivers");
        if (!k.vfs().exists(link)) {
            k.vfs().symlink(link, Vfs.relativeLink(modDir + "/drivers", drvDir));
        }
    }

    /** drivers/base/module.c {@code module_remove_driver()}. */
    private void moduleRemoveDriver(long drv, B b) {
        String drvDir = Sysfs.path(k, field(drv, "device_driver_p"));
        if (drvDir == null || !k.vfs().isSymlink(drvDir + "/module")) {
            return;
        }
        String target = k.vfs().readlink(drvDir + "/module");
        k.vfs().remove(drvDir + "/module");
        String mod = target.substring(target.lastIndexOf('/') + 1);
        k.vfs().remove("/sys/module/" + mod + "/drivers/" + b.name + ":" + str(field(drv, "device_driver_name")));
    }

    // ---------------------------------------------------------------- subsystems and interfaces

    /** int subsys_interface_register(struct subsys_interface *sif) */
    @KernelSymbol("subsys_interface_register")
    static int subsysInterfaceRegister(KernelContext k, long sif) {
        Bus bs = of(k);
        if (sif == 0 || bs.field(sif, "subsys_interface_subsys") == 0) {
            return -Errno.ENODEV;
        }
        B b = bs.get(bs.field(sif, "subsys_interface_subsys"));
        if (b == null) {
            return -Errno.EINVAL;
        }
        Kobject.get(k, Base.subsysKobj(k, b.priv));
        b.interfaces.add(sif);
        long addDev = bs.field(sif, "subsys_interface_add_dev");
        if (addDev != 0) {
            for (long dev : List.copyOf(b.devices)) {
                k.call(addDev, dev, sif);
            }
        }
        return 0;
    }

    /** void subsys_interface_unregister(struct subsys_interface *sif) */
    @KernelSymbol("subsys_interface_unregister")
    static void subsysInterfaceUnregister(KernelContext k, long sif) {
        Bus bs = of(k);
        if (sif == 0) {
            return;
        }
        B b = bs.get(bs.field(sif, "subsys_interface_subsys"));
        if (b == null || !b.interfaces.remove(sif)) {
            return;
        }
        long removeDev = bs.field(sif, "subsys_interface_remove_dev");
        if (removeDev != 0) {
            for (long dev : List.copyOf(b.devices)) {
                k.call(removeDev, dev, sif);
            }
        }
        Kobject.put(k, Base.subsysKobj(k, b.priv));
    }

    /** static void system_root_device_release(struct device *dev) */
    @KernelSymbol(value = "system_root_device_release", internal = true)
    static void systemRootDeviceRelease(KernelContext k, long dev) {
        k.slab().kfree(dev);
    }

    /** {@code subsys_register()}: the bus, and its root device under {@code parentOfRoot}. */
    private int subsysRegister(long subsys, long groups, long parentOfRoot) {
        int err = register(subsys);
        if (err < 0) {
            return err;
        }
        long dev = k.slab().kmalloc(k.off("device_sizeof"), 0x100 | 0xcc0);
        if (dev == 0) {
            busUnregister(k, subsys);
            return -Errno.ENOMEM;
        }
        Core.setName(k, dev, str(field(subsys, "bus_type_name")));
        mem().write64(Core.kobj(k, dev) + k.off("kobject_parent"), parentOfRoot);
        mem().write64(dev + k.off("device_groups"), groups);
        mem().write64(dev + k.off("device_release"), k.sym("system_root_device_release"));
        err = Core.deviceRegister(k, dev);
        if (err < 0) {
            Core.putDevice(k, dev);
            busUnregister(k, subsys);
            return err;
        }
        mem().write64(subsys + k.off("bus_type_dev_root"), dev);
        return 0;
    }

    /** int subsys_system_register(struct bus_type *subsys, const struct attribute_group **groups) */
    @KernelSymbol("subsys_system_register")
    static int subsysSystemRegister(KernelContext k, long subsys, long groups) {
        Bus bs = of(k);
        return bs.subsysRegister(subsys, groups, Kobject.ksetKobj(k, bs.systemKset));
    }

    /** int subsys_virtual_register(struct bus_type *subsys, const struct attribute_group **groups) */
    @KernelSymbol("subsys_virtual_register")
    static int subsysVirtualRegister(KernelContext k, long subsys, long groups) {
        return of(k).subsysRegister(subsys, groups, Core.of(k).virtualDir());
    }
}
