// SPDX-License-Identifier: GPL-2.0
/* failinit - init logs a line and fails with -ENODEV */
#include <linux/errno.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>

static int __init failinit_init(void)
{
	pr_info("failinit: init called, failing with %d\n", -ENODEV);
	return -ENODEV;
}

static void __exit failinit_exit(void)
{
	pr_info("failinit: exit (must never be printed)\n");
}

module_init(failinit_init);
module_exit(failinit_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Module whose init fails with -ENODEV");
