// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_bench - no planted bug: the "small module" of the fuzzing benchmark. Init builds a CRC-32
 * nibble table, checksums a kmalloc'd buffer filled from its parameters "rounds" times and
 * registers /proc/fuzz_bench, about 20,000 instructions of its own code; exit undoes it.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

static int rounds = 4;
module_param(rounds, int, 0444);
MODULE_PARM_DESC(rounds, "Checksum passes over the buffer (0..64)");
static char *tag = "bench";
module_param(tag, charp, 0444);
MODULE_PARM_DESC(tag, "Text mixed into the buffer");

static u8 *buf;
static u32 table[16];
static u32 sum;

static void fuzz_bench_table(void)
{
	u32 c;
	int i, k;

	for (i = 0; i < 16; i++) {
		c = i;
		for (k = 0; k < 4; k++)
			c = (c & 1) ? 0xedb88320 ^ (c >> 1) : c >> 1;
		table[i] = c;
	}
}

static u32 fuzz_bench_crc(const u8 *p, size_t n, u32 c)
{
	c = ~c;
	while (n--) {
		c ^= *p++;
		c = table[c & 15] ^ (c >> 4);
		c = table[c & 15] ^ (c >> 4);
	}
	return ~c;
}

static int fuzz_bench_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%08x\n", sum);
	return 0;
}

static int __init fuzz_bench_init(void)
{
	size_t len = strlen(tag);
	int i;

	if (rounds < 0 || rounds > 64)
		return -EINVAL;
	fuzz_bench_table();
	buf = kmalloc(512, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	for (i = 0; i < 512; i++)
		buf[i] = (u8)(i * 31) ^ (len ? tag[i % len] : 0);
	for (i = 0; i < rounds; i++)
		sum = fuzz_bench_crc(buf + (i % 2) * 256, 256, sum);
	if (!proc_create_single("fuzz_bench", 0444, NULL, fuzz_bench_show)) {
		kfree(buf);
		return -ENOMEM;
	}
	return 0;
}

static void __exit fuzz_bench_exit(void)
{
	remove_proc_entry("fuzz_bench", NULL);
	kfree(buf);
}

module_init(fuzz_bench_init);
module_exit(fuzz_bench_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kmodemu fuzzing benchmark: a small module with some code of its own");
