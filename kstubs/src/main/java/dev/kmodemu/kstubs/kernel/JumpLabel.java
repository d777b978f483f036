package dev.kmodemu.kstubs.kernel;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.arch.ArchJumpLabel;
import dev.kmodemu.kstubs.mm.Gfp;
import dev.kmodemu.kstubs.module.Module;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * kernel/jump_label.c: static keys and the code sites that test them. A {@code struct static_key}
 * lives in guest memory as the kernel has it: {@code enabled} (the count) and the {@code type}
 * word, whose low bits say whether the key starts true ({@code JUMP_TYPE_TRUE}) and whether the
 * rest points at a list of {@code struct static_key_mod} ({@code JUMP_TYPE_LINKED}) instead of
 * at the key's {@code __jump_table} entries. Each module's {@code __jump_table} is sorted and
 * linked to its keys when the module is COMING ({@code jump_label_add_module()}), so that when a
 * key changes, every site of every module using it is rewritten ({@link ArchJumpLabel}) and the
 * module's code really takes the other branch. kmodemu's own kernel has no compiled code with
 * static branches, so a key defined by the kernel starts with no entries of its own (as a key
 * nobody in vmlinux tests would).
 *
 * <p>{@code struct static_key_mod} is private to this file in the kernel (no header declares it);
 * it is three pointers, {@code next}, {@code entries}, {@code mod}, in that order.
 */
public final class JumpLabel {
    private JumpLabel() {
    }

    private static final int SKM_NEXT = 0;
    private static final int SKM_ENTRIES = 8;
    private static final int SKM_MOD = 16;
    private static final int SKM_SIZE = 24;

    /** {@code bool static_key_initialized}: jump_label_init() ran at boot. */
    @KernelData(value = "static_key_initialized", size = 1, align = 1)
    static void staticKeyInitialized(KernelContext k, long at) {
        k.mem().write8(at, 1);
    }

    // ---------------------------------------------------------------- key fields

    private static int enabled(KernelContext k, long key) {
        return k.mem().read32(key + k.off("static_key_enabled"));
    }

    private static void setEnabled(KernelContext k, long key, int v) {
        k.mem().write32(key + k.off("static_key_enabled"), v);
    }

    private static long type(KernelContext k, long key) {
        return k.mem().read64(key + k.off("static_key_type"));
    }

    private static void setType(KernelContext k, long key, long v) {
        k.mem().write64(key + k.off("static_key_type"), v);
    }

    private static long mask(KernelContext k) {
        return k.profile().value("JUMP_TYPE_MASK");
    }

    private static boolean linked(KernelContext k, long key) {
        return (type(k, key) & k.profile().value("JUMP_TYPE_LINKED")) != 0;
    }

    /** {@code static_key_enabled()}: {@code static_key_count(key) > 0}. */
    static boolean keyEnabled(KernelContext k, long key) {
        return staticKeyCount(k, key) > 0;
    }

    /** {@code static_key_type()}: the key's initial state. */
    private static boolean keyType(KernelContext k, long key) {
        return (type(k, key) & k.profile().value("JUMP_TYPE_TRUE")) != 0;
    }

    /** {@code static_key_entries()}. */
    private static long keyEntries(KernelContext k, long key) {
        if (linked(k, key)) {
            Oops.warnOnce(k, "kernel/jump_label.c:408", "static_key_entries");
        }
        return type(k, key) & ~mask(k);
    }

    /** {@code static_key_mod()}. */
    private static long keyMod(KernelContext k, long key) {
        if (!linked(k, key)) {
            Oops.warnOnce(k, "kernel/jump_label.c:588", "static_key_mod");
        }
        return type(k, key) & ~mask(k);
    }

    /** {@code static_key_set_entries()}: points the key at its entries, keeping the type bits. */
    private static void setEntries(KernelContext k, long key, long entries) {
        if ((entries & mask(k)) != 0) {
            Oops.warnOnce(k, "kernel/jump_label.c:446", "static_key_set_entries");
        }
        setType(k, key, entries | (type(k, key) & mask(k)));
    }

    /** {@code static_key_set_mod()}: points the key at a static_key_mod, keeping the type bits. */
    private static void setMod(KernelContext k, long key, long mod) {
        if ((mod & mask(k)) != 0) {
            Oops.warnOnce(k, "kernel/jump_label.c:603", "static_key_set_mod");
        }
        setType(k, key, mod | (type(k, key) & mask(k)));
    }

    private static void setLinked(KernelContext k, long key, boolean on) {
        long l = k.profile().value("JUMP_TYPE_LINKED");
        long t = type(k, key);
        setType(k, key, on ? t | l : t & ~l);
    }

    // ---------------------------------------------------------------- jump entries

