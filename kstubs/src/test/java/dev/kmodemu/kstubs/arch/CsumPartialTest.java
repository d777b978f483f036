package dev.kmodemu.kstubs.arch;

import dev.kmodemu.kstubs.Kernel;
import dev.kmodemu.kstubs.KernelContext;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** csum_partial and ip_compute_csum called through the CPU, against RFC 1071's definition. */
class CsumPartialTest {
    /** The Internet checksum (RFC 1071): one's complement of the one's complement sum of 16-bit words. */
    private static int rfc1071(byte[] b, int off, int len) {
        long sum = 0;
        for (int i = 0; i < len; i += 2) {
            int lo = b[off + i] & 0xff;
            int hi = i + 1 < len ? b[off + i + 1] & 0xff : 0;
            sum += lo | hi << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    @Test
    void checksumsOfEveryLengthAndAlignmentAreTheInternetChecksum() {
        try (Kernel k = Kernel.boot()) {
            KernelContext c = k.context();
            long buf = c.slab().kmalloc(512, 0);
            Random rnd = new Random(7);
            byte[] data = new byte[300];
            rnd.nextBytes(data);
            data[0] = (byte) 0xff;
            data[1] = (byte) 0xff;
            c.mem().poke(buf, data);
            for (int off = 0; off < 3; off++) {
                for (int len : new int[] {0, 1, 2, 7, 8, 15, 16, 33, 64, 65, 130, 255, 297}) {
                    int ours = (int) c.call(c.sym("ip_compute_csum"), buf + off, len) & 0xffff;
                    assertEquals(rfc1071(data, off, len), ours, "offset " + off + " length " + len);
                }
            }
            // a partial sum carried on: csum_partial of two halves folds to the checksum of the whole
            long half = c.call(c.sym("csum_partial"), buf, 64, 0) & 0xffffffffL;
            long whole = c.call(c.sym("csum_partial"), buf + 64, 64, half) & 0xffffffffL;
            assertEquals(rfc1071(data, 0, 128), CsumPartial.csumFold((int) whole) & 0xffff);
            c.slab().kfree(buf);
        }
    }
}
