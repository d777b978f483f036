// SPDX-License-Identifier: GPL-2.0
/*
 * symimp - imports from symexp: the plain export symexp_add, the GPL-only
 * symexp_gpl_mul and the data object symexp_value (read in init, changed, so
 * symexp's exit shows the new value).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>

extern int symexp_value;
int symexp_add(int a, int b);
int symexp_gpl_mul(int a, int b);

static int __init symimp_init(void)
{
	pr_info("init: symexp_value %d\n", symexp_value);
	pr_info("symexp_add(2, 3) = %d\n", symexp_add(2, 3));
	pr_info("symexp_gpl_mul(6, 7) = %d\n", symexp_gpl_mul(6, 7));
	symexp_value += 100;
	return 0;
}

static void __exit symimp_exit(void)
{
	pr_info("exit: symexp_add(40, 2) = %d\n", symexp_add(40, 2));
}

module_init(symimp_init);
module_exit(symimp_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Uses symexp's plain and GPL-only exports and its data object");
