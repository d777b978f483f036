// SPDX-License-Identifier: GPL-2.0
/* Compiled with -DDEBUG (see Kbuild): dynamic debug sites that start enabled. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/printk.h>
#include "devprintk.h"

void devprintk_debug_lines(struct device *dev)
{
	dev_dbg(dev, "dev_dbg with DEBUG, value %d\n", 7);
	dev_dbg(NULL, "dev_dbg of NULL with DEBUG\n");
	pr_debug("pr_debug with DEBUG %s\n", "on");
	dev_vdbg(dev, "dev_vdbg (VERBOSE_DEBUG not defined)\n");
	dev_err_probe(dev, -EPROBE_DEFER, "deferred with DEBUG in the module\n");
}
