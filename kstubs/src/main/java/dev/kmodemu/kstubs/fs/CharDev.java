package dev.kmodemu.kstubs.fs;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.kernel.Oops;
import dev.kmodemu.kstubs.lib.Kobject;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * fs/char_dev.c: character device numbers ({@code chrdevs[]}, the ranges /proc/devices lists),
 * cdevs in guest memory and the {@code cdev_map} (drivers/base/map.c) that {@code chrdev_open()}
 * searches by {@code dev_t}. The kernel's own drivers hold their numbers from boot, as on Debian's
 * 6.1 kernel, so dynamic majors are handed out where the real kernel hands them out.
 */
public final class CharDev {
    /** {@code CHRDEV_MAJOR_HASH_SIZE}. */
    private static final int HASH = 255;

    /** {@code struct char_device_struct}: one registered range of numbers of one major. */
    static final class Region {
        final int major;
        final int baseminor;
        final int minorct;
        final String name;
        long cdev;

        Region(int major, int baseminor, int minorct, String name) {
            this.major = major;
            this.baseminor = baseminor;
            this.minorct = minorct;
            this.name = name;
        }
    }

    /** A {@code struct probe} of the cdev_map: {@code range} numbers from {@code dev} served by {@code cdev}. */
    private record Probe(int dev, int range, long cdev) {
    }

    /**
     * The character device numbers Debian's 6.1 kernel has registered when user space starts
     * (/proc/devices on the real kernel; ranges from the drivers' registration calls), in
     * registration order: major, first minor, count, name.
     */
    private static final Object[][] BOOT_REGIONS = {
        {1, 0, 256, "mem"},
        {4, 0, 1, "/dev/vc/0"},
        {4, 1, 63, "tty"},
        {5, 0, 1, "/dev/tty"},
        {5, 1, 1, "/dev/console"},
        {5, 2, 1, "/dev/ptmx"},
        {7, 0, 256, "vcs"},
        {13, 0, 1024, "input"},
        {29, 0, 256, "fb"},
        {254, 0, 256, "gpiochip"},
        {253, 0, 131072, "tpm"},
        {252, 0, 1 << 20, "dax"},
        {251, 0, 16, "rtc"},
        {250, 0, 16, "pps"},
        {249, 0, 1 << 20, "ptp"},
        {4, 64, 32, "ttyS"},
        {128, 0, 1 << 20, "ptm"},
        {136, 0, 1 << 20, "pts"},
        {248, 0, 32768, "bsg"},
        {153, 0, 256, "spi"},
        {247, 0, 65536, "cxl"},
    };

    /** The block majors of /proc/devices: Debian's kernel in a machine without disks. */
    private static final Object[][] BLOCK_MAJORS = {{259, "blkext"}};

    private final KernelContext k;
    @SuppressWarnings("unchecked")
    private final List<Region>[] chrdevs = new List[HASH];
    /** The cdev_map probes, smallest range first, newest first among equal ranges (kobj_map()). */
    private final List<Probe> cdevMap = new ArrayList<>();
    private final int minorBits;
    private final int majorMax;

    private CharDev(KernelContext k) {
        this.k = k;
        for (int i = 0; i < HASH; i++) {
            chrdevs[i] = new ArrayList<>();
        }
        minorBits = k.off("MINORBITS");
        majorMax = k.off("CHRDEV_MAJOR_MAX");
    }

    /** The character devices of a kernel. */
    public static CharDev of(KernelContext k) {
        return k.state(CharDev.class, () -> new CharDev(k));
    }

    /** Registers the numbers the kernel's own drivers hold; called at boot. */
    public void boot() {
        for (Object[] r : BOOT_REGIONS) {
            Object got = registerRegion((Integer) r[0], (Integer) r[1], (Integer) r[2], (String) r[3]);
            if (!(got instanceof Region)) {
                throw new IllegalStateException("boot chrdev region " + r[3] + " refused: " + got);
            }
        }
    }

    /** {@code MKDEV()}. */
    public int mkdev(int major, int minor) {
        return (major << minorBits) | minor;
    }

