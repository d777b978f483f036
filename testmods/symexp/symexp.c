// SPDX-License-Identifier: GPL-2.0
/*
 * symexp - the exporter: EXPORT_SYMBOL of a function (symexp_add) and of a data
 * object (symexp_value), EXPORT_SYMBOL_GPL of two functions (symexp_gpl_mul,
 * symexp_tick) and EXPORT_SYMBOL_NS_GPL of one in namespace SYMEXP_NS
 * (symexp_ns_hello). Every export logs its caller (%ps), so the goldens show
 * which module called it. (References are observed through /proc/modules and
 * /sys/module/symexp/refcnt, and by refuser: this module, loaded by almost every
 * case, imports nothing but _printk.)
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>

int symexp_value = 42;
EXPORT_SYMBOL(symexp_value);

static int ticks;

int symexp_add(int a, int b)
{
	pr_info("symexp_add(%d, %d) called by %ps\n", a, b, __builtin_return_address(0));
	return a + b;
}
EXPORT_SYMBOL(symexp_add);

int symexp_gpl_mul(int a, int b)
{
	pr_info("symexp_gpl_mul(%d, %d) called by %ps\n", a, b, __builtin_return_address(0));
	return a * b;
}
EXPORT_SYMBOL_GPL(symexp_gpl_mul);

int symexp_tick(void)
{
	ticks++;
	pr_info("symexp_tick() = %d, called by %ps\n", ticks, __builtin_return_address(0));
	return ticks;
}
EXPORT_SYMBOL_GPL(symexp_tick);

int symexp_ns_hello(const char *who)
{
	pr_info("hello %s, from namespace SYMEXP_NS\n", who);
	return 7;
}
EXPORT_SYMBOL_NS_GPL(symexp_ns_hello, SYMEXP_NS);

static int __init symexp_init(void)
{
	pr_info("init: value %d\n", symexp_value);
	return 0;
}

static void __exit symexp_exit(void)
{
	pr_info("exit: value %d, ticks %d\n", symexp_value, ticks);
}

module_init(symexp_init);
module_exit(symexp_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Exports plain, GPL-only and namespaced symbols and a data object");
