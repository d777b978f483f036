package dev.kmodemu.kstubs.sched;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.mm.Gfp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * Tasks: the processes that enter the kernel (insmod, rmmod, cat, ...), each with a
 * {@code task_struct} in guest memory, a pid, a comm and a kernel stack, and {@code current}
 * pointing at the one running. One CPU, so exactly one task is current at a time.
 */
public final class Tasks {
    /** Where a process's user memory (its I/O buffers) starts: an mmap-like high user address. */
    public static final long USER_BASE = 0x00007f0000000000L;
    /**
     * The user rip and rsp of a process in a system call, as its {@code pt_regs} show them: kmodemu's
     * processes run no user code, so these are fixed (a libc {@code syscall} instruction and a
     * stack top as a process without address randomisation has them), and no user page backs them.
     */
    public static final long USER_SYSCALL_IP = 0x00007ffff7e9ae29L;
    public static final long USER_STACK = 0x00007fffffffe3c8L;
    /** User rflags at a system call: IF, ZF, PF. */
    public static final long USER_FLAGS = 0x246;
    /** The file descriptor a process's system calls name: the first one a process opens. */
    public static final int FD = 3;
    /** Where memory a 32-bit process can address starts (below 4 GiB, as a compat mmap gives it). */
    public static final long COMPAT_USER_BASE = 0x0000000010000000L;

    /** A task; {@code taskStruct} is the guest address of its {@code struct task_struct}. */
    public static final class Task {
        private final int pid;
        private final String comm;
        private final long taskStruct;
        private final Machine.Stack stack;
        private final java.util.List<AddressSpace.Region> user = new java.util.ArrayList<>();
        /** Where this task's user memory starts: processes alive at once get distinct ranges. */
        private long userBase = USER_BASE;
        private long userCursor = USER_BASE;
        private long compatBase = COMPAT_USER_BASE;
        private long compatCursor = COMPAT_USER_BASE;
        private boolean kernelThread;
        /** A process has an address space ({@code current->mm}); kernel threads have none. */
        private boolean hasMm;

        Task(int pid, String comm, long taskStruct, Machine.Stack stack) {
            this.pid = pid;
            this.comm = comm;
            this.taskStruct = taskStruct;
            this.stack = stack;
        }

        public int pid() {
            return pid;
        }

        public String comm() {
            return comm;
        }

        public long taskStruct() {
            return taskStruct;
        }

        public Machine.Stack stack() {
            return stack;
        }

        /** A kernel thread (a child of kthreadd), not a process. */
        public boolean isKernelThread() {
            return kernelThread;
        }

        /** The parent's pid: kthreadd (2) for kernel threads, init (1) for the processes kmodemu runs. */
        public int ppid() {
            return pid == 0 ? 0 : kernelThread ? 2 : 1;
        }

        /**
         * Maps {@code size} bytes of zeroed user memory for this process (page granular, with an
         * unmapped page after it) and returns its user address.
         */
        public long userAlloc(AddressSpace mem, long size) {
            long len = Math.max(AddressSpace.PAGE, (size + AddressSpace.PAGE - 1) & -AddressSpace.PAGE);
            AddressSpace.Region r = mem.map(userCursor, len, AddressSpace.RW, "user memory of " + comm);
            user.add(r);
            userCursor = r.end() + AddressSpace.PAGE;
            return r.base();
        }

        /** True for a process (it has {@code current->mm}), false for a kernel thread. */
        public boolean hasMm() {
            return hasMm;
        }

        /**
         * {@code do_mmap()} of anonymous memory: {@code len} bytes (page granular) with protections
         * {@code perms} ({@link AddressSpace#R} etc.), at {@code addr} if it is not 0, else where this
         * process's next user memory goes; returns the address, or 0 if {@code addr} is taken.
         */
        public long userMap(AddressSpace mem, long addr, long len, int perms) {
            long at = addr != 0 ? addr : userCursor;
            for (AddressSpace.Region r : user) {
                if (Long.compareUnsigned(at, r.end()) < 0 && Long.compareUnsigned(r.base(), at + len) < 0) {
                    return 0;
                }
            }
            AddressSpace.Region r = mem.map(at, len, perms, "user memory of " + comm);
            user.add(r);
            if (addr == 0) {
                userCursor = r.end() + AddressSpace.PAGE;
            }
            return r.base();
        }

