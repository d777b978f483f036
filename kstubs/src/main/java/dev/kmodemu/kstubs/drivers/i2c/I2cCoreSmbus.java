package dev.kmodemu.kstubs.drivers.i2c;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.drivers.base.Core;

/**
 * drivers/i2c/i2c-core-smbus.c: SMBus transfers on an adapter, through its own
 * {@code smbus_xfer()} (retried on -EAGAIN within the adapter's timeout) or, for an adapter with
 * plain I2C transfers only (or whose smbus_xfer() says -EOPNOTSUPP), emulated as the kernel
 * emulates them: one write message, or a write and a read, with PEC computed and checked for
 * clients that ask for it. The messages and their buffers are in kernel memory as the kernel's
 * are (its stack buffers are kmalloc'd here), and the {@code i2c_smbus_*()} helpers are the
 * kernel's.
 */
public final class I2cCoreSmbus {
    private I2cCoreSmbus() {
    }

    private static final int POLY = 0x1070 << 3;

    /** {@code crc8()} of the SMBus PEC. */
    private static int crc8(int data) {
        for (int i = 0; i < 8; i++) {
            if ((data & 0x8000) != 0) {
                data ^= POLY;
            }
            data = (data << 1) & 0xffff;
        }
        return (data >> 8) & 0xff;
    }

    private static int pec(int crc, byte[] p, int off, int count) {
        for (int i = 0; i < count; i++) {
            crc = crc8(((crc ^ p[off + i]) & 0xff) << 8);
        }
        return crc;
    }

    /** u8 i2c_smbus_pec(u8 crc, u8 *p, size_t count) */
    @KernelSymbol("i2c_smbus_pec")
    static int i2cSmbusPec(KernelContext k, int crc, long p, long count) {
        return pec(crc & 0xff, k.mem().read(p, (int) count), 0, (int) count);
    }

    /** {@code i2c_smbus_msg_pec()}: the PEC of a message's address byte and data. */
    private static int msgPec(KernelContext k, int crc, long msg) {
        AddressSpace m = k.mem();
        int addr = (m.read16(msg + k.off("i2c_msg_addr")) & 0xffff) << 1;
        if ((m.read16(msg + k.off("i2c_msg_flags")) & k.off("I2C_M_RD")) != 0) {
            addr |= 1;
        }
        crc = pec(crc, new byte[] {(byte) addr}, 0, 1);
        int len = m.read16(msg + k.off("i2c_msg_len")) & 0xffff;
        return pec(crc, m.read(m.read64(msg + k.off("i2c_msg_buf")), len), 0, len);
    }

    /**
     * s32 i2c_smbus_xfer(struct i2c_adapter *adapter, u16 addr, unsigned short flags, char read_write,
     * u8 command, int protocol, union i2c_smbus_data *data): with the bus locked.
     */
    @KernelSymbol("i2c_smbus_xfer")
    public static int xfer(KernelContext k, long adap, int addr, int flags, int readWrite, int command, int protocol,
            long data) {
        I2cCoreBase c = I2cCoreBase.of(k);
        c.lockBus(adap);
        try {
            return xferLocked(k, adap, addr, flags, readWrite, command, protocol, data);
        } finally {
            c.unlockBus(adap);
        }
    }

    /**
     * s32 __i2c_smbus_xfer(struct i2c_adapter *adapter, u16 addr, unsigned short flags, char read_write,
     * u8 command, int protocol, union i2c_smbus_data *data)
     */
    @KernelSymbol("__i2c_smbus_xfer")
    static int xferLocked(KernelContext k, long adap, int addr, int flags, int readWrite, int command, int protocol,
            long data) {
        AddressSpace m = k.mem();
        flags &= k.off("I2C_M_TEN") | k.off("I2C_CLIENT_PEC") | k.off("I2C_CLIENT_SCCB");
        long algo = m.read64(adap + k.off("i2c_adapter_algo"));
        long fn = m.read64(algo + k.off("i2c_algorithm_smbus_xfer"));
        if (fn != 0) {
            long start = k.clock().jiffies();
            int retries = m.read32(adap + k.off("i2c_adapter_retries"));
            long timeout = m.read32(adap + k.off("i2c_adapter_timeout"));
            int res = 0;
            for (int t = 0; t <= retries; t++) {
                res = (int) k.call(fn, adap, addr & 0xffff, flags & 0xffff, readWrite & 0xff, command & 0xff, protocol,
                        data);
                if (res != -Errno.EAGAIN || k.clock().jiffies() - start > timeout) {
                    break;
                }
            }
            if (res != -Errno.EOPNOTSUPP || m.read64(algo + k.off("i2c_algorithm_master_xfer")) == 0) {
                return res;
            }
        }
        return emulated(k, adap, addr & 0xffff, flags, readWrite & 0xff, command & 0xff, protocol, data);
    }

