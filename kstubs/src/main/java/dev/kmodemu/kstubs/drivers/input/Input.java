package dev.kmodemu.kstubs.drivers.input;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.drivers.base.Classes;
import dev.kmodemu.kstubs.drivers.base.Core;
import dev.kmodemu.kstubs.drivers.base.Devres;
import dev.kmodemu.kstubs.kernel.Oops;
import dev.kmodemu.kstubs.lib.Kobject;
import dev.kmodemu.kstubs.lib.Lists;

/**
 * drivers/input/input.c: the input core. Input devices are the modules' own {@code struct
 * input_dev}s, devices of {@code input_class} named inputN from one counter that only grows;
 * registration logs "input: NAME as /devices/.../inputN" and attaches every registered handler
 * whose id table matches; events go through the kernel's disposition rules (state bits for keys,
 * switches, LEDs and sounds, fuzz filtering of absolute axes, the repeat timer) into the device's
 * value buffer and, at each SYN_REPORT, to the open handles' filters and event functions.
 * {@code input_dev_list} and {@code input_handler_list} are guest lists, and so are each device's
 * and handler's handle lists, as modules walk them.
 *
 * <p>The emulated machine has no input device of its own (QEMU's keyboard, mouse and power button
 * have no drivers here), yet the numbering goes on from where Debian's kernel leaves it. Multi-touch slots
 * ({@code input_mt_init_slots}) are not provided, so {@code dev->mt} is always NULL. Event values
 * feed no entropy pool ({@code add_input_randomness}): kmodemu's random numbers are a fixed
 * sequence by design. The default keymap functions ({@code input_default_getkeycode/setkeycode},
 * used by evdev's EVIOCGKEYCODE) are not installed: no evdev or other keymap user is provided, and
 * the drivers here that use keymaps (rc-core, hid) install their own.
 */
public final class Input {
    // include/uapi/linux/input-event-codes.h (user-space ABI)
    static final int EV_SYN = 0x00;
    static final int EV_KEY = 0x01;
    static final int EV_REL = 0x02;
    static final int EV_ABS = 0x03;
    static final int EV_MSC = 0x04;
    static final int EV_SW = 0x05;
    static final int EV_LED = 0x11;
    static final int EV_SND = 0x12;
    static final int EV_REP = 0x14;
    static final int EV_FF = 0x15;
    static final int EV_PWR = 0x16;
    static final int EV_MAX = 0x1f;
    static final int SYN_REPORT = 0;
    static final int SYN_CONFIG = 1;
    static final int SYN_MT_REPORT = 2;
    static final int KEY_MAX = 0x2ff;
    static final int REL_MAX = 0x0f;
    static final int ABS_MAX = 0x3f;
    static final int MSC_MAX = 0x07;
    static final int SW_MAX = 0x10;
    static final int LED_MAX = 0x0f;
    static final int SND_MAX = 0x07;
    static final int FF_MAX = 0x7f;
    static final int REP_MAX = 0x01;
    static final int INPUT_PROP_MAX = 0x1f;
    static final int REP_DELAY = 0;
    static final int REP_PERIOD = 1;
    static final int ABS_MT_SLOT = 0x2f;
    static final int ABS_MT_FIRST = 0x30;
    static final int ABS_MT_LAST = 0x3d;
    static final int ABS_MT_POSITION_X = 0x35;
    static final int ABS_MT_TRACKING_ID = 0x39;
    // include/linux/mod_devicetable.h
    private static final int MATCH_BUS = 1;
    private static final int MATCH_VENDOR = 2;
    private static final int MATCH_PRODUCT = 4;
    private static final int MATCH_VERSION = 8;
    // input.c's dispositions
    private static final int IGNORE = 0;
    private static final int PASS_TO_HANDLERS = 1;
    private static final int PASS_TO_DEVICE = 2;
    private static final int FLUSH = 8;
    private static final int PASS_TO_ALL = PASS_TO_HANDLERS | PASS_TO_DEVICE;

    /** {@code input_max_code[]}: the highest code of each event type that has codes. */
    private static int maxCode(int type) {
        return switch (type) {
            case EV_KEY -> KEY_MAX;
            case EV_REL -> REL_MAX;
            case EV_ABS -> ABS_MAX;
            case EV_MSC -> MSC_MAX;
            case EV_SW -> SW_MAX;
            case EV_LED -> LED_MAX;
            case EV_SND -> SND_MAX;
            case EV_FF -> FF_MAX;
            default -> 0;
        };
    }

    private final KernelContext k;
    /**
     * {@code static atomic_t input_no = ATOMIC_INIT(-1)}, after the two devices Debian's kernel
     * numbers at boot in QEMU (the i8042 keyboard, input0, and input1): a module's first is input2.
     */
    private long inputNo = 1;

    private Input(KernelContext k) {
        this.k = k;
    }

    static Input of(KernelContext k) {
        return k.state(Input.class, () -> new Input(k));
    }

    /** {@code input_init()}: {@code class_register(&input_class)}. */
    public static void boot(KernelContext k) {
        Classes.registerKernelClass(k, k.sym("input_class"));
    }

    private AddressSpace mem() {
        return k.mem();
    }

    private int off(String f) {
        return k.off(f);
    }

    // ---------------------------------------------------------------- static data

    /** {@code struct class input_class = { .name = "input", .devnode = input_devnode }}. */
    @KernelData(value = "input_class", sizeOf = "class_sizeof")
    static void inputClass(KernelContext k, long at) {
        k.mem().poke(at, new byte[k.off("class_sizeof")]);
        k.mem().pokeLong(at + k.off("class_name"), k.sym("input_class_name"));
        k.mem().pokeLong(at + k.off("class_devnode"), k.sym("input_devnode"));
    }

