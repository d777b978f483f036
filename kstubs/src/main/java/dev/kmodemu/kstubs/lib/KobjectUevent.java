package dev.kmodemu.kstubs.lib;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.VaList;
import dev.kmodemu.kstubs.kernel.Oops;
import dev.kmodemu.kstubs.printk.Printk;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * lib/kobject_uevent.c: uevents are built as the kernel builds them (the kset found up the parents,
 * its {@code filter}, {@code name} and {@code uevent} operations called, which run module code:
 * bus, class and device type {@code uevent()} callbacks), the kobject's add/remove state bits set,
 * and a sequence number taken. Then they go nowhere: the emulated machine has no netlink listener
 * (no udev) and Debian's kernel has no uevent helper ({@code CONFIG_UEVENT_HELPER} is off), which is
 * what the real kernel does with them in that situation too.
 */
public final class KobjectUevent {
    private KobjectUevent() {
    }

    /** {@code kobject_actions[]}, indexed by {@code enum kobject_action}. */
    static final String[] ACTIONS = {"add", "remove", "change", "move", "online", "offline", "bind", "unbind"};
    private static final int UUID_STRING_LEN = 36;

    private static final class Seqnum {
        long value;
    }

    /** {@code uevent_seqnum}: how many uevents this kernel has sent. */
    public static long seqnum(KernelContext k) {
        return k.state(Seqnum.class, Seqnum::new).value;
    }

    /** int kobject_uevent(struct kobject *kobj, enum kobject_action action) */
    @KernelSymbol("kobject_uevent")
    public static int uevent(KernelContext k, long kobj, int action) {
        return ueventEnv(k, kobj, action, (String[]) null);
    }

    /** int kobject_uevent_env(struct kobject *kobj, enum kobject_action action, char *envp_ext[]) */
    @KernelSymbol("kobject_uevent_env")
    static int ueventEnvSym(KernelContext k, long kobj, int action, long envpExt) {
        List<String> ext = new ArrayList<>();
        for (int i = 0; envpExt != 0; i++) {
            long s = k.mem().read64(envpExt + 8L * i);
            if (s == 0) {
                break;
            }
            ext.add(new String(k.mem().readCBytes(s, 4096), StandardCharsets.UTF_8));
        }
        return ueventEnv(k, kobj, action, ext.toArray(new String[0]));
    }

    /** The kobject whose kset sends {@code kobj}'s uevents (itself or the first parent with a kset), or 0. */
    public static long topKobject(KernelContext k, long kobj) {
        long top = kobj;
        while (Kobject.kset(k, top) == 0 && Kobject.parent(k, top) != 0) {
            top = Kobject.parent(k, top);
        }
        return Kobject.kset(k, top) == 0 ? 0 : top;
    }

    /** {@code kobject_uevent_env()} with the extra variables in Java. */
    public static int ueventEnv(KernelContext k, long kobj, int action, String[] envpExt) {
        AddressSpace m = k.mem();
        if (action == k.off("KOBJ_REMOVE")) {
            Kobject.setState(k, kobj, Kobject.REMOVE_UEVENT_SENT, true);
        }
        long top = topKobject(k, kobj);
        if (top == 0) {
            return -Errno.EINVAL;
        }
        long kset = Kobject.kset(k, top);
        long ops = m.read64(kset + k.off("kset_uevent_ops"));
        if (Kobject.state(k, kobj, Kobject.UEVENT_SUPPRESS)) {
            return 0;
        }
        long filter = ops == 0 ? 0 : m.read64(ops + k.off("kset_uevent_ops_filter"));
        if (filter != 0 && (int) k.call(filter, kobj) == 0) {
            return 0;
        }
        long nameOp = ops == 0 ? 0 : m.read64(ops + k.off("kset_uevent_ops_name"));
        String subsystem;
        if (nameOp != 0) {
            long s = k.call(nameOp, kobj);
            subsystem = s == 0 ? null : m.readCString(s, 4096);
        } else {
            subsystem = Kobject.name(k, Kobject.ksetKobj(k, kset));
        }
        if (subsystem == null) {
            return 0;
        }
        long env = k.slab().kmalloc(k.off("kobj_uevent_env_sizeof"), 0xcc0 | 0x100);
        if (env == 0) {
            return -Errno.ENOMEM;
        }
        try {
            String devpath = Kobject.path(k, kobj);
            if (devpath == null) {
                return -Errno.ENOENT;
            }
            int retval = add(k, env, "ACTION=" + ACTIONS[action]);
            if (retval == 0) {
                retval = add(k, env, "DEVPATH=" + devpath);
            }
            if (retval == 0) {
                retval = add(k, env, "SUBSYSTEM=" + subsystem);
            }
            for (int i = 0; retval == 0 && envpExt != null && i < envpExt.length; i++) {
                retval = add(k, env, envpExt[i]);
            }
            if (retval != 0) {
                return retval;
            }
            long ueventOp = ops == 0 ? 0 : m.read64(ops + k.off("kset_uevent_ops_uevent"));
            if (ueventOp != 0) {
                retval = (int) k.call(ueventOp, kobj, env);
                if (retval != 0) {
                    return retval;
                }
            }
            if (action == k.off("KOBJ_ADD")) {
                Kobject.setState(k, kobj, Kobject.ADD_UEVENT_SENT, true);
            } else if (action == k.off("KOBJ_UNBIND")) {
                zapModalias(k, env);
            }
            Seqnum n = k.state(Seqnum.class, Seqnum::new);
            return add(k, env, "SEQNUM=" + (++n.value));
        } finally {
            k.slab().kfree(env);
        }
    }

