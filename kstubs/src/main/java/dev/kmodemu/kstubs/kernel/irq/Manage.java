package dev.kmodemu.kstubs.kernel.irq;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.kernel.Oops;

import java.util.ArrayList;
import java.util.List;

/**
 * kernel/irq/manage.c and handle.c for a machine without devices: the interrupt lines of Debian's
 * kernel in the oracle's QEMU PC (the 16 legacy lines, the kernel's own handlers on 0, 1, 3, 4,
 * 8, 9 and 12), {@code request_threaded_irq()} and {@code free_irq()} with the kernel's checks
 * and messages, {@code disable_irq()}/{@code enable_irq()}, and {@link #raise} running the
 * handlers of a line in hard-interrupt context, as an interrupt would.
 */
public final class Manage {
    /** A {@code struct irqaction}: one requester of a line. */
    static final class Action {
        final long handler;
        final long threadFn;
        final int flags;
        final long name;
        final String nameText;
        final long devId;
        final boolean kernels;
        boolean warned;

        Action(long handler, long threadFn, int flags, long name, String nameText, long devId, boolean kernels) {
            this.handler = handler;
            this.threadFn = threadFn;
            this.flags = flags;
            this.name = name;
            this.nameText = nameText;
            this.devId = devId;
            this.kernels = kernels;
        }
    }

    /** A {@code struct irq_desc}: a line, its handlers and its disable depth. */
    static final class Desc {
        final List<Action> actions = new ArrayList<>();
        int depth = 1;
        int trigger = -1;
        boolean pending;
        /** The line's number. */
        int irq;
        /** The {@code struct irq_desc} in guest memory (0 until something needs it, for the legacy lines). */
        long addr;
        /** Allocated by {@code __irq_alloc_descs()}: chip, handler and status are the module's. */
        boolean dynamic;
    }

    private final KernelContext k;
    private final Desc[] descs;
    /** Descriptors from {@code __irq_alloc_descs()}, by number. */
    final java.util.TreeMap<Integer, Desc> dynamic = new java.util.TreeMap<>();

    private Manage(KernelContext k) {
        this.k = k;
        descs = new Desc[k.off("NR_IRQS_LEGACY")];
        for (int i = 0; i < descs.length; i++) {
            descs[i] = new Desc();
            descs[i].irq = i;
        }
        int timer = k.off("IRQF_TIMER") | k.off("IRQF_NOBALANCING") | k.off("IRQF_IRQPOLL");
        int shared = k.off("IRQF_SHARED");
        Object[][] kernels = {{0, timer, "timer"}, {1, shared, "i8042"}, {3, 0, "ttyS1"}, {4, 0, "ttyS0"},
            {8, 0, "rtc0"}, {9, shared, "acpi"}, {12, shared, "i8042"}};
        for (Object[] a : kernels) {
            Desc d = descs[(Integer) a[0]];
            d.actions.add(new Action(0, 0, (Integer) a[1], 0, (String) a[2], 0, true));
            d.depth = 0;
        }
    }

    static Manage of(KernelContext k) {
        return k.state(Manage.class, () -> new Manage(k));
    }

    /** Every handler modules requested, with its functions and dev_id; cancelling it is {@code free_irq()}. */
    public static void registrations(KernelContext k, java.util.function.Consumer<dev.kmodemu.kstubs.module.Leftovers.Registration> out) {
        Manage m = of(k);
        for (int irq = 0; irq < m.descs.length; irq++) {
            for (Action a : new java.util.ArrayList<>(m.descs[irq].actions)) {
                if (a.kernels) {
                    continue;
                }
                int line = irq;
                out.accept(new dev.kmodemu.kstubs.module.Leftovers.Registration("irq handler", line + " (" + a.nameText + ")", 0, a.handler,
                        new long[] {a.handler, a.threadFn, a.devId}, () -> freeIrq(k, line, a.devId)));
            }
        }
    }

    Desc desc(int irq) {
        return irq >= 0 && irq < descs.length ? descs[irq] : dynamic.get(irq);
    }

