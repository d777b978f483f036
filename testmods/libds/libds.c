// SPDX-License-Identifier: GPL-2.0
/*
 * libds - the kernel's library data structures, as module code uses them: sort() and sort_r()
 * (counting the comparisons and swaps they make), bsearch(), list_sort() (stability and call
 * count), red-black trees (shape and colours after inserts and erases, in-order, reverse and
 * post-order walks, rb_replace_node, an augmented tree keeping subtree maxima), and kfifos (byte
 * and element fifos wrapping around, record fifos, and /proc/libds_fifo whose write and read go
 * through kfifo_from_user/kfifo_to_user). Everything logged depends only on the inputs.
 */
#include <linux/bsearch.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/kfifo.h>
#include <linux/list.h>
#include <linux/list_sort.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/rbtree.h>
#include <linux/rbtree_augmented.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/uaccess.h>

static u32 seed = 12345;

static u32 next_rand(void)
{
	seed = seed * 1103515245 + 12345;
	return (seed >> 16) & 0x7fff;
}

/* ------------------------------------------------------------------ sort, bsearch */

static int ncmp, nswap;

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	ncmp++;
	return x < y ? -1 : x > y;
}

static int cmp_int_r(const void *a, const void *b, const void *priv)
{
	int x = *(const int *)a, y = *(const int *)b;
	int dir = *(const int *)priv;

	ncmp++;
	return dir * (x < y ? -1 : x > y);
}

static void swap_int(void *a, void *b, int size)
{
	int t = *(int *)a;

	nswap++;
	*(int *)a = *(int *)b;
	*(int *)b = t;
}

struct triple {
	u8 key;
	u8 tag[2];
};

static int cmp_triple(const void *a, const void *b)
{
	ncmp++;
	return ((const struct triple *)a)->key - ((const struct triple *)b)->key;
}

static void print_ints(const char *what, const int *v, int n)
{
	char buf[256];
	int i, len = 0;

	for (i = 0; i < n; i++)
		len += scnprintf(buf + len, sizeof(buf) - len, " %d", v[i]);
	pr_info("%s:%s\n", what, buf);
}

static void test_sort(void)
{
	int v[25], i, dir = -1, key;
	struct triple t[9];
	char buf[64];
	int *hit;

	for (i = 0; i < ARRAY_SIZE(v); i++)
		v[i] = next_rand() % 100;
	print_ints("unsorted", v, ARRAY_SIZE(v));
	ncmp = nswap = 0;
	sort(v, ARRAY_SIZE(v), sizeof(int), cmp_int, swap_int);
	print_ints("sorted", v, ARRAY_SIZE(v));
	pr_info("sort: %d compares, %d swaps\n", ncmp, nswap);

	ncmp = 0;
	sort_r(v, ARRAY_SIZE(v), sizeof(int), cmp_int_r, NULL, &dir);
	print_ints("sort_r descending", v, ARRAY_SIZE(v));
	pr_info("sort_r: %d compares\n", ncmp);

	/* 3-byte elements: the byte-wise default swap; equal keys show the (unstable) order */
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		t[i].key = i % 3;
		t[i].tag[0] = 'a' + i;
		t[i].tag[1] = 0;
	}
	ncmp = 0;
	sort(t, ARRAY_SIZE(t), sizeof(t[0]), cmp_triple, NULL);
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		buf[2 * i] = '0' + t[i].key;
		buf[2 * i + 1] = t[i].tag[0];
	}
	buf[2 * i] = 0;
	pr_info("sort 3-byte: %s (%d compares)\n", buf, ncmp);

	sort(v, ARRAY_SIZE(v), sizeof(int), cmp_int, NULL);
	for (key = -1; key <= 100; key += 17) {
		ncmp = 0;
		hit = bsearch(&key, v, ARRAY_SIZE(v), sizeof(int), cmp_int);
		pr_info("bsearch %d: %s%d after %d compares\n", key, hit ? "index " : "not found ",
			hit ? (int)(hit - v) : -1, ncmp);
	}
	key = v[7];
	ncmp = 0;
	hit = bsearch(&key, v, ARRAY_SIZE(v), sizeof(int), cmp_int);
	pr_info("bsearch %d: value %d after %d compares\n", key, hit ? *hit : -1, ncmp);
	ncmp = 0;
	hit = bsearch(&key, v, 0, sizeof(int), cmp_int);
	pr_info("bsearch in empty array: %s, %d compares\n", hit ? "found" : "NULL", ncmp);
}

/* ------------------------------------------------------------------ list_sort */

