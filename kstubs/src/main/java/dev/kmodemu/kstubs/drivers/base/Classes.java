package dev.kmodemu.kstubs.drivers.base;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.fs.Sysfs;
import dev.kmodemu.kstubs.lib.Kobject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * drivers/base/class.c: device classes. Each has a {@code subsys_private} ({@code class->p}) whose
 * kset is its directory in {@code class_kset} (/sys/class/NAME, holding links to its devices) and
 * whose {@code glue_dirs} kset holds the class directories devices of the class get under a
 * parent of another kind (/sys/devices/virtual/NAME, ...). The devices list ({@code klist_devices},
 * which holds a reference on each device) and the class interfaces are kept here.
 */
public final class Classes {
    /**
     * The classes of Debian's 6.1 kernel that exist before any module loads (those found under
     * /sys/class of the real kernel in the oracle's machine), so a module's class of the same
     * name clashes as it would there. "misc" is made by {@link dev.kmodemu.kstubs.drivers.character.Misc},
     * "i2c-adapter" by the I2C core, "leds" by {@link dev.kmodemu.kstubs.drivers.leds.LedClass}.
     */
    private static final String[] BOOT_CLASSES = {"mem", "tty", "vc", "graphics", "net", "block", "bsg",
        "rtc", "ptp", "pps", "tpm", "tpmrm", "gpio", "thermal", "backlight", "dma",
        "iommu", "pci_bus", "firmware", "devlink", "bdi", "dmi", "regulator", "spi_master",
        "spidev", "vtconsole", "wakeup", "devfreq", "devcoredump", "intel_scu_ipc"};

    /** A registered class. */
    static final class Cls {
        final long cls;
        final long priv;
        final long kobj;
        final String name;
        /** Its devices in registration order ({@code klist_devices}). */
        final List<Long> devices = new ArrayList<>();
        /** Its {@code class_interface}s. */
        final List<Long> interfaces = new ArrayList<>();

        Cls(long cls, long priv, long kobj, String name) {
            this.cls = cls;
            this.priv = priv;
            this.kobj = kobj;
            this.name = name;
        }
    }

    private final KernelContext k;
    private final Map<Long, Cls> classes = new HashMap<>();
    private long classKset;

    private Classes(KernelContext k) {
        this.k = k;
    }

    static Classes of(KernelContext k) {
        return k.state(Classes.class, () -> new Classes(k));
    }

    /** /sys/class ({@code classes_init()}) and the kernel's own classes; called at boot. */
    static void boot(KernelContext k) {
        Classes c = of(k);
        c.classKset = Kobject.ksetCreateAndAdd(k, "class", 0, 0);
        // Their directories are all that shows of them (no module can reach these classes), and
        // all a module's class of the same name runs into.
        for (String name : BOOT_CLASSES) {
            k.vfs().mkdirs("/sys/class/" + name);
        }
    }

    /** {@code &class_kset->kobj}: /sys/class. */
    public static long classKobj(KernelContext k) {
        return Kobject.ksetKobj(k, of(k).classKset);
    }

    /**
     * {@code class_create(NULL, name)} for a class of the kernel itself, with an optional
     * {@code devnode} callback; returns the {@code struct class *}.
     */
    public static long createKernelClass(KernelContext k, String name, long devnode) {
        long cls = k.slab().kmalloc(k.off("class_sizeof"), 0x100 | 0xcc0);
        k.mem().write64(cls + k.off("class_name"), k.kstrdup(name));
        k.mem().write64(cls + k.off("class_devnode"), devnode);
        int err = of(k).register(cls);
        if (err != 0) {
            throw new IllegalStateException("boot class " + name + ": " + err);
        }
        return cls;
    }

    /**
     * {@code class_register()} of a class the kernel itself defines statically ({@code input_class},
     * ...) at boot: its subsystem init registers it before any module loads.
     */
    public static void registerKernelClass(KernelContext k, long cls) {
        int err = of(k).register(cls);
        if (err != 0) {
            throw new IllegalStateException("boot class: " + err);
        }
    }

