// SPDX-License-Identifier: GPL-2.0
/*
 * procoops - /proc files whose handlers dereference NULL (the calling process is killed, the
 * module stays loaded): /proc/procoops (seq_file show, on read), /proc/procoops_write (on write),
 * /proc/procoops_open (on open).
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

static ulong target;
module_param(target, ulong, 0444);
MODULE_PARM_DESC(target, "Address the handlers read (default 0 = NULL)");

static int procoops_show(struct seq_file *m, void *v)
{
	int *volatile p = (int *)target;

	pr_info("procoops: show reads 0x%lx\n", target);
	seq_printf(m, "value %d\n", *p);
	return 0;
}

static ssize_t procoops_write(struct file *file, const char __user *buf, size_t count, loff_t *ppos)
{
	int *volatile p = (int *)target;

	pr_info("procoops: write of %zu bytes reads 0x%lx\n", count, target);
	return *p + count;
}

static int procoops_open(struct inode *inode, struct file *file)
{
	int *volatile p = (int *)target;

	pr_info("procoops: open reads 0x%lx\n", target);
	return *p;
}

static const struct proc_ops write_ops = {
	.proc_write = procoops_write,
};

static const struct proc_ops open_ops = {
	.proc_open = procoops_open,
};

static int __init procoops_init(void)
{
	if (!proc_create_single("procoops", 0444, NULL, procoops_show))
		return -ENOMEM;
	proc_create("procoops_write", 0222, NULL, &write_ops);
	proc_create("procoops_open", 0444, NULL, &open_ops);
	pr_info("procoops: loaded\n");
	return 0;
}

static void __exit procoops_exit(void)
{
	remove_proc_entry("procoops_open", NULL);
	remove_proc_entry("procoops_write", NULL);
	remove_proc_entry("procoops", NULL);
	pr_info("procoops: exit\n");
}

module_init(procoops_init);
module_exit(procoops_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Module whose /proc handlers oops");
