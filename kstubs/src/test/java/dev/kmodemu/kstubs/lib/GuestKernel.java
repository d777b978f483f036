package dev.kmodemu.kstubs.lib;

import dev.kmodemu.kstubs.Kernel;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.printk.KernelLog;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A booted kernel for stub tests: data in guest memory (kmalloc'd), and calls of kernel symbols
 * through the CPU, as module code makes them ({@code call} into the symbol's trampoline).
 */
public final class GuestKernel implements AutoCloseable {
    public final Kernel kernel;
    public final KernelContext c;

    public GuestKernel() {
        this(Kernel.Options.defaults());
    }

    public GuestKernel(Kernel.Options o) {
        kernel = Kernel.boot(o);
        c = kernel.context();
    }

    /** Calls the kernel function {@code name} with integer arguments; returns rax. */
    public long call(String name, long... args) {
        return c.call(c.sym(name), args);
    }

    /** {@link #call} of a function returning {@code int}: the low 32 bits of rax. */
    public int icall(String name, long... args) {
        return (int) call(name, args);
    }

    /** A kmalloc'd NUL-terminated copy of {@code s} (ISO 8859-1, so "\u00e0" is the byte 0xe0). */
    public long str(String s) {
        return bytes((s + "\0").getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A kmalloc'd copy of {@code b}. */
    public long bytes(byte[] b) {
        long p = c.slab().kmalloc(Math.max(b.length, 1), 0);
        c.mem().write(p, b);
        return p;
    }

    /** A kmalloc'd buffer of {@code n} bytes, each {@code fill}. */
    public long buf(int n, int fill) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) fill);
        return bytes(b);
    }

    /** A kmalloc'd array of 64-bit values (pointers, numbers). */
    public long longs(long... v) {
        long p = c.slab().kmalloc(Math.max(8L * v.length, 8), 0);
        for (int i = 0; i < v.length; i++) {
            c.mem().write64(p + 8L * i, v[i]);
        }
        return p;
    }

    /**
     * A guest {@code va_list} whose arguments all come from the overflow area (as after six
     * register arguments were consumed): {@code {gp_offset = 48, fp_offset = 304,
     * overflow_arg_area, reg_save_area = 0}}.
     */
    public long vaList(long... args) {
        long tag = c.slab().kmalloc(24, 0);
        c.mem().write32(tag, 48);
        c.mem().write32(tag + 4, 304);
        c.mem().write64(tag + 8, longs(args));
        c.mem().write64(tag + 16, 0);
        return tag;
    }

    /** The NUL-terminated string at {@code p} (ISO 8859-1). */
    public String string(long p) {
        return new String(c.mem().readCBytes(p, 1 << 20), StandardCharsets.ISO_8859_1);
    }

    /** {@code n} bytes at {@code p} as an ISO 8859-1 string (NULs included). */
    public String raw(long p, int n) {
        return new String(c.mem().read(p, n), StandardCharsets.ISO_8859_1);
    }

    /** The log records (message text, level) logged since {@code seq}. */
    public List<KernelLog.Record> logSince(long seq) {
        return c.log().since(seq);
    }

    public long logSeq() {
        return c.log().nextSeq();
    }

    @Override
    public void close() {
        kernel.close();
    }
}
