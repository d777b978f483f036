package dev.kmodemu.kstubs.drivers.base.regmap;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.drivers.i2c.I2cCoreBase;

/**
 * drivers/base/regmap/regmap-i2c.c: register maps over an I2C client, through the I2C core's
 * exported functions. The bus is chosen as the kernel does from the adapter's functionality:
 * plain I2C transfers (register then value in one message; a write message and a read message
 * for reads), SMBus I2C-block (8-bit registers and values, at most 32 bytes a transfer), SMBus
 * word data (16-bit values, byte-swapped unless little endian) or SMBus byte data, else
 * -ENOTSUPP. Not provided: the reg16 I2C-block variant and adapter length quirks.
 */
public final class RegmapI2c {
    private RegmapI2c() {
    }

    private static int fromCount(int ret, int want) {
        return ret == want ? 0 : ret < 0 ? ret : -Errno.EIO;
    }

    /** The chosen bus. */
    private record I2cBus(KernelContext k, long client, String kind) implements Regmap.Bus {
        private long buf(byte[] data, int extra) {
            long b = k.slab().kmalloc(data.length + extra + 1, 0xcc0);
            k.mem().write(b, data, 0, data.length);
            return b;
        }

        @Override
        public Integer read(byte[] reg, byte[] val) {
            AddressSpace m = k.mem();
            switch (kind) {
                case "i2c" -> {
                    int msgSize = k.off("i2c_msg_sizeof");
                    long msgs = k.slab().kmalloc(2L * msgSize, 0xdc0);
                    long b = buf(reg, val.length);
                    try {
                        int addr = m.read16(client + k.off("i2c_client_addr")) & 0xffff;
                        int flags = m.read16(client + k.off("i2c_client_flags")) & k.off("I2C_M_TEN");
                        m.write16(msgs + k.off("i2c_msg_addr"), (short) addr);
                        m.write16(msgs + k.off("i2c_msg_flags"), (short) flags);
                        m.write16(msgs + k.off("i2c_msg_len"), (short) reg.length);
                        m.write64(msgs + k.off("i2c_msg_buf"), b);
                        long m2 = msgs + msgSize;
                        m.write16(m2 + k.off("i2c_msg_addr"), (short) addr);
                        m.write16(m2 + k.off("i2c_msg_flags"), (short) (flags | k.off("I2C_M_RD")));
                        m.write16(m2 + k.off("i2c_msg_len"), (short) val.length);
                        m.write64(m2 + k.off("i2c_msg_buf"), b + reg.length);
                        int ret = (int) k.call(k.sym("i2c_transfer"), m.read64(client + k.off("i2c_client_adapter")),
                                msgs, 2);
                        System.arraycopy(m.read(b + reg.length, val.length), 0, val, 0, val.length);
                        return fromCount(ret, 2);
                    } finally {
                        k.slab().kfree(b);
                        k.slab().kfree(msgs);
                    }
                }
                case "block" -> {
                    if (reg.length != 1 || val.length < 1) {
                        return -Errno.EINVAL;
                    }
                    long b = k.slab().kmalloc(val.length + 1, 0xcc0);
                    try {
                        int ret = (int) k.call(k.sym("i2c_smbus_read_i2c_block_data"), client, reg[0] & 0xff,
                                val.length, b);
                        System.arraycopy(m.read(b, val.length), 0, val, 0, val.length);
                        return fromCount(ret, val.length);
                    } finally {
                        k.slab().kfree(b);
                    }
                }
                default -> {
                    return null;
                }
            }
        }

        @Override
        public Integer write(byte[] data) {
            switch (kind) {
                case "i2c" -> {
                    long b = buf(data, 0);
                    try {
                        int ret = (int) k.call(k.sym("i2c_transfer_buffer_flags"), client, b, data.length, 0);
                        return fromCount(ret, data.length);
                    } finally {
                        k.slab().kfree(b);
                    }
                }
                case "block" -> {
                    if (data.length < 1) {
                        return -Errno.EINVAL;
                    }
                    long b = buf(data, 0);
                    try {
                        return (int) k.call(k.sym("i2c_smbus_write_i2c_block_data"), client, data[0] & 0xff,
                                data.length - 1, b + 1);
                    } finally {
                        k.slab().kfree(b);
                    }
                }
                default -> {
                    return null;
                }
            }
        }

        @Override
        public int regRead(int reg, long[] out) {
            if (Integer.compareUnsigned(reg, 0xff) > 0) {
                return -Errno.EINVAL;
            }
            String fn = kind.equals("byte") ? "i2c_smbus_read_byte_data" : "i2c_smbus_read_word_data";
            int ret = (int) k.call(k.sym(fn), client, reg);
            if (ret < 0) {
                return ret;
            }
            out[0] = kind.equals("word_swapped") ? Short.reverseBytes((short) ret) & 0xffffL : ret & 0xffffffffL;
            return 0;
        }

