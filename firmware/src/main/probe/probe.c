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
#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/miscdevice.h>
#include <linux/major.h>
#include <linux/kdev_t.h>
#include <linux/poll.h>
#include <linux/ioctl.h>
#include <asm/ioctls.h>
#include <linux/fiemap.h>
#include <linux/falloc.h>
#include <linux/interrupt.h>
#include <asm/paravirt_types.h>
#include <asm/extable.h>
#include <asm/page.h>
#include <asm/pgtable_64_types.h>
#include <asm/processor.h>

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
	OFFSET(file_operations_fasync, file_operations, fasync);
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

	/* character devices (fs/char_dev.c), the device model, misc devices, poll, ioctl */
	DEFINE(FMODE_CAN_READ, (__force long)FMODE_CAN_READ);
	DEFINE(FMODE_CAN_WRITE, (__force long)FMODE_CAN_WRITE);
	DEFINE(FMODE_STREAM, (__force long)FMODE_STREAM);
	DEFINE(FMODE_OPENED, (__force long)FMODE_OPENED);
	DEFINE(FMODE_ATOMIC_POS, (__force long)FMODE_ATOMIC_POS);
	DEFINE(FMODE_UNSIGNED_OFFSET, (__force long)FMODE_UNSIGNED_OFFSET);
	DEFINE(O_NONBLOCK, O_NONBLOCK);
	DEFINE(O_EXCL, O_EXCL);
	DEFINE(O_NOCTTY, O_NOCTTY);
	DEFINE(FASYNC, FASYNC);
	DEFINE(MINORBITS, MINORBITS);
	DEFINE(CHRDEV_MAJOR_MAX, CHRDEV_MAJOR_MAX);
	DEFINE(CHRDEV_MAJOR_DYN_END, CHRDEV_MAJOR_DYN_END);
	DEFINE(CHRDEV_MAJOR_DYN_EXT_START, CHRDEV_MAJOR_DYN_EXT_START);
	DEFINE(CHRDEV_MAJOR_DYN_EXT_END, CHRDEV_MAJOR_DYN_EXT_END);
	DEFINE(MISC_MAJOR, MISC_MAJOR);
	DEFINE(MISC_DYNAMIC_MINOR, MISC_DYNAMIC_MINOR);
	DEFINE(WHITEOUT_DEV, WHITEOUT_DEV);
	OFFSET(inode_i_cdev, inode, i_cdev);
	OFFSET(inode_i_devices, inode, i_devices);
	OFFSET(cdev_kobj, cdev, kobj);
	OFFSET(cdev_owner, cdev, owner);
	OFFSET(cdev_ops, cdev, ops);
	OFFSET(cdev_list, cdev, list);
	OFFSET(cdev_dev, cdev, dev);
	OFFSET(cdev_count, cdev, count);
	DEFINE(cdev_sizeof, sizeof(struct cdev));
	OFFSET(class_name, class, name);
	OFFSET(class_owner, class, owner);
	OFFSET(class_class_groups, class, class_groups);
	OFFSET(class_dev_groups, class, dev_groups);
	OFFSET(class_dev_uevent, class, dev_uevent);
	OFFSET(class_devnode, class, devnode);
	OFFSET(class_class_release, class, class_release);
	OFFSET(class_dev_release, class, dev_release);
	DEFINE(class_sizeof, sizeof(struct class));
	OFFSET(device_kobj, device, kobj);
	OFFSET(device_parent, device, parent);
	OFFSET(device_init_name, device, init_name);
	OFFSET(device_type, device, type);
	OFFSET(device_driver, device, driver);
	OFFSET(device_driver_data, device, driver_data);
	OFFSET(device_devt, device, devt);
	OFFSET(device_class, device, class);
	OFFSET(device_groups, device, groups);
	OFFSET(device_release, device, release);
	DEFINE(device_sizeof, sizeof(struct device));
	OFFSET(device_type_name, device_type, name);
	OFFSET(device_type_uevent, device_type, uevent);
	OFFSET(device_type_devnode, device_type, devnode);
	OFFSET(device_type_groups, device_type, groups);
	OFFSET(device_type_release, device_type, release);
	OFFSET(device_attribute_show, device_attribute, show);
	OFFSET(device_attribute_store, device_attribute, store);
	OFFSET(class_attribute_show, class_attribute, show);
	OFFSET(class_attribute_store, class_attribute, store);
	OFFSET(kobj_uevent_env_envp, kobj_uevent_env, envp);
	OFFSET(kobj_uevent_env_envp_idx, kobj_uevent_env, envp_idx);
	OFFSET(kobj_uevent_env_buf, kobj_uevent_env, buf);
	OFFSET(kobj_uevent_env_buflen, kobj_uevent_env, buflen);
	DEFINE(kobj_uevent_env_sizeof, sizeof(struct kobj_uevent_env));
	DEFINE(UEVENT_NUM_ENVP, UEVENT_NUM_ENVP);
	DEFINE(UEVENT_BUFFER_SIZE, UEVENT_BUFFER_SIZE);
	OFFSET(miscdevice_minor, miscdevice, minor);
	OFFSET(miscdevice_name, miscdevice, name);
	OFFSET(miscdevice_fops, miscdevice, fops);
	OFFSET(miscdevice_list, miscdevice, list);
	OFFSET(miscdevice_parent, miscdevice, parent);
	OFFSET(miscdevice_this_device, miscdevice, this_device);
	OFFSET(miscdevice_groups, miscdevice, groups);
	OFFSET(miscdevice_nodename, miscdevice, nodename);
	OFFSET(miscdevice_mode, miscdevice, mode);
	DEFINE(miscdevice_sizeof, sizeof(struct miscdevice));
	OFFSET(poll_table_qproc, poll_table_struct, _qproc);
	OFFSET(poll_table_key, poll_table_struct, _key);
	DEFINE(poll_table_sizeof, sizeof(struct poll_table_struct));
	DEFINE(DEFAULT_POLLMASK, (__force long)DEFAULT_POLLMASK);
	DEFINE(ENOIOCTLCMD, ENOIOCTLCMD);
	DEFINE(FIOCLEX, FIOCLEX);
	DEFINE(FIONCLEX, FIONCLEX);
	DEFINE(FIONBIO, FIONBIO);
	DEFINE(FIOASYNC, FIOASYNC);
	DEFINE(FIOQSIZE, FIOQSIZE);
	DEFINE(FIONREAD, FIONREAD);
	DEFINE(FIGETBSZ, FIGETBSZ);
	DEFINE(FIFREEZE, FIFREEZE);
	DEFINE(FITHAW, FITHAW);
	DEFINE(FS_IOC_FIEMAP, FS_IOC_FIEMAP);
	DEFINE(FICLONE, FICLONE);
	DEFINE(FICLONERANGE, FICLONERANGE);
	DEFINE(FIDEDUPERANGE, FIDEDUPERANGE);
	DEFINE(FS_IOC_GETFLAGS, FS_IOC_GETFLAGS);
	DEFINE(FS_IOC_SETFLAGS, FS_IOC_SETFLAGS);
	DEFINE(FS_IOC_FSGETXATTR, FS_IOC_FSGETXATTR);
	DEFINE(FS_IOC_FSSETXATTR, FS_IOC_FSSETXATTR);
	DEFINE(FS_IOC32_GETFLAGS, FS_IOC32_GETFLAGS);
	DEFINE(FS_IOC32_SETFLAGS, FS_IOC32_SETFLAGS);

	OFFSET(device_bus, device, bus);
	OFFSET(device_driver_name, device_driver, name);
	OFFSET(bus_type_name, bus_type, name);
	DEFINE(FIBMAP, FIBMAP);
	DEFINE(FS_IOC_RESVSP, FS_IOC_RESVSP);
	DEFINE(FS_IOC_RESVSP64, FS_IOC_RESVSP64);
	DEFINE(FS_IOC_UNRESVSP, FS_IOC_UNRESVSP);
	DEFINE(FS_IOC_UNRESVSP64, FS_IOC_UNRESVSP64);
	DEFINE(FS_IOC_ZERO_RANGE, FS_IOC_ZERO_RANGE);
	OFFSET(space_resv_l_whence, space_resv, l_whence);
	OFFSET(space_resv_l_start, space_resv, l_start);
	OFFSET(space_resv_l_len, space_resv, l_len);
	DEFINE(space_resv_sizeof, sizeof(struct space_resv));
	DEFINE(POLLIN, (__force long)EPOLLIN);
	DEFINE(POLLPRI, (__force long)EPOLLPRI);
	DEFINE(POLLOUT, (__force long)EPOLLOUT);
	DEFINE(POLLERR, (__force long)EPOLLERR);
	DEFINE(POLLHUP, (__force long)EPOLLHUP);
	DEFINE(POLLNVAL, (__force long)EPOLLNVAL);
	DEFINE(POLLRDNORM, (__force long)EPOLLRDNORM);
	DEFINE(POLLRDBAND, (__force long)EPOLLRDBAND);
	DEFINE(POLLWRNORM, (__force long)EPOLLWRNORM);
	DEFINE(POLLWRBAND, (__force long)EPOLLWRBAND);
	DEFINE(POLLMSG, (__force long)EPOLLMSG);
	DEFINE(POLLRDHUP, (__force long)EPOLLRDHUP);
	DEFINE(IRQF_TRIGGER_MASK, IRQF_TRIGGER_MASK);
	DEFINE(IRQF_SHARED, IRQF_SHARED);
	DEFINE(IRQF_PROBE_SHARED, IRQF_PROBE_SHARED);
	DEFINE(IRQF_PERCPU, IRQF_PERCPU);
	DEFINE(IRQF_ONESHOT, IRQF_ONESHOT);
	DEFINE(IRQF_NO_SUSPEND, IRQF_NO_SUSPEND);
	DEFINE(IRQF_COND_SUSPEND, IRQF_COND_SUSPEND);
	DEFINE(IRQF_NO_AUTOEN, IRQF_NO_AUTOEN);
	DEFINE(IRQF_NO_THREAD, IRQF_NO_THREAD);
	DEFINE(IRQF_TIMER, IRQF_TIMER);
	DEFINE(IRQF_NOBALANCING, IRQF_NOBALANCING);
	DEFINE(IRQF_IRQPOLL, IRQF_IRQPOLL);
	DEFINE(IRQ_NOTCONNECTED, IRQ_NOTCONNECTED);
	DEFINE(NR_IRQS_LEGACY, NR_IRQS_LEGACY);
	DEFINE(IRQ_NONE, IRQ_NONE);
	DEFINE(IRQ_HANDLED, IRQ_HANDLED);
	DEFINE(IRQ_WAKE_THREAD, IRQ_WAKE_THREAD);
	DEFINE(HARDIRQ_OFFSET, HARDIRQ_OFFSET);
	DEFINE(X86_EFLAGS_IF, X86_EFLAGS_IF);
	DEFINE(pv_ops_sizeof, sizeof(struct paravirt_patch_template));
	OFFSET(pv_ops_irq_save_fl, paravirt_patch_template, irq.save_fl.func);
	OFFSET(pv_ops_irq_irq_disable, paravirt_patch_template, irq.irq_disable.func);
	OFFSET(pv_ops_irq_irq_enable, paravirt_patch_template, irq.irq_enable.func);
	OFFSET(va_format_fmt, va_format, fmt);
	OFFSET(va_format_va, va_format, va);
}
