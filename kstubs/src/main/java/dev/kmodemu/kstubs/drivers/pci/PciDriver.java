package dev.kmodemu.kstubs.drivers.pci;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.drivers.base.Bus;
import dev.kmodemu.kstubs.drivers.base.Dd;
import dev.kmodemu.kstubs.drivers.base.Driver;
import dev.kmodemu.kstubs.fs.Sysfs;
import dev.kmodemu.kstubs.lib.Kobject;

import java.nio.charset.StandardCharsets;

/**
 * drivers/pci/pci-driver.c (with the bus attributes of pci-sysfs.c and pci.c): the PCI bus as a
 * machine without PCI devices has it. {@code pci_bus_type} is registered at boot with its
 * {@code rescan} and {@code resource_alignment} files and the {@code slots} kset; PCI drivers
 * register as the kernel registers them (the driver's name, groups, owner and module name copied
 * into its {@code device_driver}, an empty dynamic id list) and get the {@code new_id} and
 * {@code remove_id} files, which parse and check ids as the kernel does and keep the dynamic ids
 * in the driver's own {@code dynids} list. Nothing ever probes: no device is on the bus, and
 * modules cannot make PCI devices, so the bus's device callbacks (match, probe, uevent, ...) are
 * left out of {@code pci_bus_type}.
 */
public final class PciDriver {
    private PciDriver() {
    }

    /** {@code PCI_ANY_ID}. */
    private static final long ANY = 0xffffffffL;
    /** struct pci_dynid: list_head node, then the pci_device_id. */
    private static final int DYNID_ID = 16;

    private static final class State {
        long resourceAlignment;
    }

    /** {@code pci_driver_init()} and the sysfs parts of PCI init: the bus, its files and slots. */
    public static void boot(KernelContext k) {
        long bus = k.sym("pci_bus_type");
        int err = Bus.busRegister(k, bus);
        if (err != 0) {
            throw new IllegalStateException("pci bus: " + err);
        }
        long busKobj = Kobject.ksetKobj(k, k.mem().read64(bus + k.off("bus_type_p")));
        long slots = Kobject.ksetCreateAndAdd(k, "slots", 0, busKobj);
        k.mem().write64(k.sym("pci_slots_kset"), slots);
        Sysfs.sysfsCreateFileNs(k, busKobj, k.sym("bus_attr_resource_alignment"), 0);
    }

    /** {@code struct bus_type pci_bus_type}. */
    @KernelData(value = "pci_bus_type", sizeOf = "bus_type_sizeof")
    static void pciBusType(KernelContext k, long at) {
        k.mem().pokeLong(at + k.off("bus_type_name"), k.sym("pci_names"));
        k.mem().pokeLong(at + k.off("bus_type_bus_groups"), k.sym("pci_bus_groups"));
        k.mem().pokeLong(at + k.off("bus_type_drv_groups"), k.sym("pci_drv_groups"));
    }

    /** {@code struct kset *pci_slots_kset}: /sys/bus/pci/slots. */
    @KernelData(value = "pci_slots_kset", size = 8)
    static void pciSlotsKset(KernelContext k, long at) {
    }

