// SPDX-License-Identifier: GPL-2.0
/*
 * kmodidx_soft - no imports from other test modules, no exports: the target
 * of kmodidx_core's and kmodidx_top's soft dependencies. Its devname alias
 * has no char-major/block-major partner (block-major-259-* does not scan as
 * two numbers), so depmod leaves it out of modules.devname with an error.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>

static int __init kmodidx_soft_init(void)
{
	pr_info("kmodidx_soft: init\n");
	return 0;
}

static void __exit kmodidx_soft_exit(void)
{
}

module_init(kmodidx_soft_init);
module_exit(kmodidx_soft_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("depmod index test: soft dependency target");
MODULE_ALIAS("block-major-259-*");
MODULE_ALIAS("kmodidx-soft-alias");
MODULE_ALIAS("devname:kmodidx_nomajor");
