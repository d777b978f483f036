package dev.kmodemu.kstubs.drivers.base;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.fs.Sysfs;
import dev.kmodemu.kstubs.kernel.Oops;
import dev.kmodemu.kstubs.kernel.Resource;
import dev.kmodemu.kstubs.lib.KobjectUevent;
import dev.kmodemu.kstubs.printk.Printk;

import java.nio.charset.StandardCharsets;
import java.util.BitSet;

/**
 * drivers/base/platform.c: the platform bus ({@code platform_bus_type}, /sys/devices/platform)
 * with the kernel's match ({@code driver_override}, then the driver's id table, then the name;
 * this machine has no device tree or ACPI to match by), uevent (MODALIAS=platform:NAME), probe
 * and remove, and the device attributes {@code modalias} and {@code driver_override}; platform
 * devices (allocated with their name after them, numbered ".ID" or ".ID.auto", resources claimed
 * in the I/O port and memory trees) and drivers, and the resource and IRQ lookups.
 *
 * <p>The machine has no platform devices of its own, so only those modules register exist; of the
 * kernel's automatic ids, 0 is taken (by alarmtimer.0.auto on Debian's kernel), so modules get
 * ".1.auto" on as there. Platform devices created with software-node {@code properties} get none:
 * kmodemu has no software nodes.
 */
public final class Platform {
    private final KernelContext k;
    /** {@code platform_devid_ida}. */
    private final BitSet autoIds = new BitSet();

    private Platform(KernelContext k) {
        this.k = k;
        autoIds.set(0);
    }

    static Platform of(KernelContext k) {
        return k.state(Platform.class, () -> new Platform(k));
    }

