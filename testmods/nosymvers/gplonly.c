// SPDX-License-Identifier: GPL-2.0
/*
 * gplonly - MODULE_LICENSE("Proprietary") calling symexp's EXPORT_SYMBOL_GPL
 * symexp_gpl_mul. modpost refuses to build that when it knows the export, so it
 * is built without symexp's Module.symvers (see Kbuild). The kernel taints P and
 * cannot find the symbol for a proprietary module. (The SPDX line is for this
 * tree; the license the kernel sees is the MODULE_LICENSE.)
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>

int symexp_gpl_mul(int a, int b);

static int __init gplonly_init(void)
{
	pr_info("init (must never be printed): %d\n", symexp_gpl_mul(3, 4));
	return 0;
}

static void __exit gplonly_exit(void)
{
}

module_init(gplonly_init);
module_exit(gplonly_exit);

MODULE_LICENSE("Proprietary");
MODULE_DESCRIPTION("Proprietary module using a GPL-only export");
