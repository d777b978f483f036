// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_procleak - three /proc entries created in init; when the second proc_create() fails the
 * error path forgets the first: /proc/fuzz_procleak_a outlives the module, and opening it runs
 * code of the freed module. Third failing: both earlier entries are removed, as they should be.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

static int fuzz_procleak_show(struct seq_file *m, void *v)
{
	seq_puts(m, "fuzz_procleak\n");
	return 0;
}

static int fuzz_procleak_open(struct inode *inode, struct file *file)
{
	return single_open(file, fuzz_procleak_show, NULL);
}

static const struct proc_ops fuzz_procleak_ops = {
	.proc_open = fuzz_procleak_open,
	.proc_read = seq_read,
	.proc_lseek = seq_lseek,
	.proc_release = single_release,
};

static int __init fuzz_procleak_init(void)
{
	if (!proc_create("fuzz_procleak_a", 0444, NULL, &fuzz_procleak_ops))
		return -ENOMEM;
	if (!proc_create("fuzz_procleak_b", 0444, NULL, &fuzz_procleak_ops))
		goto out;	/* the bug: fuzz_procleak_a stays */
	if (!proc_create("fuzz_procleak_c", 0444, NULL, &fuzz_procleak_ops))
		goto remove_b;
	return 0;

remove_b:
	remove_proc_entry("fuzz_procleak_b", NULL);
	remove_proc_entry("fuzz_procleak_a", NULL);
out:
	return -ENOMEM;
}

static void __exit fuzz_procleak_exit(void)
{
	remove_proc_entry("fuzz_procleak_c", NULL);
	remove_proc_entry("fuzz_procleak_b", NULL);
	remove_proc_entry("fuzz_procleak_a", NULL);
}

module_init(fuzz_procleak_init);
module_exit(fuzz_procleak_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kmodemu fuzzing target: a /proc entry leaked on an init error path");
