package dev.kmodemu.kstubs.kernel;

import dev.kmodemu.kstubs.Errno;
import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.lib.GuestKernel;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The services module code calls most among the missing ones: the resource trees of QEMU's PC
 * machine, printk_ratelimit(), byte_rev_table, task pids, register maps with their cache,
 * hwmon chip-info registration, DMI identity and x86 CPU matching; each called through the CPU
 * as a module calls it.
 */
class Breadth2ServicesTest {
    private static final String IOPORTS = """
            0000-0cf7 : PCI Bus 0000:00
              0000-001f : dma1
              0020-0021 : pic1
              0040-0043 : timer0
              0050-0053 : timer1
              0060-0060 : keyboard
              0064-0064 : keyboard
              0070-0077 : rtc0
              0080-008f : dma page reg
              00a0-00a1 : pic2
              00c0-00df : dma2
              00f0-00ff : fpu
              02f8-02ff : serial
              03f8-03ff : serial
            0cf8-0cff : PCI conf1
            0d00-ffff : PCI Bus 0000:00
            """;

    @Test
    void ioportsAreTheMachinesAndHeldRangesAreRefused() {
        try (GuestKernel g = new GuestKernel()) {
            assertEquals(IOPORTS, g.kernel.read("/proc/ioports"));
            long io = g.c.sym("ioport_resource");
            assertEquals(0, g.call("__request_region", io, 0x3f8, 8, g.str("serial"), 0));
            assertEquals(0, g.call("__request_region", io, 0x60, 1, g.str("i8042"), 0));
            long r = g.call("__request_region", io, 0x300, 8, g.str("mydev"), 0);
            assertNotEquals(0, r);
            assertTrue(g.kernel.read("/proc/ioports").contains("  02f8-02ff : serial\n  0300-0307 : mydev\n"));
            g.call("__release_region", io, 0x300, 8);
            assertEquals(IOPORTS, g.kernel.read("/proc/ioports"));
            String iomem = g.kernel.read("/proc/iomem");
            assertTrue(iomem.startsWith("00000000-00000fff : Reserved\n00001000-0009fbff : System RAM\n"), iomem);
            assertTrue(iomem.contains("00100000-1ffdffff : System RAM\n  01000000-01e01d31 : Kernel code\n"));
            // a memory region in the PCI window is free; one in System RAM is not
            long mem = g.c.sym("iomem_resource");
            assertNotEquals(0, g.call("__request_region", mem, 0xfe000000L, 0x1000, g.str("bar0"), 0));
            assertEquals(0, g.call("__request_region", mem, 0x100000, 0x1000, g.str("ram"), 0));
        }
    }

    @Test
    void printkRatelimitAllowsTenPerFiveSeconds() {
        try (GuestKernel g = new GuestKernel()) {
            long fn = g.str("mydriver");
            int allowed = 0;
            for (int i = 0; i < 15; i++) {
                allowed += g.icall("__printk_ratelimit", fn);
            }
            assertEquals(10, allowed);
        }
    }

    @Test
    void byteRevTableAndTaskPids() {
        try (GuestKernel g = new GuestKernel()) {
            long t = g.c.sym("byte_rev_table");
            assertEquals(0x80, g.c.mem().read8(t + 1) & 0xff);
            assertEquals(0x2c, g.c.mem().read8(t + 0x34) & 0xff);
            g.kernel.process("task", () -> {
                KernelContext c = g.c;
                long task = c.tasks().current().taskStruct();
                int pid = c.tasks().current().pid();
                assertTrue(pid > 0);
                assertEquals(pid, (int) c.call(c.sym("__task_pid_nr_ns"), task, 0, 0));
                assertEquals(pid, (int) c.call(c.sym("__task_pid_nr_ns"), task, 1, 0));
                assertEquals(pid, (int) c.call(c.sym("__task_pid_nr_ns"), task, 3, 0));
                return null;
            });
            // the idle task, a kernel thread: pid 0, session 0
            long idle = g.c.tasks().current().taskStruct();
            assertEquals(0, g.icall("__task_pid_nr_ns", idle, 3, 0));
        }
    }

    /** A {@code struct regmap_config}: 8-bit registers and values, a flat cache, no bus callbacks. */
    private static long flatConfig(GuestKernel g, int maxRegister, long defaults, int numDefaults) {
        KernelContext c = g.c;
        long cfg = g.buf(512, 0);
        c.mem().write32(cfg + c.off("regmap_config_reg_bits"), 8);
        c.mem().write32(cfg + c.off("regmap_config_val_bits"), 8);
        c.mem().write32(cfg + c.off("regmap_config_max_register"), maxRegister);
        c.mem().write32(cfg + c.off("regmap_config_cache_type"), c.off("REGCACHE_FLAT"));
        c.mem().write64(cfg + c.off("regmap_config_reg_defaults"), defaults);
        c.mem().write32(cfg + c.off("regmap_config_num_reg_defaults"), numDefaults);
        return cfg;
    }

