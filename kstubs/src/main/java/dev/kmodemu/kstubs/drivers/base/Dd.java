package dev.kmodemu.kstubs.drivers.base;

import dev.kmodemu.emu.AddressSpace;
import dev.kmodemu.firmware.Machine;
import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelData;
import dev.kmodemu.kstubs.KernelSymbol;
import dev.kmodemu.kstubs.drivers.base.power.Runtime;
import dev.kmodemu.kstubs.fs.Sysfs;
import dev.kmodemu.kstubs.lib.KobjectUevent;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * drivers/base/dd.c: binding devices and drivers. Matching goes through the bus's {@code match()};
 * {@code really_probe()} sets {@code dev->driver}, runs the bus's {@code dma_configure()}, links
 * device and driver in sysfs, calls the bus's or driver's {@code probe()} (its errors logged as
 * the kernel logs them: "DRV: probe of DEV failed with error N", nothing for -ENODEV, -ENXIO and
 * -EPROBE_DEFER), adds the driver's {@code dev_groups}, and on failure undoes it all, releasing the
 * device's managed resources. Removal runs {@code remove()}, then devres, then the unbind uevent.
 *
 * <p>Deferred probing is the kernel's: a device whose probe returned -EPROBE_DEFER waits on the
 * pending list and is retried whenever another device binds. The kernel retries from a work item
 * that, on its one CPU, runs at the binding task's next {@code might_sleep()} (the bus notifier's
 * lock or the bind uevent's allocation), so kmodemu retries right after the trigger, before the
 * "bound" notifications; a retry that would need a device lock held there runs at the next
 * scheduling point instead. Asynchronous probing ({@code PROBE_PREFER_ASYNCHRONOUS}) runs as work
 * at the next scheduling point, as {@code async_schedule_dev()} does.
 */
public final class Dd {
    private final KernelContext k;
    /** {@code deferred_probe_pending_list} and {@code deferred_probe_active_list}. */
    private final List<Long> pending = new ArrayList<>();
    private final ArrayDeque<Long> active = new ArrayDeque<>();
    private int triggerCount;
    private boolean retrying;

    private Dd(KernelContext k) {
        this.k = k;
    }

    static Dd of(KernelContext k) {
        return k.state(Dd.class, () -> new Dd(k));
    }

    private AddressSpace mem() {
        return k.mem();
    }

    private long field(long p, String name) {
        return mem().read64(p + k.off(name));
    }

    private Core core() {
        return Core.of(k);
    }

    private String str(long p) {
        return p == 0 ? "(null)" : mem().readCString(p, 4096);
    }

    /** {@code static DEVICE_ATTR_RO(state_synced)}. */
    @KernelData(value = "dev_attr_state_synced", section = Machine.Section.RODATA, size = 64)
    static void devAttrStateSynced(KernelContext k, long at) {
        Core.deviceAttribute(k, at, "state_synced", 0444, "state_synced_show", null);
    }

    /** {@code static DEVICE_ATTR_WO(coredump)}. */
    @KernelData(value = "dev_attr_coredump", section = Machine.Section.RODATA, size = 64)
    static void devAttrCoredump(KernelContext k, long at) {
        Core.deviceAttribute(k, at, "coredump", 0200, null, "coredump_store");
    }

    /** static ssize_t state_synced_show(struct device *dev, struct device_attribute *attr, char *buf) */
    @KernelSymbol(value = "state_synced_show", internal = true)
    static long stateSyncedShow(KernelContext k, long dev, long attr, long buf) {
        return Core.of(k).showBit(dev, 0x08, false, buf);
    }

    /** static ssize_t coredump_store(struct device *dev, struct device_attribute *attr, const char *buf, size_t count) */
    @KernelSymbol(value = "coredump_store", internal = true)
    static long coredumpStore(KernelContext k, long dev, long attr, long buf, long count) {
        Core c = Core.of(k);
        c.lock(dev);
        long drv = k.mem().read64(dev + k.off("device_driver"));
        k.call(k.mem().read64(drv + k.off("device_driver_coredump")), dev);
        c.unlock(dev);
        return count;
    }

