package dev.kmodemu.kstubs.drivers.base.firmware;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.drivers.base.Core;
import dev.kmodemu.kstubs.lib.Lists;

/**
 * drivers/base/firmware_loader/main.c: firmware requests. The emulated system has no
 * /lib/firmware (nor updates/ or a firmware_class.path), and Debian's kernel has no built-in
 * firmware, so every load fails as on a machine without the file: the direct load of NAME and of
 * NAME.xz (CONFIG_FW_LOADER_COMPRESS_XZ) find nothing, the platform fallback is not asked for, the
 * sysfs fallback is off unless the caller asks for the user helper, and the caller gets -ENOENT
 * with "Direct firmware load for NAME failed with error -2" (unless it asked for no warning) and
 * a NULL firmware. Debian's kernel also logs "firmware: failed to load NAME (-2)" for each of
 * the two attempts, and once "See https://wiki.debian.org/Firmware ...". Asynchronous requests run the same steps in a work item, then call the
 * driver's callback with NULL.
 *
 * <p>Not provided: the user-helper fallback ({@code request_firmware_nowait()} with
 * {@code uevent} false: the kernel would make /sys/class/firmware/NAME and wait 60 s for user
 * space); those requests fail with -ENOENT after the warning like the others.
 */
public final class FirmwareLoader {
    private static final int FW_OPT_NOWAIT = 1 << 1;
    private static final int FW_OPT_NO_WARN = 1 << 4;
    private static final int FW_OPT_PARTIAL = 1 << 10;
    /** {@code WORK_CPU_UNBOUND}: NR_CPUS of Debian's kernel (8192). */
    private static final int WORK_CPU_UNBOUND = 8192;

    // struct firmware_work (private to main.c): the work item, then its fields
    private static final int FW_MODULE = 0;
    private static final int FW_NAME = 8;
    private static final int FW_DEVICE = 16;
    private static final int FW_CONTEXT = 24;
    private static final int FW_CONT = 32;
    private static final int FW_OPT_FLAGS = 40;
    private static final int FW_FIELDS = 48;

    private FirmwareLoader() {
    }

    /** Whether "See https://wiki.debian.org/Firmware ..." was logged ({@code pr_err_once}). */
    private static final class Once {
        boolean logged;
    }

    /** The end of Debian's {@code fw_get_filesystem_firmware()} when no path has the file. */
    private static void notFound(KernelContext k, long device, String name) {
        Core.log(k, 3, device, "firmware: failed to load " + name + " (" + -Errno.ENOENT + ")");
        Once once = k.state(Once.class, Once::new);
        if (!once.logged) {
            once.logged = true;
            k.printk(3, "firmware_class: See https://wiki.debian.org/Firmware for information about missing firmware");
        }
    }

    /**
     * {@code _request_firmware()}: always fails (see the class comment); {@code *firmware_p} is
     * set to NULL.
     */
    private static int request(KernelContext k, long firmwareP, long name, long device, int optFlags) {
        if (firmwareP == 0) {
            return -Errno.EINVAL;
        }
        int ret;
        String n = name == 0 ? "" : k.string(name, 4096);
        if (n.isEmpty()) {
            ret = -Errno.EINVAL;
        } else if (("/" + n + "/").contains("/../")) {
            Core.log(k, 4, device, "Firmware load for '" + n + "' refused, path contains '..' component");
            ret = -Errno.EINVAL;
        } else {
            // fw_get_filesystem_firmware() for "", then ".xz" for full reads: no such files, each
            // failure logged by Debian's firmware_class patch
            ret = -Errno.ENOENT;
            notFound(k, device, n);
            if ((optFlags & FW_OPT_PARTIAL) == 0) {
                notFound(k, device, n);
            }
            if ((optFlags & FW_OPT_NO_WARN) == 0) {
                Core.log(k, 4, device, "Direct firmware load for " + n + " failed with error " + ret);
            }
        }
        k.mem().write64(firmwareP, 0);
        return ret;
    }

    /** int request_firmware(const struct firmware **firmware_p, const char *name, struct device *device) */
    @KernelSymbol("request_firmware")
    static int requestFirmware(KernelContext k, long firmwareP, long name, long device) {
        return request(k, firmwareP, name, device, 0);
    }

    /** int firmware_request_nowarn(const struct firmware **firmware, const char *name, struct device *device) */
    @KernelSymbol("firmware_request_nowarn")
    static int firmwareRequestNowarn(KernelContext k, long firmwareP, long name, long device) {
        return request(k, firmwareP, name, device, FW_OPT_NO_WARN);
    }

