package dev.kmodemu.kstubs.kernel;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * kernel/pid.c: {@code struct pid} references. Every task here lives in the initial pid
 * namespace (level 0), so a pid's number as the current task sees it is {@code numbers[0].nr}.
 */
public final class Pid {
    private Pid() {
    }

    /** pid_t pid_vnr(struct pid *pid): 0 for NULL. */
    @KernelSymbol("pid_vnr")
    static int pidVnr(KernelContext k, long pid) {
        if (pid == 0) {
            return 0;
        }
        return k.mem().read32(pid + k.off("pid_numbers") + k.off("upid_nr"));
    }

    /** void put_pid(struct pid *pid): the last reference frees it. */
    @KernelSymbol("put_pid")
    static void putPid(KernelContext k, long pid) {
        if (pid == 0) {
            return;
        }
        AddressSpace m = k.mem();
        long at = pid + k.off("pid_count");
        int c = m.read32(at) - 1;
        m.write32(at, c);
        if (c == 0 && k.slab().isAllocated(pid)) {
            k.slab().kfree(pid);
        }
    }

    /**
     * pid_t __task_pid_nr_ns(struct task_struct *task, enum pid_type type, struct pid_namespace *ns):
     * the task's pid, thread group id, process group or session as {@code ns} (NULL: the current
     * task's, the initial namespace) sees it. Every task is in the initial namespace only, so a
     * namespace of a deeper level sees none of them (0). Kernel threads, children of kthreadd, are
     * in process group and session 0 as on the kernel; each process kmodemu runs leads its own
     * (it starts as after {@code setsid()}), so both are its thread group id; a task without an
     * {@code mm} is a kernel thread.
     */
    @KernelSymbol("__task_pid_nr_ns")
    static int taskPidNrNs(KernelContext k, long task, int type, long ns) {
        AddressSpace m = k.mem();
        if (ns != 0 && m.read32(ns + k.off("pid_namespace_level")) != 0) {
            return 0;
        }
        int pid = m.read32(task + k.off("task_struct_pid"));
        int tgid = m.read32(task + k.off("task_struct_tgid"));
        return switch (type) {
            case 0 -> pid;
            case 1 -> tgid;
            case 2, 3 -> m.read64(task + k.off("task_struct_mm")) == 0 ? 0 : tgid;
            default -> 0;
        };
    }
}
