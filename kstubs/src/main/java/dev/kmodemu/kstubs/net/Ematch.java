package dev.kmodemu.kstubs.net;

import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.lib.Lists;

/**
 * net/sched/ematch.c: the registry of extended matches ({@code ematch_ops}, the guest list through
 * each {@code tcf_ematch_ops.link}); Debian builds every ematch as a module, so it starts empty.
 * Classifiers that would run the matches need packets, which kmodemu does not have.
 */
public final class Ematch {
    private Ematch() {
    }

    /** {@code static LIST_HEAD(ematch_ops)}. */
    @KernelData(value = "ematch_ops", size = 16)
    static void ematchOps(KernelContext k, long at) {
        Lists.pokeInit(k, at);
    }

    /** int tcf_em_register(struct tcf_ematch_ops *ops): 0, -EINVAL without match(), -EEXIST for a taken kind */
    @KernelSymbol("tcf_em_register")
    static int register(KernelContext k, long ops) {
        if (k.mem().read64(ops + k.off("tcf_ematch_ops_match")) == 0) {
            return -Errno.EINVAL;
        }
        int kind = k.mem().read32(ops + k.off("tcf_ematch_ops_kind"));
        for (long e : Lists.entries(k, k.sym("ematch_ops"))) {
            if (k.mem().read32(e - k.off("tcf_ematch_ops_link") + k.off("tcf_ematch_ops_kind")) == kind) {
                return -Errno.EEXIST;
            }
        }
        Lists.addTail(k, ops + k.off("tcf_ematch_ops_link"), k.sym("ematch_ops"));
        return 0;
    }

    /** void tcf_em_unregister(struct tcf_ematch_ops *ops) */
    @KernelSymbol("tcf_em_unregister")
    static void unregister(KernelContext k, long ops) {
        Lists.del(k, ops + k.off("tcf_ematch_ops_link"));
    }
}
