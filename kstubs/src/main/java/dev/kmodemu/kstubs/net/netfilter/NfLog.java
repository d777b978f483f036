package dev.kmodemu.kstubs.net.netfilter;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.VaList;
import dev.kmodemu.kstubs.lib.VsprintfStubs;

/**
 * net/netfilter/nf_log.c: {@code nf_log_trace()} hands the packet to the logger bound to the
 * family in {@code net->nf.nf_loggers[pf]}, with the prefix formatted into a
 * {@code NF_LOG_PREFIXLEN} buffer; with no logger bound (none is, until a logger module such as
 * nf_log_syslog binds one) it does nothing, as the kernel does.
 */
public final class NfLog {
    private NfLog() {
    }

    /** {@code NF_LOG_PREFIXLEN}. */
    private static final int NF_LOG_PREFIXLEN = 128;

    /**
     * void nf_log_trace(struct net *net, u_int8_t pf, unsigned int hooknum, const struct sk_buff *skb,
     * const struct net_device *in, const struct net_device *out, const struct nf_loginfo *loginfo,
     * const char *fmt, ...)
     */
    @KernelSymbol("nf_log_trace")
    static void nfLogTrace(KernelContext k, long net, int pf, int hooknum, long skb, long in, long out,
            long loginfo, long fmt, VaList args) {
        long logger = k.mem().read64(net + k.off("net_nf_loggers") + 8L * (pf & 0xff));
        if (logger == 0) {
            return;
        }
        long prefix = k.slab().kmalloc(NF_LOG_PREFIXLEN, 0x820);
        try {
            VsprintfStubs.vsnprintf(k, prefix, NF_LOG_PREFIXLEN, fmt, args);
            k.call(k.mem().read64(logger + k.off("nf_logger_logfn")), net, pf & 0xff, hooknum, skb, in, out,
                    loginfo, prefix);
        } finally {
            k.slab().kfree(prefix);
        }
    }
}
