package dev.kmodemu.kstubs.locking;

import dev.kmodemu.emu.Reg;
import dev.kmodemu.kstubs.Finding;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.kernel.Oops;
import dev.kmodemu.kstubs.kernel.Taint;
import dev.kmodemu.kstubs.sched.Tasks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lock and atomic-context checks. What Debian's kernel has too: the preemption count that
 * spinlocks raise ({@code preempt_count()}, the per-cpu {@code __preempt_count}), the
 * {@code BUG: scheduling while atomic} of {@code __schedule_bug()} (kernel/sched/core.c) when a task
 * blocks with it raised, and {@code do_one_initcall()}'s {@code initcall ... returned with
 * preemption imbalance} (init/main.c). What a debug kernel adds, with the lock checks on
 * ({@link dev.kmodemu.kstubs.Checks#locks()}): lockdep's held-lock tracking
 * (kernel/locking/lockdep.c) with its {@code WARNING: bad unlock balance detected!} and
 * {@code WARNING: lock held when returning to user space!} reports and the held locks listed in
 * other reports, and {@code CONFIG_DEBUG_ATOMIC_SLEEP}'s {@code BUG: sleeping function called from
 * invalid context} (kernel/sched/core.c {@code __might_resched()}) where the kernel's sleeping
 * functions call {@code might_sleep()}.
 *
 * <p>Lockdep stops after its first report and when a taint makes it unreliable, as the kernel's
 * does ({@code debug_locks_off()}). Lock names: lockdep names a class after the lock's
 * initialisation ({@code spin_lock_init(&dev->lock)} gives {@code &dev->lock}); modules built for a
 * non-debug kernel pass no name, so kmodemu names a lock by its symbol ({@code lockbug_lock}), a
 * mutex by the name {@code mutex_init()} passed, and a lock on the heap by its address. The usage
 * string ({@code {+.+.}}) reflects the contexts kmodemu saw the lock taken in.
 */
public final class Lockdep {
    private Lockdep() {
    }

    /** The x86 {@code PREEMPT_NEED_RESCHED} bit, kept inverted in {@code __preempt_count}. */
    private static final int PREEMPT_NEED_RESCHED = 0x80000000;

    /** Kinds of lock, with lockdep's wait types ({@code {2:2}} for spinning locks, {@code {3:3}} for sleeping ones). */
    enum Kind {
        SPIN(2), RWLOCK(2), MUTEX(3);

        final int waitType;

        Kind(int waitType) {
            this.waitType = waitType;
        }
    }

    /** A lock class: what lockdep knows of a lock (named by kmodemu as the class doc says). */
    private static final class LockClass {
        final String name;
        final Kind kind;
        boolean usedInHardirq;
        boolean enabledHardirq;
        boolean usedInSoftirq;
        boolean enabledSoftirq;
        boolean read;

        LockClass(String name, Kind kind) {
            this.name = name;
            this.kind = kind;
        }

        /** {@code get_usage_chars()}: write then read usage, for hardirq then softirq. */
        String usage() {
            return "" + usageChar(usedInHardirq, enabledHardirq) + (read ? usageChar(usedInHardirq, enabledHardirq) : '.')
                    + usageChar(usedInSoftirq, enabledSoftirq) + (read ? usageChar(usedInSoftirq, enabledSoftirq) : '.');
        }

        private static char usageChar(boolean usedIn, boolean enabled) {
            return enabled ? (usedIn ? '?' : '+') : usedIn ? '-' : '.';
        }
    }

    /** A {@code struct held_lock}. */
    private record Held(long lock, long acquireIp, LockClass cls) {
    }

    private static final class State {
        final Map<Long, LockClass> classes = new HashMap<>();
        final Map<Long, String> mutexNames = new HashMap<>();
        final Map<Tasks.Task, List<Held>> held = new IdentityHashMap<>();
        long lastMightResched = Long.MIN_VALUE;
    }

    private static State state(KernelContext k) {
        return k.state(Lockdep.class, State::new);
    }

    // ---------------------------------------------------------------- preemption and interrupts

    private static long preemptCountAddress(KernelContext k) {
        return k.machine().percpu("__preempt_count");
    }

    /** {@code preempt_count()}. */
    public static int preemptCount(KernelContext k) {
        return k.mem().read32(preemptCountAddress(k)) & ~PREEMPT_NEED_RESCHED;
    }

    /** {@code preempt_count_add(n)} (negative to subtract). */
    public static void preemptCountAdd(KernelContext k, int n) {
        long at = preemptCountAddress(k);
        k.mem().write32(at, k.mem().read32(at) + n);
    }

    /** {@code preempt_count_set(n)}. */
    public static void preemptCountSet(KernelContext k, int n) {
        long at = preemptCountAddress(k);
        k.mem().write32(at, (k.mem().read32(at) & PREEMPT_NEED_RESCHED) | n);
    }

    /** {@code irqs_disabled()}: IF clear in the flags of the code calling now (or of the CPU). */
    public static boolean irqsDisabled(KernelContext k) {
        long flags = k.frame() != null ? k.frame().register(Reg.EFLAGS) : k.machine().cpu().get(Reg.EFLAGS);
        return (flags & 0x200) == 0;
    }

    private static boolean on(KernelContext k) {
        return k.checks().locks();
    }

    // ---------------------------------------------------------------- lockdep

    /** Remembers the name {@code __mutex_init()} gave a mutex (the class name lockdep would use). */
    static void nameMutex(KernelContext k, long lock, long name) {
        if (on(k) && name != 0) {
            state(k).mutexNames.put(lock, k.mem().readCString(name, 128));
        }
    }

    private static LockClass classOf(KernelContext k, long lock, Kind kind) {
        State s = state(k);
        return s.classes.computeIfAbsent(lock, a -> {
            String n = s.mutexNames.get(a);
            if (n == null) {
                n = k.machine().kallsyms().symbolize(a, false);
                var l = k.machine().kallsyms().lookup(a);
                if (l != null && l.offset() != 0) {
                    n = k.machine().kallsyms().symbolize(a, true);
                }
                n = n.replaceAll(" \\[.*]$", "");
            }
            return new LockClass(n, kind);
        });
    }

    private static long callerIp(KernelContext k) {
        return k.frame() == null ? 0 : k.frame().returnAddress();
    }

    /** {@code lock_acquire()}: the current task now holds {@code lock}. */
    static void acquire(KernelContext k, long lock, Kind kind, boolean read) {
        if (!on(k)) {
            return;
        }
        LockClass c = classOf(k, lock, kind);
        int pc = preemptCount(k);
        boolean hardirq = (pc & k.off("HARDIRQ_MASK")) != 0;
        boolean softirq = (pc & k.off("SOFTIRQ_MASK")) != 0;
        boolean irqsOn = !irqsDisabled(k);
        c.usedInHardirq |= hardirq;
        c.usedInSoftirq |= softirq;
        c.enabledHardirq |= irqsOn;
        c.enabledSoftirq |= irqsOn && (pc & k.off("SOFTIRQ_MASK")) == 0;
        c.read |= read;
        state(k).held.computeIfAbsent(k.tasks().current(), t -> new ArrayList<>())
                .add(new Held(lock, callerIp(k), c));
    }

    /** {@code lock_release()}: a lock the task does not hold is lockdep's bad unlock balance. */
    static void release(KernelContext k, long lock, Kind kind) {
        if (!on(k)) {
            return;
        }
        List<Held> held = state(k).held.get(k.tasks().current());
        if (held != null) {
            for (int i = held.size() - 1; i >= 0; i--) {
                if (held.get(i).lock() == lock) {
                    held.remove(i);
                    return;
                }
            }
        }
        unlockImbalance(k, lock, kind);
    }

    /** {@code debug_locks_off()}: lockdep reports once, and not once a taint made it unreliable. */
    private static boolean debugLocksOff(KernelContext k) {
        return k.taint().debugLocksOff();
    }

    /**
     * The head of a lockdep report: an empty line, a rule as long as {@code title}, the title,
     * {@code print_kernel_ident()} (release, version word, taints), a dashed rule. Returns the title.
     */
    private static String banner(KernelContext k, String title) {
        k.printk(4, "");
        k.printk(4, "=".repeat(title.length()));
        k.printk(4, title);
        k.printk(4, k.profile().release() + " " + k.profile().versionWord() + " " + k.taint().describe());
        k.printk(4, "-".repeat(title.length()));
        return title;
    }

    /** {@code print_unlock_imbalance_bug()}. */
    private static void unlockImbalance(KernelContext k, long lock, Kind kind) {
        if (!debugLocksOff(k)) {
            return;
        }
        Oops.Report r = Oops.Report.start(k);
        var t = k.tasks().current();
        long ip = callerIp(k);
        String title = banner(k, "WARNING: bad unlock balance detected!");
        k.printk(4, t.comm() + "/" + t.pid() + " is trying to release lock (" + classOf(k, lock, kind).name + ") at:");
        k.printk(4, String.format("[<%016x>] %s", ip, k.machine().kallsyms().symbolize(ip, true)));
        k.printk(4, "but there are no more locks to release!");
        k.printk(4, "\nother info that might help us debug this:");
        printHeldLocks(k, t);
        k.printk(4, "\nstack backtrace:");
        Oops.dumpStack(k, r, 4);
        r.finish(Finding.Type.LOCK, title, ip, null, lock, null, false);
    }

    /** {@code lockdep_print_held_locks()} of {@code t}. */
    private static void printHeldLocks(KernelContext k, Tasks.Task t) {
        List<Held> held = state(k).held.getOrDefault(t, List.of());
        if (held.isEmpty()) {
            k.printk(4, "no locks held by " + t.comm() + "/" + t.pid() + ".");
            return;
        }
        k.printk(4, held.size() + " lock" + (held.size() > 1 ? "s" : "") + " held by " + t.comm() + "/" + t.pid() + ":");
        for (int i = 0; i < held.size(); i++) {
            Held h = held.get(i);
            k.printk(4, String.format(" #%d: %016x (%s){%s}-{%d:%d}, at: %s", i, h.lock(), h.cls().name, h.cls().usage(),
                    h.cls().kind.waitType, h.cls().kind.waitType, k.machine().kallsyms().symbolize(h.acquireIp(), true)));
        }
    }

    /** {@code debug_show_held_locks()}: the held locks, in reports of other checks (lockdep only). */
    private static void showHeldLocks(KernelContext k, Tasks.Task t) {
        if (!on(k)) {
            return;
        }
        if (!k.taint().debugLocks()) {
            k.printk(4, "INFO: lockdep is turned off.");
            return;
        }
        printHeldLocks(k, t);
    }

    /**
     * {@code lockdep_sys_exit()}: the task is returning to user space; locks it still holds are
     * reported, then forgotten (the next system call starts with a clean slate).
     */
    public static void sysExit(KernelContext k, Tasks.Task t) {
        if (!on(k)) {
            return;
        }
        List<Held> held = state(k).held.get(t);
        if (held == null || held.isEmpty()) {
            state(k).held.remove(t);
            return;
        }
        if (debugLocksOff(k)) {
            Oops.Report r = Oops.Report.start(k);
            String title = banner(k, "WARNING: lock held when returning to user space!");
            k.printk(4, t.comm() + "/" + t.pid() + " is leaving the kernel with locks still held!");
            printHeldLocks(k, t);
            Held first = held.getFirst();
            r.finish(Finding.Type.LOCK, title, first.acquireIp(), null, first.lock(), null, false);
        }
        state(k).held.remove(t);
    }

    /**
     * The task died in the kernel (an oops, or killed by kmodemu while blocked forever): it never
     * returns to user space, so {@link #sysExit}'s check is not made; its held locks are forgotten.
     */
    public static void exited(KernelContext k, Tasks.Task t) {
        if (on(k)) {
            state(k).held.remove(t);
        }
    }

    // ---------------------------------------------------------------- sleeping in atomic context

    /**
     * {@code might_sleep()} at {@code file:line} of a sleeping kernel function
     * ({@code __might_resched()}, CONFIG_DEBUG_ATOMIC_SLEEP): reported when the caller is in atomic
     * context or has interrupts off, at most once a second.
     */
    public static void mightSleep(KernelContext k, String where) {
        if (!on(k)) {
            return;
        }
        int pc = preemptCount(k);
        boolean irqsOff = irqsDisabled(k);
        if (pc == 0 && !irqsOff) {
            return;
        }
        State s = state(k);
        long now = k.clock().jiffies();
        if (s.lastMightResched != Long.MIN_VALUE && now - s.lastMightResched < k.clock().hz()) {
            return;
        }
        s.lastMightResched = now;
        Oops.Report r = Oops.Report.start(k);
        var t = k.tasks().current();
        String title = "BUG: sleeping function called from invalid context at " + where;
        k.printk(3, title);
        k.printk(3, String.format("in_atomic(): %d, irqs_disabled(): %d, non_block: 0, pid: %d, name: %s",
                pc != 0 ? 1 : 0, irqsOff ? 1 : 0, t.pid(), t.comm()));
        k.printk(3, String.format("preempt_count: %x, expected: 0", pc));
        k.printk(3, "RCU nest depth: 0, expected: 0");
        showHeldLocks(k, t);
        Oops.dumpStack(k, r, 4);
        k.taint().add(Taint.WARN, false);
        r.finish(Finding.Type.ATOMIC_SLEEP, title, callerIp(k), where, null, null, false);
    }

    /**
     * {@code schedule_debug()}: the current task is about to block; in atomic context that is
     * {@code __schedule_bug()}'s {@code BUG: scheduling while atomic}, after which the kernel sets
     * the preemption count back to what {@code schedule()} itself holds (so the caller's count is
     * lost, as on the real kernel).
     */
    public static void schedule(KernelContext k) {
        int pc = preemptCount(k);
        if (pc == 0) {
            return;
        }
        Oops.Report r = Oops.Report.start(k);
        var t = k.tasks().current();
        // schedule() runs __schedule() with preemption disabled: one more than the caller's count
        String title = String.format("BUG: scheduling while atomic: %s/%d/0x%08x", t.comm(), t.pid(), pc + 1);
        k.printk(3, title);
        showHeldLocks(k, t);
        k.printk(4, "Modules linked in:" + Oops.modulesLinkedIn(k));
        String stub = k.frame() == null ? "" : k.frame().symbol();
        String[] callers = switch (stub) {
            case "msleep" -> new String[] {"__schedule_bug.cold", "__schedule", "schedule", "schedule_timeout#timer",
                "msleep"};
            case "schedule_timeout" -> new String[] {"__schedule_bug.cold", "__schedule", "schedule",
                "schedule_timeout#timer"};
            default -> new String[] {"__schedule_bug.cold", "__schedule", "schedule"};
        };
        Oops.dumpStack(k, r, 4, callers);
        k.taint().add(Taint.WARN, false);
        preemptCountSet(k, 0);
        r.finish(Finding.Type.ATOMIC_SLEEP, title, callerIp(k), null, null, null, false);
    }

    // ---------------------------------------------------------------- initcalls

    /** The preemption count and interrupt state before an initcall, for {@link #initcallReturned}. */
    public static int initcallStart(KernelContext k) {
        return preemptCount(k);
    }

    /**
     * {@code do_one_initcall()}'s check after {@code fn} returned: a preemption count other than
     * before, or interrupts left off, is a WARN, and both are put right.
     */
    public static void initcallReturned(KernelContext k, int countBefore, long fn) {
        StringBuilder msg = new StringBuilder();
        if (preemptCount(k) != countBefore) {
            msg.append("preemption imbalance ");
            preemptCountSet(k, countBefore);
        }
        long flags = k.machine().cpu().get(Reg.EFLAGS);
        if ((flags & 0x200) == 0) {
            msg.append("disabled interrupts ");
            k.machine().cpu().set(Reg.EFLAGS, flags | 0x200);
        }
        if (msg.isEmpty()) {
            return;
        }
        Oops.warnFrom(k, "init/main.c:1284", "do_one_initcall",
                "initcall " + k.machine().kallsyms().symbolize(fn, true) + " returned with " + msg,
                k.chain("do_one_initcall", "do_init_module", "__do_sys_finit_module"));
    }
}
