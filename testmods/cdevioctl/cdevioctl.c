// SPDX-License-Identifier: GPL-2.0
/*
 * cdevioctl: a character device the modern way (alloc_chrdev_region, cdev_init + cdev_add,
 * class_create + device_create, one node per minor) with an ioctl interface: _IOR/_IOW/_IOWR
 * commands on a per-device value and text, _IO commands, unknown commands -ENOTTY and bad user
 * pointers -EFAULT. read shows "value=N", write sets it (a number), poll says readable while the
 * value is not 0, llseek is fixed_size_llseek over 32 bytes. The class gives mode 0666 to the
 * node of minor 0 through its devnode callback and adds CDEVIOCTL_INDEX to uevents.
 */
#include <linux/module.h>
#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/poll.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

struct cdevioctl_msg {
	__s32 value;
	char text[28];
};

#define CDEVIOCTL_MAGIC 'k'
#define CDEVIOCTL_GET _IOR(CDEVIOCTL_MAGIC, 1, int)
#define CDEVIOCTL_SET _IOW(CDEVIOCTL_MAGIC, 2, int)
#define CDEVIOCTL_XCHG _IOWR(CDEVIOCTL_MAGIC, 3, struct cdevioctl_msg)
#define CDEVIOCTL_RESET _IO(CDEVIOCTL_MAGIC, 4)
#define CDEVIOCTL_OPENS _IO(CDEVIOCTL_MAGIC, 5)
#define MAX_DEVS 4

static int ndevs = 2;
module_param(ndevs, int, 0444);
MODULE_PARM_DESC(ndevs, "Number of devices (1-4)");

static char *clsname = "cdevioctl";
module_param(clsname, charp, 0444);
MODULE_PARM_DESC(clsname, "Name of the class");

struct cdevioctl_dev {
	int index;
	int value;
	char text[28];
};

static dev_t base;
static struct cdev cdev;
static struct class *cls;
static struct cdevioctl_dev devs[MAX_DEVS];
static int opens;
static DECLARE_WAIT_QUEUE_HEAD(waiters);

static int cdevioctl_open(struct inode *inode, struct file *file)
{
	struct cdevioctl_dev *d = &devs[iminor(inode)];

	file->private_data = d;
	opens++;
	pr_info("open of minor %d (%s)\n", d->index,
		(file->f_flags & O_ACCMODE) == O_RDONLY ? "read-only" :
		(file->f_flags & O_ACCMODE) == O_WRONLY ? "write-only" : "read-write");
	return 0;
}

static ssize_t cdevioctl_read(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	struct cdevioctl_dev *d = file->private_data;
	char line[32];
	int n = scnprintf(line, sizeof(line), "value=%d\n", d->value);

	return simple_read_from_buffer(buf, count, ppos, line, n);
}

static ssize_t cdevioctl_write(struct file *file, const char __user *buf, size_t count, loff_t *ppos)
{
	struct cdevioctl_dev *d = file->private_data;
	int v;
	int ret = kstrtoint_from_user(buf, count, 0, &v);

	if (ret)
		return ret;
	d->value = v;
	return count;
}

static loff_t cdevioctl_llseek(struct file *file, loff_t off, int whence)
{
	return fixed_size_llseek(file, off, whence, 32);
}

static long cdevioctl_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct cdevioctl_dev *d = file->private_data;
	void __user *argp = (void __user *)arg;
	struct cdevioctl_msg m;
	char text[28];
	int v;

	switch (cmd) {
	case CDEVIOCTL_GET:
		return put_user(d->value, (int __user *)argp);
	case CDEVIOCTL_SET:
		if (get_user(v, (int __user *)argp))
			return -EFAULT;
		if (v < 0)
			return -EINVAL;
		d->value = v;
		return 0;
	case CDEVIOCTL_XCHG:
		if (copy_from_user(&m, argp, sizeof(m)))
			return -EFAULT;
		m.text[sizeof(m.text) - 1] = '\0';
		v = d->value;
		d->value = m.value;
		m.value = v;
		memcpy(text, d->text, sizeof(text));
		memcpy(d->text, m.text, sizeof(text));
		memcpy(m.text, text, sizeof(text));
		if (copy_to_user(argp, &m, sizeof(m)))
			return -EFAULT;
		pr_info("xchg on minor %d: value %d, text \"%s\"\n", d->index, d->value, d->text);
		return 0;
	case CDEVIOCTL_RESET:
		d->value = 0;
		memset(d->text, 0, sizeof(d->text));
		return 0;
	case CDEVIOCTL_OPENS:
		return opens;
	default:
		return -ENOTTY;
	}
}

