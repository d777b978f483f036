// SPDX-License-Identifier: GPL-2.0
/*
 * i2cbus: the I2C core with an adapter of its own. Adapter "kmadap" (i2c-0, plain I2C transfers:
 * SMBus is emulated by the core) serves a register file at address 0x50 (a one-byte register
 * pointer, then sequential reads/writes) and answers nothing else (-ENXIO). Adapter "kmsmbus"
 * (i2c-1, class HWMON, SMBus only) answers quick and byte reads at 0x2c, which the driver
 * "kmdetect" finds with detect() over its address list. The client driver "kmsensor" probes the
 * client made with i2c_new_client_device() and uses the SMBus helpers and i2c_transfer();
 * clients at a busy or invalid address are refused; new_device/delete_device add and remove one
 * from user space. Exit deletes driver, clients and adapters.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/i2c.h>
#include <linux/module.h>
#include <linux/mod_devicetable.h>
#include <linux/slab.h>

static u8 regs[256];
static u8 pointer;
static int xfers;

static int kmadap_xfer(struct i2c_adapter *adap, struct i2c_msg *msgs, int num)
{
	int i, j;

	xfers++;
	for (i = 0; i < num; i++) {
		struct i2c_msg *m = &msgs[i];

		pr_info("xfer %d/%d: addr 0x%02x %s len %u\n", i + 1, num, m->addr,
			m->flags & I2C_M_RD ? "read" : "write", m->len);
		if (m->addr != 0x50)
			return -ENXIO;
		if (m->flags & I2C_M_RD) {
			for (j = 0; j < m->len; j++)
				m->buf[j] = regs[pointer++];
		} else if (m->len) {
			pointer = m->buf[0];
			for (j = 1; j < m->len; j++)
				regs[pointer++] = m->buf[j];
		}
	}
	return num;
}

static u32 kmadap_func(struct i2c_adapter *adap)
{
	return I2C_FUNC_I2C | I2C_FUNC_SMBUS_EMUL;
}

static const struct i2c_algorithm kmadap_algo = {
	.master_xfer = kmadap_xfer,
	.functionality = kmadap_func,
};

static struct i2c_adapter kmadap = {
	.owner = THIS_MODULE,
	.name = "kmadap",
	.algo = &kmadap_algo,
	.nr = -1,
};

static s32 kmsmbus_xfer(struct i2c_adapter *adap, u16 addr, unsigned short flags, char read_write,
			u8 command, int size, union i2c_smbus_data *data)
{
	pr_info("smbus_xfer addr 0x%02x %s size %d command 0x%02x\n", addr,
		read_write == I2C_SMBUS_READ ? "read" : "write", size, command);
	if (addr != 0x2c)
		return -ENXIO;
	if (size == I2C_SMBUS_BYTE_DATA && read_write == I2C_SMBUS_READ) {
		data->byte = command == 0xfe ? 0x41 : 0x07;
		return 0;
	}
	if (size == I2C_SMBUS_QUICK || size == I2C_SMBUS_BYTE)
		return 0;
	return -EOPNOTSUPP;
}

static u32 kmsmbus_func(struct i2c_adapter *adap)
{
	return I2C_FUNC_SMBUS_QUICK | I2C_FUNC_SMBUS_BYTE | I2C_FUNC_SMBUS_BYTE_DATA;
}

static const struct i2c_algorithm kmsmbus_algo = {
	.smbus_xfer = kmsmbus_xfer,
	.functionality = kmsmbus_func,
};

static struct i2c_adapter kmsmbus = {
	.owner = THIS_MODULE,
	.class = I2C_CLASS_HWMON,
	.name = "kmsmbus",
	.algo = &kmsmbus_algo,
	.nr = -1,
};

static int kmsensor_probe(struct i2c_client *client)
{
	u8 block[4] = { 0 };
	u8 wbuf[3] = { 0x10, 0xaa, 0xbb };
	u8 rbuf[2];
	struct i2c_msg msgs[2] = {
		{ .addr = client->addr, .flags = 0, .len = 1, .buf = wbuf },
		{ .addr = client->addr, .flags = I2C_M_RD, .len = 2, .buf = rbuf },
	};
	int ret;

	dev_info(&client->dev, "probe: name %s addr 0x%02x adapter %s irq %d\n", client->name,
		 client->addr, client->adapter->name, client->irq);
	ret = i2c_smbus_write_byte_data(client, 0x01, 0x5a);
	dev_info(&client->dev, "write_byte_data: %d\n", ret);
	ret = i2c_smbus_read_byte_data(client, 0x01);
	dev_info(&client->dev, "read_byte_data: 0x%x\n", ret);
	ret = i2c_smbus_write_word_data(client, 0x02, 0x1234);
	dev_info(&client->dev, "write_word_data: %d, regs %02x %02x\n", ret, regs[2], regs[3]);
	ret = i2c_smbus_read_word_data(client, 0x02);
	dev_info(&client->dev, "read_word_data: 0x%x\n", ret);
	ret = i2c_smbus_read_i2c_block_data(client, 0x01, 4, block);
	dev_info(&client->dev, "read_i2c_block_data: %d: %*ph\n", ret, 4, block);
	ret = i2c_master_send(client, wbuf, 3);
	dev_info(&client->dev, "master_send: %d\n", ret);
	ret = i2c_transfer(client->adapter, msgs, 2);
	dev_info(&client->dev, "transfer: %d: %*ph\n", ret, 2, rbuf);
	ret = i2c_master_recv(client, rbuf, 2);
	dev_info(&client->dev, "master_recv: %d: %*ph\n", ret, 2, rbuf);
	ret = i2c_smbus_read_byte(client);
	dev_info(&client->dev, "read_byte: 0x%x, xfers %d\n", ret, xfers);
	i2c_set_clientdata(client, "kmsensor data");
	return 0;
}

static void kmsensor_remove(struct i2c_client *client)
{
	dev_info(&client->dev, "remove (%s)\n", (char *)i2c_get_clientdata(client));
}

static const struct i2c_device_id kmsensor_ids[] = {
	{ "kmsensor", 0 },
	{ }
};
MODULE_DEVICE_TABLE(i2c, kmsensor_ids);

static struct i2c_driver kmsensor_driver = {
	.driver = {
		.name = "kmsensor",
	},
	.probe_new = kmsensor_probe,
	.remove = kmsensor_remove,
	.id_table = kmsensor_ids,
};

static int kmdetect_detect(struct i2c_client *client, struct i2c_board_info *info)
{
	int id = i2c_smbus_read_byte_data(client, 0xfe);

	pr_info("detect at 0x%02x on %s: id 0x%x\n", client->addr, client->adapter->name, id);
	if (id != 0x41)
		return -ENODEV;
	strscpy(info->type, "kmdetect", I2C_NAME_SIZE);
	return 0;
}

static int kmdetect_probe(struct i2c_client *client)
{
	dev_info(&client->dev, "probe: detected %s at 0x%02x\n", client->name, client->addr);
	return 0;
}

static const struct i2c_device_id kmdetect_ids[] = {
	{ "kmdetect", 0 },
	{ }
};

static const unsigned short kmdetect_addrs[] = { 0x2b, 0x2c, I2C_CLIENT_END };

static struct i2c_driver kmdetect_driver = {
	.class = I2C_CLASS_HWMON,
	.driver = {
		.name = "kmdetect",
	},
	.probe_new = kmdetect_probe,
	.id_table = kmdetect_ids,
	.detect = kmdetect_detect,
	.address_list = kmdetect_addrs,
};

static struct i2c_client *sensor, *dummy;

static int __init i2cbus_init(void)
{
	struct i2c_board_info info = { I2C_BOARD_INFO("kmsensor", 0x50) };
	struct i2c_client *c;
	int ret;

	ret = i2c_add_driver(&kmsensor_driver);
	pr_info("add kmsensor driver: %d\n", ret);
	ret = i2c_add_adapter(&kmadap);
	pr_info("add kmadap: %d, nr %d, %s\n", ret, kmadap.nr, dev_name(&kmadap.dev));
	if (ret)
		return ret;
	ret = i2c_add_adapter(&kmsmbus);
	pr_info("add kmsmbus: %d, nr %d\n", ret, kmsmbus.nr);
	ret = i2c_add_driver(&kmdetect_driver);
	pr_info("add kmdetect driver: %d\n", ret);

	sensor = i2c_new_client_device(&kmadap, &info);
	pr_info("new client: %s\n", IS_ERR(sensor) ? "error" : dev_name(&sensor->dev));
	c = i2c_new_client_device(&kmadap, &info);
	pr_info("same address again: %ld\n", PTR_ERR(c));
	info.addr = 0x80;
	c = i2c_new_client_device(&kmadap, &info);
	pr_info("address 0x80: %ld\n", PTR_ERR(c));
	dummy = i2c_new_dummy_device(&kmadap, 0x51);
	pr_info("dummy: %s, driver %s\n", IS_ERR(dummy) ? "error" : dev_name(&dummy->dev),
		!IS_ERR(dummy) && dummy->dev.driver ? dummy->dev.driver->name : "none");
	return 0;
}

static void __exit i2cbus_exit(void)
{
	i2c_unregister_device(dummy);
	i2c_del_driver(&kmdetect_driver);
	pr_info("kmdetect driver deleted\n");
	i2c_del_driver(&kmsensor_driver);
	pr_info("kmsensor driver deleted\n");
	i2c_unregister_device(sensor);
	i2c_del_adapter(&kmsmbus);
	i2c_del_adapter(&kmadap);
	pr_info("adapters deleted\n");
}

module_init(i2cbus_init);
module_exit(i2cbus_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("an I2C adapter, clients, detection and transfers");
