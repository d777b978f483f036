package dev.kmodemu.kstubs.net;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.drivers.base.Classes;
import dev.kmodemu.kstubs.fs.Sysfs;
import dev.kmodemu.kstubs.fs.Vfs;
import dev.kmodemu.kstubs.kernel.Notifier;
import dev.kmodemu.kstubs.kernel.Oops;
import dev.kmodemu.kstubs.lib.Lists;
import dev.kmodemu.kstubs.printk.Printk;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * net/core/dev.c, the parts that work without packets: packet handlers ({@code dev_add_pack()}:
 * the guest lists {@code ptype_all} and {@code ptype_base[]}, with the kernel's IPv4, ARP and IPv6
 * handlers, and /proc/net/ptype), the netdevice notifier chain (a new notifier is told about the
 * devices that exist: init_net's loopback device "lo", which nothing has brought up), and network
 * devices: {@code alloc_netdev_mqs()} (with net/ethernet/eth.c's {@code ether_setup()}),
 * {@code register_netdevice()} (a name from a "%d" pattern, {@code ndo_init}, an ifindex,
 * NETDEV_POST_INIT and NETDEV_REGISTER, the device in /sys/class/net and /proc/net/dev),
 * {@code unregister_netdevice()} (NETDEV_UNREGISTER, {@code ndo_uninit}, the RTNL unlock's
 * {@code netdev_run_todo()} finishing it) and {@code free_netdev()}. No device is ever brought
 * up and nothing is transmitted; the statistics are the device's own (its
 * {@code ndo_get_stats64}/{@code ndo_get_stats}, else {@code dev->stats}).
 */
public final class Dev {
    private Dev() {
    }

    private static final int GFP_ZERO = 0xcc0 | 0x100;
    /** include/uapi/linux/if.h's {@code IFF_NOARP}, for lo's flags (IFF_LOOPBACK alone). */
    private static final int LOOPBACK_IFINDEX = 1;

    /** Per-kernel: devices awaiting {@code netdev_run_todo()}, the "net" class. */
    private static final class State {
        final List<Long> todo = new ArrayList<>();
        long netClass;
    }

    private static State state(KernelContext k) {
        return k.state(Dev.class, State::new);
    }

    static long f(KernelContext k, long dev, String field) {
        return dev + k.off("net_device_" + field);
    }

    static String name(KernelContext k, long dev) {
        return new String(k.mem().readCBytes(f(k, dev, "name"), k.off("IFNAMSIZ")), StandardCharsets.UTF_8);
    }

    static int ifindex(KernelContext k, long dev) {
        return k.mem().read32(f(k, dev, "ifindex"));
    }

    static int flags(KernelContext k, long dev) {
        return k.mem().read32(f(k, dev, "flags"));
    }

    // ---------------------------------------------------------------- packet handlers

    /** {@code struct list_head ptype_all}. */
    @KernelData(value = "ptype_all", size = 16)
    static void ptypeAll(KernelContext k, long at) {
        Lists.pokeInit(k, at);
    }

    /** {@code struct list_head ptype_base[PTYPE_HASH_SIZE]}. */
    @KernelData(value = "ptype_base", size = 16 * 16)
    static void ptypeBase(KernelContext k, long at) {
        for (int i = 0; i < 16; i++) {
            Lists.pokeInit(k, at + 16L * i);
        }
    }

    /** {@code netdev_chain}: the raw notifier chain of netdevice events. */
    @KernelData(value = "netdev_chain", size = 8)
    static void netdevChain(KernelContext k, long at) {
    }

    /** The handlers the kernel registers at boot: IPv4, ARP, IPv6 (their functions are never called). */
    private static final String[][] BOOT_PTYPES = {{"0800", "ip_rcv"}, {"0806", "arp_rcv"}, {"86dd", "ipv6_rcv"}};

    /** int ip_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt, struct net_device *orig_dev) */
    @KernelSymbol(value = "ip_rcv", internal = true)
    static int ipRcv(KernelContext k, long skb, long dev, long pt, long orig) {
        throw new UnsupportedOperationException("ip_rcv: kmodemu receives no packets");
    }

    /** int arp_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt, struct net_device *orig_dev) */
    @KernelSymbol(value = "arp_rcv", internal = true)
    static int arpRcv(KernelContext k, long skb, long dev, long pt, long orig) {
        throw new UnsupportedOperationException("arp_rcv: kmodemu receives no packets");
    }

    /** int ipv6_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt, struct net_device *orig_dev) */
    @KernelSymbol(value = "ipv6_rcv", internal = true)
    static int ipv6Rcv(KernelContext k, long skb, long dev, long pt, long orig) {
        throw new UnsupportedOperationException("ipv6_rcv: kmodemu receives no packets");
    }

    private static int ptType(KernelContext k, long pt) {
        int be = k.mem().read16(pt + k.off("packet_type_type")) & 0xffff;
        return ((be & 0xff) << 8) | (be >> 8);
    }

    /** {@code ptype_head()}. */
    private static long ptypeHead(KernelContext k, long pt) {
        long dev = k.mem().read64(pt + k.off("packet_type_dev"));
        if (ptType(k, pt) == k.off("ETH_P_ALL")) {
            return dev != 0 ? f(k, dev, "ptype_all") : k.sym("ptype_all");
        }
        return dev != 0 ? f(k, dev, "ptype_specific")
                : k.sym("ptype_base") + 16L * (ptType(k, pt) & k.off("PTYPE_HASH_MASK"));
    }

    /** void dev_add_pack(struct packet_type *pt) */
    @KernelSymbol("dev_add_pack")
    static void devAddPack(KernelContext k, long pt) {
        Lists.add(k, pt + k.off("packet_type_list"), ptypeHead(k, pt));
    }

    /** void __dev_remove_pack(struct packet_type *pt) */
    @KernelSymbol("__dev_remove_pack")
    static void devRemovePackLocked(KernelContext k, long pt) {
        for (long e : Lists.entries(k, ptypeHead(k, pt))) {
            if (e - k.off("packet_type_list") == pt) {
                Lists.delRcu(k, e);
                return;
            }
        }
        k.printk(4, new String(Printk.format(k, "dev_remove_pack: %p not found", pt),
                StandardCharsets.UTF_8));
    }

    /** void dev_remove_pack(struct packet_type *pt) */
    @KernelSymbol("dev_remove_pack")
    static void devRemovePack(KernelContext k, long pt) {
        devRemovePackLocked(k, pt);
        k.call(k.sym("synchronize_rcu"));
    }

    /** {@code ptype_seq_show()} for every handler, in the order the seq file walks them. */
    private static String procPtype(KernelContext k) {
        StringBuilder sb = new StringBuilder("Type Device      Function\n");
        List<Long> heads = new ArrayList<>();
        heads.add(k.sym("ptype_all"));
        for (int i = 0; i < 16; i++) {
            heads.add(k.sym("ptype_base") + 16L * i);
        }
        for (long head : heads) {
            for (long e : Lists.entries(k, head)) {
                long pt = e - k.off("packet_type_list");
                int type = ptType(k, pt);
                long dev = k.mem().read64(pt + k.off("packet_type_dev"));
                sb.append(type == k.off("ETH_P_ALL") ? "ALL " : String.format("%04x", type));
                sb.append(String.format(" %-8s ", dev == 0 ? "" : name(k, dev)));
                sb.append(new String(Printk.format(k, "%ps\n",
                        k.mem().read64(pt + k.off("packet_type_func"))), StandardCharsets.UTF_8));
            }
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- netdevice notifiers

    /** {@code call_netdevice_notifier()}: one block, with a {@code netdev_notifier_info} for {@code dev}. */
    private static int callOne(KernelContext k, long nb, int val, long dev) {
        long info = k.slab().kmalloc(k.off("netdev_notifier_info_sizeof"), GFP_ZERO);
        try {
            k.mem().write64(info + k.off("netdev_notifier_info_dev"), dev);
            return (int) k.call(k.mem().read64(nb + k.off("notifier_block_notifier_call")), nb, val, info);
        } finally {
            k.slab().kfree(info);
        }
    }

    /** {@code call_netdevice_notifiers()}: the whole chain, for {@code dev}. */
    static int callNotifiers(KernelContext k, int val, long dev) {
        long info = k.slab().kmalloc(k.off("netdev_notifier_info_sizeof"), GFP_ZERO);
        try {
            k.mem().write64(info + k.off("netdev_notifier_info_dev"), dev);
            return Notifier.rawCall(k, k.sym("netdev_chain"), val, info);
        } finally {
            k.slab().kfree(info);
        }
    }

    /** {@code notifier_to_errno()}. */
    private static int toErrno(KernelContext k, int ret) {
        ret &= ~k.off("NOTIFY_STOP_MASK");
        return ret > k.off("NOTIFY_OK") ? k.off("NOTIFY_OK") - ret : 0;
    }

    /** The devices of init_net in list order. */
    static List<Long> devices(KernelContext k) {
        List<Long> out = new ArrayList<>();
        for (long e : Lists.entries(k, NetNamespace.initNet(k) + k.off("net_dev_base_head"))) {
            out.add(e - k.off("net_device_dev_list"));
        }
        return out;
    }

    private static void unregisterNotifiers(KernelContext k, long nb, long dev) {
        if ((flags(k, dev) & k.off("IFF_UP")) != 0) {
            callOne(k, nb, k.off("NETDEV_GOING_DOWN"), dev);
            callOne(k, nb, k.off("NETDEV_DOWN"), dev);
        }
        callOne(k, nb, k.off("NETDEV_UNREGISTER"), dev);
    }

    /** int register_netdevice_notifier(struct notifier_block *nb): the existing devices are replayed */
    @KernelSymbol("register_netdevice_notifier")
    static int registerNetdeviceNotifier(KernelContext k, long nb) {
        Rtnetlink.lock(k);
        try {
            int err = Notifier.rawRegister(k, k.sym("netdev_chain"), nb);
            if (err != 0) {
                return err;
            }
            List<Long> devs = devices(k);
            for (int i = 0; i < devs.size(); i++) {
                long dev = devs.get(i);
                err = toErrno(k, callOne(k, nb, k.off("NETDEV_REGISTER"), dev));
                if (err == 0 && (flags(k, dev) & k.off("IFF_UP")) != 0) {
                    callOne(k, nb, k.off("NETDEV_UP"), dev);
                }
                if (err != 0) {
                    for (int j = i - 1; j >= 0; j--) {
                        unregisterNotifiers(k, nb, devs.get(j));
                    }
                    Notifier.rawUnregister(k, k.sym("netdev_chain"), nb);
                    return err;
                }
            }
            return 0;
        } finally {
            Rtnetlink.unlock(k);
        }
    }

    /** int unregister_netdevice_notifier(struct notifier_block *nb) */
    @KernelSymbol("unregister_netdevice_notifier")
    static int unregisterNetdeviceNotifier(KernelContext k, long nb) {
        Rtnetlink.lock(k);
        try {
            int err = Notifier.rawUnregister(k, k.sym("netdev_chain"), nb);
            if (err == 0) {
                for (long dev : devices(k)) {
                    unregisterNotifiers(k, nb, dev);
                }
            }
            return err;
        } finally {
            Rtnetlink.unlock(k);
        }
    }

    /** int call_netdevice_notifiers(unsigned long val, struct net_device *dev) */
    @KernelSymbol("call_netdevice_notifiers")
    static int callNetdeviceNotifiers(KernelContext k, long val, long dev) {
        return callNotifiers(k, (int) val, dev);
    }

    // ---------------------------------------------------------------- devices

    /** {@code static const struct header_ops eth_header_ops} (net/ethernet/eth.c). */
    @KernelData(value = "eth_header_ops", section = Machine.Section.RODATA, sizeOf = "header_ops_sizeof")
    static void ethHeaderOps(KernelContext k, long at) {
        k.mem().poke(at, new byte[k.off("header_ops_sizeof")]);
        k.mem().pokeLong(at + k.off("header_ops_create"), k.sym("eth_header"));
        k.mem().pokeLong(at + k.off("header_ops_parse"), k.sym("eth_header_parse"));
    }

    /** int eth_header(struct sk_buff *skb, struct net_device *dev, unsigned short type, ...) */
    @KernelSymbol("eth_header")
    static int ethHeader(KernelContext k, long skb, long dev, int type, long daddr, long saddr, int len) {
        throw new UnsupportedOperationException("eth_header: kmodemu builds no packets");
    }

    /** int eth_header_parse(const struct sk_buff *skb, unsigned char *haddr) */
    @KernelSymbol("eth_header_parse")
    static int ethHeaderParse(KernelContext k, long skb, long haddr) {
        throw new UnsupportedOperationException("eth_header_parse: kmodemu receives no packets");
    }

    /** void ether_setup(struct net_device *dev) */
    @KernelSymbol("ether_setup")
    static void etherSetup(KernelContext k, long dev) {
        AddressSpace m = k.mem();
        m.write64(f(k, dev, "header_ops"), k.sym("eth_header_ops"));
        m.write16(f(k, dev, "type"), k.off("ARPHRD_ETHER"));
        m.write16(f(k, dev, "hard_header_len"), k.off("ETH_HLEN"));
        m.write8(f(k, dev, "min_header_len"), k.off("ETH_HLEN"));
        m.write32(f(k, dev, "mtu"), k.off("ETH_DATA_LEN"));
        m.write32(f(k, dev, "min_mtu"), k.off("ETH_MIN_MTU"));
        m.write32(f(k, dev, "max_mtu"), k.off("ETH_DATA_LEN"));
        m.write8(f(k, dev, "addr_len"), k.off("ETH_ALEN"));
        m.write32(f(k, dev, "tx_queue_len"), k.off("DEFAULT_TX_QUEUE_LEN"));
        m.write32(f(k, dev, "flags"), k.off("IFF_BROADCAST") | k.off("IFF_MULTICAST"));
        m.write64(f(k, dev, "priv_flags"), m.read64(f(k, dev, "priv_flags")) | k.profile().value("IFF_TX_SKB_SHARING"));
        byte[] bc = new byte[k.off("ETH_ALEN")];
        java.util.Arrays.fill(bc, (byte) 0xff);
        m.write(f(k, dev, "broadcast"), bc);
    }

    /** {@code dev_addr_init()}: one zeroed MAX_ADDR_LEN address on {@code dev_addrs}, {@code dev_addr} at it. */
    private static boolean devAddrInit(KernelContext k, long dev) {
        AddressSpace m = k.mem();
        long list = f(k, dev, "dev_addrs");
        Lists.init(k, list + k.off("netdev_hw_addr_list_list"));
        long ha = k.slab().kmalloc(k.off("netdev_hw_addr_sizeof"), GFP_ZERO);
        if (ha == 0) {
            return false;
        }
        m.write8(ha + k.off("netdev_hw_addr_type"), k.off("NETDEV_HW_ADDR_T_LAN"));
        m.write32(ha + k.off("netdev_hw_addr_refcount"), 1);
        Lists.addTail(k, ha + k.off("netdev_hw_addr_list"), list + k.off("netdev_hw_addr_list_list"));
        m.write32(list + k.off("netdev_hw_addr_list_count"), 1);
        m.write64(f(k, dev, "dev_addr"), ha + k.off("netdev_hw_addr_addr"));
        return true;
    }

    /**
     * struct net_device *alloc_netdev_mqs(int sizeof_priv, const char *name,
     * unsigned char name_assign_type, void (*setup)(struct net_device *), unsigned int txqs, unsigned int rxqs)
     */
    @KernelSymbol("alloc_netdev_mqs")
    static long allocNetdevMqs(KernelContext k, int sizeofPriv, long name, int nameAssignType, long setup, int txqs,
            int rxqs) {
        AddressSpace m = k.mem();
        int align = k.off("NETDEV_ALIGN");
        if (m.readCBytes(name, 256).length >= k.off("IFNAMSIZ")) {
            throw Oops.bug(k, "net/core/dev.c:10585");
        }
        if (txqs < 1) {
            k.printk(3, "alloc_netdev: Unable to allocate device with zero queues");
            return 0;
        }
        if (rxqs < 1) {
            k.printk(3, "alloc_netdev: Unable to allocate device with zero RX queues");
            return 0;
        }
        long size = k.off("net_device_sizeof");
        if (sizeofPriv != 0) {
            size = (size + align - 1) & -align;
            size += Integer.toUnsignedLong(sizeofPriv);
        }
        size += align - 1;
        long p = k.slab().kmalloc(size, GFP_ZERO);
        if (p == 0) {
            return 0;
        }
        long dev = (p + align - 1) & -(long) align;
        m.write16(f(k, dev, "padded"), (int) (dev - p));
        long refcnt = k.call(k.sym("__alloc_percpu"), 4, 4);
        m.write64(f(k, dev, "pcpu_refcnt"), refcnt);
        m.write32(k.machine().percpuAddress(refcnt), 1); // dev_hold()
        devAddrInit(k, dev);
        m.write64(f(k, dev, "nd_net"), NetNamespace.initNet(k));
        m.write32(f(k, dev, "gso_max_size"), k.off("GSO_LEGACY_MAX_SIZE"));
        m.write16(f(k, dev, "gso_max_segs"), k.off("GSO_MAX_SEGS"));
        m.write32(f(k, dev, "gro_max_size"), k.off("GRO_LEGACY_MAX_SIZE"));
        m.write32(f(k, dev, "tso_max_size"), k.off("TSO_LEGACY_MAX_SIZE"));
        m.write16(f(k, dev, "tso_max_segs"), k.off("TSO_MAX_SEGS"));
        m.write8(f(k, dev, "upper_level"), 1);
        m.write8(f(k, dev, "lower_level"), 1);
        for (String l : new String[] {"napi_list", "unreg_list", "close_list", "link_watch_list", "adj_list_upper",
            "adj_list_lower", "ptype_all", "ptype_specific"}) {
            Lists.init(k, f(k, dev, l));
        }
        m.write64(f(k, dev, "priv_flags"), k.profile().value("IFF_XMIT_DST_RELEASE")
                | k.profile().value("IFF_XMIT_DST_RELEASE_PERM"));
        k.call(setup, dev);
        if (m.read32(f(k, dev, "tx_queue_len")) == 0) {
            m.write64(f(k, dev, "priv_flags"), m.read64(f(k, dev, "priv_flags")) | k.profile().value("IFF_NO_QUEUE"));
            m.write32(f(k, dev, "tx_queue_len"), k.off("DEFAULT_TX_QUEUE_LEN"));
        }
        m.write32(f(k, dev, "num_tx_queues"), txqs);
        m.write32(f(k, dev, "real_num_tx_queues"), txqs);
        long tx = k.slab().kmalloc(Integer.toUnsignedLong(txqs) * k.off("netdev_queue_sizeof"), GFP_ZERO);
        for (int i = 0; i < txqs; i++) {
            m.write64(tx + (long) i * k.off("netdev_queue_sizeof") + k.off("netdev_queue_dev"), dev);
        }
        m.write64(f(k, dev, "_tx"), tx);
        m.write32(f(k, dev, "num_rx_queues"), rxqs);
        m.write32(f(k, dev, "real_num_rx_queues"), rxqs);
        long rx = k.slab().kmalloc(Integer.toUnsignedLong(rxqs) * k.off("netdev_rx_queue_sizeof"), GFP_ZERO);
        for (int i = 0; i < rxqs; i++) {
            m.write64(rx + (long) i * k.off("netdev_rx_queue_sizeof") + k.off("netdev_rx_queue_dev"), dev);
        }
        m.write64(f(k, dev, "_rx"), rx);
        byte[] n = new byte[k.off("IFNAMSIZ")];
        byte[] b = m.readCBytes(name, 256);
        System.arraycopy(b, 0, n, 0, b.length);
        m.write(f(k, dev, "name"), n);
        m.write8(f(k, dev, "name_assign_type"), nameAssignType);
        m.write32(f(k, dev, "group"), k.off("INIT_NETDEV_GROUP"));
        return dev;
    }

    /**
     * struct net_device *alloc_etherdev_mqs(int sizeof_priv, unsigned int txqs, unsigned int rxqs):
     * "eth%d" with {@code ether_setup()}, NET_NAME_ENUM
     */
    @KernelSymbol("alloc_etherdev_mqs")
    static long allocEtherdevMqs(KernelContext k, int sizeofPriv, int txqs, int rxqs) {
        long name = k.kstrdup("eth%d");
        try {
            return allocNetdevMqs(k, sizeofPriv, name, 2, k.sym("ether_setup"), txqs, rxqs);
        } finally {
            k.slab().kfree(name);
        }
    }

    /** {@code netdev_freemem()}: the allocation the device was aligned within. */
    private static void freemem(KernelContext k, long dev) {
        AddressSpace m = k.mem();
        k.slab().kfree(m.read64(f(k, dev, "_tx")));
        k.slab().kfree(m.read64(f(k, dev, "_rx")));
        long ha = Lists.next(k, f(k, dev, "dev_addrs") + k.off("netdev_hw_addr_list_list"));
        if (ha != f(k, dev, "dev_addrs") + k.off("netdev_hw_addr_list_list")) {
            k.slab().kfree(ha - k.off("netdev_hw_addr_list"));
        }
        k.call(k.sym("free_percpu"), m.read64(f(k, dev, "pcpu_refcnt")));
        k.slab().kfree(dev - (m.read16(f(k, dev, "padded")) & 0xffff));
    }

    /** void free_netdev(struct net_device *dev) */
    @KernelSymbol("free_netdev")
    static void freeNetdev(KernelContext k, long dev) {
        AddressSpace m = k.mem();
        int reg = m.read8(f(k, dev, "reg_state")) & 0xff;
        if (reg == k.off("NETREG_UNINITIALIZED") || reg == k.off("NETREG_UNREGISTERED")) {
            if (reg == k.off("NETREG_UNREGISTERED")) {
                m.write8(f(k, dev, "reg_state"), k.off("NETREG_RELEASED"));
            }
            freemem(k, dev);
            return;
        }
        throw Oops.bug(k, "net/core/dev.c:10716");
    }

    /** {@code dev_get_valid_name()}: "%d" patterns get the first free number; -EEXIST or -EINVAL otherwise. */
    private static int validName(KernelContext k, long dev) {
        String name = name(k, dev);
        if (name.isEmpty() || name.length() >= k.off("IFNAMSIZ") || name.equals(".") || name.equals("..")
                || name.contains("/") || name.contains(":") || name.chars().anyMatch(Character::isWhitespace)) {
            return -Errno.EINVAL;
        }
        List<String> taken = new ArrayList<>();
        for (long d : devices(k)) {
            taken.add(name(k, d));
        }
        int pct = name.indexOf('%');
        if (pct >= 0) {
            if (name.indexOf('%', pct + 1) >= 0 || !name.startsWith("%d", pct)) {
                return -Errno.EINVAL;
            }
            for (int i = 0; i < 32768; i++) {
                String cand = name.substring(0, pct) + i + name.substring(pct + 2);
                if (!taken.contains(cand)) {
                    if (cand.length() >= k.off("IFNAMSIZ")) {
                        return -Errno.EINVAL;
                    }
                    byte[] n = new byte[k.off("IFNAMSIZ")];
                    byte[] b = cand.getBytes(StandardCharsets.UTF_8);
                    System.arraycopy(b, 0, n, 0, b.length);
                    k.mem().write(f(k, dev, "name"), n);
                    return i;
                }
            }
            return -Errno.ENFILE;
        }
        return taken.contains(name) ? -Errno.EEXIST : 0;
    }

    /** {@code dev_new_index()}. */
    private static int newIndex(KernelContext k) {
        AddressSpace m = k.mem();
        long net = NetNamespace.initNet(k);
        int ifindex = m.read32(net + k.off("net_ifindex"));
        for (;;) {
            if (++ifindex <= 0) {
                ifindex = 1;
            }
            int cand = ifindex;
            if (devices(k).stream().noneMatch(d -> ifindex(k, d) == cand)) {
                m.write32(net + k.off("net_ifindex"), ifindex);
                return ifindex;
            }
        }
    }

    /** The "net" class: a real class once the first device needs it (lo, at boot). */
    private static long netClass(KernelContext k) {
        State s = state(k);
        if (s.netClass == 0) {
            if (k.vfs().isDirectory("/sys/class/net") && k.vfs().list("/sys/class/net").isEmpty()) {
                k.vfs().remove("/sys/class/net");
            }
            s.netClass = Classes.createKernelClass(k, "net", 0);
        }
        return s.netClass;
    }

    /** {@code netdev_register_kobject()}: the embedded device in the "net" class, with its attributes. */
    private static int registerKobject(KernelContext k, long dev) {
        AddressSpace m = k.mem();
        long d = f(k, dev, "dev");
        k.call(k.sym("device_initialize"), d);
        m.write64(d + k.off("device_class"), netClass(k));
        long fmt = k.kstrdup("%s");
        long nm = k.kstrdup(name(k, dev));
        k.call(k.sym("dev_set_name"), d, fmt, nm);
        k.slab().kfree(fmt);
        k.slab().kfree(nm);
        int err = (int) k.call(k.sym("device_add"), d);
        if (err != 0) {
            return err;
        }
        String path = Sysfs.path(k, d + k.off("device_kobj"));
        Vfs vfs = k.vfs();
        attr(vfs, path, "ifindex", () -> ifindex(k, dev) + "\n");
        attr(vfs, path, "iflink", () -> ifindex(k, dev) + "\n");
        attr(vfs, path, "mtu", () -> Integer.toUnsignedString(m.read32(f(k, dev, "mtu"))) + "\n");
        attr(vfs, path, "type", () -> (m.read16(f(k, dev, "type")) & 0xffff) + "\n");
        attr(vfs, path, "flags", () -> String.format("0x%x\n", flags(k, dev)));
        attr(vfs, path, "addr_len", () -> (m.read8(f(k, dev, "addr_len")) & 0xff) + "\n");
        attr(vfs, path, "tx_queue_len", () -> Integer.toUnsignedString(m.read32(f(k, dev, "tx_queue_len"))) + "\n");
        attr(vfs, path, "address", () -> hwaddr(m.read(m.read64(f(k, dev, "dev_addr")), m.read8(f(k, dev, "addr_len")) & 0xff)));
        attr(vfs, path, "broadcast", () -> hwaddr(m.read(f(k, dev, "broadcast"), m.read8(f(k, dev, "addr_len")) & 0xff)));
        attr(vfs, path, "name_assign_type", () -> (m.read8(f(k, dev, "name_assign_type")) & 0xff) + "\n");
        return 0;
    }

    private static void attr(Vfs vfs, String dir, String name, java.util.function.Supplier<String> show) {
        vfs.register(dir + "/" + name, () -> show.get().getBytes(StandardCharsets.UTF_8));
    }

    /** {@code sysfs_format_mac()}: "aa:bb:...", a newline. */
    private static String hwaddr(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < b.length; i++) {
            sb.append(i == 0 ? "" : ":").append(String.format("%02x", b[i] & 0xff));
        }
        return sb.append('\n').toString();
    }

    /** int register_netdevice(struct net_device *dev): with the RTNL held ({@code ASSERT_RTNL()}) */
    @KernelSymbol("register_netdevice")
    static int registerNetdeviceSym(KernelContext k, long dev) {
        assertRtnl(k, 10017);
        return registerNetdevice(k, dev);
    }

    /** {@code ASSERT_RTNL()}: WARN_ONCE at the caller's line of net/core/dev.c. */
    private static void assertRtnl(KernelContext k, int line) {
        if (Rtnetlink.isLocked(k) == 0 && k.state(AssertRtnl.class, java.util.HashSet<Integer>::new).add(line)) {
            Oops.warn(k, "net/core/dev.c:" + line, "register_netdevice",
                    "RTNL: assertion failed at net/core/dev.c (" + line + ")");
        }
    }

    private static final class AssertRtnl {
    }

    static int registerNetdevice(KernelContext k, long dev) {
        AddressSpace m = k.mem();
        if ((m.read8(f(k, dev, "reg_state")) & 0xff) != k.off("NETREG_UNINITIALIZED")) {
            throw Oops.bug(k, "net/core/dev.c:10017");
        }
        int ret = validName(k, dev);
        if (ret < 0) {
            return ret;
        }
        long ops = m.read64(f(k, dev, "netdev_ops"));
        long init = ops == 0 ? 0 : m.read64(ops + k.off("net_device_ops_ndo_init"));
        if (init != 0) {
            ret = (int) k.call(init, dev);
            if (ret != 0) {
                return ret > 0 ? -Errno.EIO : ret;
            }
        }
        if (ifindex(k, dev) == 0) {
            m.write32(f(k, dev, "ifindex"), newIndex(k));
        } else if (devices(k).stream().anyMatch(d -> ifindex(k, d) == ifindex(k, dev))) {
            uninit(k, dev);
            return -Errno.EBUSY;
        }
        ret = toErrno(k, callNotifiers(k, k.off("NETDEV_POST_INIT"), dev));
        if (ret == 0) {
            ret = registerKobject(k, dev);
        }
        m.write8(f(k, dev, "reg_state"), ret != 0 ? k.off("NETREG_UNREGISTERED") : k.off("NETREG_REGISTERED"));
        if (ret != 0) {
            uninit(k, dev);
            return ret;
        }
        // list_netdevice()
        Lists.addTail(k, f(k, dev, "dev_list"), NetNamespace.initNet(k) + k.off("net_dev_base_head"));
        ret = toErrno(k, callNotifiers(k, k.off("NETDEV_REGISTER"), dev));
        if (ret != 0) {
            m.write8(f(k, dev, "needs_free_netdev"), 0);
            unregisterNetdevice(k, dev);
        }
        return ret;
    }

    private static void uninit(KernelContext k, long dev) {
        long ops = k.mem().read64(f(k, dev, "netdev_ops"));
        long uninit = ops == 0 ? 0 : k.mem().read64(ops + k.off("net_device_ops_ndo_uninit"));
        if (uninit != 0) {
            k.call(uninit, dev);
        }
    }

    /** int register_netdev(struct net_device *dev): {@code register_netdevice()} under the RTNL */
    @KernelSymbol("register_netdev")
    static int registerNetdev(KernelContext k, long dev) {
        Rtnetlink.lock(k);
        try {
            return registerNetdevice(k, dev);
        } finally {
            Rtnetlink.unlock(k);
        }
    }

    /**
     * void unregister_netdevice_queue(struct net_device *dev, struct list_head *head):
     * {@code unregister_netdevice_many()} of one device; the RTNL unlock finishes it
     */
    @KernelSymbol("unregister_netdevice_queue")
    static void unregisterNetdeviceQueue(KernelContext k, long dev, long head) {
        if (head != 0) {
            Lists.addTail(k, f(k, dev, "unreg_list"), head);
            return;
        }
        unregisterNetdevice(k, dev);
    }

    /** {@code unregister_netdevice_many()} for one device. */
    static void unregisterNetdevice(KernelContext k, long dev) {
        AddressSpace m = k.mem();
        int reg = m.read8(f(k, dev, "reg_state")) & 0xff;
        if (reg == k.off("NETREG_UNINITIALIZED")) {
            Oops.warn(k, "net/core/dev.c:10808", "unregister_netdevice_many", null);
            return;
        }
        if (reg != k.off("NETREG_REGISTERED")) {
            throw Oops.bug(k, "net/core/dev.c:10812");
        }
        Lists.delRcu(k, f(k, dev, "dev_list"));
        m.write8(f(k, dev, "reg_state"), k.off("NETREG_UNREGISTERING"));
        k.call(k.sym("synchronize_rcu"));
        callNotifiers(k, k.off("NETDEV_UNREGISTER"), dev);
        uninit(k, dev);
        k.call(k.sym("device_del"), f(k, dev, "dev"));
        state(k).todo.add(dev);
    }

    /** {@code netdev_run_todo()}: what an RTNL unlock finishes for the devices just unregistered. */
    static void runTodo(KernelContext k) {
        State s = state(k);
        AddressSpace m = k.mem();
        while (!s.todo.isEmpty()) {
            long dev = s.todo.remove(0);
            m.write8(f(k, dev, "reg_state"), k.off("NETREG_UNREGISTERED"));
            long destructor = m.read64(f(k, dev, "priv_destructor"));
            if (destructor != 0) {
                k.call(destructor, dev);
            }
            if (m.read8(f(k, dev, "needs_free_netdev")) != 0) {
                freeNetdev(k, dev);
            }
        }
    }

    /** void unregister_netdev(struct net_device *dev) */
    @KernelSymbol("unregister_netdev")
    static void unregisterNetdev(KernelContext k, long dev) {
        Rtnetlink.lock(k);
        try {
            unregisterNetdevice(k, dev);
        } finally {
            Rtnetlink.unlock(k);
        }
    }

    // ---------------------------------------------------------------- /proc/net/dev

    /** {@code dev_get_stats()}: the 24 counters of {@code struct rtnl_link_stats64}. */
    private static long[] stats(KernelContext k, long dev) {
        AddressSpace m = k.mem();
        long ops = m.read64(f(k, dev, "netdev_ops"));
        long[] s = new long[24];
        long get64 = ops == 0 ? 0 : m.read64(ops + k.off("net_device_ops_ndo_get_stats64"));
        long get = ops == 0 ? 0 : m.read64(ops + k.off("net_device_ops_ndo_get_stats"));
        if (get64 != 0) {
            long buf = k.slab().kmalloc(k.off("rtnl_link_stats64_sizeof"), GFP_ZERO);
            k.call(get64, dev, buf);
            for (int i = 0; i < 24; i++) {
                s[i] = m.read64(buf + 8L * i);
            }
            k.slab().kfree(buf);
        } else {
            long st = get != 0 ? k.call(get, dev) : f(k, dev, "stats");
            for (int i = 0; i < k.off("net_device_stats_sizeof") / 8; i++) {
                s[i] = m.read64(st + 8L * i);
            }
        }
        return s;
    }

    /** {@code dev_seq_printf_stats()}. */
    private static String statsLine(KernelContext k, long dev) {
        long[] s = stats(k, dev);
        // rx_packets 0, tx_packets 1, rx_bytes 2, tx_bytes 3, rx_errors 4, tx_errors 5, rx_dropped 6,
        // tx_dropped 7, multicast 8, collisions 9, rx_length 10, rx_over 11, rx_crc 12, rx_frame 13,
        // rx_fifo 14, rx_missed 15, tx_aborted 16, tx_carrier 17, tx_fifo 18, tx_heartbeat 19,
        // tx_window 20, rx_compressed 21, tx_compressed 22
        return String.format("%6s: %7s %7s %4s %4s %4s %5s %10s %9s %8s %7s %4s %4s %4s %5s %7s %10s\n", name(k, dev),
                u(s[2]), u(s[0]), u(s[4]), u(s[6] + s[15]), u(s[14]), u(s[10] + s[11] + s[12] + s[13]), u(s[21]), u(s[8]),
                u(s[3]), u(s[1]), u(s[5]), u(s[7]), u(s[18]), u(s[9]), u(s[17] + s[16] + s[20] + s[19]), u(s[22]));
    }

    private static String u(long v) {
        return Long.toUnsignedString(v);
    }

    // ---------------------------------------------------------------- boot

    /** loopback_setup() of drivers/net/loopback.c, for lo. */
    @KernelSymbol(value = "loopback_setup", internal = true)
    static void loopbackSetup(KernelContext k, long dev) {
        AddressSpace m = k.mem();
        m.write32(f(k, dev, "mtu"), 64 * 1024);
        m.write16(f(k, dev, "hard_header_len"), k.off("ETH_HLEN"));
        m.write8(f(k, dev, "min_header_len"), k.off("ETH_HLEN"));
        m.write8(f(k, dev, "addr_len"), k.off("ETH_ALEN"));
        m.write16(f(k, dev, "type"), k.off("ARPHRD_LOOPBACK"));
        m.write32(f(k, dev, "flags"), k.off("IFF_LOOPBACK"));
        m.write64(f(k, dev, "priv_flags"), m.read64(f(k, dev, "priv_flags")) | k.profile().value("IFF_NO_QUEUE"));
        m.write64(f(k, dev, "header_ops"), k.sym("eth_header_ops"));
        m.write8(f(k, dev, "needs_free_netdev"), 1);
    }

    /**
     * void synchronize_net(void): {@code synchronize_rcu_expedited()} under the RTNL,
     * {@code synchronize_rcu()} otherwise; both wait for a grace period here.
     */
    @KernelSymbol("synchronize_net")
    static void synchronizeNet(KernelContext k) {
        boolean rtnl = k.call(k.sym("rtnl_is_locked")) != 0;
        k.call(k.sym(rtnl ? "synchronize_rcu_expedited" : "synchronize_rcu"));
    }

    /**
     * The network core at boot: the kernel's packet handlers, init_net with its loopback device
     * (ifindex 1, not up), /proc/net/dev and /proc/net/ptype.
     */
    public static void boot(KernelContext k) {
        AddressSpace m = k.mem();
        NetNamespace.boot(k);
        for (String[] p : BOOT_PTYPES) {
            long pt = k.slab().kmalloc(k.off("packet_type_sizeof"), GFP_ZERO);
            int type = Integer.parseInt(p[0], 16);
            m.write16(pt + k.off("packet_type_type"), ((type & 0xff) << 8) | (type >> 8));
            m.write64(pt + k.off("packet_type_func"), k.sym(p[1]));
            devAddPack(k, pt);
        }
        long name = k.kstrdup("lo");
        long lo = allocNetdevMqs(k, 0, name, 1, k.sym("loopback_setup"), 1, 1);
        k.slab().kfree(name);
        m.write32(f(k, lo, "ifindex"), LOOPBACK_IFINDEX);
        m.write64(NetNamespace.initNet(k) + k.off("net_loopback_dev"), lo);
        if (registerNetdevice(k, lo) != 0) {
            throw new IllegalStateException("kmodemu: lo did not register");
        }
        k.vfs().register("/proc/net/dev", () -> {
            StringBuilder sb = new StringBuilder("Inter-|   Receive                                                |  Transmit\n"
                    + " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n");
            for (long d : devices(k)) {
                sb.append(statsLine(k, d));
            }
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        });
        k.vfs().register("/proc/net/ptype", () -> procPtype(k).getBytes(StandardCharsets.UTF_8));
    }
}
