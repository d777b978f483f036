package dev.kmodemu.kstubs.lib;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.mm.Gfp;

/** lib/memcat_p.c: concatenating two NULL-terminated arrays of pointers. */
public final class MemcatP {
    private MemcatP() {
    }

    /**
     * {@code void **__memcat_p(void **a, void **b)}: a kmalloc'd array holding {@code a}'s
     * pointers, then {@code b}'s, then NULL; NULL if the allocation fails.
     */
    @KernelSymbol("__memcat_p")
    static long memcatP(KernelContext k, long a, long b) {
        AddressSpace mem = k.mem();
        int na = 0;
        while (mem.read64(a + 8L * na) != 0) {
            na++;
        }
        int nb = 0;
        while (mem.read64(b + 8L * nb) != 0) {
            nb++;
        }
        long nr = na + nb + 1L;
        long out = k.slab().kmalloc(nr * 8, Gfp.KERNEL);
        if (out == 0) {
            return 0;
        }
        for (int i = 0; i < na; i++) {
            mem.write64(out + 8L * i, mem.read64(a + 8L * i));
        }
        for (int i = 0; i <= nb; i++) {
            mem.write64(out + 8L * (na + i), mem.read64(b + 8L * i));
        }
        return out;
    }
}
