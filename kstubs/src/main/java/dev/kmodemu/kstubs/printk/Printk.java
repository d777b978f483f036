package dev.kmodemu.kstubs.printk;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.GuestVaList;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.VaList;
import dev.kmodemu.kstubs.lib.Vsprintf;

/** kernel/printk/printk.c: the printk entry points modules call. */
public final class Printk {
    private Printk() {
    }

    /** The {@link Vsprintf.Env} of a kernel: its memory, kallsyms and pointer hashing. */
    public static Vsprintf.Env env(KernelContext k) {
        return k.state(Vsprintf.Env.class, () -> new Vsprintf.Env() {
            @Override
            public AddressSpace memory() {
                return k.mem();
            }

            @Override
            public String symbolize(long address, boolean withOffset) {
                return k.machine().kallsyms().symbolize(address, withOffset);
            }

            @Override
            public long hashPointer(long pointer) {
                return PointerHash.hash(pointer);
            }

            @Override
            public VaList guestVaList(long vaListPointer) {
                return new GuestVaList(k.mem(), vaListPointer);
            }

            @Override
            public long fwnodeOp(String op, long fwnode) {
                if (fwnode == 0 || Long.compareUnsigned(fwnode, -4095L) >= 0) {
                    return 0;
                }
                long ops = k.mem().read64(fwnode + k.off("fwnode_handle_ops"));
                long fn = ops == 0 ? 0 : k.mem().read64(ops + k.off("fwnode_operations_" + op));
                return fn == 0 ? 0 : k.call(fn, fwnode);
            }
        });
    }

    /** vsnprintf() of a format string in guest memory. */
    public static byte[] format(KernelContext k, long fmt, VaList args) {
        return Vsprintf.format(env(k), k.mem().readCBytes(fmt, Integer.MAX_VALUE), args);
    }

    /**
     * vsnprintf() of a format written in Java (for kernel code implemented in Java that prints
     * with {@code %p}, {@code %pS}, {@code %*pbl}, ...): the arguments are the 64-bit slots.
     */
    public static byte[] format(KernelContext k, String fmt, long... args) {
        int[] at = {0};
        return Vsprintf.format(env(k), fmt.getBytes(java.nio.charset.StandardCharsets.UTF_8), () -> args[at[0]++]);
    }

    /**
     * {@code int oops_in_progress}: 0. The kernel raises it ({@code bust_spinlocks(1)}) only while
     * it prints an oops; kmodemu prints those from Java, where no module code runs meanwhile.
     */
    @KernelData(value = "oops_in_progress", size = 4, align = 4)
    static void oopsInProgress(KernelContext k, long at) {
        k.mem().write32(at, 0);
    }

    /** {@code DEFINE_RATELIMIT_STATE(printk_ratelimit_state, 5 * HZ, 10)}: 10 messages per 5 s. */
    @KernelData(value = "printk_ratelimit_state", sizeOf = "ratelimit_state_sizeof")
    static void printkRatelimitState(KernelContext k, long at) {
        k.mem().write32(at + k.off("ratelimit_state_interval"), 5 * k.off("HZ"));
        k.mem().write32(at + k.off("ratelimit_state_burst"), 10);
    }

    /**
     * int __printk_ratelimit(const char *func): {@code ___ratelimit(&printk_ratelimit_state, func)},
     * the state behind {@code printk_ratelimit()} and {@code net_ratelimit()}-style callers.
     */
    @KernelSymbol("__printk_ratelimit")
    static int printkRatelimit(KernelContext k, long func) {
        return dev.kmodemu.kstubs.lib.Ratelimit.ratelimit(k, k.sym("printk_ratelimit_state"), func);
    }

    /** int _printk(const char *fmt, ...) */
    @KernelSymbol("_printk")
    static int printk(KernelContext k, long fmt, VaList args) {
        return k.printkFormatted(format(k, fmt, args));
    }

    /** int vprintk(const char *fmt, va_list args) */
    @KernelSymbol("vprintk")
    static int vprintk(KernelContext k, long fmt, long args) {
        return k.printkFormatted(format(k, fmt, new GuestVaList(k.mem(), args)));
    }

    /** int vprintk_emit(int facility, int level, const struct dev_printk_info *dev_info, const char *fmt, va_list args) */
    @KernelSymbol("vprintk_emit")
    static int vprintkEmit(KernelContext k, int facility, int level, long devInfo, long fmt, long args) {
        return emit(k, level, format(k, fmt, new GuestVaList(k.mem(), args)));
    }

    /**
     * Stores formatted text at {@code level} ({@code vprintk_emit()} with a level); a level outside
     * 0..7 ({@code LOGLEVEL_DEFAULT}) leaves it to the text's own prefix or the default.
     */
    public static int emit(KernelContext k, int level, byte[] text) {
        if (level >= 0 && level <= 7) {
            byte[] t = new byte[text.length + 2];
            t[0] = 1;
            t[1] = (byte) ('0' + level);
            System.arraycopy(text, 0, t, 2, text.length);
            text = t;
        }
        return k.printkFormatted(text);
    }
}
