package dev.kmodemu.kstubs.drivers.tty;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.kernel.Panic;
import dev.kmodemu.kstubs.kernel.Reboot;

/**
 * drivers/tty/sysrq.c: {@code handle_sysrq()}, which logs the operation's action line
 * ("sysrq: Show State") or, for a key without one, the help line, as {@code __handle_sysrq()}
 * does; the keys are those of Debian's kernel (its static table, plus 'o' from
 * kernel/power/poweroff.c). The loglevel keys, 'b' (an emergency restart) and 'c' (a crash:
 * {@code panic("sysrq triggered crash")}) act as on the kernel; the reports of the others (task
 * states, memory, backtraces, timers...) are not produced.
 */
public final class Sysrq {
    private Sysrq() {
    }

    /** key, help_msg, action_msg, in the order of {@code sysrq_key_table}. */
    private static final String[][] OPS = {
        {"0123456789", "loglevel(0-9)", "Changing Loglevel"},
        {"b", "reboot(b)", "Resetting"},
        {"c", "crash(c)", "Trigger a crash"},
        {"e", "terminate-all-tasks(e)", "Terminate All Tasks"},
        {"f", "memory-full-oom-kill(f)", "Manual OOM execution"},
        {"i", "kill-all-tasks(i)", "Kill All Tasks"},
        {"j", "thaw-filesystems(j)", "Emergency Thaw of all frozen filesystems"},
        {"k", "sak(k)", "SAK"},
        {"l", "show-backtrace-all-active-cpus(l)", "Show backtrace of all active CPUs"},
        {"m", "show-memory-usage(m)", "Show Memory"},
        {"n", "nice-all-RT-tasks(n)", "Nice All RT Tasks"},
        {"o", "poweroff(o)", "Power Off"},
        {"p", "show-registers(p)", "Show Regs"},
        {"q", "show-all-timers(q)", "Show clockevent devices & pending hrtimers (no others)"},
        {"r", "unraw(r)", "Keyboard mode set to system default"},
        {"s", "sync(s)", "Emergency Sync"},
        {"t", "show-task-states(t)", "Show State"},
        {"u", "unmount(u)", "Emergency Remount R/O"},
        {"w", "show-blocked-tasks(w)", "Show Blocked State"},
        {"z", "dump-ftrace-buffer(z)", "Dump ftrace buffer"},
    };

    /** void handle_sysrq(int key) */
    @KernelSymbol("handle_sysrq")
    static void handleSysrq(KernelContext k, int key) {
        for (String[] op : OPS) {
            if (key > 0 && key < 128 && op[0].indexOf(key) >= 0) {
                k.printk(6, "sysrq: " + op[2]);
                if (op[0].length() > 1) {
                    k.printk(6, "sysrq: Loglevel set to " + (key - '0'));
                } else if (key == 'b') {
                    Reboot.emergencyRestart(k);
                } else if (key == 'c') {
                    throw Panic.panic(k, "sysrq triggered crash");
                }
                return;
            }
        }
        StringBuilder sb = new StringBuilder("sysrq: HELP : ");
        for (String[] op : OPS) {
            sb.append(op[1]).append(' ');
        }
        k.printk(6, sb.toString());
    }
}
