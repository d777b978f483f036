package dev.kmodemu.kstubs.drivers.base;

import dev.kmodemu.kstubs.KernelContext;

/**
 * drivers/base/base.h: the driver core's private structures. They are not in the installed
 * headers (no module can see them), so kmodemu lays out only what the kernel reaches through
 * {@code container_of()} from a kobject or needs in guest memory, in base.h's order:
 * <ul>
 * <li>{@code struct subsys_private} ({@code bus->p}, {@code class->p}): the {@code subsys} kset
 * first, then the {@code glue_dirs} kset of a class, then the bus and class pointers; the klists,
 * notifier chain and interfaces are kept in Java by {@link Bus} and {@link Classes};</li>
 * <li>{@code struct driver_private} ({@code drv->p}): its kobject (/sys/bus/B/drivers/NAME), then
 * the driver pointer ({@code to_driver()});</li>
 * <li>{@code struct device_private} ({@code dev->p}): the device pointer; the rest is {@link Core}'s.</li>
 * </ul>
 */
final class Base {
    private Base() {
    }

    /** sizeof our {@code struct subsys_private}. */
    static int subsysSize(KernelContext k) {
        return 2 * k.off("kset_sizeof") + 16;
    }

    /** {@code &priv->subsys.kobj}. */
    static long subsysKobj(KernelContext k, long priv) {
        return priv + k.off("kset_kobj");
    }

    /** {@code to_subsys_private(kobj)}. */
    static long toSubsysPrivate(KernelContext k, long kobj) {
        return kobj - k.off("kset_kobj");
    }

    /** {@code &priv->glue_dirs}. */
    static long glueDirs(KernelContext k, long priv) {
        return priv + k.off("kset_sizeof");
    }

    static long busAt(KernelContext k, long priv) {
        return priv + 2L * k.off("kset_sizeof");
    }

    static long classAt(KernelContext k, long priv) {
        return busAt(k, priv) + 8;
    }

    /** sizeof our {@code struct driver_private}. */
    static int driverPrivateSize(KernelContext k) {
        return k.off("kobject_sizeof") + 8;
    }

    /** {@code to_driver(kobj)->driver}. */
    static long driverOf(KernelContext k, long kobj) {
        return k.mem().read64(kobj + k.off("kobject_sizeof"));
    }

    /** sizeof our {@code struct device_private}. */
    static final int DEVICE_PRIVATE_SIZE = 8;
}
