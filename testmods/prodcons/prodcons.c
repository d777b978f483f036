// SPDX-License-Identifier: GPL-2.0
/*
 * prodcons - a work queue producer/consumer: a kernel thread produces numbered items into a
 * kfifo under a spinlock and queues the consumer work on an ordered workqueue of the module's
 * own; the work drains the fifo and adds the items up. The producer sleeps a jiffy between
 * batches (msleep) and stops after `items`; init waits for the last item to be consumed.
 * /proc/prodcons shows the counts; exit stops nothing that is still running (all done) and
 * destroys the workqueue.
 */
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/kfifo.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

static int items = 100;
module_param(items, int, 0444);
MODULE_PARM_DESC(items, "How many items the producer makes");

static int batch = 8;
module_param(batch, int, 0444);
MODULE_PARM_DESC(batch, "Items produced between two sleeps");

static DEFINE_KFIFO(fifo, int, 16);
static DEFINE_SPINLOCK(lock);
static struct workqueue_struct *wq;
static DECLARE_COMPLETION(all_consumed);
static int produced, consumed, full_waits, works_run;
static long sum;

static void consume(struct work_struct *work)
{
	int v;

	works_run++;
	spin_lock(&lock);
	while (kfifo_get(&fifo, &v)) {
		consumed++;
		sum += v;
	}
	spin_unlock(&lock);
	if (consumed == items)
		complete(&all_consumed);
}
static DECLARE_WORK(consumer, consume);

static int produce(void *data)
{
	int i = 0;

	while (i < items) {
		int n;

		for (n = 0; n < batch && i < items; n++) {
			int ok;

			spin_lock(&lock);
			ok = kfifo_put(&fifo, i + 1);
			spin_unlock(&lock);
			if (!ok) {
				full_waits++;
				break;
			}
			produced++;
			i++;
		}
		queue_work(wq, &consumer);
		msleep(1);
	}
	return 0;
}

static int prodcons_show(struct seq_file *m, void *v)
{
	seq_printf(m, "produced %d consumed %d sum %ld full %d\n", produced, consumed, sum, full_waits);
	return 0;
}

static int __init prodcons_init(void)
{
	struct task_struct *t;

	if (items < 0 || batch <= 0)
		return -EINVAL;
	wq = alloc_ordered_workqueue("prodcons", 0);
	if (!wq)
		return -ENOMEM;
	t = kthread_run(produce, NULL, "prodcons_producer");
	if (IS_ERR(t)) {
		destroy_workqueue(wq);
		return PTR_ERR(t);
	}
	if (items)
		wait_for_completion(&all_consumed);
	proc_create_single("prodcons", 0444, NULL, prodcons_show);
	pr_info("prodcons: %d items, sum %ld, %d full waits, consumer ran %s\n", consumed, sum, full_waits,
		works_run > 1 ? "more than once" : "once");
	return 0;
}

static void __exit prodcons_exit(void)
{
	remove_proc_entry("prodcons", NULL);
	destroy_workqueue(wq);
	pr_info("prodcons: done\n");
}

module_init(prodcons_init);
module_exit(prodcons_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("A kernel thread producing into a kfifo, consumed by work on an ordered workqueue");
