// SPDX-License-Identifier: GPL-2.0
/*
 * refuser - module references without link-time imports from symexp:
 * try_module_get/__module_get/module_put on THIS_MODULE with module_refcount()
 * after each (init runs with the kernel's own reference held), symbol_get() of
 * symexp's plain export symexp_add (refused: not GPL-only) and of the GPL-only
 * symexp_tick, held from init to exit (symexp's refcount shows it), then
 * symbol_put(). Without symexp loaded symbol_get() returns NULL. pin=1 keeps one
 * reference on itself, so rmmod fails.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>

int symexp_add(int a, int b);
int symexp_tick(void);

static bool pin;
module_param(pin, bool, 0444);
MODULE_PARM_DESC(pin, "Keep a reference on this module (rmmod fails)");

static int (*tick)(void);

static int __init refuser_init(void)
{
	int (*add)(int, int);

	pr_info("init: refcount %d\n", module_refcount(THIS_MODULE));
	if (!try_module_get(THIS_MODULE))
		return -ENODEV;
	pr_info("after try_module_get: refcount %d\n", module_refcount(THIS_MODULE));
	__module_get(THIS_MODULE);
	pr_info("after __module_get: refcount %d\n", module_refcount(THIS_MODULE));
	module_put(THIS_MODULE);
	pr_info("after module_put: refcount %d\n", module_refcount(THIS_MODULE));
	if (!pin) {
		module_put(THIS_MODULE);
		pr_info("after module_put: refcount %d\n", module_refcount(THIS_MODULE));
	}

	add = symbol_get(symexp_add);
	pr_info("symbol_get(symexp_add) = %s\n", add ? "found" : "NULL");
	if (add)
		symbol_put(symexp_add);

	tick = symbol_get(symexp_tick);
	if (tick)
		pr_info("symbol_get(symexp_tick) found, tick() = %d\n", tick());
	else
		pr_info("symbol_get(symexp_tick) = NULL\n");
	return 0;
}

static void __exit refuser_exit(void)
{
	if (tick) {
		pr_info("exit: tick() = %d\n", tick());
		symbol_put(symexp_tick);
	}
	pr_info("exit: refcount %d\n", module_refcount(THIS_MODULE));
}

module_init(refuser_init);
module_exit(refuser_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Module references: try_module_get, module_put, symbol_get, symbol_put");