    /** {@code i2c_smbus_try_get_dmabuf()}: a DMA-safe buffer of its own for a block message. */
    private static void dmabuf(KernelContext k, long msg, int initVal) {
        AddressSpace m = k.mem();
        int flags = m.read16(msg + k.off("i2c_msg_flags")) & 0xffff;
        boolean read = (flags & k.off("I2C_M_RD")) != 0;
        long buf = k.slab().kmalloc(k.off("I2C_SMBUS_BLOCK_MAX") + (read ? 2 : 3), 0x100 | 0xcc0);
        if (buf == 0) {
            return;
        }
        m.write64(msg + k.off("i2c_msg_buf"), buf);
        m.write16(msg + k.off("i2c_msg_flags"), (short) (flags | k.off("I2C_M_DMA_SAFE")));
        if (initVal != 0) {
            m.write8(buf, (byte) initVal);
        }
    }

    /** {@code i2c_smbus_xfer_emulated()}. */
    private static int emulated(KernelContext k, long adap, int addr, int flags, int readWrite, int command,
            int size, long data) {
        AddressSpace m = k.mem();
        int blockMax = k.off("I2C_SMBUS_BLOCK_MAX");
        int rd = k.off("I2C_M_RD");
        int read = k.off("I2C_SMBUS_READ");
        int msgSize = k.off("i2c_msg_sizeof");
        long msgs = k.slab().kmalloc(2L * msgSize, 0x100 | 0xcc0);
        long buf0 = k.slab().kmalloc(blockMax + 3, 0x100 | 0xcc0);
        long buf1 = k.slab().kmalloc(blockMax + 2, 0x100 | 0xcc0);
        long msg0 = msgs;
        long msg1 = msgs + msgSize;
        long adapDev = adap + k.off("i2c_adapter_dev");
        try {
            int nmsgs = readWrite == read ? 2 : 1;
            setMsg(k, msg0, addr, flags, 1, buf0);
            setMsg(k, msg1, addr, flags | rd, 0, buf1);
            boolean wantsPec = (flags & k.off("I2C_CLIENT_PEC")) != 0 && size != k.off("I2C_SMBUS_QUICK")
                    && size != k.off("I2C_SMBUS_I2C_BLOCK_DATA");
            m.write8(buf0, (byte) command);
            int block0 = data == 0 ? 0 : m.read8(data) & 0xff;
            if (size == k.off("I2C_SMBUS_QUICK")) {
                setLen(k, msg0, 0);
                setFlags(k, msg0, flags | (readWrite == read ? rd : 0));
                nmsgs = 1;
            } else if (size == k.off("I2C_SMBUS_BYTE")) {
                if (readWrite == read) {
                    setFlags(k, msg0, rd | flags);
                    nmsgs = 1;
                }
            } else if (size == k.off("I2C_SMBUS_BYTE_DATA")) {
                if (readWrite == read) {
                    setLen(k, msg1, 1);
                } else {
                    setLen(k, msg0, 2);
                    m.write8(buf0 + 1, m.read8(data));
                }
            } else if (size == k.off("I2C_SMBUS_WORD_DATA")) {
                if (readWrite == read) {
                    setLen(k, msg1, 2);
                } else {
                    setLen(k, msg0, 3);
                    m.write8(buf0 + 1, m.read8(data));
                    m.write8(buf0 + 2, m.read8(data + 1));
                }
            } else if (size == k.off("I2C_SMBUS_PROC_CALL")) {
                nmsgs = 2;
                readWrite = read;
                setLen(k, msg0, 3);
                setLen(k, msg1, 2);
                m.write8(buf0 + 1, m.read8(data));
                m.write8(buf0 + 2, m.read8(data + 1));
            } else if (size == k.off("I2C_SMBUS_BLOCK_DATA")) {
                if (readWrite == read) {
                    setFlags(k, msg1, flags(k, msg1) | k.off("I2C_M_RECV_LEN"));
                    setLen(k, msg1, 1);
                    dmabuf(k, msg1, 0);
                } else {
                    int len = block0 + 2;
                    if (len > blockMax + 2) {
                        Core.log(k, 3, adapDev, "Invalid block write size " + block0 + "\n");
                        return -Errno.EINVAL;
                    }
                    setLen(k, msg0, len);
                    dmabuf(k, msg0, command);
                    m.write(buf(k, msg0) + 1, m.read(data, len - 1));
                }
            } else if (size == k.off("I2C_SMBUS_BLOCK_PROC_CALL")) {
                nmsgs = 2;
                readWrite = read;
                if (block0 > blockMax) {
                    Core.log(k, 3, adapDev, "Invalid block write size " + block0 + "\n");
                    return -Errno.EINVAL;
                }
                setLen(k, msg0, block0 + 2);
                dmabuf(k, msg0, command);
                m.write(buf(k, msg0) + 1, m.read(data, block0 + 1));
                setFlags(k, msg1, flags(k, msg1) | k.off("I2C_M_RECV_LEN"));
                setLen(k, msg1, 1);
                dmabuf(k, msg1, 0);
            } else if (size == k.off("I2C_SMBUS_I2C_BLOCK_DATA")) {
                if (block0 > blockMax) {
                    Core.log(k, 3, adapDev, "Invalid block " + (readWrite == read ? "read" : "write") + " size "
                            + block0 + "\n");
                    return -Errno.EINVAL;
                }
                if (readWrite == read) {
                    setLen(k, msg1, block0);
                    dmabuf(k, msg1, 0);
                } else {
                    setLen(k, msg0, block0 + 1);
                    dmabuf(k, msg0, command);
                    m.write(buf(k, msg0) + 1, m.read(data + 1, block0));
                }
            } else {
                Core.log(k, 3, adapDev, "Unsupported transaction " + size + "\n");
                return -Errno.EOPNOTSUPP;
            }
            long last = nmsgs == 1 ? msg0 : msg1;
            int partialPec = 0;
            if (wantsPec) {
                if ((flags(k, msg0) & rd) == 0) {
                    if (nmsgs == 1) {
                        int p = msgPec(k, 0, msg0);
                        m.write8(buf(k, msg0) + len(k, msg0), (byte) p);
                        setLen(k, msg0, len(k, msg0) + 1);
                    } else {
                        partialPec = msgPec(k, 0, msg0);
                    }
                }
                if ((flags(k, last) & rd) != 0) {
                    setLen(k, last, len(k, last) + 1);
                }
            }
            int status = I2cCoreBase.of(k).transferLocked(adap, msgs, nmsgs);
            if (status < 0) {
                return status;
            }
            if (status != nmsgs) {
                return -Errno.EIO;
            }
            if (wantsPec && (flags(k, last) & rd) != 0) {
                int n = len(k, last) - 1;
                setLen(k, last, n);
                int rpec = m.read8(buf(k, last) + n) & 0xff;
                int cpec = msgPec(k, partialPec, last);
                if (rpec != cpec) {
                    return -k.off("EBADMSG");
                }
            }
            if (readWrite == read) {
                if (size == k.off("I2C_SMBUS_BYTE")) {
                    m.write8(data, m.read8(buf0));
                } else if (size == k.off("I2C_SMBUS_BYTE_DATA")) {
                    m.write8(data, m.read8(buf1));
                } else if (size == k.off("I2C_SMBUS_WORD_DATA") || size == k.off("I2C_SMBUS_PROC_CALL")) {
                    m.write8(data, m.read8(buf1));
                    m.write8(data + 1, m.read8(buf1 + 1));
                } else if (size == k.off("I2C_SMBUS_I2C_BLOCK_DATA")) {
                    m.write(data + 1, m.read(buf(k, msg1), block0));
                } else if (size == k.off("I2C_SMBUS_BLOCK_DATA") || size == k.off("I2C_SMBUS_BLOCK_PROC_CALL")) {
                    int n = m.read8(buf(k, msg1)) & 0xff;
                    if (n > blockMax) {
                        Core.log(k, 3, adapDev, "Invalid block size returned: " + n + "\n");
                        return -k.off("EPROTO");
                    }
                    m.write(data, m.read(buf(k, msg1), n + 1));
                }
            }
            return 0;
        } finally {
            for (long msg : new long[] {msg0, msg1}) {
                if ((flags(k, msg) & k.off("I2C_M_DMA_SAFE")) != 0) {
                    k.slab().kfree(buf(k, msg));
                }
            }
            k.slab().kfree(buf1);
            k.slab().kfree(buf0);
            k.slab().kfree(msgs);
        }
    }

