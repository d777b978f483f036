package dev.kmodemu.kstubs;

import dev.kmodemu.firmware.CallFrame;
import dev.kmodemu.firmware.Kallsyms;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.lib.Vsprintf;
import dev.kmodemu.kstubs.mm.Slab;

import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code strace} for the kernel symbols module code calls: one line per call, its arguments decoded
 * and its return value ({@code kmalloc_trace(kmalloc-64, GFP_KERNEL, 40) = 0xffff888001000000}).
 * Symbols listed in {@link #DESCRIPTIONS} have typed arguments (strings quoted and cut at 32
 * bytes as strace does, gfp flags named as {@code %pGg} names them, caches by name, modes in
 * octal, error returns as {@code -12 ENOMEM}); the others show their Java binding's parameters
 * ({@code int} in decimal, {@code long} in hex). A call that calls back into guest code which
 * calls more symbols is printed as strace prints interrupted calls ({@code <unfinished ...>},
 * then {@code <... name resumed>}).
 */
final class CallTrace implements Machine.CallTracer {
    /**
     * Argument kinds of common symbols: {@code ptr}, {@code str}, {@code fmt} (a format string; its
     * arguments show as {@code ...}), {@code size}, {@code int}, {@code uint}, {@code hex},
     * {@code gfp}, {@code mode}, {@code cache}, {@code bool}, {@code char}; after "=" the return
     * kind ({@code ptr}, {@code int}, {@code size}, {@code bool}, {@code void}).
     */
    static final Map<String, String> DESCRIPTIONS = new HashMap<>();

    static {
        String[] d = {
            "kmalloc_trace: cache gfp size = ptr", "__kmalloc: size gfp = ptr", "kmalloc_large: size gfp = ptr",
            "kmalloc_node_trace: cache gfp int size = ptr", "__kmalloc_node: size gfp int = ptr",
            "kmem_cache_alloc: cache gfp = ptr", "kmem_cache_free: cache ptr = void", "kfree: ptr = void",
            "krealloc: ptr size gfp = ptr", "kmemdup: ptr size gfp = ptr",
            "kstrdup: str gfp = ptr", "kstrndup: str size gfp = ptr", "kstrdup_const: str gfp = ptr",
            "kasprintf: gfp fmt = ptr", "kvasprintf: gfp fmt ptr = ptr", "ksize: ptr = size",
            "vmalloc: size = ptr", "vzalloc: size = ptr", "vfree: ptr = void", "kvfree: ptr = void",
            "kvmalloc_node: size gfp int = ptr", "_printk: fmt = int", "vprintk: fmt ptr = int", "__warn_printk: fmt = void", "panic: fmt = void",
            "strcpy: ptr str = ptr", "strncpy: ptr str size = ptr", "strscpy: ptr str size = size",
            "strlcpy: ptr str size = size", "strcat: ptr str = ptr", "strlcat: ptr str size = size",
            "strlen: str = size", "strnlen: str size = size", "strcmp: str str = int", "strncmp: str str size = int",
            "strcasecmp: str str = int", "strchr: str char = ptr", "strrchr: str char = ptr", "strstr: str str = ptr",
            "memset: ptr char size = ptr", "memcpy: ptr ptr size = ptr", "memmove: ptr ptr size = ptr",
            "memcmp: ptr ptr size = int", "memchr: ptr char size = ptr",
            "sprintf: ptr fmt = int", "snprintf: ptr size fmt = int", "scnprintf: ptr size fmt = int",
            "vsnprintf: ptr size fmt ptr = int", "sscanf: str fmt = int",
            "kstrtoint: str uint ptr = int", "kstrtouint: str uint ptr = int", "kstrtoll: str uint ptr = int",
            "kstrtoull: str uint ptr = int", "kstrtobool: str ptr = int", "kstrtoint_from_user: ptr size uint ptr = int",
            "_copy_from_user: ptr ptr size = size", "_copy_to_user: ptr ptr size = size",
            "strncpy_from_user: ptr ptr size = size", "simple_read_from_buffer: ptr size ptr ptr size = size",
            "proc_create: str mode ptr ptr = ptr", "proc_create_data: str mode ptr ptr ptr = ptr",
            "proc_create_single_data: str mode ptr ptr ptr = ptr",
            "proc_create_seq_private: str mode ptr ptr uint ptr = ptr", "proc_mkdir: str ptr = ptr",
            "proc_mkdir_mode: str mode ptr = ptr", "proc_mkdir_data: str mode ptr ptr = ptr",
            "proc_symlink: str ptr str = ptr", "remove_proc_entry: str ptr = void", "proc_remove: ptr = void",
            "remove_proc_subtree: str ptr = int",
            "seq_printf: ptr fmt = void", "seq_puts: ptr str = void", "seq_putc: ptr char = void",
            "seq_write: ptr ptr size = int", "single_open: ptr ptr ptr = int", "seq_open: ptr ptr = int",
            "debugfs_create_dir: str ptr = ptr", "debugfs_create_file: str mode ptr ptr ptr = ptr",
            "debugfs_create_u32: str mode ptr ptr = void", "debugfs_create_x32: str mode ptr ptr = void",
            "debugfs_create_u64: str mode ptr ptr = void", "debugfs_create_bool: str mode ptr ptr = void",
            "debugfs_remove: ptr = void", "debugfs_lookup: str ptr = ptr",
            "kobject_create_and_add: str ptr = ptr", "kobject_put: ptr = void",
            "sysfs_create_group: ptr ptr = int", "sysfs_remove_group: ptr ptr = void",
            "sysfs_create_file_ns: ptr ptr ptr = int", "sysfs_emit: ptr fmt = int",
            "mutex_lock: ptr = void", "mutex_unlock: ptr = void", "mutex_trylock: ptr = int",
            "mutex_lock_interruptible: ptr = int", "__mutex_init: ptr str ptr = void",
            "_raw_spin_lock: ptr = void", "_raw_spin_unlock: ptr = void", "_raw_spin_lock_irqsave: ptr = hex",
            "_raw_spin_unlock_irqrestore: ptr hex = void",
            "dump_stack: = void", "try_module_get: ptr = bool", "module_put: ptr = void",
            "__stack_chk_fail: = void", "fortify_panic: str = void",
        };
        for (String l : d) {
            int c = l.indexOf(':');
            DESCRIPTIONS.put(l.substring(0, c), l.substring(c + 1).trim());
        }
    }