    /** {@code platform_bus_init()}: the platform_bus device, then the bus. */
    static void boot(KernelContext k) {
        long bus = k.sym("platform_bus");
        Core.deviceRegister(k, bus);
        int err = Bus.busRegister(k, k.sym("platform_bus_type"));
        if (err != 0) {
            throw new IllegalStateException("platform bus: " + err);
        }
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

    private long pdev(long dev) {
        return dev - k.off("platform_device_dev");
    }

    private long dev(long pdev) {
        return pdev + k.off("platform_device_dev");
    }

    private long pdrv(long drv) {
        return drv - k.off("platform_driver_driver");
    }

    private static boolean isErrOrNull(long p) {
        return p == 0 || Long.compareUnsigned(p, -4095L) >= 0;
    }

    // ---------------------------------------------------------------- the bus

    /** {@code struct device platform_bus = { .init_name = "platform" }}. */
    @KernelData(value = "platform_bus", sizeOf = "device_sizeof")
    static void platformBus(KernelContext k, long at) {
        k.mem().pokeLong(at + k.off("device_init_name"), k.sym("platform_names"));
    }

    /** The names of the platform bus: "platform", then the attributes' names. */
    @KernelData(value = "platform_names", section = Machine.Section.RODATA, size = 16)
    static void platformNames(KernelContext k, long at) {
        k.mem().poke(at, "platform\0".getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code struct bus_type platform_bus_type}. */
    @KernelData(value = "platform_bus_type", sizeOf = "bus_type_sizeof")
    static void platformBusType(KernelContext k, long at) {
        k.mem().pokeLong(at + k.off("bus_type_name"), k.sym("platform_names"));
        k.mem().pokeLong(at + k.off("bus_type_dev_groups"), k.sym("platform_dev_groups"));
        k.mem().pokeLong(at + k.off("bus_type_match"), k.sym("platform_match"));
        k.mem().pokeLong(at + k.off("bus_type_uevent"), k.sym("platform_uevent"));
        k.mem().pokeLong(at + k.off("bus_type_probe"), k.sym("platform_probe"));
        k.mem().pokeLong(at + k.off("bus_type_remove"), k.sym("platform_remove"));
        k.mem().pokeLong(at + k.off("bus_type_shutdown"), k.sym("platform_shutdown"));
        k.mem().pokeLong(at + k.off("bus_type_dma_configure"), k.sym("platform_dma_configure"));
        k.mem().pokeLong(at + k.off("bus_type_dma_cleanup"), k.sym("platform_dma_cleanup"));
        k.mem().pokeLong(at + k.off("bus_type_pm"), k.sym("platform_dev_pm_ops"));
    }

    /**
     * {@code static const struct dev_pm_ops platform_dev_pm_ops}: the runtime callbacks are the
     * generic ones, which call the driver's; the system sleep ones are left out (no system sleep).
     */
    @KernelData(value = "platform_dev_pm_ops", section = Machine.Section.RODATA, sizeOf = "dev_pm_ops_sizeof")
    static void platformDevPmOps(KernelContext k, long at) {
        k.mem().pokeLong(at + k.off("dev_pm_ops_runtime_suspend"), k.sym("pm_generic_runtime_suspend"));
        k.mem().pokeLong(at + k.off("dev_pm_ops_runtime_resume"), k.sym("pm_generic_runtime_resume"));
    }

    /**
     * {@code platform_dev_groups}: one group of modalias, numa_node (hidden for a device without a
     * node, which all are here) and driver_override.
     */
    @KernelData(value = "platform_dev_groups", section = Machine.Section.RODATA, size = 512)
    static void platformDevGroups(KernelContext k, long at) {
        Sysfs.kernelAttributeGroups(k, at, "platform_dev_attrs_visible", "device_attribute", new String[][] {
            {"modalias", "0444", "platform_modalias_show", null},
            {"numa_node", "0444", "platform_numa_node_show", null},
            {"driver_override", "0644", "driver_override_show", "driver_override_store"}});
    }

    /** static umode_t platform_dev_attrs_visible(struct kobject *kobj, struct attribute *a, int n) */
    @KernelSymbol(value = "platform_dev_attrs_visible", internal = true)
    static int platformDevAttrsVisible(KernelContext k, long kobj, long a, int n) {
        long dev = kobj - k.off("device_kobj");
        int mode = k.mem().read16(a + k.off("attribute_mode")) & 0xffff;
        if (n == 1 && k.mem().read32(dev + k.off("device_numa_node")) == k.off("NUMA_NO_NODE")) {
            return 0;
        }
        return mode;
    }

    private static long emit(KernelContext k, long buf, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(b.length, 4095);
        k.mem().write(buf, b, 0, n);
        k.mem().write8(buf + n, 0);
        return n;
    }

    /** static ssize_t modalias_show(struct device *dev, struct device_attribute *attr, char *buf) */
    @KernelSymbol(value = "platform_modalias_show", internal = true)
    static long modaliasShow(KernelContext k, long dev, long attr, long buf) {
        Platform p = of(k);
        return emit(k, buf, "platform:" + p.str(p.field(p.pdev(dev), "platform_device_name")) + "\n");
    }

    /** static ssize_t numa_node_show(struct device *dev, struct device_attribute *attr, char *buf) */
    @KernelSymbol(value = "platform_numa_node_show", internal = true)
    static long numaNodeShow(KernelContext k, long dev, long attr, long buf) {
        return emit(k, buf, k.mem().read32(dev + k.off("device_numa_node")) + "\n");
    }

    /** static ssize_t driver_override_show(struct device *dev, struct device_attribute *attr, char *buf) */
    @KernelSymbol(value = "driver_override_show", internal = true)
    static long driverOverrideShow(KernelContext k, long dev, long attr, long buf) {
        Platform p = of(k);
        Core.of(k).lock(dev);
        String s = p.str(p.field(p.pdev(dev), "platform_device_driver_override"));
        Core.of(k).unlock(dev);
        return emit(k, buf, (s == null ? "(null)" : s) + "\n");
    }

    /** static ssize_t driver_override_store(struct device *dev, struct device_attribute *attr, const char *buf, size_t count) */
    @KernelSymbol(value = "driver_override_store", internal = true)
    static long driverOverrideStore(KernelContext k, long dev, long attr, long buf, long count) {
        Platform p = of(k);
        int ret = driverSetOverride(k, dev, p.pdev(dev) + k.off("platform_device_driver_override"), buf, count);
        return ret != 0 ? ret : count;
    }

    /**
     * int driver_set_override(struct device *dev, const char **override, const char *s, size_t len)
     * (drivers/base/driver.c): up to the first newline; "" or "\n" clears it.
     */
    @KernelSymbol("driver_set_override")
    static int driverSetOverride(KernelContext k, long dev, long override, long s, long len) {
        if (override == 0 || s == 0 || Long.compareUnsigned(len, 4096 - 1) >= 0) {
            return -Errno.EINVAL;
        }
        AddressSpace m = k.mem();
        byte[] b = m.readCBytes(s, (int) len);
        Core c = Core.of(k);
        long old;
        if (b.length == 0) {
            c.lock(dev);
            old = m.read64(override);
            m.write64(override, 0);
            c.unlock(dev);
            k.slab().kfree(old);
            return 0;
        }
        int nl = -1;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\n') {
                nl = i;
                break;
            }
        }
        int n = nl < 0 ? b.length : nl;
        long nw = k.slab().kmalloc(n + 1, 0xcc0);
        if (nw == 0) {
            return -Errno.ENOMEM;
        }
        m.write(nw, b, 0, n);
        m.write8(nw + n, 0);
        c.lock(dev);
        old = m.read64(override);
        if (nl != 0) {
            m.write64(override, nw);
        } else {
            k.slab().kfree(nw);
            m.write64(override, 0);
        }
        c.unlock(dev);
        k.slab().kfree(old);
        return 0;
    }