struct item {
	struct list_head list;
	int key;
	int seq;
};

static int cmp_item(void *priv, const struct list_head *a, const struct list_head *b)
{
	int *calls = priv;

	(*calls)++;
	return list_entry(a, struct item, list)->key - list_entry(b, struct item, list)->key;
}

static void print_list(const char *what, struct list_head *head)
{
	char buf[400];
	struct item *it;
	int len = 0, n = 0;

	list_for_each_entry(it, head, list) {
		len += scnprintf(buf + len, sizeof(buf) - len, " %d.%d", it->key, it->seq);
		n++;
	}
	pr_info("%s (%d):%s\n", what, n, buf);
}

static void test_list_sort(void)
{
	static struct item items[37];
	LIST_HEAD(head);
	struct item *it, *prev = NULL;
	int i, calls = 0, ok = 1;

	for (i = 0; i < ARRAY_SIZE(items); i++) {
		items[i].key = next_rand() % 10;
		items[i].seq = i;
		list_add_tail(&items[i].list, &head);
	}
	list_sort(&calls, &head, cmp_item);
	print_list("list_sort", &head);
	list_for_each_entry(it, &head, list) {
		if (prev && (prev->key > it->key || (prev->key == it->key && prev->seq > it->seq)))
			ok = 0;
		if (it->list.prev != (prev ? &prev->list : &head))
			ok = 0;
		prev = it;
	}
	pr_info("list_sort: %d compares, %s, prev links %s\n", calls, ok ? "stable" : "BROKEN",
		head.prev == &prev->list ? "ok" : "BROKEN");

	INIT_LIST_HEAD(&head);
	list_add_tail(&items[0].list, &head);
	calls = 0;
	list_sort(&calls, &head, cmp_item);
	pr_info("list_sort of one element: %d compares\n", calls);
}

/* ------------------------------------------------------------------ rbtree */

struct knode {
	struct rb_node rb;
	int key;
	int max;	/* augmented: largest key in the subtree */
};

static struct knode knodes[48];

static void rb_insert_key(struct rb_root *root, struct knode *n)
{
	struct rb_node **link = &root->rb_node, *parent = NULL;

	while (*link) {
		parent = *link;
		if (n->key < rb_entry(parent, struct knode, rb)->key)
			link = &parent->rb_left;
		else
			link = &parent->rb_right;
	}
	rb_link_node(&n->rb, parent, link);
	rb_insert_color(&n->rb, root);
}

static int shape(char *buf, int len, int size, struct rb_node *n)
{
	if (!n)
		return len + scnprintf(buf + len, size - len, ".");
	len += scnprintf(buf + len, size - len, "(%d%c ", rb_entry(n, struct knode, rb)->key,
			 rb_is_red(n) ? 'r' : 'b');
	len = shape(buf, len, size, n->rb_left);
	len += scnprintf(buf + len, size - len, " ");
	len = shape(buf, len, size, n->rb_right);
	return len + scnprintf(buf + len, size - len, ")");
}

static void print_shape(const char *what, struct rb_root *root)
{
	char *buf = kmalloc(4096, GFP_KERNEL);
	int len, i;

	if (!buf)
		return;
	len = shape(buf, 0, 4096, root->rb_node);
	/* printk records are limited: log the shape in slices */
	for (i = 0; i < len; i += 200)
		pr_info("%s [%d]: %.200s\n", what, i / 200, buf + i);
	kfree(buf);
}

static int walk(struct rb_root *root, char *buf, int size, bool reverse)
{
	struct rb_node *n;
	int len = 0;

	for (n = reverse ? rb_last(root) : rb_first(root); n; n = reverse ? rb_prev(n) : rb_next(n))
		len += scnprintf(buf + len, size - len, " %d", rb_entry(n, struct knode, rb)->key);
	return len;
}

static int knode_max(struct knode *n)
{
	return n->key;
}

RB_DECLARE_CALLBACKS_MAX(static, knode_cb, struct knode, rb, int, max, knode_max)

static void aug_insert(struct rb_root *root, struct knode *n)
{
	struct rb_node **link = &root->rb_node, *parent = NULL;
	struct knode *p;

	n->max = n->key;
	while (*link) {
		parent = *link;
		p = rb_entry(parent, struct knode, rb);
		if (p->max < n->key)
			p->max = n->key;
		if (n->key < p->key)
			link = &parent->rb_left;
		else
			link = &parent->rb_right;
	}
	rb_link_node(&n->rb, parent, link);
	rb_insert_augmented(&n->rb, root, &knode_cb);
}

