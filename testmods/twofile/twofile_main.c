// SPDX-License-Identifier: GPL-2.0
/* twofile_main.c - module built from two object files */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include "twofile.h"

static int __init twofile_init(void)
{
	pr_info("twofile: init\n");
	twofile_report("init", 10);
	return 0;
}

static void __exit twofile_exit(void)
{
	twofile_report("exit", 3);
	pr_info("twofile: exit, compute(5) = %d\n", twofile_compute(5));
}

module_init(twofile_init);
module_exit(twofile_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Module linked from two C files");