static __poll_t cdevioctl_poll(struct file *file, poll_table *wait)
{
	struct cdevioctl_dev *d = file->private_data;
	__poll_t mask = EPOLLOUT | EPOLLWRNORM;

	poll_wait(file, &waiters, wait);
	if (d->value)
		mask |= EPOLLIN | EPOLLRDNORM;
	return mask;
}

static int cdevioctl_release(struct inode *inode, struct file *file)
{
	struct cdevioctl_dev *d = file->private_data;

	pr_info("release of minor %d\n", d->index);
	return 0;
}

static const struct file_operations cdevioctl_fops = {
	.owner = THIS_MODULE,
	.open = cdevioctl_open,
	.read = cdevioctl_read,
	.write = cdevioctl_write,
	.llseek = cdevioctl_llseek,
	.unlocked_ioctl = cdevioctl_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.poll = cdevioctl_poll,
	.release = cdevioctl_release,
};

static char *cdevioctl_devnode(struct device *dev, umode_t *mode)
{
	struct cdevioctl_dev *d = dev_get_drvdata(dev);

	if (mode && d->index == 0)
		*mode = 0666;
	return NULL;
}

static int cdevioctl_uevent(struct device *dev, struct kobj_uevent_env *env)
{
	struct cdevioctl_dev *d = dev_get_drvdata(dev);

	return add_uevent_var(env, "CDEVIOCTL_INDEX=%d", d->index);
}

static int __init cdevioctl_init(void)
{
	int ret;
	int i;

	if (ndevs < 1 || ndevs > MAX_DEVS)
		return -EINVAL;
	ret = alloc_chrdev_region(&base, 0, ndevs, "cdevioctl");
	if (ret) {
		pr_err("alloc_chrdev_region: %d\n", ret);
		return ret;
	}
	cdev_init(&cdev, &cdevioctl_fops);
	cdev.owner = THIS_MODULE;
	ret = cdev_add(&cdev, base, ndevs);
	if (ret)
		goto unregister;
	cls = class_create(THIS_MODULE, clsname);
	if (IS_ERR(cls)) {
		ret = PTR_ERR(cls);
		pr_err("class_create: %d\n", ret);
		goto del;
	}
	cls->devnode = cdevioctl_devnode;
	cls->dev_uevent = cdevioctl_uevent;
	for (i = 0; i < ndevs; i++) {
		struct device *dev;

		devs[i].index = i;
		devs[i].value = 42 + i;
		dev = device_create(cls, NULL, MKDEV(MAJOR(base), i), &devs[i], "cdevioctl%d", i);
		if (IS_ERR(dev)) {
			ret = PTR_ERR(dev);
			goto destroy;
		}
		dev_info(dev, "value %d\n", devs[i].value);
	}
	pr_info("major %d, minors 0-%d\n", MAJOR(base), ndevs - 1);
	return 0;
destroy:
	while (--i >= 0)
		device_destroy(cls, MKDEV(MAJOR(base), i));
	class_destroy(cls);
del:
	cdev_del(&cdev);
unregister:
	unregister_chrdev_region(base, ndevs);
	return ret;
}

static void __exit cdevioctl_exit(void)
{
	int i;

	for (i = 0; i < ndevs; i++)
		device_destroy(cls, MKDEV(MAJOR(base), i));
	class_destroy(cls);
	cdev_del(&cdev);
	unregister_chrdev_region(base, ndevs);
	pr_info("removed\n");
}

module_init(cdevioctl_init);
module_exit(cdevioctl_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Character device with an ioctl interface");
