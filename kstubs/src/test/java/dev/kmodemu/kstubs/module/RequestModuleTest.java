package dev.kmodemu.kstubs.module;

import dev.kmodemu.kstubs.Kernel;
import dev.kmodemu.kstubs.KernelException;
import dev.kmodemu.loader.kmod.Depmod;
import dev.kmodemu.testmods.TestMods;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** modprobe over a module directory, and request_module() from module code served by it. */
class RequestModuleTest {
    @TempDir
    Path dir;

    /** A module directory with the index test chain and hello, indexed by our depmod. */
    Path moduleDir() throws Exception {
        Path extra = dir.resolve("kernel/extra");
        Files.createDirectories(extra);
        for (String m : List.of("kmodidx_core", "kmodidx_mid", "kmodidx_top", "kmodidx_soft", "hello")) {
            Files.write(extra.resolve(m + ".ko"), TestMods.ko(m));
        }
        Depmod.run(dir, Depmod.Options.defaults()).writeTo(dir);
        return dir;
    }

    List<String> lines(Kernel k) {
        return k.log().stream().map(r -> r.message()).toList();
    }

    @Test
    void requestModuleLoadsFromTheModuleDirectory() throws Exception {
        try (Kernel k = Kernel.boot(Kernel.Options.defaults().withModules(moduleDir()))) {
            k.insmod("reqmod.ko", TestMods.ko("reqmod"), "");
            List<String> log = lines(k);
            assertTrue(log.contains("reqmod: request_module(kmodidx-core-alias) = 0"), log.toString());
            assertTrue(log.contains("reqmod: kmodidx_core_value = 42"), log.toString());
            // symbol_get holds a reference: kmodidx_core cannot go while reqmod is loaded
            KernelException busy = assertThrows(KernelException.class, () -> k.rmmod("kmodidx_core"));
            assertEquals("Module kmodidx_core is in use", busy.getMessage());
            k.rmmod("reqmod");
            k.rmmod("kmodidx_core");
        }
    }

    @Test
    void withoutAModuleDirectoryModprobeFailsAndInitGoesOn() {
        try (Kernel k = Kernel.boot()) {
            k.insmod("reqmod.ko", TestMods.ko("reqmod"), "");
            assertTrue(lines(k).contains("reqmod: request_module(kmodidx-core-alias) = 256"), lines(k).toString());
            assertTrue(lines(k).contains("reqmod: kmodidx_core_value is not there"));
        }
    }

    @Test
    void modprobeLoadsDependenciesFirstAndRemovesTheStack() throws Exception {
        try (Kernel k = Kernel.boot(Kernel.Options.defaults().withModules(moduleDir()))) {
            k.modprobe("kmodidx_top");
            assertEquals(List.of("kmodidx_top", "kmodidx_mid", "kmodidx_core", "kmodidx_soft"),
                    k.modules().stream().map(Module::name).toList());
            KernelException missing = assertThrows(KernelException.class, () -> k.modprobe("nosuch"));
            assertEquals("FATAL: Module nosuch not found in directory /lib/modules/" + k.release(),
                    missing.getMessage());
            k.modprobe("hello", "count=2");
            assertEquals("2\n", k.read("/sys/module/hello/parameters/count"));
        }
    }
}
