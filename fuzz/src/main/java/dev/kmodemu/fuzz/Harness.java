package dev.kmodemu.fuzz;

import dev.kmodemu.kstubs.Kernel;

/**
 * A user harness: gets each input and drives the kernel with it (after the module's init, when
 * parameters or faults are fuzzed too; else with the module loaded). A
 * {@link dev.kmodemu.kstubs.KernelException} is an ordinary outcome (a call failed, a process was
 * killed: the kernel's report is a finding of its own); any other exception or error the harness
 * throws, an {@link AssertionError} for one, is a finding.
 */
@FunctionalInterface
public interface Harness {
    void run(Kernel kernel, FuzzInput input) throws Exception;
}
