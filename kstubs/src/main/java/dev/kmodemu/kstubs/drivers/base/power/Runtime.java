package dev.kmodemu.kstubs.drivers.base.power;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.drivers.base.Core;
import dev.kmodemu.kstubs.drivers.base.Devres;

import java.util.HashMap;
import java.util.Map;

/**
 * drivers/base/power/runtime.c: runtime power management of devices, in the device's own
 * {@code struct dev_pm_info} (status, usage and child counts, the disable depth and flags that the
 * inline helpers of pm_runtime.h read), with the kernel's state machine: idle, suspend and resume
 * requests checked as {@code rpm_check_suspend_allowed()} does, the callbacks of the PM domain,
 * device type, class, bus or driver (whichever is first, as {@code __rpm_get_callback()}) run on
 * the CPU, parents resumed first and told when a child suspends, asynchronous requests as work on
 * {@code pm_wq} (at the next scheduling point), autosuspend and {@code pm_schedule_suspend()} on a
 * timer of virtual time, and the accounting of active and suspended time. Device links (there are
 * none here) and wake IRQs are not modelled; with one CPU, {@code irq_safe} only changes who
 * resumes the parent.
 */
public final class Runtime {
    private final KernelContext k;
    /** Each device's {@code suspend_timer}: the scheduler event armed for it. */
    private final Map<Long, Object> timers = new HashMap<>();
    /** Each device's {@code power.work} while queued. */
    private final Map<Long, Runnable> works = new HashMap<>();

    private Runtime(KernelContext k) {
        this.k = k;
    }

    static Runtime of(KernelContext k) {
        return k.state(Runtime.class, () -> new Runtime(k));
    }

    // ---------------------------------------------------------------- fields of dev->power

    private AddressSpace mem() {
        return k.mem();
    }

    private long pw(long dev, String field) {
        return dev + k.off("device_power") + k.off("dev_pm_info_" + field);
    }

    private int get32(long dev, String field) {
        return mem().read32(pw(dev, field));
    }

    private void set32(long dev, String field, int v) {
        mem().write32(pw(dev, field), v);
    }

    private long get64(long dev, String field) {
        return mem().read64(pw(dev, field));
    }

    private void set64(long dev, String field, long v) {
        mem().write64(pw(dev, field), v);
    }

    /** The bit-fields after child_count: disable_depth:3 then one bit each. */
    private static final int IDLE_NOTIFICATION = 3;
    private static final int REQUEST_PENDING = 4;
    private static final int DEFERRED_RESUME = 5;
    private static final int NEEDS_FORCE_RESUME = 6;
    private static final int RUNTIME_AUTO = 7;
    private static final int IGNORE_CHILDREN = 8;
    private static final int NO_CALLBACKS = 9;
    private static final int IRQ_SAFE = 10;
    private static final int USE_AUTOSUSPEND = 11;
    private static final int TIMER_AUTOSUSPENDS = 12;
    private static final int MEMALLOC_NOIO = 13;

    private int bits(long dev) {
        return get32(dev, "rpm_bits");
    }

    boolean flag(long dev, int bit) {
        return (bits(dev) & (1 << bit)) != 0;
    }

    void setFlag(long dev, int bit, boolean on) {
        int b = bits(dev);
        set32(dev, "rpm_bits", on ? b | (1 << bit) : b & ~(1 << bit));
    }

    int disableDepth(long dev) {
        return bits(dev) & 7;
    }

    private void setDisableDepth(long dev, int d) {
        set32(dev, "rpm_bits", (bits(dev) & ~7) | (d & 7));
    }

    int status(long dev) {
        return get32(dev, "runtime_status");
    }

    int usage(long dev) {
        return get32(dev, "usage_count");
    }

    int runtimeError(long dev) {
        return get32(dev, "runtime_error");
    }

    int autosuspendDelay(long dev) {
        return get32(dev, "autosuspend_delay");
    }

    int children(long dev) {
        return get32(dev, "child_count");
    }

    boolean autoOn(long dev) {
        return flag(dev, RUNTIME_AUTO);
    }

    boolean useAutosuspend(long dev) {
        return flag(dev, USE_AUTOSUSPEND);
    }

    boolean ignoreChildren(long dev) {
        return flag(dev, IGNORE_CHILDREN);
    }

    boolean noCallbacks(long dev) {
        return flag(dev, NO_CALLBACKS);
    }

    private int rpm(String name) {
        return k.off(name);
    }

    private long parent(long dev) {
        return mem().read64(dev + k.off("device_parent"));
    }

    private long now() {
        return k.clock().nanos();
    }

    /** {@code dev->power.no_pm}: bit 7 of the bit-fields after {@code power_state}. */
    static final int NO_PM = 7;
    /** {@code dev->power.async_suspend}: bit 1 there. */
    static final int ASYNC_SUSPEND = 1;
    /** {@code dev->power.is_prepared}: bit 3 there. */
    private static final int IS_PREPARED = 3;

    private static long pmBitsAt(KernelContext k, long dev) {
        return dev + k.off("device_power") + k.off("dev_pm_info_bits");
    }

    /** A bit of the system-sleep bit-fields of {@code dev->power}. */
    static boolean pmBit(KernelContext k, long dev, int bit) {
        return (k.mem().read32(pmBitsAt(k, dev)) & (1 << bit)) != 0;
    }

