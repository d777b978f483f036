package dev.kmodemu.kstubs.kernel;

import dev.kmodemu.emu.Access;
import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.emu.Reg;
import dev.kmodemu.firmware.GuestFault;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.module.Module;
import dev.kmodemu.kstubs.module.Modules;


/**
 * Fault reports in the kernel's format (arch/x86/mm/fault.c, arch/x86/kernel/dumpstack.c,
 * process_64.c): the BUG line, the #PF lines, "Oops:", the CPU/Hardware lines, RIP with
 * symbol, Code bytes, registers, "Modules linked in:", the end marker.
 */
public final class Oops {
    private Oops() {
    }

    private static final int PROLOGUE = 42;
    private static final int EPILOGUE = 21;
    /** DMI identification of the emulated machine, as "Hardware name:" prints it. */
    public static final String HARDWARE = "kmodemu x86-64 emulator, BIOS kmodemu 01/01/2024";

    /** {@code die_counter} of one kernel: the [#N] of its oops reports. */
    private static final class DieCounter {
        int value;
    }

    private static int nextDie(KernelContext k) {
        return ++k.state(DieCounter.class, DieCounter::new).value;
    }

    /** Oopses the current task for a guest fault: logs the report and taints D. */
    public static void report(KernelContext k, GuestFault f) {
        report(k, f, false);
    }

    /**
     * As {@link #report}; {@code inInterrupt} for a fault in an interrupt handler, after which the
     * kernel panics ({@code oops_end()}) instead of killing the task, so no "note:" line follows.
     */
    public static void report(KernelContext k, GuestFault f, boolean inInterrupt) {
        int level = 4;
        long errorCode = 0;
        switch (f.kind()) {
            case PAGE_FAULT -> {
                long addr = f.address();
                boolean write = f.access() == Access.WRITE;
                boolean fetch = f.access() == Access.FETCH;
                errorCode = (f.present() ? 1 : 0) | (write ? 2 : 0) | (fetch ? 16 : 0);
                if (Long.compareUnsigned(addr, AddressSpace.PAGE) < 0) {
                    k.printk(1, "BUG: kernel NULL pointer dereference, address: " + hex16(addr));
                } else {
                    k.printk(1, "BUG: unable to handle page fault for address: " + hex16(addr));
                }
                k.printk(1, "#PF: supervisor " + (fetch ? "instruction fetch" : write ? "write" : "read")
                        + " access in kernel mode");
                k.printk(1, String.format("#PF: error_code(0x%04x) - %s", errorCode,
                        f.present() ? "permissions violation" : "not-present page"));
                k.printk(6, "PGD 0 P4D 0 ");
            }
            case INVALID_OPCODE -> errorCode = 0;
            case GENERAL_PROTECTION -> { }
            case DIVIDE_ERROR -> errorCode = 0;
            case LOCKUP -> {
                softLockup(k, f);
                return;
            }
            default -> {
            }
        }
        String what = switch (f.kind()) {
            case INVALID_OPCODE -> "invalid opcode: ";
            case DIVIDE_ERROR -> "divide error: ";
            case BREAKPOINT -> "int3: ";
            case GENERAL_PROTECTION -> null;
            default -> "Oops: ";
        };
        int die = nextDie(k);
        if (what != null) {
            k.printk(level, String.format("%s%04x [#%d] PREEMPT SMP NOPTI", what, errorCode, die));
        } else {
            k.printk(level, "general protection fault: 0000 [#" + die + "] PREEMPT SMP NOPTI");
        }
        showRegs(k, f, true);
        k.printk(level, "Modules linked in:" + modulesLinkedIn(k));
        if (f.kind() == GuestFault.Kind.PAGE_FAULT) {
            k.printk(level, "CR2: " + hex16(f.address()));
        }
        k.printk(level, "---[ end trace 0000000000000000 ]---");
        showRegs(k, f, false);
        k.taint().add(Taint.DIE, false);
        if (!inInterrupt) {
            var t = k.tasks().current();
            k.printk(6, "note: " + t.comm() + "[" + t.pid() + "] exited with irqs disabled");
        }
    }

