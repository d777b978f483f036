package dev.kmodemu.kstubs.kernel;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;

/**
 * kernel/audit.c: {@code audit_enabled} is {@code AUDIT_OFF} (0), as on a kernel booted without
 * {@code audit=1} and with no audit daemon running.
 */
public final class Audit {
    private Audit() {
    }

    @KernelData(value = "audit_enabled", size = 4, align = 4)
    static void auditEnabled(KernelContext k, long at) {
        k.mem().write32(at, 0);
    }
}
