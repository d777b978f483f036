package dev.kmodemu.kstubs.fs;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.lib.Usercopy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * fs/ioctl.c: {@code ioctl(2)} of 64-bit and 32-bit processes. The commands the VFS answers
 * itself ({@code do_vfs_ioctl()}: FIOCLEX, FIONBIO, FIOASYNC, FIGETBSZ, ...) come first, then the
 * file's {@code unlocked_ioctl} (or {@code compat_ioctl}); a file without one gives -ENOTTY.
 */
public final class Ioctl {
    private Ioctl() {
    }

    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFLNK = 0120000;

    /** {@code _IOC_SIZE()}. */
    private static int iocSize(int cmd) {
        return (cmd >>> 16) & 0x3fff;
    }

    private static int imode(KernelContext k, long file) {
        long inode = k.mem().read64(file + k.off("file_f_inode"));
        return k.mem().read16(inode + k.off("inode_i_mode")) & S_IFMT;
    }

    private static long fop(KernelContext k, long file, String field) {
        long fops = k.mem().read64(file + k.off("file_f_op"));
        return k.mem().read64(fops + k.off("file_operations_" + field));
    }

    /** {@code get_user()} of an int: the value, or null if the user address faults. */
    private static Integer getUserInt(KernelContext k, long p) {
        byte[] b = new byte[4];
        if (Usercopy.copyFromUser(k, b, p) != 0) {
            return null;
        }
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    /** {@code put_user()}/{@code copy_to_user()} of a little-endian value of {@code size} bytes. */
    private static int putUser(KernelContext k, long p, long value, int size) {
        byte[] b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
        return Usercopy.copyToUser(k, p, java.util.Arrays.copyOf(b, size)) == 0 ? 0 : -Errno.EFAULT;
    }

    /** True if {@code n} bytes at user address {@code p} can be copied in. */
    private static boolean readable(KernelContext k, long p, int n) {
        return Usercopy.copyFromUser(k, new byte[n], p) == 0;
    }

    /**
     * {@code s_blocksize} of the file's file system: procfs uses 1024-byte blocks, sysfs, debugfs
     * and devtmpfs a page.
     */
    private static int blockSize(KernelContext k, long file) {
        long inode = k.mem().read64(file + k.off("file_f_inode"));
        return Procfs.of(k).byInode(inode) != null ? 1024 : (int) AddressSpace.PAGE;
    }

    /**
     * static int do_vfs_ioctl(struct file *filp, unsigned int fd, unsigned int cmd, unsigned long arg)
     *
     * <p>There is no descriptor table behind kmodemu's files, so FICLONE-style commands never find
     * their source descriptor (-EBADF); none of the file systems here can freeze, map extents,
     * report file attributes or preallocate.
     */
    @KernelSymbol(value = "do_vfs_ioctl", internal = true)
    static int doVfsIoctl(KernelContext k, long filp, int fd, int cmd, long arg) {
        AddressSpace m = k.mem();
        int mode = imode(k, filp);
        long flagsAt = filp + k.off("file_f_flags");
        if (cmd == k.off("FIOCLEX") || cmd == k.off("FIONCLEX")) {
            return 0;
        }
        if (cmd == k.off("FIONBIO")) {
            Integer on = getUserInt(k, arg);
            if (on == null) {
                return -Errno.EFAULT;
            }
            int flags = m.read32(flagsAt);
            m.write32(flagsAt, on != 0 ? flags | k.off("O_NONBLOCK") : flags & ~k.off("O_NONBLOCK"));
            return 0;
        }
        if (cmd == k.off("FIOASYNC")) {
            Integer on = getUserInt(k, arg);
            if (on == null) {
                return -Errno.EFAULT;
            }
            int flag = on != 0 ? k.off("FASYNC") : 0;
            int error = 0;
            if (((flag ^ m.read32(flagsAt)) & k.off("FASYNC")) != 0) {
                long fasync = fop(k, filp, "fasync");
                error = fasync != 0 ? (int) k.call(fasync, fd, filp, on != 0 ? 1 : 0) : -Errno.ENOTTY;
            }
            return Math.min(error, 0);
        }
        if (cmd == k.off("FIOQSIZE")) {
            if (mode == S_IFDIR || mode == S_IFREG || mode == S_IFLNK) {
                return putUser(k, arg, 0, 8);
            }
            return -Errno.ENOTTY;
        }
        if (cmd == k.off("FIFREEZE") || cmd == k.off("FS_IOC_FIEMAP")) {
            return -Errno.EOPNOTSUPP;
        }
        if (cmd == k.off("FITHAW")) {
            return -Errno.EINVAL;
        }
        if (cmd == k.off("FIGETBSZ")) {
            return putUser(k, arg, blockSize(k, filp), 4);
        }
        if (cmd == k.off("FICLONE")) {
            return -Errno.EBADF;
        }
        if (cmd == (int) k.profile().value("FICLONERANGE")) {
            return readable(k, arg, iocSize(cmd)) ? -Errno.EBADF : -Errno.EFAULT;
        }
        if (cmd == (int) k.profile().value("FIDEDUPERANGE")) {
            if (!readable(k, arg, iocSize(cmd))) {
                return -Errno.EFAULT;
            }
            return mode == S_IFDIR ? -Errno.EISDIR : mode == S_IFREG ? -Errno.EOPNOTSUPP : -Errno.EINVAL;
        }
        if (cmd == k.off("FIONREAD")) {
            if (mode != S_IFREG) {
                return vfsIoctl(k, filp, cmd, arg);
            }
            long inode = m.read64(filp + k.off("file_f_inode"));
            long left = m.read64(inode + k.off("inode_i_size")) - m.read64(filp + k.off("file_f_pos"));
            return putUser(k, arg, left, 4);
        }
        if (cmd == k.off("FS_IOC_GETFLAGS") || cmd == k.off("FS_IOC_FSGETXATTR")) {
            return -k.off("ENOIOCTLCMD");
        }
        if (cmd == k.off("FS_IOC_SETFLAGS") || cmd == k.off("FS_IOC_FSSETXATTR")) {
            return readable(k, arg, iocSize(cmd)) ? -k.off("ENOIOCTLCMD") : -Errno.EFAULT;
        }
        if (mode == S_IFREG) {
            return fileIoctl(k, filp, cmd, arg);
        }
        return -k.off("ENOIOCTLCMD");
    }

    /** {@code file_ioctl()}: FIBMAP and the preallocation commands of regular files. */
    private static int fileIoctl(KernelContext k, long filp, int cmd, long arg) {
        if (cmd == k.off("FIBMAP")) {
            Integer block = getUserInt(k, arg);
            if (block == null) {
                return -Errno.EFAULT;
            }
            if (block < 0) {
                return -Errno.EINVAL;
            }
            // bmap(): none of these file systems has an a_ops->bmap
            return putUser(k, arg, 0, 4) != 0 ? -Errno.EFAULT : -Errno.EINVAL;
        }
        if (cmd == (int) k.profile().value("FS_IOC_RESVSP") || cmd == (int) k.profile().value("FS_IOC_RESVSP64")
                || cmd == (int) k.profile().value("FS_IOC_UNRESVSP")
                || cmd == (int) k.profile().value("FS_IOC_UNRESVSP64")
                || cmd == (int) k.profile().value("FS_IOC_ZERO_RANGE")) {
            return preallocate(k, filp, arg);
        }
        return -k.off("ENOIOCTLCMD");
    }

    /** {@code ioctl_preallocate()} + {@code vfs_fallocate()} on a file without {@code ->fallocate}. */
    private static int preallocate(KernelContext k, long filp, long arg) {
        byte[] sr = new byte[k.off("space_resv_sizeof")];
        if (Usercopy.copyFromUser(k, sr, arg) != 0) {
            return -Errno.EFAULT;
        }
        ByteBuffer b = ByteBuffer.wrap(sr).order(ByteOrder.LITTLE_ENDIAN);
        long start = b.getLong(k.off("space_resv_l_start"));
        long len = b.getLong(k.off("space_resv_l_len"));
        AddressSpace m = k.mem();
        switch (b.getShort(k.off("space_resv_l_whence"))) {
            case OpenFile.SEEK_SET -> {
            }
            case OpenFile.SEEK_CUR -> start += m.read64(filp + k.off("file_f_pos"));
            case OpenFile.SEEK_END -> {
                long inode = m.read64(filp + k.off("file_f_inode"));
                start += m.read64(inode + k.off("inode_i_size"));
            }
            default -> {
                return -Errno.EINVAL;
            }
        }
        if (start < 0 || len <= 0) {
            return -Errno.EINVAL;
        }
        if ((m.read32(filp + k.off("file_f_mode")) & k.off("FMODE_WRITE")) == 0) {
            return -Errno.EBADF;
        }
        if (start + len < 0) {
            return -Errno.EFBIG;
        }
        return -Errno.EOPNOTSUPP;
    }

    /** long vfs_ioctl(struct file *filp, unsigned int cmd, unsigned long arg) */
    @KernelSymbol("vfs_ioctl")
    static int vfsIoctl(KernelContext k, long filp, int cmd, long arg) {
        long ioctl = fop(k, filp, "unlocked_ioctl");
        if (ioctl == 0) {
            return -Errno.ENOTTY;
        }
        int error = (int) k.call(ioctl, filp, Integer.toUnsignedLong(cmd), arg);
        return error == -k.off("ENOIOCTLCMD") ? -Errno.ENOTTY : error;
    }

    /** long compat_ptr_ioctl(struct file *file, unsigned int cmd, unsigned long arg) */
    @KernelSymbol("compat_ptr_ioctl")
    static long compatPtrIoctl(KernelContext k, long file, int cmd, long arg) {
        long ioctl = fop(k, file, "unlocked_ioctl");
        if (ioctl == 0) {
            return -k.off("ENOIOCTLCMD");
        }
        return k.call(ioctl, file, Integer.toUnsignedLong(cmd), arg & 0xffffffffL);
    }

    /**
     * {@code SYSCALL_DEFINE3(ioctl, unsigned int fd, unsigned int cmd, unsigned long arg)}, here
     * with the file the descriptor names.
     */
    @KernelSymbol(value = "__x64_sys_ioctl", internal = true)
    static int sysIoctl(KernelContext k, long file, int cmd, long arg) {
        int error = doVfsIoctl(k, file, Files.FD, cmd, arg);
        if (error == -k.off("ENOIOCTLCMD")) {
            error = vfsIoctl(k, file, cmd, arg);
        }
        return error;
    }

    /**
     * {@code COMPAT_SYSCALL_DEFINE3(ioctl, unsigned int fd, unsigned int cmd, compat_ulong_t arg)},
     * here with the file the descriptor names: a 32-bit process's call.
     */
    @KernelSymbol(value = "__ia32_compat_sys_ioctl", internal = true)
    static int compatSysIoctl(KernelContext k, long file, int cmd, int arg) {
        long uarg = Integer.toUnsignedLong(arg);
        if (cmd == k.off("FICLONE")) {
            return -Errno.EBADF;
        }
        if (cmd == (int) k.profile().value("FS_IOC32_GETFLAGS")) {
            cmd = k.off("FS_IOC_GETFLAGS");
        } else if (cmd == (int) k.profile().value("FS_IOC32_SETFLAGS")) {
            cmd = k.off("FS_IOC_SETFLAGS");
        }
        int error = doVfsIoctl(k, file, Files.FD, cmd, uarg);
        if (error != -k.off("ENOIOCTLCMD")) {
            return error;
        }
        long compat = fop(k, file, "compat_ioctl");
        if (compat != 0) {
            error = (int) k.call(compat, file, Integer.toUnsignedLong(cmd), uarg);
        }
        return error == -k.off("ENOIOCTLCMD") ? -Errno.ENOTTY : error;
    }
}
