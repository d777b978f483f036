package dev.kmodemu.kstubs.drivers.character;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.drivers.base.Classes;
import dev.kmodemu.kstubs.drivers.base.Core;
import dev.kmodemu.kstubs.fs.CharDev;
import dev.kmodemu.kstubs.fs.Files;
import dev.kmodemu.kstubs.fs.Procfs;
import dev.kmodemu.kstubs.fs.SeqFile;
import dev.kmodemu.kstubs.kernel.Oops;

import java.util.BitSet;

/**
 * drivers/char/misc.c: misc devices, all on major 10. {@code misc_list} is a guest list of the
 * modules' own {@code struct miscdevice}s (newest first, as /proc/misc shows them), so a module
 * that exits without {@code misc_deregister()} leaves freed memory in it, and whatever walks the
 * list next (/proc/misc, an open, the next registration) faults there as on the real kernel.
 */
public final class Misc {
    /** {@code DYNAMIC_MINORS}: minors 127 down to 0 are handed out for MISC_DYNAMIC_MINOR. */
    private static final int DYNAMIC_MINORS = 128;

    /**
     * The misc devices of Debian's 6.1 kernel in a QEMU machine, in registration order (the
     * reverse of its /proc/misc); -1 marks a dynamic minor.
     */
    private static final Object[][] BOOT_DEVICES = {
        {-1, "vga_arbiter"}, {183, "hw_random"}, {231, "snapshot"}, {-1, "userfaultfd"}, {228, "hpet"},
        {1, "psaux"}, {-1, "cpu_dma_latency"},
    };

    private final KernelContext k;
    private final BitSet minors = new BitSet(DYNAMIC_MINORS);
    private long miscClass;

    private Misc(KernelContext k) {
        this.k = k;
    }

    private static Misc of(KernelContext k) {
        return k.state(Misc.class, () -> new Misc(k));
    }

    /** Every misc device on misc_list, with its miscdevice and file_operations. */
    public static void registrations(KernelContext k, java.util.function.Consumer<dev.kmodemu.kstubs.module.Leftovers.Registration> out) {
        AddressSpace m = k.mem();
        long head = of(k).head();
        int next = k.off("list_head_next");
        for (long lh = m.read64(head + next); lh != head; lh = m.read64(lh + next)) {
            long misc = lh - k.off("miscdevice_list");
            long namePtr = m.read64(misc + k.off("miscdevice_name"));
            String name = namePtr == 0 ? "(null)" : m.readCString(namePtr, 4096);
            out.accept(new dev.kmodemu.kstubs.module.Leftovers.Registration("misc device", name, 0, 0,
                    new long[] {misc, m.read64(misc + k.off("miscdevice_fops"))}, null));
        }
    }

    /**
     * {@code misc_init()}: /proc/misc, the "misc" class, major 10; then the kernel's own misc
     * devices (in sysfs, without /dev nodes: kmodemu has no drivers behind them).
     */
    public static void boot(KernelContext k) {
        Misc mi = of(k);
        Procfs.of(k).createSeq("misc", 0, k.sym("misc_seq_ops"));
        mi.miscClass = Classes.createKernelClass(k, "misc", k.sym("misc_devnode"));
        int err = CharDev.registerChrdev(k, k.off("MISC_MAJOR"), 0, 256, k.kstrdup("misc"), k.sym("misc_fops"));
        if (err != 0) {
            throw new IllegalStateException("misc major: " + err);
        }
        for (Object[] d : BOOT_DEVICES) {
            long misc = k.slab().kmalloc(k.off("miscdevice_sizeof"), 0x100 | 0xcc0);
            int minor = (Integer) d[0];
            k.mem().write32(misc + k.off("miscdevice_minor"), minor < 0 ? k.off("MISC_DYNAMIC_MINOR") : minor);
            k.mem().write64(misc + k.off("miscdevice_name"), k.kstrdup((String) d[1]));
            if (mi.register(misc, false) != 0) {
                throw new IllegalStateException("boot misc device " + d[1]);
            }
        }
    }

    private AddressSpace mem() {
        return k.mem();
    }

    private long head() {
        return k.sym("misc_list");
    }

    private int minorOf(long misc) {
        return mem().read32(misc + k.off("miscdevice_minor"));
    }

    /** {@code static LIST_HEAD(misc_list)}. */
    @KernelData(value = "misc_list", size = 16)
    static void miscList(KernelContext k, long at) {
        k.mem().pokeLong(at + k.off("list_head_next"), at);
        k.mem().pokeLong(at + k.off("list_head_prev"), at);
    }

