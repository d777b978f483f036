// SPDX-License-Identifier: GPL-2.0
/*
 * liblocks - sleeping locks and RCU as module code uses them: rw_semaphores (nesting readers,
 * trylocks, downgrade, and a reader and a writer thread queued behind init's write lock, woken in
 * the kernel's order), counting semaphores (trylock, down_timeout expiring, a thread blocked in
 * down() until up()), RCU read-side nesting, call_rcu() callbacks (their context) with
 * rcu_barrier(), synchronize_rcu(), kfree_rcu(), and SRCU (a grace period waiting for a sleeping
 * reader thread, call_srcu() with srcu_barrier()), tasklets (high priority first, a disabled one
 * kept until enabled, tasklet_kill waiting for a queued one), the freezer as a kernel thread sees
 * it, lockrefs and reciprocal division. Threads are ordered by sleeps long enough for each to
 * block, so the log does not depend on timing.
 */
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/freezer.h>
#include <linux/interrupt.h>
#include <linux/lockref.h>
#include <linux/reciprocal_div.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/rwsem.h>
#include <linux/sched.h>
#include <linux/semaphore.h>
#include <linux/slab.h>
#include <linux/srcu.h>

static DECLARE_RWSEM(static_rwsem);
static struct rw_semaphore rw;
static struct semaphore sem;
static DEFINE_SEMAPHORE(static_sem);
DEFINE_STATIC_SRCU(static_srcu);
static struct srcu_struct dyn_srcu;
static DECLARE_COMPLETION(done_a);
static DECLARE_COMPLETION(done_b);
static DECLARE_COMPLETION(done_d);
static DECLARE_COMPLETION(done_e);

static int reader_a(void *data)
{
	pr_info("A: down_read\n");
	down_read(&rw);
	pr_info("A: got the read lock, contended %d\n", rwsem_is_contended(&rw));
	msleep(20);
	pr_info("A: up_read\n");
	up_read(&rw);
	complete(&done_a);
	return 0;
}

static int writer_b(void *data)
{
	pr_info("B: down_write\n");
	down_write(&rw);
	pr_info("B: got the write lock, contended %d\n", rwsem_is_contended(&rw));
	up_write(&rw);
	complete(&done_b);
	return 0;
}

static void test_rwsem(void)
{
	int a, b, ret;

	init_rwsem(&rw);
	pr_info("rwsem: locked %d\n", rwsem_is_locked(&rw));
	down_read(&rw);
	down_read(&rw);
	a = down_write_trylock(&rw);
	b = down_read_trylock(&rw);
	pr_info("two readers: locked %d, write trylock %d, read trylock %d\n", rwsem_is_locked(&rw), a, b);
	up_read(&rw);
	up_read(&rw);
	up_read(&rw);
	pr_info("released: locked %d\n", rwsem_is_locked(&rw));
	a = down_write_trylock(&rw);
	b = down_read_trylock(&rw);
	pr_info("write trylock %d, then read trylock %d, owner is current %d\n", a, b,
		atomic_long_read(&rw.owner) == (long)current);
	downgrade_write(&rw);
	a = down_read_trylock(&rw);
	b = down_write_trylock(&rw);
	pr_info("downgraded: read trylock %d, write trylock %d, reader owned %d\n", a, b,
		!!(atomic_long_read(&rw.owner) & 1));
	up_read(&rw);
	up_read(&rw);
	ret = down_read_killable(&rw);
	pr_info("down_read_killable: %d\n", ret);
	up_read(&rw);
	ret = down_write_killable(&rw);
	pr_info("down_write_killable: %d, locked %d\n", ret, rwsem_is_locked(&rw));
	up_write(&rw);

	down_write(&rw);
	kthread_run(reader_a, NULL, "lock_reader");
	msleep(10);
	kthread_run(writer_b, NULL, "lock_writer");
	msleep(10);
	pr_info("init: two waiters, contended %d; up_write\n", rwsem_is_contended(&rw));
	up_write(&rw);
	wait_for_completion(&done_a);
	wait_for_completion(&done_b);
	pr_info("rwsem: both threads done, locked %d\n", rwsem_is_locked(&rw));

	down_write(&static_rwsem);
	up_write(&static_rwsem);
	pr_info("static rwsem: locked %d\n", rwsem_is_locked(&static_rwsem));
}

