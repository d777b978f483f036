// SPDX-License-Identifier: GPL-2.0
/*
 * seqlist - seq_file over a kernel linked list.
 *
 * /proc/seqlist          proc_create_seq: start/next/stop/show walking a list_head with
 *                        seq_list_start()/seq_list_next(), one seq_printf() line per entry
 * /proc/seqlist_summary  proc_create_single: one show call (seq_puts/seq_putc/seq_printf)
 *                        that also lists every name on one line, so with many entries a
 *                        single record is larger than a page and the seq_file buffer grows
 *
 * The list has `count` entries (default 5), each an int and a name made by snprintf().
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

static int count = 5;
module_param(count, int, 0444);
MODULE_PARM_DESC(count, "Number of list entries (default 5)");

struct seqlist_entry {
	struct list_head list;
	int value;
	char name[16];
};

static LIST_HEAD(entries);
static DEFINE_MUTEX(entries_lock);
static struct proc_dir_entry *list_pde, *summary_pde;

static void *seqlist_start(struct seq_file *m, loff_t *pos)
{
	mutex_lock(&entries_lock);
	return seq_list_start(&entries, *pos);
}

static void *seqlist_next(struct seq_file *m, void *v, loff_t *pos)
{
	return seq_list_next(v, &entries, pos);
}

static void seqlist_stop(struct seq_file *m, void *v)
{
	mutex_unlock(&entries_lock);
}

static int seqlist_show(struct seq_file *m, void *v)
{
	struct seqlist_entry *e = list_entry(v, struct seqlist_entry, list);

	seq_printf(m, "%-10s value=%6d hex=%#06x\n", e->name, e->value, e->value);
	return 0;
}

static const struct seq_operations seqlist_ops = {
	.start	= seqlist_start,
	.next	= seqlist_next,
	.stop	= seqlist_stop,
	.show	= seqlist_show,
};

static int summary_show(struct seq_file *m, void *v)
{
	struct seqlist_entry *e;
	long sum = 0;
	int n = 0;

	mutex_lock(&entries_lock);
	list_for_each_entry(e, &entries, list) {
		sum += e->value;
		n++;
	}
	seq_puts(m, "seqlist summary");
	seq_putc(m, '\n');
	seq_printf(m, "entries: %d\nsum: %ld\n", n, sum);
	seq_puts(m, "names:");
	list_for_each_entry(e, &entries, list) {
		seq_putc(m, ' ');
		seq_puts(m, e->name);
	}
	seq_putc(m, '\n');
	mutex_unlock(&entries_lock);
	return 0;
}

static void seqlist_free(void)
{
	struct seqlist_entry *e, *tmp;

	list_for_each_entry_safe(e, tmp, &entries, list) {
		list_del(&e->list);
		kfree(e);
	}
}

static int __init seqlist_init(void)
{
	struct seqlist_entry *e;
	int i;

	if (count < 0)
		return -EINVAL;

	for (i = 0; i < count; i++) {
		e = kmalloc(sizeof(*e), GFP_KERNEL);
		if (!e) {
			seqlist_free();
			return -ENOMEM;
		}
		e->value = i * 7 + 1;
		snprintf(e->name, sizeof(e->name), "item-%04d", i);
		list_add_tail(&e->list, &entries);
	}

	list_pde = proc_create_seq("seqlist", 0444, NULL, &seqlist_ops);
	summary_pde = proc_create_single("seqlist_summary", 0444, NULL, summary_show);
	if (!list_pde || !summary_pde) {
		proc_remove(list_pde);
		proc_remove(summary_pde);
		seqlist_free();
		return -ENOMEM;
	}

	pr_info("%d entries, /proc/seqlist and /proc/seqlist_summary created\n", count);
	return 0;
}

static void __exit seqlist_exit(void)
{
	proc_remove(summary_pde);
	proc_remove(list_pde);
	seqlist_free();
	pr_info("removed\n");
}

module_init(seqlist_init);
module_exit(seqlist_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("kmodemu test suite");
MODULE_DESCRIPTION("seq_file iterator over a linked list, and a single_open summary");
