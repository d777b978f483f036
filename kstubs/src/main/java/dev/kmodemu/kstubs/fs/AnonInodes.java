package dev.kmodemu.kstubs.fs;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * fs/anon_inodes.c: files without a path, all on the one anonymous inode (mode 0600, no type
 * bits, as {@code alloc_anon_inode()} makes it). The file holds a reference on its operations'
 * module and their {@code private_data}; its dentry (named "anon_inode:[NAME]" in the kernel) is
 * not modelled, so {@code f_path.dentry} is NULL.
 */
public final class AnonInodes {
    private AnonInodes() {
    }

    private static long inode(KernelContext k) {
        return k.state(AnonInodes.class, () -> {
            long inode = k.slab().kmalloc(k.off("inode_sizeof"), 0x100 | 0xcc0);
            k.mem().write16(inode + k.off("inode_i_mode"), (short) 0600);
            return inode;
        });
    }

    /**
     * struct file *anon_inode_getfile(const char *name, const struct file_operations *fops,
     * void *priv, int flags)
     */
    @KernelSymbol("anon_inode_getfile")
    static long anonInodeGetfile(KernelContext k, long name, long fops, long priv, int flags) {
        AddressSpace m = k.mem();
        if (!Files.fopsGet(k, fops)) {
            return -Errno.ENOENT;
        }
        int f = flags & (Vfs.O_ACCMODE | k.off("O_NONBLOCK"));
        long file = Files.allocFile(k, inode(k), 0, f, fops);
        // alloc_file(): OPEN_FMODE(flags) | FMODE_OPENED, and what the operations can do
        int acc = f & Vfs.O_ACCMODE;
        int mode = k.off("FMODE_OPENED");
        if (acc == Vfs.O_RDONLY || acc == Vfs.O_RDWR) {
            mode |= k.off("FMODE_READ");
            if (m.read64(fops + k.off("file_operations_read")) != 0
                    || m.read64(fops + k.off("file_operations_read_iter")) != 0) {
                mode |= k.off("FMODE_CAN_READ");
            }
        }
        if (acc == Vfs.O_WRONLY || acc == Vfs.O_RDWR) {
            mode |= k.off("FMODE_WRITE");
            if (m.read64(fops + k.off("file_operations_write")) != 0
                    || m.read64(fops + k.off("file_operations_write_iter")) != 0) {
                mode |= k.off("FMODE_CAN_WRITE");
            }
        }
        m.write32(file + k.off("file_f_mode"), mode);
        m.write32(file + k.off("file_f_flags"), f);
        m.write64(file + k.off("file_private_data"), priv);
        return file;
    }

    /** int anon_inode_getfd(const char *name, const struct file_operations *fops, void *priv, int flags) */
    @KernelSymbol("anon_inode_getfd")
    static int anonInodeGetfd(KernelContext k, long name, long fops, long priv, int flags) {
        int fd = FileTable.getUnusedFdFlags(k, flags);
        if (fd < 0) {
            return fd;
        }
        long file = anonInodeGetfile(k, name, fops, priv, flags);
        if (Files.isErr(file)) {
            FileTable.putUnusedFd(k, fd);
            return (int) file;
        }
        FileTable.fdInstall(k, fd, file);
        return fd;
    }
}
