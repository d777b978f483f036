package dev.kmodemu.kstubs.drivers.tty;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.drivers.base.Classes;
import dev.kmodemu.kstubs.drivers.base.Core;
import dev.kmodemu.kstubs.fs.CharDev;
import dev.kmodemu.kstubs.kernel.Oops;
import dev.kmodemu.kstubs.lib.Lists;

import java.nio.charset.StandardCharsets;

/**
 * drivers/tty/tty_io.c: allocating, registering and unregistering tty drivers: their character
 * device region (in /proc/devices), one cdev and one device of the "tty" class per line (in
 * /sys/class/tty, with its /dev node) unless the driver makes its devices itself, the driver list,
 * and the release of the driver when its last reference goes ({@code destruct_tty_driver()}).
 * {@code tty_std_termios} is the kernel's. Opening a tty device is not provided (there is no line
 * discipline or terminal layer behind the nodes): it fails with ENXIO.
 */
public final class TtyIo {
    private TtyIo() {
    }

    private static final int GFP_ZERO = 0xcc0 | 0x100;

    private static long f(KernelContext k, long driver, String field) {
        return driver + k.off("tty_driver_" + field);
    }

    private static int flags(KernelContext k, long driver) {
        return (int) k.mem().read64(f(k, driver, "flags"));
    }

    private static int num(KernelContext k, long driver) {
        return k.mem().read32(f(k, driver, "num"));
    }

    /** {@code static LIST_HEAD(tty_drivers)}. */
    @KernelData(value = "tty_drivers", size = 16)
    static void ttyDrivers(KernelContext k, long at) {
        Lists.pokeInit(k, at);
    }

    /** {@code struct ktermios tty_std_termios}: 38400 baud, 8 bits, canonical with echo, INIT_C_CC. */
    @KernelData(value = "tty_std_termios", sizeOf = "ktermios_sizeof", align = 4)
    static void stdTermios(KernelContext k, long at) {
        AddressSpace m = k.mem();
        m.poke(at, new byte[k.off("ktermios_sizeof")]);
        m.poke(at + k.off("ktermios_c_iflag"), le32(k.off("TERMIOS_STD_IFLAG")));
        m.poke(at + k.off("ktermios_c_oflag"), le32(k.off("TERMIOS_STD_OFLAG")));
        m.poke(at + k.off("ktermios_c_cflag"), le32(k.off("TERMIOS_STD_CFLAG")));
        m.poke(at + k.off("ktermios_c_lflag"), le32(k.off("TERMIOS_STD_LFLAG")));
        // INIT_C_CC: intr ^C, quit ^\, erase DEL, kill ^U, eof ^D, time 0, min 1, swtc 0, start ^Q,
        // stop ^S, susp ^Z, eol 0, reprint ^R, discard ^O, werase ^W, lnext ^V, eol2 0
        m.poke(at + k.off("ktermios_c_cc"), new byte[] {3, 034, 0177, 025, 4, 0, 1, 0, 021, 023, 032, 0, 022, 017,
            027, 026, 0});
        m.poke(at + k.off("ktermios_c_ispeed"), le32(38400));
        m.poke(at + k.off("ktermios_c_ospeed"), le32(38400));
    }

    private static byte[] le32(int v) {
        return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
    }

    /** {@code static const struct file_operations tty_fops}: what every tty cdev opens with. */
    @KernelData(value = "tty_fops", section = Machine.Section.RODATA, sizeOf = "file_operations_sizeof")
    static void ttyFops(KernelContext k, long at) {
        k.mem().poke(at, new byte[k.off("file_operations_sizeof")]);
        k.mem().pokeLong(at + k.off("file_operations_open"), k.sym("tty_open"));
    }

    /** static int tty_open(struct inode *inode, struct file *filp): not provided (see the class comment) */
    @KernelSymbol(value = "tty_open", internal = true)
    static int ttyOpen(KernelContext k, long inode, long filp) {
        return -Errno.ENXIO;
    }

    /** The "tty" class, made a real class when the first driver registers devices. */
    private static long ttyClass(KernelContext k) {
        return k.state(TtyIo.class, () -> {
            if (k.vfs().isDirectory("/sys/class/tty") && k.vfs().list("/sys/class/tty").isEmpty()) {
                k.vfs().remove("/sys/class/tty");
            }
            return Classes.createKernelClass(k, "tty", 0);
        });
    }

