// SPDX-License-Identifier: GPL-2.0
/*
 * deadlock - an ABBA deadlock on purpose: init takes mutex a, starts a kernel thread that takes
 * mutex b and then wants a, waits until the thread holds b, then wants b itself. Both tasks sleep
 * in mutex_lock (TASK_UNINTERRUPTIBLE) forever; the real kernel's khungtaskd reports them after
 * 120 s, and insmod never returns.
 */
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/mutex.h>

static DEFINE_MUTEX(a);
static DEFINE_MUTEX(b);
static DECLARE_COMPLETION(has_b);

static int thread_fn(void *data)
{
	mutex_lock(&b);
	pr_info("deadlock: thread holds b, wants a\n");
	complete(&has_b);
	mutex_lock(&a);
	pr_info("deadlock: thread got a (never)\n");
	mutex_unlock(&a);
	mutex_unlock(&b);
	return 0;
}

static int __init deadlock_init(void)
{
	mutex_lock(&a);
	pr_info("deadlock: init holds a\n");
	kthread_run(thread_fn, NULL, "deadlock_thr");
	wait_for_completion(&has_b);
	pr_info("deadlock: init wants b\n");
	mutex_lock(&b);
	pr_info("deadlock: init got b (never)\n");
	mutex_unlock(&b);
	mutex_unlock(&a);
	return 0;
}

static void __exit deadlock_exit(void)
{
}

module_init(deadlock_init);
module_exit(deadlock_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("An ABBA deadlock between init and a kernel thread");
