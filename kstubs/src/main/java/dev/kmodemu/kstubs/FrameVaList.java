package dev.kmodemu.kstubs;

import dev.kmodemu.firmware.CallFrame;

/** The variadic arguments of a stub call, starting at argument {@code first}. */
final class FrameVaList implements VaList {
    private final CallFrame frame;
    private int next;

    FrameVaList(CallFrame frame, int first) {
        this.frame = frame;
        this.next = first;
    }

    @Override
    public long next() {
        return frame.arg(next++);
    }
}
