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
#include <linux/ratelimit.h>
#include <linux/refcount.h>
#include <linux/rbtree_augmented.h>
#include <linux/kfifo.h>
#include <linux/idr.h>
#include <linux/xarray.h>
#include <linux/rwsem.h>
#include <linux/semaphore.h>
#include <linux/srcu.h>
#include <linux/cpumask.h>
#include <linux/uidgid.h>
#include <linux/user_namespace.h>
#include <linux/capability.h>
#include <linux/uuid.h>
#include <linux/random.h>
#include <linux/bottom_half.h>
#include <linux/nodemask.h>
#include <linux/percpu.h>
#include <linux/prandom.h>
#include <linux/mm.h>
#include <linux/llist.h>
#include <linux/proc_ns.h>
#include <linux/cred.h>
#include <linux/sched/user.h>
#include <linux/securebits.h>
#include <linux/freezer.h>
#include <linux/lockref.h>
#include <linux/nls.h>
#include <linux/platform_device.h>
#include <linux/mod_devicetable.h>
#include <linux/ioport.h>
#include <linux/pci.h>
#include <linux/i2c.h>
#include <linux/spi/spi.h>
#include <linux/dynamic_debug.h>
#include <linux/notifier.h>
#include <linux/device/bus.h>
#include <linux/device/driver.h>
#include <linux/device/class.h>
#include <linux/fwnode.h>
#include <linux/property.h>
#include <linux/trace_events.h>
#include <linux/tracepoint-defs.h>
#include <linux/jump_label.h>
#include <linux/irq.h>
#include <linux/irqdesc.h>
#include <linux/utsname.h>
#include <linux/sysctl.h>
#include <linux/kthread.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <asm/dma.h>
#include <linux/static_call.h>
#include <asm/alternative.h>
#include <asm/nops.h>
#include <asm/text-patching.h>
#include <linux/mman.h>
#include <linux/interval_tree.h>
#include <asm/msr-index.h>

