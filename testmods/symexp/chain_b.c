// SPDX-License-Identifier: GPL-2.0
/* chain_b - middle of the chain: exports chain_b_fn, which calls chain_a_fn */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>

int chain_a_fn(int x);

int chain_b_fn(int x)
{
	int r = chain_a_fn(x) * 2;

	pr_info("chain_b_fn(%d) = %d, called by %ps\n", x, r, __builtin_return_address(0));
	return r;
}
EXPORT_SYMBOL_GPL(chain_b_fn);

static int __init chain_b_init(void)
{
	pr_info("init: chain_a_fn(1) = %d\n", chain_a_fn(1));
	return 0;
}

static void __exit chain_b_exit(void)
{
	pr_info("exit\n");
}

module_init(chain_b_init);
module_exit(chain_b_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Second module of a three-module dependency chain");
