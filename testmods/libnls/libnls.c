// SPDX-License-Identifier: GPL-2.0
/*
 * libnls - fs/nls/nls_base.c as filesystems and nls_* modules use it: registering a character
 * set table (twice: -EBUSY), finding it by name and alias with load_nls() (a module reference),
 * unload_nls, unregister_nls (twice: -EINVAL), the built-in default table from
 * load_nls_default() when nls_utf8 is not loaded, and the UTF-8/UTF-16/UTF-32 converters with
 * multi-byte characters, surrogate pairs and bad sequences.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/nls.h>

static int rot_uni2char(wchar_t uni, unsigned char *out, int boundlen)
{
	if (boundlen <= 0)
		return -ENAMETOOLONG;
	if (uni > 0x7f)
		return -EINVAL;
	out[0] = uni ^ 1;
	return 1;
}

static int rot_char2uni(const unsigned char *raw, int boundlen, wchar_t *uni)
{
	*uni = raw[0] ^ 1;
	return 1;
}

static struct nls_table rot_table = {
	.charset = "libnls_rot",
	.alias = "rot1",
	.uni2char = rot_uni2char,
	.char2uni = rot_char2uni,
};

static void test_tables(void)
{
	struct nls_table *t, *d;
	unsigned char c;
	wchar_t w;
	int ret;

	ret = register_nls(&rot_table);
	pr_info("register_nls: %d, again %d\n", ret, register_nls(&rot_table));
	t = load_nls("rot1");
	pr_info("load_nls(rot1): %s, refcnt %d\n", t ? t->charset : "NULL", module_refcount(THIS_MODULE));
	ret = t->uni2char('A', &c, 1);
	pr_info("uni2char('A'): %d %c\n", ret, c);
	unload_nls(t);
	pr_info("after unload_nls: refcnt %d, load_nls(nosuch) %p\n", module_refcount(THIS_MODULE),
		load_nls("nosuch"));
	d = load_nls_default();
	pr_info("default: %s, upper('q') %c, lower('Q') %c, lower(0xc4) %#x\n", d->charset,
		d->charset2upper['q'], d->charset2lower['Q'], d->charset2lower[0xc4]);
	ret = d->uni2char(0xe9, &c, 1);
	pr_info("default uni2char(0xe9): %d %#x, 0x20ac: %d, boundlen 0: %d\n", ret, c,
		d->uni2char(0x20ac, &c, 1), d->uni2char('a', &c, 0));
	ret = d->char2uni((const unsigned char *)"\xfc", 1, &w);
	pr_info("default char2uni(0xfc): %d %#x, NUL: %d\n", ret, w, d->char2uni((const unsigned char *)"", 1, &w));
	unload_nls(d);
	pr_info("unregister_nls: %d, again %d\n", unregister_nls(&rot_table), unregister_nls(&rot_table));
}

static void test_utf(void)
{
	static const u8 text[] = "A\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80z";
	wchar_t w[16];
	u8 back[32];
	unicode_t u;
	int n, m, i, len = 0;
	char buf[128];

	n = utf8s_to_utf16s(text, sizeof(text) - 1, UTF16_LITTLE_ENDIAN, w, ARRAY_SIZE(w));
	for (i = 0; i < n; i++)
		len += scnprintf(buf + len, sizeof(buf) - len, " %04x", w[i]);
	pr_info("utf8s_to_utf16s: %d units:%s\n", n, buf);
	m = utf16s_to_utf8s(w, n, UTF16_LITTLE_ENDIAN, back, sizeof(back));
	pr_info("utf16s_to_utf8s: %d bytes, same %d\n", m, m == sizeof(text) - 1 && !memcmp(back, text, m));
	m = utf16s_to_utf8s(w, n, UTF16_LITTLE_ENDIAN, back, 5);
	pr_info("utf16s_to_utf8s into 5 bytes: %d\n", m);
	n = utf8s_to_utf16s(text, sizeof(text) - 1, UTF16_BIG_ENDIAN, w, 4);
	pr_info("big endian, at most 4: %d, first %04x\n", n, w[0]);
	w[0] = 0xdc00;
	w[1] = 'x';
	w[2] = 0xd800;
	w[3] = 'y';
	m = utf16s_to_utf8s(w, 4, UTF16_HOST_ENDIAN, back, sizeof(back));
	back[m] = 0;
	pr_info("unpaired surrogates skipped: %d '%s'\n", m, back);
	pr_info("utf8_to_utf32: %d %d %d %d\n", utf8_to_utf32((const u8 *)"\xe2\x82\xac", 3, &u),
		utf8_to_utf32((const u8 *)"\xe2\x82", 2, &u), utf8_to_utf32((const u8 *)"\xc0\x80", 2, &u),
		utf8_to_utf32((const u8 *)"\xed\xa0\x80", 3, &u));
	utf8_to_utf32((const u8 *)"\xf0\x9f\x98\x80", 4, &u);
	pr_info("U+%x; utf32_to_utf8: %d %d %d\n", u, utf32_to_utf8(0x1f600, back, 4),
		utf32_to_utf8(0x1f600, back, 3), utf32_to_utf8(0xd800, back, 4));
	n = utf8s_to_utf16s((const u8 *)"a\xff", 2, UTF16_HOST_ENDIAN, w, 4);
	pr_info("bad utf-8: %d\n", n);
}

static int __init libnls_init(void)
{
	test_tables();
	test_utf();
	return 0;
}

static void __exit libnls_exit(void)
{
	pr_info("libnls: done\n");
}

module_init(libnls_init);
module_exit(libnls_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kmodemu test: nls tables and UTF conversions");
