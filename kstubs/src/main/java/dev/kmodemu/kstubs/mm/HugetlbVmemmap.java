package dev.kmodemu.kstubs.mm;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;

/**
 * mm/hugetlb_vmemmap.c: the vmemmap of HugeTLB pages is never optimised here (there are no
 * HugeTLB pages), so the key {@code compound_head()} tests inline stays off.
 */
public final class HugetlbVmemmap {
    private HugetlbVmemmap() {
    }

    /** {@code DEFINE_STATIC_KEY_FALSE(hugetlb_optimize_vmemmap_key)}. */
    @KernelData(value = "hugetlb_optimize_vmemmap_key", sizeOf = "static_key_false_sizeof")
    static void hugetlbOptimizeVmemmapKey(KernelContext k, long at) {
    }
}
