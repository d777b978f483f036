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
#include <linux/input.h>
#include <linux/input/vivaldi-fmap.h>
#include <linux/leds.h>
#include <linux/power_supply.h>
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
#include <linux/acpi.h>
#include <linux/ioport.h>
#include <linux/pci.h>
#include <linux/i2c.h>
#include <linux/dmi.h>
#include <linux/hwmon.h>
#include <linux/regmap.h>
#include <linux/spi/spi.h>
#include <linux/dynamic_debug.h>
#include <linux/notifier.h>
#include <linux/device/bus.h>
#include <linux/device/driver.h>
#include <linux/device/class.h>
#include <linux/fwnode.h>
#include <linux/pm.h>
#include <linux/pm_runtime.h>
#include <linux/pm_wakeup.h>
#include <linux/pm_qos.h>
#include <linux/build_bug.h>
#include <linux/property.h>
#include <linux/mm_types.h>
#include <linux/page-flags.h>
#include <linux/page_ref.h>
#include <linux/mman.h>
#include <linux/vmalloc.h>
#include <asm/pgtable_types.h>
#include <asm/dma.h>
#include <linux/pfn_t.h>
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
	DEFINE(NR_mmap, __NR_mmap);
	DEFINE(NR_munmap, __NR_munmap);
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
	OFFSET(super_block_s_time_gran, super_block, s_time_gran);
	OFFSET(super_block_s_time_min, super_block, s_time_min);
	OFFSET(super_block_s_time_max, super_block, s_time_max);
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
	DEFINE(ratelimit_state_sizeof, sizeof(struct ratelimit_state));
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
	DEFINE(NMI_MASK, NMI_MASK);

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
	DEFINE(PG_head, PG_head);

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
	/* drivers/acpi/glue.c */
	OFFSET(acpi_bus_type_name, acpi_bus_type, name);
	OFFSET(acpi_bus_type_match, acpi_bus_type, match);
	OFFSET(acpi_bus_type_find_companion, acpi_bus_type, find_companion);
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
	/* runtime PM (drivers/base/power/runtime.c, sysfs.c, generic_ops.c) */
	OFFSET(dev_pm_info_power_state, dev_pm_info, power_state);
	/* can_wakeup:1, async_suspend:1, bool in_dpm_list..direct_complete:1 share one unsigned int */
	BUILD_BUG_ON(offsetof(struct dev_pm_info, driver_flags) != sizeof(pm_message_t) + 4);
	DEFINE(dev_pm_info_bits, offsetof(struct dev_pm_info, power_state) + sizeof(pm_message_t));
	OFFSET(dev_pm_info_driver_flags, dev_pm_info, driver_flags);
	OFFSET(dev_pm_info_lock, dev_pm_info, lock);
	OFFSET(dev_pm_info_wakeup, dev_pm_info, wakeup);
	OFFSET(dev_pm_info_timer_expires, dev_pm_info, timer_expires);
	OFFSET(dev_pm_info_usage_count, dev_pm_info, usage_count);
	OFFSET(dev_pm_info_child_count, dev_pm_info, child_count);
	/* disable_depth:3 .. memalloc_noio:1 (ignore_children is bit 8) fill the unsigned int after child_count */
	BUILD_BUG_ON(offsetof(struct dev_pm_info, links_count) != offsetof(struct dev_pm_info, child_count) + 8);
	DEFINE(dev_pm_info_rpm_bits, offsetof(struct dev_pm_info, child_count) + sizeof(atomic_t));
	OFFSET(dev_pm_info_links_count, dev_pm_info, links_count);
	OFFSET(dev_pm_info_request, dev_pm_info, request);
	OFFSET(dev_pm_info_runtime_status, dev_pm_info, runtime_status);
	OFFSET(dev_pm_info_last_status, dev_pm_info, last_status);
	OFFSET(dev_pm_info_runtime_error, dev_pm_info, runtime_error);
	OFFSET(dev_pm_info_autosuspend_delay, dev_pm_info, autosuspend_delay);
	OFFSET(dev_pm_info_last_busy, dev_pm_info, last_busy);
	OFFSET(dev_pm_info_active_time, dev_pm_info, active_time);
	OFFSET(dev_pm_info_suspended_time, dev_pm_info, suspended_time);
	OFFSET(dev_pm_info_accounting_timestamp, dev_pm_info, accounting_timestamp);
	OFFSET(dev_pm_info_set_latency_tolerance, dev_pm_info, set_latency_tolerance);
	/* wakeup sources and device PM QoS (drivers/base/power/wakeup.c, qos.c) */
	OFFSET(dev_pm_info_qos, dev_pm_info, qos);
	DEFINE(wakeup_source_sizeof, sizeof(struct wakeup_source));
	OFFSET(wakeup_source_name, wakeup_source, name);
	OFFSET(wakeup_source_id, wakeup_source, id);
	OFFSET(wakeup_source_total_time, wakeup_source, total_time);
	OFFSET(wakeup_source_max_time, wakeup_source, max_time);
	OFFSET(wakeup_source_last_time, wakeup_source, last_time);
	OFFSET(wakeup_source_prevent_sleep_time, wakeup_source, prevent_sleep_time);
	OFFSET(wakeup_source_event_count, wakeup_source, event_count);
	OFFSET(wakeup_source_active_count, wakeup_source, active_count);
	OFFSET(wakeup_source_relax_count, wakeup_source, relax_count);
	OFFSET(wakeup_source_expire_count, wakeup_source, expire_count);
	OFFSET(wakeup_source_wakeup_count, wakeup_source, wakeup_count);
	OFFSET(wakeup_source_dev, wakeup_source, dev);
	/* active:1, autosleep_enabled:1 in the byte after dev */
	OFFSET(wakeup_source_timer, wakeup_source, timer);
	OFFSET(wakeup_source_timer_expires, wakeup_source, timer_expires);
	DEFINE(wakeup_source_bits, offsetof(struct wakeup_source, dev) + sizeof(struct device *));
	DEFINE(dev_pm_qos_request_sizeof, sizeof(struct dev_pm_qos_request));
	DEFINE(dev_pm_qos_sizeof, sizeof(struct dev_pm_qos));
	OFFSET(dev_pm_qos_request_type, dev_pm_qos_request, type);
	OFFSET(dev_pm_qos_request_data, dev_pm_qos_request, data);
	OFFSET(dev_pm_qos_request_dev, dev_pm_qos_request, dev);
	OFFSET(pm_qos_flags_request_flags, pm_qos_flags_request, flags);
	DEFINE(DEV_PM_QOS_RESUME_LATENCY, DEV_PM_QOS_RESUME_LATENCY);
	DEFINE(DEV_PM_QOS_LATENCY_TOLERANCE, DEV_PM_QOS_LATENCY_TOLERANCE);
	DEFINE(DEV_PM_QOS_FLAGS, DEV_PM_QOS_FLAGS);
	DEFINE(PM_QOS_FLAG_NO_POWER_OFF, PM_QOS_FLAG_NO_POWER_OFF);
	OFFSET(dev_pm_ops_suspend, dev_pm_ops, suspend);
	OFFSET(dev_pm_ops_resume, dev_pm_ops, resume);
	OFFSET(dev_pm_ops_runtime_suspend, dev_pm_ops, runtime_suspend);
	OFFSET(dev_pm_ops_runtime_resume, dev_pm_ops, runtime_resume);
	OFFSET(dev_pm_ops_runtime_idle, dev_pm_ops, runtime_idle);
	DEFINE(dev_pm_ops_sizeof, sizeof(struct dev_pm_ops));
	OFFSET(dev_pm_domain_ops, dev_pm_domain, ops);
	OFFSET(dev_pm_domain_detach, dev_pm_domain, detach);
	OFFSET(class_pm, class, pm);
	DEFINE(RPM_INVALID, RPM_INVALID);
	DEFINE(RPM_ACTIVE, RPM_ACTIVE);
	DEFINE(RPM_RESUMING, RPM_RESUMING);
	DEFINE(RPM_SUSPENDED, RPM_SUSPENDED);
	DEFINE(RPM_SUSPENDING, RPM_SUSPENDING);
	DEFINE(RPM_REQ_NONE, RPM_REQ_NONE);
	DEFINE(RPM_REQ_IDLE, RPM_REQ_IDLE);
	DEFINE(RPM_REQ_SUSPEND, RPM_REQ_SUSPEND);
	DEFINE(RPM_REQ_AUTOSUSPEND, RPM_REQ_AUTOSUSPEND);
	DEFINE(RPM_REQ_RESUME, RPM_REQ_RESUME);
	DEFINE(RPM_ASYNC, RPM_ASYNC);
	DEFINE(RPM_NOWAIT, RPM_NOWAIT);
	DEFINE(RPM_GET_PUT, RPM_GET_PUT);
	DEFINE(RPM_AUTO, RPM_AUTO);
	DEFINE(EINPROGRESS, EINPROGRESS);
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
	DEFINE(fwnode_endpoint_sizeof, sizeof(struct fwnode_endpoint));
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
	/* mm: struct page and the memory map (include/linux/mm_types.h, page-flags.h) */
	OFFSET(page_flags, page, flags);
	OFFSET(page_lru, page, lru);
	OFFSET(page_mapping, page, mapping);
	OFFSET(page_index, page, index);
	OFFSET(page_private, page, private);
	OFFSET(page_compound_head, page, compound_head);
	OFFSET(page_compound_dtor, page, compound_dtor);
	OFFSET(page_compound_order, page, compound_order);
	OFFSET(page_compound_mapcount, page, compound_mapcount);
	OFFSET(page_compound_pincount, page, compound_pincount);
	OFFSET(page_compound_nr, page, compound_nr);
	OFFSET(page_mapcount, page, _mapcount);
	OFFSET(page_refcount, page, _refcount);
	OFFSET(page_memcg_data, page, memcg_data);
	DEFINE(PG_locked, PG_locked);
	DEFINE(PG_referenced, PG_referenced);
	DEFINE(PG_uptodate, PG_uptodate);
	DEFINE(PG_dirty, PG_dirty);
	DEFINE(PG_lru, PG_lru);
	DEFINE(PG_active, PG_active);
	DEFINE(PG_reserved, PG_reserved);
	DEFINE(PG_private, PG_private);
	DEFINE(PG_writeback, PG_writeback);
	DEFINE(PG_mlocked, PG_mlocked);
	DEFINE(PG_hwpoison, PG_hwpoison);
	DEFINE(PG_swapbacked, PG_swapbacked);
	DEFINE(PAGE_FLAGS_CHECK_AT_FREE, PAGE_FLAGS_CHECK_AT_FREE);
	DEFINE(PAGE_FLAGS_CHECK_AT_PREP, PAGE_FLAGS_CHECK_AT_PREP);
	DEFINE(PAGE_TYPE_BASE, PAGE_TYPE_BASE);
	DEFINE(PAGE_MAPCOUNT_RESERVE, PAGE_MAPCOUNT_RESERVE);
	DEFINE(PG_buddy, PG_buddy);
	DEFINE(PAGE_MAPPING_ANON, PAGE_MAPPING_ANON);
	DEFINE(PAGE_MAPPING_FLAGS, PAGE_MAPPING_FLAGS);
	DEFINE(TAIL_MAPPING, (unsigned long)TAIL_MAPPING);
	DEFINE(LIST_POISON1, (unsigned long)LIST_POISON1);
	DEFINE(KERNEL_IMAGE_SIZE, KERNEL_IMAGE_SIZE);
	DEFINE(COMPOUND_PAGE_DTOR, COMPOUND_PAGE_DTOR);
	DEFINE(TRANSHUGE_PAGE_DTOR, TRANSHUGE_PAGE_DTOR);
	DEFINE(GFP_NOWARN, (__force long)__GFP_NOWARN);
	OFFSET(page_deferred_list, page, deferred_list);
	DEFINE(PAGE_ALLOC_COSTLY_ORDER, PAGE_ALLOC_COSTLY_ORDER);
	DEFINE(pageblock_order, pageblock_order);
	DEFINE(MAX_ORDER_NR_PAGES, MAX_ORDER_NR_PAGES);
	DEFINE(NODES_WIDTH, NODES_WIDTH);
	DEFINE(ZONES_WIDTH, ZONES_WIDTH);
	DEFINE(GFP_COMP, (__force long)__GFP_COMP);
	DEFINE(GFP_ZERO, (__force long)__GFP_ZERO);
	DEFINE(GFP_HIGHMEM, (__force long)__GFP_HIGHMEM);
	DEFINE(ZONE_DMA, ZONE_DMA);
	DEFINE(ZONE_NORMAL, ZONE_NORMAL);
	DEFINE(MAX_DMA_PFN, MAX_DMA_PFN);
	DEFINE(MAX_DMA32_PFN, MAX_DMA32_PFN);

	/* mm: mappings (mm_types.h, mm.h, mman.h, vmalloc.h, asm/pgtable_types.h) */
	DEFINE(vm_area_struct_sizeof, sizeof(struct vm_area_struct));
	OFFSET(vm_area_struct_vm_start, vm_area_struct, vm_start);
	OFFSET(vm_area_struct_vm_end, vm_area_struct, vm_end);
	OFFSET(vm_area_struct_vm_mm, vm_area_struct, vm_mm);
	OFFSET(vm_area_struct_vm_page_prot, vm_area_struct, vm_page_prot);
	OFFSET(vm_area_struct_vm_flags, vm_area_struct, vm_flags);
	OFFSET(vm_area_struct_anon_vma_chain, vm_area_struct, anon_vma_chain);
	OFFSET(vm_area_struct_vm_ops, vm_area_struct, vm_ops);
	OFFSET(vm_area_struct_vm_pgoff, vm_area_struct, vm_pgoff);
	OFFSET(vm_area_struct_vm_file, vm_area_struct, vm_file);
	OFFSET(vm_area_struct_vm_private_data, vm_area_struct, vm_private_data);
	DEFINE(vm_operations_struct_sizeof, sizeof(struct vm_operations_struct));
	OFFSET(vm_operations_struct_open, vm_operations_struct, open);
	OFFSET(vm_operations_struct_close, vm_operations_struct, close);
	OFFSET(vm_operations_struct_may_split, vm_operations_struct, may_split);
	OFFSET(vm_operations_struct_fault, vm_operations_struct, fault);
	OFFSET(vm_operations_struct_page_mkwrite, vm_operations_struct, page_mkwrite);
	OFFSET(vm_operations_struct_pfn_mkwrite, vm_operations_struct, pfn_mkwrite);
	OFFSET(vm_operations_struct_access, vm_operations_struct, access);
	OFFSET(vm_operations_struct_name, vm_operations_struct, name);
	DEFINE(vm_fault_sizeof, sizeof(struct vm_fault));
	OFFSET(vm_fault_vma, vm_fault, vma);
	OFFSET(vm_fault_gfp_mask, vm_fault, gfp_mask);
	OFFSET(vm_fault_pgoff, vm_fault, pgoff);
	OFFSET(vm_fault_address, vm_fault, address);
	OFFSET(vm_fault_real_address, vm_fault, real_address);
	OFFSET(vm_fault_flags, vm_fault, flags);
	OFFSET(vm_fault_page, vm_fault, page);
	DEFINE(mm_struct_sizeof, sizeof(struct mm_struct));
	OFFSET(mm_struct_mmap_lock, mm_struct, mmap_lock);
	OFFSET(mm_struct_mm_users, mm_struct, mm_users);
	OFFSET(mm_struct_mm_count, mm_struct, mm_count);
	OFFSET(mm_struct_mmap_base, mm_struct, mmap_base);
	OFFSET(mm_struct_task_size, mm_struct, task_size);
	OFFSET(mm_struct_map_count, mm_struct, map_count);
	DEFINE(VM_READ, VM_READ);
	DEFINE(VM_WRITE, VM_WRITE);
	DEFINE(VM_EXEC, VM_EXEC);
	DEFINE(VM_SHARED, VM_SHARED);
	DEFINE(VM_MAYREAD, VM_MAYREAD);
	DEFINE(VM_MAYWRITE, VM_MAYWRITE);
	DEFINE(VM_MAYEXEC, VM_MAYEXEC);
	DEFINE(VM_MAYSHARE, VM_MAYSHARE);
	DEFINE(VM_GROWSDOWN, VM_GROWSDOWN);
	DEFINE(VM_PFNMAP, VM_PFNMAP);
	DEFINE(VM_LOCKED, VM_LOCKED);
	DEFINE(VM_IO, VM_IO);
	DEFINE(VM_DONTEXPAND, VM_DONTEXPAND);
	DEFINE(VM_DONTDUMP, VM_DONTDUMP);
	DEFINE(VM_MIXEDMAP, VM_MIXEDMAP);
	DEFINE(VM_PAT, VM_PAT);
	DEFINE(VM_SOFTDIRTY, VM_SOFTDIRTY);
	DEFINE(VM_NORESERVE, VM_NORESERVE);
	DEFINE(VM_ACCOUNT, VM_ACCOUNT);
	DEFINE(VM_SEQ_READ, VM_SEQ_READ);
	DEFINE(_PAGE_CHG_MASK_FLAGS, _PAGE_PCD | _PAGE_PWT | _PAGE_PAT | _PAGE_SPECIAL | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_SOFT_DIRTY | _PAGE_DEVMAP | _PAGE_UFFD_WP);
	DEFINE(_PAGE_DIRTY, _PAGE_DIRTY);
	DEFINE(_PAGE_SPECIAL, _PAGE_SPECIAL);
	DEFINE(GFP_HIGHUSER_MOVABLE, (__force long)GFP_HIGHUSER_MOVABLE);
	DEFINE(PFN_FLAGS_MASK, PFN_FLAGS_MASK);
	DEFINE(PFN_DEV, PFN_DEV);
	DEFINE(PFN_MAP, PFN_MAP);
	DEFINE(PFN_SPECIAL, PFN_SPECIAL);
	DEFINE(VM_SYNC, VM_SYNC);
	DEFINE(VM_USERMAP, VM_USERMAP);
	DEFINE(VM_DMA_COHERENT, VM_DMA_COHERENT);
	DEFINE(VM_FAULT_OOM, VM_FAULT_OOM);
	DEFINE(VM_FAULT_SIGBUS, VM_FAULT_SIGBUS);
	DEFINE(VM_FAULT_SIGSEGV, VM_FAULT_SIGSEGV);
	DEFINE(VM_FAULT_HWPOISON, VM_FAULT_HWPOISON);
	DEFINE(VM_FAULT_HWPOISON_LARGE, VM_FAULT_HWPOISON_LARGE);
	DEFINE(VM_FAULT_NOPAGE, VM_FAULT_NOPAGE);
	DEFINE(VM_FAULT_LOCKED, VM_FAULT_LOCKED);
	DEFINE(VM_FAULT_RETRY, VM_FAULT_RETRY);
	DEFINE(VM_FAULT_DONE_COW, VM_FAULT_DONE_COW);
	DEFINE(VM_FAULT_ERROR, VM_FAULT_ERROR);
	DEFINE(FAULT_FLAG_WRITE, FAULT_FLAG_WRITE);
	DEFINE(FAULT_FLAG_ALLOW_RETRY, FAULT_FLAG_ALLOW_RETRY);
	DEFINE(FAULT_FLAG_KILLABLE, FAULT_FLAG_KILLABLE);
	DEFINE(FAULT_FLAG_USER, FAULT_FLAG_USER);
	DEFINE(FAULT_FLAG_INTERRUPTIBLE, FAULT_FLAG_INTERRUPTIBLE);
	DEFINE(PROT_READ, PROT_READ);
	DEFINE(PROT_WRITE, PROT_WRITE);
	DEFINE(PROT_EXEC, PROT_EXEC);
	DEFINE(PROT_NONE, PROT_NONE);
	DEFINE(MAP_SHARED, MAP_SHARED);
	DEFINE(MAP_PRIVATE, MAP_PRIVATE);
	DEFINE(MAP_SHARED_VALIDATE, MAP_SHARED_VALIDATE);
	DEFINE(MAP_TYPE, MAP_TYPE);
	DEFINE(MAP_FIXED, MAP_FIXED);
	DEFINE(MAP_ANONYMOUS, MAP_ANONYMOUS);
	DEFINE(MAP_POPULATE, MAP_POPULATE);
	DEFINE(MAP_LOCKED, MAP_LOCKED);
	DEFINE(MAP_NORESERVE, MAP_NORESERVE);
	DEFINE(MAP_GROWSDOWN, MAP_GROWSDOWN);
	DEFINE(MAP_SYNC, MAP_SYNC);
	DEFINE(LEGACY_MAP_MASK, LEGACY_MAP_MASK);
	DEFINE(file_operations_mmap_supported_flags, offsetof(struct file_operations, mmap_supported_flags));
	DEFINE(file_operations_get_unmapped_area, offsetof(struct file_operations, get_unmapped_area));
	DEFINE(DEFAULT_MAP_WINDOW, DEFAULT_MAP_WINDOW);
	DEFINE(PAGE_NONE, pgprot_val(PAGE_NONE));
	DEFINE(PAGE_SHARED, pgprot_val(PAGE_SHARED));
	DEFINE(PAGE_SHARED_EXEC, pgprot_val(PAGE_SHARED_EXEC));
	DEFINE(PAGE_COPY, pgprot_val(PAGE_COPY));
	DEFINE(PAGE_COPY_EXEC, pgprot_val(PAGE_COPY_EXEC));
	DEFINE(PAGE_READONLY, pgprot_val(PAGE_READONLY));
	DEFINE(PAGE_READONLY_EXEC, pgprot_val(PAGE_READONLY_EXEC));
	DEFINE(_PAGE_PRESENT, _PAGE_PRESENT);
	DEFINE(_PAGE_RW, _PAGE_RW);
	DEFINE(_PAGE_USER, _PAGE_USER);
	DEFINE(_PAGE_PWT, _PAGE_PWT);
	DEFINE(_PAGE_PCD, _PAGE_PCD);
	DEFINE(_PAGE_PAT, _PAGE_PAT);
	DEFINE(_PAGE_PROTNONE, _PAGE_PROTNONE);
	DEFINE(_PAGE_CACHE_MASK, _PAGE_CACHE_MASK);
	DEFINE(_PAGE_CACHE_MODE_WB, _PAGE_CACHE_MODE_WB);
	DEFINE(_PAGE_CACHE_MODE_WC, _PAGE_CACHE_MODE_WC);
	DEFINE(_PAGE_CACHE_MODE_UC_MINUS, _PAGE_CACHE_MODE_UC_MINUS);
	DEFINE(_PAGE_CACHE_MODE_UC, _PAGE_CACHE_MODE_UC);
	DEFINE(_PAGE_CACHE_MODE_WT, _PAGE_CACHE_MODE_WT);
	DEFINE(_PAGE_CACHE_MODE_WP, _PAGE_CACHE_MODE_WP);
	DEFINE(_PAGE_CACHE_MODE_NUM, _PAGE_CACHE_MODE_NUM);
	DEFINE(vm_struct_sizeof, sizeof(struct vm_struct));
	OFFSET(vm_struct_addr, vm_struct, addr);
	OFFSET(vm_struct_size, vm_struct, size);
	OFFSET(vm_struct_flags, vm_struct, flags);
	OFFSET(vm_struct_pages, vm_struct, pages);
	OFFSET(vm_struct_nr_pages, vm_struct, nr_pages);
	OFFSET(vm_struct_caller, vm_struct, caller);
	/* drivers/input/input.c */
	DEFINE(input_dev_sizeof, sizeof(struct input_dev));
	OFFSET(input_dev_name, input_dev, name);
	OFFSET(input_dev_phys, input_dev, phys);
	OFFSET(input_dev_uniq, input_dev, uniq);
	OFFSET(input_dev_id_bustype, input_dev, id.bustype);
	OFFSET(input_dev_id_vendor, input_dev, id.vendor);
	OFFSET(input_dev_id_product, input_dev, id.product);
	OFFSET(input_dev_id_version, input_dev, id.version);
	OFFSET(input_dev_propbit, input_dev, propbit);
	OFFSET(input_dev_evbit, input_dev, evbit);
	OFFSET(input_dev_keybit, input_dev, keybit);
	OFFSET(input_dev_relbit, input_dev, relbit);
	OFFSET(input_dev_absbit, input_dev, absbit);
	OFFSET(input_dev_mscbit, input_dev, mscbit);
	OFFSET(input_dev_ledbit, input_dev, ledbit);
	OFFSET(input_dev_sndbit, input_dev, sndbit);
	OFFSET(input_dev_ffbit, input_dev, ffbit);
	OFFSET(input_dev_swbit, input_dev, swbit);
	OFFSET(input_dev_hint_events_per_packet, input_dev, hint_events_per_packet);
	OFFSET(input_dev_getkeycode, input_dev, getkeycode);
	OFFSET(input_dev_setkeycode, input_dev, setkeycode);
	OFFSET(input_dev_ff, input_dev, ff);
	OFFSET(input_dev_poller, input_dev, poller);
	OFFSET(input_dev_repeat_key, input_dev, repeat_key);
	OFFSET(input_dev_timer, input_dev, timer);
	OFFSET(input_dev_rep, input_dev, rep);
	OFFSET(input_dev_mt, input_dev, mt);
	OFFSET(input_dev_absinfo, input_dev, absinfo);
	OFFSET(input_dev_key, input_dev, key);
	OFFSET(input_dev_led, input_dev, led);
	OFFSET(input_dev_snd, input_dev, snd);
	OFFSET(input_dev_sw, input_dev, sw);
	OFFSET(input_dev_open, input_dev, open);
	OFFSET(input_dev_close, input_dev, close);
	OFFSET(input_dev_event, input_dev, event);
	OFFSET(input_dev_grab, input_dev, grab);
	OFFSET(input_dev_event_lock, input_dev, event_lock);
	OFFSET(input_dev_mutex, input_dev, mutex);
	OFFSET(input_dev_users, input_dev, users);
	OFFSET(input_dev_going_away, input_dev, going_away);
	OFFSET(input_dev_dev, input_dev, dev);
	OFFSET(input_dev_h_list, input_dev, h_list);
	OFFSET(input_dev_node, input_dev, node);
	OFFSET(input_dev_num_vals, input_dev, num_vals);
	OFFSET(input_dev_max_vals, input_dev, max_vals);
	OFFSET(input_dev_vals, input_dev, vals);
	OFFSET(input_dev_devres_managed, input_dev, devres_managed);
	OFFSET(input_dev_timestamp, input_dev, timestamp);
	OFFSET(input_dev_inhibited, input_dev, inhibited);
	OFFSET(vivaldi_data_function_row_physmap, vivaldi_data, function_row_physmap);
	OFFSET(vivaldi_data_num_function_row_keys, vivaldi_data, num_function_row_keys);
	OFFSET(input_handler_name, input_handler, name);
	OFFSET(input_handler_event, input_handler, event);
	OFFSET(input_handler_events, input_handler, events);
	OFFSET(input_handler_filter, input_handler, filter);
	OFFSET(input_handler_match, input_handler, match);
	OFFSET(input_handler_connect, input_handler, connect);
	OFFSET(input_handler_disconnect, input_handler, disconnect);
	OFFSET(input_handler_start, input_handler, start);
	OFFSET(input_handler_id_table, input_handler, id_table);
	OFFSET(input_handler_h_list, input_handler, h_list);
	OFFSET(input_handler_node, input_handler, node);
	OFFSET(input_handle_open, input_handle, open);
	OFFSET(input_handle_dev, input_handle, dev);
	OFFSET(input_handle_handler, input_handle, handler);
	OFFSET(input_handle_d_node, input_handle, d_node);
	OFFSET(input_handle_h_node, input_handle, h_node);
	DEFINE(input_device_id_sizeof, sizeof(struct input_device_id));
	OFFSET(input_device_id_flags, input_device_id, flags);
	OFFSET(input_device_id_bustype, input_device_id, bustype);
	OFFSET(input_device_id_vendor, input_device_id, vendor);
	OFFSET(input_device_id_product, input_device_id, product);
	OFFSET(input_device_id_version, input_device_id, version);
	OFFSET(input_device_id_evbit, input_device_id, evbit);
	OFFSET(input_device_id_keybit, input_device_id, keybit);
	OFFSET(input_device_id_relbit, input_device_id, relbit);
	OFFSET(input_device_id_absbit, input_device_id, absbit);
	OFFSET(input_device_id_mscbit, input_device_id, mscbit);
	OFFSET(input_device_id_ledbit, input_device_id, ledbit);
	OFFSET(input_device_id_sndbit, input_device_id, sndbit);
	OFFSET(input_device_id_ffbit, input_device_id, ffbit);
	OFFSET(input_device_id_swbit, input_device_id, swbit);
	OFFSET(input_device_id_propbit, input_device_id, propbit);
	OFFSET(input_device_id_driver_info, input_device_id, driver_info);
	DEFINE(input_absinfo_sizeof, sizeof(struct input_absinfo));
	OFFSET(input_absinfo_value, input_absinfo, value);
	OFFSET(input_absinfo_minimum, input_absinfo, minimum);
	OFFSET(input_absinfo_maximum, input_absinfo, maximum);
	OFFSET(input_absinfo_fuzz, input_absinfo, fuzz);
	OFFSET(input_absinfo_flat, input_absinfo, flat);
	OFFSET(input_keymap_entry_len, input_keymap_entry, len);
	OFFSET(input_keymap_entry_scancode, input_keymap_entry, scancode);
	DEFINE(input_value_sizeof, sizeof(struct input_value));
	OFFSET(ff_device_effect_owners, ff_device, effect_owners);
	OFFSET(ff_device_mutex, ff_device, mutex);
	OFFSET(ff_device_max_effects, ff_device, max_effects);
	OFFSET(ff_device_effects, ff_device, effects);
	OFFSET(ff_device_playback, ff_device, playback);
	OFFSET(ff_device_set_gain, ff_device, set_gain);
	OFFSET(ff_device_set_autocenter, ff_device, set_autocenter);
	DEFINE(ff_effect_sizeof, sizeof(struct ff_effect));
	DEFINE(ff_device_sizeof, sizeof(struct ff_device));
	OFFSET(ff_device_ffbit, ff_device, ffbit);
	OFFSET(ff_device_destroy, ff_device, destroy);
	OFFSET(ff_device_private, ff_device, private);
	OFFSET(ff_device_erase, ff_device, erase);
	OFFSET(input_dev_flush, input_dev, flush);
	DEFINE(FF_MAX_EFFECTS, FF_MAX_EFFECTS);
	DEFINE(FF_CNT, FF_CNT);
	DEFINE(FF_PERIODIC, FF_PERIODIC);
	DEFINE(FF_RUMBLE, FF_RUMBLE);
	/* drivers/leds/led-triggers.c */
	DEFINE(led_trigger_sizeof, sizeof(struct led_trigger));
	OFFSET(led_trigger_name, led_trigger, name);
	OFFSET(led_trigger_brightness, led_trigger, brightness);
	OFFSET(led_trigger_activate, led_trigger, activate);
	OFFSET(led_trigger_deactivate, led_trigger, deactivate);
	OFFSET(led_trigger_trigger_type, led_trigger, trigger_type);
	OFFSET(led_trigger_leddev_list_lock, led_trigger, leddev_list_lock);
	OFFSET(led_trigger_led_cdevs, led_trigger, led_cdevs);
	OFFSET(led_trigger_next_trig, led_trigger, next_trig);
	OFFSET(led_classdev_trig_list, led_classdev, trig_list);
	/* fs/fcntl.c */
	DEFINE(fasync_struct_sizeof, sizeof(struct fasync_struct));
	OFFSET(fasync_struct_magic, fasync_struct, magic);
	OFFSET(fasync_struct_fa_fd, fasync_struct, fa_fd);
	OFFSET(fasync_struct_fa_next, fasync_struct, fa_next);
	OFFSET(fasync_struct_fa_file, fasync_struct, fa_file);
	OFFSET(fasync_struct_fa_rcu, fasync_struct, fa_rcu);
	DEFINE(FASYNC_MAGIC, FASYNC_MAGIC);
	OFFSET(file_f_owner_signum, file, f_owner.signum);
	OFFSET(file_f_owner_pid, file, f_owner.pid);
	/* drivers/power/supply/power_supply_core.c */
	DEFINE(power_supply_sizeof, sizeof(struct power_supply));
	OFFSET(power_supply_desc, power_supply, desc);
	OFFSET(power_supply_supplied_to, power_supply, supplied_to);
	OFFSET(power_supply_num_supplicants, power_supply, num_supplicants);
	OFFSET(power_supply_drv_data, power_supply, drv_data);
	OFFSET(power_supply_dev, power_supply, dev);
	OFFSET(power_supply_changed_work, power_supply, changed_work);
	OFFSET(power_supply_changed_lock, power_supply, changed_lock);
	OFFSET(power_supply_changed, power_supply, changed);
	OFFSET(power_supply_initialized, power_supply, initialized);
	OFFSET(power_supply_removing, power_supply, removing);
	OFFSET(power_supply_use_cnt, power_supply, use_cnt);
	OFFSET(power_supply_deferred_register_work, power_supply, deferred_register_work);
	OFFSET(power_supply_charging_full_trig, power_supply, charging_full_trig);
	OFFSET(power_supply_charging_full_trig_name, power_supply, charging_full_trig_name);
	OFFSET(power_supply_charging_trig, power_supply, charging_trig);
	OFFSET(power_supply_charging_trig_name, power_supply, charging_trig_name);
	OFFSET(power_supply_full_trig, power_supply, full_trig);
	OFFSET(power_supply_full_trig_name, power_supply, full_trig_name);
	OFFSET(power_supply_online_trig, power_supply, online_trig);
	OFFSET(power_supply_online_trig_name, power_supply, online_trig_name);
	OFFSET(power_supply_charging_blink_full_solid_trig, power_supply, charging_blink_full_solid_trig);
	OFFSET(power_supply_charging_blink_full_solid_trig_name, power_supply, charging_blink_full_solid_trig_name);
	OFFSET(power_supply_desc_name, power_supply_desc, name);
	OFFSET(power_supply_desc_type, power_supply_desc, type);
	OFFSET(power_supply_desc_properties, power_supply_desc, properties);
	OFFSET(power_supply_desc_num_properties, power_supply_desc, num_properties);
	OFFSET(power_supply_desc_usb_types, power_supply_desc, usb_types);
	OFFSET(power_supply_desc_num_usb_types, power_supply_desc, num_usb_types);
	OFFSET(power_supply_desc_get_property, power_supply_desc, get_property);
	OFFSET(power_supply_desc_external_power_changed, power_supply_desc, external_power_changed);
	OFFSET(power_supply_desc_no_thermal, power_supply_desc, no_thermal);
	OFFSET(power_supply_config_attr_grp, power_supply_config, attr_grp);
	OFFSET(power_supply_config_drv_data, power_supply_config, drv_data);
	OFFSET(power_supply_config_supplied_to, power_supply_config, supplied_to);
	OFFSET(power_supply_config_num_supplicants, power_supply_config, num_supplicants);
	OFFSET(power_supply_config_fwnode, power_supply_config, fwnode);
	OFFSET(power_supply_config_of_node, power_supply_config, of_node);
	DEFINE(POWER_SUPPLY_PROP_STATUS, POWER_SUPPLY_PROP_STATUS);
	DEFINE(POWER_SUPPLY_PROP_ONLINE, POWER_SUPPLY_PROP_ONLINE);
	DEFINE(POWER_SUPPLY_PROP_USB_TYPE, POWER_SUPPLY_PROP_USB_TYPE);
	DEFINE(POWER_SUPPLY_PROP_TEMP, POWER_SUPPLY_PROP_TEMP);
	DEFINE(POWER_SUPPLY_TYPE_BATTERY, POWER_SUPPLY_TYPE_BATTERY);
	DEFINE(POWER_SUPPLY_STATUS_FULL, POWER_SUPPLY_STATUS_FULL);
	DEFINE(POWER_SUPPLY_STATUS_CHARGING, POWER_SUPPLY_STATUS_CHARGING);
	DEFINE(PSY_EVENT_PROP_CHANGED, PSY_EVENT_PROP_CHANGED);
	/* kernel/jump_label.c, arch/x86/kernel/jump_label.c: static keys and __jump_table entries */
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
	OFFSET(notifier_block_notifier_call, notifier_block, notifier_call);
	OFFSET(notifier_block_next, notifier_block, next);
	OFFSET(notifier_block_priority, notifier_block, priority);
	DEFINE(NOTIFY_STOP_MASK, NOTIFY_STOP_MASK);
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

