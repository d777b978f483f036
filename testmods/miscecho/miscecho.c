// SPDX-License-Identifier: GPL-2.0
/*
 * miscecho: a misc device that hands back what was last written to it, the way the misc-device
 * chapters of module tutorials do it. The minor is dynamic unless minor= asks for one.
 */
#include <linux/module.h>
#include <linux/miscdevice.h>
#include <linux/fs.h>
#include <linux/uaccess.h>
#include <linux/mutex.h>

#define KEEP 64

static int minor = MISC_DYNAMIC_MINOR;
module_param(minor, int, 0444);
MODULE_PARM_DESC(minor, "Minor number to ask for (default: a dynamic one)");

static char *name = "miscecho";
module_param(name, charp, 0444);
MODULE_PARM_DESC(name, "Device name");

static ushort mode;
module_param(mode, ushort, 0444);
MODULE_PARM_DESC(mode, "Mode of the device node (0: the default)");

static bool failinit;
module_param(failinit, bool, 0444);
MODULE_PARM_DESC(failinit, "Fail init after registering, leaving the device behind");

static char kept[KEEP];
static size_t kept_len;
static DEFINE_MUTEX(kept_lock);
static struct miscdevice echo_dev;

static int echo_open(struct inode *inode, struct file *file)
{
	pr_info("open of 10:%u, private_data %s\n", iminor(inode),
		file->private_data == &echo_dev ? "is our miscdevice" : "is something else");
	return 0;
}

static ssize_t echo_read(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	ssize_t ret;

	mutex_lock(&kept_lock);
	ret = simple_read_from_buffer(buf, count, ppos, kept, kept_len);
	mutex_unlock(&kept_lock);
	return ret;
}

static ssize_t echo_write(struct file *file, const char __user *buf, size_t count, loff_t *ppos)
{
	size_t n = min_t(size_t, count, KEEP);

	mutex_lock(&kept_lock);
	if (copy_from_user(kept, buf, n)) {
		mutex_unlock(&kept_lock);
		return -EFAULT;
	}
	kept_len = n;
	mutex_unlock(&kept_lock);
	pr_info("kept %zu of %zu bytes\n", n, count);
	return count;
}

static int echo_release(struct inode *inode, struct file *file)
{
	pr_info("release\n");
	return 0;
}

static const struct file_operations echo_fops = {
	.owner = THIS_MODULE,
	.open = echo_open,
	.read = echo_read,
	.write = echo_write,
	.release = echo_release,
	.llseek = noop_llseek,
};

static struct miscdevice echo_dev = {
	.fops = &echo_fops,
};

static int __init miscecho_init(void)
{
	int ret;

	echo_dev.minor = minor;
	echo_dev.name = name;
	echo_dev.mode = mode;
	ret = misc_register(&echo_dev);
	if (ret) {
		pr_err("misc_register: %d\n", ret);
		return ret;
	}
	pr_info("%s is 10:%d\n", echo_dev.name, echo_dev.minor);
	if (failinit) {
		pr_info("failing init, the device stays registered\n");
		return -EIO;
	}
	return 0;
}

static void __exit miscecho_exit(void)
{
	misc_deregister(&echo_dev);
	pr_info("%s deregistered\n", echo_dev.name);
}

module_init(miscecho_init);
module_exit(miscecho_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Misc device echoing writes back");