    /**
     * {@code device_enable_async_suspend()} or {@code device_disable_async_suspend()} (pm.h): no
     * change while the PM core has the device prepared.
     */
    public static void setAsyncSuspend(KernelContext k, long dev, boolean on) {
        if (pmBit(k, dev, IS_PREPARED)) {
            return;
        }
        int v = k.mem().read32(pmBitsAt(k, dev));
        k.mem().write32(pmBitsAt(k, dev), on ? v | (1 << ASYNC_SUSPEND) : v & ~(1 << ASYNC_SUSPEND));
    }

    /** {@code pm_suspend_ignore_children()} (pm.h). */
    public static void ignoreChildren(KernelContext k, long dev, boolean enable) {
        of(k).setFlag(dev, IGNORE_CHILDREN, enable);
    }

    // ---------------------------------------------------------------- init and accounting

    /** {@code pm_runtime_init()}, from {@code device_initialize()}. */
    public static void init(KernelContext k, long dev) {
        Runtime r = of(k);
        r.set32(dev, "runtime_status", r.rpm("RPM_SUSPENDED"));
        r.set32(dev, "last_status", r.rpm("RPM_INVALID"));
        r.setFlag(dev, IDLE_NOTIFICATION, false);
        r.setDisableDepth(dev, 1);
        r.set32(dev, "usage_count", 0);
        r.set32(dev, "runtime_error", 0);
        r.set32(dev, "child_count", 0);
        r.setFlag(dev, IGNORE_CHILDREN, false);
        r.setFlag(dev, RUNTIME_AUTO, true);
        r.setFlag(dev, REQUEST_PENDING, false);
        r.set32(dev, "request", r.rpm("RPM_REQ_NONE"));
        r.setFlag(dev, DEFERRED_RESUME, false);
        r.setFlag(dev, NEEDS_FORCE_RESUME, false);
        r.set64(dev, "timer_expires", 0);
    }

    /** {@code update_pm_runtime_accounting()}. */
    private void account(long dev) {
        if (disableDepth(dev) > 0) {
            return;
        }
        long last = get64(dev, "accounting_timestamp");
        long now = now();
        set64(dev, "accounting_timestamp", now);
        if (Long.compareUnsigned(now, last) < 0) {
            return;
        }
        String field = status(dev) == rpm("RPM_SUSPENDED") ? "suspended_time" : "active_time";
        set64(dev, field, get64(dev, field) + now - last);
    }

    /** {@code __update_runtime_status()}. */
    private void setStatus(long dev, int status) {
        account(dev);
        set32(dev, "runtime_status", status);
    }

    /** {@code pm_runtime_active_time()} or suspended time in ns, accounted up to now. */
    long time(long dev, boolean active) {
        account(dev);
        return get64(dev, active ? "active_time" : "suspended_time");
    }

    /** u64 pm_runtime_suspended_time(struct device *dev) */
    @KernelSymbol("pm_runtime_suspended_time")
    static long pmRuntimeSuspendedTime(KernelContext k, long dev) {
        return of(k).time(dev, false);
    }

    // ---------------------------------------------------------------- requests, timer, work

    /** {@code pm_runtime_deactivate_timer()}. */
    private void deactivateTimer(long dev) {
        if (get64(dev, "timer_expires") != 0) {
            Object t = timers.remove(dev);
            if (t != null) {
                k.scheduler().cancel(t);
            }
            set64(dev, "timer_expires", 0);
        }
    }

    /** {@code pm_runtime_cancel_pending()}. */
    private void cancelPending(long dev) {
        deactivateTimer(dev);
        set32(dev, "request", rpm("RPM_REQ_NONE"));
    }

    /** The suspend timer armed for {@code expires} ({@code hrtimer_start()} on virtual time). */
    private void armTimer(long dev, long expires) {
        Object old = timers.remove(dev);
        if (old != null) {
            k.scheduler().cancel(old);
        }
        timers.put(dev, k.scheduler().at(expires, () -> timerFn(dev)));
    }

    /** {@code pm_suspend_timer_fn()}. */
    private void timerFn(long dev) {
        timers.remove(dev);
        long expires = get64(dev, "timer_expires");
        // the kernel wants now past expires (an hrtimer fires a little late); here it fires on time
        if (expires > 0 && expires <= now()) {
            set64(dev, "timer_expires", 0);
            suspend(dev, flag(dev, TIMER_AUTOSUSPENDS) ? rpm("RPM_ASYNC") | rpm("RPM_AUTO") : rpm("RPM_ASYNC"));
        }
    }

    /** {@code queue_work(pm_wq, &dev->power.work)}. */
    private void queueWork(long dev) {
        if (works.containsKey(dev)) {
            return;
        }
        Runnable w = () -> {
            works.remove(dev);
            work(dev);
        };
        works.put(dev, w);
        k.scheduler().queueWork(w);
    }

    /** An asynchronous request: recorded, and the work queued if none is pending. */
    private void request(long dev, String req) {
        set32(dev, "request", rpm(req));
        if (!flag(dev, REQUEST_PENDING)) {
            setFlag(dev, REQUEST_PENDING, true);
            queueWork(dev);
        }
    }

