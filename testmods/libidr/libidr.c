// SPDX-License-Identifier: GPL-2.0
/*
 * libidr - ID allocators and the XArray as module code uses them: IDR (sequential, ranged, NULL
 * and cyclic allocation, a base of 1, lookups, iteration with idr_for_each and
 * idr_for_each_entry, replace, remove, preload, destroy), IDA (lowest free id, ranges, more than
 * 63 ids, free and reuse, destroy), XArrays (plain, allocating with and without index 0, marks,
 * reserved entries, cmpxchg, insert, cyclic allocation wrapping, value entries, huge indexes) and
 * the radix tree. The inline emptiness tests (idr_is_empty, ida_is_empty, xa_empty, xa_marked)
 * are printed after each step. With bad=1, ida_free of an id never allocated (a WARN).
 */
#include <linux/idr.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/radix-tree.h>
#include <linux/slab.h>
#include <linux/xarray.h>

static bool bad;
module_param(bad, bool, 0);

static DEFINE_IDR(idr);
static DEFINE_IDA(ida);
static DEFINE_XARRAY(xa);
static DEFINE_XARRAY_ALLOC(xa_a);
static DEFINE_XARRAY_ALLOC1(xa_a1);

static const char names[8][8] __aligned(8) = {
	"zero", "one", "two", "three", "four", "five", "six", "seven"
};

static int show_one(int id, void *p, void *data)
{
	int *count = data;

	pr_info("  idr_for_each: %d -> %s\n", id, p ? (const char *)p : "(null)");
	return ++*count == 4 ? 42 : 0;
}

static void test_idr(void)
{
	struct idr based;
	unsigned long ul;
	void *p;
	int id, i, count = 0;
	u32 u;

	pr_info("idr: empty %d\n", idr_is_empty(&idr));
	for (i = 0; i < 3; i++) {
		id = idr_alloc(&idr, (void *)names[i], 0, 0, GFP_KERNEL);
		pr_info("idr_alloc: %d, empty %d\n", id, idr_is_empty(&idr));
	}
	id = idr_alloc(&idr, (void *)names[5], 5, 6, GFP_KERNEL);
	pr_info("idr_alloc [5,6): %d\n", id);
	id = idr_alloc(&idr, (void *)names[6], 5, 6, GFP_KERNEL);
	pr_info("idr_alloc [5,6) again: %d\n", id);
	id = idr_alloc(&idr, NULL, 0, 0, GFP_KERNEL);
	pr_info("idr_alloc NULL: %d, find %p\n", id, idr_find(&idr, id));
	id = idr_alloc(&idr, (void *)names[7], 0, 0, GFP_KERNEL);
	pr_info("idr_alloc after NULL: %d\n", id);
	pr_info("idr_find 1: %s, 9: %p\n", (char *)idr_find(&idr, 1), idr_find(&idr, 9));
	i = idr_for_each(&idr, show_one, &count);
	pr_info("idr_for_each returned %d after %d\n", i, count);
	idr_for_each_entry(&idr, p, id)
		pr_info("  idr_for_each_entry: %d -> %s\n", id, (char *)p);
	id = 2;
	p = idr_get_next(&idr, &id);
	pr_info("idr_get_next from 2: %d %s\n", id, (char *)p);
	id = 8;
	p = idr_get_next(&idr, &id);
	pr_info("idr_get_next from 8: %d %p\n", id, p);
	ul = 4;
	p = idr_get_next_ul(&idr, &ul);
	pr_info("idr_get_next_ul from 4: %lu %s\n", ul, (char *)p);
	p = idr_replace(&idr, (void *)names[4], 1);
	pr_info("idr_replace 1: old %s, now %s\n", (char *)p, (char *)idr_find(&idr, 1));
	p = idr_replace(&idr, (void *)names[4], 9);
	pr_info("idr_replace 9: %ld\n", PTR_ERR(p));
	p = idr_replace(&idr, (void *)names[4], 3);
	pr_info("idr_replace NULL-allocated 3: %s\n", IS_ERR(p) ? "error" : p ? (char *)p : "(null)");
	p = idr_remove(&idr, 0);
	pr_info("idr_remove 0: %s, find %p\n", (char *)p, idr_find(&idr, 0));
	p = idr_remove(&idr, 0);
	pr_info("idr_remove 0 again: %p\n", p);
	id = idr_alloc(&idr, (void *)names[0], 0, 0, GFP_KERNEL);
	pr_info("idr_alloc reuses: %d\n", id);

	idr_preload(GFP_KERNEL);
	pr_info("idr_preload: preempt_count %d\n", preempt_count());
	id = idr_alloc(&idr, (void *)names[6], 10, 20, GFP_NOWAIT);
	idr_preload_end();
	pr_info("idr_alloc under preload: %d, preempt_count %d\n", id, preempt_count());

	for (i = 0; i < 4; i++) {
		id = idr_alloc_cyclic(&idr, (void *)names[i], 0, 13, GFP_KERNEL);
		pr_info("idr_alloc_cyclic [0,13): %d\n", id);
	}
	u = 100;
	i = idr_alloc_u32(&idr, (void *)names[1], &u, 101, GFP_KERNEL);
	pr_info("idr_alloc_u32 from 100: %d, id %u\n", i, u);
	i = idr_alloc_u32(&idr, (void *)names[1], &u, 100, GFP_KERNEL);
	pr_info("idr_alloc_u32 up to 100: %d, id %u\n", i, u);
	idr_destroy(&idr);
	pr_info("idr_destroy: empty %d, find 1 %p\n", idr_is_empty(&idr), idr_find(&idr, 1));

	idr_init_base(&based, 1);
	pr_info("based idr: empty %d\n", idr_is_empty(&based));
	id = idr_alloc(&based, (void *)names[0], 0, 0, GFP_KERNEL);
	pr_info("based idr_alloc: %d, empty %d\n", id, idr_is_empty(&based));
	id = idr_alloc(&based, (void *)names[1], 0, 0, GFP_KERNEL);
	pr_info("based idr_alloc: %d, find 0 %p, find 2 %s\n", id, idr_find(&based, 0), (char *)idr_find(&based, 2));
	idr_remove(&based, 1);
	idr_remove(&based, 2);
	pr_info("based idr after removing both: empty %d\n", idr_is_empty(&based));
	idr_destroy(&based);
}

