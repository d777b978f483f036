package dev.kmodemu.kstubs.fs;

import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * fs/proc/proc_net.c: the per-namespace {@code /proc/net} directory and the entries modules create
 * in it with {@code proc_create_net_data()} and {@code proc_create_net_single()}. There is one
 * network namespace (init_net); its {@code net->proc_net} is the directory {@code /proc/net}
 * (on the real system a symlink to {@code self/net}, which for every process of init_net is that
 * same directory), and its {@code net->proc_net_stat} is {@code /proc/net/stat}. The directory's
 * data is the namespace, as {@code PDE_NET()} reads it; opening an entry puts the namespace in the
 * {@code struct seq_net_private} at the start of the iterator's private state (seq_open_net()).
 */
public final class ProcNet {
    private ProcNet() {
    }

    /** {@code FMODE_WRITE}. */
    private static final int FMODE_WRITE = 0x2;

    /**
     * {@code proc_net_ns_init()} for init_net: makes {@code /proc/net} and {@code /proc/net/stat}
     * and stores them in {@code net->proc_net} and {@code net->proc_net_stat}.
     */
    public static void boot(KernelContext k, long net) {
        Procfs fs = Procfs.of(k);
        long dir = fs.mkdir("net", 0555, 0, net, "proc_net_ns_init");
        fs.byHandle.get(dir).permanent = true;
        long stat = fs.mkdir("stat", 0555, dir, 0, "proc_net_ns_init");
        fs.byHandle.get(stat).permanent = true;
        k.mem().write64(net + k.off("net_proc_net"), dir);
        k.mem().write64(net + k.off("net_proc_net_stat"), stat);
    }

    /**
     * struct proc_dir_entry *proc_create_net_data(const char *name, umode_t mode,
     * struct proc_dir_entry *parent, const struct seq_operations *ops, unsigned int state_size, void *data)
     */
    @KernelSymbol("proc_create_net_data")
    static long procCreateNetData(KernelContext k, long name, int mode, long parent, long ops, int stateSize,
            long data) {
        Procfs fs = Procfs.of(k);
        long h = fs.createReg(fs.str(name), mode & 0xffff, parent, k.sym("proc_net_seq_ops"), data,
                "proc_create_net_data");
        if (h != 0) {
            Procfs.Pde p = fs.byHandle.get(h);
            p.seqOps = ops;
            p.stateSize = Integer.toUnsignedLong(stateSize);
        }
        return h;
    }

    /**
     * struct proc_dir_entry *proc_create_net_single(const char *name, umode_t mode,
     * struct proc_dir_entry *parent, int (*show)(struct seq_file *, void *), void *data)
     */
    @KernelSymbol("proc_create_net_single")
    static long procCreateNetSingle(KernelContext k, long name, int mode, long parent, long show, long data) {
        Procfs fs = Procfs.of(k);
        long h = fs.createReg(fs.str(name), mode & 0xffff, parent, k.sym("proc_net_single_ops"), data,
                "proc_create_net_single");
        if (h != 0) {
            fs.byHandle.get(h).singleShow = show;
        }
        return h;
    }

    /** {@code static const struct proc_ops proc_net_seq_ops}. */
    @KernelData(value = "proc_net_seq_ops", section = Machine.Section.RODATA, sizeOf = "proc_ops_sizeof")
    static void procNetSeqOps(KernelContext k, long at) {
        Procfs.procOps(k, at, "seq_open_net", "seq_read_iter", "seq_lseek", "seq_release_net");
    }

    /** {@code static const struct proc_ops proc_net_single_ops}. */
    @KernelData(value = "proc_net_single_ops", section = Machine.Section.RODATA, sizeOf = "proc_ops_sizeof")
    static void procNetSingleOps(KernelContext k, long at) {
        Procfs.procOps(k, at, "single_open_net", "seq_read_iter", "seq_lseek", "single_release_net");
    }

    /** {@code PDE_NET()}: the namespace is the data of the entry's parent directory. */
    private static long pdeNet(Procfs.Pde de) {
        return de.parent == null ? 0 : de.parent.data;
    }

    /** {@code get_net()}/{@code put_net()}: init_net's reference count (it never drops to zero). */
    private static void refNet(KernelContext k, long net, int delta) {
        long at = net + k.off("net_ns_refcnt");
        k.mem().write32(at, k.mem().read32(at) + delta);
    }

    /** static int seq_open_net(struct inode *inode, struct file *file) */
    @KernelSymbol(value = "seq_open_net", internal = true)
    static int seqOpenNet(KernelContext k, long inode, long file) {
        Procfs.Pde de = Procfs.of(k).byInode(inode);
        if (de.stateSize < k.off("seq_net_private_sizeof")) {
            dev.kmodemu.kstubs.kernel.Oops.warn(k, "fs/proc/proc_net.c:75", "seq_open_net", null);
        }
        if ((k.mem().read32(file + k.off("file_f_mode")) & FMODE_WRITE) != 0
                && k.mem().read64(de.procOps + k.off("proc_ops_proc_write")) == 0) {
            return -Errno.EACCES;
        }
        long net = pdeNet(de);
        if (net == 0) {
            return -Errno.ENXIO;
        }
        long p = SeqFile.openPrivate(k, file, de.seqOps, de.stateSize);
        if (p == 0) {
            return -Errno.ENOMEM;
        }
        k.mem().write64(p + k.off("seq_net_private_net"), net);
        refNet(k, net, 1); // get_proc_net()
        return 0;
    }

    /** static int seq_release_net(struct inode *ino, struct file *f) */
    @KernelSymbol(value = "seq_release_net", internal = true)
    static int seqReleaseNet(KernelContext k, long inode, long file) {
        long m = k.mem().read64(file + k.off("file_private_data"));
        refNet(k, k.mem().read64(k.mem().read64(m + k.off("seq_file_private")) + k.off("seq_net_private_net")), -1);
        return SeqFile.releasePrivate(k, inode, file);
    }

    /** static int single_open_net(struct inode *inode, struct file *file): the show's private is the namespace. */
    @KernelSymbol(value = "single_open_net", internal = true)
    static int singleOpenNet(KernelContext k, long inode, long file) {
        Procfs.Pde de = Procfs.of(k).byInode(inode);
        long net = pdeNet(de);
        if (net == 0) {
            return -Errno.ENXIO;
        }
        return SeqFile.singleOpen(k, file, de.singleShow, net);
    }

    /** static int single_release_net(struct inode *ino, struct file *f) */
    @KernelSymbol(value = "single_release_net", internal = true)
    static int singleReleaseNet(KernelContext k, long inode, long file) {
        return (int) k.call(k.sym("single_release"), inode, file);
    }
}
