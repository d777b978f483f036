// SPDX-License-Identifier: GPL-2.0
/*
 * kmodidx_cycb - half of a dependency cycle for depmod's cycle report:
 * exports kmodidx_cycb_fn and imports kmodidx_cyca_fn.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>

extern int kmodidx_cyca_fn(int depth);

int kmodidx_cycb_fn(int depth)
{
	return depth > 0 ? kmodidx_cyca_fn(depth - 1) + 1 : 0;
}
EXPORT_SYMBOL(kmodidx_cycb_fn);

static int __init kmodidx_cycb_init(void)
{
	return 0;
}

static void __exit kmodidx_cycb_exit(void)
{
}

module_init(kmodidx_cycb_init);
module_exit(kmodidx_cycb_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("depmod index test: one half of a dependency cycle");