static void test_ida(void)
{
	int i, id, last = -1;

	pr_info("ida: empty %d\n", ida_is_empty(&ida));
	for (i = 0; i < 5; i++) {
		id = ida_alloc(&ida, GFP_KERNEL);
		pr_info("ida_alloc: %d, empty %d\n", id, ida_is_empty(&ida));
	}
	pr_info("ida_alloc_min 10: %d\n", ida_alloc_min(&ida, 10, GFP_KERNEL));
	pr_info("ida_alloc_max 3: %d\n", ida_alloc_max(&ida, 3, GFP_KERNEL));
	pr_info("ida_alloc_max 5: %d\n", ida_alloc_max(&ida, 5, GFP_KERNEL));
	pr_info("ida_alloc_range 100-200: %d\n", ida_alloc_range(&ida, 100, 200, GFP_KERNEL));
	pr_info("ida_alloc_range 100-100: %d\n", ida_alloc_range(&ida, 100, 100, GFP_KERNEL));
	pr_info("ida_alloc_range -1: %d\n", ida_alloc_range(&ida, (unsigned int)-1, 5, GFP_KERNEL));
	ida_free(&ida, 2);
	ida_free(&ida, 0);
	pr_info("ida_alloc after freeing 2 and 0: %d, then %d\n", ida_alloc(&ida, GFP_KERNEL),
		ida_alloc(&ida, GFP_KERNEL));
	for (i = 0; i < 70; i++)
		last = ida_alloc(&ida, GFP_KERNEL);
	pr_info("70 more: last %d\n", last);
	ida_free(&ida, -1);
	ida_destroy(&ida);
	pr_info("ida_destroy: empty %d, next %d\n", ida_is_empty(&ida), ida_alloc(&ida, GFP_KERNEL));
	ida_free(&ida, 0);
	pr_info("ida after freeing it: empty %d\n", ida_is_empty(&ida));
	if (bad) {
		ida_alloc(&ida, GFP_KERNEL);
		ida_free(&ida, 7);
		ida_free(&ida, 1000);
		ida_destroy(&ida);
	}
}

static void show_xa(const char *what, struct xarray *x)
{
	unsigned long index;
	void *entry;

	pr_info("%s: empty %d, marked 0/1/2: %d %d %d\n", what, xa_empty(x), xa_marked(x, XA_MARK_0),
		xa_marked(x, XA_MARK_1), xa_marked(x, XA_MARK_2));
	xa_for_each(x, index, entry) {
		if (xa_is_value(entry))
			pr_info("  %lu: value %lu\n", index, xa_to_value(entry));
		else
			pr_info("  %lu: %s\n", index, (char *)entry);
	}
}