    /** {@code platform_match_id()}: the id table entry named as the device (recorded in id_entry), or 0. */
    private long matchId(long id, long pdev) {
        String name = str(field(pdev, "platform_device_name"));
        int size = k.off("platform_device_id_sizeof");
        for (long e = id; mem().read8(e + k.off("platform_device_id_name")) != 0; e += size) {
            if (mem().readCString(e + k.off("platform_device_id_name"), k.off("PLATFORM_NAME_SIZE")).equals(name)) {
                mem().write64(pdev + k.off("platform_device_id_entry"), e);
                return e;
            }
        }
        return 0;
    }

    /** static int platform_match(struct device *dev, struct device_driver *drv) */
    @KernelSymbol(value = "platform_match", internal = true)
    static int platformMatch(KernelContext k, long dev, long drv) {
        Platform p = of(k);
        long pdev = p.pdev(dev);
        long pdrv = p.pdrv(drv);
        long override = p.field(pdev, "platform_device_driver_override");
        if (override != 0) {
            return p.str(override).equals(p.str(p.field(drv, "device_driver_name"))) ? 1 : 0;
        }
        long ids = p.field(pdrv, "platform_driver_id_table");
        if (ids != 0) {
            return p.matchId(ids, pdev) != 0 ? 1 : 0;
        }
        return p.str(p.field(pdev, "platform_device_name")).equals(p.str(p.field(drv, "device_driver_name"))) ? 1 : 0;
    }

    /** static int platform_uevent(struct device *dev, struct kobj_uevent_env *env) */
    @KernelSymbol(value = "platform_uevent", internal = true)
    static int platformUevent(KernelContext k, long dev, long env) {
        Platform p = of(k);
        KobjectUevent.add(k, env, "MODALIAS=platform:"
                + p.str(p.field(p.pdev(dev), "platform_device_name")));
        return 0;
    }

    /** static int platform_probe(struct device *_dev) */
    @KernelSymbol(value = "platform_probe", internal = true)
    static int platformProbe(KernelContext k, long dev) {
        Platform p = of(k);
        long pdrv = p.pdrv(p.field(dev, "device_driver"));
        long probe = p.field(pdrv, "platform_driver_probe");
        if (probe == k.sym("platform_probe_fail")) {
            return -Errno.ENXIO;
        }
        int ret = probe == 0 ? 0 : (int) k.call(probe, p.pdev(dev));
        if (p.mem().read8(pdrv + k.off("platform_driver_prevent_deferred_probe")) != 0
                && ret == -k.off("EPROBE_DEFER")) {
            Core.log(k, 4, dev, "probe deferral not supported\n");
            ret = -Errno.ENXIO;
        }
        return ret;
    }

    /** static void platform_remove(struct device *_dev) */
    @KernelSymbol(value = "platform_remove", internal = true)
    static void platformRemove(KernelContext k, long dev) {
        Platform p = of(k);
        long pdrv = p.pdrv(p.field(dev, "device_driver"));
        long removeNew = p.field(pdrv, "platform_driver_remove_new");
        long remove = p.field(pdrv, "platform_driver_remove");
        if (removeNew != 0) {
            k.call(removeNew, p.pdev(dev));
        } else if (remove != 0) {
            if ((int) k.call(remove, p.pdev(dev)) != 0) {
                Core.log(k, 4, dev, "remove callback returned a non-zero value. This will be ignored.\n");
            }
        }
    }

