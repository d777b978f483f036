// SPDX-License-Identifier: GPL-2.0
/*
 * deferred - code that runs later, checked so that the log is the same on every run of the
 * real kernel: a periodic timer_list that re-arms itself three times and wakes a wait queue, a
 * work item and a delayed work item signalling completions, an hrtimer, msleep/usleep_range/
 * udelay against jiffies and ktime, the contexts each callback runs in (in_softirq, in_task,
 * the kworker's comm), and a timer plus delayed work left for exit to cancel.
 * /proc/deferred shows the counters; reading it does not depend on timing.
 */
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/hrtimer.h>
#include <linux/init.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/timer.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

static struct timer_list tick_timer;
static int ticks;
static bool tick_in_softirq = true;
static DECLARE_WAIT_QUEUE_HEAD(tick_wq);

static struct work_struct work;
static bool work_in_task;
static char work_comm[TASK_COMM_LEN];
static DECLARE_COMPLETION(work_done);

static struct delayed_work dwork;
static unsigned long dwork_queued_at, dwork_ran_at;
static DECLARE_COMPLETION(dwork_done);

static struct hrtimer hrt;
static int hrt_fired;
static DECLARE_COMPLETION(hrt_done);

static struct timer_list idle_timer;
static struct delayed_work idle_dwork;
static struct workqueue_struct *wq;

static void tick_fn(struct timer_list *t)
{
	tick_in_softirq &= !!in_softirq();
	if (++ticks < 3)
		mod_timer(&tick_timer, jiffies + msecs_to_jiffies(20));
	wake_up(&tick_wq);
}

static void work_fn(struct work_struct *w)
{
	work_in_task = in_task();
	strscpy(work_comm, current->comm, sizeof(work_comm));
	complete(&work_done);
}

static void dwork_fn(struct work_struct *w)
{
	dwork_ran_at = jiffies;
	complete(&dwork_done);
}

static enum hrtimer_restart hrt_fn(struct hrtimer *t)
{
	if (++hrt_fired < 2) {
		hrtimer_forward_now(t, ms_to_ktime(2));
		return HRTIMER_RESTART;
	}
	complete(&hrt_done);
	return HRTIMER_NORESTART;
}

static void never_fn(struct timer_list *t)
{
	pr_info("deferred: the idle timer fired\n");
}

static void never_work_fn(struct work_struct *w)
{
	pr_info("deferred: the idle delayed work ran\n");
}

static int deferred_show(struct seq_file *m, void *v)
{
	seq_printf(m, "ticks %d\nhrtimer %d\n", ticks, hrt_fired);
	return 0;
}

static int __init deferred_init(void)
{
	unsigned long j0 = jiffies, left;
	ktime_t t0 = ktime_get();
	long ret;

	msleep(20);
	pr_info("deferred: msleep(20) took %s\n",
		time_after_eq(jiffies, j0 + msecs_to_jiffies(20)) ? "at least 20 ms" : "less than 20 ms");
	t0 = ktime_get();
	usleep_range(1000, 2000);
	pr_info("deferred: usleep_range(1000, 2000) took %s\n",
		ktime_us_delta(ktime_get(), t0) >= 1000 ? "at least 1000 us" : "less");
	t0 = ktime_get();
	udelay(50);
	pr_info("deferred: udelay(50) took %s\n", ktime_us_delta(ktime_get(), t0) >= 50 ? "at least 50 us" : "less");

	timer_setup(&tick_timer, tick_fn, 0);
	mod_timer(&tick_timer, jiffies + msecs_to_jiffies(20));
	pr_info("deferred: timer pending: %d\n", timer_pending(&tick_timer));
	ret = wait_event_timeout(tick_wq, ticks == 3, HZ);
	pr_info("deferred: ticks %d, wait %s, timer callbacks in softirq: %d, pending now: %d\n", ticks,
		ret ? "woken" : "timed out", tick_in_softirq, timer_pending(&tick_timer));

	INIT_WORK(&work, work_fn);
	pr_info("deferred: schedule_work: %d, again: %d, pending: %d\n", schedule_work(&work),
		schedule_work(&work), work_pending(&work));
	left = wait_for_completion_timeout(&work_done, HZ);
	pr_info("deferred: work %s, in task context: %d, by a kworker: %d, pending: %d\n",
		left ? "completed" : "timed out", work_in_task, !strncmp(work_comm, "kworker/", 8),
		work_pending(&work));

	wq = alloc_workqueue("deferred_wq", 0, 1);
	INIT_DELAYED_WORK(&dwork, dwork_fn);
	dwork_queued_at = jiffies;
	queue_delayed_work(wq, &dwork, msecs_to_jiffies(40));
	pr_info("deferred: delayed work pending: %d\n", delayed_work_pending(&dwork));
	wait_for_completion(&dwork_done);
	pr_info("deferred: delayed work ran %s\n",
		time_after_eq(dwork_ran_at, dwork_queued_at + msecs_to_jiffies(40)) ? "after its delay" : "too early");

	hrtimer_init(&hrt, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	hrt.function = hrt_fn;
	hrtimer_start(&hrt, ms_to_ktime(3), HRTIMER_MODE_REL);
	pr_info("deferred: hrtimer active: %d\n", hrtimer_active(&hrt));
	wait_for_completion(&hrt_done);
	pr_info("deferred: hrtimer fired %d times, active: %d\n", hrt_fired, hrtimer_active(&hrt));

	timer_setup(&idle_timer, never_fn, 0);
	mod_timer(&idle_timer, jiffies + 3600 * HZ);
	INIT_DELAYED_WORK(&idle_dwork, never_work_fn);
	schedule_delayed_work(&idle_dwork, 3600 * HZ);
	if (!proc_create_single("deferred", 0444, NULL, deferred_show))
		return -ENOMEM;
	return 0;
}

static void __exit deferred_exit(void)
{
	remove_proc_entry("deferred", NULL);
	pr_info("deferred: exit: idle timer was pending: %d, idle work was pending: %d\n",
		timer_delete_sync(&idle_timer), cancel_delayed_work_sync(&idle_dwork));
	pr_info("deferred: exit: cancel finished work: %d, flush idle work: %d\n",
		cancel_work_sync(&work), flush_work(&work));
	destroy_workqueue(wq);
}

module_init(deferred_init);
module_exit(deferred_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Timers, work items, hrtimers, completions and wait queues");