    @Test
    void regmapFlatCacheAnswersAndCacheOnlyWritesStayInIt() {
        try (GuestKernel g = new GuestKernel()) {
            KernelContext c = g.c;
            long defaults = g.buf(c.off("reg_default_sizeof"), 0);
            c.mem().write32(defaults + c.off("reg_default_reg"), 3);
            c.mem().write32(defaults + c.off("reg_default_def"), 0x42);
            long map = g.call("__regmap_init", 0, 0, 0, flatConfig(g, 0x10, defaults, 1), 0, 0);
            assertTrue(Long.compareUnsigned(map, -4095L) < 0, Long.toHexString(map));
            long val = g.buf(16, 0xff);
            assertEquals(0, g.icall("regmap_read", map, 3, val));
            assertEquals(0x42, c.mem().read32(val));
            assertEquals(0, g.icall("regmap_read", map, 5, val));
            assertEquals(0, c.mem().read32(val));
            g.call("regcache_cache_only", map, 1);
            assertEquals(0, g.icall("regmap_write", map, 5, 7));
            assertEquals(0, g.icall("regmap_update_bits_base", map, 5, 0x3, 0x1, 0, 0, 0));
            assertEquals(0, g.icall("regmap_read", map, 5, val));
            assertEquals(5, c.mem().read32(val));
            assertEquals(-Errno.EBUSY, g.icall("regmap_read", map, 0x11, val));
            assertEquals(-Errno.EIO, g.icall("regmap_write", map, 0x11, 1));
            long bulk = g.buf(8, 0xff);
            assertEquals(0, g.icall("regmap_bulk_read", map, 3, bulk, 3));
            assertEquals(0x42, c.mem().read8(bulk) & 0xff);
            assertEquals(0, c.mem().read8(bulk + 1));
            assertEquals(5, c.mem().read8(bulk + 2));
            g.call("regmap_exit", map);
        }
    }

    @Test
    void regmapDefaultsWithoutTheirNumberAreRefused() {
        try (GuestKernel g = new GuestKernel()) {
            long defaults = g.buf(16, 0);
            assertEquals(-Errno.EINVAL, g.call("__regmap_init", 0, 0, 0, flatConfig(g, 0x10, defaults, 0), 0, 0));
            assertTrue(g.kernel.dmesg().contains("Register defaults are set without the number!"));
        }
    }

    @Test
    void hwmonChipInfoAttributesAreNamedAsTheKernelNamesThem() {
        try (GuestKernel g = new GuestKernel()) {
            KernelContext c = g.c;
            // is_visible(drvdata, ...) is strlen(): drvdata is a string of 0444 (292) characters
            long drvdata = g.str("x".repeat(0444));
            long ops = g.buf(64, 0);
            c.mem().write64(ops + c.off("hwmon_ops_is_visible"), c.sym("strlen"));
            c.mem().write64(ops + c.off("hwmon_ops_read"), c.sym("strlen"));
            long tempConfig = g.bytes(new byte[] {1 << 1, 0, 0, 0, 1 << 1, 0, 0, 0, 0, 0, 0, 0}); // 2 x input
            long inConfig = g.bytes(new byte[] {1 << 1, 0, 0, 0, 0, 0, 0, 0});
            long temp = g.buf(16, 0);
            c.mem().write32(temp + c.off("hwmon_channel_info_type"), c.off("hwmon_temp"));
            c.mem().write64(temp + c.off("hwmon_channel_info_config"), tempConfig);
            long in = g.buf(16, 0);
            c.mem().write32(in + c.off("hwmon_channel_info_type"), c.off("hwmon_in"));
            c.mem().write64(in + c.off("hwmon_channel_info_config"), inConfig);
            long chip = g.longs(ops, g.longs(temp, in, 0));
            long parent = g.call("__root_device_register", g.str("hwtest"), 0);
            long hdev = g.call("hwmon_device_register_with_info", parent, g.str("test_hwmon"), drvdata, chip, 0);
            assertTrue(Long.compareUnsigned(hdev, -4095L) < 0, Long.toHexString(hdev));
            assertEquals("hwmon0", dev.kmodemu.kstubs.drivers.base.Core.name(c, hdev));
            assertEquals("test_hwmon\n", g.kernel.read("/sys/class/hwmon/hwmon0/name"));
            g.kernel.open("/sys/class/hwmon/hwmon0/temp1_input", 0).close();
            g.kernel.open("/sys/class/hwmon/hwmon0/temp2_input", 0).close();
            g.kernel.open("/sys/class/hwmon/hwmon0/in0_input", 0).close();
            assertThrows(RuntimeException.class, () -> g.kernel.open("/sys/class/hwmon/hwmon0/temp3_input", 0));
            assertThrows(RuntimeException.class, () -> g.kernel.open("/sys/class/hwmon/hwmon0/in1_input", 0));
            g.call("hwmon_device_unregister", hdev);
            // without a parent device a chip is refused
            assertEquals(-Errno.EINVAL, g.call("hwmon_device_register_with_info", 0, g.str("x"), drvdata, chip, 0));
        }
    }

