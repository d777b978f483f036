package dev.kmodemu.kstubs.net;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.lib.Lists;

import java.nio.charset.StandardCharsets;

/**
 * net/core/sock.c: the protocol list ({@code proto_list}, the guest list through each
 * {@code proto.node}, newest first) with {@code proto_register()} (a slab cache named after the
 * protocol when asked, an in-use index) and /proc/net/protocols, which lists the module protocols
 * and then the kernel's own as Debian's kernel has them (no sockets exist, so every count is 0).
 * Protocols with request or timewait sockets (TCP-like ones) are refused: their extra caches are
 * not provided.
 */
public final class Sock {
    private Sock() {
    }

    /** {@code PROTO_INUSE_NR}. */
    private static final int PROTO_INUSE_NR = 64;
    /** The in-use indexes the kernel's protocols hold after boot. */
    private static final int BOOT_INUSE = 17;

    /** The kernel's protocols as Debian's /proc/net/protocols lists them (read with qemu-oracle), newest first. */
    private static final String BOOT_LINES = ""
            + "PACKET    1600      0      -1   NI       0   no   kernel      n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n\n"
            + "MPTCPv6   2112      0       0   no       0   yes  kernel      y  y  y  y  y  y  y  y  y  y  y  y  n  n  n  y  y  y  n\n"
            + "PINGv6    1200      0      -1   NI       0   yes  kernel      y  y  y  n  n  y  n  n  y  y  y  y  n  y  y  y  y  y  n\n"
            + "RAWv6     1200      0      -1   NI       0   yes  kernel      y  y  y  n  y  y  y  n  y  y  y  y  n  y  y  y  y  n  n\n"
            + "UDPLITEv6 1344      0       0   NI       0   yes  kernel      y  y  y  n  y  y  y  n  y  y  y  y  n  n  n  y  y  y  n\n"
            + "UDPv6     1344      0       0   NI       0   yes  kernel      y  y  y  n  y  y  y  n  y  y  y  y  n  n  n  y  y  y  n\n"
            + "TCPv6     2440      0       0   no     320   yes  kernel      y  y  y  y  y  y  y  y  y  y  y  y  y  n  y  y  y  y  y\n"
            + "XDP       1024      0      -1   NI       0   no   kernel      n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n\n"
            + "UNIX-STREAM 1024      0      -1   NI       0   yes  kernel      y  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  y  n  n\n"
            + "UNIX      1024      0      -1   NI       0   yes  kernel      y  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n\n"
            + "UDP-Lite  1152      0       0   NI       0   yes  kernel      y  y  y  n  y  y  y  n  y  y  y  y  y  n  n  y  y  y  n\n"
            + "MPTCP     1952      0       0   no       0   yes  kernel      y  y  y  y  y  y  y  y  y  y  y  y  n  n  n  y  y  y  n\n"
            + "PING       992      0      -1   NI       0   yes  kernel      y  y  y  n  n  y  n  n  y  y  y  y  n  y  y  y  y  y  n\n"
            + "RAW       1000      0      -1   NI       0   yes  kernel      y  y  y  n  y  y  y  n  y  y  y  y  n  y  y  y  y  n  n\n"
            + "UDP       1152      0       0   NI       0   yes  kernel      y  y  y  n  y  y  y  n  y  y  y  y  y  n  n  y  y  y  n\n"
            + "TCP       2280      0       0   no     320   yes  kernel      y  y  y  y  y  y  y  y  y  y  y  y  y  n  y  y  y  y  y\n"
            + "NETLINK   1088      0      -1   NI       0   no   kernel      n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n\n";

    /** {@code static LIST_HEAD(proto_list)} (the module protocols; the kernel's are {@link #BOOT_LINES}). */
    @KernelData(value = "proto_list", size = 16)
    static void protoList(KernelContext k, long at) {
        Lists.pokeInit(k, at);
    }

    /** Per-kernel {@code proto_inuse_idx}. */
    private static java.util.BitSet inuse(KernelContext k) {
        return k.state(Sock.class, () -> {
            java.util.BitSet b = new java.util.BitSet(PROTO_INUSE_NR);
            b.set(0, BOOT_INUSE);
            return b;
        });
    }

    private static long f(KernelContext k, long prot, String field) {
        return prot + k.off("proto_" + field);
    }

    private static String name(KernelContext k, long prot) {
        return new String(k.mem().readCBytes(f(k, prot, "name"), 32), StandardCharsets.UTF_8);
    }

