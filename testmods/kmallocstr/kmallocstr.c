// SPDX-License-Identifier: GPL-2.0
/*
 * kmallocstr - memory allocation and lib/string.c, lib/kstrtox.c helpers.
 * Every result is printed in a deterministic form (sizes, contents, offsets,
 * return values; never pointers).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

/* offset of p inside base, or -1 for NULL (never print the pointer itself) */
static long off(const void *base, const void *p)
{
	return p ? (long)((const char *)p - (const char *)base) : -1L;
}

static void test_kmalloc(void)
{
	static const size_t sizes[] = { 1, 8, 9, 96, 100, 200, 4096, 5000, 10000 };
	char *p, *q, *z;
	int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		p = kmalloc(sizes[i], GFP_KERNEL);
		if (!p) {
			pr_err("kmalloc(%zu) failed\n", sizes[i]);
			continue;
		}
		pr_info("kmalloc(%zu): ksize=%zu\n", sizes[i], ksize(p));
		kfree(p);
	}

	p = kmalloc(0, GFP_KERNEL);
	pr_info("kmalloc(0): ZERO_OR_NULL_PTR=%d\n", ZERO_OR_NULL_PTR(p));
	kfree(p);
	kfree(NULL);

	z = kzalloc(64, GFP_KERNEL);
	if (z) {
		int nz = 0;

		for (i = 0; i < 64; i++)
			nz += z[i] != 0;
		pr_info("kzalloc(64): nonzero bytes=%d\n", nz);
	}

	p = kmalloc(10, GFP_KERNEL);
	if (p) {
		strscpy(p, "realloc!", 10);
		q = krealloc(p, 300, GFP_KERNEL);
		if (q) {
			pr_info("krealloc(10->300): content=[%s] ksize=%zu\n", q, ksize(q));
			p = q;
		}
		kfree(p);
	}

	if (z) {
		memcpy(z, "dup me\0tail", 11);
		q = kmemdup(z, 11, GFP_KERNEL);
		if (q) {
			pr_info("kmemdup: [%s] then [%s] memcmp=%d\n", q, q + 7,
				memcmp(q, z, 11));
			kfree(q);
		}
		kfree(z);
	}

	q = kstrdup("a kstrdup'd string", GFP_KERNEL);
	if (q) {
		pr_info("kstrdup: [%s] len=%zu\n", q, strlen(q));
		kfree(q);
	}
	q = kstrdup(NULL, GFP_KERNEL);
	pr_info("kstrdup(NULL): is NULL=%d\n", q == NULL);

	q = kasprintf(GFP_KERNEL, "%s-%d-%05x", "kasprintf", 42, 0xbeef);
	if (q) {
		pr_info("kasprintf: [%s] len=%zu\n", q, strlen(q));
		kfree(q);
	}
}

static void test_vmalloc(void)
{
	const size_t n = 100000;
	unsigned long sum = 0;
	unsigned char *v;
	size_t i;

	v = vmalloc(n);
	if (!v) {
		pr_err("vmalloc failed\n");
		return;
	}
	for (i = 0; i < n; i++)
		v[i] = i & 0xff;
	for (i = 0; i < n; i++)
		sum += v[i];
	pr_info("vmalloc(%zu): sum=%lu last=%u\n", n, sum, v[n - 1]);
	vfree(v);

	v = vzalloc(8192);
	if (v) {
		for (i = 0, sum = 0; i < 8192; i++)
			sum += v[i];
		pr_info("vzalloc(8192): sum=%lu\n", sum);
		vfree(v);
	}
}

