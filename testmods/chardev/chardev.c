// SPDX-License-Identifier: GPL-2.0
/*
 * chardev: the old-style character device of the Linux Kernel Module Programming Guide, rewritten:
 * register_chrdev() with a dynamic major (or major=), a class and a device for the /dev node, a
 * message that counts the opens, one opener at a time, writes refused. The open takes a reference
 * on the module itself (the fops have no .owner), as the guide's does.
 */
#include <linux/atomic.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/uaccess.h>

#define DEVICE_NAME "chardev"
#define MSG_LEN 80

static int major;
module_param(major, int, 0444);
MODULE_PARM_DESC(major, "Major number to ask for (0: a dynamic one)");

static atomic_t in_use = ATOMIC_INIT(0);
static char msg[MSG_LEN + 1];
static struct class *cls;

static int chardev_open(struct inode *inode, struct file *file)
{
	static int opens;

	if (atomic_cmpxchg(&in_use, 0, 1))
		return -EBUSY;
	snprintf(msg, sizeof(msg), "This device has been opened %d times before.\n", opens++);
	try_module_get(THIS_MODULE);
	return 0;
}

static int chardev_release(struct inode *inode, struct file *file)
{
	atomic_set(&in_use, 0);
	module_put(THIS_MODULE);
	return 0;
}

static ssize_t chardev_read(struct file *file, char __user *buf, size_t len, loff_t *off)
{
	const char *p = msg + *off;
	ssize_t done = 0;

	if (!*p) {
		*off = 0;
		return 0;
	}
	while (len && *p) {
		if (put_user(*p, buf))
			return -EFAULT;
		p++;
		buf++;
		len--;
		done++;
	}
	*off += done;
	return done;
}

static ssize_t chardev_write(struct file *file, const char __user *buf, size_t len, loff_t *off)
{
	pr_alert("Writing to this device is not supported.\n");
	return -EINVAL;
}

static const struct file_operations chardev_fops = {
	.read = chardev_read,
	.write = chardev_write,
	.open = chardev_open,
	.release = chardev_release,
};

static int __init chardev_init(void)
{
	int ret = register_chrdev(major, DEVICE_NAME, &chardev_fops);

	if (ret < 0) {
		pr_alert("register_chrdev failed: %d\n", ret);
		return ret;
	}
	if (!major)
		major = ret;
	pr_info("major number %d\n", major);
	cls = class_create(THIS_MODULE, DEVICE_NAME);
	device_create(cls, NULL, MKDEV(major, 0), NULL, DEVICE_NAME);
	pr_info("/dev/%s is there\n", DEVICE_NAME);
	return 0;
}

static void __exit chardev_exit(void)
{
	device_destroy(cls, MKDEV(major, 0));
	class_destroy(cls);
	unregister_chrdev(major, DEVICE_NAME);
}

module_init(chardev_init);
module_exit(chardev_exit);
MODULE_LICENSE("GPL");