    @KernelData(value = "input_class_name", section = Machine.Section.RODATA, size = 8)
    static void inputClassName(KernelContext k, long at) {
        k.mem().poke(at, new byte[] {'i', 'n', 'p', 'u', 't', 0});
    }

    /** {@code static const struct device_type input_dev_type = { .release = input_dev_release }}. */
    @KernelData(value = "input_dev_type", section = Machine.Section.RODATA, sizeOf = "device_type_sizeof")
    static void inputDevType(KernelContext k, long at) {
        k.mem().poke(at, new byte[k.off("device_type_sizeof")]);
        k.mem().pokeLong(at + k.off("device_type_release"), k.sym("input_dev_release"));
    }

    /** {@code static LIST_HEAD(input_dev_list)}. */
    @KernelData(value = "input_dev_list", size = 16)
    static void inputDevList(KernelContext k, long at) {
        k.mem().pokeLong(at + k.off("list_head_next"), at);
        k.mem().pokeLong(at + k.off("list_head_prev"), at);
    }

    /** {@code static LIST_HEAD(input_handler_list)}. */
    @KernelData(value = "input_handler_list", size = 16)
    static void inputHandlerList(KernelContext k, long at) {
        k.mem().pokeLong(at + k.off("list_head_next"), at);
        k.mem().pokeLong(at + k.off("list_head_prev"), at);
    }

    /** static char *input_devnode(const struct device *dev, umode_t *mode) */
    @KernelSymbol(value = "input_devnode", internal = true)
    static long inputDevnode(KernelContext k, long dev, long mode) {
        return k.kstrdup("input/" + Core.name(k, dev));
    }

    // ---------------------------------------------------------------- bitmaps

    private boolean testBit(long map, int bit) {
        return ((mem().read64(map + (bit >>> 6) * 8L) >>> (bit & 63)) & 1) != 0;
    }

    private void setBit(long map, int bit, boolean on) {
        long at = map + (bit >>> 6) * 8L;
        long v = mem().read64(at);
        mem().write64(at, on ? v | (1L << (bit & 63)) : v & ~(1L << (bit & 63)));
    }

    /** {@code is_event_supported()}. */
    private boolean supported(int code, long map, int max) {
        return Integer.compareUnsigned(code, max) <= 0 && testBit(map, code);
    }

    private long bits(long dev, String name) {
        return dev + off("input_dev_" + name);
    }