    /** int proto_register(struct proto *prot, int alloc_slab) */
    @KernelSymbol("proto_register")
    static int protoRegister(KernelContext k, long prot, int allocSlab) {
        AddressSpace m = k.mem();
        String name = name(k, prot);
        if (m.read64(f(k, prot, "memory_allocated")) != 0 && m.read64(f(k, prot, "sysctl_mem")) == 0) {
            k.printk(3, name + ": missing sysctl_mem");
            return -Errno.EINVAL;
        }
        if (m.read64(f(k, prot, "memory_allocated")) != 0 && m.read64(f(k, prot, "per_cpu_fw_alloc")) == 0) {
            k.printk(3, name + ": missing per_cpu_fw_alloc");
            return -Errno.EINVAL;
        }
        if (allocSlab != 0) {
            if (m.read64(f(k, prot, "rsk_prot")) != 0 || m.read64(f(k, prot, "twsk_prot")) != 0) {
                return -Errno.ENOBUFS;
            }
            long nm = k.kstrdup(name);
            // SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT | prot->slab_flags
            long flags = 0x2000L | 0x4000000L | m.read64(f(k, prot, "slab_flags"));
            long slab = k.call(k.sym("kmem_cache_create_usercopy"), nm, Integer.toUnsignedLong(m.read32(f(k, prot, "obj_size"))),
                    0, flags, Integer.toUnsignedLong(m.read32(f(k, prot, "useroffset"))),
                    Integer.toUnsignedLong(m.read32(f(k, prot, "usersize"))), 0);
            if (slab == 0) {
                k.printk(2, name + ": Can't create sock SLAB cache!");
                return -Errno.ENOBUFS;
            }
            m.write64(f(k, prot, "slab"), slab);
        }
        java.util.BitSet b = inuse(k);
        int idx = b.nextClearBit(0);
        if (idx >= PROTO_INUSE_NR - 1) {
            k.printk(3, "PROTO_INUSE_NR exhausted");
            if (allocSlab != 0) {
                k.call(k.sym("kmem_cache_destroy"), m.read64(f(k, prot, "slab")));
                m.write64(f(k, prot, "slab"), 0);
            }
            return -Errno.ENOSPC;
        }
        b.set(idx);
        m.write32(f(k, prot, "inuse_idx"), idx);
        Lists.add(k, f(k, prot, "node"), k.sym("proto_list"));
        return 0;
    }

    /** void proto_unregister(struct proto *prot) */
    @KernelSymbol("proto_unregister")
    static void protoUnregister(KernelContext k, long prot) {
        AddressSpace m = k.mem();
        int idx = m.read32(f(k, prot, "inuse_idx"));
        if (idx != PROTO_INUSE_NR - 1) {
            inuse(k).clear(idx);
        }
        Lists.del(k, f(k, prot, "node"));
        long slab = m.read64(f(k, prot, "slab"));
        if (slab != 0) {
            k.call(k.sym("kmem_cache_destroy"), slab);
        }
        m.write64(f(k, prot, "slab"), 0);
    }

    private static char impl(KernelContext k, long prot, String method) {
        return k.mem().read64(f(k, prot, method)) == 0 ? 'n' : 'y';
    }

    /** {@code proto_seq_printf()} for a module's protocol. */
    private static String line(KernelContext k, long prot) {
        AddressSpace m = k.mem();
        long owner = m.read64(f(k, prot, "owner"));
        long ma = m.read64(f(k, prot, "memory_allocated"));
        long mp = m.read64(f(k, prot, "memory_pressure"));
        String press = mp == 0 ? "NI" : (m.read64(mp) != 0 ? "yes" : "no");
        StringBuilder sb = new StringBuilder(String.format("%-9s %4s %6d  %6d   %-3s %6s   %-3s  %-10s ", name(k, prot),
                Integer.toUnsignedString(m.read32(f(k, prot, "obj_size"))), 0, ma == 0 ? -1 : Math.max(0, m.read64(ma)),
                press, Integer.toUnsignedString(m.read32(f(k, prot, "max_header"))),
                m.read64(f(k, prot, "slab")) == 0 ? "no" : "yes",
                owner == 0 ? "kernel" : k.string(owner + k.off("module_name"), 64)));
        String[] methods = {"close", "connect", "disconnect", "accept", "ioctl", "init", "destroy", "shutdown",
            "setsockopt", "getsockopt", "sendmsg", "recvmsg", "sendpage", "bind", "backlog_rcv", "hash", "unhash",
            "get_port", "enter_memory_pressure"};
        for (int i = 0; i < methods.length; i++) {
            sb.append(String.format("%2c", impl(k, prot, methods[i]))).append(i + 1 < methods.length ? " " : "\n");
        }
        return sb.toString();
    }

    /** /proc/net/protocols. */
    public static void boot(KernelContext k) {
        k.vfs().register("/proc/net/protocols", () -> {
            StringBuilder sb = new StringBuilder(String.format("%-9s %-4s %-8s %-6s %-5s %-7s %-4s %-10s %s", "protocol",
                    "size", "sockets", "memory", "press", "maxhdr", "slab", "module",
                    "cl co di ac io in de sh ss gs se re sp bi br ha uh gp em\n"));
            for (long e : Lists.entries(k, k.sym("proto_list"))) {
                sb.append(line(k, e - k.off("proto_node")));
            }
            sb.append(BOOT_LINES);
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        });
    }
}