static void test_printf_family(void)
{
	char buf[8];
	char big[64];
	int r;

	r = snprintf(buf, sizeof(buf), "%s", "hello world");
	pr_info("snprintf(8, \"hello world\"): ret=%d buf=[%s]\n", r, buf);
	r = snprintf(buf, sizeof(buf), "%d", 123);
	pr_info("snprintf(8, 123): ret=%d buf=[%s]\n", r, buf);
	r = snprintf(NULL, 0, "%s=%d", "length", 1234567);
	pr_info("snprintf(NULL, 0): ret=%d\n", r);
	r = scnprintf(buf, sizeof(buf), "%s", "hello world");
	pr_info("scnprintf(8, \"hello world\"): ret=%d buf=[%s]\n", r, buf);
	r = scnprintf(buf, 0, "%s", "x");
	pr_info("scnprintf(0): ret=%d\n", r);
	r = sprintf(big, "%s|%d|%x", "sprintf", -1, 255);
	pr_info("sprintf: ret=%d buf=[%s]\n", r, big);
}

static char s_hello[] = "hello world";
static char s_abc[] = "abc";
static char s_abd[] = "abd";
static char s_ab[] = "ab";
static char s_az[] = "az";
static char s_path[] = "/usr/local/bin/tool";

static void test_string(void)
{
	char buf[8];
	char mv[16];
	char *h = s_hello, *abc = s_abc, *abd = s_abd, *ab = s_ab, *az = s_az;
	ssize_t r;

	OPTIMIZER_HIDE_VAR(h);
	OPTIMIZER_HIDE_VAR(abc);
	OPTIMIZER_HIDE_VAR(abd);
	OPTIMIZER_HIDE_VAR(ab);
	OPTIMIZER_HIDE_VAR(az);

	r = strscpy(buf, "short", sizeof(buf));
	pr_info("strscpy(8, \"short\"): ret=%zd buf=[%s]\n", r, buf);
	r = strscpy(buf, h, sizeof(buf));
	pr_info("strscpy(8, \"hello world\"): ret=%zd buf=[%s]\n", r, buf);
	r = strscpy(buf, "1234567", sizeof(buf));
	pr_info("strscpy(8, \"1234567\"): ret=%zd buf=[%s]\n", r, buf);

	pr_info("strlen=%zu strnlen(5)=%zu strnlen(50)=%zu\n",
		strlen(h), strnlen(h, 5), strnlen(h, 50));
	pr_info("strcmp(abc,abd)=%d strcmp(abd,abc)=%d strcmp(abc,abc)=%d strcmp(ab,abc)=%d\n",
		strcmp(abc, abd), strcmp(abd, abc), strcmp(abc, abc), strcmp(ab, abc));
	pr_info("strncmp(abc,abd,2)=%d strncmp(abc,abd,3)=%d\n",
		strncmp(abc, abd, 2), strncmp(abc, abd, 3));
	pr_info("memcmp(abc,abd,3)=%d memcmp(abd,abc,3)=%d memcmp(abc,abc,3)=%d\n",
		memcmp(abc, abd, 3), memcmp(abd, abc, 3), memcmp(abc, abc, 3));
	pr_info("strcmp(ab,az)=%d strncmp(az,ab,2)=%d memcmp(ab,az,2)=%d memcmp(az,ab,2)=%d\n",
		strcmp(ab, az), strncmp(az, ab, 2), memcmp(ab, az, 2), memcmp(az, ab, 2));

	pr_info("memchr('o')=%ld memchr('z')=%ld strchr('o')=%ld strrchr('o')=%ld strchr('\\0')=%ld\n",
		off(h, memchr(h, 'o', 11)), off(h, memchr(h, 'z', 11)),
		off(h, strchr(h, 'o')), off(h, strrchr(h, 'o')),
		off(h, strchr(h, '\0')));
	pr_info("strstr(\"wor\")=%ld strstr(\"xyz\")=%ld strstr(\"\")=%ld strrchr(path,'/')+1=[%s]\n",
		off(h, strstr(h, "wor")), off(h, strstr(h, "xyz")),
		off(h, strstr(h, "")), strrchr(s_path, '/') + 1);

	memset(mv, 0, sizeof(mv));
	memset(mv, 'x', 5);
	pr_info("memset: [%s]\n", mv);
	memcpy(mv, "abcdefgh", 9);
	pr_info("memcpy: [%s]\n", mv);
	memmove(mv + 2, mv, 6);
	pr_info("memmove(+2): [%s]\n", mv);
	memmove(mv, mv + 3, 6);
	pr_info("memmove(-3): [%s]\n", mv);
}

