// SPDX-License-Identifier: GPL-2.0
/*
 * pinimp - imports symexp_add and keeps a reference on itself (try_module_get
 * never put): rmmod of pinimp fails, and then of symexp too, which pinimp still
 * uses (its source_list is not empty).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>

int symexp_add(int a, int b);

static int __init pinimp_init(void)
{
	pr_info("init: symexp_add(1, 2) = %d\n", symexp_add(1, 2));
	if (try_module_get(THIS_MODULE))
		pr_info("pinned\n");
	return 0;
}

static void __exit pinimp_exit(void)
{
	pr_info("exit (must never be printed)\n");
}

module_init(pinimp_init);
module_exit(pinimp_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Importer that keeps a reference on itself");
