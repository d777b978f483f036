package dev.kmodemu.kstubs.kernel.irq;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.kernel.Oops;
import dev.kmodemu.kstubs.mm.Gfp;

/**
 * kernel/irq/irqdesc.c: interrupt descriptors as {@code struct irq_desc} in guest memory (the
 * inline helpers modules use read them: {@code irq_data_get_irq_chip_data()},
 * {@code irq_desc_get_chip()}, ...), allocated in ranges by {@code __irq_alloc_descs()} for
 * software interrupt chips (IIO triggers, GPIO and MFD drivers) and freed by
 * {@code irq_free_descs()}; {@code generic_handle_irq()} runs a descriptor's flow handler. The
 * first number handed out is {@code arch_dynirq_lower_bound()}: the IO-APIC's 24 pins are below
 * it (the oracle's machine gives its own devices' MSIs numbers from there too; here no device
 * takes any).
 */
public final class Irqdesc {
    /** {@code gsi_top} of the PC's one IO-APIC: dynamic numbers start above its 24 pins. */
    private static final int DYNIRQ_LOWER_BOUND = 24;

    private Irqdesc() {
    }

    /** {@code no_irq_chip}: the chip of a descriptor nobody set one for ("none"). */
    static long noIrqChip(KernelContext k) {
        return k.state(NoIrqChip.class, () -> {
            long chip = k.slab().kmalloc(k.off("irq_chip_sizeof"), Gfp.KERNEL | Gfp.ZERO);
            k.mem().write64(chip + k.off("irq_chip_name"), k.kstrdup("none"));
            return new NoIrqChip(chip);
        }).address;
    }

    private record NoIrqChip(long address) {
    }

    /**
     * {@code struct irq_chip dummy_irq_chip}: "dummy", whose callbacks do nothing (left NULL here,
     * which the core treats alike).
     */
    @KernelData(value = "dummy_irq_chip", sizeOf = "irq_chip_sizeof", align = 64)
    static void dummyIrqChip(KernelContext k, long at) {
    }

    /** Names {@code dummy_irq_chip} once the slab allocator works. */
    public static void boot(KernelContext k) {
        k.mem().write64(k.sym("dummy_irq_chip") + k.off("irq_chip_name"), k.kstrdup("dummy"));
    }

    /** The guest descriptor of {@code d}, made on first use ({@code desc_set_defaults()}). */
    static long guest(KernelContext k, Manage.Desc d) {
        if (d.addr == 0) {
            AddressSpace m = k.mem();
            long desc = k.slab().kmalloc(k.off("irq_desc_sizeof"), Gfp.KERNEL | Gfp.ZERO);
            long data = desc + k.off("irq_desc_irq_data");
            long common = desc + k.off("irq_desc_irq_common_data");
            m.write64(data + k.off("irq_data_common"), common);
            m.write32(data + k.off("irq_data_irq"), d.irq);
            m.write64(data + k.off("irq_data_chip"), noIrqChip(k));
            m.write32(common + k.off("irq_common_data_state_use_accessors"),
                    k.off("IRQD_IRQ_DISABLED") | k.off("IRQD_IRQ_MASKED"));
            m.write64(desc + k.off("irq_desc_handle_irq"), k.sym("handle_bad_irq"));
            m.write32(desc + k.off("irq_desc_depth"), 1);
            d.addr = desc;
        }
        return d.addr;
    }

    static long owner(KernelContext k, Manage.Desc d) {
        return k.mem().read64(guest(k, d) + k.off("irq_desc_owner"));
    }

    static int status(KernelContext k, Manage.Desc d) {
        return k.mem().read32(guest(k, d) + k.off("irq_desc_status_use_accessors"));
    }

    static long chip(KernelContext k, Manage.Desc d) {
        return k.mem().read64(guest(k, d) + k.off("irq_desc_irq_data") + k.off("irq_data_chip"));
    }

    static long chipFn(KernelContext k, Manage.Desc d, String fn) {
        return k.mem().read64(chip(k, d) + k.off("irq_chip_" + fn));
    }

