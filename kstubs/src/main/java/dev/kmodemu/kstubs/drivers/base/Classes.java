package dev.kmodemu.kstubs.drivers.base;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.fs.Sysfs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * drivers/base/class.c: device classes, each a directory under /sys/class holding links to its
 * devices. A class's {@code subsys_private} is a kobject in guest memory followed by the
 * {@code struct class *} (what {@code to_subsys_private()} and {@code cp->class} give).
 */
public final class Classes {
    /**
     * The classes of Debian's 6.1 kernel that exist before any module loads (those found under
     * /sys/class of the real kernel in the oracle's machine), so a module's class of the same
     * name clashes as it would there. "misc" is made by {@link dev.kmodemu.kstubs.drivers.character.Misc}.
     */
    private static final String[] BOOT_CLASSES = {"mem", "tty", "vc", "input", "graphics", "net", "block", "bsg",
        "rtc", "ptp", "pps", "tpm", "tpmrm", "gpio", "hwmon", "thermal", "power_supply", "leds", "backlight", "dma",
        "iommu", "pci_bus", "firmware", "devlink", "bdi", "dmi", "i2c-adapter", "regulator", "spi_master",
        "spidev", "vtconsole", "wakeup", "devfreq", "devcoredump", "intel_scu_ipc"};

    /** A registered class. */
    static final class Cls {
        final long cls;
        final long kobj;
        final String name;
        /** Its devices in registration order ({@code klist_devices}). */
        final List<Long> devices = new ArrayList<>();

        Cls(long cls, long kobj, String name) {
            this.cls = cls;
            this.kobj = kobj;
            this.name = name;
        }
    }

    private final KernelContext k;
    private final Map<Long, Cls> classes = new HashMap<>();
    private long classKobj;

    private Classes(KernelContext k) {
        this.k = k;
    }

    static Classes of(KernelContext k) {
        return k.state(Classes.class, () -> new Classes(k));
    }

    /** /sys/class and the kernel's own classes; called at boot. */
    static void boot(KernelContext k) {
        Classes c = of(k);
        c.classKobj = Sysfs.kernelKobject(k, "/sys/class");
        // Their directories are all that shows of them (no module can reach these classes), and
        // all a module's class of the same name runs into.
        for (String name : BOOT_CLASSES) {
            k.vfs().mkdirs("/sys/class/" + name);
        }
    }

    /**
     * {@code class_create(NULL, name)} for a class of the kernel itself, with an optional
     * {@code devnode} callback; returns the {@code struct class *}.
     */
    public static long createKernelClass(KernelContext k, String name, long devnode) {
        return of(k).createKernelClass(name, devnode);
    }

    private long createKernelClass(String name, long devnode) {
        long cls = k.slab().kmalloc(k.off("class_sizeof"), 0x100 | 0xcc0);
        k.mem().write64(cls + k.off("class_name"), k.kstrdup(name));
        k.mem().write64(cls + k.off("class_devnode"), devnode);
        int err = register(cls);
        if (err != 0) {
            throw new IllegalStateException("boot class " + name + ": " + err);
        }
        return cls;
    }

    /** The class at {@code cls}, or null if it is not registered. */
    Cls get(long cls) {
        return classes.get(cls);
    }

    private static boolean isErrOrNull(long p) {
        return p == 0 || Long.compareUnsigned(p, -4095L) >= 0;
    }

    /** {@code __class_register()}: the class's directory under /sys/class and its class attributes. */
    private int register(long cls) {
        AddressSpace m = k.mem();
        String name = m.readCString(m.read64(cls + k.off("class_name")), 4096);
        int kobjSize = k.off("kobject_sizeof");
        long kobj = k.slab().kmalloc(kobjSize + 8, 0x100 | 0xcc0);
        if (kobj == 0) {
            return -Errno.ENOMEM;
        }
        Sysfs.kobjectInit(k, kobj, k.sym("class_ktype"));
        m.write64(kobj + kobjSize, cls);
        int err = Sysfs.add(k, kobj, classKobj, name);
        if (err != 0) {
            k.slab().kfree(m.read64(kobj + k.off("kobject_name")));
            k.slab().kfree(kobj);
            return err;
        }
        Cls c = new Cls(cls, kobj, name);
        classes.put(cls, c);
        long groups = m.read64(cls + k.off("class_class_groups"));
        err = Sysfs.sysfsCreateGroups(k, kobj, groups);
        if (err != 0) {
            classes.remove(cls);
            Sysfs.kobjectDel(k, kobj);
            k.slab().kfree(m.read64(kobj + k.off("kobject_name")));
            k.slab().kfree(kobj);
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
        Sysfs.kobjectDel(k, c.kobj);
        Sysfs.kobjectPut(k, c.kobj);
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
        Cls c = cls == 0 ? null : of(k).classes.get(cls);
        return c == null ? -Errno.EINVAL : Sysfs.sysfsCreateFileNs(k, c.kobj, attr, ns);
    }

    /** void class_remove_file_ns(struct class *cls, const struct class_attribute *attr, const void *ns) */
    @KernelSymbol("class_remove_file_ns")
    static void classRemoveFileNs(KernelContext k, long cls, long attr, long ns) {
        Cls c = cls == 0 ? null : of(k).classes.get(cls);
        if (c != null) {
            Sysfs.sysfsRemoveFileNs(k, c.kobj, attr, ns);
        }
    }

    /** static void class_create_release(struct class *cls) */
    @KernelSymbol(value = "class_create_release", internal = true)
    static void classCreateRelease(KernelContext k, long cls) {
        k.slab().kfree(cls);
    }

    /** static void class_release(struct kobject *kobj) */
    @KernelSymbol(value = "class_release", internal = true)
    static void classRelease(KernelContext k, long kobj) {
        long cls = k.mem().read64(kobj + k.off("kobject_sizeof"));
        long release = k.mem().read64(cls + k.off("class_class_release"));
        if (release != 0) {
            k.call(release, cls);
        }
        k.slab().kfree(kobj);
    }

    /** static ssize_t class_attr_show(struct kobject *kobj, struct attribute *attr, char *buf) */
    @KernelSymbol(value = "class_attr_show", internal = true)
    static long classAttrShow(KernelContext k, long kobj, long attr, long buf) {
        long show = k.mem().read64(attr + k.off("class_attribute_show"));
        long cls = k.mem().read64(kobj + k.off("kobject_sizeof"));
        return show == 0 ? -Errno.EIO : k.call(show, cls, attr, buf);
    }

    /** static ssize_t class_attr_store(struct kobject *kobj, struct attribute *attr, const char *buf, size_t count) */
    @KernelSymbol(value = "class_attr_store", internal = true)
    static long classAttrStore(KernelContext k, long kobj, long attr, long buf, long count) {
        long store = k.mem().read64(attr + k.off("class_attribute_store"));
        long cls = k.mem().read64(kobj + k.off("kobject_sizeof"));
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
}