/* Crypto API, notifier chains and network registration (issue 9, netcrypto). */
#include <linux/crypto.h>
#include <crypto/algapi.h>
#include <crypto/hash.h>
#include <crypto/skcipher.h>
#include <crypto/aead.h>
#include <crypto/internal/skcipher.h>
#include <crypto/internal/cipher.h>
#include <crypto/internal/hash.h>
#include <crypto/internal/aead.h>
#include <crypto/scatterwalk.h>
#include <crypto/aes.h>
#include <crypto/chacha.h>
#include <linux/scatterlist.h>
#include <linux/notifier.h>
#include <linux/reboot.h>
#include <linux/cpuhotplug.h>
#include <linux/textsearch.h>
#include <net/tcp.h>
#include <net/sch_generic.h>
#include <net/pkt_cls.h>
#include <net/sock.h>
#include <net/net_namespace.h>
#include <linux/seq_file_net.h>
#include <linux/netfilter.h>
#include <net/netfilter/nf_log.h>
#include <linux/netdevice.h>
#include <linux/net.h>

void kmodemu_profile_probe_netcrypto(void);
void kmodemu_profile_probe_netcrypto(void)
{
	/* include/linux/crypto.h, include/crypto/algapi.h */
	DEFINE(CRYPTO_ALG_TYPE_MASK, CRYPTO_ALG_TYPE_MASK);
	DEFINE(CRYPTO_ALG_TYPE_CIPHER, CRYPTO_ALG_TYPE_CIPHER);
	DEFINE(CRYPTO_ALG_TYPE_COMPRESS, CRYPTO_ALG_TYPE_COMPRESS);
	DEFINE(CRYPTO_ALG_TYPE_AEAD, CRYPTO_ALG_TYPE_AEAD);
	DEFINE(CRYPTO_ALG_TYPE_SKCIPHER, CRYPTO_ALG_TYPE_SKCIPHER);
	DEFINE(CRYPTO_ALG_TYPE_KPP, CRYPTO_ALG_TYPE_KPP);
	DEFINE(CRYPTO_ALG_TYPE_SCOMPRESS, CRYPTO_ALG_TYPE_SCOMPRESS);
	DEFINE(CRYPTO_ALG_TYPE_AKCIPHER, CRYPTO_ALG_TYPE_AKCIPHER);
	DEFINE(CRYPTO_ALG_TYPE_SHASH, CRYPTO_ALG_TYPE_SHASH);
	DEFINE(CRYPTO_ALG_TYPE_AHASH, CRYPTO_ALG_TYPE_AHASH);
	DEFINE(CRYPTO_ALG_TYPE_AHASH_MASK, CRYPTO_ALG_TYPE_AHASH_MASK);
	DEFINE(CRYPTO_ALG_LARVAL, CRYPTO_ALG_LARVAL);
	DEFINE(CRYPTO_ALG_DEAD, CRYPTO_ALG_DEAD);
	DEFINE(CRYPTO_ALG_DYING, CRYPTO_ALG_DYING);
	DEFINE(CRYPTO_ALG_ASYNC, CRYPTO_ALG_ASYNC);
	DEFINE(CRYPTO_ALG_NEED_FALLBACK, CRYPTO_ALG_NEED_FALLBACK);
	DEFINE(CRYPTO_ALG_TESTED, CRYPTO_ALG_TESTED);
	DEFINE(CRYPTO_ALG_INSTANCE, CRYPTO_ALG_INSTANCE);
	DEFINE(CRYPTO_ALG_INTERNAL, CRYPTO_ALG_INTERNAL);
	DEFINE(CRYPTO_ALG_OPTIONAL_KEY, CRYPTO_ALG_OPTIONAL_KEY);
	DEFINE(CRYPTO_ALG_FIPS_INTERNAL, CRYPTO_ALG_FIPS_INTERNAL);
	DEFINE(CRYPTO_ALG_INHERITED_FLAGS, CRYPTO_ALG_INHERITED_FLAGS);
	DEFINE(CRYPTO_TFM_REQ_FORBID_WEAK_KEYS, CRYPTO_TFM_REQ_FORBID_WEAK_KEYS);
	DEFINE(CRYPTO_TFM_REQ_MASK, CRYPTO_TFM_REQ_MASK);
	DEFINE(CRYPTO_MAX_ALG_NAME, CRYPTO_MAX_ALG_NAME);
	DEFINE(MAX_ALGAPI_ALIGNMASK, MAX_ALGAPI_ALIGNMASK);
	DEFINE(MAX_ALGAPI_BLOCKSIZE, MAX_ALGAPI_BLOCKSIZE);
	DEFINE(MAX_CIPHER_ALIGNMASK, MAX_CIPHER_ALIGNMASK);
	DEFINE(MAX_CIPHER_BLOCKSIZE, MAX_CIPHER_BLOCKSIZE);
	DEFINE(CRYPTO_MINALIGN, CRYPTO_MINALIGN);
	DEFINE(CRYPTO_TFM_NEED_KEY, CRYPTO_TFM_NEED_KEY);
	DEFINE(CRYPTO_TFM_REQ_MAY_SLEEP, CRYPTO_TFM_REQ_MAY_SLEEP);
	DEFINE(CRYPTO_NOLOAD, CRYPTO_NOLOAD);
	DEFINE(HASH_MAX_DESCSIZE, HASH_MAX_DESCSIZE);
	DEFINE(HASH_MAX_STATESIZE, HASH_MAX_STATESIZE);
	DEFINE(HASH_MAX_DIGESTSIZE, HASH_MAX_DIGESTSIZE);
	DEFINE(SKCIPHER_WALK_SLOW, 1 << 0);
	OFFSET(crypto_alg_cra_list, crypto_alg, cra_list);
	OFFSET(crypto_alg_cra_users, crypto_alg, cra_users);
	OFFSET(crypto_alg_cra_flags, crypto_alg, cra_flags);
	OFFSET(crypto_alg_cra_blocksize, crypto_alg, cra_blocksize);
	OFFSET(crypto_alg_cra_ctxsize, crypto_alg, cra_ctxsize);
	OFFSET(crypto_alg_cra_alignmask, crypto_alg, cra_alignmask);
	OFFSET(crypto_alg_cra_priority, crypto_alg, cra_priority);
	OFFSET(crypto_alg_cra_refcnt, crypto_alg, cra_refcnt);
	OFFSET(crypto_alg_cra_name, crypto_alg, cra_name);
	OFFSET(crypto_alg_cra_driver_name, crypto_alg, cra_driver_name);
	OFFSET(crypto_alg_cra_type, crypto_alg, cra_type);
	OFFSET(crypto_alg_cra_u, crypto_alg, cra_u);
	OFFSET(crypto_alg_cra_init, crypto_alg, cra_init);
	OFFSET(crypto_alg_cra_exit, crypto_alg, cra_exit);
	OFFSET(crypto_alg_cra_destroy, crypto_alg, cra_destroy);
	OFFSET(crypto_alg_cra_module, crypto_alg, cra_module);
	DEFINE(crypto_alg_sizeof, sizeof(struct crypto_alg));
	OFFSET(cipher_alg_cia_min_keysize, cipher_alg, cia_min_keysize);
	OFFSET(cipher_alg_cia_max_keysize, cipher_alg, cia_max_keysize);
	OFFSET(cipher_alg_cia_setkey, cipher_alg, cia_setkey);
	OFFSET(cipher_alg_cia_encrypt, cipher_alg, cia_encrypt);
	OFFSET(cipher_alg_cia_decrypt, cipher_alg, cia_decrypt);
	OFFSET(crypto_tfm_refcnt, crypto_tfm, refcnt);
	OFFSET(crypto_tfm_crt_flags, crypto_tfm, crt_flags);
	OFFSET(crypto_tfm_node, crypto_tfm, node);
	OFFSET(crypto_tfm_exit, crypto_tfm, exit);
	OFFSET(crypto_tfm___crt_alg, crypto_tfm, __crt_alg);
	OFFSET(crypto_tfm___crt_ctx, crypto_tfm, __crt_ctx);
	DEFINE(crypto_tfm_sizeof, sizeof(struct crypto_tfm));
	OFFSET(crypto_type_ctxsize, crypto_type, ctxsize);
	OFFSET(crypto_type_extsize, crypto_type, extsize);
	OFFSET(crypto_type_init, crypto_type, init);
	OFFSET(crypto_type_init_tfm, crypto_type, init_tfm);
	OFFSET(crypto_type_show, crypto_type, show);
	OFFSET(crypto_type_report, crypto_type, report);
	OFFSET(crypto_type_free, crypto_type, free);
	OFFSET(crypto_type_type, crypto_type, type);
	OFFSET(crypto_type_maskclear, crypto_type, maskclear);
	OFFSET(crypto_type_maskset, crypto_type, maskset);
	OFFSET(crypto_type_tfmsize, crypto_type, tfmsize);
	DEFINE(crypto_type_sizeof, sizeof(struct crypto_type));
	OFFSET(crypto_template_list, crypto_template, list);
	OFFSET(crypto_template_instances, crypto_template, instances);
	OFFSET(crypto_template_module, crypto_template, module);
	OFFSET(crypto_template_create, crypto_template, create);
	OFFSET(crypto_template_name, crypto_template, name);
	OFFSET(crypto_instance_alg, crypto_instance, alg);
	OFFSET(crypto_instance_tmpl, crypto_instance, tmpl);
	OFFSET(crypto_instance_list, crypto_instance, list);
	OFFSET(crypto_instance_spawns, crypto_instance, spawns);
	OFFSET(crypto_instance_free_work, crypto_instance, free_work);
	OFFSET(crypto_instance___ctx, crypto_instance, __ctx);
	DEFINE(crypto_instance_sizeof, sizeof(struct crypto_instance));
	OFFSET(crypto_spawn_list, crypto_spawn, list);
	OFFSET(crypto_spawn_alg, crypto_spawn, alg);
	OFFSET(crypto_spawn_inst, crypto_spawn, inst);
	OFFSET(crypto_spawn_next, crypto_spawn, next);
	OFFSET(crypto_spawn_frontend, crypto_spawn, frontend);
	OFFSET(crypto_spawn_mask, crypto_spawn, mask);
	OFFSET(crypto_spawn_dead, crypto_spawn, dead);
	OFFSET(crypto_spawn_registered, crypto_spawn, registered);
	DEFINE(crypto_spawn_sizeof, sizeof(struct crypto_spawn));
	OFFSET(crypto_attr_type_type, crypto_attr_type, type);
	OFFSET(crypto_attr_type_mask, crypto_attr_type, mask);
	DEFINE(crypto_attr_alg_sizeof, sizeof(struct crypto_attr_alg));
	DEFINE(crypto_attr_type_sizeof, sizeof(struct crypto_attr_type));
	OFFSET(rtattr_rta_len, rtattr, rta_len);
	OFFSET(rtattr_rta_type, rtattr, rta_type);
	DEFINE(RTA_ALIGNTO, RTA_ALIGNTO);
	OFFSET(shash_alg_init, shash_alg, init);
	OFFSET(shash_alg_update, shash_alg, update);
	OFFSET(shash_alg_final, shash_alg, final);
	OFFSET(shash_alg_finup, shash_alg, finup);
	OFFSET(shash_alg_digest, shash_alg, digest);
	OFFSET(shash_alg_export, shash_alg, export);
	OFFSET(shash_alg_import, shash_alg, import);
	OFFSET(shash_alg_setkey, shash_alg, setkey);
	OFFSET(shash_alg_init_tfm, shash_alg, init_tfm);
	OFFSET(shash_alg_exit_tfm, shash_alg, exit_tfm);
	OFFSET(shash_alg_descsize, shash_alg, descsize);
	OFFSET(shash_alg_digestsize, shash_alg, digestsize);
	OFFSET(shash_alg_statesize, shash_alg, statesize);
	OFFSET(shash_alg_base, shash_alg, base);
	DEFINE(shash_alg_sizeof, sizeof(struct shash_alg));
	OFFSET(shash_desc_tfm, shash_desc, tfm);
	OFFSET(shash_desc___ctx, shash_desc, __ctx);
	DEFINE(shash_desc_sizeof, sizeof(struct shash_desc));
	OFFSET(crypto_shash_descsize, crypto_shash, descsize);
	OFFSET(crypto_shash_base, crypto_shash, base);
	OFFSET(shash_instance_alg, shash_instance, alg);
	OFFSET(shash_instance_free, shash_instance, free);
	OFFSET(shash_instance_s_base, shash_instance, s.base);
	OFFSET(hash_alg_common_digestsize, hash_alg_common, digestsize);
	OFFSET(hash_alg_common_statesize, hash_alg_common, statesize);
	OFFSET(hash_alg_common_base, hash_alg_common, base);
	OFFSET(ahash_alg_init, ahash_alg, init);
	OFFSET(ahash_alg_update, ahash_alg, update);
	OFFSET(ahash_alg_final, ahash_alg, final);
	OFFSET(ahash_alg_finup, ahash_alg, finup);
	OFFSET(ahash_alg_digest, ahash_alg, digest);
	OFFSET(ahash_alg_export, ahash_alg, export);
	OFFSET(ahash_alg_import, ahash_alg, import);
	OFFSET(ahash_alg_setkey, ahash_alg, setkey);
	OFFSET(ahash_alg_init_tfm, ahash_alg, init_tfm);
	OFFSET(ahash_alg_exit_tfm, ahash_alg, exit_tfm);
	OFFSET(ahash_alg_halg, ahash_alg, halg);
	OFFSET(skcipher_alg_setkey, skcipher_alg, setkey);
	OFFSET(skcipher_alg_encrypt, skcipher_alg, encrypt);
	OFFSET(skcipher_alg_decrypt, skcipher_alg, decrypt);
	OFFSET(skcipher_alg_init, skcipher_alg, init);
	OFFSET(skcipher_alg_exit, skcipher_alg, exit);
	OFFSET(skcipher_alg_min_keysize, skcipher_alg, min_keysize);
	OFFSET(skcipher_alg_max_keysize, skcipher_alg, max_keysize);
	OFFSET(skcipher_alg_ivsize, skcipher_alg, ivsize);
	OFFSET(skcipher_alg_chunksize, skcipher_alg, chunksize);
	OFFSET(skcipher_alg_walksize, skcipher_alg, walksize);
	OFFSET(skcipher_alg_base, skcipher_alg, base);
	DEFINE(skcipher_alg_sizeof, sizeof(struct skcipher_alg));
	OFFSET(crypto_skcipher_reqsize, crypto_skcipher, reqsize);
	OFFSET(crypto_skcipher_base, crypto_skcipher, base);
	OFFSET(skcipher_request_cryptlen, skcipher_request, cryptlen);
	OFFSET(skcipher_request_iv, skcipher_request, iv);
	OFFSET(skcipher_request_src, skcipher_request, src);
	OFFSET(skcipher_request_dst, skcipher_request, dst);
	OFFSET(skcipher_request_base, skcipher_request, base);
	OFFSET(skcipher_request___ctx, skcipher_request, __ctx);
	DEFINE(skcipher_request_sizeof, sizeof(struct skcipher_request));
	OFFSET(crypto_async_request_complete, crypto_async_request, complete);
	OFFSET(crypto_async_request_data, crypto_async_request, data);
	OFFSET(crypto_async_request_tfm, crypto_async_request, tfm);
	OFFSET(crypto_async_request_flags, crypto_async_request, flags);
	OFFSET(skcipher_instance_free, skcipher_instance, free);
	OFFSET(skcipher_instance_alg, skcipher_instance, alg);
	OFFSET(skcipher_instance_s_base, skcipher_instance, s.base);
	DEFINE(skcipher_instance_sizeof, sizeof(struct skcipher_instance));
	DEFINE(crypto_cipher_spawn_sizeof, sizeof(struct crypto_cipher_spawn));
	OFFSET(skcipher_walk_src_virt_addr, skcipher_walk, src.virt.addr);
	OFFSET(skcipher_walk_dst_virt_addr, skcipher_walk, dst.virt.addr);
	OFFSET(skcipher_walk_src_virt_page, skcipher_walk, src.virt.page);
	OFFSET(skcipher_walk_dst_virt_page, skcipher_walk, dst.virt.page);
	OFFSET(skcipher_walk_nbytes, skcipher_walk, nbytes);
	OFFSET(skcipher_walk_total, skcipher_walk, total);
	OFFSET(skcipher_walk_iv, skcipher_walk, iv);
	OFFSET(skcipher_walk_oiv, skcipher_walk, oiv);
	OFFSET(skcipher_walk_ivsize, skcipher_walk, ivsize);
	OFFSET(skcipher_walk_flags, skcipher_walk, flags);
	OFFSET(skcipher_walk_blocksize, skcipher_walk, blocksize);
	OFFSET(skcipher_walk_stride, skcipher_walk, stride);
	OFFSET(skcipher_walk_alignmask, skcipher_walk, alignmask);
	OFFSET(skcipher_walk_buffers, skcipher_walk, buffers);
	DEFINE(skcipher_walk_sizeof, sizeof(struct skcipher_walk));
	OFFSET(aead_alg_setkey, aead_alg, setkey);
	OFFSET(aead_alg_setauthsize, aead_alg, setauthsize);
	OFFSET(aead_alg_encrypt, aead_alg, encrypt);
	OFFSET(aead_alg_decrypt, aead_alg, decrypt);
	OFFSET(aead_alg_init, aead_alg, init);
	OFFSET(aead_alg_exit, aead_alg, exit);
	OFFSET(aead_alg_ivsize, aead_alg, ivsize);
	OFFSET(aead_alg_maxauthsize, aead_alg, maxauthsize);
	OFFSET(aead_alg_chunksize, aead_alg, chunksize);
	OFFSET(aead_alg_base, aead_alg, base);
	OFFSET(crypto_aead_authsize, crypto_aead, authsize);
	OFFSET(crypto_aead_reqsize, crypto_aead, reqsize);
	OFFSET(crypto_aead_base, crypto_aead, base);
	OFFSET(scatterlist_page_link, scatterlist, page_link);
	OFFSET(scatterlist_offset, scatterlist, offset);
	OFFSET(scatterlist_length, scatterlist, length);
	DEFINE(scatterlist_sizeof, sizeof(struct scatterlist));
	DEFINE(SG_CHAIN, SG_CHAIN);
	DEFINE(SG_END, SG_END);
	OFFSET(crypto_aes_ctx_key_enc, crypto_aes_ctx, key_enc);
	OFFSET(crypto_aes_ctx_key_dec, crypto_aes_ctx, key_dec);
	OFFSET(crypto_aes_ctx_key_length, crypto_aes_ctx, key_length);

	DEFINE(crypto_template_sizeof, sizeof(struct crypto_template));
	OFFSET(crypto_queue_list, crypto_queue, list);
	OFFSET(crypto_queue_backlog, crypto_queue, backlog);
	OFFSET(crypto_queue_qlen, crypto_queue, qlen);
	OFFSET(crypto_queue_max_qlen, crypto_queue, max_qlen);
	OFFSET(crypto_async_request_list, crypto_async_request, list);
	DEFINE(CRYPTO_TFM_REQ_MAY_BACKLOG, CRYPTO_TFM_REQ_MAY_BACKLOG);
	OFFSET(crypto_wait_completion, crypto_wait, completion);
	OFFSET(crypto_wait_err, crypto_wait, err);
	DEFINE(crypto_aes_ctx_sizeof, sizeof(struct crypto_aes_ctx));
	OFFSET(skcipher_walk_in, skcipher_walk, in);
	OFFSET(skcipher_walk_out, skcipher_walk, out);
	OFFSET(skcipher_walk_page, skcipher_walk, page);
	OFFSET(skcipher_walk_buffer, skcipher_walk, buffer);
	OFFSET(scatter_walk_sg, scatter_walk, sg);
	OFFSET(scatter_walk_offset, scatter_walk, offset);
	DEFINE(aead_alg_sizeof, sizeof(struct aead_alg));
	OFFSET(aead_instance_free, aead_instance, free);
	OFFSET(aead_instance_alg, aead_instance, alg);
	OFFSET(aead_instance_s_base, aead_instance, s.base);
	OFFSET(aead_request_base, aead_request, base);
	OFFSET(aead_request_cryptlen, aead_request, cryptlen);
	DEFINE(ahash_alg_sizeof, sizeof(struct ahash_alg));
	OFFSET(ahash_instance_free, ahash_instance, free);
	OFFSET(ahash_instance_alg, ahash_instance, alg);
	OFFSET(ahash_instance_s_base, ahash_instance, s.base);

	/* kernel/notifier.c */
	OFFSET(blocking_notifier_head_rwsem, blocking_notifier_head, rwsem);
	OFFSET(srcu_notifier_head_head, srcu_notifier_head, head);
	OFFSET(srcu_notifier_head_srcu, srcu_notifier_head, srcu);
	DEFINE(NOTIFY_BAD, NOTIFY_BAD);
	DEFINE(SYS_DOWN, SYS_DOWN);
	DEFINE(CPUHP_AP_ONLINE_DYN, CPUHP_AP_ONLINE_DYN);
	DEFINE(CPUHP_AP_ONLINE_DYN_END, CPUHP_AP_ONLINE_DYN_END);
	DEFINE(CPUHP_BP_PREPARE_DYN, CPUHP_BP_PREPARE_DYN);
	DEFINE(CPUHP_BP_PREPARE_DYN_END, CPUHP_BP_PREPARE_DYN_END);
	DEFINE(CPUHP_ONLINE, CPUHP_ONLINE);
	DEFINE(CPUHP_AP_ONLINE, CPUHP_AP_ONLINE);
	DEFINE(CPUHP_TEARDOWN_CPU, CPUHP_TEARDOWN_CPU);
	DEFINE(CPUHP_AP_OFFLINE, CPUHP_AP_OFFLINE);
	DEFINE(CPUHP_BRINGUP_CPU, CPUHP_BRINGUP_CPU);
	OFFSET(hlist_node_next, hlist_node, next);
	OFFSET(hlist_node_pprev, hlist_node, pprev);

	/* lib/textsearch.c */
	OFFSET(ts_ops_name, ts_ops, name);
	OFFSET(ts_ops_init, ts_ops, init);
	OFFSET(ts_ops_find, ts_ops, find);
	OFFSET(ts_ops_destroy, ts_ops, destroy);
	OFFSET(ts_ops_get_pattern, ts_ops, get_pattern);
	OFFSET(ts_ops_get_pattern_len, ts_ops, get_pattern_len);
	OFFSET(ts_ops_owner, ts_ops, owner);
	OFFSET(ts_ops_list, ts_ops, list);
	OFFSET(ts_config_ops, ts_config, ops);
	OFFSET(ts_config_flags, ts_config, flags);
	OFFSET(ts_config_get_next_block, ts_config, get_next_block);
	OFFSET(ts_config_finish, ts_config, finish);
	DEFINE(ts_config_sizeof, sizeof(struct ts_config));
	OFFSET(ts_state_offset, ts_state, offset);
	OFFSET(ts_state_cb, ts_state, cb);
	DEFINE(ts_state_sizeof, sizeof(struct ts_state));
	DEFINE(TS_AUTOLOAD, TS_AUTOLOAD);
	DEFINE(TS_IGNORECASE, TS_IGNORECASE);

	/* net/ipv4/tcp_cong.c */
	DEFINE(TCP_CA_NAME_MAX, TCP_CA_NAME_MAX);
	DEFINE(TCP_CONG_NON_RESTRICTED, TCP_CONG_NON_RESTRICTED);
	DEFINE(TCP_CONG_NEEDS_ECN, TCP_CONG_NEEDS_ECN);
	DEFINE(TCP_CONG_MASK, TCP_CONG_MASK);
	DEFINE(TCP_INFINITE_SSTHRESH, TCP_INFINITE_SSTHRESH);
	OFFSET(tcp_congestion_ops_ssthresh, tcp_congestion_ops, ssthresh);
	OFFSET(tcp_congestion_ops_cong_avoid, tcp_congestion_ops, cong_avoid);
	OFFSET(tcp_congestion_ops_cong_control, tcp_congestion_ops, cong_control);
	OFFSET(tcp_congestion_ops_undo_cwnd, tcp_congestion_ops, undo_cwnd);
	OFFSET(tcp_congestion_ops_name, tcp_congestion_ops, name);
	OFFSET(tcp_congestion_ops_owner, tcp_congestion_ops, owner);
	OFFSET(tcp_congestion_ops_list, tcp_congestion_ops, list);
	OFFSET(tcp_congestion_ops_key, tcp_congestion_ops, key);
	OFFSET(tcp_congestion_ops_flags, tcp_congestion_ops, flags);
	OFFSET(tcp_congestion_ops_init, tcp_congestion_ops, init);
	OFFSET(tcp_congestion_ops_release, tcp_congestion_ops, release);
	DEFINE(tcp_congestion_ops_sizeof, sizeof(struct tcp_congestion_ops));
	OFFSET(tcp_sock_snd_cwnd, tcp_sock, snd_cwnd);
	OFFSET(tcp_sock_snd_cwnd_cnt, tcp_sock, snd_cwnd_cnt);
	OFFSET(tcp_sock_snd_cwnd_clamp, tcp_sock, snd_cwnd_clamp);
	OFFSET(tcp_sock_snd_ssthresh, tcp_sock, snd_ssthresh);
	OFFSET(tcp_sock_prior_cwnd, tcp_sock, prior_cwnd);
	OFFSET(tcp_sock_max_packets_out, tcp_sock, max_packets_out);
	OFFSET(tcp_sock_packets_out, tcp_sock, packets_out);
	OFFSET(tcp_sock_repair_queue, tcp_sock, repair_queue);
	OFFSET(inet_connection_sock_icsk_ca_ops, inet_connection_sock, icsk_ca_ops);
	DEFINE(tcp_sock_sizeof, sizeof(struct tcp_sock));

	/* net/sched/sch_api.c, net/sched/ematch.c */
	DEFINE(IFNAMSIZ, IFNAMSIZ);
	OFFSET(Qdisc_ops_next, Qdisc_ops, next);
	OFFSET(Qdisc_ops_cl_ops, Qdisc_ops, cl_ops);
	OFFSET(Qdisc_ops_id, Qdisc_ops, id);
	OFFSET(Qdisc_ops_enqueue, Qdisc_ops, enqueue);
	OFFSET(Qdisc_ops_dequeue, Qdisc_ops, dequeue);
	OFFSET(Qdisc_ops_peek, Qdisc_ops, peek);
	OFFSET(Qdisc_ops_owner, Qdisc_ops, owner);
	OFFSET(Qdisc_class_ops_find, Qdisc_class_ops, find);
	OFFSET(Qdisc_class_ops_walk, Qdisc_class_ops, walk);
	OFFSET(Qdisc_class_ops_leaf, Qdisc_class_ops, leaf);
	DEFINE(Qdisc_ops_sizeof, sizeof(struct Qdisc_ops));
	OFFSET(sk_buff_next, sk_buff, next);
	OFFSET(sk_buff_prev, sk_buff, prev);
	OFFSET(napi_struct_dev, napi_struct, dev);
	OFFSET(sk_buff_head_lock, sk_buff_head, lock);
	OFFSET(sk_buff_dev, sk_buff, dev);
	OFFSET(sk_buff_sk, sk_buff, sk);
	OFFSET(sk_buff_skb_refdst, sk_buff, _skb_refdst);
	OFFSET(sk_buff_destructor, sk_buff, destructor);
	OFFSET(sk_buff_len, sk_buff, len);
	OFFSET(sk_buff_data_len, sk_buff, data_len);
	OFFSET(sk_buff_cloned_offset, sk_buff, __cloned_offset);
	OFFSET(sk_buff_protocol, sk_buff, protocol);
	OFFSET(sk_buff_mac_header, sk_buff, mac_header);
	OFFSET(sk_buff_network_header, sk_buff, network_header);
	OFFSET(sk_buff_transport_header, sk_buff, transport_header);
	OFFSET(sk_buff_tail, sk_buff, tail);
	OFFSET(sk_buff_end, sk_buff, end);
	OFFSET(sk_buff_head, sk_buff, head);
	OFFSET(sk_buff_data, sk_buff, data);
	OFFSET(sk_buff_truesize, sk_buff, truesize);
	OFFSET(sk_buff_users, sk_buff, users);
	DEFINE(sk_buff_sizeof, sizeof(struct sk_buff));
	OFFSET(skb_shared_info_nr_frags, skb_shared_info, nr_frags);
	OFFSET(skb_shared_info_frag_list, skb_shared_info, frag_list);
	OFFSET(skb_shared_info_dataref, skb_shared_info, dataref);
	DEFINE(skb_shared_info_sizeof, sizeof(struct skb_shared_info));
	OFFSET(sk_buff_head_next, sk_buff_head, next);
	OFFSET(sk_buff_head_prev, sk_buff_head, prev);
	OFFSET(sk_buff_head_qlen, sk_buff_head, qlen);
	DEFINE(NET_SKB_PAD, NET_SKB_PAD);
	DEFINE(SKB_DROP_REASON_MAX, SKB_DROP_REASON_MAX);
	DEFINE(SKB_DROP_REASON_NOT_SPECIFIED, SKB_DROP_REASON_NOT_SPECIFIED);
	OFFSET(Qdisc_class_ops_tcf_block, Qdisc_class_ops, tcf_block);
	OFFSET(Qdisc_class_ops_bind_tcf, Qdisc_class_ops, bind_tcf);
	OFFSET(Qdisc_class_ops_unbind_tcf, Qdisc_class_ops, unbind_tcf);
	OFFSET(tcf_ematch_ops_kind, tcf_ematch_ops, kind);
	OFFSET(tcf_ematch_ops_owner, tcf_ematch_ops, owner);
	OFFSET(tcf_ematch_ops_match, tcf_ematch_ops, match);
	OFFSET(tcf_ematch_ops_link, tcf_ematch_ops, link);

	/* net/socket.c, net/core/sock.c, net/core/dev.c, net/netfilter/core.c, net_namespace.c */
	DEFINE(NPROTO, NPROTO);
	OFFSET(net_proto_family_family, net_proto_family, family);
	OFFSET(net_proto_family_create, net_proto_family, create);
	OFFSET(net_proto_family_owner, net_proto_family, owner);
	OFFSET(proto_name, proto, name);
	OFFSET(proto_owner, proto, owner);
	OFFSET(proto_obj_size, proto, obj_size);
	OFFSET(proto_slab, proto, slab);
	OFFSET(proto_slab_flags, proto, slab_flags);
	OFFSET(proto_node, proto, node);
	OFFSET(proto_twsk_prot, proto, twsk_prot);
	OFFSET(proto_rsk_prot, proto, rsk_prot);
	OFFSET(proto_memory_allocated, proto, memory_allocated);
	OFFSET(proto_sockets_allocated, proto, sockets_allocated);
	OFFSET(proto_memory_pressure, proto, memory_pressure);
	OFFSET(proto_sysctl_mem, proto, sysctl_mem);
	OFFSET(proto_max_header, proto, max_header);
	OFFSET(proto_close, proto, close);
	OFFSET(proto_connect, proto, connect);
	OFFSET(proto_disconnect, proto, disconnect);
	OFFSET(proto_accept, proto, accept);
	OFFSET(proto_ioctl, proto, ioctl);
	OFFSET(proto_init, proto, init);
	OFFSET(proto_destroy, proto, destroy);
	OFFSET(proto_shutdown, proto, shutdown);
	OFFSET(proto_setsockopt, proto, setsockopt);
	OFFSET(proto_getsockopt, proto, getsockopt);
	OFFSET(proto_sendmsg, proto, sendmsg);
	OFFSET(proto_recvmsg, proto, recvmsg);
	OFFSET(proto_sendpage, proto, sendpage);
	OFFSET(proto_bind, proto, bind);
	OFFSET(proto_backlog_rcv, proto, backlog_rcv);
	OFFSET(proto_hash, proto, hash);
	OFFSET(proto_unhash, proto, unhash);
	OFFSET(proto_get_port, proto, get_port);
	OFFSET(proto_enter_memory_pressure, proto, enter_memory_pressure);
	DEFINE(proto_sizeof, sizeof(struct proto));
	OFFSET(packet_type_type, packet_type, type);
	OFFSET(packet_type_dev, packet_type, dev);
	OFFSET(packet_type_func, packet_type, func);
	OFFSET(packet_type_list, packet_type, list);
	DEFINE(packet_type_sizeof, sizeof(struct packet_type));
	DEFINE(ETH_P_ALL, ETH_P_ALL);
	OFFSET(nf_hook_ops_hook, nf_hook_ops, hook);
	OFFSET(nf_hook_ops_dev, nf_hook_ops, dev);
	OFFSET(nf_hook_ops_priv, nf_hook_ops, priv);
	OFFSET(nf_hook_ops_pf, nf_hook_ops, pf);
	OFFSET(nf_hook_ops_hooknum, nf_hook_ops, hooknum);
	OFFSET(nf_hook_ops_priority, nf_hook_ops, priority);
	DEFINE(nf_hook_ops_sizeof, sizeof(struct nf_hook_ops));
	DEFINE(NFPROTO_NUMPROTO, NFPROTO_NUMPROTO);
	DEFINE(NFPROTO_INET, NFPROTO_INET);
	DEFINE(NFPROTO_NETDEV, NFPROTO_NETDEV);
	DEFINE(NF_INET_NUMHOOKS, NF_INET_NUMHOOKS);
	DEFINE(NF_INET_INGRESS, NF_INET_INGRESS);
	DEFINE(NF_MAX_HOOKS, NF_MAX_HOOKS);
	OFFSET(pernet_operations_list, pernet_operations, list);
	OFFSET(pernet_operations_init, pernet_operations, init);
	OFFSET(pernet_operations_pre_exit, pernet_operations, pre_exit);
	OFFSET(pernet_operations_exit, pernet_operations, exit);
	OFFSET(pernet_operations_exit_batch, pernet_operations, exit_batch);
	OFFSET(pernet_operations_id, pernet_operations, id);
	OFFSET(pernet_operations_size, pernet_operations, size);
	OFFSET(net_gen, net, gen);
	OFFSET(net_ns, net, ns);
	OFFSET(net_passive, net, passive);
	OFFSET(net_ns_refcnt, net, ns.count);
	OFFSET(net_list, net, list);
	OFFSET(net_dev_base_head, net, dev_base_head);
	OFFSET(net_loopback_dev, net, loopback_dev);
	OFFSET(net_user_ns, net, user_ns);
	OFFSET(net_ifindex, net, ifindex);
	OFFSET(net_dev_base_seq, net, dev_base_seq);
	OFFSET(net_proc_net, net, proc_net);
	OFFSET(net_nf_loggers, net, nf.nf_loggers);
	OFFSET(nf_logger_logfn, nf_logger, logfn);
	OFFSET(nf_sockopt_ops_list, nf_sockopt_ops, list);
	OFFSET(nf_sockopt_ops_pf, nf_sockopt_ops, pf);
	OFFSET(nf_sockopt_ops_set_optmin, nf_sockopt_ops, set_optmin);
	OFFSET(nf_sockopt_ops_set_optmax, nf_sockopt_ops, set_optmax);
	OFFSET(nf_sockopt_ops_get_optmin, nf_sockopt_ops, get_optmin);
	OFFSET(nf_sockopt_ops_get_optmax, nf_sockopt_ops, get_optmax);
	OFFSET(net_proc_net_stat, net, proc_net_stat);
	OFFSET(seq_net_private_net, seq_net_private, net);
	DEFINE(seq_net_private_sizeof, sizeof(struct seq_net_private));
	DEFINE(net_sizeof, sizeof(struct net));
	OFFSET(net_generic_len, net_generic, s.len);
	OFFSET(net_generic_ptr, net_generic, ptr);
}

