// SPDX-License-Identifier: GPL-2.0
/*
 * reqmod - request_module() from init: asks modprobe for the module or alias given in the
 * "want" parameter, then looks for its GPL-only export kmodidx_core_value with symbol_get() (a
 * reference that keeps the exporter loaded; the kernel refuses symbol_get of plain exports) and
 * reads it, and drops the reference at exit with symbol_put().
 * No golden file: what modprobe finds depends on the module directory, which qemu-oracle's
 * system does not have; kstubs' RequestModuleTest gives it one.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/kmod.h>
#include <linux/module.h>

static char *want = "kmodidx-core-alias";
module_param(want, charp, 0444);

extern int kmodidx_core_value;
static int *value;

static int __init reqmod_init(void)
{
	int ret = request_module("%s", want);

	pr_info("reqmod: request_module(%s) = %d\n", want, ret);
	value = symbol_get(kmodidx_core_value);
	if (value)
		pr_info("reqmod: kmodidx_core_value = %d\n", *value);
	else
		pr_info("reqmod: kmodidx_core_value is not there\n");
	return 0;
}

static void __exit reqmod_exit(void)
{
	if (value)
		symbol_put(kmodidx_core_value);
}

module_init(reqmod_init);
module_exit(reqmod_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("request_module() and symbol_get() of what it loaded");