    /**
     * int request_threaded_irq(unsigned int irq, irq_handler_t handler, irq_handler_t thread_fn,
     * unsigned long irqflags, const char *devname, void *dev_id)
     */
    @KernelSymbol("request_threaded_irq")
    static int requestThreadedIrq(KernelContext k, int irq, long handler, long threadFn, long irqflags,
            long devname, long devId) {
        Manage mg = of(k);
        int flags = (int) irqflags;
        if (irq == k.off("IRQ_NOTCONNECTED")) {
            return -Errno.ENOTCONN;
        }
        int shared = k.off("IRQF_SHARED");
        int condSuspend = k.off("IRQF_COND_SUSPEND");
        if (((flags & shared) != 0 && devId == 0) || ((flags & shared) != 0 && (flags & k.off("IRQF_NO_AUTOEN")) != 0)
                || ((flags & shared) == 0 && (flags & condSuspend) != 0)
                || ((flags & k.off("IRQF_NO_SUSPEND")) != 0 && (flags & condSuspend) != 0)) {
            return -Errno.EINVAL;
        }
        Desc d = mg.desc(irq);
        if (d == null) {
            return -Errno.EINVAL;
        }
        if (handler == 0 && threadFn == 0) {
            return -Errno.EINVAL;
        }
        boolean nested = false;
        if (d.dynamic) {
            // request_threaded_irq(): irq_settings_can_request(); __setup_irq(): no chip, nested threads
            int status = Irqdesc.status(k, d);
            if ((status & k.off("IRQ_NOREQUEST")) != 0) {
                return -Errno.EINVAL;
            }
            if (Irqdesc.chip(k, d) == Irqdesc.noIrqChip(k)) {
                return -Errno.ENOSYS;
            }
            nested = (status & k.off("IRQ_NESTED_THREAD")) != 0;
            if (nested && threadFn == 0) {
                return -Errno.EINVAL;
            }
        }
        // __setup_irq(): the descriptor's owner (the module that allocated it) is pinned
        long owner = d.dynamic ? Irqdesc.owner(k, d) : 0;
        if (owner != 0 && !dev.kmodemu.kstubs.module.Modules.tryModuleGet(k, owner)) {
            return -Errno.ENODEV;
        }
        String name = k.mem().readCString(devname, 4096);
        Action a = new Action(nested ? 0 : handler, threadFn, flags, devname, name, devId, false);
        // __setup_irq()
        int trigger = flags & k.off("IRQF_TRIGGER_MASK");
        if (!d.actions.isEmpty()) {
            Action old = d.actions.get(0);
            int oldtype = d.trigger >= 0 ? d.trigger : trigger;
            int oneshot = k.off("IRQF_ONESHOT");
            int percpu = k.off("IRQF_PERCPU");
            if ((old.flags & flags & shared) == 0 || oldtype != trigger || ((old.flags ^ flags) & oneshot) != 0
                    || ((old.flags ^ flags) & percpu) != 0) {
                if (owner != 0) {
                    dev.kmodemu.kstubs.module.Modules.modulePut(k, owner);
                }
                if ((flags & k.off("IRQF_PROBE_SHARED")) == 0) {
                    k.printk(3, String.format("genirq: Flags mismatch irq %d. %08x (%s) vs. %08x (%s)", irq, flags,
                            name, old.flags, old.nameText));
                }
                return -Errno.EBUSY;
            }
        } else if (handler == 0 && (flags & k.off("IRQF_ONESHOT")) == 0) {
            k.printk(3, "genirq: Threaded irq requested with handler=NULL and !ONESHOT for " + name + " (irq " + irq
                    + ")");
            if (owner != 0) {
                dev.kmodemu.kstubs.module.Modules.modulePut(k, owner);
            }
            return -Errno.EINVAL;
        }
        boolean first = d.actions.isEmpty();
        if (first) {
            if (trigger != 0) {
                d.trigger = trigger;
            }
            d.depth = (flags & k.off("IRQF_NO_AUTOEN")) != 0 ? 1 : 0;
            d.pending = false;
        }
        d.actions.add(a);
        if (first && d.dynamic) {
            if ((Irqdesc.status(k, d) & k.off("IRQ_NOAUTOEN")) != 0) {
                d.depth = 1;
            }
            if (d.depth == 0) {
                Irqdesc.startup(k, d);
            }
        }
        return 0;
    }

    /** const void *free_irq(unsigned int irq, void *dev_id) */
    @KernelSymbol("free_irq")
    static long freeIrq(KernelContext k, int irq, long devId) {
        Desc d = of(k).desc(irq);
        if (d == null) {
            return 0;
        }
        for (Action a : d.actions) {
            if (!a.kernels && a.devId == devId) {
                d.actions.remove(a);
                if (d.dynamic && Irqdesc.owner(k, d) != 0) {
                    dev.kmodemu.kstubs.module.Modules.modulePut(k, Irqdesc.owner(k, d));
                }
                if (d.actions.isEmpty()) {
                    if (d.dynamic) {
                        Irqdesc.shutdown(k, d);
                    }
                    d.depth = 1;
                    d.trigger = -1;
                }
                return a.name;
            }
        }
        Oops.warn(k, "kernel/irq/manage.c:1887", "free_irq", "Trying to free already-free IRQ " + irq);
        return 0;
    }

    /** void disable_irq(unsigned int irq): no handler can be running on this one CPU meanwhile. */
    @KernelSymbol({"disable_irq", "disable_irq_nosync"})
    static void disableIrq(KernelContext k, int irq) {
        Desc d = of(k).desc(irq);
        if (d != null) {
            d.depth++;
        }
    }