static void test_xarray(void)
{
	unsigned long index;
	void *entry, *old;
	u32 id, next = 0;
	int ret, i;

	show_xa("xa", &xa);
	old = xa_store(&xa, 5, (void *)names[5], GFP_KERNEL);
	show_xa("xa after store 5", &xa);
	old = xa_store(&xa, 0, (void *)names[0], GFP_KERNEL);
	xa_store(&xa, 1000, xa_mk_value(1000), GFP_KERNEL);
	xa_store(&xa, 1UL << 40, (void *)names[7], GFP_KERNEL);
	old = xa_store(&xa, 5, (void *)names[6], GFP_KERNEL);
	pr_info("xa_store over 5: old %s\n", (char *)old);
	show_xa("xa with 4 entries", &xa);
	pr_info("xa_load 5 %s, 6 %p, 1<<40 %s\n", (char *)xa_load(&xa, 5), xa_load(&xa, 6),
		(char *)xa_load(&xa, 1UL << 40));
	xa_set_mark(&xa, 5, XA_MARK_1);
	xa_set_mark(&xa, 1000, XA_MARK_1);
	xa_set_mark(&xa, 6, XA_MARK_2);
	pr_info("marks: 5 %d, 1000 %d, 0 %d, 6/2 %d\n", xa_get_mark(&xa, 5, XA_MARK_1),
		xa_get_mark(&xa, 1000, XA_MARK_1), xa_get_mark(&xa, 0, XA_MARK_1), xa_get_mark(&xa, 6, XA_MARK_2));
	show_xa("xa marked", &xa);
	xa_for_each_marked(&xa, index, entry, XA_MARK_1)
		pr_info("  marked 1: %lu\n", index);
	xa_for_each_start(&xa, index, entry, 6)
		pr_info("  from 6: %lu\n", index);
	xa_for_each_range(&xa, index, entry, 1, 1000)
		pr_info("  in 1..1000: %lu\n", index);
	index = 1;
	entry = xa_find(&xa, &index, 4, XA_PRESENT);
	pr_info("xa_find 1..4: %p, index %lu\n", entry, index);
	xa_clear_mark(&xa, 5, XA_MARK_1);
	old = xa_erase(&xa, 1000);
	pr_info("xa_erase 1000: value %lu, marked 1: %d\n", xa_to_value(old), xa_marked(&xa, XA_MARK_1));
	ret = xa_insert(&xa, 0, (void *)names[1], GFP_KERNEL);
	pr_info("xa_insert 0: %d\n", ret);
	ret = xa_insert(&xa, 3, NULL, GFP_KERNEL);
	pr_info("xa_insert 3 NULL: %d, load %p\n", ret, xa_load(&xa, 3));
	ret = xa_insert(&xa, 3, (void *)names[3], GFP_KERNEL);
	pr_info("xa_insert 3 again: %d\n", ret);
	old = xa_cmpxchg(&xa, 0, (void *)names[1], (void *)names[2], GFP_KERNEL);
	pr_info("xa_cmpxchg 0 (wrong old): %s, now %s\n", (char *)old, (char *)xa_load(&xa, 0));
	old = xa_cmpxchg(&xa, 0, (void *)names[0], (void *)names[2], GFP_KERNEL);
	pr_info("xa_cmpxchg 0: %s, now %s\n", (char *)old, (char *)xa_load(&xa, 0));
	old = xa_cmpxchg(&xa, 3, NULL, (void *)names[3], GFP_KERNEL);
	pr_info("xa_cmpxchg reserved 3 with NULL: %p, now %p\n", old, xa_load(&xa, 3));
	xa_release(&xa, 3);
	show_xa("xa", &xa);
	xa_erase(&xa, 0);
	xa_erase(&xa, 5);
	show_xa("xa after erasing 0 and 5", &xa);
	xa_erase(&xa, 1UL << 40);
	show_xa("xa after erasing all", &xa);

	show_xa("xa_a", &xa_a);
	for (i = 0; i < 3; i++) {
		ret = xa_alloc(&xa_a, &id, (void *)names[i], xa_limit_32b, GFP_KERNEL);
		pr_info("xa_alloc: %d id %u, free mark %d\n", ret, id, xa_marked(&xa_a, XA_FREE_MARK));
	}
	ret = xa_alloc(&xa_a, &id, NULL, XA_LIMIT(1, 5), GFP_KERNEL);
	pr_info("xa_alloc NULL in 1..5: %d id %u, load %p\n", ret, id, xa_load(&xa_a, id));
	ret = xa_alloc(&xa_a, &id, (void *)names[4], XA_LIMIT(0, 3), GFP_KERNEL);
	pr_info("xa_alloc in 0..3: %d\n", ret);
	xa_erase(&xa_a, 1);
	ret = xa_alloc(&xa_a, &id, (void *)names[5], XA_LIMIT(0, 3), GFP_KERNEL);
	pr_info("xa_alloc after erasing 1: %d id %u\n", ret, id);
	show_xa("xa_a", &xa_a);
	ret = xa_alloc(&xa_a, &id, (void *)names[6], XA_LIMIT(0, 10), GFP_KERNEL);
	pr_info("xa_alloc next free: %d id %u\n", ret, id);
	for (i = 0; i < 3; i++) {
		ret = xa_alloc_cyclic(&xa_a, &id, (void *)names[i], XA_LIMIT(0, 6), &next, GFP_KERNEL);
		pr_info("xa_alloc_cyclic 0..6: %d id %u next %u\n", ret, id, next);
	}
	xa_destroy(&xa_a);
	show_xa("xa_a destroyed", &xa_a);
	pr_info("xa_a free mark %d\n", xa_marked(&xa_a, XA_FREE_MARK));
	next = 0xfffffffe;
	for (i = 0; i < 3; i++) {
		ret = xa_alloc_cyclic(&xa_a, &id, (void *)names[i], xa_limit_32b, &next, GFP_KERNEL);
		pr_info("xa_alloc_cyclic near the top: %d id %u next %u\n", ret, id, next);
	}
	xa_destroy(&xa_a);

	pr_info("xa_a1: free mark %d\n", xa_marked(&xa_a1, XA_FREE_MARK));
	ret = xa_alloc(&xa_a1, &id, (void *)names[1], xa_limit_31b, GFP_KERNEL);
	pr_info("xa_alloc (ALLOC1): %d id %u, free mark %d\n", ret, id, xa_marked(&xa_a1, XA_FREE_MARK));
	xa_destroy(&xa_a1);
	pr_info("xa_a1 destroyed: empty %d, free mark %d\n", xa_empty(&xa_a1), xa_marked(&xa_a1, XA_FREE_MARK));
}

