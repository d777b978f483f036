package dev.kmodemu.kstubs.drivers.base.regmap;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.drivers.base.Core;

import java.util.TreeMap;

/**
 * drivers/base/regmap/regcache.c with regcache-flat.c and regcache-rbtree.c: a map's register
 * cache. The flat cache holds every register up to max_register (0 where no default says
 * otherwise), so it always answers; the rbtree cache holds the registers with defaults and those
 * read or written since, and a miss goes to the device. Debian's kernel has no
 * {@code CONFIG_REGCACHE_COMPRESSED}, so REGCACHE_COMPRESSED is refused as there.
 */
final class Regcache {
    /** 0: REGCACHE_NONE (always bypassed). */
    private final int type;
    private final boolean flat;
    private final TreeMap<Integer, Long> values = new TreeMap<>();
    /** The defaults, for {@code regcache_reg_needs_sync()}. */
    private final TreeMap<Integer, Long> defaults = new TreeMap<>();
    boolean bypass;
    boolean cacheOnly;
    boolean dirty;
    boolean noSyncDefaults;

    private Regcache(int type, boolean flat) {
        this.type = type;
        this.flat = flat;
    }

    boolean active() {
        return type != 0;
    }

    /** {@code regcache_init()}: 0 or an errno; the map's cache is set either way on success. */
    static int init(KernelContext k, Regmap.Instance map, long config) {
        AddressSpace m = k.mem();
        int type = m.read32(config + k.off("regmap_config_cache_type"));
        long defaults = m.read64(config + k.off("regmap_config_reg_defaults"));
        int numDefaults = m.read32(config + k.off("regmap_config_num_reg_defaults"));
        long raw = m.read64(config + k.off("regmap_config_reg_defaults_raw"));
        int numRaw = m.read32(config + k.off("regmap_config_num_reg_defaults_raw"));
        if (type == k.off("REGCACHE_NONE")) {
            map.cache = new Regcache(0, false);
            if (defaults != 0 || numRaw != 0) {
                Core.log(k, 4, map.dev, "No cache used with register defaults set!");
            }
            map.cache.bypass = true;
            return 0;
        }
        if (defaults != 0 && numDefaults == 0) {
            Core.log(k, 3, map.dev, "Register defaults are set without the number!");
            return -Errno.EINVAL;
        }
        if (numDefaults != 0 && defaults == 0) {
            Core.log(k, 3, map.dev, "Register defaults number are set without the reg!");
            return -Errno.EINVAL;
        }
        int size = k.off("reg_default_sizeof");
        for (int i = 0; i < numDefaults; i++) {
            int reg = m.read32(defaults + (long) i * size + k.off("reg_default_reg"));
            if (Integer.remainderUnsigned(reg, map.regStride) != 0) {
                return -Errno.EINVAL;
            }
        }
        boolean flat = type == k.off("REGCACHE_FLAT");
        if (!flat && type != k.off("REGCACHE_RBTREE")) {
            Core.log(k, 3, map.dev, "Could not match compress type: " + type);
            return -Errno.EINVAL;
        }
        Regcache c = new Regcache(type, flat);
        map.cache = c;
        if (defaults != 0) {
            for (int i = 0; i < numDefaults; i++) {
                long d = defaults + (long) i * size;
                c.defaults.put(m.read32(d + k.off("reg_default_reg")),
                        m.read32(d + k.off("reg_default_def")) & 0xffffffffL);
            }
        } else if (numRaw != 0) {
            int ret = hwInit(k, map, c, raw, numRaw);
            if (ret < 0) {
                return ret;
            }
            if (c.bypass) {
                return 0;
            }
        }
        if (map.maxRegister == 0 && numRaw != 0) {
            map.maxRegister = (numRaw - 1) * map.regStride;
        }
        if (flat) {
            for (long r = 0; r <= (map.maxRegister & 0xffffffffL); r += map.regStride) {
                c.values.put((int) r, 0L);
            }
        }
        c.values.putAll(c.defaults);
        return 0;
    }