    /**
     * struct tty_driver *__tty_alloc_driver(unsigned int lines, struct module *owner, unsigned long flags)
     */
    @KernelSymbol("__tty_alloc_driver")
    static long allocDriver(KernelContext k, int lines, long owner, long flags) {
        if (lines == 0 || ((flags & k.off("TTY_DRIVER_UNNUMBERED_NODE")) != 0 && Integer.compareUnsigned(lines, 1) > 0)) {
            return -Errno.EINVAL;
        }
        AddressSpace m = k.mem();
        long driver = k.slab().kmalloc(k.off("tty_driver_sizeof"), GFP_ZERO);
        if (driver == 0) {
            return -Errno.ENOMEM;
        }
        m.write32(f(k, driver, "kref"), 1);
        m.write32(f(k, driver, "num"), lines);
        m.write64(f(k, driver, "owner"), owner);
        m.write64(f(k, driver, "flags"), flags);
        long n = Integer.toUnsignedLong(lines);
        if ((flags & k.off("TTY_DRIVER_DEVPTS_MEM")) == 0) {
            m.write64(f(k, driver, "ttys"), k.slab().kmalloc(8 * n, GFP_ZERO));
            m.write64(f(k, driver, "termios"), k.slab().kmalloc(8 * n, GFP_ZERO));
        }
        long cdevs = 1;
        if ((flags & k.off("TTY_DRIVER_DYNAMIC_ALLOC")) == 0) {
            m.write64(f(k, driver, "ports"), k.slab().kmalloc(8 * n, GFP_ZERO));
            cdevs = n;
        }
        m.write64(f(k, driver, "cdevs"), k.slab().kmalloc(8 * cdevs, GFP_ZERO));
        return driver;
    }

    private static int devt(KernelContext k, long driver, int index) {
        AddressSpace m = k.mem();
        return CharDev.of(k).mkdev(m.read32(f(k, driver, "major")), m.read32(f(k, driver, "minor_start")) + index);
    }

    /** {@code tty_cdev_add()}: a cdev with {@code tty_fops} for {@code count} lines from {@code index}. */
    private static int cdevAdd(KernelContext k, long driver, int dev, int index, int count) {
        AddressSpace m = k.mem();
        long cdev = k.call(k.sym("cdev_alloc"));
        if (cdev == 0) {
            return -Errno.ENOMEM;
        }
        m.write64(cdev + k.off("cdev_ops"), k.sym("tty_fops"));
        m.write64(cdev + k.off("cdev_owner"), m.read64(f(k, driver, "owner")));
        m.write64(m.read64(f(k, driver, "cdevs")) + 8L * index, cdev);
        int err = CharDev.cdevAdd(k, cdev, dev, count);
        if (err != 0) {
            k.call(k.sym("kobject_put"), cdev + k.off("cdev_kobj"));
        }
        return err;
    }

    /** {@code tty_line_name()}: the driver's name, numbered unless TTY_DRIVER_UNNUMBERED_NODE. */
    private static String lineName(KernelContext k, long driver, int index) {
        AddressSpace m = k.mem();
        String name = k.string(m.read64(f(k, driver, "name")), 64);
        if ((flags(k, driver) & k.off("TTY_DRIVER_UNNUMBERED_NODE")) != 0) {
            return name;
        }
        return name + (index + m.read32(f(k, driver, "name_base")));
    }

    /** struct device *tty_register_device(struct tty_driver *driver, unsigned index, struct device *device) */
    @KernelSymbol("tty_register_device")
    static long registerDevice(KernelContext k, long driver, int index, long device) {
        if (Integer.compareUnsigned(index, num(k, driver)) >= 0) {
            k.printk(3, "tty: Attempt to register invalid tty line number (" + index + ")");
            return -Errno.EINVAL;
        }
        AddressSpace m = k.mem();
        int dev = devt(k, driver, index);
        long d = Core.create(k, ttyClass(k), device, dev, 0, 0, lineName(k, driver, index), true);
        if (Long.compareUnsigned(d, -4095L) >= 0) {
            return d;
        }
        if ((flags(k, driver) & k.off("TTY_DRIVER_DYNAMIC_ALLOC")) == 0) {
            long termios = m.read64(f(k, driver, "termios"));
            long tp = m.read64(termios + 8L * index);
            if (tp != 0) {
                m.write64(termios + 8L * index, 0);
                k.slab().kfree(tp);
            }
            int err = cdevAdd(k, driver, dev, index, 1);
            if (err != 0) {
                Core.deviceDestroy(k, ttyClass(k), dev);
                return err;
            }
        }
        return d;
    }

    /** void tty_unregister_device(struct tty_driver *driver, unsigned index) */
    @KernelSymbol("tty_unregister_device")
    static void unregisterDevice(KernelContext k, long driver, int index) {
        Core.deviceDestroy(k, ttyClass(k), devt(k, driver, index));
        if ((flags(k, driver) & k.off("TTY_DRIVER_DYNAMIC_ALLOC")) == 0) {
            long cdevs = k.mem().read64(f(k, driver, "cdevs"));
            CharDev.cdevDel(k, k.mem().read64(cdevs + 8L * index));
            k.mem().write64(cdevs + 8L * index, 0);
        }
    }

