package dev.kmodemu.kstubs.kernel;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.lib.Kstrtox;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.HashSet;
import java.util.Set;

/**
 * kernel/params.c: {@code parse_args()} over a module's argument string in guest memory (mangled
 * in place with NULs, as the kernel does), every standard {@code param_ops_*} with its
 * {@code set}/{@code get}/{@code free}, arrays and strings. Parameter ops are called through their
 * guest function pointers, so a module's own {@code kernel_param_ops} run on the CPU.
 */
public final class Params {
    private Params() {
    }

    private static final int PAGE = 4096;
    private static final int KMALLOCED_PARAM_HEADER = 16;

    /** Strings {@code param_set_charp()} allocated ({@code kmalloced_params}), per kernel. */
    private static Set<Long> kmalloced(KernelContext k) {
        @SuppressWarnings("unchecked")
        Set<Long> s = k.state(Params.class, HashSet::new);
        return s;
    }

    // ---------------------------------------------------------------- parse_args

    private static boolean isspace(int c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == 0x0c;
    }

    /** {@code parameq()}: '-' and '_' are the same. */
    private static boolean parameq(byte[] a, String b) {
        byte[] bb = b.getBytes(StandardCharsets.UTF_8);
        if (a.length != bb.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            int x = a[i] == '-' ? '_' : a[i];
            int y = bb[i] == '-' ? '_' : bb[i];
            if (x != y) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code parse_args()} for a module being loaded, with {@code unknown_module_param_cb}.
     *
     * @param args guest address of the module's copy of its argument string (mangled in place)
     * @param kp   guest address of its {@code __param} array
     * @return 0 or the last error, negative
     */
    public static int parseArgs(KernelContext k, String doing, long args, long kp, int num, long mod) {
        AddressSpace mem = k.mem();
        long p = skipSpaces(mem, args);
        int err = 0;
        while (mem.read8(p) != 0) {
            // next_arg()
            long[] pv = new long[2];
            p = nextArg(mem, p, pv);
            long param = pv[0];
            long val = pv[1];
            byte[] name = mem.readCBytes(param, Integer.MAX_VALUE);
            if (val == 0 && new String(name, StandardCharsets.UTF_8).equals("--")) {
                if (err == 0) {
                    String rest = mem.readCString(p, Integer.MAX_VALUE);
                    if (!rest.isEmpty()) {
                        k.printk(4, doing + ": parameters '" + rest + "' after `--' ignored");
                    }
                }
                return err;
            }
            int ret = parseOne(k, name, param, val, doing, kp, num, mod);
            String shownVal = val == 0 ? "" : mem.readCString(val, Integer.MAX_VALUE);
            String shownParam = new String(name, StandardCharsets.UTF_8);
            switch (ret) {
                case 0:
                    continue;
                case -Errno.ENOENT:
                    k.printk(3, doing + ": Unknown parameter `" + shownParam + "'");
                    break;
                case -Errno.ENOSPC:
                    k.printk(3, doing + ": `" + shownVal + "' too large for parameter `" + shownParam + "'");
                    break;
                default:
                    k.printk(3, doing + ": `" + shownVal + "' invalid for parameter `" + shownParam + "'");
                    break;
            }
            err = ret;
        }
        return err;
    }

    private static long skipSpaces(AddressSpace mem, long p) {
        while (isspace(mem.read8(p) & 0xff)) {
            p++;
        }
        return p;
    }

    /** {@code next_arg()}: splits off one {@code param[=val]}, honouring double quotes. */
    private static long nextArg(AddressSpace mem, long args, long[] out) {
        int equals = 0;
        boolean inQuote = false;
        boolean quoted = false;
        if (mem.read8(args) == '"') {
            args++;
            inQuote = true;
            quoted = true;
        }
        int i;
        for (i = 0; mem.read8(args + i) != 0; i++) {
            int c = mem.read8(args + i) & 0xff;
            if (isspace(c) && !inQuote) {
                break;
            }
            if (equals == 0 && c == '=') {
                equals = i;
            }
            if (c == '"') {
                inQuote = !inQuote;
            }
        }
        out[0] = args;
        if (equals == 0) {
            out[1] = 0;
        } else {
            mem.write8(args + equals, 0);
            long val = args + equals + 1;
            if (mem.read8(val) == '"') {
                val++;
                if (mem.read8(args + i - 1) == '"') {
                    mem.write8(args + i - 1, 0);
                }
            }
            out[1] = val;
        }
        if (quoted && i > 0 && mem.read8(args + i - 1) == '"') {
            mem.write8(args + i - 1, 0);
        }
        if (mem.read8(args + i) != 0) {
            mem.write8(args + i, 0);
            args += i + 1;
        } else {
            args += i;
        }
        return skipSpaces(mem, args);
    }

    /** {@code parse_one()}. */
    private static int parseOne(KernelContext k, byte[] name, long param, long val, String doing, long kp, int num,
            long mod) {
        AddressSpace mem = k.mem();
        int size = k.off("kernel_param_sizeof");
        for (int i = 0; i < num; i++) {
            long p = kp + (long) i * size;
            String pname = mem.readCString(mem.read64(p + k.off("kernel_param_name")), 1024);
            if (!parameq(name, pname)) {
                continue;
            }
            int level = mem.read8(p + k.off("kernel_param_level"));
            if (level < -32768 || level > 32767) {
                return 0;
            }
            long ops = mem.read64(p + k.off("kernel_param_ops"));
            int opsFlags = mem.read32(ops + k.off("kernel_param_ops_flags"));
            if (val == 0 && (opsFlags & k.off("KPARAM_ISBOOL")) == 0) {
                return -Errno.EINVAL;
            }
            int flags = mem.read8(p + k.off("kernel_param_flags")) & 0xff;
            if ((flags & k.off("KERNEL_PARAM_FL_UNSAFE")) != 0) {
                k.printk(5, "Setting dangerous option " + pname + " - tainting kernel");
                k.taint().add(Taint.USER, false);
            }
            long set = mem.read64(ops + k.off("kernel_param_ops_set"));
            return (int) k.call(set, val, p);
        }
        // unknown_module_param_cb()
        String n = new String(name, StandardCharsets.UTF_8);
        if (n.equals("async_probe")) {
            return 0;
        }
        if (n.equals("dyndbg") || n.endsWith(".dyndbg")) {
            return 0;
        }
        k.printk(4, doing + ": unknown parameter '" + n + "' ignored");
        return 0;
    }

    /**
     * A declared parameter: its name, its type as {@code MODULE_PARM_TYPE} names it ({@code int},
     * {@code charp}, {@code string}, {@code array of int}, ...; {@code custom} for a module's own
     * {@code kernel_param_ops}), the longest string a {@code string} takes (0 otherwise) and the
     * most elements an array takes (0 otherwise).
     */
    public record Declared(String name, String type, int maxlen, int maxElements) {
    }

    /** The parameters of a {@code __param} table at {@code kp} with {@code num} entries. */
    public static List<Declared> declared(KernelContext k, long kp, int num) {
        AddressSpace mem = k.mem();
        List<Declared> out = new java.util.ArrayList<>();
        int size = k.off("kernel_param_sizeof");
        for (int i = 0; i < num; i++) {
            long p = kp + (long) i * size;
            String name = mem.readCString(mem.read64(p + k.off("kernel_param_name")), 1024);
            long ops = mem.read64(p + k.off("kernel_param_ops"));
            long arg = mem.read64(p + k.off("kernel_param_arg"));
            String type = opsType(k, ops);
            int maxlen = 0;
            int maxElements = 0;
            if (type.equals("string")) {
                maxlen = mem.read32(arg + k.off("kparam_string_maxlen"));
            } else if (type.equals("array")) {
                maxElements = mem.read32(arg + k.off("kparam_array_max"));
                type = "array of " + opsType(k, mem.read64(arg + k.off("kparam_array_ops")));
            }
            out.add(new Declared(name, type, maxlen, maxElements));
        }
        return out;
    }

    /** {@code param_ops_int} → {@code int}; {@code param_array_ops} → {@code array}; others: {@code custom}. */
    private static String opsType(KernelContext k, long ops) {
        var l = k.machine().kallsyms().lookup(ops);
        if (l == null || l.offset() != 0 || l.module() != null) {
            return "custom";
        }
        return switch (l.name()) {
            case "param_array_ops" -> "array";
            case "param_ops_string" -> "string";
            default -> l.name().startsWith("param_ops_") ? l.name().substring("param_ops_".length()) : "custom";
        };
    }

    /** {@code module_destroy_params()}: calls every parameter's {@code ops->free}. */
    public static void destroy(KernelContext k, long kp, int num) {
        AddressSpace mem = k.mem();
        int size = k.off("kernel_param_sizeof");
        for (int i = 0; i < num; i++) {
            long p = kp + (long) i * size;
            long ops = mem.read64(p + k.off("kernel_param_ops"));
            long free = mem.read64(ops + k.off("kernel_param_ops_free"));
            if (free != 0) {
                k.call(free, mem.read64(p + k.off("kernel_param_arg")));
            }
        }
    }

    // ---------------------------------------------------------------- standard ops

    private static long arg(KernelContext k, long kp) {
        return k.mem().read64(kp + k.off("kernel_param_arg"));
    }

    private static byte[] str(KernelContext k, long s) {
        return k.mem().readCBytes(s, Integer.MAX_VALUE);
    }

    /** {@code scnprintf(buffer, PAGE_SIZE, ...)} of a Java string into a guest buffer. */
    private static int put(KernelContext k, long buffer, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(b.length, PAGE - 1);
        k.mem().write(buffer, b, 0, n);
        k.mem().write8(buffer + n, 0);
        return n;
    }

    private static int setInt(KernelContext k, long val, long kp, boolean signed, int bits) {
        Kstrtox.Parsed p = signed ? Kstrtox.kstrtos(str(k, val), 0, bits) : Kstrtox.kstrtou(str(k, val), 0, bits);
        if (p.err() < 0) {
            return p.err();
        }
        long a = arg(k, kp);
        switch (bits) {
            case 8 -> k.mem().write8(a, (int) p.value());
            case 16 -> k.mem().write16(a, (int) p.value());
            case 32 -> k.mem().write32(a, (int) p.value());
            default -> k.mem().write64(a, p.value());
        }
        return 0;
    }

    /** int param_set_byte(const char *val, const struct kernel_param *kp) */
    @KernelSymbol("param_set_byte")
    static int setByte(KernelContext k, long val, long kp) {
        return setInt(k, val, kp, false, 8);
    }

    /** int param_get_byte(char *buffer, const struct kernel_param *kp) */
    @KernelSymbol("param_get_byte")
    static int getByte(KernelContext k, long buffer, long kp) {
        return put(k, buffer, (k.mem().read8(arg(k, kp)) & 0xff) + "\n");
    }

    /** int param_set_short(const char *val, const struct kernel_param *kp) */
    @KernelSymbol("param_set_short")
    static int setShort(KernelContext k, long val, long kp) {
        return setInt(k, val, kp, true, 16);
    }

    /** int param_get_short(char *buffer, const struct kernel_param *kp) */
    @KernelSymbol("param_get_short")
    static int getShort(KernelContext k, long buffer, long kp) {
        return put(k, buffer, k.mem().read16(arg(k, kp)) + "\n");
    }

    /** int param_set_ushort(const char *val, const struct kernel_param *kp) */
    @KernelSymbol("param_set_ushort")
    static int setUshort(KernelContext k, long val, long kp) {
        return setInt(k, val, kp, false, 16);
    }

    /** int param_get_ushort(char *buffer, const struct kernel_param *kp) */
    @KernelSymbol("param_get_ushort")
    static int getUshort(KernelContext k, long buffer, long kp) {
        return put(k, buffer, (k.mem().read16(arg(k, kp)) & 0xffff) + "\n");
    }

    /** int param_set_int(const char *val, const struct kernel_param *kp) */
    @KernelSymbol("param_set_int")
    static int setIntSym(KernelContext k, long val, long kp) {
        return setInt(k, val, kp, true, 32);
    }

    /** int param_get_int(char *buffer, const struct kernel_param *kp) */
    @KernelSymbol("param_get_int")
    static int getInt(KernelContext k, long buffer, long kp) {
        return put(k, buffer, k.mem().read32(arg(k, kp)) + "\n");
    }

    /** int param_set_uint(const char *val, const struct kernel_param *kp) */
    @KernelSymbol("param_set_uint")
    static int setUint(KernelContext k, long val, long kp) {
        return setInt(k, val, kp, false, 32);
    }

    /** int param_get_uint(char *buffer, const struct kernel_param *kp) */
    @KernelSymbol("param_get_uint")
    static int getUint(KernelContext k, long buffer, long kp) {
        return put(k, buffer, Integer.toUnsignedString(k.mem().read32(arg(k, kp))) + "\n");
    }

    /** int param_set_long(const char *val, const struct kernel_param *kp) */
    @KernelSymbol("param_set_long")
    static int setLong(KernelContext k, long val, long kp) {
        return setInt(k, val, kp, true, 64);
    }

    /** int param_get_long(char *buffer, const struct kernel_param *kp) */
    @KernelSymbol("param_get_long")
    static int getLong(KernelContext k, long buffer, long kp) {
        return put(k, buffer, k.mem().read64(arg(k, kp)) + "\n");
    }

    /** int param_set_ulong(const char *val, const struct kernel_param *kp) */
    @KernelSymbol({"param_set_ulong", "param_set_ullong"})
    static int setUlong(KernelContext k, long val, long kp) {
        return setInt(k, val, kp, false, 64);
    }

    /** int param_get_ulong(char *buffer, const struct kernel_param *kp) */
    @KernelSymbol({"param_get_ulong", "param_get_ullong"})
    static int getUlong(KernelContext k, long buffer, long kp) {
        return put(k, buffer, Long.toUnsignedString(k.mem().read64(arg(k, kp))) + "\n");
    }

    /** int param_set_hexint(const char *val, const struct kernel_param *kp) */
    @KernelSymbol("param_set_hexint")
    static int setHexint(KernelContext k, long val, long kp) {
        return setInt(k, val, kp, false, 32);
    }

    /** int param_get_hexint(char *buffer, const struct kernel_param *kp): "%#08x\n" */
    @KernelSymbol("param_get_hexint")
    static int getHexint(KernelContext k, long buffer, long kp) {
        int v = k.mem().read32(arg(k, kp));
        String hex = Integer.toHexString(v);
        String s = "0x" + "0".repeat(Math.max(0, 6 - hex.length())) + hex;
        return put(k, buffer, s + "\n");
    }

    /** int param_set_charp(const char *val, const struct kernel_param *kp) */
    @KernelSymbol("param_set_charp")
    static int setCharp(KernelContext k, long val, long kp) {
        byte[] v = str(k, val);
        if (v.length > 1024) {
            k.printk(3, k.mem().readCString(k.mem().read64(kp + k.off("kernel_param_name")), 1024)
                    + ": string parameter too long");
            return -Errno.ENOSPC;
        }
        long a = arg(k, kp);
        maybeKfreeParameter(k, k.mem().read64(a));
        long p = k.slab().kmalloc(KMALLOCED_PARAM_HEADER + v.length + 1, 0xcc0);
        if (p == 0) {
            return -Errno.ENOMEM;
        }
        long s = p + KMALLOCED_PARAM_HEADER;
        kmalloced(k).add(s);
        k.mem().write(s, v);
        k.mem().write8(s + v.length, 0);
        k.mem().write64(a, s);
        return 0;
    }

    private static void maybeKfreeParameter(KernelContext k, long p) {
        if (p != 0 && kmalloced(k).remove(p)) {
            k.slab().kfree(p - KMALLOCED_PARAM_HEADER);
        }
    }

    /** int param_get_charp(char *buffer, const struct kernel_param *kp) */
    @KernelSymbol("param_get_charp")
    static int getCharp(KernelContext k, long buffer, long kp) {
        long s = k.mem().read64(arg(k, kp));
        return put(k, buffer, (s == 0 ? "(null)" : k.mem().readCString(s, PAGE)) + "\n");
    }

    /** void param_free_charp(void *arg) */
    @KernelSymbol("param_free_charp")
    static void freeCharp(KernelContext k, long arg) {
        maybeKfreeParameter(k, k.mem().read64(arg));
    }

    /** {@code param_set_bool()} into a Java boolean: 1, 0 or -EINVAL. */
    private static int parseBool(KernelContext k, long val) {
        if (val == 0) {
            return 1;
        }
        byte c0 = k.mem().read8(val);
        return Kstrtox.kstrtobool((c0 | 0x20) == 'o' ? new byte[] {c0, k.mem().read8(val + 1)} : new byte[] {c0});
    }

    /** int param_set_bool(const char *val, const struct kernel_param *kp) */
    @KernelSymbol("param_set_bool")
    static int setBool(KernelContext k, long val, long kp) {
        int v = parseBool(k, val);
        if (v < 0) {
            return v;
        }
        k.mem().write8(arg(k, kp), v);
        return 0;
    }

    /** int param_get_bool(char *buffer, const struct kernel_param *kp) */
    @KernelSymbol("param_get_bool")
    static int getBool(KernelContext k, long buffer, long kp) {
        return put(k, buffer, (k.mem().read8(arg(k, kp)) != 0 ? "Y" : "N") + "\n");
    }

    /** int param_set_bool_enable_only(const char *val, const struct kernel_param *kp) */
    @KernelSymbol("param_set_bool_enable_only")
    static int setBoolEnableOnly(KernelContext k, long val, long kp) {
        int v = parseBool(k, val);
        if (v < 0) {
            return v;
        }
        boolean orig = k.mem().read8(arg(k, kp)) != 0;
        if (v == 0 && orig) {
            return -Errno.EROFS;
        }
        if (v != 0) {
            k.mem().write8(arg(k, kp), 1);
        }
        return 0;
    }

    /** int param_set_invbool(const char *val, const struct kernel_param *kp) */
    @KernelSymbol("param_set_invbool")
    static int setInvbool(KernelContext k, long val, long kp) {
        int v = parseBool(k, val);
        if (v < 0) {
            return v;
        }
        k.mem().write8(arg(k, kp), v == 0 ? 1 : 0);
        return 0;
    }

    /** int param_get_invbool(char *buffer, const struct kernel_param *kp) */
    @KernelSymbol("param_get_invbool")
    static int getInvbool(KernelContext k, long buffer, long kp) {
        return put(k, buffer, (k.mem().read8(arg(k, kp)) != 0 ? "N" : "Y") + "\n");
    }

    /** int param_set_bint(const char *val, const struct kernel_param *kp) */
    @KernelSymbol("param_set_bint")
    static int setBint(KernelContext k, long val, long kp) {
        int v = parseBool(k, val);
        if (v < 0) {
            return v;
        }
        k.mem().write32(arg(k, kp), v);
        return 0;
    }

    /** int param_set_copystring(const char *val, const struct kernel_param *kp) */
    @KernelSymbol("param_set_copystring")
    static int setCopystring(KernelContext k, long val, long kp) {
        long kps = arg(k, kp);
        int maxlen = k.mem().read32(kps + k.off("kparam_string_maxlen"));
        byte[] v = str(k, val);
        if (Integer.toUnsignedLong(v.length + 1) > Integer.toUnsignedLong(maxlen)) {
            String name = k.mem().readCString(k.mem().read64(kp + k.off("kernel_param_name")), 1024);
            k.printk(3, name + ": string doesn't fit in " + Integer.toUnsignedString(maxlen - 1) + " chars.");
            return -Errno.ENOSPC;
        }
        long dst = k.mem().read64(kps + k.off("kparam_string_string"));
        k.mem().write(dst, v);
        k.mem().write8(dst + v.length, 0);
        return 0;
    }

    /** int param_get_string(char *buffer, const struct kernel_param *kp) */
    @KernelSymbol("param_get_string")
    static int getString(KernelContext k, long buffer, long kp) {
        long kps = arg(k, kp);
        long s = k.mem().read64(kps + k.off("kparam_string_string"));
        return put(k, buffer, k.mem().readCString(s, PAGE) + "\n");
    }

    /** static int param_array_set(const char *val, const struct kernel_param *kp) */
    @KernelSymbol(value = "param_array_set", internal = true)
    static int arraySet(KernelContext k, long val, long kp) {
        AddressSpace mem = k.mem();
        long arr = arg(k, kp);
        int max = mem.read32(arr + k.off("kparam_array_max"));
        int elemsize = mem.read32(arr + k.off("kparam_array_elemsize"));
        long numPtr = mem.read64(arr + k.off("kparam_array_num"));
        long ops = mem.read64(arr + k.off("kparam_array_ops"));
        long elem = mem.read64(arr + k.off("kparam_array_elem"));
        long set = mem.read64(ops + k.off("kernel_param_ops_set"));
        String name = mem.readCString(mem.read64(kp + k.off("kernel_param_name")), 1024);
        // A struct kernel_param for the elements, as param_array() keeps on its stack.
        long tmp = k.slab().kmalloc(k.off("kernel_param_sizeof"), 0x100 | 0xcc0);
        mem.copy(tmp, kp, k.off("kernel_param_sizeof"));
        try {
            int num = 0;
            int save;
            do {
                if (num == max) {
                    k.printk(3, name + ": can only take " + max + " arguments");
                    return -Errno.EINVAL;
                }
                int len = 0;
                while (mem.read8(val + len) != 0 && mem.read8(val + len) != ',') {
                    len++;
                }
                save = mem.read8(val + len);
                mem.write8(val + len, 0);
                mem.write64(tmp + k.off("kernel_param_arg"), elem + (long) num * elemsize);
                int ret = (int) k.call(set, val, tmp);
                if (ret != 0) {
                    return ret;
                }
                val += len + 1;
                num++;
                if (numPtr != 0) {
                    mem.write32(numPtr, num);
                }
            } while (save == ',');
            return 0;
        } finally {
            k.slab().kfree(tmp);
        }
    }

    /** static int param_array_get(char *buffer, const struct kernel_param *kp) */
    @KernelSymbol(value = "param_array_get", internal = true)
    static int arrayGet(KernelContext k, long buffer, long kp) {
        AddressSpace mem = k.mem();
        long arr = arg(k, kp);
        int max = mem.read32(arr + k.off("kparam_array_max"));
        int elemsize = mem.read32(arr + k.off("kparam_array_elemsize"));
        long numPtr = mem.read64(arr + k.off("kparam_array_num"));
        long ops = mem.read64(arr + k.off("kparam_array_ops"));
        long elem = mem.read64(arr + k.off("kparam_array_elem"));
        long get = mem.read64(ops + k.off("kernel_param_ops_get"));
        int n = numPtr != 0 ? mem.read32(numPtr) : max;
        long tmp = k.slab().kmalloc(k.off("kernel_param_sizeof"), 0x100 | 0xcc0);
        mem.copy(tmp, kp, k.off("kernel_param_sizeof"));
        try {
            int off = 0;
            for (int i = 0; i < n; i++) {
                if (i != 0) {
                    mem.write8(buffer + off - 1, ',');
                }
                mem.write64(tmp + k.off("kernel_param_arg"), elem + (long) elemsize * i);
                int ret = (int) k.call(get, buffer + off, tmp);
                if (ret < 0) {
                    return ret;
                }
                off += ret;
            }
            mem.write8(buffer + off, 0);
            return off;
        } finally {
            k.slab().kfree(tmp);
        }
    }

    /** static void param_array_free(void *arg) */
    @KernelSymbol(value = "param_array_free", internal = true)
    static void arrayFree(KernelContext k, long arr) {
        AddressSpace mem = k.mem();
        long ops = mem.read64(arr + k.off("kparam_array_ops"));
        long free = mem.read64(ops + k.off("kernel_param_ops_free"));
        if (free == 0) {
            return;
        }
        int max = mem.read32(arr + k.off("kparam_array_max"));
        int elemsize = mem.read32(arr + k.off("kparam_array_elemsize"));
        long numPtr = mem.read64(arr + k.off("kparam_array_num"));
        long elem = mem.read64(arr + k.off("kparam_array_elem"));
        int n = numPtr != 0 ? mem.read32(numPtr) : max;
        for (int i = 0; i < n; i++) {
            k.call(free, elem + (long) elemsize * i);
        }
    }

    // ---------------------------------------------------------------- the ops structures

    private static final String OPS = "kernel_param_ops_sizeof";

    /** Writes rodata before it is sealed: ops structures are filled in at boot. */
    private static void rodataOps(KernelContext k, long at, int flags, String set, String get, String free) {
        AddressSpace mem = k.mem();
        byte[] b = new byte[k.off(OPS)];
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        bb.putInt(k.off("kernel_param_ops_flags"), flags);
        bb.putLong(k.off("kernel_param_ops_set"), k.sym(set));
        bb.putLong(k.off("kernel_param_ops_get"), k.sym(get));
        bb.putLong(k.off("kernel_param_ops_free"), free == null ? 0 : k.sym(free));
        mem.poke(at, b);
    }

    @KernelData(value = "param_ops_byte", section = Machine.Section.RODATA, sizeOf = OPS)
    static void opsByte(KernelContext k, long at) {
        rodataOps(k, at, 0, "param_set_byte", "param_get_byte", null);
    }

    @KernelData(value = "param_ops_short", section = Machine.Section.RODATA, sizeOf = OPS)
    static void opsShort(KernelContext k, long at) {
        rodataOps(k, at, 0, "param_set_short", "param_get_short", null);
    }

    @KernelData(value = "param_ops_ushort", section = Machine.Section.RODATA, sizeOf = OPS)
    static void opsUshort(KernelContext k, long at) {
        rodataOps(k, at, 0, "param_set_ushort", "param_get_ushort", null);
    }

    @KernelData(value = "param_ops_int", section = Machine.Section.RODATA, sizeOf = OPS)
    static void opsInt(KernelContext k, long at) {
        rodataOps(k, at, 0, "param_set_int", "param_get_int", null);
    }

    @KernelData(value = "param_ops_uint", section = Machine.Section.RODATA, sizeOf = OPS)
    static void opsUint(KernelContext k, long at) {
        rodataOps(k, at, 0, "param_set_uint", "param_get_uint", null);
    }

    @KernelData(value = "param_ops_long", section = Machine.Section.RODATA, sizeOf = OPS)
    static void opsLong(KernelContext k, long at) {
        rodataOps(k, at, 0, "param_set_long", "param_get_long", null);
    }

    @KernelData(value = "param_ops_ulong", section = Machine.Section.RODATA, sizeOf = OPS)
    static void opsUlong(KernelContext k, long at) {
        rodataOps(k, at, 0, "param_set_ulong", "param_get_ulong", null);
    }

    @KernelData(value = "param_ops_ullong", section = Machine.Section.RODATA, sizeOf = OPS)
    static void opsUllong(KernelContext k, long at) {
        rodataOps(k, at, 0, "param_set_ullong", "param_get_ullong", null);
    }

    @KernelData(value = "param_ops_hexint", section = Machine.Section.RODATA, sizeOf = OPS)
    static void opsHexint(KernelContext k, long at) {
        rodataOps(k, at, 0, "param_set_hexint", "param_get_hexint", null);
    }

    @KernelData(value = "param_ops_charp", section = Machine.Section.RODATA, sizeOf = OPS)
    static void opsCharp(KernelContext k, long at) {
        rodataOps(k, at, 0, "param_set_charp", "param_get_charp", "param_free_charp");
    }

    @KernelData(value = "param_ops_bool", section = Machine.Section.RODATA, sizeOf = OPS)
    static void opsBool(KernelContext k, long at) {
        rodataOps(k, at, k.off("KPARAM_ISBOOL"), "param_set_bool", "param_get_bool", null);
    }

    @KernelData(value = "param_ops_bool_enable_only", section = Machine.Section.RODATA, sizeOf = OPS)
    static void opsBoolEnableOnly(KernelContext k, long at) {
        rodataOps(k, at, k.off("KPARAM_ISBOOL"), "param_set_bool_enable_only", "param_get_bool", null);
    }

    @KernelData(value = "param_ops_invbool", section = Machine.Section.RODATA, sizeOf = OPS)
    static void opsInvbool(KernelContext k, long at) {
        rodataOps(k, at, 0, "param_set_invbool", "param_get_invbool", null);
    }

    @KernelData(value = "param_ops_bint", section = Machine.Section.RODATA, sizeOf = OPS)
    static void opsBint(KernelContext k, long at) {
        rodataOps(k, at, k.off("KPARAM_ISBOOL"), "param_set_bint", "param_get_int", null);
    }

    @KernelData(value = "param_array_ops", section = Machine.Section.RODATA, sizeOf = OPS)
    static void opsArray(KernelContext k, long at) {
        rodataOps(k, at, 0, "param_array_set", "param_array_get", "param_array_free");
    }

    @KernelData(value = "param_ops_string", section = Machine.Section.RODATA, sizeOf = OPS)
    static void opsString(KernelContext k, long at) {
        rodataOps(k, at, 0, "param_set_copystring", "param_get_string", null);
    }
}