/* TTY drivers and consoles (issue 9, netcrypto: drivers/char/ttyprintk.ko) */
#include <linux/tty.h>
#include <linux/tty_driver.h>
#include <linux/tty_flip.h>
#include <linux/console.h>

void kmodemu_profile_probe_tty(void);
void kmodemu_profile_probe_tty(void)
{
	OFFSET(tty_driver_kref, tty_driver, kref);
	OFFSET(tty_driver_cdevs, tty_driver, cdevs);
	OFFSET(tty_driver_owner, tty_driver, owner);
	OFFSET(tty_driver_driver_name, tty_driver, driver_name);
	OFFSET(tty_driver_name, tty_driver, name);
	OFFSET(tty_driver_name_base, tty_driver, name_base);
	OFFSET(tty_driver_major, tty_driver, major);
	OFFSET(tty_driver_minor_start, tty_driver, minor_start);
	OFFSET(tty_driver_num, tty_driver, num);
	OFFSET(tty_driver_type, tty_driver, type);
	OFFSET(tty_driver_subtype, tty_driver, subtype);
	OFFSET(tty_driver_init_termios, tty_driver, init_termios);
	OFFSET(tty_driver_flags, tty_driver, flags);
	OFFSET(tty_driver_ttys, tty_driver, ttys);
	OFFSET(tty_driver_ports, tty_driver, ports);
	OFFSET(tty_driver_termios, tty_driver, termios);
	OFFSET(tty_driver_ops, tty_driver, ops);
	OFFSET(tty_driver_tty_drivers, tty_driver, tty_drivers);
	DEFINE(tty_driver_sizeof, sizeof(struct tty_driver));
	DEFINE(TTY_DRIVER_INSTALLED, TTY_DRIVER_INSTALLED);
	DEFINE(TTY_DRIVER_DYNAMIC_DEV, TTY_DRIVER_DYNAMIC_DEV);
	DEFINE(TTY_DRIVER_DEVPTS_MEM, TTY_DRIVER_DEVPTS_MEM);
	DEFINE(TTY_DRIVER_DYNAMIC_ALLOC, TTY_DRIVER_DYNAMIC_ALLOC);
	DEFINE(TTY_DRIVER_UNNUMBERED_NODE, TTY_DRIVER_UNNUMBERED_NODE);
	DEFINE(TTY_DRIVER_TYPE_PTY, TTY_DRIVER_TYPE_PTY);
	DEFINE(ktermios_sizeof, sizeof(struct ktermios));
	OFFSET(ktermios_c_iflag, ktermios, c_iflag);
	OFFSET(ktermios_c_oflag, ktermios, c_oflag);
	OFFSET(ktermios_c_cflag, ktermios, c_cflag);
	OFFSET(ktermios_c_lflag, ktermios, c_lflag);
	OFFSET(ktermios_c_line, ktermios, c_line);
	OFFSET(ktermios_c_cc, ktermios, c_cc);
	OFFSET(ktermios_c_ispeed, ktermios, c_ispeed);
	OFFSET(ktermios_c_ospeed, ktermios, c_ospeed);
	DEFINE(TERMIOS_STD_IFLAG, ICRNL | IXON);
	DEFINE(TERMIOS_STD_OFLAG, OPOST | ONLCR);
	DEFINE(TERMIOS_STD_CFLAG, B38400 | CS8 | CREAD | HUPCL);
	DEFINE(TERMIOS_STD_LFLAG, ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN);
	DEFINE(NCCS, NCCS);
	OFFSET(tty_port_buf, tty_port, buf);
	OFFSET(tty_port_open_wait, tty_port, open_wait);
	OFFSET(tty_port_delta_msr_wait, tty_port, delta_msr_wait);
	OFFSET(tty_port_mutex, tty_port, mutex);
	OFFSET(tty_port_buf_mutex, tty_port, buf_mutex);
	OFFSET(tty_port_close_delay, tty_port, close_delay);
	OFFSET(tty_port_closing_wait, tty_port, closing_wait);
	OFFSET(tty_port_client_ops, tty_port, client_ops);
	OFFSET(tty_port_kref, tty_port, kref);
	OFFSET(tty_port_ops, tty_port, ops);
	OFFSET(tty_port_itty, tty_port, itty);
	OFFSET(tty_port_xmit_buf, tty_port, xmit_buf);
	DEFINE(tty_port_sizeof, sizeof(struct tty_port));
	OFFSET(tty_bufhead_work, tty_bufhead, work);
	OFFSET(tty_bufhead_lock, tty_bufhead, lock);
	OFFSET(tty_bufhead_head, tty_bufhead, head);
	OFFSET(tty_bufhead_tail, tty_bufhead, tail);
	OFFSET(tty_bufhead_sentinel, tty_bufhead, sentinel);
	OFFSET(tty_bufhead_free, tty_bufhead, free);
	OFFSET(tty_bufhead_mem_used, tty_bufhead, mem_used);
	OFFSET(tty_bufhead_mem_limit, tty_bufhead, mem_limit);
	OFFSET(tty_buffer_size, tty_buffer, size);
	OFFSET(tty_buffer_next, tty_buffer, next);
	DEFINE(tty_buffer_sizeof, sizeof(struct tty_buffer));
	OFFSET(tty_port_client_operations_receive_buf, tty_port_client_operations, receive_buf);
	DEFINE(tty_port_client_operations_sizeof, sizeof(struct tty_port_client_operations));
	OFFSET(tty_port_operations_destruct, tty_port_operations, destruct);
	OFFSET(console_name, console, name);
	OFFSET(console_write, console, write);
	OFFSET(console_read, console, read);
	OFFSET(console_device, console, device);
	OFFSET(console_unblank, console, unblank);
	OFFSET(console_setup, console, setup);
	OFFSET(console_exit, console, exit);
	OFFSET(console_match, console, match);
	OFFSET(console_flags, console, flags);
	OFFSET(console_index, console, index);
	OFFSET(console_next, console, next);
	DEFINE(console_name_size, sizeof(((struct console *)0)->name));
	DEFINE(CON_PRINTBUFFER, CON_PRINTBUFFER);
	DEFINE(CON_CONSDEV, CON_CONSDEV);
	DEFINE(CON_ENABLED, CON_ENABLED);
	DEFINE(CON_BOOT, CON_BOOT);
	DEFINE(CON_ANYTIME, CON_ANYTIME);
	DEFINE(CON_BRL, CON_BRL);
	DEFINE(TTYAUX_MAJOR, TTYAUX_MAJOR);
}

