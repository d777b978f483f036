package dev.kmodemu.kstubs.net;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.kernel.Oops;
import dev.kmodemu.kstubs.lib.Jhash;
import dev.kmodemu.kstubs.lib.Lists;
import dev.kmodemu.kstubs.fs.Vfs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * net/ipv4/tcp_cong.c: the list of TCP congestion control algorithms ({@code tcp_cong_list}, the
 * guest list through each {@code tcp_congestion_ops.list}: the kernel's reno and cubic, then what
 * modules register, in order), the default for init_net (cubic, Debian's
 * CONFIG_DEFAULT_TCP_CONG), the sysctls a user reads and sets
 * (/proc/sys/net/ipv4/tcp_available_congestion_control, tcp_allowed_congestion_control,
 * tcp_congestion_control), and Reno's helpers modules build on ({@code tcp_slow_start()},
 * {@code tcp_cong_avoid_ai()}, {@code tcp_reno_*}), which work on the {@code struct tcp_sock}
 * they are given. No sockets exist, so nothing calls an algorithm's hooks; cubic's own hooks
 * (tcp_cubic.c) are not provided.
 */
public final class TcpCong {
    private TcpCong() {
    }

    /** include/net/tcp.h's {@code TCP_CA_UNSPEC}. */
    private static final int TCP_CA_UNSPEC = 0;
    /** {@code TCP_CA_BUF_MAX}: the sysctl buffer of the lists, TCP_CA_NAME_MAX * TCP_CA_MAX (128). */
    private static final int CA_BUF_MAX = 16 * 128;

    /** Per-kernel: init_net's default algorithm ({@code net->ipv4.tcp_congestion_control}). */
    private static final class State {
        long dflt;
    }

    /** The state, and on first use the kernel's reno and cubic put on {@code tcp_cong_list}. */
    private static State state(KernelContext k) {
        return k.state(TcpCong.class, () -> {
            State s = new State();
            s.dflt = k.sym("cubictcp");
            Lists.addTail(k, f(k, k.sym("tcp_reno"), "list"), k.sym("tcp_cong_list"));
            Lists.addTail(k, f(k, s.dflt, "list"), k.sym("tcp_cong_list"));
            return s;
        });
    }

    private static long f(KernelContext k, long ca, String field) {
        return ca + k.off("tcp_congestion_ops_" + field);
    }

    private static String name(KernelContext k, long ca) {
        return new String(k.mem().readCBytes(f(k, ca, "name"), k.off("TCP_CA_NAME_MAX")), StandardCharsets.UTF_8);
    }

    private static int flags(KernelContext k, long ca) {
        return k.mem().read32(f(k, ca, "flags"));
    }

    /** The algorithms on {@code tcp_cong_list}, in order. */
    private static List<Long> list(KernelContext k) {
        state(k);
        List<Long> out = new ArrayList<>();
        for (long e : Lists.entries(k, k.sym("tcp_cong_list"))) {
            out.add(e - k.off("tcp_congestion_ops_list"));
        }
        return out;
    }

    /** {@code static LIST_HEAD(tcp_cong_list)} (reno and cubic join it on first use: {@link #state}). */
    @KernelData(value = "tcp_cong_list", size = 16)
    static void congList(KernelContext k, long at) {
        Lists.pokeInit(k, at);
    }

