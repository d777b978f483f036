package dev.kmodemu.kstubs.drivers.base.power;

import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.drivers.base.Core;
import dev.kmodemu.kstubs.mm.Gfp;
import dev.kmodemu.kstubs.lib.Kstrtox;
import dev.kmodemu.kstubs.kernel.Oops;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * drivers/base/power/qos.c: device PM QoS requests. The first request of a device allocates its
 * {@code dev->power.qos} (a real, zeroed {@code struct dev_pm_qos}, so code testing the pointer sees
 * it); the requests and their effective values (flags ORed, latencies the minimum, as
 * {@code pm_qos_update_flags()} and {@code pm_qos_update_target()} compute them) are kept here.
 * A request carries its device in {@code req->dev}, which the inline
 * {@code dev_pm_qos_request_active()} reads. {@code dev_pm_qos_expose_flags()} adds the user's
 * flags request and the {@code power/pm_qos_no_power_off} file; {@code device_del()} destroys it
 * all and leaves {@code ERR_PTR(-ENODEV)} as the kernel does.
 */
public final class Qos {
    /** {@code PM_QOS_RESUME_LATENCY_NO_CONSTRAINT} (S32_MAX): no resume latency request. */
    private static final int NO_CONSTRAINT = Integer.MAX_VALUE;

    private final Map<Long, Map<Long, Integer>> requests = new LinkedHashMap<>();
    private final Map<Long, Long> flagsReq = new LinkedHashMap<>();

    private Qos() {
    }

    private static Qos of(KernelContext k) {
        return k.state(Qos.class, Qos::new);
    }

    private static long qosAt(KernelContext k, long dev) {
        return dev + k.off("device_power") + k.off("dev_pm_info_qos");
    }

    private static boolean isErrOrNull(long p) {
        return p == 0 || Long.compareUnsigned(p, -4095L) >= 0;
    }

    /** The effective value of a type: flags ORed together, latencies their minimum. */
    private int effective(KernelContext k, long qos, int type) {
        Map<Long, Integer> reqs = requests.getOrDefault(qos, Map.of());
        boolean flags = type == k.off("DEV_PM_QOS_FLAGS");
        int v = flags ? 0 : NO_CONSTRAINT;
        for (Map.Entry<Long, Integer> e : reqs.entrySet()) {
            if (k.mem().read32(e.getKey() + k.off("dev_pm_qos_request_type")) != type) {
                continue;
            }
            v = flags ? v | e.getValue() : Math.min(v, e.getValue());
        }
        return v;
    }

    /** {@code apply_constraint()}: 1 if the effective value changed, else 0. */
    private int apply(KernelContext k, long qos, long req, Integer value) {
        int type = k.mem().read32(req + k.off("dev_pm_qos_request_type"));
        int before = effective(k, qos, type);
        Map<Long, Integer> reqs = requests.computeIfAbsent(qos, q -> new LinkedHashMap<>());
        if (value == null) {
            reqs.remove(req);
        } else {
            reqs.put(req, value);
            k.mem().write32(req + k.off("dev_pm_qos_request_data"), value);
        }
        return effective(k, qos, type) == before ? 0 : 1;
    }

    /**
     * int dev_pm_qos_add_request(struct device *dev, struct dev_pm_qos_request *req,
     * enum dev_pm_qos_req_type type, s32 value)
     */
    @KernelSymbol("dev_pm_qos_add_request")
    static int devPmQosAddRequest(KernelContext k, long dev, long req, int type, int value) {
        if (req == 0) {
            return -Errno.EINVAL;
        }
        if (k.mem().read64(req + k.off("dev_pm_qos_request_dev")) != 0) {
            Oops.warn(k, "drivers/base/power/qos.c:337", "dev_pm_qos_add_request",
                    "dev_pm_qos_add_request() called for already added request");
            return -Errno.EINVAL;
        }
        long qos = k.mem().read64(qosAt(k, dev));
        if (Long.compareUnsigned(qos, -4095L) >= 0) {
            return -Errno.ENODEV;
        }
        if (qos == 0) {
            qos = k.slab().kmalloc(k.off("dev_pm_qos_sizeof"), Gfp.ZERO);
            if (qos == 0) {
                return -Errno.ENOMEM;
            }
            k.mem().write64(qosAt(k, dev), qos);
        }
        k.mem().write64(req + k.off("dev_pm_qos_request_dev"), dev);
        k.mem().write32(req + k.off("dev_pm_qos_request_type"), type);
        return of(k).apply(k, qos, req, value);
    }

