package dev.kmodemu.kstubs.kernel.trace;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.VaList;
import dev.kmodemu.kstubs.kernel.Oops;
import dev.kmodemu.kstubs.mm.Gfp;
import dev.kmodemu.kstubs.printk.Printk;

import java.nio.charset.StandardCharsets;

/**
 * kernel/trace/trace_output.c: what the output functions TRACE_EVENT() generates call
 * ({@code trace_raw_output_prep()}, {@code trace_event_printf()}, the {@code __print_flags()},
 * {@code __print_symbolic()}, {@code __print_hex()} and {@code __print_array()} helpers), the
 * {@code format} file of an event, and the lines of {@code /sys/kernel/tracing/trace}: the
 * context ({@code trace_print_context()}) then the event's own output function run on a
 * {@code struct trace_iterator} in guest memory.
 */
public final class TraceOutput {
    /** {@code TRACE_ITER_SYM_MASK} of the default trace options: print-parent only. */
    private static final int SYM_FLAGS = 1;

    private TraceOutput() {
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** int trace_raw_output_prep(struct trace_iterator *iter, struct trace_event *trace_event) */
    @KernelSymbol("trace_raw_output_prep")
    static int rawOutputPrep(KernelContext k, long iter, long traceEvent) {
        AddressSpace m = k.mem();
        long call = traceEvent - k.off("trace_event_call_event_type");
        long entry = m.read64(iter + k.off("trace_iterator_ent"));
        if ((m.read16(entry + k.off("trace_entry_type")) & 0xffff) != m.read32(traceEvent)) {
            Oops.warn(k, "kernel/trace/trace_output.c:305", "trace_raw_output_prep", null);
            return k.off("TRACE_TYPE_UNHANDLED");
        }
        TraceSeq.init(k, iter + k.off("trace_iterator_tmp_seq"));
        long s = iter + k.off("trace_iterator_seq");
        TraceSeq.put(k, s, ascii(callName(k, call) + ": "), true);
        return handleReturn(k, s);
    }

    private static String callName(KernelContext k, long call) {
        for (TraceEvents.Event e : TraceEvents.of(k).events) {
            if (e.call == call) {
                return e.name;
            }
        }
        return "";
    }

    /** enum print_line_t trace_handle_return(struct trace_seq *s) */
    @KernelSymbol("trace_handle_return")
    static int handleReturn(KernelContext k, long s) {
        return TraceSeq.full(k, s) ? k.off("TRACE_TYPE_PARTIAL_LINE") : k.off("TRACE_TYPE_HANDLED");
    }

    /**
     * void trace_event_printf(struct trace_iterator *iter, const char *fmt, ...): into iter->seq
     * (with the default hash-ptr option the format is used as it is).
     */
    @KernelSymbol("trace_event_printf")
    static void eventPrintf(KernelContext k, long iter, long fmt, VaList args) {
        TraceSeq.put(k, iter + k.off("trace_iterator_seq"), Printk.format(k, fmt, args), true);
    }

    /** int trace_output_call(struct trace_iterator *iter, char *name, char *fmt, ...) */
    @KernelSymbol("trace_output_call")
    static int outputCall(KernelContext k, long iter, long name, long fmt, VaList args) {
        long s = iter + k.off("trace_iterator_seq");
        TraceSeq.init(k, iter + k.off("trace_iterator_tmp_seq"));
        TraceSeq.put(k, s, ascii(k.mem().readCString(name, 256) + ": "), true);
        TraceSeq.put(k, s, Printk.format(k, fmt, args), true);
        TraceSeq.put(k, s, new byte[] {'\n'}, false);
        return handleReturn(k, s);
    }

    /**
     * const char *trace_print_symbols_seq(struct trace_seq *p, unsigned long val, const struct
     * trace_print_flags *symbol_array)
     */
    @KernelSymbol("trace_print_symbols_seq")
    static long printSymbolsSeq(KernelContext k, long p, long val, long array) {
        return symbols(k, p, val, array, "trace_print_flags");
    }

    private static long symbols(KernelContext k, long p, long val, long array, String type) {
        AddressSpace m = k.mem();
        long ret = TraceSeq.bufferPtr(k, p);
        long before = TraceSeq.len(k, p);
        int size = k.off(type + "_sizeof");
        for (long a = array; m.read64(a + k.off(type + "_name")) != 0; a += size) {
            if (val == m.read64(a + k.off(type + "_mask"))) {
                TraceSeq.put(k, p, ascii(m.readCString(m.read64(a + k.off(type + "_name")), 4096)), false);
                break;
            }
        }
        if (TraceSeq.len(k, p) == before) {
            TraceSeq.put(k, p, ascii("0x" + Long.toHexString(val)), true);
        }
        TraceSeq.put(k, p, new byte[1], false);
        return ret;
    }

    /**
     * const char *trace_print_flags_seq(struct trace_seq *p, const char *delim, unsigned long
     * flags, const struct trace_print_flags *flag_array)
     */
    @KernelSymbol("trace_print_flags_seq")
    static long printFlagsSeq(KernelContext k, long p, long delim, long flags, long array) {
        return flagsSeq(k, p, delim, flags, array, "trace_print_flags");
    }

    private static long flagsSeq(KernelContext k, long p, long delim, long flags, long array, String type) {
        AddressSpace m = k.mem();
        long ret = TraceSeq.bufferPtr(k, p);
        byte[] d = delim == 0 ? null : ascii(m.readCString(delim, 256));
        boolean first = true;
        int size = k.off(type + "_sizeof");
        for (long a = array; m.read64(a + k.off(type + "_name")) != 0 && flags != 0; a += size) {
            long mask = m.read64(a + k.off(type + "_mask"));
            if ((flags & mask) != mask) {
                continue;
            }
            flags &= ~mask;
            if (!first && d != null) {
                TraceSeq.put(k, p, d, false);
            } else {
                first = false;
            }
            TraceSeq.put(k, p, ascii(m.readCString(m.read64(a + k.off(type + "_name")), 4096)), false);
        }
        if (flags != 0) {
            if (!first && d != null) {
                TraceSeq.put(k, p, d, false);
            }
            TraceSeq.put(k, p, ascii("0x" + Long.toHexString(flags)), true);
        }
        TraceSeq.put(k, p, new byte[1], false);
        return ret;
    }

    /**
     * const char *trace_print_hex_seq(struct trace_seq *p, const unsigned char *buf, int buf_len,
     * bool concatenate)
     */
    @KernelSymbol("trace_print_hex_seq")
    static long printHexSeq(KernelContext k, long p, long buf, int len, boolean concatenate) {
        long ret = TraceSeq.bufferPtr(k, p);
        for (int i = 0; i < len; i++) {
            TraceSeq.put(k, p, ascii(String.format("%s%02x", concatenate || i == 0 ? "" : " ",
                    k.mem().read8(buf + i) & 0xff)), true);
        }
        TraceSeq.put(k, p, new byte[1], false);
        return ret;
    }

    /**
     * const char *trace_print_array_seq(struct trace_seq *p, const void *buf, int count, size_t
     * el_size)
     */
    @KernelSymbol("trace_print_array_seq")
    static long printArraySeq(KernelContext k, long p, long buf, int count, long elSize) {
        AddressSpace m = k.mem();
        long ret = TraceSeq.bufferPtr(k, p);
        String prefix = "";
        long end = buf + count * elSize;
        TraceSeq.put(k, p, new byte[] {'{'}, false);
        for (long ptr = buf; ptr < end; ) {
            String s = switch ((int) elSize) {
                case 1 -> prefix + "0x" + Integer.toHexString(m.read8(ptr) & 0xff);
                case 2 -> prefix + "0x" + Integer.toHexString(m.read16(ptr) & 0xffff);
                case 4 -> prefix + "0x" + Integer.toHexString(m.read32(ptr));
                case 8 -> prefix + "0x" + Long.toHexString(m.read64(ptr));
                default -> "BAD SIZE:" + elSize + " 0x" + Integer.toHexString(m.read8(ptr) & 0xff);
            };
            if (elSize != 1 && elSize != 2 && elSize != 4 && elSize != 8) {
                elSize = 1;
            }
            TraceSeq.put(k, p, ascii(s), true);
            prefix = ",";
            ptr += elSize;
        }
        TraceSeq.put(k, p, new byte[] {'}'}, false);
        TraceSeq.put(k, p, new byte[1], false);
        return ret;
    }

    // ---------------------------------------------------------------- tracefs files

    /** {@code f_show()}: the event's {@code format} file. */
    static String format(KernelContext k, TraceEvents.Event e) {
        AddressSpace m = k.mem();
        StringBuilder sb = new StringBuilder();
        sb.append("name: ").append(e.name).append('\n');
        sb.append("ID: ").append(m.read32(e.call + k.off("trace_event_call_event_type"))).append('\n');
        sb.append("format:\n");
        // trace_define_common_fields()
        field(sb, "unsigned short", "common_type", k.off("trace_entry_type"), 2, false, 0);
        field(sb, "unsigned char", "common_flags", k.off("trace_entry_flags"), 1, false, 0);
        field(sb, "unsigned char", "common_preempt_count", k.off("trace_entry_preempt_count"), 1, false, 0);
        field(sb, "int", "common_pid", k.off("trace_entry_pid"), 4, true, 0);
        sb.append('\n');
        // event_define_fields()
        long f = m.read64(TraceEvents.callClass(k, e.call) + k.off("trace_event_class_fields_array"));
        int offset = k.off("trace_entry_sizeof");
        int size = k.off("trace_event_fields_sizeof");
        for (; f != 0 && m.read64(f + k.off("trace_event_fields_type")) != 0; f += size) {
            long type = m.read64(f + k.off("trace_event_fields_type"));
            if (type == -1L) {
                break; // TRACE_FUNCTION_TYPE: fields defined by code, which no module event uses
            }
            int align = m.read32(f + k.off("trace_event_fields_align"));
            int fsize = m.read32(f + k.off("trace_event_fields_size"));
            offset = align > 0 ? (offset + align - 1) / align * align : offset;
            field(sb, m.readCString(type, 256), m.readCString(m.read64(f + k.off("trace_event_fields_name")), 256),
                    offset, fsize, m.read32(f + k.off("trace_event_fields_is_signed")) != 0,
                    m.read32(f + k.off("trace_event_fields_len")));
            offset += fsize;
        }
        long fmt = m.read64(e.call + k.off("trace_event_call_print_fmt"));
        sb.append("\nprint fmt: ").append(fmt == 0 ? "(null)" : m.readCString(fmt, 65536)).append('\n');
        return sb.toString();
    }

    private static void field(StringBuilder sb, String type, String name, int offset, int size, boolean signed,
            int len) {
        int bracket = type.indexOf('[');
        if (type.startsWith("__data_loc")) {
            bracket = -1;
        }
        String decl = bracket < 0 ? type + " " + name
                : type.substring(0, bracket) + " " + name + (len != 0 ? "[" + len + "]" : "[]");
        sb.append("\tfield:").append(decl).append(";\toffset:").append(offset).append(";\tsize:").append(size)
                .append(";\tsigned:").append(signed ? 1 : 0).append(";\n");
    }

    /**
     * {@code s_show()} of the {@code trace} file with the nop tracer: {@code print_trace_header()}'s
     * comment block, then one line per entry: {@code trace_print_context()} and the event's
     * {@code funcs->trace()} run on a trace_iterator in guest memory.
     */
    static String traceFile(KernelContext k, TraceEvents te) {
        StringBuilder sb = new StringBuilder();
        sb.append("# tracer: nop\n#\n");
        sb.append("# entries-in-buffer/entries-written: ").append(te.buffer.size()).append('/').append(te.written)
                .append("   #P:").append(1).append("\n#\n");
        // print_func_help_header_irq() without the tgid option: the %.*s fields are 2 wide
        String sp = "  ";
        sb.append("#                            " + sp + "  _-----=> irqs-off/BH-disabled\n");
        sb.append("#                            " + sp + " / _----=> need-resched\n");
        sb.append("#                            " + sp + "| / _---=> hardirq/softirq\n");
        sb.append("#                            " + sp + "|| / _--=> preempt-depth\n");
        sb.append("#                            " + sp + "||| / _-=> migrate-disable\n");
        sb.append("#                            " + sp + "|||| /     delay\n");
        sb.append("#           TASK-PID  " + sp + " CPU#  |||||  TIMESTAMP  FUNCTION\n");
        sb.append("#              | |    " + sp + "   |   |||||     |         |\n");
        if (te.buffer.isEmpty()) {
            return sb.toString();
        }
        AddressSpace m = k.mem();
        long iter = k.slab().kmalloc(k.off("trace_iterator_sizeof"), Gfp.KERNEL | Gfp.ZERO);
        try {
            for (TraceEvents.Record r : te.buffer) {
                sb.append(context(k, r));
                long ent = k.slab().kmalloc(Math.max(r.data().length, 1), Gfp.KERNEL);
                m.write(ent, r.data());
                m.write64(iter + k.off("trace_iterator_ent"), ent);
                m.write64(iter + k.off("trace_iterator_ent_size"), r.data().length);
                m.write64(iter + k.off("trace_iterator_ts"), r.ts());
                long s = iter + k.off("trace_iterator_seq");
                TraceSeq.init(k, s);
                TraceSeq.init(k, iter + k.off("trace_iterator_tmp_seq"));
                int type = m.read16(ent + k.off("trace_entry_type")) & 0xffff;
                TraceEvents.Event e = te.byType(k, type);
                long fn = e == null ? 0 : m.read64(m.read64(e.call + k.off("trace_event_call_event_funcs"))
                        + k.off("trace_event_funcs_trace"));
                if (fn != 0) {
                    k.call(fn, iter, SYM_FLAGS, e.call + k.off("trace_event_call_event_type"));
                    sb.append(TraceSeq.text(k, s));
                } else {
                    sb.append("Unknown type ").append(type).append('\n');
                }
                k.slab().kfree(ent);
            }
        } finally {
            k.slab().kfree(iter);
        }
        return sb.toString();
    }

    /** {@code trace_print_context()} with {@code trace_print_lat_fmt()} and the time in seconds. */
    private static String context(KernelContext k, TraceEvents.Record r) {
        byte[] d = r.data();
        int flags = d[k.off("trace_entry_flags")] & 0xff;
        int pc = d[k.off("trace_entry_preempt_count")] & 0xff;
        boolean irqsOff = (flags & k.off("TRACE_FLAG_IRQS_OFF")) != 0;
        boolean bhOff = (flags & k.off("TRACE_FLAG_BH_OFF")) != 0;
        boolean hard = (flags & k.off("TRACE_FLAG_HARDIRQ")) != 0;
        boolean soft = (flags & k.off("TRACE_FLAG_SOFTIRQ")) != 0;
        char c1 = irqsOff && bhOff ? 'D' : irqsOff ? 'd' : bhOff ? 'b' : '.';
        char c3 = hard && soft ? 'H' : hard ? 'h' : soft ? 's' : '.';
        String depth = (pc & 0xf) != 0 ? Integer.toHexString(pc & 0xf) : ".";
        String migrate = (pc & 0xf0) != 0 ? Integer.toHexString(pc >> 4) : ".";
        long us = r.ts() / 1000;
        return String.format("%16s-%-7d [%03d] %c.%c%s%s %5d.%06d: ", r.comm(), r.pid(), 0, c1, c3, depth, migrate,
                us / 1_000_000, us % 1_000_000);
    }
}
