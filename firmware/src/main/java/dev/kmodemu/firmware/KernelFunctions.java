package dev.kmodemu.firmware;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kernel functions that show up in call traces, laid out in kernel text with the size kallsyms
 * gives them in Debian's 6.1.0-56-amd64 image, so that a trace through kmodemu's kernel reads like
 * the real one ({@code do_one_initcall+0x59/0x220}). Their bytes are {@code int3} except a
 * {@code hlt} at each call site's return address (where guest code called from "inside" the
 * function returns to the host) and, for those that are also Java stubs, the {@code hlt} of the
 * trampoline at the entry.
 *
 * <p>The sizes, return offsets and WARN offsets are those of real oops reports, recorded with
 * qemu-oracle (the {@code testmods/*}{@code /expected} goldens: nullderef, bug, warn, procoops,
 * procerr). The frame sizes (stack bytes between a function's return address and its callee's)
 * are kmodemu's choice: ORC data describes them, nothing prints them.
 */
public final class KernelFunctions {
    private KernelFunctions() {
    }

    /** What lies above a function's return address at its call sites, for the unwinder. */
    public enum Frame {
        /** A call frame of {@code frame} bytes. */
        CALL,
        /** The user {@code pt_regs} (the system call entry). */
        USER_REGS,
        /** Nothing: the end of a kernel thread's stack ({@code UNWIND_HINT_END_OF_STACK}). */
        END_OF_STACK
    }

    /**
     * One function: {@code frame} bytes of stack below its return address at its call sites
     * (see {@code kind}); call sites by callee name (the return offset), WARN sites by source
     * location (the {@code ud2} offset).
     */
    public record Fn(String name, int size, int frame, Frame kind, Map<String, Integer> calls,
            Map<String, Integer> warns) {
        Fn call(String callee, int returnOffset) {
            calls.put(callee, returnOffset);
            return this;
        }

        Fn warn(String where, int offset) {
            warns.put(where, offset);
            return this;
        }
    }

    private static Fn fn(String name, int size, int frame) {
        return new Fn(name, size, frame, Frame.CALL, new LinkedHashMap<>(), new LinkedHashMap<>());
    }

    /** Callee name of a call through a function pointer into guest code (initcall, proc_ops, ...). */
    public static final String GUEST = "*";

    /** Every such function, in the order they are laid out. */
    public static final List<Fn> ALL = List.of(
            // arch/x86/entry/entry_64.S: pt_regs of the user context above the return address
            new Fn("entry_SYSCALL_64_after_hwframe", 0xd8, 0, Frame.USER_REGS, new LinkedHashMap<>(),
                    new LinkedHashMap<>())
                    .call("do_syscall_64", 0x6e),
            fn("do_syscall_64", 0xb0, 0x10).call(GUEST, 0x5d),
            // kernel/module/main.c (load_module() is inlined into __do_sys_finit_module)
            fn("__do_sys_finit_module", 0x120, 0x240).call("do_init_module", 0xac),
            fn("do_init_module", 0x1f0, 0x20).call("do_one_initcall", 0x4a),
            fn("do_one_initcall", 0x220, 0x48).call(GUEST, 0x59).warn("init/main.c:1284", 0x1d7),
            fn("__do_sys_delete_module", 0x330, 0x48).call(GUEST, 0x1b9),
            // fs/read_write.c, fs/proc/inode.c, fs/seq_file.c
            fn("ksys_read", 0xf0, 0x30).call("vfs_read", 0x6b),
            fn("vfs_read", 0x310, 0x78).call(GUEST, 0x23f),
            fn("proc_reg_read_iter", 0x90, 0x18).call("seq_read_iter", 0x4d),
            fn("seq_read_iter", 0x450, 0x40).call(GUEST, 0x122),
            fn("ksys_write", 0xf0, 0x30).call("vfs_write", 0x6b),
            fn("vfs_write", 0x3f0, 0x38).call(GUEST, 0xc7),
            fn("proc_reg_write", 0xa0, 0x20).call(GUEST, 0x56),
            // fs/open.c, fs/namei.c
            fn("__x64_sys_openat", 0xa0, 0x40).call("do_sys_openat2", 0x6a),
            fn("do_sys_openat2", 0x170, 0x38).call("do_filp_open", 0xaf),
            fn("do_filp_open", 0x160, 0xd8).call("path_openat", 0xaf),
            fn("path_openat", 0x1260, 0x68).call("do_dentry_open", 0xb7d),
            fn("do_dentry_open", 0x410, 0x28).call(GUEST, 0x1e5),
            fn("proc_reg_open", 0x190, 0x30).call(GUEST, 0xf8),
            // kernel/sched/core.c (context_switch() is inlined into __schedule; the return address
            // of its call to __switch_to_asm is where a sleeping task's trace starts),
            // kernel/locking/mutex.c, kernel/kthread.c, arch/x86/entry/entry_64.S
            fn("__schedule", 0xa00, 0x60).call("__switch_to_asm", 0x34d).call("__schedule_bug.cold", 0x804),
            fn("schedule", 0xd0, 0x10).call("__schedule", 0x5a),
            fn("schedule_preempt_disabled", 0x20, 0x8).call("schedule", 0x11),
            // kernel/time/timer.c, kernel/sched/completion.c, kernel/locking/semaphore.c
            // schedule_timeout() calls schedule() twice: for MAX_SCHEDULE_TIMEOUT, and after arming its
            // timer ("schedule#timer", as KernelContext.chain() names a second call site)
            fn("schedule_timeout", 0x150, 0x38).call("schedule", 0x11a).call("schedule#timer", 0x94),
            fn("__wait_for_common", 0x1e0, 0x48).call("schedule_timeout", 0x94),
            fn("__down_common", 0x240, 0x50).call("schedule_timeout", 0x11e),
            fn("down", 0x60, 0x10).call("__down_common", 0x43),
            fn("__mutex_lock.constprop.0", 0x720, 0x70).call("schedule_preempt_disabled", 0x39d),
            fn("kthread", 0x100, 0x30).call(GUEST, 0xda),
            new Fn("ret_from_fork", 0x30, 0, Frame.END_OF_STACK, new LinkedHashMap<>(), new LinkedHashMap<>())
                    .call("kthread", 0x22),
            // lib/dump_stack.c, kernel/panic.c
            fn("dump_stack_lvl", 0x5c, 0x10).call("show_stack", 0x44),
            // kernel/sched/core.c, kernel/time/timer.c: "BUG: scheduling while atomic" from msleep()
            fn("__schedule_bug.cold", 0x4e, 0x10).call("dump_stack_lvl", 0x42),
            fn("msleep", 0x40, 0x10).call("schedule_timeout", 0x29),
            // mm/slub.c: kfree() tail-calls it; the freelist hardening's BUG_ON of a double free
            fn("__kmem_cache_free", 0x2a0, 0x30).warn("mm/slub.c:419", 0x284),
            fn("panic", 0x2f4, 0x60).call("dump_stack_lvl", 0x118),
            // kernel/panic.c: __stack_chk_fail() tail-ends in panic(), a frameless noreturn call
            fn("__stack_chk_fail", 0x10, 0).call("panic", 0x10),
            // fs/proc/generic.c
            fn("proc_register", 0x240, 0x28).warn("fs/proc/generic.c:400", 0x19f),
            fn("proc_create_single_data", 0x50, 0x10).call("proc_register", 0x3c),
            fn("remove_proc_entry", 0x1b0, 0x30).warn("fs/proc/generic.c:740", 0x19f)
                    .warn("fs/proc/generic.c:734", 0x140),
            // lib/kobject.c, drivers/base/core.c (testmods devnorelease, kobjtest)
            fn("kobject_put", 0x1d0, 0x20).call(GUEST, 0x8a),
            fn("kobject_add_internal", 0x260, 0x48).warn("lib/kobject.c:210", 0x241),
            fn("kobject_init_and_add", 0xc0, 0x70).call("kobject_add_internal", 0x8c),
            fn("kobject_add", 0xd0, 0x68).call("kobject_add_internal", 0x9b),
            fn("device_release", 0x90, 0x18).warn("drivers/base/core.c:2510", 0x79),
            // mm/page_alloc.c: bad_page() reports (free_pages_prepare() is inlined into its
            // callers; the per-cpu path is free_unref_page(), the other __free_pages_ok()), the
            // WARN of an order too large
            fn("bad_page.cold", 0x8f, 0x10).call("dump_stack_lvl", 0x63),
            fn("free_pcp_prepare", 0x3e0, 0x30).call("bad_page.cold", 0x379),
            fn("free_unref_page", 0x1d0, 0x30).call("free_pcp_prepare", 0x25),
            fn("__free_pages_ok", 0x610, 0x48).call("bad_page.cold", 0x329),
            fn("__alloc_pages", 0x330, 0x58).warn("mm/page_alloc.c:5634", 0x2a9),
            // kernel/irq/handle.c (testmods irqdescs)
            fn("__handle_irq_event_percpu", 0x190, 0x38).warn("kernel/irq/handle.c:161", 0x150),
            // kernel/jump_label.c (static_key_dec_not_one() is not inlined in Debian's build)
            fn("static_key_slow_dec", 0x50, 0x10).call("static_key_dec_not_one", 0x24),
            fn("static_key_dec_not_one", 0x50, 0).warn("kernel/jump_label.c:279", 0x2e));

    /** The function of that name, or null. */
    public static Fn get(String name) {
        for (Fn f : ALL) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        return null;
    }
}
