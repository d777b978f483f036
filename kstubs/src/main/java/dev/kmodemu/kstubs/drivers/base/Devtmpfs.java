package dev.kmodemu.kstubs.drivers.base;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.fs.CharDev;
import dev.kmodemu.kstubs.fs.Files;
import dev.kmodemu.kstubs.fs.OpenFile;
import dev.kmodemu.kstubs.fs.Vfs;

import java.nio.charset.StandardCharsets;

/**
 * drivers/base/devtmpfs.c: the device nodes under /dev that appear when a device with a number is
 * added and go when it is deleted, named and given a mode by {@code device_get_devnode()} (0600
 * and root by default). Each node has a character-device inode in guest memory ({@code i_rdev},
 * {@code i_fop = &def_chr_fops}), kept until the node is gone and no open file uses it.
 */
public final class Devtmpfs {
    private static final int S_IFCHR = 0020000;

    /** A node devtmpfs made. */
    final class Node implements Vfs.DeviceNode {
        final String path;
        final int devt;
        final int perm;
        final int uid;
        final int gid;
        final long mtime;
        final long inode;
        final long dentry;
        int opened;
        boolean removed;

        Node(String path, int devt, int perm, int uid, int gid) {
            this.path = path;
            this.devt = devt;
            this.perm = perm;
            this.uid = uid;
            this.gid = gid;
            this.mtime = k.clock().nanos();
            AddressSpace m = k.mem();
            inode = k.slab().kmalloc(k.off("inode_sizeof"), 0x100 | 0xcc0);
            m.write16(inode + k.off("inode_i_mode"), S_IFCHR | perm);
            m.write32(inode + k.off("inode_i_uid"), uid);
            m.write32(inode + k.off("inode_i_gid"), gid);
            m.write32(inode + k.off("inode_i_nlink"), 1);
            m.write32(inode + k.off("inode_i_rdev"), devt);
            m.write64(inode + k.off("inode_i_fop"), k.sym("def_chr_fops"));
            CharDev.initInode(k, inode);
            dentry = k.slab().kmalloc(k.off("dentry_sizeof"), 0x100 | 0xcc0);
            String name = path.substring(path.lastIndexOf('/') + 1);
            m.write64(dentry + k.off("dentry_d_name") + k.off("qstr_name"), k.kstrdup(name));
            m.write64(dentry + k.off("dentry_d_name") + k.off("qstr_hash_len"),
                    (long) name.getBytes(StandardCharsets.UTF_8).length << 32);
            m.write64(dentry + k.off("dentry_d_inode"), inode);
            Files.ownInode(k, inode, i -> iput());
        }

        @Override
        public OpenFile open(int flags) {
            opened++;
            try {
                return Files.openInode(k, inode, dentry, flags);
            } catch (Vfs.OpenError e) {
                opened--;
                throw e;
            }
        }

        /** An open file let go of the inode: a removed node's inode goes with its last user. */
        private void iput() {
            if (--opened == 0 && removed) {
                evict(this);
            }
        }

        @Override
        public int mode() {
            return perm;
        }

        @Override
        public boolean block() {
            return false;
        }

        @Override
        public int major() {
            return CharDev.of(k).major(devt);
        }

        @Override
        public int minor() {
            return CharDev.of(k).minor(devt);
        }

        @Override
        public int uid() {
            return uid;
        }

        @Override
        public int gid() {
            return gid;
        }

        @Override
        public long mtime() {
            return mtime;
        }
    }

    private final KernelContext k;

    private Devtmpfs(KernelContext k) {
        this.k = k;
    }

    static Devtmpfs of(KernelContext k) {
        return k.state(Devtmpfs.class, () -> new Devtmpfs(k));
    }

    /**
     * {@code devtmpfs_create_node()}: /dev/NAME for the device, directories included; null if the
     * device has no node name or the name is taken (the kernel's -EEXIST, which device_add()
     * ignores).
     */
    Node createNode(long dev, int devt) {
        Core.Devnode dn = Core.of(k).devnode(dev);
        if (dn == null) {
            return null;
        }
        String path = "/dev/" + dn.name();
        Vfs vfs = k.vfs();
        if (vfs.exists(path) || vfs.isSymlink(path)) {
            return null;
        }
        int perm = dn.mode() == 0 ? 0600 : dn.mode() & 07777;
        Node node = new Node(path, devt, perm, dn.uid(), dn.gid());
        vfs.registerDevice(path, node);
        return node;
    }

    /**
     * {@code devtmpfs_delete_node()}: the node is unlinked if the name the device gives now is its
     * node, then the directories made for it, if empty.
     */
    void deleteNode(long dev, Node node) {
        Core.Devnode dn = Core.of(k).devnode(dev);
        if (dn == null) {
            return;
        }
        String path = "/dev/" + dn.name();
        Vfs vfs = k.vfs();
        if (vfs.device(path) != node) {
            return;
        }
        vfs.remove(path);
        node.removed = true;
        if (node.opened == 0) {
            evict(node);
        }
        for (String d = path.substring(0, path.lastIndexOf('/')); !d.equals("/dev") && vfs.list(d).isEmpty();
                d = d.substring(0, d.lastIndexOf('/'))) {
            vfs.remove(d);
        }
    }

    /** {@code evict()} of a node's inode: {@code cd_forget()}, then inode and dentry are freed. */
    private void evict(Node node) {
        CharDev.cdForget(k, node.inode);
        Files.disownInode(k, node.inode);
        k.slab().kfree(k.mem().read64(node.dentry + k.off("dentry_d_name") + k.off("qstr_name")));
        k.slab().kfree(node.dentry);
        k.slab().kfree(node.inode);
    }
}
