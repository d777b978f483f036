package dev.kmodemu.kstubs.kernel.trace;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * kernel/trace/trace_event_perf.c: the buffer the {@code perf_trace_*} probes of a module's events
 * fill and submit to perf. Those probes are registered only by {@code perf_event_open(2)} on a
 * tracepoint ({@code TRACE_REG_PERF_REGISTER}), which kmodemu does not have: without a perf event
 * the kernel has not even allocated {@code perf_trace_buf}. Modules link against these; a call
 * means a module registered a perf probe by hand, which is unsupported.
 */
public final class TraceEventPerf {
    private TraceEventPerf() {
    }

    /** void *perf_trace_buf_alloc(int size, struct pt_regs **regs, int *rctxp) */
    @KernelSymbol("perf_trace_buf_alloc")
    static long perfTraceBufAlloc(KernelContext k, int size, long regs, long rctxp) {
        throw new UnsupportedOperationException("perf_trace_buf_alloc: perf events are not supported (called from "
                + k.callerModule() + ")");
    }

    /**
     * void perf_trace_run_bpf_submit(void *raw_data, int size, int rctx, struct trace_event_call
     * *call, u64 count, struct pt_regs *regs, struct hlist_head *head, struct task_struct *task)
     */
    @KernelSymbol("perf_trace_run_bpf_submit")
    static void perfTraceRunBpfSubmit(KernelContext k, long rawData, int size, int rctx, long call) {
        throw new UnsupportedOperationException("perf_trace_run_bpf_submit: perf events are not supported (called from "
                + k.callerModule() + ")");
    }
}
