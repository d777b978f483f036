// SPDX-License-Identifier: GPL-2.0
/*
 * uaccess_inline - user memory access as module code inlines it: get_user()/put_user() calls
 * of the getuser.S/putuser.S helpers, clear_user()'s "rep stosb", unsafe_get_user() and
 * unsafe_put_user() under user_access_begin(), raw_copy_from_user()'s call of
 * copy_user_generic_unrolled, and hand-written __ex_table entries of every fixup type of
 * arch/x86/mm/extable.c that kmodemu handles (and one it does not).
 *
 * No golden output: kstubs' UsercopyTest calls these functions through the module's kallsyms
 * with user pointers of its own process.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/objtool.h>
#include <linux/uaccess.h>
#include <asm/asm.h>
#include <asm/word-at-a-time.h>

/* Called by name from the test: global, never inlined, never dropped. */
#define UI_FN noinline __visible

/* get_user(): "call __get_user_N" with the pointer in rax, error in eax, value in edx. */
UI_FN long ui_get_user_u8(const u8 __user *p, u64 *val);
UI_FN long ui_get_user_u8(const u8 __user *p, u64 *val)
{
	u8 v;
	long err = get_user(v, p);

	*val = v;
	return err;
}

UI_FN long ui_get_user_u16(const u16 __user *p, u64 *val);
UI_FN long ui_get_user_u16(const u16 __user *p, u64 *val)
{
	u16 v;
	long err = get_user(v, p);

	*val = v;
	return err;
}

UI_FN long ui_get_user_u32(const u32 __user *p, u64 *val);
UI_FN long ui_get_user_u32(const u32 __user *p, u64 *val)
{
	u32 v;
	long err = get_user(v, p);

	*val = v;
	return err;
}

UI_FN long ui_get_user_u64(const u64 __user *p, u64 *val);
UI_FN long ui_get_user_u64(const u64 __user *p, u64 *val)
{
	u64 v;
	long err = get_user(v, p);

	*val = v;
	return err;
}

/* __get_user(): "call __get_user_nocheck_N". */
UI_FN long ui_get_user_nocheck_u32(const u32 __user *p, u64 *val);
UI_FN long ui_get_user_nocheck_u32(const u32 __user *p, u64 *val)
{
	u32 v;
	long err = __get_user(v, p);

	*val = v;
	return err;
}

/* put_user(): "call __put_user_N" with the value in rax, the pointer in rcx, error in ecx. */
UI_FN long ui_put_user_u8(u8 __user *p, u8 v);
UI_FN long ui_put_user_u8(u8 __user *p, u8 v)
{
	return put_user(v, p);
}

UI_FN long ui_put_user_u16(u16 __user *p, u16 v);
UI_FN long ui_put_user_u16(u16 __user *p, u16 v)
{
	return put_user(v, p);
}

UI_FN long ui_put_user_u32(u32 __user *p, u32 v);
UI_FN long ui_put_user_u32(u32 __user *p, u32 v)
{
	return put_user(v, p);
}

UI_FN long ui_put_user_u64(u64 __user *p, u64 v);
UI_FN long ui_put_user_u64(u64 __user *p, u64 v)
{
	return put_user(v, p);
}

/* __put_user(): "call __put_user_nocheck_N". */
UI_FN long ui_put_user_nocheck_u64(u64 __user *p, u64 v);
UI_FN long ui_put_user_nocheck_u64(u64 __user *p, u64 v)
{
	return __put_user(v, p);
}

/* clear_user(): access_ok(), then "rep stosb" (alternatives unapplied) with an EX_TYPE_UACCESS entry. */
UI_FN unsigned long ui_clear_user(void __user *p, unsigned long n);
UI_FN unsigned long ui_clear_user(void __user *p, unsigned long n)
{
	return clear_user(p, n);
}

/* unsafe_get_user(): an asm goto "mov" with an EX_TYPE_UACCESS entry to the label. */
UI_FN long ui_unsafe_get_u64(const u64 __user *p, u64 *val);
UI_FN long ui_unsafe_get_u64(const u64 __user *p, u64 *val)
{
	u64 v;

	if (!user_read_access_begin(p, sizeof(*p)))
		return -EFAULT;
	unsafe_get_user(v, p, efault);
	user_read_access_end();
	*val = v;
	return 0;
efault:
	user_read_access_end();
	return -EFAULT;
}

