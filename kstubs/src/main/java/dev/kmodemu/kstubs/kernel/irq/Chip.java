package dev.kmodemu.kstubs.kernel.irq;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.kernel.Oops;

/**
 * kernel/irq/chip.c: setting a descriptor's chip, chip and handler data, flow handler and status
 * bits, and the flow handlers {@code handle_simple_irq()} (the handlers run at once) and
 * {@code handle_nested_irq()} (the thread functions run in the calling thread, for chips behind
 * a slow bus). A line that is disabled or has no handler keeps the interrupt pending.
 */
public final class Chip {
    private Chip() {
    }

    /** int irq_set_chip(unsigned int irq, const struct irq_chip *chip): NULL means no_irq_chip. */
    @KernelSymbol("irq_set_chip")
    static int irqSetChip(KernelContext k, int irq, long chip) {
        Manage.Desc d = Irqdesc.desc(k, irq);
        if (d == null) {
            return -Errno.EINVAL;
        }
        k.mem().write64(Irqdesc.guest(k, d) + k.off("irq_desc_irq_data") + k.off("irq_data_chip"),
                chip != 0 ? chip : Irqdesc.noIrqChip(k));
        return 0;
    }

    /** int irq_set_chip_data(unsigned int irq, void *data) */
    @KernelSymbol("irq_set_chip_data")
    static int irqSetChipData(KernelContext k, int irq, long data) {
        Manage.Desc d = Irqdesc.desc(k, irq);
        if (d == null) {
            return -Errno.EINVAL;
        }
        k.mem().write64(Irqdesc.guest(k, d) + k.off("irq_desc_irq_data") + k.off("irq_data_chip_data"), data);
        return 0;
    }

    /** int irq_set_handler_data(unsigned int irq, void *data) */
    @KernelSymbol("irq_set_handler_data")
    static int irqSetHandlerData(KernelContext k, int irq, long data) {
        Manage.Desc d = Irqdesc.desc(k, irq);
        if (d == null) {
            return -Errno.EINVAL;
        }
        k.mem().write64(Irqdesc.guest(k, d) + k.off("irq_desc_irq_common_data")
                + k.off("irq_common_data_handler_data"), data);
        return 0;
    }

    /**
     * void __irq_set_handler(unsigned int irq, irq_flow_handler_t handle, int is_chained, const
     * char *name): {@code __irq_do_set_handler()}. NULL uninstalls (handle_bad_irq, disabled);
     * a chained handler is started at once and the line can no longer be requested.
     */
    @KernelSymbol("__irq_set_handler")
    static void irqSetHandler(KernelContext k, int irq, long handle, int isChained, long name) {
        Manage.Desc d = Irqdesc.desc(k, irq);
        if (d == null) {
            return;
        }
        doSetHandler(k, d, handle, isChained != 0, name);
    }

    private static void doSetHandler(KernelContext k, Manage.Desc d, long handle, boolean chained, long name) {
        AddressSpace m = k.mem();
        long desc = Irqdesc.guest(k, d);
        long bad = k.sym("handle_bad_irq");
        if (handle == 0) {
            handle = bad;
        } else if (Irqdesc.chip(k, d) == Irqdesc.noIrqChip(k)) {
            Oops.warn(k, "kernel/irq/chip.c:1002", "__irq_do_set_handler", null);
            return;
        }
        if (handle == bad) {
            if (Irqdesc.chip(k, d) != Irqdesc.noIrqChip(k)) {
                // mask_ack_irq(): irq_mask_ack, else irq_mask then irq_ack
                long data = desc + k.off("irq_desc_irq_data");
                long fn = Irqdesc.chipFn(k, d, "irq_mask");
                if (fn != 0) {
                    k.call(fn, data);
                }
                Irqdesc.stateSet(k, d, k.off("IRQD_IRQ_MASKED"), 0);
            }
            Irqdesc.stateSet(k, d, k.off("IRQD_IRQ_DISABLED"), 0);
            d.depth = 1;
            m.write32(desc + k.off("irq_desc_depth"), 1);
        }
        m.write64(desc + k.off("irq_desc_handle_irq"), handle);
        m.write64(desc + k.off("irq_desc_name"), name);
        if (handle != bad && chained) {
            int st = m.read32(desc + k.off("irq_desc_status_use_accessors"));
            m.write32(desc + k.off("irq_desc_status_use_accessors"),
                    st | k.off("IRQ_NOPROBE") | k.off("IRQ_NOREQUEST") | k.off("IRQ_NOTHREAD"));
            d.depth = 0;
            m.write32(desc + k.off("irq_desc_depth"), 0);
            Irqdesc.startup(k, d);
        }
    }

