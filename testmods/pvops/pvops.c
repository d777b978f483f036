// SPDX-License-Identifier: GPL-2.0
/*
 * pvops - code that goes through the paravirt operations table (pv_ops) when built for a
 * CONFIG_PARAVIRT_XXL kernel such as Debian's: local_irq_save/restore and irqs_disabled()
 * (pv_ops.irq.save_fl/irq_disable/irq_enable), cpuid() (pv_ops.cpu.cpuid), and the
 * io_delay of the _p port accessors' timing (pv_ops.cpu.io_delay via slow_down_io()).
 */
#include <linux/init.h>
#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <asm/processor.h>

static int __init pvops_init(void)
{
	unsigned int eax = 0, ebx, ecx = 0, edx;
	unsigned long flags;

	pr_info("pvops: irqs %s at init\n", irqs_disabled() ? "disabled" : "enabled");
	local_irq_save(flags);
	pr_info("pvops: irqs %s after local_irq_save\n", irqs_disabled() ? "disabled" : "enabled");
	local_irq_restore(flags);
	pr_info("pvops: irqs %s after local_irq_restore\n", irqs_disabled() ? "disabled" : "enabled");
	local_irq_disable();
	local_irq_enable();
	cpuid(0, &eax, &ebx, &ecx, &edx);
	pr_info("pvops: cpuid leaf 0 reports %s\n", eax >= 1 ? "more leaves" : "no leaves");
	slow_down_io();
	return 0;
}

static void __exit pvops_exit(void)
{
	pr_info("pvops: exit, irqs %s\n", irqs_disabled() ? "disabled" : "enabled");
}

module_init(pvops_init);
module_exit(pvops_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Paravirt operations called by module code");
