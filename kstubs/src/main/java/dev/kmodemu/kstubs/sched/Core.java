package dev.kmodemu.kstubs.sched;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * kernel/sched/core.c as far as module code reaches it: the rescheduling points and the static
 * calls PREEMPT_DYNAMIC routes them through. Debian's kernel boots in the "voluntary" mode, so
 * {@code cond_resched()} and {@code might_resched()} go to {@code __cond_resched()} while
 * {@code preempt_schedule()} and {@code preempt_schedule_notrace()} are disabled (their
 * trampolines return at once). With one CPU and one task nothing else is ever runnable, so
 * {@code __cond_resched()} finds no reason to schedule and returns 0, as the kernel does then.
 */
public final class Core {
    private Core() {
    }

    /** {@code int __cond_resched(void)}: 0, nothing else wants this CPU. */
    @KernelSymbol("__cond_resched")
    static int condResched(KernelContext k) {
        return 0;
    }

    /** {@code long __static_call_return0(void)}: the target of RET0 static calls. */
    @KernelSymbol("__static_call_return0")
    static long staticCallReturn0(KernelContext k) {
        return 0;
    }

    /** {@code asmlinkage void preempt_schedule(void)}: never reached with preemption disabled here. */
    @KernelSymbol({"preempt_schedule", "preempt_schedule_notrace"})
    static void preemptSchedule(KernelContext k) {
    }

    // ---------------------------------------------------------------- task state, schedule, wake-ups

    /** {@code current->__state}. */
    public static int currentState(KernelContext k) {
        return k.mem().read32(k.tasks().current().taskStruct() + k.off("task_struct_state"));
    }

    /** {@code set_current_state()}. */
    public static void setCurrentState(KernelContext k, int state) {
        k.mem().write32(k.tasks().current().taskStruct() + k.off("task_struct_state"), state);
    }

    /**
     * asmlinkage void schedule(void): the current task gives up the CPU. If it set itself to a
     * sleeping state it sleeps until a wake-up makes it TASK_RUNNING again; meanwhile queued work
     * runs and virtual time moves on to the next timer. A runnable task just lets work run.
     */
    @KernelSymbol({"schedule", "io_schedule"})
    public static void schedule(KernelContext k) {
        long task = k.tasks().current().taskStruct();
        int running = (int) k.profile().value("TASK_RUNNING");
        int off = k.off("task_struct_state");
        k.scheduler().sleep(() -> k.mem().read32(task + off) == running, -1, "schedule", null);
    }

    /**
     * void yield(void): {@code do_sched_yield()}; the current task stays runnable and lets what
     * else is ready run first.
     */
    @KernelSymbol("yield")
    static void schedYield(KernelContext k) {
        setCurrentState(k, (int) k.profile().value("TASK_RUNNING"));
        schedule(k);
    }

    /** long io_schedule_timeout(long timeout) */
    @KernelSymbol("io_schedule_timeout")
    static long ioScheduleTimeout(KernelContext k, long timeout) {
        return dev.kmodemu.kstubs.time.Timers.scheduleTimeout(k, timeout);
    }

    /**
     * {@code try_to_wake_up()}: makes {@code task} runnable if its state is in {@code state};
     * returns whether it was woken.
     */
    public static boolean wakeUp(KernelContext k, long task, int state) {
        long at = task + k.off("task_struct_state");
        int s = k.mem().read32(at);
        if ((s & state) == 0) {
            return false;
        }
        k.mem().write32(at, (int) k.profile().value("TASK_RUNNING"));
        return true;
    }

    /** int wake_up_process(struct task_struct *p) */
    @KernelSymbol("wake_up_process")
    static int wakeUpProcess(KernelContext k, long task) {
        return wakeUp(k, task, (int) k.profile().value("TASK_NORMAL")) ? 1 : 0;
    }

    /** int default_wake_function(struct wait_queue_entry *curr, unsigned mode, int wake_flags, void *key) */
    @KernelSymbol("default_wake_function")
    static int defaultWakeFunction(KernelContext k, long entry, int mode, int wakeFlags, long key) {
        long task = k.mem().read64(entry + k.off("wait_queue_entry_private"));
        return wakeUp(k, task, mode) ? 1 : 0;
    }

    // The static call keys (struct static_call_key: func, then type/mods) with their trampolines
    // (arch/x86/include/asm/static_call.h: "jmp func" or "jmp __x86_return_thunk", then ud1 %esp,%ecx).

    @KernelData(value = "__SCK__cond_resched", size = 16)
    static void condReschedCall(KernelContext k, long key) {
        staticCall(k, key, "cond_resched", "__cond_resched");
    }

    @KernelData(value = "__SCK__might_resched", size = 16)
    static void mightReschedCall(KernelContext k, long key) {
        staticCall(k, key, "might_resched", "__cond_resched");
    }

    @KernelData(value = "__SCK__preempt_schedule", size = 16)
    static void preemptScheduleCall(KernelContext k, long key) {
        staticCall(k, key, "preempt_schedule", null);
    }

    @KernelData(value = "__SCK__preempt_schedule_notrace", size = 16)
    static void preemptScheduleNotraceCall(KernelContext k, long key) {
        staticCall(k, key, "preempt_schedule_notrace", null);
    }

    /** Sets the key's function and defines {@code __SCT__name} jumping to it (or returning, for NULL). */
    private static void staticCall(KernelContext k, long key, String name, String target) {
        long func = target == null ? 0 : k.sym(target);
        k.mem().write64(key, func);
        // type = 1: the key has no module sites list, as for keys of vmlinux-only call sites
        k.mem().write64(key + 8, 1);
        long tramp = k.machine().nextCodeAddress();
        long dest = target == null ? k.sym("__x86_return_thunk") : func;
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0xe9).putInt((int) (dest - (tramp + 5)));
        b.put((byte) 0x0f).put((byte) 0xb9).put((byte) 0xcc);
        k.machine().defineCode("__SCT__" + name, b.array());
        // EXPORT_STATIC_CALL_TRAMP(): the key is not exported, modules' sites name the trampoline
        dev.kmodemu.kstubs.kernel.StaticCall.registerTrampoline(k, tramp, key);
    }
}
