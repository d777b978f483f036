// SPDX-License-Identifier: GPL-2.0
/*
 * leftover - registers a proc entry, arms a timer, an hrtimer and a delayed work an hour out, and
 * its exit forgets all of them: after rmmod they point into freed module memory.
 */
#include <linux/hrtimer.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/timer.h>
#include <linux/workqueue.h>

static struct timer_list timer;
static struct hrtimer hrtimer;

static void timer_fn(struct timer_list *t)
{
	pr_info("leftover: timer\n");
}

static enum hrtimer_restart hrtimer_fn(struct hrtimer *t)
{
	pr_info("leftover: hrtimer\n");
	return HRTIMER_NORESTART;
}

static void work_fn(struct work_struct *w)
{
	pr_info("leftover: work\n");
}

static DECLARE_DELAYED_WORK(work, work_fn);

static int show(struct seq_file *m, void *v)
{
	seq_puts(m, "still here\n");
	return 0;
}

static int __init leftover_init(void)
{
	proc_create_single("leftover", 0444, NULL, show);
	timer_setup(&timer, timer_fn, 0);
	mod_timer(&timer, jiffies + 3600 * HZ);
	hrtimer_init(&hrtimer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	hrtimer.function = hrtimer_fn;
	hrtimer_start(&hrtimer, ktime_set(3600, 0), HRTIMER_MODE_REL);
	schedule_delayed_work(&work, 3600 * HZ);
	pr_info("leftover: loaded\n");
	return 0;
}

static void __exit leftover_exit(void)
{
	pr_info("leftover: exit, forgetting everything\n");
}

module_init(leftover_init);
module_exit(leftover_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Module that leaves things registered at exit");
