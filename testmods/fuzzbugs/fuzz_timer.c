// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_timer - init arms a timer "delay" milliseconds out and succeeds; exit deletes it only when
 * delay is below 1000 (the bug), so a longer delay leaves a timer pointing into the freed module:
 * it fires after rmmod and the kernel oopses in interrupt context.
 */
#include <linux/init.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/timer.h>

static int delay = 10;
module_param(delay, int, 0444);
MODULE_PARM_DESC(delay, "Milliseconds until the timer fires (1..60000)");

static struct timer_list fuzz_timer;
static int fired;

static void fuzz_timer_fn(struct timer_list *t)
{
	fired++;
}

static int __init fuzz_timer_init(void)
{
	if (delay < 1 || delay > 60000)
		return -EINVAL;
	timer_setup(&fuzz_timer, fuzz_timer_fn, 0);
	mod_timer(&fuzz_timer, jiffies + msecs_to_jiffies(delay));
	return 0;
}

static void __exit fuzz_timer_exit(void)
{
	if (delay < 1000)	/* the bug: the timer must go whatever the delay */
		del_timer_sync(&fuzz_timer);
	pr_info("fuzz_timer: fired %d times\n", fired);
}

module_init(fuzz_timer_init);
module_exit(fuzz_timer_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kmodemu fuzzing target: a timer outliving its module for long delays");
