package dev.kmodemu.kstubs.drivers.i2c;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.drivers.base.Bus;
import dev.kmodemu.kstubs.drivers.base.Driver;

import java.nio.charset.StandardCharsets;

/**
 * drivers/i2c/i2c-core-base.c, as a machine without I2C adapters has it: {@code i2c_bus_type}
 * registered at boot with the core's own "dummy" driver (/sys/bus/i2c/drivers/dummy), I2C drivers
 * registered and removed as the kernel does it (the "driver [NAME] registered" line is a
 * {@code pr_debug()} and stays silent; each driver is offered the adapters present, of which there
 * are none, so {@code detect()} never runs), {@code i2c_get_adapter()} finding no adapter, and the
 * client/adapter type checks. Adapters (and so clients and transfers) are not modelled.
 */
public final class I2cCoreBase {
    private I2cCoreBase() {
    }

    /** {@code i2c_init()}: the bus, then the dummy driver. */
    public static void boot(KernelContext k) {
        int err = Bus.busRegister(k, k.sym("i2c_bus_type"));
        if (err == 0) {
            err = i2cRegisterDriver(k, 0, k.sym("i2c_dummy_driver"));
        }
        if (err != 0) {
            throw new IllegalStateException("i2c bus: " + err);
        }
    }

    /** {@code struct bus_type i2c_bus_type}; with no adapter there is no client to match or probe. */
    @KernelData(value = "i2c_bus_type", sizeOf = "bus_type_sizeof")
    static void i2cBusType(KernelContext k, long at) {
        k.mem().pokeLong(at + k.off("bus_type_name"), k.sym("i2c_names"));
    }

    /** "i2c", "dummy": the bus's and the dummy driver's names. */
    @KernelData(value = "i2c_names", section = Machine.Section.RODATA, size = 16)
    static void i2cNames(KernelContext k, long at) {
        k.mem().poke(at, "i2c\0dummy\0".getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code struct device_type i2c_adapter_type}. */
    @KernelData(value = "i2c_adapter_type", sizeOf = "device_type_sizeof")
    static void i2cAdapterType(KernelContext k, long at) {
    }

    /** {@code struct device_type i2c_client_type}. */
    @KernelData(value = "i2c_client_type", sizeOf = "device_type_sizeof")
    static void i2cClientType(KernelContext k, long at) {
    }

    /** {@code static struct i2c_driver dummy_driver} (its probe and id table unused: no adapter). */
    @KernelData(value = "i2c_dummy_driver", sizeOf = "i2c_driver_sizeof")
    static void i2cDummyDriver(KernelContext k, long at) {
        k.mem().pokeLong(at + k.off("i2c_driver_driver") + k.off("device_driver_name"), k.sym("i2c_names") + 4);
    }

    /** int i2c_register_driver(struct module *owner, struct i2c_driver *driver) */
    @KernelSymbol("i2c_register_driver")
    static int i2cRegisterDriver(KernelContext k, long owner, long driver) {
        AddressSpace m = k.mem();
        long drv = driver + k.off("i2c_driver_driver");
        m.write64(drv + k.off("device_driver_owner"), owner);
        m.write64(drv + k.off("device_driver_bus"), k.sym("i2c_bus_type"));
        long clients = driver + k.off("i2c_driver_clients");
        m.write64(clients, clients);
        m.write64(clients + 8, clients);
        return Driver.driverRegister(k, drv);
    }

    /** void i2c_del_driver(struct i2c_driver *driver) */
    @KernelSymbol("i2c_del_driver")
    static void i2cDelDriver(KernelContext k, long driver) {
        Driver.driverUnregister(k, driver + k.off("i2c_driver_driver"));
    }

    /** int i2c_for_each_dev(void *data, int (*fn)(struct device *dev, void *data)) */
    @KernelSymbol("i2c_for_each_dev")
    static int i2cForEachDev(KernelContext k, long data, long fn) {
        return Bus.busForEachDev(k, k.sym("i2c_bus_type"), 0, data, fn);
    }

    /** struct i2c_adapter *i2c_get_adapter(int nr): no adapter has any number here. */
    @KernelSymbol("i2c_get_adapter")
    static long i2cGetAdapter(KernelContext k, int nr) {
        return 0;
    }

    /** void i2c_put_adapter(struct i2c_adapter *adap): only NULL can come from i2c_get_adapter(). */
    @KernelSymbol("i2c_put_adapter")
    static void i2cPutAdapter(KernelContext k, long adap) {
    }

    /** struct i2c_client *i2c_verify_client(struct device *dev) */
    @KernelSymbol("i2c_verify_client")
    static long i2cVerifyClient(KernelContext k, long dev) {
        return k.mem().read64(dev + k.off("device_type")) == k.sym("i2c_client_type")
                ? dev - k.off("i2c_client_dev") : 0;
    }

    /** struct i2c_adapter *i2c_verify_adapter(struct device *dev) */
    @KernelSymbol("i2c_verify_adapter")
    static long i2cVerifyAdapter(KernelContext k, long dev) {
        return k.mem().read64(dev + k.off("device_type")) == k.sym("i2c_adapter_type")
                ? dev - k.off("i2c_adapter_dev") : 0;
    }
}
