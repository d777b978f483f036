package dev.kmodemu.kstubs.net.netfilter;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.kernel.Oops;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * net/netfilter/core.c: netfilter hooks of a namespace, kept per (family, hook, device) in
 * ascending priority as {@code nf_hook_entries_grow()} orders them (a new hook goes before the
 * first one of higher priority); NFPROTO_INET hooks are IPv4 plus IPv6 ones. The checks and
 * warnings of {@code nf_hook_entry_head()} are the kernel's. No packet ever traverses a hook.
 */
public final class NfCore {
    private NfCore() {
    }

    private record Key(long net, int pf, int hooknum, long dev) {
    }

    private static Map<Key, List<Long>> hooks(KernelContext k) {
        return k.state(NfCore.class, () -> new HashMap<Key, List<Long>>());
    }

    private static int u8(KernelContext k, long reg, String f) {
        return k.mem().read8(reg + k.off("nf_hook_ops_" + f)) & 0xff;
    }

    /** {@code nf_hook_entry_head()}: the hook list, or null after the kernel's WARN_ON_ONCE. */
    private static Key head(KernelContext k, long net, int pf, int hooknum, long dev) {
        int line;
        if (pf == k.off("NFPROTO_NETDEV")) {
            if ((hooknum == 0 || hooknum == 1) && dev != 0) {
                return new Key(net, pf, hooknum, dev);
            }
            line = 321;
        } else if (pf == k.off("NFPROTO_ARP")) {
            if (Integer.compareUnsigned(hooknum, k.off("NF_ARP_NUMHOOKS")) < 0) {
                return new Key(net, pf, hooknum, 0);
            }
            line = 275;
        } else if (pf == k.off("NFPROTO_BRIDGE")) {
            if (Integer.compareUnsigned(hooknum, k.off("NF_INET_NUMHOOKS")) < 0) {
                return new Key(net, pf, hooknum, 0);
            }
            line = 281;
        } else if (pf == k.off("NFPROTO_INET")) {
            if (hooknum != k.off("NF_INET_INGRESS")) {
                line = 287;
            } else if (dev == 0) {
                line = 290;
            } else {
                return new Key(net, pf, hooknum, dev);
            }
        } else if (pf == k.off("NFPROTO_IPV4") || pf == k.off("NFPROTO_IPV6")) {
            if (Integer.compareUnsigned(hooknum, k.off("NF_INET_NUMHOOKS")) < 0) {
                return new Key(net, pf, hooknum, 0);
            }
            line = pf == k.off("NFPROTO_IPV4") ? 296 : 300;
        } else {
            line = 304;
        }
        Oops.warnOnce(k, "net/netfilter/core.c:" + line, "nf_hook_entry_head");
        return null;
    }

    /** {@code __nf_register_net_hook()}. */
    private static int add(KernelContext k, long net, int pf, long reg) {
        AddressSpace m = k.mem();
        int hooknum = m.read32(reg + k.off("nf_hook_ops_hooknum"));
        Key key = head(k, net, pf, hooknum, m.read64(reg + k.off("nf_hook_ops_dev")));
        if (key == null) {
            return -Errno.EINVAL;
        }
        List<Long> l = hooks(k).computeIfAbsent(key, x -> new ArrayList<>());
        int prio = m.read32(reg + k.off("nf_hook_ops_priority"));
        int at = 0;
        while (at < l.size() && m.read32(l.get(at) + k.off("nf_hook_ops_priority")) <= prio) {
            at++;
        }
        l.add(at, reg);
        return 0;
    }

    /** {@code __nf_unregister_net_hook()}. */
    private static void remove(KernelContext k, long net, int pf, long reg) {
        AddressSpace m = k.mem();
        Key key = head(k, net, pf, m.read32(reg + k.off("nf_hook_ops_hooknum")), m.read64(reg + k.off("nf_hook_ops_dev")));
        if (key == null) {
            return;
        }
        List<Long> l = hooks(k).get(key);
        if (l == null || l.isEmpty()) {
            Oops.warnOnce(k, "net/netfilter/core.c:488", "__nf_unregister_net_hook");
            return;
        }
        if (!l.remove(reg)) {
            Oops.warn(k, "net/netfilter/core.c:502", "__nf_unregister_net_hook", "nf_unregister_net_hook: hook not found!");
        }
        k.call(k.sym("synchronize_rcu"));
    }

    /** int nf_register_net_hook(struct net *net, const struct nf_hook_ops *reg) */
    @KernelSymbol("nf_register_net_hook")
    static int registerNetHook(KernelContext k, long net, long reg) {
        int pf = u8(k, reg, "pf");
        if (pf == k.off("NFPROTO_INET") && k.mem().read32(reg + k.off("nf_hook_ops_hooknum")) != k.off("NF_INET_INGRESS")) {
            int err = add(k, net, k.off("NFPROTO_IPV4"), reg);
            if (err < 0) {
                return err;
            }
            err = add(k, net, k.off("NFPROTO_IPV6"), reg);
            if (err < 0) {
                remove(k, net, k.off("NFPROTO_IPV4"), reg);
            }
            return err;
        }
        return add(k, net, pf, reg);
    }

    /** void nf_unregister_net_hook(struct net *net, const struct nf_hook_ops *reg) */
    @KernelSymbol("nf_unregister_net_hook")
    static void unregisterNetHook(KernelContext k, long net, long reg) {
        int pf = u8(k, reg, "pf");
        if (pf == k.off("NFPROTO_INET") && k.mem().read32(reg + k.off("nf_hook_ops_hooknum")) != k.off("NF_INET_INGRESS")) {
            remove(k, net, k.off("NFPROTO_IPV4"), reg);
            remove(k, net, k.off("NFPROTO_IPV6"), reg);
        } else {
            remove(k, net, pf, reg);
        }
    }

    /** int nf_register_net_hooks(struct net *net, const struct nf_hook_ops *reg, unsigned int n) */
    @KernelSymbol("nf_register_net_hooks")
    static int registerNetHooks(KernelContext k, long net, long reg, int n) {
        long size = k.off("nf_hook_ops_sizeof");
        for (int i = 0; i < n; i++) {
            int err = registerNetHook(k, net, reg + i * size);
            if (err != 0) {
                if (i > 0) {
                    unregisterNetHooks(k, net, reg, i);
                }
                return err;
            }
        }
        return 0;
    }

    /** void nf_unregister_net_hooks(struct net *net, const struct nf_hook_ops *reg, unsigned int hookcount) */
    @KernelSymbol("nf_unregister_net_hooks")
    static void unregisterNetHooks(KernelContext k, long net, long reg, int n) {
        for (int i = 0; i < n; i++) {
            unregisterNetHook(k, net, reg + i * (long) k.off("nf_hook_ops_sizeof"));
        }
    }

    /** {@code DEFINE_PER_CPU(bool, nf_skb_duplicated)}: set while xt_TEE/nft_dup send a copy. */
    @dev.kmodemu.kstubs.KernelData(value = "nf_skb_duplicated", section = dev.kmodemu.firmware.Machine.Section.PERCPU,
            size = 1, align = 1)
    static void nfSkbDuplicated(KernelContext k, long at) {
    }
}