    /** int tty_register_driver(struct tty_driver *driver) */
    @KernelSymbol("tty_register_driver")
    static int registerDriver(KernelContext k, long driver) {
        AddressSpace m = k.mem();
        long name = m.read64(f(k, driver, "name"));
        int major = m.read32(f(k, driver, "major"));
        int minorStart = m.read32(f(k, driver, "minor_start"));
        int n = num(k, driver);
        int dev;
        int err;
        if (major == 0) {
            long devp = k.slab().kmalloc(4, 0xcc0);
            err = (int) k.call(k.sym("alloc_chrdev_region"), devp, minorStart, n, name);
            dev = m.read32(devp);
            k.slab().kfree(devp);
            if (err == 0) {
                CharDev cd = CharDev.of(k);
                m.write32(f(k, driver, "major"), cd.major(dev));
                m.write32(f(k, driver, "minor_start"), cd.minor(dev));
            }
        } else {
            dev = CharDev.of(k).mkdev(major, minorStart);
            err = (int) k.call(k.sym("register_chrdev_region"), dev, n, name);
        }
        if (err < 0) {
            return err;
        }
        if ((flags(k, driver) & k.off("TTY_DRIVER_DYNAMIC_ALLOC")) != 0) {
            err = cdevAdd(k, driver, dev, 0, n);
            if (err != 0) {
                k.call(k.sym("unregister_chrdev_region"), dev, n);
                return err;
            }
        }
        Lists.add(k, f(k, driver, "tty_drivers"), k.sym("tty_drivers"));
        if ((flags(k, driver) & k.off("TTY_DRIVER_DYNAMIC_DEV")) == 0) {
            for (int i = 0; i < n; i++) {
                long d = registerDevice(k, driver, i, 0);
                if (Long.compareUnsigned(d, -4095L) >= 0) {
                    for (i--; i >= 0; i--) {
                        unregisterDevice(k, driver, i);
                    }
                    Lists.del(k, f(k, driver, "tty_drivers"));
                    k.call(k.sym("unregister_chrdev_region"), dev, n);
                    return (int) d;
                }
            }
        }
        m.write64(f(k, driver, "flags"), m.read64(f(k, driver, "flags")) | k.off("TTY_DRIVER_INSTALLED"));
        return 0;
    }

    /** void tty_unregister_driver(struct tty_driver *driver) */
    @KernelSymbol("tty_unregister_driver")
    static void unregisterDriver(KernelContext k, long driver) {
        k.call(k.sym("unregister_chrdev_region"), devt(k, driver, 0), num(k, driver));
        Lists.del(k, f(k, driver, "tty_drivers"));
    }

    /** void tty_driver_kref_put(struct tty_driver *driver): the last reference destructs the driver */
    @KernelSymbol("tty_driver_kref_put")
    static void krefPut(KernelContext k, long driver) {
        AddressSpace m = k.mem();
        int ref = m.read32(f(k, driver, "kref")) - 1;
        m.write32(f(k, driver, "kref"), ref);
        if (ref != 0) {
            return;
        }
        // destruct_tty_driver()
        int n = num(k, driver);
        if ((flags(k, driver) & k.off("TTY_DRIVER_INSTALLED")) != 0) {
            long termios = m.read64(f(k, driver, "termios"));
            for (int i = 0; termios != 0 && i < n; i++) {
                long tp = m.read64(termios + 8L * i);
                if (tp != 0) {
                    m.write64(termios + 8L * i, 0);
                    k.slab().kfree(tp);
                }
                if ((flags(k, driver) & k.off("TTY_DRIVER_DYNAMIC_DEV")) == 0) {
                    unregisterDevice(k, driver, i);
                }
            }
            if ((flags(k, driver) & k.off("TTY_DRIVER_DYNAMIC_ALLOC")) != 0) {
                CharDev.cdevDel(k, m.read64(m.read64(f(k, driver, "cdevs"))));
            }
        }
        k.slab().kfree(m.read64(f(k, driver, "cdevs")));
        k.slab().kfree(m.read64(f(k, driver, "ports")));
        k.slab().kfree(m.read64(f(k, driver, "termios")));
        k.slab().kfree(m.read64(f(k, driver, "ttys")));
        k.slab().kfree(driver);
    }

    /** {@code tty_port_link_device()} (tty_port.c) needs the driver's ports array. */
    static long portsAt(KernelContext k, long driver, int index) {
        if (Integer.compareUnsigned(index, num(k, driver)) >= 0) {
            Oops.warn(k, "drivers/tty/tty_port.c:94", "tty_port_link_device", null);
            return 0;
        }
        return k.mem().read64(f(k, driver, "ports")) + 8L * index;
    }

    /** The /proc/tty/drivers name of a driver (its {@code driver_name}, else its name). */
    static String driverName(KernelContext k, long driver) {
        long dn = k.mem().read64(f(k, driver, "driver_name"));
        return new String(k.mem().readCBytes(dn != 0 ? dn : k.mem().read64(f(k, driver, "name")), 64),
                StandardCharsets.UTF_8);
    }
}
