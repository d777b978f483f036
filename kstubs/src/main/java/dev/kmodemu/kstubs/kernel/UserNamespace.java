package dev.kmodemu.kstubs.kernel;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * kernel/user_namespace.c's id mapping ({@code make_kuid()}, {@code from_kuid()}, ... through
 * {@code map_id_range_down()}/{@code map_id_up()} over the namespace's {@code uid_gid_map} in
 * guest memory). Unmapped ids become {@code overflowuid}/{@code overflowgid} in the _munged forms.
 */
public final class UserNamespace {
    private UserNamespace() {
    }

    private static final long NONE = 0xffffffffL;

    /** The extent of {@code map} containing {@code id} in its upper ({@code down}) or lower range, or -1. */
    private static long extent(KernelContext k, long map, long id, boolean down) {
        AddressSpace m = k.mem();
        long n = Integer.toUnsignedLong(m.read32(map + k.off("uid_gid_map_nr_extents")));
        long size = k.profile().value("uid_gid_extent_sizeof");
        boolean base = n <= k.profile().value("UID_GID_MAP_MAX_BASE_EXTENTS");
        long table = base ? map + k.off("uid_gid_map_extent")
                : m.read64(map + k.off(down ? "uid_gid_map_forward" : "uid_gid_map_reverse"));
        for (long i = 0; i < n; i++) {
            long e = table + i * size;
            long first = Integer.toUnsignedLong(m.read32(e + k.off(down ? "uid_gid_extent_first" : "uid_gid_extent_lower_first")));
            long last = (first + Integer.toUnsignedLong(m.read32(e + k.off("uid_gid_extent_count"))) - 1) & NONE;
            if (id >= first && id <= last) {
                return e;
            }
        }
        return -1;
    }

    /** {@code map_id_down()}: an id of the namespace to the kernel's, or (u32)-1. */
    static int mapIdDown(KernelContext k, long map, int id) {
        long e = extent(k, map, Integer.toUnsignedLong(id), true);
        if (e == -1) {
            return -1;
        }
        AddressSpace m = k.mem();
        return id - m.read32(e + k.off("uid_gid_extent_first")) + m.read32(e + k.off("uid_gid_extent_lower_first"));
    }

    /** {@code map_id_up()}: a kernel id to the namespace's, or (u32)-1. */
    static int mapIdUp(KernelContext k, long map, int id) {
        long e = extent(k, map, Integer.toUnsignedLong(id), false);
        if (e == -1) {
            return -1;
        }
        AddressSpace m = k.mem();
        return id - m.read32(e + k.off("uid_gid_extent_lower_first")) + m.read32(e + k.off("uid_gid_extent_first"));
    }

    static long uidMap(KernelContext k, long ns) {
        return ns + k.off("user_namespace_uid_map");
    }

    static long gidMap(KernelContext k, long ns) {
        return ns + k.off("user_namespace_gid_map");
    }

    static long projidMap(KernelContext k, long ns) {
        return ns + k.off("user_namespace_projid_map");
    }

    /** kuid_t make_kuid(struct user_namespace *ns, uid_t uid) */
    @KernelSymbol("make_kuid")
    static int makeKuid(KernelContext k, long ns, int uid) {
        return mapIdDown(k, uidMap(k, ns), uid);
    }

    /** uid_t from_kuid(struct user_namespace *targ, kuid_t kuid) */
    @KernelSymbol("from_kuid")
    static int fromKuid(KernelContext k, long targ, int kuid) {
        return mapIdUp(k, uidMap(k, targ), kuid);
    }

    /** uid_t from_kuid_munged(struct user_namespace *targ, kuid_t kuid): overflowuid if unmapped */
    @KernelSymbol("from_kuid_munged")
    static int fromKuidMunged(KernelContext k, long targ, int kuid) {
        int uid = fromKuid(k, targ, kuid);
        return uid == -1 ? k.mem().read32(k.sym("overflowuid")) : uid;
    }

    /** kgid_t make_kgid(struct user_namespace *ns, gid_t gid) */
    @KernelSymbol("make_kgid")
    static int makeKgid(KernelContext k, long ns, int gid) {
        return mapIdDown(k, gidMap(k, ns), gid);
    }

    /** gid_t from_kgid(struct user_namespace *targ, kgid_t kgid) */
    @KernelSymbol("from_kgid")
    static int fromKgid(KernelContext k, long targ, int kgid) {
        return mapIdUp(k, gidMap(k, targ), kgid);
    }

    /** gid_t from_kgid_munged(struct user_namespace *targ, kgid_t kgid): overflowgid if unmapped */
    @KernelSymbol("from_kgid_munged")
    static int fromKgidMunged(KernelContext k, long targ, int kgid) {
        int gid = fromKgid(k, targ, kgid);
        return gid == -1 ? k.mem().read32(k.sym("overflowgid")) : gid;
    }

    /** kprojid_t make_kprojid(struct user_namespace *ns, projid_t projid) */
    @KernelSymbol("make_kprojid")
    static int makeKprojid(KernelContext k, long ns, int projid) {
        return mapIdDown(k, projidMap(k, ns), projid);
    }

    /** projid_t from_kprojid(struct user_namespace *targ, kprojid_t kprojid) */
    @KernelSymbol("from_kprojid")
    static int fromKprojid(KernelContext k, long targ, int kprojid) {
        return mapIdUp(k, projidMap(k, targ), kprojid);
    }

    /** projid_t from_kprojid_munged(struct user_namespace *targ, kprojid_t kprojid): OVERFLOW_PROJID (65534) if unmapped */
    @KernelSymbol("from_kprojid_munged")
    static int fromKprojidMunged(KernelContext k, long targ, int kprojid) {
        int p = fromKprojid(k, targ, kprojid);
        return p == -1 ? 65534 : p;
    }
}
