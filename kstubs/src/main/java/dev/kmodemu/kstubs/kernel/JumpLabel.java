package dev.kmodemu.kstubs.kernel;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.module.Module;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * kernel/jump_label.c with arch/x86/kernel/jump_label.c: static keys and the code sites in the
 * modules' {@code __jump_table} sections. A site is the 2- or 5-byte NOP objtool left, or a JMP
 * to its target; changing a key's {@code enabled} count between 0 and non-zero rewrites every
 * site of the key ({@code jump_label_update()}), and the CPU's translated copy of that code is
 * dropped so the next run takes the new branch. The kernel itself has no sites here (its code is
 * Java), so only module code is patched.
 */
public final class JumpLabel {
    /** One {@code struct jump_entry}, decoded. */
    private record Entry(long code, long target, long key, boolean branch) {
    }

    /** Sites per loaded module, in load order. */
    private final Map<Module, List<Entry>> sites = new LinkedHashMap<>();

    private JumpLabel() {
    }

    private static JumpLabel of(KernelContext k) {
        return k.state(JumpLabel.class, JumpLabel::new);
    }

    /**
     * {@code jump_label_module_notify()}: at MODULE_STATE_COMING the module's {@code __jump_table}
     * is read and every site set to the current state of its key ({@code jump_label_add_module()},
     * which matters for keys of other modules already enabled); at GOING they are forgotten.
     */
    public static void moduleNotify(KernelContext k, Module mod, Module.State state) {
        JumpLabel jl = of(k);
        if (state == Module.State.GOING) {
            jl.sites.remove(mod);
            return;
        }
        AddressSpace m = k.mem();
        List<Entry> list = new ArrayList<>();
        int size = k.off("jump_entry_sizeof");
        for (Module.Section s : mod.sections()) {
            if (!s.name().equals("__jump_table")) {
                continue;
            }
            for (long e = s.address(); e + size <= s.address() + s.size(); e += size) {
                long codeAt = e + k.off("jump_entry_code");
                long targetAt = e + k.off("jump_entry_target");
                long keyAt = e + k.off("jump_entry_key");
                long key = keyAt + m.read64(keyAt);
                list.add(new Entry(codeAt + m.read32(codeAt), targetAt + m.read32(targetAt), key & ~3L,
                        (key & 1) != 0));
            }
        }
        jl.sites.put(mod, list);
        for (Entry e : list) {
            if (m.read32(e.key + k.off("static_key_enabled")) != 0) {
                jl.transform(k, e);
            }
        }
    }

    /**
     * {@code __jump_label_update()} for one site: JMP if the key's state differs from the
     * branch's default ({@code jump_label_type()}), else the NOP of the same length.
     */
    private void transform(KernelContext k, Entry e) {
        AddressSpace m = k.mem();
        boolean enabled = m.read32(e.key + k.off("static_key_enabled")) > 0;
        int first = m.read8(e.code) & 0xff;
        // arch_jump_entry_size(): JMP rel8 or its 2-byte NOP (66 90), else 5 bytes
        int len = first == 0xeb || (first == 0x66 && (m.read8(e.code + 1) & 0xff) == 0x90) ? 2 : 5;
        byte[] insn = new byte[len];
        if (enabled ^ e.branch) {
            long rel = e.target - (e.code + len);
            insn[0] = (byte) (len == 2 ? 0xeb : 0xe9);
            for (int i = 1; i < len; i++) {
                insn[i] = (byte) (rel >> (8 * (i - 1)));
            }
        } else if (len == 2) {
            insn[0] = 0x66;
            insn[1] = (byte) 0x90;
        } else {
            insn = new byte[] {0x0f, 0x1f, 0x44, 0x00, 0x00};
        }
        m.poke(e.code, insn);
        k.machine().cpu().invalidateCode(e.code, e.code + len);
    }

    /** {@code jump_label_update()}: every site of {@code key} in every module. */
    private void update(KernelContext k, long key) {
        for (List<Entry> list : sites.values()) {
            for (Entry e : list) {
                if (e.key == key) {
                    transform(k, e);
                }
            }
        }
    }

    private static int enabled(KernelContext k, long key) {
        return k.mem().read32(key + k.off("static_key_enabled"));
    }

    private static void setEnabled(KernelContext k, long key, int v) {
        k.mem().write32(key + k.off("static_key_enabled"), v);
    }

    /** void static_key_enable(struct static_key *key): count 1; WARNs on a count other than 0 and 1. */
    @KernelSymbol("static_key_enable")
    public static void staticKeyEnable(KernelContext k, long key) {
        int v = enabled(k, key);
        if (v > 0) {
            if (v != 1) {
                Oops.warn(k, "kernel/jump_label.c:200", "static_key_enable_cpuslocked", null);
            }
            return;
        }
        setEnabled(k, key, 1);
        of(k).update(k, key);
    }

    /** void static_key_disable(struct static_key *key): count 0. */
    @KernelSymbol("static_key_disable")
    public static void staticKeyDisable(KernelContext k, long key) {
        int v = enabled(k, key);
        if (v != 1) {
            if (v != 0) {
                Oops.warn(k, "kernel/jump_label.c:231", "static_key_disable_cpuslocked", null);
            }
            return;
        }
        setEnabled(k, key, 0);
        of(k).update(k, key);
    }

    /** bool static_key_slow_inc(struct static_key *key): the first reference patches the sites. */
    @KernelSymbol("static_key_slow_inc")
    static boolean staticKeySlowInc(KernelContext k, long key) {
        int v = enabled(k, key);
        if (v < 0) {
            Oops.warn(k, "kernel/jump_label.c:177", "static_key_slow_inc_cpuslocked", null);
            return false;
        }
        setEnabled(k, key, v + 1);
        if (v == 0) {
            of(k).update(k, key);
        }
        return true;
    }

    /** void static_key_slow_dec(struct static_key *key): the last reference patches the sites back. */
    @KernelSymbol("static_key_slow_dec")
    static void staticKeySlowDec(KernelContext k, long key) {
        int v = enabled(k, key);
        if (v <= 0) {
            Oops.warn(k, "kernel/jump_label.c:279", "static_key_slow_try_dec", null);
            return;
        }
        setEnabled(k, key, v - 1);
        if (v == 1) {
            of(k).update(k, key);
        }
    }

    /** int static_key_count(struct static_key *key) */
    @KernelSymbol("static_key_count")
    static int staticKeyCount(KernelContext k, long key) {
        return enabled(k, key);
    }
}