    /** {@code static const struct file_operations misc_fops}: what major 10's cdev opens with. */
    @KernelData(value = "misc_fops", section = Machine.Section.RODATA, sizeOf = "file_operations_sizeof")
    static void miscFops(KernelContext k, long at) {
        k.mem().poke(at, new byte[k.off("file_operations_sizeof")]);
        k.mem().pokeLong(at + k.off("file_operations_open"), k.sym("misc_open"));
        k.mem().pokeLong(at + k.off("file_operations_llseek"), k.sym("noop_llseek"));
    }

    /** {@code static const struct seq_operations misc_seq_ops}. */
    @KernelData(value = "misc_seq_ops", section = Machine.Section.RODATA, sizeOf = "seq_operations_sizeof")
    static void miscSeqOps(KernelContext k, long at) {
        k.mem().poke(at, new byte[k.off("seq_operations_sizeof")]);
        k.mem().pokeLong(at + k.off("seq_operations_start"), k.sym("misc_seq_start"));
        k.mem().pokeLong(at + k.off("seq_operations_next"), k.sym("misc_seq_next"));
        k.mem().pokeLong(at + k.off("seq_operations_stop"), k.sym("misc_seq_stop"));
        k.mem().pokeLong(at + k.off("seq_operations_show"), k.sym("misc_seq_show"));
    }

    /** {@code misc_register()}; the kernel's own devices get no devtmpfs node. */
    private int register(long misc, boolean devtmpfs) {
        AddressSpace m = mem();
        int dynamic = k.off("MISC_DYNAMIC_MINOR");
        boolean isDynamic = minorOf(misc) == dynamic;
        long list = misc + k.off("miscdevice_list");
        m.write64(list + k.off("list_head_next"), list);
        m.write64(list + k.off("list_head_prev"), list);
        if (isDynamic) {
            int i = minors.nextClearBit(0);
            if (i >= DYNAMIC_MINORS) {
                return -Errno.EBUSY;
            }
            m.write32(misc + k.off("miscdevice_minor"), DYNAMIC_MINORS - i - 1);
            minors.set(i);
        } else {
            int next = k.off("list_head_next");
            for (long lh = m.read64(head() + next); lh != head(); lh = m.read64(lh + next)) {
                if (minorOf(lh - k.off("miscdevice_list")) == minorOf(misc)) {
                    return -Errno.EBUSY;
                }
            }
        }
        int minor = minorOf(misc);
        int devt = CharDev.of(k).mkdev(k.off("MISC_MAJOR"), minor);
        long namePtr = m.read64(misc + k.off("miscdevice_name"));
        String name = namePtr == 0 ? "(null)" : m.readCString(namePtr, 4096);
        long dev = Core.create(k, miscClass, m.read64(misc + k.off("miscdevice_parent")), devt, misc,
                m.read64(misc + k.off("miscdevice_groups")), name, devtmpfs);
        m.write64(misc + k.off("miscdevice_this_device"), dev);
        if (Long.compareUnsigned(dev, -4095L) >= 0) {
            if (isDynamic) {
                int i = DYNAMIC_MINORS - minor - 1;
                if (i >= 0 && i < DYNAMIC_MINORS) {
                    minors.clear(i);
                }
                m.write32(misc + k.off("miscdevice_minor"), dynamic);
            }
            return (int) dev;
        }
        if (devtmpfs) {
            CharDev.listAdd(k, list, head());
        } else {
            // At boot the list is the kernel's own and sound: no need for list_add()'s checks.
            long first = m.read64(head() + k.off("list_head_next"));
            m.write64(list + k.off("list_head_next"), first);
            m.write64(list + k.off("list_head_prev"), head());
            m.write64(first + k.off("list_head_prev"), list);
            m.write64(head() + k.off("list_head_next"), list);
        }
        return 0;
    }

    /** int misc_register(struct miscdevice *misc) */
    @KernelSymbol("misc_register")
    static int miscRegister(KernelContext k, long misc) {
        return of(k).register(misc, true);
    }

