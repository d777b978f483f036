// SPDX-License-Identifier: GPL-2.0
/*
 * libbits - bitmaps and bit searches on sizes that are not small constants (so the out-of-line
 * lib/bitmap.c and lib/find_bit.c functions run), hweight, parsing and printing of bitmaps,
 * regions, refcount_t's out-of-line helpers and the printk rate limiter. With warn=1, refcount
 * misuse makes refcount_warn_saturate() report (one WARN per kind).
 */
#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <linux/delay.h>
#include <linux/find.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/ratelimit.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

static bool warn;
module_param(warn, bool, 0);

/* not constant for the compiler: the out-of-line functions are called */
static unsigned int nbits = 300;
module_param(nbits, uint, 0);

static void show(const char *what, const unsigned long *map, unsigned int bits)
{
	pr_info("%s: %*pbl (weight %u)\n", what, bits, map, bitmap_weight(map, bits));
}

static void test_find_bit(unsigned long *a)
{
	unsigned long bit;
	char buf[200];
	int len = 0;

	bitmap_zero(a, nbits);
	pr_info("empty: first %lu, first zero %lu, last %lu\n", find_first_bit(a, nbits),
		find_first_zero_bit(a, nbits), find_last_bit(a, nbits));
	__set_bit(3, a);
	__set_bit(64, a);
	__set_bit(65, a);
	__set_bit(127, a);
	__set_bit(200, a);
	__set_bit(299, a);
	for_each_set_bit(bit, a, nbits)
		len += scnprintf(buf + len, sizeof(buf) - len, " %lu", bit);
	pr_info("set bits:%s\n", buf);
	pr_info("first %lu, next after 3: %lu, after 200: %lu, after 299: %lu, last %lu\n",
		find_first_bit(a, nbits), find_next_bit(a, nbits, 4), find_next_bit(a, nbits, 201),
		find_next_bit(a, nbits, 300), find_last_bit(a, nbits));
	pr_info("first zero %lu, next zero from 64: %lu, nth(3) %lu, nth(10) %lu\n",
		find_first_zero_bit(a, nbits), find_next_zero_bit(a, nbits, 64), find_nth_bit(a, nbits, 3),
		find_nth_bit(a, nbits, 10));
	pr_info("limited to 128: last %lu, next after 127: %lu\n", find_last_bit(a, nbits - 172),
		find_next_bit(a, nbits - 172, 128));
	bitmap_fill(a, nbits);
	pr_info("full: first zero %lu, next zero from 10: %lu\n", find_first_zero_bit(a, nbits),
		find_next_zero_bit(a, nbits, 10));
}

