package dev.kmodemu.kstubs.drivers.base;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.GuestVaList;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.VaList;
import dev.kmodemu.kstubs.drivers.base.power.Runtime;
import dev.kmodemu.kstubs.drivers.base.power.Wakeup;
import dev.kmodemu.kstubs.drivers.character.Misc;
import dev.kmodemu.kstubs.fs.CharDev;
import dev.kmodemu.kstubs.fs.Sysfs;
import dev.kmodemu.kstubs.fs.Vfs;
import dev.kmodemu.kstubs.kernel.Oops;
import dev.kmodemu.kstubs.lib.Kobject;
import dev.kmodemu.kstubs.lib.KobjectUevent;
import dev.kmodemu.kstubs.locking.Locks;
import dev.kmodemu.kstubs.printk.Printk;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * drivers/base/core.c: {@code struct device} in guest memory through its life, as the kernel
 * does it: {@code device_initialize()} (kobject of {@code devices_kset} with {@code device_ktype},
 * the device mutex, the devres list), {@code device_add()} (name from {@code init_name} or the
 * bus's {@code dev_name}, the parent or class glue directory, the {@code uevent} attribute, class
 * links, attribute groups of class, type and device, the bus's part, the {@code dev} attribute,
 * /sys/dev link and devtmpfs node, the bus notifier, the "add" uevent, probing), {@code device_del()}
 * in reverse, and {@code device_release()} at the last {@code put_device()} (devres released, then
 * the device's, type's or class's release, or the kernel's WARN for a device without one). The
 * klists of children, bus, class and driver hold references as the kernel's do, so reference
 * counts read the same. Also the {@code dev_printk()} family and the device iterators.
 *
 * <p>Power management is in {@code drivers.base.power} (runtime PM and the "power" directory).
 *
 * <p>Not modelled: device links
 * (fw_devlink), firmware nodes (no ACPI or device tree on this machine), namespaces.
 */
public final class Core {
    /** {@code struct device_private}: what kmodemu keeps of a device once {@code device_add()} ran. */
    static final class Dev {
        final long dev;
        /** {@code dev->p} in guest memory (holds the device pointer). */
        final long p;
        /** {@code klist_children}: registered child devices, in order. */
        final List<Long> children = new ArrayList<>();
        boolean dead;
        boolean onDeferredList;
        String deferredReason;
        /** On its driver's device list ({@code knode_driver} attached: {@code device_is_bound()}). */
        boolean bound;
        Devtmpfs.Node node;

        Dev(long dev, long p) {
            this.dev = dev;
            this.p = p;
        }
    }

    private final KernelContext k;
    private final Map<Long, Dev> privs = new HashMap<>();
    private long devicesKset;
    private long virtualDir;
    private long devCharKobj;
    private long devBlockKobj;

    private Core(KernelContext k) {
        this.k = k;
    }

    static Core of(KernelContext k) {
        return k.state(Core.class, () -> new Core(k));
    }

    /**
     * Boots the device model ({@code driver_init()}: {@code devices_init()}, {@code buses_init()},
     * {@code classes_init()}, the virtual directory, {@code platform_bus_init()}), then the
     * kernel's own classes, character device numbers and misc devices, /proc/devices.
     */
    public static void boot(KernelContext k) {
        Core c = of(k);
        c.devicesKset = Kobject.ksetCreateAndAdd(k, "devices", k.sym("device_uevent_ops"), 0);
        long devKobj = Kobject.createAndAdd(k, "dev", 0);
        c.devBlockKobj = Kobject.createAndAdd(k, "block", devKobj);
        c.devCharKobj = Kobject.createAndAdd(k, "char", devKobj);
        Bus.boot(k);
        Classes.boot(k);
        c.virtualDir = Kobject.createAndAdd(k, "virtual", Kobject.ksetKobj(k, c.devicesKset));
        dev.kmodemu.kstubs.kernel.Resource.boot(k);
        Platform.boot(k);
        k.vfs().mkdirs("/dev");
        CharDev.of(k).boot();
        k.vfs().register("/proc/devices", () -> CharDev.of(k).procDevices().getBytes(StandardCharsets.UTF_8));
        Misc.boot(k);
        dev.kmodemu.kstubs.drivers.input.Input.boot(k);
        dev.kmodemu.kstubs.drivers.power.PowerSupplyCore.boot(k);
        dev.kmodemu.kstubs.drivers.hwmon.Hwmon.boot(k);
        dev.kmodemu.kstubs.drivers.leds.LedClass.boot(k);
        dev.kmodemu.kstubs.drivers.pci.PciDriver.boot(k);
        dev.kmodemu.kstubs.drivers.i2c.I2cCoreBase.boot(k);
        dev.kmodemu.kstubs.drivers.spi.Spi.boot(k);
    }

    /** {@code devices_kset}: /sys/devices. */
    long devicesKset() {
        return devicesKset;
    }

    /** {@code sysfs_dev_char_kobj}: /sys/dev/char. */
    long devCharKobj() {
        return devCharKobj;
    }

    private AddressSpace mem() {
        return k.mem();
    }

    private String str(long p) {
        return p == 0 ? null : mem().readCString(p, 4096);
    }

    /** A kobj_type followed by its sysfs_ops, in one data object of the kernel image. */
    static void ktypeWithOps(KernelContext k, long at, String release, String show, String store) {
        int ktypeSize = k.off("kobj_type_sizeof");
        if (ktypeSize + k.off("sysfs_ops_sizeof") > 256) {
            throw new IllegalStateException("kobj_type and sysfs_ops exceed their 256-byte object");
        }
        long ops = at + ktypeSize;
        k.mem().poke(at, new byte[256]);
        k.mem().pokeLong(ops + k.off("sysfs_ops_show"), k.sym(show));
        k.mem().pokeLong(ops + k.off("sysfs_ops_store"), k.sym(store));
        k.mem().pokeLong(at + k.off("kobj_type_release"), k.sym(release));
        k.mem().pokeLong(at + k.off("kobj_type_sysfs_ops"), ops);
    }

    /** {@code static struct kobj_type device_ktype}, followed by its {@code dev_sysfs_ops}. */
    @KernelData(value = "device_ktype", section = Machine.Section.RODATA, size = 256)
    static void deviceKtype(KernelContext k, long at) {
        ktypeWithOps(k, at, "device_release", "dev_attr_show", "dev_attr_store");
    }

    /** {@code static const struct kset_uevent_ops device_uevent_ops}. */
    @KernelData(value = "device_uevent_ops", section = Machine.Section.RODATA, sizeOf = "kset_uevent_ops_sizeof")
    static void deviceUeventOps(KernelContext k, long at) {
        k.mem().pokeLong(at + k.off("kset_uevent_ops_filter"), k.sym("dev_uevent_filter"));
        k.mem().pokeLong(at + k.off("kset_uevent_ops_name"), k.sym("dev_uevent_name"));
        k.mem().pokeLong(at + k.off("kset_uevent_ops_uevent"), k.sym("dev_uevent"));
    }

    /** A {@code struct device_attribute} of the kernel with its name stored after it. */
    public static void deviceAttribute(KernelContext k, long at, String name, int mode, String show, String store) {
        long nameAt = at + 48;
        byte[] b = (name + "\0").getBytes(StandardCharsets.US_ASCII);
        k.mem().poke(at, new byte[64]);
        k.mem().poke(nameAt, b);
        k.mem().pokeLong(at + k.off("attribute_name"), nameAt);
        k.mem().poke(at + k.off("attribute_mode"), new byte[] {(byte) mode, (byte) (mode >> 8)});
        if (show != null) {
            k.mem().pokeLong(at + k.off("device_attribute_show"), k.sym(show));
        }
        if (store != null) {
            k.mem().pokeLong(at + k.off("device_attribute_store"), k.sym(store));
        }
    }

    /** {@code static DEVICE_ATTR_RW(uevent)}. */
    @KernelData(value = "dev_attr_uevent", section = Machine.Section.RODATA, size = 64)
    static void devAttrUevent(KernelContext k, long at) {
        deviceAttribute(k, at, "uevent", 0644, "uevent_show", "uevent_store");
    }