    /** static void platform_shutdown(struct device *_dev) */
    @KernelSymbol(value = "platform_shutdown", internal = true)
    static void platformShutdown(KernelContext k, long dev) {
        Platform p = of(k);
        long drv = p.field(dev, "device_driver");
        long shutdown = drv == 0 ? 0 : p.field(p.pdrv(drv), "platform_driver_shutdown");
        if (shutdown != 0) {
            k.call(shutdown, p.pdev(dev));
        }
    }

    /**
     * static int platform_dma_configure(struct device *dev): no device tree node, no ACPI
     * companion and no IOMMU group here, so there is nothing to set up.
     */
    @KernelSymbol(value = "platform_dma_configure", internal = true)
    static int platformDmaConfigure(KernelContext k, long dev) {
        return 0;
    }

    /** static void platform_dma_cleanup(struct device *dev): nothing was set up. */
    @KernelSymbol(value = "platform_dma_cleanup", internal = true)
    static void platformDmaCleanup(KernelContext k, long dev) {
    }

    /** static int platform_probe_fail(struct platform_device *pdev) */
    @KernelSymbol(value = "platform_probe_fail", internal = true)
    static int platformProbeFail(KernelContext k, long pdev) {
        return -Errno.ENXIO;
    }

    // ---------------------------------------------------------------- drivers

    /** int __platform_driver_register(struct platform_driver *drv, struct module *owner) */
    @KernelSymbol("__platform_driver_register")
    static int platformDriverRegister(KernelContext k, long pdrv, long owner) {
        long drv = pdrv + k.off("platform_driver_driver");
        k.mem().write64(drv + k.off("device_driver_owner"), owner);
        k.mem().write64(drv + k.off("device_driver_bus"), k.sym("platform_bus_type"));
        return Driver.driverRegister(k, drv);
    }

    /** void platform_driver_unregister(struct platform_driver *drv) */
    @KernelSymbol("platform_driver_unregister")
    static void platformDriverUnregister(KernelContext k, long pdrv) {
        Driver.driverUnregister(k, pdrv + k.off("platform_driver_driver"));
    }

    /**
     * int __platform_driver_probe(struct platform_driver *drv, int (*probe)(struct platform_device *),
     * struct module *module): registered for the devices there are now only (-ENODEV if none).
     */
    @KernelSymbol("__platform_driver_probe")
    static int platformDriverProbe(KernelContext k, long pdrv, long probe, long module) {
        AddressSpace m = k.mem();
        long drv = pdrv + k.off("platform_driver_driver");
        String name = m.readCString(m.read64(drv + k.off("device_driver_name")), 4096);
        if (m.read32(drv + k.off("device_driver_probe_type")) == k.off("PROBE_PREFER_ASYNCHRONOUS")) {
            k.printk(3, name + ": drivers registered with __platform_driver_probe can not be probed asynchronously");
            return -Errno.EINVAL;
        }
        m.write32(drv + k.off("device_driver_probe_type"), k.off("PROBE_FORCE_SYNCHRONOUS"));
        m.write8(pdrv + k.off("platform_driver_prevent_deferred_probe"), (byte) 1);
        m.write8(drv + k.off("device_driver_suppress_bind_attrs"), (byte) 1);
        m.write64(pdrv + k.off("platform_driver_probe"), probe);
        int code = platformDriverRegister(k, pdrv, module);
        if (code != 0) {
            return code;
        }
        m.write64(pdrv + k.off("platform_driver_probe"), k.sym("platform_probe_fail"));
        int retval = Driver.of(k).devices(drv).isEmpty() ? -Errno.ENODEV : 0;
        if (retval != code) {
            platformDriverUnregister(k, pdrv);
        }
        return retval;
    }

    /**
     * int __platform_register_drivers(struct platform_driver * const *drivers, unsigned int count,
     * struct module *owner)
     */
    @KernelSymbol("__platform_register_drivers")
    static int platformRegisterDrivers(KernelContext k, long drivers, int count, long owner) {
        for (int i = 0; i < count; i++) {
            long pdrv = k.mem().read64(drivers + 8L * i);
            int err = platformDriverRegister(k, pdrv, owner);
            if (err < 0) {
                k.printk(3, "failed to register platform driver " + new String(Printk.format(k, "%ps", pdrv),
                        StandardCharsets.UTF_8) + ": " + err);
                while (i-- > 0) {
                    platformDriverUnregister(k, k.mem().read64(drivers + 8L * i));
                }
                return err;
            }
        }
        return 0;
    }

