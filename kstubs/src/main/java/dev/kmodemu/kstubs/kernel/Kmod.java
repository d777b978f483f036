package dev.kmodemu.kstubs.kernel;

import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.VaList;
import dev.kmodemu.kstubs.module.Modules;
import dev.kmodemu.kstubs.printk.Printk;
import dev.kmodemu.loader.kmod.ModuleIndex;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * kernel/kmod.c: {@code request_module()} runs {@code /sbin/modprobe -q -- NAME} as a user
 * process, here kmodemu's modprobe over the same module directory, in a process of its own
 * ("modprobe") that loads and initialises what it finds.
 */
public final class Kmod {
    private Kmod() {
    }

    /**
     * int __request_module(bool wait, const char *fmt, ...): with {@code wait}, modprobe's exit
     * status in wait(2) form (256 when it failed); without, 0 once it has started (it runs at the
     * next scheduling point).
     */
    @KernelSymbol("__request_module")
    static int requestModule(KernelContext k, boolean wait, long fmt, VaList args) {
        String name = new String(Printk.format(k, fmt, args), StandardCharsets.UTF_8);
        if (name.length() >= k.off("MODULE_NAME_LEN")) {
            return -Errno.ENAMETOOLONG;
        }
        if (!wait) {
            k.scheduler().queueWork(() -> modprobe(k, name));
            return 0;
        }
        return modprobe(k, name) << 8;
    }

    /** {@code request_module(name)} from Java-implemented kernel code: waits; as {@link #requestModule}. */
    public static int requestModule(KernelContext k, String name) {
        if (name.length() >= k.off("MODULE_NAME_LEN")) {
            return -Errno.ENAMETOOLONG;
        }
        return modprobe(k, name) << 8;
    }

    /** One {@code modprobe -q -- name} process; returns its exit status. */
    private static int modprobe(KernelContext k, String name) {
        var t = k.tasks().spawn("modprobe");
        try {
            ModuleIndex.ModprobeResult r = k.modprobe().run(List.of(name),
                    ModuleIndex.ModprobeOptions.defaults().withVerbosity(0));
            return r.exitStatus();
        } catch (Modules.TaskKilled e) {
            return 128 + 9;
        } finally {
            k.tasks().exit(t);
        }
    }
}
