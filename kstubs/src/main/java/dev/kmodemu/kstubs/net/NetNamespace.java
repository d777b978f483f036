package dev.kmodemu.kstubs.net;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.lib.Lists;

import java.util.BitSet;

/**
 * net/core/net_namespace.c: {@code init_net}, the only network namespace (nothing creates others:
 * there are no user processes calling unshare/clone), with the kernel's generic pointer array
 * ({@code net->gen}, which the inline {@code net_generic()} reads), and per-net operations:
 * {@code register_pernet_subsys()} and {@code register_pernet_device()} take an id if asked (the
 * ids Debian's kernel uses at boot, 3 to 8, are taken, so the first module gets 9, as there),
 * allocate the per-net data, run {@code init} for init_net; unregistering runs {@code pre_exit},
 * {@code exit} and {@code exit_batch} (with init_net on the exit list) and frees them.
 */
public final class NetNamespace {
    private NetNamespace() {
    }

    /** {@code MIN_PERNET_OPS_ID}: the slots of {@code struct net_generic} before its first pointer. */
    private static final int MIN_PERNET_OPS_ID = 3;
    /** {@code INITIAL_NET_GEN_PTRS}. */
    private static final int INITIAL_NET_GEN_PTRS = 13;
    /** The ids Debian's built-in per-net subsystems hold after boot (measured: a module's first id is 9). */
    private static final int BOOT_IDS_END = 9;
    private static final int GFP_ZERO = 0xcc0 | 0x100;

    /** Per-kernel: {@code net_generic_ids}, {@code max_gen_ptrs}, {@code first_device}. */
    private static final class State {
        final BitSet ids = new BitSet();
        int maxGenPtrs = INITIAL_NET_GEN_PTRS;
        long firstDevice;
    }

    private static State state(KernelContext k) {
        return k.state(NetNamespace.class, () -> {
            State s = new State();
            s.ids.set(MIN_PERNET_OPS_ID, BOOT_IDS_END);
            s.maxGenPtrs = Math.max(INITIAL_NET_GEN_PTRS, BOOT_IDS_END);
            s.firstDevice = k.sym("pernet_list");
            return s;
        });
    }

    /** {@code struct net init_net} (its contents are set up by {@link #boot}). */
    @KernelData(value = "init_net", sizeOf = "net_sizeof", align = 64)
    static void initNet(KernelContext k, long at) {
    }

    /** {@code LIST_HEAD(pernet_list)}. */
    @KernelData(value = "pernet_list", size = 16)
    static void pernetList(KernelContext k, long at) {
        Lists.pokeInit(k, at);
    }

    public static long initNet(KernelContext k) {
        return k.sym("init_net");
    }

    /** {@code net_ns_init()} for init_net: references, lists, the generic array, the user namespace. */
    public static void boot(KernelContext k) {
        AddressSpace m = k.mem();
        long net = initNet(k);
        m.write32(net + k.off("net_passive"), 1);
        m.write32(net + k.off("net_ns_refcnt"), 1);
        m.write64(net + k.off("net_user_ns"), k.sym("init_user_ns"));
        Lists.init(k, net + k.off("net_list"));
        Lists.init(k, net + k.off("net_exit_list"));
        Lists.init(k, net + k.off("net_dev_base_head"));
        m.write64(net + k.off("net_gen"), allocGeneric(k, state(k).maxGenPtrs));
        dev.kmodemu.kstubs.fs.ProcNet.boot(k, net);
    }

    /** {@code net_alloc_generic()}: {@code len} pointer slots (the first ones hold len and an rcu_head). */
    private static long allocGeneric(KernelContext k, int len) {
        long ng = k.slab().kmalloc(8L * len, GFP_ZERO);
        k.mem().write32(ng + k.off("net_generic_len"), len);
        return ng;
    }

    /** {@code net_assign_generic()}: grows the array when {@code id} is past its end. */
    private static void assignGeneric(KernelContext k, long net, int id, long data) {
        AddressSpace m = k.mem();
        long old = m.read64(net + k.off("net_gen"));
        int len = m.read32(old + k.off("net_generic_len"));
        if (len > id) {
            m.write64(old + 8L * id, data);
            return;
        }
        long ng = allocGeneric(k, state(k).maxGenPtrs);
        m.write(ng + 8L * MIN_PERNET_OPS_ID, m.read(old + 8L * MIN_PERNET_OPS_ID, 8 * (len - MIN_PERNET_OPS_ID)));
        m.write64(ng + 8L * id, data);
        m.write64(net + k.off("net_gen"), ng);
        k.call(k.sym("kvfree_call_rcu"), old + 8, 8); // kfree_rcu(old_ng, s.rcu)
    }

    private static long f(KernelContext k, long ops, String field) {
        return ops + k.off("pernet_operations_" + field);
    }

    private static int idOf(KernelContext k, long ops) {
        return k.mem().read32(k.mem().read64(f(k, ops, "id")));
    }

