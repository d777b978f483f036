package dev.kmodemu.kstubs.arch;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.mm.Pages;

/** arch/x86/kernel/head_64.S: the data it defines that modules use. */
public final class Head64 {
    private Head64() {
    }

    /**
     * {@code empty_zero_page}: a page of zeroes, page aligned ({@code ZERO_PAGE()}). Its struct
     * page is as {@code reserve_bootmem_region()} leaves memory the kernel image occupies: one
     * reference and PG_reserved.
     */
    @KernelData(value = "empty_zero_page", size = 4096, align = 4096)
    static void emptyZeroPage(KernelContext k, long at) {
        long page = Pages.pfnToPage(k, zeroPfn(k, at));
        Pages.initSinglePage(k, page);
        Pages.set(k, page, "PG_reserved", true);
    }

    /** {@code __pa_symbol(empty_zero_page) >> PAGE_SHIFT}. */
    public static long zeroPfn(KernelContext k, long emptyZeroPage) {
        long pa = emptyZeroPage - k.profile().value("START_KERNEL_map") + k.machine().physBase();
        return pa >>> Pages.PAGE_SHIFT;
    }
}