    // ---------------------------------------------------------------- matching and probing

    /** {@code driver_match_device()}: the bus's match(), or 1 without one. */
    static int matchDevice(KernelContext k, long drv, long dev) {
        long bus = k.mem().read64(drv + k.off("device_driver_bus"));
        long match = bus == 0 ? 0 : k.mem().read64(bus + k.off("bus_type_match"));
        return match == 0 ? 1 : (int) k.call(match, dev, drv);
    }

    /** {@code driver_allows_async_probing()}: the driver's probe_type (no "driver_async_probe=" here). */
    private boolean allowsAsync(long drv) {
        int type = mem().read32(drv + k.off("device_driver_probe_type"));
        return type == k.off("PROBE_PREFER_ASYNCHRONOUS");
    }

    /** {@code device_is_bound()}: the device is on its driver's list. */
    boolean isBound(long dev) {
        Core.Dev d = core().priv(dev);
        return d != null && d.bound;
    }

    /** {@code driver_sysfs_add()}: BIND_DRIVER, then the links both ways (and "coredump"). */
    private int sysfsAdd(long dev) {
        notify(dev, "BUS_NOTIFY_BIND_DRIVER");
        long drv = field(dev, "device_driver");
        long drvKobj = field(drv, "device_driver_p");
        long kobj = Core.kobj(k, dev);
        String name = Core.name(k, dev);
        int ret = Sysfs.createLink(k, drvKobj, kobj, name);
        if (ret != 0) {
            return ret;
        }
        ret = Sysfs.createLink(k, kobj, drvKobj, "driver");
        if (ret != 0) {
            Sysfs.removeLink(k, drvKobj, name);
            return ret;
        }
        if (field(drv, "device_driver_coredump") == 0) {
            return 0;
        }
        ret = Sysfs.sysfsCreateFileNs(k, kobj, k.sym("dev_attr_coredump"), 0);
        if (ret != 0) {
            Sysfs.removeLink(k, kobj, "driver");
            Sysfs.removeLink(k, drvKobj, name);
        }
        return ret;
    }

    /** {@code driver_sysfs_remove()}. */
    private void sysfsRemove(long dev) {
        long drv = field(dev, "device_driver");
        if (drv == 0) {
            return;
        }
        long kobj = Core.kobj(k, dev);
        if (field(drv, "device_driver_coredump") != 0) {
            Sysfs.sysfsRemoveFileNs(k, kobj, k.sym("dev_attr_coredump"), 0);
        }
        Sysfs.removeLink(k, field(drv, "device_driver_p"), Core.name(k, dev));
        Sysfs.removeLink(k, kobj, "driver");
    }

    /** {@code driver_bound()}: on the driver's list, deferred devices retried, BOUND_DRIVER, "bind" uevent. */
    private void driverBound(long dev) {
        Core.Dev d = core().priv(dev);
        if (isBound(dev)) {
            k.printk(4, "driver_bound: device " + Core.name(k, dev) + " already bound");
            return;
        }
        long drv = field(dev, "device_driver");
        Driver.of(k).bind(drv, dev);
        d.bound = true;
        mem().write32(dev + k.off("device_links_status"), k.off("DL_DEV_DRIVER_BOUND"));
        deferredDel(dev);
        trigger();
        notify(dev, "BUS_NOTIFY_BOUND_DRIVER");
        KobjectUevent.uevent(k, Core.kobj(k, dev), k.off("KOBJ_BIND"));
    }

    /** {@code device_unbind_cleanup()}: devres released, no driver, no driver data. */
    private void unbindCleanup(long dev) {
        Devres.releaseAll(k, dev);
        mem().write64(dev + k.off("device_driver"), 0);
        mem().write64(dev + k.off("device_driver_data"), 0);
        mem().write32(dev + k.off("device_links_status"), k.off("DL_DEV_NO_DRIVER"));
        Runtime.reinit(k, dev);
    }

