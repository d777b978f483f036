// SPDX-License-Identifier: GPL-2.0
/* spin - init never returns (busy loop on a flag nobody sets) */
#include <linux/compiler.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <asm/processor.h>

static int stop;

static int __init spin_init(void)
{
	pr_info("spin: spinning forever\n");
	while (!READ_ONCE(stop))
		cpu_relax();
	pr_info("spin: stopped (must never be printed)\n");
	return 0;
}

static void __exit spin_exit(void)
{
	pr_info("spin: exit\n");
}

module_init(spin_init);
module_exit(spin_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Module whose init loops forever");
