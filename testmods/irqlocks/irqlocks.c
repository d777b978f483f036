// SPDX-License-Identifier: GPL-2.0
/*
 * irqlocks - the interrupt state around the out-of-line lock functions of
 * kernel/locking/spinlock.c: spin_lock_irqsave/spin_unlock_irqrestore (also nested, and with
 * flags saved while interrupts were already off), spin_lock_irq/spin_unlock_irq,
 * read_lock_irqsave/read_unlock_irqrestore, write_lock_irqsave/write_unlock_irqrestore, and the
 * saved flags themselves (only RFLAGS' 32 low bits can be set). Init returns with interrupts on,
 * so do_one_initcall has nothing to warn about.
 */
#include <linux/init.h>
#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/spinlock.h>

static DEFINE_SPINLOCK(outer);
static DEFINE_SPINLOCK(inner);
static DEFINE_RWLOCK(rw);

static const char *irqs(void)
{
	return irqs_disabled() ? "off" : "on";
}

static void show_flags(const char *what, unsigned long flags)
{
	pr_info("irqlocks: %s: flags IF %s, bits above 31 %s\n", what,
		flags & X86_EFLAGS_IF ? "set" : "clear", flags >> 32 ? "set" : "clear");
}

static int __init irqlocks_init(void)
{
	unsigned long flags, flags2;

	spin_lock_irqsave(&outer, flags);
	pr_info("irqlocks: spin_lock_irqsave: irqs %s\n", irqs());
	show_flags("spin_lock_irqsave", flags);
	spin_lock_irqsave(&inner, flags2);
	show_flags("nested spin_lock_irqsave", flags2);
	spin_unlock_irqrestore(&inner, flags2);
	pr_info("irqlocks: nested spin_unlock_irqrestore: irqs %s\n", irqs());
	spin_unlock_irqrestore(&outer, flags);
	pr_info("irqlocks: spin_unlock_irqrestore: irqs %s\n", irqs());

	local_irq_disable();
	spin_lock_irqsave(&outer, flags);
	show_flags("spin_lock_irqsave with irqs off", flags);
	spin_unlock_irqrestore(&outer, flags);
	pr_info("irqlocks: spin_unlock_irqrestore of those flags: irqs %s\n", irqs());
	local_irq_enable();

	spin_lock_irq(&outer);
	pr_info("irqlocks: spin_lock_irq: irqs %s\n", irqs());
	spin_unlock_irq(&outer);
	pr_info("irqlocks: spin_unlock_irq: irqs %s\n", irqs());

	read_lock_irqsave(&rw, flags);
	pr_info("irqlocks: read_lock_irqsave: irqs %s\n", irqs());
	read_unlock_irqrestore(&rw, flags);
	pr_info("irqlocks: read_unlock_irqrestore: irqs %s\n", irqs());

	write_lock_irqsave(&rw, flags);
	pr_info("irqlocks: write_lock_irqsave: irqs %s\n", irqs());
	write_unlock_irqrestore(&rw, flags);
	pr_info("irqlocks: write_unlock_irqrestore: irqs %s\n", irqs());
	return 0;
}

static void __exit irqlocks_exit(void)
{
	unsigned long flags;

	spin_lock_irqsave(&outer, flags);
	spin_unlock_irqrestore(&outer, flags);
	pr_info("irqlocks: exit, irqs %s\n", irqs());
}

module_init(irqlocks_init);
module_exit(irqlocks_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Interrupt state around spinlock and rwlock irqsave/irqrestore");