/* unsafe_put_user() of two u32 values: the first may land before the fault. */
UI_FN long ui_unsafe_put_2u32(u32 __user *p, u32 a, u32 b);
UI_FN long ui_unsafe_put_2u32(u32 __user *p, u32 a, u32 b)
{
	if (!user_write_access_begin(p, 2 * sizeof(*p)))
		return -EFAULT;
	unsafe_put_user(a, p, efault);
	unsafe_put_user(b, p + 1, efault);
	user_write_access_end();
	return 0;
efault:
	user_write_access_end();
	return -EFAULT;
}

/* __copy_from_user() without the hardened-usercopy check: "call copy_user_generic_unrolled". */
UI_FN unsigned long ui_raw_copy_from_user(void *to, const void __user *from, unsigned long n);
UI_FN unsigned long ui_raw_copy_from_user(void *to, const void __user *from, unsigned long n)
{
	return raw_copy_from_user(to, from, n);
}

UI_FN unsigned long ui_raw_copy_to_user(void __user *to, const void *from, unsigned long n);
UI_FN unsigned long ui_raw_copy_to_user(void __user *to, const void *from, unsigned long n)
{
	return raw_copy_to_user(to, from, n);
}

/*
 * EX_TYPE_EFAULT_REG | EX_FLAG_CLEAR_AX: __get_user_asm() as compilers without asm goto
 * outputs get it. On a fault err = -EFAULT and the output (rax) = 0.
 */
UI_FN long ui_efault_reg(const u32 __user *p, u64 *val);
UI_FN long ui_efault_reg(const u32 __user *p, u64 *val)
{
	long err = 0;
	u32 x = 0x5a5a5a5a;

	asm volatile("\n"
		     "1:	movl %[umem],%[output]\n"
		     "2:\n"
		     _ASM_EXTABLE_TYPE_REG(1b, 2b, EX_TYPE_EFAULT_REG | EX_FLAG_CLEAR_AX, %[errout])
		     : [errout] "=r" (err), [output] "=a" (x)
		     : [umem] "m" (*p), "0" (err), "1" (x));
	*val = x;
	return err;
}

/* EX_TYPE_ZERO_REG: the register loaded by the faulting instruction becomes 0. */
UI_FN u64 ui_zero_reg(const u64 *p);
UI_FN u64 ui_zero_reg(const u64 *p)
{
	u64 v = 0x1111111111111111ULL;

	asm volatile("1:	movq (%[p]),%[v]\n"
		     "2:\n"
		     _ASM_EXTABLE_TYPE_REG(1b, 2b, EX_TYPE_ZERO_REG, %[v])
		     : [v] "+r" (v) : [p] "r" (p) : "memory");
	return v;
}

/* EX_TYPE_IMM_REG with a positive immediate, loaded into a 32-bit register name (%k). */
UI_FN u64 ui_imm_reg(const u32 *p);
UI_FN u64 ui_imm_reg(const u32 *p)
{
	u64 v = 0x2222222222222222ULL;

	asm volatile("1:	movl (%[p]),%k[v]\n"
		     "2:\n"
		     _ASM_EXTABLE_TYPE_REG(1b, 2b, EX_TYPE_IMM_REG | EX_DATA_IMM(0x1234), %k[v])
		     : [v] "+r" (v) : [p] "r" (p) : "memory");
	return v;
}

/* EX_TYPE_FAULT: rax = the trap number (14 for a page fault). */
UI_FN u64 ui_fault(const u64 *p);
UI_FN u64 ui_fault(const u64 *p)
{
	u64 ax = 0x3333;

	asm volatile("1:	movq (%[p]),%%rax\n"
		     "2:\n"
		     _ASM_EXTABLE_FAULT(1b, 2b)
		     : "+a" (ax) : [p] "r" (p) : "memory");
	return ax;
}

/* EX_TYPE_COPY (the type of copy_user_64.S's entries): rax = the trap number as well. */
UI_FN u64 ui_copy_type(const u64 *p);
UI_FN u64 ui_copy_type(const u64 *p)
{
	u64 ax = 0x3333;

	asm volatile("1:	movq (%[p]),%%rax\n"
		     "2:\n"
		     _ASM_EXTABLE_CPY(1b, 2b)
		     : "+a" (ax) : [p] "r" (p) : "memory");
	return ax;
}

