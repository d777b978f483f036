// SPDX-License-Identifier: GPL-2.0
/*
 * psyleds: the services around input drivers. hwmon devices (a valid and an invalid name), LED triggers (simple ones, a name clash, events),
 * a battery power supply without a parent (its LED triggers, the deferred first change calling
 * get_property), request_firmware of a file the system does not have, an anonymous-inode file
 * with a descriptor, fasync lists on it and its release at the last fput.
 */
#include <linux/module.h>
#include <linux/leds.h>
#include <linux/power_supply.h>
#include <linux/firmware.h>
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/delay.h>
#include <linux/hwmon.h>

static struct led_trigger *t1, *t2;
static struct power_supply *psy;
static struct fasync_struct *fa;
static struct device *hw1, *hw2;

static enum power_supply_property props[] = {
	POWER_SUPPLY_PROP_STATUS,
	POWER_SUPPLY_PROP_CAPACITY,
};

static int get_prop(struct power_supply *p, enum power_supply_property psp, union power_supply_propval *val)
{
	pr_info("psyleds: get_property %d of %s, drvdata %s\n", psp, p->desc->name,
		(char *)power_supply_get_drvdata(p));
	if (psp == POWER_SUPPLY_PROP_STATUS)
		val->intval = POWER_SUPPLY_STATUS_CHARGING;
	else
		val->intval = 42;
	return 0;
}

static const struct power_supply_desc desc = {
	.name = "kmbat",
	.type = POWER_SUPPLY_TYPE_BATTERY,
	.properties = props,
	.num_properties = ARRAY_SIZE(props),
	.get_property = get_prop,
};

static int anon_release(struct inode *inode, struct file *file)
{
	pr_info("psyleds: release, private %s\n", (char *)file->private_data);
	return 0;
}

static const struct file_operations anon_fops = {
	.owner = THIS_MODULE,
	.release = anon_release,
};

static int __init psyleds_init(void)
{
	struct power_supply_config cfg = { .drv_data = "battery data" };
	const struct firmware *fw = (void *)1;
	struct file *file;
	struct fd f;
	int ret, fd;

	led_trigger_register_simple("kmtrig", &t1);
	led_trigger_register_simple("kmtrig", &t2);
	pr_info("psyleds: triggers %d %d\n", t1 != NULL, t2 != NULL);
	led_trigger_event(t1, LED_FULL);

	psy = power_supply_register(NULL, &desc, &cfg);
	if (IS_ERR(psy))
		return PTR_ERR(psy);
	pr_info("psyleds: registered %s\n", dev_name(&psy->dev));
	msleep(50);

	ret = request_firmware(&fw, "kmodemu/none.bin", &psy->dev);
	pr_info("psyleds: request_firmware %d, fw %p\n", ret, fw);
	release_firmware(fw);
	ret = firmware_request_nowarn(&fw, "kmodemu/none.bin", NULL);
	pr_info("psyleds: firmware_request_nowarn %d\n", ret);

	fd = anon_inode_getfd("psyleds", &anon_fops, "anon data", O_RDWR);
	pr_info("psyleds: anon fd %s\n", fd >= 0 ? "ok" : "failed");
	file = anon_inode_getfile("psyleds", &anon_fops, "second", O_RDONLY | O_NONBLOCK);
	pr_info("psyleds: file flags %o mode %x\n", file->f_flags, file->f_mode & (FMODE_READ | FMODE_WRITE));
	ret = fasync_helper(5, file, 1, &fa);
	pr_info("psyleds: fasync on %d, FASYNC %d, fd %d\n", ret, !!(file->f_flags & FASYNC), fa->fa_fd);
	ret = fasync_helper(6, file, 1, &fa);
	pr_info("psyleds: fasync again %d, fd %d\n", ret, fa->fa_fd);
	kill_fasync(&fa, SIGIO, POLL_IN);
	ret = fasync_helper(6, file, 0, &fa);
	pr_info("psyleds: fasync off %d, FASYNC %d, list %d\n", ret, !!(file->f_flags & FASYNC), fa != NULL);
	fput(file);
	f = fdget(fd);
	pr_info("psyleds: fdget(fd) %s\n", f.file ? (char *)f.file->private_data : "none");
	fdput(f);
	f = fdget(fd + 1);
	pr_info("psyleds: fdget(fd + 1) %s\n", f.file ? "file" : "none");
	hw1 = hwmon_device_register_with_groups(&psy->dev, "kmhwmon", NULL, NULL);
	hw2 = hwmon_device_register_with_groups(&psy->dev, "km-hwmon", NULL, NULL);
	pr_info("psyleds: hwmon %s %s\n", IS_ERR(hw1) ? "err" : dev_name(hw1), IS_ERR(hw2) ? "err" : dev_name(hw2));
	return 0;
}

static void __exit psyleds_exit(void)
{
	if (!IS_ERR(hw2))
		hwmon_device_unregister(hw2);
	if (!IS_ERR(hw1))
		hwmon_device_unregister(hw1);
	power_supply_unregister(psy);
	led_trigger_unregister_simple(t2);
	led_trigger_unregister_simple(t1);
	pr_info("psyleds: done\n");
}

module_init(psyleds_init);
module_exit(psyleds_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("LED triggers, power supply, firmware, anon files, fasync");