    /** int dev_pm_qos_update_request(struct dev_pm_qos_request *req, s32 new_value) */
    @KernelSymbol("dev_pm_qos_update_request")
    static int devPmQosUpdateRequest(KernelContext k, long req, int value) {
        if (req == 0) {
            return -Errno.EINVAL;
        }
        long dev = k.mem().read64(req + k.off("dev_pm_qos_request_dev"));
        if (dev == 0) {
            Oops.warn(k, "drivers/base/power/qos.c:414", "dev_pm_qos_update_request",
                    "dev_pm_qos_update_request() called for unknown object");
            return -Errno.EINVAL;
        }
        long qos = k.mem().read64(qosAt(k, dev));
        if (isErrOrNull(qos)) {
            return -Errno.ENODEV;
        }
        if (k.mem().read32(req + k.off("dev_pm_qos_request_data")) == value) {
            return 0;
        }
        return of(k).apply(k, qos, req, value);
    }

    /** int dev_pm_qos_remove_request(struct dev_pm_qos_request *req) */
    @KernelSymbol("dev_pm_qos_remove_request")
    static int devPmQosRemoveRequest(KernelContext k, long req) {
        if (req == 0) {
            return -Errno.EINVAL;
        }
        long dev = k.mem().read64(req + k.off("dev_pm_qos_request_dev"));
        if (dev == 0) {
            Oops.warn(k, "drivers/base/power/qos.c:481", "dev_pm_qos_remove_request",
                    "dev_pm_qos_remove_request() called for unknown object");
            return -Errno.EINVAL;
        }
        long qos = k.mem().read64(qosAt(k, dev));
        if (isErrOrNull(qos)) {
            return -Errno.ENODEV;
        }
        int ret = of(k).apply(k, qos, req, null);
        k.mem().write(req, new byte[(int) k.off("dev_pm_qos_request_sizeof")]);
        return ret;
    }

    /** enum pm_qos_flags_status dev_pm_qos_flags(struct device *dev, s32 mask) */
    @KernelSymbol("dev_pm_qos_flags")
    static int devPmQosFlags(KernelContext k, long dev, int mask) {
        long qos = k.mem().read64(qosAt(k, dev));
        Qos q = of(k);
        int type = (int) k.off("DEV_PM_QOS_FLAGS");
        if (isErrOrNull(qos) || q.requests.getOrDefault(qos, Map.of()).keySet().stream()
                .noneMatch(r -> k.mem().read32(r + k.off("dev_pm_qos_request_type")) == type)) {
            return -1;
        }
        int val = q.effective(k, qos, type) & mask;
        return val == 0 ? 0 : val == mask ? 2 : 1;
    }

    /** int dev_pm_qos_expose_flags(struct device *dev, s32 val): the user's request and its file. */
    @KernelSymbol("dev_pm_qos_expose_flags")
    static int devPmQosExposeFlags(KernelContext k, long dev, int val) {
        long req = k.slab().kmalloc(k.off("dev_pm_qos_request_sizeof"), Gfp.ZERO);
        if (req == 0) {
            return -Errno.ENOMEM;
        }
        int ret = devPmQosAddRequest(k, dev, req, (int) k.off("DEV_PM_QOS_FLAGS"), val);
        if (ret < 0) {
            k.slab().kfree(req);
            return ret;
        }
        Runtime.getSync(k, dev);
        long qos = k.mem().read64(qosAt(k, dev));
        Qos q = of(k);
        if (q.flagsReq.containsKey(qos)) {
            q.apply(k, qos, req, null);
            k.slab().kfree(req);
            ret = -Errno.EEXIST;
        } else {
            q.flagsReq.put(qos, req);
            ret = Sysfs.mergeGroup(k, dev, "pm_qos_flags_attr_group");
            if (ret != 0) {
                q.dropFlagsRequest(k, qos);
            }
        }
        Runtime.put(k, dev);
        return ret;
    }

    /** void dev_pm_qos_hide_flags(struct device *dev) */
    @KernelSymbol("dev_pm_qos_hide_flags")
    static void devPmQosHideFlags(KernelContext k, long dev) {
        long qos = k.mem().read64(qosAt(k, dev));
        Qos q = of(k);
        if (isErrOrNull(qos) || !q.flagsReq.containsKey(qos)) {
            return;
        }
        Sysfs.unmergeGroup(k, dev, "pm_qos_flags_attr_group");
        q.dropFlagsRequest(k, qos);
    }

