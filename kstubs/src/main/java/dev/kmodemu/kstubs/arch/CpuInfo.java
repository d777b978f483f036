package dev.kmodemu.kstubs.arch;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;

import java.nio.charset.StandardCharsets;

/**
 * arch/x86/kernel/cpu/common.c: {@code boot_cpu_data} and the per-cpu {@code cpu_info}, the
 * {@code struct cpuinfo_x86} module code reads (family, model, vendor, feature words through
 * {@code boot_cpu_has()}), identified as {@code identify_cpu()} does: by executing CPUID on the
 * emulated CPU at boot. The hardware feature words are CPUID's; of the Linux-defined ones what
 * holds for every x86-64 CPU is set (ALWAYS, NOPL, CPUID), and for an Intel CPU what
 * {@code early_init_intel()} and {@code init_intel()} (arch/x86/kernel/cpu/intel.c) decide from
 * family, model and {@code MSR_IA32_MISC_ENABLE} for string and TSC handling (REP_GOOD, ERMS kept
 * only with fast strings enabled, LFENCE_RDTSC); those are what module alternatives test. The
 * emulated CPU comes out of reset with {@code MSR_IA32_MISC_ENABLE} as QEMU resets it (fast
 * strings on, BTS and PEBS unavailable). No speculation mitigation is selected (no RETPOLINE, no
 * RETHUNK), matching the kernel's thunks here. {@code loops_per_jiffy},
 * {@code cpu_khz} and {@code tsc_khz} describe the emulated CPU's 1 GHz clock, the rate
 * {@code __delay()} counts loops at.
 */
public final class CpuInfo {
    private CpuInfo() {
    }

    @KernelData(value = "boot_cpu_data", sizeOf = "cpuinfo_x86_sizeof", align = 64)
    static void bootCpuData(KernelContext k, long at) {
    }

    @KernelData(value = "cpu_info", section = Machine.Section.PERCPU, sizeOf = "cpuinfo_x86_sizeof", align = 64)
    static void cpuInfo(KernelContext k, long at) {
    }

    /** {@code unsigned int cpu_khz}: 1 GHz. */
    @KernelData(value = "cpu_khz", size = 4)
    static void cpuKhz(KernelContext k, long at) {
        k.mem().write32(at, 1_000_000);
    }

    /** {@code unsigned int tsc_khz}: 1 GHz. */
    @KernelData(value = "tsc_khz", size = 4)
    static void tscKhz(KernelContext k, long at) {
        k.mem().write32(at, 1_000_000);
    }

    /** {@code unsigned long loops_per_jiffy}: one loop per nanosecond. */
    @KernelData("loops_per_jiffy")
    static void loopsPerJiffy(KernelContext k, long at) {
        k.mem().write64(at, 1_000_000_000L / k.profile().hz());
    }

    private static int off(KernelContext k, String field) {
        return k.off("cpuinfo_x86_" + field);
    }

    private static void setCap(KernelContext k, long caps, String feature, boolean on) {
        int bit = (int) k.profile().value(feature);
        long w = caps + (bit / 32) * 4L;
        int v = k.mem().read32(w);
        k.mem().write32(w, on ? v | (1 << (bit % 32)) : v & ~(1 << (bit % 32)));
    }

    private static boolean hasCap(KernelContext k, long caps, String feature) {
        int bit = (int) k.profile().value(feature);
        return (k.mem().read32(caps + (bit / 32) * 4L) & (1 << (bit % 32))) != 0;
    }

