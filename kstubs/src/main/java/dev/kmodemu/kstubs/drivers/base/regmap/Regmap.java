package dev.kmodemu.kstubs.drivers.base.regmap;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.drivers.base.Devres;
import dev.kmodemu.kstubs.time.Delay;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * drivers/base/regmap/regmap.c: register maps. {@code struct regmap} is private to the kernel
 * (drivers/base/regmap/internal.h), so a map is a Java object behind a small guest allocation
 * that modules only pass back. A map reads and writes through its bus: a module's
 * {@code struct regmap_bus}, the config's own {@code reg_read}/{@code reg_write} or
 * {@code read}/{@code write}, or one of regmap-i2c.c's ({@link RegmapI2c}). Registers are
 * formatted as the kernel does for byte-aligned register and value widths (8 to 64 bits, big,
 * little or native endian, the config's or the bus's default, else big), with the read and write
 * flag masks and padding; access checks use max_register, the access tables and the
 * config's callbacks; the cache ({@link Regcache}) is regcache.c's. Not provided: the packed
 * formats of odd widths (2/6, 4/12, 7/9, 10/14, 12/20, 7/17 bits), indirect ranges
 * ({@code ranges}), hardware spinlocks, and regmap-debugfs: a config with those fails with
 * -EINVAL. Asynchronous writes complete before they return, as with a bus without
 * {@code async_write}.
 */
public final class Regmap {
    private static final String FILE = "drivers/base/regmap/regmap.c:";

    private Regmap() {
    }

    /** How a map reaches its device. */
    interface Bus {
        /** {@code bus->read}: {@code reg} bytes out, then {@code val.length} bytes in; null if none. */
        default Integer read(byte[] reg, byte[] val) {
            return null;
        }

        /** {@code bus->write}: one buffer; null if none. */
        default Integer write(byte[] data) {
            return null;
        }

        /** {@code bus->reg_read}: the value in {@code out[0]}. */
        default int regRead(int reg, long[] out) {
            return -Errno.ENOTSUPP;
        }

        /** {@code bus->reg_write}. */
        default int regWrite(int reg, int val) {
            return -Errno.ENOTSUPP;
        }

        default boolean hasRead() {
            return false;
        }

        default boolean hasWrite() {
            return false;
        }

        /** {@code bus->reg_update_bits}, a guest function, or 0. */
        default long regUpdateBits() {
            return 0;
        }

        default boolean fastIo() {
            return false;
        }

        default int readFlagMask() {
            return 0;
        }

        default int regEndianDefault() {
            return 0;
        }

        default int valEndianDefault() {
            return 0;
        }

        default long maxRawRead() {
            return 0;
        }

        default long maxRawWrite() {
            return 0;
        }

        /** {@code bus->free_context} when {@code free_on_exit}. */
        default void exit() {
        }
    }

    /** One map. */
    static final class Instance {
        long handle;
        long dev;
        Bus bus;
        String name;
        int regBytes;
        int padBytes;
        int valBytes;
        int valBits;
        int regStride;
        int regDownshift;
        int regBase;
        int regEndian;
        int valEndian;
        boolean formatted;
        long readFlagMask;
        long writeFlagMask;
        boolean useSingleRead;
        boolean useSingleWrite;
        long maxRawRead;
        long maxRawWrite;
        int maxRegister;
        long wrTable;
        long rdTable;
        long volatileTable;
        long preciousTable;
        long wrNoincTable;
        long rdNoincTable;
        long writeableReg;
        long readableReg;
        long volatileReg;
        long preciousReg;
        long writeableNoincReg;
        long readableNoincReg;
        long lock;
        long unlock;
        long lockArg;
        long regUpdateBits;
        long busContext;
        boolean hasRegRead;
        Regcache cache;
        java.util.List<long[]> patch = new java.util.ArrayList<>();
    }

    private static final class State {
        final Map<Long, Instance> maps = new HashMap<>();
    }

    private static State state(KernelContext k) {
        return k.state(Regmap.class, State::new);
    }

    /** The map behind a {@code struct regmap *}, or null. */
    static Instance map(KernelContext k, long handle) {
        return state(k).maps.get(handle);
    }

    private static long cfg(KernelContext k, long config, String f) {
        return k.mem().read64(config + k.off("regmap_config_" + f));
    }

    private static int cfg32(KernelContext k, long config, String f) {
        return k.mem().read32(config + k.off("regmap_config_" + f));
    }

    private static boolean cfgBool(KernelContext k, long config, String f) {
        return k.mem().read8(config + k.off("regmap_config_" + f)) != 0;
    }

    /** {@code regmap_get_val_endian()} and friends: the config's, else the bus's, else big. */
    private static int endian(KernelContext k, int configured, int busDefault) {
        if (configured != k.off("REGMAP_ENDIAN_DEFAULT")) {
            return configured;
        }
        return busDefault != k.off("REGMAP_ENDIAN_DEFAULT") ? busDefault : k.off("REGMAP_ENDIAN_BIG");
    }

