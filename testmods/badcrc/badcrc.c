// SPDX-License-Identifier: GPL-2.0
/*
 * badcrc - calls symexp_add, but was built against a Module.symvers with a wrong
 * CRC for it (fake.symvers, see Kbuild): the kernel finds the symbol and refuses
 * its version.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>

int symexp_add(int a, int b);

static int __init badcrc_init(void)
{
	pr_info("init (must never be printed): %d\n", symexp_add(1, 2));
	return 0;
}

static void __exit badcrc_exit(void)
{
}

module_init(badcrc_init);
module_exit(badcrc_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Module with a wrong symbol CRC for an import");