    private static long stateAt(KernelContext k, Manage.Desc d) {
        return guest(k, d) + k.off("irq_desc_irq_common_data") + k.off("irq_common_data_state_use_accessors");
    }

    static void stateSet(KernelContext k, Manage.Desc d, int set, int clear) {
        long at = stateAt(k, d);
        k.mem().write32(at, (k.mem().read32(at) & ~clear) | set);
    }

    /** The descriptor of {@code irq}, or null ({@code irq_to_desc()}). */
    static Manage.Desc desc(KernelContext k, int irq) {
        return Manage.of(k).desc(irq);
    }

    /** The descriptor whose guest {@code struct irq_desc} is at {@code addr}. */
    static Manage.Desc byAddress(KernelContext k, long addr) {
        Manage mg = Manage.of(k);
        for (Manage.Desc d : mg.dynamic.values()) {
            if (d.addr == addr) {
                return d;
            }
        }
        for (int i = 0; i < k.off("NR_IRQS_LEGACY"); i++) {
            Manage.Desc d = mg.desc(i);
            if (d.addr == addr) {
                return d;
            }
        }
        return null;
    }

    /**
     * {@code irq_startup()}: the chip's irq_startup, else {@code irq_enable()} (irq_enable, else
     * irq_unmask); the line is neither disabled nor masked any more.
     */
    static void startup(KernelContext k, Manage.Desc d) {
        long data = guest(k, d) + k.off("irq_desc_irq_data");
        long fn = chipFn(k, d, "irq_startup");
        if (fn == 0) {
            fn = chipFn(k, d, "irq_enable");
        }
        if (fn == 0) {
            fn = chipFn(k, d, "irq_unmask");
        }
        stateSet(k, d, 0, k.off("IRQD_IRQ_DISABLED") | k.off("IRQD_IRQ_MASKED"));
        if (fn != 0) {
            k.call(fn, data);
        }
    }

    /** {@code irq_shutdown()}: irq_shutdown, else irq_disable, else irq_mask. */
    static void shutdown(KernelContext k, Manage.Desc d) {
        long data = guest(k, d) + k.off("irq_desc_irq_data");
        long fn = chipFn(k, d, "irq_shutdown");
        if (fn == 0) {
            fn = chipFn(k, d, "irq_disable");
        }
        if (fn == 0) {
            fn = chipFn(k, d, "irq_mask");
        }
        if (fn != 0) {
            k.call(fn, data);
        }
        stateSet(k, d, k.off("IRQD_IRQ_DISABLED") | k.off("IRQD_IRQ_MASKED"), 0);
    }

    /**
     * int __irq_alloc_descs(int irq, unsigned int from, unsigned int cnt, int node, struct module
     * *owner, const struct irq_affinity_desc *affinity): the first free run of {@code cnt}
     * numbers at or above {@code from} (or exactly at {@code irq}).
     */
    @KernelSymbol("__irq_alloc_descs")
    static int allocDescs(KernelContext k, int irq, int from, int cnt, int node, long owner, long affinity) {
        Manage mg = Manage.of(k);
        if (cnt <= 0) {
            return -Errno.EINVAL;
        }
        if (irq >= 0) {
            if (Integer.compareUnsigned(from, irq) > 0) {
                return -Errno.EINVAL;
            }
            from = irq;
        } else {
            from = Math.max(from, DYNIRQ_LOWER_BOUND);
        }
        int limit = k.off("NR_IRQS") + 8196;
        int start = from;
        while (start + cnt <= limit) {
            int busy = -1;
            for (int i = start; i < start + cnt; i++) {
                if (mg.desc(i) != null) {
                    busy = i;
                }
            }
            if (busy < 0) {
                break;
            }
            start = busy + 1;
        }
        if (start + cnt > limit || (irq >= 0 && start != irq)) {
            return -Errno.EEXIST;
        }
        for (int i = start; i < start + cnt; i++) {
            Manage.Desc d = new Manage.Desc();
            d.irq = i;
            d.dynamic = true;
            mg.dynamic.put(i, d);
            k.mem().write64(guest(k, d) + k.off("irq_desc_owner"), owner);
        }
        return start;
    }