    /** void platform_unregister_drivers(struct platform_driver * const *drivers, unsigned int count) */
    @KernelSymbol("platform_unregister_drivers")
    static void platformUnregisterDrivers(KernelContext k, long drivers, int count) {
        while (count-- > 0) {
            platformDriverUnregister(k, k.mem().read64(drivers + 8L * count));
        }
    }

    // ---------------------------------------------------------------- devices

    /** static void platform_device_release(struct device *dev): the device, its name, data, resources. */
    @KernelSymbol(value = "platform_device_release", internal = true)
    static void platformDeviceRelease(KernelContext k, long dev) {
        Platform p = of(k);
        long pdev = p.pdev(dev);
        k.slab().kfree(p.field(dev, "device_platform_data"));
        k.slab().kfree(p.field(pdev, "platform_device_mfd_cell"));
        k.slab().kfree(p.field(pdev, "platform_device_resource"));
        k.slab().kfree(p.field(pdev, "platform_device_driver_override"));
        k.slab().kfree(pdev);
    }

    /** {@code setup_pdev_dma_masks()}: 32-bit masks unless set. */
    private void setupDmaMasks(long pdev) {
        long dev = dev(pdev);
        mem().write64(dev + k.off("device_dma_parms"), pdev + k.off("platform_device_dma_parms"));
        if (field(dev, "device_coherent_dma_mask") == 0) {
            mem().write64(dev + k.off("device_coherent_dma_mask"), 0xffffffffL);
        }
        if (field(dev, "device_dma_mask") == 0) {
            mem().write64(pdev + k.off("platform_device_platform_dma_mask"), 0xffffffffL);
            mem().write64(dev + k.off("device_dma_mask"), pdev + k.off("platform_device_platform_dma_mask"));
        }
    }

    /** struct platform_device *platform_device_alloc(const char *name, int id) */
    @KernelSymbol("platform_device_alloc")
    static long platformDeviceAlloc(KernelContext k, long name, int id) {
        return of(k).alloc(k.mem().readCBytes(name, 4096), id);
    }

    /** {@code platform_device_alloc()}: a {@code struct platform_object} with the name after the device. */
    private long alloc(byte[] name, int id) {
        int size = k.off("platform_device_sizeof");
        long pa = k.slab().kmalloc(size + name.length + 1, 0x100 | 0xcc0);
        if (pa == 0) {
            return 0;
        }
        mem().write(pa + size, name);
        mem().write64(pa + k.off("platform_device_name"), pa + size);
        mem().write32(pa + k.off("platform_device_id"), id);
        Core.deviceInitialize(k, dev(pa));
        mem().write64(dev(pa) + k.off("device_release"), k.sym("platform_device_release"));
        setupDmaMasks(pa);
        return pa;
    }

    /** int platform_device_add_resources(struct platform_device *pdev, const struct resource *res, unsigned int num) */
    @KernelSymbol("platform_device_add_resources")
    static int platformDeviceAddResources(KernelContext k, long pdev, long res, int num) {
        long r = 0;
        if (res != 0) {
            long size = (long) k.off("resource_sizeof") * Integer.toUnsignedLong(num);
            r = k.slab().kmalloc(size, 0xcc0);
            if (r == 0) {
                return -Errno.ENOMEM;
            }
            k.mem().write(r, k.mem().read(res, (int) size));
        }
        long at = pdev + k.off("platform_device_resource");
        k.slab().kfree(k.mem().read64(at));
        k.mem().write64(at, r);
        k.mem().write32(pdev + k.off("platform_device_num_resources"), num);
        return 0;
    }

    /** int platform_device_add_data(struct platform_device *pdev, const void *data, size_t size) */
    @KernelSymbol("platform_device_add_data")
    static int platformDeviceAddData(KernelContext k, long pdev, long data, long size) {
        long d = 0;
        if (data != 0) {
            d = k.slab().kmalloc(size, 0xcc0);
            if (d == 0) {
                return -Errno.ENOMEM;
            }
            k.mem().write(d, k.mem().read(data, (int) size));
        }
        long at = pdev + k.off("platform_device_dev") + k.off("device_platform_data");
        k.slab().kfree(k.mem().read64(at));
        k.mem().write64(at, d);
        return 0;
    }

