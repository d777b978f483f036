// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_procwrite - /proc/fuzz_procwrite takes commands of 4 to 24 bytes. Ordinary ones are read
 * into a 16-byte buffer with the right bound; a message starting with the magic word "KMOD" is
 * copied whole, checked only against 24: 17 to 24 bytes overflow the buffer over the stack
 * protector's canary (the kernel panics when the handler returns).
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/string.h>
#include <linux/uaccess.h>

static unsigned long commands, magic;

static noinline void fuzz_procwrite_store(const char *msg, size_t len)
{
	volatile char kbuf[16];
	size_t i;

	for (i = 0; i < len; i++)	/* the bug: len may be up to 24 */
		kbuf[i] = msg[i];
	magic += kbuf[4];
}

static ssize_t fuzz_procwrite_write(struct file *file, const char __user *ubuf, size_t count, loff_t *ppos)
{
	char msg[24];

	if (count < 4 || count > sizeof(msg))
		return -EINVAL;
	if (copy_from_user(msg, ubuf, count))
		return -EFAULT;
	if (memcmp(msg, "KMOD", 4) == 0) {
		fuzz_procwrite_store(msg, count);
		return count;
	}
	commands++;
	return count;
}

static ssize_t fuzz_procwrite_read(struct file *file, char __user *ubuf, size_t count, loff_t *ppos)
{
	char text[64];
	int len = scnprintf(text, sizeof(text), "commands %lu magic %lu\n", commands, magic);

	return simple_read_from_buffer(ubuf, count, ppos, text, len);
}

static const struct proc_ops fuzz_procwrite_ops = {
	.proc_read = fuzz_procwrite_read,
	.proc_write = fuzz_procwrite_write,
};

static int __init fuzz_procwrite_init(void)
{
	if (!proc_create("fuzz_procwrite", 0644, NULL, &fuzz_procwrite_ops))
		return -ENOMEM;
	return 0;
}

static void __exit fuzz_procwrite_exit(void)
{
	remove_proc_entry("fuzz_procwrite", NULL);
}

module_init(fuzz_procwrite_init);
module_exit(fuzz_procwrite_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kmodemu fuzzing target: a /proc write handler overflowing for one kind of input");
