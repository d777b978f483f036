package dev.kmodemu.kstubs.kernel;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The CPU hotplug state machine of kernel/cpu.c ({@code cpuhp_hp_states}, the dynamic slots,
 * {@code __cpuhp_setup_state()} and friends), kept apart from {@link Cpu}'s masks. The one CPU is
 * online, so its state is {@code CPUHP_ONLINE}: setting a state up with {@code invoke} calls the
 * startup callback once for CPU 0, removing it calls the teardown callback, as on a machine with
 * one present CPU. The callbacks run in the calling task rather than in the CPU's {@code cpuhp/0}
 * thread (an AP state's callback runs there on the real kernel), which only shows if a callback
 * looks at {@code current}. The kernel's own states are those Debian's kernel has after booting
 * in QEMU (its /sys/devices/system/cpu/hotplug/states, read with qemu-oracle), so dynamic states
 * are handed out from the same slots: the first module's online state is 211, its prepare state 71.
 */
public final class CpuHotplug {
    /** The named states of Debian's booted kernel: number, name. */
    private static final Object[][] BOOT_STATES = {
        {0, "offline"}, {1, "threads:prepare"}, {2, "perf:prepare"}, {9, "x86/mce:dead"}, {11, "slub:dead"},
        {13, "mm/writeback:dead"}, {15, "mm/vmstat:dead"}, {16, "softirq:dead"}, {21, "irq_poll:dead"},
        {22, "block/softirq:dead"}, {23, "block/bio:dead"}, {24, "acpi/cpu-drv:dead"}, {26, "block/mq:dead"},
        {27, "fs/buffer:dead"}, {28, "printk:dead"}, {29, "mm/memctrl:dead"}, {31, "lib/percpu_cnt:dead"},
        {32, "lib/radix:dead"}, {33, "mm/page_alloc:pcp"}, {34, "net/dev:dead"}, {36, "iommu/iova:dead"},
        {40, "random:prepare"}, {41, "workqueue:prepare"}, {43, "hrtimers:prepare"}, {46, "smpcfd:prepare"},
        {47, "relay:prepare"}, {48, "slab:prepare"}, {50, "RCU/tree:prepare"}, {59, "base/topology:prepare"},
        {62, "trace/RB:prepare"}, {64, "mm/zswap:prepare"}, {65, "mm/zswap_pool:prepare"}, {68, "timers:prepare"},
        {70, "fork:vm_stack_cache"}, {91, "cpu:bringup"}, {92, "idle:dead"}, {93, "ap:offline"},
        {94, "sched:starting"}, {95, "RCU/tree:dying"}, {148, "smpcfd:dying"}, {149, "hrtimers:dying"},
        {152, "ap:online"}, {153, "cpu:teardown"}, {155, "sched:waitempty"}, {156, "smpboot/threads:online"},
        {158, "irq/affinity:online"}, {159, "block/mq:online"}, {162, "perf:online"}, {196, "lockup_detector:online"},
        {197, "workqueue:online"}, {198, "random:online"}, {199, "RCU/tree:online"}, {200, "base/cacheinfo:online"},
        {201, "mm/writeback:online"}, {202, "mm/vmstat:online"}, {203, "padata:online"}, {204, "mm/compaction:online"},
        {205, "io-wq/online"}, {206, "lib/percpu_cnt:online"}, {207, "acpi/cpu-drv:online"},
        {208, "leds/trigger:starting"}, {209, "x86/mce:online"}, {210, "printk:online"}, {235, "sched:active"},
        {236, "online"},
    };

    /** One {@code struct cpuhp_step}: a kernel name (Java) or a module's (guest pointer, read when shown). */
    private static final class Step {
        String kernelName;
        long name;
        long startup;
        long teardown;
        boolean multiInstance;
        final List<Long> instances = new ArrayList<>();

        boolean named() {
            return kernelName != null || name != 0;
        }
    }

    private final KernelContext k;
    private final Step[] steps;

    private CpuHotplug(KernelContext k) {
        this.k = k;
        steps = new Step[k.off("CPUHP_ONLINE") + 1];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = new Step();
        }
        for (Object[] s : BOOT_STATES) {
            steps[(Integer) s[0]].kernelName = (String) s[1];
        }
    }

    private static CpuHotplug of(KernelContext k) {
        return k.state(CpuHotplug.class, () -> new CpuHotplug(k));
    }

    /** {@code cpuhp_reserve_state()}: the first unnamed slot of a dynamic range. */
    private int reserve(int state) {
        int end;
        if (state == k.off("CPUHP_AP_ONLINE_DYN")) {
            end = k.off("CPUHP_AP_ONLINE_DYN_END");
        } else if (state == k.off("CPUHP_BP_PREPARE_DYN")) {
            end = k.off("CPUHP_BP_PREPARE_DYN_END");
        } else {
            return -Errno.EINVAL;
        }
        for (int i = state; i <= end; i++) {
            if (!steps[i].named()) {
                return i;
            }
        }
        Oops.warn(k, "kernel/cpu.c:1946", "cpuhp_reserve_state", "No more dynamic states available for CPU hotplug");
        return -Errno.ENOSPC;
    }

    private boolean dynamic(int state) {
        return state == k.off("CPUHP_AP_ONLINE_DYN") || state == k.off("CPUHP_BP_PREPARE_DYN");
    }

    /** {@code cpuhp_store_callbacks()}: installs (name != 0) or clears a step; the state or an error. */
    private int store(int state, long name, long startup, long teardown, boolean multi) {
        int ret = 0;
        if (name != 0 && dynamic(state)) {
            ret = reserve(state);
            if (ret < 0) {
                return ret;
            }
            state = ret;
        }
        Step sp = steps[state];
        if (name != 0 && sp.named()) {
            return -Errno.EBUSY;
        }
        sp.startup = startup;
        sp.teardown = teardown;
        sp.name = name;
        sp.kernelName = null;
        sp.multiInstance = multi;
        sp.instances.clear();
        return ret;
    }

    /** {@code cpuhp_issue_call()} for CPU 0: the single or (with a node) multi-instance callback. */
    private int issue(int state, boolean bringup, long node) {
        Step sp = steps[state];
        long fn = bringup ? sp.startup : sp.teardown;
        if (fn == 0) {
            return 0;
        }
        int ret = (int) (sp.multiInstance && node != 0 ? k.call(fn, 0, node) : k.call(fn, 0));
        if (ret != 0 && !bringup) {
            throw Oops.bug(k, "kernel/cpu.c:2023");
        }
        return ret;
    }

    /** CPU 0 is online: its state is at least every state there is. */
    private boolean cpuAtLeast(int state) {
        return k.off("CPUHP_ONLINE") >= state;
    }

    private static boolean checkState(KernelContext k, int state) {
        return state > 0 && state < k.off("CPUHP_ONLINE");
    }

    /**
     * int __cpuhp_setup_state(enum cpuhp_state state, const char *name, bool invoke,
     * int (*startup)(unsigned int cpu), int (*teardown)(unsigned int cpu), bool multi_instance)
     */
    @KernelSymbol({"__cpuhp_setup_state", "__cpuhp_setup_state_cpuslocked"})
    static int setupState(KernelContext k, int state, long name, boolean invoke, long startup, long teardown,
            boolean multi) {
        CpuHotplug h = of(k);
        if (!checkState(k, state) || name == 0) {
            return -Errno.EINVAL;
        }
        int ret = h.store(state, name, startup, teardown, multi);
        boolean dyn = h.dynamic(state);
        if (ret > 0 && dyn) {
            state = ret;
            ret = 0;
        }
        if (ret == 0 && invoke && startup != 0 && h.cpuAtLeast(state)) {
            ret = h.issue(state, true, 0);
            if (ret != 0) {
                // CPU 0 is the first present CPU: nothing ran before it to roll back
                h.store(state, 0, 0, 0, false);
            }
        }
        return ret == 0 && dyn ? state : ret;
    }

    /** void __cpuhp_remove_state(enum cpuhp_state state, bool invoke) */
    @KernelSymbol({"__cpuhp_remove_state", "__cpuhp_remove_state_cpuslocked"})
    static void removeState(KernelContext k, int state, boolean invoke) {
        CpuHotplug h = of(k);
        if (!checkState(k, state)) {
            throw Oops.bug(k, "kernel/cpu.c:2252");
        }
        Step sp = h.steps[state];
        if (sp.multiInstance) {
            if (!sp.instances.isEmpty()) {
                Oops.warn(k, "kernel/cpu.c:2257", "__cpuhp_remove_state_cpuslocked",
                        "Error: Removing state " + state + " which has instances left.");
            }
        } else if (invoke && sp.teardown != 0 && h.cpuAtLeast(state)) {
            h.issue(state, false, 0);
        }
        h.store(state, 0, 0, 0, false);
    }

    /** int __cpuhp_state_add_instance(enum cpuhp_state state, struct hlist_node *node, bool invoke) */
    @KernelSymbol("__cpuhp_state_add_instance")
    static int addInstance(KernelContext k, int state, long node, boolean invoke) {
        CpuHotplug h = of(k);
        Step sp = h.steps[state];
        if (!sp.multiInstance) {
            return -Errno.EINVAL;
        }
        if (invoke && sp.startup != 0 && h.cpuAtLeast(state)) {
            int ret = h.issue(state, true, node);
            if (ret != 0) {
                return ret;
            }
        }
        h.hlistAddHead(state, node);
        return 0;
    }

    /** int __cpuhp_state_remove_instance(enum cpuhp_state state, struct hlist_node *node, bool invoke) */
    @KernelSymbol("__cpuhp_state_remove_instance")
    static int removeInstance(KernelContext k, int state, long node, boolean invoke) {
        CpuHotplug h = of(k);
        if (!checkState(k, state)) {
            throw Oops.bug(k, "kernel/cpu.c:2204");
        }
        Step sp = h.steps[state];
        if (!sp.multiInstance) {
            return -Errno.EINVAL;
        }
        if (invoke && sp.teardown != 0 && h.cpuAtLeast(state)) {
            h.issue(state, false, node);
        }
        h.hlistDel(state, node);
        return 0;
    }

    /** {@code hlist_add_head(node, &sp->list)}: the node's own links are the guest's. */
    private void hlistAddHead(int state, long node) {
        AddressSpace m = k.mem();
        List<Long> l = steps[state].instances;
        long first = l.isEmpty() ? 0 : l.get(0);
        m.write64(node + k.off("hlist_node_next"), first);
        if (first != 0) {
            m.write64(first + k.off("hlist_node_pprev"), node + k.off("hlist_node_next"));
        }
        l.add(0, node);
    }

    /** {@code hlist_del()}: unlinks and poisons the node. */
    private void hlistDel(int state, long node) {
        AddressSpace m = k.mem();
        List<Long> l = steps[state].instances;
        int i = l.indexOf(node);
        if (i >= 0) {
            long next = m.read64(node + k.off("hlist_node_next"));
            if (next != 0 && i > 0) {
                m.write64(next + k.off("hlist_node_pprev"), l.get(i - 1) + k.off("hlist_node_next"));
            }
            if (i > 0) {
                m.write64(l.get(i - 1) + k.off("hlist_node_next"), next);
            }
            l.remove(i);
        }
        m.write64(node + k.off("hlist_node_next"), 0xdead000000000100L);
        m.write64(node + k.off("hlist_node_pprev"), 0xdead000000000122L);
    }

    /** void cpus_read_lock(void): CPU 0 never goes offline, so there is no writer to wait for. */
    @KernelSymbol("cpus_read_lock")
    static void cpusReadLock(KernelContext k) {
    }

    /** void cpus_read_unlock(void) */
    @KernelSymbol("cpus_read_unlock")
    static void cpusReadUnlock(KernelContext k) {
    }

    /** {@code states_show()}: /sys/devices/system/cpu/hotplug/states. */
    static String states(KernelContext k) {
        CpuHotplug h = of(k);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < h.steps.length; i++) {
            Step s = h.steps[i];
            if (s.named()) {
                String n = s.kernelName != null ? s.kernelName
                        : new String(k.mem().readCBytes(s.name, 4096), StandardCharsets.UTF_8);
                sb.append(String.format("%3d: %s\n", i, n));
            }
        }
        return sb.toString();
    }

    /** Registers /sys/devices/system/cpu/hotplug/states (a sysfs file of the CPU subsystem). */
    public static void boot(KernelContext k) {
        k.vfs().register("/sys/devices/system/cpu/hotplug/states", () -> states(k).getBytes(StandardCharsets.UTF_8));
    }
}