    private static void setMsg(KernelContext k, long msg, int addr, int flags, int len, long buf) {
        k.mem().write16(msg + k.off("i2c_msg_addr"), (short) addr);
        setFlags(k, msg, flags);
        setLen(k, msg, len);
        k.mem().write64(msg + k.off("i2c_msg_buf"), buf);
    }

    private static void setFlags(KernelContext k, long msg, int flags) {
        k.mem().write16(msg + k.off("i2c_msg_flags"), (short) flags);
    }

    private static void setLen(KernelContext k, long msg, int len) {
        k.mem().write16(msg + k.off("i2c_msg_len"), (short) len);
    }

    private static int flags(KernelContext k, long msg) {
        return k.mem().read16(msg + k.off("i2c_msg_flags")) & 0xffff;
    }

    private static int len(KernelContext k, long msg) {
        return k.mem().read16(msg + k.off("i2c_msg_len")) & 0xffff;
    }

    private static long buf(KernelContext k, long msg) {
        return k.mem().read64(msg + k.off("i2c_msg_buf"));
    }

    /**
     * {@code i2c_default_probe()}: whether something answers at {@code addr} (a read-byte-data at
     * 0x73 on a hwmon adapter, a quick write where that is safe, else a byte read).
     */
    static boolean defaultProbe(KernelContext k, long adap, int addr) {
        I2cCoreBase c = I2cCoreBase.of(k);
        long dummy = k.slab().kmalloc(k.off("i2c_smbus_data_sizeof"), 0x100 | 0xcc0);
        try {
            int err;
            int read = k.off("I2C_SMBUS_READ");
            boolean hwmon = (k.mem().read32(adap + k.off("i2c_adapter_class")) & k.off("I2C_CLASS_HWMON")) != 0;
            if (addr == 0x73 && hwmon && c.functional(adap, k.off("I2C_FUNC_SMBUS_READ_BYTE_DATA"))) {
                err = xfer(k, adap, addr, 0, read, 0, k.off("I2C_SMBUS_BYTE_DATA"), dummy);
            } else if (!((addr & ~0x07) == 0x30 || (addr & ~0x0f) == 0x50)
                    && c.functional(adap, k.off("I2C_FUNC_SMBUS_QUICK"))) {
                err = xfer(k, adap, addr, 0, k.off("I2C_SMBUS_WRITE"), 0, k.off("I2C_SMBUS_QUICK"), 0);
            } else if (c.functional(adap, k.off("I2C_FUNC_SMBUS_READ_BYTE"))) {
                err = xfer(k, adap, addr, 0, read, 0, k.off("I2C_SMBUS_BYTE"), dummy);
            } else {
                Core.log(k, 4, adap + k.off("i2c_adapter_dev"), String.format(
                        "No suitable probing method supported for address 0x%02X\n", addr));
                err = -Errno.EOPNOTSUPP;
            }
            return err >= 0;
        } finally {
            k.slab().kfree(dummy);
        }
    }

