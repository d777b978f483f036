package dev.kmodemu.kstubs.mm;

import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.arch.Head64;

/** mm/memory.c: the data it defines. */
public final class Memory {
    private Memory() {
    }

    /** {@code unsigned long zero_pfn}: {@code page_to_pfn(ZERO_PAGE(0))}, what {@code my_zero_pfn()} reads. */
    @KernelData(value = "zero_pfn", size = 8)
    static void zeroPfn(KernelContext k, long at) {
        k.mem().write64(at, Head64.zeroPfn(k, k.sym("empty_zero_page")));
    }

    /** {@code void *high_memory}: the end of the direct map ({@code __va(max_pfn << PAGE_SHIFT)}). */
    @KernelData(value = "high_memory", size = 8)
    static void highMemory(KernelContext k, long at) {
        k.mem().write64(at, k.machine().pageOffsetBase() + Machine.DIRECT_MAP_SIZE);
    }
}
