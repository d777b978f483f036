package dev.kmodemu.emu;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Stops a {@link Cpu} that runs longer than a wall-time budget. One daemon thread serves every
 * CPU in the JVM: while budgets are armed (and for a second after the last one) it wakes every
 * {@value #TICK_MILLIS} ms and stops each CPU whose deadline has passed, then parks until the
 * next budget is armed.
 *
 * <p>Arming and disarming only add to and remove from a concurrent set: no system call and no
 * wake-up of another thread on the guest's path. A budget armed for every top-level guest call
 * and every context switch (thousands a second) must not cost a futex wake-up and a cross-CPU
 * interrupt each, as a {@code ScheduledThreadPoolExecutor} whose queue head changes does; under a
 * hypervisor such a wake-up costs 5 to 25 µs. The price is precision: a budget fires up to one
 * tick late, which for budgets of seconds (the kernel's default is 10 s) does not matter.
 */
public final class Watchdog {
    static final long TICK_MILLIS = 5;
    private static final long TICK_NANOS = TICK_MILLIS * 1_000_000L;
    /** How long the thread keeps ticking after the last budget was armed before it parks. */
    private static final long IDLE_NANOS = 1_000_000_000L;

    private static final Set<Armed> ARMED = ConcurrentHashMap.newKeySet();
    private static final Thread THREAD;
    private static volatile boolean parked;
    private static volatile long lastArmed;

    static {
        THREAD = new Thread(Watchdog::loop, "kmodemu-watchdog");
        THREAD.setDaemon(true);
        THREAD.start();
    }

    private Watchdog() {
    }

    /** A running budget; {@link #close()} disarms it. */
    public static final class Armed implements AutoCloseable {
        private final Cpu cpu;
        private final long deadline;
        private volatile boolean fired;

        private Armed(Cpu cpu, long deadline) {
            this.cpu = cpu;
            this.deadline = deadline;
        }

        /** True if the budget ran out (the CPU was asked to stop). */
        public boolean fired() {
            return fired;
        }

        @Override
        public void close() {
            ARMED.remove(this);
        }
    }

    /** Stops {@code cpu} after {@code nanos} of wall time unless disarmed first. */
    public static Armed arm(Cpu cpu, long nanos) {
        long now = System.nanoTime();
        Armed a = new Armed(cpu, now + nanos);
        ARMED.add(a);
        lastArmed = now;
        if (parked) {
            LockSupport.unpark(THREAD);
        }
        return a;
    }

    private static void loop() {
        while (true) {
            long now = System.nanoTime();
            for (Armed a : ARMED) {
                if (now - a.deadline >= 0 && !a.fired) {
                    a.fired = true;
                    a.cpu.requestStop();
                }
            }
            if (ARMED.isEmpty() && now - lastArmed > IDLE_NANOS) {
                // Publish "parked" before the last look, so that an arm() after that look sees it
                // and unparks; one before it is seen here.
                parked = true;
                if (ARMED.isEmpty()) {
                    LockSupport.park();
                }
                parked = false;
            } else {
                LockSupport.parkNanos(TICK_NANOS);
            }
        }
    }
}
