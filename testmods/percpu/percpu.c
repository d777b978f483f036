// SPDX-License-Identifier: GPL-2.0
/*
 * percpu - a module with its own per-cpu data (DEFINE_PER_CPU): the kernel gives it room in the
 * reserved per-cpu chunk at load (percpu_modalloc) and takes it back at unload, so the module
 * can be loaded again and again. Init and exit touch the variable through this_cpu_* (%gs
 * relative) and per_cpu() (through __per_cpu_offset) and log what they see.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/smp.h>

static DEFINE_PER_CPU(int, hits) = 40;
static DEFINE_PER_CPU(long, total);

static int bump = 2;
module_param(bump, int, 0444);

static int __init percpu_init(void)
{
	int cpu;

	this_cpu_add(hits, bump);
	this_cpu_inc(total);
	cpu = get_cpu();
	pr_info("percpu: init on cpu %d: hits %d, total %ld\n", cpu, per_cpu(hits, cpu),
		per_cpu(total, cpu));
	put_cpu();
	return 0;
}

static void __exit percpu_exit(void)
{
	this_cpu_inc(hits);
	pr_info("percpu: exit: hits %d, total %ld\n", this_cpu_read(hits), this_cpu_read(total));
}

module_init(percpu_init);
module_exit(percpu_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Per-cpu variables in a module");