    /** {@code static DEVICE_ATTR_RO(dev)}. */
    @KernelData(value = "dev_attr_dev", section = Machine.Section.RODATA, size = 64)
    static void devAttrDev(KernelContext k, long at) {
        deviceAttribute(k, at, "dev", 0444, "dev_show", null);
    }

    /** {@code static DEVICE_ATTR_RW(online)}. */
    @KernelData(value = "dev_attr_online", section = Machine.Section.RODATA, size = 64)
    static void devAttrOnline(KernelContext k, long at) {
        deviceAttribute(k, at, "online", 0644, "online_show", "online_store");
    }

    /** The "" that {@code dev_driver_string()} returns for a device without driver, bus or class. */
    @KernelData(value = "dev_driver_string_none", section = Machine.Section.RODATA, size = 8)
    static void devDriverStringNone(KernelContext k, long at) {
    }

    // ---------------------------------------------------------------- fields

    /** {@code &dev->kobj}. */
    public static long kobj(KernelContext k, long dev) {
        return dev + k.off("device_kobj");
    }

    private long kobj(long dev) {
        return kobj(k, dev);
    }

    private long field(long dev, String name) {
        return mem().read64(dev + k.off(name));
    }

    /** {@code dev_name()}: init_name until the device is added, then the kobject's name. */
    String devName(long dev) {
        long init = field(dev, "device_init_name");
        if (init != 0) {
            return str(init);
        }
        return Kobject.name(k, kobj(dev));
    }

    /** {@code dev_name()} of a device. */
    public static String name(KernelContext k, long dev) {
        return of(k).devName(dev);
    }

    private int devt(long dev) {
        return mem().read32(dev + k.off("device_devt"));
    }

    private int major(long dev) {
        return CharDev.of(k).major(devt(dev));
    }

    /** The device's private part, or null before {@code device_add()}. */
    Dev priv(long dev) {
        return privs.get(dev);
    }

    /** {@code device_is_registered()}: {@code dev->kobj.state_in_sysfs}. */
    public static boolean registered(KernelContext k, long dev) {
        return Kobject.state(k, kobj(k, dev), Kobject.IN_SYSFS);
    }

    /** {@code dev->can_match}, a bit-field after {@code removable}. */
    void setCanMatch(long dev, boolean on) {
        long at = dev + k.off("device_bits");
        int v = mem().read8(at) & 0xff;
        mem().write8(at, (byte) (on ? v | 0x10 : v & ~0x10));
    }

    boolean canMatch(long dev) {
        return (mem().read8(dev + k.off("device_bits")) & 0x10) != 0;
    }

    /** {@code dev->offline_disabled} and {@code dev->offline}, bits 0 and 1 after {@code removable}. */
    private boolean bit(long dev, int bit) {
        return (mem().read8(dev + k.off("device_bits")) & bit) != 0;
    }

    private void setBit(long dev, int bit, boolean on) {
        long at = dev + k.off("device_bits");
        int v = mem().read8(at) & 0xff;
        mem().write8(at, (byte) (on ? v | bit : v & ~bit));
    }

    /** {@code dev_set_ready_to_probe()} / {@code dev_clear_ready_to_probe()} on {@code dev->flags}. */
    private void setReadyToProbe(long dev, boolean on) {
        long at = dev + k.off("device_flags");
        long bit = 1L << k.off("DEV_FLAG_READY_TO_PROBE");
        long v = mem().read64(at);
        mem().write64(at, on ? v | bit : v & ~bit);
    }

    boolean readyToProbe(long dev) {
        return (mem().read64(dev + k.off("device_flags")) & (1L << k.off("DEV_FLAG_READY_TO_PROBE"))) != 0;
    }

    // ---------------------------------------------------------------- references

    /** struct device *get_device(struct device *dev) */
    @KernelSymbol("get_device")
    public static long getDevice(KernelContext k, long dev) {
        if (dev != 0) {
            Kobject.get(k, kobj(k, dev));
        }
        return dev;
    }

    /** void put_device(struct device *dev) */
    @KernelSymbol("put_device")
    public static void putDevice(KernelContext k, long dev) {
        if (dev != 0) {
            Kobject.put(k, kobj(k, dev));
        }
    }

    /** {@code device_lock()}: the device's mutex. */
    void lock(long dev) {
        Locks.mutexLock(k, dev + k.off("device_mutex"));
    }

    void unlock(long dev) {
        Locks.mutexUnlock(k, dev + k.off("device_mutex"));
    }

    /** {@code device_lock()} for kernel code in Java outside this package. */
    public static void deviceLock(KernelContext k, long dev) {
        of(k).lock(dev);
    }

    /** {@code device_unlock()} for kernel code in Java outside this package. */
    public static void deviceUnlock(KernelContext k, long dev) {
        of(k).unlock(dev);
    }

    private void listInit(long head) {
        mem().write64(head + k.off("list_head_next"), head);
        mem().write64(head + k.off("list_head_prev"), head);
    }

    /** void device_initialize(struct device *dev) */
    @KernelSymbol("device_initialize")
    public static void deviceInitialize(KernelContext k, long dev) {
        Core c = of(k);
        AddressSpace m = k.mem();
        long kobj = kobj(k, dev);
        m.write64(kobj + k.off("kobject_kset"), c.devicesKset);
        Kobject.init(k, kobj, k.sym("device_ktype"));
        c.listInit(dev + k.off("device_dma_pools"));
        long mutex = dev + k.off("device_mutex");
        m.write64(mutex + k.off("mutex_owner"), 0);
        c.listInit(mutex + k.off("mutex_wait_list"));
        m.write32(dev + k.off("device_devres_lock"), 0);
        c.listInit(dev + k.off("device_devres_head"));
        m.write32(dev + k.off("device_numa_node"), k.off("NUMA_NO_NODE"));
        c.listInit(dev + k.off("device_links_consumers"));
        c.listInit(dev + k.off("device_links_suppliers"));
        c.listInit(dev + k.off("device_links_defer_sync"));
        m.write32(dev + k.off("device_links_status"), k.off("DL_DEV_NO_DRIVER"));
        Runtime.init(k, dev);
    }

    /** int dev_set_name(struct device *dev, const char *fmt, ...) */
    @KernelSymbol("dev_set_name")
    static int devSetName(KernelContext k, long dev, long fmt, VaList args) {
        return Kobject.setNameFmt(k, kobj(k, dev), fmt, args);
    }

    /** {@code dev_set_name(dev, "%s", name)} for kernel code in Java. */
    public static int setName(KernelContext k, long dev, String name) {
        return Kobject.setName(k, kobj(k, dev), name);
    }

    /** static void device_release(struct kobject *kobj) */
    @KernelSymbol(value = "device_release", internal = true)
    static void deviceRelease(KernelContext k, long kobj) {
        AddressSpace m = k.mem();
        Core c = of(k);
        long dev = kobj - k.off("device_kobj");
        long p = m.read64(dev + k.off("device_p"));
        Devres.releaseAll(k, dev);
        long release = m.read64(dev + k.off("device_release"));
        long type = m.read64(dev + k.off("device_type"));
        long cls = m.read64(dev + k.off("device_class"));
        if (release == 0 && type != 0) {
            release = m.read64(type + k.off("device_type_release"));
        }
        if (release == 0 && cls != 0) {
            release = m.read64(cls + k.off("class_dev_release"));
        }
        String name = c.devName(dev);
        c.privs.remove(dev);
        if (release != 0) {
            k.call(release, dev);
        } else {
            Oops.warn(k, "drivers/base/core.c:2510", "device_release", "Device '" + name
                    + "' does not have a release() function, it is broken and must be fixed. See "
                    + "Documentation/core-api/kobject.rst.", 3);
        }
        if (p != 0) {
            k.slab().kfree(p);
        }
    }

    // ---------------------------------------------------------------- device_add() and device_del()

    /** {@code device_private_init()}. */
    private Dev privateInit(long dev) {
        long p = k.slab().kmalloc(Base.DEVICE_PRIVATE_SIZE, 0x100 | 0xcc0);
        if (p == 0) {
            return null;
        }
        mem().write64(p, dev);
        mem().write64(dev + k.off("device_p"), p);
        Dev d = new Dev(dev, p);
        privs.put(dev, d);
        return d;
    }

