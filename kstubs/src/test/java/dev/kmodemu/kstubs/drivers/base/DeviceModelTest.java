package dev.kmodemu.kstubs.drivers.base;

import dev.kmodemu.kstubs.Kernel;
import dev.kmodemu.kstubs.KernelException;
import dev.kmodemu.testmods.TestMods;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the device model's goldens cannot show (the oracle reads files, it does not list
 * directories or read links): the sysfs trees of buses, drivers and devices, their links, what
 * goes at unload, and deferred probing over time. Expected values follow drivers/base/*.c.
 */
class DeviceModelTest {
    Kernel k;

    @BeforeEach
    void boot() {
        k = Kernel.boot();
    }

    @AfterEach
    void close() {
        k.close();
    }

    private String link(String path) {
        return k.context().vfs().readlink(path);
    }

    private void insmod(String dir, String... params) {
        TestMods.Ko ko = TestMods.resolve(dir, dir + ".ko");
        k.insmod(ko.file(), ko.bytes(), String.join(" ", params));
    }

    @Test
    void bootHasTheKernelsBusesAndDirectories() {
        assertTrue(k.list("/sys/bus").containsAll(List.of("i2c", "pci", "platform", "spi")));
        assertEquals(List.of("devices", "drivers", "drivers_autoprobe", "drivers_probe", "rescan", "resource_alignment",
                "slots", "uevent"), k.list("/sys/bus/pci"));
        assertEquals(List.of("dummy"), k.list("/sys/bus/i2c/drivers"));
        assertTrue(k.list("/sys/devices").containsAll(List.of("platform", "system", "virtual")));
        assertEquals(List.of("power", "uevent"), k.list("/sys/devices/platform"));
        assertEquals("", k.read("/sys/devices/platform/uevent"));
        assertTrue(k.exists("/sys/class/i2c-adapter"));
        assertEquals("1\n", k.read("/sys/bus/platform/drivers_autoprobe"));
        assertTrue(Long.parseLong(k.read("/sys/kernel/uevent_seqnum").trim()) > 0);
    }

    @Test
    void busDriverAndDeviceDirectoriesAndTheirLinks() {
        insmod("devbus");
        assertEquals(List.of("devices", "drivers", "drivers_autoprobe", "drivers_probe", "knob", "uevent"),
                k.list("/sys/bus/kmbus"));
        assertEquals(List.of("kmdrv.0", "kmdrv.1", "kmdrv.2", "kmdrv.3", "other.0"), k.list("/sys/bus/kmbus/devices"));
        assertEquals(List.of("bind", "kmdrv.0", "kmdrv.3", "module", "uevent", "unbind", "version"),
                k.list("/sys/bus/kmbus/drivers/kmdrv"));
        assertEquals(List.of("driver", "kind", "power", "state", "subsystem", "uevent"),
                k.list("/sys/devices/kmroot/kmdrv.0"));
        assertEquals(List.of("kind", "power", "subsystem", "uevent"), k.list("/sys/devices/kmroot/kmdrv.1"));
        assertEquals("../../../devices/kmroot/kmdrv.0", link("/sys/bus/kmbus/devices/kmdrv.0"));
        assertEquals("../../../bus/kmbus/drivers/kmdrv", link("/sys/devices/kmroot/kmdrv.0/driver"));
        assertEquals("../../../bus/kmbus", link("/sys/devices/kmroot/kmdrv.0/subsystem"));
        assertEquals("../../../../devices/kmroot/kmdrv.3", link("/sys/bus/kmbus/drivers/kmdrv/kmdrv.3"));
        assertEquals("../../../../module/devbus", link("/sys/bus/kmbus/drivers/kmdrv/module"));
        assertEquals("../../../bus/kmbus/drivers/kmdrv", link("/sys/module/devbus/drivers/kmbus:kmdrv"));
        assertEquals("../../module/devbus", link("/sys/devices/kmroot/module"));

        k.write("/sys/bus/kmbus/drivers/kmdrv/unbind", "kmdrv.0");
        assertFalse(k.exists("/sys/devices/kmroot/kmdrv.0/driver"));
        assertFalse(k.exists("/sys/devices/kmroot/kmdrv.0/state"), "the driver's dev_groups go with it");
        assertEquals(List.of("bind", "kmdrv.3", "module", "uevent", "unbind", "version"),
                k.list("/sys/bus/kmbus/drivers/kmdrv"));

        k.rmmod("devbus");
        assertFalse(k.exists("/sys/bus/kmbus"));
        assertFalse(k.exists("/sys/devices/kmroot"));
    }

    @Test
    void platformDevicesLiveUnderThePlatformBusDevice() {
        insmod("platdrv");
        assertEquals("../../../devices/platform/kmplat.1", link("/sys/bus/platform/devices/kmplat.1"));
        assertEquals("../../../bus/platform", link("/sys/devices/platform/kmplat.1/subsystem"));
        assertEquals(List.of("driver", "driver_override", "modalias", "power", "subsystem", "uevent"),
                k.list("/sys/devices/platform/kmplat.1"));
        assertEquals(List.of("driver_override", "modalias", "power", "subsystem", "uevent"),
                k.list("/sys/devices/platform/nodrv"));
        assertEquals(List.of("async", "autosuspend_delay_ms", "control", "runtime_active_kids", "runtime_active_time",
                "runtime_enabled", "runtime_status", "runtime_suspended_time", "runtime_usage"),
                k.list("/sys/devices/platform/nodrv/power"));
        assertEquals("unsupported\n", k.read("/sys/devices/platform/nodrv/power/runtime_status"));
        assertTrue(k.exists("/sys/devices/platform/kmplat-auto.1.auto"));
        assertEquals("../../../../module/platdrv", link("/sys/bus/platform/drivers/kmplat/module"));
        k.rmmod("platdrv");
        assertEquals(List.of("power", "uevent"), k.list("/sys/devices/platform"));
        assertFalse(k.exists("/sys/bus/platform/drivers/kmplat"));
    }