    /** A {@code struct dmi_system_id} table: one entry per {slot, exact, substring}, then the end. */
    private static long dmiTable(GuestKernel g, Object[]... entries) {
        KernelContext c = g.c;
        int size = c.off("dmi_system_id_sizeof");
        long t = g.buf(size * (entries.length + 1), 0);
        for (int i = 0; i < entries.length; i++) {
            long m = t + (long) i * size + c.off("dmi_system_id_matches");
            int slot = c.off((String) entries[i][0]);
            c.mem().write8(m, (byte) (slot | ((Boolean) entries[i][1] ? 0x80 : 0)));
            c.mem().write(m + c.off("dmi_strmatch_substr"),
                    (entries[i][2] + "\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        return t;
    }

    @Test
    void dmiIsQemusAndVendorQuirksDoNotMatch() {
        try (GuestKernel g = new GuestKernel()) {
            KernelContext c = g.c;
            assertEquals("QEMU", g.string(g.call("dmi_get_system_info", c.off("DMI_SYS_VENDOR"))));
            assertEquals("SeaBIOS", g.string(g.call("dmi_get_system_info", c.off("DMI_BIOS_VENDOR"))));
            assertEquals(0, g.call("dmi_get_system_info", c.off("DMI_BOARD_VENDOR")));
            assertEquals(1, g.icall("dmi_check_system", dmiTable(g, new Object[] {"DMI_SYS_VENDOR", false, "QEM"})));
            assertEquals(0, g.icall("dmi_check_system", dmiTable(g, new Object[] {"DMI_SYS_VENDOR", true, "QEM"})));
            assertEquals(0, g.icall("dmi_check_system",
                    dmiTable(g, new Object[] {"DMI_BOARD_VENDOR", false, "Dell Inc."})));
            long t = dmiTable(g, new Object[] {"DMI_SYS_VENDOR", false, "LENOVO"},
                    new Object[] {"DMI_PRODUCT_NAME", false, "Standard PC"});
            assertEquals(t + c.off("dmi_system_id_sizeof"), g.call("dmi_first_match", t));
        }
    }

    @Test
    void x86MatchCpuFindsTheBootCpusEntry() {
        try (GuestKernel g = new GuestKernel()) {
            KernelContext c = g.c;
            int size = c.off("x86_cpu_id_sizeof");
            long table = g.buf(size * 3, 0);
            // an entry for a vendor that is not the boot CPU's (255 is none), then "any"
            c.mem().write16(table + c.off("x86_cpu_id_vendor"), (short) 255);
            c.mem().write16(table + size + c.off("x86_cpu_id_vendor"), (short) c.off("X86_VENDOR_ANY"));
            assertEquals(table + size, g.call("x86_match_cpu", table));
            c.mem().write16(table + size + c.off("x86_cpu_id_vendor"), (short) 254);
            assertEquals(0, g.call("x86_match_cpu", table));
        }
    }

    @Test
    void ledClassDevicesShowBrightnessAndAreRenamedOnCollision() {
        try (GuestKernel g = new GuestKernel()) {
            KernelContext c = g.c;
            long parent = g.call("__root_device_register", g.str("ledtest"), 0);
            long cdev = g.buf(1024, 0);
            c.mem().write64(cdev + c.off("led_classdev_name"), g.str("test::led"));
            assertEquals(0, g.icall("led_classdev_register_ext", parent, cdev, 0));
            assertEquals("255\n", g.kernel.read("/sys/class/leds/test::led/max_brightness"));
            assertEquals("0\n", g.kernel.read("/sys/class/leds/test::led/brightness"));
            assertEquals("[none]\n", g.kernel.read("/sys/class/leds/test::led/trigger"));
            try (var f = g.kernel.open("/sys/class/leds/test::led/brightness", 1)) {
                f.write("300".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
            assertEquals("255\n", g.kernel.read("/sys/class/leds/test::led/brightness"));
            long second = g.buf(1024, 0);
            c.mem().write64(second + c.off("led_classdev_name"), g.str("test::led"));
            assertEquals(0, g.icall("led_classdev_register_ext", parent, second, 0));
            assertTrue(g.kernel.dmesg().contains("Led test::led renamed to test::led_1 due to name collision"));
            assertEquals("255\n", g.kernel.read("/sys/class/leds/test::led_1/max_brightness"));
            g.call("led_classdev_unregister", second);
            g.call("led_classdev_unregister", cdev);
            assertEquals(0, c.mem().read32(cdev + c.off("led_classdev_brightness")));
            assertThrows(RuntimeException.class, () -> g.kernel.read("/sys/class/leds/test::led/brightness"));
        }
    }
}