    /** {@code virtual_device_parent()}: /sys/devices/virtual. */
    long virtualDir() {
        return virtualDir;
    }

    /**
     * {@code get_device_parent()}: for a class device the parent's kobject if that is a class
     * device too, else the class's glue directory under the parent (or /sys/devices/virtual),
     * found or created; else the bus's {@code dev_root} or the parent. A referenced kobject, 0, or
     * an ERR_PTR.
     */
    private long deviceParentKobj(long dev, long parent) {
        long cls = field(dev, "device_class");
        if (cls != 0) {
            long parentKobj;
            if (parent == 0) {
                parentKobj = virtualDir;
            } else if (field(parent, "device_class") != 0 && field(cls, "class_ns_type") == 0) {
                return kobj(parent);
            } else {
                parentKobj = kobj(parent);
            }
            long cp = field(cls, "class_p");
            long glueDirs = Base.glueDirs(k, cp);
            for (long g : Kobject.members(k, glueDirs)) {
                if (Kobject.parent(k, g) == parentKobj) {
                    return Kobject.get(k, g);
                }
            }
            return classDirCreateAndAdd(cls, glueDirs, parentKobj);
        }
        long bus = field(dev, "device_bus");
        if (parent == 0 && bus != 0 && field(bus, "bus_type_dev_root") != 0) {
            return kobj(field(bus, "bus_type_dev_root"));
        }
        return parent != 0 ? kobj(parent) : 0;
    }

    /** {@code class_dir_create_and_add()}: a {@code struct class_dir} (kobject, class) in the glue kset. */
    private long classDirCreateAndAdd(long cls, long glueDirs, long parentKobj) {
        long dir = k.slab().kmalloc(k.off("kobject_sizeof") + 8, 0x100 | 0xcc0);
        if (dir == 0) {
            return -Errno.ENOMEM;
        }
        mem().write64(dir + k.off("kobject_sizeof"), cls);
        Kobject.init(k, dir, k.sym("class_dir_ktype"));
        mem().write64(dir + k.off("kobject_kset"), glueDirs);
        int r = Kobject.add(k, dir, parentKobj, str(field(cls, "class_name")));
        if (r < 0) {
            Kobject.put(k, dir);
            return r;
        }
        return dir;
    }

    /** static void class_dir_release(struct kobject *kobj) */
    @KernelSymbol(value = "class_dir_release", internal = true)
    static void classDirRelease(KernelContext k, long kobj) {
        k.slab().kfree(kobj);
    }

    /** {@code static struct kobj_type class_dir_ktype}. */
    @KernelData(value = "class_dir_ktype", section = Machine.Section.RODATA, sizeOf = "kobj_type_sizeof")
    static void classDirKtype(KernelContext k, long at) {
        Kobject.ktype(k, at, "class_dir_release", "kobj_sysfs_ops");
    }

    /** {@code cleanup_glue_dir()}: a glue directory goes when its last device leaves it. */
    private void cleanupGlueDir(long dev, long glue) {
        long cls = field(dev, "device_class");
        if (glue == 0 || Long.compareUnsigned(glue, -4095L) >= 0 || cls == 0
                || Kobject.kset(k, glue) != Base.glueDirs(k, field(cls, "class_p"))) {
            return;
        }
        int ref = Kobject.refs(k, glue);
        if (!hasChildren(glue) && --ref == 0) {
            Kobject.del(k, glue);
        }
        Kobject.put(k, glue);
    }

    /** {@code kobject_has_children()}: subdirectories (not links) in the kobject's directory. */
    private boolean hasChildren(long kobj) {
        String path = Sysfs.path(k, kobj);
        if (path == null) {
            return false;
        }
        for (String n : k.vfs().list(path)) {
            if (!k.vfs().isSymlink(path + "/" + n) && k.vfs().isDirectory(path + "/" + n)) {
                return true;
            }
        }
        return false;
    }

    /** {@code device_add_class_symlinks()}. */
    private int addClassSymlinks(long dev) {
        long cls = field(dev, "device_class");
        Classes.Cls c = Classes.of(k).get(cls);
        if (c == null) {
            return 0;
        }
        long kobj = kobj(dev);
        int error = Sysfs.createLink(k, kobj, c.kobj, "subsystem");
        if (error != 0) {
            return error;
        }
        long parent = field(dev, "device_parent");
        if (parent != 0) {
            error = Sysfs.createLink(k, kobj, kobj(parent), "device");
            if (error != 0) {
                Sysfs.removeLink(k, kobj, "subsystem");
                return error;
            }
        }
        error = Sysfs.createLink(k, c.kobj, kobj, devName(dev));
        if (error != 0) {
            Sysfs.removeLink(k, kobj, "device");
            Sysfs.removeLink(k, kobj, "subsystem");
        }
        return error;
    }

    /** {@code device_remove_class_symlinks()}. */
    private void removeClassSymlinks(long dev) {
        Classes.Cls c = Classes.of(k).get(field(dev, "device_class"));
        if (c == null) {
            return;
        }
        if (field(dev, "device_parent") != 0) {
            Sysfs.removeLink(k, kobj(dev), "device");
        }
        Sysfs.removeLink(k, kobj(dev), "subsystem");
        Sysfs.removeLink(k, c.kobj, devName(dev));
    }

    /** {@code device_supports_offline()}: the bus has both online() and offline(). */
    private boolean supportsOffline(long dev) {
        long bus = field(dev, "device_bus");
        return bus != 0 && field(bus, "bus_type_offline") != 0 && field(bus, "bus_type_online") != 0;
    }

    /** {@code device_add_attrs()}: class, type and device groups, and "online" where the bus supports it. */
    private int addAttrs(long dev) {
        long cls = field(dev, "device_class");
        long type = field(dev, "device_type");
        long kobj = kobj(dev);
        int error = cls == 0 ? 0 : Sysfs.sysfsCreateGroups(k, kobj, field(cls, "class_dev_groups"));
        if (error != 0) {
            return error;
        }
        error = type == 0 ? 0 : Sysfs.sysfsCreateGroups(k, kobj, field(type, "device_type_groups"));
        if (error == 0) {
            error = Sysfs.sysfsCreateGroups(k, kobj, field(dev, "device_groups"));
            if (error == 0 && supportsOffline(dev) && !bit(dev, 1)) {
                error = Sysfs.sysfsCreateFileNs(k, kobj, k.sym("dev_attr_online"), 0);
                if (error != 0) {
                    Sysfs.sysfsRemoveGroups(k, kobj, field(dev, "device_groups"));
                }
            }
            if (error != 0 && type != 0) {
                Sysfs.sysfsRemoveGroups(k, kobj, field(type, "device_type_groups"));
            }
        }
        if (error != 0 && cls != 0) {
            Sysfs.sysfsRemoveGroups(k, kobj, field(cls, "class_dev_groups"));
        }
        return error;
    }

    /** {@code device_remove_attrs()}. */
    private void removeAttrs(long dev) {
        long cls = field(dev, "device_class");
        long type = field(dev, "device_type");
        long kobj = kobj(dev);
        Sysfs.sysfsRemoveFileNs(k, kobj, k.sym("dev_attr_online"), 0);
        Sysfs.sysfsRemoveGroups(k, kobj, field(dev, "device_groups"));
        if (type != 0) {
            Sysfs.sysfsRemoveGroups(k, kobj, field(type, "device_type_groups"));
        }
        if (cls != 0) {
            Sysfs.sysfsRemoveGroups(k, kobj, field(cls, "class_dev_groups"));
        }
    }

    /** {@code device_to_dev_kobj()}: the class's /sys/dev directory, or /sys/dev/char. */
    private long devKobj(long dev) {
        long cls = field(dev, "device_class");
        return cls != 0 ? field(cls, "class_dev_kobj") : devCharKobj;
    }

    private String devtString(long dev) {
        CharDev cd = CharDev.of(k);
        return Integer.toUnsignedString(cd.major(devt(dev))) + ":" + cd.minor(devt(dev));
    }

