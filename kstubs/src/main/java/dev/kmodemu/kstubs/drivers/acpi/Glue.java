package dev.kmodemu.kstubs.drivers.acpi;

import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

import java.util.ArrayList;
import java.util.List;

/**
 * drivers/acpi/glue.c: bus types that find ACPI companions for their devices. ACPI is enabled but
 * the emulated machine's namespace has no device objects, so registering a bus type works (and is
 * logged as the kernel logs it) while no device ever gets a companion: the child lookups return
 * NULL, as {@code acpi_find_child()} does for a parent without children.
 */
public final class Glue {
    private final List<Long> busTypes = new ArrayList<>();

    private Glue() {
    }

    private static Glue of(KernelContext k) {
        return k.state(Glue.class, Glue::new);
    }

    private static String name(KernelContext k, long type) {
        long n = k.mem().read64(type + k.off("acpi_bus_type_name"));
        return n == 0 ? "(null)" : k.mem().readCString(n, 256);
    }

    /** int register_acpi_bus_type(struct acpi_bus_type *type): needs match and find_companion. */
    @KernelSymbol("register_acpi_bus_type")
    static int registerAcpiBusType(KernelContext k, long type) {
        if (type != 0 && k.mem().read64(type + k.off("acpi_bus_type_match")) != 0
                && k.mem().read64(type + k.off("acpi_bus_type_find_companion")) != 0) {
            of(k).busTypes.add(type);
            k.printk(6, "ACPI: bus type " + name(k, type) + " registered");
            return 0;
        }
        return -Errno.ENODEV;
    }

    /** int unregister_acpi_bus_type(struct acpi_bus_type *type) */
    @KernelSymbol("unregister_acpi_bus_type")
    static int unregisterAcpiBusType(KernelContext k, long type) {
        if (type == 0) {
            return -Errno.ENODEV;
        }
        of(k).busTypes.remove(type);
        k.printk(6, "ACPI: bus type " + name(k, type) + " unregistered");
        return 0;
    }

    /** struct acpi_device *acpi_find_child_device(struct acpi_device *parent, u64 address, bool check_children) */
    @KernelSymbol("acpi_find_child_device")
    static long acpiFindChildDevice(KernelContext k, long parent, long address, boolean checkChildren) {
        return 0;
    }

    /** struct acpi_device *acpi_find_child_by_adr(struct acpi_device *adev, acpi_bus_address adr) */
    @KernelSymbol("acpi_find_child_by_adr")
    static long acpiFindChildByAdr(KernelContext k, long adev, long adr) {
        return 0;
    }
}
