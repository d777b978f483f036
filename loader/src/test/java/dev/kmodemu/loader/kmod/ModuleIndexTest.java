package dev.kmodemu.loader.kmod;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * modprobe over synthetic trees indexed by {@link Depmod}; the expected output is what kmod 30's
 * modprobe printed for the same trees.
 */
class ModuleIndexTest {
    @TempDir
    Path root;

    Path dir() {
        return root.resolve("lib/modules/6.1.0-56-amd64");
    }

    ModuleIndex index(String order) throws IOException {
        Files.writeString(dir().resolve("modules.order"), order);
        DepmodResult r = Depmod.run(dir(), Depmod.Options.defaults());
        r.writeTo(dir());
        return ModuleIndex.open(dir(), ModprobeConfig.load(List.of(), dir(), null));
    }

    void write(String name, SyntheticKo ko) throws IOException {
        Files.createDirectories(dir().resolve("kernel"));
        Files.write(dir().resolve("kernel/" + name + ".ko"), ko.build());
    }

    @Test
    void everyModuleWhoseAliasMatchesIsLoadedInModuleOrderOncePerMatchingAlias() throws IOException {
        write("generic", new SyntheticKo().modinfo("alias=pci:v*d*"));
        write("e1000e", new SyntheticKo().modinfo("alias=pci:v00008086d*"));
        write("igb", new SyntheticKo().modinfo("alias=pci:v00008086d0000153?", "alias=pci:v0000[0-8]086d*"));
        write("usbcore", new SyntheticKo().modinfo("alias=usb:*"));
        write("exact", new SyntheticKo().modinfo("alias=pci:v00008086d00001533"));
        ModuleIndex idx = index("kernel/exact.ko\nkernel/igb.ko\nkernel/generic.ko\nkernel/e1000e.ko\nkernel/usbcore.ko\n");
        ModuleIndex.ModprobeResult r = idx.modprobe(List.of("pci:v00008086d00001533"),
                ModuleIndex.ModprobeOptions.of(ModuleIndex.Flag.RESOLVE_ALIAS), ModprobeHost.nothingLoaded());
        assertEquals(List.of("exact", "igb", "igb", "generic", "e1000e"), r.stdout());
        List<String> found = new ArrayList<>();
        for (ModuleIndex.Module m : idx.lookup("pci:v00008086d00001534")) {
            found.add(m.name() + " " + m.alias() + " " + m.path().substring(dir().toString().length()));
        }
        assertEquals(List.of("igb pci:v00008086d00001534 /kernel/igb.ko", "igb pci:v00008086d00001534 /kernel/igb.ko",
                "generic pci:v00008086d00001534 /kernel/generic.ko", "e1000e pci:v00008086d00001534 /kernel/e1000e.ko"),
                found);
        assertNull(idx.lookup("bad]alias"));
    }

    @Test
    void dependenciesLoadDeepestFirstAndNotFoundIsFatal() throws IOException {
        write("top", new SyntheticKo().imports("sym_mid", "sym_low").modinfo("alias=my-top"));
        write("mid", new SyntheticKo().exports("sym_mid").imports("sym_low"));
        write("low", new SyntheticKo().exports("sym_low"));
        ModuleIndex idx = index("kernel/low.ko\nkernel/mid.ko\nkernel/top.ko\n");
        assertEquals(List.of("low", "mid"), idx.dependencies("top").stream().map(ModuleIndex.Module::name).toList());
        ModuleIndex.ModprobeResult r = idx.modprobe(List.of("my_top", "a=b c"),
                ModuleIndex.ModprobeOptions.of(ModuleIndex.Flag.SHOW_DEPENDS), ModprobeHost.nothingLoaded());
        String d = dir().toString();
        assertEquals(List.of("insmod " + d + "/kernel/low.ko ", "insmod " + d + "/kernel/mid.ko ",
                "insmod " + d + "/kernel/top.ko a=\"b c\""), r.stdout());
        assertEquals(0, r.exitStatus());
        assertEquals(new ModuleIndex.Action(ModuleIndex.ActionType.INSMOD, "top", d + "/kernel/top.ko", "a=\"b c\"", null),
                r.actions().get(2));
        r = idx.modprobe(List.of("nope"), ModuleIndex.ModprobeOptions.defaults(), ModprobeHost.nothingLoaded());
        assertEquals(List.of("modprobe: FATAL: Module nope not found in directory " + d), r.stderr());
        assertEquals(1, r.exitStatus());

        ModuleIndex shown = ModuleIndex.open(dir(), "/lib/modules/6.1.0-56-amd64", idx.config());
        List<String> loaded = new ArrayList<>();
        r = shown.modprobe(List.of("top"), ModuleIndex.ModprobeOptions.defaults(), new ModprobeHost.NothingLoaded() {
            @Override
            public int initModule(String path, String options, boolean forceVermagic, boolean forceModversion) {
                loaded.add(path + " [" + options + "]");
                return 0;
            }
        });
        assertEquals(0, r.exitStatus());
        assertEquals(List.of("/lib/modules/6.1.0-56-amd64/kernel/low.ko []", "/lib/modules/6.1.0-56-amd64/kernel/mid.ko []",
                "/lib/modules/6.1.0-56-amd64/kernel/top.ko []"), loaded);
    }
}