/* Network devices, protocol families and netfilter hooks (issue 9, netcrypto) */
#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <net/net_namespace.h>
#include <linux/netfilter.h>

void kmodemu_profile_probe_netdev(void);
void kmodemu_profile_probe_netdev(void)
{
	OFFSET(net_device_name, net_device, name);
	OFFSET(net_device_state, net_device, state);
	OFFSET(net_device_dev_list, net_device, dev_list);
	OFFSET(net_device_unreg_list, net_device, unreg_list);
	OFFSET(net_device_ptype_all, net_device, ptype_all);
	OFFSET(net_device_ptype_specific, net_device, ptype_specific);
	OFFSET(net_device_napi_list, net_device, napi_list);
	OFFSET(net_device_close_list, net_device, close_list);
	OFFSET(net_device_link_watch_list, net_device, link_watch_list);
	OFFSET(net_device_adj_list_upper, net_device, adj_list.upper);
	OFFSET(net_device_adj_list_lower, net_device, adj_list.lower);
	OFFSET(net_device_flags, net_device, flags);
	OFFSET(net_device_priv_flags, net_device, priv_flags);
	OFFSET(net_device_netdev_ops, net_device, netdev_ops);
	OFFSET(net_device_ifindex, net_device, ifindex);
	OFFSET(net_device_hard_header_len, net_device, hard_header_len);
	OFFSET(net_device_mtu, net_device, mtu);
	OFFSET(net_device_min_mtu, net_device, min_mtu);
	OFFSET(net_device_max_mtu, net_device, max_mtu);
	OFFSET(net_device_type, net_device, type);
	OFFSET(net_device_min_header_len, net_device, min_header_len);
	OFFSET(net_device_name_assign_type, net_device, name_assign_type);
	OFFSET(net_device_group, net_device, group);
	OFFSET(net_device_stats, net_device, stats);
	OFFSET(net_device_ethtool_ops, net_device, ethtool_ops);
	OFFSET(net_device_header_ops, net_device, header_ops);
	OFFSET(net_device_operstate, net_device, operstate);
	OFFSET(net_device_perm_addr, net_device, perm_addr);
	OFFSET(net_device_addr_assign_type, net_device, addr_assign_type);
	OFFSET(net_device_addr_len, net_device, addr_len);
	OFFSET(net_device_padded, net_device, padded);
	OFFSET(net_device_dev_addrs, net_device, dev_addrs);
	OFFSET(net_device_dev_addr, net_device, dev_addr);
	OFFSET(net_device__rx, net_device, _rx);
	OFFSET(net_device_num_rx_queues, net_device, num_rx_queues);
	OFFSET(net_device_real_num_rx_queues, net_device, real_num_rx_queues);
	OFFSET(net_device_broadcast, net_device, broadcast);
	OFFSET(net_device__tx, net_device, _tx);
	OFFSET(net_device_num_tx_queues, net_device, num_tx_queues);
	OFFSET(net_device_real_num_tx_queues, net_device, real_num_tx_queues);
	OFFSET(net_device_tx_queue_len, net_device, tx_queue_len);
	OFFSET(net_device_todo_list, net_device, todo_list);
	OFFSET(net_device_pcpu_refcnt, net_device, pcpu_refcnt);
	OFFSET(net_device_reg_state, net_device, reg_state);
	OFFSET(net_device_needs_free_netdev, net_device, needs_free_netdev);
	OFFSET(net_device_priv_destructor, net_device, priv_destructor);
	OFFSET(net_device_nd_net, net_device, nd_net);
	OFFSET(net_device_dev, net_device, dev);
	OFFSET(net_device_gso_max_size, net_device, gso_max_size);
	OFFSET(net_device_gso_max_segs, net_device, gso_max_segs);
	OFFSET(net_device_gro_max_size, net_device, gro_max_size);
	OFFSET(net_device_tso_max_size, net_device, tso_max_size);
	OFFSET(net_device_tso_max_segs, net_device, tso_max_segs);
	OFFSET(net_device_upper_level, net_device, upper_level);
	OFFSET(net_device_lower_level, net_device, lower_level);
	DEFINE(net_device_sizeof, sizeof(struct net_device));
	DEFINE(NETDEV_ALIGN, NETDEV_ALIGN);
	DEFINE(netdev_queue_sizeof, sizeof(struct netdev_queue));
	OFFSET(netdev_queue_dev, netdev_queue, dev);
	DEFINE(netdev_rx_queue_sizeof, sizeof(struct netdev_rx_queue));
	OFFSET(netdev_rx_queue_dev, netdev_rx_queue, dev);
	OFFSET(netdev_hw_addr_list_list, netdev_hw_addr_list, list);
	OFFSET(netdev_hw_addr_list_count, netdev_hw_addr_list, count);
	OFFSET(netdev_hw_addr_list, netdev_hw_addr, list);
	OFFSET(netdev_hw_addr_addr, netdev_hw_addr, addr);
	OFFSET(netdev_hw_addr_type, netdev_hw_addr, type);
	OFFSET(netdev_hw_addr_refcount, netdev_hw_addr, refcount);
	DEFINE(netdev_hw_addr_sizeof, sizeof(struct netdev_hw_addr));
	DEFINE(NETDEV_HW_ADDR_T_LAN, NETDEV_HW_ADDR_T_LAN);
	OFFSET(net_device_ops_ndo_init, net_device_ops, ndo_init);
	OFFSET(net_device_ops_ndo_uninit, net_device_ops, ndo_uninit);
	OFFSET(net_device_ops_ndo_get_stats64, net_device_ops, ndo_get_stats64);
	OFFSET(net_device_ops_ndo_get_stats, net_device_ops, ndo_get_stats);
	OFFSET(netdev_notifier_info_dev, netdev_notifier_info, dev);
	DEFINE(netdev_notifier_info_sizeof, sizeof(struct netdev_notifier_info));
	DEFINE(NETDEV_UP, NETDEV_UP);
	DEFINE(NETDEV_DOWN, NETDEV_DOWN);
	DEFINE(NETDEV_GOING_DOWN, NETDEV_GOING_DOWN);
	DEFINE(NETDEV_REGISTER, NETDEV_REGISTER);
	DEFINE(NETDEV_UNREGISTER, NETDEV_UNREGISTER);
	DEFINE(NETDEV_POST_INIT, NETDEV_POST_INIT);
	DEFINE(NETREG_UNINITIALIZED, NETREG_UNINITIALIZED);
	DEFINE(NETREG_REGISTERED, NETREG_REGISTERED);
	DEFINE(NETREG_UNREGISTERING, NETREG_UNREGISTERING);
	DEFINE(NETREG_UNREGISTERED, NETREG_UNREGISTERED);
	DEFINE(NETREG_RELEASED, NETREG_RELEASED);
	DEFINE(IFF_UP, IFF_UP);
	DEFINE(IFF_BROADCAST, IFF_BROADCAST);
	DEFINE(IFF_LOOPBACK, IFF_LOOPBACK);
	DEFINE(IFF_MULTICAST, IFF_MULTICAST);
	DEFINE(IFF_XMIT_DST_RELEASE, (long)IFF_XMIT_DST_RELEASE);
	DEFINE(IFF_XMIT_DST_RELEASE_PERM, (long)IFF_XMIT_DST_RELEASE_PERM);
	DEFINE(IFF_NO_QUEUE, (long)IFF_NO_QUEUE);
	DEFINE(IFF_TX_SKB_SHARING, (long)IFF_TX_SKB_SHARING);
	DEFINE(DEFAULT_TX_QUEUE_LEN, DEFAULT_TX_QUEUE_LEN);
	DEFINE(GSO_LEGACY_MAX_SIZE, GSO_LEGACY_MAX_SIZE);
	DEFINE(GSO_MAX_SEGS, GSO_MAX_SEGS);
	DEFINE(GRO_LEGACY_MAX_SIZE, GRO_LEGACY_MAX_SIZE);
	DEFINE(TSO_LEGACY_MAX_SIZE, TSO_LEGACY_MAX_SIZE);
	DEFINE(TSO_MAX_SEGS, TSO_MAX_SEGS);
	DEFINE(INIT_NETDEV_GROUP, INIT_NETDEV_GROUP);
	DEFINE(ARPHRD_ETHER, ARPHRD_ETHER);
	DEFINE(ARPHRD_LOOPBACK, ARPHRD_LOOPBACK);
	DEFINE(ETH_HLEN, ETH_HLEN);
	DEFINE(ETH_DATA_LEN, ETH_DATA_LEN);
	DEFINE(ETH_MIN_MTU, ETH_MIN_MTU);
	DEFINE(ETH_ALEN, ETH_ALEN);
	DEFINE(MAX_ADDR_LEN, MAX_ADDR_LEN);
	DEFINE(net_device_stats_sizeof, sizeof(struct net_device_stats));
	DEFINE(rtnl_link_stats64_sizeof, sizeof(struct rtnl_link_stats64));
	DEFINE(PTYPE_HASH_MASK, PTYPE_HASH_MASK);
	OFFSET(net_exit_list, net, exit_list);
	OFFSET(net_ipv4_devconf_dflt, net, ipv4.devconf_dflt);
	OFFSET(header_ops_create, header_ops, create);
	OFFSET(header_ops_parse, header_ops, parse);
	DEFINE(header_ops_sizeof, sizeof(struct header_ops));
	DEFINE(NF_INET_PRE_ROUTING, NF_INET_PRE_ROUTING);
	DEFINE(NFPROTO_IPV4, NFPROTO_IPV4);
	DEFINE(NFPROTO_IPV6, NFPROTO_IPV6);
	DEFINE(NFPROTO_ARP, NFPROTO_ARP);
	DEFINE(NFPROTO_BRIDGE, NFPROTO_BRIDGE);
	DEFINE(NF_ARP_NUMHOOKS, NF_ARP_NUMHOOKS);
	DEFINE(NF_NETDEV_NUMHOOKS, NF_NETDEV_NUMHOOKS);
	OFFSET(proto_per_cpu_fw_alloc, proto, per_cpu_fw_alloc);
	OFFSET(proto_inuse_idx, proto, inuse_idx);
	OFFSET(proto_useroffset, proto, useroffset);
	OFFSET(proto_usersize, proto, usersize);

	/* drivers/base/regmap */
	OFFSET(regmap_config_name, regmap_config, name);
	OFFSET(regmap_config_reg_bits, regmap_config, reg_bits);
	OFFSET(regmap_config_reg_stride, regmap_config, reg_stride);
	OFFSET(regmap_config_reg_downshift, regmap_config, reg_downshift);
	OFFSET(regmap_config_reg_base, regmap_config, reg_base);
	OFFSET(regmap_config_pad_bits, regmap_config, pad_bits);
	OFFSET(regmap_config_val_bits, regmap_config, val_bits);
	OFFSET(regmap_config_writeable_reg, regmap_config, writeable_reg);
	OFFSET(regmap_config_readable_reg, regmap_config, readable_reg);
	OFFSET(regmap_config_volatile_reg, regmap_config, volatile_reg);
	OFFSET(regmap_config_precious_reg, regmap_config, precious_reg);
	OFFSET(regmap_config_writeable_noinc_reg, regmap_config, writeable_noinc_reg);
	OFFSET(regmap_config_readable_noinc_reg, regmap_config, readable_noinc_reg);
	OFFSET(regmap_config_disable_locking, regmap_config, disable_locking);
	OFFSET(regmap_config_lock, regmap_config, lock);
	OFFSET(regmap_config_unlock, regmap_config, unlock);
	OFFSET(regmap_config_lock_arg, regmap_config, lock_arg);
	OFFSET(regmap_config_reg_read, regmap_config, reg_read);
	OFFSET(regmap_config_reg_write, regmap_config, reg_write);
	OFFSET(regmap_config_reg_update_bits, regmap_config, reg_update_bits);
	OFFSET(regmap_config_read, regmap_config, read);
	OFFSET(regmap_config_write, regmap_config, write);
	OFFSET(regmap_config_max_raw_read, regmap_config, max_raw_read);
	OFFSET(regmap_config_max_raw_write, regmap_config, max_raw_write);
	OFFSET(regmap_config_fast_io, regmap_config, fast_io);
	OFFSET(regmap_config_max_register, regmap_config, max_register);
	OFFSET(regmap_config_wr_table, regmap_config, wr_table);
	OFFSET(regmap_config_rd_table, regmap_config, rd_table);
	OFFSET(regmap_config_volatile_table, regmap_config, volatile_table);
	OFFSET(regmap_config_precious_table, regmap_config, precious_table);
	OFFSET(regmap_config_wr_noinc_table, regmap_config, wr_noinc_table);
	OFFSET(regmap_config_rd_noinc_table, regmap_config, rd_noinc_table);
	OFFSET(regmap_config_reg_defaults, regmap_config, reg_defaults);
	OFFSET(regmap_config_num_reg_defaults, regmap_config, num_reg_defaults);
	OFFSET(regmap_config_cache_type, regmap_config, cache_type);
	OFFSET(regmap_config_reg_defaults_raw, regmap_config, reg_defaults_raw);
	OFFSET(regmap_config_num_reg_defaults_raw, regmap_config, num_reg_defaults_raw);
	OFFSET(regmap_config_read_flag_mask, regmap_config, read_flag_mask);
	OFFSET(regmap_config_write_flag_mask, regmap_config, write_flag_mask);
	OFFSET(regmap_config_zero_flag_mask, regmap_config, zero_flag_mask);
	OFFSET(regmap_config_use_single_read, regmap_config, use_single_read);
	OFFSET(regmap_config_use_single_write, regmap_config, use_single_write);
	OFFSET(regmap_config_can_multi_write, regmap_config, can_multi_write);
	OFFSET(regmap_config_reg_format_endian, regmap_config, reg_format_endian);
	OFFSET(regmap_config_val_format_endian, regmap_config, val_format_endian);
	OFFSET(regmap_config_ranges, regmap_config, ranges);
	OFFSET(regmap_config_num_ranges, regmap_config, num_ranges);
	OFFSET(regmap_config_use_hwlock, regmap_config, use_hwlock);
	OFFSET(regmap_bus_fast_io, regmap_bus, fast_io);
	OFFSET(regmap_bus_write, regmap_bus, write);
	OFFSET(regmap_bus_gather_write, regmap_bus, gather_write);
	OFFSET(regmap_bus_async_write, regmap_bus, async_write);
	OFFSET(regmap_bus_reg_write, regmap_bus, reg_write);
	OFFSET(regmap_bus_reg_update_bits, regmap_bus, reg_update_bits);
	OFFSET(regmap_bus_read, regmap_bus, read);
	OFFSET(regmap_bus_reg_read, regmap_bus, reg_read);
	OFFSET(regmap_bus_free_context, regmap_bus, free_context);
	OFFSET(regmap_bus_async_alloc, regmap_bus, async_alloc);
	OFFSET(regmap_bus_read_flag_mask, regmap_bus, read_flag_mask);
	OFFSET(regmap_bus_reg_format_endian_default, regmap_bus, reg_format_endian_default);
	OFFSET(regmap_bus_val_format_endian_default, regmap_bus, val_format_endian_default);
	OFFSET(regmap_bus_max_raw_read, regmap_bus, max_raw_read);
	OFFSET(regmap_bus_max_raw_write, regmap_bus, max_raw_write);
	OFFSET(regmap_bus_free_on_exit, regmap_bus, free_on_exit);
	OFFSET(regmap_access_table_yes_ranges, regmap_access_table, yes_ranges);
	OFFSET(regmap_access_table_n_yes_ranges, regmap_access_table, n_yes_ranges);
	OFFSET(regmap_access_table_no_ranges, regmap_access_table, no_ranges);
	OFFSET(regmap_access_table_n_no_ranges, regmap_access_table, n_no_ranges);
	OFFSET(regmap_range_range_min, regmap_range, range_min);
	OFFSET(regmap_range_range_max, regmap_range, range_max);
	OFFSET(reg_default_reg, reg_default, reg);
	OFFSET(reg_default_def, reg_default, def);
	OFFSET(reg_sequence_reg, reg_sequence, reg);
	OFFSET(reg_sequence_def, reg_sequence, def);
	OFFSET(reg_sequence_delay_us, reg_sequence, delay_us);
	OFFSET(reg_field_reg, reg_field, reg);
	OFFSET(reg_field_lsb, reg_field, lsb);
	OFFSET(reg_field_msb, reg_field, msb);
	OFFSET(reg_field_id_size, reg_field, id_size);
	OFFSET(reg_field_id_offset, reg_field, id_offset);
	DEFINE(regmap_range_sizeof, sizeof(struct regmap_range));
	DEFINE(reg_default_sizeof, sizeof(struct reg_default));
	DEFINE(reg_sequence_sizeof, sizeof(struct reg_sequence));
	DEFINE(reg_field_sizeof, sizeof(struct reg_field));
	DEFINE(REGCACHE_NONE, REGCACHE_NONE);
	DEFINE(REGCACHE_RBTREE, REGCACHE_RBTREE);
	DEFINE(REGCACHE_COMPRESSED, REGCACHE_COMPRESSED);
	DEFINE(REGCACHE_FLAT, REGCACHE_FLAT);
	DEFINE(REGMAP_ENDIAN_DEFAULT, REGMAP_ENDIAN_DEFAULT);
	DEFINE(REGMAP_ENDIAN_BIG, REGMAP_ENDIAN_BIG);
	DEFINE(REGMAP_ENDIAN_LITTLE, REGMAP_ENDIAN_LITTLE);
	DEFINE(REGMAP_ENDIAN_NATIVE, REGMAP_ENDIAN_NATIVE);
	DEFINE(I2C_FUNC_SMBUS_I2C_BLOCK, I2C_FUNC_SMBUS_I2C_BLOCK);
	DEFINE(I2C_FUNC_SMBUS_WORD_DATA, I2C_FUNC_SMBUS_WORD_DATA);
	DEFINE(I2C_FUNC_SMBUS_BYTE_DATA, I2C_FUNC_SMBUS_BYTE_DATA);

	/* drivers/hwmon/hwmon.c: chip info and the attribute templates' indices */
	OFFSET(hwmon_chip_info_ops, hwmon_chip_info, ops);
	OFFSET(hwmon_chip_info_info, hwmon_chip_info, info);
	OFFSET(hwmon_ops_is_visible, hwmon_ops, is_visible);
	OFFSET(hwmon_ops_read, hwmon_ops, read);
	OFFSET(hwmon_ops_read_string, hwmon_ops, read_string);
	OFFSET(hwmon_ops_write, hwmon_ops, write);
	OFFSET(hwmon_channel_info_type, hwmon_channel_info, type);
	OFFSET(hwmon_channel_info_config, hwmon_channel_info, config);
	DEFINE(device_attribute_sizeof, sizeof(struct device_attribute));
	DEFINE(attribute_group_sizeof, sizeof(struct attribute_group));
	DEFINE(hwmon_chip_temp_reset_history, hwmon_chip_temp_reset_history);
	DEFINE(hwmon_chip_in_reset_history, hwmon_chip_in_reset_history);
	DEFINE(hwmon_chip_curr_reset_history, hwmon_chip_curr_reset_history);
	DEFINE(hwmon_chip_power_reset_history, hwmon_chip_power_reset_history);
	DEFINE(hwmon_chip_update_interval, hwmon_chip_update_interval);
	DEFINE(hwmon_chip_alarms, hwmon_chip_alarms);
	DEFINE(hwmon_chip_samples, hwmon_chip_samples);
	DEFINE(hwmon_chip_curr_samples, hwmon_chip_curr_samples);
	DEFINE(hwmon_chip_in_samples, hwmon_chip_in_samples);
	DEFINE(hwmon_chip_power_samples, hwmon_chip_power_samples);
	DEFINE(hwmon_chip_temp_samples, hwmon_chip_temp_samples);
	DEFINE(hwmon_temp_enable, hwmon_temp_enable);
	DEFINE(hwmon_temp_input, hwmon_temp_input);
	DEFINE(hwmon_temp_type, hwmon_temp_type);
	DEFINE(hwmon_temp_lcrit, hwmon_temp_lcrit);
	DEFINE(hwmon_temp_lcrit_hyst, hwmon_temp_lcrit_hyst);
	DEFINE(hwmon_temp_min, hwmon_temp_min);
	DEFINE(hwmon_temp_min_hyst, hwmon_temp_min_hyst);
	DEFINE(hwmon_temp_max, hwmon_temp_max);
	DEFINE(hwmon_temp_max_hyst, hwmon_temp_max_hyst);
	DEFINE(hwmon_temp_crit, hwmon_temp_crit);
	DEFINE(hwmon_temp_crit_hyst, hwmon_temp_crit_hyst);
	DEFINE(hwmon_temp_emergency, hwmon_temp_emergency);
	DEFINE(hwmon_temp_emergency_hyst, hwmon_temp_emergency_hyst);
	DEFINE(hwmon_temp_alarm, hwmon_temp_alarm);
	DEFINE(hwmon_temp_lcrit_alarm, hwmon_temp_lcrit_alarm);
	DEFINE(hwmon_temp_min_alarm, hwmon_temp_min_alarm);
	DEFINE(hwmon_temp_max_alarm, hwmon_temp_max_alarm);
	DEFINE(hwmon_temp_crit_alarm, hwmon_temp_crit_alarm);
	DEFINE(hwmon_temp_emergency_alarm, hwmon_temp_emergency_alarm);
	DEFINE(hwmon_temp_fault, hwmon_temp_fault);
	DEFINE(hwmon_temp_offset, hwmon_temp_offset);
	DEFINE(hwmon_temp_label, hwmon_temp_label);
	DEFINE(hwmon_temp_lowest, hwmon_temp_lowest);
	DEFINE(hwmon_temp_highest, hwmon_temp_highest);
	DEFINE(hwmon_temp_reset_history, hwmon_temp_reset_history);
	DEFINE(hwmon_temp_rated_min, hwmon_temp_rated_min);
	DEFINE(hwmon_temp_rated_max, hwmon_temp_rated_max);
	DEFINE(hwmon_in_enable, hwmon_in_enable);
	DEFINE(hwmon_in_input, hwmon_in_input);
	DEFINE(hwmon_in_min, hwmon_in_min);
	DEFINE(hwmon_in_max, hwmon_in_max);
	DEFINE(hwmon_in_lcrit, hwmon_in_lcrit);
	DEFINE(hwmon_in_crit, hwmon_in_crit);
	DEFINE(hwmon_in_average, hwmon_in_average);
	DEFINE(hwmon_in_lowest, hwmon_in_lowest);
	DEFINE(hwmon_in_highest, hwmon_in_highest);
	DEFINE(hwmon_in_reset_history, hwmon_in_reset_history);
	DEFINE(hwmon_in_label, hwmon_in_label);
	DEFINE(hwmon_in_alarm, hwmon_in_alarm);
	DEFINE(hwmon_in_min_alarm, hwmon_in_min_alarm);
	DEFINE(hwmon_in_max_alarm, hwmon_in_max_alarm);
	DEFINE(hwmon_in_lcrit_alarm, hwmon_in_lcrit_alarm);
	DEFINE(hwmon_in_crit_alarm, hwmon_in_crit_alarm);
	DEFINE(hwmon_in_rated_min, hwmon_in_rated_min);
	DEFINE(hwmon_in_rated_max, hwmon_in_rated_max);
	DEFINE(hwmon_curr_enable, hwmon_curr_enable);
	DEFINE(hwmon_curr_input, hwmon_curr_input);
	DEFINE(hwmon_curr_min, hwmon_curr_min);
	DEFINE(hwmon_curr_max, hwmon_curr_max);
	DEFINE(hwmon_curr_lcrit, hwmon_curr_lcrit);
	DEFINE(hwmon_curr_crit, hwmon_curr_crit);
	DEFINE(hwmon_curr_average, hwmon_curr_average);
	DEFINE(hwmon_curr_lowest, hwmon_curr_lowest);
	DEFINE(hwmon_curr_highest, hwmon_curr_highest);
	DEFINE(hwmon_curr_reset_history, hwmon_curr_reset_history);
	DEFINE(hwmon_curr_label, hwmon_curr_label);
	DEFINE(hwmon_curr_alarm, hwmon_curr_alarm);
	DEFINE(hwmon_curr_min_alarm, hwmon_curr_min_alarm);
	DEFINE(hwmon_curr_max_alarm, hwmon_curr_max_alarm);
	DEFINE(hwmon_curr_lcrit_alarm, hwmon_curr_lcrit_alarm);
	DEFINE(hwmon_curr_crit_alarm, hwmon_curr_crit_alarm);
	DEFINE(hwmon_curr_rated_min, hwmon_curr_rated_min);
	DEFINE(hwmon_curr_rated_max, hwmon_curr_rated_max);
	DEFINE(hwmon_power_enable, hwmon_power_enable);
	DEFINE(hwmon_power_average, hwmon_power_average);
	DEFINE(hwmon_power_average_interval, hwmon_power_average_interval);
	DEFINE(hwmon_power_average_interval_max, hwmon_power_average_interval_max);
	DEFINE(hwmon_power_average_interval_min, hwmon_power_average_interval_min);
	DEFINE(hwmon_power_average_highest, hwmon_power_average_highest);
	DEFINE(hwmon_power_average_lowest, hwmon_power_average_lowest);
	DEFINE(hwmon_power_average_max, hwmon_power_average_max);
	DEFINE(hwmon_power_average_min, hwmon_power_average_min);
	DEFINE(hwmon_power_input, hwmon_power_input);
	DEFINE(hwmon_power_input_highest, hwmon_power_input_highest);
	DEFINE(hwmon_power_input_lowest, hwmon_power_input_lowest);
	DEFINE(hwmon_power_reset_history, hwmon_power_reset_history);
	DEFINE(hwmon_power_accuracy, hwmon_power_accuracy);
	DEFINE(hwmon_power_cap, hwmon_power_cap);
	DEFINE(hwmon_power_cap_hyst, hwmon_power_cap_hyst);
	DEFINE(hwmon_power_cap_max, hwmon_power_cap_max);
	DEFINE(hwmon_power_cap_min, hwmon_power_cap_min);
	DEFINE(hwmon_power_min, hwmon_power_min);
	DEFINE(hwmon_power_max, hwmon_power_max);
	DEFINE(hwmon_power_lcrit, hwmon_power_lcrit);
	DEFINE(hwmon_power_crit, hwmon_power_crit);
	DEFINE(hwmon_power_label, hwmon_power_label);
	DEFINE(hwmon_power_alarm, hwmon_power_alarm);
	DEFINE(hwmon_power_cap_alarm, hwmon_power_cap_alarm);
	DEFINE(hwmon_power_min_alarm, hwmon_power_min_alarm);
	DEFINE(hwmon_power_max_alarm, hwmon_power_max_alarm);
	DEFINE(hwmon_power_lcrit_alarm, hwmon_power_lcrit_alarm);
	DEFINE(hwmon_power_crit_alarm, hwmon_power_crit_alarm);
	DEFINE(hwmon_power_rated_min, hwmon_power_rated_min);
	DEFINE(hwmon_power_rated_max, hwmon_power_rated_max);
	DEFINE(hwmon_energy_enable, hwmon_energy_enable);
	DEFINE(hwmon_energy_input, hwmon_energy_input);
	DEFINE(hwmon_energy_label, hwmon_energy_label);
	DEFINE(hwmon_humidity_enable, hwmon_humidity_enable);
	DEFINE(hwmon_humidity_input, hwmon_humidity_input);
	DEFINE(hwmon_humidity_label, hwmon_humidity_label);
	DEFINE(hwmon_humidity_min, hwmon_humidity_min);
	DEFINE(hwmon_humidity_min_hyst, hwmon_humidity_min_hyst);
	DEFINE(hwmon_humidity_max, hwmon_humidity_max);
	DEFINE(hwmon_humidity_max_hyst, hwmon_humidity_max_hyst);
	DEFINE(hwmon_humidity_alarm, hwmon_humidity_alarm);
	DEFINE(hwmon_humidity_fault, hwmon_humidity_fault);
	DEFINE(hwmon_humidity_rated_min, hwmon_humidity_rated_min);
	DEFINE(hwmon_humidity_rated_max, hwmon_humidity_rated_max);
	DEFINE(hwmon_fan_enable, hwmon_fan_enable);
	DEFINE(hwmon_fan_input, hwmon_fan_input);
	DEFINE(hwmon_fan_label, hwmon_fan_label);
	DEFINE(hwmon_fan_min, hwmon_fan_min);
	DEFINE(hwmon_fan_max, hwmon_fan_max);
	DEFINE(hwmon_fan_div, hwmon_fan_div);
	DEFINE(hwmon_fan_pulses, hwmon_fan_pulses);
	DEFINE(hwmon_fan_target, hwmon_fan_target);
	DEFINE(hwmon_fan_alarm, hwmon_fan_alarm);
	DEFINE(hwmon_fan_min_alarm, hwmon_fan_min_alarm);
	DEFINE(hwmon_fan_max_alarm, hwmon_fan_max_alarm);
	DEFINE(hwmon_fan_fault, hwmon_fan_fault);
	DEFINE(hwmon_pwm_input, hwmon_pwm_input);
	DEFINE(hwmon_pwm_enable, hwmon_pwm_enable);
	DEFINE(hwmon_pwm_mode, hwmon_pwm_mode);
	DEFINE(hwmon_pwm_freq, hwmon_pwm_freq);
	DEFINE(hwmon_pwm_auto_channels_temp, hwmon_pwm_auto_channels_temp);
	DEFINE(hwmon_intrusion_alarm, hwmon_intrusion_alarm);
	DEFINE(hwmon_intrusion_beep, hwmon_intrusion_beep);
	DEFINE(hwmon_chip, hwmon_chip);
	DEFINE(hwmon_temp, hwmon_temp);
	DEFINE(hwmon_in, hwmon_in);
	DEFINE(hwmon_curr, hwmon_curr);
	DEFINE(hwmon_power, hwmon_power);
	DEFINE(hwmon_energy, hwmon_energy);
	DEFINE(hwmon_humidity, hwmon_humidity);
	DEFINE(hwmon_fan, hwmon_fan);
	DEFINE(hwmon_pwm, hwmon_pwm);
	DEFINE(hwmon_intrusion, hwmon_intrusion);
	DEFINE(hwmon_max, hwmon_max);

	/* drivers/firmware/dmi_scan.c, arch/x86/kernel/cpu/match.c */
	OFFSET(dmi_system_id_callback, dmi_system_id, callback);
	OFFSET(dmi_system_id_matches, dmi_system_id, matches);
	OFFSET(dmi_system_id_driver_data, dmi_system_id, driver_data);
	OFFSET(dmi_strmatch_substr, dmi_strmatch, substr);
	OFFSET(x86_cpu_id_vendor, x86_cpu_id, vendor);
	OFFSET(x86_cpu_id_family, x86_cpu_id, family);
	OFFSET(x86_cpu_id_model, x86_cpu_id, model);
	OFFSET(x86_cpu_id_steppings, x86_cpu_id, steppings);
	OFFSET(x86_cpu_id_feature, x86_cpu_id, feature);
	DEFINE(dmi_system_id_sizeof, sizeof(struct dmi_system_id));
	DEFINE(dmi_strmatch_sizeof, sizeof(struct dmi_strmatch));
	DEFINE(x86_cpu_id_sizeof, sizeof(struct x86_cpu_id));
	DEFINE(DMI_NONE, DMI_NONE);
	DEFINE(DMI_BIOS_VENDOR, DMI_BIOS_VENDOR);
	DEFINE(DMI_BIOS_VERSION, DMI_BIOS_VERSION);
	DEFINE(DMI_BIOS_DATE, DMI_BIOS_DATE);
	DEFINE(DMI_BIOS_RELEASE, DMI_BIOS_RELEASE);
	DEFINE(DMI_EC_FIRMWARE_RELEASE, DMI_EC_FIRMWARE_RELEASE);
	DEFINE(DMI_SYS_VENDOR, DMI_SYS_VENDOR);
	DEFINE(DMI_PRODUCT_NAME, DMI_PRODUCT_NAME);
	DEFINE(DMI_PRODUCT_VERSION, DMI_PRODUCT_VERSION);
	DEFINE(DMI_PRODUCT_SERIAL, DMI_PRODUCT_SERIAL);
	DEFINE(DMI_PRODUCT_UUID, DMI_PRODUCT_UUID);
	DEFINE(DMI_PRODUCT_SKU, DMI_PRODUCT_SKU);
	DEFINE(DMI_PRODUCT_FAMILY, DMI_PRODUCT_FAMILY);
	DEFINE(DMI_BOARD_VENDOR, DMI_BOARD_VENDOR);
	DEFINE(DMI_BOARD_NAME, DMI_BOARD_NAME);
	DEFINE(DMI_BOARD_VERSION, DMI_BOARD_VERSION);
	DEFINE(DMI_BOARD_SERIAL, DMI_BOARD_SERIAL);
	DEFINE(DMI_BOARD_ASSET_TAG, DMI_BOARD_ASSET_TAG);
	DEFINE(DMI_CHASSIS_VENDOR, DMI_CHASSIS_VENDOR);
	DEFINE(DMI_CHASSIS_TYPE, DMI_CHASSIS_TYPE);
	DEFINE(DMI_CHASSIS_VERSION, DMI_CHASSIS_VERSION);
	DEFINE(DMI_CHASSIS_SERIAL, DMI_CHASSIS_SERIAL);
	DEFINE(DMI_CHASSIS_ASSET_TAG, DMI_CHASSIS_ASSET_TAG);
	DEFINE(DMI_STRING_MAX, DMI_STRING_MAX);
	DEFINE(DMI_OEM_STRING, DMI_OEM_STRING);
	DEFINE(X86_VENDOR_ANY, X86_VENDOR_ANY);
	DEFINE(X86_FAMILY_ANY, X86_FAMILY_ANY);
	DEFINE(X86_MODEL_ANY, X86_MODEL_ANY);
	DEFINE(X86_STEPPING_ANY, X86_STEPPING_ANY);
	DEFINE(X86_FEATURE_ANY, X86_FEATURE_ANY);

	/* drivers/leds/led-class.c, led-core.c */
	OFFSET(led_classdev_name, led_classdev, name);
	OFFSET(led_classdev_brightness, led_classdev, brightness);
	OFFSET(led_classdev_max_brightness, led_classdev, max_brightness);
	OFFSET(led_classdev_flags, led_classdev, flags);
	OFFSET(led_classdev_work_flags, led_classdev, work_flags);
	OFFSET(led_classdev_brightness_set, led_classdev, brightness_set);
	OFFSET(led_classdev_brightness_set_blocking, led_classdev, brightness_set_blocking);
	OFFSET(led_classdev_brightness_get, led_classdev, brightness_get);
	OFFSET(led_classdev_dev, led_classdev, dev);
	OFFSET(led_classdev_groups, led_classdev, groups);
	OFFSET(led_classdev_node, led_classdev, node);
	OFFSET(led_classdev_default_trigger, led_classdev, default_trigger);
	OFFSET(led_classdev_trigger, led_classdev, trigger);
	OFFSET(led_init_data_fwnode, led_init_data, fwnode);
	OFFSET(led_init_data_default_label, led_init_data, default_label);
	OFFSET(led_init_data_devicename, led_init_data, devicename);
	OFFSET(led_init_data_devname_mandatory, led_init_data, devname_mandatory);
	DEFINE(LED_SUSPENDED, LED_SUSPENDED);
	DEFINE(LED_UNREGISTERING, LED_UNREGISTERING);
	DEFINE(LED_RETAIN_AT_SHUTDOWN, LED_RETAIN_AT_SHUTDOWN);
	DEFINE(LED_BRIGHT_HW_CHANGED, LED_BRIGHT_HW_CHANGED);
	DEFINE(LED_FULL, LED_FULL);
}

