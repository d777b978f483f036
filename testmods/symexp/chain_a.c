// SPDX-License-Identifier: GPL-2.0
/* chain_a - bottom of the chain chain_a <- chain_b <- chain_c: exports chain_a_fn */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>

int chain_a_fn(int x)
{
	pr_info("chain_a_fn(%d) called by %ps\n", x, __builtin_return_address(0));
	return x + 1;
}
EXPORT_SYMBOL_GPL(chain_a_fn);

static int __init chain_a_init(void)
{
	pr_info("init\n");
	return 0;
}

static void __exit chain_a_exit(void)
{
	pr_info("exit\n");
}

module_init(chain_a_init);
module_exit(chain_a_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("First module of a three-module dependency chain");
