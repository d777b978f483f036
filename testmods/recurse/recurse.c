// SPDX-License-Identifier: GPL-2.0
/* recurse - init recurses deeper than the kernel stack (overflows into its guard page) */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>

static int depth = 1000000;
module_param(depth, int, 0444);
MODULE_PARM_DESC(depth, "How deep to recurse (each level uses about 300 bytes of stack)");

static noinline int recurse(int n)
{
	volatile char buf[256];

	buf[n & 0xff] = (char)n;
	if (n >= depth)
		return buf[n & 0xff];
	return recurse(n + 1) + buf[(n + 1) & 0xff];
}

static int __init recurse_init(void)
{
	int r;

	pr_info("recurse: recursing %d levels\n", depth);
	r = recurse(0);
	pr_info("recurse: came back with %d\n", r);
	return 0;
}

static void __exit recurse_exit(void)
{
	pr_info("recurse: exit\n");
}

module_init(recurse_init);
module_exit(recurse_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Module whose init overflows the kernel stack");
