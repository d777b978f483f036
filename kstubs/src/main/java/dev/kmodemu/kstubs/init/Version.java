package dev.kmodemu.kstubs.init;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;

import java.nio.charset.StandardCharsets;

/**
 * init/version.c: {@code init_uts_ns}, the UTS namespace every task here is in: sysname "Linux",
 * the release and version of Debian's kernel (the profile's UTS_RELEASE and UTS_VERSION), machine
 * "x86_64", and nodename and domainname "(none)" as the kernel boots with them (no userspace sets
 * a hostname here).
 */
public final class Version {
    private Version() {
    }

    /** {@code struct uts_namespace init_uts_ns}. */
    @KernelData(value = "init_uts_ns", sizeOf = "uts_namespace_sizeof", align = 8)
    static void initUtsNs(KernelContext k, long at) {
        long name = at + k.off("uts_namespace_name");
        put(k, name + k.off("new_utsname_sysname"), "Linux");
        put(k, name + k.off("new_utsname_nodename"), "(none)");
        put(k, name + k.off("new_utsname_release"), k.profile().release());
        put(k, name + k.off("new_utsname_version"), k.profile().string("UTS_VERSION"));
        put(k, name + k.off("new_utsname_machine"), "x86_64");
        put(k, name + k.off("new_utsname_domainname"), "(none)");
        k.mem().write64(at + k.off("uts_namespace_user_ns"), k.sym("init_user_ns"));
    }

    private static void put(KernelContext k, long at, String s) {
        AddressSpace m = k.mem();
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        m.write(at, b);
        m.write8(at + b.length, 0);
    }
}
