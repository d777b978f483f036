package dev.kmodemu.kstubs;

import java.util.List;

/**
 * A report the kernel logged because kernel or module code went wrong: an oops, a WARN, a BUG, a
 * soft lockup, a stack overflow, a panic, a hung task, or one of the debug checks' reports (KASAN,
 * kmemleak, leftovers at rmmod, lock checks). {@link Kernel#findings()} lists them in the
 * order they happened, so tests assert on what went wrong without parsing the log.
 *
 * @param type what kind of report
 * @param title the report's headline as logged, e.g. {@code BUG: kernel NULL pointer dereference,
 *        address: 0000000000000000} or {@code kernel BUG at drivers/foo.c:12!}
 * @param module the module at fault: the one whose code the instruction pointer is in, else the
 *        innermost module in the call trace; null if no module code is involved
 * @param ip the instruction pointer of the report (the faulting or {@code ud2} instruction), 0 for
 *        reports without registers (panic, dump_stack)
 * @param symbol {@code ip} symbolized as the RIP line prints it ({@code hello_init+0x23/0x80 [hello]}),
 *        or null
 * @param location {@code file:line} of a WARN or BUG, or null
 * @param address the faulting address (CR2) of a page fault or stack overflow, or null
 * @param access {@code read}, {@code write} or {@code instruction fetch} for a page fault, or null
 * @param trace the call trace, innermost first, reliable frames and "?" clues alike
 * @param pid the pid of the task that was running
 * @param comm its command name
 * @param fatal true if the task was killed or the kernel panicked (a WARN is not)
 * @param log the report's lines as the kernel log holds them
 */
public record Finding(Type type, String title, String module, long ip, String symbol, String location, Long address,
        String access, List<Frame> trace, int pid, String comm, boolean fatal, List<String> log) {
    /** Kinds of report. */
    public enum Type {
        /** A fault in kernel mode: page fault, general protection, divide error, invalid opcode. */
        OOPS,
        /** {@code WARN()} and friends: the task goes on. */
        WARNING,
        /** {@code BUG()}: the task dies. */
        BUG,
        /** {@code watchdog: BUG: soft lockup}: code ran without end. */
        SOFT_LOCKUP,
        /** The kernel stack overflowed into its guard page: the kernel panics. */
        STACK_OVERFLOW,
        /** {@code panic()}: the kernel stops. */
        PANIC,
        /** A task blocked forever on a lock ({@code INFO: task ... blocked for more than 120 seconds}). */
        HUNG_TASK,
        /**
         * {@code BUG: KASAN: ...}: an access to memory that is not (or no longer) allocated, a
         * double or invalid free; {@code address} is the bad address, {@code access} {@code read},
         * {@code write} or {@code free}. The task goes on.
         */
        KASAN,
        /** kmemleak's {@code unreferenced object}: a module's allocation nothing points to; {@code address} is the object. */
        MEMORY_LEAK,
        /** Something a module left registered when it was unloaded (a file, device, timer, work, thread, handler). */
        LEFTOVER,
        /** lockdep: a lock released that was not held, or held when returning to user space. */
        LOCK,
        /** {@code BUG: sleeping function called from invalid context} or {@code BUG: scheduling while atomic}. */
        ATOMIC_SLEEP
    }

    /**
     * One call-trace entry: a kernel text address found on the stack, {@code reliable} if the
     * unwinder's walk reached it (the kernel prints the others with "? ").
     *
     * @param symbol {@code name+0xoff/0xsize [module]} as the trace prints it, or {@code 0x...}
     * @param module the module the address is in, or null for the kernel
     */
    public record Frame(long address, String symbol, String module, boolean reliable) {
        @Override
        public String toString() {
            return (reliable ? "" : "? ") + symbol;
        }
    }

    public Finding {
        trace = List.copyOf(trace);
        log = List.copyOf(log);
    }

    /** The reliable frames' symbols, innermost first: the walk the unwinder made. */
    public List<String> frames() {
        return trace.stream().filter(Frame::reliable).map(Frame::symbol).toList();
    }
}
