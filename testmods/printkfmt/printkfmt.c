// SPDX-License-Identifier: GPL-2.0
/*
 * printkfmt - lib/vsprintf.c formats and printk levels/continuations.
 * Only formats with deterministic output are used: no %p/%px/%pK, no
 * timestamps, %pS/%ps/%pB only of this module's own symbols.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/page-flags.h>
#include <linux/printk.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/uuid.h>

/* a static helper in .text, and a data object, for %pS/%ps */
static int printkfmt_counter = 3;

static noinline int printkfmt_helper(int x)
{
	return x * 2 + READ_ONCE(printkfmt_counter);
}

/* %pV: a printf-like wrapper, as dev_printk-style helpers do */
static __printf(2, 3) void vwrap(const char *tag, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_info("vwrap[%s]: %pV|\n", tag, &vaf);
	va_end(args);
}

static void test_integers(void)
{
	/* runtime values, so the compiler cannot pre-format anything */
	int neg = -42, big = 123456789;
	unsigned int u = 3000000000U;
	long lmin = LONG_MIN, lmax = LONG_MAX;
	unsigned long long ullmax = ULLONG_MAX;
	long long llmin = LLONG_MIN;
	size_t sz = 4096;
	ssize_t ssz = -4096;
	ptrdiff_t pd = -17;
	char *nul = NULL;

	OPTIMIZER_HIDE_VAR(neg);
	OPTIMIZER_HIDE_VAR(nul);

	pr_info("basic: %d|%i|%u|%x|%X|%o|%c|%s|%%\n",
		neg, big, u, 0xabcdef, 0xabcdef, 8, 'Z', "str");
	pr_info("width: [%5d] [%-5d] [%05d] [%+d] [% d] [%+5d] [%-+5d|] [%2d]\n",
		42, 42, 42, 42, 42, 42, 42, 12345);
	pr_info("neg: [%5d] [%-5d] [%05d] [%+d] [% d] [%x] [%u] [%o]\n",
		neg, neg, neg, neg, neg, neg, neg, neg);
	pr_info("hash: [%#x] [%#X] [%#o] [%#08x] [%#10o] [%#x] [%#o]\n",
		255, 255, 8, 255, 8, 0, 0);
	pr_info("prec: [%.3d] [%8.3d] [%-8.3d|] [%.0d] [%.5x] [%#.5x]\n",
		7, 7, 7, 0, 0xab, 0xab);
	pr_info("star: [%*d] [%-*d] [%.*d] [%*.*d] [%*d]\n",
		6, 42, 6, 42, 4, 42, 8, 4, 42, -6, 42);
	pr_info("len: hh=%hhd,%hhu,%hhx h=%hd,%hu,%hx\n",
		300, 300, -1, 70000, 70000, -1);
	pr_info("len: l=%ld,%lu,%lx ll=%lld,%llu,%llx\n",
		lmin, (unsigned long)lmax + 1, -1L, llmin, ullmax, ullmax);
	pr_info("len: z=%zu,%zd,%zx t=%td,%tx\n", sz, ssz, sz, pd, pd);
	pr_info("limits: INT_MIN=%d INT_MAX=%d UINT_MAX=%u LONG_MAX=%ld\n",
		INT_MIN, INT_MAX, UINT_MAX, lmax);
	pr_info("strings: [%s] [%.3s] [%-10s|] [%10s] [%.0s] [%5.2s] [%*s] [%-*.*s|]\n",
		nul, "abcdef", "left", "right", "gone", "xyz", 4, "ab", 6, 2, "abcdef");
	pr_info("chars: [%c] [%3c] [%-3c|] [%c%c%c]\n", 'a', 'b', 'c', 'x', 'y', 'z');
}

static const u8 mac[6] = { 0x00, 0x1b, 0x21, 0x3c, 0x4d, 0x5e };
static const u8 ip4[4] = { 192, 168, 1, 10 };
static const u8 ip6[16] = {
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const u8 ip6map[16] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 1 };
static const u8 hexbuf[8] = { 0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0x7f, 0x80 };
static const u8 uuidb[16] = {
	0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0,
	0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef };
static const char esc[] = "a\tb\nc\\d\x01\x7f z\"";

