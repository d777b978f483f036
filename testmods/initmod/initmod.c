// SPDX-License-Identifier: GPL-2.0
/*
 * initmod - old-style module: init_module()/cleanup_module() by name,
 * without the module_init()/module_exit() macros.
 */
#include <linux/kernel.h>
#include <linux/module.h>

int init_module(void)
{
	printk(KERN_INFO "initmod: init_module called\n");
	printk(KERN_INFO "initmod: %d + %d = %d\n", 40, 2, 40 + 2);
	return 0;
}

void cleanup_module(void)
{
	printk(KERN_INFO "initmod: cleanup_module called\n");
}

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Old-style init_module/cleanup_module");
