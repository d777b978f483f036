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
#include <linux/mm.h>
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
#include <linux/timer.h>
#include <linux/hrtimer.h>
#include <linux/workqueue.h>
#include <linux/wait.h>
#include <linux/completion.h>
#include <linux/jiffies.h>
#include <linux/time.h>
#include <linux/time64.h>
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
#include <asm/extable.h>
#include <asm/page.h>
#include <asm/pgtable_64_types.h>
#include <asm/processor.h>
#include <asm/paravirt_types.h>
#include <asm/cpufeature.h>
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
	/* KASAN's report names the page of a bad access (dump_page: vmemmap + pfn) */
	DEFINE(page_sizeof, sizeof(struct page));
	DEFINE(PG_slab, PG_slab);
	DEFINE(ZONES_PGSHIFT, ZONES_PGSHIFT);
	DEFINE(LAST_CPUPID_PGSHIFT, LAST_CPUPID_PGSHIFT);
	DEFINE(LAST_CPUPID_MASK, LAST_CPUPID_MASK);
	DEFINE(ZONE_DMA32, ZONE_DMA32);
	/* preempt_count() bits the lock checks and in_atomic() read */
	DEFINE(SOFTIRQ_DISABLE_OFFSET, SOFTIRQ_DISABLE_OFFSET);
	DEFINE(PREEMPT_MASK, PREEMPT_MASK);
	DEFINE(SOFTIRQ_MASK, SOFTIRQ_MASK);
	DEFINE(HARDIRQ_MASK, HARDIRQ_MASK);
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
	OFFSET(va_format_fmt, va_format, fmt);
	OFFSET(va_format_va, va_format, va);

	/* timers, hrtimers, work items, wait queues, completions */
	OFFSET(timer_list_entry_next, timer_list, entry.next);
	OFFSET(timer_list_entry_pprev, timer_list, entry.pprev);
	OFFSET(timer_list_expires, timer_list, expires);
	OFFSET(timer_list_function, timer_list, function);
	OFFSET(timer_list_flags, timer_list, flags);
	DEFINE(timer_list_sizeof, sizeof(struct timer_list));
	DEFINE(TIMER_CPUMASK, TIMER_CPUMASK);
	DEFINE(TIMER_MIGRATING, TIMER_MIGRATING);
	DEFINE(TIMER_BASEMASK, TIMER_BASEMASK);
	DEFINE(TIMER_DEFERRABLE, TIMER_DEFERRABLE);
	DEFINE(TIMER_PINNED, TIMER_PINNED);
	DEFINE(TIMER_IRQSAFE, TIMER_IRQSAFE);
	DEFINE(TIMER_INIT_FLAGS, TIMER_INIT_FLAGS);
	DEFINE(LIST_POISON2, (unsigned long)LIST_POISON2);
	DEFINE(MAX_JIFFY_OFFSET, MAX_JIFFY_OFFSET);
	DEFINE(MAX_SCHEDULE_TIMEOUT, MAX_SCHEDULE_TIMEOUT);
	OFFSET(hrtimer_node_expires, hrtimer, node.expires);
	OFFSET(hrtimer_softexpires, hrtimer, _softexpires);
	OFFSET(hrtimer_function, hrtimer, function);
	OFFSET(hrtimer_base, hrtimer, base);
	OFFSET(hrtimer_state, hrtimer, state);
	OFFSET(hrtimer_is_rel, hrtimer, is_rel);
	OFFSET(hrtimer_is_soft, hrtimer, is_soft);
	OFFSET(hrtimer_is_hard, hrtimer, is_hard);
	DEFINE(hrtimer_sizeof, sizeof(struct hrtimer));
	OFFSET(hrtimer_clock_base_clockid, hrtimer_clock_base, clockid);
	OFFSET(hrtimer_clock_base_index, hrtimer_clock_base, index);
	DEFINE(hrtimer_clock_base_sizeof, sizeof(struct hrtimer_clock_base));
	DEFINE(HRTIMER_STATE_ENQUEUED, HRTIMER_STATE_ENQUEUED);
	OFFSET(hrtimer_clock_base_get_time, hrtimer_clock_base, get_time);
	OFFSET(hrtimer_clock_base_running, hrtimer_clock_base, running);
	DEFINE(HRTIMER_MAX_CLOCK_BASES, HRTIMER_MAX_CLOCK_BASES);
	DEFINE(HRTIMER_BASE_MONOTONIC, HRTIMER_BASE_MONOTONIC);
	DEFINE(HRTIMER_BASE_REALTIME, HRTIMER_BASE_REALTIME);
	DEFINE(HRTIMER_BASE_BOOTTIME, HRTIMER_BASE_BOOTTIME);
	DEFINE(HRTIMER_BASE_TAI, HRTIMER_BASE_TAI);
	DEFINE(HRTIMER_BASE_MONOTONIC_SOFT, HRTIMER_BASE_MONOTONIC_SOFT);
	DEFINE(HRTIMER_MODE_REL, HRTIMER_MODE_REL);
	DEFINE(HRTIMER_MODE_SOFT, HRTIMER_MODE_SOFT);
	DEFINE(HRTIMER_MODE_HARD, HRTIMER_MODE_HARD);
	DEFINE(HRTIMER_NORESTART, HRTIMER_NORESTART);
	DEFINE(CLOCK_REALTIME, CLOCK_REALTIME);
	DEFINE(CLOCK_MONOTONIC, CLOCK_MONOTONIC);
	DEFINE(CLOCK_BOOTTIME, CLOCK_BOOTTIME);
	DEFINE(CLOCK_TAI, CLOCK_TAI);
	OFFSET(timespec64_tv_sec, timespec64, tv_sec);
	OFFSET(timespec64_tv_nsec, timespec64, tv_nsec);
	OFFSET(tm_sec, tm, tm_sec);
	OFFSET(tm_min, tm, tm_min);
	OFFSET(tm_hour, tm, tm_hour);
	OFFSET(tm_mday, tm, tm_mday);
	OFFSET(tm_mon, tm, tm_mon);
	OFFSET(tm_year, tm, tm_year);
	OFFSET(tm_wday, tm, tm_wday);
	OFFSET(tm_yday, tm, tm_yday);
	DEFINE(WORK_STRUCT_PWQ, WORK_STRUCT_PWQ);
	DEFINE(WORK_STRUCT_INACTIVE, WORK_STRUCT_INACTIVE);
	DEFINE(HRTIMER_RESTART, HRTIMER_RESTART);
	OFFSET(work_struct_data, work_struct, data);
	OFFSET(work_struct_entry, work_struct, entry);
	OFFSET(work_struct_func, work_struct, func);
	DEFINE(work_struct_sizeof, sizeof(struct work_struct));
	OFFSET(delayed_work_work, delayed_work, work);
	OFFSET(delayed_work_timer, delayed_work, timer);
	OFFSET(delayed_work_wq, delayed_work, wq);
	OFFSET(delayed_work_cpu, delayed_work, cpu);
	DEFINE(WORK_STRUCT_PENDING, WORK_STRUCT_PENDING);
	DEFINE(WORK_STRUCT_NO_POOL, (long)WORK_STRUCT_NO_POOL);
	DEFINE(WORK_STRUCT_FLAG_BITS, WORK_STRUCT_FLAG_BITS);
	DEFINE(WORK_OFFQ_POOL_SHIFT, WORK_OFFQ_POOL_SHIFT);
	DEFINE(WORK_OFFQ_CANCELING, WORK_OFFQ_CANCELING);
	DEFINE(WQ_UNBOUND, WQ_UNBOUND);
	DEFINE(WQ_FREEZABLE, WQ_FREEZABLE);
	DEFINE(WQ_MEM_RECLAIM, WQ_MEM_RECLAIM);
	DEFINE(WQ_HIGHPRI, WQ_HIGHPRI);
	DEFINE(WQ_POWER_EFFICIENT, WQ_POWER_EFFICIENT);
	DEFINE(__WQ_ORDERED, __WQ_ORDERED);
	OFFSET(wait_queue_entry_flags, wait_queue_entry, flags);
	OFFSET(wait_queue_entry_private, wait_queue_entry, private);
	OFFSET(wait_queue_entry_func, wait_queue_entry, func);
	OFFSET(wait_queue_entry_entry, wait_queue_entry, entry);
	OFFSET(wait_queue_head_lock, wait_queue_head, lock);
	OFFSET(wait_queue_head_head, wait_queue_head, head);
	DEFINE(WQ_FLAG_EXCLUSIVE, WQ_FLAG_EXCLUSIVE);
	DEFINE(WQ_FLAG_WOKEN, WQ_FLAG_WOKEN);
	OFFSET(completion_done, completion, done);
	OFFSET(completion_wait, completion, wait);
	DEFINE(TASK_RUNNING, TASK_RUNNING);
	DEFINE(TASK_INTERRUPTIBLE, TASK_INTERRUPTIBLE);
	DEFINE(TASK_UNINTERRUPTIBLE, TASK_UNINTERRUPTIBLE);
	DEFINE(TASK_NORMAL, TASK_NORMAL);
	DEFINE(TASK_WAKEKILL, TASK_WAKEKILL);
	DEFINE(TASK_NOLOAD, TASK_NOLOAD);
	DEFINE(TASK_DEAD, TASK_DEAD);
	DEFINE(PF_KTHREAD, PF_KTHREAD);
	DEFINE(SOFTIRQ_OFFSET, SOFTIRQ_OFFSET);
	DEFINE(HARDIRQ_OFFSET, HARDIRQ_OFFSET);

	/* struct cpuinfo_x86 (boot_cpu_data, per-cpu cpu_info) */
	DEFINE(cpuinfo_x86_sizeof, sizeof(struct cpuinfo_x86));
	OFFSET(cpuinfo_x86_x86, cpuinfo_x86, x86);
	OFFSET(cpuinfo_x86_x86_vendor, cpuinfo_x86, x86_vendor);
	OFFSET(cpuinfo_x86_x86_model, cpuinfo_x86, x86_model);
	OFFSET(cpuinfo_x86_x86_stepping, cpuinfo_x86, x86_stepping);
	OFFSET(cpuinfo_x86_x86_virt_bits, cpuinfo_x86, x86_virt_bits);
	OFFSET(cpuinfo_x86_x86_phys_bits, cpuinfo_x86, x86_phys_bits);
	OFFSET(cpuinfo_x86_extended_cpuid_level, cpuinfo_x86, extended_cpuid_level);
	OFFSET(cpuinfo_x86_cpuid_level, cpuinfo_x86, cpuid_level);
	OFFSET(cpuinfo_x86_x86_capability, cpuinfo_x86, x86_capability);
	OFFSET(cpuinfo_x86_x86_vendor_id, cpuinfo_x86, x86_vendor_id);
	OFFSET(cpuinfo_x86_x86_model_id, cpuinfo_x86, x86_model_id);
	OFFSET(cpuinfo_x86_x86_cache_alignment, cpuinfo_x86, x86_cache_alignment);
	OFFSET(cpuinfo_x86_x86_power, cpuinfo_x86, x86_power);
	OFFSET(cpuinfo_x86_loops_per_jiffy, cpuinfo_x86, loops_per_jiffy);
	OFFSET(cpuinfo_x86_x86_max_cores, cpuinfo_x86, x86_max_cores);
	OFFSET(cpuinfo_x86_x86_clflush_size, cpuinfo_x86, x86_clflush_size);
	OFFSET(cpuinfo_x86_booted_cores, cpuinfo_x86, booted_cores);
	OFFSET(cpuinfo_x86_cpu_index, cpuinfo_x86, cpu_index);
	OFFSET(cpuinfo_x86_x86_cache_bits, cpuinfo_x86, x86_cache_bits);
	DEFINE(NCAPINTS, NCAPINTS);
	DEFINE(X86_FEATURE_ALWAYS, X86_FEATURE_ALWAYS);
	DEFINE(X86_FEATURE_NOPL, X86_FEATURE_NOPL);
	DEFINE(X86_FEATURE_CPUID, X86_FEATURE_CPUID);

	/* pv_ops (arch/x86/include/asm/paravirt_types.h): every operation's slot */
	DEFINE(pv_ops_sizeof, sizeof(struct paravirt_patch_template));
	OFFSET(pv_ops_cpu_io_delay, paravirt_patch_template, cpu.io_delay);
	OFFSET(pv_ops_cpu_get_debugreg, paravirt_patch_template, cpu.get_debugreg);
	OFFSET(pv_ops_cpu_set_debugreg, paravirt_patch_template, cpu.set_debugreg);
	OFFSET(pv_ops_cpu_read_cr0, paravirt_patch_template, cpu.read_cr0);
	OFFSET(pv_ops_cpu_write_cr0, paravirt_patch_template, cpu.write_cr0);
	OFFSET(pv_ops_cpu_write_cr4, paravirt_patch_template, cpu.write_cr4);
	OFFSET(pv_ops_cpu_load_tr_desc, paravirt_patch_template, cpu.load_tr_desc);
	OFFSET(pv_ops_cpu_load_gdt, paravirt_patch_template, cpu.load_gdt);
	OFFSET(pv_ops_cpu_load_idt, paravirt_patch_template, cpu.load_idt);
	OFFSET(pv_ops_cpu_set_ldt, paravirt_patch_template, cpu.set_ldt);
	OFFSET(pv_ops_cpu_store_tr, paravirt_patch_template, cpu.store_tr);
	OFFSET(pv_ops_cpu_load_tls, paravirt_patch_template, cpu.load_tls);
	OFFSET(pv_ops_cpu_load_gs_index, paravirt_patch_template, cpu.load_gs_index);
	OFFSET(pv_ops_cpu_write_ldt_entry, paravirt_patch_template, cpu.write_ldt_entry);
	OFFSET(pv_ops_cpu_write_gdt_entry, paravirt_patch_template, cpu.write_gdt_entry);
	OFFSET(pv_ops_cpu_write_idt_entry, paravirt_patch_template, cpu.write_idt_entry);
	OFFSET(pv_ops_cpu_alloc_ldt, paravirt_patch_template, cpu.alloc_ldt);
	OFFSET(pv_ops_cpu_free_ldt, paravirt_patch_template, cpu.free_ldt);
	OFFSET(pv_ops_cpu_load_sp0, paravirt_patch_template, cpu.load_sp0);
	OFFSET(pv_ops_cpu_invalidate_io_bitmap, paravirt_patch_template, cpu.invalidate_io_bitmap);
	OFFSET(pv_ops_cpu_update_io_bitmap, paravirt_patch_template, cpu.update_io_bitmap);
	OFFSET(pv_ops_cpu_wbinvd, paravirt_patch_template, cpu.wbinvd);
	OFFSET(pv_ops_cpu_cpuid, paravirt_patch_template, cpu.cpuid);
	OFFSET(pv_ops_cpu_read_msr, paravirt_patch_template, cpu.read_msr);
	OFFSET(pv_ops_cpu_write_msr, paravirt_patch_template, cpu.write_msr);
	OFFSET(pv_ops_cpu_read_msr_safe, paravirt_patch_template, cpu.read_msr_safe);
	OFFSET(pv_ops_cpu_write_msr_safe, paravirt_patch_template, cpu.write_msr_safe);
	OFFSET(pv_ops_cpu_read_pmc, paravirt_patch_template, cpu.read_pmc);
	OFFSET(pv_ops_cpu_start_context_switch, paravirt_patch_template, cpu.start_context_switch);
	OFFSET(pv_ops_cpu_end_context_switch, paravirt_patch_template, cpu.end_context_switch);
	OFFSET(pv_ops_irq_save_fl, paravirt_patch_template, irq.save_fl);
	OFFSET(pv_ops_irq_irq_disable, paravirt_patch_template, irq.irq_disable);
	OFFSET(pv_ops_irq_irq_enable, paravirt_patch_template, irq.irq_enable);
	OFFSET(pv_ops_irq_safe_halt, paravirt_patch_template, irq.safe_halt);
	OFFSET(pv_ops_irq_halt, paravirt_patch_template, irq.halt);
	OFFSET(pv_ops_mmu_flush_tlb_user, paravirt_patch_template, mmu.flush_tlb_user);
	OFFSET(pv_ops_mmu_flush_tlb_kernel, paravirt_patch_template, mmu.flush_tlb_kernel);
	OFFSET(pv_ops_mmu_flush_tlb_one_user, paravirt_patch_template, mmu.flush_tlb_one_user);
	OFFSET(pv_ops_mmu_flush_tlb_multi, paravirt_patch_template, mmu.flush_tlb_multi);
	OFFSET(pv_ops_mmu_tlb_remove_table, paravirt_patch_template, mmu.tlb_remove_table);
	OFFSET(pv_ops_mmu_exit_mmap, paravirt_patch_template, mmu.exit_mmap);
	OFFSET(pv_ops_mmu_notify_page_enc_status_changed, paravirt_patch_template, mmu.notify_page_enc_status_changed);
	OFFSET(pv_ops_mmu_read_cr2, paravirt_patch_template, mmu.read_cr2);
	OFFSET(pv_ops_mmu_write_cr2, paravirt_patch_template, mmu.write_cr2);
	OFFSET(pv_ops_mmu_read_cr3, paravirt_patch_template, mmu.read_cr3);
	OFFSET(pv_ops_mmu_write_cr3, paravirt_patch_template, mmu.write_cr3);
	OFFSET(pv_ops_mmu_activate_mm, paravirt_patch_template, mmu.activate_mm);
	OFFSET(pv_ops_mmu_dup_mmap, paravirt_patch_template, mmu.dup_mmap);
	OFFSET(pv_ops_mmu_pgd_alloc, paravirt_patch_template, mmu.pgd_alloc);
	OFFSET(pv_ops_mmu_pgd_free, paravirt_patch_template, mmu.pgd_free);
	OFFSET(pv_ops_mmu_alloc_pte, paravirt_patch_template, mmu.alloc_pte);
	OFFSET(pv_ops_mmu_alloc_pmd, paravirt_patch_template, mmu.alloc_pmd);
	OFFSET(pv_ops_mmu_alloc_pud, paravirt_patch_template, mmu.alloc_pud);
	OFFSET(pv_ops_mmu_alloc_p4d, paravirt_patch_template, mmu.alloc_p4d);
	OFFSET(pv_ops_mmu_release_pte, paravirt_patch_template, mmu.release_pte);
	OFFSET(pv_ops_mmu_release_pmd, paravirt_patch_template, mmu.release_pmd);
	OFFSET(pv_ops_mmu_release_pud, paravirt_patch_template, mmu.release_pud);
	OFFSET(pv_ops_mmu_release_p4d, paravirt_patch_template, mmu.release_p4d);
	OFFSET(pv_ops_mmu_set_pte, paravirt_patch_template, mmu.set_pte);
	OFFSET(pv_ops_mmu_set_pmd, paravirt_patch_template, mmu.set_pmd);
	OFFSET(pv_ops_mmu_ptep_modify_prot_start, paravirt_patch_template, mmu.ptep_modify_prot_start);
	OFFSET(pv_ops_mmu_ptep_modify_prot_commit, paravirt_patch_template, mmu.ptep_modify_prot_commit);
	OFFSET(pv_ops_mmu_pte_val, paravirt_patch_template, mmu.pte_val);
	OFFSET(pv_ops_mmu_make_pte, paravirt_patch_template, mmu.make_pte);
	OFFSET(pv_ops_mmu_pgd_val, paravirt_patch_template, mmu.pgd_val);
	OFFSET(pv_ops_mmu_make_pgd, paravirt_patch_template, mmu.make_pgd);
	OFFSET(pv_ops_mmu_set_pud, paravirt_patch_template, mmu.set_pud);
	OFFSET(pv_ops_mmu_pmd_val, paravirt_patch_template, mmu.pmd_val);
	OFFSET(pv_ops_mmu_make_pmd, paravirt_patch_template, mmu.make_pmd);
	OFFSET(pv_ops_mmu_pud_val, paravirt_patch_template, mmu.pud_val);
	OFFSET(pv_ops_mmu_make_pud, paravirt_patch_template, mmu.make_pud);
	OFFSET(pv_ops_mmu_set_p4d, paravirt_patch_template, mmu.set_p4d);
	OFFSET(pv_ops_mmu_p4d_val, paravirt_patch_template, mmu.p4d_val);
	OFFSET(pv_ops_mmu_make_p4d, paravirt_patch_template, mmu.make_p4d);
	OFFSET(pv_ops_mmu_set_pgd, paravirt_patch_template, mmu.set_pgd);
	OFFSET(pv_ops_mmu_lazy_mode_enter, paravirt_patch_template, mmu.lazy_mode.enter);
	OFFSET(pv_ops_mmu_lazy_mode_leave, paravirt_patch_template, mmu.lazy_mode.leave);
	OFFSET(pv_ops_mmu_lazy_mode_flush, paravirt_patch_template, mmu.lazy_mode.flush);
	OFFSET(pv_ops_mmu_set_fixmap, paravirt_patch_template, mmu.set_fixmap);
	OFFSET(pv_ops_lock_queued_spin_lock_slowpath, paravirt_patch_template, lock.queued_spin_lock_slowpath);
	OFFSET(pv_ops_lock_queued_spin_unlock, paravirt_patch_template, lock.queued_spin_unlock);
	OFFSET(pv_ops_lock_wait, paravirt_patch_template, lock.wait);
	OFFSET(pv_ops_lock_kick, paravirt_patch_template, lock.kick);
	OFFSET(pv_ops_lock_vcpu_is_preempted, paravirt_patch_template, lock.vcpu_is_preempted);
}