    /** int request_firmware_direct(const struct firmware **firmware_p, const char *name, struct device *device) */
    @KernelSymbol("request_firmware_direct")
    static int requestFirmwareDirect(KernelContext k, long firmwareP, long name, long device) {
        return request(k, firmwareP, name, device, FW_OPT_NO_WARN);
    }

    /**
     * int request_firmware_into_buf(const struct firmware **firmware_p, const char *name,
     * struct device *device, void *buf, size_t size)
     */
    @KernelSymbol("request_firmware_into_buf")
    static int requestFirmwareIntoBuf(KernelContext k, long firmwareP, long name, long device, long buf, long size) {
        return request(k, firmwareP, name, device, 0);
    }

    /**
     * int request_partial_firmware_into_buf(const struct firmware **firmware_p, const char *name,
     * struct device *device, void *buf, size_t size, size_t offset)
     */
    @KernelSymbol("request_partial_firmware_into_buf")
    static int requestPartialFirmwareIntoBuf(KernelContext k, long firmwareP, long name, long device, long buf,
            long size, long offset) {
        return request(k, firmwareP, name, device, FW_OPT_PARTIAL);
    }

    /** void release_firmware(const struct firmware *fw) */
    @KernelSymbol("release_firmware")
    static void releaseFirmware(KernelContext k, long fw) {
        // No request ever succeeds, so no firmware has data pages to free: only the struct.
        k.slab().kfree(fw);
    }

    /**
     * int request_firmware_nowait(struct module *module, bool uevent, const char *name,
     * struct device *device, gfp_t gfp, void *context,
     * void (*cont)(const struct firmware *fw, void *context))
     */
    @KernelSymbol("request_firmware_nowait")
    static int requestFirmwareNowait(KernelContext k, long module, boolean uevent, long name, long device, int gfp,
            long context, long cont) {
        AddressSpace m = k.mem();
        int workSize = k.off("work_struct_sizeof");
        long fwWork = k.slab().kmalloc(workSize + FW_FIELDS, gfp | 0x100);
        if (fwWork == 0) {
            return -Errno.ENOMEM;
        }
        long f = fwWork + workSize;
        m.write64(f + FW_MODULE, module);
        m.write64(f + FW_NAME, k.kstrdup(k.string(name, 4096)));
        m.write64(f + FW_DEVICE, device);
        m.write64(f + FW_CONTEXT, context);
        m.write64(f + FW_CONT, cont);
        m.write32(f + FW_OPT_FLAGS, FW_OPT_NOWAIT);
        if (module != 0 && (k.call(k.sym("try_module_get"), module) & 0xff) == 0) {
            k.slab().kfree(m.read64(f + FW_NAME));
            k.slab().kfree(fwWork);
            return -Errno.EFAULT;
        }
        Core.getDevice(k, device);
        // INIT_WORK(&fw_work->work, request_firmware_work_func)
        m.write64(fwWork + k.off("work_struct_data"), k.off("WORK_STRUCT_NO_POOL"));
        Lists.init(k, fwWork + k.off("work_struct_entry"));
        m.write64(fwWork + k.off("work_struct_func"), k.sym("request_firmware_work_func"));
        k.call(k.sym("queue_work_on"), WORK_CPU_UNBOUND, k.mem().read64(k.sym("system_wq")), fwWork);
        return 0;
    }

    /** static void request_firmware_work_func(struct work_struct *work) */
    @KernelSymbol(value = "request_firmware_work_func", internal = true)
    static void requestFirmwareWorkFunc(KernelContext k, long work) {
        AddressSpace m = k.mem();
        long f = work + k.off("work_struct_sizeof");
        long fw = k.slab().kmalloc(8, 0xcc0);
        long device = m.read64(f + FW_DEVICE);
        request(k, fw, m.read64(f + FW_NAME), device, m.read32(f + FW_OPT_FLAGS));
        long firmware = m.read64(fw);
        k.slab().kfree(fw);
        k.call(m.read64(f + FW_CONT), firmware, m.read64(f + FW_CONTEXT));
        Core.putDevice(k, device);
        long module = m.read64(f + FW_MODULE);
        if (module != 0) {
            k.call(k.sym("module_put"), module);
        }
        k.slab().kfree(m.read64(f + FW_NAME));
        k.slab().kfree(work);
    }
}