    /** {@code device_remove()}: "state_synced" and the driver's groups go, then remove(). */
    private void deviceRemove(long dev) {
        long kobj = Core.kobj(k, dev);
        long drv = field(dev, "device_driver");
        Sysfs.sysfsRemoveFileNs(k, kobj, k.sym("dev_attr_state_synced"), 0);
        Sysfs.sysfsRemoveGroups(k, kobj, field(drv, "device_driver_dev_groups"));
        long bus = field(dev, "device_bus");
        long busRemove = bus == 0 ? 0 : field(bus, "bus_type_remove");
        if (busRemove != 0) {
            k.call(busRemove, dev);
        } else if (field(drv, "device_driver_remove") != 0) {
            k.call(field(drv, "device_driver_remove"), dev);
        }
    }

    /** {@code call_driver_probe()}: the bus's or driver's probe, its failure logged as the kernel does. */
    private int callDriverProbe(long dev, long drv) {
        long bus = field(dev, "device_bus");
        long busProbe = bus == 0 ? 0 : field(bus, "bus_type_probe");
        int ret = 0;
        if (busProbe != 0) {
            ret = (int) k.call(busProbe, dev);
        } else if (field(drv, "device_driver_probe") != 0) {
            ret = (int) k.call(field(drv, "device_driver_probe"), dev);
        }
        if (ret != 0 && ret != -k.off("EPROBE_DEFER") && ret != -Errno.ENODEV && ret != -Errno.ENXIO) {
            k.printk(4, str(field(drv, "device_driver_name")) + ": probe of " + Core.name(k, dev)
                    + " failed with error " + ret);
        }
        return ret;
    }

    /** {@code dev_has_sync_state()}. */
    private boolean hasSyncState(long dev) {
        long drv = field(dev, "device_driver");
        long bus = field(dev, "device_bus");
        return (drv != 0 && field(drv, "device_driver_sync_state") != 0)
                || (bus != 0 && field(bus, "bus_type_sync_state") != 0);
    }

    /** {@code really_probe()}: 0, a negative errno, or a probe error as a positive number. */
    private int reallyProbe(long dev, long drv) {
        long bus = field(dev, "device_bus");
        if (Devres.any(k, dev)) {
            Core.log(k, 2, dev, "Resources present before probing\n");
            return -Errno.EBUSY;
        }
        mem().write64(dev + k.off("device_driver"), drv);
        mem().write32(dev + k.off("device_links_status"), k.off("DL_DEV_PROBING"));
        long dmaConfigure = bus == 0 ? 0 : field(bus, "bus_type_dma_configure");
        int ret = dmaConfigure == 0 ? 0 : (int) k.call(dmaConfigure, dev);
        if (ret != 0) {
            unbindCleanup(dev);
            return ret;
        }
        ret = sysfsAdd(dev);
        if (ret != 0) {
            k.printk(3, "really_probe: driver_sysfs_add(" + Core.name(k, dev) + ") failed");
            notBound(dev);
            return ret;
        }
        ret = callDriverProbe(dev, drv);
        if (ret != 0) {
            sysfsRemove(dev);
            notBound(dev);
            return -ret;
        }
        ret = Sysfs.sysfsCreateGroups(k, Core.kobj(k, dev), field(drv, "device_driver_dev_groups"));
        if (ret != 0) {
            Core.log(k, 3, dev, "device_add_groups() failed\n");
        } else if (hasSyncState(dev)) {
            ret = Sysfs.sysfsCreateFileNs(k, Core.kobj(k, dev), k.sym("dev_attr_state_synced"), 0);
            if (ret != 0) {
                Core.log(k, 3, dev, "state_synced sysfs add failed\n");
            }
        }
        if (ret != 0) {
            deviceRemove(dev);
            sysfsRemove(dev);
            notBound(dev);
            return ret;
        }
        driverBound(dev);
        return 0;
    }