    // ---------------------------------------------------------------- the client helpers

    private static long adapter(KernelContext k, long client) {
        return k.mem().read64(client + k.off("i2c_client_adapter"));
    }

    private static int addr(KernelContext k, long client) {
        return k.mem().read16(client + k.off("i2c_client_addr")) & 0xffff;
    }

    private static int cflags(KernelContext k, long client) {
        return k.mem().read16(client + k.off("i2c_client_flags")) & 0xffff;
    }

    /** One client transfer with a scratch {@code union i2c_smbus_data}: {@code use} reads it after. */
    private static int clientXfer(KernelContext k, long client, int readWrite, int command, String protocol,
            java.util.function.LongConsumer fill, java.util.function.LongToIntFunction use) {
        long data = k.slab().kmalloc(k.off("i2c_smbus_data_sizeof"), 0x100 | 0xcc0);
        try {
            if (fill != null) {
                fill.accept(data);
            }
            int status = xfer(k, adapter(k, client), addr(k, client), cflags(k, client), k.off(
                    readWrite == 0 ? "I2C_SMBUS_READ" : "I2C_SMBUS_WRITE"), command, k.off(protocol), data);
            return status < 0 ? status : use.applyAsInt(data);
        } finally {
            k.slab().kfree(data);
        }
    }

