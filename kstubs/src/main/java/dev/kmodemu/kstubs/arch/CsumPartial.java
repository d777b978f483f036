package dev.kmodemu.kstubs.arch;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * arch/x86/lib/csum-partial_64.c: the Internet checksum as x86-64 computes it. The 32-bit
 * partial sum is the kernel's exact value (64-bit words added with carry, the tail zero-padded,
 * folded to 32 bits, byte-swapped for an odd start), not only a value with the same fold, since
 * modules keep and combine partial sums themselves.
 */
public final class CsumPartial {
    private CsumPartial() {
    }

    /** __wsum csum_partial(const void *buff, int len, __wsum sum) */
    @KernelSymbol("csum_partial")
    public static int csumPartial(KernelContext k, long buff, int len, int sum) {
        AddressSpace m = k.mem();
        long temp64 = Integer.toUnsignedLong(sum);
        boolean odd = (buff & 1) != 0;
        if (odd) {
            if (len == 0) {
                return sum;
            }
            temp64 = Integer.toUnsignedLong(Integer.rotateRight(sum, 8));
            temp64 += (long) (m.read8(buff) & 0xff) << 8;
            len--;
            buff++;
        }
        // the addq/adcq chains: each block's carries ripple into the next word, and the last one
        // is added back by "adcq $0"
        while (len >= 64) {
            temp64 = addChain(m, temp64, buff, 8);
            buff += 64;
            len -= 64;
        }
        if ((len & 32) != 0) {
            temp64 = addChain(m, temp64, buff, 4);
            buff += 32;
        }
        if ((len & 16) != 0) {
            temp64 = addChain(m, temp64, buff, 2);
            buff += 16;
        }
        if ((len & 8) != 0) {
            temp64 = addChain(m, temp64, buff, 1);
            buff += 8;
        }
        if ((len & 7) != 0) {
            long trail = 0;
            for (int i = (len & 7) - 1; i >= 0; i--) {
                trail = (trail << 8) | (m.read8(buff + i) & 0xff);
            }
            long r = temp64 + trail;
            temp64 = r + (Long.compareUnsigned(r, temp64) < 0 ? 1 : 0);
        }
        int result = add32WithCarry((int) (temp64 >>> 32), (int) temp64);
        if (odd) {
            result = from32to16(result);
            result = ((result >>> 8) & 0xff) | ((result & 0xff) << 8);
        }
        return result;
    }

    /** __sum16 ip_compute_csum(const void *buff, int len): {@code csum_fold(csum_partial(buff, len, 0))}. */
    @KernelSymbol("ip_compute_csum")
    static int ipComputeCsum(KernelContext k, long buff, int len) {
        return csumFold(csumPartial(k, buff, len, 0));
    }

    /** {@code csum_fold()} of asm/checksum_64.h: the 32-bit sum folded to 16 bits and inverted. */
    public static int csumFold(int sum) {
        long a = Integer.toUnsignedLong(sum & 0xffff0000);
        long b = Integer.toUnsignedLong(sum << 16);
        long s = a + b;
        long r = (s & 0xffffffffL) + 0xffff + (s >>> 32);
        return (int) ((~r & 0xffffffffL) >>> 16);
    }

    private static long addChain(AddressSpace m, long res, long src, int words) {
        long carry = 0;
        for (int i = 0; i < words; i++) {
            long w = m.read64(src + 8L * i);
            long r = res + w + carry;
            carry = Long.compareUnsigned(r, res) < 0 || (carry == 1 && r == res) ? 1 : 0;
            res = r;
        }
        return res + carry;
    }

    private static int add32WithCarry(int a, int b) {
        long s = Integer.toUnsignedLong(a) + Integer.toUnsignedLong(b);
        return (int) ((s & 0xffffffffL) + (s >>> 32));
    }

    private static int from32to16(int a) {
        int s = (a >>> 16) + (a & 0xffff);
        return (s & 0xffff) + (s >>> 16) & 0xffff;
    }
}
