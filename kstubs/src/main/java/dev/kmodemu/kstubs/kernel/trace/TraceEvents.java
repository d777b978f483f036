package dev.kmodemu.kstubs.kernel.trace;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.emu.Reg;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.fs.Vfs;
import dev.kmodemu.kstubs.kernel.Oops;
import dev.kmodemu.kstubs.kernel.Tracepoint;
import dev.kmodemu.kstubs.mm.Gfp;
import dev.kmodemu.kstubs.module.Module;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * kernel/trace/trace_events.c (with the parts of trace.c behind it): the trace events modules
 * define with TRACE_EVENT(). At MODULE_STATE_COMING the module's {@code _ftrace_events} are
 * initialised ({@code class->raw_init}, which gives each its type id) and listed in tracefs
 * ({@code /sys/kernel/tracing/available_events}, {@code events/SYSTEM/NAME/} with {@code enable},
 * {@code id} and {@code format}); at GOING they are disabled and removed. Writing 1 to an
 * {@code enable} file calls {@code class->reg(call, TRACE_REG_REGISTER, file)}, which hooks the
 * class's probe to the tracepoint; the module's {@code trace_*()} calls then record entries into
 * the top-level buffer, which {@code /sys/kernel/tracing/trace} prints through the event's own
 * output function. Debian's kernel has its own ~2,000 events listed before these; they are not
 * modelled, so type ids start where a kernel without built-in events starts them
 * ({@code __TRACE_LAST_TYPE}).
 */
public final class TraceEvents {
    static final String TRACEFS = "/sys/kernel/tracing";
    /** {@code __TRACE_LAST_TYPE} of kernel/trace/trace.h: the first id register_trace_event() hands out. */
    private static final int TRACE_LAST_TYPE = 20;
    /** {@code TRACE_EVENT_TYPE_MAX}: ids are 16-bit. */
    private static final int TRACE_EVENT_TYPE_MAX = 0xffff;

    /** One registered event: the module's trace_event_call and the top-level trace_event_file. */
    static final class Event {
        final long call;
        final String system;
        final String name;
        final Module module;
        long file;

        Event(long call, String system, String name, Module module) {
            this.call = call;
            this.system = system;
            this.name = name;
            this.module = module;
        }
    }

    /** One entry of the ring buffer: the bytes the probe wrote and the context of the writer. */
    record Record(byte[] data, long ts, int pid, String comm) {
    }

    /** {@code ftrace_events}: newest first, as list_add() keeps it. */
    final List<Event> events = new ArrayList<>();
    /** {@code ftrace_event_list}: the ids in use. */
    private final Map<Integer, Long> types = new HashMap<>();
    private int nextEventType = TRACE_LAST_TYPE;
    /** The top-level buffer and how many entries were ever written to it. */
    final List<Record> buffer = new ArrayList<>();
    long written;
    /** Reserved and not yet committed entries: address to length. */
    private final Map<Long, Long> reserved = new HashMap<>();

    private TraceEvents() {
    }

    static TraceEvents of(KernelContext k) {
        return k.state(TraceEvents.class, TraceEvents::new);
    }