    private long resourceAt(long pdev, int i) {
        return field(pdev, "platform_device_resource") + (long) i * k.off("resource_sizeof");
    }

    private int numResources(long pdev) {
        return mem().read32(pdev + k.off("platform_device_num_resources"));
    }

    private long type(long r) {
        return field(r, "resource_flags") & k.off("IORESOURCE_TYPE_BITS");
    }

    /** int platform_device_add(struct platform_device *pdev) */
    @KernelSymbol("platform_device_add")
    static int platformDeviceAdd(KernelContext k, long pdev) {
        return pdev == 0 ? -Errno.EINVAL : of(k).add(pdev);
    }

    private int add(long pdev) {
        AddressSpace m = mem();
        long dev = dev(pdev);
        if (field(dev, "device_parent") == 0) {
            m.write64(dev + k.off("device_parent"), k.sym("platform_bus"));
        }
        m.write64(dev + k.off("device_bus"), k.sym("platform_bus_type"));
        String name = str(field(pdev, "platform_device_name"));
        int id = m.read32(pdev + k.off("platform_device_id"));
        if (id == k.off("PLATFORM_DEVID_NONE")) {
            Core.setName(k, dev, name);
        } else if (id == k.off("PLATFORM_DEVID_AUTO")) {
            int nid = autoIds.nextClearBit(0);
            autoIds.set(nid);
            m.write32(pdev + k.off("platform_device_id"), nid);
            m.write8(pdev + k.off("platform_device_id_auto"), (byte) 1);
            Core.setName(k, dev, name + "." + nid + ".auto");
        } else {
            Core.setName(k, dev, name + "." + id);
        }
        int n = numResources(pdev);
        int i;
        int ret = 0;
        for (i = 0; i < n; i++) {
            long r = resourceAt(pdev, i);
            if (field(r, "resource_name") == 0) {
                m.write64(r + k.off("resource_name"), m.read64(Core.kobj(k, dev) + k.off("kobject_name")));
            }
            long p = field(r, "resource_parent");
            if (p == 0) {
                if (type(r) == k.off("IORESOURCE_MEM")) {
                    p = k.sym("iomem_resource");
                } else if (type(r) == k.off("IORESOURCE_IO")) {
                    p = k.sym("ioport_resource");
                }
            }
            if (p != 0) {
                ret = Resource.insertResource(k, p, r);
                if (ret != 0) {
                    Core.log(k, 3, dev, new String(Printk.format(k, "failed to claim resource %d: %pR\n", i, r),
                            StandardCharsets.UTF_8));
                    break;
                }
            }
        }
        if (ret == 0) {
            ret = Core.of(k).deviceAdd(dev, true);
            if (ret == 0) {
                return 0;
            }
        }
        if (m.read8(pdev + k.off("platform_device_id_auto")) != 0) {
            autoIds.clear(m.read32(pdev + k.off("platform_device_id")));
            m.write32(pdev + k.off("platform_device_id"), k.off("PLATFORM_DEVID_AUTO"));
        }
        while (i-- > 0) {
            long r = resourceAt(pdev, i);
            if (field(r, "resource_parent") != 0) {
                Resource.releaseResource(k, r);
            }
        }
        return ret;
    }

    /** void platform_device_del(struct platform_device *pdev) */
    @KernelSymbol("platform_device_del")
    static void platformDeviceDel(KernelContext k, long pdev) {
        if (isErrOrNull(pdev)) {
            return;
        }
        Platform p = of(k);
        AddressSpace m = k.mem();
        Core.deviceDel(k, p.dev(pdev));
        if (m.read8(pdev + k.off("platform_device_id_auto")) != 0) {
            p.autoIds.clear(m.read32(pdev + k.off("platform_device_id")));
            m.write32(pdev + k.off("platform_device_id"), k.off("PLATFORM_DEVID_AUTO"));
        }
        for (int i = 0; i < p.numResources(pdev); i++) {
            long r = p.resourceAt(pdev, i);
            if (p.field(r, "resource_parent") != 0) {
                Resource.releaseResource(k, r);
            }
        }
    }

    /** void platform_device_put(struct platform_device *pdev) */
    @KernelSymbol("platform_device_put")
    static void platformDevicePut(KernelContext k, long pdev) {
        if (!isErrOrNull(pdev)) {
            Core.putDevice(k, of(k).dev(pdev));
        }
    }

