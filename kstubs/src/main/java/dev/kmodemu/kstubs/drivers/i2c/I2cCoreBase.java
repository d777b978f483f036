package dev.kmodemu.kstubs.drivers.i2c;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.drivers.base.Bus;
import dev.kmodemu.kstubs.drivers.base.Classes;
import dev.kmodemu.kstubs.drivers.base.Core;
import dev.kmodemu.kstubs.drivers.base.Devres;
import dev.kmodemu.kstubs.drivers.base.Driver;
import dev.kmodemu.kstubs.drivers.base.power.Runtime;
import dev.kmodemu.kstubs.fs.Sysfs;
import dev.kmodemu.kstubs.kernel.Oops;
import dev.kmodemu.kstubs.lib.Kobject;
import dev.kmodemu.kstubs.lib.KobjectUevent;
import dev.kmodemu.kstubs.locking.RtMutex;
import dev.kmodemu.kstubs.sched.Completion;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * drivers/i2c/i2c-core-base.c: the I2C bus of a machine without I2C hardware of its own. The bus
 * and the core's "dummy" driver exist from boot (/sys/bus/i2c, /sys/class/i2c-adapter); adapters
 * are those modules register ({@code i2c_add_adapter()}: numbered from 0 as on Debian's kernel in
 * QEMU, which has none at boot; the bus lock of the default lock operations; the "name",
 * "new_device" and "delete_device" files; the i2c-adapter compatibility link; every driver's
 * {@code detect()} run over its address list, probing addresses with SMBus quick or read-byte
 * transfers on the adapter). Clients are {@code struct i2c_client}s on the bus (named BUS-ADDR,
 * matched by the driver's id table, probed inside a devres group), and transfers go through the
 * adapter's own algorithm with the kernel's checks, quirks and retries. Not modelled: device-tree
 * and ACPI matching and enumeration (the machine has neither), Host Notify IRQs, bus recovery
 * through GPIOs, the i2c debugfs directories and tracepoints.
 */
public final class I2cCoreBase {
    /** i2c-core-base.c's private {@code I2C_ADDR_OFFSET_TEN_BIT} and {@code I2C_ADDR_OFFSET_SLAVE}. */
    private static final int ADDR_OFFSET_TEN_BIT = 0xa000;
    private static final int ADDR_OFFSET_SLAVE = 0x1000;

    private final KernelContext k;
    /** {@code i2c_adapter_idr}: bus number to adapter (0 while being registered). */
    private final TreeMap<Integer, Long> adapters = new TreeMap<>();
    private long compatClass;

    private I2cCoreBase(KernelContext k) {
        this.k = k;
    }

    static I2cCoreBase of(KernelContext k) {
        return k.state(I2cCoreBase.class, () -> new I2cCoreBase(k));
    }

    /** {@code i2c_init()}: the bus, the "i2c-adapter" compatibility class, the dummy driver. */
    public static void boot(KernelContext k) {
        I2cCoreBase c = of(k);
        int err = Bus.busRegister(k, k.sym("i2c_bus_type"));
        c.compatClass = Kobject.createAndAdd(k, "i2c-adapter", Classes.classKobj(k));
        if (err == 0) {
            err = i2cRegisterDriver(k, 0, k.sym("i2c_dummy_driver"));
        }
        if (err != 0 || c.compatClass == 0) {
            throw new IllegalStateException("i2c bus: " + err);
        }
    }

    private AddressSpace mem() {
        return k.mem();
    }

    private long field(long p, String name) {
        return mem().read64(p + k.off(name));
    }

    private String str(long p, int max) {
        return mem().readCString(p, max);
    }

    private long dev(long p, String devField) {
        return p + k.off(devField);
    }

    /** {@code to_i2c_client()}. */
    private long client(long dev) {
        return dev - k.off("i2c_client_dev");
    }

    /** {@code to_i2c_adapter()}. */
    private long adapter(long dev) {
        return dev - k.off("i2c_adapter_dev");
    }

    private long driverOf(long drv) {
        return drv - k.off("i2c_driver_driver");
    }

    private boolean isClient(long dev) {
        return field(dev, "device_type") == k.sym("i2c_client_type");
    }

    private boolean isAdapter(long dev) {
        return field(dev, "device_type") == k.sym("i2c_adapter_type");
    }

    private String clientName(long client) {
        return str(client + k.off("i2c_client_name"), k.off("I2C_NAME_SIZE"));
    }

    private String adapterName(long adap) {
        return str(adap + k.off("i2c_adapter_name"), k.off("I2C_ADAPTER_NAME_SIZE"));
    }

    private int addr(long client) {
        return mem().read16(client + k.off("i2c_client_addr")) & 0xffff;
    }

    private int clientFlags(long client) {
        return mem().read16(client + k.off("i2c_client_flags")) & 0xffff;
    }

    private int nr(long adap) {
        return mem().read32(adap + k.off("i2c_adapter_nr"));
    }

    // ---------------------------------------------------------------- kernel data

    /** {@code struct bus_type i2c_bus_type}. */
    @KernelData(value = "i2c_bus_type", sizeOf = "bus_type_sizeof")
    static void i2cBusType(KernelContext k, long at) {
        k.mem().pokeLong(at + k.off("bus_type_name"), k.sym("i2c_names"));
        k.mem().pokeLong(at + k.off("bus_type_match"), k.sym("i2c_device_match"));
        k.mem().pokeLong(at + k.off("bus_type_probe"), k.sym("i2c_device_probe"));
        k.mem().pokeLong(at + k.off("bus_type_remove"), k.sym("i2c_device_remove"));
        k.mem().pokeLong(at + k.off("bus_type_shutdown"), k.sym("i2c_device_shutdown"));
    }

    /** "i2c", "dummy", "smbus_host_notify": the bus's and the dummy driver's names. */
    @KernelData(value = "i2c_names", section = Machine.Section.RODATA, size = 32)
    static void i2cNames(KernelContext k, long at) {
        k.mem().poke(at, "i2c\0dummy\0".getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code struct device_type i2c_adapter_type}: name, new_device, delete_device. */
    @KernelData(value = "i2c_adapter_type", sizeOf = "device_type_sizeof")
    static void i2cAdapterType(KernelContext k, long at) {
        k.mem().pokeLong(at + k.off("device_type_groups"), k.sym("i2c_adapter_groups"));
        k.mem().pokeLong(at + k.off("device_type_release"), k.sym("i2c_adapter_dev_release"));
    }

    /** {@code struct device_type i2c_client_type}: name, modalias. */
    @KernelData(value = "i2c_client_type", sizeOf = "device_type_sizeof")
    static void i2cClientType(KernelContext k, long at) {
        k.mem().pokeLong(at + k.off("device_type_groups"), k.sym("i2c_dev_groups"));
        k.mem().pokeLong(at + k.off("device_type_uevent"), k.sym("i2c_device_uevent"));
        k.mem().pokeLong(at + k.off("device_type_release"), k.sym("i2c_client_dev_release"));
    }

    @KernelData(value = "i2c_adapter_groups", section = Machine.Section.RODATA, size = 384)
    static void i2cAdapterGroups(KernelContext k, long at) {
        Sysfs.kernelAttributeGroups(k, at, null, "device_attribute", new String[][] {
            {"name", "0444", "i2c_name_show", null},
            {"new_device", "0200", null, "i2c_new_device_store"},
            {"delete_device", "0200", null, "i2c_delete_device_store"}});
    }

    @KernelData(value = "i2c_dev_groups", section = Machine.Section.RODATA, size = 320)
    static void i2cDevGroups(KernelContext k, long at) {
        Sysfs.kernelAttributeGroups(k, at, null, "device_attribute", new String[][] {
            {"name", "0444", "i2c_name_show", null},
            {"modalias", "0444", "i2c_modalias_show", null}});
    }

    /** {@code static const struct i2c_lock_operations i2c_adapter_lock_ops}. */
    @KernelData(value = "i2c_adapter_lock_ops", section = Machine.Section.RODATA, sizeOf = "i2c_lock_operations_sizeof")
    static void i2cAdapterLockOps(KernelContext k, long at) {
        k.mem().pokeLong(at + k.off("i2c_lock_operations_lock_bus"), k.sym("i2c_adapter_lock_bus"));
        k.mem().pokeLong(at + k.off("i2c_lock_operations_trylock_bus"), k.sym("i2c_adapter_trylock_bus"));
        k.mem().pokeLong(at + k.off("i2c_lock_operations_unlock_bus"), k.sym("i2c_adapter_unlock_bus"));
    }

    /** {@code static struct i2c_driver dummy_driver}, followed by its {@code dummy_id[]} table. */
    @KernelData(value = "i2c_dummy_driver", size = 512)
    static void i2cDummyDriver(KernelContext k, long at) {
        long drv = at + k.off("i2c_driver_driver");
        long ids = at + 256;
        int idSize = k.off("i2c_device_id_sizeof");
        k.mem().pokeLong(drv + k.off("device_driver_name"), k.sym("i2c_names") + 4);
        k.mem().pokeLong(at + k.off("i2c_driver_probe"), k.sym("i2c_dummy_probe"));
        k.mem().pokeLong(at + k.off("i2c_driver_id_table"), ids);
        k.mem().poke(ids, "dummy\0".getBytes(StandardCharsets.US_ASCII));
        k.mem().poke(ids + idSize, "smbus_host_notify\0".getBytes(StandardCharsets.US_ASCII));
    }

    /** static int dummy_probe(struct i2c_client *client, const struct i2c_device_id *id) */
    @KernelSymbol(value = "i2c_dummy_probe", internal = true)
    static int dummyProbe(KernelContext k, long client, long id) {
        return 0;
    }

    // ---------------------------------------------------------------- the bus

    /** const struct i2c_device_id *i2c_match_id(const struct i2c_device_id *id, const struct i2c_client *client) */
    @KernelSymbol("i2c_match_id")
    static long i2cMatchId(KernelContext k, long id, long client) {
        if (id == 0 || client == 0) {
            return 0;
        }
        I2cCoreBase c = of(k);
        String name = c.clientName(client);
        int size = k.off("i2c_device_id_sizeof");
        for (long e = id; c.mem().read8(e) != 0; e += size) {
            if (c.str(e, k.off("I2C_NAME_SIZE")).equals(name)) {
                return e;
            }
        }
        return 0;
    }

    /** static int i2c_device_match(struct device *dev, struct device_driver *drv): by id table. */
    @KernelSymbol(value = "i2c_device_match", internal = true)
    static int i2cDeviceMatch(KernelContext k, long dev, long drv) {
        I2cCoreBase c = of(k);
        long client = c.isClient(dev) ? c.client(dev) : 0;
        return i2cMatchId(k, c.field(c.driverOf(drv), "i2c_driver_id_table"), client) != 0 ? 1 : 0;
    }

    /** static int i2c_device_uevent(struct device *dev, struct kobj_uevent_env *env) */
    @KernelSymbol(value = "i2c_device_uevent", internal = true)
    static int i2cDeviceUevent(KernelContext k, long dev, long env) {
        I2cCoreBase c = of(k);
        return KobjectUevent.add(k, env, "MODALIAS=i2c:" + c.clientName(c.client(dev)));
    }

    /**
     * static int i2c_device_probe(struct device *dev): the client's IRQ (its init_irq; no firmware
     * to take one from), then the driver's probe_new() or probe() inside a devres group that is
     * released if it fails.
     */
    @KernelSymbol(value = "i2c_device_probe", internal = true)
    static int i2cDeviceProbe(KernelContext k, long dev) {
        I2cCoreBase c = of(k);
        if (!c.isClient(dev)) {
            return 0;
        }
        AddressSpace m = k.mem();
        long client = c.client(dev);
        m.write32(client + k.off("i2c_client_irq"), m.read32(client + k.off("i2c_client_init_irq")));
        long driver = c.driverOf(c.field(dev, "device_driver"));
        if (c.field(driver, "i2c_driver_id_table") == 0) {
            return -Errno.ENODEV;
        }
        long group = Devres.openGroup(k, dev, 0);
        m.write64(client + k.off("i2c_client_devres_group_id"), group);
        if (group == 0) {
            return -Errno.ENOMEM;
        }
        int status;
        long probeNew = c.field(driver, "i2c_driver_probe_new");
        long probe = c.field(driver, "i2c_driver_probe");
        if (probeNew != 0) {
            status = (int) k.call(probeNew, client);
        } else if (probe != 0) {
            status = (int) k.call(probe, client, i2cMatchId(k, c.field(driver, "i2c_driver_id_table"), client));
        } else {
            status = -Errno.EINVAL;
        }
        if (status != 0) {
            Devres.releaseGroup(k, dev, group);
        }
        return status;
    }

    /** static void i2c_device_remove(struct device *dev) */
    @KernelSymbol(value = "i2c_device_remove", internal = true)
    static void i2cDeviceRemove(KernelContext k, long dev) {
        I2cCoreBase c = of(k);
        long client = c.client(dev);
        long driver = c.driverOf(c.field(dev, "device_driver"));
        long remove = c.field(driver, "i2c_driver_remove");
        if (remove != 0) {
            k.call(remove, client);
        }
        Devres.releaseGroup(k, dev, c.field(client, "i2c_client_devres_group_id"));
        c.mem().write32(client + k.off("i2c_client_irq"), 0);
    }

    /** static void i2c_device_shutdown(struct device *dev) */
    @KernelSymbol(value = "i2c_device_shutdown", internal = true)
    static void i2cDeviceShutdown(KernelContext k, long dev) {
        I2cCoreBase c = of(k);
        long drv = c.field(dev, "device_driver");
        if (!c.isClient(dev) || drv == 0) {
            return;
        }
        long shutdown = c.field(c.driverOf(drv), "i2c_driver_shutdown");
        if (shutdown != 0) {
            k.call(shutdown, c.client(dev));
        }
    }

    private static long emit(KernelContext k, long buf, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        k.mem().write(buf, b);
        k.mem().write8(buf + b.length, 0);
        return b.length;
    }

    /** static ssize_t name_show(struct device *dev, struct device_attribute *attr, char *buf) */
    @KernelSymbol(value = "i2c_name_show", internal = true)
    static long nameShow(KernelContext k, long dev, long attr, long buf) {
        I2cCoreBase c = of(k);
        return emit(k, buf, (c.isClient(dev) ? c.clientName(c.client(dev)) : c.adapterName(c.adapter(dev))) + "\n");
    }

    /** static ssize_t modalias_show(struct device *dev, struct device_attribute *attr, char *buf) */
    @KernelSymbol(value = "i2c_modalias_show", internal = true)
    static long modaliasShow(KernelContext k, long dev, long attr, long buf) {
        I2cCoreBase c = of(k);
        return emit(k, buf, "i2c:" + c.clientName(c.client(dev)) + "\n");
    }

    // ---------------------------------------------------------------- drivers

    /** int i2c_register_driver(struct module *owner, struct i2c_driver *driver) */
    @KernelSymbol("i2c_register_driver")
    static int i2cRegisterDriver(KernelContext k, long owner, long driver) {
        I2cCoreBase c = of(k);
        AddressSpace m = k.mem();
        long drv = driver + k.off("i2c_driver_driver");
        m.write64(drv + k.off("device_driver_owner"), owner);
        m.write64(drv + k.off("device_driver_bus"), k.sym("i2c_bus_type"));
        long clients = driver + k.off("i2c_driver_clients");
        m.write64(clients, clients);
        m.write64(clients + 8, clients);
        int res = Driver.driverRegister(k, drv);
        if (res != 0) {
            return res;
        }
        for (long adap : c.adapterList()) {
            c.detect(adap, driver);
        }
        return 0;
    }

    /** void i2c_del_driver(struct i2c_driver *driver) */
    @KernelSymbol("i2c_del_driver")
    static void i2cDelDriver(KernelContext k, long driver) {
        I2cCoreBase c = of(k);
        for (long adap : c.adapterList()) {
            c.removeDetected(driver, adap);
        }
        Driver.driverUnregister(k, driver + k.off("i2c_driver_driver"));
    }

    /** The registered adapters, in bus order (the bus's adapter devices as the driver walks meet them). */
    private List<Long> adapterList() {
        List<Long> out = new ArrayList<>();
        for (long a : adapters.values()) {
            if (a != 0) {
                out.add(a);
            }
        }
        return out;
    }

    /** int i2c_for_each_dev(void *data, int (*fn)(struct device *dev, void *data)) */
    @KernelSymbol("i2c_for_each_dev")
    static int i2cForEachDev(KernelContext k, long data, long fn) {
        return Bus.busForEachDev(k, k.sym("i2c_bus_type"), 0, data, fn);
    }

    /** {@code i2c_do_del_adapter()}: the clients {@code driver}'s detect() made on {@code adap} go. */
    private void removeDetected(long driver, long adap) {
        long head = driver + k.off("i2c_driver_clients");
        int detected = k.off("i2c_client_detected");
        for (long e = mem().read64(head); e != head && e != 0;) {
            long next = mem().read64(e);
            long client = e - detected;
            if (field(client, "i2c_client_adapter") == adap) {
                listDel(e);
                unregisterDevice(client);
            }
            e = next;
        }
    }

    private void listDel(long e) {
        long n = mem().read64(e);
        long p = mem().read64(e + 8);
        mem().write64(p, n);
        mem().write64(n + 8, p);
        mem().write64(e, e);
        mem().write64(e + 8, e);
    }

    private void listAddTail(long e, long head) {
        long prev = mem().read64(head + 8);
        mem().write64(e, head);
        mem().write64(e + 8, prev);
        mem().write64(prev, e);
        mem().write64(head + 8, e);
    }

    // ---------------------------------------------------------------- detection

    /** {@code i2c_detect()}: the driver's address list tried on a matching adapter class. */
    private int detect(long adap, long driver) {
        long list = field(driver, "i2c_driver_address_list");
        if (field(driver, "i2c_driver_detect") == 0 || list == 0) {
            return 0;
        }
        int cls = mem().read32(adap + k.off("i2c_adapter_class"));
        if (cls == k.off("I2C_CLASS_DEPRECATED")) {
            return 0;
        }
        if ((cls & mem().read32(driver + k.off("i2c_driver_class"))) == 0) {
            return 0;
        }
        long temp = k.slab().kmalloc(k.off("i2c_client_sizeof"), 0x100 | 0xcc0);
        if (temp == 0) {
            return -Errno.ENOMEM;
        }
        mem().write64(temp + k.off("i2c_client_adapter"), adap);
        int err = 0;
        for (long at = list; (mem().read16(at) & 0xffff) != k.off("I2C_CLIENT_END"); at += 2) {
            mem().write16(temp + k.off("i2c_client_addr"), mem().read16(at));
            err = detectAddress(temp, driver);
            if (err != 0) {
                break;
            }
        }
        k.slab().kfree(temp);
        return err;
    }

    /** {@code i2c_detect_address()}. */
    private int detectAddress(long temp, long driver) {
        long adap = field(temp, "i2c_client_adapter");
        long adapDev = dev(adap, "i2c_adapter_dev");
        int addr = addr(temp);
        if (addr < 0x08 || addr > 0x77) {
            Core.log(k, 4, adapDev, String.format("Invalid probe address 0x%02x\n", addr));
            return -Errno.EINVAL;
        }
        if (addrBusy(adap, addr) != 0 || !I2cCoreSmbus.defaultProbe(k, adap, addr)) {
            return 0;
        }
        long info = k.slab().kmalloc(k.off("i2c_board_info_sizeof"), 0x100 | 0xcc0);
        try {
            mem().write16(info + k.off("i2c_board_info_addr"), (short) addr);
            int err = (int) k.call(field(driver, "i2c_driver_detect"), temp, info);
            if (err != 0) {
                return err == -Errno.ENODEV ? 0 : err;
            }
            String type = str(info + k.off("i2c_board_info_type"), k.off("I2C_NAME_SIZE"));
            int infoAddr = mem().read16(info + k.off("i2c_board_info_addr")) & 0xffff;
            if (type.isEmpty()) {
                Core.log(k, 3, adapDev, str(field(driver + k.off("i2c_driver_driver"), "device_driver_name"), 4096)
                        + " detection function provided no name for 0x" + Integer.toHexString(addr) + "\n");
                return 0;
            }
            if ((mem().read32(adap + k.off("i2c_adapter_class")) & k.off("I2C_CLASS_DEPRECATED")) != 0) {
                Core.log(k, 4, adapDev, String.format("This adapter will soon drop class based instantiation of "
                        + "devices. Please make sure client 0x%02x gets instantiated by other means. Check "
                        + "'Documentation/i2c/instantiating-devices.rst' for details.\n", infoAddr));
            }
            long client = newClientDevice(adap, info);
            if (Long.compareUnsigned(client, -4095L) < 0) {
                listAddTail(client + k.off("i2c_client_detected"), driver + k.off("i2c_driver_clients"));
            } else {
                Core.log(k, 3, adapDev, String.format("Failed creating %s at 0x%02x\n", type, infoAddr));
            }
            return 0;
        } finally {
            k.slab().kfree(info);
        }
    }

    /** {@code i2c_check_addr_busy()}: -EBUSY if a client of the adapter has the address. */
    private int addrBusy(long adap, int addr) {
        for (long child : Core.children(k, dev(adap, "i2c_adapter_dev"))) {
            if (isClient(child) && encodedAddr(client(child)) == addr) {
                return -Errno.EBUSY;
            }
        }
        return 0;
    }

    /** {@code i2c_encode_flags_to_addr()}. */
    private int encodedAddr(long client) {
        int a = addr(client);
        int f = clientFlags(client);
        if ((f & k.off("I2C_CLIENT_TEN")) != 0) {
            a |= ADDR_OFFSET_TEN_BIT;
        }
        if ((f & k.off("I2C_CLIENT_SLAVE")) != 0) {
            a |= ADDR_OFFSET_SLAVE;
        }
        return a;
    }

    // ---------------------------------------------------------------- clients

    /** static void i2c_client_dev_release(struct device *dev) */
    @KernelSymbol(value = "i2c_client_dev_release", internal = true)
    static void i2cClientDevRelease(KernelContext k, long dev) {
        k.slab().kfree(of(k).client(dev));
    }

    /** {@code i2c_lock_addr()}: an address being instantiated is reserved (7-bit ones). */
    private int lockAddr(long adap, int addr, int flags) {
        if ((flags & k.off("I2C_CLIENT_TEN")) != 0) {
            return 0;
        }
        long word = adap + k.off("i2c_adapter_addrs_in_instantiation") + 8L * (addr / 64);
        long v = mem().read64(word);
        long bit = 1L << (addr % 64);
        if ((v & bit) != 0) {
            return -Errno.EBUSY;
        }
        mem().write64(word, v | bit);
        return 0;
    }

    private void unlockAddr(long adap, int addr, int flags) {
        if ((flags & k.off("I2C_CLIENT_TEN")) == 0) {
            long word = adap + k.off("i2c_adapter_addrs_in_instantiation") + 8L * (addr / 64);
            mem().write64(word, mem().read64(word) & ~(1L << (addr % 64)));
        }
    }

    /** {@code i2c_new_client_device()}: the client or an ERR_PTR, with the kernel's messages. */
    private long newClientDevice(long adap, long info) {
        AddressSpace m = mem();
        long adapDev = dev(adap, "i2c_adapter_dev");
        long client = k.slab().kmalloc(k.off("i2c_client_sizeof"), 0x100 | 0xcc0);
        if (client == 0) {
            return -Errno.ENOMEM;
        }
        boolean registered = false;
        long cdev = dev(client, "i2c_client_dev");
        m.write64(client + k.off("i2c_client_adapter"), adap);
        m.write64(cdev + k.off("device_platform_data"), field(info, "i2c_board_info_platform_data"));
        int flags = m.read16(info + k.off("i2c_board_info_flags")) & 0xffff;
        int addr = m.read16(info + k.off("i2c_board_info_addr")) & 0xffff;
        m.write16(client + k.off("i2c_client_flags"), (short) flags);
        m.write16(client + k.off("i2c_client_addr"), (short) addr);
        int irq = m.read32(info + k.off("i2c_board_info_irq"));
        if (irq == 0) {
            irq = irqFromResources(field(info, "i2c_board_info_resources"),
                    m.read32(info + k.off("i2c_board_info_num_resources")));
        }
        m.write32(client + k.off("i2c_client_init_irq"), irq);
        byte[] type = m.readCBytes(info + k.off("i2c_board_info_type"), k.off("I2C_NAME_SIZE") - 1);
        m.write(client + k.off("i2c_client_name"), type);
        String name = new String(type, StandardCharsets.UTF_8);
        boolean ten = (flags & k.off("I2C_CLIENT_TEN")) != 0;
        if (ten ? addr > 0x3ff : addr == 0 || addr > 0x7f) {
            Core.log(k, 3, adapDev, String.format("Invalid %d-bit I2C address 0x%02x\n", ten ? 10 : 7, addr));
            k.slab().kfree(client);
            return -Errno.EINVAL;
        }
        int status = lockAddr(adap, addr, flags);
        if (status != 0) {
            k.slab().kfree(client);
            return status;
        }
        status = addrBusy(adap, encodedAddr(client));
        if (status == 0) {
            m.write64(cdev + k.off("device_parent"), adapDev);
            m.write64(cdev + k.off("device_bus"), k.sym("i2c_bus_type"));
            m.write64(cdev + k.off("device_type"), k.sym("i2c_client_type"));
            m.write64(cdev + k.off("device_fwnode"), field(info, "i2c_board_info_fwnode"));
            long devName = field(info, "i2c_board_info_dev_name");
            Kobject.setName(k, Core.kobj(k, cdev), devName != 0 ? "i2c-" + str(devName, 4096)
                    : String.format("%d-%04x", nr(adap), encodedAddr(client)));
            Runtime.setAsyncSuspend(k, cdev, true);
            status = Core.deviceRegister(k, cdev);
            registered = true;
            if (status == 0) {
                unlockAddr(adap, addr, flags);
                return client;
            }
        }
        Core.log(k, 3, adapDev, String.format("Failed to register i2c client %s at 0x%02x (%d)\n", name, addr,
                status));
        unlockAddr(adap, addr, flags);
        if (registered) {
            Core.putDevice(k, cdev);
        } else {
            k.slab().kfree(client);
        }
        return status;
    }

    /** {@code i2c_dev_irq_from_resources()}: the first IRQ resource's number, or 0. */
    private int irqFromResources(long res, int num) {
        for (int i = 0; res != 0 && i < num; i++) {
            long r = res + (long) i * k.off("resource_sizeof");
            if ((field(r, "resource_flags") & k.off("IORESOURCE_IRQ")) != 0) {
                return (int) field(r, "resource_start");
            }
        }
        return 0;
    }

    /** struct i2c_client *i2c_new_client_device(struct i2c_adapter *adap, struct i2c_board_info const *info) */
    @KernelSymbol("i2c_new_client_device")
    static long i2cNewClientDevice(KernelContext k, long adap, long info) {
        return of(k).newClientDevice(adap, info);
    }

    /** {@code i2c_new_client_device()} of a board info with only a type and an address. */
    private long newClient(long adap, String type, int addr) {
        long info = k.slab().kmalloc(k.off("i2c_board_info_sizeof"), 0x100 | 0xcc0);
        try {
            mem().write(info + k.off("i2c_board_info_type"), type.getBytes(StandardCharsets.US_ASCII));
            mem().write16(info + k.off("i2c_board_info_addr"), (short) addr);
            return newClientDevice(adap, info);
        } finally {
            k.slab().kfree(info);
        }
    }

    /** struct i2c_client *i2c_new_dummy_device(struct i2c_adapter *adapter, u16 address) */
    @KernelSymbol("i2c_new_dummy_device")
    static long i2cNewDummyDevice(KernelContext k, long adap, int address) {
        return of(k).newClient(adap, "dummy", address & 0xffff);
    }

    /** {@code devm_i2c_release_dummy()}: the action devm_i2c_new_dummy_device() adds. */
    @KernelSymbol(value = "devm_i2c_release_dummy", internal = true)
    static void devmI2cReleaseDummy(KernelContext k, long client) {
        of(k).unregisterDevice(client);
    }

    /** struct i2c_client *devm_i2c_new_dummy_device(struct device *dev, struct i2c_adapter *adapter, u16 address) */
    @KernelSymbol("devm_i2c_new_dummy_device")
    static long devmI2cNewDummyDevice(KernelContext k, long dev, long adap, int address) {
        long client = i2cNewDummyDevice(k, adap, address);
        if (Long.compareUnsigned(client, -4095L) >= 0) {
            return client;
        }
        int ret = Devres.devmAddAction(k, dev, k.sym("devm_i2c_release_dummy"), client);
        if (ret != 0) {
            of(k).unregisterDevice(client);
            return ret;
        }
        return client;
    }

    /** {@code i2c_unregister_device()}. */
    private void unregisterDevice(long client) {
        if (client == 0 || Long.compareUnsigned(client, -4095L) >= 0) {
            return;
        }
        Core.deviceUnregister(k, dev(client, "i2c_client_dev"));
    }

    /** void i2c_unregister_device(struct i2c_client *client) */
    @KernelSymbol("i2c_unregister_device")
    static void i2cUnregisterDevice(KernelContext k, long client) {
        of(k).unregisterDevice(client);
    }

    /** struct i2c_client *i2c_verify_client(struct device *dev) */
    @KernelSymbol("i2c_verify_client")
    static long i2cVerifyClient(KernelContext k, long dev) {
        I2cCoreBase c = of(k);
        return c.isClient(dev) ? c.client(dev) : 0;
    }

    /** struct i2c_adapter *i2c_verify_adapter(struct device *dev) */
    @KernelSymbol("i2c_verify_adapter")
    static long i2cVerifyAdapter(KernelContext k, long dev) {
        I2cCoreBase c = of(k);
        return c.isAdapter(dev) ? c.adapter(dev) : 0;
    }

    /**
     * struct i2c_client *i2c_new_scanned_device(struct i2c_adapter *adap, struct i2c_board_info *info,
     * unsigned short const *addr_list, int (*probe)(struct i2c_adapter *adap, unsigned short addr))
     */
    @KernelSymbol("i2c_new_scanned_device")
    static long i2cNewScannedDevice(KernelContext k, long adap, long info, long addrList, long probe) {
        I2cCoreBase c = of(k);
        AddressSpace m = k.mem();
        long adapDev = c.dev(adap, "i2c_adapter_dev");
        long at = addrList;
        for (; (m.read16(at) & 0xffff) != k.off("I2C_CLIENT_END"); at += 2) {
            int addr = m.read16(at) & 0xffff;
            if (addr < 0x08 || addr > 0x77) {
                Core.log(k, 4, adapDev, String.format("Invalid 7-bit address 0x%02x\n", addr));
                continue;
            }
            if (c.addrBusy(adap, addr) != 0) {
                continue;
            }
            boolean found = probe != 0 ? k.call(probe, adap, addr) != 0 : I2cCoreSmbus.defaultProbe(k, adap, addr);
            if (found) {
                break;
            }
        }
        if ((m.read16(at) & 0xffff) == k.off("I2C_CLIENT_END")) {
            return -Errno.ENODEV;
        }
        m.write16(info + k.off("i2c_board_info_addr"), m.read16(at));
        return c.newClientDevice(adap, info);
    }

    /** int i2c_probe_func_quick_read(struct i2c_adapter *adap, unsigned short addr) */
    @KernelSymbol("i2c_probe_func_quick_read")
    static int i2cProbeFuncQuickRead(KernelContext k, long adap, int addr) {
        return I2cCoreSmbus.xfer(k, adap, addr & 0xffff, 0, k.off("I2C_SMBUS_READ"), 0, k.off("I2C_SMBUS_QUICK"), 0)
                >= 0 ? 1 : 0;
    }

    // ---------------------------------------------------------------- adapters

    /** static void i2c_adapter_dev_release(struct device *dev): complete(&adap->dev_released). */
    @KernelSymbol(value = "i2c_adapter_dev_release", internal = true)
    static void i2cAdapterDevRelease(KernelContext k, long dev) {
        I2cCoreBase c = of(k);
        Completion.completeFromJava(k, c.adapter(dev) + k.off("i2c_adapter_dev_released"));
    }

    /** static void i2c_adapter_lock_bus(struct i2c_adapter *adapter, unsigned int flags) */
    @KernelSymbol(value = "i2c_adapter_lock_bus", internal = true)
    static void i2cAdapterLockBus(KernelContext k, long adap, int flags) {
        RtMutex.lock(k, adap + k.off("i2c_adapter_bus_lock"));
    }

    /** static int i2c_adapter_trylock_bus(struct i2c_adapter *adapter, unsigned int flags) */
    @KernelSymbol(value = "i2c_adapter_trylock_bus", internal = true)
    static int i2cAdapterTrylockBus(KernelContext k, long adap, int flags) {
        return RtMutex.trylock(k, adap + k.off("i2c_adapter_bus_lock"));
    }

    /** static void i2c_adapter_unlock_bus(struct i2c_adapter *adapter, unsigned int flags) */
    @KernelSymbol(value = "i2c_adapter_unlock_bus", internal = true)
    static void i2cAdapterUnlockBus(KernelContext k, long adap, int flags) {
        RtMutex.unlock(k, adap + k.off("i2c_adapter_bus_lock"));
    }

    /** {@code i2c_lock_bus(adap, I2C_LOCK_SEGMENT)} through the adapter's lock operations. */
    void lockBus(long adap) {
        k.call(field(field(adap, "i2c_adapter_lock_ops"), "i2c_lock_operations_lock_bus"), adap,
                k.off("I2C_LOCK_SEGMENT"));
    }

    void unlockBus(long adap) {
        k.call(field(field(adap, "i2c_adapter_lock_ops"), "i2c_lock_operations_unlock_bus"), adap,
                k.off("I2C_LOCK_SEGMENT"));
    }

    /** {@code i2c_check_functionality(adap, func)}. */
    public static boolean checkFunctionality(KernelContext k, long adap, long func) {
        return of(k).functional(adap, func);
    }

    /** {@code i2c_check_functionality()}: the algorithm's functionality() covers {@code func}. */
    boolean functional(long adap, long func) {
        long fn = field(field(adap, "i2c_adapter_algo"), "i2c_algorithm_functionality");
        long f = fn == 0 ? 0 : k.call(fn, adap) & 0xffffffffL;
        return (f & func) == func;
    }

    /** {@code i2c_register_adapter()} of an adapter whose number is reserved. */
    private int registerAdapter(long adap) {
        AddressSpace m = mem();
        String name = adapterName(adap);
        int res = -Errno.EINVAL;
        if (name.isEmpty()) {
            Oops.warn(k, "drivers/i2c/i2c-core-base.c:1519", "i2c_register_adapter", "i2c adapter has no name");
        } else if (field(adap, "i2c_adapter_algo") == 0) {
            k.printk(3, "adapter '" + name + "': no algo supplied!");
        } else {
            if (field(adap, "i2c_adapter_lock_ops") == 0) {
                m.write64(adap + k.off("i2c_adapter_lock_ops"), k.sym("i2c_adapter_lock_ops"));
            }
            m.write64(adap + k.off("i2c_adapter_locked_flags"), 0);
            RtMutex.init(k, adap + k.off("i2c_adapter_bus_lock"), 0, 0);
            RtMutex.init(k, adap + k.off("i2c_adapter_mux_lock"), 0, 0);
            long lock = adap + k.off("i2c_adapter_userspace_clients_lock");
            m.write64(lock + k.off("mutex_owner"), 0);
            listInit(lock + k.off("mutex_wait_list"));
            listInit(adap + k.off("i2c_adapter_userspace_clients"));
            if (m.read32(adap + k.off("i2c_adapter_timeout")) == 0) {
                m.write32(adap + k.off("i2c_adapter_timeout"), k.clock().hz());
            }
            long dev = dev(adap, "i2c_adapter_dev");
            Kobject.setName(k, Core.kobj(k, dev), "i2c-" + nr(adap));
            m.write64(dev + k.off("device_bus"), k.sym("i2c_bus_type"));
            m.write64(dev + k.off("device_type"), k.sym("i2c_adapter_type"));
            Core.deviceInitialize(k, dev);
            adapters.put(nr(adap), adap);
            res = Core.deviceAdd(k, dev);
            if (res != 0) {
                k.printk(3, "adapter '" + name + "': can't register device (" + res + ")");
                adapters.put(nr(adap), 0L);
                Core.putDevice(k, dev);
            } else {
                Runtime.setAsyncSuspend(k, dev, true);
                Runtime.pmRuntimeNoCallbacks(k, dev);
                Runtime.ignoreChildren(k, dev, true);
                Runtime.pmRuntimeEnable(k, dev);
                if (field(adap, "i2c_adapter_bus_recovery_info") != 0) {
                    initRecovery(adap);
                }
                String dir = Sysfs.path(k, compatClass);
                if (Sysfs.createLink(k, compatClass, Core.kobj(k, dev), "i2c-" + nr(adap)) == 0) {
                    long parent = field(dev, "device_parent");
                    if (parent != 0 && Sysfs.createLink(k, Core.kobj(k, dev), Core.kobj(k, parent), "device") != 0) {
                        Sysfs.removeLink(k, compatClass, "i2c-" + nr(adap));
                        Core.log(k, 4, dev, "Failed to create compatibility class link\n");
                    }
                } else if (dir != null) {
                    Core.log(k, 4, dev, "Failed to create compatibility class link\n");
                }
                for (long drv : Bus.drivers(k, k.sym("i2c_bus_type"))) {
                    detect(adap, driverOf(drv));
                }
                return 0;
            }
        }
        adapters.remove(nr(adap));
        return res;
    }

    /**
     * {@code i2c_init_recovery()} for an adapter with recovery info but (the machine has no GPIOs)
     * without GPIO lines: it needs its own recover_bus(), and the generic SCL recovery needs its
     * get/set_scl and one of get/set_sda.
     */
    private void initRecovery(long adap) {
        long bri = field(adap, "i2c_adapter_bus_recovery_info");
        long recover = field(bri, "i2c_bus_recovery_info_recover_bus");
        String err = null;
        boolean error = true;
        if (recover == 0) {
            err = "no suitable method provided";
            error = false;
        } else if (recover == k.machine().symbol("i2c_generic_scl_recovery")) {
            if (field(bri, "i2c_bus_recovery_info_set_scl") == 0 || field(bri, "i2c_bus_recovery_info_get_scl") == 0) {
                err = "no {get|set}_scl() found";
            } else if (field(bri, "i2c_bus_recovery_info_set_sda") == 0
                    && field(bri, "i2c_bus_recovery_info_get_sda") == 0) {
                err = "either get_sda() or set_sda() needed";
            }
        }
        if (err != null) {
            if (error) {
                Core.log(k, 3, dev(adap, "i2c_adapter_dev"), "Not using recovery: " + err + "\n");
            }
            mem().write64(adap + k.off("i2c_adapter_bus_recovery_info"), 0);
        }
    }

    private void listInit(long head) {
        mem().write64(head, head);
        mem().write64(head + 8, head);
    }

    /** int i2c_add_adapter(struct i2c_adapter *adapter): the lowest free bus number from 0. */
    @KernelSymbol("i2c_add_adapter")
    static int i2cAddAdapter(KernelContext k, long adap) {
        I2cCoreBase c = of(k);
        int id = 0;
        while (c.adapters.containsKey(id)) {
            id++;
        }
        c.mem().write32(adap + k.off("i2c_adapter_nr"), id);
        c.adapters.put(id, 0L);
        return c.registerAdapter(adap);
    }

    /** int i2c_add_numbered_adapter(struct i2c_adapter *adap): -1 for any number; -EBUSY if taken. */
    @KernelSymbol("i2c_add_numbered_adapter")
    static int i2cAddNumberedAdapter(KernelContext k, long adap) {
        I2cCoreBase c = of(k);
        int nr = c.nr(adap);
        if (nr == -1) {
            return i2cAddAdapter(k, adap);
        }
        if (nr < 0 || c.adapters.containsKey(nr)) {
            Oops.warn(k, "drivers/i2c/i2c-core-base.c:1631", "__i2c_add_numbered_adapter", "couldn't get idr");
            return nr < 0 ? -Errno.EINVAL : -Errno.EBUSY;
        }
        c.adapters.put(nr, 0L);
        return c.registerAdapter(adap);
    }

    /** void i2c_del_adapter(struct i2c_adapter *adap) */
    @KernelSymbol("i2c_del_adapter")
    static void i2cDelAdapter(KernelContext k, long adap) {
        of(k).delAdapter(adap);
    }

    private void delAdapter(long adap) {
        int nr = nr(adap);
        Long found = adapters.get(nr);
        if (found == null || found != adap) {
            return;
        }
        for (long drv : Bus.drivers(k, k.sym("i2c_bus_type"))) {
            removeDetected(driverOf(drv), adap);
        }
        long head = adap + k.off("i2c_adapter_userspace_clients");
        for (long e = mem().read64(head); e != head && e != 0;) {
            long next = mem().read64(e);
            listDel(e);
            unregisterDevice(e - k.off("i2c_client_detected"));
            e = next;
        }
        long dev = dev(adap, "i2c_adapter_dev");
        for (long child : Core.children(k, dev)) {
            if (isClient(child) && !clientName(client(child)).equals("dummy")) {
                unregisterDevice(client(child));
            }
        }
        for (long child : Core.children(k, dev)) {
            if (isClient(child)) {
                unregisterDevice(client(child));
            }
        }
        Sysfs.removeLink(k, Core.kobj(k, dev), "device");
        Sysfs.removeLink(k, compatClass, "i2c-" + nr);
        Runtime.pmRuntimeDisable(k, dev, true);
        long released = adap + k.off("i2c_adapter_dev_released");
        mem().write32(released + k.off("completion_done"), 0);
        Core.deviceUnregister(k, dev);
        // wait_for_completion(&adap->dev_released): until the last reference to the adapter goes
        k.call(k.sym("wait_for_completion"), released);
        adapters.remove(nr);
        mem().fill(dev, k.off("device_sizeof"), (byte) 0);
    }

    /** {@code devm_i2c_del_adapter()}: the action devm_i2c_add_adapter() adds. */
    @KernelSymbol(value = "devm_i2c_del_adapter", internal = true)
    static void devmI2cDelAdapter(KernelContext k, long adap) {
        of(k).delAdapter(adap);
    }

    /** int devm_i2c_add_adapter(struct device *dev, struct i2c_adapter *adapter) */
    @KernelSymbol("devm_i2c_add_adapter")
    static int devmI2cAddAdapter(KernelContext k, long dev, long adap) {
        int ret = i2cAddAdapter(k, adap);
        if (ret != 0) {
            return ret;
        }
        ret = Devres.devmAddAction(k, dev, k.sym("devm_i2c_del_adapter"), adap);
        if (ret != 0) {
            of(k).delAdapter(adap);
        }
        return ret;
    }

    /** struct i2c_adapter *i2c_get_adapter(int nr): a reference on the adapter and its module, or NULL. */
    @KernelSymbol("i2c_get_adapter")
    static long i2cGetAdapter(KernelContext k, int nr) {
        I2cCoreBase c = of(k);
        Long adap = c.adapters.get(nr);
        if (adap == null || adap == 0) {
            return 0;
        }
        if ((k.call(k.sym("try_module_get"), c.field(adap, "i2c_adapter_owner")) & 0xff) == 0) {
            return 0;
        }
        Core.getDevice(k, c.dev(adap, "i2c_adapter_dev"));
        return adap;
    }

    /** void i2c_put_adapter(struct i2c_adapter *adap) */
    @KernelSymbol("i2c_put_adapter")
    static void i2cPutAdapter(KernelContext k, long adap) {
        if (adap == 0) {
            return;
        }
        I2cCoreBase c = of(k);
        k.call(k.sym("module_put"), c.field(adap, "i2c_adapter_owner"));
        Core.putDevice(k, c.dev(adap, "i2c_adapter_dev"));
    }

    /** unsigned int i2c_adapter_depth(struct i2c_adapter *adapter): no muxes here, so 0. */
    @KernelSymbol("i2c_adapter_depth")
    static int i2cAdapterDepth(KernelContext k, long adap) {
        return 0;
    }

    /** void i2c_clients_command(struct i2c_adapter *adap, unsigned int cmd, void *arg) */
    @KernelSymbol("i2c_clients_command")
    static void i2cClientsCommand(KernelContext k, long adap, int cmd, long arg) {
        I2cCoreBase c = of(k);
        for (long child : Core.children(k, c.dev(adap, "i2c_adapter_dev"))) {
            long drv = c.field(child, "device_driver");
            if (!c.isClient(child) || drv == 0) {
                continue;
            }
            long command = c.field(c.driverOf(drv), "i2c_driver_command");
            if (command != 0) {
                k.call(command, c.client(child), cmd, arg);
            }
        }
    }

    // ---------------------------------------------------------------- sysfs of adapters

    /** {@code sscanf(buf, "%hi%c", ...)}: the number (any base, as %i), and the next character or -1. */
    private static int[] scanAddr(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        int start = i;
        boolean neg = false;
        if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            neg = s.charAt(i) == '-';
            i++;
        }
        int base = 10;
        if (i + 1 < s.length() && s.charAt(i) == '0' && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')
                && i + 2 < s.length() && Character.digit(s.charAt(i + 2), 16) >= 0) {
            base = 16;
            i += 2;
        } else if (i < s.length() && s.charAt(i) == '0') {
            base = 8;
        }
        int digits = i;
        long v = 0;
        while (i < s.length() && Character.digit(s.charAt(i), base) >= 0) {
            v = v * base + Character.digit(s.charAt(i), base);
            i++;
        }
        if (i == digits) {
            return start == i ? new int[0] : new int[0];
        }
        int value = (int) ((neg ? -v : v) & 0xffff);
        return i < s.length() ? new int[] {value, s.charAt(i)} : new int[] {value};
    }

    /** static ssize_t new_device_store(struct device *dev, struct device_attribute *attr, const char *buf, size_t count) */
    @KernelSymbol(value = "i2c_new_device_store", internal = true)
    static long newDeviceStore(KernelContext k, long dev, long attr, long buf, long count) {
        I2cCoreBase c = of(k);
        String s = new String(k.mem().readCBytes(buf, (int) count), StandardCharsets.ISO_8859_1);
        int blank = s.indexOf(' ');
        if (blank < 0) {
            Core.log(k, 3, dev, "new_device: Missing parameters\n");
            return -Errno.EINVAL;
        }
        if (blank > k.off("I2C_NAME_SIZE") - 1) {
            Core.log(k, 3, dev, "new_device: Invalid device name\n");
            return -Errno.EINVAL;
        }
        String type = s.substring(0, blank);
        int[] r = scanAddr(s.substring(blank + 1));
        if (r.length < 1) {
            Core.log(k, 3, dev, "new_device: Can't parse I2C address\n");
            return -Errno.EINVAL;
        }
        if (r.length > 1 && r[1] != '\n') {
            Core.log(k, 3, dev, "new_device: Extra parameters\n");
            return -Errno.EINVAL;
        }
        int addr = r[0];
        int flags = 0;
        int ten = ADDR_OFFSET_TEN_BIT;
        if ((addr & ten) == ten) {
            addr &= ~ten;
            flags |= k.off("I2C_CLIENT_TEN");
        }
        if ((addr & ADDR_OFFSET_SLAVE) != 0) {
            addr &= ~ADDR_OFFSET_SLAVE;
            flags |= k.off("I2C_CLIENT_SLAVE");
        }
        long adap = c.adapter(dev);
        long info = k.slab().kmalloc(k.off("i2c_board_info_sizeof"), 0x100 | 0xcc0);
        long client;
        try {
            k.mem().write(info + k.off("i2c_board_info_type"), type.getBytes(StandardCharsets.ISO_8859_1));
            k.mem().write16(info + k.off("i2c_board_info_addr"), (short) addr);
            k.mem().write16(info + k.off("i2c_board_info_flags"), (short) flags);
            client = c.newClientDevice(adap, info);
        } finally {
            k.slab().kfree(info);
        }
        if (Long.compareUnsigned(client, -4095L) >= 0) {
            return client;
        }
        c.listAddTail(client + k.off("i2c_client_detected"), adap + k.off("i2c_adapter_userspace_clients"));
        Core.log(k, 6, dev, String.format("new_device: Instantiated device %s at 0x%02x\n", type, addr));
        return count;
    }

    /** static ssize_t delete_device_store(struct device *dev, struct device_attribute *attr, const char *buf, size_t count) */
    @KernelSymbol(value = "i2c_delete_device_store", internal = true)
    static long deleteDeviceStore(KernelContext k, long dev, long attr, long buf, long count) {
        I2cCoreBase c = of(k);
        int[] r = scanAddr(new String(k.mem().readCBytes(buf, (int) count), StandardCharsets.ISO_8859_1));
        if (r.length < 1) {
            Core.log(k, 3, dev, "delete_device: Can't parse I2C address\n");
            return -Errno.EINVAL;
        }
        if (r.length > 1 && r[1] != '\n') {
            Core.log(k, 3, dev, "delete_device: Extra parameters\n");
            return -Errno.EINVAL;
        }
        long adap = c.adapter(dev);
        long head = adap + k.off("i2c_adapter_userspace_clients");
        int detected = k.off("i2c_client_detected");
        for (long e = c.mem().read64(head); e != head && e != 0; e = c.mem().read64(e)) {
            long client = e - detected;
            if (c.encodedAddr(client) == r[0]) {
                Core.log(k, 6, dev, String.format("delete_device: Deleting device %s at 0x%02x\n",
                        c.clientName(client), c.addr(client)));
                c.listDel(e);
                c.unregisterDevice(client);
                return count;
            }
        }
        Core.log(k, 3, dev, "delete_device: Can't find device in list\n");
        return -Errno.ENOENT;
    }

    // ---------------------------------------------------------------- transfers

    private long msg(long msgs, int i) {
        return msgs + (long) i * k.off("i2c_msg_sizeof");
    }

    private int msgLen(long msg) {
        return mem().read16(msg + k.off("i2c_msg_len")) & 0xffff;
    }

    private int msgFlags(long msg) {
        return mem().read16(msg + k.off("i2c_msg_flags")) & 0xffff;
    }

    /** {@code i2c_quirk_error()}: the kernel's ratelimited error, -EOPNOTSUPP. */
    private int quirkError(long adap, long msg, String err) {
        Core.log(k, 3, dev(adap, "i2c_adapter_dev"), String.format("adapter quirk: %s (addr 0x%04x, size %d, %s)\n",
                err, mem().read16(msg + k.off("i2c_msg_addr")) & 0xffff, msgLen(msg),
                (msgFlags(msg) & k.off("I2C_M_RD")) != 0 ? "read" : "write"));
        return -Errno.EOPNOTSUPP;
    }

    private static boolean exceeded(int val, int quirk) {
        return quirk != 0 && val > quirk;
    }

    /** {@code i2c_check_for_quirks()}. */
    private int checkQuirks(long adap, long msgs, int num) {
        long q = field(adap, "i2c_adapter_quirks");
        AddressSpace m = mem();
        long flags = field(q, "i2c_adapter_quirks_flags");
        int maxNum = m.read32(q + k.off("i2c_adapter_quirks_max_num_msgs"));
        boolean lenCheck = true;
        int rd = k.off("I2C_M_RD");
        if ((flags & k.off("I2C_AQ_COMB")) != 0) {
            maxNum = 2;
            if (num == 2) {
                long m0 = msg(msgs, 0);
                long m1 = msg(msgs, 1);
                if ((flags & k.off("I2C_AQ_COMB_WRITE_FIRST")) != 0 && (msgFlags(m0) & rd) != 0) {
                    return quirkError(adap, m0, "1st comb msg must be write");
                }
                if ((flags & k.off("I2C_AQ_COMB_READ_SECOND")) != 0 && (msgFlags(m1) & rd) == 0) {
                    return quirkError(adap, m1, "2nd comb msg must be read");
                }
                if ((flags & k.off("I2C_AQ_COMB_SAME_ADDR")) != 0
                        && m.read16(m0 + k.off("i2c_msg_addr")) != m.read16(m1 + k.off("i2c_msg_addr"))) {
                    return quirkError(adap, m0, "comb msg only to same addr");
                }
                if (exceeded(msgLen(m0), m.read16(q + k.off("i2c_adapter_quirks_max_comb_1st_msg_len")) & 0xffff)) {
                    return quirkError(adap, m0, "msg too long");
                }
                if (exceeded(msgLen(m1), m.read16(q + k.off("i2c_adapter_quirks_max_comb_2nd_msg_len")) & 0xffff)) {
                    return quirkError(adap, m1, "msg too long");
                }
                lenCheck = false;
            }
        }
        if (exceeded(num, maxNum)) {
            return quirkError(adap, msg(msgs, 0), "too many messages");
        }
        for (int i = 0; i < num; i++) {
            long mi = msg(msgs, i);
            int len = msgLen(mi);
            boolean read = (msgFlags(mi) & rd) != 0;
            int max = m.read16(q + k.off(read ? "i2c_adapter_quirks_max_read_len" : "i2c_adapter_quirks_max_write_len"))
                    & 0xffff;
            if (lenCheck && exceeded(len, max)) {
                return quirkError(adap, mi, "msg too long");
            }
            if ((flags & k.off(read ? "I2C_AQ_NO_ZERO_LEN_READ" : "I2C_AQ_NO_ZERO_LEN_WRITE")) != 0 && len == 0) {
                return quirkError(adap, mi, "no zero length");
            }
        }
        return 0;
    }

    /** {@code __i2c_transfer()}: the adapter's master_xfer() with quirks checked and retries on -EAGAIN. */
    int transferLocked(long adap, long msgs, int num) {
        long algo = field(adap, "i2c_adapter_algo");
        long xfer = field(algo, "i2c_algorithm_master_xfer");
        if (xfer == 0) {
            return -Errno.EOPNOTSUPP;
        }
        if (msgs == 0 || num < 1) {
            Oops.warn(k, "drivers/i2c/i2c-core-base.c:2226", "__i2c_transfer", null);
            return -Errno.EINVAL;
        }
        if (field(adap, "i2c_adapter_quirks") != 0 && checkQuirks(adap, msgs, num) != 0) {
            return -Errno.EOPNOTSUPP;
        }
        long start = k.clock().jiffies();
        int retries = mem().read32(adap + k.off("i2c_adapter_retries"));
        long timeout = mem().read32(adap + k.off("i2c_adapter_timeout"));
        int ret = 0;
        for (int t = 0; t <= retries; t++) {
            ret = (int) k.call(xfer, adap, msgs, num);
            if (ret != -Errno.EAGAIN) {
                break;
            }
            if (k.clock().jiffies() - start > timeout) {
                break;
            }
        }
        return ret;
    }

    /** int __i2c_transfer(struct i2c_adapter *adap, struct i2c_msg *msgs, int num) */
    @KernelSymbol("__i2c_transfer")
    static int i2cTransferLocked(KernelContext k, long adap, long msgs, int num) {
        return of(k).transferLocked(adap, msgs, num);
    }

    /** int i2c_transfer(struct i2c_adapter *adap, struct i2c_msg *msgs, int num): with the bus locked. */
    @KernelSymbol("i2c_transfer")
    public static int i2cTransfer(KernelContext k, long adap, long msgs, int num) {
        I2cCoreBase c = of(k);
        if (c.field(c.field(adap, "i2c_adapter_algo"), "i2c_algorithm_master_xfer") == 0) {
            return -Errno.EOPNOTSUPP;
        }
        c.lockBus(adap);
        try {
            return c.transferLocked(adap, msgs, num);
        } finally {
            c.unlockBus(adap);
        }
    }

    /** int i2c_transfer_buffer_flags(const struct i2c_client *client, char *buf, int count, u16 flags) */
    @KernelSymbol("i2c_transfer_buffer_flags")
    static int i2cTransferBufferFlags(KernelContext k, long client, long buf, int count, int flags) {
        I2cCoreBase c = of(k);
        AddressSpace m = k.mem();
        long msg = k.slab().kmalloc(k.off("i2c_msg_sizeof"), 0x100 | 0xcc0);
        try {
            m.write16(msg + k.off("i2c_msg_addr"), (short) c.addr(client));
            m.write16(msg + k.off("i2c_msg_flags"), (short) ((flags & 0xffff) | (c.clientFlags(client)
                    & k.off("I2C_M_TEN"))));
            m.write16(msg + k.off("i2c_msg_len"), (short) count);
            m.write64(msg + k.off("i2c_msg_buf"), buf);
            int ret = i2cTransfer(k, c.field(client, "i2c_client_adapter"), msg, 1);
            return ret == 1 ? count : ret;
        } finally {
            k.slab().kfree(msg);
        }
    }
}
