// SPDX-License-Identifier: GPL-2.0
/*
 * sysctltest: kernel services of wide reach. A nested sysctl table (dev/sysctltest/: an int
 * vector of 3, an int with min 0 max 100, milliseconds in jiffies as unsigned long with a
 * minimum, a string) and the same directory's second table through register_sysctl(); a
 * duplicate registration (NULL); ISA DMA channel 3 (busy=1) in /proc/dma; reboot, PM and
 * restart notifiers and a notifier chain of its own with priorities and NOTIFY_STOP; a kthread
 * worker running, flushing and cancelling works; xa_store_range; init_uts_ns; pid_vnr(NULL).
 */
#include <linux/module.h>
#include <linux/sysctl.h>
#include <linux/reboot.h>
#include <linux/suspend.h>
#include <linux/notifier.h>
#include <linux/kthread.h>
#include <linux/xarray.h>
#include <linux/utsname.h>
#include <linux/pid.h>
#include <linux/delay.h>
#include <asm/dma.h>

static int busy = 1;
module_param(busy, int, 0444);
static int dup = 1;
module_param(dup, int, 0444);

static int vec[3] = { 1, -2, 3 };
static int level = 50;
static int zero;
static int hundred = 100;
static unsigned long delay_j = 250;
static unsigned long min_j = 25;
static char label[16] = "hello";
static int other = 7;

static struct ctl_table leaf[] = {
	{ .procname = "vec", .data = vec, .maxlen = sizeof(vec), .mode = 0644, .proc_handler = proc_dointvec },
	{ .procname = "level", .data = &level, .maxlen = sizeof(int), .mode = 0644,
	  .proc_handler = proc_dointvec_minmax, .extra1 = &zero, .extra2 = &hundred },
	{ .procname = "delay_ms", .data = &delay_j, .maxlen = sizeof(unsigned long), .mode = 0644,
	  .proc_handler = proc_doulongvec_ms_jiffies_minmax, .extra1 = &min_j },
	{ .procname = "label", .data = label, .maxlen = sizeof(label), .mode = 0444, .proc_handler = proc_dostring },
	{}
};
static struct ctl_table dir[] = {
	{ .procname = "sysctltest", .mode = 0555, .child = leaf },
	{}
};
static struct ctl_table root[] = {
	{ .procname = "dev", .mode = 0555, .child = dir },
	{}
};
static struct ctl_table second[] = {
	{ .procname = "other", .data = &other, .maxlen = sizeof(int), .mode = 0600, .proc_handler = proc_dointvec },
	{}
};

static struct ctl_table_header *hdr, *hdr2;

static int note(struct notifier_block *nb, unsigned long action, void *data)
{
	pr_info("sysctltest: notifier prio %d action %lu\n", nb->priority, action);
	return nb->priority == 5 ? NOTIFY_STOP : NOTIFY_OK;
}

static struct notifier_block reboot_nb = { .notifier_call = note };
static struct notifier_block pm_nb = { .notifier_call = note };
static struct notifier_block restart_nb = { .notifier_call = note, .priority = 128 };
static struct notifier_block c1 = { .notifier_call = note, .priority = 1 };
static struct notifier_block c5 = { .notifier_call = note, .priority = 5 };
static struct notifier_block c9 = { .notifier_call = note, .priority = 9 };
static BLOCKING_NOTIFIER_HEAD(chain);

static struct kthread_worker *worker;
static struct kthread_work w1, w2;
static int runs;

static void work_fn(struct kthread_work *work)
{
	runs++;
	pr_info("sysctltest: work %d in %s\n", work == &w1 ? 1 : 2, current->comm);
}

static DEFINE_XARRAY(xa);

static int __init sysctltest_init(void)
{
	int ret;

	hdr = register_sysctl_table(root);
	hdr2 = register_sysctl("dev/sysctltest", second);
	pr_info("sysctltest: tables %d %d\n", !!hdr, !!hdr2);
	if (dup)
		pr_info("sysctltest: duplicate %d\n", !!register_sysctl("dev/sysctltest", second));

	if (busy) {
		ret = request_dma(3, "sysctltest");
		pr_info("sysctltest: request_dma(3) %d, again %d, (4) %d, (8) %d\n", ret, request_dma(3, "x"),
			request_dma(4, "x"), request_dma(8, "x"));
	}

	pr_info("sysctltest: reboot %d %d, pm %d, restart %d\n", register_reboot_notifier(&reboot_nb),
		unregister_reboot_notifier(&c1), register_pm_notifier(&pm_nb), register_restart_handler(&restart_nb));
	blocking_notifier_chain_register(&chain, &c1);
	blocking_notifier_chain_register(&chain, &c9);
	blocking_notifier_chain_register(&chain, &c5);
	pr_info("sysctltest: chain returned 0x%x\n", blocking_notifier_call_chain(&chain, 42, NULL));
	blocking_notifier_chain_unregister(&chain, &c5);
	pr_info("sysctltest: chain returned 0x%x\n", blocking_notifier_call_chain(&chain, 43, NULL));

	worker = kthread_create_worker(0, "sysctltest-%d", 7);
	if (IS_ERR(worker))
		return PTR_ERR(worker);
	kthread_init_work(&w1, work_fn);
	kthread_init_work(&w2, work_fn);
	pr_info("sysctltest: queue %d %d %d\n", kthread_queue_work(worker, &w1), kthread_queue_work(worker, &w1),
		kthread_queue_work(worker, &w2));
	kthread_flush_worker(worker);
	pr_info("sysctltest: runs %d\n", runs);
	kthread_queue_work(worker, &w1);
	pr_info("sysctltest: cancel %d, again %d\n", kthread_cancel_work_sync(&w1), kthread_cancel_work_sync(&w1));

	pr_info("sysctltest: xa_store_range %px\n", xa_store_range(&xa, 10, 13, xa_mk_value(7), GFP_KERNEL));
	pr_info("sysctltest: load %lu %lu %lu\n", xa_to_value(xa_load(&xa, 10)), xa_to_value(xa_load(&xa, 13)),
		(unsigned long)xa_load(&xa, 14));
	xa_destroy(&xa);

	pr_info("sysctltest: uts %s %s %s\n", init_uts_ns.name.sysname, init_uts_ns.name.release,
		init_uts_ns.name.machine);
	pr_info("sysctltest: pid_vnr(NULL) %d\n", pid_vnr(NULL));
	return 0;
}

static void __exit sysctltest_exit(void)
{
	kthread_destroy_worker(worker);
	pr_info("sysctltest: runs %d\n", runs);
	unregister_reboot_notifier(&reboot_nb);
	unregister_pm_notifier(&pm_nb);
	unregister_restart_handler(&restart_nb);
	if (busy)
		free_dma(3);
	free_dma(3);
	free_dma(9);
	unregister_sysctl_table(hdr2);
	unregister_sysctl_table(hdr);
}

module_init(sysctltest_init);
module_exit(sysctltest_exit);
MODULE_LICENSE("GPL");
