package dev.kmodemu.kstubs.drivers.input;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.drivers.base.Core;

/**
 * drivers/input/ff-core.c: force feedback. A device's {@code struct ff_device} is made by
 * {@code input_ff_create()}; {@code input_ff_event()} routes gain, autocenter and playback
 * requests to it as the kernel does, playback only for effects that have an owner (uploaded
 * through evdev, which is not provided: so playback requests are refused as for unknown effects).
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

    private static void setBit(KernelContext k, long bitmap, int bit) {
        long at = bitmap + (bit >>> 6) * 8L;
        k.mem().write64(at, k.mem().read64(at) | (1L << (bit & 63)));
    }

    /**
     * int input_ff_create(struct input_dev *dev, unsigned int max_effects): the device's
     * {@code struct ff_device} with room for the effects and their owners; the device's flush and
     * event go to force feedback, EV_FF is set, and a device with periodic effects also offers
     * rumble (emulated with them).
     */
    @KernelSymbol("input_ff_create")
    static int inputFfCreate(KernelContext k, long dev, int maxEffects) {
        AddressSpace m = k.mem();
        if (maxEffects == 0) {
            Core.log(k, 3, dev + k.off("input_dev_dev"),
                    "cannot allocate device without any effects");
            return -Errno.EINVAL;
        }
        if (Integer.compareUnsigned(maxEffects, k.off("FF_MAX_EFFECTS")) > 0) {
            Core.log(k, 3, dev + k.off("input_dev_dev"),
                    "cannot allocate more than FF_MAX_EFFECTS effects");
            return -Errno.EINVAL;
        }
        long ff = k.slab().kmalloc(k.off("ff_device_sizeof") + 8L * maxEffects, 0xdc0);
        if (ff == 0) {
            return -Errno.ENOMEM;
        }
        long effects = k.slab().kmalloc((long) maxEffects * k.off("ff_effect_sizeof"), 0xdc0);
        if (effects == 0) {
            k.slab().kfree(ff);
            return -Errno.ENOMEM;
        }
        m.write64(ff + k.off("ff_device_effects"), effects);
        m.write32(ff + k.off("ff_device_max_effects"), maxEffects);
        m.write64(dev + k.off("input_dev_ff"), ff);
        m.write64(dev + k.off("input_dev_flush"), k.sym("input_ff_flush"));
        m.write64(dev + k.off("input_dev_event"), k.sym("input_ff_event"));
        setBit(k, dev + k.off("input_dev_evbit"), Input.EV_FF);
        for (int i = 0; i < k.off("FF_CNT"); i++) {
            if (ffbit(k, dev, i)) {
                setBit(k, ff + k.off("ff_device_ffbit"), i);
            }
        }
        long ffbits = ff + k.off("ff_device_ffbit");
        int periodic = k.off("FF_PERIODIC");
        if (((m.read64(ffbits + (periodic >>> 6) * 8L) >>> (periodic & 63)) & 1) != 0) {
            setBit(k, dev + k.off("input_dev_ffbit"), k.off("FF_RUMBLE"));
        }
        return 0;
    }

    /**
     * static int input_ff_flush(struct input_dev *dev, struct file *file): the effects the file
     * uploaded are stopped and erased.
     */
    @KernelSymbol(value = "input_ff_flush", internal = true)
    static int inputFfFlush(KernelContext k, long dev, long file) {
        AddressSpace m = k.mem();
        long ff = m.read64(dev + k.off("input_dev_ff"));
        int max = m.read32(ff + k.off("ff_device_max_effects"));
        for (int i = 0; i < max; i++) {
            long owner = ff + k.off("ff_device_effect_owners") + 8L * i;
            if (m.read64(owner) != file) {
                continue;
            }
            // erase_effect()
            k.call(m.read64(ff + k.off("ff_device_playback")), dev, i, 0);
            m.write64(owner, 0);
            long erase = m.read64(ff + k.off("ff_device_erase"));
            if (erase != 0 && (int) k.call(erase, dev, i) != 0) {
                m.write64(owner, file);
            }
        }
        return 0;
    }

    /** void input_ff_destroy(struct input_dev *dev): EV_FF cleared, the ff_device freed. */
    @KernelSymbol("input_ff_destroy")
    static void destroy(KernelContext k, long dev) {
        AddressSpace m = k.mem();
        long at = dev + k.off("input_dev_evbit");
        m.write64(at, m.read64(at) & ~(1L << Input.EV_FF));
        long ff = m.read64(dev + k.off("input_dev_ff"));
        if (ff != 0) {
            long destroy = m.read64(ff + k.off("ff_device_destroy"));
            if (destroy != 0) {
                k.call(destroy, ff);
            }
            k.slab().kfree(m.read64(ff + k.off("ff_device_private")));
            k.slab().kfree(m.read64(ff + k.off("ff_device_effects")));
            k.slab().kfree(ff);
            m.write64(dev + k.off("input_dev_ff"), 0);
        }
    }
}
