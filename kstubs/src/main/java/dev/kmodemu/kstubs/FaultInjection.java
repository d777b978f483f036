package dev.kmodemu.kstubs;

import dev.kmodemu.firmware.CallFrame;
import dev.kmodemu.firmware.Kallsyms;
import dev.kmodemu.firmware.Stub;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fault injection into the kernel functions module code calls, as the kernel's fault-injection
 * framework does it with {@code failslab}, {@code fail_page_alloc} and {@code fail_usercopy}
 * ({@code lib/fault-inject.c}, {@code mm/failslab.c}, {@code lib/fault-inject-usercopy.c}), plus
 * registrations, which the kernel's framework does not cover: {@code misc_register()} answering
 * {@code -EBUSY}, {@code proc_create()} NULL, {@code class_create()} {@code ERR_PTR(-ENOMEM)}. A
 * failing call does nothing and returns what the real function returns on its earliest failure
 * (a failed {@code copy_from_user()} zeroes the destination and reports every byte uncopied, as
 * {@code _copy_from_user()} does when {@code should_fail_usercopy()} says so).
 *
 * <p>Which calls fail is up to a {@link Plan}, asked at every fail point module code reaches (calls
 * from the kernel's own Java code never fail): the fuzzer's input decides, call by call, as
 * {@code fail-nth} does for one task. Debian's kernel is built without
 * {@code CONFIG_FAULT_INJECTION}; this is the emulator's facility, off unless a plan is set.
 */
public final class FaultInjection {
    /** What kind of fail point a kernel function is. */
    public enum Kind {
        /** Slab and vmalloc allocations: NULL (failslab, fail_page_alloc). */
        ALLOC,
        /** User copies: nothing copied, {@code -EFAULT} (fail_usercopy). */
        USERCOPY,
        /** Registrations: an error code, NULL or an ERR_PTR. */
        REGISTER
    }

    /**
     * A kernel function that can be made to fail.
     *
     * @param symbol the function
     * @param kind what kind of fail point
     * @param errnos the errors it fails with (positive; the plan picks one)
     * @param how what a failure returns
     */
    public record Point(String symbol, Kind kind, int[] errnos, Failure how) {
    }

    /** What a failing call returns and does, for errno {@code errno}. */
    @FunctionalInterface
    public interface Failure {
        long fail(KernelContext k, CallFrame f, int errno);
    }

    /** Decides which fail points fail. */
    @FunctionalInterface
    public interface Plan {
        /**
         * The {@code index}-th fail point (from 0) module code reached since the plan was set:
         * 0 lets the call run, {@code n > 0} makes it fail with {@code errnos[(n - 1) % errnos.length]}.
         */
        int decide(int index, Point point);
    }

    /** A failure that was injected: the call, who made it, the errno. */
    public record Injected(int index, String symbol, String caller, int errno) {
        @Override
        public String toString() {
            return "#" + index + " " + symbol + " from " + caller + ": " + (errno == 0 ? "fails" : Errno.name(errno));
        }
    }

    private static final Failure NULL = (k, f, e) -> 0;
    private static final Failure ERR_PTR = (k, f, e) -> -e;
    private static final Failure ERRNO = (k, f, e) -> -e;
    private static final int[] NOMEM = {Errno.ENOMEM};

    /** Every fail point, by symbol. */
    static final Map<String, Point> POINTS = new HashMap<>();

    private static void add(Kind kind, Failure how, int[] errnos, String... symbols) {
        for (String s : symbols) {
            POINTS.put(s, new Point(s, kind, errnos, how));
        }
    }

    static {
        add(Kind.ALLOC, NULL, NOMEM, "__kmalloc", "kmalloc_trace", "kmalloc_large", "__kmalloc_node",
                "kmalloc_node_trace", "kmem_cache_alloc", "krealloc", "kmemdup", "kmemdup_nul", "kstrdup",
                "kstrndup", "kstrdup_const", "kasprintf", "kvasprintf", "kvasprintf_const", "__vmalloc", "vmalloc",
                "vzalloc", "kvmalloc_node", "cdev_alloc");
        add(Kind.ALLOC, ERR_PTR, NOMEM, "memdup_user", "memdup_user_nul", "vmemdup_user", "strndup_user",
                "kthread_create_on_node");
        add(Kind.USERCOPY, (k, f, e) -> {
            // _copy_from_user(): nothing copied, the destination zeroed, n returned
            k.mem().fill(f.arg(0), f.arg(2), (byte) 0);
            return f.arg(2);
        }, new int[] {Errno.EFAULT}, "_copy_from_user");
        add(Kind.USERCOPY, (k, f, e) -> f.arg(2), new int[] {Errno.EFAULT}, "_copy_to_user");
        add(Kind.USERCOPY, ERRNO, new int[] {Errno.EFAULT}, "strncpy_from_user", "simple_write_to_buffer",
                "simple_read_from_buffer", "kstrtoint_from_user", "kstrtouint_from_user", "kstrtol_from_user",
                "kstrtoul_from_user", "kstrtoll_from_user", "kstrtoull_from_user", "kstrtobool_from_user",
                "kstrtou8_from_user", "kstrtos8_from_user", "kstrtou16_from_user", "kstrtos16_from_user");
        add(Kind.REGISTER, NULL, NOMEM, "proc_create", "proc_create_data", "proc_create_seq_private",
                "proc_create_single_data", "proc_mkdir", "proc_mkdir_data", "proc_mkdir_mode", "proc_symlink",
                "kobject_create_and_add", "alloc_workqueue");
        add(Kind.REGISTER, ERR_PTR, NOMEM, "debugfs_create_dir", "debugfs_create_file_size");
        add(Kind.REGISTER, ERR_PTR, new int[] {Errno.ENOMEM, Errno.EEXIST}, "__class_create", "device_create",
                "device_create_with_groups");
        add(Kind.REGISTER, ERRNO, new int[] {Errno.EBUSY, Errno.ENOMEM, Errno.EEXIST}, "misc_register",
                "__register_chrdev");
        add(Kind.REGISTER, ERRNO, new int[] {Errno.EBUSY, Errno.ENOMEM}, "register_chrdev_region",
                "alloc_chrdev_region", "request_threaded_irq");
        add(Kind.REGISTER, ERRNO, new int[] {Errno.ENOMEM, Errno.EEXIST}, "cdev_add", "cdev_device_add",
                "device_add", "__class_register", "sysfs_create_file_ns", "sysfs_create_groups", "sysfs_create_link",
                "device_create_file", "class_create_file_ns");
    }

    /** The fail point of a kernel function, or null. */
    public static Point point(String symbol) {
        return POINTS.get(symbol);
    }

    private final KernelContext k;
    private Plan plan;
    private int hits;
    private final List<Injected> injected = new ArrayList<>();

    FaultInjection(KernelContext k) {
        this.k = k;
    }

    /** Sets the plan (null: no faults) and starts counting fail points from 0. */
    public void plan(Plan p) {
        plan = p;
        hits = 0;
        injected.clear();
    }

    /** Fail points module code reached since the plan was set. */
    public int hits() {
        return hits;
    }

    /** The failures injected since the plan was set, in order. */
    public List<Injected> injected() {
        return List.copyOf(injected);
    }

    /** Wraps {@code stub} if {@code symbol} is a fail point. */
    static Stub wrap(KernelContext k, String symbol, Stub stub) {
        Point p = POINTS.get(symbol);
        if (p == null) {
            return stub;
        }
        return frame -> {
            FaultInjection fi = k.faults();
            Plan plan = fi.plan;
            if (plan == null) {
                return stub.call(frame);
            }
            Kallsyms.Lookup caller = k.machine().kallsyms().lookup(frame.returnAddress());
            if (caller == null || caller.module() == null) {
                return stub.call(frame);
            }
            int index = fi.hits++;
            int choice = plan.decide(index, p);
            if (choice <= 0) {
                return stub.call(frame);
            }
            int errno = p.errnos()[(choice - 1) % p.errnos().length];
            fi.injected.add(new Injected(index, p.symbol(), k.machine().kallsyms().symbolize(frame.returnAddress(),
                    true), errno));
            return p.how().fail(k, frame, errno);
        };
    }
}