    /** {@code MAJOR()}. */
    public int major(int dev) {
        return dev >>> minorBits;
    }

    /** {@code MINOR()}. */
    public int minor(int dev) {
        return dev & ((1 << minorBits) - 1);
    }

    private AddressSpace mem() {
        return k.mem();
    }

    private String str(long p) {
        return mem().readCString(p, 4096);
    }

    // ---------------------------------------------------------------- device numbers

    /** {@code find_dynamic_major()}: a free major, or -EBUSY. */
    private int findDynamicMajor() {
        for (int i = HASH - 1; i >= k.off("CHRDEV_MAJOR_DYN_END"); i--) {
            if (chrdevs[i].isEmpty()) {
                return i;
            }
        }
        for (int i = k.off("CHRDEV_MAJOR_DYN_EXT_START"); i >= k.off("CHRDEV_MAJOR_DYN_EXT_END"); i--) {
            boolean used = false;
            for (Region cd : chrdevs[i % HASH]) {
                used |= cd.major == i;
            }
            if (!used) {
                return i;
            }
        }
        return -Errno.EBUSY;
    }

    /**
     * {@code __register_chrdev_region()}: a {@link Region}, or the negative errno (an Integer).
     * {@code major} and {@code baseminor} are unsigned, {@code minorct} signed, as in C.
     */
    private Object registerRegion(int major, int baseminor, int minorct, String name) {
        if (Integer.compareUnsigned(major, majorMax) >= 0) {
            k.printk(3, "CHRDEV \"" + name + "\" major requested (" + Integer.toUnsignedString(major)
                    + ") is greater than the maximum (" + (majorMax - 1) + ")");
            return -Errno.EINVAL;
        }
        int minormask = (1 << minorBits) - 1;
        if (Integer.compareUnsigned(minorct, minormask + 1 - baseminor) > 0) {
            k.printk(3, "CHRDEV \"" + name + "\" minor range requested (" + Integer.toUnsignedString(baseminor) + "-"
                    + Integer.toUnsignedString(baseminor + minorct - 1) + ") is out of range of maximum range (0-"
                    + minormask + ") for a single major");
            return -Errno.EINVAL;
        }
        if (major == 0) {
            int ret = findDynamicMajor();
            if (ret < 0) {
                k.printk(3, "CHRDEV \"" + name + "\" dynamic allocation region is full");
                return ret;
            }
            major = ret;
        }
        List<Region> chain = chrdevs[major % HASH];
        int at = 0;
        for (; at < chain.size(); at++) {
            Region curr = chain.get(at);
            if (curr.major < major) {
                continue;
            }
            if (curr.major > major) {
                break;
            }
            if (Integer.compareUnsigned(curr.baseminor + curr.minorct, baseminor) <= 0) {
                continue;
            }
            if (Integer.compareUnsigned(curr.baseminor, baseminor + minorct) >= 0) {
                break;
            }
            return -Errno.EBUSY;
        }
        // strlcpy() into char name[64]
        byte[] nb = name.getBytes(StandardCharsets.UTF_8);
        String stored = nb.length < 64 ? name : new String(nb, 0, 63, StandardCharsets.UTF_8);
        Region cd = new Region(major, baseminor, minorct, stored);
        chain.add(at, cd);
        return cd;
    }

    /** {@code __unregister_chrdev_region()}: the region removed, or null. */
    private Region unregisterRegion(int major, int baseminor, int minorct) {
        List<Region> chain = chrdevs[Integer.remainderUnsigned(major, HASH)];
        for (int i = 0; i < chain.size(); i++) {
            Region cd = chain.get(i);
            if (cd.major == major && cd.baseminor == baseminor && cd.minorct == minorct) {
                return chain.remove(i);
            }
        }
        return null;
    }

    /** The next {@code MKDEV(MAJOR(n) + 1, 0)}, unsigned. */
    private int nextMajor(int n) {
        return mkdev(major(n) + 1, 0);
    }

