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

	OFFSET(va_format_fmt, va_format, fmt);
	OFFSET(va_format_va, va_format, va);
}
