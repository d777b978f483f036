// SPDX-License-Identifier: GPL-2.0
/*
 * procerr - /proc misuse the real kernel complains about (or silently tolerates).
 *
 * init:  /proc/procerr, then a second proc_create of the same name (WARN
 *        "proc_dir_entry '/proc/procerr' already registered", returns NULL),
 *        and /proc/procerr_forgotten, which exit never removes.
 * exit:  removes /proc/procerr only.
 * leakdir=1: also /proc/procerr_dir/child; exit removes the directory alone with
 *        remove_proc_entry() (WARN "removing non-empty directory").
 * nosuch=1: exit also removes /proc/procerr_nosuch, which never existed (WARN "name ...").
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

static bool leakdir;
module_param(leakdir, bool, 0444);
MODULE_PARM_DESC(leakdir, "Create /proc/procerr_dir/child and remove only the directory");
static bool nosuch;
module_param(nosuch, bool, 0444);
MODULE_PARM_DESC(nosuch, "Remove a /proc entry that does not exist at exit");

static int first_show(struct seq_file *m, void *v)
{
	seq_puts(m, "first\n");
	return 0;
}

static int second_show(struct seq_file *m, void *v)
{
	seq_puts(m, "second\n");
	return 0;
}

static int forgotten_show(struct seq_file *m, void *v)
{
	seq_puts(m, "forgotten\n");
	return 0;
}

static int __init procerr_init(void)
{
	struct proc_dir_entry *pde, *dir;

	if (!proc_create_single("procerr", 0444, NULL, first_show))
		return -ENOMEM;
	pde = proc_create_single("procerr", 0444, NULL, second_show);
	pr_info("second proc_create of 'procerr': %s\n", pde ? "created" : "NULL");

	if (!proc_create_single("procerr_forgotten", 0444, NULL, forgotten_show)) {
		remove_proc_entry("procerr", NULL);
		return -ENOMEM;
	}

	if (leakdir) {
		dir = proc_mkdir("procerr_dir", NULL);
		if (!dir || !proc_create_single("child", 0444, dir, first_show))
			pr_info("could not create /proc/procerr_dir/child\n");
	}
	pr_info("loaded\n");
	return 0;
}

static void __exit procerr_exit(void)
{
	remove_proc_entry("procerr", NULL);
	if (leakdir)
		remove_proc_entry("procerr_dir", NULL);
	if (nosuch)
		remove_proc_entry("procerr_nosuch", NULL);
	pr_info("exit, /proc/procerr_forgotten left behind\n");
}

module_init(procerr_init);
module_exit(procerr_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("kmodemu test suite");
MODULE_DESCRIPTION("Duplicate, leaked and missing /proc entries");
