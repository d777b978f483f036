// SPDX-License-Identifier: GPL-2.0
/*
 * memleak - allocations kmemleak reports, and some it must not: a buffer whose only pointer init
 * drops (leaked while the module is loaded), a string kept in a global that exit forgets to free
 * (leaked once the module's memory is gone), and a two-node list reachable from a global and from
 * each other, which exit frees.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

struct node {
	struct node *next;
	char name[24];
};

static struct node *head;
static char *forgotten;

static noinline void drop(void)
{
	char *buf = kmalloc(32, GFP_KERNEL);

	if (buf)
		strscpy(buf, "nobody points here", 32);
	pr_info("memleak: dropped a 32-byte buffer\n");
}

static int __init memleak_init(void)
{
	struct node *a = kzalloc(sizeof(*a), GFP_KERNEL);
	struct node *b = kzalloc(sizeof(*b), GFP_KERNEL);

	if (!a || !b) {
		kfree(a);
		kfree(b);
		return -ENOMEM;
	}
	strscpy(a->name, "first", sizeof(a->name));
	strscpy(b->name, "second", sizeof(b->name));
	a->next = b;
	head = a;
	forgotten = kstrdup("forgotten at exit", GFP_KERNEL);
	drop();
	pr_info("memleak: loaded\n");
	return 0;
}

static void __exit memleak_exit(void)
{
	while (head) {
		struct node *n = head->next;

		kfree(head);
		head = n;
	}
	pr_info("memleak: exit, not freeing \"%s\"\n", forgotten);
}

module_init(memleak_init);
module_exit(memleak_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Module that leaks memory");
