// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_hang - misbehaves on almost every input: init spins forever for odd "mode" values and
 * writes through mode as a pointer for even ones (NULL for 0); only mode=7777 loads. A fuzzer
 * has to survive it, report the lockup and the oops once each, and go on.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>

static long mode;
module_param(mode, long, 0444);
MODULE_PARM_DESC(mode, "7777 loads; odd values spin, even ones write through the value");

static int stop;

static int __init fuzz_hang_init(void)
{
	if (mode == 7777)
		return 0;
	if (mode & 1) {
		while (!READ_ONCE(stop))
			cpu_relax();
		return 0;
	}
	*(volatile int *)mode = 1;
	return 0;
}

static void __exit fuzz_hang_exit(void)
{
}

module_init(fuzz_hang_init);
module_exit(fuzz_hang_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kmodemu fuzzing target: hangs or crashes on most inputs");