    /** void irq_free_descs(unsigned int from, unsigned int cnt) */
    @KernelSymbol("irq_free_descs")
    static void freeDescs(KernelContext k, int from, int cnt) {
        Manage mg = Manage.of(k);
        for (int i = from; i < from + cnt; i++) {
            Manage.Desc d = mg.dynamic.remove(i);
            if (d != null && d.addr != 0) {
                k.slab().kfree(d.addr);
            }
        }
    }

    /** struct irq_data *irq_get_irq_data(unsigned int irq) */
    @KernelSymbol("irq_get_irq_data")
    static long irqGetIrqData(KernelContext k, int irq) {
        Manage.Desc d = desc(k, irq);
        return d == null ? 0 : guest(k, d) + k.off("irq_desc_irq_data");
    }

    /**
     * int generic_handle_irq(unsigned int irq): the descriptor's flow handler
     * ({@code desc->handle_irq(desc)}) in the caller's context.
     */
    @KernelSymbol("generic_handle_irq")
    static int genericHandleIrq(KernelContext k, int irq) {
        Manage.Desc d = desc(k, irq);
        if (d == null) {
            return -Errno.EINVAL;
        }
        long desc = guest(k, d);
        k.call(k.mem().read64(desc + k.off("irq_desc_handle_irq")), desc);
        return 0;
    }

    /**
     * void handle_bad_irq(struct irq_desc *desc): an interrupt nobody set a flow handler for;
     * x86's {@code ack_bad_irq()} reports it.
     */
    @KernelSymbol("handle_bad_irq")
    static void handleBadIrq(KernelContext k, long desc) {
        int irq = k.mem().read32(desc + k.off("irq_desc_irq_data") + k.off("irq_data_irq"));
        k.printk(3, String.format("unexpected IRQ trap at vector %02x", irq));
    }

    /** {@code irqs_resend} and {@code resend_tasklet} of kernel/irq/resend.c. */
    private static final class Resend {
        final java.util.TreeSet<Integer> irqs = new java.util.TreeSet<>();
        long tasklet;
    }

    /**
     * {@code check_irq_resend()} for a software descriptor: no chip can retrigger it, so
     * {@code irq_sw_resend()} marks it and schedules the resend tasklet, which runs its flow
     * handler in softirq context (a nested-thread line without a parent is not resent); level
     * lines drop the pending interrupt.
     */
    static void resend(KernelContext k, Manage.Desc d) {
        int status = status(k, d);
        if ((status & k.off("IRQ_LEVEL")) != 0 || (status & k.off("IRQ_NESTED_THREAD")) != 0) {
            return;
        }
        Resend r = k.state(Resend.class, Resend::new);
        if (r.tasklet == 0) {
            r.tasklet = k.slab().kmalloc(k.off("tasklet_struct_sizeof"), Gfp.KERNEL | Gfp.ZERO);
        }
        r.irqs.add(d.irq);
        dev.kmodemu.kstubs.kernel.Softirq.schedule(k, r.tasklet, k.sym("resend_irqs"));
    }

    /** static void resend_irqs(struct tasklet_struct *unused): the marked descriptors' flow handlers. */
    @KernelSymbol(value = "resend_irqs", internal = true)
    static void resendIrqs(KernelContext k, long unused) {
        Resend r = k.state(Resend.class, Resend::new);
        while (!r.irqs.isEmpty()) {
            Manage.Desc d = desc(k, r.irqs.pollFirst());
            if (d != null) {
                long desc = guest(k, d);
                k.call(k.mem().read64(desc + k.off("irq_desc_handle_irq")), desc);
            }
        }
    }

    /** An unbalanced or unknown use that the kernel WARNs about in irq_modify_status(). */
    static void warnDepth(KernelContext k) {
        Oops.warn(k, "kernel/irq/chip.c:1098", "irq_modify_status", null);
    }
}