        /**
         * {@code do_munmap()}: mappings wholly inside {@code [addr, addr + len)} go away; the part of a
         * mapping the range covers only partly stays reserved but without any access, which faults
         * on use as an unmapped page does.
         */
        public void userUnmap(AddressSpace mem, long addr, long len) {
            long end = addr + len;
            for (java.util.Iterator<AddressSpace.Region> it = user.iterator(); it.hasNext(); ) {
                AddressSpace.Region r = it.next();
                long from = Math.max(r.base(), addr);
                long to = Math.min(r.end(), end);
                if (Long.compareUnsigned(from, to) >= 0) {
                    continue;
                }
                if (from == r.base() && to == r.end()) {
                    if (r.base() == ioBuffer) {
                        ioBuffer = 0;
                        ioBufferSize = 0;
                    }
                    mem.unmap(r);
                    it.remove();
                } else {
                    mem.protect(from, to - from, 0);
                }
            }
        }

        /** As {@link #userAlloc}, below 4 GiB: memory a 32-bit process can pass to the kernel. */
        public long userAlloc32(AddressSpace mem, long size) {
            long len = Math.max(AddressSpace.PAGE, (size + AddressSpace.PAGE - 1) & -AddressSpace.PAGE);
            AddressSpace.Region r = mem.map(compatCursor, len, AddressSpace.RW, "compat user memory of " + comm);
            user.add(r);
            compatCursor = r.end() + AddressSpace.PAGE;
            return r.base();
        }

        private long ioBuffer;
        private long ioBufferSize;
        private dev.kmodemu.firmware.CallPath.UserRegs syscall;

        /**
         * The task enters system call {@code nr} with {@code args}: its user registers, as the
         * entry code saves them, until the next call.
         */
        public void syscall(int nr, long... args) {
            if (pid == 0) {
                return; // the idle task makes no system calls
            }
            syscall = new dev.kmodemu.firmware.CallPath.UserRegs(nr, args, USER_SYSCALL_IP, USER_STACK, USER_FLAGS);
        }

        /** {@code s} NUL-terminated in this process's user buffer (a system call's string argument). */
        public long userString(AddressSpace mem, String s) {
            if (pid == 0) {
                return 0;
            }
            byte[] b = (s + "\0").getBytes(StandardCharsets.UTF_8);
            long p = ioBuffer(mem, b.length);
            mem.write(p, b);
            return p;
        }

        /** The user registers of the system call the task is in, or null (a kernel thread). */
        public dev.kmodemu.firmware.CallPath.UserRegs userRegs() {
            return syscall;
        }

        /** A user buffer of at least {@code size} bytes for this process's read/write calls. */
        public long ioBuffer(AddressSpace mem, long size) {
            if (ioBufferSize < size) {
                ioBufferSize = Math.max(size, 128 * 1024);
                ioBuffer = userAlloc(mem, ioBufferSize);
            }
            return ioBuffer;
        }

        void releaseUser(AddressSpace mem) {
            ioBuffer = 0;
            ioBufferSize = 0;
            for (AddressSpace.Region r : user) {
                mem.unmap(r);
            }
            user.clear();
            userCursor = userBase;
            compatCursor = compatBase;
        }
    }

    private final KernelContext k;
    private final ArrayDeque<Machine.Stack> freeStacks = new ArrayDeque<>();
    /** The tasks of the running execution context, innermost first (see {@link #switchRunning}). */
    private ArrayDeque<Task> running = new ArrayDeque<>();
    private Task idle;
    private int nextPid = 100;

    public Tasks(KernelContext k) {
        this.k = k;
    }

