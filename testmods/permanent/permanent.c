// SPDX-License-Identifier: GPL-2.0
/*
 * permanent - module_init without module_exit: /proc/modules shows [permanent]
 * and delete_module() refuses it with EBUSY.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>

static int __init permanent_init(void)
{
	pr_info("init: no exit function\n");
	return 0;
}

module_init(permanent_init);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Module without an exit function");
