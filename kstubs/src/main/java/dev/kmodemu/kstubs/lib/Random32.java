package dev.kmodemu.kstubs.lib;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.drivers.Random;

/**
 * lib/random32.c: the Tausworthe generator of {@code struct rnd_state}, bit for bit as the kernel
 * computes it (a seeded state gives the kernel's sequence).
 */
public final class Random32 {
    private Random32() {
    }

    private static int taus(int s, int a, int b, int c, int d) {
        return ((s & c) << d) ^ (((s << a) ^ s) >>> b);
    }

    /** u32 prandom_u32_state(struct rnd_state *state) */
    @KernelSymbol("prandom_u32_state")
    static int prandomU32State(KernelContext k, long state) {
        AddressSpace m = k.mem();
        long a1 = state + k.off("rnd_state_s1");
        long a2 = state + k.off("rnd_state_s2");
        long a3 = state + k.off("rnd_state_s3");
        long a4 = state + k.off("rnd_state_s4");
        int s1 = taus(m.read32(a1), 6, 13, (int) 4294967294L, 18);
        int s2 = taus(m.read32(a2), 2, 27, (int) 4294967288L, 2);
        int s3 = taus(m.read32(a3), 13, 21, (int) 4294967280L, 7);
        int s4 = taus(m.read32(a4), 3, 12, (int) 4294967168L, 13);
        m.write32(a1, s1);
        m.write32(a2, s2);
        m.write32(a3, s3);
        m.write32(a4, s4);
        return s1 ^ s2 ^ s3 ^ s4;
    }

    /** void prandom_bytes_state(struct rnd_state *state, void *buf, size_t bytes) */
    @KernelSymbol("prandom_bytes_state")
    static void prandomBytesState(KernelContext k, long state, long buf, long bytes) {
        AddressSpace m = k.mem();
        long p = buf;
        while (Long.compareUnsigned(bytes, 4) >= 0) {
            m.write32(p, prandomU32State(k, state));
            p += 4;
            bytes -= 4;
        }
        if (bytes > 0) {
            int rem = prandomU32State(k, state);
            do {
                m.write8(p++, rem);
                bytes--;
                rem >>>= 8;
            } while (bytes > 0);
        }
    }

    /** {@code __seed()}: values below {@code m} would break the generator's recurrence. */
    private static int seed(int x, int m) {
        return Integer.compareUnsigned(x, m) < 0 ? x + m : x;
    }

    /** void prandom_seed_full_state(struct rnd_state __percpu *pcpu_state) */
    @KernelSymbol("prandom_seed_full_state")
    static void prandomSeedFullState(KernelContext k, long pcpuState) {
        AddressSpace m = k.mem();
        long state = k.machine().percpuAddress(pcpuState);
        int[] seeds = {Random.getRandomU32(k), Random.getRandomU32(k), Random.getRandomU32(k), Random.getRandomU32(k)};
        m.write32(state + k.off("rnd_state_s1"), seed(seeds[0], 2));
        m.write32(state + k.off("rnd_state_s2"), seed(seeds[1], 8));
        m.write32(state + k.off("rnd_state_s3"), seed(seeds[2], 16));
        m.write32(state + k.off("rnd_state_s4"), seed(seeds[3], 128));
        for (int i = 0; i < 10; i++) {
            prandomU32State(k, state);
        }
    }
}