    /** {@code device_add()}, with or without a devtmpfs node (the kernel's own boot devices get none). */
    int deviceAdd(long dev, boolean devtmpfs) {
        AddressSpace m = mem();
        dev = getDevice(k, dev);
        if (dev == 0) {
            return -Errno.EINVAL;
        }
        Dev d = privs.get(dev);
        if (d == null || field(dev, "device_p") == 0) {
            d = privateInit(dev);
            if (d == null) {
                putDevice(k, dev);
                return -Errno.ENOMEM;
            }
        }
        int error;
        long init = field(dev, "device_init_name");
        if (init != 0) {
            setName(k, dev, str(init));
            m.write64(dev + k.off("device_init_name"), 0);
        }
        long bus = field(dev, "device_bus");
        if (devName(dev) == null && bus != 0 && field(bus, "bus_type_dev_name") != 0) {
            setName(k, dev, str(field(bus, "bus_type_dev_name"))
                    + Integer.toUnsignedString(m.read32(dev + k.off("device_id"))));
        }
        if (devName(dev) == null) {
            freePrivate(d);
            putDevice(k, dev);
            return -Errno.EINVAL;
        }
        long parent = getDevice(k, field(dev, "device_parent"));
        long kobj = deviceParentKobj(dev, parent);
        if (Long.compareUnsigned(kobj, -4095L) >= 0) {
            putDevice(k, parent);
            freePrivate(d);
            putDevice(k, dev);
            return (int) kobj;
        }
        if (kobj != 0) {
            m.write64(kobj(dev) + k.off("kobject_parent"), kobj);
        }
        if (parent != 0 && m.read32(dev + k.off("device_numa_node")) == k.off("NUMA_NO_NODE")) {
            m.write32(dev + k.off("device_numa_node"), m.read32(parent + k.off("device_numa_node")));
        }
        error = Kobject.add(k, kobj(dev), Kobject.parent(k, kobj(dev)), (String) null);
        if (error != 0) {
            cleanupGlueDir(dev, kobj);
            putDevice(k, parent);
            freePrivate(d);
            putDevice(k, dev);
            return error;
        }
        error = addFiles(d, devtmpfs);
        if (error != 0) {
            KobjectUevent.uevent(k, kobj(dev), k.off("KOBJ_REMOVE"));
            long glue = Kobject.parent(k, kobj(dev));
            Kobject.del(k, kobj(dev));
            cleanupGlueDir(dev, glue);
            putDevice(k, parent);
            freePrivate(d);
            putDevice(k, dev);
            return error;
        }
        if (bus != 0) {
            Bus.of(k).notify(bus, k.off("BUS_NOTIFY_ADD_DEVICE"), dev);
        }
        KobjectUevent.uevent(k, kobj(dev), k.off("KOBJ_ADD"));
        lock(dev);
        setReadyToProbe(dev, true);
        unlock(dev);
        Bus.of(k).probeDevice(dev);
        if (parent != 0) {
            Dev pd = privs.get(parent);
            if (pd != null) {
                getDevice(k, dev);
                pd.children.add(dev);
            }
        }
        long cls = field(dev, "device_class");
        if (cls != 0) {
            Classes.of(k).addDevice(cls, dev);
        }
        putDevice(k, dev);
        return 0;
    }

    private void freePrivate(Dev d) {
        privs.remove(d.dev);
        k.slab().kfree(d.p);
        mem().write64(d.dev + k.off("device_p"), 0);
    }

    /**
     * The sysfs part of {@code device_add()} after the directory: uevent attribute, class links,
     * attributes, the bus's part, the number's attribute, link and node; undone on failure.
     */
    private int addFiles(Dev d, boolean devtmpfs) {
        long dev = d.dev;
        long kobj = kobj(dev);
        int error = Sysfs.sysfsCreateFileNs(k, kobj, k.sym("dev_attr_uevent"), 0);
        if (error != 0) {
            return error;
        }
        error = addClassSymlinks(dev);
        if (error == 0) {
            error = addAttrs(dev);
            if (error == 0) {
                error = Bus.of(k).addDevice(dev);
                if (error == 0) {
                    error = dpmSysfsAdd(k, dev);
                    if (error == 0) {
                        if (major(dev) == 0) {
                            return 0;
                        }
                        error = Sysfs.sysfsCreateFileNs(k, kobj, k.sym("dev_attr_dev"), 0);
                        if (error == 0) {
                            long dk = devKobj(dev);
                            error = dk == 0 ? 0 : Sysfs.createLink(k, dk, kobj, devtString(dev));
                            if (error == 0) {
                                if (devtmpfs) {
                                    d.node = Devtmpfs.of(k).createNode(dev, devt(dev));
                                }
                                return 0;
                            }
                            Sysfs.sysfsRemoveFileNs(k, kobj, k.sym("dev_attr_dev"), 0);
                        }
                        Runtime.remove(k, dev);
                        dpmSysfsRemove(k, dev);
                    }
                    mem().write64(dev + k.off("device_driver"), 0);
                    Bus.of(k).removeDevice(dev);
                }
                removeAttrs(dev);
            }
            removeClassSymlinks(dev);
        }
        Sysfs.sysfsRemoveFileNs(k, kobj, k.sym("dev_attr_uevent"), 0);
        return error;
    }

    /** int device_create_bin_file(struct device *dev, const struct bin_attribute *attr) */
    @KernelSymbol("device_create_bin_file")
    static int deviceCreateBinFile(KernelContext k, long dev, long attr) {
        return dev == 0 ? -Errno.EINVAL : Sysfs.sysfsCreateBinFile(k, kobj(k, dev), attr);
    }

    /** void device_remove_bin_file(struct device *dev, const struct bin_attribute *attr) */
    @KernelSymbol("device_remove_bin_file")
    static void deviceRemoveBinFile(KernelContext k, long dev, long attr) {
        if (dev != 0) {
            Sysfs.sysfsRemoveBinFile(k, kobj(k, dev), attr);
        }
    }

    /**
     * void device_set_of_node_from_dev(struct device *dev, const struct device *dev2): dev2's OF
     * node, marked reused. No device has an OF node on this machine (no device tree), so the node
     * references that of_node_put()/of_node_get() would move are NULL ones.
     */
    @KernelSymbol("device_set_of_node_from_dev")
    static void deviceSetOfNodeFromDev(KernelContext k, long dev, long dev2) {
        k.mem().write64(dev + k.off("device_of_node"), k.mem().read64(dev2 + k.off("device_of_node")));
        of(k).setBit(dev, 0x4, true);
    }

    /** {@code dpm_sysfs_add()}. */
    private static int dpmSysfsAdd(KernelContext k, long device) {
        return dev.kmodemu.kstubs.drivers.base.power.Sysfs.add(k, device);
    }

    /** {@code dpm_sysfs_remove()}. */
    private static void dpmSysfsRemove(KernelContext k, long device) {
        dev.kmodemu.kstubs.drivers.base.power.Sysfs.remove(k, device);
    }

    /** int device_add(struct device *dev) */
    @KernelSymbol("device_add")
    public static int deviceAdd(KernelContext k, long dev) {
        return of(k).deviceAdd(dev, true);
    }

    /** void device_del(struct device *dev) */
    @KernelSymbol("device_del")
    public static void deviceDel(KernelContext k, long dev) {
        of(k).del(dev);
    }

