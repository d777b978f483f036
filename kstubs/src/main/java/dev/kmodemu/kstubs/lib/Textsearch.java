package dev.kmodemu.kstubs.lib;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * lib/textsearch.c: the registry of search algorithms ({@code ts_kmp}, {@code ts_bm},
 * {@code ts_fsm} register their {@code struct ts_ops} on the guest list {@code ts_ops}),
 * {@code textsearch_prepare()} (loading {@code ts_NAME} on demand with TS_AUTOLOAD), and the
 * search over one linear buffer ({@code textsearch_find_continuous()}).
 */
public final class Textsearch {
    private Textsearch() {
    }

    /** {@code struct ts_linear_state} (private to textsearch.c) in {@code state->cb}: len, then data. */
    private static final int LINEAR_LEN = 0;
    private static final int LINEAR_DATA = 8;

    /** {@code static LIST_HEAD(ts_ops)}. */
    @KernelData(value = "ts_ops", size = 16)
    static void tsOps(KernelContext k, long at) {
        Lists.pokeInit(k, at);
    }

    private static long ops(KernelContext k, long o, String f) {
        return o + k.off("ts_ops_" + f);
    }

    private static long opsOf(KernelContext k, long list) {
        return list - k.off("ts_ops_list");
    }

    private static String name(KernelContext k, long o) {
        return k.string(k.mem().read64(ops(k, o, "name")), 256);
    }

    /** {@code lookup_ts_algo()}: the algorithm with a reference on its module, or 0. */
    private static long lookup(KernelContext k, String name) {
        for (long e : Lists.entries(k, k.sym("ts_ops"))) {
            long o = opsOf(k, e);
            if (name(k, o).equals(name)) {
                long owner = k.mem().read64(ops(k, o, "owner"));
                return k.call(k.sym("try_module_get"), owner) != 0 ? o : 0;
            }
        }
        return 0;
    }

    /** int textsearch_register(struct ts_ops *ops): 0, -EINVAL (a callback missing) or -EEXIST */
    @KernelSymbol("textsearch_register")
    static int register(KernelContext k, long o) {
        AddressSpace m = k.mem();
        for (String f : new String[] {"name", "find", "init", "get_pattern", "get_pattern_len"}) {
            if (m.read64(ops(k, o, f)) == 0) {
                return -Errno.EINVAL;
            }
        }
        String name = name(k, o);
        for (long e : Lists.entries(k, k.sym("ts_ops"))) {
            if (name(k, opsOf(k, e)).equals(name)) {
                return -Errno.EEXIST;
            }
        }
        Lists.addTail(k, ops(k, o, "list"), k.sym("ts_ops"));
        return 0;
    }

    /** int textsearch_unregister(struct ts_ops *ops): 0 or -ENOENT */
    @KernelSymbol("textsearch_unregister")
    static int unregister(KernelContext k, long o) {
        for (long e : Lists.entries(k, k.sym("ts_ops"))) {
            if (opsOf(k, e) == o) {
                Lists.delRcu(k, e);
                return 0;
            }
        }
        return -Errno.ENOENT;
    }

    /**
     * struct ts_config *textsearch_prepare(const char *algo, const void *pattern, unsigned int len,
     * gfp_t gfp_mask, int flags)
     */
    @KernelSymbol("textsearch_prepare")
    static long prepare(KernelContext k, long algo, long pattern, int len, int gfp, int flags) {
        if (len == 0) {
            return -Errno.EINVAL;
        }
        String name = k.string(algo, 256);
        long o = lookup(k, name);
        if (o == 0 && (flags & k.off("TS_AUTOLOAD")) != 0) {
            dev.kmodemu.kstubs.kernel.Kmod.requestModule(k, "ts_" + name);
            o = lookup(k, name);
        }
        if (o == 0) {
            return -Errno.ENOENT;
        }
        long conf = k.call(k.mem().read64(ops(k, o, "init")), pattern, Integer.toUnsignedLong(len),
                Integer.toUnsignedLong(gfp), flags);
        if (Long.compareUnsigned(conf, -4095L) >= 0) {
            k.call(k.sym("module_put"), k.mem().read64(ops(k, o, "owner")));
            return conf;
        }
        k.mem().write64(conf + k.off("ts_config_ops"), o);
        return conf;
    }

    /** void textsearch_destroy(struct ts_config *conf) */
    @KernelSymbol("textsearch_destroy")
    static void destroy(KernelContext k, long conf) {
        long o = k.mem().read64(conf + k.off("ts_config_ops"));
        if (o != 0) {
            long d = k.mem().read64(ops(k, o, "destroy"));
            if (d != 0) {
                k.call(d, conf);
            }
            k.call(k.sym("module_put"), k.mem().read64(ops(k, o, "owner")));
        }
        k.slab().kfree(conf);
    }

    /**
     * static unsigned int get_linear_data(unsigned int consumed, const u8 **dst,
     * struct ts_config *conf, struct ts_state *state)
     */
    @KernelSymbol(value = "get_linear_data", internal = true)
    static int getLinearData(KernelContext k, int consumed, long dst, long conf, long state) {
        AddressSpace m = k.mem();
        long st = state + k.off("ts_state_cb");
        int len = m.read32(st + LINEAR_LEN);
        if (Integer.compareUnsigned(consumed, len) < 0) {
            m.write64(dst, m.read64(st + LINEAR_DATA) + Integer.toUnsignedLong(consumed));
            return len - consumed;
        }
        return 0;
    }

    /**
     * unsigned int textsearch_find_continuous(struct ts_config *conf, struct ts_state *state,
     * const void *data, unsigned int len): the inline {@code textsearch_find()} over one buffer
     */
    @KernelSymbol("textsearch_find_continuous")
    static int findContinuous(KernelContext k, long conf, long state, long data, int len) {
        AddressSpace m = k.mem();
        m.write64(conf + k.off("ts_config_get_next_block"), k.sym("get_linear_data"));
        long st = state + k.off("ts_state_cb");
        m.write64(st + LINEAR_DATA, data);
        m.write32(st + LINEAR_LEN, len);
        m.write32(state + k.off("ts_state_offset"), 0);
        long o = m.read64(conf + k.off("ts_config_ops"));
        int ret = (int) k.call(m.read64(ops(k, o, "find")), conf, state);
        long finish = m.read64(conf + k.off("ts_config_finish"));
        if (finish != 0) {
            k.call(finish, conf, state);
        }
        return ret;
    }
}