    /**
     * {@code __regmap_init()} over a Java bus (null: the config's reg_read/reg_write or
     * read/write): the map's handle, or an ERR_PTR.
     */
    static long init(KernelContext k, long dev, Bus bus, long config) {
        if (config == 0) {
            return -Errno.EINVAL;
        }
        Instance map = new Instance();
        map.dev = dev;
        map.busContext = bus instanceof GuestBus gb ? gb.context : 0;
        long name = cfg(k, config, "name");
        map.name = name == 0 ? null : k.string(name, 256);
        int regBits = cfg32(k, config, "reg_bits");
        int padBits = cfg32(k, config, "pad_bits");
        int valBits = cfg32(k, config, "val_bits");
        if (cfgBool(k, config, "use_hwlock") || k.mem().read32(config + k.off("regmap_config_num_ranges")) != 0) {
            return -Errno.EINVAL;
        }
        map.regBytes = (regBits + 7) / 8;
        map.padBytes = padBits / 8;
        map.valBytes = (valBits + 7) / 8;
        map.valBits = valBits;
        map.regDownshift = cfg32(k, config, "reg_downshift");
        map.regBase = cfg32(k, config, "reg_base");
        int stride = cfg32(k, config, "reg_stride");
        map.regStride = stride == 0 ? 1 : stride;
        boolean cfgRead = cfg(k, config, "read") != 0;
        boolean cfgWrite = cfg(k, config, "write") != 0;
        map.useSingleRead = cfgBool(k, config, "use_single_read") || !(cfgRead || (bus != null && bus.hasRead()));
        map.useSingleWrite = cfgBool(k, config, "use_single_write") || !(cfgWrite || (bus != null && bus.hasWrite()));
        if (bus != null) {
            map.maxRawRead = bus.maxRawRead();
            map.maxRawWrite = bus.maxRawWrite();
        } else if (cfg(k, config, "max_raw_read") != 0 && cfg(k, config, "max_raw_write") != 0) {
            map.maxRawRead = cfg(k, config, "max_raw_read");
            map.maxRawWrite = cfg(k, config, "max_raw_write");
        }
        map.maxRegister = cfg32(k, config, "max_register");
        map.wrTable = cfg(k, config, "wr_table");
        map.rdTable = cfg(k, config, "rd_table");
        map.volatileTable = cfg(k, config, "volatile_table");
        map.preciousTable = cfg(k, config, "precious_table");
        map.wrNoincTable = cfg(k, config, "wr_noinc_table");
        map.rdNoincTable = cfg(k, config, "rd_noinc_table");
        map.writeableReg = cfg(k, config, "writeable_reg");
        map.readableReg = cfg(k, config, "readable_reg");
        map.volatileReg = cfg(k, config, "volatile_reg");
        map.preciousReg = cfg(k, config, "precious_reg");
        map.writeableNoincReg = cfg(k, config, "writeable_noinc_reg");
        map.readableNoincReg = cfg(k, config, "readable_noinc_reg");
        if (!cfgBool(k, config, "disable_locking") && cfg(k, config, "lock") != 0 && cfg(k, config, "unlock") != 0) {
            map.lock = cfg(k, config, "lock");
            map.unlock = cfg(k, config, "unlock");
            map.lockArg = cfg(k, config, "lock_arg");
        }
        long rfm = cfg(k, config, "read_flag_mask");
        long wfm = cfg(k, config, "write_flag_mask");
        if (rfm != 0 || wfm != 0 || cfgBool(k, config, "zero_flag_mask")) {
            map.readFlagMask = rfm;
            map.writeFlagMask = wfm;
        } else if (bus != null) {
            map.readFlagMask = bus.readFlagMask();
        }
        int regEndianCfg = cfg32(k, config, "reg_format_endian");
        int valEndianCfg = cfg32(k, config, "val_format_endian");
        if (cfgRead && cfgWrite) {
            long ctxFns = config;
            bus = new ConfigBus(k, config, 0);
            map.regUpdateBits = cfg(k, ctxFns, "reg_update_bits");
            map.regEndian = k.off("REGMAP_ENDIAN_NATIVE");
            map.valEndian = k.off("REGMAP_ENDIAN_NATIVE");
            map.formatted = true;
        } else if (bus == null) {
            map.regUpdateBits = cfg(k, config, "reg_update_bits");
            bus = new ConfigBus(k, config, 0);
        } else if (!bus.hasRead() || !bus.hasWrite()) {
            map.formatted = false;
            map.regUpdateBits = bus.regUpdateBits();
        } else {
            map.regUpdateBits = bus.regUpdateBits();
            map.regEndian = endian(k, regEndianCfg, bus.regEndianDefault());
            map.valEndian = endian(k, valEndianCfg, bus.valEndianDefault());
            map.formatted = true;
        }
        if (map.formatted) {
            int rb = regBits + padBits % 8;
            if (rb % 8 != 0 || rb > 64 || rb == 40 || rb == 48 || rb == 56 || valBits % 8 != 0 || valBits == 0
                    || valBits > 64 || valBits == 40 || valBits == 48 || valBits == 56) {
                return -Errno.EINVAL;
            }
        }
        map.bus = bus;
        map.hasRegRead = map.formatted ? bus.hasRead() || cfgRead
                : bus instanceof ConfigBus cb ? cb.regRead != 0 : true;
        long handle = k.slab().kmalloc(64, 0xdc0);
        if (handle == 0) {
            return -Errno.ENOMEM;
        }
        map.handle = handle;
        state(k).maps.put(handle, map);
        int ret = Regcache.init(k, map, config);
        if (ret != 0) {
            state(k).maps.remove(handle);
            k.slab().kfree(handle);
            return ret;
        }
        return handle;
    }

    /** A bus made of the config's callbacks, with {@code bus_context} as their context. */
    static final class ConfigBus implements Bus {
        private final KernelContext k;
        final long regRead;
        private final long regWrite;
        private final long read;
        private final long write;
        final long context;

        ConfigBus(KernelContext k, long config, long context) {
            this.k = k;
            this.regRead = cfg(k, config, "reg_read");
            this.regWrite = cfg(k, config, "reg_write");
            this.read = cfg(k, config, "read");
            this.write = cfg(k, config, "write");
            this.context = context;
        }

        ConfigBus withContext(long ctx) {
            return new ConfigBus(k, this, ctx);
        }

        private ConfigBus(KernelContext k, ConfigBus o, long ctx) {
            this.k = k;
            this.regRead = o.regRead;
            this.regWrite = o.regWrite;
            this.read = o.read;
            this.write = o.write;
            this.context = ctx;
        }

        @Override
        public Integer read(byte[] reg, byte[] val) {
            return read == 0 ? null : guestRead(k, read, context, reg, val);
        }

        @Override
        public Integer write(byte[] data) {
            return write == 0 ? null : guestWrite(k, write, context, data);
        }

        @Override
        public int regRead(int reg, long[] out) {
            return regRead == 0 ? -Errno.EIO : guestRegRead(k, regRead, context, reg, out);
        }

        @Override
        public int regWrite(int reg, int val) {
            return regWrite == 0 ? -Errno.EIO : (int) k.call(regWrite, context, reg & 0xffffffffL, val & 0xffffffffL);
        }

        @Override
        public boolean hasRead() {
            return read != 0;
        }

        @Override
        public boolean hasWrite() {
            return write != 0;
        }
    }

