package dev.kmodemu.kstubs.kernel;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * kernel/audit.c and kernel/auditsc.c: {@code audit_enabled} is {@code AUDIT_OFF} (0), as on a
 * kernel booted without {@code audit=1} and with no audit daemon running. Records are logged as
 * {@code kauditd_printk_skb()} logs them when no daemon listens: {@code audit: type=N audit(SEC.MS:SERIAL): ...}.
 */
public final class Audit {
    private Audit() {
    }

    /** {@code AUDIT_NETFILTER_CFG}. */
    private static final int AUDIT_NETFILTER_CFG = 1325;
    /** {@code audit_nfcfgs[].s}, indexed by {@code enum audit_nfcfgop}. */
    private static final String[] NFCFG_OPS = {"xt_register", "xt_replace", "xt_unregister",
        "nft_register_table", "nft_unregister_table", "nft_register_chain", "nft_unregister_chain",
        "nft_register_rule", "nft_unregister_rule", "nft_register_set", "nft_unregister_set",
        "nft_register_setelem", "nft_unregister_setelem", "nft_register_gen", "nft_register_obj",
        "nft_unregister_obj", "nft_reset_obj", "nft_register_flowtable", "nft_unregister_flowtable",
        "nft_invalid"};

    /** Per-kernel: the audit serial ({@code audit_serial()}). */
    private static final class State {
        int serial;
    }

    @KernelData(value = "audit_enabled", size = 4, align = 4)
    static void auditEnabled(KernelContext k, long at) {
        k.mem().write32(at, 0);
    }

    /**
     * void __audit_log_nfcfg(const char *name, u8 af, unsigned int nentries, enum audit_nfcfgop op, gfp_t gfp).
     * Modules call it only when {@code audit_enabled} is set (the inline {@code audit_log_nfcfg()}
     * checks it first), which nothing in the emulated system does; if a module calls it anyway the
     * record is logged as the kernel logs it without a daemon, with no {@code subj=} (no LSM is loaded).
     */
    @KernelSymbol("__audit_log_nfcfg")
    static void auditLogNfcfg(KernelContext k, long name, int af, int nentries, int op, int gfp) {
        State s = k.state(Audit.class, State::new);
        long ns = k.clock().realtime();
        String opName = op >= 0 && op < NFCFG_OPS.length ? NFCFG_OPS[op] : NFCFG_OPS[NFCFG_OPS.length - 1];
        long task = k.tasks().current().taskStruct();
        int pid = k.mem().read32(task + k.off("task_struct_pid"));
        String comm = k.mem().readCString(task + k.off("task_struct_comm"), 16);
        k.printk(5, String.format("audit: type=%d audit(%d.%03d:%d): table=%s family=%d entries=%d op=%s pid=%d comm=\"%s\"",
                AUDIT_NETFILTER_CFG, ns / 1_000_000_000L, ns / 1_000_000L % 1000, ++s.serial,
                k.mem().readCString(name, 64), af & 0xff, Integer.toUnsignedLong(nentries), opName, pid, comm));
    }
}
