// SPDX-License-Identifier: GPL-2.0
/*
 * nover - GPL module calling symexp_add, built without symexp's Module.symvers,
 * so its __versions has no CRC for it: 6.1 refuses the symbol ("no symbol
 * version for symexp_add", err -22), as it does a CRC that disagrees.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>

int symexp_add(int a, int b);

static int __init nover_init(void)
{
	pr_info("init: symexp_add(1, 1) = %d\n", symexp_add(1, 1));
	return 0;
}

static void __exit nover_exit(void)
{
	pr_info("exit\n");
}

module_init(nover_init);
module_exit(nover_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Module without a symbol version for an imported symbol");