    /** {@code pm_runtime_work()}. */
    private void work(long dev) {
        if (!flag(dev, REQUEST_PENDING)) {
            return;
        }
        int req = get32(dev, "request");
        set32(dev, "request", rpm("RPM_REQ_NONE"));
        setFlag(dev, REQUEST_PENDING, false);
        int nowait = rpm("RPM_NOWAIT");
        if (req == rpm("RPM_REQ_IDLE")) {
            idle(dev, nowait);
        } else if (req == rpm("RPM_REQ_SUSPEND")) {
            suspend(dev, nowait);
        } else if (req == rpm("RPM_REQ_AUTOSUSPEND")) {
            suspend(dev, nowait | rpm("RPM_AUTO"));
        } else if (req == rpm("RPM_REQ_RESUME")) {
            resume(dev, nowait);
        }
    }

    // ---------------------------------------------------------------- the state machine

    /** {@code rpm_check_suspend_allowed()}: negative errno, 1 if already suspended, else 0. */
    private int checkSuspendAllowed(long dev) {
        if (get32(dev, "runtime_error") != 0) {
            return -Errno.EINVAL;
        }
        if (disableDepth(dev) > 0) {
            return -Errno.EACCES;
        }
        if (usage(dev) != 0) {
            return -Errno.EAGAIN;
        }
        if (!ignoreChildren(dev) && children(dev) != 0) {
            return -Errno.EBUSY;
        }
        if ((flag(dev, DEFERRED_RESUME) && status(dev) == rpm("RPM_SUSPENDING"))
                || (flag(dev, REQUEST_PENDING) && get32(dev, "request") == rpm("RPM_REQ_RESUME"))) {
            return -Errno.EAGAIN;
        }
        return status(dev) == rpm("RPM_SUSPENDED") ? 1 : 0;
    }

    /** {@code __rpm_get_callback()}: the PM domain's, type's, class's or bus's, else the driver's. */
    private long callback(long dev, String op) {
        AddressSpace m = mem();
        long ops = 0;
        long domain = m.read64(dev + k.off("device_pm_domain"));
        long type = m.read64(dev + k.off("device_type"));
        long cls = m.read64(dev + k.off("device_class"));
        long bus = m.read64(dev + k.off("device_bus"));
        if (domain != 0) {
            ops = domain + k.off("dev_pm_domain_ops");
        } else if (type != 0 && m.read64(type + k.off("device_type_pm")) != 0) {
            ops = m.read64(type + k.off("device_type_pm"));
        } else if (cls != 0 && m.read64(cls + k.off("class_pm")) != 0) {
            ops = m.read64(cls + k.off("class_pm"));
        } else if (bus != 0 && m.read64(bus + k.off("bus_type_pm")) != 0) {
            ops = m.read64(bus + k.off("bus_type_pm"));
        }
        long cb = ops == 0 ? 0 : m.read64(ops + k.off("dev_pm_ops_" + op));
        long drv = m.read64(dev + k.off("device_driver"));
        long drvPm = drv == 0 ? 0 : m.read64(drv + k.off("device_driver_pm"));
        if (cb == 0 && drvPm != 0) {
            cb = m.read64(drvPm + k.off("dev_pm_ops_" + op));
        }
        return cb;
    }

    /** {@code rpm_callback()}: the callback's result recorded as runtime_error; -EACCES becomes -EIO. */
    private int runCallback(long cb, long dev) {
        int ret = cb == 0 ? 0 : (int) k.call(cb, dev);
        set32(dev, "runtime_error", ret);
        return ret != -Errno.EACCES ? ret : -Errno.EIO;
    }

    /** {@code rpm_idle()}. */
    int idle(long dev, int flags) {
        int retval = checkSuspendAllowed(dev);
        if (retval >= 0) {
            if (status(dev) != rpm("RPM_ACTIVE")) {
                retval = -Errno.EAGAIN;
            } else if (flag(dev, REQUEST_PENDING) && get32(dev, "request") > rpm("RPM_REQ_IDLE")) {
                retval = -Errno.EAGAIN;
            } else if (flag(dev, IDLE_NOTIFICATION)) {
                retval = -k.off("EINPROGRESS");
            }
        }
        if (retval == 0) {
            set32(dev, "request", rpm("RPM_REQ_NONE"));
            long cb = callback(dev, "runtime_idle");
            if (cb != 0 && !noCallbacks(dev)) {
                if ((flags & rpm("RPM_ASYNC")) != 0) {
                    request(dev, "RPM_REQ_IDLE");
                    return 0;
                }
                setFlag(dev, IDLE_NOTIFICATION, true);
                retval = (int) k.call(cb, dev);
                setFlag(dev, IDLE_NOTIFICATION, false);
            }
        }
        return retval != 0 ? retval : suspend(dev, flags | rpm("RPM_AUTO"));
    }

    /** u64 pm_runtime_autosuspend_expiration(struct device *dev) */
    @KernelSymbol("pm_runtime_autosuspend_expiration")
    static long autosuspendExpiration(KernelContext k, long dev) {
        Runtime r = of(k);
        if (!r.useAutosuspend(dev)) {
            return 0;
        }
        int delay = r.get32(dev, "autosuspend_delay");
        if (delay < 0) {
            return 0;
        }
        long expires = r.get64(dev, "last_busy") + delay * 1_000_000L;
        return Long.compareUnsigned(expires, r.now()) > 0 ? expires : 0;
    }

