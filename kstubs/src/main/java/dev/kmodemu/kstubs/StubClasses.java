package dev.kmodemu.kstubs;

import java.util.List;

/** Every class holding kernel symbol implementations, bound into each kernel at boot. */
final class StubClasses {
    private StubClasses() {
    }

    static final List<Class<?>> ALL = List.of(
            dev.kmodemu.kstubs.printk.Printk.class,
            dev.kmodemu.kstubs.time.Clock.class,
            dev.kmodemu.kstubs.mm.Slab.class,
            dev.kmodemu.kstubs.mm.Vmalloc.class,
            dev.kmodemu.kstubs.kernel.Params.class,
            dev.kmodemu.kstubs.kernel.Panic.class,
            dev.kmodemu.kstubs.lib.Kstrtox.class,
            dev.kmodemu.kstubs.lib.Usercopy.class,
            dev.kmodemu.kstubs.fs.Libfs.class,
            dev.kmodemu.kstubs.lib.StringFns.class,
            dev.kmodemu.kstubs.lib.VsprintfStubs.class,
            dev.kmodemu.kstubs.lib.Hexdump.class,
            dev.kmodemu.kstubs.lib.Ctype.class,
            dev.kmodemu.kstubs.mm.Util.class,
            dev.kmodemu.kstubs.lib.StringHelpers.class,
            dev.kmodemu.kstubs.fs.ReadWrite.class,
            dev.kmodemu.kstubs.fs.SeqFile.class,
            dev.kmodemu.kstubs.fs.Procfs.class,
            dev.kmodemu.kstubs.fs.Debugfs.class,
            dev.kmodemu.kstubs.fs.Dcache.class,
            dev.kmodemu.kstubs.fs.Sysfs.class,
            dev.kmodemu.kstubs.lib.ListDebug.class,
            dev.kmodemu.kstubs.locking.Locks.class,
            dev.kmodemu.kstubs.mm.HardenedUsercopy.class,
            dev.kmodemu.kstubs.module.Modules.class,
            dev.kmodemu.kstubs.sched.Core.class,
            dev.kmodemu.kstubs.kernel.Paravirt.class,
            dev.kmodemu.kstubs.time.Timers.class,
            dev.kmodemu.kstubs.time.Hrtimers.class,
            dev.kmodemu.kstubs.time.Timekeeping.class,
            dev.kmodemu.kstubs.time.Delay.class,
            dev.kmodemu.kstubs.kernel.Workqueue.class,
            dev.kmodemu.kstubs.sched.Wait.class,
            dev.kmodemu.kstubs.sched.Completion.class,
            dev.kmodemu.kstubs.kernel.Kthread.class,
            dev.kmodemu.kstubs.lib.Refcount.class,
            dev.kmodemu.kstubs.lib.Ratelimit.class,
            dev.kmodemu.kstubs.lib.Bsearch.class,
            dev.kmodemu.kstubs.lib.Sort.class,
            dev.kmodemu.kstubs.lib.ListSort.class,
            dev.kmodemu.kstubs.lib.FindBit.class,
            dev.kmodemu.kstubs.lib.Bitmap.class,
            dev.kmodemu.kstubs.lib.Hweight.class,
            dev.kmodemu.kstubs.fs.LibfsMemory.class,
            dev.kmodemu.kstubs.lib.Kfifo.class,
            dev.kmodemu.kstubs.lib.Rbtree.class);
}
