package dev.kmodemu.kstubs.arch;

import dev.kmodemu.kstubs.Kernel;
import dev.kmodemu.kstubs.KernelContext;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** boot_cpu_data and cpu_info as identify_cpu() fills them from the emulated CPU's CPUID. */
class CpuInfoTest {
    @Test
    void theBootCpuIsIdentifiedFromCpuid() {
        try (Kernel kernel = Kernel.boot()) {
            KernelContext k = kernel.context();
            long c = k.sym("boot_cpu_data");
            assertEquals("GenuineIntel", k.mem().readCString(c + k.off("cpuinfo_x86_x86_vendor_id"), 16));
            assertEquals(0, k.mem().read8(c + k.off("cpuinfo_x86_x86_vendor")), "X86_VENDOR_INTEL");
            assertEquals(6, k.mem().read8(c + k.off("cpuinfo_x86_x86")), "family 6");
            int word0 = k.mem().read32(c + k.off("cpuinfo_x86_x86_capability"));
            assertTrue((word0 & 1) != 0, "X86_FEATURE_FPU");
            assertTrue((word0 & (1 << 25)) != 0, "X86_FEATURE_XMM (SSE)");
            int word3 = k.mem().read32(c + k.off("cpuinfo_x86_x86_capability") + 12);
            assertTrue((word3 & (1 << (k.profile().value("X86_FEATURE_ALWAYS") % 32))) != 0);
            assertEquals(64, k.mem().read16(c + k.off("cpuinfo_x86_x86_clflush_size")));
            long mine = k.machine().percpu("cpu_info");
            assertEquals(new String(k.mem().read(c, 64)), new String(k.mem().read(mine, 64)), "this CPU's copy");
        }
    }
}
