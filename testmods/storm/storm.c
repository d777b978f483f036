// SPDX-License-Identifier: GPL-2.0
/*
 * storm - many small deferred things: `timers` timer_lists armed 1 to 10 jiffies out, `works`
 * work items queued on system_wq, a tasklet scheduled from a timer and from process context, and
 * `switches` rounds of a completion ping-pong between init and a kernel thread. Init waits for
 * all of them and logs only counts, so the log is the same on every run. Also what kmodemu's
 * benchmark times (10,000 timers or work items, context switches).
 */
#include <linux/completion.h>
#include <linux/init.h>
#include <linux/interrupt.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/timer.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

static int timers = 100;
module_param(timers, int, 0444);
static int works = 100;
module_param(works, int, 0444);
static int switches = 100;
module_param(switches, int, 0444);

struct item {
	struct timer_list timer;
	struct work_struct work;
};

static struct item *items;
static int timers_fired, works_ran, tasklet_ran, tasklet_in_softirq = 1;
static DECLARE_WAIT_QUEUE_HEAD(done_wq);
static DECLARE_COMPLETION(ping);
static DECLARE_COMPLETION(pong);
static struct tasklet_struct tasklet;

static void tasklet_fn(struct tasklet_struct *t)
{
	tasklet_ran++;
	tasklet_in_softirq &= !!in_softirq();
}

static void timer_fn(struct timer_list *t)
{
	if (++timers_fired == 1)
		tasklet_schedule(&tasklet);
	wake_up(&done_wq);
}

static void work_fn(struct work_struct *w)
{
	works_ran++;
	wake_up(&done_wq);
}

static int ponger(void *data)
{
	int i;

	for (i = 0; i < switches; i++) {
		wait_for_completion(&ping);
		complete(&pong);
	}
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
	return i;
}

static int __init storm_init(void)
{
	struct task_struct *t;
	int i, n = max(timers, works);

	items = kcalloc(n, sizeof(*items), GFP_KERNEL);
	if (!items)
		return -ENOMEM;
	tasklet_setup(&tasklet, tasklet_fn);
	for (i = 0; i < timers; i++) {
		timer_setup(&items[i].timer, timer_fn, 0);
		mod_timer(&items[i].timer, jiffies + 1 + i % 10);
	}
	wait_event(done_wq, timers_fired == timers);
	pr_info("storm: %d timers fired\n", timers_fired);

	for (i = 0; i < works; i++) {
		INIT_WORK(&items[i].work, work_fn);
		schedule_work(&items[i].work);
	}
	wait_event(done_wq, works_ran == works);
	pr_info("storm: %d work items ran\n", works_ran);

	tasklet_schedule(&tasklet);
	tasklet_kill(&tasklet);
	pr_info("storm: tasklet ran %d times, in softirq: %d\n", tasklet_ran, tasklet_in_softirq);

	t = kthread_run(ponger, NULL, "storm_ponger");
	if (IS_ERR(t))
		return PTR_ERR(t);
	for (i = 0; i < switches; i++) {
		complete(&ping);
		wait_for_completion(&pong);
	}
	pr_info("storm: %d ping-pong rounds, ponger returned %d\n", switches, kthread_stop(t));
	return 0;
}

static void __exit storm_exit(void)
{
	kfree(items);
}

module_init(storm_init);
module_exit(storm_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Many timers, work items, a tasklet and kthread ping-pong");
