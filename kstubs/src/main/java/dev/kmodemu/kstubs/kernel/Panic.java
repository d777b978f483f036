package dev.kmodemu.kstubs.kernel;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.emu.Stop;
import dev.kmodemu.kstubs.Finding;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.VaList;
import dev.kmodemu.kstubs.module.Module;
import dev.kmodemu.kstubs.printk.Printk;

import java.util.List;

/**
 * kernel/panic.c, lib/bug.c and lib/dump_stack.c: {@code panic()}, the stack protector's
 * {@code __stack_chk_fail()}, {@code __warn_printk()}, {@code dump_stack()}, and the {@code ud2}
 * trap of WARN and BUG decoded through the module's {@code __bug_table} ({@code report_bug()}).
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

    /** A {@code __bug_table} entry: where the {@code ud2} is, its source location and flags. */
    record Bug(long entry, long addr, String file, int line, int flags) {
        boolean warning() {
            return (flags & BUGFLAG_WARNING) != 0;
        }

        boolean noCutHere() {
            return (flags & BUGFLAG_NO_CUT_HERE) != 0;
        }

        /** {@code BUG_GET_TAINT()}: the taint a WARN adds. */
        int taint() {
            return flags >> 8;
        }
    }

    /** {@code find_bug()}: the entry of the module containing {@code rip} for the {@code ud2} at rip, or null. */
    static Bug findBug(KernelContext k, long rip) {
        Module mod = k.modules().containing(rip);
        if (mod == null || mod.bugTable() == 0) {
            return null;
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
            return new Bug(e, addr, mem.readCString(fileAt, 256), line, flags);
        }
        return null;
    }

    /**
     * The machine's trap handler ({@code handle_bug()}): a {@code ud2} that is a WARN in a module's
     * {@code __bug_table} is reported (once only for WARN_ONCE) and execution resumes after it.
     * Returns the RIP to resume at, or -1 (a BUG, or no entry: the oops follows).
     */
    public static long trap(KernelContext k, Stop stop) {
        if (stop.kind() != Stop.Kind.INVALID_OPCODE) {
            return -1;
        }
        long rip = stop.rip();
        Bug bug = findBug(k, rip);
        if (bug == null || !bug.warning()) {
            return -1;
        }
        if ((bug.flags() & BUGFLAG_ONCE) != 0) {
            if ((bug.flags() & BUGFLAG_DONE) != 0) {
                return rip + 2;
            }
            int f = bug.flags() | BUGFLAG_DONE;
            k.mem().poke(bug.entry() + 10, new byte[] {(byte) f, (byte) (f >> 8)});
        }
        Oops.warnAt(k, bug, rip);
        return rip + 2;
    }

    /**
     * Stops the kernel as {@code panic()} does (CONFIG_PANIC_TIMEOUT=0): the panic line, the stack
     * (unless an oops is being reported), the x86 notifier's kernel offset, the end marker; then
     * nothing runs. {@code callers} are the kernel functions between the caller and panic.
     */
    public static KernelPanic panic(KernelContext k, String msg, String... callers) {
        long seq = k.log().nextSeq();
        String title = "Kernel panic - not syncing: " + msg;
        k.printk(0, title);
        List<Finding.Frame> frames = List.of();
        if (!k.taint().test(Taint.DIE)) {
            String[] chain = new String[callers.length + 1];
            chain[0] = "panic";
            System.arraycopy(callers, 0, chain, 1, callers.length);
            frames = Oops.dumpStack(k, 4, chain);
        }
        // dump_kernel_offset(): kmodemu's kernel is not relocated
        k.printk(0, "Kernel Offset: disabled");
        k.printk(0, "---[ end Kernel panic - not syncing: " + msg + " ]---");
        Oops.panicFinding(k, seq, title, frames);
        return new KernelPanic(msg);
    }

    /** void panic(const char *fmt, ...) */
    @KernelSymbol("panic")
    static void panicSym(KernelContext k, long fmt, VaList args) {
        byte[] text = Printk.format(k, fmt, args);
        int len = Math.min(text.length, 1023);
        String msg = new String(text, 0, len, java.nio.charset.StandardCharsets.UTF_8);
        if (msg.endsWith("\n")) {
            msg = msg.substring(0, msg.length() - 1);
        }
        throw panic(k, msg);
    }

    /** void __stack_chk_fail(void): {@code panic("stack-protector: ... in: %pB", return address)} */
    @KernelSymbol("__stack_chk_fail")
    static void stackChkFail(KernelContext k) {
        long caller = k.frame().returnAddress();
        throw panic(k, "stack-protector: Kernel stack is corrupted in: " + k.machine().kallsyms().backtrace(caller),
                "__stack_chk_fail");
    }

    /** void __warn_printk(const char *fmt, ...): the message part of WARN(cond, fmt, ...) */
    @KernelSymbol("__warn_printk")
    static void warnPrintk(KernelContext k, long fmt, VaList args) {
        k.printk(4, Oops.CUT_HERE);
        k.printkFormatted(Printk.format(k, fmt, args));
    }

    /** void add_taint(unsigned flag, enum lockdep_ok lockdep_ok) */
    @KernelSymbol("add_taint")
    static void addTaint(KernelContext k, int flag, int lockdepOk) {
        k.taint().add(flag, lockdepOk != 0);
    }

    /** asmlinkage void dump_stack(void): {@code dump_stack_lvl(KERN_DEFAULT)}. */
    @KernelSymbol("dump_stack")
    static void dumpStack(KernelContext k) {
        Oops.dumpStack(k, 4);
    }

    /** asmlinkage void dump_stack_lvl(const char *log_lvl) */
    @KernelSymbol("dump_stack_lvl")
    static void dumpStackLvl(KernelContext k, long logLvl) {
        int level = 4;
        if (logLvl != 0) {
            byte[] b = k.mem().read(logLvl, 2);
            if (b[0] == 1 && b[1] >= '0' && b[1] <= '7') {
                level = b[1] - '0';
            }
        }
        Oops.dumpStack(k, level);
    }
}