    private static void defineOps(KernelContext k, long at, String name, boolean renoHooks) {
        AddressSpace m = k.mem();
        m.poke(at, new byte[k.off("tcp_congestion_ops_sizeof")]);
        byte[] n = new byte[k.off("TCP_CA_NAME_MAX")];
        byte[] b = name.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, n, 0, b.length);
        m.poke(f(k, at, "name"), n);
        int key = Jhash.jhash(n, n.length, b.length);
        m.poke(f(k, at, "key"), new byte[] {(byte) key, (byte) (key >> 8), (byte) (key >> 16), (byte) (key >> 24)});
        m.poke(f(k, at, "flags"), new byte[] {(byte) k.off("TCP_CONG_NON_RESTRICTED"), 0, 0, 0});
        if (renoHooks) {
            m.pokeLong(f(k, at, "ssthresh"), k.sym("tcp_reno_ssthresh"));
            m.pokeLong(f(k, at, "cong_avoid"), k.sym("tcp_reno_cong_avoid"));
            m.pokeLong(f(k, at, "undo_cwnd"), k.sym("tcp_reno_undo_cwnd"));
        }
    }

    /** {@code struct tcp_congestion_ops tcp_reno}: the fallback every kernel has. */
    @KernelData(value = "tcp_reno", sizeOf = "tcp_congestion_ops_sizeof", align = 64)
    static void tcpReno(KernelContext k, long at) {
        defineOps(k, at, "reno", true);
    }

    /** net/ipv4/tcp_cubic.c's {@code cubictcp} (built in on Debian; its hooks are not provided). */
    @KernelData(value = "cubictcp", sizeOf = "tcp_congestion_ops_sizeof", align = 64)
    static void cubic(KernelContext k, long at) {
        defineOps(k, at, "cubic", false);
    }

    /** {@code tcp_ca_find()}. */
    private static long find(KernelContext k, String name) {
        for (long ca : list(k)) {
            if (name(k, ca).equals(name)) {
                return ca;
            }
        }
        return 0;
    }

    /** int tcp_register_congestion_control(struct tcp_congestion_ops *ca) */
    @KernelSymbol("tcp_register_congestion_control")
    static int register(KernelContext k, long ca) {
        AddressSpace m = k.mem();
        String name = name(k, ca);
        if (m.read64(f(k, ca, "ssthresh")) == 0 || m.read64(f(k, ca, "undo_cwnd")) == 0
                || (m.read64(f(k, ca, "cong_avoid")) == 0 && m.read64(f(k, ca, "cong_control")) == 0)) {
            k.printk(3, "TCP: " + name + " does not implement required ops");
            return -Errno.EINVAL;
        }
        byte[] field = m.read(f(k, ca, "name"), k.off("TCP_CA_NAME_MAX"));
        int key = Jhash.jhash(field, field.length, name.getBytes(StandardCharsets.UTF_8).length);
        m.write32(f(k, ca, "key"), key);
        boolean taken = key == TCP_CA_UNSPEC;
        for (long e : list(k)) {
            taken |= m.read32(f(k, e, "key")) == key;
        }
        if (taken) {
            k.printk(5, "TCP: " + name + " already registered or non-unique key");
            return -Errno.EEXIST;
        }
        Lists.addTail(k, f(k, ca, "list"), k.sym("tcp_cong_list"));
        return 0;
    }

    /** void tcp_unregister_congestion_control(struct tcp_congestion_ops *ca) */
    @KernelSymbol("tcp_unregister_congestion_control")
    static void unregister(KernelContext k, long ca) {
        Lists.delRcu(k, f(k, ca, "list"));
        k.call(k.sym("synchronize_rcu"));
    }

    // ---------------------------------------------------------------- Reno, for modules to build on

    private static long tp(KernelContext k, long tp, String field) {
        return tp + k.off("tcp_sock_" + field);
    }

    private static int u32(KernelContext k, long tp, String field) {
        return k.mem().read32(tp(k, tp, field));
    }

    /** {@code tcp_snd_cwnd_set()}: WARN_ON_ONCE for a window that is not positive. */
    private static void setCwnd(KernelContext k, long tp, int val) {
        if (val <= 0) {
            Oops.warnOnce(k, "include/net/tcp.h:1260", "tcp_snd_cwnd_set");
        }
        k.mem().write32(tp(k, tp, "snd_cwnd"), val);
    }

    private static int umin(int a, int b) {
        return Integer.compareUnsigned(a, b) < 0 ? a : b;
    }

    /** u32 tcp_slow_start(struct tcp_sock *tp, u32 acked) */
    @KernelSymbol("tcp_slow_start")
    static int slowStart(KernelContext k, long tp, int acked) {
        int cwndNow = u32(k, tp, "snd_cwnd");
        int cwnd = umin(cwndNow + acked, u32(k, tp, "snd_ssthresh"));
        acked -= cwnd - cwndNow;
        setCwnd(k, tp, umin(cwnd, u32(k, tp, "snd_cwnd_clamp")));
        return acked;
    }

    /** void tcp_cong_avoid_ai(struct tcp_sock *tp, u32 w, u32 acked) */
    @KernelSymbol("tcp_cong_avoid_ai")
    static void congAvoidAi(KernelContext k, long tp, int w, int acked) {
        AddressSpace m = k.mem();
        if (Integer.compareUnsigned(u32(k, tp, "snd_cwnd_cnt"), w) >= 0) {
            m.write32(tp(k, tp, "snd_cwnd_cnt"), 0);
            setCwnd(k, tp, u32(k, tp, "snd_cwnd") + 1);
        }
        m.write32(tp(k, tp, "snd_cwnd_cnt"), u32(k, tp, "snd_cwnd_cnt") + acked);
        int cnt = u32(k, tp, "snd_cwnd_cnt");
        if (Integer.compareUnsigned(cnt, w) >= 0) {
            int delta = Integer.divideUnsigned(cnt, w);
            m.write32(tp(k, tp, "snd_cwnd_cnt"), cnt - delta * w);
            setCwnd(k, tp, u32(k, tp, "snd_cwnd") + delta);
        }
        setCwnd(k, tp, umin(u32(k, tp, "snd_cwnd"), u32(k, tp, "snd_cwnd_clamp")));
    }

    /**
     * {@code tcp_is_cwnd_limited()}: the {@code is_cwnd_limited} bit (the top bit of the byte after
     * {@code repair_queue}, include/linux/tcp.h), else in slow start while cwnd is below twice
     * {@code max_packets_out}.
     */
    private static boolean cwndLimited(KernelContext k, long tp) {
        if ((k.mem().read8(tp(k, tp, "repair_queue") + 1) & 0x80) != 0) {
            return true;
        }
        if (Integer.compareUnsigned(u32(k, tp, "snd_cwnd"), u32(k, tp, "snd_ssthresh")) < 0) {
            return Integer.compareUnsigned(u32(k, tp, "snd_cwnd"), 2 * u32(k, tp, "max_packets_out")) < 0;
        }
        return false;
    }

    /** void tcp_reno_cong_avoid(struct sock *sk, u32 ack, u32 acked) */
    @KernelSymbol("tcp_reno_cong_avoid")
    static void renoCongAvoid(KernelContext k, long sk, int ack, int acked) {
        if (!cwndLimited(k, sk)) {
            return;
        }
        if (Integer.compareUnsigned(u32(k, sk, "snd_cwnd"), u32(k, sk, "snd_ssthresh")) < 0) {
            acked = slowStart(k, sk, acked);
            if (acked == 0) {
                return;
            }
        }
        congAvoidAi(k, sk, u32(k, sk, "snd_cwnd"), acked);
    }

    /** u32 tcp_reno_ssthresh(struct sock *sk) */
    @KernelSymbol("tcp_reno_ssthresh")
    static int renoSsthresh(KernelContext k, long sk) {
        int half = u32(k, sk, "snd_cwnd") >>> 1;
        return Integer.compareUnsigned(half, 2) > 0 ? half : 2;
    }

    /** u32 tcp_reno_undo_cwnd(struct sock *sk) */
    @KernelSymbol("tcp_reno_undo_cwnd")
    static int renoUndoCwnd(KernelContext k, long sk) {
        int cwnd = u32(k, sk, "snd_cwnd");
        int prior = u32(k, sk, "prior_cwnd");
        return Integer.compareUnsigned(cwnd, prior) > 0 ? cwnd : prior;
    }

    // ---------------------------------------------------------------- sysctls

    /** {@code tcp_get_available_congestion_control()}. */
    static String available(KernelContext k) {
        StringBuilder sb = new StringBuilder();
        for (long ca : list(k)) {
            sb.append(sb.length() == 0 ? "" : " ").append(name(k, ca));
        }
        return cut(sb.toString());
    }

    /** {@code tcp_get_allowed_congestion_control()}: the non-restricted ones. */
    static String allowed(KernelContext k) {
        StringBuilder sb = new StringBuilder();
        for (long ca : list(k)) {
            if ((flags(k, ca) & k.off("TCP_CONG_NON_RESTRICTED")) != 0) {
                sb.append(sb.length() == 0 ? "" : " ").append(name(k, ca));
            }
        }
        return cut(sb.toString());
    }

    private static String cut(String s) {
        return s.length() >= CA_BUF_MAX ? s.substring(0, CA_BUF_MAX - 1) : s;
    }

    /**
     * {@code tcp_set_default_congestion_control()} for init_net: the named algorithm (loaded with
     * {@code request_module("tcp_%s")} if missing) becomes the default and holds a reference on
     * its module; it is no longer restricted.
     */
    static int setDefault(KernelContext k, String name) {
        long ca = find(k, name);
        if (ca == 0) {
            dev.kmodemu.kstubs.kernel.Kmod.requestModule(k, "tcp_" + name);
            ca = find(k, name);
        }
        if (ca == 0) {
            return -Errno.ENOENT;
        }
        long owner = k.mem().read64(f(k, ca, "owner"));
        if (owner != 0 && k.call(k.sym("try_module_get"), owner) == 0) {
            return -Errno.EBUSY;
        }
        State st = state(k);
        long prev = st.dflt;
        st.dflt = ca;
        long prevOwner = k.mem().read64(f(k, prev, "owner"));
        if (prevOwner != 0) {
            k.call(k.sym("module_put"), prevOwner);
        }
        k.mem().write32(f(k, ca, "flags"), flags(k, ca) | k.off("TCP_CONG_NON_RESTRICTED"));
        return 0;
    }

    /**
     * {@code tcp_set_allowed_congestion_control()}: exactly the listed algorithms (all of which
     * must be registered) are unrestricted afterwards, and the default always is.
     */
    static int setAllowed(KernelContext k, String val) {
        String[] names = val.trim().isEmpty() ? new String[0] : val.trim().split("\\s+");
        for (String n : names) {
            if (find(k, n) == 0) {
                return -Errno.ENOENT;
            }
        }
        int nr = k.off("TCP_CONG_NON_RESTRICTED");
        for (long ca : list(k)) {
            k.mem().write32(f(k, ca, "flags"), flags(k, ca) & ~nr);
        }
        for (String n : names) {
            long ca = find(k, n);
            k.mem().write32(f(k, ca, "flags"), flags(k, ca) | nr);
        }
        long d = state(k).dflt;
        k.mem().write32(f(k, d, "flags"), flags(k, d) | nr);
        return 0;
    }

    /** {@code proc_dostring()}'s write: the text up to the first newline, cut to the buffer. */
    static String sysctlString(byte[] data, int maxlen) {
        int n = 0;
        while (n < data.length && n < maxlen - 1 && data[n] != '\n' && data[n] != 0) {
            n++;
        }
        return new String(data, 0, n, StandardCharsets.UTF_8);
    }

    /** The three sysctls of net/ipv4/sysctl_net_ipv4.c in /proc/sys/net/ipv4. */
    public static void boot(KernelContext k) {
        Vfs vfs = k.vfs();
        vfs.register("/proc/sys/net/ipv4/tcp_available_congestion_control",
                () -> (available(k) + "\n").getBytes(StandardCharsets.UTF_8));
        vfs.register("/proc/sys/net/ipv4/tcp_allowed_congestion_control", new Vfs.File() {
            @Override
            public byte[] read() {
                return (allowed(k) + "\n").getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public boolean writable() {
                return true;
            }

            @Override
            public long write(byte[] data) {
                int err = setAllowed(k, sysctlString(data, CA_BUF_MAX));
                return err != 0 ? err : data.length;
            }
        });
        vfs.register("/proc/sys/net/ipv4/tcp_congestion_control", new Vfs.File() {
            @Override
            public byte[] read() {
                return (name(k, state(k).dflt) + "\n").getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public boolean writable() {
                return true;
            }

            @Override
            public long write(byte[] data) {
                int err = setDefault(k, sysctlString(data, k.off("TCP_CA_NAME_MAX")));
                return err != 0 ? err : data.length;
            }
        });
    }
}
