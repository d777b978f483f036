package dev.kmodemu.kstubs.net;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.kernel.Oops;

import java.nio.charset.StandardCharsets;

/**
 * net/sched/sch_api.c's registry of queueing disciplines ({@code qdisc_base}, the guest chain of
 * {@code struct Qdisc_ops} through {@code next}): the kernel's own (pfifo_fast, pfifo, bfifo,
 * pfifo_head_drop, mq, noqueue from {@code pktsched_init()}, then fq_codel, built in on Debian),
 * then what modules register, with the kernel's checks and the noop defaults of
 * net/sched/sch_generic.c. kmodemu has no network devices with queues and sends no packets, so a
 * registered discipline is never instantiated; the noop handlers, which only ever see packets,
 * report that if reached.
 */
public final class SchApi {
    private SchApi() {
    }

    /** The kernel's disciplines in registration order: id, the symbol of its {@code struct Qdisc_ops}. */
    private static final String[][] BUILTIN = {{"pfifo_fast", "pfifo_fast_ops"}, {"pfifo", "pfifo_qdisc_ops"},
        {"bfifo", "bfifo_qdisc_ops"}, {"pfifo_head_drop", "pfifo_head_drop_qdisc_ops"}, {"mq", "mq_qdisc_ops"},
        {"noqueue", "noqueue_qdisc_ops"}, {"fq_codel", "fq_codel_qdisc_ops"}};

    private static long f(KernelContext k, long ops, String field) {
        return ops + k.off("Qdisc_ops_" + field);
    }

    private static String id(KernelContext k, long ops) {
        return new String(k.mem().readCBytes(f(k, ops, "id"), k.off("IFNAMSIZ")), StandardCharsets.UTF_8);
    }

    /** {@code static struct Qdisc_ops *qdisc_base}: the kernel's disciplines chained, each a guest object. */
    @KernelData(value = "qdisc_base", size = 8)
    static void qdiscBase(KernelContext k, long at) {
        AddressSpace m = k.mem();
        long prev = at;
        for (String[] q : BUILTIN) {
            String id = q[0];
            long ops = k.machine().defineData(q[1], Machine.Section.DATA, k.off("Qdisc_ops_sizeof"), 64);
            byte[] n = new byte[k.off("IFNAMSIZ")];
            byte[] b = id.getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(b, 0, n, 0, b.length);
            m.poke(f(k, ops, "id"), n);
            m.pokeLong(prev == at ? at : f(k, prev, "next"), ops);
            prev = ops;
        }
    }

    /** int register_qdisc(struct Qdisc_ops *qops): 0, -EEXIST (the id is taken) or -EINVAL */
    @KernelSymbol("register_qdisc")
    static int registerQdisc(KernelContext k, long qops) {
        AddressSpace m = k.mem();
        long link = k.sym("qdisc_base");
        String id = id(k, qops);
        for (long q = m.read64(link); q != 0; q = m.read64(link)) {
            if (id(k, q).equals(id)) {
                return -Errno.EEXIST;
            }
            link = f(k, q, "next");
        }
        if (m.read64(f(k, qops, "enqueue")) == 0) {
            m.write64(f(k, qops, "enqueue"), k.sym("noop_enqueue"));
        }
        if (m.read64(f(k, qops, "peek")) == 0) {
            if (m.read64(f(k, qops, "dequeue")) != 0) {
                return -Errno.EINVAL;
            }
            m.write64(f(k, qops, "peek"), k.sym("noop_dequeue"));
        }
        if (m.read64(f(k, qops, "dequeue")) == 0) {
            m.write64(f(k, qops, "dequeue"), k.sym("noop_dequeue"));
        }
        long cops = m.read64(f(k, qops, "cl_ops"));
        if (cops != 0) {
            long c = cops;
            if (m.read64(c + k.off("Qdisc_class_ops_find")) == 0 || m.read64(c + k.off("Qdisc_class_ops_walk")) == 0
                    || m.read64(c + k.off("Qdisc_class_ops_leaf")) == 0) {
                return -Errno.EINVAL;
            }
            if (m.read64(c + k.off("Qdisc_class_ops_tcf_block")) != 0
                    && (m.read64(c + k.off("Qdisc_class_ops_bind_tcf")) == 0
                    || m.read64(c + k.off("Qdisc_class_ops_unbind_tcf")) == 0)) {
                return -Errno.EINVAL;
            }
        }
        m.write64(f(k, qops, "next"), 0);
        m.write64(link, qops);
        return 0;
    }

    /** void unregister_qdisc(struct Qdisc_ops *qops) */
    @KernelSymbol("unregister_qdisc")
    static void unregisterQdisc(KernelContext k, long qops) {
        AddressSpace m = k.mem();
        long link = k.sym("qdisc_base");
        long q;
        for (q = m.read64(link); q != 0; q = m.read64(link)) {
            if (q == qops) {
                break;
            }
            link = f(k, q, "next");
        }
        if (q != 0) {
            m.write64(link, m.read64(f(k, q, "next")));
            m.write64(f(k, q, "next"), 0);
        } else {
            Oops.warn(k, "net/sched/sch_api.c:167", "unregister_qdisc", "unregister qdisc(" + id(k, qops) + ") failed");
        }
    }

    /** static int noop_enqueue(struct sk_buff *skb, struct Qdisc *qdisc, struct sk_buff **to_free) (sch_generic.c) */
    @KernelSymbol(value = "noop_enqueue", internal = true)
    static int noopEnqueue(KernelContext k, long skb, long qdisc, long toFree) {
        throw new UnsupportedOperationException("noop_enqueue: kmodemu transmits no packets");
    }

    /** static struct sk_buff *noop_dequeue(struct Qdisc *qdisc) (sch_generic.c): nothing is ever queued */
    @KernelSymbol(value = "noop_dequeue", internal = true)
    static long noopDequeue(KernelContext k, long qdisc) {
        return 0;
    }

    /** void netif_schedule_queue(struct netdev_queue *txq) (net/core/dev.c) */
    @KernelSymbol("netif_schedule_queue")
    static void netifScheduleQueue(KernelContext k, long txq) {
        throw new UnsupportedOperationException("netif_schedule_queue: kmodemu has no transmit queues");
    }
}
