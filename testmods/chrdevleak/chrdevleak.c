// SPDX-License-Identifier: GPL-2.0
/*
 * chrdevleak: registers a character device (register_chrdev, a class and a device for the /dev
 * node) and forgets it: exit only logs. With failinit=1 init fails after registering, so the
 * module is gone straight away while /proc/devices, /sys and /dev still name its device; opening
 * the node then runs into the freed module. With misc=1 a misc device is left behind the same way.
 */
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>

static bool failinit;
module_param(failinit, bool, 0444);
MODULE_PARM_DESC(failinit, "Fail init after registering");

static bool misc;
module_param(misc, bool, 0444);
MODULE_PARM_DESC(misc, "Leave a misc device instead");

static ssize_t leak_read(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	return 0;
}

static const struct file_operations leak_fops = {
	.owner = THIS_MODULE,
	.read = leak_read,
};

static struct miscdevice leak_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "chrdevleak_misc",
	.fops = &leak_fops,
};

static int __init chrdevleak_init(void)
{
	int major;
	struct class *cls;

	if (misc) {
		int ret = misc_register(&leak_misc);

		if (ret)
			return ret;
		pr_info("misc device 10:%d registered\n", leak_misc.minor);
	} else {
		major = register_chrdev(0, "chrdevleak", &leak_fops);
		if (major < 0)
			return major;
		cls = class_create(THIS_MODULE, "chrdevleak");
		if (IS_ERR(cls))
			return PTR_ERR(cls);
		device_create(cls, NULL, MKDEV(major, 0), NULL, "chrdevleak");
		pr_info("major %d registered\n", major);
	}
	return failinit ? -EIO : 0;
}

static void __exit chrdevleak_exit(void)
{
	pr_info("leaving without unregistering\n");
}

module_init(chrdevleak_init);
module_exit(chrdevleak_exit);
MODULE_LICENSE("GPL");
