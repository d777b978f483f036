package dev.kmodemu.loader.kmod;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * modprobe.d parsing. The expected {@code modprobe -c} lines and libkmod errors are what Debian 12's
 * kmod 30 printed for the same files and kernel command line.
 */
class ModprobeConfigTest {
    @TempDir
    Path dir;

    @Test
    void badLinesAreReportedWithTheirNumbersAndTheRestIsKept() throws IOException {
        Path d = dir.resolve("modprobe.d");
        Files.createDirectories(d.resolve("sub.conf"));
        Files.writeString(d.resolve("b.conf"), """
                alias onlyone
                bogus x
                include /etc/foo
                options
                options foo\ta=1\tb=2
                softdep  x pre:  a  b post:c   d  pre: e
                softdep y
                install z
                blacklist
                alias a[b c
                options kmodidx_top   lead=1
                """);
        Files.writeString(d.resolve("c.alias"), "options q x=1\n");
        Files.writeString(d.resolve("d.txt"), "options q y=1\n");
        Files.writeString(d.resolve(".e.conf"), "options q z=1\n");
        ModprobeConfig c = ModprobeConfig.load(List.of(d), null, null);
        String f = d.resolve("b.conf").toString();
        String e = "libkmod: ERROR ../libkmod/libkmod-config.c:";
        assertEquals(List.of(e + "772 conf_files_filter_out: Directories inside directories are not supported: " + d
                + "/sub.conf", e + "712 kmod_config_parse: " + f + " line 1: ignoring bad line starting with 'alias'",
                e + "712 kmod_config_parse: " + f + " line 2: ignoring bad line starting with 'bogus'",
                e + "708 kmod_config_parse: " + f + ": command include is deprecated and not parsed anymore",
                e + "712 kmod_config_parse: " + f + " line 4: ignoring bad line starting with 'options'",
                e + "712 kmod_config_parse: " + f + " line 7: ignoring bad line starting with 'softdep'",
                e + "712 kmod_config_parse: " + f + " line 8: ignoring bad line starting with 'install'",
                e + "712 kmod_config_parse: " + f + " line 9: ignoring bad line starting with 'blacklist'",
                e + "712 kmod_config_parse: " + f + " line 10: ignoring bad line starting with 'alias'"), c.messages());
        assertEquals(List.of("options foo a=1 b=2", "options kmodidx_top   lead=1", "options q x=1",
                "softdep x pre: a b post:c d e"), c.showConfig());
    }

    @Test
    void continuationLinesDashesAndCommands() {
        ModprobeConfig c = ModprobeConfig.parse("""
                # comment
                alias my-alias snd-hda-intel
                install snd-hda /bin/true \\
                \t$CMDLINE_OPTS
                remove snd* /bin/false
                blacklist pcspkr-x
                softdep snd-hda post: snd-seq
                softdep snd_* pre: a post: b
                """, "f.conf");
        assertEquals(List.of(), c.messages());
        assertEquals(List.of(new ModprobeConfig.Alias("my_alias", "snd_hda_intel")), c.aliases());
        assertEquals("/bin/true \t$CMDLINE_OPTS", c.commandFor("snd_hda", true));
        assertEquals("/bin/false", c.commandFor("snd_hda", false));
        assertNull(c.commandFor("other", false));
        assertTrue(c.blacklisted("pcspkr_x"));
        assertEquals(List.of("snd-seq"), c.softdepFor("snd_hda").post());
        assertEquals(List.of("a"), c.softdepFor("snd_usb").pre());
        assertEquals(List.of("blacklist pcspkr_x", "install snd_hda /bin/true \t$CMDLINE_OPTS", "remove snd* /bin/false",
                "alias my_alias snd_hda_intel", "softdep snd_hda post: snd-seq", "softdep snd_* pre: apost: b"),
                c.showConfig());
    }

    @Test
    void kernelCommandLineGivesOptionsAndBlacklist() {
        ModprobeConfig c = ModprobeConfig.load(List.of(), null, "foo]bar.x=1 modprobe.blacklist=aa,bb "
                + "\"parport.dyndbg=file drivers/x.c +mpf\" kmodidx-top.opt=5 weird.a.b=1 q=\"x y\".z=1 last.noval\n");
        assertEquals(List.of("libkmod: ERROR ../libkmod/libkmod-config.c:489 kcmdline_parse_result: Ignoring bad option on "
                + "kernel command line while parsing module name: 'foo]bar'"), c.messages());
        assertEquals(List.of("blacklist aa", "blacklist bb", "options parport dyndbg=\"file drivers/x.c +mpf\"",
                "options kmodidx_top opt=5", "options last noval"), c.showConfig());
    }

    @Test
    void optionsOfTheModuleAndOfTheAliasItWasFoundByAreJoined() {
        ModprobeConfig c = ModprobeConfig.parse("options m a=1\noptions al b=2\noptions m c=3\n", "f");
        assertEquals("a=1 b=2 c=3", c.optionsFor("m", "al"));
        assertEquals("a=1 c=3", c.optionsFor("m", null));
        assertNull(c.optionsFor("x", null));
    }
}
