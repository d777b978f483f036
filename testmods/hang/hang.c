// SPDX-License-Identifier: GPL-2.0
/*
 * hang - tasks that sleep uninterruptibly forever on the kernel's other waiting primitives:
 * a kernel thread in down() on a semaphore nobody ups, one in wait_event() on a condition that
 * never holds, one in a bare schedule() in TASK_UNINTERRUPTIBLE, and init itself in
 * wait_for_completion() on a completion nobody completes. khungtaskd reports each of them.
 */
#include <linux/completion.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/semaphore.h>
#include <linux/wait.h>

static DEFINE_SEMAPHORE(sem);
static DECLARE_WAIT_QUEUE_HEAD(wq);
static DECLARE_COMPLETION(never);
static DECLARE_COMPLETION(started);
static int flag;

static int down_fn(void *data)
{
	pr_info("hang: down\n");
	complete(&started);
	down(&sem);
	return 0;
}

static int wait_event_fn(void *data)
{
	pr_info("hang: wait_event\n");
	complete(&started);
	wait_event(wq, READ_ONCE(flag));
	return 0;
}

static int schedule_fn(void *data)
{
	pr_info("hang: schedule\n");
	complete(&started);
	set_current_state(TASK_UNINTERRUPTIBLE);
	schedule();
	return 0;
}

static int __init hang_init(void)
{
	down(&sem);
	kthread_run(down_fn, NULL, "hang_down");
	wait_for_completion(&started);
	kthread_run(wait_event_fn, NULL, "hang_wait_event");
	wait_for_completion(&started);
	kthread_run(schedule_fn, NULL, "hang_schedule");
	wait_for_completion(&started);
	pr_info("hang: init waits\n");
	wait_for_completion(&never);
	return 0;
}

static void __exit hang_exit(void)
{
}

module_init(hang_init);
module_exit(hang_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Tasks sleeping forever in down(), wait_event(), schedule() and wait_for_completion()");