    @KernelData(value = "pci_names", section = Machine.Section.RODATA, size = 8)
    static void pciNames(KernelContext k, long at) {
        k.mem().poke(at, "pci\0".getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code pci_bus_groups}: {@code rescan} (write-only). */
    @KernelData(value = "pci_bus_groups", section = Machine.Section.RODATA, size = 256)
    static void pciBusGroups(KernelContext k, long at) {
        Sysfs.kernelAttributeGroups(k, at, null, "bus_attribute", new String[][] {
            {"rescan", "0200", null, "pci_rescan_store"}});
    }

    /** {@code pci_drv_groups}: {@code new_id} and {@code remove_id} (write-only). */
    @KernelData(value = "pci_drv_groups", section = Machine.Section.RODATA, size = 512)
    static void pciDrvGroups(KernelContext k, long at) {
        Sysfs.kernelAttributeGroups(k, at, null, "driver_attribute", new String[][] {
            {"new_id", "0200", null, "pci_new_id_store"},
            {"remove_id", "0200", null, "pci_remove_id_store"}});
    }

    /** {@code static BUS_ATTR_RW(resource_alignment)} (drivers/pci/pci.c). */
    @KernelData(value = "bus_attr_resource_alignment", section = Machine.Section.RODATA, size = 64)
    static void busAttrResourceAlignment(KernelContext k, long at) {
        Bus.attribute(k, at, "resource_alignment", 0644, "bus_attribute", "pci_resource_alignment_show",
                "pci_resource_alignment_store");
    }

    /** static ssize_t rescan_store(struct bus_type *bus, const char *buf, size_t count): no bus to rescan. */
    @KernelSymbol(value = "pci_rescan_store", internal = true)
    static long rescanStore(KernelContext k, long bus, long buf, long count) {
        String s = new String(k.mem().read(buf, (int) count), StandardCharsets.US_ASCII);
        if (s.endsWith("\n")) {
            s = s.substring(0, s.length() - 1);
        }
        try {
            Long.parseUnsignedLong(s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s,
                    s.startsWith("0x") || s.startsWith("0X") ? 16 : s.length() > 1 && s.startsWith("0") ? 8 : 10);
        } catch (NumberFormatException e) {
            return -Errno.EINVAL;
        }
        return count;
    }

    /** static ssize_t resource_alignment_show(struct bus_type *bus, char *buf) */
    @KernelSymbol(value = "pci_resource_alignment_show", internal = true)
    static long resourceAlignmentShow(KernelContext k, long bus, long buf) {
        State st = k.state(State.class, State::new);
        if (st.resourceAlignment == 0) {
            return 0;
        }
        byte[] b = (k.mem().readCString(st.resourceAlignment, 4096) + "\n").getBytes(StandardCharsets.UTF_8);
        k.mem().write(buf, b);
        return b.length;
    }

    /** static ssize_t resource_alignment_store(struct bus_type *bus, const char *buf, size_t count) */
    @KernelSymbol(value = "pci_resource_alignment_store", internal = true)
    static long resourceAlignmentStore(KernelContext k, long bus, long buf, long count) {
        if (count >= 4096 - 1) {
            return -Errno.EINVAL;
        }
        byte[] b = k.mem().readCBytes(buf, (int) count);
        int n = 0;
        while (n < b.length && b[n] != '\n') {
            n++;
        }
        State st = k.state(State.class, State::new);
        long old = st.resourceAlignment;
        if (n > 0) {
            st.resourceAlignment = k.slab().kmalloc(n + 1, 0xcc0);
            k.mem().write(st.resourceAlignment, b, 0, n);
            k.mem().write8(st.resourceAlignment + n, 0);
        } else {
            st.resourceAlignment = 0;
        }
        k.slab().kfree(old);
        return count;
    }

    // ---------------------------------------------------------------- registration

    /** int __pci_register_driver(struct pci_driver *drv, struct module *owner, const char *mod_name) */
    @KernelSymbol("__pci_register_driver")
    static int pciRegisterDriver(KernelContext k, long pdrv, long owner, long modName) {
        AddressSpace m = k.mem();
        long drv = pdrv + k.off("pci_driver_driver");
        m.write64(drv + k.off("device_driver_name"), m.read64(pdrv + k.off("pci_driver_name")));
        m.write64(drv + k.off("device_driver_bus"), k.sym("pci_bus_type"));
        m.write64(drv + k.off("device_driver_owner"), owner);
        m.write64(drv + k.off("device_driver_mod_name"), modName);
        m.write64(drv + k.off("device_driver_groups"), m.read64(pdrv + k.off("pci_driver_groups")));
        m.write64(drv + k.off("device_driver_dev_groups"), m.read64(pdrv + k.off("pci_driver_dev_groups")));
        long dynids = pdrv + k.off("pci_driver_dynids");
        m.write32(dynids + k.off("pci_dynids_lock"), 0);
        long list = dynids + k.off("pci_dynids_list");
        m.write64(list, list);
        m.write64(list + 8, list);
        return Driver.driverRegister(k, drv);
    }

    /** void pci_unregister_driver(struct pci_driver *drv): the driver, then its dynamic ids. */
    @KernelSymbol("pci_unregister_driver")
    static void pciUnregisterDriver(KernelContext k, long pdrv) {
        Driver.driverUnregister(k, pdrv + k.off("pci_driver_driver"));
        AddressSpace m = k.mem();
        long list = pdrv + k.off("pci_driver_dynids") + k.off("pci_dynids_list");
        for (long n = m.read64(list); n != list && n != 0;) {
            long next = m.read64(n);
            k.slab().kfree(n);
            n = next;
        }
        m.write64(list, list);
        m.write64(list + 8, list);
    }

    /** {@code sscanf(buf, "%x %x ...")} as the kernel's vsscanf reads hex fields: the values read. */
    static long[] scanHex(byte[] b, int max) {
        long[] out = new long[max];
        int n = 0;
        int i = 0;
        while (n < max) {
            while (i < b.length && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r' || b[i] == '\f'
                    || b[i] == 0x0b)) {
                i++;
            }
            if (i >= b.length || b[i] == 0) {
                break;
            }
            int j = i;
            if (j + 1 < b.length && b[j] == '0' && (b[j + 1] == 'x' || b[j + 1] == 'X') && j + 2 < b.length
                    && Character.digit(b[j + 2], 16) >= 0) {
                j += 2;
            }
            if (j >= b.length || Character.digit(b[j], 16) < 0) {
                break;
            }
            long v = 0;
            while (j < b.length && Character.digit(b[j], 16) >= 0) {
                v = v * 16 + Character.digit(b[j], 16);
                j++;
            }
            out[n++] = v;
            i = j;
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** {@code pci_match_one_device()} of an id against vendor, device, subsystem ids and class. */
    private static boolean matchOne(KernelContext k, long id, long[] dev) {
        AddressSpace m = k.mem();
        long vendor = m.read32(id + k.off("pci_device_id_vendor")) & ANY;
        long device = m.read32(id + k.off("pci_device_id_device")) & ANY;
        long subvendor = m.read32(id + k.off("pci_device_id_subvendor")) & ANY;
        long subdevice = m.read32(id + k.off("pci_device_id_subdevice")) & ANY;
        long cls = m.read32(id + k.off("pci_device_id_class")) & ANY;
        long mask = m.read32(id + k.off("pci_device_id_class_mask")) & ANY;
        return (vendor == ANY || vendor == dev[0]) && (device == ANY || device == dev[1])
                && (subvendor == ANY || subvendor == dev[2]) && (subdevice == ANY || subdevice == dev[3])
                && ((cls ^ dev[4]) & mask) == 0;
    }

    /** Whether an id table entry is the terminator ({@code vendor || subvendor || class_mask} all 0). */
    private static boolean end(KernelContext k, long id) {
        AddressSpace m = k.mem();
        return m.read32(id + k.off("pci_device_id_vendor")) == 0 && m.read32(id + k.off("pci_device_id_subvendor")) == 0
                && m.read32(id + k.off("pci_device_id_class_mask")) == 0;
    }

    /** {@code pci_match_device()} of a device with these ids: a dynamic id or one of the table. */
    private static boolean matches(KernelContext k, long pdrv, long[] dev) {
        AddressSpace m = k.mem();
        long list = pdrv + k.off("pci_driver_dynids") + k.off("pci_dynids_list");
        for (long n = m.read64(list); n != list && n != 0; n = m.read64(n)) {
            if (matchOne(k, n + DYNID_ID, dev)) {
                return true;
            }
        }
        long ids = m.read64(pdrv + k.off("pci_driver_id_table"));
        for (long id = ids; ids != 0 && !end(k, id); id += k.off("pci_device_id_sizeof")) {
            // an override_only entry matches only a device with driver_override set
            if (matchOne(k, id, dev) && m.read32(id + k.off("pci_device_id_override_only")) == 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * static ssize_t new_id_store(struct device_driver *driver, const char *buf, size_t count):
     * "VENDOR DEVICE [SUBVENDOR SUBDEVICE CLASS CLASS_MASK DRIVER_DATA]"; -EEXIST for an id the
     * driver matches already, -EINVAL for driver data no table entry has.
     */
    @KernelSymbol(value = "pci_new_id_store", internal = true)
    static long newIdStore(KernelContext k, long drv, long buf, long count) {
        AddressSpace m = k.mem();
        long pdrv = drv - k.off("pci_driver_driver");
        long[] f = scanHex(m.read(buf, (int) count), 7);
        if (f.length < 2) {
            return -Errno.EINVAL;
        }
        long[] dev = {f[0] & ANY, f[1] & ANY, f.length > 2 ? f[2] & ANY : ANY, f.length > 3 ? f[3] & ANY : ANY,
            f.length > 4 ? f[4] & ANY : 0};
        long classMask = f.length > 5 ? f[5] & ANY : 0;
        long driverData = f.length > 6 ? f[6] : 0;
        if (f.length != 7 && matches(k, pdrv, dev)) {
            return -Errno.EEXIST;
        }
        long ids = m.read64(pdrv + k.off("pci_driver_id_table"));
        if (ids != 0) {
            boolean found = false;
            for (long id = ids; !end(k, id); id += k.off("pci_device_id_sizeof")) {
                if (m.read64(id + k.off("pci_device_id_driver_data")) == driverData) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                return -Errno.EINVAL;
            }
        }
        long dynid = k.slab().kmalloc(DYNID_ID + k.off("pci_device_id_sizeof"), 0x100 | 0xcc0);
        if (dynid == 0) {
            return -Errno.ENOMEM;
        }
        long id = dynid + DYNID_ID;
        m.write32(id + k.off("pci_device_id_vendor"), (int) dev[0]);
        m.write32(id + k.off("pci_device_id_device"), (int) dev[1]);
        m.write32(id + k.off("pci_device_id_subvendor"), (int) dev[2]);
        m.write32(id + k.off("pci_device_id_subdevice"), (int) dev[3]);
        m.write32(id + k.off("pci_device_id_class"), (int) dev[4]);
        m.write32(id + k.off("pci_device_id_class_mask"), (int) classMask);
        m.write64(id + k.off("pci_device_id_driver_data"), driverData);
        long list = pdrv + k.off("pci_driver_dynids") + k.off("pci_dynids_list");
        long prev = m.read64(list + 8);
        m.write64(dynid, list);
        m.write64(dynid + 8, prev);
        m.write64(prev, dynid);
        m.write64(list + 8, dynid);
        int ret = Dd.driverAttach(k, drv);
        return ret != 0 ? ret : count;
    }

    /** static ssize_t remove_id_store(struct device_driver *driver, const char *buf, size_t count) */
    @KernelSymbol(value = "pci_remove_id_store", internal = true)
    static long removeIdStore(KernelContext k, long drv, long buf, long count) {
        AddressSpace m = k.mem();
        long pdrv = drv - k.off("pci_driver_driver");
        long[] f = scanHex(m.read(buf, (int) count), 6);
        if (f.length < 2) {
            return -Errno.EINVAL;
        }
        long vendor = f[0] & ANY;
        long device = f[1] & ANY;
        long subvendor = f.length > 2 ? f[2] & ANY : ANY;
        long subdevice = f.length > 3 ? f[3] & ANY : ANY;
        long cls = f.length > 4 ? f[4] & ANY : 0;
        long classMask = f.length > 5 ? f[5] & ANY : 0;
        long list = pdrv + k.off("pci_driver_dynids") + k.off("pci_dynids_list");
        for (long n = m.read64(list); n != list && n != 0; n = m.read64(n)) {
            long id = n + DYNID_ID;
            if ((m.read32(id + k.off("pci_device_id_vendor")) & ANY) == vendor
                    && (m.read32(id + k.off("pci_device_id_device")) & ANY) == device
                    && (subvendor == ANY || (m.read32(id + k.off("pci_device_id_subvendor")) & ANY) == subvendor)
                    && (subdevice == ANY || (m.read32(id + k.off("pci_device_id_subdevice")) & ANY) == subdevice)
                    && (((m.read32(id + k.off("pci_device_id_class")) & ANY) ^ cls) & classMask) == 0) {
                long next = m.read64(n);
                long prev = m.read64(n + 8);
                m.write64(prev, next);
                m.write64(next + 8, prev);
                k.slab().kfree(n);
                return count;
            }
        }
        return -Errno.ENODEV;
    }
}