/* EX_TYPE_DEFAULT | EX_FLAG_CLEAR_AX_DX: out[0] = rax, out[1] = rdx, out[2] = the load's register. */
UI_FN void ui_default_clear_ax_dx(const u64 *p, u64 *out);
UI_FN void ui_default_clear_ax_dx(const u64 *p, u64 *out)
{
	u64 ax = 0x4444, dx = 0x5555, v = 0x6666;

	asm volatile("1:	movq (%[p]),%[v]\n"
		     "2:\n"
		     _ASM_EXTABLE_TYPE(1b, 2b, EX_TYPE_DEFAULT | EX_FLAG_CLEAR_AX_DX)
		     : "+a" (ax), "+d" (dx), [v] "+r" (v) : [p] "r" (p) : "memory");
	out[0] = ax;
	out[1] = dx;
	out[2] = v;
}

/*
 * EX_TYPE_POP_ZERO: a value is pushed before the faulting load; the fixup pops it (sp += 8)
 * and zeroes the register. out[0] = the value, out[1] = rsp after minus rsp before.
 */
UI_FN void ui_pop_zero(const u64 *p, u64 *out);
UI_FN void ui_pop_zero(const u64 *p, u64 *out)
{
	u64 v = 0x7777, before, after;

	asm volatile("	movq %%rsp,%[before]\n"
		     "	pushq $0x99\n"
		     "1:	movq (%[p]),%[v]\n"
		     "	addq $8,%%rsp\n"
		     "2:	movq %%rsp,%[after]\n"
		     _ASM_EXTABLE_TYPE_REG(1b, 2b, EX_TYPE_POP_ZERO, %[v])
		     : [v] "+r" (v), [before] "=&r" (before), [after] "=&r" (after)
		     : [p] "r" (p) : "memory");
	out[0] = v;
	out[1] = after - before;
}
/* objtool cannot know that the fixup pops the pushed value */
STACK_FRAME_NON_STANDARD(ui_pop_zero);

/*
 * EX_TYPE_UCOPY_LEN4: "rep stosl" of @dwords zero dwords, then @rest bytes not stored; on a
 * fault rcx = rest + 4 * (dwords left), as usercopy_32.c's __copy_user_zeroing counts.
 */
UI_FN unsigned long ui_ucopy_len4(void __user *p, unsigned long dwords, unsigned long rest);
UI_FN unsigned long ui_ucopy_len4(void __user *p, unsigned long dwords, unsigned long rest)
{
	asm volatile("1:	rep stosl\n"
		     "	movq %[rest],%%rcx\n"
		     "2:\n"
		     _ASM_EXTABLE_TYPE_REG(1b, 2b, EX_TYPE_UCOPY_LEN4, %[rest])
		     : "+c" (dwords), "+D" (p)
		     : "a" (0), [rest] "r" (rest) : "memory");
	return dwords;
}

/* EX_TYPE_ZEROPAD: load_unaligned_zeropad() of a word crossing into an unmapped page. */
UI_FN unsigned long ui_zeropad(const void *p);
UI_FN unsigned long ui_zeropad(const void *p)
{
	return load_unaligned_zeropad(p);
}

/* EX_TYPE_FPU_RESTORE on a plain load: a type kmodemu does not handle, so the fault oopses. */
UI_FN u64 ui_unhandled_type(const u64 *p);
UI_FN u64 ui_unhandled_type(const u64 *p)
{
	u64 v = 0;

	asm volatile("1:	movq (%[p]),%[v]\n"
		     "2:\n"
		     _ASM_EXTABLE_TYPE(1b, 2b, EX_TYPE_FPU_RESTORE)
		     : [v] "+r" (v) : [p] "r" (p) : "memory");
	return v;
}

/* A user access without any __ex_table entry: a fault is an oops. */
UI_FN u64 ui_no_entry(const u64 *p);
UI_FN u64 ui_no_entry(const u64 *p)
{
	return READ_ONCE(*p);
}

static int __init uaccess_inline_init(void)
{
	pr_info("uaccess_inline: loaded\n");
	return 0;
}

static void __exit uaccess_inline_exit(void)
{
	pr_info("uaccess_inline: unloaded\n");
}

module_init(uaccess_inline_init);
module_exit(uaccess_inline_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("User memory access inlined in module code, with exception-table fixups");