    /** int register_chrdev_region(dev_t from, unsigned count, const char *name) */
    @KernelSymbol("register_chrdev_region")
    static int registerChrdevRegion(KernelContext k, int from, int count, long name) {
        CharDev cd = of(k);
        String n = cd.str(name);
        int to = from + count;
        int next;
        for (int i = from; Integer.compareUnsigned(i, to) < 0; i = next) {
            next = cd.nextMajor(i);
            if (Integer.compareUnsigned(next, to) > 0) {
                next = to;
            }
            Object r = cd.registerRegion(cd.major(i), cd.minor(i), next - i, n);
            if (!(r instanceof Region)) {
                cd.unregisterRange(from, i - from);
                return (Integer) r;
            }
        }
        return 0;
    }

    /** int alloc_chrdev_region(dev_t *dev, unsigned baseminor, unsigned count, const char *name) */
    @KernelSymbol("alloc_chrdev_region")
    static int allocChrdevRegion(KernelContext k, long dev, int baseminor, int count, long name) {
        CharDev cd = of(k);
        Object r = cd.registerRegion(0, baseminor, count, cd.str(name));
        if (!(r instanceof Region region)) {
            return (Integer) r;
        }
        k.mem().write32(dev, cd.mkdev(region.major, region.baseminor));
        return 0;
    }

    /** void unregister_chrdev_region(dev_t from, unsigned count) */
    @KernelSymbol("unregister_chrdev_region")
    static void unregisterChrdevRegion(KernelContext k, int from, int count) {
        of(k).unregisterRange(from, count);
    }

    /** The ranges of {@code count} numbers from {@code from}, one per major, unregistered. */
    private void unregisterRange(int from, int count) {
        int to = from + count;
        int next;
        for (int i = from; Integer.compareUnsigned(i, to) < 0; i = next) {
            next = nextMajor(i);
            if (Integer.compareUnsigned(next, to) > 0) {
                next = to;
            }
            unregisterRegion(major(i), minor(i), next - i);
        }
    }

    /**
     * int __register_chrdev(unsigned int major, unsigned int baseminor, unsigned int count,
     * const char *name, const struct file_operations *fops)
     */
    @KernelSymbol("__register_chrdev")
    public static int registerChrdev(KernelContext k, int major, int baseminor, int count, long name, long fops) {
        CharDev cd = of(k);
        String n = cd.str(name);
        Object r = cd.registerRegion(major, baseminor, count, n);
        if (!(r instanceof Region region)) {
            return (Integer) r;
        }
        long cdev = cdevAlloc(k);
        if (cdev == 0) {
            cd.unregisterRegion(region.major, baseminor, count);
            return -Errno.ENOMEM;
        }
        AddressSpace m = k.mem();
        m.write64(cdev + k.off("cdev_owner"), m.read64(fops + k.off("file_operations_owner")));
        m.write64(cdev + k.off("cdev_ops"), fops);
        m.write64(cdev + k.off("cdev_kobj") + k.off("kobject_name"), k.kstrdup(n));
        int err = cdevAdd(k, cdev, cd.mkdev(region.major, baseminor), count);
        if (err != 0) {
            Kobject.put(k, cdev + k.off("cdev_kobj"));
            cd.unregisterRegion(region.major, baseminor, count);
            return err;
        }
        region.cdev = cdev;
        return major != 0 ? 0 : region.major;
    }

    /** void __unregister_chrdev(unsigned int major, unsigned int baseminor, unsigned int count, const char *name) */
    @KernelSymbol("__unregister_chrdev")
    static void unregisterChrdev(KernelContext k, int major, int baseminor, int count, long name) {
        Region cd = of(k).unregisterRegion(major, baseminor, count);
        if (cd != null && cd.cdev != 0) {
            cdevDel(k, cd.cdev);
        }
    }

    // ---------------------------------------------------------------- cdevs

    private static void initListHead(KernelContext k, long head) {
        k.mem().write64(head + k.off("list_head_next"), head);
        k.mem().write64(head + k.off("list_head_prev"), head);
    }

    /** struct cdev *cdev_alloc(void) */
    @KernelSymbol("cdev_alloc")
    static long cdevAlloc(KernelContext k) {
        long p = k.slab().kmalloc(k.off("cdev_sizeof"), 0x100 | 0xcc0);
        if (p != 0) {
            initListHead(k, p + k.off("cdev_list"));
            Kobject.init(k, p + k.off("cdev_kobj"), k.sym("ktype_cdev_dynamic"));
        }
        return p;
    }