    /** {@code watchdog: BUG: soft lockup} for a call that exhausted its time budget. */
    private static void softLockup(KernelContext k, GuestFault f) {
        var t = k.tasks().current();
        k.printk(0, "watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [" + t.comm() + ":" + t.pid() + "]");
        k.printk(4, "Modules linked in:" + modulesLinkedIn(k));
        showRegs(k, f, true);
        k.taint().add(Taint.SOFTLOCKUP, false);
    }

    /** {@code print_modules()}: " name(flags) ..." most recent first. */
    public static String modulesLinkedIn(KernelContext k) {
        StringBuilder sb = new StringBuilder();
        for (Module m : k.modules().list()) {
            if (m.state() == Module.State.UNFORMED) {
                continue;
            }
            sb.append(' ').append(m.name()).append(Modules.flags(m));
        }
        String last = k.modules().lastUnloaded();
        if (!last.isEmpty()) {
            sb.append(" [last unloaded: ").append(last).append(']');
        }
        return sb.toString();
    }

    /** {@code dump_stack_print_info()}: the CPU and Hardware lines. */
    public static void cpuLine(KernelContext k, int level) {
        var t = k.tasks().current();
        String comm = t.comm().length() > 15 ? t.comm().substring(0, 15) : t.comm();
        k.printk(level, "CPU: 0 PID: " + t.pid() + " Comm: " + comm + " " + k.taint().describe() + " "
                + k.profile().release() + " #1");
        k.printk(level, "Hardware name: " + HARDWARE);
    }

    private static void showRegs(KernelContext k, GuestFault f, boolean withCpu) {
        int level = 4;
        if (withCpu) {
            cpuLine(k, level);
        }
        long rip = f.rip();
        k.printk(level, "RIP: 0010:" + k.machine().kallsyms().symbolize(rip, true));
        k.printk(level, code(k, rip));
        long[] r = f.registers();
        k.printk(level, String.format("RSP: 0018:%016x EFLAGS: %08x", r[7], f.eflags() & 0xffffffffL));
        k.printk(level, String.format("RAX: %016x RBX: %016x RCX: %016x", r[0], r[1], r[2]));
        k.printk(level, String.format("RDX: %016x RSI: %016x RDI: %016x", r[3], r[4], r[5]));
        k.printk(level, String.format("RBP: %016x R08: %016x R09: %016x", r[6], r[8], r[9]));
        k.printk(level, String.format("R10: %016x R11: %016x R12: %016x", r[10], r[11], r[12]));
        k.printk(level, String.format("R13: %016x R14: %016x R15: %016x", r[13], r[14], r[15]));
        long gs = k.machine().cpu().get(Reg.GS_BASE);
        k.printk(level, String.format("FS:  %016x(0000) GS:%016x(0000) knlGS:%016x", 0L, gs, 0L));
        k.printk(level, "CS:  0010 DS: 0000 ES: 0000 CR0: 0000000080050033");
        k.printk(level, String.format("CR2: %016x CR3: %016x CR4: %016x",
                f.kind() == GuestFault.Kind.PAGE_FAULT ? f.address() : 0L, 0x1000L, 0x3506f0L));
        if (withCpu) {
            k.printk(level, "Call Trace:");
            k.printk(level, " <TASK>");
            k.printk(level, " </TASK>");
        }
    }

    /** {@code show_opcodes()}. */
    static String code(KernelContext k, long rip) {
        long start = rip - PROLOGUE;
        byte[] b = new byte[PROLOGUE + 1 + EPILOGUE];
        for (int i = 0; i < b.length; i++) {
            if (!k.mem().accessible(start + i, Access.READ)) {
                return "Code: Unable to access opcode bytes at 0x" + Long.toHexString(start) + ".";
            }
        }
        byte[] got = k.mem().peek(start, b.length);
        StringBuilder sb = new StringBuilder("Code:");
        for (int i = 0; i < got.length; i++) {
            sb.append(i == PROLOGUE ? " <" : " ").append(String.format("%02x", got[i] & 0xff))
                    .append(i == PROLOGUE ? ">" : "");
        }
        return sb.toString();
    }