    /**
     * The string and TSC capabilities of {@code early_init_intel()} and {@code init_intel()} on
     * x86-64: fast strings disabled in {@code MSR_IA32_MISC_ENABLE} clear REP_GOOD and ERMS
     * (the kernel also logs "Disabled fast string operations" then); SSE2 gives LFENCE_RDTSC;
     * family 6 gives REP_GOOD.
     */
    private static void initIntel(KernelContext k, long caps, int family, int model) {
        // x86_cpu_reset() of QEMU: MSR_IA32_MISC_ENABLE_DEFAULT
        long misc = k.profile().value("MSR_IA32_MISC_ENABLE");
        k.call(k.sym("kmodemu_native_cpu_write_msr"), misc, k.profile().value("MSR_IA32_MISC_ENABLE_FAST_STRING")
                | k.profile().value("MSR_IA32_MISC_ENABLE_BTS_UNAVAIL")
                | k.profile().value("MSR_IA32_MISC_ENABLE_PEBS_UNAVAIL"), 0);
        boolean fastStrings = true;
        if (family > 6 || (family == 6 && model >= 0xd)) {
            long v = k.call(k.sym("kmodemu_native_cpu_read_msr"), misc);
            fastStrings = (v & k.profile().value("MSR_IA32_MISC_ENABLE_FAST_STRING")) != 0;
        }
        if (hasCap(k, caps, "X86_FEATURE_XMM2")) {
            setCap(k, caps, "X86_FEATURE_LFENCE_RDTSC", true);
        }
        if (family == 6) {
            setCap(k, caps, "X86_FEATURE_REP_GOOD", true);
        }
        if (!fastStrings) {
            setCap(k, caps, "X86_FEATURE_REP_GOOD", false);
            setCap(k, caps, "X86_FEATURE_ERMS", false);
        }
    }

    /** {@code boot_cpu_has(feature)}: a bit of boot_cpu_data's capability and bug words. */
    public static boolean bootCpuHas(KernelContext k, int bit) {
        long caps = k.sym("boot_cpu_data") + k.off("cpuinfo_x86_x86_capability");
        return (k.mem().read32(caps + (bit / 32) * 4L) & (1 << (bit % 32))) != 0;
    }

    /** Runs CPUID (leaf, subleaf) on the emulated CPU: {eax, ebx, ecx, edx}. */
    private static int[] cpuid(KernelContext k, long buf, int leaf, int subleaf) {
        AddressSpace mem = k.mem();
        mem.write32(buf, leaf);
        mem.write32(buf + 8, subleaf);
        k.call(k.sym("kmodemu_native_cpu_cpuid"), buf, buf + 4, buf + 8, buf + 12);
        return new int[] {mem.read32(buf), mem.read32(buf + 4), mem.read32(buf + 8), mem.read32(buf + 12)};
    }