#include <linux/dma-mapping.h>
#include <linux/dma-direct.h>
#include <linux/dmapool.h>
#include <linux/genalloc.h>
#include <linux/pm_qos.h>
#include <linux/vmalloc.h>

void kmodemu_profile_probe_dma(void);
void kmodemu_profile_probe_dma(void)
{
	OFFSET(device_dma_ops, device, dma_ops);
	OFFSET(device_bus_dma_limit, device, bus_dma_limit);
	OFFSET(device_dma_range_map, device, dma_range_map);
	OFFSET(scatterlist_dma_address, scatterlist, dma_address);
	OFFSET(scatterlist_dma_length, scatterlist, dma_length);
	OFFSET(sg_table_sgl, sg_table, sgl);
	OFFSET(sg_table_nents, sg_table, nents);
	OFFSET(sg_table_orig_nents, sg_table, orig_nents);
	DEFINE(sg_table_sizeof, sizeof(struct sg_table));
	OFFSET(sg_page_iter_sg, sg_page_iter, sg);
	OFFSET(sg_page_iter_sg_pgoffset, sg_page_iter, sg_pgoffset);
	OFFSET(sg_page_iter___nents, sg_page_iter, __nents);
	OFFSET(sg_page_iter___pg_advance, sg_page_iter, __pg_advance);
	OFFSET(sg_dma_page_iter_base, sg_dma_page_iter, base);
	DEFINE(DMA_ATTR_NO_KERNEL_MAPPING, DMA_ATTR_NO_KERNEL_MAPPING);
	DEFINE(DMA_ATTR_NO_WARN, DMA_ATTR_NO_WARN);
	DEFINE(DMA_ATTR_ALLOC_SINGLE_PAGES, DMA_ATTR_ALLOC_SINGLE_PAGES);
	DEFINE(DMA_ATTR_SKIP_CPU_SYNC, DMA_ATTR_SKIP_CPU_SYNC);
	DEFINE(DMA_MAPPING_ERROR, DMA_MAPPING_ERROR);
	DEFINE(DMA_BIDIRECTIONAL, DMA_BIDIRECTIONAL);
	DEFINE(DMA_NONE, DMA_NONE);
	DEFINE(ZONE_DMA_BITS, 24);
	DEFINE(GFP_DMA, (__force long)__GFP_DMA);
	DEFINE(GFP_DMA32, (__force long)__GFP_DMA32);
	DEFINE(VM_MAP, VM_MAP);
	DEFINE(VM_NO_GUARD, VM_NO_GUARD);
	DEFINE(_PAGE_GLOBAL, _PAGE_GLOBAL);
	DEFINE(_PAGE_NX, _PAGE_NX);
	OFFSET(pm_qos_request_node, pm_qos_request, node);
	OFFSET(pm_qos_request_qos, pm_qos_request, qos);
	DEFINE(pm_qos_request_sizeof, sizeof(struct pm_qos_request));
	OFFSET(plist_node_prio, plist_node, prio);
	OFFSET(plist_node_prio_list, plist_node, prio_list);
	OFFSET(plist_node_node_list, plist_node, node_list);
	DEFINE(pm_qos_constraints_sizeof, sizeof(struct pm_qos_constraints));
	DEFINE(PM_QOS_CPU_LATENCY_DEFAULT_VALUE, PM_QOS_CPU_LATENCY_DEFAULT_VALUE);
	OFFSET(gen_pool_chunks, gen_pool, chunks);
	OFFSET(gen_pool_min_alloc_order, gen_pool, min_alloc_order);
	OFFSET(gen_pool_algo, gen_pool, algo);
	OFFSET(gen_pool_data, gen_pool, data);
	OFFSET(gen_pool_name, gen_pool, name);
	DEFINE(gen_pool_sizeof, sizeof(struct gen_pool));
	OFFSET(gen_pool_chunk_next_chunk, gen_pool_chunk, next_chunk);
	OFFSET(gen_pool_chunk_avail, gen_pool_chunk, avail);
	OFFSET(gen_pool_chunk_phys_addr, gen_pool_chunk, phys_addr);
	OFFSET(gen_pool_chunk_owner, gen_pool_chunk, owner);
	OFFSET(gen_pool_chunk_start_addr, gen_pool_chunk, start_addr);
	OFFSET(gen_pool_chunk_end_addr, gen_pool_chunk, end_addr);
	OFFSET(gen_pool_chunk_bits, gen_pool_chunk, bits);
	DEFINE(gen_pool_chunk_sizeof, sizeof(struct gen_pool_chunk));
	OFFSET(genpool_data_align_align, genpool_data_align, align);
	OFFSET(genpool_data_fixed_offset, genpool_data_fixed, offset);
}