    private void del(long dev) {
        Dev d = privs.get(dev);
        long parent = field(dev, "device_parent");
        lock(dev);
        if (d != null) {
            d.dead = true;
        }
        unlock(dev);
        long bus = field(dev, "device_bus");
        if (bus != 0) {
            Bus.of(k).notify(bus, k.off("BUS_NOTIFY_DEL_DEVICE"), dev);
        }
        dpmSysfsRemove(k, dev);
        if (parent != 0) {
            Dev pd = privs.get(parent);
            if (pd != null && pd.children.remove(dev)) {
                putDevice(k, dev);
            }
        }
        if (major(dev) != 0) {
            if (d != null && d.node != null) {
                Devtmpfs.of(k).deleteNode(dev, d.node);
                d.node = null;
            }
            long dk = devKobj(dev);
            if (dk != 0) {
                Sysfs.removeLink(k, dk, devtString(dev));
            }
            Sysfs.sysfsRemoveFileNs(k, kobj(dev), k.sym("dev_attr_dev"), 0);
        }
        long cls = field(dev, "device_class");
        if (cls != 0) {
            removeClassSymlinks(dev);
            Classes.of(k).removeDevice(cls, dev);
        }
        Sysfs.sysfsRemoveFileNs(k, kobj(dev), k.sym("dev_attr_uevent"), 0);
        removeAttrs(dev);
        Bus.of(k).removeDevice(dev);
        Wakeup.deviceRemoved(k, dev);
        Runtime.remove(k, dev);
        Dd.deferredProbeDel(k, dev);
        Devres.releaseAll(k, dev);
        if (bus != 0) {
            Bus.of(k).notify(bus, k.off("BUS_NOTIFY_REMOVED_DEVICE"), dev);
        }
        KobjectUevent.uevent(k, kobj(dev), k.off("KOBJ_REMOVE"));
        long glue = Kobject.parent(k, kobj(dev));
        Kobject.del(k, kobj(dev));
        cleanupGlueDir(dev, glue);
        putDevice(k, parent);
    }

    /** int device_register(struct device *dev) */
    @KernelSymbol("device_register")
    public static int deviceRegister(KernelContext k, long dev) {
        deviceInitialize(k, dev);
        return deviceAdd(k, dev);
    }

    /** void device_unregister(struct device *dev) */
    @KernelSymbol("device_unregister")
    public static void deviceUnregister(KernelContext k, long dev) {
        deviceDel(k, dev);
        putDevice(k, dev);
    }

    /** bool kill_device(struct device *dev) */
    @KernelSymbol("kill_device")
    static boolean killDevice(KernelContext k, long dev) {
        Dev d = of(k).privs.get(dev);
        if (d == null || d.dead) {
            return false;
        }
        d.dead = true;
        return true;
    }

    // ---------------------------------------------------------------- device_create() and friends

    /**
     * {@code device_create_groups_vargs()}: a new device of {@code cls} with number {@code devt};
     * the {@code struct device *} or an ERR_PTR.
     */
    public static long create(KernelContext k, long cls, long parent, int devt, long drvdata, long groups,
            String name, boolean devtmpfs) {
        if (cls == 0 || Long.compareUnsigned(cls, -4095L) >= 0) {
            return -Errno.ENODEV;
        }
        AddressSpace m = k.mem();
        long dev = k.slab().kmalloc(k.off("device_sizeof"), 0x100 | 0xcc0);
        if (dev == 0) {
            return -Errno.ENOMEM;
        }
        deviceInitialize(k, dev);
        m.write32(dev + k.off("device_devt"), devt);
        m.write64(dev + k.off("device_class"), cls);
        m.write64(dev + k.off("device_parent"), parent);
        m.write64(dev + k.off("device_groups"), groups);
        m.write64(dev + k.off("device_release"), k.sym("device_create_release"));
        m.write64(dev + k.off("device_driver_data"), drvdata);
        int err = setName(k, dev, name);
        if (err == 0) {
            err = of(k).deviceAdd(dev, devtmpfs);
        }
        if (err != 0) {
            putDevice(k, dev);
            return err;
        }
        return dev;
    }

    /** static void device_create_release(struct device *dev) */
    @KernelSymbol(value = "device_create_release", internal = true)
    static void deviceCreateRelease(KernelContext k, long dev) {
        k.slab().kfree(dev);
    }

    /**
     * struct device *device_create(const struct class *class, struct device *parent, dev_t devt,
     * void *drvdata, const char *fmt, ...)
     */
    @KernelSymbol("device_create")
    static long deviceCreate(KernelContext k, long cls, long parent, int devt, long drvdata, long fmt,
            VaList args) {
        String name = new String(Printk.format(k, fmt, args), StandardCharsets.UTF_8);
        return create(k, cls, parent, devt, drvdata, 0, name, true);
    }

    /**
     * struct device *device_create_with_groups(const struct class *class, struct device *parent,
     * dev_t devt, void *drvdata, const struct attribute_group **groups, const char *fmt, ...)
     */
    @KernelSymbol("device_create_with_groups")
    static long deviceCreateWithGroups(KernelContext k, long cls, long parent, int devt, long drvdata,
            long groups, long fmt, VaList args) {
        String name = new String(Printk.format(k, fmt, args), StandardCharsets.UTF_8);
        return create(k, cls, parent, devt, drvdata, groups, name, true);
    }

    /** void device_destroy(const struct class *class, dev_t devt) */
    @KernelSymbol("device_destroy")
    public static void deviceDestroy(KernelContext k, long cls, int devt) {
        for (long dev : Classes.of(k).devices(cls)) {
            if (of(k).devt(dev) == devt) {
                getDevice(k, dev);
                putDevice(k, dev);
                deviceUnregister(k, dev);
                return;
            }
        }
    }

    /** static void root_device_release(struct device *dev) */
    @KernelSymbol(value = "root_device_release", internal = true)
    static void rootDeviceRelease(KernelContext k, long dev) {
        k.slab().kfree(dev);
    }

    /**
     * struct device *__root_device_register(const char *name, struct module *owner): a device
     * under /sys/devices with a "module" link to its owner.
     */
    @KernelSymbol("__root_device_register")
    static long rootDeviceRegister(KernelContext k, long name, long owner) {
        // struct root_device { struct device dev; struct module *owner; }
        long root = k.slab().kmalloc(k.off("device_sizeof") + 8, 0x100 | 0xcc0);
        if (root == 0) {
            return -Errno.ENOMEM;
        }
        int err = setName(k, root, k.mem().readCString(name, 4096));
        if (err != 0) {
            k.slab().kfree(root);
            return err;
        }
        k.mem().write64(root + k.off("device_release"), k.sym("root_device_release"));
        err = deviceRegister(k, root);
        if (err != 0) {
            putDevice(k, root);
            return err;
        }
        if (owner != 0) {
            var mod = k.modules().containing(owner);
            if (mod != null) {
                String dir = Sysfs.path(k, kobj(k, root));
                k.vfs().symlink(dir + "/module", Vfs.relativeLink(dir, "/sys/module/" + mod.name()));
            }
        }
        k.mem().write64(root + k.off("device_sizeof"), owner);
        return root;
    }

    /** void root_device_unregister(struct device *dev) */
    @KernelSymbol("root_device_unregister")
    static void rootDeviceUnregister(KernelContext k, long dev) {
        if (k.mem().read64(dev + k.off("device_sizeof")) != 0) {
            String dir = Sysfs.path(k, kobj(k, dev));
            if (dir != null) {
                k.vfs().remove(dir + "/module");
            }
        }
        deviceUnregister(k, dev);
    }

    /** int device_create_file(struct device *dev, const struct device_attribute *attr) */
    @KernelSymbol("device_create_file")
    public static int deviceCreateFile(KernelContext k, long dev, long attr) {
        if (dev == 0) {
            return 0;
        }
        AddressSpace m = k.mem();
        int mode = m.read16(attr + k.off("attribute_mode")) & 0xffff;
        String name = m.readCString(m.read64(attr + k.off("attribute_name")), 4096);
        if ((mode & 0222) != 0 && m.read64(attr + k.off("device_attribute_store")) == 0) {
            Oops.warn(k, "drivers/base/core.c:3050", "device_create_file", "Attribute " + name
                    + ": write permission without 'store'");
        }
        if ((mode & 0444) != 0 && m.read64(attr + k.off("device_attribute_show")) == 0) {
            Oops.warn(k, "drivers/base/core.c:3053", "device_create_file", "Attribute " + name
                    + ": read permission without 'show'");
        }
        return Sysfs.sysfsCreateFileNs(k, kobj(k, dev), attr, 0);
    }

    /** void device_remove_file(struct device *dev, const struct device_attribute *attr) */
    @KernelSymbol("device_remove_file")
    public static void deviceRemoveFile(KernelContext k, long dev, long attr) {
        if (dev != 0) {
            Sysfs.sysfsRemoveFileNs(k, kobj(k, dev), attr, 0);
        }
    }

