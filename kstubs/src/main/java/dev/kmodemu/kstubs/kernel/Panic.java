package dev.kmodemu.kstubs.kernel;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.emu.Stop;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.VaList;
import dev.kmodemu.kstubs.module.Module;
import dev.kmodemu.kstubs.printk.Printk;

/**
 * kernel/panic.c and lib/bug.c: {@code panic()}, the stack protector's
 * {@code __stack_chk_fail()}, {@code __warn_printk()}, and the {@code ud2} trap of WARN and BUG
 * decoded through the module's {@code __bug_table}.
 */
public final class Panic {
    private Panic() {
    }

    /** {@code struct bug_entry} with relative pointers and BUGVERBOSE: disp, file disp, line, flags. */
    public static final int BUG_ENTRY_SIZE = 12;
    static final int BUGFLAG_WARNING = 1;
    static final int BUGFLAG_ONCE = 1 << 1;
    static final int BUGFLAG_DONE = 1 << 2;
    static final int BUGFLAG_NO_CUT_HERE = 1 << 3;

    /**
     * Stops the kernel as {@code panic()} does: the log gets the panic lines (no stack dump after
     * an oops: the kernel avoids nested dumps once it is tainted D), then nothing runs.
     */
    public static KernelPanic panic(KernelContext k, String msg) {
        k.printk(0, "Kernel panic - not syncing: " + msg);
        if (!k.taint().test(Taint.DIE)) {
            Oops.dumpStack(k);
        }
        k.printk(0, "---[ end Kernel panic - not syncing: " + msg + " ]---");
        return new KernelPanic(msg);
    }

    /** void panic(const char *fmt, ...) */
    @KernelSymbol("panic")
    static void panicSym(KernelContext k, long fmt, VaList args) {
        byte[] text = Printk.format(k, fmt, args);
        String msg = new String(text, java.nio.charset.StandardCharsets.UTF_8);
        if (msg.endsWith("\n")) {
            msg = msg.substring(0, msg.length() - 1);
        }
        throw panic(k, msg);
    }

    /** void __stack_chk_fail(void) */
    @KernelSymbol("__stack_chk_fail")
    static void stackChkFail(KernelContext k) {
        long caller = k.frame().returnAddress();
        throw panic(k, "stack-protector: Kernel stack is corrupted in: "
                + k.machine().kallsyms().symbolize(caller - 1, true));
    }

    /** void __warn_printk(const char *fmt, ...): the message part of WARN(cond, fmt, ...) */
    @KernelSymbol("__warn_printk")
    static void warnPrintk(KernelContext k, long fmt, VaList args) {
        k.printk(4, "------------[ cut here ]------------");
        k.printkFormatted(Printk.format(k, fmt, args));
    }

    /** void add_taint(unsigned flag, enum lockdep_ok lockdep_ok) */
    @KernelSymbol("add_taint")
    static void addTaint(KernelContext k, int flag, int lockdepOk) {
        k.taint().add(flag, lockdepOk != 0);
    }

    /**
     * The machine's trap handler: a {@code ud2} listed in a module's {@code __bug_table} is a
     * WARN (report, taint, resume after it) or a BUG (oops). Returns the RIP to resume at, or -1.
     */
    public static long trap(KernelContext k, Stop stop) {
        if (stop.kind() != Stop.Kind.INVALID_OPCODE) {
            return -1;
        }
        long rip = stop.rip();
        Module mod = k.modules().containing(rip);
        if (mod == null || mod.bugTable() == 0) {
            return -1;
        }
        AddressSpace mem = k.mem();
        for (int i = 0; i < mod.numBugs(); i++) {
            long e = mod.bugTable() + (long) i * BUG_ENTRY_SIZE;
            long addr = e + mem.read32(e);
            if (addr != rip) {
                continue;
            }
            long fileAt = e + 4 + mem.read32(e + 4);
            int line = mem.read16(e + 8) & 0xffff;
            int flags = mem.read16(e + 10) & 0xffff;
            String file = mem.readCString(fileAt, 256);
            if ((flags & BUGFLAG_WARNING) == 0) {
                k.printk(4, "------------[ cut here ]------------");
                k.printk(0, "kernel BUG at " + file + ":" + line + "!");
                return -1;
            }
            if ((flags & BUGFLAG_ONCE) != 0) {
                if ((flags & BUGFLAG_DONE) != 0) {
                    return rip + 2;
                }
                mem.poke(e + 10, new byte[] {(byte) (flags | BUGFLAG_DONE), (byte) ((flags | BUGFLAG_DONE) >> 8)});
            }
            if ((flags & BUGFLAG_NO_CUT_HERE) == 0) {
                k.printk(4, "------------[ cut here ]------------");
            }
            var t = k.tasks().current();
            k.printk(4, "WARNING: CPU: 0 PID: " + t.pid() + " at " + file + ":" + line + " "
                    + k.machine().kallsyms().symbolize(rip, true));
            k.printk(4, "Modules linked in:" + Oops.modulesLinkedIn(k));
            k.taint().add(Taint.WARN, false);
            Oops.cpuLine(k, 4);
            k.printk(4, "RIP: 0010:" + k.machine().kallsyms().symbolize(rip, true));
            k.printk(4, Oops.code(k, rip));
            k.printk(4, "---[ end trace 0000000000000000 ]---");
            return rip + 2;
        }
        return -1;
    }
}
