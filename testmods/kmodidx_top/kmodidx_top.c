// SPDX-License-Identifier: GPL-2.0
/*
 * kmodidx_top - top of the depmod/modprobe index test chain: imports from
 * kmodidx_mid and (directly) kmodidx_core, plus a weak symbol no module
 * exports, which depmod -e must not report.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>

extern int kmodidx_mid_twice(int a);
extern int kmodidx_core_value;
extern int kmodidx_nowhere(void) __attribute__((weak));

static int __init kmodidx_top_init(void)
{
	int extra = kmodidx_nowhere ? kmodidx_nowhere() : 0;

	pr_info("kmodidx_top: %d\n", kmodidx_mid_twice(kmodidx_core_value) + extra);
	return 0;
}

static void __exit kmodidx_top_exit(void)
{
}

module_init(kmodidx_top_init);
module_exit(kmodidx_top_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("depmod index test: depends on kmodidx_mid and kmodidx_core");
MODULE_ALIAS("kmodidx:top:*");
MODULE_SOFTDEP("post: kmodidx_soft");