    /** int device_add_groups(struct device *dev, const struct attribute_group **groups) */
    @KernelSymbol("device_add_groups")
    static int deviceAddGroups(KernelContext k, long dev, long groups) {
        return Sysfs.sysfsCreateGroups(k, kobj(k, dev), groups);
    }

    /** void device_remove_groups(struct device *dev, const struct attribute_group **groups) */
    @KernelSymbol("device_remove_groups")
    static void deviceRemoveGroups(KernelContext k, long dev, long groups) {
        Sysfs.sysfsRemoveGroups(k, kobj(k, dev), groups);
    }

    /** int device_rename(struct device *dev, const char *new_name) */
    @KernelSymbol("device_rename")
    static int deviceRename(KernelContext k, long dev, long newName) {
        dev = getDevice(k, dev);
        if (dev == 0) {
            return -Errno.EINVAL;
        }
        try {
            Core c = of(k);
            String old = c.devName(dev);
            byte[] nn = k.mem().readCBytes(newName, 4096);
            Classes.Cls cls = Classes.of(k).get(c.field(dev, "device_class"));
            if (cls != null) {
                String to = new String(nn, StandardCharsets.UTF_8);
                int err = Sysfs.createLink(k, cls.kobj, kobj(k, dev), to);
                if (err != 0) {
                    return err;
                }
                Sysfs.removeLink(k, cls.kobj, old);
            }
            return Kobject.rename(k, kobj(k, dev), nn);
        } finally {
            putDevice(k, dev);
        }
    }

    // ---------------------------------------------------------------- children

    /** The registered children of {@code parent}, in order (a copy of its {@code klist_children}). */
    public static List<Long> children(KernelContext k, long parent) {
        return of(k).children(parent);
    }

    List<Long> children(long parent) {
        Dev d = privs.get(parent);
        return d == null ? List.of() : new ArrayList<>(d.children);
    }

    private boolean isChild(long parent, long child) {
        Dev d = privs.get(parent);
        return d != null && d.children.contains(child);
    }

    /** int device_for_each_child(struct device *parent, void *data, int (*fn)(struct device *dev, void *data)) */
    @KernelSymbol("device_for_each_child")
    static int deviceForEachChild(KernelContext k, long parent, long data, long fn) {
        Core c = of(k);
        for (long child : c.children(parent)) {
            if (c.isChild(parent, child)) {
                int error = (int) k.call(fn, child, data);
                if (error != 0) {
                    return error;
                }
            }
        }
        return 0;
    }

    /** int device_for_each_child_reverse(struct device *parent, void *data, int (*fn)(struct device *dev, void *data)) */
    @KernelSymbol("device_for_each_child_reverse")
    static int deviceForEachChildReverse(KernelContext k, long parent, long data, long fn) {
        Core c = of(k);
        List<Long> list = c.children(parent);
        for (int i = list.size() - 1; i >= 0; i--) {
            if (c.isChild(parent, list.get(i))) {
                int error = (int) k.call(fn, list.get(i), data);
                if (error != 0) {
                    return error;
                }
            }
        }
        return 0;
    }

    /** struct device *device_find_child(struct device *parent, void *data, int (*match)(struct device *dev, void *data)) */
    @KernelSymbol("device_find_child")
    static long deviceFindChild(KernelContext k, long parent, long data, long match) {
        if (parent == 0) {
            return 0;
        }
        Core c = of(k);
        for (long child : c.children(parent)) {
            if (c.isChild(parent, child) && k.call(match, child, data) != 0) {
                return getDevice(k, child);
            }
        }
        return 0;
    }

    /** struct device *device_find_child_by_name(struct device *parent, const char *name) */
    @KernelSymbol("device_find_child_by_name")
    static long deviceFindChildByName(KernelContext k, long parent, long name) {
        if (parent == 0) {
            return 0;
        }
        Core c = of(k);
        String want = k.mem().readCString(name, 4096);
        for (long child : c.children(parent)) {
            if (c.isChild(parent, child) && sysfsStreq(c.devName(child), want)) {
                return getDevice(k, child);
            }
        }
        return 0;
    }

    /** {@code sysfs_streq()}: equal but for one trailing newline on either side. */
    public static boolean sysfsStreq(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        if (a.endsWith("\n")) {
            a = a.substring(0, a.length() - 1);
        }
        if (b.endsWith("\n")) {
            b = b.substring(0, b.length() - 1);
        }
        return a.equals(b);
    }

    // ---------------------------------------------------------------- match helpers

    /** int device_match_name(struct device *dev, const void *name) */
    @KernelSymbol("device_match_name")
    static int deviceMatchName(KernelContext k, long dev, long name) {
        return sysfsStreq(of(k).devName(dev), k.mem().readCString(name, 4096)) ? 1 : 0;
    }

    /** int device_match_devt(struct device *dev, const void *pdevt) */
    @KernelSymbol("device_match_devt")
    static int deviceMatchDevt(KernelContext k, long dev, long pdevt) {
        return of(k).devt(dev) == k.mem().read32(pdevt) ? 1 : 0;
    }

    /** int device_match_of_node(struct device *dev, const void *np) */
    @KernelSymbol("device_match_of_node")
    static int deviceMatchOfNode(KernelContext k, long dev, long np) {
        return k.mem().read64(dev + k.off("device_of_node")) == np ? 1 : 0;
    }

    /** int device_match_fwnode(struct device *dev, const void *fwnode) */
    @KernelSymbol("device_match_fwnode")
    static int deviceMatchFwnode(KernelContext k, long dev, long fwnode) {
        return k.mem().read64(dev + k.off("device_fwnode")) == fwnode ? 1 : 0;
    }

    /** int device_match_any(struct device *dev, const void *unused) */
    @KernelSymbol("device_match_any")
    static int deviceMatchAny(KernelContext k, long dev, long unused) {
        return 1;
    }

    // ---------------------------------------------------------------- attributes

    /** static ssize_t dev_attr_show(struct kobject *kobj, struct attribute *attr, char *buf) */
    @KernelSymbol(value = "dev_attr_show", internal = true)
    static long devAttrShow(KernelContext k, long kobj, long attr, long buf) {
        long show = k.mem().read64(attr + k.off("device_attribute_show"));
        long ret = show == 0 ? -Errno.EIO : k.call(show, kobj - k.off("device_kobj"), attr, buf);
        if (ret >= AddressSpace.PAGE) {
            k.printk(4, "dev_attr_show: " + k.machine().kallsyms().symbolize(show, true) + " returned bad count");
        }
        return ret;
    }

    /** static ssize_t dev_attr_store(struct kobject *kobj, struct attribute *attr, const char *buf, size_t count) */
    @KernelSymbol(value = "dev_attr_store", internal = true)
    static long devAttrStore(KernelContext k, long kobj, long attr, long buf, long count) {
        long store = k.mem().read64(attr + k.off("device_attribute_store"));
        return store == 0 ? -Errno.EIO : k.call(store, kobj - k.off("device_kobj"), attr, buf, count);
    }

    /** static ssize_t dev_show(struct device *dev, struct device_attribute *attr, char *buf) */
    @KernelSymbol(value = "dev_show", internal = true)
    static long devShow(KernelContext k, long dev, long attr, long buf) {
        byte[] b = (of(k).devtString(dev) + "\n").getBytes(StandardCharsets.US_ASCII);
        k.mem().write(buf, b);
        k.mem().write8(buf + b.length, 0);
        return b.length;
    }

    /** static ssize_t online_show(struct device *dev, struct device_attribute *attr, char *buf) */
    @KernelSymbol(value = "online_show", internal = true)
    static long onlineShow(KernelContext k, long dev, long attr, long buf) {
        return of(k).showBit(dev, 2, true, buf);
    }

    /**
     * "1\n" or "0\n" for bit-field {@code bit} after {@code removable} (inverted if asked), read
     * under the device lock, as {@code online_show()} and {@code state_synced_show()} do.
     */
    long showBit(long dev, int bit, boolean invert, long buf) {
        lock(dev);
        boolean on = bit(dev, bit) != invert;
        unlock(dev);
        byte[] b = (on ? "1\n" : "0\n").getBytes(StandardCharsets.US_ASCII);
        k.mem().write(buf, b);
        return b.length;
    }