    /** void platform_device_unregister(struct platform_device *pdev) */
    @KernelSymbol("platform_device_unregister")
    static void platformDeviceUnregister(KernelContext k, long pdev) {
        if (isErrOrNull(pdev)) {
            return;
        }
        platformDeviceDel(k, pdev);
        platformDevicePut(k, pdev);
    }

    /** int platform_device_register(struct platform_device *pdev) */
    @KernelSymbol("platform_device_register")
    static int platformDeviceRegister(KernelContext k, long pdev) {
        Platform p = of(k);
        Core.deviceInitialize(k, p.dev(pdev));
        p.setupDmaMasks(pdev);
        return p.add(pdev);
    }

    /** int platform_add_devices(struct platform_device **devs, int num) */
    @KernelSymbol("platform_add_devices")
    static int platformAddDevices(KernelContext k, long devs, int num) {
        for (int i = 0; i < num; i++) {
            int ret = platformDeviceRegister(k, k.mem().read64(devs + 8L * i));
            if (ret != 0) {
                while (--i >= 0) {
                    platformDeviceUnregister(k, k.mem().read64(devs + 8L * i));
                }
                return ret;
            }
        }
        return 0;
    }

    /** struct platform_device *platform_device_register_full(const struct platform_device_info *pdevinfo) */
    @KernelSymbol("platform_device_register_full")
    static long platformDeviceRegisterFull(KernelContext k, long info) {
        Platform p = of(k);
        AddressSpace m = k.mem();
        long name = p.field(info, "platform_device_info_name");
        long pdev = p.alloc(name == 0 ? new byte[0] : m.readCBytes(name, 4096),
                m.read32(info + k.off("platform_device_info_id")));
        if (pdev == 0) {
            return -Errno.ENOMEM;
        }
        long dev = p.dev(pdev);
        m.write64(dev + k.off("device_parent"), p.field(info, "platform_device_info_parent"));
        m.write64(dev + k.off("device_fwnode"), p.field(info, "platform_device_info_fwnode"));
        long dmaMask = p.field(info, "platform_device_info_dma_mask");
        if (dmaMask != 0) {
            m.write64(pdev + k.off("platform_device_platform_dma_mask"), dmaMask);
            m.write64(dev + k.off("device_dma_mask"), pdev + k.off("platform_device_platform_dma_mask"));
            m.write64(dev + k.off("device_coherent_dma_mask"), dmaMask);
        }
        int ret = platformDeviceAddResources(k, pdev, p.field(info, "platform_device_info_res"),
                m.read32(info + k.off("platform_device_info_num_res")));
        if (ret == 0) {
            ret = platformDeviceAddData(k, pdev, p.field(info, "platform_device_info_data"),
                    p.field(info, "platform_device_info_size_data"));
        }
        if (ret == 0) {
            ret = p.add(pdev);
        }
        if (ret != 0) {
            platformDevicePut(k, pdev);
            return ret;
        }
        return pdev;
    }

    // ---------------------------------------------------------------- resources and IRQs

    /** struct resource *platform_get_resource(struct platform_device *dev, unsigned int type, unsigned int num) */
    @KernelSymbol("platform_get_resource")
    static long platformGetResource(KernelContext k, long pdev, int type, int num) {
        Platform p = of(k);
        for (int i = 0; i < p.numResources(pdev); i++) {
            long r = p.resourceAt(pdev, i);
            if (type == p.type(r) && num-- == 0) {
                return r;
            }
        }
        return 0;
    }

    /** struct resource *platform_get_mem_or_io(struct platform_device *dev, unsigned int num) */
    @KernelSymbol("platform_get_mem_or_io")
    static long platformGetMemOrIo(KernelContext k, long pdev, int num) {
        Platform p = of(k);
        long want = k.off("IORESOURCE_MEM") | k.off("IORESOURCE_IO");
        for (int i = 0; i < p.numResources(pdev); i++) {
            long r = p.resourceAt(pdev, i);
            if ((p.type(r) & want) != 0 && num-- == 0) {
                return r;
            }
        }
        return 0;
    }