static int sem_d(void *data)
{
	pr_info("D: down\n");
	down(&sem);
	pr_info("D: got the semaphore\n");
	up(&sem);
	complete(&done_d);
	return 0;
}

static void test_semaphore(void)
{
	int ret;

	sema_init(&sem, 2);
	down(&sem);
	ret = down_interruptible(&sem);
	pr_info("semaphore: two downs (%d)\n", ret);
	ret = down_trylock(&sem);
	pr_info("trylock %d\n", ret);
	up(&sem);
	ret = down_trylock(&sem);
	pr_info("after up: trylock %d, count %u\n", ret, sem.count);
	ret = down_timeout(&sem, HZ / 10);
	pr_info("down_timeout on 0: %d\n", ret);
	ret = down_timeout(&sem, 0);
	pr_info("down_timeout 0 jiffies: %d\n", ret);
	kthread_run(sem_d, NULL, "sem_waiter");
	msleep(10);
	pr_info("init: up, waiters %d\n", !list_empty(&sem.wait_list));
	up(&sem);
	wait_for_completion(&done_d);
	ret = down_killable(&static_sem);
	pr_info("semaphore count %u, killable %d\n", sem.count, ret);
	up(&static_sem);
}

struct item {
	int value;
	struct rcu_head rcu;
};

static void item_cb(struct rcu_head *head)
{
	struct item *it = container_of(head, struct item, rcu);

	pr_info("rcu callback: value %d, in_softirq %d, in_task %d\n", it->value, !!in_softirq(), !!in_task());
	kfree(it);
}

static void test_rcu(void)
{
	struct item *it = kmalloc(sizeof(*it), GFP_KERNEL);
	struct item *it2 = kmalloc(sizeof(*it2), GFP_KERNEL);
	int depth[3];

	rcu_read_lock();
	depth[0] = rcu_preempt_depth();
	rcu_read_lock();
	depth[1] = rcu_preempt_depth();
	rcu_read_unlock();
	rcu_read_unlock();
	depth[2] = rcu_preempt_depth();
	pr_info("rcu depth %d %d %d\n", depth[0], depth[1], depth[2]);
	it->value = 7;
	call_rcu(&it->rcu, item_cb);
	rcu_barrier();
	pr_info("rcu_barrier returned\n");
	synchronize_rcu();
	pr_info("synchronize_rcu returned\n");
	synchronize_rcu_expedited();
	it2->value = 8;
	kfree_rcu(it2, rcu);
	pr_info("kfree_rcu queued\n");
}

static int srcu_reader(void *data)
{
	int idx = srcu_read_lock(&dyn_srcu);

	pr_info("E: in SRCU read section, sleeping\n");
	msleep(30);
	pr_info("E: srcu_read_unlock\n");
	srcu_read_unlock(&dyn_srcu, idx);
	complete(&done_e);
	return 0;
}

static struct rcu_head srcu_head;

static void srcu_cb(struct rcu_head *head)
{
	pr_info("srcu callback: in_softirq %d\n", !!in_softirq());
}

static void test_srcu(void)
{
	int idx, ret;

	ret = init_srcu_struct(&dyn_srcu);
	idx = srcu_read_lock(&dyn_srcu);
	pr_info("srcu: init %d, idx %d\n", ret, idx);
	srcu_read_unlock(&dyn_srcu, idx);
	synchronize_srcu(&dyn_srcu);
	pr_info("synchronize_srcu with no readers returned\n");
	kthread_run(srcu_reader, NULL, "srcu_reader");
	msleep(10);
	pr_info("init: synchronize_srcu\n");
	synchronize_srcu(&dyn_srcu);
	pr_info("synchronize_srcu returned\n");
	wait_for_completion(&done_e);
	call_srcu(&dyn_srcu, &srcu_head, srcu_cb);
	srcu_barrier(&dyn_srcu);
	pr_info("srcu_barrier returned\n");
	cleanup_srcu_struct(&dyn_srcu);
	idx = srcu_read_lock(&static_srcu);
	srcu_read_unlock(&static_srcu, idx);
	synchronize_srcu(&static_srcu);
	pr_info("static srcu done\n");
}