    /** A module's {@code struct regmap_bus}. */
    static final class GuestBus implements Bus {
        private final KernelContext k;
        private final long bus;
        final long context;

        GuestBus(KernelContext k, long bus, long context) {
            this.k = k;
            this.bus = bus;
            this.context = context;
        }

        private long f(String name) {
            return k.mem().read64(bus + k.off("regmap_bus_" + name));
        }

        @Override
        public Integer read(byte[] reg, byte[] val) {
            return f("read") == 0 ? null : guestRead(k, f("read"), context, reg, val);
        }

        @Override
        public Integer write(byte[] data) {
            return f("write") == 0 ? null : guestWrite(k, f("write"), context, data);
        }

        @Override
        public int regRead(int reg, long[] out) {
            return f("reg_read") == 0 ? -Errno.EIO : guestRegRead(k, f("reg_read"), context, reg, out);
        }

        @Override
        public int regWrite(int reg, int val) {
            return f("reg_write") == 0 ? -Errno.EIO
                    : (int) k.call(f("reg_write"), context, reg & 0xffffffffL, val & 0xffffffffL);
        }

        @Override
        public boolean hasRead() {
            return f("read") != 0;
        }

        @Override
        public boolean hasWrite() {
            return f("write") != 0;
        }

        @Override
        public long regUpdateBits() {
            return f("reg_update_bits");
        }

        @Override
        public boolean fastIo() {
            return k.mem().read8(bus + k.off("regmap_bus_fast_io")) != 0;
        }

        @Override
        public int readFlagMask() {
            return k.mem().read8(bus + k.off("regmap_bus_read_flag_mask")) & 0xff;
        }

        @Override
        public int regEndianDefault() {
            return k.mem().read32(bus + k.off("regmap_bus_reg_format_endian_default"));
        }

        @Override
        public int valEndianDefault() {
            return k.mem().read32(bus + k.off("regmap_bus_val_format_endian_default"));
        }

        @Override
        public long maxRawRead() {
            return k.mem().read64(bus + k.off("regmap_bus_max_raw_read"));
        }

        @Override
        public long maxRawWrite() {
            return k.mem().read64(bus + k.off("regmap_bus_max_raw_write"));
        }

        @Override
        public void exit() {
            if (k.mem().read8(bus + k.off("regmap_bus_free_on_exit")) != 0 && f("free_context") != 0) {
                k.call(f("free_context"), context);
            }
        }
    }

    private static int guestRead(KernelContext k, long fn, long ctx, byte[] reg, byte[] val) {
        AddressSpace m = k.mem();
        long buf = k.slab().kmalloc(reg.length + val.length + 1, 0xcc0);
        try {
            m.write(buf, reg, 0, reg.length);
            int ret = (int) k.call(fn, ctx, buf, reg.length, buf + reg.length, val.length);
            System.arraycopy(m.read(buf + reg.length, val.length), 0, val, 0, val.length);
            return ret;
        } finally {
            k.slab().kfree(buf);
        }
    }

    private static int guestWrite(KernelContext k, long fn, long ctx, byte[] data) {
        long buf = k.slab().kmalloc(data.length + 1, 0xcc0);
        try {
            k.mem().write(buf, data, 0, data.length);
            return (int) k.call(fn, ctx, buf, data.length);
        } finally {
            k.slab().kfree(buf);
        }
    }

    private static int guestRegRead(KernelContext k, long fn, long ctx, int reg, long[] out) {
        long buf = k.slab().kmalloc(8, 0xdc0);
        try {
            int ret = (int) k.call(fn, ctx, reg & 0xffffffffL, buf);
            out[0] = k.mem().read32(buf) & 0xffffffffL;
            return ret;
        } finally {
            k.slab().kfree(buf);
        }
    }

    // ---------------------------------------------------------------- formatting

    private static void put(byte[] b, int off, int bytes, long v, int endian, KernelContext k) {
        boolean little = endian == k.off("REGMAP_ENDIAN_LITTLE") || endian == k.off("REGMAP_ENDIAN_NATIVE");
        for (int i = 0; i < bytes; i++) {
            int shift = 8 * (little ? i : bytes - 1 - i);
            b[off + i] = (byte) (v >>> shift);
        }
    }

