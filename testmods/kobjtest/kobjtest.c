// SPDX-License-Identifier: GPL-2.0
/*
 * kobjtest: lib/kobject.c and lib/kobject_uevent.c as a driver writer uses them.
 *
 * /sys/kernel/ktset                 kset_create_and_add() with uevent_ops (filter, name, uevent)
 *   obj1/{value,name}               kobject_init_and_add() into the kset, ktype default_groups
 *     sub/{value,name}              a child kobject (parent obj1, no kset of its own)
 *     plain/x                       kobject_create_and_add() + sysfs_create_file()
 *   quiet/                          renamed to "loud" (kobject_rename); its uevents are filtered
 *
 * Every release, uevent callback and reference count is logged, so the golden shows the order the
 * kernel releases kobjects in (a child holds its parent). dup=1 adds "obj1" twice (sysfs
 * duplicate, -EEXIST), empty=1 adds a kobject with an empty name (WARN, -EINVAL).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

static bool dup;
module_param(dup, bool, 0);
static bool empty;
module_param(empty, bool, 0);

struct kt_obj {
	struct kobject kobj;
	int value;
};
#define to_kt(k) container_of(k, struct kt_obj, kobj)

struct kt_attribute {
	struct attribute attr;
	ssize_t (*show)(struct kt_obj *o, char *buf);
	ssize_t (*store)(struct kt_obj *o, const char *buf, size_t count);
};
#define to_kt_attr(a) container_of(a, struct kt_attribute, attr)

static ssize_t kt_attr_show(struct kobject *kobj, struct attribute *attr, char *buf)
{
	struct kt_attribute *a = to_kt_attr(attr);

	return a->show ? a->show(to_kt(kobj), buf) : -EIO;
}

static ssize_t kt_attr_store(struct kobject *kobj, struct attribute *attr,
			     const char *buf, size_t count)
{
	struct kt_attribute *a = to_kt_attr(attr);

	return a->store ? a->store(to_kt(kobj), buf, count) : -EIO;
}

static const struct sysfs_ops kt_sysfs_ops = {
	.show = kt_attr_show,
	.store = kt_attr_store,
};

static ssize_t value_show(struct kt_obj *o, char *buf)
{
	return sysfs_emit(buf, "%d\n", o->value);
}

static ssize_t value_store(struct kt_obj *o, const char *buf, size_t count)
{
	int ret = kstrtoint(buf, 0, &o->value);

	if (ret)
		return ret;
	pr_info("%s: value set to %d\n", kobject_name(&o->kobj), o->value);
	return count;
}

static ssize_t name_show(struct kt_obj *o, char *buf)
{
	char *path = kobject_get_path(&o->kobj, GFP_KERNEL);
	ssize_t n = sysfs_emit(buf, "%s at %s, %u refs\n", kobject_name(&o->kobj), path,
			       kref_read(&o->kobj.kref));

	kfree(path);
	return n;
}

static struct kt_attribute kt_value = __ATTR(value, 0644, value_show, value_store);
static struct kt_attribute kt_name = __ATTR(name, 0444, name_show, NULL);

static struct attribute *kt_default_attrs[] = {
	&kt_value.attr,
	&kt_name.attr,
	NULL,
};
ATTRIBUTE_GROUPS(kt_default);

static void kt_release(struct kobject *kobj)
{
	struct kt_obj *o = to_kt(kobj);

	pr_info("release %s (value %d, in sysfs %d)\n", kobject_name(kobj), o->value,
		kobj->state_in_sysfs);
	kfree(o);
}

static const struct kobj_type kt_ktype = {
	.sysfs_ops = &kt_sysfs_ops,
	.release = kt_release,
	.default_groups = kt_default_groups,
};

static int kt_filter(struct kobject *kobj)
{
	pr_info("filter %s\n", kobject_name(kobj));
	return strcmp(kobject_name(kobj), "quiet") != 0 && strcmp(kobject_name(kobj), "loud") != 0;
}

static const char *kt_name_op(struct kobject *kobj)
{
	return "ktsub";
}

static int kt_uevent(struct kobject *kobj, struct kobj_uevent_env *env)
{
	int i;

	pr_info("uevent of %s, %d variables:\n", kobject_name(kobj), env->envp_idx);
	for (i = 0; i < env->envp_idx; i++)
		pr_info("  %s\n", env->envp[i]);
	return add_uevent_var(env, "KT_VALUE=%d", to_kt(kobj)->value);
}

static const struct kset_uevent_ops kt_uevent_ops = {
	.filter = kt_filter,
	.name = kt_name_op,
	.uevent = kt_uevent,
};

static struct kset *kset;
static struct kt_obj *obj1, *quiet, *sub;
static struct kobject *plain;

static ssize_t x_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "plain %s, parent %s\n", kobject_name(kobj),
			  kobject_name(kobj->parent));
}
static struct kobj_attribute x_attr = __ATTR_RO(x);

static struct kt_obj *kt_create(const char *name, int value, struct kobject *parent,
				struct kset *set)
{
	struct kt_obj *o = kzalloc(sizeof(*o), GFP_KERNEL);
	int ret;

	if (!o)
		return NULL;
	o->value = value;
	o->kobj.kset = set;
	ret = kobject_init_and_add(&o->kobj, &kt_ktype, parent, "%s", name);
	pr_info("add %s: %d, parent %s, refs %u\n", name, ret,
		o->kobj.parent ? kobject_name(o->kobj.parent) : "(none)", kref_read(&o->kobj.kref));
	if (ret) {
		kobject_put(&o->kobj);
		return NULL;
	}
	return o;
}

static int __init kobjtest_init(void)
{
	struct kobject *found;
	char *path;
	int ret;

	kset = kset_create_and_add("ktset", &kt_uevent_ops, kernel_kobj);
	if (!kset)
		return -ENOMEM;
	pr_info("kset %s, parent %s, refs %u\n", kobject_name(&kset->kobj),
		kobject_name(kset->kobj.parent), kref_read(&kset->kobj.kref));

	obj1 = kt_create("obj1", 1, NULL, kset);
	quiet = kt_create("quiet", 2, NULL, kset);
	sub = kt_create("sub", 3, &obj1->kobj, NULL);
	pr_info("kset refs %u, obj1 refs %u\n", kref_read(&kset->kobj.kref),
		kref_read(&obj1->kobj.kref));

	pr_info("uevent obj1: %d\n", kobject_uevent(&obj1->kobj, KOBJ_ADD));
	pr_info("uevent quiet: %d\n", kobject_uevent(&quiet->kobj, KOBJ_ADD));
	pr_info("uevent sub: %d\n", kobject_uevent(&sub->kobj, KOBJ_CHANGE));
	pr_info("uevent kset: %d\n", kobject_uevent(&kset->kobj, KOBJ_CHANGE));

	path = kobject_get_path(&sub->kobj, GFP_KERNEL);
	pr_info("path of sub: %s\n", path);
	kfree(path);

	found = kset_find_obj(kset, "obj1");
	pr_info("find obj1: %s, refs %u\n", found ? kobject_name(found) : "(null)",
		found ? kref_read(&found->kref) : 0);
	kobject_put(found);
	found = kset_find_obj(kset, "sub");
	pr_info("find sub: %s\n", found ? kobject_name(found) : "(null)");

	ret = kobject_rename(&quiet->kobj, "loud");
	pr_info("rename quiet: %d, now %s\n", ret, kobject_name(&quiet->kobj));

	plain = kobject_create_and_add("plain", &obj1->kobj);
	ret = sysfs_create_file(plain, &x_attr.attr);
	pr_info("plain: %s, file %d, obj1 refs %u\n", plain ? kobject_name(plain) : "(null)", ret,
		kref_read(&obj1->kobj.kref));

	if (dup) {
		struct kt_obj *again = kt_create("obj1", 9, NULL, kset);

		pr_info("dup: %s\n", again ? "added" : "refused");
	}
	if (empty) {
		struct kt_obj *nameless = kt_create("", 8, NULL, kset);

		pr_info("empty: %s\n", nameless ? "added" : "refused");
	}
	return 0;
}

static void __exit kobjtest_exit(void)
{
	kobject_put(plain);
	pr_info("put obj1 first, refs %u\n", kref_read(&obj1->kobj.kref));
	kobject_put(&obj1->kobj);
	pr_info("put sub\n");
	kobject_put(&sub->kobj);
	pr_info("del loud\n");
	kobject_del(&quiet->kobj);
	pr_info("put loud\n");
	kobject_put(&quiet->kobj);
	pr_info("unregister kset, refs %u\n", kref_read(&kset->kobj.kref));
	kset_unregister(kset);
}

module_init(kobjtest_init);
module_exit(kobjtest_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kobjects, ksets, uevents, release order");
