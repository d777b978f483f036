package dev.kmodemu.kstubs.kernel;

import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;

/**
 * kernel/cpu.c's CPU masks for the one emulated CPU: CPU 0 is possible, present, online and
 * active (none dying), {@code __num_online_cpus} is 1, and the constant tables behind
 * {@code cpumask_of()} ({@code cpu_bit_bitmap}) and {@code cpu_all_mask} ({@code cpu_all_bits}).
 * Also arch/x86/mm/numa.c's {@code node_to_cpumask_map} (node 0 holds CPU 0).
 */
public final class Cpu {
    private Cpu() {
    }

    /** {@code struct cpumask} is NR_CPUS (8192) bits. */
    private static final long CPUMASK = 1024;

    private static void cpu0(KernelContext k, long mask) {
        if (k.profile().value("cpumask_sizeof") != CPUMASK) {
            throw new IllegalStateException("struct cpumask is not " + CPUMASK + " bytes");
        }
        k.mem().write64(mask, 1);
    }

    @KernelData(value = "__cpu_possible_mask", section = Machine.Section.RO_AFTER_INIT, size = CPUMASK, align = 64)
    static void possible(KernelContext k, long at) {
        cpu0(k, at);
    }

    @KernelData(value = "__cpu_online_mask", size = CPUMASK, align = 64)
    static void online(KernelContext k, long at) {
        cpu0(k, at);
    }

    @KernelData(value = "__cpu_present_mask", size = CPUMASK, align = 64)
    static void present(KernelContext k, long at) {
        cpu0(k, at);
    }

    @KernelData(value = "__cpu_active_mask", size = CPUMASK, align = 64)
    static void active(KernelContext k, long at) {
        cpu0(k, at);
    }

    @KernelData(value = "__cpu_dying_mask", size = CPUMASK, align = 64)
    static void dying(KernelContext k, long at) {
    }

    /** {@code atomic_t __num_online_cpus}, read by the inline {@code num_online_cpus()}. */
    @KernelData(value = "__num_online_cpus", size = 4, align = 4)
    static void numOnlineCpus(KernelContext k, long at) {
        k.mem().write32(at, 1);
    }

    /**
     * {@code const unsigned long cpu_bit_bitmap[BITS_PER_LONG+1][BITS_TO_LONGS(NR_CPUS)]}: row
     * {@code 1 + n} has bit {@code n} set in its first word ({@code get_cpu_mask()} steps back
     * from there to reach CPUs beyond 63).
     */
    @KernelData(value = "cpu_bit_bitmap", section = Machine.Section.RODATA, size = 65 * CPUMASK, align = 64)
    static void cpuBitBitmap(KernelContext k, long at) {
        byte[] table = new byte[(int) (65 * CPUMASK)];
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(table).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int n = 0; n < 64; n++) {
            b.putLong((int) ((n + 1) * CPUMASK), 1L << n);
        }
        k.mem().poke(at, table);
    }

    /** {@code const DECLARE_BITMAP(cpu_all_bits, NR_CPUS) = CPU_BITS_ALL}. */
    @KernelData(value = "cpu_all_bits", section = Machine.Section.RODATA, size = CPUMASK, align = 64)
    static void cpuAllBits(KernelContext k, long at) {
        byte[] all = new byte[(int) CPUMASK];
        java.util.Arrays.fill(all, (byte) 0xff);
        k.mem().poke(at, all);
    }

    /**
     * {@code cpumask_var_t node_to_cpumask_map[MAX_NUMNODES]} (off-stack masks): node 0's mask,
     * which has CPU 0, is stored right behind the array; the other nodes have none.
     */
    @KernelData(value = "node_to_cpumask_map", size = 8 * 1024 + CPUMASK, align = 64)
    static void nodeToCpumaskMap(KernelContext k, long at) {
        if (k.profile().value("MAX_NUMNODES") > 1024) {
            throw new IllegalStateException("node_to_cpumask_map larger than reserved");
        }
        long mask = at + 8 * 1024;
        cpu0(k, mask);
        k.mem().write64(at, mask);
    }
}
