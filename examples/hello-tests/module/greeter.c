// SPDX-License-Identifier: GPL-2.0
/*
 * greeter - a small out-of-tree module to show kmodemu's test workflow: it greets in the kernel
 * log, and /proc/greeter repeats the greeting 'count' times (a parameter changeable in sysfs).
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

static char *name = "World";
module_param(name, charp, 0444);
MODULE_PARM_DESC(name, "Who to greet (default World)");

static int count = 1;
module_param(count, int, 0644);
MODULE_PARM_DESC(count, "How often /proc/greeter greets (default 1)");

static int greeter_show(struct seq_file *m, void *v)
{
	int i;

	for (i = 0; i < count; i++)
		seq_printf(m, "Hello %s! (%d)\n", name, i + 1);
	return 0;
}

static int __init greeter_init(void)
{
	if (count < 0) {
		pr_err("greeter: count must not be negative, got %d\n", count);
		return -EINVAL;
	}
	if (WARN_ON(count > 1000))
		count = 1000;
	if (!proc_create_single("greeter", 0444, NULL, greeter_show))
		return -ENOMEM;
	pr_info("Hello %s!\n", name);
	return 0;
}

static void __exit greeter_exit(void)
{
	remove_proc_entry("greeter", NULL);
	pr_info("Goodbye %s!\n", name);
}

module_init(greeter_init);
module_exit(greeter_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("kmodemu example");
MODULE_DESCRIPTION("Greets in the kernel log and in /proc/greeter");
