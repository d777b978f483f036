package dev.kmodemu.kstubs.arch;

import dev.kmodemu.firmware.Profile;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.mm.Pages;

/**
 * arch/x86/mm/pat/memtype.c: memory types of pfn mappings with PAT enabled. RAM (every frame of
 * the direct map) has no memory type of its own set ({@code set_memory_uc()} is not provided), so
 * {@code lookup_memtype()} finds write-back there; other frames (device memory, of which there is
 * none) get the type asked for, without the conflict tracking of {@code memtype_reserve()}.
 */
public final class PatMemtype {
    private PatMemtype() {
    }

    /** {@code cattr_name()}. */
    static String cattrName(KernelContext k, int pcm) {
        Profile p = k.profile();
        if (pcm == p.value("_PAGE_CACHE_MODE_UC")) {
            return "uncached";
        }
        if (pcm == p.value("_PAGE_CACHE_MODE_UC_MINUS")) {
            return "uncached-minus";
        }
        if (pcm == p.value("_PAGE_CACHE_MODE_WB")) {
            return "write-back";
        }
        if (pcm == p.value("_PAGE_CACHE_MODE_WC")) {
            return "write-combining";
        }
        if (pcm == p.value("_PAGE_CACHE_MODE_WT")) {
            return "write-through";
        }
        if (pcm == p.value("_PAGE_CACHE_MODE_WP")) {
            return "write-protected";
        }
        return "broken";
    }

    /** {@code pat_pagerange_is_ram()}: true if the frames of {@code [start, end)} are all RAM. */
    static boolean isRam(KernelContext k, long start, long end) {
        return Pages.pfnValid(k, start >>> Pages.PAGE_SHIFT) && Pages.pfnValid(k, (end - 1) >>> Pages.PAGE_SHIFT);
    }

    /** {@code lookup_memtype()}: write-back for RAM, else the mode {@code want} (what the reservation got). */
    static int lookupMemtype(KernelContext k, long paddr, int want) {
        return isRam(k, paddr, paddr + Pages.PAGE) ? (int) k.profile().value("_PAGE_CACHE_MODE_WB") : want;
    }

    /** {@code prot} with its cache bits those of mode {@code pcm}. */
    static long withCachemode(KernelContext k, long prot, int pcm) {
        return (prot & ~k.profile().value("_PAGE_CACHE_MASK")) | MmInit.cachemodeToProtval(k, pcm);
    }

    /**
     * {@code track_pfn_remap()}: a remap of the whole vma reserves its range
     * ({@code reserve_pfn_range()}: for RAM asked for another mode than write-back, the kernel's
     * warning and write-back all the same) and marks the vma {@code VM_PAT}; a part of it gets the
     * memory type its frames have, all the same one or -EINVAL.
     *
     * @return the pte protection to use, or null for -EINVAL
     */
    public static Long trackPfnRemap(KernelContext k, long vma, long prot, long pfn, long addr, long size) {
        Profile p = k.profile();
        long paddr = pfn << Pages.PAGE_SHIFT;
        long start = k.mem().read64(vma + k.off("vm_area_struct_vm_start"));
        long end = k.mem().read64(vma + k.off("vm_area_struct_vm_end"));
        int want = MmInit.pgprotToCachemode(k, prot);
        if (addr == start && size == end - start) {
            if (isRam(k, paddr, paddr + size)) {
                int pcm = lookupMemtype(k, paddr, want);
                if (want != pcm) {
                    var t = k.tasks().current();
                    k.printk(4, String.format("x86/PAT: %s:%d map pfn RAM range req %s for [mem %#010x-%#010x], got %s",
                            t.comm(), t.pid(), cattrName(k, want), paddr, paddr + size - 1, cattrName(k, pcm)));
                    prot = withCachemode(k, prot, pcm);
                }
            }
            long flags = vma + k.off("vm_area_struct_vm_flags");
            k.mem().write64(flags, k.mem().read64(flags) | p.value("VM_PAT"));
            return prot;
        }
        int pcm = lookupMemtype(k, paddr, want);
        for (long off = Pages.PAGE; off < size; off += Pages.PAGE) {
            if (lookupMemtype(k, paddr + off, want) != pcm) {
                return null;
            }
        }
        return withCachemode(k, prot, pcm);
    }

    /** {@code track_pfn_insert()}: the frame's memory type in the protection. */
    public static long trackPfnInsert(KernelContext k, long prot, long pfn) {
        long paddr = pfn << Pages.PAGE_SHIFT;
        return withCachemode(k, prot, lookupMemtype(k, paddr, MmInit.pgprotToCachemode(k, prot)));
    }

    /** pgprot_t pgprot_writecombine(pgprot_t prot) */
    @KernelSymbol("pgprot_writecombine")
    static long pgprotWritecombine(KernelContext k, long prot) {
        return prot | MmInit.cachemodeToProtval(k, (int) k.profile().value("_PAGE_CACHE_MODE_WC"));
    }

    /** pgprot_t pgprot_writethrough(pgprot_t prot) */
    @KernelSymbol("pgprot_writethrough")
    static long pgprotWritethrough(KernelContext k, long prot) {
        return prot | MmInit.cachemodeToProtval(k, (int) k.profile().value("_PAGE_CACHE_MODE_WT"));
    }
}