    /** {@code rpm_suspend()}. */
    int suspend(long dev, int flags) {
        int async = rpm("RPM_ASYNC");
        int auto = rpm("RPM_AUTO");
        for (;;) {
            int retval = checkSuspendAllowed(dev);
            if (retval < 0) {
                return retval;
            }
            if (status(dev) == rpm("RPM_RESUMING") && (flags & async) == 0) {
                retval = -Errno.EAGAIN;
            }
            if (retval != 0) {
                return retval;
            }
            if ((flags & auto) != 0 && status(dev) != rpm("RPM_SUSPENDING")) {
                long expires = autosuspendExpiration(k, dev);
                if (expires != 0) {
                    set32(dev, "request", rpm("RPM_REQ_NONE"));
                    long cur = get64(dev, "timer_expires");
                    if (!(cur != 0 && Long.compareUnsigned(cur, expires) <= 0)) {
                        set64(dev, "timer_expires", expires);
                        armTimer(dev, expires);
                    }
                    setFlag(dev, TIMER_AUTOSUSPENDS, true);
                    return 0;
                }
            }
            cancelPending(dev);
            if (status(dev) == rpm("RPM_SUSPENDING")) {
                if ((flags & (async | rpm("RPM_NOWAIT"))) != 0) {
                    return -k.off("EINPROGRESS");
                }
                waitWhile(dev, () -> status(dev) == rpm("RPM_SUSPENDING"));
                continue;
            }
            if (!noCallbacks(dev)) {
                if ((flags & async) != 0) {
                    request(dev, (flags & auto) != 0 ? "RPM_REQ_AUTOSUSPEND" : "RPM_REQ_SUSPEND");
                    return 0;
                }
                setStatus(dev, rpm("RPM_SUSPENDING"));
                retval = runCallback(callback(dev, "runtime_suspend"), dev);
                if (retval != 0) {
                    setStatus(dev, rpm("RPM_ACTIVE"));
                    setFlag(dev, DEFERRED_RESUME, false);
                    if (retval == -Errno.EAGAIN || retval == -Errno.EBUSY) {
                        set32(dev, "runtime_error", 0);
                        if ((flags & auto) != 0 && autosuspendExpiration(k, dev) != 0) {
                            continue;
                        }
                    } else {
                        cancelPending(dev);
                    }
                    return retval;
                }
            }
            setStatus(dev, rpm("RPM_SUSPENDED"));
            deactivateTimer(dev);
            long parent = parent(dev);
            if (parent != 0 && children(parent) != 0) {
                set32(parent, "child_count", children(parent) - 1);
            }
            if (flag(dev, DEFERRED_RESUME)) {
                setFlag(dev, DEFERRED_RESUME, false);
                resume(dev, 0);
                return -Errno.EAGAIN;
            }
            if (!flag(dev, IRQ_SAFE) && parent != 0 && !ignoreChildren(parent)) {
                idle(parent, async);
            }
            return 0;
        }
    }

    /**
     * Waits (as the kernel's wait on {@code power.wait_queue}) while a transition another context
     * started is in progress; with one CPU that context runs meanwhile.
     */
    private void waitWhile(long dev, java.util.function.BooleanSupplier busy) {
        k.scheduler().sleep(() -> !busy.getAsBoolean(), -1, "rpm_suspend");
    }

    /** {@code rpm_resume()}. */
    int resume(long dev, int flags) {
        int async = rpm("RPM_ASYNC");
        int nowait = rpm("RPM_NOWAIT");
        long parent = 0;
        int retval = 0;
        try {
            for (;;) {
                retval = 0;
                if (get32(dev, "runtime_error") != 0) {
                    retval = -Errno.EINVAL;
                } else if (disableDepth(dev) > 0) {
                    retval = status(dev) == rpm("RPM_ACTIVE") && get32(dev, "last_status") == rpm("RPM_ACTIVE")
                            ? 1 : -Errno.EACCES;
                }
                if (retval != 0) {
                    return retval;
                }
                set32(dev, "request", rpm("RPM_REQ_NONE"));
                if (!flag(dev, TIMER_AUTOSUSPENDS)) {
                    deactivateTimer(dev);
                }
                if (status(dev) == rpm("RPM_ACTIVE")) {
                    return 1;
                }
                if (status(dev) == rpm("RPM_RESUMING") || status(dev) == rpm("RPM_SUSPENDING")) {
                    if ((flags & (async | nowait)) != 0) {
                        if (status(dev) == rpm("RPM_SUSPENDING")) {
                            setFlag(dev, DEFERRED_RESUME, true);
                            return (flags & nowait) != 0 ? -k.off("EINPROGRESS") : 0;
                        }
                        return -k.off("EINPROGRESS");
                    }
                    waitWhile(dev, () -> status(dev) == rpm("RPM_RESUMING") || status(dev) == rpm("RPM_SUSPENDING"));
                    continue;
                }
                long p = parent(dev);
                if (noCallbacks(dev) && parent == 0 && p != 0) {
                    if (disableDepth(p) > 0 || ignoreChildren(p) || status(p) == rpm("RPM_ACTIVE")) {
                        set32(p, "child_count", children(p) + 1);
                        setStatus(dev, rpm("RPM_ACTIVE"));
                        markLastBusy(dev);
                        idle(dev, async);
                        return 1;
                    }
                }
                if ((flags & async) != 0) {
                    request(dev, "RPM_REQ_RESUME");
                    return 0;
                }
                if (parent == 0 && p != 0) {
                    parent = p;
                    // an irq_safe device's parent is not resumed (nor referenced), but counts it
                    if (!flag(dev, IRQ_SAFE)) {
                        set32(parent, "usage_count", usage(parent) + 1);
                        if (disableDepth(parent) == 0 && !ignoreChildren(parent)) {
                            resume(parent, 0);
                            if (status(parent) != rpm("RPM_ACTIVE")) {
                                return -Errno.EBUSY;
                            }
                        }
                        continue;
                    }
                }
                if (noCallbacks(dev)) {
                    retval = 0;
                } else {
                    setStatus(dev, rpm("RPM_RESUMING"));
                    retval = runCallback(callback(dev, "runtime_resume"), dev);
                }
                if (retval != 0) {
                    setStatus(dev, rpm("RPM_SUSPENDED"));
                    cancelPending(dev);
                } else {
                    setStatus(dev, rpm("RPM_ACTIVE"));
                    markLastBusy(dev);
                    if (parent != 0) {
                        set32(parent, "child_count", children(parent) + 1);
                    }
                }
                if (retval >= 0) {
                    idle(dev, async);
                }
                return retval;
            }
        } finally {
            if (parent != 0 && !flag(dev, IRQ_SAFE)) {
                // pm_runtime_put(parent)
                putAsync(parent);
            }
        }
    }