static void test_kstrto(void)
{
	unsigned long ul;
	char *end;
	int i, r;
	bool b;
	u8 u;

	r = kstrtoint("-123", 10, &i);
	pr_info("kstrtoint(\"-123\",10): ret=%d val=%d\n", r, i);
	r = kstrtoint("0x1f", 0, &i);
	pr_info("kstrtoint(\"0x1f\",0): ret=%d val=%d\n", r, i);
	r = kstrtoint("0777", 0, &i);
	pr_info("kstrtoint(\"0777\",0): ret=%d val=%d\n", r, i);
	r = kstrtoint("42\n", 10, &i);
	pr_info("kstrtoint(\"42\\n\",10): ret=%d val=%d\n", r, i);
	i = 99;
	r = kstrtoint("12abc", 10, &i);
	pr_info("kstrtoint(\"12abc\",10): ret=%d val=%d\n", r, i);
	r = kstrtoint("2147483648", 10, &i);
	pr_info("kstrtoint(\"2147483648\",10): ret=%d val=%d\n", r, i);
	r = kstrtoint("", 10, &i);
	pr_info("kstrtoint(\"\",10): ret=%d\n", r);

	r = kstrtoul("4294967296", 10, &ul);
	pr_info("kstrtoul(\"4294967296\",10): ret=%d val=%lu\n", r, ul);
	r = kstrtoul("ff", 16, &ul);
	pr_info("kstrtoul(\"ff\",16): ret=%d val=%lu\n", r, ul);
	r = kstrtoul("-1", 10, &ul);
	pr_info("kstrtoul(\"-1\",10): ret=%d\n", r);

	r = kstrtobool("yes", &b);
	pr_info("kstrtobool(\"yes\"): ret=%d val=%d\n", r, b);
	r = kstrtobool("off", &b);
	pr_info("kstrtobool(\"off\"): ret=%d val=%d\n", r, b);
	r = kstrtobool("on", &b);
	pr_info("kstrtobool(\"on\"): ret=%d val=%d\n", r, b);
	r = kstrtobool("0", &b);
	pr_info("kstrtobool(\"0\"): ret=%d val=%d\n", r, b);
	r = kstrtobool("maybe", &b);
	pr_info("kstrtobool(\"maybe\"): ret=%d\n", r);

	r = kstrtou8("255", 10, &u);
	pr_info("kstrtou8(\"255\",10): ret=%d val=%u\n", r, u);
	r = kstrtou8("256", 10, &u);
	pr_info("kstrtou8(\"256\",10): ret=%d\n", r);

	ul = simple_strtoul("0x1234zz", &end, 0);
	pr_info("simple_strtoul(\"0x1234zz\",0): val=%lu rest=[%s]\n", ul, end);
	ul = simple_strtoul("777", &end, 8);
	pr_info("simple_strtoul(\"777\",8): val=%lu rest=[%s]\n", ul, end);
	pr_info("simple_strtol(\"-77abc\",10): val=%ld\n",
		simple_strtol("-77abc", &end, 10));
	pr_info("simple_strtol rest=[%s]\n", end);
}

static int __init kmallocstr_init(void)
{
	pr_info("start\n");
	test_kmalloc();
	test_vmalloc();
	test_printf_family();
	test_string();
	test_kstrto();
	pr_info("done\n");
	return 0;
}

static void __exit kmallocstr_exit(void)
{
	pr_info("exit\n");
}

module_init(kmallocstr_init);
module_exit(kmallocstr_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kmalloc/vmalloc and string helper results");