    /** s32 i2c_smbus_read_byte(const struct i2c_client *client) */
    @KernelSymbol("i2c_smbus_read_byte")
    static int readByte(KernelContext k, long client) {
        return clientXfer(k, client, 0, 0, "I2C_SMBUS_BYTE", null, d -> k.mem().read8(d) & 0xff);
    }

    /** s32 i2c_smbus_write_byte(const struct i2c_client *client, u8 value) */
    @KernelSymbol("i2c_smbus_write_byte")
    static int writeByte(KernelContext k, long client, int value) {
        return xfer(k, adapter(k, client), addr(k, client), cflags(k, client), k.off("I2C_SMBUS_WRITE"), value & 0xff,
                k.off("I2C_SMBUS_BYTE"), 0);
    }

    /** s32 i2c_smbus_read_byte_data(const struct i2c_client *client, u8 command) */
    @KernelSymbol("i2c_smbus_read_byte_data")
    static int readByteData(KernelContext k, long client, int command) {
        return clientXfer(k, client, 0, command & 0xff, "I2C_SMBUS_BYTE_DATA", null, d -> k.mem().read8(d) & 0xff);
    }

    /** s32 i2c_smbus_write_byte_data(const struct i2c_client *client, u8 command, u8 value) */
    @KernelSymbol("i2c_smbus_write_byte_data")
    static int writeByteData(KernelContext k, long client, int command, int value) {
        return clientXfer(k, client, 1, command & 0xff, "I2C_SMBUS_BYTE_DATA", d -> k.mem().write8(d, (byte) value),
                d -> 0);
    }

    /** s32 i2c_smbus_read_word_data(const struct i2c_client *client, u8 command) */
    @KernelSymbol("i2c_smbus_read_word_data")
    static int readWordData(KernelContext k, long client, int command) {
        return clientXfer(k, client, 0, command & 0xff, "I2C_SMBUS_WORD_DATA", null, d -> k.mem().read16(d) & 0xffff);
    }

    /** s32 i2c_smbus_write_word_data(const struct i2c_client *client, u8 command, u16 value) */
    @KernelSymbol("i2c_smbus_write_word_data")
    static int writeWordData(KernelContext k, long client, int command, int value) {
        return clientXfer(k, client, 1, command & 0xff, "I2C_SMBUS_WORD_DATA", d -> k.mem().write16(d, (short) value),
                d -> 0);
    }

