// SPDX-License-Identifier: GPL-2.0
/*
 * irqtest: request_irq() of the lines given in irqs= (IRQF_SHARED with shared=1), a handler that
 * counts and reports its context, free_irq() at exit of the ones it got; with keep=1 exit does
 * not free them. /proc/irqtest shows the count; writing "disable N" or "enable N" to it calls
 * disable_irq()/enable_irq() on line N.
 */
#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

static int irqs[16];
static int nirqs;
module_param_array(irqs, int, &nirqs, 0444);
MODULE_PARM_DESC(irqs, "Interrupt lines to request");

static bool shared;
module_param(shared, bool, 0444);
MODULE_PARM_DESC(shared, "Request with IRQF_SHARED");

static bool keep;
module_param(keep, bool, 0444);
MODULE_PARM_DESC(keep, "Do not free the interrupts at exit");

static int cookie;
static int count;
static bool got[16];

static irqreturn_t irqtest_handler(int irq, void *dev_id)
{
	count++;
	pr_info("irq %d: run %d, in_hardirq %d, in_interrupt %d, irqs_disabled %d, dev_id %s\n", irq, count,
		!!in_hardirq(), !!in_interrupt(), irqs_disabled(), dev_id == &cookie ? "ours" : "other");
	return IRQ_HANDLED;
}

static int irqtest_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%d\n", count);
	return 0;
}

static int irqtest_open(struct inode *inode, struct file *file)
{
	return single_open(file, irqtest_show, NULL);
}

static ssize_t irqtest_write(struct file *file, const char __user *buf, size_t count, loff_t *ppos)
{
	char cmd[32];
	unsigned int irq;

	if (count >= sizeof(cmd) || copy_from_user(cmd, buf, count))
		return -EINVAL;
	cmd[count] = '\0';
	if (sscanf(cmd, "disable %u", &irq) == 1)
		disable_irq(irq);
	else if (sscanf(cmd, "enable %u", &irq) == 1)
		enable_irq(irq);
	else
		return -EINVAL;
	return count;
}

static const struct proc_ops irqtest_ops = {
	.proc_open = irqtest_open,
	.proc_read = seq_read,
	.proc_lseek = seq_lseek,
	.proc_release = single_release,
	.proc_write = irqtest_write,
};

static int __init irqtest_init(void)
{
	int i;

	for (i = 0; i < nirqs; i++) {
		int ret = request_irq(irqs[i], irqtest_handler, shared ? IRQF_SHARED : 0, "irqtest", &cookie);

		pr_info("request_irq(%d): %d\n", irqs[i], ret);
		got[i] = ret == 0;
	}
	proc_create("irqtest", 0644, NULL, &irqtest_ops);
	return 0;
}

static void __exit irqtest_exit(void)
{
	int i;

	remove_proc_entry("irqtest", NULL);
	for (i = 0; i < nirqs && !keep; i++) {
		if (got[i]) {
			const char *name = free_irq(irqs[i], &cookie);

			pr_info("free_irq(%d): %s\n", irqs[i], name ? name : "(null)");
		}
	}
}

module_init(irqtest_init);
module_exit(irqtest_exit);
MODULE_LICENSE("GPL");