    /** strace's default string length: longer strings are cut and followed by "...". */
    static final int STRSIZE = 32;

    private final KernelContext k;
    private final Consumer<String> sink;
    private final Consumer<KernelCall> calls;
    private final String function;
    private final Map<String, Method> methods;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();

    /** A call that has not returned: its arguments, whether each sink sees it. */
    private static final class Pending {
        final String name;
        final List<String> args;
        final boolean shown;
        final boolean recorded;
        final String ret;
        final String caller;
        boolean flushed;

        Pending(String name, List<String> args, boolean shown, boolean recorded, String ret, String caller) {
            this.name = name;
            this.args = args;
            this.shown = shown;
            this.recorded = recorded;
            this.ret = ret;
            this.caller = caller;
        }

        String head() {
            return name + "(" + String.join(", ", args);
        }
    }

    /**
     * @param sink receives the strace-like lines, or null
     * @param calls receives every call module code makes as a {@link KernelCall}, or null
     * @param function only calls of this symbol, or made from this function's code, go to
     *        {@code sink}; null for every call module code makes
     */
    CallTrace(KernelContext k, Consumer<String> sink, Consumer<KernelCall> calls, String function) {
        this.k = k;
        this.sink = sink;
        this.calls = calls;
        this.function = function;
        this.methods = Binder.methods(StubClasses.ALL);
    }

    @Override
    public void enter(CallFrame f) {
        String name = f.symbol();
        boolean module = fromModule(f);
        boolean shown = sink != null && (function == null ? module : function.equals(name) || callerIs(f, function));
        boolean recorded = calls != null && module;
        String desc = DESCRIPTIONS.get(name);
        List<String> args = null;
        String ret = "hex";
        String caller = null;
        if (shown || recorded) {
            if (shown) {
                for (Pending p : pending) {
                    if (p.shown && !p.flushed) {
                        sink.accept(p.head() + " <unfinished ...>");
                        p.flushed = true;
                    }
                }
            }
            if (desc != null) {
                int eq = desc.indexOf('=');
                ret = desc.substring(eq + 1).trim();
                args = describedArgs(f, desc.substring(0, eq).trim());
            } else {
                Method m = methods.get(name);
                args = javaArgs(f, m);
                ret = m == null ? "long" : m.getReturnType() == void.class ? "void"
                        : m.getReturnType() == long.class ? "long" : m.getReturnType() == boolean.class ? "bool" : "int";
            }
            if (recorded) {
                caller = k.machine().kallsyms().symbolize(f.returnAddress(), true);
            }
        }
        pending.push(new Pending(name, args, shown, recorded, ret, caller));
    }

    @Override
    public void exit(CallFrame f, long ret) {
        Pending p = pending.pop();
        String v = p.shown || p.recorded ? (p.ret.equals("void") ? null : value(p.ret, ret)) : null;
        if (p.recorded) {
            calls.accept(new KernelCall(p.name, p.args, v, p.caller));
        }
        if (p.shown) {
            sink.accept((p.flushed ? "<... " + p.name + " resumed>" : p.head()) + ")" + (v == null ? "" : " = " + v));
        }
    }

