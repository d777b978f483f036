package dev.kmodemu.kstubs.net;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * net/ipv4/ip_fragment.c's {@code ip_defrag()}, which netfilter's defragmentation and
 * connection tracking call from their hooks on each fragment. kmodemu carries no packets, so the
 * hooks never run and nothing can reach it; reaching it anyway is reported as unsupported.
 */
public final class IpFragment {
    private IpFragment() {
    }

    /** int ip_defrag(struct net *net, struct sk_buff *skb, u32 user) */
    @KernelSymbol("ip_defrag")
    static int ipDefrag(KernelContext k, long net, long skb, int user) {
        throw new UnsupportedOperationException("ip_defrag: kmodemu carries no packets");
    }
}