    /** The failure tail of really_probe(): DRIVER_NOT_BOUND, dma_cleanup(), the unbind cleanup. */
    private void notBound(long dev) {
        long bus = field(dev, "device_bus");
        if (bus != 0) {
            Bus.of(k).notify(bus, k.off("BUS_NOTIFY_DRIVER_NOT_BOUND"), dev);
            long cleanup = field(bus, "bus_type_dma_cleanup");
            if (cleanup != 0) {
                k.call(cleanup, dev);
            }
        }
        unbindCleanup(dev);
    }

    /** {@code __driver_probe_device()}. */
    private int driverProbeDeviceLocked(long drv, long dev) {
        Core.Dev d = core().priv(dev);
        if (d == null || d.dead || !Core.registered(k, dev)) {
            return -Errno.ENODEV;
        }
        if (field(dev, "device_driver") != 0) {
            return -Errno.EBUSY;
        }
        if (!core().readyToProbe(dev)) {
            return Core.errProbe(k, dev, -k.off("EPROBE_DEFER"), "Device not ready to probe\n");
        }
        core().setCanMatch(dev, true);
        long parent = field(dev, "device_parent");
        if (parent != 0) {
            Runtime.getSync(k, parent);
        }
        Runtime.pmRuntimeBarrier(k, dev);
        int ret = reallyProbe(dev, drv);
        Runtime.requestIdle(k, dev);
        if (parent != 0) {
            Runtime.put(k, parent);
        }
        return ret;
    }

    /** {@code driver_probe_device()}: a deferral puts the device on the pending list. */
    private int driverProbeDevice(long drv, long dev) {
        int count = triggerCount;
        int ret = driverProbeDeviceLocked(drv, dev);
        int defer = k.off("EPROBE_DEFER");
        if (ret == -defer || ret == defer) {
            deferredAdd(dev);
            if (count != triggerCount) {
                trigger();
            }
        }
        return ret;
    }

    /**
     * {@code driver_match_device()} as both attach walks take it: a match that asks for deferral
     * makes the device able to match and puts it on the deferred list.
     */
    private int match(long drv, long dev) {
        int ret = matchDevice(k, drv, dev);
        if (ret == -k.off("EPROBE_DEFER")) {
            core().setCanMatch(dev, true);
            deferredAdd(dev);
        }
        return ret;
    }

    /** {@code __device_attach_driver()}: 1 when bound, 0 to try the next driver, <0 to stop. */
    private int attachDriver(long drv, long dev, boolean checkAsync, boolean wantAsync, boolean[] haveAsync) {
        int ret = match(drv, dev);
        if (ret <= 0) {
            return ret;
        }
        boolean async = allowsAsync(drv);
        if (async) {
            haveAsync[0] = true;
        }
        if (checkAsync && async != wantAsync) {
            return 0;
        }
        ret = driverProbeDevice(drv, dev);
        return ret < 0 ? ret : ret == 0 ? 1 : 0;
    }

    /** {@code bus_for_each_drv(dev->bus, NULL, &data, __device_attach_driver)}. */
    private int attachDrivers(long dev, boolean checkAsync, boolean wantAsync, boolean[] haveAsync) {
        long bus = field(dev, "device_bus");
        Bus bs = Bus.of(k);
        for (long drv : bs.driversAfter(bus, 0)) {
            if (bs.hasDriver(bus, drv)) {
                int error = attachDriver(drv, dev, checkAsync, wantAsync, haveAsync);
                if (error != 0) {
                    return error;
                }
            }
        }
        return 0;
    }

    /** {@code __device_attach()}: 1 if bound, 0 if no driver took it, -ENODEV if dead. */
    private int deviceAttachInternal(long dev, boolean allowAsync) {
        Core c = core();
        int ret = 0;
        boolean async = false;
        c.lock(dev);
        try {
            Core.Dev d = c.priv(dev);
            if (d == null || d.dead) {
                return 0;
            }
            if (field(dev, "device_driver") != 0) {
                if (isBound(dev)) {
                    return 1;
                }
                ret = bindDriver(dev);
                if (ret == 0) {
                    return 1;
                }
                mem().write64(dev + k.off("device_driver"), 0);
                return 0;
            }
            long parent = field(dev, "device_parent");
            if (parent != 0) {
                Runtime.getSync(k, parent);
            }
            boolean[] haveAsync = {false};
            ret = attachDrivers(dev, allowAsync, false, haveAsync);
            if (ret == 0 && allowAsync && haveAsync[0]) {
                Core.getDevice(k, dev);
                async = true;
            } else {
                Runtime.requestIdle(k, dev);
            }
            if (parent != 0) {
                Runtime.put(k, parent);
            }
        } finally {
            c.unlock(dev);
        }
        if (async) {
            k.scheduler().queueWork(() -> attachAsync(dev));
        }
        return ret;
    }

