// SPDX-License-Identifier: GPL-2.0
/*
 * kmodidx_cyca - half of a dependency cycle for depmod's cycle report:
 * exports kmodidx_cyca_fn and imports kmodidx_cycb_fn.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>

extern int kmodidx_cycb_fn(int depth);

int kmodidx_cyca_fn(int depth)
{
	return depth > 0 ? kmodidx_cycb_fn(depth - 1) + 1 : 0;
}
EXPORT_SYMBOL(kmodidx_cyca_fn);

static int __init kmodidx_cyca_init(void)
{
	return 0;
}

static void __exit kmodidx_cyca_exit(void)
{
}

module_init(kmodidx_cyca_init);
module_exit(kmodidx_cyca_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("depmod index test: one half of a dependency cycle");