    /** s32 i2c_smbus_read_block_data(const struct i2c_client *client, u8 command, u8 *values) */
    @KernelSymbol("i2c_smbus_read_block_data")
    static int readBlockData(KernelContext k, long client, int command, long values) {
        return clientXfer(k, client, 0, command & 0xff, "I2C_SMBUS_BLOCK_DATA", null, d -> {
            int n = k.mem().read8(d) & 0xff;
            k.mem().write(values, k.mem().read(d + 1, n));
            return n;
        });
    }

    /** s32 i2c_smbus_write_block_data(const struct i2c_client *client, u8 command, u8 length, const u8 *values) */
    @KernelSymbol("i2c_smbus_write_block_data")
    static int writeBlockData(KernelContext k, long client, int command, int length, long values) {
        return writeBlock(k, client, command, length, values, "I2C_SMBUS_BLOCK_DATA");
    }

    /** A block write of at most I2C_SMBUS_BLOCK_MAX bytes: length in block[0], the bytes after it. */
    private static int writeBlock(KernelContext k, long client, int command, int length, long values,
            String protocol) {
        int n = Math.min(length & 0xff, k.off("I2C_SMBUS_BLOCK_MAX"));
        return clientXfer(k, client, 1, command & 0xff, protocol, d -> {
            k.mem().write8(d, (byte) n);
            k.mem().write(d + 1, k.mem().read(values, n));
        }, d -> 0);
    }

    /** s32 i2c_smbus_read_i2c_block_data(const struct i2c_client *client, u8 command, u8 length, u8 *values) */
    @KernelSymbol("i2c_smbus_read_i2c_block_data")
    static int readI2cBlockData(KernelContext k, long client, int command, int length, long values) {
        int n = Math.min(length & 0xff, k.off("I2C_SMBUS_BLOCK_MAX"));
        return clientXfer(k, client, 0, command & 0xff, "I2C_SMBUS_I2C_BLOCK_DATA", d -> k.mem().write8(d, (byte) n),
                d -> {
                    int got = k.mem().read8(d) & 0xff;
                    k.mem().write(values, k.mem().read(d + 1, got));
                    return got;
                });
    }

    /** s32 i2c_smbus_write_i2c_block_data(const struct i2c_client *client, u8 command, u8 length, const u8 *values) */
    @KernelSymbol("i2c_smbus_write_i2c_block_data")
    static int writeI2cBlockData(KernelContext k, long client, int command, int length, long values) {
        return writeBlock(k, client, command, length, values, "I2C_SMBUS_I2C_BLOCK_DATA");
    }

    /**
     * s32 i2c_smbus_read_i2c_block_data_or_emulated(const struct i2c_client *client, u8 command,
     * u8 length, u8 *values): a block read if the adapter can, else word or byte reads.
     */
    @KernelSymbol("i2c_smbus_read_i2c_block_data_or_emulated")
    static int readI2cBlockDataOrEmulated(KernelContext k, long client, int command, int length, long values) {
        I2cCoreBase c = I2cCoreBase.of(k);
        long adap = adapter(k, client);
        length &= 0xff;
        command &= 0xff;
        if (length > k.off("I2C_SMBUS_BLOCK_MAX")) {
            length = k.off("I2C_SMBUS_BLOCK_MAX");
        }
        if (c.functional(adap, k.off("I2C_FUNC_SMBUS_READ_I2C_BLOCK"))) {
            return readI2cBlockData(k, client, command, length, values);
        }
        if (!c.functional(adap, k.off("I2C_FUNC_SMBUS_READ_BYTE_DATA"))) {
            return -Errno.EOPNOTSUPP;
        }
        int i = 0;
        if (c.functional(adap, k.off("I2C_FUNC_SMBUS_READ_WORD_DATA"))) {
            while (i + 2 <= length) {
                int status = readWordData(k, client, command + i);
                if (status < 0) {
                    return status;
                }
                k.mem().write8(values + i, (byte) status);
                k.mem().write8(values + i + 1, (byte) (status >> 8));
                i += 2;
            }
        }
        while (i < length) {
            int status = readByteData(k, client, command + i);
            if (status < 0) {
                return status;
            }
            k.mem().write8(values + i, (byte) status);
            i++;
        }
        return i;
    }
}
