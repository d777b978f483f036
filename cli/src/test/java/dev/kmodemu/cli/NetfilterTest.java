package dev.kmodemu.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kmodemu.testmods.TestMods;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Debian's x_tables, ip_tables and iptable_filter: /proc/net per namespace, sockopts, socket buffers. */
class NetfilterTest {
    @Test
    void iptableFilterLoadsWithItsProcNetFiles(@TempDir Path tmp) throws Exception {
        Path nf = tmp.resolve("kernel/net/netfilter");
        Path nf4 = tmp.resolve("kernel/net/ipv4/netfilter");
        Files.createDirectories(nf);
        Files.createDirectories(nf4);
        Files.write(nf.resolve("x_tables.ko"), TestMods.ko("debian", "x_tables"));
        Files.write(nf4.resolve("ip_tables.ko"), TestMods.ko("debian", "ip_tables"));
        Files.write(nf4.resolve("iptable_filter.ko"), TestMods.ko("debian", "iptable_filter"));
        CliTest.Run r = CliTest.kmodemu("sh", "--modules", tmp.toString(), "-c", "depmod -w; "
                + "modprobe iptable_filter; lsmod; ls /proc/net; cat /proc/net/ip_tables_names; "
                + "cat /proc/net/ip_tables_matches /proc/net/ip_tables_targets; rmmod iptable_filter; rmmod ip_tables; rmmod x_tables; "
                + "lsmod; ls /proc/net");
        assertEquals("Module                  Size  Used by\n"
                + "iptable_filter         16384  0\n"
                + "ip_tables              36864  1 iptable_filter\n"
                + "x_tables               61440  2 iptable_filter,ip_tables\n"
                + "dev\nip_tables_matches\nip_tables_names\nip_tables_targets\nprotocols\nptype\nstat\n"
                + "icmp\nERROR\n"
                + "Module                  Size  Used by\n"
                + "dev\nprotocols\nptype\nstat\n", r.out());
        assertEquals(0, r.status());
    }
}