    /** {@code ops_init()} for init_net. */
    private static int opsInit(KernelContext k, long ops, long net) {
        AddressSpace m = k.mem();
        long idp = m.read64(f(k, ops, "id"));
        long size = m.read64(f(k, ops, "size"));
        long data = 0;
        if (idp != 0 && size != 0) {
            data = k.slab().kmalloc(size, GFP_ZERO);
            if (data == 0) {
                return -Errno.ENOMEM;
            }
            assignGeneric(k, net, idOf(k, ops), data);
        }
        long init = m.read64(f(k, ops, "init"));
        int err = init == 0 ? 0 : (int) k.call(init, net);
        if (err == 0) {
            return 0;
        }
        if (data != 0) {
            m.write64(m.read64(net + k.off("net_gen")) + 8L * idOf(k, ops), 0);
            k.slab().kfree(data);
        }
        return err;
    }

    /** {@code free_exit_list()} for init_net alone: pre_exit, a grace period, exit, exit_batch, the data freed. */
    private static void freeExitList(KernelContext k, long ops) {
        AddressSpace m = k.mem();
        long net = initNet(k);
        long exitList = k.slab().kmalloc(16, 0xcc0);
        Lists.init(k, exitList);
        Lists.addTail(k, net + k.off("net_exit_list"), exitList);
        try {
            long preExit = m.read64(f(k, ops, "pre_exit"));
            if (preExit != 0) {
                k.call(preExit, net);
            }
            k.call(k.sym("synchronize_rcu"));
            long exit = m.read64(f(k, ops, "exit"));
            if (exit != 0) {
                k.call(exit, net);
            }
            long batch = m.read64(f(k, ops, "exit_batch"));
            if (batch != 0) {
                k.call(batch, exitList);
            }
            if (m.read64(f(k, ops, "size")) != 0 && m.read64(f(k, ops, "id")) != 0) {
                k.slab().kfree(m.read64(m.read64(net + k.off("net_gen")) + 8L * idOf(k, ops)));
            }
        } finally {
            Lists.delInit(k, net + k.off("net_exit_list"));
            k.slab().kfree(exitList);
        }
    }

    /** {@code register_pernet_operations()} before {@code list} (the first device, or the end). */
    private static int register(KernelContext k, long list, long ops) {
        State s = state(k);
        AddressSpace m = k.mem();
        long idp = m.read64(f(k, ops, "id"));
        if (idp != 0) {
            int id = s.ids.nextClearBit(MIN_PERNET_OPS_ID);
            s.ids.set(id);
            m.write32(idp, id);
            s.maxGenPtrs = Math.max(s.maxGenPtrs, id + 1);
        }
        Lists.addTail(k, f(k, ops, "list"), list);
        int err = 0;
        if (m.read64(f(k, ops, "init")) != 0 || (idp != 0 && m.read64(f(k, ops, "size")) != 0)) {
            err = opsInit(k, ops, initNet(k));
        }
        if (err != 0) {
            Lists.del(k, f(k, ops, "list"));
            k.call(k.sym("rcu_barrier"));
            if (idp != 0) {
                s.ids.clear(m.read32(idp));
            }
        }
        return err;
    }

    private static void unregister(KernelContext k, long ops) {
        Lists.del(k, f(k, ops, "list"));
        freeExitList(k, ops);
        k.call(k.sym("rcu_barrier"));
        long idp = k.mem().read64(f(k, ops, "id"));
        if (idp != 0) {
            state(k).ids.clear(k.mem().read32(idp));
        }
    }

    /** int register_pernet_subsys(struct pernet_operations *ops) */
    @KernelSymbol("register_pernet_subsys")
    static int registerPernetSubsys(KernelContext k, long ops) {
        return register(k, state(k).firstDevice, ops);
    }

    /** void unregister_pernet_subsys(struct pernet_operations *ops) */
    @KernelSymbol("unregister_pernet_subsys")
    static void unregisterPernetSubsys(KernelContext k, long ops) {
        unregister(k, ops);
    }

    /** int register_pernet_device(struct pernet_operations *ops) */
    @KernelSymbol("register_pernet_device")
    static int registerPernetDevice(KernelContext k, long ops) {
        State s = state(k);
        int err = register(k, k.sym("pernet_list"), ops);
        if (err == 0 && s.firstDevice == k.sym("pernet_list")) {
            s.firstDevice = f(k, ops, "list");
        }
        return err;
    }

    /** void unregister_pernet_device(struct pernet_operations *ops) */
    @KernelSymbol("unregister_pernet_device")
    static void unregisterPernetDevice(KernelContext k, long ops) {
        State s = state(k);
        if (s.firstDevice == f(k, ops, "list")) {
            s.firstDevice = Lists.next(k, s.firstDevice);
        }
        unregister(k, ops);
    }
}
