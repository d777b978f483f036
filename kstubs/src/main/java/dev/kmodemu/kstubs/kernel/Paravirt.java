package dev.kmodemu.kstubs.kernel;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * arch/x86/kernel/paravirt.c: {@code pv_ops} as a bare-metal boot leaves it, the native
 * operations. A module's {@code call *pv_ops+N(%rip)} sites are turned into direct calls to these
 * at load by {@code apply_paravirt()} ({@link dev.kmodemu.kstubs.arch.Alternative}), and where
 * the kernel inlines the native instruction by an alternative ({@code ALT_NOT(X86_FEATURE_XENPV)})
 * the module runs that instruction: irq flags and enable/disable, MSRs, cpuid, page table value
 * conversions, the queued spinlock unlock and the I/O delay. Code calling through the table
 * itself (a pointer taken from it) reaches the same functions.
 *
 * <p>Operations that are single instructions on bare metal are those instructions, run by the
 * CPU (they preserve every register but rax, as the callee-save slots require); the rest are Java.
 * Slots no module can sensibly use from a test kernel (descriptor tables, page table updates,
 * context switches) hold a {@code ud2} under a kallsyms name saying which operation it is, so a
 * call oopses with that name on the RIP line.
 */
public final class Paravirt {
    private Paravirt() {
    }

    /** One-instruction natives as machine code (pushf/pop, cli, sti, ...). */
    private static final Map<String, byte[]> CODE = new LinkedHashMap<>();

    static {
        byte[] identity = {0x48, (byte) 0x89, (byte) 0xf8, (byte) 0xc3};            // mov %rdi,%rax; ret
        CODE.put("irq_save_fl", new byte[] {(byte) 0x9c, 0x58, (byte) 0xc3});         // pushf; pop %rax; ret
        CODE.put("irq_irq_disable", new byte[] {(byte) 0xfa, (byte) 0xc3});           // cli; ret
        CODE.put("irq_irq_enable", new byte[] {(byte) 0xfb, (byte) 0xc3});            // sti; ret
        CODE.put("mmu_read_cr2", new byte[] {0x0f, 0x20, (byte) 0xd0, (byte) 0xc3});  // mov %cr2,%rax; ret
        CODE.put("mmu_read_cr3", new byte[] {0x0f, 0x20, (byte) 0xd8, (byte) 0xc3});  // mov %cr3,%rax; ret
        CODE.put("cpu_read_cr0", new byte[] {0x0f, 0x20, (byte) 0xc0, (byte) 0xc3});  // mov %cr0,%rax; ret
        for (String v : new String[] {"pte_val", "make_pte", "pgd_val", "make_pgd", "pmd_val", "make_pmd", "pud_val",
            "make_pud", "p4d_val", "make_p4d"}) {
            CODE.put("mmu_" + v, identity);
        }
        // __raw_callee_save___native_queued_spin_unlock: movb $0,(%rdi); ret
        CODE.put("lock_queued_spin_unlock", new byte[] {(byte) 0xc6, 0x07, 0x00, (byte) 0xc3});
        // __raw_callee_save___native_vcpu_is_preempted: false
        CODE.put("lock_vcpu_is_preempted", new byte[] {0x31, (byte) 0xc0, (byte) 0xc3});
        // native_cpuid(&eax, &ebx, &ecx, &edx): cpuid of the emulated CPU
        CODE.put("cpu_cpuid", new byte[] {0x53, 0x49, (byte) 0x89, (byte) 0xd0, 0x49, (byte) 0x89, (byte) 0xc9, 0x49,
            (byte) 0x89, (byte) 0xfa, 0x49, (byte) 0x89, (byte) 0xf3, (byte) 0x8b, 0x07, (byte) 0x8b, 0x0a, 0x0f,
            (byte) 0xa2, 0x41, (byte) 0x89, 0x02, 0x41, (byte) 0x89, 0x1b, 0x41, (byte) 0x89, 0x08, 0x41, (byte) 0x89,
            0x11, 0x5b, (byte) 0xc3});
        // native_read_msr(msr): rdmsr; native_write_msr(msr, low, high): wrmsr
        CODE.put("cpu_read_msr", new byte[] {(byte) 0x89, (byte) 0xf9, 0x0f, 0x32, 0x48, (byte) 0xc1, (byte) 0xe2, 0x20,
            0x48, 0x09, (byte) 0xd0, (byte) 0xc3});
        CODE.put("cpu_write_msr", new byte[] {(byte) 0x89, (byte) 0xf9, (byte) 0x89, (byte) 0xf0, 0x0f, 0x30,
            (byte) 0xc3});
    }

