// SPDX-License-Identifier: GPL-2.0
/*
 * inputdev: the input core as a driver and a handler use it. A handler of switch devices
 * (connects to devices with EV_SW, opens them, logs every event it gets) and a device with a lid
 * switch and a fuzzy absolute axis; init reports events through the disposition rules (repeated
 * switch states dropped, fuzz filtering, SYN_REPORT flushing), exit unregisters both. No
 * built-in handler of the kernel (kbd, sysrq, leds, mousedev) matches such a device.
 */
#include <linux/module.h>
#include <linux/input.h>
#include <linux/slab.h>

static struct input_dev *idev;
static int nodev;
module_param(nodev, int, 0444);

static void ih_event(struct input_handle *handle, unsigned int type, unsigned int code, int value)
{
	pr_info("inputdev: %s: event type %u code %u value %d\n", dev_name(&handle->dev->dev), type, code, value);
}

static int ih_connect(struct input_handler *handler, struct input_dev *dev,
		      const struct input_device_id *id)
{
	struct input_handle *handle;
	int err;

	handle = kzalloc(sizeof(*handle), GFP_KERNEL);
	if (!handle)
		return -ENOMEM;
	handle->dev = dev;
	handle->handler = handler;
	handle->name = "inputdev";
	err = input_register_handle(handle);
	if (err)
		goto free;
	err = input_open_device(handle);
	if (err)
		goto unreg;
	pr_info("inputdev: connect %s (%s), id flags %lu\n", dev_name(&dev->dev), dev->name, id->flags);
	return 0;
unreg:
	input_unregister_handle(handle);
free:
	kfree(handle);
	return err;
}

static void ih_disconnect(struct input_handle *handle)
{
	pr_info("inputdev: disconnect %s users %u\n", dev_name(&handle->dev->dev), handle->dev->users);
	input_close_device(handle);
	input_unregister_handle(handle);
	kfree(handle);
}

static const struct input_device_id ih_ids[] = {
	{ .flags = INPUT_DEVICE_ID_MATCH_EVBIT, .evbit = { BIT_MASK(EV_SW) } },
	{ },
};

static struct input_handler ih = {
	.event = ih_event,
	.connect = ih_connect,
	.disconnect = ih_disconnect,
	.name = "inputdev",
	.id_table = ih_ids,
};

static int dev_open(struct input_dev *dev)
{
	pr_info("inputdev: open %s\n", dev_name(&dev->dev));
	return 0;
}

static void dev_close(struct input_dev *dev)
{
	pr_info("inputdev: close %s\n", dev_name(&dev->dev));
}

static int __init inputdev_init(void)
{
	int err;

	err = input_register_handler(&ih);
	if (err)
		return err;
	if (nodev)
		return 0;
	idev = input_allocate_device();
	if (!idev) {
		input_unregister_handler(&ih);
		return -ENOMEM;
	}
	idev->name = "kmodemu test switch";
	idev->phys = "inputdev/input0";
	idev->id.bustype = BUS_VIRTUAL;
	idev->id.vendor = 0x1234;
	idev->open = dev_open;
	idev->close = dev_close;
	input_set_capability(idev, EV_SW, SW_LID);
	input_set_abs_params(idev, ABS_X, 0, 1000, 8, 0);
	pr_info("inputdev: %s allocated, evbit %lx\n", dev_name(&idev->dev), idev->evbit[0]);
	err = input_register_device(idev);
	if (err) {
		input_free_device(idev);
		input_unregister_handler(&ih);
		return err;
	}
	pr_info("inputdev: registered, evbit %lx rep %d/%d\n", idev->evbit[0], idev->rep[REP_DELAY],
		idev->rep[REP_PERIOD]);
	input_report_switch(idev, SW_LID, 1);
	input_sync(idev);
	input_report_switch(idev, SW_LID, 1);	/* same state: dropped */
	input_sync(idev);			/* one value only: not passed */
	input_report_abs(idev, ABS_X, 500);
	input_report_abs(idev, ABS_X, 502);	/* within fuzz/2: old value kept */
	input_report_abs(idev, ABS_X, 506);	/* within fuzz: (3 * 500 + 506) / 4 */
	input_report_key(idev, KEY_A, 1);	/* not a capability */
	input_sync(idev);
	input_event(idev, EV_MSC, MSC_SCAN, 7);	/* not a capability */
	input_report_switch(idev, SW_LID, 0);
	input_sync(idev);
	pr_info("inputdev: abs x %d, lid %d\n", idev->absinfo[ABS_X].value, !!test_bit(SW_LID, idev->sw));
	return 0;
}

static void __exit inputdev_exit(void)
{
	if (idev)
		input_unregister_device(idev);
	input_unregister_handler(&ih);
	pr_info("inputdev: done\n");
}

module_init(inputdev_init);
module_exit(inputdev_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("input core test");
