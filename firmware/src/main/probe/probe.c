// SPDX-License-Identifier: GPL-2.0
/*
 * kmodemu kernel-profile probe: compiled to assembly by kbuild against the installed headers,
 * never linked or loaded. Every "->name value" line in the .s output becomes an entry of
 * kernel-profile.properties (asm-offsets style), so struct offsets and constants the emulator
 * needs come from the headers, never typed by hand.
 */
#define INCLUDE_VERMAGIC
#include <linux/build-salt.h>
#include <linux/vermagic.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/kbuild.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/printk.h>
#include <linux/export.h>
#include <linux/preempt.h>
#include <linux/kallsyms.h>
#include <linux/fs.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/uio.h>
#include <linux/dcache.h>
#include <linux/mutex.h>
#include <linux/kobject.h>
#include <linux/sysfs.h>
#include <linux/spinlock.h>
#include <asm/extable.h>
#include <asm/page.h>
#include <asm/pgtable_64_types.h>
#include <asm/processor.h>
#include <asm/ptrace.h>
#include <asm/unistd.h>

#define STR(name, s) asm volatile("\n.ascii \"->" #name " " s "\"")

void kmodemu_profile_probe(void);
void kmodemu_profile_probe(void)
{
	STR(vermagic, VERMAGIC_STRING);
	STR(uts_release, UTS_RELEASE);

	DEFINE(PAGE_SIZE, PAGE_SIZE);
	DEFINE(THREAD_SIZE, THREAD_SIZE);
	DEFINE(START_KERNEL_map, __START_KERNEL_map);
	DEFINE(PAGE_OFFSET_BASE_L4, __PAGE_OFFSET_BASE_L4);
	DEFINE(VMALLOC_BASE_L4, __VMALLOC_BASE_L4);
	DEFINE(VMEMMAP_BASE_L4, __VMEMMAP_BASE_L4);
	DEFINE(MODULES_VADDR, MODULES_VADDR);
	DEFINE(MODULES_END, MODULES_END);
	DEFINE(TASK_COMM_LEN, TASK_COMM_LEN);
	DEFINE(MODULE_NAME_LEN, MODULE_NAME_LEN);
	DEFINE(KSYM_NAME_LEN, KSYM_NAME_LEN);
	DEFINE(PREEMPT_ENABLED, PREEMPT_ENABLED);
	DEFINE(HZ, HZ);
	DEFINE(INITIAL_JIFFIES, INITIAL_JIFFIES);
	DEFINE(NR_KMALLOC_TYPES, NR_KMALLOC_TYPES);
	DEFINE(KMALLOC_SHIFT_HIGH, KMALLOC_SHIFT_HIGH);
	DEFINE(KMALLOC_SHIFT_LOW, KMALLOC_SHIFT_LOW);
	DEFINE(KMALLOC_MAX_CACHE_SIZE, KMALLOC_MAX_CACHE_SIZE);
	DEFINE(KMALLOC_MIN_SIZE, KMALLOC_MIN_SIZE);
	DEFINE(KMALLOC_NORMAL, KMALLOC_NORMAL);
	DEFINE(KMALLOC_CGROUP, KMALLOC_CGROUP);
	DEFINE(KMALLOC_RECLAIM, KMALLOC_RECLAIM);
	DEFINE(KMALLOC_DMA, KMALLOC_DMA);
	DEFINE(KPARAM_ISBOOL, KERNEL_PARAM_OPS_FL_NOARG);
	DEFINE(KERNEL_PARAM_FL_UNSAFE, KERNEL_PARAM_FL_UNSAFE);
	DEFINE(KERNEL_PARAM_FL_HWPARAM, KERNEL_PARAM_FL_HWPARAM);
	DEFINE(MODULE_STATE_LIVE, MODULE_STATE_LIVE);
	DEFINE(MODULE_STATE_COMING, MODULE_STATE_COMING);
	DEFINE(MODULE_STATE_GOING, MODULE_STATE_GOING);
	DEFINE(MODULE_STATE_UNFORMED, MODULE_STATE_UNFORMED);

	OFFSET(module_state, module, state);
	OFFSET(module_name, module, name);
	OFFSET(module_init, module, init);
	OFFSET(module_exit, module, exit);
	OFFSET(module_args, module, args);
	OFFSET(module_refcnt, module, refcnt);
	OFFSET(module_taints, module, taints);
	DEFINE(module_sizeof, sizeof(struct module));

	OFFSET(kernel_param_name, kernel_param, name);
	OFFSET(kernel_param_mod, kernel_param, mod);
	OFFSET(kernel_param_ops, kernel_param, ops);
	OFFSET(kernel_param_perm, kernel_param, perm);
	OFFSET(kernel_param_level, kernel_param, level);
	OFFSET(kernel_param_flags, kernel_param, flags);
	OFFSET(kernel_param_arg, kernel_param, arg);
	DEFINE(kernel_param_sizeof, sizeof(struct kernel_param));

	OFFSET(kernel_param_ops_flags, kernel_param_ops, flags);
	OFFSET(kernel_param_ops_set, kernel_param_ops, set);
	OFFSET(kernel_param_ops_get, kernel_param_ops, get);
	OFFSET(kernel_param_ops_free, kernel_param_ops, free);
	DEFINE(kernel_param_ops_sizeof, sizeof(struct kernel_param_ops));

	OFFSET(kparam_string_maxlen, kparam_string, maxlen);
	OFFSET(kparam_string_string, kparam_string, string);
	OFFSET(kparam_array_max, kparam_array, max);
	OFFSET(kparam_array_elemsize, kparam_array, elemsize);
	OFFSET(kparam_array_num, kparam_array, num);
	OFFSET(kparam_array_ops, kparam_array, ops);
	OFFSET(kparam_array_elem, kparam_array, elem);

	/* struct pt_regs: the user context at the top of a task's kernel stack (the syscall entry) */
	OFFSET(pt_regs_r15, pt_regs, r15);
	OFFSET(pt_regs_r14, pt_regs, r14);
	OFFSET(pt_regs_r13, pt_regs, r13);
	OFFSET(pt_regs_r12, pt_regs, r12);
	OFFSET(pt_regs_bp, pt_regs, bp);
	OFFSET(pt_regs_bx, pt_regs, bx);
	OFFSET(pt_regs_r11, pt_regs, r11);
	OFFSET(pt_regs_r10, pt_regs, r10);
	OFFSET(pt_regs_r9, pt_regs, r9);
	OFFSET(pt_regs_r8, pt_regs, r8);
	OFFSET(pt_regs_ax, pt_regs, ax);
	OFFSET(pt_regs_cx, pt_regs, cx);
	OFFSET(pt_regs_dx, pt_regs, dx);
	OFFSET(pt_regs_si, pt_regs, si);
	OFFSET(pt_regs_di, pt_regs, di);
	OFFSET(pt_regs_orig_ax, pt_regs, orig_ax);
	OFFSET(pt_regs_ip, pt_regs, ip);
	OFFSET(pt_regs_cs, pt_regs, cs);
	OFFSET(pt_regs_flags, pt_regs, flags);
	OFFSET(pt_regs_sp, pt_regs, sp);
	OFFSET(pt_regs_ss, pt_regs, ss);
	DEFINE(pt_regs_sizeof, sizeof(struct pt_regs));
	/* system call numbers, for the orig_ax of a task's pt_regs */
	DEFINE(NR_read, __NR_read);
	DEFINE(NR_write, __NR_write);
	DEFINE(NR_close, __NR_close);
	DEFINE(NR_lseek, __NR_lseek);
	DEFINE(NR_openat, __NR_openat);
	DEFINE(NR_finit_module, __NR_finit_module);
	DEFINE(NR_delete_module, __NR_delete_module);
	DEFINE(USER_CS, __USER_CS);
	DEFINE(USER_DS, __USER_DS);
	DEFINE(KERNEL_CS, __KERNEL_CS);
	DEFINE(KERNEL_DS, __KERNEL_DS);
	OFFSET(task_struct_state, task_struct, __state);
	OFFSET(task_struct_stack, task_struct, stack);
	OFFSET(task_struct_flags, task_struct, flags);
	OFFSET(task_struct_pid, task_struct, pid);
	OFFSET(task_struct_tgid, task_struct, tgid);
	OFFSET(task_struct_comm, task_struct, comm);
	OFFSET(task_struct_mm, task_struct, mm);
	OFFSET(task_struct_stack_canary, task_struct, stack_canary);
	DEFINE(task_struct_sizeof, sizeof(struct task_struct));

	OFFSET(fixed_percpu_data_stack_canary, fixed_percpu_data, stack_canary);


	OFFSET(kernel_symbol_value_offset, kernel_symbol, value_offset);
	OFFSET(kernel_symbol_name_offset, kernel_symbol, name_offset);
	OFFSET(kernel_symbol_namespace_offset, kernel_symbol, namespace_offset);
	DEFINE(kernel_symbol_sizeof, sizeof(struct kernel_symbol));

	/* TASK_SIZE_MAX with 4-level paging (no LA57 on the emulated CPU). */
	DEFINE(TASK_SIZE_MAX, (1UL << 47) - PAGE_SIZE);
	DEFINE(S_IFMT, S_IFMT);
	DEFINE(S_IFDIR, S_IFDIR);
	DEFINE(S_IFREG, S_IFREG);
	DEFINE(S_IFLNK, S_IFLNK);
	DEFINE(S_IFCHR, S_IFCHR);
	DEFINE(FMODE_READ, (__force long)FMODE_READ);
	DEFINE(FMODE_WRITE, (__force long)FMODE_WRITE);
	DEFINE(FMODE_LSEEK, (__force long)FMODE_LSEEK);
	DEFINE(FMODE_PREAD, (__force long)FMODE_PREAD);
	DEFINE(FMODE_PWRITE, (__force long)FMODE_PWRITE);
	DEFINE(O_RDONLY, O_RDONLY);
	DEFINE(O_WRONLY, O_WRONLY);
	DEFINE(O_RDWR, O_RDWR);
	DEFINE(O_CREAT, O_CREAT);
	DEFINE(O_TRUNC, O_TRUNC);
	DEFINE(O_NONBLOCK, O_NONBLOCK);
	DEFINE(O_APPEND, O_APPEND);
	DEFINE(O_LARGEFILE, O_LARGEFILE);
	DEFINE(MAX_RW_COUNT, MAX_RW_COUNT);
	DEFINE(PROC_ENTRY_PERMANENT, PROC_ENTRY_PERMANENT);

	OFFSET(file_f_path, file, f_path);
	OFFSET(file_f_inode, file, f_inode);
	OFFSET(file_f_op, file, f_op);
	OFFSET(file_f_count, file, f_count);
	OFFSET(file_f_flags, file, f_flags);
	OFFSET(file_f_mode, file, f_mode);
	OFFSET(file_f_pos, file, f_pos);
	OFFSET(file_f_pos_lock, file, f_pos_lock);
	OFFSET(file_private_data, file, private_data);
	OFFSET(file_f_mapping, file, f_mapping);
	DEFINE(file_sizeof, sizeof(struct file));
	OFFSET(path_mnt, path, mnt);
	OFFSET(path_dentry, path, dentry);

	OFFSET(inode_i_mode, inode, i_mode);
	OFFSET(inode_i_uid, inode, i_uid);
	OFFSET(inode_i_gid, inode, i_gid);
	OFFSET(inode_i_flags, inode, i_flags);
	OFFSET(inode_i_sb, inode, i_sb);
	OFFSET(inode_i_ino, inode, i_ino);
	OFFSET(inode_i_nlink, inode, __i_nlink);
	OFFSET(inode_i_rdev, inode, i_rdev);
	OFFSET(inode_i_size, inode, i_size);
	OFFSET(inode_i_fop, inode, i_fop);
	OFFSET(inode_i_private, inode, i_private);
	DEFINE(inode_sizeof, sizeof(struct inode));

	OFFSET(dentry_d_name, dentry, d_name);
	OFFSET(dentry_d_inode, dentry, d_inode);
	OFFSET(dentry_d_parent, dentry, d_parent);
	OFFSET(dentry_d_iname, dentry, d_iname);
	DEFINE(dentry_sizeof, sizeof(struct dentry));
	OFFSET(qstr_hash_len, qstr, hash_len);
	OFFSET(qstr_name, qstr, name);

	OFFSET(proc_ops_proc_flags, proc_ops, proc_flags);
	OFFSET(proc_ops_proc_open, proc_ops, proc_open);
	OFFSET(proc_ops_proc_read, proc_ops, proc_read);
	OFFSET(proc_ops_proc_read_iter, proc_ops, proc_read_iter);
	OFFSET(proc_ops_proc_write, proc_ops, proc_write);
	OFFSET(proc_ops_proc_lseek, proc_ops, proc_lseek);
	OFFSET(proc_ops_proc_release, proc_ops, proc_release);
	OFFSET(proc_ops_proc_poll, proc_ops, proc_poll);
	OFFSET(proc_ops_proc_ioctl, proc_ops, proc_ioctl);
	OFFSET(proc_ops_proc_compat_ioctl, proc_ops, proc_compat_ioctl);
	OFFSET(proc_ops_proc_mmap, proc_ops, proc_mmap);
	DEFINE(proc_ops_sizeof, sizeof(struct proc_ops));

	OFFSET(file_operations_owner, file_operations, owner);
	OFFSET(file_operations_llseek, file_operations, llseek);
	OFFSET(file_operations_read, file_operations, read);
	OFFSET(file_operations_write, file_operations, write);
	OFFSET(file_operations_read_iter, file_operations, read_iter);
	OFFSET(file_operations_write_iter, file_operations, write_iter);
	OFFSET(file_operations_poll, file_operations, poll);
	OFFSET(file_operations_unlocked_ioctl, file_operations, unlocked_ioctl);
	OFFSET(file_operations_compat_ioctl, file_operations, compat_ioctl);
	OFFSET(file_operations_mmap, file_operations, mmap);
	OFFSET(file_operations_open, file_operations, open);
	OFFSET(file_operations_flush, file_operations, flush);
	OFFSET(file_operations_release, file_operations, release);
	DEFINE(file_operations_sizeof, sizeof(struct file_operations));

	OFFSET(seq_file_buf, seq_file, buf);
	OFFSET(seq_file_size, seq_file, size);
	OFFSET(seq_file_from, seq_file, from);
	OFFSET(seq_file_count, seq_file, count);
	OFFSET(seq_file_pad_until, seq_file, pad_until);
	OFFSET(seq_file_index, seq_file, index);
	OFFSET(seq_file_read_pos, seq_file, read_pos);
	OFFSET(seq_file_lock, seq_file, lock);
	OFFSET(seq_file_op, seq_file, op);
	OFFSET(seq_file_poll_event, seq_file, poll_event);
	OFFSET(seq_file_file, seq_file, file);
	OFFSET(seq_file_private, seq_file, private);
	DEFINE(seq_file_sizeof, sizeof(struct seq_file));
	OFFSET(seq_operations_start, seq_operations, start);
	OFFSET(seq_operations_stop, seq_operations, stop);
	OFFSET(seq_operations_next, seq_operations, next);
	OFFSET(seq_operations_show, seq_operations, show);
	DEFINE(seq_operations_sizeof, sizeof(struct seq_operations));

	OFFSET(kiocb_ki_filp, kiocb, ki_filp);
	OFFSET(kiocb_ki_pos, kiocb, ki_pos);
	DEFINE(kiocb_sizeof, sizeof(struct kiocb));
	DEFINE(iov_iter_sizeof, sizeof(struct iov_iter));

	OFFSET(exception_table_entry_insn, exception_table_entry, insn);
	OFFSET(exception_table_entry_fixup, exception_table_entry, fixup);
	OFFSET(exception_table_entry_data, exception_table_entry, data);
	DEFINE(exception_table_entry_sizeof, sizeof(struct exception_table_entry));

	OFFSET(mutex_owner, mutex, owner);
	OFFSET(mutex_wait_list, mutex, wait_list);
	DEFINE(mutex_sizeof, sizeof(struct mutex));
	DEFINE(spinlock_sizeof, sizeof(spinlock_t));

	OFFSET(kobject_name, kobject, name);
	OFFSET(kobject_parent, kobject, parent);
	OFFSET(kobject_kset, kobject, kset);
	OFFSET(kobject_ktype, kobject, ktype);
	OFFSET(kobject_kref, kobject, kref);
	DEFINE(kobject_sizeof, sizeof(struct kobject));
	OFFSET(attribute_name, attribute, name);
	OFFSET(attribute_mode, attribute, mode);
	OFFSET(kobj_attribute_show, kobj_attribute, show);
	OFFSET(kobj_attribute_store, kobj_attribute, store);
	OFFSET(attribute_group_name, attribute_group, name);
	OFFSET(attribute_group_is_visible, attribute_group, is_visible);
	OFFSET(attribute_group_attrs, attribute_group, attrs);
	OFFSET(attribute_group_bin_attrs, attribute_group, bin_attrs);
	OFFSET(kobj_type_release, kobj_type, release);
	OFFSET(kobj_type_sysfs_ops, kobj_type, sysfs_ops);
	OFFSET(kobj_type_default_groups, kobj_type, default_groups);
	DEFINE(kobj_type_sizeof, sizeof(struct kobj_type));
	OFFSET(sysfs_ops_show, sysfs_ops, show);
	OFFSET(sysfs_ops_store, sysfs_ops, store);
	DEFINE(sysfs_ops_sizeof, sizeof(struct sysfs_ops));

	OFFSET(list_head_next, list_head, next);
	OFFSET(list_head_prev, list_head, prev);

	OFFSET(va_format_fmt, va_format, fmt);
	OFFSET(va_format_va, va_format, va);
}
