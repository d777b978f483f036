// SPDX-License-Identifier: GPL-2.0
/*
 * procfs_example - a modern take on the LKM guide's procfs_example.c.
 *
 * /proc/procfs_example/         directory (proc_mkdir)
 *   info                        read-only, fixed text (the classic "jiffies", made deterministic)
 *   foo, bar                    read/write, one pair of proc_ops handlers for both: the buffer
 *                               is the entry's private data (proc_create_data + pde_data)
 *   jiffies_too -> info         symlink (proc_symlink)
 *
 * Like the original, a write longer than the buffer is truncated: the first
 * FOOBAR_LEN bytes are kept and the handler returns FOOBAR_LEN (a short write).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/proc_fs.h>
#include <linux/uaccess.h>

#define MODULE_DIR	"procfs_example"
#define FOOBAR_LEN	64

struct fb_data {
	const char *name;
	char value[FOOBAR_LEN + 1];
};

static struct fb_data foo_data = { .name = "foo", .value = "foo" };
static struct fb_data bar_data = { .name = "bar", .value = "bar" };
static DEFINE_MUTEX(fb_lock);

static struct proc_dir_entry *example_dir;

static ssize_t info_read(struct file *file, char __user *ubuf, size_t count,
			 loff_t *ppos)
{
	static const char text[] =
		"module = '" KBUILD_MODNAME "'\n"
		"files = 'info foo bar jiffies_too'\n";

	return simple_read_from_buffer(ubuf, count, ppos, text, sizeof(text) - 1);
}

static ssize_t foobar_read(struct file *file, char __user *ubuf, size_t count,
			   loff_t *ppos)
{
	struct fb_data *fb = pde_data(file_inode(file));
	char kbuf[FOOBAR_LEN + 32];
	int len;

	mutex_lock(&fb_lock);
	len = scnprintf(kbuf, sizeof(kbuf), "%s = '%s'\n", fb->name, fb->value);
	mutex_unlock(&fb_lock);

	return simple_read_from_buffer(ubuf, count, ppos, kbuf, len);
}

static ssize_t foobar_write(struct file *file, const char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	struct fb_data *fb = pde_data(file_inode(file));
	char kbuf[FOOBAR_LEN + 1];
	size_t len = min_t(size_t, count, FOOBAR_LEN);

	if (copy_from_user(kbuf, ubuf, len))
		return -EFAULT;
	kbuf[len] = '\0';

	mutex_lock(&fb_lock);
	memcpy(fb->value, kbuf, len + 1);
	mutex_unlock(&fb_lock);

	pr_info("%s: stored %zu of %zu bytes\n", fb->name, len, count);
	return len;
}

static const struct proc_ops info_ops = {
	.proc_read	= info_read,
	.proc_lseek	= default_llseek,
};

static const struct proc_ops foobar_ops = {
	.proc_read	= foobar_read,
	.proc_write	= foobar_write,
	.proc_lseek	= default_llseek,
};

static int __init procfs_example_init(void)
{
	example_dir = proc_mkdir(MODULE_DIR, NULL);
	if (!example_dir)
		return -ENOMEM;

	if (!proc_create("info", 0444, example_dir, &info_ops))
		goto fail;
	if (!proc_symlink("jiffies_too", example_dir, "info"))
		goto fail;
	if (!proc_create_data("foo", 0644, example_dir, &foobar_ops, &foo_data))
		goto fail;
	if (!proc_create_data("bar", 0644, example_dir, &foobar_ops, &bar_data))
		goto fail;

	pr_info("created /proc/%s (info, foo, bar, jiffies_too)\n", MODULE_DIR);
	return 0;

fail:
	remove_proc_subtree(MODULE_DIR, NULL);
	pr_err("could not create the /proc entries\n");
	return -ENOMEM;
}

static void __exit procfs_example_exit(void)
{
	remove_proc_entry("jiffies_too", example_dir);
	remove_proc_entry("bar", example_dir);
	remove_proc_entry("foo", example_dir);
	remove_proc_entry("info", example_dir);
	remove_proc_entry(MODULE_DIR, NULL);

	pr_info("removed /proc/%s (foo was '%s', bar was '%s')\n", MODULE_DIR,
		foo_data.value, bar_data.value);
}

module_init(procfs_example_init);
module_exit(procfs_example_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("kmodemu test suite");
MODULE_DESCRIPTION("procfs directory, shared read/write handlers, private data and a symlink");
