// SPDX-License-Identifier: GPL-2.0
/*
 * hello - the classic first module: one int parameter, a greeting per count.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>

static int count = 1;
module_param(count, int, 0644);
MODULE_PARM_DESC(count, "How many times to say hello (default 1)");

static int __init hello_init(void)
{
	int i;

	for (i = 0; i < count; i++)
		pr_info("Hello, world %d\n", i);
	return 0;
}

static void __exit hello_exit(void)
{
	pr_info("Goodbye, world (count was %d)\n", count);
}

module_init(hello_init);
module_exit(hello_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("kmodemu test suite");
MODULE_DESCRIPTION("Classic hello world module with a count parameter");
MODULE_VERSION("1.0");
