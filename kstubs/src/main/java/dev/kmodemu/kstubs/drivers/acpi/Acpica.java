package dev.kmodemu.kstubs.drivers.acpi;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * drivers/acpi/acpica/nsxfeval.c's {@code acpi_evaluate_object()} over the emulated machine's
 * namespace, which holds only its root: an absolute path or a name under the root is not found
 * (AE_NOT_FOUND), a relative name without a handle is AE_BAD_PARAMETER, and so is any other handle,
 * since no namespace node could have been handed out.
 */
public final class Acpica {
    /** {@code AE_BAD_PARAMETER}. */
    static final int AE_BAD_PARAMETER = 0x1001;
    /** {@code ACPI_ROOT_OBJECT}. */
    private static final long ROOT = -1L;

    private Acpica() {
    }

    /** The status of evaluating {@code pathname} relative to {@code handle}. */
    static int evaluate(KernelContext k, long handle, String pathname) {
        if (handle != 0 && handle != ROOT) {
            return AE_BAD_PARAMETER;
        }
        if (pathname != null && pathname.startsWith("\\")) {
            return Utils.AE_NOT_FOUND;
        }
        return handle == 0 ? AE_BAD_PARAMETER : Utils.AE_NOT_FOUND;
    }

    /**
     * acpi_status acpi_evaluate_object(acpi_handle handle, acpi_string pathname,
     * struct acpi_object_list *external_params, struct acpi_buffer *return_buffer)
     */
    @KernelSymbol("acpi_evaluate_object")
    static int acpiEvaluateObject(KernelContext k, long handle, long pathname, long params, long buffer) {
        return evaluate(k, handle, pathname == 0 ? null : k.mem().readCString(pathname, 256));
    }
}