    /** {@code pm_runtime_mark_last_busy()}. */
    private void markLastBusy(long dev) {
        set64(dev, "last_busy", now());
    }

    /** {@code pm_runtime_put()}: usage dropped, an asynchronous idle check if it reached 0. */
    private void putAsync(long dev) {
        if (dropUsage(dev) == 0) {
            idle(dev, rpm("RPM_ASYNC"));
        }
    }

    /** {@code rpm_drop_usage_count()}: the new count, or -EINVAL with the kernel's warning on underflow. */
    private int dropUsage(long dev) {
        int ret = usage(dev) - 1;
        if (ret >= 0) {
            set32(dev, "usage_count", ret);
            return ret;
        }
        Core.log(k, 4, dev, "Runtime PM usage count underflow!\n");
        return -Errno.EINVAL;
    }

    // ---------------------------------------------------------------- the exported API

    /** What {@link #putUsage} returns when the call goes on to the state machine. */
    private static final int GO_ON = Integer.MIN_VALUE;

    /**
     * The usage reference {@code RPM_GET_PUT} drops first: {@link #GO_ON} if it was the last (or
     * none was asked), else what the call returns (0, or -EINVAL on underflow).
     */
    private int putUsage(long dev, int flags) {
        if ((flags & rpm("RPM_GET_PUT")) == 0) {
            return GO_ON;
        }
        int ret = dropUsage(dev);
        return ret == 0 ? GO_ON : ret < 0 ? ret : 0;
    }

    /** int __pm_runtime_idle(struct device *dev, int rpmflags) */
    @KernelSymbol("__pm_runtime_idle")
    public static int pmRuntimeIdle(KernelContext k, long dev, int flags) {
        Runtime r = of(k);
        int put = r.putUsage(dev, flags);
        return put != GO_ON ? put : r.idle(dev, flags);
    }

    /** {@code pm_runtime_get_sync()} for kernel code in Java. */
    public static int getSync(KernelContext k, long dev) {
        return pmRuntimeResume(k, dev, of(k).rpm("RPM_GET_PUT"));
    }

    /** {@code pm_runtime_put()} for kernel code in Java. */
    public static int put(KernelContext k, long dev) {
        Runtime r = of(k);
        return pmRuntimeIdle(k, dev, r.rpm("RPM_GET_PUT") | r.rpm("RPM_ASYNC"));
    }

    /** {@code pm_runtime_put_sync()} for kernel code in Java. */
    public static int putSync(KernelContext k, long dev) {
        return pmRuntimeIdle(k, dev, of(k).rpm("RPM_GET_PUT"));
    }

    /** {@code pm_request_idle()} for kernel code in Java. */
    public static int requestIdle(KernelContext k, long dev) {
        return pmRuntimeIdle(k, dev, of(k).rpm("RPM_ASYNC"));
    }

    /** int __pm_runtime_suspend(struct device *dev, int rpmflags) */
    @KernelSymbol("__pm_runtime_suspend")
    public static int pmRuntimeSuspend(KernelContext k, long dev, int flags) {
        Runtime r = of(k);
        int put = r.putUsage(dev, flags);
        return put != GO_ON ? put : r.suspend(dev, flags);
    }

    /** int __pm_runtime_resume(struct device *dev, int rpmflags) */
    @KernelSymbol("__pm_runtime_resume")
    public static int pmRuntimeResume(KernelContext k, long dev, int flags) {
        Runtime r = of(k);
        if ((flags & r.rpm("RPM_GET_PUT")) != 0) {
            r.set32(dev, "usage_count", r.usage(dev) + 1);
        }
        return r.resume(dev, flags);
    }

