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

    /**
     * A module directory indexed by our depmod: the chain_a ← chain_b ← chain_c modules (built
     * together, so their symbol versions match), kmodidx_core (with aliases) and hello.
     */
    Path moduleDir() throws Exception {
        Path extra = dir.resolve("kernel/extra");
        Files.createDirectories(extra);
        for (String m : List.of("chain_a", "chain_b", "chain_c")) {
            Files.write(extra.resolve(m + ".ko"), TestMods.ko("symexp", m));
        }
        for (String m : List.of("kmodidx_core", "kmodidx_soft", "hello")) {
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
            k.modprobe("chain_c");
            assertEquals(List.of("chain_c", "chain_b", "chain_a"), k.modules().stream().map(Module::name).toList());
            assertEquals(List.of("chain_c"), k.modules().get(1).holders());
            k.modprobe(List.of("chain_c"), dev.kmodemu.loader.kmod.ModuleIndex.ModprobeOptions.of(
                    dev.kmodemu.loader.kmod.ModuleIndex.Flag.REMOVE));
            // kmod 30 removes the dependencies it finds unused in modules.dep order, as libkmod lists
            // them (reversed): chain_a is still used by chain_b when its turn comes, and stays.
            assertEquals(List.of("chain_a"), k.modules().stream().map(Module::name).toList());
            KernelException missing = assertThrows(KernelException.class, () -> k.modprobe("nosuch"));
            assertEquals("FATAL: Module nosuch not found in directory /lib/modules/" + k.release(),
                    missing.getMessage());
            k.modprobe("hello", "count=2");
            assertEquals("2\n", k.read("/sys/module/hello/parameters/count"));
        }
    }
}
