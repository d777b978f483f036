// SPDX-License-Identifier: GPL-2.0
/* nullderef - init writes through a NULL pointer (oopses the real kernel) */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>

/* a parameter, so the compiler cannot prove the pointer is NULL */
static ulong target;
module_param(target, ulong, 0444);
MODULE_PARM_DESC(target, "Address to write to (default 0 = NULL)");

static int __init nullderef_init(void)
{
	int *volatile p = (int *)target;

	pr_info("nullderef: about to write through a NULL pointer\n");
	*p = 42;
	pr_info("nullderef: still alive (must never be printed)\n");
	return 0;
}

static void __exit nullderef_exit(void)
{
	pr_info("nullderef: exit\n");
}

module_init(nullderef_init);
module_exit(nullderef_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Module whose init dereferences NULL");