    /** Slots served by Java functions below, by their kmodemu-internal symbol. */
    private static final Map<String, String> JAVA = Map.ofEntries(
            Map.entry("cpu_io_delay", "kmodemu_native_io_delay"),
            Map.entry("cpu_wbinvd", "kmodemu_native_nop"),
            Map.entry("cpu_read_msr_safe", "kmodemu_native_read_msr_safe"),
            Map.entry("cpu_write_msr_safe", "kmodemu_native_write_msr_safe"),
            Map.entry("irq_safe_halt", "kmodemu_native_nop"),
            Map.entry("irq_halt", "kmodemu_native_nop"),
            Map.entry("mmu_flush_tlb_user", "kmodemu_native_nop"),
            Map.entry("mmu_flush_tlb_kernel", "kmodemu_native_nop"),
            Map.entry("mmu_flush_tlb_one_user", "kmodemu_native_nop"),
            Map.entry("mmu_flush_tlb_multi", "kmodemu_native_nop"),
            Map.entry("lock_queued_spin_lock_slowpath", "native_queued_spin_lock_slowpath"));

    /**
     * Slots the bare-metal {@code pv_ops} initialiser sets to {@code paravirt_nop}: the shared
     * {@code _paravirt_nop} ("ret"), whose call sites {@code apply_paravirt()} turns into NOPs.
     */
    private static final java.util.Set<String> PARAVIRT_NOP = java.util.Set.of("cpu_alloc_ldt", "cpu_free_ldt",
            "cpu_start_context_switch", "cpu_end_context_switch", "mmu_exit_mmap",
            "mmu_notify_page_enc_status_changed", "mmu_pgd_free", "mmu_alloc_pte", "mmu_alloc_pmd", "mmu_alloc_pud",
            "mmu_alloc_p4d", "mmu_release_pte", "mmu_release_pmd", "mmu_release_pud", "mmu_release_p4d",
            "mmu_dup_mmap", "mmu_activate_mm", "mmu_lazy_mode_enter", "mmu_lazy_mode_leave", "mmu_lazy_mode_flush",
            "lock_wait", "lock_kick");

    @KernelData(value = "pv_ops", sizeOf = "pv_ops_sizeof", align = 64)
    static void pvOps(KernelContext k, long at) {
        AddressSpace mem = k.mem();
        long paravirtNop = k.machine().defineCode("_paravirt_nop", new byte[] {(byte) 0xc3, (byte) 0xcc});
        for (Map.Entry<String, Long> slot : slots(k).entrySet()) {
            String op = slot.getKey();
            long fn;
            if (PARAVIRT_NOP.contains(op)) {
                fn = paravirtNop;
            } else if (CODE.containsKey(op)) {
                fn = k.machine().defineCode("kmodemu_native_" + op, CODE.get(op));
            } else if (JAVA.containsKey(op)) {
                fn = k.sym(JAVA.get(op));
            } else {
                fn = k.machine().defineCode("kmodemu_pv_ops_" + op + "_unavailable", new byte[] {0x0f, 0x0b});
            }
            mem.write64(at + slot.getValue(), fn);
        }
    }

    /** Every slot of the table with its offset, from the profile ({@code pv_ops_<group>_<op>}). */
    private static Map<String, Long> slots(KernelContext k) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : k.profile().valuesWithPrefix("pv_ops_").entrySet()) {
            if (!e.getKey().equals("sizeof")) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    /** {@code native_io_delay()}: an {@code outb} to port 0x80, about a microsecond. */
    @KernelSymbol(value = "kmodemu_native_io_delay", internal = true)
    static void ioDelay(KernelContext k) {
        k.clock().advance(1_000);
    }

    /** Natives with nothing to do here: no caches or TLB to flush, no other CPU to halt for or kick. */
    @KernelSymbol(value = "kmodemu_native_nop", internal = true)
    static void nop(KernelContext k) {
    }

    /**
     * {@code native_read_msr_safe(msr, &err)}: the emulated CPU is a generic one whose
     * model-specific registers modules cannot rely on; the read faults and is fixed up as on a
     * CPU without that MSR, err = -EIO, value 0.
     */
    @KernelSymbol(value = "kmodemu_native_read_msr_safe", internal = true)
    static long readMsrSafe(KernelContext k, int msr, long err) {
        k.mem().write32(err, -Errno.EIO);
        return 0;
    }

    /** {@code native_write_msr_safe(msr, low, high)}: -EIO, as for an MSR the CPU does not have. */
    @KernelSymbol(value = "kmodemu_native_write_msr_safe", internal = true)
    static int writeMsrSafe(KernelContext k, int msr, int low, int high) {
        return -Errno.EIO;
    }
}
