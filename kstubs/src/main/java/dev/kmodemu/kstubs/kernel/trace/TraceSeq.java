package dev.kmodemu.kstubs.kernel.trace;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.VaList;
import dev.kmodemu.kstubs.printk.Printk;

import java.nio.charset.StandardCharsets;

/**
 * kernel/trace/trace_seq.c: the page-sized {@code struct trace_seq} buffers the output functions
 * of trace events print into, in guest memory ({@code buffer[PAGE_SIZE]} and its
 * {@code seq_buf}). A write that does not fit sets {@code full} and leaves the buffer as it was.
 */
public final class TraceSeq {
    private TraceSeq() {
    }

    /** {@code __trace_seq_init()}: sets up the seq_buf of a zeroed trace_seq. */
    static void initIfNeeded(KernelContext k, long s) {
        AddressSpace m = k.mem();
        long seq = s + k.off("trace_seq_seq");
        if (m.read64(seq + k.off("seq_buf_size")) == 0) {
            init(k, s);
        }
    }

    /** {@code trace_seq_init()}: empty, not full. */
    static void init(KernelContext k, long s) {
        AddressSpace m = k.mem();
        long seq = s + k.off("trace_seq_seq");
        m.write64(seq + k.off("seq_buf_buffer"), s + k.off("trace_seq_buffer"));
        m.write64(seq + k.off("seq_buf_size"), k.off("PAGE_SIZE"));
        m.write64(seq + k.off("seq_buf_len"), 0);
        m.write32(s + k.off("trace_seq_full"), 0);
    }

    static long len(KernelContext k, long s) {
        return k.mem().read64(s + k.off("trace_seq_seq") + k.off("seq_buf_len"));
    }

    /** {@code trace_seq_buffer_ptr()}: where the next byte goes. */
    static long bufferPtr(KernelContext k, long s) {
        long seq = s + k.off("trace_seq_seq");
        long size = k.mem().read64(seq + k.off("seq_buf_size"));
        return s + k.off("trace_seq_buffer") + Math.min(len(k, s), size);
    }

    /** The text printed so far. */
    static String text(KernelContext k, long s) {
        return new String(k.mem().read(s + k.off("trace_seq_buffer"), (int) Math.min(len(k, s), k.off("PAGE_SIZE"))),
                StandardCharsets.UTF_8);
    }

    static boolean full(KernelContext k, long s) {
        return k.mem().read32(s + k.off("trace_seq_full")) != 0;
    }

    /**
     * {@code trace_seq_putmem()}; with {@code printf} set, {@code trace_seq_printf()}'s rule (the
     * text must fit with its terminating NUL, as vsnprintf into the space left needs).
     */
    static void put(KernelContext k, long s, byte[] b, boolean printf) {
        AddressSpace m = k.mem();
        if (full(k, s)) {
            return;
        }
        initIfNeeded(k, s);
        long seq = s + k.off("trace_seq_seq");
        long size = m.read64(seq + k.off("seq_buf_size"));
        long len = m.read64(seq + k.off("seq_buf_len"));
        long left = len >= size ? 0 : size - len;
        if (printf ? b.length >= left : b.length > left) {
            m.write32(s + k.off("trace_seq_full"), 1);
            return;
        }
        m.write(s + k.off("trace_seq_buffer") + len, b);
        m.write64(seq + k.off("seq_buf_len"), len + b.length);
    }

    /** void trace_seq_printf(struct trace_seq *s, const char *fmt, ...) */
    @KernelSymbol("trace_seq_printf")
    static void printf(KernelContext k, long s, long fmt, VaList args) {
        put(k, s, Printk.format(k, fmt, args), true);
    }

    /** void trace_seq_vprintf(struct trace_seq *s, const char *fmt, va_list args) */
    @KernelSymbol("trace_seq_vprintf")
    static void vprintf(KernelContext k, long s, long fmt, long va) {
        put(k, s, Printk.format(k, fmt, new dev.kmodemu.kstubs.GuestVaList(k.mem(), va)), true);
    }

    /** void trace_seq_puts(struct trace_seq *s, const char *str) */
    @KernelSymbol("trace_seq_puts")
    static void puts(KernelContext k, long s, long str) {
        put(k, s, k.mem().readCString(str, 1 << 20).getBytes(StandardCharsets.UTF_8), false);
    }

    /** void trace_seq_putc(struct trace_seq *s, unsigned char c) */
    @KernelSymbol("trace_seq_putc")
    static void putc(KernelContext k, long s, int c) {
        put(k, s, new byte[] {(byte) c}, false);
    }

    /** void trace_seq_putmem(struct trace_seq *s, const void *mem, unsigned int len) */
    @KernelSymbol("trace_seq_putmem")
    static void putmem(KernelContext k, long s, long mem, int len) {
        put(k, s, k.mem().read(mem, len), false);
    }
}