        @Override
        public int regWrite(int reg, int val) {
            if (kind.equals("byte")) {
                if (Integer.compareUnsigned(val, 0xff) > 0 || Integer.compareUnsigned(reg, 0xff) > 0) {
                    return -Errno.EINVAL;
                }
                return (int) k.call(k.sym("i2c_smbus_write_byte_data"), client, reg, val);
            }
            if (Integer.compareUnsigned(val, 0xffff) > 0 || Integer.compareUnsigned(reg, 0xff) > 0) {
                return -Errno.EINVAL;
            }
            int v = kind.equals("word_swapped") ? Short.reverseBytes((short) val) & 0xffff : val;
            return (int) k.call(k.sym("i2c_smbus_write_word_data"), client, reg, v);
        }

        @Override
        public boolean hasRead() {
            return kind.equals("i2c") || kind.equals("block");
        }

        @Override
        public boolean hasWrite() {
            return hasRead();
        }

        @Override
        public int regEndianDefault() {
            return kind.equals("i2c") ? k.off("REGMAP_ENDIAN_BIG") : 0;
        }

        @Override
        public int valEndianDefault() {
            return kind.equals("i2c") ? k.off("REGMAP_ENDIAN_BIG") : 0;
        }

        @Override
        public long maxRawRead() {
            return kind.equals("block") ? k.off("I2C_SMBUS_BLOCK_MAX") : 0;
        }

        @Override
        public long maxRawWrite() {
            return maxRawRead();
        }
    }

    /** {@code regmap_get_i2c_bus()}: null for -ENOTSUPP. */
    private static I2cBus bus(KernelContext k, long client, long config) {
        AddressSpace m = k.mem();
        long adap = m.read64(client + k.off("i2c_client_adapter"));
        int valBits = m.read32(config + k.off("regmap_config_val_bits"));
        int regBits = m.read32(config + k.off("regmap_config_reg_bits"));
        if (I2cCoreBase.checkFunctionality(k, adap, k.off("I2C_FUNC_I2C"))) {
            return new I2cBus(k, client, "i2c");
        }
        if (valBits == 8 && regBits == 8 && I2cCoreBase.checkFunctionality(k, adap, k.off("I2C_FUNC_SMBUS_I2C_BLOCK"))) {
            return new I2cBus(k, client, "block");
        }
        if (valBits == 8 && regBits == 16 && I2cCoreBase.checkFunctionality(k, adap, k.off("I2C_FUNC_SMBUS_I2C_BLOCK"))) {
            return null;
        }
        if (valBits == 16 && regBits == 8 && I2cCoreBase.checkFunctionality(k, adap, k.off("I2C_FUNC_SMBUS_WORD_DATA"))) {
            int endian = m.read32(config + k.off("regmap_config_val_format_endian"));
            if (endian == k.off("REGMAP_ENDIAN_LITTLE")) {
                return new I2cBus(k, client, "word");
            }
            if (endian == k.off("REGMAP_ENDIAN_BIG") || endian == k.off("REGMAP_ENDIAN_DEFAULT")) {
                return new I2cBus(k, client, "word_swapped");
            }
            return null;
        }
        if (valBits == 8 && regBits == 8 && I2cCoreBase.checkFunctionality(k, adap, k.off("I2C_FUNC_SMBUS_BYTE_DATA"))) {
            return new I2cBus(k, client, "byte");
        }
        return null;
    }

    /**
     * struct regmap *__regmap_init_i2c(struct i2c_client *i2c, const struct regmap_config *config,
     * struct lock_class_key *lock_key, const char *lock_name)
     */
    @KernelSymbol("__regmap_init_i2c")
    static long regmapInitI2c(KernelContext k, long client, long config, long key, long name) {
        I2cBus b = bus(k, client, config);
        if (b == null) {
            return -Errno.ENOTSUPP;
        }
        return Regmap.init(k, client + k.off("i2c_client_dev"), b, config);
    }

    /** struct regmap *__devm_regmap_init_i2c(...): exited when the driver detaches. */
    @KernelSymbol("__devm_regmap_init_i2c")
    static long devmRegmapInitI2c(KernelContext k, long client, long config, long key, long name) {
        long dev = client + k.off("i2c_client_dev");
        return Regmap.devm(k, dev, () -> regmapInitI2c(k, client, config, key, name));
    }
}
