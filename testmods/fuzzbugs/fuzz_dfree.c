// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_dfree - three allocations in init with a goto cleanup ladder whose second label frees the
 * wrong pointer: when the third kmalloc() fails, b is freed twice (SLUB's freelist check BUGs).
 * When the second fails, kfree(NULL) is harmless (a is leaked). Every allocation succeeding is
 * the normal path, which a plain insmod/rmmod exercises without trouble.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>

static char *a, *b, *c;

static int __init fuzz_dfree_init(void)
{
	a = kmalloc(64, GFP_KERNEL);
	if (!a)
		return -ENOMEM;
	b = kmalloc(128, GFP_KERNEL);
	if (!b)
		goto free_a;
	c = kmalloc(256, GFP_KERNEL);
	if (!c)
		goto free_b;
	pr_info("fuzz_dfree: three buffers\n");
	return 0;

free_b:
	kfree(b);
free_a:
	kfree(b);	/* the bug: this label should free a */
	return -ENOMEM;
}

static void __exit fuzz_dfree_exit(void)
{
	kfree(c);
	kfree(b);
	kfree(a);
}

module_init(fuzz_dfree_init);
module_exit(fuzz_dfree_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kmodemu fuzzing target: double free on an init error path");
