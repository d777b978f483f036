package dev.kmodemu.kstubs.net.netfilter;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.lib.Lists;
import dev.kmodemu.kstubs.locking.Locks;

/**
 * net/netfilter/nf_sockopt.c: the {@code nf_sockopts} list of {@code struct nf_sockopt_ops},
 * kept in guest memory under {@code nf_sockopt_mutex}; a registration whose set or get range
 * overlaps one of the same family is refused with {@code -EBUSY}. No user process calls
 * {@code setsockopt()}/{@code getsockopt()} in the emulated system, so the ranges are never looked up.
 */
public final class NfSockopt {
    private NfSockopt() {
    }

    /** {@code static LIST_HEAD(nf_sockopts)}. */
    @KernelData(value = "nf_sockopts", size = 16)
    static void nfSockopts(KernelContext k, long at) {
        Lists.pokeInit(k, at);
    }

    /** {@code static DEFINE_MUTEX(nf_sockopt_mutex)}. */
    @KernelData(value = "nf_sockopt_mutex", sizeOf = "mutex_sizeof")
    static void nfSockoptMutex(KernelContext k, long at) {
        Lists.pokeInit(k, at + k.off("mutex_wait_list"));
    }

    private static int field(KernelContext k, long ops, String f) {
        return k.mem().read32(ops + k.off("nf_sockopt_ops_" + f));
    }

    private static boolean overlap(int min1, int max1, int min2, int max2) {
        return max1 > min2 && min1 < max2;
    }

    /** int nf_register_sockopt(struct nf_sockopt_ops *reg) */
    @KernelSymbol("nf_register_sockopt")
    static int nfRegisterSockopt(KernelContext k, long reg) {
        AddressSpace m = k.mem();
        long head = k.sym("nf_sockopts");
        long mutex = k.sym("nf_sockopt_mutex");
        int pf = m.read8(reg + k.off("nf_sockopt_ops_pf")) & 0xff;
        int ret = 0;
        Locks.mutexLock(k, mutex);
        long listOff = k.off("nf_sockopt_ops_list");
        for (long e = Lists.next(k, head); e != head; e = Lists.next(k, e)) {
            long ops = e - listOff;
            if ((m.read8(ops + k.off("nf_sockopt_ops_pf")) & 0xff) == pf
                    && (overlap(field(k, ops, "set_optmin"), field(k, ops, "set_optmax"),
                            field(k, reg, "set_optmin"), field(k, reg, "set_optmax"))
                        || overlap(field(k, ops, "get_optmin"), field(k, ops, "get_optmax"),
                            field(k, reg, "get_optmin"), field(k, reg, "get_optmax")))) {
                ret = -Errno.EBUSY;
                break;
            }
        }
        if (ret == 0) {
            Lists.add(k, reg + listOff, head);
        }
        Locks.mutexUnlock(k, mutex);
        return ret;
    }

    /** void nf_unregister_sockopt(struct nf_sockopt_ops *reg) */
    @KernelSymbol("nf_unregister_sockopt")
    static void nfUnregisterSockopt(KernelContext k, long reg) {
        long mutex = k.sym("nf_sockopt_mutex");
        Locks.mutexLock(k, mutex);
        Lists.del(k, reg + k.off("nf_sockopt_ops_list"));
        Locks.mutexUnlock(k, mutex);
    }
}