static void test_pointers(void)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(8080),
		.sin_addr.s_addr = htonl(0x0a000001),
	};
	struct sockaddr_in6 sin6 = {
		.sin6_family = AF_INET6,
		.sin6_port = htons(443),
	};
	u32 ip4host = 0xc0a8010a;	/* 192.168.1.10 in host order */
	phys_addr_t phys = 0x12345000;
	dma_addr_t dma = 0xfedc0000;
	DECLARE_BITMAP(bits, 40);
	unsigned long pflags = (1UL << PG_locked) | (1UL << PG_uptodate) |
			       (1UL << PG_dirty) | (1UL << PG_lru);
	gfp_t gfp = GFP_KERNEL;
	gfp_t gfp2 = GFP_ATOMIC | __GFP_ZERO;
	unsigned long vmflags = VM_READ | VM_WRITE | VM_SHARED;
	u32 fourcc = 0x56595559;	/* 'YUYV' */
	const char *kstr = "kernel string";

	memcpy(&sin6.sin6_addr, ip6, sizeof(ip6));

	pr_info("symbols: %pS | %ps | %pSR\n",
		printkfmt_helper, printkfmt_helper, printkfmt_helper);
	pr_info("symbols: %pS | %pB | %ps\n",
		(char *)printkfmt_helper + 3, (char *)printkfmt_helper + 5,
		(char *)printkfmt_helper + 3);
	pr_info("data symbol: %pS | %ps\n",
		&printkfmt_counter, &printkfmt_counter);
	pr_info("helper(4)=%d\n", printkfmt_helper(4));

	pr_info("mac: %pM | %pMR | %pm | %pmR | %pMF\n", mac, mac, mac, mac, mac);
	pr_info("ip4: %pI4 | %pi4 | %pI4h | %pI4n | %pI4b | %pI4l\n",
		ip4, ip4, &ip4host, ip4, ip4, ip4);
	pr_info("ip6: %pI6 | %pI6c | %pi6\n", ip6, ip6, ip6);
	pr_info("ip6 mapped: %pI6 | %pI6c\n", ip6map, ip6map);
	pr_info("sockaddr: %pIS | %pISp | %pISpc | %pISc | %pISpc\n",
		&sin, &sin, &sin, &sin6, &sin6);
	pr_info("hex: [%*ph] [%*phC] [%*phD] [%*phN] [%ph] [%3ph]\n",
		6, hexbuf, 6, hexbuf, 6, hexbuf, 8, hexbuf, hexbuf, hexbuf);
	pr_info("uuid: %pUb | %pUB | %pUl | %pUL | %pU\n",
		uuidb, uuidb, uuidb, uuidb, uuidb);
	pr_info("errptr: %pe | %pe | %pe | %pe | %pe | %pe\n",
		ERR_PTR(-ENOMEM), ERR_PTR(-EINVAL), ERR_PTR(-EPROBE_DEFER),
		ERR_PTR(-ENOENT), ERR_PTR(-4095), ERR_PTR(-1));
	pr_info("escape: [%*pE] [%*pEa] [%*pEhp] [%*pEo] [%*pEc] [%pE]\n",
		(int)sizeof(esc) - 1, esc, (int)sizeof(esc) - 1, esc,
		(int)sizeof(esc) - 1, esc, (int)sizeof(esc) - 1, esc,
		(int)sizeof(esc) - 1, esc, esc);
	pr_info("addr: %pa | %pap | %pad\n", &phys, &phys, &dma);

	bitmap_zero(bits, 40);
	bitmap_set(bits, 0, 3);
	bitmap_set(bits, 8, 1);
	bitmap_set(bits, 33, 4);
	pr_info("bitmap: [%*pb] [%*pbl] [%*pb]\n", 40, bits, 40, bits, 12, bits);

	pr_info("flags: %pGp\n", &pflags);
	pr_info("flags: %pGg | %pGg | %pGv\n", &gfp, &gfp2, &vmflags);
	pr_info("fourcc: %p4cc\n", &fourcc);
	pr_info("kstr: %pks\n", kstr);
	vwrap("one", "%d-%s-%x", 1, "two", 3);
	vwrap("none", "no args");
}

/* a message longer than printk's per-record limit */
static char longbuf[1200];

static void test_printk(void)
{
	int i;

	pr_emerg("level emerg\n");
	pr_alert("level alert\n");
	pr_crit("level crit\n");
	pr_err("level err\n");
	pr_warn("level warn\n");
	pr_notice("level notice\n");
	pr_info("level info\n");
	pr_debug("level debug (dynamic debug: not printed by default)\n");
	printk("printk without a level\n");
	printk(KERN_DEFAULT "printk with KERN_DEFAULT\n");
	printk(KERN_INFO "printk KERN_INFO without pr_fmt\n");
	printk(KERN_ERR "printk KERN_ERR without pr_fmt\n");

	pr_info("cont: start");
	pr_cont(" piece1");
	pr_cont(" piece2=%d", 2);
	pr_cont(" end\n");

	pr_warn("cont at warn level:");
	for (i = 0; i < 3; i++)
		pr_cont(" %d", i);
	pr_cont("\n");

	pr_info("unterminated line");
	pr_info("next line after an unterminated one\n");
	pr_cont("orphan continuation after a complete line\n");

	pr_info("embedded: first line\nsecond line\nthird line\n");
	pr_info("\n");
	pr_info("trailing double newline\n\n");

	for (i = 0; i < 3; i++)
		pr_info_once("printed once (i=%d)\n", i);

	print_hex_dump(KERN_INFO, "hd: ", DUMP_PREFIX_OFFSET, 16, 1,
		       uuidb, sizeof(uuidb), true);
	print_hex_dump(KERN_INFO, "hd4: ", DUMP_PREFIX_NONE, 8, 4,
		       uuidb, sizeof(uuidb), false);

	for (i = 0; i + 10 <= sizeof(longbuf); i += 10)
		snprintf(longbuf + i, 11, "#%08d|", i);
	longbuf[sizeof(longbuf) - 1] = '\0';
	pr_info("long1200: %s\n", longbuf);
	longbuf[1000] = '\0';
	pr_info("long1000: %s\n", longbuf);
	longbuf[970] = '\0';
	pr_info("long970: %s\n", longbuf);
	pr_info("after the long lines\n");
	printk(KERN_INFO "%s", longbuf);
	pr_cont("+cont after a long unterminated line\n");
}

static int __init printkfmt_init(void)
{
	pr_info("init: %pS | %ps\n", printkfmt_init, printkfmt_init);
	test_integers();
	test_pointers();
	test_printk();
	pr_info("init done\n");
	return 0;
}

static void __exit printkfmt_exit(void)
{
	pr_info("exit: %pS | %ps | helper %pS\n", printkfmt_exit,
		printkfmt_exit, printkfmt_helper);
}

module_init(printkfmt_init);
module_exit(printkfmt_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("printk levels and vsprintf formats");