    /** void misc_deregister(struct miscdevice *misc) */
    @KernelSymbol("misc_deregister")
    static void miscDeregister(KernelContext k, long misc) {
        Misc mi = of(k);
        AddressSpace m = k.mem();
        int minor = mi.minorOf(misc);
        int i = DYNAMIC_MINORS - minor - 1;
        long list = misc + k.off("miscdevice_list");
        if (m.read64(list + k.off("list_head_next")) == list) {
            Oops.warn(k, "drivers/char/misc.c:247", "misc_deregister", null);
            return;
        }
        // list_del() with CONFIG_DEBUG_LIST, then the poison
        k.call(k.sym("__list_del_entry_valid"), list);
        long prev = m.read64(list + k.off("list_head_prev"));
        long next = m.read64(list + k.off("list_head_next"));
        m.write64(next + k.off("list_head_prev"), prev);
        m.write64(prev + k.off("list_head_next"), next);
        m.write64(list + k.off("list_head_next"), 0xdead000000000100L);
        m.write64(list + k.off("list_head_prev"), 0xdead000000000122L);
        Core.deviceDestroy(k, mi.miscClass, CharDev.of(k).mkdev(k.off("MISC_MAJOR"), minor));
        if (i >= 0 && i < DYNAMIC_MINORS) {
            mi.minors.clear(i);
        }
    }

    /** static int misc_open(struct inode *inode, struct file *file) */
    @KernelSymbol(value = "misc_open", internal = true)
    static int miscOpen(KernelContext k, long inode, long file) {
        Misc mi = of(k);
        AddressSpace m = k.mem();
        int minor = CharDev.of(k).minor(m.read32(inode + k.off("inode_i_rdev")));
        long c = 0;
        long newFops = 0;
        int next = k.off("list_head_next");
        for (long lh = m.read64(mi.head() + next); lh != mi.head(); lh = m.read64(lh + next)) {
            long iter = lh - k.off("miscdevice_list");
            if (mi.minorOf(iter) != minor) {
                continue;
            }
            c = iter;
            long fops = m.read64(iter + k.off("miscdevice_fops"));
            newFops = Files.fopsGet(k, fops) ? fops : 0;
            break;
        }
        // A fixed minor without a device would request_module("char-major-10-N"): no module here.
        if (newFops == 0) {
            return -Errno.ENODEV;
        }
        m.write64(file + k.off("file_private_data"), c);
        Files.replaceFops(k, file, newFops);
        long open = m.read64(newFops + k.off("file_operations_open"));
        return open == 0 ? 0 : (int) k.call(open, inode, file);
    }

    /** static char *misc_devnode(struct device *dev, umode_t *mode) */
    @KernelSymbol(value = "misc_devnode", internal = true)
    static long miscDevnode(KernelContext k, long dev, long mode) {
        AddressSpace m = k.mem();
        long c = m.read64(dev + k.off("device_driver_data"));
        int cmode = m.read16(c + k.off("miscdevice_mode")) & 0xffff;
        if (mode != 0 && cmode != 0) {
            m.write16(mode, cmode);
        }
        long nodename = m.read64(c + k.off("miscdevice_nodename"));
        return nodename == 0 ? 0 : k.kstrdup(m.readCString(nodename, 4096));
    }

    /** static void *misc_seq_start(struct seq_file *seq, loff_t *pos) */
    @KernelSymbol(value = "misc_seq_start", internal = true)
    static long miscSeqStart(KernelContext k, long seq, long pos) {
        return SeqFile.seqListStart(k, of(k).head(), k.mem().read64(pos));
    }

    /** static void *misc_seq_next(struct seq_file *seq, void *v, loff_t *pos) */
    @KernelSymbol(value = "misc_seq_next", internal = true)
    static long miscSeqNext(KernelContext k, long seq, long v, long pos) {
        return SeqFile.seqListNext(k, v, of(k).head(), pos);
    }

    /** static void misc_seq_stop(struct seq_file *seq, void *v) */
    @KernelSymbol(value = "misc_seq_stop", internal = true)
    static void miscSeqStop(KernelContext k, long seq, long v) {
    }

    /** static int misc_seq_show(struct seq_file *seq, void *v) */
    @KernelSymbol(value = "misc_seq_show", internal = true)
    static int miscSeqShow(KernelContext k, long seq, long v) {
        AddressSpace m = k.mem();
        long p = v - k.off("miscdevice_list");
        long name = m.read64(p + k.off("miscdevice_name"));
        SeqFile.puts(k, seq, String.format("%3d %s\n", m.read32(p + k.off("miscdevice_minor")),
                name == 0 ? "" : m.readCString(name, 4096)));
        return 0;
    }
}
