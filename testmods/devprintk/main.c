// SPDX-License-Identifier: GPL-2.0
/*
 * devprintk: the dev_printk() family's prefixes and levels (drivers/base/core.c,
 * lib/dynamic_debug.c): a device with no bus, class or driver (empty driver string), one of a
 * class, one with an init_name not yet added, a NULL device, every level, _dev_printk() with a
 * level string, dev_printk_emit() (no prefix), dev_err_probe()/dev_warn_probe() with -EINVAL,
 * -EPROBE_DEFER (debug: not printed), -ENOMEM (nothing) and an unknown code, the _once and
 * _ratelimited variants; dev_dbg()/pr_debug() without DEBUG (sites off: nothing) and, in dbg.c,
 * with DEBUG (printed at KERN_DEBUG).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/module.h>
#include <linux/slab.h>
#include "devprintk.h"

static void plain_release(struct device *dev)
{
	pr_info("release %s\n", dev_name(dev));
}

static struct device plain = {
	.init_name = "kmplain",
	.release = plain_release,
};

static struct class *cls;

static int __init devprintk_init(void)
{
	struct device *cdev;
	int i, ret;

	dev_info(&plain, "before device_register (init_name)\n");
	ret = device_register(&plain);
	pr_info("register: %d\n", ret);
	dev_emerg(&plain, "emerg %d\n", 0);
	dev_alert(&plain, "alert %d\n", 1);
	dev_crit(&plain, "crit %d\n", 2);
	dev_err(&plain, "err %d\n", 3);
	dev_warn(&plain, "warn %d\n", 4);
	dev_notice(&plain, "notice %d\n", 5);
	dev_info(&plain, "info %d\n", 6);
	dev_dbg(&plain, "dbg without DEBUG: not printed\n");
	pr_debug("pr_debug without DEBUG: not printed\n");
	dev_printk(KERN_ERR, &plain, "dev_printk KERN_ERR\n");
	dev_printk(KERN_DEBUG, &plain, "dev_printk KERN_DEBUG\n");
	dev_printk_emit(LOGLEVEL_NOTICE, &plain, "dev_printk_emit: no prefix %s\n", "here");
	dev_err(NULL, "err of NULL device\n");
	dev_warn(NULL, "warn of NULL device\n");
	dev_printk(KERN_INFO, NULL, "dev_printk of NULL device\n");
	dev_info(&plain, "multi\nline\n");
	dev_info(&plain, "no newline");
	dev_info(&plain, "%s driver string '%s'\n", dev_name(&plain), dev_driver_string(&plain));

	ret = dev_err_probe(&plain, -EINVAL, "bad %s\n", "value");
	pr_info("dev_err_probe returned %d\n", ret);
	ret = dev_err_probe(&plain, -EPROBE_DEFER, "not ready\n");
	pr_info("dev_err_probe returned %d\n", ret);
	ret = dev_err_probe(&plain, -ENOMEM, "out of memory\n");
	pr_info("dev_err_probe returned %d\n", ret);
	ret = dev_err_probe(&plain, -1234, "odd code\n");
	pr_info("dev_err_probe returned %d\n", ret);
	ret = dev_err_probe(&plain, 0, "zero\n");
	pr_info("dev_err_probe returned %d\n", ret);
	ret = dev_warn_probe(&plain, -ETIMEDOUT, "slow %d\n", 3);
	pr_info("dev_warn_probe returned %d\n", ret);

	for (i = 0; i < 3; i++) {
		dev_info_once(&plain, "once %d\n", i);
		dev_warn_ratelimited(&plain, "ratelimited %d\n", i);
	}

	cls = class_create(THIS_MODULE, "kmpcls");
	if (IS_ERR(cls)) {
		device_unregister(&plain);
		return PTR_ERR(cls);
	}
	cdev = device_create(cls, &plain, 0, NULL, "kmpc%d", 1);
	dev_info(cdev, "device of a class, driver string '%s'\n", dev_driver_string(cdev));
	dev_notice(cdev, "parent %s\n", dev_name(cdev->parent));
	devprintk_debug_lines(cdev);
	device_destroy(cls, 0);
	class_destroy(cls);
	return 0;
}

static void __exit devprintk_exit(void)
{
	dev_info(&plain, "exit\n");
	device_unregister(&plain);
}

module_init(devprintk_init);
module_exit(devprintk_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("dev_printk prefixes and levels");
