package dev.kmodemu.kstubs.drivers.input;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * drivers/input/ff-core.c: force feedback. A device's {@code struct ff_device} is made by
 * {@code input_ff_create()}, which is not provided, so the effects table is only what a module
 * set up itself; {@code input_ff_event()} routes gain, autocenter and playback requests to it as
 * the kernel does, playback only for effects that have an owner (uploaded through evdev, which is
 * not provided either: so playback requests are refused as for unknown effects).
 */
public final class InputFf {
    private static final int FF_GAIN = 0x60;
    private static final int FF_AUTOCENTER = 0x61;

    private InputFf() {
    }

    /** {@code check_effect_access(ff, effect_id, NULL)}. */
    private static int checkEffectAccess(KernelContext k, long ff, int id) {
        AddressSpace m = k.mem();
        if (id < 0 || id >= m.read32(ff + k.off("ff_device_max_effects"))
                || m.read64(ff + k.off("ff_device_effect_owners") + 8L * id) == 0) {
            return -Errno.EINVAL;
        }
        return 0;
    }

    private static boolean ffbit(KernelContext k, long dev, int bit) {
        return ((k.mem().read64(dev + k.off("input_dev_ffbit") + (bit >>> 6) * 8L) >>> (bit & 63)) & 1) != 0;
    }

    /** int input_ff_event(struct input_dev *dev, unsigned int type, unsigned int code, int value) */
    @KernelSymbol("input_ff_event")
    static int inputFfEvent(KernelContext k, long dev, int type, int code, int value) {
        AddressSpace m = k.mem();
        if (type != Input.EV_FF) {
            return 0;
        }
        long ff = m.read64(dev + k.off("input_dev_ff"));
        switch (code) {
            case FF_GAIN -> {
                if (ffbit(k, dev, FF_GAIN) && Integer.compareUnsigned(value, 0xffff) <= 0) {
                    k.call(m.read64(ff + k.off("ff_device_set_gain")), dev, value & 0xffff);
                }
            }
            case FF_AUTOCENTER -> {
                if (ffbit(k, dev, FF_AUTOCENTER) && Integer.compareUnsigned(value, 0xffff) <= 0) {
                    k.call(m.read64(ff + k.off("ff_device_set_autocenter")), dev, value & 0xffff);
                }
            }
            default -> {
                if (checkEffectAccess(k, ff, code) == 0) {
                    k.call(m.read64(ff + k.off("ff_device_playback")), dev, code, value);
                }
            }
        }
        return 0;
    }

    /**
     * {@code input_ff_destroy()} as {@code input_dev_release()} calls it: EV_FF cleared. A
     * {@code dev->ff} can only come from {@code input_ff_create()}, which is not provided, so
     * there is none to free.
     */
    static void destroy(KernelContext k, long dev) {
        long at = dev + k.off("input_dev_evbit");
        k.mem().write64(at, k.mem().read64(at) & ~(1L << Input.EV_FF));
    }
}