static struct tasklet_struct t1, t2, t3;
static int t1_runs;

static void t1_cb(struct tasklet_struct *t)
{
	t1_runs++;
	pr_info("tasklet 1 (callback): run %d, in_softirq %d, is t1 %d\n", t1_runs, !!in_softirq(), t == &t1);
}

static void t2_fn(unsigned long data)
{
	pr_info("tasklet 2 (func): data %lu, in_softirq %d\n", data, !!in_softirq());
}

static void t3_cb(struct tasklet_struct *t)
{
	pr_info("tasklet 3 (hi): in_softirq %d\n", !!in_softirq());
}

static void test_tasklets(void)
{
	tasklet_setup(&t1, t1_cb);
	tasklet_init(&t2, t2_fn, 42);
	tasklet_setup(&t3, t3_cb);
	tasklet_schedule(&t1);
	tasklet_schedule(&t1);
	tasklet_schedule(&t2);
	tasklet_hi_schedule(&t3);
	pr_info("tasklets scheduled: t1 state %lu\n", t1.state);
	msleep(10);
	pr_info("after a sleep: t1 runs %d, state %lu\n", t1_runs, t1.state);
	tasklet_disable(&t1);
	tasklet_schedule(&t1);
	msleep(20);
	pr_info("disabled: runs %d, still scheduled %d\n", t1_runs, test_bit(TASKLET_STATE_SCHED, &t1.state));
	tasklet_enable(&t1);
	msleep(20);
	pr_info("enabled: runs %d, scheduled %d\n", t1_runs, test_bit(TASKLET_STATE_SCHED, &t1.state));
	tasklet_schedule(&t2);
	tasklet_kill(&t2);
	pr_info("tasklet_kill returned, t2 state %lu\n", t2.state);
	tasklet_kill(&t1);
	tasklet_kill(&t3);
}

static DECLARE_COMPLETION(done_f);

static int freezable_fn(void *data)
{
	bool f = set_freezable();

	pr_info("F: set_freezable %d, nofreeze %d, freezing %d, try_to_freeze %d\n", f,
		!!(current->flags & PF_NOFREEZE), freezing(current), try_to_freeze());
	complete(&done_f);
	return 0;
}

static void test_misc(void)
{
	struct lockref lr = { .count = 1 };
	struct reciprocal_value r;
	int ret;

	spin_lock_init(&lr.lock);
	kthread_run(freezable_fn, NULL, "freezable");
	wait_for_completion(&done_f);
	lockref_get(&lr);
	pr_info("lockref_get: %d\n", lr.count);
	ret = lockref_put_return(&lr);
	pr_info("lockref_put_return: %d\n", ret);
	ret = lockref_put_or_lock(&lr);
	pr_info("lockref_put_or_lock at 1: %d, locked %d\n", ret, spin_is_locked(&lr.lock));
	lockref_mark_dead(&lr);
	spin_unlock(&lr.lock);
	ret = lockref_get_not_dead(&lr);
	pr_info("dead: get_not_dead %d, count %d, get_not_zero %d\n", ret, lr.count, lockref_get_not_zero(&lr));
	r = reciprocal_value(7);
	pr_info("reciprocal_value(7): m %u sh1 %u sh2 %u, 100/7 = %u\n", r.m, r.sh1, r.sh2,
		reciprocal_divide(100, r));
	r = reciprocal_value(1000);
	pr_info("reciprocal_value(1000): m %u sh1 %u sh2 %u, 123456/1000 = %u\n", r.m, r.sh1, r.sh2,
		reciprocal_divide(123456, r));
}

static int __init liblocks_init(void)
{
	test_rwsem();
	test_semaphore();
	test_rcu();
	test_srcu();
	test_tasklets();
	test_misc();
	return 0;
}

static void __exit liblocks_exit(void)
{
	rcu_barrier();
	pr_info("liblocks: done\n");
}

module_init(liblocks_init);
module_exit(liblocks_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kmodemu test: rwsem, semaphore, rcu, srcu");
