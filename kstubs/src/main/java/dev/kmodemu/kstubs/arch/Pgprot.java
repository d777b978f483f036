package dev.kmodemu.kstubs.arch;

import dev.kmodemu.firmware.Profile;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * arch/x86/mm/pgprot.c: {@code protection_map[]} and {@code vm_get_page_prot()}. No memory
 * encryption, no protection keys; {@code __supported_pte_mask} has every bit of these protections
 * (the CPU has NX).
 */
public final class Pgprot {
    private Pgprot() {
    }

    /** {@code protection_map[VM_READ|VM_WRITE|VM_EXEC|VM_SHARED]}, by index. */
    private static final String[] MAP = {"PAGE_NONE", "PAGE_READONLY", "PAGE_COPY", "PAGE_COPY", "PAGE_READONLY_EXEC",
        "PAGE_READONLY_EXEC", "PAGE_COPY_EXEC", "PAGE_COPY_EXEC", "PAGE_NONE", "PAGE_READONLY", "PAGE_SHARED",
        "PAGE_SHARED", "PAGE_READONLY_EXEC", "PAGE_READONLY_EXEC", "PAGE_SHARED_EXEC", "PAGE_SHARED_EXEC"};

    /** pgprot_t vm_get_page_prot(unsigned long vm_flags) */
    @KernelSymbol("vm_get_page_prot")
    public static long vmGetPageProt(KernelContext k, long vmFlags) {
        Profile p = k.profile();
        int idx = (int) (((vmFlags & p.value("VM_READ")) != 0 ? 1 : 0) | ((vmFlags & p.value("VM_WRITE")) != 0 ? 2 : 0)
                | ((vmFlags & p.value("VM_EXEC")) != 0 ? 4 : 0) | ((vmFlags & p.value("VM_SHARED")) != 0 ? 8 : 0));
        return p.value(MAP[idx]);
    }
}
