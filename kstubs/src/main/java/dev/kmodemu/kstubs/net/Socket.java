package dev.kmodemu.kstubs.net;

import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.kernel.Oops;

/**
 * net/socket.c: the protocol families ({@code net_families[]}): the kernel's own (UNIX, INET,
 * INET6, NETLINK, PACKET, XDP on Debian) and what modules register, with the kernel's "NET:
 * Registered PF_... protocol family" lines (logged even when the family is taken, as there).
 * Creating sockets is not provided: there are no user processes.
 */
public final class Socket {
    private Socket() {
    }

    /** {@code pf_family_names[]}, indexed by family. */
    private static final String[] NAMES = {"PF_UNSPEC", "PF_UNIX/PF_LOCAL", "PF_INET", "PF_AX25", "PF_IPX",
        "PF_APPLETALK", "PF_NETROM", "PF_BRIDGE", "PF_ATMPVC", "PF_X25", "PF_INET6", "PF_ROSE", "PF_DECnet",
        "PF_NETBEUI", "PF_SECURITY", "PF_KEY", "PF_NETLINK/PF_ROUTE", "PF_PACKET", "PF_ASH", "PF_ECONET",
        "PF_ATMSVC", "PF_RDS", "PF_SNA", "PF_IRDA", "PF_PPPOX", "PF_WANPIPE", "PF_LLC", "PF_IB", "PF_MPLS",
        "PF_CAN", "PF_TIPC", "PF_BLUETOOTH", "PF_IUCV", "PF_RXRPC", "PF_ISDN", "PF_PHONET", "PF_IEEE802154",
        "PF_CAIF", "PF_ALG", "PF_NFC", "PF_VSOCK", "PF_KCM", "PF_QIPCRTR", "PF_SMC", "PF_XDP", "PF_MCTP"};
    /** The families Debian's kernel registers at boot: UNIX, INET, INET6, NETLINK, PACKET, XDP. */
    private static final int[] BOOT_FAMILIES = {1, 2, 10, 16, 17, 44};

    /** Per-kernel {@code net_families[]}: the ops pointer of each family (-1 for the kernel's own). */
    private static long[] families(KernelContext k) {
        return k.state(Socket.class, () -> {
            long[] f = new long[k.off("NPROTO")];
            for (int b : BOOT_FAMILIES) {
                f[b] = -1;
            }
            return f;
        });
    }

    private static String name(int family) {
        return family >= 0 && family < NAMES.length ? NAMES[family] : "(null)";
    }

    /** int sock_register(const struct net_proto_family *ops) */
    @KernelSymbol("sock_register")
    static int sockRegister(KernelContext k, long ops) {
        int family = k.mem().read32(ops + k.off("net_proto_family_family"));
        long[] f = families(k);
        if (family < 0 || family >= f.length) {
            k.printk(2, "protocol " + family + " >= NPROTO(" + f.length + ")");
            return -Errno.ENOBUFS;
        }
        int err;
        if (f[family] != 0) {
            err = -Errno.EEXIST;
        } else {
            f[family] = ops;
            err = 0;
        }
        k.printk(6, "NET: Registered " + name(family) + " protocol family");
        return err;
    }

    /** void sock_unregister(int family) */
    @KernelSymbol("sock_unregister")
    static void sockUnregister(KernelContext k, int family) {
        long[] f = families(k);
        if (family < 0 || family >= f.length) {
            throw Oops.bug(k, "net/socket.c:3217");
        }
        f[family] = 0;
        k.call(k.sym("synchronize_rcu"));
        k.printk(6, "NET: Unregistered " + name(family) + " protocol family");
    }
}
