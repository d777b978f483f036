// SPDX-License-Identifier: GPL-2.0
/*
 * busregs: drivers of the kernel's built-in buses registered on a machine without their hardware,
 * as most of Debian's driver modules do: a PCI driver (pci_register_driver with an id table of a
 * device nobody has; its new_id/remove_id files), an I2C driver (i2c_add_driver; i2c_get_adapter
 * of adapters that do not exist), an SPI driver whose of_match_table has a compatible without a
 * matching spi_device_id (the SPI core's warning), and a platform driver that never finds a
 * device (platform_driver_probe: -ENODEV).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/i2c.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/spi/spi.h>

static int kmpci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	dev_info(&pdev->dev, "probe %04x:%04x\n", id->vendor, id->device);
	return 0;
}

static void kmpci_remove(struct pci_dev *pdev)
{
	dev_info(&pdev->dev, "remove\n");
}

static const struct pci_device_id kmpci_ids[] = {
	{ PCI_DEVICE(0x1af4, 0xdead) },
	{ }
};
MODULE_DEVICE_TABLE(pci, kmpci_ids);

static struct pci_driver kmpci_driver = {
	.name = "kmpci",
	.id_table = kmpci_ids,
	.probe = kmpci_probe,
	.remove = kmpci_remove,
};

static int kmi2c_probe(struct i2c_client *client)
{
	dev_info(&client->dev, "probe\n");
	return 0;
}

static const struct i2c_device_id kmi2c_ids[] = {
	{ "kmi2c", 0 },
	{ }
};
MODULE_DEVICE_TABLE(i2c, kmi2c_ids);

static struct i2c_driver kmi2c_driver = {
	.driver = {
		.name = "kmi2c",
	},
	.probe_new = kmi2c_probe,
	.id_table = kmi2c_ids,
};

static int kmspi_probe(struct spi_device *spi)
{
	dev_info(&spi->dev, "probe\n");
	return 0;
}

static const struct of_device_id kmspi_of[] = {
	{ .compatible = "kmodemu,kmspi" },
	{ .compatible = "kmodemu,kmspi-two" },
	{ }
};

static const struct spi_device_id kmspi_ids[] = {
	{ "kmspi", 0 },
	{ }
};

static struct spi_driver kmspi_driver = {
	.driver = {
		.name = "kmspi",
		.of_match_table = kmspi_of,
	},
	.probe = kmspi_probe,
	.id_table = kmspi_ids,
};

static int kmnever_probe(struct platform_device *pdev)
{
	dev_info(&pdev->dev, "probe\n");
	return 0;
}

static struct platform_driver kmnever_driver = {
	.driver = {
		.name = "kmnever",
	},
};

static int __init busregs_init(void)
{
	struct i2c_adapter *adap;
	int ret;

	ret = pci_register_driver(&kmpci_driver);
	pr_info("pci_register_driver: %d\n", ret);
	if (ret)
		return ret;
	ret = i2c_add_driver(&kmi2c_driver);
	pr_info("i2c_add_driver: %d\n", ret);
	adap = i2c_get_adapter(0);
	pr_info("i2c adapter 0: %s\n", adap ? adap->name : "(none)");
	i2c_put_adapter(adap);
	ret = spi_register_driver(&kmspi_driver);
	pr_info("spi_register_driver: %d\n", ret);
	ret = platform_driver_probe(&kmnever_driver, kmnever_probe);
	pr_info("platform_driver_probe: %d\n", ret);
	return 0;
}

static void __exit busregs_exit(void)
{
	spi_unregister_driver(&kmspi_driver);
	i2c_del_driver(&kmi2c_driver);
	pci_unregister_driver(&kmpci_driver);
	pr_info("done\n");
}

module_init(busregs_init);
module_exit(busregs_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("pci, i2c, spi and platform drivers without hardware");
