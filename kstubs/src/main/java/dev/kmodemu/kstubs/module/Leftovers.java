package dev.kmodemu.kstubs.module;

import dev.kmodemu.kstubs.Finding;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.kernel.Oops;
import dev.kmodemu.kstubs.printk.Printk;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What a module leaves registered when it is unloaded: entries of the kernel's subsystems that
 * still point into the module's memory after its exit ran, found when {@code delete_module()}
 * frees that memory.
 *
 * <p>Each is reported, in the kernel's voice where a debug kernel has one: a timer, hrtimer or
 * work item that lives in the module's memory is what {@code CONFIG_DEBUG_OBJECTS_FREE} catches
 * when the memory is freed ({@code ODEBUG: free active (active state 0) object: ... object type:
 * timer_list hint: ...}, a WARN from lib/debugobjects.c); everything else gets a kmodemu line
 * naming the module, the entry and what of the module it points to. Timers, hrtimers, work items
 * and interrupt handlers are then cancelled (debugobjects' fixup does the same for the first
 * three): left alone they would run code of the freed module, which the real kernel does, to
 * crash later in interrupt context. Proc, debugfs and sysfs entries, character and misc devices
 * stay registered, as on the real kernel (opening or reading them afterwards oopses in the freed
 * module, as there); so do kernel threads, which kmodemu cannot stop from outside.
 *
 * <p>Where the real debug kernel prints the ODEBUG hint, it has already removed the module from
 * kallsyms and prints a bare address; kmodemu reports before that and names the function.
 */
public final class Leftovers {
    private Leftovers() {
    }

    /**
     * Something a subsystem keeps registered on behalf of code: its kind ({@code timer_list},
     * {@code proc entry}, ...), a name for messages, the object the kernel tracks (a
     * {@code struct timer_list}; 0 if none), the function debugobjects would give as its hint, every
     * guest pointer the kernel holds for it (kmemleak's references, the leftover check's test), and
     * how to cancel it (null: it stays).
     */
    public record Registration(String kind, String name, long object, long hint, long[] pointers, Runnable cancel) {
    }

    /**
     * {@code debug_print_object()} (lib/debugobjects.c) in kernel text, where the ODEBUG WARN
     * reports from: kmodemu's kernel is a debug kernel there (Debian's has no debug objects).
     */
    public static void boot(KernelContext k) {
        k.machine().defineCode("debug_print_object", new byte[] {0x0f, 0x0b});
    }

    /** Every registration of every subsystem. */
    public static List<Registration> all(KernelContext k) {
        List<Registration> out = new ArrayList<>();
        Consumer<Registration> c = out::add;
        dev.kmodemu.kstubs.fs.Procfs.of(k).registrations(c);
        dev.kmodemu.kstubs.fs.Debugfs.registrations(k, c);
        dev.kmodemu.kstubs.fs.CharDev.of(k).registrations(c);
        dev.kmodemu.kstubs.drivers.character.Misc.registrations(k, c);
        dev.kmodemu.kstubs.time.Timers.registrations(k, c);
        dev.kmodemu.kstubs.time.Hrtimers.registrations(k, c);
        dev.kmodemu.kstubs.kernel.Workqueue.registrations(k, c);
        dev.kmodemu.kstubs.kernel.Kthread.registrations(k, c);
        dev.kmodemu.kstubs.kernel.irq.Manage.registrations(k, c);
        return out;
    }

    /** {@code debug_objects_maxchecked}-style limit of {@code debug_print_object()}: five reports per boot. */
    private static final int ODEBUG_LIMIT = 5;

    private static final class State {
        int odebugReports;
    }

    /**
     * The check made when {@code mod}'s memory is about to be freed (its exit has run): reports
     * and, for what would run code, cancels every registration pointing into it.
     */
    static void check(KernelContext k, Module mod) {
        for (Registration r : all(k)) {
            long into = 0;
            for (long p : r.pointers()) {
                if (p != 0 && mod.contains(p)) {
                    into = p;
                    break;
                }
            }
            if (into == 0) {
                continue;
            }
            report(k, mod, r, into);
            if (r.cancel() != null) {
                r.cancel().run();
            }
        }
    }

    private static void report(KernelContext k, Module mod, Registration r, long into) {
        Oops.Report rep = Oops.Report.start(k).module(mod.name());
        String title;
        boolean debugObject = r.object() != 0 && mod.contains(r.object())
                && (r.kind().equals("timer_list") || r.kind().equals("hrtimer") || r.kind().equals("work_struct"));
        State s = k.state(Leftovers.class, State::new);
        if (debugObject && s.odebugReports < ODEBUG_LIMIT) {
            s.odebugReports++;
            title = String.format("ODEBUG: free active (active state 0) object: %016x object type: %s hint: %s",
                    Printk.env(k).hashPointer(r.object()) & 0xffffffffL, r.kind(),
                    k.machine().kallsyms().symbolize(r.hint(), true));
            Oops.warn(k, "lib/debugobjects.c:515", "debug_print_object", title, 3);
        } else {
            title = "kmodemu: " + mod.name() + " left " + r.kind() + " " + r.name() + " registered after its exit, "
                    + "pointing into it (" + k.machine().kallsyms().symbolize(into, true) + ")"
                    + (r.cancel() != null ? "; cancelled" : "");
            k.printk(3, title);
        }
        rep.finish(Finding.Type.LEFTOVER, title, 0, null, r.object() == 0 ? null : r.object(), null, false);
    }
}
