// SPDX-License-Identifier: GPL-2.0
/*
 * kthreads - kernel threads: a worker started with kthread_run() that does three rounds
 * (sleeping in between) and then waits to be stopped; a ping-pong handshake with completions
 * between init and a second thread; a mutex taken by a thread while init holds it; a thread that
 * is created but never woken, stopped at exit (kthread_stop returns -EINTR without running it).
 * The log does not depend on timing: every line is ordered by the handshakes.
 */
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched.h>

static struct task_struct *worker, *ponger, *locker, *sleeper;
static DECLARE_COMPLETION(three_rounds);
static DECLARE_COMPLETION(ping);
static DECLARE_COMPLETION(pong);
static DECLARE_COMPLETION(locked_once);
static DEFINE_MUTEX(lock);

static void wait_for_stop(void)
{
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
}

static int worker_fn(void *data)
{
	int n;

	for (n = 1; n <= 3 && !kthread_should_stop(); n++) {
		pr_info("kthreads: %s round %d, data %ld\n", current->comm, n, (long)data);
		msleep(10);
	}
	complete(&three_rounds);
	wait_for_stop();
	return n - 1;
}

static int ponger_fn(void *data)
{
	int i;

	for (i = 1; i <= 3; i++) {
		wait_for_completion(&ping);
		pr_info("kthreads: pong %d\n", i);
		complete(&pong);
	}
	wait_for_stop();
	return 100 + i - 1;
}

static int locker_fn(void *data)
{
	mutex_lock(&lock);
	pr_info("kthreads: locker got the mutex\n");
	mutex_unlock(&lock);
	complete(&locked_once);
	wait_for_stop();
	return 0;
}

static int never_fn(void *data)
{
	pr_info("kthreads: this never runs\n");
	return 0;
}

static int __init kthreads_init(void)
{
	int i;

	worker = kthread_run(worker_fn, (void *)42L, "kthr_worker");
	if (IS_ERR(worker))
		return PTR_ERR(worker);
	wait_for_completion(&three_rounds);
	pr_info("kthreads: worker did its rounds\n");

	ponger = kthread_run(ponger_fn, NULL, "kthr_ponger/%d", 7);
	for (i = 1; i <= 3; i++) {
		complete(&ping);
		wait_for_completion(&pong);
		pr_info("kthreads: ping %d answered\n", i);
	}

	mutex_lock(&lock);
	locker = kthread_run(locker_fn, NULL, "kthr_locker");
	msleep(20);
	pr_info("kthreads: init releases the mutex\n");
	mutex_unlock(&lock);
	wait_for_completion(&locked_once);

	sleeper = kthread_create(never_fn, NULL, "kthr_sleeper");
	pr_info("kthreads: threads %s, %s, %s, %s\n", worker->comm, ponger->comm, locker->comm, sleeper->comm);
	return 0;
}

static void __exit kthreads_exit(void)
{
	pr_info("kthreads: worker returned %d\n", kthread_stop(worker));
	pr_info("kthreads: ponger returned %d\n", kthread_stop(ponger));
	pr_info("kthreads: locker returned %d\n", kthread_stop(locker));
	pr_info("kthreads: never-woken thread returned %d\n", kthread_stop(sleeper));
}

module_init(kthreads_init);
module_exit(kthreads_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Kernel threads, completions and a contended mutex");