    /** void cdev_init(struct cdev *cdev, const struct file_operations *fops) */
    @KernelSymbol("cdev_init")
    static void cdevInit(KernelContext k, long cdev, long fops) {
        k.mem().fill(cdev, k.off("cdev_sizeof"), (byte) 0);
        initListHead(k, cdev + k.off("cdev_list"));
        Kobject.init(k, cdev + k.off("cdev_kobj"), k.sym("ktype_cdev_default"));
        k.mem().write64(cdev + k.off("cdev_ops"), fops);
    }

    /** int cdev_add(struct cdev *p, dev_t dev, unsigned count) */
    @KernelSymbol("cdev_add")
    public static int cdevAdd(KernelContext k, long p, int dev, int count) {
        AddressSpace m = k.mem();
        m.write32(p + k.off("cdev_dev"), dev);
        m.write32(p + k.off("cdev_count"), count);
        if (dev == k.off("WHITEOUT_DEV")) {
            Oops.warn(k, "fs/char_dev.c:486", "cdev_add", null);
            return -Errno.EBUSY;
        }
        of(k).kobjMap(dev, count, p);
        Kobject.get(k, m.read64(p + k.off("cdev_kobj") + k.off("kobject_parent")));
        return 0;
    }

    /** void cdev_set_parent(struct cdev *p, struct kobject *kobj) */
    @KernelSymbol("cdev_set_parent")
    static void cdevSetParent(KernelContext k, long p, long kobj) {
        k.mem().write64(p + k.off("cdev_kobj") + k.off("kobject_parent"), kobj);
    }

    /** int cdev_device_add(struct cdev *cdev, struct device *dev) */
    @KernelSymbol("cdev_device_add")
    static int cdevDeviceAdd(KernelContext k, long cdev, long dev) {
        int devt = k.mem().read32(dev + k.off("device_devt"));
        if (devt != 0) {
            cdevSetParent(k, cdev, dev + k.off("device_kobj"));
            int rc = cdevAdd(k, cdev, devt, 1);
            if (rc != 0) {
                return rc;
            }
        }
        int rc = (int) k.call(k.sym("device_add"), dev);
        if (rc != 0 && devt != 0) {
            cdevDel(k, cdev);
        }
        return rc;
    }

    /** void cdev_device_del(struct cdev *cdev, struct device *dev) */
    @KernelSymbol("cdev_device_del")
    static void cdevDeviceDel(KernelContext k, long cdev, long dev) {
        k.call(k.sym("device_del"), dev);
        if (k.mem().read32(dev + k.off("device_devt")) != 0) {
            cdevDel(k, cdev);
        }
    }

    /** void cdev_del(struct cdev *p) */
    @KernelSymbol("cdev_del")
    public static void cdevDel(KernelContext k, long p) {
        AddressSpace m = k.mem();
        of(k).kobjUnmap(m.read32(p + k.off("cdev_dev")), m.read32(p + k.off("cdev_count")));
        Kobject.put(k, p + k.off("cdev_kobj"));
    }

    /** {@code kobj_map()}: the probe goes before the first one with a larger range. */
    private void kobjMap(int dev, int range, long cdev) {
        int i = 0;
        while (i < cdevMap.size() && Integer.compareUnsigned(cdevMap.get(i).range(), range) < 0) {
            i++;
        }
        cdevMap.add(i, new Probe(dev, range, cdev));
    }

    /** {@code kobj_unmap()}: the first probe with that start and range. */
    private void kobjUnmap(int dev, int range) {
        for (int i = 0; i < cdevMap.size(); i++) {
            if (cdevMap.get(i).dev() == dev && cdevMap.get(i).range() == range) {
                cdevMap.remove(i);
                return;
            }
        }
    }