static void test_bitmap_ops(unsigned long *a, unsigned long *b, unsigned long *c)
{
	u32 arr[10];
	char buf[128];
	int ret, pos, i;

	bitmap_zero(a, nbits);
	bitmap_zero(b, nbits);
	bitmap_set(a, 10, 60);
	bitmap_set(b, 50, 100);
	show("a", a, nbits);
	show("b", b, nbits);
	pr_info("and: %d\n", bitmap_and(c, a, b, nbits));
	show("a&b", c, nbits);
	bitmap_or(c, a, b, nbits);
	show("a|b", c, nbits);
	bitmap_xor(c, a, b, nbits);
	show("a^b", c, nbits);
	pr_info("andnot: %d\n", bitmap_andnot(c, a, b, nbits));
	show("a&~b", c, nbits);
	bitmap_complement(c, a, nbits);
	show("~a", c, nbits);
	pr_info("equal a a %d, a b %d; intersects %d; subset a of a|b %d, b of a %d; weight_and %lu\n",
		bitmap_equal(a, a, nbits), bitmap_equal(a, b, nbits), bitmap_intersects(a, b, nbits),
		(bitmap_or(c, a, b, nbits), bitmap_subset(a, c, nbits)), bitmap_subset(b, a, nbits),
		bitmap_weight_and(a, b, nbits));
	bitmap_shift_left(c, a, 70, nbits);
	show("a<<70", c, nbits);
	bitmap_shift_right(c, b, 45, nbits);
	show("b>>45", c, nbits);
	bitmap_shift_left(c, b, 200, nbits);
	show("b<<200", c, nbits);
	bitmap_cut(c, a, 20, 15, nbits);
	show("a cut 15 at 20", c, nbits);
	bitmap_clear(a, 12, 50);
	show("a after clear 12+50", a, nbits);

	bitmap_zero(a, nbits);
	pos = bitmap_find_free_region(a, nbits, 3);
	pr_info("find_free_region order 3: %d\n", pos);
	pos = bitmap_find_free_region(a, nbits, 5);
	pr_info("find_free_region order 5: %d\n", pos);
	ret = bitmap_allocate_region(a, 8, 2);
	pr_info("allocate_region 8 order 2: %d, again %d\n", ret, bitmap_allocate_region(a, 8, 2));
	bitmap_release_region(a, 0, 3);
	show("regions", a, nbits);
	pr_info("next zero area of 20 aligned 16: %lu\n", bitmap_find_next_zero_area(a, nbits, 0, 20, 15));
	pr_info("find_free_region order 9: %d\n", bitmap_find_free_region(a, nbits, 9));

	ret = bitmap_parselist("0-3,8,16-31:4/8,N", a, nbits);
	pr_info("parselist: %d\n", ret);
	show("parsed list", a, nbits);
	pr_info("parselist errors: %d %d %d %d %d\n", bitmap_parselist("5-2", a, nbits),
		bitmap_parselist("1,400", a, nbits), bitmap_parselist("x", a, nbits),
		bitmap_parselist("0-9:3/2", a, nbits), bitmap_parselist("4294967296", a, nbits));
	ret = bitmap_parselist("all:1/3", a, nbits);
	pr_info("parselist all:1/3: %d, weight %u\n", ret, bitmap_weight(a, nbits));
	ret = bitmap_parse("1f,00000001", 100, a, nbits);
	pr_info("parse: %d\n", ret);
	show("parsed hex", a, nbits);
	pr_info("parse errors: %d %d\n", bitmap_parse("123456789", 100, a, nbits),
		bitmap_parse("g", 100, a, nbits));
	ret = bitmap_parse("1,0,0,0,0,0,0,0,0,0,0", 100, a, 64);
	pr_info("parse too many chunks: %d\n", ret);

	bitmap_zero(a, nbits);
	bitmap_set(a, 1, 1);
	bitmap_set(a, 33, 3);
	bitmap_set(a, 95, 2);
	bitmap_to_arr32(arr, a, 100);
	pr_info("to_arr32: %08x %08x %08x %08x\n", arr[0], arr[1], arr[2], arr[3]);
	arr[0] = 0xffffffff;
	arr[3] = 0xffffffff;
	bitmap_from_arr32(b, arr, 100);
	show("from_arr32", b, 100);
	ret = bitmap_print_to_pagebuf(true, buf, a, nbits);
	pr_info("print_to_pagebuf list: %d '%.*s'\n", ret, ret - 1, buf);
	ret = bitmap_print_to_pagebuf(false, buf, a, 100);
	pr_info("print_to_pagebuf mask: %d '%.*s'\n", ret, ret - 1, buf);
	ret = bitmap_print_list_to_buf(buf, a, nbits, 2, 5);
	buf[ret > 0 ? ret : 0] = 0;
	pr_info("print_list_to_buf off 2 count 5: %d '%s'\n", ret, buf);
	for (i = 0; i < 4; i++)
		pr_info("hweight32(%#x) %u, hweight64 %lu\n", 0x1234567u << i, hweight32(0x1234567u << i),
			hweight64(0x123456789abcdefull << i));
}

