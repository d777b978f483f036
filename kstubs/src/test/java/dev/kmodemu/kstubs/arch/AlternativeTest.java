package dev.kmodemu.kstubs.arch;

import dev.kmodemu.kstubs.Kernel;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.module.Module;
import dev.kmodemu.testmods.TestMods;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code module_finalize()} (arch/x86/kernel/module.c, alternative.c) leaves in a module's
 * text on the emulated CPU: direct calls for paravirt sites and the native instructions their
 * alternatives inline, indirect calls for retpoline thunk calls, {@code ret} for return-thunk
 * jumps, {@code ds} for {@code lock} prefixes (one CPU), and the CPU's features in boot_cpu_data.
 */
class AlternativeTest {
    Kernel k;
    KernelContext c;

    @BeforeEach
    void boot() {
        k = Kernel.boot();
        c = k.context();
    }

    @AfterEach
    void close() {
        k.close();
    }

    private Module load(String dir, String name) {
        k.insmod(name + ".ko", TestMods.ko(dir, name), "");
        return k.modules().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
    }

    /** The addresses a table of 32-bit self-relative offsets points at. */
    private List<Long> sites(Module m, String section) {
        List<Long> out = new ArrayList<>();
        long s = m.sectionAddress(section);
        for (long p = s; p < s + m.sectionSize(section); p += 4) {
            out.add(p + c.mem().read32(p));
        }
        return out;
    }

    private String hex(long at, int n) {
        return HexFormat.of().formatHex(c.mem().peek(at, n));
    }

    @Test
    void theCpuFeaturesIdentifyCpuSets() {
        // init_intel(): an Intel family 6 CPU with fast strings enabled keeps ERMS, gains REP_GOOD,
        // and with SSE2 LFENCE_RDTSC; no mitigation thunks are wanted
        assertTrue(CpuInfo.bootCpuHas(c, (int) c.profile().value("X86_FEATURE_REP_GOOD")));
        assertTrue(CpuInfo.bootCpuHas(c, (int) c.profile().value("X86_FEATURE_ERMS")));
        assertTrue(CpuInfo.bootCpuHas(c, (int) c.profile().value("X86_FEATURE_LFENCE_RDTSC")));
        assertTrue(!CpuInfo.bootCpuHas(c, (int) c.profile().value("X86_FEATURE_RETPOLINE")));
        assertTrue(!CpuInfo.bootCpuHas(c, (int) c.profile().value("X86_FEATURE_RETHUNK")));
        assertEquals(0x1801, c.call(c.sym("kmodemu_native_cpu_read_msr"), c.profile().value("MSR_IA32_MISC_ENABLE")));
    }

    @Test
    void returnThunkJumpsBecomeRet() {
        Module m = load("chardev", "chardev");
        long text = m.sectionAddress(".text");
        long exit = m.sectionAddress(".exit.text");
        int checked = 0;
        for (long at : sites(m, ".return_sites")) {
            if (!m.withinModuleInit(at) && m.contains(at)) {   // init text is gone once init ran
                assertEquals("c3cccccccc", hex(at, 5), "at 0x" + Long.toHexString(at));
                checked++;
            }
        }
        assertTrue(checked > 0, "core text has return sites: .text at 0x" + Long.toHexString(text) + ", exit at 0x"
                + Long.toHexString(exit));
    }

    @Test
    void paravirtSitesAreInlinedByTheirAlternatives() {
        Module m = load("pvops", "pvops");
        // pvops_exit(): "call *pv_ops+save_fl(%rip)" (6 bytes) -> apply_paravirt(): a direct call and
        // a NOP -> the ALT_NOT(X86_FEATURE_XENPV) alternative: "pushf; pop %rax", a 4-byte NOP
        long exit = m.sectionAddress(".exit.text");
        assertEquals("9c580f1f4000", hex(exit, 6));
        k.rmmod("pvops");
        assertTrue(k.dmesg().contains("pvops: exit, irqs enabled\n"), k.dmesg());
    }

    @Test
    void retpolineCallsBecomeIndirectCalls() {
        Module m = load("cdevioctl", "cdevioctl");
        long text = m.sectionAddress(".text");
        long end = text + m.sectionSize(".text");
        List<String> seen = new ArrayList<>();
        for (long at : sites(m, ".retpoline_sites")) {
            if (at >= text && at < end) {
                seen.add(hex(at, 5));
            }
        }
        // "call __x86_indirect_thunk_rax" -> "call *%rax" and a 3-byte NOP
        assertEquals(List.of("ffd00f1f00"), seen);
    }

    @Test
    void lockPrefixesBecomeDsOnOneCpu() {
        Module m = load("chardev", "chardev");
        long text = m.sectionAddress(".text");
        long end = text + m.sectionSize(".text");
        List<String> seen = new ArrayList<>();
        for (long at : sites(m, ".smp_locks")) {
            if (at >= text && at < end) {
                seen.add(hex(at, 4));
            }
        }
        // chardev_open()'s atomic_cmpxchg(): "lock cmpxchg" -> "ds cmpxchg"
        assertEquals(List.of("3e0fb115"), seen);
    }

    @Test
    void clearUserCallsTheVariantForThisCpu() {
        Module m = load("uaccess_inline", "uaccess_inline");
        long fn = m.address("ui_clear_user");
        byte[] code = c.mem().peek(fn, 96);
        String h = HexFormat.of().formatHex(code);
        // stac (an X86_FEATURE_SMAP alternative), "xor %eax,%eax", then the clear_user site
        int stac = h.indexOf("0f01cb31c0");
        assertTrue(stac >= 0 && stac % 2 == 0, h);
        int at = stac / 2 + 5;
        assertEquals(0xe8, code[at] & 0xff, h);
        long dest = fn + at + 5 + c.mem().read32(fn + at + 1);
        assertEquals(c.sym("clear_user_erms"), dest);
    }
}
