package dev.kmodemu.emu;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Stops a {@link Cpu} that runs longer than a wall-time budget. One daemon thread serves every
 * CPU in the JVM; arming costs a queue insertion, nothing runs on the guest's hot path.
 */
public final class Watchdog {
    private static final ScheduledThreadPoolExecutor TIMER;

    static {
        TIMER = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "kmodemu-watchdog");
            t.setDaemon(true);
            return t;
        });
        TIMER.setRemoveOnCancelPolicy(true);
    }

    private Watchdog() {
    }

    /** A running budget; {@link #close()} disarms it. */
    public static final class Armed implements AutoCloseable {
        private final ScheduledFuture<?> future;
        private volatile boolean fired;

        private Armed(Cpu cpu, long nanos) {
            future = TIMER.schedule(() -> {
                fired = true;
                cpu.requestStop();
            }, nanos, TimeUnit.NANOSECONDS);
        }

        /** True if the budget ran out (the CPU was asked to stop). */
        public boolean fired() {
            return fired;
        }

        @Override
        public void close() {
            future.cancel(false);
        }
    }

    /** Stops {@code cpu} after {@code nanos} of wall time unless disarmed first. */
    public static Armed arm(Cpu cpu, long nanos) {
        return new Armed(cpu, nanos);
    }
}