    /**
     * void irq_set_chip_and_handler_name(unsigned int irq, const struct irq_chip *chip,
     * irq_flow_handler_t handle, const char *name)
     */
    @KernelSymbol("irq_set_chip_and_handler_name")
    static void irqSetChipAndHandlerName(KernelContext k, int irq, long chip, long handle, long name) {
        if (irqSetChip(k, irq, chip) == 0) {
            irqSetHandler(k, irq, handle, 0, name);
        }
    }

    /**
     * void irq_modify_status(unsigned int irq, unsigned long clr, unsigned long set): the
     * settings bits (within IRQF_MODIFY_MASK), then the irq_data state derived from them.
     */
    @KernelSymbol("irq_modify_status")
    static void irqModifyStatus(KernelContext k, int irq, long clr, long set) {
        Manage.Desc d = Irqdesc.desc(k, irq);
        if (d == null) {
            return;
        }
        AddressSpace m = k.mem();
        long desc = Irqdesc.guest(k, d);
        if (d.depth == 0 && (set & k.off("IRQ_NOAUTOEN")) != 0) {
            Irqdesc.warnDepth(k);
        }
        int mask = k.off("IRQF_MODIFY_MASK");
        int st = m.read32(desc + k.off("irq_desc_status_use_accessors"));
        st = (st & ~((int) clr & mask)) | ((int) set & mask);
        m.write32(desc + k.off("irq_desc_status_use_accessors"), st);
        long stateAt = desc + k.off("irq_desc_irq_common_data") + k.off("irq_common_data_state_use_accessors");
        int state = m.read32(stateAt);
        int trigger = state & k.off("IRQD_TRIGGER_MASK");
        state &= ~(k.off("IRQD_NO_BALANCING") | k.off("IRQD_PER_CPU") | k.off("IRQD_TRIGGER_MASK")
                | k.off("IRQD_LEVEL") | k.off("IRQD_MOVE_PCNTXT"));
        if ((st & k.off("IRQ_NO_BALANCING")) != 0) {
            state |= k.off("IRQD_NO_BALANCING");
        }
        if ((st & k.off("IRQ_PER_CPU")) != 0) {
            state |= k.off("IRQD_PER_CPU");
        }
        if ((st & k.off("IRQ_MOVE_PCNTXT")) != 0) {
            state |= k.off("IRQD_MOVE_PCNTXT");
        }
        if ((st & k.off("IRQ_LEVEL")) != 0) {
            state |= k.off("IRQD_LEVEL");
        }
        int tmp = st & k.off("IRQ_TYPE_SENSE_MASK");
        if (tmp != k.off("IRQ_TYPE_NONE")) {
            trigger = tmp;
        }
        m.write32(stateAt, state | trigger);
    }

    private static Manage.Desc flowDesc(KernelContext k, long desc) {
        Manage.Desc d = Irqdesc.byAddress(k, desc);
        if (d == null) {
            throw new IllegalArgumentException("flow handler called on 0x" + Long.toHexString(desc)
                    + ", which is no interrupt descriptor");
        }
        return d;
    }

    /**
     * void handle_simple_irq(struct irq_desc *desc): no acks or masks; pending if the line is
     * disabled or has no handler, else {@code handle_irq_event()}.
     */
    @KernelSymbol("handle_simple_irq")
    static void handleSimpleIrq(KernelContext k, long desc) {
        Manage.Desc d = flowDesc(k, desc);
        if (d.actions.isEmpty() || d.depth > 0) {
            d.pending = true;
            return;
        }
        Manage.of(k).handleIrqEvent(d.irq, d, k.machine().cpu().get(dev.kmodemu.emu.Reg.EFLAGS));
    }

    /**
     * void handle_nested_irq(unsigned int irq): every action's thread function, in the caller's
     * thread (the line's parent handler runs in a thread itself).
     */
    @KernelSymbol("handle_nested_irq")
    static void handleNestedIrq(KernelContext k, int irq) {
        Manage.Desc d = Irqdesc.desc(k, irq);
        if (d == null) {
            return;
        }
        if (d.actions.isEmpty() || d.depth > 0) {
            d.pending = true;
            return;
        }
        for (Manage.Action a : new java.util.ArrayList<>(d.actions)) {
            if (a.threadFn != 0) {
                k.call(a.threadFn, Integer.toUnsignedLong(irq), a.devId);
            }
        }
    }
}
