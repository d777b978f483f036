// SPDX-License-Identifier: GPL-2.0
/*
 * badwrite - a /proc file that validates what is written to it.
 *
 * Writing parses an integer with kstrtoint_from_user() (base 0: decimal, 0x hex or 0 octal;
 * one trailing newline allowed). Malformed input gets kstrtoint's error (-EINVAL, or
 * -ERANGE when it does not fit an int); a number outside 0..100 gets -EINVAL.
 * Reading shows the current value (initially 50).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/uaccess.h>

#define BW_MIN	0
#define BW_MAX	100

static int value = 50;

static ssize_t badwrite_write(struct file *file, const char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	int val, ret;

	ret = kstrtoint_from_user(ubuf, count, 0, &val);
	if (ret) {
		pr_info("rejected a %zu-byte write: not a number (%d)\n", count, ret);
		return ret;
	}
	if (val < BW_MIN || val > BW_MAX) {
		pr_info("rejected %d: out of range %d..%d\n", val, BW_MIN, BW_MAX);
		return -EINVAL;
	}
	WRITE_ONCE(value, val);
	pr_info("accepted %d\n", val);
	return count;
}

static ssize_t badwrite_read(struct file *file, char __user *ubuf, size_t count,
			     loff_t *ppos)
{
	char kbuf[16];
	int len = scnprintf(kbuf, sizeof(kbuf), "%d\n", READ_ONCE(value));

	return simple_read_from_buffer(ubuf, count, ppos, kbuf, len);
}

static const struct proc_ops badwrite_ops = {
	.proc_read	= badwrite_read,
	.proc_write	= badwrite_write,
	.proc_lseek	= default_llseek,
};

static int __init badwrite_init(void)
{
	if (!proc_create("badwrite", 0644, NULL, &badwrite_ops))
		return -ENOMEM;
	pr_info("/proc/badwrite created (value %d)\n", value);
	return 0;
}

static void __exit badwrite_exit(void)
{
	remove_proc_entry("badwrite", NULL);
	pr_info("removed (value %d)\n", value);
}

module_init(badwrite_init);
module_exit(badwrite_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("kmodemu test suite");
MODULE_DESCRIPTION("Integer /proc file that rejects bad input with -EINVAL/-ERANGE");