    /**
     * {@code kobj_lookup()} on the cdev_map: the cdev of the smallest range holding {@code dev},
     * with the reference its {@code exact_lock()} ({@code cdev_get()}) took; 0 if that fails (no
     * larger range is tried after it) or no cdev holds {@code dev} (the base probe's
     * {@code request_module("char-major-M-N")} finds no module here).
     */
    private long kobjLookup(int dev) {
        for (Probe p : new ArrayList<>(cdevMap)) {
            if (Integer.compareUnsigned(p.dev(), dev) > 0 || Integer.compareUnsigned(p.dev() + p.range() - 1, dev) < 0) {
                continue;
            }
            return cdevGet(k, p.cdev()) ? p.cdev() : 0;
        }
        return 0;
    }

    /**
     * {@code cdev_get()}: a reference on the owner module (through {@code try_module_get()}, on the
     * CPU, so a freed owner faults there as on the real kernel) and on the cdev's kobject.
     */
    private static boolean cdevGet(KernelContext k, long p) {
        AddressSpace m = k.mem();
        long owner = m.read64(p + k.off("cdev_owner"));
        if (owner != 0 && (k.call(k.sym("try_module_get"), owner) & 0xff) == 0) {
            return false;
        }
        long kref = p + k.off("cdev_kobj") + k.off("kobject_kref");
        int v = m.read32(kref);
        if (v == 0) {
            k.call(k.sym("module_put"), owner);
            return false;
        }
        m.write32(kref, v + 1);
        return true;
    }

    /** {@code cdev_put()}. */
    static void cdevPut(KernelContext k, long p) {
        if (p != 0) {
            long owner = k.mem().read64(p + k.off("cdev_owner"));
            Kobject.put(k, p + k.off("cdev_kobj"));
            k.call(k.sym("module_put"), owner);
        }
    }

    /** {@code cdev_purge()}: every inode still pointing at the cdev forgets it. */
    private static void cdevPurge(KernelContext k, long cdev) {
        AddressSpace m = k.mem();
        long head = cdev + k.off("cdev_list");
        int next = k.off("list_head_next");
        while (m.read64(head + next) != head) {
            long entry = m.read64(head + next);
            listDelInit(k, entry);
            m.write64(entry - k.off("inode_i_devices") + k.off("inode_i_cdev"), 0);
        }
    }

    private static void listDelInit(KernelContext k, long entry) {
        AddressSpace m = k.mem();
        long prev = m.read64(entry + k.off("list_head_prev"));
        long next = m.read64(entry + k.off("list_head_next"));
        m.write64(next + k.off("list_head_prev"), prev);
        m.write64(prev + k.off("list_head_next"), next);
        initListHead(k, entry);
    }

    /** {@code cd_forget()}: an inode going away unlinks itself from its cdev. */
    public static void cdForget(KernelContext k, long inode) {
        listDelInit(k, inode + k.off("inode_i_devices"));
        k.mem().write64(inode + k.off("inode_i_cdev"), 0);
    }

    /** {@code INIT_LIST_HEAD(&inode->i_devices)} for a new device inode. */
    public static void initInode(KernelContext k, long inode) {
        initListHead(k, inode + k.off("inode_i_devices"));
    }

    /** static void cdev_default_release(struct kobject *kobj) */
    @KernelSymbol(value = "cdev_default_release", internal = true)
    static void cdevDefaultRelease(KernelContext k, long kobj) {
        long p = kobj - k.off("cdev_kobj");
        long parent = k.mem().read64(kobj + k.off("kobject_parent"));
        cdevPurge(k, p);
        Kobject.put(k, parent);
    }

    /** static void cdev_dynamic_release(struct kobject *kobj) */
    @KernelSymbol(value = "cdev_dynamic_release", internal = true)
    static void cdevDynamicRelease(KernelContext k, long kobj) {
        long p = kobj - k.off("cdev_kobj");
        long parent = k.mem().read64(kobj + k.off("kobject_parent"));
        cdevPurge(k, p);
        k.slab().kfree(p);
        Kobject.put(k, parent);
    }

    private static void ktype(KernelContext k, long at, String release) {
        k.mem().poke(at, new byte[k.off("kobj_type_sizeof")]);
        k.mem().pokeLong(at + k.off("kobj_type_release"), k.sym(release));
    }

