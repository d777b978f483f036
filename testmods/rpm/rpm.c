// SPDX-License-Identifier: GPL-2.0
/*
 * rpm: runtime power management (drivers/base/power/runtime.c and sysfs.c) as a platform
 * driver uses it.
 *
 * Devices: kmrpm-parent (no driver, so runtime PM stays disabled) and its child kmrpm.1, which
 * the driver "kmrpm" binds. The probe logs the state the driver core leaves, marks the device
 * active, enables runtime PM and goes through get_sync/put_sync (idle and suspend callbacks),
 * a get_sync that resumes, put_noidle, a direct suspend, and autosuspend with a negative delay
 * (which takes a usage reference and resumes). The user side (the test's sysfs ops) then changes the delay, control and
 * async in the device's "power" directory. remove() turns autosuspend off and disables runtime
 * PM; unbinding sets the device suspended again, which the parent's active-children count shows.
 * Everything is synchronous: no request is left to pm_wq.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/pm_runtime.h>

static struct platform_device *parent, *child;

static void show(struct device *dev, const char *when)
{
	dev_info(dev, "%s: %s, enabled %d, usage %d, active kids of parent %d\n", when,
		 pm_runtime_active(dev) ? "active" : pm_runtime_status_suspended(dev) ? "suspended" : "other",
		 pm_runtime_enabled(dev), atomic_read(&dev->power.usage_count),
		 atomic_read(&dev->parent->power.child_count));
}

static int kmrpm_runtime_idle(struct device *dev)
{
	dev_info(dev, "runtime_idle (usage %d)\n", atomic_read(&dev->power.usage_count));
	return 0;
}

static int kmrpm_runtime_suspend(struct device *dev)
{
	dev_info(dev, "runtime_suspend\n");
	return 0;
}

static int kmrpm_runtime_resume(struct device *dev)
{
	dev_info(dev, "runtime_resume\n");
	return 0;
}

static const struct dev_pm_ops kmrpm_pm = {
	SET_RUNTIME_PM_OPS(kmrpm_runtime_suspend, kmrpm_runtime_resume, kmrpm_runtime_idle)
};

static int kmrpm_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	int ret;

	show(dev, "probe");
	ret = pm_runtime_set_active(dev);
	pm_runtime_enable(dev);
	dev_info(dev, "set_active: %d\n", ret);
	show(dev, "enabled");
	ret = pm_runtime_get_sync(dev);
	dev_info(dev, "get_sync: %d\n", ret);
	ret = pm_runtime_put_sync(dev);
	dev_info(dev, "put_sync: %d\n", ret);
	show(dev, "after put");
	ret = pm_runtime_get_sync(dev);
	dev_info(dev, "get_sync: %d\n", ret);
	pm_runtime_put_noidle(dev);
	show(dev, "put_noidle");
	ret = pm_runtime_suspend(dev);
	dev_info(dev, "suspend: %d\n", ret);
	pm_runtime_set_autosuspend_delay(dev, -1);
	pm_runtime_use_autosuspend(dev);
	show(dev, "autosuspend -1");
	return 0;
}

static int kmrpm_remove(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;

	show(dev, "remove");
	pm_runtime_dont_use_autosuspend(dev);
	pm_runtime_disable(dev);
	show(dev, "disabled");
	return 0;
}

static struct platform_driver kmrpm_driver = {
	.probe = kmrpm_probe,
	.remove = kmrpm_remove,
	.driver = {
		.name = "kmrpm",
		.pm = &kmrpm_pm,
	},
};

static int __init rpm_init(void)
{
	int ret;

	parent = platform_device_register_simple("kmrpm-parent", -1, NULL, 0);
	if (IS_ERR(parent))
		return PTR_ERR(parent);
	child = platform_device_alloc("kmrpm", 1);
	if (!child) {
		ret = -ENOMEM;
		goto out_parent;
	}
	child->dev.parent = &parent->dev;
	ret = platform_device_add(child);
	if (ret) {
		platform_device_put(child);
		goto out_parent;
	}
	pr_info("parent: enabled %d, suspended %d\n", pm_runtime_enabled(&parent->dev),
		pm_runtime_status_suspended(&parent->dev));
	ret = platform_driver_register(&kmrpm_driver);
	pr_info("platform_driver_register: %d\n", ret);
	if (ret)
		goto out_child;
	show(&child->dev, "bound");
	return 0;

out_child:
	platform_device_unregister(child);
out_parent:
	platform_device_unregister(parent);
	return ret;
}

static void __exit rpm_exit(void)
{
	platform_driver_unregister(&kmrpm_driver);
	show(&child->dev, "unbound");
	platform_device_unregister(child);
	pr_info("parent's active kids: %d\n", atomic_read(&parent->dev.power.child_count));
	platform_device_unregister(parent);
	pr_info("done\n");
}

module_init(rpm_init);
module_exit(rpm_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kmodemu test: runtime power management");