static RADIX_TREE(rt, GFP_KERNEL);

static void test_radix_tree(void)
{
	int ret;

	ret = radix_tree_insert(&rt, 3, (void *)names[3]);
	pr_info("radix_tree_insert 3: %d\n", ret);
	ret = radix_tree_insert(&rt, 3, (void *)names[4]);
	pr_info("radix_tree_insert 3 again: %d\n", ret);
	radix_tree_insert(&rt, 77, (void *)names[7]);
	pr_info("radix_tree_lookup 3 %s, 77 %s, 4 %p\n", (char *)radix_tree_lookup(&rt, 3),
		(char *)radix_tree_lookup(&rt, 77), radix_tree_lookup(&rt, 4));
	radix_tree_tag_set(&rt, 77, 1);
	pr_info("tagged 0 %d, 1 %d; tag 77/1 %d, 3/1 %d\n", !!radix_tree_tagged(&rt, 0), !!radix_tree_tagged(&rt, 1),
		radix_tree_tag_get(&rt, 77, 1), radix_tree_tag_get(&rt, 3, 1));
	pr_info("radix_tree_delete 77: %s, tagged 1 %d\n", (char *)radix_tree_delete(&rt, 77),
		!!radix_tree_tagged(&rt, 1));
	pr_info("radix_tree_delete 77 again: %p\n", radix_tree_delete(&rt, 77));
	radix_tree_delete(&rt, 3);
	pr_info("radix tree empty: %d\n", radix_tree_empty(&rt));
}

static int __init libidr_init(void)
{
	test_idr();
	test_ida();
	test_xarray();
	test_radix_tree();
	return 0;
}

static void __exit libidr_exit(void)
{
	ida_destroy(&ida);
	pr_info("libidr: done\n");
}

module_init(libidr_init);
module_exit(libidr_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kmodemu test: idr, ida, xarray, radix tree");