    /** {@code event_trace_init()}, {@code tracer_init_tracefs()}: the top-level tracefs files. */
    public static void boot(KernelContext k) {
        Vfs v = k.vfs();
        v.mkdirs(TRACEFS + "/events");
        v.register(TRACEFS + "/available_events", new Vfs.File() {
            @Override
            public byte[] read() {
                StringBuilder sb = new StringBuilder();
                for (Event e : of(k).events) {
                    sb.append(e.system).append(':').append(e.name).append('\n');
                }
                return sb.toString().getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public int mode() {
                return 0440;
            }
        });
        v.register(TRACEFS + "/trace", new Vfs.File() {
            @Override
            public byte[] read() {
                return TraceOutput.traceFile(k, of(k)).getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public boolean writable() {
                return true;
            }

            @Override
            public long write(byte[] data) {
                // tracing_open() with O_TRUNC resets the buffer; tracing_write_stub() takes anything
                of(k).buffer.clear();
                of(k).written = 0;
                return data.length;
            }

            @Override
            public int mode() {
                return 0640;
            }
        });
    }

    private static String name(KernelContext k, long call) {
        AddressSpace m = k.mem();
        long p = m.read64(call + k.off("trace_event_call_name"));
        if ((m.read32(call + k.off("trace_event_call_flags")) & k.off("TRACE_EVENT_FL_TRACEPOINT")) != 0) {
            p = m.read64(p + k.off("tracepoint_name"));
        }
        return p == 0 ? null : m.readCString(p, 256);
    }

    static long callClass(KernelContext k, long call) {
        return k.mem().read64(call + k.off("trace_event_call_class"));
    }

    /**
     * {@code trace_module_notify()}: {@code trace_module_add_events()} at COMING,
     * {@code trace_module_remove_events()} at GOING.
     */
    public static void moduleNotify(KernelContext k, Module mod, Module.State state) {
        TraceEvents te = of(k);
        if (state == Module.State.GOING) {
            for (Event e : new ArrayList<>(te.events)) {
                if (e.module == mod) {
                    te.remove(k, e);
                }
            }
            return;
        }
        List<Long> calls = new ArrayList<>();
        long at = mod.sectionAddress("_ftrace_events");
        long size = mod.sectionSize("_ftrace_events");
        for (long p = at; at != 0 && p + 8 <= at + size; p += 8) {
            calls.add(k.mem().read64(p));
        }
        if (calls.isEmpty()) {
            return;
        }
        if (Tracepoint.badTaint(mod)) {
            k.printk(3, mod.name() + ": module has bad taint, not creating trace events");
            return;
        }
        for (long call : calls) {
            te.register(k, call, mod);
        }
    }

    /** {@code __register_event()} with {@code event_init()}, then {@code __add_event_to_tracers()}. */
    private void register(KernelContext k, long call, Module mod) {
        AddressSpace m = k.mem();
        String name = name(k, call);
        if (name == null) {
            Oops.warn(k, "kernel/trace/trace_events.c:2698", "event_init", null);
            return;
        }
        long cls = callClass(k, call);
        long rawInit = m.read64(cls + k.off("trace_event_class_raw_init"));
        if (rawInit != 0) {
            int ret = (int) k.call(rawInit, call);
            if (ret < 0) {
                if (ret != -Errno.ENOSYS) {
                    k.printk(4, "Could not initialize trace events/" + name);
                }
                return;
            }
        }
        m.write64(call + k.off("trace_event_call_module"), mod.thisModule());
        String system = m.readCString(m.read64(cls + k.off("trace_event_class_system")), 256);
        Event e = new Event(call, system, name, mod);
        events.add(0, e);
        // trace_create_new_event() and event_create_dir() for the top-level trace_array
        long file = k.slab().kmalloc(k.off("trace_event_file_sizeof"), Gfp.KERNEL | Gfp.ZERO);
        m.write64(file + k.off("trace_event_file_event_call"), call);
        e.file = file;
        createDir(k, e);
    }

    /** {@code event_create_dir()}: the system directory and the event's files. */
    private void createDir(KernelContext k, Event e) {
        Vfs v = k.vfs();
        AddressSpace m = k.mem();
        String dir = TRACEFS + "/events/" + e.system + "/" + e.name;
        v.mkdirs(dir);
        int flags = m.read32(e.call + k.off("trace_event_call_flags"));
        if ((flags & k.off("TRACE_EVENT_FL_IGNORE_ENABLE")) == 0) {
            v.register(dir + "/enable", new Vfs.File() {
                @Override
                public byte[] read() {
                    long f = m.read32(e.file + k.off("trace_event_file_flags"));
                    boolean on = (f & k.off("EVENT_FILE_FL_ENABLED")) != 0
                            && (f & k.off("EVENT_FILE_FL_SOFT_DISABLED")) == 0;
                    return (on ? "1\n" : "0\n").getBytes(StandardCharsets.US_ASCII);
                }

                @Override
                public boolean writable() {
                    return true;
                }

                @Override
                public long write(byte[] data) {
                    return enableWrite(k, e, data);
                }

                @Override
                public int mode() {
                    return 0640;
                }
            });
        }
        long type = m.read32(e.call + k.off("trace_event_call_event_type")) & 0xffffffffL;
        long reg = m.read64(callClass(k, e.call) + k.off("trace_event_class_reg"));
        if (type != 0 && reg != 0) {
            v.register(dir + "/id", new Vfs.File() {
                @Override
                public byte[] read() {
                    return (type + "\n").getBytes(StandardCharsets.US_ASCII);
                }

                @Override
                public int mode() {
                    return 0440;
                }
            });
        }
        v.register(dir + "/format", new Vfs.File() {
            @Override
            public byte[] read() {
                return TraceOutput.format(k, e).getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public int mode() {
                return 0440;
            }
        });
    }

    /**
     * {@code event_enable_write()}: a decimal 0 or 1 ({@code kstrtoul_from_user}), anything else
     * EINVAL; then {@code ftrace_event_enable_disable()}.
     */
    private long enableWrite(KernelContext k, Event e, byte[] data) {
        String s = new String(data, StandardCharsets.US_ASCII);
        if (s.endsWith("\n")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.isEmpty() || !s.chars().allMatch(Character::isDigit)) {
            return -Errno.EINVAL;
        }
        if (s.length() > 20 || new java.math.BigInteger(s).bitLength() > 64) {
            return -Errno.ERANGE;
        }
        long val = Long.parseUnsignedLong(s);
        if (val != 0 && val != 1) {
            return -Errno.EINVAL;
        }
        int ret = enableDisable(k, e, val == 1);
        return ret != 0 ? ret : data.length;
    }

    /** {@code __ftrace_event_enable_disable()} without soft mode. */
    private int enableDisable(KernelContext k, Event e, boolean enable) {
        AddressSpace m = k.mem();
        long flagsAt = e.file + k.off("trace_event_file_flags");
        long flags = m.read64(flagsAt);
        int enabled = k.off("EVENT_FILE_FL_ENABLED");
        long reg = m.read64(callClass(k, e.call) + k.off("trace_event_class_reg"));
        if (enable && (flags & enabled) == 0) {
            m.write64(flagsAt, flags | enabled);
            int ret = (int) k.call(reg, e.call, k.off("TRACE_REG_REGISTER"), e.file);
            if (ret != 0) {
                m.write64(flagsAt, flags & ~enabled);
                k.printk(6, "event trace: Could not enable event " + e.name);
                return ret;
            }
        } else if (!enable && (flags & enabled) != 0) {
            m.write64(flagsAt, flags & ~enabled);
            k.call(reg, e.call, k.off("TRACE_REG_UNREGISTER"), e.file);
        }
        return 0;
    }

    /** {@code __trace_remove_event_call()}: disabled, its files gone, its id given back. */
    private void remove(KernelContext k, Event e) {
        enableDisable(k, e, false);
        events.remove(e);
        Vfs v = k.vfs();
        String sys = TRACEFS + "/events/" + e.system;
        v.remove(sys + "/" + e.name);
        if (events.stream().noneMatch(o -> o.system.equals(e.system))) {
            v.remove(sys);
        }
        k.slab().kfree(e.file);
        int type = k.mem().read32(e.call + k.off("trace_event_call_event_type"));
        types.remove(type);
        k.mem().write32(e.call + k.off("trace_event_call_event_type"), 0);
    }

    Event byType(KernelContext k, int type) {
        for (Event e : events) {
            if (k.mem().read32(e.call + k.off("trace_event_call_event_type")) == type) {
                return e;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- symbols

    /**
     * int trace_event_raw_init(struct trace_event_call *call): {@code register_trace_event()} gives
     * the event its type id (the next free one; past 65535 the lowest released one).
     */
    @KernelSymbol("trace_event_raw_init")
    static int rawInit(KernelContext k, long call) {
        TraceEvents te = of(k);
        AddressSpace m = k.mem();
        long event = call + k.off("trace_event_call_event_type");
        if (m.read64(call + k.off("trace_event_call_event_funcs")) == 0) {
            Oops.warn(k, "kernel/trace/trace_output.c:761", "register_trace_event", null);
            return -Errno.ENODEV;
        }
        int type = m.read32(event);
        if (type == 0) {
            if (te.nextEventType > TRACE_EVENT_TYPE_MAX) {
                type = TRACE_LAST_TYPE;
                while (te.types.containsKey(type)) {
                    type++;
                }
                if (type > TRACE_EVENT_TYPE_MAX) {
                    return -Errno.ENODEV;
                }
            } else {
                type = te.nextEventType++;
            }
            m.write32(event, type);
        } else if (type > TRACE_LAST_TYPE) {
            Oops.warn(k, "kernel/trace/trace_output.c:787", "register_trace_event", "Need to add type to trace.h");
            return -Errno.ENODEV;
        } else if (te.types.containsKey(type)) {
            return -Errno.ENODEV;
        }
        te.types.put(type, call);
        return 0;
    }

    /** int trace_event_reg(struct trace_event_call *call, enum trace_reg type, void *data) */
    @KernelSymbol("trace_event_reg")
    static int reg(KernelContext k, long call, int type, long data) {
        AddressSpace m = k.mem();
        if ((m.read32(call + k.off("trace_event_call_flags")) & k.off("TRACE_EVENT_FL_TRACEPOINT")) == 0) {
            Oops.warn(k, "kernel/trace/trace_events.c:664", "trace_event_reg", null);
        }
        long tp = m.read64(call + k.off("trace_event_call_name"));
        long probe = m.read64(callClass(k, call) + k.off("trace_event_class_probe"));
        if (type == k.off("TRACE_REG_REGISTER")) {
            return Tracepoint.register(k, tp, probe, data);
        }
        if (type == k.off("TRACE_REG_UNREGISTER")) {
            Tracepoint.unregister(k, tp, probe, data);
            return 0;
        }
        // perf and ftrace-function registration come only from perf_event_open(2), which is not here
        return 0;
    }

    /**
     * bool __trace_trigger_soft_disabled(struct trace_event_file *file): no triggers or pid filters
     * can be set here (no trigger or set_event_pid file), so only the soft-disable bit counts.
     */
    @KernelSymbol("__trace_trigger_soft_disabled")
    static boolean triggerSoftDisabled(KernelContext k, long file) {
        return (k.mem().read64(file + k.off("trace_event_file_flags")) & k.off("EVENT_FILE_FL_SOFT_DISABLED")) != 0;
    }

    /**
     * {@code tracing_gen_ctx_dec()}: the irq/softirq state and preempt count of the writer, less the
     * preempt_disable() the tracepoint itself did (CONFIG_PREEMPTION).
     */
    static int genCtx(KernelContext k) {
        int pc = k.mem().read32(k.machine().percpu("__preempt_count")) & 0x7fffffff;
        int flags = 0;
        if ((k.machine().cpu().get(Reg.EFLAGS) & 0x200) == 0) {
            flags |= k.off("TRACE_FLAG_IRQS_OFF");
        }
        if ((pc & k.off("HARDIRQ_MASK")) != 0) {
            flags |= k.off("TRACE_FLAG_HARDIRQ");
        }
        if ((pc & k.off("SOFTIRQ_OFFSET")) != 0) {
            flags |= k.off("TRACE_FLAG_SOFTIRQ");
        }
        if (((pc & k.off("SOFTIRQ_MASK")) >> (Integer.numberOfTrailingZeros(k.off("SOFTIRQ_OFFSET")) + 1)) != 0) {
            flags |= k.off("TRACE_FLAG_BH_OFF");
        }
        int ctx = flags << 16 | Math.min(pc & 0xff, 0xf);
        return ctx - 1;
    }

    /**
     * void *trace_event_buffer_reserve(struct trace_event_buffer *fbuffer, struct trace_event_file
     * *trace_file, unsigned long len): room for the entry, its common header filled in.
     */
    @KernelSymbol("trace_event_buffer_reserve")
    static long bufferReserve(KernelContext k, long fbuffer, long file, long len) {
        AddressSpace m = k.mem();
        TraceEvents te = of(k);
        long call = m.read64(file + k.off("trace_event_file_event_call"));
        int ctx = genCtx(k);
        m.write32(fbuffer + k.off("trace_event_buffer_trace_ctx"), ctx);
        m.write64(fbuffer + k.off("trace_event_buffer_trace_file"), file);
        long entry = k.slab().kmalloc(len, Gfp.ZERO);
        if (entry == 0) {
            return 0;
        }
        te.reserved.put(entry, len);
        m.write64(fbuffer + k.off("trace_event_buffer_event"), entry);
        m.write64(fbuffer + k.off("trace_event_buffer_entry"), entry);
        // tracing_generic_entry_update()
        m.write16(entry + k.off("trace_entry_type"), (short) m.read32(call + k.off("trace_event_call_event_type")));
        m.write8(entry + k.off("trace_entry_flags"), (byte) (ctx >> 16));
        m.write8(entry + k.off("trace_entry_preempt_count"), (byte) (ctx & 0xff));
        m.write32(entry + k.off("trace_entry_pid"), k.tasks().current().pid());
        return entry;
    }

    /** void trace_event_buffer_commit(struct trace_event_buffer *fbuffer): the entry goes into the buffer. */
    @KernelSymbol("trace_event_buffer_commit")
    static void bufferCommit(KernelContext k, long fbuffer) {
        AddressSpace m = k.mem();
        TraceEvents te = of(k);
        long entry = m.read64(fbuffer + k.off("trace_event_buffer_entry"));
        Long len = te.reserved.remove(entry);
        if (len == null) {
            return;
        }
        te.buffer.add(new Record(m.read(entry, (int) (long) len), k.clock().nanos(), k.tasks().current().pid(),
                k.tasks().current().comm()));
        te.written++;
        k.slab().kfree(entry);
    }
}
