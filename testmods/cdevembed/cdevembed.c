// SPDX-License-Identifier: GPL-2.0
/*
 * cdevembed: the pattern of current drivers: a struct holding its cdev and its struct device,
 * device_initialize() + dev_set_name() + cdev_device_add(), a release() that frees the struct
 * when the last reference goes, cdev_device_del() + put_device() at exit. Reading the device
 * gives its name, as the open found it through container_of(inode->i_cdev).
 */
#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/slab.h>

struct embed {
	struct cdev cdev;
	struct device dev;
};

static dev_t base;
static struct class *cls;
static struct embed *the_embed;

static int embed_open(struct inode *inode, struct file *file)
{
	file->private_data = container_of(inode->i_cdev, struct embed, cdev);
	return 0;
}

static ssize_t embed_read(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	struct embed *e = file->private_data;
	char line[64];
	int n = scnprintf(line, sizeof(line), "I am %s\n", dev_name(&e->dev));

	return simple_read_from_buffer(buf, count, ppos, line, n);
}

static const struct file_operations embed_fops = {
	.owner = THIS_MODULE,
	.open = embed_open,
	.read = embed_read,
};

static void embed_release(struct device *dev)
{
	struct embed *e = container_of(dev, struct embed, dev);

	pr_info("release of %s\n", dev_name(dev));
	kfree(e);
}

static int __init cdevembed_init(void)
{
	int ret = alloc_chrdev_region(&base, 0, 1, "cdevembed");

	if (ret)
		return ret;
	cls = class_create(THIS_MODULE, "cdevembed");
	if (IS_ERR(cls)) {
		ret = PTR_ERR(cls);
		goto unregister;
	}
	the_embed = kzalloc(sizeof(*the_embed), GFP_KERNEL);
	if (!the_embed) {
		ret = -ENOMEM;
		goto destroy;
	}
	device_initialize(&the_embed->dev);
	the_embed->dev.class = cls;
	the_embed->dev.devt = base;
	the_embed->dev.release = embed_release;
	dev_set_name(&the_embed->dev, "cdevembed%d", 0);
	cdev_init(&the_embed->cdev, &embed_fops);
	the_embed->cdev.owner = THIS_MODULE;
	ret = cdev_device_add(&the_embed->cdev, &the_embed->dev);
	if (ret) {
		put_device(&the_embed->dev);
		goto destroy;
	}
	dev_info(&the_embed->dev, "added as %d:%d\n", MAJOR(base), MINOR(base));
	return 0;
destroy:
	class_destroy(cls);
unregister:
	unregister_chrdev_region(base, 1);
	return ret;
}

static void __exit cdevembed_exit(void)
{
	cdev_device_del(&the_embed->cdev, &the_embed->dev);
	put_device(&the_embed->dev);
	class_destroy(cls);
	unregister_chrdev_region(base, 1);
}

module_init(cdevembed_init);
module_exit(cdevembed_exit);
MODULE_LICENSE("GPL");