    /** {@code zap_modalias_env()}: the MODALIAS= variables dropped from an unbind event. */
    private static void zapModalias(KernelContext k, long env) {
        List<byte[]> keep = new ArrayList<>();
        for (byte[] v : variables(k, env)) {
            if (!new String(v, StandardCharsets.ISO_8859_1).startsWith("MODALIAS=")) {
                keep.add(v);
            }
        }
        clear(k, env);
        for (byte[] v : keep) {
            add(k, env, v);
        }
    }

    /** The variables of a {@code struct kobj_uevent_env}, in order. */
    public static List<byte[]> variables(KernelContext k, long env) {
        AddressSpace m = k.mem();
        List<byte[]> out = new ArrayList<>();
        int n = m.read32(env + k.off("kobj_uevent_env_envp_idx"));
        for (int i = 0; i < n; i++) {
            out.add(m.readCBytes(m.read64(env + k.off("kobj_uevent_env_envp") + 8L * i), 4096));
        }
        return out;
    }

    private static void clear(KernelContext k, long env) {
        k.mem().write32(env + k.off("kobj_uevent_env_envp_idx"), 0);
        k.mem().write32(env + k.off("kobj_uevent_env_buflen"), 0);
    }

    /** {@code add_uevent_var()} of text already formatted. */
    public static int add(KernelContext k, long env, String text) {
        return add(k, env, text.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code add_uevent_var()}: the kernel's WARNs when the keys or the buffer run out. */
    public static int add(KernelContext k, long env, byte[] text) {
        AddressSpace m = k.mem();
        int idxAt = k.off("kobj_uevent_env_envp_idx");
        int lenAt = k.off("kobj_uevent_env_buflen");
        int idx = m.read32(env + idxAt);
        if (idx >= k.off("UEVENT_NUM_ENVP")) {
            Oops.warn(k, "lib/kobject_uevent.c:675", "add_uevent_var", "add_uevent_var: too many keys");
            return -Errno.ENOMEM;
        }
        int buflen = m.read32(env + lenAt);
        int room = k.off("UEVENT_BUFFER_SIZE") - buflen;
        long at = env + k.off("kobj_uevent_env_buf") + buflen;
        int n = Math.max(Math.min(text.length, room - 1), 0);
        m.write(at, text, 0, n);
        if (room > 0) {
            m.write8(at + n, 0);
        }
        if (text.length >= room) {
            Oops.warn(k, "lib/kobject_uevent.c:686", "add_uevent_var", "add_uevent_var: buffer size too small");
            return -Errno.ENOMEM;
        }
        m.write64(env + k.off("kobj_uevent_env_envp") + 8L * idx, at);
        m.write32(env + idxAt, idx + 1);
        m.write32(env + lenAt, buflen + text.length + 1);
        return 0;
    }

    /** int add_uevent_var(struct kobj_uevent_env *env, const char *format, ...) */
    @KernelSymbol("add_uevent_var")
    static int addUeventVar(KernelContext k, long env, long format, VaList args) {
        return add(k, env, Printk.format(k, format, args));
    }

    // ---------------------------------------------------------------- synthetic uevents

    /**
     * {@code kobject_synth_uevent()}: a write to a {@code uevent} attribute sends the event it names
     * (with SYNTH_UUID and SYNTH_ARG_ variables); a bad request or a failed event logs the kernel's
     * "synth uevent" warning.
     *
     * @return 0 or a negative errno
     */
    public static int synth(KernelContext k, long kobj, byte[] buf) {
        return synth(k, kobj, buf, Kobject.path(k, kobj));
    }

    /**
     * {@code kobject_synth_uevent()} for a kobject at {@code devpath}; with {@code kobj} 0 (a
     * kobject kmodemu keeps in Java, like a module's) the request is checked and nothing is sent.
     */
    public static int synth(KernelContext k, long kobj, byte[] buf, String devpath) {
        int count = buf.length;
        int n = count;
        if (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == 0)) {
            n--;
        }
        int space = -1;
        for (int i = 0; i < n; i++) {
            if (buf[i] == ' ') {
                space = i;
                break;
            }
        }
        int first = space < 0 ? n : space;
        int action = -1;
        if (n > 0) {
            String word = new String(buf, 0, first, StandardCharsets.ISO_8859_1);
            for (int a = 0; a < ACTIONS.length; a++) {
                if (ACTIONS[a].equals(word)) {
                    action = a;
                    break;
                }
            }
        }
        String msg = null;
        int r;
        if (action < 0) {
            msg = "unknown uevent action string";
            r = -Errno.EINVAL;
        } else {
            String[] envp = space < 0 ? new String[] {"SYNTH_UUID=0"} : actionArgs(buf, space + 1, count - (space + 1));
            if (envp == null) {
                msg = "incorrect uevent action arguments";
                r = -Errno.EINVAL;
            } else {
                r = kobj == 0 ? 0 : ueventEnv(k, kobj, action, envp);
            }
        }
        if (r != 0) {
            k.printk(4, "synth uevent: " + (devpath == null ? "unknown device" : devpath) + ": "
                    + (msg != null ? msg : "failed to send uevent"));
        }
        return r;
    }