    /** {@code static struct kobj_type ktype_cdev_default}. */
    @KernelData(value = "ktype_cdev_default", section = Machine.Section.RODATA, sizeOf = "kobj_type_sizeof")
    static void ktypeCdevDefault(KernelContext k, long at) {
        ktype(k, at, "cdev_default_release");
    }

    /** {@code static struct kobj_type ktype_cdev_dynamic}. */
    @KernelData(value = "ktype_cdev_dynamic", section = Machine.Section.RODATA, sizeOf = "kobj_type_sizeof")
    static void ktypeCdevDynamic(KernelContext k, long at) {
        ktype(k, at, "cdev_dynamic_release");
    }

    // ---------------------------------------------------------------- opening a character special file

    /** {@code const struct file_operations def_chr_fops}: the i_fop of every char device inode. */
    @KernelData(value = "def_chr_fops", section = Machine.Section.RODATA, sizeOf = "file_operations_sizeof")
    static void defChrFops(KernelContext k, long at) {
        k.mem().poke(at, new byte[k.off("file_operations_sizeof")]);
        k.mem().pokeLong(at + k.off("file_operations_open"), k.sym("chrdev_open"));
        k.mem().pokeLong(at + k.off("file_operations_llseek"), k.sym("noop_llseek"));
    }

    /** static int chrdev_open(struct inode *inode, struct file *filp) */
    @KernelSymbol(value = "chrdev_open", internal = true)
    static int chrdevOpen(KernelContext k, long inode, long filp) {
        AddressSpace m = k.mem();
        long p = m.read64(inode + k.off("inode_i_cdev"));
        if (p == 0) {
            long found = of(k).kobjLookup(m.read32(inode + k.off("inode_i_rdev")));
            if (found == 0) {
                return -Errno.ENXIO;
            }
            p = found;
            m.write64(inode + k.off("inode_i_cdev"), p);
            listAdd(k, inode + k.off("inode_i_devices"), p + k.off("cdev_list"));
        } else if (!cdevGet(k, p)) {
            return -Errno.ENXIO;
        }
        long fops = m.read64(p + k.off("cdev_ops"));
        if (!Files.fopsGet(k, fops)) {
            cdevPut(k, p);
            return -Errno.ENXIO;
        }
        Files.replaceFops(k, filp, fops);
        long open = m.read64(fops + k.off("file_operations_open"));
        if (open != 0) {
            int ret = (int) k.call(open, inode, filp);
            if (ret != 0) {
                cdevPut(k, p);
                return ret;
            }
        }
        return 0;
    }

    /** {@code list_add(entry, head)} with CONFIG_DEBUG_LIST's checks. */
    public static void listAdd(KernelContext k, long entry, long head) {
        AddressSpace m = k.mem();
        long next = m.read64(head + k.off("list_head_next"));
        k.call(k.sym("__list_add_valid"), entry, head, next);
        m.write64(next + k.off("list_head_prev"), entry);
        m.write64(entry + k.off("list_head_next"), next);
        m.write64(entry + k.off("list_head_prev"), head);
        m.write64(head + k.off("list_head_next"), entry);
    }

    // ---------------------------------------------------------------- /proc/devices (fs/proc/devices.c)

    /** Character device number regions registered now (what /proc/devices lists, one per region). */
    public int regions() {
        int n = 0;
        for (List<Region> l : chrdevs) {
            n += l.size();
        }
        return n;
    }

    /** {@code chrdev_show()} and {@code blkdev_show()} for every major: the text of /proc/devices. */
    public String procDevices() {
        StringBuilder sb = new StringBuilder("Character devices:\n");
        for (int major = 0; major < majorMax; major++) {
            for (Region cd : chrdevs[major % HASH]) {
                if (cd.major == major) {
                    sb.append(String.format("%3d %s", cd.major, cd.name)).append('\n');
                }
            }
        }
        sb.append("\nBlock devices:\n");
        for (Object[] b : BLOCK_MAJORS) {
            sb.append(String.format("%3d %s", b[0], b[1])).append('\n');
        }
        return sb.toString();
    }
}