    private Task make(int pid, String comm) {
        long size = k.profile().value("task_struct_sizeof");
        AddressSpace mem = k.mem();
        long ts = k.slab().kmalloc(size, Gfp.ZERO);
        Machine.Stack stack = freeStacks.isEmpty() ? k.machine().newStack("stack of " + comm) : freeStacks.pop();
        mem.write64(ts + k.off("task_struct_stack"), stack.region().base());
        mem.write32(ts + k.off("task_struct_pid"), pid);
        mem.write32(ts + k.off("task_struct_tgid"), pid);
        byte[] name = comm.getBytes(StandardCharsets.UTF_8);
        int max = k.off("TASK_COMM_LEN") - 1;
        mem.write(ts + k.off("task_struct_comm"), name, 0, Math.min(max, name.length));
        // Every task runs as root with full capabilities: kernel/cred.c's init_cred.
        long cred = k.sym("init_cred");
        mem.write64(ts + k.off("task_struct_real_cred"), cred);
        mem.write64(ts + k.off("task_struct_cred"), cred);
        long canary = mem.read64(k.machine().percpu("fixed_percpu_data") + k.off("fixed_percpu_data_stack_canary"));
        mem.write64(ts + k.off("task_struct_stack_canary"), canary);
        return new Task(pid, comm, ts, stack);
    }

    /** The idle task (pid 0, "swapper/0"), current when no process is in the kernel. */
    private Task idle() {
        if (idle == null) {
            idle = make(0, "swapper/0");
        }
        return idle;
    }

    /**
     * A new process enters the kernel: it gets the next pid and becomes {@code current} until
     * {@link #exit}.
     */
    public Task spawn(String comm) {
        Task t = make(nextPid++, comm);
        t.hasMm = true;
        // One address space stands for all processes: one that starts while another is in a
        // system call (modprobe run by request_module) gets user memory 64 GiB further down.
        t.userBase = USER_BASE - running.size() * 0x10_0000_0000L;
        t.userCursor = t.userBase;
        t.compatBase = COMPAT_USER_BASE + running.size() * 0x1000_0000L;
        t.compatCursor = t.compatBase;
        running.push(t);
        setCurrent(t);
        return t;
    }

    /** A kernel thread's task (a kworker, a kthread): a new pid and stack; not yet running. */
    public Task kernelThread(String comm) {
        Task t = make(nextPid++, comm);
        t.kernelThread = true;
        return t;
    }

    /** {@code t} (a kernel thread) runs now, on top of the current task, until {@link #leave}. */
    public void enter(Task t) {
        running.push(t);
        setCurrent(t);
    }

    /** The kernel thread entered last stops running; the task below it is current again. */
    public void leave(Task t) {
        if (running.peek() != t) {
            throw new IllegalStateException("task " + t.pid() + " is not current");
        }
        running.pop();
        setCurrent(running.isEmpty() ? idle() : running.peek());
    }

    /** The process leaves the kernel; its memory and stack are returned. */
    public void exit(Task t) {
        if (running.peek() != t) {
            throw new IllegalStateException("task " + t.pid() + " is not current");
        }
        running.pop();
        t.releaseUser(k.mem());
        k.slab().kfree(t.taskStruct());
        freeStacks.push(t.stack());
        setCurrent(running.isEmpty() ? idle() : running.peek());
    }

    private void setCurrent(Task t) {
        k.mem().write64(k.machine().percpu("current_task"), t.taskStruct());
    }

    /**
     * Another execution context runs now: {@code tasks} (innermost first) become the running
     * ones and {@code current} follows. Returns the previous context's list.
     */
    public ArrayDeque<Task> switchRunning(ArrayDeque<Task> tasks) {
        ArrayDeque<Task> prev = running;
        running = tasks;
        setCurrent(running.isEmpty() ? idle() : running.peek());
        return prev;
    }

    /** Frees a kernel thread that has exited: its task_struct and stack. */
    public void release(Task t) {
        k.slab().kfree(t.taskStruct());
        freeStacks.push(t.stack());
    }

    /** The task running now. */
    public Task current() {
        return running.isEmpty() ? idle() : running.peek();
    }

    /** {@code printk_caller_id()}: the current task's pid. */
    public int callerId() {
        return running.isEmpty() ? 0 : running.peek().pid();
    }

    /** Ends boot: the idle task is current. */
    public void boot() {
        setCurrent(idle());
    }
}
