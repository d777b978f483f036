// SPDX-License-Identifier: GPL-2.0
/* chain_c - top of the chain: init and exit call chain_b_fn */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>

int chain_b_fn(int x);

static int __init chain_c_init(void)
{
	pr_info("init: chain_b_fn(5) = %d\n", chain_b_fn(5));
	return 0;
}

static void __exit chain_c_exit(void)
{
	pr_info("exit: chain_b_fn(10) = %d\n", chain_b_fn(10));
}

module_init(chain_c_init);
module_exit(chain_c_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Third module of a three-module dependency chain");
