// SPDX-License-Identifier: GPL-2.0
/*
 * reqmod - request_module() from init: asks modprobe for the module or alias given in the
 * "want" parameter, then looks for one of its exports with symbol_get() (a reference that keeps
 * it loaded) and calls it, and drops the reference at exit with symbol_put().
 * No golden file: what modprobe finds depends on the module directory, which qemu-oracle's
 * system does not have; kstubs' RequestModuleTest gives it one.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/kmod.h>
#include <linux/module.h>

static char *want = "kmodidx-core-alias";
module_param(want, charp, 0444);

extern int kmodidx_core_add(int a, int b);
static int (*add)(int, int);

static int __init reqmod_init(void)
{
	int ret = request_module("%s", want);

	pr_info("reqmod: request_module(%s) = %d\n", want, ret);
	add = symbol_get(kmodidx_core_add);
	if (add)
		pr_info("reqmod: kmodidx_core_add(40, 2) = %d\n", add(40, 2));
	else
		pr_info("reqmod: kmodidx_core_add is not there\n");
	return 0;
}

static void __exit reqmod_exit(void)
{
	if (add)
		symbol_put(kmodidx_core_add);
}

module_init(reqmod_init);
module_exit(reqmod_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("request_module() and symbol_get() of what it loaded");