    /** {@code __device_attach_async_helper()}. */
    private void attachAsync(long dev) {
        Core c = core();
        c.lock(dev);
        Core.Dev d = c.priv(dev);
        if (d != null && !d.dead && field(dev, "device_driver") == 0) {
            long parent = field(dev, "device_parent");
            if (parent != 0) {
                Runtime.getSync(k, parent);
            }
            attachDrivers(dev, true, true, new boolean[1]);
            Runtime.requestIdle(k, dev);
            if (parent != 0) {
                Runtime.put(k, parent);
            }
        }
        c.unlock(dev);
        Core.putDevice(k, dev);
    }

    /** {@code device_initial_probe()}. */
    static void deviceInitialProbe(KernelContext k, long dev) {
        of(k).deviceAttachInternal(dev, true);
    }

    /** int device_attach(struct device *dev) */
    @KernelSymbol("device_attach")
    static int deviceAttach(KernelContext k, long dev) {
        return of(k).deviceAttachInternal(dev, false);
    }

    /** The device lock, and the parent's when the bus needs it ({@code __device_driver_lock()}). */
    private void driverLock(long dev, long parent) {
        if (parent != 0 && Bus.of(k).needParentLock(dev)) {
            core().lock(parent);
        }
        core().lock(dev);
    }

    private void driverUnlock(long dev, long parent) {
        core().unlock(dev);
        if (parent != 0 && Bus.of(k).needParentLock(dev)) {
            core().unlock(parent);
        }
    }

    /** int device_driver_attach(struct device_driver *drv, struct device *dev) */
    @KernelSymbol("device_driver_attach")
    static int deviceDriverAttach(KernelContext k, long drv, long dev) {
        Dd dd = of(k);
        long parent = dd.field(dev, "device_parent");
        dd.driverLock(dev, parent);
        int ret;
        try {
            ret = dd.driverProbeDeviceLocked(drv, dev);
        } finally {
            dd.driverUnlock(dev, parent);
        }
        if (ret > 0) {
            ret = -ret;
        }
        return ret == -k.off("EPROBE_DEFER") ? -Errno.EAGAIN : ret;
    }

    /** {@code __driver_attach()}: every error is swallowed so the walk goes on. */
    private int driverAttachOne(long dev, long drv) {
        if (match(drv, dev) <= 0) {
            return 0;
        }
        if (allowsAsync(drv)) {
            if (field(dev, "device_driver") == 0) {
                Core.getDevice(k, dev);
                k.scheduler().queueWork(() -> {
                    long parent = field(dev, "device_parent");
                    driverLock(dev, parent);
                    driverProbeDevice(drv, dev);
                    driverUnlock(dev, parent);
                    Core.putDevice(k, dev);
                });
            }
            return 0;
        }
        long parent = field(dev, "device_parent");
        driverLock(dev, parent);
        try {
            driverProbeDevice(drv, dev);
        } finally {
            driverUnlock(dev, parent);
        }
        return 0;
    }

    /** int driver_attach(struct device_driver *drv) */
    @KernelSymbol("driver_attach")
    public static int driverAttach(KernelContext k, long drv) {
        Dd dd = of(k);
        return Bus.of(k).forEachDev(dd.field(drv, "device_driver_bus"), dev -> dd.driverAttachOne(dev, drv));
    }

    /** int device_bind_driver(struct device *dev): {@code dev->driver} set by the caller. */
    @KernelSymbol("device_bind_driver")
    static int deviceBindDriver(KernelContext k, long dev) {
        return of(k).bindDriver(dev);
    }

