package dev.kmodemu.kstubs.drivers.spi;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.drivers.base.Bus;
import dev.kmodemu.kstubs.drivers.base.Driver;

import java.nio.charset.StandardCharsets;

/**
 * drivers/spi/spi.c, as a machine without SPI controllers has it: {@code spi_bus_type} registered
 * at boot, and SPI drivers registered as the kernel does it, including its check that every
 * device-tree compatible of the driver has a matching {@code spi_device_id} (or is the driver's
 * name), warned about as "SPI driver NAME has no spi_device_id for COMPATIBLE". With no controller
 * there is no SPI device, so the bus's device callbacks never run and are left out.
 */
public final class Spi {
    private Spi() {
    }

    /** {@code spi_init()}: the bus. */
    public static void boot(KernelContext k) {
        int err = Bus.busRegister(k, k.sym("spi_bus_type"));
        if (err != 0) {
            throw new IllegalStateException("spi bus: " + err);
        }
    }

    /** {@code struct bus_type spi_bus_type}. */
    @KernelData(value = "spi_bus_type", sizeOf = "bus_type_sizeof")
    static void spiBusType(KernelContext k, long at) {
        k.mem().pokeLong(at + k.off("bus_type_name"), k.sym("spi_names"));
    }

    @KernelData(value = "spi_names", section = Machine.Section.RODATA, size = 8)
    static void spiNames(KernelContext k, long at) {
        k.mem().poke(at, "spi\0".getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code spi_match_id()}: whether the id table has an entry named {@code name}. */
    private static boolean matchId(KernelContext k, long ids, String name) {
        AddressSpace m = k.mem();
        int size = k.off("spi_device_id_sizeof");
        for (long id = ids; m.read8(id + k.off("spi_device_id_name")) != 0; id += size) {
            if (m.readCString(id + k.off("spi_device_id_name"), k.off("SPI_NAME_SIZE")).equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** int __spi_register_driver(struct module *owner, struct spi_driver *sdrv) */
    @KernelSymbol("__spi_register_driver")
    static int spiRegisterDriver(KernelContext k, long owner, long sdrv) {
        AddressSpace m = k.mem();
        long drv = sdrv + k.off("spi_driver_driver");
        m.write64(drv + k.off("device_driver_owner"), owner);
        m.write64(drv + k.off("device_driver_bus"), k.sym("spi_bus_type"));
        long of = m.read64(drv + k.off("device_driver_of_match_table"));
        long ids = m.read64(sdrv + k.off("spi_driver_id_table"));
        String name = m.readCString(m.read64(drv + k.off("device_driver_name")), 4096);
        int csize = 128;
        for (long e = of; of != 0 && m.read8(e + k.off("of_device_id_compatible")) != 0;
                e += k.off("of_device_id_sizeof")) {
            String compatible = m.readCString(e + k.off("of_device_id_compatible"), csize);
            int comma = compatible.indexOf(',');
            String ofName = comma >= 0 ? compatible.substring(comma + 1) : compatible;
            boolean ok = ids != 0 ? matchId(k, ids, ofName) : name.equals(ofName);
            if (!ok) {
                k.printk(4, "SPI driver " + name + " has no spi_device_id for " + compatible);
            }
        }
        return Driver.driverRegister(k, drv);
    }
}
