// SPDX-License-Identifier: GPL-2.0
/* nsimp - MODULE_IMPORT_NS(SYMEXP_NS) and a call of symexp_ns_hello from that namespace */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>

int symexp_ns_hello(const char *who);

static int __init nsimp_init(void)
{
	pr_info("init: symexp_ns_hello() = %d\n", symexp_ns_hello("nsimp"));
	return 0;
}

static void __exit nsimp_exit(void)
{
	pr_info("exit\n");
}

module_init(nsimp_init);
module_exit(nsimp_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Imports namespace SYMEXP_NS and uses a symbol from it");
MODULE_IMPORT_NS(SYMEXP_NS);
