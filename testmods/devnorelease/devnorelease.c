// SPDX-License-Identifier: GPL-2.0
/*
 * devnorelease: struct device mistakes the driver core reports. device_add() of a device without
 * a name fails with -EINVAL; a device registered without any release() (its own, its type's or
 * its class's) makes the last put_device() WARN "Device '...' does not have a release()
 * function, it is broken and must be fixed.".
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/module.h>
#include <linux/slab.h>

static struct device *noname, *norelease;

static int __init devnorelease_init(void)
{
	int ret;

	noname = kzalloc(sizeof(*noname), GFP_KERNEL);
	norelease = kzalloc(sizeof(*norelease), GFP_KERNEL);
	if (!noname || !norelease)
		return -ENOMEM;
	device_initialize(noname);
	ret = device_add(noname);
	pr_info("device_add without a name: %d, refs %u\n", ret, kref_read(&noname->kobj.kref));

	dev_set_name(norelease, "kmnorelease");
	ret = device_register(norelease);
	pr_info("device_register: %d, refs %u, registered %d\n", ret, kref_read(&norelease->kobj.kref),
		device_is_registered(norelease));
	return 0;
}

static void __exit devnorelease_exit(void)
{
	device_unregister(norelease);
	pr_info("unregistered, refs %u\n", kref_read(&norelease->kobj.kref));
	kfree(norelease);
	kfree(noname);
}

module_init(devnorelease_init);
module_exit(devnorelease_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("device_add without name, device without release");
