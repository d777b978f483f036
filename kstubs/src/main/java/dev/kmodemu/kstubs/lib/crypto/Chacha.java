package dev.kmodemu.kstubs.lib.crypto;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.kernel.Oops;

/** lib/crypto/chacha.c: the ChaCha block function and HChaCha, on guest state words. */
public final class Chacha {
    private Chacha() {
    }

    /** {@code chacha_permute()}: WARNs once for round counts other than 20 and 12. */
    private static void permute(KernelContext k, int[] x, int nrounds) {
        if (nrounds != 20 && nrounds != 12) {
            Oops.warnOnce(k, "lib/crypto/chacha.c:21", "chacha_permute");
        }
        for (int i = 0; i < nrounds; i += 2) {
            quarter(x, 0, 4, 8, 12);
            quarter(x, 1, 5, 9, 13);
            quarter(x, 2, 6, 10, 14);
            quarter(x, 3, 7, 11, 15);
            quarter(x, 0, 5, 10, 15);
            quarter(x, 1, 6, 11, 12);
            quarter(x, 2, 7, 8, 13);
            quarter(x, 3, 4, 9, 14);
        }
    }

    private static void quarter(int[] x, int a, int b, int c, int d) {
        x[a] += x[b];
        x[d] = Integer.rotateLeft(x[d] ^ x[a], 16);
        x[c] += x[d];
        x[b] = Integer.rotateLeft(x[b] ^ x[c], 12);
        x[a] += x[b];
        x[d] = Integer.rotateLeft(x[d] ^ x[a], 8);
        x[c] += x[d];
        x[b] = Integer.rotateLeft(x[b] ^ x[c], 7);
    }

    private static int[] read(AddressSpace m, long at) {
        int[] x = new int[16];
        for (int i = 0; i < 16; i++) {
            x[i] = m.read32(at + 4L * i);
        }
        return x;
    }

    /** void chacha_block_generic(u32 *state, u8 *stream, int nrounds) */
    @KernelSymbol("chacha_block_generic")
    static void chachaBlock(KernelContext k, long state, long stream, int nrounds) {
        AddressSpace m = k.mem();
        int[] s = read(m, state);
        int[] x = s.clone();
        permute(k, x, nrounds);
        for (int i = 0; i < 16; i++) {
            m.write32(stream + 4L * i, x[i] + s[i]);
        }
        m.write32(state + 48, s[12] + 1);
    }

    /** void hchacha_block_generic(const u32 *state, u32 *stream, int nrounds) */
    @KernelSymbol("hchacha_block_generic")
    static void hchachaBlock(KernelContext k, long state, long stream, int nrounds) {
        AddressSpace m = k.mem();
        int[] x = read(m, state);
        permute(k, x, nrounds);
        for (int i = 0; i < 4; i++) {
            m.write32(stream + 4L * i, x[i]);
            m.write32(stream + 16 + 4L * i, x[12 + i]);
        }
    }
}