    /** int pm_runtime_get_if_active(struct device *dev, bool ign_usage_count) */
    @KernelSymbol("pm_runtime_get_if_active")
    static int pmRuntimeGetIfActive(KernelContext k, long dev, boolean ignUsage) {
        Runtime r = of(k);
        if (r.disableDepth(dev) > 0) {
            return -Errno.EINVAL;
        }
        if (r.status(dev) != r.rpm("RPM_ACTIVE")) {
            return 0;
        }
        if (ignUsage || r.usage(dev) != 0) {
            r.set32(dev, "usage_count", r.usage(dev) + 1);
            return 1;
        }
        return 0;
    }

    /** int __pm_runtime_set_status(struct device *dev, unsigned int status) */
    @KernelSymbol("__pm_runtime_set_status")
    public static int pmRuntimeSetStatus(KernelContext k, long dev, int status) {
        Runtime r = of(k);
        int active = r.rpm("RPM_ACTIVE");
        int suspended = r.rpm("RPM_SUSPENDED");
        if (status != active && status != suspended) {
            return -Errno.EINVAL;
        }
        if (r.get32(dev, "runtime_error") != 0 || r.disableDepth(dev) != 0) {
            r.setDisableDepth(dev, r.disableDepth(dev) + 1);
        } else {
            return -Errno.EAGAIN;
        }
        long parent = r.parent(dev);
        boolean notifyParent = false;
        int error = 0;
        if (r.status(dev) != status && parent != 0) {
            if (status == suspended) {
                if (r.children(parent) != 0) {
                    r.set32(parent, "child_count", r.children(parent) - 1);
                }
                notifyParent = !r.ignoreChildren(parent);
            } else if (r.disableDepth(parent) == 0 && !r.ignoreChildren(parent) && r.status(parent) != active) {
                Core.log(k, 3, dev, "runtime PM trying to activate child device " + Core.name(k, dev)
                        + " but parent (" + Core.name(k, parent) + ") is not active\n");
                error = -Errno.EBUSY;
            } else if (r.status(dev) == suspended) {
                r.set32(parent, "child_count", r.children(parent) + 1);
            }
        }
        if (error == 0) {
            r.setStatus(dev, status);
            r.set32(dev, "runtime_error", 0);
        }
        if (notifyParent) {
            r.idle(parent, r.rpm("RPM_ASYNC"));
        }
        pmRuntimeEnable(k, dev);
        return error;
    }

    /** {@code __pm_runtime_barrier()}: no timer, no pending request, no transition in progress. */
    private void barrier(long dev) {
        deactivateTimer(dev);
        if (flag(dev, REQUEST_PENDING)) {
            set32(dev, "request", rpm("RPM_REQ_NONE"));
            Runnable w = works.remove(dev);
            if (w != null) {
                k.scheduler().dequeueWork(w);
            }
            setFlag(dev, REQUEST_PENDING, false);
        }
        waitWhile(dev, () -> status(dev) == rpm("RPM_SUSPENDING") || status(dev) == rpm("RPM_RESUMING")
                || flag(dev, IDLE_NOTIFICATION));
    }

    /** int pm_runtime_barrier(struct device *dev) */
    @KernelSymbol("pm_runtime_barrier")
    public static int pmRuntimeBarrier(KernelContext k, long dev) {
        Runtime r = of(k);
        r.set32(dev, "usage_count", r.usage(dev) + 1);
        int retval = 0;
        if (r.flag(dev, REQUEST_PENDING) && r.get32(dev, "request") == r.rpm("RPM_REQ_RESUME")) {
            r.resume(dev, 0);
            retval = 1;
        }
        r.barrier(dev);
        if (r.usage(dev) > 0) {
            r.set32(dev, "usage_count", r.usage(dev) - 1);
        }
        return retval;
    }

    /** void __pm_runtime_disable(struct device *dev, bool check_resume) */
    @KernelSymbol("__pm_runtime_disable")
    public static void pmRuntimeDisable(KernelContext k, long dev, boolean checkResume) {
        Runtime r = of(k);
        if (r.disableDepth(dev) > 0) {
            r.setDisableDepth(dev, r.disableDepth(dev) + 1);
            return;
        }
        if (checkResume && r.flag(dev, REQUEST_PENDING) && r.get32(dev, "request") == r.rpm("RPM_REQ_RESUME")) {
            r.set32(dev, "usage_count", r.usage(dev) + 1);
            r.resume(dev, 0);
            if (r.usage(dev) > 0) {
                r.set32(dev, "usage_count", r.usage(dev) - 1);
            }
        }
        r.account(dev);
        r.setDisableDepth(dev, 1);
        r.barrier(dev);
        r.set32(dev, "last_status", r.status(dev));
    }

    /** void pm_runtime_enable(struct device *dev) */
    @KernelSymbol("pm_runtime_enable")
    public static void pmRuntimeEnable(KernelContext k, long dev) {
        Runtime r = of(k);
        if (r.disableDepth(dev) == 0) {
            Core.log(k, 4, dev, "Unbalanced pm_runtime_enable!\n");
            return;
        }
        r.setDisableDepth(dev, r.disableDepth(dev) - 1);
        if (r.disableDepth(dev) > 0) {
            return;
        }
        r.set32(dev, "last_status", r.rpm("RPM_INVALID"));
        r.set64(dev, "accounting_timestamp", r.now());
        if (r.status(dev) == r.rpm("RPM_SUSPENDED") && !r.ignoreChildren(dev) && r.children(dev) > 0) {
            Core.log(k, 4, dev, "Enabling runtime PM for inactive device with active children\n");
        }
    }