    /** {@code jump_entry_code()}. */
    static long entryCode(KernelContext k, long e) {
        long at = e + k.off("jump_entry_code");
        return at + k.mem().read32(at);
    }

    /** {@code jump_entry_target()}. */
    static long entryTarget(KernelContext k, long e) {
        long at = e + k.off("jump_entry_target");
        return at + k.mem().read32(at);
    }

    /** {@code jump_entry_key()}. */
    static long entryKey(KernelContext k, long e) {
        long at = e + k.off("jump_entry_key");
        return at + (k.mem().read64(at) & ~3L);
    }

    /** {@code jump_entry_is_branch()}. */
    private static boolean entryIsBranch(KernelContext k, long e) {
        return (k.mem().read64(e + k.off("jump_entry_key")) & 1) != 0;
    }

    /** {@code jump_entry_is_init()}. */
    private static boolean entryIsInit(KernelContext k, long e) {
        return (k.mem().read64(e + k.off("jump_entry_key")) & 2) != 0;
    }

    /** {@code jump_entry_set_init()}. */
    private static void entrySetInit(KernelContext k, long e, boolean set) {
        long at = e + k.off("jump_entry_key");
        long v = k.mem().read64(at);
        k.mem().write64(at, set ? v | 2 : v & ~2L);
    }

    /** {@code jump_label_type()}: NOP or JMP for the key's current state and the entry's branch. */
    private static int jumpLabelType(KernelContext k, long e) {
        return keyEnabled(k, entryKey(k, e)) ^ entryIsBranch(k, e) ? ArchJumpLabel.JUMP_LABEL_JMP
                : ArchJumpLabel.JUMP_LABEL_NOP;
    }

    /** {@code jump_label_init_type()}: what the compiled code holds, from the key's initial state. */
    private static int jumpLabelInitType(KernelContext k, long e) {
        return keyType(k, entryKey(k, e)) ^ entryIsBranch(k, e) ? ArchJumpLabel.JUMP_LABEL_JMP
                : ArchJumpLabel.JUMP_LABEL_NOP;
    }

    /**
     * {@code jump_label_sort_entries()}: by key, then by code address, rewriting each moved entry's
     * relative fields for its new place as {@code jump_label_swap()} does.
     */
    private static void sortEntries(KernelContext k, long start, long stop) {
        int size = k.off("jump_entry_sizeof");
        record E(long code, long target, long key, long flags) {
        }
        List<E> list = new ArrayList<>();
        AddressSpace mem = k.mem();
        for (long e = start; e < stop; e += size) {
            list.add(new E(entryCode(k, e), entryTarget(k, e), entryKey(k, e),
                    mem.read64(e + k.off("jump_entry_key")) & 3));
        }
        list.sort(Comparator.comparing(E::key, Long::compareUnsigned).thenComparing(E::code, Long::compareUnsigned));
        long e = start;
        for (E x : list) {
            long c = e + k.off("jump_entry_code");
            long t = e + k.off("jump_entry_target");
            long kk = e + k.off("jump_entry_key");
            mem.write32(c, (int) (x.code() - c));
            mem.write32(t, (int) (x.target() - t));
            mem.write64(kk, (x.key() - kk) + x.flags());
            e += size;
        }
    }

    /**
     * {@code kernel_text_address()} (kernel/extable.c): kernel text or module text (init text
     * while it exists).
     */
    public static boolean kernelTextAddress(KernelContext k, long addr) {
        return k.machine().isCoreKernelText(addr) || k.modules().isModuleTextAddress(addr);
    }

    /** {@code jump_label_can_update()}. */
    private static boolean canUpdate(KernelContext k, long e, boolean init) {
        if (!init && entryIsInit(k, e)) {
            return false;
        }
        long code = entryCode(k, e);
        if (!kernelTextAddress(k, code)) {
            if (!entryIsInit(k, e)) {
                dev.kmodemu.kstubs.lib.OnceLite.warnOnce(k, "kernel/jump_label.c:479", "jump_label_can_update",
                        "can't patch jump_label at " + dev.kmodemu.kstubs.printk.Printk.env(k).symbolize(code, true));
            }
            return false;
        }
        return true;
    }

    /** {@code __jump_label_update()}: every entry of {@code key} from {@code entry} on, before {@code stop}. */
    private static void update(KernelContext k, long key, long entry, long stop, boolean init) {
        int size = k.off("jump_entry_sizeof");
        for (long e = entry; Long.compareUnsigned(e, stop) < 0 && entryKey(k, e) == key; e += size) {
            if (canUpdate(k, e, init)) {
                ArchJumpLabel.transform(k, entryCode(k, e), entryTarget(k, e), jumpLabelType(k, e));
            }
        }
    }

    private static long entriesStop(KernelContext k, Module m) {
        return m.sectionAddress("__jump_table") + m.sectionSize("__jump_table");
    }