    /** The class at {@code cls}, or null if it is not registered. */
    Cls get(long cls) {
        return cls == 0 ? null : classes.get(cls);
    }

    private static boolean isErrOrNull(long p) {
        return p == 0 || Long.compareUnsigned(p, -4095L) >= 0;
    }

    /**
     * {@code __class_register()}: the subsys_private, the class's kset in /sys/class, the default
     * /sys/dev directory of its devices (char), its class attributes.
     */
    private int register(long cls) {
        AddressSpace m = k.mem();
        String name = m.readCString(m.read64(cls + k.off("class_name")), 4096);
        long cp = k.slab().kmalloc(Base.subsysSize(k), 0x100 | 0xcc0);
        if (cp == 0) {
            return -Errno.ENOMEM;
        }
        Kobject.ksetInit(k, Base.glueDirs(k, cp));
        long kobj = Base.subsysKobj(k, cp);
        Kobject.setName(k, kobj, name);
        if (m.read64(cls + k.off("class_dev_kobj")) == 0) {
            m.write64(cls + k.off("class_dev_kobj"), Core.of(k).devCharKobj());
        }
        m.write64(kobj + k.off("kobject_kset"), classKset);
        m.write64(kobj + k.off("kobject_ktype"), k.sym("class_ktype"));
        m.write64(Base.classAt(k, cp), cls);
        m.write64(cls + k.off("class_p"), cp);
        int err = Kobject.ksetRegister(k, cp);
        if (err != 0) {
            k.slab().kfree(m.read64(kobj + k.off("kobject_name")));
            k.slab().kfree(cp);
            m.write64(cls + k.off("class_p"), 0);
            return err;
        }
        Cls c = new Cls(cls, cp, kobj, name);
        classes.put(cls, c);
        err = Sysfs.sysfsCreateGroups(k, kobj, m.read64(cls + k.off("class_class_groups")));
        if (err != 0) {
            classes.remove(cls);
            Kobject.del(k, kobj);
            k.slab().kfree(m.read64(kobj + k.off("kobject_name")));
            k.slab().kfree(cp);
        }
        return err;
    }

    /** int __class_register(struct class *cls, struct lock_class_key *key) */
    @KernelSymbol("__class_register")
    static int classRegister(KernelContext k, long cls, long key) {
        return of(k).register(cls);
    }

    /** struct class *__class_create(struct module *owner, const char *name, struct lock_class_key *key) */
    @KernelSymbol("__class_create")
    static long classCreate(KernelContext k, long owner, long name, long key) {
        long cls = k.slab().kmalloc(k.off("class_sizeof"), 0x100 | 0xcc0);
        if (cls == 0) {
            return -Errno.ENOMEM;
        }
        AddressSpace m = k.mem();
        m.write64(cls + k.off("class_name"), name);
        m.write64(cls + k.off("class_owner"), owner);
        m.write64(cls + k.off("class_class_release"), k.sym("class_create_release"));
        int err = of(k).register(cls);
        if (err != 0) {
            k.slab().kfree(cls);
            return err;
        }
        return cls;
    }

    /** void class_unregister(struct class *cls) */
    @KernelSymbol("class_unregister")
    static void classUnregister(KernelContext k, long cls) {
        Classes cs = of(k);
        Cls c = cs.classes.remove(cls);
        if (c == null) {
            return;
        }
        Sysfs.sysfsRemoveGroups(k, c.kobj, k.mem().read64(cls + k.off("class_class_groups")));
        Kobject.ksetUnregister(k, c.priv);
    }

    /** void class_destroy(struct class *cls) */
    @KernelSymbol("class_destroy")
    static void classDestroy(KernelContext k, long cls) {
        if (!isErrOrNull(cls)) {
            classUnregister(k, cls);
        }
    }

