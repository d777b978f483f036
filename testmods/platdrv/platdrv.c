// SPDX-License-Identifier: GPL-2.0
/*
 * platdrv: drivers/base/platform.c as board code and a platform driver use it.
 *
 * Devices: kmplat.1 (platform_device_register_simple() with a memory and an IRQ resource),
 * kmplat-b.2 (platform_device_alloc() + platform_device_add_resources/_data + add),
 * kmplat (id -1, platform_device_register_full() with platform data), an automatic id
 * (PLATFORM_DEVID_AUTO), and "nodrv" (no driver). The driver "kmplat" matches by its id_table
 * (kmplat, kmplat-b); its probe logs what platform_get_resource(), platform_get_irq() (also for
 * a missing index: the kernel's error message), platform_get_irq_optional() and
 * platform_get_device_id() give. Exit unregisters the driver, then the devices.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ioport.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/platform_device.h>

struct kmplat_data {
	int speed;
	char label[8];
};

static const struct kmplat_data full_data = { .speed = 400, .label = "full" };

static int kmplat_probe(struct platform_device *pdev)
{
	const struct platform_device_id *id = platform_get_device_id(pdev);
	const struct kmplat_data *pd = dev_get_platdata(&pdev->dev);
	struct resource *mem = platform_get_resource(pdev, IORESOURCE_MEM, 0);
	struct resource *named = platform_get_resource_byname(pdev, IORESOURCE_MEM, "regs");
	int irq, irq2, irq3;

	dev_info(&pdev->dev, "probe: name %s id %d id_auto %d, id entry %s (data %lu), %u resources\n",
		 pdev->name, pdev->id, pdev->id_auto, id ? id->name : "(none)",
		 id ? id->driver_data : 0, pdev->num_resources);
	if (pd)
		dev_info(&pdev->dev, "platform data: speed %d label %s\n", pd->speed, pd->label);
	if (mem)
		dev_info(&pdev->dev, "mem %pR, size %llu, named %s\n", mem,
			 (unsigned long long)resource_size(mem), named ? named->name : "(none)");
	irq = platform_get_irq_optional(pdev, 0);
	dev_info(&pdev->dev, "irq 0: %d, count %d\n", irq, platform_irq_count(pdev));
	if (irq > 0) {
		irq2 = platform_get_irq(pdev, 1);
		irq3 = platform_get_irq_optional(pdev, 2);
		dev_info(&pdev->dev, "irq 1: %d, irq 2 (optional): %d\n", irq2, irq3);
	}
	platform_set_drvdata(pdev, (void *)id);
	return 0;
}

static int kmplat_remove(struct platform_device *pdev)
{
	const struct platform_device_id *id = platform_get_drvdata(pdev);

	dev_info(&pdev->dev, "remove (%s)\n", id ? id->name : "(none)");
	return 0;
}

static const struct platform_device_id kmplat_ids[] = {
	{ "kmplat", 1 },
	{ "kmplat-b", 2 },
	{ }
};
MODULE_DEVICE_TABLE(platform, kmplat_ids);

static struct platform_driver kmplat_driver = {
	.probe = kmplat_probe,
	.remove = kmplat_remove,
	.id_table = kmplat_ids,
	.driver = {
		.name = "kmplat",
	},
};

static struct platform_device *simple, *alloced, *full, *autoid, *nodrv;

static void report(const char *what, struct platform_device *pdev)
{
	if (IS_ERR_OR_NULL(pdev))
		pr_info("%s: %ld\n", what, PTR_ERR(pdev));
	else
		pr_info("%s: %s (id %d), refs %u, driver %s\n", what, dev_name(&pdev->dev), pdev->id,
			kref_read(&pdev->dev.kobj.kref),
			pdev->dev.driver ? pdev->dev.driver->name : "none");
}

static int __init platdrv_init(void)
{
	struct resource res[] = {
		DEFINE_RES_MEM_NAMED(0x8000000000ULL, 0x1000, "regs"),
		DEFINE_RES_IRQ(5),
	};
	struct platform_device_info info = {
		.name = "kmplat",
		.id = PLATFORM_DEVID_NONE,
		.data = &full_data,
		.size_data = sizeof(full_data),
	};
	int ret;

	simple = platform_device_register_simple("kmplat", 1, res, ARRAY_SIZE(res));
	report("simple", simple);

	alloced = platform_device_alloc("kmplat-b", 2);
	if (!alloced)
		return -ENOMEM;
	ret = platform_device_add_data(alloced, &full_data, sizeof(full_data));
	pr_info("add_data: %d\n", ret);
	ret = platform_device_add(alloced);
	pr_info("add: %d\n", ret);
	report("alloced", alloced);

	full = platform_device_register_full(&info);
	report("full", full);
	autoid = platform_device_register_simple("kmplat-auto", PLATFORM_DEVID_AUTO, NULL, 0);
	report("auto", autoid);
	nodrv = platform_device_register_simple("nodrv", PLATFORM_DEVID_NONE, NULL, 0);
	report("nodrv", nodrv);

	ret = platform_driver_register(&kmplat_driver);
	pr_info("platform_driver_register: %d\n", ret);
	report("simple", simple);
	report("full", full);
	report("nodrv", nodrv);
	return ret;
}

static void __exit platdrv_exit(void)
{
	platform_driver_unregister(&kmplat_driver);
	platform_device_unregister(simple);
	platform_device_unregister(alloced);
	platform_device_unregister(full);
	platform_device_unregister(autoid);
	platform_device_unregister(nodrv);
	pr_info("done\n");
}

module_init(platdrv_init);
module_exit(platdrv_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("platform devices and a platform driver");