    /**
     * void enable_irq(unsigned int irq): an interrupt that came while the line was disabled is
     * resent now (the IO-APIC retriggers it), so its handlers run.
     */
    @KernelSymbol("enable_irq")
    static void enableIrq(KernelContext k, int irq) {
        Manage mg = of(k);
        Desc d = mg.desc(irq);
        if (d == null) {
            return;
        }
        if (d.depth == 0) {
            Oops.warn(k, "kernel/irq/manage.c:781", "enable_irq", "Unbalanced enable for IRQ " + irq);
            return;
        }
        if (--d.depth == 0 && d.pending) {
            d.pending = false;
            if (d.dynamic) {
                Irqdesc.resend(k, d);
            } else {
                mg.handle(irq, d);
            }
        }
    }

    /** void synchronize_irq(unsigned int irq): nothing runs concurrently on one CPU. */
    @KernelSymbol("synchronize_irq")
    static void synchronizeIrq(KernelContext k, int irq) {
    }

    /** True if {@code irq} is a line of this machine. */
    public static boolean exists(KernelContext k, int irq) {
        return of(k).desc(irq) != null;
    }

    /** True if a module's handler is on {@code irq}. */
    public static boolean requested(KernelContext k, int irq) {
        Desc d = of(k).desc(irq);
        return d != null && d.actions.stream().anyMatch(a -> !a.kernels);
    }

    /**
     * An interrupt on line {@code irq}, as {@code handle_edge_irq()} takes it: held pending while
     * the line is disabled, else every module handler runs in hard-interrupt context (preempt count
     * raised by HARDIRQ_OFFSET, interrupts off); a handler's IRQ_WAKE_THREAD runs its thread_fn
     * right after, in the interrupted task (the irq/N-name kernel threads are not modelled).
     *
     * @return true if some handler returned IRQ_HANDLED
     */
    public static boolean raise(KernelContext k, int irq) {
        Manage mg = of(k);
        Desc d = mg.desc(irq);
        if (d == null) {
            return false;
        }
        if (d.depth > 0) {
            d.pending = true;
            return false;
        }
        return mg.handle(irq, d);
    }

    /** An interrupt from the CPU: {@link #handleIrqEvent} in hard-interrupt context. */
    private boolean handle(int irq, Desc d) {
        AddressSpace m = k.mem();
        long preempt = k.machine().percpu("__preempt_count");
        m.write32(preempt, m.read32(preempt) + k.off("HARDIRQ_OFFSET"));
        try {
            return handleIrqEvent(irq, d, 0x2);
        } finally {
            m.write32(preempt, m.read32(preempt) - k.off("HARDIRQ_OFFSET"));
        }
    }

    /** The WARN_ONCE of {@code __handle_irq_event_percpu()} fired. */
    private boolean enabledWarned;

    /**
     * {@code handle_irq_event()} in the caller's context, handlers entered with RFLAGS
     * {@code eflags}: the hard handlers, then the woken thread functions; a nested-thread line's
     * primary handler is {@code irq_nested_primary_handler()}. A handler left running with
     * interrupts enabled (a flow handler called from a context that had them on) gets the
     * kernel's warning, once per boot.
     */
    boolean handleIrqEvent(int irq, Desc d, long eflags) {
        List<Action> wake = new ArrayList<>();
        int handled = 0;
        int irqHandled = k.off("IRQ_HANDLED");
        int wakeThread = k.off("IRQ_WAKE_THREAD");
        for (Action a : new ArrayList<>(d.actions)) {
            if (a.kernels) {
                continue;
            }
            if (a.handler == 0 && d.dynamic && (Irqdesc.status(k, d) & k.off("IRQ_NESTED_THREAD")) != 0) {
                Oops.warn(k, "kernel/irq/manage.c:1034", "irq_nested_primary_handler",
                        "Primary handler called for nested irq " + irq);
                continue;
            }
            int res = a.handler == 0 ? wakeThread
                    : (int) k.callWithFlags(eflags, a.handler, Integer.toUnsignedLong(irq), a.devId);
            if (a.handler != 0 && (eflags & 0x200) != 0 && !enabledWarned) {
                enabledWarned = true;
                Oops.warn(k, "kernel/irq/handle.c:161", "__handle_irq_event_percpu", "irq " + irq + " handler "
                        + k.machine().kallsyms().symbolize(a.handler, true) + " enabled interrupts");
            }
            if ((res & wakeThread) != 0) {
                if (a.threadFn == 0) {
                    if (!a.warned) {
                        a.warned = true;
                        k.printk(4, "IRQ " + irq + " device " + a.nameText
                                + " returned IRQ_WAKE_THREAD but no thread function available.");
                    }
                } else {
                    wake.add(a);
                }
            }
            handled |= res;
        }
        for (Action a : wake) {
            handled |= (int) k.call(a.threadFn, Integer.toUnsignedLong(irq), a.devId) & irqHandled;
        }
        return (handled & irqHandled) != 0;
    }
}
