// SPDX-License-Identifier: GPL-2.0
/*
 * propuser - MODULE_LICENSE("Proprietary") (taint P) using symexp's plain exports
 * (symexp_add, symexp_value), which a proprietary module may; exports
 * propuser_secret for taintinh and gplprop. (The file's SPDX line is for this
 * tree; the license the kernel sees is the MODULE_LICENSE.)
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>

extern int symexp_value;
int symexp_add(int a, int b);

int propuser_secret(void)
{
	pr_info("propuser_secret() called by %ps\n", __builtin_return_address(0));
	return 1234;
}
EXPORT_SYMBOL(propuser_secret);

static int __init propuser_init(void)
{
	pr_info("init: symexp_add(symexp_value, 1) = %d\n", symexp_add(symexp_value, 1));
	return 0;
}

static void __exit propuser_exit(void)
{
	pr_info("exit\n");
}

module_init(propuser_init);
module_exit(propuser_exit);

MODULE_LICENSE("Proprietary");
MODULE_DESCRIPTION("Proprietary module using non-GPL exports");