    /** int class_create_file_ns(struct class *cls, const struct class_attribute *attr, const void *ns) */
    @KernelSymbol("class_create_file_ns")
    static int classCreateFileNs(KernelContext k, long cls, long attr, long ns) {
        Cls c = of(k).get(cls);
        return c == null ? -Errno.EINVAL : Sysfs.sysfsCreateFileNs(k, c.kobj, attr, ns);
    }

    /** void class_remove_file_ns(struct class *cls, const struct class_attribute *attr, const void *ns) */
    @KernelSymbol("class_remove_file_ns")
    static void classRemoveFileNs(KernelContext k, long cls, long attr, long ns) {
        Cls c = of(k).get(cls);
        if (c != null) {
            Sysfs.sysfsRemoveFileNs(k, c.kobj, attr, ns);
        }
    }

    /** static void class_create_release(struct class *cls) */
    @KernelSymbol(value = "class_create_release", internal = true)
    static void classCreateRelease(KernelContext k, long cls) {
        k.slab().kfree(cls);
    }

    /** static void class_release(struct kobject *kobj): the class's own release, then its subsys_private. */
    @KernelSymbol(value = "class_release", internal = true)
    static void classRelease(KernelContext k, long kobj) {
        long cp = Base.toSubsysPrivate(k, kobj);
        long cls = k.mem().read64(Base.classAt(k, cp));
        long release = k.mem().read64(cls + k.off("class_class_release"));
        if (release != 0) {
            k.call(release, cls);
        }
        k.mem().write64(cls + k.off("class_p"), 0);
        k.slab().kfree(cp);
    }

    /** static ssize_t class_attr_show(struct kobject *kobj, struct attribute *attr, char *buf) */
    @KernelSymbol(value = "class_attr_show", internal = true)
    static long classAttrShow(KernelContext k, long kobj, long attr, long buf) {
        long show = k.mem().read64(attr + k.off("class_attribute_show"));
        long cls = k.mem().read64(Base.classAt(k, Base.toSubsysPrivate(k, kobj)));
        return show == 0 ? -Errno.EIO : k.call(show, cls, attr, buf);
    }

    /** static ssize_t class_attr_store(struct kobject *kobj, struct attribute *attr, const char *buf, size_t count) */
    @KernelSymbol(value = "class_attr_store", internal = true)
    static long classAttrStore(KernelContext k, long kobj, long attr, long buf, long count) {
        long store = k.mem().read64(attr + k.off("class_attribute_store"));
        long cls = k.mem().read64(Base.classAt(k, Base.toSubsysPrivate(k, kobj)));
        return store == 0 ? -Errno.EIO : k.call(store, cls, attr, buf, count);
    }

    /**
     * {@code static const struct kobj_type class_ktype}, followed by its {@code class_sysfs_ops}
     * (one data object, so neither depends on the order data symbols are made in).
     */
    @KernelData(value = "class_ktype", section = Machine.Section.RODATA, size = 256)
    static void classKtype(KernelContext k, long at) {
        Core.ktypeWithOps(k, at, "class_release", "class_attr_show", "class_attr_store");
    }

    // ---------------------------------------------------------------- devices of a class

    /** The registered class {@code cls}, or null: for a class not registered, {@code function}'s WARN. */
    private Cls checked(long cls, String function, String line) {
        if (cls == 0) {
            return null;
        }
        Cls c = get(cls);
        if (c == null) {
            long name = k.mem().read64(cls + k.off("class_name"));
            dev.kmodemu.kstubs.kernel.Oops.warn(k, "drivers/base/class.c:" + line, function, function
                    + " called for class '" + (name == 0 ? "(null)" : k.mem().readCString(name, 4096))
                    + "' before it was initialized");
        }
        return c;
    }

    /** The devices of {@code cls} still registered, in order, from {@code start} on (after it). */
    private List<Long> devicesFrom(Cls c, long start) {
        List<Long> list = new ArrayList<>(c.devices);
        int i = start == 0 ? -1 : list.indexOf(start);
        return list.subList(i + 1, list.size());
    }

