// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_oob - a parameter sizes a fill of a 32-byte stack buffer, but init checks it against 48:
 * count = 33..48 writes past the buffer over the stack protector's canary, and the function's
 * return finds it changed (the kernel panics: "stack-protector: Kernel stack is corrupted").
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>

static int count = 8;
module_param(count, int, 0444);
MODULE_PARM_DESC(count, "How many bytes of the pattern to compute (0..48)");

static noinline int fuzz_oob_fill(int n)
{
	volatile char buf[32];
	int i, sum = 0;

	for (i = 0; i < n; i++)
		buf[i] = 'A' + i;
	for (i = 0; i < n && i < 32; i++)
		sum += buf[i];
	return sum;
}

static int __init fuzz_oob_init(void)
{
	if (count < 0 || count > 48)	/* the bug: the buffer holds 32 */
		return -EINVAL;
	pr_info("fuzz_oob: pattern sum %d\n", fuzz_oob_fill(count));
	return 0;
}

static void __exit fuzz_oob_exit(void)
{
}

module_init(fuzz_oob_init);
module_exit(fuzz_oob_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kmodemu fuzzing target: a stack buffer overflow for one parameter range");
