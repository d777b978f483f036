// SPDX-License-Identifier: GPL-2.0
/*
 * lockbug - one locking bug in init, chosen by a parameter: a spinlock taken and never released
 * (init returns with it held; exit takes it again and spins), sleeping with a spinlock held
 * (msleep, or mutex_lock), a spinlock or mutex released that was never taken.
 */
#include <linux/delay.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/string.h>

static char *bug = "none";
module_param(bug, charp, 0444);
MODULE_PARM_DESC(bug, "held, sleep, mutex, unlock, mutexunlock or none");

static DEFINE_SPINLOCK(lockbug_lock);
static DEFINE_MUTEX(lockbug_mutex);

static int __init lockbug_init(void)
{
	if (!strcmp(bug, "held")) {
		spin_lock(&lockbug_lock);
		pr_info("lockbug: returning with lockbug_lock held\n");
	} else if (!strcmp(bug, "sleep")) {
		spin_lock(&lockbug_lock);
		pr_info("lockbug: sleeping with lockbug_lock held\n");
		msleep(10);
		spin_unlock(&lockbug_lock);
	} else if (!strcmp(bug, "mutex")) {
		spin_lock(&lockbug_lock);
		pr_info("lockbug: taking a mutex with lockbug_lock held\n");
		mutex_lock(&lockbug_mutex);
		mutex_unlock(&lockbug_mutex);
		spin_unlock(&lockbug_lock);
	} else if (!strcmp(bug, "unlock")) {
		pr_info("lockbug: releasing lockbug_lock, not held\n");
		spin_unlock(&lockbug_lock);
	} else if (!strcmp(bug, "mutexunlock")) {
		pr_info("lockbug: releasing lockbug_mutex, not held\n");
		mutex_unlock(&lockbug_mutex);
	}
	pr_info("lockbug: loaded\n");
	return 0;
}

static void __exit lockbug_exit(void)
{
	spin_lock(&lockbug_lock);
	spin_unlock(&lockbug_lock);
	pr_info("lockbug: exit\n");
}

module_init(lockbug_init);
module_exit(lockbug_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Module with one locking bug in init");