static void test_refcount(void)
{
	static DEFINE_MUTEX(lock);
	static DEFINE_SPINLOCK(slock);
	refcount_t r;
	bool ok;

	refcount_set(&r, 3);
	pr_info("dec_if_one at 3: %d\n", refcount_dec_if_one(&r));
	pr_info("dec_not_one at 3: %d -> %u\n", refcount_dec_not_one(&r), refcount_read(&r));
	ok = refcount_dec_and_mutex_lock(&r, &lock);
	pr_info("dec_and_mutex_lock at 2: %d -> %u, locked %d\n", ok, refcount_read(&r), mutex_is_locked(&lock));
	ok = refcount_dec_and_mutex_lock(&r, &lock);
	pr_info("dec_and_mutex_lock at 1: %d -> %u, locked %d\n", ok, refcount_read(&r), mutex_is_locked(&lock));
	if (ok)
		mutex_unlock(&lock);
	refcount_set(&r, 1);
	ok = refcount_dec_and_lock(&r, &slock);
	pr_info("dec_and_lock at 1: %d -> %u, locked %d\n", ok, refcount_read(&r), spin_is_locked(&slock));
	if (ok)
		spin_unlock(&slock);
	refcount_set(&r, 1);
	pr_info("dec_if_one at 1: %d -> %u\n", refcount_dec_if_one(&r), refcount_read(&r));
	refcount_set(&r, REFCOUNT_SATURATED);
	pr_info("dec_not_one saturated: %d -> %d\n", refcount_dec_not_one(&r), refcount_read(&r));
	if (!warn)
		return;
	refcount_set(&r, 0);
	refcount_inc(&r);
	pr_info("inc at 0: %d\n", refcount_read(&r));
	refcount_set(&r, 0);
	refcount_inc(&r);
	pr_info("inc at 0 again (reported once): %d\n", refcount_read(&r));
	refcount_set(&r, INT_MAX);
	refcount_inc(&r);
	pr_info("inc at INT_MAX: %d\n", refcount_read(&r));
	refcount_set(&r, 0);
	pr_info("dec_and_test at 0: %d -> %d\n", refcount_dec_and_test(&r), refcount_read(&r));
	refcount_set(&r, 0);
	pr_info("dec_not_one at 0: %d -> %d\n", refcount_dec_not_one(&r), refcount_read(&r));
	refcount_set(&r, 1);
	refcount_dec(&r);
	pr_info("dec to 0: %d\n", refcount_read(&r));
}

static void test_ratelimit(void)
{
	static DEFINE_RATELIMIT_STATE(rs, HZ, 3);
	static DEFINE_RATELIMIT_STATE(quiet, HZ, 2);
	int i, allowed = 0;

	for (i = 0; i < 10; i++)
		if (__ratelimit(&rs))
			allowed++;
	pr_info("ratelimit: %d of 10 allowed, missed %d\n", allowed, rs.missed);
	msleep(1100);
	pr_info("ratelimit after a second: %d\n", __ratelimit(&rs));
	ratelimit_set_flags(&quiet, RATELIMIT_MSG_ON_RELEASE);
	for (i = 0; i < 5; i++)
		__ratelimit(&quiet);
	msleep(1100);
	pr_info("msg on release: %d, missed %d\n", __ratelimit(&quiet), quiet.missed);
	rs.interval = 0;
	pr_info("no interval: %d\n", __ratelimit(&rs));
}

static int __init libbits_init(void)
{
	unsigned long *a = bitmap_zalloc(nbits, GFP_KERNEL);
	unsigned long *b = bitmap_alloc(nbits, GFP_KERNEL);
	unsigned long *c = bitmap_zalloc(nbits, GFP_KERNEL);

	if (!a || !b || !c)
		return -ENOMEM;
	test_find_bit(a);
	test_bitmap_ops(a, b, c);
	bitmap_free(a);
	bitmap_free(b);
	bitmap_free(c);
	test_refcount();
	test_ratelimit();
	return 0;
}

static void __exit libbits_exit(void)
{
	pr_info("libbits: done\n");
}

module_init(libbits_init);
module_exit(libbits_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kmodemu test: bitmaps, find_bit, hweight, refcount, ratelimit");
