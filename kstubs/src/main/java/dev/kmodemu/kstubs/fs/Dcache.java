package dev.kmodemu.kstubs.fs;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/** fs/dcache.c: dentry references. kmodemu's dentries live as long as their file system entry. */
public final class Dcache {
    private Dcache() {
    }

    /** void dput(struct dentry *dentry): drops a reference; the entry itself stays until removed. */
    @KernelSymbol("dput")
    static void dput(KernelContext k, long dentry) {
    }

    /** struct dentry *dget_parent(struct dentry *dentry) */
    @KernelSymbol("dget_parent")
    static long dgetParent(KernelContext k, long dentry) {
        return k.mem().read64(dentry + k.off("dentry_d_parent"));
    }
}
