// SPDX-License-Identifier: GPL-2.0
/*
 * kmodidx_cycuser - depends on a module of the kmodidx_cyca/kmodidx_cycb
 * cycle without being part of it.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>

extern int kmodidx_cyca_fn(int depth);

static int __init kmodidx_cycuser_init(void)
{
	pr_info("kmodidx_cycuser: %d\n", kmodidx_cyca_fn(3));
	return 0;
}

static void __exit kmodidx_cycuser_exit(void)
{
}

module_init(kmodidx_cycuser_init);
module_exit(kmodidx_cycuser_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("depmod index test: uses a module that is in a dependency cycle");
