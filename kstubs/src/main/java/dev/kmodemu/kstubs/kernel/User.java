package dev.kmodemu.kstubs.kernel;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;

/**
 * kernel/user.c: {@code init_user_ns} (identity uid, gid and project id maps over the whole 32-bit
 * range, as the kernel initialises it) and {@code root_user}.
 */
public final class User {
    private User() {
    }

    /** One identity extent covering every id: {0, 0, 4294967295}. */
    private static void identity(KernelContext k, long map) {
        AddressSpace m = k.mem();
        m.write32(map + k.off("uid_gid_map_nr_extents"), 1);
        long e = map + k.off("uid_gid_map_extent");
        m.write32(e + k.off("uid_gid_extent_first"), 0);
        m.write32(e + k.off("uid_gid_extent_lower_first"), 0);
        m.write32(e + k.off("uid_gid_extent_count"), -1);
    }

    /** {@code struct user_namespace init_user_ns} (kernel/user.c). */
    @KernelData(value = "init_user_ns", sizeOf = "user_namespace_sizeof", align = 64)
    static void initUserNs(KernelContext k, long at) {
        identity(k, UserNamespace.uidMap(k, at));
        identity(k, UserNamespace.gidMap(k, at));
        identity(k, UserNamespace.projidMap(k, at));
        k.mem().write32(at + k.off("user_namespace_ns_count"), 3);
        k.mem().write32(at + k.off("user_namespace_ns_inum"), (int) k.profile().value("PROC_USER_INIT_INO"));
        k.mem().write64(at + k.off("user_namespace_flags"), k.profile().value("USERNS_INIT_FLAGS"));
    }

    /** {@code struct user_struct root_user}: the root user's accounting, one reference. */
    @KernelData(value = "root_user", sizeOf = "user_struct_sizeof", align = 64)
    static void rootUser(KernelContext k, long at) {
        k.mem().write32(at + k.off("user_struct_count"), 1);
    }
}
