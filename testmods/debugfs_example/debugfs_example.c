// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs_example - a debugfs directory with the stock helpers and one file of its own.
 *
 * /sys/kernel/debug/debugfs_example/
 *   counter   u32  (debugfs_create_u32, 0644)
 *   flags     x32  (debugfs_create_x32, 0644)
 *   enabled   bool (debugfs_create_bool, 0644)
 *   total     u64  (debugfs_create_u64, 0444)
 *   status    own file_operations: read with simple_read_from_buffer
 *
 * With dup=1 init also tries to create the directory and "counter" a second time
 * (debugfs logs an error and the directory call returns ERR_PTR(-EEXIST)).
 * debugfs_lookup() results are logged; everything goes in exit with
 * debugfs_remove_recursive().
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>

static bool dup;
module_param(dup, bool, 0444);
MODULE_PARM_DESC(dup, "Also try to create the directory and a file twice");

static struct dentry *dir;
static u32 counter = 42;
static u32 flags = 0xbeef;
static bool enabled = true;
static u64 total = 1ULL << 40;

static ssize_t status_read(struct file *file, char __user *ubuf, size_t count,
			   loff_t *ppos)
{
	char kbuf[128];
	int len;

	len = scnprintf(kbuf, sizeof(kbuf),
			"counter=%u flags=%#x enabled=%d total=%llu\n",
			counter, flags, enabled, total);
	return simple_read_from_buffer(ubuf, count, ppos, kbuf, len);
}

static const struct file_operations status_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.read	= status_read,
	.llseek	= default_llseek,
};

static void log_lookup(const char *name, struct dentry *parent)
{
	struct dentry *d = debugfs_lookup(name, parent);

	pr_info("debugfs_lookup(\"%s\"): %s\n", name, d ? "found" : "not found");
	dput(d);
}

static int __init debugfs_example_init(void)
{
	struct dentry *d;

	pr_info("debugfs_initialized: %d\n", debugfs_initialized());

	dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	if (IS_ERR(dir))
		return PTR_ERR(dir);

	debugfs_create_u32("counter", 0644, dir, &counter);
	debugfs_create_x32("flags", 0644, dir, &flags);
	debugfs_create_bool("enabled", 0644, dir, &enabled);
	debugfs_create_u64("total", 0444, dir, &total);
	d = debugfs_create_file("status", 0444, dir, NULL, &status_fops);
	if (IS_ERR(d)) {
		debugfs_remove_recursive(dir);
		return PTR_ERR(d);
	}

	log_lookup(KBUILD_MODNAME, NULL);
	log_lookup("counter", dir);
	log_lookup("nosuch", dir);

	if (dup) {
		d = debugfs_create_dir(KBUILD_MODNAME, NULL);
		pr_info("second debugfs_create_dir: %s (%ld)\n",
			IS_ERR(d) ? "error" : "ok", IS_ERR(d) ? PTR_ERR(d) : 0L);
		if (!IS_ERR(d))
			debugfs_remove(d);
		debugfs_create_u32("counter", 0644, dir, &counter);
	}

	pr_info("created /sys/kernel/debug/%s\n", KBUILD_MODNAME);
	return 0;
}

static void __exit debugfs_example_exit(void)
{
	debugfs_remove_recursive(dir);
	pr_info("removed (counter=%u flags=%#x enabled=%d total=%llu)\n",
		counter, flags, enabled, total);
}

module_init(debugfs_example_init);
module_exit(debugfs_example_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("kmodemu test suite");
MODULE_DESCRIPTION("debugfs directory with u32/x32/bool/u64 helpers and a custom file");