    /** static ssize_t online_store(struct device *dev, struct device_attribute *attr, const char *buf, size_t count) */
    @KernelSymbol(value = "online_store", internal = true)
    static long onlineStore(KernelContext k, long dev, long attr, long buf, long count) {
        String s = new String(k.mem().read(buf, (int) count), StandardCharsets.US_ASCII).trim();
        boolean val;
        if (s.equals("1") || s.equalsIgnoreCase("y") || s.equalsIgnoreCase("on")) {
            val = true;
        } else if (s.equals("0") || s.equalsIgnoreCase("n") || s.equalsIgnoreCase("off")) {
            val = false;
        } else {
            return -Errno.EINVAL;
        }
        Core c = of(k);
        long bus = c.field(dev, "device_bus");
        if (c.bit(dev, 2) == !val) {
            return count;
        }
        if (c.bit(dev, 1)) {
            return -Errno.EPERM;
        }
        long fn = c.field(bus, val ? "bus_type_online" : "bus_type_offline");
        int ret = (int) k.call(fn, dev);
        if (ret == 0) {
            c.setBit(dev, 2, !val);
            KobjectUevent.uevent(k, kobj(k, dev), k.off(val ? "KOBJ_ONLINE" : "KOBJ_OFFLINE"));
        }
        return ret < 0 ? ret : count;
    }

    // ---------------------------------------------------------------- uevents

    /** static int dev_uevent_filter(struct kobject *kobj) */
    @KernelSymbol(value = "dev_uevent_filter", internal = true)
    static int devUeventFilter(KernelContext k, long kobj) {
        if (Kobject.ktype(k, kobj) != k.sym("device_ktype")) {
            return 0;
        }
        long dev = kobj - k.off("device_kobj");
        Core c = of(k);
        return c.field(dev, "device_bus") != 0 || c.field(dev, "device_class") != 0 ? 1 : 0;
    }

    /** static const char *dev_uevent_name(struct kobject *kobj) */
    @KernelSymbol(value = "dev_uevent_name", internal = true)
    static long devUeventName(KernelContext k, long kobj) {
        long dev = kobj - k.off("device_kobj");
        Core c = of(k);
        long bus = c.field(dev, "device_bus");
        if (bus != 0) {
            return c.field(bus, "bus_type_name");
        }
        long cls = c.field(dev, "device_class");
        return cls != 0 ? c.field(cls, "class_name") : 0;
    }

    /** static int dev_uevent(struct kobject *kobj, struct kobj_uevent_env *env) */
    @KernelSymbol(value = "dev_uevent", internal = true)
    static int devUevent(KernelContext k, long kobj, long env) {
        return of(k).devUevent(kobj - k.off("device_kobj"), env);
    }

    /** {@code dev_uevent()}: node, type, driver, then the bus's, class's and type's callbacks. */
    private int devUevent(long dev, long env) {
        if (major(dev) != 0) {
            CharDev cd = CharDev.of(k);
            KobjectUevent.add(k, env, "MAJOR=" + Integer.toUnsignedString(cd.major(devt(dev))));
            KobjectUevent.add(k, env, "MINOR=" + cd.minor(devt(dev)));
            Devnode node = devnode(dev);
            if (node != null) {
                KobjectUevent.add(k, env, "DEVNAME=" + node.name());
                if (node.mode() != 0) {
                    KobjectUevent.add(k, env, "DEVMODE=0" + Integer.toOctalString(node.mode() & 0777));
                }
                if (node.uid() != 0) {
                    KobjectUevent.add(k, env, "DEVUID=" + Integer.toUnsignedString(node.uid()));
                }
                if (node.gid() != 0) {
                    KobjectUevent.add(k, env, "DEVGID=" + Integer.toUnsignedString(node.gid()));
                }
            }
        }
        long type = field(dev, "device_type");
        if (type != 0 && field(type, "device_type_name") != 0) {
            KobjectUevent.add(k, env, "DEVTYPE=" + str(field(type, "device_type_name")));
        }
        long drv = field(dev, "device_driver");
        if (drv != 0) {
            KobjectUevent.add(k, env, "DRIVER=" + str(field(drv, "device_driver_name")));
        }
        int retval = 0;
        long bus = field(dev, "device_bus");
        long busUevent = bus == 0 ? 0 : field(bus, "bus_type_uevent");
        if (busUevent != 0) {
            retval = (int) k.call(busUevent, dev, env);
        }
        long cls = field(dev, "device_class");
        long clsUevent = cls == 0 ? 0 : field(cls, "class_dev_uevent");
        if (clsUevent != 0) {
            retval = (int) k.call(clsUevent, dev, env);
        }
        long typeUevent = type == 0 ? 0 : field(type, "device_type_uevent");
        if (typeUevent != 0) {
            retval = (int) k.call(typeUevent, dev, env);
        }
        return retval;
    }

    /**
     * static ssize_t uevent_show(struct device *dev, struct device_attribute *attr, char *buf): the
     * variables the device's kset would send, one per line (empty if its filter drops it).
     */
    @KernelSymbol(value = "uevent_show", internal = true)
    static long ueventShow(KernelContext k, long dev, long attr, long buf) {
        AddressSpace m = k.mem();
        long top = KobjectUevent.topKobject(k, kobj(k, dev));
        long kset = top == 0 ? 0 : Kobject.kset(k, top);
        long ops = kset == 0 ? 0 : m.read64(kset + k.off("kset_uevent_ops"));
        long uevent = ops == 0 ? 0 : m.read64(ops + k.off("kset_uevent_ops_uevent"));
        if (uevent == 0) {
            return 0;
        }
        long filter = m.read64(ops + k.off("kset_uevent_ops_filter"));
        if (filter != 0 && (int) k.call(filter, kobj(k, dev)) == 0) {
            return 0;
        }
        long env = k.slab().kmalloc(k.off("kobj_uevent_env_sizeof"), 0x100 | 0xcc0);
        if (env == 0) {
            return -Errno.ENOMEM;
        }
        try {
            Core c = of(k);
            c.lock(dev);
            int retval = (int) k.call(uevent, kobj(k, dev), env);
            c.unlock(dev);
            if (retval != 0) {
                return 0;
            }
            byte[] b = KobjectUevent.lines(k, env);
            int len = Math.min(b.length, (int) AddressSpace.PAGE - 1);
            m.write(buf, b, 0, len);
            m.write8(buf + len, 0);
            return len;
        } finally {
            k.slab().kfree(env);
        }
    }