    /**
     * {@code WARN(1, fmt, ...)} in kernel code implemented in Java: the "cut here" line, the
     * message, the WARNING line naming the kernel source location and the function, the modules,
     * the CPU line and the end marker; taints W.
     *
     * @param where {@code file:line} in the kernel source (e.g. "fs/proc/generic.c:400")
     * @param function the kernel function that warns; its trampoline is the reported address
     */
    public static void warn(KernelContext k, String where, String function, String message) {
        k.printk(4, "------------[ cut here ]------------");
        if (message != null) {
            k.printk(4, message);
        }
        var t = k.tasks().current();
        long at = k.machine().symbol(function);
        String sym = at == -1 ? function : k.machine().kallsyms().symbolize(at, true);
        k.printk(4, "WARNING: CPU: 0 PID: " + t.pid() + " at " + where + " " + sym);
        k.printk(4, "Modules linked in:" + modulesLinkedIn(k));
        k.taint().add(Taint.WARN, false);
        cpuLine(k, 4);
        k.printk(4, "RIP: 0010:" + sym);
        k.printk(4, "Call Trace:");
        k.printk(4, " <TASK>");
        k.printk(4, " </TASK>");
        k.printk(4, "---[ end trace 0000000000000000 ]---");
    }

    /**
     * {@code BUG()} in a Java-implemented kernel function: logs the "kernel BUG at" line and
     * returns the fault to throw; its oops report follows where the fault is caught.
     *
     * @param where {@code file:line} in the kernel source
     */
    public static dev.kmodemu.firmware.GuestFault bug(KernelContext k, String where) {
        k.printk(4, "------------[ cut here ]------------");
        k.printk(0, "kernel BUG at " + where + "!");
        return k.machine().faultInStub(GuestFault.Kind.INVALID_OPCODE, "kernel BUG at " + where);
    }

    /**
     * A task blocked on a lock nobody can release: khungtaskd's report (kernel/hung_task.c), after
     * which kmodemu kills the task instead of leaving it blocked forever.
     */
    public static RuntimeException hungTask(KernelContext k, String function) {
        var t = k.tasks().current();
        k.printk(3, "INFO: task " + t.comm() + ":" + t.pid() + " blocked for more than 120 seconds.");
        k.printk(3, "      " + k.taint().describe() + " " + k.profile().release() + " #1");
        k.printk(3, "\"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\" disables this message.");
        k.printk(6, String.format("task:%-15s state:D stack:0     pid:%-5d ppid:1      flags:0x00004000",
                t.comm(), t.pid()));
        k.printk(4, "Call Trace:");
        k.printk(4, " <TASK>");
        long at = k.machine().symbol(function);
        if (at != -1) {
            k.printk(4, " " + k.machine().kallsyms().symbolize(at, true));
        }
        k.printk(4, " </TASK>");
        return new dev.kmodemu.kstubs.module.Modules.TaskKilled("hung in " + function);
    }

    /** A task spinning on a lock nobody can release: the soft lockup report, then the task dies. */
    public static RuntimeException lockup(KernelContext k, String function) {
        return k.machine().faultInStub(GuestFault.Kind.LOCKUP, "spinning in " + function);
    }

    /** {@code dump_stack()} with {@code KERN_DEFAULT}: CPU line and call trace header. */
    public static void dumpStack(KernelContext k) {
        cpuLine(k, 4);
        k.printk(4, "Call Trace:");
        k.printk(4, " <TASK>");
        k.printk(4, " </TASK>");
    }

    static String hex16(long v) {
        return String.format("%016x", v);
    }
}
