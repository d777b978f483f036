// SPDX-License-Identifier: GPL-2.0
/* warn - WARN_ON(1), WARN() with a message, WARN_ONCE() twice and dump_stack() in init */
#include <linux/bug.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/printk.h>

static int value = 7;
module_param(value, int, 0444);
MODULE_PARM_DESC(value, "Value the warnings print");

static bool dump;
module_param(dump, bool, 0444);
MODULE_PARM_DESC(dump, "Call dump_stack() in init");

static noinline void warn_once_helper(int i)
{
	WARN_ONCE(value > 0, "warn: once only, call %d\n", i);
	pr_info("warn: helper call %d done\n", i);
}

static int __init warn_init(void)
{
	int i;

	pr_info("warn: before WARN_ON\n");
	WARN_ON(value != 0);
	pr_info("warn: after WARN_ON\n");
	WARN(value > 1, "warn: value is %d\n", value);
	for (i = 0; i < 2; i++)
		warn_once_helper(i);
	if (dump)
		dump_stack();
	pr_info("warn: init done\n");
	return 0;
}

static void __exit warn_exit(void)
{
	pr_info("warn: exit\n");
}

module_init(warn_init);
module_exit(warn_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Module that warns in init and goes on");