    private void dropFlagsRequest(KernelContext k, long qos) {
        Long req = flagsReq.remove(qos);
        if (req != null) {
            apply(k, qos, req, null);
            k.slab().kfree(req);
        }
    }

    /**
     * {@code dev_pm_qos_constraints_destroy()}, from {@code dpm_sysfs_remove()}: the exposed files
     * and the user's request go, every other request is emptied, and {@code dev->power.qos} becomes
     * {@code ERR_PTR(-ENODEV)}.
     */
    static void destroy(KernelContext k, long dev) {
        long qos = k.mem().read64(qosAt(k, dev));
        if (isErrOrNull(qos)) {
            return;
        }
        Qos q = of(k);
        if (q.flagsReq.containsKey(qos)) {
            Sysfs.unmergeGroup(k, dev, "pm_qos_flags_attr_group");
            q.dropFlagsRequest(k, qos);
        }
        Map<Long, Integer> reqs = q.requests.remove(qos);
        if (reqs != null) {
            for (long req : reqs.keySet()) {
                k.mem().write(req, new byte[(int) k.off("dev_pm_qos_request_sizeof")]);
            }
        }
        k.mem().write64(qosAt(k, dev), -Errno.ENODEV);
        k.slab().kfree(qos);
    }

    /** {@code static const struct attribute_group pm_qos_flags_attr_group}. */
    @KernelData(value = "pm_qos_flags_attr_group", section = Machine.Section.RODATA, size = 80 + 16 + 96)
    static void pmQosFlagsAttrGroup(KernelContext k, long at) {
        Sysfs.powerGroup(k, at, new String[][] {
            {"pm_qos_no_power_off", "644", "pm_qos_no_power_off_show", "pm_qos_no_power_off_store"},
        });
    }

    /** The value of the device's user flags request ({@code dev_pm_qos_requested_flags()}). */
    private static int requestedFlags(KernelContext k, long dev) {
        long qos = k.mem().read64(qosAt(k, dev));
        Long req = isErrOrNull(qos) ? null : of(k).flagsReq.get(qos);
        return req == null ? 0 : k.mem().read32(req + k.off("dev_pm_qos_request_data"));
    }

    /** static ssize_t pm_qos_no_power_off_show(struct device *dev, struct device_attribute *attr, char *buf) */
    @KernelSymbol(value = "pm_qos_no_power_off_show", internal = true)
    static long noPowerOffShow(KernelContext k, long dev, long attr, long buf) {
        int bit = (int) k.off("PM_QOS_FLAG_NO_POWER_OFF");
        return Sysfs.emit(k, buf, ((requestedFlags(k, dev) & bit) != 0 ? 1 : 0) + "\n");
    }

    /** static ssize_t pm_qos_no_power_off_store(struct device *dev, struct device_attribute *attr, const char *buf, size_t n) */
    @KernelSymbol(value = "pm_qos_no_power_off_store", internal = true)
    static long noPowerOffStore(KernelContext k, long dev, long attr, long buf, long n) {
        Kstrtox.Parsed p = Kstrtox.kstrtoll(k.mem().read(buf, (int) n), 0);
        if (p.err() != 0 || p.value() != (int) p.value()) {
            return p.err() != 0 ? p.err() : -Errno.ERANGE;
        }
        int ret = devPmQosUpdateFlags(k, dev, (int) k.off("PM_QOS_FLAG_NO_POWER_OFF"), p.value() != 0);
        return ret < 0 ? ret : n;
    }

    /** int dev_pm_qos_update_flags(struct device *dev, s32 mask, bool set) */
    @KernelSymbol(value = "dev_pm_qos_update_flags", internal = true)
    static int devPmQosUpdateFlags(KernelContext k, long dev, int mask, boolean set) {
        Runtime.getSync(k, dev);
        long qos = k.mem().read64(qosAt(k, dev));
        Long req = isErrOrNull(qos) ? null : of(k).flagsReq.get(qos);
        int ret;
        if (req == null) {
            ret = -Errno.EINVAL;
        } else {
            int value = k.mem().read32(req + k.off("dev_pm_qos_request_data"));
            value = set ? value | mask : value & ~mask;
            ret = devPmQosUpdateRequest(k, req, value);
        }
        Runtime.put(k, dev);
        return ret;
    }
}
