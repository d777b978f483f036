// SPDX-License-Identifier: GPL-2.0
/*
 * taintinh - a GPL module (using no GPL-only symbol) that calls propuser_secret
 * from the proprietary propuser: it loads and inherits taint P.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>

int propuser_secret(void);

static int __init taintinh_init(void)
{
	pr_info("init: propuser_secret() = %d\n", propuser_secret());
	return 0;
}

static void __exit taintinh_exit(void)
{
	pr_info("exit\n");
}

module_init(taintinh_init);
module_exit(taintinh_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("GPL module using a symbol of a proprietary module");