    /** static ssize_t uevent_store(struct device *dev, struct device_attribute *attr, const char *buf, size_t count) */
    @KernelSymbol(value = "uevent_store", internal = true)
    static long ueventStore(KernelContext k, long dev, long attr, long buf, long count) {
        int rc = KobjectUevent.synth(k, kobj(k, dev), k.mem().read(buf, (int) count));
        if (rc != 0) {
            of(k).devPrintk(3, dev, ("uevent: failed to send synthetic uevent: " + rc + "\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return rc;
        }
        return count;
    }

    /** The devnode name, mode, uid and gid of {@code device_get_devnode()}. */
    record Devnode(String name, int mode, int uid, int gid) {
    }

    /**
     * {@code device_get_devnode()}: the node name from the device type's or the class's
     * {@code devnode()} (run on the CPU; they may also set the mode, uid and gid), else the
     * device name with '!' turned into '/'; null if the device has no name.
     */
    Devnode devnode(long dev) {
        AddressSpace m = mem();
        long scratch = k.slab().kmalloc(16, 0x100 | 0xcc0);
        try {
            long tmp = 0;
            long type = field(dev, "device_type");
            long typeDevnode = type == 0 ? 0 : field(type, "device_type_devnode");
            if (typeDevnode != 0) {
                tmp = k.call(typeDevnode, dev, scratch, scratch + 4, scratch + 8);
            }
            long cls = field(dev, "device_class");
            long clsDevnode = cls == 0 ? 0 : field(cls, "class_devnode");
            if (tmp == 0 && clsDevnode != 0) {
                tmp = k.call(clsDevnode, dev, scratch);
            }
            int mode = m.read16(scratch) & 0xffff;
            int uid = m.read32(scratch + 4);
            int gid = m.read32(scratch + 8);
            if (tmp != 0) {
                String name = str(tmp);
                k.slab().kfree(tmp);
                return new Devnode(name, mode, uid, gid);
            }
            String name = devName(dev);
            return name == null ? null : new Devnode(name.replace('!', '/'), mode, uid, gid);
        } finally {
            k.slab().kfree(scratch);
        }
    }

    // ---------------------------------------------------------------- dev_printk

    /** {@code dev_driver_string()}: the driver's, bus's or class's name, as a guest string. */
    private long driverString(long dev) {
        long drv = field(dev, "device_driver");
        if (drv != 0) {
            return field(drv, "device_driver_name");
        }
        long bus = field(dev, "device_bus");
        if (bus != 0) {
            return field(bus, "bus_type_name");
        }
        long cls = field(dev, "device_class");
        return cls != 0 ? field(cls, "class_name") : k.sym("dev_driver_string_none");
    }

    /** {@code dev_driver_string()} in Java. */
    public static String driverString(KernelContext k, long dev) {
        return k.mem().readCString(of(k).driverString(dev), 4096);
    }

    /** const char *dev_driver_string(const struct device *dev) */
    @KernelSymbol("dev_driver_string")
    static long devDriverString(KernelContext k, long dev) {
        return of(k).driverString(dev);
    }

    /** "DRIVER NAME: " of {@code __dev_printk()}, or "(NULL device *): ". */
    byte[] prefix(long dev) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (dev != 0) {
            out.writeBytes(mem().readCBytes(driverString(dev), 4096));
            out.write(' ');
            String name = devName(dev);
            out.writeBytes((name == null ? "(null)" : name).getBytes(StandardCharsets.UTF_8));
            out.writeBytes(": ".getBytes(StandardCharsets.US_ASCII));
        } else {
            out.writeBytes("(NULL device *): ".getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    /**
     * {@code __dev_printk()}: "DRIVER NAME: message" at {@code level} (or "(NULL device *): ..."),
     * attributed to the calling module; a level outside 0..7 is the default one.
     */
    int devPrintk(int level, long dev, byte[] message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(prefix(dev));
        out.writeBytes(message);
        return Printk.emit(k, level, out.toByteArray());
    }

    /** {@code dev_printk()} of a message kernel code in Java logs about a device. */
    public static void log(KernelContext k, int level, long dev, String message) {
        of(k).devPrintk(level, dev, message.getBytes(StandardCharsets.UTF_8));
    }

    /** void _dev_emerg(const struct device *dev, const char *fmt, ...) */
    @KernelSymbol("_dev_emerg")
    static void devEmerg(KernelContext k, long dev, long fmt, VaList args) {
        of(k).devPrintk(0, dev, Printk.format(k, fmt, args));
    }

    /** void _dev_alert(const struct device *dev, const char *fmt, ...) */
    @KernelSymbol("_dev_alert")
    static void devAlert(KernelContext k, long dev, long fmt, VaList args) {
        of(k).devPrintk(1, dev, Printk.format(k, fmt, args));
    }

    /** void _dev_crit(const struct device *dev, const char *fmt, ...) */
    @KernelSymbol("_dev_crit")
    static void devCrit(KernelContext k, long dev, long fmt, VaList args) {
        of(k).devPrintk(2, dev, Printk.format(k, fmt, args));
    }

    /** void _dev_err(const struct device *dev, const char *fmt, ...) */
    @KernelSymbol("_dev_err")
    static void devErr(KernelContext k, long dev, long fmt, VaList args) {
        of(k).devPrintk(3, dev, Printk.format(k, fmt, args));
    }

    /** void _dev_warn(const struct device *dev, const char *fmt, ...) */
    @KernelSymbol("_dev_warn")
    static void devWarn(KernelContext k, long dev, long fmt, VaList args) {
        of(k).devPrintk(4, dev, Printk.format(k, fmt, args));
    }

    /** void _dev_notice(const struct device *dev, const char *fmt, ...) */
    @KernelSymbol("_dev_notice")
    static void devNotice(KernelContext k, long dev, long fmt, VaList args) {
        of(k).devPrintk(5, dev, Printk.format(k, fmt, args));
    }

    /** void _dev_info(const struct device *dev, const char *fmt, ...) */
    @KernelSymbol("_dev_info")
    static void devInfo(KernelContext k, long dev, long fmt, VaList args) {
        of(k).devPrintk(6, dev, Printk.format(k, fmt, args));
    }

    /**
     * void _dev_printk(const char *level, const struct device *dev, const char *fmt, ...): with a
     * device, {@code dev_printk_emit(level[1] - '0', ...)}; without, {@code printk()} of the level
     * string itself (so "(NULL device *)" keeps a KERN_DEFAULT or missing level as printk does).
     */
    @KernelSymbol("_dev_printk")
    static void devPrintk(KernelContext k, long level, long dev, long fmt, VaList args) {
        byte[] l = k.mem().readCBytes(level, 3);
        byte[] msg = Printk.format(k, fmt, args);
        if (dev != 0) {
            int lv = l.length >= 2 ? l[1] - '0' : -1;
            of(k).devPrintk(lv, dev, msg);
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(l);
        out.writeBytes(of(k).prefix(0));
        out.writeBytes(msg);
        k.printkFormatted(out.toByteArray());
    }

    /** int dev_printk_emit(int level, const struct device *dev, const char *fmt, ...) */
    @KernelSymbol("dev_printk_emit")
    static int devPrintkEmit(KernelContext k, int level, long dev, long fmt, VaList args) {
        return Printk.emit(k, level, Printk.format(k, fmt, args));
    }

    /** int dev_vprintk_emit(int level, const struct device *dev, const char *fmt, va_list args) */
    @KernelSymbol("dev_vprintk_emit")
    static int devVprintkEmit(KernelContext k, int level, long dev, long fmt, long args) {
        return Printk.emit(k, level, Printk.format(k, fmt, new GuestVaList(k.mem(), args)));
    }

    /**
     * {@code __dev_probe_failed()}: -EPROBE_DEFER records the deferred-probe reason ("DRIVER:
     * message") and logs only a debug line (off), -ENOMEM logs nothing, anything else logs
     * "error %pe: message" as an error ({@code fatal}) or a warning.
     */
    int probeFailed(long dev, int err, boolean fatal, byte[] msg) {
        if (err == -k.off("EPROBE_DEFER")) {
            Dev d = privs.get(dev);
            if (d != null) {
                d.deferredReason = driverString(k, dev) + ": " + new String(msg, StandardCharsets.UTF_8);
            }
        } else if (err != -Errno.ENOMEM) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes("error ".getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(Printk.format(k, "%pe", (long) err));
            out.writeBytes(": ".getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(msg);
            devPrintk(fatal ? 3 : 4, dev, out.toByteArray());
        }
        return err;
    }

    /** int dev_err_probe(const struct device *dev, int err, const char *fmt, ...) */
    @KernelSymbol("dev_err_probe")
    static int devErrProbe(KernelContext k, long dev, int err, long fmt, VaList args) {
        return of(k).probeFailed(dev, err, true, Printk.format(k, fmt, args));
    }

    /** int dev_warn_probe(const struct device *dev, int err, const char *fmt, ...) */
    @KernelSymbol("dev_warn_probe")
    static int devWarnProbe(KernelContext k, long dev, int err, long fmt, VaList args) {
        return of(k).probeFailed(dev, err, false, Printk.format(k, fmt, args));
    }

    /** {@code dev_err_probe()} from kernel code in Java (platform_get_irq()'s message). */
    static int errProbe(KernelContext k, long dev, int err, String message) {
        return of(k).probeFailed(dev, err, true, message.getBytes(StandardCharsets.UTF_8));
    }

    /** The deferred-probe reason dev_err_probe() recorded for {@code dev}, or null. */
    public static String deferredReason(KernelContext k, long dev) {
        Dev d = of(k).privs.get(dev);
        return d == null ? null : d.deferredReason;
    }
}
