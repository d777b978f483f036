// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs_example - a kobject under /sys/kernel with an attribute group
 * (after the LKM guide's hello-sysfs.c).
 *
 * /sys/kernel/sysfs_example/
 *   value   int, 0644: store parses with kstrtoint (base 0), -EINVAL outside 0..1000
 *   text    string, 0644: store keeps at most TEXT_LEN bytes, one trailing newline dropped
 *   name    read-only (0444): the module name
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#define TEXT_LEN	16

static struct kobject *example_kobj;
static DEFINE_MUTEX(example_lock);
static int value = 10;
static char text[TEXT_LEN + 1] = "initial";

static ssize_t value_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(value));
}

static ssize_t value_store(struct kobject *kobj, struct kobj_attribute *attr,
			   const char *buf, size_t count)
{
	int v, ret;

	ret = kstrtoint(buf, 0, &v);
	if (ret)
		return ret;
	if (v < 0 || v > 1000)
		return -EINVAL;
	WRITE_ONCE(value, v);
	pr_info("value set to %d (%zu bytes written)\n", v, count);
	return count;
}

static ssize_t text_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	ssize_t ret;

	mutex_lock(&example_lock);
	ret = sysfs_emit(buf, "%s\n", text);
	mutex_unlock(&example_lock);
	return ret;
}

static ssize_t text_store(struct kobject *kobj, struct kobj_attribute *attr,
			  const char *buf, size_t count)
{
	size_t len = count;

	if (len && buf[len - 1] == '\n')
		len--;
	len = min_t(size_t, len, TEXT_LEN);

	mutex_lock(&example_lock);
	memcpy(text, buf, len);
	text[len] = '\0';
	mutex_unlock(&example_lock);
	pr_info("text set to '%s' (%zu bytes written)\n", text, count);
	return count;
}

static ssize_t name_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%s\n", kobject_name(kobj));
}

static struct kobj_attribute value_attribute = __ATTR_RW(value);
static struct kobj_attribute text_attribute = __ATTR_RW(text);
static struct kobj_attribute name_attribute = __ATTR_RO(name);

static struct attribute *example_attrs[] = {
	&value_attribute.attr,
	&text_attribute.attr,
	&name_attribute.attr,
	NULL,
};

static const struct attribute_group example_group = {
	.attrs = example_attrs,
};

static int __init sysfs_example_init(void)
{
	int ret;

	example_kobj = kobject_create_and_add(KBUILD_MODNAME, kernel_kobj);
	if (!example_kobj)
		return -ENOMEM;

	ret = sysfs_create_group(example_kobj, &example_group);
	if (ret) {
		kobject_put(example_kobj);
		return ret;
	}
	pr_info("created /sys/kernel/%s\n", KBUILD_MODNAME);
	return 0;
}

static void __exit sysfs_example_exit(void)
{
	kobject_put(example_kobj);
	pr_info("removed (value %d, text '%s')\n", value, text);
}

module_init(sysfs_example_init);
module_exit(sysfs_example_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("kmodemu test suite");
MODULE_DESCRIPTION("kobject in /sys/kernel with read/write and read-only attributes");