    /** {@code __jump_label_mod_update()}: the sites of every module linked to the key. */
    private static void modUpdate(KernelContext k, long key) {
        for (long mod = keyMod(k, key); mod != 0; mod = k.mem().read64(mod + SKM_NEXT)) {
            long entries = k.mem().read64(mod + SKM_ENTRIES);
            if (entries == 0) {
                continue;
            }
            Module m = k.modules().withStruct(k.mem().read64(mod + SKM_MOD));
            if (m == null) {
                // vmlinux entries: kmodemu's kernel has none, so no record of vmlinux has entries
                continue;
            }
            update(k, key, entries, entriesStop(k, m), m.state() == Module.State.COMING);
        }
    }

    /** {@code jump_label_update()}: rewrites every site of {@code key} for its current state. */
    static void jumpLabelUpdate(KernelContext k, long key) {
        if (linked(k, key)) {
            modUpdate(k, key);
            return;
        }
        Module mod = k.modules().containing(key);
        long entry = keyEntries(k, key);
        if (mod == null || entry == 0) {
            // a vmlinux key without module users: no sites anywhere
            return;
        }
        update(k, key, entry, entriesStop(k, mod), mod.state() == Module.State.COMING);
    }

    // ---------------------------------------------------------------- the exported API

    /** {@code int static_key_count(struct static_key *key)}: -1 (first enable in progress) counts as 1. */
    @KernelSymbol("static_key_count")
    public static int staticKeyCount(KernelContext k, long key) {
        int n = enabled(k, key);
        return n >= 0 ? n : 1;
    }

    /** {@code bool static_key_fast_inc_not_disabled(struct static_key *key)}. */
    @KernelSymbol("static_key_fast_inc_not_disabled")
    static boolean staticKeyFastIncNotDisabled(KernelContext k, long key) {
        int v = enabled(k, key);
        if (v <= 0 || v + 1 < 0) {
            return false;
        }
        setEnabled(k, key, v + 1);
        return true;
    }

    /** {@code bool static_key_slow_inc(struct static_key *key)} (and its _cpuslocked form). */
    @KernelSymbol("static_key_slow_inc")
    public static boolean staticKeySlowInc(KernelContext k, long key) {
        if (staticKeyFastIncNotDisabled(k, key)) {
            return true;
        }
        if (enabled(k, key) == 0) {
            setEnabled(k, key, -1);
            jumpLabelUpdate(k, key);
            setEnabled(k, key, 1);
        } else if (!staticKeyFastIncNotDisabled(k, key)) {
            Oops.warnOnce(k, "kernel/jump_label.c:177", "static_key_slow_inc_cpuslocked");
            return false;
        }
        return true;
    }

    /** {@code void static_key_enable(struct static_key *key)} (and {@code static_key_enable_cpuslocked}). */
    @KernelSymbol({"static_key_enable", "static_key_enable_cpuslocked"})
    public static void staticKeyEnable(KernelContext k, long key) {
        int v = enabled(k, key);
        if (v > 0) {
            if (v != 1) {
                Oops.warnOnce(k, "kernel/jump_label.c:200", "static_key_enable_cpuslocked");
            }
            return;
        }
        if (enabled(k, key) == 0) {
            setEnabled(k, key, -1);
            jumpLabelUpdate(k, key);
            setEnabled(k, key, 1);
        }
    }

    /** {@code void static_key_disable(struct static_key *key)} (and {@code static_key_disable_cpuslocked}). */
    @KernelSymbol({"static_key_disable", "static_key_disable_cpuslocked"})
    public static void staticKeyDisable(KernelContext k, long key) {
        int v = enabled(k, key);
        if (v != 1) {
            if (v != 0) {
                Oops.warnOnce(k, "kernel/jump_label.c:231", "static_key_disable_cpuslocked");
            }
            return;
        }
        setEnabled(k, key, 0);
        jumpLabelUpdate(k, key);
    }

    /** {@code static_key_dec_not_one()}: drops a user unless that would take the count to 0. */
    private static boolean decNotOne(KernelContext k, long key) {
        int v = enabled(k, key);
        if (v < 0) {
            Oops.warnOnce(k, "kernel/jump_label.c:273", "static_key_dec_not_one");
        }
        if (v == 0) {
            Oops.warnOnce(k, "kernel/jump_label.c:279", "static_key_dec_not_one");
            return true;
        }
        if (v <= 1) {
            return false;
        }
        setEnabled(k, key, v - 1);
        return true;
    }