    /** struct resource *platform_get_resource_byname(struct platform_device *dev, unsigned int type, const char *name) */
    @KernelSymbol("platform_get_resource_byname")
    static long platformGetResourceByname(KernelContext k, long pdev, int type, long name) {
        Platform p = of(k);
        String want = k.mem().readCString(name, 4096);
        for (int i = 0; i < p.numResources(pdev); i++) {
            long r = p.resourceAt(pdev, i);
            long rn = p.field(r, "resource_name");
            if (rn != 0 && type == p.type(r) && want.equals(p.str(rn))) {
                return r;
            }
        }
        return 0;
    }

    /** The IRQ a resource gives: an IRQ with trigger bits must exist (the 16 legacy lines here). */
    private int irqOf(long r) {
        long start = field(r, "resource_start");
        if ((field(r, "resource_flags") & k.off("IORESOURCE_BITS")) != 0
                && Long.compareUnsigned(start, k.off("NR_IRQS_LEGACY")) >= 0) {
            return -Errno.ENXIO;
        }
        return (int) start;
    }

    /** int platform_get_irq_optional(struct platform_device *dev, unsigned int num): -ENXIO if absent. */
    @KernelSymbol("platform_get_irq_optional")
    static int platformGetIrqOptional(KernelContext k, long pdev, int num) {
        long r = platformGetResource(k, pdev, k.off("IORESOURCE_IRQ"), num);
        int ret = r == 0 ? -Errno.ENXIO : of(k).irqOf(r);
        if (ret == 0) {
            Oops.warn(k, "drivers/base/platform.c:236", "platform_get_irq_optional", "0 is an invalid IRQ number");
            return -Errno.EINVAL;
        }
        return ret;
    }

    /** int platform_get_irq(struct platform_device *dev, unsigned int num): "IRQ index N not found" if absent. */
    @KernelSymbol("platform_get_irq")
    static int platformGetIrq(KernelContext k, long pdev, int num) {
        int ret = platformGetIrqOptional(k, pdev, num);
        if (ret < 0) {
            return Core.errProbe(k, of(k).dev(pdev), ret, "IRQ index " + Integer.toUnsignedString(num) + " not found\n");
        }
        return ret;
    }

    /** int platform_irq_count(struct platform_device *dev) */
    @KernelSymbol("platform_irq_count")
    static int platformIrqCount(KernelContext k, long pdev) {
        int nr = 0;
        int ret;
        while ((ret = platformGetIrqOptional(k, pdev, nr)) >= 0) {
            nr++;
        }
        return ret == -k.off("EPROBE_DEFER") ? ret : nr;
    }

    /** {@code __platform_get_irq_byname()}. */
    private int irqByname(long pdev, long name) {
        long r = platformGetResourceByname(k, pdev, k.off("IORESOURCE_IRQ"), name);
        if (r == 0) {
            return -Errno.ENXIO;
        }
        if (field(r, "resource_start") == 0) {
            Oops.warn(k, "drivers/base/platform.c:452", "__platform_get_irq_byname", "0 is an invalid IRQ number");
            return -Errno.EINVAL;
        }
        return (int) field(r, "resource_start");
    }

    /** int platform_get_irq_byname(struct platform_device *dev, const char *name) */
    @KernelSymbol("platform_get_irq_byname")
    static int platformGetIrqByname(KernelContext k, long pdev, long name) {
        Platform p = of(k);
        int ret = p.irqByname(pdev, name);
        if (ret < 0) {
            return Core.errProbe(k, p.dev(pdev), ret, "IRQ " + k.mem().readCString(name, 4096) + " not found\n");
        }
        return ret;
    }

    /** int platform_get_irq_byname_optional(struct platform_device *dev, const char *name) */
    @KernelSymbol("platform_get_irq_byname_optional")
    static int platformGetIrqBynameOptional(KernelContext k, long pdev, long name) {
        return of(k).irqByname(pdev, name);
    }

    /** struct device *platform_find_device_by_driver(struct device *start, const struct device_driver *drv) */
    @KernelSymbol("platform_find_device_by_driver")
    static long platformFindDeviceByDriver(KernelContext k, long start, long drv) {
        Bus.B b = Bus.of(k).get(k.sym("platform_bus_type"));
        java.util.List<Long> devs = new java.util.ArrayList<>(b.devices);
        int i = start == 0 ? -1 : devs.indexOf(start);
        for (long dev : devs.subList(i + 1, devs.size())) {
            if (b.devices.contains(dev) && platformMatch(k, dev, drv) != 0) {
                return Core.getDevice(k, dev);
            }
        }
        return 0;
    }
}
