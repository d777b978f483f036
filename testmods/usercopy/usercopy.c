// SPDX-License-Identifier: GPL-2.0
/*
 * usercopy - moving data between user and kernel memory.
 *
 * /proc/usercopy         write: any length, copied in CHUNK-byte pieces with
 *                        copy_from_user() into a small kernel buffer; counts the bytes,
 *                        a byte sum and a rolling hash; the first bytes also go through
 *                        strncpy_from_user(). read: the totals (simple_read_from_buffer).
 * /proc/usercopy_getput  write: get_user() of the first byte only (returns the full count);
 *                        read: the stored byte and a newline, one put_user() each.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/proc_fs.h>
#include <linux/uaccess.h>

#define CHUNK	16
#define HEADLEN	12

static DEFINE_MUTEX(uc_lock);
static unsigned long writes, chunks, total_bytes;
static u32 byte_sum, hash;
static char head[HEADLEN + 1];
static char getput_byte = '?';

static ssize_t usercopy_write(struct file *file, const char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	char kbuf[CHUNK];
	size_t done = 0, n, i;
	long copied;

	mutex_lock(&uc_lock);
	copied = strncpy_from_user(head, ubuf, min_t(size_t, count, HEADLEN));
	if (copied < 0) {
		mutex_unlock(&uc_lock);
		return copied;
	}
	head[copied] = '\0';

	while (done < count) {
		n = min_t(size_t, count - done, CHUNK);
		if (copy_from_user(kbuf, ubuf + done, n)) {
			mutex_unlock(&uc_lock);
			return done ? done : -EFAULT;
		}
		for (i = 0; i < n; i++) {
			byte_sum += (u8)kbuf[i];
			hash = hash * 31 + (u8)kbuf[i];
		}
		done += n;
		chunks++;
	}
	writes++;
	total_bytes += done;
	mutex_unlock(&uc_lock);

	pr_info("write of %zu bytes, strncpy_from_user copied %ld\n", count, copied);
	return done;
}

static ssize_t usercopy_read(struct file *file, char __user *ubuf, size_t count,
			     loff_t *ppos)
{
	char kbuf[160];
	int len;

	mutex_lock(&uc_lock);
	len = scnprintf(kbuf, sizeof(kbuf),
			"writes: %lu\nbytes: %lu\nchunks: %lu\nsum: %u\nhash: %08x\nhead: '%s'\n",
			writes, total_bytes, chunks, byte_sum, hash, head);
	mutex_unlock(&uc_lock);

	return simple_read_from_buffer(ubuf, count, ppos, kbuf, len);
}

static ssize_t getput_write(struct file *file, const char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	char c;

	if (!count)
		return 0;
	if (get_user(c, ubuf))
		return -EFAULT;
	getput_byte = c;
	pr_info("get_user read '%c' (0x%02x) of a %zu-byte write\n", c, (u8)c, count);
	return count;
}

static ssize_t getput_read(struct file *file, char __user *ubuf, size_t count,
			   loff_t *ppos)
{
	if (*ppos >= 2 || !count)
		return 0;
	if (count < 2)
		return -EINVAL;
	if (put_user(getput_byte, ubuf) || put_user('\n', ubuf + 1))
		return -EFAULT;
	*ppos += 2;
	return 2;
}

static const struct proc_ops usercopy_ops = {
	.proc_read	= usercopy_read,
	.proc_write	= usercopy_write,
	.proc_lseek	= default_llseek,
};

static const struct proc_ops getput_ops = {
	.proc_read	= getput_read,
	.proc_write	= getput_write,
	.proc_lseek	= default_llseek,
};

static int __init usercopy_init(void)
{
	if (!proc_create("usercopy", 0644, NULL, &usercopy_ops))
		return -ENOMEM;
	if (!proc_create("usercopy_getput", 0644, NULL, &getput_ops)) {
		remove_proc_entry("usercopy", NULL);
		return -ENOMEM;
	}
	pr_info("/proc/usercopy and /proc/usercopy_getput created\n");
	return 0;
}

static void __exit usercopy_exit(void)
{
	remove_proc_entry("usercopy_getput", NULL);
	remove_proc_entry("usercopy", NULL);
	pr_info("exit after %lu writes, %lu bytes\n", writes, total_bytes);
}

module_init(usercopy_init);
module_exit(usercopy_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("kmodemu test suite");
MODULE_DESCRIPTION("copy_from_user in chunks, strncpy_from_user, get_user and put_user");
