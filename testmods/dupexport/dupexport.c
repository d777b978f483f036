// SPDX-License-Identifier: GPL-2.0
/*
 * dupexport - exports symexp_add (same name as symexp's export) and dupexport_only:
 * loaded after symexp, the kernel refuses it as a duplicate; alone it loads.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>

int symexp_add(int a, int b)
{
	return a - b;
}
EXPORT_SYMBOL(symexp_add);

int dupexport_only(void)
{
	return 1;
}
EXPORT_SYMBOL(dupexport_only);

static int __init dupexport_init(void)
{
	pr_info("init: symexp_add(5, 3) = %d\n", symexp_add(5, 3));
	return 0;
}

static void __exit dupexport_exit(void)
{
	pr_info("exit\n");
}

module_init(dupexport_init);
module_exit(dupexport_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Exports a symbol that symexp exports too");