    /** {@code kobject_action_args()}: "UUID [KEY=VALUE ...]" as SYNTH_ variables, or null if malformed. */
    private static String[] actionArgs(byte[] b, int start, int count) {
        if (count > 0 && (b[start + count - 1] == '\n' || b[start + count - 1] == 0)) {
            count--;
        }
        if (count < UUID_STRING_LEN) {
            return null;
        }
        for (int i = 0; i < UUID_STRING_LEN; i++) {
            int c = b[start + i];
            boolean hyphen = i == 8 || i == 13 || i == 18 || i == 23;
            if (hyphen ? c != '-' : Character.digit(c, 16) < 0) {
                return null;
            }
        }
        List<String> out = new ArrayList<>();
        out.add("SYNTH_UUID=" + new String(b, start, UUID_STRING_LEN, StandardCharsets.ISO_8859_1));
        int end = start + count - 1;
        int next = start + UUID_STRING_LEN;
        while (next <= end) {
            if (b[next] != ' ') {
                return null;
            }
            int key = ++next;
            if (key > end) {
                return null;
            }
            next = wordEnd(b, key, end, '=');
            if (next < 0 || next > end || b[next] != '=') {
                return null;
            }
            int keyLen = next - key;
            if (++next > end) {
                return null;
            }
            int value = next;
            next = wordEnd(b, value, end, ' ');
            if (next < 0) {
                return null;
            }
            out.add("SYNTH_ARG_" + new String(b, key, keyLen, StandardCharsets.ISO_8859_1) + "="
                    + new String(b, value, next - value, StandardCharsets.ISO_8859_1));
        }
        return out.toArray(new String[0]);
    }

    /** {@code action_arg_word_end()}: index of {@code delim} after alphanumerics, or -1. */
    private static int wordEnd(byte[] b, int from, int end, char delim) {
        int next = from;
        while (next <= end && b[next] != delim) {
            if (!Ctype.isalnum(b[next++] & 0xff)) {
                return -1;
            }
        }
        return next == from ? -1 : next;
    }

    /** int kobject_synth_uevent(struct kobject *kobj, const char *buf, size_t count) */
    @KernelSymbol(value = "kobject_synth_uevent", internal = true)
    static int kobjectSynthUevent(KernelContext k, long kobj, long buf, long count) {
        return synth(k, kobj, k.mem().read(buf, (int) count));
    }

    /** The variables of {@code env} as a uevent file shows them: one per line. */
    public static byte[] lines(KernelContext k, long env) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] v : variables(k, env)) {
            out.writeBytes(v);
            out.write('\n');
        }
        return out.toByteArray();
    }

}