    /** {@code bitmap_subset(a, b, max)}: every bit up to {@code max} set in a is set in b. */
    private boolean subset(long a, long b, int max) {
        int words = (max + 64) / 64;
        for (int i = 0; i < words; i++) {
            long mask = i == words - 1 && (max + 1) % 64 != 0 ? (1L << ((max + 1) % 64)) - 1 : -1L;
            if ((mem().read64(a + i * 8L) & ~mem().read64(b + i * 8L) & mask) != 0) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- allocation

    /** struct input_dev *input_allocate_device(void) */
    @KernelSymbol("input_allocate_device")
    static long inputAllocateDevice(KernelContext k) {
        return of(k).allocate();
    }

    private long allocate() {
        AddressSpace m = mem();
        long dev = k.slab().kmalloc(off("input_dev_sizeof"), 0x100 | 0xcc0);
        if (dev == 0) {
            return 0;
        }
        long d = dev + off("input_dev_dev");
        m.write64(d + off("device_type"), k.sym("input_dev_type"));
        m.write64(d + off("device_class"), k.sym("input_class"));
        Core.deviceInitialize(k, d);
        long mutex = dev + off("input_dev_mutex");
        m.write64(mutex + off("mutex_owner"), 0);
        Lists.init(k, mutex + off("mutex_wait_list"));
        m.write32(dev + off("input_dev_event_lock"), 0);
        k.call(k.sym("init_timer_key"), dev + off("input_dev_timer"), 0, 0, 0, 0);
        Lists.init(k, dev + off("input_dev_h_list"));
        Lists.init(k, dev + off("input_dev_node"));
        Core.setName(k, d, "input" + Long.toUnsignedString(++inputNo & 0xffffffffL));
        return dev;
    }

    /** void input_free_device(struct input_dev *dev) */
    @KernelSymbol("input_free_device")
    static void inputFreeDevice(KernelContext k, long dev) {
        if (dev == 0) {
            return;
        }
        if (k.mem().read8(dev + k.off("input_dev_devres_managed")) != 0) {
            // WARN_ON(devres_destroy(dev->dev.parent, devm_input_device_release, devm_input_device_match, dev))
            int r = Devres.devresDestroy(k, k.mem().read64(dev + k.off("input_dev_dev") + k.off("device_parent")),
                    k.sym("devm_input_device_release"), k.sym("devm_input_device_match"), dev);
            if (r != 0) {
                Oops.warn(k, "drivers/input/input.c:2128", "input_free_device", null);
            }
        }
        Core.putDevice(k, dev + k.off("input_dev_dev"));
    }

    /** static void input_dev_release(struct device *device) */
    @KernelSymbol(value = "input_dev_release", internal = true)
    static void inputDevRelease(KernelContext k, long device) {
        AddressSpace m = k.mem();
        long dev = device - k.off("input_dev_dev");
        InputFf.destroy(k, dev);
        k.slab().kfree(m.read64(dev + k.off("input_dev_poller")));
        k.slab().kfree(m.read64(dev + k.off("input_dev_absinfo")));
        k.slab().kfree(m.read64(dev + k.off("input_dev_vals")));
        k.slab().kfree(dev);
    }

    /** struct input_devres { struct input_dev *input; } */
    @KernelSymbol(value = "devm_input_device_match", internal = true)
    static int devmInputDeviceMatch(KernelContext k, long dev, long res, long data) {
        return k.mem().read64(res) == data ? 1 : 0;
    }

    /** static void devm_input_device_release(struct device *dev, void *res) */
    @KernelSymbol(value = "devm_input_device_release", internal = true)
    static void devmInputDeviceRelease(KernelContext k, long dev, long res) {
        long input = k.mem().read64(res);
        Core.putDevice(k, input + k.off("input_dev_dev"));
    }

    @KernelData(value = "devm_input_device_release_name", section = Machine.Section.RODATA, size = 32)
    static void devmInputDeviceReleaseName(KernelContext k, long at) {
        k.mem().poke(at, "devm_input_device_release\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    @KernelData(value = "devm_input_device_unregister_name", section = Machine.Section.RODATA, size = 32)
    static void devmInputDeviceUnregisterName(KernelContext k, long at) {
        k.mem().poke(at, "devm_input_device_unregister\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** struct input_dev *devm_input_allocate_device(struct device *dev) */
    @KernelSymbol("devm_input_allocate_device")
    static long devmInputAllocateDevice(KernelContext k, long parent) {
        long devres = Devres.devresAllocNode(k, k.sym("devm_input_device_release"), 8, 0xcc0, -1,
                k.sym("devm_input_device_release_name"));
        if (devres == 0) {
            return 0;
        }
        long input = inputAllocateDevice(k);
        if (input == 0) {
            Devres.devresFree(k, devres);
            return 0;
        }
        k.mem().write64(input + k.off("input_dev_dev") + k.off("device_parent"), parent);
        k.mem().write8(input + k.off("input_dev_devres_managed"), (byte) 1);
        k.mem().write64(devres, input);
        Devres.devresAdd(k, parent, devres);
        return input;
    }

    // ---------------------------------------------------------------- capabilities

    /** void input_alloc_absinfo(struct input_dev *dev) */
    @KernelSymbol("input_alloc_absinfo")
    static void inputAllocAbsinfo(KernelContext k, long dev) {
        long at = dev + k.off("input_dev_absinfo");
        if (k.mem().read64(at) != 0) {
            return;
        }
        // kcalloc(ABS_CNT, sizeof(*dev->absinfo), GFP_KERNEL)
        k.mem().write64(at, k.slab().kmalloc((long) (ABS_MAX + 1) * k.off("input_absinfo_sizeof"), 0x100 | 0xcc0));
    }

    /** void input_set_abs_params(struct input_dev *dev, unsigned int axis, int min, int max, int fuzz, int flat) */
    @KernelSymbol("input_set_abs_params")
    static void inputSetAbsParams(KernelContext k, long dev, int axis, int min, int max, int fuzz, int flat) {
        Input in = of(k);
        in.setBit(in.bits(dev, "evbit"), EV_ABS, true);
        in.setBit(in.bits(dev, "absbit"), axis, true);
        inputAllocAbsinfo(k, dev);
        long absinfo = k.mem().read64(dev + k.off("input_dev_absinfo"));
        if (absinfo == 0) {
            return;
        }
        long a = absinfo + (long) Integer.toUnsignedLong(axis) * k.off("input_absinfo_sizeof");
        k.mem().write32(a + k.off("input_absinfo_minimum"), min);
        k.mem().write32(a + k.off("input_absinfo_maximum"), max);
        k.mem().write32(a + k.off("input_absinfo_fuzz"), fuzz);
        k.mem().write32(a + k.off("input_absinfo_flat"), flat);
    }

    /** void input_set_capability(struct input_dev *dev, unsigned int type, unsigned int code) */
    @KernelSymbol("input_set_capability")
    static void inputSetCapability(KernelContext k, long dev, int type, int code) {
        Input in = of(k);
        if (Integer.compareUnsigned(type, EV_MAX) <= 0 && maxCode(type) != 0
                && Integer.compareUnsigned(code, maxCode(type)) > 0) {
            k.printk(3, "input: input_set_capability: invalid code " + Integer.toUnsignedString(code) + " for type "
                    + Integer.toUnsignedString(type));
            Oops.dumpStack(k, 4);
            return;
        }
        String map = switch (type) {
            case EV_KEY -> "keybit";
            case EV_REL -> "relbit";
            case EV_ABS -> "absbit";
            case EV_MSC -> "mscbit";
            case EV_SW -> "swbit";
            case EV_LED -> "ledbit";
            case EV_SND -> "sndbit";
            case EV_FF -> "ffbit";
            case EV_PWR -> "";
            default -> null;
        };
        if (map == null) {
            k.printk(3, "input: input_set_capability: unknown type " + Integer.toUnsignedString(type) + " (code "
                    + Integer.toUnsignedString(code) + ")");
            Oops.dumpStack(k, 4);
            return;
        }
        if (type == EV_ABS) {
            inputAllocAbsinfo(k, dev);
        }
        if (!map.isEmpty()) {
            in.setBit(in.bits(dev, map), code, true);
        }
        in.setBit(in.bits(dev, "evbit"), type, true);
    }

    /** int input_scancode_to_scalar(const struct input_keymap_entry *ke, unsigned int *scancode) */
    @KernelSymbol("input_scancode_to_scalar")
    static int inputScancodeToScalar(KernelContext k, long ke, long scancode) {
        AddressSpace m = k.mem();
        int len = m.read8(ke + k.off("input_keymap_entry_len")) & 0xff;
        long sc = ke + k.off("input_keymap_entry_scancode");
        int v;
        switch (len) {
            case 1 -> v = m.read8(sc) & 0xff;
            case 2 -> v = m.read16(sc) & 0xffff;
            case 4 -> v = m.read32(sc);
            default -> {
                return -Errno.EINVAL;
            }
        }
        m.write32(scancode, v);
        return 0;
    }

    // ---------------------------------------------------------------- events

    private static boolean isMtValue(int axis) {
        return axis >= ABS_MT_FIRST && axis <= ABS_MT_LAST;
    }

    private static boolean isMtAxis(int axis) {
        return axis == ABS_MT_SLOT || isMtValue(axis);
    }

    /** {@code input_defuzz_abs_event()}. */
    private static int defuzz(int value, int old, int fuzz) {
        if (fuzz != 0) {
            if (value > old - fuzz / 2 && value < old + fuzz / 2) {
                return old;
            }
            if (value > old - fuzz && value < old + fuzz) {
                return (old * 3 + value) / 4;
            }
            if (value > old - fuzz * 2 && value < old + fuzz * 2) {
                return (old + value) / 2;
            }
        }
        return value;
    }

    /** {@code input_handle_abs_event()} without slots ({@code dev->mt} is NULL). */
    private int handleAbs(long dev, int code, int[] pval) {
        if (code == ABS_MT_SLOT) {
            return IGNORE;
        }
        if (isMtValue(code)) {
            return PASS_TO_HANDLERS;
        }
        long a = mem().read64(dev + off("input_dev_absinfo")) + (long) code * off("input_absinfo_sizeof");
        long pold = a + off("input_absinfo_value");
        int old = mem().read32(pold);
        pval[0] = defuzz(pval[0], old, mem().read32(a + off("input_absinfo_fuzz")));
        if (old == pval[0]) {
            return IGNORE;
        }
        mem().write32(pold, pval[0]);
        return PASS_TO_HANDLERS;
    }

    /** {@code input_get_disposition()}. */
    private int disposition(long dev, int type, int code, int[] pval) {
        if (mem().read8(dev + off("input_dev_inhibited")) != 0) {
            return IGNORE;
        }
        int value = pval[0];
        int d = IGNORE;
        switch (type) {
            case EV_SYN -> d = switch (code) {
                case SYN_CONFIG -> PASS_TO_ALL;
                case SYN_REPORT -> PASS_TO_HANDLERS | FLUSH;
                case SYN_MT_REPORT -> PASS_TO_HANDLERS;
                default -> IGNORE;
            };
            case EV_KEY -> {
                if (supported(code, bits(dev, "keybit"), KEY_MAX)) {
                    if (value == 2) {
                        d = PASS_TO_HANDLERS;
                    } else if (testBit(bits(dev, "key"), code) != (value != 0)) {
                        setBit(bits(dev, "key"), code, value != 0);
                        d = PASS_TO_HANDLERS;
                    }
                }
            }
            case EV_SW -> {
                if (supported(code, bits(dev, "swbit"), SW_MAX) && testBit(bits(dev, "sw"), code) != (value != 0)) {
                    setBit(bits(dev, "sw"), code, value != 0);
                    d = PASS_TO_HANDLERS;
                }
            }
            case EV_ABS -> {
                if (supported(code, bits(dev, "absbit"), ABS_MAX)) {
                    d = handleAbs(dev, code, pval);
                    value = pval[0];
                }
            }
            case EV_REL -> {
                if (supported(code, bits(dev, "relbit"), REL_MAX) && value != 0) {
                    d = PASS_TO_HANDLERS;
                }
            }
            case EV_MSC -> {
                if (supported(code, bits(dev, "mscbit"), MSC_MAX)) {
                    d = PASS_TO_ALL;
                }
            }
            case EV_LED -> {
                if (supported(code, bits(dev, "ledbit"), LED_MAX) && testBit(bits(dev, "led"), code) != (value != 0)) {
                    setBit(bits(dev, "led"), code, value != 0);
                    d = PASS_TO_ALL;
                }
            }
            case EV_SND -> {
                if (supported(code, bits(dev, "sndbit"), SND_MAX)) {
                    if (testBit(bits(dev, "snd"), code) != (value != 0)) {
                        setBit(bits(dev, "snd"), code, value != 0);
                    }
                    d = PASS_TO_ALL;
                }
            }
            case EV_REP -> {
                long rep = dev + off("input_dev_rep") + 4L * code;
                if (Integer.compareUnsigned(code, REP_MAX) <= 0 && value >= 0 && mem().read32(rep) != value) {
                    mem().write32(rep, value);
                    d = PASS_TO_ALL;
                }
            }
            case EV_FF -> {
                if (value >= 0) {
                    d = PASS_TO_ALL;
                }
            }
            case EV_PWR -> d = PASS_TO_ALL;
            default -> {
            }
        }
        pval[0] = value;
        return d;
    }

    private void putValue(long vals, int i, int type, int code, int value) {
        long v = vals + (long) i * off("input_value_sizeof");
        mem().write16(v, (short) type);
        mem().write16(v + 2, (short) code);
        mem().write32(v + 4, value);
    }

    /** {@code input_event_dispose()}. */
    private void dispose(long dev, int disposition, int type, int code, int value) {
        AddressSpace m = mem();
        long event = m.read64(dev + off("input_dev_event"));
        if ((disposition & PASS_TO_DEVICE) != 0 && event != 0) {
            k.call(event, dev, type, code, value);
        }
        long vals = m.read64(dev + off("input_dev_vals"));
        if (vals == 0) {
            return;
        }
        long numAt = dev + off("input_dev_num_vals");
        int num = m.read32(numAt);
        if ((disposition & PASS_TO_HANDLERS) != 0) {
            putValue(vals, num++, type, code, value);
            m.write32(numAt, num);
        }
        if ((disposition & FLUSH) != 0) {
            if (num >= 2) {
                passValues(dev, vals, num);
            }
            m.write32(numAt, 0);
            m.write64(dev + off("input_dev_timestamp"), 0);
        } else if (num >= m.read32(dev + off("input_dev_max_vals")) - 2) {
            putValue(vals, num++, EV_SYN, SYN_REPORT, 1);
            passValues(dev, vals, num);
            m.write32(numAt, 0);
        }
    }

    /** {@code input_handle_event()}. */
    void handleEvent(long dev, int type, int code, int value) {
        int[] pval = {value};
        int d = disposition(dev, type, code, pval);
        if (d != IGNORE) {
            dispose(dev, d, type, code, pval[0]);
        }
    }

    /** {@code input_to_handler()}: filters first, then {@code events} or {@code event}. */
    private int toHandler(long handle, long vals, int count) {
        AddressSpace m = mem();
        long handler = m.read64(handle + off("input_handle_handler"));
        long filter = m.read64(handler + off("input_handler_filter"));
        int size = off("input_value_sizeof");
        if (filter != 0) {
            int end = 0;
            for (int i = 0; i < count; i++) {
                long v = vals + (long) i * size;
                int type = m.read16(v) & 0xffff;
                int code = m.read16(v + 2) & 0xffff;
                int value = m.read32(v + 4);
                if ((k.call(filter, handle, type, code, value) & 0xff) != 0) {
                    continue;
                }
                if (end != i) {
                    putValue(vals, end, type, code, value);
                }
                end++;
            }
            count = end;
        }
        if (count == 0) {
            return 0;
        }
        long events = m.read64(handler + off("input_handler_events"));
        long event = m.read64(handler + off("input_handler_event"));
        if (events != 0) {
            k.call(events, handle, vals, count);
        } else if (event != 0) {
            for (int i = 0; i < count; i++) {
                long v = vals + (long) i * size;
                k.call(event, handle, m.read16(v) & 0xffff, m.read16(v + 2) & 0xffff, m.read32(v + 4));
            }
        }
        return count;
    }

    /** {@code input_pass_values()}: to the grabbing handle or every open one, then autorepeat. */
    private void passValues(long dev, long vals, int count) {
        AddressSpace m = mem();
        long grab = m.read64(dev + off("input_dev_grab"));
        if (grab != 0) {
            count = toHandler(grab, vals, count);
        } else {
            int dNode = off("input_handle_d_node");
            for (long e : Lists.entries(k, dev + off("input_dev_h_list"))) {
                long handle = e - dNode;
                if (m.read32(handle + off("input_handle_open")) != 0) {
                    count = toHandler(handle, vals, count);
                    if (count == 0) {
                        break;
                    }
                }
            }
        }
        if (testBit(bits(dev, "evbit"), EV_REP) && testBit(bits(dev, "evbit"), EV_KEY)) {
            int size = off("input_value_sizeof");
            for (int i = 0; i < count; i++) {
                long v = vals + (long) i * size;
                int value = m.read32(v + 4);
                if ((m.read16(v) & 0xffff) == EV_KEY && value != 2) {
                    if (value != 0) {
                        startAutorepeat(dev, m.read16(v + 2) & 0xffff);
                    } else {
                        k.call(k.sym("timer_delete"), dev + off("input_dev_timer"));
                    }
                }
            }
        }
    }

    private long jiffiesAfterMs(int ms) {
        return mem().read64(k.sym("jiffies")) + k.call(k.sym("__msecs_to_jiffies"), Integer.toUnsignedLong(ms));
    }

    /** {@code input_start_autorepeat()}. */
    private void startAutorepeat(long dev, int code) {
        AddressSpace m = mem();
        long rep = dev + off("input_dev_rep");
        long timer = dev + off("input_dev_timer");
        if (testBit(bits(dev, "evbit"), EV_REP) && m.read32(rep + 4L * REP_PERIOD) != 0
                && m.read32(rep + 4L * REP_DELAY) != 0 && m.read64(timer + off("timer_list_function")) != 0) {
            m.write32(dev + off("input_dev_repeat_key"), code);
            k.call(k.sym("mod_timer"), timer, jiffiesAfterMs(m.read32(rep + 4L * REP_DELAY)));
        }
    }

    /** static void input_repeat_key(struct timer_list *t) */
    @KernelSymbol(value = "input_repeat_key", internal = true)
    static void inputRepeatKey(KernelContext k, long t) {
        Input in = of(k);
        AddressSpace m = k.mem();
        long dev = t - k.off("input_dev_timer");
        int key = m.read32(dev + k.off("input_dev_repeat_key"));
        if (in.testBit(in.bits(dev, "key"), key) && in.supported(key, in.bits(dev, "keybit"), KEY_MAX)) {
            long now = k.clock().nanos();
            long ts = dev + k.off("input_dev_timestamp");
            m.write64(ts, now);
            m.write64(ts + 8, k.clock().realtime());
            m.write64(ts + 16, now);
            in.handleEvent(dev, EV_KEY, key, 2);
            in.handleEvent(dev, EV_SYN, SYN_REPORT, 1);
            int period = m.read32(dev + k.off("input_dev_rep") + 4L * REP_PERIOD);
            if (period != 0) {
                k.call(k.sym("mod_timer"), t, in.jiffiesAfterMs(period));
            }
        }
    }

    /** void input_event(struct input_dev *dev, unsigned int type, unsigned int code, int value) */
    @KernelSymbol("input_event")
    static void inputEvent(KernelContext k, long dev, int type, int code, int value) {
        Input in = of(k);
        if (in.supported(type, in.bits(dev, "evbit"), EV_MAX)) {
            in.handleEvent(dev, type, code, value);
        }
    }

    /** void input_inject_event(struct input_handle *handle, unsigned int type, unsigned int code, int value) */
    @KernelSymbol("input_inject_event")
    static void inputInjectEvent(KernelContext k, long handle, int type, int code, int value) {
        Input in = of(k);
        AddressSpace m = k.mem();
        long dev = m.read64(handle + k.off("input_handle_dev"));
        if (in.supported(type, in.bits(dev, "evbit"), EV_MAX)) {
            long grab = m.read64(dev + k.off("input_dev_grab"));
            if (grab == 0 || grab == handle) {
                in.handleEvent(dev, type, code, value);
            }
        }
    }

    // ---------------------------------------------------------------- registration

    /** {@code input_estimate_events_per_packet()} without slots. */
    private int estimateEventsPerPacket(long dev) {
        int slots;
        long absinfo = mem().read64(dev + off("input_dev_absinfo"));
        if (testBit(bits(dev, "absbit"), ABS_MT_TRACKING_ID)) {
            long a = absinfo + (long) ABS_MT_TRACKING_ID * off("input_absinfo_sizeof");
            slots = mem().read32(a + off("input_absinfo_maximum")) - mem().read32(a + off("input_absinfo_minimum")) + 1;
            slots = Math.max(2, Math.min(32, slots));
        } else if (testBit(bits(dev, "absbit"), ABS_MT_POSITION_X)) {
            slots = 2;
        } else {
            slots = 0;
        }
        int events = slots + 1;
        if (testBit(bits(dev, "evbit"), EV_ABS)) {
            for (int i = 0; i <= ABS_MAX; i++) {
                if (testBit(bits(dev, "absbit"), i)) {
                    events += isMtAxis(i) ? slots : 1;
                }
            }
        }
        if (testBit(bits(dev, "evbit"), EV_REL)) {
            for (int i = 0; i <= REL_MAX; i++) {
                if (testBit(bits(dev, "relbit"), i)) {
                    events++;
                }
            }
        }
        return events + 7;
    }

    /** {@code input_cleanse_bitmasks()}. */
    private void cleanse(long dev) {
        Object[][] masks = {{EV_KEY, "keybit", KEY_MAX}, {EV_REL, "relbit", REL_MAX}, {EV_ABS, "absbit", ABS_MAX},
            {EV_MSC, "mscbit", MSC_MAX}, {EV_LED, "ledbit", LED_MAX}, {EV_SND, "sndbit", SND_MAX},
            {EV_FF, "ffbit", FF_MAX}, {EV_SW, "swbit", SW_MAX}};
        for (Object[] mk : masks) {
            if (!testBit(bits(dev, "evbit"), (Integer) mk[0])) {
                mem().write(bits(dev, (String) mk[1]), new byte[((Integer) mk[2] + 64) / 64 * 8]);
            }
        }
    }

    /** int input_register_device(struct input_dev *dev) */
    @KernelSymbol("input_register_device")
    static int inputRegisterDevice(KernelContext k, long dev) {
        return of(k).register(dev);
    }

    private int register(long dev) {
        AddressSpace m = mem();
        long d = dev + off("input_dev_dev");
        if (testBit(bits(dev, "evbit"), EV_ABS) && m.read64(dev + off("input_dev_absinfo")) == 0) {
            Core.log(k, 3, d, "Absolute device without dev->absinfo, refusing to register");
            return -Errno.EINVAL;
        }
        boolean managed = m.read8(dev + off("input_dev_devres_managed")) != 0;
        long devres = 0;
        if (managed) {
            devres = Devres.devresAllocNode(k, k.sym("devm_input_device_unregister"), 8, 0xcc0, -1,
                    k.sym("devm_input_device_unregister_name"));
            if (devres == 0) {
                return -Errno.ENOMEM;
            }
            m.write64(devres, dev);
        }
        setBit(bits(dev, "evbit"), EV_SYN, true);
        setBit(bits(dev, "keybit"), 0, false);
        cleanse(dev);
        int packet = estimateEventsPerPacket(dev);
        long hint = dev + off("input_dev_hint_events_per_packet");
        if (Integer.compareUnsigned(m.read32(hint), packet) < 0) {
            m.write32(hint, packet);
        }
        int maxVals = m.read32(hint) + 2;
        m.write32(dev + off("input_dev_max_vals"), maxVals);
        long vals = k.slab().kmalloc((long) maxVals * off("input_value_sizeof"), 0x100 | 0xcc0);
        if (vals == 0) {
            Devres.devresFree(k, devres);
            return -Errno.ENOMEM;
        }
        m.write64(dev + off("input_dev_vals"), vals);
        long rep = dev + off("input_dev_rep");
        if (m.read32(rep + 4L * REP_DELAY) == 0 && m.read32(rep + 4L * REP_PERIOD) == 0) {
            // input_enable_softrepeat(dev, 250, 33)
            m.write64(dev + off("input_dev_timer") + off("timer_list_function"), k.sym("input_repeat_key"));
            m.write32(rep + 4L * REP_DELAY, 250);
            m.write32(rep + 4L * REP_PERIOD, 33);
        }
        int error = Core.deviceAdd(k, d);
        if (error != 0) {
            k.slab().kfree(vals);
            m.write64(dev + off("input_dev_vals"), 0);
            Devres.devresFree(k, devres);
            return error;
        }
        String path = Kobject.path(k, Core.kobj(k, d));
        long namePtr = m.read64(dev + off("input_dev_name"));
        k.printk(6, "input: " + (namePtr == 0 ? "Unspecified device" : k.string(namePtr, 4096)) + " as "
                + (path == null ? "N/A" : path));
        Lists.addTail(k, dev + off("input_dev_node"), k.sym("input_dev_list"));
        int node = off("input_handler_node");
        for (long e : Lists.entries(k, k.sym("input_handler_list"))) {
            attachHandler(dev, e - node);
        }
        if (managed) {
            Devres.devresAdd(k, m.read64(d + off("device_parent")), devres);
        }
        return 0;
    }

    /** {@code input_match_device_id()}. */
    private boolean matchId(long dev, long id) {
        AddressSpace m = mem();
        int flags = m.read64(id + off("input_device_id_flags")) == 0 ? 0 : (int) m.read64(id + off("input_device_id_flags"));
        String[][] fields = {{"bustype", "id_bustype"}, {"vendor", "id_vendor"}, {"product", "id_product"},
            {"version", "id_version"}};
        int[] bitsOf = {MATCH_BUS, MATCH_VENDOR, MATCH_PRODUCT, MATCH_VERSION};
        for (int i = 0; i < 4; i++) {
            if ((flags & bitsOf[i]) != 0 && m.read16(id + off("input_device_id_" + fields[i][0]))
                    != m.read16(dev + off("input_dev_" + fields[i][1]))) {
                return false;
            }
        }
        Object[][] maps = {{"evbit", EV_MAX}, {"keybit", KEY_MAX}, {"relbit", REL_MAX}, {"absbit", ABS_MAX},
            {"mscbit", MSC_MAX}, {"ledbit", LED_MAX}, {"sndbit", SND_MAX}, {"ffbit", FF_MAX}, {"swbit", SW_MAX},
            {"propbit", INPUT_PROP_MAX}};
        for (Object[] mp : maps) {
            if (!subset(id + off("input_device_id_" + mp[0]), bits(dev, (String) mp[0]), (Integer) mp[1])) {
                return false;
            }
        }
        return true;
    }

    /**
     * bool input_device_enabled(struct input_dev *dev): not inhibited and opened by someone
     * (called with the device's mutex held; lockdep's assertion is not modelled).
     */
    @KernelSymbol("input_device_enabled")
    static boolean inputDeviceEnabled(KernelContext k, long dev) {
        return k.mem().read8(dev + k.off("input_dev_inhibited")) == 0
                && k.mem().read32(dev + k.off("input_dev_users")) > 0;
    }

    /** bool input_match_device_id(const struct input_dev *dev, const struct input_device_id *id) */
    @KernelSymbol("input_match_device_id")
    static boolean inputMatchDeviceId(KernelContext k, long dev, long id) {
        return of(k).matchId(dev, id);
    }

    /** {@code input_match_device()}: the first id of the handler's table that matches, or 0. */
    private long matchDevice(long handler, long dev) {
        AddressSpace m = mem();
        long match = m.read64(handler + off("input_handler_match"));
        for (long id = m.read64(handler + off("input_handler_id_table"));
                m.read64(id + off("input_device_id_flags")) != 0 || m.read64(id + off("input_device_id_driver_info")) != 0;
                id += off("input_device_id_sizeof")) {
            if (matchId(dev, id) && (match == 0 || (k.call(match, handler, dev) & 0xff) != 0)) {
                return id;
            }
        }
        return 0;
    }

    /** {@code input_attach_handler()}. */
    private int attachHandler(long dev, long handler) {
        long id = matchDevice(handler, dev);
        if (id == 0) {
            return -Errno.ENODEV;
        }
        int error = (int) k.call(mem().read64(handler + off("input_handler_connect")), handler, dev, id);
        if (error != 0 && error != -Errno.ENODEV) {
            k.printk(3, "input: failed to attach handler " + k.string(mem().read64(handler + off("input_handler_name")), 4096)
                    + " to device " + Kobject.name(k, Core.kobj(k, dev + off("input_dev_dev"))) + ", error: " + error);
        }
        return error;
    }

    /** {@code input_disconnect_device()}: going away, keys released, handles closed. */
    private void disconnect(long dev) {
        AddressSpace m = mem();
        m.write8(dev + off("input_dev_going_away"), (byte) 1);
        // input_dev_release_keys()
        boolean sync = false;
        if (supported(EV_KEY, bits(dev, "evbit"), EV_MAX)) {
            for (int code = 0; code <= KEY_MAX; code++) {
                if (testBit(bits(dev, "key"), code)) {
                    handleEvent(dev, EV_KEY, code, 0);
                    sync = true;
                }
            }
        }
        if (sync) {
            handleEvent(dev, EV_SYN, SYN_REPORT, 1);
        }
        int dNode = off("input_handle_d_node");
        for (long e : Lists.entries(k, dev + off("input_dev_h_list"))) {
            m.write32(e - dNode + off("input_handle_open"), 0);
        }
    }

    /** {@code __input_unregister_device()}. */
    private void unregister(long dev) {
        AddressSpace m = mem();
        disconnect(dev);
        int dNode = off("input_handle_d_node");
        for (long e : Lists.entries(k, dev + off("input_dev_h_list"))) {
            long handle = e - dNode;
            long handler = m.read64(handle + off("input_handle_handler"));
            k.call(m.read64(handler + off("input_handler_disconnect")), handle);
        }
        if (!Lists.empty(k, dev + off("input_dev_h_list"))) {
            Oops.warn(k, "drivers/input/input.c:2298", "__input_unregister_device", null);
        }
        k.call(k.sym("timer_delete_sync"), dev + off("input_dev_timer"));
        Lists.delInit(k, dev + off("input_dev_node"));
        Core.deviceDel(k, dev + off("input_dev_dev"));
    }

    /** static void devm_input_device_unregister(struct device *dev, void *res) */
    @KernelSymbol(value = "devm_input_device_unregister", internal = true)
    static void devmInputDeviceUnregister(KernelContext k, long dev, long res) {
        of(k).unregister(k.mem().read64(res));
    }

    /** void input_unregister_device(struct input_dev *dev) */
    @KernelSymbol("input_unregister_device")
    static void inputUnregisterDevice(KernelContext k, long dev) {
        Input in = of(k);
        if (k.mem().read8(dev + k.off("input_dev_devres_managed")) != 0) {
            int r = Devres.devresDestroy(k, k.mem().read64(dev + k.off("input_dev_dev") + k.off("device_parent")),
                    k.sym("devm_input_device_unregister"), k.sym("devm_input_device_match"), dev);
            if (r != 0) {
                Oops.warn(k, "drivers/input/input.c:2504", "input_unregister_device", null);
            }
            in.unregister(dev);
        } else {
            in.unregister(dev);
            Core.putDevice(k, dev + k.off("input_dev_dev"));
        }
    }

    // ---------------------------------------------------------------- handlers and handles

    /** int input_register_handler(struct input_handler *handler) */
    @KernelSymbol("input_register_handler")
    static int inputRegisterHandler(KernelContext k, long handler) {
        Input in = of(k);
        Lists.init(k, handler + k.off("input_handler_h_list"));
        Lists.addTail(k, handler + k.off("input_handler_node"), k.sym("input_handler_list"));
        int node = k.off("input_dev_node");
        for (long e : Lists.entries(k, k.sym("input_dev_list"))) {
            in.attachHandler(e - node, handler);
        }
        return 0;
    }

    /** void input_unregister_handler(struct input_handler *handler) */
    @KernelSymbol("input_unregister_handler")
    static void inputUnregisterHandler(KernelContext k, long handler) {
        long disconnect = k.mem().read64(handler + k.off("input_handler_disconnect"));
        int hNode = k.off("input_handle_h_node");
        for (long e : Lists.entries(k, handler + k.off("input_handler_h_list"))) {
            k.call(disconnect, e - hNode);
        }
        if (!Lists.empty(k, handler + k.off("input_handler_h_list"))) {
            Oops.warn(k, "drivers/input/input.c:2567", "input_unregister_handler", null);
        }
        Lists.delInit(k, handler + k.off("input_handler_node"));
    }

    /**
     * int input_handler_for_each_handle(struct input_handler *handler, void *data,
     * int (*fn)(struct input_handle *, void *))
     */
    @KernelSymbol("input_handler_for_each_handle")
    static int inputHandlerForEachHandle(KernelContext k, long handler, long data, long fn) {
        int hNode = k.off("input_handle_h_node");
        for (long e : Lists.entries(k, handler + k.off("input_handler_h_list"))) {
            int r = (int) k.call(fn, e - hNode, data);
            if (r != 0) {
                return r;
            }
        }
        return 0;
    }

    /** int input_register_handle(struct input_handle *handle) */
    @KernelSymbol("input_register_handle")
    static int inputRegisterHandle(KernelContext k, long handle) {
        AddressSpace m = k.mem();
        long handler = m.read64(handle + k.off("input_handle_handler"));
        long dev = m.read64(handle + k.off("input_handle_dev"));
        long dNode = handle + k.off("input_handle_d_node");
        if (m.read64(handler + k.off("input_handler_filter")) != 0) {
            Lists.add(k, dNode, dev + k.off("input_dev_h_list"));
        } else {
            Lists.addTail(k, dNode, dev + k.off("input_dev_h_list"));
        }
        Lists.addTail(k, handle + k.off("input_handle_h_node"), handler + k.off("input_handler_h_list"));
        long start = m.read64(handler + k.off("input_handler_start"));
        if (start != 0) {
            k.call(start, handle);
        }
        return 0;
    }

    /** void input_unregister_handle(struct input_handle *handle) */
    @KernelSymbol("input_unregister_handle")
    static void inputUnregisterHandle(KernelContext k, long handle) {
        Lists.delRcu(k, handle + k.off("input_handle_h_node"));
        Lists.delRcu(k, handle + k.off("input_handle_d_node"));
        k.call(k.sym("synchronize_rcu"));
    }

    /** int input_open_device(struct input_handle *handle) */
    @KernelSymbol("input_open_device")
    static int inputOpenDevice(KernelContext k, long handle) {
        AddressSpace m = k.mem();
        long dev = m.read64(handle + k.off("input_handle_dev"));
        if (m.read8(dev + k.off("input_dev_going_away")) != 0) {
            return -Errno.ENODEV;
        }
        long openAt = handle + k.off("input_handle_open");
        m.write32(openAt, m.read32(openAt) + 1);
        long usersAt = dev + k.off("input_dev_users");
        int users = m.read32(usersAt);
        m.write32(usersAt, users + 1);
        if (users != 0 || m.read8(dev + k.off("input_dev_inhibited")) != 0) {
            return 0;
        }
        long open = m.read64(dev + k.off("input_dev_open"));
        if (open != 0) {
            int r = (int) k.call(open, dev);
            if (r != 0) {
                m.write32(usersAt, m.read32(usersAt) - 1);
                m.write32(openAt, m.read32(openAt) - 1);
                k.call(k.sym("synchronize_rcu"));
                return r;
            }
        }
        return 0;
    }

    /** void input_close_device(struct input_handle *handle) */
    @KernelSymbol("input_close_device")
    static void inputCloseDevice(KernelContext k, long handle) {
        AddressSpace m = k.mem();
        long dev = m.read64(handle + k.off("input_handle_dev"));
        // __input_release_device(): a grab by this handle ends
        if (m.read64(dev + k.off("input_dev_grab")) == handle) {
            m.write64(dev + k.off("input_dev_grab"), 0);
            k.call(k.sym("synchronize_rcu"));
        }
        long usersAt = dev + k.off("input_dev_users");
        int users = m.read32(usersAt) - 1;
        m.write32(usersAt, users);
        if (users == 0 && m.read8(dev + k.off("input_dev_inhibited")) == 0) {
            long close = m.read64(dev + k.off("input_dev_close"));
            if (close != 0) {
                k.call(close, dev);
            }
        }
        long openAt = handle + k.off("input_handle_open");
        int open = m.read32(openAt) - 1;
        m.write32(openAt, open);
        if (open == 0) {
            k.call(k.sym("synchronize_rcu"));
        }
    }
}
