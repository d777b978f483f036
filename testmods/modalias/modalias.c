// SPDX-License-Identifier: GPL-2.0
/*
 * modalias - module metadata that only userspace reads: MODULE_ALIAS entries, a
 * MODULE_DEVICE_TABLE of pci_device_id (modpost turns it into pci: aliases),
 * MODULE_SOFTDEP pre/post and MODULE_VERSION. The kernel just loads it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/pci.h>

static const struct pci_device_id modalias_ids[] = {
	{ PCI_DEVICE(0x1af4, 0x1000) },
	{ PCI_DEVICE_SUB(0x8086, 0x100e, 0x8086, 0x001e) },
	{ PCI_DEVICE_CLASS(0x020000, 0xffff00) },
	{ }
};
MODULE_DEVICE_TABLE(pci, modalias_ids);

static int __init modalias_init(void)
{
	pr_info("init: %zu device ids\n", ARRAY_SIZE(modalias_ids) - 1);
	return 0;
}

static void __exit modalias_exit(void)
{
	pr_info("exit\n");
}

module_init(modalias_init);
module_exit(modalias_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("kmodemu test suite");
MODULE_DESCRIPTION("Aliases, a PCI device table and soft dependencies");
MODULE_VERSION("2.1");
MODULE_ALIAS("kmodemu-alias");
MODULE_ALIAS("char-major-240-*");
MODULE_ALIAS("symbol:modalias_fn");
MODULE_SOFTDEP("pre: symexp chain_a post: permanent");
