// SPDX-License-Identifier: GPL-2.0
/*
 * kmallocheavy - the allocator benchmark: init makes n allocations (16 to 128 bytes), links them
 * in a list, walks it, and frees them all.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>

static int n = 100000;
module_param(n, int, 0444);
MODULE_PARM_DESC(n, "number of allocations");

struct obj {
	struct obj *next;
	long value;
};

static int __init kmallocheavy_init(void)
{
	struct obj *head = NULL, *o;
	long sum = 0;
	int i;

	for (i = 0; i < n; i++) {
		o = kmalloc(sizeof(*o) + (i % 8) * 16, GFP_KERNEL);
		if (!o)
			break;
		o->value = i;
		o->next = head;
		head = o;
	}
	for (o = head; o; o = o->next)
		sum += o->value;
	while (head) {
		o = head->next;
		kfree(head);
		head = o;
	}
	pr_info("kmallocheavy: %d allocations, sum %ld\n", i, sum);
	return 0;
}

static void __exit kmallocheavy_exit(void)
{
}

module_init(kmallocheavy_init);
module_exit(kmallocheavy_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Allocator benchmark: many kmalloc/kfree in init");