    /** {@code void static_key_slow_dec(struct static_key *key)}. */
    @KernelSymbol("static_key_slow_dec")
    public static void staticKeySlowDec(KernelContext k, long key) {
        if (decNotOne(k, key)) {
            return;
        }
        int val = enabled(k, key);
        if (val == -1) {
            Oops.warnOnce(k, "kernel/jump_label.c:303", "__static_key_slow_dec_cpuslocked");
            return;
        }
        if (val == 0) {
            Oops.warnOnce(k, "kernel/jump_label.c:308", "__static_key_slow_dec_cpuslocked");
            return;
        }
        setEnabled(k, key, val - 1);
        if (val - 1 == 0) {
            jumpLabelUpdate(k, key);
        }
    }

    // ---------------------------------------------------------------- modules

    /**
     * {@code jump_label_add_module()}, run by the module notifier when {@code mod} is COMING: sorts
     * its entries, marks those in init text, and links each key it uses from elsewhere (vmlinux or
     * another module) to them, rewriting its sites when that key is no longer in its initial state.
     *
     * @return 0 or -ENOMEM
     */
    public static int addModule(KernelContext k, Module mod) {
        long start = mod.sectionAddress("__jump_table");
        int size = k.off("jump_entry_sizeof");
        long n = k.modules().sectionObjs(mod, "__jump_table", size, "module_jump_entries", "module_num_jump_entries");
        if (n == 0) {
            return 0;
        }
        long stop = start + n * size;
        sortEntries(k, start, stop);
        long key = 0;
        for (long iter = start; iter < stop; iter += size) {
            entrySetInit(k, iter, mod.withinModuleInit(entryCode(k, iter)));
            long iterk = entryKey(k, iter);
            if (iterk == key) {
                continue;
            }
            key = iterk;
            if (mod.contains(key)) {
                setEntries(k, key, iter);
                continue;
            }
            long jlm = k.slab().kmalloc(SKM_SIZE, Gfp.KERNEL | Gfp.ZERO);
            if (jlm == 0) {
                return -dev.kmodemu.kstubs.Errno.ENOMEM;
            }
            if (!linked(k, key)) {
                long jlm2 = k.slab().kmalloc(SKM_SIZE, Gfp.KERNEL | Gfp.ZERO);
                if (jlm2 == 0) {
                    k.slab().kfree(jlm);
                    return -dev.kmodemu.kstubs.Errno.ENOMEM;
                }
                Module owner = k.modules().containing(key);
                k.mem().write64(jlm2 + SKM_MOD, owner == null ? 0 : owner.thisModule());
                k.mem().write64(jlm2 + SKM_ENTRIES, keyEntries(k, key));
                k.mem().write64(jlm2 + SKM_NEXT, 0);
                setMod(k, key, jlm2);
                setLinked(k, key, true);
            }
            k.mem().write64(jlm + SKM_MOD, mod.thisModule());
            k.mem().write64(jlm + SKM_ENTRIES, iter);
            k.mem().write64(jlm + SKM_NEXT, keyMod(k, key));
            setMod(k, key, jlm);
            setLinked(k, key, true);
            // only update if the key changed from its initial state
            if (jumpLabelType(k, iter) != jumpLabelInitType(k, iter)) {
                update(k, key, iter, stop, true);
            }
        }
        return 0;
    }

    /**
     * {@code jump_label_del_module()}, run by the module notifier when {@code mod} is GOING: unlinks
     * its entries from the keys of others, folding a key back to plain entries when one user is left.
     */
    public static void delModule(KernelContext k, Module mod) {
        long start = mod.sectionAddress("__jump_table");
        int size = k.off("jump_entry_sizeof");
        long stop = start + mod.sectionSize("__jump_table") / size * size;
        AddressSpace mem = k.mem();
        long key = 0;
        for (long iter = start; iter < stop; iter += size) {
            if (entryKey(k, iter) == key) {
                continue;
            }
            key = entryKey(k, iter);
            if (mod.contains(key)) {
                continue;
            }
            if (!linked(k, key)) {
                Oops.warn(k, "kernel/jump_label.c:738", "jump_label_del_module", null);
                continue;
            }
            long prevAt = -1;
            long jlm = keyMod(k, key);
            while (jlm != 0 && mem.read64(jlm + SKM_MOD) != mod.thisModule()) {
                prevAt = jlm + SKM_NEXT;
                jlm = mem.read64(jlm + SKM_NEXT);
            }
            if (jlm == 0) {
                Oops.warn(k, "kernel/jump_label.c:750", "jump_label_del_module", null);
                continue;
            }
            if (prevAt == -1) {
                setMod(k, key, mem.read64(jlm + SKM_NEXT));
            } else {
                mem.write64(prevAt, mem.read64(jlm + SKM_NEXT));
            }
            k.slab().kfree(jlm);
            jlm = keyMod(k, key);
            // if only one entry is left, fold it back into the static_key
            if (mem.read64(jlm + SKM_NEXT) == 0) {
                setEntries(k, key, mem.read64(jlm + SKM_ENTRIES));
                setLinked(k, key, false);
                k.slab().kfree(jlm);
            }
        }
    }
}
