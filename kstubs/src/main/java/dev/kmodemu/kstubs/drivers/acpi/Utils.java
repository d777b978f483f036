package dev.kmodemu.kstubs.drivers.acpi;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * drivers/acpi/utils.c, scan.c, property.c and device_pm.c as they answer on the emulated machine,
 * whose ACPI namespace has no device objects: no handle names a {@code struct acpi_device}, so
 * {@code acpi_fetch_acpi_dev()} finds none, power management of a handle fails with -ENODEV, and
 * evaluating {@code _DSM} or {@code _PLD} fails as {@link Acpica#evaluate} does; no fwnode is an
 * ACPI device node.
 */
public final class Utils {
    /** {@code AE_NOT_FOUND}. */
    static final int AE_NOT_FOUND = 0x0005;

    private Utils() {
    }

    /** bool is_acpi_device_node(const struct fwnode_handle *fwnode): no fwnode has the ACPI device ops. */
    @KernelSymbol("is_acpi_device_node")
    static boolean isAcpiDeviceNode(KernelContext k, long fwnode) {
        return false;
    }

    /** struct acpi_device *acpi_fetch_acpi_dev(acpi_handle handle): NULL, no handle has a device. */
    @KernelSymbol("acpi_fetch_acpi_dev")
    static long acpiFetchAcpiDev(KernelContext k, long handle) {
        return 0;
    }

    /** int acpi_bus_set_power(acpi_handle handle, int state): -ENODEV without a device. */
    @KernelSymbol("acpi_bus_set_power")
    static int acpiBusSetPower(KernelContext k, long handle, int state) {
        return -dev.kmodemu.kstubs.Errno.ENODEV;
    }

    /** bool acpi_bus_power_manageable(acpi_handle handle): false without a device. */
    @KernelSymbol("acpi_bus_power_manageable")
    static boolean acpiBusPowerManageable(KernelContext k, long handle) {
        return false;
    }

    /**
     * union acpi_object *acpi_evaluate_dsm(acpi_handle handle, const guid_t *guid, u64 rev, u64 func,
     * union acpi_object *argv4): NULL; a failure other than AE_NOT_FOUND is warned about.
     */
    @KernelSymbol("acpi_evaluate_dsm")
    static long acpiEvaluateDsm(KernelContext k, long handle, long guid, long rev, long func, long argv4) {
        int status = Acpica.evaluate(k, handle, "_DSM");
        if (status != AE_NOT_FOUND) {
            k.printk(4, "ACPI: <n/a>: failed to evaluate _DSM " + guid(k, guid) + " (0x" + Integer.toHexString(status)
                    + ")");
        }
        return 0;
    }

    /** {@code %pUb}: the GUID's bytes in order, as 8-4-4-4-12 lower-case hex. */
    private static String guid(KernelContext k, long guid) {
        byte[] b = k.mem().read(guid, 16);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            if (i == 4 || i == 6 || i == 8 || i == 10) {
                s.append('-');
            }
            s.append(String.format("%02x", b[i] & 0xff));
        }
        return s.toString();
    }

    /** bool acpi_check_dsm(acpi_handle handle, const guid_t *guid, u64 rev, u64 funcs) */
    @KernelSymbol("acpi_check_dsm")
    static boolean acpiCheckDsm(KernelContext k, long handle, long guid, long rev, long funcs) {
        if (funcs == 0) {
            return false;
        }
        acpiEvaluateDsm(k, handle, guid, rev, 0, 0);
        return false;
    }

    /** acpi_status acpi_get_physical_device_location(acpi_handle handle, struct acpi_pld_info **pld) */
    @KernelSymbol("acpi_get_physical_device_location")
    static int acpiGetPhysicalDeviceLocation(KernelContext k, long handle, long pld) {
        return Acpica.evaluate(k, handle, "_PLD");
    }
}