/* n bytes of a BYTES_NOPn list packed little-endian into one number */
#define PACK_NOP(...) PACK_NOP_(__VA_ARGS__, 0, 0, 0, 0, 0, 0, 0, 0)
#define PACK_NOP_(a, b, c, d, e, f, g, h, ...) ((u64)(a) | (u64)(b) << 8 | (u64)(c) << 16 | (u64)(d) << 24 | \
	(u64)(e) << 32 | (u64)(f) << 40 | (u64)(g) << 48 | (u64)(h) << 56)

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
	DEFINE(TASK_KILLABLE, TASK_KILLABLE);
	DEFINE(TASK_NORMAL, TASK_NORMAL);
	DEFINE(TASK_WAKEKILL, TASK_WAKEKILL);
	DEFINE(TASK_NOLOAD, TASK_NOLOAD);
	DEFINE(TASK_DEAD, TASK_DEAD);
	DEFINE(PF_KTHREAD, PF_KTHREAD);
	DEFINE(SOFTIRQ_OFFSET, SOFTIRQ_OFFSET);

	/* struct tasklet_struct */
	DEFINE(tasklet_struct_sizeof, sizeof(struct tasklet_struct));
	OFFSET(tasklet_struct_next, tasklet_struct, next);
	OFFSET(tasklet_struct_state, tasklet_struct, state);
	OFFSET(tasklet_struct_count, tasklet_struct, count);
	OFFSET(tasklet_struct_use_callback, tasklet_struct, use_callback);
	OFFSET(tasklet_struct_func, tasklet_struct, func);
	OFFSET(tasklet_struct_data, tasklet_struct, data);
	DEFINE(TASKLET_STATE_SCHED, TASKLET_STATE_SCHED);
	DEFINE(TASKLET_STATE_RUN, TASKLET_STATE_RUN);

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

	/* lib/: refcount, ratelimit, rbtree, kfifo, idr/ida/xarray */
	DEFINE(REFCOUNT_SATURATED, REFCOUNT_SATURATED);
	DEFINE(REFCOUNT_ADD_NOT_ZERO_OVF, REFCOUNT_ADD_NOT_ZERO_OVF);
	DEFINE(REFCOUNT_ADD_OVF, REFCOUNT_ADD_OVF);
	DEFINE(REFCOUNT_ADD_UAF, REFCOUNT_ADD_UAF);
	DEFINE(REFCOUNT_SUB_UAF, REFCOUNT_SUB_UAF);
	DEFINE(REFCOUNT_DEC_LEAK, REFCOUNT_DEC_LEAK);
	OFFSET(ratelimit_state_lock, ratelimit_state, lock);
	OFFSET(ratelimit_state_interval, ratelimit_state, interval);
	OFFSET(ratelimit_state_burst, ratelimit_state, burst);
	OFFSET(ratelimit_state_printed, ratelimit_state, printed);
	OFFSET(ratelimit_state_missed, ratelimit_state, missed);
	OFFSET(ratelimit_state_begin, ratelimit_state, begin);
	OFFSET(ratelimit_state_flags, ratelimit_state, flags);
	DEFINE(RATELIMIT_MSG_ON_RELEASE, RATELIMIT_MSG_ON_RELEASE);
	OFFSET(rb_node_parent_color, rb_node, __rb_parent_color);
	OFFSET(rb_node_rb_right, rb_node, rb_right);
	OFFSET(rb_node_rb_left, rb_node, rb_left);
	OFFSET(rb_root_rb_node, rb_root, rb_node);
	OFFSET(rb_root_cached_rb_leftmost, rb_root_cached, rb_leftmost);
	OFFSET(rb_augment_callbacks_propagate, rb_augment_callbacks, propagate);
	OFFSET(rb_augment_callbacks_copy, rb_augment_callbacks, copy);
	OFFSET(rb_augment_callbacks_rotate, rb_augment_callbacks, rotate);
	DEFINE(RB_RED, RB_RED);
	DEFINE(RB_BLACK, RB_BLACK);
	OFFSET(__kfifo_in, __kfifo, in);
	OFFSET(__kfifo_out, __kfifo, out);
	OFFSET(__kfifo_mask, __kfifo, mask);
	OFFSET(__kfifo_esize, __kfifo, esize);
	OFFSET(__kfifo_data, __kfifo, data);
	OFFSET(xarray_xa_lock, xarray, xa_lock);
	OFFSET(xarray_xa_flags, xarray, xa_flags);
	OFFSET(xarray_xa_head, xarray, xa_head);
	DEFINE(xarray_sizeof, sizeof(struct xarray));
	OFFSET(xa_limit_max, xa_limit, max);
	OFFSET(xa_limit_min, xa_limit, min);
	DEFINE(XA_FLAGS_TRACK_FREE, (__force long)XA_FLAGS_TRACK_FREE);
	DEFINE(XA_FLAGS_ZERO_BUSY, (__force long)XA_FLAGS_ZERO_BUSY);
	DEFINE(XA_FLAGS_ALLOC_WRAPPED, (__force long)XA_FLAGS_ALLOC_WRAPPED);
	DEFINE(XA_FLAGS_MARK_0, (__force long)XA_FLAGS_MARK(XA_MARK_0));
	DEFINE(XA_PRESENT, (__force long)XA_PRESENT);
	DEFINE(XA_CHUNK_SHIFT, XA_CHUNK_SHIFT);
	DEFINE(xa_node_sizeof, sizeof(struct xa_node));
	OFFSET(idr_idr_rt, idr, idr_rt);
	OFFSET(idr_idr_base, idr, idr_base);
	OFFSET(idr_idr_next, idr, idr_next);
	DEFINE(ROOT_IS_IDR, (__force long)ROOT_IS_IDR);
	DEFINE(ROOT_TAG_SHIFT, ROOT_TAG_SHIFT);
	DEFINE(IDA_BITMAP_BITS, IDA_BITMAP_BITS);
	DEFINE(ida_bitmap_sizeof, sizeof(struct ida_bitmap));
	DEFINE(INT_MAX, INT_MAX);

	/* kernel/locking, kernel/rcu */
	OFFSET(rw_semaphore_count, rw_semaphore, count);
	OFFSET(rw_semaphore_owner, rw_semaphore, owner);
	OFFSET(rw_semaphore_osq, rw_semaphore, osq);
	OFFSET(rw_semaphore_wait_lock, rw_semaphore, wait_lock);
	OFFSET(rw_semaphore_wait_list, rw_semaphore, wait_list);
	DEFINE(rw_semaphore_sizeof, sizeof(struct rw_semaphore));
	OFFSET(semaphore_lock, semaphore, lock);
	OFFSET(semaphore_count, semaphore, count);
	OFFSET(semaphore_wait_list, semaphore, wait_list);
	OFFSET(task_struct_rcu_read_lock_nesting, task_struct, rcu_read_lock_nesting);
	OFFSET(task_struct_rcu_read_unlock_special, task_struct, rcu_read_unlock_special);
	OFFSET(callback_head_next, callback_head, next);
	OFFSET(callback_head_func, callback_head, func);
	DEFINE(srcu_struct_sizeof, sizeof(struct srcu_struct));
	DEFINE(SOFTIRQ_DISABLE_OFFSET, SOFTIRQ_DISABLE_OFFSET);
	DEFINE(SOFTIRQ_MASK, SOFTIRQ_MASK);
	DEFINE(HARDIRQ_MASK, HARDIRQ_MASK);
	DEFINE(NMI_MASK, NMI_MASK);
	DEFINE(PREEMPT_MASK, PREEMPT_MASK);

	/* cpumasks, credentials, uuids */
	DEFINE(cpumask_sizeof, sizeof(struct cpumask));
	DEFINE(user_namespace_sizeof, sizeof(struct user_namespace));
	DEFINE(CAP_LAST_CAP, CAP_LAST_CAP);
	DEFINE(UUID_SIZE, UUID_SIZE);
	DEFINE(UUID_STRING_LEN, UUID_STRING_LEN);

	/* credentials and namespaces, mm, random state */
	DEFINE(PF_SUPERPRIV, PF_SUPERPRIV);
	OFFSET(user_namespace_uid_map, user_namespace, uid_map);
	OFFSET(user_namespace_gid_map, user_namespace, gid_map);
	OFFSET(user_namespace_projid_map, user_namespace, projid_map);
	OFFSET(user_namespace_ns_count, user_namespace, ns.count);
	OFFSET(user_namespace_ns_inum, user_namespace, ns.inum);
	OFFSET(user_namespace_flags, user_namespace, flags);
	OFFSET(uid_gid_map_nr_extents, uid_gid_map, nr_extents);
	OFFSET(uid_gid_map_extent, uid_gid_map, extent);
	OFFSET(uid_gid_map_forward, uid_gid_map, forward);
	OFFSET(uid_gid_map_reverse, uid_gid_map, reverse);
	OFFSET(uid_gid_extent_first, uid_gid_extent, first);
	OFFSET(uid_gid_extent_lower_first, uid_gid_extent, lower_first);
	OFFSET(uid_gid_extent_count, uid_gid_extent, count);
	DEFINE(uid_gid_extent_sizeof, sizeof(struct uid_gid_extent));
	DEFINE(UID_GID_MAP_MAX_BASE_EXTENTS, UID_GID_MAP_MAX_BASE_EXTENTS);
	DEFINE(PROC_USER_INIT_INO, PROC_USER_INIT_INO);
	DEFINE(USERNS_INIT_FLAGS, USERNS_INIT_FLAGS);
	DEFINE(DEFAULT_OVERFLOWUID, DEFAULT_OVERFLOWUID);
	DEFINE(DEFAULT_OVERFLOWGID, DEFAULT_OVERFLOWGID);
	DEFINE(nodemask_t_sizeof, sizeof(nodemask_t));
	DEFINE(NR_NODE_STATES, NR_NODE_STATES);
	DEFINE(N_POSSIBLE, N_POSSIBLE);
	DEFINE(N_ONLINE, N_ONLINE);
	DEFINE(N_NORMAL_MEMORY, N_NORMAL_MEMORY);
	DEFINE(N_HIGH_MEMORY, N_HIGH_MEMORY);
	DEFINE(N_MEMORY, N_MEMORY);
	DEFINE(N_CPU, N_CPU);
	DEFINE(N_GENERIC_INITIATOR, N_GENERIC_INITIATOR);
	DEFINE(MAX_NUMNODES, MAX_NUMNODES);
	DEFINE(MAX_ORDER, MAX_ORDER);
	DEFINE(PCPU_MIN_UNIT_SIZE, PCPU_MIN_UNIT_SIZE);
	DEFINE(SLAB_HWCACHE_ALIGN, (__force long)SLAB_HWCACHE_ALIGN);
	DEFINE(ARCH_KMALLOC_MINALIGN, ARCH_KMALLOC_MINALIGN);
	DEFINE(ARCH_SLAB_MINALIGN, ARCH_SLAB_MINALIGN);
	DEFINE(L1_CACHE_BYTES, L1_CACHE_BYTES);
	OFFSET(rnd_state_s1, rnd_state, s1);
	OFFSET(rnd_state_s2, rnd_state, s2);
	OFFSET(rnd_state_s3, rnd_state, s3);
	OFFSET(rnd_state_s4, rnd_state, s4);
	DEFINE(rnd_state_sizeof, sizeof(struct rnd_state));
	OFFSET(llist_head_first, llist_head, first);
	OFFSET(llist_node_next, llist_node, next);
	DEFINE(CAP_VALID_MAX, CAP_LAST_CAP);

	/* credentials of every task (init_cred), slab init-on-alloc */
	OFFSET(task_struct_real_cred, task_struct, real_cred);
	OFFSET(task_struct_cred, task_struct, cred);
	DEFINE(cred_sizeof, sizeof(struct cred));
	OFFSET(cred_usage, cred, usage);
	OFFSET(cred_uid, cred, uid);
	OFFSET(cred_securebits, cred, securebits);
	OFFSET(cred_cap_inheritable, cred, cap_inheritable);
	OFFSET(cred_cap_permitted, cred, cap_permitted);
	OFFSET(cred_cap_effective, cred, cap_effective);
	OFFSET(cred_cap_bset, cred, cap_bset);
	OFFSET(cred_cap_ambient, cred, cap_ambient);
	OFFSET(cred_user, cred, user);
	OFFSET(cred_user_ns, cred, user_ns);
	OFFSET(cred_group_info, cred, group_info);
	DEFINE(SECUREBITS_DEFAULT, SECUREBITS_DEFAULT);
	DEFINE(CAP_LAST_U32_VALID_MASK, CAP_LAST_U32_VALID_MASK);
	DEFINE(group_info_sizeof, sizeof(struct group_info));
	OFFSET(group_info_usage, group_info, usage);
	DEFINE(user_struct_sizeof, sizeof(struct user_struct));
	OFFSET(user_struct_count, user_struct, __count);
	DEFINE(INIT_ON_ALLOC_DEFAULT_ON, IS_ENABLED(CONFIG_INIT_ON_ALLOC_DEFAULT_ON));
	DEFINE(SLAB_TYPESAFE_BY_RCU, (__force long)SLAB_TYPESAFE_BY_RCU);
	DEFINE(SLAB_POISON, (__force long)SLAB_POISON);

	/* page->flags of slab pages, as %pGp decodes them */
	DEFINE(NODES_PGSHIFT, NODES_PGSHIFT);
	DEFINE(ZONES_PGSHIFT, ZONES_PGSHIFT);
	DEFINE(LAST_CPUPID_PGSHIFT, LAST_CPUPID_PGSHIFT);
	DEFINE(LAST_CPUPID_MASK, LAST_CPUPID_MASK);
	DEFINE(PG_slab, PG_slab);
	DEFINE(PG_head, PG_head);
	DEFINE(ZONE_DMA32, ZONE_DMA32);

	/* tasklets, the freezer, lockrefs */
	OFFSET(tasklet_struct_callback, tasklet_struct, callback);
	DEFINE(PF_NOFREEZE, PF_NOFREEZE);
	DEFINE(TASK_FROZEN, TASK_FROZEN);
	DEFINE(static_key_false_sizeof, sizeof(struct static_key_false));
	OFFSET(lockref_lock, lockref, lock);
	OFFSET(lockref_count, lockref, count);

	/* fs/nls/nls_base.c */
	OFFSET(nls_table_charset, nls_table, charset);
	OFFSET(nls_table_alias, nls_table, alias);
	OFFSET(nls_table_uni2char, nls_table, uni2char);
	OFFSET(nls_table_char2uni, nls_table, char2uni);
	OFFSET(nls_table_charset2lower, nls_table, charset2lower);
	OFFSET(nls_table_charset2upper, nls_table, charset2upper);
	OFFSET(nls_table_owner, nls_table, owner);
	OFFSET(nls_table_next, nls_table, next);
	DEFINE(nls_table_sizeof, sizeof(struct nls_table));
	DEFINE(UTF16_HOST_ENDIAN, UTF16_HOST_ENDIAN);
	DEFINE(UTF16_LITTLE_ENDIAN, UTF16_LITTLE_ENDIAN);
	DEFINE(UTF16_BIG_ENDIAN, UTF16_BIG_ENDIAN);

	/* the device model (issue 9): lib/kobject.c, drivers/base/, platform, pci, i2c, spi */
	OFFSET(kobject_entry, kobject, entry);
	OFFSET(kobject_sd, kobject, sd);
	/* state_initialized:1, state_in_sysfs:1, state_add_uevent_sent:1, state_remove_uevent_sent:1,
	 * uevent_suppress:1 are the bit-fields right after kref (x86-64 psABI: first field in bit 0) */
	DEFINE(kobject_state, offsetof(struct kobject, kref) + sizeof(struct kref));
	OFFSET(kset_list, kset, list);
	OFFSET(kset_list_lock, kset, list_lock);
	OFFSET(kset_kobj, kset, kobj);
	OFFSET(kset_uevent_ops, kset, uevent_ops);
	DEFINE(kset_sizeof, sizeof(struct kset));
	OFFSET(kset_uevent_ops_filter, kset_uevent_ops, filter);
	OFFSET(kset_uevent_ops_name, kset_uevent_ops, name);
	OFFSET(kset_uevent_ops_uevent, kset_uevent_ops, uevent);
	DEFINE(kset_uevent_ops_sizeof, sizeof(struct kset_uevent_ops));
	OFFSET(kobj_type_child_ns_type, kobj_type, child_ns_type);
	OFFSET(kobj_type_namespace, kobj_type, namespace);
	OFFSET(kobj_type_get_ownership, kobj_type, get_ownership);
	OFFSET(kobj_uevent_env_argv, kobj_uevent_env, argv);
	DEFINE(KOBJ_ADD, KOBJ_ADD);
	DEFINE(KOBJ_REMOVE, KOBJ_REMOVE);
	DEFINE(KOBJ_CHANGE, KOBJ_CHANGE);
	DEFINE(KOBJ_MOVE, KOBJ_MOVE);
	DEFINE(KOBJ_ONLINE, KOBJ_ONLINE);
	DEFINE(KOBJ_OFFLINE, KOBJ_OFFLINE);
	DEFINE(KOBJ_BIND, KOBJ_BIND);
	DEFINE(KOBJ_UNBIND, KOBJ_UNBIND);
	OFFSET(bin_attribute_attr, bin_attribute, attr);
	OFFSET(bin_attribute_size, bin_attribute, size);
	OFFSET(bin_attribute_read, bin_attribute, read);
	OFFSET(bin_attribute_write, bin_attribute, write);
	OFFSET(device_p, device, p);
	OFFSET(device_mutex, device, mutex);
	OFFSET(device_platform_data, device, platform_data);
	OFFSET(device_links_status, device, links.status);
	OFFSET(device_links_consumers, device, links.consumers);
	OFFSET(device_links_suppliers, device, links.suppliers);
	OFFSET(device_links_defer_sync, device, links.defer_sync);
	OFFSET(device_power, device, power);
	OFFSET(device_pm_domain, device, pm_domain);
	OFFSET(device_numa_node, device, numa_node);
	OFFSET(device_dma_mask, device, dma_mask);
	OFFSET(device_coherent_dma_mask, device, coherent_dma_mask);
	OFFSET(device_dma_pools, device, dma_pools);
	OFFSET(device_devres_lock, device, devres_lock);
	OFFSET(device_devres_head, device, devres_head);
	OFFSET(device_of_node, device, of_node);
	OFFSET(device_fwnode, device, fwnode);
	OFFSET(device_id, device, id);
	OFFSET(device_dma_io_tlb_mem, device, dma_io_tlb_mem);
	DEFINE(DL_DEV_NO_DRIVER, DL_DEV_NO_DRIVER);
	DEFINE(DL_DEV_PROBING, DL_DEV_PROBING);
	DEFINE(DL_DEV_DRIVER_BOUND, DL_DEV_DRIVER_BOUND);
	DEFINE(DL_DEV_UNBINDING, DL_DEV_UNBINDING);
	DEFINE(NUMA_NO_NODE, NUMA_NO_NODE);
	OFFSET(device_type_pm, device_type, pm);
	OFFSET(device_driver_bus, device_driver, bus);
	OFFSET(device_driver_owner, device_driver, owner);
	OFFSET(device_driver_mod_name, device_driver, mod_name);
	OFFSET(device_driver_suppress_bind_attrs, device_driver, suppress_bind_attrs);
	OFFSET(device_driver_probe_type, device_driver, probe_type);
	OFFSET(device_driver_of_match_table, device_driver, of_match_table);
	OFFSET(device_driver_acpi_match_table, device_driver, acpi_match_table);
	OFFSET(device_driver_probe, device_driver, probe);
	OFFSET(device_driver_sync_state, device_driver, sync_state);
	OFFSET(device_driver_remove, device_driver, remove);
	OFFSET(device_driver_shutdown, device_driver, shutdown);
	OFFSET(device_driver_groups, device_driver, groups);
	OFFSET(device_driver_dev_groups, device_driver, dev_groups);
	OFFSET(device_driver_pm, device_driver, pm);
	OFFSET(device_driver_coredump, device_driver, coredump);
	OFFSET(device_driver_p, device_driver, p);
	DEFINE(device_driver_sizeof, sizeof(struct device_driver));
	DEFINE(PROBE_DEFAULT_STRATEGY, PROBE_DEFAULT_STRATEGY);
	DEFINE(PROBE_PREFER_ASYNCHRONOUS, PROBE_PREFER_ASYNCHRONOUS);
	DEFINE(PROBE_FORCE_SYNCHRONOUS, PROBE_FORCE_SYNCHRONOUS);
	OFFSET(bus_type_dev_name, bus_type, dev_name);
	OFFSET(bus_type_dev_root, bus_type, dev_root);
	OFFSET(bus_type_bus_groups, bus_type, bus_groups);
	OFFSET(bus_type_dev_groups, bus_type, dev_groups);
	OFFSET(bus_type_drv_groups, bus_type, drv_groups);
	OFFSET(bus_type_match, bus_type, match);
	OFFSET(bus_type_uevent, bus_type, uevent);
	OFFSET(bus_type_probe, bus_type, probe);
	OFFSET(bus_type_sync_state, bus_type, sync_state);
	OFFSET(bus_type_remove, bus_type, remove);
	OFFSET(bus_type_shutdown, bus_type, shutdown);
	OFFSET(bus_type_online, bus_type, online);
	OFFSET(bus_type_offline, bus_type, offline);
	OFFSET(bus_type_dma_configure, bus_type, dma_configure);
	OFFSET(bus_type_dma_cleanup, bus_type, dma_cleanup);
	OFFSET(bus_type_pm, bus_type, pm);
	OFFSET(bus_type_p, bus_type, p);
	OFFSET(bus_type_need_parent_lock, bus_type, need_parent_lock);
	DEFINE(bus_type_sizeof, sizeof(struct bus_type));
	OFFSET(bus_attribute_show, bus_attribute, show);
	OFFSET(bus_attribute_store, bus_attribute, store);
	OFFSET(driver_attribute_show, driver_attribute, show);
	OFFSET(driver_attribute_store, driver_attribute, store);
	OFFSET(class_p, class, p);
	OFFSET(class_dev_kobj, class, dev_kobj);
	OFFSET(class_ns_type, class, ns_type);
	OFFSET(notifier_block_notifier_call, notifier_block, notifier_call);
	OFFSET(notifier_block_next, notifier_block, next);
	OFFSET(notifier_block_priority, notifier_block, priority);
	DEFINE(NOTIFY_STOP_MASK, NOTIFY_STOP_MASK);
	DEFINE(BUS_NOTIFY_ADD_DEVICE, BUS_NOTIFY_ADD_DEVICE);
	DEFINE(BUS_NOTIFY_DEL_DEVICE, BUS_NOTIFY_DEL_DEVICE);
	DEFINE(BUS_NOTIFY_REMOVED_DEVICE, BUS_NOTIFY_REMOVED_DEVICE);
	DEFINE(BUS_NOTIFY_BIND_DRIVER, BUS_NOTIFY_BIND_DRIVER);
	DEFINE(BUS_NOTIFY_BOUND_DRIVER, BUS_NOTIFY_BOUND_DRIVER);
	DEFINE(BUS_NOTIFY_UNBIND_DRIVER, BUS_NOTIFY_UNBIND_DRIVER);
	DEFINE(BUS_NOTIFY_UNBOUND_DRIVER, BUS_NOTIFY_UNBOUND_DRIVER);
	DEFINE(BUS_NOTIFY_DRIVER_NOT_BOUND, BUS_NOTIFY_DRIVER_NOT_BOUND);
	DEFINE(EPROBE_DEFER, EPROBE_DEFER);
	OFFSET(_ddebug_modname, _ddebug, modname);
	OFFSET(_ddebug_function, _ddebug, function);
	OFFSET(_ddebug_filename, _ddebug, filename);
	OFFSET(_ddebug_format, _ddebug, format);
	/* lineno:18, class_id:6, flags:8: one unsigned int after format */
	DEFINE(_ddebug_bits, offsetof(struct _ddebug, format) + sizeof(char *));
	DEFINE(_DPRINTK_FLAGS_INCL_MODNAME, _DPRINTK_FLAGS_INCL_MODNAME);
	DEFINE(_DPRINTK_FLAGS_INCL_FUNCNAME, _DPRINTK_FLAGS_INCL_FUNCNAME);
	DEFINE(_DPRINTK_FLAGS_INCL_LINENO, _DPRINTK_FLAGS_INCL_LINENO);
	DEFINE(_DPRINTK_FLAGS_INCL_TID, _DPRINTK_FLAGS_INCL_TID);
	OFFSET(resource_start, resource, start);
	OFFSET(resource_end, resource, end);
	OFFSET(resource_name, resource, name);
	OFFSET(resource_flags, resource, flags);
	OFFSET(resource_desc, resource, desc);
	OFFSET(resource_parent, resource, parent);
	OFFSET(resource_sibling, resource, sibling);
	OFFSET(resource_child, resource, child);
	DEFINE(resource_sizeof, sizeof(struct resource));
	DEFINE(IORESOURCE_BITS, IORESOURCE_BITS);
	DEFINE(IORESOURCE_TYPE_BITS, IORESOURCE_TYPE_BITS);
	DEFINE(IORESOURCE_IO, IORESOURCE_IO);
	DEFINE(IORESOURCE_MEM, IORESOURCE_MEM);
	DEFINE(IORESOURCE_REG, IORESOURCE_REG);
	DEFINE(IORESOURCE_IRQ, IORESOURCE_IRQ);
	DEFINE(IORESOURCE_DMA, IORESOURCE_DMA);
	DEFINE(IORESOURCE_BUS, IORESOURCE_BUS);
	DEFINE(IORESOURCE_DISABLED, IORESOURCE_DISABLED);
	DEFINE(IORESOURCE_UNSET, IORESOURCE_UNSET);
	DEFINE(IORESOURCE_BUSY, IORESOURCE_BUSY);
	DEFINE(IORESOURCE_MEM_64, IORESOURCE_MEM_64);
	DEFINE(IORESOURCE_PREFETCH, IORESOURCE_PREFETCH);
	DEFINE(IORESOURCE_READONLY, IORESOURCE_READONLY);
	DEFINE(IORESOURCE_SIZEALIGN, IORESOURCE_SIZEALIGN);
	DEFINE(IORESOURCE_STARTALIGN, IORESOURCE_STARTALIGN);
	DEFINE(IORESOURCE_AUTO, IORESOURCE_AUTO);
	DEFINE(IORESOURCE_WINDOW, IORESOURCE_WINDOW);
	DEFINE(IORESOURCE_MUXED, IORESOURCE_MUXED);
	DEFINE(IORESOURCE_EXT_TYPE_BITS, IORESOURCE_EXT_TYPE_BITS);
	DEFINE(IORESOURCE_SYSRAM, IORESOURCE_SYSRAM);
	DEFINE(IORESOURCE_EXCLUSIVE, IORESOURCE_EXCLUSIVE);
	DEFINE(IORESOURCE_SHADOWABLE, IORESOURCE_SHADOWABLE);
	DEFINE(IORESOURCE_RANGELENGTH, IORESOURCE_RANGELENGTH);
	DEFINE(IORESOURCE_SIZEALIGN_IRQ_BITS, IORESOURCE_IRQ_HIGHEDGE | IORESOURCE_IRQ_LOWEDGE | IORESOURCE_IRQ_HIGHLEVEL | IORESOURCE_IRQ_LOWLEVEL);
	DEFINE(IO_SPACE_LIMIT, IO_SPACE_LIMIT);
	OFFSET(platform_device_name, platform_device, name);
	OFFSET(platform_device_id, platform_device, id);
	OFFSET(platform_device_id_auto, platform_device, id_auto);
	OFFSET(platform_device_dev, platform_device, dev);
	OFFSET(platform_device_platform_dma_mask, platform_device, platform_dma_mask);
	OFFSET(platform_device_dma_parms, platform_device, dma_parms);
	OFFSET(platform_device_num_resources, platform_device, num_resources);
	OFFSET(platform_device_resource, platform_device, resource);
	OFFSET(platform_device_id_entry, platform_device, id_entry);
	OFFSET(platform_device_driver_override, platform_device, driver_override);
	OFFSET(platform_device_mfd_cell, platform_device, mfd_cell);
	DEFINE(platform_device_sizeof, sizeof(struct platform_device));
	OFFSET(platform_driver_probe, platform_driver, probe);
	OFFSET(platform_driver_remove, platform_driver, remove);
	OFFSET(platform_driver_remove_new, platform_driver, remove_new);
	OFFSET(platform_driver_shutdown, platform_driver, shutdown);
	OFFSET(platform_driver_driver, platform_driver, driver);
	OFFSET(platform_driver_id_table, platform_driver, id_table);
	OFFSET(platform_driver_prevent_deferred_probe, platform_driver, prevent_deferred_probe);
	OFFSET(platform_driver_driver_managed_dma, platform_driver, driver_managed_dma);
	OFFSET(platform_device_id_name, platform_device_id, name);
	OFFSET(platform_device_id_driver_data, platform_device_id, driver_data);
	DEFINE(platform_device_id_sizeof, sizeof(struct platform_device_id));
	DEFINE(PLATFORM_NAME_SIZE, PLATFORM_NAME_SIZE);
	DEFINE(PLATFORM_DEVID_NONE, PLATFORM_DEVID_NONE);
	DEFINE(PLATFORM_DEVID_AUTO, PLATFORM_DEVID_AUTO);
	OFFSET(platform_device_info_parent, platform_device_info, parent);
	OFFSET(platform_device_info_fwnode, platform_device_info, fwnode);
	OFFSET(platform_device_info_of_node_reused, platform_device_info, of_node_reused);
	OFFSET(platform_device_info_name, platform_device_info, name);
	OFFSET(platform_device_info_id, platform_device_info, id);
	OFFSET(platform_device_info_res, platform_device_info, res);
	OFFSET(platform_device_info_num_res, platform_device_info, num_res);
	OFFSET(platform_device_info_data, platform_device_info, data);
	OFFSET(platform_device_info_size_data, platform_device_info, size_data);
	OFFSET(platform_device_info_dma_mask, platform_device_info, dma_mask);
	OFFSET(platform_device_info_properties, platform_device_info, properties);
	OFFSET(of_device_id_name, of_device_id, name);
	OFFSET(of_device_id_type, of_device_id, type);
	OFFSET(of_device_id_compatible, of_device_id, compatible);
	OFFSET(of_device_id_data, of_device_id, data);
	DEFINE(of_device_id_sizeof, sizeof(struct of_device_id));
	OFFSET(acpi_device_id_id, acpi_device_id, id);
	DEFINE(acpi_device_id_sizeof, sizeof(struct acpi_device_id));
	OFFSET(pci_driver_name, pci_driver, name);
	OFFSET(pci_driver_id_table, pci_driver, id_table);
	OFFSET(pci_driver_probe, pci_driver, probe);
	OFFSET(pci_driver_remove, pci_driver, remove);
	OFFSET(pci_driver_groups, pci_driver, groups);
	OFFSET(pci_driver_dev_groups, pci_driver, dev_groups);
	OFFSET(pci_driver_driver, pci_driver, driver);
	OFFSET(pci_driver_dynids, pci_driver, dynids);
	OFFSET(pci_driver_driver_managed_dma, pci_driver, driver_managed_dma);
	OFFSET(pci_dynids_lock, pci_dynids, lock);
	OFFSET(pci_dynids_list, pci_dynids, list);
	OFFSET(pci_device_id_vendor, pci_device_id, vendor);
	OFFSET(pci_device_id_device, pci_device_id, device);
	OFFSET(pci_device_id_subvendor, pci_device_id, subvendor);
	OFFSET(pci_device_id_subdevice, pci_device_id, subdevice);
	OFFSET(pci_device_id_class, pci_device_id, class);
	OFFSET(pci_device_id_class_mask, pci_device_id, class_mask);
	OFFSET(pci_device_id_driver_data, pci_device_id, driver_data);
	OFFSET(pci_device_id_override_only, pci_device_id, override_only);
	DEFINE(pci_device_id_sizeof, sizeof(struct pci_device_id));
	OFFSET(i2c_driver_class, i2c_driver, class);
	OFFSET(i2c_driver_probe, i2c_driver, probe);
	OFFSET(i2c_driver_remove, i2c_driver, remove);
	OFFSET(i2c_driver_probe_new, i2c_driver, probe_new);
	OFFSET(i2c_driver_driver, i2c_driver, driver);
	OFFSET(i2c_driver_id_table, i2c_driver, id_table);
	OFFSET(i2c_driver_detect, i2c_driver, detect);
	OFFSET(i2c_driver_address_list, i2c_driver, address_list);
	OFFSET(i2c_driver_clients, i2c_driver, clients);
	OFFSET(i2c_msg_addr, i2c_msg, addr);
	OFFSET(i2c_msg_flags, i2c_msg, flags);
	OFFSET(i2c_msg_len, i2c_msg, len);
	OFFSET(i2c_msg_buf, i2c_msg, buf);
	DEFINE(i2c_msg_sizeof, sizeof(struct i2c_msg));
	OFFSET(i2c_adapter_algo, i2c_adapter, algo);
	OFFSET(i2c_adapter_retries, i2c_adapter, retries);
	OFFSET(i2c_adapter_timeout, i2c_adapter, timeout);
	OFFSET(i2c_adapter_dev, i2c_adapter, dev);
	OFFSET(i2c_adapter_nr, i2c_adapter, nr);
	OFFSET(i2c_adapter_name, i2c_adapter, name);
	OFFSET(i2c_adapter_quirks, i2c_adapter, quirks);
	OFFSET(i2c_algorithm_master_xfer, i2c_algorithm, master_xfer);
	OFFSET(i2c_algorithm_smbus_xfer, i2c_algorithm, smbus_xfer);
	OFFSET(i2c_algorithm_functionality, i2c_algorithm, functionality);
	OFFSET(spi_driver_id_table, spi_driver, id_table);
	OFFSET(spi_driver_probe, spi_driver, probe);
	OFFSET(spi_driver_remove, spi_driver, remove);
	OFFSET(spi_driver_shutdown, spi_driver, shutdown);
	OFFSET(spi_driver_driver, spi_driver, driver);
	OFFSET(spi_device_id_name, spi_device_id, name);
	DEFINE(spi_device_id_sizeof, sizeof(struct spi_device_id));
	DEFINE(SPI_NAME_SIZE, SPI_NAME_SIZE);
	/* drivers/base/property.c */
	OFFSET(fwnode_handle_secondary, fwnode_handle, secondary);
	OFFSET(fwnode_handle_ops, fwnode_handle, ops);
	OFFSET(fwnode_handle_dev, fwnode_handle, dev);
	OFFSET(fwnode_operations_get, fwnode_operations, get);
	OFFSET(fwnode_operations_put, fwnode_operations, put);
	OFFSET(fwnode_operations_device_is_available, fwnode_operations, device_is_available);
	OFFSET(fwnode_operations_device_get_match_data, fwnode_operations, device_get_match_data);
	OFFSET(fwnode_operations_device_dma_supported, fwnode_operations, device_dma_supported);
	OFFSET(fwnode_operations_device_get_dma_attr, fwnode_operations, device_get_dma_attr);
	OFFSET(fwnode_operations_property_present, fwnode_operations, property_present);
	OFFSET(fwnode_operations_property_read_int_array, fwnode_operations, property_read_int_array);
	OFFSET(fwnode_operations_property_read_string_array, fwnode_operations, property_read_string_array);
	OFFSET(fwnode_operations_get_name, fwnode_operations, get_name);
	OFFSET(fwnode_operations_get_name_prefix, fwnode_operations, get_name_prefix);
	OFFSET(fwnode_operations_get_parent, fwnode_operations, get_parent);
	OFFSET(fwnode_operations_get_next_child_node, fwnode_operations, get_next_child_node);
	OFFSET(fwnode_operations_get_named_child_node, fwnode_operations, get_named_child_node);
	OFFSET(fwnode_operations_get_reference_args, fwnode_operations, get_reference_args);
	OFFSET(fwnode_operations_graph_get_next_endpoint, fwnode_operations, graph_get_next_endpoint);
	OFFSET(fwnode_operations_graph_get_remote_endpoint, fwnode_operations, graph_get_remote_endpoint);
	OFFSET(fwnode_operations_graph_get_port_parent, fwnode_operations, graph_get_port_parent);
	OFFSET(fwnode_operations_graph_parse_endpoint, fwnode_operations, graph_parse_endpoint);
	OFFSET(fwnode_operations_iomap, fwnode_operations, iomap);
	OFFSET(fwnode_operations_irq_get, fwnode_operations, irq_get);
	OFFSET(fwnode_operations_add_links, fwnode_operations, add_links);
	OFFSET(fwnode_reference_args_fwnode, fwnode_reference_args, fwnode);
	DEFINE(fwnode_reference_args_sizeof, sizeof(struct fwnode_reference_args));
	DEFINE(ENODATA, ENODATA);
	DEFINE(DEV_DMA_NOT_SUPPORTED, DEV_DMA_NOT_SUPPORTED);
	/* i2c adapters, clients and transfers (drivers/i2c/i2c-core-base.c, i2c-core-smbus.c) */
	OFFSET(i2c_adapter_owner, i2c_adapter, owner);
	OFFSET(i2c_adapter_class, i2c_adapter, class);
	OFFSET(i2c_adapter_algo_data, i2c_adapter, algo_data);
	OFFSET(i2c_adapter_lock_ops, i2c_adapter, lock_ops);
	OFFSET(i2c_adapter_bus_lock, i2c_adapter, bus_lock);
	OFFSET(i2c_adapter_mux_lock, i2c_adapter, mux_lock);
	OFFSET(i2c_adapter_locked_flags, i2c_adapter, locked_flags);
	OFFSET(i2c_adapter_dev_released, i2c_adapter, dev_released);
	OFFSET(i2c_adapter_userspace_clients_lock, i2c_adapter, userspace_clients_lock);
	OFFSET(i2c_adapter_userspace_clients, i2c_adapter, userspace_clients);
	OFFSET(i2c_adapter_bus_recovery_info, i2c_adapter, bus_recovery_info);
	OFFSET(i2c_adapter_host_notify_domain, i2c_adapter, host_notify_domain);
	OFFSET(i2c_adapter_addrs_in_instantiation, i2c_adapter, addrs_in_instantiation);
	DEFINE(i2c_adapter_sizeof, sizeof(struct i2c_adapter));
	DEFINE(I2C_ADAPTER_NAME_SIZE, sizeof(((struct i2c_adapter *)0)->name));
	OFFSET(i2c_client_flags, i2c_client, flags);
	OFFSET(i2c_client_addr, i2c_client, addr);
	OFFSET(i2c_client_name, i2c_client, name);
	OFFSET(i2c_client_adapter, i2c_client, adapter);
	OFFSET(i2c_client_init_irq, i2c_client, init_irq);
	OFFSET(i2c_client_irq, i2c_client, irq);
	OFFSET(i2c_client_detected, i2c_client, detected);
	OFFSET(i2c_client_devres_group_id, i2c_client, devres_group_id);
	DEFINE(i2c_client_sizeof, sizeof(struct i2c_client));
	OFFSET(i2c_board_info_type, i2c_board_info, type);
	OFFSET(i2c_board_info_flags, i2c_board_info, flags);
	OFFSET(i2c_board_info_addr, i2c_board_info, addr);
	OFFSET(i2c_board_info_dev_name, i2c_board_info, dev_name);
	OFFSET(i2c_board_info_platform_data, i2c_board_info, platform_data);
	OFFSET(i2c_board_info_of_node, i2c_board_info, of_node);
	OFFSET(i2c_board_info_fwnode, i2c_board_info, fwnode);
	OFFSET(i2c_board_info_swnode, i2c_board_info, swnode);
	OFFSET(i2c_board_info_resources, i2c_board_info, resources);
	OFFSET(i2c_board_info_num_resources, i2c_board_info, num_resources);
	OFFSET(i2c_board_info_irq, i2c_board_info, irq);
	DEFINE(i2c_board_info_sizeof, sizeof(struct i2c_board_info));
	OFFSET(i2c_lock_operations_lock_bus, i2c_lock_operations, lock_bus);
	OFFSET(i2c_lock_operations_trylock_bus, i2c_lock_operations, trylock_bus);
	OFFSET(i2c_lock_operations_unlock_bus, i2c_lock_operations, unlock_bus);
	DEFINE(i2c_lock_operations_sizeof, sizeof(struct i2c_lock_operations));
	OFFSET(i2c_algorithm_master_xfer_atomic, i2c_algorithm, master_xfer_atomic);
	OFFSET(i2c_algorithm_smbus_xfer_atomic, i2c_algorithm, smbus_xfer_atomic);
	OFFSET(i2c_adapter_quirks_flags, i2c_adapter_quirks, flags);
	OFFSET(i2c_adapter_quirks_max_num_msgs, i2c_adapter_quirks, max_num_msgs);
	OFFSET(i2c_adapter_quirks_max_write_len, i2c_adapter_quirks, max_write_len);
	OFFSET(i2c_adapter_quirks_max_read_len, i2c_adapter_quirks, max_read_len);
	OFFSET(i2c_adapter_quirks_max_comb_1st_msg_len, i2c_adapter_quirks, max_comb_1st_msg_len);
	OFFSET(i2c_adapter_quirks_max_comb_2nd_msg_len, i2c_adapter_quirks, max_comb_2nd_msg_len);
	OFFSET(i2c_driver_command, i2c_driver, command);
	OFFSET(i2c_driver_shutdown, i2c_driver, shutdown);
	DEFINE(I2C_M_RD, I2C_M_RD);
	DEFINE(I2C_M_TEN, I2C_M_TEN);
	DEFINE(I2C_M_RECV_LEN, I2C_M_RECV_LEN);
	DEFINE(I2C_M_DMA_SAFE, I2C_M_DMA_SAFE);
	DEFINE(I2C_CLIENT_PEC, I2C_CLIENT_PEC);
	DEFINE(I2C_CLIENT_TEN, I2C_CLIENT_TEN);
	DEFINE(I2C_CLIENT_SLAVE, I2C_CLIENT_SLAVE);
	DEFINE(I2C_CLIENT_HOST_NOTIFY, I2C_CLIENT_HOST_NOTIFY);
	DEFINE(I2C_CLIENT_SCCB, I2C_CLIENT_SCCB);
	DEFINE(I2C_CLIENT_END, I2C_CLIENT_END);
	DEFINE(I2C_CLASS_HWMON, I2C_CLASS_HWMON);
	DEFINE(I2C_CLASS_DEPRECATED, I2C_CLASS_DEPRECATED);
	DEFINE(I2C_SMBUS_READ, I2C_SMBUS_READ);
	DEFINE(I2C_SMBUS_WRITE, I2C_SMBUS_WRITE);
	DEFINE(I2C_SMBUS_QUICK, I2C_SMBUS_QUICK);
	DEFINE(I2C_SMBUS_BYTE, I2C_SMBUS_BYTE);
	DEFINE(I2C_SMBUS_BYTE_DATA, I2C_SMBUS_BYTE_DATA);
	DEFINE(I2C_SMBUS_WORD_DATA, I2C_SMBUS_WORD_DATA);
	DEFINE(I2C_SMBUS_PROC_CALL, I2C_SMBUS_PROC_CALL);
	DEFINE(I2C_SMBUS_BLOCK_DATA, I2C_SMBUS_BLOCK_DATA);
	DEFINE(I2C_SMBUS_I2C_BLOCK_BROKEN, I2C_SMBUS_I2C_BLOCK_BROKEN);
	DEFINE(I2C_SMBUS_BLOCK_PROC_CALL, I2C_SMBUS_BLOCK_PROC_CALL);
	DEFINE(I2C_SMBUS_I2C_BLOCK_DATA, I2C_SMBUS_I2C_BLOCK_DATA);
	DEFINE(I2C_SMBUS_BLOCK_MAX, I2C_SMBUS_BLOCK_MAX);
	DEFINE(i2c_smbus_data_sizeof, sizeof(union i2c_smbus_data));
	DEFINE(I2C_FUNC_I2C, I2C_FUNC_I2C);
	DEFINE(I2C_FUNC_SMBUS_QUICK, I2C_FUNC_SMBUS_QUICK);
	DEFINE(I2C_FUNC_SMBUS_READ_BYTE, I2C_FUNC_SMBUS_READ_BYTE);
	DEFINE(I2C_FUNC_SMBUS_READ_BYTE_DATA, I2C_FUNC_SMBUS_READ_BYTE_DATA);
	DEFINE(I2C_FUNC_SMBUS_READ_I2C_BLOCK, I2C_FUNC_SMBUS_READ_I2C_BLOCK);
	DEFINE(I2C_FUNC_SMBUS_READ_WORD_DATA, I2C_FUNC_SMBUS_READ_WORD_DATA);
	DEFINE(I2C_FUNC_SMBUS_HOST_NOTIFY, I2C_FUNC_SMBUS_HOST_NOTIFY);
	DEFINE(I2C_AQ_COMB, I2C_AQ_COMB);
	DEFINE(I2C_AQ_COMB_WRITE_FIRST, I2C_AQ_COMB_WRITE_FIRST);
	DEFINE(I2C_AQ_COMB_READ_SECOND, I2C_AQ_COMB_READ_SECOND);
	DEFINE(I2C_AQ_COMB_SAME_ADDR, I2C_AQ_COMB_SAME_ADDR);
	DEFINE(I2C_AQ_NO_ZERO_LEN_READ, I2C_AQ_NO_ZERO_LEN_READ);
	DEFINE(I2C_AQ_NO_ZERO_LEN_WRITE, I2C_AQ_NO_ZERO_LEN_WRITE);
	DEFINE(I2C_LOCK_SEGMENT, I2C_LOCK_SEGMENT);
	OFFSET(rt_mutex_base_owner, rt_mutex_base, owner);
	DEFINE(i2c_device_id_sizeof, sizeof(struct i2c_device_id));
	OFFSET(i2c_bus_recovery_info_recover_bus, i2c_bus_recovery_info, recover_bus);
	OFFSET(i2c_bus_recovery_info_get_scl, i2c_bus_recovery_info, get_scl);
	OFFSET(i2c_bus_recovery_info_set_scl, i2c_bus_recovery_info, set_scl);
	OFFSET(i2c_bus_recovery_info_get_sda, i2c_bus_recovery_info, get_sda);
	OFFSET(i2c_bus_recovery_info_set_sda, i2c_bus_recovery_info, set_sda);
	DEFINE(EBADMSG, EBADMSG);
	DEFINE(EPROTO, EPROTO);
	OFFSET(device_removable, device, removable);
	/* offline_disabled:1, offline:1, of_node_reused:1, state_synced:1, can_match:1 follow removable */
	DEFINE(device_bits, offsetof(struct device, removable) + sizeof(enum device_removable));
	OFFSET(device_flags, device, flags);
	DEFINE(DEV_FLAG_READY_TO_PROBE, DEV_FLAG_READY_TO_PROBE);
	OFFSET(class_interface_class, class_interface, class);
	DEFINE(device_type_sizeof, sizeof(struct device_type));
	DEFINE(i2c_driver_sizeof, sizeof(struct i2c_driver));
	OFFSET(i2c_client_dev, i2c_client, dev);
	OFFSET(device_dma_parms, device, dma_parms);
	OFFSET(class_interface_add_dev, class_interface, add_dev);
	OFFSET(class_interface_remove_dev, class_interface, remove_dev);
	OFFSET(subsys_interface_subsys, subsys_interface, subsys);
	OFFSET(subsys_interface_add_dev, subsys_interface, add_dev);
	OFFSET(subsys_interface_remove_dev, subsys_interface, remove_dev);
	DEFINE(DEVICE_REMOVABLE_NOT_SUPPORTED, DEVICE_REMOVABLE_NOT_SUPPORTED);
	DEFINE(DEVICE_REMOVABLE_UNKNOWN, DEVICE_REMOVABLE_UNKNOWN);
	DEFINE(DEVICE_FIXED, DEVICE_FIXED);
	DEFINE(DEVICE_REMOVABLE, DEVICE_REMOVABLE);
	DEFINE(I2C_NAME_SIZE, I2C_NAME_SIZE);
	/* kernel/trace: events, tracepoints and jump labels */
	OFFSET(trace_event_call_class, trace_event_call, class);
	OFFSET(trace_event_call_name, trace_event_call, name);
	OFFSET(trace_event_call_event_type, trace_event_call, event.type);
	OFFSET(trace_event_call_event_funcs, trace_event_call, event.funcs);
	OFFSET(trace_event_call_print_fmt, trace_event_call, print_fmt);
	OFFSET(trace_event_call_module, trace_event_call, module);
	OFFSET(trace_event_call_flags, trace_event_call, flags);
	OFFSET(trace_event_call_data, trace_event_call, data);
	DEFINE(TRACE_EVENT_FL_TRACEPOINT, TRACE_EVENT_FL_TRACEPOINT);
	DEFINE(TRACE_EVENT_FL_IGNORE_ENABLE, TRACE_EVENT_FL_IGNORE_ENABLE);
	OFFSET(trace_event_class_system, trace_event_class, system);
	OFFSET(trace_event_class_probe, trace_event_class, probe);
	OFFSET(trace_event_class_reg, trace_event_class, reg);
	OFFSET(trace_event_class_fields_array, trace_event_class, fields_array);
	OFFSET(trace_event_class_raw_init, trace_event_class, raw_init);
	OFFSET(trace_event_fields_type, trace_event_fields, type);
	OFFSET(trace_event_fields_name, trace_event_fields, name);
	OFFSET(trace_event_fields_size, trace_event_fields, size);
	OFFSET(trace_event_fields_align, trace_event_fields, align);
	OFFSET(trace_event_fields_is_signed, trace_event_fields, is_signed);
	OFFSET(trace_event_fields_filter_type, trace_event_fields, filter_type);
	OFFSET(trace_event_fields_define_fields, trace_event_fields, define_fields);
	OFFSET(trace_event_fields_len, trace_event_fields, len);
	DEFINE(trace_event_fields_sizeof, sizeof(struct trace_event_fields));
	DEFINE(TRACE_REG_REGISTER, TRACE_REG_REGISTER);
	DEFINE(TRACE_REG_UNREGISTER, TRACE_REG_UNREGISTER);
	DEFINE(trace_event_file_sizeof, sizeof(struct trace_event_file));
	OFFSET(trace_event_file_event_call, trace_event_file, event_call);
	OFFSET(trace_event_file_flags, trace_event_file, flags);
	DEFINE(EVENT_FILE_FL_ENABLED, EVENT_FILE_FL_ENABLED);
	DEFINE(EVENT_FILE_FL_SOFT_DISABLED, EVENT_FILE_FL_SOFT_DISABLED);
	DEFINE(EVENT_FILE_FL_TRIGGER_MODE, EVENT_FILE_FL_TRIGGER_MODE);
	DEFINE(EVENT_FILE_FL_PID_FILTER, EVENT_FILE_FL_PID_FILTER);
	DEFINE(EVENT_FILE_FL_FILTERED, EVENT_FILE_FL_FILTERED);
	OFFSET(trace_event_buffer_trace_file, trace_event_buffer, trace_file);
	OFFSET(trace_event_buffer_entry, trace_event_buffer, entry);
	OFFSET(trace_event_buffer_trace_ctx, trace_event_buffer, trace_ctx);
	OFFSET(trace_event_buffer_event, trace_event_buffer, event);
	OFFSET(trace_entry_type, trace_entry, type);
	OFFSET(trace_entry_flags, trace_entry, flags);
	OFFSET(trace_entry_preempt_count, trace_entry, preempt_count);
	OFFSET(trace_entry_pid, trace_entry, pid);
	DEFINE(trace_entry_sizeof, sizeof(struct trace_entry));
	OFFSET(tracepoint_name, tracepoint, name);
	OFFSET(tracepoint_key, tracepoint, key);
	OFFSET(tracepoint_regfunc, tracepoint, regfunc);
	OFFSET(tracepoint_unregfunc, tracepoint, unregfunc);
	OFFSET(tracepoint_funcs, tracepoint, funcs);
	OFFSET(tracepoint_func_func, tracepoint_func, func);
	OFFSET(tracepoint_func_data, tracepoint_func, data);
	OFFSET(tracepoint_func_prio, tracepoint_func, prio);
	DEFINE(tracepoint_func_sizeof, sizeof(struct tracepoint_func));
	DEFINE(TRACEPOINT_DEFAULT_PRIO, TRACEPOINT_DEFAULT_PRIO);
	OFFSET(static_key_enabled, static_key, enabled);
	DEFINE(jump_entry_sizeof, sizeof(struct jump_entry));
	OFFSET(jump_entry_code, jump_entry, code);
	OFFSET(jump_entry_target, jump_entry, target);
	OFFSET(jump_entry_key, jump_entry, key);
	DEFINE(trace_iterator_sizeof, sizeof(struct trace_iterator));
	OFFSET(trace_iterator_seq, trace_iterator, seq);
	OFFSET(trace_iterator_tmp_seq, trace_iterator, tmp_seq);
	OFFSET(trace_iterator_ent, trace_iterator, ent);
	OFFSET(trace_iterator_ent_size, trace_iterator, ent_size);
	OFFSET(trace_iterator_cpu, trace_iterator, cpu);
	OFFSET(trace_iterator_ts, trace_iterator, ts);
	OFFSET(trace_iterator_fmt, trace_iterator, fmt);
	OFFSET(trace_iterator_fmt_size, trace_iterator, fmt_size);
	DEFINE(trace_seq_sizeof, sizeof(struct trace_seq));
	OFFSET(trace_seq_buffer, trace_seq, buffer);
	OFFSET(trace_seq_seq, trace_seq, seq);
	OFFSET(trace_seq_full, trace_seq, full);
	OFFSET(seq_buf_buffer, seq_buf, buffer);
	OFFSET(seq_buf_size, seq_buf, size);
	OFFSET(seq_buf_len, seq_buf, len);
	DEFINE(trace_print_flags_sizeof, sizeof(struct trace_print_flags));
	OFFSET(trace_print_flags_mask, trace_print_flags, mask);
	OFFSET(trace_print_flags_name, trace_print_flags, name);
	DEFINE(trace_print_flags_u64_sizeof, sizeof(struct trace_print_flags_u64));
	OFFSET(trace_print_flags_u64_mask, trace_print_flags_u64, mask);
	OFFSET(trace_print_flags_u64_name, trace_print_flags_u64, name);
	OFFSET(trace_event_funcs_trace, trace_event_functions, trace);
	DEFINE(TRACE_TYPE_PARTIAL_LINE, TRACE_TYPE_PARTIAL_LINE);
	DEFINE(TRACE_TYPE_HANDLED, TRACE_TYPE_HANDLED);
	DEFINE(TRACE_TYPE_UNHANDLED, TRACE_TYPE_UNHANDLED);
	DEFINE(TRACE_FLAG_IRQS_OFF, TRACE_FLAG_IRQS_OFF);
	DEFINE(TRACE_FLAG_HARDIRQ, TRACE_FLAG_HARDIRQ);
	DEFINE(TRACE_FLAG_SOFTIRQ, TRACE_FLAG_SOFTIRQ);
	DEFINE(TRACE_FLAG_BH_OFF, TRACE_FLAG_BH_OFF);
	/* kernel/irq: descriptors and chips */
	DEFINE(irq_desc_sizeof, sizeof(struct irq_desc));
	OFFSET(irq_desc_irq_common_data, irq_desc, irq_common_data);
	OFFSET(irq_desc_irq_data, irq_desc, irq_data);
	OFFSET(irq_desc_handle_irq, irq_desc, handle_irq);
	OFFSET(irq_desc_action, irq_desc, action);
	OFFSET(irq_desc_status_use_accessors, irq_desc, status_use_accessors);
	OFFSET(irq_desc_depth, irq_desc, depth);
	OFFSET(irq_desc_name, irq_desc, name);
	OFFSET(irq_desc_owner, irq_desc, owner);
	OFFSET(irq_common_data_state_use_accessors, irq_common_data, state_use_accessors);
	OFFSET(irq_common_data_handler_data, irq_common_data, handler_data);
	OFFSET(irq_data_irq, irq_data, irq);
	OFFSET(irq_data_hwirq, irq_data, hwirq);
	OFFSET(irq_data_common, irq_data, common);
	OFFSET(irq_data_chip, irq_data, chip);
	OFFSET(irq_data_chip_data, irq_data, chip_data);
	OFFSET(irq_chip_name, irq_chip, name);
	OFFSET(irq_chip_irq_mask, irq_chip, irq_mask);
	OFFSET(irq_chip_irq_unmask, irq_chip, irq_unmask);
	OFFSET(irq_chip_irq_enable, irq_chip, irq_enable);
	OFFSET(irq_chip_irq_disable, irq_chip, irq_disable);
	DEFINE(IRQ_TYPE_SENSE_MASK, IRQ_TYPE_SENSE_MASK);
	DEFINE(IRQ_LEVEL, IRQ_LEVEL);
	DEFINE(IRQ_PER_CPU, IRQ_PER_CPU);
	DEFINE(IRQ_NOPROBE, IRQ_NOPROBE);
	DEFINE(IRQ_NOREQUEST, IRQ_NOREQUEST);
	DEFINE(IRQ_NOAUTOEN, IRQ_NOAUTOEN);
	DEFINE(IRQ_NO_BALANCING, IRQ_NO_BALANCING);
	DEFINE(IRQ_MOVE_PCNTXT, IRQ_MOVE_PCNTXT);
	DEFINE(IRQ_NESTED_THREAD, IRQ_NESTED_THREAD);
	DEFINE(IRQ_NOTHREAD, IRQ_NOTHREAD);
	DEFINE(IRQ_PER_CPU_DEVID, IRQ_PER_CPU_DEVID);
	DEFINE(IRQ_IS_POLLED, IRQ_IS_POLLED);
	DEFINE(IRQ_DISABLE_UNLAZY, IRQ_DISABLE_UNLAZY);
	DEFINE(IRQ_HIDDEN, IRQ_HIDDEN);
	DEFINE(IRQ_NO_DEBUG, IRQ_NO_DEBUG);
	DEFINE(IRQD_TRIGGER_MASK, IRQD_TRIGGER_MASK);
	DEFINE(IRQD_LEVEL, IRQD_LEVEL);
	DEFINE(IRQD_PER_CPU, IRQD_PER_CPU);
	DEFINE(IRQD_NO_BALANCING, IRQD_NO_BALANCING);
	DEFINE(IRQD_MOVE_PCNTXT, IRQD_MOVE_PCNTXT);
	DEFINE(IRQD_IRQ_DISABLED, IRQD_IRQ_DISABLED);
	DEFINE(IRQD_IRQ_MASKED, IRQD_IRQ_MASKED);
	DEFINE(NR_IRQS, NR_IRQS);
	DEFINE(IRQF_MODIFY_MASK, IRQF_MODIFY_MASK);
	DEFINE(irq_chip_sizeof, sizeof(struct irq_chip));
	DEFINE(IRQ_TYPE_NONE, IRQ_TYPE_NONE);
	OFFSET(irq_chip_irq_startup, irq_chip, irq_startup);
	OFFSET(irq_chip_irq_shutdown, irq_chip, irq_shutdown);
	OFFSET(irqaction_handler, irqaction, handler);
	/* kernel/utsname.c, kernel/sysctl.c, kernel/kthread.c workers */
	DEFINE(uts_namespace_sizeof, sizeof(struct uts_namespace));
	OFFSET(uts_namespace_name, uts_namespace, name);
	OFFSET(new_utsname_sysname, new_utsname, sysname);
	OFFSET(new_utsname_nodename, new_utsname, nodename);
	OFFSET(new_utsname_release, new_utsname, release);
	OFFSET(new_utsname_version, new_utsname, version);
	OFFSET(new_utsname_machine, new_utsname, machine);
	OFFSET(new_utsname_domainname, new_utsname, domainname);
	OFFSET(uts_namespace_user_ns, uts_namespace, user_ns);
	DEFINE(ctl_table_sizeof, sizeof(struct ctl_table));
	OFFSET(ctl_table_procname, ctl_table, procname);
	OFFSET(ctl_table_data, ctl_table, data);
	OFFSET(ctl_table_maxlen, ctl_table, maxlen);
	OFFSET(ctl_table_mode, ctl_table, mode);
	OFFSET(ctl_table_child, ctl_table, child);
	OFFSET(ctl_table_proc_handler, ctl_table, proc_handler);
	OFFSET(ctl_table_extra1, ctl_table, extra1);
	OFFSET(ctl_table_extra2, ctl_table, extra2);
	DEFINE(ctl_table_header_sizeof, sizeof(struct ctl_table_header));
	DEFINE(kthread_worker_sizeof, sizeof(struct kthread_worker));
	OFFSET(kthread_worker_flags, kthread_worker, flags);
	OFFSET(kthread_worker_work_list, kthread_worker, work_list);
	OFFSET(kthread_worker_delayed_work_list, kthread_worker, delayed_work_list);
	OFFSET(kthread_worker_task, kthread_worker, task);
	OFFSET(kthread_worker_current_work, kthread_worker, current_work);
	OFFSET(kthread_work_node, kthread_work, node);
	OFFSET(kthread_work_func, kthread_work, func);
	OFFSET(kthread_work_worker, kthread_work, worker);
	OFFSET(kthread_work_canceling, kthread_work, canceling);
	OFFSET(kthread_delayed_work_work, kthread_delayed_work, work);
	OFFSET(kthread_delayed_work_timer, kthread_delayed_work, timer);
	DEFINE(pid_sizeof, sizeof(struct pid));
	OFFSET(pid_count, pid, count);
	OFFSET(pid_level, pid, level);
	OFFSET(pid_numbers, pid, numbers);
	OFFSET(upid_nr, upid, nr);
	OFFSET(upid_ns, upid, ns);
	OFFSET(task_struct_thread_pid, task_struct, thread_pid);
	DEFINE(KTW_FREEZABLE, KTW_FREEZABLE);
	OFFSET(blocking_notifier_head_head, blocking_notifier_head, head);
	OFFSET(atomic_notifier_head_head, atomic_notifier_head, head);
	OFFSET(raw_notifier_head_head, raw_notifier_head, head);
	DEFINE(blocking_notifier_head_sizeof, sizeof(struct blocking_notifier_head));
	DEFINE(atomic_notifier_head_sizeof, sizeof(struct atomic_notifier_head));
	DEFINE(NOTIFY_DONE, NOTIFY_DONE);
	DEFINE(NOTIFY_OK, NOTIFY_OK);
	DEFINE(MAX_DMA_CHANNELS, MAX_DMA_CHANNELS);
	OFFSET(pid_namespace_level, pid_namespace, level);
	/* kernel/jump_label.c, arch/x86/kernel/jump_label.c: static keys and __jump_table entries */
	OFFSET(static_key_type, static_key, type);
	DEFINE(static_key_sizeof, sizeof(struct static_key));
	DEFINE(static_key_true_sizeof, sizeof(struct static_key_true));
	DEFINE(JUMP_TYPE_FALSE, JUMP_TYPE_FALSE);
	DEFINE(JUMP_TYPE_TRUE, JUMP_TYPE_TRUE);
	DEFINE(JUMP_TYPE_LINKED, JUMP_TYPE_LINKED);
	DEFINE(JUMP_TYPE_MASK, JUMP_TYPE_MASK);
	OFFSET(module_jump_entries, module, jump_entries);
	OFFSET(module_num_jump_entries, module, num_jump_entries);
	DEFINE(JMP8_INSN_SIZE, JMP8_INSN_SIZE);
	DEFINE(JMP8_INSN_OPCODE, JMP8_INSN_OPCODE);
	DEFINE(JMP32_INSN_SIZE, JMP32_INSN_SIZE);
	DEFINE(JMP32_INSN_OPCODE, JMP32_INSN_OPCODE);
	DEFINE(CALL_INSN_OPCODE, CALL_INSN_OPCODE);
	DEFINE(RET_INSN_OPCODE, RET_INSN_OPCODE);
	/* x86_nops[n]: the n-byte NOPs (arch/x86/include/asm/nops.h), as little-endian numbers */
	DEFINE(x86_nop1, PACK_NOP(BYTES_NOP1));
	DEFINE(x86_nop2, PACK_NOP(BYTES_NOP2));
	DEFINE(x86_nop3, PACK_NOP(BYTES_NOP3));
	DEFINE(x86_nop4, PACK_NOP(BYTES_NOP4));
	DEFINE(x86_nop5, PACK_NOP(BYTES_NOP5));
	DEFINE(x86_nop6, PACK_NOP(BYTES_NOP6));
	DEFINE(x86_nop7, PACK_NOP(BYTES_NOP7));
	DEFINE(x86_nop8, PACK_NOP(BYTES_NOP8));

	/* kernel/static_call_inline.c, arch/x86/kernel/static_call.c */
	OFFSET(static_call_key_func, static_call_key, func);
	OFFSET(static_call_key_type, static_call_key, type);
	DEFINE(static_call_key_sizeof, sizeof(struct static_call_key));
	OFFSET(static_call_site_addr, static_call_site, addr);
	OFFSET(static_call_site_key, static_call_site, key);
	DEFINE(static_call_site_sizeof, sizeof(struct static_call_site));
	OFFSET(static_call_mod_next, static_call_mod, next);
	OFFSET(static_call_mod_mod, static_call_mod, mod);
	OFFSET(static_call_mod_sites, static_call_mod, sites);
	DEFINE(static_call_mod_sizeof, sizeof(struct static_call_mod));
	DEFINE(STATIC_CALL_SITE_TAIL, STATIC_CALL_SITE_TAIL);
	DEFINE(STATIC_CALL_SITE_INIT, STATIC_CALL_SITE_INIT);
	DEFINE(STATIC_CALL_SITE_FLAGS, STATIC_CALL_SITE_FLAGS);
	OFFSET(module_static_call_sites, module, static_call_sites);
	OFFSET(module_num_static_call_sites, module, num_static_call_sites);

	/* arch/x86/kernel/alternative.c: .altinstructions entries */
	OFFSET(alt_instr_instr_offset, alt_instr, instr_offset);
	OFFSET(alt_instr_repl_offset, alt_instr, repl_offset);
	OFFSET(alt_instr_cpuid, alt_instr, cpuid);
	OFFSET(alt_instr_instrlen, alt_instr, instrlen);
	OFFSET(alt_instr_replacementlen, alt_instr, replacementlen);
	DEFINE(alt_instr_sizeof, sizeof(struct alt_instr));
	DEFINE(ALTINSTR_FLAG_INV, ALTINSTR_FLAG_INV);
	DEFINE(NBUGINTS, NBUGINTS);

	/* mm/util.c: vm_mmap() */
	DEFINE(PROT_READ, PROT_READ);
	DEFINE(PROT_WRITE, PROT_WRITE);
	DEFINE(PROT_EXEC, PROT_EXEC);
	DEFINE(MAP_SHARED, MAP_SHARED);
	DEFINE(MAP_PRIVATE, MAP_PRIVATE);
	DEFINE(MAP_ANONYMOUS, MAP_ANONYMOUS);
	DEFINE(MAP_FIXED, MAP_FIXED);

	/* lib/interval_tree.c */
	OFFSET(interval_tree_node_rb, interval_tree_node, rb);
	OFFSET(interval_tree_node_start, interval_tree_node, start);
	OFFSET(interval_tree_node_last, interval_tree_node, last);
	OFFSET(interval_tree_node_subtree_last, interval_tree_node, __subtree_last);

	/* arch/x86/kernel/alternative.c, arch/x86/kernel/module.c: module_finalize() */
	OFFSET(paravirt_patch_site_instr, paravirt_patch_site, instr);
	OFFSET(paravirt_patch_site_type, paravirt_patch_site, type);
	OFFSET(paravirt_patch_site_len, paravirt_patch_site, len);
	DEFINE(paravirt_patch_site_sizeof, sizeof(struct paravirt_patch_site));
	DEFINE(INT3_INSN_OPCODE, INT3_INSN_OPCODE);
	DEFINE(X86_FEATURE_REP_GOOD, X86_FEATURE_REP_GOOD);
	DEFINE(X86_FEATURE_LFENCE_RDTSC, X86_FEATURE_LFENCE_RDTSC);
	DEFINE(X86_FEATURE_ERMS, X86_FEATURE_ERMS);
	DEFINE(X86_FEATURE_XMM2, X86_FEATURE_XMM2);
	DEFINE(X86_FEATURE_RETPOLINE, X86_FEATURE_RETPOLINE);
	DEFINE(X86_FEATURE_RETPOLINE_LFENCE, X86_FEATURE_RETPOLINE_LFENCE);
	DEFINE(X86_FEATURE_RETHUNK, X86_FEATURE_RETHUNK);
	DEFINE(MSR_IA32_MISC_ENABLE, MSR_IA32_MISC_ENABLE);
	DEFINE(MSR_IA32_MISC_ENABLE_FAST_STRING, MSR_IA32_MISC_ENABLE_FAST_STRING);
	DEFINE(MSR_IA32_MISC_ENABLE_BTS_UNAVAIL, MSR_IA32_MISC_ENABLE_BTS_UNAVAIL);
	DEFINE(MSR_IA32_MISC_ENABLE_PEBS_UNAVAIL, MSR_IA32_MISC_ENABLE_PEBS_UNAVAIL);

	/* drivers/base/swnode.c, drivers/base/property.c: software nodes, fwnode operations */
	OFFSET(fwnode_handle_suppliers, fwnode_handle, suppliers);
	OFFSET(fwnode_handle_consumers, fwnode_handle, consumers);
	OFFSET(fwnode_handle_flags, fwnode_handle, flags);
	DEFINE(fwnode_handle_sizeof, sizeof(struct fwnode_handle));
	DEFINE(fwnode_operations_sizeof, sizeof(struct fwnode_operations));
	OFFSET(software_node_name, software_node, name);
	OFFSET(software_node_parent, software_node, parent);
	OFFSET(software_node_properties, software_node, properties);
	DEFINE(software_node_sizeof, sizeof(struct software_node));
}