    /**
     * int class_for_each_device(struct class *class, struct device *start, void *data,
     * int (*fn)(struct device *, void *))
     */
    @KernelSymbol("class_for_each_device")
    static int classForEachDevice(KernelContext k, long cls, long start, long data, long fn) {
        Classes cs = of(k);
        Cls c = cs.checked(cls, "class_for_each_device", "368");
        if (c == null) {
            return -Errno.EINVAL;
        }
        for (long dev : cs.devicesFrom(c, start)) {
            if (!c.devices.contains(dev)) {
                continue;
            }
            int error = (int) k.call(fn, dev, data);
            if (error != 0) {
                return error;
            }
        }
        return 0;
    }

    /**
     * struct device *class_find_device(struct class *class, struct device *start, const void *data,
     * int (*match)(struct device *, const void *))
     */
    @KernelSymbol("class_find_device")
    static long classFindDevice(KernelContext k, long cls, long start, long data, long match) {
        Classes cs = of(k);
        Cls c = cs.checked(cls, "class_find_device", "415");
        if (c == null) {
            return 0;
        }
        for (long dev : cs.devicesFrom(c, start)) {
            if (c.devices.contains(dev) && k.call(match, dev, data) != 0) {
                return Core.getDevice(k, dev);
            }
        }
        return 0;
    }

    /** The devices of class {@code cls}, in order ({@code class_for_each_device()} for Java callers). */
    public static List<Long> devices(KernelContext k, long cls) {
        return of(k).devices(cls);
    }

    /** The devices of a class, in order (for kmodemu's own users). */
    List<Long> devices(long cls) {
        Cls c = get(cls);
        return c == null ? List.of() : List.copyOf(c.devices);
    }

    /** int class_interface_register(struct class_interface *class_intf) */
    @KernelSymbol("class_interface_register")
    static int classInterfaceRegister(KernelContext k, long intf) {
        if (intf == 0) {
            return -Errno.ENODEV;
        }
        Cls c = of(k).get(k.mem().read64(intf + k.off("class_interface_class")));
        if (c == null) {
            return -Errno.EINVAL;
        }
        c.interfaces.add(intf);
        long addDev = k.mem().read64(intf + k.off("class_interface_add_dev"));
        if (addDev != 0) {
            for (long dev : List.copyOf(c.devices)) {
                k.call(addDev, dev, intf);
            }
        }
        return 0;
    }

    /** void class_interface_unregister(struct class_interface *class_intf) */
    @KernelSymbol("class_interface_unregister")
    static void classInterfaceUnregister(KernelContext k, long intf) {
        if (intf == 0) {
            return;
        }
        Cls c = of(k).get(k.mem().read64(intf + k.off("class_interface_class")));
        if (c == null || !c.interfaces.remove(intf)) {
            return;
        }
        long removeDev = k.mem().read64(intf + k.off("class_interface_remove_dev"));
        if (removeDev != 0) {
            for (long dev : List.copyOf(c.devices)) {
                k.call(removeDev, dev, intf);
            }
        }
    }

    /** A device joins its class ({@code klist_add_tail()} with {@code klist_class_dev_get}), interfaces told. */
    void addDevice(long cls, long dev) {
        Cls c = get(cls);
        if (c == null) {
            return;
        }
        Core.getDevice(k, dev);
        c.devices.add(dev);
        for (long intf : List.copyOf(c.interfaces)) {
            long addDev = k.mem().read64(intf + k.off("class_interface_add_dev"));
            if (addDev != 0) {
                k.call(addDev, dev, intf);
            }
        }
    }

    /** The device leaves its class: interfaces told, {@code klist_del()} (the reference dropped). */
    void removeDevice(long cls, long dev) {
        Cls c = get(cls);
        if (c == null) {
            return;
        }
        for (long intf : List.copyOf(c.interfaces)) {
            long removeDev = k.mem().read64(intf + k.off("class_interface_remove_dev"));
            if (removeDev != 0) {
                k.call(removeDev, dev, intf);
            }
        }
        if (c.devices.remove(dev)) {
            Core.putDevice(k, dev);
        }
    }
}
