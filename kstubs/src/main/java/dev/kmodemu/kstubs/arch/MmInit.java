package dev.kmodemu.kstubs.arch;

import dev.kmodemu.firmware.Profile;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * arch/x86/mm/init.c: the tables between page cache modes and the cache bits of a pte, as
 * {@code pat_init()} leaves them on a CPU with PAT (the oracle's QEMU machine: "x86/PAT:
 * Configuration [0-7]: WB WC UC- UC WB WP UC- WT"); {@code __init_cache_modes()} fills them from
 * entry 7 down, so each mode gets its lowest PAT entry.
 */
public final class MmInit {
    private MmInit() {
    }

    /** The PAT MSR's eight entries, as cache modes (profile keys). */
    private static final String[] PAT = {"_PAGE_CACHE_MODE_WB", "_PAGE_CACHE_MODE_WC", "_PAGE_CACHE_MODE_UC_MINUS",
        "_PAGE_CACHE_MODE_UC", "_PAGE_CACHE_MODE_WB", "_PAGE_CACHE_MODE_WP", "_PAGE_CACHE_MODE_UC_MINUS",
        "_PAGE_CACHE_MODE_WT"};

    /** {@code __cm_idx2pte()}: the PAT, PCD and PWT bits selecting PAT entry {@code idx}. */
    private static long idxToPte(Profile p, int idx) {
        return ((idx & 4) != 0 ? p.value("_PAGE_PAT") : 0) | ((idx & 2) != 0 ? p.value("_PAGE_PCD") : 0)
                | ((idx & 1) != 0 ? p.value("_PAGE_PWT") : 0);
    }

    /** {@code __cachemode2pte_tbl[pcm]}: the lowest PAT entry with that mode. */
    public static long cachemodeToProtval(KernelContext k, int pcm) {
        Profile p = k.profile();
        for (int i = 0; i < PAT.length; i++) {
            if (p.value(PAT[i]) == pcm) {
                return idxToPte(p, i);
            }
        }
        // modes no entry holds fall back to UC- (the static defaults of __cachemode2pte_tbl)
        return p.value("_PAGE_PCD");
    }

    /** {@code pgprot2cachemode()}: the mode of the PAT entry a pte's cache bits select. */
    public static int pgprotToCachemode(KernelContext k, long prot) {
        Profile p = k.profile();
        int idx = ((prot & p.value("_PAGE_PAT")) != 0 ? 4 : 0) | ((prot & p.value("_PAGE_PCD")) != 0 ? 2 : 0)
                | ((prot & p.value("_PAGE_PWT")) != 0 ? 1 : 0);
        return (int) p.value(PAT[idx]);
    }

    /** unsigned long cachemode2protval(enum page_cache_mode pcm) */
    @KernelSymbol("cachemode2protval")
    static long cachemode2protval(KernelContext k, int pcm) {
        return pcm == 0 ? 0 : cachemodeToProtval(k, pcm);
    }
}
