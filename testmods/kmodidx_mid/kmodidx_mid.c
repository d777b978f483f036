// SPDX-License-Identifier: GPL-2.0
/*
 * kmodidx_mid - middle of the depmod/modprobe index test chain: imports from
 * kmodidx_core, exports a function of its own.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>

extern int kmodidx_core_add(int a, int b);

int kmodidx_mid_twice(int a)
{
	return kmodidx_core_add(a, a);
}
EXPORT_SYMBOL_GPL(kmodidx_mid_twice);

static int __init kmodidx_mid_init(void)
{
	pr_info("kmodidx_mid: %d\n", kmodidx_core_add(1, 2));
	return 0;
}

static void __exit kmodidx_mid_exit(void)
{
}

module_init(kmodidx_mid_init);
module_exit(kmodidx_mid_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("depmod index test: imports from kmodidx_core, exports to kmodidx_top");
MODULE_ALIAS("kmodidx-mid[0-9]");
MODULE_ALIAS("usb:v1D6Bp0002d*dc*dsc*dp*ic09isc*ip*in*");
