// SPDX-License-Identifier: GPL-2.0
/* bug - BUG() in init or in exit, or panic() in init, chosen by a parameter */
#include <linux/bug.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/panic.h>
#include <linux/string.h>

static char *where = "init";
module_param(where, charp, 0444);
MODULE_PARM_DESC(where, "init (BUG in init), exit (BUG in exit), panic (panic in init), none");

static noinline void bug_here(const char *what)
{
	pr_info("bug: BUG() in %s\n", what);
	BUG();
}

static int __init bug_init(void)
{
	if (!strcmp(where, "init"))
		bug_here("init");
	if (!strcmp(where, "panic"))
		panic("bug: panic requested, where=%s", where);
	pr_info("bug: loaded\n");
	return 0;
}

static void __exit bug_exit(void)
{
	if (!strcmp(where, "exit"))
		bug_here("exit");
	pr_info("bug: exit\n");
}

module_init(bug_init);
module_exit(bug_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Module that hits BUG() or panics");
