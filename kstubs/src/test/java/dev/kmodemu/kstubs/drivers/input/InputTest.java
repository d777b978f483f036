package dev.kmodemu.kstubs.drivers.input;

import dev.kmodemu.kstubs.Kernel;
import dev.kmodemu.testmods.TestMods;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What inputdev's goldens cannot show (the oracle does not list directories or read links): the
 * input class in sysfs, its devices and their removal, the numbering across devices. Expected
 * values follow drivers/input/input.c and drivers/base/core.c.
 */
class InputTest {
    Kernel k;

    @BeforeEach
    void boot() {
        k = Kernel.boot();
    }

    @AfterEach
    void close() {
        k.close();
    }

    private void insmod(String dir, String... params) {
        TestMods.Ko ko = TestMods.resolve(dir, dir + ".ko");
        k.insmod(ko.file(), ko.bytes(), String.join(" ", params));
    }

    @Test
    void inputDevicesAreClassDevicesNumberedOnFromTheKernelsOwn() {
        assertEquals(List.of(), k.list("/sys/class/input"));
        insmod("inputdev");
        assertEquals(List.of("input2"), k.list("/sys/class/input"));
        assertEquals("../../devices/virtual/input/input2", k.context().vfs().readlink("/sys/class/input/input2"));
        assertTrue(k.list("/sys/devices/virtual/input/input2").containsAll(List.of("subsystem", "uevent")));
        assertTrue(k.dmesg().contains("input: kmodemu test switch as /devices/virtual/input/input2\n"));
        k.rmmod("inputdev");
        assertEquals(List.of(), k.list("/sys/class/input"));
        assertFalse(k.exists("/sys/devices/virtual/input/input2"));
        insmod("inputdev");
        assertEquals(List.of("input3"), k.list("/sys/class/input"));
    }
}