    private static long get(byte[] b, int off, int bytes, int endian, KernelContext k) {
        boolean little = endian == k.off("REGMAP_ENDIAN_LITTLE") || endian == k.off("REGMAP_ENDIAN_NATIVE");
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            int shift = 8 * (little ? i : bytes - 1 - i);
            v |= (b[off + i] & 0xffL) << shift;
        }
        return v;
    }

    /** {@code format_reg} plus the flag mask on the register's first bytes. */
    private static byte[] regBuf(KernelContext k, Instance map, int reg, long flagMask, int extra) {
        byte[] b = new byte[map.regBytes + map.padBytes + extra];
        long r = ((reg & 0xffffffffL) + map.regBase) >>> map.regDownshift;
        put(b, 0, map.regBytes, r, map.regEndian, k);
        for (int i = map.regBytes - 1; i >= 0; i--) {
            b[i] |= (byte) (flagMask >>> (8 * (map.regBytes - 1 - i)));
        }
        return b;
    }

    // ---------------------------------------------------------------- access checks

    /** {@code regmap_check_range_table()}: in a yes range and in no no range. */
    private static boolean inTable(KernelContext k, long table, int reg) {
        AddressSpace m = k.mem();
        long no = m.read64(table + k.off("regmap_access_table_no_ranges"));
        int nno = m.read32(table + k.off("regmap_access_table_n_no_ranges"));
        if (inRanges(k, no, nno, reg)) {
            return false;
        }
        long yes = m.read64(table + k.off("regmap_access_table_yes_ranges"));
        int nyes = m.read32(table + k.off("regmap_access_table_n_yes_ranges"));
        if (nyes == 0) {
            return true;
        }
        return inRanges(k, yes, nyes, reg);
    }

    private static boolean inRanges(KernelContext k, long ranges, int n, int reg) {
        int size = k.off("regmap_range_sizeof");
        for (int i = 0; i < n; i++) {
            long r = ranges + (long) i * size;
            int min = k.mem().read32(r + k.off("regmap_range_range_min"));
            int max = k.mem().read32(r + k.off("regmap_range_range_max"));
            if (Integer.compareUnsigned(reg, min) >= 0 && Integer.compareUnsigned(reg, max) <= 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean callBool(KernelContext k, Instance map, long fn, int reg) {
        return (k.call(fn, map.dev, reg & 0xffffffffL) & 0xff) != 0;
    }

    private static boolean aboveMax(Instance map, int reg) {
        return map.maxRegister != 0 && Integer.compareUnsigned(reg, map.maxRegister) > 0;
    }

    static boolean writeable(KernelContext k, Instance map, int reg) {
        if (aboveMax(map, reg)) {
            return false;
        }
        if (map.writeableReg != 0) {
            return callBool(k, map, map.writeableReg, reg);
        }
        return map.wrTable == 0 || inTable(k, map.wrTable, reg);
    }

    /** {@code regmap_readable()}. */
    static boolean readable(KernelContext k, Instance map, int reg) {
        if (!map.hasRegRead || aboveMax(map, reg)) {
            return false;
        }
        if (map.readableReg != 0) {
            return callBool(k, map, map.readableReg, reg);
        }
        return map.rdTable == 0 || inTable(k, map.rdTable, reg);
    }

    static boolean isVolatile(KernelContext k, Instance map, int reg) {
        if (!readable(k, map, reg)) {
            return false;
        }
        if (map.volatileReg != 0) {
            return callBool(k, map, map.volatileReg, reg);
        }
        if (map.volatileTable != 0) {
            return inTable(k, map.volatileTable, reg);
        }
        return !map.cache.active();
    }

    static boolean precious(KernelContext k, Instance map, int reg) {
        if (!readable(k, map, reg)) {
            return false;
        }
        if (map.preciousReg != 0) {
            return callBool(k, map, map.preciousReg, reg);
        }
        return map.preciousTable != 0 && inTable(k, map.preciousTable, reg);
    }

    private static boolean noinc(KernelContext k, Instance map, int reg, boolean write) {
        long fn = write ? map.writeableNoincReg : map.readableNoincReg;
        long table = write ? map.wrNoincTable : map.rdNoincTable;
        if (fn != 0) {
            return callBool(k, map, fn, reg);
        }
        return table == 0 || inTable(k, table, reg);
    }

    private static boolean aligned(Instance map, int reg) {
        return Integer.remainderUnsigned(reg, map.regStride) == 0;
    }

    private static void lock(KernelContext k, Instance map) {
        if (map.lock != 0) {
            k.call(map.lock, map.lockArg);
        }
    }

    private static void unlock(KernelContext k, Instance map) {
        if (map.unlock != 0) {
            k.call(map.unlock, map.lockArg);
        }
    }

    // ---------------------------------------------------------------- the hardware

    /** {@code map->reg_read}: the formatted path (raw read of one value) or the bus's reg_read. */
    private static int hwRead(KernelContext k, Instance map, int reg, long[] out) {
        if (!map.formatted) {
            return map.bus.regRead(reg, out);
        }
        byte[] val = new byte[map.valBytes];
        Integer ret = map.bus.read(regBuf(k, map, reg, map.readFlagMask, 0), val);
        if (ret == null) {
            return -Errno.EINVAL;
        }
        if (ret == 0) {
            out[0] = get(val, 0, map.valBytes, map.valEndian, k);
        }
        return ret;
    }

    /** {@code map->reg_write}: formatted (register then value in one buffer) or the bus's reg_write. */
    private static int hwWrite(KernelContext k, Instance map, int reg, long val) {
        if (!map.formatted) {
            return map.bus.regWrite(reg, (int) val);
        }
        byte[] b = regBuf(k, map, reg, map.writeFlagMask, map.valBytes);
        put(b, map.regBytes + map.padBytes, map.valBytes, val, map.valEndian, k);
        Integer ret = map.bus.write(b);
        return ret == null ? -Errno.ENOTSUPP : ret;
    }

    /** {@code _regmap_read()}: the cache first unless volatile; -EBUSY from a cache-only map. */
    static int read(KernelContext k, Instance map, int reg, long[] out) {
        if (!map.cache.bypass && !isVolatile(k, map, reg)) {
            if (map.cache.read(k, map, reg, out)) {
                return 0;
            }
        }
        if (map.cache.cacheOnly) {
            return -Errno.EBUSY;
        }
        if (!readable(k, map, reg)) {
            return -Errno.EIO;
        }
        int ret = hwRead(k, map, reg, out);
        if (ret == 0 && !map.cache.bypass && !isVolatile(k, map, reg)) {
            map.cache.write(reg, out[0]);
        }
        return ret;
    }

    /** {@code _regmap_write()}: the cache is updated first; a cache-only map stops there, dirty. */
    static int write(KernelContext k, Instance map, int reg, long val) {
        if (!writeable(k, map, reg)) {
            return -Errno.EIO;
        }
        if (!map.cache.bypass) {
            if (!isVolatile(k, map, reg)) {
                map.cache.write(reg, val);
            }
            if (map.cache.cacheOnly) {
                map.cache.dirty = true;
                return 0;
            }
        }
        return hwWrite(k, map, reg, val);
    }

    private static Instance need(KernelContext k, long handle) {
        Instance map = map(k, handle);
        if (map == null) {
            throw dev.kmodemu.kstubs.kernel.Oops.bug(k, FILE + "0 (not a regmap)");
        }
        return map;
    }

    private static long ptrErr(int err) {
        return err;
    }

    // ---------------------------------------------------------------- init and exit

    /**
     * struct regmap *__regmap_init(struct device *dev, const struct regmap_bus *bus,
     * void *bus_context, const struct regmap_config *config, struct lock_class_key *lock_key,
     * const char *lock_name)
     */
    @KernelSymbol("__regmap_init")
    static long regmapInit(KernelContext k, long dev, long bus, long busContext, long config, long key, long name) {
        Bus b = bus != 0 ? new GuestBus(k, bus, busContext) : null;
        if (b == null && config != 0) {
            long h = init(k, dev, null, config);
            if (h > 0 || h < -4095) {
                Instance map = map(k, h);
                if (map.bus instanceof ConfigBus cb) {
                    map.bus = cb.withContext(busContext);
                    map.busContext = busContext;
                }
            }
            return h;
        }
        return init(k, dev, b, config);
    }

    /** static void devm_regmap_release(struct device *dev, void *res) */
    @KernelSymbol(value = "devm_regmap_release", internal = true)
    static void devmRegmapRelease(KernelContext k, long dev, long res) {
        regmapExit(k, k.mem().read64(res));
    }

    @KernelData(value = "devm_regmap_release_name", section = dev.kmodemu.firmware.Machine.Section.RODATA, size = 24)
    static void releaseName(KernelContext k, long at) {
        k.mem().poke(at, "devm_regmap_release\0".getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code __devm_regmap_init()} over any init: the map is exited when the driver detaches. */
    static long devm(KernelContext k, long dev, java.util.function.LongSupplier init) {
        long ptr = Devres.devresAllocNode(k, k.sym("devm_regmap_release"), 8, 0xcc0, -1,
                k.sym("devm_regmap_release_name"));
        if (ptr == 0) {
            return ptrErr(-Errno.ENOMEM);
        }
        long regmap = init.getAsLong();
        if (regmap < 0 && regmap >= -4095) {
            Devres.devresFree(k, ptr);
            return regmap;
        }
        k.mem().write64(ptr, regmap);
        Devres.devresAdd(k, dev, ptr);
        return regmap;
    }

    /** struct regmap *__devm_regmap_init(struct device *dev, const struct regmap_bus *bus, ...) */
    @KernelSymbol("__devm_regmap_init")
    static long devmRegmapInit(KernelContext k, long dev, long bus, long busContext, long config, long key,
            long name) {
        return devm(k, dev, () -> regmapInit(k, dev, bus, busContext, config, key, name));
    }

    /** void regmap_exit(struct regmap *map) */
    @KernelSymbol("regmap_exit")
    static void regmapExit(KernelContext k, long handle) {
        Instance map = state(k).maps.remove(handle);
        if (map == null) {
            return;
        }
        map.bus.exit();
        k.slab().kfree(handle);
    }

    /** struct device *regmap_get_device(struct regmap *map) */
    @KernelSymbol("regmap_get_device")
    static long regmapGetDevice(KernelContext k, long handle) {
        return need(k, handle).dev;
    }

    // ---------------------------------------------------------------- register access

    /** int regmap_read(struct regmap *map, unsigned int reg, unsigned int *val) */
    @KernelSymbol("regmap_read")
    static int regmapRead(KernelContext k, long handle, int reg, long val) {
        Instance map = need(k, handle);
        if (!aligned(map, reg)) {
            return -Errno.EINVAL;
        }
        lock(k, map);
        long[] out = new long[1];
        int ret = read(k, map, reg, out);
        if (ret == 0) {
            k.mem().write32(val, (int) out[0]);
        }
        unlock(k, map);
        return ret;
    }

    /** int regmap_write(struct regmap *map, unsigned int reg, unsigned int val) */
    @KernelSymbol({"regmap_write", "regmap_write_async"})
    static int regmapWrite(KernelContext k, long handle, int reg, int val) {
        Instance map = need(k, handle);
        if (!aligned(map, reg)) {
            return -Errno.EINVAL;
        }
        lock(k, map);
        int ret = write(k, map, reg, val & 0xffffffffL);
        unlock(k, map);
        return ret;
    }

    /** {@code _regmap_update_bits()}: the bus's own update_bits if it has one, else read-modify-write. */
    private static int updateBits(KernelContext k, Instance map, int reg, int mask, int val, long change,
            boolean force) {
        boolean changed = false;
        int ret;
        if (isVolatile(k, map, reg) && map.regUpdateBits != 0) {
            ret = (int) k.call(map.regUpdateBits, map.busContext, reg & 0xffffffffL,
                    mask & 0xffffffffL, val & 0xffffffffL);
            changed = ret == 0;
        } else {
            long[] orig = new long[1];
            ret = read(k, map, reg, orig);
            if (ret != 0) {
                return ret;
            }
            long tmp = (orig[0] & ~(mask & 0xffffffffL)) | (val & mask & 0xffffffffL);
            if (force || tmp != orig[0]) {
                ret = write(k, map, reg, tmp);
                changed = ret == 0;
            }
        }
        if (change != 0) {
            k.mem().write8(change, (byte) (changed ? 1 : 0));
        }
        return ret;
    }

    /**
     * int regmap_update_bits_base(struct regmap *map, unsigned int reg, unsigned int mask,
     * unsigned int val, bool *change, bool async, bool force)
     */
    @KernelSymbol("regmap_update_bits_base")
    static int regmapUpdateBitsBase(KernelContext k, long handle, int reg, int mask, int val, long change, int async,
            int force) {
        Instance map = need(k, handle);
        lock(k, map);
        int ret = updateBits(k, map, reg, mask, val, change, (force & 0xff) != 0);
        unlock(k, map);
        return ret;
    }

    /** int regmap_test_bits(struct regmap *map, unsigned int reg, unsigned int bits) */
    @KernelSymbol("regmap_test_bits")
    static int regmapTestBits(KernelContext k, long handle, int reg, int bits) {
        Instance map = need(k, handle);
        lock(k, map);
        long[] out = new long[1];
        int ret = aligned(map, reg) ? read(k, map, reg, out) : -Errno.EINVAL;
        unlock(k, map);
        return ret != 0 ? ret : (out[0] & (bits & 0xffffffffL)) == (bits & 0xffffffffL) ? 1 : 0;
    }

    private static long getNative(KernelContext k, long buf, int bytes) {
        return switch (bytes) {
            case 1 -> k.mem().read8(buf) & 0xffL;
            case 2 -> k.mem().read16(buf) & 0xffffL;
            case 4 -> k.mem().read32(buf) & 0xffffffffL;
            default -> k.mem().read64(buf);
        };
    }

    private static void putNative(KernelContext k, long buf, int bytes, long v) {
        switch (bytes) {
            case 1 -> k.mem().write8(buf, (byte) v);
            case 2 -> k.mem().write16(buf, (short) v);
            case 4 -> k.mem().write32(buf, (int) v);
            default -> k.mem().write64(buf, v);
        }
    }

    /** {@code _regmap_raw_read()} of {@code count} values from {@code reg}, in the device's format. */
    private static int rawRead(KernelContext k, Instance map, int reg, byte[] out) {
        Integer ret = map.bus.read(regBuf(k, map, reg, map.readFlagMask, 0), out);
        return ret == null ? -Errno.ENOTSUPP : ret;
    }

    /**
     * int regmap_bulk_read(struct regmap *map, unsigned int reg, void *val, size_t val_count):
     * one raw transfer when the values can all come from the device (a formatted bus, no cache
     * or all volatile, within max_raw_read), else one read per register; values land in native
     * order, {@code val_bytes} each.
     */
    @KernelSymbol("regmap_bulk_read")
    static int regmapBulkRead(KernelContext k, long handle, int reg, long val, long count) {
        Instance map = need(k, handle);
        if (!aligned(map, reg)) {
            return -Errno.EINVAL;
        }
        if (count == 0) {
            return -Errno.EINVAL;
        }
        int vb = map.valBytes;
        lock(k, map);
        try {
            boolean allVolatile = true;
            for (long i = 0; i < count; i++) {
                allVolatile &= isVolatile(k, map, reg + (int) i * map.regStride);
            }
            if (map.formatted && map.bus.hasRead() && !map.useSingleRead && allVolatile
                    && (map.maxRawRead == 0 || count * vb <= map.maxRawRead)) {
                for (long i = 0; i < count; i++) {
                    int r = reg + (int) i * map.regStride;
                    if (!readable(k, map, r) || (map.cache.cacheOnly)) {
                        return map.cache.cacheOnly ? -Errno.EBUSY : -Errno.EIO;
                    }
                }
                byte[] raw = new byte[(int) (count * vb)];
                int ret = rawRead(k, map, reg, raw);
                if (ret != 0) {
                    return ret;
                }
                for (int i = 0; i < count; i++) {
                    putNative(k, val + (long) i * vb, vb, get(raw, i * vb, vb, map.valEndian, k));
                }
                return 0;
            }
            long[] out = new long[1];
            for (long i = 0; i < count; i++) {
                int ret = read(k, map, reg + (int) i * map.regStride, out);
                if (ret != 0) {
                    return ret;
                }
                putNative(k, val + i * vb, vb, out[0]);
            }
            return 0;
        } finally {
            unlock(k, map);
        }
    }

    /**
     * int regmap_bulk_write(struct regmap *map, unsigned int reg, const void *val, size_t val_count):
     * register by register without a raw-capable bus, else one raw write of the formatted values
     * (the cache updated first).
     */
    @KernelSymbol("regmap_bulk_write")
    static int regmapBulkWrite(KernelContext k, long handle, int reg, long val, long count) {
        Instance map = need(k, handle);
        if (!aligned(map, reg)) {
            return -Errno.EINVAL;
        }
        int vb = map.valBytes;
        lock(k, map);
        try {
            if (!map.formatted || !map.bus.hasWrite()) {
                for (long i = 0; i < count; i++) {
                    int ret = write(k, map, reg + (int) i * map.regStride, getNative(k, val + i * vb, vb));
                    if (ret != 0) {
                        return ret;
                    }
                }
                return 0;
            }
            byte[] vals = new byte[(int) (count * vb)];
            for (int i = 0; i < count; i++) {
                put(vals, i * vb, vb, getNative(k, val + (long) i * vb, vb), map.valEndian, k);
            }
            return rawWrite(k, map, reg, vals);
        } finally {
            unlock(k, map);
        }
    }

    /** {@code _regmap_raw_write()}: writeable registers only, the cache updated, then one buffer. */
    private static int rawWrite(KernelContext k, Instance map, int reg, byte[] vals) {
        int vb = map.valBytes;
        int n = vals.length / vb;
        for (int i = 0; i < n; i++) {
            if (!writeable(k, map, reg + i * map.regStride)) {
                return -Errno.EINVAL;
            }
        }
        if (!map.cache.bypass) {
            for (int i = 0; i < n; i++) {
                int r = reg + i * map.regStride;
                if (!isVolatile(k, map, r)) {
                    map.cache.write(r, get(vals, i * vb, vb, map.valEndian, k));
                }
            }
            if (map.cache.cacheOnly) {
                map.cache.dirty = true;
                return 0;
            }
        }
        if (map.maxRawWrite != 0 && vals.length > map.maxRawWrite) {
            return -Errno.E2BIG;
        }
        byte[] b = regBuf(k, map, reg, map.writeFlagMask, vals.length);
        System.arraycopy(vals, 0, b, map.regBytes + map.padBytes, vals.length);
        Integer ret = map.bus.write(b);
        return ret == null ? -Errno.ENOTSUPP : ret;
    }

    /** int regmap_raw_write(struct regmap *map, unsigned int reg, const void *val, size_t val_len) */
    @KernelSymbol({"regmap_raw_write", "regmap_raw_write_async"})
    static int regmapRawWrite(KernelContext k, long handle, int reg, long val, long len) {
        Instance map = need(k, handle);
        if (!map.formatted || !map.bus.hasWrite()) {
            return -Errno.EINVAL;
        }
        if (len % map.valBytes != 0 || !aligned(map, reg)) {
            return -Errno.EINVAL;
        }
        byte[] vals = new byte[(int) len];
        System.arraycopy(k.mem().read(val, vals.length), 0, vals, 0, vals.length);
        lock(k, map);
        int ret = rawWrite(k, map, reg, vals);
        unlock(k, map);
        return ret;
    }

    /**
     * int regmap_raw_read(struct regmap *map, unsigned int reg, void *val, size_t val_len): from
     * the device in its format, or from the cache formatted as the device would send it.
     */
    @KernelSymbol("regmap_raw_read")
    static int regmapRawRead(KernelContext k, long handle, int reg, long val, long len) {
        Instance map = need(k, handle);
        int vb = map.valBytes;
        if (!map.formatted || !map.bus.hasRead()) {
            return -Errno.EINVAL;
        }
        if (len % vb != 0 || !aligned(map, reg) || len == 0) {
            return -Errno.EINVAL;
        }
        lock(k, map);
        try {
            int n = (int) (len / vb);
            byte[] raw = new byte[(int) len];
            boolean fromHw = !map.cache.active() || map.cache.bypass;
            for (int i = 0; i < n && !fromHw; i++) {
                fromHw = isVolatile(k, map, reg + i * map.regStride);
            }
            if (fromHw) {
                if (map.maxRawRead != 0 && len > map.maxRawRead) {
                    return -Errno.E2BIG;
                }
                int ret = rawRead(k, map, reg, raw);
                if (ret != 0) {
                    return ret;
                }
            } else {
                long[] out = new long[1];
                for (int i = 0; i < n; i++) {
                    int ret = read(k, map, reg + i * map.regStride, out);
                    if (ret != 0) {
                        return ret;
                    }
                    put(raw, i * vb, vb, out[0], map.valEndian, k);
                }
            }
            k.mem().write(val, raw, 0, raw.length);
            return 0;
        } finally {
            unlock(k, map);
        }
    }

    /**
     * int regmap_noinc_read(struct regmap *map, unsigned int reg, void *val, size_t val_len):
     * {@code val_len} bytes from one FIFO-like register, in raw transfers of at most max_raw_read.
     */
    @KernelSymbol("regmap_noinc_read")
    static int regmapNoincRead(KernelContext k, long handle, int reg, long val, long len) {
        Instance map = need(k, handle);
        if (!map.formatted || !map.bus.hasRead()) {
            return -Errno.EINVAL;
        }
        if (len % map.valBytes != 0 || !aligned(map, reg) || len == 0) {
            return -Errno.EINVAL;
        }
        lock(k, map);
        try {
            if (!noinc(k, map, reg, false)) {
                return -Errno.EINVAL;
            }
            long done = 0;
            while (done < len) {
                long chunk = map.maxRawRead != 0 ? Math.min(map.maxRawRead, len - done) : len - done;
                byte[] raw = new byte[(int) chunk];
                int ret = rawRead(k, map, reg, raw);
                if (ret != 0) {
                    return ret;
                }
                k.mem().write(val + done, raw, 0, raw.length);
                done += chunk;
            }
            return 0;
        } finally {
            unlock(k, map);
        }
    }

    /** The writes of a {@code struct reg_sequence} array, with their delays. */
    static int sequence(KernelContext k, Instance map, long regs, int num) {
        int size = k.off("reg_sequence_sizeof");
        for (int i = 0; i < num; i++) {
            long r = regs + (long) i * size;
            int reg = k.mem().read32(r + k.off("reg_sequence_reg"));
            if (!aligned(map, reg)) {
                return -Errno.EINVAL;
            }
            int ret = write(k, map, reg, k.mem().read32(r + k.off("reg_sequence_def")) & 0xffffffffL);
            if (ret != 0) {
                return ret;
            }
            int delay = k.mem().read32(r + k.off("reg_sequence_delay_us"));
            if (delay != 0) {
                Delay.udelay(k, delay);
            }
        }
        return 0;
    }

    /** int regmap_multi_reg_write(struct regmap *map, const struct reg_sequence *regs, int num_regs) */
    @KernelSymbol({"regmap_multi_reg_write", "regmap_multi_reg_write_bypassed"})
    static int regmapMultiRegWrite(KernelContext k, long handle, long regs, int num) {
        Instance map = need(k, handle);
        lock(k, map);
        int ret = sequence(k, map, regs, num);
        unlock(k, map);
        return ret;
    }

    /**
     * int regmap_register_patch(struct regmap *map, const struct reg_sequence *regs, int num_regs):
     * written now past the cache, and again by every {@code regcache_sync()}.
     */
    @KernelSymbol("regmap_register_patch")
    static int regmapRegisterPatch(KernelContext k, long handle, long regs, int num) {
        Instance map = need(k, handle);
        if (num <= 0) {
            return 0;
        }
        lock(k, map);
        boolean bypass = map.cache.bypass;
        map.cache.bypass = true;
        int ret = sequence(k, map, regs, num);
        map.cache.bypass = bypass;
        if (ret == 0) {
            int size = k.off("reg_sequence_sizeof");
            for (int i = 0; i < num; i++) {
                long r = regs + (long) i * size;
                map.patch.add(new long[] {k.mem().read32(r + k.off("reg_sequence_reg")) & 0xffffffffL,
                    k.mem().read32(r + k.off("reg_sequence_def")) & 0xffffffffL,
                    k.mem().read32(r + k.off("reg_sequence_delay_us")) & 0xffffffffL});
            }
        }
        unlock(k, map);
        return ret;
    }

    /** int regmap_async_complete(struct regmap *map): every write has completed already. */
    @KernelSymbol("regmap_async_complete")
    static int regmapAsyncComplete(KernelContext k, long handle) {
        return 0;
    }

    /** void regmap_async_complete_cb(struct regmap_async *async, int ret): no write is in flight here. */
    @KernelSymbol("regmap_async_complete_cb")
    static void regmapAsyncCompleteCb(KernelContext k, long async, int ret) {
    }

    /** int regmap_get_val_bytes(struct regmap *map) */
    @KernelSymbol("regmap_get_val_bytes")
    static int regmapGetValBytes(KernelContext k, long handle) {
        Instance map = need(k, handle);
        return map.formatted ? map.valBytes : -Errno.EINVAL;
    }

    /** int regmap_get_max_register(struct regmap *map) */
    @KernelSymbol("regmap_get_max_register")
    static int regmapGetMaxRegister(KernelContext k, long handle) {
        Instance map = need(k, handle);
        return map.maxRegister != 0 ? map.maxRegister : -Errno.EINVAL;
    }

    /** int regmap_get_reg_stride(struct regmap *map) */
    @KernelSymbol("regmap_get_reg_stride")
    static int regmapGetRegStride(KernelContext k, long handle) {
        return need(k, handle).regStride;
    }

    // ---------------------------------------------------------------- fields

    /**
     * struct regmap_field *devm_regmap_field_alloc(struct device *dev, struct regmap *regmap,
     * struct reg_field reg_field): the 20-byte field comes by value, on the stack. A
     * {@code struct regmap_field} here is {regmap, mask, shift, reg, id_size, id_offset}.
     */
    @KernelSymbol("devm_regmap_field_alloc")
    static long devmRegmapFieldAlloc(KernelContext k, long dev, long regmap) {
        long rf = Devres.devmKmalloc(k, dev, 40, 0xdc0);
        if (rf == 0) {
            return -Errno.ENOMEM;
        }
        fieldInit(k, rf, regmap, k.frame().rsp() + 8);
        return rf;
    }

    /** struct regmap_field *regmap_field_alloc(struct regmap *regmap, struct reg_field reg_field) */
    @KernelSymbol("regmap_field_alloc")
    static long regmapFieldAlloc(KernelContext k, long regmap) {
        long rf = k.slab().kmalloc(40, 0xdc0);
        if (rf == 0) {
            return -Errno.ENOMEM;
        }
        fieldInit(k, rf, regmap, k.frame().rsp() + 8);
        return rf;
    }

    /** void regmap_field_free(struct regmap_field *field) */
    @KernelSymbol("regmap_field_free")
    static void regmapFieldFree(KernelContext k, long field) {
        k.slab().kfree(field);
    }

    /** void devm_regmap_field_free(struct device *dev, struct regmap_field *field) */
    @KernelSymbol("devm_regmap_field_free")
    static void devmRegmapFieldFree(KernelContext k, long dev, long field) {
        Devres.devmKfree(k, dev, field);
    }

    /** {@code regmap_field_init()}: mask GENMASK(msb, lsb), shift lsb. */
    private static void fieldInit(KernelContext k, long rf, long regmap, long regField) {
        AddressSpace m = k.mem();
        int lsb = m.read32(regField + k.off("reg_field_lsb"));
        int msb = m.read32(regField + k.off("reg_field_msb"));
        long mask = ((msb >= 31 ? 0xffffffffL : ((1L << (msb + 1)) - 1)) & ~((1L << lsb) - 1)) & 0xffffffffL;
        m.write64(rf, regmap);
        m.write32(rf + 8, (int) mask);
        m.write32(rf + 12, lsb);
        m.write32(rf + 16, m.read32(regField + k.off("reg_field_reg")));
        m.write32(rf + 20, m.read32(regField + k.off("reg_field_id_size")));
        m.write32(rf + 24, m.read32(regField + k.off("reg_field_id_offset")));
    }

    /** int regmap_field_read(struct regmap_field *field, unsigned int *val) */
    @KernelSymbol("regmap_field_read")
    static int regmapFieldRead(KernelContext k, long field, long val) {
        AddressSpace m = k.mem();
        long tmp = k.slab().kmalloc(8, 0xcc0);
        try {
            int ret = regmapRead(k, m.read64(field), m.read32(field + 16), tmp);
            if (ret != 0) {
                return ret;
            }
            int v = m.read32(tmp) & m.read32(field + 8);
            m.write32(val, v >>> m.read32(field + 12));
            return 0;
        } finally {
            k.slab().kfree(tmp);
        }
    }

    /**
     * int regmap_field_update_bits_base(struct regmap_field *field, unsigned int mask,
     * unsigned int val, bool *change, bool async, bool force)
     */
    @KernelSymbol("regmap_field_update_bits_base")
    static int regmapFieldUpdateBitsBase(KernelContext k, long field, int mask, int val, long change, int async,
            int force) {
        AddressSpace m = k.mem();
        int shift = m.read32(field + 12);
        int fmask = m.read32(field + 8);
        return regmapUpdateBitsBase(k, m.read64(field), m.read32(field + 16), (mask << shift) & fmask, val << shift,
                change, async, force);
    }

    // ---------------------------------------------------------------- the cache's entry points

    /** void regcache_mark_dirty(struct regmap *map) */
    @KernelSymbol("regcache_mark_dirty")
    static void regcacheMarkDirty(KernelContext k, long handle) {
        Instance map = need(k, handle);
        map.cache.dirty = true;
        map.cache.noSyncDefaults = true;
    }

    /** void regcache_cache_only(struct regmap *map, bool enable): WARNs if bypass is on. */
    @KernelSymbol("regcache_cache_only")
    static void regcacheCacheOnly(KernelContext k, long handle, int enable) {
        Instance map = need(k, handle);
        if (map.cache.bypass && (enable & 0xff) != 0) {
            dev.kmodemu.kstubs.kernel.Oops.warn(k, "drivers/base/regmap/regcache.c:525", "regcache_cache_only", null);
        }
        map.cache.cacheOnly = (enable & 0xff) != 0;
    }

    /** void regcache_cache_bypass(struct regmap *map, bool enable) */
    @KernelSymbol("regcache_cache_bypass")
    static void regcacheCacheBypass(KernelContext k, long handle, int enable) {
        Instance map = need(k, handle);
        if (map.cache.cacheOnly && (enable & 0xff) != 0) {
            dev.kmodemu.kstubs.kernel.Oops.warn(k, "drivers/base/regmap/regcache.c:569", "regcache_cache_bypass",
                    null);
        }
        map.cache.bypass = (enable & 0xff) != 0;
    }

    /** int regcache_sync(struct regmap *map) */
    @KernelSymbol("regcache_sync")
    static int regcacheSync(KernelContext k, long handle) {
        Instance map = need(k, handle);
        lock(k, map);
        int ret = map.cache.sync(k, map, 0, -1);
        unlock(k, map);
        return ret;
    }

    /** int regcache_sync_region(struct regmap *map, unsigned int min, unsigned int max) */
    @KernelSymbol("regcache_sync_region")
    static int regcacheSyncRegion(KernelContext k, long handle, int min, int max) {
        Instance map = need(k, handle);
        lock(k, map);
        int ret = map.cache.sync(k, map, min, max);
        unlock(k, map);
        return ret;
    }

    /** int regcache_drop_region(struct regmap *map, unsigned int min, unsigned int max) */
    @KernelSymbol("regcache_drop_region")
    static int regcacheDropRegion(KernelContext k, long handle, int min, int max) {
        Instance map = need(k, handle);
        if (!map.cache.active()) {
            return -Errno.EINVAL;
        }
        map.cache.drop(min, max);
        return 0;
    }

    /** Writes past the cache (regcache_sync's writes). */
    static int writeHw(KernelContext k, Instance map, int reg, long val) {
        return hwWrite(k, map, reg, val);
    }
}
