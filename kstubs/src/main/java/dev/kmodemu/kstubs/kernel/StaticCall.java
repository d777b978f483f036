package dev.kmodemu.kstubs.kernel;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.arch.ArchStaticCall;
import dev.kmodemu.kstubs.mm.Gfp;
import dev.kmodemu.kstubs.module.Module;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * kernel/static_call_inline.c: the inline static call sites of modules. objtool lists every
 * {@code call __SCT__name} of a module in {@code .static_call_sites}; when the module is COMING
 * the kernel points each site straight at the key's function ({@code call func}, a NOP for a NULL
 * function), and {@code __static_call_update()} later rewrites the trampoline and every site. A
 * site whose key is not exported names the trampoline instead, and the kernel finds the key in
 * its {@code .static_call_tramp_key} table ({@link #registerTrampoline}).
 *
 * <p>kmodemu's kernel has no inline sites of its own, so a vmlinux key's {@code type} is 1 (no
 * sites) until a module links its sites to it.
 */
public final class StaticCall {
    private StaticCall() {
    }

    /** {@code .static_call_tramp_key}: trampoline address to key address. */
    private static final class TrampKeys {
        final Map<Long, Long> keys = new HashMap<>();
    }

    /**
     * {@code EXPORT_STATIC_CALL_TRAMP(name)}'s entry in {@code .static_call_tramp_key}: lets a
     * module whose sites name {@code tramp} find {@code key}.
     */
    public static void registerTrampoline(KernelContext k, long tramp, long key) {
        k.state(TrampKeys.class, TrampKeys::new).keys.put(tramp, key);
    }

    /** {@code bool static_call_initialized}: static_call_init() ran at boot. */
    @KernelData(value = "static_call_initialized", size = 1, align = 1)
    static void staticCallInitialized(KernelContext k, long at) {
        k.mem().write8(at, 1);
        // __static_call_return (arch/x86/kernel/static_call.c): "ret; int3", the target of a
        // conditional tail call to NULL
        k.machine().defineCode("__static_call_return", new byte[] {(byte) 0xc3, (byte) 0xcc});
    }

    // ---------------------------------------------------------------- sites

    private static long siteAddr(KernelContext k, long site) {
        long at = site + k.off("static_call_site_addr");
        return at + k.mem().read32(at);
    }

    /** {@code __static_call_key()}: the key with its flag bits. */
    private static long rawKey(KernelContext k, long site) {
        long at = site + k.off("static_call_site_key");
        return at + k.mem().read32(at);
    }

    private static long flags(KernelContext k) {
        return k.profile().value("STATIC_CALL_SITE_FLAGS");
    }

    /** {@code static_call_key()}. */
    private static long siteKey(KernelContext k, long site) {
        return rawKey(k, site) & ~flags(k);
    }

    private static boolean isInit(KernelContext k, long site) {
        return (rawKey(k, site) & k.profile().value("STATIC_CALL_SITE_INIT")) != 0;
    }

    private static boolean isTail(KernelContext k, long site) {
        return (rawKey(k, site) & k.profile().value("STATIC_CALL_SITE_TAIL")) != 0;
    }

    private static void setRawKey(KernelContext k, long site, long key) {
        long at = site + k.off("static_call_site_key");
        k.mem().write32(at, (int) (key - at));
    }

    /** {@code static_call_sort_entries()}: by key, each moved entry's offsets redone for its new place. */
    private static void sortEntries(KernelContext k, long start, long stop) {
        int size = k.off("static_call_site_sizeof");
        record S(long addr, long rawKey) {
        }
        List<S> list = new ArrayList<>();
        for (long s = start; s < stop; s += size) {
            list.add(new S(siteAddr(k, s), rawKey(k, s)));
        }
        long fl = flags(k);
        list.sort(Comparator.comparing((S x) -> x.rawKey() & ~fl, Long::compareUnsigned));
        long s = start;
        for (S x : list) {
            long a = s + k.off("static_call_site_addr");
            k.mem().write32(a, (int) (x.addr() - a));
            setRawKey(k, s, x.rawKey());
            s += size;
        }
    }

    // ---------------------------------------------------------------- keys

    private static long keyType(KernelContext k, long key) {
        return k.mem().read64(key + k.off("static_call_key_type"));
    }

    /** {@code static_call_key_has_mods()}. */
    private static boolean hasMods(KernelContext k, long key) {
        return (keyType(k, key) & 1) == 0;
    }

    /** {@code static_call_key_next()}. */
    private static long keyNext(KernelContext k, long key) {
        return hasMods(k, key) ? keyType(k, key) : 0;
    }

    /** {@code static_call_key_sites()}. */
    private static long keySites(KernelContext k, long key) {
        return hasMods(k, key) ? 0 : keyType(k, key) & ~1L;
    }


    /**
     * {@code void __static_call_update(struct static_call_key *key, void *tramp, void *func)}: the
     * key's new function, written into its trampoline and every inline site of every module.
     */
    @KernelSymbol("__static_call_update")
    static void staticCallUpdate(KernelContext k, long key, long tramp, long func) {
        AddressSpace mem = k.mem();
        long funcAt = key + k.off("static_call_key_func");
        if (mem.read64(funcAt) == func) {
            return;
        }
        mem.write64(funcAt, func);
        ArchStaticCall.archStaticCallTransform(k, 0, tramp, func, false);
        int size = k.off("static_call_site_sizeof");
        // the 'first' record: the key's own sites (vmlinux), then its list of modules
        List<long[]> mods = new ArrayList<>();
        mods.add(new long[] {0, keySites(k, key)});
        for (long m = keyNext(k, key); m != 0; m = mem.read64(m + k.off("static_call_mod_next"))) {
            mods.add(new long[] {mem.read64(m + k.off("static_call_mod_mod")),
                mem.read64(m + k.off("static_call_mod_sites"))});
        }
        for (long[] sm : mods) {
            if (sm[1] == 0) {
                continue;
            }
            Module mod = sm[0] == 0 ? null : k.modules().withStruct(sm[0]);
            if (mod == null) {
                continue;
            }
            boolean init = mod.state() == Module.State.COMING;
            long stop = mod.sectionAddress(".static_call_sites") + mod.sectionSize(".static_call_sites") / size * size;
            for (long site = sm[1]; Long.compareUnsigned(site, stop) < 0 && siteKey(k, site) == key; site += size) {
                long addr = siteAddr(k, site);
                if (!init && isInit(k, site)) {
                    continue;
                }
                if (!JumpLabel.kernelTextAddress(k, addr)) {
                    if (!isInit(k, site)) {
                        dev.kmodemu.kstubs.lib.OnceLite.warnOnce(k, "kernel/static_call_inline.c:192",
                                "__static_call_update", "can't patch static call site at "
                                        + dev.kmodemu.kstubs.printk.Printk.env(k).symbolize(addr, true));
                    }
                    continue;
                }
                ArchStaticCall.archStaticCallTransform(k, addr, 0, func, isTail(k, site));
            }
        }
    }

    /**
     * {@code static_call_add_module()}, run by the module notifier when {@code mod} is COMING: the
     * sites that name a trampoline get its key, then {@code __static_call_init()} sorts them, links
     * them to their keys and points each at its key's function.
     *
     * @return 0, -EINVAL for a site whose trampoline has no key, or -ENOMEM
     */
    public static int addModule(KernelContext k, Module mod) {
        int size = k.off("static_call_site_sizeof");
        long start = mod.sectionAddress(".static_call_sites");
        long n = k.modules().sectionObjs(mod, ".static_call_sites", size, "module_static_call_sites",
                "module_num_static_call_sites");
        long stop = start + n * size;
        Map<Long, Long> tramps = k.state(TrampKeys.class, TrampKeys::new).keys;
        for (long site = start; site < stop; site += size) {
            long sKey = rawKey(k, site);
            long addr = sKey & ~flags(k);
            // an exported key is data; a trampoline means the key was not exported
            if (!JumpLabel.kernelTextAddress(k, addr)) {
                continue;
            }
            Long key = tramps.get(addr);
            if (key == null) {
                k.printk(4, "Failed to fixup __raw_static_call() usage at: "
                        + dev.kmodemu.kstubs.printk.Printk.env(k).symbolize(siteAddr(k, site), false));
                return fail(k, mod, -Errno.EINVAL);
            }
            setRawKey(k, site, key | (sKey & flags(k)));
        }
        if (n == 0) {
            return 0;
        }
        sortEntries(k, start, stop);
        AddressSpace mem = k.mem();
        long prevKey = 0;
        for (long site = start; site < stop; site += size) {
            long siteAddr = siteAddr(k, site);
            if (mod.withinModuleInit(siteAddr)) {
                setRawKey(k, site, rawKey(k, site) | k.profile().value("STATIC_CALL_SITE_INIT"));
            }
            long key = siteKey(k, site);
            if (key != prevKey) {
                prevKey = key;
                long siteMod = k.slab().kmalloc(k.off("static_call_mod_sizeof"), Gfp.KERNEL | Gfp.ZERO);
                if (siteMod == 0) {
                    return fail(k, mod, -Errno.ENOMEM);
                }
                long typeAt = key + k.off("static_call_key_type");
                long sites = keySites(k, key);
                if (sites != 0) {
                    mem.write64(siteMod + k.off("static_call_mod_mod"), 0);
                    mem.write64(siteMod + k.off("static_call_mod_next"), 0);
                    mem.write64(siteMod + k.off("static_call_mod_sites"), sites);
                    mem.write64(typeAt, siteMod);
                    siteMod = k.slab().kmalloc(k.off("static_call_mod_sizeof"), Gfp.KERNEL | Gfp.ZERO);
                    if (siteMod == 0) {
                        return fail(k, mod, -Errno.ENOMEM);
                    }
                }
                mem.write64(siteMod + k.off("static_call_mod_mod"), mod.thisModule());
                mem.write64(siteMod + k.off("static_call_mod_sites"), site);
                mem.write64(siteMod + k.off("static_call_mod_next"), keyNext(k, key));
                mem.write64(typeAt, siteMod);
            }
            ArchStaticCall.archStaticCallTransform(k, siteAddr, 0, mem.read64(key + k.off("static_call_key_func")),
                    isTail(k, site));
        }
        return 0;
    }

    /** {@code static_call_module_notify()}'s failure path: the warning, then the sites unlinked. */
    private static int fail(KernelContext k, Module mod, int err) {
        k.printk(4, "Failed to allocate memory for static calls");
        delModule(k, mod);
        return err;
    }

    /** {@code static_call_del_module()}, run by the module notifier when {@code mod} is GOING. */
    public static void delModule(KernelContext k, Module mod) {
        int size = k.off("static_call_site_sizeof");
        long start = mod.sectionAddress(".static_call_sites");
        long stop = start + mod.sectionSize(".static_call_sites") / size * size;
        AddressSpace mem = k.mem();
        long prevKey = 0;
        for (long site = start; site < stop; site += size) {
            long key = siteKey(k, site);
            if (!hasMods(k, key)) {
                break;
            }
            if (key == prevKey) {
                continue;
            }
            prevKey = key;
            long prevAt = key + k.off("static_call_key_type");
            long sm = mem.read64(prevAt);
            while (sm != 0 && mem.read64(sm + k.off("static_call_mod_mod")) != mod.thisModule()) {
                prevAt = sm + k.off("static_call_mod_next");
                sm = mem.read64(prevAt);
            }
            if (sm == 0) {
                continue;
            }
            mem.write64(prevAt, mem.read64(sm + k.off("static_call_mod_next")));
            k.slab().kfree(sm);
        }
    }
}