    @Test
    void i2cAdaptersAndClientsInSysfs() {
        insmod("i2cbus");
        assertEquals(List.of("0-0050", "0-0051", "1-002c", "i2c-0", "i2c-1"), k.list("/sys/bus/i2c/devices"));
        assertEquals("../../../devices/i2c-0/0-0050", link("/sys/bus/i2c/devices/0-0050"));
        assertEquals("../../devices/i2c-1", link("/sys/class/i2c-adapter/i2c-1"));
        assertEquals(List.of("dummy", "kmdetect", "kmsensor"), k.list("/sys/bus/i2c/drivers"));
        // i2c_register_adapter(): async suspend, no runtime callbacks (no runtime files), children ignored
        assertEquals(List.of("async", "runtime_active_kids", "runtime_enabled", "runtime_status", "runtime_usage"),
                k.list("/sys/devices/i2c-0/power"));
        assertEquals("enabled\n", k.read("/sys/devices/i2c-0/power/async"));
        assertEquals("enabled\n", k.read("/sys/devices/i2c-0/power/runtime_enabled"));
        assertEquals("0\n", k.read("/sys/devices/i2c-0/power/runtime_active_kids"));
        assertEquals("suspended\n", k.read("/sys/devices/i2c-0/power/runtime_status"));
        assertEquals("enabled\n", k.read("/sys/devices/i2c-0/0-0050/power/async"));
        k.rmmod("i2cbus");
        assertEquals(List.of(), k.list("/sys/bus/i2c/devices"));
        assertEquals(List.of(), k.list("/sys/class/i2c-adapter"));
    }

    @Test
    void aDeviceThatKeepsDeferringIsReportedWhenTheTimeoutPasses() {
        insmod("devbus", "stuck=1");
        assertFalse(k.dmesg().contains("deferred probe pending"));
        int before = (int) k.dmesg().lines().filter(l -> l.contains("kmdrv kmdrv.4: probe #")).count();
        assertTrue(before >= 2, "retried when another device bound");
        k.advance(Duration.ofSeconds(11));
        assertTrue(k.dmesg().contains("kmbus kmdrv.4: deferred probe pending"), k.dmesg());
        long after = k.dmesg().lines().filter(l -> l.contains("kmdrv kmdrv.4: probe #")).count();
        assertEquals(before + 1, after, "the timeout retries the deferred devices once more");
    }

    private long count(String line) {
        return k.dmesg().lines().filter(l -> l.endsWith(line)).count();
    }

    /** What the rpm golden cannot show: autosuspend and pm_wq requests over virtual time (runtime.c). */
    @Test
    void autosuspendWaitsForItsDelayAndAsynchronousRequestsRunOnPmWq() {
        insmod("rpm");
        String c = "/sys/devices/platform/kmrpm-parent/kmrpm.1/power/";
        String p = "/sys/devices/platform/kmrpm-parent/power/";
        long suspends = count("kmrpm.1: runtime_suspend");
        k.write(c + "autosuspend_delay_ms", "1000");
        assertEquals("0\n", k.read(c + "runtime_usage"));
        assertEquals("active\n", k.read(c + "runtime_status"), "the idle check arms the autosuspend timer");
        k.advance(Duration.ofMillis(900));
        assertEquals("active\n", k.read(c + "runtime_status"));
        k.advance(Duration.ofMillis(200));
        assertEquals("suspended\n", k.read(c + "runtime_status"), k.dmesg());
        assertEquals(suspends + 1, count("kmrpm.1: runtime_suspend"));
        assertEquals("0\n", k.read(p + "runtime_active_kids"));
        assertTrue(Long.parseLong(k.read(c + "runtime_active_time").trim()) >= 1000);
        long asleep = Long.parseLong(k.read(c + "runtime_suspended_time").trim());
        k.advance(Duration.ofSeconds(2));
        assertEquals(asleep + 2000, Long.parseLong(k.read(c + "runtime_suspended_time").trim()));

        k.write(c + "control", "on");
        assertEquals("active\n", k.read(c + "runtime_status"));
        assertEquals("1\n", k.read(p + "runtime_active_kids"));
        k.write(c + "control", "auto");
        assertEquals("0\n", k.read(c + "runtime_usage"));
        assertEquals("active\n", k.read(c + "runtime_status"), "the idle request ran and armed the timer");
        k.advance(Duration.ofMillis(1100));
        assertEquals("suspended\n", k.read(c + "runtime_status"));
        assertEquals(suspends + 2, count("kmrpm.1: runtime_suspend"));
        k.rmmod("rpm");
        assertFalse(k.exists("/sys/devices/platform/kmrpm-parent"));
    }

    @Test
    void bindingADeviceOfAnotherBusFails() {
        insmod("devbus");
        KernelException e = assertThrows(KernelException.class,
                () -> k.write("/sys/bus/kmbus/drivers/kmdrv/bind", "kmroot"));
        assertEquals(19, e.errno());
    }
}
