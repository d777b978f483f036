// SPDX-License-Identifier: GPL-2.0
/* missingsym - imports two symbols that no kernel exports */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>

extern int kmodemu_no_such_symbol(int);
extern void kmodemu_missing_too(void);

static int __init missingsym_init(void)
{
	pr_info("missingsym: init (must never be printed)\n");
	kmodemu_missing_too();
	return kmodemu_no_such_symbol(1);
}

static void __exit missingsym_exit(void)
{
}

module_init(missingsym_init);
module_exit(missingsym_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Module with unresolvable imports");