static bool aug_check(struct rb_node *n, int *max)
{
	struct knode *k;
	int l = INT_MIN, r = INT_MIN, m;

	if (!n) {
		*max = INT_MIN;
		return true;
	}
	k = rb_entry(n, struct knode, rb);
	if (!aug_check(n->rb_left, &l) || !aug_check(n->rb_right, &r))
		return false;
	m = max3(k->key, l, r);
	*max = m;
	return m == k->max;
}

static void test_rbtree(void)
{
	struct rb_root root = RB_ROOT;
	struct rb_node *n;
	struct knode repl;
	char buf[300];
	int i, len, m;

	for (i = 0; i < 40; i++) {
		knodes[i].key = next_rand() % 1000;
		rb_insert_key(&root, &knodes[i]);
	}
	print_shape("rbtree after 40 inserts", &root);
	for (i = 0; i < 40; i += 3)
		rb_erase(&knodes[i].rb, &root);
	print_shape("rbtree after 14 erases", &root);
	walk(&root, buf, sizeof(buf), false);
	pr_info("in order:%s\n", buf);
	walk(&root, buf, sizeof(buf), true);
	pr_info("reverse:%s\n", buf);
	len = 0;
	for (n = rb_first_postorder(&root); n; n = rb_next_postorder(n))
		len += scnprintf(buf + len, sizeof(buf) - len, " %d", rb_entry(n, struct knode, rb)->key);
	pr_info("post order:%s\n", buf);

	repl.key = knodes[1].key;
	rb_replace_node(&knodes[1].rb, &repl.rb, &root);
	RB_CLEAR_NODE(&knodes[1].rb);
	pr_info("replaced %d: next of cleared node %s, prev of replacement %d\n", repl.key,
		rb_next(&knodes[1].rb) ? "set" : "NULL",
		rb_prev(&repl.rb) ? rb_entry(rb_prev(&repl.rb), struct knode, rb)->key : -1);
	rb_erase(&repl.rb, &root);
	for (i = 0; i < 40; i++)
		if (i % 3 && i != 1)
			rb_erase(&knodes[i].rb, &root);
	pr_info("after erasing all: root %s, first %s\n", root.rb_node ? "set" : "NULL",
		rb_first(&root) ? "set" : "NULL");

	root = RB_ROOT;
	for (i = 0; i < 48; i++) {
		knodes[i].key = next_rand() % 500;
		aug_insert(&root, &knodes[i]);
	}
	pr_info("augmented: root max %d, consistent %d\n",
		rb_entry(root.rb_node, struct knode, rb)->max, aug_check(root.rb_node, &m));
	for (i = 0; i < 48; i += 2)
		rb_erase_augmented(&knodes[i].rb, &root, &knode_cb);
	pr_info("augmented after 24 erases: root max %d, consistent %d\n",
		rb_entry(root.rb_node, struct knode, rb)->max, aug_check(root.rb_node, &m));
	print_shape("augmented tree", &root);
}

/* ------------------------------------------------------------------ kfifo */

static DEFINE_KFIFO(bytes, unsigned char, 16);
static struct kfifo_rec_ptr_1 records;
static DECLARE_KFIFO_PTR(user_fifo, char);

