// SPDX-License-Identifier: GPL-2.0
/*
 * devres: managed resources (drivers/base/devres.c) of a platform driver "kmres" and its device.
 *
 * The probe allocates with devm_kzalloc/devm_kstrdup/devm_kasprintf/devm_kmemdup/
 * devm_kmalloc_array/devm_krealloc, frees one with devm_kfree, registers actions with
 * devm_add_action() and devm_add_action_or_reset(), opens and releases a devres group, and adds
 * a resource of its own (devres_alloc + devres_add, looked up with devres_find). Every release
 * callback logs, so the golden shows the kernel's release order: reverse order of addition, on
 * unbind after remove(), on a failing probe (fail=1) right after the probe returns, and for a
 * resource added to a device without driver, when the device is deleted.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/string.h>

static bool fail;
module_param(fail, bool, 0);

static void action(void *data)
{
	pr_info("action %s\n", (char *)data);
}

struct kmres_res {
	int id;
};

static void kmres_res_release(struct device *dev, void *res)
{
	dev_info(dev, "release resource %d\n", ((struct kmres_res *)res)->id);
}

static int kmres_res_match(struct device *dev, void *res, void *data)
{
	return ((struct kmres_res *)res)->id == *(int *)data;
}

static int add_res(struct device *dev, int id)
{
	struct kmres_res *r = devres_alloc(kmres_res_release, sizeof(*r), GFP_KERNEL);

	if (!r)
		return -ENOMEM;
	r->id = id;
	devres_add(dev, r);
	return 0;
}

static int kmres_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	char *a = devm_kzalloc(dev, 32, GFP_KERNEL);
	char *s = devm_kstrdup(dev, "dup-string", GFP_KERNEL);
	char *f = devm_kasprintf(dev, GFP_KERNEL, "fmt-%d", 42);
	int *arr = devm_kmalloc_array(dev, 4, sizeof(int), GFP_KERNEL | __GFP_ZERO);
	char *m = devm_kmemdup(dev, "memdup", 7, GFP_KERNEL);
	void *gone = devm_kmalloc(dev, 100, GFP_KERNEL);
	void *grp;
	struct kmres_res *found;
	int id = 2, ret;

	if (!a || !s || !f || !arr || !m || !gone)
		return -ENOMEM;
	strcpy(a, "zeroed");
	dev_info(dev, "probe: %s %s %s %d %s\n", a, s, f, arr[3], m);
	a = devm_krealloc(dev, a, 64, GFP_KERNEL);
	dev_info(dev, "realloc kept '%s'\n", a);
	devm_kfree(dev, gone);

	ret = devm_add_action(dev, action, "A (first)");
	if (ret)
		return ret;
	ret = add_res(dev, 1);
	if (ret)
		return ret;
	grp = devres_open_group(dev, NULL, GFP_KERNEL);
	devm_add_action(dev, action, "G1 (in group)");
	add_res(dev, 2);
	devres_close_group(dev, grp);
	found = devres_find(dev, kmres_res_release, kmres_res_match, &id);
	dev_info(dev, "found resource %d\n", found ? found->id : -1);
	ret = devm_add_action_or_reset(dev, action, "B (or_reset)");
	if (ret)
		return ret;
	devm_add_action(dev, action, "C (last)");
	dev_info(dev, "releasing group\n");
	ret = devres_release_group(dev, grp);
	dev_info(dev, "group released %d resources\n", ret);
	devm_add_action(dev, action, "D (after group)");
	devm_remove_action(dev, action, "C (last)");
	if (fail) {
		dev_info(dev, "failing the probe\n");
		return -EIO;
	}
	return 0;
}

static int kmres_remove(struct platform_device *pdev)
{
	dev_info(&pdev->dev, "remove\n");
	return 0;
}

static struct platform_driver kmres_driver = {
	.probe = kmres_probe,
	.remove = kmres_remove,
	.driver = {
		.name = "kmres",
	},
};

static struct platform_device *pdev, *lonely;

static int __init devres_init(void)
{
	int ret;

	pdev = platform_device_register_simple("kmres", PLATFORM_DEVID_NONE, NULL, 0);
	if (IS_ERR(pdev))
		return PTR_ERR(pdev);
	lonely = platform_device_register_simple("kmlonely", PLATFORM_DEVID_NONE, NULL, 0);
	if (IS_ERR(lonely)) {
		platform_device_unregister(pdev);
		return PTR_ERR(lonely);
	}
	devm_add_action(&lonely->dev, action, "L (device without driver)");
	add_res(&lonely->dev, 9);
	ret = platform_driver_register(&kmres_driver);
	pr_info("driver registered: %d, bound %s\n", ret, pdev->dev.driver ? "yes" : "no");
	return ret;
}

static void __exit devres_exit(void)
{
	platform_driver_unregister(&kmres_driver);
	pr_info("driver unregistered\n");
	platform_device_unregister(pdev);
	pr_info("unregistering kmlonely\n");
	platform_device_unregister(lonely);
	pr_info("done\n");
}

module_init(devres_init);
module_exit(devres_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("managed device resources and their release order");
