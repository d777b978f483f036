package dev.kmodemu.kstubs.kernel;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.mm.Gfp;
import dev.kmodemu.kstubs.module.Module;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * kernel/tracepoint.c: the tracepoints of modules ({@code __tracepoints_ptrs}) and their probe
 * arrays. {@code tp->funcs} is the kernel's array in guest memory ({@code struct tracepoint_func}
 * entries sorted by priority, ended by a NULL function), which the module's
 * {@code __traceiter_*} functions walk; the first probe enables {@code tp->key}, patching the
 * module's {@code trace_*()} call sites (see {@link JumpLabel}), the last one disables it.
 */
public final class Tracepoint {
    /** {@code struct tp_module}: the tracepoints each module brought. */
    private final Map<Module, List<Long>> modules = new LinkedHashMap<>();

    private Tracepoint() {
    }

    private static Tracepoint of(KernelContext k) {
        return k.state(Tracepoint.class, Tracepoint::new);
    }

    /**
     * {@code trace_module_has_bad_taint()}: taints other than out-of-tree, staging, unsigned, test
     * and livepatch keep a module's tracepoints and events out.
     */
    public static boolean badTaint(Module mod) {
        long ok = 1L << Taint.OOT_MODULE | 1L << Taint.CRAP | 1L << Taint.UNSIGNED_MODULE | 1L << Taint.TEST
                | 1L << Taint.LIVEPATCH;
        return (mod.taints() & ~ok) != 0;
    }

    /** The tracepoints of {@code mod}: its {@code __tracepoints_ptrs}, 32-bit self-relative. */
    public static List<Long> tracepoints(KernelContext k, Module mod) {
        List<Long> out = new ArrayList<>();
        long at = mod.sectionAddress("__tracepoints_ptrs");
        long size = mod.sectionSize("__tracepoints_ptrs");
        for (long p = at; at != 0 && p + 4 <= at + size; p += 4) {
            out.add(p + k.mem().read32(p));
        }
        return out;
    }

    /**
     * {@code tracepoint_module_notify()}: COMING lists the module's tracepoints (not with a bad
     * taint); GOING checks that no probe was left on them ({@code tp_module_going_check_quiescent()}).
     */
    public static void moduleNotify(KernelContext k, Module mod, Module.State state) {
        Tracepoint t = of(k);
        if (state == Module.State.COMING) {
            if (!badTaint(mod)) {
                t.modules.put(mod, tracepoints(k, mod));
            }
            return;
        }
        List<Long> tps = t.modules.remove(mod);
        if (tps != null) {
            for (long tp : tps) {
                if (k.mem().read64(tp + k.off("tracepoint_funcs")) != 0) {
                    Oops.warn(k, "kernel/tracepoint.c:639", "tp_module_going_check_quiescent", null);
                }
            }
        }
    }

    private record Func(long func, long data, int prio) {
    }

    private static List<Func> funcs(KernelContext k, long tp) {
        AddressSpace m = k.mem();
        List<Func> out = new ArrayList<>();
        long at = m.read64(tp + k.off("tracepoint_funcs"));
        if (at == 0) {
            return out;
        }
        int size = k.off("tracepoint_func_sizeof");
        for (long p = at; m.read64(p + k.off("tracepoint_func_func")) != 0; p += size) {
            out.add(new Func(m.read64(p + k.off("tracepoint_func_func")), m.read64(p + k.off("tracepoint_func_data")),
                    m.read32(p + k.off("tracepoint_func_prio"))));
        }
        return out;
    }

    /**
     * {@code allocate_probes()} and {@code rcu_assign_pointer(tp->funcs, ...)}: a new array (in a
     * {@code struct tp_probes} behind its rcu_head) or NULL when empty; the old one is freed
     * ({@code release_probes()}: no reader can still be in it on this one CPU between calls).
     */
    private static void setFuncs(KernelContext k, long tp, List<Func> list) {
        AddressSpace m = k.mem();
        long old = m.read64(tp + k.off("tracepoint_funcs"));
        long at = 0;
        if (!list.isEmpty()) {
            int size = k.off("tracepoint_func_sizeof");
            long block = k.slab().kmalloc(16 + (long) size * (list.size() + 1), Gfp.KERNEL | Gfp.ZERO);
            at = block + 16;
            for (int i = 0; i < list.size(); i++) {
                Func f = list.get(i);
                long p = at + (long) i * size;
                m.write64(p + k.off("tracepoint_func_func"), f.func);
                m.write64(p + k.off("tracepoint_func_data"), f.data);
                m.write32(p + k.off("tracepoint_func_prio"), f.prio);
            }
        }
        m.write64(tp + k.off("tracepoint_funcs"), at);
        if (old != 0) {
            k.slab().kfree(old - 16);
        }
    }

    /** int tracepoint_probe_register_prio(struct tracepoint *tp, void *probe, void *data, int prio) */
    @KernelSymbol("tracepoint_probe_register_prio")
    public static int registerPrio(KernelContext k, long tp, long probe, long data, int prio) {
        // tracepoint_add_func()
        AddressSpace m = k.mem();
        long key = tp + k.off("tracepoint_key");
        long regfunc = m.read64(tp + k.off("tracepoint_regfunc"));
        if (regfunc != 0 && m.read32(key + k.off("static_key_enabled")) == 0) {
            int ret = (int) k.call(regfunc);
            if (ret < 0) {
                return ret;
            }
        }
        List<Func> list = funcs(k, tp);
        int pos = list.size();
        for (int i = 0; i < list.size(); i++) {
            Func f = list.get(i);
            if (f.func == probe && f.data == data) {
                // func_add() refuses a probe twice: WARN_ON_ONCE(warn && PTR_ERR(old) != -ENOMEM)
                Oops.warn(k, "kernel/tracepoint.c:342", "tracepoint_add_func", null);
                return -Errno.EEXIST;
            }
            if (pos == list.size() && prio > f.prio) {
                pos = i;
            }
        }
        list.add(pos, new Func(probe, data, prio));
        setFuncs(k, tp, list);
        if (list.size() == 1) {
            JumpLabel.staticKeyEnable(k, key);
        }
        return 0;
    }

    /** int tracepoint_probe_register(struct tracepoint *tp, void *probe, void *data) */
    @KernelSymbol("tracepoint_probe_register")
    public static int register(KernelContext k, long tp, long probe, long data) {
        return registerPrio(k, tp, probe, data, k.off("TRACEPOINT_DEFAULT_PRIO"));
    }

    /** int tracepoint_probe_unregister(struct tracepoint *tp, void *probe, void *data) */
    @KernelSymbol("tracepoint_probe_unregister")
    public static int unregister(KernelContext k, long tp, long probe, long data) {
        // tracepoint_remove_func()
        List<Func> list = funcs(k, tp);
        if (list.isEmpty()) {
            return -Errno.ENOENT;
        }
        boolean removed = list.removeIf(f -> f.func == probe && f.data == data);
        if (!removed) {
            return -Errno.ENOENT;
        }
        if (list.isEmpty()) {
            long unreg = k.mem().read64(tp + k.off("tracepoint_unregfunc"));
            if (unreg != 0 && k.mem().read32(tp + k.off("tracepoint_key") + k.off("static_key_enabled")) != 0) {
                k.call(unreg);
            }
            JumpLabel.staticKeyDisable(k, tp + k.off("tracepoint_key"));
        }
        setFuncs(k, tp, list);
        return 0;
    }
}