    /** void pm_runtime_forbid(struct device *dev) */
    @KernelSymbol("pm_runtime_forbid")
    public static void pmRuntimeForbid(KernelContext k, long dev) {
        Runtime r = of(k);
        if (!r.autoOn(dev)) {
            return;
        }
        r.setFlag(dev, RUNTIME_AUTO, false);
        r.set32(dev, "usage_count", r.usage(dev) + 1);
        r.resume(dev, 0);
    }

    /** void pm_runtime_allow(struct device *dev) */
    @KernelSymbol("pm_runtime_allow")
    public static void pmRuntimeAllow(KernelContext k, long dev) {
        Runtime r = of(k);
        if (r.autoOn(dev)) {
            return;
        }
        r.setFlag(dev, RUNTIME_AUTO, true);
        if (r.dropUsage(dev) == 0) {
            r.idle(dev, r.rpm("RPM_AUTO") | r.rpm("RPM_ASYNC"));
        }
    }

    /** void pm_runtime_no_callbacks(struct device *dev): the runtime part of "power" goes. */
    @KernelSymbol("pm_runtime_no_callbacks")
    public static void pmRuntimeNoCallbacks(KernelContext k, long dev) {
        of(k).setFlag(dev, NO_CALLBACKS, true);
        if (Core.registered(k, dev)) {
            Sysfs.removeRuntimeFiles(k, dev);
        }
    }

    /** void pm_runtime_irq_safe(struct device *dev) */
    @KernelSymbol("pm_runtime_irq_safe")
    static void pmRuntimeIrqSafe(KernelContext k, long dev) {
        Runtime r = of(k);
        long parent = r.parent(dev);
        if (parent != 0) {
            pmRuntimeResume(k, parent, r.rpm("RPM_GET_PUT"));
        }
        r.setFlag(dev, IRQ_SAFE, true);
    }

    /** {@code update_autosuspend()}. */
    private void updateAutosuspend(long dev, int oldDelay, boolean oldUse) {
        int delay = get32(dev, "autosuspend_delay");
        if (useAutosuspend(dev) && delay < 0) {
            if (!oldUse || oldDelay >= 0) {
                set32(dev, "usage_count", usage(dev) + 1);
                resume(dev, 0);
            }
        } else {
            if (oldUse && oldDelay < 0) {
                set32(dev, "usage_count", usage(dev) - 1);
            }
            idle(dev, rpm("RPM_AUTO"));
        }
    }

    /** void pm_runtime_set_autosuspend_delay(struct device *dev, int delay) */
    @KernelSymbol("pm_runtime_set_autosuspend_delay")
    public static void pmRuntimeSetAutosuspendDelay(KernelContext k, long dev, int delay) {
        Runtime r = of(k);
        int oldDelay = r.get32(dev, "autosuspend_delay");
        boolean oldUse = r.useAutosuspend(dev);
        r.set32(dev, "autosuspend_delay", delay);
        r.updateAutosuspend(dev, oldDelay, oldUse);
    }

    /** void __pm_runtime_use_autosuspend(struct device *dev, bool use) */
    @KernelSymbol("__pm_runtime_use_autosuspend")
    static void pmRuntimeUseAutosuspend(KernelContext k, long dev, boolean use) {
        Runtime r = of(k);
        int oldDelay = r.get32(dev, "autosuspend_delay");
        boolean oldUse = r.useAutosuspend(dev);
        r.setFlag(dev, USE_AUTOSUSPEND, use);
        r.updateAutosuspend(dev, oldDelay, oldUse);
    }

    /** int pm_schedule_suspend(struct device *dev, unsigned int delay) */
    @KernelSymbol("pm_schedule_suspend")
    static int pmScheduleSuspend(KernelContext k, long dev, int delay) {
        Runtime r = of(k);
        if (delay == 0) {
            return r.suspend(dev, r.rpm("RPM_ASYNC"));
        }
        int retval = r.checkSuspendAllowed(dev);
        if (retval != 0) {
            return retval;
        }
        r.cancelPending(dev);
        long expires = r.now() + Integer.toUnsignedLong(delay) * 1_000_000L;
        r.set64(dev, "timer_expires", expires);
        r.setFlag(dev, TIMER_AUTOSUSPENDS, false);
        r.armTimer(dev, expires);
        return 0;
    }

    /** void pm_runtime_set_memalloc_noio(struct device *dev, bool enable): no I/O reclaim to avoid here. */
    @KernelSymbol("pm_runtime_set_memalloc_noio")
    static void pmRuntimeSetMemallocNoio(KernelContext k, long dev, boolean enable) {
        of(k).setFlag(dev, MEMALLOC_NOIO, enable);
    }

    /** {@code devm_add_action_or_reset()}: the action runs at once if it cannot be added. */
    private static int devmActionOrReset(KernelContext k, long dev, String action) {
        int err = Devres.devmAddAction(k, dev, k.sym(action), dev);
        if (err != 0) {
            k.call(k.sym(action), dev);
        }
        return err;
    }

    /** static void pm_runtime_disable_action(void *data) */
    @KernelSymbol(value = "pm_runtime_disable_action", internal = true)
    static void pmRuntimeDisableAction(KernelContext k, long dev) {
        pmRuntimeUseAutosuspend(k, dev, false);
        pmRuntimeDisable(k, dev, true);
    }

