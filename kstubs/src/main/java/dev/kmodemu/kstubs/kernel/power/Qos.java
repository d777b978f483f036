package dev.kmodemu.kstubs.kernel.power;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.kernel.Oops;
import dev.kmodemu.kstubs.lib.Lists;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * kernel/power/qos.c: the CPU latency QoS requests drivers hold while they stream (the sound
 * core's PCM while running, for one). A request is active when its {@code qos} points at
 * {@code cpu_latency_constraints}; its value is its plist node's priority, and the effective
 * target is the smallest of them ({@code PM_QOS_MIN}), or the default of 2000 s without any. The
 * target changes no idle state here: the emulated CPU has no cpuidle driver.
 */
public final class Qos {
    private Qos() {
    }

    /** Active requests, address → value, in the order they were added. */
    private static Map<Long, Integer> requests(KernelContext k) {
        return k.state(Qos.class, LinkedHashMap::new);
    }

    /** {@code cpu_latency_qos_limit()}: the effective target in µs. */
    public static int limit(KernelContext k) {
        int def = (int) k.off("PM_QOS_CPU_LATENCY_DEFAULT_VALUE");
        return requests(k).values().stream().min(Integer::compare).orElse(def);
    }

    /** {@code struct pm_qos_constraints cpu_latency_constraints}. */
    @KernelData(value = "cpu_latency_constraints", sizeOf = "pm_qos_constraints_sizeof", align = 8)
    static void constraints(KernelContext k, long at) {
    }

    private static long qos(KernelContext k, long req) {
        return k.mem().read64(req + k.off("pm_qos_request_qos"));
    }

    /** bool cpu_latency_qos_request_active(struct pm_qos_request *req) */
    @KernelSymbol("cpu_latency_qos_request_active")
    static boolean active(KernelContext k, long req) {
        return qos(k, req) == k.sym("cpu_latency_constraints");
    }

    /** {@code plist_node_init()} with the request's value; {@code PM_QOS_DEFAULT_VALUE} (-1) means the default. */
    private static void setValue(KernelContext k, long req, int value) {
        if (value == -1) {
            value = (int) k.off("PM_QOS_CPU_LATENCY_DEFAULT_VALUE");
        }
        long node = req + k.off("pm_qos_request_node");
        k.mem().write32(node + k.off("plist_node_prio"), value);
        Lists.init(k, node + k.off("plist_node_prio_list"));
        Lists.init(k, node + k.off("plist_node_node_list"));
        requests(k).put(req, value);
    }

    /** void cpu_latency_qos_add_request(struct pm_qos_request *req, s32 value) */
    @KernelSymbol("cpu_latency_qos_add_request")
    static void addRequest(KernelContext k, long req, int value) {
        if (req == 0) {
            return;
        }
        if (active(k, req)) {
            Oops.warn(k, "kernel/power/qos.c:270", "cpu_latency_qos_add_request",
                    "cpu_latency_qos_add_request called for already added request", 3);
            return;
        }
        k.mem().write64(req + k.off("pm_qos_request_qos"), k.sym("cpu_latency_constraints"));
        setValue(k, req, value);
    }

    /** void cpu_latency_qos_update_request(struct pm_qos_request *req, s32 new_value) */
    @KernelSymbol("cpu_latency_qos_update_request")
    static void updateRequest(KernelContext k, long req, int value) {
        if (req == 0) {
            return;
        }
        if (!active(k, req)) {
            Oops.warn(k, "kernel/power/qos.c:296", "cpu_latency_qos_update_request",
                    "cpu_latency_qos_update_request called for unknown object", 3);
            return;
        }
        if (value != k.mem().read32(req + k.off("pm_qos_request_node") + k.off("plist_node_prio"))) {
            setValue(k, req, value);
        }
    }

    /** void cpu_latency_qos_remove_request(struct pm_qos_request *req): the request zeroed */
    @KernelSymbol("cpu_latency_qos_remove_request")
    static void removeRequest(KernelContext k, long req) {
        if (req == 0) {
            return;
        }
        if (!active(k, req)) {
            Oops.warn(k, "kernel/power/qos.c:322", "cpu_latency_qos_remove_request",
                    "cpu_latency_qos_remove_request called for unknown object", 3);
            return;
        }
        requests(k).remove(req);
        k.mem().fill(req, k.off("pm_qos_request_sizeof"), (byte) 0);
    }
}