    /** {@code regcache_hw_init()}: defaults from the raw table, or read back from the device. */
    private static int hwInit(KernelContext k, Regmap.Instance map, Regcache c, long raw, int numRaw) {
        int count = 0;
        for (int i = 0; i < numRaw; i++) {
            int reg = i * map.regStride;
            if (Regmap.readable(k, map, reg) && !Regmap.isVolatile(k, map, reg)) {
                count++;
            }
        }
        if (count == 0) {
            c.bypass = true;
            return 0;
        }
        if (raw == 0) {
            Core.log(k, 4, map.dev, "No cache defaults, reading back from HW");
        }
        for (int i = 0; i < numRaw; i++) {
            int reg = i * map.regStride;
            if (!Regmap.readable(k, map, reg) || Regmap.isVolatile(k, map, reg)) {
                continue;
            }
            long val;
            if (raw != 0) {
                val = switch (map.valBytes) {
                    case 1 -> k.mem().read8(raw + i) & 0xffL;
                    case 2 -> k.mem().read16(raw + 2L * i) & 0xffffL;
                    default -> k.mem().read32(raw + 4L * i) & 0xffffffffL;
                };
            } else {
                boolean was = c.bypass;
                c.bypass = true;
                long[] out = new long[1];
                int ret = Regmap.read(k, map, reg, out);
                c.bypass = was;
                if (ret != 0) {
                    Core.log(k, 3, map.dev, "Failed to read " + reg + ": " + ret);
                    return ret;
                }
                val = out[0];
            }
            c.defaults.put(reg, val);
        }
        return 0;
    }

    /** {@code cache_ops->read}: true with the value if cached. */
    boolean read(KernelContext k, Regmap.Instance map, int reg, long[] out) {
        if (!active()) {
            return false;
        }
        Long v = values.get(reg);
        if (v == null) {
            return false;
        }
        out[0] = v;
        return true;
    }

    /** {@code cache_ops->write}. */
    void write(int reg, long val) {
        if (active()) {
            values.put(reg, val);
        }
    }

    /** {@code regcache_drop_region()}: forgotten (the flat cache keeps its slots). */
    void drop(int min, int max) {
        if (flat) {
            return;
        }
        values.subMap(min, true, max, true).clear();
    }

    /**
     * {@code regcache_sync()} / {@code regcache_sync_region()} ({@code max} -1: everything): the
     * registered patch first, then every cached writeable, non-volatile register that differs from
     * its default (all of them unless the device was marked reset), past the cache.
     */
    int sync(KernelContext k, Regmap.Instance map, int min, int max) {
        if (!active()) {
            return 0;
        }
        boolean was = bypass;
        boolean whole = max == -1;
        if (whole && !dirty) {
            return 0;
        }
        bypass = true;
        try {
            if (whole) {
                for (long[] p : map.patch) {
                    int ret = Regmap.writeHw(k, map, (int) p[0], p[1]);
                    if (ret != 0) {
                        Core.log(k, 3, map.dev, "Failed to write " + p[0] + ": " + ret);
                        return ret;
                    }
                }
            }
            for (var e : values.entrySet()) {
                int reg = e.getKey();
                if (!whole && (Integer.compareUnsigned(reg, min) < 0 || Integer.compareUnsigned(reg, max) > 0)) {
                    continue;
                }
                if (!Regmap.writeable(k, map, reg) || Regmap.isVolatile(k, map, reg)) {
                    continue;
                }
                Long def = defaults.get(reg);
                if (noSyncDefaults && def != null && def.longValue() == e.getValue()) {
                    continue;
                }
                int ret = Regmap.writeHw(k, map, reg, e.getValue());
                if (ret != 0) {
                    Core.log(k, 3, map.dev, "Unable to sync register %#x. %d".formatted(reg, ret));
                    return ret;
                }
            }
            if (whole) {
                dirty = false;
                noSyncDefaults = false;
            }
            return 0;
        } finally {
            bypass = was;
        }
    }
}
