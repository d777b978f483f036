// SPDX-License-Identifier: GPL-2.0
/*
 * kmodidx_core - bottom of the depmod/modprobe index test chain: exports a
 * function and a GPL-only variable, and carries every .modinfo tag depmod
 * turns into an index line (aliases, a devname with its char-major alias,
 * soft dependencies).
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>

int kmodidx_core_value = 42;
EXPORT_SYMBOL_GPL(kmodidx_core_value);

int kmodidx_core_add(int a, int b)
{
	return a + b + kmodidx_core_value;
}
EXPORT_SYMBOL(kmodidx_core_add);

static int __init kmodidx_core_init(void)
{
	pr_info("kmodidx_core: init\n");
	return 0;
}

static void __exit kmodidx_core_exit(void)
{
}

module_init(kmodidx_core_init);
module_exit(kmodidx_core_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("depmod index test: exporter at the bottom of the chain");
MODULE_ALIAS("kmodidx-core-alias");
MODULE_ALIAS("pci:v0000ABCDd*sv*sd*bc*sc*i*");
MODULE_ALIAS("devname:kmodidx_ctl");
MODULE_ALIAS("char-major-10-242");
MODULE_SOFTDEP("pre: kmodidx_soft post: kmodidx-cycuser");
