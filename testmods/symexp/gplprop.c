// SPDX-License-Identifier: GPL-2.0
/*
 * gplprop - a GPL module using a GPL-only symbol (symexp_tick) and propuser_secret
 * from the proprietary propuser. The kernel resolves symbols in symbol table order
 * and symexp_tick comes first there (readelf -s gplprop.ko), so the module is
 * already marked as using GPL-only symbols when propuser_secret is refused.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>

int symexp_tick(void);
int propuser_secret(void);

static int __init gplprop_init(void)
{
	int r = symexp_tick();

	pr_info("init (must never be printed): %d %d\n", r, propuser_secret());
	return 0;
}

static void __exit gplprop_exit(void)
{
}

module_init(gplprop_init);
module_exit(gplprop_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("GPL module using GPL-only symbols and a proprietary module's symbol");
