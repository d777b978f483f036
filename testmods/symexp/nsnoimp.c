// SPDX-License-Identifier: GPL-2.0
/*
 * nsnoimp - calls symexp_ns_hello (namespace SYMEXP_NS) without MODULE_IMPORT_NS:
 * the kernel refuses the load (modpost would too, see Kbuild).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>

int symexp_ns_hello(const char *who);

static int __init nsnoimp_init(void)
{
	pr_info("init (must never be printed): %d\n", symexp_ns_hello("nsnoimp"));
	return 0;
}

static void __exit nsnoimp_exit(void)
{
}

module_init(nsnoimp_init);
module_exit(nsnoimp_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Uses a namespaced symbol without importing the namespace");
