package dev.kmodemu.kstubs.printk;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.kernel.Oops;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The console list of kernel/printk/printk.c ({@code register_console()},
 * {@code unregister_console()}) and /proc/consoles (fs/proc/consoles.c). The machine is the
 * oracle's: the kernel was booted with {@code console=ttyS0}, so the serial console ttyS0 is the
 * enabled, preferred console and a new console is enabled only if it is the one the command line
 * names (it is then added behind it and logs "printk: console [NAME] enabled"). Consoles print
 * nothing anywhere: the kernel log is read with dmesg.
 */
public final class Console {
    private Console() {
    }

    /** The kernel's ttyS0 (drivers/tty/serial/8250) as /proc/consoles shows it, and its device 4:64. */
    private static final String BOOT_LINE = "ttyS0                -W- (EC p a)    4:64\n";
    /** The {@code console=} of the command line: name and index. */
    private static final String CMDLINE_NAME = "ttyS";
    private static final int CMDLINE_INDEX = 0;

    /** Per-kernel: the module consoles on {@code console_drivers} after ttyS0, in list order. */
    private static List<Long> list(KernelContext k) {
        return k.state(Console.class, () -> new ArrayList<Long>());
    }

    private static long f(KernelContext k, long con, String field) {
        return con + k.off("console_" + field);
    }

    private static String name(KernelContext k, long con) {
        return new String(k.mem().readCBytes(f(k, con, "name"), k.off("console_name_size")), StandardCharsets.UTF_8);
    }

    private static short flags(KernelContext k, long con) {
        return (short) k.mem().read16(f(k, con, "flags"));
    }

    private static int index(KernelContext k, long con) {
        return k.mem().read16(f(k, con, "index"));
    }

    /** {@code con_printk()}: "printk: [boot]console [NAMEINDEX] what". */
    private static void conPrintk(KernelContext k, long con, String what) {
        boolean boot = (flags(k, con) & k.off("CON_BOOT")) != 0;
        k.printk(6, "printk: " + (boot ? "boot" : "") + "console [" + name(k, con) + index(k, con) + "] " + what);
    }

    /** void register_console(struct console *newcon) */
    @KernelSymbol("register_console")
    static void register(KernelContext k, long newcon) {
        AddressSpace m = k.mem();
        for (long con : list(k)) {
            if (con == newcon) {
                Oops.warn(k, "kernel/printk/printk.c:3227", "register_console",
                        "console '" + name(k, con) + index(k, con) + "' already registered");
                return;
            }
        }
        if ((flags(k, newcon) & k.off("CON_BOOT")) != 0) {
            k.printk(6, "printk: Too late to register bootconsole " + name(k, newcon) + index(k, newcon));
            return;
        }
        // try_enable_preferred_console(): the command line names ttyS0 only
        int err = -Errno.ENOENT;
        if (name(k, newcon).equals(CMDLINE_NAME) && (index(k, newcon) < 0 || index(k, newcon) == CMDLINE_INDEX)) {
            if (index(k, newcon) < 0) {
                m.write16(f(k, newcon, "index"), CMDLINE_INDEX);
            }
            long setup = m.read64(f(k, newcon, "setup"));
            err = setup == 0 ? 0 : (int) k.call(setup, newcon, 0);
            if (err == 0) {
                m.write16(f(k, newcon, "flags"), flags(k, newcon) | k.off("CON_ENABLED"));
            }
        } else if ((flags(k, newcon) & k.off("CON_ENABLED")) != 0) {
            err = 0;
        }
        if (err != 0 || (flags(k, newcon) & k.off("CON_BRL")) != 0) {
            return;
        }
        list(k).add(newcon);
        conPrintk(k, newcon, "enabled");
    }

    /** int unregister_console(struct console *console) */
    @KernelSymbol("unregister_console")
    static int unregister(KernelContext k, long console) {
        AddressSpace m = k.mem();
        conPrintk(k, console, "disabled");
        int res = list(k).remove(console) ? 0 : -Errno.ENODEV;
        m.write16(f(k, console, "flags"), flags(k, console) & ~k.off("CON_ENABLED"));
        if (res != 0) {
            return res;
        }
        long exit = m.read64(f(k, console, "exit"));
        return exit == 0 ? 0 : (int) k.call(exit, console);
    }

    /** {@code show_console_dev()} for a module's console. */
    private static String line(KernelContext k, long con) {
        AddressSpace m = k.mem();
        int[] bits = {k.off("CON_ENABLED"), k.off("CON_CONSDEV"), k.off("CON_BOOT"), k.off("CON_PRINTBUFFER"),
            k.off("CON_BRL"), k.off("CON_ANYTIME")};
        char[] names = {'E', 'C', 'B', 'p', 'b', 'a'};
        StringBuilder fl = new StringBuilder();
        for (int i = 0; i < bits.length; i++) {
            fl.append((flags(k, con) & bits[i]) != 0 ? names[i] : ' ');
        }
        String head = String.format("%-20s", name(k, con) + index(k, con)) + " ";
        String s = head + (m.read64(f(k, con, "read")) != 0 ? 'R' : '-') + (m.read64(f(k, con, "write")) != 0 ? 'W' : '-')
                + (m.read64(f(k, con, "unblank")) != 0 ? 'U' : '-') + " (" + fl + ")";
        long device = m.read64(f(k, con, "device"));
        if (device != 0) {
            long idx = k.slab().kmalloc(4, 0xcc0 | 0x100);
            long driver = k.call(device, con, idx);
            if (driver != 0) {
                int minor = m.read32(driver + k.off("tty_driver_minor_start")) + m.read32(idx);
                s += String.format(" %4d:%d", m.read32(driver + k.off("tty_driver_major")), minor);
            }
            k.slab().kfree(idx);
        }
        return s + "\n";
    }

    /** /proc/consoles. */
    public static void boot(KernelContext k) {
        k.vfs().register("/proc/consoles", () -> {
            StringBuilder sb = new StringBuilder(BOOT_LINE);
            for (long con : list(k)) {
                sb.append(line(k, con));
            }
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        });
    }
}
