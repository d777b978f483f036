package dev.kmodemu.kstubs.arch;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.mm.Pages;

/** arch/x86/mm/physaddr.c: checking kernel virtual addresses against the memory map. */
public final class Physaddr {
    private Physaddr() {
    }

    /**
     * bool __virt_addr_valid(unsigned long x): an address of the kernel image (within
     * {@code KERNEL_IMAGE_SIZE} of {@code __START_KERNEL_map}, through {@code phys_base}) or of the
     * direct map (a physical address the CPU can form) whose frame is in the memory map.
     */
    @KernelSymbol("__virt_addr_valid")
    static boolean virtAddrValid(KernelContext k, long x) {
        long startKernelMap = k.profile().value("START_KERNEL_map");
        long y = x - startKernelMap;
        if (Long.compareUnsigned(x, y) > 0) {
            x = y + k.machine().physBase();
            if (Long.compareUnsigned(y, k.profile().value("KERNEL_IMAGE_SIZE")) >= 0) {
                return false;
            }
        } else {
            x = y + (startKernelMap - k.machine().pageOffsetBase());
            int physBits = k.mem().read8(k.sym("boot_cpu_data") + k.off("cpuinfo_x86_x86_phys_bits")) & 0xff;
            if (Long.compareUnsigned(x, y) > 0 || (x >>> physBits) != 0) {
                return false;
            }
        }
        return Pages.pfnValid(k, x >>> Pages.PAGE_SHIFT);
    }
}
