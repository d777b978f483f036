// SPDX-License-Identifier: GPL-2.0
/*
 * jumplabel - static keys and the branches that test them (kernel/jump_label.c): a false and a
 * true key of its own (the false one exported for jumplabel_user), tested with
 * static_branch_likely/unlikely from init text and from core text; the key API
 * (static_branch_enable/disable/inc/dec, static_key_slow_inc/dec, static_key_count,
 * static_key_enabled) in init; /proc/jumplabel shows every branch and takes "enable", "disable",
 * "inc", "dec" for the false key after init. With freeze=1 it also takes a reference on the
 * kernel's own freezer_active key (as freeze_processes() does) until exit; with underflow=1 it
 * drops a reference the false key does not have (the kernel's WARN). It also makes inline static
 * calls (kernel/static_call_inline.c): cond_resched() and the preempt_schedule() of
 * preempt_enable(), whose sites the kernel rewrites at load.
 */
#include <linux/freezer.h>
#include <linux/init.h>
#include <linux/jump_label.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/preempt.h>
#include <linux/proc_fs.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>

DEFINE_STATIC_KEY_FALSE(jumplabel_false);
EXPORT_SYMBOL_GPL(jumplabel_false);
static DEFINE_STATIC_KEY_TRUE(jumplabel_true);

static bool freeze;
module_param(freeze, bool, 0);
static bool underflow;
module_param(underflow, bool, 0);

/*
 * The branches, as a string: likely/unlikely of the false key, then of the true key, then
 * freezer_active. Expanded twice, so that one copy's sites are in core text and one's in init text.
 */
#define BRANCHES(out) do {							\
	(out)[0] = static_branch_likely(&jumplabel_false) ? '1' : '0';		\
	(out)[1] = static_branch_unlikely(&jumplabel_false) ? '1' : '0';	\
	(out)[2] = ' ';								\
	(out)[3] = static_branch_likely(&jumplabel_true) ? '1' : '0';		\
	(out)[4] = static_branch_unlikely(&jumplabel_true) ? '1' : '0';		\
	(out)[5] = ' ';								\
	(out)[6] = static_branch_unlikely(&freezer_active) ? '1' : '0';		\
	(out)[7] = '\0';							\
} while (0)

static noinline void branches_core(char *out)
{
	BRANCHES(out);
}

static noinline void __init branches_init(char *out)
{
	BRANCHES(out);
}

static void __init report(const char *what)
{
	char in[8], core[8];

	branches_init(in);
	branches_core(core);
	pr_info("%s: init %s, core %s; counts %d %d, enabled %d %d\n", what, in, core,
		static_key_count(&jumplabel_false.key), static_key_count(&jumplabel_true.key),
		static_key_enabled(&jumplabel_false), static_key_enabled(&jumplabel_true));
}

/* A site whose branch target lies over 127 bytes away: a 5-byte jump or NOP, not a 2-byte one. */
static noinline int jumplabel_far(void)
{
	if (static_branch_unlikely(&jumplabel_false))
		return 1;
	asm volatile(".fill 160, 1, 0x90");
	return 0;
}

/* Static call sites: "call __SCT__cond_resched" and "call __SCT__preempt_schedule". */
static noinline void jumplabel_yield(void)
{
	cond_resched();
	preempt_disable();
	preempt_enable();
}

static int jumplabel_show(struct seq_file *m, void *v)
{
	char core[8];

	jumplabel_yield();
	branches_core(core);
	seq_printf(m, "%s count %d freezer %d far %d\n", core, static_key_count(&jumplabel_false.key),
		   static_key_count(&freezer_active.key), jumplabel_far());
	return 0;
}

static int jumplabel_open(struct inode *inode, struct file *file)
{
	return single_open(file, jumplabel_show, NULL);
}

static ssize_t jumplabel_write(struct file *file, const char __user *buf, size_t len, loff_t *ppos)
{
	char cmd[16];
	size_t n = min(len, sizeof(cmd) - 1);

	if (copy_from_user(cmd, buf, n))
		return -EFAULT;
	cmd[n] = '\0';
	strim(cmd);
	if (!strcmp(cmd, "enable"))
		static_branch_enable(&jumplabel_false);
	else if (!strcmp(cmd, "disable"))
		static_branch_disable(&jumplabel_false);
	else if (!strcmp(cmd, "inc"))
		static_branch_inc(&jumplabel_false);
	else if (!strcmp(cmd, "dec"))
		static_branch_dec(&jumplabel_false);
	else
		return -EINVAL;
	return len;
}

static const struct proc_ops jumplabel_ops = {
	.proc_open = jumplabel_open,
	.proc_read = seq_read,
	.proc_lseek = seq_lseek,
	.proc_release = single_release,
	.proc_write = jumplabel_write,
};

static int __init jumplabel_init(void)
{
	report("initial");
	jumplabel_yield();
	static_branch_enable(&jumplabel_false);
	report("false enabled");
	static_branch_disable(&jumplabel_true);
	report("true disabled");
	static_branch_inc(&jumplabel_false);
	static_key_slow_inc(&jumplabel_true.key);
	report("inc both");
	static_branch_dec(&jumplabel_false);
	static_key_slow_dec(&jumplabel_true.key);
	report("dec both");
	static_branch_disable(&jumplabel_false);
	static_branch_enable(&jumplabel_true);
	static_branch_enable(&jumplabel_true);
	report("back");
	if (freeze) {
		static_branch_inc(&freezer_active);
		report("freezer_active taken");
	}
	if (underflow) {
		static_branch_dec(&jumplabel_false);
		report("underflow");
	}
	if (!proc_create("jumplabel", 0644, NULL, &jumplabel_ops))
		return -ENOMEM;
	return 0;
}

static void __exit jumplabel_exit(void)
{
	char core[8];

	remove_proc_entry("jumplabel", NULL);
	if (freeze)
		static_branch_dec(&freezer_active);
	branches_core(core);
	pr_info("exit: core %s\n", core);
}

module_init(jumplabel_init);
module_exit(jumplabel_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("static keys and jump labels");
