package dev.kmodemu.kstubs.drivers.base;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.GuestVaList;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.VaList;
import dev.kmodemu.kstubs.drivers.character.Misc;
import dev.kmodemu.kstubs.fs.CharDev;
import dev.kmodemu.kstubs.fs.Sysfs;
import dev.kmodemu.kstubs.kernel.Oops;
import dev.kmodemu.kstubs.printk.Printk;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * drivers/base/core.c, as far as device nodes need it: {@code struct device} in guest memory with
 * its kobject, the directory under /sys/devices (class devices without a parent in
 * /sys/devices/virtual/CLASS), the {@code uevent} and {@code dev} attributes, the
 * {@code subsystem} link and the /sys/class/CLASS/NAME and /sys/dev/char/M:m links, the device
 * node devtmpfs makes, and the {@code dev_printk()} family. There are no buses or drivers.
 */
public final class Core {
    /** What kmodemu keeps of a device that {@code device_add()} registered. */
    static final class Dev {
        final long dev;
        final String name;
        final long cls;
        final long parent;
        String glue;
        boolean sysDevLink;
        boolean classLink;
        Devtmpfs.Node node;

        Dev(long dev, String name, long cls, long parent) {
            this.dev = dev;
            this.name = name;
            this.cls = cls;
            this.parent = parent;
        }
    }

    private final KernelContext k;
    private final Map<Long, Dev> devices = new HashMap<>();
    /** Glue directories (/sys/devices/virtual/CLASS, ...) and how many devices each holds. */
    private final Map<String, long[]> glueDirs = new HashMap<>();
    private long devicesKobj;
    private long virtualKobj;
    private long devCharKobj;

    private Core(KernelContext k) {
        this.k = k;
    }

    static Core of(KernelContext k) {
        return k.state(Core.class, () -> new Core(k));
    }

