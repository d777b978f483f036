// SPDX-License-Identifier: GPL-2.0
/* twofile_helper.c - helpers called from twofile_main.c */
#include <linux/kernel.h>
#include <linux/printk.h>
#include "twofile.h"

/* sum of squares 1..n */
int twofile_compute(int n)
{
	int i, sum = 0;

	for (i = 1; i <= n; i++)
		sum += i * i;
	return sum;
}

void twofile_report(const char *when, int n)
{
	pr_info("twofile: %s: sum of squares 1..%d = %d\n", when, n,
		twofile_compute(n));
}