    private int bindDriver(long dev) {
        int ret = sysfsAdd(dev);
        if (ret == 0) {
            driverBound(dev);
        } else {
            notify(dev, "BUS_NOTIFY_DRIVER_NOT_BOUND");
        }
        return ret;
    }

    /** The device's bus notifier chain told {@code action}, if it is on a bus. */
    private void notify(long dev, String action) {
        long bus = field(dev, "device_bus");
        if (bus != 0) {
            Bus.of(k).notify(bus, k.off(action), dev);
        }
    }

    // ---------------------------------------------------------------- release

    /** {@code __device_release_driver()}: remove(), devres, unbind notifications and uevent. */
    private void releaseDriverLocked(long dev) {
        long drv = field(dev, "device_driver");
        if (drv == 0) {
            return;
        }
        Runtime.getSync(k, dev);
        mem().write32(dev + k.off("device_links_status"), k.off("DL_DEV_UNBINDING"));
        sysfsRemove(dev);
        long bus = field(dev, "device_bus");
        if (bus != 0) {
            Bus.of(k).notify(bus, k.off("BUS_NOTIFY_UNBIND_DRIVER"), dev);
        }
        Runtime.putSync(k, dev);
        deviceRemove(dev);
        long cleanup = bus == 0 ? 0 : field(bus, "bus_type_dma_cleanup");
        if (cleanup != 0) {
            k.call(cleanup, dev);
        }
        unbindCleanup(dev);
        Driver.of(k).unbind(drv, dev);
        Core.Dev d = core().priv(dev);
        if (d != null) {
            d.bound = false;
        }
        if (bus != 0) {
            Bus.of(k).notify(bus, k.off("BUS_NOTIFY_UNBOUND_DRIVER"), dev);
        }
        KobjectUevent.uevent(k, Core.kobj(k, dev), k.off("KOBJ_UNBIND"));
    }

    /** {@code device_release_driver_internal()}. */
    private void releaseDriverInternal(long dev, long drv, long parent) {
        driverLock(dev, parent);
        try {
            if (drv == 0 || drv == field(dev, "device_driver")) {
                releaseDriverLocked(dev);
            }
        } finally {
            driverUnlock(dev, parent);
        }
    }

    /** void device_release_driver(struct device *dev) */
    @KernelSymbol("device_release_driver")
    static void releaseDriver(KernelContext k, long dev) {
        of(k).releaseDriverInternal(dev, 0, 0);
    }

    /** {@code device_driver_detach()}: with the parent locked if the bus wants. */
    static void driverDetach(KernelContext k, long dev) {
        Dd dd = of(k);
        dd.releaseDriverInternal(dev, 0, dd.field(dev, "device_parent"));
    }

    /** {@code driver_detach()}: the devices bound to {@code drv}, the last bound first. */
    static void driverDetachAll(KernelContext k, long drv) {
        Dd dd = of(k);
        for (;;) {
            List<Long> devs = Driver.of(k).devices(drv);
            if (devs.isEmpty()) {
                return;
            }
            long dev = devs.get(devs.size() - 1);
            Core.getDevice(k, dev);
            dd.releaseDriverInternal(dev, drv, dd.field(dev, "device_parent"));
            if (Driver.of(k).bound(drv, dev)) {
                Driver.of(k).unbind(drv, dev);
            }
            Core.putDevice(k, dev);
        }
    }

    // ---------------------------------------------------------------- deferred probing

    /** {@code driver_deferred_probe_add()}: only for a device that can match. */
    private void deferredAdd(long dev) {
        Core.Dev d = core().priv(dev);
        if (d == null || !core().canMatch(dev) || d.onDeferredList) {
            return;
        }
        d.onDeferredList = true;
        pending.add(dev);
        armTimeout();
    }

    /** {@code driver_deferred_probe_del()}: off the lists, the reason forgotten. */
    private void deferredDel(long dev) {
        Core.Dev d = core().priv(dev);
        if (d != null && d.onDeferredList) {
            d.onDeferredList = false;
            pending.remove(dev);
            active.remove(dev);
            d.deferredReason = null;
        }
    }