    /** static void pm_runtime_set_suspended_action(void *data) */
    @KernelSymbol(value = "pm_runtime_set_suspended_action", internal = true)
    static void pmRuntimeSetSuspendedAction(KernelContext k, long dev) {
        pmRuntimeSetStatus(k, dev, of(k).rpm("RPM_SUSPENDED"));
    }

    /** static void pm_runtime_put_noidle_action(void *data) */
    @KernelSymbol(value = "pm_runtime_put_noidle_action", internal = true)
    static void pmRuntimePutNoidleAction(KernelContext k, long dev) {
        Runtime r = of(k);
        if (r.usage(dev) > 0) {
            r.set32(dev, "usage_count", r.usage(dev) - 1);
        }
    }

    /** int devm_pm_runtime_enable(struct device *dev) */
    @KernelSymbol("devm_pm_runtime_enable")
    static int devmPmRuntimeEnable(KernelContext k, long dev) {
        pmRuntimeEnable(k, dev);
        return devmActionOrReset(k, dev, "pm_runtime_disable_action");
    }

    /** int devm_pm_runtime_set_active_enabled(struct device *dev) */
    @KernelSymbol("devm_pm_runtime_set_active_enabled")
    static int devmPmRuntimeSetActiveEnabled(KernelContext k, long dev) {
        int err = pmRuntimeSetStatus(k, dev, of(k).rpm("RPM_ACTIVE"));
        if (err != 0) {
            return err;
        }
        err = devmActionOrReset(k, dev, "pm_runtime_set_suspended_action");
        return err != 0 ? err : devmPmRuntimeEnable(k, dev);
    }

    /** int devm_pm_runtime_get_noresume(struct device *dev) */
    @KernelSymbol("devm_pm_runtime_get_noresume")
    static int devmPmRuntimeGetNoresume(KernelContext k, long dev) {
        Runtime r = of(k);
        r.set32(dev, "usage_count", r.usage(dev) + 1);
        return devmActionOrReset(k, dev, "pm_runtime_put_noidle_action");
    }

    /**
     * int pm_runtime_force_suspend(struct device *dev): for system sleep callbacks; runtime PM
     * disabled and the runtime suspend callback run unless already suspended (no wake IRQs here).
     */
    @KernelSymbol("pm_runtime_force_suspend")
    static int pmRuntimeForceSuspend(KernelContext k, long dev) {
        Runtime r = of(k);
        pmRuntimeDisable(k, dev, true);
        if (r.status(dev) == r.rpm("RPM_SUSPENDED")) {
            return 0;
        }
        long cb = r.callback(dev, "runtime_suspend");
        int ret = cb == 0 ? 0 : (int) k.call(cb, dev);
        if (ret != 0) {
            pmRuntimeEnable(k, dev);
            return ret;
        }
        // pm_runtime_need_not_resume()
        if (r.usage(dev) <= 1 && (r.children(dev) == 0 || r.ignoreChildren(dev))) {
            pmRuntimeSetStatus(k, dev, r.rpm("RPM_SUSPENDED"));
        } else {
            r.setStatus(dev, r.rpm("RPM_SUSPENDED"));
            r.setFlag(dev, NEEDS_FORCE_RESUME, true);
        }
        return 0;
    }

    /** int pm_runtime_force_resume(struct device *dev): undoes what pm_runtime_force_suspend() left. */
    @KernelSymbol("pm_runtime_force_resume")
    static int pmRuntimeForceResume(KernelContext k, long dev) {
        Runtime r = of(k);
        int ret = 0;
        if (r.status(dev) == r.rpm("RPM_SUSPENDED") && r.flag(dev, NEEDS_FORCE_RESUME)) {
            r.setStatus(dev, r.rpm("RPM_ACTIVE"));
            long cb = r.callback(dev, "runtime_resume");
            ret = cb == 0 ? 0 : (int) k.call(cb, dev);
            if (ret != 0) {
                pmRuntimeSetStatus(k, dev, r.rpm("RPM_SUSPENDED"));
            } else {
                r.markLastBusy(dev);
            }
        }
        r.setFlag(dev, NEEDS_FORCE_RESUME, false);
        pmRuntimeEnable(k, dev);
        return ret;
    }

    /** {@code pm_runtime_reinit()}: after a driver unbinds, a disabled device goes back to suspended. */
    public static void reinit(KernelContext k, long dev) {
        Runtime r = of(k);
        if (r.disableDepth(dev) == 0) {
            return;
        }
        if (r.status(dev) == r.rpm("RPM_ACTIVE")) {
            pmRuntimeSetStatus(k, dev, r.rpm("RPM_SUSPENDED"));
        }
        if (r.flag(dev, IRQ_SAFE)) {
            r.setFlag(dev, IRQ_SAFE, false);
            long parent = r.parent(dev);
            if (parent != 0) {
                r.putAsync(parent);
            }
        }
        r.setFlag(dev, NEEDS_FORCE_RESUME, false);
    }

    /** {@code pm_runtime_remove()}, from {@code device_del()}. */
    public static void remove(KernelContext k, long dev) {
        pmRuntimeDisable(k, dev, false);
        Runtime r = of(k);
        Runnable w = r.works.remove(dev);
        if (w != null && k.scheduler().dequeueWork(w)) {
            w.run();
        }
        reinit(k, dev);
    }
}
