// SPDX-License-Identifier: GPL-2.0
/*
 * jumplabel_user - branches on keys defined elsewhere: jumplabel's exported false key and the
 * kernel's freezer_active. When either changes, the kernel rewrites this module's sites too.
 */
#include <linux/freezer.h>
#include <linux/init.h>
#include <linux/jump_label.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

extern struct static_key_false jumplabel_false;

static int user_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%d%d %d\n", static_branch_likely(&jumplabel_false) ? 1 : 0,
		   static_branch_unlikely(&jumplabel_false) ? 1 : 0,
		   static_branch_unlikely(&freezer_active) ? 1 : 0);
	return 0;
}

static int __init user_init(void)
{
	pr_info("jumplabel_user: %d%d %d\n", static_branch_likely(&jumplabel_false) ? 1 : 0,
		static_branch_unlikely(&jumplabel_false) ? 1 : 0,
		static_branch_unlikely(&freezer_active) ? 1 : 0);
	if (!proc_create_single("jumplabel_user", 0444, NULL, user_show))
		return -ENOMEM;
	return 0;
}

static void __exit user_exit(void)
{
	remove_proc_entry("jumplabel_user", NULL);
}

module_init(user_init);
module_exit(user_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("branches on static keys of another module and of the kernel");