    @Override
    public void abort(CallFrame f) {
        Pending p = pending.pop();
        if (p.recorded) {
            calls.accept(new KernelCall(p.name, p.args, "?", p.caller));
        }
        if (p.shown) {
            sink.accept((p.flushed ? "<... " + p.name + " resumed>" : p.head()) + ") = ?");
        }
    }

    /** Calls made by module code (not by the kernel's own paths into its Java functions). */
    private boolean fromModule(CallFrame f) {
        return k.modules().containing(f.returnAddress() - 1) != null;
    }

    private boolean callerIs(CallFrame f, String fn) {
        Kallsyms.Lookup l = k.machine().kallsyms().lookup(f.returnAddress() - 1);
        return l != null && l.name().equals(fn);
    }

    private List<String> describedArgs(CallFrame f, String kinds) {
        List<String> out = new java.util.ArrayList<>();
        String[] ks = kinds.isEmpty() ? new String[0] : kinds.split(" ");
        for (int i = 0; i < ks.length; i++) {
            out.add(value(ks[i], f.arg(i)));
            if (ks[i].equals("fmt")) {
                out.add("...");
                break;
            }
        }
        return out;
    }

    private static List<String> javaArgs(CallFrame f, Method m) {
        List<String> out = new java.util.ArrayList<>();
        if (m == null) {
            return out;
        }
        int arg = 0;
        for (Class<?> t : m.getParameterTypes()) {
            if (t == KernelContext.class) {
                continue;
            }
            if (t == VaList.class) {
                out.add("...");
                break;
            }
            long v = f.arg(arg++);
            out.add(t == int.class ? Integer.toString((int) v) : t == boolean.class ? Boolean.toString((v & 0xff) != 0)
                    : number(v));
        }
        return out;
    }

    /** One value of a kind, as the trace prints it. */
    private String value(String kind, long v) {
        return switch (kind) {
            case "str", "fmt" -> string(v);
            case "size" -> errno(v) != null ? errno(v) : Long.toUnsignedString(v);
            case "int" -> errno((int) v) != null ? errno((int) v) : Integer.toString((int) v);
            case "uint" -> Integer.toUnsignedString((int) v);
            case "gfp" -> {
                String g = Vsprintf.gfpFlags(v & 0xffffffffL);
                yield g.isEmpty() ? "0" : g;
            }
            case "mode" -> "0" + Long.toOctalString(v & 0xffff);
            case "cache" -> {
                Slab.Cache c = v == 0 ? null : k.slab().cache(v);
                yield c == null ? hex(v) : c.name();
            }
            case "bool" -> (v & 0xff) != 0 ? "true" : "false";
            case "char" -> charLiteral((int) (v & 0xff));
            case "ptr" -> v == 0 ? "NULL" : errno(v) != null ? errno(v) : hex(v);
            case "long" -> errno(v) != null ? errno(v) : number(v);
            default -> hex(v);
        };
    }

    /** A value of unknown meaning: decimal when small (a count, a size), else hex (an address). */
    private static String number(long v) {
        return Long.compareUnsigned(v, 1L << 32) < 0 ? Long.toString(v) : hex(v);
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    /** {@code -12 ENOMEM} for a value in the errno range, else null. */
    private static String errno(long v) {
        if (v < 0 && v >= -4095) {
            String n = Errno.name((int) -v);
            return v + (n == null ? "" : " " + n);
        }
        return null;
    }

    /** A guest C string quoted and escaped as strace prints it, cut at {@link #STRSIZE} bytes. */
    private String string(long p) {
        if (p == 0) {
            return "NULL";
        }
        byte[] b;
        try {
            b = k.mem().readCBytes(p, STRSIZE + 1);
        } catch (RuntimeException unreadable) {
            return hex(p);
        }
        StringBuilder sb = new StringBuilder("\"");
        int n = Math.min(b.length, STRSIZE);
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xff;
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c >= 0x20 && c < 0x7f) {
                        sb.append((char) c);
                    } else if (i + 1 < n && b[i + 1] >= '0' && b[i + 1] <= '7') {
                        sb.append(String.format("\\%03o", c));
                    } else {
                        sb.append(String.format("\\%o", c));
                    }
                }
            }
        }
        sb.append('"');
        if (b.length > STRSIZE) {
            sb.append("...");
        }
        return sb.toString();
    }

    private static String charLiteral(int c) {
        if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\') {
            return "'" + (char) c + "'";
        }
        return Integer.toString(c);
    }

    /** Calls whose trace descriptions name a symbol no stub binds: a test helper. */
    static List<String> unbound() {
        Map<String, Method> m = Binder.methods(StubClasses.ALL);
        return DESCRIPTIONS.keySet().stream().filter(n -> !m.containsKey(n)).sorted().toList();
    }
}
