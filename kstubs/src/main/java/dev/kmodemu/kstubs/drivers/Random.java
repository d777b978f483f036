package dev.kmodemu.kstubs.drivers;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * drivers/char/random.c, the interfaces modules use. The kernel's output is unpredictable; in
 * kmodemu it comes from a deterministic generator (L64X128MixRandom) with the same seed in every
 * booted kernel, so that a run can be replayed exactly (a module's random choices repeat). The
 * generator is seeded at boot and counts as initialised from the start
 * ({@code rng_is_initialized()}); the entropy inputs ({@code add_*_randomness()}) are accepted and
 * do not change the stream, which keeps runs reproducible.
 */
public final class Random {
    private Random() {
    }

    /** The seed of every kernel's stream. */
    static final long SEED = 0x6b6d6f64656d7521L;

    private static RandomGenerator rng(KernelContext k) {
        return k.state(Random.class, () -> RandomGeneratorFactory.of("L64X128MixRandom").create(SEED));
    }

    /** {@code get_random_bytes()} for Java callers. */
    public static void getRandomBytes(KernelContext k, long buf, long len) {
        if (len <= 0) {
            return;
        }
        byte[] b = new byte[(int) len];
        rng(k).nextBytes(b);
        k.mem().write(buf, b);
    }

    /** {@code get_random_u32()} for Java callers. */
    public static int getRandomU32(KernelContext k) {
        return rng(k).nextInt();
    }

    /** void get_random_bytes(void *buf, size_t len) */
    @KernelSymbol("get_random_bytes")
    static void getRandomBytesSym(KernelContext k, long buf, long len) {
        getRandomBytes(k, buf, len);
    }

    /** u8 get_random_u8(void) */
    @KernelSymbol("get_random_u8")
    static int getRandomU8(KernelContext k) {
        return rng(k).nextInt() & 0xff;
    }

    /** u16 get_random_u16(void) */
    @KernelSymbol("get_random_u16")
    static int getRandomU16(KernelContext k) {
        return rng(k).nextInt() & 0xffff;
    }

    /** u32 get_random_u32(void) */
    @KernelSymbol("get_random_u32")
    static int getRandomU32Sym(KernelContext k) {
        return getRandomU32(k);
    }

    /** u64 get_random_u64(void) */
    @KernelSymbol("get_random_u64")
    static long getRandomU64(KernelContext k) {
        return rng(k).nextLong();
    }

    /** u32 __get_random_u32_below(u32 ceil): uniform in [0, ceil) by Lemire's method, as the kernel */
    @KernelSymbol("__get_random_u32_below")
    static int getRandomU32Below(KernelContext k, int ceil) {
        long rand = Integer.toUnsignedLong(getRandomU32(k));
        if (ceil == 0) {
            return (int) rand;
        }
        long c = Integer.toUnsignedLong(ceil);
        long mult = c * rand;
        if (Long.compareUnsigned(mult & 0xffffffffL, c) < 0) {
            long bound = Integer.toUnsignedLong(Integer.remainderUnsigned(-ceil, ceil));
            while ((mult & 0xffffffffL) < bound) {
                mult = c * Integer.toUnsignedLong(getRandomU32(k));
            }
        }
        return (int) (mult >>> 32);
    }

    /** bool rng_is_initialized(void) */
    @KernelSymbol("rng_is_initialized")
    static boolean rngIsInitialized(KernelContext k) {
        return true;
    }

    /** int wait_for_random_bytes(void): 0, the generator is ready */
    @KernelSymbol("wait_for_random_bytes")
    static int waitForRandomBytes(KernelContext k) {
        return 0;
    }

    /** void add_device_randomness(const void *buf, size_t len) */
    @KernelSymbol("add_device_randomness")
    static void addDeviceRandomness(KernelContext k, long buf, long len) {
    }

    /** void add_input_randomness(unsigned int type, unsigned int code, unsigned int value) */
    @KernelSymbol("add_input_randomness")
    static void addInputRandomness(KernelContext k, int type, int code, int value) {
    }

    /** void add_disk_randomness(struct gendisk *disk) */
    @KernelSymbol("add_disk_randomness")
    static void addDiskRandomness(KernelContext k, long disk) {
    }

    /** void add_interrupt_randomness(int irq) */
    @KernelSymbol("add_interrupt_randomness")
    static void addInterruptRandomness(KernelContext k, int irq) {
    }

    /** void add_hwgenerator_randomness(const void *buf, size_t len, size_t entropy) */
    @KernelSymbol("add_hwgenerator_randomness")
    static void addHwgeneratorRandomness(KernelContext k, long buf, long len, long entropy) {
    }
}
