// SPDX-License-Identifier: GPL-2.0
/*
 * devbus: a bus of its own with devices and a driver, to show the driver core's matching, probing
 * and removal order, bus notifier events, uevents and the sysfs files of buses, drivers and devices.
 *
 * Bus "kmbus" (match: the device name up to its '.' equals the driver name; uevent adds
 * MODALIAS=kmbus:NAME; bus attribute "knob" (rw), device attribute "kind" (ro), driver attribute
 * "version" (ro)). Devices under the root device "kmroot" (root_device_register): kmdrv.0 (probes),
 * kmdrv.1 (probe fails with -EINVAL), kmdrv.2 (probe says -ENODEV), other.0 (no driver), added
 * before the driver; kmdrv.3 added after it. The driver "kmdrv" adds the device attribute "state"
 * (rw) to the devices it binds (dev_groups). defer=1: kmdrv.4 defers its first probe
 * (-EPROBE_DEFER) and is retried once another device binds; stuck=1 makes it defer every time
 * (the driver core then reports it when the deferred probe timeout passes).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

static bool defer;
module_param(defer, bool, 0);
static bool stuck;
module_param(stuck, bool, 0);

struct kmdev {
	struct device dev;
	int kind;
	int state;
	int probes;
};
#define to_kmdev(d) container_of(d, struct kmdev, dev)

static int knob = 7;

static int kmbus_match(struct device *dev, struct device_driver *drv)
{
	const char *dot = strchr(dev_name(dev), '.');
	size_t len = dot ? dot - dev_name(dev) : strlen(dev_name(dev));
	int match = strlen(drv->name) == len && !strncmp(dev_name(dev), drv->name, len);

	pr_info("match %s with %s: %d\n", dev_name(dev), drv->name, match);
	return match;
}

static int kmbus_uevent(struct device *dev, struct kobj_uevent_env *env)
{
	pr_info("bus uevent of %s (%d variables)\n", dev_name(dev), env->envp_idx);
	return add_uevent_var(env, "MODALIAS=kmbus:%s", dev_name(dev));
}

static ssize_t knob_show(struct bus_type *bus, char *buf)
{
	return sysfs_emit(buf, "%d on %s\n", knob, bus->name);
}

static ssize_t knob_store(struct bus_type *bus, const char *buf, size_t count)
{
	int ret = kstrtoint(buf, 0, &knob);

	return ret ? ret : count;
}
static BUS_ATTR_RW(knob);

static struct attribute *kmbus_bus_attrs[] = {
	&bus_attr_knob.attr,
	NULL,
};
ATTRIBUTE_GROUPS(kmbus_bus);

static ssize_t kind_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", to_kmdev(dev)->kind);
}
static DEVICE_ATTR_RO(kind);

static struct attribute *kmbus_dev_attrs[] = {
	&dev_attr_kind.attr,
	NULL,
};
ATTRIBUTE_GROUPS(kmbus_dev);

static ssize_t version_show(struct device_driver *drv, char *buf)
{
	return sysfs_emit(buf, "%s 1.0\n", drv->name);
}
static DRIVER_ATTR_RO(version);

static struct attribute *kmbus_drv_attrs[] = {
	&driver_attr_version.attr,
	NULL,
};
ATTRIBUTE_GROUPS(kmbus_drv);

static struct bus_type kmbus = {
	.name = "kmbus",
	.match = kmbus_match,
	.uevent = kmbus_uevent,
	.bus_groups = kmbus_bus_groups,
	.dev_groups = kmbus_dev_groups,
	.drv_groups = kmbus_drv_groups,
};

static const char *const events[] = {
	"?", "ADD_DEVICE", "DEL_DEVICE", "REMOVED_DEVICE", "BIND_DRIVER", "BOUND_DRIVER",
	"UNBIND_DRIVER", "UNBOUND_DRIVER", "DRIVER_NOT_BOUND",
};

static int kmbus_notify(struct notifier_block *nb, unsigned long action, void *data)
{
	struct device *dev = data;

	pr_info("notifier: %s %s (driver %s)\n", action < ARRAY_SIZE(events) ? events[action] : "?",
		dev_name(dev), dev->driver ? dev->driver->name : "none");
	return NOTIFY_DONE;
}

static struct notifier_block kmbus_nb = {
	.notifier_call = kmbus_notify,
};

static ssize_t state_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d (%s)\n", to_kmdev(dev)->state, (char *)dev_get_drvdata(dev));
}

static ssize_t state_store(struct device *dev, struct device_attribute *attr, const char *buf,
			   size_t count)
{
	int ret = kstrtoint(buf, 0, &to_kmdev(dev)->state);

	if (ret)
		return ret;
	dev_info(dev, "state %d\n", to_kmdev(dev)->state);
	return count;
}
static DEVICE_ATTR_RW(state);

static struct attribute *kmdrv_dev_attrs[] = {
	&dev_attr_state.attr,
	NULL,
};
ATTRIBUTE_GROUPS(kmdrv_dev);

static int kmdrv_probe(struct device *dev)
{
	struct kmdev *d = to_kmdev(dev);

	d->probes++;
	dev_info(dev, "probe #%d (drvdata %p, driver %s)\n", d->probes, dev_get_drvdata(dev),
		 dev->driver->name);
	if (!strcmp(dev_name(dev), "kmdrv.1"))
		return -EINVAL;
	if (!strcmp(dev_name(dev), "kmdrv.2"))
		return -ENODEV;
	if (!strcmp(dev_name(dev), "kmdrv.4") && (d->probes == 1 || stuck))
		return dev_err_probe(dev, -EPROBE_DEFER, "waiting for a friend\n");
	dev_set_drvdata(dev, "bound");
	return 0;
}

static int kmdrv_remove(struct device *dev)
{
	dev_info(dev, "remove (drvdata %s)\n", (char *)dev_get_drvdata(dev));
	return 0;
}

static struct device_driver kmdrv = {
	.name = "kmdrv",
	.bus = &kmbus,
	.owner = THIS_MODULE,
	.probe = kmdrv_probe,
	.remove = kmdrv_remove,
	.dev_groups = kmdrv_dev_groups,
};

static struct device *root;
static struct kmdev *devs[6];

static void kmdev_release(struct device *dev)
{
	pr_info("release %s\n", dev_name(dev));
	kfree(to_kmdev(dev));
}

static struct kmdev *kmdev_add(const char *name, int kind)
{
	struct kmdev *d = kzalloc(sizeof(*d), GFP_KERNEL);
	int ret;

	if (!d)
		return NULL;
	d->kind = kind;
	d->dev.bus = &kmbus;
	d->dev.parent = root;
	d->dev.release = kmdev_release;
	dev_set_name(&d->dev, "%s", name);
	ret = device_register(&d->dev);
	pr_info("register %s: %d, registered %d, driver %s, refs %u\n", name, ret,
		device_is_registered(&d->dev), d->dev.driver ? d->dev.driver->name : "none",
		kref_read(&d->dev.kobj.kref));
	if (ret) {
		put_device(&d->dev);
		return NULL;
	}
	return d;
}

static int print_dev(struct device *dev, void *data)
{
	pr_info("%s: %s\n", (char *)data, dev_name(dev));
	return 0;
}

static int __init devbus_init(void)
{
	struct device_driver *drv;
	struct device *dev;
	int ret;

	ret = bus_register(&kmbus);
	pr_info("bus_register: %d\n", ret);
	if (ret)
		return ret;
	bus_register_notifier(&kmbus, &kmbus_nb);
	root = root_device_register("kmroot");
	if (IS_ERR(root)) {
		bus_unregister(&kmbus);
		return PTR_ERR(root);
	}
	devs[0] = kmdev_add("kmdrv.0", 10);
	devs[1] = kmdev_add("kmdrv.1", 11);
	devs[2] = kmdev_add("kmdrv.2", 12);
	devs[5] = kmdev_add("other.0", 50);
	if (defer || stuck)
		devs[4] = kmdev_add("kmdrv.4", 14);

	ret = driver_register(&kmdrv);
	pr_info("driver_register: %d\n", ret);
	devs[3] = kmdev_add("kmdrv.3", 13);

	bus_for_each_dev(&kmbus, NULL, "bus device", print_dev);
	device_for_each_child(root, "child of kmroot", print_dev);
	dev = bus_find_device_by_name(&kmbus, NULL, "kmdrv.3");
	pr_info("find kmdrv.3: %s, refs %u\n", dev ? dev_name(dev) : "(null)",
		dev ? kref_read(&dev->kobj.kref) : 0);
	put_device(dev);
	drv = driver_find("kmdrv", &kmbus);
	pr_info("driver_find: %s\n", drv ? drv->name : "(null)");
	pr_info("dev_driver_string: %s %s %s\n", dev_driver_string(&devs[0]->dev),
		dev_driver_string(&devs[5]->dev), dev_driver_string(root));
	dev_info(root, "root device\n");
	return 0;
}

static void __exit devbus_exit(void)
{
	int i;

	driver_unregister(&kmdrv);
	pr_info("driver unregistered\n");
	for (i = 0; i < ARRAY_SIZE(devs); i++)
		if (devs[i])
			device_unregister(&devs[i]->dev);
	root_device_unregister(root);
	bus_unregister_notifier(&kmbus, &kmbus_nb);
	bus_unregister(&kmbus);
	pr_info("bus unregistered\n");
}

module_init(devbus_init);
module_exit(devbus_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("a bus, devices and a driver: matching, probe, remove, sysfs, uevents");