    static void deferredProbeDel(KernelContext k, long dev) {
        of(k).deferredDel(dev);
    }

    /** {@code driver_deferred_probe_trigger()}: pending devices retried by the deferred-probe work. */
    private void trigger() {
        triggerCount++;
        active.addAll(pending);
        pending.clear();
        if (!retrying) {
            retryDeferred();
        }
    }

    /** {@code deferred_probe_work_func()}: each active device probed again. */
    private void retryDeferred() {
        retrying = true;
        try {
            List<Long> later = new ArrayList<>();
            while (!active.isEmpty()) {
                long dev = active.poll();
                Core.Dev d = core().priv(dev);
                if (d == null) {
                    continue;
                }
                if (locked(dev)) {
                    later.add(dev);
                    continue;
                }
                d.onDeferredList = false;
                Core.getDevice(k, dev);
                d.deferredReason = null;
                Bus.of(k).probeDevice(dev);
                Core.putDevice(k, dev);
            }
            if (!later.isEmpty()) {
                k.scheduler().queueWork(() -> {
                    active.addAll(later);
                    if (!retrying) {
                        retryDeferred();
                    }
                });
            }
        } finally {
            retrying = false;
        }
    }

    /** Whether probing {@code dev} now would wait for a lock the running code holds. */
    private boolean locked(long dev) {
        long owner = k.mem().read64(dev + k.off("device_mutex") + k.off("mutex_owner"));
        long parent = field(dev, "device_parent");
        long parentOwner = parent == 0 ? 0 : k.mem().read64(parent + k.off("device_mutex") + k.off("mutex_owner"));
        return owner != 0 || (parentOwner != 0 && Bus.of(k).needParentLock(dev));
    }

    /** void wait_for_device_probe(void): the deferred and asynchronous probes already ran or are queued. */
    @KernelSymbol("wait_for_device_probe")
    static void waitForDeviceProbe(KernelContext k) {
        k.scheduler().runWork();
    }

    /** {@code int driver_deferred_probe_timeout}: 10 s after boot, 0 once the timeout passed. */
    @KernelData(value = "driver_deferred_probe_timeout", size = 8)
    static void deferredProbeTimeout(KernelContext k, long at) {
        k.mem().poke(at, new byte[] {10, 0, 0, 0});
    }

    /**
     * The kernel's {@code deferred_probe_timeout_work}, due 10 s after boot: the timeout becomes 0,
     * deferred devices are retried once more, and those still pending say so. It is scheduled with
     * the first deferral, the only time its effects can show.
     */
    private void armTimeout() {
        if (timeoutArmed) {
            return;
        }
        timeoutArmed = true;
        long due = 10_000_000_000L;
        if (k.clock().nanos() >= due) {
            timeoutWork();
        } else {
            k.scheduler().at(due, () -> k.scheduler().queueWork(this::timeoutWork));
        }
    }

    private boolean timeoutArmed;

    /** {@code deferred_probe_timeout_work_func()}. */
    private void timeoutWork() {
        k.mem().write32(k.sym("driver_deferred_probe_timeout"), 0);
        trigger();
        for (long dev : List.copyOf(pending)) {
            Core.log(k, 6, dev, "deferred probe pending\n");
        }
    }

    /**
     * int driver_deferred_probe_check_state(struct device *dev): -EPROBE_DEFER until the deferred
     * probe timeout passed, then -ETIMEDOUT with the kernel's warning.
     */
    @KernelSymbol("driver_deferred_probe_check_state")
    static int driverDeferredProbeCheckState(KernelContext k, long dev) {
        if (k.mem().read32(k.sym("driver_deferred_probe_timeout")) == 0) {
            Core.log(k, 4, dev, "deferred probe timeout, ignoring dependency\n");
            return -Errno.ETIMEDOUT;
        }
        of(k).armTimeout();
        return -k.off("EPROBE_DEFER");
    }
}
