package dev.kmodemu.kstubs.arch;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * arch/x86/lib/iomem.c: string copies to and from I/O memory. On bare metal and QEMU (no
 * confidential-computing guest, so not the unrolled variants) they are {@code rep movs}/
 * {@code memset} over the mapping, which is what these do in guest memory; the emulated machine
 * has no device memory behind an ioremap, so the mapping is RAM.
 */
public final class Iomem {
    private Iomem() {
    }

    /** void memcpy_fromio(void *to, const volatile void __iomem *from, size_t n) */
    @KernelSymbol("memcpy_fromio")
    static void memcpyFromio(KernelContext k, long to, long from, long n) {
        k.mem().copy(to, from, n);
    }

    /** void memcpy_toio(volatile void __iomem *to, const void *from, size_t n) */
    @KernelSymbol("memcpy_toio")
    static void memcpyToio(KernelContext k, long to, long from, long n) {
        k.mem().copy(to, from, n);
    }

    /** void memset_io(volatile void __iomem *a, int b, size_t c) */
    @KernelSymbol("memset_io")
    static void memsetIo(KernelContext k, long a, int b, long c) {
        k.mem().fill(a, c, (byte) b);
    }
}