static void test_kfifo(void)
{
	struct kfifo_rec_ptr_2 rec2;
	DECLARE_KFIFO_PTR(words, u32);
	unsigned char out[32];
	u32 w[8];
	char rec[40];
	unsigned int n, i, len;
	int ret;

	n = kfifo_in(&bytes, "abcdefghij", 10);
	pr_info("kfifo: in %u, len %u, avail %u, size %u\n", n, kfifo_len(&bytes), kfifo_avail(&bytes),
		kfifo_size(&bytes));
	n = kfifo_out(&bytes, out, 7);
	out[n] = 0;
	pr_info("kfifo: out %u '%s', len %u\n", n, out, kfifo_len(&bytes));
	n = kfifo_in(&bytes, "0123456789ABCDEFGH", 18);
	pr_info("kfifo: wrapped in %u, full %d, in %u out %u\n", n, kfifo_is_full(&bytes),
		bytes.kfifo.in, bytes.kfifo.out);
	n = kfifo_out_peek(&bytes, out, 5);
	out[n] = 0;
	pr_info("kfifo: peek '%s', len %u\n", out, kfifo_len(&bytes));
	n = kfifo_out(&bytes, out, sizeof(out));
	out[n] = 0;
	pr_info("kfifo: out %u '%s', empty %d\n", n, out, kfifo_is_empty(&bytes));

	ret = kfifo_alloc(&words, 5, GFP_KERNEL);
	pr_info("kfifo_alloc(5 u32): %d, size %u, esize %u\n", ret, kfifo_size(&words), kfifo_esize(&words));
	for (i = 0; i < 6; i++)
		w[i] = 1000 + i;
	n = kfifo_in(&words, w, 6);
	pr_info("kfifo u32: in %u, len %u\n", n, kfifo_len(&words));
	n = kfifo_out(&words, w, 3);
	pr_info("kfifo u32: out %u: %u %u %u\n", n, w[0], w[1], w[2]);
	for (i = 0; i < 6; i++)
		w[i] = 2000 + i;
	n = kfifo_in(&words, w, 6);
	memset(w, 0, sizeof(w));
	len = kfifo_out(&words, w, 8);
	pr_info("kfifo u32: in %u, out %u: %u %u %u %u %u %u %u %u\n", n, len, w[0], w[1], w[2], w[3], w[4],
		w[5], w[6], w[7]);
	kfifo_free(&words);
	pr_info("kfifo_free: size %u\n", kfifo_size(&words));
	ret = kfifo_alloc(&words, 1, GFP_KERNEL);
	pr_info("kfifo_alloc(1): %d\n", ret);

	ret = kfifo_alloc(&records, 32, GFP_KERNEL);
	pr_info("record kfifo_alloc: %d\n", ret);
	kfifo_in(&records, "one", 3);
	kfifo_in(&records, "three", 5);
	kfifo_in(&records, "eleven-chars", 12);
	n = kfifo_in(&records, "too-long-for-the-rest", 21);
	pr_info("records: 4th in %u, len %u, next record %u bytes\n", n, kfifo_len(&records),
		kfifo_peek_len(&records));
	n = kfifo_out(&records, rec, 2);
	rec[n] = 0;
	pr_info("records: out '%s' (truncated to %u), next %u\n", rec, n, kfifo_peek_len(&records));
	kfifo_skip(&records);
	n = kfifo_out_peek(&records, rec, sizeof(rec));
	rec[n] = 0;
	pr_info("records: peek '%s'\n", rec);
	n = kfifo_in(&records, "four", 4);
	pr_info("records: in %u, avail %u\n", n, kfifo_avail(&records));
	while (!kfifo_is_empty(&records)) {
		n = kfifo_out(&records, rec, sizeof(rec));
		rec[n] = 0;
		pr_info("records: '%s'\n", rec);
	}

	ret = kfifo_alloc(&rec2, 300, GFP_KERNEL);
	kfifo_in(&rec2, "x", 1);
	pr_info("2-byte records: alloc %d, size %u, max record %u, len %u\n", ret, kfifo_size(&rec2),
		__kfifo_max_r(100000, 2), kfifo_len(&rec2));
	kfifo_free(&rec2);
}

static ssize_t fifo_write(struct file *file, const char __user *buf, size_t count, loff_t *ppos)
{
	unsigned int copied;
	int ret = kfifo_from_user(&user_fifo, buf, count, &copied);

	pr_info("fifo write %zu: ret %d, copied %u, len %u\n", count, ret, copied, kfifo_len(&user_fifo));
	return ret ? ret : copied;
}

static ssize_t fifo_read(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	unsigned int copied;
	int ret;

	/* at most 5 bytes per read(), so a reader loops until the fifo is empty */
	ret = kfifo_to_user(&user_fifo, buf, min_t(size_t, count, 5), &copied);
	pr_info("fifo read: ret %d, copied %u, left %u\n", ret, copied, kfifo_len(&user_fifo));
	return ret ? ret : copied;
}

static const struct proc_ops fifo_ops = {
	.proc_read = fifo_read,
	.proc_write = fifo_write,
};

static int __init libds_init(void)
{
	test_sort();
	test_list_sort();
	test_rbtree();
	test_kfifo();
	if (kfifo_alloc(&user_fifo, 16, GFP_KERNEL))
		return -ENOMEM;
	proc_create("libds_fifo", 0666, NULL, &fifo_ops);
	return 0;
}

static void __exit libds_exit(void)
{
	remove_proc_entry("libds_fifo", NULL);
	kfifo_free(&user_fifo);
	kfifo_free(&records);
	pr_info("libds: done\n");
}

module_init(libds_init);
module_exit(libds_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kmodemu test: sort, bsearch, list_sort, rbtree, kfifo");
