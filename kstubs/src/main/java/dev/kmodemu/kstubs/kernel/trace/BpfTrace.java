package dev.kmodemu.kstubs.kernel.trace;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * kernel/trace/bpf_trace.c: {@code bpf_trace_run1()} to {@code bpf_trace_run12()}, which the
 * {@code __bpf_trace_*} probes of a module's tracepoints call with the BPF program attached to
 * the raw tracepoint. Only {@code bpf(BPF_RAW_TRACEPOINT_OPEN)} registers those probes and
 * kmodemu has no bpf(2) and no BPF interpreter, so modules link against these but can never
 * reach them; a call means a module registered a BPF probe by hand, which is unsupported.
 */
public final class BpfTrace {
    private BpfTrace() {
    }

    /** void bpf_trace_runN(struct bpf_prog *prog, u64 arg1, ...) */
    @KernelSymbol({"bpf_trace_run1", "bpf_trace_run2", "bpf_trace_run3", "bpf_trace_run4", "bpf_trace_run5",
        "bpf_trace_run6", "bpf_trace_run7", "bpf_trace_run8", "bpf_trace_run9", "bpf_trace_run10",
        "bpf_trace_run11", "bpf_trace_run12"})
    static void bpfTraceRun(KernelContext k, long prog) {
        throw new UnsupportedOperationException("bpf_trace_run: BPF programs are not supported (called from "
                + k.callerModule() + ")");
    }
}
