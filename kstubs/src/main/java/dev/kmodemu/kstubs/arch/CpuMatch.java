package dev.kmodemu.kstubs.arch;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/** arch/x86/kernel/cpu/match.c: matching {@code struct x86_cpu_id} tables against {@code boot_cpu_data}. */
public final class CpuMatch {
    private CpuMatch() {
    }

    /**
     * const struct x86_cpu_id *x86_match_cpu(const struct x86_cpu_id *match): the first entry whose
     * vendor, family, model, stepping set and feature (each unless "any") are the boot CPU's;
     * the table ends at an entry with vendor, family, model and feature all 0.
     */
    @KernelSymbol("x86_match_cpu")
    static long x86MatchCpu(KernelContext k, long match) {
        AddressSpace m = k.mem();
        long c = k.sym("boot_cpu_data");
        int vendor = m.read8(c + k.off("cpuinfo_x86_x86_vendor")) & 0xff;
        int family = m.read8(c + k.off("cpuinfo_x86_x86")) & 0xff;
        int model = m.read8(c + k.off("cpuinfo_x86_x86_model")) & 0xff;
        int stepping = m.read8(c + k.off("cpuinfo_x86_x86_stepping")) & 0xff;
        for (long e = match;; e += k.off("x86_cpu_id_sizeof")) {
            int mv = m.read16(e + k.off("x86_cpu_id_vendor")) & 0xffff;
            int mf = m.read16(e + k.off("x86_cpu_id_family")) & 0xffff;
            int mm = m.read16(e + k.off("x86_cpu_id_model")) & 0xffff;
            int ms = m.read16(e + k.off("x86_cpu_id_steppings")) & 0xffff;
            int feature = m.read16(e + k.off("x86_cpu_id_feature")) & 0xffff;
            if ((mv | mf | mm | feature) == 0) {
                return 0;
            }
            if (mv != k.off("X86_VENDOR_ANY") && vendor != mv) {
                continue;
            }
            if (mf != k.off("X86_FAMILY_ANY") && family != mf) {
                continue;
            }
            if (mm != k.off("X86_MODEL_ANY") && model != mm) {
                continue;
            }
            if (ms != k.off("X86_STEPPING_ANY") && ((1 << stepping) & ms) == 0) {
                continue;
            }
            if (feature != k.off("X86_FEATURE_ANY")) {
                long word = m.read32(c + k.off("cpuinfo_x86_x86_capability") + 4L * (feature >>> 5)) & 0xffffffffL;
                if (((word >>> (feature & 31)) & 1) == 0) {
                    continue;
                }
            }
            return e;
        }
    }
}