    /**
     * Boots the device model: /sys/devices, /sys/dev, the kernel's classes, its character device
     * numbers and misc devices, /proc/devices.
     */
    public static void boot(KernelContext k) {
        Core c = of(k);
        c.devicesKobj = Sysfs.kernelKobject(k, "/sys/devices");
        c.virtualKobj = Sysfs.kernelKobject(k, "/sys/devices/virtual");
        Sysfs.kernelKobject(k, "/sys/dev");
        c.devCharKobj = Sysfs.kernelKobject(k, "/sys/dev/char");
        Sysfs.kernelKobject(k, "/sys/dev/block");
        k.vfs().mkdirs("/dev");
        Classes.boot(k);
        CharDev.of(k).boot();
        k.vfs().register("/proc/devices", () -> CharDev.of(k).procDevices().getBytes(StandardCharsets.UTF_8));
        Misc.boot(k);
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

    /** A {@code struct device_attribute} of the kernel with its name stored after it. */
    private static void deviceAttribute(KernelContext k, long at, String name, int mode, String show, String store) {
        long nameAt = at + 48;
        byte[] b = (name + "\0").getBytes(StandardCharsets.US_ASCII);
        k.mem().poke(at, new byte[64]);
        k.mem().poke(nameAt, b);
        k.mem().pokeLong(at + k.off("attribute_name"), nameAt);
        k.mem().poke(at + k.off("attribute_mode"), new byte[] {(byte) mode, (byte) (mode >> 8)});
        k.mem().pokeLong(at + k.off("device_attribute_show"), k.sym(show));
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

    /** The "" that {@code dev_driver_string()} returns for a device without driver, bus or class. */
    @KernelData(value = "dev_driver_string_none", section = Machine.Section.RODATA, size = 8)
    static void devDriverStringNone(KernelContext k, long at) {
    }

    // ---------------------------------------------------------------- names and references

    private long kobj(long dev) {
        return dev + k.off("device_kobj");
    }

    /** {@code dev_name()}: init_name until the device is added, then the kobject's name. */
    String devName(long dev) {
        long init = mem().read64(dev + k.off("device_init_name"));
        if (init != 0) {
            return str(init);
        }
        return str(mem().read64(kobj(dev) + k.off("kobject_name")));
    }

    private int devt(long dev) {
        return mem().read32(dev + k.off("device_devt"));
    }

    private void setName(long dev, String name) {
        long at = kobj(dev) + k.off("kobject_name");
        long old = mem().read64(at);
        mem().write64(at, k.kstrdup(name));
        if (old != 0) {
            k.slab().kfree(old);
        }
    }

    /** struct device *get_device(struct device *dev) */
    @KernelSymbol("get_device")
    static long getDevice(KernelContext k, long dev) {
        if (dev != 0) {
            Sysfs.kobjectGet(k, dev + k.off("device_kobj"));
        }
        return dev;
    }

    /** void put_device(struct device *dev) */
    @KernelSymbol("put_device")
    static void putDevice(KernelContext k, long dev) {
        if (dev != 0) {
            Sysfs.kobjectPut(k, dev + k.off("device_kobj"));
        }
    }

    /** void device_initialize(struct device *dev) */
    @KernelSymbol("device_initialize")
    static void deviceInitialize(KernelContext k, long dev) {
        Sysfs.kobjectInit(k, dev + k.off("device_kobj"), k.sym("device_ktype"));
    }

    /** int dev_set_name(struct device *dev, const char *fmt, ...) */
    @KernelSymbol("dev_set_name")
    static int devSetName(KernelContext k, long dev, long fmt, VaList args) {
        of(k).setName(dev, new String(Printk.format(k, fmt, args), StandardCharsets.UTF_8));
        return 0;
    }

    /** static void device_release(struct kobject *kobj) */
    @KernelSymbol(value = "device_release", internal = true)
    static void deviceRelease(KernelContext k, long kobj) {
        AddressSpace m = k.mem();
        long dev = kobj - k.off("device_kobj");
        long type = m.read64(dev + k.off("device_type"));
        long cls = m.read64(dev + k.off("device_class"));
        long release = m.read64(dev + k.off("device_release"));
        if (release == 0 && type != 0) {
            release = m.read64(type + k.off("device_type_release"));
        }
        if (release == 0 && cls != 0) {
            release = m.read64(cls + k.off("class_dev_release"));
        }
        if (release != 0) {
            k.call(release, dev);
        } else {
            Oops.warn(k, "drivers/base/core.c:2510", "device_release", "Device '" + of(k).devName(dev)
                    + "' does not have a release() function, it is broken and must be fixed. See "
                    + "Documentation/core-api/kobject.rst.");
        }
    }

    /** static void device_create_release(struct device *dev) */
    @KernelSymbol(value = "device_create_release", internal = true)
    static void deviceCreateRelease(KernelContext k, long dev) {
        k.slab().kfree(dev);
    }

    // ---------------------------------------------------------------- device_add() and device_del()

    /** {@code get_device_parent()}: the kobject the device's directory goes under. */
    private long parentKobject(Dev d) {
        AddressSpace m = mem();
        if (d.cls != 0) {
            String clsName = str(m.read64(d.cls + k.off("class_name")));
            if (d.parent != 0 && m.read64(d.parent + k.off("device_class")) != 0) {
                return kobj(d.parent);
            }
            long base = d.parent == 0 ? virtualKobj : kobj(d.parent);
            String glue = Sysfs.path(k, base) + "/" + clsName;
            long[] g = glueDirs.get(glue);
            if (g == null) {
                long kobj = k.slab().kmalloc(k.off("kobject_sizeof"), 0x100 | 0xcc0);
                Sysfs.kobjectInit(k, kobj, k.sym("dynamic_kobj_ktype"));
                Sysfs.add(k, kobj, base, clsName);
                g = new long[] {kobj, 0};
                glueDirs.put(glue, g);
            }
            g[1]++;
            d.glue = glue;
            return g[0];
        }
        return d.parent != 0 ? kobj(d.parent) : devicesKobj;
    }

    /** {@code cleanup_glue_dir()}: the glue directory goes with its last device. */
    private void cleanupGlue(Dev d) {
        long[] g = d.glue == null ? null : glueDirs.get(d.glue);
        if (g != null && --g[1] == 0) {
            glueDirs.remove(d.glue);
            Sysfs.kobjectDel(k, g[0]);
            Sysfs.kobjectPut(k, g[0]);
        }
        d.glue = null;
    }

    /** {@code kobject_add_internal()}'s refusal of an empty name. */
    private int emptyName(long kobj) {
        Oops.warn(k, "lib/kobject.c:210", "kobject_add_internal", "kobject: (" + String.format("%016x",
                Printk.env(k).hashPointer(kobj) & 0xffffffffL) + "): attempted to be registered with empty name!");
        return -Errno.EINVAL;
    }

    /**
     * {@code device_add()}, with or without a devtmpfs node (the kernel's own devices at boot get
     * none); like the kernel's it holds a reference of its own only while it runs.
     */
    private int deviceAdd(long dev, boolean devtmpfs) {
        AddressSpace m = mem();
        getDevice(k, dev);
        long init = m.read64(dev + k.off("device_init_name"));
        if (init != 0) {
            setName(dev, str(init));
            m.write64(dev + k.off("device_init_name"), 0);
        }
        String name = devName(dev);
        if (name == null) {
            putDevice(k, dev);
            return -Errno.EINVAL;
        }
        long parent = m.read64(dev + k.off("device_parent"));
        getDevice(k, parent);
        Dev d = new Dev(dev, name, m.read64(dev + k.off("device_class")), parent);
        long parentKobj = parentKobject(d);
        int err = name.isEmpty() ? emptyName(kobj(dev)) : Sysfs.add(k, kobj(dev), parentKobj, name);
        if (err != 0) {
            cleanupGlue(d);
            putDevice(k, parent);
            putDevice(k, dev);
            return err;
        }
        devices.put(dev, d);
        err = addFiles(d, devtmpfs);
        if (err != 0) {
            deviceDel(d);
        }
        putDevice(k, dev);
        return err;
    }

    /** The attributes, links and node {@code device_add()} makes once the directory exists. */
    private int addFiles(Dev d, boolean devtmpfs) {
        AddressSpace m = mem();
        long kobj = kobj(d.dev);
        int err = Sysfs.sysfsCreateFileNs(k, kobj, k.sym("dev_attr_uevent"), 0);
        if (err != 0) {
            return err;
        }
        Classes.Cls c = d.cls == 0 ? null : Classes.of(k).get(d.cls);
        if (c != null) {
            Sysfs.createLink(k, kobj, c.kobj, "subsystem");
            if (d.parent != 0) {
                Sysfs.createLink(k, kobj, kobj(d.parent), "device");
            }
            err = Sysfs.createLink(k, c.kobj, kobj, d.name);
            if (err != 0) {
                return err;
            }
            d.classLink = true;
        }
        long type = m.read64(d.dev + k.off("device_type"));
        long[] groups = {c == null ? 0 : m.read64(d.cls + k.off("class_dev_groups")),
            type == 0 ? 0 : m.read64(type + k.off("device_type_groups")),
            m.read64(d.dev + k.off("device_groups"))};
        for (long g : groups) {
            err = Sysfs.sysfsCreateGroups(k, kobj, g);
            if (err != 0) {
                return err;
            }
        }
        int devt = devt(d.dev);
        CharDev cd = CharDev.of(k);
        if (cd.major(devt) != 0) {
            err = Sysfs.sysfsCreateFileNs(k, kobj, k.sym("dev_attr_dev"), 0);
            if (err == 0) {
                err = Sysfs.createLink(k, devCharKobj, kobj, cd.major(devt) + ":" + cd.minor(devt));
            }
            if (err != 0) {
                return err;
            }
            d.sysDevLink = true;
            if (devtmpfs) {
                d.node = Devtmpfs.of(k).createNode(d.dev, devt);
            }
        }
        if (c != null) {
            c.devices.add(d.dev);
        }
        return 0;
    }

    /** {@code device_del()} of a device {@code device_add()} registered. */
    private void deviceDel(Dev d) {
        devices.remove(d.dev);
        if (d.node != null) {
            Devtmpfs.of(k).deleteNode(d.dev, d.node);
            d.node = null;
        }
        CharDev cd = CharDev.of(k);
        int devt = devt(d.dev);
        if (d.sysDevLink) {
            Sysfs.removeLink(k, devCharKobj, cd.major(devt) + ":" + cd.minor(devt));
        }
        Classes.Cls c = d.cls == 0 ? null : Classes.of(k).get(d.cls);
        if (c != null) {
            if (d.classLink) {
                Sysfs.removeLink(k, c.kobj, d.name);
            }
            c.devices.remove(d.dev);
        }
        Sysfs.kobjectDel(k, kobj(d.dev));
        cleanupGlue(d);
        putDevice(k, d.parent);
    }

    /** int device_add(struct device *dev) */
    @KernelSymbol("device_add")
    static int deviceAdd(KernelContext k, long dev) {
        return of(k).deviceAdd(dev, true);
    }

    /** void device_del(struct device *dev) */
    @KernelSymbol("device_del")
    static void deviceDel(KernelContext k, long dev) {
        Core c = of(k);
        Dev d = c.devices.get(dev);
        if (d != null) {
            c.deviceDel(d);
        }
    }

    /** int device_register(struct device *dev) */
    @KernelSymbol("device_register")
    static int deviceRegister(KernelContext k, long dev) {
        deviceInitialize(k, dev);
        return deviceAdd(k, dev);
    }

    /** void device_unregister(struct device *dev) */
    @KernelSymbol("device_unregister")
    static void deviceUnregister(KernelContext k, long dev) {
        deviceDel(k, dev);
        putDevice(k, dev);
    }

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
        of(k).setName(dev, name);
        int err = of(k).deviceAdd(dev, devtmpfs);
        if (err != 0) {
            putDevice(k, dev);
            return err;
        }
        return dev;
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

    /** {@code class_find_device_by_devt()} without the reference: the first device of {@code cls} with {@code devt}. */
    private long findByDevt(long cls, int devt) {
        Classes.Cls c = Classes.of(k).get(cls);
        if (c != null) {
            for (long dev : c.devices) {
                if (devt(dev) == devt) {
                    return dev;
                }
            }
        }
        return 0;
    }

    /** void device_destroy(const struct class *class, dev_t devt) */
    @KernelSymbol("device_destroy")
    public static void deviceDestroy(KernelContext k, long cls, int devt) {
        long dev = of(k).findByDevt(cls, devt);
        if (dev != 0) {
            deviceUnregister(k, dev);
        }
    }

    /** int device_create_file(struct device *dev, const struct device_attribute *attr) */
    @KernelSymbol("device_create_file")
    static int deviceCreateFile(KernelContext k, long dev, long attr) {
        return dev == 0 ? 0 : Sysfs.sysfsCreateFileNs(k, dev + k.off("device_kobj"), attr, 0);
    }

    /** void device_remove_file(struct device *dev, const struct device_attribute *attr) */
    @KernelSymbol("device_remove_file")
    static void deviceRemoveFile(KernelContext k, long dev, long attr) {
        if (dev != 0) {
            Sysfs.sysfsRemoveFileNs(k, dev + k.off("device_kobj"), attr, 0);
        }
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
        CharDev cd = CharDev.of(k);
        int devt = of(k).devt(dev);
        byte[] b = (Integer.toUnsignedString(cd.major(devt)) + ":" + cd.minor(devt) + "\n")
                .getBytes(StandardCharsets.US_ASCII);
        k.mem().write(buf, b);
        k.mem().write8(buf + b.length, 0);
        return b.length;
    }

    /** static ssize_t uevent_show(struct device *dev, struct device_attribute *attr, char *buf) */
    @KernelSymbol(value = "uevent_show", internal = true)
    static long ueventShow(KernelContext k, long dev, long attr, long buf) {
        AddressSpace m = k.mem();
        // dev_uevent_filter(): only devices of a bus or class have uevents
        if (m.read64(dev + k.off("device_bus")) == 0 && m.read64(dev + k.off("device_class")) == 0) {
            return 0;
        }
        long env = k.slab().kmalloc(k.off("kobj_uevent_env_sizeof"), 0x100 | 0xcc0);
        if (env == 0) {
            return -Errno.ENOMEM;
        }
        try {
            if (of(k).devUevent(dev, env) != 0) {
                return 0;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int n = m.read32(env + k.off("kobj_uevent_env_envp_idx"));
            for (int i = 0; i < n; i++) {
                long var = m.read64(env + k.off("kobj_uevent_env_envp") + 8L * i);
                out.writeBytes(m.readCBytes(var, 4096));
                out.write('\n');
            }
            byte[] b = out.toByteArray();
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
        String path = Sysfs.path(k, dev + k.off("device_kobj"));
        long rc = Sysfs.synthUevent(k, path == null ? "unknown device" : path.substring(4),
                k.mem().read(buf, (int) count));
        if (rc < 0) {
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
            long type = m.read64(dev + k.off("device_type"));
            long typeDevnode = type == 0 ? 0 : m.read64(type + k.off("device_type_devnode"));
            if (typeDevnode != 0) {
                tmp = k.call(typeDevnode, dev, scratch, scratch + 4, scratch + 8);
            }
            long cls = m.read64(dev + k.off("device_class"));
            long clsDevnode = cls == 0 ? 0 : m.read64(cls + k.off("class_devnode"));
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

    /** {@code dev_uevent()}: the device's uevent variables into {@code env}; the last callback error. */
    private int devUevent(long dev, long env) {
        AddressSpace m = mem();
        int devt = devt(dev);
        CharDev cd = CharDev.of(k);
        if (cd.major(devt) != 0) {
            addUeventVar(env, "MAJOR=" + Integer.toUnsignedString(cd.major(devt)));
            addUeventVar(env, "MINOR=" + cd.minor(devt));
            Devnode node = devnode(dev);
            if (node != null) {
                addUeventVar(env, "DEVNAME=" + node.name());
                if (node.mode() != 0) {
                    addUeventVar(env, "DEVMODE=0" + Integer.toOctalString(node.mode() & 0777));
                }
                if (node.uid() != 0) {
                    addUeventVar(env, "DEVUID=" + Integer.toUnsignedString(node.uid()));
                }
                if (node.gid() != 0) {
                    addUeventVar(env, "DEVGID=" + Integer.toUnsignedString(node.gid()));
                }
            }
        }
        long type = m.read64(dev + k.off("device_type"));
        if (type != 0 && m.read64(type + k.off("device_type_name")) != 0) {
            addUeventVar(env, "DEVTYPE=" + str(m.read64(type + k.off("device_type_name"))));
        }
        long drv = m.read64(dev + k.off("device_driver"));
        if (drv != 0) {
            addUeventVar(env, "DRIVER=" + str(m.read64(drv + k.off("device_driver_name"))));
        }
        int retval = 0;
        long cls = m.read64(dev + k.off("device_class"));
        long clsUevent = cls == 0 ? 0 : m.read64(cls + k.off("class_dev_uevent"));
        if (clsUevent != 0) {
            retval = (int) k.call(clsUevent, dev, env);
        }
        long typeUevent = type == 0 ? 0 : m.read64(type + k.off("device_type_uevent"));
        if (typeUevent != 0) {
            retval = (int) k.call(typeUevent, dev, env);
        }
        return retval;
    }

    /** {@code add_uevent_var()} of text already formatted. */
    private int addUeventVar(long env, String text) {
        return addUeventVar(env, text.getBytes(StandardCharsets.UTF_8));
    }

    private int addUeventVar(long env, byte[] text) {
        AddressSpace m = mem();
        int idxAt = k.off("kobj_uevent_env_envp_idx");
        int lenAt = k.off("kobj_uevent_env_buflen");
        int idx = m.read32(env + idxAt);
        if (idx >= k.off("UEVENT_NUM_ENVP")) {
            Oops.warn(k, "lib/kobject_uevent.c:675", "add_uevent_var", "add_uevent_var: too many keys");
            return -Errno.ENOMEM;
        }
        int buflen = m.read32(env + lenAt);
        int room = k.off("UEVENT_BUFFER_SIZE") - buflen;
        long at = env + k.off("kobj_uevent_env_buf") + buflen;
        int n = Math.min(text.length, room - 1);
        m.write(at, text, 0, Math.max(n, 0));
        if (room > 0) {
            m.write8(at + Math.max(n, 0), 0);
        }
        if (text.length >= room) {
            Oops.warn(k, "lib/kobject_uevent.c:686", "add_uevent_var", "add_uevent_var: buffer size too small");
            return -Errno.ENOMEM;
        }
        m.write64(env + k.off("kobj_uevent_env_envp") + 8L * idx, at);
        m.write32(env + idxAt, idx + 1);
        m.write32(env + lenAt, buflen + text.length + 1);
        return 0;
    }

    /** int add_uevent_var(struct kobj_uevent_env *env, const char *format, ...) */
    @KernelSymbol("add_uevent_var")
    static int addUeventVar(KernelContext k, long env, long format, VaList args) {
        return of(k).addUeventVar(env, Printk.format(k, format, args));
    }

    // ---------------------------------------------------------------- dev_printk

    /** {@code dev_driver_string()}: the driver's, bus's or class's name, as a guest string. */
    private long driverString(long dev) {
        AddressSpace m = mem();
        long drv = m.read64(dev + k.off("device_driver"));
        if (drv != 0) {
            return m.read64(drv + k.off("device_driver_name"));
        }
        long bus = m.read64(dev + k.off("device_bus"));
        if (bus != 0) {
            return m.read64(bus + k.off("bus_type_name"));
        }
        long cls = m.read64(dev + k.off("device_class"));
        return cls != 0 ? m.read64(cls + k.off("class_name")) : k.sym("dev_driver_string_none");
    }

    /** const char *dev_driver_string(const struct device *dev) */
    @KernelSymbol("dev_driver_string")
    static long devDriverString(KernelContext k, long dev) {
        return of(k).driverString(dev);
    }

    /**
     * {@code __dev_printk()}: "DRIVER NAME: message" at {@code level} (or "(NULL device *): ..."),
     * attributed to the calling module; a level outside 0..7 is the default one.
     */
    private int devPrintk(int level, long dev, byte[] message) {
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
        out.writeBytes(message);
        return Printk.emit(k, level, out.toByteArray());
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

    /** void _dev_printk(const char *level, const struct device *dev, const char *fmt, ...) */
    @KernelSymbol("_dev_printk")
    static void devPrintk(KernelContext k, long level, long dev, long fmt, VaList args) {
        byte[] l = k.mem().readCBytes(level, 3);
        int lv = l.length >= 2 && l[0] == 1 && l[1] >= '0' && l[1] <= '7' ? l[1] - '0' : -1;
        of(k).devPrintk(lv, dev, Printk.format(k, fmt, args));
    }

    /** int dev_printk_emit(int level, const struct device *dev, const char *fmt, ...) */
    @KernelSymbol("dev_printk_emit")
    static int devPrintkEmit(KernelContext k, int level, long dev, long fmt, VaList args) {
        return devVprintkEmit(k, level, dev, fmt, args);
    }

    /** int dev_vprintk_emit(int level, const struct device *dev, const char *fmt, va_list args) */
    @KernelSymbol("dev_vprintk_emit")
    static int devVprintkEmitList(KernelContext k, int level, long dev, long fmt, long args) {
        return devVprintkEmit(k, level, dev, fmt, new GuestVaList(k.mem(), args));
    }

    private static int devVprintkEmit(KernelContext k, int level, long dev, long fmt, VaList args) {
        return Printk.emit(k, level, Printk.format(k, fmt, args));
    }
}
