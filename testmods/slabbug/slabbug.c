// SPDX-License-Identifier: GPL-2.0
/*
 * slabbug - one heap bug in init, chosen by a parameter: what KASAN catches. Debian's kernel has
 * no KASAN: there the out-of-bounds accesses and the use-after-free go unnoticed, and a double
 * free of the object last freed trips the SLUB freelist hardening's BUG().
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

static char *bug = "none";
module_param(bug, charp, 0444);
MODULE_PARM_DESC(bug, "oob, uaf, double, invalid, vmoob, large, memcpy or none");

/* Sizes and offsets come from parameters, so that the compiler emits the accesses as written. */
static int size = 40;
module_param(size, int, 0444);
static int off = 40;
module_param(off, int, 0444);

static int __init slabbug_init(void)
{
	char *p;

	if (!strcmp(bug, "oob")) {
		p = kmalloc(size, GFP_KERNEL);
		pr_info("slabbug: writing byte %d of a %d-byte kmalloc object\n", off, size);
		((volatile char *)p)[off] = 'x';
		kfree(p);
	} else if (!strcmp(bug, "uaf")) {
		p = kmalloc(size, GFP_KERNEL);
		p[0] = 42;
		kfree(p);
		pr_info("slabbug: read %d after kfree\n", ((volatile char *)p)[0]);
	} else if (!strcmp(bug, "double")) {
		p = kmalloc(size, GFP_KERNEL);
		kfree(p);
		pr_info("slabbug: freeing it again\n");
		kfree(p);
	} else if (!strcmp(bug, "invalid")) {
		p = kmalloc(size, GFP_KERNEL);
		pr_info("slabbug: freeing a pointer into the object\n");
		kfree(p + 8);
		kfree(p);
	} else if (!strcmp(bug, "vmoob")) {
		p = vmalloc(size);
		pr_info("slabbug: writing byte %d of a %d-byte vmalloc area\n", off, size);
		((volatile char *)p)[off] = 'x';
		vfree(p);
	} else if (!strcmp(bug, "large")) {
		p = kmalloc(size, GFP_KERNEL);
		pr_info("slabbug: reading byte %d of a %d-byte kmalloc object\n", off, size);
		pr_info("slabbug: read %d\n", ((volatile char *)p)[off]);
		kfree(p);
	} else if (!strcmp(bug, "memcpy")) {
		static const char src[64] = "0123456789abcdef0123456789abcdef0123456789abcdef";

		p = kmalloc(size, GFP_KERNEL);
		pr_info("slabbug: copying %d bytes into a %d-byte kmalloc object\n", off, size);
		memcpy(p, src, off);
		kfree(p);
	}
	pr_info("slabbug: loaded\n");
	return 0;
}

static void __exit slabbug_exit(void)
{
	pr_info("slabbug: exit\n");
}

module_init(slabbug_init);
module_exit(slabbug_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Module with one heap bug in init");
