package dev.kmodemu.kstubs.lib;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.VaList;
import dev.kmodemu.kstubs.drivers.base.Core;
import dev.kmodemu.kstubs.printk.Printk;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * lib/dynamic_debug.c: the print side of {@code pr_debug()}/{@code dev_dbg()} sites. Whether a site
 * prints is decided in the module's own code, by the static branch of its {@code _ddebug}
 * descriptor: off by default, on where the module was compiled with {@code DEBUG} (or, on a real
 * system, enabled through dyndbg). kmodemu runs module code with its jump labels as compiled, so a
 * call arriving here is from an enabled site and prints at KERN_DEBUG, with the prefix the
 * descriptor's flags ask for ({@code [pid]}/{@code <intr>}, module, function, line).
 */
public final class DynamicDebug {
    private DynamicDebug() {
    }

    private static final int PREFIX_SIZE = 64;

    /** {@code dynamic_emit_prefix()}: "" unless the descriptor asks for tid, module, function or line. */
    static byte[] prefix(KernelContext k, long desc) {
        int bits = k.mem().read32(desc + k.off("_ddebug_bits"));
        int flags = bits >>> 24;
        int lineno = bits & 0x3ffff;
        StringBuilder sb = new StringBuilder();
        if ((flags & k.off("_DPRINTK_FLAGS_INCL_TID")) != 0) {
            sb.append(k.scheduler().inInterrupt() ? "<intr> " : "[" + k.tasks().current().pid() + "] ");
        }
        int afterTid = sb.length();
        if ((flags & k.off("_DPRINTK_FLAGS_INCL_MODNAME")) != 0) {
            sb.append(str(k, desc, "_ddebug_modname")).append(':');
        }
        if ((flags & k.off("_DPRINTK_FLAGS_INCL_FUNCNAME")) != 0) {
            sb.append(str(k, desc, "_ddebug_function")).append(':');
        }
        if ((flags & k.off("_DPRINTK_FLAGS_INCL_LINENO")) != 0) {
            sb.append(lineno).append(':');
        }
        if (sb.length() > afterTid) {
            sb.append(' ');
        }
        byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
        return b.length >= PREFIX_SIZE ? java.util.Arrays.copyOf(b, PREFIX_SIZE - 1) : b;
    }

    private static String str(KernelContext k, long desc, String field) {
        long p = k.mem().read64(desc + k.off(field));
        return p == 0 ? "(null)" : k.mem().readCString(p, 4096);
    }

    private static byte[] join(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** void __dynamic_pr_debug(struct _ddebug *descriptor, const char *fmt, ...) */
    @KernelSymbol("__dynamic_pr_debug")
    static void dynamicPrDebug(KernelContext k, long descriptor, long fmt, VaList args) {
        Printk.emit(k, 7, join(prefix(k, descriptor), Printk.format(k, fmt, args)));
    }

    /** void __dynamic_dev_dbg(struct _ddebug *descriptor, const struct device *dev, const char *fmt, ...) */
    @KernelSymbol("__dynamic_dev_dbg")
    static void dynamicDevDbg(KernelContext k, long descriptor, long dev, long fmt, VaList args) {
        byte[] msg = Printk.format(k, fmt, args);
        if (dev == 0) {
            Printk.emit(k, 7, join("(NULL device *): ".getBytes(StandardCharsets.US_ASCII), msg));
            return;
        }
        byte[] head = (Core.driverString(k, dev) + " " + Core.name(k, dev) + ": ").getBytes(StandardCharsets.UTF_8);
        Printk.emit(k, 7, join(prefix(k, descriptor), head, msg));
    }
}
