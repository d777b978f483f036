// SPDX-License-Identifier: GPL-2.0
/*
 * irqdescs: two interrupt descriptors of its own (irq_alloc_descs), a chip whose mask/unmask
 * are logged, handle_simple_irq on the first (requested with a handler) and a nested-thread
 * line on the second (requested with a thread function only). Writing "simple" to
 * /proc/irqdescs runs generic_handle_irq(base), "nested" handle_nested_irq(base + 1),
 * "disable"/"enable" disable_irq/enable_irq(base).
 */
#include <linux/module.h>
#include <linux/irq.h>
#include <linux/interrupt.h>
#include <linux/proc_fs.h>
#include <linux/uaccess.h>

static int base;
static int hits;

static void chip_mask(struct irq_data *d)
{
	pr_info("irqdescs: mask %d (data %s)\n", d->irq - base, (char *)irq_data_get_irq_chip_data(d));
}

static void chip_unmask(struct irq_data *d)
{
	pr_info("irqdescs: unmask %d (data %s)\n", d->irq - base, (char *)irq_data_get_irq_chip_data(d));
}

static struct irq_chip chip = {
	.name = "irqdescs",
	.irq_mask = chip_mask,
	.irq_unmask = chip_unmask,
};

static irqreturn_t handler(int irq, void *dev)
{
	hits++;
	pr_info("irqdescs: handler irq+%d in_hardirq %d\n", irq - base, !!in_hardirq());
	return IRQ_HANDLED;
}

static irqreturn_t thread_fn(int irq, void *dev)
{
	hits++;
	pr_info("irqdescs: thread irq+%d in_hardirq %d\n", irq - base, !!in_hardirq());
	return IRQ_HANDLED;
}

static ssize_t irqdescs_write(struct file *file, const char __user *buf, size_t len, loff_t *off)
{
	char cmd[16] = {};

	if (copy_from_user(cmd, buf, min(len, sizeof(cmd) - 1)))
		return -EFAULT;
	if (!strncmp(cmd, "simple", 6))
		pr_info("irqdescs: generic_handle_irq %d\n", generic_handle_irq(base));
	else if (!strncmp(cmd, "nested", 6))
		handle_nested_irq(base + 1);
	else if (!strncmp(cmd, "disable", 7))
		disable_irq(base);
	else if (!strncmp(cmd, "enable", 6))
		enable_irq(base);
	else
		return -EINVAL;
	pr_info("irqdescs: hits %d\n", hits);
	return len;
}

static const struct proc_ops ops = {
	.proc_write = irqdescs_write,
};

static int __init irqdescs_init(void)
{
	int ret, i;

	base = irq_alloc_descs(-1, 0, 2, 0);
	pr_info("irqdescs: base %d, above the IO-APIC %d, again at base %d\n", base, base >= 24,
		irq_alloc_descs(base, base, 1, 0));
	if (base < 0)
		return base;
	pr_info("irqdescs: request before a chip %d\n", request_irq(base, handler, 0, "irqdescs", &base));
	for (i = 0; i < 2; i++) {
		irq_set_chip(base + i, &chip);
		irq_set_chip_data(base + i, i ? "second" : "first");
		irq_set_handler(base + i, handle_simple_irq);
	}
	irq_set_nested_thread(base + 1, true);
	irq_modify_status(base, IRQ_NOREQUEST | IRQ_NOAUTOEN, IRQ_NOPROBE);
	ret = request_irq(base, handler, 0, "irqdescs", &base);
	pr_info("irqdescs: request %d, nested without thread %d\n", ret,
		request_irq(base + 1, handler, 0, "irqdescs", &base));
	ret = request_threaded_irq(base + 1, NULL, thread_fn, IRQF_ONESHOT, "irqdescs-nested", &base);
	pr_info("irqdescs: nested request %d, chip %s\n", ret, irq_get_irq_data(base)->chip->name);
	proc_create("irqdescs", 0200, NULL, &ops);
	return 0;
}

static void __exit irqdescs_exit(void)
{
	remove_proc_entry("irqdescs", NULL);
	free_irq(base + 1, &base);
	free_irq(base, &base);
	irq_free_descs(base, 2);
}

module_init(irqdescs_init);
module_exit(irqdescs_exit);
MODULE_LICENSE("GPL");
