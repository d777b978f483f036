package dev.kmodemu.kstubs.kernel;

import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;

/**
 * arch/x86/kernel/paravirt.c: {@code pv_ops}, through which module code built with
 * CONFIG_PARAVIRT_XXL saves, disables and enables interrupts ({@code irqs_disabled()},
 * {@code local_irq_save()}, ... call {@code *pv_ops.irq.*} when alternatives are not patched).
 * The native operations are real code, since their callers expect every register but rax kept.
 * The other groups (cpu, mmu, lock) are left NULL: no module seen uses them directly.
 */
public final class Paravirt {
    private Paravirt() {
    }

    /** {@code struct paravirt_patch_template pv_ops} with the native irq operations. */
    @KernelData(value = "pv_ops", section = Machine.Section.RO_AFTER_INIT, sizeOf = "pv_ops_sizeof")
    static void pvOps(KernelContext k, long at) {
        Machine m = k.machine();
        // pushfq; pop %rax; ret  -  cli; ret  -  sti; ret
        long saveFl = m.defineCode("native_save_fl", new byte[] {(byte) 0x9c, 0x58, (byte) 0xc3});
        long disable = m.defineCode("native_irq_disable", new byte[] {(byte) 0xfa, (byte) 0xc3});
        long enable = m.defineCode("native_irq_enable", new byte[] {(byte) 0xfb, (byte) 0xc3});
        k.mem().pokeLong(at + k.off("pv_ops_irq_save_fl"), saveFl);
        k.mem().pokeLong(at + k.off("pv_ops_irq_irq_disable"), disable);
        k.mem().pokeLong(at + k.off("pv_ops_irq_irq_enable"), enable);
    }
}
