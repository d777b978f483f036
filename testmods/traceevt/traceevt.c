// SPDX-License-Identifier: GPL-2.0
/*
 * traceevt: two TRACE_EVENTs (system "traceevt"); writing N to /proc/traceevt fires
 * traceevt_tick N times (flags and mode cycling) then traceevt_done once, and logs whether
 * each tracepoint is enabled (trace_*_enabled(), the static key).
 */
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/uaccess.h>
#include <linux/kernel.h>

#define CREATE_TRACE_POINTS
#include "traceevt_trace.h"

static int total;

static ssize_t traceevt_write(struct file *file, const char __user *buf, size_t len, loff_t *off)
{
	int n, i, ret;

	ret = kstrtoint_from_user(buf, len, 10, &n);
	if (ret)
		return ret;
	pr_info("traceevt: tick enabled=%d done enabled=%d\n", trace_traceevt_tick_enabled(),
		trace_traceevt_done_enabled());
	for (i = 0; i < n; i++) {
		trace_traceevt_tick(i, i % 2 ? "odd" : "even", i + 1, i % 4);
		total++;
	}
	trace_traceevt_done(total);
	return len;
}

static const struct proc_ops traceevt_ops = {
	.proc_write = traceevt_write,
};

static int __init traceevt_init(void)
{
	if (!proc_create("traceevt", 0200, NULL, &traceevt_ops))
		return -ENOMEM;
	trace_traceevt_done(0);
	return 0;
}

static void __exit traceevt_exit(void)
{
	remove_proc_entry("traceevt", NULL);
}

module_init(traceevt_init);
module_exit(traceevt_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("trace events of a module");