    /** {@code identify_boot_cpu()}: fills boot_cpu_data and this CPU's cpu_info. Called once at boot. */
    public static void boot(KernelContext k) {
        long buf = k.slab().kmalloc(16, 0);
        int size = k.off("cpuinfo_x86_sizeof");
        long c = k.sym("boot_cpu_data");
        AddressSpace mem = k.mem();
        int[] r0 = cpuid(k, buf, 0, 0);
        int maxLeaf = r0[0];
        byte[] vendor = new byte[12];
        for (int i = 0; i < 4; i++) {
            vendor[i] = (byte) (r0[1] >>> (8 * i));
            vendor[4 + i] = (byte) (r0[3] >>> (8 * i));
            vendor[8 + i] = (byte) (r0[2] >>> (8 * i));
        }
        String vendorId = new String(vendor, StandardCharsets.ISO_8859_1);
        mem.write32(c + off(k, "cpuid_level"), maxLeaf);
        mem.write(c + off(k, "x86_vendor_id"), vendor);
        // X86_VENDOR_INTEL 0, _CYRIX 1, _AMD 2, ... _HYGON 9, _ZHAOXIN 10; unknown 0xff
        int vendorNo = switch (vendorId) {
            case "GenuineIntel" -> 0;
            case "AuthenticAMD" -> 2;
            case "HygonGenuine" -> 9;
            case "CentaurHauls" -> 5;
            default -> 0xff;
        };
        mem.write8(c + off(k, "x86_vendor"), vendorNo);
        int capAt = off(k, "x86_capability");
        int[] r1 = cpuid(k, buf, 1, 0);
        int family = (r1[0] >>> 8) & 0xf;
        int model = (r1[0] >>> 4) & 0xf;
        if (family == 0xf) {
            family += (r1[0] >>> 20) & 0xff;
        }
        if (family >= 6) {
            model += ((r1[0] >>> 16) & 0xf) << 4;
        }
        mem.write8(c + off(k, "x86"), family);
        mem.write8(c + off(k, "x86_model"), model);
        mem.write8(c + off(k, "x86_stepping"), r1[0] & 0xf);
        int clflush = ((r1[1] >>> 8) & 0xff) * 8;
        mem.write16(c + off(k, "x86_clflush_size"), clflush);
        mem.write32(c + off(k, "x86_cache_alignment"), clflush);
        mem.write32(c + capAt, r1[3]);
        mem.write32(c + capAt + 4 * 4, r1[2]);
        if (maxLeaf >= 7) {
            int[] r7 = cpuid(k, buf, 7, 0);
            mem.write32(c + capAt + 9 * 4, r7[1]);
            mem.write32(c + capAt + 16 * 4, r7[2]);
            mem.write32(c + capAt + 18 * 4, r7[3]);
        }
        if (maxLeaf >= 6) {
            mem.write32(c + capAt + 14 * 4, cpuid(k, buf, 6, 0)[0]);
        }
        int ext = cpuid(k, buf, 0x80000000, 0)[0];
        mem.write32(c + off(k, "extended_cpuid_level"), ext);
        if (Integer.compareUnsigned(ext, 0x80000001) >= 0) {
            int[] e1 = cpuid(k, buf, 0x80000001, 0);
            mem.write32(c + capAt + 4, e1[3]);
            mem.write32(c + capAt + 6 * 4, e1[2]);
        }
        if (Integer.compareUnsigned(ext, 0x80000004) >= 0) {
            byte[] brand = new byte[48];
            for (int l = 0; l < 3; l++) {
                int[] b = cpuid(k, buf, 0x80000002 + l, 0);
                for (int reg = 0; reg < 4; reg++) {
                    for (int i = 0; i < 4; i++) {
                        brand[l * 16 + reg * 4 + i] = (byte) (b[reg] >>> (8 * i));
                    }
                }
            }
            // get_model_name(): NUL at 48, leading spaces dropped, trailing blanks trimmed
            String name = new String(brand, StandardCharsets.ISO_8859_1);
            int nul = name.indexOf('\0');
            name = (nul >= 0 ? name.substring(0, nul) : name).strip();
            mem.write(c + off(k, "x86_model_id"), name.getBytes(StandardCharsets.ISO_8859_1));
        }
        if (Integer.compareUnsigned(ext, 0x80000007) >= 0) {
            mem.write32(c + off(k, "x86_power"), cpuid(k, buf, 0x80000007, 0)[3]);
        }
        if (Integer.compareUnsigned(ext, 0x80000008) >= 0) {
            int[] e8 = cpuid(k, buf, 0x80000008, 0);
            mem.write8(c + off(k, "x86_phys_bits"), e8[0] & 0xff);
            mem.write8(c + off(k, "x86_virt_bits"), (e8[0] >>> 8) & 0xff);
            mem.write32(c + capAt + 13 * 4, e8[1]);
        } else {
            mem.write8(c + off(k, "x86_phys_bits"), 36);
            mem.write8(c + off(k, "x86_virt_bits"), 48);
        }
        mem.write8(c + off(k, "x86_cache_bits"), mem.read8(c + off(k, "x86_phys_bits")));
        for (String f : new String[] {"X86_FEATURE_ALWAYS", "X86_FEATURE_NOPL", "X86_FEATURE_CPUID"}) {
            setCap(k, c + capAt, f, true);
        }
        if (vendorNo == 0) {
            initIntel(k, c + capAt, family, model);
        }
        mem.write64(c + off(k, "loops_per_jiffy"), 1_000_000_000L / k.profile().hz());
        mem.write16(c + off(k, "x86_max_cores"), 1);
        mem.write16(c + off(k, "booted_cores"), 1);
        mem.write16(c + off(k, "cpu_index"), 0);
        // this CPU's cpu_info is a copy (identify_secondary_cpu() for the boot CPU)
        mem.write(k.machine().percpu("cpu_info"), mem.read(c, size));
        k.slab().kfree(buf);
    }
}
